// SPDX-License-Identifier: MIT
/*
 * core_ops.c - libFuzzer harness: random operation sequences over the
 * public core API, with the invariant checker, the all-or-nothing rule
 * and the reference model of tests/model as oracles.
 * fuzz-sources: src/core tests/model/model.c tests/model/driver.c
 * fuzz-cflags: -Ifuzz/shim -Itests/model
 *
 * The first input byte picks the mode:
 *   even: model mode. A small world of tests/model (callback growth,
 *         tiny arrays, random settings); every operation comes
 *         from 9 input bytes (8 seed the driver's generator, 1 may refuse
 *         the k-th growth). A refused call must fail and leave the
 *         instance byte-identical but for stats; then it runs for real and
 *         the whole instance must match the model.
 *   odd:  wide mode. Linux-style (or no) growth on a small RAM window placed
 *         anywhere in the 64-bit space, every public call (handover,
 *         reserve_mem, limits, queries, iterators) with arguments biased
 *         towards boundaries (0, the top page, the window's edges,
 *         off-by-one), phys_to_virt refusing from a chosen call on.
 *         After every call mb_check() passes; a failing call changes
 *         nothing but stats. Handover runs under a page budget.
 * Both modes run flat or indexed (mb_set_index(): off, on, auto) as the
 * input says: model mode from the knobs byte, wide mode from the
 * reserved capacity byte.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <memblock/memblock.h>

#include <cmocka.h> /* fuzz/shim: fail_msg() aborts */

#include "driver.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct input {
	const uint8_t *p;
	size_t n;
};

static uint8_t in_u8(struct input *in)
{
	uint8_t v;

	if (!in->n)
		return 0;
	v = *in->p++;
	in->n--;
	return v;
}

static uint64_t in_u64(struct input *in)
{
	uint64_t v = 0;
	int i;

	for (i = 0; i < 8; i++)
		v = v << 8 | in_u8(in);
	return v;
}

/* ---- model mode ---- */

struct snap {
	struct memblock mb;
	struct memblock_region *copy[3];
	unsigned long max[3];
};

static struct memblock_type *type_at(struct memblock *mb, int i)
{
	return i == 0 ? &mb->memory : (i == 1 ? &mb->reserved : &mb->physmem);
}

/* Indexed types are compared through mb_type_regions(). */
static void refresh_views(const struct memblock *mb)
{
	int i;

	for (i = 0; i < 3; i++)
		if (type_at((struct memblock *)mb, i)->regions)
			(void)mb_type_regions(mb, type_at((struct memblock *)mb, i));
}

static void snap_take(const struct memblock *mb, struct snap *s)
{
	int i;

	refresh_views(mb);
	s->mb = *mb;
	for (i = 0; i < 3; i++) {
		const struct memblock_type *t = type_at((struct memblock *)mb, i);

		s->copy[i] = NULL;
		s->max[i] = t->max;
		if (!t->regions)
			continue;
		s->copy[i] = malloc(t->max * sizeof(*t->regions));
		if (!s->copy[i])
			abort();
		memcpy(s->copy[i], t->regions, t->max * sizeof(*t->regions));
	}
}

static void snap_free(struct snap *s)
{
	int i;

	for (i = 0; i < 3; i++)
		free(s->copy[i]);
}

/* A failing call: everything as before, but the event counters. */
static void snap_expect_same(struct memblock *mb, struct snap *s, const char *what)
{
	int i;

	refresh_views(mb);
	s->mb.stats = mb->stats;
	/* An index by what it holds, not by the shape of its tree. */
	for (i = 0; i < 3; i++) {
		if (s->mb.index[i].nodes != mb->index[i].nodes ||
		    s->mb.index[i].cap != mb->index[i].cap || s->mb.index[i].cnt != mb->index[i].cnt)
			fail_msg("%s: failing call changed an index pool", what);
		s->mb.index[i] = mb->index[i];
	}
	if (memcmp(&s->mb, mb, sizeof(*mb)))
		fail_msg("%s: failing call changed struct memblock", what);
	for (i = 0; i < 3; i++) {
		const struct memblock_type *t = type_at(mb, i);

		if (s->copy[i] && memcmp(s->copy[i], t->regions, s->max[i] * sizeof(*t->regions)))
			fail_msg("%s: failing call changed %s regions", what, t->name);
	}
}

