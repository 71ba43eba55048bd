// SPDX-License-Identifier: MIT
/*
 * test_model.c - model-based randomized test of the core.
 *
 * Drives MB_MODEL_OPS (default 100,000) random operations against a fresh
 * configuration every few thousand operations and compares, after every
 * single one, the whole instance with the reference model (model.h):
 * mb_check(), every region (base, size, flags, nid) of memory, reserved and
 * physmem, total_size, settings, allocation results and printed mirror
 * warnings; queries and iterators are compared as operations of their own.
 *
 * Growth is not the subject here: arrays grow through MB_GROW_CALLBACK with
 * malloc (test_growth_fail.c is about growth). The configurations take
 * turns in the three index modes (mb_set_index()), and the large-N run
 * runs in each; MB_INDEX_MODE=off|on|auto runs everything in one.
 *
 * Replay: MB_SEED=<seed> ./test_model   or   ./test_model <seed>
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "driver.h"

static uint64_t g_seed;

struct run_stats {
	unsigned long ops[OP_NR_KINDS];
	unsigned long allocs_ok;
	unsigned long allocs_failed;
	unsigned long allocs_exhausted; /* failed, and no room even unconstrained */
	unsigned long worlds;
	unsigned long max_memory_cnt;
	unsigned long max_reserved_cnt;
};

static void run_one(struct world *w, struct rng *r, struct run_stats *st)
{
	struct op_result res;
	struct op op;

	op_generate(w, r, &op);
	world_record(w, &op);
	world_begin_op(w);
	op_run_core(w, &op, &res);
	op_check(w, &op, &res);
	world_release_unused(w);

	st->ops[op.kind]++;
	if (op.kind >= OP_PHYS_ALLOC_RANGE && op.kind <= OP_ALLOC_NODE) {
		if (res.rc == 0) {
			st->allocs_ok++;
		} else {
			st->allocs_failed++;
			/* would it fit anywhere at all? (coverage diagnostics) */
			if (op.align && !(op.align & (op.align - 1)) &&
			    !model_find(&w->m, op.size, op.align, 0, w->m.cfg.phys_max,
					MB_NUMA_NO_NODE, 0))
				st->allocs_exhausted++;
		}
	}
	if (w->mb.memory.cnt > st->max_memory_cnt)
		st->max_memory_cnt = w->mb.memory.cnt;
	if (w->mb.reserved.cnt > st->max_reserved_cnt)
		st->max_reserved_cnt = w->mb.reserved.cnt;
}

static void test_model_random(void **state)
{
	unsigned long nops = driver_env_ulong("MB_MODEL_OPS", 100000), i, next_reset = 0;
	struct rng r = {g_seed};
	struct run_stats st;
	struct world_config wc;
	struct world *w = calloc(1, sizeof(*w));
	bool live = false;

	(void)state;
	assert_non_null(w);
	memset(&st, 0, sizeof(st));
	for (i = 0; i < nops; i++) {
		if (i == next_reset) {
			unsigned long idx = w->op_index;

			if (live)
				world_destroy(w);
			world_config_random(&wc, &r, rng_chance(&r, 30));
			/* Configurations take turns in every index mode. */
			wc.index_mode = driver_index_mode((enum mb_index_mode)(st.worlds % 3));
			world_init(w, &wc, g_seed);
			w->op_index = idx;
			live = true;
			st.worlds++;
			next_reset = i + 500 + rng_below(&r, 5000);
		}
		run_one(w, &r, &st);
	}
	world_free(w);

	printf("model: %lu ops in %lu configurations; allocations %lu ok / %lu failed "
	       "(%lu with no room at all); max cnt memory %lu reserved %lu\n",
	       nops, st.worlds, st.allocs_ok, st.allocs_failed, st.allocs_exhausted,
	       st.max_memory_cnt, st.max_reserved_cnt);
	fflush(stdout);
}

/*
 * Linux reports an empty free range between two touching reserved regions
 * that could not merge (different flags), when they lie inside a memory
 * region; the model says so too (spec 5).
 *
 *   memory    |--------------------------------|   0x1000-0x2000
 *   reserved       |--A--|--B(NOINIT)--|            0x1200-0x1300-0x1400
 *   free      |----|     ^             |-------|   [0x1000,0x1200) [0x1300,0x1300)
 *                                                   [0x1400,0x2000)
 */
