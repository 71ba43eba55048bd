// SPDX-License-Identifier: MIT
/*
 * test_linux_api.c - <memblock/linux.h> used exactly as kernel code uses
 * <linux/memblock.h>: only the kernel names (plus the documented
 * memblock_linux_* set-up calls), exact addresses and counts.
 *
 * Simulated RAM: a 4 MiB host buffer mapped at physical RAM_BASE.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include <memblock/linux.h>

#define RAM_BASE 0x40000000UL
#define RAM_SIZE 0x400000UL
#define RAM_END	 (RAM_BASE + RAM_SIZE)

static unsigned char ram[RAM_SIZE] __attribute__((aligned(4096)));

#define MAX_LINES 64
static char lines[MAX_LINES][160];
static int nr_lines;

static void capture(void *ctx, enum mb_log_level level, const char *line)
{
	(void)ctx;
	(void)level;
	if (nr_lines < MAX_LINES)
		snprintf(lines[nr_lines++], sizeof(lines[0]), "%s", line);
}

static unsigned long freed_pages, freed_calls, reserved_calls;

static void count_free(void *ctx, unsigned long pfn, unsigned int order)
{
	(void)ctx;
	(void)pfn;
	freed_calls++;
	freed_pages += 1UL << order;
}

static void count_reserved(void *ctx, mb_phys_addr_t start, mb_phys_addr_t end, int nid)
{
	(void)ctx;
	(void)start;
	(void)end;
	(void)nid;
	reserved_calls++;
}

/* Fresh default instance, output captured, RAM mapped. */
static int setup_mirror(bool mirror)
{
	struct mb_config cfg;

	memblock_linux_default_config(&cfg);
	cfg.ops.print = capture;
	cfg.ops.free_pages = count_free;
	cfg.ops.reserved_pages = count_reserved;
	cfg.mirrored_kernelcore = mirror;
	if (memblock_linux_configure(&cfg))
		return -1;
	nr_lines = 0;
	freed_pages = freed_calls = reserved_calls = 0;
	max_low_pfn = 0;
	memset(ram, 0x5a, sizeof(ram));
	return memblock_linux_map_buffer(RAM_BASE, ram, RAM_SIZE);
}

static int setup(void **state)
{
	(void)state;
	return setup_mirror(false);
}

struct rgn {
	phys_addr_t base;
	phys_addr_t size;
	unsigned int flags;
	int nid;
};

static void expect_type(struct memblock_type *type, const struct rgn *want, unsigned long cnt)
{
	phys_addr_t total = 0;

	assert_int_equal(type->cnt, cnt);
	for (unsigned long i = 0; i < cnt; i++) {
		assert_int_equal(type->regions[i].base, want[i].base);
		assert_int_equal(type->regions[i].size, want[i].size);
		assert_int_equal(type->regions[i].flags, want[i].flags);
		assert_int_equal(memblock_get_region_node(&type->regions[i]), want[i].nid);
		total += want[i].size;
	}
	assert_int_equal(type->total_size, total);
}

/* ---- constants and shim ---- */

static void test_constants(void **state)
{
	(void)state;
	assert_true(MEMBLOCK_ALLOC_ANYWHERE == (phys_addr_t)~0ULL);
	assert_true(PHYS_ADDR_MAX == (phys_addr_t)~0ULL);
	assert_int_equal(MEMBLOCK_ALLOC_ACCESSIBLE, 0);
	assert_int_equal(MEMBLOCK_ALLOC_NOLEAKTRACE, 1);
	assert_int_equal(MEMBLOCK_LOW_LIMIT, 0);
	assert_int_equal(NUMA_NO_NODE, -1);
	assert_int_equal(MAX_NUMNODES, 64);
	/* Private to mm/memblock.c in Linux: code may define its own. */
#ifdef INIT_MEMBLOCK_REGIONS
	fail_msg("INIT_MEMBLOCK_REGIONS leaks out of the header");
#endif
#ifdef INIT_PHYSMEM_REGIONS
	fail_msg("INIT_PHYSMEM_REGIONS leaks out of the header");
#endif
	assert_int_equal(memblock.memory.max, 128);
	assert_int_equal(memblock.physmem.max, 4);
	assert_int_equal(MEMBLOCK_NONE, 0x0);
	assert_int_equal(MEMBLOCK_HOTPLUG, 0x1);
	assert_int_equal(MEMBLOCK_MIRROR, 0x2);
	assert_int_equal(MEMBLOCK_NOMAP, 0x4);
	assert_int_equal(MEMBLOCK_DRIVER_MANAGED, 0x8);
	assert_int_equal(MEMBLOCK_RSRV_NOINIT, 0x10);
	assert_int_equal(SMP_CACHE_BYTES, 64);
	assert_int_equal(PAGE_SIZE, 4096);
	assert_int_equal(PFN_UP(0x1001), 2);
	assert_int_equal(PFN_DOWN(0x1fff), 1);
	assert_int_equal(PFN_PHYS(3), 0x3000);
	assert_int_equal(ARCH_LOW_ADDRESS_LIMIT, 0xffffffffUL);
	assert_int_equal(sizeof(u64), 8);
}

