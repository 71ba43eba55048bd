// SPDX-License-Identifier: MIT
/*
 * index_bench.c - nanoseconds per operation of the region index
 * (src/core/index.c) at 128 .. 262,144 regions, with the sorted array's
 * memmove insert and remove alongside for scale.
 *
 * usage: index_bench [MAX_REGIONS]   (default 262144)
 *
 *   insert_remove  insert a region at a random rank, remove it again (per pair)
 *   flat_ins_rem   the same on a plain sorted array (memmove)
 *   at_random      the region at a random rank
 *   walk_back      one step of a walk from the top rank down to 0
 *   prev_gap_far   the one wide gap, below every region, from the top rank
 *   count_end_le   regions ending at or below a random address
 *
 * No assertion on timing; results go to stdout.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "index.h"

#define STEP 0x2000u /* one region every STEP bytes */

static unsigned long long rng_state = 0x1234567;

static unsigned long rnd(unsigned long n)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (unsigned long)(rng_state % n);
}

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

/* Region i at i * STEP, of a random size below STEP; rank 0's gap is the widest. */
static void make_regions(struct memblock_region *r, unsigned long n)
{
	unsigned long i;

	for (i = 0; i < n; i++) {
		r[i].base = (mb_phys_addr_t)(i + 1) * STEP;
		r[i].size = 0x100 + rnd(STEP - 0x200);
		r[i].flags = 0;
		r[i].nid = 0;
	}
	if (n > 1) {
		r[0].base = 0;
		r[0].size = 1;
	}
}

static void row(const char *op, unsigned long n, double ns, unsigned long ops)
{
	printf("%-14s %8lu %10.1f\n", op, n, ns / (double)ops);
}

static void bench_updates(struct mb_index *ix, struct memblock_region *r, unsigned long n)
{
	unsigned long i, ops = 200000;
	double t = now_ns();

	for (i = 0; i < ops; i++) {
		unsigned long rank = 1 + rnd(n - 1);
		struct memblock_region g = { r[rank - 1].base + r[rank - 1].size, 1, 0, 0 };

		mbi_index_insert(ix, rank, &g);
		mbi_index_remove(ix, rank);
	}
	row("insert_remove", n, now_ns() - t, ops);

	ops = n >= 65536 ? 200 : 20000;
	t = now_ns();
	for (i = 0; i < ops; i++) {
		unsigned long rank = 1 + rnd(n - 1);
		struct memblock_region g = { r[rank - 1].base + r[rank - 1].size, 1, 0, 0 };

		memmove(&r[rank + 1], &r[rank], (n - rank) * sizeof(g));
		r[rank] = g;
		memmove(&r[rank], &r[rank + 1], (n - rank) * sizeof(g));
	}
	row("flat_ins_rem", n, now_ns() - t, ops);
}

static void bench_reads(struct mb_index *ix, unsigned long n)
{
	unsigned long i, ops = 500000, sink = 0;
	double t = now_ns();

	for (i = 0; i < ops; i++)
		sink += (unsigned long)mbi_index_at(ix, rnd(n))->size;
	row("at_random", n, now_ns() - t, ops);
	t = now_ns();
	for (i = 0; i < ops; i++)
		sink += (unsigned long)mbi_index_at(ix, n - 1 - i % n)->size;
	row("walk_back", n, now_ns() - t, ops);
	t = now_ns();
	for (i = 0; i < ops; i++)
		sink += (unsigned long)mbi_index_prev_gap(ix, n - 1, STEP);
	row("prev_gap_far", n, now_ns() - t, ops);
	t = now_ns();
	for (i = 0; i < ops; i++)
		sink += mbi_index_count_end_le(ix, (mb_phys_addr_t)rnd(n) * STEP);
	row("count_end_le", n, now_ns() - t, ops);
	if (sink == 42)
		printf("\n");
}

int main(int argc, char **argv)
{
	static const unsigned long sizes[] = { 128, 1024, 8192, 65536, 262144 };
	unsigned long max = argc > 1 ? strtoul(argv[1], NULL, 0) : 262144;
	size_t k;

	printf("%-14s %8s %10s\n", "op", "regions", "ns/op");
	for (k = 0; k < sizeof(sizes) / sizeof(sizes[0]) && sizes[k] <= max; k++) {
		unsigned long n = sizes[k];
		struct memblock_region *r = malloc((n + 1) * sizeof(*r));
		void *pool = malloc(mbi_index_bytes(n + 1));
		struct mb_index ix;

		if (!r || !pool)
			return 1;
		make_regions(r, n);
		mbi_index_init(&ix, pool, n + 1);
		mbi_index_build(&ix, r, n);
		if (mbi_index_check(&ix) || mbi_index_prev_gap(&ix, n - 1, STEP) != 0)
			return 1;
		bench_updates(&ix, r, n);
		bench_reads(&ix, n);
		free(pool);
		free(r);
	}
	return 0;
}
