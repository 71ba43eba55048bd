// SPDX-License-Identifier: MIT
/*
 * core_bench.c - nanoseconds per operation of the core at 128, 1,024,
 * 8,192 and 65,536 existing reserved regions.
 *
 * usage: core_bench [JSON_PATH [MAX_REGIONS]]
 *        (default bench-core.json, 65536)
 *
 * Operations (memblock walks its arrays linearly, as Linux does, so most
 * costs grow with the region count):
 *   reserve_asc     build N reserved regions in ascending order (per reserve)
 *   reserve_random  build N reserved regions in random order (per reserve)
 *   alloc_topdown   phys_alloc_range that fits only below all N regions: the
 *                   top-down search walks every free range (worst case)
 *   alloc_bottomup  the mirror image: fits only above all N regions
 *   phys_free       free one of those allocations again
 *   is_reserved     binary search at a random address
 *   free_walk       one step of for_each_free_mem_range over the N gaps
 *
 * Arrays never grow during a measurement (fixed capacity, big enough).
 * MB_BENCH_INDEX=on (or auto) runs everything with the region index.
 * No assertion on timing; results go to stdout (table) and JSON.
 */
#define _POSIX_C_SOURCE 200809L

#include <memblock/memblock.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define GAP  0x2000u   /* one reserved region every GAP bytes */
#define RSV  0x1000u   /* ... of RSV bytes, leaving RSV-byte holes */
#define BIG  (2 * GAP) /* bigger than any hole */
#define BASE 0x100000u /* memory starts here */

/* The free area where BIG blocks fit: room for every timed allocation. */
static mb_phys_addr_t area;

enum bench_op {
	B_RESERVE_ASC,
	B_RESERVE_RANDOM,
	B_ALLOC_TOPDOWN,
	B_ALLOC_BOTTOMUP,
	B_PHYS_FREE,
	B_IS_RESERVED,
	B_FREE_WALK,
	B_NR_OPS
};

static const char *const op_names[B_NR_OPS] = {
    "reserve_asc", "reserve_random", "alloc_topdown", "alloc_bottomup",
    "phys_free",   "is_reserved",    "free_walk",
};

static const unsigned long sizes[] = {128, 1024, 8192, 65536};
#define NR_SIZES (sizeof(sizes) / sizeof(sizes[0]))

struct result {
	double ns;
	unsigned long iterations;
};

static struct result results[B_NR_OPS][NR_SIZES];
static volatile unsigned long sink; /* keeps lookups from being optimised away */

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static uint64_t rng_state = 0x2545f4914f6cdd1dull;

static uint64_t rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

struct bench_mb {
	struct memblock mb;
	struct memblock_region *mem, *rsv;
};

static void die(const char *what, int rc)
{
	fprintf(stderr, "core_bench: %s failed: %d (%s)\n", what, rc, mb_strerror(rc));
	exit(1);
}

static void *index_alloc(void *ctx, size_t bytes)
{
	(void)ctx;
	return malloc(bytes);
}

static void index_free(void *ctx, void *mem, size_t bytes)
{
	(void)ctx;
	(void)bytes;
	free(mem);
}

/* MB_BENCH_INDEX=on|auto: run with the region index (mb_set_index()). */
static enum mb_index_mode index_mode(void)
{
	const char *s = getenv("MB_BENCH_INDEX");

	if (s && !strcmp(s, "on"))
		return MB_INDEX_ON;
	if (s && !strcmp(s, "auto"))
		return MB_INDEX_AUTO;
	return MB_INDEX_OFF;
}

/* An instance with room for @n reserved regions and no growth at all. */
static void bench_init(struct bench_mb *b, unsigned long n)
{
	struct mb_config cfg;
	unsigned long cap = 2 * n + 16; /* add_range inserts in one pass below half full */
	int rc;

	b->mem = calloc(16, sizeof(*b->mem));
	b->rsv = calloc(cap, sizeof(*b->rsv));
	if (!b->mem || !b->rsv)
		die("calloc", -MB_ENOMEM);
	mb_config_default(&cfg);
	cfg.memory_regions = b->mem;
	cfg.memory_max = 16;
	cfg.reserved_regions = b->rsv;
	cfg.reserved_max = cap;
	cfg.grow_policy = MB_GROW_FIXED;
	cfg.ops.index_alloc = index_alloc;
	cfg.ops.index_free = index_free;
	rc = mb_init(&b->mb, &cfg);
	if (!rc)
		rc = mb_set_index(&b->mb, index_mode());
	if (rc)
		die("mb_init", rc);
}

