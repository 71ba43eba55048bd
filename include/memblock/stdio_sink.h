/* SPDX-License-Identifier: MIT */
/*
 * stdio_sink.h - print the core's lines to a stdio stream (hosted tools).
 *
 * With the dmesg options each line gets the kernel's printk prefix:
 *   timestamp            "[    0.000000] "
 *   timestamp + caller   "[    0.000000][    T0] "
 */
#ifndef MEMBLOCK_STDIO_SINK_H
#define MEMBLOCK_STDIO_SINK_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <memblock/memblock.h>

#ifdef __cplusplus
extern "C" {
#endif

struct mb_stdio_sink {
	FILE *out;		     /* NULL = stdout */
	bool timestamp;		     /* "[%5lu.%06lu]" prefix */
	uint64_t usec;		     /* time printed by the timestamp */
	const char *caller_id;	     /* e.g. "T0": adds "[%6s]"; NULL = none */
	enum mb_log_level min_level; /* lines below it are dropped */
	unsigned long lines;	     /* lines printed so far */
};

/**
 * mb_stdio_sink_init() - a sink to @out without prefix, every level
 * @sink: sink to fill
 * @out: stream, NULL for stdout
 */
void mb_stdio_sink_init(struct mb_stdio_sink *sink, FILE *out);

/**
 * mb_stdio_sink_print() - the ops.print callback
 * @ctx: a struct mb_stdio_sink
 * @level: line's level
 * @line: text without the newline
 */
void mb_stdio_sink_print(void *ctx, enum mb_log_level level, const char *line);

/**
 * mb_stdio_sink_install() - route ops.print to the sink
 * @sink: sink (must outlive the ops' users)
 * @ops: ops whose print and print_ctx are set
 */
void mb_stdio_sink_install(struct mb_stdio_sink *sink, struct mb_ops *ops);

#ifdef __cplusplus
}
#endif

#endif /* MEMBLOCK_STDIO_SINK_H */
