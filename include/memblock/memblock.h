/* SPDX-License-Identifier: MIT */
/*
 * memblock.h - the whole contract of the memblock core library.
 *
 * A freestanding re-implementation of the Linux boot-time physical memory
 * allocator (mm/memblock.c), instance based: the caller owns every byte
 * (the instance, its region arrays, its hooks). The core allocates nothing,
 * prints only through ops.print and touches memory only through the
 * memory-access ops.
 *
 * Invariants of every type (checked by mb_check()):
 *   - regions[0..cnt) sorted by base, never overlapping, none wrapping;
 *   - two touching neighbours never share both flags and nid (always merged),
 *     except NOMAP memory: Linux's cap_memory_range() splits NOMAP regions
 *     at the cap and never merges them back, and mb_check() allows that;
 *   - cnt <= max;
 *   - total_size is the sum of sizes (except the stale value the 6.12 trim
 *     quirk leaves, spec section 7);
 *   - empty-type convention of the profile (spec section 1).
 *
 * Error convention: functions return 0 or a negative MB_E* code; results
 * go through out parameters. A failing call leaves the instance exactly as
 * it was, but for the event counters in mb->stats (the one deliberate
 * difference from Linux: see docs/core.md).
 *
 * Behaviour reference: docs/behaviour.md (comments cite its section N as
 * "spec N"), then Linux 6.12 (or 6.1 under that profile) where it is silent.
 * Only <stddef.h>, <stdint.h>, <stdbool.h> and <limits.h> are used.
 */
#ifndef MEMBLOCK_MEMBLOCK_H
#define MEMBLOCK_MEMBLOCK_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * The version and phys_addr_t width of the build come from the generated
 * <memblock/config.h>, installed next to this header. A copy of the
 * sources compiled without Meson has none: it gets a 64-bit phys_addr_t,
 * or a 32-bit one with MB_PHYS_ADDR_32 defined.
 */
#if defined(__has_include)
#if __has_include(<memblock/config.h>)
#include <memblock/config.h>
#endif
#endif
#ifndef MB_VERSION_STRING
#define MB_VERSION_STRING "unconfigured"
#endif

/*
 * Marks the documented API. The library is built with hidden visibility,
 * so only what carries MB_API is exported from libmemblock.so.
 */
#ifndef MB_API
#if defined(__GNUC__) || defined(__clang__)
#define MB_API __attribute__((visibility("default")))
#else
#define MB_API
#endif
#endif

/*
 * Physical address type. 64-bit by default; -Dphys32=true (or
 * MB_PHYS_ADDR_32 without Meson) gives a 32-bit phys_addr_t exactly like
 * a 32-bit kernel without LPAE (region = 16 bytes, so doubling sizes
 * differ). Code that includes an installed header cannot disagree with
 * its library: config.h fixes the width.
 */
#ifndef MB_PHYS_ADDR_BITS
#ifdef MB_PHYS_ADDR_32
#define MB_PHYS_ADDR_BITS 32
#else
#define MB_PHYS_ADDR_BITS 64
#endif
#endif
#if defined(MB_PHYS_ADDR_32) && MB_PHYS_ADDR_BITS != 32
#error "MB_PHYS_ADDR_32 is defined but this libmemblock has a 64-bit phys_addr_t"
#endif
#if MB_PHYS_ADDR_BITS == 32
typedef uint32_t mb_phys_addr_t;
#else
typedef uint64_t mb_phys_addr_t;
#endif

#define MB_PHYS_ADDR_MAX ((mb_phys_addr_t)~(mb_phys_addr_t)0)
#define MB_ALLOC_ANYWHERE ((mb_phys_addr_t)~(mb_phys_addr_t)0)
#define MB_ALLOC_ACCESSIBLE ((mb_phys_addr_t)0)
#define MB_ALLOC_NOLEAKTRACE ((mb_phys_addr_t)1)
#define MB_LOW_LIMIT ((mb_phys_addr_t)0)
#define MB_NUMA_NO_NODE (-1)

/* Defaults of the per-instance settings (spec section 1). */
#define MB_DEFAULT_MAX_NUMNODES 64
#define MB_DEFAULT_SMP_CACHE_BYTES 64
#define MB_DEFAULT_PAGE_SIZE 4096
#define MB_DEFAULT_LOW_ADDRESS_LIMIT 0xffffffffu
#define MB_DEFAULT_MAX_PAGE_ORDER 10
#define MB_INIT_REGIONS 128	  /* INIT_MEMBLOCK_REGIONS */
#define MB_INIT_PHYSMEM_REGIONS 4 /* INIT_PHYSMEM_REGIONS */

/* Region flags; the bit values are the kernel's ABI (spec section 2). */
#define MB_FLAG_NONE 0x0u
#define MB_FLAG_HOTPLUG 0x1u
#define MB_FLAG_MIRROR 0x2u
#define MB_FLAG_NOMAP 0x4u
#define MB_FLAG_DRIVER_MANAGED 0x8u
#define MB_FLAG_RSRV_NOINIT 0x10u
#define MB_FLAG_RSRV_KERN 0x20u	   /* newer kernels; off in 6.12 */
#define MB_FLAG_KHO_SCRATCH 0x40u  /* newer kernels; off in 6.12 */

/*
 * The kernel's type of a region's flags, so that code written for
 * <linux/memblock.h> can take the field's address or pass it on. The
 * MB_FLAG_* values above are the same bits.
 */
enum memblock_flags {
	MEMBLOCK_NONE = 0x0,
	MEMBLOCK_HOTPLUG = 0x1,
	MEMBLOCK_MIRROR = 0x2,
	MEMBLOCK_NOMAP = 0x4,
	MEMBLOCK_DRIVER_MANAGED = 0x8,
	MEMBLOCK_RSRV_NOINIT = 0x10,
};

