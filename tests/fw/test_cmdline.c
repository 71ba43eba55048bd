// SPDX-License-Identifier: MIT
/*
 * test_cmdline.c - the kernel command line: parsing (table), memparse,
 * crashkernel= parsing and placement, mem=, reserve_mem=, gigantic pages,
 * and malformed or overflowing values.
 */
#include "fw_test.h"

static struct fw_cmdline cl;

static void test_memparse(void **state)
{
	static const struct {
		const char *s;
		int ret;
		uint64_t v;
		size_t used;
	} rows[] = {
	    {"0", 0, 0, 1},
	    {"4096", 0, 4096, 4},
	    {"0x1000", 0, 0x1000, 6},
	    {"010", 0, 8, 3},
	    {"64k", 0, 65536, 3},
	    {"2M", 0, 2ULL << 20, 2},
	    {"1G", 0, 1ULL << 30, 2},
	    {"3t", 0, 3ULL << 40, 2},
	    {"1P", 0, 1ULL << 50, 2},
	    {"1E", 0, 1ULL << 60, 2},
	    {"0x", 0, 0, 1},
	    {"12x", 0, 12, 2},
	    {"G", -MB_EINVAL, 0, 0},
	    {"", -MB_EINVAL, 0, 0},
	    {"16E", -MB_ERANGE, 0, 3},
	    {"18446744073709551616", -MB_ERANGE, 0, 20},
	    {"18446744073709551615", 0, UINT64_MAX, 20},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const char *end;
		uint64_t v = 99;
		int ret = mb_memparse(rows[i].s, &end, &v);

		if (ret != rows[i].ret || v != rows[i].v ||
		    (size_t)(end - rows[i].s) != rows[i].used)
			fail_msg("row %zu \"%s\": ret %d v %llu used %zu", i, rows[i].s, ret,
				 (unsigned long long)v, (size_t)(end - rows[i].s));
	}
}

struct cl_row {
	const char *text;
	enum fw_arch arch;
	const char *warning; /* first line printed, or NULL for none */
	bool (*check)(const struct fw_cmdline *c);
};

static bool chk_debug(const struct fw_cmdline *c)
{
	return c->memblock_debug && c->memtest_set && c->memtest_patterns == 4;
}
static bool chk_memtest_bare(const struct fw_cmdline *c)
{
	return c->memtest_set && c->memtest_patterns == 17;
}
static bool chk_memtest_hex(const struct fw_cmdline *c)
{
	return c->memtest_set && c->memtest_patterns == 0x11;
}
static bool chk_nothing(const struct fw_cmdline *c)
{
	return !c->memtest_set && !c->mem_set && !c->nr_memmap && !c->memblock_debug &&
	       !c->nr_reserve_mem && !c->initrd_set;
}
static bool chk_mem_x86(const struct fw_cmdline *c)
{
	return c->mem_set && c->mem_limit == (4ULL << 30) && c->nr_memmap == 1 &&
	       c->memmap[0].op == FW_MEMMAP_LIMIT;
}
static bool chk_mem_arm64(const struct fw_cmdline *c)
{
	return c->mem_set && c->mem_limit == 0x40000000 && !c->nr_memmap;
}
static bool chk_memmap(const struct fw_cmdline *c)
{
	const struct fw_memmap *m = c->memmap;

	return c->nr_memmap == 6 && m[0].op == FW_MEMMAP_EXACTMAP && m[1].op == FW_MEMMAP_ADD &&
	       m[1].type == FW_E820_RAM && m[1].start == 0x100000 && m[1].size == 1ULL << 30 &&
	       m[2].type == FW_E820_ACPI && m[3].type == FW_E820_RESERVED &&
	       m[4].type == FW_E820_PRAM && m[5].op == FW_MEMMAP_REMOVE && m[5].from == 0;
}
static bool chk_flags(const struct fw_cmdline *c)
{
	return c->kernelcore_mirror && c->movable_node && c->numa_off && c->initrd_set &&
	       c->initrd_start == 0x8000000 && c->initrd_size == 0x400000 && c->has_crashkernel;
}
static bool chk_reserve_mem(const struct fw_cmdline *c)
{
	return c->nr_reserve_mem == 2 && c->reserve_mem[0].size == 1 << 20 &&
	       c->reserve_mem[0].align == 64 && !strcmp(c->reserve_mem[0].name, "oops") &&
	       c->reserve_mem[1].align == 4096 && !strcmp(c->reserve_mem[1].name, "trace");
}
static bool chk_hugepages(const struct fw_cmdline *c)
{
	return c->nr_hugepages == 2 && c->hugepages[0].page_size == 1ULL << 30 &&
	       c->hugepages[0].count == 4 && c->hugepages[1].page_size == 2ULL << 20 &&
	       c->hugepages[1].count == 512;
}
static bool chk_hugepages_nodes(const struct fw_cmdline *c)
{
	const struct fw_hugepages *h = &c->hugepages[0];

	return c->nr_hugepages == 1 && h->per_node && h->count == 3 && h->node_count[0] == 1 &&
	       h->node_count[1] == 2;
}
static bool chk_quotes(const struct fw_cmdline *c)
{
	return c->memtest_set && c->memtest_patterns == 2 && c->mem_set;
}
static bool chk_dashes(const struct fw_cmdline *c)
{
	return c->movable_node && c->nr_reserve_mem == 1;
}

