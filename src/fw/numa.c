// SPDX-License-Identifier: MIT
/*
 * numa.c - x86 NUMA setup from an SRAT as Linux 6.12 does it:
 * numa_memblks_init(x86_acpi_numa_init) (drivers/acpi/numa/srat.c,
 * arch/x86/mm/srat.c, mm/numa_memblks.c) and numa_register_nodes().
 */
#include <string.h>

#include "internal.h"

#define MAX_PXM_DOMAINS 256
#define MAX_LOCAL_APIC	32768
#define NUMA_NO_MEMBLK	(-1)

void fw_numa_reset(struct fw_numa *numa, int max_nodes, bool numa_off)
{
	memset(numa, 0, sizeof(*numa));
	numa->max_nodes = max_nodes > 0 && max_nodes <= FW_MAX_NODES ? max_nodes : FW_MAX_NODES;
	numa->numa_off = numa_off;
	for (int i = 0; i < MAX_PXM_DOMAINS; i++)
		numa->pxm_to_node[i] = MB_NUMA_NO_NODE;
	for (int i = 0; i < MAX_LOCAL_APIC; i++)
		numa->apic_to_node[i] = MB_NUMA_NO_NODE;
}

static void bad_srat(const struct memblock *mb, struct fw_numa *numa)
{
	fwi_log(mb, MB_LOG_ERR, "ACPI: SRAT: SRAT not used.");
	numa->srat_disabled = true;
}

/* acpi_map_pxm_to_node(): first free node for a new PXM. */
static int map_pxm(struct fw_numa *numa, uint32_t pxm)
{
	int node;

	if (pxm >= MAX_PXM_DOMAINS || numa->numa_off)
		return MB_NUMA_NO_NODE;
	node = numa->pxm_to_node[pxm];
	if (node != MB_NUMA_NO_NODE)
		return node;
	for (node = 0; node < numa->max_nodes && numa->node_found[node]; node++)
		;
	if (node >= numa->max_nodes)
		return MB_NUMA_NO_NODE;
	numa->pxm_to_node[pxm] = node;
	numa->node_found[node] = true;
	return node;
}

/* acpi_numa_(x2apic_)processor_affinity_init(). */
static void srat_cpu(const struct memblock *mb, struct fw_numa *numa, const struct fw_srat_cpu *c)
{
	int node;

	if (numa->srat_disabled)
		return;
	if (c->bad_length) {
		bad_srat(mb, numa);
		return;
	}
	if (!(c->flags & 1))
		return;
	node = map_pxm(numa, c->pxm);
	if (node < 0) {
		fwi_log(mb, MB_LOG_ERR, "SRAT: Too many proximity domains %x", c->pxm);
		bad_srat(mb, numa);
		return;
	}
	if (c->apic_id >= MAX_LOCAL_APIC) {
		fwi_log(
		    mb, MB_LOG_INFO,
		    c->x2apic
			? "SRAT: PXM %u -> APIC 0x%04x -> Node %u skipped apicid that is too big"
			: "SRAT: PXM %u -> APIC 0x%02x -> Node %u skipped apicid that is too big",
		    c->pxm, c->apic_id, node);
		return;
	}
	numa->apic_to_node[c->apic_id] = node;
	numa->node_parsed[node] = true;
	fwi_log(mb, MB_LOG_INFO,
	       c->x2apic ? "SRAT: PXM %u -> APIC 0x%04x -> Node %u"
			 : "SRAT: PXM %u -> APIC 0x%02x -> Node %u",
	       c->pxm, c->apic_id, node);
}

/* numa_add_memblk_to(). */
int fw_numa_add_memblk(const struct memblock *mb, struct fw_numa_meminfo *mi, int nid,
		       uint64_t start, uint64_t end, int max_nodes)
{
	if (start == end)
		return 0;
	if (start > end || nid < 0 || nid >= max_nodes) {
		fwi_log(mb, MB_LOG_WARN, "Warning: invalid memblk node %d [mem 0x%08llx-0x%08llx]",
		       nid, (unsigned long long)start, (unsigned long long)(end - 1));
		return 0;
	}
	if (mi->nr_blks >= 2 * max_nodes || mi->nr_blks >= FW_NUMA_MAX_BLKS) {
		fwi_log(mb, MB_LOG_ERR, "too many memblk ranges");
		return -MB_EINVAL;
	}
	mi->blk[mi->nr_blks++] = (struct fw_numa_memblk){start, end, nid};
	return 0;
}

