// SPDX-License-Identifier: MIT
/*
 * replay.c - apply a parsed log to a struct memblock and check it.
 *
 * Range lines change the state as the kernel did. A request line is
 * answered by our allocator from the state so far and compared with the
 * reservation the log shows next. A reservation made by the allocator
 * itself with no request line (older kernels) becomes an inferred
 * request. Dumps are compared region by region.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "replay_internal.h"

/* Allocator-internal callers: their reserve line is an allocation. */
static bool allocator_caller(const char *caller)
{
	static const char *const names[] = {
	    "memblock_alloc_range_nid", "memblock_virt_alloc_internal", "memblock_alloc_internal",
	    "memblock_alloc_base_nid",	"memblock_alloc_nid",		"memblock_phys_alloc_nid",
	};
	size_t n;

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		n = strlen(names[i]);
		if (!strncmp(caller, names[i], n) && (caller[n] == '+' || caller[n] == '\0'))
			return true;
	}
	return false;
}

/* ---- the allocation being checked ---- */

struct attempt {
	const struct mbt_record *req; /* NULL: inferred from a reserve line */
	int nid;		      /* inferred requests: the node tried */
	uint64_t size, align;	      /* align already resolved (never 0) */
	uint64_t got;
	int err;
};

static int alloc_call(struct mbt_replay *r, struct attempt *a)
{
	const struct mbt_record *q = a->req;
	mb_phys_addr_t size, align, from = 0, max = MB_ALLOC_ACCESSIBLE, out = 0;
	void *virt = NULL;
	int nid = q ? q->nid : MB_NUMA_NO_NODE, err;

	if (!mbti_to_phys(a->size, &size) || !mbti_to_phys(a->align, &align) ||
	    (q && (!mbti_to_phys(q->from, &from) || !mbti_to_phys(q->max_addr, &max))))
		return a->err = -MB_ERANGE;
	/* Kernels before 5.13 start a bottom-up search above the kernel image. */
	if (r->bottom_up_floor && mb_bottom_up(&r->mb) && from < r->bottom_up_floor)
		from = (mb_phys_addr_t)r->bottom_up_floor;
	switch (q ? q->fn : MBT_FN_NONE) {
	case MBT_FN_NONE:
		err = mb_alloc_range_nid(&r->mb, size, align, from, MB_ALLOC_ACCESSIBLE, a->nid,
					 false, &out);
		break;
	case MBT_FN_PHYS_ALLOC_RANGE:
		err = mb_phys_alloc_range(&r->mb, size, align, from, max, &out);
		break;
	case MBT_FN_ALLOC_TRY_NID_RAW:
	case MBT_FN_VIRT_ALLOC_TRY_NID_RAW:
		err = mb_alloc_try_nid_raw(&r->mb, size, align, from, max, nid, &virt, &out);
		break;
	case MBT_FN_ALLOC_EXACT_NID_RAW:
		err = mb_alloc_exact_nid_raw(&r->mb, size, align, from, max, nid, &virt, &out);
		break;
	default:
		err = mb_alloc_try_nid(&r->mb, size, align, from, max, nid, &virt, &out);
		break;
	}
	a->got = out;
	return a->err = err;
}

static void alloc_undo(struct mbt_replay *r, const struct attempt *a)
{
	if (!a->err && a->size)
		(void)mb_phys_free(&r->mb, (mb_phys_addr_t)a->got, (mb_phys_addr_t)a->size);
}

/* Try once; keep the result only when it is the log's. */
static bool alloc_matches(struct mbt_replay *r, struct attempt *a, bool want_fail,
			  uint64_t want_base)
{
	alloc_call(r, a);
	if (want_fail ? a->err != 0 : (!a->err && a->got == want_base))
		return true;
	alloc_undo(r, a);
	return false;
}

static bool try_other_direction(struct mbt_replay *r, struct attempt *a, bool want_fail,
				uint64_t want_base, unsigned int line)
{
	bool bottom_up = mb_bottom_up(&r->mb);

	if (r->opt.bottom_up >= 0)
		return false;
	mb_set_bottom_up(&r->mb, !bottom_up);
	if (alloc_matches(r, a, want_fail, want_base)) {
		mbti_replay_note(r, "line %u: allocations are %s from here on (direction inferred)",
			    line, bottom_up ? "top-down" : "bottom-up");
		return true;
	}
	mb_set_bottom_up(&r->mb, bottom_up);
	return false;
}

