/* SPDX-License-Identifier: MIT */
/*
 * kh.h - the differential harness (scripts/check-linux): what the op
 * script driver (driver.c) needs from the side it runs on. driver.c is
 * compiled twice from the same source: against the kernel's
 * <linux/memblock.h> with glue_kernel.c (in the cache directory, never in
 * the repository) and against our <memblock/linux.h> with glue_ours.c.
 *
 * Both sides see the same simulated physical memory: physical addresses
 * [0, KH_WINDOW) are backed by one host buffer, phys_to_virt(p) is
 * buffer + p (the kernel's own user-space harness uses the identity; a
 * fixed window makes the addresses independent of where malloc() puts
 * things).
 */
#ifndef KHARNESS_KH_H
#define KHARNESS_KH_H

#include <stdbool.h>

/* 4 GiB of simulated RAM, plus a little slack for the top allocation. */
#define KH_WINDOW	(4ULL << 30)
#define KH_WINDOW_SLACK (1ULL << 20)

/**
 * kh_setup() - prepare the side before the first operation
 * @numa: the script wants a NUMA build (the kernel side checks its build)
 * @movable: movable_node=on
 * @mirror: kernelcore=mirror
 * @profile: the kernel version the script is for, "linux-6.12" or
 *           "linux-6.1" (the kernel side checks its build; ours selects it)
 *
 * Return: 0, or -1 with a message on stderr.
 */
int kh_setup(bool numa, bool movable, bool mirror, const char *profile);

void *kh_phys_to_virt(unsigned long long phys);
/* Host memory outside the window (a static region array) has no physical
 * address in the simulation: it reads as KH_NOT_RAM + offset. */
unsigned long long kh_virt_to_phys(const volatile void *virt);
#define KH_NOT_RAM 0xdeadbeef00000000ULL

struct memblock_type;
/* The physmem type: a global in Linux, memblock.physmem in ours. */
struct memblock_type *kh_physmem(void);

/*
 * The precise error of the last call, or 0: ours reports the MB_E* code
 * (memblock_linux_last_error()); Linux has none and always says 0. The
 * driver prints it on an "E" line that the comparison skips but uses to
 * recognise the deliberate difference.
 */
int kh_last_error(void);

/*
 * The regions of @type, current: the array itself on the kernel side,
 * mb_type_regions() on ours (whose arrays may be indexed, KH_INDEX).
 */
struct memblock_region;
const struct memblock_region *kh_regions(struct memblock_type *type);

/* Name of the side, "linux" or "ours". */
const char *kh_side(void);

/*
 * Handover log (the free_all operation): every block of pages released to
 * the page allocator and every range it is told to keep reserved, as a
 * count and an order-sensitive hash. Fed by memblock_free_pages() /
 * reserve_bootmem_region() on the kernel side and by the mb_ops page
 * hooks on ours.
 */
struct kh_page_log {
	unsigned long free_calls;
	unsigned long free_pages;
	unsigned long long free_hash;
	unsigned long reserved_calls;
	unsigned long long reserved_hash;
};

extern struct kh_page_log kh_pages;
void kh_page_freed(unsigned long pfn, unsigned int order);
void kh_page_reserved(unsigned long long start, unsigned long long end, int nid);

/*
 * Kernel-format output of the operation (memblock=debug traces, dumps,
 * warnings printed with printk), one line each, in order. The driver
 * prints them as "L <line>" after the result. %pS (the caller) prints as
 * the word CALLER on both sides: return addresses cannot be compared.
 */
void kh_log_line(const char *line);
/* Print the collected lines with the "L " prefix and forget them. */
void kh_log_flush(void);

/* Called before every operation (ours: sets the %pS label). */
void kh_before_op(void);

/* The buffer behind the window (shared by both glue files). */
void *kh_window_map(void);

#endif /* KHARNESS_KH_H */
