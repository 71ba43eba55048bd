// SPDX-License-Identifier: MIT
/*
 * test_grow.c - array doubling (spec 4): Linux's placement and messages,
 * the callback and fixed policies, and the all-or-nothing rule: a failed
 * call leaves the instance byte for byte as it was.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "harness.h"

struct snapshot {
	struct memblock mb;
	struct memblock_region *arrays[3];
	struct memblock_region *copies[3];
	unsigned long max[3];
};

static struct memblock_type *type_n(struct memblock *mb, int n)
{
	return n == 0 ? &mb->memory : n == 1 ? &mb->reserved : &mb->physmem;
}

static void snap_take(struct snapshot *s, struct memblock *mb)
{
	int n;

	memcpy(&s->mb, mb, sizeof(*mb));
	for (n = 0; n < 3; n++) {
		struct memblock_type *t = type_n(mb, n);

		s->arrays[n] = t->regions;
		s->max[n] = t->max;
		s->copies[n] = NULL;
		if (!t->regions)
			continue;
		s->copies[n] = malloc(t->max * sizeof(*t->regions));
		memcpy(s->copies[n], t->regions, t->max * sizeof(*t->regions));
	}
}

/* The instance equals the snapshot: struct and regions[0..max). */
static void snap_check(struct snapshot *s, struct memblock *mb)
{
	int n;

	/* The event counters are the one part a failed call may change. */
	s->mb.stats = mb->stats;
	assert_memory_equal(&s->mb, mb, sizeof(*mb));
	for (n = 0; n < 3; n++) {
		struct memblock_type *t = type_n(mb, n);

		assert_ptr_equal(t->regions, s->arrays[n]);
		if (t->regions)
			assert_memory_equal(t->regions, s->copies[n], s->max[n] * sizeof(*t->regions));
		free(s->copies[n]);
	}
}

#define RAM_BASE 0x1000000ULL
#define RAM_SIZE 0x4000000ULL

/* Reserve @n one-page regions with gaps, starting at RAM_BASE. */
static void reserve_pages(struct harness *h, int first, int n)
{
	int i;

	for (i = first; i < first + n; i++)
		assert_int_equal(mb_reserve(&h->mb, RAM_BASE + (mb_phys_addr_t)i * 0x2000, 0x1000), 0);
}

static void test_linux_doubling_messages(void **state)
{
	struct harness *h;

	(void)state;
	if (sizeof(struct memblock_region) != 24)
		skip(); /* 24-byte regions; test_phys32 covers 16-byte ones */
	h = h_new(128, 128);
	h_ram(h, RAM_BASE, RAM_SIZE);
	mb_allow_resize(&h->mb);
	mb_set_caller(&h->mb, "test");
	assert_int_equal(mb_add(&h->mb, RAM_BASE, RAM_SIZE), 0);
	reserve_pages(h, 0, 128);
	assert_ptr_equal(h->mb.reserved.regions, h->res);
	h_clear_lines(h);
	/*  128 -> 256: 6144 bytes, page-aligned 0x2000, top of memory */
	reserve_pages(h, 128, 1);
	assert_int_equal(h->nlines, 3);
	assert_string_equal(h->lines[0].text, h_w("memblock_reserve: [0x0000000001100000-0x0000000001100fff] test"));
	assert_string_equal(h->lines[1].text, "memblock: reserved is doubled to 256 at "
					      "[0x0000000004ffe000-0x0000000004fff7ff]");
	assert_string_equal(h->lines[2].text, "memblock_reserve: [0x0000000004ffe000-"
					      "0x0000000004ffffff] memblock_double_array");
	assert_int_equal(h->mb.reserved.max, 256);
	assert_int_equal(h->mb.reserved.cnt, 130);
	assert_true(h->mb.reserved_in_managed);

	/*  256 -> 512: 12288 bytes = 0x3000; the old array is freed first */
	reserve_pages(h, 129, 126);
	assert_int_equal(h->mb.reserved.cnt, 256);
	h_clear_lines(h);
	reserve_pages(h, 255, 1);
	assert_int_equal(h->nlines, 4);
	assert_string_equal(h->lines[1].text, "memblock: reserved is doubled to 512 at "
					      "[0x0000000004ffb000-0x0000000004ffdfff]");
	assert_string_equal(h->lines[2].text, "memblock_phys_free: [0x0000000004ffe000-"
					      "0x0000000004ffffff] memblock_double_array");
	assert_string_equal(h->lines[3].text, "memblock_reserve: [0x0000000004ffb000-"
					      "0x0000000004ffdfff] memblock_double_array");
	assert_int_equal(h->mb.reserved.max, 512);
	assert_int_equal(h->mb.stats.doublings, 2);
	assert_int_equal(mb_check(&h->mb, NULL, 0), 0);
	h_free(h);
}

