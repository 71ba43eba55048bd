// SPDX-License-Identifier: MIT
/*
 * state.c - the struct memblock a replay drives: creation with settings
 * detected from the log, growth storage, and rebuilding the state from a
 * dump (seeding a log that starts late, resynchronising after a dump that
 * differs).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <memblock/host_index.h>

#include "replay_internal.h"

#define INITIAL_REGIONS 1024
#define INITIAL_PHYSMEM 64

void mbti_replay_note(struct mbt_replay *r, const char *fmt, ...)
{
	va_list ap;

	if (r->nr_notes >= MBT_MAX_NOTES)
		return;
	va_start(ap, fmt);
	vsnprintf(r->notes[r->nr_notes++], MBT_NOTE_LEN, fmt, ap);
	va_end(ap);
}

bool mbti_to_phys(uint64_t v, mb_phys_addr_t *out)
{
	*out = (mb_phys_addr_t)v;
	return (uint64_t)*out == v;
}

/* Bytes of a printed [base-last] range; an end just below the start is 0. */
uint64_t mbti_range_size(uint64_t base, uint64_t last)
{
	if (last + 1 == base)
		return 0;
	if (last == UINT64_MAX && base == 0)
		return UINT64_MAX; /* the whole space: capped by the core */
	return last - base + 1;
}

/* MB_GROW_CALLBACK: new storage from the heap; the old one is kept until fini. */
static struct memblock_region *grow_regions(void *ctx, const struct memblock_type *type,
					    unsigned long new_max)
{
	struct mbt_replay *r = ctx;
	struct memblock_region *regions;

	(void)type;
	if (!mbti_grow((void **)&r->old_arrays, &r->cap_old, r->nr_old + 1,
		      sizeof(*r->old_arrays)))
		return NULL;
	regions = calloc(new_max, sizeof(*regions));
	if (regions)
		r->old_arrays[r->nr_old++] = regions;
	return regions;
}

int mbti_state_alloc(struct mbt_replay *r)
{
	static const unsigned long max[MBT_TYPE_COUNT] = {INITIAL_REGIONS, INITIAL_REGIONS,
							  INITIAL_PHYSMEM};

	for (int t = 0; t < MBT_TYPE_COUNT; t++) {
		r->arrays[t] = calloc(max[t], sizeof(struct memblock_region));
		if (!r->arrays[t])
			return -MB_ENOMEM;
		r->array_max[t] = max[t];
	}
	return 0;
}

void mbti_state_free(struct mbt_replay *r)
{
	mb_host_index_release(&r->mb);
	for (int t = 0; t < MBT_TYPE_COUNT; t++) {
		free(r->arrays[t]);
		r->arrays[t] = NULL;
		free(r->dump_regions[t]);
		r->dump_regions[t] = NULL;
	}
	for (size_t i = 0; i < r->nr_old; i++)
		free(r->old_arrays[i]);
	free(r->old_arrays);
	r->old_arrays = NULL;
	r->nr_old = r->cap_old = 0;
	free(r->pre_dump_ranges);
	r->pre_dump_ranges = NULL;
	free(r->pre_dump_memops);
	r->pre_dump_memops = NULL;
}

