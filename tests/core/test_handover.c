// SPDX-License-Identifier: MIT
/*
 * test_handover.c - free_all's page blocks and reserved reports,
 * free_late, discard (spec 7).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "harness.h"

struct block {
	unsigned long pfn;
	unsigned int order;
};

static void expect_blocks(const struct harness *h, const struct block *want, int n)
{
	int i;

	for (i = 0; i < h->nfreed && h->nfreed != n; i++)
		printf("  freed pfn %#lx order %u\n", h->freed_pfn[i], h->freed_order[i]);
	assert_int_equal(h->nfreed, n);
	for (i = 0; i < n; i++) {
		assert_int_equal(h->freed_pfn[i], want[i].pfn);
		assert_int_equal(h->freed_order[i], want[i].order);
	}
}

/*
 *  memory    pfn 1 ........................................ 0x41
 *  reserved            |5|
 *  blocks    1 |2 3| 4     |6 7|8..15|16..31|32..63|64
 */
static void test_free_all_blocks(void **state)
{
	static const struct block want[] = { { 1, 0 },	{ 2, 1 },  { 4, 0 },  { 6, 1 },
					     { 8, 3 },	{ 16, 4 }, { 32, 5 }, { 64, 0 } };
	struct harness *h = h_new(8, 8);
	unsigned long pages = 0;

	(void)state;
	assert_int_equal(mb_add_node(&h->mb, 0x1000, 0x40000, 0, MB_FLAG_HOTPLUG), 0);
	assert_int_equal(mb_reserve(&h->mb, 0x5000, 0x1000), 0);
	assert_int_equal(mb_free_all(&h->mb, 1UL << 20, &pages), 0);
	assert_int_equal(pages, 63);
	expect_blocks(h, want, 8);
	/* hotplug cleared, reserved got the memory's node and was reported */
	assert_int_equal(h->mb.memory.regions[0].flags, 0);
	assert_int_equal(h->mb.reserved.regions[0].nid, 0);
	assert_int_equal(h->nrsv, 1);
	assert_int_equal(h->rsv_start[0], 0x5000);
	assert_int_equal(h->rsv_end[0], 0x6000);
	assert_int_equal(h->rsv_nid[0], 0);
	assert_int_equal(mb_free_all(&h->mb, 1UL << 20, &pages), -MB_ESTATE);
	h_free(h);
}

static void test_free_all_max_order_and_low_pfn(void **state)
{
	static const struct block want[] = { { 0, 10 }, { 1024, 10 } };
	struct harness *h = h_new(8, 8);
	unsigned long pages = 0;

	(void)state;
	assert_int_equal(mb_add(&h->mb, 0, 0x1000000), 0);
	assert_int_equal(mb_free_all(&h->mb, 2048, &pages), 0);
	assert_int_equal(pages, 2048);
	expect_blocks(h, want, 2);
	h_free(h);
}

static void test_reported_reserved(void **state)
{
	struct harness *h = h_new(8, 8);

	(void)state;
	assert_int_equal(mb_add_node(&h->mb, 0x100000, 0x100000, 1, 0), 0);
	assert_int_equal(mb_add_node(&h->mb, 0x300000, 0x100000, 2, 0), 0);
	assert_int_equal(mb_mark_nomap(&h->mb, 0x300000, 0x1000), 0);
	assert_int_equal(mb_reserve(&h->mb, 0x110000, 0x1000), 0);
	assert_int_equal(mb_reserve(&h->mb, 0x120000, 0x1000), 0);
	assert_int_equal(mb_reserved_mark_noinit(&h->mb, 0x120000, 0x1000), 0);
	assert_int_equal(mb_reserve(&h->mb, 0x500000, 0x1000), 0); /* outside memory */
	assert_int_equal(mb_free_all(&h->mb, ~0UL, NULL), 0);
	/* NOMAP memory first, then reserved (not NOINIT); outside memory: node 0 */
	assert_int_equal(h->nrsv, 3);
	assert_int_equal(h->rsv_start[0], 0x300000);
	assert_int_equal(h->rsv_nid[0], 2);
	assert_int_equal(h->rsv_start[1], 0x110000);
	assert_int_equal(h->rsv_nid[1], 1);
	assert_int_equal(h->rsv_start[2], 0x500000);
	assert_int_equal(h->rsv_nid[2], 0);
	h_free(h);
}

