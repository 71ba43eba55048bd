/* SPDX-License-Identifier: MIT */
/*
 * early.c - what a payload does between the firmware and its page
 * allocator, in the order of a kernel's setup_arch(): memory from the
 * firmware, reservations, NUMA, memtest, the first allocations, the
 * dumps and the handover. The same code runs on bare metal and in
 * `memblock boot --payload`, so their dumps can be compared line by line.
 */
#include <string.h>

#include <libfdt.h>

#include "early.h"

#define SZ_1G (1ull << 30)
#define PAGE 4096ull
#define LOW_RESERVE 0x10000ull	  /* x86: the first 64K (reserve_real_mode area) */
#define BIOS_START_MAX 0x9f000ull /* x86: reserve_bios_regions() fallback */
#define BIOS_END 0x100000ull

static void say(struct metal_state *s, const char *what, const char *detail, int err)
{
	struct mb_text t;

	mb_text_reset(&t);
	mb_text_str(&t, "metal: ");
	mb_text_str(&t, what);
	if (detail) {
		mb_text_str(&t, " ");
		mb_text_str(&t, detail);
	}
	if (err) {
		mb_text_str(&t, " failed: ");
		mb_text_str(&t, mb_strerror(-err));
	}
	mb_emit(&s->mb, err ? MB_LOG_ERR : MB_LOG_INFO, &t);
}

/* Count a failed call; true when @err is an error. */
static bool failed(struct metal_state *s, const char *what, int err)
{
	if (!err)
		return false;
	say(s, what, NULL, err);
	s->failures++;
	return true;
}

static void count_pages(void *ctx, unsigned long pfn, unsigned int order)
{
	struct metal_state *s = ctx;

	(void)pfn;
	s->freed += 1ul << order;
}

static int setup(struct metal_state *s, const struct mb_ops *ops)
{
	struct mb_config cfg;

	mb_config_default(&cfg);
	cfg.debug = true;
	cfg.memory_regions = s->memory;
	cfg.memory_max = METAL_REGIONS;
	cfg.reserved_regions = s->reserved;
	cfg.reserved_max = METAL_REGIONS;
	cfg.ops = *ops;
	cfg.ops.free_pages = count_pages;
	cfg.ops.reserved_pages = NULL;
	cfg.ops.page_ctx = s;
	return mb_init(&s->mb, &cfg);
}

static void reserve_image(struct metal_state *s, const struct metal_fw *fw)
{
	uint64_t start = fw->image_base & ~(PAGE - 1);
	uint64_t end = (fw->image_base + fw->image_size + PAGE - 1) & ~(PAGE - 1);

	mb_set_caller(&s->mb, "metal_reserve_image");
	failed(s, "reserve image", mb_reserve(&s->mb, start, end - start));
}

/* early_init_dt_scan_nodes(), the image, early_init_fdt_scan_reserved_mem(). */
static int dt_memory(struct metal_state *s, const struct metal_fw *fw)
{
	struct memblock *mb = &s->mb;
	int ret = fw_dt_open(&s->dt, fw->dtb, fw->dtb_len, fw->name ? fw->name : "dtb", NULL, mb);

	if (failed(s, "device tree", ret))
		return ret;
	failed(s, "memory nodes", fw_dt_scan_nodes(mb, &s->dt));
	reserve_image(s, fw);
	if (fw->dtb_phys)
		failed(s, "reserve dtb", fw_dt_reserve_self(mb, &s->dt, fw->dtb_phys));
	failed(s, "reserved-memory", fw_dt_scan_reserved_mem(mb, &s->dt));
	fw_dt_reserved_mem_reg_nodes(mb, &s->dt);
	return 0;
}

