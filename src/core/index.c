// SPDX-License-Identifier: MIT
/*
 * index.c - the region index of one type: an order-statistic AVL tree.
 *
 * A node holds one region. The tree is ordered by rank, the position the
 * region has in the type's flat array; the core keeps the regions sorted,
 * so rank order is address order. Invariants (mbi_index_check() tests all):
 *  - in-order the nodes are ranks 0..cnt-1, and each node's next is its
 *    in-order successor (MB_INDEX_NIL for the last);
 *  - left_bal holds the size of the left subtree (bits 0-29) and the AVL
 *    balance, height(right) - height(left) in -1..1, stored plus one
 *    (bits 30-31);
 *  - max_gap is the largest gap_above() in the subtree, where gap_above of
 *    a node is base(next) - end(node), 0 for the last region;
 *  - nodes [fresh, cap) have never been used; the fresh - cnt nodes
 *    below fresh that are not in the tree are chained through left from
 *    free_list, with left_bal 0 (a tree node's balance bits are never 0
 *    with an empty left subtree). Nothing writes a pool beyond fresh, so
 *    starting or growing an index touches no more memory than it holds;
 *  - cursor_node is the node at cursor_rank, or MB_INDEX_NIL; while
 *    path_len is not 0, path leads from the root to it; cursor_prev is
 *    the node at cursor_rank - 1, or MB_INDEX_NIL when not known.
 * Removing a node with two children moves the region above it into its
 * node, which is why pointers from at() last only until the next update.
 *
 * Cost, n = cnt: at() O(log n), O(1) for the rank last looked up, and a
 * walk over k ranks either way O(k + log n); insert, remove, set, the
 * count_* searches, seek_end, find and the gap searches O(log n), an
 * insert next to the cursor or a removal at it without a second descent
 * from the root; export, build, move and check O(n); init O(1).
 *
 * Why AVL: the height stays below 1.44 log2(n + 2), so the path of any
 * update fits a fixed array of MB_INDEX_PATH entries, and the layout
 * depends only on the sequence of calls (no random priorities), so runs
 * replay exactly. Lookups outnumber updates in the allocator, which
 * favours AVL's lower height over a red-black tree's cheaper updates.
 *
 * Why the path lives in the instance: the code is iterative (the core's
 * public calls must stay within 1 KiB of stack and these functions sit at
 * the bottom of the deepest call chain), and a 48-entry path on the stack
 * would cost 192 bytes there. A path entry is a node number with the
 * direction taken from it in bit 31.
 */
#include "index.h"

#include "mb_env.h"

#define NIL MB_INDEX_NIL
#define CNT_MASK 0x3fffffffu
#define BAL_SHIFT 30
#define BAL_EVEN (1u << BAL_SHIFT)
#define DIR_RIGHT 0x80000000u
#define NODE_MASK 0x7fffffffu

/*
 * The rebalancing step inlined into its two callers, the rotations kept
 * out of line: the deepest chain (remove) is 40 bytes lower at -O2.
 */
#if defined(__GNUC__) || defined(__clang__)
#define IX_INLINE inline __attribute__((always_inline))
#define IX_OUTLINE __attribute__((noinline))
#else
#define IX_INLINE inline
#define IX_OUTLINE
#endif

_Static_assert(sizeof(struct mb_index_node) <= 48, "a node must stay within 48 bytes");
/* An AVL tree of 2^30 nodes is at most 43 nodes high. */
_Static_assert(MB_INDEX_PATH >= 44, "the path must hold the highest tree");

/*
 * Ask for both children of @nd before the comparison picks one, so that
 * the next level's cache miss starts a step early. A missing child
 * (MB_INDEX_NIL) makes a harmless hint at a wild address: computed as an
 * integer, since a pointer may not leave its array.
 */
static inline void prefetch_children(const struct mb_index *ix, const struct mb_index_node *nd)
{
	uintptr_t base = (uintptr_t)ix->nodes, size = sizeof(*nd);

	mb_prefetch((const void *)(base + nd->left * size));
	mb_prefetch((const void *)(base + nd->right * size));
}

/* The child link of @nd on side @right. */
static uint32_t *child_link(struct mb_index_node *nd, int right)
{
	return right ? &nd->right : &nd->left;
}

/*
 * The nodes in @nd's left subtree: kept in the node itself, so that a
 * descent by address counts ranks without reading the node beside it.
 */
static uint32_t left_count(const struct mb_index_node *nd)
{
	return nd->left_bal & CNT_MASK;
}

static int bal_of(const struct mb_index *ix, uint32_t n)
{
	return (int)(ix->nodes[n].left_bal >> BAL_SHIFT) - 1;
}

static void set_bal(struct mb_index *ix, uint32_t n, int bal)
{
	struct mb_index_node *nd = &ix->nodes[n];

	nd->left_bal = (nd->left_bal & CNT_MASK) | (uint32_t)(bal + 1) << BAL_SHIFT;
}

/* gap_above() of @nd; regions that overlap their successor count as 0. */
static mb_phys_addr_t gap_of(const struct mb_index *ix, const struct mb_index_node *nd)
{
	mb_phys_addr_t next_base, room;

	if (nd->next == NIL)
		return 0;
	next_base = ix->nodes[nd->next].rgn.base;
	if (next_base < nd->rgn.base)
		return 0;
	room = next_base - nd->rgn.base;
	return room > nd->rgn.size ? room - nd->rgn.size : 0;
}

static mb_phys_addr_t sub_gap(const struct mb_index *ix, uint32_t n)
{
	return n == NIL ? 0 : ix->nodes[n].max_gap;
}

/* Whether subtree @n holds a gap of at least @min. */
static bool sub_fits(const struct mb_index *ix, uint32_t n, mb_phys_addr_t min)
{
	return n != NIL && ix->nodes[n].max_gap >= min;
}

