// SPDX-License-Identifier: MIT
/*
 * test_parse.c - the log parser: prefixes, every line variant, wrapped
 * and quoted mail, unified diffs, malformed lines.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <memblock/trace.h>

/* ---- prefixes ---- */

static const struct {
	const char *line;
	const char *msg;
} strip_cases[] = {
    {"[    0.000000] memblock_add: x", "memblock_add: x"},
    {"[    0.000000][    T0] memblock_add: x", "memblock_add: x"},
    {"[    0.000000][T0] memblock_add: x", "memblock_add: x"},
    {"[    1.234567] [    C1] memblock_add: x", "memblock_add: x"},
    {"<6>[    0.000000] memblock_add: x", "memblock_add: x"},
    {"<6>memblock_add: x", "memblock_add: x"},
    {"Nov 25 10:00:00 host kernel: [    0.000000] memblock_add: x", "memblock_add: x"},
    {"Nov 25 10:00:00 host kernel: memblock_add: x", "memblock_add: x"},
    {"2026-11-25T10:00:00+0000 host kernel: memblock_add: x", "memblock_add: x"},
    {"[    0.000000] host kernel: memblock_add: x", "memblock_add: x"},
    {"> [    0.000000] memblock_add: x\r", "memblock_add: x"},
    {">> > memblock_add: x  \r\n", "memblock_add: x"},
    {"  [    0.000000] memblock_add: x", "memblock_add: x"},
    {"[    0.000000]  memory size = 0x0", "memory size = 0x0"},
    {"[0x0000000080200000-0x00000000bfffffff]", "[0x0000000080200000-0x00000000bfffffff]"},
    {"", ""},
};

static void test_strip_prefixes(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(strip_cases) / sizeof(strip_cases[0]); i++) {
		size_t len;
		const char *msg =
		    mbt_strip_prefixes(strip_cases[i].line, strlen(strip_cases[i].line), &len);

		assert_int_equal(len, strlen(strip_cases[i].msg));
		assert_memory_equal(msg, strip_cases[i].msg, len);
	}
}

/* ---- one message, every variant ---- */

struct msg_case {
	const char *msg;
	enum mbt_kind kind;
	enum mbt_fn fn;
	uint64_t base, last, size, align, from, max_addr;
	int nid;
	unsigned int flags;
	unsigned long index;
	const char *caller;
	enum mbt_parse_result res;
	unsigned int digits;
};

#define NN MBT_NO_NID
#define C  MBT_PARSE_COMPLETE

