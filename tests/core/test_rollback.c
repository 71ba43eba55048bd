// SPDX-License-Identifier: MIT
/*
 * test_rollback.c - failing calls that have made (or would have made)
 * thousands of writes must leave the instance byte for byte as it was.
 *
 * Each scenario builds thousands of regions, then runs one call with the
 * k-th array growth of the call (and every later one) refused, for
 * k = 1, 2, ... until the call completes with fewer than k growths. Every
 * refused run must fail and leave struct memblock (but the event counters)
 * and every region array, up to max, identical to a snapshot, with
 * mb_check() passing and no inexact rollback counted.
 *
 * Every scenario runs flat (MB_INDEX_OFF), indexed (MB_INDEX_ON) and
 * indexed from MB_INDEX_AUTO_MAX on (MB_INDEX_AUTO); the indexed runs
 * also refuse the k-th index pool a call asks for, which must fail the
 * call the same way. An index is compared by what it holds
 * (snapshot.h), and every pool given out must come back.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <memblock/memblock.h>

#include "harness.h"
#include "snapshot.h"

#define MAX_GROWN 64

struct fx {
	struct memblock mb;
	struct memblock_region *mem, *res;
	unsigned long grow_calls, fail_from;
	void *grown[MAX_GROWN];
	int ngrown;
	/* index pools: bytes out, and refusal of call index_fail_from on */
	size_t index_bytes;
	unsigned long index_calls, index_fail_from;
};

static void *index_alloc(void *ctx, size_t bytes)
{
	struct fx *f = ctx;

	f->index_calls++;
	if (f->index_fail_from && f->index_calls >= f->index_fail_from)
		return NULL;
	f->index_bytes += bytes;
	return malloc(bytes);
}

static void index_free(void *ctx, void *mem, size_t bytes)
{
	struct fx *f = ctx;

	assert_true(f->index_bytes >= bytes);
	f->index_bytes -= bytes;
	free(mem);
}

static enum mb_index_mode mode_of(void **state)
{
	return *state ? *(enum mb_index_mode *)*state : MB_INDEX_OFF;
}

static struct memblock_region *grow(void *ctx, const struct memblock_type *type,
				    unsigned long new_max)
{
	struct fx *f = ctx;
	void *p;

	(void)type;
	f->grow_calls++;
	if (f->fail_from && f->grow_calls >= f->fail_from)
		return NULL;
	assert_true(f->ngrown < MAX_GROWN);
	p = calloc(new_max, sizeof(struct memblock_region));
	assert_non_null(p);
	f->grown[f->ngrown++] = p;
	return p;
}

static struct fx *fx_new(unsigned long mem_max, unsigned long res_max, enum mb_index_mode mode)
{
	struct fx *f = calloc(1, sizeof(*f));
	struct mb_config cfg;

	assert_non_null(f);
	f->mem = calloc(mem_max, sizeof(*f->mem));
	f->res = calloc(res_max, sizeof(*f->res));
	assert_non_null(f->mem);
	assert_non_null(f->res);
	mb_config_default(&cfg);
	cfg.numa = true;
	cfg.memory_regions = f->mem;
	cfg.memory_max = mem_max;
	cfg.reserved_regions = f->res;
	cfg.reserved_max = res_max;
	cfg.grow_policy = MB_GROW_CALLBACK;
	cfg.ops.grow = grow;
	cfg.ops.grow_ctx = f;
	cfg.ops.index_alloc = index_alloc;
	cfg.ops.index_free = index_free;
	cfg.ops.index_ctx = f;
	assert_int_equal(mb_init(&f->mb, &cfg), 0);
	assert_int_equal(mb_set_index(&f->mb, mode), 0);
	mb_allow_resize(&f->mb);
	return f;
}

static void fx_free(struct fx *f)
{
	int i;

	assert_int_equal(mb_set_index(&f->mb, MB_INDEX_OFF), 0);
	assert_int_equal(f->index_bytes, 0);

	for (i = 0; i < f->ngrown; i++)
		free(f->grown[i]);
	free(f->mem);
	free(f->res);
	free(f);
}

static void snap_expect_same(struct fx *f, struct mb_snapshot *s)
{
	const char *diff = snapshot_diff(s, &f->mb);
	char msg[200];

	snapshot_free(s);
	if (diff)
		fail_msg("%s changed by a failing call", diff);
	assert_int_equal(mb_check(&f->mb, msg, sizeof(msg)), 0);
	assert_int_equal(f->mb.stats.inexact_rollbacks, 0);
}

typedef int (*call_fn)(struct memblock *mb, mb_phys_addr_t a, mb_phys_addr_t b);

/*
 * Refuse the k-th growth for k = 1, 2, ... until @call succeeds; every
 * refused run must change nothing. Returns how many runs were refused.
 */
