// SPDX-License-Identifier: MIT
/*
 * test_store.c - the index behind the core changes nothing observable.
 *
 * Two instances get the same calls, one flat (MB_INDEX_OFF) and one
 * indexed (MB_INDEX_ON): every result, every printed line and every
 * region must match after each call. The layout is built for the
 * index-aware allocation search: thousands of reserved regions with
 * mostly small gaps, memory in a few regions of four nodes with MIRROR
 * and NOMAP parts, requests of every size and alignment, both
 * directions, node filters, limits at region edges and past them.
 * Then mb_set_index() switching, its refusal, and mb_check() on an index.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <memblock/memblock.h>

#include "harness.h"

static size_t g_pool_bytes;
static bool g_refuse;

static void *pool_alloc(void *ctx, size_t bytes)
{
	(void)ctx;
	if (g_refuse)
		return NULL;
	g_pool_bytes += bytes;
	return malloc(bytes);
}

static void pool_free(void *ctx, void *mem, size_t bytes)
{
	(void)ctx;
	assert_true(g_pool_bytes >= bytes);
	g_pool_bytes -= bytes;
	free(mem);
}

static void tweak(struct mb_config *cfg)
{
	cfg->numa = true;
	cfg->max_numnodes = 4;
	cfg->mirrored_kernelcore = true;
	cfg->ops.index_alloc = pool_alloc;
	cfg->ops.index_free = pool_free;
}

/* splitmix64: the same stream on every host */
static uint64_t next(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

#define MEM_BASE 0x100000u
#define MEM_END 0x20100000u /* 512 MiB of memory in eight pieces */

static void build(struct harness *h)
{
	uint64_t seed = 42;
	mb_phys_addr_t at = MEM_BASE + 0x1000;
	int i;

	for (i = 0; i < 8; i++) {
		mb_phys_addr_t base = MEM_BASE + (mb_phys_addr_t)i * 0x4000000;

		/* a hole of 1 MiB between pieces, except where they touch */
		assert_int_equal(mb_add_node(&h->mb, base, 0x4000000 - (i % 3 ? 0x100000 : 0), i / 2,
					     0),
				 0);
	}
	assert_int_equal(mb_mark_mirror(&h->mb, MEM_BASE + 0x8000000, 0x2000000), 0);
	assert_int_equal(mb_mark_nomap(&h->mb, MEM_BASE + 0x10000000, 0x800000), 0);
	/* 3,000 reserved regions: small gaps, with a big one now and then */
	for (i = 0; i < 3000; i++) {
		mb_phys_addr_t size = 0x100 + (next(&seed) % 16) * 0x100;

		assert_int_equal(mb_reserve(&h->mb, at, size), 0);
		at += size + 0x100 + (next(&seed) % 8 == 0 ? (next(&seed) % 64) * 0x1000 : 0);
	}
}

static void expect_same_regions(struct harness *a, struct harness *b,
				const struct memblock_type *ta, const struct memblock_type *tb)
{
	const struct memblock_region *ra = mb_type_regions(&a->mb, ta);
	const struct memblock_region *rb = mb_type_regions(&b->mb, tb);

	assert_int_equal(ta->cnt, tb->cnt);
	assert_int_equal(ta->max, tb->max);
	assert_int_equal(ta->total_size, tb->total_size);
	assert_memory_equal(ra, rb, ta->cnt * sizeof(*ra));
}

static void expect_same(struct harness *a, struct harness *b)
{
	int i;

	expect_same_regions(a, b, &a->mb.memory, &b->mb.memory);
	expect_same_regions(a, b, &a->mb.reserved, &b->mb.reserved);
	assert_int_equal(a->nlines, b->nlines);
	for (i = 0; i < a->nlines; i++)
		assert_string_equal(a->lines[i].text, b->lines[i].text);
	assert_int_equal(mb_check(&a->mb, NULL, 0), 0);
	assert_int_equal(mb_check(&b->mb, NULL, 0), 0);
	h_clear_lines(a);
	h_clear_lines(b);
}

/* A request worth asking: sizes and alignments of every scale, edges of the layout. */
struct req {
	mb_phys_addr_t size, align, start, end;
	int nid;
	bool bottom_up;
};

static mb_phys_addr_t pick_addr(uint64_t *s)
{
	static const mb_phys_addr_t edges[] = {
		0, MEM_BASE, MEM_BASE + 0x1000, MEM_BASE + 0x3f00000, MEM_BASE + 0x4000000,
		MEM_BASE + 0x8000000, MEM_BASE + 0xa000000, MEM_BASE + 0x10000000, MEM_END,
		MEM_END + 0x1000,
	};

	if (next(s) % 3)
		return edges[next(s) % (sizeof(edges) / sizeof(edges[0]))];
	return MEM_BASE + (mb_phys_addr_t)(next(s) % (MEM_END - MEM_BASE));
}

static void pick(uint64_t *s, struct req *r)
{
	static const mb_phys_addr_t sizes[] = { 0, 1, 0x80, 0x100, 0x1000, 0x2000, 0x10000, 0x40000,
						0x100000, 0x3f00000 };
	mb_phys_addr_t lo, hi;

	r->size = sizes[next(s) % (sizeof(sizes) / sizeof(sizes[0]))];
	r->align = (mb_phys_addr_t)1 << (next(s) % 24);
	lo = pick_addr(s);
	hi = next(s) % 4 ? pick_addr(s) : MB_ALLOC_ANYWHERE;
	r->start = lo < hi ? lo : hi;
	r->end = lo < hi ? hi : lo;
	r->nid = (int)(next(s) % 6) - 1; /* NUMA_NO_NODE, 0..3, and 4 (no memory) */
	r->bottom_up = next(s) % 2;
}

static void test_search_differential(void **state)
{
	struct harness *a = h_new_cfg(H_MAX_REGIONS, H_MAX_REGIONS, tweak);
	struct harness *b = h_new_cfg(H_MAX_REGIONS, H_MAX_REGIONS, tweak);
	uint64_t s = 7;
	mb_phys_addr_t got[64];
	int ngot = 0, i, ok = 0;

	(void)state;
	assert_int_equal(mb_set_index(&b->mb, MB_INDEX_ON), 0);
	build(a);
	build(b);
	expect_same(a, b);
	for (i = 0; i < 4000; i++) {
		struct req r;
		mb_phys_addr_t pa = 0, pb = 0;
		int rca, rcb;

		pick(&s, &r);
		mb_set_bottom_up(&a->mb, r.bottom_up);
		mb_set_bottom_up(&b->mb, r.bottom_up);
		if (ngot == 64 || (ngot && next(&s) % 4 == 0)) {
			mb_phys_addr_t at = got[--ngot];

			/* both fail alike once reserved is full (no growth here) */
			assert_int_equal(mb_phys_free(&a->mb, at, 0x80), mb_phys_free(&b->mb, at, 0x80));
		}
		if (next(&s) % 2) {
			rca = mb_phys_alloc_try_nid(&a->mb, r.size, r.align, r.nid, &pa);
			rcb = mb_phys_alloc_try_nid(&b->mb, r.size, r.align, r.nid, &pb);
		} else {
			rca = mb_phys_alloc_range(&a->mb, r.size, r.align, r.start, r.end, &pa);
			rcb = mb_phys_alloc_range(&b->mb, r.size, r.align, r.start, r.end, &pb);
		}
		assert_int_equal(rca, rcb);
		assert_int_equal(pa, pb);
		ok += !rca;
		if (!rca && r.size >= 0x80)
			got[ngot++] = pa;
		expect_same(a, b);
	}
	/* both outcomes were exercised, and reserved stayed in the thousands */
	assert_true(ok > 1000 && ok < 3900);
	assert_true(b->mb.reserved.cnt > 2000);
	assert_int_equal(mb_set_index(&b->mb, MB_INDEX_OFF), 0);
	assert_int_equal(g_pool_bytes, 0);
	h_free(a);
	h_free(b);
}

/* Switching modes keeps every region; a refused pool changes nothing. */
static void test_set_index_switch(void **state)
{
	struct harness *a = h_new_cfg(H_MAX_REGIONS, H_MAX_REGIONS, tweak);
	struct harness *b = h_new_cfg(H_MAX_REGIONS, 16, tweak);

	(void)state;
	build(a);
	assert_int_equal(mb_set_index(&b->mb, MB_INDEX_AUTO), 0);
	/* AUTO: memory (4,096 slots) is indexed, reserved (16) not yet */
	assert_non_null(b->mb.index[0].nodes);
	assert_null(b->mb.index[1].nodes);
	mb_allow_resize(&b->mb);
	assert_int_equal(mb_set_index(&b->mb, MB_INDEX_ON), 0);
	assert_int_equal(mb_set_index(&b->mb, MB_INDEX_AUTO), 0);
	assert_null(b->mb.index[1].nodes);
	assert_int_equal(mb_set_index(&b->mb, MB_INDEX_OFF), 0);
	assert_int_equal(g_pool_bytes, 0);

	assert_int_equal(mb_set_index(&a->mb, MB_INDEX_ON), 0);
	assert_int_equal(mb_check(&a->mb, NULL, 0), 0);
	assert_int_equal(mb_set_index(&a->mb, MB_INDEX_AUTO), 0);
	assert_int_equal(mb_set_index(&a->mb, MB_INDEX_OFF), 0);
	assert_null(a->mb.index[0].nodes);
	/* the arrays hold the regions again, direct reads are fine */
	assert_int_equal(a->mb.reserved.cnt, 3000);
	assert_int_equal(a->mb.reserved.regions[0].base, MEM_BASE + 0x1000);
	g_refuse = true;
	assert_int_equal(mb_set_index(&a->mb, MB_INDEX_ON), -MB_ENOMEM);
	g_refuse = false;
	assert_int_equal(a->mb.index_mode, MB_INDEX_OFF);
	assert_null(a->mb.index[0].nodes);
	assert_null(a->mb.index[1].nodes);
	assert_int_equal(mb_set_index(&a->mb, (enum mb_index_mode)3), -MB_EINVAL);
	assert_int_equal(mb_set_index(NULL, MB_INDEX_ON), -MB_EINVAL);
	assert_int_equal(g_pool_bytes, 0);
	h_free(a);
	h_free(b);
}

/* mb_check() sees an array that differs from its index when not marked stale. */
static void test_check_index_view(void **state)
{
	struct harness *h = h_new_cfg(64, 64, tweak);
	char msg[200];

	(void)state;
	assert_int_equal(mb_set_index(&h->mb, MB_INDEX_ON), 0);
	assert_int_equal(mb_add(&h->mb, 0x100000, 0x100000), 0);
	assert_int_equal(mb_reserve(&h->mb, 0x110000, 0x1000), 0);
	assert_true(h->mb.view_stale[1]);
	/* stale: the array may say anything */
	assert_int_equal(mb_check(&h->mb, NULL, 0), 0);
	assert_int_equal(mb_type_regions(&h->mb, &h->mb.reserved)[0].base, 0x110000);
	assert_false(h->mb.view_stale[1]);
	h->mb.reserved.regions[0].size = 0x2000;
	assert_int_equal(mb_check(&h->mb, msg, sizeof(msg)), -MB_ECORRUPT);
	assert_non_null(strstr(msg, "array differs from the index"));
	h->mb.reserved.regions[0].size = 0x1000;
	assert_int_equal(mb_check(&h->mb, NULL, 0), 0);
	h->mb.reserved.cnt++;
	assert_int_equal(mb_check(&h->mb, msg, sizeof(msg)), -MB_ECORRUPT);
	h->mb.reserved.cnt--;
	assert_int_equal(mb_set_index(&h->mb, MB_INDEX_OFF), 0);
	assert_int_equal(g_pool_bytes, 0);
	h_free(h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_search_differential),
		cmocka_unit_test(test_set_index_switch),
		cmocka_unit_test(test_check_index_view),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
