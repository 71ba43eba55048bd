/* SPDX-License-Identifier: MIT */
/*
 * test_memtest_random.c - random machines, reservations and stuck bits;
 * whatever Linux's walk quirks do, these must hold:
 *   - every reported bad word really is faulty (no false positive) and is
 *     reserved afterwards; runs are word-aligned;
 *   - the result's ranges are sorted, disjoint, not touching, and add up
 *     to bad_bytes; the printed lines match the counters;
 *   - the instance passes mb_check().
 * That every faulty word is found is not promised (a pattern may match
 * the stuck value; Linux's walk can end a pass early, docs/memtest.md).
 *
 * The seed is printed; MEMTEST_SEED=N replays it, MEMTEST_ROUNDS=N runs
 * more rounds.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "machine.h"

#define BASE	   0x100000u
#define MAX_FAULTS 12

static uint64_t rng_state;

static uint64_t rng(void)
{
	/* xorshift64* */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dull;
}

static uint64_t rng_below(uint64_t n)
{
	return n ? rng() % n : 0;
}

static bool word_is_faulty(const mb_phys_addr_t *fault_words, size_t n, mb_phys_addr_t word)
{
	for (size_t i = 0; i < n; i++)
		if (fault_words[i] == word)
			return true;
	return false;
}

static void check_result(const struct machine *m, const struct mb_memtest_result *res,
			 const mb_phys_addr_t *fault_words, size_t nr_faults)
{
	mb_phys_addr_t sum = 0;
	unsigned long range_lines = 0, bad_lines = 0;
	char msg[128];

	assert_int_equal(mb_check(&m->mb, msg, sizeof(msg)), 0);
	assert_false(res->overflow);
	for (size_t i = 0; i < res->nr_ranges; i++) {
		const struct mb_memtest_range *r = &res->ranges[i];

		assert_true(r->start < r->end);
		assert_true(r->start % 8 == 0 && r->end % 8 == 0);
		if (i)
			assert_true(res->ranges[i - 1].end < r->start);
		for (mb_phys_addr_t w = r->start; w < r->end; w += 8) {
			assert_true(word_is_faulty(fault_words, nr_faults, w));
			assert_true(mb_is_reserved(&m->mb, w));
		}
		sum += r->end - r->start;
	}
	assert_true(sum == res->bad_bytes);
	for (size_t i = 0; i < m->nr_lines; i++) {
		range_lines += strstr(m->lines[i], " pattern ") != NULL;
		bad_lines += strstr(m->lines[i], " bad mem addr ") != NULL;
	}
	assert_int_equal(range_lines, res->ranges_tested);
	assert_int_equal(bad_lines, res->bad_runs);
}

static void one_round(void)
{
	struct machine *m = machine_new();
	mb_phys_addr_t size = 0x1000 * (1 + rng_below(64));
	mb_phys_addr_t fault_words[MAX_FAULTS];
	size_t nr_faults = rng_below(MAX_FAULTS + 1);
	unsigned int nr_reserves = (unsigned int)rng_below(6);
	struct mb_memtest_config cfg;
	struct mb_memtest_result res;

	machine_add(m, BASE, size);
	for (unsigned int i = 0; i < nr_reserves; i++)
		assert_int_equal(mb_reserve(&m->mb, BASE + rng_below(size), 1 + rng_below(0x800)),
				 0);
	for (size_t i = 0; i < nr_faults; i++) {
		struct mb_fault f = {
		    .kind = rng_below(2) ? MB_FAULT_STUCK1 : MB_FAULT_STUCK0,
		    .addr = BASE + rng_below(size),
		    .bit = (unsigned int)rng_below(8),
		};

		fault_words[i] = f.addr & ~(mb_phys_addr_t)7;
		assert_int_equal(mb_simram_add_fault(m->ram, &f), 0);
	}
	mb_memtest_config_default(&cfg);
	cfg.passes = 1 + (unsigned int)rng_below(20);
	mb_memtest_result_init(&res);
	assert_int_equal(mb_early_memtest(&m->mb, &cfg, BASE + rng_below(0x100),
					  BASE + size - rng_below(0x100), &res),
			 0);
	check_result(m, &res, fault_words, nr_faults);
	machine_free(m);
}

static void test_random(void **state)
{
	const char *seed_env = getenv("MEMTEST_SEED");
	const char *rounds_env = getenv("MEMTEST_ROUNDS");
	unsigned long seed = seed_env ? strtoul(seed_env, NULL, 0) : (unsigned long)time(NULL);
	unsigned long rounds = rounds_env ? strtoul(rounds_env, NULL, 0) : 300;

	(void)state;
	printf("test_memtest_random: seed=%lu (replay: MEMTEST_SEED=%lu)\n", seed, seed);
	rng_state = seed * 0x9e3779b97f4a7c15ull + 1;
	for (unsigned long i = 0; i < rounds; i++)
		one_round();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_random),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
