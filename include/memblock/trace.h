/* SPDX-License-Identifier: MIT */
/*
 * trace.h - read memblock=debug boot logs, replay them against the core
 * allocator, explain where the memory went and compare two boots.
 *
 * Hosted library (libc). Three layers:
 *   1. the parser turns a raw log (dmesg, journalctl, syslog, a mail with
 *      quoting, wrapping or a unified diff) into records, one per kernel
 *      line it understands;
 *   2. the replay engine applies the records to a struct memblock and
 *      checks every allocation and every dump the log shows;
 *   3. the analysis keeps who reserved what and answers "where did my RAM
 *      go"; two analyses give a diff.
 */
#ifndef MEMBLOCK_TRACE_H
#define MEMBLOCK_TRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <memblock/memblock.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------ */
/* Records                                                              */

enum mbt_kind {
	MBT_NOISE = 0,	    /* any line we do not use */
	MBT_MALFORMED,	    /* a memblock line we could not read (rec.why) */
	MBT_RANGE_OP,	    /* add/add_node/remove/reserve/free.../physmem_add */
	MBT_ALLOC_REQ,	    /* memblock_alloc* / virt_alloc* / phys_alloc_range request */
	MBT_DOUBLED,	    /* "memblock: TYPE is doubled to N at [a-b]" */
	MBT_DOUBLE_FAILED,  /* "memblock: Failed to double TYPE array ..." */
	MBT_DUMP_BEGIN,	    /* "MEMBLOCK configuration:" */
	MBT_DUMP_SIZES,	    /* " memory size = A reserved size = B" */
	MBT_DUMP_CNT,	    /* " TYPE.cnt  = N" */
	MBT_DUMP_REGION,    /* " TYPE[I]<tab>[a-b], S bytes [on node N] flags: F" */
	MBT_FW_MEMORY,	    /* firmware RAM: e820 usable, node ranges, "memory: S @ B" */
	MBT_FW_RESERVED,    /* firmware reserved range: e820 reserved, OF reserved mem */
	MBT_FW_NUMA,	    /* SRAT / NUMA lines with a range and a node */
	MBT_ALLOC_FAILURE,  /* "... Failed to allocate N bytes ..." (often a panic) */
	MBT_MEMBLOCK_OTHER, /* another memblock message (no state change) */
	MBT_KIND_COUNT
};

/* The function a trace line names. */
enum mbt_fn {
	MBT_FN_NONE = 0,
	MBT_FN_ADD,
	MBT_FN_ADD_NODE,
	MBT_FN_REMOVE,
	MBT_FN_RESERVE,
	MBT_FN_FREE,		  /* "memblock_free": physical before 5.16 */
	MBT_FN_PHYS_FREE,	  /* "memblock_phys_free" (5.16+) */
	MBT_FN_FREE_EARLY,	  /* "__memblock_free_early" (4.x, %#016llx) */
	MBT_FN_FREE_LATE_OLD,	  /* "__memblock_free_late" (4.x) */
	MBT_FN_FREE_LATE,	  /* "memblock_free_late" */
	MBT_FN_PHYSMEM_ADD,	  /* "memblock_physmem_add" */
	MBT_FN_ALLOC_TRY_NID,	  /* memblock_alloc_try_nid */
	MBT_FN_ALLOC_TRY_NID_RAW, /* memblock_alloc_try_nid_raw */
	MBT_FN_ALLOC_EXACT_NID_RAW,
	MBT_FN_ALLOC_TRY_NID_NOPANIC,
	MBT_FN_VIRT_ALLOC_TRY_NID,
	MBT_FN_VIRT_ALLOC_TRY_NID_RAW,
	MBT_FN_VIRT_ALLOC_TRY_NID_NOPANIC,
	MBT_FN_PHYS_ALLOC_RANGE,
	MBT_FN_COUNT
};

/* Dump types, in the order the kernel prints them. */
enum mbt_type { MBT_TYPE_MEMORY = 0, MBT_TYPE_RESERVED, MBT_TYPE_PHYSMEM, MBT_TYPE_COUNT };

#define MBT_CALLER_MAX 96
#define MBT_NO_NID     (-2) /* the line printed no node */

