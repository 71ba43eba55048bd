// SPDX-License-Identifier: MIT
/*
 * analyze.c - who reserved what. The replay reports every reservation
 * with its owner (the request's caller, offsets stripped) and every free;
 * the ledger keeps the surviving pieces. The report groups them by
 * caller, node, flag and size class; two ledgers make a diff.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "replay_internal.h"

#define SYM_LEN 64

struct piece {
	uint64_t base, end; /* [base, end) */
	unsigned int sym;
	unsigned int line;
};

struct failure {
	unsigned int line;
	uint64_t size, align;
	int err;
	char caller[SYM_LEN];
	char reason[160];
};

struct mbt_analysis {
	struct piece *pieces;
	size_t nr, cap;
	char (*syms)[SYM_LEN];
	size_t nr_syms, cap_syms;
	struct failure *failures;
	size_t nr_failures, cap_failures;
	bool oom;
};

struct mbt_analysis *mbt_analysis_new(void)
{
	return calloc(1, sizeof(struct mbt_analysis));
}

void mbt_analysis_free(struct mbt_analysis *an)
{
	if (!an)
		return;
	free(an->pieces);
	free(an->syms);
	free(an->failures);
	free(an);
}

void mbt_an_reset(struct mbt_analysis *an)
{
	an->nr = 0;
	an->nr_failures = 0;
}

static unsigned int intern(struct mbt_analysis *an, const char *caller)
{
	char sym[SYM_LEN];

	caller_symbol(caller, sym, sizeof(sym));
	for (size_t i = 0; i < an->nr_syms; i++)
		if (!strcmp(an->syms[i], sym))
			return (unsigned int)i;
	if (!mbt_grow((void **)&an->syms, &an->cap_syms, an->nr_syms + 1, sizeof(*an->syms))) {
		an->oom = true;
		return 0;
	}
	memcpy(an->syms[an->nr_syms], sym, SYM_LEN);
	return (unsigned int)an->nr_syms++;
}

void mbt_an_free(struct mbt_analysis *an, uint64_t base, uint64_t size)
{
	uint64_t end = base + size < base ? UINT64_MAX : base + size;

	for (size_t i = 0; i < an->nr; i++) {
		struct piece *p = &an->pieces[i];

		if (p->end <= base || p->base >= end)
			continue;
		if (p->base < base && p->end > end) {
			struct piece tail = *p;

			if (!mbt_grow((void **)&an->pieces, &an->cap, an->nr + 1, sizeof(*p))) {
				an->oom = true;
				return;
			}
			p = &an->pieces[i];
			tail.base = end;
			p->end = base;
			an->pieces[an->nr++] = tail;
		} else if (p->base < base) {
			p->end = base;
		} else if (p->end > end) {
			p->base = end;
		} else {
			an->pieces[i--] = an->pieces[--an->nr];
		}
	}
}

void mbt_an_reserve(struct mbt_analysis *an, uint64_t base, uint64_t size, const char *caller,
		    unsigned int line)
{
	struct piece *p;

	if (!size)
		return;
	mbt_an_free(an, base, size);
	if (!mbt_grow((void **)&an->pieces, &an->cap, an->nr + 1, sizeof(*p))) {
		an->oom = true;
		return;
	}
	p = &an->pieces[an->nr++];
	p->base = base;
	p->end = base + size < base ? UINT64_MAX : base + size;
	p->sym = intern(an, caller);
	p->line = line;
}

void mbt_an_failure(struct mbt_analysis *an, const struct mbt_record *rec, int err,
		    const char *reason)
{
	struct failure *f;

	if (!mbt_grow((void **)&an->failures, &an->cap_failures, an->nr_failures + 1, sizeof(*f))) {
		an->oom = true;
		return;
	}
	f = &an->failures[an->nr_failures++];
	memset(f, 0, sizeof(*f));
	f->line = rec->line;
	f->size = rec->size;
	f->align = rec->align;
	f->err = err;
	caller_symbol(rec->caller, f->caller, sizeof(f->caller));
	snprintf(f->reason, sizeof(f->reason), "%s",
		 reason ? reason : "no request line in the log");
}

