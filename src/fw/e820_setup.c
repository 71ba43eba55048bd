// SPDX-License-Identifier: MIT
/*
 * e820_setup.c - reading the kernel's e820 lines, and the steps of
 * setup_arch() that turn the table into memblock memory: memory_setup,
 * the mem=/memmap= edits, trim_bios_range, end of RAM, memblock_setup.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define ISA_START 0xa0000ULL
#define ISA_END	  0x100000ULL

static const struct {
	const char *name;
	uint32_t type;
} e820_names[] = {
    {"usable", FW_E820_RAM},
    {"reserved", FW_E820_RESERVED},
    {"soft reserved", FW_E820_SOFT_RESERVED},
    {"ACPI data", FW_E820_ACPI},
    {"ACPI NVS", FW_E820_NVS},
    {"unusable", FW_E820_UNUSABLE},
};

static int type_from_text(const char *s, size_t n, uint32_t *type)
{
	unsigned long long v;
	char tmp[64], *end;

	for (size_t i = 0; i < sizeof(e820_names) / sizeof(e820_names[0]); i++) {
		if (strlen(e820_names[i].name) == n && !strncmp(s, e820_names[i].name, n)) {
			*type = e820_names[i].type;
			return 0;
		}
	}
	if (n >= sizeof(tmp))
		return -MB_EINVAL;
	memcpy(tmp, s, n);
	tmp[n] = '\0';
	if (!strncmp(tmp, "persistent (type ", 17) && isdigit((unsigned char)tmp[17])) {
		v = strtoull(tmp + 17, &end, 10);
		if (!strcmp(end, ")") && (v == FW_E820_PMEM || v == FW_E820_PRAM)) {
			*type = (uint32_t)v;
			return 0;
		}
	} else if (!strncmp(tmp, "type ", 5) && isdigit((unsigned char)tmp[5])) {
		v = strtoull(tmp + 5, &end, 10);
		if (!*end && v <= UINT32_MAX) {
			*type = (uint32_t)v;
			return 0;
		}
	}
	return -MB_EINVAL;
}

static const char *skip_timestamp(const char *p, const char *end)
{
	const char *q = p;

	if (q < end && *q == '[') {
		while (q < end && *q != ']')
			q++;
		if (q < end && q - p < 32 && memchr(p, '.', (size_t)(q - p))) {
			q++;
			while (q < end && *q == ' ')
				q++;
			return q;
		}
	}
	return p;
}

static bool read_hex(const char **pp, const char *end, uint64_t *v)
{
	const char *p = *pp;
	int digits = 0;

	if (end - p < 3 || p[0] != '0' || p[1] != 'x')
		return false;
	p += 2;
	*v = 0;
	while (p < end && isxdigit((unsigned char)*p)) {
		if (++digits > 16)
			return false;
		*v = (*v << 4) |
		     (uint64_t)(isdigit((unsigned char)*p) ? *p - '0'
							   : tolower((unsigned char)*p) - 'a' + 10);
		p++;
	}
	*pp = p;
	return digits > 0;
}

/* "<who>: [mem 0xA-0xB] <type>" → entry; false when the line is not one. */
static bool parse_line(const char *p, const char *end, struct fw_e820_entry *e)
{
	const char *mem = NULL;
	uint64_t first, last;
	uint32_t type;

	for (const char *q = p + 1; q + 7 <= end; q++) {
		if (!memcmp(q, ": [mem ", 7)) {
			mem = q + 7;
			break;
		}
	}
	if (!mem || !read_hex(&mem, end, &first) || mem >= end || *mem++ != '-' ||
	    !read_hex(&mem, end, &last) || end - mem < 2 || mem[0] != ']' || mem[1] != ' ')
		return false;
	mem += 2;
	while (end > mem && isspace((unsigned char)end[-1]))
		end--;
	if (last < first || type_from_text(mem, (size_t)(end - mem), &type))
		return false;
	e->addr = first;
	e->size = last - first + 1;
	e->type = type;
	return e->size != 0; /* [0, ~0] cannot be expressed */
}

