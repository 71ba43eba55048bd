// SPDX-License-Identifier: MIT
/*
 * cli_budget.c - bounds on long work shared by the subcommands: the
 * --max-pages option and Ctrl-C that stops a long step cleanly.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <inttypes.h>
#include <time.h>

#include <memblock/size.h>

#include "cli.h"
#include "script.h"

int cli_parse_max_pages(const char *who, const char *text, unsigned long *out)
{
	uint64_t v;

	if (mb_size_parse(text, NULL, &v) || v > ULONG_MAX) {
		fprintf(stderr, "%s: --max-pages: bad page count '%s'\n", who, text);
		return -1;
	}
	/* 0 means no limit, the way Linux works: keep it distinct from "unset" */
	*out = v ? (unsigned long)v : ULONG_MAX;
	return 0;
}

/* The first Ctrl-C asks the running step to stop; a second one kills. */
static void on_sigint(int sig)
{
	(void)sig;
	if (script_interrupted)
		_exit(130);
	script_interrupted = 1;
}

void cli_catch_sigint(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_sigint;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
}

/* Free bytes early_memtest walks in [start, end): its free ranges, clamped. */
uint64_t cli_memtest_bytes(const struct memblock *mb, mb_phys_addr_t start, mb_phys_addr_t end)
{
	mb_phys_addr_t s, e;
	uint64_t i, bytes = 0;

	mb_for_each_free_mem_range(mb, i, MB_NUMA_NO_NODE, MB_FLAG_NONE, &s, &e, NULL) {
		if (s < start)
			s = start;
		if (e > end)
			e = end;
		if (s < e)
			bytes += e - s;
	}
	return bytes;
}

/*
 * memtest asks phys_to_virt for a whole free range, then halves the
 * request until it is answered: refusing requests above this makes it
 * work in chunks, between which progress is reported and Ctrl-C noticed.
 */
#define WATCH_CHUNK ((mb_phys_addr_t)64 << 20)

static void *watch_p2v(void *ctx, mb_phys_addr_t phys, mb_phys_addr_t size)
{
	struct cli_watch *w = ctx;
	time_t now;
	void *p;

	if (script_interrupted) {
		w->stopped = true;
		return NULL;
	}
	if (size > WATCH_CHUNK)
		return NULL;
	p = w->p2v(w->ctx, phys, size);
	if (!p)
		return NULL;
	w->done += size;
	now = time(NULL);
	if (now - w->start >= 1 && now != w->last && w->total) {
		w->last = now;
		fprintf(stderr,
			"%s: %" PRIu64 "%% (%" PRIu64 " of %" PRIu64 " MiB; Ctrl-C stops)\n",
			w->who, w->done * 100 / w->total, w->done >> 20, w->total >> 20);
	}
	return p;
}

static mb_phys_addr_t watch_v2p(void *ctx, const void *virt)
{
	struct cli_watch *w = ctx;

	return w->saved_ops.virt_to_phys(w->ctx, virt);
}

static void watch_zero(void *ctx, mb_phys_addr_t phys, mb_phys_addr_t size)
{
	struct cli_watch *w = ctx;

	w->saved_ops.mem_zero(w->ctx, phys, size);
}

static void watch_sync(void *ctx, mb_phys_addr_t phys, mb_phys_addr_t size)
{
	struct cli_watch *w = ctx;

	w->saved_ops.mem_sync(w->ctx, phys, size);
}

void cli_watch_begin(struct cli_watch *w, struct memblock *mb, const char *who, uint64_t total)
{
	struct mb_ops ops = mb_get_config(mb)->ops;

	memset(w, 0, sizeof(*w));
	w->who = who;
	w->total = total;
	w->start = time(NULL);
	w->p2v = ops.phys_to_virt;
	w->ctx = ops.mem_ctx;
	/* the instance keeps one context pointer for every memory op */
	w->saved_ops = ops;
	ops.phys_to_virt = watch_p2v;
	ops.mem_ctx = w;
	ops.virt_to_phys = w->saved_ops.virt_to_phys ? watch_v2p : NULL;
	ops.mem_zero = w->saved_ops.mem_zero ? watch_zero : NULL;
	ops.mem_sync = w->saved_ops.mem_sync ? watch_sync : NULL;
	mb_set_ops(mb, &ops);
}

void cli_watch_end(struct cli_watch *w, struct memblock *mb)
{
	mb_set_ops(mb, &w->saved_ops);
}