static const struct msg_case msg_cases[] = {
    {"memblock_add: [0x0000000080200000-0x00000000bfffffff] setup_arch+0x40/0x4a4", MBT_RANGE_OP,
     MBT_FN_ADD, 0x80200000, 0xbfffffff, 0, 0, 0, 0, NN, 0, 0, "setup_arch+0x40/0x4a4", C, 16},
    {"memblock_add_node: [0x0000000100000000-0x000000013fffffff] nid=1 flags=4 numa_init+0x1/0x2",
     MBT_RANGE_OP, MBT_FN_ADD_NODE, 0x100000000ull, 0x13fffffffull, 0, 0, 0, 0, 1, 4, 0,
     "numa_init+0x1/0x2", C, 16},
    {"memblock_remove: [0x0000000000000000-0xfffffffffffffffe] reserve_regions+0x68/0x23c",
     MBT_RANGE_OP, MBT_FN_REMOVE, 0, 0xfffffffffffffffeull, 0, 0, 0, 0, NN, 0, 0,
     "reserve_regions+0x68/0x23c", C, 16},
    {"memblock_reserve: [0x60100000-0x60a96fb3] arm_memblock_init+0x24/0x6c", MBT_RANGE_OP,
     MBT_FN_RESERVE, 0x60100000, 0x60a96fb3, 0, 0, 0, 0, NN, 0, 0, "arm_memblock_init+0x24/0x6c", C,
     8},
    {"   memblock_free: [0x005b8000-0x005b8fff] start_kernel+0x164/0x508", MBT_RANGE_OP,
     MBT_FN_FREE, 0x5b8000, 0x5b8fff, 0, 0, 0, 0, NN, 0, 0, "start_kernel+0x164/0x508", C, 8},
    {"memblock_phys_free: [0x2dbe4000-0x2dbe3fff] pcpu_embed_first_chunk+0x680/0x7b4", MBT_RANGE_OP,
     MBT_FN_PHYS_FREE, 0x2dbe4000, 0x2dbe3fff, 0, 0, 0, 0, NN, 0, 0,
     "pcpu_embed_first_chunk+0x680/0x7b4", C, 8},
    {"__memblock_free_early: [0x00000067ebc000-0x00000067ebbfff] pcpu_dfl_fc_free+0xc/0x10",
     MBT_RANGE_OP, MBT_FN_FREE_EARLY, 0x67ebc000, 0x67ebbfff, 0, 0, 0, 0, NN, 0, 0,
     "pcpu_dfl_fc_free+0xc/0x10", C, 14},
    {"__memblock_free_late: [0x00000067ebc000-0x00000067ebcfff] x+0x1/0x2", MBT_RANGE_OP,
     MBT_FN_FREE_LATE_OLD, 0x67ebc000, 0x67ebcfff, 0, 0, 0, 0, NN, 0, 0, "x+0x1/0x2", C, 14},
    {"memblock_free_late: [0x0000000080000000-0x0000000080000fff] efi_free_boot+0x1/0x2",
     MBT_RANGE_OP, MBT_FN_FREE_LATE, 0x80000000, 0x80000fff, 0, 0, 0, 0, NN, 0, 0,
     "efi_free_boot+0x1/0x2", C, 16},
    {"memblock_physmem_add: [0x0000000080000000-0x00000000ffffffff] x+0x1/0x2", MBT_RANGE_OP,
     MBT_FN_PHYSMEM_ADD, 0x80000000, 0xffffffff, 0, 0, 0, 0, NN, 0, 0, "x+0x1/0x2", C, 16},
    {"memblock_alloc_try_nid: 74092 bytes align=0x8 nid=-1 from=0x0000000000000000 "
     "max_addr=0x0000000000000000 early_init_dt_alloc_memory_arch+0x2e/0x58",
     MBT_ALLOC_REQ, MBT_FN_ALLOC_TRY_NID, 0, 0, 74092, 8, 0, 0, -1, 0, 0,
     "early_init_dt_alloc_memory_arch+0x2e/0x58", C, 16},
    {"memblock_alloc_exact_nid_raw: 16777216 bytes align=0x200000 nid=0 "
     "from=0x0000000080200000 max_addr=0x0000000000000000 sparse_init_nid+0xac/0x210",
     MBT_ALLOC_REQ, MBT_FN_ALLOC_EXACT_NID_RAW, 0, 0, 16777216, 0x200000, 0x80200000, 0, 0, 0, 0,
     "sparse_init_nid+0xac/0x210", C, 16},
    {"memblock_alloc_try_nid_raw: 37675008 bytes align=0x20 nid=0 from=0x00000000 "
     "max_addr=0x00000000 free_area_init+0x890/0xc94",
     MBT_ALLOC_REQ, MBT_FN_ALLOC_TRY_NID_RAW, 0, 0, 37675008, 0x20, 0, 0, 0, 0, 0,
     "free_area_init+0x890/0xc94", C, 8},
    {"memblock_phys_alloc_range: 4096 bytes align=0x1000 from=0x0000000000000000 "
     "max_addr=0x0000000000000000 alloc_pmd_fixmap+0x18/0x20",
     MBT_ALLOC_REQ, MBT_FN_PHYS_ALLOC_RANGE, 0, 0, 4096, 0x1000, 0, 0, -1, 0, 0,
     "alloc_pmd_fixmap+0x18/0x20", C, 16},
    {"memblock_virt_alloc_try_nid_nopanic: 262144 bytes align=0x1000 nid=-1 from=0xdfffffff "
     "max_addr=0x0 pcpu_dfl_fc_alloc+0x24/0x2c",
     MBT_ALLOC_REQ, MBT_FN_VIRT_ALLOC_TRY_NID_NOPANIC, 0, 0, 262144, 0x1000, 0xdfffffff, 0, -1, 0,
     0, "pcpu_dfl_fc_alloc+0x24/0x2c", C, 8},
    {"memblock_virt_alloc_try_nid: 32 bytes align=0x0 nid=-1 from=0x0 max_addr=0x0 "
     "setup_arch+0x814/0xb8c",
     MBT_ALLOC_REQ, MBT_FN_VIRT_ALLOC_TRY_NID, 0, 0, 32, 0, 0, 0, -1, 0, 0,
     "setup_arch+0x814/0xb8c", C, 1},
    {"memblock_alloc_try_nid_nopanic: 16 bytes align=0x0 nid=0 from=0x0 max_addr=0x0 a+0x1/0x2",
     MBT_ALLOC_REQ, MBT_FN_ALLOC_TRY_NID_NOPANIC, 0, 0, 16, 0, 0, 0, 0, 0, 0, "a+0x1/0x2", C, 1},
    {"memblock: reserved is doubled to 256 at [0x000000009fffd000-0x000000009fffe7ff]", MBT_DOUBLED,
     MBT_FN_NONE, 0x9fffd000, 0x9fffe7ff, 0, 0, 0, 0, NN, 0, 256, "", C, 16},
    {"memblock: Failed to double memory array from 128 to 256 entries !", MBT_DOUBLE_FAILED,
     MBT_FN_NONE, 0, 0, 0, 0, 0, 0, NN, 0, 0, "", C, 0},
    {"MEMBLOCK configuration:", MBT_DUMP_BEGIN, MBT_FN_NONE, 0, 0, 0, 0, 0, 0, NN, 0, 0, "", C, 0},
    {" memory size = 0x000000003fe00000 reserved size = 0x0000000005e222db", MBT_DUMP_SIZES,
     MBT_FN_NONE, 0, 0, 0x3fe00000, 0, 0, 0, NN, 0, 0, "", C, 16},
    {" reserved.cnt  = 0x8", MBT_DUMP_CNT, MBT_FN_NONE, 0, 0, 0, 0, 0, 0, NN, 0, 8, "", C, 0},
    {" memory[0x0]\t[0x0000000080200000-0x00000000bfffffff], 0x000000003fe00000 bytes flags: 0x0",
     MBT_DUMP_REGION, MBT_FN_NONE, 0x80200000, 0xbfffffff, 0x3fe00000, 0, 0, 0, NN, 0, 0, "", C,
     16},
    {" memory[0x1c]    [0x0000000358000000-0x000000035bffffff], 0x0000000004000000 bytes on "
     "node 3 flags: 0x4",
     MBT_DUMP_REGION, MBT_FN_NONE, 0x358000000ull, 0x35bffffffull, 0x4000000, 0, 0, 0, 3, 4, 0x1c,
     "", C, 16},
    {" reserved[0x2] [0x00448000-0x0044ffff], 0x00008000 bytes", MBT_DUMP_REGION, MBT_FN_NONE,
     0x448000, 0x44ffff, 0x8000, 0, 0, 0, NN, 0, 2, "", C, 8},
    {"BIOS-e820: [mem 0x0000000000100000-0x000000007ffdffff] usable", MBT_FW_MEMORY, MBT_FN_NONE,
     0x100000, 0x7ffdffff, 0, 0, 0, 0, NN, 0, 0, "", C, 0},
    {"BIOS-e820: [mem 0x000000007ffe0000-0x000000007fffffff] reserved", MBT_FW_RESERVED,
     MBT_FN_NONE, 0x7ffe0000, 0x7fffffff, 0, 0, 0, 0, NN, 0, 0, "", C, 0},
    {"BIOS-e820: 0000000000000000 - 000000000009fc00 (usable)", MBT_FW_MEMORY, MBT_FN_NONE, 0,
     0x9fbff, 0, 0, 0, 0, NN, 0, 0, "", C, 0},
    {"  node   2: [mem 0x0000000200000000-0x0000000203ffffff]", MBT_FW_MEMORY, MBT_FN_NONE,
     0x200000000ull, 0x203ffffffull, 0, 0, 0, 0, 2, 0, 0, "", C, 0},
    {"ACPI: SRAT: Node 1 PXM 1 [mem 0x100000000-0x17fffffff]", MBT_FW_NUMA, MBT_FN_NONE,
     0x100000000ull, 0x17fffffffull, 0, 0, 0, 0, 1, 0, 0, "", C, 0},
    {"NUMA: Node 0 [mem 0x00000000-0x0009ffff] + [mem 0x00100000-0x7fffffff] -> "
     "[mem 0x00000000-0x7fffffff]",
     MBT_FW_NUMA, MBT_FN_NONE, 0, 0x7fffffff, 0, 0, 0, 0, 0, 0, 0, "", C, 0},
    {"memory: 08000000 @ 00000000 (usable)", MBT_FW_MEMORY, MBT_FN_NONE, 0, 0x7ffffff, 0, 0, 0, 0,
     NN, 0, 0, "", C, 0},
    {"OF: reserved mem: 0x0000000090000000..0x0000000093ffffff (65536 KiB) map reusable linux,cma",
     MBT_FW_RESERVED, MBT_FN_NONE, 0x90000000, 0x93ffffff, 0, 0, 0, 0, NN, 0, 0, "", C, 0},
    {"cma: Reserved 32 MiB at 0x00000000be000000", MBT_FW_RESERVED, MBT_FN_NONE, 0xbe000000,
     0xbfffffff, 0, 0, 0, 0, NN, 0, 0, "", C, 0},
    {"Kernel panic - not syncing: Failed to allocate 0x1000 bytes below 0x0.", MBT_ALLOC_FAILURE,
     MBT_FN_NONE, 0, 0, 0x1000, 0, 0, 0, NN, 0, 0, "", C, 0},
    {"Kernel panic - not syncing: early_alloc: Failed to allocate 4096 bytes align=0x1000",
     MBT_ALLOC_FAILURE, MBT_FN_NONE, 0, 0, 4096, 0x1000, 0, 0, NN, 0, 0, "early_alloc", C, 0},
    {"memblock_cap_memory_range: No memory registered yet", MBT_MEMBLOCK_OTHER, MBT_FN_NONE, 0, 0,
     0, 0, 0, 0, NN, 0, 0, "", C, 0},
    {"Linux version 5.2.1-lpae (chester@linux-8mug) (......)", MBT_NOISE, MBT_FN_NONE, 0, 0, 0, 0,
     0, 0, NN, 0, 0, "", C, 0},
    {"memblock_reserve is what reserves", MBT_NOISE, MBT_FN_NONE, 0, 0, 0, 0, 0, 0, NN, 0, 0, "", C,
     0},
    /* usable but the caller is missing: a wrapped line? */
    {"memblock_reserve: [0x00100000-0x001fffff]", MBT_RANGE_OP, MBT_FN_RESERVE, 0x100000, 0x1fffff,
     0, 0, 0, 0, NN, 0, 0, "", MBT_PARSE_PARTIAL, 8},
};

