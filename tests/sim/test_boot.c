/* SPDX-License-Identifier: MIT */
/*
 * test_boot.c - boot simulator tests: the presets' golden logs (extracted
 * from the seed articles with tests/sim/extract-seed.py, compared byte for
 * byte apart from the printk prefix) and the what-if cases.
 *
 *   test_sim_boot GOLDEN_DIR
 */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <memblock/sim.h>

static const char *golden_dir = "tests/data/sim";
static const char *dtb_dir = "tests/fw"; /* the build's compiled trees */

struct capture {
	char **lines;
	enum sim_line_kind *kinds;
	size_t n, cap;
};

static void capture_line(void *ctx, enum sim_line_kind kind, const char *text)
{
	struct capture *c = ctx;

	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 256;
		c->lines = realloc(c->lines, c->cap * sizeof(*c->lines));
		c->kinds = realloc(c->kinds, c->cap * sizeof(*c->kinds));
		assert_non_null(c->lines);
		assert_non_null(c->kinds);
	}
	c->kinds[c->n] = kind;
	c->lines[c->n++] = strdup(text);
}

static void capture_free(struct capture *c)
{
	for (size_t i = 0; i < c->n; i++)
		free(c->lines[i]);
	free(c->lines);
	free(c->kinds);
	memset(c, 0, sizeof(*c));
}

/* Machines above 4G need a 64-bit phys_addr_t build (-Dphys32 has 32). */
static void need_64bit(void)
{
	if (sizeof(mb_phys_addr_t) < 8)
		skip();
}

static struct sim_boot *boot_preset(const char *name, const char *cmdline, const char *fault,
				    struct capture *c)
{
	struct sim_machine m;
	struct sim_sink sink = { capture_line, c };
	const char *faults[2] = { fault, NULL };
	struct sim_options opts = { .extra_cmdline = cmdline, .faults = faults };
	struct sim_boot *b = NULL;
	char err[256];

	assert_int_equal(sim_preset_load(&m, name, NULL, err, sizeof(err)), 0);
	if (m.phys_bits > 32)
		need_64bit();
	assert_int_equal(sim_boot(&m, &opts, &sink, &b), 0);
	assert_non_null(b);
	return b;
}

static size_t find_line(const struct capture *c, const char *text)
{
	for (size_t i = 0; i < c->n; i++)
		if (!strcmp(c->lines[i], text))
			return i;
	return SIZE_MAX;
}

static bool has_line(const struct capture *c, const char *text)
{
	return find_line(c, text) != SIZE_MAX;
}

/* Read golden @file (one line each, at least one) into @g; capture_free() it. */
static void load_golden(const char *file, struct capture *g)
{
	char path[512], line[1024];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", golden_dir, file);
	f = fopen(path, "r");
	assert_non_null(f);
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		capture_line(g, SIM_LINE_KERNEL, line); /* the kind is not compared */
	}
	fclose(f);
	assert_true(g->n > 0);
}

/* The golden file's lines must appear in the output, contiguous and in order. */
static void check_golden(const struct capture *c, const char *file)
{
	struct capture g = { 0 };
	size_t at;

	load_golden(file, &g);
	at = find_line(c, g.lines[0]);
	if (at == SIZE_MAX)
		fail_msg("first golden line not printed: '%s'", g.lines[0]);
	for (size_t i = 0; i < g.n; i++) {
		if (at + i >= c->n)
			fail_msg("output ends before golden line %zu: '%s'", i + 1, g.lines[i]);
		if (strcmp(c->lines[at + i], g.lines[i]))
			fail_msg("golden line %zu differs:\n  want '%s'\n  got  '%s'", i + 1,
				 g.lines[i], c->lines[at + i]);
	}
	capture_free(&g);
}

/* Seed 000: trace, memtest, zones, dump and the start_kernel allocations. */
static void test_riscv_golden(void **state)
{
	struct capture c = { 0 };
	struct sim_boot *b = boot_preset("riscv-virt-1g", NULL, NULL, &c);
	const struct memblock *mb = sim_boot_memblock(b);

	(void)state;
	check_golden(&c, "riscv-virt-1g.golden");
	assert_int_equal(sim_boot_stats(b)->nr_failures, 0);
	assert_int_equal(mb->memory.cnt, 1);
	assert_int_equal(sim_boot_stats(b)->memory_size, 0x3fe00000);
	assert_int_equal(sim_boot_stats(b)->present_pages, 0x3fe00);
	assert_true(has_line(&c, "Memory: 948112K/1046528K available (12972K kernel code, "
				 "2371K rwdata, 6144K rodata, 2048K init, 679K bss, 65648K "
				 "reserved, 32768K cma-reserved)"));
	sim_boot_free(b);
	capture_free(&c);
}

