/* SPDX-License-Identifier: MIT */
/*
 * test_script.c - the .mb interpreter through its C API (tools/memblock/script.h):
 * the number syntax, line statuses, and that a rejected line leaves the
 * instance byte for byte as it was.
 */
#define _POSIX_C_SOURCE 200809L

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "script.h"
#include "views.h"

static const struct {
	const char *text;
	int ret;
	uint64_t value;
} numbers[] = {
	{ "0", 0, 0 },
	{ "4096", 0, 4096 },
	{ "0x1000", 0, 0x1000 },
	{ "0X1f", 0, 0x1f },
	{ "4K", 0, 4096 },
	{ "2m", 0, 2u << 20 },
	{ "1G", 0, 1u << 30 },
	{ "3T", 0, 3ull << 40 },
	{ "0x10M", 0, 0x10ull << 20 },
	{ "0x80000000+2M", 0, 0x80200000 },
	{ "1_000", 0, 1000 },
	{ "max", 0, UINT64_MAX },
	{ "ACCESSIBLE", 0, 0 },
	{ "NOLEAKTRACE", 0, 1 },
	{ "0xffffffffffffffff", 0, UINT64_MAX },
	{ "0x10000000000000000", -2, 0 },
	{ "18446744073709551616", -2, 0 },
	{ "16777216T", -2, 0 },
	{ "max+1", -2, 0 },
	{ "", -1, 0 },
	{ "0x", -1, 0 },
	{ "12Q", -1, 0 },
	{ "K", -1, 0 },
	{ "1+", -1, 0 },
	{ "-1", -1, 0 },
};

static void test_numbers(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(numbers) / sizeof(numbers[0]); i++) {
		uint64_t v = 0;
		int ret = script_parse_number(numbers[i].text, &v);

		if (ret != numbers[i].ret || (!ret && v != numbers[i].value))
			fail_msg("'%s': ret %d value %#llx", numbers[i].text, ret,
				 (unsigned long long)v);
	}
}

struct harness {
	struct script_ctx ctx;
	char *out_buf, *err_buf;
	size_t out_len, err_len;
	FILE *out, *err;
};

static void harness_init(struct harness *h)
{
	struct script_opts opts = { 0 };

	memset(h, 0, sizeof(*h));
	h->out = open_memstream(&h->out_buf, &h->out_len);
	h->err = open_memstream(&h->err_buf, &h->err_len);
	assert_non_null(h->out);
	assert_non_null(h->err);
	opts.out = h->out;
	opts.err = h->err;
	assert_int_equal(script_ctx_init(&h->ctx, &opts), 0);
}

static void harness_fini(struct harness *h)
{
	script_ctx_fini(&h->ctx);
	fclose(h->out);
	fclose(h->err);
	free(h->out_buf);
	free(h->err_buf);
}

static int line(struct harness *h, const char *text)
{
	return script_exec_line(&h->ctx, "t.mb", 1, text);
}

/* Every line that is rejected, and what it returns. */
static const struct {
	const char *text;
	int status;
} rejected[] = {
	{ "frobnicate", SCRIPT_BAD },
	{ "reserve 0x100000", SCRIPT_BAD },
	{ "reserve 0x100000 1Z", SCRIPT_BAD },
	{ "reserve 0x100000 0x10000000000000000", SCRIPT_BAD },
	{ "reserve 0x100000 4K junk", SCRIPT_BAD },
	{ "add 0 4K flags=WHAT", SCRIPT_BAD },
	{ "set profile 6.1", SCRIPT_BAD }, /* after the first operation */
	{ "expect phys_alloc 4K 4K = 5Q", SCRIPT_BAD },
	{ "expect reserved = [1-", SCRIPT_BAD },
	{ "show nothing", SCRIPT_BAD },
	{ "phys_alloc 64M 4K", SCRIPT_FAILED },
	{ "expect memory.cnt = 7", SCRIPT_FAILED },
	{ "expect reserved = empty", SCRIPT_FAILED },
	{ "alloc_exact_nid_raw 4K 4K 0 ACCESSIBLE 3", SCRIPT_FAILED },
};

/*
 *  memory    |-------- 16 MiB at 1 MiB --------|
 *  reserved       |4K|
 *  then every rejected line: memory, reserved and the struct unchanged
 */
static void test_rejected_lines_change_nothing(void **state)
{
	struct harness h;
	struct memblock before;
	struct memblock_region mem[2], res[2];

	(void)state;
	harness_init(&h);
	assert_int_equal(line(&h, "add 0x100000 16M"), SCRIPT_OK);
	assert_int_equal(line(&h, "reserve 0x200000 4K @setup_arch+0x10/0x20"), SCRIPT_OK);
	before = h.ctx.mb;
	memcpy(mem, h.ctx.mb.memory.regions, sizeof(mem));
	memcpy(res, h.ctx.mb.reserved.regions, sizeof(res));
	for (size_t i = 0; i < sizeof(rejected) / sizeof(rejected[0]); i++) {
		int st = line(&h, rejected[i].text);

		if (st != rejected[i].status)
			fail_msg("'%s': status %d, want %d", rejected[i].text, st,
				 rejected[i].status);
		assert_memory_equal(&before.memory, &h.ctx.mb.memory, sizeof(before.memory));
		assert_memory_equal(&before.reserved, &h.ctx.mb.reserved,
				    sizeof(before.reserved));
		assert_memory_equal(mem, h.ctx.mb.memory.regions, sizeof(mem));
		assert_memory_equal(res, h.ctx.mb.reserved.regions, sizeof(res));
	}
	harness_fini(&h);
}