/* ---- aggregation ---- */

struct bucket {
	long long key; /* sym index, nid, flags or class */
	uint64_t bytes;
	unsigned long count;
};

struct buckets {
	struct bucket b[256];
	unsigned int n;
};

static void bucket_add(struct buckets *bs, long long key, uint64_t bytes)
{
	for (unsigned int i = 0; i < bs->n; i++)
		if (bs->b[i].key == key) {
			bs->b[i].bytes += bytes;
			bs->b[i].count++;
			return;
		}
	if (bs->n == 256)
		return;
	bs->b[bs->n++] = (struct bucket){key, bytes, 1};
}

static int by_bytes_desc(const void *a, const void *b)
{
	const struct bucket *x = a, *y = b;

	if (x->bytes != y->bytes)
		return x->bytes < y->bytes ? 1 : -1;
	return x->key < y->key ? -1 : x->key > y->key;
}

static int by_key(const void *a, const void *b)
{
	const struct bucket *x = a, *y = b;

	return x->key < y->key ? -1 : x->key > y->key;
}

static const char *const size_classes[] = {"< 4 KiB", "4 KiB - 64 KiB", "64 KiB - 1 MiB",
					   "1 MiB - 16 MiB", ">= 16 MiB"};

static int size_class(uint64_t size)
{
	if (size < 4096)
		return 0;
	if (size < 65536)
		return 1;
	if (size < (1u << 20))
		return 2;
	if (size < (16u << 20))
		return 3;
	return 4;
}

#define NODE_OUTSIDE (-1000)

static bool node_valid(const struct mbt_replay *r, int nid)
{
	return nid >= 0 && nid < r->cfg.max_numnodes;
}

/* Reserved bytes per node of the memory they lie in. */
static void reserved_by_node(const struct mbt_replay *r, struct buckets *bs)
{
	const struct memblock_type *mem = &r->mb.memory, *res = &r->mb.reserved;

	for (unsigned long i = 0; i < res->cnt; i++) {
		uint64_t base = res->regions[i].base, end = base + res->regions[i].size;
		uint64_t inside = 0;

		for (unsigned long j = 0; j < mem->cnt; j++) {
			uint64_t mb = mem->regions[j].base, me = mb + mem->regions[j].size;
			uint64_t s = base > mb ? base : mb, e = end < me ? end : me;

			if (s >= e)
				continue;
			inside += e - s;
			bucket_add(bs,
				   node_valid(r, mem->regions[j].nid) ? mem->regions[j].nid : -1,
				   e - s);
		}
		if (inside < end - base)
			bucket_add(bs, NODE_OUTSIDE, end - base - inside);
	}
	qsort(bs->b, bs->n, sizeof(bs->b[0]), by_key);
}

static void free_by_node(const struct mbt_replay *r, struct buckets *bs, uint64_t *total,
			 unsigned long *count, uint64_t *largest_base, uint64_t *largest)
{
	mb_phys_addr_t start, end;
	uint64_t idx;
	int nid;

	*total = *largest = *largest_base = 0;
	*count = 0;
	mb_for_each_free_mem_range(&r->mb, idx, MB_NUMA_NO_NODE, MB_FLAG_NONE, &start, &end, &nid)
	{
		bucket_add(bs, node_valid(r, nid) ? nid : -1, end - start);
		*total += end - start;
		(*count)++;
		if (end - start > *largest) {
			*largest = end - start;
			*largest_base = start;
		}
	}
	qsort(bs->b, bs->n, sizeof(bs->b[0]), by_key);
}

static void human(char *buf, size_t len, uint64_t bytes)
{
	if (bytes >= (1ull << 30))
		snprintf(buf, len, "%.1f GiB", (double)bytes / (1ull << 30));
	else if (bytes >= (1ull << 20))
		snprintf(buf, len, "%.1f MiB", (double)bytes / (1ull << 20));
	else if (bytes >= 1024)
		snprintf(buf, len, "%.1f KiB", (double)bytes / 1024);
	else
		snprintf(buf, len, "%llu B", (unsigned long long)bytes);
}

