// SPDX-License-Identifier: MIT
/*
 * test_errors.c - every refused call returns its error and leaves the
 * instance byte for byte as it was; NULL instances never crash.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "harness.h"

struct err_row {
	const char *name;
	int (*call)(struct memblock *mb);
	int rc;
};

static int too_big(struct memblock *mb)
{
	mb_phys_addr_t got;

	return mb_alloc_range_nid(mb, 0x10000000, 0x1000, 0, MB_ALLOC_ACCESSIBLE, 0, true, &got);
}

static int too_big_virt(struct memblock *mb)
{
	void *ptr;

	return mb_alloc_node(mb, 0x10000000, 0x1000, 1, &ptr, NULL);
}

static int free_late_early(struct memblock *mb)
{
	return mb_free_late(mb, 0x100000, 0x1000);
}

static int discard_early(struct memblock *mb)
{
	return mb_discard(mb);
}

static int physmem_absent(struct memblock *mb)
{
	return mb_physmem_add(mb, 0, 0x1000);
}

static int set_node_bad_type(struct memblock *mb)
{
	return mb_set_node(mb, 0, 0x1000, &mb->physmem, 0);
}

static int reserve_mem_dup(struct memblock *mb)
{
	return mb_reserve_mem(mb, 0x1000, 0, "dup");
}

static int reserve_full_before_resize(struct memblock *mb)
{
	int i, rc = 0;

	for (i = 0; i < 8 && !rc; i++)
		rc = mb_reserve(mb, 0x300000 + (mb_phys_addr_t)i * 0x2000, 0x1000);
	return rc;
}

static const struct err_row rows[] = {
	{ "no range fits on the exact node", too_big, -MB_ENOMEM },
	{ "virtual: no range fits", too_big_virt, -MB_ENOMEM },
	{ "free_late before handover", free_late_early, -MB_ESTATE },
	{ "discard before handover", discard_early, -MB_ESTATE },
	{ "physmem add without physmem", physmem_absent, -MB_EINVAL },
	{ "set_node on physmem", set_node_bad_type, -MB_EINVAL },
	{ "reserve_mem name in use", reserve_mem_dup, -MB_EEXIST },
	{ "growth before allow_resize (several calls, the last fails)",
	  reserve_full_before_resize, -MB_EPERM },
};

static void mirror_on(struct mb_config *cfg)
{
	cfg->mirrored_kernelcore = true;
}

static void test_refused_calls(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct harness *h = h_new_cfg(8, 8, mirror_on);
		struct memblock_region mem[8], res[8];
		struct memblock before;
		int rc;

		printf("row: %s\n", rows[i].name);
		assert_int_equal(mb_add_node(&h->mb, 0x100000, 0x100000, 0, 0), 0);
		assert_int_equal(mb_add_node(&h->mb, 0x200000, 0x100000, 1, 0), 0);
		assert_int_equal(mb_mark_mirror(&h->mb, 0x100000, 0x1000), 0);
		assert_int_equal(mb_reserve_mem(&h->mb, 0x1000, 0, "dup"), 0);
		memcpy(mem, h->mem, sizeof(mem));
		memcpy(res, h->res, sizeof(res));
		memcpy(&before, &h->mb, sizeof(before));
		rc = rows[i].call(&h->mb);
		assert_int_equal(rc, rows[i].rc);
		if (rows[i].call == reserve_full_before_resize) {
			/* the calls before the failing one succeeded */
			assert_int_equal(h->mb.reserved.cnt, 8);
		} else {
			before.stats = h->mb.stats; /* counters survive failures */
			assert_memory_equal(&before, &h->mb, sizeof(before));
			assert_memory_equal(mem, h->mem, sizeof(mem));
			assert_memory_equal(res, h->res, sizeof(res));
		}
		h_free(h);
	}
}

