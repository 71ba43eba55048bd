// SPDX-License-Identifier: MIT
/*
 * store.c - how a type's regions are stored: the flat array Linux keeps,
 * or an index (index.c) with the array written back on demand.
 *
 * An index pool always holds type->max nodes, so it grows at exactly the
 * doublings Linux makes, and never fails half-way through a call: the new
 * pool is allocated before the doubling writes anything
 * (mbi_st_pool_prepare()), installed with the new array
 * (mbi_st_pool_commit()), and the pool a call replaced is freed when the
 * call ends (mbi_st_pools_end()): the old one after a success, the new
 * one after a failure, once the old header is back.
 */
#include "internal.h"

static struct memblock_type *slot_type(struct memblock *mb, int t)
{
	if (t == 0)
		return &mb->memory;
	return t == 1 ? &mb->reserved : &mb->physmem;
}

/* Whether a type of @max regions keeps an index under @mode. */
static bool mode_wants(enum mb_index_mode mode, unsigned long max)
{
	return mode == MB_INDEX_ON || (mode == MB_INDEX_AUTO && max >= MB_INDEX_AUTO_MAX);
}

static void *pool_alloc(const struct memblock *mb, unsigned long cap)
{
	if (!mb->cfg.ops.index_alloc || cap > MB_INDEX_MAX_CAP)
		return NULL;
	return mb->cfg.ops.index_alloc(mb->cfg.ops.index_ctx, mbi_index_bytes(cap));
}

static void pool_free(const struct memblock *mb, void *pool, unsigned long cap)
{
	if (pool && mb->cfg.ops.index_free)
		mb->cfg.ops.index_free(mb->cfg.ops.index_ctx, pool, mbi_index_bytes(cap));
}

/* The type's regions back into its array, and the index dropped. */
static void drop_index(struct memblock *mb, int t)
{
	struct mb_index *ix = &mb->index[t];

	if (mb->view_stale[t])
		mbi_index_export(ix, slot_type(mb, t)->regions);
	pool_free(mb, ix->nodes, ix->cap);
	mb_zero(ix, sizeof(*ix));
	mb->view_stale[t] = false;
}

static void build_index(struct memblock *mb, int t, void *pool)
{
	struct memblock_type *type = slot_type(mb, t);

	mbi_index_init(&mb->index[t], pool, type->max);
	mbi_index_build(&mb->index[t], type->regions, type->cnt);
	mb->view_stale[t] = false;
}

/**
 * mb_set_index() - keep the region arrays indexed, or flat as Linux does
 * @mb: instance
 * @mode: MB_INDEX_OFF, MB_INDEX_ON or MB_INDEX_AUTO
 *
 * Every pool is allocated before any index is built or dropped, so a
 * refusal changes nothing. See memblock.h for what each mode means.
 *
 * Return: 0, -MB_EINVAL or -MB_ENOMEM.
 */
int mb_set_index(struct memblock *mb, enum mb_index_mode mode)
{
	void *pools[3] = { NULL, NULL, NULL };
	int t;

	if (!mb || (unsigned int)mode > MB_INDEX_AUTO)
		return -MB_EINVAL;
	for (t = 0; t < 3; t++) {
		struct memblock_type *type = slot_type(mb, t);

		if (!type->regions || mb->index[t].nodes || !mode_wants(mode, type->max))
			continue;
		pools[t] = pool_alloc(mb, type->max);
		if (!pools[t])
			goto refused;
	}
	for (t = 0; t < 3; t++) {
		if (pools[t])
			build_index(mb, t, pools[t]);
		else if (mb->index[t].nodes && !mode_wants(mode, slot_type(mb, t)->max))
			drop_index(mb, t);
	}
	mb->index_mode = mode;
	return 0;
refused:
	while (t-- > 0)
		pool_free(mb, pools[t], slot_type(mb, t)->max);
	return -MB_ENOMEM;
}

/**
 * mb_type_regions() - the regions of a type, sorted, as the flat array
 * @mb: instance
 * @type: &mb->memory, &mb->reserved or &mb->physmem
 *
 * Return: type->regions, written from the index first when it is stale.
 */
const struct memblock_region *mb_type_regions(const struct memblock *mb,
					      const struct memblock_type *type)
{
	struct memblock *m = (struct memblock *)mb;
	int t;

	if (!type || !mb)
		return type ? type->regions : NULL;
	t = mbi_st_slot(mb, type);
	if (t >= 0 && mb->index[t].nodes && mb->view_stale[t]) {
		mbi_index_export(&m->index[t], type->regions);
		m->view_stale[t] = false;
	}
	return type->regions;
}

const struct memblock_region *mbi_st_at_ix(const struct memblock *mb,
					   const struct memblock_type *type, unsigned long i)
{
	struct mb_index *ix = mbi_st_index(mb, type);

	if (!ix || i >= ix->cnt)
		return &type->regions[i];
	return mbi_index_at(ix, i);
}

