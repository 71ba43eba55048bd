/* SPDX-License-Identifier: MIT */
/*
 * views.c - dump, debugfs, iomem, free, summary and JSON views of an instance.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <memblock/flag_names.h>
#include <memblock/json.h>
#include <memblock/stdio_sink.h>

#include "views.h"

static const struct {
	const char *name;
	const char *arg;
	enum view_id id;
} view_table[] = {
    {"dump", NULL, VIEW_DUMP},
    {"debugfs", "memory", VIEW_DEBUGFS_MEMORY},
    {"debugfs", "reserved", VIEW_DEBUGFS_RESERVED},
    {"debugfs", "physmem", VIEW_DEBUGFS_PHYSMEM},
    {"iomem", NULL, VIEW_IOMEM},
    {"free", NULL, VIEW_FREE},
    {"summary", NULL, VIEW_SUMMARY},
    {"json", NULL, VIEW_JSON},
};

#define VIEW_TABLE_LEN (sizeof(view_table) / sizeof(view_table[0]))

static const char *const view_names[VIEW_COUNT] = {
    [VIEW_DUMP] = "dump",
    [VIEW_DEBUGFS_MEMORY] = "debugfs memory",
    [VIEW_DEBUGFS_RESERVED] = "debugfs reserved",
    [VIEW_DEBUGFS_PHYSMEM] = "debugfs physmem",
    [VIEW_IOMEM] = "iomem",
    [VIEW_FREE] = "free",
    [VIEW_SUMMARY] = "summary",
    [VIEW_JSON] = "json",
};

int view_lookup(const char *name, const char *arg, enum view_id *out)
{
	bool name_known = false;

	if (!name || !out)
		return -1;
	/* "memory" alone is the debugfs file of that name. */
	if (!arg &&
	    (!strcmp(name, "memory") || !strcmp(name, "reserved") || !strcmp(name, "physmem"))) {
		arg = name;
		name = "debugfs";
	}
	for (size_t i = 0; i < VIEW_TABLE_LEN; i++) {
		if (strcmp(view_table[i].name, name))
			continue;
		name_known = true;
		if (!view_table[i].arg && !arg) {
			*out = view_table[i].id;
			return 0;
		}
		if (view_table[i].arg && arg && !strcmp(view_table[i].arg, arg)) {
			*out = view_table[i].id;
			return 0;
		}
	}
	return name_known ? -2 : -1;
}

const char *view_name(enum view_id view)
{
	if ((unsigned int)view >= VIEW_COUNT)
		return "?";
	return view_names[view];
}

/* ---- Kernel-format views: the core's formatter, printed to @out ---- */

void view_dump(const struct memblock *mb, FILE *out, const struct view_opts *opts)
{
	struct mb_stdio_sink sink;

	mb_stdio_sink_init(&sink, out);
	sink.timestamp = opts && opts->dmesg;
	mb_dump_to(mb, mb_stdio_sink_print, &sink);
}

void view_debugfs(const struct memblock *mb, const struct memblock_type *type, FILE *out)
{
	struct mb_stdio_sink sink;

	mb_stdio_sink_init(&sink, out);
	mb_debugfs_show_to(mb, type, mb_stdio_sink_print, &sink);
}

/* ---- Small formatting helpers ---- */

/* %pa of the instance's width, into a caller buffer. */
static const char *pa(const struct memblock *mb, mb_phys_addr_t addr, struct mb_text *t)
{
	mb_text_reset(t);
	mb_text_pa(t, mb, addr);
	return t->buf;
}

/* "1022 MiB", "4 KiB", "1.50 GiB", "12 bytes". */
static const char *human(uint64_t bytes, char *buf, size_t len)
{
	static const char *const units[] = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
	double value = (double)bytes;
	int unit = -1;

	while (value >= 1024.0 && unit < 5) {
		value /= 1024.0;
		unit++;
	}
	if (unit < 0)
		snprintf(buf, len, "%" PRIu64 " bytes", bytes);
	else if (value == (double)(uint64_t)value)
		snprintf(buf, len, "%" PRIu64 " %s", (uint64_t)value, units[unit]);
	else
		snprintf(buf, len, "%.2f %s", value, units[unit]);
	return buf;
}

static bool valid_nid(const struct memblock *mb, int nid)
{
	return nid >= 0 && nid < mb->cfg.max_numnodes;
}

/* ---- free ---- */

