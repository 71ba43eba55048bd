/* SPDX-License-Identifier: MIT */
/* render_internal.h - the map model shared by the render files. */
#ifndef MEMBLOCK_RENDER_INTERNAL_H
#define MEMBLOCK_RENDER_INTERNAL_H

#include <memblock/render.h>

#define MBR_CALLER_LEN 96
#define MBR_SOURCE_LEN 200
#define MBR_TEXT_LEN 512

enum mbr_type { MBR_MEMORY = 0, MBR_RESERVED, MBR_PHYSMEM, MBR_TYPE_COUNT };

/* A region copied from the instance; end is exclusive (saturated at 2^64-1). */
struct mbr_region {
	uint64_t base, end;
	unsigned int flags;
	int nid;
};

/* Who made [base, end): later entries (higher seq) win. */
struct mbr_owner {
	uint64_t base, end;
	unsigned long seq;
	unsigned int line;
	char caller[MBR_CALLER_LEN];
	char source[MBR_SOURCE_LEN];
};

struct mbr_hint {
	uint64_t base, end;
	enum mbr_kind kind;
};

struct mbr_caller_kind {
	char caller[MBR_CALLER_LEN];
	enum mbr_kind kind;
};

/* A growable array of fixed-size items. */
struct mbr_vec {
	void *items;
	size_t nr, cap, item_size;
};

struct mbr_map {
	char title[MBR_TEXT_LEN];
	char subtitle[MBR_TEXT_LEN];
	char memory_line[MBR_TEXT_LEN];
	unsigned int phys_bits;
	int max_numnodes;
	bool numa;
	bool has_physmem;
	struct mbr_vec regions[MBR_TYPE_COUNT]; /* struct mbr_region */
	struct mbr_vec owners[2];		/* memory, reserved: struct mbr_owner */
	struct mbr_vec hints;			/* struct mbr_hint */
	struct mbr_vec caller_kinds;		/* struct mbr_caller_kind */
	unsigned long seq;
};

/*
 * One drawn piece of a region: the part [base, end) that a single owner
 * (or nobody) made, with its resolved kind.
 */
struct mbr_piece {
	uint64_t base, end;
	enum mbr_kind kind;
	const struct mbr_owner *owner; /* NULL: unknown */
	int diff;		       /* enum mbr_diff_status */
};

/* Pieces of every region of one type, and the index of each region's first. */
struct mbr_pieces {
	struct mbr_vec pieces; /* struct mbr_piece */
	size_t *first;	       /* per region; first[nr_regions] = total */
};

void *mbri_vec_push(struct mbr_vec *v);
void mbri_vec_free(struct mbr_vec *v);
#define MBR_AT(vec, type, i) (&((type *)(vec)->items)[i])

int mbri_pieces_build(const struct mbr_map *map, enum mbr_type type, struct mbr_pieces *out);
void mbri_pieces_free(struct mbr_pieces *p);

/* Text helpers (text.c). */
void mbri_fmt_size(char *buf, size_t len, uint64_t size);
void mbri_fmt_range(char *buf, size_t len, uint64_t base, uint64_t end, unsigned int phys_bits);
void mbri_fmt_addr(char *buf, size_t len, uint64_t addr);
void mbri_put_escaped(FILE *out, const char *text);
const char *mbri_kind_label(enum mbr_kind kind);
const char *mbri_kind_color(enum mbr_kind kind);
void mbri_caller_function(const char *caller, char *buf, size_t len);

/* ---- Drawing (layout.c, draw.c, summary.c, page.c) ---- */

enum mbr_diff_status { MBR_SAME = 0, MBR_ADDED, MBR_REMOVED, MBR_MOVED };

/* Lane keys besides node numbers, in the order lanes are drawn. */
#define MBR_LANE_NO_NODE (-1) /* memory whose nid is no valid node */
#define MBR_LANE_OUTSIDE (-2) /* reservations outside memory */
#define MBR_LANE_PHYSMEM (-3)

/* One map, ready to draw. */
struct mbr_view {
	const struct mbr_map *map;
	struct mbr_pieces pieces[2]; /* memory, reserved */
	struct mbr_vec free;	     /* struct mbr_region; nid = lane key */
	int *reserved_lane;	     /* lane key per reserved region */
};

/* The shared axis: points[i] is drawn at x[i]; segment i is [points[i], points[i+1]). */
struct mbr_axis {
	uint64_t *points;
	double *x;
	bool *hole; /* per segment: no memory and no reservation there */
	size_t nr;
	double x0, width;
	double hole_w; /* width of one hole */
};

/* One drawn row. */
struct mbr_lane {
	int view; /* index into the canvas' views */
	int key;  /* node number or MBR_LANE_* */
	double y;
};

#define MBR_MAX_LANES 64

struct mbr_canvas {
	struct mbr_view views[2];
	int nr_views;
	struct mbr_axis axis;
	struct mbr_lane lanes[MBR_MAX_LANES];
	int nr_lanes;
	double width, row_h, lanes_top, lanes_bottom, height;
	FILE *out;
	bool html;
};

int mbri_view_prepare(struct mbr_view *v, const struct mbr_map *map);
void mbri_view_release(struct mbr_view *v);
int mbri_lane_of(const struct mbr_view *v, uint64_t addr);
const char *mbri_lane_name(const struct mbr_view *v, int key, char *buf, size_t len);
int mbri_canvas_layout(struct mbr_canvas *c);
void mbri_canvas_release(struct mbr_canvas *c);
double mbri_axis_x(const struct mbr_axis *axis, uint64_t addr);
void mbri_diff_mark(struct mbr_view *a, struct mbr_view *b);

/* Geometry shared by draw.c and page.c. */
#define MBR_WIDTH 1280.0
#define MBR_LABEL_W 128.0
#define MBR_MAP_RIGHT 24.0
#define MBR_STRIP_H 10.0
#define MBR_ROW_H 42.0	   /* several lanes */
#define MBR_ROW_H_FEW 62.0 /* one or two lanes get room for labels */
#define MBR_HOLE_W 26.0

int mbri_draw_map(struct mbr_canvas *c, double top);
double mbri_draw_legend(struct mbr_canvas *c, double top);
double mbri_draw_svg_summary(struct mbr_canvas *c, double top);
void mbri_write_html_summary(struct mbr_canvas *c);

#endif
