// SPDX-License-Identifier: MIT
/*
 * test_growth_fail.c - growth-failure injection.
 *
 * Every public call that fails must leave the instance byte-for-byte as it
 * was (include/memblock/memblock.h, "Error convention"), including the
 * case Linux gets wrong: a second array doubling failing inside a call
 * whose first doubling succeeded.
 *
 * Random runs with tiny initial arrays (1-8 regions) so that growth
 * happens all the time. Each operation is first run with the k-th growth
 * of the call (and every later one) refused, for k = 1, 2, ... until the
 * call completes with fewer than k growth attempts; every refused run must
 * return an error and leave struct memblock and every region array
 * identical to a snapshot. The completing run is then checked as usual:
 *
 *   - MB_GROW_CALLBACK: ops.grow answers NULL; the completing run is
 *     compared with the reference model (model.h) in full;
 *   - MB_GROW_LINUX on simulated RAM (a malloc'd buffer behind
 *     phys_to_virt): phys_to_virt answers NULL for the new array. The
 *     model cannot know where arrays go, so memory must match it exactly
 *     and reserved must match it outside the pages of the old and new
 *     arrays, which must be reserved; the model then takes the core's
 *     reserved type over.
 *
 * Replay: MB_SEED=<seed> ./test_growth_fail  or  ./test_growth_fail <seed>
 * MB_MODEL_OPS scales the number of operations (default 100000 in total).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "driver.h"
#include "../core/snapshot.h"

static uint64_t g_seed;
static unsigned long g_injected_callback, g_injected_linux, g_second_or_later;

/* ---- snapshots ---- */

static void snap_expect_same(struct world *w, struct mb_snapshot *s, const char *why)
{
	const char *diff = snapshot_diff(s, &w->mb);

	if (diff)
		world_fail(w, "%s: %s changed", why, diff);
	if (w->mb.stats.inexact_rollbacks)
		world_fail(w, "%s: rollback counted as inexact", why);
	if (mb_check(&w->mb, NULL, 0))
		world_fail(w, "%s: mb_check fails after the rollback", why);
}

/* ---- MB_GROW_CALLBACK: full model comparison ---- */

static void expect_refused(struct world *w, const struct op *op, const struct op_result *res,
			   struct mb_snapshot *s)
{
	if (res->rc != -MB_ENOMEM && res->rc != -MB_ENOSPC)
		world_fail(w, "growth refused but rc %d (%s)", res->rc, mb_strerror(res->rc));
	/* mark_mirror records the system has mirror even when it fails (spec 7) */
	if (op->kind == OP_MARK_MIRROR && w->wc.mirrored_kernelcore)
		s->mb.system_has_mirror = true;
	snap_expect_same(w, s, "failed call");
}

static void run_callback_op(struct world *w, const struct op *op)
{
	struct op_result res;
	unsigned long k;
	struct mb_snapshot s;

	snapshot_take(&s, &w->mb);
	for (k = 1;; k++) {
		w->grow_calls = 0;
		w->grow_fail_from = k;
		world_begin_op(w);
		op_run_core(w, op, &res);
		if (w->grow_calls < k)
			break;
		expect_refused(w, op, &res, &s);
		g_injected_callback++;
		if (k > 1)
			g_second_or_later++;
		world_release_unused(w);
	}
	w->grow_fail_from = 0;
	snapshot_free(&s);
	op_check(w, op, &res);
	world_release_unused(w);
}

/*
 * A random walk shared by both random tests: @nops operations, each run
 * through @run_op, on a world rebuilt every 100..999 operations from a
 * random config that @tweak (may be NULL) adjusts. Operations @allowed
 * (may be NULL) rejects are drawn again. @salt keeps the two tests' RNG
 * streams apart.
 */
