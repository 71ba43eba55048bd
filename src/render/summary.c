// SPDX-License-Identifier: MIT
/*
 * summary.c - the numbers beside the map: totals, reserved bytes by kind
 * and by caller, free memory, the largest free range per node, and for a
 * diff the reservations that changed.
 */
#include <stdlib.h>
#include <string.h>

#include "render_internal.h"

#define TOP_CALLERS 10
#define TOP_CHANGES 16

struct caller_sum {
	char fn[MBR_CALLER_LEN];
	uint64_t bytes;
	unsigned long count;
};

struct lane_free {
	int key;
	uint64_t memory, base, end;
};

struct stats {
	uint64_t memory, reserved, free;
	uint64_t by_kind[MBR_KIND_COUNT];
	struct caller_sum *callers;
	size_t nr_callers, cap_callers;
	struct lane_free lanes[MBR_MAX_LANES];
	int nr_lanes;
};

static int cmp_callers(const void *a, const void *b)
{
	const struct caller_sum *x = a, *y = b;

	if (x->bytes != y->bytes)
		return x->bytes < y->bytes ? 1 : -1;
	return strcmp(x->fn, y->fn);
}

static int add_caller(struct stats *s, const struct mbr_piece *p)
{
	char fn[MBR_CALLER_LEN];

	const char *caller = p->owner ? p->owner->caller : "";

	snprintf(fn, sizeof(fn), "%.*s", (int)strcspn(caller, "+"), caller);
	if (!fn[0])
		snprintf(fn, sizeof(fn), "(unknown)");
	for (size_t i = 0; i < s->nr_callers; i++) {
		if (!strcmp(s->callers[i].fn, fn)) {
			s->callers[i].bytes += p->end - p->base;
			s->callers[i].count++;
			return 0;
		}
	}
	if (s->nr_callers == s->cap_callers) {
		size_t cap = s->cap_callers ? 2 * s->cap_callers : 16;
		struct caller_sum *c = realloc(s->callers, cap * sizeof(*c));

		if (!c)
			return -MB_ENOMEM;
		s->callers = c;
		s->cap_callers = cap;
	}
	snprintf(s->callers[s->nr_callers].fn, MBR_CALLER_LEN, "%s", fn);
	s->callers[s->nr_callers].bytes = p->end - p->base;
	s->callers[s->nr_callers++].count = 1;
	return 0;
}

static struct lane_free *lane_stat(struct stats *s, int key)
{
	for (int i = 0; i < s->nr_lanes; i++)
		if (s->lanes[i].key == key)
			return &s->lanes[i];
	if (s->nr_lanes == MBR_MAX_LANES)
		return NULL;
	s->lanes[s->nr_lanes] = (struct lane_free){ key, 0, 0, 0 };
	return &s->lanes[s->nr_lanes++];
}

static int compute(const struct mbr_view *v, struct stats *s)
{
	const struct mbr_map *map = v->map;

	memset(s, 0, sizeof(*s));
	for (size_t i = 0; i < map->regions[MBR_MEMORY].nr; i++) {
		const struct mbr_region *m =
			MBR_AT(&map->regions[MBR_MEMORY], struct mbr_region, i);
		struct lane_free *l = lane_stat(s, mbri_lane_of(v, m->base));

		s->memory += m->end - m->base;
		if (l)
			l->memory += m->end - m->base;
	}
	for (size_t i = 0; i < v->pieces[1].pieces.nr; i++) {
		const struct mbr_piece *p = MBR_AT(&v->pieces[1].pieces, struct mbr_piece, i);

		s->reserved += p->end - p->base;
		s->by_kind[p->kind] += p->end - p->base;
		if (add_caller(s, p))
			return -MB_ENOMEM;
	}
	for (size_t i = 0; i < v->free.nr; i++) {
		const struct mbr_region *f = MBR_AT(&v->free, struct mbr_region, i);
		struct lane_free *l = lane_stat(s, f->nid);

		s->free += f->end - f->base;
		if (l && f->end - f->base > l->end - l->base) {
			l->base = f->base;
			l->end = f->end;
		}
	}
	if (s->nr_callers)
		qsort(s->callers, s->nr_callers, sizeof(*s->callers), cmp_callers);
	return 0;
}

/* ---- Lines of the summary, shared by the SVG and HTML writers ---- */

struct sink {
	struct mbr_canvas *c;
	double x, y;	/* SVG: next line */
	double value_w; /* SVG: where values end, from x */
};

static void head(struct sink *k, const char *text)
{
	if (k->c->html)
		fprintf(k->c->out, "<h2>%s</h2>\n<table>\n", text);
	else
		fprintf(k->c->out, "<text class=\"h\" x=\"%.1f\" y=\"%.1f\">%s</text>\n", k->x,
			k->y += 18, text);
}

static void tail(struct sink *k)
{
	if (k->c->html)
		fputs("</table>\n", k->c->out);
	k->y += 6;
}

