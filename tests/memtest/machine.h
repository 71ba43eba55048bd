/* SPDX-License-Identifier: MIT */
/*
 * machine.h - a test machine for memtest: an instance over simulated RAM
 * whose printed lines are captured.
 */
#ifndef MEMTEST_TEST_MACHINE_H
#define MEMTEST_TEST_MACHINE_H

#include <stdbool.h>
#include <stddef.h>

#include <memblock/memblock.h>
#include <memblock/memtest.h>
#include <memblock/simram.h>

#define MACHINE_MAX_LINES 4096
#define MACHINE_REGIONS	  128

struct machine {
	struct memblock mb;
	struct memblock_region memory[MACHINE_REGIONS];
	struct memblock_region reserved[MACHINE_REGIONS];
	struct mb_simram *ram;
	size_t nr_lines;
	char *lines[MACHINE_MAX_LINES];
};

/* A fresh 6.12 instance, memory ops over a new simram, lines captured. */
struct machine *machine_new(void);
void machine_free(struct machine *m);
/* mb_add() the range and back it with RAM. */
void machine_add(struct machine *m, mb_phys_addr_t base, mb_phys_addr_t size);
void machine_clear_lines(struct machine *m);
/* Assert that the captured lines are exactly @expected[0..n). */
void machine_expect_lines(const struct machine *m, const char *const *expected, size_t n);
/* Assert that the reserved regions are exactly the [start, end) pairs. */
void machine_expect_reserved(const struct machine *m, const mb_phys_addr_t (*ranges)[2], size_t n);

#endif /* MEMTEST_TEST_MACHINE_H */
