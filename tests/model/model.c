// SPDX-License-Identifier: MIT
/*
 * model.c - the reference model (see model.h for what it is and why it is
 * trivially correct). Written from the spec, not from the core.
 */
#include "model.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ATTR_PRESENT	    0x8000u
#define FLAG_HOTPLUG	    0x1u
#define FLAG_MIRROR	    0x2u
#define FLAG_NOMAP	    0x4u
#define FLAG_DRIVER_MANAGED 0x8u

static uint16_t model_attr(unsigned int flags, int nid)
{
	if (nid < 0 || nid > 127 || flags > 0xff) {
		fprintf(stderr, "model: cannot encode flags %#x nid %d\n", flags, nid);
		abort();
	}
	return (uint16_t)(ATTR_PRESENT | ((unsigned int)nid << 8) | flags);
}

static unsigned int attr_flags(uint16_t a)
{
	return a & 0xffu;
}

static int attr_nid(uint16_t a)
{
	return (a >> 8) & 0x7f;
}

void model_list_push(struct model_list *l, uint64_t base, uint64_t size, unsigned int flags,
		     int nid)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 64;
		l->r = realloc(l->r, l->cap * sizeof(*l->r));
		if (!l->r)
			abort();
	}
	l->r[l->n].base = base;
	l->r[l->n].size = size;
	l->r[l->n].flags = flags;
	l->r[l->n].nid = nid;
	l->n++;
}

void model_list_free(struct model_list *l)
{
	free(l->r);
	l->r = NULL;
	l->n = l->cap = 0;
}

void model_init(struct model *m, const struct model_config *cfg)
{
	int t;

	memset(m, 0, sizeof(*m));
	m->cfg = *cfg;
	for (t = 0; t < MODEL_NR_TYPES; t++) {
		m->type[t].attr = calloc(cfg->space, sizeof(uint16_t));
		if (!m->type[t].attr)
			abort();
		m->type[t].dirty = true;
		m->type[t].dummy_nid = 0;
	}
	m->current_limit = cfg->phys_max; /* MEMBLOCK_ALLOC_ANYWHERE */
}

void model_destroy(struct model *m)
{
	int t;

	for (t = 0; t < MODEL_NR_TYPES; t++) {
		free(m->type[t].attr);
		model_list_free(&m->type[t].list);
	}
	model_list_free(&m->scratch_free);
	memset(m, 0, sizeof(*m));
}

const struct model_list *model_regions(struct model *m, enum model_type_id t)
{
	struct model_type *mt = &m->type[t];
	uint64_t g, start = 0;
	uint16_t cur = 0;

	if (!mt->dirty)
		return &mt->list;
	mt->list.n = 0;
	for (g = 0; g <= m->cfg.space; g++) {
		uint16_t a = g < m->cfg.space ? mt->attr[g] : 0;

		if (a == cur)
			continue;
		if (cur)
			model_list_push(&mt->list, start, g - start, attr_flags(cur),
					attr_nid(cur));
		cur = a;
		start = g;
	}
	mt->dirty = false;
	return &mt->list;
}

/* memblock_remove_region() leaves a dummy with nid MAX_NUMNODES (6.1). */
static void note_emptied(struct model *m, enum model_type_id t, bool was_empty)
{
	if (!was_empty && model_regions(m, t)->n == 0)
		m->type[t].dummy_nid = m->cfg.max_numnodes;
}

uint64_t model_total_size(struct model *m, enum model_type_id t)
{
	const struct model_list *l = model_regions(m, t);
	uint64_t sum = m->type[t].stale;
	size_t i;

	for (i = 0; i < l->n; i++)
		sum += l->r[i].size;
	return sum;
}

/* memblock_cap_size() then clip to the modelled space: [*lo, *hi). */
static void clip(const struct model *m, uint64_t base, uint64_t size, uint64_t *lo, uint64_t *hi)
{
	uint64_t room = m->cfg.phys_max - base;

	if (base > m->cfg.phys_max)
		room = 0;
	if (size > room)
		size = room;
	*lo = base < m->cfg.space ? base : m->cfg.space;
	*hi = size > m->cfg.space - *lo ? m->cfg.space : *lo + size;
}

