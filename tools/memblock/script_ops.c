/* SPDX-License-Identifier: MIT */
/*
 * script_ops.c - the operations of the .mb language, one table row each.
 *
 * A row names the kernel call, the argument spec and a small handler.
 * Spec letters: a = address/size (fits phys_addr_t), n = node, b = on/off,
 * f = flags, t = type (memory|reserved|physmem), w = word, u = unsigned
 * long; everything after '|' is optional.
 */
#include <inttypes.h>
#include <limits.h>
#include <string.h>

#include "script_internal.h"
#include <memblock/explain.h>

#define OP_MAX_ARGS 8

struct op_args {
	int given;
	uint64_t u[OP_MAX_ARGS];
	int nid[OP_MAX_ARGS];
	bool b[OP_MAX_ARGS];
	unsigned int flags[OP_MAX_ARGS];
	const char *w[OP_MAX_ARGS];
	struct memblock_type *type[OP_MAX_ARGS];
	bool kw_nid, kw_flags; /* add's nid= / flags= */
	int nid_kw;
	unsigned int flags_kw;
};

enum op_kind {
	OPK_MUTATE, /* changes the instance */
	OPK_ALLOC,  /* changes the instance and returns an address */
	OPK_QUERY,  /* reads the instance and returns a value */
	OPK_META    /* echo, reset, check, help, quit */
};

struct op;
typedef int (*op_fn)(struct script_ctx *ctx, const struct op *op, const struct op_args *a,
		     struct script_value *res);
typedef int (*range_fn)(struct memblock *mb, mb_phys_addr_t base, mb_phys_addr_t size);

struct op {
	const char *name;
	const char *spec;
	enum op_kind kind;
	op_fn fn;
	range_fn range;
	bool kw;	   /* accepts nid=N flags=F */
	const char *usage; /* argument names for help and errors */
};

static void set_addr(struct script_value *res, uint64_t v)
{
	res->kind = SCRIPT_VALUE_ADDR;
	res->v = v;
}

static void set_bool(struct script_value *res, bool v)
{
	res->kind = SCRIPT_VALUE_BOOL;
	res->v = v;
}

/* ---- Changing ranges ---- */

static int op_range(struct script_ctx *ctx, const struct op *op, const struct op_args *a,
		    struct script_value *res)
{
	(void)res;
	return op->range(&ctx->mb, a->u[0], a->u[1]);
}

static int op_add(struct script_ctx *ctx, const struct op *op, const struct op_args *a,
		  struct script_value *res)
{
	(void)op;
	(void)res;
	if (a->kw_nid || a->kw_flags)
		return mb_add_node(&ctx->mb, a->u[0], a->u[1],
				   a->kw_nid ? a->nid_kw : ctx->mb.cfg.max_numnodes,
				   a->kw_flags ? a->flags_kw : 0);
	return mb_add(&ctx->mb, a->u[0], a->u[1]);
}

static int op_add_node(struct script_ctx *ctx, const struct op *op, const struct op_args *a,
		       struct script_value *res)
{
	(void)op;
	(void)res;
	return mb_add_node(&ctx->mb, a->u[0], a->u[1], a->nid[2], a->given > 3 ? a->flags[3] : 0);
}

static int op_free(struct script_ctx *ctx, const struct op *op, const struct op_args *a,
		   struct script_value *res)
{
	void *virt = mb_simram_phys_to_virt(ctx->ram, a->u[0], 0);

	(void)op;
	(void)res;
	if (!virt)
		return -MB_EINVAL; /* no virtual address: the block is not RAM */
	return mb_free(&ctx->mb, virt, (size_t)a->u[1]);
}

static int op_set_node(struct script_ctx *ctx, const struct op *op, const struct op_args *a,
		       struct script_value *res)
{
	(void)op;
	(void)res;
	return mb_set_node(&ctx->mb, a->u[0], a->u[1], a->type[2], a->nid[3]);
}

static int op_physmem_add(struct script_ctx *ctx, const struct op *op, const struct op_args *a,
			  struct script_value *res)
{
	(void)op;
	(void)res;
	return mb_physmem_add(&ctx->mb, a->u[0], a->u[1]);
}

/* ---- Allocation ---- */

static int op_phys_alloc(struct script_ctx *ctx, const struct op *op, const struct op_args *a,
			 struct script_value *res)
{
	mb_phys_addr_t addr = 0;
	int ret;

