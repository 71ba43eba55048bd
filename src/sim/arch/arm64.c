/* SPDX-License-Identifier: MIT */
/*
 * arm64.c - the arm64 boot sequence (arch/arm64/kernel/setup.c,
 * arch/arm64/mm/init.c, arch/arm64/mm/mmu.c, Linux 6.x), 4K pages,
 * 48-bit VA, as seed 004 walks through arm64_memblock_init():
 *
 *   setup_arch
 *     setup_machine_fdt        memblock_add (DT memory), reserve the DTB
 *     parse_early_param
 *     arm64_memblock_init      remove memory above PHYS_MASK and outside
 *                              the linear map, mem=, reserve the kernel
 *                              and initrd, early_init_fdt_scan_reserved_mem
 *     paging_init              6.1: map_kernel page tables; map_mem
 *                              page tables; 6.1: free init_pg_dir, idmap
 *     bootmem_init             memtest, NUMA (device tree or one faked node),
 *                              NODE_DATA,
 *                              zone_sizes_init, sparse_init, CMA,
 *                              crashkernel, memblock_dump_all
 *     unflatten_device_tree
 *   start_kernel
 *     setup_command_line, setup_per_cpu_areas, build_all_zonelists,
 *     hugepages, mem_init
 */
#include "../sim_internal.h"
#include "arch.h"

#define PHYS_MASK_SHIFT 48
#define LINEAR_REGION (1ull << 47) /* VA_BITS 48: half the space */
#define MEMSTART_ALIGN (1ull << 30)
#define SZ_1G (1ull << 30)
#define SZ_4G (4ull << 30)
#define PMD_SIZE_ARM64 (2ull << 20)

static void setup_machine_fdt(struct sim_boot *b)
{
	simi_add_ram(b, 0);
	if (b->m.dtb_size && b->m.dtb_base) {
		simi_caller(b, "arm64.dtb", "setup_machine_fdt");
		mb_reserve(&b->mb, b->m.dtb_base, b->m.dtb_size);
	}
}

/* memblock_remove(base, ULLONG_MAX) for a base the phys width may not reach. */
static void remove_above(struct sim_boot *b, uint64_t base)
{
	if (base > (uint64_t)MB_PHYS_ADDR_MAX)
		return;
	mb_remove(&b->mb, (mb_phys_addr_t)base, MB_PHYS_ADDR_MAX - (mb_phys_addr_t)base);
}

/* arm64_memblock_init() */
static void arm64_memblock_init(struct sim_boot *b)
{
	const struct sim_kernel *k = &b->m.kernel;
	uint64_t memstart, limit_end;

	simi_caller(b, "arm64.remove", "arm64_memblock_init");
	remove_above(b, 1ull << PHYS_MASK_SHIFT);
	memstart = sim_round_down(mb_start_of_DRAM(&b->mb), MEMSTART_ALIGN);
	if (mb_end_of_DRAM(&b->mb) - memstart > LINEAR_REGION)
		simi_printk(b, SIM_LINE_KERNEL,
			   "Memory doesn't fit in the linear mapping, VA_BITS too small");
	limit_end = memstart + LINEAR_REGION > k->end ? memstart + LINEAR_REGION : k->end;
	if (mb_end_of_DRAM(&b->mb) > limit_end)
		remove_above(b, limit_end);
	if (b->cl.mem_set) { /* memory_limit != PHYS_ADDR_MAX */
		fw_apply_mem_limit(&b->mb, FW_ARCH_ARM64, &b->cl);
		simi_caller(b, "arm64.kernel_add", "arm64_memblock_init");
		mb_add(&b->mb, k->start, k->end - k->start);
	}
	if (b->m.initrd_size) {
		uint64_t base = sim_round_down(b->m.initrd_base, 4096);
		uint64_t size = sim_round_up(b->m.initrd_base + b->m.initrd_size, 4096) - base;

		simi_caller(b, "arm64.initrd", "arm64_memblock_init");
		mb_remove(&b->mb, base, size); /* clear MEMBLOCK_ flags */
		mb_add(&b->mb, base, size);
		mb_reserve(&b->mb, base, size);
	}
	simi_caller(b, "arm64.kernel", "arm64_memblock_init");
	mb_reserve(&b->mb, k->start + b->m.arm64_reserve_start,
		   k->end - k->start - b->m.arm64_reserve_start);
	for (int i = 0; i < b->m.nr_extra; i++) {
		simi_caller(b, b->m.extra[i].site, b->m.extra[i].site);
		mb_reserve(&b->mb, b->m.extra[i].base, b->m.extra[i].size);
	}
	simi_dt_scan_reserved_mem(b); /* early_init_fdt_scan_reserved_mem() */
}

