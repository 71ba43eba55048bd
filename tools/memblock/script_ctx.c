/* SPDX-License-Identifier: MIT */
/*
 * script_ctx.c - the interpreter's context: the instance, its region
 * arrays, the simulated RAM behind it and the callbacks the core calls.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <memblock/host_index.h>

#include "script_internal.h"

static void release_grown(struct script_ctx *ctx)
{
	for (size_t i = 0; i < ctx->n_grown; i++)
		free(ctx->grown[i]);
	free(ctx->grown);
	ctx->grown = NULL;
	ctx->n_grown = 0;
}

static struct memblock_region *grow_cb(void *data, const struct memblock_type *type,
				       unsigned long new_max)
{
	struct script_ctx *ctx = data;
	void **list = realloc(ctx->grown, (ctx->n_grown + 1) * sizeof(*list));
	struct memblock_region *regions;

	(void)type;
	if (!list)
		return NULL;
	ctx->grown = list;
	regions = calloc(new_max, sizeof(*regions));
	if (!regions)
		return NULL;
	ctx->grown[ctx->n_grown++] = regions;
	return regions;
}

static void free_pages_cb(void *data, unsigned long pfn, unsigned int order)
{
	struct script_ctx *ctx = data;

	(void)pfn;
	ctx->pages_freed += 1ul << order;
}

volatile sig_atomic_t script_interrupted;

/* Once a second at most: "free_all: 12% (123456 of 987654 pages)". */
static bool progress_cb(void *data, unsigned long done, unsigned long total)
{
	struct script_ctx *ctx = data;
	time_t now = time(NULL);

	if (script_interrupted)
		return false;
	if (!ctx->opts.progress)
		return true;
	if (!ctx->progress_start)
		ctx->progress_start = now;
	if (now - ctx->progress_start < 1 || now == ctx->progress_last)
		return true;
	ctx->progress_last = now;
	fprintf(script_err_stream(ctx),
		"%s:%lu: handover: %lu%% (%lu of %lu pages; Ctrl-C stops)\n", ctx->file, ctx->line,
		(unsigned long)((double)done * 100 / (double)total), done, total);
	return true;
}

static void reserved_pages_cb(void *data, mb_phys_addr_t start, mb_phys_addr_t end, int nid)
{
	struct script_ctx *ctx = data;

	(void)start;
	(void)end;
	(void)nid;
	ctx->pages_reserved_calls++;
}

/* Throw the instance away and build it again from ctx->cfg. */
int script_reinit(struct script_ctx *ctx)
{
	unsigned long caps[3] = {ctx->regions, ctx->regions, MB_INIT_PHYSMEM_REGIONS};
	struct mb_config cfg = ctx->cfg;
	int ret;

	mb_host_index_release(&ctx->mb);
	release_grown(ctx);
	for (int i = 0; i < 3; i++) {
		free(ctx->arrays[i]);
		ctx->arrays[i] = calloc(caps[i], sizeof(struct memblock_region));
		if (!ctx->arrays[i])
			return -MB_ENOMEM;
	}
	mb_simram_destroy(ctx->ram);
	ctx->ram = NULL;
	ret = mb_simram_create(&ctx->ram);
	if (ret)
		return ret;
	cfg.memory_regions = ctx->arrays[0];
	cfg.memory_max = caps[0];
	cfg.reserved_regions = ctx->arrays[1];
	cfg.reserved_max = caps[1];
	cfg.physmem_regions = ctx->physmem ? ctx->arrays[2] : NULL;
	cfg.physmem_max = ctx->physmem ? caps[2] : 0;
	mb_stdio_sink_init(&ctx->sink, script_out(ctx));
	ctx->sink.timestamp = ctx->opts.dmesg;
	mb_stdio_sink_install(&ctx->sink, &cfg.ops);
	mb_simram_install(ctx->ram, &cfg.ops);
	cfg.ops.grow = grow_cb;
	cfg.ops.grow_ctx = ctx;
	cfg.ops.free_pages = free_pages_cb;
	cfg.ops.reserved_pages = reserved_pages_cb;
	cfg.ops.progress = progress_cb;
	cfg.ops.page_ctx = ctx;
	mb_host_index_install(&cfg.ops);
	ret = mb_init(&ctx->mb, &cfg);
	if (!ret)
		ret = mb_host_index_apply(&ctx->mb, ctx->opts.index);
	if (ret)
		return ret;
	ctx->started = false;
	ctx->last = (struct script_value){0};
	return 0;
}

int script_ctx_init(struct script_ctx *ctx, const struct script_opts *opts)
{
	memset(ctx, 0, sizeof(*ctx));
	if (opts)
		ctx->opts = *opts;
	mb_config_default(&ctx->cfg);
	ctx->cfg.debug = ctx->opts.debug;
	ctx->cfg.grow_policy = MB_GROW_LINUX;
	ctx->cfg.max_pages = ctx->opts.max_pages ? ctx->opts.max_pages : SCRIPT_MAX_PAGES;
	ctx->regions = MB_INIT_REGIONS;
	ctx->max_low_pfn = ULONG_MAX;
	ctx->file = "<none>";
	script_interrupted = 0;
	return script_reinit(ctx);
}

void script_ctx_fini(struct script_ctx *ctx)
{
	if (!ctx)
		return;
	mb_host_index_release(&ctx->mb);
	release_grown(ctx);
	for (int i = 0; i < 3; i++) {
		free(ctx->arrays[i]);
		ctx->arrays[i] = NULL;
	}
	for (int i = 0; i < SCRIPT_MAX_CALLERS; i++) {
		free(ctx->caller_names[i]);
		ctx->caller_names[i] = NULL;
	}
	mb_simram_destroy(ctx->ram);
	ctx->ram = NULL;
}

struct memblock *script_memblock(struct script_ctx *ctx)
{
	return &ctx->mb;
}
