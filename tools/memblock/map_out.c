// SPDX-License-Identifier: MIT
/*
 * map_out.c - wire --html / --svg to the renderer (src/render).
 *
 * A boot is drawn from a second, silent boot of the same machine with the
 * memblock trace on from the first call, so every reservation has its
 * caller even when the machine's own log starts late. A replay is drawn
 * from its final state and the log's trace lines; a script run from the
 * state change each line made.
 */
#define _POSIX_C_SOURCE 200809L /* open_memstream, strndup */
#include <stdlib.h>
#include <string.h>

#include "map_out.h"

int map_out_option(struct map_out *mo, int argc, char **argv, int *i)
{
	const char *arg = argv[*i];
	const char **slot = NULL;
	size_t len = 0;

	if (!strncmp(arg, "--html", 6))
		slot = &mo->html, len = 6;
	else if (!strncmp(arg, "--svg", 5))
		slot = &mo->svg, len = 5;
	if (!slot || (arg[len] && arg[len] != '='))
		return 0;
	if (arg[len] == '=') {
		*slot = arg + len + 1;
		return **slot ? 1 : -1;
	}
	if (*i + 1 >= argc)
		return -1;
	*slot = argv[++*i];
	return 1;
}

bool map_out_wanted(const struct map_out *mo)
{
	return mo->html || mo->svg;
}

int map_out_write(const struct map_out *mo, const char *cmd, const struct mbr_map *a,
		  const struct mbr_map *b)
{
	const char *paths[2] = { mo->svg, mo->html };
	char err[600];

	if (!a) {
		fprintf(stderr, "memblock %s: out of memory drawing the map\n", cmd);
		return -1;
	}
	for (int f = 0; f < 2; f++) {
		if (!paths[f])
			continue;
		if (mbr_write_file(a, b, paths[f], f ? MBR_HTML : MBR_SVG, err, sizeof(err))) {
			fprintf(stderr, "memblock %s: %s\n", cmd, err);
			return -1;
		}
	}
	return 0;
}

/* ---- Boots ---- */

struct capture {
	FILE *mem;
};

static void capture_line(void *ctx, enum sim_line_kind kind, const char *text)
{
	struct capture *cap = ctx;

	(void)kind;
	fputs(text, cap->mem);
	fputc('\n', cap->mem);
}

/* The site names of a machine say what its callers reserve. */
static int machine_hints(struct mbr_map *map, const struct sim_machine *m)
{
	int ret = 0;

	for (int i = 0; i < m->nr_callers && !ret; i++) {
		const char *site = m->callers[i].site, *dot = strrchr(site, '.');
		enum mbr_kind kind =
			dot && !strcmp(dot, ".kernel") ? MBR_KIND_KERNEL : mbr_kind_of_caller(site);

		if (kind != MBR_KIND_OTHER)
			ret = mbr_map_caller_kind(map, m->callers[i].label, kind);
	}
	if (!ret && m->kernel.end > m->kernel.start)
		ret = mbr_map_hint(map, m->kernel.start, m->kernel.end - m->kernel.start,
				   MBR_KIND_KERNEL);
	if (!ret)
		ret = mbr_map_hint(map, m->dtb_base, m->dtb_size, MBR_KIND_DTB);
	if (!ret)
		ret = mbr_map_hint(map, m->initrd_base, m->initrd_size, MBR_KIND_INITRD);
	return ret;
}

static int fill_from_boot(struct mbr_map *map, const struct sim_boot *b, const char *log,
			  size_t len)
{
	const struct sim_machine *bm = sim_boot_machine(b);

	if (mbr_map_set_state(map, sim_boot_memblock(b)) || machine_hints(map, bm))
		return -1;
	return mbr_map_feed_log(map, log, len) ? -1 : 0;
}

struct mbr_map *map_of_boot(const struct sim_machine *m, const struct sim_options *opts,
			    const char *title)
{
	struct sim_machine *traced = malloc(sizeof(*traced));
	struct capture cap = { NULL };
	struct sim_sink sink = { capture_line, &cap };
	struct sim_boot *b = NULL;
	struct mbr_map *map = NULL;
	char *log = NULL, subtitle[SIM_CMDLINE_MAX * 2 + 32];
	size_t len = 0;

	if (!traced || !(cap.mem = open_memstream(&log, &len)))
		goto out;
	*traced = *m;
	traced->early_debug = true;
	if (sim_boot(traced, opts, &sink, &b))
		goto out;
	fclose(cap.mem);
	cap.mem = NULL;
	snprintf(subtitle, sizeof(subtitle), "%s: %s%s%s", sim_arch_name(m->arch),
		 sim_boot_machine(b)->cmdline, opts && opts->extra_cmdline ? " " : "",
		 opts && opts->extra_cmdline ? opts->extra_cmdline : "");
	map = mbr_map_new(title, subtitle);
	if (map && fill_from_boot(map, b, log, len)) {
		mbr_map_free(map);
		map = NULL;
	}
out:
	if (cap.mem)
		fclose(cap.mem);
	sim_boot_free(b);
	free(log);
	free(traced);
	return map;
}

/* ---- Replays ---- */

struct mbr_map *map_of_replay(const struct mbt_replay *r, const char *path)
{
	const char *base = strrchr(path, '/');
	char subtitle[256];
	struct mbr_map *map;
	size_t len = 0;
	char *log;