void view_free(const struct memblock *mb, FILE *out)
{
	uint64_t idx;
	mb_phys_addr_t start, end, total = 0;
	int nid;
	unsigned long cnt = 0;
	struct mb_text a, b, c;

	fprintf(out, "free ranges (memory minus reserved):\n");
	mb_for_each_free_mem_range(mb, idx, MB_NUMA_NO_NODE, MB_FLAG_NONE, &start, &end, &nid)
	{
		fprintf(out, " free[0x%lx]\t[%s-%s], %s bytes", cnt, pa(mb, start, &a),
			pa(mb, end - 1, &b), pa(mb, end - start, &c));
		if (mb->cfg.numa && valid_nid(mb, nid))
			fprintf(out, " on node %d", nid);
		fputc('\n', out);
		total += end - start;
		cnt++;
	}
	fprintf(out, " free.cnt  = 0x%lx\n", cnt);
	fprintf(out, " free size = %s\n", pa(mb, total, &a));
}

/* ---- iomem ---- */

struct iomem_node {
	mb_phys_addr_t start;
	mb_phys_addr_t last;
	const char *name;
	bool is_memory;
};

static int iomem_cmp(const void *pa_, const void *pb_)
{
	const struct iomem_node *x = pa_, *y = pb_;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return 0;
}

static void iomem_line(FILE *out, int depth, mb_phys_addr_t start, mb_phys_addr_t last,
		       const char *name)
{
	fprintf(out, "%*s%08" PRIx64 "-%08" PRIx64 " : %s\n", depth * 2, "", (uint64_t)start,
		(uint64_t)last, name);
}

/*
 * Reserved children of one System RAM resource, clipped to it and page
 * rounded like the kernel's reserve_memblock_reserved_regions(): a piece
 * that collides with an earlier child keeps only what lies past it
 * (reserve_region_with_split).
 */
static void iomem_children(const struct memblock *mb, FILE *out, const struct iomem_node *mem)
{
	const struct memblock_region *rsv = mb_type_regions(mb, &mb->reserved);
	mb_phys_addr_t page = mb->cfg.page_size;
	mb_phys_addr_t done = 0;
	bool any = false;

	for (unsigned long i = 0; i < mb->reserved.cnt; i++) {
		const struct memblock_region *r = &rsv[i];
		mb_phys_addr_t start, last, r_end;

		if (!r->size)
			continue;
		r_end = r->base + r->size;
		start = r->base & ~(page - 1);
		last = ((r_end + page - 1) & ~(page - 1)) - 1;
		if (r_end + page - 1 < r_end)
			last = MB_PHYS_ADDR_MAX;
		if (start < mem->start)
			start = mem->start;
		if (last > mem->last)
			last = mem->last;
		if (start > mem->last || last < mem->start || start > last)
			continue;
		if (any && start <= done) {
			if (last <= done)
				continue;
			start = done + 1;
		}
		iomem_line(out, 1, start, last, "Reserved");
		done = last;
		any = true;
	}
}

void view_iomem(const struct memblock *mb, FILE *out)
{
	mb_phys_addr_t page = mb->cfg.page_size;
	size_t n = 0, cap = mb->memory.cnt + mb->reserved.cnt + 1;
	struct iomem_node *nodes = calloc(cap, sizeof(*nodes));
	const struct memblock_region *mem = mb_type_regions(mb, &mb->memory);
	const struct memblock_region *rsv = mb_type_regions(mb, &mb->reserved);

	if (!nodes)
		return;
	for (unsigned long i = 0; i < mb->memory.cnt; i++) {
		const struct memblock_region *r = &mem[i];
		mb_phys_addr_t start = (r->base + page - 1) & ~(page - 1);
		mb_phys_addr_t end = (r->base + r->size) & ~(page - 1);

		if (!r->size || end <= start)
			continue;
		nodes[n++] = (struct iomem_node){
		    start, end - 1, (r->flags & MB_FLAG_NOMAP) ? "Reserved" : "System RAM", true};
	}
	/* Reserved regions outside memory are top-level resources. */
	for (unsigned long i = 0; i < mb->reserved.cnt; i++) {
		const struct memblock_region *r = &rsv[i];
		mb_phys_addr_t start = r->base & ~(page - 1);
		mb_phys_addr_t end = (r->base + r->size + page - 1) & ~(page - 1);

		if (!r->size || mb_is_memory(mb, start) || end <= start)
			continue;
		nodes[n++] = (struct iomem_node){start, end - 1, "Reserved", false};
	}
	qsort(nodes, n, sizeof(*nodes), iomem_cmp);
	for (size_t i = 0; i < n; i++) {
		iomem_line(out, 0, nodes[i].start, nodes[i].last, nodes[i].name);
		if (nodes[i].is_memory)
			iomem_children(mb, out, &nodes[i]);
	}
	free(nodes);
}

