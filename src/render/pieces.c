// SPDX-License-Identifier: MIT
/*
 * pieces.c - cut regions into pieces by owner and give each a kind.
 *
 * Owners may overlap (a range freed and reserved again): the boundaries
 * of all owners split the address space into elementary segments, each
 * owner in turn claims its segments, so the latest one wins.
 */
#include <stdlib.h>
#include <string.h>

#include "render_internal.h"

struct flat {
	uint64_t base, end;
	long owner; /* index into the owner vector, -1 none */
};

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* First index i with points[i] >= key. */
static size_t lower_bound(const uint64_t *points, size_t nr, uint64_t key)
{
	size_t lo = 0, hi = nr;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (points[mid] < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static size_t unique_points(const struct mbr_vec *owners, uint64_t *points)
{
	size_t nr = 0, out = 0;

	for (size_t i = 0; i < owners->nr; i++) {
		const struct mbr_owner *o = MBR_AT(owners, struct mbr_owner, i);

		points[nr++] = o->base;
		points[nr++] = o->end;
	}
	qsort(points, nr, sizeof(*points), cmp_u64);
	for (size_t i = 0; i < nr; i++)
		if (!out || points[out - 1] != points[i])
			points[out++] = points[i];
	return out;
}

/* The owners flattened into sorted, disjoint, owned segments. */
static struct flat *flatten(const struct mbr_vec *owners, size_t *nr_out)
{
	uint64_t *points = malloc((2 * owners->nr + 1) * sizeof(*points));
	long *who = NULL;
	struct flat *flat = NULL;
	size_t nr = 0, nr_flat = 0;

	if (!points)
		return NULL;
	nr = unique_points(owners, points);
	who = malloc((nr + 1) * sizeof(*who));
	flat = malloc((nr + 1) * sizeof(*flat));
	if (!who || !flat) {
		free(flat);
		flat = NULL;
		goto out;
	}
	for (size_t i = 0; i < nr; i++)
		who[i] = -1;
	for (size_t k = 0; k < owners->nr; k++) {
		const struct mbr_owner *o = MBR_AT(owners, struct mbr_owner, k);
		size_t hi = lower_bound(points, nr, o->end);

		for (size_t i = lower_bound(points, nr, o->base); i < hi; i++)
			who[i] = (long)k;
	}
	for (size_t i = 0; i + 1 < nr; i++) {
		if (who[i] < 0)
			continue;
		if (nr_flat && flat[nr_flat - 1].owner == who[i] &&
		    flat[nr_flat - 1].end == points[i]) {
			flat[nr_flat - 1].end = points[i + 1];
			continue;
		}
		flat[nr_flat++] = (struct flat){ points[i], points[i + 1], who[i] };
	}
out:
	*nr_out = nr_flat;
	free(points);
	free(who);
	return flat;
}

static enum mbr_kind hinted_kind(const struct mbr_map *map, uint64_t base, uint64_t end,
				 bool *found)
{
	uint64_t mid = base + (end - base) / 2;

	for (size_t i = map->hints.nr; i-- > 0;) {
		const struct mbr_hint *h = MBR_AT(&map->hints, struct mbr_hint, i);

		if (h->base <= mid && mid < h->end) {
			*found = true;
			return h->kind;
		}
	}
	*found = false;
	return MBR_KIND_OTHER;
}

static enum mbr_kind piece_kind(const struct mbr_map *map, const struct mbr_piece *p)
{
	bool found;
	enum mbr_kind kind = hinted_kind(map, p->base, p->end, &found);

	if (found || !p->owner)
		return kind;
	for (size_t i = 0; i < map->caller_kinds.nr; i++) {
		const struct mbr_caller_kind *ck =
			MBR_AT(&map->caller_kinds, struct mbr_caller_kind, i);

		if (!strcmp(ck->caller, p->owner->caller))
			return ck->kind;
	}
	return mbr_kind_of_caller(p->owner->caller);
}

static int add_piece(const struct mbr_map *map, struct mbr_pieces *out, uint64_t base, uint64_t end,
		     const struct mbr_owner *owner)
{
	struct mbr_piece *p = mbri_vec_push(&out->pieces);

	if (!p)
		return -MB_ENOMEM;
	p->base = base;
	p->end = end;
	p->owner = owner;
	p->kind = piece_kind(map, p);
	return 0;
}

/* Pieces of one region: owned segments, and unowned gaps between them. */
static int region_pieces(const struct mbr_map *map, const struct mbr_region *r,
			 const struct flat *flat, size_t nr_flat, const struct mbr_vec *owners,
			 struct mbr_pieces *out)
{
	size_t lo = 0, hi = nr_flat;
	uint64_t pos = r->base;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (flat[mid].end <= r->base)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (size_t i = lo; i < nr_flat && flat[i].base < r->end; i++) {
		uint64_t b = flat[i].base > pos ? flat[i].base : pos;
		uint64_t e = flat[i].end < r->end ? flat[i].end : r->end;

		if (b > pos && add_piece(map, out, pos, b, NULL))
			return -MB_ENOMEM;
		if (add_piece(map, out, b, e, MBR_AT(owners, struct mbr_owner, flat[i].owner)))
			return -MB_ENOMEM;
		pos = e;
	}
	if (pos < r->end && add_piece(map, out, pos, r->end, NULL))
		return -MB_ENOMEM;
	return 0;
}

int mbri_pieces_build(const struct mbr_map *map, enum mbr_type type, struct mbr_pieces *out)
{
	static const struct mbr_vec no_owners = { NULL, 0, 0, sizeof(struct mbr_owner) };
	const struct mbr_vec *regions = &map->regions[type];
	const struct mbr_vec *owners = type == MBR_PHYSMEM ? &no_owners : &map->owners[type];
	size_t nr_flat = 0;
	struct flat *flat = owners->nr ? flatten(owners, &nr_flat) : NULL;
	int ret = 0;

	memset(out, 0, sizeof(*out));
	out->pieces.item_size = sizeof(struct mbr_piece);
	out->first = malloc((regions->nr + 1) * sizeof(*out->first));
	if (!out->first || (owners->nr && !flat)) {
		free(flat);
		return -MB_ENOMEM;
	}
	for (size_t i = 0; i < regions->nr && !ret; i++) {
		out->first[i] = out->pieces.nr;
		ret = region_pieces(map, MBR_AT(regions, struct mbr_region, i), flat, nr_flat,
				    owners, out);
	}
	out->first[regions->nr] = out->pieces.nr;
	free(flat);
	return ret;
}

void mbri_pieces_free(struct mbr_pieces *p)
{
	mbri_vec_free(&p->pieces);
	free(p->first);
	p->first = NULL;
}
