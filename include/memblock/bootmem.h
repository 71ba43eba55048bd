/* SPDX-License-Identifier: MIT */
/*
 * bootmem.h - the old bootmem API (Linux 2.6 .. 4.19) over memblock.
 *
 * Linux removed the bootmem allocator in 4.20; before that, with
 * CONFIG_NO_BOOTMEM, mm/nobootmem.c implemented the bootmem calls on top
 * of memblock. This header reproduces that layer on the global instance
 * of <memblock/linux.h>, so code of that era runs unchanged:
 *
 *   alloc_bootmem(x)              __alloc_bootmem(x, SMP_CACHE_BYTES, BOOTMEM_LOW_LIMIT)
 *   alloc_bootmem_align(x, a)     __alloc_bootmem(x, a, BOOTMEM_LOW_LIMIT)
 *   alloc_bootmem_pages(x)        __alloc_bootmem(x, PAGE_SIZE, BOOTMEM_LOW_LIMIT)
 *   alloc_bootmem_nopanic(x)      __alloc_bootmem_nopanic(x, SMP_CACHE_BYTES, BOOTMEM_LOW_LIMIT)
 *   alloc_bootmem_pages_nopanic(x) __alloc_bootmem_nopanic(x, PAGE_SIZE, BOOTMEM_LOW_LIMIT)
 *   alloc_bootmem_node(pg, x)     __alloc_bootmem_node(pg, x, SMP_CACHE_BYTES, BOOTMEM_LOW_LIMIT)
 *   alloc_bootmem_node_nopanic(pg, x)  the _nopanic twin of the line above
 *   alloc_bootmem_pages_node(pg, x) __alloc_bootmem_node(pg, x, PAGE_SIZE, BOOTMEM_LOW_LIMIT)
 *   alloc_bootmem_low(x)          __alloc_bootmem_low(x, SMP_CACHE_BYTES, 0)
 *   alloc_bootmem_low_pages(x)    __alloc_bootmem_low(x, PAGE_SIZE, 0)
 *
 * The allocation core (nobootmem's __alloc_memory_core_early): search
 * [goal, min(limit, current_limit)) on one node (mirrored memory first
 * when the system has some, then any), reserve, zero. Around it:
 *   - __alloc_bootmem*: node NUMA_NO_NODE, no upper limit; when the goal
 *     cannot be met, retry from 0;
 *   - __alloc_bootmem_node*: the node, then any node; then both again
 *     from 0 when the goal was not 0; upper limit current_limit;
 *   - __alloc_bootmem_low*: like __alloc_bootmem with the limit
 *     ARCH_LOW_ADDRESS_LIMIT.
 * The memory is zeroed through the instance's phys_to_virt; when that
 * gives no pointer the block stays reserved and NULL is returned.
 *
 * free_bootmem / free_bootmem_node: memblock_phys_free (4.x's memblock_free).
 * free_bootmem_late: memblock_free_late. reserve_bootmem(_node):
 * memblock_reserve; with BOOTMEM_EXCLUSIVE, -EBUSY when any part is
 * already reserved (the old bootmem semantics). free_all_bootmem:
 * memblock_free_all(), returns the pages released.
 *
 * Panic variants: when nothing fits, the panic hook is called with the
 * size ("bootmem alloc of %lu bytes failed!" then "Out of memory" in
 * Linux). The default hook prints those two lines to stderr and calls
 * abort(); a hook that returns makes the call return NULL.
 */
#ifndef MEMBLOCK_BOOTMEM_H
#define MEMBLOCK_BOOTMEM_H

#include <memblock/linux.h>