	if (!strcmp(op->name, "phys_alloc"))
		ret = mb_phys_alloc(&ctx->mb, a->u[0], a->u[1], &addr);
	else if (!strcmp(op->name, "phys_alloc_range"))
		ret = mb_phys_alloc_range(&ctx->mb, a->u[0], a->u[1], a->u[2], a->u[3], &addr);
	else if (!strcmp(op->name, "phys_alloc_try_nid"))
		ret = mb_phys_alloc_try_nid(&ctx->mb, a->u[0], a->u[1], a->nid[2], &addr);
	else
		ret = mb_alloc_range_nid(&ctx->mb, a->u[0], a->u[1], a->u[2], a->u[3], a->nid[4],
					 a->given > 5 && a->b[5], &addr);
	set_addr(res, addr);
	return ret;
}

static int op_virt_alloc(struct script_ctx *ctx, const struct op *op, const struct op_args *a,
			 struct script_value *res)
{
	struct memblock *mb = &ctx->mb;
	mb_phys_addr_t phys = 0;
	void *virt = NULL;
	const char *n = op->name;
	int ret;

	if (!strcmp(n, "alloc"))
		ret = mb_alloc(mb, a->u[0], a->u[1], &virt, &phys);
	else if (!strcmp(n, "alloc_raw"))
		ret = mb_alloc_raw(mb, a->u[0], a->u[1], &virt, &phys);
	else if (!strcmp(n, "alloc_from"))
		ret = mb_alloc_from(mb, a->u[0], a->u[1], a->u[2], &virt, &phys);
	else if (!strcmp(n, "alloc_low"))
		ret = mb_alloc_low(mb, a->u[0], a->u[1], &virt, &phys);
	else if (!strcmp(n, "alloc_node"))
		ret = mb_alloc_node(mb, a->u[0], a->u[1], a->nid[2], &virt, &phys);
	else if (!strcmp(n, "alloc_try_nid"))
		ret = mb_alloc_try_nid(mb, a->u[0], a->u[1], a->u[2], a->u[3], a->nid[4], &virt,
				       &phys);
	else if (!strcmp(n, "alloc_try_nid_raw"))
		ret = mb_alloc_try_nid_raw(mb, a->u[0], a->u[1], a->u[2], a->u[3], a->nid[4], &virt,
					   &phys);
	else
		ret = mb_alloc_exact_nid_raw(mb, a->u[0], a->u[1], a->u[2], a->u[3], a->nid[4],
					     &virt, &phys);
	set_addr(res, phys);
	return ret;
}

static int op_reserve_mem(struct script_ctx *ctx, const struct op *op, const struct op_args *a,
			  struct script_value *res)
{
	mb_phys_addr_t start = 0, size = 0;
	int ret;

	(void)op;
	ret = mb_reserve_mem(&ctx->mb, a->u[0], a->u[1], a->w[2]);
	if (!ret)
		mb_reserve_mem_find(&ctx->mb, a->w[2], &start, &size);
	set_addr(res, start);
	return ret;
}

/* ---- Settings and limits ---- */

static int op_set_bottom_up(struct script_ctx *ctx, const struct op *op, const struct op_args *a,
			    struct script_value *res)
{
	(void)op;
	(void)res;
	mb_set_bottom_up(&ctx->mb, a->b[0]);
	return 0;
}

static int op_set_current_limit(struct script_ctx *ctx, const struct op *op,
				const struct op_args *a, struct script_value *res)
{
	(void)op;
	(void)res;
	mb_set_current_limit(&ctx->mb, a->u[0]);
	return 0;
}

static int op_allow_resize(struct script_ctx *ctx, const struct op *op, const struct op_args *a,
			   struct script_value *res)
{
	(void)op;
	(void)a;
	(void)res;
	mb_allow_resize(&ctx->mb);
	return 0;
}

static int op_limit(struct script_ctx *ctx, const struct op *op, const struct op_args *a,
		    struct script_value *res)
{
	(void)res;
	if (!strcmp(op->name, "trim_memory"))
		return mb_trim_memory(&ctx->mb, a->u[0]);
	if (!strcmp(op->name, "mem_limit_remove_map"))
		return mb_mem_limit_remove_map(&ctx->mb, a->u[0]);
	return mb_enforce_memory_limit(&ctx->mb, a->u[0]);
}

/* ---- Handover ---- */

static int op_free_all(struct script_ctx *ctx, const struct op *op, const struct op_args *a,
		       struct script_value *res)
{
	unsigned long pages = 0;
	int ret;

	(void)op;
	ret = mb_free_all(&ctx->mb, a->given ? (unsigned long)a->u[0] : ctx->max_low_pfn, &pages);
	res->kind = SCRIPT_VALUE_NUM;
	res->v = pages;
	return ret;
}

static int op_discard(struct script_ctx *ctx, const struct op *op, const struct op_args *a,
		      struct script_value *res)
{
	(void)op;
	(void)a;
	(void)res;
	return mb_discard(&ctx->mb);
}

/* ---- Queries ---- */

static int op_query_addr(struct script_ctx *ctx, const struct op *op, const struct op_args *a,
			 struct script_value *res)
{
	const struct memblock *mb = &ctx->mb;
	const char *n = op->name;

