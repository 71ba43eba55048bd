// SPDX-License-Identifier: MIT
/*
 * dt_rmem.c - /reserved-memory, /memreserve/ and the elfcorehdr as
 * drivers/of/of_reserved_mem.c and fdt.c of Linux 6.12 handle them:
 * static regions are reserved (or marked NOMAP) first, dynamic ones are
 * allocated afterwards in node order, and the static ones are only saved
 * and reported later (fdt_scan_reserved_mem_reg_nodes), with the overlap
 * check over all of them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libfdt.h>

#include "dt_internal.h"

#define RMEM_STRUCT_SIZE 48 /* sizeof(struct reserved_mem) on 64-bit */

static void rlog(const struct memblock *mb, enum mb_log_level level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* pr_*() with the "OF: reserved mem: " prefix of of_reserved_mem.c. */
static void rlog(const struct memblock *mb, enum mb_log_level level, const char *fmt, ...)
{
	char line[MB_TEXT_MAX * 2];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	fwi_log(mb, level, "OF: reserved mem: %s", line);
}

static const char *node_name(const struct fw_dt *dt, int node)
{
	const char *n = fdt_get_name(dt->blob, node, NULL);

	return n ? n : "unknown";
}

/* __reserved_mem_check_root(). */
static int check_root(const struct fw_dt *dt, int node)
{
	int len;
	const uint8_t *p = fwi_dt_prop(dt, node, "#size-cells", &len);

	if (!p || len < 4 || fwi_dt_read_cells(p, 1) != dt->root_size_cells)
		return -MB_EINVAL;
	p = fwi_dt_prop(dt, node, "#address-cells", &len);
	if (!p || len < 4 || fwi_dt_read_cells(p, 1) != dt->root_addr_cells)
		return -MB_EINVAL;
	if (!fwi_dt_prop(dt, node, "ranges", NULL))
		return -MB_EINVAL;
	return 0;
}

/* The shared-dma-pool initialisers (rmem_cma_setup, then rmem_dma_setup). */
static int init_compatible(struct memblock *mb, const struct fw_dt *dt, const struct fw_dt_rmem *r)
{
	if (!fwi_dt_compatible(dt, r->node, "shared-dma-pool"))
		return -MB_ENOENT;
	if (r->reusable && !r->nomap) {
		if ((r->base | r->size) & (dt->arch.cma_align - 1)) {
			fwi_log(mb, MB_LOG_ERR,
			       "Reserved memory: incorrect alignment of CMA region");
		} else {
			fwi_log(
			    mb, MB_LOG_INFO,
			    "Reserved memory: created CMA memory pool at 0x%016llx, size %ld MiB",
			    (unsigned long long)r->base, (long)(r->size >> 20));
			return 0;
		}
	}
	if (r->reusable)
		return -MB_EINVAL;
	fwi_log(mb, MB_LOG_INFO,
	       "Reserved memory: created DMA memory pool at 0x%016llx, size %ld MiB",
	       (unsigned long long)r->base, (long)(r->size >> 20));
	return 0;
}

/* fdt_init_reserved_mem_node(). */
static void init_node(struct memblock *mb, const struct fw_dt *dt, const struct fw_dt_rmem *r)
{
	int err = init_compatible(mb, dt, r);

	if (!err)
		rlog(mb, MB_LOG_INFO, "initialized node %s, compatible id %s", r->name,
		     "shared-dma-pool");
	if (err && err != -MB_ENOENT) {
		rlog(mb, MB_LOG_INFO, "node %s compatible matching fail", r->name);
		fwi_caller(mb, FW_CALLER_DT_RESERVE_MEMORY);
		if (r->nomap)
			mb_clear_nomap(mb, r->base, r->size);
		else
			mb_phys_free(mb, r->base, r->size);
		return;
	}
	rlog(mb, MB_LOG_INFO, "0x%016llx..0x%016llx (%lu KiB) %s %s %s",
	     (unsigned long long)r->base, (unsigned long long)(r->base + r->size - 1),
	     (unsigned long)(r->size >> 10), r->nomap ? "nomap" : "map",
	     r->reusable ? "reusable" : "non-reusable", r->name);
}

/* fdt_reserved_mem_save_node(). */
static void save_node(struct memblock *mb, struct fw_dt *dt, int node, uint64_t base, uint64_t size,
		      bool dynamic)
{
	struct fw_dt_rmem *r;

	if (dt->nr_rmem >= dt->rmem_total || dt->nr_rmem >= FW_DT_MAX_RESERVED) {
		rlog(mb, MB_LOG_ERR, "not enough space for all defined regions.");
		return;
	}
	r = &dt->rmem[dt->nr_rmem];
	snprintf(r->name, sizeof(r->name), "%s", node_name(dt, node));
	r->node = node;
	r->base = base;
	r->size = size;
	r->nomap = fwi_dt_prop(dt, node, "no-map", NULL) != NULL;
	r->reusable = fwi_dt_prop(dt, node, "reusable", NULL) != NULL;
	r->dynamic = dynamic;
	init_node(mb, dt, r);
	dt->nr_rmem++;
}

/* early_init_dt_reserve_memory(): 6.12 marks no-map regions NOMAP. */
static int reserve_memory(struct memblock *mb, uint64_t base, uint64_t size, bool nomap)
{
	fwi_caller(mb, FW_CALLER_DT_RESERVE_MEMORY);
	if (!nomap)
		return mb_reserve(mb, base, size);
	if (mb_overlaps_region(&mb->memory, base, size) && mb_is_region_reserved(mb, base, size))
		return -MB_EEXIST;
	return mb_mark_nomap(mb, base, size);
}

/* __reserved_mem_reserve_reg(): 1 when there is no reg. */
static int reserve_reg(struct memblock *mb, struct fw_dt *dt, int node)
{
	const uint32_t t_len = 4 * (dt->root_addr_cells + dt->root_size_cells);
	const char *uname = node_name(dt, node);
	const uint8_t *p;
	bool nomap;
	int len;

	p = fwi_dt_prop(dt, node, "reg", &len);
	if (!p)
		return 1;
	if (len && (uint32_t)len % t_len) {
		rlog(mb, MB_LOG_ERR,
		     "Reserved memory: invalid reg property in '%s', skipping node.", uname);
		return -MB_EINVAL;
	}
	nomap = fwi_dt_prop(dt, node, "no-map", NULL) != NULL;
	for (; (uint32_t)len >= t_len; len -= (int)t_len, p += t_len) {
		uint64_t base = fwi_dt_read_cells(p, dt->root_addr_cells);
		uint64_t size = fwi_dt_read_cells(p + 4 * dt->root_addr_cells, dt->root_size_cells);
		int err;

		err = size ? reserve_memory(mb, base, size, nomap) : -MB_EINVAL;
		if (err == -MB_ENOMEM || err == -MB_ENOSPC || err == -MB_EPERM)
			return err; /* the core could not grow: the kernel would have panicked */
		if (err)
			rlog(mb, MB_LOG_ERR,
			     "Reserved memory: failed to reserve memory for node '%s': base "
			     "0x%016llx, size %lu MiB",
			     uname, (unsigned long long)base, (unsigned long)(size >> 20));
	}
	return 0;
}

/* early_init_dt_alloc_reserved_memory_arch(). */
static int alloc_reserved(struct memblock *mb, uint64_t size, uint64_t align, uint64_t start,
			  uint64_t end, bool nomap, uint64_t *base)
{
	mb_phys_addr_t got = 0;
	int err;

	fwi_caller(mb, FW_CALLER_DT_ALLOC_RESERVED);
	if (mb_phys_alloc_range(mb, size, align ? align : MB_DEFAULT_SMP_CACHE_BYTES, start,
				end ? end : MB_ALLOC_ANYWHERE, &got) ||
	    !got)
		return -MB_ENOMEM;
	*base = got;
	if (!nomap)
		return 0;
	err = mb_mark_nomap(mb, got, size);
	if (err)
		mb_phys_free(mb, got, size);
	return err;
}

/* __reserved_mem_alloc_in_range(): direction follows the neighbours. */
static int alloc_in_range(struct memblock *mb, struct fw_dt *dt, uint64_t size, uint64_t align,
			  uint64_t start, uint64_t end, bool nomap, uint64_t *base)
{
	bool prev = mb_bottom_up(mb), bottom_up = false, top_down = false;
	int ret;

	for (int i = 0; i < dt->nr_rmem; i++) {
		const struct fw_dt_rmem *r = &dt->rmem[i];

		if (!r->size)
			continue;
		if (start >= r->base && start <= r->base + r->size)
			bottom_up = true;
		if (end >= r->base && end <= r->base + r->size)
			top_down = true;
	}
	if (bottom_up != top_down)
		mb_set_bottom_up(mb, bottom_up);
	ret = alloc_reserved(mb, size, align, start, end, nomap, base);
	if (bottom_up != top_down)
		mb_set_bottom_up(mb, prev);
	return ret;
}

static int cell_prop(struct memblock *mb, struct fw_dt *dt, int node, const char *prop,
		     uint32_t cells, uint64_t *out)
{
	int len;
	const uint8_t *p = fwi_dt_prop(dt, node, prop, &len);

	if (!p)
		return 1;
	if ((uint32_t)len != 4 * cells) {
		rlog(mb, MB_LOG_ERR, "invalid %s property in '%s' node.", prop,
		     node_name(dt, node));
		return -MB_EINVAL;
	}
	*out = fwi_dt_read_cells(p, cells);
	return 0;
}

static int alloc_ranges(struct memblock *mb, struct fw_dt *dt, int node, uint64_t size,
			uint64_t align, bool nomap, uint64_t *base)
{
	const uint32_t t_len = 4 * (dt->root_addr_cells + dt->root_size_cells);
	const uint8_t *p;
	int len;

	p = fwi_dt_prop(dt, node, "alloc-ranges", &len);
	if ((uint32_t)len % t_len) {
		rlog(mb, MB_LOG_ERR, "invalid alloc-ranges property in '%s', skipping node.",
		     node_name(dt, node));
		return -MB_EINVAL;
	}
	*base = 0;
	for (; len > 0; len -= (int)t_len, p += t_len) {
		uint64_t start = fwi_dt_read_cells(p, dt->root_addr_cells);
		uint64_t end =
		    start + fwi_dt_read_cells(p + 4 * dt->root_addr_cells, dt->root_size_cells);

		if (!alloc_in_range(mb, dt, size, align, start, end, nomap, base))
			break;
	}
	return 0;
}

/* __reserved_mem_alloc_size(). */
static int alloc_size(struct memblock *mb, struct fw_dt *dt, int node)
{
	uint64_t size = 0, align = 0, base = 0;
	bool nomap = fwi_dt_prop(dt, node, "no-map", NULL) != NULL;
	int ret;

	if (cell_prop(mb, dt, node, "size", dt->root_size_cells, &size))
		return -MB_EINVAL;
	if (cell_prop(mb, dt, node, "alignment", dt->root_addr_cells, &align) < 0)
		return -MB_EINVAL;
	if (fwi_dt_compatible(dt, node, "shared-dma-pool") &&
	    fwi_dt_prop(dt, node, "reusable", NULL) && !nomap && align < dt->arch.cma_align)
		align = dt->arch.cma_align;
	if (fwi_dt_prop(dt, node, "alloc-ranges", NULL)) {
		ret = alloc_ranges(mb, dt, node, size, align, nomap, &base);
		if (ret)
			return ret;
	} else {
		alloc_reserved(mb, size, align, 0, 0, nomap, &base);
	}
	if (!base) {
		rlog(mb, MB_LOG_ERR, "failed to allocate memory for node '%s': size %lu MiB",
		     node_name(dt, node), (unsigned long)(size >> 20));
		return -MB_ENOMEM;
	}
	save_node(mb, dt, node, base, size, true);
	return 0;
}

/* fdt_scan_reserved_mem(). */
static int scan_reserved_nodes(struct memblock *mb, struct fw_dt *dt)
{
	int dynamic[FW_DT_MAX_RESERVED], nr_dynamic = 0;
	int parent, child, count = 0;

	parent = fdt_path_offset(dt->blob, "/reserved-memory");
	if (parent < 0)
		return 0;
	if (check_root(dt, parent)) {
		rlog(mb, MB_LOG_ERR, "Reserved memory: unsupported node format, ignoring");
		return 0;
	}
	fdt_for_each_subnode(child, dt->blob, parent)
	{
		int err;

		if (!fwi_dt_available(dt, child))
			continue;
		err = reserve_reg(mb, dt, child);
		if (err == -MB_ENOMEM || err == -MB_ENOSPC || err == -MB_EPERM)
			return err;
		if (!err)
			count++;
		if (err != 1 || !fwi_dt_prop(dt, child, "size", NULL))
			continue;
		if (nr_dynamic == FW_DT_MAX_RESERVED) {
			rlog(mb, MB_LOG_ERR, "too many defined dynamic regions, skip '%s'",
			     node_name(dt, child));
			continue;
		}
		dynamic[nr_dynamic++] = child;
	}
	for (int i = 0; i < nr_dynamic; i++)
		if (!alloc_size(mb, dt, dynamic[i]))
			count++;
	dt->rmem_total = count;
	return 0;
}

/* fdt_reserve_elfcorehdr(). */
static int reserve_elfcorehdr(struct memblock *mb, const struct fw_dt *dt)
{
	int ret;

	if (!dt->elfcorehdr_size)
		return 0;
	if (mb_is_region_reserved(mb, dt->elfcorehdr_addr, dt->elfcorehdr_size)) {
		fwi_log(mb, MB_LOG_WARN, "OF: fdt: elfcorehdr is overlapped");
		return 0;
	}
	fwi_caller(mb, FW_CALLER_DT_ELFCOREHDR);
	ret = mb_reserve(mb, dt->elfcorehdr_addr, dt->elfcorehdr_size);
	if (ret)
		return ret;
	fwi_log(mb, MB_LOG_INFO, "OF: fdt: Reserving %llu KiB of memory at 0x%llx for elfcorehdr",
	       (unsigned long long)(dt->elfcorehdr_size >> 10),
	       (unsigned long long)dt->elfcorehdr_addr);
	return 0;
}

int fw_dt_scan_reserved_mem(struct memblock *mb, struct fw_dt *dt)
{
	int ret;

	if (!mb || !dt || !dt->blob)
		return -MB_EINVAL;
	ret = reserve_elfcorehdr(mb, dt);
	if (!ret)
		ret = scan_reserved_nodes(mb, dt);
	if (ret)
		return ret;
	fwi_caller(mb, FW_CALLER_DT_SCAN_RESERVED);
	for (int n = 0;; n++) {
		uint64_t base = 0, size = 0;

		if (fdt_get_mem_rsv(dt->blob, n, &base, &size) || !size)
			break;
		ret = mb_reserve(mb, base, size);
		if (ret)
			return ret;
	}
	return 0;
}

static int rmem_cmp(const void *a, const void *b)
{
	const struct fw_dt_rmem *ra = a, *rb = b;

	if (ra->base != rb->base)
		return ra->base < rb->base ? -1 : 1;
	if (ra->size != rb->size)
		return ra->size < rb->size ? -1 : 1;
	return (ra->node > rb->node) - (ra->node < rb->node);
}

/* __rmem_check_for_overlap(). */
static void check_overlap(struct memblock *mb, struct fw_dt *dt)
{
	if (dt->nr_rmem < 2)
		return;
	qsort(dt->rmem, (size_t)dt->nr_rmem, sizeof(dt->rmem[0]), rmem_cmp);
	for (int i = 0; i < dt->nr_rmem - 1; i++) {
		const struct fw_dt_rmem *this = &dt->rmem[i], *next = &dt->rmem[i + 1];

		if (this->base + this->size <= next->base)
			continue;
		rlog(mb, MB_LOG_ERR, "OVERLAP DETECTED!");
		fwi_log(mb, MB_LOG_ERR,
		       "%s (0x%016llx--0x%016llx) overlaps with %s (0x%016llx--0x%016llx)",
		       this->name, (unsigned long long)this->base,
		       (unsigned long long)(this->base + this->size), next->name,
		       (unsigned long long)next->base,
		       (unsigned long long)(next->base + next->size));
	}
}

void fw_dt_reserved_mem_reg_nodes(struct memblock *mb, struct fw_dt *dt)
{
	const uint32_t t_len = 4 * (dt->root_addr_cells + dt->root_size_cells);
	int parent, child, count;
	mb_phys_addr_t phys;
	void *virt;

	parent = fdt_path_offset(dt->blob, "/reserved-memory");
	if (parent < 0) {
		rlog(mb, MB_LOG_INFO, "Reserved memory: No reserved-memory node in the DT");
		return;
	}
	count = dt->rmem_total;
	fwi_caller(mb, FW_CALLER_DT_RMEM_ARRAY);
	if (count && mb_alloc(mb, (mb_phys_addr_t)count * RMEM_STRUCT_SIZE,
			      MB_DEFAULT_SMP_CACHE_BYTES, &virt, &phys)) {
		rlog(mb, MB_LOG_ERR,
		     "Failed to allocate memory for reserved_mem array with err: %d", -12);
		dt->nr_rmem = 0;
		return;
	}
	if (check_root(dt, parent)) {
		rlog(mb, MB_LOG_ERR, "Reserved memory: unsupported node format, ignoring");
		return;
	}
	fdt_for_each_subnode(child, dt->blob, parent)
	{
		const uint8_t *p;
		uint64_t base, size;
		int len;

		p = fwi_dt_prop(dt, child, "reg", &len);
		if (!p || !fwi_dt_available(dt, child))
			continue;
		if (len && (uint32_t)len % t_len) {
			rlog(mb, MB_LOG_ERR,
			     "Reserved memory: invalid reg property in '%s', skipping node.",
			     node_name(dt, child));
			continue;
		}
		if ((uint32_t)len > t_len)
			rlog(mb, MB_LOG_WARN,
			     "fdt_scan_reserved_mem_reg_nodes() ignores %d regions in node '%s'",
			     (int)((uint32_t)len / t_len - 1), node_name(dt, child));
		if ((uint32_t)len < t_len)
			continue;
		base = fwi_dt_read_cells(p, dt->root_addr_cells);
		size = fwi_dt_read_cells(p + 4 * dt->root_addr_cells, dt->root_size_cells);
		if (size)
			save_node(mb, dt, child, base, size, false);
	}
	check_overlap(mb, dt);
}

/**
 * fw_dt_load() - see fw.h
 */
int fw_dt_load(const char *path, void **out, size_t *out_len, const struct memblock *log)
{
	if (!path || !out || !out_len)
		return -MB_EINVAL;
	return fw_read_file(path, out, out_len, log);
}
