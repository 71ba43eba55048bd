// SPDX-License-Identifier: MIT
/*
 * parse.c - classify kernel log messages: memblock trace lines, dumps,
 * firmware memory lines, allocation failures.
 *
 * Every reader works on a cursor and reports one of three outcomes:
 * the field is there, the text ended first (the line may have been
 * wrapped: parser.c tries to join the next line), or the text is wrong.
 */
#include <string.h>

#include "trace_internal.h"

struct fn_name {
	const char *name;
	enum mbt_fn fn;
	enum mbt_kind kind;
};

static const struct fn_name fn_names[] = {
    {"memblock_add", MBT_FN_ADD, MBT_RANGE_OP},
    {"memblock_add_node", MBT_FN_ADD_NODE, MBT_RANGE_OP},
    {"memblock_remove", MBT_FN_REMOVE, MBT_RANGE_OP},
    {"memblock_reserve", MBT_FN_RESERVE, MBT_RANGE_OP},
    {"memblock_free", MBT_FN_FREE, MBT_RANGE_OP},
    {"memblock_phys_free", MBT_FN_PHYS_FREE, MBT_RANGE_OP},
    {"__memblock_free_early", MBT_FN_FREE_EARLY, MBT_RANGE_OP},
    {"__memblock_free_late", MBT_FN_FREE_LATE_OLD, MBT_RANGE_OP},
    {"memblock_free_late", MBT_FN_FREE_LATE, MBT_RANGE_OP},
    {"memblock_physmem_add", MBT_FN_PHYSMEM_ADD, MBT_RANGE_OP},
    {"memblock_alloc_try_nid", MBT_FN_ALLOC_TRY_NID, MBT_ALLOC_REQ},
    {"memblock_alloc_try_nid_raw", MBT_FN_ALLOC_TRY_NID_RAW, MBT_ALLOC_REQ},
    {"memblock_alloc_exact_nid_raw", MBT_FN_ALLOC_EXACT_NID_RAW, MBT_ALLOC_REQ},
    {"memblock_alloc_try_nid_nopanic", MBT_FN_ALLOC_TRY_NID_NOPANIC, MBT_ALLOC_REQ},
    {"memblock_virt_alloc_try_nid", MBT_FN_VIRT_ALLOC_TRY_NID, MBT_ALLOC_REQ},
    {"memblock_virt_alloc_try_nid_raw", MBT_FN_VIRT_ALLOC_TRY_NID_RAW, MBT_ALLOC_REQ},
    {"memblock_virt_alloc_try_nid_nopanic", MBT_FN_VIRT_ALLOC_TRY_NID_NOPANIC, MBT_ALLOC_REQ},
    {"memblock_phys_alloc_range", MBT_FN_PHYS_ALLOC_RANGE, MBT_ALLOC_REQ},
    /* x86 wrappers of 2.6.35 to 3.2, which print a label instead of a caller */
    {"memblock_x86_reserve_range", MBT_FN_RESERVE, MBT_RANGE_OP},
    {"memblock_x86_free_range", MBT_FN_FREE, MBT_RANGE_OP},
};

static const char *const type_names[MBT_TYPE_COUNT] = {"memory", "reserved", "physmem"};

const char *mbt_fn_name(enum mbt_fn fn)
{
	for (size_t i = 0; i < sizeof(fn_names) / sizeof(fn_names[0]); i++)
		if (fn_names[i].fn == fn)
			return fn_names[i].name;
	return "";
}

const char *mbti_type_name(enum mbt_type type)
{
	return (unsigned int)type < MBT_TYPE_COUNT ? type_names[type] : "?";
}

const char *mbt_kind_name(enum mbt_kind kind)
{
	static const char *const names[MBT_KIND_COUNT] = {
	    "noise",	     "malformed",   "range-op",	  "alloc-request", "doubled",
	    "double-failed", "dump-begin",  "dump-sizes", "dump-cnt",	   "dump-region",
	    "fw-memory",     "fw-reserved", "fw-numa",	  "alloc-failure", "memblock-other",
	};
	return (unsigned int)kind < MBT_KIND_COUNT ? names[kind] : "?";
}