/*
 * Before 5.13 a bottom-up search started at the end of the kernel image
 * (and fell back to top-down). Guess that end as the end of the highest
 * reservation below the log's address: the kernel image in every log seen.
 */
static bool try_kernel_end(struct mbt_replay *r, struct attempt *a, bool want_fail,
			   uint64_t want_base, unsigned int line)
{
	const struct memblock_type *res = &r->mb.reserved;
	bool bottom_up = mb_bottom_up(&r->mb),
	     old = strcmp(r->profile_name, "linux-6.12") && strcmp(r->profile_name, "linux-6.1");
	uint64_t floor = 0;

	if (want_fail || r->bottom_up_floor || !old || (!bottom_up && r->opt.bottom_up >= 0))
		return false;
	const struct memblock_region *rgn = mb_type_regions(&r->mb, res);

	for (unsigned long i = 0; i < res->cnt; i++) {
		uint64_t end = rgn[i].base + rgn[i].size;

		if (end <= want_base && end > floor)
			floor = end;
	}
	if (!floor)
		return false;
	r->bottom_up_floor = floor;
	mb_set_bottom_up(&r->mb, true);
	if (alloc_matches(r, a, want_fail, want_base)) {
		mbti_replay_note(r,
			    "line %u: bottom-up allocations start above the kernel image end "
			    "0x%llx (kernels before 5.13; inferred)",
			    line, (unsigned long long)floor);
		return true;
	}
	r->bottom_up_floor = 0;
	mb_set_bottom_up(&r->mb, bottom_up);
	return false;
}

/* An inferred request may have been for a node (NODE_DATA, per-node maps). */
static bool try_nodes(struct mbt_replay *r, struct attempt *a, bool want_fail, uint64_t want_base,
		      unsigned int line)
{
	if (a->req || want_fail || !r->numa)
		return false;
	for (int nid = 0; nid < r->max_nid_seen + 1 && nid < r->cfg.max_numnodes; nid++) {
		a->nid = nid;
		if (alloc_matches(r, a, want_fail, want_base)) {
			if (r->nr_notes < MBT_MAX_NOTES / 2)
				mbti_replay_note(r, "line %u: inferred request was for node %d", line,
					    nid);
			return true;
		}
	}
	a->nid = MB_NUMA_NO_NODE;
	return false;
}

/* align=0x0 means SMP_CACHE_BYTES of the architecture: find which. */
static bool try_cache_sizes(struct mbt_replay *r, struct attempt *a, bool want_fail,
			    uint64_t want_base, unsigned int line)
{
	static const uint64_t sizes[] = {32, 64, 128, 16, 256, 8};

	if (!a->req || a->req->align || r->opt.smp_cache_bytes)
		return false;
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		if (sizes[i] == r->smp_cache_bytes)
			continue;
		a->align = sizes[i];
		if (alloc_matches(r, a, want_fail, want_base)) {
			mbti_replay_note(r,
				    "line %u: align=0x0 means SMP_CACHE_BYTES = %llu on this "
				    "machine (inferred)",
				    line, (unsigned long long)sizes[i]);
			r->smp_cache_bytes = sizes[i];
			return true;
		}
	}
	a->align = r->smp_cache_bytes;
	return false;
}

/*
 * A log that starts late with no dump: whatever lies between our answer
 * and the kernel's was reserved (or above the limit) before the log.
 */
static bool try_learning(struct mbt_replay *r, struct attempt *a, uint64_t want_base)
{
	uint64_t from, to;

	if (!r->learning || a->err)
		return false;
	if (mb_bottom_up(&r->mb)) {
		if (a->got >= want_base)
			return false;
		from = a->got;
		to = want_base;
	} else {
		if (a->got <= want_base)
			return false;
		from = want_base + a->size;
		to = a->got + a->size;
	}
	alloc_undo(r, a);
	if (to <= from || mb_reserve(&r->mb, (mb_phys_addr_t)from, (mb_phys_addr_t)(to - from)))
		return false;
	if (r->an)
		mbti_an_reserve(r->an, from, to - from, "(unknown, before the log)", 0);
	return alloc_matches(r, a, false, want_base);
}