static void __init __init_memblock init_marked(void)
{
}

static void test_defaults(void **state)
{
	(void)state;
	init_marked();
	assert_int_equal(memblock.memory.cnt, 0);
	assert_int_equal(memblock.memory.max, 128);
	assert_int_equal(memblock.reserved.max, 128);
	assert_int_equal(memblock.physmem.max, 4);
	assert_string_equal(memblock.memory.name, "memory");
	assert_string_equal(memblock.reserved.name, "reserved");
	assert_false(memblock_bottom_up());
	assert_true(memblock_get_current_limit() == MEMBLOCK_ALLOC_ANYWHERE);
	assert_int_equal(memblock_debug, 0);
	assert_int_equal(memblock_phys_mem_size(), 0);
	assert_int_equal(memblock_reserved_size(), 0);
}

/* ---- adding, merging, removing ---- */

/*  memory   |--A--|     |--B--|
 *  add            |--X--|
 *  result   |--A--+--X--+--B--|   one region (same nid, same flags) */
static void test_add_merges(void **state)
{
	static const struct rgn one[] = {{0x1000, 0x3000, 0, 64}};

	(void)state;
	assert_int_equal(memblock_add(0x1000, 0x1000), 0);
	assert_int_equal(memblock_add(0x3000, 0x1000), 0);
	assert_int_equal(memblock.memory.cnt, 2);
	assert_int_equal(memblock_add(0x2000, 0x1000), 0);
	expect_type(&memblock.memory, one, 1);
}

/*  memory   |--A nid 0--|
 *  add_node       |----X nid 1----|
 *  result   |--A nid 0--|--X' nid 1--|   the covered part keeps A's nid */
static void test_add_node_keeps_existing(void **state)
{
	static const struct rgn want[] = {
	    {0x10000, 0x10000, 0, 0},
	    {0x20000, 0x8000, MEMBLOCK_HOTPLUG, 1},
	};

	(void)state;
	assert_int_equal(memblock_add_node(0x10000, 0x10000, 0, MEMBLOCK_NONE), 0);
	assert_int_equal(memblock_add_node(0x18000, 0x10000, 1, MEMBLOCK_HOTPLUG), 0);
	expect_type(&memblock.memory, want, 2);
	assert_true(memblock_is_hotpluggable(&memblock.memory.regions[1]));
	assert_false(memblock_is_hotpluggable(&memblock.memory.regions[0]));
}

/*  memory   |-------------A-------------|
 *  remove           |---X---|
 *  result   |--A1---|       |----A2-----| */
static void test_remove_splits(void **state)
{
	static const struct rgn want[] = {{0x100000, 0x1000, 0, 64}, {0x103000, 0xd000, 0, 64}};

	(void)state;
	assert_int_equal(memblock_add(0x100000, 0x10000), 0);
	assert_int_equal(memblock_remove(0x101000, 0x2000), 0);
	expect_type(&memblock.memory, want, 2);
	assert_int_equal(memblock_remove(0x100000, 0), 0);
	assert_int_equal(memblock.memory.cnt, 2);
}

/*  reserved |-----R-----|
 *  free        |--X--|
 *  result   |R1|     |R2|   phys_free, then memblock_free() of a pointer */
static void test_reserve_and_free(void **state)
{
	static const struct rgn split[] = {{RAM_BASE, 0x1000, 0, 64},
					   {RAM_BASE + 0x3000, 0x1000, 0, 64}};
	static const struct rgn last[] = {{RAM_BASE, 0x1000, 0, 64}};

	(void)state;
	assert_int_equal(memblock_reserve(RAM_BASE, 0x4000), 0);
	assert_int_equal(memblock_phys_free(RAM_BASE + 0x1000, 0x2000), 0);
	expect_type(&memblock.reserved, split, 2);
	memblock_free(&ram[0x3000], 0x1000);
	expect_type(&memblock.reserved, last, 1);
	memblock_free(NULL, 0x1000);
	expect_type(&memblock.reserved, last, 1);
}

