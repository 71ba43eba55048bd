// SPDX-License-Identifier: MIT
/*
 * driver.c - random operations on a memblock instance and its model.
 */
#define _POSIX_C_SOURCE 200809L

#include "driver.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#define NODES_USED 4 /* nids 0..3 appear in operations */

/* ---- PRNG ---- */

uint64_t rng_next(struct rng *r)
{
	uint64_t z = (r->state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

uint64_t rng_below(struct rng *r, uint64_t n)
{
	return n ? rng_next(r) % n : 0;
}

bool rng_chance(struct rng *r, unsigned int percent)
{
	return rng_below(r, 100) < percent;
}

unsigned long driver_env_ulong(const char *name, unsigned long def)
{
	const char *s = getenv(name);

	if (!s || !*s)
		return def;
	return strtoul(s, NULL, 0);
}

uint64_t driver_seed(int argc, char **argv, const char *test_name)
{
	const char *s = argc > 1 ? argv[1] : getenv("MB_SEED");
	uint64_t seed;

	if (s && *s) {
		seed = strtoull(s, NULL, 0);
	} else {
		struct timespec ts;

		clock_gettime(CLOCK_REALTIME, &ts);
		seed = (uint64_t)ts.tv_sec * 1000000007ull ^ (uint64_t)ts.tv_nsec;
	}
	printf("%s: seed=%llu (replay: MB_SEED=%llu or argv[1])\n", test_name,
	       (unsigned long long)seed, (unsigned long long)seed);
	fflush(stdout);
	return seed;
}

/* ---- world ---- */

static const uint64_t page_sizes[] = {64, 256, 4096};
static const uint64_t spaces[] = {8192, 16384, 65536};

void world_config_random(struct world_config *wc, struct rng *r, bool small_arrays)
{
	static const unsigned long small[] = {1, 2, 3, 4, 8};
	static const unsigned long big[] = {8, 32, 128};
	static const uint64_t caches[] = {8, 16, 64};
	unsigned int p = rng_chance(r, 15) ? 2 : (unsigned int)rng_below(r, 2);

	memset(wc, 0, sizeof(*wc));
	wc->page_size = page_sizes[p];
	wc->space = spaces[p];
	wc->smp_cache_bytes = caches[rng_below(r, 3)];
	wc->low_address_limit = rng_chance(r, 30) ? wc->space / 2 : MB_DEFAULT_LOW_ADDRESS_LIMIT;
	wc->max_numnodes = rng_chance(r, 50) ? NODES_USED : MB_DEFAULT_MAX_NUMNODES;
	wc->movable_node = rng_chance(r, 30);
	wc->mirrored_kernelcore = rng_chance(r, 50);
	if (small_arrays) {
		wc->memory_max = small[rng_below(r, 5)];
		wc->reserved_max = small[rng_below(r, 5)];
	} else {
		wc->memory_max = big[rng_below(r, 3)];
		wc->reserved_max = big[rng_below(r, 3)];
	}
	wc->physmem_max = rng_chance(r, 50) ? MB_INIT_PHYSMEM_REGIONS : 0;
	wc->grow_policy = MB_GROW_CALLBACK;
	wc->profile_61 = rng_chance(r, 20);
}

static void capture_print(void *ctx, enum mb_log_level level, const char *line)
{
	struct world *w = ctx;

	if ((unsigned int)level < 4)
		w->lines[level]++;
	snprintf(w->last_line, sizeof(w->last_line), "%s", line);
	if (w->log_len + strlen(line) + 2 < sizeof(w->log)) {
		w->log_len += (size_t)snprintf(w->log + w->log_len, sizeof(w->log) - w->log_len,
					       "%s\n", line);
	}
	if (!strncmp(line, "Could not allocate ", 19)) {
		char want[128];

		snprintf(want, sizeof(want), "Could not allocate 0x%0*llx bytes of mirrored memory",
			 (int)(2 * sizeof(mb_phys_addr_t)),
			 (unsigned long long)w->m.mirror_warning_size);
		w->mirror_lines++;
		if (strcmp(line, want) || level != MB_LOG_WARN)
			w->bad_mirror_text = true;
	}
	if (!strncmp(line, "memblock: Failed to double ", 27))
		w->failed_double_lines++;
}

static void *ram_phys_to_virt(void *ctx, mb_phys_addr_t phys, mb_phys_addr_t size)
{
	struct world *w = ctx;

	w->p2v_calls++;
	if (w->p2v_fail_from && w->p2v_calls >= w->p2v_fail_from) {
		w->p2v_refused++;
		return NULL;
	}
	if (phys > w->wc.space || size > w->wc.space - phys)
		return NULL;
	if (w->p2v_n < 16) {
		w->p2v_base[w->p2v_n] = phys;
		w->p2v_size[w->p2v_n] = size;
		w->p2v_n++;
	}
	return w->ram + phys;
}

static mb_phys_addr_t ram_virt_to_phys(void *ctx, const void *virt)
{
	struct world *w = ctx;

	return (mb_phys_addr_t)((const unsigned char *)virt - w->ram);
}

static void ram_zero(void *ctx, mb_phys_addr_t phys, mb_phys_addr_t size)
{
	struct world *w = ctx;

	w->zero_calls++;
	w->zero_base = phys;
	w->zero_size = size;
	if (phys <= w->wc.space && size <= w->wc.space - phys)
		memset(w->ram + phys, 0, size);
}

static struct memblock_region *pool_grow(void *ctx, const struct memblock_type *type,
					 unsigned long new_max)
{
	struct world *w = ctx;
	struct memblock_region *p;

	(void)type;
	w->grow_calls++;
	if (w->grow_fail_all || (w->grow_fail_from && w->grow_calls >= w->grow_fail_from)) {
		w->grow_refused++;
		return NULL;
	}
	if (w->pool_n == (int)(sizeof(w->pool) / sizeof(w->pool[0])))
		world_release_unused(w);
	if (w->pool_n == (int)(sizeof(w->pool) / sizeof(w->pool[0])))
		return NULL;
	p = malloc(new_max * sizeof(*p));
	if (!p)
		return NULL;
	memset(p, 0xcc, new_max * sizeof(*p)); /* garbage the core must not read */
	w->pool[w->pool_n++] = p;
	return p;
}

static void *index_alloc(void *ctx, size_t bytes)
{
	struct world *w = ctx;
	void *p;

	w->index_calls++;
	if (w->index_fail_from && w->index_calls >= w->index_fail_from) {
		w->index_refused++;
		return NULL;
	}
	p = malloc(bytes);
	if (p) {
		memset(p, 0xcc, bytes); /* garbage the core must not read */
		w->index_bytes += bytes;
	}
	return p;
}

static void index_free(void *ctx, void *mem, size_t bytes)
{
	struct world *w = ctx;

	assert_true(w->index_bytes >= bytes);
	w->index_bytes -= bytes;
	free(mem);
}

enum mb_index_mode driver_index_mode(enum mb_index_mode def)
{
	const char *s = getenv("MB_INDEX_MODE");

	if (!s || !*s)
		return def;
	if (!strcmp(s, "on"))
		return MB_INDEX_ON;
	if (!strcmp(s, "auto"))
		return MB_INDEX_AUTO;
	return MB_INDEX_OFF;
}

const char *driver_index_name(enum mb_index_mode mode)
{
	return mode == MB_INDEX_ON ? "on" : (mode == MB_INDEX_AUTO ? "auto" : "off");
}

void world_release_unused(struct world *w)
{
	int i = 0;

	while (i < w->pool_n) {
		void *p = w->pool[i];

		if (p == w->mb.memory.regions || p == w->mb.reserved.regions ||
		    p == w->mb.physmem.regions) {
			i++;
			continue;
		}
		free(p);
		w->pool[i] = w->pool[--w->pool_n];
	}
}

static uint64_t phys_max_of(const struct mb_config *cfg)
{
	if (cfg->phys_bits >= 64)
		return UINT64_MAX;
	return ((uint64_t)1 << cfg->phys_bits) - 1;
}

void world_init(struct world *w, const struct world_config *wc, uint64_t seed)
{
	struct model_config mc;
	int rc;

	memset(w, 0, sizeof(*w));
	w->wc = *wc;
	w->seed = seed;
	w->init_memory = calloc(wc->memory_max, sizeof(struct memblock_region));
	w->init_reserved = calloc(wc->reserved_max, sizeof(struct memblock_region));
	if (wc->physmem_max)
		w->init_physmem = calloc(wc->physmem_max, sizeof(struct memblock_region));
	w->ram = malloc(wc->space);
	assert_non_null(w->init_memory);
	assert_non_null(w->init_reserved);
	assert_non_null(w->ram);
	memset(w->ram, 0xa5, wc->space);

	mb_config_default(&w->cfg);
	if (wc->profile_61)
		w->cfg.profile = mb_profile(MB_PROFILE_LINUX_6_1);
	w->cfg.page_size = wc->page_size;
	w->cfg.smp_cache_bytes = wc->smp_cache_bytes;
	w->cfg.low_address_limit = wc->low_address_limit;
	w->cfg.max_numnodes = wc->max_numnodes;
	w->cfg.numa = true;
	w->cfg.movable_node = wc->movable_node;
	w->cfg.mirrored_kernelcore = wc->mirrored_kernelcore;
	w->cfg.debug = getenv("MB_MODEL_DEBUG") != NULL; /* trace lines in failure reports */
	w->cfg.memory_regions = w->init_memory;
	w->cfg.memory_max = wc->memory_max;
	w->cfg.reserved_regions = w->init_reserved;
	w->cfg.reserved_max = wc->reserved_max;
	w->cfg.physmem_regions = w->init_physmem;
	w->cfg.physmem_max = wc->physmem_max;
	w->cfg.grow_policy = wc->grow_policy;
	w->cfg.ops.print = capture_print;
	w->cfg.ops.print_ctx = w;
	w->cfg.ops.phys_to_virt = ram_phys_to_virt;
	w->cfg.ops.virt_to_phys = ram_virt_to_phys;
	w->cfg.ops.mem_zero = ram_zero;
	w->cfg.ops.mem_ctx = w;
	w->cfg.ops.grow = pool_grow;
	w->cfg.ops.grow_ctx = w;
	w->cfg.ops.index_alloc = index_alloc;
	w->cfg.ops.index_free = index_free;
	w->cfg.ops.index_ctx = w;
	rc = mb_init(&w->mb, &w->cfg);
	assert_int_equal(rc, 0);
	assert_int_equal(mb_set_index(&w->mb, wc->index_mode), 0);
	if (!wc->no_allow_resize)
		mb_allow_resize(&w->mb);

	memset(&mc, 0, sizeof(mc));
	mc.space = wc->space;
	mc.phys_max = phys_max_of(&w->cfg);
	mc.page_size = wc->page_size;
	mc.smp_cache_bytes = wc->smp_cache_bytes;
	mc.low_address_limit = wc->low_address_limit;
	mc.max_numnodes = wc->max_numnodes;
	mc.movable_node = wc->movable_node;
	mc.mirrored_kernelcore = wc->mirrored_kernelcore;
	mc.empty_dummy = wc->profile_61;
	mc.nid_max_deprecated = wc->profile_61;
	model_init(&w->m, &mc);
}

void world_destroy(struct world *w)
{
	int i;

	/* Every index pool comes back: OFF frees them all. */
	assert_int_equal(mb_set_index(&w->mb, MB_INDEX_OFF), 0);
	if (w->index_bytes)
		fail_msg("%zu bytes of index pools never freed", w->index_bytes);

	for (i = 0; i < w->pool_n; i++)
		free(w->pool[i]);
	w->pool_n = 0;
	free(w->init_memory);
	free(w->init_reserved);
	free(w->init_physmem);
	free(w->ram);
	model_destroy(&w->m);
}

struct world *world_new(const struct world_config *wc, uint64_t seed)
{
	struct world *w = calloc(1, sizeof(*w));

	assert_non_null(w);
	world_init(w, wc, seed);
	return w;
}

void world_free(struct world *w)
{
	world_destroy(w);
	free(w);
}

void world_begin_op(struct world *w)
{
	memset(w->lines, 0, sizeof(w->lines));
	w->mirror_lines = 0;
	w->failed_double_lines = 0;
	w->bad_mirror_text = false;
	w->zero_calls = 0;
	w->log[0] = 0;
	w->p2v_n = 0;
	w->log_len = 0;
	w->numa_before = w->mb.stats.numa_overlap_warnings;
	w->doublings_before = w->mb.stats.doublings;
	w->m.numa_warnings = 0;
	w->m.mirror_warnings = 0;
}

/* ---- generation ---- */

static const char *const kind_names[OP_NR_KINDS] = {
    [OP_ADD] = "add",
    [OP_ADD_NODE] = "add_node",
    [OP_REMOVE] = "remove",
    [OP_RESERVE] = "reserve",
    [OP_PHYS_FREE] = "phys_free",
    [OP_FREE_VIRT] = "free",
    [OP_PHYSMEM_ADD] = "physmem_add",
    [OP_MARK_HOTPLUG] = "mark_hotplug",
    [OP_CLEAR_HOTPLUG] = "clear_hotplug",
    [OP_MARK_MIRROR] = "mark_mirror",
    [OP_MARK_NOMAP] = "mark_nomap",
    [OP_CLEAR_NOMAP] = "clear_nomap",
    [OP_MARK_NOINIT] = "reserved_mark_noinit",
    [OP_SET_NODE_MEMORY] = "set_node(memory)",
    [OP_SET_NODE_RESERVED] = "set_node(reserved)",
    [OP_PHYS_ALLOC_RANGE] = "phys_alloc_range",
    [OP_PHYS_ALLOC] = "phys_alloc",
    [OP_PHYS_ALLOC_TRY_NID] = "phys_alloc_try_nid",
    [OP_ALLOC_RANGE_NID] = "alloc_range_nid",
    [OP_ALLOC_TRY_NID] = "alloc_try_nid",
    [OP_ALLOC_TRY_NID_RAW] = "alloc_try_nid_raw",
    [OP_ALLOC_EXACT_NID_RAW] = "alloc_exact_nid_raw",
    [OP_ALLOC] = "alloc",
    [OP_ALLOC_RAW] = "alloc_raw",
    [OP_ALLOC_FROM] = "alloc_from",
    [OP_ALLOC_LOW] = "alloc_low",
    [OP_ALLOC_NODE] = "alloc_node",
    [OP_SET_BOTTOM_UP] = "set_bottom_up",
    [OP_SET_LIMIT] = "set_current_limit",
    [OP_TRIM] = "trim_memory",
    [OP_ENFORCE_LIMIT] = "enforce_memory_limit",
    [OP_CAP_RANGE] = "cap_memory_range",
    [OP_MEM_LIMIT_REMOVE_MAP] = "mem_limit_remove_map",
    [OP_QUERY] = "query",
    [OP_ITERATE] = "iterate",
};

/* Weights per kind, out of their sum. */
static const unsigned int kind_weights[OP_NR_KINDS] = {
    [OP_ADD] = 90,
    [OP_ADD_NODE] = 80,
    [OP_REMOVE] = 35,
    [OP_RESERVE] = 90,
    [OP_PHYS_FREE] = 80,
    [OP_FREE_VIRT] = 15,
    [OP_PHYSMEM_ADD] = 10,
    [OP_MARK_HOTPLUG] = 15,
    [OP_CLEAR_HOTPLUG] = 10,
    [OP_MARK_MIRROR] = 5,
    [OP_MARK_NOMAP] = 12,
    [OP_CLEAR_NOMAP] = 12,
    [OP_MARK_NOINIT] = 12,
    [OP_SET_NODE_MEMORY] = 20,
    [OP_SET_NODE_RESERVED] = 12,
    [OP_PHYS_ALLOC_RANGE] = 60,
    [OP_PHYS_ALLOC] = 25,
    [OP_PHYS_ALLOC_TRY_NID] = 20,
    [OP_ALLOC_RANGE_NID] = 50,
    [OP_ALLOC_TRY_NID] = 25,
    [OP_ALLOC_TRY_NID_RAW] = 15,
    [OP_ALLOC_EXACT_NID_RAW] = 20,
    [OP_ALLOC] = 10,
    [OP_ALLOC_RAW] = 5,
    [OP_ALLOC_FROM] = 10,
    [OP_ALLOC_LOW] = 8,
    [OP_ALLOC_NODE] = 10,
    [OP_SET_BOTTOM_UP] = 15,
    [OP_SET_LIMIT] = 12,
    [OP_TRIM] = 2,
    [OP_ENFORCE_LIMIT] = 2,
    [OP_CAP_RANGE] = 2,
    [OP_MEM_LIMIT_REMOVE_MAP] = 2,
    [OP_QUERY] = 120,
    [OP_ITERATE] = 50,
};

static enum op_kind pick_kind(struct rng *r)
{
	unsigned int total = 0, k, x;

	for (k = 0; k < OP_NR_KINDS; k++)
		total += kind_weights[k];
	x = (unsigned int)rng_below(r, total);
	for (k = 0; k < OP_NR_KINDS; k++) {
		if (x < kind_weights[k])
			return (enum op_kind)k;
		x -= kind_weights[k];
	}
	return OP_QUERY;
}

/* An address, often on or next to an existing boundary. */
static uint64_t gen_addr(struct world *w, struct rng *r)
{
	uint64_t space = w->wc.space, a;
	unsigned int c = (unsigned int)rng_below(r, 100);

	if (c < 35)
		return rng_below(r, space);
	if (c < 65) {
		enum model_type_id t = rng_chance(r, 50) ? MODEL_MEMORY : MODEL_RESERVED;
		const struct model_list *l = model_regions(&w->m, t);
		const struct model_region *reg;
		int64_t delta = (int64_t)rng_below(r, 7) - 3;

		if (!l->n)
			return rng_below(r, space);
		reg = &l->r[rng_below(r, l->n)];
		a = rng_chance(r, 50) ? reg->base : reg->base + reg->size;
		if (rng_chance(r, 50))
			delta = 0;
		if (delta < 0 && a < (uint64_t)-delta)
			return 0;
		a += (uint64_t)delta;
		return a < space ? a : space - 1;
	}
	if (c < 80) {
		uint64_t align = (uint64_t)16 << rng_below(r, 6);

		return rng_below(r, space / align) * align;
	}
	if (c < 90)
		return rng_below(r, 2 * w->wc.page_size);
	return space - 1 - rng_below(r, w->wc.page_size);
}

/* A size that keeps [base, base + size) inside the space. */
static uint64_t gen_size(struct world *w, struct rng *r, uint64_t base)
{
	uint64_t room = w->wc.space - base, size;
	unsigned int c = (unsigned int)rng_below(r, 100);

	if (!room || c < 4)
		return 0;
	if (c < 34)
		size = 1 + rng_below(r, 16);
	else if (c < 64)
		size = 1 + rng_below(r, 256);
	else if (c < 84)
		size = 1 + rng_below(r, 2 * w->wc.page_size);
	else
		size = 1 + rng_below(r, room);
	return size < room ? size : room;
}

/* Sizes for operations that only take away: may run past the space. */
static uint64_t gen_cut_size(struct world *w, struct rng *r, uint64_t base)
{
	if (rng_chance(r, 4))
		return MB_PHYS_ADDR_MAX;
	if (rng_chance(r, 4))
		return w->wc.space + rng_below(r, w->wc.space);
	return gen_size(w, r, base);
}

static int gen_nid(struct rng *r)
{
	return (int)rng_below(r, NODES_USED);
}

static unsigned int gen_memory_flags(struct rng *r)
{
	static const unsigned int choice[] = {MB_FLAG_HOTPLUG, MB_FLAG_MIRROR, MB_FLAG_NOMAP,
					      MB_FLAG_DRIVER_MANAGED};
	unsigned int flags = 0;

	if (rng_chance(r, 60))
		return 0;
	flags |= choice[rng_below(r, 4)];
	if (rng_chance(r, 20))
		flags |= choice[rng_below(r, 4)];
	return flags;
}

static uint64_t gen_align(struct world *w, struct rng *r)
{
	static const uint64_t odd[] = {3, 12, 24, 96};
	unsigned int c = (unsigned int)rng_below(r, 100);
	unsigned int log_max = 0;

	while (((uint64_t)1 << log_max) < 2 * w->wc.page_size)
		log_max++;
	if (c < 5)
		return 0;
	if (c < 7)
		return odd[rng_below(r, 4)];
	return (uint64_t)1 << rng_below(r, log_max + 1);
}

static uint64_t gen_alloc_size(struct world *w, struct rng *r)
{
	unsigned int c = (unsigned int)rng_below(r, 100);

	if (c < 3)
		return 0;
	if (c < 45)
		return 1 + rng_below(r, 64);
	if (c < 75)
		return 1 + rng_below(r, 1024);
	if (c < 97)
		return 1 + rng_below(r, 2 * w->wc.page_size);
	return 1 + rng_below(r, w->wc.space);
}

static uint64_t gen_alloc_end(struct world *w, struct rng *r)
{
	unsigned int c = (unsigned int)rng_below(r, 100);

	if (c < 30)
		return MB_ALLOC_ACCESSIBLE;
	if (c < 35)
		return MB_ALLOC_NOLEAKTRACE;
	if (c < 65)
		return MB_ALLOC_ANYWHERE;
	return gen_addr(w, r) + rng_below(r, 2);
}

static void gen_alloc(struct world *w, struct rng *r, struct op *op)
{
	op->size = gen_alloc_size(w, r);
	op->align = gen_align(w, r);
	op->start = rng_chance(r, 60) ? 0 : gen_addr(w, r);
	op->end = gen_alloc_end(w, r);
	op->nid = rng_chance(r, 50) ? MB_NUMA_NO_NODE : gen_nid(r);
	op->exact = rng_chance(r, 30);
}

/* Pick a piece of a reserved region (for frees that hit something). */
static void gen_reserved_piece(struct world *w, struct rng *r, struct op *op)
{
	const struct model_list *l = model_regions(&w->m, MODEL_RESERVED);
	const struct model_region *reg;

	if (!l->n) {
		op->base = gen_addr(w, r);
		op->size = gen_size(w, r, op->base);
		return;
	}
	reg = &l->r[rng_below(r, l->n)];
	if (rng_chance(r, 50)) {
		op->base = reg->base;
		op->size = reg->size;
		return;
	}
	op->base = reg->base + rng_below(r, reg->size);
	op->size = 1 + rng_below(r, reg->base + reg->size - op->base);
}

static bool reserved_crowded(struct world *w)
{
	uint64_t mem = model_total_size(&w->m, MODEL_MEMORY);

	return model_total_size(&w->m, MODEL_RESERVED) * 10 > mem * 6;
}

static void gen_limit_op(struct world *w, struct rng *r, struct op *op)
{
	uint64_t total = model_total_size(&w->m, MODEL_MEMORY);
	uint64_t cut;

	switch (op->kind) {
	case OP_TRIM:
		op->align = rng_chance(r, 5) ? 0 : (uint64_t)1 << rng_below(r, 9);
		break;
	case OP_ENFORCE_LIMIT:
		op->size = rng_below(r, total + w->wc.page_size);
		break;
	case OP_CAP_RANGE:
		op->base = gen_addr(w, r);
		op->size = gen_size(w, r, op->base);
		if (!model_cap_is_modelled(&w->m, op->base, op->size))
			op->kind = OP_QUERY;
		break;
	default: /* OP_MEM_LIMIT_REMOVE_MAP */
		op->size = rng_below(r, total + w->wc.page_size);
		if (!op->size)
			break;
		cut = model_find_max_addr(&w->m, op->size);
		if (cut != w->m.cfg.phys_max && !model_cap_is_modelled(&w->m, 0, cut))
			op->kind = OP_QUERY;
		break;
	}
}

/*
 * Whether [base, base + size) frees part of a region array that
 * Linux-style growth placed in the simulated RAM. Linux would then hand
 * the array's memory out again and overwrite its own regions (so do we,
 * byte for byte); that is the caller's bug, and nothing a model without
 * arrays can follow, so the test does not make that call.
 */
static bool frees_an_array(const struct world *w, uint64_t base, uint64_t size)
{
	const struct memblock_type *types[] = {&w->mb.memory, &w->mb.reserved, &w->mb.physmem};

	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		const unsigned char *a = (const unsigned char *)types[i]->regions;
		uint64_t start, len;

		if (!a || a < w->ram || a >= w->ram + w->wc.space)
			continue;
		start = (uint64_t)(a - w->ram);
		len = types[i]->max * sizeof(struct memblock_region);
		if (base < start + len && start < base + size)
			return true;
	}
	return false;
}

void op_generate(struct world *w, struct rng *r, struct op *op)
{
	memset(op, 0, sizeof(*op));
	op->kind = pick_kind(r);
	if (op->kind == OP_PHYSMEM_ADD && !w->wc.physmem_max)
		op->kind = OP_ADD;
	if (w->wc.no_limit_ops && op->kind >= OP_TRIM && op->kind <= OP_MEM_LIMIT_REMOVE_MAP)
		op->kind = OP_RESERVE;
	/* keep some free memory around so allocations keep succeeding */
	if (op->kind != OP_PHYS_FREE && rng_chance(r, 25) && reserved_crowded(w))
		op->kind = OP_PHYS_FREE;

	op->base = gen_addr(w, r);
	op->nid = gen_nid(r);
	switch (op->kind) {
	case OP_ADD:
	case OP_RESERVE:
	case OP_PHYSMEM_ADD:
		op->size = gen_size(w, r, op->base);
		break;
	case OP_ADD_NODE:
		op->size = gen_size(w, r, op->base);
		op->flags = gen_memory_flags(r);
		break;
	case OP_PHYS_FREE:
	case OP_FREE_VIRT:
		if (rng_chance(r, 60)) {
			gen_reserved_piece(w, r, op);
		} else {
			op->size = op->kind == OP_FREE_VIRT ? gen_size(w, r, op->base)
							    : gen_cut_size(w, r, op->base);
		}
		op->enable = op->kind == OP_FREE_VIRT && rng_chance(r, 5); /* NULL pointer */
		break;
	case OP_REMOVE:
	case OP_MARK_HOTPLUG:
	case OP_CLEAR_HOTPLUG:
	case OP_MARK_MIRROR:
	case OP_MARK_NOMAP:
	case OP_CLEAR_NOMAP:
	case OP_MARK_NOINIT:
	case OP_SET_NODE_MEMORY:
	case OP_SET_NODE_RESERVED:
		op->size = gen_cut_size(w, r, op->base);
		break;
	case OP_SET_BOTTOM_UP:
		op->enable = rng_chance(r, 50);
		break;
	case OP_SET_LIMIT:
		op->end = rng_chance(r, 50) ? MB_ALLOC_ANYWHERE : gen_addr(w, r);
		break;
	case OP_TRIM:
	case OP_ENFORCE_LIMIT:
	case OP_CAP_RANGE:
	case OP_MEM_LIMIT_REMOVE_MAP:
		gen_limit_op(w, r, op);
		break;
	case OP_QUERY:
		op->base = rng_chance(r, 90) ? gen_addr(w, r) : w->wc.space + rng_below(r, 64);
		op->size = rng_chance(r, 10) ? 0 : gen_cut_size(w, r, op->base % w->wc.space);
		break;
	case OP_ITERATE:
		op->nid = rng_chance(r, 50) ? MB_NUMA_NO_NODE : gen_nid(r);
		op->flags = rng_chance(r, 50) ? 0 : gen_memory_flags(r);
		break;
	default:
		gen_alloc(w, r, op);
		break;
	}
	if ((op->kind == OP_PHYS_FREE || op->kind == OP_FREE_VIRT) &&
	    w->wc.grow_policy == MB_GROW_LINUX && frees_an_array(w, op->base, op->size))
		op->kind = OP_QUERY;
}

void op_describe(const struct op *op, char *buf, size_t len)
{
	snprintf(buf, len,
		 "%s base=%#llx size=%#llx align=%#llx start=%#llx end=%#llx nid=%d "
		 "flags=%#x exact=%d enable=%d",
		 kind_names[op->kind], (unsigned long long)op->base, (unsigned long long)op->size,
		 (unsigned long long)op->align, (unsigned long long)op->start,
		 (unsigned long long)op->end, op->nid, op->flags, op->exact, op->enable);
}

void world_record(struct world *w, const struct op *op)
{
	op_describe(op, w->history[w->op_index % 16], sizeof(w->history[0]));
	w->op_index++;
}

/* ---- failure report ---- */

static void dump_core_type(const struct memblock *mb, const char *name,
			   const struct memblock_type *t)
{
	const struct memblock_region *regions = mb_type_regions(mb, t);
	unsigned long i;

	fprintf(stderr, "  core %s: cnt=%lu max=%lu total=%#llx\n", name, t->cnt, t->max,
		(unsigned long long)t->total_size);
	for (i = 0; i < t->cnt && i < 64; i++)
		fprintf(stderr, "    [%#llx-%#llx) flags=%#x nid=%d\n",
			(unsigned long long)regions[i].base,
			(unsigned long long)(regions[i].base + regions[i].size),
			regions[i].flags, regions[i].nid);
}

static void dump_model_type(struct model *m, const char *name, enum model_type_id id)
{
	const struct model_list *l = model_regions(m, id);
	size_t i;

	fprintf(stderr, "  model %s: cnt=%zu total=%#llx\n", name, l->n,
		(unsigned long long)model_total_size(m, id));
	for (i = 0; i < l->n && i < 64; i++)
		fprintf(stderr, "    [%#llx-%#llx) flags=%#x nid=%d\n",
			(unsigned long long)l->r[i].base,
			(unsigned long long)(l->r[i].base + l->r[i].size), l->r[i].flags,
			l->r[i].nid);
}

void world_fail(struct world *w, const char *fmt, ...)
{
	unsigned long i, first = w->op_index > 16 ? w->op_index - 16 : 0;
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nFAILURE: %s\n  seed=%llu op #%lu (replay: MB_SEED=%llu)\n", msg,
		(unsigned long long)w->seed, w->op_index - 1, (unsigned long long)w->seed);
	fprintf(stderr,
		"  config: space=%#llx page=%#llx cache=%#llx low_limit=%#llx nodes=%d "
		"movable=%d mirror_kc=%d max=%lu/%lu/%lu policy=%d profile=%s index=%s\n",
		(unsigned long long)w->wc.space, (unsigned long long)w->wc.page_size,
		(unsigned long long)w->wc.smp_cache_bytes,
		(unsigned long long)w->wc.low_address_limit, w->wc.max_numnodes, w->wc.movable_node,
		w->wc.mirrored_kernelcore, w->wc.memory_max, w->wc.reserved_max, w->wc.physmem_max,
		(int)w->wc.grow_policy, w->wc.profile_61 ? "linux-6.1" : "linux-6.12",
		driver_index_name(w->wc.index_mode));
	fprintf(stderr, "  last operations (oldest first):\n");
	for (i = first; i < w->op_index; i++)
		fprintf(stderr, "    #%lu %s\n", i, w->history[i % 16]);
	fprintf(stderr, "  bottom_up=%d/%d limit=%#llx/%#llx mirror=%d/%d (core/model)\n",
		w->mb.bottom_up, w->m.bottom_up, (unsigned long long)w->mb.current_limit,
		(unsigned long long)w->m.current_limit, w->mb.system_has_mirror,
		w->m.system_has_mirror);
	if (w->log_len)
		fprintf(stderr, "  lines printed by the last call:\n%s", w->log);
	dump_core_type(&w->mb, "memory", &w->mb.memory);
	dump_model_type(&w->m, "memory", MODEL_MEMORY);
	dump_core_type(&w->mb, "reserved", &w->mb.reserved);
	dump_model_type(&w->m, "reserved", MODEL_RESERVED);
	if (w->wc.physmem_max) {
		dump_core_type(&w->mb, "physmem", &w->mb.physmem);
		dump_model_type(&w->m, "physmem", MODEL_PHYSMEM);
	}
	fail_msg("%s (seed=%llu op #%lu)", msg, (unsigned long long)w->seed, w->op_index - 1);
}