static void collect_free_ranges(struct mbt_replay *r, struct mbt_divergence *dv, uint64_t around)
{
	mb_phys_addr_t start, end;
	uint64_t idx, bases[64], ends[64];
	unsigned int n = 0, near = 0;

	mb_for_each_free_mem_range(&r->mb, idx, MB_NUMA_NO_NODE, MB_FLAG_NONE, &start, &end, NULL)
	{
		if (n == 64) {
			if (near + 3 >= n - 1)
				break;
			memmove(bases, bases + 32, 32 * sizeof(bases[0]));
			memmove(ends, ends + 32, 32 * sizeof(ends[0]));
			n -= 32;
			near = near > 32 ? near - 32 : 0;
		}
		bases[n] = start;
		ends[n] = end;
		if (start <= around)
			near = n;
		n++;
	}
	dv->nr_free = 0;
	for (unsigned int i = near > 2 ? near - 2 : 0; i < n && dv->nr_free < 6; i++) {
		dv->free_base[dv->nr_free] = bases[i];
		dv->free_end[dv->nr_free++] = ends[i];
	}
}

static void record_divergence(struct mbt_replay *r, const struct attempt *a, unsigned int res_line,
			      bool want_fail, uint64_t want_base, const char *what)
{
	struct mbt_divergence *dv = &r->first;

	r->st.allocs_diverged++;
	if (dv->set)
		return;
	dv->set = true;
	dv->request_line = a->req ? a->req->line : 0;
	dv->result_line = res_line;
	dv->expected_base = want_base;
	dv->expected_size = a->size;
	dv->expected_failure = want_fail;
	dv->computed_base = a->got;
	dv->computed_err = a->err;
	snprintf(dv->what, sizeof(dv->what), "%s", what);
	collect_free_ranges(r, dv, want_fail ? a->got : want_base);
}

static void an_alloc(struct mbt_replay *r, const struct attempt *a, uint64_t base,
		     const char *caller, unsigned int line)
{
	if (r->an && a->size)
		mbti_an_reserve(r->an, base, a->size, caller, line);
}

/*
 * The log reserved [base, base + size) for @a (or, with @res NULL, shows
 * no reservation: the allocation failed). Check ours does the same.
 */
static void check_alloc(struct mbt_replay *r, struct attempt *a, const struct mbt_record *res,
			const char *owner)
{
	bool want_fail = !res;
	uint64_t want_base = res ? res->base : 0;
	unsigned int line = res ? res->line : a->req->line;
	char what[160];

	if (res && a->size != mbti_range_size(res->base, res->last)) {
		alloc_call(r, a);
		alloc_undo(r, a);
		snprintf(what, sizeof(what),
			 "the log reserves 0x%llx bytes for a 0x%llx-byte request",
			 (unsigned long long)mbti_range_size(res->base, res->last),
			 (unsigned long long)a->size);
		record_divergence(r, a, res->line, false, want_base, what);
		goto apply_log;
	}
	if (alloc_matches(r, a, want_fail, want_base) ||
	    try_other_direction(r, a, want_fail, want_base, line) ||
	    try_kernel_end(r, a, want_fail, want_base, line) ||
	    try_nodes(r, a, want_fail, want_base, line) ||
	    try_cache_sizes(r, a, want_fail, want_base, line)) {
		r->st.allocs_verified++;
		if (!want_fail)
			an_alloc(r, a, a->got, owner, line);
		return;
	}
	alloc_call(r, a);
	if (!want_fail && try_learning(r, a, want_base)) {
		r->st.allocs_assumed++;
		an_alloc(r, a, a->got, owner, line);
		return;
	}
	if (want_fail)
		snprintf(what, sizeof(what), "the log's allocation failed, ours returned 0x%llx",
			 (unsigned long long)a->got);
	else if (a->err)
		snprintf(what, sizeof(what), "the log placed it at 0x%llx, ours failed (%s)",
			 (unsigned long long)want_base, mb_strerror(a->err));
	else
		snprintf(what, sizeof(what), "the log placed it at 0x%llx, ours at 0x%llx",
			 (unsigned long long)want_base, (unsigned long long)a->got);
	alloc_undo(r, a);
	record_divergence(r, a, res ? res->line : 0, want_fail, want_base, what);
apply_log:
	if (res && mbti_range_size(res->base, res->last)) {
		(void)mb_reserve(&r->mb, (mb_phys_addr_t)res->base,
				 (mb_phys_addr_t)mbti_range_size(res->base, res->last));
		if (r->an)
			mbti_an_reserve(r->an, res->base, mbti_range_size(res->base, res->last), owner,
				       res->line);
	}
}