/* The golden file's lines must appear in the output in order (gaps allowed). */
static void check_golden_in_order(const struct capture *c, const char *file)
{
	struct capture g = { 0 };
	size_t at = 0;

	load_golden(file, &g);
	for (size_t i = 0; i < g.n; i++) {
		while (at < c->n && strcmp(c->lines[at], g.lines[i]))
			at++;
		if (at == c->n)
			fail_msg("golden line %zu missing or out of order: '%s'", i + 1,
				 g.lines[i]);
		at++;
	}
	capture_free(&g);
}

/* Seed 003: e820, SRAT, NUMA and NODE_DATA(0) lines; the setup_arch trace. */
static void test_x86_golden(void **state)
{
	struct capture c = { 0 };
	struct sim_boot *b = boot_preset("x86_64-numa-4g", NULL, NULL, &c);
	const struct memblock *mb = sim_boot_memblock(b);

	(void)state;
	check_golden_in_order(&c, "x86_64-numa-4g.fw.golden");
	check_golden_in_order(&c, "x86_64-numa-4g.trace.golden");
	assert_int_equal(sim_boot_stats(b)->nr_nodes, 2);
	assert_int_equal(mb->memory.cnt, 4);
	assert_int_equal(mb->memory.regions[2].nid, 1);
	assert_true(sim_boot_stats(b)->node_managed[0] > 0 && sim_boot_stats(b)->node_managed[1] > 0);
	sim_boot_free(b);
	capture_free(&c);
}

/* Seed 002: the dump, every allocation address of its trace (4.x names). */
static void test_arm_golden(void **state)
{
	struct capture c = { 0 };
	struct sim_boot *b = boot_preset("arm-vexpress", NULL, NULL, &c);

	(void)state;
	check_golden(&c, "arm-vexpress.golden");
	assert_int_equal(sim_boot_stats(b)->nr_failures, 0);
	assert_int_equal(sim_boot_memblock(b)->cfg.phys_bits, 32);
	sim_boot_free(b);
	capture_free(&c);
}

/* Line kinds let front ends filter: 1 + 16 memtest lines, 5 + 8 dump lines. */
static void test_riscv_kinds(void **state)
{
	struct capture c = { 0 };
	struct sim_boot *b = boot_preset("riscv-virt-1g", NULL, NULL, &c);
	size_t memtest = 0, dump = 0;

	(void)state;
	for (size_t i = 0; i < c.n; i++) {
		memtest += c.kinds[i] == SIM_LINE_MEMTEST;
		dump += c.kinds[i] == SIM_LINE_DUMP;
	}
	assert_int_equal(memtest, 17);
	assert_int_equal(dump, 13);
	sim_boot_free(b);
	capture_free(&c);
}

/*  memory   |kernel|..........free..........|dtb|...|cma|
 *  crashkernel=64M: top-down, 2M aligned, below the DTB hole */
static void test_whatif_crashkernel(void **state)
{
	struct capture c0 = { 0 }, c1 = { 0 };
	struct sim_boot *a = boot_preset("riscv-virt-1g", NULL, NULL, &c0);
	struct sim_boot *b = boot_preset("riscv-virt-1g", "crashkernel=64M", NULL, &c1);
	FILE *null = fopen("/dev/null", "w");

	(void)state;
	assert_true(has_line(&c1, "crashkernel: reserved 0x00000000b4000000 - 0x00000000b8000000 "
				  "(64 MB)"));
	assert_true(mb_is_region_reserved(sim_boot_memblock(b), 0xb4000000, 0x4000000));
	assert_false(mb_is_region_reserved(sim_boot_memblock(a), 0xb4000000, 0x4000000));
	/* 64M, and the two copies of the command line grew by " crashkernel=64M". */
	assert_int_equal(sim_boot_stats(b)->reserved_size - sim_boot_stats(a)->reserved_size,
			 (64ull << 20) + 2 * 16);
	assert_true(sim_diff(a, b, "a", "b", null) > 0);
	assert_int_equal(sim_diff(a, a, "a", "a", null), 0);
	fclose(null);
	sim_boot_free(a);
	sim_boot_free(b);
	capture_free(&c0);
	capture_free(&c1);
}

