// SPDX-License-Identifier: MIT
/* memblock analyze LOG: where did the RAM go, from a memblock=debug log. */
#include <stdio.h>

#include "cli.h"
#include "json_out.h"
#include "replay_args.h"
#include <memblock/trace.h>

static void analyze_usage(FILE *out)
{
	fprintf(out, "usage: memblock analyze [OPTIONS] LOG\n"
		     "\n"
		     "Replays LOG and shows where the memory went: memory, reserved and free\n"
		     "totals (reserved bytes inside memory; what lies outside apart), reserved\n"
		     "bytes by owner (the trace caller, or the kernel line that names it: cma,\n"
		     "NODE_DATA, crashkernel, OF reserved mem, ACPI tables, initrd), by node,\n"
		     "flags and size class, free memory per node and the early allocation\n"
		     "failures with the reason. --html / --svg write the memory map as a\n"
		     "self-contained page.\n"
		     "\n");
	replay_options_help(out);
	fprintf(out, "\nexit status: 0, 1 out of memory, 2 bad usage or no memblock lines\n");
}

int cmd_analyze(int argc, char **argv)
{
	static const struct replay_cmd cmd = {
		.name = "analyze", .usage = analyze_usage, .nr_logs = 1,
	};
	struct replay_args args;
	struct mbt_replay *r;
	struct mbt_analysis *an;
	FILE *doc = NULL;
	int ret, status;

	if (!replay_args_parse(&cmd, argc, argv, &args, &ret))
		return ret;
	if (args.json)
		doc = json_doc_open("analyze");
	ret = replay_log_new(args.path[0], &args.opt, &r, &an);
	if (ret == MBT_REPLAY_NO_LINES) {
		fprintf(stderr, "memblock analyze: %s holds no memblock lines\n", args.path[0]);
	} else if (ret >= 0 && doc) {
		fprintf(doc, ",\"replay\":");
		mbt_replay_report(r, doc, true, args.path[0]);
		fprintf(doc, ",\"analysis\":");
		mbt_analysis_report(an, r, doc, true);
	} else if (ret >= 0) {
		mbt_analysis_report(an, r, stdout, false);
	}
	if ((ret == MBT_REPLAY_MATCHED || ret == MBT_REPLAY_DIVERGED) &&
	    replay_write_map(&args, "analyze", r))
		ret = -1;
	replay_log_free(r, an);
	if (ret == REPLAY_LOG_NOMEM)
		status = CLI_FAILED;
	else if (ret < 0 || ret == MBT_REPLAY_NO_LINES)
		status = CLI_BAD_INPUT;
	else
		status = CLI_OK;
	if (doc)
		json_doc_close(doc, status);
	return status;
}
