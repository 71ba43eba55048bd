/* SPDX-License-Identifier: MIT */
/*
 * test_seed000.c - seed 000 (riscv, 1 GiB, "memtest=4 memblock=debug"):
 * rebuild the machine and the reservations made before early_memtest in
 * that log, run 4 passes over all of memory on 1 GiB of simulated RAM
 * and compare the output with the log byte for byte, printk prefix
 * included.
 *
 * usage: test_seed000 SEED_LINES_FILE
 * MEMTEST_SEED_LINES_ONLY=1 checks the lines without touching memory
 * (a quick run on a machine short of RAM: the full test commits 1 GiB).
 */
#define _DEFAULT_SOURCE /* open_memstream */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <memblock/memtest.h>
#include <memblock/simram.h>
#include <memblock/stdio_sink.h>

static const char *seed_path;

static struct memblock_region memory_regions[128];
static struct memblock_region reserved_regions[128];

static char *read_file(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	char *buf;
	long size;

	assert_non_null(fp);
	assert_int_equal(fseek(fp, 0, SEEK_END), 0);
	size = ftell(fp);
	assert_true(size > 0);
	rewind(fp);
	buf = malloc((size_t)size + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)size, fp), (size_t)size);
	buf[size] = '\0';
	fclose(fp);
	*len = (size_t)size;
	return buf;
}

/*
 * The calls of the log before early_memtest (lines ~205-216), made with
 * the allocator so the addresses come out the same:
 *   memblock_add      [0x80200000-0xbfffffff]             setup_arch
 *   memblock_reserve  [0x80200000-0x81ffffff]             paging_init (kernel)
 *   memblock_reserve  [0xb81f9000-0xb81fcfff]             paging_init (dtb)
 *   cma: Reserved 32 MiB at 0xbe000000                    alloc_range_nid
 *   2 x memblock_phys_alloc_range 4096 align 0x1000       alloc_pmd_fixmap
 *   memblock_alloc_try_nid 74092 bytes align 8            unflatten dt
 *   memblock_alloc_try_nid 47 bytes align 8
 */
static void build_seed_machine(struct memblock *mb)
{
	mb_phys_addr_t phys;
	void *virt;

	assert_int_equal(mb_add(mb, 0x80200000, 0x3fe00000), 0);
	assert_int_equal(mb_reserve(mb, 0x80200000, 0x1e00000), 0);
	assert_int_equal(mb_reserve(mb, 0xb81f9000, 0x4000), 0);
	assert_int_equal(mb_alloc_range_nid(mb, 0x2000000, 0x400000, 0, MB_ALLOC_ACCESSIBLE,
					    MB_NUMA_NO_NODE, false, &phys),
			 0);
	assert_true(phys == 0xbe000000);
	assert_int_equal(mb_phys_alloc_range(mb, 4096, 4096, 0, 0, &phys), 0);
	assert_true(phys == 0xbdfff000);
	assert_int_equal(mb_phys_alloc_range(mb, 4096, 4096, 0, 0, &phys), 0);
	assert_true(phys == 0xbdffe000);
	assert_int_equal(mb_alloc_try_nid(mb, 74092, 8, 0, 0, MB_NUMA_NO_NODE, &virt, &phys), 0);
	assert_true(phys == 0xbdfebe90);
	assert_int_equal(mb_alloc_try_nid(mb, 47, 8, 0, 0, MB_NUMA_NO_NODE, &virt, &phys), 0);
	assert_true(phys == 0xbdfebe60);
	assert_int_equal(mb->reserved.cnt, 5);
}

static void test_seed000_memtest(void **state)
{
	struct mb_stdio_sink sink;
	struct mb_memtest_config cfg;
	struct mb_memtest_result res;
	struct mb_simram *ram;
	struct mb_config mbcfg;
	struct memblock mb;
	char *out = NULL, *want;
	size_t out_len = 0, want_len;
	FILE *stream;

	(void)state;
	if (sizeof(mb_phys_addr_t) < 8)
		skip();
	stream = open_memstream(&out, &out_len);
	assert_non_null(stream);
	mb_stdio_sink_init(&sink, stream);
	sink.timestamp = true;
	sink.caller_id = "T0";

	assert_int_equal(mb_simram_create(&ram), 0);
	assert_int_equal(mb_simram_add(ram, 0x80200000, 0x3fe00000), 0);
	mb_config_default(&mbcfg);
	mbcfg.memory_regions = memory_regions;
	mbcfg.memory_max = 128;
	mbcfg.reserved_regions = reserved_regions;
	mbcfg.reserved_max = 128;
	mb_simram_install(ram, &mbcfg.ops);
	mb_stdio_sink_install(&sink, &mbcfg.ops);
	assert_int_equal(mb_init(&mb, &mbcfg), 0);
	build_seed_machine(&mb);

	mb_memtest_config_default(&cfg);
	assert_int_equal(mb_memtest_parse_arg("4", &cfg.passes), 0);
	cfg.lines_only = getenv("MEMTEST_SEED_LINES_ONLY") != NULL;
	mb_memtest_result_init(&res);
	assert_int_equal(
	    mb_early_memtest(&mb, &cfg, mb_start_of_DRAM(&mb), mb_end_of_DRAM(&mb), &res), 0);
	fclose(stream);

	want = read_file(seed_path, &want_len);
	assert_string_equal(out, want);
	assert_int_equal(out_len, want_len);
	assert_int_equal(res.bad_runs, 0);
	assert_int_equal(res.ranges_tested, 16);
	if (!cfg.lines_only) {
		/* every whole word, four times; the two small ranges hold none */
		assert_true(res.bytes_tested ==
			    4ull * ((0xb81f9000 - 0x82000000) + (0xbdfebe60 - 0xb81fd000)));
	}
	assert_int_equal(mb.reserved.cnt, 5);
	free(want);
	free(out);
	mb_simram_destroy(ram);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_seed000_memtest),
	};

	if (argc < 2) {
		fprintf(stderr, "usage: %s SEED_LINES_FILE\n", argv[0]);
		return 2;
	}
	seed_path = argv[1];
	return cmocka_run_group_tests(tests, NULL, NULL);
}