/* (Re)initialise the instance, keeping direction and limit. */
int mbti_state_init(struct mbt_replay *r)
{
	bool bottom_up = r->mb.bottom_up;
	mb_phys_addr_t limit = r->mb.current_limit;
	bool first = !r->cfg.memory_regions;
	int err;

	if (first) {
		mb_config_default(&r->cfg);
		r->cfg.profile = mb_profile_by_name(r->profile_name);
		r->cfg.phys_bits = r->phys_bits;
		r->cfg.numa = r->numa;
		r->cfg.debug = false;
		r->cfg.grow_policy = MB_GROW_CALLBACK;
		r->cfg.ops.grow = grow_regions;
		r->cfg.ops.grow_ctx = r;
		mb_host_index_install(&r->cfg.ops);
		r->cfg.memory_regions = r->arrays[MBT_TYPE_MEMORY];
		r->cfg.memory_max = r->array_max[MBT_TYPE_MEMORY];
		r->cfg.reserved_regions = r->arrays[MBT_TYPE_RESERVED];
		r->cfg.reserved_max = r->array_max[MBT_TYPE_RESERVED];
		r->cfg.physmem_regions = r->arrays[MBT_TYPE_PHYSMEM];
		r->cfg.physmem_max = r->array_max[MBT_TYPE_PHYSMEM];
	}
	mb_host_index_release(&r->mb);
	for (int t = 0; t < MBT_TYPE_COUNT; t++)
		memset(r->arrays[t], 0, r->array_max[t] * sizeof(struct memblock_region));
	err = mb_init(&r->mb, &r->cfg);
	if (!err)
		err = mb_host_index_apply(&r->mb, r->opt.index);
	if (err)
		return err;
	mb_allow_resize(&r->mb);
	if (first) {
		mb_set_bottom_up(&r->mb, r->opt.bottom_up == 1);
		if (r->opt.current_limit && mbti_to_phys(r->opt.current_limit, &limit))
			mb_set_current_limit(&r->mb, limit);
	} else {
		mb_set_bottom_up(&r->mb, bottom_up);
		mb_set_current_limit(&r->mb, limit);
	}
	return 0;
}

static bool nid_valid(const struct mbt_replay *r, int nid)
{
	return nid >= 0 && nid < r->cfg.max_numnodes;
}

static int add_memory_region(struct mbt_replay *r, const struct memblock_region *rgn)
{
	unsigned int flags = rgn->flags;
	int err;

	if (!rgn->size)
		return 0;
	if (nid_valid(r, rgn->nid))
		return mb_add_node(&r->mb, rgn->base, rgn->size, rgn->nid, flags);
	err = mb_add(&r->mb, rgn->base, rgn->size);
	if (!err && (flags & MB_FLAG_HOTPLUG))
		err = mb_mark_hotplug(&r->mb, rgn->base, rgn->size);
	if (!err && (flags & MB_FLAG_MIRROR))
		err = mb_mark_mirror(&r->mb, rgn->base, rgn->size);
	if (!err && (flags & MB_FLAG_NOMAP))
		err = mb_mark_nomap(&r->mb, rgn->base, rgn->size);
	return err;
}

static int reserve_piece(struct mbt_replay *r, uint64_t base, uint64_t end,
			 const struct memblock_region *rgn, const char *label, unsigned int line)
{
	mb_phys_addr_t pbase, psize;
	int err;

	if (!mbti_to_phys(base, &pbase) || !mbti_to_phys(end - base, &psize))
		return -MB_ERANGE;
	err = mb_reserve(&r->mb, pbase, psize);
	if (!err && (rgn->flags & MB_FLAG_RSRV_NOINIT))
		err = mb_reserved_mark_noinit(&r->mb, pbase, psize);
	if (!err && nid_valid(r, rgn->nid))
		err = mb_set_node(&r->mb, pbase, psize, &r->mb.reserved, rgn->nid);
	if (!err && r->an && label)
		mbti_an_reserve(r->an, base, end - base, label, line);
	r->seeded_reserved += !err;
	return err;
}

/* Reserve @rgn minus the ranges the log itself reserved before the dump. */
static int reserve_minus_pre(struct mbt_replay *r, const struct memblock_region *rgn,
			     const char *label, unsigned int line)
{
	uint64_t base = rgn->base, end = rgn->base + rgn->size;

	while (base < end) {
		uint64_t cut_start = end, cut_end = end;

		/* The lowest logged range that overlaps [base, end). */
		for (size_t i = 0; i < r->nr_pre_dump; i++) {
			uint64_t s = r->pre_dump_ranges[2 * i],
				 e = r->pre_dump_ranges[2 * i + 1] + 1;

			if (e <= base || s >= end || e == 0)
				continue;
			if ((s < base ? base : s) < cut_start) {
				cut_start = s < base ? base : s;
				cut_end = e;
			}
		}
		if (cut_start > base) {
			int err = reserve_piece(r, base, cut_start, rgn, label, line);

			if (err)
				return err;
		}
		base = cut_end > end ? end : cut_end;
		if (cut_start == end)
			break;
	}
	return 0;
}