static void node_name(char *buf, size_t len, long long key)
{
	if (key == NODE_OUTSIDE)
		snprintf(buf, len, "outside memory");
	else if (key < 0)
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "%lld", key);
}

struct totals {
	struct buckets callers, nodes, flags, classes, free_nodes;
	uint64_t free_total, largest, largest_base;
	unsigned long free_count;
};

static void compute(const struct mbt_analysis *an, const struct mbt_replay *r, struct totals *t)
{
	const struct memblock_type *res = &r->mb.reserved;

	memset(t, 0, sizeof(*t));
	for (size_t i = 0; i < an->nr; i++) {
		bucket_add(&t->callers, an->pieces[i].sym, an->pieces[i].end - an->pieces[i].base);
		bucket_add(&t->classes, size_class(an->pieces[i].end - an->pieces[i].base),
			   an->pieces[i].end - an->pieces[i].base);
	}
	qsort(t->callers.b, t->callers.n, sizeof(t->callers.b[0]), by_bytes_desc);
	qsort(t->classes.b, t->classes.n, sizeof(t->classes.b[0]), by_key);
	for (unsigned long i = 0; i < res->cnt; i++)
		bucket_add(&t->flags, res->regions[i].flags, res->regions[i].size);
	qsort(t->flags.b, t->flags.n, sizeof(t->flags.b[0]), by_key);
	reserved_by_node(r, &t->nodes);
	free_by_node(r, &t->free_nodes, &t->free_total, &t->free_count, &t->largest_base,
		     &t->largest);
}

/*
 * The label of one bucket in the text and JSON tables; @what says which
 * table: 0 caller, 1 node, 2 flags, 3 size class.
 */
static void bucket_name(char *name, size_t len, const struct mbt_analysis *an,
			const struct bucket *b, int what)
{
	if (what == 0)
		snprintf(name, len, "%s", an->syms[b->key]);
	else if (what == 1)
		node_name(name, len, b->key);
	else if (what == 2)
		snprintf(name, len, "0x%llx", (unsigned long long)b->key);
	else
		snprintf(name, len, "%s", size_classes[b->key]);
}

static void text_table(FILE *out, const char *title, const struct buckets *bs,
		       const struct mbt_analysis *an, int what)
{
	char h[32], name[80], hex[24];

	fprintf(out, "\n%s\n", title);
	for (unsigned int i = 0; i < bs->n; i++) {
		const struct bucket *b = &bs->b[i];

		bucket_name(name, sizeof(name), an, b, what);
		human(h, sizeof(h), b->bytes);
		snprintf(hex, sizeof(hex), "0x%llx", (unsigned long long)b->bytes);
		fprintf(out, "  %-40s %18s %10s %6lu\n", name, hex, h, b->count);
	}
}

static void text_analysis(const struct mbt_analysis *an, const struct mbt_replay *r, FILE *out,
			  const struct totals *t)
{
	char h1[32], h2[32], h3[32];

	human(h1, sizeof(h1), r->mb.memory.total_size);
	human(h2, sizeof(h2), r->mb.reserved.total_size);
	human(h3, sizeof(h3), t->free_total);
	fprintf(out, "memory    0x%llx (%s) in %lu regions\n",
		(unsigned long long)r->mb.memory.total_size, h1, r->mb.memory.cnt);
	fprintf(out, "reserved  0x%llx (%s) in %lu regions\n",
		(unsigned long long)r->mb.reserved.total_size, h2, r->mb.reserved.cnt);
	human(h1, sizeof(h1), t->largest);
	fprintf(out, "free      0x%llx (%s) in %lu ranges, largest 0x%llx (%s) at 0x%llx\n",
		(unsigned long long)t->free_total, h3, t->free_count,
		(unsigned long long)t->largest, h1, (unsigned long long)t->largest_base);
	fprintf(out, "\n%-42s %18s %10s %6s", "", "bytes", "", "count");
	text_table(out, "reserved by caller", &t->callers, an, 0);
	text_table(out, "reserved by node", &t->nodes, an, 1);
	text_table(out, "reserved by flags", &t->flags, an, 2);
	text_table(out, "reserved by size class", &t->classes, an, 3);
	text_table(out, "free by node", &t->free_nodes, an, 1);
	fprintf(out, "\nearly allocation failures: %zu\n", an->nr_failures);
	for (size_t i = 0; i < an->nr_failures; i++) {
		const struct failure *f = &an->failures[i];

		fprintf(out, "  line %u: %s 0x%llx bytes align 0x%llx: %s\n", f->line, f->caller,
			(unsigned long long)f->size, (unsigned long long)f->align, f->reason);
	}
}

