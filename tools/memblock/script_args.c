/* SPDX-License-Identifier: MIT */
/*
 * script_args.c - the helper library of the .mb interpreter: diagnostics,
 * argument readers (numbers, nodes, on/off, flags) and result values.
 *
 * Every other script*.c file uses these; this file uses none of them, so
 * the interpreter's files depend on each other in one direction only
 * (docs/architecture.md, "The CLI's script files").
 */
#include <ctype.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <string.h>

#include <memblock/flag_names.h>
#include <memblock/size.h>

#include "script_internal.h"

/* ---- Diagnostics ---- */

FILE *script_err_stream(const struct script_ctx *ctx)
{
	return ctx->opts.err ? ctx->opts.err : stderr;
}

FILE *script_out(const struct script_ctx *ctx)
{
	return ctx->opts.out ? ctx->opts.out : stdout;
}

static void vdiag(struct script_ctx *ctx, unsigned int col, const char *fmt, va_list ap)
{
	FILE *err = script_err_stream(ctx);

	fflush(script_out(ctx));
	if (col)
		fprintf(err, "%s:%lu:%u: error: ", ctx->file, ctx->line, col);
	else
		fprintf(err, "%s:%lu: error: ", ctx->file, ctx->line);
	vfprintf(err, fmt, ap);
	fputc('\n', err);
}

int script_bad(struct script_ctx *ctx, unsigned int col, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vdiag(ctx, col, fmt, ap);
	va_end(ap);
	return SCRIPT_BAD;
}

int script_fail(struct script_ctx *ctx, unsigned int col, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vdiag(ctx, col, fmt, ap);
	va_end(ap);
	return SCRIPT_FAILED;
}

/* ---- Numbers ---- */

static const struct {
	const char *name;
	uint64_t value;
} number_names[] = {
    {"ACCESSIBLE", 0},	{"MEMBLOCK_ALLOC_ACCESSIBLE", 0},
    {"NOLEAKTRACE", 1}, {"MEMBLOCK_ALLOC_NOLEAKTRACE", 1},
    {"LOW_LIMIT", 0},	{"MEMBLOCK_LOW_LIMIT", 0},
};

static bool is_max_name(const char *s, size_t len)
{
	static const char *const names[] = {"max",	  "MAX",      "PHYS_ADDR_MAX",
					    "ULLONG_MAX", "ANYWHERE", "MEMBLOCK_ALLOC_ANYWHERE"};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strlen(names[i]) == len && !strncmp(s, names[i], len))
			return true;
	return false;
}

/* The words a script may use as a term of a number. */
static int number_name(const char *s, size_t len, uint64_t *out)
{
	if (is_max_name(s, len)) {
		*out = UINT64_MAX;
		return 0;
	}
	for (size_t k = 0; k < sizeof(number_names) / sizeof(number_names[0]); k++)
		if (strlen(number_names[k].name) == len && !strncmp(s, number_names[k].name, len)) {
			*out = number_names[k].value;
			return 0;
		}
	return -1;
}

int script_parse_number(const char *text, uint64_t *out)
{
	int ret;

	if (!text || !out)
		return -1;
	ret = mb_size_parse_names(text, NULL, number_name, out);
	return ret == -MB_ERANGE ? -2 : ret ? -1 : 0;
}

uint64_t script_phys_max(const struct script_ctx *ctx)
{
	if (ctx->cfg.phys_bits < 64)
		return ((uint64_t)1 << ctx->cfg.phys_bits) - 1;
	return (uint64_t)MB_PHYS_ADDR_MAX;
}

int script_number(struct script_ctx *ctx, const struct script_tok *tok, uint64_t limit,
		  uint64_t *out)
{
	int ret;

	if (is_max_name(tok->s, strlen(tok->s))) {
		*out = script_phys_max(ctx);
		ret = 0;
	} else {
		ret = script_parse_number(tok->s, out);
	}
	if (ret == -2 || (!ret && *out > limit))
		return script_bad(ctx, tok->col, "number '%s' out of range (max 0x%" PRIx64 ")",
				  tok->s, limit);
	if (ret)
		return script_bad(ctx, tok->col, "bad number '%s'", tok->s);
	return 0;
}