static void test_parse_table(void **state)
{
	static const struct cl_row rows[] = {
	    {"console=ttyS0 memtest=4 memblock=debug", FW_ARCH_RISCV64, NULL, chk_debug},
	    {"memtest", FW_ARCH_X86_64, NULL, chk_memtest_bare},
	    {"memtest=0x11", FW_ARCH_X86_64, NULL, chk_memtest_hex},
	    {"memtest=4k", FW_ARCH_X86_64, "Malformed early option 'memtest'", chk_nothing},
	    {"memtest=-1", FW_ARCH_X86_64, "Malformed early option 'memtest'", chk_nothing},
	    {"memtest=99999999999", FW_ARCH_X86_64, "Malformed early option 'memtest'",
	     chk_nothing},
	    {"root=/dev/sda foo bar=baz quiet", FW_ARCH_X86_64, NULL, chk_nothing},
	    {"mem=4G", FW_ARCH_X86_64, NULL, chk_mem_x86},
	    {"mem=0", FW_ARCH_X86_64, "Malformed early option 'mem'", chk_nothing},
	    {"mem", FW_ARCH_X86_64, "Malformed early option 'mem'", chk_nothing},
	    {"mem=nopentium", FW_ARCH_X86_64, "mem=nopentium ignored! (only supported on x86_32)",
	     chk_nothing},
	    {"mem=1025M", FW_ARCH_ARM64, "Memory limited to 1025MB", NULL},
	    {"mem=0x40000fff", FW_ARCH_ARM64, "Memory limited to 1024MB", chk_mem_arm64},
	    {"mem=99999999999999999999", FW_ARCH_X86_64,
	     "cmdline: mem=99999999999999999999: size does not fit in 64 bits, option ignored",
	     chk_nothing},
	    {"memmap=exactmap,1G@1M memmap=4K#0x9f000 memmap=64K$0xa0000,16M!4G,1M%2M",
	     FW_ARCH_X86_64, NULL, chk_memmap},
	    {"memmap=1G@1M", FW_ARCH_ARM64, NULL, chk_nothing},
	    {"mem=0x40000fff", FW_ARCH_ARM, NULL, chk_mem_arm64}, /* arm's early_mem is silent */
	    {"memmap=4K$0x40000000", FW_ARCH_ARM, NULL, chk_nothing},
	    {"memmap=junk,@@", FW_ARCH_X86_64, NULL, chk_nothing},
	    {"kernelcore=mirror movable_node numa=off initrd=0x8000000,4M crashkernel=256M",
	     FW_ARCH_X86_64, NULL, chk_flags},
	    {"reserve_mem=1M:0:oops reserve_mem=2M:4K:trace reserve_mem=1M:0:oops", FW_ARCH_X86_64,
	     NULL, chk_reserve_mem},
	    {"reserve_mem=0:0:x reserve_mem=1M:0: reserve_mem=1M:0:   "
	     "reserve_mem=1M:0:sixteen_chars_xx reserve_mem=1M",
	     FW_ARCH_X86_64, NULL, chk_nothing},
	    {"hugepagesz=1G hugepages=4 hugepagesz=2M hugepages=512", FW_ARCH_X86_64, NULL,
	     chk_hugepages},
	    {"hugepagesz=1G hugepages=0:1,1:2", FW_ARCH_X86_64, NULL, chk_hugepages_nodes},
	    {"hugepagesz=3M hugepages=4", FW_ARCH_X86_64, "HugeTLB: unsupported hugepagesz=3M",
	     NULL},
	    {"hugepagesz=1G hugepages=4 hugepages=5", FW_ARCH_X86_64,
	     "HugeTLB: hugepages= specified twice without interleaving hugepagesz=, ignoring "
	     "hugepages=5",
	     NULL},
	    {"hugepagesz=1G hugepages=x", FW_ARCH_X86_64, "HugeTLB: Invalid hugepages parameter x",
	     NULL},
	    {"hugepages=4 hugepages=5", FW_ARCH_X86_64,
	     "HugeTLB: hugepages= specified twice without interleaving hugepagesz=, ignoring "
	     "hugepages=5",
	     NULL},
	    {"hugepages=4x", FW_ARCH_X86_64, "HugeTLB: Invalid hugepages parameter 4x", NULL},
	    {"\"memtest=2\" mem=\"1G\"", FW_ARCH_X86_64, NULL, chk_quotes},
	    {"movable-node reserve-mem=1M:0:a", FW_ARCH_X86_64, NULL, chk_dashes},
	    {"-- memtest", FW_ARCH_X86_64, NULL, chk_nothing},
	};
	struct fwt *t = fwt_new(false);

	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		fwt_clear(t);
		assert_int_equal(fw_cmdline_parse(rows[i].text, rows[i].arch, &cl, &t->mb), 0);
		if (rows[i].warning && (!t->nr_lines || strcmp(t->lines[0], rows[i].warning)))
			fail_msg("row %zu \"%s\": expected \"%s\", got \"%s\"", i, rows[i].text,
				 rows[i].warning, t->nr_lines ? t->lines[0] : "(nothing)");
		if (!rows[i].warning && t->nr_lines)
			fail_msg("row %zu \"%s\": unexpected \"%s\"", i, rows[i].text, t->lines[0]);
		if (rows[i].check && !rows[i].check(&cl))
			fail_msg("row %zu \"%s\": parsed values differ", i, rows[i].text);
	}
	free(t);
}

