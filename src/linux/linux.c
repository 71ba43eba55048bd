// SPDX-License-Identifier: MIT
/*
 * linux.c - <memblock/linux.h>: the kernel's memblock API over one global
 * instance. Every function is a thin wrapper: it makes sure the instance
 * is initialised, calls the matching mb_* function and turns our result
 * into the kernel's convention (0 / NULL for failed allocations, -ENOMEM
 * or -EINVAL for failed operations, void where the kernel returns void).
 */
#include <stdlib.h>

#include <memblock/linux.h>

#include "linux_internal.h"

struct memblock memblock;

unsigned long max_low_pfn;
unsigned long min_low_pfn;
unsigned long max_pfn;
unsigned long long max_possible_pfn;

static struct memblock_region memory_init_regions[MB_INIT_REGIONS];
static struct memblock_region reserved_init_regions[MB_INIT_REGIONS];
static struct memblock_region physmem_init_regions[MB_INIT_PHYSMEM_REGIONS];

static bool initialised;
static enum mb_index_mode index_mode = MB_INDEX_OFF;
bool ml_ready;
int ml_last_error;
static unsigned long pages_freed;
static const bool *movable_node_flag;

/* The identity mapping of the kernel's user-space harness (default). */
static void *identity_phys_to_virt(void *ctx, mb_phys_addr_t phys, mb_phys_addr_t size)
{
	(void)ctx;
	(void)size;
	return (void *)(uintptr_t)phys;
}

static mb_phys_addr_t identity_virt_to_phys(void *ctx, const void *virt)
{
	(void)ctx;
	return (mb_phys_addr_t)(uintptr_t)virt;
}

/*
 * The build-time choices (compile this file with -D...): the kernel
 * version to behave as, and the NUMA configuration of the kernel build.
 */
static void apply_build_choices(struct mb_config *cfg)
{
#ifdef MEMBLOCK_LINUX_PROFILE
	cfg->profile = mb_profile_by_name(MEMBLOCK_LINUX_PROFILE);
#endif
#ifdef MEMBLOCK_LINUX_MAX_NUMNODES
	cfg->max_numnodes = MEMBLOCK_LINUX_MAX_NUMNODES;
	cfg->numa = MEMBLOCK_LINUX_MAX_NUMNODES > 1;
#endif
	(void)cfg;
}

void memblock_linux_default_config(struct mb_config *cfg)
{
	mb_config_default(cfg);
	apply_build_choices(cfg);
	cfg->memory_regions = memory_init_regions;
	cfg->memory_max = MB_INIT_REGIONS;
	cfg->reserved_regions = reserved_init_regions;
	cfg->reserved_max = MB_INIT_REGIONS;
	cfg->physmem_regions = physmem_init_regions;
	cfg->physmem_max = MB_INIT_PHYSMEM_REGIONS;
	cfg->ops.phys_to_virt = identity_phys_to_virt;
	cfg->ops.virt_to_phys = identity_virt_to_phys;
}

static void *heap_index_alloc(void *ctx, size_t bytes)
{
	(void)ctx;
	return malloc(bytes ? bytes : 1);
}

static void heap_index_free(void *ctx, void *mem, size_t bytes)
{
	(void)ctx;
	(void)bytes;
	free(mem);
}

static void fill_missing_storage(struct mb_config *cfg)
{
	if (!cfg->ops.index_alloc) {
		cfg->ops.index_alloc = heap_index_alloc;
		cfg->ops.index_free = heap_index_free;
		cfg->ops.index_ctx = NULL;
	}
	if (!cfg->memory_regions) {
		cfg->memory_regions = memory_init_regions;
		cfg->memory_max = MB_INIT_REGIONS;
	}
	if (!cfg->reserved_regions) {
		cfg->reserved_regions = reserved_init_regions;
		cfg->reserved_max = MB_INIT_REGIONS;
	}
	if (!cfg->physmem_regions) {
		cfg->physmem_regions = physmem_init_regions;
		cfg->physmem_max = MB_INIT_PHYSMEM_REGIONS;
	}
}

