// SPDX-License-Identifier: MIT
/*
 * cmp.c - compares the driver output of the kernel side and ours.
 *
 * usage: kh-cmp LINUX_OUTPUT OURS_OUTPUT
 * exit 0: identical; 3: identical up to the documented deliberate
 * difference (an operation that failed on both sides after Linux had
 * already doubled an array: Linux keeps that doubling, we change nothing;
 * the rest of the script is not compared); 1: a difference, described on
 * stdout; 2: usage or I/O error. The last line of stdout is always
 * "ops N": the number of operations found identical.
 */
#define _POSIX_C_SOURCE 200809L /* getline, strdup */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct text {
	char **lines;
	size_t cnt;
};

static int load(const char *path, struct text *t)
{
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0, alloc = 0;
	ssize_t len;

	if (!f) {
		perror(path);
		return -1;
	}
	t->lines = NULL;
	t->cnt = 0;
	while ((len = getline(&line, &cap, f)) >= 0) {
		if (len && line[len - 1] == '\n')
			line[len - 1] = '\0';
		if (t->cnt == alloc) {
			alloc = alloc ? alloc * 2 : 1024;
			t->lines = realloc(t->lines, alloc * sizeof(*t->lines));
			if (!t->lines)
				return -1;
		}
		t->lines[t->cnt++] = strdup(line);
	}
	free(line);
	fclose(f);
	return 0;
}

/* [*start, *end) = lines of the block that begins at *start. */
static void block(const struct text *t, size_t start, size_t *end)
{
	size_t i = start + 1;

	while (i < t->cnt && t->lines[i][0] != '#')
		i++;
	*end = i;
}

static const char *line_with(const struct text *t, size_t start, size_t end, const char *tag)
{
	for (size_t i = start; i < end; i++)
		if (!strncmp(t->lines[i], tag, strlen(tag)))
			return t->lines[i];
	return "";
}

/* "M cnt/max total ...": the max field. */
static unsigned long max_of(const char *line)
{
	const char *slash = strchr(line, '/');

	return slash ? strtoul(slash + 1, NULL, 10) : 0;
}

/* "M cnt/max ...": the cnt field. */
static unsigned long cnt_of(const char *line)
{
	return strlen(line) > 2 ? strtoul(line + 2, NULL, 10) : 0;
}

/* The state lines of a block are equal to those of another block. */
static int same_state(const struct text *t, size_t as, size_t ae, size_t bs, size_t be)
{
	static const char *const tags[] = {"M ", "R ", "P ", "S "};

	for (int i = 0; i < 4; i++)
		if (strcmp(line_with(t, as, ae, tags[i]), line_with(t, bs, be, tags[i])))
			return 0;
	return 1;
}

/*
 * Linux's void calls (cap, enforce, trim...) go on after a failed step
 * and fail again ("Failed to double" once more); ours stops at the first
 * failure. True when ours' log lines are Linux's minus such repeats.
 */
static int only_more_growth_failures(const struct text *k, size_t ks, size_t ke,
				     const struct text *o, size_t os, size_t oe)
{
	static const char repeat[] = "L memblock: Failed to double ";
	size_t ki = ks, oi = os;
	int extra = 0;

	for (;;) {
		while (ki < ke && strncmp(k->lines[ki], "L ", 2))
			ki++;
		while (oi < oe && strncmp(o->lines[oi], "L ", 2))
			oi++;
		if (ki == ke)
			return oi == oe && extra;
		if (oi < oe && !strcmp(k->lines[ki], o->lines[oi])) {
			ki++;
			oi++;
			continue;
		}
		if (strncmp(k->lines[ki], repeat, sizeof(repeat) - 1))
			return 0;
		extra++;
		ki++;
	}
}

/*
 * The documented deliberate difference: a call that fails changes nothing
 * on our side, while Linux keeps what it did before the failure (a first
 * array doubling when a second one fails; the memory part of
 * enforce/cap when the reserved part cannot grow its array). Recognised
 * when: both sides report the same result; ours recorded a growth-type
 * error (-MB_ENOMEM or -MB_ENOSPC) and its state is the one before the
 * call; Linux shows the trace of a growth problem (a larger array, or an
 * array still full).
 */
