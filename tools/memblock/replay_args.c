// SPDX-License-Identifier: MIT
/* Command line and setup shared by memblock replay, analyze and diff. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <memblock/size.h>

#include "cli.h"
#include "replay_args.h"
#include "script.h"

/*
 * One replay option of argv[*i] (--profile NAME, --phys-bits 32|64,
 * --smp-cache-bytes N, --current-limit ADDR, --bottom-up, --top-down,
 * --no-learn, --index MODE), *@i advanced past a value it takes. Return: 1 when it was
 * one, 0 when not, -1 on a bad value (message printed on stderr).
 */
static int replay_option(struct mbt_options *opt, int argc, char **argv, int *i)
{
	const char *arg = argv[*i];
	uint64_t v;
	int used = cli_index_option("memblock", argc, argv, i, &opt->index);

	if (used)
		return used;
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
	if (mb_size_parse(argv[*i], NULL, &v)) {
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

/* A long replay made visible: progress on stderr after a second or two, Ctrl-C. */
struct replay_watch {
	const char *path;
	time_t start, last;
};

static bool replay_progress(void *ctx, size_t done, size_t total)
{
	struct replay_watch *w = ctx;
	time_t now = time(NULL);

	if (script_interrupted) {
		fprintf(stderr, "%s: replay stopped by Ctrl-C after %zu of %zu bytes\n", w->path,
			done, total);
		return false;
	}
	if (now - w->start >= 2 && now != w->last) {
		w->last = now;
		fprintf(stderr, "%s: replayed %zu of %zu bytes (%zu%%)\n", w->path, done, total,
			total ? done * 100 / total : 100);
	}
	return true;
}

/*
 * Read @path ("-": standard input) and replay it. Return: as
 * mbt_replay_log(), REPLAY_LOG_NOMEM when memory ran out, or -1 after
 * printing why it could not be read or replayed (both reported).
 */
static int replay_file(const char *path, const struct mbt_options *opt, struct mbt_replay *r,
		       struct mbt_analysis *an)
{
	struct replay_watch watch = { .path = path };
	struct mbt_options with_progress = { .bottom_up = -1 };
	size_t len;
	char *buf = mbt_read_file(path, &len);
	int ret;

	if (!buf) {
		fprintf(stderr, "memblock: cannot read %s: %s\n", path, strerror(errno));
		return errno == ENOMEM ? REPLAY_LOG_NOMEM : -1;
	}
	watch.start = watch.last = time(NULL);
	if (opt)
		with_progress = *opt;
	with_progress.progress = replay_progress;
	with_progress.progress_ctx = &watch;
	script_interrupted = 0;
	cli_catch_sigint();
	ret = mbt_replay_log(r, buf, len, &with_progress, an);
	free(buf);
	if (ret < 0) {
		unsigned int line;
		const char *why = mbt_replay_failure(r, &line);

		if (line)
			fprintf(stderr, "%s:%u: error: %s\n", path, line, why);
		else
			fprintf(stderr, "%s: error: cannot replay: %s\n", path, mb_strerror(ret));
		return ret == -MB_ENOMEM ? REPLAY_LOG_NOMEM : -1;
	}
	return ret;
}

void replay_options_help(FILE *out)
{
	fprintf(out,
		"options:\n"
		"  --json                one JSON document on stdout (docs/json.md)\n"
		"  --profile NAME        linux-6.12, linux-6.1, linux-5.4 or linux-4.x (default:\n"
		"                        from the Linux version line, else from the line forms)\n"
		"  --phys-bits 32|64     phys_addr_t width (default: from the printed digits)\n"
		"  --smp-cache-bytes N   what align=0 means (default 64, or inferred)\n"
		"  --bottom-up           allocations go bottom-up (default: inferred)\n"
		"  --top-down            allocations go top-down\n"
		"  --current-limit ADDR  memblock_set_current_limit() the log does not show\n"
		"  --no-learn            never learn reservations from a log that starts late\n"
		"  --index MODE          region index: auto (default: indexed from 4,096\n"
		"                        regions), on or off (flat arrays); the output is the same\n"
		"  -h, --help            this text\n"
		"LOG '-' reads standard input.\n");
}

/* Complain about a stray argument the way @cmd always has. */
static int bad_argument(const struct replay_cmd *cmd, const char *arg, bool extra_log)
{
	if (extra_log) {
		fprintf(stderr, "memblock %s: %s\n", cmd->name,
			cmd->nr_logs == 1 ? "one LOG only" : "two LOGs only");
		cli_hint(cmd->name);
		return CLI_BAD_INPUT;
	}
	fprintf(stderr, "memblock %s: unknown option '%s'\n", cmd->name, arg);
	cli_hint(cmd->name);
	return CLI_BAD_INPUT;
}

/**
 * replay_args_parse() - parse the replay options, --json, --help and the LOGs
 * @cmd: the subcommand
 * @argc: argument count, argv[0] being the subcommand name
 * @argv: the arguments
 * @args: filled in; its bottom_up starts at -1 (the log decides)
 * @status: the exit status when the command should stop now
 *
 * Return: true when @args holds exactly @cmd->nr_logs paths and the command
 * should run; false when it should exit with *@status (help or bad usage).
 */
bool replay_args_parse(const struct replay_cmd *cmd, int argc, char **argv,
		       struct replay_args *args, int *status)
{
	*args = (struct replay_args){.opt = {.bottom_up = -1}};
	*status = CLI_BAD_INPUT;
	for (int i = 1; i < argc; i++) {
		const char *arg;
		int used = replay_option(&args->opt, argc, argv, &i);

		if (used < 0)
			return false;
		if (!used && cmd->nr_logs == 1)
			used = map_out_option(&args->map, argc, argv, &i);
		if (used < 0) {
			fprintf(stderr, "memblock %s: %s needs a FILE\n", cmd->name, argv[i]);
			return false;
		}
		if (used)
			continue;
		arg = argv[i];
		if (!strcmp(arg, "--json")) {
			args->json = true;
		} else if (!strcmp(arg, "--help") || !strcmp(arg, "-h")) {
			cmd->usage(stdout);
			*status = CLI_OK;
			return false;
		} else if (arg[0] == '-' && arg[1]) {
			*status = bad_argument(cmd, arg, false);
			return false;
		} else if (args->nr_paths == cmd->nr_logs) {
			*status = bad_argument(cmd, arg, true);
			return false;
		} else {
			args->path[args->nr_paths++] = arg;
		}
	}
	if (args->nr_paths == cmd->nr_logs)
		return true;
	fprintf(stderr, "memblock %s: %s\n", cmd->name,
		cmd->nr_logs == 1 ? "needs one LOG" : "needs two LOGs");
	cli_hint(cmd->name);
	return false;
}

/**
 * replay_log_new() - allocate a replay (and an analysis) and replay one log
 * @path: the log, "-" for standard input
 * @opt: replay options
 * @replay: set to the new replay; free with replay_log_free()
 * @analysis: when not NULL, set to a new analysis fed by the replay
 *
 * Return: what replay_file() returned (2: no memblock lines), or
 * REPLAY_LOG_NOMEM (already reported). *@replay and *@analysis are set
 * (maybe to NULL) in every case.
 */
int replay_log_new(const char *path, const struct mbt_options *opt,
		   struct mbt_replay **replay, struct mbt_analysis **analysis)
{
	struct mbt_analysis *an = NULL;

	*replay = mbt_replay_new();
	if (analysis)
		*analysis = an = mbt_analysis_new();
	if (!*replay || (analysis && !an)) {
		fprintf(stderr, "memblock: out of memory\n");
		return REPLAY_LOG_NOMEM;
	}
	return replay_file(path, opt, *replay, an);
}

/* --html / --svg of replay and analyze: the replay's final state. */
int replay_write_map(const struct replay_args *args, const char *cmd,
		     const struct mbt_replay *replay)
{
	struct mbr_map *map;
	int ret;

	if (!map_out_wanted(&args->map) || !replay)
		return 0;
	map = map_of_replay(replay, args->path[0]);
	ret = map_out_write(&args->map, cmd, map, NULL);
	mbr_map_free(map);
	return ret;
}

/* Undo replay_log_new(); either pointer may be NULL. */
void replay_log_free(struct mbt_replay *replay, struct mbt_analysis *analysis)
{
	mbt_replay_free(replay);
	mbt_analysis_free(analysis);
}
