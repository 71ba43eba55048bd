// SPDX-License-Identifier: MIT
/*
 * harness.c - see harness.h.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "harness.h"

static void sink(void *ctx, enum mb_log_level level, const char *line)
{
	struct harness *h = ctx;

	if (h->nlines >= H_MAX_LINES)
		return;
	h->lines[h->nlines].level = level;
	snprintf(h->lines[h->nlines].text, MB_TEXT_MAX, "%s", line);
	h->nlines++;
}

static void *p2v(void *ctx, mb_phys_addr_t phys, mb_phys_addr_t size)
{
	struct harness *h = ctx;

	if (!h->ram || phys < h->ram_base || size > h->ram_size ||
	    phys - h->ram_base > h->ram_size - size)
		return NULL;
	return h->ram + (phys - h->ram_base);
}

static mb_phys_addr_t v2p(void *ctx, const void *virt)
{
	struct harness *h = ctx;
	const unsigned char *p = virt;

	if (!h->ram || p < h->ram || p >= h->ram + h->ram_size)
		return 0;
	return h->ram_base + (mb_phys_addr_t)(p - h->ram);
}

static void free_pages(void *ctx, unsigned long pfn, unsigned int order)
{
	struct harness *h = ctx;

	if (h->nfreed >= H_MAX_LINES)
		return;
	h->freed_pfn[h->nfreed] = pfn;
	h->freed_order[h->nfreed++] = order;
}

static void reserved_pages(void *ctx, mb_phys_addr_t start, mb_phys_addr_t end, int nid)
{
	struct harness *h = ctx;

	if (h->nrsv >= H_MAX_LINES)
		return;
	h->rsv_start[h->nrsv] = start;
	h->rsv_end[h->nrsv] = end;
	h->rsv_nid[h->nrsv++] = nid;
}

struct harness *h_new_cfg(unsigned long mem_max, unsigned long res_max,
			  void (*tweak)(struct mb_config *cfg))
{
	struct harness *h = calloc(1, sizeof(*h));

	assert_non_null(h);
	assert_true(mem_max <= H_MAX_REGIONS && res_max <= H_MAX_REGIONS);
	mb_config_default(&h->cfg);
	h->cfg.debug = true;
	h->cfg.memory_regions = h->mem;
	h->cfg.memory_max = mem_max;
	h->cfg.reserved_regions = h->res;
	h->cfg.reserved_max = res_max;
	h->cfg.ops.print = sink;
	h->cfg.ops.print_ctx = h;
	h->cfg.ops.phys_to_virt = p2v;
	h->cfg.ops.virt_to_phys = v2p;
	h->cfg.ops.mem_ctx = h;
	h->cfg.ops.free_pages = free_pages;
	h->cfg.ops.reserved_pages = reserved_pages;
	h->cfg.ops.page_ctx = h;
	if (tweak)
		tweak(&h->cfg);
	assert_int_equal(mb_init(&h->mb, &h->cfg), 0);
	return h;
}

struct harness *h_new(unsigned long mem_max, unsigned long res_max)
{
	return h_new_cfg(mem_max, res_max, NULL);
}

void h_free(struct harness *h)
{
	if (!h)
		return;
	free(h->ram);
	free(h);
}

void h_ram(struct harness *h, mb_phys_addr_t base, mb_phys_addr_t size)
{
	free(h->ram);
	h->ram = calloc(1, (size_t)size);
	assert_non_null(h->ram);
	h->ram_base = base;
	h->ram_size = size;
}

void h_clear_lines(struct harness *h)
{
	h->nlines = 0;
}

int h_find_line(const struct harness *h, const char *text)
{
	int i;

	for (i = 0; i < h->nlines; i++)
		if (!strcmp(h->lines[i].text, text))
			return i;
	return -1;
}

void h_print_lines(const struct harness *h)
{
	int i;

	for (i = 0; i < h->nlines; i++)
		printf("  line %d [%d]: %s\n", i, h->lines[i].level, h->lines[i].text);
}

void h_assert_regions(const struct memblock_type *type, const struct h_rgn *want, unsigned long n)
{
	unsigned long i;

	if (type->cnt != n) {
		for (i = 0; i < type->cnt; i++)
			printf("  %s[%lu] base=%#llx size=%#llx flags=%#x nid=%d\n", type->name, i,
			       (unsigned long long)type->regions[i].base,
			       (unsigned long long)type->regions[i].size, type->regions[i].flags,
			       type->regions[i].nid);
	}
	assert_int_equal(type->cnt, n);
	for (i = 0; i < n; i++) {
		assert_int_equal(type->regions[i].base, want[i].base);
		assert_int_equal(type->regions[i].size, want[i].size);
		assert_int_equal(type->regions[i].flags, want[i].flags);
		if (want[i].nid >= -1)
			assert_int_equal(type->regions[i].nid, want[i].nid);
	}
}

const char *h_w(const char *line64)
{
	static char bufs[4][MB_TEXT_MAX];
	static int next;
	char *out = bufs[next++ % 4];
	size_t i = 0, o = 0;

	while (line64[i] && o + 1 < MB_TEXT_MAX) {
		if (sizeof(mb_phys_addr_t) == 4 && !strncmp(&line64[i], "0x00000000", 10) &&
		    strspn(&line64[i + 2], "0123456789abcdef") == 16) {
			memcpy(&out[o], "0x", 2);
			memcpy(&out[o + 2], &line64[i + 10], 8);
			o += 10;
			i += 18;
			continue;
		}
		out[o++] = line64[i++];
	}
	out[o] = '\0';
	return out;
}
