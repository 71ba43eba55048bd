// SPDX-License-Identifier: MIT
/* run.c - hosted runner for the freestanding example: prints its output. */
#include <stdio.h>

#include "embed.h"

static void putline(const char *line)
{
	puts(line);
}

int main(void)
{
	int rc = embed_main(putline);

	printf("embed: %s (%d)\n", rc ? "FAILED" : "ok", rc);
	return rc ? 1 : 0;
}
