/* SPDX-License-Identifier: MIT */
/*
 * numa.c - arch_numa_init() of drivers/base/arch_numa.c, the NUMA setup
 * of arm64 and riscv64: with a device tree, numa_init(of_numa_init)
 * (numa-node-id of cpu and memory nodes, /distance-map); when that finds
 * nothing, fails, or numa=off, numa_init(dummy_numa_init), one node over
 * all memory. Then NODE_DATA for every node. The parsing and the memblock
 * side live in src/fw (dt.c, numa.c).
 */
#include <stdlib.h>

#include "sim_internal.h"

#define SIM_NODE_DATA_SIZE 0x2780 /* sizeof(pg_data_t) of a 6.x arm64 build */

/* The kernel's version decides which arch_numa.c runs. */
static bool legacy(const struct sim_boot *b)
{
	return b->m.profile != MB_PROFILE_LINUX_6_12;
}

/* roundup(sizeof(pg_data_t), SMP_CACHE_BYTES) of the kernel described. */
static uint64_t node_data_size(const struct sim_boot *b)
{
	if (b->m.kernel.pglist_data_size)
		return sim_round_up(b->m.kernel.pglist_data_size, 64);
	return b->m.node_data_size ? b->m.node_data_size : SIM_NODE_DATA_SIZE;
}

/* nr_node_ids before setup_nr_node_ids(): MAX_NUMNODES of the build. */
static int nr_node_ids(const struct sim_boot *b)
{
	if (b->m.kernel.nodes_shift && b->m.kernel.nodes_shift < 16)
		return 1 << b->m.kernel.nodes_shift;
	return b->mb.cfg.max_numnodes;
}

/* setup_node_to_cpumask_map(): one boot cpumask per node id (CPUMASK_OFFSTACK). */
static void node_cpumasks(struct sim_boot *b, const struct fw_numa *numa)
{
	int nr_node_ids = 0;

	if (!b->m.cpumask_size)
		return;
	for (int n = 0; n < numa->max_nodes; n++)
		if (numa->node_parsed[n])
			nr_node_ids = n + 1;
	for (int n = 0; n < nr_node_ids; n++) {
		simi_caller(b, "arm64.cpumask", "alloc_bootmem_cpumask_var");
		simi_alloc(b, b->m.cpumask_size, 64, 0, MB_ALLOC_ACCESSIBLE, MB_NUMA_NO_NODE,
			  "alloc_bootmem_cpumask_var");
	}
}

/* dummy_numa_init(): one node over [start of DRAM, end of DRAM). */
static int dummy_init(struct sim_boot *b, struct fw_numa *numa)
{
	uint64_t start = mb_start_of_DRAM(&b->mb), end = mb_end_of_DRAM(&b->mb);
	char pa1[24], pa2[24];

	if (b->cl.numa_off)
		simi_printk(b, SIM_LINE_FW, "NUMA: NUMA disabled");
	simi_printk(b, SIM_LINE_FW, "NUMA: Faking a node at [mem %s-%s]", simi_pa(b, start, pa1),
		   simi_pa(b, end - 1, pa2));
	numa->node_parsed[0] = true;
	if (numa->legacy_of) {
		simi_fw_caller(b, FW_CALLER_NUMA_INIT, "numa.add_memblk");
		return mb_set_node(&b->mb, start, end - start, &b->mb.memory, 0);
	}
	return fw_numa_add_memblk(&b->mb, &numa->meminfo, 0, start, end, numa->max_nodes);
}

/* numa_memblks_init(init) (6.12) or init() alone (before). */
static int run_init(struct sim_boot *b, struct fw_numa *numa, bool of)
{
	int ret;

	if (numa->legacy_of)
		return of ? fw_dt_numa_parse(&b->mb, b->dt, numa) : dummy_init(b, numa);
	fw_numa_memblks_reset(&b->mb, numa);
	ret = of ? fw_dt_numa_parse(&b->mb, b->dt, numa) : dummy_init(b, numa);
	if (!ret)
		ret = fw_numa_memblks_finish(&b->mb, numa, false);
	if (!ret && !fw_numa_validate_coverage(&b->mb, 1u << 20))
		ret = -MB_EINVAL;
	return ret;
}

static bool any_parsed(const struct fw_numa *numa)
{
	for (int n = 0; n < numa->max_nodes; n++)
		if (numa->node_parsed[n])
			return true;
	return false;
}

/* numa_init(): 0 when the nodes are registered, else the table is freed. */
static int numa_init(struct sim_boot *b, struct fw_numa *numa, bool of)
{
	int ret;

	for (int n = 0; n < FW_MAX_NODES; n++)
		numa->node_parsed[n] = numa->node_online[n] = false;
	if (numa->legacy_of) {
		simi_fw_caller(b, FW_CALLER_NUMA_DISTANCE, "numa.alloc_distance");
		ret = fw_numa_alloc_distance(&b->mb, numa, nr_node_ids(b));
		if (ret)
			return ret;
	}
	ret = run_init(b, numa, of);
	if (!ret && !any_parsed(numa)) {
		simi_printk(b, SIM_LINE_FW, "NUMA: No NUMA configuration found");
		ret = -MB_EINVAL;
	}
	if (!ret) {
		simi_fw_caller(b, FW_CALLER_ALLOC_NODE_DATA, "numa.node_data");
		ret = fw_arch_numa_register_nodes(&b->mb, numa, node_data_size(b));
		if (ret == -MB_ENOMEM) {
			simi_fail(b, "NODE_DATA", node_data_size(b), "Cannot allocate node data");
			return 0; /* the kernel panics; we go on with what we have */
		}
	}
	if (ret) {
		simi_fw_caller(b, FW_CALLER_NUMA_FREE_DISTANCE, "numa.free_distance");
		fw_numa_reset_distance(&b->mb, numa);
		return ret;
	}
	node_cpumasks(b, numa);
	return 0;
}

/**
 * simi_arch_numa_init() - arch_numa_init() on a device-tree boot
 * @b: boot; b->nr_nodes is set to the highest online node + 1
 */
void simi_arch_numa_init(struct sim_boot *b)
{
	struct fw_numa *numa = malloc(sizeof(*numa));
	enum sim_line_kind kind = b->kind;

	if (!numa) {
		simi_fail(b, "NUMA", sizeof(*numa), "out of host memory");
		return;
	}
	fw_numa_reset(numa, b->mb.cfg.max_numnodes, b->cl.numa_off);
	numa->legacy_of = legacy(b);
	simi_fw_caller(b, FW_CALLER_NUMA_INIT, "numa.init");
	simi_fw_caller(b, FW_CALLER_NUMA_DISTANCE, "numa.alloc_distance");
	b->kind = SIM_LINE_FW;
	if (b->cl.numa_off || !b->dt || numa_init(b, numa, true))
		numa_init(b, numa, false);
	b->kind = kind;
	b->nr_nodes = 0;
	for (int n = 0; n < FW_MAX_NODES && n < SIM_MAX_NODES; n++) {
		b->node_possible[n] = numa->node_online[n];
		if (numa->node_online[n])
			b->nr_nodes = n + 1;
	}
	free(numa);
}