/*
 * paging_init() -> map_mem(): the linear map uses 1G blocks where it can;
 * one PUD table, and a PMD table for each GiB only partly covered.
 */
static void pgtable_page(struct sim_boot *b)
{
	mb_phys_addr_t table;

	simi_caller(b, "arm64.pgtable", "early_pgtable_alloc");
	mb_phys_alloc_range(&b->mb, 4096, 4096, 0, MB_ALLOC_NOLEAKTRACE, &table);
}

/*
 * map_mem() with rodata=full (can_set_direct_map()): the linear map in
 * 4 KiB pages, except the kernel text and rodata, mapped afterwards with
 * 2 MiB blocks where a whole block lies inside. One PUD table, a PMD
 * table per GiB, a PTE table per 2 MiB of RAM not block-mapped.
 */
static void map_mem_pages(struct sim_boot *b)
{
	uint64_t ks = b->m.kernel.start + b->m.arm64_kernel_map_start;
	uint64_t ke = b->m.kernel.start + b->m.arm64_kernel_map_end;
	uint64_t last_gib = UINT64_MAX, last_pmd = UINT64_MAX;
	mb_phys_addr_t start, end;
	uint64_t i;

	pgtable_page(b); /* the PUD table below swapper's PGD entry */
	mb_for_each_mem_range(&b->mb, i, &start, &end) {
		for (uint64_t a = sim_round_down(start, PMD_SIZE_ARM64); a < end;
		     a += PMD_SIZE_ARM64) {
			if (a / SZ_1G != last_gib) {
				last_gib = a / SZ_1G;
				pgtable_page(b);
			}
			if (a >= ks && a + PMD_SIZE_ARM64 <= ke)
				continue; /* a block mapping */
			if (a / PMD_SIZE_ARM64 != last_pmd) {
				last_pmd = a / PMD_SIZE_ARM64;
				pgtable_page(b);
			}
		}
	}
	mb_allow_resize(&b->mb);
}

/*
 * 6.1 paging_init(): map_kernel() into the empty swapper_pg_dir first,
 * then map_mem(); then init_pg_dir, the boot mapping at the end of the
 * image, goes back and create_idmap() builds the idmap.
 */
static void paging_init_layout(struct sim_boot *b)
{
	const struct sim_kernel *k = &b->m.kernel;
	uint64_t n;

	for (n = 0; n < b->m.arm64_map_kernel_pages; n++)
		pgtable_page(b);
	map_mem_pages(b);
	if (b->m.arm64_init_pg_dir_size) {
		simi_caller(b, "arm64.init_pg_dir", "paging_init");
		mb_phys_free(&b->mb, k->end - b->m.arm64_init_pg_dir_size,
			     b->m.arm64_init_pg_dir_size);
	}
	for (n = 0; n < b->m.arm64_idmap_pages; n++)
		pgtable_page(b);
}