static void bench_fini(struct bench_mb *b)
{
	mb_set_index(&b->mb, MB_INDEX_OFF);
	free(b->mem);
	free(b->rsv);
}

/*
 * Layout: memory [BASE, BASE + area + n * GAP + area); reserved region i at
 * BASE + area + i * GAP (RSV bytes). The free area below or above the
 * regions is the only place a BIG block fits; the other area is reserved
 * whole.
 */
static mb_phys_addr_t region_addr(unsigned long i)
{
	return BASE + area + (mb_phys_addr_t)i * GAP;
}

static void add_memory(struct bench_mb *b, unsigned long n)
{
	int rc = mb_add(&b->mb, BASE, 2 * area + (mb_phys_addr_t)n * GAP);

	if (rc)
		die("mb_add", rc);
}

static double build(struct bench_mb *b, unsigned long n, bool random_order)
{
	unsigned long *order = malloc(n * sizeof(*order)), i;
	double t0, t1;
	int rc = 0;

	if (!order)
		die("malloc", -MB_ENOMEM);
	for (i = 0; i < n; i++)
		order[i] = i;
	for (i = n; random_order && i > 1; i--) {
		unsigned long j = (unsigned long)(rnd() % i), tmp = order[i - 1];

		order[i - 1] = order[j];
		order[j] = tmp;
	}
	t0 = now_ns();
	for (i = 0; i < n && !rc; i++)
		rc = mb_reserve(&b->mb, region_addr(order[i]), RSV);
	t1 = now_ns();
	free(order);
	if (rc)
		die("mb_reserve", rc);
	return (t1 - t0) / (double)n;
}

static unsigned long iterations_for(unsigned long n)
{
	unsigned long k = 20000000ul / n;

	return k < 50 ? 50 : (k > 20000 ? 20000 : k);
}

/* Allocate k BIG blocks (timed), then free them (timed). */
static void alloc_free(struct bench_mb *b, unsigned long n, int idx, bool bottom_up)
{
	unsigned long k = iterations_for(n), i;
	mb_phys_addr_t *addr = malloc(k * sizeof(*addr));
	double t0, t1, t2;
	int rc = 0;

	if (!addr)
		die("malloc", -MB_ENOMEM);
	mb_set_bottom_up(&b->mb, bottom_up);
	t0 = now_ns();
	for (i = 0; i < k && !rc; i++)
		rc = mb_phys_alloc_range(&b->mb, BIG, 0x1000, 0, MB_ALLOC_ANYWHERE, &addr[i]);
	t1 = now_ns();
	if (rc)
		die("mb_phys_alloc_range", rc);
	for (i = 0; i < k && !rc; i++)
		rc = mb_phys_free(&b->mb, addr[i], BIG);
	t2 = now_ns();
	if (rc)
		die("mb_phys_free", rc);
	free(addr);
	results[bottom_up ? B_ALLOC_BOTTOMUP : B_ALLOC_TOPDOWN][idx] =
	    (struct result){(t1 - t0) / (double)k, k};
	if (!bottom_up)
		results[B_PHYS_FREE][idx] = (struct result){(t2 - t1) / (double)k, k};
}

static void lookups(struct bench_mb *b, unsigned long n, int idx)
{
	unsigned long k = 200000, i, hits = 0;
	mb_phys_addr_t span = 2 * area + (mb_phys_addr_t)n * GAP;
	double t0, t1;

	t0 = now_ns();
	for (i = 0; i < k; i++)
		hits += mb_is_reserved(&b->mb, BASE + (mb_phys_addr_t)(rnd() % span));
	t1 = now_ns();
	sink += hits;
	results[B_IS_RESERVED][idx] = (struct result){(t1 - t0) / (double)k, k};
}

