/* SPDX-License-Identifier: MIT */
/*
 * board.c - QEMU pc, loaded as a Multiboot v1 ELF: 32-bit protected mode
 * with 64-bit phys_addr_t (RAM above 4 GiB is described, never touched),
 * COM1 console, exit status through isa-debug-exit (port 0xf4; QEMU exits
 * with status * 2 + 1). The memory map comes from the Multiboot mmap (the
 * BIOS E820 map, same type numbers); ACPI from the RSDP found in the EBDA
 * or the BIOS area, then the RSDT or XSDT, then the SRAT.
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

struct mb_mmap {
	uint32_t size; /* of the rest of the entry */
	uint64_t addr, len;
	uint32_t type;
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

static void put_le(uint8_t *p, uint64_t v, int bytes)
{
	for (int i = 0; i < bytes; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/* The Multiboot mmap as an E820 table and as 20-byte records. */
static size_t read_mmap(const struct mb_info *mbi)
{
	uint32_t off = 0;

	while (off + sizeof(struct mb_mmap) <= mbi->mmap_length && e820.nr_entries < FW_E820_MAX) {
		const struct mb_mmap *m = (const void *)(uintptr_t)(mbi->mmap_addr + off);
		uint8_t *rec = e820_raw + 20 * e820.nr_entries;

		e820.entries[e820.nr_entries++] = (struct fw_e820_entry){ m->addr, m->len, m->type };
		put_le(rec, m->addr, 8);
		put_le(rec + 8, m->len, 8);
		put_le(rec + 16, m->type, 4);
		off += m->size + 4;
	}
	return 20 * e820.nr_entries;
}

static bool checksum_ok(const void *p, size_t len)
{
	const uint8_t *b = p;
	uint8_t sum = 0;

	while (len--)
		sum += *b++;
	return sum == 0;
}

static const uint8_t *find_rsdp_in(uintptr_t start, uintptr_t end)
{
	for (uintptr_t p = start; p + 20 <= end; p += 16)
		if (!memcmp((const void *)p, "RSD PTR ", 8) && checksum_ok((const void *)p, 20))
			return (const uint8_t *)p;
	return NULL;
}

/* The EBDA's first KiB (segment at 0x40e), then 0xe0000-0xfffff. */
static const uint8_t *find_rsdp(void)
{
	uintptr_t ebda = (uintptr_t)(*(const volatile uint16_t *)0x40e) << 4;
	const uint8_t *r = NULL;

	if (ebda >= 0x400 && ebda < 0xa0000)
		r = find_rsdp_in(ebda, ebda + 1024);
	return r ? r : find_rsdp_in(0xe0000, 0x100000);
}

static uint32_t le32(const uint8_t *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

/* The SRAT through the XSDT (ACPI 2.0+) or the RSDT; its length, 0 when none. */
static size_t find_srat(void)
{
	const uint8_t *rsdp = find_rsdp(), *sdt;
	size_t entry;

	if (!rsdp)
		return 0;
	if (rsdp[15] >= 2 && le32(rsdp + 24)) {
		sdt = (const uint8_t *)(uintptr_t)le32(rsdp + 24); /* XSDT below 4G on pc */
		entry = 8;
	} else {
		sdt = (const uint8_t *)(uintptr_t)le32(rsdp + 16);
		entry = 4;
	}
	for (size_t off = 36; off + entry <= le32(sdt + 4); off += entry) {
		const uint8_t *t = (const uint8_t *)(uintptr_t)le32(sdt + off);
		uint32_t len = le32(t + 4);

		if (!memcmp(t, "SRAT", 4) && len <= sizeof(srat) && checksum_ok(t, len)) {
			memcpy(srat, t, len);
			return len;
		}
	}
	return 0;
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
	fw.kind = METAL_FW_E820;
	fw.e820_raw_len = read_mmap(mbi);
	fw.e820 = &e820;
	fw.e820_raw = e820_raw;
	fw.srat_len = find_srat();
	fw.srat = fw.srat_len ? srat : NULL;
	fw.limit = 1ull << 32;
	metal_run(&fw);
}
