/* SPDX-License-Identifier: MIT */
/* script_show.c - `show VIEW [ARG]`: one of the views of views.c. */
#include <string.h>

#include "script_internal.h"
#include "views.h"

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