static void test_too_long(void **state)
{
	char *big = malloc(FW_CMDLINE_MAX + 10);
	struct fwt *t = fwt_new(false);

	(void)state;
	memset(big, 'a', FW_CMDLINE_MAX + 9);
	big[FW_CMDLINE_MAX + 9] = '\0';
	assert_int_equal(fw_cmdline_parse(big, FW_ARCH_X86_64, &cl, &t->mb), -MB_ERANGE);
	assert_int_equal(t->nr_lines, 1);
	assert_non_null(strstr(t->lines[0], "longer than the 4095 the kernel keeps"));
	free(big);
	free(t);
}

struct ck_row {
	const char *line;
	uint64_t ram;
	int ret;
	uint64_t size, base, low;
	bool high;
	const char *msg;
};

static void test_crashkernel_parse(void **state)
{
	static const struct ck_row rows[] = {
	    {"crashkernel=256M", 8ULL << 30, 0, 256 << 20, 0, 0, false, NULL},
	    {"crashkernel=256M@16M", 8ULL << 30, 0, 256 << 20, 16 << 20, 0, false, NULL},
	    {"crashkernel=1M crashkernel=2M", 8ULL << 30, 0, 2 << 20, 0, 0, false, NULL},
	    {"crashkernel=512M-2G:64M,2G-:128M", 1ULL << 30, 0, 64 << 20, 0, 0, false, NULL},
	    {"crashkernel=512M-2G:64M,2G-:128M", 7ULL << 30, 0, 128 << 20, 0, 0, false, NULL},
	    {"crashkernel=512M-2G:64M,2G-:128M@32M", 7ULL << 30, 0, 128 << 20, 32 << 20, 0, false,
	     NULL},
	    {"crashkernel=1G-2G:64M", 256ULL << 20, -MB_EINVAL, 0, 0, 0, false,
	     "crashkernel size resulted in zero bytes"},
	    {"crashkernel=512M,high", 8ULL << 30, 0, 512 << 20, 0, 256 << 20, true, NULL},
	    {"crashkernel=512M,high crashkernel=64M,low", 8ULL << 30, 0, 512 << 20, 0, 64 << 20,
	     true, NULL},
	    {"crashkernel=512M,hig", 8ULL << 30, -MB_EINVAL, 0, 0, 0, false,
	     "crashkernel: unrecognized char: ,"},
	    {"crashkernel=16G", 8ULL << 30, -MB_EINVAL, 0, 0, 0, false, NULL},
	    {"crashkernel=x", 8ULL << 30, -MB_EINVAL, 0, 0, 0, false,
	     "crashkernel: memory value expected"},
	    {"crashkernel=1G:64M", 8ULL << 30, -MB_EINVAL, 0, 0, 0, false,
	     "crashkernel: '-' expected"},
	    {"crashkernel=2G-1G:64M", 8ULL << 30, -MB_EINVAL, 0, 0, 0, false,
	     "crashkernel: end <= start"},
	    {"crashkernel=1G-2G:4G", 1536ULL << 20, -MB_EINVAL, 0, 0, 0, false,
	     "crashkernel: invalid size"},
	    {"crashkernel=99999999999999999999M", 8ULL << 30, -MB_ERANGE, 0, 0, 0, false,
	     "crashkernel: size does not fit in 64 bits"},
	    {"quiet", 8ULL << 30, -MB_ENOENT, 0, 0, 0, false, NULL},
	};
	struct fwt *t = fwt_new(false);
	const struct fw_crash_arch *x86 = fw_crash_arch(FW_ARCH_X86_64);

	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		uint64_t size = 0, base = 0, low = 0;
		bool high = false;
		int ret;

		fwt_clear(t);
		ret = fw_parse_crashkernel(rows[i].line, rows[i].ram, x86, &size, &base, &low,
					   &high, &t->mb);
		if (ret != rows[i].ret)
			fail_msg("row %zu: ret %d, expected %d", i, ret, rows[i].ret);
		if (!ret && (size != rows[i].size || base != rows[i].base || low != rows[i].low ||
			     high != rows[i].high))
			fail_msg("row %zu: size %llx base %llx low %llx high %d", i,
				 (unsigned long long)size, (unsigned long long)base,
				 (unsigned long long)low, high);
		if (rows[i].msg && (!t->nr_lines || strcmp(t->lines[0], rows[i].msg)))
			fail_msg("row %zu: expected \"%s\", got \"%s\"", i, rows[i].msg,
				 t->nr_lines ? t->lines[0] : "(nothing)");
		if (!rows[i].msg && t->nr_lines)
			fail_msg("row %zu: unexpected \"%s\"", i, t->lines[0]);
	}
	free(t);
}