/* Error codes, returned negated (-MB_ENOMEM). */
enum mb_error {
	MB_OK = 0,
	MB_ENOMEM = 1,	 /* no free range fits, or array growth found no memory */
	MB_EINVAL = 2,	 /* invalid argument (NULL, bad node, bad alignment...) */
	MB_ERANGE = 3,	 /* address or size outside the instance's phys width */
	MB_ENOSPC = 4,	 /* region array full and the growth policy refused */
	MB_EPERM = 5,	 /* growth needed before mb_allow_resize() */
	MB_ENOENT = 6,	 /* nothing there (empty memory, unknown name) */
	MB_EEXIST = 7,	 /* name already in use (reserve_mem) */
	MB_ESTATE = 8,	 /* call not valid in the instance's current phase */
	MB_ECORRUPT = 9, /* invariant violated (mb_check) */
	MB_ENOTSUP = 10, /* the profile's kernel has no such call or flag */
	MB_EBUDGET = 11, /* handover beyond cfg.max_pages pages: refused */
	MB_EINTR = 12	 /* ops.progress asked a long handover to stop */
};

/**
 * mb_strerror() - text for an error code
 * @err: an MB_E* code, negated or not
 *
 * Return: a constant string; "unknown error" for codes not listed above.
 */
MB_API const char *mb_strerror(int err);

/**
 * mb_memparse() - the kernel's memparse(): a number, base from its prefix
 * ("0x" hex, a leading "0" octal, else decimal), times 2^10..2^60 for a
 * K/M/G/T/P/E suffix in any case
 * @s: text
 * @end: where parsing stopped, @s when no digit was read (may be NULL)
 * @out: the value, 0 on error
 *
 * Return: 0; -MB_EINVAL when no digit was read; -MB_ERANGE when the value
 * or the shifted value does not fit in 64 bits (the kernel wraps
 * silently; this refuses).
 */
MB_API int mb_memparse(const char *s, const char **end, uint64_t *out);

/*
 * The data types use the kernel's names, field names and field order so
 * that code written for <linux/memblock.h> reads them unchanged.
 */
struct memblock_region {
	mb_phys_addr_t base;
	mb_phys_addr_t size;
	enum memblock_flags flags; /* MB_FLAG_* */
	int nid;
};

/*
 * page_size and smp_cache_bytes may not be smaller: a region array that
 * growth places on a page (or an allocation on a cache line) must be
 * aligned for struct memblock_region.
 */
#define MB_REGION_ALIGN _Alignof(struct memblock_region)

struct memblock_type {
	unsigned long cnt;
	unsigned long max;
	mb_phys_addr_t total_size;
	struct memblock_region *regions;
	char *name; /* the kernel's type; never written through */
};

/*
 * Behaviour that differs between kernel versions is data (spec 0).
 * Use mb_profile() to get the built-in ones.
 */
enum mb_profile_id {
	MB_PROFILE_LINUX_6_12 = 0, /* default */
	MB_PROFILE_LINUX_6_1,	   /* empty type keeps a zero-sized dummy */
	MB_PROFILE_LINUX_5_4,	   /* unverified; pre-5.16: physical free traces "memblock_free" */
	MB_PROFILE_LINUX_4_X,	   /* unverified; memblock_virt_alloc* and __memblock_free_early */
	MB_PROFILE_COUNT
};

/* How a node id that is not a valid node is read (nid filters of walks and allocations). */
enum mb_nid_rule {
	/* 6.12: anything outside [0, MAX_NUMNODES) means "any node". */
	MB_NID_INVALID_IS_ANY = 0,
	/*
	 * 6.1 and older: only NUMA_NO_NODE means any node; MAX_NUMNODES is
	 * turned into it with a one-time "deprecated" warning, and every other
	 * value is a node of its own (that no memory has).
	 */
	MB_NID_MAX_DEPRECATED
};

/* Calls a profile's kernel may lack (bits of mb_profile.calls_missing). */
enum mb_call {
	MB_CALL_RESERVED_MARK_NOINIT = 1u << 0,	   /* memblock_reserved_mark_noinit, 6.5+ */
	MB_CALL_VALIDATE_NUMA_COVERAGE = 1u << 1,  /* memblock_validate_numa_coverage, 6.8+ */
	MB_CALL_ESTIMATED_NR_FREE_PAGES = 1u << 2, /* memblock_estimated_nr_free_pages, 6.12+ */
	MB_CALL_HAS_MIRROR = 1u << 3,		   /* memblock_has_mirror, 6.7+ */
	MB_CALL_RESERVE_MEM = 1u << 4,		   /* reserve_mem= and its lookup, 6.11+ */
};

struct mb_profile {
	const char *name;	   /* "linux-6.12", ... */
	bool empty_dummy;	   /* 6.1 and older: empty type holds one 0-size dummy, cnt 1 */
	const char *trace_phys_free;	   /* "memblock_phys_free" / "memblock_free" */
	const char *trace_free_early;	   /* name used by mb_free(); 4.x "__memblock_free_early" */
	bool trace_free_early_llx;	   /* 4.x prints that line with %#016llx, not %pa */
	const char *trace_alloc_try_nid;   /* "memblock_alloc_try_nid" / "memblock_virt_alloc_try_nid" */
	const char *trace_alloc_try_nid_raw;
	const char *trace_alloc_exact_nid_raw;
	const char *trace_alloc_try_nid_nopanic; /* 4.x only; NULL otherwise */
	bool trace_alloc_short_addrs;	   /* 4.x: from=0x%llx max_addr=0x%llx instead of %pa */
	bool virt_alloc_reserves_itself;   /* 4.x: virt path reserves with its own caller */
	unsigned int flags_known;	   /* flag bits this kernel names (debugfs) */
	bool unverified;		   /* never checked against this kernel's memblock.c */
	const char *verified_against;	   /* exact kernel version checked, or NULL */
	/* Policy hooks: small named differences of behaviour. */
	bool merge_whole_array;	    /* <= 6.1: every merge scans the whole array */
	bool resize_refusal_silent; /* <= 6.1: growth before allow_resize: -ENOMEM, no panic */
	bool free_all_sets_reserved_nodes; /* 6.12: free_all gives reserved regions a node */
	enum mb_nid_rule nid_rule;
	unsigned int flags_missing; /* MB_FLAG_* bits this kernel has no name for */
	unsigned int calls_missing; /* enum mb_call bits this kernel lacks */
};

