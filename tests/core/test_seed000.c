// SPDX-License-Identifier: MIT
/*
 * test_seed000.c - rebuild the memblock state of seed 000 (riscv64,
 * memory 0x80200000-0xbfffffff, memblock=debug) from its requests and
 * compare every allocated address and the whole MEMBLOCK configuration
 * dump with the real kernel log (seed article 000_e10254c33b687504.txt,
 * lines 205-280; the log shows spaces where the kernel printed a tab).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "harness.h"

#define ANY MB_ALLOC_ACCESSIBLE

static void use_5_4(struct mb_config *cfg)
{
	cfg->profile = mb_profile(MB_PROFILE_LINUX_5_4);
	/* No " on node" in the dump and nid=0 requests succeed: !CONFIG_NUMA. */
	cfg->numa = false;
	cfg->callers.alloc_range_nid = "memblock_alloc_range_nid+0xbc/0x122";
}

struct request {
	enum { R_TRY_NID, R_EXACT_RAW, R_TRY_NID_RAW, R_PHYS_RANGE } kind;
	mb_phys_addr_t size, align, from;
	int nid;
	const char *caller;
	mb_phys_addr_t want;
};

static const struct request requests[] = {
	{ R_PHYS_RANGE, 4096, 0x1000, 0, -1, "alloc_pmd_fixmap+0x18/0x20", 0xbdfff000 },
	{ R_PHYS_RANGE, 4096, 0x1000, 0, -1, "alloc_pmd_fixmap+0x18/0x20", 0xbdffe000 },
	{ R_TRY_NID, 74092, 0x8, 0, -1, "early_init_dt_alloc_memory_arch+0x2e/0x58", 0xbdfebe90 },
	{ R_TRY_NID, 47, 0x8, 0, -1, "early_init_dt_alloc_memory_arch+0x2e/0x58", 0xbdfebe60 },
	{ R_TRY_NID, 16777216, 0x40, 0, -1, "sparse_init+0xaa/0x2b4", 0xbcfebe40 },
	{ R_TRY_NID, 4096, 0x40, 0, 0, "sparse_index_alloc+0x56/0x7e", 0xbcfeae40 },
	{ R_TRY_NID, 320, 0x40, 0, 0, "sparse_init_nid+0x5c/0x210", 0xbcfead00 },
	{ R_EXACT_RAW, 16777216, 0x200000, 0x80200000, 0, "sparse_init_nid+0xac/0x210",
	  0xbbe00000 },
	{ R_TRY_NID_RAW, 4096, 0x1000, 0x80200000, 0, "__earlyonly_bootmem_alloc+0x2c/0x34",
	  0xbcfe9000 },
	{ R_TRY_NID_RAW, 4096, 0x1000, 0x80200000, 0, "__earlyonly_bootmem_alloc+0x2c/0x34",
	  0xbcfe8000 },
	{ R_TRY_NID_RAW, 4096, 0x1000, 0x80200000, 0, "__earlyonly_bootmem_alloc+0x2c/0x34",
	  0xbcfe7000 },
	{ R_TRY_NID_RAW, 4096, 0x1000, 0x80200000, 0, "__earlyonly_bootmem_alloc+0x2c/0x34",
	  0xbcfe6000 },
	{ R_TRY_NID_RAW, 4096, 0x1000, 0x80200000, 0, "__earlyonly_bootmem_alloc+0x2c/0x34",
	  0xbcfe5000 },
	{ R_TRY_NID_RAW, 4096, 0x1000, 0x80200000, 0, "__earlyonly_bootmem_alloc+0x2c/0x34",
	  0xbcfe4000 },
	{ R_TRY_NID_RAW, 4096, 0x1000, 0x80200000, 0, "__earlyonly_bootmem_alloc+0x2c/0x34",
	  0xbcfe3000 },
	{ R_TRY_NID_RAW, 4096, 0x1000, 0x80200000, 0, "__earlyonly_bootmem_alloc+0x2c/0x34",
	  0xbcfe2000 },
	{ R_TRY_NID_RAW, 4096, 0x1000, 0x80200000, 0, "__earlyonly_bootmem_alloc+0x2c/0x34",
	  0xbcfe1000 },
};

