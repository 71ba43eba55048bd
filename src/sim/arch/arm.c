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
 *   start_kernel
 *     setup_command_line (3 copies in 4.x), setup_per_cpu_areas,
 *     build_all_zonelists, vfs_caches_init_early, mem_init
 */
#include "../sim_internal.h"

#define SWAPPER_PG_DIR_SIZE 0x4000
#define PAGE_SIZE 4096

/* arm_memblock_init() */
static void arm_memblock_init(struct sim_boot *b)
{
	const struct sim_kernel *k = &b->m.kernel;

	sim_caller(b, "arm.kernel", "arm_memblock_init");
	mb_reserve(&b->mb, k->start, k->end - k->start);
	if (b->m.initrd_size) { /* arm_initrd_init() */
		uint64_t start = sim_round_down(b->m.initrd_base, PAGE_SIZE);

		sim_caller(b, "arm.initrd", "arm_initrd_init");
		mb_reserve(&b->mb, start, sim_round_up(b->m.initrd_base + b->m.initrd_size,
						       PAGE_SIZE) - start);
	}
	/* arm_mm_memblock_reserve(): swapper_pg_dir below the kernel. */
	sim_caller(b, "arm.pgd", "arm_mm_memblock_reserve");
	mb_reserve(&b->mb, mb_start_of_DRAM(&b->mb) + SWAPPER_PG_DIR_SIZE, SWAPPER_PG_DIR_SIZE);
	if (b->m.dtb_size && b->m.dtb_base) { /* early_init_fdt_reserve_self() */
		sim_caller(b, "arm.dtb", "early_init_dt_reserve_memory_arch");
		mb_reserve(&b->mb, b->m.dtb_base, b->m.dtb_size);
	}
	for (int i = 0; i < b->m.nr_extra; i++) {
		sim_caller(b, b->m.extra[i].site, b->m.extra[i].site);
		mb_reserve(&b->mb, b->m.extra[i].base, b->m.extra[i].size);
	}
	sim_dt_scan_reserved_mem(b); /* early_init_fdt_scan_reserved_mem() */
	sim_dma_contiguous_reserve(b, mb_end_of_DRAM(&b->mb));
	sim_memblock_dump_all(b);
}

/*
 * paging_init(): devicemaps_init() takes the vectors page pair and a PTE
 * table for it, iotable_init() its static_vm array (40 bytes per entry),
 * then PTE tables for the debug/fixmap mappings, and the zero page.
 */
static void paging_init(struct sim_boot *b)
{
	mb_set_current_limit(&b->mb, mb_end_of_DRAM(&b->mb)); /* arm_lowmem_limit */
	sim_early_alloc(b, 2 * PAGE_SIZE, 2 * PAGE_SIZE, "devicemaps_init");
	sim_early_alloc(b, PAGE_SIZE, PAGE_SIZE, "early_pte_alloc");
	sim_early_alloc(b, 40, 4, "iotable_init");
	sim_early_alloc(b, PAGE_SIZE, PAGE_SIZE, "early_pte_alloc");
	sim_early_alloc(b, PAGE_SIZE, PAGE_SIZE, "early_pte_alloc");
	sim_early_alloc(b, PAGE_SIZE, PAGE_SIZE, "paging_init"); /* zero page */
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
	sim_caller(b, "arm.mem_map", "alloc_node_mem_map");
	sim_alloc_nopanic(b, (uint64_t)(map_end - map_start) * b->m.page_struct_size, 0, 0,
			  MB_ALLOC_ACCESSIBLE, 0, "alloc_node_mem_map");
	sim_caller(b, "arm.usemap", "free_area_init_node");
	sim_alloc_nopanic(b, sim_round_up(usemap_bits, 32) / 8, 0, 0, MB_ALLOC_ACCESSIBLE, 0,
			  "setup_usemap");
	b->nr_zones = 1;
	b->zone_names[0] = "Normal";
	b->zone_max_pfn[0] = end;
	b->section_bits = 0; /* FLATMEM */
	b->quiet_zones = true; /* free_area_init_node() prints no zone block */
	sim_free_area_init(b);
}

/* request_standard_resources(): one struct resource per memory region. */
static void request_standard_resources(struct sim_boot *b)
{
	for (unsigned long i = 0; i < b->mb.memory.cnt; i++) {
		sim_caller(b, "arm.resource", "request_standard_resources");
		sim_alloc(b, 32, 0, 0, MB_ALLOC_ACCESSIBLE, MB_NUMA_NO_NODE,
			  "request_standard_resources");
	}
}

void sim_arch_arm(struct sim_boot *b)
{
	sim_add_ram(b, 0);
	sim_parse_early_param(b);
	arm_memblock_init(b);
	paging_init(b);
	bootmem_init(b);
	request_standard_resources(b);
	sim_unflatten_device_tree(b);
	/* start_kernel() */
	sim_setup_command_line(b, 3);
	sim_setup_per_cpu_areas(b, 0xffffffffull - b->m.percpu.virt_offset);
	sim_build_all_zonelists(b);
	sim_print_command_line(b);
	sim_vfs_caches_init_early(b);
	sim_mem_init(b);
}
