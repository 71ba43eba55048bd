/* SPDX-License-Identifier: MIT */
/*
 * words.c - writing a pattern and finding bad words, fast.
 *
 * Both loops work on blocks of a fixed number of words so that the
 * compiler vectorises them even at -O2 (a constant trip count needs no
 * epilogue); the check keeps four independent accumulators so the loads
 * are not serialised on one register. Memory is plain, not volatile:
 * ops.mem_sync is an opaque call between the writes and the reads, so
 * the reads really happen.
 *
 * Sixteen of the seventeen patterns repeat one byte: those are written
 * with __builtin_memset, which the compiler turns into a call to memset,
 * one of the four functions GCC and Clang require from every
 * freestanding environment (tests/memtest/freestanding.sh allows exactly
 * those). A C library's memset streams large fills past the cache, which
 * a plain store loop cannot do: see bench/memtest_bench.c.
 */
#include "memtest_internal.h"

#define BLOCK_WORDS 64

static void fill_block(uint64_t *words, uint64_t pattern)
{
	for (size_t i = 0; i < BLOCK_WORDS; i++)
		words[i] = pattern;
}

static bool repeats_one_byte(uint64_t pattern)
{
	return pattern == (pattern & 0xff) * 0x0101010101010101ull;
}

void mbi_memtest_fill_words(uint64_t *words, size_t count, uint64_t pattern)
{
	size_t done = 0;

	if (repeats_one_byte(pattern)) {
		__builtin_memset(words, (int)(pattern & 0xff), count * sizeof(*words));
		return;
	}

	for (; count - done >= BLOCK_WORDS; done += BLOCK_WORDS)
		fill_block(words + done, pattern);
	for (; done < count; done++)
		words[done] = pattern;
}

static bool block_clean(const uint64_t *words, uint64_t pattern)
{
	uint64_t diff0 = 0, diff1 = 0, diff2 = 0, diff3 = 0;

	for (size_t i = 0; i < BLOCK_WORDS; i += 4) {
		diff0 |= words[i] ^ pattern;
		diff1 |= words[i + 1] ^ pattern;
		diff2 |= words[i + 2] ^ pattern;
		diff3 |= words[i + 3] ^ pattern;
	}
	return (diff0 | diff1 | diff2 | diff3) == 0;
}

/*
 * One bad word at @addr. Runs are maximal sequences of adjacent bad
 * words; a run is reported when the next non-adjacent bad word shows up
 * or the range ends (mbi_memtest_scan_finish()).
 *
 * Linux keeps "no run yet" as address 0 (spec 9): its last bad word
 * starts out as 0, so a bad word at 8 extends that phantom run, and a run
 * starting at 0 or 8 is never reported. zero_quirk keeps that.
 */
static void note_bad_word(struct word_scan *scan, mb_phys_addr_t addr)
{
	struct bad_run *run = &scan->run;
	bool adjacent = addr == run->last + MEMTEST_WORD;

	if (!scan->zero_quirk)
		adjacent = adjacent && run->open;
	if (adjacent) {
		run->last = addr;
		return;
	}
	if (run->open)
		scan->report(scan->report_ctx, run->first, run->last + MEMTEST_WORD);
	run->open = !scan->zero_quirk || addr != 0;
	run->first = addr;
	run->last = addr;
}

static void scan_slow(struct word_scan *scan, const uint64_t *words, size_t count,
		      mb_phys_addr_t phys)
{
	for (size_t i = 0; i < count; i++)
		if (words[i] != scan->pattern)
			note_bad_word(scan, phys + (mb_phys_addr_t)i * MEMTEST_WORD);
}

void mbi_memtest_scan_words(struct word_scan *scan, const uint64_t *words, size_t count,
			mb_phys_addr_t phys)
{
	size_t done = 0;

	for (; count - done >= BLOCK_WORDS; done += BLOCK_WORDS) {
		if (block_clean(words + done, scan->pattern))
			continue;
		scan_slow(scan, words + done, BLOCK_WORDS,
			  phys + (mb_phys_addr_t)done * MEMTEST_WORD);
	}
	scan_slow(scan, words + done, count - done, phys + (mb_phys_addr_t)done * MEMTEST_WORD);
}

void mbi_memtest_scan_finish(struct word_scan *scan)
{
	struct bad_run *run = &scan->run;

	if (run->open)
		scan->report(scan->report_ctx, run->first, run->last + MEMTEST_WORD);
	run->open = false;
}