/* Why our allocator cannot (or can) satisfy a request the kernel failed. */
static void failure_reason(struct mbt_replay *r, const struct attempt *a, char *buf, size_t len)
{
	mb_phys_addr_t start, end;
	uint64_t idx, largest = 0, largest_base = 0;

	mb_for_each_free_mem_range(&r->mb, idx, MB_NUMA_NO_NODE, MB_FLAG_NONE, &start, &end, NULL)
	{
		if (end - start > largest) {
			largest = end - start;
			largest_base = start;
		}
	}
	if (!a->err) {
		snprintf(buf, len,
			 "our allocator would place it at 0x%llx: an untraced limit or "
			 "reservation made the kernel fail",
			 (unsigned long long)a->got);
		return;
	}
	if (!largest) {
		snprintf(buf, len, "our allocator fails too: no free memory at all");
		return;
	}
	snprintf(buf, len,
		 "our allocator fails too (%s): largest free range 0x%llx bytes at "
		 "0x%llx, limit 0x%llx",
		 mb_strerror(a->err), (unsigned long long)largest, (unsigned long long)largest_base,
		 (unsigned long long)r->mb.current_limit);
}

static void resolve_pending(struct mbt_replay *r, const struct mbt_record *res,
			    const struct mbt_record *failure)
{
	struct attempt a = {0};
	struct mbt_record logged;
	char reason[160];

	if (!r->has_pending)
		return;
	r->has_pending = false;
	a.req = &r->pending;
	a.size = r->pending.size;
	a.align = r->pending.align ? r->pending.align : r->smp_cache_bytes;
	check_alloc(r, &a, res, r->pending.caller);
	if (res || !r->an)
		return;
	alloc_call(r, &a);
	alloc_undo(r, &a);
	failure_reason(r, &a, reason, sizeof(reason));
	logged = r->pending;
	if (failure)
		logged.line = failure->line;
	mbti_an_failure(r->an, &logged, a.err, reason);
}

/*
 * A reserve by the allocator with no request line (older kernels): the
 * size is the range's, the alignment the address's own. Any smaller
 * alignment that gave this address gives it with the larger one too, in
 * both directions, so one attempt decides.
 */
static void infer_alloc(struct mbt_replay *r, const struct mbt_record *res)
{
	struct attempt a = {0};
	unsigned long verified = r->st.allocs_verified;

	r->st.allocs_present++;
	r->st.allocs_inferred++;
	a.nid = MB_NUMA_NO_NODE;
	a.size = mbti_range_size(res->base, res->last);
	a.align = res->base ? res->base & (~res->base + 1) : (uint64_t)1 << 40;
	if (a.align > ((uint64_t)1 << 40))
		a.align = (uint64_t)1 << 40;
	check_alloc(r, &a, res, res->caller);
	if (r->st.allocs_verified > verified && r->nr_notes < MBT_MAX_NOTES / 2)
		mbti_replay_note(r,
			    "line %u: inferred request of 0x%llx bytes, align=0x%llx (from the "
			    "address): placed there by our allocator",
			    res->line, (unsigned long long)a.size, (unsigned long long)a.align);
}

/* ---- range lines ---- */

static int range_call(struct mbt_replay *r, const struct mbt_record *rec, mb_phys_addr_t base,
		      mb_phys_addr_t size)
{
	switch (rec->fn) {
	case MBT_FN_ADD:
		return mb_add(&r->mb, base, size);
	case MBT_FN_ADD_NODE:
		return mb_add_node(&r->mb, base, size, rec->nid, rec->flags);
	case MBT_FN_REMOVE:
		return mb_remove(&r->mb, base, size);
	case MBT_FN_RESERVE:
		return mb_reserve(&r->mb, base, size);
	case MBT_FN_FREE:
	case MBT_FN_PHYS_FREE:
	case MBT_FN_FREE_EARLY:
		return mb_phys_free(&r->mb, base, size);
	case MBT_FN_PHYSMEM_ADD:
		return mb_physmem_add(&r->mb, base, size);
	default:
		return 0; /* free_late: pages go to the buddy allocator, memblock unchanged */
	}
}