/* ---- state comparison ---- */

static void check_type(struct world *w, const struct memblock_type *t, enum model_type_id id)
{
	const struct model_list *l = model_regions(&w->m, id);
	const struct memblock_region *regions = mb_type_regions(&w->mb, t);
	size_t i;

	if (!l->n && w->wc.profile_61) {
		const struct memblock_region *d = &regions[0];

		if (t->cnt != 1 || d->base || d->size || d->flags ||
		    d->nid != w->m.type[id].dummy_nid)
			world_fail(w,
				   "empty %s (6.1): cnt %lu regions[0] [%#llx+%#llx] flags %#x "
				   "nid %d, want cnt 1 and a zero dummy with nid %d",
				   t->name, t->cnt, (unsigned long long)d->base,
				   (unsigned long long)d->size, d->flags, d->nid,
				   w->m.type[id].dummy_nid);
	} else if (t->cnt != l->n) {
		world_fail(w, "%s.cnt %lu, model %zu", t->name, t->cnt, l->n);
	}
	for (i = 0; i < l->n; i++) {
		const struct memblock_region *c = &regions[i];
		const struct model_region *e = &l->r[i];

		if (c->base != e->base || c->size != e->size || c->flags != e->flags ||
		    c->nid != e->nid)
			world_fail(w,
				   "%s[%zu] = [%#llx+%#llx] flags %#x nid %d, model [%#llx+%#llx] "
				   "flags %#x nid %d",
				   t->name, i, (unsigned long long)c->base,
				   (unsigned long long)c->size, c->flags, c->nid,
				   (unsigned long long)e->base, (unsigned long long)e->size,
				   e->flags, e->nid);
	}
	if (t->total_size != model_total_size(&w->m, id))
		world_fail(w, "%s.total_size %#llx, model %#llx", t->name,
			   (unsigned long long)t->total_size,
			   (unsigned long long)model_total_size(&w->m, id));
	if (t->cnt <= 1 && !l->n && regions[0].size != 0)
		world_fail(w, "%s empty but regions[0].size %#llx", t->name,
			   (unsigned long long)regions[0].size);
}