unsigned long mbi_st_count_end_le_ix(const struct memblock *mb,
				     const struct memblock_type *type, mb_phys_addr_t addr)
{
	struct mb_index *ix = mbi_st_index(mb, type);

	return ix ? mbi_index_seek_end(ix, addr) : mbi_rgn_count_end_le(type, addr);
}

unsigned long mbi_st_count_base_le_ix(const struct memblock *mb,
				      const struct memblock_type *type, mb_phys_addr_t addr)
{
	const struct mb_index *ix = mbi_st_index(mb, type);

	return ix ? mbi_index_count_base_le(ix, addr) : mbi_rgn_count_base_le(type, addr);
}

/*
 * Before a doubling of @type writes anything: the pool its index will
 * need at the new max (an AUTO type reaching the threshold gets its first
 * one). -MB_ENOMEM when there is none to have.
 */
int mbi_st_pool_prepare(struct mb_txn *tx, const struct memblock_type *type)
{
	struct memblock *mb = tx->mb;
	struct mb_journal *j = &mb->journal;
	int t = mbi_st_slot(mb, type);
	unsigned long new_max = type->max << 1;
	struct mb_pool_undo *p;
	void *pool;

	if (t < 0 || (!mb->index[t].nodes && !mode_wants(mb->index_mode, new_max)))
		return 0;
	if (j->pools >= MB_POOL_UNDO_MAX)
		return -MB_ENOMEM;
	pool = pool_alloc(mb, new_max);
	if (!pool)
		return -MB_ENOMEM;
	p = &j->pool[j->pools++];
	mb_zero(p, sizeof(*p));
	p->new_nodes = pool;
	p->new_cap = (uint32_t)new_max;
	p->slot = (uint8_t)t;
	return 0;
}

static struct mb_pool_undo *pending(struct mb_journal *j)
{
	if (!j->pools || j->pool[j->pools - 1].done)
		return NULL;
	return &j->pool[j->pools - 1];
}

/* The doubling failed before it moved anything: give its pool back. */
void mbi_st_pool_cancel(struct mb_txn *tx)
{
	struct mb_journal *j = &tx->mb->journal;
	struct mb_pool_undo *p = pending(j);

	if (!p)
		return;
	pool_free(tx->mb, p->new_nodes, p->new_cap);
	mb_zero(p, sizeof(*p));
	j->pools--;
}

/* The array has doubled: its index moves to (or is built in) the new pool. */
void mbi_st_pool_commit(struct mb_txn *tx)
{
	struct memblock *mb = tx->mb;
	struct mb_journal *j = &mb->journal;
	struct mb_pool_undo *p = pending(j);
	struct mb_index *ix;

	if (!p)
		return;
	ix = &mb->index[p->slot];
	p->at = (uint16_t)j->nr;
	p->done = true;
	if (!ix->nodes) {
		build_index(mb, p->slot, p->new_nodes);
		return;
	}
	p->old_nodes = ix->nodes;
	p->old_cap = ix->cap;
	p->cnt = ix->cnt;
	p->root = ix->root;
	p->free_list = ix->free_list;
	p->fresh = ix->fresh;
	mbi_index_move(ix, p->new_nodes, p->new_cap);
}

/* Undo one pool change: the old pool was never written since, its header says it all. */
void mbi_st_pool_undo(struct memblock *mb, const struct mb_pool_undo *p)
{
	struct mb_index *ix = &mb->index[p->slot];

	if (!p->done)
		return;
	if (!p->old_nodes) {
		mb_zero(ix, sizeof(*ix));
		return;
	}
	ix->nodes = p->old_nodes;
	ix->cap = p->old_cap;
	ix->cnt = p->cnt;
	ix->root = p->root;
	ix->free_list = p->free_list;
	ix->fresh = p->fresh;
	/* The cursor and its path belong to the other pool's walks: drop them. */
	ix->cursor_rank = 0;
	ix->cursor_node = MB_INDEX_NIL;
	ix->cursor_prev = MB_INDEX_NIL;
	ix->path_len = 0;
}

/* End of a call: free the pools it replaced (@failed: the ones it made). */
void mbi_st_pools_end(struct memblock *mb, bool failed)
{
	struct mb_journal *j = &mb->journal;
	unsigned int k;
	int t;

	for (k = 0; k < j->pools; k++) {
		const struct mb_pool_undo *p = &j->pool[k];

		if (failed || !p->done)
			pool_free(mb, p->new_nodes, p->new_cap);
		else
			pool_free(mb, p->old_nodes, p->old_cap);
	}
	mb_zero(j->pool, j->pools * sizeof(j->pool[0]));
	j->pools = 0;
	if (!failed)
		return;
	/* The undo put the index back, not the arrays. */
	for (t = 0; t < 3; t++)
		if (mb->index[t].nodes)
			mb->view_stale[t] = true;
}