	if (!strcmp(n, "is_memory"))
		set_bool(res, mb_is_memory(mb, a->u[0]));
	else if (!strcmp(n, "is_map_memory"))
		set_bool(res, mb_is_map_memory(mb, a->u[0]));
	else if (!strcmp(n, "is_reserved"))
		set_bool(res, mb_is_reserved(mb, a->u[0]));
	else if (!strcmp(n, "is_region_memory"))
		set_bool(res, mb_is_region_memory(mb, a->u[0], a->u[1]));
	else if (!strcmp(n, "is_region_reserved"))
		set_bool(res, mb_is_region_reserved(mb, a->u[0], a->u[1]));
	else
		set_bool(res, mb_overlaps_region(a->type[0], a->u[1], a->u[2]));
	return 0;
}

static int op_query(struct script_ctx *ctx, const struct op *op, const struct op_args *a,
		    struct script_value *res)
{
	const struct memblock *mb = &ctx->mb;
	const char *n = op->name;

	(void)a;
	if (!strcmp(n, "start_of_DRAM"))
		set_addr(res, mb_start_of_DRAM(mb));
	else if (!strcmp(n, "end_of_DRAM"))
		set_addr(res, mb_end_of_DRAM(mb));
	else if (!strcmp(n, "phys_mem_size"))
		set_addr(res, mb_phys_mem_size(mb));
	else if (!strcmp(n, "reserved_size"))
		set_addr(res, mb_reserved_size(mb));
	else if (!strcmp(n, "get_current_limit"))
		set_addr(res, mb_get_current_limit(mb));
	else
		set_bool(res, mb_bottom_up(mb));
	return 0;
}

static int op_search_pfn_nid(struct script_ctx *ctx, const struct op *op, const struct op_args *a,
			     struct script_value *res)
{
	unsigned long start = 0, end = 0;
	int nid = mb_search_pfn_nid(&ctx->mb, (unsigned long)a->u[0], &start, &end);

	(void)op;
	res->kind = SCRIPT_VALUE_NUM;
	res->v = (uint64_t)(int64_t)nid;
	return 0;
}

static void set_num(struct script_value *res, uint64_t v)
{
	res->kind = SCRIPT_VALUE_NUM;
	res->v = v;
}

/* memblock_addrs_overlap(): [b1, b1 + s1) and [b2, b2 + s2) intersect. */
static int op_addrs_overlap(struct script_ctx *ctx, const struct op *op, const struct op_args *a,
			    struct script_value *res)
{
	mb_phys_addr_t b1 = a->u[0], s1 = a->u[1], b2 = a->u[2], s2 = a->u[3];

	(void)ctx;
	(void)op;
	set_bool(res, b1 < (mb_phys_addr_t)(b2 + s2) && b2 < (mb_phys_addr_t)(b1 + s1));
	return 0;
}

/*
 * memblock_validate_numa_coverage(): memory without a valid node must be
 * at most THRESHOLD bytes; otherwise the kernel's error line.
 */
static int op_validate_numa(struct script_ctx *ctx, const struct op *op, const struct op_args *a,
			    struct script_value *res)
{
	const struct memblock *mb = &ctx->mb;
	unsigned long start, end, pages = 0;
	int i, nid;
	uint64_t lost;

	(void)op;
	mb_for_each_mem_pfn_range(mb, i, mb->cfg.max_numnodes, &start, &end, &nid) {
		if (nid < 0 || nid >= mb->cfg.max_numnodes)
			pages += end - start;
	}
	lost = (uint64_t)pages * mb->cfg.page_size;
	set_bool(res, lost <= a->u[0]);
	if (lost > a->u[0]) {
		struct mb_text t;

		mb_text_reset(&t);
		mb_text_str(&t, "NUMA: no nodes coverage for ");
		mb_text_udec(&t, lost >> 20);
		mb_text_str(&t, "MB of ");
		mb_text_udec(&t, (uint64_t)mb_phys_mem_size(mb) >> 20);
		mb_text_str(&t, "MB RAM");
		mb_emit(mb, MB_LOG_ERR, &t);
	}
	return 0;
}

static int op_misc_query(struct script_ctx *ctx, const struct op *op, const struct op_args *a,
			 struct script_value *res)
{
	const struct memblock *mb = &ctx->mb;

	(void)a;
	if (!strcmp(op->name, "has_mirror"))
		set_bool(res, mb->system_has_mirror);
	else /* estimated_nr_free_pages: PHYS_PFN(memory - reserved) */
		set_num(res, (uint64_t)(mb_phys_mem_size(mb) - mb_reserved_size(mb)) /
				     mb->cfg.page_size);
	return 0;
}

