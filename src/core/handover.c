// SPDX-License-Identifier: MIT
/*
 * handover.c - giving memory to the page allocator (spec 7): free_all
 * (memblock_free_all with Linux's order and block split), free_late,
 * discard.
 */
#include "internal.h"

static void report_reserved(const struct memblock *mb, mb_phys_addr_t start, mb_phys_addr_t end,
			    int nid)
{
	if (mb->cfg.ops.reserved_pages)
		mb->cfg.ops.reserved_pages(mb->cfg.ops.page_ctx, start, end, nid);
}

/* The pages of one handover call: the budget, and progress reports. */
struct page_walk {
	const struct memblock *mb;
	unsigned long done;
	unsigned long total;
	unsigned long next_report;
	bool stopped;
	bool unstoppable; /* a stop could not be undone exactly: finish */
};

static void walk_init(struct page_walk *w, const struct memblock *mb, unsigned long total)
{
	w->mb = mb;
	w->done = 0;
	w->total = total;
	w->next_report = MB_PROGRESS_PAGES;
	w->stopped = false;
	w->unstoppable = false;
}

/* Budget check before any page moves: nothing is done when it fails. */
static int walk_budget(const struct page_walk *w)
{
	unsigned long max = w->mb->cfg.max_pages;

	return max && w->total > max ? -MB_EBUDGET : 0;
}

