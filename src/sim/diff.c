/* SPDX-License-Identifier: MIT */
/*
 * diff.c - what-if: what changed between two boots of one machine.
 * Regions only in one boot are "added" / "removed"; a removed and an
 * added region of the same size are one region that "moved".
 */
#include <stdlib.h>
#include <string.h>

#include "sim_internal.h"

static void print_range(FILE *out, const struct sim_boot *b, const struct memblock_region *r)
{
	char s[24], e[24];

	fprintf(out, "[%s-%s] %#llx bytes", simi_pa(b, r->base, s), simi_pa(b, r->base + r->size - 1, e),
		(unsigned long long)r->size);
}

static bool same_region(const struct memblock_region *x, const struct memblock_region *y)
{
	return x->base == y->base && x->size == y->size && x->flags == y->flags;
}

static bool contains(const struct memblock_region *t, unsigned long cnt,
		     const struct memblock_region *r)
{
	for (unsigned long i = 0; i < cnt; i++)
		if (same_region(&t[i], r))
			return true;
	return false;
}

/* Regions of @a not in @b; NULL-free list of pointers in @out. */
static size_t only_in(const struct memblock_region *a, unsigned long na,
		      const struct memblock_region *b, unsigned long nb,
		      const struct memblock_region **out)
{
	size_t n = 0;

	for (unsigned long i = 0; i < na; i++)
		if (a[i].size && !contains(b, nb, &a[i]))
			out[n++] = &a[i];
	return n;
}

static int diff_type(const struct sim_boot *ba, const struct sim_boot *bb,
		     const struct memblock_type *a, const struct memblock_type *b, FILE *out)
{
	const struct memblock_region **gone = calloc(a->cnt + 1, sizeof(*gone));
	const struct memblock_region **new = calloc(b->cnt + 1, sizeof(*new));
	const struct memblock_region *ra = mb_type_regions(&ba->mb, a);
	const struct memblock_region *rb = mb_type_regions(&bb->mb, b);
	size_t ng, nn;
	int changes = 0;

	if (!gone || !new) {
		free(gone);
		free(new);
		return 0;
	}
	ng = only_in(ra, a->cnt, rb, b->cnt, gone);
	nn = only_in(rb, b->cnt, ra, a->cnt, new);
	for (size_t i = 0; i < ng; i++) {
		for (size_t j = 0; j < nn; j++) {
			if (!new[j] || new[j]->size != gone[i]->size)
				continue;
			fprintf(out, "~ %-8s moved   ", a->name);
			print_range(out, ba, gone[i]);
			fprintf(out, " -> ");
			print_range(out, bb, new[j]);
			fputc('\n', out);
			gone[i] = new[j] = NULL;
			changes++;
			break;
		}
	}
	for (size_t i = 0; i < ng; i++) {
		if (!gone[i])
			continue;
		fprintf(out, "- %-8s removed ", a->name);
		print_range(out, ba, gone[i]);
		fputc('\n', out);
		changes++;
	}
	for (size_t j = 0; j < nn; j++) {
		if (!new[j])
			continue;
		fprintf(out, "+ %-8s added   ", b->name);
		print_range(out, bb, new[j]);
		fputc('\n', out);
		changes++;
	}
	free(gone);
	free(new);
	return changes;
}

/* Where the stats differences go: text lines, or members of a JSON array. */
struct stats_out {
	FILE *f;
	bool json;
	bool first; /* no member written yet */
};

static void json_sep(struct stats_out *o)
{
	if (!o->first)
		fputc(',', o->f);
	o->first = false;
}

/* @unit "K": kibibytes, shown in JSON as a byte size "0x..."; "": a count. */
static int diff_value(struct stats_out *o, const char *what, unsigned long long a,
		      unsigned long long b, const char *unit)
{
	if (a == b)
		return 0;
	if (o->json) {
		json_sep(o);
		fprintf(o->f, "{\"what\":");
		mb_json_string(o->f, what);
		if (*unit)
			fprintf(o->f, ",\"a\":\"0x%llx\",\"b\":\"0x%llx\"}", a << 10, b << 10);
		else
			fprintf(o->f, ",\"a\":\"0x%llx\",\"b\":\"0x%llx\"}", a, b);
		return 1;
	}
	fprintf(o->f, "  %-28s %llu%s -> %llu%s (%+lld%s)\n", what, a, unit, b, unit,
		(long long)(b - a), unit);
	return 1;
}