/* The largest gap in @nd's subtree, from its own gap and its children's. */
static mb_phys_addr_t gap_sum(const struct mb_index *ix, const struct mb_index_node *nd)
{
	mb_phys_addr_t gap = gap_of(ix, nd), left = sub_gap(ix, nd->left);
	mb_phys_addr_t right = sub_gap(ix, nd->right);

	if (left > gap)
		gap = left;
	return right > gap ? right : gap;
}

/* Recompute @n's max_gap from its children; true if it changed. */
static IX_INLINE bool pull(struct mb_index *ix, uint32_t n)
{
	struct mb_index_node *nd = &ix->nodes[n];
	mb_phys_addr_t gap = gap_sum(ix, nd);
	bool changed = gap != nd->max_gap;

	nd->max_gap = gap;
	return changed;
}

/*
 * Lift @n's child on side @right into @n's place; returns it. Both left
 * counts follow from the two nodes alone: lifting a right child puts @n
 * and its left subtree below the child's left, lifting a left child takes
 * the child and its left subtree out of @n's.
 */
IX_OUTLINE static uint32_t rotate(struct mb_index *ix, uint32_t n, int right)
{
	struct mb_index_node *nn = &ix->nodes[n];
	uint32_t c = *child_link(nn, right);
	struct mb_index_node *nc = &ix->nodes[c];

	*child_link(nn, right) = *child_link(nc, !right);
	*child_link(nc, !right) = n;
	if (right)
		nc->left_bal += left_count(nn) + 1;
	else
		nn->left_bal -= left_count(nc) + 1;
	pull(ix, n);
	pull(ix, c);
	return c;
}

/*
 * Rebalance @n, two levels taller on side @right. Returns the subtree's
 * new root; *@same_height tells whether the subtree kept the height it
 * had before (only when the heavy child was balanced, after a removal).
 */
static IX_INLINE uint32_t fix_heavy(struct mb_index *ix, uint32_t n, int right, bool *same_height)
{
	int s = right ? 1 : -1;
	uint32_t c = *child_link(&ix->nodes[n], right);
	int bc = bal_of(ix, c);

	if (bc == -s) {
		uint32_t g = *child_link(&ix->nodes[c], !right);
		int bg = bal_of(ix, g);

		*child_link(&ix->nodes[n], right) = rotate(ix, c, !right);
		rotate(ix, n, right);
		set_bal(ix, n, bg == s ? -s : 0);
		set_bal(ix, c, bg == -s ? s : 0);
		set_bal(ix, g, 0);
		*same_height = false;
		return g;
	}
	rotate(ix, n, right);
	set_bal(ix, n, bc ? 0 : s);
	set_bal(ix, c, bc ? 0 : -s);
	*same_height = !bc;
	return c;
}

/* Point the parent of path entry @i (or the root) at @n. */
static void set_child(struct mb_index *ix, uint32_t i, uint32_t n)
{
	uint32_t parent;

	if (!i) {
		ix->root = n;
		return;
	}
	parent = ix->path[i - 1];
	*child_link(&ix->nodes[parent & NODE_MASK], !!(parent & DIR_RIGHT)) = n;
}

/*
 * Bring path entry @e up to date after the subtree below it gained
 * (@delta 1) or lost (-1) a node: its left count when that subtree is its
 * left one. Done before any rotation at the node, which needs it right.
 * Without a branch: the side is a coin toss to the branch predictor.
 */
static IX_INLINE void recount(struct mb_index *ix, uint32_t e, int delta)
{
	uint32_t went_left = 1u - (e >> 31);

	ix->nodes[e & NODE_MASK].left_bal += (uint32_t)delta * went_left;
}

/*
 * What an update's walk up the path knows of the max_gap below it: that
 * it changed, and whether it only rose (risen not 0: to that value).
 * When it only rose, and a node's own gap and other child are as they
 * were, the node's new max_gap is the larger of its old one and the risen
 * one: no read of the child off the path, which costs a cache miss. A new
 * leaf's gap rises from nothing; a removal raises the gap below the
 * region it takes away.
 */
struct gap_walk {
	bool changed;
	mb_phys_addr_t risen;
};

/* Bring path node @n's max_gap up to date; @own: its own gap changed. */
static IX_INLINE void regap(struct mb_index *ix, uint32_t n, bool own, struct gap_walk *w)
{
	struct mb_index_node *nd = &ix->nodes[n];
	mb_phys_addr_t old = nd->max_gap;

	if (!w->changed && !own)
		return;
	if (w->risen && !own) {
		w->changed = w->risen > old;
		nd->max_gap = w->changed ? w->risen : old;
		w->risen = w->changed ? w->risen : 0;
		return;
	}
	pull(ix, n);
	w->changed = nd->max_gap != old;
	w->risen = nd->max_gap > old ? nd->max_gap : 0;
}

/*
 * The rest of an update's walk up the path, entries @len - 1 down to 0,
 * once the heights above no longer change: left counts, and each max_gap
 * while the one below it changed or until the path nodes @a and @b (NIL
 * once passed), whose own gaps changed, are brought up to date. Past
 * them and the last change, only counts are left: a tight loop.
 */
static IX_INLINE void finish_walk(struct mb_index *ix, uint32_t len, struct gap_walk w, uint32_t a,
				  uint32_t b, int delta)
{
	while (len && (w.changed || a != NIL || b != NIL)) {
		uint32_t e = ix->path[--len], n = e & NODE_MASK;
		bool own = n == a || n == b;

		recount(ix, e, delta);
		a = n == a ? NIL : a;
		b = n == b ? NIL : b;
		regap(ix, n, own, &w);
	}
	while (len--)
		recount(ix, ix->path[len], delta);
}