/* acpi_parse_memory_affinity(). */
static int srat_mem(struct memblock *mb, struct fw_numa *numa, const struct fw_srat *srat,
		    const struct fw_srat_mem *m)
{
	uint64_t start = m->base, end = m->base + m->length;
	bool hotplug = m->flags & FW_SRAT_MEM_HOT_PLUGGABLE;
	uint32_t pxm = m->pxm;
	int node;

	if (numa->srat_disabled)
		return 0;
	if (m->header_length < 40) {
		fwi_log(mb, MB_LOG_ERR, "ACPI: SRAT: Unexpected header length: %d",
		       m->header_length);
		bad_srat(mb, numa);
		return 0;
	}
	if (!(m->flags & FW_SRAT_MEM_ENABLED))
		return 0;
	if (srat->revision <= 1)
		pxm &= 0xff;
	node = map_pxm(numa, pxm);
	if (node == MB_NUMA_NO_NODE) {
		fwi_log(mb, MB_LOG_ERR, "ACPI: SRAT: Too many proximity domains.");
		bad_srat(mb, numa);
		return 0;
	}
	if (fw_numa_add_memblk(mb, &numa->meminfo, node, start, end, numa->max_nodes) < 0) {
		fwi_log(mb, MB_LOG_ERR,
		       "ACPI: SRAT: Failed to add memblk to node %u [mem 0x%08llx-0x%08llx]", node,
		       (unsigned long long)start, (unsigned long long)(end - 1));
		bad_srat(mb, numa);
		return 0;
	}
	numa->node_parsed[node] = true;
	fwi_log(mb, MB_LOG_INFO, "ACPI: SRAT: Node %u PXM %u [mem 0x%08llx-0x%08llx]%s%s", node, pxm,
	       (unsigned long long)start, (unsigned long long)(end - 1), hotplug ? " hotplug" : "",
	       (m->flags & FW_SRAT_MEM_NON_VOLATILE) ? " non-volatile" : "");
	fwi_caller(mb, FW_CALLER_SRAT_HOTPLUG);
	if (hotplug && mb_mark_hotplug(mb, start, m->length))
		fwi_log(
		    mb, MB_LOG_WARN,
		    "ACPI: SRAT: Failed to mark hotplug range [mem 0x%08llx-0x%08llx] in memblock",
		    (unsigned long long)start, (unsigned long long)(end - 1));
	numa->max_possible_pfn =
	    fw_max64(numa->max_possible_pfn, (end - 1 + FW_PAGE_SIZE - 1) / FW_PAGE_SIZE);
	return 1;
}

static void remove_blk(struct fw_numa_meminfo *mi, int idx)
{
	mi->nr_blks--;
	memmove(&mi->blk[idx], &mi->blk[idx + 1], (size_t)(mi->nr_blks - idx) * sizeof(mi->blk[0]));
}

static void move_tail_blk(struct fw_numa_meminfo *dst, int idx, struct fw_numa_meminfo *src)
{
	if (dst->nr_blks < FW_NUMA_MAX_BLKS)
		dst->blk[dst->nr_blks++] = src->blk[idx];
	remove_blk(src, idx);
}

/* First loop of numa_cleanup_meminfo(): clip to memory, move the rest aside. */
static void cleanup_trim(struct memblock *mb, struct fw_numa *numa)
{
	struct fw_numa_meminfo *mi = &numa->meminfo;
	uint64_t low = mb_start_of_DRAM(mb), high = mb_end_of_DRAM(mb);

	if (numa->legacy_x86_bounds) {
		low = 0;
		high = numa->max_pfn * FW_PAGE_SIZE;
	}

	for (int i = 0; i < mi->nr_blks; i++) {
		struct fw_numa_memblk *bi = &mi->blk[i];

		if (!mb_overlaps_region(&mb->memory, bi->start, bi->end - bi->start)) {
			move_tail_blk(&numa->reserved_meminfo, i--, mi);
			continue;
		}
		bi->start = fw_max64(bi->start, low);
		if (bi->end > high) {
			fw_numa_add_memblk(mb, &numa->reserved_meminfo, bi->nid, high, bi->end,
					   numa->max_nodes);
			bi->end = high;
		}
		if (bi->start >= bi->end)
			remove_blk(mi, i--);
	}
}

/* Can blocks i and j of one node merge without swallowing another node? */
static bool hole_is_free(const struct fw_numa_meminfo *mi, int nid, uint64_t start, uint64_t end)
{
	for (int k = 0; k < mi->nr_blks; k++) {
		if (mi->blk[k].nid == nid)
			continue;
		if (start < mi->blk[k].end && end > mi->blk[k].start)
			return false;
	}
	return true;
}