/* Too large: reported like the kernel, the boot goes on to mem_init. */
static void test_whatif_crashkernel_too_large(void **state)
{
	struct capture c = { 0 };
	struct sim_boot *b = boot_preset("riscv-virt-1g", "crashkernel=2G", NULL, &c);
	const struct sim_stats *st = sim_boot_stats(b);

	(void)state;
	assert_true(has_line(&c, "crashkernel: couldn't allocate 2097152KB"));
	assert_int_equal(st->nr_failures, 1);
	assert_string_equal(st->failures[0].what, "crashkernel");
	assert_true(st->managed_pages > 0);
	sim_boot_free(b);
	capture_free(&c);
}

static void test_whatif_mem_limit(void **state)
{
	struct capture c = { 0 };
	struct sim_boot *b = boot_preset("riscv-virt-1g", "mem=512M", NULL, &c);
	const struct memblock *mb = sim_boot_memblock(b);

	(void)state;
	assert_int_equal(mb->memory.cnt, 1);
	assert_int_equal(mb->memory.regions[0].base, 0x80200000);
	assert_int_equal(mb->memory.regions[0].size, 0x20000000);
	assert_true(has_line(&c, "  DMA32    [mem 0x0000000080200000-0x00000000a01fffff]"));
	sim_boot_free(b);
	capture_free(&c);
}

static void test_whatif_hugepages(void **state)
{
	struct capture c = { 0 };
	struct sim_boot *b = boot_preset("riscv-virt-1g", "hugepagesz=1G hugepages=1", NULL, &c);

	(void)state;
	assert_true(has_line(&c, "HugeTLB: allocating 1 of page size 1.00 GiB failed.  Only "
				 "allocated 0 hugepages."));
	assert_int_equal(sim_boot_stats(b)->nr_failures, 1);
	sim_boot_free(b);
	capture_free(&c);
}

/* A stuck-at-1 bit: memtest=1 writes zeroes, finds it, reserves its word
 * (mem=128M keeps the real writes small). */
static void test_whatif_memtest_fault(void **state)
{
	struct capture c = { 0 };
	struct sim_boot *b = boot_preset("riscv-virt-1g", "mem=128M memtest=1", "0x84000010:3:stuck1",
					   &c);

	(void)state;
	assert_true(has_line(&c, "early_memtest: # of tests: 1"));
	assert_true(has_line(&c, "  0000000000000000 bad mem addr 0x0000000084000010 - "
				 "0x0000000084000018 reserved"));
	assert_true(mb_is_reserved(sim_boot_memblock(b), 0x84000010));
	assert_false(mb_is_reserved(sim_boot_memblock(b), 0x84000018));
	assert_int_equal(sim_boot_stats(b)->memtest_bad_bytes, 8);
	sim_boot_free(b);
	capture_free(&c);
}

/*
 * Every architecture parses through src/fw: arm64 (6.x) reserves through
 * reserve_crashkernel_generic() and prints early_mem()'s line; riscv 5.x
 * skips crashkernel=,high as its parse_crashkernel() did.
 */
static void test_fw_cmdline_per_arch(void **state)
{
	struct capture c = { 0 };
	struct sim_boot *b = boot_preset("arm64-virt", "crashkernel=256M mem=1G", NULL, &c);
	size_t n = 0;

	(void)state;
	assert_true(has_line(&c, "Memory limited to 1024MB"));
	assert_true(has_line(&c, "crashkernel reserved: 0x000000006ce00000 - 0x000000007ce00000 "
				 "(256 MB)"));
	assert_int_equal(sim_boot_memblock(b)->memory.regions[0].size, 0x40000000);
	sim_boot_free(b);
	capture_free(&c);

	b = boot_preset("riscv-virt-1g", "crashkernel=256M,high mem=512M", NULL, &c);
	for (size_t i = 0; i < c.n; i++)
		n += !strncmp(c.lines[i], "crashkernel", 11) || !strncmp(c.lines[i], "Memory limited", 14);
	assert_int_equal(n, 1); /* "Memory limited to 512MB" only */
	assert_true(has_line(&c, "Memory limited to 512MB"));
	assert_int_equal(sim_boot_stats(b)->nr_failures, 0);
	sim_boot_free(b);
	capture_free(&c);
}

