// SPDX-License-Identifier: MIT
/*
 * glue_kernel.c - the kernel side of the differential harness. Built only
 * by scripts/check-linux, in the cache directory, together with the
 * kernel's mm/memblock.c and the stubs of tools/testing/memblock.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include <linux/memblock.h>
#include <linux/mmzone.h>

#include "kh.h"

/* Read by movable_node_is_enabled() (tools/testing/memblock stub). */
bool movable_node_enabled;
/* Defined in the harness's internal.h, inside the memblock.c unit. */
extern bool mirrored_kernelcore;

struct page;
void memblock_free_pages(struct page *page, unsigned long pfn, unsigned int order);

void memblock_free_pages(struct page *page, unsigned long pfn, unsigned int order)
{
	(void)page;
	kh_page_freed(pfn, order);
}

/*
 * Our replacements for tools/testing/memblock/mmzone.c (not built): no
 * online nodes, and the reserved ranges go to the handover log.
 */
struct pglist_data *first_online_pgdat(void)
{
	return NULL;
}

struct pglist_data *next_online_pgdat(struct pglist_data *pgdat)
{
	(void)pgdat;
	return NULL;
}

void reserve_bootmem_region(phys_addr_t start, phys_addr_t end, int nid)
{
	kh_page_reserved(start, end, nid);
}

void atomic_long_set(atomic_long_t *v, long i)
{
	(void)v;
	(void)i;
}

/* Kernel messages are not compared; KH_VERBOSE=1 shows them on stderr. */
void kh_printk(const char *fmt, ...)
{
	static int verbose = -1;
	va_list ap;

	if (verbose < 0)
		verbose = getenv("KH_VERBOSE") != NULL;
	if (!verbose)
		return;
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
}

int kh_setup(bool numa, bool movable, bool mirror)
{
	if (numa != (MAX_NUMNODES > 1)) {
		fprintf(stderr, "kharness: this kernel build has MAX_NUMNODES %d, script wants %s\n",
			MAX_NUMNODES, numa ? "numa" : "flat");
		return -1;
	}
	movable_node_enabled = movable;
	mirrored_kernelcore = mirror;
	return kh_window_map() ? 0 : -1;
}

int kh_early_pfn_to_nid(unsigned long pfn)
{
	unsigned long start, end;
	int nid = memblock_search_pfn_nid(pfn, &start, &end);

	return numa_valid_node(nid) ? nid : 0;
}

struct memblock_type *kh_physmem(void)
{
	extern struct memblock_type physmem;

	return &physmem;
}

int kh_last_error(void)
{
	return 0;
}

const char *kh_side(void)
{
	return "linux";
}

/*
 * The slab is never available in the harness (slab_is_available() is
 * false), so memblock.c never really calls these; they only satisfy the
 * linker without the kernel's liburcu-based tools/lib/slab.c.
 */
void *kmalloc(size_t size, gfp_t gfp);
void kfree(void *p);

void *kmalloc(size_t size, gfp_t gfp)
{
	(void)gfp;
	return malloc(size);
}

void kfree(void *p)
{
	free(p);
}
