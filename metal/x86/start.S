/* SPDX-License-Identifier: MIT */
/*
 * start.S - Multiboot v1 entry: 32-bit protected mode, paging off, flat
 * segments, eax = 0x2BADB002, ebx = the Multiboot information. Zero the
 * bss, paint the stack (for the high-water mark), call C.
 */
#define MB_MAGIC 0x1badb002
#define MB_FLAGS 0x00000003 /* modules page aligned, memory information wanted */

	.section .multiboot, "a"
	.align 4
	.long MB_MAGIC
	.long MB_FLAGS
	.long -(MB_MAGIC + MB_FLAGS)

	.section .text.start, "ax"
	.code32
	.globl _start
_start:
	cli
	mov	%eax, %esi
	mov	%ebx, %ebp
	mov	$__bss_start, %edi
	mov	$__bss_end, %ecx
	sub	%edi, %ecx
	xor	%eax, %eax
	cld
	rep stosb
	mov	$__stack_bottom, %edi
	mov	$__stack_top, %ecx
	sub	%edi, %ecx
	shr	$2, %ecx
	mov	$0x5aa5c33c, %eax
	rep stosl
	mov	$__stack_top, %esp
	push	%ebp
	push	%esi
	call	x86_main
1:	hlt
	jmp	1b
