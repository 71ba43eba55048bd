/* SPDX-License-Identifier: MIT */
/*
 * zones.c - free_area_init() as far as memblock shows through it
 * (mm/mm_init.c): the zone boundaries, the early node map, the per node
 * "Initmem setup" lines, the memmap of holes ("pages in unavailable
 * ranges") and the page totals later steps size themselves on.
 */
#include <stdlib.h>

#include "sim_internal.h"

#define MAX_PFN_RANGES 512

struct pfn_range {
	unsigned long start, end;
	int nid;
};

struct zone_span {
	unsigned long lo, hi; /* arch_zone_lowest/highest_possible_pfn */
};

static int valid_nid(const struct sim_boot *b, int nid)
{
	return (!b->numa || nid < 0 || nid >= SIM_MAX_NODES) ? 0 : nid;
}

static size_t collect_ranges(const struct sim_boot *b, struct pfn_range *r, size_t max)
{
	unsigned long start, end;
	size_t n = 0;
	int i, nid;

	/* free_area_init() walks MAX_NUMNODES: "every node" in all kernel versions. */
	mb_for_each_mem_pfn_range(&b->mb, i, b->mb.cfg.max_numnodes, &start, &end, &nid) {
		if (n == max)
			break;
		r[n++] = (struct pfn_range){ start, end, valid_nid(b, nid) };
	}
	return n;
}

static void zone_spans(const struct sim_boot *b, unsigned long start, struct zone_span *z)
{
	for (int i = 0; i < b->nr_zones; i++) {
		unsigned long end = b->zone_max_pfn[i] > start ? b->zone_max_pfn[i] : start;

		z[i].lo = start;
		z[i].hi = end;
		start = end;
	}
}

static void print_zones(struct sim_boot *b, const struct zone_span *z)
{
	simi_printk(b, SIM_LINE_KERNEL, "Zone ranges:");
	for (int i = 0; i < b->nr_zones; i++) {
		if (z[i].lo == z[i].hi)
			simi_printk(b, SIM_LINE_KERNEL, "  %-8s empty", b->zone_names[i]);
		else
			simi_printk(b, SIM_LINE_KERNEL, "  %-8s [mem 0x%016llx-0x%016llx]",
				   b->zone_names[i], (unsigned long long)z[i].lo << 12,
				   ((unsigned long long)z[i].hi << 12) - 1);
	}
	simi_printk(b, SIM_LINE_KERNEL, "Movable zone start for each node");
}

static void print_node_map(struct sim_boot *b, const struct pfn_range *r, size_t n)
{
	simi_printk(b, SIM_LINE_KERNEL, "Early memory node ranges");
	for (size_t i = 0; i < n; i++)
		simi_printk(b, SIM_LINE_KERNEL, "  node %3d: [mem 0x%016llx-0x%016llx]", r[i].nid,
			   (unsigned long long)r[i].start << 12,
			   ((unsigned long long)r[i].end << 12) - 1);
}

static bool section_present(const struct sim_boot *b, uint64_t section)
{
	const struct memblock_region *r;
	uint64_t lo = section << b->section_bits, hi = (section + 1) << b->section_bits;

	mb_for_each_mem_region(&b->mb, r)
		if (r->size && r->base < hi && r->base + r->size > lo)
			return true;
	return false;
}

/* init_unavailable_range(): holes whose section has a memmap. */
static void unavailable(struct sim_boot *b, unsigned long spfn, unsigned long epfn, int zone,
			int nid)
{
	unsigned int shift = b->section_bits ? b->section_bits - 12 : 0;
	unsigned long long count = 0;

	if (!shift) {
		count = epfn - spfn; /* FLATMEM: the whole map exists */
	} else {
		for (uint64_t s = spfn >> shift; s <= (epfn - 1) >> shift; s++) {
			unsigned long lo = (unsigned long)(s << shift), hi = lo + (1ul << shift);

			if (!section_present(b, s))
				continue;
			count += (hi < epfn ? hi : epfn) - (lo > spfn ? lo : spfn);
		}
	}
	if (count && b->m.profile != MB_PROFILE_LINUX_4_X)
		simi_printk(b, SIM_LINE_KERNEL, "On node %d, zone %s: %llu pages in unavailable ranges",
			   nid, b->zone_names[zone], count);
}

