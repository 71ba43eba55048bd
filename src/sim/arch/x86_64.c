/* SPDX-License-Identifier: MIT */
/*
 * x86_64.c - the x86_64 boot sequence (arch/x86/kernel/setup.c,
 * arch/x86/mm/init.c, arch/x86/mm/numa.c, Linux 6.x) over the E820 and
 * SRAT front ends of src/fw:
 *
 *   setup_arch
 *     early_reserve_memory     kernel, first 64K, BIOS regions below 1M
 *     e820__memory_setup       "BIOS-provided physical RAM map:"
 *     parse_early_param        mem=, memmap= applied to the E820 table
 *     trim_bios_range          "e820: update ...", "e820: remove ..."
 *     e820__end_of_ram_pfn     "last_pfn = ... max_arch_pfn = ..."
 *     find_smp_config, reserve_brk   platform reservations (preset)
 *     e820__memblock_setup     memblock_add per usable entry, dump
 *     init_mem_mapping         memory_map_top_down probe, early_memtest
 *     initmem_init             SRAT: PXM/node lines, NUMA merges, NODE_DATA
 *     dma_contiguous_reserve, arch_reserve_crashkernel
 *     paging_init              sparse_init, zone_sizes_init
 *   start_kernel
 *     setup_command_line, setup_per_cpu_areas, build_all_zonelists,
 *     hugepages, mem_init
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <memblock/fw.h>

#include "../sim_internal.h"
#include "arch.h"

#define SZ_64K 0x10000ull
#define BIOS_END 0x100000ull
#define BIOS_START_MAX 0x9f000ull
#define MAX_ARCH_PFN (1ull << 34)
#define PMD_SIZE (2ull << 20)

struct x86_state {
	struct fw_e820_table e820;
	struct fw_numa numa;
	struct fw_srat srat;
	uint64_t max_pfn, max_low_pfn;
};

/* early_reserve_memory() */
static void early_reserve_memory(struct sim_boot *b, const struct fw_e820_table *t)
{
	const struct sim_kernel *k = &b->m.kernel;
	uint64_t bios_start = BIOS_START_MAX;

	simi_caller(b, "x86.kernel", "early_reserve_memory");
	mb_reserve(&b->mb, k->start, k->end - k->start);
	simi_caller(b, "x86.lowmem", "early_reserve_memory");
	mb_reserve(&b->mb, 0, SZ_64K);
	if (b->m.initrd_size) { /* early_reserve_initrd() */
		simi_caller(b, "x86.initrd", "early_reserve_initrd");
		mb_reserve(&b->mb, sim_round_down(b->m.initrd_base, 4096),
			   sim_round_up(b->m.initrd_base + b->m.initrd_size, 4096) -
				   sim_round_down(b->m.initrd_base, 4096));
	}
	/* reserve_bios_regions(): from the EBDA (end of low RAM) to 1M. */
	for (uint32_t i = 0; i < t->nr_entries; i++) {
		const struct fw_e820_entry *e = &t->entries[i];

		if (e->type == FW_E820_RAM && e->addr < BIOS_END && e->addr + e->size < BIOS_END) {
			uint64_t end = sim_round_down(e->addr + e->size, 4096);

			if (end < bios_start)
				bios_start = end;
		}
	}
	simi_caller(b, "x86.bios", "reserve_bios_regions");
	mb_reserve(&b->mb, bios_start, BIOS_END - bios_start);
}

static int load_e820(struct sim_boot *b, struct fw_e820_table *t)
{
	void *buf;
	size_t len;
	int ret;

	if (!b->m.e820_path[0]) { /* --mem: one usable entry per range */
		t->nr_entries = 0;
		for (int i = 0; i < b->m.nr_ram && i < FW_E820_MAX; i++)
			t->entries[t->nr_entries++] = (struct fw_e820_entry){
				b->m.ram[i].base, b->m.ram[i].size, FW_E820_RAM };
		return 0;
	}
	ret = fw_read_file(b->m.e820_path, &buf, &len, &b->mb);
	if (ret)
		return ret;
	ret = fw_e820_parse_text(buf, len, b->m.e820_path, t, &b->mb);
	if (ret == -MB_EINVAL)
		ret = fw_e820_parse_binary(buf, len, b->m.e820_path, t, &b->mb);
	free(buf);
	return ret;
}

