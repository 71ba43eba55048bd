// SPDX-License-Identifier: MIT
/*
 * diff.c - mark the reservations two maps do not share.
 *
 * Pieces match when base, end and calling function are equal; a piece
 * left over on both sides with the same function and size has moved;
 * what remains was added (second map) or removed (first map).
 */
#include <string.h>

#include "render_internal.h"

#define UNMATCHED (-1)

static void fn_of(const struct mbr_piece *p, char *buf, size_t len)
{
	mbri_caller_function(p->owner ? p->owner->caller : "", buf, len);
}

static bool same_fn(const struct mbr_piece *a, const struct mbr_piece *b)
{
	char fa[MBR_CALLER_LEN], fb[MBR_CALLER_LEN];

	fn_of(a, fa, sizeof(fa));
	fn_of(b, fb, sizeof(fb));
	return !strcmp(fa, fb);
}

static struct mbr_piece *piece_at(struct mbr_view *v, size_t i)
{
	return MBR_AT(&v->pieces[1].pieces, struct mbr_piece, i);
}

/* A piece of @a at exactly [p->base, p->end), by binary search on base. */
static struct mbr_piece *exact(struct mbr_view *a, const struct mbr_piece *p)
{
	size_t lo = 0, hi = a->pieces[1].pieces.nr;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (piece_at(a, mid)->base < p->base)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < a->pieces[1].pieces.nr && piece_at(a, lo)->base == p->base; lo++)
		if (piece_at(a, lo)->end == p->end && same_fn(piece_at(a, lo), p))
			return piece_at(a, lo);
	return NULL;
}

static void match_moved(struct mbr_view *a, struct mbr_piece *p)
{
	for (size_t i = 0; i < a->pieces[1].pieces.nr; i++) {
		struct mbr_piece *q = piece_at(a, i);

		if (q->diff == UNMATCHED && q->end - q->base == p->end - p->base && same_fn(q, p)) {
			q->diff = p->diff = MBR_MOVED;
			return;
		}
	}
}

void mbri_diff_mark(struct mbr_view *a, struct mbr_view *b)
{
	for (size_t i = 0; i < a->pieces[1].pieces.nr; i++)
		piece_at(a, i)->diff = UNMATCHED;
	for (size_t i = 0; i < b->pieces[1].pieces.nr; i++) {
		struct mbr_piece *p = piece_at(b, i);
		struct mbr_piece *q = exact(a, p);

		p->diff = q ? MBR_SAME : UNMATCHED;
		if (q)
			q->diff = MBR_SAME;
	}
	for (size_t i = 0; i < b->pieces[1].pieces.nr; i++)
		if (piece_at(b, i)->diff == UNMATCHED)
			match_moved(a, piece_at(b, i));
	for (size_t i = 0; i < b->pieces[1].pieces.nr; i++)
		if (piece_at(b, i)->diff == UNMATCHED)
			piece_at(b, i)->diff = MBR_ADDED;
	for (size_t i = 0; i < a->pieces[1].pieces.nr; i++)
		if (piece_at(a, i)->diff == UNMATCHED)
			piece_at(a, i)->diff = MBR_REMOVED;
}
