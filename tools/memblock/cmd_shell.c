/* SPDX-License-Identifier: MIT */
/*
 * cmd_shell.c - `memblock shell`: the script language, one line at a time.
 *
 * On a terminal, lines are read with readline (editing, Tab completion,
 * history kept in $XDG_STATE_HOME/memblock/history, by default
 * ~/.local/state/memblock/history); Ctrl-C cancels the line being typed
 * and keeps the instance. From a pipe lines are read plainly, without a
 * prompt. A bad or failed line is reported and the shell goes on.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <readline/history.h>
#include <readline/readline.h>

#include "cli.h"
#include "script.h"

static void shell_usage(FILE *out)
{
	fprintf(out,
		"usage: memblock shell [--debug] [--dmesg] [--index MODE] [SCRIPT]\n"
		"\n"
		"The .mb language interactively (type 'help'). SCRIPT, when given, runs\n"
		"first. Every operation prints its result; errors do not end the shell.\n"
		"On a terminal: Tab completes operations, flags, show/set arguments and\n"
		"file names; Ctrl-C cancels the line being typed (the state stays);\n"
		"history is kept in $XDG_STATE_HOME/memblock/history (default\n"
		"~/.local/state/memblock/history).\n"
		"\n"
		"options:\n"
		"  --debug    start with memblock=debug\n"
		"  --dmesg    prefix kernel log lines with \"[    0.000000] \"\n"
		"  --index MODE\n"
		"             region index: auto (default: indexed from 4,096 regions),\n"
		"             on or off (flat arrays, as Linux); the output is the same\n"
		"  -h, --help this text\n"
		"\n"
		"exit status: 0, or 1 / 2 when a line failed / was malformed (non-tty input).\n");
}

/* Tab: script_complete() decides what fits; file names where nothing else does. */
static char *complete_word(const char *text, int state)
{
	static size_t next;
	bool files;
	const char *c;

	(void)text;
	if (!state)
		next = 0;
	c = script_complete(rl_line_buffer, rl_point - (int)strlen(text), &next, &files);
	return c ? strdup(c) : NULL;
}

static char **complete(const char *text, int start, int end)
{
	size_t state = 0;
	bool files;

	(void)end;
	rl_attempted_completion_over = 1;
	script_complete(rl_line_buffer, start, &state, &files);
	if (files)
		return rl_completion_matches(text, rl_filename_completion_function);
	return rl_completion_matches(text, complete_word);
}

/* A line is running: Ctrl-C stops its long step instead (script.h). */
static volatile sig_atomic_t line_running;

/* Ctrl-C: drop the line being typed, keep everything else. */
static void on_sigint(int sig)
{
	(void)sig;
	if (line_running) {
		script_interrupted = 1;
		return;
	}
	if (write(STDOUT_FILENO, "^C\n", 3) < 0)
		return;
	rl_on_new_line();
	rl_replace_line("", 0);
	rl_redisplay();
}

static void catch_sigint(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_sigint;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	rl_catch_signals = 0;
	sigaction(SIGINT, &sa, NULL);
}

/* mkdir -p of the directories in @path (its last component is the file). */
static void make_parents(char *path)
{
	for (char *p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(path, 0700) && errno != EEXIST) {
			*p = '/';
			return;
		}
		*p = '/';
	}
}

/* $XDG_STATE_HOME/memblock/history, else ~/.local/state/memblock/history. */
static char *history_path(void)
{
	const char *state = getenv("XDG_STATE_HOME"), *home = getenv("HOME");
	char *path;
	size_t len;

	if (!(state && *state) && !(home && *home))
		return NULL;
	len = strlen(state && *state ? state : home) + 64;
	path = malloc(len);
	if (!path)
		return NULL;
	if (state && *state)
		snprintf(path, len, "%s/memblock/history", state);
	else
		snprintf(path, len, "%s/.local/state/memblock/history", home);
	make_parents(path);
	return path;
}

/* Next line: readline on a terminal, getline otherwise. NULL at the end. */
static char *next_line(bool tty, char **buf, size_t *cap, const char *hist)
{
	char *line;

	if (!tty)
		return getline(buf, cap, stdin) >= 0 ? *buf : NULL;
	free(*buf);
	line = readline("memblock> ");
	*buf = line;
	*cap = 0;
	if (line && *line) {
		add_history(line);
		if (hist) {
			FILE *f = fopen(hist, "a"); /* append_history() needs the file */

			if (f)
				fclose(f);
			append_history(1, hist);
		}
	}
	return line;
}

int cmd_shell(int argc, char **argv)
{
	struct script_opts opts = {.interactive = true, .keep_going = true};
	struct script_ctx ctx;
	const char *preload = NULL;
	bool tty = isatty(STDIN_FILENO);
	char *buf = NULL, *line, *hist = NULL;
	size_t cap = 0;
	unsigned long lineno = 0;
	int worst = SCRIPT_OK;

	for (int i = 1; i < argc; i++) {
		int used = cli_index_option("memblock shell", argc, argv, &i, &opts.index);

		if (used < 0) {
			cli_hint("shell");
			return CLI_BAD_INPUT;
		}
		if (used)
			continue;
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			shell_usage(stdout);
			return CLI_OK;
		} else if (!strcmp(argv[i], "--debug")) {
			opts.debug = true;
		} else if (!strcmp(argv[i], "--dmesg")) {
			opts.dmesg = true;
		} else if (argv[i][0] != '-' && !preload) {
			preload = argv[i];
		} else {
			fprintf(stderr, "memblock shell: unexpected argument '%s'\n", argv[i]);
			cli_hint("shell");
			return CLI_BAD_INPUT;
		}
	}
	if (script_ctx_init(&ctx, &opts)) {
		fprintf(stderr, "memblock shell: cannot initialise the instance\n");
		return CLI_FAILED;
	}
	if (preload)
		worst = script_run_file(&ctx, preload);
	rl_attempted_completion_function = complete;
	if (tty) {
		hist = history_path();
		if (hist)
			read_history(hist);
		catch_sigint();
		printf("memblock %s shell; 'help' lists the operations, Tab completes, "
		       "Ctrl-C cancels a line, 'quit' ends.\n",
		       MB_VERSION_STRING);
	}
	while ((line = next_line(tty, &buf, &cap, hist))) {
		int ret;

		script_interrupted = 0;
		line_running = 1;
		ret = script_exec_line(&ctx, tty ? "<shell>" : "<stdin>", ++lineno, line);
		line_running = 0;
		script_interrupted = 0;

		fflush(stdout);
		if (ret == SCRIPT_QUIT)
			break;
		if (ret > worst)
			worst = ret;
	}
	free(buf);
	free(hist);
	script_ctx_fini(&ctx);
	if (tty)
		return CLI_OK;
	return worst;
}
