// SPDX-License-Identifier: MIT
/*
 * analyze.c - who reserved what. The replay reports every reservation
 * with its owner (the request's caller, offsets stripped) and every free;
 * the ledger keeps the surviving pieces. The report groups them by
 * caller, node, flag and size class; two ledgers make a diff.
 */
#define _POSIX_C_SOURCE 200809L /* open_memstream */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "trace_internal.h"

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
	struct piece *again; /* reserved again over an earlier owner's bytes */
	size_t nr_again, cap_again;
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
	free(an->again);
	free(an);
}

void mbti_an_reset(struct mbt_analysis *an)
{
	an->nr = 0;
	an->nr_failures = 0;
	an->nr_again = 0;
}

static unsigned int intern(struct mbt_analysis *an, const char *caller)
{
	char sym[SYM_LEN];

	mbti_caller_symbol(caller, sym, sizeof(sym));
	for (size_t i = 0; i < an->nr_syms; i++)
		if (!strcmp(an->syms[i], sym))
			return (unsigned int)i;
	if (!mbti_grow((void **)&an->syms, &an->cap_syms, an->nr_syms + 1, sizeof(*an->syms))) {
		an->oom = true;
		return 0;
	}
	memcpy(an->syms[an->nr_syms], sym, SYM_LEN);
	return (unsigned int)an->nr_syms++;
}

