/* SPDX-License-Identifier: MIT */
/* cli_index.c - --index=off|on|auto, shared by every command that builds an instance. */
#include <stdio.h>
#include <string.h>

#include <memblock/host_index.h>

#include "cli.h"

int cli_index_check(const char *who, const char *mode)
{
	enum mb_index_mode m;

	if (!mb_index_mode_parse(mode, &m))
		return 0;
	fprintf(stderr, "%s: --index: expected off, on or auto, not '%s'\n", who, mode);
	return -1;
}

int cli_index_option(const char *who, int argc, char **argv, int *i, const char **mode)
{
	const char *a = argv[*i];

	if (!strncmp(a, "--index=", 8)) {
		*mode = a + 8;
	} else if (!strcmp(a, "--index")) {
		if (*i + 1 >= argc) {
			fprintf(stderr, "%s: --index needs a value (off, on or auto)\n", who);
			return -1;
		}
		*mode = argv[++*i];
	} else {
		return 0;
	}
	return cli_index_check(who, *mode) ? -1 : 1;
}
