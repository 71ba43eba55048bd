/* SPDX-License-Identifier: MIT */
/*
 * riscv64.c - the RISC-V boot sequence (arch/riscv/kernel/setup.c,
 * arch/riscv/mm/init.c) of the kernels before 5.16 that seed 000 ran:
 *
 *   setup_arch
 *     parse_dtb -> early_init_dt_scan_memory      memblock_add (DT memory)
 *     parse_early_param                           memblock=debug, memtest=
 *     paging_init
 *       setup_bootmem                             enforce limit, reserve
 *                                                 kernel / initrd / DTB,
 *                                                 CMA, allow_resize
 *       setup_vm_final -> alloc_pmd_fixmap        linear map page tables
 *     unflatten_device_tree                       early_init_dt_alloc_memory_arch
 *     misc_mem_init                               early_memtest, arch_numa_init
 *                                                 (NUMA kernels, 5.12+), sparse_init,
 *                                                 zone_sizes_init, crashkernel,
 *                                                 memblock_dump_all
 *     init_resources                              resource array, unused tail freed
 *   start_kernel
 *     setup_command_line, setup_per_cpu_areas, build_all_zonelists,
 *     parse_args (hugepages), vfs_caches_init_early, mm_init -> mem_init
 *
 * Each memblock call names its site; presets map sites to the caller
 * labels of the kernel build (presets/riscv-virt-1g/machine.conf).
 */
#include "../sim_internal.h"
#include "arch.h"

#define SZ_1G (1ull << 30)
#define SZ_4G (4ull << 30)
#define PMD_SIZE (2ull << 20)
#define RISCV_LINEAR_MAX (128ull << 30) /* -PAGE_OFFSET on Sv39 */

static uint64_t pfn_phys(unsigned long pfn)
{
	return (uint64_t)pfn << 12;
}

/* setup_bootmem() */
static void setup_bootmem(struct sim_boot *b, uint64_t *dma32_limit)
{
	const struct sim_kernel *k = &b->m.kernel;
	uint64_t limit = b->m.max_mem ? b->m.max_mem : RISCV_LINEAR_MAX;
	uint64_t start = k->start, end = k->end;

	/* memory_limit: the size of the linear map, or mem= when smaller. */
	if (b->cl.mem_set && b->cl.mem_limit < limit)
		fw_apply_mem_limit(&b->mb, FW_ARCH_RISCV64, &b->cl);
	else
		mb_enforce_memory_limit(&b->mb, limit);

	/* Reserve from the start of the kernel to the end of the kernel,
	 * rounded to PMD_SIZE with STRICT_KERNEL_RWX (5.13 - 5.15). */
	if (k->reserve_align)
		end = sim_round_up(end, k->reserve_align);
	simi_caller(b, "riscv.kernel", "setup_bootmem");
	mb_reserve(&b->mb, start, end - start);

	b->stats.max_pfn = (unsigned long)(mb_end_of_DRAM(&b->mb) >> 12);
	b->stats.max_low_pfn = b->stats.max_pfn;
	b->stats.min_low_pfn = (unsigned long)((mb_start_of_DRAM(&b->mb) + 4095) >> 12);
	*dma32_limit = pfn_phys(b->stats.max_low_pfn) < SZ_4G ? pfn_phys(b->stats.max_low_pfn) :
								  SZ_4G;

	/* reserve_initrd_mem() */
	if (b->m.initrd_size) {
		uint64_t istart = sim_round_down(b->m.initrd_base, 4096);

		simi_caller(b, "riscv.initrd", "reserve_initrd_mem");
		mb_reserve(&b->mb, istart, b->m.initrd_base + b->m.initrd_size - istart);
	}
	/* The DTB is reserved by hand: __pa() does not work on fixmap pointers. */
	if (b->m.dtb_size && b->m.dtb_base) {
		simi_caller(b, "riscv.dtb", "setup_bootmem");
		mb_reserve(&b->mb, b->m.dtb_base, b->m.dtb_size);
	}
	for (int i = 0; i < b->m.nr_extra; i++) {
		simi_caller(b, b->m.extra[i].site, b->m.extra[i].site);
		mb_reserve(&b->mb, b->m.extra[i].base, b->m.extra[i].size);
	}
	simi_dt_scan_reserved_mem(b); /* early_init_fdt_scan_reserved_mem() */
	simi_dma_contiguous_reserve(b, *dma32_limit);
	mb_allow_resize(&b->mb);
}

/*
 * setup_vm_final(): one PMD table per 1G pgd entry of the linear map
 * (2M mappings), then one for the kernel mapping at 0xffffffff80000000.
 */
