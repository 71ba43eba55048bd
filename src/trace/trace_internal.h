/* SPDX-License-Identifier: MIT */
/* trace_internal.h - helpers shared by the files of src/trace. */
#ifndef MEMBLOCK_TRACE_INTERNAL_H
#define MEMBLOCK_TRACE_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <memblock/json.h>
#include <memblock/trace.h>

/* A read position in a message. */
struct cur {
	const char *p;
	const char *end;
};

/* Outcome of reading one field. */
enum rd {
	RD_OK = 0,
	RD_TRUNC, /* the text ended first */
	RD_BAD	  /* something else is there */
};

bool mbti_cur_end(const struct cur *c);
void mbti_cur_blanks(struct cur *c);
enum rd mbti_cur_lit(struct cur *c, const char *s);
enum rd mbti_cur_hex_digits(struct cur *c, uint64_t *v, unsigned int *digits);
enum rd mbti_cur_hex(struct cur *c, uint64_t *v, unsigned int *digits);
enum rd mbti_cur_dec(struct cur *c, int64_t *v);

const char *mbti_type_name(enum mbt_type type);

/*
 * util.c: make room for @need elements of @elem bytes in the heap array
 * *@arr of capacity *@cap (doubling it); false, with nothing changed, when
 * out of memory.
 */
bool mbti_grow(void **arr, size_t *cap, size_t need, size_t elem);

/* util.c: strip "+0xoff/0xsize" from a %pS caller into @out. */
void mbti_caller_symbol(const char *caller, char *out, size_t len);


/* analyze.c: the replay tells the analysis what happened. */
void mbti_an_reserve(struct mbt_analysis *an, uint64_t base, uint64_t size, const char *caller,
		    unsigned int line);
void mbti_an_free(struct mbt_analysis *an, uint64_t base, uint64_t size);
void mbti_an_failure(struct mbt_analysis *an, const struct mbt_record *rec, int err,
		    const char *reason);
void mbti_an_reset(struct mbt_analysis *an);

#define MBT_EXPLAIN_LABEL 48

/*
 * explain.c: a kernel line that names the owner of a range ("cma: Reserved
 * 64 MiB at ...", "NODE_DATA(0) allocated [mem ...]", "crashkernel
 * reserved: ...", "OF: reserved mem: ...", ACPI tables, RAMDISK); @end is
 * exclusive. False for any other line.
 */
bool mbti_explain_message(const char *msg, uint64_t *base, uint64_t *end, char *label, size_t len);
/* Give every explained range in @buf its owner in the ledger. */
void mbti_an_explain(struct mbt_analysis *an, const char *buf, size_t len);

/* analyze.c: the parts of [base, end) owned by a generic allocator get @label. */
void mbti_an_relabel(struct mbt_analysis *an, uint64_t base, uint64_t end, const char *label,
		    unsigned int line);
/*
 * analyze.c: after the replay resynchronised from a dump: keep the owners of
 * what is still reserved, drop what no longer is, and give what nothing
 * explains @label.
 */
void mbti_an_reconcile(struct mbt_analysis *an, const struct memblock *mb, const char *label,
		      unsigned int line);

struct mbt_replay {
	struct mbt_options opt;
	struct memblock mb;
	struct mb_config cfg;
	struct mbt_stats st;
	struct mbt_divergence first;
	unsigned int nr_dumps;
	struct mbt_dump_result dumps[MBT_MAX_DUMPS];
	unsigned int nr_notes;
	char notes[MBT_MAX_NOTES][MBT_NOTE_LEN];
	char profile_name[32];
	const char *profile_reason;
	char profile_reason_buf[128]; /* a reason that names the log's version */
	unsigned int phys_bits;
	bool numa;		  /* dumps print "on node" */
	bool seeded;		  /* state came from a dump / firmware lines */
	bool learning;		  /* late start: unknown reservations may be learnt */
	uint64_t smp_cache_bytes; /* align=0x0 means this */
	uint64_t bottom_up_floor; /* before 5.13, bottom-up starts above the kernel's end */
	unsigned int first_memblock_line;
	/* Why the replay could not run at all (mbt_replay_log() < 0). */
	unsigned int fail_line; /* 0: not tied to a line */
	char fail_why[MBT_NOTE_LEN];
	/* private */
	uint64_t *pre_dump_ranges; /* pairs base, last */
	size_t nr_pre_dump, cap_pre_dump;
	struct memblock_region *arrays[MBT_TYPE_COUNT];
	unsigned long array_max[MBT_TYPE_COUNT];
	void **old_arrays; /* grown-out storage, freed by mbt_replay_fini() */
	size_t nr_old, cap_old;
	unsigned int dump_seed_line; /* first dump (seeding) */
	bool seeded_from_dump;
	bool memory_from_dump;	       /* skip add/remove lines before that dump */
	unsigned long seeded_reserved; /* reserved pieces seeded from it */
	int max_nid_seen;	       /* highest node in the log */
	bool x86;		       /* e820 lines: x86 NUMA rules */
	uint64_t *pre_dump_memops;     /* triples: base, last, 1 add / 0 remove */
	size_t nr_memops, cap_memops;
	struct mbt_record pending; /* request waiting for its reserve line */
	bool has_pending;
	struct mbt_record dump_hdr;
	bool in_dump;
	unsigned int dump_line;
	bool dump_sizes_seen;
	uint64_t dump_total[2];
	unsigned long dump_cnt[MBT_TYPE_COUNT];
	bool dump_cnt_seen[MBT_TYPE_COUNT];
	struct memblock_region *dump_regions[MBT_TYPE_COUNT];
	unsigned long dump_nr[MBT_TYPE_COUNT];
	unsigned long dump_cap[MBT_TYPE_COUNT];
	struct mbt_analysis *an; /* may be NULL */
	/* Untraced node and flag changes (replay_infer.c). */
	unsigned int kernel_major, kernel_minor; /* "Linux version", 0 unknown */
	unsigned int node_data_line;		 /* first NODE_DATA line, 0 none */
	uint64_t node_data_base, node_data_last;
	struct mbt_numa_blk numa_blks[MBT_MAX_NUMA_BLKS];
	unsigned int nr_numa_blks;
	struct mbt_numa_blk hotplug_blks[MBT_MAX_NUMA_BLKS]; /* SRAT "hotplug" ranges */
	unsigned int nr_hotplug_blks;
	bool numa_pending, numa_applied, numa_dummy;
	int numa_rules;	     /* 0 from the version, 1 before 6.12, 2 numa_memblks (6.12+) */
	int numa_rules_used; /* what NUMA init applied (0: nothing changed) */
	unsigned int nr_inferred;
	char inferred[MBT_MAX_INFERRED][MBT_NOTE_LEN]; /* kernel behaviour inferred */
	unsigned int dump_region_line[2][MBT_DUMP_LINES]; /* log line of region i, 0 unknown */
};

#endif