static void test_parse_messages(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(msg_cases) / sizeof(msg_cases[0]); i++) {
		const struct msg_case *c = &msg_cases[i];
		struct mbt_record rec;
		enum mbt_parse_result res = mbt_parse_message(c->msg, strlen(c->msg), &rec);

		print_message("case %zu: %s\n", i, c->msg);
		assert_int_equal(res, c->res);
		assert_int_equal(rec.kind, c->kind);
		if (c->kind == MBT_NOISE || c->kind == MBT_MEMBLOCK_OTHER)
			continue;
		assert_int_equal(rec.fn, c->fn);
		assert_int_equal(rec.base, c->base);
		assert_int_equal(rec.last, c->last);
		assert_int_equal(rec.size, c->size);
		assert_int_equal(rec.align, c->align);
		assert_int_equal(rec.from, c->from);
		assert_int_equal(rec.max_addr, c->max_addr);
		assert_int_equal(rec.nid, c->nid);
		assert_int_equal(rec.flags, c->flags);
		assert_int_equal(rec.index, c->index);
		assert_string_equal(rec.caller, c->caller);
		assert_int_equal(rec.digits, c->digits);
	}
}

/* ---- malformed memblock lines ---- */

static const struct {
	const char *msg;
	const char *why;
} bad_cases[] = {
    {"memblock_reserve: [0x1000-0x0f", "truncated line"},
    {"memblock_reserve:", "truncated line"},
    {"memblock_reserve: [0x10g0-0x1fff] x+0x1/0x2", "bad address range"},
    {"memblock_reserve: [0x2000-0x0fff] x+0x1/0x2", "end before start"},
    {"memblock_reserve: [0x11111111111111111-0x2] c", "bad address range"},
    {"memblock_add_node: [0x1000-0x1fff] nid=x flags=0 c", "bad nid"},
    {"memblock_alloc_try_nid: abc bytes align=0x8", "bad size"},
    {"memblock_alloc_try_nid: 4096 bytes align=0x", "truncated line"},
    {"memblock_alloc_try_nid: 4096 kilos align=0x8", "expected 'bytes'"},
    {"memblock_alloc_try_nid: 4096 bytes align=0x8 nid=-1 from=0xZZ max_addr=0x0 c", "bad from"},
    {" memory[0x0]\t[0x1000-0x1fff], 0x2000 bytes flags: 0x0", "size does not match the range"},
    {" memory[0x0]\t[0x1000-0x1fff],", "truncated line"},
    {" memory size = 0x1000 reserved size =", "truncated line"},
    {" reserved.cnt  = zz", "bad count"},
    {"memblock: memory is doubled to x at [0x0-0x1]", "bad entry count"},
};

