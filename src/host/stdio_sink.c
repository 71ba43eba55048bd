/* SPDX-License-Identifier: MIT */
/* stdio_sink.c - the core's print hook over a stdio stream. */
#include <memblock/stdio_sink.h>

void mb_stdio_sink_init(struct mb_stdio_sink *sink, FILE *out)
{
	if (!sink)
		return;
	*sink = (struct mb_stdio_sink){.out = out, .min_level = MB_LOG_DEBUG};
}

/* The printk prefix: "[%5lu.%06lu]" then, with a caller id, "[%6s]". */
static void print_prefix(const struct mb_stdio_sink *sink, FILE *out)
{
	if (sink->timestamp)
		fprintf(out, "[%5lu.%06lu]", (unsigned long)(sink->usec / 1000000u),
			(unsigned long)(sink->usec % 1000000u));
	if (sink->caller_id)
		fprintf(out, "[%6s]", sink->caller_id);
	if (sink->timestamp || sink->caller_id)
		fputc(' ', out);
}

void mb_stdio_sink_print(void *ctx, enum mb_log_level level, const char *line)
{
	struct mb_stdio_sink *sink = ctx;
	FILE *out;

	if (!sink || !line || level < sink->min_level)
		return;
	out = sink->out ? sink->out : stdout;
	print_prefix(sink, out);
	fputs(line, out);
	fputc('\n', out);
	sink->lines++;
}

void mb_stdio_sink_install(struct mb_stdio_sink *sink, struct mb_ops *ops)
{
	if (!ops)
		return;
	ops->print = mb_stdio_sink_print;
	ops->print_ctx = sink;
}
