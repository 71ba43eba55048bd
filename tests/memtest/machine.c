/* SPDX-License-Identifier: MIT */
/* machine.c - the memtest tests' machine (see machine.h). */
#define _DEFAULT_SOURCE /* strdup */

#include <setjmp.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "machine.h"

static void capture_line(void *ctx, enum mb_log_level level, const char *line)
{
	struct machine *m = ctx;

	(void)level;
	assert_true(m->nr_lines < MACHINE_MAX_LINES);
	m->lines[m->nr_lines] = strdup(line);
	assert_non_null(m->lines[m->nr_lines]);
	m->nr_lines++;
}

struct machine *machine_new(void)
{
	struct machine *m = calloc(1, sizeof(*m));
	struct mb_config cfg;

	assert_non_null(m);
	assert_int_equal(mb_simram_create(&m->ram), 0);
	mb_config_default(&cfg);
	cfg.memory_regions = m->memory;
	cfg.memory_max = MACHINE_REGIONS;
	cfg.reserved_regions = m->reserved;
	cfg.reserved_max = MACHINE_REGIONS;
	cfg.ops.print = capture_line;
	cfg.ops.print_ctx = m;
	mb_simram_install(m->ram, &cfg.ops);
	assert_int_equal(mb_init(&m->mb, &cfg), 0);
	return m;
}

void machine_clear_lines(struct machine *m)
{
	for (size_t i = 0; i < m->nr_lines; i++)
		free(m->lines[i]);
	m->nr_lines = 0;
}

void machine_free(struct machine *m)
{
	machine_clear_lines(m);
	mb_simram_destroy(m->ram);
	free(m);
}

void machine_add(struct machine *m, mb_phys_addr_t base, mb_phys_addr_t size)
{
	assert_int_equal(mb_add(&m->mb, base, size), 0);
	assert_int_equal(mb_simram_add(m->ram, base, size), 0);
}

void machine_expect_lines(const struct machine *m, const char *const *expected, size_t n)
{
	for (size_t i = 0; i < n && i < m->nr_lines; i++) {
		if (strcmp(m->lines[i], expected[i]))
			fail_msg("line %zu:\n got '%s'\nwant '%s'", i, m->lines[i], expected[i]);
	}
	if (m->nr_lines != n) {
		for (size_t i = 0; i < m->nr_lines; i++)
			print_message("got[%zu] %s\n", i, m->lines[i]);
		fail_msg("%zu lines printed, %zu expected", m->nr_lines, n);
	}
}

void machine_expect_reserved(const struct machine *m, const mb_phys_addr_t (*ranges)[2], size_t n)
{
	const struct memblock_type *rsv = &m->mb.reserved;
	bool same = rsv->cnt == n;

	for (size_t i = 0; same && i < n; i++)
		same = rsv->regions[i].base == ranges[i][0] &&
		       rsv->regions[i].base + rsv->regions[i].size == ranges[i][1];
	if (same)
		return;
	for (size_t i = 0; i < rsv->cnt; i++)
		print_message("reserved[%zu] %#llx-%#llx\n", i,
			      (unsigned long long)rsv->regions[i].base,
			      (unsigned long long)(rsv->regions[i].base + rsv->regions[i].size));
	fail_msg("reserved regions differ (%lu, %zu expected)", rsv->cnt, n);
}