static void test_model_empty_free_range(void **state)
{
	static const struct op ops[] = {
	    {.kind = OP_ADD, .base = 0x1000, .size = 0x1000},
	    {.kind = OP_RESERVE, .base = 0x1200, .size = 0x100},
	    {.kind = OP_RESERVE, .base = 0x1300, .size = 0x100},
	    {.kind = OP_MARK_NOINIT, .base = 0x1300, .size = 0x100},
	    {.kind = OP_ITERATE, .nid = MB_NUMA_NO_NODE},
	    /* top-down size 0 below 0x1380: the empty range gives 0x1300 */
	    {.kind = OP_PHYS_ALLOC_RANGE, .size = 0, .align = 0x100, .end = 0x1380},
	};
	struct world_config wc = {
	    .space = 0x4000,
	    .page_size = 0x100,
	    .smp_cache_bytes = 64,
	    .low_address_limit = MB_DEFAULT_LOW_ADDRESS_LIMIT,
	    .max_numnodes = 4,
	    .memory_max = 8,
	    .reserved_max = 8,
	    .grow_policy = MB_GROW_CALLBACK,
	};
	struct world *w = world_new(&wc, 0);
	struct op_result res;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		world_record(w, &ops[i]);
		world_begin_op(w);
		op_run_core(w, &ops[i], &res);
		op_check(w, &ops[i], &res);
	}
	assert_int_equal(res.addr, 0x1300);
	world_free(w);
}

/*
 * Large N: random operations on arrays of thousands of regions. Before
 * the first one, memory holds LARGE_N 8-byte regions 12 bytes apart
 * (nodes alternating; the model is byte-granular, so the space stays 64
 * KiB) and reserved 4 bytes in every other one, grown from 128 slots
 * through the callback; trim/enforce/cap, which would wipe them out, are
 * left out.
 */
#define LARGE_N 4000
static void run_large_n(enum mb_index_mode mode)
{
	unsigned long nops = driver_env_ulong("MB_MODEL_OPS", 100000) / 50, i;
	struct world_config wc = {
	    .space = 0x10000,
	    .page_size = 0x100,
	    .smp_cache_bytes = 64,
	    .low_address_limit = MB_DEFAULT_LOW_ADDRESS_LIMIT,
	    .max_numnodes = 4,
	    .memory_max = 128,
	    .reserved_max = 128,
	    .grow_policy = MB_GROW_CALLBACK,
	    .no_limit_ops = true,
	    .index_mode = driver_index_mode(mode),
	};
	struct world *w = world_new(&wc, g_seed);
	struct rng r = {g_seed ^ 0x9e3779b97f4a7c15ULL};
	struct run_stats st;

	memset(&st, 0, sizeof(st));
	for (i = 0; i < LARGE_N; i++) {
		uint64_t base = 0x1000 + 12 * (uint64_t)i;

		assert_int_equal(mb_add_node(&w->mb, base, 8, (int)(i % 4), 0), 0);
		model_add(&w->m, MODEL_MEMORY, base, 8, (int)(i % 4), 0);
		if (i % 2)
			continue;
		assert_int_equal(mb_reserve(&w->mb, base + 2, 4), 0);
		model_add(&w->m, MODEL_RESERVED, base + 2, 4, wc.max_numnodes, 0);
	}
	world_check_state(w);
	assert_int_equal(w->mb.memory.cnt, LARGE_N);
	for (i = 0; i < nops; i++)
		run_one(w, &r, &st);
	/* The ops ran on a large array (the first one may already shrink it). */
	assert_true(st.max_memory_cnt >= LARGE_N / 2);
	if (wc.index_mode != MB_INDEX_OFF)
		assert_non_null(w->mb.index[0].nodes);
	printf("model large N (index %s): %lu ops, max cnt memory %lu reserved %lu\n",
	       driver_index_name(wc.index_mode), nops, st.max_memory_cnt, st.max_reserved_cnt);
	fflush(stdout);
	world_free(w);
}

static void test_model_large_n(void **state)
{
	(void)state;
	run_large_n(MB_INDEX_OFF);
}

static void test_model_large_n_index_on(void **state)
{
	(void)state;
	run_large_n(MB_INDEX_ON);
}

static void test_model_large_n_index_auto(void **state)
{
	(void)state;
	run_large_n(MB_INDEX_AUTO);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_model_empty_free_range),
	    cmocka_unit_test(test_model_random),
	    cmocka_unit_test(test_model_large_n),
	    cmocka_unit_test(test_model_large_n_index_on),
	    cmocka_unit_test(test_model_large_n_index_auto),
	};

	g_seed = driver_seed(argc, argv, "test_model");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