static void setup_vm_final(struct sim_boot *b)
{
	mb_phys_addr_t start, end;
	uint64_t i, last = UINT64_MAX, phys_base = mb_start_of_DRAM(&b->mb);

	mb_for_each_mem_range(&b->mb, i, &start, &end) {
		for (uint64_t pa = start; pa < end; pa += PMD_SIZE) {
			uint64_t pgd = (pa - phys_base) / SZ_1G;

			if (pgd == last)
				continue;
			last = pgd;
			simi_caller(b, "riscv.pmd", "alloc_pmd_fixmap");
			simi_phys_alloc(b, 4096, 4096, "alloc_pmd_fixmap");
		}
	}
	simi_caller(b, "riscv.pmd", "alloc_pmd_fixmap");
	simi_phys_alloc(b, 4096, 4096, "alloc_pmd_fixmap"); /* create_kernel_page_table */
}

/* zone_sizes_init(): DMA32 below 4G, Normal up to max_low_pfn. */
static void zone_sizes_init(struct sim_boot *b, uint64_t dma32_limit)
{
	b->nr_zones = 2;
	b->zone_names[0] = "DMA32";
	b->zone_max_pfn[0] = (unsigned long)(dma32_limit >> 12);
	b->zone_names[1] = "Normal";
	b->zone_max_pfn[1] = b->stats.max_low_pfn;
	simi_free_area_init(b);
}

/* misc_mem_init() */
static void misc_mem_init(struct sim_boot *b, uint64_t dma32_limit)
{
	simi_early_memtest(b, pfn_phys(b->stats.min_low_pfn), pfn_phys(b->stats.max_low_pfn));
	if (b->numa)
		simi_arch_numa_init(b);
	simi_sparse_init(b, mb_start_of_DRAM(&b->mb)); /* __pa(MAX_DMA_ADDRESS) */
	zone_sizes_init(b, dma32_limit);
	simi_reserve_crashkernel(b, PMD_SIZE);
	simi_memblock_dump_all(b);
}

/*
 * init_resources(): one struct resource (64 bytes) per memory and reserved
 * region, plus one; reserved regions inside memory reuse their slot, and
 * the unused tail of the array is given back.
 */
static void init_resources(struct sim_boot *b)
{
	const struct memblock_region *r;
	unsigned long num = b->mb.memory.cnt + b->mb.reserved.cnt + 1, used;
	uint64_t res;

	simi_caller(b, "riscv.resources", "init_resources");
	res = simi_alloc(b, num * 64, 64, 0, MB_ALLOC_ACCESSIBLE, MB_NUMA_NO_NODE,
			"init_resources");
	if (!res)
		return;
	used = b->mb.memory.cnt;
	mb_for_each_reserved_mem_region(&b->mb, r)
		if (!mb_is_memory(&b->mb, sim_round_down(r->base, 4096)))
			used++;
	if (used < num) {
		simi_caller(b, "riscv.resources_free", "init_resources");
		simi_free(b, res, (num - used) * 64);
	}
}

static void setup_arch(struct sim_boot *b)
{
	uint64_t dma32_limit;
	uint64_t phys_offset = b->m.phys_offset;

	simi_add_ram(b, phys_offset); /* parse_dtb() */
	simi_parse_early_param(b); /* early_mem() prints "Memory limited to" */
	setup_bootmem(b, &dma32_limit); /* paging_init() */
	setup_vm_final(b);
	simi_unflatten_device_tree(b);
	b->section_bits = 27;
	b->max_physmem_bits = 56;
	b->pageblock_order = 9;
	b->vmemmap_huge = false; /* vmemmap_populate_basepages() */
	misc_mem_init(b, dma32_limit);
	init_resources(b);
}

static int boot(struct sim_boot *b)
{
	setup_arch(b);
	/* start_kernel() */
	simi_setup_command_line(b, 2);
	simi_setup_per_cpu_areas(b, mb_start_of_DRAM(&b->mb));
	simi_build_all_zonelists(b);
	simi_print_command_line(b);
	simi_parse_args(b);
	simi_vfs_caches_init_early(b);
	simi_mem_init(b);
	return 0;
}

/* riscv64 kernels are NUMA builds from 5.12 on (the 6.x profiles). */
static bool numa_build(enum mb_profile_id profile)
{
	return profile == MB_PROFILE_LINUX_6_12 || profile == MB_PROFILE_LINUX_6_1;
}

/* QEMU virt with OpenSBI: the kernel 2M above the firmware at 0x80000000. */
static void defaults(struct sim_machine *m)
{
	m->kernel.start = 0x80200000;
	m->kernel.end = 0x81efaec5;
	m->kernel.reserve_align = 0x200000;
	m->cma_size = 32ull << 20;
}

const struct simi_arch_desc simi_arch_riscv64 = {
	.name = "riscv64",
	.firmware = SIM_FW_DT,
	.fw_arch = FW_ARCH_RISCV64,
	.kernel_offset = 0x200000,
	.numa = numa_build,
	.defaults = defaults,
	.boot = boot,
};