/* reserve_bios_regions(): from the end of low RAM (the EBDA) to 1M. */
static void reserve_bios(struct metal_state *s)
{
	uint64_t bios_start = BIOS_START_MAX;

	for (uint32_t i = 0; i < s->e820.nr_entries; i++) {
		const struct fw_e820_entry *e = &s->e820.entries[i];

		if (e->type == FW_E820_RAM && e->addr + e->size < BIOS_END) {
			uint64_t end = (e->addr + e->size) & ~(PAGE - 1);

			if (end < bios_start)
				bios_start = end;
		}
	}
	mb_set_caller(&s->mb, "reserve_bios_regions");
	failed(s, "reserve bios", mb_reserve(&s->mb, bios_start, BIOS_END - bios_start));
}

/* early_reserve_memory(), e820__memory_setup(), e820__memblock_setup(). */
static int e820_memory(struct metal_state *s, const struct metal_fw *fw)
{
	struct memblock *mb = &s->mb;

	s->e820 = *fw->e820;
	reserve_image(s, fw);
	mb_set_caller(mb, "early_reserve_memory");
	failed(s, "reserve low 64K", mb_reserve(mb, 0, LOW_RESERVE));
	fw_e820_memory_setup(&s->e820, mb);
	reserve_bios(s);
	return failed(s, "e820 memblock setup", fw_e820_memblock_setup(mb, &s->e820)) ? -1 : 0;
}

/* NUMA from the firmware, else one node; NODE_DATA for each node. */
static void numa_init(struct metal_state *s, const struct metal_fw *fw)
{
	struct memblock *mb = &s->mb;
	int ret = -MB_ENOENT;

	fw_numa_reset(&s->numa, MB_DEFAULT_MAX_NUMNODES, false);
	if (fw->kind == METAL_FW_DT) {
		ret = fw_dt_numa_init(mb, &s->dt, &s->numa);
	} else if (fw->srat) {
		ret = fw_srat_parse(fw->srat, fw->srat_len, fw->srat_name ? fw->srat_name : "srat",
				    &s->srat, mb);
		if (!ret)
			ret = fw_numa_init_srat(mb, &s->numa, &s->srat);
	}
	if (ret == -MB_ENOENT) {
		fw_numa_reset(&s->numa, MB_DEFAULT_MAX_NUMNODES, false);
		ret = fw_numa_init_dummy(mb, &s->numa, mb_end_of_DRAM(mb) / PAGE, 12);
	}
	if (failed(s, "numa init", ret))
		return;
	mb_set_caller(mb, "alloc_node_data");
	failed(s, "NODE_DATA", fw_numa_register_nodes(mb, &s->numa, METAL_NODE_DATA_SIZE));
	for (int n = 0; n < FW_MAX_NODES; n++)
		s->nr_nodes += s->numa.node_online[n];
}

static void memtest(struct metal_state *s, const struct metal_fw *fw)
{
	struct mb_memtest_config cfg;
	uint64_t end = mb_end_of_DRAM(&s->mb);

	if (fw->limit && end > fw->limit)
		end = fw->limit;
	mb_memtest_config_default(&cfg);
	cfg.passes = 2;
	cfg.arch_x86 = fw->kind == METAL_FW_E820;
	cfg.lines_only = fw->memtest_lines_only;
	cfg.caller = "early_memtest";
	mb_memtest_result_init(&s->memtest);
	failed(s, "memtest",
	       mb_early_memtest(&s->mb, &cfg, mb_start_of_DRAM(&s->mb), end, &s->memtest));
}

/* The /cpus/cpu@N nodes of a device tree. */
static unsigned int dt_count_cpus(const void *dtb)
{
	unsigned int n = 0;
	int cpus = fdt_path_offset(dtb, "/cpus"), node;

	if (cpus < 0)
		return 0;
	fdt_for_each_subnode(node, dtb, cpus)
	{
		n += !strncmp(fdt_get_name(dtb, node, NULL), "cpu@", 4);
	}
	return n;
}

