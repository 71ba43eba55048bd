/* SPDX-License-Identifier: MIT */
/*
 * report.c - what a boot derived, as text or JSON: the pfn limits the
 * architecture computed from memblock, present and handed-over pages per
 * node, CMA, memtest and the allocations that failed.
 */
#include <stdio.h>

#include "sim_internal.h"

/* Addresses and sizes are "0x..." strings in every JSON document. */
static void json_hex(FILE *out, const char *key, uint64_t v)
{
	fprintf(out, ",\"%s\":", key);
	mb_json_hex(out, v);
}

static void report_json(const struct sim_boot *b, FILE *out)
{
	const struct sim_stats *s = &b->stats;

	fprintf(out, "{\"machine\":");
	mb_json_string(out, b->m.name);
	fprintf(out, ",\"arch\":\"%s\",\"profile\":\"%s\",\"cmdline\":", sim_arch_name(b->m.arch),
		mb_profile(b->m.profile)->name);
	mb_json_string(out, b->cmdline);
	fprintf(out, ",\"min_low_pfn\":%lu,\"max_low_pfn\":%lu,\"max_pfn\":%lu", s->min_low_pfn,
		s->max_low_pfn, s->max_pfn);
	fprintf(out, ",\"present_pages\":%lu,\"managed_pages\":%lu,\"cma_pages\":%lu",
		s->present_pages, s->managed_pages, s->cma_pages);
	json_hex(out, "memory_size", s->memory_size);
	json_hex(out, "reserved_size", s->reserved_size);
	fprintf(out, ",\"largest_free\":{\"base\":\"0x%llx\",\"size\":\"0x%llx\"}",
		(unsigned long long)s->largest_free_base, (unsigned long long)s->largest_free_size);
	json_hex(out, "memtest_bad_bytes", s->memtest_bad_bytes);
	fprintf(out, ",\"nodes\":[");
	for (int n = 0; n < s->nr_nodes && n < SIM_MAX_NODES; n++)
		fprintf(out, "%s{\"nid\":%d,\"present_pages\":%lu,\"managed_pages\":%lu}",
			n ? "," : "", n, s->node_present[n], s->node_managed[n]);
	fprintf(out, "],\"failures\":[");
	for (int i = 0; i < s->nr_failures; i++) {
		fprintf(out, "%s{\"what\":", i ? "," : "");
		mb_json_string(out, s->failures[i].what);
		json_hex(out, "size", s->failures[i].size);
		fprintf(out, ",\"message\":");
		mb_json_string(out, s->failures[i].message);
		fprintf(out, ",\"fatal\":%s,\"why\":", s->failures[i].fatal ? "true" : "false");
		mb_json_string(out, s->failures[i].why);
		fputc('}', out);
	}
	fprintf(out, "],\"survives\":%s,\"unmodelled_options\":", s->panicked ? "false" : "true");
	mb_json_string(out, s->unmodelled);
	fprintf(out, "}\n");
}

static void report_text(const struct sim_boot *b, FILE *out)
{
	const struct sim_stats *s = &b->stats;
	char pa[24];

	fprintf(out, "boot of %s (%s, %s)\n", b->m.name, sim_arch_name(b->m.arch),
		mb_profile(b->m.profile)->name);
	fprintf(out, "  min_low_pfn %#lx  max_low_pfn %#lx  max_pfn %#lx\n", s->min_low_pfn,
		s->max_low_pfn, s->max_pfn);
	fprintf(out, "  present %lu pages (%lluK), handed over %lu pages (%lluK), CMA %luK\n",
		s->present_pages, (unsigned long long)s->present_pages * 4, s->managed_pages,
		(unsigned long long)s->managed_pages * 4, s->cma_pages * 4);
	for (int n = 0; n < s->nr_nodes && n < SIM_MAX_NODES; n++)
		fprintf(out, "  node %d: present %lu pages, handed over %lu pages\n", n,
			s->node_present[n], s->node_managed[n]);
	fprintf(out, "  largest free range before handover: %s +%lluK\n",
		simi_pa(b, s->largest_free_base, pa), (unsigned long long)(s->largest_free_size >> 10));
	if (s->memtest_bad_bytes)
		fprintf(out, "  memtest: %llu bad bytes reserved\n",
			(unsigned long long)s->memtest_bad_bytes);
	for (int i = 0; i < s->nr_failures; i++)
		fprintf(out, "  failed: %s\n", s->failures[i].message);
}

void sim_report(const struct sim_boot *b, FILE *out, bool json)
{
	if (!b || !out)
		return;
	if (json)
		report_json(b, out);
	else
		report_text(b, out);
}