/* ---- flags and nodes ---- */

struct flag_case {
	const char *name;
	int (*op)(phys_addr_t base, phys_addr_t size);
	unsigned int before; /* flags of the whole region first */
	unsigned int middle; /* flags of [0x2000, 0x3000) afterwards */
};

static int mark_nomap_then_clear(phys_addr_t base, phys_addr_t size)
{
	int err = memblock_mark_nomap(base, size);

	return err ? err : memblock_clear_nomap(base, size);
}

/*  memory   |-----------A (before)-----------|
 *  op               |--X--|
 *  result   |--A1---|--X--|--------A2--------|   middle carries the new flags */
static void test_flag_ops(void **state)
{
	static const struct flag_case cases[] = {
	    {"mark_hotplug", memblock_mark_hotplug, 0, MEMBLOCK_HOTPLUG},
	    {"clear_hotplug", memblock_clear_hotplug, MEMBLOCK_HOTPLUG, 0},
	    {"mark_nomap", memblock_mark_nomap, 0, MEMBLOCK_NOMAP},
	    {"clear_nomap", memblock_clear_nomap, MEMBLOCK_NOMAP, 0},
	    {"nomap+clear", mark_nomap_then_clear, MEMBLOCK_DRIVER_MANAGED,
	     MEMBLOCK_DRIVER_MANAGED},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct flag_case *c = &cases[i];

		setup_mirror(false);
		assert_int_equal(memblock_add_node(0x1000, 0x4000, 0, c->before), 0);
		assert_int_equal(c->op(0x2000, 0x1000), 0);
		if (c->middle == c->before) {
			assert_int_equal(memblock.memory.cnt, 1);
			continue;
		}
		assert_int_equal(memblock.memory.cnt, 3);
		assert_int_equal(memblock.memory.regions[1].base, 0x2000);
		assert_int_equal(memblock.memory.regions[1].size, 0x1000);
		assert_int_equal(memblock.memory.regions[1].flags, c->middle);
		assert_int_equal(memblock.memory.regions[0].flags, c->before);
	}
	setup_mirror(false);
	assert_int_equal(memblock_add_node(0x1000, 0x1000, 0, MEMBLOCK_DRIVER_MANAGED), 0);
	assert_true(memblock_is_driver_managed(&memblock.memory.regions[0]));
	assert_int_equal(memblock_mark_nomap(0x1000, 0x1000), 0);
	assert_true(memblock_is_nomap(&memblock.memory.regions[0]));
}

static void test_mirror_and_noinit(void **state)
{
	(void)state;
	/* Without kernelcore=mirror, mark_mirror does nothing. */
	assert_int_equal(memblock_add(RAM_BASE, RAM_SIZE), 0);
	assert_int_equal(memblock_mark_mirror(RAM_BASE, 0x1000), 0);
	assert_false(memblock_is_mirror(&memblock.memory.regions[0]));

	setup_mirror(true);
	assert_int_equal(memblock_add(RAM_BASE, RAM_SIZE), 0);
	assert_int_equal(memblock_mark_mirror(RAM_BASE, 0x100000), 0);
	assert_true(memblock_is_mirror(&memblock.memory.regions[0]));
	/* Mirrored memory is preferred, top-down inside it. */
	assert_int_equal(memblock_phys_alloc(0x1000, 0x1000), RAM_BASE + 0xff000);

	assert_int_equal(memblock_reserve(RAM_BASE + 0x200000, 0x2000), 0);
	assert_int_equal(memblock_reserved_mark_noinit(RAM_BASE + 0x200000, 0x1000), 0);
	assert_true(memblock_is_reserved_noinit(&memblock.reserved.regions[1]));
	assert_false(memblock_is_reserved_noinit(&memblock.reserved.regions[2]));
}

/*  memory   |--------A (no node)--------|
 *  set_node         |--X nid 2--|
 *  result   |--A1 --|--X nid 2--|--A2 --| */
