// SPDX-License-Identifier: MIT
/*
 * test_dt.c - the device tree front end on trees compiled from
 * tests/data/fw/ (the .dts files) at build time: memory nodes, /chosen,
 * /reserved-memory, /memreserve/, usable-memory-range, NUMA ids, and a
 * table of corrupted blobs (one libfdt error each, allocator unchanged).
 */
#include <libfdt.h>

#include "fw_test.h"

static const char *dtb_dir = ".";
static struct fw_dt dt;

static void *load(const char *file, size_t *len)
{
	char path[1024];
	void *buf;

	snprintf(path, sizeof(path), "%s/%s", dtb_dir, file);
	assert_int_equal(fw_dt_load(path, &buf, len, NULL), 0);
	return buf;
}

/* Seed 000: one 1G bank at 0x80000000 and the bootargs of the seed. */
static void test_seed000(void **state)
{
	struct fwt *t = fwt_new(true);
	struct fw_cmdline cl;
	size_t len;
	void *blob = load("seed000.dtb", &len);

	(void)state;
	fw_set_caller(FW_CALLER_DT_ADD_MEMORY, "setup_arch+0x40/0x4a4");
	assert_int_equal(fw_dt_open(&dt, blob, len, "seed000.dtb", NULL, &t->mb), 0);
	assert_int_equal(fw_dt_scan_nodes(&t->mb, &dt), 0);
	fw_set_caller(FW_CALLER_DT_ADD_MEMORY, NULL);
	assert_string_equal(
	    t->lines[0],
	    "memblock_add: [0x0000000080000000-0x00000000bfffffff] setup_arch+0x40/0x4a4");
	assert_int_equal(t->mb.memory.cnt, 1);
	assert_int_equal(mb_phys_mem_size(&t->mb), 0x40000000);
	assert_string_equal(dt.bootargs, "console=ttyS0,115200n8 earlycon=sbi rootfstype=ext4 "
					 "root=/dev/mmcblk0p4 rootwait rw isolcpus=3 memtest=4");
	assert_int_equal(fw_cmdline_parse(dt.bootargs, FW_ARCH_RISCV64, &cl, NULL), 0);
	assert_true(cl.memtest_set && cl.memtest_patterns == 4);
	free(blob);
	free(t);
}

/*
 * board.dts, 6.12 order:
 *   memory   |80000000 ..... c0000000| |c0001000+2000|   |1_00000000 .. 1_40000000| HOTPLUG
 *   nomap    |opensbi|
 *   reserved     |initrd? no| |ramoops+overlap| |elfcorehdr| |cma 9c000000|    |dma-pool (nomap)|
 */
