/* SPDX-License-Identifier: MIT */
/*
 * script.c - the .mb interpreter's dispatcher: lines, streams, files.
 *
 * A line goes through three steps: tokenize (comments and the caller
 * label come off), parse every argument against the operation's spec,
 * then run. Only the last step touches the instance, so any syntax error
 * leaves it as it was.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "script_internal.h"

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
			fprintf(script_err_stream(ctx), "%s:%lu: interrupted: stopped after this line\n",
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
		fprintf(script_err_stream(ctx), "memblock: %s: %s\n", path, strerror(errno));
		return SCRIPT_BAD;
	}
	ret = script_run_stream(ctx, in, path);
	fclose(in);
	return ret;
}
