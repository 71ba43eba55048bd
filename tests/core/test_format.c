// SPDX-License-Identifier: MIT
/*
 * test_format.c - byte-exact text (spec 8): the MEMBLOCK configuration
 * dump, debugfs files, trace lines of every profile, %pa at 64 and 32
 * bits, the mb_text builder.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "harness.h"

static void expect_lines(const struct harness *h, const char *const *want, int n)
{
	int i;

	if (h->nlines != n)
		h_print_lines(h);
	assert_int_equal(h->nlines, n);
	for (i = 0; i < n; i++)
		assert_string_equal(h->lines[i].text, want[i]);
}

static void phys32(struct mb_config *cfg)
{
	cfg->phys_bits = 32;
}

/*  memory   |--n0--|  |--n1 (HOTPLUG)--|      reserved |r|
 *  physmem  |----------------------------|                   */
static void fill(struct harness *h)
{
	assert_int_equal(mb_add_node(&h->mb, 0x60000000, 0x4000000, 0, 0), 0);
	assert_int_equal(mb_add_node(&h->mb, 0x68000000, 0x8000000, 1, MB_FLAG_HOTPLUG), 0);
	assert_int_equal(mb_reserve(&h->mb, 0x60004000, 0x4000), 0);
	assert_int_equal(mb_reserved_mark_noinit(&h->mb, 0x60004000, 0x1000), 0);
}

static void test_dump_64(void **state)
{
	static const char *const want[] = {
		"MEMBLOCK configuration:",
		" memory size = 0x000000000c000000 reserved size = 0x0000000000004000",
		" memory.cnt  = 0x2",
		" memory[0x0]\t[0x0000000060000000-0x0000000063ffffff], 0x0000000004000000 bytes on node 0 flags: 0x0",
		" memory[0x1]\t[0x0000000068000000-0x000000006fffffff], 0x0000000008000000 bytes on node 1 flags: 0x1",
		" reserved.cnt  = 0x2",
		" reserved[0x0]\t[0x0000000060004000-0x0000000060004fff], 0x0000000000001000 bytes flags: 0x10",
		" reserved[0x1]\t[0x0000000060005000-0x0000000060007fff], 0x0000000000003000 bytes flags: 0x0",
	};
	struct harness *h = h_new(8, 8);

	(void)state;
	fill(h);
	h_clear_lines(h);
	mb_dump_all(&h->mb);
	expect_lines(h, want, 8);
	assert_int_equal(h->lines[0].level, MB_LOG_INFO);
	/* memblock_dump_all prints nothing without memblock=debug */
	h->mb.debug = false;
	h_clear_lines(h);
	mb_dump_all(&h->mb);
	assert_int_equal(h->nlines, 0);
	mb_dump(&h->mb);
	assert_int_equal(h->nlines, 8);
	h_free(h);
}

static void test_dump_32(void **state)
{
	static const char *const want[] = {
		"MEMBLOCK configuration:",
		" memory size = 0x0c000000 reserved size = 0x00004000",
		" memory.cnt  = 0x2",
		" memory[0x0]\t[0x60000000-0x63ffffff], 0x04000000 bytes on node 0 flags: 0x0",
		" memory[0x1]\t[0x68000000-0x6fffffff], 0x08000000 bytes on node 1 flags: 0x1",
		" reserved.cnt  = 0x2",
		" reserved[0x0]\t[0x60004000-0x60004fff], 0x00001000 bytes flags: 0x10",
		" reserved[0x1]\t[0x60005000-0x60007fff], 0x00003000 bytes flags: 0x0",
	};
	struct harness *h = h_new_cfg(8, 8, phys32);

	(void)state;
	fill(h);
	h_clear_lines(h);
	mb_dump_all(&h->mb);
	expect_lines(h, want, 8);
	h_free(h);
}

