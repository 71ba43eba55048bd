// SPDX-License-Identifier: MIT
/*
 * test_replay.c - replay, analyze and diff on the seed logs, on logs our
 * own core generates, and on crafted and malformed logs.
 *
 * The generated logs are random: set TRACE_SEED=N to replay one seed.
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "gen.h"
#include <memblock/trace.h>

#include "../../src/trace/trace_internal.h" /* white box: struct mbt_replay */

static struct mbt_replay *new_replay(void)
{
	struct mbt_replay *r = calloc(1, sizeof(*r));

	assert_non_null(r);
	return r;
}

static void free_replay(struct mbt_replay *r)
{
	mbt_replay_fini(r);
	free(r);
}

static int replay_text(struct mbt_replay *r, const char *log, size_t len, struct mbt_analysis *an)
{
	struct mbt_options opt = {.bottom_up = -1};

	return mbt_replay_log(r, log, len, &opt, an);
}

static char *load(const char *name, size_t *len)
{
	char path[512];
	char *buf;

	snprintf(path, sizeof(path), "%s/%s", TRACE_DATA_DIR, name);
	buf = mbt_read_file(path, len);
	assert_non_null(buf);
	return buf;
}

/* ---- the seed logs ---- */

/* The analysis report of @r as text (free() it). */
static char *report_of(const struct mbt_analysis *an, const struct mbt_replay *r, bool json)
{
	char *text = NULL;
	size_t size = 0;
	FILE *out = open_memstream(&text, &size);

	assert_non_null(out);
	mbt_analysis_report(an, r, out, json);
	fclose(out);
	return text;
}

/* The diff report of A and B as text (free() it); asserts its result. */
static char *diff_of(const struct mbt_analysis *an_a, const struct mbt_replay *a,
		     const struct mbt_analysis *an_b, const struct mbt_replay *b, int want)
{
	char *text = NULL;
	size_t size = 0;
	FILE *out = open_memstream(&text, &size);

	assert_non_null(out);
	assert_int_equal(mbt_diff_report(an_a, a, an_b, b, out, false), want);
	fclose(out);
	return text;
}

static void test_seed000(void **state)
{
	struct mbt_replay *r = new_replay();
	size_t len;
	char *log = load("seed000_riscv.log", &len);

	(void)state;
	assert_int_equal(replay_text(r, log, len, NULL), 0);
	assert_string_equal(r->profile_name, "linux-5.4");
	assert_int_equal(r->phys_bits, 64);
	assert_true(r->seeded);
	assert_int_equal(r->st.lines, 141);
	assert_int_equal(r->st.alloc_requests, 38);
	assert_int_equal(r->st.allocs_inferred, 1);
	assert_int_equal(r->st.allocs_present, 39);
	assert_int_equal(r->st.allocs_verified, 39);
	assert_int_equal(r->st.allocs_diverged, 0);
	assert_int_equal(r->st.dumps, 1);
	assert_int_equal(r->st.dumps_matched, 1);
	assert_int_equal(r->st.zero_size_frees, 4);
	assert_int_equal(r->st.malformed, 0);
	/* the final state: the last allocation of the log is the lowest block */
	assert_int_equal(mb_type_regions(&r->mb, &r->mb.reserved)[2].base, 0xbbd80000);
	free(log);
	free_replay(r);
}

static void test_seed002(void **state)
{
	struct mbt_replay *r = new_replay();
	size_t len;
	char *log = load("seed002_arm32.log", &len);

	(void)state;
	assert_int_equal(replay_text(r, log, len, NULL), 0);
	assert_string_equal(r->profile_name, "linux-4.x");
	assert_int_equal(r->phys_bits, 32);
	assert_int_equal(r->st.lines, 78);
	assert_int_equal(r->st.alloc_requests, 22);
	assert_int_equal(r->st.allocs_inferred, 13);
	assert_int_equal(r->st.allocs_verified, 35);
	assert_int_equal(r->st.dumps_matched, 1);
	assert_int_equal(r->st.zero_size_frees, 4);
	assert_int_equal(r->smp_cache_bytes, 64);
	free(log);
	free_replay(r);
}