struct mbt_record {
	enum mbt_kind kind;
	enum mbt_fn fn;
	unsigned int line;   /* first physical line, 1-based */
	unsigned int lines;  /* physical lines joined into this record */
	unsigned int digits; /* hex digits of the widest address printed */
	uint64_t base, last; /* ranges: base and inclusive end as printed */
	uint64_t size;	     /* request size; dump: region / memory size */
	uint64_t size2;	     /* dump sizes line: reserved size */
	uint64_t align, from, max_addr;
	int nid; /* MBT_NO_NID when the line has none */
	unsigned int flags;
	enum mbt_type type;	     /* dump lines, doubling */
	unsigned long index;	     /* dump region index, .cnt value, doubled entries;
				      * NUMA lines: 1 for "Faking a node" */
	char caller[MBT_CALLER_MAX]; /* "%pS" as printed, "" when absent */
	const char *why;	     /* MBT_MALFORMED: what is wrong (static text) */
};

/**
 * mbt_fn_name() - the kernel function name of a trace line kind
 * @fn: function
 *
 * Return: a constant string ("memblock_reserve"), "" for MBT_FN_NONE.
 */
const char *mbt_fn_name(enum mbt_fn fn);

/**
 * mbt_kind_name() - short name of a record kind ("range-op", "dump-region")
 * @kind: kind
 *
 * Return: a constant string.
 */
const char *mbt_kind_name(enum mbt_kind kind);

/* How complete a message was (mbt_parse_message()). */
enum mbt_parse_result {
	MBT_PARSE_COMPLETE = 0, /* everything there */
	MBT_PARSE_PARTIAL,	/* usable, but the caller is missing (wrapped?) */
	MBT_PARSE_TRUNCATED	/* ended before a required field: not usable */
};

/**
 * mbt_parse_message() - classify one kernel message
 * @msg: the message text with every log prefix already removed
 * @len: its length
 * @rec: filled with the result (line numbers untouched)
 *
 * Return: MBT_PARSE_COMPLETE; MBT_PARSE_PARTIAL when a usable memblock
 * line lacks its trailing caller; MBT_PARSE_TRUNCATED when it ended before
 * a required field (rec->kind is MBT_MALFORMED). A continuation line may
 * complete the last two.
 */
enum mbt_parse_result mbt_parse_message(const char *msg, size_t len, struct mbt_record *rec);

/**
 * mbt_strip_prefixes() - remove what surrounds a kernel message in a log
 * @line: one physical line (no newline)
 * @len: its length
 * @out_len: length of the message
 *
 * Removes a trailing CR and blanks, mail quoting ("> "), syslog and
 * journalctl prefixes ("Nov 25 10:00:00 host kernel: "), "<6>" levels,
 * "[    0.000000]" timestamps and "[    T0]" caller ids. Leading blanks of
 * the message are kept (dump lines start with one).
 *
 * Return: pointer to the message inside @line.
 */
const char *mbt_strip_prefixes(const char *line, size_t len, size_t *out_len);

#define MBT_JOIN_MAX 1024

/* Streaming parser over a whole log held in memory. */
struct mbt_parser {
	const char *buf;
	size_t len;
	size_t pos;
	unsigned int lineno;	 /* physical lines consumed */
	bool diff_mode;		 /* the log is a unified diff: replay its new side */
	bool skip_old_side;	 /* last diff line was '-': its continuations go too */
	char join[MBT_JOIN_MAX]; /* a logical line rebuilt from wrapped pieces */
	char clean[MBT_JOIN_MAX]; /* a line without terminal escapes and controls */
};

/**
 * mbt_parser_init() - start parsing a log
 * @p: parser
 * @buf: the whole log (not NUL terminated; NUL bytes are treated as text)
 * @len: its length
 *
 * Detects a log posted as a unified diff (hunk headers, '+' memblock lines).
 */
void mbt_parser_init(struct mbt_parser *p, const char *buf, size_t len);

/**
 * mbt_parser_next() - the next record of interest
 * @p: parser
 * @rec: the record (never MBT_NOISE)
 *
 * Lines wrapped by mail clients are joined back when the pieces form one
 * complete memblock line. Malformed memblock lines come back as
 * MBT_MALFORMED records: they never stop the parse.
 *
 * Return: true with a record, false at the end of the log.
 */
bool mbt_parser_next(struct mbt_parser *p, struct mbt_record *rec);

/* ------------------------------------------------------------------ */
/* Replay                                                               */

enum mbt_verdict {
	MBT_V_VERIFIED = 0, /* our allocator placed it exactly there */
	MBT_V_INFERRED,	    /* reserve by the allocator with no request line: inferred */
	MBT_V_FAILED_BOTH,  /* the log's allocation failed, ours failed too */
	MBT_V_DIVERGED,	    /* different address, size, or one side failed */
	MBT_V_ASSUMED,	    /* the log started late: state was learnt from it */
};

