// SPDX-License-Identifier: MIT
/*
 * test_profile.c - the behaviour differences between the linux-6.12 and
 * linux-6.1 profiles, each case run under both with the result each
 * kernel gives (taken from the real mm/memblock.c of Linux 6.12.118 and
 * 6.1.192 through scripts/check-linux's kernel-side harness), and the
 * calls 6.1 does not have.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "harness.h"

static void use_61(struct mb_config *cfg)
{
	cfg->profile = mb_profile(MB_PROFILE_LINUX_6_1);
}

static void use_61_16(struct mb_config *cfg)
{
	use_61(cfg);
	cfg->max_numnodes = 16;
}

static void use_612_16(struct mb_config *cfg)
{
	cfg->max_numnodes = 16;
}

static struct harness *h_prof(bool v61)
{
	struct harness *h = h_new_cfg(128, 128, v61 ? use_61 : NULL);

	mb_allow_resize(&h->mb);
	return h;
}

/*
 * free_all on node 1 memory with a reserve inside: 6.12's
 * memmap_init_reserved_pages() gives the reserved region node 1 and hands
 * it over with that node; 6.1 leaves it without a node.
 */
static void free_all_case(bool v61, int want_region_nid, int want_handover_nid)
{
	struct harness *h = h_prof(v61);
	unsigned long pages = 0;

	assert_int_equal(mb_add_node(&h->mb, 0x100000, 0x100000, 1, 0), 0);
	assert_int_equal(mb_reserve(&h->mb, 0x180000, 0x1000), 0);
	assert_int_equal(mb_free_all(&h->mb, 0xfffffffful, &pages), 0);
	assert_int_equal(pages, 255);
	assert_int_equal(h->mb.reserved.cnt, 1);
	assert_int_equal(h->mb.reserved.regions[0].nid, want_region_nid);
	assert_int_equal(h->nrsv, 1);
	assert_int_equal(h->rsv_start[0], 0x180000);
	assert_int_equal(h->rsv_end[0], 0x181000);
	assert_int_equal(h->rsv_nid[0], want_handover_nid);
	h_free(h);
}

static void test_free_all_nodes(void **state)
{
	(void)state;
	free_all_case(false, 1, 1);
	free_all_case(true, MB_DEFAULT_MAX_NUMNODES, MB_NUMA_NO_NODE);
}

/*
 * cap_memory_range() splits a NOMAP region into three touching pieces that
 * stay unmerged; the next add merges the whole array in 6.1, only around
 * itself in 6.12.
 */
static void test_merge_scope(void **state)
{
	static const struct h_rgn want_612[] = {
		{ 0x1000, 0x1000, MB_FLAG_NOMAP, 64 },
		{ 0x2000, 0x1000, MB_FLAG_NOMAP, 64 },
		{ 0x3000, 0xd000, MB_FLAG_NOMAP, 64 },
		{ 0x20000, 0x1000, 0, 64 },
	};
	static const struct h_rgn want_61[] = {
		{ 0x1000, 0xf000, MB_FLAG_NOMAP, 64 },
		{ 0x20000, 0x1000, 0, 64 },
	};
	int v;

	(void)state;
	for (v = 0; v < 2; v++) {
		struct harness *h = h_prof(v);

		assert_int_equal(mb_add(&h->mb, 0x1000, 0xf000), 0);
		assert_int_equal(mb_mark_nomap(&h->mb, 0x1000, 0xf000), 0);
		assert_int_equal(mb_cap_memory_range(&h->mb, 0x2000, 0x1000), 0);
		assert_int_equal(h->mb.memory.cnt, 3);
		assert_int_equal(mb_add(&h->mb, 0x20000, 0x1000), 0);
		if (v)
			h_assert_regions(&h->mb.memory, want_61, 2);
		else
			h_assert_regions(&h->mb.memory, want_612, 4);
		assert_int_equal(h->mb.memory.total_size, 0x10000);
		h_free(h);
	}
}

