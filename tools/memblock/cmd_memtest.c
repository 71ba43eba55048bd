/* SPDX-License-Identifier: MIT */
/*
 * cmd_memtest.c - `memblock memtest`: the kernel's early memory test on a
 * simulated machine with injected bad cells, then the dump and the
 * memmap= fragment that keeps the bad memory out on the next boot.
 */
#ifndef _DEFAULT_SOURCE
#define _DEFAULT_SOURCE /* strdup */
#endif

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "json_out.h"
#include "views.h"
#include "script.h"
#include <memblock/fw.h>
#include <memblock/host_index.h>
#include <memblock/memblock.h>
#include <memblock/memtest.h>
#include <memblock/sim.h>
#include <memblock/simram.h>
#include <memblock/size.h>
#include <memblock/stdio_sink.h>

#define MAX_FAULT_ARGS	256
#define MAX_RANGE_ARGS	64
#define MACHINE_REGIONS 128

struct range_arg {
	mb_phys_addr_t base;
	mb_phys_addr_t size;
};

struct memtest_opts {
	struct mb_memtest_config cfg;
	const char *script;
	const char *preset;
	const char *faults_file;
	struct mb_fault faults[MAX_FAULT_ARGS];
	char *fault_texts[MAX_FAULT_ARGS + 1]; /* the same, as text (simulator) */
	size_t nr_faults;
	bool passes_given;
	bool machine_opts; /* --window, --x86, --no-zero-quirk: not with --preset */
	struct range_arg mem[MAX_RANGE_ARGS];
	size_t nr_mem;
	struct range_arg reserve[MAX_RANGE_ARGS];
	size_t nr_reserve;
	bool window_set;
	mb_phys_addr_t window_start;
	mb_phys_addr_t window_end;
	bool dmesg;
	bool debug;
	bool dump;
	unsigned long max_pages; /* 0 = SCRIPT_MAX_PAGES */
	bool json;
	FILE *doc;		 /* the --json document */
	enum sim_arch arch;	 /* the preset's architecture */
	bool arch_known;	 /* a preset, or --x86 */
	const char *index;	 /* --index */
};

/* The machine built from --mem/--reserve (no script). */
struct own_machine {
	struct memblock mb;
	struct memblock_region memory[MACHINE_REGIONS];
	struct memblock_region reserved[MACHINE_REGIONS];
	struct mb_stdio_sink sink;
	struct mb_simram *ram;
};

static void usage(FILE *out)
{
	fprintf(out,
		"usage: memblock memtest [OPTIONS] (SCRIPT.mb | --preset NAME |\n"
		"                        --mem BASE:SIZE[,BASE:SIZE...] [--reserve BASE:SIZE]...)\n"
		"\n"
		"Run the kernel's early_memtest over the free memory of a machine, reserve\n"
		"the bad words, print the memtest lines, EarlyMemtestBad, the memblock dump\n"
		"and what keeps the bad memory out on the next boot: memmap= on x86, a\n"
		"/memreserve/ or reserved-memory snippet for device-tree architectures.\n"
		"With --preset the boot simulator boots the preset (without handover) and\n"
		"runs the test where its architecture does; --passes then appends memtest=N\n"
		"to the preset's command line (a preset without memtest gets bare memtest).\n"
		"\n"
		"  --passes N          memtest=N (0x.. and 0.. work); default 17 (bare memtest)\n"
		"  --fault ADDR:BIT:stuck0|stuck1\n"
		"  --fault ADDR:BIT:coupled[-inv]:AADDR:ABIT\n"
		"                      inject a bad cell; BIT 0..63 counts from ADDR\n"
		"  --coupled VADDR:VBIT:AADDR:ABIT[:inv]\n"
		"                      victim bit follows (or inverts) an aggressor bit\n"
		"  --faults FILE       one --fault form per line, '#' comments\n"
		"  --window START:END  test [START, END) only (default: all memory)\n"
		"  --x86               print x86's one-time \"Bad RAM detected\" warning\n"
		"  --no-zero-quirk     find bad runs starting at 0 or 8 (Linux misses them)\n"
		"  --debug             memblock=debug (trace the reservations)\n"
		"                      (these four: not with --preset, the preset decides)\n"
		"  --dmesg             prefix lines with \"[    0.000000] \"\n"
		"  --no-dump           do not print the memblock dump\n"
		"  --json              one JSON document on stdout (docs/json.md), the\n"
		"                      kernel lines on stderr\n"
		"  --mem BASE:SIZE     memory of the machine (sizes: 1M, 0x100000, 512K+512K)\n"
		"  --reserve BASE:SIZE reserved before the test (repeatable)\n"
		"  --max-pages N       refuse a test of more than N pages, passes counted\n"
		"                      (default 4294967296; 0 = no limit); a long test shows\n"
		"                      its progress on stderr and Ctrl-C stops it\n"
		"  --index MODE        region index: auto (default: indexed from 4,096\n"
		"                      regions), on or off (flat arrays); the output is the same\n"
		"  -h, --help          this text\n"
		"\n"
		"exit status: 0 (bad memory or not), 1 the test could not run, 2 bad usage\n"
		"or input (a fault outside the machine's memory, say).\n");
}