/*
 * Walk the path up after a leaf was added below its last entry; the
 * leaf's gap is @leaf_gap, cut from the gap of the region before it. The
 * gaps first, from the leaf up as far as they change (rarely far: the
 * leaf's gap and what is left of the one it was cut from are no larger
 * than that was), then the counts and balances in one branch-light pass
 * over the whole path; the rotations there recompute their nodes' gaps
 * from children that are up to date by then, and leave the gap of the
 * subtree they turn as it was.
 */
static void after_insert(struct mb_index *ix, uint32_t len, mb_phys_addr_t leaf_gap)
{
	struct gap_walk w = { false, 0 };
	uint32_t i = len, grew = 1; /* the subtree below is a level taller */

	/*
	 * Below the region before the leaf (the last right turn) the path
	 * turns left only, and the leaf's gap can only raise max_gap there.
	 */
	for (; i && !(ix->path[i - 1] & DIR_RIGHT); i--) {
		struct mb_index_node *nd = &ix->nodes[ix->path[i - 1] & NODE_MASK];

		nd->max_gap = leaf_gap > nd->max_gap ? leaf_gap : nd->max_gap;
	}
	/* That region's gap shrank: from it up, as far as anything changes. */
	if (i) {
		regap(ix, ix->path[--i] & NODE_MASK, true, &w);
		while (i-- && w.changed)
			regap(ix, ix->path[i] & NODE_MASK, false, &w);
	}
	while (len--) {
		uint32_t e = ix->path[len], n = e & NODE_MASK, right = e >> 31;
		struct mb_index_node *nd = &ix->nodes[n];
		/* The left count (the leaf went left) and balance + 1 (0..2) in one read. */
		uint32_t lb = nd->left_bal + (1u - right), before = lb >> BAL_SHIFT;
		/* Both outcomes ahead, so that the step to the next level is one AND. */
		uint32_t taller = before + 2 * right - 1, after = grew ? taller : before;

		if (after > 2) { /* balance +-2 (wrapped below 0 on the left): rotate */
			bool same;

			nd->left_bal = lb;
			set_child(ix, len, fix_heavy(ix, n, (int)right, &same));
			grew = 0;
			continue;
		}
		nd->left_bal = (lb & CNT_MASK) | after << BAL_SHIFT;
		grew &= taller != 1; /* balanced now: the height above stays */
	}
}

/*
 * Walk the path up after the subtree below its last entry lost a node;
 * the gaps of @a and @b (path nodes, or NIL) changed.
 */
static void after_remove(struct mb_index *ix, uint32_t len, uint32_t a, uint32_t b)
{
	struct gap_walk w = { true, 0 };

	while (len--) {
		uint32_t e = ix->path[len], n = e & NODE_MASK;
		int right = !!(e & DIR_RIGHT), s = right ? 1 : -1, bal;
		bool own = n == a || n == b;

		recount(ix, e, -1);
		a = n == a ? NIL : a;
		b = n == b ? NIL : b;
		bal = bal_of(ix, n) - s;
		if (bal == -2 * s) {
			bool same;

			set_child(ix, len, fix_heavy(ix, n, !right, &same));
			w.changed = true;
			w.risen = 0;
			if (same) {
				finish_walk(ix, len, w, a, b, -1);
				return;
			}
			continue;
		}
		set_bal(ix, n, bal);
		regap(ix, n, own, &w);
		if (bal) {
			finish_walk(ix, len, w, a, b, -1);
			return;
		}
	}
}

/* The node at @rank (< cnt). */
static uint32_t find(const struct mb_index *ix, unsigned long rank)
{
	uint32_t n = ix->root;

	for (;;) {
		const struct mb_index_node *nd = &ix->nodes[n];
		unsigned long left = left_count(nd);

		prefetch_children(ix, nd);
		if (rank == left)
			return n;
		if (rank < left) {
			n = nd->left;
		} else {
			rank -= left + 1;
			n = nd->right;
		}
	}
}

/* The node at @rank (< cnt), with the path to it in ix->path. */
static uint32_t descend(struct mb_index *ix, unsigned long rank)
{
	uint32_t n = ix->root, len = 0;

	for (;;) {
		const struct mb_index_node *nd = &ix->nodes[n];
		unsigned long left = left_count(nd);

		prefetch_children(ix, nd);
		if (rank == left)
			break;
		if (rank < left) {
			ix->path[len++] = n;
			n = nd->left;
		} else {
			rank -= left + 1;
			ix->path[len++] = n | DIR_RIGHT;
			n = nd->right;
		}
	}
	ix->path[len++] = n;
	ix->path_len = len;
	return n;
}

/*
 * The gap of @rank changed, and every other node agrees with its children:
 * bring max_gap up to date above it. Above a node whose max_gap stays
 * the same, nothing changes either, so the walk stops there.
 */
static void refresh(struct mb_index *ix, unsigned long rank)
{
	uint32_t len;

	descend(ix, rank);
	for (len = ix->path_len; len--;)
		if (!pull(ix, ix->path[len] & NODE_MASK))
			return;
}

/*
 * Move the cursor's path (ix->path_len != 0) to its in-order neighbour on
 * side @right, which exists: down that side and then to the far end the
 * other way, or else up to the first ancestor reached from the other side.
 * A walk over k ranks costs O(k + log n).
 */
static uint32_t path_step(struct mb_index *ix, int right)
{
	uint32_t len = ix->path_len, n = ix->path[len - 1] & NODE_MASK;
	uint32_t c = *child_link(&ix->nodes[n], right);

	if (c != NIL) {
		ix->path[len - 1] = n | (right ? DIR_RIGHT : 0);
		for (; *child_link(&ix->nodes[c], !right) != NIL;
		     c = *child_link(&ix->nodes[c], !right))
			ix->path[len++] = c | (right ? 0 : DIR_RIGHT);
		ix->path[len++] = c;
	} else {
		while (!(ix->path[len - 2] & DIR_RIGHT) == !right)
			len--;
		len--;
	}
	ix->path_len = len;
	return ix->path[len - 1] & NODE_MASK;
}