static void range_op(struct mbt_replay *r, const struct mbt_record *rec)
{
	uint64_t size = mbti_range_size(rec->base, rec->last);
	mb_phys_addr_t pbase, psize;
	int err;

	if (rec->fn == MBT_FN_RESERVE && r->has_pending) {
		resolve_pending(r, rec, NULL);
		return;
	}
	resolve_pending(r, NULL, NULL);
	if (r->memory_from_dump && rec->line < r->dump_seed_line &&
	    (rec->fn == MBT_FN_ADD || rec->fn == MBT_FN_ADD_NODE || rec->fn == MBT_FN_REMOVE))
		return; /* memory was taken from the first dump */
	if (rec->fn == MBT_FN_RESERVE && allocator_caller(rec->caller) && size) {
		infer_alloc(r, rec);
		return;
	}
	if (!size && rec->fn != MBT_FN_ADD_NODE)
		r->st.zero_size_frees +=
		    rec->fn != MBT_FN_ADD && rec->fn != MBT_FN_RESERVE && rec->fn != MBT_FN_REMOVE;
	if (!mbti_to_phys(rec->base, &pbase) || !mbti_to_phys(size, &psize)) {
		r->st.op_errors++;
		mbti_replay_note(r, "line %u: %s range does not fit this build's phys_addr_t", rec->line,
			    mbt_fn_name(rec->fn));
		return;
	}
	err = range_call(r, rec, pbase, psize);
	r->st.ops_applied++;
	if (err) {
		r->st.op_errors++;
		mbti_replay_note(r, "line %u: %s failed in our allocator: %s", rec->line,
			    mbt_fn_name(rec->fn), mb_strerror(err));
		return;
	}
	if (!r->an || !size)
		return;
	if (rec->fn == MBT_FN_RESERVE)
		mbti_an_reserve(r->an, rec->base, size, rec->caller, rec->line);
	else if (rec->fn == MBT_FN_FREE || rec->fn == MBT_FN_PHYS_FREE ||
		 rec->fn == MBT_FN_FREE_EARLY)
		mbti_an_free(r->an, rec->base, size);
}

/* ---- dumps ---- */

/* "line N: " for the log's dump line of region @i, when known. */
static const char *region_line(const struct mbt_replay *r, enum mbt_type t, unsigned long i,
			       char *buf, size_t len)
{
	buf[0] = '\0';
	if (t <= MBT_TYPE_RESERVED && i < MBT_DUMP_LINES && r->dump_region_line[t][i])
		snprintf(buf, len, "line %u: ", r->dump_region_line[t][i]);
	return buf;
}

static bool compare_type(struct mbt_replay *r, enum mbt_type t, char *what, size_t len)
{
	char at[24];
	const struct memblock_type *ours = t == MBT_TYPE_MEMORY	    ? &r->mb.memory
					   : t == MBT_TYPE_RESERVED ? &r->mb.reserved
								    : &r->mb.physmem;
	const char *name = mbti_type_name(t);

	if (r->dump_nr[t] < r->dump_cnt[t]) {
		snprintf(what, len, "missing dump lines: %s.cnt = 0x%lx but %lu region lines", name,
			 r->dump_cnt[t], r->dump_nr[t]);
		return false;
	}
	if (ours->cnt != r->dump_cnt[t]) {
		snprintf(what, len, "%s.cnt: log 0x%lx, ours 0x%lx", name, r->dump_cnt[t],
			 ours->cnt);
		return false;
	}
	const struct memblock_region *rgn = mb_type_regions(&r->mb, ours);

	for (unsigned long i = 0; i < ours->cnt; i++) {
		const struct memblock_region *l = &r->dump_regions[t][i], *o = &rgn[i];

		if (l->base == o->base && l->size == o->size && l->flags == o->flags &&
		    (l->nid < 0 || l->nid == o->nid))
			continue;
		snprintf(
		    what, len,
		    "%s%s[0x%lx]: log [0x%llx-0x%llx] flags 0x%x%s, ours [0x%llx-0x%llx] flags 0x%x",
		    region_line(r, t, i, at, sizeof(at)), name, i, (unsigned long long)l->base,
		    (unsigned long long)(l->base + l->size - 1), l->flags,
		    l->nid >= 0 && l->nid != o->nid ? " (node differs)" : "",
		    (unsigned long long)o->base, (unsigned long long)(o->base + o->size - 1),
		    o->flags);
		return false;
	}
	return true;
}

