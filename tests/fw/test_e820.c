// SPDX-License-Identifier: MIT
/*
 * test_e820.c - the E820 front end: seed 003 reproduced byte for byte,
 * sanitizing, the kernel's update/remove edits, memmap=/mem= and bad input.
 */
#include "fw_test.h"

#ifndef FW_DATA_DIR
#define FW_DATA_DIR "tests/data/fw"
#endif

static struct fw_e820_table table;

static void load_text(const char *file, struct fwt *t)
{
	char path[512];
	void *buf;
	size_t len;

	snprintf(path, sizeof(path), "%s/%s", FW_DATA_DIR, file);
	assert_int_equal(fw_read_file(path, &buf, &len, &t->mb), 0);
	assert_int_equal(fw_e820_parse_text(buf, len, file, &table, &t->mb), 0);
	free(buf);
}

/* Seed 003: e820__memory_setup, trim_bios_range, end pfns, memblock setup. */
static void test_seed003(void **state)
{
	/* clang-format off */
	static const char *const map[] = {
		"BIOS-provided physical RAM map:",
		"BIOS-e820: [mem 0x0000000000000000-0x000000000009fbff] usable",
		"BIOS-e820: [mem 0x000000000009fc00-0x000000000009ffff] reserved",
		"BIOS-e820: [mem 0x00000000000f0000-0x00000000000fffff] reserved",
		"BIOS-e820: [mem 0x0000000000100000-0x00000000bffdffff] usable",
		"BIOS-e820: [mem 0x00000000bffe0000-0x00000000bfffffff] reserved",
		"BIOS-e820: [mem 0x00000000feffc000-0x00000000feffffff] reserved",
		"BIOS-e820: [mem 0x00000000fffc0000-0x00000000ffffffff] reserved",
		"BIOS-e820: [mem 0x0000000100000000-0x000000013fffffff] usable",
		NULL
	};
	/* clang-format on */
	/* clang-format off */
	static const char *const trim[] = {
		"e820: update [mem 0x00000000-0x00000fff] usable ==> reserved",
		"e820: remove [mem 0x000a0000-0x000fffff] usable",
		NULL
	};
	/* clang-format on */
	/* clang-format off */
	static const char *const pfns[] = {
		"last_pfn = 0x140000 max_arch_pfn = 0x400000000",
		"last_pfn = 0xbffe0 max_arch_pfn = 0x400000000",
		NULL
	};
	/* clang-format on */
	/* clang-format off */
	static const char *const setup[] = {
		"memblock_add: [0x0000000000001000-0x000000000009fbff] e820__memblock_setup+0x6e/0xb0",
		"memblock_add: [0x0000000000100000-0x00000000bffdffff] e820__memblock_setup+0x6e/0xb0",
		"memblock_add: [0x0000000100000000-0x000000013fffffff] e820__memblock_setup+0x6e/0xb0",
		"MEMBLOCK configuration:",
		" memory size = 0x00000000fff7ec00 reserved size = 0x000000000267a000",
		" memory.cnt  = 0x3",
		" memory[0x0]\t[0x0000000000001000-0x000000000009efff], 0x000000000009e000 bytes flags: 0x0",
		" memory[0x1]\t[0x0000000000100000-0x00000000bffdffff], 0x00000000bfee0000 bytes flags: 0x0",
		" memory[0x2]\t[0x0000000100000000-0x000000013fffffff], 0x0000000040000000 bytes flags: 0x0",
		" reserved.cnt  = 0x3",
		" reserved[0x0]\t[0x0000000000000000-0x000000000000ffff], 0x0000000000010000 bytes flags: 0x0",
		" reserved[0x1]\t[0x000000000009f000-0x00000000000fffff], 0x0000000000061000 bytes flags: 0x0",
		" reserved[0x2]\t[0x0000000001000000-0x0000000003608fff], 0x0000000002609000 bytes flags: 0x0",
		NULL
	};
	/* clang-format on */
	/* setup_arch()'s early reservations in the seed, before e820__memblock_setup */
	static const struct {
		uint64_t base, size;
	} early[] = {
	    {0x1000000, 0x2600000}, {0x0, 0x10000},  {0x9f000, 0x61000},
	    {0xf5470, 0x10},	    {0xf5480, 0xd8}, {0x3600000, 0x9000},
	};
	struct fwt *t = fwt_new(true);
	uint64_t max_pfn, max_low_pfn;

	(void)state;
	load_text("seed003.e820", t);
	fw_e820_memory_setup(&table, &t->mb);
	fwt_expect_lines(t, map);

	fwt_clear(t);
	fw_e820_trim_bios_range(&table, &t->mb);
	fwt_expect_lines(t, trim);
	assert_int_equal(table.nr_entries, 9);
	assert_true(table.entries[0].addr == 0 && table.entries[0].size == 0x1000 &&
		    table.entries[0].type == FW_E820_RESERVED);

	fwt_clear(t);
	fw_e820_end_pfns(&table, 1ULL << 34, 12, &max_pfn, &max_low_pfn, &t->mb);
	fwt_expect_lines(t, pfns);
	assert_int_equal(max_pfn, 0x140000);
	assert_int_equal(max_low_pfn, 0xbffe0);

	for (size_t i = 0; i < sizeof(early) / sizeof(early[0]); i++)
		assert_int_equal(mb_reserve(&t->mb, early[i].base, early[i].size), 0);
	fwt_clear(t);
	fw_set_caller(FW_CALLER_E820_MEMBLOCK_SETUP, "e820__memblock_setup+0x6e/0xb0");
	assert_int_equal(fw_e820_memblock_setup(&t->mb, &table), 0);
	fw_set_caller(FW_CALLER_E820_MEMBLOCK_SETUP, NULL);
	fwt_expect_lines(t, setup);
	free(t);
}

