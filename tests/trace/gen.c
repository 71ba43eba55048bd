// SPDX-License-Identifier: MIT
/*
 * gen.c - make a memblock=debug boot log with our own core: random adds,
 * reserves, allocations of every traced kind, frees and dumps, printed
 * through the core's own trace lines with dmesg timestamps. A replay of
 * such a log must verify completely. Shared by the tests and the bench.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gen.h"

/* Live blocks at a time: a boot keeps a few dozen reserved regions. */
#define GEN_LIVE 24

struct gen {
	struct gen_log *log;
	uint64_t rng;
	unsigned long target;
	struct memblock mb;
	uint64_t live_base[GEN_LIVE], live_size[GEN_LIVE];
	unsigned int nr_live, next_victim;
	int nodes;
};

static uint64_t next_rand(struct gen *g)
{
	/* xorshift64*: reproducible from the seed on every platform. */
	g->rng ^= g->rng >> 12;
	g->rng ^= g->rng << 25;
	g->rng ^= g->rng >> 27;
	return g->rng * 0x2545f4914f6cdd1dull;
}

static unsigned int pick(struct gen *g, unsigned int n)
{
	return (unsigned int)(next_rand(g) % n);
}

static void append(struct gen_log *log, const char *s, size_t n)
{
	if (log->oom)
		return;
	if (log->len + n + 1 > log->cap) {
		size_t cap = log->cap ? log->cap * 2 : 1 << 16;
		char *p;

		while (cap < log->len + n + 1)
			cap *= 2;
		p = realloc(log->data, cap);
		if (!p) {
			log->oom = true;
			return;
		}
		log->data = p;
		log->cap = cap;
	}
	memcpy(log->data + log->len, s, n);
	log->len += n;
	log->data[log->len] = '\0';
}

static void print_line(void *ctx, enum mb_log_level level, const char *line)
{
	struct gen_log *log = ctx;
	static const char stamp[] = "[    0.000000] ";

	(void)level;
	append(log, stamp, sizeof(stamp) - 1);
	append(log, line, strlen(line));
	append(log, "\n", 1);
	log->lines++;
}

static void keep_live(struct gen *g, uint64_t base, uint64_t size)
{
	unsigned int slot;

	if (!size)
		return;
	if (g->nr_live < GEN_LIVE) {
		slot = g->nr_live++;
	} else {
		slot = g->next_victim;
		g->next_victim = (g->next_victim + 1) % GEN_LIVE;
		mb_set_caller(&g->mb, "gen_free+0x8/0x40");
		(void)mb_phys_free(&g->mb, (mb_phys_addr_t)g->live_base[slot],
				   (mb_phys_addr_t)g->live_size[slot]);
	}
	g->live_base[slot] = base;
	g->live_size[slot] = size;
}

static uint64_t rand_size(struct gen *g)
{
	static const uint64_t sizes[] = {8, 16, 47, 64, 100, 320, 4096, 8192, 74092, 1 << 20};

	return sizes[pick(g, sizeof(sizes) / sizeof(sizes[0]))];
}

static uint64_t rand_align(struct gen *g)
{
	static const uint64_t aligns[] = {0, 8, 64, 0x1000, 0x40, 0x200000};

	return aligns[pick(g, sizeof(aligns) / sizeof(aligns[0]) - (pick(g, 8) ? 1 : 0))];
}

