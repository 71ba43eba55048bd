// SPDX-License-Identifier: MIT
/* report.c - the replay report, as text or as one JSON object. */
#include <stdio.h>
#include <string.h>

#include "replay_internal.h"

static const char *verdict(const struct mbt_replay *r, int *code)
{
	enum mbt_outcome o = mbt_replay_outcome(r);

	*code = mbt_outcome_exit(o);
	return mbt_outcome_name(o);
}

static void text_divergence(const struct mbt_replay *r, FILE *out)
{
	const struct mbt_divergence *dv = &r->first;

	if (!dv->set)
		return;
	fprintf(out, "\nfirst divergence:\n");
	if (dv->request_line)
		fprintf(out, "  request line  %u\n", dv->request_line);
	if (dv->result_line)
		fprintf(out, "  reserve line  %u\n", dv->result_line);
	fprintf(out, "  %s\n", dv->what);
	if (dv->expected_failure)
		fprintf(out, "  expected      allocation failure\n");
	else
		fprintf(out, "  expected      0x%llx (0x%llx bytes)\n",
			(unsigned long long)dv->expected_base,
			(unsigned long long)dv->expected_size);
	if (dv->computed_err)
		fprintf(out, "  computed      failure: %s\n", mb_strerror(dv->computed_err));
	else
		fprintf(out, "  computed      0x%llx\n", (unsigned long long)dv->computed_base);
	if (dv->nr_free)
		fprintf(out, "  free ranges around it (ours, before the allocation):\n");
	for (unsigned int i = 0; i < dv->nr_free; i++)
		fprintf(out, "    [0x%llx-0x%llx] 0x%llx bytes\n",
			(unsigned long long)dv->free_base[i],
			(unsigned long long)(dv->free_end[i] - 1),
			(unsigned long long)(dv->free_end[i] - dv->free_base[i]));
}

/* The kernel behaviour a VERIFIED WITH INFERENCES rests on. */
static void text_inferences(const struct mbt_replay *r, FILE *out)
{
	char inf[MBT_MAX_INFERRED + 4][MBT_NOTE_LEN];
	size_t n = mbt_replay_inferences(r, inf, MBT_MAX_INFERRED + 4);

	if (n)
		fprintf(out, "\ninferred (untraced kernel behaviour, applied where the kernel does "
			     "it):\n");
	for (size_t i = 0; i < n; i++)
		fprintf(out, "  %s\n", inf[i]);
	if (r->st.inferences > r->nr_inferred)
		fprintf(out, "  ... %lu more\n", r->st.inferences - r->nr_inferred);
}

static void text_report(const struct mbt_replay *r, FILE *out, const char *log_name)
{
	const struct mbt_stats *st = &r->st;
	int code;
	const char *v = verdict(r, &code);

	fprintf(out, "replay of %s: %s\n", log_name, v);
	if (code == 2) {
		fprintf(out,
			"  no memblock line found in %lu lines: boot with memblock=debug on "
			"the kernel command line and capture dmesg\n",
			st->lines);
		return;
	}
	fprintf(out, "  profile          %s (%s)\n", r->profile_name, r->profile_reason);
	fprintf(out, "  phys_addr_t      %u-bit%s\n", r->phys_bits, r->numa ? ", NUMA" : "");
	fprintf(out, "  direction        %s\n", mb_bottom_up(&r->mb) ? "bottom-up" : "top-down");
	fprintf(out, "  lines read       %lu (%lu memblock lines, %lu firmware lines)\n", st->lines,
		st->memblock_lines, st->fw_lines);
	fprintf(out, "  trace lines      %lu (range operations and allocation requests)\n",
		st->ops_read);
	fprintf(out, "  ops applied      %lu\n", st->ops_applied);
	fprintf(out, "  allocations      %lu verified of %lu (%lu requests, %lu inferred)\n",
		st->allocs_verified, st->allocs_present, st->alloc_requests, st->allocs_inferred);
	if (st->allocs_assumed)
		fprintf(out, "  learnt           %lu (state before the log was unknown)\n",
			st->allocs_assumed);
	if (st->allocs_diverged)
		fprintf(out, "  diverged         %lu\n", st->allocs_diverged);
	if (st->allocs_unresolved)
		fprintf(out, "  unresolved       %lu (log ends after the request)\n",
			st->allocs_unresolved);
	fprintf(out, "  dumps matched    %lu of %lu\n", st->dumps_matched, st->dumps);
	if (st->alloc_failures_logged)
		fprintf(out, "  failed in log    %lu (the kernel's allocation failed; "
			     "memblock analyze says why)\n", st->alloc_failures_logged);
	if (st->zero_size_frees)
		fprintf(out, "  zero-size frees  %lu\n", st->zero_size_frees);
	if (st->malformed)
		fprintf(out, "  malformed lines  %lu (skipped)\n", st->malformed);
	if (st->op_errors)
		fprintf(out, "  op errors        %lu\n", st->op_errors);
	for (unsigned int i = 0; i < r->nr_dumps; i++)
		if (!r->dumps[i].matched)
			fprintf(out, "  dump at line %u differs: %s\n", r->dumps[i].line,
				r->dumps[i].what);
	if (st->inferences)
		fprintf(out, "  inferred         %lu untraced node/flag changes\n", st->inferences);
	text_divergence(r, out);
	text_inferences(r, out);
	if (r->nr_notes)
		fprintf(out, "\nnotes:\n");
	for (unsigned int i = 0; i < r->nr_notes; i++)
		fprintf(out, "  %s\n", r->notes[i]);
}