#ifdef __cplusplus
extern "C" {
#endif

/* __pa(MAX_DMA_ADDRESS): 16 MiB on x86 (define before including to change). */
#ifndef BOOTMEM_MAX_DMA_PHYS
#define BOOTMEM_MAX_DMA_PHYS 0x1000000UL
#endif
#define BOOTMEM_LOW_LIMIT	 BOOTMEM_MAX_DMA_PHYS
#define BOOTMEM_ALLOC_ACCESSIBLE 0
#define BOOTMEM_ALLOC_ANYWHERE	 (~(phys_addr_t)0)

/* reserve_bootmem() flags */
#define BOOTMEM_DEFAULT	  0
#define BOOTMEM_EXCLUSIVE (1 << 0)

/* The part of the kernel's pglist_data the bootmem API looks at. */
typedef struct pglist_data {
	int node_id;
} pg_data_t;

/* NODE_DATA(nid) for 0 <= nid < MAX_NUMNODES: node_id == nid. */
extern pg_data_t bootmem_node_data[MAX_NUMNODES];
#define NODE_DATA(nid) (&bootmem_node_data[(nid)])

/**
 * bootmem_set_panic_hook() - what the panicking allocators do on failure
 * @hook: called with the requested size; NULL restores the default
 *        (print to stderr and abort()). If it returns, the allocator
 *        returns NULL.
 */
void bootmem_set_panic_hook(void (*hook)(unsigned long size));

unsigned long free_all_bootmem(void);
void free_bootmem_node(pg_data_t *pgdat, unsigned long addr, unsigned long size);
void free_bootmem(unsigned long physaddr, unsigned long size);
void free_bootmem_late(unsigned long physaddr, unsigned long size);
int reserve_bootmem(unsigned long addr, unsigned long size, int flags);
int reserve_bootmem_node(pg_data_t *pgdat, unsigned long physaddr, unsigned long size, int flags);

void *__alloc_bootmem(unsigned long size, unsigned long align, unsigned long goal);
void *__alloc_bootmem_nopanic(unsigned long size, unsigned long align, unsigned long goal);
void *__alloc_bootmem_node(pg_data_t *pgdat, unsigned long size, unsigned long align,
			   unsigned long goal);
void *__alloc_bootmem_node_nopanic(pg_data_t *pgdat, unsigned long size, unsigned long align,
				   unsigned long goal);
void *__alloc_bootmem_low(unsigned long size, unsigned long align, unsigned long goal);
void *__alloc_bootmem_low_nopanic(unsigned long size, unsigned long align, unsigned long goal);
void *__alloc_bootmem_low_node(pg_data_t *pgdat, unsigned long size, unsigned long align,
			       unsigned long goal);

#define alloc_bootmem(x)	       __alloc_bootmem(x, SMP_CACHE_BYTES, BOOTMEM_LOW_LIMIT)
#define alloc_bootmem_align(x, align)  __alloc_bootmem(x, align, BOOTMEM_LOW_LIMIT)
#define alloc_bootmem_nopanic(x)       __alloc_bootmem_nopanic(x, SMP_CACHE_BYTES, BOOTMEM_LOW_LIMIT)
#define alloc_bootmem_pages(x)	       __alloc_bootmem(x, PAGE_SIZE, BOOTMEM_LOW_LIMIT)
#define alloc_bootmem_pages_nopanic(x) __alloc_bootmem_nopanic(x, PAGE_SIZE, BOOTMEM_LOW_LIMIT)
#define alloc_bootmem_node(pgdat, x)                                                               \
	__alloc_bootmem_node(pgdat, x, SMP_CACHE_BYTES, BOOTMEM_LOW_LIMIT)
#define alloc_bootmem_node_nopanic(pgdat, x)                                                       \
	__alloc_bootmem_node_nopanic(pgdat, x, SMP_CACHE_BYTES, BOOTMEM_LOW_LIMIT)
#define alloc_bootmem_pages_node(pgdat, x)                                                         \
	__alloc_bootmem_node(pgdat, x, PAGE_SIZE, BOOTMEM_LOW_LIMIT)
#define alloc_bootmem_pages_node_nopanic(pgdat, x)                                                 \
	__alloc_bootmem_node_nopanic(pgdat, x, PAGE_SIZE, BOOTMEM_LOW_LIMIT)
#define alloc_bootmem_low(x)		       __alloc_bootmem_low(x, SMP_CACHE_BYTES, 0)
#define alloc_bootmem_low_pages(x)	       __alloc_bootmem_low(x, PAGE_SIZE, 0)
#define alloc_bootmem_low_pages_nopanic(x)     __alloc_bootmem_low_nopanic(x, PAGE_SIZE, 0)
#define alloc_bootmem_low_pages_node(pgdat, x) __alloc_bootmem_low_node(pgdat, x, PAGE_SIZE, 0)

#ifdef __cplusplus
}
#endif

#endif /* MEMBLOCK_BOOTMEM_H */
