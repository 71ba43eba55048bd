// SPDX-License-Identifier: MIT
/*
 * alloc.c - finding free space and the allocator family (spec 6).
 */
#include "internal.h"

static mb_phys_addr_t clamp(mb_phys_addr_t v, mb_phys_addr_t lo, mb_phys_addr_t hi)
{
	if (v < lo)
		return lo;
	return v > hi ? hi : v;
}

/*
 * Both searches below visit exactly the free ranges that
 * mb_for_each_free_mem_range(_reverse) yields, in the same order, with the
 * same test on each, but as one tight merge of memory against the gaps
 * between reserved regions instead of one iterator call per range. They
 * may also leave out ranges their test can never accept: those lying
 * wholly outside [start, end), which the clamp squeezes to an empty range.
 */

/* mbi_skip_mem_region() for memory, @plain: mbi_walk_is_plain() of the search. */
static bool skip_mem(const struct memblock *mb, const struct memblock_region *m, bool plain,
		     int nid, unsigned int flags)
{
	if (plain)
		return m->flags & mbi_skip_flags(flags);
	return mbi_skip_mem_region(mb, &mb->memory, m, nid, flags);
}

/* Gap @ib of @rsv: [end of region ib - 1, base of region ib), as iter.c. */
static void rsv_gap(const struct memblock_type *rsv, unsigned long ib, mb_phys_addr_t *gs,
		    mb_phys_addr_t *ge)
{
	const struct memblock_region *r = &rsv->regions[ib];

	*gs = ib ? r[-1].base + r[-1].size : 0;
	*ge = ib < rsv->cnt ? r->base : MB_PHYS_ADDR_MAX;
}

/*
 * Start and end of gap @ib of a reserved type that may be indexed (@ix,
 * or NULL), as rsv_gap(); by value, so that the searches keep no
 * addressable locals.
 */
static mb_phys_addr_t gap_lo(const struct memblock_type *rsv, struct mb_index *ix, unsigned long ib)
{
	const struct memblock_region *r;

	if (!ib)
		return 0;
	r = ix ? mbi_index_at(ix, ib - 1) : &rsv->regions[ib - 1];
	return r->base + r->size;
}

static mb_phys_addr_t gap_hi(const struct memblock_type *rsv, struct mb_index *ix, unsigned long ib)
{
	if (ib >= rsv->cnt)
		return MB_PHYS_ADDR_MAX;
	return (ix ? mbi_index_at(ix, ib) : &rsv->regions[ib])->base;
}

static mb_phys_addr_t rsv_end(const struct memblock *mb, const struct memblock_type *rsv,
			      unsigned long i)
{
	const struct memblock_region *r = mbi_st_at(mb, rsv, i);

	return r->base + r->size;
}

/*
 * With an index on reserved, the searches step from one gap that could
 * hold @size to the next in O(log n), skipping every gap shorter than
 * @size: the part of memory a gap leaves free is never longer than the
 * gap, and clamping only shortens it, so none of those could fit (the
 * tests above reject them too). Gap 0 (below the first region) and gap
 * cnt (above the last) are always visited: gap_above() does not cover
 * them. Both need size > 0 (a size-0 search accepts empty ranges).
 */

/*
 * The next gap above gap @ib worth a look (rsv->cnt + 1 past the last),
 * never beyond gap @wrap, from which on gaps are visited one by one.
 */
static MB_COLD_HELPER unsigned long up_fit(const struct mb_index *ix, unsigned long ib,
					   mb_phys_addr_t size, unsigned long wrap)
{
	unsigned long next;
	long i;

	if (ib + 1 >= ix->cnt || ib + 1 >= wrap)
		return ib + 1;
	i = mbi_index_next_gap(ix, ib, size);
	next = i < 0 ? ix->cnt : (unsigned long)i + 1;
	return next < wrap ? next : wrap;
}

/* The next gap below gap @ib (>= 1) worth a look. */
static MB_COLD_HELPER unsigned long down_fit(const struct mb_index *ix, unsigned long ib,
					     mb_phys_addr_t size)
{
	long i;

	if (ib <= 1)
		return 0;
	i = mbi_index_prev_gap(ix, ib - 2, size);
	return i < 0 ? 0 : (unsigned long)i + 1;
}

