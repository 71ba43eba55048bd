// SPDX-License-Identifier: MIT
/*
 * test_range.c - table-driven scenarios for the range primitives (spec 3):
 * add/reserve merging and splitting, remove, flags and nid keeping
 * neighbours apart, overlapping adds keeping the existing flags. The
 * seed 001 rows use the addresses of its worked examples.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "harness.h"

enum op_kind { END, ADD, ADD_NODE, RESERVE, REMOVE, FREE, HOTPLUG, CLR_HOTPLUG, NOMAP,
	       SET_NODE_MEM, NOINIT };

struct op {
	enum op_kind kind;
	mb_phys_addr_t base, size;
	int nid;
	unsigned int flags;
};

#define MAXN 64 /* MB_NUMA max nodes = 64: region nid after mb_add */

struct scenario {
	const char *name;
	struct op ops[8];
	struct h_rgn memory[8];
	unsigned long nr_memory;
	struct h_rgn reserved[8];
	unsigned long nr_reserved;
};

#define G 0x100000ULL /* 1 MiB */
#define S1 0x800000000ULL

static const struct scenario scenarios[] = {
	/*  memory                      |A|
	 *  add         |X|                          |Y|
	 *  result      |X|             |A|          |Y|      three regions */
	{ "seed001: disjoint adds stay apart",
	  { { ADD, 0x810000000, G }, { ADD, S1, G }, { ADD, 0x820000000, G } },
	  { { S1, G, 0, MAXN }, { 0x810000000, G, 0, MAXN }, { 0x820000000, G, 0, MAXN } }, 3 },
	/*  memory           |--A--|
	 *  add        |--X--|     |--Y--|
	 *  result     |--X--+--A--+--Y--|   one region, merged */
	{ "seed001: touching adds merge",
	  { { ADD, S1 + G, G }, { ADD, S1, G }, { ADD, S1 + 2 * G, G } },
	  { { S1, 3 * G, 0, MAXN } }, 1 },
	/*  memory     |--------A--------|
	 *  hotplug    |-H-|         |-H-|
	 *  result     |-H-|----A----|-H-|   flags keep three regions apart */
	{ "seed001: hotplug splits",
	  { { ADD, S1, 3 * G }, { HOTPLUG, S1, G }, { HOTPLUG, S1 + 2 * G, G } },
	  { { S1, G, MB_FLAG_HOTPLUG, MAXN }, { S1 + G, G, 0, MAXN },
	    { S1 + 2 * G, G, MB_FLAG_HOTPLUG, MAXN } }, 3 },
	/*  memory               |---A---|
	 *  add            |----X----|
	 *  add                        |----Y----|
	 *  result         |------one region-----|   overlaps merge */
	{ "seed001: overlapping adds merge",
	  { { ADD, S1 + G, G }, { ADD, S1 + 0x10000, 0x100000 }, { ADD, S1 + 0x120000, G } },
	  { { S1 + 0x10000, 0x210000, 0, MAXN } }, 1 },
	/*  memory            |------A------|
	 *  hotplug      |--H--|        |--H--|   (parts outside memory ignored)
	 *  result            |H|---A---|H| */
	{ "seed001: hotplug clipped to memory",
	  { { ADD, S1 + G, G }, { HOTPLUG, S1 + 0x10000, G }, { HOTPLUG, S1 + 0x120000, G } },
	  { { S1 + G, 0x10000, MB_FLAG_HOTPLUG, MAXN }, { S1 + 0x110000, 0x10000, 0, MAXN },
	    { S1 + 0x120000, 0xe0000, MB_FLAG_HOTPLUG, MAXN } }, 3 },
	/*  memory     |--------A--------|
	 *  remove           |--R--|
	 *  result     |--A1-|     |-A2--|   remove splits */
	{ "remove splits a region",
	  { { ADD, 0x100000, 0x300000 }, { REMOVE, 0x200000, 0x100000 } },
	  { { 0x100000, 0x100000, 0, MAXN }, { 0x300000, 0x100000, 0, MAXN } }, 2 },
	/*  memory     |--A(n0)--|--B(n1)--|     touching, different nid
	 *  result     |--A------|--B------|     not merged */
	{ "nid keeps touching regions apart",
	  { { ADD_NODE, 0x100000, G, 0 }, { ADD_NODE, 0x200000, G, 1 } },
	  { { 0x100000, G, 0, 0 }, { 0x200000, G, 0, 1 } }, 2 },
	/*  memory     |--A(H)--|      |--B(H)--|
	 *  add                 |--X(0)--|          overlaps B's start
	 *  result     |--A(H)--|-X(0)-|--B(H)--|   existing flags win, gap gets X's */
	{ "overlapping add keeps existing flags",
	  { { ADD_NODE, 0x100000, G, MAXN, MB_FLAG_HOTPLUG },
	    { ADD_NODE, 0x300000, G, MAXN, MB_FLAG_HOTPLUG }, { ADD, 0x200000, 0x180000 } },
	  { { 0x100000, G, MB_FLAG_HOTPLUG, MAXN }, { 0x200000, G, 0, MAXN },
	    { 0x300000, G, MB_FLAG_HOTPLUG, MAXN } }, 3 },
	/*  reserved   |-a-|   |-b-|
	 *  reserve      |-----|         bridges the two
	 *  result     |---one-----|     */
	{ "reserve bridges and merges",
	  { { RESERVE, 0x1000, 0x1000 }, { RESERVE, 0x3000, 0x1000 }, { RESERVE, 0x1800, 0x2000 } },
	  { { 0 } }, 0, { { 0x1000, 0x3000, 0, MAXN } }, 1 },
	/*  reserved   |------r------|
	 *  free            |-f-|
	 *  result     |-r1-|   |-r2-| */
	{ "phys_free punches a hole",
	  { { RESERVE, 0x10000, 0x3000 }, { FREE, 0x11000, 0x1000 } },
	  { { 0 } }, 0, { { 0x10000, 0x1000, 0, MAXN }, { 0x12000, 0x1000, 0, MAXN } }, 2 },
	/*  memory     |---A(nid MAX)---|
	 *  set_node        |--n3--|
	 *  result     |-A-|--n3--|-A-|   */
	{ "set_node splits by nid",
	  { { ADD, 0x100000, 0x300000 }, { SET_NODE_MEM, 0x200000, G, 3 } },
	  { { 0x100000, G, 0, MAXN }, { 0x200000, G, 0, 3 }, { 0x300000, G, 0, MAXN } }, 3 },
	/*  memory     |-H-|----A----|-H-|
	 *  clear hotplug everywhere
	 *  result     |-------A--------|    merges back */
	{ "clearing a flag merges back",
	  { { ADD, S1, 3 * G }, { HOTPLUG, S1, G }, { HOTPLUG, S1 + 2 * G, G },
	    { CLR_HOTPLUG, 0, ~0ULL } },
	  { { S1, 3 * G, 0, MAXN } }, 1 },
	/*  size 0 is a no-op for every operation */
	{ "size zero is a no-op",
	  { { ADD, 0x1000, 0 }, { RESERVE, 0x1000, 0 }, { REMOVE, 0x1000, 0 } },
	  { { 0 } }, 0, { { 0 } }, 0 },
	/*  base + size wraps: capped to PHYS_ADDR_MAX - base */
	{ "wrapping size is capped",
	  { { ADD, 0xfffffffffffff000ULL, 0x2000 } },
	  { { 0xfffffffffffff000ULL, 0xfff, 0, MAXN } }, 1 },
	/*  memory     |-A-|  |-B-|  |-C-|
	 *  remove   |----------------------|  everything
	 *  result   (empty: cnt 0)          */
	{ "remove all leaves an empty type",
	  { { ADD, 0x1000, 0x1000 }, { ADD, 0x3000, 0x1000 }, { ADD, 0x5000, 0x1000 },
	    { REMOVE, 0, 0x10000 } },
	  { { 0 } }, 0 },
};