static void model_step(struct world *w, struct input *in)
{
	struct rng r = { in_u64(in) };
	uint8_t inject = in_u8(in);
	struct op_result res;
	struct snap s;
	struct op op;

	op_generate(w, &r, &op);
	world_record(w, &op);
	if (inject & 0x80) {
		snap_take(&w->mb, &s);
		w->grow_calls = 0;
		w->grow_refused = 0;
		w->grow_fail_from = 1 + (inject & 3);
		world_begin_op(w);
		op_run_core(w, &op, &res);
		w->grow_fail_from = 0;
		if (w->grow_refused) {
			if (res.rc != -MB_ENOMEM && res.rc != -MB_ENOSPC)
				fail_msg("growth refused but rc %d", res.rc);
			/* mark_mirror records the system has mirror even when it fails */
			if (op.kind == OP_MARK_MIRROR && w->wc.mirrored_kernelcore)
				s.mb.system_has_mirror = true;
			snap_expect_same(&w->mb, &s, "model");
			snap_free(&s);
			world_release_unused(w);
		} else {
			/* no growth needed: this was the real run */
			snap_free(&s);
			op_check(w, &op, &res);
			world_release_unused(w);
			return;
		}
	}
	world_begin_op(w);
	op_run_core(w, &op, &res);
	op_check(w, &op, &res);
	world_release_unused(w);
}

static void run_model(struct input *in)
{
	struct rng r = { in_u64(in) };
	struct world_config wc;
	struct world *w;
	uint8_t knobs = in_u8(in);
	int n = 0;

	world_config_random(&wc, &r, knobs & 1);
	wc.index_mode = (enum mb_index_mode)((knobs >> 1) % 3);
	w = world_new(&wc, r.state);
	while (in->n >= 9 && n++ < 256)
		model_step(w, in);
	world_free(w);
}

/* ---- wide mode ---- */

#define WIDE_REGIONS 4
#define WIDE_RAM (64 * 1024)
#define WIDE_BUDGET (1UL << 16)

struct wide {
	struct memblock mb;
	struct memblock_region mem[WIDE_REGIONS], res[WIDE_REGIONS], phys[WIDE_REGIONS];
	unsigned char *ram;
	mb_phys_addr_t ram_base;
	unsigned long p2v_calls, p2v_fail_from;
	unsigned long pages;
	size_t index_bytes;
};

static void *wide_index_alloc(void *ctx, size_t bytes)
{
	struct wide *x = ctx;

	x->index_bytes += bytes;
	return malloc(bytes);
}

static void wide_index_free(void *ctx, void *mem, size_t bytes)
{
	struct wide *x = ctx;

	if (x->index_bytes < bytes)
		fail_msg("index pool freed twice");
	x->index_bytes -= bytes;
	free(mem);
}

static void wide_print(void *ctx, enum mb_log_level level, const char *line)
{
	(void)ctx;
	(void)level;
	if (strlen(line) >= MB_TEXT_MAX)
		abort();
}

static void *wide_p2v(void *ctx, mb_phys_addr_t phys, mb_phys_addr_t size)
{
	struct wide *x = ctx;

	if (x->p2v_fail_from && ++x->p2v_calls >= x->p2v_fail_from)
		return NULL;
	if (phys < x->ram_base || size > WIDE_RAM || phys - x->ram_base > WIDE_RAM - size)
		return NULL;
	return x->ram + (phys - x->ram_base);
}

static mb_phys_addr_t wide_v2p(void *ctx, const void *virt)
{
	struct wide *x = ctx;
	const unsigned char *p = virt;

	if (p < x->ram || p >= x->ram + WIDE_RAM)
		abort(); /* the core only converts what phys_to_virt gave */
	return x->ram_base + (mb_phys_addr_t)(p - x->ram);
}

/* Zeroing is not under test here; writing would only hide array damage. */
static void wide_zero(void *ctx, mb_phys_addr_t phys, mb_phys_addr_t size)
{
	(void)ctx;
	(void)phys;
	(void)size;
}

static void wide_free_pages(void *ctx, unsigned long pfn, unsigned int order)
{
	struct wide *x = ctx;

	(void)pfn;
	x->pages += 1UL << order;
	if (x->pages > 2 * WIDE_BUDGET)
		abort(); /* the budget must bound every handover call */
}

