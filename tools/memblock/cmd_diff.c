// SPDX-License-Identifier: MIT
/* memblock diff A.log B.log: compare the reservations of two boots. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include <memblock/trace.h>

static void diff_usage(FILE *out)
{
	fprintf(out, "usage: memblock diff [--json] [replay options] A.log B.log\n"
		     "\n"
		     "Replays both logs and lists the reservations added, removed or moved\n"
		     "(matched by caller and order), the per-caller size deltas and the free\n"
		     "memory per node. Exit status 0 when the reservations are the same, 1\n"
		     "when they differ, 2 on bad input.\n");
}

int cmd_diff(int argc, char **argv)
{
	struct mbt_options opt = {.bottom_up = -1};
	struct mbt_replay *r[2] = {NULL, NULL};
	struct mbt_analysis *an[2] = {NULL, NULL};
	const char *path[2] = {NULL, NULL};
	int npath = 0, ret = CLI_BAD_INPUT;
	bool json = false;

	for (int i = 1; i < argc; i++) {
		int used = mbt_cli_option(&opt, argc, argv, &i);

		if (used < 0)
			return CLI_BAD_INPUT;
		if (used)
			continue;
		if (!strcmp(argv[i], "--json")) {
			json = true;
		} else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			diff_usage(stdout);
			return CLI_OK;
		} else if ((argv[i][0] == '-' && argv[i][1]) || npath == 2) {
			diff_usage(stderr);
			return CLI_BAD_INPUT;
		} else {
			path[npath++] = argv[i];
		}
	}
	if (npath != 2) {
		diff_usage(stderr);
		return CLI_BAD_INPUT;
	}
	for (int k = 0; k < 2; k++) {
		int res;

		r[k] = calloc(1, sizeof(*r[k]));
		an[k] = mbt_analysis_new();
		if (!r[k] || !an[k]) {
			fprintf(stderr, "memblock: out of memory\n");
			goto out;
		}
		res = mbt_replay_file(path[k], &opt, r[k], an[k]);
		if (res < 0)
			goto out;
		if (res == 2) {
			fprintf(stderr, "memblock diff: %s holds no memblock lines\n", path[k]);
			goto out;
		}
	}
	ret = mbt_diff_report(an[0], r[0], an[1], r[1], stdout, json) ? CLI_FAILED : CLI_OK;
out:
	for (int k = 0; k < 2; k++) {
		if (r[k])
			mbt_replay_fini(r[k]);
		free(r[k]);
		mbt_analysis_free(an[k]);
	}
	return ret;
}
