/* SPDX-License-Identifier: MIT */
/*
 * internal.h - private helpers of the freestanding memblock core.
 *
 * Every mutating internal function takes a struct mb_txn: the transaction
 * of the public call being made. Its state (mb->journal) holds a snapshot
 * of the instance and an undo journal of every write to a region array,
 * so a public call that fails can be rolled back exactly (see
 * docs/core.md, "Deliberate differences from Linux", and txn.c).
 */
#ifndef MEMBLOCK_CORE_INTERNAL_H
#define MEMBLOCK_CORE_INTERNAL_H

#include <memblock/memblock.h>

#include "mb_env.h"

/*
 * Array growth recurses (a new array is reserved, an old one freed), so
 * the frames on that path are what bounds a call's stack. Helpers with
 * big locals off that path stay out of line to keep their bytes off it.
 */
#if defined(__GNUC__) || defined(__clang__)
#define MB_COLD_HELPER __attribute__((noinline))
#else
#define MB_COLD_HELPER
#endif

enum mb_undo_kind {
	MB_UNDO_INSERT, /* a region was inserted at idx; saved = old slot[cnt] */
	MB_UNDO_REMOVE, /* region idx was removed; saved = it */
	MB_UNDO_SET,	/* slot idx was overwritten; saved = old value */
	MB_UNDO_MOVE,	/* the array moved from regions to moved_to (cnt = old max) */
	/* The same on an index: rank idx of the type in slot cnt (store.h). */
	MB_UNDO_IX_INSERT,
	MB_UNDO_IX_REMOVE,
	MB_UNDO_IX_SET
};

/* A handle on the call being made; its state is mb->journal. */
struct mb_txn {
	struct memblock *mb;
};

/* txn.c */
void mbi_txn_begin(struct mb_txn *tx, struct memblock *mb);
int mbi_txn_finish(struct mb_txn *tx, int rc);
void mbi_txn_record(struct mb_txn *tx, enum mb_undo_kind kind, struct memblock_region *regions,
		    unsigned long idx, unsigned long cnt, const struct memblock_region *saved);

/*
 * A call whose every failure comes before its first write (the
 * mbi_*_may_fail_late() tests below say so) has nothing to undo: it runs direct,
 * saving no snapshot and no journal. On a small instance that
 * bookkeeping costs as much as the work (docs/core.md, "All or nothing").
 */
static inline void mbi_txn_begin_as(struct mb_txn *tx, struct memblock *mb, bool may_fail_late)
{
	if (may_fail_late) {
		mbi_txn_begin(tx, mb);
		return;
	}
	tx->mb = mb;
	mb->journal.direct = true;
}

/*
 * The end of a call: undo everything on failure (rc < 0), then leave the
 * journal all zero. A direct call saved nothing and has nothing to undo;
 * its writes were only counted, so that a failure after one (a broken
 * promise) shows in stats.inexact_rollbacks.
 */
static inline int mbi_txn_end(struct mb_txn *tx, int rc)
{
	struct mb_journal *j = &tx->mb->journal;

	if (!j->direct)
		return mbi_txn_finish(tx, rc);
	if (rc < 0 && j->nr)
		tx->mb->stats.inexact_rollbacks++;
	j->nr = 0;
	j->direct = false;
	mb_zero(&j->req, sizeof(j->req));
	/* An index write passes its region through the instance (range.c). */
	if (tx->mb->index_mode != MB_INDEX_OFF)
		mb_zero(&j->scratch, sizeof(j->scratch));
	return rc;
}

/* Journal a write to a region array; a direct call only counts it. */
static inline void mbi_txn_log(struct mb_txn *tx, enum mb_undo_kind kind,
			       struct memblock_region *regions, unsigned long idx,
			       unsigned long cnt, const struct memblock_region *saved)
{
	if (tx->mb->journal.direct) {
		tx->mb->journal.nr++;
		return;
	}
	mbi_txn_record(tx, kind, regions, idx, cnt, saved);
}
void mbi_txn_log_move(struct mb_txn *tx, struct memblock_region *old_regions,
		  struct memblock_region *new_regions, unsigned long old_max);