int script_nid(struct script_ctx *ctx, const struct script_tok *tok, int *out)
{
	const char *s = tok->s;
	uint64_t v;
	bool neg = false;

	if (!strcmp(s, "NUMA_NO_NODE") || !strcmp(s, "none")) {
		*out = MB_NUMA_NO_NODE;
		return 0;
	}
	if (*s == '-') {
		neg = true;
		s++;
	}
	if (script_parse_number(s, &v) || v > (uint64_t)INT32_MAX)
		return script_bad(ctx, tok->col, "bad node '%s'", tok->s);
	*out = neg ? -(int)v : (int)v;
	return 0;
}

int script_bool(struct script_ctx *ctx, const struct script_tok *tok, bool *out)
{
	static const char *const yes[] = {"on", "true", "1", "yes"};
	static const char *const no[] = {"off", "false", "0", "no"};

	for (size_t i = 0; i < 4; i++) {
		if (!strcmp(tok->s, yes[i])) {
			*out = true;
			return 0;
		}
		if (!strcmp(tok->s, no[i])) {
			*out = false;
			return 0;
		}
	}
	return script_bad(ctx, tok->col, "expected on/off, got '%s'", tok->s);
}

const char *script_flag_name(size_t i)
{
	return mb_flag_name_at(i, NULL);
}

/* One flag name (any case, MEMBLOCK_ prefix optional) or a number. */
static int flag_word(const char *s, size_t len, unsigned int *bit)
{
	char word[32];
	const char *name, *end;
	unsigned int flag;
	uint64_t v;

	if (len >= sizeof(word))
		return -1;
	for (size_t i = 0; i < len; i++)
		word[i] = (char)toupper((unsigned char)s[i]);
	word[len] = '\0';
	if (!strncmp(word, "MEMBLOCK_", 9))
		memmove(word, word + 9, strlen(word + 9) + 1);
	for (size_t i = 0; (name = mb_flag_name_at(i, &flag)); i++)
		if (!strcmp(word, name)) {
			*bit = flag;
			return 0;
		}
	if (!mb_size_parse(s, &end, &v) && end == s + len && v <= UINT32_MAX) {
		*bit = (unsigned int)v;
		return 0;
	}
	return -1;
}

int script_flags_text(const char *text, unsigned int *out)
{
	unsigned int flags = 0;
	const char *p = text;

	if (!*p)
		return -1;
	for (;;) {
		const char *bar = strchr(p, '|');
		size_t len = bar ? (size_t)(bar - p) : strlen(p);
		unsigned int bit;

		if (flag_word(p, len, &bit))
			return -1;
		flags |= bit;
		if (!bar)
			break;
		p = bar + 1;
	}
	*out = flags;
	return 0;
}

int script_flags(struct script_ctx *ctx, const struct script_tok *tok, const char *text,
		 unsigned int *out)
{
	if (script_flags_text(text, out))
		return script_bad(ctx, tok->col, "bad flags '%s'", text);
	return 0;
}

/* ---- Values ---- */

void script_print_value(FILE *out, const struct script_value *v)
{
	if (v->err) {
		fprintf(out, "error %s", script_err_name(v->err));
		return;
	}
	switch (v->kind) {
	case SCRIPT_VALUE_ADDR:
		fprintf(out, "0x%" PRIx64, v->v);
		break;
	case SCRIPT_VALUE_NUM:
		fprintf(out, "%" PRIu64, v->v);
		break;
	case SCRIPT_VALUE_BOOL:
		fputs(v->v ? "true" : "false", out);
		break;
	default:
		fputs("ok", out);
		break;
	}
}

static const char *const err_names[] = {
	"OK",	  "ENOMEM", "EINVAL", "ERANGE",	  "ENOSPC",  "EPERM",
	"ENOENT", "EEXIST", "ESTATE", "ECORRUPT", "ENOTSUP", "EBUDGET", "EINTR",
};

const char *script_err_name(int err)
{
	unsigned int e = (unsigned int)(err < 0 ? -err : err);

	if (e < sizeof(err_names) / sizeof(err_names[0]))
		return err_names[e];
	return "E?";
}

int script_err_lookup(const char *name)
{
	if (!strncmp(name, "MB_", 3))
		name += 3;
	if (!strncmp(name, "-", 1))
		name++;
	for (size_t i = 1; i < sizeof(err_names) / sizeof(err_names[0]); i++)
		if (!strcmp(name, err_names[i]))
			return -(int)i;
	return 0;
}
