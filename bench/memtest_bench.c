/* SPDX-License-Identifier: MIT */
/*
 * memtest_bench.c - bandwidth of one memtest pass on a simulated window,
 * side by side with memset + memcmp over the same buffer.
 *
 * usage: memtest_bench [MIB [REPEATS]]   (default 1024 MiB, 5 repeats)
 *
 * Both sides write every byte once and read it back once. The window is
 * touched before timing so that page faults are not measured; each side
 * reports its best run. The ratio memtest / (memset + memcmp) is the
 * figure of merit (goal >= 0.9).
 */
#define _POSIX_C_SOURCE 200809L /* clock_gettime */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <memblock/memtest.h>
#include <memblock/simram.h>

#define BASE  0x80000000ull
#define CHUNK (64u * 1024u)

static struct memblock_region memory_regions[8];
static struct memblock_region reserved_regions[8];

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int setup(struct memblock *mb, struct mb_simram **ram, uint64_t bytes)
{
	struct mb_config cfg;

	if (mb_simram_create(ram) || mb_simram_add(*ram, BASE, bytes))
		return -1;
	mb_config_default(&cfg);
	cfg.memory_regions = memory_regions;
	cfg.memory_max = 8;
	cfg.reserved_regions = reserved_regions;
	cfg.reserved_max = 8;
	mb_simram_install(*ram, &cfg.ops);
	if (mb_init(mb, &cfg) || mb_add(mb, BASE, bytes))
		return -1;
	return 0;
}

/* One pass (pattern 0, the pass every memtest=N ends with). */
static double time_memtest(struct memblock *mb, uint64_t bytes)
{
	struct mb_memtest_config cfg;
	struct mb_memtest_result res;
	double t0, t1;

	mb_memtest_config_default(&cfg);
	cfg.passes = 1;
	mb_memtest_result_init(&res);
	t0 = now();
	if (mb_early_memtest(mb, &cfg, BASE, BASE + bytes, &res) || res.bytes_tested != bytes)
		return -1;
	t1 = now();
	return t1 - t0;
}

/* memset the buffer, then memcmp it chunk by chunk against a reference. */
static double time_libc(unsigned char *buf, uint64_t bytes, const unsigned char *ref)
{
	size_t mismatches = 0;
	double t0, t1;

	t0 = now();
	memset(buf, 0, bytes);
	for (uint64_t off = 0; off < bytes; off += CHUNK)
		mismatches += memcmp(buf + off, ref, CHUNK) != 0;
	t1 = now();
	return mismatches ? -1 : t1 - t0;
}

int main(int argc, char **argv)
{
	static unsigned char ref[CHUNK];
	uint64_t mib = argc > 1 ? strtoull(argv[1], NULL, 0) : 1024;
	int repeats = argc > 2 ? atoi(argv[2]) : 5;
	uint64_t bytes = mib << 20;
	double best_mt = 1e30, best_libc = 1e30, mt_bps, libc_bps;
	struct mb_simram *ram;
	struct memblock mb;
	unsigned char *buf;

	if (!mib || repeats < 1 || setup(&mb, &ram, bytes)) {
		fprintf(stderr, "usage: memtest_bench [MIB [REPEATS]]\n");
		return 2;
	}
	buf = mb_simram_phys_to_virt(ram, BASE, bytes);
	memset(buf, 1, bytes); /* commit every page before timing */
	for (int i = 0; i < repeats; i++) {
		double mt = time_memtest(&mb, bytes);
		double lc = time_libc(buf, bytes, ref);

		if (mt < 0 || lc < 0) {
			fprintf(stderr, "memtest_bench: a pass found bad memory\n");
			return 1;
		}
		best_mt = mt < best_mt ? mt : best_mt;
		best_libc = lc < best_libc ? lc : best_libc;
	}
	mt_bps = (double)bytes / best_mt;
	libc_bps = (double)bytes / best_libc;
	printf("memtest pass     %6llu MiB  %8.3f s  %8.2f GiB/s\n", (unsigned long long)mib,
	       best_mt, mt_bps / (1u << 30));
	printf("memset+memcmp    %6llu MiB  %8.3f s  %8.2f GiB/s\n", (unsigned long long)mib,
	       best_libc, libc_bps / (1u << 30));
	printf("ratio memtest/(memset+memcmp) = %.2f (goal >= 0.90, best of %d)\n",
	       mt_bps / libc_bps, repeats);
	mb_simram_destroy(ram);
	return 0;
}
