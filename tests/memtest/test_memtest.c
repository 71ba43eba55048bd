/* SPDX-License-Identifier: MIT */
/*
 * test_memtest.c - early_memtest on small machines: pattern order, every
 * fault kind, the zero quirk, windows, the meminfo line and memmap=.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "machine.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* How each pattern prints (cpu_to_be64 on a little-endian machine). */
static const char *const printed[MB_MEMTEST_NR_PATTERNS] = {
	"0000000000000000", "ffffffffffffffff", "5555555555555555", "aaaaaaaaaaaaaaaa",
	"1111111111111111", "2222222222222222", "4444444444444444", "8888888888888888",
	"3333333333333333", "6666666666666666", "9999999999999999", "cccccccccccccccc",
	"7777777777777777", "bbbbbbbbbbbbbbbb", "dddddddddddddddd", "eeeeeeeeeeeeeeee",
	"4c494e5558726c7a",
};

static struct mb_memtest_config config(unsigned int passes)
{
	struct mb_memtest_config cfg;

	mb_memtest_config_default(&cfg);
	cfg.passes = passes;
	return cfg;
}

static void add_fault(struct machine *m, const char *text)
{
	struct mb_fault f;

	assert_int_equal(mb_fault_parse(text, &f), 0);
	assert_int_equal(mb_simram_add_fault(m->ram, &f), 0);
}

/* ---- pattern order ---- */

static void check_order(unsigned int passes)
{
	struct machine *m = machine_new();
	struct mb_memtest_config cfg = config(passes);
	struct mb_memtest_result res;
	char (*want)[80] = calloc(passes + 1, sizeof(*want));
	const char **lines = calloc(passes + 1, sizeof(*lines));
	const uint64_t *mem;

	/*  memory  |------ 0x1000..0x3000 ------|  all free, one line a pass */
	machine_add(m, 0x1000, 0x2000);
	mb_memtest_result_init(&res);
	assert_int_equal(mb_early_memtest(&m->mb, &cfg, 0, 0x100000, &res), 0);

	snprintf(want[0], sizeof(want[0]), "early_memtest: # of tests: %u", passes);
	lines[0] = want[0];
	for (unsigned int n = 1; n <= passes; n++) {
		unsigned int pass = passes - n; /* N-1 .. 0 */

		snprintf(want[n], sizeof(want[n]),
			 "  0x0000000000001000 - 0x0000000000003000 pattern %s",
			 printed[pass % MB_MEMTEST_NR_PATTERNS]);
		lines[n] = want[n];
	}
	machine_expect_lines(m, lines, passes + 1);
	assert_int_equal(res.passes_run, passes);
	assert_int_equal(res.ranges_tested, passes);
	assert_true(res.bytes_tested == 0x2000ull * passes);
	assert_true(res.done);

	/* The last pass wrote pattern 0: memory is left zeroed. */
	mem = mb_simram_phys_to_virt(m->ram, 0x1000, 0x2000);
	for (size_t i = 0; i < 0x2000 / 8; i++)
		assert_true(mem[i] == 0);
	free(want);
	free(lines);
	machine_free(m);
}

static void test_order_1(void **state)
{
	(void)state;
	check_order(1);
}

static void test_order_4(void **state)
{
	static const char *const lines[] = {
		"early_memtest: # of tests: 4",
		"  0x0000000000001000 - 0x0000000000003000 pattern aaaaaaaaaaaaaaaa",
		"  0x0000000000001000 - 0x0000000000003000 pattern 5555555555555555",
		"  0x0000000000001000 - 0x0000000000003000 pattern ffffffffffffffff",
		"  0x0000000000001000 - 0x0000000000003000 pattern 0000000000000000",
	};
	struct machine *m = machine_new();
	struct mb_memtest_config cfg = config(4);
	struct mb_memtest_result res;

	(void)state;
	machine_add(m, 0x1000, 0x2000);
	mb_memtest_result_init(&res);
	assert_int_equal(mb_early_memtest(&m->mb, &cfg, 0, 0x3000, &res), 0);
	machine_expect_lines(m, lines, ARRAY_SIZE(lines));
	machine_free(m);
	check_order(4);
}

static void test_order_17(void **state)
{
	(void)state;
	check_order(17);
}

static void test_order_20(void **state)
{
	(void)state;
	/* 19, 18, 17 wrap to patterns 2, 1, 0, then 16 .. 0 */
	assert_true(mb_memtest_pattern(19) == 0x5555555555555555ull);
	assert_true(mb_memtest_pattern(17) == 0);
	assert_true(mb_memtest_pattern(16) == 0x7a6c7258554e494cull);
	check_order(20);
}