static unsigned long refuse_each_growth(struct fx *f, call_fn call, mb_phys_addr_t a,
					mb_phys_addr_t b)
{
	unsigned long k, refused = 0;
	struct mb_snapshot s;
	char msg[200];

	for (k = 1;; k++) {
		int rc;

		snapshot_take(&s, &f->mb);
		f->grow_calls = 0;
		f->fail_from = k;
		rc = call(&f->mb, a, b);
		if (!rc) {
			int i;

			for (i = 0; i < 3; i++)
				free(s.copy[i]);
			break;
		}
		assert_int_equal(rc, -MB_ENOSPC);
		assert_true(f->grow_calls >= k);
		snap_expect_same(f, &s);
		refused++;
	}
	f->fail_from = 0;
	assert_int_equal(mb_check(&f->mb, msg, sizeof(msg)), 0);
	assert_int_equal(f->mb.stats.inexact_rollbacks, 0);
	return refused;
}

/*
 * Refuse the k-th index pool of @call for k = 1, 2, ... until it succeeds
 * (state as left by the refused runs: unchanged); returns the refusals.
 * The caller snapshots and restores nothing: each refused run must be
 * a no-op.
 */
static unsigned long refuse_each_index_pool(struct fx *f, call_fn call, mb_phys_addr_t a,
					    mb_phys_addr_t b)
{
	unsigned long k, refused = 0;
	struct mb_snapshot s;

	if (f->mb.index_mode == MB_INDEX_OFF)
		return 0;
	for (k = 1;; k++) {
		snapshot_take(&s, &f->mb);
		f->index_calls = 0;
		f->index_fail_from = k;
		if (!call(&f->mb, a, b)) {
			snapshot_free(&s);
			break;
		}
		assert_true(f->index_calls >= k);
		snap_expect_same(f, &s);
		refused++;
	}
	f->index_fail_from = 0;
	return refused;
}

/* Region i of the layouts below: a page at 16 MiB + 8 KiB * i, nodes alternating. */
static mb_phys_addr_t rgn_base(unsigned long i)
{
	return 0x1000000 + 0x2000 * (mb_phys_addr_t)i;
}

static void add_pages(struct fx *f, unsigned long n)
{
	unsigned long i;

	for (i = 0; i < n; i++)
		assert_int_equal(mb_add_node(&f->mb, rgn_base(i), 0x1000, (int)(i % 4), 0), 0);
}

/* Fill reserved to @cnt regions, 2 KiB each, straddling the memory pages. */
static void reserve_spread(struct fx *f, unsigned long cnt, unsigned long nmem)
{
	unsigned long i, step = nmem / cnt;

	for (i = 0; i < cnt; i++)
		assert_int_equal(mb_reserve(&f->mb, rgn_base(i * step) + 0xc00, 0x800), 0);
}

static int cap_call(struct memblock *mb, mb_phys_addr_t base, mb_phys_addr_t size)
{
	return mb_cap_memory_range(mb, base, size);
}

/*
 * 10,000 memory regions in a full array; keep 100 in the middle. The
 * memory isolation doubles memory; the reserved truncations then need
 * reserved (full) to double: refusing that is the second isolation
 * failing after Linux would have removed 9,900 regions.
 */
static struct fx *cap_10000_world(enum mb_index_mode mode)
{
	struct fx *f = fx_new(10000, 64, mode);

	add_pages(f, 10000);
	reserve_spread(f, 63, 10000);
	return f;
}

static void cap_10000_expect(struct fx *f, mb_phys_addr_t base)
{
	const struct memblock_region *mem = mb_type_regions(&f->mb, &f->mb.memory);

	assert_int_equal(f->mb.memory.cnt, 101);
	assert_int_equal(mem[0].base, base);
	assert_int_equal(mem[0].size, 0x800);
	assert_int_equal(f->mb.memory.total_size, 100 * 0x1000);
}

static void test_cap_10000(void **state)
{
	struct fx *f = cap_10000_world(mode_of(state));
	mb_phys_addr_t base = rgn_base(5000) + 0x800, size = rgn_base(100) - rgn_base(0);
	unsigned long refused;

	refused = refuse_each_growth(f, cap_call, base, size);
	assert_true(refused >= 2);
	cap_10000_expect(f, base);
	fx_free(f);
	if (mode_of(state) == MB_INDEX_OFF)
		return;
	f = cap_10000_world(mode_of(state));
	assert_true(refuse_each_index_pool(f, cap_call, base, size) >= 1);
	cap_10000_expect(f, base);
	fx_free(f);
}

