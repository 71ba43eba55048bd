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
	MB_UNDO_MOVE	/* the array moved from regions to moved_to (cnt = old max) */
};

/* A handle on the call being made; its state is mb->journal. */
struct mb_txn {
	struct memblock *mb;
};

/* txn.c */
void mbi_txn_begin(struct mb_txn *tx, struct memblock *mb);
void mbi_txn_begin_as(struct mb_txn *tx, struct memblock *mb, bool may_fail_late);
int mbi_txn_end(struct mb_txn *tx, int rc);
void mbi_txn_record(struct mb_txn *tx, enum mb_undo_kind kind, struct memblock_region *regions,
		    unsigned long idx, unsigned long cnt, const struct memblock_region *saved);

/* Journal a write to a region array; a direct call (see txn.c) only counts it. */
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
int mbi_nid_filter(const struct memblock *mb, int nid, unsigned int site, const char *func);
void mbi_merge_window(const struct memblock *mb, const struct memblock_type *type,
		     unsigned long *start_rgn, unsigned long *end_rgn);

/* iter.c: the memory filter of the free-range walks. */
bool mbi_skip_mem_region(const struct memblock *mb, const struct memblock_type *type,
			const struct memblock_region *m, int nid, unsigned int flags);

/* range.c: the primitives. */
void mbi_rgn_insert(struct mb_txn *tx, struct memblock_type *type, unsigned long idx,
		mb_phys_addr_t base, mb_phys_addr_t size, int nid, unsigned int flags);
void mbi_rgn_remove(struct mb_txn *tx, struct memblock_type *type, unsigned long idx);
void mbi_rgn_set(struct mb_txn *tx, struct memblock_type *type, unsigned long idx,
	     const struct memblock_region *value);
void mbi_rgn_merge(struct mb_txn *tx, struct memblock_type *type, unsigned long start_rgn,
	       unsigned long end_rgn);
int mbi_add_range(struct mb_txn *tx, struct memblock_type *type, mb_phys_addr_t base,
	      mb_phys_addr_t size, int nid, unsigned int flags);
int mbi_isolate_range(struct mb_txn *tx, struct memblock_type *type, mb_phys_addr_t base,
		  mb_phys_addr_t size, unsigned long *start_rgn, unsigned long *end_rgn);
bool mbi_add_may_fail_late(const struct memblock_type *type);
bool mbi_isolate_may_fail_late(const struct memblock_type *type);
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
long mbi_search(const struct memblock_type *type, mb_phys_addr_t addr);

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

/* format.c: trace lines (printed only when mb->debug). */
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

#endif /* MEMBLOCK_CORE_INTERNAL_H */