/* A number in the tools' one size grammar (<memblock/size.h>). */
static int parse_size(const char *text, const char **end, mb_phys_addr_t *out)
{
	uint64_t v;

	if (!text || mb_size_parse(text, end, &v) || v > MB_PHYS_ADDR_MAX)
		return -1;
	*out = (mb_phys_addr_t)v;
	return 0;
}

/* "A:B" into two numbers; @sep_end receives what follows B. */
static int parse_pair(const char *text, mb_phys_addr_t *a, mb_phys_addr_t *b, const char **rest)
{
	if (parse_size(text, &text, a) || *text != ':')
		return -1;
	return parse_size(text + 1, rest, b);
}

static int add_ranges(const char *text, struct range_arg *ranges, size_t *nr)
{
	while (*text) {
		const char *rest;

		if (*nr == MAX_RANGE_ARGS)
			return -1;
		if (parse_pair(text, &ranges[*nr].base, &ranges[*nr].size, &rest) ||
		    (*rest && *rest != ','))
			return -1;
		(*nr)++;
		text = *rest ? rest + 1 : rest;
	}
	return 0;
}

static int add_fault_arg(struct memtest_opts *o, const char *text, bool coupled_form)
{
	struct mb_fault *f = &o->faults[o->nr_faults];
	int err;

	if (o->nr_faults == MAX_FAULT_ARGS)
		return -1;
	char buf[128];

	err = coupled_form ? mb_coupled_parse(text, f) : mb_fault_parse(text, f);
	if (err)
		return -1;
	if (coupled_form) /* the simulator reads the --fault form only */
		snprintf(buf, sizeof(buf), "0x%" PRIx64 ":%u:%s:0x%" PRIx64 ":%u",
			 (uint64_t)f->addr, f->bit, f->inverted ? "coupled-inv" : "coupled",
			 (uint64_t)f->aggr_addr, f->aggr_bit);
	else
		snprintf(buf, sizeof(buf), "%s", text);
	o->fault_texts[o->nr_faults] = strdup(buf);
	if (!o->fault_texts[o->nr_faults])
		return -1;
	o->nr_faults++;
	return 0;
}

/* One option with its value; 1 when @name is not a value option. */
static int parse_value_opt(struct memtest_opts *o, const char *name, const char *val)
{
	const char *rest;

	if (!strcmp(name, "--passes")) {
		o->passes_given = true;
		return mb_memtest_parse_arg(val, &o->cfg.passes) ? -1 : 0;
	}
	if (!strcmp(name, "--fault"))
		return add_fault_arg(o, val, false);
	if (!strcmp(name, "--coupled"))
		return add_fault_arg(o, val, true);
	if (!strcmp(name, "--faults")) {
		o->faults_file = val;
		return 0;
	}
	if (!strcmp(name, "--preset")) {
		o->preset = val;
		return 0;
	}
	if (!strcmp(name, "--max-pages"))
		return cli_parse_max_pages("memblock memtest", val, &o->max_pages) ? -1 : 0;
	if (!strcmp(name, "--index")) {
		o->index = val;
		return cli_index_check("memblock memtest", val);
	}
	if (!strcmp(name, "--mem"))
		return add_ranges(val, o->mem, &o->nr_mem);
	if (!strcmp(name, "--reserve"))
		return add_ranges(val, o->reserve, &o->nr_reserve);
	if (!strcmp(name, "--window")) {
		o->window_set = true;
		o->machine_opts = true;
		if (parse_pair(val, &o->window_start, &o->window_end, &rest) || *rest ||
		    o->window_end <= o->window_start)
			return -1;
		return 0;
	}
	return 1;
}