/* Put the cursor on node @n at @rank; the node below it is not known. */
static void set_cursor(struct mb_index *ix, unsigned long rank, uint32_t n)
{
	ix->cursor_rank = (uint32_t)rank;
	ix->cursor_node = n;
	ix->cursor_prev = NIL;
}

/*
 * The node at @rank, through the cursor when it is there or next to it.
 * While ix->path_len is not 0, ix->path leads to the cursor's node. The
 * node below the cursor, when a search found it on its way, is answered
 * without moving the cursor: an add looks at both neighbours of the
 * place it found, then inserts there.
 */
static uint32_t lookup(struct mb_index *ix, unsigned long rank)
{
	uint32_t n = ix->cursor_node;
	bool near = n != NIL && ix->path_len;

	if (n != NIL && rank == ix->cursor_rank)
		return n;
	if (rank + 1 == ix->cursor_rank && ix->cursor_prev != NIL)
		return ix->cursor_prev;
	if (n != NIL && rank == ix->cursor_rank + 1UL)
		n = near ? path_step(ix, 1) : ix->nodes[n].next;
	else if (near && rank + 1 == ix->cursor_rank)
		n = path_step(ix, 0);
	else
		n = descend(ix, rank);
	set_cursor(ix, rank, n);
	return n;
}

static void free_node(struct mb_index *ix, uint32_t n)
{
	struct mb_index_node *nd = &ix->nodes[n];

	nd->left = ix->free_list;
	nd->right = NIL;
	nd->next = NIL;
	nd->left_bal = 0;
	nd->max_gap = 0;
	ix->free_list = n;
}

/**
 * mbi_index_bytes() - pool bytes for an index of @cap nodes
 * @cap: nodes, at most MB_INDEX_MAX_CAP
 *
 * Return: the size, or 0 when @cap is too large for a pool.
 */
size_t mbi_index_bytes(unsigned long cap)
{
	if (cap > MB_INDEX_MAX_CAP || cap > SIZE_MAX / sizeof(struct mb_index_node))
		return 0;
	return cap * sizeof(struct mb_index_node);
}

/* A node for a new region: one freed before, else the first never used. */
static uint32_t take_node(struct mb_index *ix)
{
	uint32_t n = ix->free_list;

	if (n == NIL)
		return ix->fresh++;
	ix->free_list = ix->nodes[n].left;
	return n;
}

/**
 * mbi_index_init() - start an empty index, O(1)
 * @ix: index
 * @pool: mbi_index_bytes(@cap) bytes, aligned for struct mb_index_node
 * @cap: nodes in @pool, at most MB_INDEX_MAX_CAP
 */
void mbi_index_init(struct mb_index *ix, void *pool, unsigned long cap)
{
	ix->nodes = pool;
	ix->cap = (uint32_t)cap;
	ix->cnt = 0;
	ix->root = NIL;
	ix->free_list = NIL;
	ix->fresh = 0;
	set_cursor(ix, 0, NIL);
	ix->path_len = 0;
}

/*
 * Node @k roots the ranks [lo, hi) its left and right hold until now:
 * give it the middle region, and its children the next fresh numbers,
 * with their ranks. Nodes are filled in number order, so the numbers go
 * level by level from the root.
 */
static void build_node(struct mb_index *ix, uint32_t k, const struct memblock_region *sorted)
{
	struct mb_index_node *nd = &ix->nodes[k];
	uint32_t lo = nd->left, hi = nd->right, mid = lo + (hi - lo) / 2;
	uint32_t nl = mid - lo, nr = hi - mid - 1;
	uint32_t side[2] = { lo, mid + 1 }, len[2] = { nl, nr };
	int i;

	nd->rgn = sorted[mid];
	for (i = 0; i < 2; i++) {
		uint32_t c = NIL;

		if (len[i]) {
			c = ix->fresh++;
			ix->nodes[c].left = side[i];
			ix->nodes[c].right = side[i] + len[i];
		}
		*child_link(nd, i) = c;
	}
	/* Left holds the larger half: left-heavy when it is a level taller. */
	nd->left_bal = nl | (nl > nr && (nl ^ nr) > nr ? 0u : BAL_EVEN);
}

/* Link every node to its in-order successor, walking with ix->path as the stack. */
static void link_in_order(struct mb_index *ix)
{
	uint32_t depth = 0, n = ix->root, prev = NIL;

	for (;;) {
		for (; n != NIL; n = ix->nodes[n].left)
			ix->path[depth++] = n;
		if (!depth)
			break;
		n = ix->path[--depth];
		if (prev != NIL)
			ix->nodes[prev].next = n;
		prev = n;
		n = ix->nodes[n].right;
	}
	ix->nodes[prev].next = NIL;
	ix->path_len = 0;
}

/**
 * mbi_index_build() - fill an index from a sorted array, balanced, O(n)
 * @ix: initialised index, whose contents are replaced
 * @sorted: regions in address order
 * @n: number of regions, at most ix->cap
 *
 * Each subtree's root is the middle of its ranks, so the tree is as low
 * as a binary tree can be, and nodes are numbered level by level from the
 * root (node 0): the top levels, which every descent reads, share cache
 * lines and pages, and a node's children lie side by side.
 */