/*
 * The 5.x parse_crashkernel() (riscv of the boot simulator): no ,high /
 * ,low (such entries are skipped, as the kernel skips them), no check of
 * the size against RAM; 32-bit ARM has no rules.
 */
static void test_crashkernel_legacy(void **state)
{
	struct fw_crash_arch rules = *fw_crash_arch(FW_ARCH_RISCV64);
	struct fwt *t = fwt_new(false);
	uint64_t size = 1, base = 1, low = 0;
	bool high = true;

	(void)state;
	rules.has_high_low = false;
	rules.legacy_size_check = true;
	assert_null(fw_crash_arch(FW_ARCH_ARM));
	assert_int_equal(fw_parse_crashkernel("crashkernel=2G", 1ULL << 30, &rules, &size, &base,
					      &low, &high, &t->mb), 0);
	assert_int_equal(size, 2ULL << 30);
	assert_int_equal(base, 0);
	assert_false(high);
	assert_int_equal(fw_parse_crashkernel("crashkernel=256M,high", 1ULL << 30, &rules, &size,
					      &base, &low, &high, &t->mb), -MB_ENOENT);
	assert_int_equal(fw_parse_crashkernel("crashkernel=1G-2G:64M", 256ULL << 20, &rules, &size,
					      &base, &low, &high, &t->mb), 0);
	assert_int_equal(size, 0);
	assert_int_equal(t->nr_lines, 1);
	assert_string_equal(t->lines[0], "crashkernel size resulted in zero bytes");
	fwt_clear(t);
	assert_int_equal(fw_parse_crashkernel("crashkernel=64M@0x90000000 crashkernel=x",
					      1ULL << 30, &rules, &size, &base, &low, &high,
					      &t->mb), -MB_EINVAL);
	assert_string_equal(t->lines[0], "crashkernel: memory value expected");
	free(t);
}

/* x86 machine: 1M-3G and 4G-8G of RAM. */
static struct fwt *x86_machine(void)
{
	struct fwt *t = fwt_new(false);

