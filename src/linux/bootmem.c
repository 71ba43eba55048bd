// SPDX-License-Identifier: MIT
/*
 * bootmem.c - <memblock/bootmem.h>: the bootmem API on memblock, the way
 * Linux's mm/nobootmem.c (4.x) layered it. The call order of the
 * fallbacks (node, any node, then without the goal) is the one of that
 * file; see the header for the whole mapping.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <memblock/bootmem.h>

#include "linux_internal.h"

pg_data_t bootmem_node_data[MAX_NUMNODES];

__attribute__((constructor)) static void bootmem_node_data_init(void)
{
	for (int nid = 0; nid < MAX_NUMNODES; nid++)
		bootmem_node_data[nid].node_id = nid;
}

static void default_panic(unsigned long size)
{
	fprintf(stderr, "bootmem alloc of %lu bytes failed!\n", size);
	fprintf(stderr, "Kernel panic - not syncing: Out of memory\n");
	abort();
}

static void (*panic_hook)(unsigned long size) = default_panic;

void bootmem_set_panic_hook(void (*hook)(unsigned long size))
{
	panic_hook = hook ? hook : default_panic;
}

/*
 * nobootmem's __alloc_memory_core_early(): one node (no fallback to other
 * nodes here), mirrored memory first, [goal, min(limit, current_limit)).
 */
static void *core_early(int nid, phys_addr_t size, phys_addr_t align, phys_addr_t goal,
			phys_addr_t limit)
{
	struct memblock *mb = ml_instance();
	mb_phys_addr_t addr;
	void *ptr;

	if (limit > mb->current_limit)
		limit = mb->current_limit;
	if (ml_result(mb_alloc_range_nid(mb, size, align, goal, limit, nid, true, &addr)))
		return NULL;
	ptr = mb->cfg.ops.phys_to_virt ? mb->cfg.ops.phys_to_virt(mb->cfg.ops.mem_ctx, addr, size)
				       : NULL;
	if (ptr)
		memset(ptr, 0, size);
	return ptr;
}

/* ___alloc_bootmem_nopanic(): any node; without the goal if it fails. */
static void *any_node(unsigned long size, unsigned long align, unsigned long goal,
		      phys_addr_t limit)
{
	void *ptr = core_early(NUMA_NO_NODE, size, align, goal, limit);

	if (!ptr && goal)
		ptr = core_early(NUMA_NO_NODE, size, align, 0, limit);
	return ptr;
}

/* ___alloc_bootmem_node_nopanic(): the node, any node, then without goal. */
static void *on_node(pg_data_t *pgdat, unsigned long size, unsigned long align, unsigned long goal,
		     phys_addr_t limit)
{
	void *ptr;

	for (;;) {
		ptr = core_early(pgdat->node_id, size, align, goal, limit);
		if (ptr)
			return ptr;
		ptr = core_early(NUMA_NO_NODE, size, align, goal, limit);
		if (ptr || !goal)
			return ptr;
		goal = 0;
	}
}

static void *or_panic(void *ptr, unsigned long size)
{
	if (!ptr)
		panic_hook(size);
	return ptr;
}

void *__alloc_bootmem_nopanic(unsigned long size, unsigned long align, unsigned long goal)
{
	return any_node(size, align, goal, MEMBLOCK_ALLOC_ANYWHERE);
}

void *__alloc_bootmem(unsigned long size, unsigned long align, unsigned long goal)
{
	return or_panic(any_node(size, align, goal, MEMBLOCK_ALLOC_ANYWHERE), size);
}

/* The node variants pass limit 0, which the search reads as current_limit. */
void *__alloc_bootmem_node_nopanic(pg_data_t *pgdat, unsigned long size, unsigned long align,
				   unsigned long goal)
{
	return on_node(pgdat, size, align, goal, MEMBLOCK_ALLOC_ACCESSIBLE);
}

void *__alloc_bootmem_node(pg_data_t *pgdat, unsigned long size, unsigned long align,
			   unsigned long goal)
{
	return or_panic(on_node(pgdat, size, align, goal, MEMBLOCK_ALLOC_ACCESSIBLE), size);
}

void *__alloc_bootmem_low(unsigned long size, unsigned long align, unsigned long goal)
{
	return or_panic(any_node(size, align, goal, ARCH_LOW_ADDRESS_LIMIT), size);
}

void *__alloc_bootmem_low_nopanic(unsigned long size, unsigned long align, unsigned long goal)
{
	return any_node(size, align, goal, ARCH_LOW_ADDRESS_LIMIT);
}

void *__alloc_bootmem_low_node(pg_data_t *pgdat, unsigned long size, unsigned long align,
			       unsigned long goal)
{
	return or_panic(on_node(pgdat, size, align, goal, ARCH_LOW_ADDRESS_LIMIT), size);
}

void free_bootmem(unsigned long physaddr, unsigned long size)
{
	memblock_phys_free(physaddr, size);
}

void free_bootmem_node(pg_data_t *pgdat, unsigned long physaddr, unsigned long size)
{
	(void)pgdat;
	memblock_phys_free(physaddr, size);
}

void free_bootmem_late(unsigned long physaddr, unsigned long size)
{
	memblock_free_late(physaddr, size);
}

int reserve_bootmem(unsigned long addr, unsigned long size, int flags)
{
	if ((flags & BOOTMEM_EXCLUSIVE) && memblock_is_region_reserved(addr, size))
		return -EBUSY;
	return memblock_reserve(addr, size);
}

int reserve_bootmem_node(pg_data_t *pgdat, unsigned long physaddr, unsigned long size, int flags)
{
	(void)pgdat;
	return reserve_bootmem(physaddr, size, flags);
}

unsigned long free_all_bootmem(void)
{
	memblock_free_all();
	return memblock_linux_pages_freed();
}