static void test_null_instance(void **state)
{
	mb_phys_addr_t phys = 1;
	uint64_t idx = 0;
	void *ptr = &phys;

	(void)state;
	assert_int_equal(mb_init(NULL, NULL), -MB_EINVAL);
	assert_int_equal(mb_add(NULL, 0, 1), -MB_EINVAL);
	assert_int_equal(mb_reserve(NULL, 0, 1), -MB_EINVAL);
	assert_int_equal(mb_remove(NULL, 0, 1), -MB_EINVAL);
	assert_int_equal(mb_phys_free(NULL, 0, 1), -MB_EINVAL);
	assert_int_equal(mb_free(NULL, ptr, 1), -MB_EINVAL);
	assert_int_equal(mb_mark_hotplug(NULL, 0, 1), -MB_EINVAL);
	assert_int_equal(mb_set_node(NULL, 0, 1, NULL, 0), -MB_EINVAL);
	assert_int_equal(mb_phys_alloc(NULL, 1, 1, &phys), -MB_EINVAL);
	assert_int_equal(mb_alloc(NULL, 1, 1, &ptr, &phys), -MB_EINVAL);
	assert_null(ptr);
	assert_int_equal(phys, 0);
	assert_int_equal(mb_trim_memory(NULL, 0x1000), -MB_EINVAL);
	assert_int_equal(mb_enforce_memory_limit(NULL, 1), -MB_EINVAL);
	assert_int_equal(mb_cap_memory_range(NULL, 0, 1), -MB_EINVAL);
	assert_int_equal(mb_free_all(NULL, 1, NULL), -MB_EINVAL);
	assert_int_equal(mb_reserve_mem(NULL, 1, 1, "x"), -MB_EINVAL);
	assert_false(mb_is_memory(NULL, 0));
	assert_false(mb_is_region_reserved(NULL, 0, 1));
	assert_int_equal(mb_end_of_DRAM(NULL), 0);
	mb_next_mem_range(NULL, &idx, -1, 0, NULL, NULL, NULL, NULL, NULL);
	assert_true(idx == MB_ITER_END);
	mb_dump(NULL);
	mb_dump_all(NULL);
	mb_debugfs_show(NULL, NULL);
	mb_set_caller(NULL, "x");
	mb_allow_resize(NULL);
}

/* Page and cache sizes: powers of two, at least a region's alignment. */
static void test_init_sizes(void **state)
{
	static const struct {
		mb_phys_addr_t page, cache;
		int rc;
	} sizes[] = {
		{ 4096, 64, 0 },
		{ MB_REGION_ALIGN, MB_REGION_ALIGN, 0 },
		{ MB_REGION_ALIGN / 2, 64, -MB_EINVAL },
		{ 4, 64, MB_REGION_ALIGN > 4 ? -MB_EINVAL : 0 }, /* 4 is enough for 32-bit regions */
		{ 1, 64, -MB_EINVAL },
		{ 0, 64, -MB_EINVAL },
		{ 3000, 64, -MB_EINVAL },
		{ 4096, MB_REGION_ALIGN / 2, -MB_EINVAL },
		{ 4096, 2, -MB_EINVAL },
		{ 4096, 48, -MB_EINVAL },
	};
	struct memblock_region mem[4], res[4];
	struct mb_config cfg;
	struct memblock mb;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		mb_config_default(&cfg);
		cfg.memory_regions = mem;
		cfg.memory_max = 4;
		cfg.reserved_regions = res;
		cfg.reserved_max = 4;
		cfg.page_size = sizes[i].page;
		cfg.smp_cache_bytes = sizes[i].cache;
		if (mb_init(&mb, &cfg) != sizes[i].rc)
			fail_msg("page %#llx cache %#llx: want %d", (unsigned long long)sizes[i].page,
				 (unsigned long long)sizes[i].cache, sizes[i].rc);
	}
}

static void phys32(struct mb_config *cfg)
{
	cfg->phys_bits = 32;
}

static void test_out_of_phys_width(void **state)
{
	struct harness *h;
	mb_phys_addr_t four_g;

	(void)state;
	if (sizeof(mb_phys_addr_t) != 8)
		skip();
	four_g = (mb_phys_addr_t)1 << 16;
	four_g <<= 16;
	h = h_new_cfg(8, 8, phys32);
	assert_int_equal(mb_add(&h->mb, four_g, 0x1000), -MB_ERANGE);
	assert_int_equal(mb_reserve(&h->mb, four_g + 0x1000, 0x1000), -MB_ERANGE);
	assert_int_equal(h->mb.memory.cnt, 0);
	assert_int_equal(h->mb.reserved.cnt, 0);
	h_free(h);
}

static void test_empty_memory_queries(void **state)
{
	struct harness *h = h_new(8, 8);
	mb_phys_addr_t got = 5;

	(void)state;
	assert_int_equal(mb_end_of_DRAM(&h->mb), 0);
	assert_int_equal(mb_start_of_DRAM(&h->mb), 0);
	assert_false(mb_is_memory(&h->mb, 0));
	assert_int_equal(mb_phys_alloc(&h->mb, 0x1000, 0x1000, &got), -MB_ENOMEM);
	assert_int_equal(got, 0);
	h_free(h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_refused_calls),
		cmocka_unit_test(test_null_instance),
		cmocka_unit_test(test_init_sizes),
		cmocka_unit_test(test_out_of_phys_width),
		cmocka_unit_test(test_empty_memory_queries),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
