// SPDX-License-Identifier: MIT
/*
 * layout.c - lanes, free ranges and the compressed address axis.
 *
 * The axis gives every stretch between two region boundaries a width that
 * mixes its true share of the memory with a logarithmic one, so a 64 GiB
 * bank still dominates while a 4 KiB reservation stays a few pixels wide.
 * Stretches without memory or reservations (holes) get a fixed narrow
 * width and a break mark.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "render_internal.h"

static const struct mbr_region *region_at(const struct mbr_map *map, enum mbr_type type, size_t i)
{
	return MBR_AT(&map->regions[type], struct mbr_region, i);
}

static int node_key(const struct mbr_map *map, int nid)
{
	if (!map->numa)
		return 0;
	return nid >= 0 && nid < map->max_numnodes ? nid : MBR_LANE_NO_NODE;
}

/* Lane of the memory region holding @addr, MBR_LANE_OUTSIDE when none. */
int mbri_lane_of(const struct mbr_view *v, uint64_t addr)
{
	const struct mbr_vec *mem = &v->map->regions[MBR_MEMORY];
	size_t lo = 0, hi = mem->nr;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (MBR_AT(mem, struct mbr_region, mid)->end <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < mem->nr && MBR_AT(mem, struct mbr_region, lo)->base <= addr)
		return node_key(v->map, MBR_AT(mem, struct mbr_region, lo)->nid);
	return MBR_LANE_OUTSIDE;
}

/* A reservation belongs to the lane of the first memory it overlaps. */
static int lane_of_range(const struct mbr_view *v, const struct mbr_region *r)
{
	const struct mbr_vec *mem = &v->map->regions[MBR_MEMORY];
	size_t lo = 0, hi = mem->nr;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (MBR_AT(mem, struct mbr_region, mid)->end <= r->base)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < mem->nr && MBR_AT(mem, struct mbr_region, lo)->base < r->end)
		return node_key(v->map, MBR_AT(mem, struct mbr_region, lo)->nid);
	return MBR_LANE_OUTSIDE;
}

const char *mbri_lane_name(const struct mbr_view *v, int key, char *buf, size_t len)
{
	if (key >= 0)
		snprintf(buf, len, v->map->numa ? "node %d" : "memory", key);
	else
		snprintf(buf, len, "%s",
			 key == MBR_LANE_PHYSMEM   ? "physmem"
			 : key == MBR_LANE_OUTSIDE ? "outside RAM"
						   : "no node");
	return buf;
}

/* Free = usable memory (not NOMAP) that no reservation covers. */
static int add_free(struct mbr_view *v, const struct mbr_region *m, size_t *ri)
{
	const struct mbr_vec *res = &v->map->regions[MBR_RESERVED];
	uint64_t pos = m->base;

	while (*ri < res->nr && MBR_AT(res, struct mbr_region, *ri)->end <= m->base)
		(*ri)++;
	for (size_t i = *ri; pos < m->end; i++) {
		const struct mbr_region *r = i < res->nr ? MBR_AT(res, struct mbr_region, i) : NULL;
		uint64_t stop = r && r->base < m->end ? r->base : m->end;

		if (stop > pos) {
			struct mbr_region *f = mbri_vec_push(&v->free);

			if (!f)
				return -MB_ENOMEM;
			*f = (struct mbr_region){ pos, stop, 0, node_key(v->map, m->nid) };
		}
		if (!r || r->base >= m->end)
			break;
		pos = r->end > pos ? r->end : pos;
	}
	return 0;
}

