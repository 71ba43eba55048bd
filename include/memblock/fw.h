/* SPDX-License-Identifier: MIT */
/*
 * fw.h - firmware front ends: the kernel command line, the x86 E820 map,
 * the ACPI SRAT and the flattened device tree, each applied to a memblock
 * instance the way Linux 6.12 applies it, with the kernel's own messages.
 *
 * Every front end works in two steps: parse (and validate) the input into
 * a plain structure without touching the allocator, then apply that
 * structure. A parse error prints one line naming the input and the
 * problem through the instance's print sink and leaves the instance as it
 * was. Apply steps that call the allocator can only fail when the region
 * arrays cannot grow; each apply function documents what happens then.
 *
 * Messages go through mb->cfg.ops.print. Lines the kernel prints with
 * KERN_DEBUG outside memblock_dbg() (e820 update/remove, SRAT PXM lines)
 * are sent as MB_LOG_INFO so that they show as in the seed logs.
 * Functions that take a `const struct memblock *log` accept NULL: silent.
 *
 * Hosted code (libc); see docs/firmware.md for one example per front end.
 */
#ifndef MEMBLOCK_FW_H
#define MEMBLOCK_FW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <memblock/memblock.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Trace callers. Memblock calls made by a front end print the kernel
 * function that makes them (%pS in memblock=debug traces). Defaults are
 * the bare function names; presets set "symbol+0xoff/0xsize" of a real
 * build with fw_set_caller(). The table is process-wide.
 */
enum fw_caller {
	FW_CALLER_E820_MEMBLOCK_SETUP = 0, /* e820__memblock_setup */
	FW_CALLER_CRASH_GENERIC,	   /* reserve_crashkernel_generic */
	FW_CALLER_CRASH_LOW,		   /* reserve_crashkernel_low */
	FW_CALLER_RESERVE_MEM,		   /* reserve_mem */
	FW_CALLER_HUGE_PAGE,		   /* __alloc_bootmem_huge_page */
	FW_CALLER_NUMA_INIT,		   /* numa_memblks_init */
	FW_CALLER_NUMA_REGISTER,	   /* numa_register_meminfo */
	FW_CALLER_NUMA_CLEAR_HOTPLUG,	   /* numa_clear_kernel_node_hotplug */
	FW_CALLER_SRAT_HOTPLUG,		   /* acpi_parse_memory_affinity */
	FW_CALLER_ALLOC_NODE_DATA,	   /* alloc_node_data */
	FW_CALLER_DT_ADD_MEMORY,	   /* early_init_dt_add_memory_arch */
	FW_CALLER_DT_SCAN_MEMORY,	   /* early_init_dt_scan_memory (hotplug, nid) */
	FW_CALLER_DT_SCAN_RESERVED,	   /* early_init_fdt_scan_reserved_mem */
	FW_CALLER_DT_RESERVE_SELF,	   /* early_init_fdt_reserve_self */
	FW_CALLER_DT_RESERVE_MEMORY,	   /* early_init_dt_reserve_memory */
	FW_CALLER_DT_ALLOC_RESERVED,	   /* early_init_dt_alloc_reserved_memory_arch */
	FW_CALLER_DT_USABLE_RANGE,	   /* early_init_dt_check_for_usable_mem_range */
	FW_CALLER_DT_ELFCOREHDR,	   /* fdt_reserve_elfcorehdr */
	FW_CALLER_DT_RMEM_ARRAY,	   /* alloc_reserved_mem_array */
	FW_CALLER_INITRD,		   /* reserve_initrd_mem */
	FW_CALLER_NUMA_DISTANCE,	   /* numa_alloc_distance */
	FW_CALLER_NUMA_FREE_DISTANCE,	   /* numa_reset_distance */
	FW_CALLER_COUNT
};

/* Set the label of @which (NULL restores the default). */
void fw_set_caller(enum fw_caller which, const char *label);
const char *fw_get_caller(enum fw_caller which);

/* ================= Kernel command line ================= */

#define FW_CMDLINE_MAX	   4096 /* longer command lines are rejected */
#define FW_MEMMAP_MAX	   32	/* memmap= pieces kept, in command line order */
#define FW_RESERVE_MEM_MAX 8	/* RESERVE_MEM_MAX_ENTRIES */
#define FW_HUGEPAGE_SIZES  4
#define FW_MAX_NODES	   64

enum fw_memmap_op {
	FW_MEMMAP_EXACTMAP, /* memmap=exactmap: empty the e820 table */
	FW_MEMMAP_LIMIT,    /* memmap=nn: remove RAM above nn */
	FW_MEMMAP_ADD,	    /* nn@ss RAM, nn#ss ACPI, nn$ss reserved, nn!ss PRAM, nn%ss+t */
	FW_MEMMAP_UPDATE,   /* nn%ss-from+to */
	FW_MEMMAP_REMOVE    /* nn%ss-from, or nn%ss (any type) */
};

struct fw_memmap {
	enum fw_memmap_op op;
	uint64_t size;
	uint64_t start;
	uint32_t type; /* ADD: the new type */
	uint32_t from; /* UPDATE/REMOVE: 0 = any type */
	uint32_t to;   /* UPDATE */
};

struct fw_hugepages {
	uint64_t page_size;  /* hugepagesz= */
	unsigned long count; /* hugepages= total */
	bool per_node;	     /* hugepages=N:C,N:C form */
	unsigned long node_count[FW_MAX_NODES];
};

struct fw_reserve_mem_arg {
	uint64_t size;
	uint64_t align;
	char name[MB_RESERVE_MEM_NAME_LEN];
};

/*
 * What the command line asks of memory management. Options the kernel
 * applies later (crashkernel=, through parse_crashkernel() on the whole
 * line) are parsed again at apply time from @line, exactly as the kernel.
 */
