// SPDX-License-Identifier: MIT
/*
 * txn.c - all-or-nothing public calls.
 *
 * Deliberate difference from Linux (docs/core.md): when a public call
 * fails, Linux may keep part of what it did (a first array doubling when a
 * second one fails, memory removed before a reserved isolation fails...).
 * We undo everything instead. A call runs for real, exactly as Linux would,
 * while every write to a region array is journalled with what it
 * overwrote; on failure the journal is replayed backwards and the
 * struct memblock snapshot taken at the start is put back, all but the
 * event counters (mb->stats), which count failed calls' events too
 * (the config and reserve_mem table never change inside a call).
 *
 * Array moves are journalled too: undoing a move copies the old max
 * entries back from the new array (which, unwound to the moment of the
 * move, holds exactly the old contents). This also repairs an old array
 * whose memory a later doubling of the same call reused after freeing it.
 */
#include "internal.h"

/*
 * Copy the part of the instance a public call can change: everything but
 * the event counters (which survive a failure anyway), the config and the
 * reserve_mem table (only mb_init() and mb_reserve_mem() write those, both
 * outside any transaction). Half the bytes of a full copy, every call.
 */
static void snap_copy(struct memblock *dst, const struct memblock *src)
{
	mb_copy(dst, src, offsetof(struct memblock, stats));
	mb_copy(&dst->caller, &src->caller,
		offsetof(struct memblock, reserve_mem) - offsetof(struct memblock, caller));
}

void txn_begin(struct mb_txn *tx, struct memblock *mb)
{
	tx->mb = mb;
	snap_copy(&tx->snap, mb);
	tx->nr = 0;
	tx->lost = false;
}

void txn_log(struct mb_txn *tx, enum mb_undo_kind kind, struct memblock_region *regions,
	     unsigned long idx, unsigned long cnt, const struct memblock_region *saved)
{
	struct mb_undo *u;

	if (tx->nr >= MB_UNDO_MAX) {
		tx->lost = true;
		return;
	}
	u = &tx->log[tx->nr++];
	u->kind = kind;
	u->regions = regions;
	u->moved_to = NULL;
	u->idx = idx;
	u->cnt = cnt;
	mb_copy(&u->saved, saved, sizeof(*saved));
}

void txn_log_move(struct mb_txn *tx, struct memblock_region *old_regions,
		  struct memblock_region *new_regions, unsigned long old_max)
{
	struct memblock_region none;

	mb_zero(&none, sizeof(none));
	txn_log(tx, MB_UNDO_MOVE, old_regions, 0, old_max, &none);
	if (!tx->lost)
		tx->log[tx->nr - 1].moved_to = new_regions;
}

static void undo_one(const struct mb_undo *u)
{
	struct memblock_region *r = u->regions;
	size_t sz = sizeof(*r);

	switch (u->kind) {
	case MB_UNDO_INSERT:
		mb_move(&r[u->idx], &r[u->idx + 1], (u->cnt - u->idx) * sz);
		mb_copy(&r[u->cnt], &u->saved, sz);
		break;
	case MB_UNDO_REMOVE:
		mb_move(&r[u->idx + 1], &r[u->idx], (u->cnt - 1 - u->idx) * sz);
		mb_copy(&r[u->idx], &u->saved, sz);
		break;
	case MB_UNDO_SET:
		mb_copy(&r[u->idx], &u->saved, sz);
		break;
	case MB_UNDO_MOVE:
		mb_move(r, u->moved_to, u->cnt * sz);
		break;
	}
}

int txn_end(struct mb_txn *tx, int rc)
{
	if (rc >= 0)
		return rc;
	if (tx->lost)
		tx->mb->stats.inexact_rollbacks++;
	while (tx->nr)
		undo_one(&tx->log[--tx->nr]);
	/* Counters record what happened, failures included: they survive. */
	snap_copy(tx->mb, &tx->snap);
	return rc;
}