/* One row: a colour swatch (or NULL), a name and a value. */
static void row(struct sink *k, const char *color, const char *name, const char *value)
{
	FILE *out = k->c->out;

	if (k->c->html && !value[0]) {
		fputs("<tr><td colspan=\"2\">", out);
		mbri_put_escaped(out, name);
		fputs("</td></tr>\n", out);
		return;
	}
	if (k->c->html) {
		fputs("<tr><td>", out);
		if (color)
			fprintf(out, "<span class=\"sw\" style=\"background:%s\"></span>", color);
		mbri_put_escaped(out, name);
		fputs("</td><td class=\"n\">", out);
		mbri_put_escaped(out, value);
		fputs("</td></tr>\n", out);
		return;
	}
	k->y += 15;
	if (color)
		fprintf(out,
			"<rect x=\"%.1f\" y=\"%.1f\" width=\"10\" height=\"10\" rx=\"2\" fill=\"%s\"/>",
			k->x, k->y - 9, color);
	fprintf(out, "<text class=\"s\" x=\"%.1f\" y=\"%.1f\">", k->x + (color ? 15 : 0), k->y);
	mbri_put_escaped(out, name);
	fprintf(out, "</text><text class=\"s n\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">",
		k->x + k->value_w, k->y);
	mbri_put_escaped(out, value);
	fputs("</text>\n", out);
}

static void row_size(struct sink *k, const char *color, const char *name, uint64_t bytes)
{
	char size[32], value[64];

	mbri_fmt_size(size, sizeof(size), bytes);
	snprintf(value, sizeof(value), "%s (%lluK)", size, (unsigned long long)(bytes >> 10));
	row(k, color, name, value);
}

static void totals(struct sink *k, const struct mbr_view *v, const struct stats *s)
{
	head(k, "Totals");
	row_size(k, "#aebccb", "memory", s->memory);
	row_size(k, "#b3a48f", "reserved", s->reserved);
	row_size(k, "#dcefd2", "free", s->free);
	if (v->map->memory_line[0] && k->c->html)
		row(k, NULL, v->map->memory_line, "");
	tail(k);
}

static void by_kind(struct sink *k, const struct stats *s)
{
	head(k, "Reserved by kind");
	for (int i = 0; i < MBR_KIND_COUNT; i++)
		if (s->by_kind[i])
			row_size(k, mbri_kind_color((enum mbr_kind)i),
				 mbri_kind_label((enum mbr_kind)i), s->by_kind[i]);
	tail(k);
}

static void by_caller(struct sink *k, const struct stats *s)
{
	head(k, "Reserved by caller (top 10)");
	for (size_t i = 0; i < s->nr_callers && i < TOP_CALLERS; i++) {
		char name[MBR_CALLER_LEN + 16];

		snprintf(name, sizeof(name), "%s x%lu", s->callers[i].fn, s->callers[i].count);
		row_size(k, NULL, name, s->callers[i].bytes);
	}
	tail(k);
}

static void largest_free(struct sink *k, const struct mbr_view *v, const struct stats *s)
{
	head(k, "Largest free range");
	for (int i = 0; i < s->nr_lanes; i++) {
		char name[48], range[64], size[32], value[112];

		if (s->lanes[i].end == s->lanes[i].base)
			continue;
		mbri_lane_name(v, s->lanes[i].key, name, sizeof(name));
		snprintf(range, sizeof(range), "[%#llx-%#llx]",
			 (unsigned long long)s->lanes[i].base,
			 (unsigned long long)s->lanes[i].end - 1);
		mbri_fmt_size(size, sizeof(size), s->lanes[i].end - s->lanes[i].base);
		snprintf(value, sizeof(value), "%s %s", size, range);
		row(k, NULL, name, value);
	}
	tail(k);
}

struct change {
	const struct mbr_piece *a, *b;
	uint64_t size;
};

static int cmp_changes(const void *x, const void *y)
{
	const struct change *a = x, *b = y;

	if (a->size != b->size)
		return a->size < b->size ? 1 : -1;
	return 0;
}

static size_t collect_changes(const struct mbr_canvas *c, struct change *out, size_t max)
{
	size_t nr = 0;

	for (int k = 0; k < 2; k++) {
		const struct mbr_vec *p = &c->views[k].pieces[1].pieces;

		for (size_t i = 0; i < p->nr && nr < max; i++) {
			const struct mbr_piece *pc = MBR_AT(p, struct mbr_piece, i);

			if (pc->diff == MBR_SAME || (k == 0 && pc->diff == MBR_MOVED))
				continue;
			out[nr++] =
				(struct change){ k ? NULL : pc, k ? pc : NULL, pc->end - pc->base };
		}
	}
	qsort(out, nr, sizeof(*out), cmp_changes);
	return nr;
}

