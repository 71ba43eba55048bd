// SPDX-License-Identifier: MIT
/*
 * grow.c - doubling a full region array (spec 4): Linux's policy
 * (memblock_double_array), a caller callback, or a fixed capacity.
 */
#include "internal.h"

static void print_type_msg(const struct memblock *mb, enum mb_log_level level,
			   const char *before, const struct memblock_type *type,
			   const char *after)
{
	mbi_print(mb, level, before, type->name, after);
}

static MB_COLD_HELPER void print_failed(const struct memblock *mb, const struct memblock_type *type)
{
	struct mb_text *t;

	t = mbi_line(mb);
	mb_text_str(t, "memblock: Failed to double ");
	mb_text_str(t, type->name);
	mb_text_str(t, " array from ");
	mb_text_dec(t, (int64_t)type->max);
	mb_text_str(t, " to ");
	mb_text_dec(t, (int64_t)(type->max * 2));
	mb_text_str(t, " entries !");
	mbi_line_emit(mb, MB_LOG_ERR, t);
}

static MB_COLD_HELPER void print_doubled(const struct memblock *mb,
					 const struct memblock_type *type, mb_phys_addr_t addr,
					 mb_phys_addr_t new_size)
{
	struct mb_text *t;

	t = mbi_line(mb);
	mb_text_str(t, "memblock: ");
	mb_text_str(t, type->name);
	mb_text_str(t, " is doubled to ");
	mb_text_dec(t, (int64_t)(type->max * 2));
	mb_text_str(t, " at ");
	mbi_text_pa_range(t, mb, addr, addr + new_size - 1);
	mbi_line_emit(mb, MB_LOG_DEBUG, t);
}

static bool *in_managed(struct memblock *mb, const struct memblock_type *type)
{
	if (type == &mb->memory)
		return &mb->memory_in_managed;
	if (type == &mb->reserved)
		return &mb->reserved_in_managed;
	return NULL;
}

static struct memblock_region *initial_array(const struct memblock *mb,
					     const struct memblock_type *type)
{
	if (type == &mb->memory)
		return mb->cfg.memory_regions;
	if (type == &mb->reserved)
		return mb->cfg.reserved_regions;
	return mb->cfg.physmem_regions;
}

/* Where Linux puts the new array: above the pending range, then below. */
static MB_COLD_HELPER mb_phys_addr_t linux_place(struct mb_txn *tx, struct memblock_type *type,
						 mb_phys_addr_t area_start,
						 mb_phys_addr_t area_size,
						 mb_phys_addr_t alloc_size)
{
	struct memblock *mb = tx->mb;
	mb_phys_addr_t addr, below;

	if (type != &mb->reserved)
		area_start = area_size = 0;
	addr = mbi_find_in_range(mb, area_start + area_size, mb->current_limit, alloc_size,
			     mb->cfg.page_size);
	if (!addr && area_size) {
		below = area_start < mb->current_limit ? area_start : mb->current_limit;
		addr = mbi_find_in_range(mb, 0, below, alloc_size, mb->cfg.page_size);
	}
	return addr;
}

static MB_COLD_HELPER void install(struct mb_txn *tx, struct memblock_type *type,
				   struct memblock_region *new_array)
{
	size_t old_size = type->max * sizeof(struct memblock_region);

	/* Linux can place a nested doubling over a pending array: be overlap-safe. */
	mb_move(new_array, type->regions, old_size);
	mb_zero(new_array + type->max, old_size);
	mbi_txn_log_move(tx, type->regions, new_array, type->max);
	type->regions = new_array;
	type->max <<= 1;
	mbi_st_pool_commit(tx);
	tx->mb->stats.doublings++;
}

static int grow_callback(struct mb_txn *tx, struct memblock_type *type)
{
	struct memblock *mb = tx->mb;
	struct memblock_region *new_array = NULL;

	if (mb->cfg.ops.grow)
		new_array = mb->cfg.ops.grow(mb->cfg.ops.grow_ctx, type, type->max * 2);
	if (!new_array) {
		mbi_st_pool_cancel(tx);
		print_failed(mb, type);
		return -MB_ENOSPC;
	}
	install(tx, type, new_array);
	return 0;
}

static bool frees_old(const struct memblock *mb, const struct memblock_type *type,
		      const struct memblock_region *old_array)
{
	const bool *managed = in_managed((struct memblock *)mb, type);

	if (old_array == initial_array(mb, type))
		return false;
	if (managed && !*managed)
		return false;
	return mb->cfg.ops.virt_to_phys != NULL;
}

/*
 * Free the old array as memblock_double_array() does (a traced phys free).
 * @type has doubled already: the old array held half its max.
 */
