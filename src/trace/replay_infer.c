// SPDX-License-Identifier: MIT
/*
 * replay_infer.c - node and flag changes the kernel makes without a trace
 * line, inferred the way the architecture makes them.
 *
 * memblock_set_node(), memblock_mark_hotplug()/clear_hotplug() and
 * memblock_mark_nomap() print nothing, yet every NUMA kernel calls them
 * while it boots. Replaying a real log without them ends in dumps whose
 * nodes or flags differ. The rules here redo those calls at the point the
 * kernel makes them, from what the log does show, and record each one as
 * an inference the report lists:
 *
 *   NUMA init (x86 SRAT or dummy node, arm64 DT/dummy, any numa_memblks
 *   kernel): the node blocks are clipped to the RAM the way
 *   numa_cleanup_meminfo() does (from 0 before 6.12, from the start of
 *   DRAM since; to the end of RAM), blocks of one node are merged when no
 *   other node lies between them, then memory and reserved regions get
 *   the block's node. It happens right before the first NODE_DATA
 *   reservation, which therefore keeps no node.
 *   SRAT "hotplug" blocks: memory there is marked hotplug, then nodes that
 *   hold a reserved region have the flag cleared again (the kernel's
 *   numa_clear_kernel_node_hotplug()).
 *   A dump whose memory differs from ours only in flags (EFI and
 *   reserved-memory "no-map" ranges, mirror) is taken as the untraced
 *   memblock_mark_nomap()/mark_mirror() calls it shows.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "replay_internal.h"

void mbti_replay_infer_note(struct mbt_replay *r, const char *fmt, ...)
{
	va_list ap;

	r->st.inferences++;
	if (r->nr_inferred >= MBT_MAX_INFERRED)
		return;
	va_start(ap, fmt);
	vsnprintf(r->inferred[r->nr_inferred++], MBT_NOTE_LEN, fmt, ap);
	va_end(ap);
}

static const char *find_text(const char *p, const char *end, const char *word)
{
	size_t n = strlen(word);

	for (; p + n <= end; p++)
		if (*p == *word && !memcmp(p, word, n))
			return p;
	return NULL;
}

static unsigned int line_of(const char *buf, const char *at)
{
	unsigned int line = 1;

	for (const char *p = buf; p < at; p++)
		line += *p == '\n';
	return line;
}

/* "Linux version 6.12.118+deb12-amd64 ..." -> 6, 12 */
static void scan_version(struct mbt_replay *r, const char *buf, const char *end)
{
	const char *p = find_text(buf, end, "Linux version ");
	char *q;
	unsigned long major, minor;

	if (!p)
		return;
	p += strlen("Linux version ");
	major = strtoul(p, &q, 10);
	if (q == p || q >= end || *q != '.')
		return;
	p = q + 1;
	minor = strtoul(p, &q, 10);
	if (q == p || major > 99 || minor > 99)
		return;
	r->kernel_major = (unsigned int)major;
	r->kernel_minor = (unsigned int)minor;
}

/*
 * The first NODE_DATA line: "NODE_DATA(0) allocated [mem A-B]" (x86, 6.12
 * everywhere) or "NUMA: NODE_DATA [mem A-B]" (arm64 6.1).
 */
static void scan_node_data(struct mbt_replay *r, const char *buf, const char *end)
{
	const char *p = find_text(buf, end, "NODE_DATA"), *eol, *mem;
	unsigned long long a, b;

	if (!p)
		return;
	for (eol = p; eol < end && *eol != '\n'; eol++)
		;
	mem = find_text(p, eol, "[mem ");
	if (!mem || sscanf(mem, "[mem %llx-%llx]", &a, &b) != 2 || b < a)
		return;
	r->node_data_line = line_of(buf, p);
	r->node_data_base = a;
	r->node_data_last = b;
}

void mbti_replay_infer_init(struct mbt_replay *r, const char *buf, size_t len)
{
	scan_version(r, buf, buf + len);
	scan_node_data(r, buf, buf + len);
}

/* Kernels with mm/numa_memblks.c (6.12+): every arch stamps reserved. */
static bool numa_memblks(const struct mbt_replay *r)
{
	if (r->numa_rules)
		return r->numa_rules == 2;
	if (!r->kernel_major)
		return !strcmp(r->profile_name, "linux-6.12");
	return r->kernel_major > 6 || (r->kernel_major == 6 && r->kernel_minor >= 12);
}

/* ---- collecting the node blocks ---- */

static void blk_remove(struct mbt_replay *r, unsigned int i)
{
	memmove(&r->numa_blks[i], &r->numa_blks[i + 1],
		(r->nr_numa_blks - i - 1) * sizeof(r->numa_blks[0]));
	r->nr_numa_blks--;
}

