/* SPDX-License-Identifier: MIT */
/*
 * model.h - a trivially correct reference model of a memblock instance.
 *
 * The model keeps, for every byte of a small address space [0, size), the
 * attributes of the byte in each type: absent, or present with (flags, nid).
 * Everything else is derived from that map:
 *
 *   - the region list of a type is the list of maximal runs of bytes with
 *     equal (flags, nid). memblock merges touching neighbours with equal
 *     flags and nid after every operation that could create them (add_range
 *     merges around what it inserted, setclr_flag and set_node merge around
 *     the isolated span, removals leave gaps), so the list is a function of
 *     the byte map. The one Linux exception is memblock_cap_memory_range():
 *     it isolates the kept range and removes only non-NOMAP regions, so a
 *     NOMAP region straddling the range's base or end stays split into
 *     touching, compatible, unmerged pieces. The random driver never issues
 *     that case (see REPRO-cap-nomap.md);
 *   - total_size is the byte count plus a "stale" offset that only
 *     trim_memory() creates (Linux does not update total_size for regions
 *     it shrinks, spec section 7);
 *   - free ranges and allocation results follow spec sections 5 and 6, but
 *     are computed from the model's own region lists with a "best over all
 *     ranges" formulation instead of Linux's first-match walk.
 *
 * Addresses are uint64_t here whatever the width of mb_phys_addr_t.
 */
#ifndef MEMBLOCK_TESTS_MODEL_H
#define MEMBLOCK_TESTS_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum model_type_id { MODEL_MEMORY = 0, MODEL_RESERVED, MODEL_PHYSMEM, MODEL_NR_TYPES };

struct model_region {
	uint64_t base;
	uint64_t size;
	unsigned int flags;
	int nid;
};

struct model_list {
	struct model_region *r;
	size_t n;
	size_t cap;
};

struct model_config {
	uint64_t space;	   /* bytes modelled: [0, space) */
	uint64_t phys_max; /* PHYS_ADDR_MAX of the instance */
	uint64_t page_size;
	uint64_t smp_cache_bytes;
	uint64_t low_address_limit;
	int max_numnodes;
	bool movable_node;
	bool mirrored_kernelcore;
	/*
	 * Profile linux-6.1 and older: an empty type holds one zero-sized
	 * dummy region (cnt 1) with nid 0 at first and MAX_NUMNODES once the
	 * last region was removed; iterating a type alone reports it as an
	 * empty range.
	 */
	bool empty_dummy;
	/*
	 * Profile linux-6.1 and older: only -1 means "any node" in a walk or
	 * an allocation, MAX_NUMNODES is read as -1, every other nid is a
	 * node of its own; the pfn walk takes every node only for MAX_NUMNODES.
	 */
	bool nid_max_deprecated;
};

struct model_type {
	uint16_t *attr; /* per byte: 0 absent, else model_attr() */
	uint64_t stale; /* total_size - sum of sizes (trim quirk) */
	bool dirty;	/* list below must be recomputed */
	int dummy_nid;	/* nid of the 6.1 empty-type dummy */
	struct model_list list;
};

struct model {
	struct model_config cfg;
	struct model_type type[MODEL_NR_TYPES];
	bool bottom_up;
	uint64_t current_limit;
	bool system_has_mirror;
	/* what the last operation predicted */
	unsigned long numa_warnings;   /* add_range gaps below a differing region */
	unsigned long mirror_warnings; /* "Could not allocate ... mirrored memory" */
	uint64_t mirror_warning_size;
	struct model_list scratch_free; /* free ranges for the search */
};

void model_init(struct model *m, const struct model_config *cfg);
void model_destroy(struct model *m);

/* Region list of a type, derived from the byte map (cached). */
const struct model_list *model_regions(struct model *m, enum model_type_id t);
uint64_t model_total_size(struct model *m, enum model_type_id t);

/* Range operations; sizes are capped at phys_max - base, as memblock does. */
void model_add(struct model *m, enum model_type_id t, uint64_t base, uint64_t size, int nid,
	       unsigned int flags);
void model_remove(struct model *m, enum model_type_id t, uint64_t base, uint64_t size);
void model_setclr_flag(struct model *m, enum model_type_id t, uint64_t base, uint64_t size,
		       bool set, unsigned int flag);
void model_set_node(struct model *m, enum model_type_id t, uint64_t base, uint64_t size, int nid);
/* mark_mirror: records system_has_mirror when mirrored_kernelcore is on. */
void model_mark_mirror(struct model *m, uint64_t base, uint64_t size);

void model_trim(struct model *m, uint64_t align);
void model_enforce_memory_limit(struct model *m, uint64_t limit);
/* Returns false when Linux would leave unmerged NOMAP pieces (not modelled). */
bool model_cap_is_modelled(struct model *m, uint64_t base, uint64_t size);
/* Returns true when the warning "No memory registered yet" is expected. */
bool model_cap_memory_range(struct model *m, uint64_t base, uint64_t size);
/* The cut address of __find_max_addr(), or phys_max when memory is smaller. */
uint64_t model_find_max_addr(struct model *m, uint64_t limit);

/*
 * Free ranges of type_a minus type_b (type_b may be MODEL_NR_TYPES for
 * none), with Linux's skip rules (spec 5), in address order. As Linux, an
 * empty gap between two touching reserved regions strictly inside a
 * memory region is reported as an empty range.
 */
void model_free_ranges(struct model *m, int nid, unsigned int flags, enum model_type_id type_a,
		       enum model_type_id type_b, struct model_list *out);

/* memblock_find_in_range_node(): 0 when nothing fits. */
uint64_t model_find(struct model *m, uint64_t size, uint64_t align, uint64_t start, uint64_t end,
		    int nid, unsigned int flags);
/* memblock_alloc_range_nid(): reserves on success; 0 = failure. */
uint64_t model_alloc_range_nid(struct model *m, uint64_t size, uint64_t align, uint64_t start,
			       uint64_t end, int nid, bool exact_nid);
/* memblock_alloc_internal(): min/max handling of the virtual API. */
uint64_t model_alloc_internal(struct model *m, uint64_t size, uint64_t align, uint64_t min_addr,
			      uint64_t max_addr, int nid, bool exact_nid);

/* Queries (spec 7). */
bool model_is_present(struct model *m, enum model_type_id t, uint64_t addr);
unsigned int model_flags_at(struct model *m, enum model_type_id t, uint64_t addr);
bool model_is_region_memory(struct model *m, uint64_t base, uint64_t size);
bool model_overlaps(struct model *m, enum model_type_id t, uint64_t base, uint64_t size);
/* Index of the region holding addr, or -1. */
long model_region_at(struct model *m, enum model_type_id t, uint64_t addr);

/* Replace a type's content by @n regions (a core's state) and its total. */
void model_load(struct model *m, enum model_type_id t, const struct model_region *r, size_t n,
		uint64_t total_size);

void model_list_push(struct model_list *l, uint64_t base, uint64_t size, unsigned int flags,
		     int nid);
void model_list_free(struct model_list *l);

#endif /* MEMBLOCK_TESTS_MODEL_H */
