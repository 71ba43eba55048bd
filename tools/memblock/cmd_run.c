/* SPDX-License-Identifier: MIT */
/* cmd_run.c - `memblock run FILE|-`: execute an operation script. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "json_out.h"
#include "map_out.h"
#include "script.h"
#include "views.h"

#define MAX_SHOW 16

struct run_args {
	struct script_opts opts;
	enum view_id show[MAX_SHOW];
	int n_show;
	bool dump_on_error;
	bool json;
	const char *path;
	struct map_out map;
};

static void run_usage(FILE *out)
{
	fprintf(out, "usage: memblock run [OPTIONS] FILE|-\n"
		     "\n"
		     "Run a .mb operation script (docs/cli.md) and print the views asked for.\n"
		     "\n"
		     "options:\n"
		     "  --show VIEW      print VIEW after the script: dump, debugfs:memory,\n"
		     "                   debugfs:reserved, debugfs:physmem, iomem, free, summary,\n"
		     "                   json (repeatable)\n"
		     "  --json           write one JSON document (docs/json.md) to stdout and\n"
		     "                   everything else to stderr; --show json is the same\n"
		     "  --debug          start with memblock=debug (trace lines on stdout)\n"
		     "  --dmesg          prefix kernel log lines with \"[    0.000000] \"\n"
		     "  --dump-on-error  after a bad line, print the dump of the state before it\n"
		     "  -k, --keep-going do not stop at a failed operation or expect line\n"
		     "  -v, --verbose    print the result of every allocation\n"
		     "  --html FILE      write the memory map after the script as an HTML page\n"
		     "  --svg FILE       the same map as one SVG file\n"
		     "  --max-pages N    refuse a free_all / free_late that would hand over more\n"
		     "                   than N pages (default 4294967296; 0 = no limit)\n"
		     CLI_INDEX_HELP
		     "  -h, --help       this text\n"
		     "\n"
		     "exit status: 0 success, 1 an operation or expect line failed,\n"
		     "2 bad usage or a malformed line (FILE:LINE:COL: error: ...).\n");
}

/* "dump", "json", "debugfs:reserved", "debugfs=reserved", "reserved". */
static int parse_show(const char *text, enum view_id *out)
{
	char name[32];
	const char *sep = strpbrk(text, ":=");
	size_t len = sep ? (size_t)(sep - text) : strlen(text);

	if (len >= sizeof(name))
		return -1;
	memcpy(name, text, len);
	name[len] = '\0';
	return view_lookup(name, sep ? sep + 1 : NULL, out) ? -1 : 0;
}

static int add_show(struct run_args *ra, const char *text)
{
	if (ra->n_show == MAX_SHOW) {
		fprintf(stderr, "memblock run: too many --show options\n");
		return -1;
	}
	if (parse_show(text, &ra->show[ra->n_show])) {
		fprintf(stderr, "memblock run: unknown view '%s'\n", text);
		return -1;
	}
	ra->n_show++;
	return 0;
}

/* --show json is --json; a text view cannot share stdout with the document. */
static int json_views(struct run_args *ra)
{
	int n = 0;

	for (int i = 0; i < ra->n_show; i++)
		if (ra->show[i] == VIEW_JSON)
			ra->json = true;
		else
			ra->show[n++] = ra->show[i];
	ra->n_show = n;
	if (ra->json && n) {
		fprintf(stderr, "memblock run: --show %s cannot be combined with --json\n",
			view_name(ra->show[0]));
		return -1;
	}
	return 0;
}

