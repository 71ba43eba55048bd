// SPDX-License-Identifier: MIT
/* text.c - kinds, colours, and the kernel's notation for sizes and ranges. */
#include <ctype.h>
#include <string.h>

#include "render_internal.h"

static const struct {
	const char *name, *label, *color;
} kinds[MBR_KIND_COUNT] = {
	[MBR_KIND_KERNEL] = { "kernel", "kernel image", "#3566b8" },
	[MBR_KIND_INITRD] = { "initrd", "initrd", "#7eb0e6" },
	[MBR_KIND_DTB] = { "dtb", "device tree", "#1f9e89" },
	[MBR_KIND_FIRMWARE] = { "firmware", "firmware reserved", "#7a5230" },
	[MBR_KIND_CMA] = { "cma", "CMA", "#e9724c" },
	[MBR_KIND_CRASHKERNEL] = { "crashkernel", "crashkernel", "#c4233a" },
	[MBR_KIND_HUGETLB] = { "hugetlb", "hugetlb pages", "#f2a541" },
	[MBR_KIND_PGTABLE] = { "pgtable", "page tables", "#8a63c4" },
	[MBR_KIND_MEMMAP] = { "memmap", "memmap / sparse", "#e3c449" },
	[MBR_KIND_PERCPU] = { "percpu", "per-cpu areas", "#e76fae" },
	[MBR_KIND_HASH] = { "hash", "hash tables", "#5bb062" },
	[MBR_KIND_BADRAM] = { "badram", "memtest bad RAM", "#1b1b1b" },
	[MBR_KIND_MEMBLOCK] = { "memblock", "memblock arrays", "#8d99a6" },
	[MBR_KIND_OTHER] = { "other", "other", "#b3a48f" },
};

const char *mbr_kind_name(enum mbr_kind kind)
{
	return kind < MBR_KIND_COUNT ? kinds[kind].name : "other";
}

const char *mbri_kind_label(enum mbr_kind kind)
{
	return kind < MBR_KIND_COUNT ? kinds[kind].label : "other";
}

const char *mbri_kind_color(enum mbr_kind kind)
{
	return kind < MBR_KIND_COUNT ? kinds[kind].color : kinds[MBR_KIND_OTHER].color;
}

/* Checked in order: the first word found in the function name decides. */
static const struct {
	const char *word;
	enum mbr_kind kind;
} caller_words[] = {
	{ "crash", MBR_KIND_CRASHKERNEL },
	{ "hugetlb", MBR_KIND_HUGETLB },
	{ "huge_boot", MBR_KIND_HUGETLB },
	{ "gigantic", MBR_KIND_HUGETLB },
	{ "cma", MBR_KIND_CMA },
	{ "dma_contiguous", MBR_KIND_CMA },
	{ "memtest", MBR_KIND_BADRAM },
	{ "bad_mem", MBR_KIND_BADRAM },
	{ "initrd", MBR_KIND_INITRD },
	{ "double_array", MBR_KIND_MEMBLOCK },
	{ "reserve_self", MBR_KIND_DTB },
	{ "reserved_mem", MBR_KIND_FIRMWARE },
	{ "reserve_memory", MBR_KIND_FIRMWARE },
	{ "fdt_reserve", MBR_KIND_FIRMWARE },
	{ "sbi", MBR_KIND_FIRMWARE },
	{ "efi", MBR_KIND_FIRMWARE },
	{ "bios", MBR_KIND_FIRMWARE },
	{ "ebda", MBR_KIND_FIRMWARE },
	{ "smp_scan_config", MBR_KIND_FIRMWARE },
	{ "mptable", MBR_KIND_FIRMWARE },
	{ "acpi", MBR_KIND_FIRMWARE },
	{ "lowmem", MBR_KIND_FIRMWARE },
	{ "fdt", MBR_KIND_DTB },
	{ "dtb", MBR_KIND_DTB },
	{ "dt_alloc", MBR_KIND_DTB },
	{ "dt.alloc", MBR_KIND_DTB },
	{ "unflatten", MBR_KIND_DTB },
	{ "of_alias", MBR_KIND_DTB },
	{ "sparse", MBR_KIND_MEMMAP },
	{ "memmap", MBR_KIND_MEMMAP },
	{ "mem_map", MBR_KIND_MEMMAP },
	{ "usemap", MBR_KIND_MEMMAP },
	{ "earlyonly_bootmem", MBR_KIND_MEMMAP },
	{ "node_data", MBR_KIND_MEMMAP },
	{ "pgdat", MBR_KIND_MEMMAP },
	{ "free_area_init", MBR_KIND_MEMMAP },
	{ "pcpu", MBR_KIND_PERCPU },
	{ "percpu", MBR_KIND_PERCPU },
	{ "hash", MBR_KIND_HASH },
	{ "pgd", MBR_KIND_PGTABLE },
	{ "p4d", MBR_KIND_PGTABLE },
	{ "pud", MBR_KIND_PGTABLE },
	{ "pmd", MBR_KIND_PGTABLE },
	{ "pte", MBR_KIND_PGTABLE },
	{ "pgtable", MBR_KIND_PGTABLE },
	{ "page_table", MBR_KIND_PGTABLE },
	{ "fixmap", MBR_KIND_PGTABLE },
	{ "mem_mapping", MBR_KIND_PGTABLE },
	{ "map_probe", MBR_KIND_PGTABLE },
	{ "low_page", MBR_KIND_PGTABLE },
	{ "getpage", MBR_KIND_PGTABLE },
};

