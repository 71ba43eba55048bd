/* SPDX-License-Identifier: MIT */
/*
 * sparse.c - sparse_init() for SPARSEMEM_VMEMMAP (mm/sparse.c,
 * mm/sparse-vmemmap.c): the mem_section root array, one section root
 * page per 256 sections, then per node the usage maps, the memmap buffer
 * and the page tables of the vmemmap.
 */
#include <stdlib.h>
#include <string.h>

#include "sim_internal.h"

#define SECTIONS_PER_ROOT 256 /* PAGE_SIZE / sizeof(struct mem_section) */
#define PMD_SIZE (2ull << 20)

struct present_section {
	uint64_t nr;
	int nid;
};

static int region_nid(const struct sim_boot *b, const struct memblock_region *r)
{
	if (!b->numa || r->nid < 0 || r->nid >= SIM_MAX_NODES)
		return 0;
	return r->nid;
}

/* Sections holding memory, in address order, with the node of the first. */
static size_t present_sections(const struct sim_boot *b, struct present_section **out)
{
	const struct memblock_region *r;
	struct present_section *list = NULL;
	size_t n = 0, cap = 0;
	unsigned int bits = b->section_bits;

	mb_for_each_mem_region(&b->mb, r) {
		if (!r->size)
			continue;
		for (uint64_t s = r->base >> bits; s <= (r->base + r->size - 1) >> bits; s++) {
			if (n && list[n - 1].nr == s)
				continue;
			if (n == cap) {
				struct present_section *grown;

				cap = cap ? cap * 2 : 64;
				grown = realloc(list, cap * sizeof(*list));
				if (!grown) {
					free(list);
					*out = NULL;
					return 0;
				}
				list = grown;
			}
			list[n].nr = s;
			list[n].nid = region_nid(b, r);
			n++;
		}
	}
	*out = list;
	return n;
}

/* memblocks_present(): the root array, then sparse_index_init() roots. */
static void memblocks_present(struct sim_boot *b, const struct present_section *sec, size_t n)
{
	uint64_t per_root = b->m.mem_section_size ? 4096 / b->m.mem_section_size : SECTIONS_PER_ROOT;
	uint64_t roots = (1ull << (b->max_physmem_bits - b->section_bits)) / per_root;
	uint64_t last_root = UINT64_MAX;

	simi_caller(b, "sparse.mem_section", "sparse_init");
	simi_alloc(b, roots * 8, 64, 0, MB_ALLOC_ACCESSIBLE, MB_NUMA_NO_NODE, "memblocks_present");
	for (size_t i = 0; i < n; i++) {
		uint64_t root = sec[i].nr / per_root;

		if (root == last_root)
			continue;
		last_root = root;
		simi_caller(b, "sparse.index", "sparse_index_alloc");
		simi_alloc(b, 4096, 64, 0, MB_ALLOC_ACCESSIBLE, sec[i].nid, "sparse_index_alloc");
	}
}

/* mem_section_usage_size(): subsection bitmap + pageblock flags. */
static uint64_t usage_size(const struct sim_boot *b)
{
	uint64_t subsections = 1ull << (b->section_bits - 21);
	uint64_t blocks = 1ull << (b->section_bits - 12 - b->pageblock_order);
	uint64_t sub_bytes = (subsections + 63) / 64 * 8;
	uint64_t use_bytes = (blocks * 4 + 63) / 64 * 8;

	/* the build's struct (subsection map, and an rcu_head since 6.7) */
	if (b->m.section_usage_size)
		sub_bytes = b->m.section_usage_size;
	return sub_bytes + use_bytes;
}

static uint64_t section_map_size(const struct sim_boot *b)
{
	return sim_round_up((uint64_t)b->m.page_struct_size << (b->section_bits - 12), PMD_SIZE);
}

/*
 * vmemmap_populate(): walk the section's memmap in 2M steps; every table
 * level below the static pgd that is missing gets one page. Sections come
 * in address order, so a level's tables are made in index order.
 */
static void populate_section(struct sim_boot *b, uint64_t section, int nid, uint64_t *last)
{
	static const unsigned int shift_basepages[] = { 30, 21 }; /* pmd, pte tables */
	static const unsigned int shift_huge[] = { 39, 30 };	  /* pud, pmd tables */
	const unsigned int *shift = b->vmemmap_huge ? shift_huge : shift_basepages;
	uint64_t start = (section << (b->section_bits - 12)) * b->m.page_struct_size;
	uint64_t end = start + ((uint64_t)b->m.page_struct_size << (b->section_bits - 12));

	for (uint64_t va = start; va < end; va += PMD_SIZE) {
		for (int level = 0; level < 2; level++) {
			uint64_t index = va >> shift[level];

			if (last[level] == index)
				continue;
			last[level] = index;
			simi_caller(b, "vmemmap.table", "__earlyonly_bootmem_alloc");
			simi_alloc_raw(b, 4096, 4096, b->memmap_min_addr, MB_ALLOC_ACCESSIBLE, nid,
				      "vmemmap_populate");
		}
	}
}

/* sparse_init_nid(): usage maps, memmap buffer, vmemmap page tables. */
static void sparse_init_nid(struct sim_boot *b, const struct present_section *sec, size_t n,
			    uint64_t *last)
{
	int nid = sec[0].nid;
	uint64_t buf;

	simi_caller(b, "sparse.usemap", "sparse_init_nid");
	if (!simi_alloc(b, usage_size(b) * n, 64, 0, MB_ALLOC_ACCESSIBLE, nid, "sparse_init_nid")) {
		simi_printk(b, SIM_LINE_KERNEL, "sparse_init_nid: node[%d] usemap allocation failed",
			   nid);
		return;
	}
	simi_caller(b, "sparse.memmap", "sparse_init_nid");
	buf = simi_alloc_exact_nid_raw(b, section_map_size(b) * n, section_map_size(b),
				      b->memmap_min_addr, MB_ALLOC_ACCESSIBLE, nid,
				      "sparse_buffer_init");
	if (!buf) {
		simi_printk(b, SIM_LINE_KERNEL,
			   "sparse_init_nid: node[%d] memory map backing failed. Some memory will not be available.",
			   nid);
		return;
	}
	for (size_t i = 0; i < n; i++)
		populate_section(b, sec[i].nr, nid, last);
}

void simi_sparse_init(struct sim_boot *b, uint64_t memmap_min_addr)
{
	struct present_section *sec;
	uint64_t last[2] = { UINT64_MAX, UINT64_MAX };
	size_t n = present_sections(b, &sec), begin = 0;

	b->memmap_min_addr = memmap_min_addr;
	if (!n)
		return;
	memblocks_present(b, sec, n);
	for (size_t i = 1; i <= n; i++) {
		if (i < n && sec[i].nid == sec[begin].nid)
			continue;
		sparse_init_nid(b, sec + begin, i - begin, last);
		begin = i;
	}
	free(sec);
}