static void test_off(void **state)
{
	struct machine *m = machine_new();
	struct mb_memtest_config cfg = config(0);
	struct mb_memtest_result res;

	(void)state;
	machine_add(m, 0x1000, 0x2000);
	mb_memtest_result_init(&res);
	assert_int_equal(mb_early_memtest(&m->mb, &cfg, 0, 0x3000, &res), 0);
	assert_int_equal(m->nr_lines, 0);
	assert_false(res.done);
	assert_int_equal(mb_memtest_report_meminfo(&m->mb, &res), -MB_ENOENT);
	assert_int_equal(m->nr_lines, 0);
	machine_free(m);
}

/* ---- faults ---- */

/*
 * The fault machine: 1 MiB at 0x80000000, the first 64 KiB reserved.
 *   memory    |--------------------- 0x80000000..0x80100000 ---------|
 *   reserved  |-kernel-|
 *   tested             |-- 0x80010000 .. 0x80100000 -----------------|
 */
static struct machine *fault_machine(void)
{
	struct machine *m = machine_new();

	machine_add(m, 0x80000000, 0x100000);
	assert_int_equal(mb_reserve(&m->mb, 0x80000000, 0x10000), 0);
	return m;
}

static void run4(struct machine *m, struct mb_memtest_result *res)
{
	struct mb_memtest_config cfg = config(4);

	mb_memtest_result_init(res);
	assert_int_equal(mb_early_memtest(&m->mb, &cfg, 0x80000000, 0x80100000, res), 0);
}

static void test_stuck0(void **state)
{
	/* bit 3 of byte 0x80020008 reads 0: 0xaa has it set -> first pass */
	static const char *const lines[] = {
		"early_memtest: # of tests: 4",
		"  0x0000000080010000 - 0x0000000080100000 pattern aaaaaaaaaaaaaaaa",
		"  aaaaaaaaaaaaaaaa bad mem addr 0x0000000080020008 - 0x0000000080020010 reserved",
		"  0x0000000080010000 - 0x0000000080020008 pattern 5555555555555555",
		"  0x0000000080020010 - 0x0000000080100000 pattern 5555555555555555",
		"  0x0000000080010000 - 0x0000000080020008 pattern ffffffffffffffff",
		"  0x0000000080020010 - 0x0000000080100000 pattern ffffffffffffffff",
		"  0x0000000080010000 - 0x0000000080020008 pattern 0000000000000000",
		"  0x0000000080020010 - 0x0000000080100000 pattern 0000000000000000",
		"EarlyMemtestBad:       1 kB",
	};
	static const mb_phys_addr_t reserved[][2] = {
		{ 0x80000000, 0x80010000 },
		{ 0x80020008, 0x80020010 },
	};
	struct machine *m = fault_machine();
	struct mb_memtest_result res;

	(void)state;
	add_fault(m, "0x80020008:3:stuck0");
	run4(m, &res);
	assert_int_equal(mb_memtest_report_meminfo(&m->mb, &res), 0);
	machine_expect_lines(m, lines, ARRAY_SIZE(lines));
	machine_expect_reserved(m, reserved, ARRAY_SIZE(reserved));
	assert_int_equal(res.bad_runs, 1);
	assert_true(res.bad_bytes == 8);
	assert_int_equal(res.nr_ranges, 1);
	assert_true(res.ranges[0].start == 0x80020008 && res.ranges[0].end == 0x80020010);
	assert_int_equal(res.reserve_errors, 0);
	machine_free(m);
}