void world_check_state(struct world *w)
{
	char msg[256] = "";
	int rc = mb_check(&w->mb, msg, sizeof(msg));

	if (rc)
		world_fail(w, "mb_check() = %d: %s", rc, msg);
	check_type(w, &w->mb.memory, MODEL_MEMORY);
	check_type(w, &w->mb.reserved, MODEL_RESERVED);
	if (w->wc.physmem_max)
		check_type(w, &w->mb.physmem, MODEL_PHYSMEM);
	if (mb_bottom_up(&w->mb) != w->m.bottom_up)
		world_fail(w, "bottom_up %d, model %d", mb_bottom_up(&w->mb), w->m.bottom_up);
	if (mb_get_current_limit(&w->mb) != w->m.current_limit)
		world_fail(w, "current_limit %#llx, model %#llx",
			   (unsigned long long)mb_get_current_limit(&w->mb),
			   (unsigned long long)w->m.current_limit);
	if (mb_phys_mem_size(&w->mb) != model_total_size(&w->m, MODEL_MEMORY) ||
	    mb_reserved_size(&w->mb) != model_total_size(&w->m, MODEL_RESERVED))
		world_fail(w, "phys_mem_size/reserved_size disagree with the model");
	if (w->mb.system_has_mirror != w->m.system_has_mirror)
		world_fail(w, "system_has_mirror %d, model %d", w->mb.system_has_mirror,
			   w->m.system_has_mirror);
}