/*
 * The direct map init_mem_mapping() builds, at the granularity that decides
 * how many page-table pages it takes: which 512 GiB PUD pages and 1 GiB
 * PMD pages exist, and per 2 MiB entry whether it is a large page or has
 * a PTE page. The boot page tables (level3_ident_pgt, level2_ident_pgt)
 * already map the first GiB with 2 MiB pages. 4-level paging, no 1 GiB
 * pages (QEMU's default CPUs have no pdpe1gb).
 */
#define PGT_MAX_GIB 1024ull
enum { PMD_NONE = 0, PMD_LARGE, PMD_PTE };

struct x86_pgt {
	bool pud[PGT_MAX_GIB / 512];
	bool pmd[PGT_MAX_GIB];
	uint8_t entry[PGT_MAX_GIB * 512];
	uint64_t buf_end, buf_top; /* the early page-table buffer in .brk: next page, end */
	bool can_use_brk;
	uint64_t min_mapped, max_mapped; /* bytes: alloc_low_pages() window */
	unsigned long from_memblock;
};

static void pgt_alloc(struct sim_boot *b, struct x86_pgt *p)
{
	mb_phys_addr_t pa;

	if (p->buf_end + 4096 <= p->buf_top && p->can_use_brk) {
		p->buf_end += 4096;
		return;
	}
	simi_caller(b, "x86.alloc_low_pages", "alloc_low_pages");
	if (mb_phys_alloc_range(&b->mb, 4096, 4096, p->min_mapped, p->max_mapped, &pa))
		simi_fail(b, "alloc_low_pages", 4096, "Cannot allocate page table page");
	else
		p->from_memblock++;
}

/* kernel_physical_mapping_init() for [s, e), 2 MiB pages when @large. */
static void pgt_map(struct sim_boot *b, struct x86_pgt *p, uint64_t s, uint64_t e, bool large)
{
	for (uint64_t a = s; a < e; a = (a | (PMD_SIZE - 1)) + 1) {
		uint64_t gib = a >> 30, m = a >> 21;

		if (gib >= PGT_MAX_GIB)
			return;
		if (!p->pud[gib / 512]) {
			pgt_alloc(b, p);
			p->pud[gib / 512] = true;
		}
		if (!p->pmd[gib]) {
			pgt_alloc(b, p);
			p->pmd[gib] = true;
		}
		if (p->entry[m] == PMD_PTE || (p->entry[m] == PMD_LARGE && large))
			continue;
		if (large) {
			p->entry[m] = PMD_LARGE;
			continue;
		}
		pgt_alloc(b, p);
		p->entry[m] = PMD_PTE;
	}
}

/* init_memory_mapping(): split_mem_range() into 4K head, 2M body, 4K tail. */
static void pgt_init_memory_mapping(struct sim_boot *b, struct x86_pgt *p, uint64_t s, uint64_t e)
{
	uint64_t head = sim_round_up(s, PMD_SIZE), tail = sim_round_down(e, PMD_SIZE);

	if (head >= tail) {
		pgt_map(b, p, s, e, false);
	} else {
		if (s < head)
			pgt_map(b, p, s, head, false);
		pgt_map(b, p, head, tail, true);
		if (tail < e)
			pgt_map(b, p, tail, e, false);
	}
	if (e > p->max_mapped)
		p->max_mapped = e;
}

/* init_range_memory_mapping(): the RAM inside [rs, re); bytes mapped. */
static uint64_t pgt_map_ram(struct sim_boot *b, struct x86_pgt *p, uint64_t rs, uint64_t re)
{
	const struct memblock_type *mem = &b->mb.memory;
	uint64_t mapped = 0;

	for (unsigned long i = 0; i < mem->cnt; i++) {
		/* Mapping allocates page tables: read the array again each time. */
		struct memblock_region r = mb_type_regions(&b->mb, mem)[i];
		uint64_t s = sim_round_up(r.base, 4096);
		uint64_t e = sim_round_down(r.base + r.size, 4096);

		s = s < rs ? rs : s > re ? re : s;
		e = e < rs ? rs : e > re ? re : e;
		if (s >= e)
			continue;
		/* Mapping the buffer's own range needs tables from memblock. */
		p->can_use_brk = (s > p->buf_end ? s : p->buf_end) >= (e < p->buf_top ? e : p->buf_top);
		pgt_init_memory_mapping(b, p, s, e);
		mapped += e - s;
		p->can_use_brk = true;
	}
	return mapped;
}

