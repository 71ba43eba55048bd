/* SPDX-License-Identifier: MIT */
/* json_out.c - the --json document envelope and its value encodings. */
#define _POSIX_C_SOURCE 200809L /* fdopen, dup */
#include <inttypes.h>
#include <unistd.h>


#include "json_out.h"

FILE *json_doc_open(const char *command)
{
	FILE *doc = NULL;
	int fd;

	fflush(stdout);
	fd = dup(STDOUT_FILENO);
	if (fd >= 0) {
		doc = fdopen(fd, "w");
		if (!doc)
			close(fd);
	}
	if (doc && dup2(STDERR_FILENO, STDOUT_FILENO) < 0) {
		fclose(doc);
		doc = NULL;
	}
	if (!doc)
		doc = stdout;
	fprintf(doc, "{\"schema\":\"memblock-json\",\"schema_version\":%d,\"command\":",
		JSON_SCHEMA_VERSION);
	mb_json_string(doc, command);
	return doc;
}

void json_doc_close(FILE *doc, int status)
{
	fprintf(doc, ",\"exit\":%d}\n", status);
	fflush(stdout);
	if (doc != stdout)
		fclose(doc);
	else
		fflush(doc);
}