/* The kernel's WARN_ONs in the first loop of memblock_add_range(). */
static unsigned long count_add_warnings(struct model *m, enum model_type_id t, uint64_t base,
					uint64_t end, int nid, unsigned int flags)
{
	const struct model_list *l = model_regions(m, t);
	unsigned long warnings = 0;
	size_t i;

	for (i = 0; i < l->n; i++) {
		uint64_t rbase = l->r[i].base, rend = rbase + l->r[i].size;

		if (rbase >= end)
			break;
		if (rend <= base)
			continue;
		if (rbase > base && (l->r[i].nid != nid || l->r[i].flags != flags))
			warnings++;
		base = rend < end ? rend : end;
	}
	return warnings;
}

void model_add(struct model *m, enum model_type_id t, uint64_t base, uint64_t size, int nid,
	       unsigned int flags)
{
	struct model_type *mt = &m->type[t];
	uint16_t a = model_attr(flags, nid);
	uint64_t lo, hi, g;

	clip(m, base, size, &lo, &hi);
	if (lo >= hi)
		return;
	if (model_regions(m, t)->n == 0) {
		/* Adding to an empty type stores total_size = size afresh. */
		mt->stale = 0;
	} else {
		m->numa_warnings += count_add_warnings(m, t, lo, hi, nid, flags);
	}
	for (g = lo; g < hi; g++)
		if (!mt->attr[g])
			mt->attr[g] = a;
	mt->dirty = true;
}

void model_remove(struct model *m, enum model_type_id t, uint64_t base, uint64_t size)
{
	struct model_type *mt = &m->type[t];
	uint64_t lo, hi;

	bool was_empty;

	clip(m, base, size, &lo, &hi);
	if (lo >= hi)
		return;
	was_empty = model_regions(m, t)->n == 0;
	memset(mt->attr + lo, 0, (hi - lo) * sizeof(uint16_t));
	mt->dirty = true;
	note_emptied(m, t, was_empty);
}

void model_setclr_flag(struct model *m, enum model_type_id t, uint64_t base, uint64_t size,
		       bool set, unsigned int flag)
{
	struct model_type *mt = &m->type[t];
	uint64_t lo, hi, g;

	clip(m, base, size, &lo, &hi);
	for (g = lo; g < hi; g++) {
		uint16_t a = mt->attr[g];
		unsigned int f;

		if (!a)
			continue;
		f = set ? attr_flags(a) | flag : attr_flags(a) & ~flag;
		mt->attr[g] = model_attr(f, attr_nid(a));
	}
	mt->dirty = true;
}

void model_set_node(struct model *m, enum model_type_id t, uint64_t base, uint64_t size, int nid)
{
	struct model_type *mt = &m->type[t];
	uint64_t lo, hi, g;

	clip(m, base, size, &lo, &hi);
	for (g = lo; g < hi; g++)
		if (mt->attr[g])
			mt->attr[g] = model_attr(attr_flags(mt->attr[g]), nid);
	mt->dirty = true;
}

void model_mark_mirror(struct model *m, uint64_t base, uint64_t size)
{
	if (!m->cfg.mirrored_kernelcore)
		return;
	m->system_has_mirror = true;
	model_setclr_flag(m, MODEL_MEMORY, base, size, true, FLAG_MIRROR);
}

/* The kernel's round_up()/round_down(): align 0 yields 0 for both. */
static uint64_t k_round_up(uint64_t x, uint64_t align)
{
	return ((x - 1) | (align - 1)) + 1;
}

static uint64_t k_round_down(uint64_t x, uint64_t align)
{
	return x & ~(align - 1);
}

