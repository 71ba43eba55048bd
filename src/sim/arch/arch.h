/* SPDX-License-Identifier: MIT */
/*
 * arch.h - one descriptor per simulated architecture: every fact the
 * generic boot code needs about an architecture lives in its descriptor,
 * so no generic file switches on the architecture.
 */
#ifndef MEMBLOCK_SIM_ARCH_H
#define MEMBLOCK_SIM_ARCH_H

#include <stdbool.h>
#include <stdint.h>

#include <memblock/fw.h>
#include <memblock/sim.h>

struct sim_boot;

/* Where the firmware's memory map comes from when the machine has no RAM. */
enum sim_fw_kind {
	SIM_FW_DT,   /* a flattened device tree (dtb = ...) */
	SIM_FW_E820, /* a BIOS E820 table (e820 = ...) */
};

struct simi_arch_desc {
	const char *name;	  /* sim_arch_name() */
	enum sim_fw_kind firmware;
	enum fw_arch fw_arch;	  /* the rules src/fw applies to the options */
	uint64_t kernel_offset;	  /* where a boot loader puts the kernel in bank 0 */
	bool memtest_x86;	  /* early_memtest() skips the x86 low 1M */
	/* Whether the kernel of @profile is a NUMA build. */
	bool (*numa)(enum mb_profile_id profile);
	/* The machine's defaults beyond the common ones (sim_machine_init()). */
	void (*defaults)(struct sim_machine *m);
	/* setup_arch() and the start_kernel() steps that touch memblock. */
	int (*boot)(struct sim_boot *b);
};

/**
 * simi_arch_desc() - the descriptor of an architecture
 * @arch: a value below SIM_ARCH_COUNT
 *
 * Return: the descriptor, NULL for an unknown value.
 */
const struct simi_arch_desc *simi_arch_desc(enum sim_arch arch);

extern const struct simi_arch_desc simi_arch_riscv64;
extern const struct simi_arch_desc simi_arch_arm;
extern const struct simi_arch_desc simi_arch_arm64;
extern const struct simi_arch_desc simi_arch_x86_64;

/* A NUMA predicate for the descriptors: every profile is a NUMA build. */
bool simi_arch_numa_always(enum mb_profile_id profile);

#endif