void mbi_index_build(struct mb_index *ix, const struct memblock_region *sorted, unsigned long n)
{
	uint32_t k, cnt = (uint32_t)n;

	mbi_index_init(ix, ix->nodes, ix->cap);
	if (!cnt)
		return;
	ix->nodes[0].left = 0;
	ix->nodes[0].right = cnt;
	ix->fresh = 1;
	for (k = 0; k < cnt; k++)
		build_node(ix, k, sorted);
	ix->root = 0;
	ix->cnt = cnt;
	link_in_order(ix);
	/* Children have higher numbers than their parent: sum the gaps upwards. */
	for (k = cnt; k--;)
		ix->nodes[k].max_gap = gap_sum(ix, &ix->nodes[k]);
}

/**
 * mbi_index_export() - write the regions out in address order, O(n)
 * @ix: index
 * @out: room for ix->cnt regions
 */
void mbi_index_export(const struct mb_index *ix, struct memblock_region *out)
{
	uint32_t n = ix->root;

	if (n == NIL)
		return;
	while (ix->nodes[n].left != NIL)
		n = ix->nodes[n].left;
	for (; n != NIL; n = ix->nodes[n].next)
		*out++ = ix->nodes[n].rgn;
}

/**
 * mbi_index_move() - move an index to a larger pool, O(n)
 * @ix: index
 * @pool: mbi_index_bytes(@cap) bytes; may overlap the old pool
 * @cap: nodes in @pool, at least ix->cap and at most MB_INDEX_MAX_CAP
 *
 * Node numbers stay as they are, so the cursor stays valid.
 */
void mbi_index_move(struct mb_index *ix, void *pool, unsigned long cap)
{
	if (pool != ix->nodes && ix->fresh)
		mb_move(pool, ix->nodes, ix->fresh * sizeof(struct mb_index_node));
	ix->nodes = pool;
	ix->cap = (uint32_t)cap;
}

/**
 * mbi_index_at() - the region at a rank
 * @ix: index
 * @rank: below ix->cnt
 *
 * Return: the region, valid until the next insert or remove; write it
 * through mbi_index_set() only.
 */
const struct memblock_region *mbi_index_at(struct mb_index *ix, unsigned long rank)
{
	return &ix->nodes[lookup(ix, rank)].rgn;
}

/*
 * The path (in ix->path) to the empty child where a region of @rank
 * goes, taken from the cursor's path when the cursor is at @rank or just
 * below it: an add looks at both neighbours before it inserts. The
 * slot is the same as a descent finds, so the tree is too. Returns the
 * region below the slot, NIL for none; ix->path_len is 0 when the cursor
 * cannot be used.
 */
static uint32_t cursor_slot(struct mb_index *ix, unsigned long rank)
{
	uint32_t len = ix->path_len, n, c, pred = NIL;

	if (!len || ix->cursor_node == NIL ||
	    (ix->cursor_rank != rank && ix->cursor_rank + 1UL != rank)) {
		ix->path_len = 0;
		return NIL;
	}
	n = ix->path[len - 1] & NODE_MASK;
	if (ix->cursor_rank != rank) {
		/* Just above the cursor: the far left of its right subtree. */
		ix->path[len - 1] = n | DIR_RIGHT;
		for (c = ix->nodes[n].right; c != NIL; c = ix->nodes[c].left)
			ix->path[len++] = c;
		ix->path_len = len;
		return n;
	}
	/* Just below it: the far right of its left subtree, or its left. */
	ix->path[len - 1] = n;
	ix->path_len = len;
	for (c = ix->nodes[n].left; c != NIL; c = ix->nodes[c].right) {
		ix->path[len++] = c | DIR_RIGHT;
		pred = c;
	}
	if (pred != NIL) {
		ix->path_len = len;
		return pred;
	}
	while (--len)
		if (ix->path[len - 1] & DIR_RIGHT)
			return ix->path[len - 1] & NODE_MASK;
	return NIL;
}

/* cursor_slot() by a descent from the root. */
static uint32_t descend_slot(struct mb_index *ix, unsigned long rank)
{
	uint32_t n = ix->root, pred = NIL, len = 0;

	while (n != NIL) {
		const struct mb_index_node *nd = &ix->nodes[n];
		unsigned long left = left_count(nd);

		prefetch_children(ix, nd);
		if (rank <= left) {
			ix->path[len++] = n;
			n = nd->left;
		} else {
			rank -= left + 1;
			ix->path[len++] = n | DIR_RIGHT;
			pred = n;
			n = nd->right;
		}
	}
	ix->path_len = len;
	return pred;
}

/**
 * mbi_index_insert() - insert a region at a rank
 * @ix: index with ix->cnt < ix->cap
 * @rank: at most ix->cnt; the regions from @rank on move up one rank
 * @r: the region
 */
void mbi_index_insert(struct mb_index *ix, unsigned long rank, const struct memblock_region *r)
{
	uint32_t x = take_node(ix), pred = cursor_slot(ix, rank), succ = NIL, len;
	struct mb_index_node *nx = &ix->nodes[x];

	if (!ix->path_len)
		pred = descend_slot(ix, rank);
	len = ix->path_len;
	nx->rgn = *r;
	nx->left = NIL;
	nx->right = NIL;
	nx->left_bal = BAL_EVEN;
	if (len) {
		uint32_t last = ix->path[len - 1];

		*child_link(&ix->nodes[last & NODE_MASK], !!(last & DIR_RIGHT)) = x;
		/* No region below: the slot is left of the lowest one. */
		succ = pred != NIL ? ix->nodes[pred].next : last & NODE_MASK;
	} else {
		ix->root = x;
	}
	nx->next = succ;
	if (pred != NIL)
		ix->nodes[pred].next = x;
	nx->max_gap = gap_of(ix, nx);
	after_insert(ix, len, nx->max_gap);
	ix->cnt++;
	set_cursor(ix, rank, x);
	ix->path_len = 0;
}