/* ---- running on the core ---- */

static bool is_virtual_alloc(enum op_kind k)
{
	return k >= OP_ALLOC_TRY_NID && k <= OP_ALLOC_NODE;
}

static bool is_zeroing_alloc(enum op_kind k)
{
	return k == OP_ALLOC_TRY_NID || k == OP_ALLOC || k == OP_ALLOC_FROM || k == OP_ALLOC_LOW ||
	       k == OP_ALLOC_NODE;
}

bool op_is_alloc(enum op_kind k)
{
	return k >= OP_PHYS_ALLOC_RANGE && k <= OP_ALLOC_NODE;
}

static void run_alloc(struct world *w, const struct op *op, struct op_result *res)
{
	struct memblock *mb = &w->mb;
	mb_phys_addr_t a = 0, s = op->size, al = op->align;
	mb_phys_addr_t st = (mb_phys_addr_t)op->start, en = (mb_phys_addr_t)op->end;
	void *p = NULL;

	w->m.mirror_warning_size = op->size;
	switch (op->kind) {
	case OP_PHYS_ALLOC_RANGE:
		res->rc = mb_phys_alloc_range(mb, s, al, st, en, &a);
		break;
	case OP_PHYS_ALLOC:
		res->rc = mb_phys_alloc(mb, s, al, &a);
		break;
	case OP_PHYS_ALLOC_TRY_NID:
		res->rc = mb_phys_alloc_try_nid(mb, s, al, op->nid, &a);
		break;
	case OP_ALLOC_RANGE_NID:
		res->rc = mb_alloc_range_nid(mb, s, al, st, en, op->nid, op->exact, &a);
		break;
	case OP_ALLOC_TRY_NID:
		res->rc = mb_alloc_try_nid(mb, s, al, st, en, op->nid, &p, &a);
		break;
	case OP_ALLOC_TRY_NID_RAW:
		res->rc = mb_alloc_try_nid_raw(mb, s, al, st, en, op->nid, &p, &a);
		break;
	case OP_ALLOC_EXACT_NID_RAW:
		res->rc = mb_alloc_exact_nid_raw(mb, s, al, st, en, op->nid, &p, &a);
		break;
	case OP_ALLOC:
		res->rc = mb_alloc(mb, s, al, &p, &a);
		break;
	case OP_ALLOC_RAW:
		res->rc = mb_alloc_raw(mb, s, al, &p, &a);
		break;
	case OP_ALLOC_FROM:
		res->rc = mb_alloc_from(mb, s, al, st, &p, &a);
		break;
	case OP_ALLOC_LOW:
		res->rc = mb_alloc_low(mb, s, al, &p, &a);
		break;
	default: /* OP_ALLOC_NODE */
		res->rc = mb_alloc_node(mb, s, al, op->nid, &p, &a);
		break;
	}
	res->addr = a;
	res->ptr = p;
}

