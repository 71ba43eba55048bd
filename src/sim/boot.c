/* SPDX-License-Identifier: MIT */
/*
 * boot.c - one simulated boot: the instance over simulated RAM, the print
 * path (every line in order, with its kind), caller labels, allocation
 * wrappers that report failures like the kernel, and the entry point.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim_internal.h"
#include "arch/arch.h"
#include <memblock/explain.h>
#include <memblock/host_index.h>

/* The core's print hook: debug lines are the trace, others the current kind. */
static void core_print(void *ctx, enum mb_log_level level, const char *line)
{
	struct sim_boot *b = ctx;
	enum sim_line_kind kind = level == MB_LOG_DEBUG ? SIM_LINE_TRACE : b->kind;
	char renamed[MB_TEXT_MAX + 64];
	size_t from_len;

	/* 4.x _nopanic allocators: the core names them like the panicking twin. */
	if (b->rename_from && kind == SIM_LINE_TRACE) {
		from_len = strlen(b->rename_from);
		if (!strncmp(line, b->rename_from, from_len) && line[from_len] == ':') {
			snprintf(renamed, sizeof(renamed), "%s%s", b->rename_to, line + from_len);
			line = renamed;
			b->rename_from = NULL;
		}
	}
	if (kind != SIM_LINE_TRACE)
		snprintf(b->last_line, sizeof(b->last_line), "%s", line);
	if (kind == SIM_LINE_TRACE && !b->printing_debug) {
		if (b->opts.trace_sink && b->opts.trace_sink->line)
			b->opts.trace_sink->line(b->opts.trace_sink->ctx, kind, line);
		return;
	}
	if (b->sink.line)
		b->sink.line(b->sink.ctx, kind, line);
}

void simi_printk(struct sim_boot *b, enum sim_line_kind kind, const char *fmt, ...)
{
	char line[2 * SIM_CMDLINE_MAX + 64];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (b->sink.line)
		b->sink.line(b->sink.ctx, kind, line);
}

const char *simi_pa(const struct sim_boot *b, uint64_t addr, char *buf)
{
	if (b->m.phys_bits == 32)
		sprintf(buf, "0x%08llx", (unsigned long long)(uint32_t)addr);
	else
		sprintf(buf, "0x%016llx", (unsigned long long)addr);
	return buf;
}

void simi_caller(struct sim_boot *b, const char *site, const char *fallback)
{
	mb_set_caller(&b->mb, sim_caller_label(&b->m, site, fallback));
}

void simi_fw_caller(struct sim_boot *b, enum fw_caller which, const char *site)
{
	fw_set_caller(which, site ? sim_caller_label(&b->m, site, NULL) : NULL);
}

void simi_fail(struct sim_boot *b, const char *what, uint64_t size, const char *message)
{
	struct sim_failure *f;

	if (b->stats.nr_failures >= SIM_MAX_FAILURES)
		return;
	f = &b->stats.failures[b->stats.nr_failures++];
	snprintf(f->what, sizeof(f->what), "%s", what);
	f->size = size;
	snprintf(f->message, sizeof(f->message), "%s", message ? message : "");
}

/*
 * A failed allocation. Where the kernel panics (@fatal) we print its panic
 * line and record it; the simulated boot goes on so the rest can be seen,
 * and the front end reports the boot as failed.
 */
static uint64_t alloc_failed(struct sim_boot *b, const char *what,
			     const struct mb_alloc_request *req, int err, bool fatal)
{
	char msg[160];
	struct sim_failure *f;

	if (fatal)
		snprintf(msg, sizeof(msg),
			 "Kernel panic - not syncing: %s: Failed to allocate %llu bytes align=0x%llx",
			 what, (unsigned long long)req->size, (unsigned long long)req->align);
	else
		snprintf(msg, sizeof(msg), "%s: Failed to allocate %llu bytes align=0x%llx (%s)",
			 what, (unsigned long long)req->size, (unsigned long long)req->align,
			 mb_strerror(err));
	simi_printk(b, SIM_LINE_KERNEL, "%s", msg);
	simi_fail(b, what, req->size, msg);
	if (b->stats.nr_failures && !strcmp(b->stats.failures[b->stats.nr_failures - 1].message,
					    msg)) {
		f = &b->stats.failures[b->stats.nr_failures - 1];
		f->fatal = fatal;
		if (err == -MB_ENOMEM)
			mb_explain_alloc_failure(&b->mb, req, f->why, sizeof(f->why));
	}
	b->stats.panicked |= fatal;
	return 0;
}

/* Callers that check for NULL themselves instead of panicking. */
static bool handles_failure(const char *what)
{
	return !strcmp(what, "sparse_init_nid");
}

