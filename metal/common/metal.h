/* SPDX-License-Identifier: MIT */
/*
 * metal.h - what every payload's board file provides to the common main
 * (metal/common/main.c) and what the start-up code provides to the board.
 */
#ifndef METAL_METAL_H
#define METAL_METAL_H

#include <stddef.h>
#include <stdint.h>

#define METAL_STACK_PAINT 0x5aa5c33cu /* one 32-bit word, repeated */

/* Board: the console and the way out. */
void board_putc(char c);
void board_exit(int status) __attribute__((noreturn));

/* Linker script symbols. */
extern char __image_start[], __image_end[], __stack_bottom[], __stack_top[];

/* Common helpers (main.c). */
void metal_puts(const char *s);
void metal_print_hex(const char *tag, const void *buf, size_t len);
size_t metal_stack_high_water(void);

#endif /* METAL_METAL_H */
