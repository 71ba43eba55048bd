/* SPDX-License-Identifier: MIT */
/*
 * driver.h - random operations run against the core and the model.
 *
 * A "world" is a memblock instance plus its reference model. Operations
 * are generated as data (struct op) so that a test can run the same
 * operation several times (growth-failure injection runs it once with
 * growth refused, then again with growth allowed).
 */
#ifndef MEMBLOCK_TESTS_DRIVER_H
#define MEMBLOCK_TESTS_DRIVER_H

#include <memblock/memblock.h>

#include "model.h"

/* ---- PRNG (splitmix64): tiny, seedable, identical on every host ---- */
struct rng {
	uint64_t state;
};
uint64_t rng_next(struct rng *r);
uint64_t rng_below(struct rng *r, uint64_t n); /* [0, n), n > 0 */
bool rng_chance(struct rng *r, unsigned int percent);

/* Seed from argv[1] or env MB_SEED, else from the clock; printed. */
uint64_t driver_seed(int argc, char **argv, const char *test_name);
/* Integer from the environment, or @def. */
unsigned long driver_env_ulong(const char *name, unsigned long def);

enum op_kind {
	OP_ADD,
	OP_ADD_NODE,
	OP_REMOVE,
	OP_RESERVE,
	OP_PHYS_FREE,
	OP_FREE_VIRT,
	OP_PHYSMEM_ADD,
	OP_MARK_HOTPLUG,
	OP_CLEAR_HOTPLUG,
	OP_MARK_MIRROR,
	OP_MARK_NOMAP,
	OP_CLEAR_NOMAP,
	OP_MARK_NOINIT,
	OP_SET_NODE_MEMORY,
	OP_SET_NODE_RESERVED,
	OP_PHYS_ALLOC_RANGE,
	OP_PHYS_ALLOC,
	OP_PHYS_ALLOC_TRY_NID,
	OP_ALLOC_RANGE_NID,
	OP_ALLOC_TRY_NID,
	OP_ALLOC_TRY_NID_RAW,
	OP_ALLOC_EXACT_NID_RAW,
	OP_ALLOC,
	OP_ALLOC_RAW,
	OP_ALLOC_FROM,
	OP_ALLOC_LOW,
	OP_ALLOC_NODE,
	OP_SET_BOTTOM_UP,
	OP_SET_LIMIT,
	OP_TRIM,
	OP_ENFORCE_LIMIT,
	OP_CAP_RANGE,
	OP_MEM_LIMIT_REMOVE_MAP,
	OP_QUERY,   /* read-only: queries */
	OP_ITERATE, /* read-only: iterators */
	OP_NR_KINDS
};

struct op {
	enum op_kind kind;
	uint64_t base;
	uint64_t size;
	uint64_t align;
	uint64_t start;
	uint64_t end;
	int nid;
	unsigned int flags;
	bool exact;
	bool enable;
};

struct world_config {
	uint64_t space;
	uint64_t page_size;
	uint64_t smp_cache_bytes;
	uint64_t low_address_limit;
	int max_numnodes;
	bool movable_node;
	bool mirrored_kernelcore;
	unsigned long memory_max;
	unsigned long reserved_max;
	unsigned long physmem_max; /* 0: no physmem */
	enum mb_grow_policy grow_policy;
	/* no trim/enforce/cap ops: they make every byte of reserved/memory moot */
	bool no_limit_ops;
	bool no_allow_resize; /* leave mb_allow_resize() uncalled */
	bool profile_61;      /* linux-6.1: empty types keep a dummy region */
	enum mb_index_mode index_mode; /* mb_set_index() right after mb_init() */
};

struct world {
	struct world_config wc;
	struct mb_config cfg;
	struct memblock mb;
	struct model m;

	/* caller-owned storage */
	struct memblock_region *init_memory, *init_reserved, *init_physmem;
	unsigned char *ram; /* backs [0, space) for phys_to_virt */

	/* MB_GROW_CALLBACK bookkeeping and failure injection */
	void *pool[64];
	int pool_n;
	unsigned long grow_calls;     /* calls of ops.grow since reset */
	unsigned long grow_fail_from; /* refuse call n and later (0 = never) */
	bool grow_fail_all;	      /* refuse every call */
	unsigned long grow_refused;   /* total refusals */

	/* MB_GROW_LINUX failure injection: phys_to_virt answers NULL */
	/* ops.index_alloc: bytes held, and failure injection as for growth */
	size_t index_bytes;
	unsigned long index_calls;     /* calls since reset */
	unsigned long index_fail_from; /* refuse call n and later (0 = never) */
	unsigned long index_refused;

	unsigned long p2v_calls;     /* calls since reset */
	unsigned long p2v_fail_from; /* NULL for call n and later (0 = never) */
	unsigned long p2v_refused;
	uint64_t p2v_base[16], p2v_size[16]; /* answered calls of the operation */
	int p2v_n;

	/* what the last operation printed / zeroed */
	unsigned long lines[4];
	unsigned long mirror_lines;
	unsigned long failed_double_lines;
	bool bad_mirror_text;
	char last_line[MB_TEXT_MAX + 32];
	char log[8192]; /* every line of the operation, each ending in '\n' */
	size_t log_len;
	unsigned long zero_calls;
	unsigned long numa_before;
	unsigned long doublings_before; /* stats.doublings when the operation began */
	uint64_t zero_base, zero_size;

	/* history for failure reports */
	uint64_t seed;
	unsigned long op_index;
	char history[16][192];
};

/* The index mode of every world (env MB_INDEX_MODE: off, on, auto), else @def. */
enum mb_index_mode driver_index_mode(enum mb_index_mode def);
const char *driver_index_name(enum mb_index_mode mode);

/* Pick a random configuration (small capacities when @small_arrays). */
void world_config_random(struct world_config *wc, struct rng *r, bool small_arrays);
void world_init(struct world *w, const struct world_config *wc, uint64_t seed);
void world_destroy(struct world *w);
/* A world on the heap (too big for the stack); world_free() it. */
struct world *world_new(const struct world_config *wc, uint64_t seed);
void world_free(struct world *w);
/* Free grown arrays the instance no longer uses (call after each op). */
void world_release_unused(struct world *w);
/* Reset the per-operation counters (prints, zeroing). */
void world_begin_op(struct world *w);

void op_generate(struct world *w, struct rng *r, struct op *op);
void op_describe(const struct op *op, char *buf, size_t len);
void world_record(struct world *w, const struct op *op);

struct op_result {
	int rc;
	uint64_t addr; /* allocations */
	void *ptr;     /* virtual allocations */
};

/* Run @op on the core only. */
void op_run_core(struct world *w, const struct op *op, struct op_result *res);
/*
 * Apply @op to the model and check @res (the core's result) and the whole
 * instance against it. Read-only ops (query/iterate) compare directly.
 * Fails the cmocka test with a full report on the first difference.
 */
void op_check(struct world *w, const struct op *op, const struct op_result *res);
/* The first half of op_check(): apply a mutating @op to the model, check @res. */
/* True for every allocator entry point the driver calls. */
bool op_is_alloc(enum op_kind k);
void op_check_result(struct world *w, const struct op *op, const struct op_result *res);
/* Compare every type, the settings and mb_check() with the model. */
void world_check_state(struct world *w);

/* Report a failure with history, seed and both states, then fail. */
void world_fail(struct world *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif /* MEMBLOCK_TESTS_DRIVER_H */