struct fw_cmdline {
	char line[FW_CMDLINE_MAX];
	bool memblock_debug; /* memblock=debug */
	bool memtest_set;
	unsigned int memtest_patterns; /* memtest (17) / memtest=N */
	bool mem_set;
	uint64_t mem_limit; /* mem= (0 when absent or invalid) */
	int nr_memmap;
	struct fw_memmap memmap[FW_MEMMAP_MAX];
	int nr_hugepages;
	struct fw_hugepages hugepages[FW_HUGEPAGE_SIZES];
	int nr_reserve_mem;
	struct fw_reserve_mem_arg reserve_mem[FW_RESERVE_MEM_MAX];
	bool kernelcore_mirror; /* kernelcore=mirror */
	bool movable_node;	/* movable_node */
	bool initrd_set;
	uint64_t initrd_start; /* initrd=start,size */
	uint64_t initrd_size;
	bool numa_off;	      /* numa=off */
	bool numa_noacpi;     /* numa=noacpi */
	bool has_crashkernel; /* some crashkernel= present */
	bool cma_set;	      /* cma=SIZE (size_cmdline of dma_contiguous_reserve) */
	uint64_t cma_size;
	/*
	 * Options this architecture's kernel has no handler for, as the
	 * kernel lists them ("Unknown kernel command line parameters ..."),
	 * and options the kernel has but fw_cmdline_parse() users do not
	 * model; both space-separated, "" when none.
	 */
	char unknown[FW_CMDLINE_MAX];
	char unmodelled[512];
};

/*
 * FW_ARCH_ARM is 32-bit ARM (the 4.x kernels of seed 002): its early_mem()
 * prints nothing; mem= is recorded (page-aligned) here, and the ARM boot
 * sequence (src/sim/arch/arm.c) applies each mem=SIZE[@START] itself, as
 * banks; its crash kernel rules live there too (fw_crash_arch() returns
 * NULL).
 */
enum fw_arch { FW_ARCH_X86_64 = 0, FW_ARCH_ARM64, FW_ARCH_RISCV64, FW_ARCH_ARM, FW_ARCH_COUNT };

/**
 * fw_cmdline_parse() - parse a kernel command line as parse_early_param()
 * and the __setup handlers do
 * @text: the command line (bootargs)
 * @arch: mem= prints "Memory limited to %lldMB" on arm64/riscv64 and is
 *        page-aligned there; memmap= exists on x86 only
 * @out: result, zeroed first
 * @log: print sink for the kernel's warnings (may be NULL)
 *
 * An option the kernel of @arch lacks (memmap= outside x86, numa= on
 * 32-bit ARM) is listed in @out->unknown; one it has but this library
 * does not model (movable_node, kernelcore=mirror, initrd=, ...) in
 * @out->unmodelled. Other unknown options are ignored; a malformed value prints the kernel's
 * warning (e.g. "Malformed early option 'mem'") and that option is
 * ignored. Nothing is applied to any allocator here.
 *
 * Return: 0; -MB_EINVAL for NULL arguments; -MB_ERANGE when @text is
 * longer than FW_CMDLINE_MAX - 1 (one message, @out left zeroed).
 */
int fw_cmdline_parse(const char *text, enum fw_arch arch, struct fw_cmdline *out,
		     const struct memblock *log);

/**
 * fw_cmdline_config() - set the instance settings a command line controls
 * @cl: parsed command line
 * @cfg: config to update before mb_init(): debug (memblock=debug),
 *       movable_node, mirrored_kernelcore (kernelcore=mirror)
 */
void fw_cmdline_config(const struct fw_cmdline *cl, struct mb_config *cfg);

/**
 * fw_cmdline_apply_debug() - memblock=debug on a live instance
 * @cl: parsed command line
 * @mb: instance (mb->debug set when the option is present)
 */
void fw_cmdline_apply_debug(const struct fw_cmdline *cl, struct memblock *mb);

/* How an architecture places the crash kernel (its crash_reserve.h). */
struct fw_crash_arch {
	const char *name;
	uint64_t align;	      /* CRASH_ALIGN */
	uint64_t low_max;     /* CRASH_ADDR_LOW_MAX */
	uint64_t high_max;    /* CRASH_ADDR_HIGH_MAX (MB_ALLOC_ACCESSIBLE allowed) */
	uint64_t default_low; /* DEFAULT_CRASH_KERNEL_LOW_SIZE */
	bool has_high_low;    /* crashkernel=,high / ,low understood */
	/*
	 * parse_crashkernel() of the 5.x kernels refused neither a zero size
	 * nor one of all memory or more (the architecture code then found
	 * no room): set for those sequences (riscv 5.x of the boot simulator).
	 */
	bool legacy_size_check;
};

/**
 * fw_crash_arch() - the crash kernel placement rules of an architecture
 * @arch: which one
 *
 * x86_64: 16M alignment, low below 4G, high below 64T, default low
 * 256M (max(swiotlb 64M + 8M, 256M)); arm64 and riscv64: 2M alignment,
 * low below 4G (the DMA32 limit of a typical board), high anywhere
 * accessible, default low 128M.
 *
 * Return: the rules, or NULL for an unknown @arch and for FW_ARCH_ARM.
 */
const struct fw_crash_arch *fw_crash_arch(enum fw_arch arch);

/**
 * fw_parse_crashkernel() - the kernel's parse_crashkernel()
 * @line: whole command line (the last crashkernel= wins)
 * @system_ram: memblock_phys_mem_size() at the time of the call
 * @arch: rules (has_high_low and default_low are used)
 * @crash_size: out
 * @crash_base: out, 0 = anywhere
 * @low_size: out
 * @high: out
 * @log: sink for the kernel's "crashkernel: ..." warnings (may be NULL)
 *
 * Return: 0; -MB_ENOENT when no crashkernel= is present; -MB_EINVAL when
 * the option is malformed or asks for nothing or for all memory (with
 * @arch->legacy_size_check: only when malformed; @crash_size may then be
 * 0 or too large); -MB_ERANGE when a size overflows.
 */
