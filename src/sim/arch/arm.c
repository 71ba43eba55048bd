/* SPDX-License-Identifier: MIT */
/*
 * arm.c - the 32-bit ARM boot sequence of the 4.x kernels seed 002 ran
 * (arch/arm/kernel/setup.c, arch/arm/mm/init.c, arch/arm/mm/mmu.c),
 * FLATMEM, no LPAE, 32-bit phys_addr_t:
 *
 *   setup_arch
 *     setup_machine_fdt -> early_init_dt_scan_memory  memblock_add
 *     parse_early_param
 *     arm_memblock_init        reserve kernel, initrd, swapper_pg_dir,
 *                              the DTB (early_init_fdt_reserve_self), CMA,
 *                              memblock_dump_all
 *     paging_init
 *       devicemaps_init        vectors page (early_alloc), PTE tables,
 *                              iotable_init static_vm array
 *       zero page              early_alloc(PAGE_SIZE)
 *       bootmem_init -> free_area_init_node
 *                              alloc_node_mem_map (mem_map), setup_usemap
 *     request_standard_resources   one struct resource per memory region
 *     unflatten_device_tree    early_init_dt_alloc_memory_arch (physical
 *                              memblock_alloc in 4.x: only the reserve traced)
 *     reserve_crashkernel      crashkernel=SIZE[@BASE], 128M aligned in lowmem
 *   start_kernel
 *     setup_command_line (3 copies in 4.x), setup_per_cpu_areas,
 *     build_all_zonelists, vfs_caches_init_early, mem_init
 */
#include <stdio.h>
#include <string.h>

#include "../sim_internal.h"
#include "arch.h"

#define SWAPPER_PG_DIR_SIZE 0x4000
#define PAGE_SIZE 4096
#define CRASH_ALIGN (128ull << 20)
#define SECTION_SIZE (1ull << 20)
#define SZ_4G (1ull << 32)

/* arm_add_memory(): one bank, page-aligned inwards, above PHYS_OFFSET. */
static void arm_add_memory(struct sim_boot *b, uint64_t start, uint64_t size,
			   uint64_t phys_offset)
{
	uint64_t aligned = sim_round_up(start, PAGE_SIZE);

	size = aligned > start + size ? 0 : size - (aligned - start);
	if (b->m.phys_bits == 32 && aligned >= SZ_4G) {
		simi_printk(b, SIM_LINE_KERNEL,
			   "Ignoring memory at 0x%08llx outside 32-bit physical address space",
			   (unsigned long long)start);
		return;
	}
	if (b->m.phys_bits == 32 && aligned + size > SZ_4G - 1) {
		simi_printk(b, SIM_LINE_KERNEL,
			   "Truncating memory at 0x%08llx to fit in 32-bit physical address space",
			   (unsigned long long)start);
		size = SZ_4G - 1 - aligned;
	}
	if (aligned < phys_offset) {
		uint64_t end = aligned + size <= phys_offset ? aligned + size : phys_offset;

		simi_printk(b, SIM_LINE_KERNEL, "Ignoring memory below PHYS_OFFSET: 0x%08llx-0x%08llx",
			   (unsigned long long)aligned, (unsigned long long)end);
		if (aligned + size <= phys_offset)
			return;
		size -= phys_offset - aligned;
		aligned = phys_offset;
	}
	size &= ~(uint64_t)(PAGE_SIZE - 1);
	if (!size)
		return;
	simi_caller(b, "arm.mem", "arm_add_memory");
	mb_add(&b->mb, aligned, size);
}

/* One "mem=SIZE[@START]" value as memparse() reads it (garbage is 0). */
static void parse_mem(const char *val, uint64_t phys_offset, uint64_t *start, uint64_t *size)
{
	const char *end = val;

	*start = phys_offset;
	if (mb_memparse(val, &end, size))
		*size = 0;
	if (*end == '@' && mb_memparse(end + 1, NULL, start))
		*start = 0;
}

/*
 * early_mem() for every mem= in command-line order: the first removes all
 * memory, each adds its bank. memblock=debug traces these calls only when
 * it comes first on the line, as parse_early_param() handles them in order.
 */
static void arm_early_mem(struct sim_boot *b, uint64_t phys_offset)
{
	bool debug = b->mb.debug, debug_seen = false, removed = false;
	const char *p = b->cmdline;

	while (*p) {
		size_t n;

		while (*p == ' ')
			p++;
		n = strcspn(p, " ");
		if (n == 14 && !strncmp(p, "memblock=debug", 14))
			debug_seen = true;
		if (n > 4 && !strncmp(p, "mem=", 4)) {
			char val[64];
			uint64_t start, size;

			snprintf(val, sizeof(val), "%.*s", (int)(n - 4), p + 4);
			parse_mem(val, phys_offset, &start, &size);
			b->mb.debug = debug && debug_seen;
			if (!removed) {
				simi_caller(b, "arm.mem", "early_mem");
				mb_remove(&b->mb, mb_start_of_DRAM(&b->mb),
					  mb_end_of_DRAM(&b->mb) - mb_start_of_DRAM(&b->mb));
				removed = true;
			}
			arm_add_memory(b, start, size, phys_offset);
		}
		p += n;
	}
	b->mb.debug = debug;
}