static int run_limit(struct world *w, const struct op *op)
{
	switch (op->kind) {
	case OP_TRIM:
		return mb_trim_memory(&w->mb, op->align);
	case OP_ENFORCE_LIMIT:
		return mb_enforce_memory_limit(&w->mb, op->size);
	case OP_CAP_RANGE:
		return mb_cap_memory_range(&w->mb, op->base, op->size);
	default:
		return mb_mem_limit_remove_map(&w->mb, op->size);
	}
}

void op_run_core(struct world *w, const struct op *op, struct op_result *res)
{
	struct memblock *mb = &w->mb;
	mb_phys_addr_t b = (mb_phys_addr_t)op->base, s = (mb_phys_addr_t)op->size;

	memset(res, 0, sizeof(*res));
	switch (op->kind) {
	case OP_ADD:
		res->rc = mb_add(mb, b, s);
		break;
	case OP_ADD_NODE:
		res->rc = mb_add_node(mb, b, s, op->nid, op->flags);
		break;
	case OP_REMOVE:
		res->rc = mb_remove(mb, b, s);
		break;
	case OP_RESERVE:
		res->rc = mb_reserve(mb, b, s);
		break;
	case OP_PHYS_FREE:
		res->rc = mb_phys_free(mb, b, s);
		break;
	case OP_FREE_VIRT:
		res->rc = mb_free(mb, op->enable ? NULL : w->ram + op->base, (size_t)op->size);
		break;
	case OP_PHYSMEM_ADD:
		res->rc = mb_physmem_add(mb, b, s);
		break;
	case OP_MARK_HOTPLUG:
		res->rc = mb_mark_hotplug(mb, b, s);
		break;
	case OP_CLEAR_HOTPLUG:
		res->rc = mb_clear_hotplug(mb, b, s);
		break;
	case OP_MARK_MIRROR:
		res->rc = mb_mark_mirror(mb, b, s);
		break;
	case OP_MARK_NOMAP:
		res->rc = mb_mark_nomap(mb, b, s);
		break;
	case OP_CLEAR_NOMAP:
		res->rc = mb_clear_nomap(mb, b, s);
		break;
	case OP_MARK_NOINIT:
		res->rc = mb_reserved_mark_noinit(mb, b, s);
		break;
	case OP_SET_NODE_MEMORY:
		res->rc = mb_set_node(mb, b, s, &mb->memory, op->nid);
		break;
	case OP_SET_NODE_RESERVED:
		res->rc = mb_set_node(mb, b, s, &mb->reserved, op->nid);
		break;
	case OP_SET_BOTTOM_UP:
		mb_set_bottom_up(mb, op->enable);
		break;
	case OP_SET_LIMIT:
		mb_set_current_limit(mb, (mb_phys_addr_t)op->end);
		break;
	case OP_TRIM:
	case OP_ENFORCE_LIMIT:
	case OP_CAP_RANGE:
	case OP_MEM_LIMIT_REMOVE_MAP:
		res->rc = run_limit(w, op);
		break;
	case OP_QUERY:
	case OP_ITERATE:
		break;
	default:
		run_alloc(w, op, res);
		break;
	}
}