static void test_set_node_and_search(void **state)
{
	static const struct rgn want[] = {
	    {0x100000, 0x100000, 0, 64}, {0x200000, 0x100000, 0, 2}, {0x300000, 0x100000, 0, 64}};
	unsigned long start_pfn = 0, end_pfn = 0;
	struct memblock_region r = {0};

	(void)state;
	assert_int_equal(memblock_add(0x100000, 0x300000), 0);
	assert_int_equal(memblock_set_node(0x200000, 0x100000, &memblock.memory, 2), 0);
	expect_type(&memblock.memory, want, 3);
	assert_int_equal(memblock_search_pfn_nid(0x250, &start_pfn, &end_pfn), 2);
	assert_int_equal(start_pfn, 0x200);
	assert_int_equal(end_pfn, 0x300);
	assert_int_equal(memblock_search_pfn_nid(0x50, &start_pfn, &end_pfn), -1);

	memblock_set_region_node(&r, 5);
	assert_int_equal(memblock_get_region_node(&r), 5);
	r.base = 0x1800;
	r.size = 0x2000;
	assert_int_equal(memblock_region_memory_base_pfn(&r), 2);
	assert_int_equal(memblock_region_memory_end_pfn(&r), 3);
	assert_int_equal(memblock_region_reserved_base_pfn(&r), 1);
	assert_int_equal(memblock_region_reserved_end_pfn(&r), 4);
}

/* ---- allocation ---- */

static void test_phys_alloc_family(void **state)
{
	(void)state;
	assert_int_equal(memblock_add(RAM_BASE, RAM_SIZE), 0);
	/* Top-down: the highest fit. */
	assert_int_equal(memblock_phys_alloc(0x1000, 0x1000), RAM_END - 0x1000);
	assert_int_equal(memblock_phys_alloc_range(0x1000, 0x1000, 0, RAM_BASE + 0x2000),
			 RAM_BASE + 0x1000);
	assert_int_equal(memblock_phys_alloc_try_nid(0x800, 0, NUMA_NO_NODE), RAM_END - 0x1800);
	assert_int_equal(memblock_alloc_range_nid(0x100, 0x100, RAM_BASE, RAM_BASE + 0x1000,
						  NUMA_NO_NODE, false),
			 RAM_BASE + 0xf00);
	/* Exact node 3 has no memory: 0, as Linux. */
	assert_int_equal(
	    memblock_alloc_range_nid(0x100, 0x100, 0, MEMBLOCK_ALLOC_ACCESSIBLE, 3, true), 0);
	assert_int_equal(memblock_linux_last_error(), -MB_ENOMEM);
	/* [BASE+0xf00, BASE+0x2000) and [END-0x1800, END): neighbours merged. */
	assert_int_equal(memblock.reserved.cnt, 2);
	assert_int_equal(memblock_reserved_size(), 0x1000 + 0x1000 + 0x800 + 0x100);
}

static void test_virt_alloc_family(void **state)
{
	unsigned char *p;

	(void)state;
	assert_int_equal(memblock_add(RAM_BASE, RAM_SIZE), 0);

	p = memblock_alloc(0x100, 0x100);
	assert_ptr_equal(p, &ram[RAM_SIZE - 0x100]);
	assert_int_equal(p[0], 0);
	assert_int_equal(p[0xff], 0);

	p = memblock_alloc_raw(0x100, 0x100);
	assert_ptr_equal(p, &ram[RAM_SIZE - 0x200]);
	assert_int_equal(p[0], 0x5a); /* raw: not zeroed */

	p = memblock_alloc_from(0x1000, 0x1000, RAM_BASE + 0x200000);
	assert_ptr_equal(p, &ram[RAM_SIZE - 0x2000]);

	p = memblock_alloc_low(0x1000, 0x1000);
	assert_ptr_equal(p, &ram[RAM_SIZE - 0x3000]);

	p = memblock_alloc_node(0x1000, 0x1000, 0);
	assert_ptr_equal(p, &ram[RAM_SIZE - 0x4000]);

	p = memblock_alloc_try_nid(0x1000, 0x1000, RAM_BASE, RAM_BASE + 0x10000, NUMA_NO_NODE);
	assert_ptr_equal(p, &ram[0xf000]);
	assert_int_equal(p[0], 0);

	p = memblock_alloc_try_nid_raw(0x1000, 0x1000, RAM_BASE, RAM_BASE + 0x10000, NUMA_NO_NODE);
	assert_ptr_equal(p, &ram[0xe000]);

	p = memblock_alloc_exact_nid_raw(0x1000, 0x1000, RAM_BASE, RAM_BASE + 0x10000,
					 NUMA_NO_NODE);
	assert_ptr_equal(p, &ram[0xd000]);

	/* Size 0 returns an address and reserves nothing (spec 6). */
	p = memblock_alloc(0, 0x1000);
	assert_ptr_equal(p, &ram[RAM_SIZE - 0x1000]);
	assert_int_equal(memblock.reserved.cnt, 3);

	/* Too large: NULL, and the precise reason is kept. */
	assert_null(memblock_alloc(2 * RAM_SIZE, 0));
	assert_int_equal(memblock_linux_last_error(), -MB_ENOMEM);
	/* Not a power of two: Linux rounds by masks, and so do we. */
	p = memblock_alloc(0x100, 3);
	assert_non_null(p);
	assert_true(memblock_is_reserved(RAM_BASE + (phys_addr_t)((unsigned char *)p - ram)));
}