/* NOMAP regions outside the range stay: the cap removes only the rest. */
static void test_cap_10000_nomap(void **state)
{
	struct fx *f = fx_new(16384, 64, mode_of(state));
	mb_phys_addr_t base = rgn_base(3000), size = rgn_base(10) - rgn_base(0);
	unsigned long i;

	add_pages(f, 10000);
	for (i = 0; i < 10000; i += 1000)
		assert_int_equal(mb_mark_nomap(&f->mb, rgn_base(i), 0x1000), 0);
	reserve_spread(f, 63, 10000);
	assert_true(refuse_each_growth(f, cap_call, base, size) >= 1);
	/* 10 kept in the range (one of them NOMAP), 9 NOMAP outside it */
	assert_int_equal(f->mb.memory.cnt, 19);
	fx_free(f);
}

static int remove_call(struct memblock *mb, mb_phys_addr_t base, mb_phys_addr_t size)
{
	return mb_remove(mb, base, size);
}

/* A removal across 5,000 regions of a full array, cutting both end regions. */
static void test_remove_5000(void **state)
{
	mb_phys_addr_t base = rgn_base(0) + 0x800, end = rgn_base(4999) + 0x800;
	int pass;

	for (pass = 0; pass < 2; pass++) {
		struct fx *f = fx_new(5000, 8, mode_of(state));

		add_pages(f, 5000);
		if (!pass)
			assert_true(refuse_each_growth(f, remove_call, base, end - base) >= 1);
		else if (mode_of(state) != MB_INDEX_OFF)
			assert_true(refuse_each_index_pool(f, remove_call, base, end - base) >= 1);
		else
			assert_int_equal(remove_call(&f->mb, base, end - base), 0);
		assert_int_equal(f->mb.memory.cnt, 2);
		assert_int_equal(f->mb.memory.total_size, 0x1000);
		fx_free(f);
	}
}

static int enforce_call(struct memblock *mb, mb_phys_addr_t limit, mb_phys_addr_t unused)
{
	(void)unused;
	return mb_enforce_memory_limit(mb, limit);
}

/*
 * 10,000 regions; the limit cuts the 4,000th in half. Memory loses 6,000
 * regions, then the reserved removal needs reserved (full) to grow.
 */
static void test_enforce_limit_fails_at_end(void **state)
{
	mb_phys_addr_t limit = 3999 * 0x1000 + 0x800;
	int pass;

	for (pass = 0; pass < 2; pass++) {
		struct fx *f = fx_new(10000, 64, mode_of(state));

		add_pages(f, 10000);
		reserve_spread(f, 63, 10000);
		if (!pass)
			assert_true(refuse_each_growth(f, enforce_call, limit, 0) >= 1);
		else if (mode_of(state) != MB_INDEX_OFF)
			assert_true(refuse_each_index_pool(f, enforce_call, limit, 0) >= 1);
		else
			assert_int_equal(enforce_call(&f->mb, limit, 0), 0);
		assert_int_equal(f->mb.memory.cnt, 4000);
		assert_int_equal(mb_type_regions(&f->mb, &f->mb.memory)[3999].size, 0x800);
		fx_free(f);
	}
}

/*
 * mb_check() accepts a memory total_size above the sum of sizes only by
 * what trim left there, and nowhere else.
 */
static void test_check_total_size(void **state)
{
	struct harness *h = h_new(16, 16);
	char msg[200];

	(void)state;
	assert_int_equal(mb_add(&h->mb, 0x1800, 0x3000), 0);
	h->mb.memory.total_size += 0x1000;
	assert_int_equal(mb_check(&h->mb, msg, sizeof(msg)), -MB_ECORRUPT);
	h->mb.memory.total_size -= 0x1000;
	assert_int_equal(mb_check(&h->mb, NULL, 0), 0);
	/* trim to 4 KiB: [0x2000, 0x4000), total_size stays 0x3000 */
	assert_int_equal(mb_trim_memory(&h->mb, 0x1000), 0);
	assert_int_equal(h->mb.memory.total_size, 0x3000);
	assert_int_equal(mb_check(&h->mb, NULL, 0), 0);
	h->mb.memory.total_size += 1;
	assert_int_equal(mb_check(&h->mb, NULL, 0), -MB_ECORRUPT);
	h->mb.memory.total_size -= 1;
	/* the excess is carried by later changes... */
	assert_int_equal(mb_add(&h->mb, 0x8000, 0x1000), 0);
	assert_int_equal(mb_check(&h->mb, NULL, 0), 0);
	/* ...and cleared when memory starts again from empty */
	assert_int_equal(mb_remove(&h->mb, 0, 0x10000), 0);
	assert_int_equal(h->mb.memory.total_size, 0x1000);
	assert_int_equal(mb_check(&h->mb, NULL, 0), 0);
	assert_int_equal(mb_add(&h->mb, 0x8000, 0x1000), 0);
	assert_int_equal(h->mb.memory.total_size, 0x1000);
	assert_int_equal(mb_check(&h->mb, NULL, 0), 0);
	/* reserved never has an excess */
	assert_int_equal(mb_reserve(&h->mb, 0x8000, 0x100), 0);
	h->mb.reserved.total_size += 0x100;
	assert_int_equal(mb_check(&h->mb, NULL, 0), -MB_ECORRUPT);
	h_free(h);
}