/* ---- checking against the model ---- */

static uint64_t model_run_alloc(struct world *w, const struct op *op)
{
	struct model *m = &w->m;
	uint64_t low = w->wc.low_address_limit;

	switch (op->kind) {
	case OP_PHYS_ALLOC_RANGE:
		return model_alloc_range_nid(m, op->size, op->align, op->start, op->end,
					     MB_NUMA_NO_NODE, false);
	case OP_PHYS_ALLOC:
		return model_alloc_range_nid(m, op->size, op->align, 0, MB_ALLOC_ACCESSIBLE,
					     MB_NUMA_NO_NODE, false);
	case OP_PHYS_ALLOC_TRY_NID:
		return model_alloc_range_nid(m, op->size, op->align, 0, MB_ALLOC_ACCESSIBLE,
					     op->nid, false);
	case OP_ALLOC_RANGE_NID:
		return model_alloc_range_nid(m, op->size, op->align, op->start, op->end, op->nid,
					     op->exact);
	case OP_ALLOC_TRY_NID:
	case OP_ALLOC_TRY_NID_RAW:
		return model_alloc_internal(m, op->size, op->align, op->start, op->end, op->nid,
					    false);
	case OP_ALLOC_EXACT_NID_RAW:
		return model_alloc_internal(m, op->size, op->align, op->start, op->end, op->nid,
					    true);
	case OP_ALLOC:
	case OP_ALLOC_RAW:
		return model_alloc_internal(m, op->size, op->align, 0, MB_ALLOC_ACCESSIBLE,
					    MB_NUMA_NO_NODE, false);
	case OP_ALLOC_FROM:
		return model_alloc_internal(m, op->size, op->align, op->start, MB_ALLOC_ACCESSIBLE,
					    MB_NUMA_NO_NODE, false);
	case OP_ALLOC_LOW:
		return model_alloc_internal(m, op->size, op->align, 0, low, MB_NUMA_NO_NODE, false);
	default: /* OP_ALLOC_NODE */
		return model_alloc_internal(m, op->size, op->align, 0, MB_ALLOC_ACCESSIBLE, op->nid,
					    false);
	}
}

static void check_alloc(struct world *w, const struct op *op, const struct op_result *res)
{
	uint64_t want;

	want = model_run_alloc(w, op);
	if (!want) {
		if (res->rc != -MB_ENOMEM || res->addr != 0 || res->ptr)
			world_fail(w, "allocation: rc %d addr %#llx, model: no fit (-MB_ENOMEM)",
				   res->rc, (unsigned long long)res->addr);
	} else if (res->rc != 0 || res->addr != want) {
		world_fail(w, "allocation: rc %d addr %#llx, model %#llx", res->rc,
			   (unsigned long long)res->addr, (unsigned long long)want);
	}
	if (w->mirror_lines != w->m.mirror_warnings || w->bad_mirror_text)
		world_fail(w, "%lu mirror warnings printed (text ok: %d), model %lu (last: %s)",
			   w->mirror_lines, !w->bad_mirror_text, w->m.mirror_warnings,
			   w->last_line);
	if (!want)
		return;
	/*
	 * Linux returns phys_to_virt(found) even for size 0. Known core bug
	 * (core-bugs.md: size-0 virtual allocation returns NULL): tolerated
	 * until fixed so the run can go on looking for others.
	 */
	if (is_virtual_alloc(op->kind) && res->ptr != (void *)(w->ram + want) &&
	    !(op->size == 0 && !res->ptr && getenv("MB_MODEL_STRICT") == NULL))
		world_fail(w, "virtual allocation: pointer %p, want ram + %#llx", res->ptr,
			   (unsigned long long)want);
	if (is_zeroing_alloc(op->kind) && op->size &&
	    (!w->zero_calls || w->zero_base != want || w->zero_size != op->size))
		world_fail(w, "allocation not zeroed: %lu calls, last [%#llx+%#llx]", w->zero_calls,
			   (unsigned long long)w->zero_base, (unsigned long long)w->zero_size);
	if (!is_zeroing_alloc(op->kind) && w->zero_calls)
		world_fail(w, "raw/physical allocation was zeroed");
}

