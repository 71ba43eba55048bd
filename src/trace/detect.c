// SPDX-License-Identifier: MIT
/*
 * detect.c - the first pass over a log: which kernel profile and address
 * width it shows, whether it is a NUMA build, and whether it starts late
 * (no memblock_add before its first dump), in which case the state is
 * seeded from that dump or from the firmware lines.
 */
#define _GNU_SOURCE /* memmem */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "replay_internal.h"

struct detect {
	bool old4x, free54, phys_free, dummy;
	bool digits16, digits8;
	bool wide; /* a value above 32 bits: minimally padded 64-bit addresses */
	bool add_before_dump;
	bool dump_seen, dump_done;
	bool fw_memory;
	bool any_memblock;
	bool numa, x86;
	const char *reason;
	int version[3]; /* "Linux version X.Y.Z": {X, Y, Z}, X == 0 when absent */
};

static int push_pre_dump(struct mbt_replay *r, uint64_t base, uint64_t last)
{
	/* two values a range: base, last */
	if (!mbti_grow((void **)&r->pre_dump_ranges, &r->cap_pre_dump, r->nr_pre_dump + 1,
		      2 * sizeof(*r->pre_dump_ranges)))
		return -MB_ENOMEM;
	r->pre_dump_ranges[2 * r->nr_pre_dump] = base;
	r->pre_dump_ranges[2 * r->nr_pre_dump + 1] = last;
	r->nr_pre_dump++;
	return 0;
}

static int push_memop(struct mbt_replay *r, const struct mbt_record *rec)
{
	/* three values an operation: base, last, added */
	if (!mbti_grow((void **)&r->pre_dump_memops, &r->cap_memops, r->nr_memops + 1,
		      3 * sizeof(*r->pre_dump_memops)))
		return -MB_ENOMEM;
	r->pre_dump_memops[3 * r->nr_memops] = rec->base;
	r->pre_dump_memops[3 * r->nr_memops + 1] = rec->last;
	r->pre_dump_memops[3 * r->nr_memops + 2] = rec->fn != MBT_FN_REMOVE;
	r->nr_memops++;
	return 0;
}

/* ---- does the log build the memory its first dump shows? ---- */

#define MAX_SPANS 512

struct spans {
	uint64_t start[MAX_SPANS], end[MAX_SPANS]; /* sorted, merged, [start, end) */
	unsigned int n;
	bool overflow;
};

static void spans_cut(struct spans *s, uint64_t start, uint64_t end)
{
	struct spans out = {.n = 0};

	for (unsigned int i = 0; i < s->n; i++) {
		if (s->end[i] <= start || s->start[i] >= end) {
			out.start[out.n] = s->start[i];
			out.end[out.n++] = s->end[i];
			continue;
		}
		if (s->start[i] < start && out.n < MAX_SPANS) {
			out.start[out.n] = s->start[i];
			out.end[out.n++] = start;
		}
		if (s->end[i] > end && out.n < MAX_SPANS) {
			out.start[out.n] = end;
			out.end[out.n++] = s->end[i];
		}
	}
	out.overflow = s->overflow || out.n >= MAX_SPANS;
	*s = out;
}

static void spans_add(struct spans *s, uint64_t start, uint64_t end)
{
	unsigned int i = 0;

	if (start >= end)
		return;
	spans_cut(s, start, end);
	if (s->n >= MAX_SPANS - 1) {
		s->overflow = true;
		return;
	}
	while (i < s->n && s->start[i] < start)
		i++;
	memmove(&s->start[i + 1], &s->start[i], (s->n - i) * sizeof(s->start[0]));
	memmove(&s->end[i + 1], &s->end[i], (s->n - i) * sizeof(s->end[0]));
	s->start[i] = start;
	s->end[i] = end;
	s->n++;
	/* merge touching neighbours */
	for (unsigned int j = 0; j + 1 < s->n;) {
		if (s->end[j] == s->start[j + 1]) {
			s->end[j] = s->end[j + 1];
			memmove(&s->start[j + 1], &s->start[j + 2],
				(s->n - j - 2) * sizeof(s->start[0]));
			memmove(&s->end[j + 1], &s->end[j + 2], (s->n - j - 2) * sizeof(s->end[0]));
			s->n--;
		} else {
			j++;
		}
	}
}

static uint64_t span_end(uint64_t last)
{
	return last == UINT64_MAX ? UINT64_MAX : last + 1;
}