static int apply(struct memblock *mb, const struct op *op)
{
	switch (op->kind) {
	case ADD:
		return mb_add(mb, op->base, op->size);
	case ADD_NODE:
		return mb_add_node(mb, op->base, op->size, op->nid, op->flags);
	case RESERVE:
		return mb_reserve(mb, op->base, op->size);
	case REMOVE:
		return mb_remove(mb, op->base, op->size);
	case FREE:
		return mb_phys_free(mb, op->base, op->size);
	case HOTPLUG:
		return mb_mark_hotplug(mb, op->base, op->size);
	case CLR_HOTPLUG:
		return mb_clear_hotplug(mb, op->base, op->size);
	case NOMAP:
		return mb_mark_nomap(mb, op->base, op->size);
	case SET_NODE_MEM:
		return mb_set_node(mb, op->base, op->size, &mb->memory, op->nid);
	case NOINIT:
		return mb_reserved_mark_noinit(mb, op->base, op->size);
	case END:
		break;
	}
	return 0;
}

static void test_scenarios(void **state)
{
	size_t i, j;

	(void)state;
	for (i = 0; i < sizeof(scenarios) / sizeof(scenarios[0]); i++) {
		const struct scenario *s = &scenarios[i];
		struct harness *h = h_new(128, 128);
		char msg[128];

		printf("scenario: %s\n", s->name);
		for (j = 0; j < 8 && s->ops[j].kind != END; j++)
			assert_int_equal(apply(&h->mb, &s->ops[j]), 0);
		h_assert_regions(&h->mb.memory, s->memory, s->nr_memory);
		h_assert_regions(&h->mb.reserved, s->reserved, s->nr_reserved);
		assert_int_equal(mb_check(&h->mb, msg, sizeof(msg)), 0);
		h_free(h);
	}
}

/* Empty-type conventions of the two profiles (spec 1). */
static void use_6_1(struct mb_config *cfg)
{
	cfg->profile = mb_profile(MB_PROFILE_LINUX_6_1);
}

