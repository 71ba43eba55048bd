/* SPDX-License-Identifier: MIT */
/*
 * sim_internal.h - what the architecture sequences share: the boot
 * context, printk, caller labels and the generic mm/ steps (sparse,
 * percpu, zones, hash tables, handover) that several architectures run.
 */
#ifndef MEMBLOCK_SIM_INTERNAL_H
#define MEMBLOCK_SIM_INTERNAL_H

#include <stdarg.h>

#include <memblock/json.h>
#include <memblock/fw.h>
#include <memblock/memblock.h>
#include <memblock/memtest.h>
#include <memblock/sim.h>
#include <memblock/simram.h>

#define SIM_REGIONS 128

struct simi_arch_desc;

struct sim_boot {
	struct sim_machine m;
	const struct simi_arch_desc *arch; /* src/sim/arch/arch.h */
	struct sim_options opts;
	struct sim_sink sink;
	struct fw_cmdline cl;	 /* parse_early_param() through src/fw */
	enum fw_arch fw_arch;	 /* the rules src/fw applies to the options */
	char cmdline[2 * SIM_CMDLINE_MAX];

	struct memblock mb;
	struct memblock_region memory_regions[SIM_REGIONS];
	struct memblock_region reserved_regions[SIM_REGIONS];
	struct mb_simram *ram;
	struct fw_dt *dt;	 /* device tree firmware, NULL without --dtb */
	void *dtb_blob;

	enum sim_line_kind kind; /* kind of the core's non-debug lines now */
	bool printing_debug;	 /* memblock=debug (or early_debug) is in effect */
	const char *rename_from; /* next trace line's function name ... */
	const char *rename_to;	 /* ... printed as this (4.x _nopanic) */
	char last_line[160];	 /* last non-trace line the core or fw printed */
	struct sim_stats stats;
	struct mb_memtest_result memtest;

	/* What the arch derives (pfns). */
	unsigned long zone_max_pfn[4]; /* DMA, DMA32, NORMAL ends; 0 = no zone */
	const char *zone_names[4];
	int nr_zones;
	unsigned int section_bits;     /* SECTION_SIZE_BITS */
	unsigned int max_physmem_bits; /* MAX_PHYSMEM_BITS */
	unsigned int pageblock_order;
	bool quiet_zones;	       /* free_area_init_node(): no zone block */
	bool vmemmap_huge;	       /* vmemmap mapped with 2M blocks (x86, arm64) */
	unsigned int vmemmap_levels;   /* table levels below the static pgd */
	uint64_t memmap_min_addr;      /* __pa(MAX_DMA_ADDRESS) */
	int nr_nodes;
	bool node_possible[SIM_MAX_NODES]; /* NUMA init's nodes, memory-less ones too */
	unsigned long nr_kernel_pages; /* free_area_init_core() totals */
	unsigned long nr_all_pages;
	unsigned long total_pages;     /* "Built N zonelists ... Total pages" */
	bool numa;
	uint64_t dma_phys_limit;       /* where CMA and crashkernel low go */
	unsigned long cma_pages;
};

struct fw_dt;

/* Device tree firmware (src/sim/dt.c). */
int simi_dt_open(struct sim_boot *b);
bool simi_dt_scan_memory(struct sim_boot *b);
void simi_dt_unflatten_size(struct sim_boot *b);
void simi_dt_scan_reserved_mem(struct sim_boot *b);
void simi_dt_close(struct sim_boot *b);

/* Printing. */
void simi_printk(struct sim_boot *b, enum sim_line_kind kind, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
const char *simi_pa(const struct sim_boot *b, uint64_t addr, char *buf); /* %pa */

/* Name the caller of the next memblock calls: site key, default label. */
void simi_caller(struct sim_boot *b, const char *site, const char *fallback);

/* Record an allocation failure (the caller printed the kernel's line). */
void simi_fail(struct sim_boot *b, const char *what, uint64_t size, const char *message);

/* memblock_alloc*() wrappers that report failure like the kernel's panic text. */
uint64_t simi_alloc(struct sim_boot *b, uint64_t size, uint64_t align, uint64_t min_addr,
		   uint64_t max_addr, int nid, const char *what);
uint64_t simi_alloc_raw(struct sim_boot *b, uint64_t size, uint64_t align, uint64_t min_addr,
		       uint64_t max_addr, int nid, const char *what);
uint64_t simi_alloc_exact_nid_raw(struct sim_boot *b, uint64_t size, uint64_t align,
				 uint64_t min_addr, uint64_t max_addr, int nid, const char *what);
/* A virtual allocation whose failure the caller handles: true when done. */
bool simi_try_alloc(struct sim_boot *b, bool raw, uint64_t size, uint64_t align, uint64_t min_addr,
		   uint64_t max_addr, int nid, uint64_t *out);
uint64_t simi_alloc_nopanic(struct sim_boot *b, uint64_t size, uint64_t align, uint64_t min_addr,
			   uint64_t max_addr, int nid, const char *what);
/* memblock_alloc() of the physical API: only the reserve is traced. */
uint64_t simi_early_alloc(struct sim_boot *b, uint64_t size, uint64_t align, const char *what);
/* memblock_free_early()/memblock_free(): the profile picks the name. */
void simi_free(struct sim_boot *b, uint64_t phys, uint64_t size);
uint64_t simi_phys_alloc(struct sim_boot *b, uint64_t size, uint64_t align, const char *what);

/* Label a src/fw caller with the preset's site (NULL site: the fw default). */
void simi_fw_caller(struct sim_boot *b, enum fw_caller which, const char *site);

/* Generic steps (src/sim/mm.c), named after the kernel functions. */
void simi_parse_early_param(struct sim_boot *b);
void simi_early_memtest(struct sim_boot *b, uint64_t start, uint64_t end);
void simi_dma_contiguous_reserve(struct sim_boot *b, uint64_t limit);
void simi_reserve_crashkernel(struct sim_boot *b, uint64_t align);
void simi_reserve_crashkernel_generic(struct sim_boot *b, uint64_t low_max);
void simi_unflatten_device_tree(struct sim_boot *b);
void simi_sparse_init(struct sim_boot *b, uint64_t memmap_min_addr);
void simi_free_area_init(struct sim_boot *b);
void simi_setup_command_line(struct sim_boot *b, int nr_copies);
void simi_setup_per_cpu_areas(struct sim_boot *b, uint64_t fc_min_addr);
void simi_build_all_zonelists(struct sim_boot *b);
void simi_print_command_line(struct sim_boot *b);
void simi_parse_args(struct sim_boot *b);
void simi_vfs_caches_init_early(struct sim_boot *b);
void simi_mem_init(struct sim_boot *b);
void simi_memblock_dump_all(struct sim_boot *b);
void simi_add_ram(struct sim_boot *b, uint64_t min_addr);
unsigned long simi_memmap_pages(const struct sim_boot *b, unsigned long spanned,
			       unsigned long present);

/* arch_numa_init() of arm64 and riscv64 (src/sim/numa.c). */
void simi_arch_numa_init(struct sim_boot *b);

static inline uint64_t sim_round_up(uint64_t v, uint64_t a)
{
	return a ? (v + a - 1) / a * a : v;
}

static inline uint64_t sim_round_down(uint64_t v, uint64_t a)
{
	return a ? v / a * a : v;
}

/* report.c: a JSON string literal, for the boot and diff documents. */

#endif