/* True when the add/remove lines before the first dump give its memory. */
static bool memory_traced(const struct mbt_replay *r)
{
	struct spans *logged = calloc(1, sizeof(*logged)), *dumped = calloc(1, sizeof(*dumped));
	bool same = false;

	if (!logged || !dumped)
		goto out;
	for (size_t i = 0; i < r->nr_memops; i++) {
		const uint64_t *op = &r->pre_dump_memops[3 * i];

		if (op[2])
			spans_add(logged, op[0], span_end(op[1]));
		else
			spans_cut(logged, op[0], span_end(op[1]));
	}
	for (unsigned long i = 0; i < r->dump_nr[MBT_TYPE_MEMORY]; i++) {
		const struct memblock_region *rgn = &r->dump_regions[MBT_TYPE_MEMORY][i];

		spans_add(dumped, rgn->base, rgn->base + rgn->size);
	}
	same = !logged->overflow && !dumped->overflow && logged->n == dumped->n &&
	       !memcmp(logged->start, dumped->start, logged->n * sizeof(logged->start[0])) &&
	       !memcmp(logged->end, dumped->end, logged->n * sizeof(logged->end[0]));
out:
	free(logged);
	free(dumped);
	return same;
}

/*
 * %#010llx (x86 before 3.3) pads to 8 digits and prints more when needed:
 * a range op or dump region above 4G means a 64-bit phys_addr_t.
 */
static void note_wide(struct detect *d, const struct mbt_record *rec)
{
	if ((rec->kind == MBT_RANGE_OP || rec->kind == MBT_DUMP_REGION) &&
	    (rec->base > 0xffffffffull || (rec->last > 0xffffffffull && rec->last != ~0ull &&
					   rec->last != ~0ull - 1)))
		d->wide = true;
}

static void detect_fn(struct detect *d, const struct mbt_record *rec)
{
	switch (rec->fn) {
	case MBT_FN_VIRT_ALLOC_TRY_NID:
	case MBT_FN_VIRT_ALLOC_TRY_NID_RAW:
	case MBT_FN_VIRT_ALLOC_TRY_NID_NOPANIC:
	case MBT_FN_ALLOC_TRY_NID_NOPANIC:
	case MBT_FN_FREE_EARLY:
	case MBT_FN_FREE_LATE_OLD:
		d->old4x = true;
		break;
	case MBT_FN_FREE:
		d->free54 = true;
		break;
	case MBT_FN_PHYS_FREE:
		d->phys_free = true;
		break;
	default:
		break;
	}
	if (rec->kind == MBT_RANGE_OP || rec->kind == MBT_DUMP_REGION ||
	    rec->kind == MBT_DUMP_SIZES) {
		d->digits16 |= rec->digits == 16;
		d->digits8 |= rec->digits == 8;
		note_wide(d, rec);
	}
}

/* The profile for a kernel version: which line forms and rules it has. */
static const char *profile_of_version(const int v[3])
{
	int n = v[0] * 1000 + v[1];

	if (n < 4020)
		return "linux-4.x"; /* memblock_virt_alloc*, __memblock_free_early */
	if (n < 5016)
		return "linux-5.4"; /* physical frees traced as memblock_free */
	if (n < 6005)
		return "linux-6.1"; /* memblock_phys_free, no RSRV_NOINIT */
	return "linux-6.12";
}

static const char *profile_of_forms(const struct detect *d, const char **reason)
{
	*reason = "no version line and no version-specific line: default";
	if (d->old4x) {
		*reason = "memblock_virt_alloc* / __memblock_free_early lines";
		return "linux-4.x";
	}
	if (d->free54) {
		*reason = "physical frees traced as memblock_free (before 5.16)";
		return "linux-5.4";
	}
	if (d->dummy) {
		*reason = "an empty type dumps a zero-sized dummy region";
		return "linux-6.1";
	}
	if (d->phys_free)
		*reason = "memblock_phys_free lines (5.16 or later)";
	return "linux-6.12";
}

static void pick_profile(struct mbt_replay *r, const struct detect *d)
{
	const char *name = profile_of_forms(d, &r->profile_reason);

	if (d->version[0]) {
		const char *by_version = profile_of_version(d->version);
		bool differ = strcmp(by_version, name) != 0;

		snprintf(r->profile_reason_buf, sizeof(r->profile_reason_buf),
			 "Linux version %d.%d.%d%s%s", d->version[0], d->version[1],
			 d->version[2], differ ? "; the line forms alone suggest " : "",
			 differ ? name : "");
		r->profile_reason = r->profile_reason_buf;
		name = by_version;
	}
	if (r->opt.profile) {
		name = r->opt.profile->name;
		r->profile_reason = "given on the command line";
	}
	snprintf(r->profile_name, sizeof(r->profile_name), "%s", name);
}