/*
 * Linux-style growth inside a cap: the new reserved array goes where Linux
 * puts it, in memory the cap keeps (Linux removes the rest first), not in
 * the higher memory about to go.
 *
 *   memory   [1M ------ 2M)        [3M ------ 4M)
 *   cap      [1M ------ 2M)
 *   reserved full (4 of 4): truncating it doubles it, top-down, below 2M.
 */
static void test_cap_growth_placement(void **state)
{
	struct harness *h = h_new(16, 4);

	(void)state;
	h_ram(h, 0, 0x400000);
	mb_allow_resize(&h->mb);
	assert_int_equal(mb_add(&h->mb, 0x100000, 0x100000), 0);
	assert_int_equal(mb_add(&h->mb, 0x300000, 0x100000), 0);
	assert_int_equal(mb_reserve(&h->mb, 0x100000, 0x1000), 0);
	assert_int_equal(mb_reserve(&h->mb, 0x180000, 0x1000), 0);
	assert_int_equal(mb_reserve(&h->mb, 0x300000, 0x1000), 0);
	assert_int_equal(mb_reserve(&h->mb, 0x380000, 0x1000), 0);
	assert_int_equal(mb_cap_memory_range(&h->mb, 0x100000, 0x100000), 0);
	assert_int_equal(h->mb.reserved.max, 8);
	assert_ptr_equal(h->mb.reserved.regions, h->ram + 0x1ff000);
	assert_int_equal(h->mb.memory.cnt, 1);
	assert_int_equal(h->mb.reserved.cnt, 3);
	assert_int_equal(h->mb.reserved.regions[2].base, 0x1ff000);
	assert_int_equal(mb_check(&h->mb, NULL, 0), 0);
	h_free(h);
}

static bool journal_is_zero(const struct memblock *mb)
{
	const unsigned char *p = (const unsigned char *)&mb->journal;
	size_t i;

	for (i = 0; i < sizeof(mb->journal); i++)
		if (p[i])
			return false;
	return true;
}

/*
 * Calls with room in their arrays cannot fail after a write, so they run
 * without snapshot or journal (direct): one that fails (an allocation
 * that finds nothing) still changes nothing, and every call, failed or
 * not, leaves the journal all zero.
 */
static void test_direct_calls(void **state)
{
	struct fx *f = fx_new(16, 16, mode_of(state));
	struct mb_snapshot s;
	mb_phys_addr_t got;

	assert_int_equal(mb_add_node(&f->mb, 0x100000, 0x100000, 0, 0), 0);
	assert_int_equal(mb_add_node(&f->mb, 0x300000, 0x100000, 1, 0), 0);
	assert_int_equal(mb_reserve(&f->mb, 0x180000, 0x1000), 0);
	assert_int_equal(mb_phys_alloc(&f->mb, 0x1000, 0x1000, &got), 0);
	assert_int_equal(got, 0x3ff000);
	assert_int_equal(mb_phys_free(&f->mb, 0x180000, 0x800), 0);
	assert_true(journal_is_zero(&f->mb));

	snapshot_take(&s, &f->mb);
	assert_int_equal(mb_phys_alloc(&f->mb, 0x200000, 0x1000, &got), -MB_ENOMEM);
	assert_int_equal(got, 0);
	snap_expect_same(f, &s);
	assert_true(journal_is_zero(&f->mb));

	snapshot_take(&s, &f->mb);
	assert_int_equal(mb_alloc_range_nid(&f->mb, 0x1000, 0x1000, 0, MB_ALLOC_ACCESSIBLE, 2,
					    true, &got),
			 -MB_ENOMEM);
	snap_expect_same(f, &s);
	assert_true(journal_is_zero(&f->mb));
	assert_int_equal(f->grow_calls, 0);
	fx_free(f);
}

int main(void)
{
	static enum mb_index_mode modes[3] = { MB_INDEX_OFF, MB_INDEX_ON, MB_INDEX_AUTO };
	const struct CMUnitTest tests[] = {
#define IN_EVERY_MODE(t)                                                                     \
	cmocka_unit_test_prestate(t, &modes[0]), cmocka_unit_test_prestate(t, &modes[1]),    \
		cmocka_unit_test_prestate(t, &modes[2])
		IN_EVERY_MODE(test_cap_10000),
		IN_EVERY_MODE(test_cap_10000_nomap),
		IN_EVERY_MODE(test_remove_5000),
		IN_EVERY_MODE(test_enforce_limit_fails_at_end),
		cmocka_unit_test(test_check_total_size),
		cmocka_unit_test(test_cap_growth_placement),
		IN_EVERY_MODE(test_direct_calls),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