/*
 * Sanitize: overlaps go to the higher type, equal neighbours merge except
 * PRAM and soft reserved, zero-sized entries vanish.
 *
 *   usable   |--0-640K--|  |------1M-1G------||----1G-2G----|
 *   reserved                     |512M+1M|
 *   NVS                                            |1.75G-2.25G|
 *   result   |usable|  |usable|res|usable ... usable|NVS------|
 */
static void test_sanitize_overlap(void **state)
{
	/* clang-format off */
	static const char *const expect[] = {
		"x: [mem 0x0000000000000000-0x000000000009ffff] usable",
		"x: [mem 0x0000000000100000-0x000000001fffffff] usable",
		"x: [mem 0x0000000020000000-0x00000000200fffff] reserved",
		"x: [mem 0x0000000020100000-0x000000006fffffff] usable",
		"x: [mem 0x0000000070000000-0x000000008fffffff] ACPI NVS",
		"x: [mem 0x0000000090000000-0x000000009fffffff] persistent (type 12)",
		"x: [mem 0x00000000a0000000-0x00000000afffffff] persistent (type 12)",
		"x: [mem 0x00000000b0000000-0x00000000b00fffff] soft reserved",
		"x: [mem 0x00000000c0000000-0x00000000c00fffff] type 19",
		NULL
	};
	/* clang-format on */
	struct fwt *t = fwt_new(false);

	(void)state;
	load_text("overlap.e820", t);
	assert_int_equal(table.nr_entries, 9);
	assert_int_equal(fw_e820_sanitize(&table), 0);
	fw_e820_print(&table, "x", &t->mb);
	fwt_expect_lines(t, expect);
	free(t);
}

/* Single entry and wrapping entries: the kernel leaves the table alone. */
static void test_sanitize_refuses(void **state)
{
	(void)state;
	table.nr_entries = 1;
	table.entries[0] = (struct fw_e820_entry){0x1000, 0x1000, 1};
	assert_int_equal(fw_e820_sanitize(&table), -1);
	table.nr_entries = 2;
	table.entries[1] = (struct fw_e820_entry){UINT64_MAX - 10, 0x1000, 2};
	assert_int_equal(fw_e820_sanitize(&table), -1);
	assert_int_equal(table.nr_entries, 2);
}

