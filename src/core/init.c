// SPDX-License-Identifier: MIT
/*
 * init.c - configuration, initialisation and the small settings helpers.
 */
#include "internal.h"

static const char *const mb_error_text[] = {
	[MB_OK] = "success",
	[MB_ENOMEM] = "out of memory",
	[MB_EINVAL] = "invalid argument",
	[MB_ERANGE] = "address out of range",
	[MB_ENOSPC] = "region array full",
	[MB_EPERM] = "array resize not allowed yet",
	[MB_ENOENT] = "not found",
	[MB_EEXIST] = "already exists",
	[MB_ESTATE] = "invalid in current state",
	[MB_ECORRUPT] = "invariant violated",
	[MB_ENOTSUP] = "not in this profile's kernel version",
	[MB_EBUDGET] = "more pages than the max_pages budget",
	[MB_EINTR] = "interrupted",
};

const char *mb_strerror(int err)
{
	if (err < 0)
		err = -err;
	if (err >= (int)(sizeof(mb_error_text) / sizeof(mb_error_text[0])))
		return "unknown error";
	return mb_error_text[err];
}

/* See memblock.h: 6.12, NUMA (MAX_NUMNODES 64), Linux growth, debug off. */
void mb_config_default(struct mb_config *cfg)
{
	if (!cfg)
		return;
	mb_zero(cfg, sizeof(*cfg));
	cfg->profile = mb_profile(MB_PROFILE_LINUX_6_12);
	cfg->phys_bits = (unsigned int)(sizeof(mb_phys_addr_t) * CHAR_BIT);
	cfg->page_size = MB_DEFAULT_PAGE_SIZE;
	cfg->smp_cache_bytes = MB_DEFAULT_SMP_CACHE_BYTES;
	cfg->low_address_limit = MB_DEFAULT_LOW_ADDRESS_LIMIT;
	cfg->max_page_order = MB_DEFAULT_MAX_PAGE_ORDER;
	cfg->max_numnodes = MB_DEFAULT_MAX_NUMNODES;
	cfg->numa = true;
	cfg->grow_policy = MB_GROW_LINUX;
	cfg->callers.alloc_range_nid = "memblock_alloc_range_nid";
	cfg->callers.alloc_internal = "memblock_virt_alloc_internal";
	cfg->callers.double_array = "memblock_double_array";
	cfg->callers.free_all = "memblock_free_all";
}

static bool config_valid(const struct mb_config *cfg)
{
	if (!cfg->memory_regions || !cfg->reserved_regions)
		return false;
	if (!cfg->memory_max || !cfg->reserved_max)
		return false;
	if (cfg->physmem_regions && !cfg->physmem_max)
		return false;
	if (!mbi_is_pow2(cfg->page_size) || !mbi_is_pow2(cfg->smp_cache_bytes))
		return false;
	if (cfg->page_size < MB_REGION_ALIGN || cfg->smp_cache_bytes < MB_REGION_ALIGN)
		return false;
	if (cfg->phys_bits != 32 && cfg->phys_bits != 64)
		return false;
	if (cfg->phys_bits > sizeof(mb_phys_addr_t) * CHAR_BIT)
		return false;
	if (cfg->max_numnodes < 1 || cfg->max_page_order > 30)
		return false;
	return (unsigned int)cfg->grow_policy <= MB_GROW_FIXED;
}

/* Empty type: the profile's convention (spec section 1). */
static void init_type(struct memblock *mb, struct memblock_type *type,
		      struct memblock_region *regions, unsigned long max, char *name)
{
	type->regions = regions;
	type->max = max;
	type->name = name;
	type->total_size = 0;
	type->cnt = 0;
	if (!regions)
		return;
	mb_zero(regions, max * sizeof(*regions));
	if (mbi_prof(mb)->empty_dummy) {
		/* 6.1: one zero-sized dummy, nid 0 (a static zeroed array). */
		type->cnt = 1;
		return;
	}
	mbi_set_region_nid(mb, &regions[0], mbi_max_numnodes(mb));
}

int mb_init(struct memblock *mb, const struct mb_config *cfg)
{
	if (!mb || !cfg || !config_valid(cfg))
		return -MB_EINVAL;
	mb_zero(mb, sizeof(*mb));
	mb->cfg = *cfg;
	if (!mb->cfg.profile)
		mb->cfg.profile = mb_profile(MB_PROFILE_LINUX_6_12);
	mb->debug = cfg->debug;
	mb->bottom_up = false;
	mb->current_limit = mbi_phys_max(mb);
	init_type(mb, &mb->memory, cfg->memory_regions, cfg->memory_max, "memory");
	init_type(mb, &mb->reserved, cfg->reserved_regions, cfg->reserved_max, "reserved");
	init_type(mb, &mb->physmem, cfg->physmem_regions, cfg->physmem_regions ?
		  cfg->physmem_max : 0, "physmem");
	return 0;
}

/* See memblock.h. The pointer is kept: it must outlive the calls it names. */
void mb_set_caller(struct memblock *mb, const char *caller)
{
	if (mb)
		mb->caller = caller;
}

/* See memblock.h. */
const struct mb_config *mb_get_config(const struct memblock *mb)
{
	return mb ? &mb->cfg : NULL;
}

/* See memblock.h. */
void mb_set_ops(struct memblock *mb, const struct mb_ops *ops)
{
	if (mb && ops)
		mb->cfg.ops = *ops;
}

/* See memblock.h. */
void mb_set_callers(struct memblock *mb, const struct mb_callers *callers)
{
	if (mb && callers)
		mb->cfg.callers = *callers;
}

/* See memblock.h. */
void mb_set_movable_node(struct memblock *mb, bool enable)
{
	if (mb)
		mb->cfg.movable_node = enable;
}

/* See memblock.h. */
void mb_set_mirrored_kernelcore(struct memblock *mb, bool enable)
{
	if (mb)
		mb->cfg.mirrored_kernelcore = enable;
}

/**
 * mb_set_current_limit() - memblock_set_current_limit()
 * @mb: instance
 * @limit: highest end for MB_ALLOC_ACCESSIBLE allocations and array growth
 */
void mb_set_current_limit(struct memblock *mb, mb_phys_addr_t limit)
{
	if (mb)
		mb->current_limit = limit;
}

mb_phys_addr_t mb_get_current_limit(const struct memblock *mb)
{
	return mb ? mb->current_limit : 0;
}

void mb_set_bottom_up(struct memblock *mb, bool enable)
{
	if (mb)
		mb->bottom_up = enable;
}

bool mb_bottom_up(const struct memblock *mb)
{
	return mb ? mb->bottom_up : false;
}

/**
 * mb_allow_resize() - memblock_allow_resize(): arrays may grow from now on
 * @mb: instance
 */
void mb_allow_resize(struct memblock *mb)
{
	if (mb)
		mb->resize_allowed = true;
}

/* ---- settings helpers ---- */

static unsigned int page_shift(const struct memblock *mb)
{
	unsigned int shift = 0;

	while (((mb_phys_addr_t)1 << shift) < mb->cfg.page_size)
		shift++;
	return shift;
}

unsigned long mbi_pfn_up(const struct memblock *mb, mb_phys_addr_t addr)
{
	return (unsigned long)((addr + mb->cfg.page_size - 1) >> page_shift(mb));
}

unsigned long mbi_pfn_down(const struct memblock *mb, mb_phys_addr_t addr)
{
	return (unsigned long)(addr >> page_shift(mb));
}