/* One range of an iterator: "  [START-LAST]" (%pa), then @tail. */
static void put_range(struct script_ctx *ctx, mb_phys_addr_t start, mb_phys_addr_t end,
		      const char *tail)
{
	struct mb_text t;

	mb_text_reset(&t);
	mb_text_str(&t, "  [");
	mb_text_pa(&t, &ctx->mb, start);
	mb_text_char(&t, '-');
	mb_text_pa(&t, &ctx->mb, end - 1);
	mb_text_char(&t, ']');
	mb_text_str(&t, tail);
	if (!ctx->in_expect)
		fprintf(script_out(ctx), "%s\n", t.buf);
}

/* " node N" of a free range (as the iterator reports it). */
static const char *node_tail(char *buf, size_t len, int nid)
{
	snprintf(buf, len, " node %d", nid);
	return buf;
}

/*
 * The for_each_*_range iterators: every range on its own line, the count
 * as the result. for_each_free_mem_range(_reverse) take NID and FLAGS.
 */
static int op_iterate(struct script_ctx *ctx, const struct op *op, const struct op_args *a,
		      struct script_value *res)
{
	const struct memblock *mb = &ctx->mb;
	int nid = a->given > 0 ? a->nid[0] : MB_NUMA_NO_NODE;
	unsigned int flags = a->given > 1 ? a->flags[1] : MB_FLAG_NONE;
	mb_phys_addr_t start, end;
	uint64_t i, n = 0;
	int rnid = MB_NUMA_NO_NODE;
	char tail[32];

	if (!strcmp(op->name, "for_each_mem_range")) {
		mb_for_each_mem_range(mb, i, &start, &end) {
			put_range(ctx, start, end, "");
			n++;
		}
	} else if (!strcmp(op->name, "for_each_reserved_mem_range")) {
		mb_for_each_reserved_mem_range(mb, i, &start, &end) {
			put_range(ctx, start, end, "");
			n++;
		}
	} else if (!strcmp(op->name, "for_each_free_mem_range")) {
		mb_for_each_free_mem_range(mb, i, nid, flags, &start, &end, &rnid) {
			put_range(ctx, start, end, node_tail(tail, sizeof(tail), rnid));
			n++;
		}
	} else {
		mb_for_each_free_mem_range_reverse(mb, i, nid, flags, &start, &end, &rnid) {
			put_range(ctx, start, end, node_tail(tail, sizeof(tail), rnid));
			n++;
		}
	}
	set_num(res, n);
	return 0;
}

/* for_each_mem_pfn_range(NID): "  pfn [START, END) node N"; all nodes by default. */
static int op_pfn_ranges(struct script_ctx *ctx, const struct op *op, const struct op_args *a,
			 struct script_value *res)
{
	const struct memblock *mb = &ctx->mb;
	int nid = a->given ? a->nid[0] : mb->cfg.max_numnodes, rnid, i;
	unsigned long start, end;
	uint64_t n = 0;

	(void)op;
	mb_for_each_mem_pfn_range(mb, i, nid, &start, &end, &rnid) {
		if (!ctx->in_expect)
			fprintf(script_out(ctx), "  pfn [%#lx, %#lx) node %d\n", start, end, rnid);
		n++;
	}
	set_num(res, n);
	return 0;
}

/* ---- Kernel-conditional output and meta ---- */

static int op_dump_all(struct script_ctx *ctx, const struct op *op, const struct op_args *a,
		       struct script_value *res)
{
	(void)op;
	(void)a;
	(void)res;
	mb_dump_all(&ctx->mb);
	return 0;
}

static int op_check(struct script_ctx *ctx, const struct op *op, const struct op_args *a,
		    struct script_value *res)
{
	char msg[160];
	int ret = mb_check(&ctx->mb, msg, sizeof(msg));

	(void)op;
	(void)a;
	(void)res;
	if (ret)
		fprintf(ctx->opts.err ? ctx->opts.err : stderr, "  mb_check: %s\n", msg);
	return ret;
}

static int op_reset(struct script_ctx *ctx, const struct op *op, const struct op_args *a,
		    struct script_value *res)
{
	(void)op;
	(void)a;
	(void)res;
	return script_reinit(ctx);
}

/* clang-format off */
#define RANGE(n, f) { n, "aa", OPK_MUTATE, op_range, f, false, "BASE SIZE" }
#define ALLOC_TRY(n) { n, "aaaan", OPK_ALLOC, op_virt_alloc, NULL, false, \
		       "SIZE ALIGN MIN_ADDR MAX_ADDR NID" }

