// SPDX-License-Identifier: MIT
/*
 * alloc.c - the allocator family of <memblock/linux.h>. Linux reports a
 * failed allocation as 0 (physical) or NULL (virtual); the MB_E* code
 * stays available through memblock_linux_last_error().
 */
#include <memblock/linux.h>

#include "linux_internal.h"

static phys_addr_t phys_or_zero(int err, mb_phys_addr_t addr)
{
	ml_result(err);
	return err ? 0 : addr;
}

/* Linux hands out an address even for size 0 (spec 6); so does the core. */
static void *virt_or_null(int err, void *ptr)
{
	ml_result(err);
	return err ? NULL : ptr;
}

phys_addr_t memblock_phys_alloc_range(phys_addr_t size, phys_addr_t align, phys_addr_t start,
				      phys_addr_t end)
{
	mb_phys_addr_t addr = 0;
	int err = mb_phys_alloc_range(ml_instance(), size, align, start, end, &addr);

	return phys_or_zero(err, addr);
}

phys_addr_t memblock_alloc_range_nid(phys_addr_t size, phys_addr_t align, phys_addr_t start,
				     phys_addr_t end, int nid, bool exact_nid)
{
	mb_phys_addr_t addr = 0;
	int err = mb_alloc_range_nid(ml_instance(), size, align, start, end, nid, exact_nid, &addr);

	return phys_or_zero(err, addr);
}

phys_addr_t memblock_phys_alloc_try_nid(phys_addr_t size, phys_addr_t align, int nid)
{
	mb_phys_addr_t addr = 0;
	int err = mb_phys_alloc_try_nid(ml_instance(), size, align, nid, &addr);

	return phys_or_zero(err, addr);
}

void *memblock_alloc_exact_nid_raw(phys_addr_t size, phys_addr_t align, phys_addr_t min_addr,
				   phys_addr_t max_addr, int nid)
{
	void *ptr = NULL;
	int err =
	    mb_alloc_exact_nid_raw(ml_instance(), size, align, min_addr, max_addr, nid, &ptr, NULL);

	return virt_or_null(err, ptr);
}

void *memblock_alloc_try_nid_raw(phys_addr_t size, phys_addr_t align, phys_addr_t min_addr,
				 phys_addr_t max_addr, int nid)
{
	void *ptr = NULL;
	int err =
	    mb_alloc_try_nid_raw(ml_instance(), size, align, min_addr, max_addr, nid, &ptr, NULL);

	return virt_or_null(err, ptr);
}

void *memblock_alloc_try_nid(phys_addr_t size, phys_addr_t align, phys_addr_t min_addr,
			     phys_addr_t max_addr, int nid)
{
	void *ptr = NULL;
	int err = mb_alloc_try_nid(ml_instance(), size, align, min_addr, max_addr, nid, &ptr, NULL);

	return virt_or_null(err, ptr);
}