/* The bottom-up test on the free range [s, e); true with *@cand when it fits. */
static bool fits_bottom_up(mb_phys_addr_t s, mb_phys_addr_t e, mb_phys_addr_t start,
			   mb_phys_addr_t end, mb_phys_addr_t size, mb_phys_addr_t align,
			   mb_phys_addr_t *cand)
{
	s = clamp(s, start, end);
	e = clamp(e, start, end);
	*cand = mbi_round_up(s, align);
	return *cand < e && e - *cand >= size;
}

/*
 * A search's request. lim and prune_lo are the bottom-up search's: below
 * lim rounding up cannot wrap, so a range shorter than size fails at once.
 */
struct fit {
	mb_phys_addr_t start, end, size, align, lim;
	bool prune_lo;
};

/*
 * The bottom-up request. Rounding v up wraps to 0 (which would end the
 * search) only above lim, for a power-of-two align. Below it, a range
 * clamped to [start, start) or [end, end) fails the test, and so does one
 * shorter than size, since clamping only shrinks a range (prune_lo).
 */
static inline struct fit fit_bottom_up(mb_phys_addr_t start, mb_phys_addr_t end,
				       mb_phys_addr_t size, mb_phys_addr_t align)
{
	mb_phys_addr_t lim = MB_PHYS_ADDR_MAX & ~(align - 1);
	struct fit q = { start, end, size, align, lim, mbi_is_pow2(align) && start <= lim };

	return q;
}

/* The bottom-up test on memory [m_start, m_end) inside the reserved gap [gs, ge). */
static inline bool gap_fits_bottom_up(const struct fit *q, mb_phys_addr_t m_start,
				      mb_phys_addr_t m_end, mb_phys_addr_t gs, mb_phys_addr_t ge,
				      mb_phys_addr_t *cand)
{
	mb_phys_addr_t s = m_start > gs ? m_start : gs;
	mb_phys_addr_t e = m_end < ge ? m_end : ge;

	return (!q->prune_lo || s > q->lim || e - s >= q->size) &&
	       fits_bottom_up(s, e, q->start, q->end, q->size, q->align, cand);
}

static mb_phys_addr_t find_bottom_up(const struct memblock *mb, mb_phys_addr_t start,
				     mb_phys_addr_t end, mb_phys_addr_t size, mb_phys_addr_t align,
				     int nid, unsigned int flags)
{
	const struct memblock_type *mem = &mb->memory, *rsv = &mb->reserved;
	const struct fit q = fit_bottom_up(start, end, size, align);
	bool prune_lo = q.prune_lo, prune_hi = prune_lo && end <= q.lim;
	unsigned long ia, ib = prune_lo ? mbi_rgn_count_base_le(rsv, start) : 0;
	bool plain = mbi_walk_is_plain(mb, nid, flags);
	mb_phys_addr_t cand;

	for (ia = 0; ia < mem->cnt; ia++) {
		const struct memblock_region *m = &mem->regions[ia];
		mb_phys_addr_t m_start = m->base, m_end = m->base + m->size;

		if (prune_hi && m_start >= end)
			return 0;
		if ((prune_lo && m_end <= start) || skip_mem(mb, m, plain, nid, flags))
			continue;
		/* Gaps ending at or below m_start cannot overlap m: jump past them. */
		if (ib < rsv->cnt && rsv->regions[ib].base <= m_start)
			ib = mbi_rgn_count_base_le(rsv, m_start);
		for (; ib < rsv->cnt + 1; ib++) {
			mb_phys_addr_t gs, ge;

			rsv_gap(rsv, ib, &gs, &ge);
			if (gs >= m_end)
				break;
			if (m_start >= ge)
				continue;
			if (gap_fits_bottom_up(&q, m_start, m_end, gs, ge, &cand))
				return cand;
			if (m_end <= ge)
				break;
		}
	}
	return 0;
}