static void random_walk(unsigned long nops, uint64_t salt, void (*tweak)(struct world_config *wc),
			bool (*allowed)(struct world *w, const struct op *op),
			void (*run_op)(struct world *w, const struct op *op))
{
	struct rng r = {g_seed ^ salt};
	unsigned long i, next_reset = 0;
	struct world_config wc;
	struct world *w = calloc(1, sizeof(*w));
	bool live = false;
	unsigned long worlds = 0;
	struct op op;

	assert_non_null(w);
	for (i = 0; i < nops; i++) {
		if (i == next_reset) {
			unsigned long idx = w->op_index;

			if (live)
				world_destroy(w);
			world_config_random(&wc, &r, true);
			if (tweak)
				tweak(&wc);
			/* Worlds take turns in every index mode: pools grow with the arrays. */
			wc.index_mode = driver_index_mode((enum mb_index_mode)(worlds++ % 3));
			world_init(w, &wc, g_seed);
			w->op_index = idx;
			live = true;
			next_reset = i + 100 + rng_below(&r, 900);
		}
		do
			op_generate(w, &r, &op);
		while (allowed && !allowed(w, &op));
		world_record(w, &op);
		run_op(w, &op);
	}
	world_free(w);
}

static void test_growth_callback_random(void **state)
{
	unsigned long nops = driver_env_ulong("MB_MODEL_OPS", 100000) / 2;

	(void)state;
	/* read-only ops never grow: k = 1 completes */
	random_walk(nops, 0x43414c4cull, NULL, NULL, run_callback_op);
	printf("growth_fail(callback): %lu ops, %lu injected growth failures "
	       "(%lu at the 2nd or later growth of a call)\n",
	       nops, g_injected_callback, g_second_or_later);
	fflush(stdout);
}

/* ---- MB_GROW_LINUX on simulated RAM ---- */

struct zone {
	uint64_t base[32];
	uint64_t end[32];
	int n;
};

static struct memblock_type *type_of(struct memblock *mb, int i)
{
	return i == 0 ? &mb->memory : (i == 1 ? &mb->reserved : &mb->physmem);
}

/* Page-rounded ranges of the arrays that live in the simulated RAM. */
static void array_zone(struct world *w, struct zone *z)
{
	int i;

	for (i = 0; i < 3; i++) {
		struct memblock_type *t = type_of(&w->mb, i);
		unsigned char *p = (unsigned char *)t->regions;
		uint64_t bytes, page = w->wc.page_size;

		if (p < w->ram || p >= w->ram + w->wc.space)
			continue;
		bytes = t->max * sizeof(struct memblock_region);
		z->base[z->n] = (uint64_t)(p - w->ram);
		z->end[z->n] = z->base[z->n] + (bytes + page - 1) / page * page;
		z->n++;
	}
}

static bool in_zone(const struct zone *z, uint64_t addr)
{
	int i;

	for (i = 0; i < z->n; i++)
		if (addr >= z->base[i] && addr < z->end[i])
			return true;
	return false;
}

static void load_core_type(struct world *w, enum model_type_id id, const struct memblock_type *t)
{
	struct model_region *r = calloc(t->cnt + 1, sizeof(*r));
	const struct memblock_region *regions = mb_type_regions(&w->mb, t);
	unsigned long i;

	assert_non_null(r);
	for (i = 0; i < t->cnt; i++) {
		r[i].base = regions[i].base;
		r[i].size = regions[i].size;
		r[i].flags = regions[i].flags;
		r[i].nid = regions[i].nid;
	}
	model_load(&w->m, id, r, t->cnt, t->total_size);
	free(r);
}

/*
 * After a successful call: memory exactly as the model says; reserved as
 * the model says outside the arrays' pages; the arrays' pages reserved.
 */