/* Boundary-biased address: small, window-relative, top-of-space, raw. */
static mb_phys_addr_t wide_addr(struct wide *x, struct input *in)
{
	uint8_t how = in_u8(in);
	uint64_t v = in_u8(in);

	switch (how & 7) {
	case 0:
		return (mb_phys_addr_t)(v << 8);
	case 1:
		return x->ram_base + (mb_phys_addr_t)(v << 8);
	case 2:
		return x->ram_base + WIDE_RAM - (mb_phys_addr_t)v;
	case 3:
		return MB_PHYS_ADDR_MAX - (mb_phys_addr_t)(v << ((how >> 3) & 15));
	case 4:
		return (mb_phys_addr_t)1 << (v % (sizeof(mb_phys_addr_t) * 8));
	case 5:
		return x->ram_base + (mb_phys_addr_t)(v << 4) - (how >> 4);
	case 6:
		return (mb_phys_addr_t)in_u64(in);
	default:
		return x->ram_base + (mb_phys_addr_t)(v << 9);
	}
}

static mb_phys_addr_t wide_size(struct input *in)
{
	uint8_t how = in_u8(in);
	uint64_t v = in_u8(in);

	switch (how & 3) {
	case 0:
		return (mb_phys_addr_t)(v << 8);
	case 1:
		return (mb_phys_addr_t)v;
	case 2:
		return MB_PHYS_ADDR_MAX - (mb_phys_addr_t)v;
	default:
		return (mb_phys_addr_t)1 << (v % (sizeof(mb_phys_addr_t) * 8));
	}
}

static int wide_nid(struct input *in)
{
	uint8_t v = in_u8(in);

	return v >= 0xf0 ? (int)(int8_t)v : v % 4;
}

static int wide_mutate(struct wide *x, struct input *in, uint8_t op)
{
	struct memblock *mb = &x->mb;
	mb_phys_addr_t a = wide_addr(x, in), b = wide_size(in);
	unsigned int flags = in_u8(in) & 0x7f;

	switch (op % 16) {
	case 0:
		return mb_add(mb, a, b);
	case 1:
		return mb_add_node(mb, a, b, wide_nid(in), flags);
	case 2:
		return mb_remove(mb, a, b);
	case 3:
		return mb_reserve(mb, a, b);
	case 4:
		return mb_phys_free(mb, a, b);
	case 5:
		return mb_physmem_add(mb, a, b);
	case 6:
		return mb_mark_hotplug(mb, a, b);
	case 7:
		return mb_clear_hotplug(mb, a, b);
	case 8:
		return mb_mark_mirror(mb, a, b);
	case 9:
		return mb_mark_nomap(mb, a, b);
	case 10:
		return mb_clear_nomap(mb, a, b);
	case 11:
		return mb_reserved_mark_noinit(mb, a, b);
	case 12:
		return mb_set_node(mb, a, b, flags & 1 ? &mb->reserved : &mb->memory, wide_nid(in));
	case 13:
		return mb_cap_memory_range(mb, a, b);
	case 14:
		return mb_trim_memory(mb, b);
	default:
		return flags & 1 ? mb_enforce_memory_limit(mb, a) : mb_mem_limit_remove_map(mb, a);
	}
}

static int wide_alloc(struct wide *x, struct input *in, uint8_t op)
{
	struct memblock *mb = &x->mb;
	mb_phys_addr_t size = wide_size(in), align = wide_size(in);
	mb_phys_addr_t lo = wide_addr(x, in), hi = wide_addr(x, in), phys = 0;
	int nid = wide_nid(in);
	void *ptr = NULL;

	switch (op % 8) {
	case 0:
		return mb_alloc_range_nid(mb, size, align, lo, hi, nid, op & 8, &phys);
	case 1:
		return mb_phys_alloc_range(mb, size, align, lo, hi, &phys);
	case 2:
		return mb_phys_alloc_try_nid(mb, size, align, nid, &phys);
	case 3:
		return mb_alloc_try_nid(mb, size, align, lo, hi, nid, &ptr, &phys);
	case 4:
		return mb_alloc_exact_nid_raw(mb, size, align, lo, hi, nid, &ptr, &phys);
	case 5:
		return mb_alloc_from(mb, size, align, lo, &ptr, &phys);
	case 6:
		return mb_alloc_low(mb, size, align, &ptr, &phys);
	default:
		return mb_reserve_mem(mb, size, align, op & 8 ? "fuzz" : "a");
	}
}

