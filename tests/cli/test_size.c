/* SPDX-License-Identifier: MIT */
/*
 * test_size.c - the size grammar of <memblock/size.h>, one row per rule:
 * memparse() numbers (base from the prefix, K..E suffixes in any case),
 * digit separators, sums and differences, names, and where a size ends.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <memblock/memblock.h>
#include <memblock/size.h>

#define KIB (UINT64_C(1) << 10)
#define MIB (UINT64_C(1) << 20)
#define GIB (UINT64_C(1) << 30)

static const struct {
	const char *text;
	int ret;
	uint64_t value;
} whole[] = {
	/* numbers: memparse()'s base detection */
	{"0", 0, 0},
	{"4096", 0, 4096},
	{"0x1000", 0, 0x1000},
	{"0XaBc", 0, 0xabc},
	{"010", 0, 8}, /* a leading 0 is octal, as in the kernel */
	{"0777", 0, 0777},
	{"08", -MB_EINVAL, 0},
	{"0x", -MB_EINVAL, 0},
	{"x10", -MB_EINVAL, 0},
	/* suffixes: binary, any case, after any base */
	{"1k", 0, KIB},
	{"1K", 0, KIB},
	{"1m", 0, MIB},
	{"1M", 0, MIB},
	{"1g", 0, GIB},
	{"3T", 0, UINT64_C(3) << 40},
	{"2p", 0, UINT64_C(2) << 50},
	{"1E", 0, UINT64_C(1) << 60},
	{"0x10M", 0, 0x10 * MIB},
	{"0x1e", 0, 0x1e}, /* in hex, e is a digit */
	{"04000k", 0, 04000 * KIB},
	{"1KB", -MB_EINVAL, 0},
	{"12Q", -MB_EINVAL, 0},
	{"K", -MB_EINVAL, 0},
	/* digit separators */
	{"1_048_576", 0, MIB},
	{"0x8000_0000", 0, 0x80000000},
	{"_1", -MB_EINVAL, 0},
	{"1__0", -MB_EINVAL, 0},
	{"1_", -MB_EINVAL, 0},
	/* sums and differences, left to right */
	{"0x80000000+2M", 0, 0x80200000},
	{"16M-4K", 0, 16 * MIB - 4 * KIB},
	{"1G-1M+1K", 0, GIB - MIB + KIB},
	{"1-2", -MB_ERANGE, 0},
	{"1+", -MB_EINVAL, 0},
	{"-1", -MB_EINVAL, 0},
	{"1++1", -MB_EINVAL, 0},
	/* 64 bits, never wrapped */
	{"0xffffffffffffffff", 0, UINT64_MAX},
	{"18446744073709551615", 0, UINT64_MAX},
	{"0x10000000000000000", -MB_ERANGE, 0},
	{"18446744073709551616", -MB_ERANGE, 0},
	{"16E", -MB_ERANGE, 0},
	{"16777216T", -MB_ERANGE, 0},
	{"0xffffffffffffffff+1", -MB_ERANGE, 0},
	/* names only where the caller knows some */
	{"max", -MB_EINVAL, 0},
	{"", -MB_EINVAL, 0},
	{" 1", -MB_EINVAL, 0},
	{"1 ", -MB_EINVAL, 0},
};

static void test_whole(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(whole) / sizeof(whole[0]); i++) {
		uint64_t v = 12345;
		int ret = mb_size_parse(whole[i].text, NULL, &v);

		if (ret != whole[i].ret || v != whole[i].value)
			fail_msg("'%s': ret %d value %#llx, want %d %#llx", whole[i].text, ret,
				 (unsigned long long)v, whole[i].ret,
				 (unsigned long long)whole[i].value);
	}
}

/* With @end, a size stops where the grammar does: "BASE:SIZE" lists. */
static void test_end(void **state)
{
	static const struct {
		const char *text;
		size_t used;
		uint64_t value;
	} rows[] = {
		{"0x80000000:1G", 10, 0x80000000},
		{"1G:0", 2, GIB},
		{"1M+1M,2", 5, 2 * MIB},
		{"4k@0x1000", 2, 4 * KIB},
		{"0x", 1, 0},	 /* memparse() reads the 0 */
		{"12Q", 2, 12},
		{"0000:1", 4, 0},	   /* zeros after a leading one are read, not kept */
		{"0x0000_0f,1", 9, 15},
		{"00_17k,", 6, 15 * KIB},
		{"1_000_000_", 9, 1000000}, /* a "_" with no digit after ends the number */
	};

	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const char *end = NULL;
		uint64_t v;

		assert_int_equal(mb_size_parse(rows[i].text, &end, &v), 0);
		assert_int_equal(end - rows[i].text, rows[i].used);
		assert_int_equal(v, rows[i].value);
	}
}

static int names(const char *s, size_t len, uint64_t *v)
{
	if (len == 3 && !strncmp(s, "max", 3)) {
		*v = UINT64_MAX;
		return 0;
	}
	if (len == 3 && !strncmp(s, "one", 3)) {
		*v = 1;
		return 0;
	}
	return -1;
}

static void test_names(void **state)
{
	uint64_t v;

	(void)state;
	assert_int_equal(mb_size_parse_names("max", NULL, names, &v), 0);
	assert_true(v == UINT64_MAX);
	assert_int_equal(mb_size_parse_names("max-one", NULL, names, &v), 0);
	assert_true(v == UINT64_MAX - 1);
	assert_int_equal(mb_size_parse_names("4K+one", NULL, names, &v), 0);
	assert_int_equal(v, 4097);
	assert_int_equal(mb_size_parse_names("max+one", NULL, names, &v), -MB_ERANGE);
	assert_int_equal(mb_size_parse_names("maximum", NULL, names, &v), -MB_EINVAL);
	assert_int_equal(mb_size_parse_names("one1", NULL, names, &v), -MB_EINVAL);
	assert_int_equal(mb_size_parse_names("1one", NULL, names, &v), -MB_EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_whole),
		cmocka_unit_test(test_end),
		cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
