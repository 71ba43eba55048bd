// SPDX-License-Identifier: MIT
/*
 * test_srat.c - ACPI SRAT and NUMA: seed 003's SRAT/NUMA lines byte for
 * byte from a NUMA text description, hotplug marking, node overlaps, the
 * dummy fallback, and a malformed-table table.
 */
#include "fw_test.h"

static uint8_t srat_buf[8192];
static struct fw_srat srat;
static struct fw_numa numa;

/* Seed 003 memory after e820__memblock_setup (see test_e820.c). */
static void seed003_memory(struct fwt *t)
{
	assert_int_equal(mb_add(&t->mb, 0x1000, 0x9e000), 0);
	assert_int_equal(mb_add(&t->mb, 0x100000, 0xbfee0000), 0);
	assert_int_equal(mb_add(&t->mb, 0x100000000ULL, 0x40000000), 0);
	assert_int_equal(mb_reserve(&t->mb, 0, 0x10000), 0);
	assert_int_equal(mb_reserve(&t->mb, 0x9f000, 0x61000), 0);
	assert_int_equal(mb_reserve(&t->mb, 0x1000000, 0x2609000), 0);
}

static size_t numa_srat(const char *text, struct fwt *t)
{
	size_t len = 0;

	assert_int_equal(fw_numa_text_to_srat(text, srat_buf, sizeof(srat_buf), &len, &t->mb), 0);
	assert_int_equal(fw_srat_parse(srat_buf, len, "srat", &srat, &t->mb), 0);
	return len;
}

static void test_seed003(void **state)
{
	/* clang-format off */
	static const char *const expect[] = {
		"SRAT: PXM 0 -> APIC 0x00 -> Node 0",
		"SRAT: PXM 0 -> APIC 0x01 -> Node 0",
		"SRAT: PXM 1 -> APIC 0x02 -> Node 1",
		"SRAT: PXM 1 -> APIC 0x03 -> Node 1",
		"ACPI: SRAT: Node 0 PXM 0 [mem 0x00000000-0x0009ffff]",
		"ACPI: SRAT: Node 0 PXM 0 [mem 0x00100000-0x7fffffff]",
		"ACPI: SRAT: Node 1 PXM 1 [mem 0x80000000-0xbfffffff]",
		"ACPI: SRAT: Node 1 PXM 1 [mem 0x100000000-0x13fffffff]",
		"NUMA: Node 0 [mem 0x00000000-0x0009ffff] + [mem 0x00100000-0x7fffffff] -> [mem 0x00000000-0x7fffffff]",
		"NUMA: Node 1 [mem 0x80000000-0xbfffffff] + [mem 0x100000000-0x13fffffff] -> [mem 0x80000000-0x13fffffff]",
		NULL
	};
	/* clang-format on */
	struct fwt *t = fwt_new(false);
	const struct memblock_region *r;

	(void)state;
	seed003_memory(t);
	numa_srat("cpus=0:0-1 cpus=1:2-3 0:0-640K,0:1M-2G,1:2G-3G,1:4G-5G", t);
	assert_int_equal(srat.nr_cpus, 4);
	assert_int_equal(srat.nr_mems, 4);
	fw_numa_reset(&numa, 64, false);
	numa.legacy_x86_bounds = true; /* the seed's kernel predates 6.12 */
	numa.max_pfn = 0x140000;
	fwt_clear(t);
	assert_int_equal(fw_numa_init_srat(&t->mb, &numa, &srat), 0);
	fwt_expect_lines(t, expect);

	/* memory split at 2G and every region carries its node */
	assert_int_equal(t->mb.memory.cnt, 4);
	r = &t->mb.memory.regions[1];
	assert_true(r->base == 0x100000 && r->size == 0x7ff00000 && r->nid == 0);
	r = &t->mb.memory.regions[2];
	assert_true(r->base == 0x80000000 && r->size == 0x3ffe0000 && r->nid == 1);
	assert_int_equal(t->mb.memory.regions[3].nid, 1);
	assert_int_equal(t->mb.reserved.regions[2].nid, 0);

	/* NODE_DATA: 16K at the top of each node, as in the seed for node 0 */
	fwt_clear(t);
	assert_int_equal(fw_numa_register_nodes(&t->mb, &numa, 0x4000), 0);
	assert_true(fwt_has(t, "NODE_DATA(0) allocated [mem 0x7fffc000-0x7fffffff]"));
	assert_true(fwt_has(t, "NODE_DATA(1) allocated [mem 0x13fffc000-0x13fffffff]"));
	assert_true(numa.node_online[0] && numa.node_online[1] && !numa.node_online[2]);
	free(t);
}

/* 6.12 clips node ranges to memblock's DRAM bounds (start 0x1000 here). */
static void test_bounds_6_12(void **state)
{
	struct fwt *t = fwt_new(false);

	(void)state;
	seed003_memory(t);
	numa_srat("0:0-640K,0:1M-2G,1:2G-3G,1:4G-5G", t);
	fw_numa_reset(&numa, 64, false);
	assert_int_equal(fw_numa_init_srat(&t->mb, &numa, &srat), 0);
	assert_true(fwt_has(t, "NUMA: Node 0 [mem 0x00001000-0x0009ffff] + [mem "
			       "0x00100000-0x7fffffff] -> [mem 0x00001000-0x7fffffff]"));
	free(t);
}

