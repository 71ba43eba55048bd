/* SPDX-License-Identifier: MIT */
/*
 * memtest.h - the kernel's early memory test (mm/memtest.c) on an instance.
 *
 * Freestanding like the core: memory is reached only through the
 * instance's ops.phys_to_virt (and ops.mem_sync after each write), output
 * goes through ops.print with the kernel's exact lines (spec 8, 9):
 *
 *   early_memtest: # of tests: 4
 *     0x0000000082000000 - 0x00000000b81f9000 pattern aaaaaaaaaaaaaaaa
 *     5555555555555555 bad mem addr 0x0000000082001000 - 0x0000000082001008 reserved
 *   EarlyMemtestBad:       1 kB
 *
 * Bad words are reserved with mb_reserve() exactly as reserve_bad_mem()
 * does, and recorded in a caller-owned struct mb_memtest_result.
 */
#ifndef MEMBLOCK_MEMTEST_H
#define MEMBLOCK_MEMTEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <memblock/memblock.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Number of patterns; bare "memtest" on the command line runs them all. */
#define MB_MEMTEST_NR_PATTERNS 17

/* Merged bad ranges a result can hold; more set result->overflow. */
#define MB_MEMTEST_MAX_RANGES 64

struct mb_memtest_config {
	unsigned int passes; /* memtest=N: passes N-1 .. 0; 0 = off */
	bool arch_x86;	     /* x86 warns once "Bad RAM detected..." */
	/*
	 * Linux 6.12 uses address 0 as "no bad run yet", so a run of bad
	 * words starting at physical 0 or 8 is never reserved. true (the
	 * default) keeps that; false finds them.
	 */
	bool zero_quirk;
	/* Print the lines without touching memory (no memory ops needed). */
	bool lines_only;
	/*
	 * %pS label of the memblock_reserve trace line of each bad run
	 * (memblock=debug); NULL keeps whatever caller the instance has.
	 */
	const char *caller;
};

/* [start, end), end exclusive. */
struct mb_memtest_range {
	mb_phys_addr_t start;
	mb_phys_addr_t end;
};

struct mb_memtest_result {
	bool done;		      /* some range was tested (early_memtest_done) */
	bool warned;		      /* the x86 one-time warning was printed */
	bool overflow;		      /* ranges[] was too small: some bad memory not listed */
	unsigned long bad_runs;	      /* reserve_bad_mem() calls */
	unsigned long reserve_errors; /* mb_reserve() failures (Linux ignores them) */
	int first_reserve_error;      /* first such error, 0 when none */
	mb_phys_addr_t bad_bytes;     /* early_memtest_bad_size */
	unsigned long passes_run;
	unsigned long ranges_tested; /* range lines printed */
	uint64_t bytes_tested;	     /* whole words written and read back, in bytes */
	size_t nr_ranges;	     /* merged bad ranges, sorted by address */
	struct mb_memtest_range ranges[MB_MEMTEST_MAX_RANGES];
};

/**
 * mb_memtest_config_default() - memtest off, not x86, Linux's zero quirk
 * @cfg: config to fill
 */
MB_API void mb_memtest_config_default(struct mb_memtest_config *cfg);

/**
 * mb_memtest_result_init() - an empty result (call once before the first run)
 * @res: result to clear
 */
MB_API void mb_memtest_result_init(struct mb_memtest_result *res);

/**
 * mb_memtest_result_add() - record one bad run in a result
 * @res: result
 * @start: first bad byte
 * @end: end of the run (exclusive, > @start)
 *
 * What mb_early_memtest() does for each run it reserves (bad_runs,
 * bad_bytes, merged ranges); for front ends that learn about bad runs
 * from elsewhere, e.g. a boot log. Nothing is reserved.
 */
MB_API void mb_memtest_result_add(struct mb_memtest_result *res, mb_phys_addr_t start, mb_phys_addr_t end);

/**
 * mb_memtest_parse_arg() - the "memtest" / "memtest=N" kernel parameter
 * @arg: text after '=', or NULL for a bare "memtest"
 * @passes: receives the number of passes (17 for NULL)
 *
 * N is read like kstrtouint(arg, 0): "0x11", "021" and "17" are the same,
 * one trailing newline is allowed.
 *
 * Return: 0, or -MB_EINVAL when @arg is not a number that fits an
 * unsigned int (then *passes is unchanged).
 */
MB_API int mb_memtest_parse_arg(const char *arg, unsigned int *passes);

/**
 * mb_memtest_pattern() - the pattern a pass writes
 * @pass: pass number (the passes run N-1 down to 0)
 *
 * Return: patterns[@pass % 17], as stored in memory (not byte-swapped).
 */
MB_API uint64_t mb_memtest_pattern(unsigned int pass);

/**
 * mb_early_memtest() - early_memtest(start, end)
 * @mb: instance; its free ranges are tested and bad words reserved in it
 * @cfg: passes and options; cfg->passes == 0 does nothing
 * @start: window start
 * @end: window end (exclusive)
 * @res: result, accumulated (call mb_memtest_result_init() first)
 *
 * Each pass walks the free ranges (NUMA_NO_NODE, flags NONE) clamped to
 * [@start, @end), prints the range line, writes the pattern to every whole
 * 64-bit word of the range, calls ops.mem_sync on them, reads them back
 * and reserves every maximal run of bad words with mb_reserve().
 *
 * Return: 0; -MB_EINVAL for a NULL argument or, unless cfg->lines_only,
 * a missing ops.phys_to_virt; -MB_ENOENT when a free range is not
 * accessible through ops.phys_to_virt (the test stops there: the lines
 * and reservations made so far stay).
 */
MB_API int mb_early_memtest(struct memblock *mb, const struct mb_memtest_config *cfg, mb_phys_addr_t start,
		     mb_phys_addr_t end, struct mb_memtest_result *res);

/**
 * mb_memtest_report_meminfo() - print the /proc/meminfo line
 * @mb: instance whose print op gets the line
 * @res: result of the runs
 *
 * Prints "EarlyMemtestBad:   %5lu kB" (bad bytes in KiB, at least 1 when
 * any byte was bad).
 *
 * Return: 0; -MB_ENOENT when no range was ever tested (Linux prints
 * nothing then); -MB_EINVAL for a NULL argument.
 */
MB_API int mb_memtest_report_meminfo(const struct memblock *mb, const struct mb_memtest_result *res);

/**
 * mb_memtest_memmap_ranges() - the bad ranges widened to whole pages
 * @res: result of the runs
 * @page_size: power of two (mb->cfg.page_size)
 * @out: receives the page-aligned ranges, merged when they touch
 * @max: room in @out
 * @count: receives the number of ranges (even when more than @max)
 *
 * Return: 0; -MB_ENOSPC when @out is too small (the first @max are
 * filled); -MB_EINVAL for a NULL argument or a bad page size.
 */
MB_API int mb_memtest_memmap_ranges(const struct mb_memtest_result *res, mb_phys_addr_t page_size,
			     struct mb_memtest_range *out, size_t max, size_t *count);

/**
 * mb_text_memmap() - append "memmap=SIZE$ADDR" for one range
 * @t: line being built
 * @range: the range (end > start)
 *
 * SIZE uses the largest of K, M, G, T that divides it (bytes otherwise),
 * ADDR is 0x-prefixed hex: "memmap=4K$0x82001000". The kernel reads it
 * as "reserve SIZE bytes at ADDR" (x86 memmap=nn$ss).
 */
MB_API void mb_text_memmap(struct mb_text *t, const struct mb_memtest_range *range);

#ifdef __cplusplus
}
#endif

#endif /* MEMBLOCK_MEMTEST_H */