/* The exact diagnostic text and the query output. */
static void test_messages(void **state)
{
	struct harness h;

	(void)state;
	harness_init(&h);
	assert_int_equal(line(&h, "add 0x1000 12Q"), SCRIPT_BAD);
	assert_int_equal(line(&h, "add 0x80000000 1G"), SCRIPT_OK);
	assert_int_equal(line(&h, "is_memory 0x80000000+4K"), SCRIPT_OK);
	assert_int_equal(line(&h, "expect last = true"), SCRIPT_OK);
	assert_int_equal(line(&h, "expect end_of_DRAM = 0xc0000000"), SCRIPT_OK);
	fflush(h.out);
	fflush(h.err);
	assert_string_equal(h.err_buf, "t.mb:1:12: error: bad number '12Q'\n");
	assert_string_equal(h.out_buf, "is_memory 0x80000000+4K = true\n");
	harness_fini(&h);
}

/* set before the first operation rebuilds the instance; debug is live. */
static void test_set(void **state)
{
	struct harness h;

	(void)state;
	harness_init(&h);
	assert_int_equal(line(&h, "set phys_bits 32"), SCRIPT_OK);
	assert_int_equal(h.ctx.mb.cfg.phys_bits, 32);
	assert_int_equal(line(&h, "set regions 8"), SCRIPT_OK);
	assert_int_equal(h.ctx.mb.memory.max, 8);
	assert_int_equal(line(&h, "add 0x100000000 4K"), SCRIPT_BAD); /* beyond 32 bits */
	assert_int_equal(line(&h, "add 0x1000 4K"), SCRIPT_OK);
	assert_int_equal(line(&h, "set nodes 4"), SCRIPT_BAD);
	assert_int_equal(line(&h, "set debug on"), SCRIPT_OK);
	assert_true(h.ctx.mb.debug);
	assert_int_equal(line(&h, "reset"), SCRIPT_OK);
	assert_int_equal(h.ctx.mb.memory.cnt, 0);
	assert_int_equal(line(&h, "set nodes 4"), SCRIPT_OK);
	assert_int_equal(h.ctx.mb.cfg.max_numnodes, 4);
	harness_fini(&h);
}

static void test_view_lookup(void **state)
{
	enum view_id v;

	(void)state;
	assert_int_equal(view_lookup("dump", NULL, &v), 0);
	assert_int_equal(v, VIEW_DUMP);
	assert_int_equal(view_lookup("debugfs", "physmem", &v), 0);
	assert_int_equal(v, VIEW_DEBUGFS_PHYSMEM);
	assert_int_equal(view_lookup("reserved", NULL, &v), 0);
	assert_int_equal(v, VIEW_DEBUGFS_RESERVED);
	assert_int_equal(view_lookup("debugfs", NULL, &v), -2);
	assert_int_equal(view_lookup("debugfs", "bogus", &v), -2);
	assert_int_equal(view_lookup("dump", "x", &v), -2);
	assert_int_equal(view_lookup("bogus", NULL, &v), -1);
	assert_string_equal(view_name(VIEW_DEBUGFS_MEMORY), "debugfs memory");
}

/* Every candidate for the end of @line, space-separated, or "FILES". */
static void candidates(const char *line, char *out, size_t len)
{
	size_t state = 0;
	const char *start = strrchr(line, ' ');
	int pos = start ? (int)(start - line) + 1 : 0;
	bool files;
	const char *c;

	out[0] = '\0';
	while ((c = script_complete(line, pos, &state, &files)))
		snprintf(out + strlen(out), len - strlen(out), "%s%s", out[0] ? " " : "", c);
	if (files)
		snprintf(out, len, "FILES");
}

static void test_complete(void **state)
{
	char got[512];

	(void)state;
	candidates("phys_alloc_r", got, sizeof(got));
	assert_string_equal(got, "phys_alloc_range");
	candidates("show d", got, sizeof(got));
	assert_string_equal(got, "dump debugfs");
	candidates("show debugfs r", got, sizeof(got));
	assert_string_equal(got, "reserved");
	candidates("set phys", got, sizeof(got));
	assert_string_equal(got, "phys_bits physmem");
	candidates("set profile linux-6", got, sizeof(got));
	assert_string_equal(got, "linux-6.12 linux-6.1");
	candidates("set numa o", got, sizeof(got));
	assert_string_equal(got, "on off");
	candidates("add 0 1M flags=NOM", got, sizeof(got));
	assert_string_equal(got, "flags=NOMAP");
	candidates("add 0 1M nid=0 ../exam", got, sizeof(got));
	assert_string_equal(got, "FILES");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_rejected_lines_change_nothing),
		cmocka_unit_test(test_messages),
		cmocka_unit_test(test_set),
		cmocka_unit_test(test_view_lookup),
		cmocka_unit_test(test_complete),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
