// SPDX-License-Identifier: MIT
/*
 * profile.c - the kernel versions we reproduce, as data (spec: profile).
 */
#include "internal.h"

static const struct mb_profile profiles[MB_PROFILE_COUNT] = {
	[MB_PROFILE_LINUX_6_12] = {
		.name = "linux-6.12",
		.empty_dummy = false,
		.trace_phys_free = "memblock_phys_free",
		.trace_free_early = "memblock_phys_free",
		.trace_alloc_try_nid = "memblock_alloc_try_nid",
		.trace_alloc_try_nid_raw = "memblock_alloc_try_nid_raw",
		.trace_alloc_exact_nid_raw = "memblock_alloc_exact_nid_raw",
		.flags_known = 0x1f,
	},
	[MB_PROFILE_LINUX_6_1] = {
		.name = "linux-6.1",
		.empty_dummy = true,
		.trace_phys_free = "memblock_phys_free",
		.trace_free_early = "memblock_phys_free",
		.trace_alloc_try_nid = "memblock_alloc_try_nid",
		.trace_alloc_try_nid_raw = "memblock_alloc_try_nid_raw",
		.trace_alloc_exact_nid_raw = "memblock_alloc_exact_nid_raw",
		.flags_known = 0x0f,
	},
	[MB_PROFILE_LINUX_5_4] = {
		.name = "linux-5.4",
		.empty_dummy = true,
		.trace_phys_free = "memblock_free",
		.trace_free_early = "memblock_free",
		.trace_alloc_try_nid = "memblock_alloc_try_nid",
		.trace_alloc_try_nid_raw = "memblock_alloc_try_nid_raw",
		.trace_alloc_exact_nid_raw = "memblock_alloc_exact_nid_raw",
		.flags_known = 0x07,
	},
	[MB_PROFILE_LINUX_4_X] = {
		.name = "linux-4.x",
		.empty_dummy = true,
		.trace_phys_free = "memblock_free",
		.trace_free_early = "__memblock_free_early",
		.trace_free_early_llx = true,
		.trace_alloc_try_nid = "memblock_virt_alloc_try_nid",
		.trace_alloc_try_nid_raw = "memblock_virt_alloc_try_nid_raw",
		.trace_alloc_exact_nid_raw = "memblock_alloc_exact_nid_raw",
		.trace_alloc_try_nid_nopanic = "memblock_virt_alloc_try_nid_nopanic",
		.trace_alloc_short_addrs = true,
		.virt_alloc_reserves_itself = true,
		.flags_known = 0x07,
	},
};

const struct mb_profile *mb_profile(enum mb_profile_id id)
{
	if ((unsigned int)id >= MB_PROFILE_COUNT)
		return NULL;
	return &profiles[id];
}

static bool same(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return *a == *b;
}

const struct mb_profile *mb_profile_by_name(const char *name)
{
	unsigned int i;

	if (!name)
		return NULL;
	for (i = 0; i < MB_PROFILE_COUNT; i++) {
		const char *full = profiles[i].name;

		/* "linux-6.12" or just "6.12" */
		if (same(name, full) || same(name, full + 6))
			return &profiles[i];
	}
	return NULL;
}
