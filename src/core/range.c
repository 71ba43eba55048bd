// SPDX-License-Identifier: MIT
/*
 * range.c - the range primitives every operation is built on (spec 3):
 * insert a region, remove one, merge a span, add a range, isolate a
 * range, remove a range, change flags or node over a range.
 */
#include "internal.h"

/*
 * The writes of an indexed type: every one journalled by rank, and the
 * array marked stale. Out of line, so the flat path keeps its frames.
 */
static MB_COLD_HELPER void ix_set(struct mb_txn *tx, const struct memblock_type *type,
				  struct mb_index *ix, unsigned long idx,
				  const struct memblock_region *value)
{
	const struct memblock_region *r = mbi_index_at(ix, idx);
	int t = mbi_st_slot(tx->mb, type);

	if (r->base == value->base && r->size == value->size && r->flags == value->flags &&
	    r->nid == value->nid)
		return;
	mbi_txn_log(tx, MB_UNDO_IX_SET, NULL, idx, (unsigned long)t, r);
	tx->mb->view_stale[t] = true;
	mbi_index_set(ix, idx, value);
}

static MB_COLD_HELPER void ix_insert(struct mb_txn *tx, struct memblock_type *type,
				     struct mb_index *ix, unsigned long idx,
				     const struct memblock_region *value)
{
	int t = mbi_st_slot(tx->mb, type);

	mbi_txn_log(tx, MB_UNDO_IX_INSERT, NULL, idx, (unsigned long)t, value);
	tx->mb->view_stale[t] = true;
	type->cnt++;
	mbi_index_insert(ix, idx, value);
}

static MB_COLD_HELPER void ix_remove(struct mb_txn *tx, struct memblock_type *type,
				     struct mb_index *ix, unsigned long idx)
{
	int t = mbi_st_slot(tx->mb, type);

	mbi_txn_log(tx, MB_UNDO_IX_REMOVE, NULL, idx, (unsigned long)t, mbi_index_at(ix, idx));
	tx->mb->view_stale[t] = true;
	type->cnt--;
	mbi_index_remove(ix, idx);
}

void mbi_rgn_set(struct mb_txn *tx, struct memblock_type *type, unsigned long idx,
		 const struct memblock_region *value)
{
	struct mb_index *ix = mbi_st_index(tx->mb, type);
	const struct memblock_region *r = &type->regions[idx];

	if (ix && idx < ix->cnt) {
		ix_set(tx, type, ix, idx, value);
		return;
	}
	/*
	 * Writing what is there changes nothing: skip it, and its journal
	 * entry (clear_hotplug over all memory touches only HOTPLUG regions).
	 */
	if (r->base == value->base && r->size == value->size && r->flags == value->flags &&
	    r->nid == value->nid)
		return;
	mbi_txn_log(tx, MB_UNDO_SET, type->regions, idx, type->cnt, &type->regions[idx]);
	mb_copy(&type->regions[idx], value, sizeof(*value));
}

/* regions[0] = *@value and cnt = 1: an empty type's first region, or 6.1's dummy. */
void mbi_rgn_fill_first(struct mb_txn *tx, struct memblock_type *type,
			const struct memblock_region *value)
{
	struct mb_index *ix = mbi_st_index(tx->mb, type);

	if (ix && !ix->cnt) {
		type->cnt = 0;
		ix_insert(tx, type, ix, 0, value);
		return;
	}
	mbi_rgn_set(tx, type, 0, value);
	type->cnt = 1;
}

/*
 * Insert mb->journal.scratch at rank @idx of an indexed type. Inserts sit
 * at the bottom of the deepest call chain (growth nested in growth, then
 * an insert), so the region waits in the instance, not on the stack, and
 * every step to the index is a tail call.
 */
static MB_COLD_HELPER void ix_insert_scratch(struct mb_txn *tx, struct memblock_type *type,
					     unsigned long idx)
{
	struct memblock *mb = tx->mb;
	int t = mbi_st_slot(mb, type);

	mbi_txn_log(tx, MB_UNDO_IX_INSERT, NULL, idx, (unsigned long)t, &mb->journal.scratch);
	mb->view_stale[t] = true;
	type->cnt++;
	type->total_size += mb->journal.scratch.size;
	mbi_index_insert(&mb->index[t], idx, &mb->journal.scratch);
}

static MB_COLD_HELPER void insert_indexed(struct mb_txn *tx, struct memblock_type *type,
					  unsigned long idx, mb_phys_addr_t base,
					  mb_phys_addr_t size, int nid, unsigned int flags)
{
	struct memblock_region *r = &tx->mb->journal.scratch;

	r->base = base;
	r->size = size;
	r->flags = flags;
	r->nid = tx->mb->cfg.numa ? nid : 0; /* mbi_set_region_nid(), without a call */
	ix_insert_scratch(tx, type, idx);
}

