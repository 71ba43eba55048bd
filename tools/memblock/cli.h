/* SPDX-License-Identifier: MIT */
/* The memblock command line tool: one function per subcommand. */
#ifndef MEMBLOCK_CLI_H
#define MEMBLOCK_CLI_H

/* Exit codes shared by every subcommand. */
enum cli_exit {
	CLI_OK = 0,	   /* success */
	CLI_FAILED = 1,	   /* an operation the user asked for failed */
	CLI_BAD_INPUT = 2  /* bad usage or bad input */
};

/*
 * --max-pages N: 0 (no limit) becomes ULONG_MAX. Prints "WHO: ..." and
 * returns -1 for a bad number.
 */
int cli_parse_max_pages(const char *who, const char *text, unsigned long *out);
/* Ctrl-C sets script_interrupted (long steps stop cleanly); twice exits. */
void cli_catch_sigint(void);

/* argv[0] is the subcommand name. */
int cmd_run(int argc, char **argv);
int cmd_shell(int argc, char **argv);
int cmd_memtest(int argc, char **argv);
int cmd_boot(int argc, char **argv);
int cmd_replay(int argc, char **argv);
int cmd_analyze(int argc, char **argv);
int cmd_diff(int argc, char **argv);

#endif