int fw_parse_crashkernel(const char *line, uint64_t system_ram, const struct fw_crash_arch *arch,
			 uint64_t *crash_size, uint64_t *crash_base, uint64_t *low_size, bool *high,
			 const struct memblock *log);

/**
 * fw_reserve_crashkernel() - arch_reserve_crashkernel() +
 * reserve_crashkernel_generic()
 * @mb: instance
 * @arch: placement rules
 * @cl: parsed command line
 * @out_base: where the crash kernel went (0 when none; may be NULL)
 * @out_size: its size (may be NULL)
 *
 * Prints "crashkernel reserved: 0x%016llx - 0x%016llx (%lld MB)" (end
 * exclusive, as the kernel) or the kernel's failure messages.
 *
 * Return: 0 when reserved or when nothing was asked; -MB_EINVAL for a
 * malformed option (nothing changed); -MB_ENOMEM when the kernel would
 * give up (its message printed, nothing changed: the high part is freed
 * again when the low part fails, as the kernel does).
 */
int fw_reserve_crashkernel(struct memblock *mb, const struct fw_crash_arch *arch,
			   const struct fw_cmdline *cl, uint64_t *out_base, uint64_t *out_size);

/**
 * fw_apply_mem_limit() - mem= on a device-tree architecture
 * @mb: instance
 * @arch: FW_ARCH_ARM64 uses memblock_mem_limit_remove_map(), riscv64
 *        memblock_enforce_memory_limit(); x86 applies mem= to the E820
 *        table instead (fw_e820_apply_cmdline()) and this is a no-op, as
 *        it is for FW_ARCH_ARM (whose mem= adds banks: src/sim/arch/arm.c)
 * @cl: parsed command line
 *
 * Return: 0 or the core's growth error (isolation needs room).
 */
int fw_apply_mem_limit(struct memblock *mb, enum fw_arch arch, const struct fw_cmdline *cl);

/**
 * fw_reserve_mem_one() - one reserve_mem= option: memblock_phys_alloc()
 * and the named table entry (mb_reserve_mem())
 * @mb: instance
 * @arg: the parsed option (fw_cmdline.reserve_mem[i])
 *
 * The kernel prints nothing when it fails; callers that report failures
 * (the boot simulator) call this per option.
 *
 * Return: 0 or the error of mb_reserve_mem().
 */
int fw_reserve_mem_one(struct memblock *mb, const struct fw_reserve_mem_arg *arg);

/**
 * fw_reserve_mem() - apply every reserve_mem= of the command line
 * @mb: instance
 * @cl: parsed command line
 *
 * Return: 0, or the first error of mb_reserve_mem() (later ones are still
 * tried, as the kernel handles each option on its own).
 */
int fw_reserve_mem(struct memblock *mb, const struct fw_cmdline *cl);

/**
 * fw_reserve_gigantic_pages() - boot-time gigantic pages (hugepagesz=1G)
 * @mb: instance
 * @cl: parsed command line
 * @node_online: which nodes have memory (NULL = node 0 only); used for
 *               the round-robin of alloc_bootmem_huge_page()
 * @nr_nodes: entries of @node_online
 * @gigantic_min: smallest page size allocated from memblock (x86 1G;
 *                smaller sizes come later from the buddy allocator)
 * @allocated: pages allocated per hugepage size (may be NULL)
 *
 * Each page is memblock_alloc_try_nid_raw(size, size, 0, ACCESSIBLE, nid)
 * with all but its first page marked RSRV_NOINIT. A shortfall prints the
 * kernel's "HugeTLB: allocating N of page size 1.00 GiB failed..." line.
 *
 * Return: 0 (shortfalls are not errors, as in the kernel), -MB_EINVAL.
 */
int fw_reserve_gigantic_pages(struct memblock *mb, const struct fw_cmdline *cl,
			      const bool *node_online, int nr_nodes, uint64_t gigantic_min,
			      unsigned long *allocated);

/**
 * fw_reserve_initrd() - reserve_initrd_mem() of the device-tree
 * architectures: the initrd's pages reserved, or the kernel's
 * "INITRD: 0x%08llx+0x%08lx is not a memory region - disabling initrd" /
 * "... overlaps in-use memory region" messages
 * @mb: instance
 * @start: physical start (from /chosen or initrd=/initrdmem=, the later wins)
 * @size: bytes; 0 does nothing
 * @page_size: PAGE_SIZE
 *
 * Return: 0 when reserved or nothing to do; -MB_ENOENT when the initrd is
 * disabled (message printed, nothing changed); core growth errors.
 */
int fw_reserve_initrd(struct memblock *mb, uint64_t start, uint64_t size, uint64_t page_size);

/* ================= E820 ================= */

#define FW_E820_MAX 320 /* E820_MAX_ENTRIES: 128 + 3 * MAX_NUMNODES(64) */

enum fw_e820_type {
	FW_E820_RAM = 1,
	FW_E820_RESERVED = 2,
	FW_E820_ACPI = 3,
	FW_E820_NVS = 4,
	FW_E820_UNUSABLE = 5,
	FW_E820_PMEM = 7,
	FW_E820_PRAM = 12,
	FW_E820_SOFT_RESERVED = 0xefffffffu,
	FW_E820_RESERVED_KERN = 128
};

struct fw_e820_entry {
	uint64_t addr;
	uint64_t size;
	uint32_t type;
};

struct fw_e820_table {
	uint32_t nr_entries;
	struct fw_e820_entry entries[FW_E820_MAX];
};