static void test_empty_type_profiles(void **state)
{
	struct harness *h = h_new(8, 8);

	(void)state;
	assert_int_equal(h->mb.memory.cnt, 0);
	assert_int_equal(mb_add(&h->mb, 0x1000, 0x1000), 0);
	assert_int_equal(mb_remove(&h->mb, 0x1000, 0x1000), 0);
	assert_int_equal(h->mb.memory.cnt, 0);
	assert_int_equal(h->mb.memory.regions[0].size, 0);
	assert_int_equal(h->mb.memory.regions[0].nid, 64);
	h_free(h);

	h = h_new_cfg(8, 8, use_6_1);
	assert_int_equal(h->mb.memory.cnt, 1);
	assert_int_equal(h->mb.memory.regions[0].nid, 0);
	assert_int_equal(mb_add(&h->mb, 0x1000, 0x1000), 0);
	assert_int_equal(h->mb.memory.cnt, 1);
	assert_int_equal(h->mb.memory.regions[0].base, 0x1000);
	assert_int_equal(mb_remove(&h->mb, 0, 0x10000), 0);
	assert_int_equal(h->mb.memory.cnt, 1);
	assert_int_equal(h->mb.memory.regions[0].size, 0);
	assert_int_equal(h->mb.memory.regions[0].nid, 64);
	assert_int_equal(mb_check(&h->mb, NULL, 0), 0);
	h_free(h);
}

static void test_numa_overlap_warning(void **state)
{
	struct harness *h = h_new(128, 128);

	(void)state;
	/*  memory          |--A(n1)--|
	 *  add_node(n0) |------X------|   gap below A, nid differs: WARN_ON */
	assert_int_equal(mb_add_node(&h->mb, 0x200000, 0x100000, 1, 0), 0);
	assert_int_equal(mb_add_node(&h->mb, 0x100000, 0x300000, 0, 0), 0);
	assert_int_equal(h->mb.stats.numa_overlap_warnings, 1);
	h_free(h);
}

static void test_bad_input(void **state)
{
	struct harness *h = h_new(128, 128);

	(void)state;
	assert_int_equal(mb_add(NULL, 0, 0x1000), -MB_EINVAL);
	/* Linux stores any nid it is given (core-bugs: linux-compat item). */
	assert_int_equal(mb_add_node(&h->mb, 0x100000, 0x100000, 100, 0), 0);
	assert_int_equal(mb_set_node(&h->mb, 0x100000, 0x1000, &h->mb.memory, -5), 0);
	assert_int_equal(h->mb.memory.regions[0].nid, -5);
	assert_int_equal(h->mb.memory.regions[1].nid, 100);
	assert_int_equal(mb_check(&h->mb, NULL, 0), 0);
	assert_int_equal(mb_remove(&h->mb, 0, ~0ULL), 0);
	assert_int_equal(mb_set_node(&h->mb, 0, 0x1000, &h->mb.physmem, 0), -MB_EINVAL);
	assert_int_equal(h->mb.memory.cnt, 0);
	h_free(h);
}

/*
 * The searches behind is_reserved, reserve and free at every size up to
 * 40 regions and at every boundary: region i is [0x10000 * (i + 1),
 * + 0x1000 + 0x100 * i), so sizes differ and gaps lie between.
 *
 *   reserved   |--0--|    |---1---|    |----2----| ...
 *   probes     ^ ^   ^    ^ ...        (base - 1, base, end - 1, end)
 */
static void test_search_every_size(void **state)
{
	struct harness *h = h_new(16, 64);
	unsigned long n, i;

	(void)state;
	for (n = 0; n <= 40; n++) {
		for (i = 0; i < n; i++) {
			mb_phys_addr_t base = 0x10000 * (mb_phys_addr_t)(i + 1);
			mb_phys_addr_t end = base + 0x1000 + 0x100 * (mb_phys_addr_t)i;

			assert_false(mb_is_reserved(&h->mb, base - 1));
			assert_true(mb_is_reserved(&h->mb, base));
			assert_true(mb_is_reserved(&h->mb, end - 1));
			assert_false(mb_is_reserved(&h->mb, end));
			/* Free the bottom page and put it back: the count must find i. */
			assert_int_equal(mb_phys_free(&h->mb, base, 0x100), 0);
			assert_false(mb_is_reserved(&h->mb, base));
			assert_int_equal(h->mb.reserved.regions[i].base, base + 0x100);
			assert_int_equal(mb_reserve(&h->mb, base, 0x100), 0);
			assert_int_equal(h->mb.reserved.cnt, n);
			assert_int_equal(h->mb.reserved.regions[i].base, base);
		}
		assert_false(mb_is_reserved(&h->mb, 0x10000 * (mb_phys_addr_t)(n + 1)));
		assert_int_equal(mb_reserve(&h->mb, 0x10000 * (mb_phys_addr_t)(n + 1),
					    0x1000 + 0x100 * (mb_phys_addr_t)n),
				 0);
		assert_int_equal(h->mb.reserved.cnt, n + 1);
	}
	assert_int_equal(mb_check(&h->mb, NULL, 0), 0);
	h_free(h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scenarios),
		cmocka_unit_test(test_empty_type_profiles),
		cmocka_unit_test(test_numa_overlap_warning),
		cmocka_unit_test(test_bad_input),
		cmocka_unit_test(test_search_every_size),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
