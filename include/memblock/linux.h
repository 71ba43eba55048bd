/* SPDX-License-Identifier: MIT */
/*
 * linux.h - the Linux kernel's memblock API over one global instance.
 *
 * Code written against <linux/memblock.h> (Linux 6.12, or 6.1 with the
 * linux-6.1 profile: memblock_linux_set_profile() before first use, or
 * -Dlinux_profile=linux-6.1 at build time) compiles against this header
 * unchanged, apart from the small shim below (phys_addr_t, __init, u64,
 * PFN_*...), whose macros step aside when kernel headers define them.
 * Every function is a thin wrapper around the instance API of
 * <memblock/memblock.h>, applied to the one global instance `memblock` (so
 * memblock.memory.cnt, memblock.reserved.regions[i] work as in the kernel).
 *
 * Kernel conventions are kept: failed allocations return 0 / NULL, failed
 * operations return -ENOMEM or -EINVAL (memblock_linux_last_error() gives
 * the precise MB_E* code of the last failing call).
 *
 * Default instance: no output, static arrays of 128 (memory), 128
 * (reserved) and 4 (physmem) regions, NUMA on with MAX_NUMNODES 64,
 * top-down, Linux-style array doubling once memblock_allow_resize() was
 * called, and - like the kernel's own user-space test harness
 * (tools/testing/memblock) - physical addresses are host addresses
 * (phys_to_virt is the identity). So either add memory you own (a
 * malloc()ed buffer, as that harness does), or map a buffer at any
 * physical base with memblock_linux_map_buffer(), or install your own
 * hooks with memblock_linux_configure(). See docs/linux-compat.md.
 */
#ifndef MEMBLOCK_LINUX_H
#define MEMBLOCK_LINUX_H

#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <memblock/memblock.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Shim: the kernel types and macros memblock users rely on ---- */

typedef mb_phys_addr_t phys_addr_t;
typedef uint64_t u64;
typedef uint32_t u32;

#ifndef __init
#define __init
#endif
#ifndef __initdata
#define __initdata
#endif
#ifndef __meminit
#define __meminit
#endif
#ifndef __init_memblock
#define __init_memblock
#endif
#ifndef __initdata_memblock
#define __initdata_memblock
#endif

#ifndef PAGE_SHIFT
#define PAGE_SHIFT 12
#endif
#ifndef PAGE_SIZE
#define PAGE_SIZE (1UL << PAGE_SHIFT)
#endif
#ifndef PAGE_MASK
#define PAGE_MASK (~(PAGE_SIZE - 1))
#endif
#ifndef PAGE_ALIGN
#define PAGE_ALIGN(addr) (((addr) + PAGE_SIZE - 1) & ~((phys_addr_t)PAGE_SIZE - 1))
#endif
#ifndef SMP_CACHE_BYTES
#define SMP_CACHE_BYTES 64
#endif
#ifndef PFN_ALIGN
#define PFN_ALIGN(x) (((unsigned long)(x) + (PAGE_SIZE - 1)) & PAGE_MASK)
#endif
#ifndef PFN_UP
#define PFN_UP(x) ((unsigned long)(((x) + PAGE_SIZE - 1) >> PAGE_SHIFT))
#endif
#ifndef PFN_DOWN
#define PFN_DOWN(x) ((unsigned long)((x) >> PAGE_SHIFT))
#endif
#ifndef PFN_PHYS
#define PFN_PHYS(x) ((phys_addr_t)(x) << PAGE_SHIFT)
#endif
#ifndef PHYS_PFN
#define PHYS_PFN(x) ((unsigned long)((x) >> PAGE_SHIFT))
#endif

#ifndef PHYS_ADDR_MAX
#define PHYS_ADDR_MAX MB_PHYS_ADDR_MAX
#endif
#ifndef NUMA_NO_NODE
#define NUMA_NO_NODE MB_NUMA_NO_NODE
#endif
/* The compile-time value; a configured instance may use another one. */
#ifndef MAX_NUMNODES
#define MAX_NUMNODES MB_DEFAULT_MAX_NUMNODES
#endif
#ifndef MAX_PAGE_ORDER
#define MAX_PAGE_ORDER MB_DEFAULT_MAX_PAGE_ORDER
#endif

/* ---- Constants of <linux/memblock.h> ---- */

/* enum memblock_flags comes from <memblock/memblock.h>, the type of a region's flags. */