/* memblock_insert_region(): the caller made sure cnt < max. */
void mbi_rgn_insert(struct mb_txn *tx, struct memblock_type *type, unsigned long idx,
		    mb_phys_addr_t base, mb_phys_addr_t size, int nid, unsigned int flags)
{
	struct memblock_region *rgn = &type->regions[idx];

	if (mbi_st_index(tx->mb, type)) {
		insert_indexed(tx, type, idx, base, size, nid, flags);
		return;
	}
	mbi_txn_log(tx, MB_UNDO_INSERT, type->regions, idx, type->cnt, &type->regions[type->cnt]);
	mb_move(rgn + 1, rgn, (type->cnt - idx) * sizeof(*rgn));
	rgn->base = base;
	rgn->size = size;
	rgn->flags = flags;
	mbi_set_region_nid(tx->mb, rgn, nid);
	type->cnt++;
	type->total_size += size;
}

static void remove_slot_flat(struct mb_txn *tx, struct memblock_type *type, unsigned long idx)
{
	struct memblock_region *rgn = &type->regions[idx];

	/*
	 * Dropping the last region moves nothing: only cnt changes, and the
	 * struct snapshot restores that. Journalling only real moves keeps
	 * enforce_memory_limit's tail cuts out of the journal.
	 */
	if (idx + 1 == type->cnt) {
		type->cnt--;
		return;
	}
	mbi_txn_log(tx, MB_UNDO_REMOVE, type->regions, idx, type->cnt, rgn);
	mb_move(rgn, rgn + 1, (type->cnt - (idx + 1)) * sizeof(*rgn));
	type->cnt--;
}

static void remove_slot(struct mb_txn *tx, struct memblock_type *type, unsigned long idx)
{
	struct mb_index *ix = mbi_st_index(tx->mb, type);

	if (ix)
		ix_remove(tx, type, ix, idx);
	else
		remove_slot_flat(tx, type, idx);
}

/*
 * Linux's WARN_ON() on an emptied type whose total_size is not 0, which a
 * trim leaves stale on purpose (spec 7). Only the line: the state is kept.
 */
static MB_COLD_HELPER void warn_stale_total(const struct memblock *mb,
					    const struct memblock_type *type, const char *fn,
					    const char *cond)
{
	struct mb_text *t = mbi_line(mb);

	mb_text_str(t, "WARNING: ");
	mb_text_str(t, fn);
	mb_text_str(t, ": WARN_ON(");
	mb_text_str(t, cond);
	mb_text_str(t, ") ");
	mb_text_str(t, type->name ? type->name : "?");
	mb_text_str(t, " total_size ");
	mb_text_hex(t, type->total_size, 1, true);
	mbi_line_emit(mb, MB_LOG_WARN, t);
}

static MB_COLD_HELPER void warn_stale_add(const struct memblock *mb,
					  const struct memblock_type *type)
{
	warn_stale_total(mb, type, "memblock_add_range",
			 mbi_prof(mb)->empty_dummy ? "type->cnt != 1 || type->total_size"
						   : "type->cnt != 0 || type->total_size");
}

/* memblock_remove_region(), with the profile's empty-type convention. */
void mbi_rgn_remove(struct mb_txn *tx, struct memblock_type *type, unsigned long idx)
{
	struct memblock_region empty;

	type->total_size -= mbi_st_at(tx->mb, type, idx)->size;
	remove_slot(tx, type, idx);
	if (type->cnt)
		return;
	if (type->total_size)
		warn_stale_total(tx->mb, type, "memblock_remove_region", "type->total_size != 0");
	mb_zero(&empty, sizeof(empty));
	mbi_set_region_nid(tx->mb, &empty, mbi_max_numnodes(tx->mb));
	mbi_rgn_set(tx, type, 0, &empty);
	if (mbi_prof(tx->mb)->empty_dummy)
		mbi_rgn_fill_first(tx, type, &empty);
}

static bool can_merge(const struct memblock *mb, const struct memblock_region *a,
		      const struct memblock_region *b)
{
	return a->base + a->size == b->base && mbi_region_nid(mb, a) == mbi_region_nid(mb, b) &&
	       a->flags == b->flags;
}

/*
 * The pairs memblock_merge_regions() looks at: from the returned index
 * (the region before @start_rgn) up to *@end_rgn, which stays below cnt.
 */