/* A third disjoint range in a 2-entry array before mb_allow_resize(). */
static void test_growth_before_allow_resize(void **state)
{
	int v;

	(void)state;
	for (v = 0; v < 2; v++) {
		struct harness *h = h_new_cfg(2, 2, v ? use_61 : NULL);

		assert_int_equal(mb_add(&h->mb, 0x1000, 0x1000), 0);
		assert_int_equal(mb_add(&h->mb, 0x3000, 0x1000), 0);
		h_clear_lines(h);
		if (v) {
			/* 6.1: memblock_double_array() returns -1, no message. */
			assert_int_equal(mb_add(&h->mb, 0x5000, 0x1000), -MB_ENOMEM);
			assert_int_equal(h_find_line(h, "memblock: cannot resize memory array"),
					 -1);
		} else {
			/* 6.12 panics with this message; we fail the call. */
			assert_int_equal(mb_add(&h->mb, 0x5000, 0x1000), -MB_EPERM);
			assert_true(h_find_line(h, "memblock: cannot resize memory array") >= 0);
		}
		assert_int_equal(h->mb.memory.cnt, 2);
		assert_int_equal(h->mb.memory.total_size, 0x2000);
		h_free(h);
	}
}

struct nid_case {
	int nid;
	bool exact;
	mb_phys_addr_t want_612;
	mb_phys_addr_t want_61;
};

/* Nodes 0 and 1 of a 16-node instance; top-down allocations of one page. */
static void test_nid_rule(void **state)
{
	static const struct nid_case cases[] = {
		{ 17, true, 0x2ff000, 0 },	   /* 6.12: invalid = any; 6.1: node 17 */
		{ 17, false, 0x2ff000, 0x2ff000 }, /* 6.1 falls back to any node */
		{ -5, true, 0x2ff000, 0 },
		{ 16, true, 0x2ff000, 0x2ff000 }, /* MAX_NUMNODES: 6.1 warns, any node */
		{ 1, true, 0x2ff000, 0x2ff000 },
		{ 0, true, 0x1ff000, 0x1ff000 },
		{ -1, true, 0x2ff000, 0x2ff000 },
	};
	static const char warning[] = "WARNING: memblock_alloc_range_nid: Usage of "
				      "MAX_NUMNODES is deprecated. Use NUMA_NO_NODE instead";
	size_t i;
	int v;

	(void)state;
	for (v = 0; v < 2; v++) {
		for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
			const struct nid_case *c = &cases[i];
			struct harness *h = h_new_cfg(128, 128, v ? use_61_16 : use_612_16);
			mb_phys_addr_t got = 1;
			int rc;

			assert_int_equal(mb_add_node(&h->mb, 0x100000, 0x100000, 0, 0), 0);
			assert_int_equal(mb_add_node(&h->mb, 0x200000, 0x100000, 1, 0), 0);
			h_clear_lines(h);
			rc = mb_alloc_range_nid(&h->mb, 0x1000, 0x1000, 0, MB_ALLOC_ANYWHERE,
						c->nid, c->exact, &got);
			assert_int_equal(got, v ? c->want_61 : c->want_612);
			assert_int_equal(rc, got ? 0 : -MB_ENOMEM);
			assert_int_equal(h_find_line(h, warning) >= 0, v && c->nid == 16);
			h_free(h);
		}
	}
}

/* Only one warning per call site, as WARN_ONCE. */
static void test_max_numnodes_warns_once(void **state)
{
	struct harness *h = h_new_cfg(128, 128, use_61_16);
	mb_phys_addr_t got;
	int i, n = 0;

	(void)state;
	assert_int_equal(mb_add_node(&h->mb, 0x100000, 0x100000, 0, 0), 0);
	h_clear_lines(h);
	for (i = 0; i < 3; i++)
		assert_int_equal(mb_alloc_range_nid(&h->mb, 0x1000, 0x1000, 0, MB_ALLOC_ANYWHERE,
						    16, false, &got),
				 0);
	for (i = 0; i < h->nlines; i++)
		n += strstr(h->lines[i].text, "MAX_NUMNODES is deprecated") != NULL;
	assert_int_equal(n, 1);
	h_free(h);
}

