/* SPDX-License-Identifier: MIT */
/*
 * explain.h - why an allocation failed, in one line a person can act on.
 *
 * Hosted helper (libc). The core reports -MB_ENOMEM; this looks at the
 * free ranges to say which limit or constraint made the request fail.
 */
#ifndef MEMBLOCK_EXPLAIN_H
#define MEMBLOCK_EXPLAIN_H

#include <stdbool.h>
#include <stddef.h>

#include <memblock/memblock.h>

#ifdef __cplusplus
extern "C" {
#endif

/* An allocation request as memblock_alloc_range_nid() takes it. */
struct mb_alloc_request {
	mb_phys_addr_t size;
	mb_phys_addr_t align;	 /* 0: SMP_CACHE_BYTES */
	mb_phys_addr_t min_addr;
	mb_phys_addr_t max_addr; /* MB_ALLOC_ACCESSIBLE: current_limit */
	int nid;		 /* MB_NUMA_NO_NODE: any */
	bool exact_nid;		 /* no fallback to other nodes */
};

/**
 * mb_explain_alloc_failure() - why @req found no free range in @mb
 * @mb: the instance the request failed on (not changed)
 * @req: the request
 * @buf: receives one line, no trailing newline, e.g. "largest free range
 *       below current_limit 0x40000000 is 0x1000 bytes; 0x8000000 bytes
 *       free above it"
 * @len: size of @buf
 *
 * Checks, in order: the limit (max_addr / current_limit), min_addr, the
 * node (for exact-node requests), mirrored memory, then plain size and
 * fragmentation.
 */
void mb_explain_alloc_failure(const struct memblock *mb, const struct mb_alloc_request *req,
			      char *buf, size_t len);

#ifdef __cplusplus
}
#endif

#endif