/*
 * An SRAT or "Faking a node" line adds a block; x86's "NUMA: Node N ... ->
 * [mem C]" line replaces the blocks of node N it spans by C.
 */
void mbti_replay_infer_numa_line(struct mbt_replay *r, const struct mbt_record *rec)
{
	uint64_t start = rec->base, end = rec->last + 1;
	if (rec->last < rec->base)
		return;
	/* acpi_numa_memory_affinity_init() marks it when it reads the entry. */
	if ((rec->flags & MB_FLAG_HOTPLUG) && r->nr_hotplug_blks < MBT_MAX_NUMA_BLKS)
		r->hotplug_blks[r->nr_hotplug_blks++] =
			(struct mbt_numa_blk){ .start = start, .end = end, .nid = rec->nid };
	for (unsigned int i = 0; i < r->nr_numa_blks;) {
		struct mbt_numa_blk *b = &r->numa_blks[i];

		if (b->nid == rec->nid && b->start >= start && b->end <= end) {
			blk_remove(r, i);
		} else {
			i++;
		}
	}
	if (r->nr_numa_blks >= MBT_MAX_NUMA_BLKS)
		return;
	r->numa_blks[r->nr_numa_blks++] =
		(struct mbt_numa_blk){ .start = start, .end = end, .nid = rec->nid };
	r->numa_pending = true;
	r->numa_dummy |= rec->index == 1;
}

/* Without NUMA lines (arm64 DT NUMA): the nodes the memory already has. */
static void blocks_from_memory(struct mbt_replay *r)
{
	const struct memblock_type *mem = &r->mb.memory;
	const struct memblock_region *rgn = mb_type_regions(&r->mb, mem);

	for (unsigned long i = 0; i < mem->cnt && r->nr_numa_blks < MBT_MAX_NUMA_BLKS; i++) {
		const struct memblock_region *m = &rgn[i];

		if (m->nid < 0 || m->nid >= r->cfg.max_numnodes)
			continue;
		r->numa_blks[r->nr_numa_blks++] = (struct mbt_numa_blk){ .start = m->base,
									 .end = m->base + m->size,
									 .nid = m->nid };
	}
}

/* ---- numa_cleanup_meminfo() ---- */

