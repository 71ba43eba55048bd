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

#include <memblock/fw.h>

#include "sim_internal.h"

int sim_dt_open(struct sim_boot *b)
{
	struct fw_dt_arch arch = { .phys_offset = b->m.phys_offset };
	size_t len;
	int ret;

	if (!b->m.dtb_path[0] || b->m.arch == SIM_ARCH_X86_64)
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

/* early_init_dt_scan_memory() instead of the machine's ram list. */
bool sim_dt_scan_memory(struct sim_boot *b)
{
	if (!b->dt)
		return false;
	b->kind = SIM_LINE_FW;
	fw_dt_scan_nodes(&b->mb, b->dt);
	b->kind = SIM_LINE_KERNEL;
	return true;
}

/* early_init_fdt_scan_reserved_mem() */
void sim_dt_scan_reserved_mem(struct sim_boot *b)
{
	if (!b->dt)
		return;
	b->kind = SIM_LINE_FW;
	fw_dt_scan_reserved_mem(&b->mb, b->dt);
	fw_dt_reserved_mem_reg_nodes(&b->mb, b->dt);
	b->kind = SIM_LINE_KERNEL;
}

void sim_dt_close(struct sim_boot *b)
{
	free(b->dt);
	free(b->dtb_blob);
	b->dt = NULL;
	b->dtb_blob = NULL;
}