struct mbt_divergence {
	bool set;
	unsigned int request_line;	       /* 0 when there was no request line */
	unsigned int result_line;	       /* reserve line (or 0 when the log has none) */
	uint64_t expected_base, expected_size; /* the log's */
	uint64_t computed_base;		       /* ours */
	int computed_err;		       /* 0 or -MB_E* */
	bool expected_failure;		       /* the log shows no reservation */
	char what[160];			       /* one line of explanation */
	/* Free ranges around the addresses (ours, before the allocation). */
	unsigned int nr_free;
	uint64_t free_base[6], free_end[6];
};

struct mbt_dump_result {
	unsigned int line;
	bool matched;
	char what[200]; /* first difference when not matched */
};

#define MBT_MAX_DUMPS 64
#define MBT_MAX_NOTES 64
#define MBT_NOTE_LEN  200
#define MBT_MAX_INFERRED 16
#define MBT_DUMP_LINES 256
#define MBT_MAX_NUMA_BLKS 64

/* A NUMA node block read from SRAT / NUMA lines (end exclusive). */
struct mbt_numa_blk {
	uint64_t start, end;
	int nid;
};

struct mbt_stats {
	unsigned long lines;	       /* physical lines read */
	unsigned long records;	       /* records of interest */
	unsigned long memblock_lines;  /* trace + dump lines */
	unsigned long ops_read;	       /* trace lines: range ops and requests */
	unsigned long ops_applied;     /* range ops applied to the instance */
	unsigned long alloc_requests;  /* request lines */
	unsigned long allocs_present;  /* allocations in the log (requests + inferred) */
	unsigned long allocs_verified; /* VERIFIED + INFERRED + FAILED_BOTH */
	unsigned long allocs_inferred;
	unsigned long allocs_diverged;
	unsigned long allocs_assumed;
	unsigned long allocs_unresolved; /* the log ends right after the request */
	unsigned long dumps;
	unsigned long dumps_matched;
	unsigned long malformed;
	unsigned long zero_size_frees;
	unsigned long doublings;
	unsigned long fw_lines;
	unsigned long alloc_failures_logged;
	unsigned long op_errors; /* core returned an error for a logged op */
	unsigned long inferences; /* untraced node/flag changes inferred */
};

struct mbt_options {
	const struct mb_profile *profile; /* NULL: detect from the log */
	int phys_bits;			  /* 0: detect from the digits */
	uint64_t smp_cache_bytes;	  /* 0: 64, or inferred from align=0x0 requests */
	int bottom_up;			  /* -1 detect, 0 top-down, 1 bottom-up */
	bool no_learn;			  /* never learn state from a late-start log */
	uint64_t current_limit;		  /* 0: MB_ALLOC_ANYWHERE */
	const char *index;		  /* region index: "off", "on", NULL/"auto" */
	/*
	 * Called after every MBT_PROGRESS_RECORDS records with the bytes of
	 * the log parsed so far; returning false stops the replay, which
	 * then returns -MB_EINTR. NULL: never called.
	 */
	bool (*progress)(void *ctx, size_t done, size_t total);
	void *progress_ctx;
};

#define MBT_PROGRESS_RECORDS 4096u

struct mbt_analysis;

/* A replay's state; private to src/trace, read through the calls below. */
struct mbt_replay;

/**
 * mbt_replay_new() - allocate a replay state for mbt_replay_log()
 *
 * Return: the state (free it with mbt_replay_free()), or NULL when out of memory.
 */
struct mbt_replay *mbt_replay_new(void);

/**
 * mbt_replay_free() - mbt_replay_fini() and release the state itself
 * @r: replay state or NULL
 */
void mbt_replay_free(struct mbt_replay *r);

/**
 * mbt_replay_stats() - the counters of a finished replay
 * @r: replay
 *
 * Return: the counters (lines, records, allocations, dumps).
 */
const struct mbt_stats *mbt_replay_stats(const struct mbt_replay *r);

/**
 * mbt_replay_memblock() - the instance the replay rebuilt
 * @r: replay
 *
 * Return: its final memblock state.
 */
const struct memblock *mbt_replay_memblock(const struct mbt_replay *r);

/**
 * mbt_replay_profile_name() - the kernel profile the replay used
 * @r: replay
 *
 * Return: its name, "" before a replay.
 */
const char *mbt_replay_profile_name(const struct mbt_replay *r);

/**
 * mbt_replay_failure() - why mbt_replay_log() returned a negative error
 * @r: replay
 * @line: set to the log line it is tied to, 0 when none
 *
 * Return: the reason, "" when the replay ran.
 */