static void test_bottom_up_and_limit(void **state)
{
	(void)state;
	assert_int_equal(memblock_add(RAM_BASE, RAM_SIZE), 0);
	memblock_set_bottom_up(true);
	assert_true(memblock_bottom_up());
	assert_int_equal(memblock_phys_alloc(0x1000, 0x1000), RAM_BASE);
	assert_int_equal(memblock_phys_alloc(0x10, 0), RAM_BASE + 0x1000);
	memblock_set_bottom_up(false);

	memblock_set_current_limit(RAM_BASE + 0x10000);
	assert_int_equal(memblock_get_current_limit(), RAM_BASE + 0x10000);
	assert_int_equal(memblock_phys_alloc(0x1000, 0x1000), RAM_BASE + 0xf000);
	/* The explicit range of phys_alloc_range is not capped. */
	assert_int_equal(memblock_phys_alloc_range(0x1000, 0x1000, 0, MEMBLOCK_ALLOC_ANYWHERE),
			 RAM_END - 0x1000);
}

/* ---- queries ---- */

/*  memory   |----A----|  |--B nomap--|
 *  reserved    |-R-|                     */
static void test_queries(void **state)
{
	(void)state;
	assert_int_equal(memblock_add(0x10000, 0x10000), 0);
	assert_int_equal(memblock_add(0x30000, 0x10000), 0);
	assert_int_equal(memblock_mark_nomap(0x30000, 0x10000), 0);
	assert_int_equal(memblock_reserve(0x14000, 0x2000), 0);

	assert_true(memblock_is_memory(0x10000));
	assert_false(memblock_is_memory(0x20000));
	assert_true(memblock_is_map_memory(0x1ffff));
	assert_false(memblock_is_map_memory(0x30000));
	assert_true(memblock_is_reserved(0x15fff));
	assert_false(memblock_is_reserved(0x16000));
	assert_true(memblock_is_region_memory(0x11000, 0x1000));
	assert_false(memblock_is_region_memory(0x1f000, 0x2000));
	assert_true(memblock_is_region_reserved(0x13000, 0x2000));
	assert_false(memblock_is_region_reserved(0x16000, 0x1000));
	assert_true(memblock_overlaps_region(&memblock.memory, 0x2f000, 0x2000));
	assert_false(memblock_overlaps_region(&memblock.memory, 0x20000, 0x10000));
	assert_int_equal(memblock_addrs_overlap(0x0, 0x10, 0xf, 0x10), 1);
	assert_int_equal(memblock_addrs_overlap(0x0, 0x10, 0x10, 0x10), 0);
	assert_int_equal(memblock_start_of_DRAM(), 0x10000);
	assert_int_equal(memblock_end_of_DRAM(), 0x40000);
	assert_int_equal(memblock_phys_mem_size(), 0x20000);
	assert_int_equal(memblock_reserved_size(), 0x2000);
	assert_int_equal(memblock_estimated_nr_free_pages(), 0x1e);
}

/* ---- iterators ---- */

struct range {
	phys_addr_t start, end;
};

static void expect_ranges(const struct range *got, int n, const struct range *want, int m)
{
	assert_int_equal(n, m);
	for (int i = 0; i < n; i++) {
		assert_int_equal(got[i].start, want[i].start);
		assert_int_equal(got[i].end, want[i].end);
	}
}