static void check_linux_state(struct world *w, const struct zone *before, bool frees_reserved)
{
	struct zone z = *before;
	uint16_t *want = malloc(w->wc.space * sizeof(uint16_t));
	uint64_t g;
	char msg[256] = "";
	int rc, i, n_final;

	assert_non_null(want);
	rc = mb_check(&w->mb, msg, sizeof(msg));
	if (rc)
		world_fail(w, "mb_check() = %d: %s", rc, msg);
	array_zone(w, &z);
	n_final = z.n;
	/* arrays placed during the call (an intermediate one may stay reserved) */
	for (i = 0; i < w->p2v_n && z.n < 32; i++) {
		z.base[z.n] = w->p2v_base[i];
		z.end[z.n] = w->p2v_base[i] + w->p2v_size[i];
		z.n++;
	}
	memcpy(want, w->m.type[MODEL_RESERVED].attr, w->wc.space * sizeof(uint16_t));
	load_core_type(w, MODEL_RESERVED, &w->mb.reserved);
	for (g = 0; g < w->wc.space; g++) {
		if (in_zone(&z, g) || want[g] == w->m.type[MODEL_RESERVED].attr[g])
			continue;
		free(want);
		world_fail(w, "reserved differs from the model at %#llx (outside arrays)",
			   (unsigned long long)g);
	}
	free(want);
	for (i = before->n; i < n_final && !frees_reserved; i++) {
		int j;
		bool old = false;

		for (j = 0; j < before->n; j++)
			old |= before->base[j] == z.base[i];
		if (old)
			continue;
		for (g = z.base[i]; g < z.end[i]; g++)
			if (!model_is_present(&w->m, MODEL_RESERVED, g))
				world_fail(w, "array page %#llx not reserved",
					   (unsigned long long)g);
	}
	/* memory, physmem and settings: exact */
	world_check_state(w);
}

static bool linux_op_allowed(struct world *w, const struct op *op)
{
	struct zone z = {.n = 0};
	uint64_t end;
	int i;

	/* virtual allocations call phys_to_virt for their own result */
	if (op->kind >= OP_ALLOC_TRY_NID && op->kind <= OP_ALLOC_NODE)
		return false;
	if (op->kind != OP_PHYS_FREE && op->kind != OP_FREE_VIRT)
		return true;
	/*
	 * Freeing the pages of a live array is a caller bug in Linux too (the
	 * next doubling may land on it): never do that here.
	 */
	array_zone(w, &z);
	end = op->size > w->wc.space - op->base ? w->wc.space : op->base + op->size;
	for (i = 0; i < z.n; i++)
		if (op->base < z.end[i] && z.base[i] < end)
			return false;
	return true;
}

/*
 * The reservation of the first fit needed a doubling that found no room,
 * so the allocator fell back (any node, then no mirror) and the fallback's
 * reservation grew the array elsewhere. The model assumes reservations
 * never fail and cannot predict that: accept the core's block when it lay
 * in free memory, and go on from there.
 */
static void take_fallback_alloc(struct world *w, const struct op *op,
				const struct op_result *res, const struct zone *before)
{
	uint64_t g;

	for (g = res->addr; g < res->addr + op->size; g++)
		if (!model_is_present(&w->m, MODEL_MEMORY, g) ||
		    model_is_present(&w->m, MODEL_RESERVED, g))
			world_fail(w, "fallback allocation at %#llx covers %#llx, which was not free",
				   (unsigned long long)res->addr, (unsigned long long)g);
	model_add(&w->m, MODEL_RESERVED, res->addr, op->size, w->wc.max_numnodes, 0);
	check_linux_state(w, before, false);
}

static void run_linux_op(struct world *w, const struct op *op)
{
	struct op_result res;
	struct zone before = {.n = 0};
	unsigned long k;
	struct mb_snapshot s;
	bool natural;

	array_zone(w, &before);
	snapshot_take(&s, &w->mb);
	for (k = 1;; k++) {
		w->p2v_calls = 0;
		w->p2v_fail_from = k;
		world_begin_op(w);
		op_run_core(w, op, &res);
		if (w->p2v_calls < k)
			break;
		/*
		 * The doubling that frees the old array ignores a failure of
		 * that free, as Linux does (the old array stays reserved): the
		 * call then succeeds. Check it as the completing run.
		 */
		if (res.rc == 0)
			break;
		expect_refused(w, op, &res, &s);
		g_injected_linux++;
		if (k > 1)
			g_second_or_later++;
	}
	w->p2v_fail_from = 0;
	/* a real failure: no room for a new array */
	natural = res.rc < 0 && w->failed_double_lines;
	if (natural) {
		if (res.rc != -MB_ENOMEM)
			world_fail(w, "array doubling failed but rc %d", res.rc);
		snap_expect_same(w, &s, "failed doubling");
		snapshot_free(&s);
		return;
	}
	snapshot_free(&s);
	if (res.rc == 0 && w->failed_double_lines && op_is_alloc(op->kind)) {
		take_fallback_alloc(w, op, &res, &before);
		return;
	}
	if (op->kind == OP_QUERY || op->kind == OP_ITERATE) {
		op_check(w, op, &res);
		return;
	}
	op_check_result(w, op, &res);
	check_linux_state(w, &before,
			  op->kind == OP_PHYS_FREE || op->kind == OP_FREE_VIRT ||
			      op->kind >= OP_TRIM);
}