/* memblock_find_in_range(): top-down, the free range search of 4.x. */
static uint64_t find_in_range(struct sim_boot *b, uint64_t start, uint64_t end, uint64_t size,
			      uint64_t align)
{
	mb_phys_addr_t s, e;
	uint64_t i;

	mb_for_each_free_mem_range_reverse(&b->mb, i, MB_NUMA_NO_NODE, MB_FLAG_NONE, &s, &e, NULL) {
		uint64_t lo = s < start ? start : s, hi = e > end ? end : e, cand;

		if (hi < size || hi <= lo)
			continue;
		cand = sim_round_down(hi - size, align);
		if (cand >= lo)
			return cand;
	}
	return 0;
}

static void crash_failed(struct sim_boot *b, uint64_t size, const char *msg)
{
	simi_printk(b, SIM_LINE_KERNEL, "%s", msg);
	simi_fail(b, "crashkernel", size, msg);
}

/* Where the crash kernel goes: 4.x finds and reserves, 6.x allocates. */
static uint64_t place_crash(struct sim_boot *b, uint64_t size, uint64_t base, uint64_t max)
{
	bool fixed = base != 0;
	uint64_t lo = fixed ? base : CRASH_ALIGN, hi = fixed ? base + size : max;
	uint64_t align = fixed ? SECTION_SIZE : CRASH_ALIGN, got;
	mb_phys_addr_t pa = 0;

	simi_caller(b, "crashkernel", "reserve_crashkernel");
	if (b->m.profile == MB_PROFILE_LINUX_6_12 || b->m.profile == MB_PROFILE_LINUX_6_1) {
		if (mb_phys_alloc_range(&b->mb, size, align, lo, hi, &pa))
			pa = 0;
		return pa;
	}
	got = find_in_range(b, lo, hi, size, align);
	if (!got || (fixed && got != base))
		return 0;
	if (mb_reserve(&b->mb, got, size))
		return 0;
	return got;
}

/*
 * reserve_crashkernel(): crashkernel=SIZE[@BASE] (no ,high / ,low on arm)
 * in lowmem below 4G, 128M aligned, or exactly at BASE (1M sections).
 */
static void reserve_crashkernel(struct sim_boot *b)
{
	struct fw_crash_arch rules = { .name = "arm", .align = CRASH_ALIGN };
	uint64_t total = ((uint64_t)b->stats.max_low_pfn - b->stats.min_low_pfn) << 12;
	uint64_t size, base, low, max = mb_end_of_DRAM(&b->mb), got;
	bool high;
	char msg[128];

	rules.legacy_size_check = b->m.profile != MB_PROFILE_LINUX_6_12;
	if (max > SZ_4G - 1)
		max = SZ_4G - 1;
	if (fw_parse_crashkernel(b->cmdline, total, &rules, &size, &base, &low, &high, &b->mb) ||
	    !size)
		return;
	got = place_crash(b, size, base, max);
	if (!got) {
		snprintf(msg, sizeof(msg), "crashkernel reservation failed - %s",
			 base ? "memory is in use." : "No suitable area found.");
		crash_failed(b, size, msg);
		return;
	}
	simi_printk(b, SIM_LINE_KERNEL,
		   "Reserving %luMB of memory at %luMB for crashkernel (System RAM: %luMB)",
		   (unsigned long)(size >> 20), (unsigned long)(got >> 20),
		   (unsigned long)(total >> 20));
}

/* arm_memblock_init() */
static void arm_memblock_init(struct sim_boot *b, uint64_t phys_offset)
{
	const struct sim_kernel *k = &b->m.kernel;

	simi_caller(b, "arm.kernel", "arm_memblock_init");
	mb_reserve(&b->mb, k->start, k->end - k->start);
	if (b->m.initrd_size) { /* arm_initrd_init() */
		uint64_t start = sim_round_down(b->m.initrd_base, PAGE_SIZE);

		simi_caller(b, "arm.initrd", "arm_initrd_init");
		mb_reserve(&b->mb, start, sim_round_up(b->m.initrd_base + b->m.initrd_size,
						       PAGE_SIZE) - start);
	}
	/* arm_mm_memblock_reserve(): swapper_pg_dir below the kernel. */
	simi_caller(b, "arm.pgd", "arm_mm_memblock_reserve");
	mb_reserve(&b->mb, phys_offset + SWAPPER_PG_DIR_SIZE, SWAPPER_PG_DIR_SIZE);
	if (b->m.dtb_size && b->m.dtb_base) { /* early_init_fdt_reserve_self() */
		simi_caller(b, "arm.dtb", "early_init_dt_reserve_memory_arch");
		mb_reserve(&b->mb, b->m.dtb_base, b->m.dtb_size);
	}
	for (int i = 0; i < b->m.nr_extra; i++) {
		simi_caller(b, b->m.extra[i].site, b->m.extra[i].site);
		mb_reserve(&b->mb, b->m.extra[i].base, b->m.extra[i].size);
	}
	simi_dt_scan_reserved_mem(b); /* early_init_fdt_scan_reserved_mem() */
	simi_dma_contiguous_reserve(b, mb_end_of_DRAM(&b->mb));
	simi_memblock_dump_all(b);
}

