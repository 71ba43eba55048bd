/* SPDX-License-Identifier: MIT */
/*
 * script_set.c - `set KEY VALUE`: the instance's configuration.
 *
 * Most keys fix how the instance is built, so they are only accepted
 * before the first operation (or right after `reset`); each one
 * re-initialises the still-empty instance at once, so a bad value is
 * reported on its own line. debug, movable_node, kernelcore /
 * mirrored_kernelcore and max_low_pfn change at any time.
 */
#define _POSIX_C_SOURCE 200809L

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "script_internal.h"

struct set_key {
	const char *name;
	int (*apply)(struct script_ctx *ctx, const struct script_tok *val);
	bool live; /* may change after the first operation */
};

/* page_size, smp_cache_bytes: what mb_init() accepts, said with the key's name. */
static int need_align(struct script_ctx *ctx, const char *key, const struct script_tok *val,
		      uint64_t *out)
{
	if (script_number(ctx, val, script_phys_max(ctx), out))
		return SCRIPT_BAD;
	if (!*out || (*out & (*out - 1)))
		return script_bad(ctx, val->col, "%s: '%s' is not a power of two", key, val->s);
	if (*out < MB_REGION_ALIGN)
		return script_bad(ctx, val->col,
				  "%s: '%s' is below %zu, the alignment of a region array", key,
				  val->s, (size_t)MB_REGION_ALIGN);
	return 0;
}

static int set_profile(struct script_ctx *ctx, const struct script_tok *val)
{
	const struct mb_profile *p = mb_profile_by_name(val->s);

	if (!p)
		return script_bad(ctx, val->col,
				  "unknown profile '%s' (linux-6.12, linux-6.1; "
				  "unverified: linux-5.4, linux-4.x)",
				  val->s);
	if (p->unverified)
		fprintf(stderr,
			"memblock: warning: profile %s is unverified (no kernel source to check "
			"it against; see docs/core.md)\n",
			p->name);
	ctx->cfg.profile = p;
	return 0;
}

static int set_phys_bits(struct script_ctx *ctx, const struct script_tok *val)
{
	uint64_t v;

	if (script_number(ctx, val, 64, &v))
		return SCRIPT_BAD;
	if (v != 32 && v != 64)
		return script_bad(ctx, val->col, "phys_bits must be 32 or 64");
	if (v > sizeof(mb_phys_addr_t) * 8)
		return script_bad(ctx, val->col, "this build has a %zu-bit phys_addr_t",
				  sizeof(mb_phys_addr_t) * 8);
	ctx->cfg.phys_bits = (unsigned int)v;
	return 0;
}

static int set_page_size(struct script_ctx *ctx, const struct script_tok *val)
{
	uint64_t v;

	if (need_align(ctx, "page_size", val, &v))
		return SCRIPT_BAD;
	ctx->cfg.page_size = v;
	return 0;
}

static int set_cache(struct script_ctx *ctx, const struct script_tok *val)
{
	uint64_t v;

	if (need_align(ctx, "smp_cache_bytes", val, &v))
		return SCRIPT_BAD;
	ctx->cfg.smp_cache_bytes = v;
	return 0;
}

static int set_low_limit(struct script_ctx *ctx, const struct script_tok *val)
{
	uint64_t v;

	if (script_number(ctx, val, script_phys_max(ctx), &v))
		return SCRIPT_BAD;
	ctx->cfg.low_address_limit = v;
	return 0;
}

static int set_order(struct script_ctx *ctx, const struct script_tok *val)
{
	uint64_t v;

	if (script_number(ctx, val, 30, &v))
		return SCRIPT_BAD;
	ctx->cfg.max_page_order = (unsigned int)v;
	return 0;
}

static int set_nodes(struct script_ctx *ctx, const struct script_tok *val)
{
	uint64_t v;

	if (script_number(ctx, val, 1024, &v))
		return SCRIPT_BAD;
	if (!v)
		return script_bad(ctx, val->col, "nodes must be at least 1");
	ctx->cfg.max_numnodes = (int)v;
	ctx->cfg.numa = v > 1;
	return 0;
}

