// SPDX-License-Identifier: MIT
/*
 * range.c - the range primitives every operation is built on (spec 3):
 * insert a region, remove one, merge a span, add a range, isolate a
 * range, remove a range, change flags or node over a range.
 */
#include "internal.h"

void rgn_set(struct mb_txn *tx, struct memblock_type *type, unsigned long idx,
	     const struct memblock_region *value)
{
	txn_log(tx, MB_UNDO_SET, type->regions, idx, type->cnt, &type->regions[idx]);
	mb_copy(&type->regions[idx], value, sizeof(*value));
}

/* memblock_insert_region(): the caller made sure cnt < max. */
void rgn_insert(struct mb_txn *tx, struct memblock_type *type, unsigned long idx,
		mb_phys_addr_t base, mb_phys_addr_t size, int nid, unsigned int flags)
{
	struct memblock_region *rgn = &type->regions[idx];

	txn_log(tx, MB_UNDO_INSERT, type->regions, idx, type->cnt, &type->regions[type->cnt]);
	mb_move(rgn + 1, rgn, (type->cnt - idx) * sizeof(*rgn));
	rgn->base = base;
	rgn->size = size;
	rgn->flags = flags;
	mb_set_region_nid(tx->mb, rgn, nid);
	type->cnt++;
	type->total_size += size;
}

static void remove_slot(struct mb_txn *tx, struct memblock_type *type, unsigned long idx)
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
	txn_log(tx, MB_UNDO_REMOVE, type->regions, idx, type->cnt, rgn);
	mb_move(rgn, rgn + 1, (type->cnt - (idx + 1)) * sizeof(*rgn));
	type->cnt--;
}

/* memblock_remove_region(), with the profile's empty-type convention. */
void rgn_remove(struct mb_txn *tx, struct memblock_type *type, unsigned long idx)
{
	struct memblock_region empty;

	type->total_size -= type->regions[idx].size;
	remove_slot(tx, type, idx);
	if (type->cnt)
		return;
	mb_zero(&empty, sizeof(empty));
	mb_set_region_nid(tx->mb, &empty, mb_max_numnodes(tx->mb));
	rgn_set(tx, type, 0, &empty);
	if (mb_prof(tx->mb)->empty_dummy)
		type->cnt = 1;
}

static bool can_merge(const struct memblock *mb, const struct memblock_region *a,
		      const struct memblock_region *b)
{
	return a->base + a->size == b->base && mb_region_nid(mb, a) == mb_region_nid(mb, b) &&
	       a->flags == b->flags;
}

/* memblock_merge_regions(): merge neighbours in [start_rgn - 1, end_rgn). */
void rgn_merge(struct mb_txn *tx, struct memblock_type *type, unsigned long start_rgn,
	       unsigned long end_rgn)
{
	unsigned long i;

	if (type->cnt == 0)
		return;
	mb_merge_window(tx->mb, type, &start_rgn, &end_rgn);
	i = start_rgn ? start_rgn - 1 : 0;
	if (end_rgn > type->cnt - 1)
		end_rgn = type->cnt - 1;
	while (i < end_rgn) {
		struct memblock_region this = type->regions[i];
		const struct memblock_region *next = &type->regions[i + 1];

		if (!can_merge(tx->mb, &this, next)) {
			i++;
			continue;
		}
		this.size += next->size;
		rgn_set(tx, type, i, &this);
		remove_slot(tx, type, i + 1);
		end_rgn--;
	}
}

static void warn_overlap(struct mb_txn *tx, const char *what, mb_phys_addr_t base,
			 mb_phys_addr_t end)
{
	struct memblock *mb = tx->mb;
	struct mb_text t;

	mb->stats.numa_overlap_warnings++;
	mb_text_reset(&t);
	mb_text_str(&t, "WARNING: memblock_add_range: WARN_ON(");
	mb_text_str(&t, what);
	mb_text_str(&t, ") adding ");
	text_pa_range(&t, mb, base, end - 1);
	mb_emit(mb, MB_LOG_WARN, &t);
}

/*
 * Step @idx forward to the first region of @type from @idx on that overlaps
 * [base, end). Regions are sorted, so false means none is left and @idx is
 * where a range at @end would be inserted.
 */