/* ---- logs from our own core: must verify completely ---- */

static void check_generated(uint64_t seed, const char *profile, int nodes)
{
	struct gen_log log;
	struct mbt_replay *r = new_replay();

	print_message("generated log: TRACE_SEED=%llu profile %s nodes %d\n",
		      (unsigned long long)seed, profile, nodes);
	assert_int_equal(gen_boot_log(&log, seed, 3000, profile, nodes), 0);
	assert_int_equal(replay_text(r, log.data, log.len, NULL), 0);
	assert_string_equal(r->profile_name, profile);
	assert_true(r->st.allocs_present > 500);
	assert_int_equal(r->st.allocs_verified, r->st.allocs_present);
	assert_int_equal(r->st.dumps_matched, r->st.dumps);
	assert_int_equal(r->st.malformed, 0);
	assert_int_equal(r->st.op_errors, 0);
	free(log.data);
	free_replay(r);
}

static void test_generated(void **state)
{
	static const char *const profiles[] = {"linux-6.12", "linux-5.4", "linux-4.x"};
	const char *env = getenv("TRACE_SEED");
	uint64_t seed = env ? strtoull(env, NULL, 0) : 20261125;

	(void)state;
	for (size_t p = 0; p < sizeof(profiles) / sizeof(profiles[0]); p++)
		for (int nodes = 1; nodes <= 4; nodes += 3)
			check_generated(seed + p * 10 + (uint64_t)nodes, profiles[p], nodes);
}

/* ---- crafted logs ---- */

/*
 *  memory    |--------------------- 0x80000000..0x80ffffff ---------------------|
 *  log       the kernel put the 4 KiB block at 0x80800000 (no direction explains it)
 *  ours      top-down: 0x80fff000
 */
static void test_divergence(void **state)
{
	static const char log[] =
	    "memblock_add: [0x80000000-0x80ffffff] setup_arch+0x1/0x2\n"
	    "memblock_alloc_try_nid: 4096 bytes align=0x1000 nid=-1 from=0x00000000 "
	    "max_addr=0x00000000 foo+0x1/0x2\n"
	    "memblock_reserve: [0x80800000-0x80800fff] memblock_alloc_range_nid+0x1/0x2\n"
	    "memblock_alloc_try_nid: 4096 bytes align=0x1000 nid=-1 from=0x00000000 "
	    "max_addr=0x00000000 foo+0x1/0x2\n"
	    "memblock_reserve: [0x80fff000-0x80ffffff] memblock_alloc_range_nid+0x1/0x2\n";
	struct mbt_replay *r = new_replay();

	(void)state;
	assert_int_equal(replay_text(r, log, sizeof(log) - 1, NULL), 1);
	assert_int_equal(r->st.allocs_present, 2);
	assert_int_equal(r->st.allocs_verified, 1);
	assert_int_equal(r->st.allocs_diverged, 1);
	assert_true(r->first.set);
	assert_int_equal(r->first.request_line, 2);
	assert_int_equal(r->first.result_line, 3);
	assert_int_equal(r->first.expected_base, 0x80800000);
	assert_int_equal(r->first.computed_base, 0x80fff000);
	assert_int_equal(r->first.nr_free, 1);
	assert_int_equal(r->first.free_base[0], 0x80000000);
	assert_int_equal(r->first.free_end[0], 0x81000000);
	/* the log's reservation was applied: the second one verifies */
	assert_int_equal(r->mb.reserved.cnt, 2);
	free_replay(r);
}

/*
 *  memory    |-- 1 MiB --|
 *  request   2 MiB: the kernel panics, ours fails too
 */