static int parse_flag_opt(struct memtest_opts *o, const char *name)
{
	if (!strcmp(name, "--x86"))
		o->cfg.arch_x86 = o->machine_opts = true;
	else if (!strcmp(name, "--no-zero-quirk")) {
		o->cfg.zero_quirk = false;
		o->machine_opts = true;
	} else if (!strcmp(name, "--dmesg"))
		o->dmesg = true;
	else if (!strcmp(name, "--debug"))
		o->debug = true;
	else if (!strcmp(name, "--no-dump"))
		o->dump = false;
	else if (!strcmp(name, "--json"))
		o->json = true;
	else if (!strncmp(name, "--index=", 8)) {
		o->index = name + 8;
		return cli_index_check("memblock memtest", o->index) ? -1 : 0;
	} else
		return 1;
	return 0;
}

static int parse_args(int argc, char **argv, struct memtest_opts *o)
{
	for (int i = 1; i < argc; i++) {
		const char *arg = argv[i];
		int ret;

		if (arg[0] != '-' || !strcmp(arg, "-")) {
			if (o->script) {
				fprintf(stderr, "memblock memtest: more than one script\n");
				return -1;
			}
			o->script = arg;
			continue;
		}
		ret = parse_flag_opt(o, arg);
		if (ret < 0)
			return -1;
		if (!ret)
			continue;
		if (i + 1 >= argc) {
			fprintf(stderr, "memblock memtest: unknown option or missing value: %s\n",
				arg);
			return -1;
		}
		ret = parse_value_opt(o, arg, argv[i + 1]);
		if (ret) {
			fprintf(stderr, "memblock memtest: %s '%s'\n",
				ret > 0 ? "unknown option" : "bad value for",
				ret > 0 ? arg : argv[i + 1]);
			return -1;
		}
		i++;
	}
	return 0;
}

static int check_sources(const struct memtest_opts *o)
{
	int sources = !!o->script + !!o->preset + !!o->nr_mem;

	if (o->preset && (o->machine_opts || o->debug)) {
		fprintf(stderr, "memblock memtest: with --preset the architecture decides the "
				"window, the x86 warning, the quirks and memblock=debug\n");
		return -1;
	}
	if (sources != 1) {
		fprintf(stderr,
			"memblock memtest: give exactly one of SCRIPT.mb, --preset, --mem\n");
		return -1;
	}
	if (o->nr_reserve && !o->nr_mem) {
		fprintf(stderr, "memblock memtest: --reserve goes with --mem (a script reserves "
				"with its own lines)\n");
		return -1;
	}
	return 0;
}

static int own_machine_build(struct own_machine *m, const struct memtest_opts *o)
{
	struct mb_config cfg;
	int err;

	mb_config_default(&cfg);
	cfg.memory_regions = m->memory;
	cfg.memory_max = MACHINE_REGIONS;
	cfg.reserved_regions = m->reserved;
	cfg.reserved_max = MACHINE_REGIONS;
	cfg.debug = o->debug;
	err = mb_simram_create(&m->ram);
	if (err)
		return err;
	mb_simram_install(m->ram, &cfg.ops);
	mb_stdio_sink_init(&m->sink, stdout);
	m->sink.timestamp = o->dmesg;
	mb_stdio_sink_install(&m->sink, &cfg.ops);
	mb_host_index_install(&cfg.ops);
	err = mb_init(&m->mb, &cfg);
	if (!err)
		err = mb_host_index_apply(&m->mb, o->index);
	if (err)
		return err;
	mb_allow_resize(&m->mb);
	for (size_t i = 0; i < o->nr_mem && !err; i++)
		err = mb_add(&m->mb, o->mem[i].base, o->mem[i].size);
	if (!err)
		err = mb_simram_cover(m->ram, &m->mb);
	for (size_t i = 0; i < o->nr_reserve && !err; i++)
		err = mb_reserve(&m->mb, o->reserve[i].base, o->reserve[i].size);
	return err;
}

