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
 * snapshot of struct memblock taken at the start is put back, all but the
 * event counters (mb->stats), which count failed calls' events too
 * (the config and reserve_mem table never change inside a call). Both
 * live in the instance (mb->journal), not on the stack.
 *
 * Array moves are journalled too: undoing a move copies the old max
 * entries back from the new array (which, unwound to the moment of the
 * move, holds exactly the old contents). This also repairs an old array
 * whose memory a later doubling of the same call reused after freeing it.
 *
 * A call that cannot fail after its first write (no growth ahead) runs
 * direct, with neither snapshot nor journal: mbi_txn_begin_as() and
 * mbi_txn_end() in internal.h.
 */
#include "internal.h"

/*
 * Save what a public call can change: everything but the event counters
 * (which survive a failure anyway), the config and the reserve_mem table
 * (only mb_init() and mb_reserve_mem() write those, outside any call's
 * transaction) and the journal itself.
 */
static void snap_save(struct mb_snap *s, const struct memblock *mb)
{
	s->current_limit = mb->current_limit;
	s->cap_base = mb->cap_base;
	s->cap_end = mb->cap_end;
	s->memory_trim_excess = mb->memory_trim_excess;
	s->memory = mb->memory;
	s->reserved = mb->reserved;
	s->physmem = mb->physmem;
	s->caller = mb->caller;
	s->bottom_up = mb->bottom_up;
	s->debug = mb->debug;
	s->resize_allowed = mb->resize_allowed;
	s->system_has_mirror = mb->system_has_mirror;
	s->handed_over = mb->handed_over;
	s->memory_in_managed = mb->memory_in_managed;
	s->reserved_in_managed = mb->reserved_in_managed;
	s->capping = mb->capping;
}

static void snap_restore(struct memblock *mb, const struct mb_snap *s)
{
	mb->current_limit = s->current_limit;
	mb->cap_base = s->cap_base;
	mb->cap_end = s->cap_end;
	mb->memory_trim_excess = s->memory_trim_excess;
	mb->memory = s->memory;
	mb->reserved = s->reserved;
	mb->physmem = s->physmem;
	mb->caller = s->caller;
	mb->bottom_up = s->bottom_up;
	mb->debug = s->debug;
	mb->resize_allowed = s->resize_allowed;
	mb->system_has_mirror = s->system_has_mirror;
	mb->handed_over = s->handed_over;
	mb->memory_in_managed = s->memory_in_managed;
	mb->reserved_in_managed = s->reserved_in_managed;
	mb->capping = s->capping;
}

void mbi_txn_begin(struct mb_txn *tx, struct memblock *mb)
{
	tx->mb = mb;
	snap_save(&mb->journal.snap, mb);
}

void mbi_txn_record(struct mb_txn *tx, enum mb_undo_kind kind, struct memblock_region *regions,
		    unsigned long idx, unsigned long cnt, const struct memblock_region *saved)
{
	struct mb_journal *j = &tx->mb->journal;
	struct mb_undo *u;

	if (j->nr >= MB_UNDO_MAX) {
		j->lost = true;
		return;
	}
	u = &j->log[j->nr++];
	u->kind = kind;
	u->regions = regions;
	u->moved_to = NULL;
	u->idx = idx;
	u->cnt = cnt;
	mb_copy(&u->saved, saved, sizeof(*saved));
}

void mbi_txn_log_move(struct mb_txn *tx, struct memblock_region *old_regions,
		  struct memblock_region *new_regions, unsigned long old_max)
{
	struct mb_journal *j = &tx->mb->journal;
	struct memblock_region none;

	mb_zero(&none, sizeof(none));
	mbi_txn_log(tx, MB_UNDO_MOVE, old_regions, 0, old_max, &none);
	if (!j->lost && !j->direct)
		j->log[j->nr - 1].moved_to = new_regions;
}

/* An index entry: cnt names the type's slot (store.h). */
static MB_COLD_HELPER void undo_indexed(struct memblock *mb, const struct mb_undo *u)
{
	struct mb_index *ix = &mb->index[u->cnt];

	if (u->kind == MB_UNDO_IX_INSERT)
		mbi_index_remove(ix, u->idx);
	else if (u->kind == MB_UNDO_IX_REMOVE)
		mbi_index_insert(ix, u->idx, &u->saved);
	else
		mbi_index_set(ix, u->idx, &u->saved);
}

static void undo_one(struct memblock *mb, const struct mb_undo *u)
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
	default:
		undo_indexed(mb, u);
		break;
	}
}

/* Leave the journal all zero, as between calls. */
static void journal_clear(struct mb_journal *j)
{
	mb_zero(&j->snap, sizeof(j->snap));
	mb_zero(&j->req, sizeof(j->req));
	mb_zero(&j->scratch, sizeof(j->scratch));
	mb_zero(&j->add, sizeof(j->add));
	mb_zero(j->log, j->nr * sizeof(j->log[0]));
	j->nr = 0;
	j->lost = false;
}

/*
 * Replay the journal backwards; an index pool change made after entry k
 * is undone before entry k is.
 */
static MB_COLD_HELPER void undo_all(struct memblock *mb, struct mb_journal *j, unsigned int n)
{
	unsigned int k = j->pools;

	while (n) {
		while (k && j->pool[k - 1].at >= n)
			mbi_st_pool_undo(mb, &j->pool[--k]);
		undo_one(mb, &j->log[--n]);
	}
	while (k)
		mbi_st_pool_undo(mb, &j->pool[--k]);
}

/* The end of a journalled call (mbi_txn_end()). */
int mbi_txn_finish(struct mb_txn *tx, int rc)
{
	struct mb_journal *j = &tx->mb->journal;
	unsigned int n = j->nr;

	if (rc < 0) {
		if (j->lost)
			tx->mb->stats.inexact_rollbacks++;
		undo_all(tx->mb, j, n);
		/* Counters record what happened, failures included: they survive. */
		snap_restore(tx->mb, &j->snap);
	}
	if (j->pools)
		mbi_st_pools_end(tx->mb, rc < 0);
	journal_clear(j);
	return rc;
}
