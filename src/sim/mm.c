/* SPDX-License-Identifier: MIT */
/*
 * mm.c - the generic boot steps every architecture sequence calls, each
 * named after the kernel function it stands for: parse_early_param,
 * early_memtest, dma_contiguous_reserve, reserve_crashkernel,
 * unflatten_device_tree, free_area_init (the "Zone ranges:" block),
 * setup_command_line, build_all_zonelists, the early hash tables,
 * parse_args (reserve_mem=, gigantic hugepages) and mem_init
 * (memblock_free_all + "Memory:"). The command line is src/fw's: this
 * file only calls it where the kernel acts on each option.
 */
#include <stdio.h>
#include <string.h>

#include "sim_internal.h"
#include "arch/arch.h"

static uint64_t cache_align(const struct sim_boot *b)
{
	return b->m.profile == MB_PROFILE_LINUX_4_X ? 0 : 64;
}

static unsigned int ptr_size(const struct sim_boot *b)
{
	return b->m.phys_bits == 32 ? 4 : 8;
}

/* early_init_dt_add_memory_arch(): page-align, drop what lies below phys_offset. */
void simi_add_ram(struct sim_boot *b, uint64_t phys_offset)
{
	if (simi_dt_scan_memory(b))
		return;
	simi_caller(b, "dt.add_memory", "early_init_dt_add_memory_arch");
	for (int i = 0; i < b->m.nr_ram; i++) {
		uint64_t base = b->m.ram[i].base, size = b->m.ram[i].size;

		if (base & 4095) {
			size -= 4096 - (base & 4095);
			base = sim_round_up(base, 4096);
		}
		size &= ~4095ull;
		if (base + size < phys_offset) {
			simi_printk(b, SIM_LINE_FW, "Ignoring memory block 0x%llx - 0x%llx",
				   (unsigned long long)base, (unsigned long long)(base + size));
			continue;
		}
		if (base < phys_offset) {
			simi_printk(b, SIM_LINE_FW, "Ignoring memory range 0x%llx - 0x%llx",
				   (unsigned long long)base, (unsigned long long)phys_offset);
			size -= phys_offset - base;
			base = phys_offset;
		}
		if (b->m.ram[i].nid >= 0 && b->numa)
			mb_add_node(&b->mb, base, size, b->m.ram[i].nid, MB_FLAG_NONE);
		else
			mb_add(&b->mb, base, size);
	}
}

/*
 * parse_early_param(): every option is parsed by src/fw with the rules of
 * the architecture (fw_cmdline_parse() prints the kernel's warnings and
 * "Memory limited to ..."); memblock=debug switches the trace on here.
 */
void simi_parse_early_param(struct sim_boot *b)
{
	fw_cmdline_parse(b->cmdline, b->fw_arch, &b->cl, &b->mb);
	fw_cmdline_apply_debug(&b->cl, &b->mb);
	snprintf(b->stats.unmodelled, sizeof(b->stats.unmodelled), "%s", b->cl.unmodelled);
	if (b->cl.memblock_debug)
		b->printing_debug = true;
}

/* memblock_dump_all() prints only when memblock=debug is in effect. */
void simi_memblock_dump_all(struct sim_boot *b)
{
	b->kind = SIM_LINE_DUMP;
	if (b->printing_debug)
		mb_dump(&b->mb);
	b->kind = SIM_LINE_KERNEL;
}

/* early_memtest(start, end): real writes only when faults are injected. */
void simi_early_memtest(struct sim_boot *b, uint64_t start, uint64_t end)
{
	struct mb_memtest_config cfg;
	int ret;

	mb_memtest_config_default(&cfg);
	cfg.passes = b->cl.memtest_set ? b->cl.memtest_patterns : 0;
	if (!cfg.passes)
		return;
	cfg.arch_x86 = b->arch->memtest_x86;
	cfg.lines_only = mb_simram_fault_count(b->ram) == 0;
	simi_caller(b, "memtest.reserve", "early_memtest");
	b->kind = SIM_LINE_MEMTEST;
	ret = mb_early_memtest(&b->mb, &cfg, start, end, &b->memtest);
	b->kind = SIM_LINE_KERNEL;
	if (ret)
		simi_printk(b, SIM_LINE_KERNEL, "early_memtest: stopped (%s)", mb_strerror(ret));
	b->stats.memtest_bad_bytes = b->memtest.bad_bytes;
	if (!cfg.lines_only)
		mb_simram_release(b->ram); /* the last pass wrote zeroes anyway */
}