	assert_int_equal(mb_add(&t->mb, 0x100000, 0xbff00000), 0);
	assert_int_equal(mb_add(&t->mb, 4ULL << 30, 4ULL << 30), 0);
	return t;
}

static void crash_apply(struct fwt *t, const char *line, int ret, uint64_t base, uint64_t size)
{
	uint64_t got_base = 1, got_size = 1;
	int got;

	assert_int_equal(fw_cmdline_parse(line, FW_ARCH_X86_64, &cl, NULL), 0);
	fwt_clear(t);
	got = fw_reserve_crashkernel(&t->mb, fw_crash_arch(FW_ARCH_X86_64), &cl, &got_base,
				     &got_size);
	if (got != ret || got_base != base || got_size != size)
		fail_msg("\"%s\": ret %d base 0x%llx size 0x%llx; first line \"%s\"", line, got,
			 (unsigned long long)got_base, (unsigned long long)got_size,
			 t->nr_lines ? t->lines[0] : "");
}

/*
 *  RAM     |1M ........ 3G|        |4G ........ 8G|
 *  256M                 |ck|  (top of the low 4G, 16M aligned)
 *  512M,high                               |..ck..| + 256M low |lo|
 */
static void test_crashkernel_reserve(void **state)
{
	struct fwt *t = x86_machine();
	struct fwt_snap snap;

	(void)state;
	crash_apply(t, "crashkernel=256M", 0, 0xb0000000, 256 << 20);
	assert_string_equal(
	    t->lines[0], "crashkernel reserved: 0x00000000b0000000 - 0x00000000c0000000 (256 MB)");
	assert_true(mb_is_region_reserved(&t->mb, 0xb0000000, 256 << 20));
	free(t);

	t = x86_machine();
	crash_apply(t, "crashkernel=512M,high", 0, 0x1e0000000ULL, 512 << 20);
	assert_string_equal(t->lines[0],
			    "crashkernel low memory reserved: 0xb0000000 - 0xc0000000 (256 MB)");
	assert_string_equal(
	    t->lines[1], "crashkernel reserved: 0x00000001e0000000 - 0x0000000200000000 (512 MB)");
	free(t);

	/* fixed base already in use: the kernel's message, allocator unchanged */
	t = x86_machine();
	assert_int_equal(mb_reserve(&t->mb, 0x1000000, 0x1000), 0);
	fwt_snap(t, &snap);
	crash_apply(t, "crashkernel=128M@16M", -MB_ENOMEM, 0, 0);
	assert_string_equal(t->lines[0], "crashkernel reservation failed - memory is in use.");
	fwt_assert_same(t, &snap);

	/* does not fit anywhere */
	fwt_snap(t, &snap);
	crash_apply(t, "crashkernel=5G", -MB_ENOMEM, 0, 0);
	assert_string_equal(t->lines[0], "cannot allocate crashkernel (size:0x140000000)");
	fwt_assert_same(t, &snap);

	/* overflowing size: one message, nothing reserved */
	crash_apply(t, "crashkernel=99999999999999999999G", -MB_EINVAL, 0, 0);
	assert_int_equal(t->nr_lines, 1);
	fwt_assert_same(t, &snap);

	/* low memory full: falls back above 4G and takes the default low size */
	assert_int_equal(mb_reserve(&t->mb, 0x100000, 0xbff00000), 0);
	crash_apply(t, "crashkernel=256M", -MB_ENOMEM, 0, 0);
	assert_string_equal(t->lines[0],
			    "cannot allocate crashkernel low memory (size:0x10000000).");
	free(t);
}

static void test_mem_limit(void **state)
{
	struct fwt *t = fwt_new(false);

	(void)state;
	assert_int_equal(mb_add(&t->mb, 0x80000000, 0x40000000), 0);
	assert_int_equal(mb_reserve(&t->mb, 0xbff00000, 0x100000), 0);
	assert_int_equal(fw_cmdline_parse("mem=512M", FW_ARCH_RISCV64, &cl, NULL), 0);
	assert_int_equal(fw_apply_mem_limit(&t->mb, FW_ARCH_RISCV64, &cl), 0);
	assert_int_equal(mb_phys_mem_size(&t->mb), 512 << 20);
	assert_int_equal(t->mb.reserved.cnt, 0);
	free(t);

	t = fwt_new(false);
	assert_int_equal(mb_add(&t->mb, 0x80000000, 0x40000000), 0);
	assert_int_equal(fw_cmdline_parse("mem=256M", FW_ARCH_ARM64, &cl, NULL), 0);
	assert_int_equal(fw_apply_mem_limit(&t->mb, FW_ARCH_ARM64, &cl), 0);
	assert_int_equal(mb_end_of_DRAM(&t->mb), 0x90000000);
	/* x86 applies mem= to the E820 table: no-op here */
	assert_int_equal(fw_apply_mem_limit(&t->mb, FW_ARCH_X86_64, &cl), 0);
	free(t);
}