static int inject_faults(struct mb_simram *ram, const struct memtest_opts *o)
{
	unsigned long line = 0;
	int err;

	for (size_t i = 0; i < o->nr_faults; i++) {
		err = mb_simram_add_fault(ram, &o->faults[i]);
		if (err) {
			fprintf(stderr, "memblock memtest: fault %zu: %s\n", i + 1,
				mb_strerror(err));
			return err;
		}
	}
	if (!o->faults_file)
		return 0;
	err = mb_simram_load_faults(ram, o->faults_file, &line);
	if (err == -MB_ENOENT)
		fprintf(stderr, "memblock memtest: cannot read %s\n", o->faults_file);
	else if (err)
		fprintf(stderr, "%s:%lu: error: bad fault line (%s)\n", o->faults_file, line,
			mb_strerror(err));
	return err;
}

/* One line: @label, then " memmap=SIZE$ADDR" for each of @pages, in @quote. */
static void print_memmap_line(const char *label, const struct mb_memtest_range *pages,
			      size_t count, const char *quote)
{
	printf("%s", label);
	for (size_t i = 0; i < count; i++) {
		struct mb_text t;

		mb_text_reset(&t);
		mb_text_memmap(&t, &pages[i]);
		printf(" %s%s%s", quote, t.buf, quote);
	}
	printf("\n");
}

/* The simulator's site for a device-tree reservation, as Linux names it. */
#define DT_SITE "early_init_fdt_scan_reserved_mem"

/* Device-tree architectures read no memmap=: the .dts keeps the page out. */
static void print_dts(const struct mb_memtest_range *pages, size_t count, const char *preset)
{
	printf("device tree, /memreserve/ (before the root node):\n");
	for (size_t i = 0; i < count; i++)
		printf("  /memreserve/ 0x%llx 0x%llx;\n", (unsigned long long)pages[i].start,
		       (unsigned long long)(pages[i].end - pages[i].start));
	printf("device tree, or a reserved-memory node (add no-map; to unmap it too):\n"
	       "  reserved-memory {\n\t#address-cells = <2>;\n\t#size-cells = <2>;\n\tranges;\n");
	for (size_t i = 0; i < count; i++) {
		uint64_t b = pages[i].start, z = pages[i].end - pages[i].start;

		printf("\tbad-ram@%llx {\n\t\treg = <0x%llx 0x%llx 0x%llx 0x%llx>;\n\t};\n",
		       (unsigned long long)b, (unsigned long long)(b >> 32),
		       (unsigned long long)(b & 0xffffffffu), (unsigned long long)(z >> 32),
		       (unsigned long long)(z & 0xffffffffu));
	}
	printf("  };\n");
	printf("what-if: memblock boot %s%s --diff", preset ? "--preset " : "...",
	       preset ? preset : "");
	for (size_t i = 0; i < count; i++)
		printf(" --diff-set reserve=0x%llx:0x%llx:" DT_SITE,
		       (unsigned long long)pages[i].start,
		       (unsigned long long)(pages[i].end - pages[i].start));
	printf("\n");
}

enum suggest { SUGGEST_X86 = 1, SUGGEST_DT = 2 };

static int suggestion_kinds(const struct memtest_opts *o)
{
	if (o->arch_known && (o->preset ? o->arch == SIM_ARCH_X86_64 : o->cfg.arch_x86))
		return SUGGEST_X86;
	if (o->arch_known)
		return SUGGEST_DT;
	return SUGGEST_X86 | SUGGEST_DT;
}

static void json_suggestion(FILE *doc, const struct mb_memtest_range *pages, size_t count,
			    int kinds)
{
	fprintf(doc, ",\"memmap\":");
	if (kinds & SUGGEST_X86) {
		fputc('"', doc);
		for (size_t i = 0; i < count; i++) {
			struct mb_text t;

			mb_text_reset(&t);
			mb_text_memmap(&t, &pages[i]);
			fprintf(doc, "%s%s", i ? " " : "", t.buf);
		}
		fputc('"', doc);
	} else {
		fprintf(doc, "null");
	}
	fprintf(doc, ",\"memreserve\":[");
	for (size_t i = 0; i < count && (kinds & SUGGEST_DT); i++) {
		fprintf(doc, "%s{\"base\":", i ? "," : "");
		mb_json_hex(doc, pages[i].start);
		fprintf(doc, ",\"size\":");
		mb_json_hex(doc, pages[i].end - pages[i].start);
		fputc('}', doc);
	}
	fputc(']', doc);
}