/* dma_contiguous_reserve() -> cma_declare_contiguous_nid(), not fixed. */
void simi_dma_contiguous_reserve(struct sim_boot *b, uint64_t limit)
{
	/* CMA_MIN_ALIGNMENT_BYTES (5.18+): a pageblock; MAX_ORDER pages before */
	bool pageblock = b->m.profile == MB_PROFILE_LINUX_6_12 || b->m.profile == MB_PROFILE_LINUX_6_1;
	uint64_t size = b->cl.cma_set ? b->cl.cma_size : b->m.cma_size;
	uint64_t align = (pageblock ? 2ull : 4ull) << 20;
	mb_phys_addr_t addr = 0;
	char pa[24];
	int ret;

	if (!size)
		return;
	size = sim_round_up(size, align);
	ret = mb_alloc_range_nid(&b->mb, size, align, 0, limit, MB_NUMA_NO_NODE, true, &addr);
	if (ret) {
		char msg[96];

		snprintf(msg, sizeof(msg), "cma: Failed to reserve %llu MiB",
			 (unsigned long long)(size >> 20));
		simi_printk(b, SIM_LINE_KERNEL, "%s", msg);
		simi_fail(b, "cma", size, msg);
		return;
	}
	b->cma_pages += size >> 12;
	simi_printk(b, SIM_LINE_KERNEL, "cma: Reserved %llu MiB at %s%s",
		   (unsigned long long)(size >> 20), simi_pa(b, addr, pa),
		   b->m.profile == MB_PROFILE_LINUX_6_12 ? " on node -1" : "");
}

static void crash_fail(struct sim_boot *b, uint64_t size, const char *msg)
{
	simi_printk(b, SIM_LINE_KERNEL, "%s", msg);
	simi_fail(b, "crashkernel", size, msg);
}

/* Record the failure with the last line src/fw printed, or a summary of @err. */
static void crash_parse_failed(struct sim_boot *b, int err)
{
	if (!b->last_line[0])
		snprintf(b->last_line, sizeof(b->last_line), "crashkernel: not reserved (%s)",
			 mb_strerror(err));
	simi_fail(b, "crashkernel", 0, b->last_line);
}

/*
 * reserve_crashkernel() of riscv before the generic 6.x code: the 5.x
 * parse_crashkernel() (src/fw with legacy rules: no ,high / ,low, no size
 * check), then the architecture's own placement and messages.
 */
void simi_reserve_crashkernel(struct sim_boot *b, uint64_t align)
{
	struct fw_crash_arch rules = *fw_crash_arch(FW_ARCH_RISCV64);
	uint64_t size, base, low;
	mb_phys_addr_t got = 0;
	char msg[128];
	bool high;
	int ret;

	rules.has_high_low = false;
	rules.legacy_size_check = true;
	b->last_line[0] = '\0';
	ret = fw_parse_crashkernel(b->cmdline, mb_phys_mem_size(&b->mb), &rules, &size, &base, &low,
				   &high, &b->mb);
	if (ret == -MB_ENOENT)
		return;
	if (ret) {
		crash_parse_failed(b, ret);
		return;
	}
	if (!size)
		return;
	size = sim_round_up(size, 4096);
	simi_caller(b, "crashkernel", "reserve_crashkernel");
	if (!base) {
		if (mb_phys_alloc_range(&b->mb, size, align, mb_start_of_DRAM(&b->mb),
					mb_end_of_DRAM(&b->mb), &got)) {
			snprintf(msg, sizeof(msg), "crashkernel: couldn't allocate %lluKB",
				 (unsigned long long)(size >> 10));
			crash_fail(b, size, msg);
			return;
		}
		base = got;
	} else if (!mb_is_region_memory(&b->mb, base, size)) {
		crash_fail(b, size, "crashkernel: requested region is not memory");
		return;
	} else if (mb_is_region_reserved(&b->mb, base, size)) {
		crash_fail(b, size, "crashkernel: requested region is reserved");
		return;
	} else if (base % align) {
		crash_fail(b, size, "crashkernel: requested region is misaligned");
		return;
	} else {
		mb_reserve(&b->mb, base, size);
	}
	simi_printk(b, SIM_LINE_KERNEL, "crashkernel: reserved 0x%016llx - 0x%016llx (%llu MB)",
		   (unsigned long long)base, (unsigned long long)(base + size),
		   (unsigned long long)(size >> 20));
}