static void test_dump_empty_and_physmem(void **state)
{
	static const char *const want[] = {
		"MEMBLOCK configuration:",
		" memory size = 0x0000000000000000 reserved size = 0x0000000000000000",
		" memory.cnt  = 0x0",
		" reserved.cnt  = 0x0",
		" physmem.cnt  = 0x1",
		" physmem[0x0]\t[0x0000000000000000-0x000000007fffffff], 0x0000000080000000 bytes flags: 0x0",
	};
	struct harness *h = h_new(8, 8);

	(void)state;
	assert_int_equal(mb_physmem_add(&h->mb, 0, 0x80000000), -MB_EINVAL);
	h_free(h);
	h = h_new(8, 8);
	h->cfg.physmem_regions = h->phys;
	h->cfg.physmem_max = 4;
	assert_int_equal(mb_init(&h->mb, &h->cfg), 0);
	assert_int_equal(mb_physmem_add(&h->mb, 0, 0x80000000), 0);
	h_clear_lines(h);
	mb_dump_all(&h->mb);
	expect_lines(h, want, 6);
	h_free(h);
}

static void test_debugfs(void **state)
{
	static const char *const want_mem[] = {
		"   0: 0x0000000060000000..0x0000000063ffffff    0 NONE",
		"   1: 0x0000000068000000..0x000000006fffffff    1 HOTPLUG",
	};
	static const char *const want_res[] = {
		"   0: 0x0000000060004000..0x0000000060004fff    x RSV_NIT",
		"   1: 0x0000000060005000..0x0000000060007fff    x NONE",
	};
	struct harness *h = h_new(8, 8);

	(void)state;
	fill(h);
	h_clear_lines(h);
	mb_debugfs_show(&h->mb, &h->mb.memory);
	expect_lines(h, want_mem, 2);
	h_clear_lines(h);
	mb_debugfs_show(&h->mb, &h->mb.reserved);
	expect_lines(h, want_res, 2);
	/* several flags, and a bit 6.12 has no name for */
	assert_int_equal(mb_mark_nomap(&h->mb, 0x68000000, 0x1000), 0);
	h->mb.memory.regions[2].flags |= 0x40;
	h_clear_lines(h);
	mb_debugfs_show(&h->mb, &h->mb.memory);
	assert_string_equal(h->lines[1].text,
			    "   1: 0x0000000068000000..0x0000000068000fff    1 HOTPLUG|NOMAP");
	assert_string_equal(h->lines[2].text,
			    "   2: 0x0000000068001000..0x000000006fffffff    1 HOTPLUG|UNKNOWN");
	h_free(h);
}

/* A hook of the caller's: mb_dump_to() and mb_debugfs_show_to() print there. */
struct collected {
	char text[16][MB_TEXT_MAX];
	int n;
};

static void collect(void *ctx, enum mb_log_level level, const char *line)
{
	struct collected *c = ctx;

	assert_int_equal(level, MB_LOG_INFO);
	assert_true(c->n < 16);
	strcpy(c->text[c->n++], line);
}

static void test_dump_to(void **state)
{
	struct harness *h = h_new(8, 8);
	struct collected c = {0};
	struct memblock before;
	char line3[MB_TEXT_MAX];

	(void)state;
	fill(h);
	h_clear_lines(h);
	memcpy(&before, &h->mb, sizeof(before));
	mb_dump_to(&h->mb, collect, &c);
	assert_int_equal(c.n, 8);
	assert_string_equal(c.text[0], "MEMBLOCK configuration:");
	assert_string_equal(c.text[3], h_w(" memory[0x0]\t[0x0000000060000000-0x0000000063ffffff], "
					   "0x0000000004000000 bytes on node 0 flags: 0x0"));
	strcpy(line3, c.text[3]);
	c.n = 0;
	mb_debugfs_show_to(&h->mb, &h->mb.reserved, collect, &c);
	assert_int_equal(c.n, 2);
	assert_string_equal(c.text[0], h_w("   0: 0x0000000060004000..0x0000000060004fff    x RSV_NIT"));
	/* a NULL hook prints nothing; ops.print saw none of it */
	mb_dump_to(&h->mb, NULL, NULL);
	mb_debugfs_show_to(&h->mb, &h->mb.memory, NULL, NULL);
	assert_int_equal(h->nlines, 0);
	/* the instance, its ops and line buffer included, is as it was */
	assert_memory_equal(&before, &h->mb, sizeof(before));
	/* the instance's own hook gets the same text */
	mb_dump(&h->mb);
	assert_int_equal(h->nlines, 8);
	assert_string_equal(h->lines[3].text, line3);
	h_free(h);
}