#define MEMBLOCK_ALLOC_ANYWHERE	   MB_ALLOC_ANYWHERE
#define MEMBLOCK_ALLOC_ACCESSIBLE  0
#define MEMBLOCK_ALLOC_NOLEAKTRACE 1
#define MEMBLOCK_LOW_LIMIT	   0
#ifndef ARCH_LOW_ADDRESS_LIMIT
#define ARCH_LOW_ADDRESS_LIMIT 0xffffffffUL
#endif

/* ---- The global instance ---- */

/* The one default instance; the kernel's `struct memblock memblock`. */
extern struct memblock memblock;

/* memblock=debug: an lvalue, `memblock_debug = 1;` works. */
#define memblock_debug (memblock.debug)

/* Set by the architecture in the kernel; pages at and above max_low_pfn
 * are not released by memblock_free_all(). 0 until you set it. */
extern unsigned long max_low_pfn;
extern unsigned long min_low_pfn;
extern unsigned long max_pfn;
extern unsigned long long max_possible_pfn;

/* ---- Kernel API (Linux 6.12 names and signatures) ---- */

void memblock_allow_resize(void);
int memblock_add_node(phys_addr_t base, phys_addr_t size, int nid, enum memblock_flags flags);
int memblock_add(phys_addr_t base, phys_addr_t size);
int memblock_remove(phys_addr_t base, phys_addr_t size);
int memblock_phys_free(phys_addr_t base, phys_addr_t size);
int memblock_reserve(phys_addr_t base, phys_addr_t size);
int memblock_physmem_add(phys_addr_t base, phys_addr_t size);
void memblock_trim_memory(phys_addr_t align);
unsigned long memblock_addrs_overlap(phys_addr_t base1, phys_addr_t size1, phys_addr_t base2,
				     phys_addr_t size2);
bool memblock_overlaps_region(struct memblock_type *type, phys_addr_t base, phys_addr_t size);
int memblock_mark_hotplug(phys_addr_t base, phys_addr_t size);
int memblock_clear_hotplug(phys_addr_t base, phys_addr_t size);
int memblock_mark_mirror(phys_addr_t base, phys_addr_t size);
int memblock_mark_nomap(phys_addr_t base, phys_addr_t size);
int memblock_clear_nomap(phys_addr_t base, phys_addr_t size);
int memblock_reserved_mark_noinit(phys_addr_t base, phys_addr_t size);

void memblock_free_all(void);
void memblock_free(void *ptr, size_t size);
void memblock_free_late(phys_addr_t base, phys_addr_t size);
void memblock_discard(void);

void __next_mem_range(u64 *idx, int nid, enum memblock_flags flags, struct memblock_type *type_a,
		      struct memblock_type *type_b, phys_addr_t *out_start, phys_addr_t *out_end,
		      int *out_nid);
void __next_mem_range_rev(u64 *idx, int nid, enum memblock_flags flags,
			  struct memblock_type *type_a, struct memblock_type *type_b,
			  phys_addr_t *out_start, phys_addr_t *out_end, int *out_nid);
void __next_mem_pfn_range(int *idx, int nid, unsigned long *out_start_pfn,
			  unsigned long *out_end_pfn, int *out_nid);
/* physmem minus @type (physmem is memblock.physmem here). */
void __next_physmem_range(u64 *idx, struct memblock_type *type, phys_addr_t *out_start,
			  phys_addr_t *out_end);

int memblock_set_node(phys_addr_t base, phys_addr_t size, struct memblock_type *type, int nid);
int memblock_search_pfn_nid(unsigned long pfn, unsigned long *start_pfn, unsigned long *end_pfn);

phys_addr_t memblock_phys_alloc_range(phys_addr_t size, phys_addr_t align, phys_addr_t start,
				      phys_addr_t end);
phys_addr_t memblock_alloc_range_nid(phys_addr_t size, phys_addr_t align, phys_addr_t start,
				     phys_addr_t end, int nid, bool exact_nid);
phys_addr_t memblock_phys_alloc_try_nid(phys_addr_t size, phys_addr_t align, int nid);
void *memblock_alloc_exact_nid_raw(phys_addr_t size, phys_addr_t align, phys_addr_t min_addr,
				   phys_addr_t max_addr, int nid);
void *memblock_alloc_try_nid_raw(phys_addr_t size, phys_addr_t align, phys_addr_t min_addr,
				 phys_addr_t max_addr, int nid);
void *memblock_alloc_try_nid(phys_addr_t size, phys_addr_t align, phys_addr_t min_addr,
			     phys_addr_t max_addr, int nid);