/*
 * Rebuild the instance from the collected dump. With @seed, the reserved
 * ranges the log reserves before that dump are left out: replaying the
 * log adds them back in order.
 */
/* The dump cannot be rebuilt: say which region, on which line, and why. */
static int dump_failed(struct mbt_replay *r, enum mbt_type type, const struct memblock_region *rgn,
		       unsigned int line, int err)
{
	r->fail_line = line;
	snprintf(r->fail_why, sizeof(r->fail_why),
		 "cannot rebuild %s region [%#llx-%#llx] of this dump in a %u-bit phys_addr_t: %s",
		 mbti_type_name(type), (unsigned long long)rgn->base,
		 (unsigned long long)(rgn->base + rgn->size - 1), r->phys_bits, mb_strerror(err));
	return err;
}

int mbti_state_from_dump(struct mbt_replay *r, bool seed, unsigned int line)
{
	const struct memblock_region *rgn;
	char label[48];
	int err = mbti_state_init(r);

	if (err)
		return err;
	r->seeded_reserved = 0;
	snprintf(label, sizeof(label), seed ? "(before the log)" : "(untraced, dump line %u)",
		 line);
	for (unsigned long i = 0; i < r->dump_nr[MBT_TYPE_MEMORY]; i++) {
		if (seed && !r->memory_from_dump)
			break; /* the log's own add lines build it */
		err = add_memory_region(r, &r->dump_regions[MBT_TYPE_MEMORY][i]);
		if (err)
			return dump_failed(r, MBT_TYPE_MEMORY, &r->dump_regions[MBT_TYPE_MEMORY][i],
					   line, err);
	}
	for (unsigned long i = 0; i < r->dump_nr[MBT_TYPE_PHYSMEM]; i++) {
		if (seed && !r->memory_from_dump)
			break;
		rgn = &r->dump_regions[MBT_TYPE_PHYSMEM][i];
		if (rgn->size && (err = mb_physmem_add(&r->mb, rgn->base, rgn->size)))
			return dump_failed(r, MBT_TYPE_PHYSMEM, rgn, line, err);
	}
	for (unsigned long i = 0; i < r->dump_nr[MBT_TYPE_RESERVED]; i++) {
		rgn = &r->dump_regions[MBT_TYPE_RESERVED][i];
		if (!rgn->size)
			continue;
		err = seed ? reserve_minus_pre(r, rgn, label, line)
			   : reserve_piece(r, rgn->base, rgn->base + rgn->size, rgn, NULL, line);
		if (err)
			return dump_failed(r, MBT_TYPE_RESERVED, rgn, line, err);
	}
	/* A resync keeps the owners the trace named for what is still reserved. */
	if (r->an && !seed)
		mbti_an_reconcile(r->an, &r->mb, label, line);
	/*
	 * Keep the printed totals: Linux leaves memory.total_size stale after
	 * memblock_trim_memory() (spec 7), so the sum of the regions may differ.
	 */
	if (r->dump_sizes_seen && (!seed || r->memory_from_dump))
		r->mb.memory.total_size = (mb_phys_addr_t)r->dump_total[0];
	if (r->dump_sizes_seen && !seed)
		r->mb.reserved.total_size = (mb_phys_addr_t)r->dump_total[1];
	return 0;
}

/* Memory from firmware lines (node ranges, e820 usable, "memory: S @ B"). */
int mbti_state_from_firmware(struct mbt_replay *r, const char *buf, size_t len)
{
	struct mbt_parser p;
	struct mbt_record rec;
	unsigned long n = 0;
	int err = mbti_state_init(r);

	if (err)
		return err;
	mbt_parser_init(&p, buf, len);
	while (mbt_parser_next(&p, &rec)) {
		struct memblock_region rgn = {0};

		if (rec.kind != MBT_FW_MEMORY || rec.last < rec.base)
			continue;
		if (!mbti_to_phys(rec.base, &rgn.base) || !mbti_to_phys(rec.last - rec.base + 1, &rgn.size))
			continue;
		rgn.nid = rec.nid;
		if (!add_memory_region(r, &rgn))
			n++;
	}
	return n ? 0 : -MB_ENOENT;
}