static const struct op ops[] = {
	{ "add", "aa", OPK_MUTATE, op_add, NULL, true, "BASE SIZE [nid=N] [flags=F]" },
	{ "add_node", "aan|f", OPK_MUTATE, op_add_node, NULL, false, "BASE SIZE NID [FLAGS]" },
	RANGE("remove", mb_remove),
	RANGE("reserve", mb_reserve),
	RANGE("phys_free", mb_phys_free),
	{ "free", "aa", OPK_MUTATE, op_free, NULL, false, "PHYS SIZE" },
	{ "physmem_add", "aa", OPK_MUTATE, op_physmem_add, NULL, false, "BASE SIZE" },
	RANGE("mark_hotplug", mb_mark_hotplug),
	RANGE("clear_hotplug", mb_clear_hotplug),
	RANGE("mark_mirror", mb_mark_mirror),
	RANGE("mark_nomap", mb_mark_nomap),
	RANGE("clear_nomap", mb_clear_nomap),
	RANGE("reserved_mark_noinit", mb_reserved_mark_noinit),
	{ "set_node", "aatn", OPK_MUTATE, op_set_node, NULL, false, "BASE SIZE TYPE NID" },
	{ "phys_alloc", "aa", OPK_ALLOC, op_phys_alloc, NULL, false, "SIZE ALIGN" },
	{ "phys_alloc_range", "aaaa", OPK_ALLOC, op_phys_alloc, NULL, false,
	  "SIZE ALIGN START END" },
	{ "phys_alloc_try_nid", "aan", OPK_ALLOC, op_phys_alloc, NULL, false, "SIZE ALIGN NID" },
	{ "alloc_range_nid", "aaaan|b", OPK_ALLOC, op_phys_alloc, NULL, false,
	  "SIZE ALIGN START END NID [EXACT]" },
	{ "alloc", "aa", OPK_ALLOC, op_virt_alloc, NULL, false, "SIZE ALIGN" },
	{ "alloc_raw", "aa", OPK_ALLOC, op_virt_alloc, NULL, false, "SIZE ALIGN" },
	{ "alloc_from", "aaa", OPK_ALLOC, op_virt_alloc, NULL, false, "SIZE ALIGN MIN_ADDR" },
	{ "alloc_low", "aa", OPK_ALLOC, op_virt_alloc, NULL, false, "SIZE ALIGN" },
	{ "alloc_node", "aan", OPK_ALLOC, op_virt_alloc, NULL, false, "SIZE ALIGN NID" },
	ALLOC_TRY("alloc_try_nid"),
	ALLOC_TRY("alloc_try_nid_raw"),
	ALLOC_TRY("alloc_exact_nid_raw"),
	{ "reserve_mem", "aaw", OPK_ALLOC, op_reserve_mem, NULL, false, "SIZE ALIGN NAME" },
	{ "set_bottom_up", "b", OPK_MUTATE, op_set_bottom_up, NULL, false, "on|off" },
	{ "set_current_limit", "a", OPK_MUTATE, op_set_current_limit, NULL, false, "LIMIT" },
	{ "allow_resize", "", OPK_MUTATE, op_allow_resize, NULL, false, "" },
	{ "trim_memory", "a", OPK_MUTATE, op_limit, NULL, false, "ALIGN" },
	{ "mem_limit_remove_map", "a", OPK_MUTATE, op_limit, NULL, false, "LIMIT" },
	{ "enforce_memory_limit", "a", OPK_MUTATE, op_limit, NULL, false, "LIMIT" },
	RANGE("cap_memory_range", mb_cap_memory_range),
	{ "free_all", "|u", OPK_MUTATE, op_free_all, NULL, false, "[MAX_LOW_PFN]" },
	RANGE("free_late", mb_free_late),
	{ "discard", "", OPK_MUTATE, op_discard, NULL, false, "" },
	{ "is_memory", "a", OPK_QUERY, op_query_addr, NULL, false, "ADDR" },
	{ "is_map_memory", "a", OPK_QUERY, op_query_addr, NULL, false, "ADDR" },
	{ "is_reserved", "a", OPK_QUERY, op_query_addr, NULL, false, "ADDR" },
	{ "is_region_memory", "aa", OPK_QUERY, op_query_addr, NULL, false, "BASE SIZE" },
	{ "is_region_reserved", "aa", OPK_QUERY, op_query_addr, NULL, false, "BASE SIZE" },
	{ "overlaps_region", "taa", OPK_QUERY, op_query_addr, NULL, false, "TYPE BASE SIZE" },
	{ "start_of_DRAM", "", OPK_QUERY, op_query, NULL, false, "" },
	{ "end_of_DRAM", "", OPK_QUERY, op_query, NULL, false, "" },
	{ "phys_mem_size", "", OPK_QUERY, op_query, NULL, false, "" },
	{ "reserved_size", "", OPK_QUERY, op_query, NULL, false, "" },
	{ "get_current_limit", "", OPK_QUERY, op_query, NULL, false, "" },
	{ "bottom_up", "", OPK_QUERY, op_query, NULL, false, "" },
	{ "search_pfn_nid", "u", OPK_QUERY, op_search_pfn_nid, NULL, false, "PFN" },
	{ "addrs_overlap", "aaaa", OPK_QUERY, op_addrs_overlap, NULL, false,
	  "BASE1 SIZE1 BASE2 SIZE2" },
	{ "validate_numa_coverage", "a", OPK_QUERY, op_validate_numa, NULL, false,
	  "THRESHOLD_BYTES" },
	{ "estimated_nr_free_pages", "", OPK_QUERY, op_misc_query, NULL, false, "" },
	{ "has_mirror", "", OPK_QUERY, op_misc_query, NULL, false, "" },
	{ "for_each_mem_range", "", OPK_QUERY, op_iterate, NULL, false, "" },
	{ "for_each_reserved_mem_range", "", OPK_QUERY, op_iterate, NULL, false, "" },
	{ "for_each_free_mem_range", "|nf", OPK_QUERY, op_iterate, NULL, false, "[NID [FLAGS]]" },
	{ "for_each_free_mem_range_reverse", "|nf", OPK_QUERY, op_iterate, NULL, false,
	  "[NID [FLAGS]]" },
	{ "for_each_mem_pfn_range", "|n", OPK_QUERY, op_pfn_ranges, NULL, false, "[NID]" },
	{ "dump_all", "", OPK_META, op_dump_all, NULL, false, "" },
	{ "check", "", OPK_META, op_check, NULL, false, "" },
	{ "reset", "", OPK_META, op_reset, NULL, false, "" },
};