static void test_stuck1_runs(void **state)
{
	/*
	 * bit 0 stuck at 1 in three adjacent words and one more word after a
	 * good one: 0xaa has bit 0 clear, so the first pass finds two runs.
	 *   words     ...|bad|bad|bad|ok |bad|ok |...
	 *   reserved     |--run 1----|   |r2 |
	 */
	static const char *const lines[] = {
		"early_memtest: # of tests: 4",
		"  0x0000000080010000 - 0x0000000080100000 pattern aaaaaaaaaaaaaaaa",
		"  aaaaaaaaaaaaaaaa bad mem addr 0x0000000080030000 - 0x0000000080030018 reserved",
		"  aaaaaaaaaaaaaaaa bad mem addr 0x0000000080030020 - 0x0000000080030028 reserved",
		"  0x0000000080010000 - 0x0000000080030000 pattern 5555555555555555",
		"  0x0000000080030018 - 0x0000000080030020 pattern 5555555555555555",
		"  0x0000000080030028 - 0x0000000080100000 pattern 5555555555555555",
		"  0x0000000080010000 - 0x0000000080030000 pattern ffffffffffffffff",
		"  0x0000000080030018 - 0x0000000080030020 pattern ffffffffffffffff",
		"  0x0000000080030028 - 0x0000000080100000 pattern ffffffffffffffff",
		"  0x0000000080010000 - 0x0000000080030000 pattern 0000000000000000",
		"  0x0000000080030018 - 0x0000000080030020 pattern 0000000000000000",
		"  0x0000000080030028 - 0x0000000080100000 pattern 0000000000000000",
	};
	static const mb_phys_addr_t reserved[][2] = {
		{ 0x80000000, 0x80010000 },
		{ 0x80030000, 0x80030018 },
		{ 0x80030020, 0x80030028 },
	};
	struct machine *m = fault_machine();
	struct mb_memtest_result res;

	(void)state;
	add_fault(m, "0x80030000:0:stuck1");
	add_fault(m, "0x80030008:0:stuck1");
	add_fault(m, "0x80030010:0:stuck1");
	add_fault(m, "0x80030020:0:stuck1");
	run4(m, &res);
	machine_expect_lines(m, lines, ARRAY_SIZE(lines));
	machine_expect_reserved(m, reserved, ARRAY_SIZE(reserved));
	assert_int_equal(res.bad_runs, 2);
	assert_true(res.bad_bytes == 0x20);
	assert_int_equal(res.nr_ranges, 2);
	machine_free(m);
}

static void test_coupled(void **state)
{
	/*
	 * bit 0 of 0x80040010 follows bit 1 of the next word: 0xaa sets bit 1
	 * and clears bit 0, so the victim word is bad in the first pass.
	 * bit 0 of 0x80050000 follows bit 0 of the next word: every word holds
	 * the same pattern, so memtest cannot see that one.
	 */
	static const char *const lines[] = {
		"early_memtest: # of tests: 4",
		"  0x0000000080010000 - 0x0000000080100000 pattern aaaaaaaaaaaaaaaa",
		"  aaaaaaaaaaaaaaaa bad mem addr 0x0000000080040010 - 0x0000000080040018 reserved",
		"  0x0000000080010000 - 0x0000000080040010 pattern 5555555555555555",
		"  0x0000000080040018 - 0x0000000080100000 pattern 5555555555555555",
		"  0x0000000080010000 - 0x0000000080040010 pattern ffffffffffffffff",
		"  0x0000000080040018 - 0x0000000080100000 pattern ffffffffffffffff",
		"  0x0000000080010000 - 0x0000000080040010 pattern 0000000000000000",
		"  0x0000000080040018 - 0x0000000080100000 pattern 0000000000000000",
	};
	static const mb_phys_addr_t reserved[][2] = {
		{ 0x80000000, 0x80010000 },
		{ 0x80040010, 0x80040018 },
	};
	struct machine *m = fault_machine();
	struct mb_memtest_result res;

	(void)state;
	add_fault(m, "0x80040010:0:coupled:0x80040018:1");
	add_fault(m, "0x80050000:0:coupled:0x80050008:0");
	run4(m, &res);
	machine_expect_lines(m, lines, ARRAY_SIZE(lines));
	machine_expect_reserved(m, reserved, ARRAY_SIZE(reserved));
	assert_int_equal(res.bad_runs, 1);
	machine_free(m);
}

static void test_coupled_inverted(void **state)
{
	/* bit 63 of the word at 0x80060000 is the inverse of its bit 61:
	 * 0xaa.. sets both, so the coupling clears bit 63 in the first pass */
	static const mb_phys_addr_t reserved[][2] = {
		{ 0x80000000, 0x80010000 },
		{ 0x80060000, 0x80060008 },
	};
	struct machine *m = fault_machine();
	struct mb_memtest_result res;
	struct mb_fault f;

	(void)state;
	assert_int_equal(mb_coupled_parse("0x80060000:63:0x80060000:61:inv", &f), 0);
	assert_int_equal(mb_simram_add_fault(m->ram, &f), 0);
	run4(m, &res);
	assert_string_equal(m->lines[2], "  aaaaaaaaaaaaaaaa bad mem addr 0x0000000080060000 - "
					 "0x0000000080060008 reserved");
	machine_expect_reserved(m, reserved, ARRAY_SIZE(reserved));
	machine_free(m);
}