void mbti_an_free(struct mbt_analysis *an, uint64_t base, uint64_t size)
{
	uint64_t end = base + size < base ? UINT64_MAX : base + size;

	for (size_t i = 0; i < an->nr; i++) {
		struct piece *p = &an->pieces[i];

		if (p->end <= base || p->base >= end)
			continue;
		if (p->base < base && p->end > end) {
			struct piece tail = *p;

			if (!mbti_grow((void **)&an->pieces, &an->cap, an->nr + 1, sizeof(*p))) {
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

/* Give [base, end) to @sym, whoever owned it before. */
static void take(struct mbt_analysis *an, uint64_t base, uint64_t end, unsigned int sym,
		 unsigned int line)
{
	struct piece *p;

	mbti_an_free(an, base, end - base);
	if (!mbti_grow((void **)&an->pieces, &an->cap, an->nr + 1, sizeof(*p))) {
		an->oom = true;
		return;
	}
	p = &an->pieces[an->nr++];
	*p = (struct piece){base, end, sym, line};
}

static void note_again(struct mbt_analysis *an, uint64_t base, uint64_t end, unsigned int sym,
		       unsigned int line)
{
	if (!mbti_grow((void **)&an->again, &an->cap_again, an->nr_again + 1, sizeof(*an->again))) {
		an->oom = true;
		return;
	}
	an->again[an->nr_again++] = (struct piece){base, end, sym, line};
}

static bool generic_owner(const char *sym);

/*
 * A reservation belongs to the first line that explains it: what an
 * earlier line already owns stays that line's (the overlap is noted
 * apart), unless that owner only says how it was reserved (a generic
 * allocator, "(before the log)") and the new line says what for.
 */
void mbti_an_reserve(struct mbt_analysis *an, uint64_t base, uint64_t size, const char *caller,
		    unsigned int line)
{
	uint64_t end = base + size < base ? UINT64_MAX : base + size, pos = base;
	unsigned int sym;
	bool specific;

	if (!size)
		return;
	sym = intern(an, caller);
	specific = !generic_owner(an->syms[sym]);
	while (pos < end && !an->oom) {
		uint64_t next = end, stop = end;

		for (size_t i = 0; i < an->nr; i++) {
			const struct piece *p = &an->pieces[i];

			if (p->end <= pos || p->base >= end)
				continue;
			if (specific && generic_owner(an->syms[p->sym]))
				continue; /* taken over below */
			if ((p->base > pos ? p->base : pos) < next) {
				next = p->base > pos ? p->base : pos;
				stop = p->end < end ? p->end : end;
			}
		}
		if (next > pos)
			take(an, pos, next, sym, line);
		if (next < end)
			note_again(an, next, stop, sym, line);
		pos = stop;
	}
}

/* A label that says how memory was reserved, not what for. */
static bool generic_owner(const char *sym)
{
	return !*sym || sym[0] == '(' || !strncmp(sym, "memblock_", 9) ||
	       !strncmp(sym, "__memblock_", 11) || !strcmp(sym, "0x0") ||
	       !strncmp(sym, "memblock_alloc", 14);
}

void mbti_an_relabel(struct mbt_analysis *an, uint64_t base, uint64_t end, const char *label,
		    unsigned int line)
{
	uint64_t cut[2 * 16];
	size_t n = 0;

	for (size_t i = 0; i < an->nr && n < 16; i++) {
		const struct piece *p = &an->pieces[i];
		uint64_t s = p->base > base ? p->base : base, e = p->end < end ? p->end : end;

		if (s >= e || !generic_owner(an->syms[p->sym]))
			continue;
		cut[2 * n] = s;
		cut[2 * n + 1] = e;
		n++;
	}
	for (size_t i = 0; i < n; i++)
		take(an, cut[2 * i], cut[2 * i + 1], intern(an, label), line);
}

/* Drop every part of the ledger that lies outside @reserved. */
static void clip_to(struct mbt_analysis *an, const struct memblock *mb)
{
	const struct memblock_type *reserved = &mb->reserved;
	const struct memblock_region *rgn = mb_type_regions(mb, reserved);
	uint64_t pos = 0;

	for (unsigned long j = 0; j < reserved->cnt && !an->oom; j++) {
		const struct memblock_region *r = &rgn[j];

		if (r->base > pos)
			mbti_an_free(an, pos, r->base - pos);
		pos = r->base + r->size;
	}
	if (pos && pos < UINT64_MAX)
		mbti_an_free(an, pos, UINT64_MAX - pos);
	else if (!reserved->cnt)
		mbti_an_free(an, 0, UINT64_MAX);
}

void mbti_an_reconcile(struct mbt_analysis *an, const struct memblock *mb, const char *label,
		      unsigned int line)
{
	const struct memblock_type *reserved = &mb->reserved;
	const struct memblock_region *rgn;

	clip_to(an, mb);
	rgn = mb_type_regions(mb, reserved);
	for (unsigned long j = 0; j < reserved->cnt && !an->oom; j++) {
		uint64_t pos = rgn[j].base;
		uint64_t end = pos + rgn[j].size;

		while (pos < end) {
			uint64_t next = end, stop = end;

			/* The lowest piece that overlaps [pos, end). */
			for (size_t i = 0; i < an->nr; i++) {
				const struct piece *p = &an->pieces[i];

				if (p->end <= pos || p->base >= end)
					continue;
				if ((p->base > pos ? p->base : pos) < next) {
					next = p->base > pos ? p->base : pos;
					stop = p->end;
				}
			}
			if (next > pos)
				mbti_an_reserve(an, pos, next - pos, label, line);
			pos = stop > end ? end : stop;
			if (next == end)
				break;
		}
	}
}

void mbti_an_failure(struct mbt_analysis *an, const struct mbt_record *rec, int err,
		    const char *reason)
{
	struct failure *f;

	if (!mbti_grow((void **)&an->failures, &an->cap_failures, an->nr_failures + 1, sizeof(*f))) {
		an->oom = true;
		return;
	}
	f = &an->failures[an->nr_failures++];
	memset(f, 0, sizeof(*f));
	f->line = rec->line;
	f->size = rec->size;
	f->align = rec->align;
	f->err = err;
	mbti_caller_symbol(rec->caller, f->caller, sizeof(f->caller));
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

static int by_line(const void *a, const void *b)
{
	const struct piece *x = a, *y = b;

	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	return x->base < y->base ? -1 : x->base > y->base;
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
	const struct memblock_region *mrg = mb_type_regions(&r->mb, mem);
	const struct memblock_region *rrg = mb_type_regions(&r->mb, res);

	for (unsigned long i = 0; i < res->cnt; i++) {
		uint64_t base = rrg[i].base, end = base + rrg[i].size;
		uint64_t inside = 0;

		for (unsigned long j = 0; j < mem->cnt; j++) {
			uint64_t mb = mrg[j].base, me = mb + mrg[j].size;
			uint64_t s = base > mb ? base : mb, e = end < me ? end : me;

			if (s >= e)
				continue;
			inside += e - s;
			bucket_add(bs, node_valid(r, mrg[j].nid) ? mrg[j].nid : -1, e - s);
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
	struct buckets outside; /* owners of reserved bytes no memory region holds */
	struct buckets again;	/* later lines that reserved bytes already owned */
	uint64_t free_total, largest, largest_base;
	uint64_t in_memory, outside_memory; /* reserved bytes, split */
	unsigned long free_count;
};

/* Bytes of [base, end) that lie in a memory region. */
static uint64_t in_memory(const struct mbt_replay *r, uint64_t base, uint64_t end)
{
	const struct memblock_type *mem = &r->mb.memory;
	const struct memblock_region *mrg = mb_type_regions(&r->mb, mem);
	uint64_t n = 0;

	for (unsigned long j = 0; j < mem->cnt; j++) {
		uint64_t mb = mrg[j].base, me = mb + mrg[j].size;
		uint64_t s = base > mb ? base : mb, e = end < me ? end : me;

		if (s < e)
			n += e - s;
	}
	return n;
}

static void compute(const struct mbt_analysis *an, const struct mbt_replay *r, struct totals *t)
{
	const struct memblock_type *res = &r->mb.reserved;
	const struct memblock_region *rrg = mb_type_regions(&r->mb, res);

	memset(t, 0, sizeof(*t));
	for (size_t i = 0; i < an->nr; i++) {
		const struct piece *p = &an->pieces[i];
		uint64_t inside = in_memory(r, p->base, p->end);

		if (inside)
			bucket_add(&t->callers, p->sym, inside);
		if (inside < p->end - p->base)
			bucket_add(&t->outside, p->sym, p->end - p->base - inside);
		bucket_add(&t->classes, size_class(p->end - p->base), p->end - p->base);
	}
	for (unsigned long i = 0; i < res->cnt; i++) {
		uint64_t b = rrg[i].base, e = b + rrg[i].size;
		uint64_t inside = in_memory(r, b, e);

		t->in_memory += inside;
		t->outside_memory += e - b - inside;
	}
	for (size_t i = 0; i < an->nr_again; i++)
		bucket_add(&t->again, an->again[i].sym, an->again[i].end - an->again[i].base);
	qsort(t->callers.b, t->callers.n, sizeof(t->callers.b[0]), by_bytes_desc);
	qsort(t->outside.b, t->outside.n, sizeof(t->outside.b[0]), by_bytes_desc);
	qsort(t->again.b, t->again.n, sizeof(t->again.b[0]), by_bytes_desc);
	qsort(t->classes.b, t->classes.n, sizeof(t->classes.b[0]), by_key);
	for (unsigned long i = 0; i < res->cnt; i++)
		bucket_add(&t->flags, rrg[i].flags, rrg[i].size);
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

/* Why an owner in parentheses owns anything: nothing in the log names it. */
static const char *owner_reason(const char *sym)
{
	if (!strncmp(sym, "(untraced", 9))
		return "reserved in that dump, but no trace line or kernel line before it "
		       "reserves it (a reservation made without memblock=debug output)";
	if (!strcmp(sym, "(before the log)"))
		return "already reserved in the first dump: made before memblock=debug took "
		       "effect or before the log starts";
	if (!strncmp(sym, "(unknown", 8))
		return "the log starts late: learnt from where the first allocations landed, "
		       "so it spans everything reserved before the log";
	return NULL;
}

static void text_reasons(FILE *out, const struct buckets *bs, const struct mbt_analysis *an)
{
	for (unsigned int i = 0; i < bs->n; i++) {
		const char *sym = an->syms[bs->b[i].key], *why = owner_reason(sym);

		if (why)
			fprintf(out, "  %s: %s\n", sym, why);
	}
}

static void text_analysis(const struct mbt_analysis *an, const struct mbt_replay *r, FILE *out,
			  const struct totals *t)
{
	char h1[32], h2[32], h3[32];

	human(h1, sizeof(h1), r->mb.memory.total_size);
	human(h2, sizeof(h2), t->in_memory);
	human(h3, sizeof(h3), t->free_total);
	fprintf(out, "memory    0x%llx (%s) in %lu regions\n",
		(unsigned long long)r->mb.memory.total_size, h1, r->mb.memory.cnt);
	fprintf(out, "reserved  0x%llx (%s) of that memory, in %lu regions\n",
		(unsigned long long)t->in_memory, h2, r->mb.reserved.cnt);
	if (t->outside_memory) {
		human(h1, sizeof(h1), t->outside_memory);
		fprintf(out, "          plus 0x%llx (%s) reserved outside memory (not counted: "
			"see below)\n", (unsigned long long)t->outside_memory, h1);
	}
	human(h1, sizeof(h1), t->largest);
	fprintf(out, "free      0x%llx (%s) in %lu ranges, largest 0x%llx (%s) at 0x%llx\n",
		(unsigned long long)t->free_total, h3, t->free_count,
		(unsigned long long)t->largest, h1, (unsigned long long)t->largest_base);
	fprintf(out, "\n%-42s %18s %10s %6s", "", "bytes", "", "count");
	text_table(out, "reserved by owner (the trace caller, or the kernel line naming it)",
		   &t->callers, an, 0);
	text_reasons(out, &t->callers, an);
	if (t->outside.n) {
		text_table(out, "reserved outside memory, by owner (no memory region holds it)",
			   &t->outside, an, 0);
		fprintf(out, "  ranges no memory region covers: firmware carve-outs removed from "
			     "memory (no-map), a span learnt across holes between banks, or a bad "
			     "address (e.g. a __pa() underflow)\n");
	}
	if (t->again.n) {
		text_table(out, "reserved again by a later line, by owner (counted once, above)",
			   &t->again, an, 0);
		fprintf(out, "  ranges an earlier line already reserved: the first owner keeps "
			     "them (a kernel image inside a firmware carve-out, a DTB inside the "
			     "kernel's reservation, a range reserved twice)\n");
	}
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
		mb_json_string(out, name);
		fprintf(out, ",\"bytes\":");
		mb_json_hex(out, b->bytes);
		fprintf(out, ",\"count\":%lu", b->count);
		if (what == 0 && owner_reason(name))
			fprintf(out, ",\"why\":\"%s\"", owner_reason(name));
		fputc('}', out);
	}
	fprintf(out, "]");
}

static void json_analysis(const struct mbt_analysis *an, const struct mbt_replay *r, FILE *out,
			  const struct totals *t)
{
	fprintf(out, "{\"memory\":");
	mb_json_hex(out, r->mb.memory.total_size);
	fprintf(out, ",\"memory_regions\":%lu,\"reserved\":", r->mb.memory.cnt);
	mb_json_hex(out, r->mb.reserved.total_size);
	fprintf(out, ",\"reserved_in_memory\":");
	mb_json_hex(out, t->in_memory);
	fprintf(out, ",\"reserved_outside_memory\":");
	mb_json_hex(out, t->outside_memory);
	fprintf(out, ",\"reserved_regions\":%lu,\"free\":", r->mb.reserved.cnt);
	mb_json_hex(out, t->free_total);
	fprintf(out, ",\"free_ranges\":%lu,\"largest_free\":", t->free_count);
	mb_json_hex(out, t->largest);
	fprintf(out, ",\"largest_free_base\":");
	mb_json_hex(out, t->largest_base);
	json_buckets(out, "by_owner", &t->callers, an, 0);
	json_buckets(out, "outside_memory_by_owner", &t->outside, an, 0);
	json_buckets(out, "reserved_again_by_owner", &t->again, an, 0);
	json_buckets(out, "by_node", &t->nodes, an, 1);
	json_buckets(out, "by_flags", &t->flags, an, 2);
	json_buckets(out, "by_size_class", &t->classes, an, 3);
	json_buckets(out, "free_by_node", &t->free_nodes, an, 1);
	fprintf(out, ",\"failures\":[");
	for (size_t i = 0; i < an->nr_failures; i++) {
		const struct failure *f = &an->failures[i];

		fprintf(out, "%s{\"line\":%u,\"caller\":", i ? "," : "", f->line);
		mb_json_string(out, f->caller);
		fprintf(out, ",\"size\":");
		mb_json_hex(out, f->size);
		fprintf(out, ",\"align\":");
		mb_json_hex(out, f->align);
		fprintf(out, ",\"reason\":");
		mb_json_string(out, f->reason);
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

/*
 * Two ledgers are matched by owner and order: the k-th reservation of a
 * caller (or of a kernel line such as "cma: Reserved") in A is the k-th
 * in B. What only one side has was added or removed by the change; what
 * both have at another address moved. Moves that share one address shift
 * are one line: a longer command line, say, moves every later allocation
 * by the same few bytes.
 */

static void json_range(FILE *out, const char *key, uint64_t base, uint64_t size)
{
	fprintf(out, ",\"%s\":{\"base\":", key);
	mb_json_hex(out, base);
	fprintf(out, ",\"size\":");
	mb_json_hex(out, size);
	fputc('}', out);
}

/* A signed byte delta: "0x..." or "-0x...". */
static void json_delta(FILE *out, uint64_t a, uint64_t b)
{
	if (b >= a)
		mb_json_hex(out, b - a);
	else
		fprintf(out, "\"-0x%llx\"", (unsigned long long)(a - b));
}

struct keyed {
	const char *sym;
	unsigned int ordinal;
	const struct piece *p;
};

/* Sorts the ledger by trace line (its order has no other meaning). */
static size_t key_pieces(struct mbt_analysis *an, struct keyed *k)
{
	unsigned int *seen = calloc(an->nr_syms + 1, sizeof(*seen));
	struct piece *sorted = an->pieces;

	if (!seen)
		return 0;
	qsort(sorted, an->nr, sizeof(*sorted), by_line);
	for (size_t i = 0; i < an->nr; i++) {
		k[i].sym = an->syms[sorted[i].sym];
		k[i].ordinal = seen[sorted[i].sym]++;
		k[i].p = &sorted[i];
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

static uint64_t psize(const struct keyed *k)
{
	return k->p->end - k->p->base;
}

struct move_group {
	int64_t delta;
	unsigned long count;
	uint64_t bytes;
	const char *first_sym;
};

struct diff_ctx {
	FILE *out;
	bool json;
	const struct keyed *ka, *kb;
	size_t na, nb;
	struct move_group moves[64];
	unsigned int nr_moves;
	unsigned long changes;
	int64_t resized; /* bytes the resized reservations gained (or lost) */
};

static void text_piece(FILE *out, char sign, const struct keyed *k)
{
	char h[32];

	human(h, sizeof(h), psize(k));
	fprintf(out, "  %c %-10s %-36s [0x%llx-0x%llx]", sign, h, k->sym,
		(unsigned long long)k->p->base, (unsigned long long)(k->p->end - 1));
	if (k->p->line)
		fprintf(out, " (line %u)", k->p->line);
	fputc('\n', out);
}

static void json_piece(FILE *out, bool *first, const struct keyed *k)
{
	fprintf(out, "%s{\"owner\":", *first ? "" : ",");
	mb_json_string(out, k->sym);
	fprintf(out, ",\"line\":%u", k->p->line);
	json_range(out, "range", k->p->base, psize(k));
	fputc('}', out);
	*first = false;
}

/* Reservations only one side has; @sign '+' lists B's, '-' A's. */
static uint64_t diff_one_side(struct diff_ctx *d, char sign)
{
	const struct keyed *k = sign == '+' ? d->kb : d->ka, *other = sign == '+' ? d->ka : d->kb;
	size_t n = sign == '+' ? d->nb : d->na, no = sign == '+' ? d->na : d->nb;
	uint64_t total = 0;
	bool first = true;

	if (d->json)
		fprintf(d->out, ",\"%s\":[", sign == '+' ? "added" : "removed");
	for (size_t i = 0; i < n; i++) {
		if (find_key(other, no, &k[i]))
			continue;
		total += psize(&k[i]);
		d->changes++;
		if (d->json)
			json_piece(d->out, &first, &k[i]);
		else
			text_piece(d->out, sign, &k[i]);
	}
	if (d->json)
		fprintf(d->out, "]");
	return total;
}

static void note_move(struct diff_ctx *d, const struct keyed *x, const struct keyed *y)
{
	int64_t delta = (int64_t)(y->p->base - x->p->base);

	for (unsigned int i = 0; i < d->nr_moves; i++)
		if (d->moves[i].delta == delta) {
			d->moves[i].count++;
			d->moves[i].bytes += psize(y);
			return;
		}
	if (d->nr_moves < 64)
		d->moves[d->nr_moves++] = (struct move_group){delta, 1, psize(y), x->sym};
}

static void print_delta(FILE *out, int64_t delta)
{
	if (delta < 0)
		fprintf(out, "-0x%llx", (unsigned long long)-(uint64_t)delta);
	else
		fprintf(out, "+0x%llx", (unsigned long long)delta);
}

/* Same owner, other size: listed one by one; moves only counted. */
static void diff_resized_moved(struct diff_ctx *d)
{
	bool first = true;

	if (!d->json)
		fprintf(d->out, "\nresized (same owner, another size):\n");
	if (d->json)
		fprintf(d->out, ",\"resized\":[");
	for (size_t i = 0; i < d->na; i++) {
		const struct keyed *y = find_key(d->kb, d->nb, &d->ka[i]);

		if (!y || (y->p->base == d->ka[i].p->base && psize(y) == psize(&d->ka[i])))
			continue;
		d->changes++;
		if (psize(y) == psize(&d->ka[i])) {
			note_move(d, &d->ka[i], y);
			continue;
		}
		d->resized += (int64_t)(psize(y) - psize(&d->ka[i]));
		if (d->json) {
			fprintf(d->out, "%s{\"owner\":", first ? "" : ",");
			mb_json_string(d->out, y->sym);
			json_range(d->out, "a", d->ka[i].p->base, psize(&d->ka[i]));
			json_range(d->out, "b", y->p->base, psize(y));
			fputc('}', d->out);
		} else {
			char h[32];
			uint64_t a = psize(&d->ka[i]), b = psize(y);

			human(h, sizeof(h), b > a ? b - a : a - b);
			fprintf(d->out,
				"  ~ resized    %-36s [0x%llx-0x%llx] -> [0x%llx-0x%llx] (%c%s)\n",
				y->sym, (unsigned long long)d->ka[i].p->base,
				(unsigned long long)(d->ka[i].p->end - 1),
				(unsigned long long)y->p->base, (unsigned long long)(y->p->end - 1),
				b > a ? '+' : '-', h);
		}
		first = false;
	}
	if (d->json)
		fprintf(d->out, "]");
	else if (first)
		fprintf(d->out, "  (none)\n");
}

static void print_moves(struct diff_ctx *d)
{
	if (d->json)
		fprintf(d->out, ",\"moved\":[");
	else if (d->nr_moves)
		fprintf(d->out, "\nmoved (same owner and size, another address):\n");
	for (unsigned int i = 0; i < d->nr_moves; i++) {
		const struct move_group *g = &d->moves[i];

		if (d->json) {
			fprintf(d->out, "%s{\"count\":%lu,\"delta\":\"", i ? "," : "", g->count);
			print_delta(d->out, g->delta);
			fprintf(d->out, "\",\"bytes\":");
			mb_json_hex(d->out, g->bytes);
			fprintf(d->out, ",\"first_owner\":");
			mb_json_string(d->out, g->first_sym);
			fputc('}', d->out);
		} else {
			fprintf(d->out, "  %lu allocation%s moved by ", g->count,
				g->count == 1 ? "" : "s");
			print_delta(d->out, g->delta);
			fprintf(d->out, " bytes (first: %s)\n", g->first_sym);
		}
	}
	if (d->json)
		fprintf(d->out, "]");
}

static bool has_region(const struct memblock_region *t, unsigned long cnt,
		       const struct memblock_region *r)
{
	for (unsigned long i = 0; i < cnt; i++)
		if (t[i].base == r->base && t[i].size == r->size)
			return true;
	return false;
}

/* Memory regions (the map, not its flags) only one side has. */
static void diff_memory(struct diff_ctx *d, const struct memblock *a, const struct memblock *b)
{
	bool first = true, any = false;

	if (d->json)
		fprintf(d->out, ",\"memory\":[");
	for (int side = 0; side < 2; side++) {
		const struct memblock *x = side ? b : a, *y = side ? a : b;
		const struct memblock_region *xr = mb_type_regions(x, &x->memory);
		const struct memblock_region *yr = mb_type_regions(y, &y->memory);

		for (unsigned long i = 0; i < x->memory.cnt; i++) {
			const struct memblock_region *r = &xr[i];

			if (has_region(yr, y->memory.cnt, r))
				continue;
			d->changes++;
			if (d->json) {
				fprintf(d->out, "%s{\"change\":\"%s\"", first ? "" : ",",
					side ? "added" : "removed");
				json_range(d->out, "range", r->base, r->size);
				fputc('}', d->out);
			} else {
				if (!any)
					fprintf(d->out, "\nmemory map:\n");
				fprintf(d->out, "  %c memory [0x%llx-0x%llx] 0x%llx bytes\n",
					side ? '+' : '-', (unsigned long long)r->base,
					(unsigned long long)(r->base + r->size - 1),
					(unsigned long long)r->size);
			}
			first = false;
			any = true;
		}
	}
	if (d->json)
		fprintf(d->out, "]");
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

	fprintf(out, json ? ",\"owners\":[" : "\nreserved bytes per owner (A -> B, delta):\n");
	for (int side = 0; side < 2; side++) {
		const struct mbt_analysis *an = side ? b : a;
		const struct totals *t = side ? tb : ta;

		for (unsigned int i = 0; i < t->callers.n; i++) {
			const char *sym = an->syms[t->callers.b[i].key];
			uint64_t x = bytes_of(ta, a, sym), y = bytes_of(tb, b, sym);

			if ((side && x) || x == y)
				continue; /* listed from A, or unchanged */
			if (json) {
				fprintf(out, "%s{\"owner\":", first ? "" : ",");
				mb_json_string(out, sym);
				fprintf(out, ",\"a\":");
				mb_json_hex(out, x);
				fprintf(out, ",\"b\":");
				mb_json_hex(out, y);
				fprintf(out, ",\"delta\":");
				json_delta(out, x, y);
				fputc('}', out);
			} else {
				fprintf(out, "  %-40s 0x%llx -> 0x%llx (%+lld)\n", sym,
					(unsigned long long)x, (unsigned long long)y,
					(long long)(y - x));
			}
			changed = true;
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
			if (json) {
				fprintf(out, "%s{\"node\":\"%s\",\"a\":", first ? "" : ",",
					name);
				mb_json_hex(out, x);
				fprintf(out, ",\"b\":");
				mb_json_hex(out, y);
				fputc('}', out);
			} else {
				fprintf(out, "  node %-6s 0x%llx -> 0x%llx (%+lld)\n", name,
					(unsigned long long)x, (unsigned long long)y,
					(long long)(y - x));
			}
			first = false;
		}
	}
	if (json)
		fprintf(out, "]");
}

static bool same_failure(const struct failure *x, const struct failure *y)
{
	return x->size == y->size && !strcmp(x->caller, y->caller);
}

/* Early allocation failures only one log has. */
static unsigned long diff_failures(FILE *out, bool json, const struct mbt_analysis *a,
				   const struct mbt_analysis *b)
{
	unsigned long n = 0;
	bool first = true;

	fprintf(out, json ? ",\"failures\":[" : "");
	for (int side = 0; side < 2; side++) {
		const struct mbt_analysis *x = side ? b : a, *y = side ? a : b;

		for (size_t i = 0; i < x->nr_failures; i++) {
			const struct failure *f = &x->failures[i];
			bool both = false;

			for (size_t j = 0; j < y->nr_failures; j++)
				both |= same_failure(f, &y->failures[j]);
			if (both)
				continue;
			if (json) {
				fprintf(out, "%s{\"only_in\":\"%c\",\"line\":%u,\"caller\":",
					first ? "" : ",", side ? 'b' : 'a', f->line);
				mb_json_string(out, f->caller);
				fprintf(out, ",\"size\":");
				mb_json_hex(out, f->size);
				fprintf(out, ",\"reason\":");
				mb_json_string(out, f->reason);
				fputc('}', out);
			} else {
				if (first)
					fprintf(out, "\nallocation failures only one log has:\n");
				fprintf(out, "  only in %c, line %u: %s 0x%llx bytes: %s\n",
					side ? 'B' : 'A', f->line, f->caller,
					(unsigned long long)f->size, f->reason);
			}
			first = false;
			n++;
		}
	}
	if (json)
		fputc(']', out);
	return n;
}

/* The first line: what the change cost and where it went. */
static void headline(FILE *out, bool json, uint64_t ra, uint64_t rb, uint64_t added,
		     uint64_t removed, int64_t resized)
{
	char h[32], ha[32], hr[32];

	human(h, sizeof(h), rb > ra ? rb - ra : ra - rb);
	human(ha, sizeof(ha), added);
	human(hr, sizeof(hr), removed);
	if (json) {
		fprintf(out, "{\"reserved_a\":");
		mb_json_hex(out, ra);
		fprintf(out, ",\"reserved_b\":");
		mb_json_hex(out, rb);
		fprintf(out, ",\"reserved_delta\":");
		json_delta(out, ra, rb);
		return;
	}
	if (ra == rb)
		fprintf(out, "reserved: same total in A and B (0x%llx)", (unsigned long long)ra);
	else
		fprintf(out, "reserved: B reserves %s %s (0x%llx bytes) than A (0x%llx -> 0x%llx)",
			h, rb > ra ? "more" : "less",
			(unsigned long long)(rb > ra ? rb - ra : ra - rb),
			(unsigned long long)ra, (unsigned long long)rb);
	fprintf(out, "; added %s, removed %s", ha, hr);
	if (resized) {
		human(h, sizeof(h), resized > 0 ? (uint64_t)resized : (uint64_t)-resized);
		fprintf(out, ", resized %c%s", resized > 0 ? '+' : '-', h);
	}
	fputc('\n', out);
}

int mbt_diff_report(const struct mbt_analysis *a, const struct mbt_replay *ra,
		    const struct mbt_analysis *b, const struct mbt_replay *rb, FILE *out, bool json)
{
	struct totals *ta = calloc(1, sizeof(*ta)), *tb = calloc(1, sizeof(*tb));
	struct keyed *ka = calloc(a->nr + 1, sizeof(*ka)), *kb = calloc(b->nr + 1, sizeof(*kb));
	struct diff_ctx *d = calloc(1, sizeof(*d));
	char *text = NULL;
	size_t text_len = 0;
	FILE *body = NULL;
	uint64_t added, removed;
	unsigned long changes = 0;

	if (!ta || !tb || !ka || !kb || !d)
		goto out;
	compute(a, ra, ta);
	compute(b, rb, tb);
	*d = (struct diff_ctx){.json = json, .ka = ka, .kb = kb};
	d->na = key_pieces((struct mbt_analysis *)a, ka);
	d->nb = key_pieces((struct mbt_analysis *)b, kb);
	/* The headline needs the totals of the lists: print them aside first. */
	body = json ? out : open_memstream(&text, &text_len);
	if (!body)
		goto out;
	d->out = body;
	if (json)
		headline(out, true, ra->mb.reserved.total_size, rb->mb.reserved.total_size, 0, 0, 0);
	else
		fprintf(body, "\nreservations added (+) and removed (-), by owner:\n");
	added = diff_one_side(d, '+');
	removed = diff_one_side(d, '-');
	if (!json && !added && !removed)
		fprintf(body, "  (none)\n");
	diff_memory(d, &ra->mb, &rb->mb);
	diff_resized_moved(d);
	print_moves(d);
	d->changes += diff_failures(body, json, a, b);
	diff_callers(body, json, a, ta, b, tb);
	diff_free(body, json, ta, tb);
	changes = d->changes;
	if (json) {
		fprintf(out, ",\"changes\":%lu}\n", changes);
	} else {
		fclose(body);
		body = NULL;
		headline(out, false, ra->mb.reserved.total_size, rb->mb.reserved.total_size, added,
			 removed, d->resized);
		fwrite(text, 1, text_len, out);
	}
out:
	if (body && body != out)
		fclose(body);
	free(text);
	free(ta);
	free(tb);
	free(ka);
	free(kb);
	free(d);
	return changes ? 1 : 0;
}
