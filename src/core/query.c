// SPDX-License-Identifier: MIT
/*
 * query.c - read-only questions about an instance (spec 7).
 */
#include "internal.h"

/* search() on an index: the last region starting at or below @addr. */
static MB_COLD_HELPER long search_indexed(const struct memblock *mb,
					  const struct memblock_type *type, mb_phys_addr_t addr)
{
	unsigned long i = mbi_st_count_base_le(mb, type, addr);
	const struct memblock_region *r;

	if (!i)
		return -1;
	r = mbi_st_at(mb, type, i - 1);
	return addr - r->base < r->size ? (long)(i - 1) : -1;
}

/*
 * memblock_search(): index of the region holding @addr, or -1. Linux
 * halves with branches on the address, which a random query mispredicts
 * at every level; in a sorted array the only candidate is the last
 * region starting at or below @addr, which a branch-free count finds.
 * Inline in the queries here (a flat search is a few ns: a call shows).
 */
static inline long search(const struct memblock *mb, const struct memblock_type *type,
			  mb_phys_addr_t addr)
{
	const struct memblock_region *r;
	unsigned long below;

	if (!type->regions)
		return -1;
	if (mb && mb->index_mode != MB_INDEX_OFF && mbi_st_index(mb, type))
		return search_indexed(mb, type, addr);
	/* Linux looks at regions[0] even when cnt is 0 (it is zeroed then). */
	below = type->cnt ? mbi_rgn_count_base_le(type, addr) : 1;
	if (!below)
		return -1;
	r = &type->regions[below - 1];
	return addr >= r->base && addr < r->base + r->size ? (long)(below - 1) : -1;
}

long mbi_search(const struct memblock *mb, const struct memblock_type *type, mb_phys_addr_t addr)
{
	return search(mb, type, addr);
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
	return mb && search(mb, &mb->memory, addr) != -1;
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
	i = search(mb, &mb->memory, addr);
	return i != -1 && !(mbi_st_at(mb, &mb->memory, (unsigned long)i)->flags & MB_FLAG_NOMAP);
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
	return mb && search(mb, &mb->reserved, addr) != -1;
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
	idx = search(mb, &mb->memory, base);
	end = base + mbi_cap_size(mb, base, &size);
	if (idx == -1)
		return false;
	r = mbi_st_at(mb, &mb->memory, (unsigned long)idx);
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
		const struct memblock_region *r = mb ? mbi_st_at(mb, type, i) : &type->regions[i];

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
	return mbi_st_at(mb, &mb->memory, 0)->base;
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
	r = mbi_st_at(mb, &mb->memory, mb->memory.cnt - 1);
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
	mid = search(mb, &mb->memory, addr);
	if (mid == -1)
		return MB_NUMA_NO_NODE;
	r = mbi_st_at(mb, &mb->memory, (unsigned long)mid);
	if (start_pfn)
		*start_pfn = mbi_pfn_down(mb, r->base);
	if (end_pfn)
		*end_pfn = mbi_pfn_down(mb, r->base + r->size);
	return mbi_region_nid(mb, r);
}