/* find_bottom_up() with an index on memory or reserved. */
static MB_COLD_HELPER mb_phys_addr_t find_bottom_up_ix(const struct memblock *mb,
						       mb_phys_addr_t start, mb_phys_addr_t end,
						       mb_phys_addr_t size, mb_phys_addr_t align,
						       int nid, unsigned int flags)
{
	const struct memblock_type *mem = &mb->memory, *rsv = &mb->reserved;
	const struct fit q = fit_bottom_up(start, end, size, align);
	bool prune_lo = q.prune_lo, prune_hi = prune_lo && end <= q.lim;
	unsigned long ia, ib = prune_lo ? mbi_st_count_base_le(mb, rsv, start) : 0;
	struct mb_index *rix = mbi_st_index(mb, rsv);
	const struct mb_index *ix = prune_lo && size ? rix : NULL;
	/*
	 * A range starting above lim may wrap and end the search, whatever
	 * its length: the gaps starting there (from gap wrap on) and the
	 * memory regions starting there are walked one by one.
	 */
	unsigned long wrap = ix && !prune_hi ? mbi_index_count_end_le(ix, q.lim) + 1 : ULONG_MAX;
	mb_phys_addr_t cand;

	for (ia = 0; ia < mem->cnt; ia++) {
		const struct memblock_region *m = mbi_st_at(mb, mem, ia);
		mb_phys_addr_t m_start = m->base, m_end = m->base + m->size;

		if (prune_hi && m_start >= end)
			return 0;
		if ((prune_lo && m_end <= start) || mbi_skip_mem_region(mb, mem, m, nid, flags))
			continue;
		/* Gaps ending at or below m_start cannot overlap m: jump past them. */
		if (ib < rsv->cnt && mbi_st_at(mb, rsv, ib)->base <= m_start)
			ib = mbi_st_count_base_le(mb, rsv, m_start);
		for (; ib < rsv->cnt + 1;
		     ib = ix && m_start <= q.lim ? up_fit(ix, ib, size, wrap) : ib + 1) {
			mb_phys_addr_t gs = gap_lo(rsv, rix, ib), ge = gap_hi(rsv, rix, ib);

			if (gs >= m_end)
				break;
			if (m_start >= ge)
				continue;
			if (gap_fits_bottom_up(&q, m_start, m_end, gs, ge, &cand))
				return cand;
			if (m_end <= ge)
				break;
		}
	}
	return 0;
}

/* The top-down test on the free range [s, e); true with *@cand when it fits. */
static bool fits_top_down(mb_phys_addr_t s, mb_phys_addr_t e, mb_phys_addr_t start,
			  mb_phys_addr_t end, mb_phys_addr_t size, mb_phys_addr_t align,
			  mb_phys_addr_t *cand)
{
	s = clamp(s, start, end);
	e = clamp(e, start, end);
	if (e < size)
		return false;
	*cand = mbi_round_down(e - size, align);
	return *cand >= s;
}

/* The top-down test on memory [m_start, m_end) inside the reserved gap [gs, ge). */
static inline bool gap_fits_top_down(const struct fit *q, mb_phys_addr_t m_start,
				     mb_phys_addr_t m_end, mb_phys_addr_t gs, mb_phys_addr_t ge,
				     mb_phys_addr_t *cand)
{
	mb_phys_addr_t s = m_start > gs ? m_start : gs;
	mb_phys_addr_t e = m_end < ge ? m_end : ge;

	/* Clamping only shrinks [s, e): too short now, too short then. */
	return e - s >= q->size && fits_top_down(s, e, q->start, q->end, q->size, q->align, cand);
}