void model_trim(struct model *m, uint64_t align)
{
	struct model_type *mt = &m->type[MODEL_MEMORY];
	const struct model_list *l = model_regions(m, MODEL_MEMORY);
	struct model_list copy = {0};
	bool was_empty = l->n == 0;
	size_t i;

	for (i = 0; i < l->n; i++)
		model_list_push(&copy, l->r[i].base, l->r[i].size, l->r[i].flags, l->r[i].nid);
	for (i = 0; i < copy.n; i++) {
		uint64_t base = copy.r[i].base, end = base + copy.r[i].size;
		uint64_t start = k_round_up(base, align), stop = k_round_down(end, align);

		if (start == base && stop == end)
			continue;
		memset(mt->attr + base, 0, (end - base) * sizeof(uint16_t));
		if (start < stop) {
			uint64_t g;

			for (g = start; g < stop; g++)
				mt->attr[g] = model_attr(copy.r[i].flags, copy.r[i].nid);
			/* Linux leaves total_size stale for shrunk regions (spec 7). */
			mt->stale += copy.r[i].size - (stop - start);
		}
	}
	mt->dirty = true;
	model_list_free(&copy);
	note_emptied(m, MODEL_MEMORY, was_empty);
}

uint64_t model_find_max_addr(struct model *m, uint64_t limit)
{
	const struct model_list *l = model_regions(m, MODEL_MEMORY);
	size_t i;

	for (i = 0; i < l->n; i++) {
		if (limit <= l->r[i].size)
			return l->r[i].base + limit;
		limit -= l->r[i].size;
	}
	return m->cfg.phys_max;
}

void model_enforce_memory_limit(struct model *m, uint64_t limit)
{
	uint64_t cut;

	if (!limit)
		return;
	cut = model_find_max_addr(m, limit);
	if (cut == m->cfg.phys_max)
		return;
	model_remove(m, MODEL_MEMORY, cut, m->cfg.phys_max);
	model_remove(m, MODEL_RESERVED, cut, m->cfg.phys_max);
}

static bool nomap_straddles(struct model *m, uint64_t addr)
{
	long i = model_region_at(m, MODEL_MEMORY, addr);
	const struct model_list *l = model_regions(m, MODEL_MEMORY);

	if (i < 0)
		return false;
	return (l->r[i].flags & FLAG_NOMAP) && l->r[i].base < addr;
}

bool model_cap_is_modelled(struct model *m, uint64_t base, uint64_t size)
{
	uint64_t lo, hi;

	if (!size || model_total_size(m, MODEL_MEMORY) == 0)
		return true;
	clip(m, base, size, &lo, &hi);
	return !nomap_straddles(m, base) && !nomap_straddles(m, base + (hi - lo));
}

bool model_cap_memory_range(struct model *m, uint64_t base, uint64_t size)
{
	struct model_type *mt = &m->type[MODEL_MEMORY];
	uint64_t lo, hi, g;
	bool was_empty;

	if (!size)
		return false;
	if (model_total_size(m, MODEL_MEMORY) == 0)
		return true;
	was_empty = model_regions(m, MODEL_MEMORY)->n == 0;

	clip(m, base, size, &lo, &hi);
	for (g = 0; g < m->cfg.space; g++) {
		if (g >= lo && g < hi)
			continue;
		if (mt->attr[g] && !(attr_flags(mt->attr[g]) & FLAG_NOMAP))
			mt->attr[g] = 0;
	}
	mt->dirty = true;
	note_emptied(m, MODEL_MEMORY, was_empty);
	model_remove(m, MODEL_RESERVED, 0, base);
	model_remove(m, MODEL_RESERVED, base + size, m->cfg.phys_max);
	return false;
}

static bool valid_node(const struct model *m, int nid)
{
	return nid >= 0 && nid < m->cfg.max_numnodes;
}

static bool nid_any(const struct model *m, int nid)
{
	return m->cfg.nid_max_deprecated ? nid == -1 : !valid_node(m, nid);
}

static int nid_filter(const struct model *m, int nid)
{
	return m->cfg.nid_max_deprecated && nid == m->cfg.max_numnodes ? -1 : nid;
}

