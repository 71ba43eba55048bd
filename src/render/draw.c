// SPDX-License-Identifier: MIT
/*
 * draw.c - the lanes, their blocks, the axis and the legend, as SVG.
 *
 * Every region is one <g class="blk"> with its data- attributes and a
 * <title> tooltip in the kernel's notation; a reserved region holds one
 * rect per run of pieces of the same kind. Neighbours thinner than a pixel
 * are drawn as one aggregate whose tooltip lists them; their <g> elements
 * stay (without shapes) so the page still holds every region.
 */
#include <stdlib.h>
#include <string.h>

#include <memblock/flag_names.h>

#include "render_internal.h"

#define FREE_ITEM 3 /* item type besides enum mbr_type */
#define AGG_LIST_MAX 12

struct item {
	int type;
	size_t index;
	uint64_t base, end;
	int nid;
	unsigned int flags;
	double x0, x1;
};

static const char *const type_names[] = { "memory", "reserved", "physmem", "free" };
static const char *const diff_names[] = { "same", "added", "removed", "moved" };

#define FREE_FILL "#dcefd2"
#define FREE_TEXT "#3f6b2f"

static const char *memory_fill(unsigned int flags)
{
	if (flags & MB_FLAG_NOMAP)
		return "#4a4f57";
	if (flags & MB_FLAG_DRIVER_MANAGED)
		return "#a66bbf";
	if (flags & MB_FLAG_HOTPLUG)
		return "#f28e2b";
	if (flags & MB_FLAG_MIRROR)
		return "#2f9fd8";
	return "#aebccb";
}

static bool dark_fill(const char *hex)
{
	unsigned int r, g, b;

	if (sscanf(hex, "#%2x%2x%2x", &r, &g, &b) != 3)
		return false;
	return 299 * r + 587 * g + 114 * b < 150000;
}

/* ---- Pieces of an item ---- */

static const struct mbr_pieces *item_pieces(const struct mbr_view *v, const struct item *it)
{
	return it->type == MBR_MEMORY	  ? &v->pieces[0]
	       : it->type == MBR_RESERVED ? &v->pieces[1]
					  : NULL;
}

static const struct mbr_piece *piece(const struct mbr_pieces *p, size_t i)
{
	return MBR_AT(&p->pieces, struct mbr_piece, i);
}

/* The largest piece: it names the block's kind and caller. */
static const struct mbr_piece *main_piece(const struct mbr_view *v, const struct item *it)
{
	const struct mbr_pieces *p = item_pieces(v, it);
	const struct mbr_piece *best = NULL;

	if (!p)
		return NULL;
	for (size_t i = p->first[it->index]; i < p->first[it->index + 1]; i++)
		if (!best || piece(p, i)->end - piece(p, i)->base > best->end - best->base)
			best = piece(p, i);
	return best;
}

static enum mbr_kind item_kind(const struct mbr_view *v, const struct item *it)
{
	const struct mbr_piece *p = it->type == MBR_RESERVED ? main_piece(v, it) : NULL;

	return p ? p->kind : MBR_KIND_OTHER;
}

static const char *item_fill(const struct mbr_view *v, const struct item *it)
{
	if (it->type == FREE_ITEM)
		return FREE_FILL;
	if (it->type == MBR_RESERVED)
		return mbri_kind_color(item_kind(v, it));
	return memory_fill(it->flags);
}

static int item_diff(const struct mbr_view *v, const struct item *it)
{
	const struct mbr_pieces *p = it->type == MBR_RESERVED ? item_pieces(v, it) : NULL;
	int status = MBR_SAME;

	for (size_t i = p ? p->first[it->index] : 0; p && i < p->first[it->index + 1]; i++)
		if (piece(p, i)->diff != MBR_SAME)
			status = status == MBR_SAME ? piece(p, i)->diff : status;
	return status;
}

/* ---- Tooltip and attributes ---- */

