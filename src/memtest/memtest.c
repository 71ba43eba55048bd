/* SPDX-License-Identifier: MIT */
/*
 * memtest.c - early_memtest(): passes over the free ranges of an
 * instance, the range lines, and reserve_bad_mem() (spec 8, 9).
 */
#include "memtest_internal.h"

/* Order is the kernel's: the last pass (index 0) leaves memory zeroed. */
static const uint64_t memtest_patterns[MB_MEMTEST_NR_PATTERNS] = {
	0x0000000000000000ull, 0xffffffffffffffffull, 0x5555555555555555ull,
	0xaaaaaaaaaaaaaaaaull, 0x1111111111111111ull, 0x2222222222222222ull,
	0x4444444444444444ull, 0x8888888888888888ull, 0x3333333333333333ull,
	0x6666666666666666ull, 0x9999999999999999ull, 0xccccccccccccccccull,
	0x7777777777777777ull, 0xbbbbbbbbbbbbbbbbull, 0xddddddddddddddddull,
	0xeeeeeeeeeeeeeeeeull, 0x7a6c7258554e494cull,
};

struct memtest_run {
	struct memblock *mb;
	const struct mb_memtest_config *cfg;
	struct mb_memtest_result *res;
	uint64_t pattern;
};

uint64_t mb_memtest_pattern(unsigned int pass)
{
	return memtest_patterns[pass % MB_MEMTEST_NR_PATTERNS];
}

void mb_memtest_config_default(struct mb_memtest_config *cfg)
{
	if (!cfg)
		return;
	cfg->passes = 0;
	cfg->arch_x86 = false;
	cfg->zero_quirk = true;
	cfg->lines_only = false;
	cfg->caller = NULL;
}

/* The kernel prints cpu_to_be64(pattern); our targets are little-endian. */
static uint64_t swap_bytes64(uint64_t v)
{
	uint64_t out = 0;

	for (int i = 0; i < 8; i++) {
		out = (out << 8) | (v & 0xff);
		v >>= 8;
	}
	return out;
}

static void emit_range_line(const struct memtest_run *run, mb_phys_addr_t start,
			    mb_phys_addr_t end)
{
	struct mb_text t;

	mb_text_reset(&t);
	mb_text_str(&t, "  ");
	mb_text_pa(&t, run->mb, start);
	mb_text_str(&t, " - ");
	mb_text_pa(&t, run->mb, end);
	mb_text_str(&t, " pattern ");
	mb_text_hex(&t, swap_bytes64(run->pattern), 16, false);
	mb_emit(run->mb, MB_LOG_INFO, &t);
}

static void warn_once_x86(const struct memtest_run *run)
{
	struct mb_text t;

	if (!run->cfg->arch_x86 || run->res->warned)
		return;
	run->res->warned = true;
	mb_text_reset(&t);
	mb_text_str(&t, "Bad RAM detected. Use memtest86+ to perform a thorough test");
	mb_emit(run->mb, MB_LOG_WARN, &t);
	mb_text_reset(&t);
	mb_text_str(&t, "and the memmap= parameter to reserve the bad areas.");
	mb_emit(run->mb, MB_LOG_WARN, &t);
}

/* reserve_bad_mem(): warn (x86), print, reserve, count [start, end). */
static void reserve_bad_mem(void *ctx, mb_phys_addr_t start, mb_phys_addr_t end)
{
	struct memtest_run *run = ctx;
	struct mb_text t;
	int err;

	warn_once_x86(run);
	mb_text_reset(&t);
	mb_text_str(&t, "  ");
	mb_text_hex(&t, swap_bytes64(run->pattern), 16, false);
	mb_text_str(&t, " bad mem addr ");
	mb_text_pa(&t, run->mb, start);
	mb_text_str(&t, " - ");
	mb_text_pa(&t, run->mb, end);
	mb_text_str(&t, " reserved");
	mb_emit(run->mb, MB_LOG_INFO, &t);

	/* Linux ignores a failing memblock_reserve() here; we count it. */
	if (run->cfg->caller)
		mb_set_caller(run->mb, run->cfg->caller);
	err = mb_reserve(run->mb, start, end - start);
	if (err) {
		run->res->reserve_errors++;
		if (!run->res->first_reserve_error)
			run->res->first_reserve_error = err;
	}
	mbi_memtest_record_bad(run->res, start, end);
}

/*
 * The longest prefix of [phys, phys + bytes) that one phys_to_virt call
 * maps (a free range may span two backing windows). bytes is a multiple
 * of the word size; so is *len.
 */
static uint64_t *map_words(const struct memblock *mb, mb_phys_addr_t phys, mb_phys_addr_t bytes,
			   mb_phys_addr_t *len)
{
	const struct mb_ops *ops = &mb->cfg.ops;

	while (bytes >= MEMTEST_WORD) {
		void *p = ops->phys_to_virt(ops->mem_ctx, phys, bytes);

		if (p) {
			*len = bytes;
			return p;
		}
		bytes = (bytes / 2) & ~(MEMTEST_WORD - 1);
	}
	return NULL;
}

