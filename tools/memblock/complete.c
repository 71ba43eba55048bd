/* SPDX-License-Identifier: MIT */
/* complete.c - what may come next on a script line (the shell's Tab key). */
#include <stdio.h>
#include <string.h>

#include "script.h"

static const char *const views[] = {"dump", "debugfs", "iomem", "free", "summary", "json", NULL};
static const char *const debugfs_files[] = {"memory", "reserved", "physmem", NULL};
static const char *const profiles[] = {"linux-6.12", "linux-6.1", "linux-5.4", "linux-4.x", NULL};
static const char *const on_off[] = {"on", "off", NULL};

/* The first two words of @line before @start, and how many there are. */
static int words_before(const char *line, int start, char w[2][48])
{
	int n = 0;
	const char *p = line, *end = line + start;

	while (p < end) {
		size_t len;

		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		len = strcspn(p, " \t");
		if (p + len > end)
			len = (size_t)(end - p);
		if (!len)
			break;
		if (n < 2)
			snprintf(w[n], sizeof(w[n]), "%.*s", (int)len, p);
		n++;
		p += len;
	}
	return n;
}

static const char *from_list(const char *const *list, const char *word, size_t *state)
{
	size_t len = strlen(word);

	for (const char *c; (c = list[*state]); (*state)++)
		if (!strncmp(c, word, len)) {
			(*state)++;
			return c;
		}
	return NULL;
}

static const char *from_fn(const char *(*name)(size_t), const char *prefix, const char *word,
			   size_t *state)
{
	static char buf[64];
	size_t len = strlen(word);

	for (const char *c; (c = name(*state)); (*state)++) {
		snprintf(buf, sizeof(buf), "%s%s", prefix, c);
		if (len <= strlen(buf) && !strncmp(buf, word, len)) {
			(*state)++;
			return buf;
		}
	}
	return NULL;
}

static const char *on_off_key(const char *key)
{
	return !strcmp(key, "numa") || !strcmp(key, "movable_node") ||
			       !strcmp(key, "mirrored_kernelcore") || !strcmp(key, "debug") ||
			       !strcmp(key, "physmem")
		       ? "yes"
		       : NULL;
}

const char *script_complete(const char *line, int start, size_t *state, bool *files)
{
	char w[2][48] = {"", ""};
	const char *word = line + start;
	int n = words_before(line, start, w);

	*files = false;
	if (n == 0)
		return from_fn(script_op_name, "", word, state);
	if (!strncmp(word, "flags=", 6))
		return from_fn(script_flag_name, "flags=", word, state);
	if (!strcmp(w[0], "show") && n == 1)
		return from_list(views, word, state);
	if (!strcmp(w[0], "show") && n == 2 && !strcmp(w[1], "debugfs"))
		return from_list(debugfs_files, word, state);
	if (!strcmp(w[0], "set") && n == 1)
		return from_fn(script_set_key_name, "", word, state);
	if (!strcmp(w[0], "set") && n == 2 && !strcmp(w[1], "profile"))
		return from_list(profiles, word, state);
	if (!strcmp(w[0], "set") && n == 2 && on_off_key(w[1]))
		return from_list(on_off, word, state);
	*files = true;
	return NULL;
}
