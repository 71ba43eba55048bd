/* SPDX-License-Identifier: MIT */
/*
 * boot_payload.c - `memblock boot --payload`: instead of a kernel's boot
 * sequence, run the early boot of the metal/ payloads (metal/common/
 * early.c, the very same code) over simulated RAM, with the firmware the
 * payload saw and its real image placement. make check-metal compares the
 * result with the payload's own console line for line.
 */
#include <stdio.h>
#include <stdlib.h>

#include "boot_payload.h"
#include "cli.h"
#include "early.h"
#include <memblock/simram.h>

#define PAYLOAD_X86_LIMIT (1ull << 32) /* the x86 payload runs in 32-bit protected mode */

struct payload_ctx {
	struct mb_simram *ram;
	struct metal_state *state;
	bool dmesg;
};

static void print_line(void *ctx, enum mb_log_level level, const char *line)
{
	const struct payload_ctx *pc = ctx;

	(void)level;
	printf("%s%s\n", pc->dmesg ? "[    0.000000] " : "", line);
}

/* The RAM becomes accessible as the firmware adds it to memblock. */
static void *phys_to_virt(void *ctx, mb_phys_addr_t phys, mb_phys_addr_t size)
{
	struct payload_ctx *pc = ctx;
	void *p = mb_simram_phys_to_virt(pc->ram, phys, size);

	if (!p && !mb_simram_cover(pc->ram, &pc->state->mb))
		p = mb_simram_phys_to_virt(pc->ram, phys, size);
	return p;
}

static mb_phys_addr_t virt_to_phys(void *ctx, const void *virt)
{
	return mb_simram_virt_to_phys(((struct payload_ctx *)ctx)->ram, virt);
}

/* Zeroing drops whole pages of the simulated RAM instead of writing them. */
static void mem_zero(void *ctx, mb_phys_addr_t phys, mb_phys_addr_t size)
{
	mb_simram_zero(((struct payload_ctx *)ctx)->ram, phys, size);
}

static void print_error(void *ctx, enum mb_log_level level, const char *line)
{
	(void)ctx;
	(void)level;
	fprintf(stderr, "memblock boot: %s\n", line);
}

/* An instance only for the loaders' messages (they print through one). */
static const struct memblock *error_log(void)
{
	static struct memblock mb;
	static struct memblock_region mem[1], res[1];
	struct mb_config cfg;

	mb_config_default(&cfg);
	cfg.memory_regions = mem;
	cfg.memory_max = 1;
	cfg.reserved_regions = res;
	cfg.reserved_max = 1;
	cfg.ops.print = print_error;
	return mb_init(&mb, &cfg) ? NULL : &mb;
}

static int load_inputs(const struct sim_machine *m, struct metal_fw *fw, struct fw_e820_table *t,
		       void **dtb, void **srat)
{
	const struct memblock *log = error_log();

	size_t len;
	int ret;

	if (m->arch != SIM_ARCH_X86_64) {
		if (!m->dtb_path[0]) {
			fprintf(stderr, "memblock boot: --payload on %s needs --dtb\n",
				sim_arch_name(m->arch));
			return -MB_EINVAL;
		}
		fw->kind = METAL_FW_DT;
		static struct fw_dt check;

		ret = fw_dt_load(m->dtb_path, dtb, &fw->dtb_len, log);
		fw->name = m->dtb_path;
		fw->dtb = *dtb;
		/* Refused before the boot starts: nothing half-applied. */
		if (!ret)
			ret = fw_dt_open(&check, *dtb, fw->dtb_len, m->dtb_path, NULL, log);
		fw->dtb_phys = m->dtb_base;
		return ret;
	}
	fw->kind = METAL_FW_E820;
	fw->limit = PAYLOAD_X86_LIMIT;
	fw->e820 = t;
	ret = fw_e820_load(m->e820_path, t, log);
	if (ret || !m->srat_path[0])
		return ret;
	static struct fw_srat check;

	ret = fw_read_file(m->srat_path, srat, &len, log);
	if (!ret)
		ret = fw_srat_parse(*srat, len, m->srat_path, &check, log);
	fw->srat = *srat;
	fw->srat_len = len;
	fw->srat_name = m->srat_path;
	return ret;
}

int boot_payload(const struct sim_machine *m, bool dmesg)
{
	static struct fw_e820_table e820;
	struct payload_ctx pc = { .dmesg = dmesg };
	struct metal_fw fw = { .memtest_lines_only = true };
	struct mb_ops ops = { .print = print_line, .print_ctx = &pc };
	void *dtb = NULL, *srat = NULL;
	int ret;

	fw.image_base = m->kernel.start;
	fw.image_size = m->kernel.end - m->kernel.start;
	pc.state = calloc(1, sizeof(*pc.state));
	ret = pc.state ? load_inputs(m, &fw, &e820, &dtb, &srat) : -MB_ENOMEM;
	if (!ret)
		ret = mb_simram_create(&pc.ram);
	if (ret) { /* the loader said which input and why */
		if (ret == -MB_ENOMEM)
			fprintf(stderr, "memblock boot: --payload: %s\n", mb_strerror(ret));
		ret = CLI_FAILED;
		goto out;
	}
	mb_simram_install(pc.ram, &ops);
	ops.phys_to_virt = phys_to_virt;
	ops.virt_to_phys = virt_to_phys;
	ops.mem_zero = mem_zero;
	ops.mem_sync = NULL;
	ops.mem_ctx = &pc;
	ret = metal_early_boot(pc.state, &fw, &ops) ? CLI_FAILED : CLI_OK;
	mb_simram_destroy(pc.ram);
out:
	free(dtb);
	free(srat);
	free(pc.state);
	return ret;
}
