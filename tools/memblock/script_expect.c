/* SPDX-License-Identifier: MIT */
/*
 * script_expect.c - `expect` lines: scripts that check themselves.
 *
 *   expect FIELD = VALUE          memory.cnt, reserved.size, last, ...
 *   expect TYPE = REGION...       memory, reserved, physmem, free
 *   expect OP ARGS... = VALUE     runs OP, compares its result
 *   expect OP ARGS... = error [E] OP must fail (with E)
 *
 * VALUE is a number, true/false, `ok` or `error [NAME]`. A REGION is
 * START-LAST (inclusive, as the kernel prints), optionally in brackets,
 * then optionally :FLAGS and @NID; `empty` is the empty set.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <memblock/flag_names.h>

#include "script_internal.h"

struct expect_value {
	bool is_error; /* error [NAME] */
	int err;       /* 0 = any error */
	bool any_ok;   /* ok */
	uint64_t v;
	bool is_bool;
};

struct want_region {
	uint64_t start, last;
	unsigned int flags;
	bool has_nid;
	int nid;
};

static int parse_value(struct script_ctx *ctx, struct script_line *ln, int i,
		       struct expect_value *ev)
{
	memset(ev, 0, sizeof(*ev));
	if (i >= ln->n)
		return script_bad(ctx, ln->end_col, "expect: missing value after '='");
	if (!strcmp(ln->tok[i].s, "error")) {
		ev->is_error = true;
		if (i + 1 < ln->n) {
			ev->err = script_err_lookup(ln->tok[i + 1].s);
			if (!ev->err)
				return script_bad(ctx, ln->tok[i + 1].col,
						  "unknown error name '%s'", ln->tok[i + 1].s);
			i++;
		}
	} else if (!strcmp(ln->tok[i].s, "ok")) {
		ev->any_ok = true;
	} else if (!strcmp(ln->tok[i].s, "true") || !strcmp(ln->tok[i].s, "false")) {
		ev->is_bool = true;
		ev->v = !strcmp(ln->tok[i].s, "true");
	} else if (script_number(ctx, &ln->tok[i], UINT64_MAX, &ev->v)) {
		return SCRIPT_BAD;
	}
	if (i + 1 < ln->n)
		return script_bad(ctx, ln->tok[i + 1].col,
				  "expect: unexpected '%s' after the value", ln->tok[i + 1].s);
	return SCRIPT_OK;
}

static void print_value_err(FILE *f, const struct expect_value *ev, enum script_value_kind kind)
{
	if (ev->is_error)
		fprintf(f, "error%s%s", ev->err ? " " : "",
			ev->err ? script_err_name(ev->err) : "");
	else if (ev->any_ok)
		fputs("ok", f);
	else if (ev->is_bool)
		fputs(ev->v ? "true" : "false", f);
	else if (kind == SCRIPT_VALUE_NUM)
		fprintf(f, "%" PRIu64, ev->v);
	else
		fprintf(f, "0x%" PRIx64, ev->v);
}

static bool value_matches(const struct script_value *got, const struct expect_value *ev)
{
	if (ev->is_error)
		return got->err && (!ev->err || ev->err == got->err);
	if (got->err)
		return false;
	if (ev->any_ok)
		return true;
	return got->v == ev->v;
}

static int mismatch(struct script_ctx *ctx, unsigned int col, const char *what,
		    const struct script_value *got, const struct expect_value *ev)
{
	FILE *err = ctx->opts.err ? ctx->opts.err : stderr;

	script_fail(ctx, col, "expect failed: %s", what);
	fputs("  got:      ", err);
	script_print_value(err, got);
	fputs("\n  expected: ", err);
	print_value_err(err, ev, got->kind);
	fputc('\n', err);
	return SCRIPT_FAILED;
}

/* ---- Scalar fields ---- */

static const struct memblock_type *type_by_name(struct script_ctx *ctx, const char *name,
						size_t len)
{
	if (len == 6 && !strncmp(name, "memory", 6))
		return &ctx->mb.memory;
	if (len == 8 && !strncmp(name, "reserved", 8))
		return &ctx->mb.reserved;
	if (len == 7 && !strncmp(name, "physmem", 7))
		return &ctx->mb.physmem;
	return NULL;
}

static void free_totals(const struct memblock *mb, uint64_t *cnt, uint64_t *size, uint64_t *largest)
{
	uint64_t idx;
	mb_phys_addr_t start, end;

	*cnt = *size = *largest = 0;
	mb_for_each_free_mem_range(mb, idx, MB_NUMA_NO_NODE, MB_FLAG_NONE, &start, &end, NULL)
	{
		(*cnt)++;
		*size += end - start;
		if (end - start > *largest)
			*largest = end - start;
	}
}

static bool type_field(const struct memblock_type *t, const char *f, struct script_value *v)
{
	v->kind = SCRIPT_VALUE_NUM;
	if (!strcmp(f, "cnt"))
		v->v = t->cnt;
	else if (!strcmp(f, "max"))
		v->v = t->max;
	else if (!strcmp(f, "size") || !strcmp(f, "total_size")) {
		v->kind = SCRIPT_VALUE_ADDR;
		v->v = t->total_size;
	} else
		return false;
	return true;
}

