/* SPDX-License-Identifier: MIT */
/* memtest_internal.h - shared between the files of src/memtest. */
#ifndef MEMBLOCK_MEMTEST_INTERNAL_H
#define MEMBLOCK_MEMTEST_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include <memblock/memtest.h>

#define MEMTEST_WORD ((mb_phys_addr_t)sizeof(uint64_t))

/*
 * The run of bad words being collected while a range is read back.
 * first/last are physical addresses of the first and last bad word.
 */
struct bad_run {
	bool open;
	mb_phys_addr_t first;
	mb_phys_addr_t last;
};

/* Called for each maximal run found: [start, end). */
typedef void (*bad_run_fn)(void *ctx, mb_phys_addr_t start, mb_phys_addr_t end);

struct word_scan {
	uint64_t pattern;
	bool zero_quirk;
	struct bad_run run;
	bad_run_fn report;
	void *report_ctx;
};

/* words.c: the memory side of one range. */
void mbi_memtest_fill_words(uint64_t *words, size_t count, uint64_t pattern);
void mbi_memtest_scan_words(struct word_scan *scan, const uint64_t *words, size_t count,
			mb_phys_addr_t phys);
void mbi_memtest_scan_finish(struct word_scan *scan);

/* report.c: result bookkeeping. */
void mbi_memtest_record_bad(struct mb_memtest_result *res, mb_phys_addr_t start, mb_phys_addr_t end);

#endif /* MEMBLOCK_MEMTEST_INTERNAL_H */