/**
 * mb_profile() - a built-in profile
 * @id: which one
 *
 * Return: the profile, or NULL for an unknown @id.
 */
MB_API const struct mb_profile *mb_profile(enum mb_profile_id id);

/**
 * mb_profile_by_name() - look a built-in profile up by name
 * @name: "linux-6.12", "6.12", "linux-6.1", "6.1", "linux-5.4", "5.4",
 *        "linux-4.x", "4.x"
 *
 * Return: the profile, or NULL when the name is unknown.
 */
MB_API const struct mb_profile *mb_profile_by_name(const char *name);

struct memblock;

/**
 * mb_profile_has_call() - does the instance's kernel version have a call
 * @mb: instance
 * @call: one enum mb_call bit
 *
 * Return: true when the call exists in the profile's kernel (always true
 * for calls not listed in enum mb_call).
 */
MB_API bool mb_profile_has_call(const struct memblock *mb, unsigned int call);

enum mb_log_level {
	MB_LOG_DEBUG = 0, /* memblock_dbg(): printed only when mb->debug is set */
	MB_LOG_INFO,
	MB_LOG_WARN,
	MB_LOG_ERR
};

/* How a full region array gets more room (spec section 4). */
enum mb_grow_policy {
	MB_GROW_LINUX = 0, /* double inside managed memory, as Linux does */
	MB_GROW_CALLBACK,  /* ask ops.grow for storage */
	MB_GROW_FIXED	   /* never grow: a full array fails with -MB_ENOSPC */
};

struct memblock;

/* The print hook: one line, at @level (ops.print, mb_dump_to()). */
typedef void (*mb_print_fn)(void *ctx, enum mb_log_level level, const char *line);

/*
 * Everything the core may call. Any pointer may be NULL unless noted.
 */
struct mb_ops {
	/*
	 * One complete line of output, without the trailing newline. The
	 * line lives in the instance: copy it if it must outlive the call,
	 * and do not call back into the same instance from here.
	 */
	void (*print)(void *ctx, enum mb_log_level level, const char *line);
	void *print_ctx;

	/*
	 * Physical memory access. phys_to_virt returns a pointer through which
	 * [phys, phys + size) may be read and written, or NULL when it cannot.
	 * Linux-style growth and zeroing need it; without it, allocations are
	 * not zeroed and Linux-style growth fails with -MB_ENOMEM.
	 * virt_to_phys is its inverse (mb_free(), virtual allocations).
	 * mem_zero, when set, is used instead of the pointer to zero memory.
	 * mem_sync is called after the core or memtest wrote [phys, phys+size)
	 * and before reading it back: a simulated backend injects faults here.
	 */
	void *(*phys_to_virt)(void *ctx, mb_phys_addr_t phys, mb_phys_addr_t size);
	mb_phys_addr_t (*virt_to_phys)(void *ctx, const void *virt);
	void (*mem_zero)(void *ctx, mb_phys_addr_t phys, mb_phys_addr_t size);
	void (*mem_sync)(void *ctx, mb_phys_addr_t phys, mb_phys_addr_t size);
	void *mem_ctx;

	/*
	 * MB_GROW_CALLBACK: return storage for new_max regions of @type, or
	 * NULL to refuse. The core copies the regions over; the old storage is
	 * the caller's again once the call that grew returns.
	 */
	struct memblock_region *(*grow)(void *ctx, const struct memblock_type *type,
					unsigned long new_max);
	void *grow_ctx;

	/*
	 * Index storage (mb_set_index()): index_alloc returns @bytes of
	 * memory aligned for mb_phys_addr_t, or NULL to refuse; index_free
	 * takes back what index_alloc gave. A pool holds a type's max nodes
	 * (48 bytes each, 36 with a 32-bit phys_addr_t): asked for by
	 * mb_set_index() and at every doubling of an indexed type, before
	 * the doubling writes anything (a refusal fails that call with
	 * -MB_ENOMEM and changes nothing); the pool a call replaced is freed
	 * when the call ends. Never called in MB_INDEX_OFF.
	 */
	void *(*index_alloc)(void *ctx, size_t bytes);
	void (*index_free)(void *ctx, void *mem, size_t bytes);
	void *index_ctx;

	/*
	 * Handover (mb_free_all, mb_free_late, mb_discard): free_pages gets
	 * 2^order whole pages starting at pfn; reserved_pages is told about
	 * every range the page allocator must keep reserved.
	 */
	void (*free_pages)(void *ctx, unsigned long pfn, unsigned int order);
	void (*reserved_pages)(void *ctx, mb_phys_addr_t start, mb_phys_addr_t end, int nid);
	/*
	 * Long handovers call progress about every MB_PROGRESS_PAGES pages
	 * with the pages done and the call's total; false stops the call
	 * with -MB_EINTR (memblock unchanged; pages already given to
	 * free_pages stay given).
	 */
	bool (*progress)(void *ctx, unsigned long done, unsigned long total);
	void *page_ctx;
};

#define MB_PROGRESS_PAGES (1UL << 18)

/*
 * Caller symbols (%pS) printed by trace lines the allocator makes on its
 * own behalf. Defaults are the bare function names; presets set the exact
 * "symbol+0xoff/0xsize" of a real kernel build.
 */
struct mb_callers {
	const char *alloc_range_nid;	   /* reserve inside memblock_alloc_range_nid */
	const char *alloc_internal;	   /* 4.x: reserve inside memblock_virt_alloc_internal */
	const char *double_array;	   /* reserve/free inside memblock_double_array */
	const char *free_all;		   /* set_node etc. inside memblock_free_all */
};