/* memory_map_top_down(): map from the top in growing steps. */
static void pgt_top_down(struct sim_boot *b, struct x86_pgt *p, uint64_t real_end)
{
	uint64_t step = PMD_SIZE, last = real_end, mapped = 0;

	p->max_mapped = 0;
	p->min_mapped = real_end;
	while (last > 0x100000) {
		uint64_t start = 0x100000;

		if (last > step) {
			start = sim_round_down(last - 1, step);
			if (start < 0x100000)
				start = 0x100000;
		}
		mapped += pgt_map_ram(b, p, start, last);
		last = start;
		p->min_mapped = last;
		if (mapped >= step)
			step <<= 8; /* get_new_step_size() */
	}
}

/* The caller printed by reservations inside memblock_alloc_range_nid(). */
static void set_range_nid_caller(struct sim_boot *b, const char *caller)
{
	struct mb_callers callers = mb_get_config(&b->mb)->callers;

	callers.alloc_range_nid = caller;
	mb_set_callers(&b->mb, &callers);
}

/* init_mem_mapping(): where the top-down mapping starts, then memtest. */
static void init_mem_mapping(struct sim_boot *b, struct x86_state *x)
{
	mb_phys_addr_t probe;
	const char *saved = mb_get_config(&b->mb)->callers.alloc_range_nid;
	uint64_t end = x->max_pfn << 12, real_end = end;
	struct x86_pgt *p = calloc(1, sizeof(*p));

	if (p) { /* the boot page tables: PUD 0 and the first GiB, 2 MiB pages */
		p->pud[0] = p->pmd[0] = true;
		memset(p->entry, PMD_LARGE, 512);
		const struct sim_kernel *k = &b->m.kernel;

		p->buf_end = k->brk_base ? k->brk_base : k->end;
		p->buf_top = p->buf_end + (k->pgt_buf_size ? k->pgt_buf_size : 6 * 4096);
		p->can_use_brk = true;
		pgt_init_memory_mapping(b, p, 0, 0x100000); /* the ISA range */
	}
	/* memblock_phys_alloc_range() got memblock_alloc_range_nid() inlined. */
	set_range_nid_caller(b, sim_caller_label(&b->m, "x86.map_probe.reserve", saved));
	simi_caller(b, "x86.map_probe", "init_mem_mapping");
	if (!mb_phys_alloc_range(&b->mb, PMD_SIZE, PMD_SIZE, 0x100000, end, &probe)) {
		simi_caller(b, "x86.map_probe_free", "init_mem_mapping");
		mb_phys_free(&b->mb, probe, PMD_SIZE);
		real_end = probe + PMD_SIZE;
	}
	set_range_nid_caller(b, saved);
	if (p) {
		pgt_top_down(b, p, real_end);
		if (real_end < end)
			pgt_map_ram(b, p, real_end, end);
		free(p);
	}
	mb_set_current_limit(&b->mb, end);
	simi_early_memtest(b, 0, end);
}

static int load_srat(struct sim_boot *b, struct x86_state *x)
{
	static uint8_t buf[65536];
	size_t len = 0;
	void *file;
	int ret;

	if (b->m.srat_path[0]) {
		ret = fw_read_file(b->m.srat_path, &file, &len, &b->mb);
		if (ret)
			return ret;
		ret = fw_srat_parse(file, len, b->m.srat_path, &x->srat, &b->mb);
		free(file);
		return ret;
	}
	if (!b->m.numa[0])
		return -MB_ENOENT;
	ret = fw_numa_text_to_srat(b->m.numa, buf, sizeof(buf), &len, &b->mb);
	if (!ret)
		ret = fw_srat_parse(buf, len, "numa", &x->srat, &b->mb);
	return ret;
}

/*
 * acpi_table_init() -> acpi_reserve_initial_tables(): every table the
 * kernel listed, except the pointer and the root tables themselves.
 */
static void acpi_reserve_initial_tables(struct sim_boot *b)
{
	for (int i = 0; i < b->m.nr_acpi; i++) {
		const struct sim_acpi_table *t = &b->m.acpi[i];

		if (!strcmp(t->sig, "RSDP") || !strcmp(t->sig, "RSDT") || !strcmp(t->sig, "XSDT"))
			continue;
		simi_caller(b, "x86.acpi", "acpi_reserve_initial_tables");
		mb_reserve(&b->mb, t->base, t->size);
	}
}