static void test_parse_malformed(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		struct mbt_record rec;
		enum mbt_parse_result res =
		    mbt_parse_message(bad_cases[i].msg, strlen(bad_cases[i].msg), &rec);

		print_message("case %zu: %s\n", i, bad_cases[i].msg);
		assert_int_equal(res, MBT_PARSE_TRUNCATED);
		assert_int_equal(rec.kind, MBT_MALFORMED);
		assert_string_equal(rec.why, bad_cases[i].why);
	}
}

/* ---- whole logs: joining, diffs, quoting ---- */

struct want {
	enum mbt_kind kind;
	unsigned int line, lines;
	uint64_t base;
	const char *caller;
};

static void expect_records(const char *log, size_t len, const struct want *want, size_t n)
{
	struct mbt_parser p;
	struct mbt_record rec;
	size_t i = 0;

	mbt_parser_init(&p, log, len);
	while (mbt_parser_next(&p, &rec)) {
		assert_true(i < n);
		print_message("record %zu: line %u kind %s\n", i, rec.line,
			      mbt_kind_name(rec.kind));
		assert_int_equal(rec.kind, want[i].kind);
		assert_int_equal(rec.line, want[i].line);
		assert_int_equal(rec.lines, want[i].lines);
		assert_int_equal(rec.base, want[i].base);
		if (want[i].caller)
			assert_string_equal(rec.caller, want[i].caller);
		i++;
	}
	assert_int_equal(i, n);
}

