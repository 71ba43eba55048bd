// SPDX-License-Identifier: MIT
/*
 * test_index.c - the region index (src/core/index.c) against the plain
 * sorted array it stands for: randomized runs with every answer and the
 * exported array compared with the model and mbi_index_check() after
 * every step, large runs of 131,072 regions, and table tests of the edges.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "index.h"

#define TOP ((mb_phys_addr_t)-1)

/* A run: its seed and step, printed with any failure. */
struct run {
	uint64_t seed;
	uint64_t state;
	unsigned long step;
	struct mb_index ix;
	void *pool;
	/* The model: the regions in order. */
	struct memblock_region *rgn;
	unsigned long cnt;
	struct memblock_region *out; /* export scratch */
	unsigned long room;	     /* of rgn and out */
};

#define EXPECT(run, cond)                                                                          \
	do {                                                                                       \
		if (!(cond))                                                                       \
			fail_msg("seed %llu step %lu: %s", (unsigned long long)(run)->seed,        \
				 (run)->step, #cond);                                              \
	} while (0)

static uint64_t rnd(struct run *r)
{
	uint64_t z = (r->state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Uniform in [0, n), n > 0. */
static mb_phys_addr_t below(struct run *r, mb_phys_addr_t n)
{
	return (mb_phys_addr_t)(rnd(r) % n);
}

static mb_phys_addr_t end_of(const struct memblock_region *g)
{
	return g->base + g->size;
}

static mb_phys_addr_t model_gap(const struct run *r, unsigned long i)
{
	return i + 1 < r->cnt ? r->rgn[i + 1].base - end_of(&r->rgn[i]) : 0;
}

static unsigned long model_count_end_le(const struct run *r, mb_phys_addr_t addr)
{
	unsigned long i = 0;

	while (i < r->cnt && end_of(&r->rgn[i]) <= addr)
		i++;
	return i;
}

static unsigned long model_count_base_le(const struct run *r, mb_phys_addr_t addr)
{
	unsigned long i = 0;

	while (i < r->cnt && r->rgn[i].base <= addr)
		i++;
	return i;
}

/* The rank of the region holding @addr, or -1. */
static long model_find(const struct run *r, mb_phys_addr_t addr)
{
	unsigned long i = model_count_base_le(r, addr);

	if (!i || addr - r->rgn[i - 1].base >= r->rgn[i - 1].size)
		return -1;
	return (long)(i - 1);
}

static long model_prev_gap(const struct run *r, unsigned long rank, mb_phys_addr_t min)
{
	long i = rank >= r->cnt ? (long)r->cnt - 1 : (long)rank;

	for (; i >= 0; i--)
		if (model_gap(r, (unsigned long)i) >= min)
			return i;
	return -1;
}

static long model_next_gap(const struct run *r, unsigned long rank, mb_phys_addr_t min)
{
	unsigned long i;

	for (i = rank; i < r->cnt; i++)
		if (model_gap(r, i) >= min)
			return (long)i;
	return -1;
}

static void run_start(struct run *r, uint64_t seed, unsigned long cap, unsigned long room)
{
	memset(r, 0, sizeof(*r));
	r->seed = seed;
	r->state = seed;
	r->room = room;
	r->rgn = calloc(room, sizeof(*r->rgn));
	r->out = calloc(room, sizeof(*r->out));
	r->pool = malloc(mbi_index_bytes(cap));
	assert_non_null(r->rgn);
	assert_non_null(r->out);
	assert_non_null(r->pool);
	mbi_index_init(&r->ix, r->pool, cap);
}

static void run_end(struct run *r)
{
	free(r->pool);
	free(r->rgn);
	free(r->out);
}

/* The index holds exactly the model, and every invariant holds. */
static void compare_all(struct run *r)
{
	EXPECT(r, mbi_index_check(&r->ix) == 0);
	EXPECT(r, r->ix.cnt == r->cnt);
	mbi_index_export(&r->ix, r->out);
	EXPECT(r, !memcmp(r->out, r->rgn, r->cnt * sizeof(*r->rgn)));
}

/* Double the pool, as array growth does; the old pool is wiped and freed. */
static void grow(struct run *r)
{
	unsigned long cap = r->ix.cap * 2 + 1;
	void *pool = malloc(mbi_index_bytes(cap));

	assert_non_null(pool);
	mbi_index_move(&r->ix, pool, cap);
	memset(r->pool, 0xa5, mbi_index_bytes(r->ix.cap / 2));
	free(r->pool);
	r->pool = pool;
}

/* A random region inside [lo, hi), sometimes touching either end; false if none fits. */
static bool pick_region(struct run *r, mb_phys_addr_t lo, mb_phys_addr_t hi,
			struct memblock_region *g)
{
	mb_phys_addr_t room;

	if (hi <= lo)
		return false;
	g->base = below(r, 8) ? lo + below(r, hi - lo) : lo;
	room = hi - g->base;
	g->size = below(r, 8) ? 1 + below(r, room / 2 + 1) : room;
	if (!g->size)
		return false;
	g->flags = (enum memblock_flags)below(r, 4);
	g->nid = (int)below(r, 4);
	return true;
}

/* The room a region at @rank may take, between its neighbours. */
static void bounds(const struct run *r, unsigned long below_rank, unsigned long above_rank,
		   mb_phys_addr_t *lo, mb_phys_addr_t *hi)
{
	*lo = below_rank ? end_of(&r->rgn[below_rank - 1]) : 0;
	*hi = above_rank < r->cnt ? r->rgn[above_rank].base : TOP;
}

/* Leave the cursor (and its path) at @rank, below it, or where it was. */
static void aim_cursor(struct run *r, unsigned long rank)
{
	switch (below(r, 4)) {
	case 1:
		if (rank < r->cnt)
			mbi_index_at(&r->ix, rank);
		break;
	case 2:
		if (rank)
			mbi_index_at(&r->ix, rank - 1);
		break;
	case 3:
		if (rank && rank < r->cnt) {
			mbi_index_at(&r->ix, rank);
			mbi_index_at(&r->ix, rank - 1);
		}
		break;
	default:
		break;
	}
}

static void op_insert(struct run *r)
{
	unsigned long rank = (unsigned long)below(r, r->cnt + 1);
	struct memblock_region g;
	mb_phys_addr_t lo, hi;

	bounds(r, rank, rank, &lo, &hi);
	if (r->cnt == r->room || !pick_region(r, lo, hi, &g))
		return;
	if (r->ix.cnt == r->ix.cap)
		grow(r);
	aim_cursor(r, rank);
	memmove(&r->rgn[rank + 1], &r->rgn[rank], (r->cnt - rank) * sizeof(g));
	r->rgn[rank] = g;
	r->cnt++;
	mbi_index_insert(&r->ix, rank, &g);
}

static void op_remove(struct run *r)
{
	unsigned long rank;

	if (!r->cnt)
		return;
	rank = (unsigned long)below(r, r->cnt);
	aim_cursor(r, rank);
	r->cnt--;
	memmove(&r->rgn[rank], &r->rgn[rank + 1], (r->cnt - rank) * sizeof(*r->rgn));
	mbi_index_remove(&r->ix, rank);
}

static void op_set(struct run *r)
{
	unsigned long rank;
	struct memblock_region g;
	mb_phys_addr_t lo, hi;

	if (!r->cnt)
		return;
	rank = (unsigned long)below(r, r->cnt);
	bounds(r, rank, rank + 1, &lo, &hi);
	if (below(r, 4) == 0) {
		g = r->rgn[rank];
		g.flags ^= 1;
	} else if (!pick_region(r, lo, hi, &g)) {
		return;
	}
	r->rgn[rank] = g;
	mbi_index_set(&r->ix, rank, &g);
}

/* Reads, with walks forward and back that go through the cursor. */
static void op_at(struct run *r)
{
	unsigned long rank, i, len;

	if (!r->cnt)
		return;
	rank = (unsigned long)below(r, r->cnt);
	len = (unsigned long)below(r, 6);
	for (i = 0; i < len && rank + i < r->cnt; i++)
		EXPECT(r,
		       !memcmp(mbi_index_at(&r->ix, rank + i), &r->rgn[rank + i], sizeof(*r->rgn)));
	for (i = 0; i < len && i <= rank; i++)
		EXPECT(r,
		       !memcmp(mbi_index_at(&r->ix, rank - i), &r->rgn[rank - i], sizeof(*r->rgn)));
}

/* A walk from where the last call left the cursor, before check() drops its path. */
static void probe_cursor(struct run *r)
{
	unsigned long rank = r->ix.cursor_rank, len = (unsigned long)below(r, 5);
	int step = below(r, 2) ? 1 : -1;

	if (r->ix.cursor_node == MB_INDEX_NIL)
		return;
	while (len-- && rank < r->cnt) {
		EXPECT(r, !memcmp(mbi_index_at(&r->ix, rank), &r->rgn[rank], sizeof(*r->rgn)));
		rank += (unsigned long)step;
	}
}

/* An address near the interesting ones: region ends, 0, the top. */
static mb_phys_addr_t pick_addr(struct run *r)
{
	const struct memblock_region *g;

	if (!r->cnt || below(r, 8) == 0) {
		mb_phys_addr_t any[] = { 0, 1, TOP, TOP - 1, (mb_phys_addr_t)rnd(r) };

		return any[below(r, 5)];
	}
	g = &r->rgn[below(r, r->cnt)];
	switch (below(r, 6)) {
	case 0:
		return g->base;
	case 1:
		return g->base - 1;
	case 2:
		return g->base + 1;
	case 3:
		return end_of(g);
	case 4:
		return end_of(g) - 1;
	default:
		return g->base + below(r, g->size);
	}
}

/* A gap size near the ones present. */
static mb_phys_addr_t pick_min(struct run *r)
{
	mb_phys_addr_t gap;

	if (!r->cnt || below(r, 8) == 0) {
		mb_phys_addr_t any[] = { 0, 1, TOP, (mb_phys_addr_t)rnd(r) };

		return any[below(r, 4)];
	}
	gap = model_gap(r, (unsigned long)below(r, r->cnt));
	switch (below(r, 3)) {
	case 0:
		return gap;
	case 1:
		return gap + 1;
	default:
		return gap - 1;
	}
}

/* seek_end() counts as count_end_le() and leaves the cursor on the region above. */
static void op_seek(struct run *r, mb_phys_addr_t addr)
{
	unsigned long want = model_count_end_le(r, addr);

	EXPECT(r, mbi_index_seek_end(&r->ix, addr) == want);
	if (want < r->cnt)
		EXPECT(r, mbi_index_at(&r->ix, want)->base == r->rgn[want].base);
	if (want && want < r->cnt)
		EXPECT(r, mbi_index_at(&r->ix, want - 1)->base == r->rgn[want - 1].base);
	EXPECT(r, mbi_index_check(&r->ix) == 0);
}

/* Both forms of find(), and the cursor it leaves at the region it found. */
static void op_find(struct run *r, mb_phys_addr_t addr)
{
	long want = model_find(r, addr);
	unsigned long rank = ULONG_MAX;
	const struct memblock_region *hit = mbi_index_find(&r->ix, addr, &rank);

	EXPECT(r, (mbi_index_find(&r->ix, addr, NULL) != NULL) == (want >= 0));
	if (want < 0) {
		EXPECT(r, !hit && rank == ULONG_MAX);
		return;
	}
	EXPECT(r, hit && rank == (unsigned long)want && hit->base == r->rgn[want].base);
	EXPECT(r, mbi_index_at(&r->ix, rank) == hit);
}

static void op_query(struct run *r)
{
	mb_phys_addr_t addr = pick_addr(r), min = pick_min(r);
	unsigned long rank = (unsigned long)below(r, r->cnt + 2);

	EXPECT(r, mbi_index_count_end_le(&r->ix, addr) == model_count_end_le(r, addr));
	EXPECT(r, mbi_index_count_base_le(&r->ix, addr) == model_count_base_le(r, addr));
	op_seek(r, addr);
	EXPECT(r, mbi_index_prev_gap(&r->ix, rank, min) == model_prev_gap(r, rank, min));
	EXPECT(r, mbi_index_next_gap(&r->ix, rank, min) == model_next_gap(r, rank, min));
	op_find(r, addr);
}

/* Fill the index afresh from the model's array with build(). */
static void op_build(struct run *r)
{
	while (r->ix.cap < r->cnt)
		grow(r);
	mbi_index_build(&r->ix, r->rgn, r->cnt);
}

/* @steps random operations around @target regions, checking after each. */
static void random_run(uint64_t seed, unsigned long target, unsigned long steps)
{
	struct run r;

	run_start(&r, seed, 2, target * 2 + 16);
	for (r.step = 0; r.step < steps; r.step++) {
		unsigned int pick = (unsigned int)below(&r, 100);
		bool grow_more = r.cnt < target;

		if (pick < 45)
			(grow_more || pick < 15 ? op_insert : op_remove)(&r);
		else if (pick < 60)
			op_set(&r);
		else if (pick < 75)
			op_at(&r);
		else if (pick < 99)
			op_query(&r);
		else
			op_build(&r);
		probe_cursor(&r);
		compare_all(&r);
	}
	run_end(&r);
}

static void test_random_small(void **state)
{
	static const unsigned long sizes[] = { 0, 1, 2, 3, 5, 8, 17, 64, 300 };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
		random_run(1000 + i, sizes[i], 3000);
}

static void test_random_medium(void **state)
{
	(void)state;
	random_run(77, 1000, 4000);
	random_run(78, 5000, 16000);
}

/* build() of every size up to 300: balanced, ordered, complete. */
/*
 * build() numbers the nodes level by level from the root (node 0): a
 * walk of the tree in level order meets nodes 0, 1, 2, ... in turn, and
 * the lowest height a binary tree of @n nodes can have.
 */
static void expect_level_order(struct run *r, unsigned long n)
{
	uint32_t next_id = 1, k, height = 0, level_end = 1;

	EXPECT(r, n == 0 || r->ix.root == 0);
	/* Node k's children are the next numbers not yet given out. */
	for (k = 0; k < n; k++) {
		const struct mb_index_node *nd = &r->ix.nodes[k];

		if (nd->left != MB_INDEX_NIL)
			EXPECT(r, nd->left == next_id++);
		if (nd->right != MB_INDEX_NIL)
			EXPECT(r, nd->right == next_id++);
		if (k + 1 == level_end) { /* the last node of a level */
			height++;
			level_end = next_id;
		}
	}
	EXPECT(r, next_id == (n ? n : 1));
	/* ceil(log2(n + 1)) levels. */
	EXPECT(r, n == 0 || ((1UL << height) > n && (1UL << (height - 1)) <= n));
}

static void test_build_sizes(void **state)
{
	struct run r;
	unsigned long n;

	(void)state;
	run_start(&r, 5, 300, 300);
	for (n = 0; n < 300; n++) {
		struct memblock_region g;

		assert_true(pick_region(&r, n * 0x10000, (n + 1) * 0x10000 - 1, &g));
		r.rgn[n] = g;
	}
	for (n = 0; n <= 300; n++) {
		r.step = n;
		r.cnt = n;
		mbi_index_build(&r.ix, r.rgn, n);
		expect_level_order(&r, n);
		compare_all(&r);
		op_query(&r);
	}
	run_end(&r);
}

/*
 * Large: a Fenwick tree over 131,072 slots gives the rank each insert and
 * remove must use, so the model costs O(log n) per step too.
 */
#define BIG_SHIFT 17
#define BIG (1UL << BIG_SHIFT)
#define SLOT ((mb_phys_addr_t)1 << (32 - BIG_SHIFT))

struct fenwick {
	unsigned long t[BIG + 1];
};

static void fw_add(struct fenwick *f, unsigned long i, long d)
{
	for (i++; i <= BIG; i += i & (0 - i))
		f->t[i] += (unsigned long)d;
}

/* Present slots below @i. */
static unsigned long fw_rank(const struct fenwick *f, unsigned long i)
{
	unsigned long sum = 0;

	for (; i; i -= i & (0 - i))
		sum += f->t[i];
	return sum;
}

static void shuffle(struct run *r, unsigned long *perm, unsigned long n)
{
	unsigned long i;

	for (i = 0; i < n; i++)
		perm[i] = i;
	for (i = n; i > 1; i--) {
		unsigned long j = (unsigned long)below(r, i), t = perm[i - 1];

		perm[i - 1] = perm[j];
		perm[j] = t;
	}
}

/* Queries answered by scanning the model, on a sample of ranks. */
static void big_queries(struct run *r, unsigned int n)
{
	while (n--) {
		op_query(r);
		op_at(r);
	}
}

static void test_random_large(void **state)
{
	struct run r;
	struct fenwick *fw = calloc(1, sizeof(*fw));
	unsigned long *perm = malloc(BIG * sizeof(*perm));
	struct memblock_region *all = malloc(BIG * sizeof(*all));
	unsigned long i, kept;

	(void)state;
	assert_non_null(fw);
	assert_non_null(perm);
	assert_non_null(all);
	run_start(&r, 4242, BIG, BIG);
	for (i = 0; i < BIG; i++)
		assert_true(pick_region(&r, i * SLOT, (i + 1) * SLOT - 1 + (i + 1 < BIG), &all[i]));
	memcpy(r.rgn, all, BIG * sizeof(*all));
	r.cnt = BIG;
	mbi_index_build(&r.ix, all, BIG);
	compare_all(&r);
	big_queries(&r, 200);

	/* The same regions inserted in random order. */
	mbi_index_init(&r.ix, r.pool, BIG);
	shuffle(&r, perm, BIG);
	for (r.step = 0; r.step < BIG; r.step++) {
		unsigned long slot = perm[r.step];

		mbi_index_insert(&r.ix, fw_rank(fw, slot), &all[slot]);
		fw_add(fw, slot, 1);
		if (!(r.step & 0x3fff))
			EXPECT(&r, mbi_index_check(&r.ix) == 0);
	}
	compare_all(&r);

	/* Three quarters removed in another order. */
	shuffle(&r, perm, BIG);
	for (r.step = 0; r.step < BIG / 4 * 3; r.step++) {
		unsigned long slot = perm[r.step];

		fw_add(fw, slot, -1);
		mbi_index_remove(&r.ix, fw_rank(fw, slot));
		if (!(r.step & 0x3fff))
			EXPECT(&r, mbi_index_check(&r.ix) == 0);
	}
	for (i = 0, kept = 0; i < BIG; i++)
		if (fw_rank(fw, i + 1) != fw_rank(fw, i))
			r.rgn[kept++] = all[i];
	r.cnt = kept;
	compare_all(&r);
	big_queries(&r, 200);
	run_end(&r);
	free(all);
	free(perm);
	free(fw);
}

/* A fixed index of @n regions from @g, in a pool of @cap nodes. */
static void table_start(struct run *r, const struct memblock_region *g, unsigned long n,
			unsigned long cap)
{
	run_start(r, 0, cap, cap < 64 ? 64 : cap);
	if (n)
		memcpy(r->rgn, g, n * sizeof(*g));
	r->cnt = n;
	mbi_index_build(&r->ix, g, n);
	compare_all(r);
}

static mb_phys_addr_t root_gap(const struct mb_index *ix)
{
	return ix->root == MB_INDEX_NIL ? 0 : ix->nodes[ix->root].max_gap;
}

static void test_empty(void **state)
{
	struct run r;
	struct memblock_region canary = { 7, 7, 0, 0 };

	(void)state;
	table_start(&r, NULL, 0, 4);
	r.out[0] = canary;
	mbi_index_export(&r.ix, r.out);
	assert_memory_equal(&r.out[0], &canary, sizeof(canary));
	assert_int_equal(mbi_index_count_end_le(&r.ix, TOP), 0);
	assert_int_equal(mbi_index_count_base_le(&r.ix, TOP), 0);
	assert_int_equal(mbi_index_prev_gap(&r.ix, 0, 0), -1);
	assert_int_equal(mbi_index_prev_gap(&r.ix, 5, 0), -1);
	assert_int_equal(mbi_index_next_gap(&r.ix, 0, 0), -1);
	assert_int_equal(root_gap(&r.ix), 0);
	assert_int_equal(mbi_index_bytes(0), 0);
	assert_int_equal(mbi_index_bytes(3), 3 * sizeof(struct mb_index_node));
	assert_int_equal(mbi_index_bytes(MB_INDEX_MAX_CAP + 1), 0);
	run_end(&r);
}

/*  one region   |--A--|            gap_above(0) is 0: there is no region above */
static void test_one_region(void **state)
{
	struct memblock_region a = { 0x1000, 0x1000, 0, 0 };
	struct run r;

	(void)state;
	table_start(&r, NULL, 0, 1);
	mbi_index_insert(&r.ix, 0, &a);
	r.rgn[0] = a;
	r.cnt = 1;
	compare_all(&r);
	assert_memory_equal(mbi_index_at(&r.ix, 0), &a, sizeof(a));
	assert_int_equal(mbi_index_count_end_le(&r.ix, 0x1fff), 0);
	assert_int_equal(mbi_index_count_end_le(&r.ix, 0x2000), 1);
	assert_int_equal(mbi_index_count_base_le(&r.ix, 0xfff), 0);
	assert_int_equal(mbi_index_count_base_le(&r.ix, 0x1000), 1);
	assert_int_equal(mbi_index_prev_gap(&r.ix, 0, 0), 0);
	assert_int_equal(mbi_index_prev_gap(&r.ix, 0, 1), -1);
	assert_int_equal(mbi_index_next_gap(&r.ix, 0, 0), 0);
	assert_int_equal(mbi_index_next_gap(&r.ix, 0, 1), -1);
	assert_int_equal(mbi_index_next_gap(&r.ix, 1, 0), -1);
	mbi_index_remove(&r.ix, 0);
	r.cnt = 0;
	compare_all(&r);
	assert_int_equal(r.ix.root, MB_INDEX_NIL);
	run_end(&r);
}

/*
 *  regions  |A|--0x100--|B||C||D|--0x100--|E|
 *  rank      0           1  2  3           4
 *  gap_above 0x100       0  0  0x100       0
 */
static const struct memblock_region edge_rgns[] = {
	{ 0x1000, 0x10, 0, 0 }, { 0x1110, 0x10, 0, 0 }, { 0x1120, 0x10, 0, 0 },
	{ 0x1130, 0x10, 0, 0 }, { 0x1240, 0x10, 0, 0 },
};

static void test_gaps_at_the_ends(void **state)
{
	struct run r;

	(void)state;
	table_start(&r, edge_rgns, 5, 8);
	assert_int_equal(root_gap(&r.ix), 0x100);
	assert_int_equal(mbi_index_prev_gap(&r.ix, 4, 1), 3);
	assert_int_equal(mbi_index_prev_gap(&r.ix, 2, 1), 0);
	assert_int_equal(mbi_index_prev_gap(&r.ix, 99, 0x100), 3);
	assert_int_equal(mbi_index_prev_gap(&r.ix, 4, 0x101), -1);
	assert_int_equal(mbi_index_next_gap(&r.ix, 0, 0x100), 0);
	assert_int_equal(mbi_index_next_gap(&r.ix, 1, 1), 3);
	assert_int_equal(mbi_index_next_gap(&r.ix, 4, 1), -1);
	assert_int_equal(mbi_index_count_end_le(&r.ix, 0x1130), 3);
	assert_int_equal(mbi_index_count_base_le(&r.ix, 0x1130), 4);
	run_end(&r);
}

/*
 *  regions  |A|--0x100--|B||C||D|--0x100--|E|
 *  set D    |A|--0x100--|B||C|   |D|-0x10-|E|      largest gap now 0x100 at rank 0 only
 *  remove E |A|--0x100--|B||C|   |D|               D is last: its gap is 0
 *  remove B |A|---------0x110-----|C|   |D|       rank 0's gap grows
 *  remove A                       |C|-0xf0-|D|     largest gap 0xf0
 */
static void test_largest_gap_goes(void **state)
{
	struct memblock_region d = { 0x1220, 0x10, 0, 0 };
	struct run r;

	(void)state;
	table_start(&r, edge_rgns, 5, 8);
	mbi_index_set(&r.ix, 3, &d);
	r.rgn[3] = d;
	compare_all(&r);
	assert_int_equal(root_gap(&r.ix), 0x100);
	assert_int_equal(mbi_index_prev_gap(&r.ix, 4, 0x100), 0);
	assert_int_equal(mbi_index_prev_gap(&r.ix, 4, 0xf0), 2);
	mbi_index_remove(&r.ix, 4);
	r.cnt = 4;
	compare_all(&r);
	assert_int_equal(mbi_index_next_gap(&r.ix, 1, 0x11), 2);
	assert_int_equal(mbi_index_next_gap(&r.ix, 3, 1), -1);
	mbi_index_remove(&r.ix, 1);
	memmove(&r.rgn[1], &r.rgn[2], 2 * sizeof(d));
	r.cnt = 3;
	compare_all(&r);
	assert_int_equal(root_gap(&r.ix), 0x110);
	mbi_index_remove(&r.ix, 0);
	memmove(&r.rgn[0], &r.rgn[1], 2 * sizeof(d));
	r.cnt = 2;
	compare_all(&r);
	assert_int_equal(root_gap(&r.ix), 0xf0);
	assert_int_equal(mbi_index_prev_gap(&r.ix, 1, 0xf1), -1);
	assert_int_equal(mbi_index_prev_gap(&r.ix, 1, 0xf0), 0);
	run_end(&r);
}

/* move() to a bigger pool elsewhere, then in place: contents, cursor and room. */
static void test_move(void **state)
{
	struct run r;
	struct memblock_region g = { 0x100000, 0x10, 1, 2 };
	void *big;

	(void)state;
	table_start(&r, edge_rgns, 5, 5);
	assert_int_equal(r.ix.free_list, MB_INDEX_NIL);
	mbi_index_at(&r.ix, 2);
	grow(&r);
	compare_all(&r);
	assert_int_equal(r.ix.cap, 11);
	assert_int_equal(r.ix.cursor_rank, 2);
	assert_memory_equal(mbi_index_at(&r.ix, 3), &edge_rgns[3], sizeof(g));
	big = realloc(r.pool, mbi_index_bytes(40));
	assert_non_null(big);
	r.pool = big;
	r.ix.nodes = big;
	mbi_index_move(&r.ix, big, 40);
	compare_all(&r);
	for (r.cnt = 5; r.cnt < 40; r.cnt++) {
		g.base += 0x100;
		r.rgn[r.cnt] = g;
		mbi_index_insert(&r.ix, r.cnt, &g);
	}
	compare_all(&r);
	assert_int_equal(r.ix.free_list, MB_INDEX_NIL);
	run_end(&r);
}

/* The cursor: the rank looked up, the one after, and a jump back. */
static void test_cursor_walks(void **state)
{
	struct run r;
	unsigned long i;

	(void)state;
	table_start(&r, edge_rgns, 5, 5);
	for (i = 0; i < 5; i++)
		assert_memory_equal(mbi_index_at(&r.ix, i), &edge_rgns[i], sizeof(edge_rgns[0]));
	for (i = 5; i-- > 0;)
		assert_memory_equal(mbi_index_at(&r.ix, i), &edge_rgns[i], sizeof(edge_rgns[0]));
	mbi_index_remove(&r.ix, 3);
	assert_int_equal(r.ix.cursor_rank, 2);
	assert_memory_equal(mbi_index_at(&r.ix, 3), &edge_rgns[4], sizeof(edge_rgns[0]));
	mbi_index_insert(&r.ix, 3, &edge_rgns[3]);
	assert_int_equal(r.ix.cursor_rank, 3);
	assert_memory_equal(mbi_index_at(&r.ix, 4), &edge_rgns[4], sizeof(edge_rgns[0]));
	assert_int_equal(mbi_index_check(&r.ix), 0);
	run_end(&r);
}

/* Whole walks both ways over 1,000 regions, turning at each end. */
static void test_cursor_long_walks(void **state)
{
	struct run r;
	unsigned long i;

	(void)state;
	run_start(&r, 9, 1000, 1000);
	for (i = 0; i < 1000; i++) {
		struct memblock_region g = { 0x1000 * (mb_phys_addr_t)i, 0x800, 0, (int)i };

		r.rgn[i] = g;
		mbi_index_insert(&r.ix, i, &g);
	}
	r.cnt = 1000;
	for (i = 1000; i-- > 0;)
		assert_int_equal(mbi_index_at(&r.ix, i)->nid, (int)i);
	assert_int_equal(mbi_index_check(&r.ix), 0);
	for (i = 0; i < 1000; i++)
		assert_int_equal(mbi_index_at(&r.ix, i)->nid, (int)i);
	for (i = 1000; i-- > 0;)
		assert_int_equal(mbi_index_at(&r.ix, i)->nid, (int)i);
	compare_all(&r);
	run_end(&r);
}

/* A tree node's left_bal: an empty left subtree, balanced. */
#define BAL_EVEN_FOR_TEST (1u << 30)

/* check() fails on each kind of damage, and passes once it is undone. */
static void test_check_catches(void **state)
{
	struct run r;
	struct mb_index_node *root, *first, saved;
	uint32_t free_list;

	(void)state;
	table_start(&r, edge_rgns, 5, 8);
	root = &r.ix.nodes[r.ix.root];
	saved = *root;
	root->left_bal += 1;
	assert_int_equal(mbi_index_check(&r.ix), -MB_ECORRUPT);
	*root = saved;
	root->left_bal ^= 3u << 30;
	assert_int_equal(mbi_index_check(&r.ix), -MB_ECORRUPT);
	*root = saved;
	root->max_gap++;
	assert_int_equal(mbi_index_check(&r.ix), -MB_ECORRUPT);
	*root = saved;
	root->next = r.ix.root;
	assert_int_equal(mbi_index_check(&r.ix), -MB_ECORRUPT);
	*root = saved;
	root->left = 7;
	assert_int_equal(mbi_index_check(&r.ix), -MB_ECORRUPT);
	*root = saved;
	for (first = root; first->left != MB_INDEX_NIL; first = &r.ix.nodes[first->left])
		;
	first->rgn.size += 0x10; /* rank 0: its gap shrinks, max_gap is stale */
	assert_int_equal(mbi_index_check(&r.ix), -MB_ECORRUPT);
	first->rgn.size -= 0x10;
	r.ix.fresh++; /* a node counted as used that is neither in the tree nor free */
	assert_int_equal(mbi_index_check(&r.ix), -MB_ECORRUPT);
	r.ix.fresh--;
	r.ix.cnt++;
	assert_int_equal(mbi_index_check(&r.ix), -MB_ECORRUPT);
	r.ix.cnt--;
	r.ix.cursor_node = r.ix.root;
	r.ix.cursor_rank = 0;
	assert_int_equal(mbi_index_check(&r.ix), -MB_ECORRUPT);
	r.ix.cursor_node = MB_INDEX_NIL;
	assert_int_equal(mbi_index_check(&r.ix), 0);
	assert_int_equal(mbi_index_seek_end(&r.ix, edge_rgns[2].base), 2);
	assert_int_equal(mbi_index_check(&r.ix), 0); /* the cursor at 2, with the region below */
	assert_int_not_equal(r.ix.cursor_prev, MB_INDEX_NIL);
	r.ix.cursor_prev = r.ix.cursor_node; /* not the region below it */
	assert_int_equal(mbi_index_check(&r.ix), -MB_ECORRUPT);
	r.ix.cursor_prev = MB_INDEX_NIL;
	assert_int_equal(mbi_index_check(&r.ix), 0);
	mbi_index_remove(&r.ix, 4); /* its node goes on the free list */
	free_list = r.ix.free_list;
	r.ix.free_list = MB_INDEX_NIL;
	assert_int_equal(mbi_index_check(&r.ix), -MB_ECORRUPT);
	r.ix.free_list = free_list;
	r.ix.nodes[free_list].left_bal = BAL_EVEN_FOR_TEST;
	assert_int_equal(mbi_index_check(&r.ix), -MB_ECORRUPT);
	r.ix.nodes[free_list].left_bal = 0;
	assert_int_equal(mbi_index_check(&r.ix), 0);
	mbi_index_insert(&r.ix, 4, &edge_rgns[4]);
	run_end(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_one_region),
		cmocka_unit_test(test_gaps_at_the_ends),
		cmocka_unit_test(test_largest_gap_goes),
		cmocka_unit_test(test_move),
		cmocka_unit_test(test_cursor_walks),
		cmocka_unit_test(test_cursor_long_walks),
		cmocka_unit_test(test_check_catches),
		cmocka_unit_test(test_build_sizes),
		cmocka_unit_test(test_random_small),
		cmocka_unit_test(test_random_medium),
		cmocka_unit_test(test_random_large),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