/* clang-format on */

#define N_OPS (sizeof(ops) / sizeof(ops[0]))

static const struct op *find_op(const char *name)
{
	for (size_t i = 0; i < N_OPS; i++)
		if (!strcmp(ops[i].name, name))
			return &ops[i];
	return NULL;
}

/* ---- Arguments ---- */

static int parse_type(struct script_ctx *ctx, const struct script_tok *tok,
		      struct memblock_type **out)
{
	if (!strcmp(tok->s, "memory"))
		*out = &ctx->mb.memory;
	else if (!strcmp(tok->s, "reserved"))
		*out = &ctx->mb.reserved;
	else if (!strcmp(tok->s, "physmem") && ctx->mb.physmem.regions)
		*out = &ctx->mb.physmem;
	else
		return script_bad(ctx, tok->col, "expected memory or reserved, got '%s'", tok->s);
	return 0;
}

static int parse_keyword(struct script_ctx *ctx, const struct op *op, const struct script_tok *t,
			 struct op_args *a)
{
	const char *eq = strchr(t->s, '=');
	size_t klen = eq ? (size_t)(eq - t->s) : 0;

	if (!op->kw || !eq)
		return 1; /* not a keyword */
	if (klen == 3 && !strncmp(t->s, "nid", 3)) {
		struct script_tok v = {eq + 1, t->col + 4};

		a->kw_nid = true;
		return script_nid(ctx, &v, &a->nid_kw);
	}
	if (klen == 5 && !strncmp(t->s, "flags", 5)) {
		a->kw_flags = true;
		return script_flags(ctx, t, eq + 1, &a->flags_kw);
	}
	return script_bad(ctx, t->col, "unknown option '%.*s' (nid=, flags=)", (int)klen, t->s);
}

static int parse_one(struct script_ctx *ctx, char kind, const struct script_tok *t,
		     struct op_args *a, int i)
{
	switch (kind) {
	case 'a':
		return script_number(ctx, t, script_phys_max(ctx), &a->u[i]);
	case 'u':
		return script_number(ctx, t, ULONG_MAX, &a->u[i]);
	case 'n':
		return script_nid(ctx, t, &a->nid[i]);
	case 'b':
		return script_bool(ctx, t, &a->b[i]);
	case 'f':
		return script_flags(ctx, t, t->s, &a->flags[i]);
	case 't':
		return parse_type(ctx, t, &a->type[i]);
	default:
		a->w[i] = t->s;
		return 0;
	}
}

static int parse_args(struct script_ctx *ctx, const struct op *op, struct script_line *ln,
		      int first, struct op_args *a)
{
	const char *spec = op->spec;
	bool optional = false;
	int ti = first + 1;

	memset(a, 0, sizeof(*a));
	for (; *spec; spec++) {
		if (*spec == '|') {
			optional = true;
			continue;
		}
		while (ti < ln->n && op->kw) {
			int ret = parse_keyword(ctx, op, &ln->tok[ti], a);

			if (ret == 1)
				break;
			if (ret)
				return ret;
			ti++;
		}
		if (ti >= ln->n) {
			if (optional)
				break;
			return script_bad(ctx, ln->end_col, "%s: missing argument (usage: %s %s)",
					  op->name, op->name, op->usage);
		}
		if (parse_one(ctx, *spec, &ln->tok[ti], a, a->given))
			return SCRIPT_BAD;
		a->given++;
		ti++;
	}
	for (; ti < ln->n; ti++) {
		int ret = parse_keyword(ctx, op, &ln->tok[ti], a);

		if (ret == 1)
			return script_bad(ctx, ln->tok[ti].col, "%s: unexpected argument '%s'",
					  op->name, ln->tok[ti].s);
		if (ret)
			return ret;
	}
	return SCRIPT_OK;
}