/* Do both cover the same bytes (flags and nodes aside)? */
static bool same_coverage(const struct memblock_region *a, unsigned long na,
			  const struct memblock_region *b, unsigned long nb)
{
	unsigned long i = 0, j = 0;

	while (i < na || j < nb) {
		uint64_t sa, ea, sb, eb;

		if (i >= na || j >= nb)
			return false;
		sa = a[i].base;
		ea = sa + a[i].size;
		while (++i < na && a[i].base == ea)
			ea += a[i].size;
		sb = b[j].base;
		eb = sb + b[j].size;
		while (++j < nb && b[j].base == eb)
			eb += b[j].size;
		if (sa != sb || ea != eb)
			return false;
	}
	return true;
}

static void explain_flags(struct mbt_replay *r, enum mbt_type t, char *what, size_t len)
{
	const struct memblock_type *ours = t == MBT_TYPE_MEMORY ? &r->mb.memory : &r->mb.reserved;
	size_t used = strlen(what);

	if (t > MBT_TYPE_RESERVED || r->dump_nr[t] < r->dump_cnt[t] ||
	    !same_coverage(r->dump_regions[t], r->dump_nr[t], mb_type_regions(&r->mb, ours),
			   ours->cnt))
		return;
	snprintf(what + used, len - used,
		 "; same ranges: a node or flag no inferred kernel step explains");
}

/* Memory covers the same bytes as the dump's (flags aside)? */
static bool flags_only(const struct mbt_replay *r)
{
	return same_coverage(r->dump_regions[MBT_TYPE_MEMORY], r->dump_nr[MBT_TYPE_MEMORY],
			     mb_type_regions(&r->mb, &r->mb.memory), r->mb.memory.cnt);
}

static bool compare_dump(struct mbt_replay *r, char *what, size_t len, bool *complete)
{
	*complete = r->dump_sizes_seen && r->dump_cnt_seen[0] && r->dump_cnt_seen[1] &&
		    r->dump_nr[0] >= r->dump_cnt[0] && r->dump_nr[1] >= r->dump_cnt[1];
	if (!r->dump_cnt_seen[0] || !r->dump_cnt_seen[1]) {
		snprintf(what, len, "missing dump lines: no %s.cnt line",
			 r->dump_cnt_seen[0] ? "reserved" : "memory");
		return false;
	}
	for (int t = 0; t < MBT_TYPE_COUNT; t++)
		if (r->dump_cnt_seen[t] && !compare_type(r, (enum mbt_type)t, what, len)) {
			explain_flags(r, (enum mbt_type)t, what, len);
			return false;
		}
	if (!r->dump_sizes_seen) {
		snprintf(what, len, "missing dump lines: no 'memory size' line");
		return false;
	}
	if (r->dump_total[0] != r->mb.memory.total_size ||
	    r->dump_total[1] != r->mb.reserved.total_size) {
		snprintf(what, len,
			 "sizes: log memory 0x%llx reserved 0x%llx, ours 0x%llx / 0x%llx",
			 (unsigned long long)r->dump_total[0], (unsigned long long)r->dump_total[1],
			 (unsigned long long)r->mb.memory.total_size,
			 (unsigned long long)r->mb.reserved.total_size);
		return false;
	}
	return true;
}

static void dump_finish(struct mbt_replay *r)
{
	struct mbt_dump_result *d = NULL;
	char what[200];
	bool complete;

	if (!r->in_dump)
		return;
	r->st.dumps++;
	if (r->nr_dumps < MBT_MAX_DUMPS)
		d = &r->dumps[r->nr_dumps++];
	if (compare_dump(r, what, sizeof(what), &complete) ||
	    (complete && flags_only(r) && mbti_replay_infer_memory_flags(r) &&
	     !mbti_state_from_dump(r, false, r->dump_line))) {
		r->st.dumps_matched++;
		if (d)
			*d = (struct mbt_dump_result){.line = r->dump_line, .matched = true};
	} else {
		if (d) {
			d->line = r->dump_line;
			d->matched = false;
			snprintf(d->what, sizeof(d->what), "%s", what);
		}
		if (complete && !mbti_state_from_dump(r, false, r->dump_line))
			mbti_replay_note(r, "line %u: state resynchronised from this dump",
				    r->dump_line);
	}
	mbti_dump_reset(r);
}