static int cleanup_pair(struct memblock *mb, struct fw_numa_meminfo *mi, int i, int *j)
{
	struct fw_numa_memblk *bi = &mi->blk[i], *bj = &mi->blk[*j];
	uint64_t start, end;

	if (bi->end > bj->start && bi->start < bj->end) {
		if (bi->nid != bj->nid) {
			fwi_log(mb, MB_LOG_ERR,
			       "node %d [mem 0x%08llx-0x%08llx] overlaps with node %d [mem "
			       "0x%08llx-0x%08llx]",
			       bi->nid, (unsigned long long)bi->start,
			       (unsigned long long)(bi->end - 1), bj->nid,
			       (unsigned long long)bj->start, (unsigned long long)(bj->end - 1));
			return -MB_EINVAL;
		}
		fwi_log(mb, MB_LOG_WARN,
		       "Warning: node %d [mem 0x%08llx-0x%08llx] overlaps with itself [mem "
		       "0x%08llx-0x%08llx]",
		       bi->nid, (unsigned long long)bi->start, (unsigned long long)(bi->end - 1),
		       (unsigned long long)bj->start, (unsigned long long)(bj->end - 1));
	}
	if (bi->nid != bj->nid)
		return 0;
	start = fw_min64(bi->start, bj->start);
	end = fw_max64(bi->end, bj->end);
	if (!hole_is_free(mi, bi->nid, start, end))
		return 0;
	fwi_log(mb, MB_LOG_INFO,
	       "NUMA: Node %d [mem 0x%08llx-0x%08llx] + [mem 0x%08llx-0x%08llx] -> [mem "
	       "0x%08llx-0x%08llx]",
	       bi->nid, (unsigned long long)bi->start, (unsigned long long)(bi->end - 1),
	       (unsigned long long)bj->start, (unsigned long long)(bj->end - 1),
	       (unsigned long long)start, (unsigned long long)(end - 1));
	bi->start = start;
	bi->end = end;
	remove_blk(mi, (*j)--);
	return 0;
}

/* numa_cleanup_meminfo(). */
static int cleanup_meminfo(struct memblock *mb, struct fw_numa *numa)
{
	struct fw_numa_meminfo *mi = &numa->meminfo;

	cleanup_trim(mb, numa);
	for (int i = 0; i < mi->nr_blks; i++) {
		for (int j = i + 1; j < mi->nr_blks; j++) {
			int ret = cleanup_pair(mb, mi, i, &j);

			if (ret)
				return ret;
		}
	}
	return 0;
}

/* numa_clear_kernel_node_hotplug(). */
static void clear_kernel_node_hotplug(struct memblock *mb, const struct fw_numa_meminfo *mi)
{
	bool kernel_node[FW_MAX_NODES] = {false};
	const struct memblock_region *r;

	fwi_caller(mb, FW_CALLER_NUMA_CLEAR_HOTPLUG);

	for (int i = 0; i < mi->nr_blks; i++)
		mb_set_node(mb, mi->blk[i].start, mi->blk[i].end - mi->blk[i].start, &mb->reserved,
			    mi->blk[i].nid);
	mb_for_each_reserved_mem_region(mb, r) if (r->nid >= 0 && r->nid < FW_MAX_NODES)
	    kernel_node[r->nid] = true;
	for (int i = 0; i < mi->nr_blks; i++)
		if (kernel_node[mi->blk[i].nid])
			mb_clear_hotplug(mb, mi->blk[i].start, mi->blk[i].end - mi->blk[i].start);
}

/* numa_register_meminfo() up to (not including) the node data. */
static int register_meminfo(struct memblock *mb, struct fw_numa *numa)
{
	const struct fw_numa_meminfo *mi = &numa->meminfo;
	bool any = false;

	for (int i = 0; i < mi->nr_blks; i++)
		numa->node_parsed[mi->blk[i].nid] = true;
	for (int n = 0; n < numa->max_nodes; n++)
		any |= numa->node_parsed[n];
	if (!any)
		return -MB_EINVAL;
	fwi_caller(mb, FW_CALLER_NUMA_REGISTER);
	for (int i = 0; i < mi->nr_blks; i++) {
		int ret = mb_set_node(mb, mi->blk[i].start, mi->blk[i].end - mi->blk[i].start,
				      &mb->memory, mi->blk[i].nid);

		if (ret)
			return ret;
	}
	clear_kernel_node_hotplug(mb, mi);
	return 0;
}

