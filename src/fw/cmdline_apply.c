// SPDX-License-Identifier: MIT
/*
 * cmdline_apply.c - what the command line does to memblock, each option
 * a separate call so the boot simulator can make it at the point of the
 * architecture's sequence where the kernel does.
 */
#include <stdio.h>
#include <string.h>

#include "internal.h"

/* reserve_crashkernel_low(). */
static int crash_reserve_low(struct memblock *mb, const struct fw_crash_arch *arch,
			     uint64_t low_size)
{
	mb_phys_addr_t low_base = 0;

	fwi_caller(mb, FW_CALLER_CRASH_LOW);
	if (mb_phys_alloc_range(mb, low_size, arch->align, 0, arch->low_max, &low_base) ||
	    !low_base) {
		fwi_log(mb, MB_LOG_ERR, "cannot allocate crashkernel low memory (size:0x%llx).",
		       (unsigned long long)low_size);
		return -MB_ENOMEM;
	}
	fwi_log(mb, MB_LOG_INFO, "crashkernel low memory reserved: 0x%08llx - 0x%08llx (%lld MB)",
	       (unsigned long long)low_base, (unsigned long long)(low_base + low_size),
	       (long long)(low_size >> 20));
	return 0;
}

static mb_phys_addr_t crash_try(struct memblock *mb, const struct fw_crash_arch *arch,
				uint64_t size, uint64_t start, uint64_t end)
{
	mb_phys_addr_t base = 0;

	fwi_caller(mb, FW_CALLER_CRASH_GENERIC);
	if (mb_phys_alloc_range(mb, size, arch->align, start, end, &base))
		return 0;
	return base;
}

/* reserve_crashkernel_generic(): the search windows and fallbacks of 6.12. */
static int crash_place(struct memblock *mb, const struct fw_crash_arch *arch, uint64_t size,
		       uint64_t fixed_base, uint64_t low_size, bool high, uint64_t *out_base)
{
	uint64_t search_base = 0, search_end = arch->low_max;
	mb_phys_addr_t base;

	if (fixed_base) {
		search_base = fixed_base;
		search_end = fixed_base + size;
	} else if (high) {
		search_base = arch->low_max;
		search_end = arch->high_max;
	}
	for (;;) {
		base = crash_try(mb, arch, size, search_base, search_end);
		if (base)
			break;
		if (fixed_base) {
			fwi_log(mb, MB_LOG_WARN,
			       "crashkernel reservation failed - memory is in use.");
			return -MB_ENOMEM;
		}
		if (!high && search_end == arch->low_max) {
			search_base = arch->low_max;
			search_end = arch->high_max;
			low_size = arch->default_low;
			continue;
		}
		if (high && search_end == arch->high_max && arch->low_max != arch->high_max) {
			search_base = 0;
			search_end = arch->low_max;
			continue;
		}
		fwi_log(mb, MB_LOG_WARN, "cannot allocate crashkernel (size:0x%llx)",
		       (unsigned long long)size);
		return -MB_ENOMEM;
	}
	if (base >= arch->low_max && low_size && crash_reserve_low(mb, arch, low_size)) {
		fwi_caller(mb, FW_CALLER_CRASH_GENERIC);
		mb_phys_free(mb, base, size);
		return -MB_ENOMEM;
	}
	fwi_log(mb, MB_LOG_INFO, "crashkernel reserved: 0x%016llx - 0x%016llx (%lld MB)",
	       (unsigned long long)base, (unsigned long long)(base + size),
	       (long long)(size >> 20));
	*out_base = base;
	return 0;
}

int fw_reserve_crashkernel(struct memblock *mb, const struct fw_crash_arch *arch,
			   const struct fw_cmdline *cl, uint64_t *out_base, uint64_t *out_size)
{
	uint64_t size, base, low_size = 0, placed = 0;
	bool high;
	int ret;

	if (out_base)
		*out_base = 0;
	if (out_size)
		*out_size = 0;
	if (!mb || !arch || !cl)
		return -MB_EINVAL;
	ret = fw_parse_crashkernel(cl->line, mb_phys_mem_size(mb), arch, &size, &base, &low_size,
				   &high, mb);
	if (ret == -MB_ENOENT)
		return 0;
	if (ret)
		return -MB_EINVAL;
	ret = crash_place(mb, arch, size, base, low_size, high, &placed);
	if (ret)
		return ret;
	if (out_base)
		*out_base = placed;
	if (out_size)
		*out_size = size;
	return 0;
}

int fw_apply_mem_limit(struct memblock *mb, enum fw_arch arch, const struct fw_cmdline *cl)
{
	if (!mb || !cl)
		return -MB_EINVAL;
	if (!cl->mem_set)
		return 0;
	if (arch == FW_ARCH_ARM64)
		return mb_mem_limit_remove_map(mb, cl->mem_limit);
	if (arch == FW_ARCH_RISCV64)
		return mb_enforce_memory_limit(mb, cl->mem_limit);
	return 0;
}

int fw_reserve_mem_one(struct memblock *mb, const struct fw_reserve_mem_arg *arg)
{
	if (!mb || !arg)
		return -MB_EINVAL;
	fwi_caller(mb, FW_CALLER_RESERVE_MEM);
	return mb_reserve_mem(mb, arg->size, arg->align, arg->name);
}

int fw_reserve_mem(struct memblock *mb, const struct fw_cmdline *cl)
{
	int first = 0;

	if (!mb || !cl)
		return -MB_EINVAL;
	for (int i = 0; i < cl->nr_reserve_mem; i++) {
		int ret = fw_reserve_mem_one(mb, &cl->reserve_mem[i]);

		if (ret && !first)
			first = ret;
	}
	return first;
}