/* early_pfn_to_nid() looks at the page holding the region start. */
static void test_reserved_node_by_page(void **state)
{
	struct harness *h = h_new(8, 8);

	(void)state;
	assert_int_equal(mb_add_node(&h->mb, 0x100000, 0x800, 3, 0), 0);
	assert_int_equal(mb_add(&h->mb, 0x200000, 0x100000), 0);
	assert_int_equal(mb_reserve(&h->mb, 0x100800, 0x10), 0);
	assert_int_equal(mb_free_all(&h->mb, 0xfffff, NULL), 0);
	assert_int_equal(h->nrsv, 1);
	assert_int_equal(h->rsv_start[0], 0x100800);
	assert_int_equal(h->rsv_nid[0], 3);
	h_free(h);
}

static void test_free_late_and_discard(void **state)
{
	struct harness *h = h_new(2, 2);
	mb_phys_addr_t res_array;

	(void)state;
	h_ram(h, 0x100000, 0x100000);
	mb_allow_resize(&h->mb);
	assert_int_equal(mb_add(&h->mb, 0x100000, 0x100000), 0);
	assert_int_equal(mb_reserve(&h->mb, 0x110000, 0x1000), 0);
	assert_int_equal(mb_reserve(&h->mb, 0x120000, 0x1000), 0);
	assert_int_equal(mb_free_late(&h->mb, 0x110000, 0x1000), -MB_ESTATE);
	assert_int_equal(mb_reserve(&h->mb, 0x130000, 0x1000), 0); /* doubles reserved */
	assert_true(h->mb.reserved_in_managed);
	res_array = 0x100000 + (mb_phys_addr_t)((unsigned char *)h->mb.reserved.regions - h->ram);
	assert_int_equal(res_array, 0x1ff000);
	assert_int_equal(mb_free_all(&h->mb, ~0UL, NULL), 0);
	h->nfreed = 0;
	h_clear_lines(h);
	mb_set_caller(&h->mb, "free_initmem+0x10/0x20");
	assert_int_equal(mb_free_late(&h->mb, 0x110800, 0x2000), 0);
	assert_int_equal(h->nfreed, 1);
	assert_int_equal(h->freed_pfn[0], 0x111);
	assert_int_equal(h->freed_order[0], 0);
	assert_string_equal(h->lines[0].text, h_w("memblock_free_late: [0x0000000000110800-0x00000000001127ff] free_initmem+0x10/0x20"));
	h->nfreed = 0;
	/*
	 * free_all's clear_hotplug and set_node isolate with a full array
	 * (memory 1 of 2, reserved 4 of 4), so both arrays doubled again:
	 * discard hands back the current reserved array, then memory's.
	 */
	assert_true(h->mb.memory_in_managed);
	assert_int_equal(mb_discard(&h->mb), 0);
	assert_int_equal(h->nfreed, 2);
	printf("discard freed pfn %#lx and %#lx\n", h->freed_pfn[0], h->freed_pfn[1]);
	assert_int_equal(h->freed_pfn[0], 0x1fd);
	assert_int_equal(h->freed_pfn[1], 0x1fe);
	assert_false(h->mb.reserved_in_managed);
	assert_false(h->mb.memory_in_managed);
	h_free(h);
}

/* phys_to_virt of the harness that answers NULL from call p2v_fail_at on. */
static int p2v_calls, p2v_fail_at;

static void *p2v_limited(void *ctx, mb_phys_addr_t phys, mb_phys_addr_t size)
{
	struct harness *h = ctx;

	if (++p2v_calls >= p2v_fail_at && p2v_fail_at)
		return NULL;
	if (phys < h->ram_base || size > h->ram_size || phys - h->ram_base > h->ram_size - size)
		return NULL;
	return h->ram + (phys - h->ram_base);
}

static void limited_p2v(struct mb_config *cfg)
{
	cfg->ops.phys_to_virt = p2v_limited;
}

/* Everything a failing call must leave as it was: the instance but its
 * counters, and the contents of both arrays. */
struct frozen {
	struct memblock mb;
	struct memblock_region mem[8], res[8];
};

static void freeze(const struct harness *h, struct frozen *f)
{
	memcpy(&f->mb, &h->mb, sizeof(f->mb));
	memcpy(f->mem, h->mb.memory.regions, h->mb.memory.max * sizeof(f->mem[0]));
	memcpy(f->res, h->mb.reserved.regions, h->mb.reserved.max * sizeof(f->res[0]));
}

static void assert_frozen(const struct harness *h, const struct frozen *f)
{
	struct memblock now = h->mb;

	now.stats = f->mb.stats;
	assert_memory_equal(&now, &f->mb, sizeof(now));
	assert_memory_equal(f->mem, h->mb.memory.regions, h->mb.memory.max * sizeof(f->mem[0]));
	assert_memory_equal(f->res, h->mb.reserved.regions,
			    h->mb.reserved.max * sizeof(f->res[0]));
}

