/* SPDX-License-Identifier: MIT */
/*
 * map_out.h - the --html / --svg options of the subcommands and the
 * adapters that turn a boot, a replay or a script run into a struct mbr_map.
 */
#ifndef MEMBLOCK_MAP_OUT_H
#define MEMBLOCK_MAP_OUT_H

#include <stdbool.h>

#include <memblock/render.h>
#include <memblock/sim.h>
#include <memblock/trace.h>

#include "script.h"

struct map_out {
	const char *html; /* --html FILE */
	const char *svg;  /* --svg FILE */
};

#define MAP_OUT_USAGE "[--html FILE] [--svg FILE]"

/* Return: 1 when argv[*i] was --html/--svg (value consumed), 0 when not, -1 without a value. */
int map_out_option(struct map_out *mo, int argc, char **argv, int *i);
bool map_out_wanted(const struct map_out *mo);
/* Write the map (or the diff of a and b) to every file asked for; 0 or -1 (reported). */
int map_out_write(const struct map_out *mo, const char *cmd, const struct mbr_map *a,
		  const struct mbr_map *b);

struct mbr_map *map_of_boot(const struct sim_machine *m, const struct sim_options *opts,
			    const char *title);
struct mbr_map *map_of_replay(const struct mbt_replay *r, const char *path);

/* Attribution of a script run: hook it into script_opts before the run. */
struct map_script {
	struct mbr_map *map;
	struct memblock_region *seen[2]; /* memory, reserved before the line */
	unsigned long nr_seen[2];
	int err;
};

void map_script_hook(struct map_script *ms, struct script_opts *opts);
struct mbr_map *map_script_finish(struct map_script *ms, const struct memblock *mb,
				  const char *path);

#endif