/*
 * Settings helpers. The small ones are inline: every region visit of a
 * walk reads a node or the profile, and at a few hundred regions a call
 * into another file per visit costs more than the visit.
 */
static inline mb_phys_addr_t mbi_phys_max(const struct memblock *mb)
{
	if (mb->cfg.phys_bits >= sizeof(mb_phys_addr_t) * CHAR_BIT)
		return MB_PHYS_ADDR_MAX;
	return (mb_phys_addr_t)(((uint64_t)1 << mb->cfg.phys_bits) - 1);
}

static inline int mbi_max_numnodes(const struct memblock *mb)
{
	return mb->cfg.max_numnodes;
}

static inline bool mbi_valid_node(const struct memblock *mb, int nid)
{
	return nid >= 0 && nid < mb->cfg.max_numnodes;
}

/* Without NUMA the kernel has no nid field: every region is node 0. */
static inline int mbi_region_nid(const struct memblock *mb, const struct memblock_region *r)
{
	return mb->cfg.numa ? r->nid : 0;
}

static inline void mbi_set_region_nid(const struct memblock *mb, struct memblock_region *r,
				      int nid)
{
	r->nid = mb->cfg.numa ? nid : 0;
}

static inline const struct mb_profile *mbi_prof(const struct memblock *mb)
{
	return mb->cfg.profile;
}

static inline bool mbi_is_pow2(mb_phys_addr_t v)
{
	return v && !(v & (v - 1));
}

static inline mb_phys_addr_t mbi_round_down(mb_phys_addr_t v, mb_phys_addr_t align)
{
	return v & ~(align - 1);
}

/* The kernel's round_up(): wraps to 0 at the top, align 0 gives 0. */
static inline mb_phys_addr_t mbi_round_up(mb_phys_addr_t v, mb_phys_addr_t align)
{
	return ((v - 1) | (align - 1)) + 1;
}

/* memblock_cap_size(): never let base + size wrap past the phys width. */
static inline mb_phys_addr_t mbi_cap_size(const struct memblock *mb, mb_phys_addr_t base,
					  mb_phys_addr_t *size)
{
	mb_phys_addr_t room = mbi_phys_max(mb) - base;

	if (*size > room)
		*size = room;
	return *size;
}

/* init.c */
unsigned long mbi_pfn_up(const struct memblock *mb, mb_phys_addr_t addr);
unsigned long mbi_pfn_down(const struct memblock *mb, mb_phys_addr_t addr);

/* profile.c: the policy hooks. */
#define MB_WARN_SITE_NEXT_RANGE 0x1u
#define MB_WARN_SITE_NEXT_RANGE_REV 0x2u
#define MB_WARN_SITE_ALLOC_NID 0x4u
/* True when @nid selects every node under the profile's node rule. */
static inline bool mbi_nid_is_any(const struct memblock *mb, int nid)
{
	if (mbi_prof(mb)->nid_rule == MB_NID_MAX_DEPRECATED)
		return nid == MB_NUMA_NO_NODE;
	return !mbi_valid_node(mb, nid);
}
bool mbi_pfn_nid_is_any(const struct memblock *mb, int nid);
int mbi_nid_deprecated(const struct memblock *mb, unsigned int site, const char *func);

/*
 * The nid a walk or an allocation filters with: @nid, but for kernels
 * that deprecated MAX_NUMNODES (mbi_nid_deprecated()).
 */
static inline int mbi_nid_filter(const struct memblock *mb, int nid, unsigned int site,
				 const char *func)
{
	if (mbi_prof(mb)->nid_rule != MB_NID_MAX_DEPRECATED || nid != mbi_max_numnodes(mb))
		return nid;
	return mbi_nid_deprecated(mb, site, func);
}
void mbi_merge_window(const struct memblock *mb, const struct memblock_type *type,
		     unsigned long *start_rgn, unsigned long *end_rgn);