struct mb_config {
	const struct mb_profile *profile; /* NULL = linux-6.12 */
	unsigned int phys_bits;		  /* 32 or 64 (<= bits of mb_phys_addr_t); output width */
	mb_phys_addr_t page_size;	  /* power of two */
	mb_phys_addr_t smp_cache_bytes;	  /* power of two */
	mb_phys_addr_t low_address_limit; /* ARCH_LOW_ADDRESS_LIMIT */
	unsigned int max_page_order;	  /* MAX_PAGE_ORDER */
	int max_numnodes;		  /* MAX_NUMNODES, >= 1 */
	bool numa;			  /* NUMA build: nid kept and printed "on node N" */
	bool movable_node;		  /* movable_node=on: skip HOTPLUG memory */
	bool mirrored_kernelcore;	  /* kernelcore=mirror: mark_mirror has effect */
	bool debug;			  /* memblock=debug */
	/*
	 * Work budget: a handover call (free_all, free_late) that would pass
	 * more than max_pages pages to free_pages fails with -MB_EBUDGET and
	 * changes nothing. 0 = no limit, as Linux (which may loop over 2^52
	 * pages when a range ends in the last page of the address space).
	 */
	unsigned long max_pages;

	/* Initial storage, owned by the caller (the kernel's static arrays). */
	struct memblock_region *memory_regions;
	unsigned long memory_max;
	struct memblock_region *reserved_regions;
	unsigned long reserved_max;
	struct memblock_region *physmem_regions; /* may be NULL: no physmem */
	unsigned long physmem_max;

	enum mb_grow_policy grow_policy;
	struct mb_ops ops;
	struct mb_callers callers;
};

/*
 * Event counters kept as data; the CLI and benchmarks read them. They are
 * the one part of the instance a failing call may change: they count what
 * happened, failed calls included.
 */
struct mb_stats {
	unsigned long numa_overlap_warnings; /* add_range WARN_ONs (spec 3) */
	unsigned long doublings;
	unsigned long mirror_fallbacks;
	unsigned long failed_allocs;
	unsigned int warned_once; /* WARN_ONCE sites that already fired (bits) */
	/*
	 * Failed calls whose undo was incomplete. Always 0: the core puts
	 * every failure point before any unbounded run of writes (see
	 * docs/core.md, "Rollback"); tests and fuzzers assert it.
	 */
	unsigned long inexact_rollbacks;
};

#define MB_RESERVE_MEM_MAX 8
#define MB_RESERVE_MEM_NAME_LEN 16

struct mb_reserve_mem {
	char name[MB_RESERVE_MEM_NAME_LEN];
	mb_phys_addr_t start;
	mb_phys_addr_t size;
};

/*
 * Line builder for kernel-format text without a C library (functions
 * below, "Line builder"). The instance holds one for its own output.
 */
#define MB_TEXT_MAX 256
struct mb_text {
	char buf[MB_TEXT_MAX];
	size_t len;
};

/*
 * Private: the rollback state of the public call being made
 * (src/core/txn.c). It lives in the instance so that no call needs it on
 * the stack; between calls it is all zero.
 */
#define MB_UNDO_MAX 64

struct mb_undo {
	struct memblock_region *regions;
	struct memblock_region *moved_to;
	unsigned long idx;
	unsigned long cnt;
	struct memblock_region saved;
	unsigned int kind;
};

/* The fields of struct memblock a call may change, but for stats. */
struct mb_snap {
	mb_phys_addr_t current_limit;
	mb_phys_addr_t cap_base;
	mb_phys_addr_t cap_end;
	mb_phys_addr_t memory_trim_excess;
	struct memblock_type memory;
	struct memblock_type reserved;
	struct memblock_type physmem;
	const char *caller;
	bool bottom_up;
	bool debug;
	bool resize_allowed;
	bool system_has_mirror;
	bool handed_over;
	bool memory_in_managed;
	bool reserved_in_managed;
	bool capping;
};

/* The allocation request being served (src/core/alloc.c). */
struct mb_alloc_req {
	mb_phys_addr_t size;
	mb_phys_addr_t align;
	mb_phys_addr_t start;
	mb_phys_addr_t end;
	const char *caller;
	int nid;
	bool exact_nid;
	int last_err; /* of the last failed reservation, or -MB_ENOMEM */
};

/*
 * An index pool replaced by a doubling (or an index created by one, old
 * NULL): the old pool is never written again, so putting its header back
 * undoes the move. Freed at the end of the call: the old pool when it
 * succeeds, the new one when it fails.
 */
#define MB_POOL_UNDO_MAX 24

struct mb_pool_undo {
	struct mb_index_node *old_nodes;
	struct mb_index_node *new_nodes;
	uint32_t old_cap, new_cap, cnt, root, free_list, fresh;
	uint16_t at; /* journal entries made before the move */
	uint8_t slot; /* 0 memory, 1 reserved, 2 physmem */
	bool done;    /* moved (false: allocated for a doubling still under way) */
};

/* The range memblock_add_range() is adding, off the stack (src/core/range.c). */
struct mb_add_span {
	mb_phys_addr_t base;
	mb_phys_addr_t end;
	int nid;
	unsigned int flags;
	long start_rgn; /* first inserted region, -1 when none */
	unsigned long end_rgn;
	unsigned long first; /* regions ending at or below base */
};

struct mb_journal {
	struct mb_snap snap;
	struct mb_alloc_req req;
	unsigned int nr;
	bool lost; /* more writes than MB_UNDO_MAX: see stats.inexact_rollbacks */
	bool direct; /* a call that cannot fail after a write: nothing saved */
	struct mb_undo log[MB_UNDO_MAX];
	unsigned int pools;
	struct mb_pool_undo pool[MB_POOL_UNDO_MAX];
	struct memblock_region scratch; /* a region being inserted in an index */
	struct mb_add_span add;		/* of growing add_range()s: never nested */
};

/*
 * Private: a type's index (src/core/index.c), an order-statistic AVL tree
 * of the type's regions with the largest gap above a region kept per
 * subtree. nodes == NULL: the type is flat (its array is the truth).
 */
#define MB_INDEX_NIL UINT32_MAX
#define MB_INDEX_PATH 48 /* AVL depth bound for 2^30 nodes, with room */

struct mb_index_node {
	struct memblock_region rgn;
	mb_phys_addr_t max_gap; /* largest gap_above in this subtree */
	uint32_t left;
	uint32_t right;
	uint32_t next;	     /* in-order successor, MB_INDEX_NIL for the last */
	uint32_t left_bal;  /* left subtree size (bits 0-29), AVL balance + 1 (30-31) */
};