static void test_merge_across_passes(void **state)
{
	/*
	 * word 0x80070000 bit 0 stuck at 1 (found by 0xaa..), the next word
	 * bit 0 stuck at 0 (found by 0x55..): two runs, one merged range.
	 *   pass aaaa  |bad|ok |
	 *   pass 5555      |bad|
	 *   result     |-------|  0x80070000..0x80070010
	 */
	static const mb_phys_addr_t reserved[][2] = {
		{ 0x80000000, 0x80010000 },
		{ 0x80070000, 0x80070010 },
	};
	struct machine *m = fault_machine();
	struct mb_memtest_result res;
	struct mb_memtest_range pages[4];
	struct mb_text t;
	size_t count;

	(void)state;
	add_fault(m, "0x80070000:0:stuck1");
	add_fault(m, "0x80070008:0:stuck0");
	run4(m, &res);
	assert_string_equal(m->lines[2], "  aaaaaaaaaaaaaaaa bad mem addr 0x0000000080070000 - "
					 "0x0000000080070008 reserved");
	assert_string_equal(m->lines[5], "  5555555555555555 bad mem addr 0x0000000080070008 - "
					 "0x0000000080070010 reserved");
	machine_expect_reserved(m, reserved, ARRAY_SIZE(reserved));
	assert_int_equal(res.bad_runs, 2);
	assert_true(res.bad_bytes == 16);
	assert_int_equal(res.nr_ranges, 1);
	assert_true(res.ranges[0].start == 0x80070000 && res.ranges[0].end == 0x80070010);

	assert_int_equal(mb_memtest_memmap_ranges(&res, 4096, pages, 4, &count), 0);
	assert_int_equal(count, 1);
	mb_text_reset(&t);
	mb_text_memmap(&t, &pages[0]);
	assert_string_equal(t.buf, "memmap=4K$0x80070000");
	machine_free(m);
}

static void test_x86_warning_once(void **state)
{
	static const char *const head[] = {
		"early_memtest: # of tests: 1",
		"  0x0000000080010000 - 0x0000000080100000 pattern 0000000000000000",
		"Bad RAM detected. Use memtest86+ to perform a thorough test",
		"and the memmap= parameter to reserve the bad areas.",
		"  0000000000000000 bad mem addr 0x0000000080020000 - 0x0000000080020008 reserved",
		"  0000000000000000 bad mem addr 0x0000000080030000 - 0x0000000080030008 reserved",
	};
	struct machine *m = fault_machine();
	struct mb_memtest_config cfg = config(1);
	struct mb_memtest_result res;

	(void)state;
	cfg.arch_x86 = true;
	add_fault(m, "0x80020000:5:stuck1");
	add_fault(m, "0x80030000:5:stuck1");
	mb_memtest_result_init(&res);
	assert_int_equal(mb_early_memtest(&m->mb, &cfg, 0x80000000, 0x80100000, &res), 0);
	machine_expect_lines(m, head, ARRAY_SIZE(head));
	assert_true(res.warned);
	machine_free(m);
}

static void test_reserve_trace_caller(void **state)
{
	/* memblock=debug: each bad run's memblock_reserve trace names cfg.caller */
	static const char *const lines[] = {
		"early_memtest: # of tests: 1",
		"  0x0000000080010000 - 0x0000000080100000 pattern 0000000000000000",
		"  0000000000000000 bad mem addr 0x0000000080020000 - 0x0000000080020008 reserved",
		"memblock_reserve: [0x0000000080020000-0x0000000080020007] memtest+0x1c6/0x224",
	};
	struct machine *m = fault_machine();
	struct mb_memtest_config cfg = config(1);
	struct mb_memtest_result res;

	(void)state;
	cfg.caller = "memtest+0x1c6/0x224";
	m->mb.debug = true;
	machine_clear_lines(m);
	add_fault(m, "0x80020000:5:stuck1");
	mb_memtest_result_init(&res);
	assert_int_equal(mb_early_memtest(&m->mb, &cfg, 0x80000000, 0x80100000, &res), 0);
	machine_expect_lines(m, lines, ARRAY_SIZE(lines));
	machine_free(m);
}

/* ---- the zero quirk (spec 9) ---- */