/* string_get_size(size, 1, STRING_UNITS_2): three significant digits. */
static void size_text(uint64_t size, char *buf, size_t len)
{
	static const char *const units[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
	unsigned int u = 0;
	uint64_t rem = 0;

	while (size >= 1024 && u < 6) {
		rem = size % 1024;
		size /= 1024;
		u++;
	}
	rem = rem * 1000 / 1024;
	if (u == 0)
		snprintf(buf, len, "%llu %s", (unsigned long long)size, units[u]);
	else if (size < 10)
		snprintf(buf, len, "%llu.%02llu %s", (unsigned long long)size,
			 (unsigned long long)(rem / 10), units[u]);
	else if (size < 100)
		snprintf(buf, len, "%llu.%llu %s", (unsigned long long)size,
			 (unsigned long long)(rem / 100), units[u]);
	else
		snprintf(buf, len, "%llu %s", (unsigned long long)size, units[u]);
}

/* __alloc_bootmem_huge_page(): one page on @nid, head page initialised. */
static bool huge_alloc_one(struct memblock *mb, uint64_t size, int nid)
{
	mb_phys_addr_t phys = 0;
	void *virt = NULL;

	fwi_caller(mb, FW_CALLER_HUGE_PAGE);
	if (mb_alloc_try_nid_raw(mb, size, size, 0, MB_ALLOC_ACCESSIBLE, nid, &virt, &phys))
		return false;
	mb_reserved_mark_noinit(mb, phys + FW_PAGE_SIZE, size - FW_PAGE_SIZE);
	return true;
}

static int next_online(const bool *online, int nr, int from)
{
	for (int i = 0; i < nr; i++) {
		int nid = (from + i) % nr;

		if (online[nid])
			return nid;
	}
	return 0;
}

static unsigned long huge_alloc_nodes(struct memblock *mb, const struct fw_hugepages *h,
				      const bool *online, int nr_nodes)
{
	unsigned long total = 0;
	char buf[32];

	size_text(h->page_size, buf, sizeof(buf));
	for (int nid = 0; nid < nr_nodes && nid < FW_MAX_NODES; nid++) {
		unsigned long i;

		if (!online[nid] || !h->node_count[nid])
			continue;
		for (i = 0; i < h->node_count[nid]; i++)
			if (!huge_alloc_one(mb, h->page_size, nid))
				break;
		total += i;
		if (i < h->node_count[nid])
			fwi_log(mb, MB_LOG_WARN,
			       "HugeTLB: allocating %lu of page size %s failed node%d.  Only "
			       "allocated %lu hugepages.",
			       h->node_count[nid], buf, nid, i);
	}
	return total;
}

static unsigned long huge_alloc_balanced(struct memblock *mb, const struct fw_hugepages *h,
					 const bool *online, int nr_nodes)
{
	int next = next_online(online, nr_nodes, 0);
	unsigned long i;
	char buf[32];

	for (i = 0; i < h->count; i++) {
		int nid = next_online(online, nr_nodes, next);

		next = next_online(online, nr_nodes, nid + 1);
		if (!huge_alloc_one(mb, h->page_size, nid))
			break;
	}
	if (i < h->count) {
		size_text(h->page_size, buf, sizeof(buf));
		fwi_log(mb, MB_LOG_WARN,
		       "HugeTLB: allocating %lu of page size %s failed.  Only allocated %lu "
		       "hugepages.",
		       h->count, buf, i);
	}
	return i;
}

int fw_reserve_gigantic_pages(struct memblock *mb, const struct fw_cmdline *cl,
			      const bool *node_online, int nr_nodes, uint64_t gigantic_min,
			      unsigned long *allocated)
{
	static const bool node0_only[1] = {true};

	if (!mb || !cl || nr_nodes < 0)
		return -MB_EINVAL;
	if (!node_online || nr_nodes == 0) {
		node_online = node0_only;
		nr_nodes = 1;
	}
	for (int i = 0; i < cl->nr_hugepages; i++) {
		const struct fw_hugepages *h = &cl->hugepages[i];
		unsigned long got = 0;

		if (h->page_size >= gigantic_min && h->count) {
			if (h->per_node)
				got = huge_alloc_nodes(mb, h, node_online, nr_nodes);
			else
				got = huge_alloc_balanced(mb, h, node_online, nr_nodes);
		}
		if (allocated)
			allocated[i] = got;
	}
	return 0;
}

int fw_reserve_initrd(struct memblock *mb, uint64_t start, uint64_t size, uint64_t page_size)
{
	uint64_t base, len;

	if (!mb || !page_size || (page_size & (page_size - 1)))
		return -MB_EINVAL;
	if (!size)
		return 0;
	base = start & ~(page_size - 1);
	len = size + (start - base);
	if (len > UINT64_MAX - page_size)
		return -MB_ERANGE;
	len = (len + page_size - 1) & ~(page_size - 1);
	if (!mb_is_region_memory(mb, base, len)) {
		fwi_log(mb, MB_LOG_ERR,
		       "INITRD: 0x%08llx+0x%08llx is not a memory region - disabling initrd",
		       (unsigned long long)base, (unsigned long long)len);
		return -MB_ENOENT;
	}
	if (mb_is_region_reserved(mb, base, len)) {
		/* pr_err() ends its line here; the pr_cont() makes a second one */
		fwi_log(mb, MB_LOG_ERR, "INITRD: 0x%08llx+0x%08llx overlaps in-use memory region",
		       (unsigned long long)base, (unsigned long long)len);
		fwi_log(mb, MB_LOG_ERR, " - disabling initrd");
		return -MB_ENOENT;
	}
	fwi_caller(mb, FW_CALLER_INITRD);
	return mb_reserve(mb, base, len);
}