/* What keeps the bad memory out on the next boot, in the form the arch reads. */
static void print_memmap(const struct memtest_opts *o, const struct mb_memtest_result *res,
			 mb_phys_addr_t page_size)
{
	struct mb_memtest_range pages[MB_MEMTEST_MAX_RANGES];
	size_t count = 0;
	int err, kinds = suggestion_kinds(o);

	printf("memtest: %lu bad run%s, %zu bad range%s, %llu bytes\n", res->bad_runs,
	       res->bad_runs == 1 ? "" : "s", res->nr_ranges, res->nr_ranges == 1 ? "" : "s",
	       (unsigned long long)res->bad_bytes);
	if (res->nr_ranges) {
		err = mb_memtest_memmap_ranges(res, page_size, pages, MB_MEMTEST_MAX_RANGES,
					       &count);
		if (err == -MB_ENOSPC || res->overflow)
			fprintf(stderr,
				"memblock memtest: too many bad ranges, the list is cut short\n");
		if (count > MB_MEMTEST_MAX_RANGES)
			count = MB_MEMTEST_MAX_RANGES;
	}
	if (o->doc) {
		fprintf(o->doc, ",\"bad_runs\":%lu,\"bad_bytes\":", res->bad_runs);
		mb_json_hex(o->doc, res->bad_bytes);
		fprintf(o->doc, ",\"bad_ranges\":[");
		for (size_t i = 0; i < res->nr_ranges; i++) {
			fprintf(o->doc, "%s{\"base\":", i ? "," : "");
			mb_json_hex(o->doc, res->ranges[i].start);
			fprintf(o->doc, ",\"size\":");
			mb_json_hex(o->doc, res->ranges[i].end - res->ranges[i].start);
			fputc('}', o->doc);
		}
		fputc(']', o->doc);
		json_suggestion(o->doc, pages, count, kinds);
	}
	if (!count)
		return;
	if (kinds == (SUGGEST_X86 | SUGGEST_DT))
		printf("(no architecture given: x86 reads memmap=, device-tree "
		       "architectures read the .dts)\n");
	if (kinds & SUGGEST_X86) {
		print_memmap_line("kernel command line:", pages, count, "");
		print_memmap_line("shell (single quotes keep the $):", pages, count, "'");
	}
	if (kinds & SUGGEST_DT)
		print_dts(pages, count, o->preset);
}

/* Every injected cell must be in the machine's RAM, or it tests nothing. */
static int check_fault_addrs(const struct memtest_opts *o, const struct memblock *mb)
{
	for (size_t i = 0; i < o->nr_faults; i++) {
		const struct mb_fault *f = &o->faults[i];

		if (!mb_is_memory(mb, f->addr) ||
		    (f->kind >= MB_FAULT_COUPLED && !mb_is_memory(mb, f->aggr_addr))) {
			fprintf(stderr,
				"memblock memtest: fault %zu at 0x%llx is outside the machine's "
				"memory\n",
				i + 1, (unsigned long long)(mb_is_memory(mb, f->addr) ?
								     f->aggr_addr : f->addr));
			return -1;
		}
	}
	return 0;
}

static void json_state(const struct memtest_opts *o, const struct memblock *mb)
{
	if (!o->doc)
		return;
	fprintf(o->doc, ",\"state\":");
	view_json(mb, o->doc);
}

/* Every pass writes and reads each free page once: refuse beyond the budget. */
static bool memtest_over_budget(const struct memblock *mb, const struct memtest_opts *o,
				mb_phys_addr_t start, mb_phys_addr_t end)
{
	unsigned long max = o->max_pages ? o->max_pages : SCRIPT_MAX_PAGES;
	uint64_t pages = cli_memtest_bytes(mb, start, end) / mb->cfg.page_size;

	if (!o->cfg.passes || pages <= max / o->cfg.passes)
		return false;
	fprintf(stderr,
		"memblock memtest: refused: %u passes over %" PRIu64 " pages is more than "
		"--max-pages %lu\n",
		o->cfg.passes, pages, max);
	return true;
}

