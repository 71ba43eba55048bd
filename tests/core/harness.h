/* SPDX-License-Identifier: MIT */
/*
 * harness.h - shared fixture for the core tests: an instance with its
 * arrays, a print sink that records lines, and a small simulated RAM
 * window for phys_to_virt (needed by Linux-style array growth).
 */
#ifndef MB_TESTS_CORE_HARNESS_H
#define MB_TESTS_CORE_HARNESS_H

#include <memblock/memblock.h>

#define H_MAX_REGIONS 4096
#define H_MAX_LINES 1024

struct h_line {
	enum mb_log_level level;
	char text[MB_TEXT_MAX];
};

struct harness {
	struct memblock mb;
	struct mb_config cfg;
	struct memblock_region mem[H_MAX_REGIONS];
	struct memblock_region res[H_MAX_REGIONS];
	struct memblock_region phys[8];
	struct h_line lines[H_MAX_LINES];
	int nlines;
	unsigned char *ram;
	mb_phys_addr_t ram_base;
	mb_phys_addr_t ram_size;
	/* handover recording */
	unsigned long freed_pfn[H_MAX_LINES];
	unsigned int freed_order[H_MAX_LINES];
	int nfreed;
	mb_phys_addr_t rsv_start[H_MAX_LINES];
	mb_phys_addr_t rsv_end[H_MAX_LINES];
	int rsv_nid[H_MAX_LINES];
	int nrsv;
};

/* Default config (6.12, debug on, arrays of @mem_max/@res_max entries). */
struct harness *h_new(unsigned long mem_max, unsigned long res_max);
/* Same, then @tweak may edit the config before mb_init. */
struct harness *h_new_cfg(unsigned long mem_max, unsigned long res_max,
			  void (*tweak)(struct mb_config *cfg));
void h_free(struct harness *h);
/* Back [base, base + size) with host memory (phys_to_virt/virt_to_phys). */
void h_ram(struct harness *h, mb_phys_addr_t base, mb_phys_addr_t size);
void h_clear_lines(struct harness *h);
/* Index of the first line equal to @text, or -1. */
int h_find_line(const struct harness *h, const char *text);
void h_print_lines(const struct harness *h);
/*
 * An expected line written with 64-bit %pa ("0x" + 16 digits), turned
 * into the build's width: with MB_PHYS_ADDR_32 every "0x00000000xxxxxxxx"
 * becomes "0xxxxxxxxx". Returns a static buffer (one of 4, rotating).
 */
const char *h_w(const char *line64);

struct h_rgn {
	mb_phys_addr_t base;
	mb_phys_addr_t size;
	unsigned int flags;
	int nid;
};
/* Assert that @type holds exactly @n regions equal to @want (nid < -1: any). */
void h_assert_regions(const struct memblock_type *type, const struct h_rgn *want, unsigned long n);

#endif
