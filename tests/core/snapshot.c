/* SPDX-License-Identifier: MIT */
#include "snapshot.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct memblock_type *type_at(const struct memblock *mb, int i)
{
	return i == 0 ? &mb->memory : (i == 1 ? &mb->reserved : &mb->physmem);
}

/* Bring every indexed type's array up to date (mb_type_regions()). */
static void refresh_views(const struct memblock *mb)
{
	for (int i = 0; i < 3; i++)
		if (type_at(mb, i)->regions)
			(void)mb_type_regions(mb, type_at(mb, i));
}

void snapshot_take(struct mb_snapshot *s, const struct memblock *mb)
{
	refresh_views(mb);
	memcpy(&s->mb, mb, sizeof(s->mb));
	for (int i = 0; i < 3; i++) {
		const struct memblock_type *t = type_at(mb, i);
		size_t bytes = t->max * sizeof(*t->regions);

		s->copy[i] = NULL;
		if (!t->regions)
			continue;
		s->copy[i] = malloc(bytes ? bytes : 1);
		if (!s->copy[i]) {
			fprintf(stderr, "snapshot: out of memory\n");
			abort();
		}
		memcpy(s->copy[i], t->regions, bytes);
	}
}

void snapshot_free(struct mb_snapshot *s)
{
	for (int i = 0; i < 3; i++) {
		free(s->copy[i]);
		s->copy[i] = NULL;
	}
}

/* Name the first field of struct memblock that differs (for the report). */
static const char *field_diff(const struct memblock *a, const struct memblock *b)
{
	if (a->bottom_up != b->bottom_up || a->current_limit != b->current_limit)
		return "bottom_up/current_limit";
	for (int i = 0; i < 3; i++) {
		const struct memblock_type *x = type_at(a, i), *y = type_at(b, i);

		if (x->cnt != y->cnt)
			return "type cnt";
		if (x->max != y->max)
			return "type max";
		if (x->regions != y->regions)
			return "type regions pointer";
		if (x->total_size != y->total_size)
			return "type total_size";
	}
	if (a->memory_in_managed != b->memory_in_managed ||
	    a->reserved_in_managed != b->reserved_in_managed)
		return "*_in_managed";
	if (a->system_has_mirror != b->system_has_mirror)
		return "system_has_mirror";
	return "padding or private field";
}

const char *snapshot_diff(const struct mb_snapshot *s, const struct memblock *mb)
{
	static const char *const changed[3] = { "memory regions[0..max)",
						"reserved regions[0..max)",
						"physmem regions[0..max)" };
	struct memblock then;

	/*
	 * The event counters are the one part a failed call may change. An
	 * index is compared by what it holds (its pool, capacity and count
	 * here, its regions through the arrays below), not by its tree shape.
	 */
	refresh_views(mb);
	memcpy(&then, &s->mb, sizeof(then));
	then.stats = mb->stats;
	for (int i = 0; i < 3; i++) {
		const struct mb_index *x = &then.index[i], *y = &mb->index[i];

		if (x->nodes != y->nodes || x->cap != y->cap || x->cnt != y->cnt)
			return "index pool, capacity or count";
		then.index[i] = *y;
	}
	if (memcmp(&then, mb, sizeof(then)))
		return field_diff(&then, mb);
	for (int i = 0; i < 3; i++) {
		const struct memblock_type *t = type_at(mb, i);

		if (s->copy[i] && memcmp(s->copy[i], t->regions, t->max * sizeof(*t->regions)))
			return changed[i];
	}
	return NULL;
}
