// SPDX-License-Identifier: MIT
/* explain.c - why an allocation failed (see <memblock/explain.h>). */
#include <stdint.h>
#include <stdio.h>

#include <memblock/explain.h>

/* What the free ranges offer, split by where they lie. */
struct offer {
	uint64_t below, below_base;	 /* largest usable piece in [min, limit) */
	uint64_t above, above_base;	 /* largest usable piece above the limit */
	uint64_t above_total;		 /* free bytes above the limit */
	uint64_t under_min;		 /* largest usable piece below min_addr */
	uint64_t node_best[2];		 /* largest usable on the node, elsewhere */
	int other_nid;			 /* where node_best[1] is */
	uint64_t unmirrored;		 /* largest usable piece outside mirror */
	uint64_t total, largest;	 /* all free memory */
	unsigned long ranges;
};

static uint64_t round_up(uint64_t v, uint64_t a)
{
	return (v + a - 1) & ~(a - 1);
}

/* The most a request aligned to @align can take from [start, end). */
static uint64_t usable(uint64_t start, uint64_t end, uint64_t align)
{
	uint64_t s = round_up(start, align);

	return s < start || s >= end ? 0 : end - s;
}

static void keep(uint64_t *best, uint64_t *best_base, uint64_t v, uint64_t base)
{
	if (v > *best) {
		*best = v;
		if (best_base)
			*best_base = base;
	}
}

static bool in_mirror(const struct memblock *mb, uint64_t addr)
{
	const struct memblock_region *mem = mb_type_regions(mb, &mb->memory);

	for (unsigned long i = 0; i < mb->memory.cnt; i++) {
		const struct memblock_region *r = &mem[i];

		if (addr >= r->base && addr - r->base < r->size)
			return r->flags & MB_FLAG_MIRROR;
	}
	return false;
}

static bool has_mirror(const struct memblock *mb)
{
	const struct memblock_region *mem = mb_type_regions(mb, &mb->memory);

	for (unsigned long i = 0; i < mb->memory.cnt; i++)
		if (mem[i].flags & MB_FLAG_MIRROR)
			return true;
	return false;
}

static void survey(const struct memblock *mb, const struct mb_alloc_request *req, uint64_t align,
		   uint64_t limit, struct offer *o)
{
	mb_phys_addr_t start, end;
	uint64_t idx;
	int nid;

	*o = (struct offer){.other_nid = -1};
	mb_for_each_free_mem_range(mb, idx, MB_NUMA_NO_NODE, MB_FLAG_NONE, &start, &end, &nid)
	{
		uint64_t lo = start > req->min_addr ? start : req->min_addr;
		uint64_t hi = end < limit ? end : limit, u;

		o->total += end - start;
		o->ranges++;
		keep(&o->largest, NULL, end - start, 0);
		if (end > limit) {
			uint64_t from = start > limit ? start : limit;

			o->above_total += end - from;
			keep(&o->above, &o->above_base, usable(from, end, align), from);
		}
		if (start < req->min_addr)
			keep(&o->under_min, NULL, usable(start, end < req->min_addr ? end :
							 req->min_addr, align), 0);
		if (lo >= hi)
			continue;
		u = usable(lo, hi, align);
		keep(&o->below, &o->below_base, u, lo);
		if (nid == req->nid)
			keep(&o->node_best[0], NULL, u, 0);
		else if (u > o->node_best[1]) {
			o->node_best[1] = u;
			o->other_nid = nid;
		}
		if (!in_mirror(mb, lo))
			keep(&o->unmirrored, NULL, u, 0);
	}
}

void mb_explain_alloc_failure(const struct memblock *mb, const struct mb_alloc_request *req,
			      char *buf, size_t len)
{
	uint64_t align = req->align ? req->align : mb->cfg.smp_cache_bytes;
	uint64_t limit = req->max_addr;
	const char *lname = "max_addr";
	struct offer o;

	if (!buf || !len)
		return;
	if (!mb || !req) {
		snprintf(buf, len, "no instance");
		return;
	}
	if (align & (align - 1))
		align = mb->cfg.smp_cache_bytes;
	if (limit == MB_ALLOC_ACCESSIBLE || limit > mb->current_limit) {
		limit = mb->current_limit;
		lname = "current_limit";
	}
	survey(mb, req, align, limit, &o);
	if (o.below >= req->size && req->exact_nid && req->nid >= 0 && o.node_best[0] < req->size)
		snprintf(buf, len,
			 "node %d has no free range of that size (largest 0x%llx bytes); node %d "
			 "has 0x%llx bytes in one range",
			 req->nid, (unsigned long long)o.node_best[0], o.other_nid,
			 (unsigned long long)o.node_best[1]);
	else if (o.below >= req->size && has_mirror(mb) && mb->cfg.mirrored_kernelcore)
		snprintf(buf, len,
			 "only mirrored memory was searched; 0x%llx bytes fit in unmirrored memory",
			 (unsigned long long)o.unmirrored);
	else if (o.below >= req->size)
		snprintf(buf, len,
			 "0x%llx bytes fit below %s 0x%llx at 0x%llx: the flags of that memory "
			 "(hotplug with movable_node, nomap) kept the request out",
			 (unsigned long long)o.below, lname, (unsigned long long)limit,
			 (unsigned long long)o.below_base);
	else if (o.above >= req->size)
		snprintf(buf, len,
			 "largest free range below %s 0x%llx is 0x%llx bytes; 0x%llx bytes free "
			 "above it (0x%llx in one range at 0x%llx)",
			 lname, (unsigned long long)limit, (unsigned long long)o.below,
			 (unsigned long long)o.above_total, (unsigned long long)o.above,
			 (unsigned long long)o.above_base);
	else if (o.under_min >= req->size)
		snprintf(buf, len,
			 "nothing fits above min_addr 0x%llx (largest 0x%llx bytes); 0x%llx bytes "
			 "fit below it",
			 (unsigned long long)req->min_addr, (unsigned long long)o.below,
			 (unsigned long long)o.under_min);
	else if (o.total < req->size)
		snprintf(buf, len, "only 0x%llx bytes are free in all (%lu ranges)",
			 (unsigned long long)o.total, o.ranges);
	else
		snprintf(buf, len,
			 "0x%llx bytes are free but fragmented: the largest range is 0x%llx bytes, "
			 "0x%llx usable with align 0x%llx",
			 (unsigned long long)o.total, (unsigned long long)o.largest,
			 (unsigned long long)o.below, (unsigned long long)align);
}
