/* SPDX-License-Identifier: MIT */
/*
 * console.c - lines to the board's console, blobs in hex (so the check
 * can hand the firmware tables the payload saw to `memblock boot`), and
 * the stack high-water mark from the painted stack.
 */
#include "metal.h"

void metal_puts(const char *s)
{
	while (*s) {
		if (*s == '\n')
			board_putc('\r');
		board_putc(*s++);
	}
}

/* "TAG: OFFSET HEX..." lines, 32 bytes each. */
void metal_print_hex(const char *tag, const void *buf, size_t len)
{
	static const char digits[] = "0123456789abcdef";
	const uint8_t *p = buf;
	char line[96];

	for (size_t off = 0; off < len; off += 32) {
		size_t n = 0;

		for (int shift = 28; shift >= 0; shift -= 4)
			line[n++] = digits[(off >> shift) & 15];
		line[n++] = ' ';
		for (size_t i = off; i < len && i < off + 32; i++) {
			line[n++] = digits[p[i] >> 4];
			line[n++] = digits[p[i] & 15];
		}
		line[n++] = '\n';
		line[n] = '\0';
		metal_puts(tag);
		metal_puts(": ");
		metal_puts(line);
	}
}

/* Bytes of stack ever used: the start-up code painted it before the first call. */
size_t metal_stack_high_water(void)
{
	const uint32_t *w = (const uint32_t *)(void *)__stack_bottom;
	const uint32_t *top = (const uint32_t *)(void *)__stack_top;

	while (w < top && *w == METAL_STACK_PAINT)
		w++;
	return (size_t)((const char *)top - (const char *)w);
}