static void paging_init(struct sim_boot *b)
{
	mb_phys_addr_t start, end, table;
	uint64_t i;

	if (b->m.arm64_kernel_map_end) {
		paging_init_layout(b);
		return;
	}

	simi_caller(b, "arm64.pgtable", "early_pgtable_alloc");
	mb_phys_alloc_range(&b->mb, 4096, 4096, 0, MB_ALLOC_NOLEAKTRACE, &table);
	mb_for_each_mem_range(&b->mb, i, &start, &end) {
		if (start % SZ_1G) {
			simi_caller(b, "arm64.pgtable", "early_pgtable_alloc");
			mb_phys_alloc_range(&b->mb, 4096, 4096, 0, MB_ALLOC_NOLEAKTRACE, &table);
		}
		if (end % SZ_1G && end / SZ_1G != start / SZ_1G) {
			simi_caller(b, "arm64.pgtable", "early_pgtable_alloc");
			mb_phys_alloc_range(&b->mb, 4096, 4096, 0, MB_ALLOC_NOLEAKTRACE, &table);
		}
	}
	mb_allow_resize(&b->mb);
}

/* bootmem_init() */
static void bootmem_init(struct sim_boot *b)
{
	uint64_t dram_end = mb_end_of_DRAM(&b->mb);
	uint64_t dma_limit = dram_end < SZ_4G ? dram_end : SZ_4G;

	b->stats.min_low_pfn = (unsigned long)(mb_start_of_DRAM(&b->mb) >> 12);
	b->stats.max_pfn = (unsigned long)(dram_end >> 12);
	b->stats.max_low_pfn = b->stats.max_pfn;
	simi_early_memtest(b, (uint64_t)b->stats.min_low_pfn << 12, dram_end);
	simi_arch_numa_init(b);
	b->section_bits = 27;
	b->max_physmem_bits = 48;
	b->pageblock_order = 9;
	b->vmemmap_huge = true;
	b->nr_zones = 3;
	b->zone_names[0] = "DMA";
	b->zone_max_pfn[0] = (unsigned long)(dma_limit >> 12);
	b->zone_names[1] = "DMA32";
	b->zone_max_pfn[1] = (unsigned long)(dma_limit >> 12);
	b->zone_names[2] = "Normal";
	b->zone_max_pfn[2] = b->stats.max_pfn;
	simi_sparse_init(b, 0);
	simi_free_area_init(b); /* zone_sizes_init() */
	simi_dma_contiguous_reserve(b, dma_limit);
	simi_reserve_crashkernel_generic(b, dma_limit); /* CRASH_ADDR_LOW_MAX */
	simi_memblock_dump_all(b);
}

static int boot(struct sim_boot *b)
{
	setup_machine_fdt(b);
	simi_parse_early_param(b);
	arm64_memblock_init(b);
	paging_init(b);
	/* 6.x: unflatten_device_tree() before bootmem_init() (NUMA needs the DT) */
	if (b->m.profile == MB_PROFILE_LINUX_6_12 || b->m.profile == MB_PROFILE_LINUX_6_1)
		simi_unflatten_device_tree(b);
	bootmem_init(b);
	if (b->m.profile != MB_PROFILE_LINUX_6_12 && b->m.profile != MB_PROFILE_LINUX_6_1)
		simi_unflatten_device_tree(b);
	/* start_kernel() */
	simi_setup_command_line(b, 2);
	simi_setup_per_cpu_areas(b, 0);
	simi_build_all_zonelists(b);
	simi_print_command_line(b);
	simi_parse_args(b);
	simi_vfs_caches_init_early(b);
	simi_mem_init(b);
	return 0;
}

/* QEMU virt: the kernel image near the start of RAM at 1G. */
static void defaults(struct sim_machine *m)
{
	m->kernel.start = 0x40210000;
	m->kernel.end = 0x42000000;
	m->cma_size = 32ull << 20;
}

const struct simi_arch_desc simi_arch_arm64 = {
	.name = "arm64",
	.firmware = SIM_FW_DT,
	.fw_arch = FW_ARCH_ARM64,
	.kernel_offset = 0x200000,
	.numa = simi_arch_numa_always,
	.defaults = defaults,
	.boot = boot,
};