/*
 * arch_reserve_crashkernel() -> reserve_crashkernel_generic() (x86_64,
 * arm64 6.x): src/fw parses and places; @low_max is CRASH_ADDR_LOW_MAX
 * (0: the architecture's default).
 */
void simi_reserve_crashkernel_generic(struct sim_boot *b, uint64_t low_max)
{
	const struct fw_crash_arch *arch = fw_crash_arch(b->fw_arch);
	struct fw_crash_arch rules;
	int ret;

	if (!arch)
		return;
	rules = *arch;
	if (low_max)
		rules.low_max = low_max;
	simi_fw_caller(b, FW_CALLER_CRASH_GENERIC, "crashkernel");
	simi_fw_caller(b, FW_CALLER_CRASH_LOW, "crashkernel.low");
	b->last_line[0] = '\0';
	ret = fw_reserve_crashkernel(&b->mb, &rules, &b->cl, NULL, NULL);
	simi_fw_caller(b, FW_CALLER_CRASH_GENERIC, NULL);
	simi_fw_caller(b, FW_CALLER_CRASH_LOW, NULL);
	if (ret)
		crash_parse_failed(b, ret);
}

/* unflatten_device_tree() and of_alias_scan() through early_init_dt_alloc_memory_arch(). */
void simi_unflatten_device_tree(struct sim_boot *b)
{
	unsigned int align = ptr_size(b);

	for (int i = -1; i < b->m.nr_dt_allocs; i++) {
		uint64_t size = i < 0 ? b->m.dt_unflatten_size : b->m.dt_allocs[i];

		if (!size)
			continue;
		simi_caller(b, "dt.alloc", "early_init_dt_alloc_memory_arch");
		if (b->m.profile == MB_PROFILE_LINUX_4_X)
			simi_early_alloc(b, size, align, "early_init_dt_alloc_memory_arch");
		else
			simi_alloc(b, size, align, 0, MB_ALLOC_ACCESSIBLE, MB_NUMA_NO_NODE,
				  "early_init_dt_alloc_memory_arch");
	}
}

/* setup_command_line(): saved_command_line, static_command_line (4.x: + initcall). */
void simi_setup_command_line(struct sim_boot *b, int nr_copies)
{
	static const char *const sites[] = { "cmdline.0", "cmdline.1", "cmdline.2" };
	uint64_t len = strlen(b->cmdline) + 1;

	for (int i = 0; i < nr_copies && i < 3; i++) {
		simi_caller(b, sites[i], "start_kernel");
		simi_alloc(b, len, cache_align(b), 0, MB_ALLOC_ACCESSIBLE, MB_NUMA_NO_NODE,
			  "setup_command_line");
	}
}

void simi_print_command_line(struct sim_boot *b)
{
	simi_printk(b, SIM_LINE_KERNEL, "Kernel command line: %s", b->cmdline);
	if (b->cl.unknown[0])
		simi_printk(b, SIM_LINE_KERNEL,
			   "Unknown kernel command line parameters \"%s\", will be passed to user "
			   "space.",
			   b->cl.unknown);
}