phys_addr_t memblock_phys_mem_size(void);
phys_addr_t memblock_reserved_size(void);
unsigned long memblock_estimated_nr_free_pages(void);
bool memblock_validate_numa_coverage(unsigned long threshold_bytes);
phys_addr_t memblock_start_of_DRAM(void);
phys_addr_t memblock_end_of_DRAM(void);
void memblock_enforce_memory_limit(phys_addr_t memory_limit);
void memblock_cap_memory_range(phys_addr_t base, phys_addr_t size);
void memblock_mem_limit_remove_map(phys_addr_t limit);
bool memblock_is_memory(phys_addr_t addr);
bool memblock_is_map_memory(phys_addr_t addr);
bool memblock_is_region_memory(phys_addr_t base, phys_addr_t size);
bool memblock_is_reserved(phys_addr_t addr);
bool memblock_is_region_reserved(phys_addr_t base, phys_addr_t size);

void memblock_dump_all(void);
/* Static in the kernel; here the dump that ignores memblock_debug. */
void __memblock_dump_all(void);
void memblock_set_current_limit(phys_addr_t limit);
phys_addr_t memblock_get_current_limit(void);

/* Returns 1 and fills @start/@size when @name exists, 0 otherwise. */
int reserve_mem_find_by_name(const char *name, phys_addr_t *start, phys_addr_t *size);

/* ---- Inline helpers of <linux/memblock.h> ---- */

static inline phys_addr_t memblock_phys_alloc(phys_addr_t size, phys_addr_t align)
{
	return memblock_phys_alloc_range(size, align, 0, MEMBLOCK_ALLOC_ACCESSIBLE);
}

static inline void *memblock_alloc(phys_addr_t size, phys_addr_t align)
{
	return memblock_alloc_try_nid(size, align, MEMBLOCK_LOW_LIMIT, MEMBLOCK_ALLOC_ACCESSIBLE,
				      NUMA_NO_NODE);
}

static inline void *memblock_alloc_raw(phys_addr_t size, phys_addr_t align)
{
	return memblock_alloc_try_nid_raw(size, align, MEMBLOCK_LOW_LIMIT,
					  MEMBLOCK_ALLOC_ACCESSIBLE, NUMA_NO_NODE);
}

static inline void *memblock_alloc_from(phys_addr_t size, phys_addr_t align, phys_addr_t min_addr)
{
	return memblock_alloc_try_nid(size, align, min_addr, MEMBLOCK_ALLOC_ACCESSIBLE,
				      NUMA_NO_NODE);
}

static inline void *memblock_alloc_low(phys_addr_t size, phys_addr_t align)
{
	return memblock_alloc_try_nid(size, align, MEMBLOCK_LOW_LIMIT, ARCH_LOW_ADDRESS_LIMIT,
				      NUMA_NO_NODE);
}

static inline void *memblock_alloc_node(phys_addr_t size, phys_addr_t align, int nid)
{
	return memblock_alloc_try_nid(size, align, MEMBLOCK_LOW_LIMIT, MEMBLOCK_ALLOC_ACCESSIBLE,
				      nid);
}

static inline void memblock_set_bottom_up(bool enable)
{
	memblock.bottom_up = enable;
}

static inline bool memblock_bottom_up(void)
{
	return memblock.bottom_up;
}

static inline bool memblock_is_hotpluggable(struct memblock_region *m)
{
	return m->flags & MEMBLOCK_HOTPLUG;
}

static inline bool memblock_is_mirror(struct memblock_region *m)
{
	return m->flags & MEMBLOCK_MIRROR;
}

static inline bool memblock_is_nomap(struct memblock_region *m)
{
	return m->flags & MEMBLOCK_NOMAP;
}

static inline bool memblock_is_reserved_noinit(struct memblock_region *m)
{
	return m->flags & MEMBLOCK_RSRV_NOINIT;
}

static inline bool memblock_is_driver_managed(struct memblock_region *m)
{
	return m->flags & MEMBLOCK_DRIVER_MANAGED;
}

/* Without NUMA (memblock_linux_configure with numa = false) the kernel
 * has no nid field: setting does nothing and every region reads node 0. */
static inline void memblock_set_region_node(struct memblock_region *r, int nid)
{
	if (memblock.cfg.numa)
		r->nid = nid;
}

static inline int memblock_get_region_node(const struct memblock_region *r)
{
	return memblock.cfg.numa ? r->nid : 0;
}

