// SPDX-License-Identifier: MIT
/*
 * dt.c - the flattened device tree as drivers/of/fdt.c and of_numa.c of
 * Linux 6.12 read it during early boot: root cell sizes, /chosen, the
 * /memory nodes, linux,usable-memory-range, NUMA ids.
 *
 * The blob is checked whole by libfdt before anything is read, so the
 * scans below can trust offsets; property lengths are still checked
 * before every read (the kernel sometimes reads past a short property).
 */
#include <string.h>

#include <libfdt.h>

#include "dt_internal.h"

uint64_t fwi_dt_read_cells(const uint8_t *p, uint32_t cells)
{
	uint64_t v = 0;

	/* of_read_number(): high cells shift out, as in the kernel */
	for (uint32_t i = 0; i < cells; i++, p += 4)
		v = (v << 32) |
		    ((uint64_t)p[0] << 24 | (uint64_t)p[1] << 16 | (uint64_t)p[2] << 8 | p[3]);
	return v;
}

const void *fwi_dt_prop(const struct fw_dt *dt, int node, const char *name, int *len)
{
	int l = 0;
	const void *p = fdt_getprop(dt->blob, node, name, &l);

	if (len)
		*len = p ? l : 0;
	return p;
}

bool fwi_dt_prop_is(const struct fw_dt *dt, int node, const char *name, const char *value)
{
	int len;
	const char *p = fwi_dt_prop(dt, node, name, &len);
	size_t n = strlen(value);

	return p && (size_t)len >= n + 1 && !memcmp(p, value, n + 1);
}

/* of_fdt_device_is_available(): no status, "okay" or "ok". */
bool fwi_dt_available(const struct fw_dt *dt, int node)
{
	const char *status = fwi_dt_prop(dt, node, "status", NULL);

	if (!status)
		return true;
	return fwi_dt_prop_is(dt, node, "status", "okay") || fwi_dt_prop_is(dt, node, "status", "ok");
}

bool fwi_dt_compatible(const struct fw_dt *dt, int node, const char *compat)
{
	return fdt_node_check_compatible(dt->blob, node, compat) == 0;
}

static int cells_prop(const struct fw_dt *dt, int node, const char *name, uint32_t dflt,
		      uint32_t *out, const struct memblock *log)
{
	int len;
	const uint8_t *p = fwi_dt_prop(dt, node, name, &len);

	*out = dflt;
	if (!p)
		return 0;
	if (len < 4) {
		fwi_log(log, MB_LOG_ERR, "%s: /%s is %d bytes, not a cell", dt->name, name, len);
		return -MB_EINVAL;
	}
	*out = (uint32_t)fwi_dt_read_cells(p, 1);
	return 0;
}

/* early_init_dt_check_for_initrd() and _for_elfcorehdr(). */
static void scan_chosen(struct fw_dt *dt)
{
	int len, len2;
	const uint8_t *p, *q;
	const uint32_t cells = dt->root_addr_cells + dt->root_size_cells;

	dt->chosen = fdt_path_offset(dt->blob, "/chosen");
	if (dt->chosen < 0)
		dt->chosen = fdt_path_offset(dt->blob, "/chosen@0");
	if (dt->chosen < 0)
		return;
	p = fwi_dt_prop(dt, dt->chosen, "linux,initrd-start", &len);
	q = fwi_dt_prop(dt, dt->chosen, "linux,initrd-end", &len2);
	if (p && q) {
		uint64_t start = fwi_dt_read_cells(p, (uint32_t)len / 4);
		uint64_t end = fwi_dt_read_cells(q, (uint32_t)len2 / 4);

		if (start <= end) {
			dt->has_initrd = true;
			dt->initrd_start = start;
			dt->initrd_end = end;
		}
	}
	/* the kernel compares bytes with cells here and may read past the end: we need it whole */
	p = fwi_dt_prop(dt, dt->chosen, "linux,elfcorehdr", &len);
	if (p && (uint32_t)len >= cells * 4) {
		dt->elfcorehdr_addr = fwi_dt_read_cells(p, dt->root_addr_cells);
		dt->elfcorehdr_size =
		    fwi_dt_read_cells(p + 4 * dt->root_addr_cells, dt->root_size_cells);
	}
	p = fwi_dt_prop(dt, dt->chosen, "bootargs", &len);
	if (p && len > 0) {
		size_t n = (size_t)len < sizeof(dt->bootargs) ? (size_t)len : sizeof(dt->bootargs);

		memcpy(dt->bootargs, p, n - 1);
		dt->bootargs[n - 1] = '\0';
	}
}