/**
 * fw_e820_parse_text() - read the kernel's own e820 lines
 * @text: lines like "BIOS-e820: [mem 0x0000000000000000-0x000000000009fbff] usable",
 *        optionally prefixed by a "[    0.000000] " timestamp; blank lines,
 *        "#" comments and "BIOS-provided physical RAM map:" are skipped
 * @len: bytes of @text
 * @name: input name for messages
 * @out: table, filled in line order (not sanitized)
 * @log: sink for the error (may be NULL)
 *
 * Return: 0; -MB_EINVAL for a line that is not an e820 line, an unknown
 * type, an end below the start; -MB_ENOSPC for more than FW_E820_MAX lines.
 */
int fw_e820_parse_text(const char *text, size_t len, const char *name, struct fw_e820_table *out,
		       const struct memblock *log);

/**
 * fw_e820_parse_binary() - read boot_params-style 20-byte entries
 * @buf: little-endian {u64 addr, u64 size, u32 type} records
 * @len: bytes (a multiple of 20)
 * @name: input name for messages
 * @out: table
 * @log: sink for the error (may be NULL)
 *
 * Return: 0; -MB_EINVAL when @len is not a multiple of 20, is 0, or an
 * entry wraps past 2^64 (the kernel then ignores the whole table);
 * -MB_ENOSPC for too many entries.
 */
int fw_e820_parse_binary(const void *buf, size_t len, const char *name, struct fw_e820_table *out,
			 const struct memblock *log);

/**
 * fw_e820_load() - read an e820 file: kernel text lines, or binary
 * 20-byte entries when the file is not text
 * @path: file name (used in messages)
 * @out: table (not sanitized)
 * @log: sink for the error (may be NULL)
 *
 * Return: 0, -MB_ENOENT (cannot read) or the parser's error.
 */
int fw_e820_load(const char *path, struct fw_e820_table *out, const struct memblock *log);

/* Encode @t as 20-byte records into @buf (@cap bytes). Return bytes or -MB_ENOSPC. */
long fw_e820_to_binary(const struct fw_e820_table *t, void *buf, size_t cap);

/**
 * fw_e820_sanitize() - e820__update_table(): resolve overlaps by type
 * priority (higher type wins), merge equal neighbours (never PRAM or
 * soft reserved), drop empty entries, sort
 * @t: table
 *
 * Return: 0, or -1 when left unchanged (fewer than 2 entries, or an
 * entry wraps), as the kernel.
 */
int fw_e820_sanitize(struct fw_e820_table *t);

/* "persistent (type 12)", "usable", ... as e820_print_type(); @buf >= 32 bytes. */
const char *fw_e820_type_name(uint32_t type, char *buf, size_t len);

/* e820__print_table(who): "who: [mem %#018Lx-%#018Lx] type" lines. */
void fw_e820_print(const struct fw_e820_table *t, const char *who, const struct memblock *log);

/* e820__range_add/update/remove with the kernel's messages. */
void fw_e820_range_add(struct fw_e820_table *t, uint64_t start, uint64_t size, uint32_t type,
		       const struct memblock *log);
uint64_t fw_e820_range_update(struct fw_e820_table *t, uint64_t start, uint64_t size,
			      uint32_t old_type, uint32_t new_type, const struct memblock *log);
uint64_t fw_e820_range_remove(struct fw_e820_table *t, uint64_t start, uint64_t size,
			      uint32_t old_type, bool check_type, const struct memblock *log);

/**
 * fw_e820_memory_setup() - e820__memory_setup(): sanitize the firmware
 * table and print "BIOS-provided physical RAM map:" and its lines
 * @t: table as read
 * @log: sink
 */
void fw_e820_memory_setup(struct fw_e820_table *t, const struct memblock *log);

/**
 * fw_e820_apply_cmdline() - mem= and memmap= on the table, then
 * e820__finish_early_params()
 * @t: table
 * @cl: parsed command line
 * @log: sink
 *
 * Return: 0; -MB_EINVAL when the user map cannot be sanitized (the
 * kernel panics with "Invalid user supplied memory map"; here the table
 * is restored to what it was).
 */
int fw_e820_apply_cmdline(struct fw_e820_table *t, const struct fw_cmdline *cl,
			  const struct memblock *log);

/* trim_bios_range(): first page to reserved, 0xa0000-0xfffff removed, sanitize. */
void fw_e820_trim_bios_range(struct fw_e820_table *t, const struct memblock *log);

/**
 * fw_e820_end_pfns() - max_pfn and max_low_pfn as setup_arch() computes
 * them, printing "last_pfn = %#lx max_arch_pfn = %#lx" once or twice
 * @t: table
 * @max_arch_pfn: MAX_ARCH_PFN (x86_64 4-level: 1 << 34)
 * @page_shift: 12
 * @max_pfn: out
 * @max_low_pfn: out
 * @log: sink
 */
void fw_e820_end_pfns(const struct fw_e820_table *t, uint64_t max_arch_pfn, unsigned int page_shift,
		      uint64_t *max_pfn, uint64_t *max_low_pfn, const struct memblock *log);

/**
 * fw_e820_memblock_setup() - e820__memblock_setup()
 * @mb: instance
 * @t: sanitized table
 *
 * Allows resizing, adds RAM and RESERVED_KERN entries, reserves soft
 * reserved ones, trims partial pages, dumps (memblock=debug).
 * Return: 0 or the first core error; on a growth failure the entries
 * before it stay added (the kernel would have panicked in the growth).
 */
int fw_e820_memblock_setup(struct memblock *mb, const struct fw_e820_table *t);

/* ================= ACPI SRAT and NUMA ================= */

#define FW_SRAT_MAX_CPUS 1024
#define FW_SRAT_MAX_MEMS 256
#define FW_NUMA_MAX_BLKS (3 * FW_MAX_NODES) /* NR_NODE_MEMBLKS = 2 * MAX_NUMNODES; slack */