static bool free_field(const struct memblock *mb, const char *f, struct script_value *v)
{
	uint64_t cnt, size, largest;

	free_totals(mb, &cnt, &size, &largest);
	v->kind = SCRIPT_VALUE_ADDR;
	if (!strcmp(f, "cnt")) {
		v->kind = SCRIPT_VALUE_NUM;
		v->v = cnt;
	} else if (!strcmp(f, "size")) {
		v->v = size;
	} else if (!strcmp(f, "largest")) {
		v->v = largest;
	} else {
		return false;
	}
	return true;
}

static bool plain_field(struct script_ctx *ctx, const char *name, struct script_value *v)
{
	const struct memblock *mb = &ctx->mb;
	const struct mb_stats *s = &mb->stats;

	*v = (struct script_value){.kind = SCRIPT_VALUE_NUM};
	if (!strcmp(name, "last"))
		*v = ctx->last;
	else if (!strcmp(name, "current_limit"))
		*v = (struct script_value){.kind = SCRIPT_VALUE_ADDR, .v = mb->current_limit};
	else if (!strcmp(name, "bottom_up"))
		*v = (struct script_value){.kind = SCRIPT_VALUE_BOOL, .v = mb->bottom_up};
	else if (!strcmp(name, "stats.numa_overlap_warnings"))
		v->v = s->numa_overlap_warnings;
	else if (!strcmp(name, "stats.doublings"))
		v->v = s->doublings;
	else if (!strcmp(name, "stats.mirror_fallbacks"))
		v->v = s->mirror_fallbacks;
	else if (!strcmp(name, "stats.failed_allocs"))
		v->v = s->failed_allocs;
	else if (!strcmp(name, "pages_freed"))
		v->v = ctx->pages_freed;
	else
		return false;
	return true;
}

/* Return: 1 when @name is a field (value in *v), 0 when not. */
static int lookup_field(struct script_ctx *ctx, const char *name, struct script_value *v)
{
	const char *dot = strchr(name, '.');
	const struct memblock_type *t;

	if (plain_field(ctx, name, v))
		return 1;
	if (!dot)
		return 0;
	if (dot - name == 4 && !strncmp(name, "free", 4))
		return free_field(&ctx->mb, dot + 1, v);
	t = type_by_name(ctx, name, (size_t)(dot - name));
	if (!t || !t->regions)
		return 0;
	return type_field(t, dot + 1, v);
}

/* ---- Region sets ---- */

static int parse_region(struct script_ctx *ctx, const struct script_tok *tok, bool allow_flags,
			struct want_region *w)
{
	char range[160], suffix[160];
	const char *s = tok->s;
	char *dash, *at;
	size_t n;
	struct script_tok sub = {range, tok->col};

	memset(w, 0, sizeof(*w));
	if (strlen(s) >= sizeof(range))
		return script_bad(ctx, tok->col, "region '%s' too long", s);
	if (*s == '[') {
		const char *close = strchr(s, ']');

		if (!close)
			return script_bad(ctx, tok->col, "missing ']' in '%s'", s);
		n = (size_t)(close - s - 1);
		memcpy(range, s + 1, n);
		strcpy(suffix, close + 1);
	} else {
		n = strcspn(s, ":@");
		memcpy(range, s, n);
		strcpy(suffix, s + n);
	}
	range[n] = '\0';
	if (*suffix && *suffix != ':' && *suffix != '@')
		return script_bad(ctx, tok->col, "unexpected '%s' after the range", suffix);
	dash = strchr(range, '-');
	if (!dash)
		return script_bad(ctx, tok->col, "expected START-LAST, got '%s'", s);
	*dash = '\0';
	if (script_number(ctx, &sub, UINT64_MAX, &w->start))
		return SCRIPT_BAD;
	sub.s = dash + 1;
	if (script_number(ctx, &sub, UINT64_MAX, &w->last))
		return SCRIPT_BAD;
	at = strchr(suffix, '@');
	if (at) {
		*at = '\0';
		sub.s = at + 1;
		w->has_nid = true;
		if (script_nid(ctx, &sub, &w->nid))
			return SCRIPT_BAD;
	}
	if (*suffix == ':') {
		if (!allow_flags)
			return script_bad(ctx, tok->col, "free ranges have no flags");
		return script_flags(ctx, tok, suffix + 1, &w->flags);
	}
	return 0;
}

struct got_region {
	uint64_t start, last;
	unsigned int flags;
	int nid;
};

