// SPDX-License-Identifier: MIT
/*
 * trace_bench.c - parse-and-replay throughput of `memblock replay` on a
 * generated memblock=debug log of 1,000,000 lines (goal: >= 1,000,000
 * lines/s on one core). Usage: trace_bench [LINES [SEED]].
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "gen.h"
#include <memblock/trace.h>

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	unsigned long lines = argc > 1 ? strtoul(argv[1], NULL, 0) : 1000000;
	unsigned long long seed = argc > 2 ? strtoull(argv[2], NULL, 0) : 42;
	struct mbt_replay *r = mbt_replay_new();
	struct mbt_parser p;
	struct mbt_record rec;
	struct gen_log log;
	unsigned long records = 0;
	double t0, t1, t2;
	int ret;

	if (!r || gen_boot_log(&log, seed, lines, "linux-6.12", 1)) {
		fprintf(stderr, "trace_bench: cannot generate the log\n");
		return 1;
	}
	t0 = now();
	mbt_parser_init(&p, log.data, log.len);
	while (mbt_parser_next(&p, &rec))
		records++;
	t1 = now();
	ret = mbt_replay_log(r, log.data, log.len, NULL, NULL);
	t2 = now();
	printf("trace_bench: %lu lines (%.1f MiB), seed %llu\n", log.lines,
	       (double)log.len / (1 << 20), seed);
	printf("  parse only       %.3f s  %.0f lines/s (%lu records)\n", t1 - t0,
	       (double)log.lines / (t1 - t0), records);
	printf("  parse + replay   %.3f s  %.0f lines/s (%lu allocations verified of %lu, "
	       "%lu dumps matched)\n",
	       t2 - t1, (double)log.lines / (t2 - t1), mbt_replay_stats(r)->allocs_verified,
	       mbt_replay_stats(r)->allocs_present, mbt_replay_stats(r)->dumps_matched);
	printf("  goal             >= 1000000 lines/s: %s\n",
	       (double)log.lines / (t2 - t1) >= 1e6 ? "met" : "NOT met");
	mbt_replay_free(r);
	free(log.data);
	return ret == 0 ? 0 : 1;
}
