/* SPDX-License-Identifier: MIT */
/*
 * store.h - every read of a type's regions by the core goes through here.
 *
 * A type is flat (its array is the truth, exactly as Linux keeps it) or
 * indexed (mb->index[t], see index.c; the array is then only a view that
 * mb_type_regions() brings up to date). Ranks below cnt live in the
 * index; the slots at and above cnt, which Linux's code also reads (the
 * zeroed regions[0] of an empty type), stay in the array in both modes.
 * The flat case is inline and costs one test per call.
 */
#ifndef MEMBLOCK_CORE_STORE_H
#define MEMBLOCK_CORE_STORE_H

#include "index.h"

/* Which of the instance's types @type is (0 memory, 1 reserved, 2 physmem), or -1. */
static inline int mbi_st_slot(const struct memblock *mb, const struct memblock_type *type)
{
	if (type == &mb->memory)
		return 0;
	if (type == &mb->reserved)
		return 1;
	return type == &mb->physmem ? 2 : -1;
}

/* The index of @type, or NULL when it is flat (or not one of @mb's types). @mb: not NULL. */
static inline struct mb_index *mbi_st_index(const struct memblock *mb,
					    const struct memblock_type *type)
{
	int t;

	if (mb->index_mode == MB_INDEX_OFF)
		return NULL;
	t = mbi_st_slot(mb, type);
	if (t < 0 || !mb->index[t].nodes)
		return NULL;
	return (struct mb_index *)&mb->index[t];
}

/* store.c: the index side of the calls below. */
const struct memblock_region *mbi_st_at_ix(const struct memblock *mb,
					   const struct memblock_type *type, unsigned long i);
unsigned long mbi_st_count_end_le_ix(const struct memblock *mb,
				     const struct memblock_type *type, mb_phys_addr_t addr);
unsigned long mbi_st_count_base_le_ix(const struct memblock *mb,
				      const struct memblock_type *type, mb_phys_addr_t addr);

/*
 * Region @i of @type (i < max; @mb not NULL). The pointer is good until the type's next
 * insert or remove; never write through it (use mbi_rgn_set()). Anything
 * but a flat instance goes out of line, which keeps the callers' frames
 * as small as they were before there was an index.
 */
static inline const struct memblock_region *mbi_st_at(const struct memblock *mb,
						      const struct memblock_type *type,
						      unsigned long i)
{
	if (mb->index_mode == MB_INDEX_OFF)
		return &type->regions[i];
	return mbi_st_at_ix(mb, type, i);
}

/* Regions of @type whose end is at most @addr (a prefix: they are sorted). */
static inline unsigned long mbi_st_count_end_le(const struct memblock *mb,
						const struct memblock_type *type,
						mb_phys_addr_t addr)
{
	if (mb->index_mode == MB_INDEX_OFF)
		return mbi_rgn_count_end_le(type, addr);
	return mbi_st_count_end_le_ix(mb, type, addr);
}

/* Regions of @type whose base is at most @addr. */
static inline unsigned long mbi_st_count_base_le(const struct memblock *mb,
						 const struct memblock_type *type,
						 mb_phys_addr_t addr)
{
	if (mb->index_mode == MB_INDEX_OFF)
		return mbi_rgn_count_base_le(type, addr);
	return mbi_st_count_base_le_ix(mb, type, addr);
}

/*
 * Whether regions[0] has size 0: the type is empty (or holds 6.1's
 * dummy). Regions are never empty otherwise, so an index answers from
 * its count without a lookup.
 */
static inline bool mbi_st_first_is_empty(const struct memblock *mb,
					 const struct memblock_type *type)
{
	const struct mb_index *ix;

	if (mb->index_mode == MB_INDEX_OFF)
		return type->regions[0].size == 0;
	ix = mbi_st_index(mb, type);
	if (!ix || !ix->cnt)
		return type->regions[0].size == 0;
	return ix->cnt == 1 && mbi_index_at((struct mb_index *)ix, 0)->size == 0;
}

#endif /* MEMBLOCK_CORE_STORE_H */