static inline unsigned long merge_span(const struct memblock *mb, const struct memblock_type *type,
				       unsigned long start_rgn, unsigned long *end_rgn)
{
	mbi_merge_window(mb, type, &start_rgn, end_rgn);
	if (*end_rgn > type->cnt - 1)
		*end_rgn = type->cnt - 1;
	return start_rgn ? start_rgn - 1 : 0;
}

/*
 * The merge loop on an index, with a small frame: a removal from an
 * index is the deepest leaf of a nested growth. The merged region is
 * built in the instance.
 */
static MB_COLD_HELPER void merge_indexed(struct mb_txn *tx, struct memblock_type *type,
					 unsigned long start_rgn, unsigned long end_rgn)
{
	struct mb_index *ix = &tx->mb->index[mbi_st_slot(tx->mb, type)];
	unsigned long i = merge_span(tx->mb, type, start_rgn, &end_rgn);

	while (i < end_rgn) {
		struct memblock_region *m = &tx->mb->journal.scratch;

		*m = *mbi_index_at(ix, i);
		if (!can_merge(tx->mb, m, mbi_index_at(ix, i + 1))) {
			i++;
			continue;
		}
		m->size += mbi_index_at(ix, i + 1)->size;
		ix_set(tx, type, ix, i, m);
		ix_remove(tx, type, ix, i + 1);
		end_rgn--;
	}
}

static MB_COLD_HELPER void merge_flat(struct mb_txn *tx, struct memblock_type *type,
				      unsigned long start_rgn, unsigned long end_rgn)
{
	unsigned long i = merge_span(tx->mb, type, start_rgn, &end_rgn);

	while (i < end_rgn) {
		struct memblock_region this = type->regions[i];
		const struct memblock_region *next = &type->regions[i + 1];

		if (!can_merge(tx->mb, &this, next)) {
			i++;
			continue;
		}
		this.size += next->size;
		mbi_rgn_set(tx, type, i, &this);
		remove_slot_flat(tx, type, i + 1);
		end_rgn--;
	}
}

/* memblock_merge_regions(): merge neighbours in [start_rgn - 1, end_rgn). */
void mbi_rgn_merge(struct mb_txn *tx, struct memblock_type *type, unsigned long start_rgn,
		   unsigned long end_rgn)
{
	if (type->cnt == 0)
		return;
	if (mbi_st_index(tx->mb, type))
		merge_indexed(tx, type, start_rgn, end_rgn);
	else
		merge_flat(tx, type, start_rgn, end_rgn);
}

static void warn_overlap(struct mb_txn *tx, const char *what, mb_phys_addr_t base,
			 mb_phys_addr_t end)
{
	struct memblock *mb = tx->mb;
	struct mb_text *t;

	mb->stats.numa_overlap_warnings++;
	t = mbi_line(mb);
	mb_text_str(t, "WARNING: memblock_add_range: WARN_ON(");
	mb_text_str(t, what);
	mb_text_str(t, ") adding ");
	mbi_text_pa_range(t, mb, base, end - 1);
	mbi_line_emit(mb, MB_LOG_WARN, t);
}

/*
 * The first region of @type from @idx on that overlaps [base, end), or,
 * when none is left (see overlaps_at()), where a range at @end would be
 * inserted. Regions are sorted, so the walk stops at the first one at or
 * above @end.
 */
static unsigned long next_overlap(const struct memblock *mb, const struct memblock_type *type,
				  unsigned long idx, mb_phys_addr_t base, mb_phys_addr_t end)
{
	for (; idx < type->cnt; idx++) {
		const struct memblock_region *rgn = mbi_st_at(mb, type, idx);

		if (rgn->base >= end || rgn->base + rgn->size > base)
			break;
	}
	return idx;
}

/* Whether next_overlap() found an overlap at @idx. */
static bool overlaps_at(const struct memblock *mb, const struct memblock_type *type,
			unsigned long idx, mb_phys_addr_t end)
{
	return idx < type->cnt && mbi_st_at(mb, type, idx)->base < end;
}

/*
 * Regions are sorted and never overlap, so their bases and their ends both
 * ascend: the number of regions whose end (or base) is at most @addr is a
 * binary search away. Linux finds the same place with a linear scan.
 */
unsigned long mbi_rgn_count_end_le(const struct memblock_type *type, mb_phys_addr_t addr)
{
	const struct memblock_region *r = type->regions;
	unsigned long len = type->cnt;

	/*
	 * At or next to the top first: appends and top-down allocations,
	 * which stack up under the top-most reserved region, land there, and
	 * two independent loads cost less than the halving's chain of them.
	 */
	if (len && r[len - 1].base + r[len - 1].size <= addr)
		return len;
	if (len >= 2 && r[len - 2].base + r[len - 2].size <= addr)
		return len - 1;
	len = len >= 2 ? len - 2 : 0;
	/* Halving without a branch to mispredict: small arrays are the common case. */
	if (!len)
		return 0;
	while (len > 1) {
		unsigned long half = len / 2;

		r = r[half - 1].base + r[half - 1].size <= addr ? r + half : r;
		len -= half;
	}
	return (unsigned long)(r - type->regions) + (r->base + r->size <= addr);
}