static void json_u(FILE *out, const char *key, unsigned long long v, bool comma)
{
	fprintf(out, "\"%s\":%llu%s", key, v, comma ? "," : "");
}

static void json_divergence(const struct mbt_replay *r, FILE *out)
{
	const struct mbt_divergence *dv = &r->first;

	fprintf(out, "\"first_divergence\":");
	if (!dv->set) {
		fprintf(out, "null");
		return;
	}
	fprintf(out, "{");
	json_u(out, "request_line", dv->request_line, true);
	json_u(out, "reserve_line", dv->result_line, true);
	fprintf(out,
		"\"expected\":\"0x%llx\",\"expected_size\":\"0x%llx\",\"expected_failure\":%s,",
		(unsigned long long)dv->expected_base, (unsigned long long)dv->expected_size,
		dv->expected_failure ? "true" : "false");
	fprintf(out, "\"computed\":\"0x%llx\",\"computed_error\":",
		(unsigned long long)dv->computed_base);
	if (dv->computed_err)
		mb_json_string(out, mb_strerror(dv->computed_err));
	else
		fprintf(out, "null");
	fprintf(out, ",\"what\":");
	mb_json_string(out, dv->what);
	fprintf(out, ",\"free_ranges\":[");
	for (unsigned int i = 0; i < dv->nr_free; i++)
		fprintf(out, "%s{\"base\":\"0x%llx\",\"size\":\"0x%llx\"}", i ? "," : "",
			(unsigned long long)dv->free_base[i],
			(unsigned long long)(dv->free_end[i] - dv->free_base[i]));
	fprintf(out, "]}");
}

/* "inferred": every inference, in the words of the text report. */
static void json_inferences(const struct mbt_replay *r, FILE *out)
{
	char inf[MBT_MAX_INFERRED + 4][MBT_NOTE_LEN];
	size_t n = mbt_replay_inferences(r, inf, MBT_MAX_INFERRED + 4);

	fprintf(out, "\"inferred\":[");
	for (size_t i = 0; i < n; i++) {
		if (i)
			fputc(',', out);
		mb_json_string(out, inf[i]);
	}
	fputc(']', out);
}

static void json_report(const struct mbt_replay *r, FILE *out, const char *log_name)
{
	const struct mbt_stats *st = &r->st;
	int code;
	const char *v = verdict(r, &code);

	fprintf(out, "{\"log\":");
	mb_json_string(out, log_name);
	fprintf(out, ",\"verdict\":");
	mb_json_string(out, v);
	fprintf(out, ",\"exit\":%d,\"profile\":", code);
	mb_json_string(out, r->profile_name);
	fprintf(out, ",\"profile_reason\":");
	mb_json_string(out, r->profile_reason ? r->profile_reason : "");
	fprintf(out, ",\"phys_bits\":%u,\"numa\":%s,\"bottom_up\":%s,\"seeded\":%s,", r->phys_bits,
		r->numa ? "true" : "false", mb_bottom_up(&r->mb) ? "true" : "false",
		r->seeded ? "true" : "false");
	json_u(out, "lines", st->lines, true);
	json_u(out, "memblock_lines", st->memblock_lines, true);
	json_u(out, "firmware_lines", st->fw_lines, true);
	json_u(out, "ops_read", st->ops_read, true);
	json_u(out, "ops_applied", st->ops_applied, true);
	json_u(out, "alloc_requests", st->alloc_requests, true);
	json_u(out, "allocs_present", st->allocs_present, true);
	json_u(out, "allocs_verified", st->allocs_verified, true);
	json_u(out, "allocs_inferred", st->allocs_inferred, true);
	json_u(out, "allocs_learnt", st->allocs_assumed, true);
	json_u(out, "allocs_diverged", st->allocs_diverged, true);
	json_u(out, "allocs_unresolved", st->allocs_unresolved, true);
	json_u(out, "dumps", st->dumps, true);
	json_u(out, "dumps_matched", st->dumps_matched, true);
	json_u(out, "zero_size_frees", st->zero_size_frees, true);
	json_u(out, "alloc_failures_logged", st->alloc_failures_logged, true);
	json_u(out, "malformed", st->malformed, true);
	json_u(out, "op_errors", st->op_errors, true);
	json_u(out, "inferences", st->inferences, true);
	fprintf(out, "\"dumps_detail\":[");
	for (unsigned int i = 0; i < r->nr_dumps; i++) {
		fprintf(out, "%s{\"line\":%u,\"matched\":%s,\"difference\":", i ? "," : "",
			r->dumps[i].line, r->dumps[i].matched ? "true" : "false");
		mb_json_string(out, r->dumps[i].matched ? "" : r->dumps[i].what);
		fprintf(out, "}");
	}
	fprintf(out, "],");
	json_divergence(r, out);
	fprintf(out, ",");
	json_inferences(r, out);
	fprintf(out, ",\"notes\":[");
	for (unsigned int i = 0; i < r->nr_notes; i++) {
		if (i)
			fputc(',', out);
		mb_json_string(out, r->notes[i]);
	}
	fprintf(out, "]}\n");
}

void mbt_replay_report(const struct mbt_replay *r, FILE *out, bool json, const char *log_name)
{
	if (json)
		json_report(r, out, log_name);
	else
		text_report(r, out, log_name);
}