#define FW_SRAT_MEM_ENABLED	  0x1u
#define FW_SRAT_MEM_HOT_PLUGGABLE 0x2u
#define FW_SRAT_MEM_NON_VOLATILE  0x4u

struct fw_srat_cpu {
	uint32_t pxm;
	uint32_t apic_id;
	uint32_t flags; /* bit 0 enabled */
	bool x2apic;
	bool bad_length;
};

struct fw_srat_mem {
	uint32_t pxm;
	uint64_t base;
	uint64_t length;
	uint32_t flags;
	uint8_t header_length;
};

struct fw_srat {
	uint8_t revision;
	int nr_cpus;
	struct fw_srat_cpu cpus[FW_SRAT_MAX_CPUS];
	int nr_mems;
	struct fw_srat_mem mems[FW_SRAT_MAX_MEMS];
	int nr_other; /* GICC, generic initiator, ...: counted, not used */
};

/**
 * fw_srat_parse() - validate and read a binary SRAT
 * @buf: the table, ACPI header first
 * @len: bytes available
 * @name: input name for messages
 * @out: result
 * @log: sink for the error (may be NULL)
 *
 * Checks signature "SRAT", header length (>= 48, <= @len), checksum
 * (bytes sum to 0), every subtable length (>= 2, inside the table).
 *
 * Return: 0 or -MB_EINVAL with one message; -MB_ENOSPC for too many entries.
 */
int fw_srat_parse(const void *buf, size_t len, const char *name, struct fw_srat *out,
		  const struct memblock *log);

/* Read and parse an SRAT file. Return 0, -MB_ENOENT or the parser's error. */
int fw_srat_load(const char *path, struct fw_srat *out, const struct memblock *log);

/* NUMA layout text (the machine key numa) -> SRAT bytes written to @path. Return 0, -MB_ENOENT (cannot write), or
 * the errors of fw_numa_text_to_srat(). */
int fw_numa_text_write_srat(const char *text, const char *path, const struct memblock *log);

/* One node of a text NUMA layout (numa = 0:0-2G,1:2G-4G:hotplug). */
struct fw_numa_spec_range {
	int node; /* used as PXM */
	uint64_t start;
	uint64_t end;	/* exclusive */
	uint32_t flags; /* FW_SRAT_MEM_* (ENABLED always set) */
};

/**
 * fw_numa_text_to_srat() - build a real SRAT from a NUMA layout text
 * @text: "node:start-end[:hotplug][:nonvolatile],...", numbers as
 *        mb_memparse() reads them (K/M/G/T/P/E);
 *        "cpus=node:apic[-apic]" items add processor affinity entries
 * @buf: output buffer for the table
 * @cap: its size
 * @out_len: bytes written
 * @log: sink for the error (may be NULL)
 *
 * Return: 0; -MB_EINVAL for bad text; -MB_ENOSPC when @cap is too small.
 */
int fw_numa_text_to_srat(const char *text, void *buf, size_t cap, size_t *out_len,
			 const struct memblock *log);

/* SRAT builder (tests, NUMA layout text): header then entries, checksum fixed by _finish. */
struct fw_srat_builder {
	uint8_t *buf;
	size_t cap;
	size_t len;
	bool overflow;
};
void fw_srat_builder_init(struct fw_srat_builder *b, void *buf, size_t cap, uint8_t revision);
void fw_srat_builder_cpu(struct fw_srat_builder *b, uint32_t pxm, uint8_t apic_id, bool enabled);
void fw_srat_builder_x2apic(struct fw_srat_builder *b, uint32_t pxm, uint32_t apic_id,
			    bool enabled);
void fw_srat_builder_mem(struct fw_srat_builder *b, uint32_t pxm, uint64_t base, uint64_t length,
			 uint32_t flags);
/* Return: table length, or -MB_ENOSPC when the buffer overflowed. */
long fw_srat_builder_finish(struct fw_srat_builder *b);

struct fw_numa_memblk {
	uint64_t start;
	uint64_t end;
	int nid;
};

struct fw_numa_meminfo {
	int nr_blks;
	struct fw_numa_memblk blk[FW_NUMA_MAX_BLKS];
};

/* NUMA state of one boot (the kernel's numa_meminfo, maps and masks). */
struct fw_numa {
	struct fw_numa_meminfo meminfo;
	struct fw_numa_meminfo reserved_meminfo;
	int pxm_to_node[256];
	bool node_parsed[FW_MAX_NODES];
	bool node_found[FW_MAX_NODES];
	bool node_online[FW_MAX_NODES];
	int apic_to_node[32768];
	int max_nodes;	    /* MAX_NUMNODES (<= FW_MAX_NODES) */
	bool srat_disabled; /* numa=noacpi (disable_srat) or bad_srat() */
	bool numa_off;
	uint64_t max_possible_pfn;
	/*
	 * Clipping of numa_meminfo in the cleanup. 6.12 (mm/numa_memblks.c)
	 * clips to [memblock_start_of_DRAM, memblock_end_of_DRAM); x86 before
	 * 6.12 (arch/x86/mm/numa.c) clipped to [0, PFN_PHYS(max_pfn)), which
	 * is what seed 003's "NUMA: Node 0 [mem 0x00000000-..." shows. Set
	 * legacy_x86_bounds and max_pfn for the older behaviour.
	 */
	bool legacy_x86_bounds;
	uint64_t max_pfn;
	/*
	 * Device-tree NUMA before 6.12 (drivers/base/arch_numa.c of 6.1): each
	 * memory node's ranges go straight to memblock_set_node() on memory,
	 * without numa_meminfo; the parse succeeds whatever the last memory
	 * node held; the distance table has MAX_NUMNODES^2 entries, made by
	 * the caller before the parse (fw_numa_alloc_distance()).
	 */
	bool legacy_of;
	/* numa_distance: distance_cnt^2 bytes at distance_phys in memblock. */
	int distance_cnt;
	bool distance_failed; /* allocation failed: no retry until reset */
	int distance_warned, bound_warned, param_warned; /* pr_warn_once() */
	uint64_t distance_phys;
	uint8_t distance[FW_MAX_NODES * FW_MAX_NODES];
};