/* ---- cursor readers ---- */

bool mbti_cur_end(const struct cur *c)
{
	return c->p >= c->end;
}

void mbti_cur_blanks(struct cur *c)
{
	while (c->p < c->end && (*c->p == ' ' || *c->p == '\t'))
		c->p++;
}

/* Match @s exactly; on a prefix of @s at the end of the text, TRUNC. */
enum rd mbti_cur_lit(struct cur *c, const char *s)
{
	const char *p = c->p;

	for (; *s; s++, p++) {
		if (p >= c->end)
			return RD_TRUNC;
		if (*p != *s)
			return RD_BAD;
	}
	c->p = p;
	return RD_OK;
}

static int hexval(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

/* Hex digits without prefix; more than 16 significant digits is BAD. */
enum rd mbti_cur_hex_digits(struct cur *c, uint64_t *v, unsigned int *digits)
{
	uint64_t val = 0;
	unsigned int n = 0, sig = 0;
	int d;

	while (c->p < c->end && (d = hexval(*c->p)) >= 0) {
		if (val || d)
			sig++;
		val = (val << 4) | (unsigned int)d;
		n++;
		c->p++;
	}
	if (!n)
		return mbti_cur_end(c) ? RD_TRUNC : RD_BAD;
	if (sig > 16)
		return RD_BAD;
	*v = val;
	if (digits && n > *digits)
		*digits = n;
	return RD_OK;
}

/* "0x" followed by hex digits. */
enum rd mbti_cur_hex(struct cur *c, uint64_t *v, unsigned int *digits)
{
	enum rd r = mbti_cur_lit(c, "0x");

	if (r != RD_OK)
		return r;
	return mbti_cur_hex_digits(c, v, digits);
}

enum rd mbti_cur_dec(struct cur *c, int64_t *v)
{
	bool neg = false;
	uint64_t val = 0;
	unsigned int n = 0;

	if (c->p < c->end && *c->p == '-') {
		neg = true;
		c->p++;
	}
	while (c->p < c->end && *c->p >= '0' && *c->p <= '9') {
		if (val > (UINT64_MAX - 9) / 10)
			return RD_BAD;
		val = val * 10 + (uint64_t)(*c->p - '0');
		n++;
		c->p++;
	}
	if (!n)
		return mbti_cur_end(c) ? RD_TRUNC : RD_BAD;
	if (neg && val > (uint64_t)INT64_MAX)
		return RD_BAD;
	*v = neg ? -(int64_t)val : (int64_t)val;
	return RD_OK;
}

/* "[0xA-0xB]" */
static enum rd cur_range(struct cur *c, struct mbt_record *rec)
{
	enum rd r;

	if ((r = mbti_cur_lit(c, "[")) != RD_OK || (r = mbti_cur_hex(c, &rec->base, &rec->digits)) != RD_OK ||
	    (r = mbti_cur_lit(c, "-")) != RD_OK || (r = mbti_cur_hex(c, &rec->last, &rec->digits)) != RD_OK)
		return r;
	return mbti_cur_lit(c, "]");
}

/* The rest of the text up to a blank: the %pS caller. */
static bool cur_caller(struct cur *c, struct mbt_record *rec)
{
	size_t n = 0;

	mbti_cur_blanks(c);
	while (c->p < c->end && *c->p != ' ' && *c->p != '\t') {
		if (n + 1 < sizeof(rec->caller))
			rec->caller[n++] = *c->p;
		c->p++;
	}
	rec->caller[n] = '\0';
	return n > 0;
}

static enum mbt_parse_result bad(struct mbt_record *rec, enum rd r, const char *why)
{
	rec->kind = MBT_MALFORMED;
	rec->why = r == RD_TRUNC ? "truncated line" : why;
	return MBT_PARSE_TRUNCATED;
}

/* ---- memblock trace lines ---- */

/*
 * Old x86 kernels name what they reserve ("TEXT DATA BSS", "* BIOS
 * reserved") where later ones print the caller: the whole text is the
 * caller then, with runs of blanks made one.
 */
static void label_caller(const char *s, const char *end, struct mbt_record *rec)
{
	size_t n = 0;

	while (end > s && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	for (; s < end && n + 1 < sizeof(rec->caller); s++) {
		bool blank = *s == ' ' || *s == '\t';

		if (blank && n && rec->caller[n - 1] == ' ')
			continue;
		rec->caller[n++] = blank ? ' ' : *s;
	}
	rec->caller[n] = '\0';
}

static enum mbt_parse_result parse_range_op(struct cur *c, struct mbt_record *rec)
{
	const char *label;
	enum rd r;
	int64_t v;

	mbti_cur_blanks(c);
	r = cur_range(c, rec);
	if (r != RD_OK)
		return bad(rec, r, "bad address range");
	if (rec->fn == MBT_FN_ADD_NODE) {
		mbti_cur_blanks(c);
		if ((r = mbti_cur_lit(c, "nid=")) != RD_OK || (r = mbti_cur_dec(c, &v)) != RD_OK)
			return bad(rec, r, "bad nid");
		rec->nid = (int)v;
		mbti_cur_blanks(c);
		if ((r = mbti_cur_lit(c, "flags=")) != RD_OK ||
		    (r = mbti_cur_hex_digits(c, &rec->size2, NULL)) != RD_OK)
			return bad(rec, r, "bad flags");
		rec->flags = (unsigned int)rec->size2;
		rec->size2 = 0;
	}
	/* memblock_remove(base, ULLONG_MAX) prints an end that wrapped to base - 2. */
	if (rec->last + 1 < rec->base && rec->last + 2 != rec->base)
		return bad(rec, RD_BAD, "end before start");
	mbti_cur_blanks(c);
	label = c->p;
	if (!cur_caller(c, rec))
		return MBT_PARSE_PARTIAL;
	mbti_cur_blanks(c);
	if (!mbti_cur_end(c))
		label_caller(label, c->end, rec);
	return MBT_PARSE_COMPLETE;
}

/* "N bytes align=0xA [nid=N] from=0xF max_addr=0xM caller" */
static enum mbt_parse_result parse_alloc_req(struct cur *c, struct mbt_record *rec)
{
	enum rd r;
	int64_t v;

	mbti_cur_blanks(c);
	if ((r = mbti_cur_dec(c, &v)) != RD_OK || v < 0)
		return bad(rec, r, "bad size");
	rec->size = (uint64_t)v;
	mbti_cur_blanks(c);
	if ((r = mbti_cur_lit(c, "bytes")) != RD_OK)
		return bad(rec, r, "expected 'bytes'");
	mbti_cur_blanks(c);
	if ((r = mbti_cur_lit(c, "align=")) != RD_OK || (r = mbti_cur_hex(c, &rec->align, NULL)) != RD_OK)
		return bad(rec, r, "bad align");
	mbti_cur_blanks(c);
	if (c->p < c->end && *c->p == 'n') {
		if ((r = mbti_cur_lit(c, "nid=")) != RD_OK || (r = mbti_cur_dec(c, &v)) != RD_OK)
			return bad(rec, r, "bad nid");
		rec->nid = (int)v;
		mbti_cur_blanks(c);
	} else {
		rec->nid = MB_NUMA_NO_NODE;
	}
	if ((r = mbti_cur_lit(c, "from=")) != RD_OK ||
	    (r = mbti_cur_hex(c, &rec->from, &rec->digits)) != RD_OK)
		return bad(rec, r, "bad from");
	mbti_cur_blanks(c);
	if ((r = mbti_cur_lit(c, "max_addr=")) != RD_OK ||
	    (r = mbti_cur_hex(c, &rec->max_addr, &rec->digits)) != RD_OK)
		return bad(rec, r, "bad max_addr");
	return cur_caller(c, rec) ? MBT_PARSE_COMPLETE : MBT_PARSE_PARTIAL;
}

static const struct fn_name *find_fn(const char *name, size_t len)
{
	for (size_t i = 0; i < sizeof(fn_names) / sizeof(fn_names[0]); i++)
		if (!strncmp(fn_names[i].name, name, len) && fn_names[i].name[len] == '\0')
			return &fn_names[i];
	return NULL;
}

static enum mbt_parse_result parse_trace(struct cur *c, struct mbt_record *rec)
{
	const char *name = c->p;
	const struct fn_name *fn;

	while (c->p < c->end &&
	       (*c->p == '_' || (*c->p >= 'a' && *c->p <= 'z') || (*c->p >= '0' && *c->p <= '9')))
		c->p++;
	fn = find_fn(name, (size_t)(c->p - name));
	if (mbti_cur_end(c) && fn)
		return bad(rec, RD_TRUNC, "");
	if (mbti_cur_end(c) || *c->p != ':') {
		rec->kind = MBT_NOISE; /* "memblock_foo" in prose */
		return MBT_PARSE_COMPLETE;
	}
	c->p++;
	if (!fn) {
		rec->kind = MBT_MEMBLOCK_OTHER;
		return MBT_PARSE_COMPLETE;
	}
	rec->fn = fn->fn;
	rec->kind = fn->kind;
	if (fn->kind == MBT_ALLOC_REQ)
		return parse_alloc_req(c, rec);
	return parse_range_op(c, rec);
}

/* "memblock: TYPE is doubled to N at [A-B]" / "Failed to double ..." */
static enum mbt_parse_result parse_memblock_msg(struct cur *c, struct mbt_record *rec)
{
	enum rd r;
	int64_t v;

	mbti_cur_blanks(c);
	rec->kind = MBT_MEMBLOCK_OTHER;
	if (mbti_cur_lit(c, "Failed to double ") == RD_OK) {
		rec->kind = MBT_DOUBLE_FAILED;
		for (int t = 0; t < MBT_TYPE_COUNT; t++)
			if (mbti_cur_lit(c, type_names[t]) == RD_OK)
				rec->type = (enum mbt_type)t;
		return MBT_PARSE_COMPLETE;
	}
	for (int t = 0; t < MBT_TYPE_COUNT; t++) {
		if (mbti_cur_lit(c, type_names[t]) != RD_OK)
			continue;
		rec->type = (enum mbt_type)t;
		if (mbti_cur_lit(c, " is doubled to ") != RD_OK)
			return MBT_PARSE_COMPLETE;
		rec->kind = MBT_DOUBLED;
		if ((r = mbti_cur_dec(c, &v)) != RD_OK || v <= 0)
			return bad(rec, r, "bad entry count");
		rec->index = (unsigned long)v;
		mbti_cur_blanks(c);
		if ((r = mbti_cur_lit(c, "at")) != RD_OK)
			return bad(rec, r, "expected 'at'");
		mbti_cur_blanks(c);
		if ((r = cur_range(c, rec)) != RD_OK)
			return bad(rec, r, "bad address range");
		return MBT_PARSE_COMPLETE;
	}
	return MBT_PARSE_COMPLETE;
}

/* ---- dumps ---- */

static enum mbt_parse_result parse_dump_sizes(struct cur *c, struct mbt_record *rec)
{
	enum rd r;

	rec->kind = MBT_DUMP_SIZES;
	mbti_cur_blanks(c);
	if ((r = mbti_cur_lit(c, "=")) != RD_OK)
		return bad(rec, r, "expected '='");
	mbti_cur_blanks(c);
	if ((r = mbti_cur_hex(c, &rec->size, &rec->digits)) != RD_OK)
		return bad(rec, r, "bad memory size");
	mbti_cur_blanks(c);
	if ((r = mbti_cur_lit(c, "reserved size")) != RD_OK)
		return bad(rec, r, "expected 'reserved size'");
	mbti_cur_blanks(c);
	if ((r = mbti_cur_lit(c, "=")) != RD_OK)
		return bad(rec, r, "expected '='");
	mbti_cur_blanks(c);
	if ((r = mbti_cur_hex(c, &rec->size2, &rec->digits)) != RD_OK)
		return bad(rec, r, "bad reserved size");
	return MBT_PARSE_COMPLETE;
}

static enum mbt_parse_result parse_dump_region(struct cur *c, struct mbt_record *rec)
{
	enum rd r;
	uint64_t idx;
	int64_t nid;

	rec->kind = MBT_DUMP_REGION;
	if ((r = mbti_cur_hex(c, &idx, NULL)) != RD_OK || (r = mbti_cur_lit(c, "]")) != RD_OK)
		return bad(rec, r, "bad region index");
	rec->index = (unsigned long)idx;
	mbti_cur_blanks(c);
	if ((r = cur_range(c, rec)) != RD_OK || (r = mbti_cur_lit(c, ",")) != RD_OK)
		return bad(rec, r, "bad region range");
	mbti_cur_blanks(c);
	if ((r = mbti_cur_hex(c, &rec->size, &rec->digits)) != RD_OK)
		return bad(rec, r, "bad region size");
	mbti_cur_blanks(c);
	if ((r = mbti_cur_lit(c, "bytes")) != RD_OK)
		return bad(rec, r, "expected 'bytes'");
	mbti_cur_blanks(c);
	if (mbti_cur_lit(c, "on node") == RD_OK) {
		mbti_cur_blanks(c);
		if ((r = mbti_cur_dec(c, &nid)) != RD_OK)
			return bad(rec, r, "bad node");
		rec->nid = (int)nid;
		mbti_cur_blanks(c);
	}
	if (!mbti_cur_end(c)) {
		uint64_t flags;

		if ((r = mbti_cur_lit(c, "flags:")) != RD_OK)
			return bad(rec, r, "expected 'flags:'");
		mbti_cur_blanks(c);
		if ((r = mbti_cur_hex(c, &flags, NULL)) != RD_OK)
			return bad(rec, r, "bad flags");
		rec->flags = (unsigned int)flags;
	}
	if (rec->size && rec->base + rec->size - 1 != rec->last)
		return bad(rec, RD_BAD, "size does not match the range");
	return MBT_PARSE_COMPLETE;
}

/* " memory size = ...", " memory.cnt  = ...", " memory[0x0]\t[...]..." */
static enum mbt_parse_result parse_dump_line(struct cur *c, struct mbt_record *rec, int t)
{
	enum rd r;
	uint64_t cnt;

	rec->type = (enum mbt_type)t;
	if (t == MBT_TYPE_MEMORY && mbti_cur_lit(c, " size") == RD_OK)
		return parse_dump_sizes(c, rec);
	if (mbti_cur_lit(c, ".cnt") == RD_OK) {
		rec->kind = MBT_DUMP_CNT;
		mbti_cur_blanks(c);
		if ((r = mbti_cur_lit(c, "=")) != RD_OK)
			return bad(rec, r, "expected '='");
		mbti_cur_blanks(c);
		if ((r = mbti_cur_hex(c, &cnt, NULL)) != RD_OK)
			return bad(rec, r, "bad count");
		rec->index = (unsigned long)cnt;
		return MBT_PARSE_COMPLETE;
	}
	if (mbti_cur_lit(c, "[") == RD_OK)
		return parse_dump_region(c, rec);
	return MBT_PARSE_COMPLETE; /* "memory: ..." and prose: noise */
}

/* ---- firmware lines ---- */

/* "[mem 0xA-0xB]" */
static enum rd cur_mem_range(struct cur *c, struct mbt_record *rec)
{
	enum rd r;
	unsigned int digits = 0;

	if ((r = mbti_cur_lit(c, "[mem ")) != RD_OK || (r = mbti_cur_hex(c, &rec->base, &digits)) != RD_OK ||
	    (r = mbti_cur_lit(c, "-")) != RD_OK || (r = mbti_cur_hex(c, &rec->last, &digits)) != RD_OK)
		return r;
	return mbti_cur_lit(c, "]");
}

static bool rest_has(const struct cur *c, const char *word)
{
	size_t n = strlen(word);

	for (const char *p = c->p; p + n <= c->end; p++)
		if (*p == *word && !memcmp(p, word, n))
			return true;
	return false;
}

/* e820 tables: "BIOS-e820: [mem A-B] usable", old "BIOS-e820: A - B (usable)" */
static void parse_e820(struct cur *c, struct mbt_record *rec)
{
	struct mbt_record tmp = *rec;
	uint64_t end;

	mbti_cur_blanks(c);
	if (cur_mem_range(c, &tmp) == RD_OK) {
		*rec = tmp;
	} else if (mbti_cur_hex_digits(c, &tmp.base, NULL) == RD_OK) {
		mbti_cur_blanks(c);
		if (mbti_cur_lit(c, "-") != RD_OK)
			return;
		mbti_cur_blanks(c);
		if (mbti_cur_hex_digits(c, &end, NULL) != RD_OK || !end || end <= tmp.base)
			return;
		tmp.last = end - 1;
		*rec = tmp;
	} else {
		return;
	}
	mbti_cur_blanks(c);
	rec->kind = (mbti_cur_lit(c, "usable") == RD_OK || mbti_cur_lit(c, "(usable)") == RD_OK)
			? MBT_FW_MEMORY
			: MBT_FW_RESERVED;
}

/* "  node   0: [mem A-B]" (Early memory node ranges) */
static void parse_node_range(struct cur *c, struct mbt_record *rec)
{
	int64_t nid;

	mbti_cur_blanks(c);
	if (mbti_cur_dec(c, &nid) != RD_OK || mbti_cur_lit(c, ":") != RD_OK)
		return;
	mbti_cur_blanks(c);
	if (cur_mem_range(c, rec) != RD_OK)
		return;
	rec->nid = (int)nid;
	rec->kind = MBT_FW_MEMORY;
}

/* "ACPI: SRAT: Node 0 PXM 0 [mem A-B]" and "NUMA: Node 0 [mem A-B]..." */
static void parse_numa(struct cur *c, struct mbt_record *rec)
{
	int64_t nid, pxm;

	mbti_cur_blanks(c);
	/* No SRAT / DT NUMA: "Faking a node at [mem A-B]" is node 0. */
	if (mbti_cur_lit(c, "Faking a node at") == RD_OK) {
		mbti_cur_blanks(c);
		if (cur_mem_range(c, rec) == RD_OK) {
			rec->nid = 0;
			rec->index = 1; /* a dummy node, not firmware's */
			rec->kind = MBT_FW_NUMA;
		}
		return;
	}
	if (mbti_cur_lit(c, "Node ") != RD_OK || mbti_cur_dec(c, &nid) != RD_OK)
		return;
	mbti_cur_blanks(c);
	if (mbti_cur_lit(c, "PXM ") == RD_OK) {
		if (mbti_cur_dec(c, &pxm) != RD_OK)
			return;
		mbti_cur_blanks(c);
	}
	if (cur_mem_range(c, rec) != RD_OK)
		return;
	mbti_cur_blanks(c);
	if (mbti_cur_lit(c, "hotplug") == RD_OK) /* SRAT: hot-pluggable memory */
		rec->flags = MB_FLAG_HOTPLUG;
	/* x86: "NUMA: Node 0 [mem A] + [mem B] -> [mem C]": C is the node's span. */
	while (c->p < c->end && *c->p != '>')
		c->p++;
	if (c->p < c->end) {
		struct mbt_record merged = *rec;

		c->p++;
		mbti_cur_blanks(c);
		if (cur_mem_range(c, &merged) == RD_OK)
			*rec = merged;
	}
	rec->nid = (int)nid;
	rec->kind = MBT_FW_NUMA;
}

/* MIPS: "memory: 08000000 @ 00000000 (usable)" */
static void parse_mips_memory(struct cur *c, struct mbt_record *rec)
{
	uint64_t size, base;

	mbti_cur_blanks(c);
	if (mbti_cur_hex_digits(c, &size, NULL) != RD_OK || !size)
		return;
	mbti_cur_blanks(c);
	if (mbti_cur_lit(c, "@") != RD_OK)
		return;
	mbti_cur_blanks(c);
	if (mbti_cur_hex_digits(c, &base, NULL) != RD_OK)
		return;
	mbti_cur_blanks(c);
	rec->base = base;
	rec->last = base + size - 1;
	rec->kind = mbti_cur_lit(c, "(usable") == RD_OK ? MBT_FW_MEMORY : MBT_FW_RESERVED;
}

/* "OF: reserved mem: 0xA..0xB (N KiB) ..." (6.x) */
static void parse_of_reserved(struct cur *c, struct mbt_record *rec)
{
	unsigned int digits = 0;

	mbti_cur_blanks(c);
	if (mbti_cur_hex(c, &rec->base, &digits) != RD_OK || mbti_cur_lit(c, "..") != RD_OK ||
	    mbti_cur_hex(c, &rec->last, &digits) != RD_OK || rec->last < rec->base)
		return;
	rec->kind = MBT_FW_RESERVED;
}

/* "cma: Reserved 32 MiB at 0x00000000be000000" */
static void parse_cma(struct cur *c, struct mbt_record *rec)
{
	int64_t mib;

	if (mbti_cur_dec(c, &mib) != RD_OK || mib <= 0 || mbti_cur_lit(c, " MiB at ") != RD_OK ||
	    mbti_cur_hex(c, &rec->base, NULL) != RD_OK)
		return;
	rec->last = rec->base + ((uint64_t)mib << 20) - 1;
	rec->kind = MBT_FW_RESERVED;
}

/*
 * "... Failed to allocate 4096 bytes align=0x1000" and
 * "Failed to allocate 0x1000 bytes below 0x0." (size, align, limit)
 */
static void parse_failure(const char *at, const char *end, struct mbt_record *rec)
{
	struct cur c = {at, end};
	int64_t v;

	rec->kind = MBT_ALLOC_FAILURE;
	if (mbti_cur_hex(&c, &rec->size, NULL) != RD_OK) {
		c.p = at;
		if (mbti_cur_dec(&c, &v) == RD_OK && v >= 0)
			rec->size = (uint64_t)v;
	}
	for (; c.p < c.end; c.p++) {
		struct cur t = c;

		if (mbti_cur_lit(&t, "align=") == RD_OK && mbti_cur_hex(&t, &rec->align, NULL) == RD_OK)
			c = t;
		else if (mbti_cur_lit(&t, "below ") == RD_OK &&
			 mbti_cur_hex(&t, &rec->max_addr, NULL) == RD_OK)
			c = t;
		else if (mbti_cur_lit(&t, "max_addr=") == RD_OK &&
			 mbti_cur_hex(&t, &rec->max_addr, NULL) == RD_OK)
			c = t;
		else if (mbti_cur_lit(&t, "from=") == RD_OK && mbti_cur_hex(&t, &rec->from, NULL) == RD_OK)
			c = t;
		else if (mbti_cur_lit(&t, "nid=") == RD_OK && mbti_cur_dec(&t, &v) == RD_OK) {
			c = t;
			rec->nid = (int)v;
		}
		if (c.p >= c.end)
			break;
	}
}

/* "early_alloc: Failed to allocate": the function that failed. */
static void failure_caller(const char *start, const char *failed, struct mbt_record *rec)
{
	const char *end = failed, *p;
	size_t n;

	if (end - start < 3 || end[-1] != ' ' || end[-2] != ':')
		return;
	end -= 2;
	for (p = end; p > start && p[-1] != ' ' && p[-1] != ':'; p--)
		;
	n = (size_t)(end - p);
	if (!n || n >= sizeof(rec->caller))
		return;
	memcpy(rec->caller, p, n);
	rec->caller[n] = '\0';
	if (!strcmp(rec->caller, "syncing"))
		rec->caller[0] = '\0';
}

static bool find_word(const char *s, size_t len, const char *word, const char **after)
{
	size_t n = strlen(word);

	for (size_t i = 0; i + n <= len; i++)
		if (s[i] == word[0] && !memcmp(s + i, word, n)) {
			*after = s + i + n;
			return true;
		}
	return false;
}

static void parse_firmware(struct cur *c, struct mbt_record *rec)
{
	struct cur save = *c;

	if (mbti_cur_lit(c, "BIOS-e820:") == RD_OK || mbti_cur_lit(c, "e820:") == RD_OK ||
	    mbti_cur_lit(c, "user:") == RD_OK)
		parse_e820(c, rec);
	else if (mbti_cur_lit(c, "node ") == RD_OK)
		parse_node_range(c, rec);
	else if (mbti_cur_lit(c, "ACPI: SRAT:") == RD_OK || mbti_cur_lit(c, "SRAT:") == RD_OK ||
		 mbti_cur_lit(c, "NUMA:") == RD_OK || rest_has(c, "Faking a node at"))
		parse_numa(c, rec);
	else if (mbti_cur_lit(c, "memory:") == RD_OK)
		parse_mips_memory(c, rec);
	else if (mbti_cur_lit(c, "OF: reserved mem:") == RD_OK)
		parse_of_reserved(c, rec);
	else if (mbti_cur_lit(c, "cma: Reserved ") == RD_OK)
		parse_cma(c, rec);
	if (rec->kind != MBT_NOISE)
		return;
	*c = save;
	if (rest_has(c, "Failed to allocate ")) {
		const char *after;

		if (find_word(c->p, (size_t)(c->end - c->p), "Failed to allocate ", &after)) {
			parse_failure(after, c->end, rec);
			failure_caller(c->p, after - strlen("Failed to allocate "), rec);
		}
	}
}

enum mbt_parse_result mbt_parse_message(const char *msg, size_t len, struct mbt_record *rec)
{
	struct cur c = {msg, msg + len};

	memset(rec, 0, offsetof(struct mbt_record, caller));
	rec->caller[0] = '\0';
	rec->why = NULL;
	rec->nid = MBT_NO_NID;
	mbti_cur_blanks(&c);
	if (mbti_cur_end(&c))
		return MBT_PARSE_COMPLETE;
	switch (*c.p) {
	case '_':
	case 'm':
		if (c.end - c.p >= 9 && (!memcmp(c.p, "memblock_", 9) ||
					 (c.end - c.p >= 11 && !memcmp(c.p, "__memblock_", 11)))) {
			const char *after;

			/* "memblock_alloc_try_nid: Failed to allocate ...": a panic text */
			if (!find_word(c.p, (size_t)(c.end - c.p), ": Failed to allocate ",
				       &after))
				return parse_trace(&c, rec);
			break;
		}
		if (mbti_cur_lit(&c, "memblock:") == RD_OK)
			return parse_memblock_msg(&c, rec);
		if (mbti_cur_lit(&c, "memory") == RD_OK) {
			enum mbt_parse_result res = parse_dump_line(&c, rec, MBT_TYPE_MEMORY);

			if (rec->kind != MBT_NOISE)
				return res;
			c.p = msg;
			mbti_cur_blanks(&c);
		}
		break;
	case 'r':
		if (mbti_cur_lit(&c, "reserved") == RD_OK)
			return parse_dump_line(&c, rec, MBT_TYPE_RESERVED);
		break;
	case 'p':
		if (mbti_cur_lit(&c, "physmem") == RD_OK)
			return parse_dump_line(&c, rec, MBT_TYPE_PHYSMEM);
		break;
	case 'M':
		if (mbti_cur_lit(&c, "MEMBLOCK configuration:") == RD_OK) {
			rec->kind = MBT_DUMP_BEGIN;
			return MBT_PARSE_COMPLETE;
		}
		break;
	default:
		break;
	}
	parse_firmware(&c, rec);
	return MBT_PARSE_COMPLETE;
}