int memblock_linux_configure(const struct mb_config *cfg)
{
	struct mb_config local;
	struct memblock scratch;
	int err;

	if (cfg)
		local = *cfg;
	else
		memblock_linux_default_config(&local);
	fill_missing_storage(&local);

	/* Try a scratch instance first so a rejected config changes nothing. */
	err = mb_init(&scratch, &local);
	if (err)
		return -EINVAL;
	if (initialised)
		mb_set_index(&memblock, MB_INDEX_OFF); /* frees the old index */
	mb_init(&memblock, &local);
	/* Refused, the index stays off: slower, the results the same. */
	mb_set_index(&memblock, index_mode);
	initialised = true;
	ml_ready = !movable_node_flag;
	ml_last_error = 0;
	pages_freed = 0;
	return 0;
}

struct memblock *ml_instance_slow(void)
{
	if (!initialised)
		memblock_linux_configure(NULL);
	if (movable_node_flag)
		mb_set_movable_node(&memblock, *movable_node_flag);
	return &memblock;
}

void memblock_linux_bind_movable_node(const bool *flag)
{
	movable_node_flag = flag;
	ml_ready = initialised && !flag;
	ml_instance();
}

int memblock_linux_set_index(enum mb_index_mode mode)
{
	int err;

	if ((unsigned int)mode > MB_INDEX_AUTO)
		return -EINVAL;
	err = mb_set_index(ml_instance(), mode);
	if (err)
		return err == -MB_EINVAL ? -EINVAL : -ENOMEM;
	index_mode = mode;
	return 0;
}

int memblock_linux_set_profile(const char *name)
{
	const struct mb_profile *profile = mb_profile_by_name(name);
	struct mb_config cfg;

	if (!profile)
		return -EINVAL;
	cfg = *mb_get_config(ml_instance());
	cfg.profile = profile;
	return memblock_linux_configure(&cfg);
}

/* Runs before main() so that memblock.current_limit etc. read right. */
__attribute__((constructor)) static void memblock_linux_init(void)
{
	ml_instance();
}

/* The kernel's errno for @err, an MB_E* code other than 0. */
int ml_errno(int err)
{
	/* Growth before allow_resize panics in Linux; a refused or failed
	 * growth is -ENOMEM there. Everything else is a bad argument. */
	switch (-err) {
	case MB_ENOMEM:
	case MB_ENOSPC:
	case MB_EPERM:
		return -ENOMEM;
	case MB_EEXIST:
		return -EEXIST;
	default:
		return -EINVAL;
	}
}

int memblock_linux_last_error(void)
{
	return ml_last_error;
}

unsigned long memblock_linux_pages_freed(void)
{
	return pages_freed;
}

void memblock_linux_set_caller(const char *caller)
{
	mb_set_caller(ml_instance(), caller);
}

int memblock_linux_reserve_mem(phys_addr_t size, phys_addr_t align, const char *name)
{
	int err = mb_reserve_mem(ml_instance(), size, align, name);

	if (err == -MB_ENOSPC) {
		ml_last_error = err;
		return -ENOSPC;
	}
	return ml_result(err);
}

int reserve_mem_find_by_name(const char *name, phys_addr_t *start, phys_addr_t *size)
{
	return mb_reserve_mem_find(ml_instance(), name, start, size) == 0;
}

/* ---- Adding and removing ---- */

void memblock_allow_resize(void)
{
	mb_allow_resize(ml_instance());
}

int memblock_add_node(phys_addr_t base, phys_addr_t size, int nid, enum memblock_flags flags)
{
	return ml_result(mb_add_node(ml_instance(), base, size, nid, flags));
}

int memblock_add(phys_addr_t base, phys_addr_t size)
{
	return ml_result(mb_add(ml_instance(), base, size));
}

int memblock_remove(phys_addr_t base, phys_addr_t size)
{
	return ml_result(mb_remove(ml_instance(), base, size));
}

int memblock_phys_free(phys_addr_t base, phys_addr_t size)
{
	return ml_result(mb_phys_free(ml_instance(), base, size));
}

int memblock_reserve(phys_addr_t base, phys_addr_t size)
{
	return ml_result(mb_reserve(ml_instance(), base, size));
}

int memblock_physmem_add(phys_addr_t base, phys_addr_t size)
{
	return ml_result(mb_physmem_add(ml_instance(), base, size));
}

void memblock_free(void *ptr, size_t size)
{
	ml_result(mb_free(ml_instance(), ptr, size));
}

/* ---- Flags and nodes ---- */

int memblock_mark_hotplug(phys_addr_t base, phys_addr_t size)
{
	return ml_result(mb_mark_hotplug(ml_instance(), base, size));
}