unsigned long mbi_rgn_count_base_le(const struct memblock_type *type, mb_phys_addr_t addr)
{
	const struct memblock_region *r = type->regions;
	unsigned long len = type->cnt;

	/* Above the top region first, as mbi_rgn_count_end_le(). */
	if (len && r[len - 1].base <= addr)
		return len;
	len = len ? len - 1 : 0;
	if (!len)
		return 0;
	while (len > 1) {
		const struct memblock_region *mid = r + len / 2;

		/* This shape becomes a conditional move in GCC, not a branch. */
		r = mid[-1].base > addr ? r : mid;
		len -= len / 2;
	}
	return (unsigned long)(r - type->regions) + (r->base <= addr);
}

/* What memblock_add_range() adds, and where its insert pass put it. */
#define add_span mb_add_span

/*
 * The span of an add_range() that had to grow, in the instance: the
 * steps around its growth (merge in place, count, insert) run at the
 * bottom of the deepest call chain, and none of them outlives a nested
 * add_range(), so one span does for all.
 */
static struct add_span *span_in_instance(struct mb_txn *tx, const struct memblock_type *type,
					 mb_phys_addr_t base, mb_phys_addr_t end, int nid,
					 unsigned int flags)
{
	struct add_span *sp = &tx->mb->journal.add;

	sp->base = base;
	sp->end = end;
	sp->nid = nid;
	sp->flags = flags;
	sp->start_rgn = -1;
	sp->end_rgn = 0;
	sp->first = mbi_st_count_end_le(tx->mb, type, base);
	return sp;
}

/* Record that the insert pass put a region at @idx. */
static void note_insert(struct add_span *sp, unsigned long idx)
{
	if (sp->start_rgn < 0)
		sp->start_rgn = (long)idx;
	sp->end_rgn = idx + 1;
}

/*
 * One pass of memblock_add_range(): counts the gaps of @sp not covered by
 * @type, inserting them when @insert. Linux checks (WARN_ON) every gap
 * against the region above it, in both passes.
 */
static MB_COLD_HELPER int add_pass(struct mb_txn *tx, struct memblock_type *type,
				   struct add_span *sp, bool insert)
{
	mb_phys_addr_t base = sp->base, end = sp->end;
	unsigned long idx;
	int nr_new = 0;

	/* Every region below sp->first ends at or below base. */
	for (idx = next_overlap(tx->mb, type, sp->first, base, end);
	     overlaps_at(tx->mb, type, idx, end);
	     idx = next_overlap(tx->mb, type, idx + 1, base, end)) {
		const struct memblock_region *rgn = mbi_st_at(tx->mb, type, idx);
		mb_phys_addr_t rbase = rgn->base;
		mb_phys_addr_t rend = rbase + rgn->size;

		if (rbase > base) {
			if (tx->mb->cfg.numa && sp->nid != mbi_region_nid(tx->mb, rgn))
				warn_overlap(tx, "nid != memblock_get_region_node(rgn)", base,
					     rbase);
			if (sp->flags != rgn->flags)
				warn_overlap(tx, "flags != rgn->flags", base, rbase);
			nr_new++;
			if (insert) {
				note_insert(sp, idx);
				mbi_rgn_insert(tx, type, idx++, base, rbase - base, sp->nid,
					       sp->flags);
			}
		}
		base = rend < end ? rend : end;
	}
	if (base < end) {
		nr_new++;
		if (insert) {
			note_insert(sp, idx);
			mbi_rgn_insert(tx, type, idx, base, end - base, sp->nid, sp->flags);
		}
	}
	return nr_new;
}

static MB_COLD_HELPER void add_to_empty(struct mb_txn *tx, struct memblock_type *type,
					mb_phys_addr_t base, mb_phys_addr_t size, int nid,
					unsigned int flags)
{
	struct memblock_region r;

	r.base = base;
	r.size = size;
	r.flags = flags;
	mbi_set_region_nid(tx->mb, &r, nid);
	mbi_rgn_fill_first(tx, type, &r);
	type->total_size = size;
	if (type == &tx->mb->memory)
		tx->mb->memory_trim_excess = 0;
}

/*
 * Clip [base, base + *size) to the physical address space, as both
 * memblock_add_range() and memblock_isolate_range() do first.
 * Return: 1 with *@end set when something is left, 0 when nothing is
 * (*@size 0), -MB_ERANGE when @base lies beyond the address space.
 */