/*
 * paging_init(): devicemaps_init() takes the vectors page pair and a PTE
 * table for it, iotable_init() its static_vm array (40 bytes per entry),
 * then PTE tables for the debug/fixmap mappings, and the zero page.
 */
static void paging_init(struct sim_boot *b)
{
	mb_set_current_limit(&b->mb, mb_end_of_DRAM(&b->mb)); /* arm_lowmem_limit */
	simi_early_alloc(b, 2 * PAGE_SIZE, 2 * PAGE_SIZE, "devicemaps_init");
	simi_early_alloc(b, PAGE_SIZE, PAGE_SIZE, "early_pte_alloc");
	simi_early_alloc(b, 40, 4, "iotable_init");
	simi_early_alloc(b, PAGE_SIZE, PAGE_SIZE, "early_pte_alloc");
	simi_early_alloc(b, PAGE_SIZE, PAGE_SIZE, "early_pte_alloc");
	simi_early_alloc(b, PAGE_SIZE, PAGE_SIZE, "paging_init"); /* zero page */
}

/* bootmem_init() -> free_area_init_node(): FLATMEM mem_map and usemap. */
static void bootmem_init(struct sim_boot *b)
{
	unsigned long start = (unsigned long)(mb_start_of_DRAM(&b->mb) >> 12);
	unsigned long end = (unsigned long)(mb_end_of_DRAM(&b->mb) >> 12);
	unsigned long map_start = start & ~1023ul;
	unsigned long map_end = (unsigned long)sim_round_up(end, 1024);
	uint64_t usemap_bits = sim_round_up((end - start), 1024) / 1024 * 4;

	b->stats.min_low_pfn = start;
	b->stats.max_low_pfn = end;
	b->stats.max_pfn = end;
	simi_caller(b, "arm.mem_map", "alloc_node_mem_map");
	simi_alloc_nopanic(b, (uint64_t)(map_end - map_start) * b->m.page_struct_size, 0, 0,
			  MB_ALLOC_ACCESSIBLE, 0, "alloc_node_mem_map");
	simi_caller(b, "arm.usemap", "free_area_init_node");
	simi_alloc_nopanic(b, sim_round_up(usemap_bits, 32) / 8, 0, 0, MB_ALLOC_ACCESSIBLE, 0,
			  "setup_usemap");
	b->nr_zones = 1;
	b->zone_names[0] = "Normal";
	b->zone_max_pfn[0] = end;
	b->section_bits = 0; /* FLATMEM */
	b->quiet_zones = true; /* free_area_init_node() prints no zone block */
	simi_free_area_init(b);
}

/* request_standard_resources(): one struct resource per memory region. */
static void request_standard_resources(struct sim_boot *b)
{
	for (unsigned long i = 0; i < b->mb.memory.cnt; i++) {
		simi_caller(b, "arm.resource", "request_standard_resources");
		simi_alloc(b, 32, 0, 0, MB_ALLOC_ACCESSIBLE, MB_NUMA_NO_NODE,
			  "request_standard_resources");
	}
}

static int boot(struct sim_boot *b)
{
	uint64_t phys_offset; /* PHYS_OFFSET: where the kernel's RAM starts */

	simi_add_ram(b, 0);
	phys_offset = mb_start_of_DRAM(&b->mb);
	simi_parse_early_param(b);
	arm_early_mem(b, phys_offset);
	arm_memblock_init(b, phys_offset);
	paging_init(b);
	bootmem_init(b);
	request_standard_resources(b);
	simi_unflatten_device_tree(b);
	reserve_crashkernel(b);
	/* start_kernel() */
	simi_setup_command_line(b, 3);
	simi_setup_per_cpu_areas(b, 0xffffffffull - b->m.percpu.virt_offset);
	simi_build_all_zonelists(b);
	simi_print_command_line(b);
	simi_vfs_caches_init_early(b);
	simi_mem_init(b);
	return 0;
}

/* 32-bit arm has no NUMA support. */
static bool numa_never(enum mb_profile_id profile)
{
	(void)profile;
	return false;
}

/* QEMU vexpress-a9: a 32-bit kernel and its smaller type sizes. */
static void defaults(struct sim_machine *m)
{
	m->phys_bits = 32;
	m->page_struct_size = 32;
	m->kernel.start = 0x60100000;
	m->kernel.end = 0x60a96fb4;
	m->percpu = (struct sim_percpu){ .static_size = 36428, .reserved_size = 8192,
		.dyn_size = 20916, .unit_size = 65536, .long_size = 4, .chunk_size = 68,
		.block_md_size = 20, .extra_slots = 2 };
	m->dt_unflatten_size = 43972;
}

const struct simi_arch_desc simi_arch_arm = {
	.name = "arm",
	.firmware = SIM_FW_DT,
	.fw_arch = FW_ARCH_ARM,
	.kernel_offset = 0x200000,
	.numa = numa_never,
	.defaults = defaults,
	.boot = boot,
};