static int deliberate(const struct text *k, size_t ks, size_t ke, const struct text *o, size_t ops,
		      size_t ope, size_t os, size_t oe)
{
	static const char *const tags[] = {"M ", "R ", "P "};
	const char *err = line_with(o, os, oe, "E ");
	int growth_trace = 0;

	if (strcmp(line_with(k, ks, ke, "= "), line_with(o, os, oe, "= ")))
		return 0;
	if (strcmp(err, "E -1") && strcmp(err, "E -4"))
		return 0;
	/* Equal states: only Linux going on after the failure may differ. */
	if (!strcmp(line_with(k, ks, ke, "M "), line_with(o, os, oe, "M ")) &&
	    !strcmp(line_with(k, ks, ke, "R "), line_with(o, os, oe, "R ")) &&
	    !strcmp(line_with(k, ks, ke, "P "), line_with(o, os, oe, "P ")))
		return only_more_growth_failures(k, ks, ke, o, os, oe);
	if (ops == ope || !same_state(o, ops, ope, os, oe))
		return 0;
	for (int i = 0; i < 3; i++) {
		const char *kl = line_with(k, ks, ke, tags[i]);
		unsigned long kmax = max_of(kl);
		unsigned long omax = max_of(line_with(o, os, oe, tags[i]));

		if (kmax < omax)
			return 0;
		if (kmax > omax || cnt_of(kl) + 1 >= kmax)
			growth_trace = 1;
	}
	return growth_trace;
}

/* Blocks equal, ignoring the "E" lines only our side prints. */
static int same_block(const struct text *k, size_t ks, size_t ke, const struct text *o, size_t os,
		      size_t oe)
{
	for (;;) {
		while (ks < ke && !strncmp(k->lines[ks], "E ", 2))
			ks++;
		while (os < oe && !strncmp(o->lines[os], "E ", 2))
			os++;
		if (ks == ke || os == oe)
			return ks == ke && os == oe;
		if (strcmp(k->lines[ks], o->lines[os]))
			return 0;
		ks++;
		os++;
	}
}

static void release(struct text *t)
{
	for (size_t i = 0; i < t->cnt; i++)
		free(t->lines[i]);
	free(t->lines);
}

static void show(const char *side, const char *line)
{
	printf("  %-5s %.400s%s\n", side, line, strlen(line) > 400 ? " ..." : "");
}

static int report(const struct text *k, size_t ks, size_t ke, const struct text *o, size_t os,
		  size_t oe)
{
	int shown = 0;

	printf("first difference at %s\n", ks < k->cnt ? k->lines[ks] : o->lines[os]);
	while (shown < 4 && (ks < ke || os < oe)) {
		const char *kl, *ol;

		/* Pair the lines both sides print: skip our "E" lines. */
		if (os < oe && !strncmp(o->lines[os], "E ", 2)) {
			os++;
			continue;
		}
		kl = ks < ke ? k->lines[ks++] : "(nothing)";
		ol = os < oe ? o->lines[os++] : "(nothing)";
		if (!strcmp(kl, ol))
			continue;
		show("linux", kl);
		show("ours", ol);
		shown++;
	}
	return 1;
}

int main(int argc, char **argv)
{
	struct text k, o;
	size_t ks = 0, os = 0, ke, oe;
	size_t prev_os = 0, prev_oe = 0;
	unsigned long same_ops = 0;
	int status = 0;

	if (argc != 3) {
		fprintf(stderr, "usage: kh-cmp LINUX_OUTPUT OURS_OUTPUT\n");
		return 2;
	}
	if (load(argv[1], &k) || load(argv[2], &o)) {
		release(&k);
		release(&o);
		return 2;
	}
	while (ks < k.cnt || os < o.cnt) {
		if (ks >= k.cnt || os >= o.cnt) {
			printf("first difference: %s output ends early (crash?) near %s\n",
			       ks >= k.cnt ? "linux" : "ours",
			       ks >= k.cnt ? o.lines[os] : k.lines[ks]);
			status = 1;
			break;
		}
		block(&k, ks, &ke);
		block(&o, os, &oe);
		if (!same_block(&k, ks, ke, &o, os, oe)) {
			if (deliberate(&k, ks, ke, &o, prev_os, prev_oe, os, oe)) {
				printf("deliberate difference at %s\n", k.lines[ks]);
				status = 3;
			} else {
				status = report(&k, ks, ke, &o, os, oe);
			}
			break;
		}
		same_ops++;
		prev_os = os;
		prev_oe = oe;
		ks = ke;
		os = oe;
	}
	printf("ops %lu\n", same_ops);
	release(&k);
	release(&o);
	return status;
}
