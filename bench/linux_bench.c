// SPDX-License-Identifier: MIT
/*
 * linux_bench.c - one operation of the Linux memblock API, timed.
 *
 * usage: linux_bench OP N    prints "OP N ns_per_op ops digest"
 *
 * The same source is built twice (scripts/bench-linux): against the
 * kernel's own mm/memblock.c (in the check-linux cache, never in the
 * repository) and against our <memblock/linux.h>, both on the simulated
 * physical memory of the differential harness (tools/kharness), NUMA on,
 * memblock=debug off. The runner starts the two builds alternately.
 *
 * Layout: N reserved regions of RSV bytes, one every GAP bytes from
 * SLOTS, over memory that starts BELOW bytes lower (a free area only
 * big-enough requests use) and ends TOP bytes above the last slot. The
 * regions are written straight into the arrays (setting up 262,144
 * regions through Linux's O(n) insertions would take minutes), as the
 * kernel's tools/testing/memblock suite does; the arrays get room for
 * every timed insertion, so no doubling happens while timing. Our side
 * writes them flat and then turns the region index on in
 * MB_INDEX_AUTO (memblock_linux_set_index(), not timed): indexed from
 * N = 1,024 up, flat arrays below, as a user of the layer would run it.
 * LINUX_BENCH_INDEX=off|on|auto overrides the mode (ours only).
 *
 * Each run makes the same number of operations on both sides (about 2^24
 * region visits' worth: 8,192 at N = 128 down to 64 at 262,144), in
 * rounds that set the layout up again when they run out of room, times
 * each on its own and reports the median (less the cost of reading the
 * clock), and prints a digest of every result, which must match between
 * the builds.
 *
 * OP:
 *   reserve_asc      reserve above all regions: the second half of an
 *                    ascending build of N regions
 *   reserve_random   the second half of a build of N in random order
 *   free_random      phys_free of random whole regions, from N down to N/2
 *   steady_reserve   at N: reserve a new region in a random hole ...
 *   steady_free      ... and free it again (each timed on its own)
 *   is_reserved      a random address
 *   alloc_top        top-down phys_alloc_range served from the free top
 *   alloc_below      top-down phys_alloc_range whose only fit lies below
 *                    all regions: the search walks every gap
 *   alloc_nid        memblock_alloc_try_nid() on node 1 of 4 (each node a
 *                    quarter of the slots)
 */
#define _POSIX_C_SOURCE 200809L

#include <limits.h>

#ifdef KH_KERNEL
#include <linux/memblock.h>
#else
#include <memblock/linux.h>
#endif

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kh.h"

typedef unsigned long long ull;

#define GAP 0x2000ULL
#define RSV 0x1000ULL
#define HOLE 0x400ULL	   /* a new region in the middle of a free hole */
#define BELOW 0x4000000ULL /* 64 MiB free below the slots */
#define TOP 0x4000000ULL   /* 64 MiB free above them */
#define MEM 0x100000ULL	   /* memory starts at 1 MiB */
#define SLOTS (MEM + BELOW)
#define ARRAYS (3ULL << 30) /* region arrays live here, outside memory */
#define NODES 4

static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static uint64_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static ull now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (ull)ts.tv_sec * 1000000000ULL + (ull)ts.tv_nsec;
}

static phys_addr_t slot(unsigned long i)
{
	return SLOTS + GAP * i;
}

#ifndef KH_KERNEL
static void no_print(void *ctx, enum mb_log_level level, const char *line)
{
	(void)ctx;
	(void)level;
	(void)line;
}
#endif

static int side_setup(void)
{
#ifdef KH_KERNEL
	return kh_setup(true, false, false, "linux-6.12");
#else
	struct mb_config cfg;
	void *buf = kh_window_map();

	if (!buf)
		return -1;
	memblock_linux_default_config(&cfg);
	cfg.numa = true;
	cfg.max_numnodes = 64;
	cfg.debug = false;
	cfg.ops.print = no_print;
	if (memblock_linux_configure(&cfg) ||
	    memblock_linux_map_buffer(0, buf, KH_WINDOW + KH_WINDOW_SLACK))
		return -1;
	return 0;
#endif
}

/* Point @type at @cap slots of window memory at @phys (outside memory). */
static void give_array(struct memblock_type *type, phys_addr_t phys, unsigned long cap)
{
	type->regions = kh_phys_to_virt(phys);
	type->max = cap;
}

/* Write regions [0, n) of the layout, skipping those @skip marks. */
static void fill_reserved(unsigned long n, const unsigned char *skip)
{
	struct memblock_type *rsv = &memblock.reserved;
	unsigned long i, cnt = 0;

	for (i = 0; i < n; i++) {
		struct memblock_region *r = &rsv->regions[cnt];

		if (skip && skip[i])
			continue;
		r->base = slot(i);
		r->size = RSV;
		r->flags = MEMBLOCK_NONE;
		memblock_set_region_node(r, MAX_NUMNODES);
		cnt++;
	}
	rsv->cnt = cnt;
	rsv->total_size = cnt * RSV;
}