static void changes(struct sink *k)
{
	static const char *const verbs[] = { "", "+ added", "- removed", "~ moved" };
	static const char *const colors[] = { "", "#1a9850", "#d73027", "#f08a24" };
	struct change *ch = malloc(4096 * sizeof(*ch));
	size_t nr = ch ? collect_changes(k->c, ch, 4096) : 0;

	head(k, "Changed reservations (B against A)");
	if (!nr)
		row(k, NULL, "none", "");
	for (size_t i = 0; i < nr && i < TOP_CHANGES; i++) {
		const struct mbr_piece *p = ch[i].b ? ch[i].b : ch[i].a;
		char name[MBR_CALLER_LEN + 48], size[32];
		const char *caller = p->owner ? p->owner->caller : "";

		mbri_fmt_size(size, sizeof(size), ch[i].size);
		snprintf(name, sizeof(name), "%s %s %.*s", verbs[p->diff], mbr_kind_name(p->kind),
			 (int)strcspn(caller, "+"), caller);
		row(k, colors[p->diff], name, size);
	}
	if (nr > TOP_CHANGES)
		row(k, NULL, "more changes", "");
	tail(k);
	free(ch);
}

/* ---- Diff: A against B ---- */

static void row_delta(struct sink *k, const char *color, const char *name, uint64_t a, uint64_t b)
{
	char sa[32], sb[32], sd[32], value[112];

	mbri_fmt_size(sa, sizeof(sa), a);
	mbri_fmt_size(sb, sizeof(sb), b);
	if (!a)
		snprintf(sa, sizeof(sa), "0");
	if (!b)
		snprintf(sb, sizeof(sb), "0");
	mbri_fmt_size(sd, sizeof(sd), a > b ? a - b : b - a);
	if (a == b)
		snprintf(value, sizeof(value), "%s", sa);
	else
		snprintf(value, sizeof(value), "%s -> %s (%c%s)", sa, sb, b > a ? '+' : '-', sd);
	row(k, color, name, value);
}

static void compare_views(struct sink *k, const struct mbr_canvas *c)
{
	struct stats s[2];

	if (compute(&c->views[0], &s[0]))
		return;
	if (compute(&c->views[1], &s[1])) {
		free(s[0].callers);
		return;
	}
	head(k, "Totals, A -> B");
	row_delta(k, "#aebccb", "memory", s[0].memory, s[1].memory);
	row_delta(k, "#b3a48f", "reserved", s[0].reserved, s[1].reserved);
	row_delta(k, "#dcefd2", "free", s[0].free, s[1].free);
	tail(k);
	head(k, "Reserved by kind, A -> B");
	for (int i = 0; i < MBR_KIND_COUNT; i++)
		if (s[0].by_kind[i] || s[1].by_kind[i])
			row_delta(k, mbri_kind_color((enum mbr_kind)i),
				  mbri_kind_label((enum mbr_kind)i), s[0].by_kind[i],
				  s[1].by_kind[i]);
	tail(k);
	for (int v = 0; v < 2 && k->c->html; v++) {
		if (c->views[v].map->memory_line[0]) {
			head(k, v ? "B: the kernel says" : "A: the kernel says");
			row(k, NULL, c->views[v].map->memory_line, "");
			tail(k);
		}
	}
	free(s[0].callers);
	free(s[1].callers);
}

/* ---- SVG: four columns under the legend ---- */

static void column_start(struct sink *k, double x, double top)
{
	k->x = x;
	k->y = top;
}

static double svg_view_summary(struct sink *k, const struct mbr_view *v, double top, double x)
{
	struct stats s;
	double bottom;

	if (compute(v, &s))
		return top;
	column_start(k, x, top);
	totals(k, v, &s);
	largest_free(k, v, &s);
	bottom = k->y;
	column_start(k, x + 310, top);
	by_kind(k, &s);
	bottom = k->y > bottom ? k->y : bottom;
	column_start(k, x + 620, top);
	by_caller(k, &s);
	bottom = k->y > bottom ? k->y : bottom;
	free(s.callers);
	if (v->map->memory_line[0]) {
		fprintf(k->c->out, "<text class=\"s\" x=\"%.1f\" y=\"%.1f\">", x, bottom + 14);
		mbri_put_escaped(k->c->out, v->map->memory_line);
		fputs("</text>\n", k->c->out);
		bottom += 20;
	}
	return bottom;
}

double mbri_draw_svg_summary(struct mbr_canvas *c, double top)
{
	struct sink k = { c, 14, top, 280 };
	double bottom;

	fputs("<g class=\"summary\">\n", c->out);
	if (c->nr_views == 1) {
		bottom = svg_view_summary(&k, &c->views[0], top, 14);
	} else {
		k.value_w = 430;
		changes(&k);
		bottom = k.y;
		column_start(&k, 14 + 460, top);
		compare_views(&k, c);
		bottom = k.y > bottom ? k.y : bottom;
	}
	fputs("</g>\n", c->out);
	return bottom + 10;
}

/* ---- HTML: tables in the aside ---- */

static void html_view_summary(struct sink *k, const struct mbr_view *v)
{
	struct stats s;

	if (compute(v, &s))
		return;
	totals(k, v, &s);
	by_kind(k, &s);
	by_caller(k, &s);
	largest_free(k, v, &s);
	free(s.callers);
}

void mbri_write_html_summary(struct mbr_canvas *c)
{
	struct sink k = { c, 0, 0, 0 };

	if (c->nr_views > 1) {
		changes(&k);
		compare_views(&k, c);
		return;
	}
	html_view_summary(&k, &c->views[0]);
}