static void test_trace_lines(void **state)
{
	static const char *const want[] = {
		"memblock_add: [0x0000000080000000-0x00000000bfffffff] setup_arch+0x40/0x4a4",
		"memblock_add_node: [0x00000000c0000000-0x00000000c0ffffff] nid=1 flags=8 setup_arch+0x40/0x4a4",
		"memblock_reserve: [0x0000000080200000-0x0000000081ffffff] setup_arch+0x40/0x4a4",
		"memblock_remove: [0x00000000c0000000-0x00000000c0ffffff] setup_arch+0x40/0x4a4",
		"memblock_phys_free: [0x0000000080200000-0x00000000802fffff] setup_arch+0x40/0x4a4",
		"memblock_phys_alloc_range: 4096 bytes align=0x1000 from=0x0000000000000000 max_addr=0x0000000000000000 setup_arch+0x40/0x4a4",
		"memblock_reserve: [0x00000000bffff000-0x00000000bfffffff] memblock_alloc_range_nid",
		"memblock_alloc_try_nid_raw: 8 bytes align=0x0 nid=-1 from=0x0000000000000000 max_addr=0x0000000000000000 0x0",
		"memblock_reserve: [0x00000000bfffefc0-0x00000000bfffefc7] memblock_alloc_range_nid",
	};
	struct harness *h = h_new(8, 8);
	mb_phys_addr_t got;

	(void)state;
	mb_set_caller(&h->mb, "setup_arch+0x40/0x4a4");
	assert_int_equal(mb_add(&h->mb, 0x80000000, 0x40000000), 0);
	assert_int_equal(mb_add_node(&h->mb, 0xc0000000, 0x1000000, 1, MB_FLAG_DRIVER_MANAGED), 0);
	assert_int_equal(mb_reserve(&h->mb, 0x80200000, 0x1e00000), 0);
	assert_int_equal(mb_remove(&h->mb, 0xc0000000, 0x1000000), 0);
	assert_int_equal(mb_phys_free(&h->mb, 0x80200000, 0x100000), 0);
	assert_int_equal(mb_phys_alloc(&h->mb, 0x1000, 0x1000, &got), 0);
	mb_set_caller(&h->mb, NULL);
	assert_int_equal(mb_alloc_try_nid_raw(&h->mb, 8, 0, 0, 0, -1, NULL, &got), 0);
	expect_lines(h, want, 9);
	/* no memblock=debug: no trace */
	h->mb.debug = false;
	h_clear_lines(h);
	assert_int_equal(mb_reserve(&h->mb, 0x90000000, 0x1000), 0);
	assert_int_equal(h->nlines, 0);
	h_free(h);
}

static void use_4x(struct mb_config *cfg)
{
	cfg->profile = mb_profile_by_name("4.x");
	cfg->phys_bits = 32;
	cfg->callers.alloc_internal = "memblock_virt_alloc_internal+0xec/0x1cc";
}

/* Seed 002 (ARM, 4.x): virt alloc names, short addresses, __memblock_free_early. */
static void test_trace_4x(void **state)
{
	static const char *const want[] = {
		"memblock_virt_alloc_try_nid: 32 bytes align=0x0 nid=-1 from=0x0 max_addr=0x0 setup_arch+0x814/0xb8c",
		"memblock_reserve: [0x67ffcf80-0x67ffcf9f] memblock_virt_alloc_internal+0xec/0x1cc",
		"__memblock_free_early: [0x00000067ffcf80-0x00000067ffcf9f] pcpu_dfl_fc_free+0xc/0x10",
	};
	struct harness *h = h_new_cfg(8, 8, use_4x);
	mb_phys_addr_t got;
	void *ptr;

	(void)state;
	h_ram(h, 0x67ff0000, 0x10000);
	assert_int_equal(mb_add(&h->mb, 0x60000000, 0x8000000), 0);
	assert_int_equal(mb_reserve(&h->mb, 0x67ffcfa0, 0x3060), 0);
	h_clear_lines(h);
	mb_set_caller(&h->mb, "setup_arch+0x814/0xb8c");
	assert_int_equal(mb_alloc_try_nid(&h->mb, 32, 0, 0, 0, -1, &ptr, &got), 0);
	assert_int_equal(got, 0x67ffcf80);
	mb_set_caller(&h->mb, "pcpu_dfl_fc_free+0xc/0x10");
	assert_int_equal(mb_free(&h->mb, ptr, 32), 0);
	expect_lines(h, want, 3);
	h_free(h);
}