struct mb_index {
	struct mb_index_node *nodes; /* pool of cap nodes */
	uint32_t cap;
	uint32_t cnt;
	uint32_t root;
	uint32_t free_list; /* nodes freed since they were used */
	uint32_t fresh;	    /* nodes [fresh, cap) were never used: free too */
	uint32_t cursor_rank; /* last rank looked up: sequential walks are O(1) */
	uint32_t cursor_node;
	uint32_t cursor_prev; /* node at cursor_rank - 1 when a search saw it, else NIL */
	uint32_t path_len;		    /* scratch of one update, in the */
	uint32_t path[MB_INDEX_PATH]; /* instance to keep it off the stack;
				       * entry: node, bit 31 = went right */
};

/* Whether (and when) the types keep an index; see mb_set_index(). */
enum mb_index_mode {
	MB_INDEX_OFF = 0, /* flat arrays only, as Linux (default) */
	MB_INDEX_ON,	  /* every type indexed */
	MB_INDEX_AUTO	  /* a type is indexed once its max reaches MB_INDEX_AUTO_MAX */
};
#define MB_INDEX_AUTO_MAX 4096

/*
 * The instance. The first fields are the kernel's struct memblock; the
 * rest is ours. Treat everything below "private" as read-only.
 *
 * A const instance pointer in this API promises that the call leaves the
 * allocator's state (regions, settings, limits) alone, not that it writes
 * no byte: the core writes its scratch even through a const pointer. Every
 * call that prints builds its lines in `line` (zeroed again after each
 * line); a walk or allocation given MAX_NUMNODES on a profile that
 * deprecates it sets its once-only warning bit in stats.warned_once; with
 * the index on, lookups move its cursor and mb_type_regions() rewrites a
 * stale flat array (the same regions, so no reader sees a change). So
 * an instance must never be defined const, must not be in read-only
 * memory, and must not be used by two threads at once, even for
 * read-only calls.
 */
struct memblock {
	bool bottom_up;
	mb_phys_addr_t current_limit;
	struct memblock_type memory;
	struct memblock_type reserved;
	struct memblock_type physmem;

	bool debug; /* memblock_debug */
	struct mb_stats stats;

	/* private */
	struct mb_config cfg;
	const char *caller;	    /* %pS of the public call being made */
	bool resize_allowed;
	bool system_has_mirror;
	bool handed_over;	    /* mb_free_all() ran */
	bool memory_in_managed;	    /* arrays that came from memblock (discard) */
	bool reserved_in_managed;
	int reserve_mem_count;
	/* cap_memory_range: allocations see only memory in [cap_base, cap_end). */
	bool capping;
	mb_phys_addr_t cap_base;
	mb_phys_addr_t cap_end;
	/* What trim left in memory.total_size above the sum of sizes. */
	mb_phys_addr_t memory_trim_excess;
	struct mb_reserve_mem reserve_mem[MB_RESERVE_MEM_MAX];
	struct mb_journal journal;
	struct mb_text line; /* the line being printed; all zero between lines */
	enum mb_index_mode index_mode;
	/* Per type (memory, reserved, physmem): index, and whether its array is stale. */
	struct mb_index index[3];
	bool view_stale[3];
};

/**
 * mb_config_default() - fill a config with the kernel's defaults
 * @cfg: config to fill (arrays left NULL, profile linux-6.12, 64-bit)
 */
MB_API void mb_config_default(struct mb_config *cfg);

/**
 * mb_init() - initialise an instance
 * @mb: caller-owned instance
 * @cfg: settings and storage; copied into the instance
 *
 * Return: 0, or -MB_EINVAL for a NULL pointer, missing memory/reserved
 * arrays, a zero capacity, a page or cache size that is not a power of
 * two or is below MB_REGION_ALIGN, or a phys_bits wider than mb_phys_addr_t.
 */
MB_API int mb_init(struct memblock *mb, const struct mb_config *cfg);

/**
 * mb_set_caller() - name the caller printed by the next trace lines
 * @mb: instance
 * @caller: "symbol+0xoff/0xsize" or any label; NULL prints "0x0"
 */
MB_API void mb_set_caller(struct memblock *mb, const char *caller);

/**
 * mb_get_config() - the settings an instance runs with
 * @mb: instance
 *
 * Return: the instance's copy of its config (read only), or NULL for a
 * NULL instance. Change it only through the setters below.
 */
MB_API const struct mb_config *mb_get_config(const struct memblock *mb);

/**
 * mb_set_ops() - replace the hooks of a running instance
 * @mb: instance
 * @ops: the new hooks, copied; to change one, copy
 *	 mb_get_config(mb)->ops, change it and pass the copy
 */
MB_API void mb_set_ops(struct memblock *mb, const struct mb_ops *ops);

/**
 * mb_set_index() - keep the region arrays indexed, or flat as Linux does
 * @mb: instance
 * @mode: MB_INDEX_OFF, MB_INDEX_ON or MB_INDEX_AUTO
 *
 * With an index, every change is O(log n) per region it changes and the
 * allocation search skips gaps too small to fit; results, counts,
 * doubling points, array addresses, trace lines and dumps stay those of
 * the flat arrays. The arrays themselves (type->regions) are then only
 * brought up to date by mb_type_regions(): read regions through it, never
 * through the pointer, and do not write them. ON indexes every type;
 * AUTO a type whose max is MB_INDEX_AUTO_MAX or more, now or at the
 * doubling that gets there. Switching builds or drops the indexes from
 * the current arrays (O(n)); OFF writes the arrays back and frees every
 * pool, so direct writes to them are safe again. See docs/core.md, "The
 * region store".
 *
 * Return: 0; -MB_EINVAL for a NULL instance or an unknown mode; -MB_ENOMEM
 * when ops.index_alloc is missing or refuses (the instance stays as it was).
 */
MB_API int mb_set_index(struct memblock *mb, enum mb_index_mode mode);