/* "16M memmap / sparse: sparse_init_nid+0xac/0x210 (line 38)"; memory: "added by ..." */
static void put_piece_line(FILE *out, const struct mbr_piece *p, bool memory)
{
	char size[32];

	if (memory && !p->owner)
		return;
	mbri_fmt_size(size, sizeof(size), p->end - p->base);
	if (memory)
		fputs("\nadded by ", out);
	else
		fprintf(out, "\n%s %s%s", size, mbri_kind_label(p->kind),
			p->owner && p->owner->caller[0] ? ": " : "");
	if (p->owner)
		mbri_put_escaped(out, p->owner->caller);
	if (p->owner && p->owner->line)
		fprintf(out, " (line %u)", p->owner->line);
	if (p->diff)
		fprintf(out, " [%s]", diff_names[p->diff]);
}

/*
 * First line as the kernel's dump prints the region, second line the
 * size and flags for people, then who made each piece.
 */
static void put_title(struct mbr_canvas *c, const struct mbr_view *v, const struct item *it)
{
	const struct mbr_pieces *p = item_pieces(v, it);
	int digits = v->map->phys_bits == 32 ? 8 : 16;
	char range[64], size[32], flags[96];
	size_t nr = 0;

	mbri_fmt_range(range, sizeof(range), it->base, it->end, v->map->phys_bits);
	mbri_fmt_size(size, sizeof(size), it->end - it->base);
	fprintf(c->out, "<title>%s[0x%zx]\t%s, 0x%0*llx bytes", type_names[it->type], it->index,
		range, digits, (unsigned long long)(it->end - it->base));
	if (it->nid >= 0 && it->nid < v->map->max_numnodes && v->map->numa)
		fprintf(c->out, " on node %d", it->nid);
	if (it->type != FREE_ITEM)
		fprintf(c->out, " flags: 0x%x\n%s, %s", it->flags, size,
			mb_flags_text(it->flags, flags, sizeof(flags)));
	else
		fprintf(c->out, "\n%s free", size);
	for (size_t i = p ? p->first[it->index] : 0; p && i < p->first[it->index + 1]; i++, nr++) {
		if (nr == AGG_LIST_MAX) {
			fprintf(c->out, "\n... and %zu more",
				p->first[it->index + 1] - p->first[it->index] - nr);
			break;
		}
		put_piece_line(c->out, piece(p, i), it->type == MBR_MEMORY);
	}
	fputs("</title>", c->out);
}

/*
 * Members of an aggregate (@full false) leave out the source text: a
 * 10,000-region page must stay small, and data-line still names the line.
 */
static void put_attrs(struct mbr_canvas *c, const struct mbr_view *v, const struct item *it,
		      bool full)
{
	const struct mbr_piece *mp = main_piece(v, it);
	const struct mbr_owner *o = mp ? mp->owner : NULL;
	int diff = item_diff(v, it);

	fprintf(c->out, "<g class=\"blk\" data-type=\"%s\"", type_names[it->type]);
	fprintf(c->out, " data-base=\"0x%llx\" data-size=\"0x%llx\" data-flags=\"0x%x\"",
		(unsigned long long)it->base, (unsigned long long)(it->end - it->base), it->flags);
	fprintf(c->out, " data-nid=\"%d\" data-kind=\"%s\"", it->nid,
		it->type == FREE_ITEM	   ? "free"
		: it->type == MBR_RESERVED ? mbr_kind_name(item_kind(v, it))
					   : "memory");
	if (diff)
		fprintf(c->out, " data-diff=\"%s\"", diff_names[diff]);
	if (it->type == FREE_ITEM)
		return;
	fputs(" data-caller=\"", c->out);
	mbri_put_escaped(c->out, o ? o->caller : "");
	fprintf(c->out, "\" data-line=\"%u\"", o ? o->line : 0);
	if (!full)
		return;
	fputs(" data-src=\"", c->out);
	mbri_put_escaped(c->out, o ? o->source : "");
	fputs("\"", c->out);
}

/* ---- Shapes ---- */

static void put_rect(FILE *out, const char *cls, double x0, double x1, double y, double h,
		     const char *fill)
{
	if (x1 - x0 < 1.0)
		x1 = x0 + 1.0;
	fprintf(out,
		"<rect class=\"%s\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"/>",
		cls, x0, y, x1 - x0, h, fill);
}