/* ---- summary ---- */

struct free_stats {
	unsigned long cnt;
	mb_phys_addr_t total;
	mb_phys_addr_t largest_start;
	mb_phys_addr_t largest_size;
};

static void free_stats(const struct memblock *mb, int nid, struct free_stats *fs)
{
	uint64_t idx;
	mb_phys_addr_t start, end;

	memset(fs, 0, sizeof(*fs));
	mb_for_each_free_mem_range(mb, idx, nid, MB_FLAG_NONE, &start, &end, NULL)
	{
		fs->cnt++;
		fs->total += end - start;
		if (end - start > fs->largest_size) {
			fs->largest_start = start;
			fs->largest_size = end - start;
		}
	}
}

static void summary_type(const struct memblock *mb, const struct memblock_type *type, FILE *out)
{
	char h[32];
	struct mb_text t;

	fprintf(out, "%-10s %8lu %8lu  %s  %s\n", type->name ? type->name : "?", type->cnt,
		type->max, pa(mb, type->total_size, &t), human(type->total_size, h, sizeof(h)));
}

/* Sizes per node of one type; @seen marks the nodes present. */
static mb_phys_addr_t type_node_size(const struct memblock *mb, const struct memblock_type *type,
				     int nid, unsigned long *cnt)
{
	const struct memblock_region *rgn = mb_type_regions(mb, type);
	mb_phys_addr_t sum = 0;

	*cnt = 0;
	for (unsigned long i = 0; i < type->cnt; i++) {
		if (rgn[i].nid != nid || !rgn[i].size)
			continue;
		sum += rgn[i].size;
		(*cnt)++;
	}
	return sum;
}

static bool nid_listed(const int *nids, size_t n, int nid)
{
	for (size_t i = 0; i < n; i++)
		if (nids[i] == nid)
			return true;
	return false;
}

static size_t collect_nids(const struct memblock *mb, int *nids)
{
	const struct memblock_type *types[] = {&mb->memory, &mb->reserved};
	size_t n = 0;

	for (size_t t = 0; t < 2; t++) {
		const struct memblock_region *rgn = mb_type_regions(mb, types[t]);

		for (unsigned long i = 0; i < types[t]->cnt; i++)
			if (rgn[i].size && !nid_listed(nids, n, rgn[i].nid))
				nids[n++] = rgn[i].nid;
	}
	return n;
}

static void summary_nodes(const struct memblock *mb, FILE *out)
{
	int *nids = calloc(mb->memory.cnt + mb->reserved.cnt + 1, sizeof(*nids));
	char h1[32], h2[32], h3[32];
	bool none = false;
	size_t n;

	if (!nids)
		return;
	n = collect_nids(mb, nids);
	fprintf(out, "\nper node:\n%-8s %-14s %-14s %s\n", "node", "memory", "reserved", "free");
	for (size_t i = 0; i < n; i++) {
		unsigned long c1, c2;
		mb_phys_addr_t m = type_node_size(mb, &mb->memory, nids[i], &c1);
		mb_phys_addr_t r = type_node_size(mb, &mb->reserved, nids[i], &c2);
		struct free_stats fs = {0};
		char label[24];

		if (valid_nid(mb, nids[i])) {
			snprintf(label, sizeof(label), "%d", nids[i]);
			free_stats(mb, nids[i], &fs);
		} else {
			snprintf(label, sizeof(label), "(none)"); /* nid never set */
		}
		fprintf(out, "%-8s %-14s %-14s %s\n", label, human(m, h1, sizeof(h1)),
			human(r, h2, sizeof(h2)),
			valid_nid(mb, nids[i]) ? human(fs.total, h3, sizeof(h3)) : "-");
		none |= !valid_nid(mb, nids[i]);
	}
	if (none)
		fprintf(out, "(none): regions with no node set (memblock_set_node() or a "
			     "node argument never gave them one)\n");
	free(nids);
}