const char *mbt_replay_failure(const struct mbt_replay *r, unsigned int *line);

/* What mbt_replay_log() found; its negative returns are MB_E* errors. */
enum mbt_replay_result {
	MBT_REPLAY_MATCHED = 0,	 /* every allocation verified, every dump matched */
	MBT_REPLAY_DIVERGED = 1, /* an allocation or a dump differs */
	MBT_REPLAY_NO_LINES = 2, /* the log holds no memblock line */
};

/**
 * mbt_replay_log() - parse and replay a whole log
 * @r: replay state (zeroed by the call; free it with mbt_replay_fini())
 * @buf: the log
 * @len: its length
 * @opt: options (NULL: all detected)
 * @an: analysis to feed (NULL: none); created by mbt_analysis_new()
 *
 * Return: an enum mbt_replay_result, or -MB_ENOMEM when memory ran out.
 */
int mbt_replay_log(struct mbt_replay *r, const char *buf, size_t len, const struct mbt_options *opt,
		   struct mbt_analysis *an);


/* What a replay proved; docs/replay.md defines each, with its exit status. */
enum mbt_outcome {
	MBT_OUTCOME_VERIFIED = 0, /* exit 0 */
	MBT_OUTCOME_INFERRED,	  /* "VERIFIED WITH INFERENCES", exit 0 */
	MBT_OUTCOME_DIVERGED,	  /* exit 1 */
	MBT_OUTCOME_NO_LINES	  /* no memblock line in the log, exit 2 */
};

/**
 * mbt_replay_outcome() - the verdict of a finished replay
 * @r: replay
 *
 * Return: the outcome. A dump that differs only in flags or nodes (set by
 * calls that print no trace line) and reservations learnt from a log that
 * starts late are inferences, not divergences.
 */
enum mbt_outcome mbt_replay_outcome(const struct mbt_replay *r);

/** mbt_outcome_name() - "VERIFIED", "VERIFIED WITH INFERENCES", "DIVERGED", "no memblock lines" */
const char *mbt_outcome_name(enum mbt_outcome o);

/** mbt_outcome_exit() - the exit status of an outcome: 0, 0, 1, 2 */
int mbt_outcome_exit(enum mbt_outcome o);

/**
 * mbt_replay_inferences() - the inferences behind VERIFIED WITH INFERENCES
 * @r: replay
 * @out: receives one sentence each
 * @max: room in @out
 *
 * Return: how many were written.
 */
size_t mbt_replay_inferences(const struct mbt_replay *r, char (*out)[MBT_NOTE_LEN], size_t max);

/**
 * mbt_replay_fini() - release what a replay allocated
 * @r: replay state
 */
void mbt_replay_fini(struct mbt_replay *r);

/**
 * mbt_replay_report() - print the replay report
 * @r: a finished replay
 * @out: stream
 * @json: one JSON object instead of text
 * @log_name: shown in the report
 */
void mbt_replay_report(const struct mbt_replay *r, FILE *out, bool json, const char *log_name);

/* ------------------------------------------------------------------ */
/* Analysis and diff                                                    */

/**
 * mbt_analysis_new() - an empty analysis
 *
 * Return: the analysis, or NULL when memory ran out.
 */
struct mbt_analysis *mbt_analysis_new(void);

/**
 * mbt_analysis_free() - release an analysis
 * @an: analysis or NULL
 */
void mbt_analysis_free(struct mbt_analysis *an);

/**
 * mbt_analysis_report() - "where did my RAM go"
 * @an: analysis fed by mbt_replay_log()
 * @r: the replay (final state)
 * @out: stream
 * @json: JSON instead of tables
 */
void mbt_analysis_report(const struct mbt_analysis *an, const struct mbt_replay *r, FILE *out,
			 bool json);

/**
 * mbt_diff_report() - compare two boots
 * @a: analysis of the first log, @ra its replay
 * @b: analysis of the second log, @rb its replay
 * @out: stream
 * @json: JSON instead of text
 *
 * Return: 0 when the reservations are identical, 1 otherwise.
 */
int mbt_diff_report(const struct mbt_analysis *a, const struct mbt_replay *ra,
		    const struct mbt_analysis *b, const struct mbt_replay *rb, FILE *out,
		    bool json);

/**
 * mbt_read_file() - read a whole file (or stdin for "-")
 * @path: file name
 * @len: its length
 *
 * Return: a malloc'ed buffer (free() it), or NULL with errno set.
 */
char *mbt_read_file(const char *path, size_t *len);

#ifdef __cplusplus
}
#endif

#endif /* MEMBLOCK_TRACE_H */