/* Blank, "#" comment, or a "... physical RAM map:" heading. */
static bool skippable(const char *p, const char *end)
{
	static const char heading[] = "physical RAM map:";
	const size_t n = sizeof(heading) - 1;

	while (p < end && isspace((unsigned char)*p))
		p++;
	while (end > p && isspace((unsigned char)end[-1]))
		end--;
	if (p == end || *p == '#')
		return true;
	return (size_t)(end - p) >= n && !memcmp(end - n, heading, n);
}

int fw_e820_parse_text(const char *text, size_t len, const char *name, struct fw_e820_table *out,
		       const struct memblock *log)
{
	const char *p = text, *stop = text + len;
	unsigned int line = 0;

	out->nr_entries = 0;
	while (p < stop) {
		const char *eol = memchr(p, '\n', (size_t)(stop - p));
		const char *end = eol ? eol : stop;
		const char *body = skip_timestamp(p, end);
		struct fw_e820_entry e;

		line++;
		if (!skippable(body, end)) {
			if (!parse_line(body, end, &e)) {
				fwi_log(log, MB_LOG_ERR,
				       "%s:%u: not an e820 line (expected \"BIOS-e820: [mem "
				       "0x...-0x...] usable|reserved|...\")",
				       name, line);
				out->nr_entries = 0;
				return -MB_EINVAL;
			}
			if (out->nr_entries >= FW_E820_MAX) {
				fwi_log(log, MB_LOG_ERR, "%s:%u: more than %d e820 entries", name,
				       line, FW_E820_MAX);
				out->nr_entries = 0;
				return -MB_ENOSPC;
			}
			out->entries[out->nr_entries++] = e;
		}
		p = eol ? eol + 1 : stop;
	}
	return 0;
}

void fw_e820_memory_setup(struct fw_e820_table *t, const struct memblock *log)
{
	fw_e820_sanitize(t);
	fwi_log(log, MB_LOG_INFO, "BIOS-provided physical RAM map:");
	fw_e820_print(t, "BIOS-e820", log);
}

static void memmap_apply(struct fw_e820_table *t, const struct fw_memmap *m,
			 const struct memblock *log)
{
	switch (m->op) {
	case FW_MEMMAP_EXACTMAP:
		t->nr_entries = 0;
		break;
	case FW_MEMMAP_LIMIT:
		fw_e820_range_remove(t, m->size, UINT64_MAX - m->size, FW_E820_RAM, true, log);
		break;
	case FW_MEMMAP_ADD:
		fw_e820_range_add(t, m->start, m->size, m->type, log);
		break;
	case FW_MEMMAP_UPDATE:
		fw_e820_range_update(t, m->start, m->size, m->from, m->to, log);
		break;
	case FW_MEMMAP_REMOVE:
		fw_e820_range_remove(t, m->start, m->size, m->from, m->from != 0, log);
		break;
	}
}

int fw_e820_apply_cmdline(struct fw_e820_table *t, const struct fw_cmdline *cl,
			  const struct memblock *log)
{
	struct fw_e820_table *saved;

	if (!t || !cl)
		return -MB_EINVAL;
	if (!cl->nr_memmap)
		return 0;
	saved = malloc(sizeof(*saved));
	if (!saved)
		return -MB_ENOMEM;
	*saved = *t;
	for (int i = 0; i < cl->nr_memmap; i++)
		memmap_apply(t, &cl->memmap[i], log);
	/* e820__finish_early_params(): userdef is set by every memmap=/mem= that parsed */
	if (fw_e820_sanitize(t) < 0) {
		fwi_log(log, MB_LOG_ERR, "Invalid user supplied memory map");
		*t = *saved;
		free(saved);
		return -MB_EINVAL;
	}
	free(saved);
	fwi_log(log, MB_LOG_INFO, "user-defined physical RAM map:");
	fw_e820_print(t, "user", log);
	return 0;
}