static void test_board(void **state)
{
	/* clang-format off */
	static const char *const expect[] = {
		"OF: fdt: Ignoring memory block 0xd0000100 - 0xd0000200",
		"OF: fdt: Reserving 64 KiB of memory at 0x8f000000 for elfcorehdr",
		"Reserved memory: created CMA memory pool at 0x000000009c000000, size 64 MiB",
		"OF: reserved mem: initialized node linux,cma, compatible id shared-dma-pool",
		"OF: reserved mem: 0x000000009c000000..0x000000009fffffff (65536 KiB) map reusable linux,cma",
		"Reserved memory: created DMA memory pool at 0x000000013ff00000, size 1 MiB",
		"OF: reserved mem: initialized node dma-pool, compatible id shared-dma-pool",
		"OF: reserved mem: 0x000000013ff00000..0x000000013fffffff (1024 KiB) nomap non-reusable dma-pool",
		"OF: reserved mem: 0x0000000080000000..0x00000000801fffff (2048 KiB) nomap non-reusable opensbi@80000000",
		"OF: reserved mem: 0x000000008e000000..0x000000008e0fffff (1024 KiB) map non-reusable ramoops@8e000000",
		"OF: reserved mem: 0x000000008e080000..0x000000008e17ffff (1024 KiB) map non-reusable overlap@8e080000",
		"OF: reserved mem: OVERLAP DETECTED!",
		"ramoops@8e000000 (0x000000008e000000--0x000000008e100000) overlaps with overlap@8e080000 (0x000000008e080000--0x000000008e180000)",
		NULL
	};
	/* clang-format on */
	struct fwt *t = fwt_new(false);
	const struct memblock_region *m;
	size_t len;
	void *blob = load("board.dtb", &len);

	(void)state;
	assert_int_equal(fw_dt_apply(&t->mb, &dt, blob, len, "board.dtb", NULL, 0x8fe00000), 0);
	fwt_expect_lines(t, expect);

	m = t->mb.memory.regions;
	assert_int_equal(t->mb.memory.cnt, 5);
	assert_true(m[0].base == 0x80000000 && m[0].size == 0x200000 &&
		    m[0].flags == MB_FLAG_NOMAP);
	assert_true(m[1].base == 0x80200000 && m[1].size == 0x3fe00000 && m[1].flags == 0);
	assert_true(m[2].base == 0xc0001000 && m[2].size == 0x2000);
	assert_true(m[3].base == 0x100000000ULL && m[3].size == 0x3ff00000 &&
		    m[3].flags == MB_FLAG_HOTPLUG);
	assert_true(m[4].base == 0x13ff00000ULL && m[4].flags == (MB_FLAG_HOTPLUG | MB_FLAG_NOMAP));

	assert_true(mb_is_region_reserved(&t->mb, 0x88000000, 0x10000));   /* /memreserve/ */
	assert_true(mb_is_region_reserved(&t->mb, 0x8fe00000, len));	   /* the blob */
	assert_true(mb_is_region_reserved(&t->mb, 0x8e000000, 0x180000));  /* ramoops+overlap */
	assert_true(mb_is_region_reserved(&t->mb, 0x8f000000, 0x10000));   /* elfcorehdr */
	assert_true(mb_is_region_reserved(&t->mb, 0x9c000000, 0x4000000)); /* cma */
	assert_false(mb_is_region_reserved(&t->mb, 0x8d000000, 0x100000)); /* disabled */
	assert_false(mb_is_region_reserved(&t->mb, 0x80000000, 0x200000)); /* no-map */

	assert_true(dt.has_initrd && dt.initrd_start == 0x84000000 && dt.initrd_end == 0x84400000);
	assert_string_equal(dt.bootargs, "console=ttyS0 memblock=debug crashkernel=64M");
	assert_int_equal(dt.nr_rmem, 5);
	free(blob);
	free(t);
}

/*
 * Dynamic regions follow their neighbours (6.12 __reserved_mem_alloc_in_range):
 *   a  |48000000 ...... [a]|            top-down (no neighbour)
 *   b                      |[b] ...... 4a000000|   starts at a's end: bottom-up
 *   c  |48000000 .... [c]|                  ends at a's start: top-down
 */
static void test_rmem_edges(void **state)
{
	/* clang-format off */
	static const char *const expect[] = {
		"OF: reserved mem: Reserved memory: invalid reg property in 'bad-reg', skipping node.",
		"OF: reserved mem: 0x0000000048f00000..0x0000000048ffffff (1024 KiB) map non-reusable a",
		"OF: reserved mem: 0x0000000049000000..0x00000000490fffff (1024 KiB) map non-reusable b",
		"OF: reserved mem: 0x0000000048e00000..0x0000000048efffff (1024 KiB) map non-reusable c",
		"OF: reserved mem: failed to allocate memory for node 'huge': size 512 MiB",
		"OF: reserved mem: invalid size property in 'badsize' node.",
		"OF: reserved mem: 0x0000000040000000..0x00000000400fffff (1024 KiB) map non-reusable fw@40000000",
		"OF: reserved mem: Reserved memory: invalid reg property in 'bad-reg', skipping node.",
		"Reserved memory: incorrect alignment of CMA region",
		"OF: reserved mem: node cma-misaligned compatible matching fail",
		NULL
	};
	/* clang-format on */
	struct fwt *t = fwt_new(false);
	size_t len;
	void *blob = load("rmem_edge.dtb", &len);

	(void)state;
	assert_int_equal(fw_dt_apply(&t->mb, &dt, blob, len, "rmem_edge.dtb", NULL, 0), 0);
	fwt_expect_lines(t, expect);
	assert_true(mb_is_region_reserved(&t->mb, 0x40000000, 0x100000));
	assert_false(mb_is_region_reserved(&t->mb, 0x42100000, 0x100000)); /* freed again */
	assert_true(mb_bottom_up(&t->mb) == false);			   /* restored */
	assert_int_equal(dt.nr_rmem, 5);
	assert_int_equal(dt.rmem_total, 5);
	free(blob);
	free(t);
}

/*
 * numa-node-id on the memory nodes. board.dts ends with memory nodes that
 * have none: 6.12's of_numa_parse_memory_nodes() returns what the last
 * memory node gave, so the whole parse fails (the kernel then fakes one
 * node); before 6.12 the ids given go straight to memblock.
 */
