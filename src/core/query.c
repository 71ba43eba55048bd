// SPDX-License-Identifier: MIT
/*
 * query.c - read-only questions about an instance (spec 7).
 */
#include "internal.h"

/*
 * memblock_search(): index of the region holding @addr, or -1. Linux
 * halves with branches on the address, which a random query mispredicts
 * at every level; in a sorted array the only candidate is the last
 * region starting at or below @addr, which a branch-free count finds.
 */
long mbi_search(const struct memblock_type *type, mb_phys_addr_t addr)
{
	const struct memblock_region *r;
	unsigned long below;

	if (!type->regions)
		return -1;
	/* Linux looks at regions[0] even when cnt is 0 (it is zeroed then). */
	below = type->cnt ? mbi_rgn_count_base_le(type, addr) : 1;
	if (!below)
		return -1;
	r = &type->regions[below - 1];
	return addr >= r->base && addr < r->base + r->size ? (long)(below - 1) : -1;
}

/**
 * mb_is_memory() - memblock_is_memory(): is @addr inside a memory region
 * @mb: instance (NULL: false)
 * @addr: physical address
 *
 * Return: true when a memory region holds @addr (binary search).
 */
bool mb_is_memory(const struct memblock *mb, mb_phys_addr_t addr)
{
	return mb && mbi_search(&mb->memory, addr) != -1;
}

/**
 * mb_is_map_memory() - memblock_is_map_memory(): memory and not NOMAP
 * @mb: instance (NULL: false)
 * @addr: physical address
 *
 * Return: true when the memory region holding @addr is not NOMAP.
 */
bool mb_is_map_memory(const struct memblock *mb, mb_phys_addr_t addr)
{
	long i;

	if (!mb)
		return false;
	i = mbi_search(&mb->memory, addr);
	return i != -1 && !(mb->memory.regions[i].flags & MB_FLAG_NOMAP);
}

/**
 * mb_is_reserved() - memblock_is_reserved(): is @addr inside a reserved region
 * @mb: instance (NULL: false)
 * @addr: physical address
 *
 * Return: true when reserved.
 */
bool mb_is_reserved(const struct memblock *mb, mb_phys_addr_t addr)
{
	return mb && mbi_search(&mb->reserved, addr) != -1;
}

/**
 * mb_is_region_memory() - memblock_is_region_memory()
 * @mb: instance (NULL: false)
 * @base: physical start
 * @size: bytes (capped)
 *
 * Return: true when the one region holding @base reaches @base + @size
 * (touching neighbours do not count, as in Linux).
 */
bool mb_is_region_memory(const struct memblock *mb, mb_phys_addr_t base, mb_phys_addr_t size)
{
	const struct memblock_region *r;
	mb_phys_addr_t end;
	long idx;

	if (!mb || base > mbi_phys_max(mb))
		return false;
	idx = mbi_search(&mb->memory, base);
	end = base + mbi_cap_size(mb, base, &size);
	if (idx == -1)
		return false;
	r = &mb->memory.regions[idx];
	return r->base + r->size >= end;
}

static bool overlaps(const struct memblock *mb, const struct memblock_type *type,
		     mb_phys_addr_t base, mb_phys_addr_t size)
{
	unsigned long i;
	mb_phys_addr_t max = mb ? mbi_phys_max(mb) : MB_PHYS_ADDR_MAX;

	if (base > max)
		return false;
	if (size > max - base)
		size = max - base;
	for (i = 0; i < type->cnt; i++) {
		const struct memblock_region *r = &type->regions[i];

		if (base < r->base + r->size && r->base < base + size)
			return true;
	}
	return false;
}

/**
 * mb_is_region_reserved() - memblock_is_region_reserved(): any overlap
 * @mb: instance (NULL: false)
 * @base: physical start
 * @size: bytes (capped; 0 is true only strictly inside a reserved region)
 *
 * Return: true when [base, base + size) overlaps reserved.
 */
bool mb_is_region_reserved(const struct memblock *mb, mb_phys_addr_t base, mb_phys_addr_t size)
{
	return mb && overlaps(mb, &mb->reserved, base, size);
}

/**
 * mb_overlaps_region() - memblock_overlaps_region()
 * @type: any type (NULL: false)
 * @base: physical start
 * @size: bytes (capped at the 64-bit maximum: the type has no width)
 *
 * Return: true when a region of @type overlaps [base, base + size).
 */
bool mb_overlaps_region(const struct memblock_type *type, mb_phys_addr_t base,
			mb_phys_addr_t size)
{
	return type && type->regions && overlaps(NULL, type, base, size);
}

/**
 * mb_start_of_DRAM() - base of the first memory region
 * @mb: instance
 *
 * Return: the base, 0 when there is no memory.
 */
mb_phys_addr_t mb_start_of_DRAM(const struct memblock *mb)
{
	if (!mb || !mb->memory.cnt)
		return 0;
	return mb->memory.regions[0].base;
}

/**
 * mb_end_of_DRAM() - end of the last memory region
 * @mb: instance
 *
 * Return: the exclusive end, 0 when there is no memory (Linux reads out of
 * bounds there).
 */
mb_phys_addr_t mb_end_of_DRAM(const struct memblock *mb)
{
	const struct memblock_region *r;

	/* Linux reads regions[-1] on empty memory; we say 0. */
	if (!mb || !mb->memory.cnt)
		return 0;
	r = &mb->memory.regions[mb->memory.cnt - 1];
	return r->base + r->size;
}

mb_phys_addr_t mb_phys_mem_size(const struct memblock *mb)
{
	return mb ? mb->memory.total_size : 0;
}

mb_phys_addr_t mb_reserved_size(const struct memblock *mb)
{
	return mb ? mb->reserved.total_size : 0;
}

/**
 * mb_search_pfn_nid() - memblock_search_pfn_nid()
 * @mb: instance
 * @pfn: page frame
 * @start_pfn: first pfn of the region holding @pfn (may be NULL)
 * @end_pfn: pfn after its end (may be NULL)
 *
 * Return: the region's node, or MB_NUMA_NO_NODE when no memory holds @pfn.
 */
int mb_search_pfn_nid(const struct memblock *mb, unsigned long pfn, unsigned long *start_pfn,
		      unsigned long *end_pfn)
{
	const struct memblock_region *r;
	mb_phys_addr_t addr;
	long mid;

	if (!mb)
		return MB_NUMA_NO_NODE;
	addr = (mb_phys_addr_t)pfn * mb->cfg.page_size;
	mid = mbi_search(&mb->memory, addr);
	if (mid == -1)
		return MB_NUMA_NO_NODE;
	r = &mb->memory.regions[mid];
	if (start_pfn)
		*start_pfn = mbi_pfn_down(mb, r->base);
	if (end_pfn)
		*end_pfn = mbi_pfn_down(mb, r->base + r->size);
	return mbi_region_nid(mb, r);
}