static void summary_flags(const struct memblock *mb, const struct memblock_type *type, FILE *out)
{
	const struct memblock_region *rgn = mb_type_regions(mb, type);
	unsigned int seen = 0;
	char names[96], h[32];

	for (unsigned long i = 0; i < type->cnt; i++)
		if (rgn[i].size)
			seen |= rgn[i].flags ? rgn[i].flags : 0x80000000u;
	if (!seen)
		return;
	fprintf(out, "\nper flag (%s):\n%-16s %8s  %s\n", type->name, "flags", "regions", "size");
	for (unsigned long pass = 0; pass < 2; pass++) {
		/* pass 0: regions without flags; pass 1: every distinct flag set */
		unsigned int done_sets[64];
		size_t n_done = 0;

		for (unsigned long i = 0; i < type->cnt; i++) {
			unsigned int f = rgn[i].flags;
			unsigned long cnt = 0;
			mb_phys_addr_t sum = 0;
			bool dup = false;

			if (!rgn[i].size || (pass == 0) != (f == 0))
				continue;
			for (size_t k = 0; k < n_done; k++)
				dup |= done_sets[k] == f;
			if (dup || n_done == 64)
				continue;
			done_sets[n_done++] = f;
			for (unsigned long j = i; j < type->cnt; j++)
				if (rgn[j].flags == f && rgn[j].size) {
					cnt++;
					sum += rgn[j].size;
				}
			fprintf(out, "%-16s %8lu  %s\n", mb_flags_text(f, names, sizeof(names)),
				cnt, human(sum, h, sizeof(h)));
		}
	}
}

void view_summary(const struct memblock *mb, FILE *out)
{
	struct free_stats fs;
	struct mb_text a, b;
	char h[32];

	fprintf(out, "memblock summary (%s, %u-bit phys_addr_t, %s)\n",
		mb->cfg.profile ? mb->cfg.profile->name : "linux-6.12", mb->cfg.phys_bits,
		mb->bottom_up ? "bottom-up" : "top-down");
	fprintf(out, "%-10s %8s %8s  %s\n", "type", "regions", "max", "total");
	summary_type(mb, &mb->memory, out);
	summary_type(mb, &mb->reserved, out);
	if (mb->physmem.regions)
		summary_type(mb, &mb->physmem, out);
	free_stats(mb, MB_NUMA_NO_NODE, &fs);
	fprintf(out, "%-10s %8lu %8s  %s  %s\n", "free", fs.cnt, "-", pa(mb, fs.total, &a),
		human(fs.total, h, sizeof(h)));
	if (fs.largest_size)
		fprintf(out, "largest free range: [%s-%s] %s\n", pa(mb, fs.largest_start, &a),
			pa(mb, fs.largest_start + fs.largest_size - 1, &b),
			human(fs.largest_size, h, sizeof(h)));
	else
		fprintf(out, "largest free range: none\n");
	fprintf(out, "current limit: %s\n", pa(mb, mb->current_limit, &a));
	summary_nodes(mb, out);
	summary_flags(mb, &mb->memory, out);
	summary_flags(mb, &mb->reserved, out);
}

/* ---- JSON ---- */

static void json_hex(FILE *out, const char *key, uint64_t v, bool comma)
{
	fprintf(out, "\"%s\": ", key);
	mb_json_hex(out, v);
	fputs(comma ? ", " : "", out);
}

static void json_flags(FILE *out, unsigned int flags)
{
	bool first = true;
	unsigned int rest = flags;

	const char *name;
	unsigned int bit;

	fputc('[', out);
	for (size_t i = 0; (name = mb_flag_name_at(i, &bit)); i++) {
		if (!(rest & bit))
			continue;
		rest &= ~bit;
		fprintf(out, "%s\"%s\"", first ? "" : ", ", name);
		first = false;
	}
	if (rest)
		fprintf(out, "%s\"0x%x\"", first ? "" : ", ", rest);
	fputc(']', out);
}

static void json_type(const struct memblock *mb, const struct memblock_type *type, FILE *out,
		      bool comma)
{
	const struct memblock_region *rgn = mb_type_regions(mb, type);

	fprintf(out, "    \"%s\": {\n      \"cnt\": %lu, \"max\": %lu, ", type->name, type->cnt,
		type->max);
	json_hex(out, "total_size", type->total_size, false);
	fprintf(out, ",\n      \"regions\": [");
	for (unsigned long i = 0; i < type->cnt; i++) {
		const struct memblock_region *r = &rgn[i];

		fprintf(out, "%s\n        { ", i ? "," : "");
		json_hex(out, "base", r->base, true);
		json_hex(out, "size", r->size, true);
		json_hex(out, "last", r->size ? r->base + r->size - 1 : r->base, true);
		fprintf(out, "\"flags\": ");
		json_flags(out, r->flags);
		fprintf(out, ", \"flags_value\": %u, \"nid\": ", r->flags);
		if (valid_nid(mb, r->nid))
			fprintf(out, "%d }", r->nid);
		else
			fprintf(out, "null }");
	}
	fprintf(out, "%s]\n    }%s\n", type->cnt ? "\n      " : "", comma ? "," : "");
}