static mb_phys_addr_t find_top_down(const struct memblock *mb, mb_phys_addr_t start,
				    mb_phys_addr_t end, mb_phys_addr_t size, mb_phys_addr_t align,
				    int nid, unsigned int flags)
{
	const struct memblock_type *mem = &mb->memory, *rsv = &mb->reserved;
	/*
	 * With size > 0 a range clamped to [end, end) or [start, start) can
	 * never fit: round_down(x - size) < x. Size 0 walks everything.
	 */
	bool prune = size != 0;
	const struct fit q = { start, end, size, align, 0, false };
	/* Gaps starting at or above end: those after the regions ending below end. */
	unsigned long ib = prune ? mbi_rgn_count_end_le(rsv, end - 1) : rsv->cnt;
	bool plain = mbi_walk_is_plain(mb, nid, flags);
	unsigned long ia;
	mb_phys_addr_t cand;

	for (ia = mem->cnt; ia-- > 0;) {
		const struct memblock_region *m = &mem->regions[ia];
		mb_phys_addr_t m_start = m->base, m_end = m->base + m->size;

		if (prune && m_end <= start)
			return 0;
		if ((prune && m_start >= end) || skip_mem(mb, m, plain, nid, flags))
			continue;
		/* Gaps starting at or above m_end cannot overlap m: jump past them. */
		if (ib && rsv->regions[ib - 1].base + rsv->regions[ib - 1].size >= m_end) {
			/* One reserved region covers m: nothing in it is free. */
			if (rsv->regions[ib - 1].base <= m_start)
				continue;
			ib = mbi_rgn_count_end_le(rsv, m_end - 1);
		}
		for (;; ib--) {
			mb_phys_addr_t gs, ge;

			rsv_gap(rsv, ib, &gs, &ge);
			if (ge <= m_start)
				break;
			if (m_end > gs) {
				if (gap_fits_top_down(&q, m_start, m_end, gs, ge, &cand))
					return cand;
				if (m_start >= gs)
					break;
			}
			if (!ib)
				break;
		}
	}
	return 0;
}

/* find_top_down() with an index on memory or reserved. */
static MB_COLD_HELPER mb_phys_addr_t find_top_down_ix(const struct memblock *mb,
						      mb_phys_addr_t start, mb_phys_addr_t end,
						      mb_phys_addr_t size, mb_phys_addr_t align,
						      int nid, unsigned int flags)
{
	const struct memblock_type *mem = &mb->memory, *rsv = &mb->reserved;
	/*
	 * With size > 0 a range clamped to [end, end) or [start, start) can
	 * never fit: round_down(x - size) < x. Size 0 walks everything.
	 */
	bool prune = size != 0;
	const struct fit q = { start, end, size, align, 0, false };
	/* Gaps starting at or above end: those after the regions ending below end. */
	unsigned long ib = prune ? mbi_st_count_end_le(mb, rsv, end - 1) : rsv->cnt;
	struct mb_index *rix = mbi_st_index(mb, rsv);
	const struct mb_index *ix = prune ? rix : NULL;
	unsigned long ia;
	mb_phys_addr_t cand;

	for (ia = mem->cnt; ia-- > 0;) {
		const struct memblock_region *m = mbi_st_at(mb, mem, ia);
		mb_phys_addr_t m_start = m->base, m_end = m->base + m->size;

		if (prune && m_end <= start)
			return 0;
		if ((prune && m_start >= end) || mbi_skip_mem_region(mb, mem, m, nid, flags))
			continue;
		/* Gaps starting at or above m_end cannot overlap m: jump past them. */
		if (ib && rsv_end(mb, rsv, ib - 1) >= m_end)
			ib = mbi_st_count_end_le(mb, rsv, m_end - 1);
		for (;; ib = ix ? down_fit(ix, ib, size) : ib - 1) {
			mb_phys_addr_t gs = gap_lo(rsv, rix, ib), ge = gap_hi(rsv, rix, ib);

			if (ge <= m_start)
				break;
			if (m_end > gs) {
				if (gap_fits_top_down(&q, m_start, m_end, gs, ge, &cand))
					return cand;
				if (m_start >= gs)
					break;
			}
			if (!ib)
				break;
		}
	}
	return 0;
}

/* memblock_find_in_range_node(): 0 means not found. */
mb_phys_addr_t mbi_find_in_range_node(const struct memblock *mb, mb_phys_addr_t size,
				      mb_phys_addr_t align, mb_phys_addr_t start,
				      mb_phys_addr_t end, int nid, unsigned int flags)
{
	if (end == MB_ALLOC_ACCESSIBLE || end == MB_ALLOC_NOLEAKTRACE)
		end = mb->current_limit;
	/* Page 0 is never handed out. */
	if (start < mb->cfg.page_size)
		start = mb->cfg.page_size;
	if (end < start)
		end = start;
	if (mb->index_mode != MB_INDEX_OFF &&
	    (mbi_st_index(mb, &mb->memory) || mbi_st_index(mb, &mb->reserved))) {
		if (mb->bottom_up)
			return find_bottom_up_ix(mb, start, end, size, align, nid, flags);
		return find_top_down_ix(mb, start, end, size, align, nid, flags);
	}
	if (mb->bottom_up)
		return find_bottom_up(mb, start, end, size, align, nid, flags);
	return find_top_down(mb, start, end, size, align, nid, flags);
}