/* Unlink the node at the end of the path, which has at most one child; see after_remove(). */
static void unlink_last(struct mb_index *ix, uint32_t a, uint32_t b)
{
	uint32_t len = ix->path_len - 1, victim = ix->path[len] & NODE_MASK;
	struct mb_index_node *nv = &ix->nodes[victim];

	set_child(ix, len, nv->left != NIL ? nv->left : nv->right);
	free_node(ix, victim);
	after_remove(ix, len, a, b);
}

/* descend(), or the cursor when it is at @rank with its path. */
static uint32_t at_with_path(struct mb_index *ix, unsigned long rank)
{
	if (ix->path_len && ix->cursor_node != NIL && ix->cursor_rank == rank)
		return ix->cursor_node;
	return descend(ix, rank);
}

/*
 * The in-order predecessor of @x, the end of the path: the far right of
 * its left subtree, else the nearest node on the path left to the right.
 */
static uint32_t pred_of(const struct mb_index *ix, uint32_t x)
{
	uint32_t n = ix->nodes[x].left, i = ix->path_len - 1;

	if (n != NIL) {
		while (ix->nodes[n].right != NIL)
			n = ix->nodes[n].right;
		return n;
	}
	while (i--)
		if (ix->path[i] & DIR_RIGHT)
			return ix->path[i] & NODE_MASK;
	return NIL;
}

/*
 * The gap of @pred, at the bottom of the right spine down from @top,
 * changed: bring max_gap up to date along the spine, as far as it
 * changes. The spine is short (it ends in a removed node's left
 * subtree), so each parent is found again from @top, not kept.
 */
static void refresh_spine(struct mb_index *ix, uint32_t top, uint32_t pred)
{
	uint32_t n = pred;

	while (pull(ix, n) && n != top) {
		uint32_t p = top;

		while (ix->nodes[p].right != n)
			p = ix->nodes[p].right;
		n = p;
	}
}

/**
 * mbi_index_remove() - remove the region at a rank
 * @ix: index
 * @rank: below ix->cnt; the regions above it move down one rank
 */
void mbi_index_remove(struct mb_index *ix, unsigned long rank)
{
	uint32_t x = at_with_path(ix, rank), pred = pred_of(ix, x);
	struct mb_index_node *nx = &ix->nodes[x];
	bool pred_on_path = nx->left == NIL;

	if (nx->left != NIL && nx->right != NIL) {
		/* The successor, which has no left child, gives up its node. */
		uint32_t s = nx->right, len = ix->path_len;

		ix->path[len - 1] |= DIR_RIGHT;
		for (; ix->nodes[s].left != NIL; s = ix->nodes[s].left)
			ix->path[len++] = s;
		ix->path[len++] = s;
		ix->path_len = len;
		nx->rgn = ix->nodes[s].rgn;
		nx->next = ix->nodes[s].next;
	} else if (pred != NIL) {
		ix->nodes[pred].next = nx->next;
	}
	/*
	 * The region below now borders another one. On the path it is
	 * brought up to date on the way up; elsewhere it ends the right
	 * spine of @x's left subtree, which no later step changes.
	 */
	if (!pred_on_path)
		refresh_spine(ix, nx->left, pred);
	unlink_last(ix, nx->left != NIL && nx->right != NIL ? x : NIL, pred_on_path ? pred : NIL);
	ix->cnt--;
	set_cursor(ix, rank ? rank - 1 : 0, pred);
	ix->path_len = 0;
}

/**
 * mbi_index_set() - replace the region at a rank
 * @ix: index
 * @rank: below ix->cnt
 * @r: the new region, which must keep the order
 */
void mbi_index_set(struct mb_index *ix, unsigned long rank, const struct memblock_region *r)
{
	struct mb_index_node *nd = &ix->nodes[lookup(ix, rank)];
	bool moved = nd->rgn.base != r->base, resized = nd->rgn.size != r->size;

	nd->rgn = *r;
	if (moved || resized)
		refresh(ix, rank);
	if (moved && rank)
		refresh(ix, rank - 1);
	/* refresh() leaves the path on its rank; the cursor may be the rank above. */
	if (ix->cursor_rank != rank || (moved && rank))
		ix->path_len = 0;
}

/**
 * mbi_index_count_end_le() - regions that end at or below an address
 * @ix: index
 * @addr: address
 *
 * Return: the number of regions with base + size <= @addr.
 */
unsigned long mbi_index_count_end_le(const struct mb_index *ix, mb_phys_addr_t addr)
{
	unsigned long count = 0;
	uint32_t n = ix->root;

	while (n != NIL) {
		const struct mb_index_node *nd = &ix->nodes[n];

		prefetch_children(ix, nd);
		if (nd->rgn.base + nd->rgn.size <= addr) {
			count += left_count(nd) + 1UL;
			n = nd->right;
		} else {
			n = nd->left;
		}
	}
	return count;
}

/**
 * mbi_index_seek_end() - mbi_index_count_end_le(), leaving the cursor at that rank
 * @ix: index
 * @addr: address
 *
 * The region at the returned rank (the first that ends above @addr) is
 * where a caller that counts looks next, and its neighbour below after
 * that: the cursor and its path make both free.
 *
 * Return: the number of regions with base + size <= @addr.
 */