static void linux_config(struct world_config *wc)
{
	wc->grow_policy = MB_GROW_LINUX;
	wc->mirrored_kernelcore = false; /* array searches would warn too */
	wc->no_limit_ops = true;	 /* they drop reservations of arrays */
}

static void test_growth_linux_random(void **state)
{
	unsigned long nops = driver_env_ulong("MB_MODEL_OPS", 100000) / 2;

	(void)state;
	random_walk(nops, 0x4c494e58ull, linux_config, linux_op_allowed, run_linux_op);
	printf("growth_fail(linux): %lu ops, %lu injected doubling failures\n", nops,
	       g_injected_linux);
	fflush(stdout);
}

/* ---- fixed scenarios ---- */

/* 128 KiB of 4 KiB pages, 4 nodes, both arrays @max slots. */
static struct world_config small_config(enum mb_grow_policy policy, unsigned long max,
					bool allow)
{
	return (struct world_config){
	    .space = 0x20000,
	    .page_size = 0x1000,
	    .smp_cache_bytes = 64,
	    .low_address_limit = MB_DEFAULT_LOW_ADDRESS_LIMIT,
	    .max_numnodes = 4,
	    .memory_max = max,
	    .reserved_max = max,
	    .grow_policy = policy,
	    .no_allow_resize = !allow,
	};
}

static struct world *small_world(enum mb_grow_policy policy, unsigned long max, bool allow)
{
	struct world_config wc = small_config(policy, max, allow);

	return world_new(&wc, 0);
}

static bool logged(const struct world *w, const char *line)
{
	const char *p = w->log;
	size_t n = strlen(line);

	while ((p = strstr(p, line)) != NULL) {
		if ((p == w->log || p[-1] == '\n') && p[n] == '\n')
			return true;
		p += n;
	}
	return false;
}

static void pa(char *buf, size_t len, uint64_t addr)
{
	snprintf(buf, len, "0x%0*llx", (int)(2 * sizeof(mb_phys_addr_t)), (unsigned long long)addr);
}

/* The log must say @type doubled from 4 to 8 slots into the page at @base. */
static void expect_doubled(const struct world *w, const char *type, uint64_t base)
{
	uint64_t new_bytes = 8 * sizeof(struct memblock_region);
	char a[32], b[32], line[160];

	pa(a, sizeof(a), base);
	pa(b, sizeof(b), base + new_bytes - 1);
	snprintf(line, sizeof(line), "memblock: %s is doubled to 8 at [%s-%s]", type, a, b);
	if (!logged(w, line))
		fail_msg("expected \"%s\", got:\n%s", line, w->log);
}

/*
 * Linux-style: memory and reserved both full (4 of 4). Adding a fifth
 * memory region doubles memory into the only free page (0x7000); reserving
 * that page needs reserved to double too, and no page is left: the second
 * doubling fails. Linux would keep the first (and then BUG); we must undo
 * it and return -MB_ENOMEM with nothing changed.
 *
 *   memory    |--n0--|--n1--|--n2--|--n3--|              |-new-|
 *   reserved  |----R1-----|.|-R2-|.|R3|  free  |--R4--|
 *             0x1000   0x4800  0x6000 0x7000 0x8000 0x9000  0x10000
 */