/* Runs of pieces of one kind and diff status: one rect each. */
static void put_piece_rects(struct mbr_canvas *c, const struct mbr_view *v, const struct item *it,
			    double y, double h)
{
	const struct mbr_pieces *p = item_pieces(v, it);
	size_t i = p->first[it->index], end = p->first[it->index + 1];

	while (i < end) {
		const struct mbr_piece *first = piece(p, i);
		uint64_t stop = first->end;
		double x0, x1;

		for (i++; i < end && piece(p, i)->kind == first->kind &&
			  piece(p, i)->diff == first->diff;
		     i++)
			stop = piece(p, i)->end;
		x0 = mbri_axis_x(&c->axis, first->base);
		x1 = mbri_axis_x(&c->axis, stop);
		put_rect(c->out, "pc", x0, x1, y, h, mbri_kind_color(first->kind));
		if (first->diff)
			fprintf(c->out,
				"<rect class=\"mark m-%s\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"/>",
				diff_names[first->diff], x0, y + 1, x1 - x0 < 2 ? 2 : x1 - x0 - 0.0,
				h - 2);
	}
}

static void put_label(struct mbr_canvas *c, const struct mbr_view *v, const struct item *it,
		      double y, double h)
{
	char size[32], both[96];
	const char *name = it->type == FREE_ITEM      ? "free"
			   : it->type == MBR_RESERVED ? mbr_kind_name(item_kind(v, it))
						      : NULL;
	const char *fill = item_fill(v, it);
	const char *color = it->type == FREE_ITEM ? FREE_TEXT : dark_fill(fill) ? "#fff" : "#222";
	double w = it->x1 - it->x0, cx = (it->x0 + it->x1) / 2, cy = y + h / 2;
	size_t len_name = name ? strlen(name) : 0;

	if (!name)
		return;
	mbri_fmt_size(size, sizeof(size), it->end - it->base);
	snprintf(both, sizeof(both), "%s %s", name, size);
	if (w >= 7.0 * (double)(len_name > strlen(size) ? len_name : strlen(size)) + 8)
		fprintf(c->out,
			"<text class=\"lbl\" x=\"%.1f\" y=\"%.1f\" fill=\"%s\">%s<tspan x=\"%.1f\" dy=\"13\">%s</tspan></text>",
			cx, cy - 3, color, name, cx, size);
	else if (w >= 7.0 * (double)strlen(size) + 6)
		fprintf(c->out, "<text class=\"lbl\" x=\"%.1f\" y=\"%.1f\" fill=\"%s\">%s</text>",
			cx, cy + 4, color, size);
}

static void put_item(struct mbr_canvas *c, const struct mbr_view *v, const struct item *it,
		     double y, double h, bool shapes)
{
	put_attrs(c, v, it, shapes);
	if (!shapes) {
		fputs("/>\n", c->out);
		return;
	}
	fputs(">", c->out);
	put_title(c, v, it);
	if (it->type == MBR_RESERVED)
		put_piece_rects(c, v, it, y, h);
	else
		put_rect(c->out, "pc", it->x0, it->x1, y, h, item_fill(v, it));
	if (h > 20)
		put_label(c, v, it, y, h);
	fputs("</g>\n", c->out);
}

/* ---- Aggregation of sub-pixel neighbours ---- */

struct group {
	struct item *items;
	size_t first, nr;
	double x0, x1;
};

