// SPDX-License-Identifier: MIT
/* file.c - read a whole log into memory. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "trace_internal.h"

static char *read_stream(FILE *f, size_t *len)
{
	size_t cap = 1 << 16, used = 0, n;
	char *buf = malloc(cap), *grown;

	if (!buf)
		return NULL;
	while ((n = fread(buf + used, 1, cap - used, f)) > 0) {
		used += n;
		if (used < cap)
			continue;
		grown = realloc(buf, cap * 2);
		if (!grown) {
			free(buf);
			errno = ENOMEM;
			return NULL;
		}
		buf = grown;
		cap *= 2;
	}
	if (ferror(f)) {
		free(buf);
		errno = EIO;
		return NULL;
	}
	*len = used;
	return buf;
}

char *mbt_read_file(const char *path, size_t *len)
{
	FILE *f;
	char *buf;
	int err;

	if (!strcmp(path, "-"))
		return read_stream(stdin, len);
	f = fopen(path, "rb");
	if (!f)
		return NULL;
	buf = read_stream(f, len);
	err = errno;
	fclose(f);
	errno = err;
	return buf;
}