static void check_numa_warnings(struct world *w)
{
	unsigned long got = w->mb.stats.numa_overlap_warnings - w->numa_before;

	/*
	 * A Linux-style doubling inside the call reserves the new array and
	 * frees the old one, which may lie in the range being added: the
	 * insert pass then sees gaps (and warns about their neighbours' flags)
	 * that the model, which knows nothing of arrays, cannot predict.
	 */
	if (w->wc.grow_policy == MB_GROW_LINUX && w->mb.stats.doublings != w->doublings_before)
		return;

	if ((got != 0) != (w->m.numa_warnings != 0))
		world_fail(w, "numa_overlap_warnings +%lu, model predicts %lu gap warnings", got,
			   w->m.numa_warnings);
}

static void model_apply_range_op(struct world *w, const struct op *op)
{
	struct model *m = &w->m;

	switch (op->kind) {
	case OP_ADD:
		model_add(m, MODEL_MEMORY, op->base, op->size, w->wc.max_numnodes, 0);
		break;
	case OP_ADD_NODE:
		model_add(m, MODEL_MEMORY, op->base, op->size, op->nid, op->flags);
		break;
	case OP_REMOVE:
		model_remove(m, MODEL_MEMORY, op->base, op->size);
		break;
	case OP_RESERVE:
		model_add(m, MODEL_RESERVED, op->base, op->size, w->wc.max_numnodes, 0);
		break;
	case OP_PHYS_FREE:
		model_remove(m, MODEL_RESERVED, op->base, op->size);
		break;
	case OP_FREE_VIRT:
		if (!op->enable)
			model_remove(m, MODEL_RESERVED, op->base, op->size);
		break;
	case OP_PHYSMEM_ADD:
		model_add(m, MODEL_PHYSMEM, op->base, op->size, w->wc.max_numnodes, 0);
		break;
	case OP_MARK_HOTPLUG:
	case OP_CLEAR_HOTPLUG:
		model_setclr_flag(m, MODEL_MEMORY, op->base, op->size, op->kind == OP_MARK_HOTPLUG,
				  MB_FLAG_HOTPLUG);
		break;
	case OP_MARK_MIRROR:
		model_mark_mirror(m, op->base, op->size);
		break;
	case OP_MARK_NOMAP:
	case OP_CLEAR_NOMAP:
		model_setclr_flag(m, MODEL_MEMORY, op->base, op->size, op->kind == OP_MARK_NOMAP,
				  MB_FLAG_NOMAP);
		break;
	case OP_MARK_NOINIT:
		model_setclr_flag(m, MODEL_RESERVED, op->base, op->size, true, MB_FLAG_RSRV_NOINIT);
		break;
	case OP_SET_NODE_MEMORY:
		model_set_node(m, MODEL_MEMORY, op->base, op->size, op->nid);
		break;
	case OP_SET_NODE_RESERVED:
		model_set_node(m, MODEL_RESERVED, op->base, op->size, op->nid);
		break;
	case OP_SET_BOTTOM_UP:
		m->bottom_up = op->enable;
		break;
	case OP_SET_LIMIT:
		m->current_limit = op->end;
		break;
	case OP_TRIM:
		model_trim(m, op->align);
		break;
	case OP_ENFORCE_LIMIT:
		model_enforce_memory_limit(m, op->size);
		break;
	case OP_CAP_RANGE:
		model_cap_memory_range(m, op->base, op->size);
		break;
	case OP_MEM_LIMIT_REMOVE_MAP: {
		uint64_t cut = op->size ? model_find_max_addr(m, op->size) : m->cfg.phys_max;

		if (cut != m->cfg.phys_max)
			model_cap_memory_range(m, 0, cut);
		break;
	}
	default:
		break;
	}
}

static void check_queries(struct world *w, const struct op *op)
{
	struct memblock *mb = &w->mb;
	struct model *m = &w->m;
	mb_phys_addr_t b = (mb_phys_addr_t)op->base, s = (mb_phys_addr_t)op->size;
	const struct model_list *mem = model_regions(m, MODEL_MEMORY);
	uint64_t start = mem->n ? mem->r[0].base : 0;
	uint64_t end = mem->n ? mem->r[mem->n - 1].base + mem->r[mem->n - 1].size : 0;
	unsigned long pfn = (unsigned long)(op->base / w->wc.page_size), spfn = 7, epfn = 9;
	long idx;
	int nid;

	if (mb_is_memory(mb, b) != model_is_present(m, MODEL_MEMORY, op->base))
		world_fail(w, "is_memory(%#llx)", (unsigned long long)op->base);
	if (mb_is_reserved(mb, b) != model_is_present(m, MODEL_RESERVED, op->base))
		world_fail(w, "is_reserved(%#llx)", (unsigned long long)op->base);
	if (mb_is_map_memory(mb, b) !=
	    (model_is_present(m, MODEL_MEMORY, op->base) &&
	     !(model_flags_at(m, MODEL_MEMORY, op->base) & MB_FLAG_NOMAP)))
		world_fail(w, "is_map_memory(%#llx)", (unsigned long long)op->base);
	if (mb_is_region_memory(mb, b, s) != model_is_region_memory(m, op->base, op->size))
		world_fail(w, "is_region_memory(%#llx, %#llx) = %d", (unsigned long long)op->base,
			   (unsigned long long)op->size, mb_is_region_memory(mb, b, s));
	if (mb_is_region_reserved(mb, b, s) !=
	    model_overlaps(m, MODEL_RESERVED, op->base, op->size))
		world_fail(w, "is_region_reserved(%#llx, %#llx) = %d", (unsigned long long)op->base,
			   (unsigned long long)op->size, mb_is_region_reserved(mb, b, s));
	if (mb_overlaps_region(&mb->memory, b, s) !=
	    model_overlaps(m, MODEL_MEMORY, op->base, op->size))
		world_fail(w, "overlaps_region(memory, %#llx, %#llx)", (unsigned long long)op->base,
			   (unsigned long long)op->size);
	if (mb_start_of_DRAM(mb) != start || mb_end_of_DRAM(mb) != end)
		world_fail(w, "start/end_of_DRAM %#llx/%#llx, model %#llx/%#llx",
			   (unsigned long long)mb_start_of_DRAM(mb),
			   (unsigned long long)mb_end_of_DRAM(mb), (unsigned long long)start,
			   (unsigned long long)end);
	nid = mb_search_pfn_nid(mb, pfn, &spfn, &epfn);
	idx = model_region_at(m, MODEL_MEMORY, (uint64_t)pfn * w->wc.page_size);
	if (idx < 0) {
		if (nid != MB_NUMA_NO_NODE || spfn != 7 || epfn != 9)
			world_fail(w, "search_pfn_nid(%#lx) = %d, want -1 untouched", pfn, nid);
	} else {
		const struct model_region *r = &mem->r[idx];

		if (nid != r->nid || spfn != r->base / w->wc.page_size ||
		    epfn != (r->base + r->size) / w->wc.page_size)
			world_fail(w, "search_pfn_nid(%#lx) = %d [%#lx-%#lx)", pfn, nid, spfn,
				   epfn);
	}
}