static void json_buckets(FILE *out, const char *key, const struct buckets *bs,
			 const struct mbt_analysis *an, int what)
{
	char name[80];

	fprintf(out, ",\"%s\":[", key);
	for (unsigned int i = 0; i < bs->n; i++) {
		const struct bucket *b = &bs->b[i];

		bucket_name(name, sizeof(name), an, b, what);
		fprintf(out, "%s{\"name\":", i ? "," : "");
		json_string(out, name);
		fprintf(out, ",\"bytes\":%llu,\"count\":%lu}", (unsigned long long)b->bytes,
			b->count);
	}
	fprintf(out, "]");
}

static void json_analysis(const struct mbt_analysis *an, const struct mbt_replay *r, FILE *out,
			  const struct totals *t)
{
	fprintf(out,
		"{\"memory\":%llu,\"memory_regions\":%lu,\"reserved\":%llu,"
		"\"reserved_regions\":%lu,\"free\":%llu,\"free_ranges\":%lu,"
		"\"largest_free\":%llu,\"largest_free_base\":\"0x%llx\"",
		(unsigned long long)r->mb.memory.total_size, r->mb.memory.cnt,
		(unsigned long long)r->mb.reserved.total_size, r->mb.reserved.cnt,
		(unsigned long long)t->free_total, t->free_count, (unsigned long long)t->largest,
		(unsigned long long)t->largest_base);
	json_buckets(out, "by_caller", &t->callers, an, 0);
	json_buckets(out, "by_node", &t->nodes, an, 1);
	json_buckets(out, "by_flags", &t->flags, an, 2);
	json_buckets(out, "by_size_class", &t->classes, an, 3);
	json_buckets(out, "free_by_node", &t->free_nodes, an, 1);
	fprintf(out, ",\"failures\":[");
	for (size_t i = 0; i < an->nr_failures; i++) {
		const struct failure *f = &an->failures[i];

		fprintf(out, "%s{\"line\":%u,\"caller\":", i ? "," : "", f->line);
		json_string(out, f->caller);
		fprintf(out,
			",\"size\":%llu,\"align\":%llu,\"reason\":", (unsigned long long)f->size,
			(unsigned long long)f->align);
		json_string(out, f->reason);
		fprintf(out, "}");
	}
	fprintf(out, "]}\n");
}

void mbt_analysis_report(const struct mbt_analysis *an, const struct mbt_replay *r, FILE *out,
			 bool json)
{
	struct totals *t = calloc(1, sizeof(*t));

	if (!t)
		return;
	compute(an, r, t);
	if (json)
		json_analysis(an, r, out, t);
	else
		text_analysis(an, r, out, t);
	free(t);
}

/* ---- diff ---- */

struct keyed {
	const char *sym;
	unsigned int ordinal;
	const struct piece *p;
};

