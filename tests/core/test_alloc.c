// SPDX-License-Identifier: MIT
/*
 * test_alloc.c - the allocator (spec 6): top-down / bottom-up, limits,
 * alignment, nid and exact_nid, current_limit, page 0, size 0, mirror
 * fallback message, the virtual family's min_addr retry, reserve_mem.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "harness.h"

/*
 *  memory   |------- n0 -------|------- n1 -------|
 *           0x100000       0x300000           0x500000
 *  reserved                                  |-R-|  0x480000-0x500000
 */
static struct harness *two_nodes(void)
{
	struct harness *h = h_new(128, 128);

	assert_int_equal(mb_add_node(&h->mb, 0x100000, 0x200000, 0, 0), 0);
	assert_int_equal(mb_add_node(&h->mb, 0x300000, 0x200000, 1, 0), 0);
	assert_int_equal(mb_reserve(&h->mb, 0x480000, 0x80000), 0);
	return h;
}

struct alloc_row {
	const char *name;
	bool bottom_up;
	mb_phys_addr_t limit; /* current_limit, 0 = leave */
	mb_phys_addr_t size, align, start, end;
	int nid;
	bool exact;
	int rc;
	mb_phys_addr_t want;
};

#define ACC MB_ALLOC_ACCESSIBLE

static const struct alloc_row rows[] = {
	{ "top-down takes the highest fit", false, 0, 0x1000, 0x1000, 0, ACC, -1, false, 0,
	  0x47f000 },
	{ "bottom-up takes the lowest fit", true, 0, 0x1000, 0x1000, 0, ACC, -1, false, 0,
	  0x100000 },
	{ "end limits top-down", false, 0, 0x1000, 0x1000, 0, 0x200000, -1, false, 0, 0x1ff000 },
	{ "start limits bottom-up", true, 0, 0x1000, 0x1000, 0x250000, ACC, -1, false, 0,
	  0x250000 },
	{ "alignment rounds the candidate down", false, 0, 0x1000, 0x100000, 0, ACC, -1, false,
	  0, 0x400000 },
	{ "alignment rounds the candidate up", true, 0, 0x1000, 0x100000, 0x100001, ACC, -1,
	  false, 0, 0x200000 },
	{ "node 0 only", false, 0, 0x1000, 0x1000, 0, ACC, 0, false, 0, 0x2ff000 },
	{ "node 1 too small: falls back to any node", false, 0, 0x1c0000, 0x1000, 0, ACC, 1,
	  false, 0, 0x140000 },
	{ "node 1 too small and exact: fails", false, 0, 0x1c0000, 0x1000, 0, ACC, 1, true,
	  -MB_ENOMEM, 0 },
	{ "current_limit caps ACCESSIBLE", false, 0x200000, 0x1000, 0x1000, 0, ACC, -1, false, 0,
	  0x1ff000 },
	{ "ANYWHERE ignores nothing but memory", false, 0, 0x1000, 0x1000, 0,
	  MB_ALLOC_ANYWHERE, -1, false, 0, 0x47f000 },
	{ "align 0 means SMP_CACHE_BYTES", false, 0, 0x10, 0, 0, ACC, -1, false, 0, 0x47ffc0 },
	{ "too big", false, 0, 0x400000, 0x1000, 0, ACC, -1, false, -MB_ENOMEM, 0 },
	{ "align 3 rounds down by masks, as Linux", false, 0, 0x42, 0x3, 0, ACC, -1, false, 0,
	  0x47ffbc },
	{ "align 0x3000 rounds up by masks, as Linux", true, 0, 0x1000, 0x3000, 0x101001, ACC,
	  -1, false, 0, 0x104000 },
};

static void test_alloc_rows(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const struct alloc_row *r = &rows[i];
		struct harness *h = two_nodes();
		mb_phys_addr_t got = 1, res_before = h->mb.reserved.total_size;

		printf("row: %s\n", r->name);
		mb_set_bottom_up(&h->mb, r->bottom_up);
		if (r->limit)
			mb_set_current_limit(&h->mb, r->limit);
		assert_int_equal(mb_alloc_range_nid(&h->mb, r->size, r->align, r->start, r->end,
						    r->nid, r->exact, &got),
				 r->rc);
		assert_int_equal(got, r->want);
		if (!r->rc) {
			assert_true(mb_is_reserved(&h->mb, got));
			assert_int_equal(h->mb.reserved.total_size, res_before + r->size);
		} else {
			assert_int_equal(h->mb.reserved.total_size, res_before);
		}
		assert_int_equal(mb_check(&h->mb, NULL, 0), 0);
		h_free(h);
	}
}

static void test_page_zero_never(void **state)
{
	struct harness *h = h_new(8, 8);
	mb_phys_addr_t got;

	(void)state;
	assert_int_equal(mb_add(&h->mb, 0, 0x10000), 0);
	mb_set_bottom_up(&h->mb, true);
	assert_int_equal(mb_phys_alloc(&h->mb, 0x100, 0x100, &got), 0);
	assert_int_equal(got, 0x1000);
	h_free(h);
}

static void test_size_zero(void **state)
{
	struct harness *h = h_new(8, 8);
	mb_phys_addr_t got = 0;

	(void)state;
	assert_int_equal(mb_add(&h->mb, 0x100000, 0x100000), 0);
	assert_int_equal(mb_phys_alloc(&h->mb, 0, 0x1000, &got), 0);
	assert_int_equal(got, 0x200000);
	assert_int_equal(h->mb.reserved.cnt, 0);
	h_free(h);
}

static void mirror_on(struct mb_config *cfg)
{
	cfg->mirrored_kernelcore = true;
}