static void test_reserve_mem(void **state)
{
	struct fwt *t = x86_machine();
	mb_phys_addr_t start, size;

	(void)state;
	assert_int_equal(fw_cmdline_parse("reserve_mem=2M:2M:ramoops", FW_ARCH_X86_64, &cl, NULL),
			 0);
	assert_int_equal(fw_reserve_mem(&t->mb, &cl), 0);
	assert_int_equal(mb_reserve_mem_find(&t->mb, "ramoops", &start, &size), 0);
	assert_int_equal(start, 0x1ffe00000ULL);
	assert_int_equal(size, 2 << 20);
	/* one option at a time; the kernel is silent when it fails */
	fwt_clear(t);
	assert_int_equal(fw_cmdline_parse("reserve_mem=1M:4K:one reserve_mem=64G:4K:huge",
					  FW_ARCH_X86_64, &cl, NULL), 0);
	assert_int_equal(cl.nr_reserve_mem, 2);
	assert_int_equal(fw_reserve_mem_one(&t->mb, &cl.reserve_mem[0]), 0);
	assert_int_equal(mb_reserve_mem_find(&t->mb, "one", &start, &size), 0);
	assert_int_equal(start, 0x1ffd00000ULL);
	assert_int_not_equal(fw_reserve_mem_one(&t->mb, &cl.reserve_mem[1]), 0);
	assert_int_not_equal(mb_reserve_mem_find(&t->mb, "huge", &start, &size), 0);
	assert_int_equal(fw_reserve_mem_one(NULL, &cl.reserve_mem[0]), -MB_EINVAL);
	free(t);
}

/*
 * Gigantic pages round-robin over the online nodes, top-down in each,
 * all but the head page marked RSRV_NOINIT.
 *   node 0 |1M ... 3G|   node 1 |4G ... 8G|
 */
static void test_gigantic_pages(void **state)
{
	static const bool online[2] = {true, true};
	struct fwt *t = x86_machine();
	unsigned long got[FW_HUGEPAGE_SIZES] = {0};

	(void)state;
	assert_int_equal(mb_set_node(&t->mb, 0, 4ULL << 30, &t->mb.memory, 0), 0);
	assert_int_equal(mb_set_node(&t->mb, 4ULL << 30, 4ULL << 30, &t->mb.memory, 1), 0);
	assert_int_equal(fw_cmdline_parse("hugepagesz=1G hugepages=3 hugepagesz=2M hugepages=9",
					  FW_ARCH_X86_64, &cl, NULL),
			 0);
	assert_int_equal(fw_reserve_gigantic_pages(&t->mb, &cl, online, 2, 1ULL << 30, got), 0);
	assert_int_equal(got[0], 3);
	assert_int_equal(got[1], 0);
	assert_true(mb_is_region_reserved(&t->mb, 0x80000000, 1ULL << 30));	/* node 0 */
	assert_true(mb_is_region_reserved(&t->mb, 0x1c0000000ULL, 1ULL << 30)); /* node 1 */
	assert_true(mb_is_region_reserved(&t->mb, 0x40000000, 1ULL << 30));	/* node 0 */
	assert_int_equal(t->mb.reserved.regions[0].base, 0x40000000);
	assert_int_equal(t->mb.reserved.regions[0].size, 0x1000);
	assert_int_equal(t->mb.reserved.regions[0].flags, MB_FLAG_NONE);
	assert_int_equal(t->mb.reserved.regions[1].flags, MB_FLAG_RSRV_NOINIT);

	/* asking for more than fits prints the kernel's shortfall line */
	assert_int_equal(fw_cmdline_parse("hugepagesz=1G hugepages=8", FW_ARCH_X86_64, &cl, NULL),
			 0);
	fwt_clear(t);
	assert_int_equal(fw_reserve_gigantic_pages(&t->mb, &cl, online, 2, 1ULL << 30, got), 0);
	assert_int_equal(got[0], 3);
	assert_true(fwt_has(
	    t, "HugeTLB: allocating 8 of page size 1.00 GiB failed.  Only allocated 3 hugepages."));
	free(t);
}

