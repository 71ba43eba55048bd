/* SPDX-License-Identifier: MIT */
/*
 * script.c - the .mb interpreter: context, lines, dispatch.
 *
 * A line goes through three steps: tokenize (comments and the caller
 * label come off), parse every argument against the operation's spec,
 * then run. Only the last step touches the instance, so any syntax error
 * leaves it as it was.
 */
#define _POSIX_C_SOURCE 200809L

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <time.h>

#include <memblock/host_index.h>

#include "script_internal.h"
#include "views.h"

/* ---- Diagnostics ---- */

static FILE *err_stream(const struct script_ctx *ctx)
{
	return ctx->opts.err ? ctx->opts.err : stderr;
}

FILE *script_out(const struct script_ctx *ctx)
{
	return ctx->opts.out ? ctx->opts.out : stdout;
}

static void vdiag(struct script_ctx *ctx, unsigned int col, const char *fmt, va_list ap)
{
	FILE *err = err_stream(ctx);

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

/* One term: decimal or 0x hex with an optional K/M/G/T suffix, or a name. */
static int parse_term(const char *s, size_t len, uint64_t *out)
{
	uint64_t v = 0, mult = 1;
	unsigned int base = 10;
	size_t i = 0;

	if (is_max_name(s, len)) {
		*out = UINT64_MAX;
		return 0;
	}
	for (size_t k = 0; k < sizeof(number_names) / sizeof(number_names[0]); k++)
		if (strlen(number_names[k].name) == len && !strncmp(s, number_names[k].name, len)) {
			*out = number_names[k].value;
			return 0;
		}
	if (len && strchr("KkMmGgTt", s[len - 1])) {
		static const char units[] = "KMGT";
		int shift = (int)(strchr(units, toupper((unsigned char)s[len - 1])) - units + 1);

		mult = (uint64_t)1 << (10 * shift);
		len--;
	}
	if (len > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		i = 2;
	}
	if (i >= len)
		return -1;
	for (; i < len; i++) {
		int d;

		if (isdigit((unsigned char)s[i]))
			d = s[i] - '0';
		else if (base == 16 && isxdigit((unsigned char)s[i]))
			d = tolower((unsigned char)s[i]) - 'a' + 10;
		else if (s[i] == '_')
			continue;
		else
			return -1;
		if (v > (UINT64_MAX - (uint64_t)d) / base)
			return -2;
		v = v * base + (uint64_t)d;
	}
	if (mult > 1 && v > UINT64_MAX / mult)
		return -2;
	*out = v * mult;
	return 0;
}

int script_parse_number(const char *text, uint64_t *out)
{
	uint64_t sum = 0;
	const char *p = text;
	bool minus = false;

	if (!text || !*text || !out)
		return -1;
	for (;;) {
		size_t len = strcspn(p, "+-");
		uint64_t v;
		int ret;

		/* A leading '-' or an empty term ("4K--1") is not a number. */
		if (!len)
			return -1;
		ret = parse_term(p, len, &v);
		if (ret)
			return ret;
		if (minus && v > sum)
			return -2; /* below zero */
		if (!minus && v > UINT64_MAX - sum)
			return -2;
		sum = minus ? sum - v : sum + v;
		if (!p[len])
			break;
		minus = p[len] == '-';
		p += len + 1;
	}
	*out = sum;
	return 0;
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
	return view_flag_entry(i, NULL);
}

/* One flag name (any case, MEMBLOCK_ prefix optional) or a number. */
static int flag_word(const char *s, size_t len, unsigned int *bit)
{
	char word[32];
	const char *name;
	unsigned int flag;
	uint64_t v;

	if (len >= sizeof(word))
		return -1;
	for (size_t i = 0; i < len; i++)
		word[i] = (char)toupper((unsigned char)s[i]);
	word[len] = '\0';
	if (!strncmp(word, "MEMBLOCK_", 9))
		memmove(word, word + 9, strlen(word + 9) + 1);
	for (size_t i = 0; (name = view_flag_entry(i, &flag)); i++)
		if (!strcmp(word, name)) {
			*bit = flag;
			return 0;
		}
	if (!parse_term(s, len, &v) && v <= UINT32_MAX) {
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

/* ---- Tokens ---- */

/*
 * Split @buf (modified in place) into tokens. '#' starts a comment; a
 * token starting with '@' is the caller label.
 */
static int tokenize(struct script_ctx *ctx, char *buf, struct script_line *ln)
{
	char *p = buf;
	size_t text_end = 0;

	ln->n = 0;
	ln->label = NULL;
	for (;;) {
		char *start;

		while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
			p++;
		if (!*p || *p == '#')
			break;
		start = p;
		while (*p && *p != ' ' && *p != '\t' && *p != '\r' && *p != '\n' && *p != '#')
			p++;
		text_end = (size_t)(p - buf);
		if (*start == '@') {
			if (ln->label)
				return script_bad(ctx, (unsigned int)(start - buf) + 1,
						  "more than one caller label");
			if (p == start + 1)
				return script_bad(ctx, (unsigned int)(start - buf) + 1,
						  "empty caller label");
			ln->label = start + 1;
			ln->label_col = (unsigned int)(start - buf) + 1;
		} else {
			if (ln->n == SCRIPT_MAX_TOKS)
				return script_bad(ctx, (unsigned int)(start - buf) + 1,
						  "too many words on one line");
			ln->tok[ln->n].s = start;
			ln->tok[ln->n].col = (unsigned int)(start - buf) + 1;
			ln->n++;
		}
		if (!*p)
			break;
		if (*p == '#') {
			*p = '\0';
			break;
		}
		*p++ = '\0';
	}
	ln->end_col = (unsigned int)text_end + 1;
	return SCRIPT_OK;
}

/* ---- Context ---- */

static void release_grown(struct script_ctx *ctx)
{
	for (size_t i = 0; i < ctx->n_grown; i++)
		free(ctx->grown[i]);
	free(ctx->grown);
	ctx->grown = NULL;
	ctx->n_grown = 0;
}

static struct memblock_region *grow_cb(void *data, const struct memblock_type *type,
				       unsigned long new_max)
{
	struct script_ctx *ctx = data;
	void **list = realloc(ctx->grown, (ctx->n_grown + 1) * sizeof(*list));
	struct memblock_region *regions;

	(void)type;
	if (!list)
		return NULL;
	ctx->grown = list;
	regions = calloc(new_max, sizeof(*regions));
	if (!regions)
		return NULL;
	ctx->grown[ctx->n_grown++] = regions;
	return regions;
}

static void free_pages_cb(void *data, unsigned long pfn, unsigned int order)
{
	struct script_ctx *ctx = data;

	(void)pfn;
	ctx->pages_freed += 1ul << order;
}

volatile sig_atomic_t script_interrupted;

/* Once a second at most: "free_all: 12% (123456 of 987654 pages)". */
static bool progress_cb(void *data, unsigned long done, unsigned long total)
{
	struct script_ctx *ctx = data;
	time_t now = time(NULL);

	if (script_interrupted)
		return false;
	if (!ctx->opts.progress)
		return true;
	if (!ctx->progress_start)
		ctx->progress_start = now;
	if (now - ctx->progress_start < 1 || now == ctx->progress_last)
		return true;
	ctx->progress_last = now;
	fprintf(ctx->opts.err ? ctx->opts.err : stderr,
		"%s:%lu: handover: %lu%% (%lu of %lu pages; Ctrl-C stops)\n", ctx->file, ctx->line,
		(unsigned long)((double)done * 100 / (double)total), done, total);
	return true;
}

static void reserved_pages_cb(void *data, mb_phys_addr_t start, mb_phys_addr_t end, int nid)
{
	struct script_ctx *ctx = data;

	(void)start;
	(void)end;
	(void)nid;
	ctx->pages_reserved_calls++;
}

/* Throw the instance away and build it again from ctx->cfg. */
int script_reinit(struct script_ctx *ctx)
{
	unsigned long caps[3] = {ctx->regions, ctx->regions, MB_INIT_PHYSMEM_REGIONS};
	struct mb_config cfg = ctx->cfg;
	int ret;

	mb_host_index_release(&ctx->mb);
	release_grown(ctx);
	for (int i = 0; i < 3; i++) {
		free(ctx->arrays[i]);
		ctx->arrays[i] = calloc(caps[i], sizeof(struct memblock_region));
		if (!ctx->arrays[i])
			return -MB_ENOMEM;
	}
	mb_simram_destroy(ctx->ram);
	ctx->ram = NULL;
	ret = mb_simram_create(&ctx->ram);
	if (ret)
		return ret;
	cfg.memory_regions = ctx->arrays[0];
	cfg.memory_max = caps[0];
	cfg.reserved_regions = ctx->arrays[1];
	cfg.reserved_max = caps[1];
	cfg.physmem_regions = ctx->physmem ? ctx->arrays[2] : NULL;
	cfg.physmem_max = ctx->physmem ? caps[2] : 0;
	mb_stdio_sink_init(&ctx->sink, script_out(ctx));
	ctx->sink.timestamp = ctx->opts.dmesg;
	mb_stdio_sink_install(&ctx->sink, &cfg.ops);
	mb_simram_install(ctx->ram, &cfg.ops);
	cfg.ops.grow = grow_cb;
	cfg.ops.grow_ctx = ctx;
	cfg.ops.free_pages = free_pages_cb;
	cfg.ops.reserved_pages = reserved_pages_cb;
	cfg.ops.progress = progress_cb;
	cfg.ops.page_ctx = ctx;
	mb_host_index_install(&cfg.ops);
	ret = mb_init(&ctx->mb, &cfg);
	if (!ret)
		ret = mb_host_index_apply(&ctx->mb, ctx->opts.index);
	if (ret)
		return ret;
	ctx->started = false;
	ctx->last = (struct script_value){0};
	return 0;
}

int script_ctx_init(struct script_ctx *ctx, const struct script_opts *opts)
{
	memset(ctx, 0, sizeof(*ctx));
	if (opts)
		ctx->opts = *opts;
	mb_config_default(&ctx->cfg);
	ctx->cfg.debug = ctx->opts.debug;
	ctx->cfg.grow_policy = MB_GROW_LINUX;
	ctx->cfg.max_pages = ctx->opts.max_pages ? ctx->opts.max_pages : SCRIPT_MAX_PAGES;
	ctx->regions = MB_INIT_REGIONS;
	ctx->max_low_pfn = ULONG_MAX;
	ctx->file = "<none>";
	script_interrupted = 0;
	return script_reinit(ctx);
}

void script_ctx_fini(struct script_ctx *ctx)
{
	if (!ctx)
		return;
	mb_host_index_release(&ctx->mb);
	release_grown(ctx);
	for (int i = 0; i < 3; i++) {
		free(ctx->arrays[i]);
		ctx->arrays[i] = NULL;
	}
	for (int i = 0; i < SCRIPT_MAX_CALLERS; i++) {
		free(ctx->caller_names[i]);
		ctx->caller_names[i] = NULL;
	}
	mb_simram_destroy(ctx->ram);
	ctx->ram = NULL;
}

struct memblock *script_memblock(struct script_ctx *ctx)
{
	return &ctx->mb;
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

/* ---- Lines ---- */

static int exec_tokens(struct script_ctx *ctx, struct script_line *ln)
{
	const char *word = ln->tok[0].s;

	if (!strcmp(word, "set"))
		return script_exec_set(ctx, ln);
	if (!strcmp(word, "expect"))
		return script_exec_expect(ctx, ln);
	if (!strcmp(word, "show"))
		return script_exec_show(ctx, ln, 1);
	return script_exec_op(ctx, ln, 0, NULL);
}

int script_exec_line(struct script_ctx *ctx, const char *file, unsigned long line, const char *text)
{
	struct script_line ln;
	char *buf = strdup(text ? text : "");
	int ret;

	if (!buf)
		return script_fail(ctx, 0, "out of memory");
	ctx->file = file ? file : "<input>";
	ctx->line = line;
	ret = tokenize(ctx, buf, &ln);
	if (ret == SCRIPT_OK && ln.n) {
		ret = exec_tokens(ctx, &ln);
		if (ctx->opts.line_done)
			ctx->opts.line_done(ctx->opts.line_done_arg, &ctx->mb, line, text);
	} else if (ret == SCRIPT_OK && ln.label)
		ret = script_bad(ctx, ln.label_col, "caller label without an operation");
	free(buf);
	if (ret != SCRIPT_QUIT && ret > ctx->status)
		ctx->status = ret;
	return ret;
}

int script_run_stream(struct script_ctx *ctx, FILE *in, const char *name)
{
	char *line = NULL;
	size_t cap = 0;
	unsigned long lineno = 0;
	int worst = SCRIPT_OK;

	while (getline(&line, &cap, in) >= 0) {
		int ret = script_exec_line(ctx, name, ++lineno, line);

		if (ret == SCRIPT_QUIT)
			break;
		if (ret > worst)
			worst = ret;
		if (script_interrupted) {
			fprintf(err_stream(ctx), "%s:%lu: interrupted: stopped after this line\n",
				name, lineno);
			worst = worst > SCRIPT_FAILED ? worst : SCRIPT_FAILED;
			break;
		}
		if (ret == SCRIPT_BAD || (ret == SCRIPT_FAILED && !ctx->opts.keep_going))
			break;
	}
	free(line);
	return worst;
}

int script_run_file(struct script_ctx *ctx, const char *path)
{
	FILE *in;
	int ret;

	if (!strcmp(path, "-"))
		return script_run_stream(ctx, stdin, "<stdin>");
	in = fopen(path, "r");
	if (!in) {
		fprintf(err_stream(ctx), "memblock: %s: %s\n", path, strerror(errno));
		return SCRIPT_BAD;
	}
	ret = script_run_stream(ctx, in, path);
	fclose(in);
	return ret;
}

/* ---- show ---- */

int script_exec_show(struct script_ctx *ctx, struct script_line *ln, int first)
{
	struct view_opts vopts = {.dmesg = ctx->opts.dmesg};
	enum view_id view;
	const char *arg;
	int ret;

	if (ln->n <= first)
		return script_bad(ctx, ln->end_col,
				  "missing view name (dump, debugfs TYPE, "
				  "iomem, free, summary, json)");
	arg = ln->n > first + 1 ? ln->tok[first + 1].s : NULL;
	ret = view_lookup(ln->tok[first].s, arg, &view);
	if (ret == -1)
		return script_bad(ctx, ln->tok[first].col, "unknown view '%s'", ln->tok[first].s);
	if (ret == -2 && !arg)
		return script_bad(ctx, ln->end_col,
				  "missing argument: memory, reserved or "
				  "physmem");
	if (ret == -2 && !strcmp(ln->tok[first].s, "debugfs"))
		return script_bad(ctx, ln->tok[first + 1].col, "unknown debugfs file '%s'", arg);
	if (ret == -2)
		return script_bad(ctx, ln->tok[first + 1].col, "unexpected argument '%s'", arg);
	if (ln->n > first + 2)
		return script_bad(ctx, ln->tok[first + 2].col, "unexpected argument '%s'",
				  ln->tok[first + 2].s);
	if (view == VIEW_DEBUGFS_PHYSMEM && !ctx->mb.physmem.regions)
		return script_bad(ctx, ln->tok[first + 1].col,
				  "physmem is off (use 'set physmem on' first)");
	fflush(script_out(ctx));
	view_show(&ctx->mb, view, script_out(ctx), &vopts);
	return SCRIPT_OK;
}