static size_t key_pieces(const struct mbt_analysis *an, struct keyed *k)
{
	unsigned int *seen = calloc(an->nr_syms + 1, sizeof(*seen));

	if (!seen)
		return 0;
	for (size_t i = 0; i < an->nr; i++) {
		k[i].sym = an->syms[an->pieces[i].sym];
		k[i].ordinal = seen[an->pieces[i].sym]++;
		k[i].p = &an->pieces[i];
	}
	free(seen);
	return an->nr;
}

static const struct keyed *find_key(const struct keyed *k, size_t n, const struct keyed *want)
{
	for (size_t i = 0; i < n; i++)
		if (k[i].ordinal == want->ordinal && !strcmp(k[i].sym, want->sym))
			return &k[i];
	return NULL;
}

static void diff_piece(FILE *out, bool json, bool *first, const char *what, const struct keyed *x,
		       const struct keyed *y)
{
	const struct keyed *k = x ? x : y;

	if (json) {
		fprintf(out, "%s{\"change\":\"%s\",\"caller\":", *first ? "" : ",", what);
		json_string(out, k->sym);
		if (x)
			fprintf(out, ",\"a\":[\"0x%llx\",%llu]", (unsigned long long)x->p->base,
				(unsigned long long)(x->p->end - x->p->base));
		if (y)
			fprintf(out, ",\"b\":[\"0x%llx\",%llu]", (unsigned long long)y->p->base,
				(unsigned long long)(y->p->end - y->p->base));
		fprintf(out, "}");
	} else {
		fprintf(out, "  %-8s %-36s", what, k->sym);
		if (x)
			fprintf(out, " A [0x%llx-0x%llx]", (unsigned long long)x->p->base,
				(unsigned long long)(x->p->end - 1));
		if (y)
			fprintf(out, " B [0x%llx-0x%llx]", (unsigned long long)y->p->base,
				(unsigned long long)(y->p->end - 1));
		fprintf(out, "\n");
	}
	*first = false;
}

static unsigned long diff_pieces(FILE *out, bool json, const struct keyed *ka, size_t na,
				 const struct keyed *kb, size_t nb)
{
	unsigned long changes = 0;
	bool first = true;

	if (json)
		fprintf(out, ",\"reservations\":[");
	else
		fprintf(out,
			"reservations added / removed / moved (matched by caller and order):\n");
	for (size_t i = 0; i < na; i++) {
		const struct keyed *y = find_key(kb, nb, &ka[i]);

		if (!y) {
			diff_piece(out, json, &first, "removed", &ka[i], NULL);
			changes++;
		} else if (y->p->base != ka[i].p->base ||
			   y->p->end - y->p->base != ka[i].p->end - ka[i].p->base) {
			diff_piece(out, json, &first,
				   y->p->end - y->p->base != ka[i].p->end - ka[i].p->base
				       ? "resized"
				       : "moved",
				   &ka[i], y);
			changes++;
		}
	}
	for (size_t i = 0; i < nb; i++)
		if (!find_key(ka, na, &kb[i])) {
			diff_piece(out, json, &first, "added", NULL, &kb[i]);
			changes++;
		}
	if (json)
		fprintf(out, "]");
	else if (!changes)
		fprintf(out, "  (none)\n");
	return changes;
}

static uint64_t bytes_of(const struct totals *t, const struct mbt_analysis *an, const char *sym)
{
	for (unsigned int i = 0; i < t->callers.n; i++)
		if (!strcmp(an->syms[t->callers.b[i].key], sym))
			return t->callers.b[i].bytes;
	return 0;
}