static void wide_read(struct wide *x, struct input *in)
{
	const struct memblock *mb = &x->mb;
	mb_phys_addr_t a = wide_addr(x, in), b = wide_size(in), s, e;
	unsigned long spfn, epfn;
	uint64_t idx;
	int i, n = 0;

	(void)mb_is_memory(mb, a);
	(void)mb_is_map_memory(mb, a);
	(void)mb_is_region_reserved(mb, a, b);
	(void)mb_is_region_memory(mb, a, b);
	(void)mb_search_pfn_nid(mb, (unsigned long)(a >> 12), &spfn, &epfn);
	mb_for_each_free_mem_range(mb, idx, wide_nid(in), in_u8(in) & 0x7f, &s, &e, NULL)
		if (++n > 64)
			abort();
	n = 0;
	mb_for_each_free_mem_range_reverse(mb, idx, MB_NUMA_NO_NODE, 0, &s, &e, NULL)
		if (++n > 64)
			abort();
	mb_for_each_mem_pfn_range(mb, i, MB_NUMA_NO_NODE, &spfn, &epfn, NULL)
		if (spfn > epfn)
			abort();
	mb_dump(mb);
}

static int wide_handover(struct wide *x, struct input *in, uint8_t op)
{
	struct memblock *mb = &x->mb;
	unsigned long pages;

	x->pages = 0;
	switch (op % 3) {
	case 0:
		return mb_free_all(mb, op & 4 ? ~0UL : in_u8(in) * 0x101UL, &pages);
	case 1:
		return mb_free_late(mb, wide_addr(x, in), wide_size(in));
	default:
		return mb_discard(mb);
	}
}

/* Is [base, base + size) wholly covered by reserved regions? */
static bool covered(const struct memblock *mb, mb_phys_addr_t base, mb_phys_addr_t size)
{
	const struct memblock_region *rsv = mb_type_regions(mb, &mb->reserved);
	mb_phys_addr_t at = base, end = base + size;
	unsigned long i;

	for (i = 0; i < mb->reserved.cnt && at < end; i++) {
		const struct memblock_region *r = &rsv[i];

		if (r->base <= at && at - r->base < r->size)
			at = r->base + r->size;
	}
	return at >= end;
}

/* Every region array that growth placed in the RAM window stays reserved. */
static bool arrays_reserved(struct wide *x)
{
	int i;

	for (i = 0; i < 3; i++) {
		const struct memblock_type *t = type_at(&x->mb, i);
		const unsigned char *p = (const unsigned char *)t->regions;

		if (!p || p < x->ram || p >= x->ram + WIDE_RAM)
			continue;
		if (!covered(&x->mb, x->ram_base + (mb_phys_addr_t)(p - x->ram),
			     t->max * sizeof(*t->regions)))
			return false;
	}
	return true;
}

/* Calls by which a caller may unreserve a live array (its own bug, as in Linux). */
static bool frees_reserved(uint8_t op)
{
	return op >> 5 <= 2 && (op % 16 == 4 || op % 16 == 13 || op % 16 == 15);
}

