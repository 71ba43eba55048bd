// SPDX-License-Identifier: MIT
/*
 * ops.c - the public add/remove/reserve/free/flag/node calls: a trace line
 * and one transaction around a range primitive each (a direct one when
 * the primitive cannot fail after its first write: mbi_txn_begin_as()).
 */
#include "internal.h"

static int finish(struct mb_txn *tx, int rc)
{
	return mbi_txn_end(tx, rc);
}

/**
 * mb_add() - memblock_add(): register [base, base + size) as memory, no node
 * @mb: instance
 * @base: physical start
 * @size: bytes (capped so the range never wraps; 0 is a no-op)
 *
 * Return: 0; -MB_EINVAL (NULL), -MB_ERANGE (base beyond phys_bits), or a
 * growth error (-MB_ENOMEM, -MB_ENOSPC, -MB_EPERM) with nothing changed.
 */
int mb_add(struct memblock *mb, mb_phys_addr_t base, mb_phys_addr_t size)
{
	struct mb_txn tx;

	if (!mb)
		return -MB_EINVAL;
	if (mbi_tracing(mb))
		mbi_trace_range(mb, "memblock_add", base, size, mb->caller);
	mbi_txn_begin_as(&tx, mb, mbi_add_may_fail_late(&mb->memory));
	return finish(&tx, mbi_add_range(&tx, &mb->memory, base, size, mbi_max_numnodes(mb), 0));
}

/**
 * mb_add_node() - memblock_add_node(): add memory with a node and flags
 * @mb: instance
 * @base: physical start
 * @size: bytes
 * @nid: node, stored as given (Linux does not check it)
 * @flags: MB_FLAG_* for the uncovered parts (existing parts keep theirs)
 *
 * Return: as mb_add().
 */
int mb_add_node(struct memblock *mb, mb_phys_addr_t base, mb_phys_addr_t size, int nid,
		unsigned int flags)
{
	struct mb_txn tx;

	if (!mb)
		return -MB_EINVAL;
	if (flags & mbi_prof(mb)->flags_missing)
		return -MB_ENOTSUP;
	if (mbi_tracing(mb))
		mbi_trace_add_node(mb, base, size, nid, flags, mb->caller);
	/* Any nid is stored as given, as Linux does (memblock never indexes by it). */
	mbi_txn_begin_as(&tx, mb, mbi_add_may_fail_late(&mb->memory));
	return finish(&tx, mbi_add_range(&tx, &mb->memory, base, size, nid, flags));
}

/**
 * mb_remove() - memblock_remove(): take [base, base + size) out of memory
 * @mb: instance
 * @base: physical start
 * @size: bytes
 *
 * Return: as mb_add() (isolation may need two spare slots).
 */
int mb_remove(struct memblock *mb, mb_phys_addr_t base, mb_phys_addr_t size)
{
	struct mb_txn tx;

	if (!mb)
		return -MB_EINVAL;
	if (mbi_tracing(mb))
		mbi_trace_range(mb, "memblock_remove", base, size, mb->caller);
	mbi_txn_begin_as(&tx, mb, mbi_isolate_may_fail_late(&mb->memory));
	return finish(&tx, mbi_remove_range(&tx, &mb->memory, base, size));
}

/**
 * mb_reserve() - memblock_reserve(): mark [base, base + size) as in use
 * @mb: instance
 * @base: physical start
 * @size: bytes
 *
 * Return: as mb_add().
 */
int mb_reserve(struct memblock *mb, mb_phys_addr_t base, mb_phys_addr_t size)
{
	struct mb_txn tx;

	if (!mb)
		return -MB_EINVAL;
	mbi_txn_begin_as(&tx, mb, mbi_add_may_fail_late(&mb->reserved));
	return finish(&tx, mbi_reserve_traced(&tx, base, size, mb->caller));
}

/**
 * mb_phys_free() - memblock_phys_free(): remove a range from reserved
 * @mb: instance
 * @base: physical start
 * @size: bytes
 *
 * Traced with the profile's name ("memblock_free" before 5.16).
 * Return: as mb_remove().
 */
int mb_phys_free(struct memblock *mb, mb_phys_addr_t base, mb_phys_addr_t size)
{
	struct mb_txn tx;

	if (!mb)
		return -MB_EINVAL;
	mbi_txn_begin_as(&tx, mb, mbi_isolate_may_fail_late(&mb->reserved));
	return finish(&tx, mbi_phys_free_traced(&tx, mbi_prof(mb)->trace_phys_free, base, size,
					    mb->caller));
}