static void add_memory(unsigned long n)
{
	phys_addr_t end = slot(n) + TOP;
	phys_addr_t part = ((end - MEM) / NODES) & ~(GAP - 1);
	int nid;

	for (nid = 0; nid < NODES; nid++) {
		phys_addr_t base = MEM + part * (phys_addr_t)nid;
		phys_addr_t size = nid == NODES - 1 ? end - base : part;

		memblock_add_node(base, size, nid, MEMBLOCK_NONE);
	}
}

#ifdef KH_KERNEL
static int index_off(void)
{
	return 0;
}

static int index_on(void)
{
	return 0;
}
#else
/* Direct writes to the arrays need them flat. */
static int index_off(void)
{
	return memblock_linux_set_index(MB_INDEX_OFF);
}

static int index_on(void)
{
	const char *env = getenv("LINUX_BENCH_INDEX");
	enum mb_index_mode mode = MB_INDEX_AUTO;

	if (env && !strcmp(env, "off"))
		mode = MB_INDEX_OFF;
	else if (env && !strcmp(env, "on"))
		mode = MB_INDEX_ON;
	return memblock_linux_set_index(mode);
}
#endif

/* Memory for @n slots, the first @filled of them reserved but @skip. */
static int setup(unsigned long n, unsigned long filled, const unsigned char *skip)
{
	if (side_setup() || index_off())
		return -1;
	memblock_allow_resize();
	memblock_set_bottom_up(false);
	memblock_set_current_limit(MEMBLOCK_ALLOC_ANYWHERE);
	add_memory(n);
	give_array(&memblock.reserved, ARRAYS, 2 * n + 64);
	fill_reserved(filled, skip);
	return index_on();
}

/* Distinct random indices in [0, n): a shuffled prefix of 0..n-1. */
static unsigned long *shuffled(unsigned long n)
{
	unsigned long *v = malloc(n * sizeof(*v)), i;

	if (!v)
		exit(2);
	for (i = 0; i < n; i++)
		v[i] = i;
	for (i = n; i > 1; i--) {
		unsigned long j = rnd() % i, t = v[i - 1];

		v[i - 1] = v[j];
		v[j] = t;
	}
	return v;
}

struct result {
	unsigned long ops;
};

/*
 * Every result (addresses, return codes, the final region count) folds
 * into this; the runner checks that both builds print the same value.
 */
static ull digest = 0xcbf29ce484222325ULL;

static void fold(ull v)
{
	digest = (digest ^ v) * 0x100000001b3ULL;
}

/*
 * Each operation is timed on its own and the run reports the median:
 * the machine may be shared, and a preempted operation must not count.
 */
static ull *samples;
static unsigned long nsamples;

#define TIMED(expr)                                                                                \
	do {                                                                                       \
		ull t0_ = now_ns();                                                                \
		expr;                                                                              \
		samples[nsamples++] = now_ns() - t0_;                                              \
	} while (0)

static int cmp_ull(const void *a, const void *b)
{
	ull x = *(const ull *)a, y = *(const ull *)b;

	return x < y ? -1 : x > y;
}

static void check(int rc, const char *what)
{
	if (rc) {
		fprintf(stderr, "linux_bench: %s failed (%d)\n", what, rc);
		exit(2);
	}
}

/*
 * One round of each operation: set the layout up, then time at most @want
 * operations (fewer when the round runs out of room); main() repeats
 * rounds until it has its count.
 */

/* Reserve above every region: slots n/2 .. n-1 filled in ascending order. */
static struct result op_reserve_asc(unsigned long n, unsigned long want)
{
	struct result r = { 0 };
	unsigned long i;

	check(setup(n, n / 2, NULL), "setup");
	for (i = n / 2; i < n && r.ops < want; i++, r.ops++)
		TIMED(fold(memblock_reserve(slot(i), RSV)));
	return r;
}

/* Half the slots filled; the other half reserved in random order. */
static struct result op_reserve_random(unsigned long n, unsigned long want)
{
	unsigned long *order = shuffled(n), i;
	unsigned char *skip = calloc(n, 1);
	struct result r = { 0 };

	if (!skip)
		exit(2);
	for (i = 0; i < n / 2; i++)
		skip[order[i]] = 1;
	check(setup(n, n, skip), "setup");
	for (i = 0; i < n / 2 && r.ops < want; i++, r.ops++)
		TIMED(fold(memblock_reserve(slot(order[i]), RSV)));
	free(skip);
	free(order);
	return r;
}

static struct result op_free_random(unsigned long n, unsigned long want)
{
	unsigned long *order = shuffled(n), i;
	struct result r = { 0 };

	check(setup(n, n, NULL), "setup");
	for (i = 0; i < n / 2 && r.ops < want; i++, r.ops++)
		TIMED(fold(memblock_phys_free(slot(order[i]), RSV)));
	free(order);
	return r;
}