void mbi_warn_mirror(const struct memblock *mb, mb_phys_addr_t size)
{
	struct mb_text *t = mbi_line(mb);

	mb_text_str(t, "Could not allocate ");
	mb_text_hex(t, size, mb->cfg.phys_bits / 4, true);
	mb_text_str(t, " bytes of mirrored memory");
	mbi_line_emit(mb, MB_LOG_WARN, t);
}

static unsigned int choose_flags(const struct memblock *mb)
{
	return mb->system_has_mirror ? MB_FLAG_MIRROR : MB_FLAG_NONE;
}

/*
 * Mirrored memory did not do: warn and search again without
 * MB_FLAG_MIRROR, as Linux does. False when @flags did not ask for mirror,
 * so there is nothing left to retry.
 */
static bool drop_mirror(struct memblock *mb, unsigned int *flags, mb_phys_addr_t size)
{
	if (!(*flags & MB_FLAG_MIRROR))
		return false;
	*flags &= ~MB_FLAG_MIRROR;
	mbi_warn_mirror(mb, size);
	mb->stats.mirror_fallbacks++;
	return true;
}

/* memblock_find_in_range(): mirror first, then anything (array growth). */
mb_phys_addr_t mbi_find_in_range(struct memblock *mb, mb_phys_addr_t start, mb_phys_addr_t end,
				 mb_phys_addr_t size, mb_phys_addr_t align)
{
	unsigned int flags = choose_flags(mb);
	mb_phys_addr_t ret;

	for (;;) {
		ret = mbi_find_in_range_node(mb, size, align, start, end, MB_NUMA_NO_NODE, flags);
		if (ret || !drop_mirror(mb, &flags, size))
			return ret;
	}
}

/*
 * The request of the call being made lives in the instance
 * (mb->journal.req): the reservation at the end of an allocation may grow
 * the arrays, which recurses, and every byte of the frames above it counts.
 */
static struct mb_alloc_req *req_of(struct mb_txn *tx)
{
	return &tx->mb->journal.req;
}

static void req_set(struct memblock *mb, mb_phys_addr_t size, mb_phys_addr_t align,
		    mb_phys_addr_t start, mb_phys_addr_t end, int nid, bool exact_nid)
{
	struct mb_alloc_req *rq = &mb->journal.req;

	rq->size = size;
	rq->align = align;
	rq->start = start;
	rq->end = end;
	rq->nid = nid;
	rq->exact_nid = exact_nid;
}

/* Find on @nid and reserve; a failed reservation counts as not found. */
static int try_reserve(struct mb_txn *tx, struct mb_alloc_req *rq, int nid, unsigned int flags,
		       mb_phys_addr_t *found)
{
	int rc;

	*found =
		mbi_find_in_range_node(tx->mb, rq->size, rq->align, rq->start, rq->end, nid, flags);
	if (!*found)
		return -MB_ENOMEM;
	rc = mbi_reserve_traced(tx, *found, rq->size, rq->caller);
	if (rc) {
		rq->last_err = rc;
		tx->mb->stats.failed_allocs++;
	}
	return rc;
}

/* memblock_alloc_range_nid() (spec 6), reserving with rq->caller. */
static int alloc_range_nid(struct mb_txn *tx, mb_phys_addr_t *out)
{
	struct mb_alloc_req *rq = req_of(tx);
	struct memblock *mb = tx->mb;
	unsigned int flags = choose_flags(mb);

	*out = 0;
	rq->last_err = -MB_ENOMEM;
	/* A second call (alloc_internal's retry) sees the filtered node: the
	 * warning is once-only anyway. */
	rq->nid = mbi_nid_filter(mb, rq->nid, MB_WARN_SITE_ALLOC_NID, "memblock_alloc_range_nid");
	if (!rq->align)
		rq->align = mb->cfg.smp_cache_bytes; /* Linux dumps a stack here */
	for (;;) {
		if (!try_reserve(tx, rq, rq->nid, flags, out))
			return 0;
		if (!mbi_nid_is_any(mb, rq->nid) && !rq->exact_nid &&
		    !try_reserve(tx, rq, MB_NUMA_NO_NODE, flags, out))
			return 0;
		if (!drop_mirror(mb, &flags, rq->size))
			break;
	}
	*out = 0;
	return rq->last_err;
}

