// SPDX-License-Identifier: MIT
/* memblock replay LOG: rebuild a memblock=debug boot and verify it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include <memblock/trace.h>

static void replay_usage(FILE *out)
{
	fprintf(out,
		"usage: memblock replay [--json] [--profile NAME] [--phys-bits 32|64]\n"
		"                       [--smp-cache-bytes N] [--bottom-up|--top-down]\n"
		"                       [--current-limit ADDR] [--no-learn] LOG\n"
		"\n"
		"Replays a kernel log captured with memblock=debug (dmesg, journalctl,\n"
		"syslog, a mail) against this library's allocator: every allocation is\n"
		"placed by our allocator and compared with the kernel's, every\n"
		"'MEMBLOCK configuration:' dump is compared region by region.\n"
		"LOG '-' reads standard input.\n"
		"\n"
		"exit status: 0 all verified, 1 divergence, 2 no memblock lines or bad usage\n");
}

int cmd_replay(int argc, char **argv)
{
	struct mbt_options opt = {.bottom_up = -1};
	struct mbt_replay *r;
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
			replay_usage(stdout);
			return CLI_OK;
		} else if (argv[i][0] == '-' && argv[i][1]) {
			fprintf(stderr, "memblock replay: unknown option '%s'\n", argv[i]);
			replay_usage(stderr);
			return CLI_BAD_INPUT;
		} else if (path) {
			fprintf(stderr, "memblock replay: one LOG only\n");
			return CLI_BAD_INPUT;
		} else {
			path = argv[i];
		}
	}
	if (!path) {
		replay_usage(stderr);
		return CLI_BAD_INPUT;
	}
	r = calloc(1, sizeof(*r));
	if (!r) {
		fprintf(stderr, "memblock: out of memory\n");
		return CLI_FAILED;
	}
	ret = mbt_replay_file(path, &opt, r, NULL);
	if (ret >= 0)
		mbt_replay_report(r, stdout, json, path);
	if (ret == 2 && !json)
		fprintf(stderr, "memblock replay: %s holds no memblock lines\n", path);
	mbt_replay_fini(r);
	free(r);
	return ret < 0 ? CLI_BAD_INPUT : ret;
}