/* What a pair of clock reads costs on its own. */
static ull clock_cost(void)
{
	ull best = ~0ULL, a, b;
	int i;

	for (i = 0; i < 1000; i++) {
		a = now_ns();
		b = now_ns() - a;
		if (b < best)
			best = b;
	}
	return best;
}

/* A reserve in a random hole and its free; only one of the two is timed. */
static struct result op_steady(unsigned long n, unsigned long want, bool time_free)
{
	struct result r = { 0 };

	check(setup(n, n, NULL), "setup");
	for (; r.ops < want; r.ops++) {
		phys_addr_t at = slot(rnd() % n) + RSV + HOLE;

		if (time_free) {
			fold(memblock_reserve(at, HOLE));
			TIMED(fold(memblock_phys_free(at, HOLE)));
		} else {
			TIMED(fold(memblock_reserve(at, HOLE)));
			fold(memblock_phys_free(at, HOLE));
		}
	}
	return r;
}

static struct result op_is_reserved(unsigned long n, unsigned long want)
{
	phys_addr_t span = slot(n) - SLOTS;
	struct result r = { 0 };
	unsigned long hits = 0;

	check(setup(n, n, NULL), "setup");
	for (; r.ops < want; r.ops++) {
		phys_addr_t at = SLOTS + rnd() % span;

		TIMED(hits += memblock_is_reserved(at));
	}
	fold(hits);
	return r;
}

/* Allocations of @size that each merge with the one before. */
static struct result op_alloc(unsigned long n, unsigned long want, phys_addr_t size,
			      bool below, int nid)
{
	phys_addr_t room = below ? BELOW : TOP;
	struct result r = { 0 };

	check(setup(n, n, NULL), "setup");
	/* Only the area below the slots is big enough: take the top away. */
	if (below)
		check(memblock_reserve(slot(n), TOP), "reserve of the top");
	for (; r.ops < want && (r.ops + 1) * size <= room; r.ops++) {
		phys_addr_t got;
		void *p = NULL;

		if (nid == NUMA_NO_NODE)
			TIMED(got = memblock_phys_alloc_range(size, size, 0,
							      MEMBLOCK_ALLOC_ANYWHERE));
		else
			TIMED(p = memblock_alloc_try_nid(size, size, 0, MEMBLOCK_ALLOC_ANYWHERE,
							 nid));
		if (nid != NUMA_NO_NODE)
			got = p ? kh_virt_to_phys(p) : 0;
		fold(got);
	}
	return r;
}

static struct result one_round(const char *op, unsigned long n, unsigned long want)
{
	if (!strcmp(op, "reserve_asc"))
		return op_reserve_asc(n, want);
	if (!strcmp(op, "reserve_random"))
		return op_reserve_random(n, want);
	if (!strcmp(op, "free_random"))
		return op_free_random(n, want);
	if (!strcmp(op, "steady_reserve"))
		return op_steady(n, want, false);
	if (!strcmp(op, "steady_free"))
		return op_steady(n, want, true);
	if (!strcmp(op, "is_reserved"))
		return op_is_reserved(n, want);
	if (!strcmp(op, "alloc_top"))
		return op_alloc(n, want, 0x100, false, NUMA_NO_NODE);
	if (!strcmp(op, "alloc_below"))
		return op_alloc(n, want, 2 * GAP, true, NUMA_NO_NODE);
	if (!strcmp(op, "alloc_nid"))
		return op_alloc(n, want, 0x40, false, 1);
	fprintf(stderr, "linux_bench: unknown op %s\n", op);
	exit(2);
}

int main(int argc, char **argv)
{
	struct result r = { 0 };
	unsigned long n, count;
	ull calib, median;
	const char *op;

	if (argc != 3) {
		fprintf(stderr, "usage: linux_bench OP N (run by make bench-linux)\n");
		return 2;
	}
	op = argv[1];
	n = strtoul(argv[2], NULL, 0);
	if (n < 8 || slot(n) + TOP > ARRAYS) {
		fprintf(stderr, "linux_bench: N out of range\n");
		return 2;
	}
	/* The same count on both sides: about 2^24 region-visits per run. */
	count = (1UL << 24) / n;
	count = count < 16 ? 16 : (count > 8192 ? 8192 : count);
	if (getenv("LINUX_BENCH_COUNT")) /* for profiling one side */
		count = strtoul(getenv("LINUX_BENCH_COUNT"), NULL, 0);
	if (!strcmp(op, "is_reserved"))
		count *= 16; /* each is cheap */
	samples = malloc(count * sizeof(*samples));
	if (!samples)
		return 2;
	calib = clock_cost();
	while (r.ops < count)
		r.ops += one_round(op, n, count - r.ops).ops;
	qsort(samples, nsamples, sizeof(*samples), cmp_ull);
	median = samples[nsamples / 2];
	fold(memblock.reserved.cnt);
	fold(memblock.reserved.total_size);
	printf("%s %lu %.1f %lu %016llx\n", op, n, median > calib ? (double)(median - calib) : 0.0,
	       r.ops, digest);
	return 0;
}