static int set_max_pages(struct script_ctx *ctx, const struct script_tok *val)
{
	uint64_t v;

	if (script_number(ctx, val, ULONG_MAX, &v))
		return SCRIPT_BAD;
	ctx->cfg.max_pages = (unsigned long)v;
	return 0;
}

static int set_bool_field(struct script_ctx *ctx, const struct script_tok *val, bool *field)
{
	return script_bool(ctx, val, field);
}

static int set_numa(struct script_ctx *ctx, const struct script_tok *val)
{
	return set_bool_field(ctx, val, &ctx->cfg.numa);
}

/*
 * movable_node and kernelcore=mirror are early parameters: the kernel sets
 * them between memblock calls, so they change the live instance too.
 */
static int set_movable(struct script_ctx *ctx, const struct script_tok *val)
{
	if (set_bool_field(ctx, val, &ctx->cfg.movable_node))
		return SCRIPT_BAD;
	mb_set_movable_node(&ctx->mb, ctx->cfg.movable_node);
	return 0;
}

static int set_mirror(struct script_ctx *ctx, const struct script_tok *val)
{
	if (set_bool_field(ctx, val, &ctx->cfg.mirrored_kernelcore))
		return SCRIPT_BAD;
	mb_set_mirrored_kernelcore(&ctx->mb, ctx->cfg.mirrored_kernelcore);
	return 0;
}

static int set_kernelcore(struct script_ctx *ctx, const struct script_tok *val)
{
	if (strcmp(val->s, "mirror") && strcmp(val->s, "none"))
		return script_bad(ctx, val->col, "kernelcore: expected mirror or none");
	ctx->cfg.mirrored_kernelcore = !strcmp(val->s, "mirror");
	mb_set_mirrored_kernelcore(&ctx->mb, ctx->cfg.mirrored_kernelcore);
	return 0;
}

/* The kernel's max_low_pfn: what free_all hands over without an argument. */
static int set_max_low_pfn(struct script_ctx *ctx, const struct script_tok *val)
{
	uint64_t v;

	if (!strcmp(val->s, "max")) {
		ctx->max_low_pfn = ULONG_MAX;
		return 0;
	}
	if (script_number(ctx, val, ULONG_MAX, &v))
		return SCRIPT_BAD;
	ctx->max_low_pfn = (unsigned long)v;
	return 0;
}

static int set_debug(struct script_ctx *ctx, const struct script_tok *val)
{
	bool on;

	if (script_bool(ctx, val, &on))
		return SCRIPT_BAD;
	ctx->cfg.debug = on;
	ctx->mb.debug = on;
	return 0;
}

static int set_regions(struct script_ctx *ctx, const struct script_tok *val)
{
	uint64_t v;

	if (script_number(ctx, val, 1u << 20, &v))
		return SCRIPT_BAD;
	if (v < 2)
		return script_bad(ctx, val->col, "regions must be at least 2");
	ctx->regions = (unsigned long)v;
	return 0;
}

static int set_physmem(struct script_ctx *ctx, const struct script_tok *val)
{
	return set_bool_field(ctx, val, &ctx->physmem);
}

static int set_grow(struct script_ctx *ctx, const struct script_tok *val)
{
	if (!strcmp(val->s, "linux"))
		ctx->cfg.grow_policy = MB_GROW_LINUX;
	else if (!strcmp(val->s, "callback"))
		ctx->cfg.grow_policy = MB_GROW_CALLBACK;
	else if (!strcmp(val->s, "fixed"))
		ctx->cfg.grow_policy = MB_GROW_FIXED;
	else
		return script_bad(ctx, val->col, "grow: expected linux, callback or fixed");
	return 0;
}