static int run_memtest(struct memblock *mb, struct mb_simram *ram, const struct memtest_opts *o)
{
	struct mb_memtest_result res;
	struct cli_watch watch;
	mb_phys_addr_t start = mb_start_of_DRAM(mb), end = mb_end_of_DRAM(mb);
	int err;

	if (mb->memory.cnt == 0 || mb_type_regions(mb, &mb->memory)[0].size == 0) {
		fprintf(stderr, "memblock memtest: the machine has no memory\n");
		return CLI_BAD_INPUT;
	}
	if (check_fault_addrs(o, mb) || inject_faults(ram, o))
		return CLI_BAD_INPUT;
	err = mb_simram_cover(ram, mb);
	if (err) {
		fprintf(stderr, "memblock memtest: cannot back memory: %s\n", mb_strerror(err));
		return CLI_FAILED;
	}
	if (o->window_set) {
		start = o->window_start;
		end = o->window_end;
	}
	if (memtest_over_budget(mb, o, start, end))
		return CLI_FAILED;
	cli_catch_sigint();
	mb_memtest_result_init(&res);
	cli_watch_begin(&watch, mb, "memblock memtest",
			2 * o->cfg.passes * cli_memtest_bytes(mb, start, end));
	err = mb_early_memtest(mb, &o->cfg, start, end, &res);
	cli_watch_end(&watch, mb);
	if (watch.stopped) {
		fprintf(stderr,
			"memblock memtest: interrupted after %" PRIu64 " MiB; the lines and bad "
			"ranges so far stay reserved\n",
			watch.done >> 20);
		return CLI_FAILED;
	}
	if (err) {
		fprintf(stderr, "memblock memtest: %s\n", mb_strerror(err));
		return CLI_FAILED;
	}
	mb_memtest_report_meminfo(mb, &res);
	if (o->dump)
		mb_dump(mb);
	fflush(stdout);
	print_memmap(o, &res, mb->cfg.page_size);
	json_state(o, mb);
	if (res.reserve_errors)
		fprintf(stderr, "memblock memtest: %lu bad range(s) could not be reserved: %s\n",
			res.reserve_errors, mb_strerror(res.first_reserve_error));
	return CLI_OK;
}

static int memtest_on_script(struct memtest_opts *o)
{
	struct script_opts sopts = {.dmesg = o->dmesg, .debug = o->debug, .index = o->index};
	struct script_ctx *ctx = calloc(1, sizeof(*ctx));
	int ret;

	if (!ctx || script_ctx_init(ctx, &sopts)) {
		free(ctx);
		fprintf(stderr, "memblock memtest: out of memory\n");
		return CLI_FAILED;
	}
	ret = script_run_file(ctx, o->script);
	if (ret == SCRIPT_OK)
		ret = run_memtest(script_memblock(ctx), ctx->ram, o);
	script_ctx_fini(ctx);
	free(ctx);
	return ret;
}

static int memtest_on_own_machine(struct memtest_opts *o)
{
	struct own_machine *m = calloc(1, sizeof(*m));
	int ret, err;

	if (!m) {
		fprintf(stderr, "memblock memtest: out of memory\n");
		return CLI_FAILED;
	}
	err = own_machine_build(m, o);
	if (err) {
		fprintf(stderr, "memblock memtest: cannot build the machine: %s\n",
			mb_strerror(err));
		ret = CLI_BAD_INPUT;
	} else {
		ret = run_memtest(&m->mb, m->ram, o);
	}
	mb_host_index_release(&m->mb);
	mb_simram_destroy(m->ram);
	free(m);
	return ret;
}

/* --preset: the boot simulator runs early_memtest where the arch does. */
struct preset_out {
	bool dmesg;
	bool after_boot; /* print every line: meminfo, dump */
	struct mb_memtest_result res;
};

/* The simulator keeps its memtest result; read the bad runs off the lines. */
static void note_memtest_line(struct mb_memtest_result *res, const char *text)
{
	unsigned long long pattern, start, end;

	if (strstr(text, " pattern "))
		res->done = true;
	else if (sscanf(text, " %llx bad mem addr 0x%llx - 0x%llx reserved", &pattern, &start,
			&end) == 3)
		mb_memtest_result_add(res, (mb_phys_addr_t)start, (mb_phys_addr_t)end);
}