/*
 * mb_alloc_range_nid() of the request req_set() left in the instance.
 * Callers tail-call this, so their frames are gone when it recurses.
 */
static MB_COLD_HELPER int alloc_req_run(struct memblock *mb, mb_phys_addr_t *out)
{
	struct mb_txn tx;

	*out = 0;
	mb->journal.req.caller = mb->cfg.callers.alloc_range_nid;
	mbi_txn_begin_as(&tx, mb, mbi_add_may_fail_late(&mb->reserved));
	return mbi_txn_end(&tx, alloc_range_nid(&tx, out));
}

/**
 * mb_alloc_range_nid() - memblock_alloc_range_nid(), untraced
 * @mb: instance
 * @size: bytes (0 returns an address and reserves nothing)
 * @align: 0 for smp_cache_bytes; not a power of two rounds by masks, as Linux
 * @start: lowest address (page 0 is never returned)
 * @end: highest end; MB_ALLOC_ACCESSIBLE means current_limit
 * @nid: preferred node or MB_NUMA_NO_NODE
 * @exact_nid: no fallback to other nodes
 * @out: the address, 0 on failure
 *
 * Mirror first when the system has mirror, then any memory (with a warning).
 * Return: 0, -MB_EINVAL, -MB_ENOMEM, or the growth error of the reservation.
 */
int mb_alloc_range_nid(struct memblock *mb, mb_phys_addr_t size, mb_phys_addr_t align,
		       mb_phys_addr_t start, mb_phys_addr_t end, int nid, bool exact_nid,
		       mb_phys_addr_t *out)
{
	if (!mb || !out)
		return -MB_EINVAL;
	req_set(mb, size, align, start, end, nid, exact_nid);
	return alloc_req_run(mb, out);
}

/**
 * mb_phys_alloc_range() - memblock_phys_alloc_range(): traced, any node
 * @mb: instance
 * @size: bytes
 * @align: as mb_alloc_range_nid()
 * @start: lowest address
 * @end: highest end, or MB_ALLOC_ACCESSIBLE
 * @out: the address
 *
 * Return: as mb_alloc_range_nid().
 */
int mb_phys_alloc_range(struct memblock *mb, mb_phys_addr_t size, mb_phys_addr_t align,
			mb_phys_addr_t start, mb_phys_addr_t end, mb_phys_addr_t *out)
{
	if (!mb || !out)
		return -MB_EINVAL;
	if (mbi_tracing(mb))
		mbi_trace_phys_alloc(mb, "memblock_phys_alloc_range", size, align, start, end,
				     mb->caller);
	req_set(mb, size, align, start, end, MB_NUMA_NO_NODE, false);
	return alloc_req_run(mb, out);
}

int mb_phys_alloc(struct memblock *mb, mb_phys_addr_t size, mb_phys_addr_t align,
		  mb_phys_addr_t *out)
{
	return mb_phys_alloc_range(mb, size, align, 0, MB_ALLOC_ACCESSIBLE, out);
}

int mb_phys_alloc_try_nid(struct memblock *mb, mb_phys_addr_t size, mb_phys_addr_t align, int nid,
			  mb_phys_addr_t *out)
{
	return mb_alloc_range_nid(mb, size, align, 0, MB_ALLOC_ACCESSIBLE, nid, false, out);
}

/* 4.x memblock_virt_alloc_internal(): own search loop, own reserve caller. */
static int virt_internal_4x(struct mb_txn *tx, mb_phys_addr_t *out)
{
	struct mb_alloc_req *rq = req_of(tx);
	struct memblock *mb = tx->mb;
	unsigned int flags = choose_flags(mb);

	rq->caller = mb->cfg.callers.alloc_internal;
	rq->last_err = -MB_ENOMEM;
	if (!rq->align)
		rq->align = mb->cfg.smp_cache_bytes;
	for (;;) {
		if (!try_reserve(tx, rq, rq->nid, flags, out))
			return 0;
		if (rq->nid != MB_NUMA_NO_NODE && !rq->exact_nid &&
		    !try_reserve(tx, rq, MB_NUMA_NO_NODE, flags, out))
			return 0;
		if (rq->start) {
			rq->start = 0;
			continue;
		}
		if (!drop_mirror(mb, &flags, rq->size))
			break;
	}
	*out = 0;
	return rq->last_err;
}