static int fill_range(const struct memtest_run *run, mb_phys_addr_t phys, mb_phys_addr_t bytes)
{
	while (bytes) {
		mb_phys_addr_t len;
		uint64_t *words = map_words(run->mb, phys, bytes, &len);

		if (!words)
			return -MB_ENOENT;
		mbi_memtest_fill_words(words, (size_t)(len / MEMTEST_WORD), run->pattern);
		phys += len;
		bytes -= len;
	}
	return 0;
}

static int scan_range(struct memtest_run *run, mb_phys_addr_t phys, mb_phys_addr_t bytes)
{
	struct word_scan scan = {
		.pattern = run->pattern,
		.zero_quirk = run->cfg->zero_quirk,
		.run = { .open = false, .first = 0, .last = 0 },
		.report = reserve_bad_mem,
		.report_ctx = run,
	};

	while (bytes) {
		mb_phys_addr_t len;
		const uint64_t *words = map_words(run->mb, phys, bytes, &len);

		if (!words)
			return -MB_ENOENT;
		mbi_memtest_scan_words(&scan, words, (size_t)(len / MEMTEST_WORD), phys);
		phys += len;
		bytes -= len;
	}
	mbi_memtest_scan_finish(&scan);
	return 0;
}

/*
 * memtest() on [start, end): every whole word from start rounded up to
 * a word. Linux computes the word count as an unsigned difference that
 * underflows when the rounded start passes end; such a range (it holds
 * no whole word) is simply empty here.
 */
static int test_range(struct memtest_run *run, mb_phys_addr_t start, mb_phys_addr_t end)
{
	const struct mb_ops *ops = &run->mb->cfg.ops;
	mb_phys_addr_t first = (start + (MEMTEST_WORD - 1)) & ~(MEMTEST_WORD - 1);
	mb_phys_addr_t bytes;
	int err;

	run->res->done = true;
	if (first < start || first >= end || run->cfg->lines_only)
		return 0;
	bytes = (end - first) & ~(MEMTEST_WORD - 1);
	if (!bytes)
		return 0;
	err = fill_range(run, first, bytes);
	if (err)
		return err;
	if (ops->mem_sync)
		ops->mem_sync(ops->mem_ctx, first, bytes);
	err = scan_range(run, first, bytes);
	if (!err)
		run->res->bytes_tested += bytes;
	return err;
}

/* clamp(): max with @lo first, then min with @hi, as the kernel's macro. */
static mb_phys_addr_t clamp_addr(mb_phys_addr_t v, mb_phys_addr_t lo, mb_phys_addr_t hi)
{
	if (v < lo)
		v = lo;
	return v > hi ? hi : v;
}

/*
 * do_one_pass(): the walk is Linux's free-range iterator, called by hand
 * so that it is plain to see that test_range() reserves bad runs between
 * two steps of the walk; the index then points into a changed reserved
 * array, exactly as in Linux (docs/memtest.md, "walk quirks").
 */
static int do_one_pass(struct memtest_run *run, mb_phys_addr_t start, mb_phys_addr_t end)
{
	struct memblock *mb = run->mb;
	mb_phys_addr_t this_start, this_end;
	uint64_t idx = 0;

	for (;;) {
		int err;

		mb_next_mem_range(mb, &idx, MB_NUMA_NO_NODE, MB_FLAG_NONE, &mb->memory,
				  &mb->reserved, &this_start, &this_end, NULL);
		if (idx == MB_ITER_END)
			return 0;
		this_start = clamp_addr(this_start, start, end);
		this_end = clamp_addr(this_end, start, end);
		if (this_start >= this_end)
			continue;
		emit_range_line(run, this_start, this_end);
		run->res->ranges_tested++;
		err = test_range(run, this_start, this_end);
		if (err)
			return err;
	}
}

static void emit_test_count(const struct memblock *mb, unsigned int passes)
{
	struct mb_text t;

	mb_text_reset(&t);
	mb_text_str(&t, "early_memtest: # of tests: ");
	mb_text_udec(&t, passes);
	mb_emit(mb, MB_LOG_INFO, &t);
}

int mb_early_memtest(struct memblock *mb, const struct mb_memtest_config *cfg,
		     mb_phys_addr_t start, mb_phys_addr_t end, struct mb_memtest_result *res)
{
	struct memtest_run run = { .mb = mb, .cfg = cfg, .res = res };

	if (!mb || !cfg || !res)
		return -MB_EINVAL;
	if (!cfg->passes)
		return 0;
	if (!cfg->lines_only && !mb->cfg.ops.phys_to_virt)
		return -MB_EINVAL;

	emit_test_count(mb, cfg->passes);
	for (unsigned int pass = cfg->passes; pass-- > 0;) {
		int err;

		run.pattern = mb_memtest_pattern(pass);
		err = do_one_pass(&run, start, end);
		if (err)
			return err;
		res->passes_run++;
	}
	return 0;
}