static bool skip_memory_region(const struct model *m, const struct model_region *r, int nid,
			       unsigned int flags)
{
	if (!nid_any(m, nid) && nid != r->nid)
		return true;
	if (m->cfg.movable_node && (r->flags & FLAG_HOTPLUG) && !(flags & FLAG_HOTPLUG))
		return true;
	if ((flags & FLAG_MIRROR) && !(r->flags & FLAG_MIRROR))
		return true;
	if (!(flags & FLAG_NOMAP) && (r->flags & FLAG_NOMAP))
		return true;
	if (!(flags & FLAG_DRIVER_MANAGED) && (r->flags & FLAG_DRIVER_MANAGED))
		return true;
	return false;
}

/* Gap i of a type: [end of region i-1 (or 0), base of region i (or phys_max)). */
static void gap(const struct model *m, const struct model_list *b, size_t i, uint64_t *gs,
		uint64_t *ge)
{
	*gs = i ? b->r[i - 1].base + b->r[i - 1].size : 0;
	*ge = i < b->n ? b->r[i].base : m->cfg.phys_max;
}

void model_free_ranges(struct model *m, int nid, unsigned int flags, enum model_type_id type_a,
		       enum model_type_id type_b, struct model_list *out)
{
	const struct model_list *a = model_regions(m, type_a);
	const struct model_list *b = NULL;
	size_t i, j = 0;

	nid = nid_filter(m, nid);
	if (type_b != MODEL_NR_TYPES)
		b = model_regions(m, type_b);
	out->n = 0;
	if (!b && !a->n && m->cfg.empty_dummy) {
		struct model_region dummy = {0, 0, 0, m->type[type_a].dummy_nid};

		if (type_a != MODEL_MEMORY || !skip_memory_region(m, &dummy, nid, flags))
			model_list_push(out, 0, 0, 0, dummy.nid);
		return;
	}
	for (i = 0; i < a->n; i++) {
		const struct model_region *r = &a->r[i];
		uint64_t rend = r->base + r->size;
		size_t k;

		if (type_a == MODEL_MEMORY && skip_memory_region(m, r, nid, flags))
			continue;
		if (!b) {
			model_list_push(out, r->base, r->size, r->flags, r->nid);
			continue;
		}
		/* first gap that ends above the region's base */
		for (;; j++) {
			uint64_t gs, ge;

			gap(m, b, j, &gs, &ge);
			if (ge > r->base || j == b->n)
				break;
		}
		for (k = j; k <= b->n; k++) {
			uint64_t gs, ge, s, e;

			gap(m, b, k, &gs, &ge);
			if (gs >= rend)
				break;
			if (!(r->base < ge))
				continue;
			s = gs > r->base ? gs : r->base;
			e = ge < rend ? ge : rend;
			model_list_push(out, s, e - s, r->flags, r->nid);
		}
	}
}

static uint64_t clamp(uint64_t x, uint64_t lo, uint64_t hi)
{
	return x < lo ? lo : (x > hi ? hi : x);
}

uint64_t model_find(struct model *m, uint64_t size, uint64_t align, uint64_t start, uint64_t end,
		    int nid, unsigned int flags)
{
	struct model_list *fr = &m->scratch_free;
	uint64_t best = 0;
	bool found = false;
	size_t i;

	if (end == 0 || end == 1) /* ACCESSIBLE, NOLEAKTRACE */
		end = m->current_limit;
	if (start < m->cfg.page_size)
		start = m->cfg.page_size;
	if (end < start)
		end = start;
	model_free_ranges(m, nid, flags, MODEL_MEMORY, MODEL_RESERVED, fr);
	/*
	 * Linux takes the first fit walking the ranges from the top (or the
	 * bottom); since the ranges are disjoint and sorted that is the best
	 * fit over all ranges, which is what we compute.
	 */
	for (i = 0; i < fr->n; i++) {
		uint64_t cs = clamp(fr->r[i].base, start, end);
		uint64_t ce = clamp(fr->r[i].base + fr->r[i].size, start, end);
		uint64_t cand;

		if (!m->bottom_up) {
			if (ce < size)
				continue;
			cand = k_round_down(ce - size, align);
			if (cand >= cs && (!found || cand > best)) {
				best = cand;
				found = true;
			}
		} else {
			cand = k_round_up(cs, align);
			if (cand < ce && ce - cand >= size && (!found || cand < best)) {
				best = cand;
				found = true;
			}
		}
	}
	return found ? best : 0;
}