static int blk_cmp(const void *a, const void *b)
{
	const struct mbt_numa_blk *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

static bool other_node_between(const struct mbt_replay *r, int nid, uint64_t s, uint64_t e)
{
	for (unsigned int k = 0; k < r->nr_numa_blks; k++) {
		const struct mbt_numa_blk *b = &r->numa_blks[k];

		if (b->nid != nid && s < b->end && e > b->start)
			return true;
	}
	return false;
}

static bool overlaps_memory(const struct mbt_replay *r, uint64_t s, uint64_t e)
{
	const struct memblock_type *mem = &r->mb.memory;
	const struct memblock_region *rgn = mb_type_regions(&r->mb, mem);

	for (unsigned long i = 0; i < mem->cnt; i++)
		if (s < rgn[i].base + rgn[i].size && e > rgn[i].base)
			return true;
	return false;
}

static void cleanup_blocks(struct mbt_replay *r, uint64_t low, uint64_t high)
{
	for (unsigned int i = 0; i < r->nr_numa_blks;) {
		struct mbt_numa_blk *b = &r->numa_blks[i];

		if (b->start < low)
			b->start = low;
		if (b->end > high)
			b->end = high;
		if (b->start >= b->end || !overlaps_memory(r, b->start, b->end))
			blk_remove(r, i);
		else
			i++;
	}
	qsort(r->numa_blks, r->nr_numa_blks, sizeof(r->numa_blks[0]), blk_cmp);
	for (unsigned int i = 0; i < r->nr_numa_blks; i++)
		for (unsigned int j = i + 1; j < r->nr_numa_blks;) {
			struct mbt_numa_blk *a = &r->numa_blks[i], *b = &r->numa_blks[j];
			uint64_t s = a->start < b->start ? a->start : b->start;
			uint64_t e = a->end > b->end ? a->end : b->end;

			if (a->nid != b->nid || other_node_between(r, a->nid, s, e)) {
				j++;
				continue;
			}
			a->start = s;
			a->end = e;
			blk_remove(r, j);
		}
}

/* ---- applying ---- */

static void set_node(struct mbt_replay *r, struct memblock_type *t, uint64_t s, uint64_t e, int nid)
{
	mb_phys_addr_t base, size;

	if (mbti_to_phys(s, &base) && mbti_to_phys(e - s, &size) && !mb_set_node(&r->mb, base, size, t, nid))
		r->st.ops_applied++;
}

/* numa_clear_kernel_node_hotplug(): nodes holding reservations stay. */
static void clear_kernel_node_hotplug(struct mbt_replay *r, unsigned int line)
{
	bool node_used[MBT_MAX_NUMA_BLKS] = { false };
	const struct memblock_type *res = &r->mb.reserved;
	const struct memblock_region *rgn = mb_type_regions(&r->mb, res);
	unsigned long cleared = 0;

	for (unsigned long i = 0; i < res->cnt; i++)
		if (rgn[i].nid >= 0 && rgn[i].nid < MBT_MAX_NUMA_BLKS)
			node_used[rgn[i].nid] = true;
	for (unsigned long i = 0; i < r->mb.memory.cnt; i++) {
		/* By value: clearing the flag changes the regions. */
		struct memblock_region m = mb_type_regions(&r->mb, &r->mb.memory)[i];

		if (!(m.flags & MB_FLAG_HOTPLUG) || m.nid < 0 || m.nid >= MBT_MAX_NUMA_BLKS ||
		    !node_used[m.nid])
			continue;
		if (!mb_clear_hotplug(&r->mb, m.base, m.size))
			cleared++;
	}
	if (cleared)
		mbti_replay_infer_note(r,
				  "line %u: clear-hotplug: hotplug flag cleared on %lu memory "
				  "regions of nodes holding reservations "
				  "(numa_clear_kernel_node_hotplug)",
				  line, cleared);
}

static void mark_hotplug_blocks(struct mbt_replay *r, unsigned int line)
{
	for (unsigned int i = 0; i < r->nr_hotplug_blks; i++) {
		const struct mbt_numa_blk *b = &r->hotplug_blks[i];
		mb_phys_addr_t base, size;

		if (!overlaps_memory(r, b->start, b->end) || !mbti_to_phys(b->start, &base) ||
		    !mbti_to_phys(b->end - b->start, &size) || mb_mark_hotplug(&r->mb, base, size))
			continue;
		mbti_replay_infer_note(
			r,
			"line %u: memblock_mark_hotplug [0x%llx-0x%llx] (SRAT hot-pluggable "
			"range in RAM)",
			line, (unsigned long long)b->start, (unsigned long long)b->end - 1);
	}
}

static void describe_blocks(struct mbt_replay *r, char *out, size_t len)
{
	size_t used = 0;

	out[0] = '\0';
	for (unsigned int i = 0; i < r->nr_numa_blks && used + 48 < len; i++)
		used += (size_t)snprintf(out + used, len - used, "%s[0x%llx-0x%llx] node %d",
					 i ? ", " : "", (unsigned long long)r->numa_blks[i].start,
					 (unsigned long long)r->numa_blks[i].end - 1,
					 r->numa_blks[i].nid);
}

/* A fingerprint of both region arrays: did an inference change anything? */
static uint64_t state_hash(const struct mbt_replay *r)
{
	const struct memblock_type *types[2] = { &r->mb.memory, &r->mb.reserved };
	uint64_t h = 1469598103934665603ull;

	for (int t = 0; t < 2; t++) {
		const struct memblock_region *rgn = mb_type_regions(&r->mb, types[t]);

		for (unsigned long i = 0; i < types[t]->cnt; i++) {
			const struct memblock_region *g = &rgn[i];
			uint64_t v[4] = { g->base, g->size, (uint64_t)(int64_t)g->nid, g->flags };

			for (int k = 0; k < 4; k++)
				h = (h ^ v[k]) * 1099511628211ull;
		}
	}
	return h;
}

/*
 * numa_memblks_init() first takes every node away (NUMA_NO_NODE), which
 * keeps regions reserved before NUMA init apart from later ones (those
 * get MAX_NUMNODES): both print no node, but they do not merge.
 */
static void reset_nodes(struct mbt_replay *r)
{
	int nid = numa_memblks(r) ? MB_NUMA_NO_NODE : r->cfg.max_numnodes;
	mb_phys_addr_t all = (mb_phys_addr_t)-1;

	(void)mb_set_node(&r->mb, 0, all, &r->mb.memory, nid);
	(void)mb_set_node(&r->mb, 0, all, &r->mb.reserved, nid);
}

static void numa_init(struct mbt_replay *r, unsigned int line)
{
	uint64_t before = state_hash(r);
	bool x86 = r->x86, stamp = x86 || numa_memblks(r), from_lines = r->nr_numa_blks > 0;
	uint64_t low = 0, high;
	const char *how;
	char blocks[140];

	r->numa_pending = false;
	r->numa_applied = true;
	if (!r->mb.memory.cnt)
		return;
	if (!from_lines)
		blocks_from_memory(r);
	if (!r->nr_numa_blks)
		return;
	reset_nodes(r);
	if (numa_memblks(r))
		low = mb_start_of_DRAM(&r->mb);
	high = mb_end_of_DRAM(&r->mb);
	if (from_lines)
		mark_hotplug_blocks(r, line);
	cleanup_blocks(r, low, high);
	for (unsigned int i = 0; i < r->nr_numa_blks; i++) {
		const struct mbt_numa_blk *b = &r->numa_blks[i];

		set_node(r, &r->mb.memory, b->start, b->end, b->nid);
		if (stamp)
			set_node(r, &r->mb.reserved, b->start, b->end, b->nid);
	}
	if (state_hash(r) == before)
		return; /* the nodes were known already (taken from a dump) */
	r->numa_rules_used = numa_memblks(r) ? 2 : 1;
	describe_blocks(r, blocks, sizeof(blocks));
	if (r->numa_dummy)
		how = x86 ? "x86 dummy NUMA (no SRAT)" : "dummy NUMA (no NUMA in the DT)";
	else
		how = x86 ? "x86 NUMA init (SRAT)" : from_lines ? "NUMA init" : "DT NUMA init";
	mbti_replay_infer_note(r, "line %u: %s%s: set_node on memory%s: %s", line, how,
			  numa_memblks(r) ? ", numa_memblks (6.12+) from the start of RAM" : "",
			  stamp ? " and reserved" : "", blocks);
	clear_kernel_node_hotplug(r, line);
}

/*
 * Called before each record: NUMA init happens right before the first
 * NODE_DATA reservation, or (no NODE_DATA line) at the first memblock call
 * after the NUMA lines.
 */
void mbti_replay_infer_before(struct mbt_replay *r, const struct mbt_record *rec)
{
	bool op = rec->kind == MBT_RANGE_OP || rec->kind == MBT_ALLOC_REQ ||
		  rec->kind == MBT_DUMP_BEGIN;

	if (r->numa_applied || !r->numa || !op)
		return;
	if (r->node_data_line && rec->line < r->node_data_line && rec->kind == MBT_RANGE_OP &&
	    rec->fn == MBT_FN_RESERVE && rec->base == r->node_data_base &&
	    rec->last == r->node_data_last) {
		numa_init(r, rec->line);
		return;
	}
	if (r->numa_pending && (!r->node_data_line || rec->line > r->node_data_line))
		numa_init(r, rec->line);
}

/* ---- flags a dump shows and no line explains ---- */

static int node_at(const struct memblock *mb, const struct memblock_type *t, uint64_t addr)
{
	const struct memblock_region *rgn = mb_type_regions(mb, t);

	for (unsigned long i = 0; i < t->cnt; i++)
		if (addr >= rgn[i].base && addr - rgn[i].base < rgn[i].size)
			return rgn[i].nid;
	return -1;
}

/*
 * True when the dump's memory differs from ours only in NOMAP / MIRROR /
 * HOTPLUG flags (same bytes, same nodes) and its reserved regions are ours.
 */
bool mbti_replay_infer_memory_flags(struct mbt_replay *r)
{
	const struct memblock_region *log = r->dump_regions[MBT_TYPE_MEMORY];
	unsigned long n = r->dump_nr[MBT_TYPE_MEMORY];
	const struct memblock_type *res = &r->mb.reserved;
	const struct memblock_region *rgn = mb_type_regions(&r->mb, res);
	unsigned int flags = 0;

	if (n < r->dump_cnt[MBT_TYPE_MEMORY] || r->dump_nr[MBT_TYPE_RESERVED] != res->cnt ||
	    r->dump_cnt[MBT_TYPE_RESERVED] != res->cnt)
		return false;
	for (unsigned long i = 0; i < res->cnt; i++) {
		const struct memblock_region *l = &r->dump_regions[MBT_TYPE_RESERVED][i];
		const struct memblock_region *o = &rgn[i];

		if (l->base != o->base || l->size != o->size || l->flags != o->flags ||
		    (l->nid >= 0 && l->nid != o->nid))
			return false;
	}
	for (unsigned long i = 0; i < n; i++) {
		if (log[i].nid >= 0 && node_at(&r->mb, &r->mb.memory, log[i].base) != log[i].nid)
			return false;
		if (log[i].flags & ~(MB_FLAG_NOMAP | MB_FLAG_MIRROR | MB_FLAG_HOTPLUG))
			return false;
		flags |= log[i].flags;
	}
	if (!flags)
		return false;
	mbti_replay_infer_note(r,
			  "line %u: memory flags taken from this dump (%s%s%s): "
			  "memblock_mark_nomap/mark_mirror/mark_hotplug print no trace line",
			  r->dump_line, flags & MB_FLAG_NOMAP ? "NOMAP " : "",
			  flags & MB_FLAG_MIRROR ? "MIRROR " : "",
			  flags & MB_FLAG_HOTPLUG ? "HOTPLUG " : "");
	return true;
}
