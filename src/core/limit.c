// SPDX-License-Identifier: MIT
/*
 * limit.c - trimming and capping memory (spec 7): trim_memory,
 * enforce_memory_limit, mem_limit_remove_map, cap_memory_range.
 */
#include "internal.h"

/* A region whose rounded-up base leaves the phys width would wrap (spec 7). */
static bool trim_wraps(const struct memblock *mb, mb_phys_addr_t align)
{
	unsigned long i;

	if (!align)
		return false;
	for (i = 0; i < mb->memory.cnt; i++) {
		mb_phys_addr_t base = mbi_st_at(mb, &mb->memory, i)->base;
		mb_phys_addr_t up = mbi_round_up(base, align);

		if (base && (up == 0 || up > mbi_phys_max(mb)))
			return true;
	}
	return false;
}

static void trim(struct mb_txn *tx, mb_phys_addr_t align)
{
	struct memblock_type *memory = &tx->mb->memory;
	unsigned long i;

	for (i = 0; i < memory->cnt; i++) {
		struct memblock_region r = *mbi_st_at(tx->mb, memory, i);
		mb_phys_addr_t start = mbi_round_up(r.base, align);
		mb_phys_addr_t end = mbi_round_down(r.base + r.size, align);

		if (start == r.base && end == r.base + r.size)
			continue;
		if (start < end) {
			/* Linux leaves total_size stale here (spec 7, trim). */
			tx->mb->memory_trim_excess += r.size - (end - start);
			r.base = start;
			r.size = end - start;
			mbi_rgn_set(tx, memory, i, &r);
		} else {
			mbi_rgn_remove(tx, memory, i);
			i--;
		}
	}
}

/**
 * mb_trim_memory() - memblock_trim_memory(): align every memory region inward
 * @mb: instance
 * @align: 0 removes all memory and one not a power of two rounds by masks, as
 *         Linux
 *
 * Return: 0; -MB_EINVAL without @mb; -MB_ERANGE (nothing changed) when
 * a region's rounded-up base would wrap, where Linux unsorts the array.
 */
int mb_trim_memory(struct memblock *mb, mb_phys_addr_t align)
{
	struct mb_txn tx;

	if (!mb)
		return -MB_EINVAL;
	if (trim_wraps(mb, align))
		return -MB_ERANGE;
	mbi_txn_begin(&tx, mb);
	trim(&tx, align);
	/* 6.1: removing the last region leaves the dummy; never loop on it. */
	return mbi_txn_end(&tx, 0);
}

/* __find_max_addr(): where the first @limit bytes of memory end. */
static bool find_max_addr(const struct memblock *mb, mb_phys_addr_t limit,
			  mb_phys_addr_t *max_addr)
{
	unsigned long i;

	for (i = 0; i < mb->memory.cnt; i++) {
		const struct memblock_region *r = mbi_st_at(mb, &mb->memory, i);

		if (limit <= r->size) {
			*max_addr = r->base + limit;
			return *max_addr != MB_PHYS_ADDR_MAX;
		}
		limit -= r->size;
	}
	return false;
}

/*
 * Linux removes memory from @max_addr up, then reserved. Only the steps
 * that grow an array can fail, so they come first, as in cap_range():
 * memory is split at @max_addr, reserved is cut with the free-range
 * search limited to the memory below (where Linux's search would look,
 * the rest being gone), and only then does the memory above go. The
 * arrays end up as Linux leaves them, and the number of removals before
 * the last failure point stays bounded, whether or not a type is indexed.
 */
static int enforce(struct mb_txn *tx, mb_phys_addr_t max_addr)
{
	struct memblock *mb = tx->mb;
	unsigned long start_rgn, end_rgn, i;
	int rc;

	rc = mbi_isolate_range(tx, &mb->memory, max_addr, MB_PHYS_ADDR_MAX, &start_rgn,
			       &end_rgn);
	if (rc)
		return rc;
	mb->cap_base = 0;
	mb->cap_end = max_addr;
	mb->capping = true;
	rc = mbi_remove_range(tx, &mb->reserved, max_addr, MB_PHYS_ADDR_MAX);
	mb->capping = false;
	if (rc)
		return rc;
	for (i = end_rgn; i > start_rgn; i--)
		mbi_rgn_remove(tx, &mb->memory, i - 1);
	return 0;
}

