/* SPDX-License-Identifier: MIT */
/*
 * kharness: what the kernel's memblock.c expects from "internal.h" in a
 * user-space build - the knobs the harness turns and empty page hooks.
 */
#ifndef KHARNESS_INTERNAL_H
#define KHARNESS_INTERNAL_H

#define pr_warn_ratelimited kh_printk

/*
 * memblock=debug, always: every trace line is compared with ours. (A
 * definition before memblock.c's own tentative `static int
 * memblock_debug;`, as tools/testing/memblock does with MEMBLOCK_DEBUG.)
 * The benchmark (scripts/bench-linux) builds with KH_MEMBLOCK_DEBUG=0.
 */
#ifndef KH_MEMBLOCK_DEBUG
#define KH_MEMBLOCK_DEBUG 1
#endif
static int memblock_debug = KH_MEMBLOCK_DEBUG;

/* kernelcore=mirror; set by the driver from the script's config line. */
bool mirrored_kernelcore;

struct page {
	int unused;
};

void memblock_free_pages(struct page *page, unsigned long pfn, unsigned int order);

static inline void accept_memory(phys_addr_t start, unsigned long size)
{
	(void)start;
	(void)size;
}

#endif