static void test_board_numa(void **state)
{
	struct fwt *t = fwt_new(false);
	struct fw_numa *numa = malloc(sizeof(*numa));
	size_t len;
	void *blob = load("board.dtb", &len);

	(void)state;
	assert_non_null(numa);
	assert_int_equal(fw_dt_open(&dt, blob, len, "board.dtb", NULL, &t->mb), 0);
	assert_int_equal(fw_dt_scan_nodes(&t->mb, &dt), 0);
	fw_numa_reset(numa, 64, false);
	assert_int_equal(fw_dt_numa_init(&t->mb, &dt, numa), -MB_ENOENT);
	assert_int_equal(numa->meminfo.nr_blks, 2);

	fw_numa_reset(numa, 64, false);
	numa->legacy_of = true;
	assert_int_equal(fw_dt_numa_init(&t->mb, &dt, numa), 0);
	assert_int_equal(t->mb.memory.regions[0].nid, 0);
	assert_int_equal(t->mb.memory.regions[1].nid, MB_NUMA_NO_NODE); /* reset by 6.12 above */
	assert_int_equal(t->mb.memory.regions[2].nid, 1);
	assert_true(numa->node_parsed[0] && numa->node_parsed[1] && !numa->node_parsed[2]);
	assert_int_equal(numa->meminfo.nr_blks, 0);
	free(numa);
	free(blob);
	free(t);
}

/* kdump: memory capped to the usable range, the second range added back. */
static void test_kdump(void **state)
{
	struct fwt *t = fwt_new(false);
	size_t len;
	void *blob = load("kdump.dtb", &len);

	(void)state;
	assert_int_equal(fw_dt_apply(&t->mb, &dt, blob, len, "kdump.dtb", NULL, 0), 0);
	assert_int_equal(t->mb.memory.cnt, 2);
	assert_true(t->mb.memory.regions[0].base == 0x80000000 &&
		    t->mb.memory.regions[0].size == 0x1000000);
	assert_true(t->mb.memory.regions[1].base == 0x90000000 &&
		    t->mb.memory.regions[1].size == 0x8000000);
	assert_string_equal(t->lines[t->nr_lines - 1],
			    "OF: reserved mem: Reserved memory: No reserved-memory node in the DT");
	free(blob);
	free(t);
}

/* riscv: memory below the kernel's PHYS_OFFSET is clipped, as in log 08. */
static void test_phys_offset(void **state)
{
	const struct fw_dt_arch arch = {.phys_offset = 0x80200000};
	struct fwt *t = fwt_new(false);
	size_t len;
	void *blob = load("seed000.dtb", &len);

	(void)state;
	assert_int_equal(fw_dt_open(&dt, blob, len, "seed000.dtb", &arch, &t->mb), 0);
	assert_int_equal(fw_dt_scan_nodes(&t->mb, &dt), 0);
	assert_string_equal(t->lines[0], "OF: fdt: Ignoring memory range 0x80000000 - 0x80200000");
	assert_int_equal(t->mb.memory.regions[0].base, 0x80200000);
	free(blob);
	free(t);
}

#define IN_STRUCT 0x10000 /* offset counted from the structure block */

struct bad_row {
	const char *what;
	size_t offset; /* byte to overwrite (big-endian u32), or SIZE_MAX */
	uint32_t value;
	size_t cut;  /* bytes cut off the end */
	int fdt_err; /* expected libfdt error */
};