static void walk(struct bench_mb *b, unsigned long n, int idx)
{
	unsigned long walks = iterations_for(n) / 10 + 1, steps = 0, w;
	mb_phys_addr_t start, end;
	double t0, t1;
	uint64_t i;

	(void)n;
	t0 = now_ns();
	for (w = 0; w < walks; w++)
		mb_for_each_free_mem_range(&b->mb, i, MB_NUMA_NO_NODE, MB_FLAG_NONE, &start, &end,
					   NULL) steps++;
	t1 = now_ns();
	sink += steps;
	results[B_FREE_WALK][idx] = (struct result){(t1 - t0) / (double)steps, steps};
}

/*
 * A fresh instance with @n reserved regions built in ascending or random
 * order (timed as reserve_asc or reserve_random), then the free area at
 * @area_base reserved too, so only the other one is left to allocate from.
 */
static void prepare(struct bench_mb *b, unsigned long n, int idx, bool random_order,
		    mb_phys_addr_t area_base)
{
	enum bench_op op = random_order ? B_RESERVE_RANDOM : B_RESERVE_ASC;
	int rc;

	bench_init(b, n + 2);
	add_memory(b, n);
	results[op][idx] = (struct result){build(b, n, random_order), n};
	rc = mb_reserve(&b->mb, area_base, area);
	if (rc)
		die("mb_reserve", rc);
}

static void run_size(int idx)
{
	unsigned long n = sizes[idx];
	mb_phys_addr_t top;
	struct bench_mb b;

	area = (mb_phys_addr_t)(iterations_for(n) + 16) * BIG;
	top = region_addr(n);

	/* ascending build, then top-down worst case: only the bottom area fits */
	prepare(&b, n, idx, false, top);
	alloc_free(&b, n, idx, false);
	lookups(&b, n, idx);
	walk(&b, n, idx);
	bench_fini(&b);

	/* random build, then bottom-up worst case: only the top area fits */
	prepare(&b, n, idx, true, BASE);
	alloc_free(&b, n, idx, true);
	bench_fini(&b);
}

static void print_table(size_t nr_sizes)
{
	size_t s;
	int op;

	printf("core_bench: ns per operation (phys_addr_t %zu-bit)\n", 8 * sizeof(mb_phys_addr_t));
	printf("%-16s", "regions");
	for (s = 0; s < nr_sizes; s++)
		printf("%12lu", sizes[s]);
	printf("\n");
	for (op = 0; op < B_NR_OPS; op++) {
		printf("%-16s", op_names[op]);
		for (s = 0; s < nr_sizes; s++)
			printf("%12.1f", results[op][s].ns);
		printf("\n");
	}
}

static int write_json(const char *path, size_t nr_sizes)
{
	FILE *f = fopen(path, "w");
	size_t s;
	int op;
	bool first = true;

	if (!f) {
		perror(path);
		return -1;
	}
	fprintf(f, "{\n  \"benchmark\": \"core\",\n  \"unit\": \"ns/op\",\n");
	fprintf(f, "  \"phys_addr_bits\": %zu,\n  \"results\": [\n", 8 * sizeof(mb_phys_addr_t));
	for (op = 0; op < B_NR_OPS; op++) {
		for (s = 0; s < nr_sizes; s++) {
			fprintf(f,
				"%s    {\"op\": \"%s\", \"regions\": %lu, \"ns_per_op\": %.2f, "
				"\"iterations\": %lu}",
				first ? "" : ",\n", op_names[op], sizes[s], results[op][s].ns,
				results[op][s].iterations);
			first = false;
		}
	}
	fprintf(f, "\n  ]\n}\n");
	return fclose(f) ? -1 : 0;
}

int main(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : "bench-core.json";
	unsigned long max = argc > 2 ? strtoul(argv[2], NULL, 0) : 65536;
	size_t s, nr = 0;

	for (s = 0; s < NR_SIZES && sizes[s] <= max; s++) {
		run_size((int)s);
		nr++;
	}
	print_table(nr);
	if (write_json(path, nr))
		return 1;
	printf("core_bench: wrote %s\n", path);
	return 0;
}
