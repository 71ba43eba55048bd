/* SPDX-License-Identifier: MIT */
/* script_internal.h - shared between the parts of the .mb interpreter. */
#ifndef MEMBLOCK_CLI_SCRIPT_INTERNAL_H
#define MEMBLOCK_CLI_SCRIPT_INTERNAL_H

#include "script.h"

#define SCRIPT_MAX_TOKS 64

struct script_tok {
	const char *s;
	unsigned int col; /* 1-based column of the first character */
};

struct script_line {
	struct script_tok tok[SCRIPT_MAX_TOKS];
	int n;
	const char *label; /* caller label without '@', or NULL */
	unsigned int label_col;
	unsigned int end_col; /* column just past the text (missing arguments) */
};

/*
 * The files depend on each other in one direction: script.c (the
 * dispatcher) -> script_expect.c -> script_ops.c -> script_show.c,
 * script_set.c -> script_ctx.c -> script_args.c (the helpers, which use
 * no other script file).
 */

/* script_args.c: diagnostics, "FILE:LINE:COL: error: ..." on the error stream. */
int script_bad(struct script_ctx *ctx, unsigned int col, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int script_fail(struct script_ctx *ctx, unsigned int col, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
FILE *script_out(const struct script_ctx *ctx);
FILE *script_err_stream(const struct script_ctx *ctx);

/* script_args.c: argument readers, 0 or SCRIPT_BAD (diagnostic printed). */
uint64_t script_phys_max(const struct script_ctx *ctx);
int script_number(struct script_ctx *ctx, const struct script_tok *tok, uint64_t limit,
		  uint64_t *out);
int script_nid(struct script_ctx *ctx, const struct script_tok *tok, int *out);
int script_bool(struct script_ctx *ctx, const struct script_tok *tok, bool *out);
int script_flags(struct script_ctx *ctx, const struct script_tok *tok, const char *text,
		 unsigned int *out);
int script_flags_text(const char *text, unsigned int *out);

/* script_args.c: results and error names. */
void script_print_value(FILE *out, const struct script_value *v);
const char *script_err_name(int err);
int script_err_lookup(const char *name);

/* script_ctx.c: throw the instance away and build it again from ctx->cfg. */
int script_reinit(struct script_ctx *ctx);

/* The line kinds. @first is the index of the operation's name token. */
int script_exec_set(struct script_ctx *ctx, struct script_line *ln);	/* script_set.c */
int script_exec_expect(struct script_ctx *ctx, struct script_line *ln); /* script_expect.c */
int script_exec_show(struct script_ctx *ctx, struct script_line *ln, int first); /* script_show.c */
/*
 * script_ops.c: run the operation in ln->tok[first..n). With @result
 * non-NULL the line is an expect: nothing is printed, a failure is not
 * reported, and the outcome lands in *result; the return value then only
 * says whether the line was well formed (SCRIPT_OK or SCRIPT_BAD).
 */
int script_exec_op(struct script_ctx *ctx, struct script_line *ln, int first,
		   struct script_value *result);

#endif /* MEMBLOCK_CLI_SCRIPT_INTERNAL_H */
