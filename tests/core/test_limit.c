// SPDX-License-Identifier: MIT
/*
 * test_limit.c - trim_memory, enforce_memory_limit, cap_memory_range,
 * mem_limit_remove_map (spec 7).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "harness.h"

#define MAXN 64

static void test_trim(void **state)
{
	/*  memory   |.A.....|      |B.|        |C|      (unaligned edges)
	 *  trim 0x1000
	 *  result    |-A'-|                               B and C vanish  */
	static const struct h_rgn want[] = { { 0x2000, 0x3000, 0, MAXN } };
	struct harness *h = h_new(8, 8);

	(void)state;
	assert_int_equal(mb_add(&h->mb, 0x1100, 0x4e00), 0);
	assert_int_equal(mb_add(&h->mb, 0x10000, 0x800), 0);
	assert_int_equal(mb_add(&h->mb, 0x20000, 0x100), 0);
	assert_int_equal(mb_trim_memory(&h->mb, 0x1000), 0);
	h_assert_regions(&h->mb.memory, want, 1);
	/* Linux leaves total_size stale for shrunk regions (spec 7). */
	assert_int_equal(h->mb.memory.total_size, 0x4e00);
	assert_int_equal(mb_check(&h->mb, NULL, 0), 0);
	/* not a power of two: rounded by masks, as Linux's round_up/round_down */
	assert_int_equal(mb_trim_memory(&h->mb, 0x3000), 0);
	assert_int_equal(h->mb.memory.cnt, 1);
	assert_int_equal(h->mb.memory.regions[0].base, 0x4000);
	assert_int_equal(h->mb.memory.regions[0].size, 0x1000);
	/* align 0 removes everything, as Linux */
	assert_int_equal(mb_trim_memory(&h->mb, 0), 0);
	assert_int_equal(h->mb.memory.cnt, 0);
	h_free(h);
}

static void test_trim_wrap_refused(void **state)
{
	struct harness *h = h_new(8, 8);
	struct memblock before;

	(void)state;
	assert_int_equal(mb_add(&h->mb, 0x1100, 0x1000), 0);
	assert_int_equal(mb_add(&h->mb, 0xfffffffffffff100ULL, 0x100), 0);
	memcpy(&before, &h->mb, sizeof(before));
	assert_int_equal(mb_trim_memory(&h->mb, 0x1000), -MB_ERANGE);
	assert_memory_equal(&before, &h->mb, sizeof(before));
	assert_int_equal(h->mb.memory.regions[0].base, 0x1100);
	h_free(h);
}

/*  memory   |----A----|    |----B----|
 *           1M       2M    3M       4M
 *  reserved      |r1|           |r2|                                  */
static struct harness *two_banks(void)
{
	struct harness *h = h_new(8, 8);

	assert_int_equal(mb_add(&h->mb, 0x100000, 0x100000), 0);
	assert_int_equal(mb_add(&h->mb, 0x300000, 0x100000), 0);
	assert_int_equal(mb_reserve(&h->mb, 0x180000, 0x1000), 0);
	assert_int_equal(mb_reserve(&h->mb, 0x380000, 0x1000), 0);
	return h;
}

static void test_enforce_memory_limit(void **state)
{
	/*  limit 1.5M: the first 1.5M of memory end at 3.5M */
	static const struct h_rgn mem[] = { { 0x100000, 0x100000, 0, MAXN },
					    { 0x300000, 0x80000, 0, MAXN } };
	static const struct h_rgn res[] = { { 0x180000, 0x1000, 0, MAXN } };
	struct harness *h = two_banks();

	(void)state;
	assert_int_equal(mb_enforce_memory_limit(&h->mb, 0), 0);
	assert_int_equal(mb_enforce_memory_limit(&h->mb, 0x300000), 0);
	assert_int_equal(h->mb.memory.cnt, 2);
	assert_int_equal(mb_enforce_memory_limit(&h->mb, 0x180000), 0);
	h_assert_regions(&h->mb.memory, mem, 2);
	h_assert_regions(&h->mb.reserved, res, 1);
	h_free(h);
}

static void test_cap_memory_range(void **state)
{
	/*  memory  |N|--A--|         |----B----|       N = NOMAP
	 *  cap          [1.3M ................ 3.3M)
	 *  result  |N|  |A'|         |-B'-|             NOMAP outside stays */
	static const struct h_rgn mem[] = { { 0x100000, 0x10000, MB_FLAG_NOMAP, MAXN },
					    { 0x150000, 0xb0000, 0, MAXN },
					    { 0x300000, 0x50000, 0, MAXN } };
	static const struct h_rgn res[] = { { 0x180000, 0x1000, 0, MAXN } };
	struct harness *h = two_banks();

	(void)state;
	assert_int_equal(mb_mark_nomap(&h->mb, 0x100000, 0x10000), 0);
	assert_int_equal(mb_cap_memory_range(&h->mb, 0x150000, 0x200000), 0);
	h_assert_regions(&h->mb.memory, mem, 3);
	h_assert_regions(&h->mb.reserved, res, 1);
	h_free(h);

	h = h_new(8, 8);
	assert_int_equal(mb_cap_memory_range(&h->mb, 0, 0x1000), 0);
	assert_int_not_equal(h_find_line(h, "memblock_cap_memory_range: No memory registered yet"), -1);
	h_free(h);
}

/*  memory  |------------- N (NOMAP) -------------|
 *  cap            [-------)
 *  result  |--N--|---N---|---------N-----------|   split, never merged (Linux) */
static void test_cap_nomap_stays_split(void **state)
{
	static const struct h_rgn mem[] = { { 0x1000, 0x1000, MB_FLAG_NOMAP, MAXN },
					    { 0x2000, 0x1000, MB_FLAG_NOMAP, MAXN },
					    { 0x3000, 0xd000, MB_FLAG_NOMAP, MAXN } };
	struct harness *h = h_new(8, 8);

	(void)state;
	assert_int_equal(mb_add(&h->mb, 0x1000, 0xf000), 0);
	assert_int_equal(mb_mark_nomap(&h->mb, 0x1000, 0xf000), 0);
	assert_int_equal(mb_cap_memory_range(&h->mb, 0x2000, 0x1000), 0);
	h_assert_regions(&h->mb.memory, mem, 3);
	assert_int_equal(mb_check(&h->mb, NULL, 0), 0);
	h_free(h);
}

static void test_mem_limit_remove_map(void **state)
{
	static const struct h_rgn mem[] = { { 0x100000, 0x100000, 0, MAXN },
					    { 0x300000, 0x80000, 0, MAXN } };
	static const struct h_rgn res[] = { { 0x180000, 0x1000, 0, MAXN } };
	struct harness *h = two_banks();

	(void)state;
	assert_int_equal(mb_mem_limit_remove_map(&h->mb, 0x180000), 0);
	h_assert_regions(&h->mb.memory, mem, 2);
	h_assert_regions(&h->mb.reserved, res, 1);
	h_free(h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_trim),
		cmocka_unit_test(test_trim_wrap_refused),
		cmocka_unit_test(test_enforce_memory_limit),
		cmocka_unit_test(test_cap_memory_range),
		cmocka_unit_test(test_cap_nomap_stays_split),
		cmocka_unit_test(test_mem_limit_remove_map),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