static void test_failure_both(void **state)
{
	static const char log[] =
	    "[    0.000000] memblock_add: [0x0000000080000000-0x00000000800fffff] a+0x1/0x2\n"
	    "[    0.000000] memblock_alloc_try_nid: 2097152 bytes align=0x1000 nid=-1 "
	    "from=0x0000000000000000 max_addr=0x0000000000000000 early_alloc+0x44/0x70\n"
	    "[    0.000000] Kernel panic - not syncing: early_alloc: Failed to allocate 2097152 "
	    "bytes align=0x1000\n";
	struct mbt_replay *r = new_replay();
	struct mbt_analysis *an = mbt_analysis_new();
	char *text;

	(void)state;
	assert_int_equal(replay_text(r, log, sizeof(log) - 1, an), 0);
	assert_int_equal(r->st.allocs_verified, 1);
	assert_int_equal(r->st.alloc_failures_logged, 1);
	text = report_of(an, r, false);
	assert_non_null(strstr(text, "early allocation failures: 1\n"
				     "  line 3: early_alloc 0x200000 bytes align 0x1000: "
				     "our allocator fails too (out of memory): largest free range "
				     "0x100000 bytes at 0x80000000, limit 0xffffffffffffffff\n"));
	free(text);
	mbt_analysis_free(an);
	free_replay(r);
}

/* Bottom-up is not traced: the replay infers it and says so. */
static void test_bottom_up(void **state)
{
	static const char log[] =
	    "memblock_add: [0x80000000-0x80ffffff] setup_arch+0x1/0x2\n"
	    "memblock_reserve: [0x80000000-0x800fffff] setup_arch+0x3/0x4\n"
	    "memblock_phys_alloc_range: 4096 bytes align=0x1000 from=0x00000000 "
	    "max_addr=0x00000000 foo+0x1/0x2\n"
	    "memblock_reserve: [0x80100000-0x80100fff] memblock_alloc_range_nid+0x1/0x2\n"
	    "memblock_phys_alloc_range: 64 bytes align=0x40 from=0x00000000 max_addr=0x00000000 "
	    "foo+0x1/0x2\n"
	    "memblock_reserve: [0x80101000-0x8010103f] memblock_alloc_range_nid+0x1/0x2\n"
	    "memblock_phys_free: [0x80101000-0x8010103f] bar+0x1/0x2\n"
	    "MEMBLOCK configuration:\n"
	    " memory size = 0x01000000 reserved size = 0x00101000\n"
	    " memory.cnt  = 0x1\n"
	    " memory[0x0]\t[0x80000000-0x80ffffff], 0x01000000 bytes flags: 0x0\n"
	    " reserved.cnt  = 0x1\n"
	    " reserved[0x0]\t[0x80000000-0x80100fff], 0x00101000 bytes flags: 0x0\n";
	struct mbt_replay *r = new_replay();

	(void)state;
	assert_int_equal(replay_text(r, log, sizeof(log) - 1, NULL), 0);
	assert_true(mb_bottom_up(&r->mb));
	assert_int_equal(r->st.allocs_verified, 2);
	assert_int_equal(r->st.dumps_matched, 1);
	assert_string_equal(r->profile_name, "linux-6.12");
	assert_int_equal(r->phys_bits, 32);
	assert_non_null(strstr(r->notes[0], "bottom-up"));
	free_replay(r);
}

/* ---- malformed input: never fatal ---- */

