// SPDX-License-Identifier: MIT
/*
 * dts.c - compile a .dts given to the CLI with dtc, so the libraries stay
 * bytes in, result out and never spawn a process.
 */
#define _POSIX_C_SOURCE 200809L /* popen, mkstemp */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dts.h"

#define DTS_MAX 8 /* .dts inputs of one command */

static char tmp_paths[DTS_MAX][64];
static int nr_tmp;

static void remove_tmp(void)
{
	for (int i = 0; i < nr_tmp; i++)
		unlink(tmp_paths[i]);
}

static bool is_dts(const char *path)
{
	size_t n = strlen(path);

	return n >= 4 && !strcmp(path + n - 4, ".dts");
}

/* A fresh temporary file name in tmp_paths[nr_tmp]; false when none. */
static bool new_tmp(void)
{
	const char *dir = getenv("TMPDIR");
	char *p = tmp_paths[nr_tmp];
	int fd;

	if (nr_tmp >= DTS_MAX)
		return false;
	if (!dir || !*dir || strlen(dir) > 40)
		dir = "/tmp";
	snprintf(p, sizeof(tmp_paths[0]), "%s/memblock-XXXXXX", dir);
	fd = mkstemp(p);
	if (fd < 0)
		return false;
	close(fd);
	if (!nr_tmp)
		atexit(remove_tmp);
	nr_tmp++;
	return true;
}

/* Run dtc into @out; its messages (stderr too) go to @msg. */
static int run_dtc(const char *in, const char *out, char *msg, size_t msglen)
{
	char cmd[4200];
	FILE *pipe;
	size_t len;

	snprintf(cmd, sizeof(cmd), "dtc -q -I dts -O dtb -o '%s' '%s' 2>&1", out, in);
	pipe = popen(cmd, "r");
	if (!pipe)
		return -1;
	len = fread(msg, 1, msglen - 1, pipe);
	msg[len] = '\0';
	return pclose(pipe) ? -1 : 0;
}

const char *cli_dtb_path(const char *cmd, const char *path)
{
	char msg[201];

	if (!path || !is_dts(path))
		return path;
	if (strlen(path) > 4000 || strchr(path, '\'')) {
		fprintf(stderr, "%s: %s: path not usable with dtc\n", cmd, path);
		return NULL;
	}
	if (!new_tmp()) {
		fprintf(stderr, "%s: %s: cannot run dtc\n", cmd, path);
		return NULL;
	}
	if (run_dtc(path, tmp_paths[nr_tmp - 1], msg, sizeof(msg))) {
		fprintf(stderr, "%s: %s: dtc failed: %s\n", cmd, path, msg);
		return NULL;
	}
	return tmp_paths[nr_tmp - 1];
}