/* "Failed to allocate S bytes [below M]" with no request line: ask ours. */
static void failure_without_request(struct mbt_replay *r, const struct mbt_record *rec)
{
	struct mbt_record req = *rec;
	struct attempt a = {0};
	char reason[160];

	if (!rec->size) {
		mbti_an_failure(r->an, rec, 0, "no size in the message");
		return;
	}
	req.fn = MBT_FN_PHYS_ALLOC_RANGE;
	req.from = 0;
	a.req = &req;
	a.size = rec->size;
	a.align = rec->align ? rec->align : r->smp_cache_bytes;
	alloc_call(r, &a);
	alloc_undo(r, &a);
	failure_reason(r, &a, reason, sizeof(reason));
	mbti_an_failure(r->an, rec, a.err, reason);
}

/* SRAT / NUMA lines: the kernel gives memory its node without a trace line. */
static void fw_numa(struct mbt_replay *r, const struct mbt_record *rec)
{
	mb_phys_addr_t base, size;

	if (!r->numa || rec->nid < 0 || rec->nid >= r->cfg.max_numnodes || rec->last < rec->base ||
	    !mbti_to_phys(rec->base, &base) || !mbti_to_phys(mbti_range_size(rec->base, rec->last), &size))
		return;
	if (rec->nid > r->max_nid_seen)
		r->max_nid_seen = rec->nid;
	/* The blocks take effect at NUMA init (replay_infer.c), not line by line. */
	mbti_replay_infer_numa_line(r, rec);
	if (!r->x86 && !mb_set_node(&r->mb, base, size, &r->mb.memory, rec->nid))
		r->st.ops_applied++;
}

/* ---- the main loop ---- */

static void replay_record(struct mbt_replay *r, const struct mbt_record *rec)
{
	bool dump_line = rec->kind == MBT_DUMP_SIZES || rec->kind == MBT_DUMP_CNT ||
			 rec->kind == MBT_DUMP_REGION;

	if (r->in_dump && !dump_line)
		dump_finish(r);
	mbti_replay_infer_before(r, rec);
	if (rec->kind != MBT_NOISE && rec->kind != MBT_FW_MEMORY && rec->kind != MBT_FW_RESERVED &&
	    rec->kind != MBT_FW_NUMA && rec->kind != MBT_ALLOC_FAILURE) {
		r->st.memblock_lines++;
		if (!r->first_memblock_line)
			r->first_memblock_line = rec->line;
	}
	switch (rec->kind) {
	case MBT_MALFORMED:
		r->st.malformed++;
		mbti_replay_note(r, "line %u: malformed memblock line skipped (%s)", rec->line,
			    rec->why ? rec->why : "?");
		break;
	case MBT_RANGE_OP:
		r->st.ops_read++;
		range_op(r, rec);
		break;
	case MBT_ALLOC_REQ:
		r->st.ops_read++;
		resolve_pending(r, NULL, NULL);
		r->st.alloc_requests++;
		r->st.allocs_present++;
		r->pending = *rec;
		r->has_pending = true;
		break;
	case MBT_DOUBLED:
		r->st.doublings++;
		break;
	case MBT_DUMP_BEGIN:
		resolve_pending(r, NULL, NULL);
		mbti_dump_reset(r);
		memset(r->dump_region_line, 0, sizeof(r->dump_region_line));
		r->in_dump = true;
		r->dump_line = rec->line;
		break;
	case MBT_DUMP_SIZES:
	case MBT_DUMP_CNT:
	case MBT_DUMP_REGION:
		if (!r->in_dump) {
			mbti_dump_reset(r);
			r->in_dump = true;
			r->dump_line = rec->line;
		}
		(void)mbti_dump_collect(r, rec);
		if (rec->kind == MBT_DUMP_REGION && rec->type <= MBT_TYPE_RESERVED &&
		    rec->index < MBT_DUMP_LINES)
			r->dump_region_line[rec->type][rec->index] = rec->line;
		break;
	case MBT_ALLOC_FAILURE:
		r->st.alloc_failures_logged++;
		if (r->has_pending)
			resolve_pending(r, NULL, rec);
		else if (r->an)
			failure_without_request(r, rec);
		break;
	case MBT_FW_NUMA:
		fw_numa(r, rec);
		r->st.fw_lines++;
		break;
	case MBT_FW_MEMORY:
	case MBT_FW_RESERVED:
		r->st.fw_lines++;
		break;
	default:
		break;
	}
}