static const struct {
	const char *name;
	const char *log;
	size_t len; /* 0: strlen */
	int exit;
	unsigned long malformed, dumps, dumps_matched;
} bad_logs[] = {
    {"empty file", "", 0, 2, 0, 0, 0},
    {"only noise", "Linux version 6.12\nBooting...\n", 0, 2, 0, 0, 0},
    {"binary garbage",
     "\x7f"
     "ELF\x02\x01\x01\x00\x00\xff\xfe[\x80]\n\x00\x00memblock",
     24, 2, 0, 0, 0},
    {"truncated line",
     "memblock_add: [0x80000000-0x8fffffff] a+0x1/0x2\nmemblock_reserve: [0x80000000-0x8000\n", 0,
     0, 1, 0, 0},
    {"non-hex digits",
     "memblock_add: [0x80000000-0x8fffffff] a+0x1/0x2\nmemblock_reserve: [0x8000z000-0x80000fff] "
     "b+0x1/0x2\n",
     0, 0, 1, 0, 0},
    {"end before start",
     "memblock_add: [0x80000000-0x8fffffff] a+0x1/0x2\nmemblock_reserve: [0x80002000-0x80000fff] "
     "b+0x1/0x2\n",
     0, 0, 1, 0, 0},
    {"missing dump lines",
     "memblock_add: [0x80000000-0x8fffffff] a+0x1/0x2\n"
     "memblock_reserve: [0x80000000-0x80000fff] b+0x1/0x2\n"
     "memblock_reserve: [0x80002000-0x80002fff] b+0x1/0x2\n"
     "MEMBLOCK configuration:\n"
     " memory size = 0x10000000 reserved size = 0x00002000\n"
     " memory.cnt  = 0x1\n"
     " memory[0x0]\t[0x80000000-0x8fffffff], 0x10000000 bytes flags: 0x0\n"
     " reserved.cnt  = 0x2\n"
     " reserved[0x0]\t[0x80000000-0x80000fff], 0x00001000 bytes flags: 0x0\n",
     0, 1, 0, 1, 0},
    {"dump without header lines", " reserved[0x0]\t[0x1000-0x1fff], 0x1000 bytes flags: 0x0\n", 0,
     1, 0, 1, 0},
    {"request with no reservation at the end",
     "memblock_add: [0x80000000-0x8fffffff] a+0x1/0x2\n"
     "memblock_alloc_try_nid: 4096 bytes align=0x1000 nid=-1 from=0x0 max_addr=0x0 c+0x1/0x2\n",
     0, 0, 0, 0, 0},
};

static void test_malformed_logs(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(bad_logs) / sizeof(bad_logs[0]); i++) {
		struct mbt_replay *r = new_replay();
		size_t len = bad_logs[i].len ? bad_logs[i].len : strlen(bad_logs[i].log);

		print_message("case %s\n", bad_logs[i].name);
		assert_int_equal(replay_text(r, bad_logs[i].log, len, NULL), bad_logs[i].exit);
		assert_int_equal(r->st.malformed, bad_logs[i].malformed);
		assert_int_equal(r->st.dumps, bad_logs[i].dumps);
		assert_int_equal(r->st.dumps_matched, bad_logs[i].dumps_matched);
		free_replay(r);
	}
}

/* ---- analyze and diff ---- */

static void test_analyze_seed000(void **state)
{
	struct mbt_replay *r = new_replay();
	struct mbt_analysis *an = mbt_analysis_new();
	size_t len;
	char *log = load("seed000_riscv.log", &len), *text;

	(void)state;
	assert_int_equal(replay_text(r, log, len, an), 0);
	text = report_of(an, r, false);
	assert_non_null(strstr(text, "memory    0x3fe00000 (1022.0 MiB) in 1 regions\n"));
	assert_non_null(strstr(text, "reserved  0x601b2fb (96.1 MiB) of that memory, in 20 regions\n"));
	assert_non_null(strstr(text, "free      0x39de4d05 (925.9 MiB) in 19 ranges, largest "
				     "0x361f9000 (866.0 MiB) at 0x82000000\n"));
	assert_non_null(strstr(text, "  sparse_init                                       "
				     "0x1000000   16.0 MiB      1\n"));
	/* The CMA area is the "cma: Reserved" line's, not the allocator's. */
	assert_non_null(strstr(text, "  cma: Reserved                                     "
				     "0x2000000   32.0 MiB      1\n"));
	assert_null(strstr(text, "memblock_alloc_range_nid"));
	assert_non_null(strstr(text, "  >= 16 MiB                                         "
				     "0x5e00000   94.0 MiB      4\n"));
	free(text);
	text = report_of(an, r, true);
	assert_non_null(strstr(text, "{\"memory\":\"0x3fe00000\",\"memory_regions\":1,"));
	assert_non_null(strstr(text, "{\"name\":\"paging_init\",\"bytes\":\"0x1e04000\",\"count\":2}"));
	free(text);
	free(log);
	mbt_analysis_free(an);
	free_replay(r);
}