/* seed 004's arm64_memblock_init walk: linear map, initrd, faked node, zones. */
static void test_arm64_preset(void **state)
{
	struct capture c = { 0 };
	struct sim_boot *b = boot_preset("arm64-virt", NULL, NULL, &c);
	const struct memblock *mb = sim_boot_memblock(b);

	(void)state;
	assert_int_equal(sim_boot_stats(b)->nr_failures, 0);
	assert_true(has_line(&c, "NUMA: Faking a node at [mem 0x0000000040000000-0x00000000bfffffff]"));
	assert_true(has_line(&c, "  DMA      [mem 0x0000000040000000-0x00000000bfffffff]"));
	assert_true(has_line(&c, "  DMA32    empty"));
	assert_true(mb_is_region_reserved(mb, 0x48000000, 0x800000)); /* initrd */
	assert_true(mb_is_region_reserved(mb, 0x40210000, 0x1df0000)); /* kernel */
	assert_int_equal(mb->memory.regions[0].nid, 0);
	sim_boot_free(b);
	capture_free(&c);
}

/* A custom riscv64 machine from a device tree: memory and bootargs from it. */
static void test_dt_machine(void **state)
{
	struct capture c = { 0 };
	struct sim_sink sink = { capture_line, &c };
	struct sim_options opts = { .extra_cmdline = "memblock=debug" };
	struct sim_machine m;
	struct sim_boot *b = NULL;
	char path[512], err[256];
	const struct memblock *mb;

	(void)state;
	need_64bit();
	sim_machine_init(&m, SIM_ARCH_RISCV64);
	snprintf(path, sizeof(path), "%s/seed000.dtb", dtb_dir);
	assert_int_equal(sim_machine_set(&m, "dtb", path, err, sizeof(err)), 0);
	assert_int_equal(sim_boot(&m, &opts, &sink, &b), 0);
	mb = sim_boot_memblock(b);
	assert_int_equal(mb->memory.cnt, 1);
	assert_int_equal(mb->memory.regions[0].base, 0x80000000);
	assert_int_equal(mb->memory.regions[0].size, 0x40000000);
	assert_true(has_line(&c, "Kernel command line: console=ttyS0,115200n8 earlycon=sbi "
				 "rootfstype=ext4 root=/dev/mmcblk0p4 rootwait rw isolcpus=3 "
				 "memtest=4 memblock=debug"));
	assert_true(has_line(&c, "early_memtest: # of tests: 4"));
	sim_boot_free(b);
	capture_free(&c);
}

static void test_bad_machine(void **state)
{
	struct sim_machine m;
	struct sim_boot *b = (struct sim_boot *)&m;
	char err[256];

	(void)state;
	sim_machine_init(&m, SIM_ARCH_RISCV64);
	assert_int_equal(sim_boot(&m, NULL, NULL, &b), -MB_EINVAL); /* no RAM */
	assert_null(b);
	assert_int_equal(sim_preset_load(&m, "no-such-preset", NULL, err, sizeof(err)), -MB_ENOENT);
	assert_int_equal(sim_machine_set(&m, "ram", "0x1000:zz", err, sizeof(err)), -MB_EINVAL);
	assert_int_equal(sim_machine_set(&m, "bogus", "1", err, sizeof(err)), -MB_EINVAL);
	assert_string_equal(err, "unknown setting 'bogus'");
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_riscv_golden),
		cmocka_unit_test(test_riscv_kinds),
		cmocka_unit_test(test_arm_golden),
		cmocka_unit_test(test_x86_golden),
		cmocka_unit_test(test_whatif_crashkernel),
		cmocka_unit_test(test_whatif_crashkernel_too_large),
		cmocka_unit_test(test_whatif_mem_limit),
		cmocka_unit_test(test_whatif_hugepages),
		cmocka_unit_test(test_whatif_memtest_fault),
		cmocka_unit_test(test_arm64_preset),
		cmocka_unit_test(test_fw_cmdline_per_arch),
		cmocka_unit_test(test_dt_machine),
		cmocka_unit_test(test_bad_machine),
	};

	if (argc > 1)
		golden_dir = argv[1];
	if (argc > 2)
		dtb_dir = argv[2];
	return cmocka_run_group_tests(tests, NULL, NULL);
}
