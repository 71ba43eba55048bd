/* SPDX-License-Identifier: MIT */
/*
 * cmd_shell.c - `memblock shell`: the script language, one line at a time.
 *
 * On a terminal, lines are read with readline (history, editing); from a
 * pipe they are read plainly, without a prompt. A bad or failed line is
 * reported and the shell goes on.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <readline/history.h>
#include <readline/readline.h>

#include "cli.h"
#include "script.h"

static void shell_usage(FILE *out)
{
	fprintf(out,
		"usage: memblock shell [--debug] [--dmesg] [SCRIPT]\n"
		"\n"
		"The .mb language interactively (type 'help'). SCRIPT, when given, runs\n"
		"first. Every operation prints its result; errors do not end the shell.\n"
		"\n"
		"exit status: 0, or 1 / 2 when a line failed / was malformed (non-tty input).\n");
}

/* Tab completion of the first word: the operation names. */
static char *complete_op(const char *text, int state)
{
	static size_t next;
	size_t len = strlen(text);
	const char *name;

	if (!state)
		next = 0;
	while ((name = script_op_name(next++)))
		if (!strncmp(name, text, len))
			return strdup(name);
	return NULL;
}

static char **complete(const char *text, int start, int end)
{
	(void)end;
	rl_attempted_completion_over = 1;
	if (start)
		return NULL;
	return rl_completion_matches(text, complete_op);
}

/* Next line: readline on a terminal, getline otherwise. NULL at the end. */
static char *next_line(bool tty, char **buf, size_t *cap)
{
	char *line;

	if (!tty)
		return getline(buf, cap, stdin) >= 0 ? *buf : NULL;
	free(*buf);
	line = readline("memblock> ");
	*buf = line;
	*cap = 0;
	if (line && *line)
		add_history(line);
	return line;
}

int cmd_shell(int argc, char **argv)
{
	struct script_opts opts = {.interactive = true, .keep_going = true};
	struct script_ctx ctx;
	const char *preload = NULL;
	bool tty = isatty(STDIN_FILENO);
	char *buf = NULL, *line;
	size_t cap = 0;
	unsigned long lineno = 0;
	int worst = SCRIPT_OK;

	for (int i = 1; i < argc; i++) {
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
			shell_usage(stderr);
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
	if (tty)
		printf("memblock %s shell; 'help' lists the operations, 'quit' ends.\n",
		       MB_VERSION_STRING);
	while ((line = next_line(tty, &buf, &cap))) {
		int ret = script_exec_line(&ctx, tty ? "<shell>" : "<stdin>", ++lineno, line);

		fflush(stdout);
		if (ret == SCRIPT_QUIT)
			break;
		if (ret > worst)
			worst = ret;
	}
	free(buf);
	script_ctx_fini(&ctx);
	if (tty)
		return CLI_OK;
	return worst;
}