int mbri_view_prepare(struct mbr_view *v, const struct mbr_map *map)
{
	const struct mbr_vec *mem = &map->regions[MBR_MEMORY];
	const struct mbr_vec *res = &map->regions[MBR_RESERVED];
	size_t ri = 0;

	memset(v, 0, sizeof(*v));
	v->map = map;
	v->free.item_size = sizeof(struct mbr_region);
	if (mbri_pieces_build(map, MBR_MEMORY, &v->pieces[0]) ||
	    mbri_pieces_build(map, MBR_RESERVED, &v->pieces[1]))
		return -MB_ENOMEM;
	v->reserved_lane = malloc((res->nr + 1) * sizeof(*v->reserved_lane));
	if (!v->reserved_lane)
		return -MB_ENOMEM;
	for (size_t i = 0; i < res->nr; i++)
		v->reserved_lane[i] = lane_of_range(v, region_at(map, MBR_RESERVED, i));
	for (size_t i = 0; i < mem->nr; i++) {
		const struct mbr_region *m = region_at(map, MBR_MEMORY, i);

		if (!(m->flags & MB_FLAG_NOMAP) && add_free(v, m, &ri))
			return -MB_ENOMEM;
	}
	return 0;
}

void mbri_view_release(struct mbr_view *v)
{
	mbri_pieces_free(&v->pieces[0]);
	mbri_pieces_free(&v->pieces[1]);
	mbri_vec_free(&v->free);
	free(v->reserved_lane);
	v->reserved_lane = NULL;
}

/* ---- Lanes ---- */

static int lane_order(int key)
{
	return key >= 0 ? key : 100000 - key;
}

static void add_key(int *keys, int *nr, int key)
{
	for (int i = 0; i < *nr; i++)
		if (keys[i] == key)
			return;
	if (*nr < MBR_MAX_LANES / 2)
		keys[(*nr)++] = key;
}

static int cmp_keys(const void *a, const void *b)
{
	return lane_order(*(const int *)a) - lane_order(*(const int *)b);
}

static void collect_keys(const struct mbr_view *v, int *keys, int *nr)
{
	const struct mbr_map *map = v->map;

	for (size_t i = 0; i < map->regions[MBR_MEMORY].nr; i++)
		add_key(keys, nr, node_key(map, region_at(map, MBR_MEMORY, i)->nid));
	for (size_t i = 0; i < map->regions[MBR_RESERVED].nr; i++)
		add_key(keys, nr, v->reserved_lane[i]);
	if (map->has_physmem && map->regions[MBR_PHYSMEM].nr)
		add_key(keys, nr, MBR_LANE_PHYSMEM);
}

static void layout_lanes(struct mbr_canvas *c)
{
	int keys[MBR_MAX_LANES / 2], nr = 0;

	for (int k = 0; k < c->nr_views; k++)
		collect_keys(&c->views[k], keys, &nr);
	qsort(keys, (size_t)nr, sizeof(keys[0]), cmp_keys);
	c->nr_lanes = 0;
	for (int i = 0; i < nr; i++)
		for (int k = 0; k < c->nr_views; k++)
			c->lanes[c->nr_lanes++] = (struct mbr_lane){ k, keys[i], 0 };
}

/* ---- Axis ---- */

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static size_t count_points(const struct mbr_canvas *c)
{
	size_t nr = 0;

	for (int k = 0; k < c->nr_views; k++)
		for (int t = 0; t < MBR_TYPE_COUNT; t++)
			nr += 2 * c->views[k].map->regions[t].nr;
	return nr;
}

static size_t gather_points(const struct mbr_canvas *c, uint64_t *pts)
{
	size_t nr = 0, out = 0;

	for (int k = 0; k < c->nr_views; k++) {
		for (int t = 0; t < MBR_TYPE_COUNT; t++) {
			const struct mbr_vec *v = &c->views[k].map->regions[t];

			for (size_t i = 0; i < v->nr; i++) {
				pts[nr++] = MBR_AT(v, struct mbr_region, i)->base;
				pts[nr++] = MBR_AT(v, struct mbr_region, i)->end;
			}
		}
	}
	qsort(pts, nr, sizeof(*pts), cmp_u64);
	for (size_t i = 0; i < nr; i++)
		if (!out || pts[out - 1] != pts[i])
			pts[out++] = pts[i];
	return out;
}