/*  memory   |------A nid 0------|   |---B nid 1---|
 *  reserved      |-R-|                 |-S-|
 *  free     |-F1-|   |----F2----|   |F3|   |--F4--| */
static void test_iterators(void **state)
{
	static const struct range free_want[] = {
	    {0x100000, 0x110000},
	    {0x112000, 0x200000},
	    {0x300000, 0x310000},
	    {0x311000, 0x400000},
	};
	static const struct range mem_want[] = {{0x100000, 0x200000}, {0x300000, 0x400000}};
	static const struct range rsv_want[] = {{0x110000, 0x112000}, {0x310000, 0x311000}};
	struct range got[8];
	struct memblock_region *region;
	phys_addr_t start, end;
	unsigned long spfn, epfn;
	int nid, n, j;
	u64 i;

	(void)state;
	assert_int_equal(memblock_add_node(0x100000, 0x100000, 0, MEMBLOCK_NONE), 0);
	assert_int_equal(memblock_add_node(0x300000, 0x100000, 1, MEMBLOCK_NONE), 0);
	assert_int_equal(memblock_reserve(0x110000, 0x2000), 0);
	assert_int_equal(memblock_reserve(0x310000, 0x1000), 0);

	n = 0;
	for_each_free_mem_range(i, NUMA_NO_NODE, MEMBLOCK_NONE, &start, &end, &nid) got[n++] =
	    (struct range){start, end};
	expect_ranges(got, n, free_want, 4);

	n = 0;
	for_each_free_mem_range_reverse(i, NUMA_NO_NODE, MEMBLOCK_NONE, &start, &end, &nid)
	    got[n++] = (struct range){start, end};
	assert_int_equal(n, 4);
	assert_int_equal(got[0].start, 0x311000);
	assert_int_equal(got[3].end, 0x110000);

	n = 0;
	for_each_free_mem_range(i, 1, MEMBLOCK_NONE, &start, &end, &nid)
	{
		assert_int_equal(nid, 1);
		n++;
	}
	assert_int_equal(n, 2);

	n = 0;
	for_each_mem_range(i, &start, &end) got[n++] = (struct range){start, end};
	expect_ranges(got, n, mem_want, 2);

	n = 0;
	for_each_mem_range_rev(i, &start, &end) got[n++] = (struct range){start, end};
	assert_int_equal(n, 2);
	assert_int_equal(got[0].start, 0x300000);

	n = 0;
	for_each_reserved_mem_range(i, &start, &end) got[n++] = (struct range){start, end};
	expect_ranges(got, n, rsv_want, 2);

	n = 0;
	for_each_mem_pfn_range(j, MAX_NUMNODES, &spfn, &epfn, &nid)
	{
		assert_int_equal(spfn, n ? 0x300 : 0x100);
		assert_int_equal(epfn, n ? 0x400 : 0x200);
		assert_int_equal(nid, n);
		n++;
	}
	assert_int_equal(n, 2);

	n = 0;
	for_each_mem_region(region) n++;
	assert_int_equal(n, 2);
	n = 0;
	for_each_reserved_mem_region(region) n += region->size == 0x2000;
	assert_int_equal(n, 1);

	/* physmem minus memory: the part outside every memory region. */
	assert_int_equal(memblock_physmem_add(0x0, 0x500000), 0);
	n = 0;
	for_each_physmem_range(i, &memblock.memory, &start, &end) got[n++] =
	    (struct range){start, end};
	assert_int_equal(n, 3);
	assert_int_equal(got[0].start, 0x0);
	assert_int_equal(got[0].end, 0x100000);
	assert_int_equal(got[2].start, 0x400000);
	assert_int_equal(got[2].end, 0x500000);

	/* The low-level calls directly. */
	i = 0;
	__next_mem_range(&i, NUMA_NO_NODE, MEMBLOCK_NONE, &memblock.memory, NULL, &start, &end,
			 NULL);
	assert_int_equal(start, 0x100000);
	i = (u64)ULLONG_MAX;
	__next_mem_range_rev(&i, NUMA_NO_NODE, MEMBLOCK_NONE, &memblock.memory, NULL, &start, &end,
			     NULL);
	assert_int_equal(start, 0x300000);
	j = -1;
	__next_mem_pfn_range(&j, 1, &spfn, &epfn, &nid);
	assert_int_equal(spfn, 0x300);
	i = 0;
	__next_physmem_range(&i, NULL, &start, &end);
	assert_int_equal(end, 0x500000);
}

