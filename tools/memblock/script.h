/* SPDX-License-Identifier: MIT */
/*
 * script.h - the .mb operation-script language: parser and interpreter.
 *
 * One operation per line, named after the kernel's memblock calls
 * (docs/cli.md has the reference). A script context owns one instance,
 * its region arrays, simulated RAM behind it (so Linux-style doubling and
 * zeroing work) and the print sink. `memblock run` and `memblock shell`
 * are thin loops over script_exec_line(); the boot simulator and memtest
 * can build a machine with script_run_file() and then use
 * script_memblock().
 *
 * Every line is parsed completely before anything runs: a bad line
 * (SCRIPT_BAD) never changes the instance. An operation the core refuses
 * (SCRIPT_FAILED) changes nothing either: the core is all-or-nothing.
 */
#ifndef MEMBLOCK_CLI_SCRIPT_H
#define MEMBLOCK_CLI_SCRIPT_H

#include <stdbool.h>
#include <stdint.h>
#include <signal.h>
#include <stdio.h>
#include <time.h>

#include <memblock/memblock.h>
#include <memblock/simram.h>
#include <memblock/stdio_sink.h>

/* Results of a line or a whole run; the values are the CLI exit codes. */
enum script_status {
	SCRIPT_OK = 0,	   /* line done (or blank) */
	SCRIPT_FAILED = 1, /* an operation or an expect line failed */
	SCRIPT_BAD = 2,	   /* the line is malformed: nothing happened */
	SCRIPT_QUIT = 3	   /* `quit` (shell) */
};

struct script_opts {
	FILE *out;	  /* trace, views, query results (NULL = stdout) */
	FILE *err;	  /* diagnostics (NULL = stderr) */
	bool dmesg;	  /* "[    0.000000] " before kernel log lines */
	bool debug;	  /* start with memblock=debug */
	bool interactive; /* shell: print the result of every operation */
	bool verbose;	  /* print allocation results in scripts too */
	bool keep_going;  /* do not stop at a failed operation */
	/*
	 * Handover budget (mb_config.max_pages): 0 = SCRIPT_MAX_PAGES. A
	 * range in the last page of the address space makes Linux loop over
	 * about 2^52 pages; the budget refuses that with a message.
	 */
	unsigned long max_pages;
	bool progress; /* report long handovers on the error stream */
	const char *index; /* region index: "off", "on", NULL or "auto" */
	/* Called after every line that ran an operation (may be NULL). */
	void (*line_done)(void *arg, const struct memblock *mb, unsigned long line,
			  const char *text);
	void *line_done_arg;
};

#define SCRIPT_MAX_PAGES (1UL << 32)

/*
 * Set (from a SIGINT handler, say) to stop a long handover: the line
 * fails with "interrupted". script_ctx_init() clears it.
 */
extern volatile sig_atomic_t script_interrupted;

/* The last operation's result, what `expect OP ... = VALUE` compares. */
enum script_value_kind {
	SCRIPT_VALUE_NONE = 0,
	SCRIPT_VALUE_ADDR, /* address or size, printed in hex */
	SCRIPT_VALUE_NUM,  /* count, printed in decimal */
	SCRIPT_VALUE_BOOL
};

struct script_value {
	enum script_value_kind kind;
	uint64_t v;
	int err; /* 0 or the -MB_E* code of the operation */
};

#define SCRIPT_CALLER_LEN  128
#define SCRIPT_MAX_CALLERS 4

struct script_ctx {
	struct memblock mb;
	struct mb_config cfg; /* what the next (re-)init uses */
	struct script_opts opts;
	struct mb_stdio_sink sink; /* ops.print */
	struct mb_simram *ram;	   /* backs every memory region */
	bool physmem;		   /* give the instance a physmem type */
	unsigned long regions;	   /* initial capacity of memory/reserved */
	struct memblock_region *arrays[3];
	void **grown; /* storage handed out by the grow callback */
	size_t n_grown;
	char *caller_names[SCRIPT_MAX_CALLERS]; /* set caller.* labels */
	bool started;				/* an operation ran since the last init */
	struct script_value last;
	char caller[SCRIPT_CALLER_LEN];
	unsigned long pages_freed; /* free_all / free_late page counts */
	unsigned long pages_reserved_calls;
	unsigned long pages_before;	   /* pages_freed when the current line began */
	time_t progress_start, progress_last; /* progress reports of the current line */
	unsigned long max_low_pfn; /* free_all's limit without an argument */
	bool in_expect;		   /* the op runs for an expect line: no listing */
	const char *file;   /* current file name (diagnostics) */
	unsigned long line; /* current line number */
	int status;	    /* worst status so far */
};

