// SPDX-License-Identifier: MIT
/*
 * e820.c - the x86 E820 table: sanitizing, range edits and printing the
 * way arch/x86/kernel/e820.c does them in Linux 6.12.
 */
#include <stdio.h>
#include <string.h>

#include "internal.h"

const char *fw_e820_type_name(uint32_t type, char *buf, size_t len)
{
	switch (type) {
	case FW_E820_RAM:
	case FW_E820_RESERVED_KERN:
		return "usable";
	case FW_E820_RESERVED:
		return "reserved";
	case FW_E820_SOFT_RESERVED:
		return "soft reserved";
	case FW_E820_ACPI:
		return "ACPI data";
	case FW_E820_NVS:
		return "ACPI NVS";
	case FW_E820_UNUSABLE:
		return "unusable";
	case FW_E820_PMEM:
	case FW_E820_PRAM:
		snprintf(buf, len, "persistent (type %u)", type);
		return buf;
	default:
		snprintf(buf, len, "type %u", type);
		return buf;
	}
}

void fw_e820_print(const struct fw_e820_table *t, const char *who, const struct memblock *log)
{
	char tbuf[32];

	for (uint32_t i = 0; i < t->nr_entries; i++) {
		const struct fw_e820_entry *e = &t->entries[i];

		fwi_log(log, MB_LOG_INFO, "%s: [mem 0x%016llx-0x%016llx] %s", who,
		       (unsigned long long)e->addr, (unsigned long long)(e->addr + e->size - 1),
		       fw_e820_type_name(e->type, tbuf, sizeof(tbuf)));
	}
}

void fw_e820_range_add(struct fw_e820_table *t, uint64_t start, uint64_t size, uint32_t type,
		       const struct memblock *log)
{
	if (t->nr_entries >= FW_E820_MAX) {
		fwi_log(log, MB_LOG_ERR, "too many entries; ignoring [mem 0x%08llx-0x%08llx]",
		       (unsigned long long)start, (unsigned long long)(start + size - 1));
		return;
	}
	t->entries[t->nr_entries++] = (struct fw_e820_entry){start, size, type};
}

/*
 * Sanitizing: every entry contributes a start and an end change point;
 * walking them in address order (ends after starts at the same address),
 * the highest type among the entries open at a point wins.
 */
struct change_point {
	uint64_t addr;
	uint32_t entry;
	bool is_end;
};

static int cp_cmp(const struct change_point *a, const struct change_point *b)
{
	if (a->addr != b->addr)
		return a->addr > b->addr ? 1 : -1;
	return (int)a->is_end - (int)b->is_end;
}

/* Stable insertion sort: equal points keep table order. */
static void cp_sort(struct change_point *cp, uint32_t n)
{
	for (uint32_t i = 1; i < n; i++) {
		struct change_point v = cp[i];
		uint32_t j = i;

		while (j > 0 && cp_cmp(&cp[j - 1], &v) > 0) {
			cp[j] = cp[j - 1];
			j--;
		}
		cp[j] = v;
	}
}

static bool e820_nomerge(uint32_t type)
{
	return type == FW_E820_PRAM || type == FW_E820_SOFT_RESERVED;
}

static uint32_t open_max_type(const struct fw_e820_table *t, const uint32_t *open, uint32_t n)
{
	uint32_t type = 0;

	for (uint32_t i = 0; i < n; i++)
		if (t->entries[open[i]].type > type)
			type = t->entries[open[i]].type;
	return type;
}

static void open_remove(uint32_t *open, uint32_t *n, uint32_t entry)
{
	for (uint32_t i = 0; i < *n; i++) {
		if (open[i] == entry) {
			open[i] = open[*n - 1];
			(*n)--;
			return;
		}
	}
}

int fw_e820_sanitize(struct fw_e820_table *t)
{
	struct change_point cp[2 * FW_E820_MAX];
	struct fw_e820_entry out[FW_E820_MAX];
	uint32_t open[FW_E820_MAX], nr_open = 0, nr_cp = 0, nr_out = 0;
	uint32_t last_type = 0;
	uint64_t last_addr = 0;

	if (t->nr_entries < 2)
		return -1;
	for (uint32_t i = 0; i < t->nr_entries; i++)
		if (t->entries[i].addr + t->entries[i].size < t->entries[i].addr)
			return -1;
	for (uint32_t i = 0; i < t->nr_entries; i++) {
		if (!t->entries[i].size)
			continue;
		cp[nr_cp++] = (struct change_point){t->entries[i].addr, i, false};
		cp[nr_cp++] =
		    (struct change_point){t->entries[i].addr + t->entries[i].size, i, true};
	}
	cp_sort(cp, nr_cp);
	for (uint32_t k = 0; k < nr_cp; k++) {
		uint32_t type;

		if (!cp[k].is_end)
			open[nr_open++] = cp[k].entry;
		else
			open_remove(open, &nr_open, cp[k].entry);
		type = open_max_type(t, open, nr_open);
		if (type == last_type && !e820_nomerge(type))
			continue;
		if (last_type) {
			out[nr_out].size = cp[k].addr - last_addr;
			if (out[nr_out].size && ++nr_out >= FW_E820_MAX)
				break;
		}
		if (type) {
			out[nr_out].addr = cp[k].addr;
			out[nr_out].type = type;
			last_addr = cp[k].addr;
		}
		last_type = type;
	}
	memcpy(t->entries, out, nr_out * sizeof(out[0]));
	t->nr_entries = nr_out;
	return 0;
}