/*
 * reserve_initrd_mem(): whole pages, inside memory, not in use.
 *   memory |1M ......... 3G|
 *   initrd    |0x8000800 + 4M| -> pages 0x8000000..0x8401000
 */
static void test_initrd(void **state)
{
	struct fwt *t = x86_machine();

	(void)state;
	assert_int_equal(fw_cmdline_parse("initrdmem=0x8000800,4M", FW_ARCH_ARM64, &cl, NULL), 0);
	assert_true(cl.initrd_set && cl.initrd_start == 0x8000800 && cl.initrd_size == 4 << 20);
	assert_int_equal(fw_reserve_initrd(&t->mb, cl.initrd_start, cl.initrd_size, 4096), 0);
	assert_int_equal(t->mb.reserved.regions[0].base, 0x8000000);
	assert_int_equal(t->mb.reserved.regions[0].size, 0x401000);
	fwt_clear(t);
	assert_int_equal(fw_reserve_initrd(&t->mb, 0x8001000, 0x1000, 4096), -MB_ENOENT);
	assert_string_equal(t->lines[0],
			    "INITRD: 0x08001000+0x00001000 overlaps in-use memory region");
	assert_string_equal(t->lines[1], " - disabling initrd");
	fwt_clear(t);
	assert_int_equal(fw_reserve_initrd(&t->mb, 0xc0000000, 0x1000, 4096), -MB_ENOENT);
	assert_string_equal(
	    t->lines[0], "INITRD: 0xc0000000+0x00001000 is not a memory region - disabling initrd");
	assert_int_equal(fw_reserve_initrd(&t->mb, 0, 0, 4096), 0);
	free(t);
}

/*
 * hugepages=0:1,1:8: node 0 gets its page; node 1 holds four, then the
 * node fallback of memblock_alloc_try_nid_raw() takes node 0's last one.
 *   node 0 |1M ..|1G:p|2G:n1|3G     node 1 |4G:n1|5G:n1|6G:n1|7G:n1|8G
 */
static void test_gigantic_per_node(void **state)
{
	static const bool online[2] = {true, true};
	struct fwt *t = x86_machine();
	unsigned long got[FW_HUGEPAGE_SIZES] = {0};

	(void)state;
	assert_int_equal(mb_set_node(&t->mb, 0, 4ULL << 30, &t->mb.memory, 0), 0);
	assert_int_equal(mb_set_node(&t->mb, 4ULL << 30, 4ULL << 30, &t->mb.memory, 1), 0);
	assert_int_equal(
	    fw_cmdline_parse("hugepagesz=1G hugepages=0:1,1:8", FW_ARCH_X86_64, &cl, NULL), 0);
	fwt_clear(t);
	assert_int_equal(fw_reserve_gigantic_pages(&t->mb, &cl, online, 2, 1ULL << 30, got), 0);
	assert_int_equal(got[0], 6);
	assert_int_equal(t->nr_lines, 1);
	assert_string_equal(t->lines[0], "HugeTLB: allocating 8 of page size 1.00 GiB failed "
					 "node1.  Only allocated 5 hugepages.");
	free(t);
}

static void test_config(void **state)
{
	struct mb_config cfg;

	(void)state;
	mb_config_default(&cfg);
	assert_int_equal(fw_cmdline_parse("memblock=debug movable_node kernelcore=mirror",
					  FW_ARCH_X86_64, &cl, NULL),
			 0);
	fw_cmdline_config(&cl, &cfg);
	assert_true(cfg.debug && cfg.movable_node && cfg.mirrored_kernelcore);
}

int main(void)
{
	/* clang-format off */
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_memparse),
		cmocka_unit_test(test_parse_table),
		cmocka_unit_test(test_too_long),
		cmocka_unit_test(test_crashkernel_parse),
		cmocka_unit_test(test_crashkernel_legacy),
		cmocka_unit_test(test_crashkernel_reserve),
		cmocka_unit_test(test_mem_limit),
		cmocka_unit_test(test_reserve_mem),
		cmocka_unit_test(test_gigantic_pages),
		cmocka_unit_test(test_initrd),
		cmocka_unit_test(test_gigantic_per_node),
		cmocka_unit_test(test_config),
	};
	/* clang-format on */

	return cmocka_run_group_tests(tests, NULL, NULL);
}