/* numa_memblks_init() start: forget nodes and hotplug marks. */
void fw_numa_memblks_reset(struct memblock *mb, struct fw_numa *numa)
{
	int nid;

	fw_numa_reset_distance(mb, numa);
	memset(numa->node_parsed, 0, sizeof(numa->node_parsed));
	memset(numa->node_online, 0, sizeof(numa->node_online));
	memset(&numa->meminfo, 0, sizeof(numa->meminfo));
	fwi_caller(mb, FW_CALLER_NUMA_INIT);
	/* WARN_ON()s in the kernel; a core without NUMA_NO_NODE support just refuses */
	/* Before 6.12 x86 numa_init() used MAX_NUMNODES: those regions still merge. */
	nid = numa->legacy_x86_bounds ? mb->cfg.max_numnodes : MB_NUMA_NO_NODE;
	(void)mb_set_node(mb, 0, MB_PHYS_ADDR_MAX, &mb->memory, nid);
	(void)mb_set_node(mb, 0, MB_PHYS_ADDR_MAX, &mb->reserved, nid);
	(void)mb_clear_hotplug(mb, 0, MB_PHYS_ADDR_MAX);
}

int fw_numa_memblks_finish(struct memblock *mb, struct fw_numa *numa, bool force_top_down)
{
	int ret;

	if (force_top_down)
		mb_set_bottom_up(mb, false);
	ret = cleanup_meminfo(mb, numa);
	if (ret)
		return ret;
	return register_meminfo(mb, numa);
}

int fw_numa_init_srat(struct memblock *mb, struct fw_numa *numa, const struct fw_srat *srat)
{
	int parsed = 0;

	if (!mb || !numa || !srat)
		return -MB_EINVAL;
	if (numa->numa_off)
		return -MB_ENOENT;
	fw_numa_memblks_reset(mb, numa);
	if (numa->srat_disabled)
		return -MB_EINVAL;
	for (int i = 0; i < srat->nr_cpus; i++)
		srat_cpu(mb, numa, &srat->cpus[i]);
	for (int i = 0; i < srat->nr_mems; i++)
		parsed += srat_mem(mb, numa, srat, &srat->mems[i]);
	if (!parsed)
		return -MB_ENOENT;
	if (numa->srat_disabled)
		return -MB_EINVAL;
	return fw_numa_memblks_finish(mb, numa, true);
}

int fw_numa_init_dummy(struct memblock *mb, struct fw_numa *numa, uint64_t max_pfn,
		       unsigned int page_shift)
{
	uint64_t end = max_pfn << page_shift;

	if (!mb || !numa)
		return -MB_EINVAL;
	fw_numa_memblks_reset(mb, numa);
	fwi_log(mb, MB_LOG_INFO, "%s",
	       numa->numa_off ? "NUMA turned off" : "No NUMA configuration found");
	fwi_log(mb, MB_LOG_INFO, "Faking a node at [mem 0x%016llx-0x%016llx]", 0ULL,
	       (unsigned long long)(end - 1));
	numa->node_parsed[0] = true;
	fw_numa_add_memblk(mb, &numa->meminfo, 0, 0, end, numa->max_nodes);
	return fw_numa_memblks_finish(mb, numa, true);
}

bool fw_numa_validate_coverage(struct memblock *mb, uint64_t threshold)
{
	unsigned long start_pfn, end_pfn, pages = 0;
	int i, nid;

	if (!mb)
		return false;
	mb_for_each_mem_pfn_range(mb, i, mb->cfg.max_numnodes, &start_pfn, &end_pfn,
				  &nid) if (nid < 0 || nid >= mb->cfg.max_numnodes) pages +=
	    end_pfn - start_pfn;
	if ((uint64_t)pages * FW_PAGE_SIZE <= threshold)
		return true;
	fwi_log(mb, MB_LOG_ERR, "NUMA: no nodes coverage for %lluMB of %lluMB RAM",
	       (unsigned long long)((uint64_t)pages * FW_PAGE_SIZE >> 20),
	       (unsigned long long)(mb_phys_mem_size(mb) >> 20));
	return false;
}

static bool node_pfn_range(struct memblock *mb, int nid)
{
	unsigned long start_pfn, end_pfn;
	int i, rnid;

	mb_for_each_mem_pfn_range(mb, i, nid, &start_pfn, &end_pfn,
				  &rnid) if (end_pfn > start_pfn) return true;
	return false;
}