/* ---- Running ---- */

static void print_result(struct script_ctx *ctx, struct script_line *ln, int first,
			 const struct script_value *v)
{
	FILE *out = script_out(ctx);

	for (int i = first; i < ln->n; i++)
		fprintf(out, "%s%s", i > first ? " " : "", ln->tok[i].s);
	fputs(" = ", out);
	script_print_value(out, v);
	fputc('\n', out);
}

static void set_caller(struct script_ctx *ctx, const struct script_line *ln)
{
	if (ln->label)
		snprintf(ctx->caller, sizeof(ctx->caller), "%s", ln->label);
	else
		snprintf(ctx->caller, sizeof(ctx->caller), "%s:%lu", ctx->file, ctx->line);
	mb_set_caller(&ctx->mb, ctx->caller);
}

/* After a change: the invariants must hold, new memory must be backed. */
static int after_change(struct script_ctx *ctx, const struct op *op, unsigned int col)
{
	char msg[160];

	if (op->fn == op_add || op->fn == op_add_node)
		mb_simram_cover(ctx->ram, &ctx->mb);
	if (mb_check(&ctx->mb, msg, sizeof(msg)))
		return script_fail(ctx, col, "%s broke an invariant: %s", op->name, msg);
	return SCRIPT_OK;
}

static int meta_op(struct script_ctx *ctx, struct script_line *ln, int first)
{
	const char *name = ln->tok[first].s;

	if (!strcmp(name, "echo")) {
		FILE *out = script_out(ctx);

		for (int i = first + 1; i < ln->n; i++)
			fprintf(out, "%s%s", i > first + 1 ? " " : "", ln->tok[i].s);
		fputc('\n', out);
		return SCRIPT_OK;
	}
	if (!strcmp(name, "help")) {
		script_help(script_out(ctx));
		return SCRIPT_OK;
	}
	if (ln->n > first + 1)
		return script_bad(ctx, ln->tok[first + 1].col, "%s: unexpected argument '%s'", name,
				  ln->tok[first + 1].s);
	return SCRIPT_QUIT;
}

static bool is_view_word(const char *w)
{
	return !strcmp(w, "dump") || !strcmp(w, "debugfs") || !strcmp(w, "iomem") ||
	       !strcmp(w, "summary") || !strcmp(w, "json");
}

/* The request an allocation op made, as memblock_alloc_range_nid() sees it. */
static void explain_alloc(const struct script_ctx *ctx, const struct op *op,
			  const struct op_args *a, char *why, size_t len)
{
	const char *n = op->name;
	struct mb_alloc_request req = {
		.size = a->u[0], .align = a->u[1], .max_addr = MB_ALLOC_ACCESSIBLE,
		.nid = MB_NUMA_NO_NODE,
	};

	if (!strcmp(n, "phys_alloc_range") || !strcmp(n, "alloc_range_nid") ||
	    !strcmp(n, "alloc_try_nid") || !strcmp(n, "alloc_try_nid_raw") ||
	    !strcmp(n, "alloc_exact_nid_raw")) {
		req.min_addr = a->u[2];
		req.max_addr = a->u[3];
	}
	if (!strcmp(n, "alloc_range_nid") || !strncmp(n, "alloc_try_nid", 13) ||
	    !strcmp(n, "alloc_exact_nid_raw"))
		req.nid = a->nid[4];
	if (!strcmp(n, "phys_alloc_try_nid") || !strcmp(n, "alloc_node"))
		req.nid = a->nid[2];
	if (!strcmp(n, "alloc_from"))
		req.min_addr = a->u[2];
	if (!strcmp(n, "alloc_low"))
		req.max_addr = ctx->mb.cfg.low_address_limit;
	req.exact_nid = !strcmp(n, "alloc_exact_nid_raw") ||
			(!strcmp(n, "alloc_range_nid") && a->given > 5 && a->b[5]);
	mb_explain_alloc_failure(&ctx->mb, &req, why, len);
}

int script_exec_op(struct script_ctx *ctx, struct script_line *ln, int first,
		   struct script_value *result)
{
	const char *name = ln->tok[first].s;
	const struct op *op = find_op(name);
	struct script_value v = {0};
	struct op_args a;
	int ret;