static bool next_overlap(const struct memblock_type *type, unsigned long *idx,
			 mb_phys_addr_t base, mb_phys_addr_t end)
{
	for (; *idx < type->cnt; (*idx)++) {
		const struct memblock_region *rgn = &type->regions[*idx];

		if (rgn->base >= end)
			return false;
		if (rgn->base + rgn->size > base)
			return true;
	}
	return false;
}

/*
 * Regions are sorted and never overlap, so their bases and their ends both
 * ascend: the number of regions whose end (or base) is at most @addr is a
 * binary search away. Linux finds the same place with a linear scan.
 */
unsigned long rgn_count_end_le(const struct memblock_type *type, mb_phys_addr_t addr)
{
	unsigned long lo = 0, hi = type->cnt;

	while (lo < hi) {
		unsigned long mid = lo + (hi - lo) / 2;
		const struct memblock_region *r = &type->regions[mid];

		if (r->base + r->size <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

unsigned long rgn_count_base_le(const struct memblock_type *type, mb_phys_addr_t addr)
{
	unsigned long lo = 0, hi = type->cnt;

	while (lo < hi) {
		unsigned long mid = lo + (hi - lo) / 2;

		if (type->regions[mid].base <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/*
 * One pass of memblock_add_range(): counts the gaps of [base, end) not
 * covered by @type, inserting them when @insert. Linux checks (WARN_ON)
 * every gap against the region above it, in both passes.
 */
static int add_pass(struct mb_txn *tx, struct memblock_type *type, unsigned long first,
		    mb_phys_addr_t base, mb_phys_addr_t end, int nid, unsigned int flags,
		    bool insert, long *start_rgn, unsigned long *end_rgn)
{
	unsigned long idx;
	int nr_new = 0;

	/*
	 * @first is rgn_count_end_le(type, base): next_overlap() would step
	 * over every region below it.
	 */
	for (idx = first; next_overlap(type, &idx, base, end); idx++) {
		const struct memblock_region *rgn = &type->regions[idx];
		mb_phys_addr_t rbase = rgn->base;
		mb_phys_addr_t rend = rbase + rgn->size;

		if (rbase > base) {
			if (tx->mb->cfg.numa && nid != mb_region_nid(tx->mb, rgn))
				warn_overlap(tx, "nid != memblock_get_region_node(rgn)", base,
					     rbase);
			if (flags != rgn->flags)
				warn_overlap(tx, "flags != rgn->flags", base, rbase);
			nr_new++;
			if (insert) {
				if (*start_rgn < 0)
					*start_rgn = (long)idx;
				*end_rgn = idx + 1;
				rgn_insert(tx, type, idx++, base, rbase - base, nid, flags);
			}
		}
		base = rend < end ? rend : end;
	}
	if (base < end) {
		nr_new++;
		if (insert) {
			if (*start_rgn < 0)
				*start_rgn = (long)idx;
			*end_rgn = idx + 1;
			rgn_insert(tx, type, idx, base, end - base, nid, flags);
		}
	}
	return nr_new;
}

static void add_to_empty(struct mb_txn *tx, struct memblock_type *type, mb_phys_addr_t base,
			 mb_phys_addr_t size, int nid, unsigned int flags)
{
	struct memblock_region r;

	r.base = base;
	r.size = size;
	r.flags = flags;
	mb_set_region_nid(tx->mb, &r, nid);
	rgn_set(tx, type, 0, &r);
	type->total_size = size;
	type->cnt = 1;
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
	if (base > mb_phys_max(mb))
		return -MB_ERANGE;
	*end = base + mb_cap_size(mb, base, size);
	return *size ? 1 : 0;
}

/*
 * memblock_add_range() for a range that overlaps nothing and merges with
 * a neighbour. Linux inserts it, then merges it away again: two moves of
 * the whole tail above it. Here the neighbour is widened in place and the
 * array ends up byte for byte as Linux leaves it, down to the stale copy
 * those moves leave in the slot at the old count. False (nothing done)
 * when the fast path does not apply.
 */
static bool add_merge_in_place(struct mb_txn *tx, struct memblock_type *type,
			       unsigned long idx, mb_phys_addr_t base, mb_phys_addr_t end,
			       int nid, unsigned int flags)
{
	unsigned long n = type->cnt;
	struct memblock_region nr, r;
	bool lo_merge, hi_merge;

	if (n + 1 > type->max || (idx < n && type->regions[idx].base < end))
		return false;
	mb_zero(&nr, sizeof(nr));
	nr.base = base;
	nr.size = end - base;
	nr.flags = flags;
	mb_set_region_nid(tx->mb, &nr, nid);
	lo_merge = idx && can_merge(tx->mb, &type->regions[idx - 1], &nr);
	hi_merge = idx < n && can_merge(tx->mb, &nr, &type->regions[idx]);
	if (!lo_merge && !hi_merge)
		return false;
	/* The slot at the old count: the last region, or the new one if on top. */
	rgn_set(tx, type, n, idx < n ? &type->regions[n - 1] : &nr);
	type->total_size += nr.size;
	if (!lo_merge) {
		nr.size += type->regions[idx].size;
		rgn_set(tx, type, idx, &nr);
		return true;
	}
	r = type->regions[idx - 1];
	r.size += nr.size;
	if (hi_merge)
		r.size += type->regions[idx].size;
	rgn_set(tx, type, idx - 1, &r);
	if (hi_merge)
		remove_slot(tx, type, idx);
	return true;
}

/* memblock_add_range() (spec 3). */
int add_range(struct mb_txn *tx, struct memblock_type *type, mb_phys_addr_t base,
	      mb_phys_addr_t size, int nid, unsigned int flags)
{
	mb_phys_addr_t end;
	bool insert = false;
	long start_rgn = -1;
	unsigned long end_rgn = 0, first;
	int nr_new, rc;

	rc = cap_range(tx->mb, base, &size, &end);
	if (rc <= 0)
		return rc;
	if (type->regions[0].size == 0) {
		add_to_empty(tx, type, base, size, nid, flags);
		return 0;
	}
	first = rgn_count_end_le(type, base);
	if (add_merge_in_place(tx, type, first, base, end, nid, flags)) {
		/* The window is already merged; older kernels still scan it all. */
		if (mb_prof(tx->mb)->merge_whole_array)
			rgn_merge(tx, type, 0, type->cnt);
		return 0;
	}
	if (type->cnt * 2 + 1 <= type->max)
		insert = true;
	nr_new = add_pass(tx, type, first, base, end, nid, flags, insert, &start_rgn, &end_rgn);
	if (!nr_new)
		return 0;
	if (!insert) {
		while (type->cnt + (unsigned long)nr_new > type->max) {
			rc = grow_type(tx, type, base, size);
			if (rc)
				return rc;
		}
		/* Growing may have reserved the new array: look again. */
		add_pass(tx, type, rgn_count_end_le(type, base), base, end, nid, flags, true,
			 &start_rgn, &end_rgn);
	}
	rgn_merge(tx, type, (unsigned long)start_rgn, end_rgn);
	return 0;
}

static void split_region(struct mb_txn *tx, struct memblock_type *type, unsigned long idx,
			 mb_phys_addr_t at)
{
	struct memblock_region top = type->regions[idx];
	mb_phys_addr_t rbase = top.base;

	top.base = at;
	top.size -= at - rbase;
	rgn_set(tx, type, idx, &top);
	type->total_size -= at - rbase;
	rgn_insert(tx, type, idx, rbase, at - rbase, mb_region_nid(tx->mb, &top), top.flags);
}

/* memblock_isolate_range(): [*start_rgn, *end_rgn) covers the range exactly. */
int isolate_range(struct mb_txn *tx, struct memblock_type *type, mb_phys_addr_t base,
		  mb_phys_addr_t size, unsigned long *start_rgn, unsigned long *end_rgn)
{
	mb_phys_addr_t end;
	unsigned long idx;
	int rc;

	*start_rgn = *end_rgn = 0;
	rc = cap_range(tx->mb, base, &size, &end);
	if (rc <= 0)
		return rc;
	while (type->cnt + 2 > type->max) {
		rc = grow_type(tx, type, base, size);
		if (rc)
			return rc;
	}
	for (idx = rgn_count_end_le(type, base); next_overlap(type, &idx, base, end); idx++) {
		const struct memblock_region *rgn = &type->regions[idx];
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

/*
 * memblock_remove_range() for a range that is the bottom or the top part
 * of a single region. Linux splits the region (moving the tail up) and
 * removes the piece (moving it down again); here the region just shrinks
 * in place, leaving the array byte for byte as Linux does, down to the
 * stale copy in the slot at the count. False (nothing done) when the fast
 * path does not apply; the caller then takes the general one.
 */
static bool remove_edge_in_place(struct mb_txn *tx, struct memblock_type *type,
				 mb_phys_addr_t base, mb_phys_addr_t size)
{
	unsigned long n = type->cnt, idx;
	struct memblock_region r, stale;
	mb_phys_addr_t end, rbase, rend;

	/* isolate_range() grows first when cnt + 2 > max: leave that to it. */
	if (cap_range(tx->mb, base, &size, &end) <= 0 || n + 2 > type->max)
		return false;
	idx = rgn_count_end_le(type, base);
	if (idx >= n)
		return false;
	r = type->regions[idx];
	rbase = r.base;
	rend = r.base + r.size;
	if (rbase > base || end > rend || (rbase == base) == (rend == end))
		return false;
	if (rbase == base) {
		/* Bottom part: the top half stays at idx. */
		r.base = end;
		r.size = rend - end;
		stale = idx + 1 == n ? r : type->regions[n - 1];
	} else {
		/* Top part: the bottom half stays, its node as split_region() sets it. */
		stale = r;
		stale.base = base;
		stale.size = rend - base;
		if (idx + 1 != n)
			stale = type->regions[n - 1];
		r.size = base - rbase;
		mb_set_region_nid(tx->mb, &r, mb_region_nid(tx->mb, &type->regions[idx]));
	}
	rgn_set(tx, type, n, &stale);
	rgn_set(tx, type, idx, &r);
	type->total_size -= size;
	return true;
}

/* memblock_remove_range(). */
int remove_range(struct mb_txn *tx, struct memblock_type *type, mb_phys_addr_t base,
		 mb_phys_addr_t size)
{
	unsigned long start_rgn, end_rgn, i;
	int rc;

	if (remove_edge_in_place(tx, type, base, size))
		return 0;
	rc = isolate_range(tx, type, base, size, &start_rgn, &end_rgn);
	if (rc)
		return rc;
	for (i = end_rgn; i > start_rgn; i--)
		rgn_remove(tx, type, i - 1);
	return 0;
}

/* memblock_setclr_flag(). */
int setclr_flag(struct mb_txn *tx, struct memblock_type *type, mb_phys_addr_t base,
		mb_phys_addr_t size, bool set, unsigned int flag)
{
	unsigned long start_rgn, end_rgn, i;
	int rc;

	rc = isolate_range(tx, type, base, size, &start_rgn, &end_rgn);
	if (rc)
		return rc;
	for (i = start_rgn; i < end_rgn; i++) {
		struct memblock_region r = type->regions[i];

		r.flags = set ? (r.flags | flag) : (r.flags & ~flag);
		rgn_set(tx, type, i, &r);
	}
	rgn_merge(tx, type, start_rgn, end_rgn);
	return 0;
}

/* memblock_set_node(): does nothing in a non-NUMA build. */
int set_node_range(struct mb_txn *tx, struct memblock_type *type, mb_phys_addr_t base,
		   mb_phys_addr_t size, int nid)
{
	unsigned long start_rgn, end_rgn, i;
	int rc;

	if (!tx->mb->cfg.numa)
		return 0;
	rc = isolate_range(tx, type, base, size, &start_rgn, &end_rgn);
	if (rc)
		return rc;
	for (i = start_rgn; i < end_rgn; i++) {
		struct memblock_region r = type->regions[i];

		mb_set_region_nid(tx->mb, &r, nid);
		rgn_set(tx, type, i, &r);
	}
	rgn_merge(tx, type, start_rgn, end_rgn);
	return 0;
}

int reserve_traced(struct mb_txn *tx, mb_phys_addr_t base, mb_phys_addr_t size,
		   const char *caller)
{
	trace_range(tx->mb, "memblock_reserve", base, size, caller);
	return add_range(tx, &tx->mb->reserved, base, size, mb_max_numnodes(tx->mb), 0);
}

int phys_free_traced(struct mb_txn *tx, const char *name, mb_phys_addr_t base,
		     mb_phys_addr_t size, const char *caller)
{
	trace_range(tx->mb, name, base, size, caller);
	return remove_range(tx, &tx->mb->reserved, base, size);
}