static int cap_range(const struct memblock *mb, mb_phys_addr_t base, mb_phys_addr_t *size,
		     mb_phys_addr_t *end)
{
	if (!*size)
		return 0;
	if (base > mbi_phys_max(mb))
		return -MB_ERANGE;
	*end = base + mbi_cap_size(mb, base, size);
	return *size ? 1 : 0;
}

/*
 * memblock_add_range() for a range that overlaps nothing. When it merges
 * with a neighbour, Linux inserts it, then merges it away again: two
 * moves of the whole tail above it. Here the neighbour is widened in
 * place and the array ends up byte for byte as Linux leaves it, down to
 * the stale copy those moves leave in the slot at the old count. When it
 * merges with neither, the caller inserts it (ADD_LONE), and the merge
 * pass Linux runs next (over the same two neighbours) is skipped; when
 * the range also joins the region above, the caller removes that one
 * (ADD_MERGED_DROP_FIRST, at sp->first). ADD_GENERAL (nothing done) when
 * the fast path does not apply.
 */
enum add_fast { ADD_GENERAL, ADD_MERGED, ADD_MERGED_DROP_FIRST, ADD_LONE };

static MB_COLD_HELPER enum add_fast
add_merge_in_place(struct mb_txn *tx, struct memblock_type *type, const struct add_span *sp)
{
	unsigned long idx = sp->first;
	mb_phys_addr_t base = sp->base, end = sp->end;
	int nid = sp->nid;
	unsigned int flags = sp->flags;
	unsigned long n = type->cnt;
	struct memblock_region nr, r;
	const struct memblock_region *above = idx < n ? mbi_st_at(tx->mb, type, idx) : NULL;
	bool lo_merge, hi_merge;

	if (n + 1 > type->max || (above && above->base < end))
		return ADD_GENERAL;
	mb_zero(&nr, sizeof(nr));
	nr.base = base;
	nr.size = end - base;
	nr.flags = flags;
	mbi_set_region_nid(tx->mb, &nr, nid);
	/* Reading the region below leaves @above valid: only writes move regions. */
	lo_merge = idx && can_merge(tx->mb, mbi_st_at(tx->mb, type, idx - 1), &nr);
	hi_merge = above && can_merge(tx->mb, &nr, above);
	if (!lo_merge && !hi_merge)
		return ADD_LONE;
	/* The slot at the old count: the last region, or the new one if on top. */
	mbi_rgn_set(tx, type, n, idx < n ? mbi_st_at(tx->mb, type, n - 1) : &nr);
	type->total_size += nr.size;
	if (!lo_merge) {
		nr.size += mbi_st_at(tx->mb, type, idx)->size;
		mbi_rgn_set(tx, type, idx, &nr);
		return ADD_MERGED;
	}
	r = *mbi_st_at(tx->mb, type, idx - 1);
	r.size += nr.size;
	if (hi_merge)
		r.size += mbi_st_at(tx->mb, type, idx)->size;
	mbi_rgn_set(tx, type, idx - 1, &r);
	return hi_merge ? ADD_MERGED_DROP_FIRST : ADD_MERGED;
}

/* The insert pass of memblock_add_range() and the merge after it. */
static int add_insert_span(struct mb_txn *tx, struct memblock_type *type, struct add_span *sp)
{
	if (add_pass(tx, type, sp, true))
		mbi_rgn_merge(tx, type, (unsigned long)sp->start_rgn, sp->end_rgn);
	return 0;
}

static MB_COLD_HELPER int add_insert(struct mb_txn *tx, struct memblock_type *type,
				     mb_phys_addr_t base, mb_phys_addr_t end, int nid,
				     unsigned int flags)
{
	struct add_span *sp = span_in_instance(tx, type, base, end, nid, flags);

	return add_insert_span(tx, type, sp);
}

/*
 * add_merge_in_place(), then what older kernels do after any insertion:
 * scan the whole array for merges (the window around the range is merged
 * already).
 */
static bool merged_in_place(struct mb_txn *tx, struct memblock_type *type,
			    const struct add_span *sp)
{
	enum add_fast fast = add_merge_in_place(tx, type, sp);

	if (fast == ADD_GENERAL)
		return false;
	/*
	 * Out of add_merge_in_place(): its frame stays off the growth path,
	 * and an index's insert or removal off the deepest chain.
	 */
	if (fast == ADD_LONE)
		mbi_rgn_insert(tx, type, sp->first, sp->base, sp->end - sp->base, sp->nid,
			       sp->flags);
	else if (fast == ADD_MERGED_DROP_FIRST)
		remove_slot(tx, type, sp->first);
	if (mbi_prof(tx->mb)->merge_whole_array)
		mbi_rgn_merge(tx, type, 0, type->cnt);
	return true;
}