static const char *fdt_error_text(int err)
{
	return fdt_strerror(err);
}

int fw_dt_open(struct fw_dt *dt, const void *blob, size_t len, const char *name,
	       const struct fw_dt_arch *arch, const struct memblock *log)
{
	int err, root;

	if (!dt || !blob)
		return -MB_EINVAL;
	memset(dt, 0, sizeof(*dt));
	dt->name = name ? name : "dtb";
	dt->chosen = -1;
	dt->rmem_total = FW_DT_MAX_RESERVED; /* until fdt_scan_reserved_mem() counts */
	if (arch)
		dt->arch = *arch;
	if (!dt->arch.page_size)
		dt->arch.page_size = FW_PAGE_SIZE;
	if (!dt->arch.max_addr)
		dt->arch.max_addr = UINT64_MAX;
	if (!dt->arch.cma_align)
		dt->arch.cma_align = 4ULL << 20;
	/* fdt_check_header() reads a v17 header (40 bytes) without a length */
	if (len < sizeof(struct fdt_header)) {
		fwi_log(log, MB_LOG_ERR, "%s: %zu bytes, too short for a device tree header",
		       dt->name, len);
		return -MB_EINVAL;
	}
	err = fdt_check_header(blob);
	if (!err && fdt_totalsize(blob) > len)
		err = -FDT_ERR_TRUNCATED;
	/*
	 * Before version 16 nodes were named by full path; libfdt's
	 * fdt_check_full() then reads the root's name through a NULL pointer.
	 */
	if (!err && fdt_version(blob) < 16)
		err = -FDT_ERR_BADVERSION;
	if (!err)
		err = fdt_check_full(blob, len);
	if (err) {
		fwi_log(log, MB_LOG_ERR, "%s: invalid device tree: %s", dt->name,
		       fdt_error_text(err));
		return -MB_EINVAL;
	}
	dt->blob = blob;
	dt->len = fdt_totalsize(blob);
	root = fdt_path_offset(blob, "/");
	if (root < 0) {
		fwi_log(log, MB_LOG_ERR, "%s: invalid device tree: %s", dt->name,
		       fdt_error_text(root));
		return -MB_EINVAL;
	}
	/* early_init_dt_scan_root(): defaults are 1 and 1 */
	if (cells_prop(dt, root, "#address-cells", 1, &dt->root_addr_cells, log) ||
	    cells_prop(dt, root, "#size-cells", 1, &dt->root_size_cells, log))
		return -MB_EINVAL;
	if (dt->root_addr_cells > 4 || dt->root_size_cells > 4 ||
	    dt->root_addr_cells + dt->root_size_cells == 0) {
		/* zero cells would make the kernel's reg loops spin forever */
		fwi_log(log, MB_LOG_ERR, "%s: root #address-cells %u / #size-cells %u not supported",
		       dt->name, dt->root_addr_cells, dt->root_size_cells);
		return -MB_EINVAL;
	}
	scan_chosen(dt);
	return 0;
}

/* early_init_dt_add_memory_arch(): page-align, clip to the arch window. */
static int add_memory_arch(struct memblock *mb, struct fw_dt *dt, uint64_t base, uint64_t size)
{
	const uint64_t page = dt->arch.page_size, phys_offset = dt->arch.phys_offset;
	const uint64_t max_addr = dt->arch.max_addr;

	if (size < page - (base & (page - 1))) {
		fwi_log(mb, MB_LOG_WARN, "OF: fdt: Ignoring memory block 0x%llx - 0x%llx",
		       (unsigned long long)base, (unsigned long long)(base + size));
		return 0;
	}
	if (base & (page - 1)) {
		size -= page - (base & (page - 1));
		base = (base + page - 1) & ~(page - 1);
	}
	size &= ~(page - 1);
	if (base > max_addr) {
		fwi_log(mb, MB_LOG_WARN, "OF: fdt: Ignoring memory block 0x%llx - 0x%llx",
		       (unsigned long long)base, (unsigned long long)(base + size));
		return 0;
	}
	if (base + size - 1 > max_addr) {
		fwi_log(mb, MB_LOG_WARN, "OF: fdt: Ignoring memory range 0x%llx - 0x%llx",
		       (unsigned long long)(max_addr + 1), (unsigned long long)(base + size));
		size = max_addr - base + 1;
	}
	if (base + size < phys_offset) {
		fwi_log(mb, MB_LOG_WARN, "OF: fdt: Ignoring memory block 0x%llx - 0x%llx",
		       (unsigned long long)base, (unsigned long long)(base + size));
		return 0;
	}
	if (base < phys_offset) {
		fwi_log(mb, MB_LOG_WARN, "OF: fdt: Ignoring memory range 0x%llx - 0x%llx",
		       (unsigned long long)base, (unsigned long long)phys_offset);
		size -= phys_offset - base;
		base = phys_offset;
	}
	dt->nr_memory++;
	fwi_caller(mb, FW_CALLER_DT_ADD_MEMORY);
	return mb_add(mb, base, size);
}