/* ---- trimming and limits ---- */

static void test_trim_enforce_cap(void **state)
{
	static const struct rgn trimmed[] = {{0x2000, 0x1000, 0, 64}};
	static const struct rgn limited[] = {{0x100000, 0x80000, 0, 64}};
	static const struct rgn capped[] = {{0x110000, 0x10000, 0, 64}};

	(void)state;
	/* |.A.|  trim(0x1000): A = [0x1800, 0x3800) -> [0x2000, 0x3000);
	 * the 0x10-byte region vanishes. */
	assert_int_equal(memblock_add(0x1800, 0x2000), 0);
	assert_int_equal(memblock_add(0x5008, 0x10), 0);
	memblock_trim_memory(0x1000);
	assert_int_equal(memblock.memory.cnt, 1);
	assert_int_equal(memblock.memory.regions[0].base, trimmed[0].base);
	assert_int_equal(memblock.memory.regions[0].size, trimmed[0].size);

	setup_mirror(false);
	assert_int_equal(memblock_add(0x100000, 0x100000), 0);
	assert_int_equal(memblock_reserve(0x1f0000, 0x1000), 0);
	memblock_enforce_memory_limit(0x80000);
	expect_type(&memblock.memory, limited, 1);
	assert_int_equal(memblock.reserved.cnt, 0);

	setup_mirror(false);
	assert_int_equal(memblock_add(0x100000, 0x100000), 0);
	memblock_cap_memory_range(0x110000, 0x10000);
	expect_type(&memblock.memory, capped, 1);

	setup_mirror(false);
	assert_int_equal(memblock_add(0x100000, 0x100000), 0);
	memblock_mem_limit_remove_map(0x80000);
	expect_type(&memblock.memory, limited, 1);
}

/* ---- growing the arrays ---- */

static void test_growth(void **state)
{
	(void)state;
	assert_int_equal(memblock_add(RAM_BASE, RAM_SIZE), 0);
	for (int i = 0; i < 128; i++)
		assert_int_equal(memblock_reserve(RAM_BASE + (phys_addr_t)i * 0x100, 0x10), 0);
	/* The 129th region needs a doubling, not allowed yet. */
	assert_int_equal(memblock_reserve(RAM_BASE + 0x8000, 0x10), -ENOMEM);
	assert_int_equal(memblock_linux_last_error(), -MB_EPERM);
	assert_int_equal(memblock.reserved.cnt, 128);

	memblock_allow_resize();
	assert_int_equal(memblock_reserve(RAM_BASE + 0x8000, 0x10), 0);
	assert_int_equal(memblock.reserved.max, 256);
	/* 256 regions of 24 bytes: 0x2000 bytes at the top of RAM. */
	assert_true(memblock_is_reserved(RAM_END - 0x2000));
	assert_int_equal(memblock.reserved.cnt, 130);
}

/* ---- handover ---- */

static void test_free_all(void **state)
{
	(void)state;
	assert_int_equal(memblock_add(RAM_BASE, 0x10000), 0);
	assert_int_equal(memblock_reserve(RAM_BASE, 0x1000), 0);
	max_low_pfn = PFN_DOWN(RAM_BASE + 0x8000);
	memblock_free_all();
	/* pfns 0x40001..0x40007: 1 + 2 + 4 pages. */
	assert_int_equal(memblock_linux_pages_freed(), 7);
	assert_int_equal(freed_pages, 7);
	assert_int_equal(freed_calls, 3);
	assert_int_equal(reserved_calls, 1);

	freed_pages = freed_calls = 0;
	memblock_free_late(RAM_BASE + 0x8000, 0x2000);
	assert_int_equal(freed_pages, 2);
	memblock_discard();
}

/* ---- output ---- */

