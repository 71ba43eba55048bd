/* SPDX-License-Identifier: MIT */
/*
 * snapshot.h - a byte copy of an instance and of its three region arrays,
 * for the tests that check the all-or-nothing rule: a failing call must
 * leave everything but the event counters (stats) exactly as it was.
 */
#ifndef MB_TESTS_CORE_SNAPSHOT_H
#define MB_TESTS_CORE_SNAPSHOT_H

#include <memblock/memblock.h>

struct mb_snapshot {
	struct memblock mb;
	struct memblock_region *copy[3]; /* memory, reserved, physmem [0..max) */
};

void snapshot_take(struct mb_snapshot *s, const struct memblock *mb);
void snapshot_free(struct mb_snapshot *s);

/*
 * NULL when @mb equals the snapshot (stats aside); otherwise what differs
 * first: a field of struct memblock or one type's regions[0..max). Both
 * read indexed types through mb_type_regions() and compare an index by
 * its pool, capacity and count, not by the shape of its tree.
 */
const char *snapshot_diff(const struct mb_snapshot *s, const struct memblock *mb);

#endif