static void replay_finish(struct mbt_replay *r)
{
	if (r->in_dump)
		dump_finish(r);
	if (r->has_pending) {
		r->has_pending = false;
		r->st.allocs_unresolved++;
		mbti_replay_note(r, "line %u: the log ends right after this request: not verified",
			    r->pending.line);
	}
}

static int replay_once(struct mbt_replay *r, const char *buf, size_t len,
		       const struct mbt_options *opt, struct mbt_analysis *an, int numa_rules)
{
	struct mbt_parser p;
	struct mbt_record rec;
	int err;

	memset(r, 0, sizeof(*r));
	r->numa_rules = numa_rules;
	r->opt.bottom_up = -1;
	if (opt)
		r->opt = *opt;
	r->an = an;
	if (an)
		mbti_an_reset(an);
	if ((err = mbti_state_alloc(r)))
		return err;
	err = mbti_replay_detect(r, buf, len);
	if (err < 0)
		return err;
	mbti_replay_infer_init(r, buf, len);
	mbt_parser_init(&p, buf, len);
	while (mbt_parser_next(&p, &rec)) {
		r->st.records++;
		replay_record(r, &rec);
		if (r->opt.progress && r->st.records % MBT_PROGRESS_RECORDS == 0 &&
		    !r->opt.progress(r->opt.progress_ctx, p.pos, len))
			return -MB_EINTR;
	}
	r->st.lines = p.lineno;
	replay_finish(r);
	if (an)
		mbti_an_explain(an, buf, len);
	if (err == MBT_REPLAY_NO_LINES || !r->st.memblock_lines)
		return MBT_REPLAY_NO_LINES;
	if (r->st.allocs_diverged || r->st.dumps_matched < r->st.dumps)
		return MBT_REPLAY_DIVERGED;
	return MBT_REPLAY_MATCHED;
}

/*
 * A log without its "Linux version" line does not say which NUMA init
 * rules its kernel follows (numa_memblks since 6.12): when the guess does
 * not explain the dumps, the other rules get their chance.
 */
int mbt_replay_log(struct mbt_replay *r, const char *buf, size_t len, const struct mbt_options *opt,
		   struct mbt_analysis *an)
{
	int ret = replay_once(r, buf, len, opt, an, 0), alt;

	if (ret != MBT_REPLAY_DIVERGED || r->kernel_major || !r->numa_rules_used)
		return ret;
	alt = r->numa_rules_used == 2 ? 1 : 2;
	mbt_replay_fini(r);
	ret = replay_once(r, buf, len, opt, an, alt);
	if (ret < 0 || ret == MBT_REPLAY_MATCHED) {
		if (ret == MBT_REPLAY_MATCHED)
			mbti_replay_infer_note(r,
					  "no \"Linux version\" line: the NUMA init of Linux %s "
					  "explains the dumps",
					  alt == 2 ? "6.12 or later" : "before 6.12");
		return ret;
	}
	mbt_replay_fini(r);
	return replay_once(r, buf, len, opt, an, 0);
}

void mbt_replay_fini(struct mbt_replay *r)
{
	mbti_state_free(r);
}

struct mbt_replay *mbt_replay_new(void)
{
	return calloc(1, sizeof(struct mbt_replay));
}

void mbt_replay_free(struct mbt_replay *r)
{
	if (!r)
		return;
	mbt_replay_fini(r);
	free(r);
}

const struct mbt_stats *mbt_replay_stats(const struct mbt_replay *r)
{
	return &r->st;
}

const struct memblock *mbt_replay_memblock(const struct mbt_replay *r)
{
	return &r->mb;
}

const char *mbt_replay_profile_name(const struct mbt_replay *r)
{
	return r->profile_name;
}

const char *mbt_replay_failure(const struct mbt_replay *r, unsigned int *line)
{
	if (line)
		*line = r->fail_line;
	return r->fail_why;
}