/* memmap= and mem= edit the table in command line order, then "user" map. */
static void test_memmap_cmdline(void **state)
{
	/* clang-format off */
	static const char *const expect[] = {
		"e820: remove [mem 0x80000000-0xfffffffffffffffe] usable",
		"e820: update [mem 0x01000000-0x01ffffff] usable ==> reserved",
		"user-defined physical RAM map:",
		"user: [mem 0x0000000000000000-0x000000000009fbff] usable",
		"user: [mem 0x000000000009fc00-0x000000000009ffff] reserved",
		"user: [mem 0x00000000000f0000-0x00000000000fffff] reserved",
		"user: [mem 0x0000000000100000-0x0000000000ffffff] usable",
		"user: [mem 0x0000000001000000-0x0000000001ffffff] reserved",
		"user: [mem 0x0000000002000000-0x000000003fffffff] usable",
		"user: [mem 0x0000000040000000-0x000000004fffffff] reserved",
		"user: [mem 0x0000000050000000-0x000000007fffffff] usable",
		"user: [mem 0x00000000bffe0000-0x00000000bfffffff] reserved",
		"user: [mem 0x00000000feffc000-0x00000000feffffff] reserved",
		"user: [mem 0x00000000fffc0000-0x00000000ffffffff] reserved",
		"user: [mem 0x0000000200000000-0x000000023fffffff] persistent (type 12)",
		NULL
	};
	/* clang-format on */
	struct fwt *t = fwt_new(false);
	struct fw_cmdline cl;

	(void)state;
	load_text("seed003.e820", t);
	fw_e820_sanitize(&table);
	assert_int_equal(fw_cmdline_parse("mem=2G memmap=256M$1G,1G!8G memmap=16M%16M-1+2",
					  FW_ARCH_X86_64, &cl, &t->mb),
			 0);
	assert_int_equal(cl.nr_memmap, 4);
	fwt_clear(t);
	assert_int_equal(fw_e820_apply_cmdline(&table, &cl, &t->mb), 0);
	fwt_expect_lines(t, expect);
	free(t);
}

/* memmap=exactmap then pieces: only the user's ranges remain. */
static void test_exactmap(void **state)
{
	struct fwt *t = fwt_new(false);
	struct fw_cmdline cl;

	(void)state;
	load_text("seed003.e820", t);
	assert_int_equal(fw_cmdline_parse("memmap=exactmap memmap=640K@0 memmap=1G@1M",
					  FW_ARCH_X86_64, &cl, NULL),
			 0);
	assert_int_equal(fw_e820_apply_cmdline(&table, &cl, NULL), 0);
	assert_int_equal(table.nr_entries, 2);
	assert_true(table.entries[1].addr == 0x100000 && table.entries[1].size == 1ULL << 30);
	free(t);
}

static void test_binary_roundtrip(void **state)
{
	struct fw_e820_table copy;
	uint8_t buf[FW_E820_MAX * 20];
	struct fwt *t = fwt_new(false);
	long n;

	(void)state;
	load_text("seed003.e820", t);
	n = fw_e820_to_binary(&table, buf, sizeof(buf));
	assert_int_equal(n, 8 * 20);
	assert_int_equal(fw_e820_parse_binary(buf, (size_t)n, "bin", &copy, NULL), 0);
	assert_int_equal(copy.nr_entries, 8);
	for (int i = 0; i < 8; i++) {
		assert_int_equal(copy.entries[i].addr, table.entries[i].addr);
		assert_int_equal(copy.entries[i].size, table.entries[i].size);
		assert_int_equal(copy.entries[i].type, table.entries[i].type);
	}
	free(t);
}

/*
 * memblock setup: RAM and RESERVED_KERN become memory, soft reserved is
 * reserved (not memory), ACPI/NVS/PRAM are left out; partial pages go.
 *   e820    |RAM 0-640K| |RAM 1M-1G|kern 1G+4K|  |soft 2G+1M| |ACPI| |PRAM|
 *   memory  |0-636K |    |1M ....... 1G+4K|
 *   reserved                                    |soft|
 */
static void test_memblock_types(void **state)
{
	struct fwt *t = fwt_new(false);

	(void)state;
	table.nr_entries = 6;
	table.entries[0] = (struct fw_e820_entry){0, 0x9fc00, FW_E820_RAM};
	table.entries[1] = (struct fw_e820_entry){0x100000, 0x3ff00000, FW_E820_RAM};
	table.entries[2] = (struct fw_e820_entry){0x40000000, 0x1000, FW_E820_RESERVED_KERN};
	table.entries[3] = (struct fw_e820_entry){0x80000000, 0x100000, FW_E820_SOFT_RESERVED};
	table.entries[4] = (struct fw_e820_entry){0x90000000, 0x100000, FW_E820_ACPI};
	table.entries[5] = (struct fw_e820_entry){0xa0000000, 0x100000, FW_E820_PRAM};
	assert_int_equal(fw_e820_memblock_setup(&t->mb, &table), 0);
	assert_int_equal(t->mb.memory.cnt, 2);
	assert_int_equal(t->mb.memory.regions[0].size, 0x9f000);
	assert_int_equal(t->mb.memory.regions[1].base, 0x100000);
	assert_int_equal(t->mb.memory.regions[1].size, 0x3ff01000);
	assert_int_equal(t->mb.reserved.cnt, 1);
	assert_int_equal(t->mb.reserved.regions[0].base, 0x80000000);
	assert_false(mb_is_memory(&t->mb, 0x90000000));
	free(t);
}