/* reserve_mem= (a __setup handler, 6.11+): the kernel is silent when it fails. */
static void reserve_mem(struct sim_boot *b)
{
	simi_fw_caller(b, FW_CALLER_RESERVE_MEM, "reserve_mem");
	for (int i = 0; i < b->cl.nr_reserve_mem; i++) {
		const struct fw_reserve_mem_arg *r = &b->cl.reserve_mem[i];
		char msg[128];
		int ret = fw_reserve_mem_one(&b->mb, r);

		if (!ret)
			continue;
		snprintf(msg, sizeof(msg), "reserve_mem: failed to reserve %s (%s)", r->name,
			 mb_strerror(ret));
		simi_fail(b, "reserve_mem", r->size, msg);
	}
	simi_fw_caller(b, FW_CALLER_RESERVE_MEM, NULL);
}

/*
 * hugepagesz=1G hugepages=N: __alloc_bootmem_huge_page() through src/fw,
 * round robin over the online nodes (node 0 without NUMA).
 */
static void hugetlb_gigantic(struct sim_boot *b)
{
	unsigned long got[FW_HUGEPAGE_SIZES] = { 0 };
	bool online[SIM_MAX_NODES] = { false };
	int nodes = b->numa ? b->nr_nodes : 0;

	for (int n = 0; n < nodes && n < SIM_MAX_NODES; n++)
		online[n] = true;
	simi_fw_caller(b, FW_CALLER_HUGE_PAGE, "hugetlb.alloc");
	b->last_line[0] = '\0';
	fw_reserve_gigantic_pages(&b->mb, &b->cl, nodes ? online : NULL, nodes, 1ull << 30, got);
	simi_fw_caller(b, FW_CALLER_HUGE_PAGE, NULL);
	for (int i = 0; i < b->cl.nr_hugepages; i++) {
		const struct fw_hugepages *h = &b->cl.hugepages[i];

		if (h->page_size >= (1ull << 30) && got[i] < h->count)
			simi_fail(b, "hugepages", h->page_size * (h->count - got[i]), b->last_line);
	}
}

/* parse_args() in start_kernel(): the __setup handlers that allocate. */
void simi_parse_args(struct sim_boot *b)
{
	reserve_mem(b);
	hugetlb_gigantic(b);
}

static unsigned int ilog2_u64(uint64_t v)
{
	unsigned int n = 0;

	while (v >>= 1)
		n++;
	return n;
}

/* alloc_large_system_hash() with HASH_EARLY | HASH_ZERO, numentries 0. */
static void large_system_hash(struct sim_boot *b, const char *name, unsigned int scale)
{
	uint64_t bucket = ptr_size(b), entries = b->stats.present_pages, max, size;
	unsigned int log2qty;

	entries = sim_round_up(b->nr_kernel_pages, 256);
	entries >>= scale - 12;
	if (entries * bucket < 4096)
		entries = 4096 / bucket;
	log2qty = ilog2_u64(entries);
	if ((1ull << log2qty) < entries)
		log2qty++;
	max = (((uint64_t)b->nr_all_pages << 12) >> 4) / bucket;
	if (max > 0x80000000ull)
		max = 0x80000000ull;
	while ((1ull << log2qty) > max && log2qty)
		log2qty--;
	for (;;) {
		size = bucket << log2qty;
		simi_caller(b, "hash.alloc", "alloc_large_system_hash");
		if (b->m.profile == MB_PROFILE_LINUX_4_X) {
			if (simi_alloc_nopanic(b, size, 0, 0, MB_ALLOC_ACCESSIBLE, MB_NUMA_NO_NODE, name))
				break;
		} else if (simi_try_alloc(b, false, size, 64, 0, MB_ALLOC_ACCESSIBLE,
					 MB_NUMA_NO_NODE, NULL)) {
			break;
		}
		if (size <= 4096 || !--log2qty) {
			simi_printk(b, SIM_LINE_KERNEL, "Failed to allocate %s hash table", name);
			simi_fail(b, name, size, "hash table allocation failed");
			return;
		}
	}
	simi_printk(b, SIM_LINE_KERNEL, "%s hash table entries: %llu (order: %u, %llu bytes%s)",
		   name, 1ull << log2qty, ilog2_u64(size) > 12 ? ilog2_u64(size) - 12 : 0,
		   (unsigned long long)size,
		   b->m.profile == MB_PROFILE_LINUX_4_X ? "" : ", linear");
}

