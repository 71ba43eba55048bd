// SPDX-License-Identifier: MIT
/*
 * iter.c - walks over free ranges and regions (spec 5), with Linux's
 * iterator index encoding: low 32 bits index type_a, high 32 bits index
 * the gaps between type_b's regions (gap k lies below region k).
 */
#include "internal.h"

static void put(mb_phys_addr_t *out_start, mb_phys_addr_t *out_end, int *out_nid,
		mb_phys_addr_t start, mb_phys_addr_t end, int nid)
{
	if (out_start)
		*out_start = start;
	if (out_end)
		*out_end = end;
	if (out_nid)
		*out_nid = nid;
}

static uint64_t encode(int idx_a, int idx_b)
{
	return (uint64_t)(uint32_t)idx_a | ((uint64_t)(uint32_t)idx_b << 32);
}

/*
 * Split @idx into its two indexes; false (and @idx set to MB_ITER_END)
 * when there is nothing to walk.
 */
static bool decode(const struct memblock *mb, const struct memblock_type *type_a, uint64_t *idx,
		   int *idx_a, int *idx_b)
{
	*idx_a = (int)(uint32_t)(*idx & 0xffffffffu);
	*idx_b = (int)(uint32_t)(*idx >> 32);
	if (mb && type_a)
		return true;
	*idx = MB_ITER_END;
	return false;
}

/* Report the part of [m_start, m_end) inside the gap [r_start, r_end). */
static void put_overlap(mb_phys_addr_t *out_start, mb_phys_addr_t *out_end, int *out_nid,
			mb_phys_addr_t m_start, mb_phys_addr_t m_end, mb_phys_addr_t r_start,
			mb_phys_addr_t r_end, int nid)
{
	put(out_start, out_end, out_nid, m_start > r_start ? m_start : r_start,
	    m_end < r_end ? m_end : r_end, nid);
}

static MB_COLD_HELPER void gap_indexed(const struct memblock *mb,
				       const struct memblock_type *type_b, int idx_b,
				       mb_phys_addr_t *start, mb_phys_addr_t *end)
{
	const struct memblock_region *r;

	if (idx_b) {
		r = mbi_st_at(mb, type_b, (unsigned long)idx_b - 1);
		*start = r->base + r->size;
	} else {
		*start = 0;
	}
	*end = (unsigned long)idx_b < type_b->cnt ? mbi_st_at(mb, type_b, (unsigned long)idx_b)->base
						  : MB_PHYS_ADDR_MAX;
}

/* Gap @idx_b of @type_b: [end of region idx_b - 1, base of region idx_b). */
static void gap(const struct memblock *mb, const struct memblock_type *type_b, int idx_b,
		mb_phys_addr_t *start, mb_phys_addr_t *end)
{
	const struct memblock_region *r = &type_b->regions[idx_b];

	if (mb->index_mode != MB_INDEX_OFF && mbi_st_index(mb, type_b)) {
		gap_indexed(mb, type_b, idx_b, start, end);
		return;
	}
	*start = idx_b ? r[-1].base + r[-1].size : 0;
	*end = (unsigned long)idx_b < type_b->cnt ? r->base : MB_PHYS_ADDR_MAX;
}

/**
 * mb_next_mem_range() - __next_mem_range(): next piece of @type_a not in @type_b
 * @mb: instance
 * @idx: iterator, 0 to start, MB_ITER_END when done
 * @nid: node filter for memory, MB_NUMA_NO_NODE for all
 * @flags: MB_FLAG_* the walk accepts (spec 5)
 * @type_a: regions to walk
 * @type_b: regions to exclude, or NULL
 * @out_start: start of the piece (may be NULL)
 * @out_end: exclusive end (may be NULL)
 * @out_nid: node of the @type_a region (may be NULL)
 */
void mb_next_mem_range(const struct memblock *mb, uint64_t *idx, int nid, unsigned int flags,
		       const struct memblock_type *type_a, const struct memblock_type *type_b,
		       mb_phys_addr_t *out_start, mb_phys_addr_t *out_end, int *out_nid)
{
	int idx_a, idx_b;

	if (!decode(mb, type_a, idx, &idx_a, &idx_b))
		return;
	nid = mbi_nid_filter(mb, nid, MB_WARN_SITE_NEXT_RANGE, "__next_mem_range");
	for (; idx_a < (int)type_a->cnt; idx_a++) {
		const struct memblock_region *m = mbi_st_at(mb, type_a, (unsigned long)idx_a);
		mb_phys_addr_t m_start = m->base, m_end = m->base + m->size;
		int m_nid = mbi_region_nid(mb, m);

		if (mbi_skip_mem_region(mb, type_a, m, nid, flags))
			continue;
		if (!type_b) {
			put(out_start, out_end, out_nid, m_start, m_end, m_nid);
			*idx = encode(idx_a + 1, idx_b);
			return;
		}
		for (; idx_b < (int)type_b->cnt + 1; idx_b++) {
			mb_phys_addr_t r_start, r_end;

			gap(mb, type_b, idx_b, &r_start, &r_end);
			if (r_start >= m_end)
				break;
			if (m_start < r_end) {
				put_overlap(out_start, out_end, out_nid, m_start, m_end, r_start,
					    r_end, m_nid);
				/* Advance whichever ends first. */
				if (m_end <= r_end)
					idx_a++;
				else
					idx_b++;
				*idx = encode(idx_a, idx_b);
				return;
			}
		}
	}
	*idx = MB_ITER_END;
}