static int set_caller_slot(struct script_ctx *ctx, const struct script_tok *val, int slot,
			   const char **field)
{
	char *copy = strdup(val->s);

	if (!copy)
		return script_bad(ctx, val->col, "out of memory");
	free(ctx->caller_names[slot]);
	ctx->caller_names[slot] = copy;
	*field = copy;
	return 0;
}

static int set_c_range(struct script_ctx *ctx, const struct script_tok *val)
{
	return set_caller_slot(ctx, val, 0, &ctx->cfg.callers.alloc_range_nid);
}

static int set_c_internal(struct script_ctx *ctx, const struct script_tok *val)
{
	return set_caller_slot(ctx, val, 1, &ctx->cfg.callers.alloc_internal);
}

static int set_c_double(struct script_ctx *ctx, const struct script_tok *val)
{
	return set_caller_slot(ctx, val, 2, &ctx->cfg.callers.double_array);
}

static int set_c_free_all(struct script_ctx *ctx, const struct script_tok *val)
{
	return set_caller_slot(ctx, val, 3, &ctx->cfg.callers.free_all);
}

static const struct set_key keys[] = {
    {"profile", set_profile, false},
    {"phys_bits", set_phys_bits, false},
    {"page_size", set_page_size, false},
    {"smp_cache_bytes", set_cache, false},
    {"low_address_limit", set_low_limit, false},
    {"max_page_order", set_order, false},
    {"nodes", set_nodes, false},
    {"numa", set_numa, false},
    {"movable_node", set_movable, true},
    {"mirrored_kernelcore", set_mirror, true},
    {"kernelcore", set_kernelcore, true},
    {"max_low_pfn", set_max_low_pfn, true},
    {"debug", set_debug, true},
    {"regions", set_regions, false},
    {"physmem", set_physmem, false},
    {"grow", set_grow, false},
    {"max_pages", set_max_pages, false},
    {"caller.alloc_range_nid", set_c_range, false},
    {"caller.alloc_internal", set_c_internal, false},
    {"caller.double_array", set_c_double, false},
    {"caller.free_all", set_c_free_all, false},
};

const char *script_set_key_name(size_t i)
{
	return i < sizeof(keys) / sizeof(keys[0]) ? keys[i].name : NULL;
}

static const struct set_key *find_key(const char *name)
{
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (!strcmp(keys[i].name, name))
			return &keys[i];
	return NULL;
}

int script_exec_set(struct script_ctx *ctx, struct script_line *ln)
{
	const struct set_key *key;
	struct mb_config old_cfg = ctx->cfg;
	unsigned long old_regions = ctx->regions;
	bool old_physmem = ctx->physmem;
	int ret;

	if (ln->n < 2)
		return script_bad(ctx, ln->end_col, "set: missing key");
	key = find_key(ln->tok[1].s);
	if (!key)
		return script_bad(ctx, ln->tok[1].col, "set: unknown key '%s'", ln->tok[1].s);
	if (ln->n < 3)
		return script_bad(ctx, ln->end_col, "set %s: missing value", key->name);
	if (ln->n > 3)
		return script_bad(ctx, ln->tok[3].col, "set %s: unexpected argument '%s'",
				  key->name, ln->tok[3].s);
	if (!key->live && ctx->started)
		return script_bad(ctx, ln->tok[1].col,
				  "set %s: only allowed before the first operation (or after "
				  "'reset')",
				  key->name);
	if (key->apply(ctx, &ln->tok[2]))
		return SCRIPT_BAD;
	if (key->live)
		return SCRIPT_OK;
	ret = script_reinit(ctx);
	if (!ret)
		return SCRIPT_OK;
	ctx->cfg = old_cfg;
	ctx->regions = old_regions;
	ctx->physmem = old_physmem;
	script_reinit(ctx);
	return script_bad(ctx, ln->tok[2].col, "set %s: the instance refuses it: %s", key->name,
			  mb_strerror(ret));
}