static void test_dump_and_trace(void **state)
{
	(void)state;
	assert_int_equal(memblock_add_node(0x80200000, 0x3fe00000, 0, MEMBLOCK_NONE), 0);
	memblock_dump_all();
	assert_int_equal(nr_lines, 0); /* memblock_debug off: silent */

	__memblock_dump_all();
	/* physmem follows, as in kernels with CONFIG_HAVE_MEMBLOCK_PHYS_MAP. */
	assert_int_equal(nr_lines, 6);
	assert_string_equal(lines[0], "MEMBLOCK configuration:");
	assert_string_equal(lines[1],
			    " memory size = 0x000000003fe00000 reserved size = 0x0000000000000000");
	assert_string_equal(lines[2], " memory.cnt  = 0x1");
	assert_string_equal(lines[3], " memory[0x0]\t[0x0000000080200000-0x00000000bfffffff], "
				      "0x000000003fe00000 bytes on node 0 flags: 0x0");
	assert_string_equal(lines[4], " reserved.cnt  = 0x0");
	assert_string_equal(lines[5], " physmem.cnt  = 0x0");

	nr_lines = 0;
	memblock_debug = 1;
	memblock_linux_set_caller("setup_arch+0x40/0x4a4");
	assert_int_equal(memblock_reserve(0x80200000, 0x1e00000), 0);
	assert_int_equal(nr_lines, 1);
	assert_string_equal(lines[0], "memblock_reserve: [0x0000000080200000-0x0000000081ffffff] "
				      "setup_arch+0x40/0x4a4");
	nr_lines = 0;
	memblock_dump_all();
	assert_int_equal(nr_lines, 7);
	assert_string_equal(lines[5], " reserved[0x0]\t[0x0000000080200000-0x0000000081ffffff], "
				      "0x0000000001e00000 bytes flags: 0x0");
	assert_string_equal(lines[6], " physmem.cnt  = 0x0");
}

/* ---- reserve_mem and configuration ---- */

static void test_reserve_mem(void **state)
{
	phys_addr_t start = 0, size = 0;

	(void)state;
	assert_int_equal(memblock_add(RAM_BASE, RAM_SIZE), 0);
	assert_int_equal(memblock_linux_reserve_mem(0x1000, 0x1000, "oops"), 0);
	assert_int_equal(reserve_mem_find_by_name("oops", &start, &size), 1);
	assert_int_equal(start, RAM_END - 0x1000);
	assert_int_equal(size, 0x1000);
	assert_int_equal(reserve_mem_find_by_name("none", &start, &size), 0);
	assert_int_equal(memblock_linux_reserve_mem(0x1000, 0x1000, "oops"), -EEXIST);
}

static void test_configure(void **state)
{
	struct mb_config cfg;

	(void)state;
	memblock_linux_default_config(&cfg);
	cfg.numa = false;
	cfg.max_numnodes = 1;
	assert_int_equal(memblock_linux_configure(&cfg), 0);
	assert_int_equal(memblock_add(0x1000, 0x1000), 0);
	assert_int_equal(memblock_get_region_node(&memblock.memory.regions[0]), 0);
	/* Without NUMA the kernel's set_node does nothing. */
	assert_int_equal(memblock_set_node(0x1000, 0x1000, &memblock.memory, 3), 0);
	assert_int_equal(memblock_get_region_node(&memblock.memory.regions[0]), 0);

	cfg.page_size = 3000; /* rejected: the instance stays as it was */
	assert_int_equal(memblock_linux_configure(&cfg), -EINVAL);
	assert_int_equal(memblock.memory.cnt, 1);
	assert_int_equal(memblock_linux_map_buffer(0, NULL, 10), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(test_constants, setup),
	    cmocka_unit_test_setup(test_defaults, setup),
	    cmocka_unit_test_setup(test_add_merges, setup),
	    cmocka_unit_test_setup(test_add_node_keeps_existing, setup),
	    cmocka_unit_test_setup(test_remove_splits, setup),
	    cmocka_unit_test_setup(test_reserve_and_free, setup),
	    cmocka_unit_test_setup(test_flag_ops, setup),
	    cmocka_unit_test_setup(test_mirror_and_noinit, setup),
	    cmocka_unit_test_setup(test_set_node_and_search, setup),
	    cmocka_unit_test_setup(test_phys_alloc_family, setup),
	    cmocka_unit_test_setup(test_virt_alloc_family, setup),
	    cmocka_unit_test_setup(test_bottom_up_and_limit, setup),
	    cmocka_unit_test_setup(test_queries, setup),
	    cmocka_unit_test_setup(test_iterators, setup),
	    cmocka_unit_test_setup(test_trim_enforce_cap, setup),
	    cmocka_unit_test_setup(test_growth, setup),
	    cmocka_unit_test_setup(test_free_all, setup),
	    cmocka_unit_test_setup(test_dump_and_trace, setup),
	    cmocka_unit_test_setup(test_reserve_mem, setup),
	    cmocka_unit_test_setup(test_configure, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