/* Return: -1 to exit with CLI_BAD_INPUT, 1 for --help, 0 to run. */
static int parse_run_args(int argc, char **argv, struct run_args *ra)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		int used = map_out_option(&ra->map, argc, argv, &i);

		if (used < 0) {
			fprintf(stderr, "memblock run: %s needs a FILE\n", a);
			return -1;
		}
		if (!used)
			used = cli_index_option("memblock run", argc, argv, &i, &ra->opts.index);
		if (used < 0)
			return -1;
		if (used)
			continue;
		if (!strcmp(a, "-h") || !strcmp(a, "--help"))
			return 1;
		if (!strcmp(a, "--show") && i + 1 < argc) {
			if (add_show(ra, argv[++i]))
				return -1;
		} else if (!strncmp(a, "--show=", 7)) {
			if (add_show(ra, a + 7))
				return -1;
		} else if (!strcmp(a, "--json")) {
			ra->json = true;
		} else if (!strcmp(a, "--debug")) {
			ra->opts.debug = true;
		} else if (!strcmp(a, "--dmesg")) {
			ra->opts.dmesg = true;
		} else if (!strcmp(a, "--dump-on-error")) {
			ra->dump_on_error = true;
		} else if (!strcmp(a, "-k") || !strcmp(a, "--keep-going")) {
			ra->opts.keep_going = true;
		} else if (!strcmp(a, "-v") || !strcmp(a, "--verbose")) {
			ra->opts.verbose = true;
		} else if (!strcmp(a, "--max-pages") && i + 1 < argc) {
			if (cli_parse_max_pages("memblock run", argv[++i], &ra->opts.max_pages))
				return -1;
		} else if (!strcmp(a, "--show") || !strcmp(a, "--max-pages")) {
			fprintf(stderr, "memblock run: %s needs a value\n", a);
			return -1;
		} else if (a[0] == '-' && a[1]) {
			fprintf(stderr, "memblock run: unknown option '%s'\n", a);
			return -1;
		} else if (ra->path) {
			fprintf(stderr, "memblock run: more than one script ('%s')\n", a);
			return -1;
		} else {
			ra->path = a;
		}
	}
	if (!ra->path) {
		fprintf(stderr, "memblock run: missing script (FILE or -)\n");
		return -1;
	}
	return json_views(ra);
}

int cmd_run(int argc, char **argv)
{
	struct run_args ra = {0};
	struct script_ctx ctx;
	struct view_opts vopts;
	FILE *doc = NULL;
	struct map_script ms;
	int ret;

	ret = parse_run_args(argc, argv, &ra);
	if (ret > 0) {
		run_usage(stdout);
		return CLI_OK;
	}
	if (ret) {
		cli_hint("run");
		return CLI_BAD_INPUT;
	}
	if (map_out_wanted(&ra.map))
		map_script_hook(&ms, &ra.opts);
	ra.opts.progress = true;
	if (script_ctx_init(&ctx, &ra.opts)) {
		fprintf(stderr, "memblock run: cannot initialise the instance\n");
		return CLI_FAILED;
	}
	cli_catch_sigint();
	if (ra.json)
		doc = json_doc_open("run");
	ret = script_run_file(&ctx, ra.path);
	ret = ret == SCRIPT_OK ? CLI_OK : ret == SCRIPT_FAILED ? CLI_FAILED : CLI_BAD_INPUT;
	vopts.dmesg = ra.opts.dmesg;
	if (ret == CLI_BAD_INPUT && ra.dump_on_error)
		view_dump(script_memblock(&ctx), stdout, &vopts);
	if (ret != CLI_BAD_INPUT)
		for (int i = 0; i < ra.n_show; i++)
			view_show(script_memblock(&ctx), ra.show[i], stdout, &vopts);
	if (map_out_wanted(&ra.map)) {
		struct mbr_map *map = map_script_finish(&ms, script_memblock(&ctx), ra.path);

		if (map_out_write(&ra.map, "run", map, NULL) && ret == CLI_OK)
			ret = CLI_FAILED;
		mbr_map_free(map);
	}
	if (doc) {
		fprintf(doc, ",\"script\":");
		mb_json_string(doc, ra.path);
		fprintf(doc, ",\"state\":");
		view_json(script_memblock(&ctx), doc);
		json_doc_close(doc, ret);
	}
	fflush(stdout);
	script_ctx_fini(&ctx);
	return ret;
}