static size_t collect(struct script_ctx *ctx, const char *set, struct got_region **out)
{
	const struct memblock *mb = &ctx->mb;
	const struct memblock_type *t = type_by_name(ctx, set, strlen(set));
	size_t n = 0, cap = (t ? t->cnt : mb->memory.cnt + mb->reserved.cnt) + 1;
	struct got_region *g = calloc(cap, sizeof(*g));
	uint64_t idx;
	mb_phys_addr_t start, end;
	int nid;

	*out = g;
	if (!g)
		return 0;
	if (t) {
		const struct memblock_region *r = mb_type_regions(mb, t);

		for (unsigned long i = 0; i < t->cnt; i++)
			if (r[i].size)
				g[n++] = (struct got_region){r[i].base, r[i].base + r[i].size - 1,
							     r[i].flags, r[i].nid};
		return n;
	}
	mb_for_each_free_mem_range(mb, idx, MB_NUMA_NO_NODE, MB_FLAG_NONE, &start, &end, &nid)
	{
		if (n < cap)
			g[n++] = (struct got_region){start, end - 1, 0, nid};
	}
	return n;
}

static void print_got(FILE *f, const struct got_region *g, size_t n)
{
	char names[96];

	fputs("  got:     ", f);
	if (!n)
		fputs(" empty", f);
	for (size_t i = 0; i < n; i++) {
		fprintf(f, " [0x%" PRIx64 "-0x%" PRIx64 "]", g[i].start, g[i].last);
		if (g[i].flags)
			fprintf(f, ":%s", mb_flags_text(g[i].flags, names, sizeof(names)));
	}
	fputc('\n', f);
}

static int expect_set(struct script_ctx *ctx, struct script_line *ln, int eq)
{
	const char *set = ln->tok[1].s;
	bool is_free = !strcmp(set, "free");
	int n_want = ln->n - eq - 1;
	struct want_region *want;
	struct got_region *got;
	size_t n_got;
	int ret = SCRIPT_OK, bad = -1;

	if (n_want < 1)
		return script_bad(ctx, ln->end_col, "expect %s: missing regions (or 'empty')", set);
	if (n_want == 1 && !strcmp(ln->tok[eq + 1].s, "empty"))
		n_want = 0;
	want = calloc((size_t)n_want + 1, sizeof(*want));
	if (!want)
		return script_fail(ctx, 0, "out of memory");
	for (int i = 0; i < n_want; i++)
		if (parse_region(ctx, &ln->tok[eq + 1 + i], !is_free, &want[i])) {
			free(want);
			return SCRIPT_BAD;
		}
	n_got = collect(ctx, set, &got);
	for (int i = 0; i < n_want && (size_t)i < n_got && bad < 0; i++)
		if (want[i].start != got[i].start || want[i].last != got[i].last ||
		    (!is_free && want[i].flags != got[i].flags) ||
		    (want[i].has_nid && want[i].nid != got[i].nid))
			bad = i;
	if (bad >= 0 || n_got != (size_t)n_want) {
		if (bad >= 0)
			ret = script_fail(ctx, ln->tok[eq + 1 + bad].col,
					  "expect failed: %s region %d differs", set, bad);
		else
			ret = script_fail(ctx, ln->tok[1].col,
					  "expect failed: %s has %zu regions, expected %d", set,
					  n_got, n_want);
		print_got(ctx->opts.err ? ctx->opts.err : stderr, got, n_got);
	}
	free(want);
	free(got);
	return ret;
}

static bool is_set_name(struct script_ctx *ctx, const char *s)
{
	if (!strcmp(s, "free"))
		return true;
	return type_by_name(ctx, s, strlen(s)) != NULL;
}

int script_exec_expect(struct script_ctx *ctx, struct script_line *ln)
{
	struct expect_value ev;
	struct script_value got;
	int eq = -1;

	for (int i = 1; i < ln->n && eq < 0; i++)
		if (!strcmp(ln->tok[i].s, "=") || !strcmp(ln->tok[i].s, "=="))
			eq = i;
	if (ln->n < 2)
		return script_bad(ctx, ln->end_col, "expect: missing what to check");
	if (eq < 0)
		return script_bad(ctx, ln->end_col, "expect: missing ' = VALUE'");
	if (eq == 1)
		return script_bad(ctx, ln->tok[1].col, "expect: missing what to check");
	if (eq == 2 && is_set_name(ctx, ln->tok[1].s)) {
		if (!strcmp(ln->tok[1].s, "physmem") && !ctx->mb.physmem.regions)
			return script_bad(ctx, ln->tok[1].col, "physmem is off");
		return expect_set(ctx, ln, eq);
	}
	if (eq == 2 && lookup_field(ctx, ln->tok[1].s, &got)) {
		if (parse_value(ctx, ln, eq + 1, &ev))
			return SCRIPT_BAD;
		if (!value_matches(&got, &ev))
			return mismatch(ctx, ln->tok[1].col, ln->tok[1].s, &got, &ev);
		return SCRIPT_OK;
	}
	/* An operation: parse the value first, so a bad line runs nothing. */
	if (parse_value(ctx, ln, eq + 1, &ev))
		return SCRIPT_BAD;
	{
		struct script_line op_line = *ln;
		int ret;

		op_line.n = eq;
		op_line.end_col = ln->tok[eq].col;
		ret = script_exec_op(ctx, &op_line, 1, &got);
		if (ret != SCRIPT_OK)
			return ret;
	}
	if (!value_matches(&got, &ev))
		return mismatch(ctx, ln->tok[1].col, ln->tok[1].s, &got, &ev);
	return SCRIPT_OK;
}
