/* SPDX-License-Identifier: MIT */
/*
 * sim.h - the boot simulator: an architecture's memblock boot sequence on
 * a simulated machine.
 *
 * A struct sim_machine describes the machine (RAM ranges with their node,
 * the kernel image layout, DTB, initrd, command line, the sizes the boot
 * code derives its allocations from) and the exact caller labels of a
 * kernel build. sim_boot() creates a memblock instance over simulated RAM
 * (simram.h), runs the architecture's sequence (one file per architecture under src/sim/arch/: one
 * small function per kernel function, each memblock call named after the
 * kernel code that makes it), hands the free memory to a simulated page
 * allocator and keeps the result for views and the what-if diff.
 *
 * Every line the boot prints goes, in order, to a struct sim_sink with its
 * kind, so a front end can show the trace, the memtest lines or the dump
 * alone. Hosted code (libc).
 */
#ifndef MEMBLOCK_SIM_H
#define MEMBLOCK_SIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <memblock/memblock.h>

#ifdef __cplusplus
extern "C" {
#endif

enum sim_arch {
	SIM_ARCH_RISCV64 = 0,
	SIM_ARCH_ARM,	 /* 32-bit, no LPAE */
	SIM_ARCH_ARM64,
	SIM_ARCH_X86_64,
	SIM_ARCH_COUNT
};

/**
 * sim_arch_name() - "riscv64", "arm", "arm64" or "x86_64"
 * @arch: architecture
 *
 * Return: the name, "?" for an unknown value.
 */
const char *sim_arch_name(enum sim_arch arch);

/**
 * sim_arch_parse() - architecture from its name
 * @name: one of the names of sim_arch_name() ("riscv" and "x86" too)
 * @out: the architecture
 *
 * Return: 0, or -MB_EINVAL for an unknown name.
 */
int sim_arch_parse(const char *name, enum sim_arch *out);

#define SIM_MAX_RAM 32
#define SIM_MAX_CALLERS 128
#define SIM_MAX_DT_ALLOCS 16
#define SIM_MAX_NODES 8
#define SIM_CMDLINE_MAX 1024
#define SIM_PATH_MAX 512

/* One RAM range as firmware reports it. */
struct sim_ram {
	uint64_t base;
	uint64_t size;
	int nid; /* -1: no node given */
};

/* The kernel image: physical extents, ends exclusive (0 = unknown). */
struct sim_kernel {
	uint64_t start;		/* __pa(_start): first reserved byte */
	uint64_t end;		/* __pa(_end) */
	uint64_t reserve_align; /* the arch rounds the reservation's end up */
	uint64_t text_start, text_end;
	uint64_t rodata_start, rodata_end;
	uint64_t data_start, data_end;
	uint64_t bss_start, bss_end;
	uint64_t init_size;	/* __init_begin..__init_end, for Memory: */
	uint64_t brk_base, brk_size; /* x86: __brk_base, bytes extend_brk() used */
	uint64_t pgt_buf_size;	     /* x86: INIT_PGT_BUF_SIZE, at the start of .brk */
	uint64_t image_end;	     /* x86: __pa(_end) after .brk */
	uint64_t image_size;	     /* arm64: Image header, _end - _text */
	uint64_t pglist_data_size;   /* sizeof(struct pglist_data) of the build */
	unsigned int nodes_shift;    /* CONFIG_NODES_SHIFT */
};

/* An ACPI table as the kernel lists it ("ACPI: SRAT 0x... 0000F0 ..."). */
struct sim_acpi_table {
	char sig[8];
	uint64_t base;
	uint64_t size;
};

#define SIM_MAX_ACPI 32

/*
 * The percpu first chunk (mm/percpu.c, pcpu_embed_first_chunk): the sizes
 * the kernel prints in "percpu: Embedded ..." and the C type sizes of the
 * build, from which every allocation size follows.
 */
struct sim_percpu {
	unsigned long static_size;
	unsigned long reserved_size;
	unsigned long dyn_size;
	unsigned long unit_size;
	unsigned int long_size;	    /* sizeof(long): 8 or 4 */
	unsigned int chunk_size;    /* sizeof(struct pcpu_chunk) */
	unsigned int block_md_size; /* sizeof(struct pcpu_block_md) */
	unsigned int extra_slots;   /* pcpu_nr_slots beyond the size slots */
	bool populated_bytes_bug;   /* 4.x sized the bitmap in bytes, not longs */
	bool print_base;	    /* 4.x prints "@%p" of the first chunk */
	uint64_t virt_offset;	    /* virtual - physical, for "@%p" */
};

/* Site key -> "symbol+0xoff/0xsize" of a real kernel build. */
struct sim_caller {
	char site[48];
	char label[80];
};

/* A platform reservation made at the arch's firmware step (mptable, brk...). */
struct sim_reserve {
	uint64_t base;
	uint64_t size;
	char site[48]; /* caller site key */
};

#define SIM_MAX_EXTRA 16

struct sim_machine {
	char name[64];
	enum sim_arch arch;
	enum mb_profile_id profile;
	unsigned int phys_bits;	    /* 64, or 32 for arm */
	struct sim_ram ram[SIM_MAX_RAM];
	int nr_ram;
	uint64_t phys_offset;	    /* memory below is ignored (riscv < 5.16) */
	uint64_t max_mem;	    /* linear map size limit; 0 = none */
	struct sim_kernel kernel;
	uint64_t dtb_base, dtb_size;
	uint64_t initrd_base, initrd_size;
	char cmdline[SIM_CMDLINE_MAX];
	int nr_cpus;
	uint64_t cma_size;	    /* CONFIG_CMA_SIZE_MBYTES; 0 = no CMA */
	uint64_t dt_unflatten_size; /* unflatten_device_tree() bytes */
	uint64_t dt_allocs[SIM_MAX_DT_ALLOCS]; /* of_alias_scan() etc. */
	int nr_dt_allocs;
	struct sim_percpu percpu;
	unsigned int page_struct_size; /* sizeof(struct page) */
	struct sim_caller callers[SIM_MAX_CALLERS];
	int nr_callers;
	/* Firmware inputs (x86_64: E820 and SRAT; others: a DTB). */
	struct sim_reserve extra[SIM_MAX_EXTRA]; /* "reserve = BASE:SIZE:SITE" */
	int nr_extra;
	char numa[256];		    /* x86: "numa = ..." layout turned into an SRAT */
	uint64_t node_data_size;    /* x86: bytes of NODE_DATA per node */
	bool early_debug;	    /* memblock=debug in effect from the first call */
	bool x86_first_mib;	    /* x86 5.13+: setup_arch reserves all of the first MiB */
	uint64_t cpumask_size;	    /* CPUMASK_OFFSTACK: bytes of a boot-time cpumask, else 0 */
	uint64_t dt_node_size;	    /* sizeof(struct device_node): unflatten size from the DTB */
	uint64_t dt_prop_size;	    /* sizeof(struct property) */
	uint64_t mem_section_size;  /* sizeof(struct mem_section): sections per root */
	uint64_t section_usage_size; /* sizeof(struct mem_section_usage) */
	/* arm64 (rodata=full): the kernel text [_text + start, _text + end) the
	 * linear map maps with 2 MiB blocks, everything else with pages */
	uint64_t arm64_kernel_map_start, arm64_kernel_map_end;
	/* arm64 before the kernel maps itself in C (6.1): the kernel is
	 * reserved from _text + reserve_start, paging_init() builds its
	 * mapping with map_kernel_pages page tables, frees init_pg_dir (the
	 * last init_pg_dir_size bytes of the image) and builds the idmap with
	 * idmap_pages more */
	uint64_t arm64_reserve_start, arm64_map_kernel_pages;
	uint64_t arm64_init_pg_dir_size, arm64_idmap_pages;
	struct sim_acpi_table acpi[SIM_MAX_ACPI]; /* "acpi.table = SIG:BASE:SIZE" */
	int nr_acpi;
	char e820_path[SIM_PATH_MAX];
	char srat_path[SIM_PATH_MAX];
	char dtb_path[SIM_PATH_MAX];
	char dir[SIM_PATH_MAX]; /* directory of the preset, for relative paths */
};

/**
 * sim_machine_init() - a machine with the architecture's defaults
 * @m: machine to fill
 * @arch: architecture
 *
 * No RAM; kernel, percpu and type sizes of a typical build of the arch.
 */
void sim_machine_init(struct sim_machine *m, enum sim_arch arch);

/**
 * sim_machine_set() - apply one "key = value" setting
 * @m: machine
 * @key: setting name (see docs/boot.md, "Preset files")
 * @value: its text
 * @err: message buffer for a bad setting (may be NULL)
 * @errlen: size of @err
 *
 * Return: 0, or -MB_EINVAL with @err filled.
 */
int sim_machine_set(struct sim_machine *m, const char *key, const char *value, char *err,
		    size_t errlen);

/**
 * sim_machine_load() - read a machine file (lines "key = value", '#')
 * @m: machine, already initialised (the file's "arch" line re-initialises)
 * @path: file
 * @err: "FILE:LINE: message" for the first bad line (may be NULL)
 * @errlen: size of @err
 *
 * Return: 0, -MB_ENOENT when the file cannot be read, -MB_EINVAL.
 */
int sim_machine_load(struct sim_machine *m, const char *path, char *err, size_t errlen);

/**
 * sim_preset_load() - load presets/NAME/machine.conf
 * @m: machine to fill
 * @name: preset name ("riscv-virt-1g", ...)
 * @dir: directory holding the presets, NULL for the built-in default
 *       (see sim_preset_dir())
 * @err: message buffer (may be NULL)
 * @errlen: size of @err
 *
 * Return: 0, -MB_ENOENT for an unknown preset, -MB_EINVAL for a bad file.
 */
int sim_preset_load(struct sim_machine *m, const char *name, const char *dir, char *err,
		    size_t errlen);

/**
 * sim_dt_arch() - the architecture a device tree was made for
 * @path: .dtb (or .dts) file
 * @out: the architecture, from the "compatible" of the /cpus nodes:
 *       "riscv" is riscv64, ARMv8 and later cores arm64, other "arm," arm
 *
 * Return: 0; -MB_ENOENT when no cpu node names one; -MB_EINVAL when the
 * file cannot be read or is no device tree.
 */
int sim_dt_arch(const char *path, enum sim_arch *out);

/**
 * sim_preset_dir() - the default presets directory
 *
 * Return: $MEMBLOCK_PRESETS when set; else, for a program inside the
 * build tree, the source tree's presets/; else the installed presets,
 * found relative to the program (<bindir>/../share/memblock/presets).
 */
const char *sim_preset_dir(void);

/**
 * sim_caller_label() - the caller label of a site
 * @m: machine
 * @site: site key, e.g. "riscv.kernel"
 * @fallback: label when the machine names none
 *
 * Return: the label.
 */
const char *sim_caller_label(const struct sim_machine *m, const char *site,
			     const char *fallback);

/* What a line of boot output is, so front ends can filter. */
enum sim_line_kind {
	SIM_LINE_TRACE = 0, /* memblock=debug trace of the core */
	SIM_LINE_FW,	    /* firmware front ends (e820, SRAT, NUMA, OF) */
	SIM_LINE_MEMTEST,   /* early_memtest */
	SIM_LINE_DUMP,	    /* MEMBLOCK configuration: */
	SIM_LINE_KERNEL,    /* what the kernel derives and prints */
	SIM_LINE_COUNT
};

struct sim_sink {
	void (*line)(void *ctx, enum sim_line_kind kind, const char *text);
	void *ctx;
};

/* One allocation that failed during the boot. */
struct sim_failure {
	char what[64];	  /* e.g. "crashkernel", "hugepages 1G" */
	uint64_t size;
	char message[160]; /* the kernel's message */
	bool fatal;	   /* the kernel panics here: a real boot stops */
	char why[200];	   /* why the allocation failed, "" when not known */
};

#define SIM_MAX_FAILURES 32

/* What the boot derived, kept for views and the diff. */
struct sim_stats {
	unsigned long min_low_pfn, max_low_pfn, max_pfn;
	unsigned long present_pages;
	unsigned long managed_pages;		  /* handed to the page allocator */
	unsigned long node_managed[SIM_MAX_NODES]; /* per node */
	unsigned long node_present[SIM_MAX_NODES];
	int nr_nodes;
	unsigned long cma_pages;
	uint64_t largest_free_base, largest_free_size; /* before handover */
	uint64_t memory_size, reserved_size;	       /* before handover */
	uint64_t memtest_bad_bytes;
	struct sim_failure failures[SIM_MAX_FAILURES];
	int nr_failures;
	/* Command line options the kernel has but this simulator ignores. */
	char unmodelled[512];
	bool panicked; /* some failure was fatal (see failures[].fatal) */
};

struct sim_boot;

/* Options of one boot that are not part of the machine. */
struct sim_options {
	const char *extra_cmdline;   /* appended to the machine's, may be NULL */
	const char *faults_file;     /* simram fault list, may be NULL */
	const char *const *faults;   /* mb_fault_parse() texts, NULL-terminated */
	bool no_handover;	     /* stop before memblock_free_all */
	const char *index;	     /* region index: "off", "on", NULL/"auto" */
	/*
	 * When set, the boot runs with memblock=debug internally and every
	 * trace line it would not print (no memblock=debug, no early_debug)
	 * goes here instead, in order with the sink's lines: what-if diffs
	 * attribute each reservation to its caller this way.
	 */
	const struct sim_sink *trace_sink;
};

/**
 * sim_boot() - boot a machine
 * @m: machine
 * @opts: options, may be NULL
 * @sink: where the boot's lines go, may be NULL (discarded)
 * @out: receives the finished boot (free with sim_boot_free())
 *
 * Failed allocations are reported like the kernel reports them and
 * recorded in the stats; the boot goes on.
 *
 * Return: 0; -MB_EINVAL for a bad machine (no RAM, unknown arch,
 * unreadable firmware file); -MB_ENOMEM when the host is out of memory.
 */
int sim_boot(const struct sim_machine *m, const struct sim_options *opts,
	     const struct sim_sink *sink, struct sim_boot **out);

/**
 * sim_boot_free() - release a boot and its simulated RAM
 * @b: boot from sim_boot(), or NULL (ignored)
 */
void sim_boot_free(struct sim_boot *b);

/**
 * sim_boot_memblock() - the instance, as the boot left it (after handover)
 * @b: boot
 *
 * Return: the instance (valid until sim_boot_free()), NULL for a NULL @b.
 */
const struct memblock *sim_boot_memblock(const struct sim_boot *b);

/**
 * sim_boot_stats() - what the boot derived (pfns, pages, failures)
 * @b: boot
 *
 * Return: the stats, NULL for a NULL @b.
 */
const struct sim_stats *sim_boot_stats(const struct sim_boot *b);

/**
 * sim_boot_machine() - the machine the boot ran on, after defaults
 * (kernel placement, device tree bootargs) were applied
 * @b: boot
 *
 * Return: the machine, NULL for a NULL @b.
 */
const struct sim_machine *sim_boot_machine(const struct sim_boot *b);

/**
 * sim_report() - print what the boot derived
 * @b: boot
 * @out: stream
 * @json: one JSON object instead of text
 *
 * min_low_pfn / max_low_pfn / max_pfn, present and handed-over pages (per
 * node), CMA pages, the largest free range before the handover, memtest's
 * bad bytes and every failed allocation with the kernel's message.
 */
void sim_report(const struct sim_boot *b, FILE *out, bool json);

/**
 * sim_diff() - print what changed between two boots of a machine
 * @a: first boot
 * @b: second boot
 * @label_a: name of the first (e.g. its command line)
 * @label_b: name of the second
 * @out: stream
 *
 * Regions added / removed / moved (reserved and memory), free memory per
 * node, the largest free range and allocations that failed in one run.
 *
 * Return: number of differences found (0 = identical).
 */
int sim_diff(const struct sim_boot *a, const struct sim_boot *b, const char *label_a,
	     const char *label_b, FILE *out);

/**
 * sim_diff_stats() - what two boots derived differently
 * @a: first boot
 * @b: second boot
 * @out: stream
 * @json: a JSON array of {"what", "a", "b"} / {"what", "message"} instead
 *
 * Memory, reserved and handed-over sizes (per node), the largest free
 * range, memtest's bad bytes and the failures only one boot had; the
 * regions themselves are left to a caller that knows their owners.
 *
 * Return: number of differences.
 */
int sim_diff_stats(const struct sim_boot *a, const struct sim_boot *b, FILE *out, bool json);

#ifdef __cplusplus
}
#endif

#endif /* MEMBLOCK_SIM_H */