static bool wide_step(struct wide *x, struct input *in)
{
	uint8_t op = in_u8(in), fail = in_u8(in);
	char msg[256];
	struct snap s;
	int rc;

	x->p2v_calls = 0;
	x->p2v_fail_from = fail & 0x80 ? 1 + (fail & 3) : 0;
	snap_take(&x->mb, &s);
	switch (op >> 5) {
	case 0:
	case 1:
	case 2:
		rc = wide_mutate(x, in, op);
		break;
	case 3:
	case 4:
		rc = wide_alloc(x, in, op);
		break;
	case 5:
		wide_read(x, in);
		rc = 0;
		break;
	case 6:
		rc = wide_handover(x, in, op);
		break;
	default:
		mb_set_bottom_up(&x->mb, op & 1);
		mb_set_current_limit(&x->mb, op & 2 ? MB_ALLOC_ANYWHERE : wide_addr(x, in));
		if (op & 4)
			mb_allow_resize(&x->mb);
		rc = 0;
		break;
	}
	x->p2v_fail_from = 0;
	if (getenv("CORE_OPS_TRACE")) {
		fprintf(stderr, "op %#x fail %#x rc %d; memory cnt %lu total %#llx\n", op, fail, rc,
			x->mb.memory.cnt, (unsigned long long)x->mb.memory.total_size);
		for (unsigned long i = 0; i < x->mb.memory.cnt; i++)
			fprintf(stderr, "  [%#llx +%#llx]\n",
				(unsigned long long)mb_type_regions(&x->mb, &x->mb.memory)[i].base,
				(unsigned long long)mb_type_regions(&x->mb, &x->mb.memory)[i].size);
	}
	if (mb_check(&x->mb, msg, sizeof(msg)))
		fail_msg("mb_check after op %#x (rc %d): %s", op, rc, msg);
	/* mark_mirror records the system has mirror even when it fails */
	if (rc && op >> 5 <= 2 && op % 16 == 8)
		s.mb.system_has_mirror = x->mb.system_has_mirror;
	if (rc < 0)
		snap_expect_same(&x->mb, &s, "wide");
	snap_free(&s);
	/*
	 * trim_memory leaves total_size stale as Linux does (spec 7); mb_check
	 * accepts that only right after the trim, so the run ends here.
	 */
	if (!rc && op >> 5 <= 2 && op % 16 == 14)
		return false;
	if (arrays_reserved(x))
		return true;
	if (!frees_reserved(op))
		fail_msg("op %#x (rc %d) left a region array unreserved", op, rc);
	return false;
}

static void run_wide(struct input *in)
{
	struct wide *x = calloc(1, sizeof(*x));
	uint8_t knobs = in_u8(in), rsv;
	struct mb_config cfg;

	if (!x)
		abort();
	x->ram = calloc(1, WIDE_RAM);
	if (!x->ram)
		abort();
	/* anywhere, including the top of the space and straddling 4 GiB */
	x->ram_base = (mb_phys_addr_t)(in_u64(in) & ~(uint64_t)0xfff);
	if (x->ram_base > MB_PHYS_ADDR_MAX - WIDE_RAM + 1)
		x->ram_base = MB_PHYS_ADDR_MAX - WIDE_RAM + 1;
	mb_config_default(&cfg);
	cfg.profile = mb_profile(knobs & 1 ? MB_PROFILE_LINUX_6_1 : MB_PROFILE_LINUX_6_12);
	cfg.page_size = (mb_phys_addr_t)MB_REGION_ALIGN << ((knobs >> 1) & 7);
	cfg.smp_cache_bytes = (mb_phys_addr_t)MB_REGION_ALIGN << ((knobs >> 4) & 3);
	cfg.movable_node = knobs & 0x40;
	cfg.mirrored_kernelcore = knobs & 0x80;
	cfg.max_numnodes = 4;
	cfg.debug = true;
	cfg.max_pages = WIDE_BUDGET;
	if ((knobs & 0x0e) == 0x0e)
		cfg.grow_policy = MB_GROW_FIXED;
	cfg.memory_regions = x->mem;
	cfg.memory_max = 1 + in_u8(in) % WIDE_REGIONS;
	cfg.reserved_regions = x->res;
	rsv = in_u8(in);
	cfg.reserved_max = 1 + rsv % WIDE_REGIONS;
	cfg.physmem_regions = x->phys;
	cfg.physmem_max = WIDE_REGIONS;
	cfg.ops.print = wide_print;
	cfg.ops.phys_to_virt = wide_p2v;
	cfg.ops.virt_to_phys = wide_v2p;
	cfg.ops.mem_ctx = x;
	cfg.ops.mem_zero = wide_zero;
	cfg.ops.free_pages = wide_free_pages;
	cfg.ops.page_ctx = x;
	cfg.ops.index_alloc = wide_index_alloc;
	cfg.ops.index_free = wide_index_free;
	cfg.ops.index_ctx = x;
	if (mb_init(&x->mb, &cfg))
		abort();
	if (mb_set_index(&x->mb, (enum mb_index_mode)((rsv >> 4) % 3)))
		abort();
	while (in->n >= 4 && wide_step(x, in))
		;
	if (mb_set_index(&x->mb, MB_INDEX_OFF) || x->index_bytes)
		fail_msg("index pools not all given back");
	free(x->ram);
	free(x);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input in = { data, size };

	if (size < 2)
		return 0;
	if (in_u8(&in) & 1)
		run_wide(&in);
	else
		run_model(&in);
	return 0;
}