static void test_second_doubling_fails(void **state)
{
	struct world *w = small_world(MB_GROW_LINUX, 4, true);
	struct memblock *mb = &w->mb;
	struct mb_snapshot s;
	int nid;

	(void)state;
	for (nid = 0; nid < 4; nid++)
		assert_int_equal(
		    mb_add_node(mb, 0x1000 + 0x2000 * (mb_phys_addr_t)nid, 0x2000, nid, 0), 0);
	assert_int_equal(mb_reserve(mb, 0x1000, 0x3800), 0);
	assert_int_equal(mb_reserve(mb, 0x4900, 0x1700), 0);
	assert_int_equal(mb_reserve(mb, 0x6100, 0x0f00), 0);
	assert_int_equal(mb_reserve(mb, 0x8000, 0x1000), 0);
	assert_int_equal(mb->memory.cnt, 4);
	assert_int_equal(mb->reserved.cnt, 4);
	mb->debug = true;

	snapshot_take(&s, &w->mb);
	world_begin_op(w);
	assert_int_equal(mb_add(mb, 0x10000, 0x1000), -MB_ENOMEM);
	snap_expect_same(w, &s, "second doubling failed");
	snapshot_free(&s);
	g_injected_linux++;
	g_second_or_later++;
	expect_doubled(w, "memory", 0x7000);
	if (!logged(w, "memblock: Failed to double reserved array from 4 to 8 entries !"))
		fail_msg("expected the failed doubling message, got:\n%s", w->log);

	/*
	 * Freeing R4 must isolate in a full reserved array: reserved doubles
	 * first, into the free page below the range being freed (0x7000).
	 */
	world_begin_op(w);
	assert_int_equal(mb_phys_free(mb, 0x8000, 0x1000), 0);
	assert_ptr_equal(mb->reserved.regions, w->ram + 0x7000);
	assert_int_equal(mb->reserved.max, 8);
	assert_int_equal(mb->reserved.cnt, 3);
	assert_int_equal(mb->reserved.regions[2].base, 0x6100);
	assert_int_equal(mb->reserved.regions[2].size, 0x1f00);
	expect_doubled(w, "reserved", 0x7000);

	/* now the add succeeds: memory doubles into the last free page */
	world_begin_op(w);
	assert_int_equal(mb_add(mb, 0x10000, 0x1000), 0);
	assert_ptr_equal(mb->memory.regions, w->ram + 0x8000);
	assert_int_equal(mb->memory.max, 8);
	assert_int_equal(mb->memory.cnt, 5);
	assert_int_equal(mb->reserved.cnt, 3);
	assert_int_equal(mb->reserved.regions[2].base, 0x6100);
	assert_int_equal(mb->reserved.regions[2].size, 0x2f00);
	assert_int_equal(mb_check(mb, NULL, 0), 0);
	expect_doubled(w, "memory", 0x8000);
	world_free(w);
}

/*
 * Freeing the old memory array can double reserved before the new memory
 * array is reserved (memblock_double_array() reserves it last), and that
 * doubling's search may pick the new memory array's own page. Linux then
 * silently corrupts both arrays. We must not: either fail the call with
 * nothing changed or succeed with the arrays apart.
 *
 *   memory   |0x1000 ... 0x9000|  |A 0xa000|  |0xc000|  |0xe000|  +0x10000
 *   step f:  memory array moves 0xa000 -> 0xe000 (not reserved yet);
 *            freeing 0xa000 isolates in a full reserved array, whose
 *            doubling searches above 0xb000: 0xe000 is "free".
 */