#define FW_LOCAL_DISTANCE  10
#define FW_REMOTE_DISTANCE 20

/* Reset @numa (all maps empty); @max_nodes <= FW_MAX_NODES. */
void fw_numa_reset(struct fw_numa *numa, int max_nodes, bool numa_off);

/**
 * fw_numa_init_srat() - x86 numa_init(x86_acpi_numa_init) up to the
 * registration of the node ranges in memblock
 * @mb: instance (memory already added)
 * @numa: state (fw_numa_reset() first)
 * @srat: parsed table
 *
 * Resets nids and HOTPLUG, prints the "SRAT: PXM p -> APIC 0x.. -> Node n"
 * and "ACPI: SRAT: Node n PXM p [mem ...]" lines, marks hotplug ranges,
 * cleans numa_meminfo ("NUMA: Node n [mem ...] + [mem ...] -> [mem ...]"),
 * sets the node of every block on memory, reserved ranges per node and
 * clears HOTPLUG on nodes holding reserved memory.
 *
 * Return: 0; -MB_ENOENT when the SRAT gave no memory (call
 * fw_numa_init_dummy() then, as the kernel); -MB_EINVAL for a node
 * overlap (kernel message printed; memblock nids are reset again).
 */
int fw_numa_init_srat(struct memblock *mb, struct fw_numa *numa, const struct fw_srat *srat);

/**
 * fw_numa_init_dummy() - dummy_numa_init(): one node over [0, max_pfn)
 * @mb: instance
 * @numa: state
 * @max_pfn: end of RAM in pages
 * @page_shift: 12
 *
 * Return: 0 or a core error.
 */
int fw_numa_init_dummy(struct memblock *mb, struct fw_numa *numa, uint64_t max_pfn,
		       unsigned int page_shift);

/**
 * fw_numa_register_nodes() - numa_register_nodes(): coverage check,
 * NODE_DATA(n) for every node with memory, dump
 * @mb: instance
 * @numa: state after fw_numa_init_*()
 * @nd_size: bytes of pg_data_t rounded to SMP_CACHE_BYTES (0: skip allocation)
 *
 * Return: 0; -MB_EINVAL when more than 1M of memory has no node (the
 * kernel's "NUMA: no nodes coverage for ..." is printed); -MB_ENOMEM when
 * a NODE_DATA allocation fails (the kernel panics).
 */
int fw_numa_register_nodes(struct memblock *mb, struct fw_numa *numa, uint64_t nd_size);

/**
 * fw_numa_add_memblk() - numa_add_memblk_to(): one block into @mi
 * @mb: instance (for messages)
 * @mi: numa_meminfo
 * @nid: node
 * @start: first byte
 * @end: one past the last byte (equal to @start: ignored)
 * @max_nodes: MAX_NUMNODES
 *
 * A block with a bad node or start > end is warned about and ignored.
 * Return: 0, or -MB_EINVAL when @mi is full ("too many memblk ranges").
 */
int fw_numa_add_memblk(const struct memblock *mb, struct fw_numa_meminfo *mi, int nid,
		       uint64_t start, uint64_t end, int max_nodes);

/**
 * fw_numa_memblks_reset() - the start of numa_memblks_init(): nodes
 * forgotten, every memory and reserved region NUMA_NO_NODE, HOTPLUG
 * cleared, the distance table freed
 * @mb: instance
 * @numa: state
 */
void fw_numa_memblks_reset(struct memblock *mb, struct fw_numa *numa);

/**
 * fw_numa_memblks_finish() - the end of numa_memblks_init():
 * numa_cleanup_meminfo() and numa_register_meminfo() (nodes on memory and
 * reserved, kernel nodes not hotpluggable)
 * @mb: instance
 * @numa: state with numa_meminfo filled
 * @force_top_down: memblock_set_bottom_up(false) first (x86)
 *
 * Return: 0; -MB_EINVAL for overlapping nodes or when no node is known.
 */
int fw_numa_memblks_finish(struct memblock *mb, struct fw_numa *numa, bool force_top_down);

/**
 * fw_numa_alloc_distance() - numa_alloc_distance(): a @cnt x @cnt table of
 * default distances (10 local, 20 remote), memblock_alloc()ed page-aligned
 * @mb: instance
 * @numa: state
 * @cnt: nodes; 0 sizes it as 6.12 does, to the highest node parsed + 1
 *
 * Return: 0 or -MB_ENOMEM ("Warning: can't allocate distance table!").
 */
int fw_numa_alloc_distance(struct memblock *mb, struct fw_numa *numa, int cnt);

/**
 * fw_numa_set_distance() - numa_set_distance(): one entry of the table,
 * made on first use in 6.12; ids out of the table or a distance that does
 * not fit a byte (or is not 10 from a node to itself) are refused with
 * the kernel's one-time warning
 * @mb: instance
 * @numa: state
 * @from: node
 * @to: node
 * @distance: distance
 */
void fw_numa_set_distance(struct memblock *mb, struct fw_numa *numa, int from, int to,
			  int distance);

/**
 * fw_numa_reset_distance() - numa_reset_distance(): free the table
 * (memblock_free) so that the next fw_numa_set_distance() makes a new one
 * @mb: instance
 * @numa: state
 */
void fw_numa_reset_distance(struct memblock *mb, struct fw_numa *numa);

/**
 * fw_numa_distance() - node_distance(): the table's entry, or 10/20
 * outside it
 * @numa: state
 * @from: node
 * @to: node
 *
 * Return: the distance.
 */
int fw_numa_distance(const struct fw_numa *numa, int from, int to);

