// SPDX-License-Identifier: MIT
/* memblock diff A.log B.log: compare the reservations of two boots. */
#include <stdio.h>

#include "cli.h"
#include "json_out.h"
#include "replay_args.h"
#include <memblock/trace.h>

static void diff_usage(FILE *out)
{
	fprintf(out, "usage: memblock diff [OPTIONS] A.log B.log\n"
		     "\n"
		     "Replays both logs and leads with the answer: what B reserves more or less\n"
		     "than A, then the reservations added and removed with their owner (matched\n"
		     "by owner and order), memory map changes, resized ones, moves folded by\n"
		     "address shift, allocation failures only one log has, bytes per owner and\n"
		     "free memory per node.\n"
		     "\n");
	replay_options_help(out);
	fprintf(out, "\nexit status: 0 the same reservations, 1 they differ or memory ran out,\n"
		     "2 bad input\n");
}

int cmd_diff(int argc, char **argv)
{
	static const struct replay_cmd cmd = {
		.name = "diff", .usage = diff_usage, .nr_logs = 2,
	};
	struct mbt_replay *r[2] = {NULL, NULL};
	struct mbt_analysis *an[2] = {NULL, NULL};
	struct replay_args args;
	FILE *doc = NULL;
	int ret;

	if (!replay_args_parse(&cmd, argc, argv, &args, &ret))
		return ret;
	if (args.json)
		doc = json_doc_open("diff");
	ret = CLI_BAD_INPUT;
	for (int k = 0; k < 2; k++) {
		int res = replay_log_new(args.path[k], &args.opt, &r[k], &an[k]);

		if (res == REPLAY_LOG_NOMEM)
			ret = CLI_FAILED; /* an operation failed, as in replay and analyze */
		if (res < 0)
			goto out;
		if (res == MBT_REPLAY_NO_LINES) {
			fprintf(stderr, "memblock diff: %s holds no memblock lines\n",
				args.path[k]);
			goto out;
		}
	}
	if (doc) {
		fprintf(doc, ",\"a\":");
		mbt_replay_report(r[0], doc, true, args.path[0]);
		fprintf(doc, ",\"b\":");
		mbt_replay_report(r[1], doc, true, args.path[1]);
		fprintf(doc, ",\"diff\":");
	}
	if (mbt_diff_report(an[0], r[0], an[1], r[1], doc ? doc : stdout, args.json))
		ret = CLI_FAILED;
	else
		ret = CLI_OK;
out:
	if (doc)
		json_doc_close(doc, ret);
	for (int k = 0; k < 2; k++)
		replay_log_free(r[k], an[k]);
	return ret;
}