/* memblock_alloc_internal(): cap at current_limit, retry without min_addr. */
static int alloc_internal(struct mb_txn *tx, mb_phys_addr_t *out)
{
	struct mb_alloc_req *rq = req_of(tx);
	struct memblock *mb = tx->mb;
	int rc;

	if (rq->end > mb->current_limit)
		rq->end = mb->current_limit;
	if (mbi_prof(mb)->virt_alloc_reserves_itself)
		return virt_internal_4x(tx, out);
	rq->caller = mb->cfg.callers.alloc_range_nid;
	rc = alloc_range_nid(tx, out);
	if (rc && rq->start) {
		rq->start = 0;
		rc = alloc_range_nid(tx, out);
	}
	return rc;
}

static void zero_block(struct memblock *mb, mb_phys_addr_t phys, void *virt, mb_phys_addr_t size)
{
	if (!size)
		return;
	if (mb->cfg.ops.mem_zero)
		mb->cfg.ops.mem_zero(mb->cfg.ops.mem_ctx, phys, size);
	else if (virt)
		mb_zero(virt, (size_t)size);
}

/* The members of the memblock_alloc_try_nid*() family. */
enum virt_variant {
	VIRT_TRY_NID,	    /* zeroed */
	VIRT_TRY_NID_RAW,   /* not zeroed */
	VIRT_EXACT_NID_RAW, /* not zeroed, no fallback to other nodes */
};

/* The function name @variant traces under, which the profile decides. */
static const char *variant_name(const struct memblock *mb, enum virt_variant variant)
{
	const struct mb_profile *prof = mbi_prof(mb);

	switch (variant) {
	case VIRT_TRY_NID:
		return prof->trace_alloc_try_nid;
	case VIRT_TRY_NID_RAW:
		return prof->trace_alloc_try_nid_raw;
	case VIRT_EXACT_NID_RAW:
		break;
	}
	return prof->trace_alloc_exact_nid_raw;
}

/* The request line of the memblock_alloc_try_nid*() family. */
static MB_COLD_HELPER void virt_trace(const struct memblock *mb, enum virt_variant variant)
{
	const struct mb_alloc_req *rq = &mb->journal.req;

	mbi_trace_alloc_nid(mb, variant_name(mb, variant), rq->size, rq->align, rq->nid, rq->start,
			    rq->end, mb->caller);
}

/*
 * The request line and the reservation of the memblock_alloc_try_nid*()
 * family, for the request req_set() left in the instance, out of line so
 * that the caller's frame stays small while the reservation recurses.
 */
static MB_COLD_HELPER int virt_reserve(struct memblock *mb, enum virt_variant variant,
				       mb_phys_addr_t *phys)
{
	struct mb_txn tx;

	if (mbi_tracing(mb))
		virt_trace(mb, variant);
	mbi_txn_begin_as(&tx, mb, mbi_add_may_fail_late(&mb->reserved));
	return mbi_txn_end(&tx, alloc_internal(&tx, phys));
}

/*
 * The memblock_alloc_try_nid*() family: request line, alloc_internal,
 * translation with phys_to_virt and, for the zeroing variant, zeroing.
 */
static int virt_alloc(struct memblock *mb, enum virt_variant variant, void **out,
		      mb_phys_addr_t *out_phys)
{
	mb_phys_addr_t phys = 0, size;
	void *virt = NULL;
	int rc;

	if (out)
		*out = NULL;
	if (out_phys)
		*out_phys = 0;
	if (!mb)
		return -MB_EINVAL;
	if (!out && !out_phys) {
		mb_zero(&mb->journal.req, sizeof(mb->journal.req));
		return -MB_EINVAL;
	}
	size = mb->journal.req.size;
	mb->journal.req.exact_nid = variant == VIRT_EXACT_NID_RAW;
	rc = virt_reserve(mb, variant, &phys);
	if (rc)
		return rc;
	/* Size 0 still yields an address (spec 6), so translate it too. */
	if (mb->cfg.ops.phys_to_virt)
		virt = mb->cfg.ops.phys_to_virt(mb->cfg.ops.mem_ctx, phys, size);
	if (variant == VIRT_TRY_NID)
		zero_block(mb, phys, virt, size);
	if (out)
		*out = virt;
	if (out_phys)
		*out_phys = phys;
	return 0;
}