/**
 * mb_type_regions() - the regions of a type, sorted, as the flat array
 * @mb: instance
 * @type: &mb->memory, &mb->reserved or &mb->physmem
 *
 * Flat instances return type->regions. An indexed type's array is written
 * from the index first when a call changed it since the last read (O(n)),
 * so read the array through this call, never keep the pointer across a
 * call that changes the instance.
 *
 * Return: @type's cnt regions in address order.
 */
MB_API const struct memblock_region *mb_type_regions(const struct memblock *mb,
						      const struct memblock_type *type);

/**
 * mb_set_callers() - replace the caller symbols of the allocator's own lines
 * @mb: instance
 * @callers: the new symbols, copied; the strings must outlive the instance
 */
MB_API void mb_set_callers(struct memblock *mb, const struct mb_callers *callers);

/**
 * mb_set_movable_node() - movable_node=on or off from now on
 * @mb: instance
 * @enable: skip HOTPLUG memory in allocations
 */
MB_API void mb_set_movable_node(struct memblock *mb, bool enable);

/**
 * mb_set_mirrored_kernelcore() - kernelcore=mirror or none from now on
 * @mb: instance
 * @enable: mb_mark_mirror() takes effect
 */
MB_API void mb_set_mirrored_kernelcore(struct memblock *mb, bool enable);

/* ---- Adding and removing ranges (spec sections 3, 7) ----
 * Each returns 0, -MB_EINVAL (NULL instance, bad node), or the growth
 * errors -MB_ENOMEM / -MB_ENOSPC / -MB_EPERM. size 0 is a no-op. */

MB_API int mb_add(struct memblock *mb, mb_phys_addr_t base, mb_phys_addr_t size);
MB_API int mb_add_node(struct memblock *mb, mb_phys_addr_t base, mb_phys_addr_t size, int nid,
		unsigned int flags);
MB_API int mb_remove(struct memblock *mb, mb_phys_addr_t base, mb_phys_addr_t size);
MB_API int mb_reserve(struct memblock *mb, mb_phys_addr_t base, mb_phys_addr_t size);
MB_API int mb_phys_free(struct memblock *mb, mb_phys_addr_t base, mb_phys_addr_t size);
/* mb_free(): phys_free of virt_to_phys(ptr); NULL ptr is ignored. */
MB_API int mb_free(struct memblock *mb, void *ptr, size_t size);
MB_API int mb_physmem_add(struct memblock *mb, mb_phys_addr_t base, mb_phys_addr_t size);

MB_API int mb_mark_hotplug(struct memblock *mb, mb_phys_addr_t base, mb_phys_addr_t size);
MB_API int mb_clear_hotplug(struct memblock *mb, mb_phys_addr_t base, mb_phys_addr_t size);
MB_API int mb_mark_mirror(struct memblock *mb, mb_phys_addr_t base, mb_phys_addr_t size);
MB_API int mb_mark_nomap(struct memblock *mb, mb_phys_addr_t base, mb_phys_addr_t size);
MB_API int mb_clear_nomap(struct memblock *mb, mb_phys_addr_t base, mb_phys_addr_t size);
MB_API int mb_reserved_mark_noinit(struct memblock *mb, mb_phys_addr_t base, mb_phys_addr_t size);
/* @type must be &mb->memory or &mb->reserved. */
MB_API int mb_set_node(struct memblock *mb, mb_phys_addr_t base, mb_phys_addr_t size,
		struct memblock_type *type, int nid);

MB_API void mb_set_current_limit(struct memblock *mb, mb_phys_addr_t limit);
MB_API mb_phys_addr_t mb_get_current_limit(const struct memblock *mb);
MB_API void mb_set_bottom_up(struct memblock *mb, bool enable);
MB_API bool mb_bottom_up(const struct memblock *mb);
MB_API void mb_allow_resize(struct memblock *mb);

/* trim/limit/cap (spec 7). align 0 in trim removes all memory, as Linux.
 * trim needs no room (it only shrinks or drops regions), so it never
 * returns a growth error; a region within the top @align bytes gives
 * -MB_ERANGE and changes nothing. enforce and cap isolate ranges, so they
 * can return a growth error. */
MB_API int mb_trim_memory(struct memblock *mb, mb_phys_addr_t align);
MB_API int mb_enforce_memory_limit(struct memblock *mb, mb_phys_addr_t limit);
MB_API int mb_mem_limit_remove_map(struct memblock *mb, mb_phys_addr_t limit);
MB_API int mb_cap_memory_range(struct memblock *mb, mb_phys_addr_t base, mb_phys_addr_t size);

/* ---- Allocation (spec section 6) ----
 * Each returns 0 and the address through @out, or -MB_ENOMEM when no
 * range fits (then *out is 0 / NULL), -MB_EINVAL for a bad argument
 * (NULL out), or a growth error. align 0 means smp_cache_bytes, and an
 * align that is not a power of two rounds by masks, as Linux. */

/* Untraced core: memblock_alloc_range_nid(). */
MB_API int mb_alloc_range_nid(struct memblock *mb, mb_phys_addr_t size, mb_phys_addr_t align,
		       mb_phys_addr_t start, mb_phys_addr_t end, int nid, bool exact_nid,
		       mb_phys_addr_t *out);
MB_API int mb_phys_alloc_range(struct memblock *mb, mb_phys_addr_t size, mb_phys_addr_t align,
			mb_phys_addr_t start, mb_phys_addr_t end, mb_phys_addr_t *out);
MB_API int mb_phys_alloc(struct memblock *mb, mb_phys_addr_t size, mb_phys_addr_t align,
		  mb_phys_addr_t *out);
MB_API int mb_phys_alloc_try_nid(struct memblock *mb, mb_phys_addr_t size, mb_phys_addr_t align,
			  int nid, mb_phys_addr_t *out);

/* Virtual API: the pointer is ops.phys_to_virt of the block (NULL when
 * that op is missing: use @out_phys then). @out_phys may be NULL. */
MB_API int mb_alloc_try_nid(struct memblock *mb, mb_phys_addr_t size, mb_phys_addr_t align,
		     mb_phys_addr_t min_addr, mb_phys_addr_t max_addr, int nid, void **out,
		     mb_phys_addr_t *out_phys);
