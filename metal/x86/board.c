/* SPDX-License-Identifier: MIT */
/*
 * board.c - QEMU pc, loaded as a Multiboot v1 ELF: 32-bit protected mode
 * with 64-bit phys_addr_t (RAM above 4 GiB is described, never touched),
 * COM1 console, exit status through isa-debug-exit (port 0xf4; QEMU exits
 * with status * 2 + 1). The memory map comes from the Multiboot mmap (the
 * BIOS E820 map, same type numbers); ACPI from the RSDP found in the EBDA
 * or the BIOS area, then the RSDT or XSDT, then the SRAT (src/fw/acpi.c).
 */
#include <string.h>

#include "main.h"
#include "metal.h"

#define COM1 0x3f8
#define LSR_THRE 0x20
#define DEBUG_EXIT_PORT 0xf4
#define MB_BOOT_MAGIC 0x2badb002u
#define MB_INFO_MMAP (1u << 6)

struct mb_info {
	uint32_t flags, mem_lower, mem_upper, boot_device, cmdline, mods_count, mods_addr;
	uint32_t syms[4];
	uint32_t mmap_length, mmap_addr;
} __attribute__((packed));

static struct fw_e820_table e820;
static uint8_t e820_raw[FW_E820_MAX * 20];
static uint8_t srat[16384];

static void outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static uint8_t inb(uint16_t port)
{
	uint8_t v;

	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

void board_putc(char c)
{
	while (!(inb(COM1 + 5) & LSR_THRE))
		;
	outb(COM1, (uint8_t)c);
}

void board_exit(int status)
{
	__asm__ volatile("outl %0, %1" : : "a"((uint32_t)status), "Nd"((uint16_t)DEBUG_EXIT_PORT));
	for (;;)
		__asm__ volatile("cli; hlt");
}

/* Flat 32-bit segments: physical memory below 4 GiB is addressable as is. */
static const void *map_low(void *ctx, uint64_t phys, size_t len)
{
	(void)ctx;
	if (phys >= (1ull << 32) || len > (1ull << 32) - phys)
		return NULL;
	return (const void *)(uintptr_t)phys;
}

/* The SRAT copied out (its length), 0 when the firmware has none. */
static size_t find_srat(void)
{
	uint64_t rsdp, phys;
	size_t len;

	if (fw_acpi_find_rsdp(map_low, NULL, &rsdp))
		return 0;
	/* Revision 2 and later are read through the XSDT. */
	metal_puts(((const uint8_t *)map_low(NULL, rsdp, 20))[15] >= 2
			   ? "metal: ACPI RSDP revision >= 2 (XSDT)\n"
			   : "metal: ACPI RSDP revision 0 (RSDT)\n");
	if (fw_acpi_find_table(map_low, NULL, rsdp, "SRAT", &phys, &len, NULL) ||
	    len > sizeof(srat))
		return 0;
	memcpy(srat, map_low(NULL, phys, len), len);
	return len;
}

void x86_main(uint32_t magic, const struct mb_info *mbi);

void x86_main(uint32_t magic, const struct mb_info *mbi)
{
	static struct metal_fw fw;

	metal_puts("metal: x86 pc, Multiboot v1, 32-bit protected mode\n");
	if (magic != MB_BOOT_MAGIC || !(mbi->flags & MB_INFO_MMAP)) {
		metal_puts("metal: no Multiboot memory map\n");
		board_exit(2);
	}
	if (fw_e820_from_multiboot((const void *)(uintptr_t)mbi->mmap_addr, mbi->mmap_length,
				   "multiboot mmap", &e820, NULL) ||
	    fw_e820_to_binary(&e820, e820_raw, sizeof(e820_raw)) < 0) {
		metal_puts("metal: bad Multiboot memory map\n");
		board_exit(2);
	}
	fw.kind = METAL_FW_E820;
	fw.e820_raw_len = 20 * e820.nr_entries;
	fw.e820 = &e820;
	fw.e820_raw = e820_raw;
	fw.srat_len = find_srat();
	fw.srat = fw.srat_len ? srat : NULL;
	fw.limit = 1ull << 32;
	metal_run(&fw);
}
