// SPDX-License-Identifier: MIT
/*
 * ops.c - the public add/remove/reserve/free/flag/node calls: a trace line
 * and one transaction around a range primitive each.
 */
#include "internal.h"

static int finish(struct mb_txn *tx, int rc)
{
	return txn_end(tx, rc);
}

int mb_add(struct memblock *mb, mb_phys_addr_t base, mb_phys_addr_t size)
{
	struct mb_txn tx;

	if (!mb)
		return -MB_EINVAL;
	trace_range(mb, "memblock_add", base, size, mb->caller);
	txn_begin(&tx, mb);
	return finish(&tx, add_range(&tx, &mb->memory, base, size, mb_max_numnodes(mb), 0));
}

int mb_add_node(struct memblock *mb, mb_phys_addr_t base, mb_phys_addr_t size, int nid,
		unsigned int flags)
{
	struct mb_txn tx;

	if (!mb)
		return -MB_EINVAL;
	trace_add_node(mb, base, size, nid, flags, mb->caller);
	/* Any nid is stored as given, as Linux does (memblock never indexes by it). */
	txn_begin(&tx, mb);
	return finish(&tx, add_range(&tx, &mb->memory, base, size, nid, flags));
}

int mb_remove(struct memblock *mb, mb_phys_addr_t base, mb_phys_addr_t size)
{
	struct mb_txn tx;

	if (!mb)
		return -MB_EINVAL;
	trace_range(mb, "memblock_remove", base, size, mb->caller);
	txn_begin(&tx, mb);
	return finish(&tx, remove_range(&tx, &mb->memory, base, size));
}

int mb_reserve(struct memblock *mb, mb_phys_addr_t base, mb_phys_addr_t size)
{
	struct mb_txn tx;

	if (!mb)
		return -MB_EINVAL;
	txn_begin(&tx, mb);
	return finish(&tx, reserve_traced(&tx, base, size, mb->caller));
}

int mb_phys_free(struct memblock *mb, mb_phys_addr_t base, mb_phys_addr_t size)
{
	struct mb_txn tx;

	if (!mb)
		return -MB_EINVAL;
	txn_begin(&tx, mb);
	return finish(&tx, phys_free_traced(&tx, mb_prof(mb)->trace_phys_free, base, size,
					    mb->caller));
}

int mb_free(struct memblock *mb, void *ptr, size_t size)
{
	const struct mb_profile *prof;
	mb_phys_addr_t base;
	struct mb_txn tx;

	if (!mb)
		return -MB_EINVAL;
	if (!ptr)
		return 0;
	if (!mb->cfg.ops.virt_to_phys)
		return -MB_EINVAL;
	prof = mb_prof(mb);
	base = mb->cfg.ops.virt_to_phys(mb->cfg.ops.mem_ctx, ptr);
	if (prof->trace_free_early_llx)
		trace_free_early(mb, prof->trace_free_early, base, size, mb->caller);
	else
		trace_range(mb, prof->trace_free_early, base, size, mb->caller);
	txn_begin(&tx, mb);
	return finish(&tx, remove_range(&tx, &mb->reserved, base, size));
}

int mb_physmem_add(struct memblock *mb, mb_phys_addr_t base, mb_phys_addr_t size)
{
	struct mb_txn tx;

	if (!mb || !mb->physmem.regions)
		return -MB_EINVAL;
	trace_range(mb, "memblock_physmem_add", base, size, mb->caller);
	txn_begin(&tx, mb);
	return finish(&tx, add_range(&tx, &mb->physmem, base, size, mb_max_numnodes(mb), 0));
}

static int flag_op(struct memblock *mb, struct memblock_type *type, mb_phys_addr_t base,
		   mb_phys_addr_t size, bool set, unsigned int flag)
{
	struct mb_txn tx;

	txn_begin(&tx, mb);
	return finish(&tx, setclr_flag(&tx, type, base, size, set, flag));
}

int mb_mark_hotplug(struct memblock *mb, mb_phys_addr_t base, mb_phys_addr_t size)
{
	if (!mb)
		return -MB_EINVAL;
	return flag_op(mb, &mb->memory, base, size, true, MB_FLAG_HOTPLUG);
}

int mb_clear_hotplug(struct memblock *mb, mb_phys_addr_t base, mb_phys_addr_t size)
{
	if (!mb)
		return -MB_EINVAL;
	return flag_op(mb, &mb->memory, base, size, false, MB_FLAG_HOTPLUG);
}

int mb_mark_mirror(struct memblock *mb, mb_phys_addr_t base, mb_phys_addr_t size)
{
	int rc;

	if (!mb)
		return -MB_EINVAL;
	if (!mb->cfg.mirrored_kernelcore)
		return 0;
	rc = flag_op(mb, &mb->memory, base, size, true, MB_FLAG_MIRROR);
	/* Linux records the mirror before trying, so even a failure keeps it. */
	mb->system_has_mirror = true;
	return rc;
}

int mb_mark_nomap(struct memblock *mb, mb_phys_addr_t base, mb_phys_addr_t size)
{
	if (!mb)
		return -MB_EINVAL;
	return flag_op(mb, &mb->memory, base, size, true, MB_FLAG_NOMAP);
}

int mb_clear_nomap(struct memblock *mb, mb_phys_addr_t base, mb_phys_addr_t size)
{
	if (!mb)
		return -MB_EINVAL;
	return flag_op(mb, &mb->memory, base, size, false, MB_FLAG_NOMAP);
}

int mb_reserved_mark_noinit(struct memblock *mb, mb_phys_addr_t base, mb_phys_addr_t size)
{
	if (!mb)
		return -MB_EINVAL;
	return flag_op(mb, &mb->reserved, base, size, true, MB_FLAG_RSRV_NOINIT);
}

int mb_set_node(struct memblock *mb, mb_phys_addr_t base, mb_phys_addr_t size,
		struct memblock_type *type, int nid)
{
	struct mb_txn tx;

	if (!mb || (type != &mb->memory && type != &mb->reserved))
		return -MB_EINVAL;
	txn_begin(&tx, mb);
	return finish(&tx, set_node_range(&tx, type, base, size, nid));
}
