// SPDX-License-Identifier: MIT
/*
 * map.c - the map model: a copy of the regions and who made them.
 *
 * Attribution is kept apart from the regions because the core merges
 * touching reservations: one reserved region often holds the work of many
 * callers. The writers cut each region into pieces, one per owner.
 */
#include <stdlib.h>
#include <string.h>

#include "render_internal.h"

void *mbri_vec_push(struct mbr_vec *v)
{
	if (v->nr == v->cap) {
		size_t cap = v->cap ? v->cap * 2 : 16;
		void *items = realloc(v->items, cap * v->item_size);

		if (!items)
			return NULL;
		v->items = items;
		v->cap = cap;
	}
	return memset((char *)v->items + v->nr++ * v->item_size, 0, v->item_size);
}

void mbri_vec_free(struct mbr_vec *v)
{
	free(v->items);
	v->items = NULL;
	v->nr = v->cap = 0;
}

static void copy_text(char *dst, size_t len, const char *src)
{
	snprintf(dst, len, "%s", src ? src : "");
}

struct mbr_map *mbr_map_new(const char *title, const char *subtitle)
{
	struct mbr_map *map = calloc(1, sizeof(*map));

	if (!map)
		return NULL;
	copy_text(map->title, sizeof(map->title), title);
	copy_text(map->subtitle, sizeof(map->subtitle), subtitle);
	map->phys_bits = 64;
	for (int t = 0; t < MBR_TYPE_COUNT; t++)
		map->regions[t].item_size = sizeof(struct mbr_region);
	map->owners[0].item_size = map->owners[1].item_size = sizeof(struct mbr_owner);
	map->hints.item_size = sizeof(struct mbr_hint);
	map->caller_kinds.item_size = sizeof(struct mbr_caller_kind);
	return map;
}

void mbr_map_set_titles(struct mbr_map *map, const char *title, const char *subtitle)
{
	copy_text(map->title, sizeof(map->title), title);
	copy_text(map->subtitle, sizeof(map->subtitle), subtitle);
}

void mbr_map_free(struct mbr_map *map)
{
	if (!map)
		return;
	for (int t = 0; t < MBR_TYPE_COUNT; t++)
		mbri_vec_free(&map->regions[t]);
	mbri_vec_free(&map->owners[0]);
	mbri_vec_free(&map->owners[1]);
	mbri_vec_free(&map->hints);
	mbri_vec_free(&map->caller_kinds);
	free(map);
}

static uint64_t range_end(uint64_t base, uint64_t size)
{
	return size > UINT64_MAX - base ? UINT64_MAX : base + size;
}

static int copy_type(struct mbr_vec *v, const struct memblock *mb,
		     const struct memblock_type *type)
{
	const struct memblock_region *regions = type->regions ? mb_type_regions(mb, type) : NULL;

	v->nr = 0;
	for (unsigned long i = 0; regions && i < type->cnt; i++) {
		const struct memblock_region *r = &regions[i];
		struct mbr_region *c;

		/* The empty-type dummy of older profiles is not a region. */
		if (!r->size)
			continue;
		c = mbri_vec_push(v);
		if (!c)
			return -MB_ENOMEM;
		c->base = r->base;
		c->end = range_end(r->base, r->size);
		c->flags = r->flags;
		c->nid = r->nid;
	}
	return 0;
}

int mbr_map_set_state(struct mbr_map *map, const struct memblock *mb)
{
	map->phys_bits = mb->cfg.phys_bits ? mb->cfg.phys_bits : 64;
	map->has_physmem = mb->physmem.regions != NULL;
	map->numa = mb->cfg.numa;
	map->max_numnodes = mb->cfg.max_numnodes;
	if (copy_type(&map->regions[MBR_MEMORY], mb, &mb->memory) ||
	    copy_type(&map->regions[MBR_RESERVED], mb, &mb->reserved) ||
	    copy_type(&map->regions[MBR_PHYSMEM], mb, &mb->physmem))
		return -MB_ENOMEM;
	return 0;
}

int mbr_map_attribute(struct mbr_map *map, bool reserved, uint64_t base, uint64_t size,
		      const char *caller, unsigned int line, const char *source)
{
	struct mbr_owner *o;

	if (!size)
		return 0;
	o = mbri_vec_push(&map->owners[reserved ? 1 : 0]);
	if (!o)
		return -MB_ENOMEM;
	o->base = base;
	o->end = range_end(base, size);
	o->seq = ++map->seq;
	o->line = line;
	copy_text(o->caller, sizeof(o->caller), caller);
	copy_text(o->source, sizeof(o->source), source);
	return 0;
}

int mbr_map_hint(struct mbr_map *map, uint64_t base, uint64_t size, enum mbr_kind kind)
{
	struct mbr_hint *h;

	if (!size || kind >= MBR_KIND_COUNT)
		return 0;
	h = mbri_vec_push(&map->hints);
	if (!h)
		return -MB_ENOMEM;
	h->base = base;
	h->end = range_end(base, size);
	h->kind = kind;
	return 0;
}

int mbr_map_caller_kind(struct mbr_map *map, const char *caller, enum mbr_kind kind)
{
	struct mbr_caller_kind *ck;

	if (!caller || !*caller)
		return 0;
	ck = mbri_vec_push(&map->caller_kinds);
	if (!ck)
		return -MB_ENOMEM;
	copy_text(ck->caller, sizeof(ck->caller), caller);
	ck->kind = kind;
	return 0;
}

void mbr_map_set_memory_line(struct mbr_map *map, const char *text)
{
	copy_text(map->memory_line, sizeof(map->memory_line), text);
}
