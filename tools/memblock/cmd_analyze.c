// SPDX-License-Identifier: MIT
/* memblock analyze LOG: where did the RAM go, from a memblock=debug log. */
#include <stdio.h>

#include "cli.h"
#include "replay_args.h"
#include <memblock/trace.h>

static void analyze_usage(FILE *out)
{
	fprintf(out, "usage: memblock analyze [--json] [--html FILE] [--svg FILE] [replay options] LOG\n"
		     "\n"
		     "Replays LOG (see 'memblock replay --help' for the options) and shows\n"
		     "memory and reserved totals, reserved bytes by caller, node, flags and\n"
		     "size class, the free ranges and the early allocation failures.\n"
		     "--html / --svg write the memory map as a self-contained page.\n");
}

int cmd_analyze(int argc, char **argv)
{
	static const struct replay_cmd cmd = {
		.name = "analyze", .usage = analyze_usage, .nr_logs = 1,
	};
	struct replay_args args;
	struct mbt_replay *r;
	struct mbt_analysis *an;
	int ret;

	if (!replay_args_parse(&cmd, argc, argv, &args, &ret))
		return ret;
	ret = replay_log_new(args.path[0], &args.opt, &r, &an);
	if (ret == 2)
		fprintf(stderr, "memblock analyze: %s holds no memblock lines\n", args.path[0]);
	else if (ret >= 0)
		mbt_analysis_report(an, r, stdout, args.json);
	if ((ret == 0 || ret == 1) && replay_write_map(&args, "analyze", r))
		ret = -1;
	replay_log_free(r, an);
	if (ret == REPLAY_LOG_NOMEM)
		return CLI_FAILED;
	if (ret < 0 || ret == 2)
		return CLI_BAD_INPUT;
	return CLI_OK;
}
