// SPDX-License-Identifier: MIT
/*
 * profile.c - the kernel versions we reproduce, as data (spec: profile),
 * and the small named policy hooks that read it at their call sites.
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
		.verified_against = "6.12.118 (Debian linux-source-6.12 6.12.118-1~deb12u1)",
		.free_all_sets_reserved_nodes = true,
		.nid_rule = MB_NID_INVALID_IS_ANY,
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
		.verified_against = "6.1.192 (Debian linux-source-6.1 6.1.192-3)",
		.merge_whole_array = true,
		.resize_refusal_silent = true,
		.nid_rule = MB_NID_MAX_DEPRECATED,
		.flags_missing = MB_FLAG_RSRV_NOINIT,
		.calls_missing = MB_CALL_RESERVED_MARK_NOINIT | MB_CALL_VALIDATE_NUMA_COVERAGE |
				 MB_CALL_ESTIMATED_NR_FREE_PAGES | MB_CALL_HAS_MIRROR |
				 MB_CALL_RESERVE_MEM,
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
		.unverified = true,
		.merge_whole_array = true,
		.resize_refusal_silent = true,
		.nid_rule = MB_NID_MAX_DEPRECATED,
		.flags_missing = MB_FLAG_DRIVER_MANAGED | MB_FLAG_RSRV_NOINIT,
		.calls_missing = MB_CALL_RESERVED_MARK_NOINIT | MB_CALL_VALIDATE_NUMA_COVERAGE |
				 MB_CALL_ESTIMATED_NR_FREE_PAGES | MB_CALL_HAS_MIRROR |
				 MB_CALL_RESERVE_MEM,
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
		.unverified = true,
		.merge_whole_array = true,
		.resize_refusal_silent = true,
		.nid_rule = MB_NID_MAX_DEPRECATED,
		.flags_missing = MB_FLAG_DRIVER_MANAGED | MB_FLAG_RSRV_NOINIT,
		.calls_missing = MB_CALL_RESERVED_MARK_NOINIT | MB_CALL_VALIDATE_NUMA_COVERAGE |
				 MB_CALL_ESTIMATED_NR_FREE_PAGES | MB_CALL_HAS_MIRROR |
				 MB_CALL_RESERVE_MEM,
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

bool mb_profile_has_call(const struct memblock *mb, unsigned int call)
{
	return !mb || !(mbi_prof(mb)->calls_missing & call);
}

/* __next_mem_pfn_range(): 6.1 and older match every node only for MAX_NUMNODES. */
bool mbi_pfn_nid_is_any(const struct memblock *mb, int nid)
{
	if (mbi_prof(mb)->nid_rule == MB_NID_MAX_DEPRECATED)
		return nid == mbi_max_numnodes(mb);
	return !mbi_valid_node(mb, nid);
}

/*
 * MAX_NUMNODES, where the kernel deprecated it (mbi_nid_filter()): it
 * becomes NUMA_NO_NODE with a WARN_ONCE per call site (@site, one bit);
 * the flag lives with the event counters, which even a read-only walk
 * may update.
 */
int mbi_nid_deprecated(const struct memblock *mb, unsigned int site, const char *func)
{
	struct memblock *w = (struct memblock *)mb;

	if (!(w->stats.warned_once & site)) {
		w->stats.warned_once |= site;
		mbi_print(mb, MB_LOG_WARN, "WARNING: ", func,
			 ": Usage of MAX_NUMNODES is deprecated. Use NUMA_NO_NODE instead");
	}
	return MB_NUMA_NO_NODE;
}

/* 6.12's memblock_merge_regions() window, or the whole array for older kernels. */
void mbi_merge_window(const struct memblock *mb, const struct memblock_type *type,
		     unsigned long *start_rgn, unsigned long *end_rgn)
{
	if (!mbi_prof(mb)->merge_whole_array)
		return;
	*start_rgn = 0;
	*end_rgn = type->cnt;
}
