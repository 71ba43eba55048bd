/* SPDX-License-Identifier: MIT */
/*
 * start.S - entry from OpenSBI in S-mode: a0 = hart id, a1 = DTB.
 * Zero the bss, paint the stack (for the high-water mark), call C.
 */
	.section .text.start, "ax"
	.globl _start
_start:
	la	t0, __bss_start
	la	t1, __bss_end
1:	bgeu	t0, t1, 2f
	sd	zero, 0(t0)
	addi	t0, t0, 8
	j	1b
2:	la	t0, __stack_bottom
	la	t1, __stack_top
	li	t2, 0x5aa5c33c
3:	bgeu	t0, t1, 4f
	sw	t2, 0(t0)
	addi	t0, t0, 4
	j	3b
4:	mv	sp, t1
	call	riscv_main
5:	wfi
	j	5b