typedef int (*virt_alloc_fn)(struct memblock *, mb_phys_addr_t, mb_phys_addr_t, mb_phys_addr_t,
			     mb_phys_addr_t, int, void **, mb_phys_addr_t *);

static uint64_t virt_alloc(struct sim_boot *b, virt_alloc_fn fn, uint64_t size, uint64_t align,
			   uint64_t min_addr, uint64_t max_addr, int nid, const char *what,
			   bool fatal)
{
	mb_phys_addr_t phys = 0;
	void *virt = NULL;
	int ret;

	ret = fn(&b->mb, size, align, min_addr, max_addr, nid, &virt, &phys);
	b->rename_from = NULL;
	if (ret) {
		struct mb_alloc_request req = {size, align, min_addr, max_addr, nid,
					       fn == mb_alloc_exact_nid_raw};

		return alloc_failed(b, what, &req, ret, fatal && !handles_failure(what));
	}
	return phys;
}

uint64_t simi_alloc(struct sim_boot *b, uint64_t size, uint64_t align, uint64_t min_addr,
		   uint64_t max_addr, int nid, const char *what)
{
	return virt_alloc(b, mb_alloc_try_nid, size, align, min_addr, max_addr, nid, what, true);
}

uint64_t simi_alloc_nopanic(struct sim_boot *b, uint64_t size, uint64_t align, uint64_t min_addr,
			   uint64_t max_addr, int nid, const char *what)
{
	const struct mb_profile *p = mb_profile(b->m.profile);

	if (p && p->trace_alloc_try_nid_nopanic) {
		b->rename_from = p->trace_alloc_try_nid;
		b->rename_to = p->trace_alloc_try_nid_nopanic;
	}
	return virt_alloc(b, mb_alloc_try_nid, size, align, min_addr, max_addr, nid, what, false);
}

uint64_t simi_alloc_raw(struct sim_boot *b, uint64_t size, uint64_t align, uint64_t min_addr,
		       uint64_t max_addr, int nid, const char *what)
{
	return virt_alloc(b, mb_alloc_try_nid_raw, size, align, min_addr, max_addr, nid, what,
			  false);
}

uint64_t simi_alloc_exact_nid_raw(struct sim_boot *b, uint64_t size, uint64_t align,
				 uint64_t min_addr, uint64_t max_addr, int nid, const char *what)
{
	return virt_alloc(b, mb_alloc_exact_nid_raw, size, align, min_addr, max_addr, nid, what,
			  false);
}

uint64_t simi_phys_alloc(struct sim_boot *b, uint64_t size, uint64_t align, const char *what)
{
	mb_phys_addr_t phys = 0;
	int ret = mb_phys_alloc(&b->mb, size, align, &phys);
	struct mb_alloc_request req = {size, align, 0, MB_ALLOC_ACCESSIBLE, MB_NUMA_NO_NODE, false};

	if (ret)
		return alloc_failed(b, what, &req, ret, true);
	return phys;
}

bool simi_try_alloc(struct sim_boot *b, bool raw, uint64_t size, uint64_t align, uint64_t min_addr,
		   uint64_t max_addr, int nid, uint64_t *out)
{
	mb_phys_addr_t phys = 0;
	void *virt = NULL;
	int ret;

	if (raw)
		ret = mb_alloc_try_nid_raw(&b->mb, size, align, min_addr, max_addr, nid, &virt, &phys);
	else
		ret = mb_alloc_try_nid(&b->mb, size, align, min_addr, max_addr, nid, &virt, &phys);
	if (out)
		*out = phys;
	return ret == 0;
}

uint64_t simi_early_alloc(struct sim_boot *b, uint64_t size, uint64_t align, const char *what)
{
	mb_phys_addr_t phys = 0;
	int ret = mb_alloc_range_nid(&b->mb, size, align, 0, MB_ALLOC_ACCESSIBLE,
				     MB_NUMA_NO_NODE, false, &phys);
	struct mb_alloc_request req = {size, align, 0, MB_ALLOC_ACCESSIBLE, MB_NUMA_NO_NODE, false};

	if (ret)
		return alloc_failed(b, what, &req, ret, true);
	return phys;
}

void simi_free(struct sim_boot *b, uint64_t phys, uint64_t size)
{
	void *virt;

	/* 5.x freed by physical address; 4.x and 6.x by pointer. */
	if (b->m.profile == MB_PROFILE_LINUX_5_4) {
		mb_phys_free(&b->mb, phys, size);
		return;
	}
	virt = b->mb.cfg.ops.phys_to_virt ?
		       b->mb.cfg.ops.phys_to_virt(b->mb.cfg.ops.mem_ctx, phys, 0) : NULL;
	if (virt)
		mb_free(&b->mb, virt, size);
	else
		mb_phys_free(&b->mb, phys, size);
}