static void test_resize_not_allowed(void **state)
{
	struct harness *h = h_new(4, 4);
	struct snapshot s;

	(void)state;
	assert_int_equal(mb_reserve(&h->mb, 0x1000, 0x1000), 0);
	assert_int_equal(mb_reserve(&h->mb, 0x3000, 0x1000), 0);
	assert_int_equal(mb_reserve(&h->mb, 0x5000, 0x1000), 0);
	assert_int_equal(mb_reserve(&h->mb, 0x7000, 0x1000), 0);
	snap_take(&s, &h->mb);
	h_clear_lines(h);
	assert_int_equal(mb_reserve(&h->mb, 0x9000, 0x1000), -MB_EPERM);
	assert_int_not_equal(h_find_line(h, "memblock: cannot resize reserved array"), -1);
	snap_check(&s, &h->mb);
	/* isolation wants two spare slots even when nothing splits */
	snap_take(&s, &h->mb);
	assert_int_equal(mb_phys_free(&h->mb, 0x1000, 0x1000), -MB_EPERM);
	snap_check(&s, &h->mb);
	h_free(h);
}

static void use_fixed(struct mb_config *cfg)
{
	cfg->grow_policy = MB_GROW_FIXED;
}

static void test_fixed_policy(void **state)
{
	struct harness *h = h_new_cfg(2, 2, use_fixed);
	struct snapshot s;

	(void)state;
	mb_allow_resize(&h->mb);
	assert_int_equal(mb_add(&h->mb, 0x1000, 0x1000), 0);
	assert_int_equal(mb_add(&h->mb, 0x3000, 0x1000), 0);
	snap_take(&s, &h->mb);
	assert_int_equal(mb_add(&h->mb, 0x5000, 0x1000), -MB_ENOSPC);
	snap_check(&s, &h->mb);
	/* Linux counts before merging: even a merging add needs a spare slot */
	snap_take(&s, &h->mb);
	assert_int_equal(mb_add(&h->mb, 0x2000, 0x1000), -MB_ENOSPC);
	snap_check(&s, &h->mb);
	/* covered entirely: nothing to insert, no room needed */
	assert_int_equal(mb_add(&h->mb, 0x1000, 0x800), 0);
	assert_int_equal(h->mb.memory.cnt, 2);
	h_free(h);
}

static struct memblock_region cb_storage[4][64];
static int cb_calls, cb_fail_at;

static struct memblock_region *grow_cb(void *ctx, const struct memblock_type *type,
				       unsigned long new_max)
{
	(void)ctx;
	(void)type;
	cb_calls++;
	if (cb_calls == cb_fail_at || new_max > 64 || cb_calls > 4)
		return NULL;
	return cb_storage[cb_calls - 1];
}

static void use_callback(struct mb_config *cfg)
{
	cfg->grow_policy = MB_GROW_CALLBACK;
	cfg->ops.grow = grow_cb;
}

/*
 *  memory  |a| |b|                       (max 2)
 *  add   |----------------------|         three gaps: needs 5 > 4 slots,
 *                                         two doublings 2 -> 4 -> 8
 *  the second doubling fails: nothing changes (Linux would keep the first).
 */
static void test_second_doubling_fails(void **state)
{
	struct harness *h = h_new_cfg(2, 2, use_callback);
	struct snapshot s;

	(void)state;
	mb_allow_resize(&h->mb);
	assert_int_equal(mb_add(&h->mb, 0x2000, 0x1000), 0);
	assert_int_equal(mb_add(&h->mb, 0x4000, 0x1000), 0);
	cb_calls = 0;
	cb_fail_at = 2;
	snap_take(&s, &h->mb);
	assert_int_equal(mb_add(&h->mb, 0x1000, 0x5000), -MB_ENOSPC);
	assert_int_equal(cb_calls, 2);
	snap_check(&s, &h->mb);
	/* and it works when the callback agrees */
	cb_calls = 0;
	cb_fail_at = 0;
	assert_int_equal(mb_add(&h->mb, 0x1000, 0x5000), 0);
	assert_int_equal(cb_calls, 2);
	assert_int_equal(h->mb.memory.cnt, 1);
	assert_int_equal(h->mb.memory.max, 8);
	assert_ptr_equal(h->mb.memory.regions, cb_storage[1]);
	h_free(h);
}