static void preset_line(void *ctx, enum sim_line_kind kind, const char *text)
{
	struct preset_out *po = ctx;

	if (kind == SIM_LINE_MEMTEST)
		note_memtest_line(&po->res, text);
	else if (!po->after_boot)
		return;
	printf("%s%s\n", po->dmesg ? "[    0.000000] " : "", text);
}

static int boot_preset(struct memtest_opts *o, struct sim_machine *m, struct preset_out *po,
		       struct sim_boot **boot)
{
	struct sim_options sopts = {
	    .faults = (const char *const *)o->fault_texts,
	    .faults_file = o->faults_file,
	    .no_handover = true,
	    .index = o->index,
	};
	struct sim_sink sink = {preset_line, po};
	char err[256] = "", cmdline[32];
	int ret;

	ret = sim_preset_load(m, o->preset, NULL, err, sizeof(err));
	if (ret) {
		fprintf(stderr, "memblock memtest: preset %s: %s\n", o->preset,
			err[0] ? err : mb_strerror(ret));
		return CLI_BAD_INPUT;
	}
	o->arch = m->arch;
	o->arch_known = true;
	if (o->passes_given) {
		snprintf(cmdline, sizeof(cmdline), "memtest=%u", o->cfg.passes);
		sopts.extra_cmdline = cmdline;
	} else if (!strstr(m->cmdline, "memtest")) {
		sopts.extra_cmdline = "memtest"; /* bare: 17 passes */
	}
	ret = sim_boot(m, &sopts, &sink, boot);
	if (ret) {
		fprintf(stderr, "memblock memtest: cannot boot %s: %s\n", o->preset,
			mb_strerror(ret));
		return CLI_FAILED;
	}
	return CLI_OK;
}

static int memtest_on_preset(struct memtest_opts *o)
{
	struct sim_machine *m = calloc(1, sizeof(*m));
	struct preset_out po = {.dmesg = o->dmesg};
	struct sim_boot *boot = NULL;
	const struct memblock *mb;
	int ret;

	if (!m)
		return CLI_FAILED;
	mb_memtest_result_init(&po.res);
	ret = boot_preset(o, m, &po, &boot);
	if (ret == CLI_OK && check_fault_addrs(o, sim_boot_memblock(boot)))
		ret = CLI_BAD_INPUT;
	if (ret == CLI_OK && !po.res.done)
		fprintf(stderr, "memblock memtest: the boot of %s ran no early_memtest "
				"(its architecture's sequence does not call it)\n", o->preset);
	if (ret == CLI_OK) {
		po.after_boot = true;
		mb = sim_boot_memblock(boot);
		mb_memtest_report_meminfo(mb, &po.res);
		if (o->dump)
			mb_dump(mb);
		fflush(stdout);
		print_memmap(o, &po.res, mb->cfg.page_size);
		json_state(o, mb);
	}
	sim_boot_free(boot);
	free(m);
	return ret;
}

static void free_opts(struct memtest_opts *o)
{
	for (size_t i = 0; i < o->nr_faults; i++)
		free(o->fault_texts[i]);
	free(o);
}

int cmd_memtest(int argc, char **argv)
{
	struct memtest_opts *o;
	int ret;

	if (argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		usage(stdout);
		return CLI_OK;
	}
	o = calloc(1, sizeof(*o));
	if (!o)
		return CLI_FAILED;
	mb_memtest_config_default(&o->cfg);
	o->cfg.passes = MB_MEMTEST_NR_PATTERNS;
	o->cfg.caller = "memtest"; /* reserve_bad_mem() is inlined there */
	o->dump = true;
	if (parse_args(argc, argv, o) || check_sources(o)) {
		cli_hint("memtest");
		free_opts(o);
		return CLI_BAD_INPUT;
	}
	o->arch_known = o->cfg.arch_x86;
	if (o->json) {
		o->doc = json_doc_open("memtest");
		fprintf(o->doc, ",\"machine\":");
		mb_json_string(o->doc, o->preset ? o->preset : o->script ? o->script : "--mem");
	}
	if (o->preset)
		ret = memtest_on_preset(o);
	else if (o->script)
		ret = memtest_on_script(o);
	else
		ret = memtest_on_own_machine(o);
	if (o->doc)
		json_doc_close(o->doc, ret);
	free_opts(o);
	return ret;
}