static void put_group(struct mbr_canvas *c, const struct mbr_view *v, struct group *g, double y,
		      double h)
{
	struct item *its = g->items + g->first;
	uint64_t best = 0, best_reserved = 0;
	const char *fill = FREE_FILL, *reserved_fill = NULL;

	if (g->nr == 1) {
		put_item(c, v, its, y, h, true);
		return;
	}
	/* Reservations are what a reader looks for: they colour a mixed run. */
	for (size_t i = 0; i < g->nr; i++) {
		uint64_t size = its[i].end - its[i].base;

		if (size > best) {
			best = size;
			fill = item_fill(v, &its[i]);
		}
		if (its[i].type == MBR_RESERVED && size > best_reserved) {
			best_reserved = size;
			reserved_fill = item_fill(v, &its[i]);
		}
	}
	if (reserved_fill)
		fill = reserved_fill;
	fprintf(c->out,
		"<g class=\"agg\" data-count=\"%zu\" data-base=\"0x%llx\" data-size=\"0x%llx\"><title>%zu regions",
		g->nr, (unsigned long long)its[0].base,
		(unsigned long long)(its[g->nr - 1].end - its[0].base), g->nr);
	for (size_t i = 0; i < g->nr && i < AGG_LIST_MAX; i++) {
		char range[64], size[32];

		mbri_fmt_range(range, sizeof(range), its[i].base, its[i].end, v->map->phys_bits);
		mbri_fmt_size(size, sizeof(size), its[i].end - its[i].base);
		fprintf(c->out, "\n%s %s %s", range, size,
			its[i].type == MBR_RESERVED ? mbr_kind_name(item_kind(v, &its[i]))
						    : type_names[its[i].type]);
	}
	if (g->nr > AGG_LIST_MAX)
		fprintf(c->out, "\n... and %zu more", g->nr - AGG_LIST_MAX);
	fputs("</title>", c->out);
	put_rect(c->out, "pc", g->x0, g->x1, y, h, fill);
	fputs("</g>\n", c->out);
	for (size_t i = 0; i < g->nr; i++)
		put_item(c, v, &its[i], y, h, false);
}

static void draw_row(struct mbr_canvas *c, const struct mbr_view *v, struct item *items, size_t nr,
		     double y, double h)
{
	struct group g = { items, 0, 0, 0, 0 };

	for (size_t i = 0; i < nr; i++) {
		struct item *it = &items[i];

		it->x0 = mbri_axis_x(&c->axis, it->base);
		it->x1 = mbri_axis_x(&c->axis, it->end);
		if (g.nr &&
		    (it->x1 - it->x0 >= 1.0 || it->x0 - g.x1 > 1.0 || it->x1 - g.x0 > 3.0)) {
			put_group(c, v, &g, y, h);
			g.nr = 0;
		}
		if (it->x1 - it->x0 >= 1.0) {
			put_item(c, v, it, y, h, true);
			continue;
		}
		if (!g.nr) {
			g.first = i;
			g.x0 = it->x0;
		}
		g.nr++;
		g.x1 = it->x1 > g.x0 + 1.0 ? it->x1 : g.x0 + 1.0;
	}
	if (g.nr)
		put_group(c, v, &g, y, h);
}

/* ---- Lanes ---- */

struct row_items {
	struct item *items;
	size_t nr, cap;
};

static int push_item(struct row_items *r, int type, size_t index, const struct mbr_region *reg)
{
	if (r->nr == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 64;
		struct item *items = realloc(r->items, cap * sizeof(*items));

		if (!items)
			return -MB_ENOMEM;
		r->items = items;
		r->cap = cap;
	}
	r->items[r->nr++] =
		(struct item){ type, index, reg->base, reg->end, reg->nid, reg->flags, 0, 0 };
	return 0;
}

/* Reserved regions and free ranges of one lane, merged by address. */
static int main_items(const struct mbr_view *v, int key, struct row_items *r)
{
	const struct mbr_vec *res = &v->map->regions[MBR_RESERVED];
	size_t i = 0, j = 0;

	while (i < res->nr || j < v->free.nr) {
		const struct mbr_region *a = i < res->nr ? MBR_AT(res, struct mbr_region, i) : NULL;
		const struct mbr_region *f =
			j < v->free.nr ? MBR_AT(&v->free, struct mbr_region, j) : NULL;

		if (a && (!f || a->base <= f->base)) {
			if (v->reserved_lane[i] == key && push_item(r, MBR_RESERVED, i, a))
				return -MB_ENOMEM;
			i++;
		} else {
			if (f->nid == key && push_item(r, FREE_ITEM, j, f))
				return -MB_ENOMEM;
			j++;
		}
	}
	return 0;
}

static int type_items(const struct mbr_view *v, enum mbr_type type, int key, struct row_items *r)
{
	const struct mbr_vec *regs = &v->map->regions[type];

	for (size_t i = 0; i < regs->nr; i++) {
		const struct mbr_region *m = MBR_AT(regs, struct mbr_region, i);
		int lane = type == MBR_PHYSMEM ? MBR_LANE_PHYSMEM : mbri_lane_of(v, m->base);

		if (lane == key && push_item(r, type, i, m))
			return -MB_ENOMEM;
	}
	return 0;
}