/* merged_in_place() from scratch. */
static MB_COLD_HELPER bool add_merged(struct mb_txn *tx, struct memblock_type *type,
				      mb_phys_addr_t base, mb_phys_addr_t end, int nid,
				      unsigned int flags)
{
	struct add_span *sp = span_in_instance(tx, type, base, end, nid, flags);

	return merged_in_place(tx, type, sp);
}

/* The counting pass of memblock_add_range() (it warns as Linux does). */
static MB_COLD_HELPER unsigned long add_count(struct mb_txn *tx, struct memblock_type *type,
					      mb_phys_addr_t base, mb_phys_addr_t end, int nid,
					      unsigned int flags)
{
	struct add_span *sp = span_in_instance(tx, type, base, end, nid, flags);

	return (unsigned long)add_pass(tx, type, sp, false);
}

/*
 * Count the new regions, grow until they fit, then insert. Growth
 * recurses (the new array is reserved), so mbi_add_range() hands over to this
 * small frame with a tail call.
 */
static MB_COLD_HELPER int add_grown(struct mb_txn *tx, struct memblock_type *type,
				    mb_phys_addr_t base, mb_phys_addr_t end, int nid,
				    unsigned int flags)
{
	unsigned long nr_new;
	int rc;

	if (add_merged(tx, type, base, end, nid, flags))
		return 0;
	nr_new = add_count(tx, type, base, end, nid, flags);
	if (!nr_new)
		return 0;
	while (type->cnt + nr_new > type->max) {
		rc = mbi_grow_type(tx, type, base, end - base);
		if (rc)
			return rc;
	}
	/* Growing may have reserved the new array: look again. */
	return add_insert(tx, type, base, end, nid, flags);
}

/* Room for every new region: merge in place, or insert where the search found them. */
static MB_COLD_HELPER int add_fits(struct mb_txn *tx, struct memblock_type *type,
				   mb_phys_addr_t base, mb_phys_addr_t end, int nid,
				   unsigned int flags)
{
	struct add_span sp = {
		base, end, nid, flags, -1, 0, mbi_st_count_end_le(tx->mb, type, base)
	};

	if (merged_in_place(tx, type, &sp))
		return 0;
	return add_insert_span(tx, type, &sp);
}

/* memblock_add_range() (spec 3). */
int mbi_add_range(struct mb_txn *tx, struct memblock_type *type, mb_phys_addr_t base,
		  mb_phys_addr_t size, int nid, unsigned int flags)
{
	mb_phys_addr_t room, end;

	/* As cap_range(), by value: no local's address may escape a tail call. */
	if (!size)
		return 0;
	if (base > mbi_phys_max(tx->mb))
		return -MB_ERANGE;
	room = mbi_phys_max(tx->mb) - base;
	end = base + (size > room ? room : size);
	if (end == base)
		return 0;
	if (mbi_st_first_is_empty(tx->mb, type)) {
		if (type->cnt != (mbi_prof(tx->mb)->empty_dummy ? 1u : 0u) || type->total_size)
			warn_stale_add(tx->mb, type);
		add_to_empty(tx, type, base, end - base, nid, flags);
		return 0;
	}
	if (type->cnt * 2 + 1 <= type->max)
		return add_fits(tx, type, base, end, nid, flags);
	return add_grown(tx, type, base, end, nid, flags);
}

/*
 * split_region() on an index, in one frame: it sits at the bottom of the
 * deepest call chain (growth nested in growth, then a split).
 */
static MB_COLD_HELPER void split_indexed(struct mb_txn *tx, struct memblock_type *type,
					 unsigned long idx, mb_phys_addr_t at)
{
	struct memblock *mb = tx->mb;
	int t = mbi_st_slot(mb, type);
	struct memblock_region *r = &mb->journal.scratch;
	mb_phys_addr_t rbase;

	*r = *mbi_index_at(&mb->index[t], idx);
	rbase = r->base;
	mbi_txn_log(tx, MB_UNDO_IX_SET, NULL, idx, (unsigned long)t, r);
	r->base = at;
	r->size -= at - rbase;
	mbi_index_set(&mb->index[t], idx, r);
	r->base = rbase;
	r->size = at - rbase;
	type->total_size -= r->size;
	ix_insert_scratch(tx, type, idx);
}

