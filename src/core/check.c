// SPDX-License-Identifier: MIT
/*
 * check.c - mb_check(): every invariant of memblock.h, with the first
 * violation described in words.
 */
#include "internal.h"

static int fail(const struct memblock *mb, const struct memblock_type *type, unsigned long idx,
		const char *what, char *msg, size_t len)
{
	struct mb_text *t;
	size_t i;

	t = mbi_line(mb);
	mb_text_str(t, type->name ? type->name : "?");
	mb_text_char(t, '[');
	mb_text_udec(t, idx);
	mb_text_str(t, "]: ");
	mb_text_str(t, what);
	if (type->regions && idx < type->max) {
		mb_text_str(t, " [");
		mb_text_pa(t, mb, mbi_st_at(mb, type, idx)->base);
		mb_text_str(t, " size ");
		mb_text_pa(t, mb, mbi_st_at(mb, type, idx)->size);
		mb_text_char(t, ']');
	}
	if (msg && len) {
		for (i = 0; i + 1 < len && i < t->len; i++)
			msg[i] = t->buf[i];
		msg[i] = '\0';
	}
	mbi_line_drop(t);
	return -MB_ECORRUPT;
}

static bool is_empty(const struct memblock *mb, const struct memblock_type *type)
{
	if (mbi_prof(mb)->empty_dummy)
		return type->cnt == 1 && mbi_st_at(mb, type, 0)->size == 0;
	return type->cnt == 0;
}

static int check_empty(const struct memblock *mb, const struct memblock_type *type,
		       mb_phys_addr_t excess, char *msg, size_t len)
{
	const struct memblock_region *r = mbi_st_at(mb, type, 0);

	if (r->base || r->size || r->flags)
		return fail(mb, type, 0, "empty type's regions[0] not zeroed", msg, len);
	if (type->total_size != excess)
		return fail(mb, type, 0, "empty type with total_size != 0", msg, len);
	return 0;
}

/*
 * Linux's cap_memory_range() isolates, keeps NOMAP pieces and never
 * merges: NOMAP memory may stay split (spec 7, a quirk we keep).
 */
static bool cap_quirk(const struct memblock *mb, const struct memblock_type *type,
		      const struct memblock_region *r)
{
	return type == &mb->memory && (r->flags & MB_FLAG_NOMAP);
}

static int check_region(const struct memblock *mb, const struct memblock_type *type,
			unsigned long i, char *msg, size_t len)
{
	const struct memblock_region *r = mbi_st_at(mb, type, i);
	const struct memblock_region *next;
	int nid = r->nid;

	if (!r->size)
		return fail(mb, type, i, "zero-sized region", msg, len);
	if (r->base > mbi_phys_max(mb) || r->size > mbi_phys_max(mb) - r->base)
		return fail(mb, type, i, "region wraps", msg, len);
	/* NUMA builds store any nid as given; without NUMA there is only node 0. */
	if (!mb->cfg.numa && nid != 0)
		return fail(mb, type, i, "nid without NUMA", msg, len);
	if (i + 1 >= type->cnt)
		return 0;
	next = mbi_st_at(mb, type, i + 1);
	if (r->base + r->size > next->base)
		return fail(mb, type, i, "overlaps or is not sorted before the next", msg, len);
	if (r->base + r->size == next->base && r->flags == next->flags &&
	    mbi_region_nid(mb, r) == mbi_region_nid(mb, next) && !cap_quirk(mb, type, r))
		return fail(mb, type, i, "not merged with the next", msg, len);
	return 0;
}

static bool index_wanted(const struct memblock *mb, const struct memblock_type *type)
{
	return mb->index_mode == MB_INDEX_ON ||
	       (mb->index_mode == MB_INDEX_AUTO && type->max >= MB_INDEX_AUTO_MAX);
}

/*
 * An indexed type: the index sound, as big as the array, holding cnt
 * regions, and the array equal to it unless marked stale.
 */
static int check_index(const struct memblock *mb, const struct memblock_type *type, char *msg,
		       size_t len)
{
	int t = mbi_st_slot(mb, type);
	const struct mb_index *ix = &mb->index[t];
	unsigned long i;

	if (!ix->nodes != !index_wanted(mb, type))
		return fail(mb, type, 0, ix->nodes ? "indexed against the index mode"
						   : "not indexed against the index mode",
			    msg, len);
	if (!ix->nodes)
		return mb->view_stale[t] ? fail(mb, type, 0, "flat but marked stale", msg, len) : 0;
	/* No region is read from a corrupt index: idx max names none. */
	if (mbi_index_check(ix))
		return fail(mb, type, type->max, "index corrupt", msg, len);
	if (ix->cnt != type->cnt || ix->cap != type->max)
		return fail(mb, type, 0, "index count or capacity differs from the type", msg, len);
	if (mb->view_stale[t])
		return 0;
	for (i = 0; i < type->cnt; i++) {
		const struct memblock_region *a = &type->regions[i], *b = mbi_st_at(mb, type, i);

		if (a->base != b->base || a->size != b->size || a->flags != b->flags ||
		    a->nid != b->nid)
			return fail(mb, type, i, "array differs from the index, not marked stale",
				    msg, len);
	}
	return 0;
}

/*
 * @excess: what total_size may hold above the sum of sizes: only what
 * trim left in memory (spec 7), exactly.
 */
static int check_type(const struct memblock *mb, const struct memblock_type *type,
		      mb_phys_addr_t excess, char *msg, size_t len)
{
	mb_phys_addr_t sum = 0;
	unsigned long i;
	int rc;

	if (!type->regions || !type->max)
		return fail(mb, type, 0, "no storage", msg, len);
	if (type->cnt > type->max)
		return fail(mb, type, 0, "cnt > max", msg, len);
	if (mbi_prof(mb)->empty_dummy && !type->cnt)
		return fail(mb, type, 0, "cnt 0 (profile keeps a dummy)", msg, len);
	rc = check_index(mb, type, msg, len);
	if (rc)
		return rc;
	if (is_empty(mb, type) || (!type->cnt && !mbi_prof(mb)->empty_dummy))
		return check_empty(mb, type, excess, msg, len);
	for (i = 0; i < type->cnt; i++) {
		rc = check_region(mb, type, i, msg, len);
		if (rc)
			return rc;
		sum += mbi_st_at(mb, type, i)->size;
	}
	if (sum + excess != type->total_size)
		return fail(mb, type, type->cnt - 1, "total_size is not the sum of sizes", msg,
			    len);
	return 0;
}

int mb_check(const struct memblock *mb, char *msg, size_t len)
{
	int rc;

	if (msg && len)
		msg[0] = '\0';
	if (!mb || !mb->cfg.profile)
		return -MB_EINVAL;
	rc = check_type(mb, &mb->memory, mb->memory_trim_excess, msg, len);
	if (!rc)
		rc = check_type(mb, &mb->reserved, 0, msg, len);
	if (!rc && mb->physmem.regions)
		rc = check_type(mb, &mb->physmem, 0, msg, len);
	return rc;
}