static uint64_t lane_bytes(const struct row_items *r)
{
	uint64_t sum = 0;

	for (size_t i = 0; i < r->nr; i++)
		sum += r->items[i].end - r->items[i].base;
	return sum;
}

static void lane_label(struct mbr_canvas *c, const struct mbr_lane *l, uint64_t bytes)
{
	const struct mbr_view *v = &c->views[l->view];
	char name[48], size[32];

	mbri_lane_name(v, l->key, name, sizeof(name));
	mbri_fmt_size(size, sizeof(size), bytes);
	double mid = l->y + MBR_STRIP_H + 2 + c->row_h / 2;

	fprintf(c->out, "<text class=\"lane\" x=\"14\" y=\"%.1f\">%s</text>", mid - 2, name);
	if (c->nr_views > 1)
		fprintf(c->out, "<text class=\"tag t%d\" x=\"%.1f\" y=\"%.1f\">%c</text>", l->view,
			MBR_LABEL_W - 22, mid - 2, 'A' + l->view);
	fprintf(c->out, "<text class=\"sub\" x=\"14\" y=\"%.1f\">%s</text>\n", mid + 13,
		bytes ? size : "");
}

static int draw_lane(struct mbr_canvas *c, const struct mbr_lane *l)
{
	const struct mbr_view *v = &c->views[l->view];
	struct row_items strip = { 0 }, row = { 0 };
	double row_y = l->y + MBR_STRIP_H + 2;
	int ret;

	if (l->key == MBR_LANE_PHYSMEM)
		ret = type_items(v, MBR_PHYSMEM, l->key, &row);
	else if (!(ret = type_items(v, MBR_MEMORY, l->key, &strip)))
		ret = main_items(v, l->key, &row);
	if (!ret) {
		fprintf(c->out, "<g class=\"lanebox\" data-lane=\"%d\" data-view=\"%d\">\n", l->key,
			l->view);
		fprintf(c->out,
			"<rect class=\"track\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"/>\n",
			c->axis.x0, row_y, c->axis.width, c->row_h);
		lane_label(c, l, lane_bytes(l->key == MBR_LANE_PHYSMEM ? &row : &strip));
		draw_row(c, v, strip.items, strip.nr, l->y, MBR_STRIP_H);
		draw_row(c, v, row.items, row.nr, row_y, c->row_h);
		fputs("</g>\n", c->out);
	}
	free(strip.items);
	free(row.items);
	return ret;
}

/* ---- Breaks and the axis ---- */

/* Does lane @l hold memory right before or right after the hole @i? */
static bool lane_at_hole(const struct mbr_canvas *c, const struct mbr_lane *l, size_t i)
{
	const struct mbr_view *v = &c->views[l->view];
	const struct mbr_axis *a = &c->axis;

	if (l->key == MBR_LANE_PHYSMEM)
		return true;
	return (a->points[i] && mbri_lane_of(v, a->points[i] - 1) == l->key) ||
	       mbri_lane_of(v, a->points[i + 1]) == l->key;
}

static void draw_breaks(struct mbr_canvas *c)
{
	const struct mbr_axis *a = &c->axis;
	double w = a->hole_w, dx = w >= 20 ? 3 : 0;

	for (size_t i = 0; i + 1 < a->nr; i++) {
		double x = a->x[i] + w / 2;

		if (!a->hole[i])
			continue;
		fprintf(c->out,
			"<rect class=\"hole\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"/>",
			a->x[i] + 1, c->lanes_top - 4, w - 2, c->lanes_bottom - c->lanes_top + 8);
		for (int k = 0; k < c->nr_lanes; k++) {
			double y = c->lanes[k].y + MBR_STRIP_H + 2 + c->row_h / 2 + 8;

			if (!lane_at_hole(c, &c->lanes[k], i))
				continue;
			if (dx)
				fprintf(c->out,
					"<path class=\"brk\" d=\"M%.1f %.1fl6 -16M%.1f %.1fl6 -16\"/>",
					x - dx - 3, y, x + dx - 3, y);
			else
				fprintf(c->out, "<path class=\"brk\" d=\"M%.1f %.1fl6 -16\"/>",
					x - 3, y);
		}
		fputs("\n", c->out);
	}
}