static void diff_callers(FILE *out, bool json, const struct mbt_analysis *a,
			 const struct totals *ta, const struct mbt_analysis *b,
			 const struct totals *tb)
{
	bool first = true, changed = false;

	fprintf(out, json ? ",\"callers\":[" : "\nper-caller reserved bytes (A -> B, delta):\n");
	for (int side = 0; side < 2; side++) {
		const struct mbt_analysis *an = side ? b : a;
		const struct totals *t = side ? tb : ta;

		for (unsigned int i = 0; i < t->callers.n; i++) {
			const char *sym = an->syms[t->callers.b[i].key];
			uint64_t x = bytes_of(ta, a, sym), y = bytes_of(tb, b, sym);

			if (side && x)
				continue; /* already listed from A */
			if (json) {
				fprintf(out, "%s{\"caller\":", first ? "" : ",");
				json_string(out, sym);
				fprintf(out, ",\"a\":%llu,\"b\":%llu,\"delta\":%lld}",
					(unsigned long long)x, (unsigned long long)y,
					(long long)(y - x));
			} else if (x != y) {
				fprintf(out, "  %-40s 0x%llx -> 0x%llx (%+lld)\n", sym,
					(unsigned long long)x, (unsigned long long)y,
					(long long)(y - x));
				changed = true;
			}
			first = false;
		}
	}
	if (json)
		fprintf(out, "]");
	else if (!changed)
		fprintf(out, "  (none)\n");
}

static void diff_free(FILE *out, bool json, const struct totals *ta, const struct totals *tb)
{
	char name[32];
	bool first = true;

	fprintf(out, json ? ",\"free_by_node\":[" : "\nfree memory per node (A -> B):\n");
	for (int side = 0; side < 2; side++) {
		const struct totals *t = side ? tb : ta;

		for (unsigned int i = 0; i < t->free_nodes.n; i++) {
			long long key = t->free_nodes.b[i].key;
			uint64_t x = 0, y = 0;
			bool in_a = false;

			for (unsigned int j = 0; j < ta->free_nodes.n; j++)
				if (ta->free_nodes.b[j].key == key) {
					x = ta->free_nodes.b[j].bytes;
					in_a = true;
				}
			for (unsigned int j = 0; j < tb->free_nodes.n; j++)
				if (tb->free_nodes.b[j].key == key)
					y = tb->free_nodes.b[j].bytes;
			if (side && in_a)
				continue;
			node_name(name, sizeof(name), key);
			if (json)
				fprintf(out, "%s{\"node\":\"%s\",\"a\":%llu,\"b\":%llu}",
					first ? "" : ",", name, (unsigned long long)x,
					(unsigned long long)y);
			else
				fprintf(out, "  node %-6s 0x%llx -> 0x%llx (%+lld)\n", name,
					(unsigned long long)x, (unsigned long long)y,
					(long long)(y - x));
			first = false;
		}
	}
	if (json)
		fprintf(out, "]");
}

int mbt_diff_report(const struct mbt_analysis *a, const struct mbt_replay *ra,
		    const struct mbt_analysis *b, const struct mbt_replay *rb, FILE *out, bool json)
{
	struct totals *ta = calloc(1, sizeof(*ta)), *tb = calloc(1, sizeof(*tb));
	struct keyed *ka = calloc(a->nr + 1, sizeof(*ka)), *kb = calloc(b->nr + 1, sizeof(*kb));
	unsigned long changes = 0;
	size_t na, nb;

	if (!ta || !tb || !ka || !kb)
		goto out;
	compute(a, ra, ta);
	compute(b, rb, tb);
	na = key_pieces(a, ka);
	nb = key_pieces(b, kb);
	if (json)
		fprintf(out, "{\"reserved_a\":%llu,\"reserved_b\":%llu",
			(unsigned long long)ra->mb.reserved.total_size,
			(unsigned long long)rb->mb.reserved.total_size);
	else
		fprintf(out, "reserved: A 0x%llx, B 0x%llx (%+lld bytes)\n\n",
			(unsigned long long)ra->mb.reserved.total_size,
			(unsigned long long)rb->mb.reserved.total_size,
			(long long)(rb->mb.reserved.total_size - ra->mb.reserved.total_size));
	changes = diff_pieces(out, json, ka, na, kb, nb);
	diff_callers(out, json, a, ta, b, tb);
	diff_free(out, json, ta, tb);
	if (json)
		fprintf(out, ",\"changes\":%lu}\n", changes);
out:
	free(ta);
	free(tb);
	free(ka);
	free(kb);
	return changes ? 1 : 0;
}
