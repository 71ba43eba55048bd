// SPDX-License-Identifier: MIT
/*
 * trace_parse.c - libFuzzer harness for the boot-log parser and replay.
 *
 * scripts/run-fuzz builds it with the sources named here:
 * fuzz-sources: src/trace src/core src/host
 * Seed corpus: fuzz/corpus/trace_parse (the seed logs).
 * Every input must parse and replay without a crash, a leak or UB; the
 * parser must return each physical line at most once.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <memblock/trace.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mbt_parser p;
	struct mbt_record rec;
	struct mbt_replay *r;
	struct mbt_analysis *an;
	unsigned int last_line = 0;

	if (size > 1 << 16)
		return 0;
	mbt_parser_init(&p, (const char *)data, size);
	while (mbt_parser_next(&p, &rec)) {
		if (rec.line <= last_line || rec.lines < 1 || rec.lines > 3)
			abort();
		last_line = rec.line + rec.lines - 1;
	}
	r = mbt_replay_new();
	an = mbt_analysis_new();
	if (r && an) {
		int ret = mbt_replay_log(r, (const char *)data, size, NULL, an);

		if (ret < -MB_EINTR || ret > MBT_REPLAY_NO_LINES)
			abort();
	}
	mbt_replay_free(r);
	mbt_analysis_free(an);
	return 0;
}