typedef void (*next_fn)(const struct memblock *mb, uint64_t *idx, int nid, unsigned int flags,
			const struct memblock_type *type_a, const struct memblock_type *type_b,
			mb_phys_addr_t *out_start, mb_phys_addr_t *out_end, int *out_nid);

static void check_walk(struct world *w, const char *what, bool reverse, int nid, unsigned int flags,
		       enum model_type_id a, enum model_type_id b)
{
	struct memblock *mb = &w->mb;
	const struct memblock_type *types[] = {&mb->memory, &mb->reserved, &mb->physmem};
	struct model_list want = {0};
	next_fn next = reverse ? mb_next_mem_range_rev : mb_next_mem_range;
	uint64_t idx = reverse ? MB_ITER_REV_START : 0;
	size_t n = 0;

	model_free_ranges(&w->m, nid, flags, a, b, &want);
	for (;;) {
		mb_phys_addr_t s = 1, e = 2;
		int rnid = -7;
		const struct model_region *x;

		next(mb, &idx, nid, flags, types[a], b == MODEL_NR_TYPES ? NULL : types[b], &s, &e,
		     &rnid);
		if (idx == MB_ITER_END)
			break;
		if (n >= want.n) {
			model_list_free(&want);
			world_fail(w, "%s(nid %d flags %#x): extra range [%#llx-%#llx)", what, nid,
				   flags, (unsigned long long)s, (unsigned long long)e);
		}
		x = &want.r[reverse ? want.n - 1 - n : n];
		if (s != x->base || e != x->base + x->size || rnid != x->nid) {
			uint64_t xb = x->base, xe = x->base + x->size;
			int xn = x->nid;

			model_list_free(&want);
			world_fail(w,
				   "%s(nid %d flags %#x) #%zu: [%#llx-%#llx) nid %d, model "
				   "[%#llx-%#llx) nid %d",
				   what, nid, flags, n, (unsigned long long)s,
				   (unsigned long long)e, rnid, (unsigned long long)xb,
				   (unsigned long long)xe, xn);
		}
		n++;
	}
	if (n != want.n) {
		size_t wn = want.n;

		model_list_free(&want);
		world_fail(w, "%s(nid %d flags %#x): %zu ranges, model %zu", what, nid, flags, n,
			   wn);
	}
	model_list_free(&want);
}

/* __next_mem_pfn_range()'s "every node": MAX_NUMNODES for 6.1, any invalid nid for 6.12. */
static bool pfn_nid_any(const struct world *w, int nid)
{
	if (w->wc.profile_61)
		return nid == w->wc.max_numnodes;
	return nid < 0 || nid >= w->wc.max_numnodes;
}

static void check_pfn_walk(struct world *w, int nid)
{
	const struct model_list *mem = model_regions(&w->m, MODEL_MEMORY);
	uint64_t page = w->wc.page_size;
	unsigned long spfn, epfn;
	size_t i = 0;
	int idx = -1, rnid;

	for (;;) {
		mb_next_mem_pfn_range(&w->mb, &idx, nid, &spfn, &epfn, &rnid);
		/* advance the model to the next region the kernel would report */
		for (; i < mem->n; i++) {
			const struct model_region *r = &mem->r[i];
			uint64_t up = (r->base + page - 1) / page,
				 down = (r->base + r->size) / page;

			if (up >= down)
				continue;
			if (pfn_nid_any(w, nid) || nid == r->nid)
				break;
		}
		if (idx < 0) {
			if (i != mem->n)
				world_fail(w, "pfn walk(nid %d) ended early at model region %zu",
					   nid, i);
			return;
		}
		if (i == mem->n)
			world_fail(w, "pfn walk(nid %d): extra range %#lx-%#lx", nid, spfn, epfn);
		if (spfn != (mem->r[i].base + page - 1) / page ||
		    epfn != (mem->r[i].base + mem->r[i].size) / page || rnid != mem->r[i].nid)
			world_fail(w, "pfn walk(nid %d): %#lx-%#lx nid %d vs region %zu", nid, spfn,
				   epfn, rnid, i);
		i++;
	}
}

static void check_iterators(struct world *w, const struct op *op)
{
	struct memblock *mb = &w->mb;
	mb_phys_addr_t s, e;
	uint64_t i;
	size_t n = 0;
	struct model_list want = {0};

	check_walk(w, "free", false, op->nid, op->flags, MODEL_MEMORY, MODEL_RESERVED);
	check_walk(w, "free_rev", true, op->nid, op->flags, MODEL_MEMORY, MODEL_RESERVED);
	check_walk(w, "memory", false, op->nid, op->flags, MODEL_MEMORY, MODEL_NR_TYPES);
	check_walk(w, "memory_rev", true, op->nid, op->flags, MODEL_MEMORY, MODEL_NR_TYPES);
	check_walk(w, "reserved-minus-memory", false, op->nid, op->flags, MODEL_RESERVED,
		   MODEL_MEMORY);
	check_walk(w, "reserved", false, op->nid, op->flags, MODEL_RESERVED, MODEL_NR_TYPES);
	check_pfn_walk(w, op->nid);

	model_free_ranges(&w->m, MB_NUMA_NO_NODE, MB_FLAG_HOTPLUG | MB_FLAG_DRIVER_MANAGED,
			  MODEL_MEMORY, MODEL_NR_TYPES, &want);
	mb_for_each_mem_range(mb, i, &s, &e)
	{
		if (n >= want.n || s != want.r[n].base || e != want.r[n].base + want.r[n].size) {
			model_list_free(&want);
			world_fail(w, "for_each_mem_range #%zu [%#llx-%#llx)", n,
				   (unsigned long long)s, (unsigned long long)e);
		}
		n++;
	}
	if (n != want.n) {
		model_list_free(&want);
		world_fail(w, "for_each_mem_range: %zu ranges", n);
	}
	model_list_free(&want);
}

void op_check(struct world *w, const struct op *op, const struct op_result *res)
{
	if (op->kind == OP_QUERY)
		check_queries(w, op);
	else if (op->kind == OP_ITERATE)
		check_iterators(w, op);
	else
		op_check_result(w, op, res);
	world_check_state(w); /* read-only calls must not change anything either */
}

void op_check_result(struct world *w, const struct op *op, const struct op_result *res)
{
	if (op->kind == OP_MARK_NOINIT && w->wc.profile_61) {
		/* 6.1 has no such call: refused, nothing changes. */
		if (res->rc != -MB_ENOTSUP)
			world_fail(w, "reserved_mark_noinit under linux-6.1: rc %d, want ENOTSUP",
				   res->rc);
		return;
	}
	if (op_is_alloc(op->kind)) {
		check_alloc(w, op, res);
	} else {
		model_apply_range_op(w, op);
		if (res->rc != 0)
			world_fail(w, "rc %d (%s), want 0", res->rc, mb_strerror(res->rc));
		if (op->kind == OP_ADD || op->kind == OP_ADD_NODE || op->kind == OP_RESERVE ||
		    op->kind == OP_PHYSMEM_ADD)
			check_numa_warnings(w);
	}
}