static void free_pages(struct page_walk *w, unsigned long pfn, unsigned int order)
{
	const struct mb_ops *ops = &w->mb->cfg.ops;

	if (ops->free_pages)
		ops->free_pages(ops->page_ctx, pfn, order);
	w->done += 1UL << order;
	if (w->done < w->next_report || !ops->progress)
		return;
	w->next_report = w->done + MB_PROGRESS_PAGES;
	if (!ops->progress(ops->page_ctx, w->done, w->total) && !w->unstoppable)
		w->stopped = true;
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
static void free_pages_memory(struct page_walk *w, unsigned long start, unsigned long end)
{
	unsigned int max_order = w->mb->cfg.max_page_order;

	while (start < end && !w->stopped) {
		unsigned int order = max_order;

		if (start && lowest_bit(start) < max_order)
			order = lowest_bit(start);
		while (start + (1UL << order) > end)
			order--;
		free_pages(w, start, order);
		start += 1UL << order;
	}
}

/*
 * The pfns of a free range, with Linux's arithmetic: a range in the last
 * page of the address space rounds its start up to a pfn that wraps to 0.
 */
static unsigned long core_pfns(const struct memblock *mb, mb_phys_addr_t start, mb_phys_addr_t end,
			       unsigned long max_low_pfn, unsigned long *start_pfn)
{
	unsigned long end_pfn = mbi_pfn_down(mb, end);

	*start_pfn = mbi_pfn_up(mb, start);
	if (end_pfn > max_low_pfn)
		end_pfn = max_low_pfn;
	return *start_pfn < end_pfn ? end_pfn - *start_pfn : 0;
}

/*
 * free_low_memory_core_early()'s loop; with @w NULL it only counts.
 * @flags MB_FLAG_HOTPLUG counts as if clear_hotplug had already run.
 */
static unsigned long free_memory_core(const struct memblock *mb, struct page_walk *w,
				      unsigned long max_low_pfn, unsigned int flags)
{
	mb_phys_addr_t start, end;
	unsigned long count = 0, first, n;
	uint64_t i;

	mb_for_each_free_mem_range(mb, i, MB_NUMA_NO_NODE, flags, &start, &end, NULL) {
		n = core_pfns(mb, start, end, max_low_pfn, &first);
		if (!n)
			continue;
		count += n;
		if (w)
			free_pages_memory(w, first, first + n);
	}
	return count;
}

/* early_pfn_to_nid(PFN_DOWN(addr)): the node of the page, or node 0. */
static int early_nid(const struct memblock *mb, mb_phys_addr_t addr)
{
	mb_phys_addr_t page = mbi_round_down(addr, mb->cfg.page_size);
	long i = mbi_search(mb, &mb->memory, page);
	int nid;

	if (i < 0)
		return 0;
	nid = mbi_region_nid(mb, mbi_st_at(mb, &mb->memory, (unsigned long)i));
	return mbi_valid_node(mb, nid) ? nid : 0;
}

/*
 * Kernels before 6.2 hand the reserved ranges over as they are, then the
 * NOMAP memory, and give the page allocator no node for them.
 */
static void init_reserved_pages_nodeless(const struct memblock *mb)
{
	unsigned long i;

	for (i = 0; i < mb->reserved.cnt; i++) {
		const struct memblock_region *r = mbi_st_at(mb, &mb->reserved, i);

		report_reserved(mb, r->base, r->base + r->size, MB_NUMA_NO_NODE);
	}
	for (i = 0; i < mb->memory.cnt; i++) {
		const struct memblock_region *r = mbi_st_at(mb, &mb->memory, i);

		if (r->flags & MB_FLAG_NOMAP)
			report_reserved(mb, r->base, r->base + r->size, MB_NUMA_NO_NODE);
	}
}

/* What a doubling changes: the sum of both arrays' capacities. */
static unsigned long arrays_max(const struct memblock *mb)
{
	return mb->memory.max + mb->reserved.max;
}

/*
 * A failed step that wrote nothing (no room for a doubling, resize not
 * allowed) is one Linux ignores and carries on after. One that failed
 * half-way (an array doubled but not reserved) is where Linux BUG()s:
 * that fails the whole call. A range primitive grows before it writes,
 * so a failed step wrote something exactly when a doubling went through:
 * @mark is arrays_max() when the step began.
 */
static int step_result(const struct memblock *mb, unsigned long mark, int rc)
{
	if (!rc || arrays_max(mb) == mark)
		return 0;
	return rc;
}

/*
 * memmap_init_reserved_pages(), first half: set the reserved regions'
 * nodes, once more after every pass that doubled reserved. *passes says
 * how often Linux walked memory (and so reported NOMAP regions).
 */
static MB_COLD_HELPER int set_reserved_nodes(struct mb_txn *tx, unsigned int *passes)
{
	struct memblock *mb = tx->mb;
	unsigned long i, max_reserved, mark;
	int rc;

	*passes = 0;
	if (!mbi_prof(mb)->free_all_sets_reserved_nodes)
		return 0;
	do {
		++*passes;
		max_reserved = mb->reserved.max;
		for (i = 0; i < mb->memory.cnt; i++) {
			const struct memblock_region *r = mbi_st_at(mb, &mb->memory, i);

			/* reserved's growth never moves memory's array: r stays valid */
			mark = arrays_max(mb);
			rc = mbi_set_node_range(tx, &mb->reserved, r->base, r->size,
					    mbi_region_nid(mb, r));
			rc = step_result(mb, mark, rc);
			if (rc)
				return rc;
		}
	} while (max_reserved != mb->reserved.max);
	return 0;
}

/*
 * memmap_init_reserved_pages(), second half, run once nothing can fail:
 * tell the page allocator what stays reserved.
 */
static MB_COLD_HELPER void report_reserved_pages(const struct memblock *mb, unsigned int passes)
{
	unsigned long i;

	if (!mbi_prof(mb)->free_all_sets_reserved_nodes) {
		init_reserved_pages_nodeless(mb);
		return;
	}
	while (passes--) {
		for (i = 0; i < mb->memory.cnt; i++) {
			const struct memblock_region *r = mbi_st_at(mb, &mb->memory, i);

			if (r->flags & MB_FLAG_NOMAP)
				report_reserved(mb, r->base, r->base + r->size,
						mbi_region_nid(mb, r));
		}
	}
	for (i = 0; i < mb->reserved.cnt; i++) {
		const struct memblock_region *r = mbi_st_at(mb, &mb->reserved, i);
		int nid = mbi_region_nid(mb, r);

		if (r->flags & MB_FLAG_RSRV_NOINIT)
			continue;
		if (!mbi_valid_node(mb, nid))
			nid = early_nid(mb, r->base);
		report_reserved(mb, r->base, r->base + r->size, nid);
	}
}

/*
 * The budget, checked once before the steps that write (so a refusal
 * writes nothing, however many regions there are) and again after them.
 */
static MB_COLD_HELPER int free_all_budget(const struct memblock *mb, unsigned long max_low_pfn)
{
	struct page_walk w;

	walk_init(&w, mb, free_memory_core(mb, NULL, max_low_pfn, MB_FLAG_HOTPLUG));
	return walk_budget(&w);
}

/*
 * The handover proper, once nothing can fail but the budget or a stop:
 * out of line, so the page walk stays off the array growth path. When the
 * steps before wrote more than the journal holds, a failure could not be
 * undone exactly: the budget (already checked before them) is not checked
 * again and a stop request is ignored.
 */
static MB_COLD_HELPER int free_all_pages(struct memblock *mb, unsigned long max_low_pfn,
					 unsigned int passes, unsigned long *pages)
{
	struct page_walk w;
	int rc = 0;

	walk_init(&w, mb, free_memory_core(mb, NULL, max_low_pfn, MB_FLAG_NONE));
	w.unstoppable = mb->journal.lost;
	if (!w.unstoppable)
		rc = walk_budget(&w);
	if (rc)
		return rc;
	report_reserved_pages(mb, passes);
	free_memory_core(mb, &w, max_low_pfn, MB_FLAG_NONE);
	if (w.stopped)
		return -MB_EINTR;
	*pages = w.total;
	return 0;
}

int mb_free_all(struct memblock *mb, unsigned long max_low_pfn, unsigned long *pages_out)
{
	unsigned long pages = 0, mark;
	unsigned int passes;
	struct mb_txn tx;
	int rc;

	if (pages_out)
		*pages_out = 0;
	if (!mb)
		return -MB_EINVAL;
	if (mb->handed_over)
		return -MB_ESTATE;
	rc = free_all_budget(mb, max_low_pfn);
	if (rc)
		return rc;
	mbi_txn_begin(&tx, mb);
	/* Nothing is handed over until every step that may fail has passed. */
	mark = arrays_max(mb);
	rc = mbi_setclr_flag(&tx, &mb->memory, 0, MB_PHYS_ADDR_MAX, false, MB_FLAG_HOTPLUG);
	rc = step_result(mb, mark, rc);
	if (!rc)
		rc = set_reserved_nodes(&tx, &passes);
	if (!rc)
		rc = free_all_pages(mb, max_low_pfn, passes, &pages);
	if (rc)
		return mbi_txn_end(&tx, rc);
	mb->handed_over = true;
	if (pages_out)
		*pages_out = pages;
	return mbi_txn_end(&tx, 0);
}

/* [first, end) pfns of memblock_free_late(), Linux's arithmetic. */
static unsigned long late_pfns(const struct memblock *mb, mb_phys_addr_t base, mb_phys_addr_t size,
			       unsigned long *first)
{
	unsigned long end = mbi_pfn_down(mb, base + size);

	*first = mbi_pfn_up(mb, base);
	return *first < end ? end - *first : 0;
}

static int free_late(struct memblock *mb, mb_phys_addr_t base, mb_phys_addr_t size,
		     const char *caller)
{
	struct page_walk w;
	unsigned long cursor;
	int rc;

	walk_init(&w, mb, late_pfns(mb, base, size, &cursor));
	rc = walk_budget(&w);
	if (rc)
		return rc;
	mbi_trace_range(mb, "memblock_free_late", base, size, caller);
	while (w.done < w.total && !w.stopped)
		free_pages(&w, cursor + w.done, 0);
	return w.stopped ? -MB_EINTR : 0;
}

/**
 * mb_free_late() - memblock_free_late(): whole pages straight to free_pages
 * @mb: instance, after mb_free_all()
 * @base: physical start
 * @size: bytes
 *
 * Return: 0, -MB_EINVAL, -MB_ESTATE before the handover, -MB_EBUDGET
 * (nothing done) beyond cfg.max_pages, -MB_EINTR when ops.progress
 * stopped it part-way.
 */
int mb_free_late(struct memblock *mb, mb_phys_addr_t base, mb_phys_addr_t size)
{
	if (!mb)
		return -MB_EINVAL;
	if (!mb->handed_over)
		return -MB_ESTATE;
	return free_late(mb, base, size, mb->caller);
}

static void discard_type(struct memblock *mb, struct memblock_type *type, bool *managed)
{
	mb_phys_addr_t addr, size;

	if (!*managed || !mb->cfg.ops.virt_to_phys)
		return;
	/* Nothing changes the regions any more: write an index's view out while it is ours. */
	(void)mb_type_regions(mb, type);
	addr = mb->cfg.ops.virt_to_phys(mb->cfg.ops.mem_ctx, type->regions);
	size = mbi_round_up(type->max * sizeof(struct memblock_region), mb->cfg.page_size);
	/* An array is a few pages: within any budget, too short to stop. */
	(void)free_late(mb, addr, size, "memblock_discard");
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