static void json_free(const struct memblock *mb, FILE *out)
{
	uint64_t idx;
	mb_phys_addr_t start, end;
	int nid;
	bool first = true;

	fprintf(out, "  \"free\": [");
	mb_for_each_free_mem_range(mb, idx, MB_NUMA_NO_NODE, MB_FLAG_NONE, &start, &end, &nid)
	{
		fprintf(out, "%s\n    { ", first ? "" : ",");
		json_hex(out, "base", start, true);
		json_hex(out, "size", end - start, true);
		json_hex(out, "last", end - 1, true);
		if (valid_nid(mb, nid))
			fprintf(out, "\"nid\": %d }", nid);
		else
			fprintf(out, "\"nid\": null }");
		first = false;
	}
	fprintf(out, "%s],\n", first ? "" : "\n  ");
}

static void json_config(const struct memblock *mb, FILE *out)
{
	const struct mb_config *c = &mb->cfg;

	fprintf(out, "  \"config\": {\n    \"profile\": \"%s\", \"phys_bits\": %u, ",
		c->profile ? c->profile->name : "linux-6.12", c->phys_bits);
	json_hex(out, "page_size", c->page_size, true);
	json_hex(out, "smp_cache_bytes", c->smp_cache_bytes, false);
	fprintf(out, ",\n    ");
	json_hex(out, "low_address_limit", c->low_address_limit, true);
	fprintf(out, "\"max_page_order\": %u, \"max_numnodes\": %d,\n", c->max_page_order,
		c->max_numnodes);
	fprintf(out,
		"    \"numa\": %s, \"movable_node\": %s, \"mirrored_kernelcore\": %s, "
		"\"debug\": %s,\n",
		c->numa ? "true" : "false", c->movable_node ? "true" : "false",
		c->mirrored_kernelcore ? "true" : "false", mb->debug ? "true" : "false");
	fprintf(out, "    \"bottom_up\": %s, ", mb->bottom_up ? "true" : "false");
	json_hex(out, "current_limit", mb->current_limit, false);
	fprintf(out, ", \"resize_allowed\": %s\n  },\n", mb->resize_allowed ? "true" : "false");
}

void view_json(const struct memblock *mb, FILE *out)
{
	struct free_stats fs;

	free_stats(mb, MB_NUMA_NO_NODE, &fs);
	fprintf(out, "{\n  \"library_version\": \"%s\",\n", MB_VERSION_STRING);
	json_config(mb, out);
	fprintf(out, "  \"types\": {\n");
	json_type(mb, &mb->memory, out, true);
	json_type(mb, &mb->reserved, out, mb->physmem.regions != NULL);
	if (mb->physmem.regions)
		json_type(mb, &mb->physmem, out, false);
	fprintf(out, "  },\n");
	json_free(mb, out);
	fprintf(out, "  \"totals\": { ");
	json_hex(out, "memory", mb->memory.total_size, true);
	json_hex(out, "reserved", mb->reserved.total_size, true);
	json_hex(out, "free", fs.total, true);
	json_hex(out, "largest_free", fs.largest_size, false);
	fprintf(out,
		" },\n  \"stats\": { \"numa_overlap_warnings\": %lu, \"doublings\": %lu, "
		"\"mirror_fallbacks\": %lu, \"failed_allocs\": %lu }\n}\n",
		mb->stats.numa_overlap_warnings, mb->stats.doublings, mb->stats.mirror_fallbacks,
		mb->stats.failed_allocs);
}

void view_show(const struct memblock *mb, enum view_id view, FILE *out,
	       const struct view_opts *opts)
{
	switch (view) {
	case VIEW_DUMP:
		view_dump(mb, out, opts);
		break;
	case VIEW_DEBUGFS_MEMORY:
		view_debugfs(mb, &mb->memory, out);
		break;
	case VIEW_DEBUGFS_RESERVED:
		view_debugfs(mb, &mb->reserved, out);
		break;
	case VIEW_DEBUGFS_PHYSMEM:
		view_debugfs(mb, &mb->physmem, out);
		break;
	case VIEW_IOMEM:
		view_iomem(mb, out);
		break;
	case VIEW_FREE:
		view_free(mb, out);
		break;
	case VIEW_SUMMARY:
		view_summary(mb, out);
		break;
	case VIEW_JSON:
		view_json(mb, out);
		break;
	default:
		break;
	}
}
