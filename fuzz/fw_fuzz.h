/* SPDX-License-Identifier: MIT */
/*
 * fw_fuzz.h - shared setup of the firmware fuzz harnesses: a fresh
 * instance per input (fixed capacity, NUMA on), a silent sink, and an
 * invariant check after every apply.
 */
#ifndef FW_FUZZ_H
#define FW_FUZZ_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <memblock/fw.h>
#include <memblock/memblock.h>

static struct memblock_region fz_memory[MB_INIT_REGIONS];
static struct memblock_region fz_reserved[MB_INIT_REGIONS];

static void fz_print(void *ctx, enum mb_log_level level, const char *line)
{
	(void)ctx;
	(void)level;
	/* touch the line: a missing terminator shows up under ASan */
	if (strlen(line) > 4096)
		abort();
}

static inline void fz_init(struct memblock *mb, bool debug)
{
	struct mb_config cfg;

	mb_config_default(&cfg);
	cfg.numa = true;
	cfg.debug = debug;
	cfg.memory_regions = fz_memory;
	cfg.memory_max = MB_INIT_REGIONS;
	cfg.reserved_regions = fz_reserved;
	cfg.reserved_max = MB_INIT_REGIONS;
	cfg.grow_policy = MB_GROW_FIXED;
	cfg.ops.print = fz_print;
	if (mb_init(mb, &cfg))
		abort();
}

static inline void fz_check(const struct memblock *mb)
{
	char msg[256];

	if (mb_check(mb, msg, sizeof(msg)))
		abort();
}

#endif /* FW_FUZZ_H */
