// SPDX-License-Identifier: MIT
/*
 * acpi.c - what a boot loader or a 32-bit payload does before the kernel
 * parses its firmware: the Multiboot v1 memory map turned into an E820
 * table, and the ACPI root pointer found and followed to one table
 * (RSDP in the EBDA or the BIOS area, then the XSDT or RSDT).
 */
#include <string.h>

#include "internal.h"

#define MB_MMAP_MIN 20 /* addr, len, type after the size field */
#define RSDP_V1_LEN 20
#define RSDP_V2_LEN 36
#define SDT_HEADER_LEN 36
#define EBDA_PTR 0x40e /* real-mode segment of the EBDA */
#define BIOS_AREA 0xe0000
#define BIOS_AREA_END 0x100000

int fw_e820_from_multiboot(const void *mmap, size_t len, const char *name,
			   struct fw_e820_table *out, const struct memblock *log)
{
	const uint8_t *p = mmap;
	size_t off = 0;

	if (!mmap || !out)
		return -MB_EINVAL;
	out->nr_entries = 0;
	while (off < len) {
		uint64_t size, addr, bytes;

		if (len - off < 4 + MB_MMAP_MIN || (size = fw_get_le(p + off, 4)) < MB_MMAP_MIN ||
		    size > len - off - 4) {
			fwi_log(log, MB_LOG_ERR, "%s: entry at offset %zu is truncated", name, off);
			return -MB_EINVAL;
		}
		addr = fw_get_le(p + off + 4, 8);
		bytes = fw_get_le(p + off + 12, 8);
		if (bytes && addr + bytes - 1 < addr) {
			fwi_log(log, MB_LOG_ERR, "%s: entry at offset %zu wraps past 2^64", name,
			       off);
			return -MB_EINVAL;
		}
		if (out->nr_entries >= FW_E820_MAX) {
			fwi_log(log, MB_LOG_ERR, "%s: more than %d entries", name, FW_E820_MAX);
			return -MB_ENOSPC;
		}
		/* Multiboot's types are the BIOS E820 numbers (1 RAM, 3 ACPI, 4 NVS, 5 bad). */
		out->entries[out->nr_entries++] =
			(struct fw_e820_entry){ addr, bytes, (uint32_t)fw_get_le(p + off + 20, 4) };
		off += 4 + size;
	}
	if (!out->nr_entries) {
		fwi_log(log, MB_LOG_ERR, "%s: empty memory map", name);
		return -MB_EINVAL;
	}
	return 0;
}

static bool sum_zero(const uint8_t *p, size_t len)
{
	uint8_t sum = 0;

	while (len--)
		sum = (uint8_t)(sum + *p++);
	return sum == 0;
}

static int scan_rsdp(fw_phys_map_fn map, void *ctx, uint64_t start, uint64_t end, uint64_t *out)
{
	for (uint64_t pa = start; pa + RSDP_V1_LEN <= end; pa += 16) {
		const uint8_t *r = map(ctx, pa, RSDP_V1_LEN);

		if (!r || memcmp(r, "RSD PTR ", 8) || !sum_zero(r, RSDP_V1_LEN))
			continue;
		if (r[15] >= 2) { /* ACPI 2.0+: the extended checksum covers 36 bytes */
			r = map(ctx, pa, RSDP_V2_LEN);
			if (!r || !sum_zero(r, RSDP_V2_LEN))
				continue;
		}
		*out = pa;
		return 0;
	}
	return -MB_ENOENT;
}

int fw_acpi_find_rsdp(fw_phys_map_fn map, void *ctx, uint64_t *rsdp)
{
	const uint8_t *seg;
	uint64_t ebda;

	if (!map || !rsdp)
		return -MB_EINVAL;
	seg = map(ctx, EBDA_PTR, 2);
	ebda = seg ? fw_get_le(seg, 2) << 4 : 0;
	/* The EBDA lies in conventional memory; anything else is no pointer. */
	if (ebda >= 0x400 && ebda < 0xa0000 && !scan_rsdp(map, ctx, ebda, ebda + 1024, rsdp))
		return 0;
	return scan_rsdp(map, ctx, BIOS_AREA, BIOS_AREA_END, rsdp);
}

/* A whole table with a sane header and checksum, or NULL. */
static const uint8_t *map_table(fw_phys_map_fn map, void *ctx, uint64_t pa, size_t *len)
{
	const uint8_t *h = map(ctx, pa, SDT_HEADER_LEN), *t;

	if (!h || fw_get_le(h + 4, 4) < SDT_HEADER_LEN)
		return NULL;
	*len = (size_t)fw_get_le(h + 4, 4);
	t = map(ctx, pa, *len);
	return t && sum_zero(t, *len) ? t : NULL;
}

int fw_acpi_find_table(fw_phys_map_fn map, void *ctx, uint64_t rsdp, const char *sig,
		       uint64_t *phys, size_t *len, const struct memblock *log)
{
	const uint8_t *r, *sdt;
	uint64_t sdt_pa;
	size_t sdt_len, entry = 4;

	if (!map || !sig || strlen(sig) != 4 || !phys || !len)
		return -MB_EINVAL;
	r = map(ctx, rsdp, RSDP_V1_LEN);
	if (!r)
		return -MB_EINVAL;
	sdt_pa = fw_get_le(r + 16, 4);
	if (r[15] >= 2 && (r = map(ctx, rsdp, RSDP_V2_LEN)) && fw_get_le(r + 24, 8)) {
		sdt_pa = fw_get_le(r + 24, 8); /* the XSDT wins when there is one */
		entry = 8;
	}
	sdt = map_table(map, ctx, sdt_pa, &sdt_len);
	if (!sdt || memcmp(sdt, entry == 8 ? "XSDT" : "RSDT", 4)) {
		fwi_log(log, MB_LOG_ERR, "ACPI: bad %s at 0x%llx", entry == 8 ? "XSDT" : "RSDT",
		       (unsigned long long)sdt_pa);
		return -MB_EINVAL;
	}
	for (size_t off = SDT_HEADER_LEN; off + entry <= sdt_len; off += entry) {
		uint64_t pa = fw_get_le(sdt + off, (int)entry);
		const uint8_t *h = map(ctx, pa, 4);

		if (!h || memcmp(h, sig, 4))
			continue;
		if (!map_table(map, ctx, pa, len)) {
			fwi_log(log, MB_LOG_ERR, "ACPI: %s at 0x%llx: bad length or checksum", sig,
			       (unsigned long long)pa);
			return -MB_EINVAL;
		}
		*phys = pa;
		return 0;
	}
	return -MB_ENOENT;
}