void fw_e820_trim_bios_range(struct fw_e820_table *t, const struct memblock *log)
{
	fw_e820_range_update(t, 0, FW_PAGE_SIZE, FW_E820_RAM, FW_E820_RESERVED, log);
	fw_e820_range_remove(t, ISA_START, ISA_END - ISA_START, FW_E820_RAM, true, log);
	fw_e820_sanitize(t);
}

/* e820__end_ram_pfn(): RAM and ACPI data count, as in the kernel. */
static uint64_t end_ram_pfn(const struct fw_e820_table *t, uint64_t limit_pfn,
			    uint64_t max_arch_pfn, unsigned int shift, const struct memblock *log)
{
	uint64_t last_pfn = 0;

	for (uint32_t i = 0; i < t->nr_entries; i++) {
		const struct fw_e820_entry *e = &t->entries[i];
		uint64_t start_pfn, end_pfn;

		if (e->type != FW_E820_RAM && e->type != FW_E820_ACPI)
			continue;
		start_pfn = e->addr >> shift;
		end_pfn = (e->addr + e->size) >> shift;
		if (start_pfn >= limit_pfn)
			continue;
		if (end_pfn > limit_pfn) {
			last_pfn = limit_pfn;
			break;
		}
		if (end_pfn > last_pfn)
			last_pfn = end_pfn;
	}
	if (last_pfn > max_arch_pfn)
		last_pfn = max_arch_pfn;
	fwi_log(log, MB_LOG_INFO, "last_pfn = 0x%llx max_arch_pfn = 0x%llx",
	       (unsigned long long)last_pfn, (unsigned long long)max_arch_pfn);
	return last_pfn;
}

void fw_e820_end_pfns(const struct fw_e820_table *t, uint64_t max_arch_pfn, unsigned int page_shift,
		      uint64_t *max_pfn, uint64_t *max_low_pfn, const struct memblock *log)
{
	uint64_t low_limit = 1ULL << (32 - page_shift);

	*max_pfn = end_ram_pfn(t, max_arch_pfn, max_arch_pfn, page_shift, log);
	if (*max_pfn > low_limit)
		*max_low_pfn = end_ram_pfn(t, low_limit, max_arch_pfn, page_shift, log);
	else
		*max_low_pfn = *max_pfn;
}

int fw_e820_memblock_setup(struct memblock *mb, const struct fw_e820_table *t)
{
	int ret;

	if (!mb || !t)
		return -MB_EINVAL;
	mb_allow_resize(mb);
	fwi_caller(mb, FW_CALLER_E820_MEMBLOCK_SETUP);
	for (uint32_t i = 0; i < t->nr_entries; i++) {
		const struct fw_e820_entry *e = &t->entries[i];
		uint64_t end = e->addr + e->size;

		if ((mb_phys_addr_t)end != end)
			continue;
		if (e->type == FW_E820_SOFT_RESERVED) {
			ret = mb_reserve(mb, e->addr, e->size);
			if (ret)
				return ret;
		}
		if (e->type != FW_E820_RAM && e->type != FW_E820_RESERVED_KERN)
			continue;
		ret = mb_add(mb, e->addr, e->size);
		if (ret)
			return ret;
	}
	ret = mb_trim_memory(mb, FW_PAGE_SIZE);
	mb_dump_all(mb);
	return ret;
}

/* Text unless a byte outside printable ASCII and whitespace shows up. */
static bool looks_like_text(const uint8_t *p, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (!isprint(p[i]) && !isspace(p[i]))
			return false;
	return true;
}

int fw_e820_load(const char *path, struct fw_e820_table *out, const struct memblock *log)
{
	void *buf;
	size_t len;
	int ret;

	if (!path || !out)
		return -MB_EINVAL;
	ret = fw_read_file(path, &buf, &len, log);
	if (ret)
		return ret;
	if (looks_like_text(buf, len))
		ret = fw_e820_parse_text(buf, len, path, out, log);
	else
		ret = fw_e820_parse_binary(buf, len, path, out, log);
	free(buf);
	return ret;
}
