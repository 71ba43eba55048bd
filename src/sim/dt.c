/* SPDX-License-Identifier: MIT */
/*
 * dt.c - a device tree as the machine's firmware (riscv64, arm, arm64):
 * the blob is read (or compiled from .dts) and validated before the boot
 * starts; its /memory nodes replace the "ram" list, its /chosen gives the
 * command line and initrd when the machine names none, and
 * early_init_fdt_scan_reserved_mem() applies /reserved-memory and
 * /memreserve/. The front end is src/fw (docs/firmware.md).
 */
#include <stdlib.h>
#include <string.h>

#include <libfdt.h>

#include <memblock/fw.h>

#include "sim_internal.h"
#include "arch/arch.h"

int simi_dt_open(struct sim_boot *b)
{
	struct fw_dt_arch arch = { .phys_offset = b->m.phys_offset };
	size_t len;
	int ret;

	if (!b->m.dtb_path[0] || b->arch->firmware != SIM_FW_DT)
		return 0;
	b->dt = calloc(1, sizeof(*b->dt));
	if (!b->dt)
		return -MB_ENOMEM;
	ret = fw_dt_load(b->m.dtb_path, &b->dtb_blob, &len, &b->mb);
	if (!ret)
		ret = fw_dt_open(b->dt, b->dtb_blob, len, b->m.dtb_path, &arch, &b->mb);
	if (ret)
		return ret;
	if (!b->m.dtb_size)
		b->m.dtb_size = len;
	simi_dt_unflatten_size(b);
	if (!b->m.initrd_size && b->dt->has_initrd) {
		b->m.initrd_base = b->dt->initrd_start;
		b->m.initrd_size = b->dt->initrd_end - b->dt->initrd_start;
	}
	if (!b->m.cmdline[0] && b->dt->bootargs[0]) {
		if (strlen(b->dt->bootargs) >= sizeof(b->m.cmdline))
			return -MB_ERANGE;
		memcpy(b->m.cmdline, b->dt->bootargs, strlen(b->dt->bootargs) + 1);
		if (b->opts.extra_cmdline && *b->opts.extra_cmdline)
			snprintf(b->cmdline, sizeof(b->cmdline), "%s %s", b->m.cmdline,
				 b->opts.extra_cmdline);
		else
			snprintf(b->cmdline, sizeof(b->cmdline), "%s", b->m.cmdline);
	}
	return 0;
}

/* unflatten_dt_alloc() in the dry run: align, then take. */
static void dry_alloc(uint64_t *mem, uint64_t size)
{
	*mem = sim_round_up(*mem, 8) + size;
}

/* populate_properties(): one struct property each, and a made-up "name". */
static void dry_properties(const void *fdt, int node, const char *name, bool chosen,
			   uint64_t prop_size, uint64_t *mem)
{
	bool has_name = false;
	const char *at;
	int off;

	fdt_for_each_property_offset(off, fdt, node) {
		const char *pname;
		int len;

		if (!fdt_getprop_by_offset(fdt, off, &pname, &len) || !pname)
			continue;
		/* early_init_dt_scan_chosen() nops the seed once it has used it */
		if (chosen && !strcmp(pname, "rng-seed"))
			continue;
		has_name |= !strcmp(pname, "name");
		dry_alloc(mem, prop_size);
	}
	if (has_name)
		return;
	at = strchr(name, '@');
	dry_alloc(mem, prop_size + (uint64_t)(at ? at - name : (long)strlen(name)) + 1);
}

/*
 * The bytes unflatten_device_tree() asks early_init_dt_alloc_memory_arch()
 * for: every node and property of the blob the kernel got, sized with the
 * build's struct device_node / struct property (the dry run of
 * unflatten_dt_nodes(), ALIGN(size, 4) + 4 for the end marker).
 */