/*
 * clear_hotplug's isolation doubles memory (1 of 2), then reserving the
 * new array needs reserved (2 of 2) to double, and that finds no mapping.
 * Linux BUG()s there; free_all must fail and change nothing, then work
 * once memory can be mapped again.
 */
static void test_free_all_half_done_doubling(void **state)
{
	struct harness *h = h_new_cfg(2, 2, limited_p2v);
	unsigned long pages = 7;
	struct frozen f;

	(void)state;
	h->ram_base = 0;
	h->ram_size = 0x100000;
	h->ram = calloc(1, 0x100000);
	assert_non_null(h->ram);
	mb_allow_resize(&h->mb);
	assert_int_equal(mb_add(&h->mb, 0, 0x100000), 0);
	assert_int_equal(mb_reserve(&h->mb, 0x10000, 0x1000), 0);
	assert_int_equal(mb_reserve(&h->mb, 0x20000, 0x1000), 0);
	freeze(h, &f);
	p2v_calls = 0;
	p2v_fail_at = 2;
	assert_int_equal(mb_free_all(&h->mb, ~0UL, &pages), -MB_ENOMEM);
	assert_int_equal(p2v_calls, 2);
	assert_int_equal(pages, 0);
	assert_int_equal(h->nfreed, 0);
	assert_int_equal(h->nrsv, 0);
	assert_frozen(h, &f);
	p2v_fail_at = 0;
	assert_int_equal(mb_free_all(&h->mb, ~0UL, &pages), 0);
	assert_true(h->mb.handed_over);
	/* 256 pages less the two reserved ones and the two new array pages */
	assert_int_equal(pages, 252);
	assert_int_equal(mb_check(&h->mb, NULL, 0), 0);
	h_free(h);
}

/* A doubling that finds no room at all writes nothing: Linux carries on. */
static void test_free_all_ignores_clean_failure(void **state)
{
	struct harness *h = h_new_cfg(2, 2, limited_p2v);
	unsigned long pages = 0;

	(void)state;
	h->ram_base = 0;
	h->ram_size = 0x100000;
	h->ram = calloc(1, 0x100000);
	assert_non_null(h->ram);
	mb_allow_resize(&h->mb);
	assert_int_equal(mb_add_node(&h->mb, 0, 0x100000, 0, MB_FLAG_HOTPLUG), 0);
	assert_int_equal(mb_reserve(&h->mb, 0x10000, 0x1000), 0);
	p2v_calls = 0;
	p2v_fail_at = 1;
	assert_int_equal(mb_free_all(&h->mb, ~0UL, &pages), 0);
	/* the flag stays (clear_hotplug could not isolate) but is freed anyway */
	assert_int_equal(h->mb.memory.regions[0].flags, MB_FLAG_HOTPLUG);
	assert_int_equal(pages, 255);
	h_free(h);
}

/* One page below the top of the address space, as Linux's PFN_UP wraps. */
#define TOP_BASE (MB_PHYS_ADDR_MAX - 0xffe)
#define TOP_PAGES ((unsigned long)(MB_PHYS_ADDR_MAX >> 12))

static void budget(struct mb_config *cfg)
{
	cfg->max_pages = 0x1000;
}

static void test_free_all_top_page_budget(void **state)
{
	/* the range at 1 MiB, then the top one, its start wrapped to pfn 0 */
	static const struct block top_blocks[] = { { 0x100, 8 }, { 0, 9 }, { 0x200, 8 } };
	struct harness *h = h_new_cfg(8, 8, budget);
	unsigned long pages = 7;
	struct frozen f;

	(void)state;
	assert_int_equal(mb_add(&h->mb, 0x100000, 0x100000), 0);
	assert_int_equal(mb_add(&h->mb, TOP_BASE, 0xffe), 0);
	assert_int_equal(mb_mark_hotplug(&h->mb, 0x100000, 0x1000), 0);
	freeze(h, &f);
	assert_int_equal(mb_free_all(&h->mb, ~0UL, &pages), -MB_EBUDGET);
	assert_int_equal(pages, 0);
	assert_int_equal(h->nfreed, 0);
	assert_int_equal(h->nrsv, 0);
	assert_frozen(h, &f);
	/* below max_low_pfn 0x300 only pfns 0..0x2ff of the wrapped range count */
	assert_int_equal(mb_free_all(&h->mb, 0x300, &pages), 0);
	assert_int_equal(pages, 0x300 + 0x100);
	expect_blocks(h, top_blocks, 3);
	h_free(h);
}

