// SPDX-License-Identifier: MIT
/*
 * handover.c - giving memory to the page allocator (spec 7): free_all
 * (memblock_free_all with Linux's order and block split), free_late,
 * discard.
 */
#include "internal.h"

static void report_reserved(const struct memblock *mb, mb_phys_addr_t start,
			    mb_phys_addr_t end, int nid)
{
	if (mb->cfg.ops.reserved_pages)
		mb->cfg.ops.reserved_pages(mb->cfg.ops.page_ctx, start, end, nid);
}

static void free_pages(const struct memblock *mb, unsigned long pfn, unsigned int order)
{
	if (mb->cfg.ops.free_pages)
		mb->cfg.ops.free_pages(mb->cfg.ops.page_ctx, pfn, order);
}

static unsigned int lowest_bit(unsigned long v)
{
	unsigned int bit = 0;

	while (!(v & 1)) {
		v >>= 1;
		bit++;
	}
	return bit;
}

/* __free_pages_memory(): the largest blocks alignment allows. */
static void free_pages_memory(const struct memblock *mb, unsigned long start,
			      unsigned long end)
{
	unsigned int max_order = mb->cfg.max_page_order;

	while (start < end) {
		unsigned int order = max_order;

		if (start && lowest_bit(start) < max_order)
			order = lowest_bit(start);
		while (start + (1UL << order) > end)
			order--;
		free_pages(mb, start, order);
		start += 1UL << order;
	}
}

static unsigned long free_memory_core(const struct memblock *mb, mb_phys_addr_t start,
				      mb_phys_addr_t end, unsigned long max_low_pfn)
{
	unsigned long start_pfn = mb_pfn_up(mb, start);
	unsigned long end_pfn = mb_pfn_down(mb, end);

	if (end_pfn > max_low_pfn)
		end_pfn = max_low_pfn;
	if (start_pfn >= end_pfn)
		return 0;
	free_pages_memory(mb, start_pfn, end_pfn);
	return end_pfn - start_pfn;
}

/* early_pfn_to_nid(PFN_DOWN(addr)): the node of the page, or node 0. */
static int early_nid(const struct memblock *mb, mb_phys_addr_t addr)
{
	mb_phys_addr_t page = mb_round_down(addr, mb->cfg.page_size);
	long i = mb_search(&mb->memory, page);
	int nid;

	if (i < 0)
		return 0;
	nid = mb_region_nid(mb, &mb->memory.regions[i]);
	return mb_valid_node(mb, nid) ? nid : 0;
}

/*
 * Kernels before 6.2 hand the reserved ranges over as they are, then the
 * NOMAP memory, and give the page allocator no node for them.
 */
static void init_reserved_pages_nodeless(struct memblock *mb)
{
	unsigned long i;

	for (i = 0; i < mb->reserved.cnt; i++) {
		const struct memblock_region *r = &mb->reserved.regions[i];

		report_reserved(mb, r->base, r->base + r->size, MB_NUMA_NO_NODE);
	}
	for (i = 0; i < mb->memory.cnt; i++) {
		const struct memblock_region *r = &mb->memory.regions[i];

		if (r->flags & MB_FLAG_NOMAP)
			report_reserved(mb, r->base, r->base + r->size, MB_NUMA_NO_NODE);
	}
}

/* memmap_init_reserved_pages(). Failures are ignored, as in Linux. */
static void init_reserved_pages(struct mb_txn *tx)
{
	struct memblock *mb = tx->mb;
	unsigned long i, max_reserved;

	if (!mb_prof(mb)->free_all_sets_reserved_nodes) {
		init_reserved_pages_nodeless(mb);
		return;
	}
	do {
		max_reserved = mb->reserved.max;
		for (i = 0; i < mb->memory.cnt; i++) {
			struct memblock_region r = mb->memory.regions[i];
			int nid = mb_region_nid(mb, &r);

			if (r.flags & MB_FLAG_NOMAP)
				report_reserved(mb, r.base, r.base + r.size, nid);
			set_node_range(tx, &mb->reserved, r.base, r.size, nid);
		}
	} while (max_reserved != mb->reserved.max);

	for (i = 0; i < mb->reserved.cnt; i++) {
		const struct memblock_region *r = &mb->reserved.regions[i];
		int nid = mb_region_nid(mb, r);

		if (r->flags & MB_FLAG_RSRV_NOINIT)
			continue;
		if (!mb_valid_node(mb, nid))
			nid = early_nid(mb, r->base);
		report_reserved(mb, r->base, r->base + r->size, nid);
	}
}

int mb_free_all(struct memblock *mb, unsigned long max_low_pfn, unsigned long *pages_out)
{
	mb_phys_addr_t start, end;
	unsigned long count = 0;
	struct mb_txn tx;
	uint64_t i;

	if (pages_out)
		*pages_out = 0;
	if (!mb)
		return -MB_EINVAL;
	if (mb->handed_over)
		return -MB_ESTATE;
	txn_begin(&tx, mb);
	setclr_flag(&tx, &mb->memory, 0, MB_PHYS_ADDR_MAX, false, MB_FLAG_HOTPLUG);
	init_reserved_pages(&tx);
	mb_for_each_free_mem_range(mb, i, MB_NUMA_NO_NODE, MB_FLAG_NONE, &start, &end, NULL)
		count += free_memory_core(mb, start, end, max_low_pfn);
	mb->handed_over = true;
	if (pages_out)
		*pages_out = count;
	return txn_end(&tx, 0);
}

static void free_late(struct memblock *mb, mb_phys_addr_t base, mb_phys_addr_t size,
		      const char *caller)
{
	unsigned long cursor, end;

	trace_range(mb, "memblock_free_late", base, size, caller);
	cursor = mb_pfn_up(mb, base);
	end = mb_pfn_down(mb, base + size);
	for (; cursor < end; cursor++)
		free_pages(mb, cursor, 0);
}

/**
 * mb_free_late() - memblock_free_late(): whole pages straight to free_pages
 * @mb: instance, after mb_free_all()
 * @base: physical start
 * @size: bytes
 *
 * Return: 0, -MB_EINVAL, or -MB_ESTATE before the handover.
 */
int mb_free_late(struct memblock *mb, mb_phys_addr_t base, mb_phys_addr_t size)
{
	if (!mb)
		return -MB_EINVAL;
	if (!mb->handed_over)
		return -MB_ESTATE;
	free_late(mb, base, size, mb->caller);
	return 0;
}

static void discard_type(struct memblock *mb, struct memblock_type *type, bool *managed)
{
	mb_phys_addr_t addr, size;

	if (!*managed || !mb->cfg.ops.virt_to_phys)
		return;
	addr = mb->cfg.ops.virt_to_phys(mb->cfg.ops.mem_ctx, type->regions);
	size = mb_round_up(type->max * sizeof(struct memblock_region), mb->cfg.page_size);
	free_late(mb, addr, size, "memblock_discard");
	*managed = false;
}

/**
 * mb_discard() - memblock_discard(): hand back arrays memblock allocated
 * @mb: instance, after mb_free_all()
 *
 * Reserved first, then memory, each with mb_free_late() of its page-rounded size.
 * Return: 0, -MB_EINVAL, or -MB_ESTATE before the handover.
 */
int mb_discard(struct memblock *mb)
{
	if (!mb)
		return -MB_EINVAL;
	if (!mb->handed_over)
		return -MB_ESTATE;
	discard_type(mb, &mb->reserved, &mb->reserved_in_managed);
	discard_type(mb, &mb->memory, &mb->memory_in_managed);
	return 0;
}