static uint64_t unflatten_size(const void *fdt, uint64_t node_size, uint64_t prop_size)
{
	uint64_t mem = 0;
	int depth = 0, node = 0;

	for (; node >= 0 && depth >= 0; node = fdt_next_node(fdt, node, &depth)) {
		int len;
		const char *name = fdt_get_name(fdt, node, &len);

		if (!name)
			return 0;
		dry_alloc(&mem, node_size + (uint64_t)len + 1);
		dry_properties(fdt, node, name, depth == 1 && !strncmp(name, "chosen", 6),
			       prop_size, &mem);
	}
	return sim_round_up(mem, 4) + 4;
}

/* The unflattened tree's size, when the machine gives the structure sizes. */
void simi_dt_unflatten_size(struct sim_boot *b)
{
	uint64_t size;

	if (!b->dt || !b->m.dt_node_size || !b->m.dt_prop_size)
		return;
	size = unflatten_size(b->dtb_blob, b->m.dt_node_size, b->m.dt_prop_size);
	if (size)
		b->m.dt_unflatten_size = size;
}

/* early_init_dt_scan_memory() instead of the machine's ram list. */
bool simi_dt_scan_memory(struct sim_boot *b)
{
	if (!b->dt)
		return false;
	b->kind = SIM_LINE_FW;
	fw_dt_scan_nodes(&b->mb, b->dt);
	b->kind = SIM_LINE_KERNEL;
	return true;
}

/* early_init_fdt_scan_reserved_mem() */
void simi_dt_scan_reserved_mem(struct sim_boot *b)
{
	if (!b->dt)
		return;
	b->kind = SIM_LINE_FW;
	fw_dt_scan_reserved_mem(&b->mb, b->dt);
	fw_dt_reserved_mem_reg_nodes(&b->mb, b->dt);
	b->kind = SIM_LINE_KERNEL;
}

void simi_dt_close(struct sim_boot *b)
{
	free(b->dt);
	free(b->dtb_blob);
	b->dt = NULL;
	b->dtb_blob = NULL;
}

/* ARMv8 and later cores run arm64 kernels; the older Cortex-A ones arm. */
static bool arm64_core(const char *compat)
{
	static const char *const v8[] = { "arm,armv8", "arm,cortex-a3", "arm,cortex-a5",
					   "arm,cortex-a6", "arm,cortex-a7", "arm,cortex-x",
					   "arm,neoverse", "apple,", "qcom,kryo" };
	static const char *const v7[] = { "arm,cortex-a5", "arm,cortex-a7" };

	for (size_t i = 0; i < sizeof(v7) / sizeof(v7[0]); i++)
		if (!strcmp(compat, v7[i]))
			return false;
	for (size_t i = 0; i < sizeof(v8) / sizeof(v8[0]); i++)
		if (!strncmp(compat, v8[i], strlen(v8[i])))
			return true;
	return false;
}

/* The architecture a "compatible" string of a cpu node names, if any. */
static bool compat_arch(const char *compat, int len, enum sim_arch *out)
{
	for (int off = 0; off < len; off += (int)strlen(compat + off) + 1) {
		const char *c = compat + off;

		if (!strncmp(c, "riscv", 5)) {
			*out = SIM_ARCH_RISCV64;
			return true;
		}
		if (!strncmp(c, "arm,", 4) || arm64_core(c)) {
			*out = arm64_core(c) ? SIM_ARCH_ARM64 : SIM_ARCH_ARM;
			return true;
		}
	}
	return false;
}

int sim_dt_arch(const char *path, enum sim_arch *out)
{
	void *blob = NULL;
	size_t len = 0;
	int cpus, node, ret = -MB_ENOENT;

	if (!path || !out)
		return -MB_EINVAL;
	if (fw_dt_load(path, &blob, &len, NULL))
		return -MB_EINVAL;
	if (fdt_check_header(blob) || fdt_totalsize(blob) > len) {
		free(blob);
		return -MB_EINVAL;
	}
	cpus = fdt_path_offset(blob, "/cpus");
	fdt_for_each_subnode(node, blob, cpus)
	{
		int clen;
		const char *compat = fdt_getprop(blob, node, "compatible", &clen);

		if (compat && clen > 0 && compat_arch(compat, clen, out)) {
			ret = 0;
			break;
		}
	}
	free(blob);
	return ret;
}