unsigned long mbi_index_seek_end(struct mb_index *ix, mb_phys_addr_t addr)
{
	uint32_t n = ix->root, len = 0, count = 0, left_len = 0, right_len = 0;

	/*
	 * Masks and selects, not branches: the way down is a coin toss to a
	 * branch predictor (and compilers turn plain selects into branches
	 * when they think them predictable). left_len and right_len end at
	 * the last turn each way: the last node passed on the left is the
	 * first to end above @addr, the last one passed on the right is the
	 * one below it.
	 */
	while (n != NIL) {
		const struct mb_index_node *nd = &ix->nodes[n];
		uint32_t right = nd->rgn.base + nd->rgn.size <= addr, keep = 0u - right;

		prefetch_children(ix, nd);
		count += (left_count(nd) + 1) & keep;
		ix->path[len++] = n | right << 31;
		left_len = (left_len & keep) | (len & ~keep);
		right_len = (len & keep) | (right_len & ~keep);
		n = right ? nd->right : nd->left;
	}
	ix->path_len = left_len;
	if (left_len) {
		set_cursor(ix, count, ix->path[left_len - 1]);
		ix->cursor_prev = right_len ? ix->path[right_len - 1] & NODE_MASK : NIL;
	}
	return count;
}

/**
 * mbi_index_count_base_le() - regions that start at or below an address
 * @ix: index
 * @addr: address
 *
 * Return: the number of regions with base <= @addr.
 */
unsigned long mbi_index_count_base_le(const struct mb_index *ix, mb_phys_addr_t addr)
{
	unsigned long count = 0;
	uint32_t n = ix->root;

	while (n != NIL) {
		const struct mb_index_node *nd = &ix->nodes[n];

		prefetch_children(ix, nd);
		if (nd->rgn.base <= addr) {
			count += left_count(nd) + 1UL;
			n = nd->right;
		} else {
			n = nd->left;
		}
	}
	return count;
}

/* The node of the region holding @addr, or NIL: a descent that counts no ranks. */
static uint32_t holder(const struct mb_index *ix, mb_phys_addr_t addr)
{
	uint32_t n = ix->root;

	while (n != NIL) {
		const struct mb_index_node *nd = &ix->nodes[n];

		prefetch_children(ix, nd);
		if (nd->rgn.base > addr)
			n = nd->left;
		else if (addr - nd->rgn.base < nd->rgn.size)
			return n;
		else
			n = nd->right;
	}
	return NIL;
}

/**
 * mbi_index_find() - the region holding an address, in one descent
 * @ix: index
 * @addr: address
 * @rank: set to the region's rank, which becomes the cursor (so that
 *        mbi_index_at() of it costs nothing); NULL when not wanted
 *
 * Return: the region, or NULL when none holds @addr.
 */
const struct memblock_region *mbi_index_find(struct mb_index *ix, mb_phys_addr_t addr,
					     unsigned long *rank)
{
	uint32_t n = ix->root, best = NIL;
	unsigned long count = 0;

	if (!rank) {
		n = holder(ix, addr);
		return n == NIL ? NULL : &ix->nodes[n].rgn;
	}
	while (n != NIL) {
		const struct mb_index_node *nd = &ix->nodes[n];

		prefetch_children(ix, nd);
		if (nd->rgn.base <= addr) {
			count += left_count(nd) + 1UL;
			best = n;
			n = nd->right;
		} else {
			n = nd->left;
		}
	}
	if (best == NIL || addr - ix->nodes[best].rgn.base >= ix->nodes[best].rgn.size)
		return NULL;
	*rank = count - 1;
	set_cursor(ix, count - 1, best);
	ix->path_len = 0;
	return &ix->nodes[best].rgn;
}

/* The highest rank in subtree @n, whose lowest rank is @first, with a gap >= @min. */
static long last_fit(const struct mb_index *ix, uint32_t n, unsigned long first, mb_phys_addr_t min)
{
	for (;;) {
		const struct mb_index_node *nd = &ix->nodes[n];
		unsigned long rank = first + left_count(nd);

		if (sub_fits(ix, nd->right, min)) {
			first = rank + 1;
			n = nd->right;
		} else if (gap_of(ix, nd) >= min) {
			return (long)rank;
		} else {
			n = nd->left;
		}
	}
}

/* The lowest rank in subtree @n, whose lowest rank is @first, with a gap >= @min. */
static long first_fit(const struct mb_index *ix, uint32_t n, unsigned long first,
		      mb_phys_addr_t min)
{
	for (;;) {
		const struct mb_index_node *nd = &ix->nodes[n];
		unsigned long rank = first + left_count(nd);

		if (sub_fits(ix, nd->left, min)) {
			n = nd->left;
		} else if (gap_of(ix, nd) >= min) {
			return (long)rank;
		} else {
			first = rank + 1;
			n = nd->right;
		}
	}
}

/**
 * mbi_index_prev_gap() - the highest rank at or below @rank with a gap >= @min
 * @ix: index
 * @rank: rank to start from; ranks past the last region mean the last
 * @min: smallest gap_above() that fits
 *
 * On the way down to @rank, each node at or below @rank stands for itself
 * and its left subtree, ranks below the nodes met later: the last such
 * node with a fit holds the answer.
 *
 * Return: the rank, or -1 when none fits.
 */
long mbi_index_prev_gap(const struct mb_index *ix, unsigned long rank, mb_phys_addr_t min)
{
	uint32_t n = ix->root, best = NIL;
	unsigned long first = 0, best_rank = 0;

	if (rank >= ix->cnt)
		rank = ix->cnt - 1UL;
	while (n != NIL) {
		const struct mb_index_node *nd = &ix->nodes[n];
		unsigned long k = first + left_count(nd);

		if (k > rank) {
			n = nd->left;
			continue;
		}
		if (gap_of(ix, nd) >= min || sub_fits(ix, nd->left, min)) {
			best = n;
			best_rank = k;
		}
		if (k == rank)
			break;
		first = k + 1;
		n = nd->right;
	}
	if (best == NIL)
		return -1;
	if (gap_of(ix, &ix->nodes[best]) >= min)
		return (long)best_rank;
	return last_fit(ix, ix->nodes[best].left, best_rank - left_count(&ix->nodes[best]), min);
}