/**
 * mb_next_mem_range_rev() - __next_mem_range_rev(): mb_next_mem_range() backwards
 * @mb: instance
 * @idx: iterator, MB_ITER_REV_START to start, MB_ITER_END when done
 * @nid: node filter
 * @flags: accepted flags
 * @type_a: regions to walk
 * @type_b: regions to exclude, or NULL
 * @out_start: start of the piece (may be NULL)
 * @out_end: exclusive end (may be NULL)
 * @out_nid: node (may be NULL)
 */
void mb_next_mem_range_rev(const struct memblock *mb, uint64_t *idx, int nid, unsigned int flags,
			   const struct memblock_type *type_a,
			   const struct memblock_type *type_b, mb_phys_addr_t *out_start,
			   mb_phys_addr_t *out_end, int *out_nid)
{
	int idx_a, idx_b;

	if (!decode(mb, type_a, idx, &idx_a, &idx_b))
		return;
	nid = mbi_nid_filter(mb, nid, MB_WARN_SITE_NEXT_RANGE_REV, "__next_mem_range_rev");
	if (*idx == MB_ITER_REV_START) {
		idx_a = (int)type_a->cnt - 1;
		idx_b = type_b ? (int)type_b->cnt : 0;
	}
	for (; idx_a >= 0; idx_a--) {
		const struct memblock_region *m = mbi_st_at(mb, type_a, (unsigned long)idx_a);
		mb_phys_addr_t m_start = m->base, m_end = m->base + m->size;
		int m_nid = mbi_region_nid(mb, m);

		if (mbi_skip_mem_region(mb, type_a, m, nid, flags))
			continue;
		if (!type_b) {
			put(out_start, out_end, out_nid, m_start, m_end, m_nid);
			*idx = encode(idx_a - 1, idx_b);
			return;
		}
		for (; idx_b >= 0; idx_b--) {
			mb_phys_addr_t r_start, r_end;

			gap(mb, type_b, idx_b, &r_start, &r_end);
			if (r_end <= m_start)
				break;
			if (m_end > r_start) {
				put_overlap(out_start, out_end, out_nid, m_start, m_end, r_start,
					    r_end, m_nid);
				if (m_start >= r_start)
					idx_a--;
				else
					idx_b--;
				*idx = encode(idx_a, idx_b);
				return;
			}
		}
	}
	*idx = MB_ITER_END;
}

/**
 * mb_next_mem_pfn_range() - __next_mem_pfn_range(): whole pages of memory
 * @mb: instance
 * @idx: iterator, -1 to start and when done
 * @nid: node filter (an invalid node means all)
 * @out_start_pfn: PFN_UP(base) (may be NULL)
 * @out_end_pfn: PFN_DOWN(end) (may be NULL)
 * @out_nid: node (may be NULL)
 */
void mb_next_mem_pfn_range(const struct memblock *mb, int *idx, int nid,
			   unsigned long *out_start_pfn, unsigned long *out_end_pfn, int *out_nid)
{
	const struct memblock_type *type;
	const struct memblock_region *r = NULL;

	if (!mb) {
		*idx = -1;
		return;
	}
	type = &mb->memory;
	while (++*idx < (int)type->cnt) {
		r = mbi_st_at(mb, type, (unsigned long)*idx);
		if (mbi_pfn_up(mb, r->base) >= mbi_pfn_down(mb, r->base + r->size))
			continue;
		if (mbi_pfn_nid_is_any(mb, nid) || nid == mbi_region_nid(mb, r))
			break;
	}
	if (*idx >= (int)type->cnt || !r) {
		*idx = -1;
		return;
	}
	if (out_start_pfn)
		*out_start_pfn = mbi_pfn_up(mb, r->base);
	if (out_end_pfn)
		*out_end_pfn = mbi_pfn_down(mb, r->base + r->size);
	if (out_nid)
		*out_nid = mbi_region_nid(mb, r);
}

/**
 * mb_next_physmem_range() - for_each_physmem_range() step
 * @mb: instance (without physmem the walk is empty)
 * @idx: iterator, 0 to start, MB_ITER_END when done
 * @out_start: region start (may be NULL)
 * @out_end: exclusive end (may be NULL)
 */
void mb_next_physmem_range(const struct memblock *mb, uint64_t *idx, mb_phys_addr_t *out_start,
			   mb_phys_addr_t *out_end)
{
	if (!mb || !mb->physmem.regions) {
		*idx = MB_ITER_END;
		return;
	}
	mb_next_mem_range(mb, idx, MB_NUMA_NO_NODE, MB_FLAG_NONE, &mb->physmem, NULL, out_start,
			  out_end, NULL);
}
