// SPDX-License-Identifier: MIT
/*
 * cli_budget.c - bounds on long work shared by the subcommands: the
 * --max-pages option and Ctrl-C that stops a long step cleanly.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "script.h"

int cli_parse_max_pages(const char *who, const char *text, unsigned long *out)
{
	unsigned long long v;
	char *end;

	errno = 0;
	v = strtoull(text, &end, 0);
	if (errno || end == text || *end || text[0] == '-' || v > ULONG_MAX) {
		fprintf(stderr, "%s: --max-pages: bad page count '%s'\n", who, text);
		return -1;
	}
	/* 0 means no limit, the way Linux works: keep it distinct from "unset" */
	*out = v ? (unsigned long)v : ULONG_MAX;
	return 0;
}

/* The first Ctrl-C asks the running step to stop; a second one kills. */
static void on_sigint(int sig)
{
	(void)sig;
	if (script_interrupted)
		_exit(130);
	script_interrupted = 1;
}

void cli_catch_sigint(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_sigint;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
}