bool fwi_dt_is_memory_node(const struct fw_dt *dt, int node)
{
	return fwi_dt_prop_is(dt, node, "device_type", "memory");
}

/* One /memory node: every reg (or linux,usable-memory) entry. */
static int scan_memory_node(struct memblock *mb, struct fw_dt *dt, int node)
{
	const uint32_t ac = dt->root_addr_cells, sc = dt->root_size_cells;
	const uint8_t *reg;
	bool hotplug;
	int len, ret;

	reg = fwi_dt_prop(dt, node, "linux,usable-memory", &len);
	if (!reg)
		reg = fwi_dt_prop(dt, node, "reg", &len);
	if (!reg)
		return 0;
	hotplug = fwi_dt_prop(dt, node, "hotpluggable", NULL) != NULL;
	for (; (uint32_t)len / 4 >= ac + sc; reg += 4 * (ac + sc), len -= (int)(4 * (ac + sc))) {
		uint64_t base = fwi_dt_read_cells(reg, ac);
		uint64_t size = fwi_dt_read_cells(reg + 4 * ac, sc);

		if (!size)
			continue;
		ret = add_memory_arch(mb, dt, base, size);
		if (ret)
			return ret;
		if (!hotplug)
			continue;
		fwi_caller(mb, FW_CALLER_DT_SCAN_MEMORY);
		if (mb_mark_hotplug(mb, base, size))
			fwi_log(mb, MB_LOG_WARN,
			       "OF: fdt: failed to mark hotplug range 0x%llx - 0x%llx",
			       (unsigned long long)base, (unsigned long long)(base + size));
	}
	return 0;
}

/* early_init_dt_check_for_usable_mem_range(). */
static int usable_mem_range(struct memblock *mb, struct fw_dt *dt)
{
	const uint32_t ac = dt->root_addr_cells, sc = dt->root_size_cells;
	uint64_t base[2] = {0, 0}, size[2] = {0, 0};
	const uint8_t *p;
	int len, ret;

	if (dt->chosen < 0)
		return 0;
	p = fwi_dt_prop(dt, dt->chosen, "linux,usable-memory-range", &len);
	/* the kernel's check is "len % cells" with len in bytes; we keep it */
	if (!p || len % (int)(ac + sc))
		return 0;
	for (int i = 0; i < 2 && (uint32_t)len / 4 >= ac + sc; i++) {
		base[i] = fwi_dt_read_cells(p, ac);
		size[i] = fwi_dt_read_cells(p + 4 * ac, sc);
		p += 4 * (ac + sc);
		len -= (int)(4 * (ac + sc));
	}
	fwi_caller(mb, FW_CALLER_DT_USABLE_RANGE);
	ret = mb_cap_memory_range(mb, base[0], size[0]);
	if (ret || !size[1])
		return ret;
	return mb_add(mb, base[1], size[1]);
}

int fw_dt_scan_nodes(struct memblock *mb, struct fw_dt *dt)
{
	int node, ret;

	if (!mb || !dt || !dt->blob)
		return -MB_EINVAL;
	/* 6.12's early_init_dt_scan_chosen() returns 0 without /chosen: no warning */
	fdt_for_each_subnode(node, dt->blob, 0)
	{
		if (!fwi_dt_is_memory_node(dt, node) || !fwi_dt_available(dt, node))
			continue;
		ret = scan_memory_node(mb, dt, node);
		if (ret)
			return ret;
	}
	return usable_mem_range(mb, dt);
}

