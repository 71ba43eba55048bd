// SPDX-License-Identifier: MIT
/* memblock replay LOG: rebuild a memblock=debug boot and verify it. */
#include <stdio.h>

#include "cli.h"
#include "json_out.h"
#include "replay_args.h"
#include <memblock/trace.h>

static void replay_usage(FILE *out)
{
	fprintf(out,
		"usage: memblock replay [--json] [--profile NAME] [--phys-bits 32|64]\n"
		"                       [--smp-cache-bytes N] [--bottom-up|--top-down]\n"
		"                       [--current-limit ADDR] [--no-learn]\n"
		"                       [--html FILE] [--svg FILE] LOG\n"
		"\n"
		"Replays a kernel log captured with memblock=debug (dmesg, journalctl,\n"
		"syslog, a mail) against this library's allocator: every allocation is\n"
		"placed by our allocator and compared with the kernel's, every\n"
		"'MEMBLOCK configuration:' dump is compared region by region.\n"
		"--html / --svg write the memory map of the final state as a\n"
		"self-contained page.\n"
		"\n");
	replay_options_help(out);
	fprintf(out,
		"\n"
		"--profile: linux-6.12, linux-6.1 (verified against their kernels);\n"
		"linux-5.4, linux-4.x (unverified). Old log line forms (3.x-5.x) are\n"
		"read whatever the profile; see docs/replay.md.\n"
		"\n"
		"verdicts and exit status (docs/replay.md):\n"
		"  VERIFIED                  0  every allocation and dump as the kernel's\n"
		"  VERIFIED WITH INFERENCES  0  the same, with untraced changes inferred (listed)\n"
		"  DIVERGED                  1  an allocation or dump that nothing explains\n"
		"  no memblock lines         2  (also bad usage)\n");
}

int cmd_replay(int argc, char **argv)
{
	static const struct replay_cmd cmd = {
		.name = "replay", .usage = replay_usage, .nr_logs = 1, .explain_errors = true,
	};
	struct replay_args args;
	struct mbt_replay *r;
	FILE *doc = NULL;
	int ret, status;

	if (!replay_args_parse(&cmd, argc, argv, &args, &ret))
		return ret;
	if (args.json)
		doc = json_doc_open("replay");
	ret = replay_log_new(args.path[0], &args.opt, &r, NULL);
	if (ret >= 0 && doc) {
		fprintf(doc, ",\"replay\":");
		mbt_replay_report(r, doc, true, args.path[0]);
	} else if (ret >= 0) {
		mbt_replay_report(r, stdout, false, args.path[0]);
	}
	if (ret == MBT_REPLAY_NO_LINES)
		fprintf(stderr, "memblock replay: %s holds no memblock lines\n", args.path[0]);
	if (ret >= 0)
		ret = mbt_outcome_exit(mbt_replay_outcome(r));
	if ((ret == MBT_REPLAY_MATCHED || ret == MBT_REPLAY_DIVERGED) &&
	    replay_write_map(&args, "replay", r))
		ret = 1;
	replay_log_free(r, NULL);
	if (ret == REPLAY_LOG_NOMEM)
		status = CLI_FAILED;
	else
		status = ret < 0 ? CLI_BAD_INPUT : ret;
	if (doc)
		json_doc_close(doc, status);
	return status;
}