/* The memory filter of the free-range walks: true when they leave @m (of @type) out. */
static inline bool mbi_skip_mem_region(const struct memblock *mb,
				       const struct memblock_type *type,
				       const struct memblock_region *m, int nid,
				       unsigned int flags)
{
	if (type != &mb->memory)
		return false;
	if (mb->capping && (m->base >= mb->cap_end || m->base + m->size <= mb->cap_base))
		return true;
	if (!mbi_nid_is_any(mb, nid) && nid != mbi_region_nid(mb, m))
		return true;
	if (mb->cfg.movable_node && (m->flags & MB_FLAG_HOTPLUG) && !(flags & MB_FLAG_HOTPLUG))
		return true;
	if ((flags & MB_FLAG_MIRROR) && !(m->flags & MB_FLAG_MIRROR))
		return true;
	if (!(flags & MB_FLAG_NOMAP) && (m->flags & MB_FLAG_NOMAP))
		return true;
	if (!(flags & MB_FLAG_DRIVER_MANAGED) && (m->flags & MB_FLAG_DRIVER_MANAGED))
		return true;
	return false;
}

/*
 * A walk with no capping, node, movable_node or mirror filter leaves a
 * memory region out by its flags alone: mbi_skip_mem_region() is then
 * (m->flags & mbi_skip_flags(flags)) != 0. Searches test this once.
 */
static inline bool mbi_walk_is_plain(const struct memblock *mb, int nid, unsigned int flags)
{
	return !mb->capping && mbi_nid_is_any(mb, nid) && !mb->cfg.movable_node &&
	       !(flags & MB_FLAG_MIRROR);
}

static inline unsigned int mbi_skip_flags(unsigned int flags)
{
	return ~flags & (MB_FLAG_NOMAP | MB_FLAG_DRIVER_MANAGED);
}


/* range.c: the primitives. */
void mbi_rgn_insert(struct mb_txn *tx, struct memblock_type *type, unsigned long idx,
		mb_phys_addr_t base, mb_phys_addr_t size, int nid, unsigned int flags);
void mbi_rgn_remove(struct mb_txn *tx, struct memblock_type *type, unsigned long idx);
void mbi_rgn_set(struct mb_txn *tx, struct memblock_type *type, unsigned long idx,
	     const struct memblock_region *value);
void mbi_rgn_fill_first(struct mb_txn *tx, struct memblock_type *type,
			const struct memblock_region *value);
void mbi_rgn_merge(struct mb_txn *tx, struct memblock_type *type, unsigned long start_rgn,
	       unsigned long end_rgn);
int mbi_add_range(struct mb_txn *tx, struct memblock_type *type, mb_phys_addr_t base,
	      mb_phys_addr_t size, int nid, unsigned int flags);
int mbi_isolate_range(struct mb_txn *tx, struct memblock_type *type, mb_phys_addr_t base,
		  mb_phys_addr_t size, unsigned long *start_rgn, unsigned long *end_rgn);

/*
 * Whether mbi_add_range() on @type may fail after its first write: only
 * when it may grow the array (add_grown(): a second doubling can fail
 * after a first one). Every other failure comes before any write. A new
 * failure point after a write on the add_fits() path must show here:
 * calls for which this is false skip the undo journal (txn.c).
 */
static inline bool mbi_add_may_fail_late(const struct memblock_type *type)
{
	return type->cnt * 2 + 1 > type->max;
}

/*
 * Whether isolating a range of @type (and so mbi_remove_range(), a flag
 * change or a set_node) may fail after its first write: only when it may
 * grow the array first, as mbi_add_may_fail_late().
 */
static inline bool mbi_isolate_may_fail_late(const struct memblock_type *type)
{
	return type->cnt + 2 > type->max;
}
int mbi_remove_range(struct mb_txn *tx, struct memblock_type *type, mb_phys_addr_t base,
		 mb_phys_addr_t size);
unsigned long mbi_rgn_count_end_le(const struct memblock_type *type, mb_phys_addr_t addr);
unsigned long mbi_rgn_count_base_le(const struct memblock_type *type, mb_phys_addr_t addr);
int mbi_setclr_flag(struct mb_txn *tx, struct memblock_type *type, mb_phys_addr_t base,
		mb_phys_addr_t size, bool set, unsigned int flag);
