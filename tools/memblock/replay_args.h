/* SPDX-License-Identifier: MIT */
/* Command line shared by the log subcommands: replay, analyze and diff. */
#ifndef MEMBLOCK_REPLAY_ARGS_H
#define MEMBLOCK_REPLAY_ARGS_H

#include <stdbool.h>
#include <stdio.h>

#include <memblock/trace.h>

#include "map_out.h"

/* What differs between the subcommands that take replay options and LOGs. */
struct replay_cmd {
	const char *name;		/* "replay", for messages */
	void (*usage)(FILE *out);
	int nr_logs;			/* LOG arguments the command needs: 1 or 2 */
	/*
	 * replay names the bad argument before the usage (its tests and
	 * docs show those messages); analyze and diff only print usage.
	 */
	bool explain_errors;
};

/* The parsed command line. */
struct replay_args {
	struct mbt_options opt;
	const char *path[2];
	int nr_paths;
	bool json;
	struct map_out map; /* --html / --svg */
};

/* replay_log_new() could not allocate (replaying itself returns -1..2). */
#define REPLAY_LOG_NOMEM (-2)

/* The options replay, analyze and diff share, for their --help. */
void replay_options_help(FILE *out);

bool replay_args_parse(const struct replay_cmd *cmd, int argc, char **argv,
		       struct replay_args *args, int *status);
int replay_log_new(const char *path, const struct mbt_options *opt,
		   struct mbt_replay **replay, struct mbt_analysis **analysis);
int replay_write_map(const struct replay_args *args, const char *cmd,
		     const struct mbt_replay *replay);
void replay_log_free(struct mbt_replay *replay, struct mbt_analysis *analysis);

#endif
