/* SPDX-License-Identifier: MIT */
/*
 * fw_test.h - shared fixture of the firmware front-end tests: an instance
 * with static arrays and a sink that keeps every printed line.
 */
#ifndef FW_TEST_H
#define FW_TEST_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <memblock/fw.h>
#include <memblock/memblock.h>

#define FWT_LINES    512
#define FWT_LINE_LEN 256

struct fwt {
	struct memblock mb;
	struct memblock_region memory[MB_INIT_REGIONS];
	struct memblock_region reserved[MB_INIT_REGIONS];
	char lines[FWT_LINES][FWT_LINE_LEN];
	int nr_lines;
};

static inline void fwt_print(void *ctx, enum mb_log_level level, const char *line)
{
	struct fwt *t = ctx;

	(void)level;
	if (t->nr_lines < FWT_LINES)
		snprintf(t->lines[t->nr_lines++], FWT_LINE_LEN, "%s", line);
}

/* A NUMA x86-like instance; @debug = memblock=debug. */
static inline struct fwt *fwt_new(bool debug)
{
	struct fwt *t = calloc(1, sizeof(*t));
	struct mb_config cfg;

	assert_non_null(t);
	mb_config_default(&cfg);
	cfg.numa = true;
	cfg.debug = debug;
	cfg.memory_regions = t->memory;
	cfg.memory_max = MB_INIT_REGIONS;
	cfg.reserved_regions = t->reserved;
	cfg.reserved_max = MB_INIT_REGIONS;
	cfg.grow_policy = MB_GROW_FIXED;
	cfg.ops.print = fwt_print;
	cfg.ops.print_ctx = t;
	assert_int_equal(mb_init(&t->mb, &cfg), 0);
	return t;
}

static inline void fwt_clear(struct fwt *t)
{
	t->nr_lines = 0;
}

/* Compare every captured line with @expect (NULL-terminated). */
static inline void fwt_expect_lines(const struct fwt *t, const char *const *expect)
{
	int n = 0;

	for (; expect[n]; n++) {
		if (n >= t->nr_lines)
			fail_msg("missing line %d: expected \"%s\"", n, expect[n]);
		if (strcmp(t->lines[n], expect[n]))
			fail_msg("line %d:\n  got      \"%s\"\n  expected \"%s\"", n, t->lines[n],
				 expect[n]);
	}
	if (n != t->nr_lines)
		fail_msg("extra line %d: \"%s\"", n, t->lines[n]);
}

/* Does any captured line contain @needle? */
static inline bool fwt_has(const struct fwt *t, const char *needle)
{
	for (int i = 0; i < t->nr_lines; i++)
		if (strstr(t->lines[i], needle))
			return true;
	return false;
}

/* Snapshot of memory and reserved to check "allocator unchanged". */
struct fwt_snap {
	unsigned long mcnt, rcnt;
	mb_phys_addr_t msize, rsize;
	struct memblock_region m[MB_INIT_REGIONS], r[MB_INIT_REGIONS];
};

static inline void fwt_snap(const struct fwt *t, struct fwt_snap *s)
{
	memset(s, 0, sizeof(*s));
	s->mcnt = t->mb.memory.cnt;
	s->rcnt = t->mb.reserved.cnt;
	s->msize = t->mb.memory.total_size;
	s->rsize = t->mb.reserved.total_size;
	memcpy(s->m, t->mb.memory.regions, sizeof(s->m[0]) * s->mcnt);
	memcpy(s->r, t->mb.reserved.regions, sizeof(s->r[0]) * s->rcnt);
}

static inline void fwt_assert_same(const struct fwt *t, const struct fwt_snap *s)
{
	struct fwt_snap now;

	fwt_snap(t, &now);
	assert_memory_equal(&now, s, sizeof(now));
}

#endif /* FW_TEST_H */
