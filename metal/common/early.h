/* SPDX-License-Identifier: MIT */
/*
 * early.h - the early boot of the metal payloads, shared with
 * `memblock boot --payload`: firmware in, memblock built and used, pages
 * handed over. Freestanding; the caller supplies the memory access and
 * the console through mb_ops and the storage through struct metal_state.
 */
#ifndef METAL_EARLY_H
#define METAL_EARLY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <memblock/fw.h>
#include <memblock/memblock.h>
#include <memblock/memtest.h>

#define METAL_REGIONS 128
#define METAL_NODE_DATA_SIZE 0x2780 /* sizeof(pg_data_t) of an arm64 6.x build */
#define METAL_PERCPU_UNIT 0x8000    /* one CPU's share of the first percpu chunk */
#define METAL_HASH_SIZE (1u << 20)  /* a dentry-style hash table */

enum metal_fw_kind {
	METAL_FW_DT,  /* flattened device tree (riscv64, arm64) */
	METAL_FW_E820 /* E820 map plus optional SRAT (x86) */
};

/* What the payload found, or what `memblock boot --payload` was given. */
struct metal_fw {
	enum metal_fw_kind kind;
	const char *name;      /* the DTB in messages (NULL: "dtb") */
	const char *srat_name; /* the SRAT in messages (NULL: "srat") */
	const void *dtb;       /* METAL_FW_DT */
	size_t dtb_len;
	uint64_t dtb_phys;		  /* where the blob sits; 0 = not in RAM */
	const struct fw_e820_table *e820; /* METAL_FW_E820 */
	const void *e820_raw; /* the same map as 20-byte records (printed by the payload) */
	size_t e820_raw_len;
	const void *srat; /* NULL = no SRAT */
	size_t srat_len;
	uint64_t image_base;	 /* the payload's own load address ... */
	uint64_t image_size;	 /* ... and bytes up to the end of its bss */
	uint64_t limit;		 /* highest address the payload can touch + 1; 0 = all */
	unsigned int nr_cpus;	 /* 0: count them in the firmware */
	bool memtest_lines_only; /* print memtest's lines, do not touch RAM */
};

/* Storage the boot needs; static on bare metal (no heap). */
struct metal_state {
	struct memblock mb;
	struct memblock_region memory[METAL_REGIONS];
	struct memblock_region reserved[METAL_REGIONS];
	struct fw_dt dt;
	struct fw_e820_table e820;
	struct fw_srat srat;
	struct fw_numa numa;
	struct mb_memtest_result memtest;
	unsigned long pages; /* handed over by mb_free_all */
	unsigned long freed; /* pages counted by ops.free_pages */
	int failures;	     /* calls that failed */
	int nr_nodes;
};

/**
 * metal_early_boot() - the whole early boot of a payload
 * @s: storage (zeroed by the caller)
 * @fw: firmware and image layout
 * @ops: console (print) and memory access (phys_to_virt, virt_to_phys);
 *       free_pages and reserved_pages are replaced by the page counter
 *
 * Builds memblock from the firmware, reserves the image, the DTB and the
 * firmware regions, applies NUMA (DT numa-node-id or SRAT, else one
 * node), runs memtest=2 over the free RAM below @fw->limit, allocates
 * page-table pages, NODE_DATA per node, a percpu chunk and a 1 MiB hash
 * table, prints the dump and the debugfs tables, checks the instance and
 * hands the free pages over.
 *
 * Return: 0, or the number of calls that failed (each printed).
 */
int metal_early_boot(struct metal_state *s, const struct metal_fw *fw, const struct mb_ops *ops);

#endif /* METAL_EARLY_H */