/**
 * fw_numa_validate_coverage() - memblock_validate_numa_coverage(): memory
 * without a valid node must be at most @threshold bytes
 * @mb: instance
 * @threshold: bytes
 *
 * Return: true, or false with "NUMA: no nodes coverage for %luMB of %luMB RAM".
 */
bool fw_numa_validate_coverage(struct memblock *mb, uint64_t threshold);

/**
 * fw_arch_numa_register_nodes() - numa_register_nodes() of
 * drivers/base/arch_numa.c (arm64, riscv64): every memory region must
 * have a node, then NODE_DATA for every parsed node, memory-less ones
 * included ("Initmem setup node N [<memory-less node>]")
 * @mb: instance
 * @numa: state after a successful init
 * @nd_size: bytes of pg_data_t rounded to SMP_CACHE_BYTES
 *
 * 6.12 checks with memblock_validate_numa_coverage(0) and prints
 * "NODE_DATA(n) allocated [mem ...]"; with @numa->legacy_of (6.1) a region
 * without a node is "NUMA: Warning: invalid memblk node" and the lines are
 * "NUMA: NODE_DATA [mem ...]", "NUMA: NODE_DATA(n) on node m".
 *
 * Return: 0; -MB_EINVAL when a region has no node; -MB_ENOMEM when a
 * NODE_DATA allocation fails (the kernel panics).
 */
int fw_arch_numa_register_nodes(struct memblock *mb, struct fw_numa *numa, uint64_t nd_size);

/* ================= Device tree ================= */

#define FW_DT_MAX_RESERVED 64 /* MAX_RESERVED_REGIONS */
#define FW_DT_NAME_LEN	   64

/* One /reserved-memory region saved as the kernel's struct reserved_mem. */
struct fw_dt_rmem {
	char name[FW_DT_NAME_LEN];
	int node; /* fdt offset, the kernel's tie-breaker in the sort */
	uint64_t base;
	uint64_t size;
	bool nomap;
	bool reusable;
	bool dynamic;
};

/* Per-architecture bits of the device tree scan. */
struct fw_dt_arch {
	uint64_t page_size;   /* PAGE_SIZE for early_init_dt_add_memory_arch (0 = 4K) */
	uint64_t max_addr;    /* MAX_MEMBLOCK_ADDR (0 = ~0) */
	uint64_t phys_offset; /* MIN_MEMBLOCK_ADDR: memory below is ignored (riscv: kernel base) */
	uint64_t cma_align;   /* CMA_MIN_ALIGNMENT_BYTES (0 = 4M) */
};

/* A validated device tree and what the scans found (the kernel's globals). */
struct fw_dt {
	const void *blob;
	size_t len;
	const char *name;
	struct fw_dt_arch arch;
	uint32_t root_addr_cells; /* dt_root_addr_cells */
	uint32_t root_size_cells; /* dt_root_size_cells */
	int chosen;		  /* offset of /chosen, or < 0 */
	char bootargs[FW_CMDLINE_MAX];
	bool has_initrd;
	uint64_t initrd_start, initrd_end;
	uint64_t elfcorehdr_addr, elfcorehdr_size;
	int nr_memory; /* ranges passed to early_init_dt_add_memory_arch */
	int nr_rmem;
	int rmem_total; /* total_reserved_mem_cnt (array the kernel allocates) */
	struct fw_dt_rmem rmem[FW_DT_MAX_RESERVED];
};

/**
 * fw_dt_open() - validate a DTB before anything is applied
 * @dt: state to fill
 * @blob: the flattened device tree (kept by pointer: must outlive @dt)
 * @len: bytes available
 * @name: input name for messages
 * @arch: per-architecture settings (NULL = defaults)
 * @log: sink for the error (may be NULL)
 *
 * Runs libfdt's header and full structure checks (every libfdt error code
 * becomes one "name: <fdt_strerror>" line), reads the root cell sizes
 * (early_init_dt_scan_root) and /chosen (bootargs, initrd, elfcorehdr).
 *
 * Return: 0 or -MB_EINVAL.
 */
int fw_dt_open(struct fw_dt *dt, const void *blob, size_t len, const char *name,
	       const struct fw_dt_arch *arch, const struct memblock *log);

/**
 * fw_dt_scan_nodes() - early_init_dt_scan_nodes(): /memory* nodes
 * (memblock_add after the page alignment and clipping of
 * early_init_dt_add_memory_arch, hotpluggable marked HOTPLUG, disabled
 * nodes skipped), then linux,usable-memory-range (memblock_cap_memory_range
 * and the extra high range added)
 * @mb: instance
 * @dt: opened tree
 *
 * Return: 0 or the first core error.
 */
int fw_dt_scan_nodes(struct memblock *mb, struct fw_dt *dt);

/**
 * fw_dt_scan_reserved_mem() - early_init_fdt_scan_reserved_mem() of 6.12:
 * elfcorehdr, /reserved-memory static regions (reserve, or mark NOMAP
 * for no-map), dynamic regions (size/alignment/alloc-ranges) allocated in
 * node order after every static one, then the /memreserve/ block
 * @mb: instance
 * @dt: opened tree
 *
 * Prints the kernel's "OF: reserved mem: ..." lines for dynamic regions
 * (static ones are printed by fw_dt_reserved_mem_reg_nodes(), later, as
 * in 6.12). Return: 0 or the first core error.
 */
int fw_dt_scan_reserved_mem(struct memblock *mb, struct fw_dt *dt);

/* early_init_fdt_reserve_self(): reserve [dtb_phys, dtb_phys + totalsize). */
int fw_dt_reserve_self(struct memblock *mb, const struct fw_dt *dt, uint64_t dtb_phys);

/**
 * fw_dt_reserved_mem_reg_nodes() - fdt_scan_reserved_mem_reg_nodes():
 * save and report the static regions, then the "OVERLAP DETECTED!" check
 * over all regions sorted by base
 * @mb: instance (for printing, and undoing a failed region init)
 * @dt: tree after fw_dt_scan_reserved_mem()
 */