int mbi_set_node_range(struct mb_txn *tx, struct memblock_type *type, mb_phys_addr_t base,
		   mb_phys_addr_t size, int nid);
/* Traced reserve / physical free, as memblock_reserve / memblock_phys_free. */
int mbi_reserve_traced(struct mb_txn *tx, mb_phys_addr_t base, mb_phys_addr_t size,
		   const char *caller);
int mbi_phys_free_traced(struct mb_txn *tx, const char *name, mb_phys_addr_t base,
		     mb_phys_addr_t size, const char *caller);

/* store.c: index pools across doublings (see store.c). */
int mbi_st_pool_prepare(struct mb_txn *tx, const struct memblock_type *type);
void mbi_st_pool_cancel(struct mb_txn *tx);
void mbi_st_pool_commit(struct mb_txn *tx);
void mbi_st_pool_undo(struct memblock *mb, const struct mb_pool_undo *p);
void mbi_st_pools_end(struct memblock *mb, bool failed);

/* grow.c */
int mbi_grow_type(struct mb_txn *tx, struct memblock_type *type, mb_phys_addr_t new_area_start,
	      mb_phys_addr_t new_area_size);

/* alloc.c */
mb_phys_addr_t mbi_find_in_range_node(const struct memblock *mb, mb_phys_addr_t size,
				  mb_phys_addr_t align, mb_phys_addr_t start, mb_phys_addr_t end,
				  int nid, unsigned int flags);
mb_phys_addr_t mbi_find_in_range(struct memblock *mb, mb_phys_addr_t start, mb_phys_addr_t end,
			     mb_phys_addr_t size, mb_phys_addr_t align);
void mbi_warn_mirror(const struct memblock *mb, mb_phys_addr_t size);

/* query.c */
long mbi_search(const struct memblock *mb, const struct memblock_type *type, mb_phys_addr_t addr);

/*
 * format.c: the instance's line buffer, empty. Core output builds one
 * line at a time, so the line lives in the instance, not on the stack;
 * mbi_line_emit() prints it and zeroes it again (an instance must not be a
 * const object, and ops.print must not call back into it).
 */
struct mb_text *mbi_line(const struct memblock *mb);
void mbi_line_emit(const struct memblock *mb, enum mb_log_level level, struct mb_text *t);
void mbi_line_drop(struct mb_text *t);

/* format.c: "[%pa-%pa]", the kernel's way to print a range (@last inclusive). */
void mbi_text_pa_range(struct mb_text *t, const struct memblock *mb, mb_phys_addr_t base,
		   mb_phys_addr_t last);

/*
 * format.c: trace lines (printed only when mb->debug). Hot callers test
 * mbi_tracing() first: the call and its many arguments cost more than a
 * small call's work.
 */
static inline bool mbi_tracing(const struct memblock *mb)
{
	return mb->debug;
}

void mbi_trace_range(const struct memblock *mb, const char *name, mb_phys_addr_t base,
		 mb_phys_addr_t size, const char *caller);
void mbi_trace_free_early(const struct memblock *mb, const char *name, mb_phys_addr_t base,
		      mb_phys_addr_t size, const char *caller);
void mbi_trace_add_node(const struct memblock *mb, mb_phys_addr_t base, mb_phys_addr_t size,
		    int nid, unsigned int flags, const char *caller);
void mbi_trace_alloc_nid(const struct memblock *mb, const char *name, mb_phys_addr_t size,
		     mb_phys_addr_t align, int nid, mb_phys_addr_t from, mb_phys_addr_t max_addr,
		     const char *caller);
void mbi_trace_phys_alloc(const struct memblock *mb, const char *name, mb_phys_addr_t size,
		      mb_phys_addr_t align, mb_phys_addr_t from, mb_phys_addr_t max_addr,
		      const char *caller);
void mbi_print(const struct memblock *mb, enum mb_log_level level, const char *s1,
	      const char *s2, const char *s3);

#include "store.h"

#endif /* MEMBLOCK_CORE_INTERNAL_H */