/* "Linux version 5.2.1-lpae (...)": the first such line of the log. */
static void scan_version(struct detect *d, const char *buf, size_t len)
{
	static const char key[] = "Linux version ";
	const char *p = memmem(buf, len, key, sizeof(key) - 1), *end = buf + len;

	if (!p)
		return;
	p += sizeof(key) - 1;
	for (int i = 0; i < 3 && p < end && *p >= '0' && *p <= '9'; i++) {
		int v = 0;

		while (p < end && *p >= '0' && *p <= '9' && v < 100000)
			v = v * 10 + (*p++ - '0');
		d->version[i] = v;
		if (p >= end || *p != '.')
			break;
		p++;
	}
	if (d->version[0] < 2 || d->version[0] > 99)
		d->version[0] = 0;
}

/* Collect one dump (used for the first one, to seed the state). */
int mbti_dump_collect(struct mbt_replay *r, const struct mbt_record *rec)
{
	struct memblock_region *rgn;
	enum mbt_type t = rec->type;

	switch (rec->kind) {
	case MBT_DUMP_SIZES:
		r->dump_sizes_seen = true;
		r->dump_total[0] = rec->size;
		r->dump_total[1] = rec->size2;
		return 0;
	case MBT_DUMP_CNT:
		r->dump_cnt[t] = rec->index;
		r->dump_cnt_seen[t] = true;
		return 0;
	case MBT_DUMP_REGION:
		break;
	default:
		return 0;
	}
	if (r->dump_nr[t] == r->dump_cap[t]) {
		unsigned long cap = r->dump_cap[t] ? r->dump_cap[t] * 2 : 64;

		rgn = realloc(r->dump_regions[t], cap * sizeof(*rgn));
		if (!rgn)
			return -MB_ENOMEM;
		r->dump_regions[t] = rgn;
		r->dump_cap[t] = cap;
	}
	rgn = &r->dump_regions[t][r->dump_nr[t]++];
	rgn->base = (mb_phys_addr_t)rec->base;
	rgn->size = (mb_phys_addr_t)rec->size;
	rgn->flags = rec->flags;
	rgn->nid = rec->nid;
	if (rec->nid >= 0)
		r->numa = true;
	if (rec->nid > r->max_nid_seen)
		r->max_nid_seen = rec->nid;
	return 0;
}

void mbti_dump_reset(struct mbt_replay *r)
{
	r->in_dump = false;
	r->dump_sizes_seen = false;
	for (int t = 0; t < MBT_TYPE_COUNT; t++) {
		r->dump_nr[t] = 0;
		r->dump_cnt[t] = 0;
		r->dump_cnt_seen[t] = false;
	}
}

static bool is_dump_line(enum mbt_kind kind)
{
	return kind == MBT_DUMP_SIZES || kind == MBT_DUMP_CNT || kind == MBT_DUMP_REGION;
}

static int detect_record(struct mbt_replay *r, struct detect *d, const struct mbt_record *rec)
{
	if (d->dump_seen && !d->dump_done && !is_dump_line(rec->kind))
		d->dump_done = true;
	detect_fn(d, rec);
	if (rec->kind == MBT_FW_MEMORY)
		d->fw_memory = true;
	if ((rec->kind == MBT_FW_NUMA || rec->kind == MBT_FW_MEMORY ||
	     (rec->kind == MBT_RANGE_OP && rec->fn == MBT_FN_ADD_NODE)) &&
	    rec->nid > r->max_nid_seen)
		r->max_nid_seen = rec->nid;
	if (rec->kind == MBT_DUMP_REGION && rec->size == 0 && rec->type != MBT_TYPE_PHYSMEM)
		d->dummy = true;
	if (rec->kind == MBT_RANGE_OP || rec->kind == MBT_ALLOC_REQ ||
	    rec->kind == MBT_DUMP_BEGIN || is_dump_line(rec->kind) || rec->kind == MBT_MALFORMED ||
	    rec->kind == MBT_DOUBLED || rec->kind == MBT_DOUBLE_FAILED)
		d->any_memblock = true;
	if (rec->kind == MBT_RANGE_OP && (rec->fn == MBT_FN_ADD || rec->fn == MBT_FN_ADD_NODE)) {
		if (!d->dump_seen)
			d->add_before_dump = true;
		if (rec->fn == MBT_FN_ADD_NODE)
			r->numa = true;
	}
	if (d->dump_seen) {
		if (!d->dump_done && is_dump_line(rec->kind))
			return mbti_dump_collect(r, rec);
		return 0;
	}
	if (rec->kind == MBT_DUMP_BEGIN) {
		d->dump_seen = true;
		r->dump_seed_line = rec->line;
		return 0;
	}
	if (rec->kind == MBT_RANGE_OP && rec->fn == MBT_FN_RESERVE)
		return push_pre_dump(r, rec->base, rec->last);
	if (rec->kind == MBT_RANGE_OP &&
	    (rec->fn == MBT_FN_ADD || rec->fn == MBT_FN_ADD_NODE || rec->fn == MBT_FN_REMOVE))
		return push_memop(r, rec);
	return 0;
}