#define MAX_TICKS 160

struct ticks {
	double left[2][MAX_TICKS], right[2][MAX_TICKS];
	int nr[2];
	uint64_t addr[2 * MAX_TICKS]; /* labelled already */
	int nr_addr;
	double y;
};

static bool row_free(const struct ticks *t, int row, double l, double r)
{
	for (int i = 0; i < t->nr[row]; i++)
		if (l < t->right[row][i] + 8 && r + 8 > t->left[row][i])
			return false;
	return true;
}

/* anchor: -1 text ends at x, 0 centred, 1 starts at x. */
static void tick(struct mbr_canvas *c, struct ticks *t, uint64_t addr, int anchor)
{
	static const char *const anchors[] = { "end", "middle", "start" };
	char text[24];
	double x = mbri_axis_x(&c->axis, addr), w, l;

	for (int i = 0; i < t->nr_addr; i++)
		if (t->addr[i] == addr)
			return;
	mbri_fmt_addr(text, sizeof(text), addr);
	w = 6.1 * (double)strlen(text);
	l = anchor < 0 ? x - 3 - w : anchor > 0 ? x + 3 : x - w / 2;
	if (l < 4 || l + w > c->width - 4)
		return;
	for (int row = 0; row < 2; row++) {
		if (t->nr[row] == MAX_TICKS || !row_free(t, row, l, l + w))
			continue;
		t->left[row][t->nr[row]] = l;
		t->right[row][t->nr[row]++] = l + w;
		t->addr[t->nr_addr++] = addr;
		fprintf(c->out,
			"<line class=\"tick\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>", x,
			c->lanes_bottom + 1, x, t->y + row * 15 - 9);
		fprintf(c->out,
			"<text class=\"addr\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\">%s</text>\n",
			anchor < 0   ? x - 3
			: anchor > 0 ? x + 3
				     : x,
			t->y + row * 15, anchors[anchor + 1], text);
		return;
	}
}

static void tick_regions(struct mbr_canvas *c, struct ticks *t, enum mbr_type type)
{
	for (int k = 0; k < c->nr_views; k++) {
		const struct mbr_vec *v = &c->views[k].map->regions[type];

		for (size_t i = 0; i < v->nr; i++) {
			tick(c, t, MBR_AT(v, struct mbr_region, i)->base, 0);
			tick(c, t, MBR_AT(v, struct mbr_region, i)->end, 0);
		}
	}
}

static double draw_axis(struct mbr_canvas *c)
{
	const struct mbr_axis *a = &c->axis;
	struct ticks *t = calloc(1, sizeof(*t));

	if (!t || !a->nr)
		goto out;
	t->y = c->lanes_bottom + 16;
	for (size_t i = 0; i + 1 < a->nr; i++) {
		if (!a->hole[i])
			continue;
		tick(c, t, a->points[i], -1);
		tick(c, t, a->points[i + 1], 1);
	}
	tick(c, t, a->points[0], 1);
	tick(c, t, a->points[a->nr - 1], -1);
	tick_regions(c, t, MBR_MEMORY);
	tick_regions(c, t, MBR_PHYSMEM);
	tick_regions(c, t, MBR_RESERVED);
out:
	free(t);
	return c->lanes_bottom + 40;
}

/* ---- Legend ---- */

struct legend {
	double x, y, left, right;
};

static void legend_item(struct mbr_canvas *c, struct legend *lg, const char *cls, const char *key,
			const char *fill, const char *text)
{
	double w = 24 + 6.6 * (double)strlen(text) + 16;

	if (lg->x + w > lg->right) {
		lg->x = lg->left;
		lg->y += 20;
	}
	fprintf(c->out,
		"<g class=\"leg\" data-kind=\"%s\"><rect class=\"%s\" x=\"%.1f\" y=\"%.1f\" width=\"16\" height=\"12\" rx=\"2\" fill=\"%s\"/><text x=\"%.1f\" y=\"%.1f\">%s</text></g>\n",
		key, cls, lg->x, lg->y - 10, fill, lg->x + 22, lg->y, text);
	lg->x += w;
}