/* fw_e820_load() tells text from binary by the bytes. */
static void test_load(void **state)
{
	const char *bin_path = "test_fw_e820.bin";
	uint8_t buf[FW_E820_MAX * 20];
	struct fw_e820_table copy;
	struct fwt *t = fwt_new(false);
	char path[512];
	FILE *f;
	long n;

	(void)state;
	snprintf(path, sizeof(path), "%s/seed003.e820", FW_DATA_DIR);
	assert_int_equal(fw_e820_load(path, &table, &t->mb), 0);
	assert_int_equal(table.nr_entries, 8);
	n = fw_e820_to_binary(&table, buf, sizeof(buf));
	f = fopen(bin_path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(buf, 1, (size_t)n, f), n);
	fclose(f);
	assert_int_equal(fw_e820_load(bin_path, &copy, &t->mb), 0);
	assert_int_equal(copy.nr_entries, 8);
	assert_int_equal(copy.entries[7].addr, 0x100000000ULL);
	remove(bin_path);
	assert_int_equal(fw_e820_load("/nonexistent.e820", &copy, &t->mb), -MB_ENOENT);
	assert_string_equal(t->lines[0], "/nonexistent.e820: cannot open file");
	free(t);
}

/* Garbage: one message naming the input, nothing parsed. */
static void test_malformed(void **state)
{
	static const struct {
		const char *text;
		const char *msg;
	} rows[] = {
	    {"hello\n", "in:1: not an e820 line"},
	    {"BIOS-e820: [mem 0x1000-0x2000] usable\nBIOS-e820: [mem 0x3000-0x2000] usable\n",
	     "in:2: not an e820 line"},
	    {"BIOS-e820: [mem 0x1000-0x2000] bogus\n", "in:1: not an e820 line"},
	    {"BIOS-e820: [mem 0x1000-0x2000]usable\n", "in:1: not an e820 line"},
	    {"BIOS-e820: [mem 0x10000000000000000-0x2] usable\n", "in:1: not an e820 line"},
	    {": [mem 0x1000-0x2000] usable\n", "in:1: not an e820 line"},
	    {"BIOS-e820: [mem 0x0-0xffffffffffffffff] usable\n", "in:1: not an e820 line"},
	    {"BIOS-e820: [mem 0x1000-0x1fff] persistent (type 3)\n", "in:1: not an e820 line"},
	};
	struct fwt *t = fwt_new(false);
	uint8_t bin[40] = {0};

	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		fwt_clear(t);
		assert_int_equal(
		    fw_e820_parse_text(rows[i].text, strlen(rows[i].text), "in", &table, &t->mb),
		    -MB_EINVAL);
		assert_int_equal(t->nr_lines, 1);
		assert_non_null(strstr(t->lines[0], rows[i].msg));
		assert_int_equal(table.nr_entries, 0);
	}
	fwt_clear(t);
	assert_int_equal(fw_e820_parse_binary(bin, 39, "bin", &table, &t->mb), -MB_EINVAL);
	assert_true(fwt_has(t, "bin: 39 bytes is not a whole number of 20-byte e820 entries"));
	memset(bin, 0xff, 16); /* addr ~0, size ~0: wraps */
	fwt_clear(t);
	assert_int_equal(fw_e820_parse_binary(bin, 40, "bin", &table, &t->mb), -MB_EINVAL);
	assert_true(fwt_has(t, "bin: e820 entry 0"));
	assert_int_equal(table.nr_entries, 0);
	free(t);
}

int main(void)
{
	/* clang-format off */
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_seed003),
		cmocka_unit_test(test_sanitize_overlap),
		cmocka_unit_test(test_sanitize_refuses),
		cmocka_unit_test(test_memmap_cmdline),
		cmocka_unit_test(test_exactmap),
		cmocka_unit_test(test_binary_roundtrip),
		cmocka_unit_test(test_memblock_types),
		cmocka_unit_test(test_load),
		cmocka_unit_test(test_malformed),
	};
	/* clang-format on */

	return cmocka_run_group_tests(tests, NULL, NULL);
}