void fw_dt_reserved_mem_reg_nodes(struct memblock *mb, struct fw_dt *dt);

/**
 * fw_dt_numa_parse() - of_numa_init(): numa-node-id of the cpu nodes
 * (nodes parsed), of the memory nodes (numa_add_memblk() of every reg
 * range), then /distance-map (numa-distance-map-v1)
 * @mb: instance
 * @dt: opened tree
 * @numa: state
 *
 * Return: 0; -MB_ENOENT when (6.12) the last memory node has no
 * numa-node-id, so no node was given at all or some memory has none;
 * -MB_EINVAL for a bad id ("OF: NUMA: bad property in memory node", after
 * "Node id N exceeds maximum value" for one too large) or a bad distance
 * map ("OF: NUMA: Invalid distance[node0 -> node1] = 5").
 */
int fw_dt_numa_parse(struct memblock *mb, struct fw_dt *dt, struct fw_numa *numa);

/**
 * fw_dt_numa_init() - numa_memblks_init(of_numa_init): nodes and hotplug
 * marks reset, fw_dt_numa_parse(), then numa_meminfo cleaned and
 * registered like the SRAT path (with @numa->legacy_of: the parse alone)
 * @mb: instance
 * @dt: opened tree
 * @numa: state (fw_numa_reset() first)
 *
 * Return: 0 or the errors of fw_dt_numa_parse(); -MB_ENOENT with numa=off.
 */
int fw_dt_numa_init(struct memblock *mb, struct fw_dt *dt, struct fw_numa *numa);

/**
 * fw_dt_apply() - the whole early scan in the order of riscv/arm64:
 * fw_dt_open(), fw_dt_scan_nodes(), fw_dt_reserve_self() (when @dtb_phys
 * is not 0), fw_dt_scan_reserved_mem(), fw_dt_reserved_mem_reg_nodes()
 * @mb: instance
 * @dt: state to fill
 * @blob: flattened device tree
 * @len: bytes
 * @name: input name for messages
 * @arch: per-architecture settings (NULL = defaults)
 * @dtb_phys: where the blob sits in physical memory, 0 = not reserved
 *
 * Return: 0; -MB_EINVAL when the blob is bad (nothing applied); core errors.
 */
int fw_dt_apply(struct memblock *mb, struct fw_dt *dt, const void *blob, size_t len,
		const char *name, const struct fw_dt_arch *arch, uint64_t dtb_phys);

/**
 * fw_dt_load() - read a flattened device tree (.dtb) file
 * @path: file name; a .dts source is compiled by the caller (the CLI and
 *        the tests run dtc; the library never spawns a process)
 * @out: malloc'ed blob (free() it)
 * @out_len: its size
 * @log: sink for the error (may be NULL)
 *
 * Return: 0; -MB_ENOENT when the file cannot be read; -MB_ENOMEM.
 */
int fw_dt_load(const char *path, void **out, size_t *out_len, const struct memblock *log);

/* Read a whole file (helper for the CLI). Return 0, -MB_ENOENT, -MB_ENOMEM. */
int fw_read_file(const char *path, void **out, size_t *out_len, const struct memblock *log);

/* ================= Boot loader inputs (x86) ================= */

/**
 * fw_e820_from_multiboot() - a Multiboot v1 memory map as an E820 table
 * @mmap: the mmap_addr buffer: entries of {u32 size, u64 addr, u64 len,
 *        u32 type}, size not counting itself (>= 20)
 * @len: mmap_length
 * @name: input name for messages
 * @out: table in entry order (not sanitized); the types are kept, as
 *       Multiboot's are the BIOS E820 numbers
 * @log: sink for the error (may be NULL)
 *
 * Return: 0; -MB_EINVAL for a truncated or wrapping entry or an empty map;
 * -MB_ENOSPC for more than FW_E820_MAX entries.
 */
int fw_e820_from_multiboot(const void *mmap, size_t len, const char *name,
			   struct fw_e820_table *out, const struct memblock *log);

/* Read access to physical memory for the ACPI walk: NULL when unreadable. */
typedef const void *(*fw_phys_map_fn)(void *ctx, uint64_t phys, size_t len);

/**
 * fw_acpi_find_rsdp() - the ACPI root pointer, searched like the kernel's
 * acpi_find_root_pointer(): the first KiB of the EBDA (segment at 0x40e),
 * then 0xe0000-0xfffff, on 16-byte boundaries, "RSD PTR " with a valid
 * checksum (and extended checksum for revision 2 and later)
 * @map: physical memory access
 * @ctx: its context
 * @rsdp: physical address found
 *
 * Return: 0, -MB_ENOENT when there is none, -MB_EINVAL for NULL arguments.
 */
int fw_acpi_find_rsdp(fw_phys_map_fn map, void *ctx, uint64_t *rsdp);

/**
 * fw_acpi_find_table() - a table by signature through the XSDT (revision
 * 2 and later with an XSDT address) or the RSDT
 * @map: physical memory access
 * @ctx: its context
 * @rsdp: from fw_acpi_find_rsdp()
 * @sig: four characters, e.g. "SRAT"
 * @phys: where the table is
 * @len: its length from its header
 * @log: sink for the error (may be NULL)
 *
 * Return: 0; -MB_ENOENT when no entry has @sig; -MB_EINVAL for a bad
 * RSDT/XSDT or a matching table whose length or checksum is wrong (one
 * message naming it).
 */
int fw_acpi_find_table(fw_phys_map_fn map, void *ctx, uint64_t rsdp, const char *sig,
		       uint64_t *phys, size_t *len, const struct memblock *log);

#ifdef __cplusplus
}
#endif

#endif /* MEMBLOCK_FW_H */