static inline void split_flat(struct mb_txn *tx, struct memblock_type *type, unsigned long idx,
			      mb_phys_addr_t at)
{
	struct memblock_region *r = &type->regions[idx];
	mb_phys_addr_t rbase = r->base;

	/* The top half stays at idx (as mbi_rgn_set, without a copy on the stack). */
	mbi_txn_log(tx, MB_UNDO_SET, type->regions, idx, type->cnt, r);
	r->base = at;
	r->size -= at - rbase;
	type->total_size -= at - rbase;
	mbi_rgn_insert(tx, type, idx, rbase, at - rbase, mbi_region_nid(tx->mb, r), r->flags);
}

/* Split region @idx at @at: the bottom half goes in at @idx. */
static inline void split_region(struct mb_txn *tx, struct memblock_type *type, unsigned long idx,
				mb_phys_addr_t at)
{
	if (mbi_st_index(tx->mb, type))
		split_indexed(tx, type, idx, at);
	else
		split_flat(tx, type, idx, at);
}

/*
 * memblock_isolate_range(): span[0..1) = [start_rgn, end_rgn) covers the
 * range exactly. @first is mbi_rgn_count_end_le(type, base) when the caller
 * has it (ULONG_MAX: not known); growing the array makes it stale.
 */
static MB_COLD_HELPER int isolate_scan(struct mb_txn *tx, struct memblock_type *type,
				       mb_phys_addr_t base, mb_phys_addr_t end, unsigned long first,
				       unsigned long *span);

static int isolate_from(struct mb_txn *tx, struct memblock_type *type, mb_phys_addr_t base,
			mb_phys_addr_t size, unsigned long first, unsigned long *span)
{
	mb_phys_addr_t room, end;
	int rc;

	span[0] = span[1] = 0;
	/* As cap_range(), by value: no local's address may escape a tail call. */
	if (!size)
		return 0;
	if (base > mbi_phys_max(tx->mb))
		return -MB_ERANGE;
	room = mbi_phys_max(tx->mb) - base;
	if (size > room)
		size = room;
	if (!size)
		return 0;
	end = base + size;
	while (type->cnt + 2 > type->max) {
		first = ULONG_MAX;
		rc = mbi_grow_type(tx, type, base, size);
		if (rc)
			return rc;
	}
	return isolate_scan(tx, type, base, end, first, span);
}

/* The walk of memblock_isolate_range(), once the array has room. */
static MB_COLD_HELPER int isolate_scan(struct mb_txn *tx, struct memblock_type *type,
				       mb_phys_addr_t base, mb_phys_addr_t end, unsigned long first,
				       unsigned long *span)
{
	unsigned long *start_rgn = &span[0], *end_rgn = &span[1];
	unsigned long idx;

	if (first == ULONG_MAX)
		first = mbi_st_count_end_le(tx->mb, type, base);
	for (idx = next_overlap(tx->mb, type, first, base, end);
	     overlaps_at(tx->mb, type, idx, end);
	     idx = next_overlap(tx->mb, type, idx + 1, base, end)) {
		const struct memblock_region *rgn = mbi_st_at(tx->mb, type, idx);
		mb_phys_addr_t rbase = rgn->base;
		mb_phys_addr_t rend = rbase + rgn->size;

		if (rbase < base) {
			/* Keep the top half at idx + 1 and go on with it. */
			split_region(tx, type, idx, base);
		} else if (rend > end) {
			/* Split off the bottom half and look at it again. */
			split_region(tx, type, idx, end);
			idx--;
		} else {
			if (!*end_rgn)
				*start_rgn = idx;
			*end_rgn = idx + 1;
		}
	}
	return 0;
}

/* memblock_isolate_range(): [*start_rgn, *end_rgn) covers the range exactly. */
int mbi_isolate_range(struct mb_txn *tx, struct memblock_type *type, mb_phys_addr_t base,
		      mb_phys_addr_t size, unsigned long *start_rgn, unsigned long *end_rgn)
{
	unsigned long span[2];
	int rc = isolate_from(tx, type, base, size, ULONG_MAX, span);

	*start_rgn = span[0];
	*end_rgn = span[1];
	return rc;
}

/*
 * memblock_remove_range() for a range that is one whole region, or the
 * bottom or the top part of one. A whole region goes as Linux removes it,
 * without the isolation pass, which would find nothing to split. For a
 * part Linux splits the region (moving the tail up) and removes the piece
 * (moving it down again); here the region just shrinks in place, leaving
 * the array byte for byte as Linux does, down to the stale copy in the
 * slot at the count. False (nothing done) when the fast path does not
 * apply; the caller then takes the general one.
 */