static void test_double_array_overlap(void **state)
{
	struct world *w = small_world(MB_GROW_LINUX, 2, true);
	struct memblock *mb = &w->mb;
	struct memblock_region *mem_arr, *rsv_arr;
	uint64_t mem_bytes, rsv_bytes;
	struct mb_snapshot s;
	int rc;

	(void)state;
	assert_int_equal(mb_add(mb, 0x1000, 0x8000), 0);
	assert_int_equal(mb_add(mb, 0xa000, 0x1000), 0);
	assert_int_equal(mb_add(mb, 0xc000, 0x1000), 0); /* memory array -> 0xa000 */
	assert_ptr_equal(mb->memory.regions, w->ram + 0xa000);
	assert_int_equal(mb_reserve(mb, 0x1000, 0x100), 0); /* reserved now 2 of 2 */
	assert_int_equal(mb->reserved.cnt, 2);
	assert_int_equal(mb_add(mb, 0xe000, 0x1000), 0); /* memory 4 of 4 */
	assert_int_equal(mb->memory.cnt, 4);
	mb->debug = true;
	snapshot_take(&s, &w->mb);
	world_begin_op(w);
	rc = mb_add(mb, 0x10000, 0x1000);
	if (rc) {
		snap_expect_same(w, &s, "doubling that would overlap");
		snapshot_free(&s);
		world_free(w);
		return;
	}
	snapshot_free(&s);
	if (mb_check(mb, NULL, 0))
		fail_msg("state corrupted after the doubling; lines:\n%s", w->log);
	mem_arr = mb->memory.regions;
	rsv_arr = mb->reserved.regions;
	mem_bytes = mb->memory.max * sizeof(*mem_arr);
	rsv_bytes = mb->reserved.max * sizeof(*rsv_arr);
	if ((unsigned char *)mem_arr < (unsigned char *)rsv_arr + rsv_bytes &&
	    (unsigned char *)rsv_arr < (unsigned char *)mem_arr + mem_bytes)
		fail_msg("memory and reserved arrays overlap; lines:\n%s", w->log);
	world_free(w);
}

/*
 * memory |A| |B| at 0x2000 and 0x4000, a page each: both of its 2 slots
 * used, so the next new region must grow it through the callback.
 */
static struct world *full_memory_world(bool allow_resize)
{
	struct world *w = small_world(MB_GROW_CALLBACK, 2, allow_resize);

	assert_int_equal(mb_add(&w->mb, 0x2000, 0x1000), 0);
	assert_int_equal(mb_add(&w->mb, 0x4000, 0x1000), 0);
	return w;
}

/* The same two-step growth through the callback: refuse the second call. */
static void test_second_callback_growth_fails(void **state)
{
	struct world *w = full_memory_world(true);
	struct memblock *mb = &w->mb;
	struct mb_snapshot s;

	(void)state;
	/* memory |A| |B|; an add over both gaps needs 2 + 3 = 5 slots: two doublings */
	snapshot_take(&s, &w->mb);
	w->grow_calls = 0;
	w->grow_fail_from = 2;
	world_begin_op(w);
	assert_int_equal(mb_add_node(mb, 0x1000, 0x6000, 1, 0), -MB_ENOSPC);
	assert_int_equal(w->grow_calls, 2);
	snap_expect_same(w, &s, "second callback growth refused");
	snapshot_free(&s);
	world_release_unused(w);
	w->grow_fail_from = 0;
	assert_int_equal(mb_add_node(mb, 0x1000, 0x6000, 1, 0), 0);
	assert_int_equal(mb->memory.max, 8);
	assert_int_equal(mb->memory.cnt, 5);
	assert_int_equal(mb_check(mb, NULL, 0), 0);
	world_free(w);
}

/*
 * A call that changes many regions before its growth fails: the undo
 * must be complete however many regions were touched.
 *
 *   memory    |a| |b| |c| ... 100 regions (nids alternate), 128 slots
 *   reserved  |r|                1 of 1 slot
 *   enforce_memory_limit(0x80): removes 99 memory regions, then must
 *   isolate reserved, which needs growth: refused.
 */