int fw_dt_reserve_self(struct memblock *mb, const struct fw_dt *dt, uint64_t dtb_phys)
{
	if (!mb || !dt || !dt->blob)
		return -MB_EINVAL;
	fwi_caller(mb, FW_CALLER_DT_RESERVE_SELF);
	return mb_reserve(mb, dtb_phys, fdt_totalsize(dt->blob));
}

/* of_property_read_u32(): 0 with *@out, or 1 when absent, -1 when too short. */
static int read_u32_prop(const struct fw_dt *dt, int node, const char *name, uint32_t *out)
{
	int len;
	const uint8_t *p = fwi_dt_prop(dt, node, name, &len);

	if (!p)
		return 1;
	if (len < 4)
		return -1;
	*out = (uint32_t)fwi_dt_read_cells(p, 1);
	return 0;
}

/* of_numa_parse_cpu_nodes(): a cpu's node counts as parsed. */
static void numa_cpu_nodes(struct memblock *mb, struct fw_dt *dt, struct fw_numa *numa)
{
	int cpus = fdt_path_offset(dt->blob, "/cpus"), node;

	if (cpus < 0)
		return;
	fdt_for_each_subnode(node, dt->blob, cpus)
	{
		const char *name = fdt_get_name(dt->blob, node, NULL);
		uint32_t nid;

		if (!fwi_dt_prop_is(dt, node, "device_type", "cpu") &&
		    (!name || strncmp(name, "cpu", 3) || (name[3] && name[3] != '@')))
			continue;
		if (read_u32_prop(dt, node, "numa-node-id", &nid))
			continue;
		if (nid >= (uint32_t)numa->max_nodes)
			fwi_log(mb, MB_LOG_WARN, "OF: NUMA: Node id %u exceeds maximum value", nid);
		else
			numa->node_parsed[nid] = true;
	}
}

/*
 * numa_add_memblk() of one range: into numa_meminfo (6.12), or straight to
 * memblock_set_node() on memory before 6.12 (drivers/base/arch_numa.c).
 */
static int numa_add_range(struct memblock *mb, struct fw_numa *numa, uint32_t nid, uint64_t base,
			  uint64_t size)
{
	int ret;

	if (!numa->legacy_of)
		return fw_numa_add_memblk(mb, &numa->meminfo, (int)nid, base, base + size,
					  numa->max_nodes);
	fwi_caller(mb, FW_CALLER_NUMA_INIT);
	ret = mb_set_node(mb, base, size, &mb->memory, (int)nid);
	if (ret)
		fwi_log(mb, MB_LOG_ERR,
		       "NUMA: memblock [0x%llx - 0x%llx] failed to add on node %u",
		       (unsigned long long)base, (unsigned long long)(base + size - 1), nid);
	return ret;
}

/*
 * One memory node of of_numa_parse_memory_nodes(): 1 without numa-node-id,
 * 0 when its ranges went to the node, or an error ("bad property").
 */
static int numa_memory_node(struct memblock *mb, struct fw_dt *dt, struct fw_numa *numa, int node)
{
	const uint32_t ac = dt->root_addr_cells, sc = dt->root_size_cells;
	const uint8_t *reg;
	int len, count = 0, r;
	uint32_t nid = 0;

	r = read_u32_prop(dt, node, "numa-node-id", &nid);
	if (r == 1)
		return 1;
	r = r ? -MB_EINVAL : 0; /* empty or short: -EOVERFLOW in the kernel */
	if (!r && nid >= (uint32_t)numa->max_nodes) {
		fwi_log(mb, MB_LOG_WARN, "OF: NUMA: Node id %u exceeds maximum value", nid);
		r = -MB_EINVAL;
	}
	reg = fwi_dt_prop(dt, node, "reg", &len);
	for (; !r && reg && (uint32_t)len / 4 >= ac + sc;
	     reg += 4 * (ac + sc), len -= (int)(4 * (ac + sc))) {
		r = numa_add_range(mb, numa, nid, fwi_dt_read_cells(reg, ac),
				   fwi_dt_read_cells(reg + 4 * ac, sc));
		if (!r)
			numa->node_parsed[nid] = true;
		count++;
	}
	if (!count || r) {
		fwi_log(mb, MB_LOG_ERR, "OF: NUMA: bad property in memory node");
		return r ? r : -MB_EINVAL;
	}
	return 0;
}

