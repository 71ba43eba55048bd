/* SPDX-License-Identifier: MIT */
/* gen.h - generated memblock=debug logs for the trace tests and bench. */
#ifndef MEMBLOCK_TRACE_GEN_H
#define MEMBLOCK_TRACE_GEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <memblock/memblock.h>

struct gen_log {
	char *data; /* NUL terminated; free() it */
	size_t len, cap;
	unsigned long lines;
	bool oom;
};

/**
 * gen_boot_log() - a random but reproducible boot log from our own core
 * @log: output (zeroed first)
 * @seed: random seed
 * @lines: stop after about this many lines
 * @profile: "linux-6.12", "linux-4.x", ...
 * @nodes: 1 for a non-NUMA machine, up to 4 NUMA nodes
 *
 * Return: 0 or a negative MB_E* code.
 */
int gen_boot_log(struct gen_log *log, uint64_t seed, unsigned long lines, const char *profile,
		 int nodes);

#endif