static inline unsigned long memblock_region_memory_base_pfn(const struct memblock_region *reg)
{
	return PFN_UP(reg->base);
}

static inline unsigned long memblock_region_memory_end_pfn(const struct memblock_region *reg)
{
	return PFN_DOWN(reg->base + reg->size);
}

static inline unsigned long memblock_region_reserved_base_pfn(const struct memblock_region *reg)
{
	return PFN_DOWN(reg->base);
}

static inline unsigned long memblock_region_reserved_end_pfn(const struct memblock_region *reg)
{
	return PFN_UP(reg->base + reg->size);
}

/* ---- Iterators, kernel argument order ---- */

#define __for_each_mem_range(i, type_a, type_b, nid, flags, p_start, p_end, p_nid)                 \
	for (i = 0, __next_mem_range(&i, nid, flags, type_a, type_b, p_start, p_end, p_nid);       \
	     i != (u64)ULLONG_MAX;                                                                 \
	     __next_mem_range(&i, nid, flags, type_a, type_b, p_start, p_end, p_nid))

#define __for_each_mem_range_rev(i, type_a, type_b, nid, flags, p_start, p_end, p_nid)             \
	for (i = (u64)ULLONG_MAX,                                                                  \
	    __next_mem_range_rev(&i, nid, flags, type_a, type_b, p_start, p_end, p_nid);           \
	     i != (u64)ULLONG_MAX;                                                                 \
	     __next_mem_range_rev(&i, nid, flags, type_a, type_b, p_start, p_end, p_nid))

#define for_each_mem_range(i, p_start, p_end)                                                      \
	__for_each_mem_range(i, &memblock.memory, NULL, NUMA_NO_NODE,                              \
			     MEMBLOCK_HOTPLUG | MEMBLOCK_DRIVER_MANAGED, p_start, p_end, NULL)

#define for_each_mem_range_rev(i, p_start, p_end)                                                  \
	__for_each_mem_range_rev(i, &memblock.memory, NULL, NUMA_NO_NODE,                          \
				 MEMBLOCK_HOTPLUG | MEMBLOCK_DRIVER_MANAGED, p_start, p_end, NULL)

#define for_each_reserved_mem_range(i, p_start, p_end)                                             \
	__for_each_mem_range(i, &memblock.reserved, NULL, NUMA_NO_NODE, MEMBLOCK_NONE, p_start,    \
			     p_end, NULL)

#define for_each_free_mem_range(i, nid, flags, p_start, p_end, p_nid)                              \
	__for_each_mem_range(i, &memblock.memory, &memblock.reserved, nid, flags, p_start, p_end,  \
			     p_nid)

#define for_each_free_mem_range_reverse(i, nid, flags, p_start, p_end, p_nid)                      \
	__for_each_mem_range_rev(i, &memblock.memory, &memblock.reserved, nid, flags, p_start,     \
				 p_end, p_nid)

#define for_each_mem_pfn_range(i, nid, p_start, p_end, p_nid)                                      \
	for (i = -1, __next_mem_pfn_range(&i, nid, p_start, p_end, p_nid); i >= 0;                 \
	     __next_mem_pfn_range(&i, nid, p_start, p_end, p_nid))

#define for_each_physmem_range(i, type, p_start, p_end)                                            \
	for (i = 0, __next_physmem_range(&i, type, p_start, p_end); i != (u64)ULLONG_MAX;          \
	     __next_physmem_range(&i, type, p_start, p_end))

/*
 * Through mb_type_regions(): current with an index too
 * (memblock_linux_set_index()), where writes through @region are lost.
 */
#define for_each_mem_region(region)                                                                \
	for (region = (struct memblock_region *)mb_type_regions(&memblock, &memblock.memory);      \
	     region < (mb_type_regions(&memblock, &memblock.memory) + memblock.memory.cnt);        \
	     region++)

#define for_each_reserved_mem_region(region)                                                       \
	for (region = (struct memblock_region *)mb_type_regions(&memblock, &memblock.reserved);    \
	     region < (mb_type_regions(&memblock, &memblock.reserved) + memblock.reserved.cnt);    \
	     region++)

/* ---- Extensions of this layer (not kernel names) ---- */

/**
 * memblock_linux_default_config() - the configuration of the default instance
 * @cfg: filled with mb_config_default(), NUMA on, the layer's static
 *       128/128/4 region arrays, Linux-style growth and identity
 *       phys_to_virt / virt_to_phys (physical addresses are host addresses)
 *
 * Start from this, change what you need, pass it to memblock_linux_configure().
 */