/*
 * of_numa_parse_memory_nodes(). 6.12 returns what the last memory node
 * gave: one without numa-node-id after the others fails the whole parse
 * (-MB_ENOENT here, no message). Before 6.12 the parse returns 0.
 */
static int numa_memory_nodes(struct memblock *mb, struct fw_dt *dt, struct fw_numa *numa)
{
	int node, last = 1;

	fdt_for_each_subnode(node, dt->blob, 0)
	{
		if (!fwi_dt_is_memory_node(dt, node))
			continue;
		last = numa_memory_node(mb, dt, numa, node);
		if (last < 0)
			return last;
	}
	if (numa->legacy_of)
		return 0;
	return last ? -MB_ENOENT : 0;
}

/* of_numa_parse_distance_map_v1() */
static int numa_distance_map(struct memblock *mb, struct fw_dt *dt, struct fw_numa *numa)
{
	int node = fdt_node_offset_by_compatible(dt->blob, -1, "numa-distance-map-v1");
	const uint8_t *m;
	int len;

	if (node < 0)
		return 0;
	fwi_log(mb, MB_LOG_INFO, "OF: NUMA: parsing numa-distance-map-v1");
	m = fwi_dt_prop(dt, node, "distance-matrix", &len);
	if (!m) {
		fwi_log(mb, MB_LOG_ERR, "OF: NUMA: No distance-matrix property in distance-map");
		return -MB_EINVAL;
	}
	if (len < 4) {
		fwi_log(mb, MB_LOG_ERR, "OF: NUMA: Invalid distance-matrix");
		return -MB_EINVAL;
	}
	for (int i = 0; i + 2 < len / 4; i += 3, m += 12) {
		uint32_t a = (uint32_t)fwi_dt_read_cells(m, 1);
		uint32_t b = (uint32_t)fwi_dt_read_cells(m + 4, 1);
		uint32_t d = (uint32_t)fwi_dt_read_cells(m + 8, 1);

		if ((a == b && d != FW_LOCAL_DISTANCE) || (a != b && d <= FW_LOCAL_DISTANCE)) {
			fwi_log(mb, MB_LOG_ERR, "OF: NUMA: Invalid distance[node%d -> node%d] = %d",
			       (int)a, (int)b, (int)d);
			return -MB_EINVAL;
		}
		if (a < (uint32_t)numa->max_nodes)
			numa->node_parsed[a] = true;
		fw_numa_set_distance(mb, numa, (int)a, (int)b, (int)d);
		if (b > a)
			fw_numa_set_distance(mb, numa, (int)b, (int)a, (int)d);
	}
	return 0;
}

int fw_dt_numa_parse(struct memblock *mb, struct fw_dt *dt, struct fw_numa *numa)
{
	int ret;

	if (!mb || !dt || !dt->blob || !numa)
		return -MB_EINVAL;
	numa_cpu_nodes(mb, dt, numa);
	ret = numa_memory_nodes(mb, dt, numa);
	if (ret)
		return ret;
	return numa_distance_map(mb, dt, numa);
}

int fw_dt_numa_init(struct memblock *mb, struct fw_dt *dt, struct fw_numa *numa)
{
	int ret;

	if (!mb || !dt || !dt->blob || !numa)
		return -MB_EINVAL;
	if (numa->numa_off)
		return -MB_ENOENT;
	if (numa->legacy_of)
		return fw_dt_numa_parse(mb, dt, numa);
	fw_numa_memblks_reset(mb, numa);
	ret = fw_dt_numa_parse(mb, dt, numa);
	if (ret)
		return ret;
	/* arm64/riscv: numa_memblks_init(of_numa_init, false) */
	return fw_numa_memblks_finish(mb, numa, false);
}

int fw_dt_apply(struct memblock *mb, struct fw_dt *dt, const void *blob, size_t len,
		const char *name, const struct fw_dt_arch *arch, uint64_t dtb_phys)
{
	int ret;

	if (!mb || !dt)
		return -MB_EINVAL;
	ret = fw_dt_open(dt, blob, len, name, arch, mb);
	if (ret)
		return ret;
	ret = fw_dt_scan_nodes(mb, dt);
	if (!ret && dtb_phys)
		ret = fw_dt_reserve_self(mb, dt, dtb_phys);
	if (!ret)
		ret = fw_dt_scan_reserved_mem(mb, dt);
	if (!ret)
		fw_dt_reserved_mem_reg_nodes(mb, dt);
	return ret;
}
