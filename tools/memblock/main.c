/* SPDX-License-Identifier: MIT */
/* memblock: the command line tool's entry point and subcommand table. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include <memblock/memblock.h>

struct subcommand {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
};

static const struct subcommand subcommands[] = {
	{ "run", cmd_run, "run an operation script (.mb)" },
	{ "shell", cmd_shell, "the script language, interactively" },
	{ "memtest", cmd_memtest, "the kernel's early memory test on a machine" },
	{ "boot", cmd_boot, "simulate an architecture's memblock boot" },
	{ "replay", cmd_replay, "replay a memblock=debug boot log and verify it" },
	{ "analyze", cmd_analyze, "where did the RAM go, from a boot log" },
	{ "diff", cmd_diff, "compare two boot logs" },
	{ "help", NULL, "memblock help COMMAND: that command's --help" },
};

static void usage(FILE *out)
{
	fprintf(out, "usage: memblock [--version] [--help] COMMAND [ARGS]\n\ncommands:\n");
	for (size_t i = 0; i < sizeof(subcommands) / sizeof(subcommands[0]); i++)
		fprintf(out, "  %-8s %s\n", subcommands[i].name, subcommands[i].summary);
	fprintf(out, "\n'memblock COMMAND --help' describes one command.\n");
}

void cli_hint(const char *cmd)
{
	if (cmd)
		fprintf(stderr, "Try 'memblock %s --help'.\n", cmd);
	else
		fprintf(stderr, "Try 'memblock --help'.\n");
}

static const struct subcommand *find(const char *name)
{
	for (size_t i = 0; i < sizeof(subcommands) / sizeof(subcommands[0]); i++)
		if (subcommands[i].fn && !strcmp(name, subcommands[i].name))
			return &subcommands[i];
	return NULL;
}

/* memblock help [COMMAND]: the same text as --help. */
static int help(int argc, char **argv)
{
	const struct subcommand *sc;
	char *args[] = { NULL, "--help", NULL };

	if (argc < 3) {
		usage(stdout);
		return CLI_OK;
	}
	sc = find(argv[2]);
	if (!sc) {
		fprintf(stderr, "memblock help: unknown command '%s'\n", argv[2]);
		cli_hint(NULL);
		return CLI_BAD_INPUT;
	}
	args[0] = argv[2];
	return sc->fn(2, args);
}

int main(int argc, char **argv)
{
	const struct subcommand *sc;

	if (argc < 2) {
		usage(stderr);
		return CLI_BAD_INPUT;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		usage(stdout);
		return CLI_OK;
	}
	if (!strcmp(argv[1], "help"))
		return help(argc, argv);
	if (!strcmp(argv[1], "--version")) {
		printf("memblock %s\n", MB_VERSION_STRING);
		return CLI_OK;
	}
	sc = find(argv[1]);
	if (sc)
		return sc->fn(argc - 1, argv + 1);
	fprintf(stderr, "memblock: unknown command '%s'\n", argv[1]);
	cli_hint(NULL);
	return CLI_BAD_INPUT;
}
