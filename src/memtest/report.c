/* SPDX-License-Identifier: MIT */
/*
 * report.c - what memtest leaves behind: the result, the meminfo line,
 * the memmap= fragment, and the memtest= parameter.
 */
#include "memtest_internal.h"

void mb_memtest_result_init(struct mb_memtest_result *res)
{
	if (!res)
		return;
	res->done = false;
	res->warned = false;
	res->overflow = false;
	res->bad_runs = 0;
	res->reserve_errors = 0;
	res->first_reserve_error = 0;
	res->bad_bytes = 0;
	res->passes_run = 0;
	res->ranges_tested = 0;
	res->bytes_tested = 0;
	res->nr_ranges = 0;
}

/* Insert [start, end) into ranges[] kept sorted, merging what touches. */
static void merge_range(struct mb_memtest_range *ranges, size_t *nr, size_t max, bool *overflow,
			mb_phys_addr_t start, mb_phys_addr_t end)
{
	size_t pos = 0, last;

	while (pos < *nr && ranges[pos].end < start)
		pos++;
	if (pos == *nr || ranges[pos].start > end) {
		if (*nr == max) {
			*overflow = true;
			return;
		}
		for (size_t i = *nr; i > pos; i--)
			ranges[i] = ranges[i - 1];
		ranges[pos].start = start;
		ranges[pos].end = end;
		(*nr)++;
		return;
	}
	/* ranges[pos] touches: absorb it and every later one that does. */
	if (start < ranges[pos].start)
		ranges[pos].start = start;
	for (last = pos; last + 1 < *nr && ranges[last + 1].start <= end; last++)
		;
	/* sorted and disjoint: ranges[last] ends furthest */
	ranges[pos].end = ranges[last].end > end ? ranges[last].end : end;
	for (size_t i = last + 1; i < *nr; i++)
		ranges[pos + 1 + i - (last + 1)] = ranges[i];
	*nr -= last - pos;
}

void mbi_memtest_record_bad(struct mb_memtest_result *res, mb_phys_addr_t start, mb_phys_addr_t end)
{
	res->bad_runs++;
	res->bad_bytes += end - start;
	merge_range(res->ranges, &res->nr_ranges, MB_MEMTEST_MAX_RANGES, &res->overflow, start,
		    end);
}

void mb_memtest_result_add(struct mb_memtest_result *res, mb_phys_addr_t start, mb_phys_addr_t end)
{
	if (!res || end <= start)
		return;
	mbi_memtest_record_bad(res, start, end);
}

static int digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return 99;
}

/* Base as kstrtouint(s, 0) picks it: 0x.. hex, 0.. octal, else decimal. */
static unsigned int detect_base(const char **s)
{
	const char *p = *s;

	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X') && digit_value(p[2]) < 16) {
		*s = p + 2;
		return 16;
	}
	return p[0] == '0' ? 8 : 10;
}

int mb_memtest_parse_arg(const char *arg, unsigned int *passes)
{
	uint64_t value = 0;
	unsigned int base;
	const char *s = arg;

	if (!passes)
		return -MB_EINVAL;
	if (!arg) {
		*passes = MB_MEMTEST_NR_PATTERNS;
		return 0;
	}
	if (*s == '+')
		s++;
	base = detect_base(&s);
	if (digit_value(*s) >= (int)base)
		return -MB_EINVAL;
	for (; digit_value(*s) < (int)base; s++) {
		value = value * base + (uint64_t)digit_value(*s);
		if (value > UINT_MAX)
			return -MB_EINVAL;
	}
	if (*s == '\n')
		s++;
	if (*s != '\0')
		return -MB_EINVAL;
	*passes = (unsigned int)value;
	return 0;
}

/* Decimal right-aligned in @width columns, like "%5lu". */
static void text_udec_width(struct mb_text *t, uint64_t v, unsigned int width)
{
	unsigned int digits = 1;

	for (uint64_t x = v; x >= 10; x /= 10)
		digits++;
	for (; digits < width; digits++)
		mb_text_char(t, ' ');
	mb_text_udec(t, v);
}

int mb_memtest_report_meminfo(const struct memblock *mb, const struct mb_memtest_result *res)
{
	uint64_t kib;
	struct mb_text t;

	if (!mb || !res)
		return -MB_EINVAL;
	if (!res->done)
		return -MB_ENOENT;
	kib = (uint64_t)res->bad_bytes >> 10;
	if (res->bad_bytes && !kib)
		kib = 1;
	mb_text_reset(&t);
	mb_text_str(&t, "EarlyMemtestBad:   ");
	text_udec_width(&t, kib, 5);
	mb_text_str(&t, " kB");
	mb_emit(mb, MB_LOG_INFO, &t);
	return 0;
}

int mb_memtest_memmap_ranges(const struct mb_memtest_result *res, mb_phys_addr_t page_size,
			     struct mb_memtest_range *out, size_t max, size_t *count)
{
	mb_phys_addr_t mask = page_size - 1;
	size_t nr = 0;

	if (!res || !count || (max && !out) || !page_size || (page_size & mask))
		return -MB_EINVAL;
	for (size_t i = 0; i < res->nr_ranges; i++) {
		mb_phys_addr_t start = res->ranges[i].start & ~mask;
		mb_phys_addr_t end = res->ranges[i].end + mask;

		/* a bad range in the top page: keep its end at the top */
		end = end < res->ranges[i].end ? (MB_PHYS_ADDR_MAX & ~mask) : end & ~mask;
		if (nr && nr <= max && start <= out[nr - 1].end) {
			if (end > out[nr - 1].end)
				out[nr - 1].end = end;
			continue;
		}
		if (nr < max) {
			out[nr].start = start;
			out[nr].end = end;
		}
		nr++;
	}
	*count = nr;
	return nr > max ? -MB_ENOSPC : 0;
}

void mb_text_memmap(struct mb_text *t, const struct mb_memtest_range *range)
{
	static const char suffixes[] = "EPTGMK";
	static const unsigned int shifts[] = {60, 50, 40, 30, 20, 10};
	uint64_t size = (uint64_t)(range->end - range->start);
	size_t i;

	mb_text_str(t, "memmap=");
	for (i = 0; i < sizeof(shifts) / sizeof(shifts[0]); i++)
		if (size && !(size & ((1ull << shifts[i]) - 1)))
			break;
	if (i < sizeof(shifts) / sizeof(shifts[0])) {
		mb_text_udec(t, size >> shifts[i]);
		mb_text_char(t, suffixes[i]);
	} else {
		mb_text_udec(t, size);
	}
	mb_text_char(t, '$');
	mb_text_hex(t, (uint64_t)range->start, 1, true);
}