	if (!op && !result &&
	    (!strcmp(name, "echo") || !strcmp(name, "help") || !strcmp(name, "quit") ||
	     !strcmp(name, "exit")))
		return meta_op(ctx, ln, first);
	if (!op && !result && is_view_word(name))
		return script_exec_show(ctx, ln, first);
	if (!op)
		return script_bad(ctx, ln->tok[first].col, "unknown operation '%s'", name);
	if (result && op->kind == OPK_META)
		return script_bad(ctx, ln->tok[first].col, "'%s' has no value to expect", name);
	if (parse_args(ctx, op, ln, first, &a))
		return SCRIPT_BAD;
	if (op->fn == op_physmem_add && !ctx->mb.physmem.regions)
		return script_bad(ctx, ln->tok[first].col,
				  "physmem is off (use 'set physmem on' first)");

	set_caller(ctx, ln);
	if (op->kind == OPK_MUTATE || op->kind == OPK_ALLOC)
		ctx->started = true;
	ctx->pages_before = ctx->pages_freed;
	ctx->progress_start = 0;
	ctx->in_expect = result != NULL;
	ret = op->fn(ctx, op, &a, &v);
	ctx->in_expect = false;
	v.err = ret;
	ctx->last = v;
	if (result) {
		*result = v;
		return ret ? SCRIPT_OK : after_change(ctx, op, ln->tok[first].col);
	}
	if (ret == -MB_EBUDGET)
		return script_fail(ctx, ln->tok[first].col,
				   "%s refused: more than %lu pages (--max-pages / set max_pages); "
				   "Linux would hand them all over, its result is matched only "
				   "up to the budget (EBUDGET)",
				   name, ctx->mb.cfg.max_pages);
	if (ret == -MB_EINTR)
		return script_fail(ctx, ln->tok[first].col,
				   "%s interrupted after %lu pages; memblock unchanged (EINTR)", name,
				   ctx->pages_freed - ctx->pages_before);
	if (ret == -MB_ENOMEM && op->kind == OPK_ALLOC && op->fn != op_reserve_mem) {
		char why[256];

		explain_alloc(ctx, op, &a, why, sizeof(why));
		return script_fail(ctx, ln->tok[first].col, "%s failed: %s (%s): %s", name,
				   mb_strerror(ret), script_err_name(ret), why);
	}
	if (ret == -MB_ENOTSUP)
		return script_fail(ctx, ln->tok[first].col,
				   "%s failed: %s has no such call or flag (%s)", name,
				   ctx->mb.cfg.profile ? ctx->mb.cfg.profile->name : "linux-6.12",
				   script_err_name(ret));
	if (ret)
		return script_fail(ctx, ln->tok[first].col, "%s failed: %s (%s)", name,
				   mb_strerror(ret), script_err_name(ret));
	if (op->kind == OPK_QUERY ||
	    (op->kind == OPK_ALLOC && (ctx->opts.interactive || ctx->opts.verbose)) ||
	    (v.kind != SCRIPT_VALUE_NONE && ctx->opts.interactive))
		print_result(ctx, ln, first, &v);
	if (op->kind == OPK_MUTATE || op->kind == OPK_ALLOC)
		return after_change(ctx, op, ln->tok[first].col);
	return SCRIPT_OK;
}

const char *script_op_name(size_t i)
{
	static const char *const extra[] = {"set", "expect", "show", "echo", "help", "quit", "exit"};

	if (i < N_OPS)
		return ops[i].name;
	i -= N_OPS;
	return i < sizeof(extra) / sizeof(extra[0]) ? extra[i] : NULL;
}

void script_help(FILE *out)
{
	fprintf(out, "operations (numbers: 4096, 0x1000, 4K, 2M+0x40, max):\n");
	for (size_t i = 0; i < N_OPS; i++)
		fprintf(out, "  %-22s %s\n", ops[i].name, ops[i].usage);
	fprintf(out, "  %-22s %s\n", "show",
		"dump | debugfs memory|reserved|physmem | iomem | "
		"free | summary | json");
	fprintf(out, "  %-22s %s\n", "set",
		"KEY VALUE (profile, phys_bits, page_size, nodes, "
		"numa, movable_node, kernelcore, debug, ...)");
	fprintf(out, "  %-22s %s\n", "",
		"profiles: linux-6.12 (default), linux-6.1; unverified: linux-5.4, linux-4.x");
	fprintf(out, "  %-22s %s\n", "expect", "WHAT = VALUE | TYPE = REGIONS | OP ARGS = VALUE");
	fprintf(out, "  %-22s %s\n", "echo", "TEXT");
	fprintf(out, "  %-22s %s\n", "quit, exit", "");
	fprintf(out, "every line may end with a caller label: @setup_arch+0x40/0x4a4\n");
}