void memblock_linux_default_config(struct mb_config *cfg);

/**
 * memblock_linux_configure() - (re)initialise the global instance
 * @cfg: settings, hooks and storage; NULL means memblock_linux_default_config().
 *       NULL region arrays are replaced by the layer's static arrays.
 *
 * Forgets every region, the resize permission and the reserve_mem names.
 * Return: 0, or -EINVAL when the core rejects @cfg (instance unchanged).
 */
int memblock_linux_configure(const struct mb_config *cfg);

/**
 * memblock_linux_set_profile() - behave as another kernel version
 * @name: "linux-6.12" (the default) or "linux-6.1"; see docs/core.md for
 *        the unverified older ones
 *
 * Call it before first use: it reconfigures the instance (as
 * memblock_linux_configure() does) with every other setting kept. The
 * build-time alternative is compiling src/linux/linux.c with
 * -DMEMBLOCK_LINUX_PROFILE='"linux-6.1"' (meson: -Dlinux_profile=linux-6.1).
 * Return: 0, or -EINVAL for an unknown name (instance unchanged).
 */
int memblock_linux_set_profile(const char *name);

/**
 * memblock_linux_bind_movable_node() - read movable_node from a variable
 * @flag: read before every call (the kernel's movable_node_is_enabled()),
 *        so a program may flip it at any time; NULL unbinds
 */
void memblock_linux_bind_movable_node(const bool *flag);

/**
 * memblock_linux_set_index() - keep the regions indexed (mb_set_index())
 * @mode: MB_INDEX_OFF (the default: flat arrays, as the kernel keeps them),
 *        MB_INDEX_ON or MB_INDEX_AUTO (indexed from MB_INDEX_AUTO_MAX regions)
 *
 * With an index, every change is O(log n + k) and results stay the
 * kernel's, but memblock.memory.regions and memblock.reserved.regions are
 * only current after mb_type_regions() (for_each_mem_region() calls it),
 * and writes to them or to cnt are not seen: switch back to MB_INDEX_OFF
 * before writing the arrays directly. Index storage comes from the
 * configuration's ops.index_alloc, or malloc() when it has none. The mode
 * is kept across memblock_linux_configure() and memblock_linux_set_profile().
 * Return: 0, -EINVAL for an unknown mode, -ENOMEM when the index storage
 * is refused (instance unchanged).
 */
int memblock_linux_set_index(enum mb_index_mode mode);

/**
 * memblock_linux_map_buffer() - back a physical window with a host buffer
 * @phys_base: physical address of @buf[0]
 * @buf: host memory (owned by the caller, must outlive its use)
 * @size: bytes of @buf
 *
 * Installs phys_to_virt / virt_to_phys for the window on the current
 * instance, keeping every other setting: phys_to_virt(p) is
 * buf + (p - phys_base) inside the window and NULL outside.
 * Return: 0, or -EINVAL for a NULL @buf or a window that wraps.
 */
int memblock_linux_map_buffer(phys_addr_t phys_base, void *buf, size_t size);

/**
 * memblock_linux_set_caller() - label for the next trace lines (%pS)
 * @caller: "symbol+0xoff/0xsize" or any text; NULL prints "0x0"
 */
void memblock_linux_set_caller(const char *caller);

/**
 * memblock_linux_reserve_mem() - the kernel's reserve_mem=size:align:name
 * @size: bytes
 * @align: alignment (raised to at least SMP_CACHE_BYTES)
 * @name: 1..15 characters
 *
 * Return: 0, -EINVAL (bad name/size), -EEXIST (name used), -ENOSPC (8
 * names already), -ENOMEM (allocation failed).
 */
int memblock_linux_reserve_mem(phys_addr_t size, phys_addr_t align, const char *name);

/**
 * memblock_linux_last_error() - MB_E* code of the last failing call
 *
 * Return: 0 when the last call that reports errors succeeded, otherwise
 * the negative MB_E* code the core returned (see mb_strerror()).
 */
int memblock_linux_last_error(void);

/**
 * memblock_linux_pages_freed() - pages released by the last memblock_free_all()
 *
 * Return: page count (the kernel adds it to totalram_pages).
 */
unsigned long memblock_linux_pages_freed(void);

#ifdef __cplusplus
}
#endif

#endif /* MEMBLOCK_LINUX_H */
