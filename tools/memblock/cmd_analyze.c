// SPDX-License-Identifier: MIT
/* memblock analyze LOG: where did the RAM go, from a memblock=debug log. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include <memblock/trace.h>

static void analyze_usage(FILE *out)
{
	fprintf(out, "usage: memblock analyze [--json] [replay options] LOG\n"
		     "\n"
		     "Replays LOG (see 'memblock replay --help' for the options) and shows\n"
		     "memory and reserved totals, reserved bytes by caller, node, flags and\n"
		     "size class, the free ranges and the early allocation failures.\n");
}

int cmd_analyze(int argc, char **argv)
{
	struct mbt_options opt = {.bottom_up = -1};
	struct mbt_replay *r;
	struct mbt_analysis *an;
	const char *path = NULL;
	bool json = false;
	int ret;

	for (int i = 1; i < argc; i++) {
		int used = mbt_cli_option(&opt, argc, argv, &i);

		if (used < 0)
			return CLI_BAD_INPUT;
		if (used)
			continue;
		if (!strcmp(argv[i], "--json")) {
			json = true;
		} else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			analyze_usage(stdout);
			return CLI_OK;
		} else if ((argv[i][0] == '-' && argv[i][1]) || path) {
			analyze_usage(stderr);
			return CLI_BAD_INPUT;
		} else {
			path = argv[i];
		}
	}
	if (!path) {
		analyze_usage(stderr);
		return CLI_BAD_INPUT;
	}
	r = calloc(1, sizeof(*r));
	an = mbt_analysis_new();
	if (!r || !an) {
		fprintf(stderr, "memblock: out of memory\n");
		free(r);
		mbt_analysis_free(an);
		return CLI_FAILED;
	}
	ret = mbt_replay_file(path, &opt, r, an);
	if (ret == 2)
		fprintf(stderr, "memblock analyze: %s holds no memblock lines\n", path);
	else if (ret >= 0)
		mbt_analysis_report(an, r, stdout, json);
	mbt_replay_fini(r);
	free(r);
	mbt_analysis_free(an);
	if (ret < 0 || ret == 2)
		return CLI_BAD_INPUT;
	return CLI_OK;
}