/* memmap_init(): walk ranges and zones, report the holes between them. */
static void memmap_init(struct sim_boot *b, const struct pfn_range *r, size_t n,
			const struct zone_span *z)
{
	unsigned long hole = 0, end;
	int zone = 0, nid = 0;

	for (size_t i = 0; i < n; i++) {
		for (int j = 0; j < b->nr_zones; j++) {
			unsigned long s = r[i].start, e = r[i].end;

			s = s < z[j].lo ? z[j].lo : (s > z[j].hi ? z[j].hi : s);
			e = e < z[j].lo ? z[j].lo : (e > z[j].hi ? z[j].hi : e);
			if (s >= e)
				continue;
			if (hole < s)
				unavailable(b, hole, s, j, r[i].nid);
			hole = e;
			zone = j;
			nid = r[i].nid;
		}
	}
	if (!n)
		return;
	end = r[n - 1].end;
	if (b->section_bits)
		end = (unsigned long)sim_round_up(end, 1ull << (b->section_bits - 12));
	if (hole < end)
		unavailable(b, hole, end, zone, nid);
}

unsigned long simi_memmap_pages(const struct sim_boot *b, unsigned long spanned,
			       unsigned long present)
{
	unsigned long pages = spanned;

	if (b->section_bits && spanned > present + (present >> 4))
		pages = present;
	return (unsigned long)(sim_round_up((uint64_t)pages * b->m.page_struct_size, 4096) >> 12);
}

/* free_area_init_core(): present, spanned and managed pages per zone. */
static void account(struct sim_boot *b, const struct pfn_range *r, size_t n,
		    const struct zone_span *z, int nid, unsigned long nstart, unsigned long nend)
{
	for (int j = 0; j < b->nr_zones; j++) {
		unsigned long lo = z[j].lo > nstart ? z[j].lo : nstart;
		unsigned long hi = z[j].hi < nend ? z[j].hi : nend;
		unsigned long present = 0, spanned = hi > lo ? hi - lo : 0, memmap;

		for (size_t i = 0; i < n; i++) {
			unsigned long s = r[i].start > lo ? r[i].start : lo;
			unsigned long e = r[i].end < hi ? r[i].end : hi;

			if (r[i].nid == nid && e > s)
				present += e - s;
		}
		memmap = simi_memmap_pages(b, spanned, present);
		b->stats.present_pages += present;
		b->stats.node_present[nid] += present;
		if (present >= memmap)
			present -= memmap;
		b->nr_kernel_pages += present;
		b->nr_all_pages += present;
		b->total_pages += present;
	}
}

/* free_area_init_node() of a possible node without memory. */
static void memoryless_node(struct sim_boot *b, int nid)
{
	if (!b->node_possible[nid] || b->quiet_zones)
		return;
	if (b->m.profile == MB_PROFILE_LINUX_6_12)
		simi_printk(b, SIM_LINE_KERNEL, "Initmem setup node %d as memoryless", nid);
	else
		simi_printk(b, SIM_LINE_KERNEL,
			   "Initmem setup node %d [mem 0x0000000000000000-0x0000000000000000]", nid);
}

static void init_nodes(struct sim_boot *b, const struct pfn_range *r, size_t n,
		       const struct zone_span *z)
{
	for (int nid = 0; nid < SIM_MAX_NODES; nid++) {
		unsigned long nstart = ~0ul, nend = 0;

		for (size_t i = 0; i < n; i++) {
			if (r[i].nid != nid)
				continue;
			nstart = r[i].start < nstart ? r[i].start : nstart;
			nend = r[i].end > nend ? r[i].end : nend;
		}
		if (nend <= nstart) {
			memoryless_node(b, nid);
			continue;
		}
		b->nr_nodes = nid + 1;
		if (!b->quiet_zones)
				simi_printk(b, SIM_LINE_KERNEL,
				   "Initmem setup node %d [mem 0x%016llx-0x%016llx]", nid,
				   (unsigned long long)nstart << 12,
				   ((unsigned long long)nend << 12) - 1);
		account(b, r, n, z, nid, nstart, nend);
	}
	b->stats.nr_nodes = b->nr_nodes;
}

void simi_free_area_init(struct sim_boot *b)
{
	struct pfn_range *r = calloc(MAX_PFN_RANGES, sizeof(*r));
	struct zone_span z[4];
	size_t n;

	if (!r)
		return;
	n = collect_ranges(b, r, MAX_PFN_RANGES);
	zone_spans(b, n ? r[0].start : 0, z);
	if (!b->quiet_zones) {
		print_zones(b, z);
		print_node_map(b, r, n);
	}
	init_nodes(b, r, n, z);
	memmap_init(b, r, n, z);
	free(r);
}