/* alloc_node_data(). */
static int alloc_node_data(struct memblock *mb, int nid, uint64_t nd_size)
{
	mb_phys_addr_t pa = 0;
	unsigned long spfn, epfn;
	int tnid;

	fwi_caller(mb, FW_CALLER_ALLOC_NODE_DATA);
	if (mb_phys_alloc_try_nid(mb, nd_size, MB_DEFAULT_SMP_CACHE_BYTES, nid, &pa) || !pa) {
		fwi_log(mb, MB_LOG_ERR, "Cannot allocate %llu bytes for node %d data",
		       (unsigned long long)nd_size, nid);
		return -MB_ENOMEM;
	}
	fwi_log(mb, MB_LOG_INFO, "NODE_DATA(%d) allocated [mem 0x%08llx-0x%08llx]", nid,
	       (unsigned long long)pa, (unsigned long long)(pa + nd_size - 1));
	tnid = mb_search_pfn_nid(mb, (unsigned long)(pa / FW_PAGE_SIZE), &spfn, &epfn);
	if (tnid != nid)
		fwi_log(mb, MB_LOG_INFO, "    NODE_DATA(%d) on node %d", nid, tnid);
	return 0;
}

int fw_numa_register_nodes(struct memblock *mb, struct fw_numa *numa, uint64_t nd_size)
{
	if (!mb || !numa)
		return -MB_EINVAL;
	if (!fw_numa_validate_coverage(mb, FW_SZ_1M))
		return -MB_EINVAL;
	for (int nid = 0; nid < numa->max_nodes; nid++) {
		if (!numa->node_parsed[nid] || !node_pfn_range(mb, nid))
			continue;
		if (nd_size) {
			int ret = alloc_node_data(mb, nid, nd_size);

			if (ret)
				return ret;
		}
		numa->node_online[nid] = true;
	}
	mb_dump_all(mb);
	return 0;
}

/* The highest node parsed or in numa_meminfo, plus one (6.12's table size). */
static int parsed_node_count(const struct fw_numa *numa)
{
	int cnt = 0;

	for (int n = 0; n < numa->max_nodes; n++)
		if (numa->node_parsed[n])
			cnt = n + 1;
	for (int i = 0; i < numa->meminfo.nr_blks; i++)
		if (numa->meminfo.blk[i].nid + 1 > cnt)
			cnt = numa->meminfo.blk[i].nid + 1;
	return cnt;
}

int fw_numa_alloc_distance(struct memblock *mb, struct fw_numa *numa, int cnt)
{
	mb_phys_addr_t phys = 0;
	void *virt = NULL;

	if (!mb || !numa)
		return -MB_EINVAL;
	if (!cnt)
		cnt = parsed_node_count(numa);
	if (cnt < 1 || cnt > FW_MAX_NODES)
		cnt = cnt < 1 ? 1 : FW_MAX_NODES;
	fwi_caller(mb, FW_CALLER_NUMA_DISTANCE);
	if (mb_alloc(mb, (mb_phys_addr_t)cnt * (mb_phys_addr_t)cnt, FW_PAGE_SIZE, &virt, &phys)) {
		fwi_log(mb, MB_LOG_WARN, "%sWarning: can't allocate distance table!",
		       numa->legacy_of ? "NUMA: " : "");
		numa->distance_failed = true;
		return -MB_ENOMEM;
	}
	numa->distance_phys = phys;
	numa->distance_cnt = cnt;
	for (int i = 0; i < cnt; i++)
		for (int j = 0; j < cnt; j++)
			numa->distance[i * cnt + j] = i == j ? FW_LOCAL_DISTANCE : FW_REMOTE_DISTANCE;
	if (!numa->legacy_of)
		fwi_log(mb, MB_LOG_INFO, "NUMA: Initialized distance table, cnt=%d", cnt);
	return 0;
}