static void test_mirror_fallback(void **state)
{
	struct harness *h = h_new_cfg(8, 8, mirror_on);
	mb_phys_addr_t got = 0;

	(void)state;
	assert_int_equal(mb_add(&h->mb, 0x100000, 0x400000), 0);
	assert_int_equal(mb_mark_mirror(&h->mb, 0x400000, 0x1000), 0);
	assert_true(h->mb.system_has_mirror);
	/* fits in the mirror: no warning */
	h_clear_lines(h);
	assert_int_equal(mb_phys_alloc(&h->mb, 0x800, 0x800, &got), 0);
	assert_int_equal(got, 0x400800);
	assert_int_equal(h_find_line(h, h_w("Could not allocate 0x0000000000000800 bytes of mirrored memory")), -1);
	/* seed 001: 0x2000 do not fit in the mirror */
	h_clear_lines(h);
	assert_int_equal(mb_phys_alloc(&h->mb, 0x2000, 0x1000, &got), 0);
	assert_int_equal(got, 0x4fe000);
	assert_int_not_equal(
		h_find_line(h, h_w("Could not allocate 0x0000000000002000 bytes of mirrored memory")), -1);
	assert_int_equal(h->mb.stats.mirror_fallbacks, 1);
	h_free(h);
}

static void test_mark_mirror_needs_kernelcore(void **state)
{
	struct harness *h = h_new(8, 8);

	(void)state;
	assert_int_equal(mb_add(&h->mb, 0x100000, 0x400000), 0);
	assert_int_equal(mb_mark_mirror(&h->mb, 0x400000, 0x1000), 0);
	assert_false(h->mb.system_has_mirror);
	assert_int_equal(h->mb.memory.regions[0].flags, 0);
	h_free(h);
}

static void test_virtual_family(void **state)
{
	struct harness *h = h_new(8, 8);
	mb_phys_addr_t phys = 0;
	void *ptr = NULL;
	unsigned char *p;

	(void)state;
	h_ram(h, 0x100000, 0x100000);
	assert_int_equal(mb_add(&h->mb, 0x100000, 0x100000), 0);
	memset(h->ram, 0xaa, 0x100000);
	mb_set_caller(&h->mb, "caller+0x1/0x2");
	h_clear_lines(h);
	assert_int_equal(mb_alloc(&h->mb, 0x100, 0x40, &ptr, &phys), 0);
	assert_int_equal(phys, 0x1fff00);
	assert_ptr_equal(ptr, h->ram + 0xfff00);
	p = ptr;
	assert_int_equal(p[0], 0);
	assert_int_equal(p[0xff], 0);
	assert_string_equal(h->lines[0].text,
			    h_w("memblock_alloc_try_nid: 256 bytes align=0x40 nid=-1 from=0x0000000000000000 max_addr=0x0000000000000000 caller+0x1/0x2"));
	assert_string_equal(h->lines[1].text, h_w("memblock_reserve: [0x00000000001fff00-0x00000000001fffff] memblock_alloc_range_nid"));
	/* raw: not zeroed */
	assert_int_equal(mb_alloc_raw(&h->mb, 0x100, 0x40, &ptr, &phys), 0);
	assert_int_equal(phys, 0x1ffe00);
	assert_int_equal(((unsigned char *)ptr)[0], 0xaa);
	/* min_addr above everything free: retried from 0 */
	assert_int_equal(mb_alloc_from(&h->mb, 0x100, 0x40, 0x300000, &ptr, &phys), 0);
	assert_int_equal(phys, 0x1ffd00);
	/* mb_free gives it back */
	assert_int_equal(mb_free(&h->mb, ptr, 0x100), 0);
	assert_false(mb_is_reserved(&h->mb, 0x1ffd00));
	assert_int_equal(mb_alloc_low(&h->mb, 0x100, 0x40, &ptr, &phys), 0);
	assert_int_equal(phys, 0x1ffd00);
	h_free(h);
}

static void test_reserve_mem(void **state)
{
	struct harness *h = h_new(8, 8);
	mb_phys_addr_t start = 0, size = 0;

	(void)state;
	assert_int_equal(mb_add(&h->mb, 0x100000, 0x100000), 0);
	assert_int_equal(mb_reserve_mem(&h->mb, 0x1000, 0, "trace"), 0);
	assert_int_equal(mb_reserve_mem_find(&h->mb, "trace", &start, &size), 0);
	assert_int_equal(start, 0x1ff000);
	assert_int_equal(size, 0x1000);
	assert_int_equal(mb_reserve_mem(&h->mb, 0x1000, 0, "trace"), -MB_EEXIST);
	assert_int_equal(mb_reserve_mem(&h->mb, 0x1000, 0, "   "), -MB_EINVAL);
	assert_int_equal(mb_reserve_mem(&h->mb, 0x1000, 0, "0123456789abcdef"), -MB_EINVAL);
	assert_int_equal(mb_reserve_mem(&h->mb, 0, 0, "zero"), -MB_EINVAL);
	assert_int_equal(mb_reserve_mem(&h->mb, 0x200000, 0, "big"), -MB_ENOMEM);
	assert_int_equal(mb_reserve_mem_find(&h->mb, "big", &start, &size), -MB_ENOENT);
	h_free(h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_alloc_rows),
		cmocka_unit_test(test_page_zero_never),
		cmocka_unit_test(test_size_zero),
		cmocka_unit_test(test_mirror_fallback),
		cmocka_unit_test(test_mark_mirror_needs_kernelcore),
		cmocka_unit_test(test_virtual_family),
		cmocka_unit_test(test_reserve_mem),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