static void zero_machine_run(bool quirk, struct machine **out)
{
	struct machine *m = machine_new();
	struct mb_memtest_config cfg = config(1);
	struct mb_memtest_result res;

	/* words 0 and 8 bad (a run from 0), word 0x100 bad */
	machine_add(m, 0, 0x10000);
	add_fault(m, "0:0:stuck1");
	add_fault(m, "8:0:stuck1");
	add_fault(m, "0x100:0:stuck1");
	cfg.zero_quirk = quirk;
	mb_memtest_result_init(&res);
	assert_int_equal(mb_early_memtest(&m->mb, &cfg, 0, 0x10000, &res), 0);
	*out = m;
}

static void test_zero_quirk(void **state)
{
	static const char *const kernel[] = {
		"early_memtest: # of tests: 1",
		"  0x0000000000000000 - 0x0000000000010000 pattern 0000000000000000",
		"  0000000000000000 bad mem addr 0x0000000000000100 - 0x0000000000000108 reserved",
	};
	static const char *const fixed[] = {
		"early_memtest: # of tests: 1",
		"  0x0000000000000000 - 0x0000000000010000 pattern 0000000000000000",
		"  0000000000000000 bad mem addr 0x0000000000000000 - 0x0000000000000010 reserved",
		"  0000000000000000 bad mem addr 0x0000000000000100 - 0x0000000000000108 reserved",
	};
	struct machine *m;

	(void)state;
	zero_machine_run(true, &m);
	machine_expect_lines(m, kernel, ARRAY_SIZE(kernel));
	machine_free(m);
	zero_machine_run(false, &m);
	machine_expect_lines(m, fixed, ARRAY_SIZE(fixed));
	machine_free(m);
}

static void test_zero_quirk_word8(void **state)
{
	/* Only the word at 8 is bad: it extends Linux's phantom run at 0. */
	struct machine *m = machine_new();
	struct mb_memtest_config cfg = config(1);
	struct mb_memtest_result res;

	(void)state;
	machine_add(m, 0, 0x1000);
	add_fault(m, "8:7:stuck1");
	mb_memtest_result_init(&res);
	assert_int_equal(mb_early_memtest(&m->mb, &cfg, 0, 0x1000, &res), 0);
	assert_int_equal(m->nr_lines, 2);
	assert_int_equal(res.bad_runs, 0);
	assert_int_equal(mb_memtest_report_meminfo(&m->mb, &res), 0);
	assert_string_equal(m->lines[2], "EarlyMemtestBad:       0 kB");
	machine_free(m);
}

/* ---- windows, odd ranges, backends ---- */

static void test_window_clamp(void **state)
{
	/*
	 * memory  |---------- 0x80000000..0x80100000 ----------|
	 * window            |0x80010004..0x80020000|
	 * The first whole word is 0x80010008; the bad word at 0x80010000 is
	 * outside the window and stays unseen.
	 */
	static const char *const lines[] = {
		"early_memtest: # of tests: 1",
		"  0x0000000080010004 - 0x0000000080020000 pattern 0000000000000000",
		"  0000000000000000 bad mem addr 0x0000000080010008 - 0x0000000080010010 reserved",
	};
	struct machine *m = machine_new();
	struct mb_memtest_config cfg = config(1);
	struct mb_memtest_result res;

	(void)state;
	machine_add(m, 0x80000000, 0x100000);
	add_fault(m, "0x80010000:1:stuck1");
	add_fault(m, "0x80010008:1:stuck1");
	mb_memtest_result_init(&res);
	assert_int_equal(mb_early_memtest(&m->mb, &cfg, 0x80010004, 0x80020000, &res), 0);
	machine_expect_lines(m, lines, ARRAY_SIZE(lines));
	assert_true(res.bytes_tested == 0xfff8);
	machine_free(m);
}

static void test_tiny_ranges(void **state)
{
	/*
	 * free ranges of 1, 7 and 9 bytes between reservations:
	 *  0x1000 |r|1|r| ... the 9-byte range 0x1ff7..0x2000 holds one word.
	 */
	static const char *const lines[] = {
		"early_memtest: # of tests: 1",
		"  0x0000000000001007 - 0x0000000000001008 pattern 0000000000000000",
		"  0x0000000000001011 - 0x0000000000001018 pattern 0000000000000000",
		"  0x0000000000001ff7 - 0x0000000000002000 pattern 0000000000000000",
	};
	struct machine *m = machine_new();
	struct mb_memtest_config cfg = config(1);
	struct mb_memtest_result res;

	(void)state;
	machine_add(m, 0x1000, 0x1000);
	assert_int_equal(mb_reserve(&m->mb, 0x1000, 7), 0);
	assert_int_equal(mb_reserve(&m->mb, 0x1008, 9), 0);
	assert_int_equal(mb_reserve(&m->mb, 0x1018, 0x1ff7 - 0x1018), 0);
	mb_memtest_result_init(&res);
	assert_int_equal(mb_early_memtest(&m->mb, &cfg, 0, 0x2000, &res), 0);
	machine_expect_lines(m, lines, ARRAY_SIZE(lines));
	assert_true(res.bytes_tested == 8);
	machine_free(m);
}