void fw_numa_set_distance(struct memblock *mb, struct fw_numa *numa, int from, int to,
			  int distance)
{
	const char *pfx;

	if (!mb || !numa)
		return;
	pfx = numa->legacy_of ? "NUMA: " : "";
	if (!numa->distance_cnt) {
		if (numa->legacy_of || numa->distance_failed) {
			if (numa->legacy_of && !numa->distance_warned++)
				fwi_log(mb, MB_LOG_WARN, "NUMA: Warning: distance table not allocated yet");
			return;
		}
		if (fw_numa_alloc_distance(mb, numa, 0))
			return;
	}
	if (from >= numa->distance_cnt || to >= numa->distance_cnt || from < 0 || to < 0) {
		if (!numa->bound_warned++)
			fwi_log(mb, MB_LOG_WARN,
			       "%sWarning: node ids are out of bound, from=%d to=%d distance=%d", pfx,
			       from, to, distance);
		return;
	}
	if ((uint8_t)distance != distance || (from == to && distance != FW_LOCAL_DISTANCE)) {
		if (!numa->param_warned++)
			fwi_log(mb, MB_LOG_WARN,
			       "%sWarning: invalid distance parameter, from=%d to=%d distance=%d",
			       pfx, from, to, distance);
		return;
	}
	numa->distance[from * numa->distance_cnt + to] = (uint8_t)distance;
}

void fw_numa_reset_distance(struct memblock *mb, struct fw_numa *numa)
{
	if (!mb || !numa)
		return;
	if (numa->distance_cnt) {
		fwi_caller(mb, FW_CALLER_NUMA_FREE_DISTANCE);
		mb_phys_free(mb, numa->distance_phys,
			     (mb_phys_addr_t)numa->distance_cnt * (mb_phys_addr_t)numa->distance_cnt);
	}
	numa->distance_cnt = 0;
	numa->distance_failed = false;
	numa->distance_phys = 0;
}

int fw_numa_distance(const struct fw_numa *numa, int from, int to)
{
	if (!numa || from < 0 || to < 0 || from >= numa->distance_cnt ||
	    to >= numa->distance_cnt)
		return from == to ? FW_LOCAL_DISTANCE : FW_REMOTE_DISTANCE;
	return numa->distance[from * numa->distance_cnt + to];
}

/* Before 6.12: every memory region must carry a valid node. */
static bool legacy_nodes_valid(struct memblock *mb)
{
	const struct memblock_region *r;

	mb_for_each_mem_region(mb, r) {
		int nid = r->nid;

		if (nid < 0 || nid >= mb->cfg.max_numnodes) {
			fwi_log(mb, MB_LOG_WARN,
			       "NUMA: Warning: invalid memblk node %d [mem 0x%016llx-0x%016llx]", nid,
			       (unsigned long long)r->base,
			       (unsigned long long)(r->base + r->size - 1));
			return false;
		}
	}
	return true;
}

/* setup_node_data(): NODE_DATA on the node, or wherever it fits. */
static int arch_node_data(struct memblock *mb, const struct fw_numa *numa, int nid,
			  uint64_t nd_size)
{
	mb_phys_addr_t pa = 0;
	unsigned long spfn, epfn;
	int tnid;

	if (!node_pfn_range(mb, nid))
		fwi_log(mb, MB_LOG_INFO, "NUMA: Initmem setup node %d [<memory-less node>]", nid);
	if (!numa->legacy_of)
		return alloc_node_data(mb, nid, nd_size);
	fwi_caller(mb, FW_CALLER_ALLOC_NODE_DATA);
	if (mb_phys_alloc_try_nid(mb, nd_size, MB_DEFAULT_SMP_CACHE_BYTES, nid, &pa) || !pa) {
		fwi_log(mb, MB_LOG_ERR, "Cannot allocate %llu bytes for node %d data",
		       (unsigned long long)nd_size, nid);
		return -MB_ENOMEM;
	}
	fwi_log(mb, MB_LOG_INFO, "NUMA: NODE_DATA [mem 0x%08llx-0x%08llx]", (unsigned long long)pa,
	       (unsigned long long)(pa + nd_size - 1));
	tnid = mb_search_pfn_nid(mb, (unsigned long)(pa / FW_PAGE_SIZE), &spfn, &epfn);
	if (tnid != nid)
		fwi_log(mb, MB_LOG_INFO, "NUMA: NODE_DATA(%d) on node %d", nid, tnid);
	return 0;
}

int fw_arch_numa_register_nodes(struct memblock *mb, struct fw_numa *numa, uint64_t nd_size)
{
	if (!mb || !numa)
		return -MB_EINVAL;
	if (numa->legacy_of ? !legacy_nodes_valid(mb) : !fw_numa_validate_coverage(mb, 0))
		return -MB_EINVAL;
	for (int nid = 0; nid < numa->max_nodes; nid++) {
		int ret;

		if (!numa->node_parsed[nid])
			continue;
		ret = arch_node_data(mb, numa, nid, nd_size);
		if (ret)
			return ret;
		numa->node_online[nid] = true;
	}
	return 0;
}