static bool has_failure(const struct sim_stats *s, const struct sim_failure *f)
{
	for (int i = 0; i < s->nr_failures; i++)
		if (!strcmp(s->failures[i].message, f->message))
			return true;
	return false;
}

static int diff_failures(struct stats_out *o, const struct sim_stats *a, const struct sim_stats *b)
{
	int changes = 0;

	for (int side = 0; side < 2; side++) {
		const struct sim_stats *x = side ? b : a, *y = side ? a : b;

		for (int i = 0; i < x->nr_failures; i++) {
			if (has_failure(y, &x->failures[i]))
				continue;
			changes++;
			if (!o->json) {
				fprintf(o->f, "  failed only in %c: %s\n", side ? 'B' : 'A',
					x->failures[i].message);
				continue;
			}
			json_sep(o);
			fprintf(o->f, "{\"what\":\"failed only in %c\",\"message\":",
				side ? 'B' : 'A');
			mb_json_string(o->f, x->failures[i].message);
			fputc('}', o->f);
		}
	}
	return changes;
}

static int diff_stats(struct stats_out *o, const struct sim_boot *ba, const struct sim_boot *bb)
{
	const struct sim_stats *a = &ba->stats, *b = &bb->stats;
	int changes = 0, nodes = a->nr_nodes > b->nr_nodes ? a->nr_nodes : b->nr_nodes;
	char name[48], s1[24], s2[24];

	changes += diff_value(o, "memory size", a->memory_size >> 10, b->memory_size >> 10, "K");
	changes += diff_value(o, "reserved size", a->reserved_size >> 10, b->reserved_size >> 10,
			      "K");
	changes += diff_value(o, "free (handed over)", a->managed_pages * 4ull,
			      b->managed_pages * 4ull, "K");
	for (int n = 0; n < nodes && n < SIM_MAX_NODES; n++) {
		snprintf(name, sizeof(name), "free on node %d", n);
		changes += diff_value(o, name, a->node_managed[n] * 4ull, b->node_managed[n] * 4ull,
				      "K");
	}
	if (!o->json && (a->largest_free_base != b->largest_free_base ||
			 a->largest_free_size != b->largest_free_size)) {
		fprintf(o->f, "  %-28s %s +%lluK -> ", "largest free range",
			simi_pa(ba, a->largest_free_base, s1),
			(unsigned long long)(a->largest_free_size >> 10));
		fprintf(o->f, "%s +%lluK\n", simi_pa(bb, b->largest_free_base, s2),
			(unsigned long long)(b->largest_free_size >> 10));
		changes++;
	}
	changes += diff_value(o, "memtest bad bytes", a->memtest_bad_bytes, b->memtest_bad_bytes,
			      "");
	return changes + diff_failures(o, a, b);
}

int sim_diff(const struct sim_boot *a, const struct sim_boot *b, const char *label_a,
	     const char *label_b, FILE *out)
{
	struct stats_out o = {out, false, true};
	int changes = 0;

	if (!a || !b || !out)
		return 0;
	fprintf(out, "--- A: %s\n+++ B: %s\n", label_a ? label_a : "", label_b ? label_b : "");
	changes += diff_type(a, b, &a->mb.memory, &b->mb.memory, out);
	changes += diff_type(a, b, &a->mb.reserved, &b->mb.reserved, out);
	changes += diff_stats(&o, a, b);
	if (!changes)
		fprintf(out, "  no difference\n");
	return changes;
}

int sim_diff_stats(const struct sim_boot *a, const struct sim_boot *b, FILE *out, bool json)
{
	struct stats_out o = {out, json, true};
	int changes;

	if (!a || !b || !out)
		return 0;
	if (json)
		fputc('[', out);
	changes = diff_stats(&o, a, b);
	if (json)
		fputc(']', out);
	return changes;
}