static void test_two_windows(void **state)
{
	/* One free range backed by two host mappings: still tested whole. */
	struct machine *m = machine_new();
	struct mb_memtest_config cfg = config(1);
	struct mb_memtest_result res;

	(void)state;
	assert_int_equal(mb_add(&m->mb, 0x80000000, 0x3000), 0);
	assert_int_equal(mb_simram_add(m->ram, 0x80000000, 0x1000), 0);
	assert_int_equal(mb_simram_add(m->ram, 0x80001000, 0x2000), 0);
	add_fault(m, "0x80000ff8:0:stuck1");
	add_fault(m, "0x80001000:0:stuck1");
	mb_memtest_result_init(&res);
	assert_int_equal(mb_early_memtest(&m->mb, &cfg, 0, 0x90000000, &res), 0);
	assert_int_equal(m->nr_lines, 3);
	assert_string_equal(m->lines[2], "  0000000000000000 bad mem addr 0x0000000080000ff8 - "
					 "0x0000000080001008 reserved");
	assert_true(res.bytes_tested == 0x3000);
	machine_free(m);
}

static void test_unbacked(void **state)
{
	struct machine *m = machine_new();
	struct mb_memtest_config cfg = config(2);
	struct mb_memtest_result res;

	(void)state;
	assert_int_equal(mb_add(&m->mb, 0x80000000, 0x3000), 0); /* no RAM behind */
	mb_memtest_result_init(&res);
	assert_int_equal(mb_early_memtest(&m->mb, &cfg, 0, 0x90000000, &res), -MB_ENOENT);
	assert_int_equal(m->nr_lines, 2); /* the count and the first range line */

	machine_clear_lines(m);
	cfg.lines_only = true;
	mb_memtest_result_init(&res);
	assert_int_equal(mb_early_memtest(&m->mb, &cfg, 0, 0x90000000, &res), 0);
	assert_int_equal(m->nr_lines, 3);
	assert_true(res.done);
	assert_true(res.bytes_tested == 0);

	m->mb.cfg.ops.phys_to_virt = NULL;
	cfg.lines_only = false;
	assert_int_equal(mb_early_memtest(&m->mb, &cfg, 0, 0x90000000, &res), -MB_EINVAL);
	assert_int_equal(mb_early_memtest(NULL, &cfg, 0, 1, &res), -MB_EINVAL);
	machine_free(m);
}

/* ---- meminfo, memmap=, memtest= ---- */

static void test_meminfo(void **state)
{
	static const struct {
		mb_phys_addr_t bytes;
		const char *line;
	} cases[] = {
		{ 0, "EarlyMemtestBad:       0 kB" },
		{ 8, "EarlyMemtestBad:       1 kB" },
		{ 1024, "EarlyMemtestBad:       1 kB" },
		{ 2047, "EarlyMemtestBad:       1 kB" },
		{ 0x200000, "EarlyMemtestBad:    2048 kB" },
		{ 0x40000000, "EarlyMemtestBad:   1048576 kB" },
	};
	struct machine *m = machine_new();
	struct mb_memtest_result res;

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		mb_memtest_result_init(&res);
		res.done = true;
		res.bad_bytes = cases[i].bytes;
		machine_clear_lines(m);
		assert_int_equal(mb_memtest_report_meminfo(&m->mb, &res), 0);
		machine_expect_lines(m, &cases[i].line, 1);
	}
	machine_free(m);
}