/* A mail client wrapped every long line and double-spaced the log (log 08). */
static void test_join_wrapped(void **state)
{
	static const char log[] =
	    "[    0.000000] memblock_reserve:\n"
	    "[0x00000000bd671020-0x00000000bd67102f]\n"
	    "efi_config_parse_tables+0x192/0x1e6\n"
	    "\n"
	    "[    0.000000]  memory size = 0x000000003fe00000 reserved size =\n"
	    "0x0000000000000010\n"
	    "\n"
	    "[    0.000000]  memory[0x0] [0x0000000080200000-0x00000000bfffffff],\n"
	    "0x000000003fe00000 bytes flags: 0x0\n"
	    "\n"
	    "[    0.000000] memblock_add: [0x0000000080200000-0x00000000801fffff]\n"
	    "early_init_dt_add_memory_arch+0xac/0xbc\n"
	    "[    0.000000] efi:   0x000080200000-0x0000812befff [Loader Data\n"
	    " |   |  |  |  |  |  |  |  |   |WB|  |  |  ]\n";
	static const struct want want[] = {
	    {MBT_RANGE_OP, 1, 3, 0xbd671020, "efi_config_parse_tables+0x192/0x1e6"},
	    {MBT_DUMP_SIZES, 5, 2, 0, NULL},
	    {MBT_DUMP_REGION, 8, 2, 0x80200000, NULL},
	    {MBT_RANGE_OP, 11, 2, 0x80200000, "early_init_dt_add_memory_arch+0xac/0xbc"},
	};

	(void)state;
	expect_records(log, sizeof(log) - 1, want, sizeof(want) / sizeof(want[0]));
}