/* Memory ops over the simulated RAM; windows follow memblock.memory. */
static void *sim_phys_to_virt(void *ctx, mb_phys_addr_t phys, mb_phys_addr_t size)
{
	struct sim_boot *b = ctx;
	void *p = mb_simram_phys_to_virt(b->ram, phys, size);

	if (!p && !mb_simram_cover(b->ram, &b->mb))
		p = mb_simram_phys_to_virt(b->ram, phys, size);
	return p;
}

static mb_phys_addr_t sim_virt_to_phys(void *ctx, const void *virt)
{
	struct sim_boot *b = ctx;

	return mb_simram_virt_to_phys(b->ram, virt);
}

static void sim_mem_sync(void *ctx, mb_phys_addr_t phys, mb_phys_addr_t size)
{
	struct sim_boot *b = ctx;

	mb_simram_sync(b->ram, phys, size);
}

static int load_faults(struct sim_boot *b)
{
	struct mb_fault fault;
	unsigned long line = 0;
	int ret;

	if (b->opts.faults_file) {
		ret = mb_simram_load_faults(b->ram, b->opts.faults_file, &line);
		if (ret) {
			fprintf(stderr, "memblock boot: %s:%lu: bad fault (%s)\n",
				b->opts.faults_file, line, mb_strerror(ret));
			return -MB_EINVAL;
		}
	}
	for (const char *const *f = b->opts.faults; f && *f; f++) {
		if (mb_fault_parse(*f, &fault) || mb_simram_add_fault(b->ram, &fault)) {
			fprintf(stderr, "memblock boot: bad fault '%s'\n", *f);
			return -MB_EINVAL;
		}
	}
	return 0;
}

static void set_core_callers(struct sim_boot *b, struct mb_config *cfg)
{
	const struct sim_machine *m = &b->m;

	cfg->callers.alloc_range_nid =
		sim_caller_label(m, "memblock_alloc_range_nid", "memblock_alloc_range_nid");
	cfg->callers.alloc_internal =
		sim_caller_label(m, "memblock_virt_alloc_internal", "memblock_virt_alloc_internal");
	cfg->callers.double_array =
		sim_caller_label(m, "memblock_double_array", "memblock_double_array");
	cfg->callers.free_all = sim_caller_label(m, "memblock_free_all", "memblock_free_all");
}

static int init_instance(struct sim_boot *b)
{
	struct mb_config cfg;
	int ret;

	mb_config_default(&cfg);
	cfg.profile = mb_profile(b->m.profile);
	cfg.phys_bits = b->m.phys_bits;
	cfg.numa = b->numa;
	cfg.memory_regions = b->memory_regions;
	cfg.memory_max = SIM_REGIONS;
	cfg.reserved_regions = b->reserved_regions;
	cfg.reserved_max = SIM_REGIONS;
	cfg.physmem_regions = NULL; /* no simulated arch has MEMBLOCK_PHYS_MAP */
	cfg.grow_policy = MB_GROW_LINUX;
	cfg.ops.print = core_print;
	cfg.ops.print_ctx = b;
	cfg.ops.phys_to_virt = sim_phys_to_virt;
	cfg.ops.virt_to_phys = sim_virt_to_phys;
	cfg.ops.mem_sync = sim_mem_sync;
	cfg.ops.mem_ctx = b;
	mb_host_index_install(&cfg.ops);
	set_core_callers(b, &cfg);
	ret = mb_init(&b->mb, &cfg);
	if (!ret)
		ret = mb_host_index_apply(&b->mb, b->opts.index);
	if (ret)
		return ret;
	/* memblock=debug takes effect at parse_early_param, unless the preset
	 * shows earlier trace lines (early_debug). */
	b->printing_debug = b->m.early_debug;
	b->mb.debug = b->m.early_debug || b->opts.trace_sink;
	return 0;
}

static int build_cmdline(struct sim_boot *b)
{
	const char *extra = b->opts.extra_cmdline;
	int n;

	if (extra && *extra && b->m.cmdline[0])
		n = snprintf(b->cmdline, sizeof(b->cmdline), "%s %s", b->m.cmdline, extra);
	else
		n = snprintf(b->cmdline, sizeof(b->cmdline), "%s",
			     (extra && *extra) ? extra : b->m.cmdline);
	return (n < 0 || n >= SIM_CMDLINE_MAX) ? -MB_ERANGE : 0;
}

static bool in_ram(const struct sim_machine *m, uint64_t addr)
{
	for (int i = 0; i < m->nr_ram; i++)
		if (addr >= m->ram[i].base && addr - m->ram[i].base < m->ram[i].size)
			return true;
	return false;
}

