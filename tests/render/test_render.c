// SPDX-License-Identifier: MIT
/*
 * test_render.c - the map writer through its public API: kinds from
 * callers, pieces of merged reservations (later owners win), free ranges,
 * diff marks, bad output files and empty instances.
 */
#define _POSIX_C_SOURCE 200809L /* open_memstream */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <memblock/render.h>

struct instance {
	struct memblock mb;
	struct memblock_region memory[16], reserved[16];
};

static void instance_init(struct instance *in)
{
	struct mb_config cfg;

	memset(in, 0, sizeof(*in));
	mb_config_default(&cfg);
	cfg.memory_regions = in->memory;
	cfg.memory_max = 16;
	cfg.reserved_regions = in->reserved;
	cfg.reserved_max = 16;
	assert_int_equal(mb_init(&in->mb, &cfg), 0);
}

static char *render(const struct mbr_map *a, const struct mbr_map *b, enum mbr_format fmt)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);

	assert_non_null(out);
	if (b)
		assert_int_equal(mbr_write_diff(a, b, out, fmt), 0);
	else
		assert_int_equal(mbr_write(a, out, fmt), 0);
	fclose(out);
	return buf;
}

static void test_kind_of_caller(void **state)
{
	static const struct {
		const char *caller;
		enum mbr_kind kind;
	} cases[] = {
		{ "sparse_init_nid+0xac/0x210", MBR_KIND_MEMMAP },
		{ "__earlyonly_bootmem_alloc+0x2c/0x34", MBR_KIND_MEMMAP },
		{ "reserve_crashkernel", MBR_KIND_CRASHKERNEL },
		{ "early_init_fdt_reserve_self+0x1/0x2", MBR_KIND_DTB },
		{ "early_init_dt_alloc_memory_arch+0x2e/0x58", MBR_KIND_DTB },
		{ "early_init_fdt_scan_reserved_mem+0x10/0x80", MBR_KIND_FIRMWARE },
		{ "smp_scan_config+0x90/0x1a0", MBR_KIND_FIRMWARE },
		{ "dma_contiguous_reserve_area", MBR_KIND_CMA },
		{ "pcpu_embed_first_chunk+0x310/0x664", MBR_KIND_PERCPU },
		{ "alloc_large_system_hash+0x17a/0x2a6", MBR_KIND_HASH },
		{ "alloc_pmd_fixmap+0x18/0x20", MBR_KIND_PGTABLE },
		{ "memblock_double_array+0x1/0x2", MBR_KIND_MEMBLOCK },
		{ "early_memtest", MBR_KIND_BADRAM },
		{ "hugetlb_cma_reserve", MBR_KIND_HUGETLB },
		{ "start_kernel+0x32a/0xa20", MBR_KIND_OTHER },
		{ "", MBR_KIND_OTHER },
		{ NULL, MBR_KIND_OTHER },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (mbr_kind_of_caller(cases[i].caller) != cases[i].kind)
			fail_msg("%s: kind %s, want %s", cases[i].caller ? cases[i].caller : "NULL",
				 mbr_kind_name(mbr_kind_of_caller(cases[i].caller)),
				 mbr_kind_name(cases[i].kind));
	}
	assert_string_equal(mbr_kind_name(MBR_KIND_COUNT), "other");
}

/*
 *  memory    |---------------- 16M at 0x1000000 ----------------|
 *  a (1)     |--1M--|
 *  b (2)         |--1M--|                       later b wins the overlap
 *  reserved  |-a-+--b--|                        one region, two pieces
 *  free               |------------- 14.5M --------------------|
 */