static void test_diff(void **state)
{
	struct mbt_replay *ra = new_replay(), *rb = new_replay();
	struct mbt_analysis *a = mbt_analysis_new(), *b = mbt_analysis_new();
	size_t len;
	char *log = load("seed000_riscv.log", &len), *text, *moved;

	(void)state;
	assert_int_equal(replay_text(ra, log, len, a), 0);
	assert_int_equal(replay_text(rb, log, len, b), 0);
	text = diff_of(a, ra, b, rb, 0);
	assert_non_null(strstr(text, "  (none)\n"));
	free(text);

	/* B: paging_init reserves one more page. */
	moved = malloc(len + 128);
	memcpy(moved, log, len);
	strcpy(moved + len, "memblock_reserve: [0x0000000090000000-0x0000000090000fff] "
			    "paging_init+0x99/0x39a\n");
	mbt_replay_fini(rb);
	assert_int_equal(replay_text(rb, moved, strlen(moved), b), 0);
	text = diff_of(a, ra, b, rb, 1);
	assert_non_null(strstr(text, "reserved: B reserves 4.0 KiB more (0x1000 bytes) than A"));
	assert_non_null(strstr(text, "  + 4.0 KiB    paging_init                          "
				     "[0x90000000-0x90000fff] (line "));
	assert_non_null(strstr(text, "  paging_init                              0x1e04000 -> "
				     "0x1e05000 (+4096)\n"));
	free(text);
	free(moved);
	free(log);
	mbt_analysis_free(a);
	mbt_analysis_free(b);
	free_replay(ra);
	free_replay(rb);
}

struct progress_seen {
	int calls;
	size_t last_done;
	bool stop_at_second;
};

static bool count_progress(void *ctx, size_t done, size_t total)
{
	struct progress_seen *seen = ctx;

	assert_true(done > seen->last_done && done <= total);
	seen->last_done = done;
	seen->calls++;
	return !(seen->stop_at_second && seen->calls == 2);
}

/* A log of 10,000 reserves: the hook sees records 4096 and 8192, in order. */
static void test_progress(void **state)
{
	struct progress_seen seen = { 0 };
	struct mbt_options opt = { .bottom_up = -1, .progress = count_progress,
				   .progress_ctx = &seen };
	size_t cap = 10001 * 96, len = 0;
	char *log = malloc(cap);
	struct mbt_replay *r;

	(void)state;
	assert_non_null(log);
	len += (size_t)snprintf(log, cap,
				"memblock_add: [0x0000000080000000-0x00000000ffffffff] setup_arch+0x1/0x2\n");
	for (unsigned int i = 0; i < 10000; i++)
		len += (size_t)snprintf(log + len, cap - len,
					"memblock_reserve: [0x%016llx-0x%016llx] f+0x1/0x2\n",
					0x80000000ull + i * 0x2000ull, 0x80000fffull + i * 0x2000ull);
	r = mbt_replay_new();
	assert_int_equal(mbt_replay_log(r, log, len, &opt, NULL), MBT_REPLAY_MATCHED);
	assert_int_equal(seen.calls, 2);
	mbt_replay_free(r);

	seen = (struct progress_seen){ .stop_at_second = true };
	r = mbt_replay_new();
	assert_int_equal(mbt_replay_log(r, log, len, &opt, NULL), -MB_EINTR);
	assert_int_equal(seen.calls, 2);
	mbt_replay_free(r);
	free(log);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_seed000),	   cmocka_unit_test(test_seed002),
	    cmocka_unit_test(test_generated),	   cmocka_unit_test(test_divergence),
	    cmocka_unit_test(test_failure_both),   cmocka_unit_test(test_bottom_up),
	    cmocka_unit_test(test_malformed_logs), cmocka_unit_test(test_analyze_seed000),
	    cmocka_unit_test(test_diff),	   cmocka_unit_test(test_progress),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
