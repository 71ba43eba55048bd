// SPDX-License-Identifier: MIT
/*
 * test_handover.c - free_all's page blocks and reserved reports,
 * free_late, discard (spec 7).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_free_all_blocks),
		cmocka_unit_test(test_free_all_max_order_and_low_pfn),
		cmocka_unit_test(test_reported_reserved),
		cmocka_unit_test(test_reserved_node_by_page),
		cmocka_unit_test(test_free_late_and_discard),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
