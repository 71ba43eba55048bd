/* SPDX-License-Identifier: MIT */
/*
 * simram.h - simulated physical memory for hosted programs.
 *
 * A simram is a set of windows [base, base + size) of "physical" memory.
 * Each window is an anonymous private mapping made with MAP_NORESERVE, so
 * the host commits a page only when it is first written: a 1 TiB machine
 * costs what the program actually touches. Zeroing through mem_zero drops
 * whole pages instead of writing them, so it commits nothing either.
 *
 * Windows that touch are one mapping: a block that spans ranges added
 * separately is contiguous on the host, as it is in physical memory. Host
 * and physical addresses agree modulo 2 MiB, so a block has the same
 * alignment on the host as in physical memory.
 *
 * mb_simram_install() plugs the RAM into a struct mb_ops (phys_to_virt,
 * virt_to_phys, mem_sync), which is all the core and memtest need.
 *
 * Fault injection: a list of bad cells, each one bit of one byte.
 *   - stuck-at-0 / stuck-at-1: the bit reads 0 / 1 whatever was written;
 *   - coupled: the victim bit takes the value of an aggressor bit (or its
 *     inverse).
 * Writes go straight through the pointer; the faults are applied by
 * mem_sync(), which memtest calls after writing a range and before
 * reading it back. Faults are applied in the order they were added, the
 * stuck ones first, then the coupled ones, so a coupled victim sees a
 * stuck aggressor's stuck value.
 *
 * Hosted code: uses mmap and malloc. Not thread-safe.
 */
#ifndef MEMBLOCK_SIMRAM_H
#define MEMBLOCK_SIMRAM_H

#include <stdbool.h>
#include <stddef.h>

#include <memblock/memblock.h>