static MB_COLD_HELPER bool remove_edge_in_place(struct mb_txn *tx, struct memblock_type *type,
						unsigned long idx, mb_phys_addr_t base,
						mb_phys_addr_t size)
{
	unsigned long n = type->cnt;
	struct memblock_region r, stale;
	mb_phys_addr_t end, rbase, rend;

	/* mbi_isolate_range() grows first when cnt + 2 > max: leave that to it. */
	if (cap_range(tx->mb, base, &size, &end) <= 0 || n + 2 > type->max)
		return false;
	if (idx >= n)
		return false;
	r = *mbi_st_at(tx->mb, type, idx);
	rbase = r.base;
	rend = r.base + r.size;
	if (rbase == base && rend == end) {
		mbi_rgn_remove(tx, type, idx);
		return true;
	}
	if (rbase > base || end > rend || (rbase == base) == (rend == end))
		return false;
	if (rbase == base) {
		/* Bottom part: the top half stays at idx. */
		r.base = end;
		r.size = rend - end;
		stale = idx + 1 == n ? r : *mbi_st_at(tx->mb, type, n - 1);
	} else {
		/* Top part: the bottom half stays, its node as split_region() sets it. */
		stale = r;
		stale.base = base;
		stale.size = rend - base;
		if (idx + 1 != n)
			stale = *mbi_st_at(tx->mb, type, n - 1);
		r.size = base - rbase;
		mbi_set_region_nid(tx->mb, &r,
				   mbi_region_nid(tx->mb, mbi_st_at(tx->mb, type, idx)));
	}
	mbi_rgn_set(tx, type, n, &stale);
	mbi_rgn_set(tx, type, idx, &r);
	type->total_size -= size;
	return true;
}

/* memblock_remove_range(). */
int mbi_remove_range(struct mb_txn *tx, struct memblock_type *type, mb_phys_addr_t base,
		     mb_phys_addr_t size)
{
	unsigned long span[2], i, first = mbi_st_count_end_le(tx->mb, type, base);
	int rc;

	if (remove_edge_in_place(tx, type, first, base, size))
		return 0;
	rc = isolate_from(tx, type, base, size, first, span);
	if (rc)
		return rc;
	for (i = span[1]; i > span[0]; i--)
		mbi_rgn_remove(tx, type, i - 1);
	return 0;
}

/* Set or clear @flag (set_node: @flag 0, node @nid) on [start_rgn, end_rgn), then merge. */
static MB_COLD_HELPER void mark_span(struct mb_txn *tx, struct memblock_type *type,
				     unsigned long start_rgn, unsigned long end_rgn,
				     unsigned int flag, int set_or_nid)
{
	unsigned long i;

	for (i = start_rgn; i < end_rgn; i++) {
		struct memblock_region r = *mbi_st_at(tx->mb, type, i);

		if (!flag)
			mbi_set_region_nid(tx->mb, &r, set_or_nid);
		else
			r.flags = set_or_nid ? (r.flags | flag) : (r.flags & ~flag);
		mbi_rgn_set(tx, type, i, &r);
	}
	mbi_rgn_merge(tx, type, start_rgn, end_rgn);
}

/* memblock_setclr_flag(). */
int mbi_setclr_flag(struct mb_txn *tx, struct memblock_type *type, mb_phys_addr_t base,
		    mb_phys_addr_t size, bool set, unsigned int flag)
{
	unsigned long start_rgn, end_rgn;
	int rc;

	rc = mbi_isolate_range(tx, type, base, size, &start_rgn, &end_rgn);
	if (!rc)
		mark_span(tx, type, start_rgn, end_rgn, flag, set);
	return rc;
}

/* memblock_set_node(): does nothing in a non-NUMA build. */
int mbi_set_node_range(struct mb_txn *tx, struct memblock_type *type, mb_phys_addr_t base,
		       mb_phys_addr_t size, int nid)
{
	unsigned long start_rgn, end_rgn;
	int rc;

	if (!tx->mb->cfg.numa)
		return 0;
	rc = mbi_isolate_range(tx, type, base, size, &start_rgn, &end_rgn);
	if (!rc)
		mark_span(tx, type, start_rgn, end_rgn, 0, nid);
	return rc;
}

int mbi_reserve_traced(struct mb_txn *tx, mb_phys_addr_t base, mb_phys_addr_t size,
		       const char *caller)
{
	if (mbi_tracing(tx->mb))
		mbi_trace_range(tx->mb, "memblock_reserve", base, size, caller);
	return mbi_add_range(tx, &tx->mb->reserved, base, size, mbi_max_numnodes(tx->mb), 0);
}

int mbi_phys_free_traced(struct mb_txn *tx, const char *name, mb_phys_addr_t base,
			 mb_phys_addr_t size, const char *caller)
{
	if (mbi_tracing(tx->mb))
		mbi_trace_range(tx->mb, name, base, size, caller);
	return mbi_remove_range(tx, &tx->mb->reserved, base, size);
}