static bool stop_at_first_report(void *ctx, unsigned long done, unsigned long total)
{
	(void)ctx;
	assert_int_equal(done, MB_PROGRESS_PAGES);
	assert_int_equal(total, TOP_PAGES);
	return false;
}

static void test_free_late_top_page(void **state)
{
	struct harness *h = h_new_cfg(8, 8, budget);

	(void)state;
	assert_int_equal(mb_add(&h->mb, 0x100000, 0x100000), 0);
	assert_int_equal(mb_free_all(&h->mb, ~0UL, NULL), 0);
	h->nfreed = 0;
	h_clear_lines(h);
	assert_int_equal(mb_free_late(&h->mb, TOP_BASE, 0xffe), -MB_EBUDGET);
	assert_int_equal(h->nfreed, 0);
	assert_int_equal(h->nlines, 0);
	/* no budget: the progress hook is the way out */
	h->mb.cfg.max_pages = 0;
	h->mb.cfg.ops.progress = stop_at_first_report;
	assert_int_equal(mb_free_late(&h->mb, TOP_BASE, 0xffe), -MB_EINTR);
	assert_int_equal(h->nfreed, H_MAX_LINES);
	assert_int_equal(h->freed_pfn[0], 0);
	assert_int_equal(h->freed_pfn[1], 1);
	h_free(h);
}

static bool stop_now(void *ctx, unsigned long done, unsigned long total)
{
	(void)ctx;
	(void)done;
	(void)total;
	return false;
}

static void stop_hook(struct mb_config *cfg)
{
	cfg->ops.progress = stop_now;
}

/* A stop at the first progress report: EINTR and memblock as it was. */
static void test_free_all_stop(void **state)
{
	struct harness *h = h_new_cfg(8, 8, stop_hook);
	unsigned long pages = 7;
	struct frozen f;

	(void)state;
	assert_int_equal(mb_add(&h->mb, 0, 0x80000000), 0); /* 2 progress reports' worth */
	assert_int_equal(mb_mark_hotplug(&h->mb, 0, 0x1000), 0);
	assert_int_equal(mb_reserve(&h->mb, 0x10000, 0x1000), 0);
	freeze(h, &f);
	assert_int_equal(mb_free_all(&h->mb, ~0UL, &pages), -MB_EINTR);
	assert_int_equal(pages, 0);
	assert_true(h->nfreed > 0); /* pages already passed on stay passed */
	assert_frozen(h, &f);
	assert_int_equal(h->mb.stats.inexact_rollbacks, 0);
	h_free(h);
}

/*
 * Clearing 70 hotplug flags writes more than the journal holds: a stop
 * could not be undone exactly, so the handover ignores it and finishes.
 */
static void test_free_all_stop_after_long_prepare(void **state)
{
	struct harness *h = h_new_cfg(H_MAX_REGIONS, 8, stop_hook);
	unsigned long pages = 0, i;

	(void)state;
	for (i = 0; i < 70; i++)
		assert_int_equal(mb_add_node(&h->mb, i * 0x2000, 0x1000, 0, MB_FLAG_HOTPLUG), 0);
	assert_int_equal(mb_add(&h->mb, 0x40000000, 0x80000000), 0);
	assert_int_equal(mb_free_all(&h->mb, ~0UL, &pages), 0);
	assert_true(h->mb.handed_over);
	assert_int_equal(pages, 70 + 0x80000);
	for (i = 0; i < 70; i++)
		assert_int_equal(h->mb.memory.regions[i].flags, MB_FLAG_NONE);
	assert_int_equal(h->mb.stats.inexact_rollbacks, 0);
	assert_int_equal(mb_check(&h->mb, NULL, 0), 0);
	h_free(h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_free_all_blocks),
		cmocka_unit_test(test_free_all_max_order_and_low_pfn),
		cmocka_unit_test(test_reported_reserved),
		cmocka_unit_test(test_reserved_node_by_page),
		cmocka_unit_test(test_free_late_and_discard),
		cmocka_unit_test(test_free_all_half_done_doubling),
		cmocka_unit_test(test_free_all_ignores_clean_failure),
		cmocka_unit_test(test_free_all_top_page_budget),
		cmocka_unit_test(test_free_late_top_page),
		cmocka_unit_test(test_free_all_stop),
		cmocka_unit_test(test_free_all_stop_after_long_prepare),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