#ifdef __cplusplus
extern "C" {
#endif

struct mb_simram;

enum mb_fault_kind {
	MB_FAULT_STUCK0 = 0, /* bit always reads 0 */
	MB_FAULT_STUCK1,     /* bit always reads 1 */
	MB_FAULT_COUPLED     /* bit follows the aggressor bit */
};

/*
 * One bad cell. @addr/@bit name the faulty (victim) bit: byte @addr,
 * bit @bit of that byte (0 = least significant). For convenience @bit may
 * be 0..63: bit N of the 64-bit little-endian word at @addr, that is bit
 * N % 8 of byte @addr + N / 8; mb_simram_add_fault() normalises it.
 */
struct mb_fault {
	enum mb_fault_kind kind;
	mb_phys_addr_t addr;
	unsigned int bit;
	/* MB_FAULT_COUPLED only: */
	mb_phys_addr_t aggr_addr;
	unsigned int aggr_bit;
	bool inverted; /* victim = !aggressor */
};

/**
 * mb_simram_create() - a new simulated RAM without any window
 * @out: receives the RAM
 *
 * Return: 0, -MB_EINVAL for a NULL @out, -MB_ENOMEM when out of host memory.
 */
int mb_simram_create(struct mb_simram **out);

/**
 * mb_simram_destroy() - unmap every window and free the RAM
 * @ram: RAM from mb_simram_create(), or NULL (ignored)
 */
void mb_simram_destroy(struct mb_simram *ram);

/**
 * mb_simram_add() - back [base, base + size) with host memory
 * @ram: RAM
 * @base: first physical address
 * @size: bytes, > 0; base + size must not wrap
 *
 * The new window reads as zeroes until written. A window it touches
 * joins it (their contents are kept, their host addresses change).
 *
 * Return: 0; -MB_EINVAL for a NULL @ram, a zero size, a range that wraps
 * or overlaps an existing window; -MB_ERANGE when the size does not fit
 * the host's address space; -MB_ENOMEM when the mapping fails.
 */
int mb_simram_add(struct mb_simram *ram, mb_phys_addr_t base, mb_phys_addr_t size);

/**
 * mb_simram_cover() - back every memory region of an instance
 * @ram: RAM
 * @mb: instance whose memory regions must become accessible
 *
 * Adds windows for the parts of mb->memory that no window backs yet
 * (call it again after adding memory). An access that spans a hole
 * between windows fails. A window that joins a new one moves on the
 * host: region arrays of @mb that lie in the simulated RAM are pointed at
 * their new host addresses; other pointers into a moved window go stale.
 *
 * Return: 0 or the first error of mb_simram_add().
 */
int mb_simram_cover(struct mb_simram *ram, struct memblock *mb);

/**
 * mb_simram_release() - give the host pages of every window back
 * @ram: RAM
 *
 * The memory reads as zeroes again afterwards; faults stay.
 */
void mb_simram_release(struct mb_simram *ram);

/**
 * mb_simram_install() - route an instance's memory-access ops to the RAM
 * @ram: RAM (must outlive every user of @ops)
 * @ops: ops to fill: phys_to_virt, virt_to_phys, mem_zero, mem_sync and
 *       mem_ctx are set; the other members are left alone
 */
void mb_simram_install(struct mb_simram *ram, struct mb_ops *ops);

/**
 * mb_simram_phys_to_virt() - host pointer for [phys, phys + size)
 * @ctx: the RAM (struct mb_simram *)
 * @phys: first address
 * @size: bytes; 0 asks for @phys itself
 *
 * Return: the pointer, or NULL when no single window holds the range.
 */
void *mb_simram_phys_to_virt(void *ctx, mb_phys_addr_t phys, mb_phys_addr_t size);

/**
 * mb_simram_virt_to_phys() - physical address of a host pointer
 * @ctx: the RAM
 * @virt: pointer into a window
 *
 * Return: the address, or MB_PHYS_ADDR_MAX when @virt is in no window.
 */
mb_phys_addr_t mb_simram_virt_to_phys(void *ctx, const void *virt);

/**
 * mb_simram_zero() - zero [phys, phys + size) without committing host memory
 * @ctx: the RAM
 * @phys: first address
 * @size: bytes; the part outside every window is ignored
 *
 * Whole pages are given back to the host (they read as zero again), only
 * the partial pages at the ends are written.
 */
void mb_simram_zero(void *ctx, mb_phys_addr_t phys, mb_phys_addr_t size);

/**
 * mb_simram_sync() - apply the faults that lie in [phys, phys + size)
 * @ctx: the RAM
 * @phys: first address written
 * @size: bytes written
 *
 * Faults whose victim bit is outside the range, or outside every window,
 * are left alone.
 */
void mb_simram_sync(void *ctx, mb_phys_addr_t phys, mb_phys_addr_t size);

/**
 * mb_simram_add_fault() - inject one bad cell
 * @ram: RAM
 * @fault: the cell; @bit (and @aggr_bit) 0..63, see struct mb_fault
 *
 * The victim (and aggressor) byte need not be backed yet.
 *
 * Return: 0; -MB_EINVAL for a NULL argument, a bit above 63, an unknown
 * kind or a coupled fault whose aggressor is its own victim;
 * -MB_ERANGE when the normalised byte address wraps; -MB_ENOMEM.
 */
int mb_simram_add_fault(struct mb_simram *ram, const struct mb_fault *fault);

/**
 * mb_simram_fault_count() - number of injected faults
 * @ram: RAM
 *
 * Return: the count (0 for a NULL @ram).
 */
size_t mb_simram_fault_count(const struct mb_simram *ram);

/**
 * mb_simram_clear_faults() - forget every injected fault
 * @ram: RAM
 */
void mb_simram_clear_faults(struct mb_simram *ram);

/**
 * mb_fault_parse() - read one fault from text
 * @text: "ADDR:BIT:stuck0", "ADDR:BIT:stuck1" or
 *        "ADDR:BIT:coupled:AADDR:ABIT" (":coupled-inv:" for the inverse);
 *        numbers in the size grammar of <memblock/size.h> (0x.. hex,
 *        0.. octal, decimal, K..E suffixes)
 * @out: the fault
 *
 * Return: 0, or -MB_EINVAL when the text is not one of the forms above or
 * a bit number is above 63.
 */
int mb_fault_parse(const char *text, struct mb_fault *out);

/**
 * mb_coupled_parse() - read the --coupled form "VADDR:VBIT:AADDR:ABIT[:inv]"
 * @text: the text
 * @out: the fault (kind MB_FAULT_COUPLED)
 *
 * Return: 0 or -MB_EINVAL.
 */
int mb_coupled_parse(const char *text, struct mb_fault *out);

/**
 * mb_simram_load_faults() - inject every fault listed in a file
 * @ram: RAM
 * @path: text file, one mb_fault_parse() form per line; blank lines and
 *        '#' comments are ignored
 * @err_line: receives the 1-based line of the first bad line (may be NULL)
 *
 * Return: 0; -MB_ENOENT when the file cannot be opened; -MB_EINVAL with
 * *err_line set for a bad line (faults of earlier lines stay injected);
 * the errors of mb_simram_add_fault().
 */
int mb_simram_load_faults(struct mb_simram *ram, const char *path, unsigned long *err_line);

#ifdef __cplusplus
}
#endif

#endif /* MEMBLOCK_SIMRAM_H */