/*
 * Linux policy, two types: memory is full, its new array's reservation
 * needs reserved to double, and no page is left for that. Linux would
 * BUG(); we fail and leave everything as it was (the memory array had
 * already moved into the last free page).
 *
 *  memory    |A|     |B|     |C|     |D-D|          (max 4, full)
 *  reserved  |A|     |B|     |C|     |D|            (max 4, full)
 *  free                                 |p|          one page
 *  add                                        |E|   -> memory doubles into p,
 *                                                      reserved cannot double
 */
static void test_nested_doubling_fails(void **state)
{
	struct harness *h = h_new(4, 4);
	struct snapshot s;
	char line[128];

	(void)state;
	h_ram(h, 0, 0x100000);
	mb_allow_resize(&h->mb);
	assert_int_equal(mb_add(&h->mb, 0x10000, 0x1000), 0);
	assert_int_equal(mb_add(&h->mb, 0x20000, 0x1000), 0);
	assert_int_equal(mb_add(&h->mb, 0x30000, 0x1000), 0);
	assert_int_equal(mb_add(&h->mb, 0x40000, 0x2000), 0);
	assert_int_equal(mb_reserve(&h->mb, 0x10000, 0x1000), 0);
	assert_int_equal(mb_reserve(&h->mb, 0x20000, 0x1000), 0);
	assert_int_equal(mb_reserve(&h->mb, 0x30000, 0x1000), 0);
	assert_int_equal(mb_reserve(&h->mb, 0x40000, 0x1000), 0);
	snap_take(&s, &h->mb);
	h_clear_lines(h);
	assert_int_equal(mb_add(&h->mb, 0x50000, 0x1000), -MB_ENOMEM);
	snprintf(line, sizeof(line), "memblock: memory is doubled to 8 at "
		 "[0x0000000000041000-0x%016llx]",
		 (unsigned long long)(0x41000 + 8 * sizeof(struct memblock_region) - 1));
	assert_int_not_equal(h_find_line(h, h_w(line)), -1);
	assert_int_not_equal(
		h_find_line(h, "memblock: Failed to double reserved array from 4 to 8 entries !"),
		-1);
	snap_check(&s, &h->mb);
	assert_int_equal(mb_check(&h->mb, NULL, 0), 0);
	h_free(h);
}

/* Without phys_to_virt, Linux-style growth has nowhere to write. */
static void no_p2v(struct mb_config *cfg)
{
	cfg->ops.phys_to_virt = NULL;
}

static void test_linux_growth_needs_phys_to_virt(void **state)
{
	struct harness *h = h_new_cfg(2, 2, no_p2v);
	struct snapshot s;

	(void)state;
	mb_allow_resize(&h->mb);
	assert_int_equal(mb_add(&h->mb, 0x100000, 0x100000), 0);
	assert_int_equal(mb_add(&h->mb, 0x300000, 0x100000), 0);
	snap_take(&s, &h->mb);
	assert_int_equal(mb_add(&h->mb, 0x500000, 0x1000), -MB_ENOMEM);
	snap_check(&s, &h->mb);
	h_free(h);
}

/* enforce_memory_limit: memory is cut, then reserved cannot isolate. */
static void test_enforce_rolls_back(void **state)
{
	struct harness *h = h_new_cfg(8, 3, use_fixed);
	struct snapshot s;

	(void)state;
	assert_int_equal(mb_add(&h->mb, 0x100000, 0x100000), 0);
	assert_int_equal(mb_add(&h->mb, 0x300000, 0x100000), 0);
	assert_int_equal(mb_reserve(&h->mb, 0x100000, 0x1000), 0);
	assert_int_equal(mb_reserve(&h->mb, 0x380000, 0x1000), 0);
	snap_take(&s, &h->mb);
	assert_int_equal(mb_enforce_memory_limit(&h->mb, 0x180000), -MB_EPERM);
	snap_check(&s, &h->mb);
	h_free(h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_linux_doubling_messages),
		cmocka_unit_test(test_resize_not_allowed),
		cmocka_unit_test(test_fixed_policy),
		cmocka_unit_test(test_second_doubling_fails),
		cmocka_unit_test(test_nested_doubling_fails),
		cmocka_unit_test(test_linux_growth_needs_phys_to_virt),
		cmocka_unit_test(test_enforce_rolls_back),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