static bool in_regions(const struct mbr_vec *regions, uint64_t addr)
{
	size_t lo = 0, hi = regions->nr;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (MBR_AT(regions, struct mbr_region, mid)->end <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < regions->nr && MBR_AT(regions, struct mbr_region, lo)->base <= addr;
}

static bool covered(const struct mbr_canvas *c, uint64_t addr)
{
	for (int k = 0; k < c->nr_views; k++) {
		const struct mbr_map *map = c->views[k].map;

		if (in_regions(&map->regions[MBR_MEMORY], addr) ||
		    in_regions(&map->regions[MBR_RESERVED], addr))
			return true;
	}
	return false;
}

static double seg_log_weight(uint64_t size)
{
	return 1.0 + log2(1.0 + (double)size / 4096.0);
}

/* Widths: holes fixed, the rest half linear, half logarithmic. */
static void axis_widths(struct mbr_axis *a, double *w)
{
	double total = 0, logs = 0, budget = a->width;
	size_t segs = a->nr - 1, holes = 0;

	for (size_t i = 0; i < segs; i++)
		holes += a->hole[i];
	/* Many holes (a real NUMA box) must not eat the map: at most a quarter. */
	a->hole_w = holes && MBR_HOLE_W * (double)holes > a->width / 4
			    ? a->width / 4 / (double)holes
			    : MBR_HOLE_W;
	if (a->hole_w < 8)
		a->hole_w = 8;
	for (size_t i = 0; i < segs; i++) {
		uint64_t size = a->points[i + 1] - a->points[i];

		if (a->hole[i]) {
			budget -= a->hole_w;
			continue;
		}
		total += (double)size;
		logs += seg_log_weight(size);
	}
	if (budget < a->width / 4)
		budget = a->width / 4;
	for (size_t i = 0; i < segs; i++) {
		uint64_t size = a->points[i + 1] - a->points[i];

		w[i] = a->hole[i] ? a->hole_w
				  : budget * (0.45 * (double)size / total +
					      0.55 * seg_log_weight(size) / logs);
	}
}

static int layout_axis(struct mbr_canvas *c)
{
	struct mbr_axis *a = &c->axis;
	size_t cap = count_points(c) + 2;
	double *w;

	a->points = malloc(cap * sizeof(*a->points));
	a->x = malloc(cap * sizeof(*a->x));
	a->hole = calloc(cap, sizeof(*a->hole));
	w = malloc(cap * sizeof(*w));
	if (!a->points || !a->x || !a->hole || !w) {
		free(w);
		return -MB_ENOMEM;
	}
	a->nr = gather_points(c, a->points);
	a->x0 = MBR_LABEL_W;
	a->width = c->width - MBR_LABEL_W - MBR_MAP_RIGHT;
	for (size_t i = 0; i + 1 < a->nr; i++)
		a->hole[i] = !covered(c, a->points[i]);
	if (a->nr > 1)
		axis_widths(a, w);
	a->x[0] = a->x0;
	for (size_t i = 1; i < a->nr; i++)
		a->x[i] = a->x[i - 1] + w[i - 1];
	free(w);
	return 0;
}

double mbri_axis_x(const struct mbr_axis *a, uint64_t addr)
{
	size_t lo = 0, hi = a->nr;

	if (!a->nr)
		return a->x0;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (a->points[mid] <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		return a->x[0];
	if (lo >= a->nr)
		return a->x[a->nr - 1];
	lo--;
	return a->x[lo] + (a->x[lo + 1] - a->x[lo]) * ((double)(addr - a->points[lo]) /
						       (double)(a->points[lo + 1] - a->points[lo]));
}

int mbri_canvas_layout(struct mbr_canvas *c)
{
	c->width = MBR_WIDTH;
	layout_lanes(c);
	c->row_h = c->nr_lanes <= 2 ? MBR_ROW_H_FEW : MBR_ROW_H;
	return layout_axis(c);
}

void mbri_canvas_release(struct mbr_canvas *c)
{
	for (int k = 0; k < c->nr_views; k++)
		mbri_view_release(&c->views[k]);
	free(c->axis.points);
	free(c->axis.x);
	free(c->axis.hole);
	memset(&c->axis, 0, sizeof(c->axis));
}
