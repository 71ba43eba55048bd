/* SPDX-License-Identifier: MIT */
/*
 * board.c - QEMU aarch64 virt: PL011 console at 0x09000000, exit status
 * through semihosting (SYS_EXIT_EXTENDED; QEMU needs -semihosting), the
 * DTB where QEMU puts it for an ELF image: at the start of RAM,
 * 0x40000000, with no register pointing at it (hw/arm/boot.c places it
 * below the lowest ELF segment when the image leaves room there; the
 * payload is linked at 0x40200000 to leave it 2 MiB).
 */
#include <libfdt.h>

#include "main.h"
#include "metal.h"

#define PL011_BASE 0x09000000ul
#define PL011_DR 0x00
#define PL011_FR 0x18
#define PL011_FR_TXFF (1u << 5)
#define RAM_BASE 0x40000000ul

#define SEMIHOST_SYS_EXIT_EXTENDED 0x20
#define ADP_STOPPED_APPLICATION_EXIT 0x20026

static volatile uint32_t *pl011(unsigned long off)
{
	return (volatile uint32_t *)(PL011_BASE + off);
}

void board_putc(char c)
{
	while (*pl011(PL011_FR) & PL011_FR_TXFF)
		;
	*pl011(PL011_DR) = (unsigned char)c;
}

void board_exit(int status)
{
	uint64_t block[2] = { ADP_STOPPED_APPLICATION_EXIT, (uint64_t)status };
	register uint64_t x0 __asm__("x0") = SEMIHOST_SYS_EXIT_EXTENDED;
	register uint64_t x1 __asm__("x1") = (uintptr_t)block;

	__asm__ volatile("hlt #0xf000" : "+r"(x0) : "r"(x1) : "memory");
	for (;;)
		__asm__ volatile("wfe");
}

void aarch64_main(void);

void aarch64_main(void)
{
	static struct metal_fw fw;
	const void *dtb = (const void *)RAM_BASE;

	metal_puts("metal: aarch64 virt, EL1, MMU off\n");
	if (fdt_check_header(dtb)) {
		metal_puts("metal: no device tree at the start of RAM\n");
		board_exit(2);
	}
	fw.kind = METAL_FW_DT;
	fw.dtb = dtb;
	fw.dtb_len = fdt_totalsize(dtb);
	fw.dtb_phys = RAM_BASE;
	metal_run(&fw);
}