/*
 * Hotplug: node 1 is hotpluggable and holds no reserved memory, so it
 * keeps MEMBLOCK_HOTPLUG; node 0 holds the kernel and stays unpluggable.
 *   node 0  |====kernel====|            node 1 |..........| HOTPLUG
 */
static void test_hotplug(void **state)
{
	struct fwt *t = fwt_new(false);

	(void)state;
	assert_int_equal(mb_add(&t->mb, 0x100000, 0xfff00000ULL), 0);
	assert_int_equal(mb_add(&t->mb, 0x100000000ULL, 0x100000000ULL), 0);
	assert_int_equal(mb_reserve(&t->mb, 0x1000000, 0x1000000), 0);
	numa_srat("0:0-4G:hotplug,1:4G-8G:hotplug:nonvolatile", t);
	fw_numa_reset(&numa, 64, false);
	fwt_clear(t);
	assert_int_equal(fw_numa_init_srat(&t->mb, &numa, &srat), 0);
	assert_true(fwt_has(t, "ACPI: SRAT: Node 0 PXM 0 [mem 0x00000000-0xffffffff] hotplug"));
	assert_true(fwt_has(
	    t, "ACPI: SRAT: Node 1 PXM 1 [mem 0x100000000-0x1ffffffff] hotplug non-volatile"));
	assert_int_equal(t->mb.memory.cnt, 2);
	assert_int_equal(t->mb.memory.regions[0].flags, MB_FLAG_NONE);
	assert_int_equal(t->mb.memory.regions[1].flags, MB_FLAG_HOTPLUG);
	assert_int_equal(t->mb.memory.regions[1].nid, 1);
	free(t);
}

/* Two nodes claiming the same range: the kernel's error, NUMA init fails. */
static void test_node_overlap(void **state)
{
	struct fwt *t = fwt_new(false);

	(void)state;
	assert_int_equal(mb_add(&t->mb, 0, 0x100000000ULL), 0);
	numa_srat("0:0-3G,1:2G-4G", t);
	fw_numa_reset(&numa, 64, false);
	fwt_clear(t);
	assert_int_equal(fw_numa_init_srat(&t->mb, &numa, &srat), -MB_EINVAL);
	assert_true(fwt_has(
	    t,
	    "node 0 [mem 0x00000000-0xbfffffff] overlaps with node 1 [mem 0x80000000-0xffffffff]"));

	/* the kernel then falls back to the dummy node */
	fw_numa_reset(&numa, 64, false);
	fwt_clear(t);
	assert_int_equal(fw_numa_init_dummy(&t->mb, &numa, 0x100000, 12), 0);
	assert_string_equal(t->lines[0], "No NUMA configuration found");
	assert_string_equal(t->lines[1],
			    "Faking a node at [mem 0x0000000000000000-0x00000000ffffffff]");
	assert_int_equal(t->mb.memory.regions[0].nid, 0);
	free(t);
}

/* A memory entry shorter than 40 bytes: the kernel's bad_srat(), NUMA init fails. */
static void test_short_mem_entry(void **state)
{
	struct fwt *t = fwt_new(false);
	struct fw_srat_builder b;
	uint8_t tiny[24] = {1, 24};
	long len;

	(void)state;
	assert_int_equal(mb_add(&t->mb, 0, 0x40000000), 0);
	fw_srat_builder_init(&b, srat_buf, sizeof(srat_buf), 3);
	fw_srat_builder_mem(&b, 0, 0, 0x40000000, FW_SRAT_MEM_ENABLED);
	memcpy(srat_buf + b.len, tiny, sizeof(tiny));
	b.len += sizeof(tiny);
	len = fw_srat_builder_finish(&b);
	assert_int_equal(len, 48 + 40 + 24);
	assert_int_equal(fw_srat_parse(srat_buf, (size_t)len, "srat", &srat, &t->mb), 0);
	fw_numa_reset(&numa, 64, false);
	fwt_clear(t);
	assert_int_equal(fw_numa_init_srat(&t->mb, &numa, &srat), -MB_EINVAL);
	assert_string_equal(t->lines[0], "ACPI: SRAT: Node 0 PXM 0 [mem 0x00000000-0x3fffffff]");
	assert_string_equal(t->lines[1], "ACPI: SRAT: Unexpected header length: 24");
	assert_string_equal(t->lines[2], "ACPI: SRAT: SRAT not used.");
	free(t);
}

static void test_numa_off(void **state)
{
	struct fwt *t = fwt_new(false);

	(void)state;
	assert_int_equal(mb_add(&t->mb, 0, 0x40000000), 0);
	numa_srat("0:0-1G", t);
	fw_numa_reset(&numa, 64, true);
	assert_int_equal(fw_numa_init_srat(&t->mb, &numa, &srat), -MB_ENOENT);
	fwt_clear(t);
	assert_int_equal(fw_numa_init_dummy(&t->mb, &numa, 0x40000, 12), 0);
	assert_string_equal(t->lines[0], "NUMA turned off");
	free(t);
}