static void test_memmap(void **state)
{
	/*
	 * bad       |a|  |b|        |c|                  |d------------|
	 * pages   |--0x1000--|--0x2000--|...   |0x100000 ..... 0x300000|
	 * a, b share a page, c is in the next one: one 8K entry; d is 2M.
	 */
	static const struct mb_memtest_range bad[] = {
		{ 0x80001008, 0x80001010 },
		{ 0x80001ff8, 0x80002000 },
		{ 0x80002010, 0x80002018 },
		{ 0x80100000, 0x80300000 },
	};
	struct mb_memtest_result res;
	struct mb_memtest_range pages[2];
	struct mb_text t;
	size_t count;

	(void)state;
	mb_memtest_result_init(&res);
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++)
		res.ranges[i] = bad[i];
	res.nr_ranges = ARRAY_SIZE(bad);
	assert_int_equal(mb_memtest_memmap_ranges(&res, 4096, pages, 2, &count), 0);
	assert_int_equal(count, 2);
	mb_text_reset(&t);
	mb_text_memmap(&t, &pages[0]);
	mb_text_char(&t, ' ');
	mb_text_memmap(&t, &pages[1]);
	assert_string_equal(t.buf, "memmap=8K$0x80001000 memmap=2M$0x80100000");
	assert_int_equal(mb_memtest_memmap_ranges(&res, 4096, pages, 1, &count), -MB_ENOSPC);
	assert_int_equal(count, 2);
	assert_int_equal(mb_memtest_memmap_ranges(&res, 4095, pages, 2, &count), -MB_EINVAL);

	mb_text_reset(&t);
	mb_text_memmap(&t, &(struct mb_memtest_range){ 0x1000, 0x1000 + 0x40000000 });
	assert_string_equal(t.buf, "memmap=1G$0x1000");
	mb_text_reset(&t);
	mb_text_memmap(&t, &(struct mb_memtest_range){ 0x1000, 0x1100 });
	assert_string_equal(t.buf, "memmap=256$0x1000");
}

static void test_walk_after_merge(void **state)
{
	/*
	 * A reservation made during the walk shifts Linux's iterator (spec 9):
	 *   pass ffff  reserves r0 0x10100..0x10108 and r1 0x10110..0x10118
	 *   pass 0000  finds the word between them bad; reserving it merges
	 *              r0 + word + r1 into one region, the walk's gap index now
	 *              points past the last gap and the pass ends there:
	 *              0x10118..0x20000 is not tested (0x10200 stays unseen).
	 */
	static const char *const lines[] = {
		"early_memtest: # of tests: 2",
		"  0x0000000000010000 - 0x0000000000020000 pattern ffffffffffffffff",
		"  ffffffffffffffff bad mem addr 0x0000000000010100 - 0x0000000000010108 reserved",
		"  ffffffffffffffff bad mem addr 0x0000000000010110 - 0x0000000000010118 reserved",
		"  0x0000000000010000 - 0x0000000000010100 pattern 0000000000000000",
		"  0x0000000000010108 - 0x0000000000010110 pattern 0000000000000000",
		"  0000000000000000 bad mem addr 0x0000000000010108 - 0x0000000000010110 reserved",
	};
	static const mb_phys_addr_t reserved[][2] = { { 0x10100, 0x10118 } };
	struct machine *m = machine_new();
	struct mb_memtest_config cfg = config(2);
	struct mb_memtest_result res;

	(void)state;
	machine_add(m, 0x10000, 0x10000);
	add_fault(m, "0x10100:0:stuck0");
	add_fault(m, "0x10110:0:stuck0");
	add_fault(m, "0x10108:0:stuck1");
	add_fault(m, "0x10200:0:stuck1");
	mb_memtest_result_init(&res);
	assert_int_equal(mb_early_memtest(&m->mb, &cfg, 0, 0x20000, &res), 0);
	machine_expect_lines(m, lines, ARRAY_SIZE(lines));
	machine_expect_reserved(m, reserved, ARRAY_SIZE(reserved));
	assert_int_equal(res.bad_runs, 3);
	assert_int_equal(res.nr_ranges, 1);
	assert_true(res.ranges[0].start == 0x10100 && res.ranges[0].end == 0x10118);
	assert_true(res.bad_bytes == 24);
	machine_free(m);
}