/* The log's lines 209-266 (memblock ones), prefix stripped. */
static const char *const trace_lines[] = {
	"memblock_phys_alloc_range: 4096 bytes align=0x1000 from=0x0000000000000000 max_addr=0x0000000000000000 alloc_pmd_fixmap+0x18/0x20",
	"memblock_reserve: [0x00000000bdfff000-0x00000000bdffffff] memblock_alloc_range_nid+0xbc/0x122",
	"memblock_phys_alloc_range: 4096 bytes align=0x1000 from=0x0000000000000000 max_addr=0x0000000000000000 alloc_pmd_fixmap+0x18/0x20",
	"memblock_reserve: [0x00000000bdffe000-0x00000000bdffefff] memblock_alloc_range_nid+0xbc/0x122",
	"memblock_alloc_try_nid: 74092 bytes align=0x8 nid=-1 from=0x0000000000000000 max_addr=0x0000000000000000 early_init_dt_alloc_memory_arch+0x2e/0x58",
	"memblock_reserve: [0x00000000bdfebe90-0x00000000bdffdffb] memblock_alloc_range_nid+0xbc/0x122",
	"memblock_alloc_try_nid: 47 bytes align=0x8 nid=-1 from=0x0000000000000000 max_addr=0x0000000000000000 early_init_dt_alloc_memory_arch+0x2e/0x58",
	"memblock_reserve: [0x00000000bdfebe60-0x00000000bdfebe8e] memblock_alloc_range_nid+0xbc/0x122",
	"memblock_alloc_try_nid: 16777216 bytes align=0x40 nid=-1 from=0x0000000000000000 max_addr=0x0000000000000000 sparse_init+0xaa/0x2b4",
	"memblock_reserve: [0x00000000bcfebe40-0x00000000bdfebe3f] memblock_alloc_range_nid+0xbc/0x122",
	"memblock_alloc_try_nid: 4096 bytes align=0x40 nid=0 from=0x0000000000000000 max_addr=0x0000000000000000 sparse_index_alloc+0x56/0x7e",
	"memblock_reserve: [0x00000000bcfeae40-0x00000000bcfebe3f] memblock_alloc_range_nid+0xbc/0x122",
	"memblock_alloc_try_nid: 320 bytes align=0x40 nid=0 from=0x0000000000000000 max_addr=0x0000000000000000 sparse_init_nid+0x5c/0x210",
	"memblock_reserve: [0x00000000bcfead00-0x00000000bcfeae3f] memblock_alloc_range_nid+0xbc/0x122",
	"memblock_alloc_exact_nid_raw: 16777216 bytes align=0x200000 nid=0 from=0x0000000080200000 max_addr=0x0000000000000000 sparse_init_nid+0xac/0x210",
	"memblock_reserve: [0x00000000bbe00000-0x00000000bcdfffff] memblock_alloc_range_nid+0xbc/0x122",
	"memblock_alloc_try_nid_raw: 4096 bytes align=0x1000 nid=0 from=0x0000000080200000 max_addr=0x0000000000000000 __earlyonly_bootmem_alloc+0x2c/0x34",
	"memblock_reserve: [0x00000000bcfe9000-0x00000000bcfe9fff] memblock_alloc_range_nid+0xbc/0x122",
};