uint64_t model_alloc_range_nid(struct model *m, uint64_t size, uint64_t align, uint64_t start,
			       uint64_t end, int nid, bool exact_nid)
{
	unsigned int flags = m->system_has_mirror ? FLAG_MIRROR : 0;
	uint64_t found;

	nid = nid_filter(m, nid);
	if (!align)
		align = m->cfg.smp_cache_bytes;
	for (;;) {
		found = model_find(m, size, align, start, end, nid, flags);
		if (found)
			break;
		if (!nid_any(m, nid) && !exact_nid) {
			found = model_find(m, size, align, start, end, -1, flags);
			if (found)
				break;
		}
		if (!(flags & FLAG_MIRROR))
			return 0;
		flags &= ~FLAG_MIRROR;
		m->mirror_warnings++;
		m->mirror_warning_size = size;
	}
	model_add(m, MODEL_RESERVED, found, size, m->cfg.max_numnodes, 0);
	return found;
}

uint64_t model_alloc_internal(struct model *m, uint64_t size, uint64_t align, uint64_t min_addr,
			      uint64_t max_addr, int nid, bool exact_nid)
{
	uint64_t found;

	if (max_addr > m->current_limit)
		max_addr = m->current_limit;
	found = model_alloc_range_nid(m, size, align, min_addr, max_addr, nid, exact_nid);
	if (!found && min_addr)
		found = model_alloc_range_nid(m, size, align, 0, max_addr, nid, exact_nid);
	return found;
}

bool model_is_present(struct model *m, enum model_type_id t, uint64_t addr)
{
	return addr < m->cfg.space && m->type[t].attr[addr];
}

unsigned int model_flags_at(struct model *m, enum model_type_id t, uint64_t addr)
{
	return model_is_present(m, t, addr) ? attr_flags(m->type[t].attr[addr]) : 0;
}

long model_region_at(struct model *m, enum model_type_id t, uint64_t addr)
{
	const struct model_list *l = model_regions(m, t);
	size_t i;

	for (i = 0; i < l->n; i++)
		if (addr >= l->r[i].base && addr - l->r[i].base < l->r[i].size)
			return (long)i;
	return -1;
}

bool model_is_region_memory(struct model *m, uint64_t base, uint64_t size)
{
	long i = model_region_at(m, MODEL_MEMORY, base);
	const struct model_list *l = model_regions(m, MODEL_MEMORY);
	uint64_t room = m->cfg.phys_max - base;

	if (i < 0)
		return false;
	if (size > room)
		size = room;
	return l->r[i].base + l->r[i].size >= base + size;
}

bool model_overlaps(struct model *m, enum model_type_id t, uint64_t base, uint64_t size)
{
	const struct model_list *l = model_regions(m, t);
	uint64_t room = m->cfg.phys_max - base;
	size_t i;

	if (size > room)
		size = room;
	for (i = 0; i < l->n; i++)
		if (base < l->r[i].base + l->r[i].size && l->r[i].base < base + size)
			return true;
	return false;
}

void model_load(struct model *m, enum model_type_id t, const struct model_region *r, size_t n,
		uint64_t total_size)
{
	struct model_type *mt = &m->type[t];
	uint64_t sum = 0, g;
	size_t i;

	memset(mt->attr, 0, m->cfg.space * sizeof(uint16_t));
	for (i = 0; i < n; i++) {
		uint64_t end = r[i].base + r[i].size;

		if (end > m->cfg.space)
			end = m->cfg.space;
		for (g = r[i].base; g < end; g++)
			mt->attr[g] = model_attr(r[i].flags, r[i].nid);
		sum += r[i].size;
	}
	mt->stale = total_size - sum;
	mt->dirty = true;
}
