/* SPDX-License-Identifier: MIT */
/*
 * index.h - the region index of one type (index.c): an order-statistic
 * AVL tree addressed by rank, the position a region would have in the
 * type's flat array, with the largest gap above a region kept per subtree.
 *
 * The index keeps order by rank only: callers keep the regions sorted and
 * non-overlapping, as they do for the flat arrays. gap_above(i) is
 * base(i + 1) - end(i), and 0 for the last region.
 */
#ifndef MEMBLOCK_CORE_INDEX_H
#define MEMBLOCK_CORE_INDEX_H

#include <memblock/memblock.h>

/* Largest pool: node numbers and subtree sizes fit in 30 bits. */
#define MB_INDEX_MAX_CAP 0x3fffffffUL

size_t mbi_index_bytes(unsigned long cap);
void mbi_index_init(struct mb_index *ix, void *pool, unsigned long cap);
void mbi_index_build(struct mb_index *ix, const struct memblock_region *sorted, unsigned long n);
void mbi_index_export(const struct mb_index *ix, struct memblock_region *out);
void mbi_index_move(struct mb_index *ix, void *pool, unsigned long cap);
const struct memblock_region *mbi_index_at(struct mb_index *ix, unsigned long rank);
void mbi_index_insert(struct mb_index *ix, unsigned long rank, const struct memblock_region *r);
void mbi_index_remove(struct mb_index *ix, unsigned long rank);
void mbi_index_set(struct mb_index *ix, unsigned long rank, const struct memblock_region *r);
unsigned long mbi_index_count_end_le(const struct mb_index *ix, mb_phys_addr_t addr);
unsigned long mbi_index_count_base_le(const struct mb_index *ix, mb_phys_addr_t addr);
long mbi_index_prev_gap(const struct mb_index *ix, unsigned long rank, mb_phys_addr_t min);
long mbi_index_next_gap(const struct mb_index *ix, unsigned long rank, mb_phys_addr_t min);
int mbi_index_check(const struct mb_index *ix);

#endif /* MEMBLOCK_CORE_INDEX_H */