void mbri_caller_function(const char *caller, char *buf, size_t len)
{
	size_t n = 0;

	if (!len)
		return;
	for (; caller && caller[n] && caller[n] != '+' && n + 1 < len; n++)
		buf[n] = (char)tolower((unsigned char)caller[n]);
	buf[n] = '\0';
}

enum mbr_kind mbr_kind_of_caller(const char *caller)
{
	char fn[MBR_CALLER_LEN];

	mbri_caller_function(caller, fn, sizeof(fn));
	for (size_t i = 0; i < sizeof(caller_words) / sizeof(caller_words[0]); i++)
		if (strstr(fn, caller_words[i].word))
			return caller_words[i].kind;
	return MBR_KIND_OTHER;
}

/* "866.0M" reads as more exact than it is: say "866M". */
static void trim_point_zero(char *buf)
{
	char *dot = strstr(buf, ".0");

	if (dot && dot[2] && !(dot[2] >= '0' && dot[2] <= '9'))
		memmove(dot, dot + 2, strlen(dot + 2) + 1);
}

/* "30M", "16K", "1.1G", "74092 bytes": exact when it divides, else one decimal. */
void mbri_fmt_size(char *buf, size_t len, uint64_t size)
{
	static const char units[] = "KMGTPE";
	int u = -1;
	uint64_t scale = 1;

	while (u < 5 && size >= scale * 1024) {
		scale *= 1024;
		u++;
	}
	if (u < 0)
		snprintf(buf, len, "%llu bytes", (unsigned long long)size);
	else if (size % scale == 0)
		snprintf(buf, len, "%llu%c", (unsigned long long)(size / scale), units[u]);
	else
		snprintf(buf, len, "%.1f%c", (double)size / (double)scale, units[u]);
	trim_point_zero(buf);
}

/* The trace's notation: [0x%0Nllx-0x%0Nllx], inclusive end. */
void mbri_fmt_range(char *buf, size_t len, uint64_t base, uint64_t end, unsigned int phys_bits)
{
	int digits = phys_bits == 32 ? 8 : 16;

	snprintf(buf, len, "[0x%0*llx-0x%0*llx]", digits, (unsigned long long)base, digits,
		 (unsigned long long)(end - 1));
}

void mbri_fmt_addr(char *buf, size_t len, uint64_t addr)
{
	snprintf(buf, len, "0x%llx", (unsigned long long)addr);
}

void mbri_put_escaped(FILE *out, const char *text)
{
	for (; *text; text++) {
		switch (*text) {
		case '&':
			fputs("&amp;", out);
			break;
		case '<':
			fputs("&lt;", out);
			break;
		case '>':
			fputs("&gt;", out);
			break;
		case '"':
			fputs("&quot;", out);
			break;
		default:
			if ((unsigned char)*text >= 0x20 || *text == '\n')
				fputc(*text, out);
		}
	}
}