/**
 * mb_free() - memblock_free(): free a virtual allocation
 * @mb: instance
 * @ptr: block from the mb_alloc family (NULL: nothing happens)
 * @size: bytes
 *
 * Return: as mb_remove(); -MB_EINVAL without ops.virt_to_phys.
 */
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
	prof = mbi_prof(mb);
	base = mb->cfg.ops.virt_to_phys(mb->cfg.ops.mem_ctx, ptr);
	if (prof->trace_free_early_llx)
		mbi_trace_free_early(mb, prof->trace_free_early, base, size, mb->caller);
	else
		mbi_trace_range(mb, prof->trace_free_early, base, size, mb->caller);
	mbi_txn_begin_as(&tx, mb, mbi_isolate_may_fail_late(&mb->reserved));
	return finish(&tx, mbi_remove_range(&tx, &mb->reserved, base, size));
}

/**
 * mb_physmem_add() - memblock_physmem_add(): record physically present memory
 * @mb: instance (configured with a physmem array)
 * @base: physical start
 * @size: bytes
 *
 * Return: as mb_add(); -MB_EINVAL when the instance has no physmem.
 */
int mb_physmem_add(struct memblock *mb, mb_phys_addr_t base, mb_phys_addr_t size)
{
	struct mb_txn tx;

	if (!mb || !mb->physmem.regions)
		return -MB_EINVAL;
	if (mbi_tracing(mb))
		mbi_trace_range(mb, "memblock_physmem_add", base, size, mb->caller);
	mbi_txn_begin_as(&tx, mb, mbi_add_may_fail_late(&mb->physmem));
	return finish(&tx, mbi_add_range(&tx, &mb->physmem, base, size, mbi_max_numnodes(mb), 0));
}

static int flag_op(struct memblock *mb, struct memblock_type *type, mb_phys_addr_t base,
		   mb_phys_addr_t size, bool set, unsigned int flag)
{
	struct mb_txn tx;

	mbi_txn_begin_as(&tx, mb, mbi_isolate_may_fail_late(type));
	return finish(&tx, mbi_setclr_flag(&tx, type, base, size, set, flag));
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

/**
 * mb_mark_mirror() - memblock_mark_mirror(): flag mirrored memory
 * @mb: instance
 * @base: physical start
 * @size: bytes
 *
 * Does nothing unless cfg.mirrored_kernelcore. Then the instance records
 * for good that the system has mirror, even when the call fails.
 * Return: as mb_remove().
 */
int mb_mark_mirror(struct memblock *mb, mb_phys_addr_t base, mb_phys_addr_t size)
{
	if (!mb)
		return -MB_EINVAL;
	if (!mb->cfg.mirrored_kernelcore)
		return 0;
	/*
	 * Linux records the mirror before trying: a doubling inside this very
	 * call already prefers mirrored memory, and even a failure keeps it
	 * (the transaction snapshot is taken after this point).
	 */
	mb->system_has_mirror = true;
	return flag_op(mb, &mb->memory, base, size, true, MB_FLAG_MIRROR);
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
	if (!mb_profile_has_call(mb, MB_CALL_RESERVED_MARK_NOINIT))
		return -MB_ENOTSUP;
	return flag_op(mb, &mb->reserved, base, size, true, MB_FLAG_RSRV_NOINIT);
}

/**
 * mb_set_node() - memblock_set_node(): give [base, base + size) a node
 * @mb: instance
 * @base: physical start
 * @size: bytes
 * @type: &mb->memory or &mb->reserved
 * @nid: node, stored as given; ignored without cfg.numa
 *
 * Return: as mb_remove(); -MB_EINVAL for another @type.
 */
int mb_set_node(struct memblock *mb, mb_phys_addr_t base, mb_phys_addr_t size,
		struct memblock_type *type, int nid)
{
	struct mb_txn tx;

	if (!mb || (type != &mb->memory && type != &mb->reserved))
		return -MB_EINVAL;
	mbi_txn_begin_as(&tx, mb, mbi_isolate_may_fail_late(type));
	return finish(&tx, mbi_set_node_range(&tx, type, base, size, nid));
}