int memblock_clear_hotplug(phys_addr_t base, phys_addr_t size)
{
	return ml_result(mb_clear_hotplug(ml_instance(), base, size));
}

int memblock_mark_mirror(phys_addr_t base, phys_addr_t size)
{
	return ml_result(mb_mark_mirror(ml_instance(), base, size));
}

int memblock_mark_nomap(phys_addr_t base, phys_addr_t size)
{
	return ml_result(mb_mark_nomap(ml_instance(), base, size));
}

int memblock_clear_nomap(phys_addr_t base, phys_addr_t size)
{
	return ml_result(mb_clear_nomap(ml_instance(), base, size));
}

int memblock_reserved_mark_noinit(phys_addr_t base, phys_addr_t size)
{
	return ml_result(mb_reserved_mark_noinit(ml_instance(), base, size));
}

int memblock_set_node(phys_addr_t base, phys_addr_t size, struct memblock_type *type, int nid)
{
	struct memblock *mb = ml_instance();

	/* A kernel without CONFIG_NUMA compiles the whole body out. */
	if (!mb->cfg.numa)
		return ml_result(0);
	return ml_result(mb_set_node(mb, base, size, type, nid));
}

/* ---- Settings ---- */

void memblock_set_current_limit(phys_addr_t limit)
{
	mb_set_current_limit(ml_instance(), limit);
}

phys_addr_t memblock_get_current_limit(void)
{
	return mb_get_current_limit(ml_instance());
}

/* ---- Trimming and limits ---- */

void memblock_trim_memory(phys_addr_t align)
{
	ml_result(mb_trim_memory(ml_instance(), align));
}

void memblock_enforce_memory_limit(phys_addr_t memory_limit)
{
	ml_result(mb_enforce_memory_limit(ml_instance(), memory_limit));
}

void memblock_mem_limit_remove_map(phys_addr_t limit)
{
	ml_result(mb_mem_limit_remove_map(ml_instance(), limit));
}

void memblock_cap_memory_range(phys_addr_t base, phys_addr_t size)
{
	ml_result(mb_cap_memory_range(ml_instance(), base, size));
}

/* ---- Handover ---- */

void memblock_free_all(void)
{
	unsigned long pages = 0;

	ml_result(mb_free_all(ml_instance(), max_low_pfn, &pages));
	pages_freed = pages;
}

void memblock_free_late(phys_addr_t base, phys_addr_t size)
{
	ml_result(mb_free_late(ml_instance(), base, size));
}

void memblock_discard(void)
{
	ml_result(mb_discard(ml_instance()));
}

/* ---- Output ---- */

void memblock_dump_all(void)
{
	mb_dump_all(ml_instance());
}

void __memblock_dump_all(void)
{
	mb_dump(ml_instance());
}

/* ---- A host buffer as physical memory ---- */

struct buffer_window {
	mb_phys_addr_t phys_base;
	mb_phys_addr_t size;
	unsigned char *buf;
};

static struct buffer_window window;

static void *window_phys_to_virt(void *ctx, mb_phys_addr_t phys, mb_phys_addr_t size)
{
	const struct buffer_window *w = ctx;

	if (phys < w->phys_base || phys - w->phys_base > w->size)
		return NULL;
	if (size > w->size - (phys - w->phys_base))
		return NULL;
	return w->buf + (phys - w->phys_base);
}

static mb_phys_addr_t window_virt_to_phys(void *ctx, const void *virt)
{
	const struct buffer_window *w = ctx;
	const unsigned char *p = virt;

	/* Outside the window: an address no region can hold. */
	if (p < w->buf || (mb_phys_addr_t)(p - w->buf) >= w->size)
		return MB_PHYS_ADDR_MAX;
	return w->phys_base + (mb_phys_addr_t)(p - w->buf);
}

int memblock_linux_map_buffer(phys_addr_t phys_base, void *buf, size_t size)
{
	struct memblock *mb = ml_instance();
	struct mb_ops ops = mb_get_config(mb)->ops;

	if (!buf || (mb_phys_addr_t)size > MB_PHYS_ADDR_MAX - phys_base)
		return -EINVAL;
	window.phys_base = phys_base;
	window.size = size;
	window.buf = buf;
	ops.phys_to_virt = window_phys_to_virt;
	ops.virt_to_phys = window_virt_to_phys;
	ops.mem_zero = NULL;
	ops.mem_ctx = &window;
	mb_set_ops(mb, &ops);
	return 0;
}