MB_API int mb_alloc_try_nid_raw(struct memblock *mb, mb_phys_addr_t size, mb_phys_addr_t align,
			 mb_phys_addr_t min_addr, mb_phys_addr_t max_addr, int nid, void **out,
			 mb_phys_addr_t *out_phys);
MB_API int mb_alloc_exact_nid_raw(struct memblock *mb, mb_phys_addr_t size, mb_phys_addr_t align,
			   mb_phys_addr_t min_addr, mb_phys_addr_t max_addr, int nid,
			   void **out, mb_phys_addr_t *out_phys);
MB_API int mb_alloc(struct memblock *mb, mb_phys_addr_t size, mb_phys_addr_t align, void **out,
	     mb_phys_addr_t *out_phys);
MB_API int mb_alloc_raw(struct memblock *mb, mb_phys_addr_t size, mb_phys_addr_t align, void **out,
		 mb_phys_addr_t *out_phys);
MB_API int mb_alloc_from(struct memblock *mb, mb_phys_addr_t size, mb_phys_addr_t align,
		  mb_phys_addr_t min_addr, void **out, mb_phys_addr_t *out_phys);
MB_API int mb_alloc_low(struct memblock *mb, mb_phys_addr_t size, mb_phys_addr_t align, void **out,
		 mb_phys_addr_t *out_phys);
MB_API int mb_alloc_node(struct memblock *mb, mb_phys_addr_t size, mb_phys_addr_t align, int nid,
		  void **out, mb_phys_addr_t *out_phys);

/**
 * mb_reserve_mem() - the reserve_mem=size:align:name command line option
 * @mb: instance
 * @size: bytes
 * @align: alignment, raised to at least smp_cache_bytes
 * @name: 1..15 characters, not blank
 *
 * Return: 0; -MB_EINVAL for a bad name or size; -MB_EEXIST for a name in
 * use; -MB_ENOSPC when 8 names exist; -MB_ENOMEM when allocation fails.
 */
MB_API int mb_reserve_mem(struct memblock *mb, mb_phys_addr_t size, mb_phys_addr_t align,
		   const char *name);
MB_API int mb_reserve_mem_find(const struct memblock *mb, const char *name, mb_phys_addr_t *start,
			mb_phys_addr_t *size);

/* ---- Queries (spec 7) ---- */
MB_API bool mb_is_memory(const struct memblock *mb, mb_phys_addr_t addr);
MB_API bool mb_is_map_memory(const struct memblock *mb, mb_phys_addr_t addr);
MB_API bool mb_is_reserved(const struct memblock *mb, mb_phys_addr_t addr);
MB_API bool mb_is_region_memory(const struct memblock *mb, mb_phys_addr_t base, mb_phys_addr_t size);
MB_API bool mb_is_region_reserved(const struct memblock *mb, mb_phys_addr_t base, mb_phys_addr_t size);
MB_API bool mb_overlaps_region(const struct memblock_type *type, mb_phys_addr_t base,
			mb_phys_addr_t size);
MB_API mb_phys_addr_t mb_start_of_DRAM(const struct memblock *mb); /* 0 when empty */
MB_API mb_phys_addr_t mb_end_of_DRAM(const struct memblock *mb);   /* 0 when empty */
MB_API mb_phys_addr_t mb_phys_mem_size(const struct memblock *mb);
MB_API mb_phys_addr_t mb_reserved_size(const struct memblock *mb);
/* Returns the nid of the memory region holding @pfn, or -1 (with
 * *start_pfn / *end_pfn untouched) when none does. */
MB_API int mb_search_pfn_nid(const struct memblock *mb, unsigned long pfn, unsigned long *start_pfn,
		      unsigned long *end_pfn);

/* ---- Iterators (spec 5), Linux's index encoding ----
 * *idx starts at 0 (forward) or MB_ITER_REV_START (reverse) and becomes
 * MB_ITER_END when done. type_b may be NULL. */
#define MB_ITER_END UINT64_MAX
#define MB_ITER_REV_START UINT64_MAX

MB_API void mb_next_mem_range(const struct memblock *mb, uint64_t *idx, int nid, unsigned int flags,
		       const struct memblock_type *type_a, const struct memblock_type *type_b,
		       mb_phys_addr_t *out_start, mb_phys_addr_t *out_end, int *out_nid);
MB_API void mb_next_mem_range_rev(const struct memblock *mb, uint64_t *idx, int nid, unsigned int flags,
			   const struct memblock_type *type_a,
			   const struct memblock_type *type_b, mb_phys_addr_t *out_start,
			   mb_phys_addr_t *out_end, int *out_nid);
/* *idx starts at -1; becomes -1 again when done. */
MB_API void mb_next_mem_pfn_range(const struct memblock *mb, int *idx, int nid,
			   unsigned long *out_start_pfn, unsigned long *out_end_pfn, int *out_nid);
MB_API void mb_next_physmem_range(const struct memblock *mb, uint64_t *idx, mb_phys_addr_t *out_start,
			   mb_phys_addr_t *out_end);

#define mb_for_each_mem_range(mb, i, p_start, p_end)                                       \
	for (i = 0, mb_next_mem_range(mb, &i, MB_NUMA_NO_NODE,                             \
				      MB_FLAG_HOTPLUG | MB_FLAG_DRIVER_MANAGED, &(mb)->memory, \
				      NULL, p_start, p_end, NULL);                         \
	     i != MB_ITER_END;                                                             \
	     mb_next_mem_range(mb, &i, MB_NUMA_NO_NODE,                                    \
			       MB_FLAG_HOTPLUG | MB_FLAG_DRIVER_MANAGED, &(mb)->memory, NULL, \
			       p_start, p_end, NULL))

#define mb_for_each_free_mem_range(mb, i, nid, flags, p_start, p_end, p_nid)              \
	for (i = 0, mb_next_mem_range(mb, &i, nid, flags, &(mb)->memory, &(mb)->reserved,  \
				      p_start, p_end, p_nid);                              \
	     i != MB_ITER_END;                                                             \
	     mb_next_mem_range(mb, &i, nid, flags, &(mb)->memory, &(mb)->reserved, p_start, \
			       p_end, p_nid))