static void gen_alloc(struct gen *g)
{
	uint64_t size = rand_size(g), align = rand_align(g);
	mb_phys_addr_t out = 0;
	void *virt = NULL;
	int nid = g->nodes > 1 ? (int)pick(g, (unsigned int)g->nodes + 1) - 1 : -1;
	unsigned int kind = pick(g, 10);
	int err;

	mb_set_caller(&g->mb, kind < 6 ? "gen_alloc+0x1c/0x80" : "gen_other+0x24/0x60");
	if (kind < 5)
		err =
		    mb_alloc_try_nid(&g->mb, size, align, 0, MB_ALLOC_ACCESSIBLE, nid, &virt, &out);
	else if (kind < 7)
		err = mb_phys_alloc_range(&g->mb, size, align ? align : 8, 0, MB_ALLOC_ANYWHERE,
					  &out);
	else if (kind < 9)
		err = mb_alloc_try_nid_raw(&g->mb, size, align, 0x80000000u, MB_ALLOC_ACCESSIBLE,
					   nid, &virt, &out);
	else
		err = mb_alloc_exact_nid_raw(&g->mb, size, align, 0, MB_ALLOC_ACCESSIBLE,
					     nid < 0 ? 0 : nid, &virt, &out);
	if (!err)
		keep_live(g, out, size);
}

static void gen_reserve(struct gen *g)
{
	uint64_t base = 0x82000000u + ((uint64_t)pick(g, 0x4000) << 12);

	mb_set_caller(&g->mb, "gen_reserve+0x30/0x90");
	if (!mb_reserve(&g->mb, (mb_phys_addr_t)base, 0x1000))
		keep_live(g, base, 0x1000);
}

static void gen_step(struct gen *g)
{
	unsigned int what = pick(g, 100);

	if (what < 70)
		gen_alloc(g);
	else if (what < 80)
		gen_reserve(g);
	else if (what < 98 && g->nr_live) {
		unsigned int slot = pick(g, g->nr_live);

		mb_set_caller(&g->mb, "gen_free+0x8/0x40");
		(void)mb_phys_free(&g->mb, (mb_phys_addr_t)g->live_base[slot],
				   (mb_phys_addr_t)g->live_size[slot]);
		g->live_base[slot] = g->live_base[--g->nr_live];
		g->live_size[slot] = g->live_size[g->nr_live];
		g->next_victim = 0;
	} else if (what >= 99 && !pick(g, 20)) {
		mb_dump_all(&g->mb);
	}
}

int gen_boot_log(struct gen_log *log, uint64_t seed, unsigned long lines, const char *profile,
		 int nodes)
{
	static struct memblock_region memory[4096], reserved[4096];
	struct mb_config cfg;
	struct gen g = {0};
	int err;

	memset(log, 0, sizeof(*log));
	g.log = log;
	g.rng = seed ? seed : 1;
	g.nodes = nodes;
	mb_config_default(&cfg);
	cfg.profile = mb_profile_by_name(profile);
	cfg.numa = nodes > 1;
	cfg.debug = true;
	cfg.memory_regions = memory;
	cfg.memory_max = 4096;
	cfg.reserved_regions = reserved;
	cfg.reserved_max = 4096;
	cfg.grow_policy = MB_GROW_FIXED;
	cfg.ops.print = print_line;
	cfg.ops.print_ctx = log;
	cfg.callers.alloc_range_nid = "memblock_alloc_range_nid+0xbc/0x122";
	cfg.callers.alloc_internal = "memblock_virt_alloc_internal+0xec/0x1cc";
	err = mb_init(&g.mb, &cfg);
	if (err)
		return err;
	g.mb.debug = true;
	mb_set_caller(&g.mb, "setup_arch+0x40/0x4a4");
	for (int n = 0; n < (nodes > 1 ? nodes : 1); n++) {
		mb_phys_addr_t base = 0x80000000u + (mb_phys_addr_t)n * 0x20000000u;

		err = nodes > 1 ? mb_add_node(&g.mb, base, 0x20000000u, n, 0)
				: mb_add(&g.mb, base, 0x20000000u);
		if (err)
			return err;
	}
	mb_set_caller(&g.mb, "paging_init+0x82/0x39a");
	(void)mb_reserve(&g.mb, 0x80200000u, 0x1e00000u);
	mb_dump_all(&g.mb);
	while (log->lines < lines && !log->oom)
		gen_step(&g);
	mb_dump_all(&g.mb);
	return log->oom ? -MB_ENOMEM : 0;
}
