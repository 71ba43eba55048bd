/* SPDX-License-Identifier: MIT */
/* The memblock command line tool: one function per subcommand. */
#ifndef MEMBLOCK_CLI_H
#define MEMBLOCK_CLI_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include <memblock/memblock.h>

/* Exit codes shared by every subcommand. */
enum cli_exit {
	CLI_OK = 0,	   /* success */
	CLI_FAILED = 1,	   /* an operation the user asked for failed */
	CLI_BAD_INPUT = 2  /* bad usage or bad input */
};

/*
 * --max-pages N: 0 (no limit) becomes ULONG_MAX. Prints "WHO: ..." and
 * returns -1 for a bad number.
 */
int cli_parse_max_pages(const char *who, const char *text, unsigned long *out);
/*
 * --index MODE / --index=MODE (the region index: off, on, auto). Option
 * parsers call cli_index_option() on argv[*i]: 1 when it was --index
 * (*mode set, *i past its value), 0 when not, -1 after a message for a
 * bad or missing value. cli_index_check() validates a getopt value.
 */
int cli_index_option(const char *who, int argc, char **argv, int *i, const char **mode);
int cli_index_check(const char *who, const char *mode);
#define CLI_INDEX_HELP                                                                     \
	"  --index MODE     region index: auto (default: indexed from 4,096 regions),\n"  \
	"                   on or off (flat arrays, as Linux); the output is the same\n"

/* Ctrl-C sets script_interrupted (long steps stop cleanly); twice exits. */
void cli_catch_sigint(void);

/*
 * A long memtest made visible: while active, the instance's memory ops go
 * through the watch, which reports progress on stderr about once a second
 * and stops the test (as an unmapped range would) after Ctrl-C.
 */
struct cli_watch {
	const char *who;
	uint64_t done, total; /* bytes mapped so far (fill and scan), expected */
	time_t start, last;
	bool stopped; /* Ctrl-C ended the test */
	void *(*p2v)(void *ctx, mb_phys_addr_t phys, mb_phys_addr_t size);
	void *ctx;
	struct mb_ops saved_ops;
};
uint64_t cli_memtest_bytes(const struct memblock *mb, mb_phys_addr_t start, mb_phys_addr_t end);
void cli_watch_begin(struct cli_watch *w, struct memblock *mb, const char *who, uint64_t total);
void cli_watch_end(struct cli_watch *w, struct memblock *mb);

/**
 * cli_hint() - after a usage error: one line pointing at --help
 * @cmd: the subcommand, NULL for memblock itself
 */
void cli_hint(const char *cmd);

/* argv[0] is the subcommand name. */
int cmd_run(int argc, char **argv);
int cmd_shell(int argc, char **argv);
int cmd_memtest(int argc, char **argv);
int cmd_boot(int argc, char **argv);
int cmd_replay(int argc, char **argv);
int cmd_analyze(int argc, char **argv);
int cmd_diff(int argc, char **argv);

#endif
