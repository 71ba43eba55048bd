/* SPDX-License-Identifier: MIT */
/*
 * start.S - entry of the ELF QEMU loads with -kernel on virt: EL1, MMU
 * off, no arguments (QEMU passes nothing to a non-Linux image). Zero the
 * bss, paint the stack (for the high-water mark), call C.
 */
	.section .text.start, "ax"
	.globl _start
_start:
	adrp	x0, __bss_start
	add	x0, x0, :lo12:__bss_start
	adrp	x1, __bss_end
	add	x1, x1, :lo12:__bss_end
1:	cmp	x0, x1
	b.hs	2f
	str	xzr, [x0], #8
	b	1b
2:	adrp	x0, __stack_bottom
	add	x0, x0, :lo12:__stack_bottom
	adrp	x1, __stack_top
	add	x1, x1, :lo12:__stack_top
	ldr	w2, =0x5aa5c33c
3:	cmp	x0, x1
	b.hs	4f
	str	w2, [x0], #4
	b	3b
4:	mov	sp, x1
	bl	aarch64_main
5:	wfe
	b	5b
