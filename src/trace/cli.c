// SPDX-License-Identifier: MIT
/* cli.c - what the replay, analyze and diff subcommands share. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "trace_internal.h"

int mbt_cli_option(struct mbt_options *opt, int argc, char **argv, int *i)
{
	const char *arg = argv[*i];
	char *end;

	if (!strcmp(arg, "--no-learn")) {
		opt->no_learn = true;
		return 1;
	}
	if (!strcmp(arg, "--bottom-up") || !strcmp(arg, "--top-down")) {
		opt->bottom_up = !strcmp(arg, "--bottom-up");
		return 1;
	}
	if (strcmp(arg, "--profile") && strcmp(arg, "--phys-bits") &&
	    strcmp(arg, "--smp-cache-bytes") && strcmp(arg, "--current-limit"))
		return 0;
	if (*i + 1 >= argc) {
		fprintf(stderr, "memblock: %s needs a value\n", arg);
		return -1;
	}
	(*i)++;
	if (!strcmp(arg, "--profile")) {
		opt->profile = mb_profile_by_name(argv[*i]);
		if (!opt->profile) {
			fprintf(stderr, "memblock: unknown profile '%s'\n", argv[*i]);
			return -1;
		}
		if (opt->profile->unverified)
			fprintf(stderr,
				"memblock: warning: profile %s is unverified (no kernel source to "
				"check it against; see docs/core.md)\n",
				opt->profile->name);
		return 1;
	}
	errno = 0;
	unsigned long long v = strtoull(argv[*i], &end, 0);
	if (errno || *end || !*argv[*i]) {
		fprintf(stderr, "memblock: bad number '%s' for %s\n", argv[*i], arg);
		return -1;
	}
	if (!strcmp(arg, "--phys-bits")) {
		if (v != 32 && v != 64) {
			fprintf(stderr, "memblock: --phys-bits is 32 or 64\n");
			return -1;
		}
		opt->phys_bits = (int)v;
	} else if (!strcmp(arg, "--smp-cache-bytes")) {
		if (!v || (v & (v - 1))) {
			fprintf(stderr, "memblock: --smp-cache-bytes must be a power of two\n");
			return -1;
		}
		opt->smp_cache_bytes = v;
	} else {
		opt->current_limit = v;
	}
	return 1;
}

int mbt_replay_file(const char *path, const struct mbt_options *opt, struct mbt_replay *r,
		    struct mbt_analysis *an)
{
	size_t len;
	char *buf = mbt_read_file(path, &len);
	int ret;

	if (!buf) {
		fprintf(stderr, "memblock: cannot read %s: %s\n", path, strerror(errno));
		return -1;
	}
	ret = mbt_replay_log(r, buf, len, opt, an);
	free(buf);
	if (ret < 0) {
		if (r->fail_line)
			fprintf(stderr, "%s:%u: error: %s\n", path, r->fail_line, r->fail_why);
		else
			fprintf(stderr, "%s: error: cannot replay: %s\n", path, mb_strerror(ret));
		return -1;
	}
	return ret;
}