static void test_pieces_and_free(void **state)
{
	struct instance in;
	struct mbr_map *map = mbr_map_new("t", "sub <&>");
	char *svg;

	(void)state;
	instance_init(&in);
	assert_int_equal(mb_add(&in.mb, 0x1000000, 0x1000000), 0);
	assert_int_equal(mb_reserve(&in.mb, 0x1000000, 0x100000), 0);
	assert_int_equal(mb_reserve(&in.mb, 0x1080000, 0x100000), 0);
	assert_int_equal(mbr_map_set_state(map, &in.mb), 0);
	assert_int_equal(mbr_map_attribute(map, true, 0x1000000, 0x100000, "a", 1, "reserve a"), 0);
	assert_int_equal(
		mbr_map_attribute(map, true, 0x1080000, 0x100000, "pcpu_b+0x1/0x2", 2, "reserve b"),
		0);
	svg = render(map, NULL, MBR_SVG);
	assert_non_null(strstr(svg,
			       "<g class=\"blk\" data-type=\"reserved\" data-base=\"0x1000000\" "
			       "data-size=\"0x180000\" data-flags=\"0x0\""));
	assert_non_null(strstr(svg, "data-kind=\"percpu\" data-caller=\"pcpu_b+0x1/0x2\" "
				    "data-line=\"2\" data-src=\"reserve b\""));
	assert_non_null(strstr(svg,
			       "reserved[0x0]\t[0x0000000001000000-0x000000000117ffff], "
			       "0x0000000000180000 bytes flags: 0x0\n1.5M, NONE\n"
			       "512K other: a (line 1)\n1M per-cpu areas: pcpu_b+0x1/0x2 (line 2)"
			       "</title>"));
	assert_non_null(strstr(svg, "data-type=\"free\" data-base=\"0x1180000\" "
				    "data-size=\"0xe80000\""));
	assert_non_null(strstr(svg, "sub &lt;&amp;&gt;"));
	free(svg);
	mbr_map_free(map);
}

/* B reserves 4M more than A: one added block, nothing removed. */
static void test_diff_marks(void **state)
{
	struct instance in;
	struct mbr_map *a = mbr_map_new("A", NULL), *b = mbr_map_new("B", NULL);
	char *svg;

	(void)state;
	instance_init(&in);
	assert_int_equal(mb_add(&in.mb, 0x10000000, 0x10000000), 0);
	assert_int_equal(mb_reserve(&in.mb, 0x10000000, 0x200000), 0);
	assert_int_equal(mbr_map_set_state(a, &in.mb), 0);
	assert_int_equal(mb_reserve(&in.mb, 0x18000000, 0x400000), 0);
	assert_int_equal(mbr_map_set_state(b, &in.mb), 0);
	assert_int_equal(mbr_map_hint(b, 0x18000000, 0x400000, MBR_KIND_CRASHKERNEL), 0);
	svg = render(a, b, MBR_HTML);
	assert_non_null(strstr(svg, "data-base=\"0x18000000\" data-size=\"0x400000\" "
				    "data-flags=\"0x0\" data-nid=\"64\" data-kind=\"crashkernel\" "
				    "data-diff=\"added\""));
	assert_null(strstr(svg, "data-diff=\"removed\""));
	assert_null(strstr(svg, "data-diff=\"moved\""));
	free(svg);
	mbr_map_free(a);
	mbr_map_free(b);
}

static void test_bad_file_and_empty(void **state)
{
	struct instance in;
	struct mbr_map *map = mbr_map_new(NULL, NULL);
	char err[256] = "", *html;

	(void)state;
	instance_init(&in);
	assert_int_equal(mbr_map_set_state(map, &in.mb), 0);
	assert_int_equal(
		mbr_write_file(map, NULL, "/nonexistent-dir/x.svg", MBR_SVG, err, sizeof(err)),
		-MB_EINVAL);
	assert_non_null(strstr(err, "cannot write /nonexistent-dir/x.svg"));
	html = render(map, NULL, MBR_HTML);
	assert_non_null(strstr(html, "</html>"));
	assert_null(strstr(html, "class=\"blk\""));
	free(html);
	mbr_map_free(map);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kind_of_caller),
		cmocka_unit_test(test_pieces_and_free),
		cmocka_unit_test(test_diff_marks),
		cmocka_unit_test(test_bad_file_and_empty),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