static void test_rollback_many_regions(void **state)
{
	static const int kinds[] = {OP_ENFORCE_LIMIT, OP_CAP_RANGE, OP_MEM_LIMIT_REMOVE_MAP};
	struct world_config wc = small_config(MB_GROW_CALLBACK, 128, true);
	size_t k;

	(void)state;
	wc.reserved_max = 1;
	for (k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
		struct world *w = world_new(&wc, 0);
		struct op op = {.kind = (enum op_kind)kinds[k]};
		struct op_result res;
		struct mb_snapshot s;
		int i;

		for (i = 0; i < 100; i++)
			assert_int_equal(
			    mb_add_node(&w->mb, 0x1000 + 0x100 * (mb_phys_addr_t)i, 0x80, i % 4, 0),
			    0);
		assert_int_equal(mb_reserve(&w->mb, 0x1000, 0x10), 0);
		model_add(&w->m, MODEL_RESERVED, 0x1000, 0x10, 4, 0);
		for (i = 0; i < 100; i++)
			model_add(&w->m, MODEL_MEMORY, 0x1000 + 0x100 * (uint64_t)i, 0x80, i % 4,
				  0);
		op.size = 0x80;
		if (op.kind == OP_CAP_RANGE) {
			op.base = 0x1000;
			op.size = 0x80;
		}
		snapshot_take(&s, &w->mb);
		world_record(w, &op);
		w->grow_calls = 0;
		w->grow_fail_from = 1;
		world_begin_op(w);
		op_run_core(w, &op, &res);
		assert_int_equal(w->grow_calls, 1);
		expect_refused(w, &op, &res, &s);
		snapshot_free(&s);
		g_injected_callback++;
		w->grow_fail_from = 0;
		world_begin_op(w);
		op_run_core(w, &op, &res);
		op_check(w, &op, &res);
		assert_int_equal(w->mb.memory.cnt, 1);
		world_free(w);
	}
}

/* Growth before mb_allow_resize(): Linux panics; we fail with -MB_EPERM. */
static void test_growth_before_allow_resize(void **state)
{
	struct world *w = full_memory_world(false);
	struct memblock *mb = &w->mb;
	struct mb_snapshot s;

	(void)state;
	snapshot_take(&s, &w->mb);
	world_begin_op(w);
	assert_int_equal(mb_add(mb, 0x8000, 0x1000), -MB_EPERM);
	snap_expect_same(w, &s, "growth before allow_resize");
	snapshot_free(&s);
	if (!logged(w, "memblock: cannot resize memory array"))
		fail_msg("expected the resize message, got:\n%s", w->log);
	assert_int_equal(w->grow_calls, 0);
	world_free(w);
}

/* MB_GROW_FIXED: a full array fails with -MB_ENOSPC, nothing changed. */
static void test_growth_fixed(void **state)
{
	struct world *w = small_world(MB_GROW_FIXED, 2, true);
	struct memblock *mb = &w->mb;
	struct mb_snapshot s;

	(void)state;
	assert_int_equal(mb_reserve(mb, 0x2000, 0x1000), 0);
	assert_int_equal(mb_reserve(mb, 0x4000, 0x1000), 0);
	snapshot_take(&s, &w->mb);
	assert_int_equal(mb_reserve(mb, 0x8000, 0x1000), -MB_ENOSPC);
	assert_int_equal(mb_phys_free(mb, 0x2400, 0x100), -MB_ENOSPC);
	snap_expect_same(w, &s, "fixed capacity");
	snapshot_free(&s);
	world_free(w);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_second_doubling_fails),
	    cmocka_unit_test(test_double_array_overlap),
	    cmocka_unit_test(test_second_callback_growth_fails),
	    cmocka_unit_test(test_rollback_many_regions),
	    cmocka_unit_test(test_growth_before_allow_resize),
	    cmocka_unit_test(test_growth_fixed),
	    cmocka_unit_test(test_growth_callback_random),
	    cmocka_unit_test(test_growth_linux_random),
	};
	int rc;

	g_seed = driver_seed(argc, argv, "test_growth_fail");
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	printf("growth_fail: %lu injected growth failures in total (callback %lu, linux %lu; "
	       "%lu at the 2nd or later growth of a call)\n",
	       g_injected_callback + g_injected_linux, g_injected_callback, g_injected_linux,
	       g_second_or_later);
	return rc;
}