/* A unified diff of two boot logs: only the new side counts (log 11). */
static void test_unified_diff(void **state)
{
	static const char log[] =
	    " Determined physical RAM map:\n"
	    "  memory: 08000000 @ 00000000 (usable)\n"
	    "+memblock_reserve: [0x00100000-0x004b77c7] setup_arch+0x258/0x8e4\n"
	    "-memblock_reserve: [0x00200000-0x002fffff] old_side+0x1/0x2\n"
	    "@@ -16,10 +26,48 @@ Movable zone start for each node\n"
	    "+memblock_alloc_try_nid: 1048576 bytes align=0x20 nid=0\n"
	    "from=0x00000000 max_addr=0x00000000\n"
	    "alloc_node_mem_map.constprop.31+0x6c/0xc8\n"
	    "-Kernel command line: console=ttyS0\n"
	    "memblock_reserve: [0x00300000-0x003fffff] wrapped_old_side+0x1/0x2\n"
	    "+   memblock_free: [0x005b8000-0x005b8fff] start_kernel+0x164/0x508\n";
	static const struct want want[] = {
	    {MBT_FW_MEMORY, 2, 1, 0, NULL},
	    {MBT_RANGE_OP, 3, 1, 0x100000, "setup_arch+0x258/0x8e4"},
	    {MBT_ALLOC_REQ, 6, 3, 0, "alloc_node_mem_map.constprop.31+0x6c/0xc8"},
	    {MBT_RANGE_OP, 11, 1, 0x5b8000, "start_kernel+0x164/0x508"},
	};

	(void)state;
	expect_records(log, sizeof(log) - 1, want, sizeof(want) / sizeof(want[0]));
}

/* Quoted, CRLF, indented, syslog; a caller-less line not followed by a caller. */
static void test_quoted_crlf(void **state)
{
	static const char log[] =
	    "> [    0.000000] memblock_add: [0x80000000-0x8fffffff] setup_arch+0x1/0x2\r\n"
	    ">   [    0.000000] memblock_reserve: [0x80000000-0x80000fff]\r\n"
	    "> CPU: All CPU(s) started in SVC mode.\r\n"
	    "Nov 25 10:00:00 host kernel: [    0.000000] memblock_phys_free: "
	    "[0x80000000-0x80000fff] x+0x1/0x2\n"
	    "......\n"
	    "\x01\x02\xff garbage \x00 bytes\n"
	    "memblock_reserve: [0x80001000-0x8000\n";
	static const struct want want[] = {
	    {MBT_RANGE_OP, 1, 1, 0x80000000, "setup_arch+0x1/0x2"},
	    {MBT_RANGE_OP, 2, 1, 0x80000000, ""},
	    {MBT_RANGE_OP, 4, 1, 0x80000000, "x+0x1/0x2"},
	    {MBT_MALFORMED, 7, 1, 0x80001000, NULL},
	};

	(void)state;
	expect_records(log, sizeof(log) - 1, want, sizeof(want) / sizeof(want[0]));
}

static void test_names(void **state)
{
	(void)state;
	assert_string_equal(mbt_fn_name(MBT_FN_FREE_EARLY), "__memblock_free_early");
	assert_string_equal(mbt_fn_name(MBT_FN_NONE), "");
	assert_string_equal(mbt_kind_name(MBT_DUMP_REGION), "dump-region");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_strip_prefixes),  cmocka_unit_test(test_parse_messages),
	    cmocka_unit_test(test_parse_malformed), cmocka_unit_test(test_join_wrapped),
	    cmocka_unit_test(test_unified_diff),    cmocka_unit_test(test_quoted_crlf),
	    cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