/* CPUs the firmware lists: DT cpu nodes, or enabled SRAT processor entries. */
static unsigned int count_cpus(const struct metal_state *s, const struct metal_fw *fw)
{
	unsigned int n = 0;

	if (fw->nr_cpus)
		return fw->nr_cpus;
	if (fw->kind == METAL_FW_DT)
		n = dt_count_cpus(fw->dtb);
	for (int i = 0; fw->kind == METAL_FW_E820 && i < s->srat.nr_cpus; i++)
		n += s->srat.cpus[i].flags & 1;
	return n ? n : 1;
}

/* Page tables of the linear map (one per GiB, one for the image), percpu, a hash. */
static void allocate(struct metal_state *s, const struct metal_fw *fw)
{
	struct memblock *mb = &s->mb;
	uint64_t tables = (mb_phys_mem_size(mb) + SZ_1G - 1) / SZ_1G + 1;
	unsigned int cpus = count_cpus(s, fw);
	mb_phys_addr_t phys;
	void *virt;

	for (uint64_t i = 0; i < tables; i++) {
		mb_set_caller(mb, "metal_map_memory");
		failed(s, "page table", mb_phys_alloc(mb, PAGE, PAGE, &phys));
	}
	mb_set_caller(mb, "pcpu_fc_alloc");
	failed(s, "percpu chunk",
	       mb_alloc_try_nid(mb, (mb_phys_addr_t)cpus * METAL_PERCPU_UNIT, PAGE,
				mb_start_of_DRAM(mb), MB_ALLOC_ACCESSIBLE, MB_NUMA_NO_NODE, &virt,
				&phys));
	mb_set_caller(mb, "alloc_large_system_hash");
	failed(s, "hash table", mb_alloc(mb, METAL_HASH_SIZE, PAGE, &virt, &phys));
}

static void report(struct metal_state *s)
{
	struct memblock *mb = &s->mb;
	char msg[128];
	struct mb_text t;

	mb_dump_all(mb);
	say(s, "debugfs", "memblock/memory", 0);
	mb_debugfs_show(mb, &mb->memory);
	say(s, "debugfs", "memblock/reserved", 0);
	mb_debugfs_show(mb, &mb->reserved);
	if (mb_check(mb, msg, sizeof(msg))) {
		say(s, "mb_check:", msg, 0);
		s->failures++;
	}
	mb_text_reset(&t);
	mb_text_str(&t, "metal: nodes ");
	mb_text_udec(&t, (uint64_t)s->nr_nodes);
	mb_text_str(&t, ", memtest bad bytes ");
	mb_text_udec(&t, s->memtest.bad_bytes);
	mb_emit(mb, MB_LOG_INFO, &t);
}

static void handover(struct metal_state *s)
{
	struct mb_text t;
	unsigned long max_low_pfn = (unsigned long)(mb_end_of_DRAM(&s->mb) / PAGE);

	if (failed(s, "free_all", mb_free_all(&s->mb, max_low_pfn, &s->pages)))
		return;
	mb_text_reset(&t);
	mb_text_str(&t, "metal: handed over ");
	mb_text_udec(&t, s->pages);
	mb_text_str(&t, " pages (");
	mb_text_udec(&t, s->freed);
	mb_text_str(&t, " counted), ");
	mb_text_udec(&t, (uint64_t)s->failures);
	mb_text_str(&t, " failures");
	mb_emit(&s->mb, MB_LOG_INFO, &t);
}

int metal_early_boot(struct metal_state *s, const struct metal_fw *fw, const struct mb_ops *ops)
{
	int ret;

	if (setup(s, ops)) {
		if (ops->print)
			ops->print(ops->print_ctx, MB_LOG_ERR, "metal: mb_init failed");
		return 1;
	}
	ret = fw->kind == METAL_FW_DT ? dt_memory(s, fw) : e820_memory(s, fw);
	if (ret)
		return s->failures ? s->failures : 1;
	if (fw->limit)
		mb_set_current_limit(&s->mb, fw->limit);
	mb_allow_resize(&s->mb);
	numa_init(s, fw);
	memtest(s, fw);
	allocate(s, fw);
	report(s);
	handover(s);
	return s->failures;
}