static bool buf_has(const char *buf, size_t len, const char *word)
{
	return memmem(buf, len, word, strlen(word)) != NULL;
}

/*
 * The profile hints, without parsing the whole log: a boot log shows its
 * kernel's names within its first megabytes, so longer logs (generated
 * ones) are only scanned that far.
 */
#define SCAN_MAX ((size_t)8 << 20)

static void scan_names(struct detect *d, const char *buf, size_t len)
{
	if (len > SCAN_MAX)
		len = SCAN_MAX;
	d->old4x |= buf_has(buf, len, "memblock_virt_alloc") ||
		    buf_has(buf, len, "__memblock_free_early:") ||
		    buf_has(buf, len, "__memblock_free_late:") ||
		    buf_has(buf, len, "memblock_alloc_try_nid_nopanic:");
	d->free54 |= buf_has(buf, len, "memblock_free:");
	d->phys_free |= buf_has(buf, len, "memblock_phys_free:");
	d->dummy |= buf_has(buf, len, ", 0x0000000000000000 bytes") ||
		    buf_has(buf, len, ", 0x00000000 bytes");
	d->x86 = buf_has(buf, len, "e820: ");
	scan_version(d, buf, len);
	d->numa = buf_has(buf, len, " on node ") || buf_has(buf, len, "memblock_add_node:");
}

/*
 * Returns 0 with the instance ready, MBT_REPLAY_NO_LINES when the log has
 * no memblock line, or a negative error.
 */
int mbti_replay_detect(struct mbt_replay *r, const char *buf, size_t len)
{
	struct mbt_parser p;
	struct mbt_record rec;
	struct detect d = {0};
	int err;

	mbti_dump_reset(r);
	mbt_parser_init(&p, buf, len);
	/* Parse up to the end of the first dump: enough to know how the log starts. */
	while (!d.dump_done && mbt_parser_next(&p, &rec))
		if ((err = detect_record(r, &d, &rec)))
			return err;
	if (d.dump_done)
		d.any_memblock = true;
	/* 8-digit addresses so far: look at the rest for wider ones. */
	while (d.digits8 && !d.digits16 && !d.wide && mbt_parser_next(&p, &rec))
		note_wide(&d, &rec);
	scan_names(&d, buf, len);
	r->numa |= d.numa;
	r->x86 = d.x86;
	pick_profile(r, &d);
	r->phys_bits = d.digits16 || d.wide || !d.digits8 ? 64 : 32;
	if (r->opt.phys_bits)
		r->phys_bits = (unsigned int)r->opt.phys_bits;
	if (r->phys_bits > 8 * sizeof(mb_phys_addr_t)) {
		r->phys_bits = 8 * sizeof(mb_phys_addr_t);
		mbti_replay_note(r,
			    "this build's phys_addr_t is %u-bit: addresses above it cannot be "
			    "replayed",
			    r->phys_bits);
	}
	r->smp_cache_bytes = r->opt.smp_cache_bytes ? r->opt.smp_cache_bytes : 64;
	if ((err = mbti_state_init(r)))
		return err;
	if (!d.any_memblock) {
		mbti_dump_reset(r);
		return MBT_REPLAY_NO_LINES;
	}
	if (d.dump_seen) {
		r->memory_from_dump = !memory_traced(r);
		err = mbti_state_from_dump(r, true, r->dump_seed_line);
		if (err)
			return err;
		r->seeded = r->seeded_from_dump = true;
		if (r->memory_from_dump)
			mbti_replay_note(r,
				    "the log does not build the memory of its first dump (line "
				    "%u): memory taken from that dump (%zu add/remove lines before "
				    "it not replayed)",
				    r->dump_seed_line, r->nr_memops);
		if (r->seeded_reserved)
			mbti_replay_note(r,
				    "%lu reserved ranges of the dump at line %u are not reserved "
				    "by the log before it: seeded as reserved before the log",
				    r->seeded_reserved, r->dump_seed_line);
	} else if (!d.add_before_dump && d.fw_memory) {
		err = mbti_state_from_firmware(r, buf, len);
		if (err)
			return err;
		r->seeded = true;
		r->learning = !r->opt.no_learn;
		mbti_replay_note(r,
			    "the log starts late with no dump: memory seeded from the firmware "
			    "lines; reservations made before the log are unknown%s",
			    r->learning ? " and learnt from the first allocations" : "");
	} else if (!d.add_before_dump) {
		mbti_replay_note(r, "the log starts late and shows no memory: nothing can be placed");
	}
	mbti_dump_reset(r);
	return 0;
}