static bool kind_present(const struct mbr_canvas *c, enum mbr_kind kind)
{
	for (int k = 0; k < c->nr_views; k++) {
		const struct mbr_vec *p = &c->views[k].pieces[1].pieces;

		for (size_t i = 0; i < p->nr; i++)
			if (MBR_AT(p, struct mbr_piece, i)->kind == kind)
				return true;
	}
	return false;
}

static unsigned int flags_present(const struct mbr_canvas *c)
{
	unsigned int all = 0;

	for (int k = 0; k < c->nr_views; k++) {
		const struct mbr_vec *v = &c->views[k].map->regions[MBR_MEMORY];

		for (size_t i = 0; i < v->nr; i++)
			all |= MBR_AT(v, struct mbr_region, i)->flags
				       ? MBR_AT(v, struct mbr_region, i)->flags
				       : 0x100;
	}
	return all;
}

static void legend_memory(struct mbr_canvas *c, struct legend *lg)
{
	static const struct {
		unsigned int flag;
		const char *key, *text;
	} flags[] = {
		{ 0x100, "memory", "memory" },
		{ MB_FLAG_HOTPLUG, "hotplug", "hotplug" },
		{ MB_FLAG_MIRROR, "mirror", "mirror" },
		{ MB_FLAG_NOMAP, "nomap", "nomap" },
		{ MB_FLAG_DRIVER_MANAGED, "driver-managed", "driver-managed" },
	};
	unsigned int present = flags_present(c);

	for (size_t i = 0; i < sizeof(flags) / sizeof(flags[0]); i++)
		if (present & flags[i].flag)
			legend_item(c, lg, "sw", flags[i].key, memory_fill(flags[i].flag & 0xff),
				    flags[i].text);
	legend_item(c, lg, "sw", "free", FREE_FILL, "free");
	if (c->nr_views > 1) {
		legend_item(c, lg, "sw m-added", "added", "#ffffff", "added");
		legend_item(c, lg, "sw m-removed", "removed", "#ffffff", "removed");
		legend_item(c, lg, "sw m-moved", "moved", "#ffffff", "moved");
	}
}

double mbri_draw_legend(struct mbr_canvas *c, double top)
{
	struct legend lg = { MBR_LABEL_W, top + 14, MBR_LABEL_W, c->width - MBR_MAP_RIGHT };

	fprintf(c->out,
		"<g class=\"legend\">\n<text class=\"lane\" x=\"14\" y=\"%.1f\">reserved</text>\n",
		lg.y);
	for (int k = 0; k < MBR_KIND_COUNT; k++)
		if (kind_present(c, (enum mbr_kind)k))
			legend_item(c, &lg, "sw", mbr_kind_name((enum mbr_kind)k),
				    mbri_kind_color((enum mbr_kind)k),
				    mbri_kind_label((enum mbr_kind)k));
	lg.x = lg.left;
	lg.y += 22;
	fprintf(c->out, "<text class=\"lane\" x=\"14\" y=\"%.1f\">memory</text>\n", lg.y);
	legend_memory(c, &lg);
	fputs("</g>\n", c->out);
	return lg.y + 12;
}

/* ---- The whole map ---- */

int mbri_draw_map(struct mbr_canvas *c, double top)
{
	double y = top;

	c->lanes_top = top;
	for (int i = 0; i < c->nr_lanes; i++) {
		c->lanes[i].y = y;
		y += (MBR_STRIP_H + 2 + c->row_h);
		if (i + 1 < c->nr_lanes)
			y += c->lanes[i + 1].key == c->lanes[i].key ? 6 : 20;
	}
	c->lanes_bottom = y;
	fputs("<g class=\"lanes\">\n", c->out);
	for (int i = 0; i < c->nr_lanes; i++)
		if (draw_lane(c, &c->lanes[i]))
			return -MB_ENOMEM;
	fputs("</g>\n", c->out);
	draw_breaks(c);
	c->height = draw_axis(c);
	return 0;
}
