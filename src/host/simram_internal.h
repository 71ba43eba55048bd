/* SPDX-License-Identifier: MIT */
/* simram_internal.h - the simulated RAM's private state (src/host only). */
#ifndef MEMBLOCK_SIMRAM_INTERNAL_H
#define MEMBLOCK_SIMRAM_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include <memblock/simram.h>

struct simram_window {
	mb_phys_addr_t base;
	mb_phys_addr_t size;
	unsigned char *mem;  /* host address of base */
	size_t len;	     /* bytes at mem (== size) */
	unsigned char *map;  /* the mapping: whole pages around mem */
	size_t map_len;
};

/* A fault after normalisation: byte address and bit 0..7. */
struct simram_fault {
	enum mb_fault_kind kind;
	mb_phys_addr_t byte;
	unsigned char mask;
	mb_phys_addr_t aggr_byte;
	unsigned char aggr_mask;
	bool inverted;
};

struct mb_simram {
	struct simram_window *windows; /* sorted by base, never overlapping */
	size_t nr_windows;
	size_t cap_windows;
	struct simram_fault *faults; /* in the order they were added */
	size_t nr_faults;
	size_t cap_faults;
	uint64_t page; /* host page size */
};

/* The window holding @phys, or NULL. */
struct simram_window *mbhi_simram_find(const struct mb_simram *ram, mb_phys_addr_t phys);

/*
 * Room for element @nr of @arr (capacity *@cap, @first_cap at first, then
 * doubling): the array, moved maybe, or NULL when out of memory, leaving
 * @arr and *@cap as they were.
 */
void *mbhi_simram_grow(void *arr, size_t nr, size_t *cap, size_t first_cap, size_t elem);

#endif /* MEMBLOCK_SIMRAM_INTERNAL_H */