/*
 * NODE_DATA: sizeof(pg_data_t) rounded to the cache line (6.12) or to a
 * page (before), when the kernel description gives the size.
 */
static uint64_t node_data_size(const struct sim_boot *b)
{
	uint64_t size = b->m.kernel.pglist_data_size;

	if (!size)
		return b->m.node_data_size;
	return sim_round_up(size, b->m.profile == MB_PROFILE_LINUX_6_12 ? 64 : 4096);
}

static bool has_acpi_table(const struct sim_boot *b, const char *sig)
{
	for (int i = 0; i < b->m.nr_acpi; i++)
		if (!strcmp(b->m.acpi[i].sig, sig))
			return true;
	return false;
}

/*
 * A SLIT makes numa_alloc_distance() take the node distance table (one
 * byte per node pair) while the SRAT is parsed, before the reserved
 * regions get their nodes: it ends up on the node of its memory.
 */
static void numa_alloc_distance(struct sim_boot *b, struct x86_state *x)
{
	int cnt = 0, nid = MB_NUMA_NO_NODE;
	mb_phys_addr_t pa;

	if (!has_acpi_table(b, "SLIT"))
		return;
	for (int n = 0; n < FW_MAX_NODES; n++)
		if (x->numa.node_parsed[n])
			cnt = n + 1;
	simi_caller(b, "x86.numa_distance", "numa_alloc_distance");
	if (!cnt || mb_phys_alloc_range(&b->mb, (mb_phys_addr_t)cnt * cnt, 4096, 0,
					x->max_pfn << 12, &pa))
		return;
	const struct memblock_region *mem = mb_type_regions(&b->mb, &b->mb.memory);

	for (unsigned long i = 0; i < b->mb.memory.cnt; i++) {
		const struct memblock_region *m = &mem[i];

		if (pa >= m->base && pa - m->base < m->size)
			nid = m->nid;
	}
	if (nid != MB_NUMA_NO_NODE)
		mb_set_node(&b->mb, pa, (mb_phys_addr_t)cnt * cnt, &b->mb.reserved, nid);
}

/* initmem_init() -> x86_numa_init(): SRAT, else one dummy node. */
static void initmem_init(struct sim_boot *b, struct x86_state *x)
{
	int ret;

	fw_numa_reset(&x->numa, MB_DEFAULT_MAX_NUMNODES, b->cl.numa_off);
	x->numa.legacy_x86_bounds = b->m.profile != MB_PROFILE_LINUX_6_12;
	x->numa.max_pfn = x->max_pfn;
	ret = b->cl.numa_off ? -MB_ENOENT : load_srat(b, x);
	if (!ret)
		ret = fw_numa_init_srat(&b->mb, &x->numa, &x->srat);
	if (ret) {
		fw_numa_reset(&x->numa, MB_DEFAULT_MAX_NUMNODES, b->cl.numa_off);
		x->numa.legacy_x86_bounds = b->m.profile != MB_PROFILE_LINUX_6_12;
		x->numa.max_pfn = x->max_pfn;
		fw_numa_init_dummy(&b->mb, &x->numa, x->max_pfn, 12);
	}
	if (!ret)
		numa_alloc_distance(b, x);
	simi_caller(b, "x86.node_data", "alloc_node_data");
	if (fw_numa_register_nodes(&b->mb, &x->numa, node_data_size(b)))
		simi_fail(b, "NODE_DATA", node_data_size(b), "NODE_DATA allocation failed");
	b->nr_nodes = 0;
	for (int n = 0; n < FW_MAX_NODES && n < SIM_MAX_NODES; n++)
		if (x->numa.node_online[n])
			b->nr_nodes = n + 1;
}

/* paging_init(): sparse_init() then zone_sizes_init(). */
static void paging_init(struct sim_boot *b, struct x86_state *x)
{
	b->section_bits = 27;
	b->max_physmem_bits = 46;
	b->pageblock_order = 9;
	b->vmemmap_huge = true;
	simi_sparse_init(b, 0x1000000); /* __pa(MAX_DMA_ADDRESS) = 16M */
	b->nr_zones = 4;
	b->zone_names[0] = "DMA";
	b->zone_max_pfn[0] = 0x1000;
	b->zone_names[1] = "DMA32";
	b->zone_max_pfn[1] = x->max_pfn < 0x100000 ? (unsigned long)x->max_pfn : 0x100000;
	b->zone_names[2] = "Normal";
	b->zone_max_pfn[2] = (unsigned long)x->max_pfn;
	b->zone_names[3] = "Device";
	b->zone_max_pfn[3] = 0;
	simi_free_area_init(b);
}