/* __next_mem_pfn_range(): which nid means "every node". */
static void test_pfn_walk_every_node(void **state)
{
	int v;

	(void)state;
	for (v = 0; v < 2; v++) {
		struct harness *h = h_new_cfg(128, 128, v ? use_61_16 : use_612_16);
		unsigned long s, e;
		int i, nid, all = 0, none = 0;

		assert_int_equal(mb_add_node(&h->mb, 0x100000, 0x100000, 0, 0), 0);
		assert_int_equal(mb_add_node(&h->mb, 0x200000, 0x100000, 1, 0), 0);
		mb_for_each_mem_pfn_range(&h->mb, i, 16, &s, &e, &nid)
			all++;
		mb_for_each_mem_pfn_range(&h->mb, i, MB_NUMA_NO_NODE, &s, &e, &nid)
			none++;
		assert_int_equal(all, 2);
		/* 6.1 matches -1 only against regions whose node is -1. */
		assert_int_equal(none, v ? 0 : 2);
		h_free(h);
	}
}

/* What 6.1 does not have is refused, naming nothing changed. */
static void test_refused_under_61(void **state)
{
	struct harness *h = h_prof(true);
	struct memblock before;

	(void)state;
	assert_int_equal(mb_add(&h->mb, 0x100000, 0x100000), 0);
	assert_int_equal(mb_reserve(&h->mb, 0x100000, 0x1000), 0);
	memcpy(&before, &h->mb, sizeof(before));
	assert_int_equal(mb_reserved_mark_noinit(&h->mb, 0x100000, 0x1000), -MB_ENOTSUP);
	assert_int_equal(mb_add_node(&h->mb, 0x300000, 0x1000, 0, MB_FLAG_RSRV_NOINIT),
			 -MB_ENOTSUP);
	assert_int_equal(mb_reserve_mem(&h->mb, 0x1000, 0x1000, "trace"), -MB_ENOTSUP);
	assert_memory_equal(&before, &h->mb, offsetof(struct memblock, stats));
	assert_int_equal(h->mb.reserved.regions[0].flags, 0);
	assert_false(mb_profile_has_call(&h->mb, MB_CALL_RESERVED_MARK_NOINIT));
	assert_false(mb_profile_has_call(&h->mb, MB_CALL_VALIDATE_NUMA_COVERAGE));
	assert_string_equal(mb_strerror(-MB_ENOTSUP), "not in this profile's kernel version");
	h_free(h);

	/* The same calls work under 6.12. */
	h = h_prof(false);
	assert_int_equal(mb_add(&h->mb, 0x100000, 0x100000), 0);
	assert_int_equal(mb_reserve(&h->mb, 0x100000, 0x1000), 0);
	assert_int_equal(mb_reserved_mark_noinit(&h->mb, 0x100000, 0x1000), 0);
	assert_int_equal(h->mb.reserved.regions[0].flags, MB_FLAG_RSRV_NOINIT);
	assert_true(mb_profile_has_call(&h->mb, MB_CALL_VALIDATE_NUMA_COVERAGE));
	h_free(h);
}

/* Every profile says whether and against what it was verified. */
static void test_profile_table(void **state)
{
	int i;

	(void)state;
	for (i = 0; i < MB_PROFILE_COUNT; i++) {
		const struct mb_profile *p = mb_profile((enum mb_profile_id)i);

		assert_non_null(p);
		assert_true(p->unverified == (p->verified_against == NULL));
	}
	assert_false(mb_profile(MB_PROFILE_LINUX_6_12)->unverified);
	assert_false(mb_profile(MB_PROFILE_LINUX_6_1)->unverified);
	assert_true(mb_profile(MB_PROFILE_LINUX_5_4)->unverified);
	assert_true(mb_profile(MB_PROFILE_LINUX_4_X)->unverified);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_free_all_nodes),
		cmocka_unit_test(test_merge_scope),
		cmocka_unit_test(test_growth_before_allow_resize),
		cmocka_unit_test(test_nid_rule),
		cmocka_unit_test(test_max_numnodes_warns_once),
		cmocka_unit_test(test_pfn_walk_every_node),
		cmocka_unit_test(test_refused_under_61),
		cmocka_unit_test(test_profile_table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