/**
 * mbi_index_next_gap() - the lowest rank at or above @rank with a gap >= @min
 * @ix: index
 * @rank: rank to start from
 * @min: smallest gap_above() that fits
 *
 * The mirror of mbi_index_prev_gap(): a node at or above @rank stands for
 * itself and its right subtree.
 *
 * Return: the rank, or -1 when none fits (always when @rank >= cnt).
 */
long mbi_index_next_gap(const struct mb_index *ix, unsigned long rank, mb_phys_addr_t min)
{
	uint32_t n = ix->root, best = NIL;
	unsigned long first = 0, best_rank = 0;

	if (rank >= ix->cnt)
		return -1;
	while (n != NIL) {
		const struct mb_index_node *nd = &ix->nodes[n];
		unsigned long k = first + left_count(nd);

		if (k < rank) {
			first = k + 1;
			n = nd->right;
			continue;
		}
		if (gap_of(ix, nd) >= min || sub_fits(ix, nd->right, min)) {
			best = n;
			best_rank = k;
		}
		if (k == rank)
			break;
		n = nd->left;
	}
	if (best == NIL)
		return -1;
	if (gap_of(ix, &ix->nodes[best]) >= min)
		return (long)best_rank;
	return first_fit(ix, ix->nodes[best].right, best_rank + 1, min);
}

/*
 * One node of a tree walk, its children already checked, their heights
 * given; tree_ok() checks its left count on the way.
 */
static bool node_ok(const struct mb_index *ix, const struct mb_index_node *nd, unsigned int left_h,
		    unsigned int right_h)
{
	uint32_t bal = nd->left_bal >> BAL_SHIFT;

	if (nd->next != NIL && nd->next >= ix->fresh)
		return false;
	if (bal > 2 || (int)bal - 1 != (int)right_h - (int)left_h)
		return false;
	return nd->max_gap == gap_sum(ix, nd);
}

/*
 * Walk the tree in post-order on a stack in ix->path (the instance is
 * never const, memblock.h), the state of each entry in bits 30-31: 0 left
 * next, 1 right next, 2 done. Checks in-order against the next links,
 * and each left count against the size of the left subtree just walked.
 */
static bool tree_ok(const struct mb_index *ix)
{
	uint32_t *stack = ((struct mb_index *)ix)->path, depth = 1, seen = 1, prev = NIL;
	unsigned char left_h[MB_INDEX_PATH];
	unsigned int height = 0;
	uint32_t size = 0; /* of the subtree walked last */

	if (ix->root == NIL)
		return !ix->cnt;
	if (ix->root >= ix->fresh)
		return false;
	stack[0] = ix->root;
	while (depth) {
		uint32_t n = stack[depth - 1] & CNT_MASK, state = stack[depth - 1] >> 30, child;
		const struct mb_index_node *nd = &ix->nodes[n];

		if (state == 2) {
			if (!node_ok(ix, nd, left_h[depth - 1], height))
				return false;
			height = 1 + (height > left_h[depth - 1] ? height : left_h[depth - 1]);
			size += left_count(nd) + 1;
			depth--;
			continue;
		}
		if (state == 1) {
			left_h[depth - 1] = (unsigned char)height;
			if (left_count(nd) != size || (prev != NIL && ix->nodes[prev].next != n))
				return false;
			prev = n;
		}
		stack[depth - 1] = n | (state + 1) << 30;
		child = state ? nd->right : nd->left;
		height = 0;
		size = 0;
		if (child == NIL)
			continue;
		if (child >= ix->fresh || depth == MB_INDEX_PATH || ++seen > ix->cnt)
			return false;
		stack[depth++] = child;
	}
	return seen == ix->cnt && ix->nodes[prev].next == NIL;
}

/* The cursor's path, while kept, leads from the root to the cursor's node. */
static bool path_ok(const struct mb_index *ix)
{
	uint32_t i, n = ix->root;

	if (!ix->path_len)
		return true;
	if (ix->path_len > MB_INDEX_PATH)
		return false;
	for (i = 0; i < ix->path_len; i++) {
		const struct mb_index_node *nd;

		if (n >= ix->fresh || (ix->path[i] & NODE_MASK) != n)
			return false;
		nd = &ix->nodes[n];
		n = ix->path[i] & DIR_RIGHT ? nd->right : nd->left;
	}
	return (ix->path[i - 1] & NODE_MASK) == ix->cursor_node;
}

static bool free_list_ok(const struct mb_index *ix)
{
	uint32_t n = ix->free_list, left = ix->fresh - ix->cnt;

	for (; n != NIL; n = ix->nodes[n].left) {
		if (!left-- || n >= ix->fresh || ix->nodes[n].left_bal)
			return false;
	}
	return !left;
}

/**
 * mbi_index_check() - test every invariant of an index, O(n)
 * @ix: index; its cursor's path is dropped (the next step back costs O(log n))
 *
 * Return: 0, or -MB_ECORRUPT.
 */
int mbi_index_check(const struct mb_index *ix)
{
	if (ix->cap > MB_INDEX_MAX_CAP || ix->fresh > ix->cap || ix->cnt > ix->fresh)
		return -MB_ECORRUPT;
	if (!path_ok(ix))
		return -MB_ECORRUPT;
	/* The walk below takes the path for its stack. */
	((struct mb_index *)ix)->path_len = 0;
	if (!tree_ok(ix) || !free_list_ok(ix))
		return -MB_ECORRUPT;
	if (ix->cursor_node != NIL &&
	    (ix->cursor_rank >= ix->cnt || find(ix, ix->cursor_rank) != ix->cursor_node))
		return -MB_ECORRUPT;
	if (ix->cursor_prev != NIL && (ix->cursor_node == NIL || !ix->cursor_rank ||
				       find(ix, ix->cursor_rank - 1UL) != ix->cursor_prev))
		return -MB_ECORRUPT;
	return 0;
}
