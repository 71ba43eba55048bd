// SPDX-License-Identifier: MIT
/*
 * query.c - questions about the global instance and its iterators
 * (<memblock/linux.h>), each one call into the core.
 */
#include <memblock/linux.h>

#include <stdio.h>

#include "linux_internal.h"

unsigned long memblock_addrs_overlap(phys_addr_t base1, phys_addr_t size1, phys_addr_t base2,
				     phys_addr_t size2)
{
	return base1 < base2 + size2 && base2 < base1 + size1;
}

bool memblock_overlaps_region(struct memblock_type *type, phys_addr_t base, phys_addr_t size)
{
	return mb_overlaps_region(type, base, size);
}

bool memblock_is_memory(phys_addr_t addr)
{
	return mb_is_memory(ml_instance(), addr);
}

bool memblock_is_map_memory(phys_addr_t addr)
{
	return mb_is_map_memory(ml_instance(), addr);
}

bool memblock_is_region_memory(phys_addr_t base, phys_addr_t size)
{
	return mb_is_region_memory(ml_instance(), base, size);
}

bool memblock_is_reserved(phys_addr_t addr)
{
	return mb_is_reserved(ml_instance(), addr);
}

bool memblock_is_region_reserved(phys_addr_t base, phys_addr_t size)
{
	return mb_is_region_reserved(ml_instance(), base, size);
}

phys_addr_t memblock_phys_mem_size(void)
{
	return mb_phys_mem_size(ml_instance());
}

phys_addr_t memblock_reserved_size(void)
{
	return mb_reserved_size(ml_instance());
}

bool memblock_validate_numa_coverage(unsigned long threshold_bytes)
{
	struct memblock *mb = ml_instance();
	unsigned long start_pfn, end_pfn, pages = 0;
	int i, nid;

	if (!mb_profile_has_call(mb, MB_CALL_VALIDATE_NUMA_COVERAGE)) {
		ml_result(-MB_ENOTSUP);
		return false;
	}
	ml_result(0);
	for_each_mem_pfn_range(i, mb->cfg.max_numnodes, &start_pfn, &end_pfn, &nid) {
		if (nid < 0 || nid >= mb->cfg.max_numnodes)
			pages += end_pfn - start_pfn;
	}
	if (((uint64_t)pages << PAGE_SHIFT) <= threshold_bytes)
		return true;
	if (mb->cfg.ops.print) {
		char line[96];

		snprintf(line, sizeof(line), "NUMA: no nodes coverage for %luMB of %luMB RAM",
			 (unsigned long)(((uint64_t)pages << PAGE_SHIFT) >> 20),
			 (unsigned long)(memblock_phys_mem_size() >> 20));
		mb->cfg.ops.print(mb->cfg.ops.print_ctx, MB_LOG_ERR, line);
	}
	return false;
}

unsigned long memblock_estimated_nr_free_pages(void)
{
	return PHYS_PFN(memblock_phys_mem_size() - memblock_reserved_size());
}

phys_addr_t memblock_start_of_DRAM(void)
{
	return mb_start_of_DRAM(ml_instance());
}

/* Linux reads regions[-1] on empty memory; the core returns 0 (spec 7). */
phys_addr_t memblock_end_of_DRAM(void)
{
	return mb_end_of_DRAM(ml_instance());
}

int memblock_search_pfn_nid(unsigned long pfn, unsigned long *start_pfn, unsigned long *end_pfn)
{
	struct memblock *mb = ml_instance();
	int nid = mb_search_pfn_nid(mb, pfn, start_pfn, end_pfn);

	/* Without NUMA the kernel has no nid and reports node 0. */
	if (nid >= 0 && !mb->cfg.numa)
		return 0;
	return nid;
}

void __next_mem_range(u64 *idx, int nid, enum memblock_flags flags, struct memblock_type *type_a,
		      struct memblock_type *type_b, phys_addr_t *out_start, phys_addr_t *out_end,
		      int *out_nid)
{
	mb_next_mem_range(ml_instance(), idx, nid, flags, type_a, type_b, out_start, out_end,
			  out_nid);
}

void __next_mem_range_rev(u64 *idx, int nid, enum memblock_flags flags,
			  struct memblock_type *type_a, struct memblock_type *type_b,
			  phys_addr_t *out_start, phys_addr_t *out_end, int *out_nid)
{
	mb_next_mem_range_rev(ml_instance(), idx, nid, flags, type_a, type_b, out_start, out_end,
			      out_nid);
}

void __next_mem_pfn_range(int *idx, int nid, unsigned long *out_start_pfn,
			  unsigned long *out_end_pfn, int *out_nid)
{
	mb_next_mem_pfn_range(ml_instance(), idx, nid, out_start_pfn, out_end_pfn, out_nid);
}

void __next_physmem_range(u64 *idx, struct memblock_type *type, phys_addr_t *out_start,
			  phys_addr_t *out_end)
{
	struct memblock *mb = ml_instance();

	mb_next_mem_range(mb, idx, NUMA_NO_NODE, MEMBLOCK_NONE, &mb->physmem, type, out_start,
			  out_end, NULL);
}