static void print_update(const char *what, uint64_t start, uint64_t end, uint32_t old_type,
			 bool show_old, uint32_t new_type, bool show_new,
			 const struct memblock *log)
{
	char b1[32], b2[32];

	fwi_log(log, MB_LOG_INFO, "e820: %s [mem 0x%08llx-0x%08llx] %s%s%s", what,
	       (unsigned long long)start, (unsigned long long)(end - 1),
	       show_old ? fw_e820_type_name(old_type, b1, sizeof(b1)) : "", show_new ? " ==> " : "",
	       show_new ? fw_e820_type_name(new_type, b2, sizeof(b2)) : "");
}

/* Shrink @e by the covered part [fs, fe); returns whether it was a head/tail cut. */
static void cut_entry(struct fw_e820_entry *e, uint64_t fs, uint64_t fe)
{
	e->size -= fe - fs;
	if (e->addr < fs)
		return;
	e->addr = fe;
}

uint64_t fw_e820_range_update(struct fw_e820_table *t, uint64_t start, uint64_t size,
			      uint32_t old_type, uint32_t new_type, const struct memblock *log)
{
	uint64_t end, updated = 0;

	if (old_type == new_type)
		return 0; /* the kernel BUG()s */
	if (size > UINT64_MAX - start)
		size = UINT64_MAX - start;
	end = start + size;
	print_update("update", start, end, old_type, true, new_type, true, log);
	for (uint32_t i = 0; i < t->nr_entries; i++) {
		struct fw_e820_entry *e = &t->entries[i];
		uint64_t e_end = e->addr + e->size, fs, fe;

		if (e->type != old_type)
			continue;
		if (e->addr >= start && e_end <= end) {
			e->type = new_type;
			updated += e->size;
			continue;
		}
		if (e->addr < start && e_end > end) {
			fw_e820_range_add(t, start, size, new_type, log);
			fw_e820_range_add(t, end, e_end - end, e->type, log);
			e->size = start - e->addr;
			updated += size;
			continue;
		}
		fs = fw_max64(start, e->addr);
		fe = fw_min64(end, e_end);
		if (fs >= fe)
			continue;
		fw_e820_range_add(t, fs, fe - fs, new_type, log);
		updated += fe - fs;
		cut_entry(e, fs, fe);
	}
	return updated;
}

uint64_t fw_e820_range_remove(struct fw_e820_table *t, uint64_t start, uint64_t size,
			      uint32_t old_type, bool check_type, const struct memblock *log)
{
	uint64_t end, removed = 0;

	if (size > UINT64_MAX - start)
		size = UINT64_MAX - start;
	end = start + size;
	print_update("remove", start, end, old_type, check_type, 0, false, log);
	for (uint32_t i = 0; i < t->nr_entries; i++) {
		struct fw_e820_entry *e = &t->entries[i];
		uint64_t e_end = e->addr + e->size, fs, fe;

		if (check_type && e->type != old_type)
			continue;
		if (e->addr >= start && e_end <= end) {
			removed += e->size;
			memset(e, 0, sizeof(*e));
			continue;
		}
		if (e->addr < start && e_end > end) {
			fw_e820_range_add(t, end, e_end - end, e->type, log);
			e->size = start - e->addr;
			removed += size;
			continue;
		}
		fs = fw_max64(start, e->addr);
		fe = fw_min64(end, e_end);
		if (fs >= fe)
			continue;
		removed += fe - fs;
		cut_entry(e, fs, fe);
	}
	return removed;
}

long fw_e820_to_binary(const struct fw_e820_table *t, void *buf, size_t cap)
{
	uint8_t *p = buf;

	if ((size_t)t->nr_entries * 20 > cap)
		return -MB_ENOSPC;
	for (uint32_t i = 0; i < t->nr_entries; i++, p += 20) {
		fw_put_le(p, t->entries[i].addr, 8);
		fw_put_le(p + 8, t->entries[i].size, 8);
		fw_put_le(p + 16, t->entries[i].type, 4);
	}
	return (long)t->nr_entries * 20;
}

int fw_e820_parse_binary(const void *buf, size_t len, const char *name, struct fw_e820_table *out,
			 const struct memblock *log)
{
	const uint8_t *p = buf;
	size_t n = len / 20;

	out->nr_entries = 0;
	if (!buf || len == 0 || len % 20) {
		fwi_log(log, MB_LOG_ERR,
		       "%s: %zu bytes is not a whole number of 20-byte e820 entries", name, len);
		return -MB_EINVAL;
	}
	if (n > FW_E820_MAX) {
		fwi_log(log, MB_LOG_ERR, "%s: %zu e820 entries, at most %d fit", name, n,
		       FW_E820_MAX);
		return -MB_ENOSPC;
	}
	for (size_t i = 0; i < n; i++, p += 20) {
		struct fw_e820_entry e = {fw_get_le(p, 8), fw_get_le(p + 8, 8),
					  (uint32_t)fw_get_le(p + 16, 4)};

		/* __append_e820_table(): a wrapping entry voids the whole table */
		if (e.size && e.addr > e.addr + e.size - 1) {
			fwi_log(log, MB_LOG_ERR,
			       "%s: e820 entry %zu [0x%llx + 0x%llx] wraps past 2^64", name, i,
			       (unsigned long long)e.addr, (unsigned long long)e.size);
			out->nr_entries = 0;
			return -MB_EINVAL;
		}
		out->entries[out->nr_entries++] = e;
	}
	return 0;
}