static const char *const dump_lines[] = {
	"MEMBLOCK configuration:",
	" memory size = 0x000000003fe00000 reserved size = 0x0000000005e222db",
	" memory.cnt  = 0x1",
	" memory[0x0]\t[0x0000000080200000-0x00000000bfffffff], 0x000000003fe00000 bytes flags: 0x0",
	" reserved.cnt  = 0x8",
	" reserved[0x0]\t[0x0000000080200000-0x0000000081ffffff], 0x0000000001e00000 bytes flags: 0x0",
	" reserved[0x1]\t[0x00000000b81f9000-0x00000000b81fcfff], 0x0000000000004000 bytes flags: 0x0",
	" reserved[0x2]\t[0x00000000bbe00000-0x00000000bcdfffff], 0x0000000001000000 bytes flags: 0x0",
	" reserved[0x3]\t[0x00000000bcfe1000-0x00000000bcfe9fff], 0x0000000000009000 bytes flags: 0x0",
	" reserved[0x4]\t[0x00000000bcfead00-0x00000000bdfebe3f], 0x0000000001001140 bytes flags: 0x0",
	" reserved[0x5]\t[0x00000000bdfebe60-0x00000000bdfebe8e], 0x000000000000002f bytes flags: 0x0",
	" reserved[0x6]\t[0x00000000bdfebe90-0x00000000bdffdffb], 0x000000000001216c bytes flags: 0x0",
	" reserved[0x7]\t[0x00000000bdffe000-0x00000000bfffffff], 0x0000000002002000 bytes flags: 0x0",
};

static mb_phys_addr_t run_request(struct harness *h, const struct request *r)
{
	mb_phys_addr_t phys = 0;
	int rc = -1;

	mb_set_caller(&h->mb, r->caller);
	switch (r->kind) {
	case R_PHYS_RANGE:
		rc = mb_phys_alloc_range(&h->mb, r->size, r->align, r->from, ANY, &phys);
		break;
	case R_TRY_NID:
		rc = mb_alloc_try_nid(&h->mb, r->size, r->align, r->from, ANY, r->nid, NULL, &phys);
		break;
	case R_TRY_NID_RAW:
		rc = mb_alloc_try_nid_raw(&h->mb, r->size, r->align, r->from, ANY, r->nid, NULL,
					  &phys);
		break;
	case R_EXACT_RAW:
		rc = mb_alloc_exact_nid_raw(&h->mb, r->size, r->align, r->from, ANY, r->nid, NULL,
					    &phys);
		break;
	}
	if (rc)
		h_print_lines(h);
	assert_int_equal(rc, 0);
	return phys;
}

static void test_seed000(void **state)
{
	struct harness *h = h_new_cfg(128, 128, use_5_4);
	mb_phys_addr_t cma = 0;
	size_t i;
	int first;

	(void)state;
	mb_set_caller(&h->mb, "setup_arch+0x40/0x4a4");
	assert_int_equal(mb_add(&h->mb, 0x80200000, 0x3fe00000), 0);
	mb_set_caller(&h->mb, "paging_init+0x82/0x39a");
	assert_int_equal(mb_reserve(&h->mb, 0x80200000, 0x1e00000), 0);
	mb_set_caller(&h->mb, "paging_init+0x126/0x39a");
	assert_int_equal(mb_reserve(&h->mb, 0xb81f9000, 0x4000), 0);
	assert_int_equal(mb_alloc_range_nid(&h->mb, 0x2000000, 0x400000, 0, ANY, -1, false, &cma),
			 0);
	assert_int_equal(cma, 0xbe000000);
	h_clear_lines(h);
	for (i = 0; i < sizeof(requests) / sizeof(requests[0]); i++)
		assert_int_equal(run_request(h, &requests[i]), requests[i].want);

	for (i = 0; i < sizeof(trace_lines) / sizeof(trace_lines[0]); i++) {
		if (strcmp(h->lines[i].text, trace_lines[i]))
			h_print_lines(h);
		assert_string_equal(h->lines[i].text, trace_lines[i]);
	}
	h_clear_lines(h);
	mb_dump_all(&h->mb);
	assert_int_equal(h->nlines, (int)(sizeof(dump_lines) / sizeof(dump_lines[0])));
	for (i = 0; i < sizeof(dump_lines) / sizeof(dump_lines[0]); i++)
		assert_string_equal(h->lines[i].text, dump_lines[i]);
	first = h_find_line(h, "MEMBLOCK configuration:");
	assert_int_equal(first, 0);
	assert_int_equal(mb_check(&h->mb, NULL, 0), 0);
	h_free(h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_seed000),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
