/* SPDX-License-Identifier: MIT */
/*
 * views.h - every way the CLI shows an instance's state.
 *
 * Each view reads a const instance and writes text to a stdio stream; none
 * changes the instance. The kernel-format views (dump, debugfs) go through
 * the core's own formatter so their text is byte for byte what the core
 * would print through ops.print. Used by `memblock run/shell` and by the
 * other subcommands (boot, replay) to show the machine they built.
 */
#ifndef MEMBLOCK_CLI_VIEWS_H
#define MEMBLOCK_CLI_VIEWS_H

#include <stdbool.h>
#include <stdio.h>

#include <memblock/memblock.h>

enum view_id {
	VIEW_DUMP = 0,	       /* "MEMBLOCK configuration:" (memblock_dump_all text) */
	VIEW_DEBUGFS_MEMORY,   /* /sys/kernel/debug/memblock/memory */
	VIEW_DEBUGFS_RESERVED, /* /sys/kernel/debug/memblock/reserved */
	VIEW_DEBUGFS_PHYSMEM,  /* /sys/kernel/debug/memblock/physmem */
	VIEW_IOMEM,	       /* /proc/iomem-style tree */
	VIEW_FREE,	       /* free ranges (memory minus reserved) */
	VIEW_SUMMARY,	       /* human table */
	VIEW_JSON,	       /* one JSON document */
	VIEW_COUNT
};

/* Options shared by the views. */
struct view_opts {
	bool dmesg; /* prefix kernel-log views (dump) with "[    0.000000] " */
};

/**
 * view_lookup() - a view by its script/--show name
 * @name: "dump", "debugfs", "iomem", "free", "summary" or "json";
 *        "debugfs" takes @arg; "memory", "reserved", "physmem" alone are
 *        accepted as the debugfs files too
 * @arg: "memory", "reserved" or "physmem" for debugfs, else NULL
 * @out: the view
 *
 * Return: 0, -1 for an unknown name, -2 for a missing or bad @arg.
 */
int view_lookup(const char *name, const char *arg, enum view_id *out);

/**
 * view_name() - the name view_lookup() accepts for a view
 * @view: view
 *
 * Return: a constant string such as "debugfs reserved".
 */
const char *view_name(enum view_id view);

/**
 * view_show() - print one view
 * @mb: instance (not changed)
 * @view: which view
 * @out: stream
 * @opts: options, NULL for the defaults
 */
void view_show(const struct memblock *mb, enum view_id view, FILE *out,
	       const struct view_opts *opts);

/* The views one by one; same parameters as view_show(). */
void view_dump(const struct memblock *mb, FILE *out, const struct view_opts *opts);
void view_debugfs(const struct memblock *mb, const struct memblock_type *type, FILE *out);
void view_iomem(const struct memblock *mb, FILE *out);
void view_free(const struct memblock *mb, FILE *out);
void view_summary(const struct memblock *mb, FILE *out);
void view_json(const struct memblock *mb, FILE *out);

#endif /* MEMBLOCK_CLI_VIEWS_H */