/*
 * A custom machine whose RAM does not hold the arch's default kernel
 * address gets the kernel where a boot loader would put it: the arch's
 * kernel offset into the first bank. The image extents move with it.
 */
static void place_kernel(struct sim_machine *m)
{
	struct sim_kernel *k = &m->kernel;
	uint64_t base, delta;

	if (!m->nr_ram || in_ram(m, k->start))
		return;
	base = m->ram[0].base + simi_arch_desc(m->arch)->kernel_offset;
	delta = base - k->start;
	k->start += delta;
	k->end += delta;
	k->text_start += delta;
	k->text_end += delta;
	if (k->rodata_end) {
		k->rodata_start += delta;
		k->rodata_end += delta;
	}
	if (k->data_end) {
		k->data_start += delta;
		k->data_end += delta;
	}
	if (k->bss_end) {
		k->bss_start += delta;
		k->bss_end += delta;
	}
}

/* No boot loader starts a kernel that does not fit in the RAM it is loaded to. */
static void check_kernel_fits(struct sim_boot *b)
{
	const struct sim_kernel *k = &b->m.kernel;
	char msg[160];

	if (k->end <= k->start || !b->m.nr_ram)
		return; /* RAM from an E820 table or a DTB: the arch code checks it */
	for (int i = 0; i < b->m.nr_ram; i++) {
		const struct sim_ram *r = &b->m.ram[i];

		if (k->start >= r->base && k->end - r->base <= r->size)
			return;
	}
	snprintf(msg, sizeof(msg),
		 "kernel image [0x%llx-0x%llx] (%llu KiB) does not fit in the RAM it is loaded "
		 "to: no kernel boots here",
		 (unsigned long long)k->start, (unsigned long long)k->end - 1,
		 (unsigned long long)(k->end - k->start) >> 10);
	simi_fail(b, "kernel", k->end - k->start, msg);
	if (b->stats.nr_failures)
		b->stats.failures[b->stats.nr_failures - 1].fatal = true;
	b->stats.panicked = true;
}

static int check_machine(const struct sim_machine *m)
{
	const struct simi_arch_desc *arch = simi_arch_desc(m->arch);

	if (!arch || !mb_profile(m->profile))
		return -MB_EINVAL;
	if (arch->firmware == SIM_FW_DT && !m->nr_ram && !m->dtb_path[0])
		return -MB_EINVAL;
	if (arch->firmware == SIM_FW_E820 && !m->nr_ram && !m->e820_path[0])
		return -MB_EINVAL;
	if (m->phys_bits != 32 && m->phys_bits != 64)
		return -MB_EINVAL;
	for (int i = 0; i < m->nr_ram; i++) {
		uint64_t last = m->ram[i].base + m->ram[i].size - 1;

		if ((m->phys_bits == 32 && last > 0xffffffffull) || last > (uint64_t)MB_PHYS_ADDR_MAX)
			return -MB_ERANGE;
	}
	return 0;
}

int sim_boot(const struct sim_machine *m, const struct sim_options *opts,
	     const struct sim_sink *sink, struct sim_boot **out)
{
	struct sim_boot *b;
	int ret;

	if (!m || !out)
		return -MB_EINVAL;
	*out = NULL;
	ret = check_machine(m);
	if (ret)
		return ret;
	b = calloc(1, sizeof(*b));
	if (!b)
		return -MB_ENOMEM;
	b->m = *m;
	place_kernel(&b->m);
	if (opts)
		b->opts = *opts;
	if (sink)
		b->sink = *sink;
	b->kind = SIM_LINE_KERNEL;
	b->arch = simi_arch_desc(m->arch);
	b->numa = b->arch->numa(m->profile);
	b->fw_arch = b->arch->fw_arch;
	ret = build_cmdline(b);
	if (!ret)
		ret = mb_simram_create(&b->ram);
	if (!ret)
		ret = load_faults(b);
	if (!ret)
		ret = init_instance(b);
	if (!ret)
		ret = simi_dt_open(b);
	if (!ret) {
		check_kernel_fits(b);
		ret = b->arch->boot(b);
	}
	if (ret) {
		sim_boot_free(b);
		return ret;
	}
	*out = b;
	return 0;
}

void sim_boot_free(struct sim_boot *b)
{
	if (!b)
		return;
	simi_dt_close(b);
	mb_host_index_release(&b->mb);
	mb_simram_destroy(b->ram);
	free(b);
}

const struct memblock *sim_boot_memblock(const struct sim_boot *b)
{
	return b ? &b->mb : NULL;
}

const struct sim_stats *sim_boot_stats(const struct sim_boot *b)
{
	return b ? &b->stats : NULL;
}

const struct sim_machine *sim_boot_machine(const struct sim_boot *b)
{
	return b ? &b->m : NULL;
}