/**
 * script_ctx_init() - a fresh context with the kernel's defaults
 * @ctx: context to fill
 * @opts: output options (copied), NULL for the defaults
 *
 * Return: 0, or -MB_ENOMEM / the mb_init() error.
 */
int script_ctx_init(struct script_ctx *ctx, const struct script_opts *opts);

/**
 * script_ctx_fini() - release everything the context owns
 * @ctx: context (may be NULL)
 */
void script_ctx_fini(struct script_ctx *ctx);

/**
 * script_exec_line() - parse and run one line
 * @ctx: context
 * @file: name used in diagnostics ("FILE:LINE:COL: error: ...")
 * @line: 1-based line number
 * @text: the line, with or without its newline
 *
 * Return: a enum script_status value.
 */
int script_exec_line(struct script_ctx *ctx, const char *file, unsigned long line,
		     const char *text);

/**
 * script_run_stream() - run every line of a stream
 * @ctx: context
 * @in: stream
 * @name: file name for diagnostics
 *
 * Stops at the first bad line, and at the first failed line unless
 * opts.keep_going.
 *
 * Return: SCRIPT_OK, SCRIPT_FAILED or SCRIPT_BAD.
 */
int script_run_stream(struct script_ctx *ctx, FILE *in, const char *name);

/**
 * script_run_file() - run a script file ("-" reads standard input)
 * @ctx: context
 * @path: file
 *
 * Return: as script_run_stream(); SCRIPT_BAD when the file cannot be read.
 */
int script_run_file(struct script_ctx *ctx, const char *path);

/**
 * script_memblock() - the context's instance
 * @ctx: context
 *
 * Return: the instance (valid until script_ctx_fini() or a `reset`).
 */
struct memblock *script_memblock(struct script_ctx *ctx);

/** script_set_key_name() - the i-th key `set` knows, NULL past the last */
const char *script_set_key_name(size_t i);

/** script_flag_name() - the i-th region flag name scripts accept, NULL past the last */
const char *script_flag_name(size_t i);

/**
 * script_complete() - the next completion candidate for the word being typed
 * @line: the line up to the cursor
 * @start: where the word being completed starts in @line
 * @state: 0 for the first call, then passed back unchanged
 * @files: set to true when file names are what fits at that point
 *
 * Operation names for the first word; view names after `show` (and the
 * debugfs files after `show debugfs`); keys after `set`, then profile
 * names or on/off; flag names after `flags=`.
 *
 * Return: a candidate (static storage, valid until the next call), or NULL.
 */
const char *script_complete(const char *line, int start, size_t *state, bool *files);

/**
 * script_parse_number() - read a number the way scripts write them
 * @text: "4096", "0x1000", "4K", "0x80000000+2M", "16M-4K", "max", ...
 * @out: the value
 *
 * The size grammar of <memblock/size.h>, whose terms may also be the
 * script's names (max, PHYS_ADDR_MAX, ACCESSIBLE, NOLEAKTRACE, ...).
 *
 * Return: 0; -1 for a malformed number; -2 when it overflows 64 bits or
 * goes below zero.
 */
int script_parse_number(const char *text, uint64_t *out);

/**
 * script_op_name() - the i-th word a line may start with (completion)
 * @i: index from 0
 *
 * Return: the word, or NULL past the last one.
 */
const char *script_op_name(size_t i);

/**
 * script_help() - print the list of operations
 * @out: stream
 */
void script_help(FILE *out);

#endif /* MEMBLOCK_CLI_SCRIPT_H */