static int setup_arch(struct sim_boot *b, struct x86_state *x)
{
	int ret;

	b->kind = SIM_LINE_FW;
	ret = load_e820(b, &x->e820);
	if (ret)
		return ret;
	early_reserve_memory(b, &x->e820);
	fw_e820_memory_setup(&x->e820, &b->mb);
	simi_parse_early_param(b);
	fw_e820_apply_cmdline(&x->e820, &b->cl, &b->mb); /* mem=, memmap= */
	fw_e820_trim_bios_range(&x->e820, &b->mb);
	fw_e820_end_pfns(&x->e820, MAX_ARCH_PFN, 12, &x->max_pfn, &x->max_low_pfn, &b->mb);
	b->stats.max_pfn = (unsigned long)x->max_pfn;
	b->stats.max_low_pfn = (unsigned long)x->max_pfn; /* x86_64: max_low_pfn = max_pfn */
	b->stats.min_low_pfn = 0;
	for (int i = 0; i < b->m.nr_extra; i++) { /* find_smp_config, reserve_brk */
		simi_caller(b, b->m.extra[i].site, b->m.extra[i].site);
		mb_reserve(&b->mb, b->m.extra[i].base, b->m.extra[i].size);
	}
	if (b->m.kernel.brk_size) { /* reserve_brk(): what extend_brk() handed out */
		simi_caller(b, "x86.brk", "setup_arch");
		mb_reserve(&b->mb, b->m.kernel.brk_base, sim_round_up(b->m.kernel.brk_size, 4096));
	}
	mb_set_current_limit(&b->mb, 0x100000); /* ISA_END_ADDRESS */
	simi_fw_caller(b, FW_CALLER_E820_MEMBLOCK_SETUP, "x86.e820_setup");
	b->kind = SIM_LINE_DUMP;
	fw_e820_memblock_setup(&b->mb, &x->e820);
	simi_fw_caller(b, FW_CALLER_E820_MEMBLOCK_SETUP, NULL); /* the label dies with @b */
	b->kind = SIM_LINE_FW;
	b->kind = SIM_LINE_KERNEL;
	if (b->m.x86_first_mib) { /* 5.13+: no BIOS or trampoline byte is ever handed out */
		simi_caller(b, "x86.first_mib", "setup_arch");
		mb_reserve(&b->mb, 0, BIOS_END);
	}
	init_mem_mapping(b, x);
	acpi_reserve_initial_tables(b);
	b->kind = SIM_LINE_FW;
	initmem_init(b, x);
	b->kind = SIM_LINE_KERNEL;
	simi_dma_contiguous_reserve(b, x->max_pfn << 12);
	simi_reserve_crashkernel_generic(b, 0); /* arch_reserve_crashkernel() */
	paging_init(b, x);
	return 0;
}

static int boot(struct sim_boot *b)
{
	struct x86_state *x = calloc(1, sizeof(*x));
	int ret;

	if (!x)
		return -MB_ENOMEM;
	ret = setup_arch(b, x);
	if (!ret) {
		/* start_kernel() */
		simi_setup_command_line(b, 2);
		simi_setup_per_cpu_areas(b, 0x1000000);
		simi_build_all_zonelists(b);
		simi_print_command_line(b);
		simi_parse_args(b);
		simi_mem_init(b);
	}
	free(x);
	return ret;
}

/* A PC: the kernel at 16M, no device tree to unflatten. */
static void defaults(struct sim_machine *m)
{
	m->kernel.start = 0x1000000;
	m->kernel.end = 0x3600000;
	m->dt_unflatten_size = 0;
	m->node_data_size = 0x4000;
}

const struct simi_arch_desc simi_arch_x86_64 = {
	.name = "x86_64",
	.firmware = SIM_FW_E820,
	.fw_arch = FW_ARCH_X86_64,
	.kernel_offset = 0x1000000,
	.memtest_x86 = true,
	.numa = simi_arch_numa_always,
	.defaults = defaults,
	.boot = boot,
};
