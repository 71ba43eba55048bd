/* SPDX-License-Identifier: MIT */
/* Placeholder until the 'memtest' subcommand lands. */
#include <stdio.h>

#include "cli.h"

int cmd_memtest(int argc, char **argv)
{
	(void)argc;
	fprintf(stderr, "memblock %s: not available yet\n", argv[0]);
	return CLI_BAD_INPUT;
}