	snprintf(subtitle, sizeof(subtitle), "replay of %s (%s, %lu lines)", path,
		 mbt_replay_profile_name(r)[0] ? mbt_replay_profile_name(r) : "profile detected",
		 mbt_replay_stats(r)->lines);
	map = mbr_map_new(base ? base + 1 : path, subtitle);
	if (!map || mbr_map_set_state(map, mbt_replay_memblock(r)))
		goto fail;
	log = strcmp(path, "-") ? mbt_read_file(path, &len) : NULL;
	if (log && mbr_map_feed_log(map, log, len)) {
		free(log);
		goto fail;
	}
	free(log);
	return map;
fail:
	mbr_map_free(map);
	return NULL;
}

/* ---- Script runs ---- */

/* "@label" of the line, else its first word; the line's text, trimmed. */
static void line_caller(const char *text, char *caller, size_t len, char *source, size_t srclen)
{
	const char *p = text + strspn(text, " \t"), *at = strchr(p, '@');
	size_t n;

	if (at) {
		n = strcspn(at + 1, " \t\r\n#");
		snprintf(caller, len, "%.*s", (int)n, at + 1);
	} else {
		snprintf(caller, len, "%.*s", (int)strcspn(p, " \t\r\n#"), p);
	}
	n = strcspn(p, "\r\n");
	snprintf(source, srclen, "%.*s", (int)n, p);
}

static bool same_region(const struct memblock_region *a, const struct memblock_region *b)
{
	return a->base == b->base && a->size == b->size && a->flags == b->flags && a->nid == b->nid;
}

/* Attribute what the new regions [from, to) cover and the old ones did not. */
static int attribute_new(struct map_script *ms, int t, const struct memblock_region *now,
			 unsigned long from, unsigned long to, unsigned long old_from,
			 unsigned long old_to, unsigned long line, const char *text)
{
	const struct memblock_region *old = ms->seen[t];
	char caller[128], source[200];
	unsigned long j = old_from;

	line_caller(text, caller, sizeof(caller), source, sizeof(source));
	for (unsigned long i = from; i < to; i++) {
		uint64_t pos = now[i].base, end = (uint64_t)now[i].base + now[i].size;

		for (; j < old_to && (uint64_t)old[j].base + old[j].size <= pos; j++)
			;
		for (unsigned long k = j; pos < end; k++) {
			uint64_t stop = k < old_to && old[k].base < end ? old[k].base : end;

			if (stop > pos && mbr_map_attribute(ms->map, t == 1, pos, stop - pos,
							    caller, (unsigned int)line, source))
				return -1;
			if (k >= old_to || old[k].base >= end)
				break;
			pos = (uint64_t)old[k].base + old[k].size;
		}
	}
	return 0;
}

static int observe(struct map_script *ms, int t, const struct memblock *mb,
		   const struct memblock_type *type, unsigned long line, const char *text)
{
	const struct memblock_region *rgn = type->regions ? mb_type_regions(mb, type) : NULL;
	unsigned long n_new = rgn ? type->cnt : 0, n_old = ms->nr_seen[t], pre = 0, suf = 0;
	struct memblock_region *copy;

	while (pre < n_new && pre < n_old && same_region(&rgn[pre], &ms->seen[t][pre]))
		pre++;
	if (pre == n_new && n_new == n_old)
		return 0;
	while (suf < n_new - pre && suf < n_old - pre &&
	       same_region(&rgn[n_new - 1 - suf], &ms->seen[t][n_old - 1 - suf]))
		suf++;
	if (attribute_new(ms, t, rgn, pre, n_new - suf, pre, n_old - suf, line, text))
		return -1;
	copy = realloc(ms->seen[t], (n_new + 1) * sizeof(*copy));
	if (!copy)
		return -1;
	if (n_new)
		memcpy(copy, rgn, n_new * sizeof(*copy));
	ms->seen[t] = copy;
	ms->nr_seen[t] = n_new;
	return 0;
}

static void script_line_done(void *arg, const struct memblock *mb, unsigned long line,
			     const char *text)
{
	struct map_script *ms = arg;

	if (ms->err || !ms->map)
		return;
	if (observe(ms, 0, mb, &mb->memory, line, text) || observe(ms, 1, mb, &mb->reserved, line, text))
		ms->err = -1;
}

void map_script_hook(struct map_script *ms, struct script_opts *opts)
{
	memset(ms, 0, sizeof(*ms));
	ms->map = mbr_map_new(NULL, NULL);
	ms->err = ms->map ? 0 : -1;
	opts->line_done = script_line_done;
	opts->line_done_arg = ms;
}

struct mbr_map *map_script_finish(struct map_script *ms, const struct memblock *mb,
				  const char *path)
{
	struct mbr_map *map = ms->map;
	char title[512];

	free(ms->seen[0]);
	free(ms->seen[1]);
	ms->map = NULL;
	if (!map)
		return NULL;
	snprintf(title, sizeof(title), "%s", path);
	if (ms->err || mbr_map_set_state(map, mb)) {
		mbr_map_free(map);
		return NULL;
	}
	mbr_map_set_titles(map, title, "memblock run: the instance after the script");
	return map;
}