/* vfs_caches_init_early(): NUMA kernels (hashdist) allocate them later. */
void simi_vfs_caches_init_early(struct sim_boot *b)
{
	if (b->numa)
		return;
	large_system_hash(b, "Dentry cache", 13);
	large_system_hash(b, "Inode-cache", 14);
}

void simi_build_all_zonelists(struct sim_boot *b)
{
	simi_printk(b, SIM_LINE_KERNEL, "Built %d zonelists, mobility grouping on.  Total pages: %lu",
		   b->nr_nodes > 0 ? b->nr_nodes : 1, b->total_pages);
}

static void free_pages_cb(void *ctx, unsigned long pfn, unsigned int order)
{
	struct sim_boot *b = ctx;
	unsigned long start, end;
	int nid = mb_search_pfn_nid(&b->mb, pfn, &start, &end);

	if (nid < 0 || nid >= SIM_MAX_NODES || !b->numa)
		nid = 0;
	b->stats.managed_pages += 1ul << order;
	b->stats.node_managed[nid] += 1ul << order;
}

/* Hands the freed pages to free_pages_cb() from now on. */
static void set_page_ops(struct sim_boot *b)
{
	struct mb_ops ops = mb_get_config(&b->mb)->ops;

	ops.free_pages = free_pages_cb;
	ops.page_ctx = b;
	mb_set_ops(&b->mb, &ops);
}

static void record_free_space(struct sim_boot *b)
{
	mb_phys_addr_t start, end;
	uint64_t i;

	b->stats.memory_size = mb_phys_mem_size(&b->mb);
	b->stats.reserved_size = mb_reserved_size(&b->mb);
	mb_for_each_free_mem_range(&b->mb, i, MB_NUMA_NO_NODE, MB_FLAG_NONE, &start, &end, NULL) {
		if (end - start > b->stats.largest_free_size) {
			b->stats.largest_free_base = start;
			b->stats.largest_free_size = end - start;
		}
	}
}

static uint64_t kib(uint64_t start, uint64_t end)
{
	return end > start ? (end - start) >> 10 : 0;
}

/* mem_init(): memblock_free_all() then mem_init_print_info(). */
void simi_mem_init(struct sim_boot *b)
{
	const struct sim_kernel *k = &b->m.kernel;
	unsigned long pages = 0, physpages = b->stats.present_pages;
	unsigned long reserved;

	record_free_space(b);
	b->stats.cma_pages = b->cma_pages;
	if (b->opts.no_handover)
		return;
	set_page_ops(b);
	simi_caller(b, "memblock_free_all", "memblock_free_all");
	if (mb_free_all(&b->mb, b->stats.max_low_pfn, &pages))
		return;
	reserved = physpages > pages + b->cma_pages ? physpages - pages - b->cma_pages : 0;
	simi_printk(b, SIM_LINE_KERNEL,
		   "Memory: %luK/%luK available (%lluK kernel code, %lluK rwdata, %lluK rodata, %lluK init, %lluK bss, %luK reserved, %luK cma-reserved)",
		   pages << 2, physpages << 2, (unsigned long long)kib(k->text_start, k->text_end),
		   (unsigned long long)kib(k->data_start, k->data_end),
		   (unsigned long long)kib(k->rodata_start, k->rodata_end),
		   (unsigned long long)(k->init_size >> 10),
		   (unsigned long long)kib(k->bss_start, k->bss_end), reserved << 2,
		   b->cma_pages << 2);
}