static void free_old(struct mb_txn *tx, struct memblock_type *type,
		     struct memblock_region *old_array)
{
	struct memblock *mb = tx->mb;
	mb_phys_addr_t old_size = (type->max >> 1) * sizeof(struct memblock_region);
	mb_phys_addr_t phys;

	if (!frees_old(mb, type, old_array))
		return;
	phys = mb->cfg.ops.virt_to_phys(mb->cfg.ops.mem_ctx, old_array);
	/* Linux ignores a failure here (the old array stays reserved). */
	mbi_phys_free_traced(tx, mbi_prof(mb)->trace_phys_free, phys,
			 mbi_round_up(old_size, mb->cfg.page_size), mb->cfg.callers.double_array);
}

/* What a doubled @type's array takes: its max entries, rounded up to pages. */
static mb_phys_addr_t new_alloc_size(const struct memblock *mb, const struct memblock_type *type)
{
	return mbi_round_up(type->max * sizeof(struct memblock_region), mb->cfg.page_size);
}

static void mark_managed(struct memblock *mb, const struct memblock_type *type)
{
	bool *managed = in_managed(mb, type);

	if (managed)
		*managed = true;
}

/*
 * Deliberate difference (docs/core.md): freeing the old array needs
 * reserved to double, and Linux would search for that array while the
 * new one is not reserved yet, placing it on top of it. Reserve first so
 * the new array stays intact.
 */
static MB_COLD_HELPER int settle_reserve_first(struct mb_txn *tx, struct memblock_type *type,
					       struct memblock_region *old_array,
					       mb_phys_addr_t addr)
{
	int rc = mbi_reserve_traced(tx, addr, new_alloc_size(tx->mb, type),
				    tx->mb->cfg.callers.double_array);

	if (rc)
		return rc;
	free_old(tx, type, old_array);
	mark_managed(tx->mb, type);
	return 0;
}

/*
 * The second half of a Linux doubling, once the array has moved to @addr:
 * free the old array and reserve the new one. Growth recurses through
 * here: only @tx, @type and @addr live across the free, and the reserve
 * is a tail call.
 */
static MB_COLD_HELPER int settle(struct mb_txn *tx, struct memblock_type *type,
				 struct memblock_region *old_array, mb_phys_addr_t addr)
{
	if (frees_old(tx->mb, type, old_array) && tx->mb->reserved.cnt + 2 > tx->mb->reserved.max)
		return settle_reserve_first(tx, type, old_array, addr);
	free_old(tx, type, old_array);
	mark_managed(tx->mb, type);
	/* Linux BUG()s when this fails; we fail the call (and roll back). */
	return mbi_reserve_traced(tx, addr, new_alloc_size(tx->mb, type),
				  tx->mb->cfg.callers.double_array);
}

static MB_COLD_HELPER int grow_linux(struct mb_txn *tx, struct memblock_type *type,
				     mb_phys_addr_t area_start, mb_phys_addr_t area_size)
{
	struct memblock *mb = tx->mb;
	mb_phys_addr_t new_size = (type->max << 1) * sizeof(struct memblock_region);
	mb_phys_addr_t new_alloc = mbi_round_up(new_size, mb->cfg.page_size);
	struct memblock_region *old_array = type->regions, *new_array = NULL;
	mb_phys_addr_t addr;

	addr = linux_place(tx, type, area_start, area_size, new_alloc);
	if (addr && mb->cfg.ops.phys_to_virt)
		new_array = mb->cfg.ops.phys_to_virt(mb->cfg.ops.mem_ctx, addr, new_alloc);
	if (!new_array) {
		mbi_st_pool_cancel(tx);
		print_failed(mb, type);
		return -MB_ENOMEM;
	}
	print_doubled(mb, type, addr, new_size);
	install(tx, type, new_array);
	return settle(tx, type, old_array, addr);
}

/* memblock_double_array(): one doubling of @type, or an error. */
int mbi_grow_type(struct mb_txn *tx, struct memblock_type *type, mb_phys_addr_t new_area_start,
	      mb_phys_addr_t new_area_size)
{
	struct memblock *mb = tx->mb;

	if (!mb->resize_allowed) {
		/* 6.12 panics here; older kernels fail the call quietly. */
		if (mbi_prof(mb)->resize_refusal_silent)
			return -MB_ENOMEM;
		print_type_msg(mb, MB_LOG_ERR, "memblock: cannot resize ", type, " array");
		return -MB_EPERM;
	}
	if (mb->cfg.grow_policy == MB_GROW_FIXED)
		return -MB_ENOSPC;
	if (mbi_st_pool_prepare(tx, type)) {
		print_failed(mb, type);
		return -MB_ENOMEM;
	}
	if (mb->cfg.grow_policy == MB_GROW_LINUX)
		return grow_linux(tx, type, new_area_start, new_area_size);
	return grow_callback(tx, type);
}