static void test_gap_retested(void **state)
{
	/*
	 * A bad run inside a free gap that ends at a reservation: the new
	 * reserved region shifts Linux's gap index back onto the rest of the
	 * gap, so the rest is printed and tested again in the same pass.
	 *   memory    |------------- 0x10000..0x20000 -------------|
	 *   reserved                              |r 0x18000|
	 *   pass 0000 |--- tested ----------------|        |------|
	 *                 ^bad 0x11000  ^bad 0x17ff8 (both found in the
	 *                 first test of the gap), then 0x11008..0x17ff8 again
	 */
	static const char *const lines[] = {
		"early_memtest: # of tests: 1",
		"  0x0000000000010000 - 0x0000000000018000 pattern 0000000000000000",
		"  0000000000000000 bad mem addr 0x0000000000011000 - 0x0000000000011008 reserved",
		"  0000000000000000 bad mem addr 0x0000000000017ff8 - 0x0000000000018000 reserved",
		"  0x0000000000011008 - 0x0000000000017ff8 pattern 0000000000000000",
		"  0x0000000000019000 - 0x0000000000020000 pattern 0000000000000000",
	};
	static const mb_phys_addr_t reserved[][2] = {
		{ 0x11000, 0x11008 },
		{ 0x17ff8, 0x19000 },
	};
	struct machine *m = machine_new();
	struct mb_memtest_config cfg = config(1);
	struct mb_memtest_result res;

	(void)state;
	machine_add(m, 0x10000, 0x10000);
	assert_int_equal(mb_reserve(&m->mb, 0x18000, 0x1000), 0);
	add_fault(m, "0x11000:0:stuck1");
	add_fault(m, "0x17ff8:0:stuck1");
	mb_memtest_result_init(&res);
	assert_int_equal(mb_early_memtest(&m->mb, &cfg, 0, 0x20000, &res), 0);
	machine_expect_lines(m, lines, ARRAY_SIZE(lines));
	machine_expect_reserved(m, reserved, ARRAY_SIZE(reserved));
	assert_int_equal(res.ranges_tested, 3);
	machine_free(m);
}

static void test_result_sorted(void **state)
{
	/* pass ffff finds 0x10200, pass 0000 finds 0x10100: listed by address */
	struct machine *m = machine_new();
	struct mb_memtest_config cfg = config(2);
	struct mb_memtest_result res;

	(void)state;
	machine_add(m, 0x10000, 0x10000);
	add_fault(m, "0x10200:0:stuck0");
	add_fault(m, "0x10100:0:stuck1");
	mb_memtest_result_init(&res);
	assert_int_equal(mb_early_memtest(&m->mb, &cfg, 0, 0x20000, &res), 0);
	assert_int_equal(res.bad_runs, 2);
	assert_int_equal(res.nr_ranges, 2);
	assert_true(res.ranges[0].start == 0x10100 && res.ranges[0].end == 0x10108);
	assert_true(res.ranges[1].start == 0x10200 && res.ranges[1].end == 0x10208);
	machine_free(m);
}

static void test_parse_arg(void **state)
{
	static const struct {
		const char *arg;
		int ret;
		unsigned int passes;
	} cases[] = {
		{ NULL, 0, 17 },	 { "4", 0, 4 },	     { "0x11", 0, 17 },
		{ "021", 0, 17 },	 { "0", 0, 0 },	     { "4\n", 0, 4 },
		{ "+3", 0, 3 },		 { "4294967295", 0, 4294967295u },
		{ "", -MB_EINVAL, 99 },	 { "-1", -MB_EINVAL, 99 },
		{ "4294967296", -MB_EINVAL, 99 },
		{ "4k", -MB_EINVAL, 99 }, { "08", -MB_EINVAL, 99 },
		{ " 4", -MB_EINVAL, 99 },
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		unsigned int passes = 99;

		assert_int_equal(mb_memtest_parse_arg(cases[i].arg, &passes), cases[i].ret);
		assert_int_equal(passes, cases[i].passes);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_order_1),
		cmocka_unit_test(test_order_4),
		cmocka_unit_test(test_order_17),
		cmocka_unit_test(test_order_20),
		cmocka_unit_test(test_off),
		cmocka_unit_test(test_stuck0),
		cmocka_unit_test(test_stuck1_runs),
		cmocka_unit_test(test_coupled),
		cmocka_unit_test(test_coupled_inverted),
		cmocka_unit_test(test_merge_across_passes),
		cmocka_unit_test(test_x86_warning_once),
		cmocka_unit_test(test_reserve_trace_caller),
		cmocka_unit_test(test_zero_quirk),
		cmocka_unit_test(test_zero_quirk_word8),
		cmocka_unit_test(test_window_clamp),
		cmocka_unit_test(test_tiny_ranges),
		cmocka_unit_test(test_two_windows),
		cmocka_unit_test(test_unbacked),
		cmocka_unit_test(test_meminfo),
		cmocka_unit_test(test_memmap),
		cmocka_unit_test(test_walk_after_merge),
		cmocka_unit_test(test_result_sorted),
		cmocka_unit_test(test_gap_retested),
		cmocka_unit_test(test_parse_arg),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