/* Every kind of corruption: one line naming the input, nothing applied. */
static void test_malformed(void **state)
{
	/* clang-format off */
	static const struct bad_row rows[] = {
		{ "bad magic", 0, 0x12345678, 0, -FDT_ERR_BADMAGIC },
		{ "bad version", 20, 1, 0, -FDT_ERR_BADVERSION },
		{ "bad last compatible version", 24, 99, 0, -FDT_ERR_BADVERSION },
		{ "truncated", SIZE_MAX, 0, 100, -FDT_ERR_TRUNCATED },
		{ "totalsize too big", 4, 0x100000, 0, -FDT_ERR_TRUNCATED },
		{ "struct offset out", 8, 0x7ffffff0, 0, -FDT_ERR_TRUNCATED },
		{ "struct offset unaligned", 8, 0x3a, 0, -FDT_ERR_BADSTRUCTURE },
		{ "strings offset out", 12, 0x7ffffff0, 0, -FDT_ERR_TRUNCATED },
		{ "rsvmap inside the header", 16, 3, 0, -FDT_ERR_TRUNCATED },
		{ "strings size too big", 32, 0x7fffffff, 0, -FDT_ERR_TRUNCATED },
		{ "strings size 0", 32, 0, 0, -FDT_ERR_BADOFFSET },
		{ "struct size too small", 36, 8, 0, -FDT_ERR_TRUNCATED },
		{ "bad first tag", IN_STRUCT + 0, 0x7f, 0, -FDT_ERR_BADSTRUCTURE },
		{ "end node too early", IN_STRUCT + 8, 2, 0, -FDT_ERR_BADSTRUCTURE },
		{ "property length", IN_STRUCT + 12, 0x7fffff00, 0, -FDT_ERR_BADSTRUCTURE },
		{ "property name offset", IN_STRUCT + 16, 0x7fffff00, 0, -FDT_ERR_BADOFFSET },
	};
	/* clang-format on */
	struct fwt *t = fwt_new(false);
	struct fwt_snap snap;
	size_t len;
	uint8_t *blob = load("board.dtb", &len), *copy = malloc(len);

	(void)state;
	assert_int_equal(mb_add(&t->mb, 0x40000000, 0x1000000), 0);
	fwt_snap(t, &snap);
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		size_t off = rows[i].offset;
		char expect[256];
		int ret;

		memcpy(copy, blob, len);
		if (off != SIZE_MAX && off >= IN_STRUCT)
			off = off - IN_STRUCT + fdt_off_dt_struct(blob);
		if (off != SIZE_MAX) {
			copy[off] = (uint8_t)(rows[i].value >> 24);
			copy[off + 1] = (uint8_t)(rows[i].value >> 16);
			copy[off + 2] = (uint8_t)(rows[i].value >> 8);
			copy[off + 3] = (uint8_t)rows[i].value;
		}
		fwt_clear(t);
		ret = fw_dt_apply(&t->mb, &dt, copy, len - rows[i].cut, "bad.dtb", NULL, 0x1000);
		snprintf(expect, sizeof(expect), "bad.dtb: invalid device tree: %s",
			 fdt_strerror(rows[i].fdt_err));
		if (ret != -MB_EINVAL || t->nr_lines != 1 || strcmp(t->lines[0], expect))
			fail_msg("%s: ret %d, %d lines, \"%s\" (expected \"%s\")", rows[i].what,
				 ret, t->nr_lines, t->nr_lines ? t->lines[0] : "", expect);
		fwt_assert_same(t, &snap);
	}
	/* version 8, last compatible 2: valid for libfdt's header check */
	memcpy(copy, blob, len);
	memcpy(copy + 20, "\0\0\0\x08\0\0\0\x02", 8);
	fwt_clear(t);
	assert_int_equal(fw_dt_apply(&t->mb, &dt, copy, len, "old.dtb", NULL, 0), -MB_EINVAL);
	assert_string_equal(t->lines[0], "old.dtb: invalid device tree: FDT_ERR_BADVERSION");
	fwt_assert_same(t, &snap);
	fwt_clear(t);
	assert_int_equal(fw_dt_apply(&t->mb, &dt, blob, 20, "short.dtb", NULL, 0), -MB_EINVAL);
	assert_string_equal(t->lines[0], "short.dtb: 20 bytes, too short for a device tree header");
	fwt_assert_same(t, &snap);
	free(copy);
	free(blob);
	free(t);
}

static void test_load_errors(void **state)
{
	struct fwt *t = fwt_new(false);
	void *buf = NULL;
	size_t len;

	(void)state;
	assert_int_equal(fw_dt_load("/nonexistent/x.dtb", &buf, &len, &t->mb), -MB_ENOENT);
	assert_string_equal(t->lines[0], "/nonexistent/x.dtb: cannot open file");
	fwt_clear(t);
	/* A source is bytes like any other: the library never runs dtc. */
	assert_int_equal(fw_dt_load("/nonexistent/x.dts", &buf, &len, &t->mb), -MB_ENOENT);
	assert_string_equal(t->lines[0], "/nonexistent/x.dts: cannot open file");
	free(t);
}

int main(int argc, char **argv)
{
	/* clang-format off */
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_seed000),
		cmocka_unit_test(test_board),
		cmocka_unit_test(test_rmem_edges),
		cmocka_unit_test(test_board_numa),
		cmocka_unit_test(test_kdump),
		cmocka_unit_test(test_phys_offset),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_load_errors),
	};
	/* clang-format on */

	if (argc > 1)
		dtb_dir = argv[1];
	return cmocka_run_group_tests(tests, NULL, NULL);
}
