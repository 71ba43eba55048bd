// SPDX-License-Identifier: MIT
/*
 * verdict.c - what a replay proved. VERIFIED: every allocation landed where
 * the kernel put it and every dump matched. VERIFIED WITH INFERENCES: the
 * same, once changes the log cannot show were inferred (flags or nodes set
 * by calls that print no trace line, reservations learnt from a log that
 * starts late); each inference is listed. DIVERGED: an allocation or a
 * dump differs in a way nothing explains.
 */
#include <stdio.h>
#include <string.h>

#include "replay_internal.h"

/* The replay's own words for a dump whose only difference is flags or nodes. */
static bool flags_only(const struct mbt_dump_result *d)
{
	return !d->matched && strstr(d->what, "only flags or nodes differ") != NULL;
}

enum mbt_outcome mbt_replay_outcome(const struct mbt_replay *r)
{
	bool inferred = r->st.allocs_assumed > 0 || r->st.inferences > 0;
	unsigned long explained = 0;

	if (!r->st.memblock_lines)
		return MBT_OUTCOME_NO_LINES;
	if (r->st.allocs_diverged)
		return MBT_OUTCOME_DIVERGED;
	for (unsigned int i = 0; i < r->nr_dumps; i++) {
		if (r->dumps[i].matched)
			continue;
		if (!flags_only(&r->dumps[i]))
			return MBT_OUTCOME_DIVERGED;
		explained++;
		inferred = true;
	}
	/* Differing dumps beyond the kept table are not explained. */
	if (r->st.dumps - r->st.dumps_matched > explained)
		return MBT_OUTCOME_DIVERGED;
	return inferred ? MBT_OUTCOME_INFERRED : MBT_OUTCOME_VERIFIED;
}

const char *mbt_outcome_name(enum mbt_outcome o)
{
	switch (o) {
	case MBT_OUTCOME_VERIFIED:
		return "VERIFIED";
	case MBT_OUTCOME_INFERRED:
		return "VERIFIED WITH INFERENCES";
	case MBT_OUTCOME_DIVERGED:
		return "DIVERGED";
	default:
		return "no memblock lines";
	}
}

int mbt_outcome_exit(enum mbt_outcome o)
{
	switch (o) {
	case MBT_OUTCOME_VERIFIED:
	case MBT_OUTCOME_INFERRED:
		return 0;
	case MBT_OUTCOME_DIVERGED:
		return 1;
	default:
		return 2;
	}
}

size_t mbt_replay_inferences(const struct mbt_replay *r, char (*out)[MBT_NOTE_LEN], size_t max)
{
	size_t n = 0;

	for (unsigned int i = 0; i < r->nr_inferred && n < max; i++)
		snprintf(out[n++], MBT_NOTE_LEN, "%s", r->inferred[i]);
	for (unsigned int i = 0; i < r->nr_dumps && n < max; i++)
		if (flags_only(&r->dumps[i]))
			snprintf(out[n++], MBT_NOTE_LEN,
				 "dump at line %u: memory flags or nodes were changed by calls that "
				 "print no trace line (memblock_mark_nomap/hotplug/mirror, "
				 "memblock_set_node); taken from the dump",
				 r->dumps[i].line);
	if (r->st.allocs_assumed && n < max)
		snprintf(out[n++], MBT_NOTE_LEN,
			 "%lu reservation%s made before the log starts, learnt from where the "
			 "first allocations landed",
			 r->st.allocs_assumed, r->st.allocs_assumed == 1 ? "" : "s");
	return n;
}