/* Disabled entries are skipped; an SRAT with no enabled memory gives -ENOENT. */
static void test_disabled_entries(void **state)
{
	struct fwt *t = fwt_new(false);

	(void)state;
	assert_int_equal(mb_add(&t->mb, 0, 0x40000000), 0);
	numa_srat("0:0-1G:disabled", t);
	fw_numa_reset(&numa, 64, false);
	fwt_clear(t);
	assert_int_equal(fw_numa_init_srat(&t->mb, &numa, &srat), -MB_ENOENT);
	assert_int_equal(t->nr_lines, 0);
	free(t);
}

/* Malformed tables: one message naming the input, nothing parsed. */
static void test_malformed(void **state)
{
	static const struct {
		int offset; /* byte to change (-1: length only) */
		uint8_t value;
		size_t len_delta; /* bytes cut from the buffer */
		const char *msg;
	} rows[] = {
	    {0, 'X', 0, "bad: signature is not \"SRAT\""},
	    {9, 0x55, 0, "bad: bad checksum"},
	    {-1, 0, 10, "bad: header length"},
	    {49, 0, 0, "bad: subtable at offset 48"},	 /* zero length */
	    {49, 0xff, 0, "bad: subtable at offset 48"}, /* past the end */
	    {4, 20, 0, "bad: header length 20 outside"},
	};
	struct fwt *t = fwt_new(false);
	uint8_t copy[sizeof(srat_buf)];
	size_t len;

	(void)state;
	len = numa_srat("0:0-1G,1:1G-2G", t);
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		memcpy(copy, srat_buf, len);
		if (rows[i].offset >= 0) {
			copy[rows[i].offset] = rows[i].value;
			if (rows[i].offset != 9 &&
			    rows[i].offset != 0) /* keep the checksum right */
				copy[9] =
				    (uint8_t)(copy[9] - rows[i].value + srat_buf[rows[i].offset]);
		}
		fwt_clear(t);
		assert_int_equal(fw_srat_parse(copy, len - rows[i].len_delta, "bad", &srat, &t->mb),
				 -MB_EINVAL);
		assert_int_equal(t->nr_lines, 1);
		if (!strstr(t->lines[0], rows[i].msg))
			fail_msg("row %zu: \"%s\" lacks \"%s\"", i, t->lines[0], rows[i].msg);
		assert_int_equal(srat.nr_mems, 0);
	}
	free(t);
}

/* NUMA text written as a real SRAT file, read back like any other. */
static void test_srat_file(void **state)
{
	const char *path = "test_fw_srat.bin";
	struct fwt *t = fwt_new(false);

	(void)state;
	assert_int_equal(fw_numa_text_write_srat("0:0-2G,1:2G-4G:hotplug", path, &t->mb), 0);
	assert_int_equal(fw_srat_load(path, &srat, &t->mb), 0);
	remove(path);
	assert_int_equal(srat.nr_mems, 2);
	assert_true(srat.mems[1].base == 0x80000000 && srat.mems[1].length == 0x80000000 &&
		    srat.mems[1].flags == (FW_SRAT_MEM_ENABLED | FW_SRAT_MEM_HOT_PLUGGABLE));
	assert_int_equal(fw_numa_text_write_srat("0:0-2G", "/nonexistent/dir/x", &t->mb),
			 -MB_ENOENT);
	assert_string_equal(t->lines[0], "/nonexistent/dir/x: cannot write the SRAT");
	free(t);
}

static void test_numa_text_errors(void **state)
{
	static const char *const bad[] = {
	    "0:2G-1G", "x:0-1G", "0:0-1G:fast", "0:0", "cpus=0", "cpus=0:5-3", "0:0-1G junk",
	};
	struct fwt *t = fwt_new(false);
	size_t len;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		fwt_clear(t);
		assert_int_equal(
		    fw_numa_text_to_srat(bad[i], srat_buf, sizeof(srat_buf), &len, &t->mb),
		    -MB_EINVAL);
		assert_int_equal(t->nr_lines, 1);
		assert_non_null(strstr(t->lines[0], "numa: \""));
	}
	assert_int_equal(fw_numa_text_to_srat("0:0-1G", srat_buf, 60, &len, NULL), -MB_ENOSPC);
	free(t);
}

int main(void)
{
	/* clang-format off */
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_seed003),
		cmocka_unit_test(test_bounds_6_12),
		cmocka_unit_test(test_hotplug),
		cmocka_unit_test(test_node_overlap),
		cmocka_unit_test(test_short_mem_entry),
		cmocka_unit_test(test_numa_off),
		cmocka_unit_test(test_disabled_entries),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_srat_file),
		cmocka_unit_test(test_numa_text_errors),
	};
	/* clang-format on */

	return cmocka_run_group_tests(tests, NULL, NULL);
}