static void use_5_4(struct mb_config *cfg)
{
	cfg->profile = mb_profile_by_name("linux-5.4");
}

static void test_trace_5_4_free(void **state)
{
	struct harness *h = h_new_cfg(8, 8, use_5_4);

	(void)state;
	mb_set_caller(&h->mb, "setup_arch+0x448/0x4a4");
	assert_int_equal(mb_phys_free(&h->mb, 0xbcfeaa80, 0x240), 0);
	assert_string_equal(h->lines[0].text, "memblock_free: [0x00000000bcfeaa80-0x00000000bcfeacbf] setup_arch+0x448/0x4a4");
	h_free(h);
}

static void use_6_1(struct mb_config *cfg)
{
	cfg->profile = mb_profile(MB_PROFILE_LINUX_6_1);
}

/* 6.1: the dummy is dumped, any nid but MAX_NUMNODES is printed, short debugfs. */
static void test_legacy_text_6_1(void **state)
{
	static const char *const want[] = {
		"MEMBLOCK configuration:",
		" memory size = 0x0000000000001000 reserved size = 0x0000000000000000",
		" memory.cnt  = 0x1",
		" memory[0x0]\t[0x0000000000001000-0x0000000000001fff], 0x0000000000001000 bytes on node -1 flags: 0x0",
		" reserved.cnt  = 0x1",
		" reserved[0x0]\t[0x0000000000000000-0xffffffffffffffff], 0x0000000000000000 bytes on node 0 flags: 0x0",
	};
	struct harness *h = h_new_cfg(8, 8, use_6_1);

	(void)state;
	assert_int_equal(mb_add_node(&h->mb, 0x1000, 0x1000, -1, 0), 0);
	h_clear_lines(h);
	mb_dump_all(&h->mb);
	expect_lines(h, want, 6);
	h_clear_lines(h);
	mb_debugfs_show(&h->mb, &h->mb.memory);
	assert_string_equal(h->lines[0].text, "   0: 0x0000000000001000..0x0000000000001fff");
	h_free(h);
}

static void test_text_builder(void **state)
{
	struct mb_text t;

	(void)state;
	mb_text_reset(&t);
	mb_text_hex(&t, 0, 1, true);
	mb_text_char(&t, ' ');
	mb_text_hex(&t, 0xabc, 6, false);
	mb_text_char(&t, ' ');
	mb_text_dec(&t, -42);
	mb_text_char(&t, ' ');
	mb_text_udec(&t, 18446744073709551615ULL);
	mb_text_char(&t, ' ');
	mb_text_caller(&t, NULL);
	assert_string_equal(t.buf, "0x0 000abc -42 18446744073709551615 0x0");
	assert_int_equal(t.len, strlen(t.buf));
	/* never overflows */
	mb_text_reset(&t);
	for (int i = 0; i < 1000; i++)
		mb_text_str(&t, "abc");
	assert_int_equal(t.len, MB_TEXT_MAX - 1);
	assert_string_equal(mb_strerror(-MB_ENOMEM), "out of memory");
	assert_string_equal(mb_strerror(99), "unknown error");
	assert_null(mb_profile_by_name("7.0"));
	assert_string_equal(mb_profile(MB_PROFILE_LINUX_6_1)->name, "linux-6.1");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dump_64),
		cmocka_unit_test(test_dump_32),
		cmocka_unit_test(test_dump_empty_and_physmem),
		cmocka_unit_test(test_debugfs),
		cmocka_unit_test(test_dump_to),
		cmocka_unit_test(test_trace_lines),
		cmocka_unit_test(test_trace_4x),
		cmocka_unit_test(test_trace_5_4_free),
		cmocka_unit_test(test_legacy_text_6_1),
		cmocka_unit_test(test_text_builder),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
