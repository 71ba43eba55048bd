/* SPDX-License-Identifier: MIT */
/*
 * board.c - QEMU riscv64 virt under OpenSBI: console through the SBI
 * legacy putchar call, exit through the sifive_test finisher (S-mode may
 * write it: OpenSBI leaves all memory but its own to S-mode), the DTB
 * from a1.
 */
#include <libfdt.h>

#include "main.h"
#include "metal.h"

#define SIFIVE_TEST 0x100000ul
#define FINISHER_PASS 0x5555u
#define FINISHER_FAIL 0x3333u

void board_putc(char c)
{
	register long a0 __asm__("a0") = (unsigned char)c;
	register long a7 __asm__("a7") = 1; /* SBI_EXT_0_1_CONSOLE_PUTCHAR */

	__asm__ volatile("ecall" : "+r"(a0) : "r"(a7) : "memory");
}

void board_exit(int status)
{
	volatile uint32_t *finisher = (volatile uint32_t *)SIFIVE_TEST;

	*finisher = status ? ((uint32_t)status << 16) | FINISHER_FAIL : FINISHER_PASS;
	for (;;)
		__asm__ volatile("wfi");
}

void riscv_main(unsigned long hartid, const void *dtb);

void riscv_main(unsigned long hartid, const void *dtb)
{
	static struct metal_fw fw;

	(void)hartid;
	metal_puts("metal: riscv64 virt, S-mode under OpenSBI\n");
	if (fdt_check_header(dtb)) {
		metal_puts("metal: a1 holds no device tree\n");
		board_exit(2);
	}
	fw.kind = METAL_FW_DT;
	fw.dtb = dtb;
	fw.dtb_len = fdt_totalsize(dtb);
	fw.dtb_phys = (uintptr_t)dtb;
	metal_run(&fw);
}