/* @mb with its request set (see req_set()); NULL stays NULL. */
static struct memblock *with_req(struct memblock *mb, mb_phys_addr_t size, mb_phys_addr_t align,
				 mb_phys_addr_t min_addr, mb_phys_addr_t max_addr, int nid)
{
	if (mb)
		req_set(mb, size, align, min_addr, max_addr, nid, false);
	return mb;
}

int mb_alloc_try_nid(struct memblock *mb, mb_phys_addr_t size, mb_phys_addr_t align,
		     mb_phys_addr_t min_addr, mb_phys_addr_t max_addr, int nid, void **out,
		     mb_phys_addr_t *out_phys)
{
	return virt_alloc(with_req(mb, size, align, min_addr, max_addr, nid), VIRT_TRY_NID, out,
			  out_phys);
}

int mb_alloc_try_nid_raw(struct memblock *mb, mb_phys_addr_t size, mb_phys_addr_t align,
			 mb_phys_addr_t min_addr, mb_phys_addr_t max_addr, int nid, void **out,
			 mb_phys_addr_t *out_phys)
{
	return virt_alloc(with_req(mb, size, align, min_addr, max_addr, nid), VIRT_TRY_NID_RAW, out,
			  out_phys);
}

int mb_alloc_exact_nid_raw(struct memblock *mb, mb_phys_addr_t size, mb_phys_addr_t align,
			   mb_phys_addr_t min_addr, mb_phys_addr_t max_addr, int nid, void **out,
			   mb_phys_addr_t *out_phys)
{
	return virt_alloc(with_req(mb, size, align, min_addr, max_addr, nid), VIRT_EXACT_NID_RAW,
			  out, out_phys);
}

int mb_alloc(struct memblock *mb, mb_phys_addr_t size, mb_phys_addr_t align, void **out,
	     mb_phys_addr_t *out_phys)
{
	return virt_alloc(
		with_req(mb, size, align, MB_LOW_LIMIT, MB_ALLOC_ACCESSIBLE, MB_NUMA_NO_NODE),
		VIRT_TRY_NID, out, out_phys);
}

int mb_alloc_raw(struct memblock *mb, mb_phys_addr_t size, mb_phys_addr_t align, void **out,
		 mb_phys_addr_t *out_phys)
{
	return virt_alloc(
		with_req(mb, size, align, MB_LOW_LIMIT, MB_ALLOC_ACCESSIBLE, MB_NUMA_NO_NODE),
		VIRT_TRY_NID_RAW, out, out_phys);
}

int mb_alloc_from(struct memblock *mb, mb_phys_addr_t size, mb_phys_addr_t align,
		  mb_phys_addr_t min_addr, void **out, mb_phys_addr_t *out_phys)
{
	return virt_alloc(with_req(mb, size, align, min_addr, MB_ALLOC_ACCESSIBLE, MB_NUMA_NO_NODE),
			  VIRT_TRY_NID, out, out_phys);
}

int mb_alloc_low(struct memblock *mb, mb_phys_addr_t size, mb_phys_addr_t align, void **out,
		 mb_phys_addr_t *out_phys)
{
	mb_phys_addr_t low = mb ? mb->cfg.low_address_limit : 0;

	return virt_alloc(with_req(mb, size, align, MB_LOW_LIMIT, low, MB_NUMA_NO_NODE),
			  VIRT_TRY_NID, out, out_phys);
}

int mb_alloc_node(struct memblock *mb, mb_phys_addr_t size, mb_phys_addr_t align, int nid,
		  void **out, mb_phys_addr_t *out_phys)
{
	return virt_alloc(with_req(mb, size, align, MB_LOW_LIMIT, MB_ALLOC_ACCESSIBLE, nid),
			  VIRT_TRY_NID, out, out_phys);
}
