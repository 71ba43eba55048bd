// SPDX-License-Identifier: MIT
/*
 * test_phys32.c - the 32-bit address space (spec 1, 8): phys_bits 32
 * caps ranges at 0xffffffff, prints %pa with 8 digits, and doubling
 * sizes follow sizeof(struct memblock_region) (16 bytes with
 * MB_PHYS_ADDR_32, 24 otherwise). Runs in both builds.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "harness.h"

static void phys32(struct mb_config *cfg)
{
	cfg->phys_bits = 32;
}

static void test_cap_at_4g(void **state)
{
	struct harness *h = h_new_cfg(8, 8, phys32);

	(void)state;
	mb_set_caller(&h->mb, "x");
	/* the byte at 0xffffffff can never be covered */
	assert_int_equal(mb_add(&h->mb, 0xfffff000u, 0x2000), 0);
	assert_int_equal(h->mb.memory.regions[0].size, 0xfff);
	assert_string_equal(h->lines[0].text, "memblock_add: [0xfffff000-0x00000fff] x");
	assert_int_equal(mb_end_of_DRAM(&h->mb), 0xffffffffu);
	assert_int_equal(mb_get_current_limit(&h->mb), 0xffffffffu);
	assert_int_equal(mb_check(&h->mb, NULL, 0), 0);
	h_free(h);
}

static void test_doubling_size_follows_region_size(void **state)
{
	struct harness *h = h_new_cfg(128, 128, phys32);
	mb_phys_addr_t want_end = 0x4ffe000u + 256 * sizeof(struct memblock_region) - 1;
	mb_phys_addr_t alloc = sizeof(struct memblock_region) == 16 ? 0x1000 : 0x2000;
	char line[128];
	int i;

	(void)state;
	h_ram(h, 0x1000000, 0x4000000);
	mb_allow_resize(&h->mb);
	assert_int_equal(mb_add(&h->mb, 0x1000000, 0x4000000), 0);
	for (i = 0; i < 128; i++)
		assert_int_equal(mb_reserve(&h->mb, 0x1000000 + (mb_phys_addr_t)i * 0x2000, 0x1000), 0);
	h_clear_lines(h);
	assert_int_equal(mb_reserve(&h->mb, 0x1100000, 0x1000), 0);
	/* top of memory: 0x5000000 - page-aligned array size */
	snprintf(line, sizeof(line), "memblock: reserved is doubled to 256 at [0x%08llx-0x%08llx]",
		 (unsigned long long)(0x5000000u - alloc),
		 (unsigned long long)(0x5000000u - alloc + 256 * sizeof(struct memblock_region) - 1));
	assert_string_equal(h->lines[1].text, line);
	snprintf(line, sizeof(line), "memblock_reserve: [0x%08llx-0x04ffffff] memblock_double_array",
		 (unsigned long long)(0x5000000u - alloc));
	assert_string_equal(h->lines[2].text, line);
	(void)want_end;
	h_free(h);
}

static void test_dump_32(void **state)
{
	struct harness *h = h_new_cfg(8, 8, phys32);

	(void)state;
	assert_int_equal(mb_add(&h->mb, 0x60000000, 0x8000000), 0);
	assert_int_equal(mb_reserve(&h->mb, 0x60004000, 0x4000), 0);
	h_clear_lines(h);
	mb_dump_all(&h->mb);
	assert_int_equal(h->nlines, 6);
	assert_string_equal(h->lines[1].text, " memory size = 0x08000000 reserved size = 0x00004000");
	assert_string_equal(h->lines[3].text,
			    " memory[0x0]\t[0x60000000-0x67ffffff], 0x08000000 bytes flags: 0x0");
	assert_string_equal(h->lines[5].text,
			    " reserved[0x0]\t[0x60004000-0x60007fff], 0x00004000 bytes flags: 0x0");
	h_clear_lines(h);
	mb_debugfs_show(&h->mb, &h->mb.memory);
	assert_string_equal(h->lines[0].text, "   0: 0x60000000..0x67ffffff    x NONE");
	h_free(h);
}

static void test_alloc_below_4g(void **state)
{
	struct harness *h = h_new_cfg(8, 8, phys32);
	mb_phys_addr_t got = 0;

	(void)state;
	assert_int_equal(mb_add(&h->mb, 0xc0000000u, 0x3ffff000u), 0);
	assert_int_equal(mb_phys_alloc(&h->mb, 0x1000, 0x1000, &got), 0);
	assert_int_equal(got, 0xffffe000u);
	assert_int_equal(mb_phys_alloc_range(&h->mb, 0x1000, 0x1000, 0, MB_ALLOC_ANYWHERE, &got), 0);
	assert_int_equal(got, 0xffffd000u);
	assert_int_equal(mb_check(&h->mb, NULL, 0), 0);
	h_free(h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cap_at_4g),
		cmocka_unit_test(test_doubling_size_follows_region_size),
		cmocka_unit_test(test_dump_32),
		cmocka_unit_test(test_alloc_below_4g),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
