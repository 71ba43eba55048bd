// SPDX-License-Identifier: MIT
/*
 * script.c - libFuzzer harness: the .mb interpreter in-process, one input
 * = one whole script. Any crash, sanitizer report, broken invariant after
 * a line, or a run past libFuzzer's -timeout (fuzz/script.options) is a
 * finding. Handover runs under a small page budget, as tests' scripts do.
 * fuzz-sources: src/core src/memtest src/host
 * fuzz-sources: tools/memblock/script.c tools/memblock/script_args.c
 * fuzz-sources: tools/memblock/script_ctx.c tools/memblock/script_show.c
 * fuzz-sources: tools/memblock/script_ops.c
 * fuzz-sources: tools/memblock/script_set.c tools/memblock/script_expect.c
 * fuzz-sources: tools/memblock/views.c
 * fuzz-cflags: -Itools/memblock -D_GNU_SOURCE
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "script.h"

#define FUZZ_MAX_PAGES (1UL << 16)
#define FUZZ_MAX_LINES 256

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static FILE *sink;

/*
 * Zeroing huge allocations commits host memory for every byte (until the
 * simulated RAM zeroes lazily) and is not what this harness tests: skip it.
 */
static void no_zero(void *ctx, mb_phys_addr_t phys, mb_phys_addr_t size)
{
	(void)ctx;
	(void)phys;
	(void)size;
}

/* A script may `set max_pages 0` or re-init: keep the bound after each line. */
static void bound(struct script_ctx *ctx)
{
	struct memblock *mb = script_memblock(ctx);

	mb->cfg.ops.mem_zero = no_zero;
	if (!mb->cfg.max_pages || mb->cfg.max_pages > FUZZ_MAX_PAGES)
		mb->cfg.max_pages = FUZZ_MAX_PAGES;
}

static void check(struct script_ctx *ctx, unsigned long line)
{
	char msg[256];

	if (mb_check(script_memblock(ctx), msg, sizeof(msg))) {
		fprintf(stderr, "script line %lu broke an invariant: %s\n", line, msg);
		abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct script_opts opts = { 0 };
	struct script_ctx ctx;
	char *text = malloc(size + 1), *line, *next;
	unsigned long n = 0;

	if (!text)
		return 0;
	if (!sink)
		sink = fopen("/dev/null", "w");
	memcpy(text, data, size);
	text[size] = '\0';
	opts.out = sink;
	opts.err = sink;
	opts.keep_going = true;
	opts.max_pages = FUZZ_MAX_PAGES;
	if (script_ctx_init(&ctx, &opts))
		abort();
	for (line = text; line && n < FUZZ_MAX_LINES; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		bound(&ctx);
		if (script_exec_line(&ctx, "fuzz", ++n, line) == SCRIPT_QUIT)
			break;
		check(&ctx, n);
	}
	script_ctx_fini(&ctx);
	free(text);
	return 0;
}
