// SPDX-License-Identifier: MIT
/*
 * glue_ours.c - our side of the differential harness: the global instance
 * of <memblock/linux.h> configured like the kernel build it is compared
 * with (NUMA with 64 nodes or flat with 1, the same simulated RAM).
 * KH_INDEX=off|on|auto in the environment picks the region index mode
 * (memblock_linux_set_index(); default off, as the layer's).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <memblock/linux.h>

#include "kh.h"

static void pages_freed(void *ctx, unsigned long pfn, unsigned int order)
{
	(void)ctx;
	kh_page_freed(pfn, order);
}

static void pages_reserved(void *ctx, mb_phys_addr_t start, mb_phys_addr_t end, int nid)
{
	(void)ctx;
	kh_page_reserved(start, end, nid);
}

/*
 * Our print sink: every line goes to the comparison log except the NUMA
 * overlap warning, which Linux raises with WARN_ON (a stack dump on
 * stderr, not a printk line).
 */
static void print_line(void *ctx, enum mb_log_level level, const char *line)
{
	(void)ctx;
	(void)level;
	if (!strncmp(line, "WARNING: ", 9))
		return;
	kh_log_line(line);
}

void kh_before_op(void)
{
	memblock_linux_set_caller("CALLER");
}

static int set_index(const char *mode)
{
	static const char *const names[] = {"off", "on", "auto"};
	static const enum mb_index_mode modes[] = {MB_INDEX_OFF, MB_INDEX_ON, MB_INDEX_AUTO};

	for (size_t i = 0; mode && i < 3; i++) {
		if (strcmp(mode, names[i]))
			continue;
		if (!memblock_linux_set_index(modes[i]))
			return 0;
		fprintf(stderr, "kharness: memblock_linux_set_index(%s) failed\n", mode);
		return -1;
	}
	if (!mode)
		return 0;
	fprintf(stderr, "kharness: KH_INDEX must be off, on or auto, not '%s'\n", mode);
	return -1;
}

int kh_setup(bool numa, bool movable, bool mirror, const char *profile)
{
	struct mb_config cfg;
	void *buf = kh_window_map();

	if (!buf)
		return -1;
	memblock_linux_default_config(&cfg);
	cfg.profile = mb_profile_by_name(profile);
	if (!cfg.profile) {
		fprintf(stderr, "kharness: unknown profile %s\n", profile);
		return -1;
	}
	cfg.numa = numa;
	cfg.max_numnodes = numa ? 64 : 1;
	cfg.movable_node = movable;
	cfg.mirrored_kernelcore = mirror;
	cfg.debug = true;
	cfg.ops.print = print_line;
	cfg.callers.alloc_range_nid = "CALLER";
	cfg.callers.alloc_internal = "CALLER";
	cfg.callers.double_array = "CALLER";
	cfg.callers.free_all = "CALLER";
	cfg.ops.free_pages = pages_freed;
	cfg.ops.reserved_pages = pages_reserved;
	if (memblock_linux_configure(&cfg)) {
		fprintf(stderr, "kharness: memblock_linux_configure failed\n");
		return -1;
	}
	if (memblock_linux_map_buffer(0, buf, KH_WINDOW + KH_WINDOW_SLACK)) {
		fprintf(stderr, "kharness: memblock_linux_map_buffer failed\n");
		return -1;
	}
	return set_index(getenv("KH_INDEX"));
}

const struct memblock_region *kh_regions(struct memblock_type *type)
{
	return mb_type_regions(&memblock, type);
}

struct memblock_type *kh_physmem(void)
{
	return &memblock.physmem;
}

int kh_last_error(void)
{
	return memblock_linux_last_error();
}

const char *kh_side(void)
{
	return "ours";
}