/**
 * mb_enforce_memory_limit() - keep only the first @limit bytes of memory
 * @mb: instance
 * @limit: bytes; 0 or more than all memory does nothing
 *
 * Memory and reserved at and above the cut are removed, whatever their flags.
 * Return: 0 or a growth error (nothing changed).
 */
int mb_enforce_memory_limit(struct memblock *mb, mb_phys_addr_t limit)
{
	mb_phys_addr_t max_addr;
	struct mb_txn tx;
	int rc;

	if (!mb)
		return -MB_EINVAL;
	if (!limit || !find_max_addr(mb, limit, &max_addr))
		return 0;
	mbi_txn_begin(&tx, mb);
	rc = enforce(&tx, max_addr);
	return mbi_txn_end(&tx, rc);
}

static void remove_map_regions(struct mb_txn *tx, unsigned long start_rgn,
			       unsigned long end_rgn)
{
	struct memblock_type *memory = &tx->mb->memory;
	unsigned long i;

	for (i = memory->cnt; i > end_rgn; i--)
		if (!(mbi_st_at(tx->mb, memory, i - 1)->flags & MB_FLAG_NOMAP))
			mbi_rgn_remove(tx, memory, i - 1);
	for (i = start_rgn; i > 0; i--)
		if (!(mbi_st_at(tx->mb, memory, i - 1)->flags & MB_FLAG_NOMAP))
			mbi_rgn_remove(tx, memory, i - 1);
}

/*
 * Linux removes the memory outside the range first and truncates reserved
 * after. Only the truncation can fail (array growth), and memory matters
 * to it only as the place a new array may go. So it runs first, with the
 * free-range search limited to the memory the cap keeps (NOMAP memory
 * outside is never allocated from): the arrays end up exactly as Linux
 * leaves them, and the failure comes before the removals, whose number
 * has no bound, so the undo journal always covers it.
 */
static int truncate_reserved(struct mb_txn *tx, mb_phys_addr_t base, mb_phys_addr_t size)
{
	struct memblock *mb = tx->mb;
	mb_phys_addr_t kept = size;
	int rc;

	mb->cap_base = base;
	mb->cap_end = base + mbi_cap_size(mb, base, &kept);
	mb->capping = true;
	rc = mbi_remove_range(tx, &mb->reserved, 0, base);
	if (!rc)
		rc = mbi_remove_range(tx, &mb->reserved, base + size, MB_PHYS_ADDR_MAX);
	mb->capping = false;
	return rc;
}

static int cap_range(struct mb_txn *tx, mb_phys_addr_t base, mb_phys_addr_t size)
{
	struct memblock *mb = tx->mb;
	unsigned long start_rgn, end_rgn;
	int rc;

	if (!size)
		return 0;
	if (!mb->memory.total_size) {
		mbi_print(mb, MB_LOG_WARN, "memblock_cap_memory_range: No memory registered yet",
			 NULL, NULL);
		return 0;
	}
	rc = mbi_isolate_range(tx, &mb->memory, base, size, &start_rgn, &end_rgn);
	if (rc)
		return rc;
	rc = truncate_reserved(tx, base, size);
	if (rc)
		return rc;
	remove_map_regions(tx, start_rgn, end_rgn);
	return 0;
}

/**
 * mb_cap_memory_range() - memblock_cap_memory_range(): keep [base, base + size)
 * @mb: instance
 * @base: physical start
 * @size: bytes; 0 does nothing
 *
 * Removes memory outside the range except NOMAP regions, and reserved below
 * and above it. Warns and does nothing when no memory is registered.
 * Return: 0 or a growth error (nothing changed).
 */
int mb_cap_memory_range(struct memblock *mb, mb_phys_addr_t base, mb_phys_addr_t size)
{
	struct mb_txn tx;

	if (!mb)
		return -MB_EINVAL;
	mbi_txn_begin(&tx, mb);
	return mbi_txn_end(&tx, cap_range(&tx, base, size));
}

/**
 * mb_mem_limit_remove_map() - mb_cap_memory_range(0, cut of @limit)
 * @mb: instance
 * @limit: bytes of memory to keep; 0 does nothing
 *
 * Return: as mb_cap_memory_range().
 */
int mb_mem_limit_remove_map(struct memblock *mb, mb_phys_addr_t limit)
{
	mb_phys_addr_t max_addr;

	if (!mb)
		return -MB_EINVAL;
	if (!limit || !find_max_addr(mb, limit, &max_addr))
		return 0;
	return mb_cap_memory_range(mb, 0, max_addr);
}