#define mb_for_each_free_mem_range_reverse(mb, i, nid, flags, p_start, p_end, p_nid)      \
	for (i = MB_ITER_REV_START,                                                        \
	    mb_next_mem_range_rev(mb, &i, nid, flags, &(mb)->memory, &(mb)->reserved,      \
				  p_start, p_end, p_nid);                                  \
	     i != MB_ITER_END;                                                             \
	     mb_next_mem_range_rev(mb, &i, nid, flags, &(mb)->memory, &(mb)->reserved,     \
				   p_start, p_end, p_nid))

#define mb_for_each_reserved_mem_range(mb, i, p_start, p_end)                              \
	for (i = 0, mb_next_mem_range(mb, &i, MB_NUMA_NO_NODE, MB_FLAG_NONE,               \
				      &(mb)->reserved, NULL, p_start, p_end, NULL);        \
	     i != MB_ITER_END;                                                             \
	     mb_next_mem_range(mb, &i, MB_NUMA_NO_NODE, MB_FLAG_NONE, &(mb)->reserved,     \
			       NULL, p_start, p_end, NULL))

#define mb_for_each_mem_pfn_range(mb, i, nid, p_start, p_end, p_nid)                       \
	for (i = -1, mb_next_mem_pfn_range(mb, &i, nid, p_start, p_end, p_nid); i >= 0;    \
	     mb_next_mem_pfn_range(mb, &i, nid, p_start, p_end, p_nid))

/* Read only: through mb_type_regions(), so indexed instances work too. */
#define mb_for_each_mem_region(mb, region)                                                 \
	for (region = mb_type_regions(mb, &(mb)->memory);                                  \
	     region < mb_type_regions(mb, &(mb)->memory) + (mb)->memory.cnt; region++)

#define mb_for_each_reserved_mem_region(mb, region)                                        \
	for (region = mb_type_regions(mb, &(mb)->reserved);                                \
	     region < mb_type_regions(mb, &(mb)->reserved) + (mb)->reserved.cnt; region++)

/* ---- Handover (spec 7) ---- */

/**
 * mb_free_all() - memblock_free_all(): hand free memory to the page allocator
 * @mb: instance
 * @max_low_pfn: pages at and above this pfn are not released
 * @pages_out: pages released (may be NULL)
 *
 * Calls ops.reserved_pages for every reserved region (but RSRV_NOINIT) and
 * NOMAP memory, then ops.free_pages in the kernel's order and block sizes.
 * When clearing the hotplug flags or setting the reserved regions' nodes
 * fails half-way (a doubling whose new array cannot be reserved: Linux
 * BUG()s), the call fails and changes nothing; a step that fails before
 * writing anything is ignored, as Linux does.
 * Return: 0, -MB_EINVAL, -MB_ESTATE when already handed over, a growth
 * error as above, -MB_EBUDGET beyond cfg.max_pages, -MB_EINTR when
 * ops.progress stopped it.
 */
MB_API int mb_free_all(struct memblock *mb, unsigned long max_low_pfn, unsigned long *pages_out);
/* After handover: free whole pages of [base, base+size) to ops.free_pages.
 * -MB_EBUDGET beyond cfg.max_pages, -MB_EINTR when ops.progress stopped it. */
MB_API int mb_free_late(struct memblock *mb, mb_phys_addr_t base, mb_phys_addr_t size);
/* After handover: release arrays that were allocated from memblock. */
MB_API int mb_discard(struct memblock *mb);

/* ---- Output in the kernel's formats (spec 8), through ops.print ---- */

/* memblock_dump_all(): only when mb->debug; mb_dump() always. */
MB_API void mb_dump_all(const struct memblock *mb);
MB_API void mb_dump(const struct memblock *mb);
/* /sys/kernel/debug/memblock/<type->name>, one line per region. */
MB_API void mb_debugfs_show(const struct memblock *mb, const struct memblock_type *type);
/*
 * The same text through another hook (a view printed to a file, say),
 * leaving the instance and its ops alone; a NULL @print prints nothing.
 */
MB_API void mb_dump_to(const struct memblock *mb, mb_print_fn print, void *ctx);
MB_API void mb_debugfs_show_to(const struct memblock *mb, const struct memblock_type *type,
			       mb_print_fn print, void *ctx);

/*
 * Line builder for kernel-format text without a C library: memtest, the
 * firmware front ends and tools share it so every %pa looks the same.
 */
/* struct mb_text and MB_TEXT_MAX: above struct memblock. */
MB_API void mb_text_reset(struct mb_text *t);
MB_API void mb_text_str(struct mb_text *t, const char *s);
MB_API void mb_text_char(struct mb_text *t, char c);
/* @min_digits zero-padded lowercase hex; @prefix adds "0x". */
MB_API void mb_text_hex(struct mb_text *t, uint64_t v, unsigned int min_digits, bool prefix);
MB_API void mb_text_udec(struct mb_text *t, uint64_t v);
MB_API void mb_text_dec(struct mb_text *t, int64_t v);
/* %pa of the instance's width: "0x" + 16 (or 8) hex digits. */
MB_API void mb_text_pa(struct mb_text *t, const struct memblock *mb, mb_phys_addr_t addr);
/* %pS: the caller label, "0x0" when NULL. */
MB_API void mb_text_caller(struct mb_text *t, const char *caller);
/* Send the line to ops.print (MB_LOG_DEBUG lines only when mb->debug). */
MB_API void mb_emit(const struct memblock *mb, enum mb_log_level level, const struct mb_text *t);

/* ---- Invariants ---- */

/**
 * mb_check() - verify every invariant listed at the top of this file
 * @mb: instance
 * @msg: buffer for the first violation as text (may be NULL)
 * @len: size of @msg
 *
 * Return: 0 when all hold, -MB_ECORRUPT with @msg filled otherwise,
 * -MB_EINVAL for a NULL instance.
 */
MB_API int mb_check(const struct memblock *mb, char *msg, size_t len);

#ifdef __cplusplus
}
#endif

#endif /* MEMBLOCK_MEMBLOCK_H */
