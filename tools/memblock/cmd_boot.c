/* SPDX-License-Identifier: MIT */
/*
 * cmd_boot.c - `memblock boot`: run an architecture's memblock boot
 * sequence on a preset or custom machine (src/sim), show its log and the
 * final state, or boot twice and show what changed (--diff).
 */
#define _POSIX_C_SOURCE 200809L /* strtok_r */
#include <dirent.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "boot_payload.h"
#include "cli.h"
#include "map_out.h"
#include "views.h"
#include <memblock/sim.h>

#define MAX_VIEWS 8
#define MAX_CMDLINES 2
#define MAX_FAULTS 32

struct boot_args {
	struct sim_machine machine;
	bool have_machine;
	bool custom; /* --arch / --mem given */
	const char *cmdlines[MAX_CMDLINES];
	int nr_cmdlines;
	const char *faults[MAX_FAULTS + 1];
	int nr_faults;
	const char *faults_file;
	bool kinds[SIM_LINE_COUNT];
	bool kinds_set;
	bool dmesg;
	bool diff;
	bool quiet;
	enum view_id views[MAX_VIEWS];
	int nr_views;
	bool report;	  /* --view boot */
	bool report_json; /* --view boot-json */
	struct map_out map;
	bool payload;	  /* --payload: the metal payloads' boot, not a kernel's */
};

static void usage(FILE *out)
{
	fprintf(out,
		"usage: memblock boot (--preset NAME | --machine FILE | --arch ARCH --mem BASE:SIZE[:NID],...)\n"
		"                     [--cmdline TEXT] [--kernel-size SIZE] [--initrd BASE:SIZE]\n"
		"                     [--dtb-at BASE:SIZE] [--cpus N] [--fault F]... [--faults FILE]\n"
		"                     [--show trace,fw,memtest,dump,kernel|all|none] [--raw]\n"
		"                     [--view dump|debugfs-memory|debugfs-reserved|iomem|free|summary|json|boot|boot-json]...\n"
		"                     [--json] [--diff --cmdline A [--cmdline B]] [--list]\n"
		"                     " MAP_OUT_USAGE "\n"
		"                     [--image BASE:SIZE] [--payload]\n"
		"\n"
		"Boots the machine: prints the kernel log lines memblock makes or shows\n"
		"(dmesg style), then the views asked for. --diff boots twice (the machine's\n"
		"command line plus A, then plus B; with one --cmdline, without and with it)\n"
		"and prints what changed. --html / --svg also write the memory map (both\n"
		"boots on one axis with --diff) as a self-contained page.\n"
		"--payload runs the early boot of the metal/ payloads instead of a kernel's\n"
		"(firmware from --dtb/--dtb-at or --e820/--srat, image at --image).\n"
		"Presets: %s (MEMBLOCK_PRESETS overrides); --list shows each with its\n"
		"kernel profile. Profiles linux-5.4 and linux-4.x (presets arm-vexpress,\n"
		"riscv-virt-1g) are unverified: no kernel source to check them against\n"
		"(docs/core.md).\n",
		sim_preset_dir());
}

static const char *const kind_names[SIM_LINE_COUNT] = {
	[SIM_LINE_TRACE] = "trace", [SIM_LINE_FW] = "fw", [SIM_LINE_MEMTEST] = "memtest",
	[SIM_LINE_DUMP] = "dump", [SIM_LINE_KERNEL] = "kernel",
};

static int parse_show(struct boot_args *a, const char *list)
{
	char buf[256], *tok, *save = NULL;

	if (strlen(list) >= sizeof(buf))
		return -1;
	strcpy(buf, list);
	memset(a->kinds, 0, sizeof(a->kinds));
	a->kinds_set = true;
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		bool found = false;

		if (!strcmp(tok, "none"))
			continue;
		for (int k = 0; k < SIM_LINE_COUNT; k++) {
			if (!strcmp(tok, "all") || !strcmp(tok, kind_names[k])) {
				a->kinds[k] = true;
				found = true;
			}
		}
		if (!found)
			return -1;
	}
	return 0;
}

static int add_view(struct boot_args *a, const char *name)
{
	enum view_id v;
	const char *arg = NULL;
	char buf[64];

	if (!strcmp(name, "boot") || !strcmp(name, "boot-json")) {
		a->report = true;
		a->report_json = !strcmp(name, "boot-json");
		return 0;
	}
	if (a->nr_views >= MAX_VIEWS || strlen(name) >= sizeof(buf))
		return -1;
	strcpy(buf, name);
	if (!strncmp(buf, "debugfs-", 8)) {
		arg = buf + 8;
		buf[7] = '\0';
	}
	if (view_lookup(buf, arg, &v))
		return -1;
	a->views[a->nr_views++] = v;
	return 0;
}

/* A profile the user picked (--set, --machine); presets say it in --list. */
static void warn_unverified(const struct sim_machine *m)
{
	const struct mb_profile *p = mb_profile(m->profile);

	if (p && p->unverified)
		fprintf(stderr,
			"memblock boot: warning: profile %s is unverified (no kernel source to "
			"check it against; see docs/core.md)\n",
			p->name);
}

static int set(struct boot_args *a, const char *key, const char *value)
{
	char err[256];

	if (sim_machine_set(&a->machine, key, value, err, sizeof(err))) {
		fprintf(stderr, "memblock boot: %s\n", err);
		return -1;
	}
	if (!strcmp(key, "profile"))
		warn_unverified(&a->machine);
	return 0;
}

/* --mem BASE:SIZE[:NID],... */
static int set_mem(struct boot_args *a, const char *list)
{
	char buf[1024], *tok, *save = NULL;

	if (strlen(list) >= sizeof(buf))
		return -1;
	strcpy(buf, list);
	a->machine.nr_ram = 0;
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
		if (set(a, "ram", tok))
			return -1;
	return 0;
}

static int set_pair(struct boot_args *a, const char *value, const char *kbase,
		    const char *ksize)
{
	char buf[128], *colon;

	if (strlen(value) >= sizeof(buf) || !(colon = strchr(value, ':')))
		return -1;
	strcpy(buf, value);
	buf[colon - value] = '\0';
	return set(a, kbase, buf) || set(a, ksize, buf + (colon - value) + 1) ? -1 : 0;
}

static int load_preset(struct boot_args *a, const char *name)
{
	char err[512];

	if (sim_preset_load(&a->machine, name, NULL, err, sizeof(err))) {
		fprintf(stderr, "memblock boot: %s\n", err);
		return -1;
	}
	a->have_machine = true;
	return 0;
}

static int load_machine(struct boot_args *a, const char *path)
{
	char err[512];

	if (sim_machine_load(&a->machine, path, err, sizeof(err))) {
		fprintf(stderr, "memblock boot: %s\n", err);
		return -1;
	}
	warn_unverified(&a->machine);
	a->have_machine = true;
	return 0;
}

static int set_kernel_size(struct boot_args *a, const char *value)
{
	char buf[64];
	struct sim_machine *m = &a->machine;

	if (set(a, "kernel.end", value))
		return -1;
	m->kernel.end += m->kernel.start;
	snprintf(buf, sizeof(buf), "%llx-%llx", (unsigned long long)m->kernel.start,
		 (unsigned long long)m->kernel.end - 1);
	return set(a, "kernel.text", buf);
}

/* --image BASE:SIZE: where the image really is (a payload's load address, bytes to its end). */
static int set_image(struct boot_args *a, const char *value)
{
	struct sim_machine *m = &a->machine;
	uint64_t base;
	char buf[64];

	if (set_pair(a, value, "kernel.start", "kernel.end"))
		return -1;
	base = m->kernel.start;
	if (m->kernel.end > UINT64_MAX - base)
		return -1;
	m->kernel.end += base;
	snprintf(buf, sizeof(buf), "%llx-%llx", (unsigned long long)base,
		 (unsigned long long)m->kernel.end - 1);
	return set(a, "kernel.text", buf);
}

/* One preset per line: name, then its profile, marked when unverified. */
static int list_presets(void)
{
	struct dirent **names;
	int n = scandir(sim_preset_dir(), &names, NULL, alphasort);

	if (n < 0) {
		fprintf(stderr, "memblock boot: cannot read %s\n", sim_preset_dir());
		return CLI_FAILED;
	}
	for (int i = 0; i < n; i++) {
		struct sim_machine m;
		char path[1024], err[256];
		const struct mb_profile *p;

		snprintf(path, sizeof(path), "%s/%s/machine.conf", sim_preset_dir(),
			 names[i]->d_name);
		sim_machine_init(&m, SIM_ARCH_RISCV64);
		if (names[i]->d_name[0] != '.' && !sim_machine_load(&m, path, err, sizeof(err))) {
			p = mb_profile(m.profile);
			printf("%-16s %s%s\n", names[i]->d_name, p->name,
			       p->unverified ? " (unverified)" : "");
		}
		free(names[i]);
	}
	free(names);
	return CLI_OK;
}

enum {
	OPT_PRESET = 256, OPT_MACHINE, OPT_ARCH, OPT_MEM, OPT_CMDLINE, OPT_KSIZE, OPT_INITRD,
	OPT_DTBAT, OPT_CPUS, OPT_FAULT, OPT_FAULTS, OPT_SHOW, OPT_RAW, OPT_VIEW, OPT_JSON,
	OPT_DIFF, OPT_LIST, OPT_E820, OPT_SRAT, OPT_DTB, OPT_QUIET, OPT_HELP, OPT_SET, OPT_HTML,
	OPT_SVG, OPT_IMAGE, OPT_PAYLOAD
};

static const struct option long_opts[] = {
	{ "preset", required_argument, NULL, OPT_PRESET },
	{ "machine", required_argument, NULL, OPT_MACHINE },
	{ "arch", required_argument, NULL, OPT_ARCH },
	{ "mem", required_argument, NULL, OPT_MEM },
	{ "cmdline", required_argument, NULL, OPT_CMDLINE },
	{ "kernel-size", required_argument, NULL, OPT_KSIZE },
	{ "initrd", required_argument, NULL, OPT_INITRD },
	{ "dtb-at", required_argument, NULL, OPT_DTBAT },
	{ "cpus", required_argument, NULL, OPT_CPUS },
	{ "fault", required_argument, NULL, OPT_FAULT },
	{ "faults", required_argument, NULL, OPT_FAULTS },
	{ "show", required_argument, NULL, OPT_SHOW },
	{ "raw", no_argument, NULL, OPT_RAW },
	{ "view", required_argument, NULL, OPT_VIEW },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "diff", no_argument, NULL, OPT_DIFF },
	{ "list", no_argument, NULL, OPT_LIST },
	{ "e820", required_argument, NULL, OPT_E820 },
	{ "srat", required_argument, NULL, OPT_SRAT },
	{ "dtb", required_argument, NULL, OPT_DTB },
	{ "set", required_argument, NULL, OPT_SET },
	{ "quiet", no_argument, NULL, OPT_QUIET },
	{ "help", no_argument, NULL, OPT_HELP },
	{ "html", required_argument, NULL, OPT_HTML },
	{ "svg", required_argument, NULL, OPT_SVG },
	{ "image", required_argument, NULL, OPT_IMAGE },
	{ "payload", no_argument, NULL, OPT_PAYLOAD },
	{ NULL, 0, NULL, 0 },
};

/* --arch starts from the arch's defaults but keeps the RAM given so far. */
static int set_arch(struct boot_args *a, const char *arch)
{
	struct sim_ram ram[SIM_MAX_RAM];
	int nr = a->machine.nr_ram;

	memcpy(ram, a->machine.ram, sizeof(ram));
	if (set(a, "arch", arch))
		return -1;
	memcpy(a->machine.ram, ram, sizeof(ram));
	a->machine.nr_ram = nr;
	a->custom = true;
	a->have_machine = true;
	return 0;
}

static const char *option_name(int opt)
{
	for (size_t i = 0; long_opts[i].name; i++)
		if (long_opts[i].val == opt)
			return long_opts[i].name;
	return "?";
}

static int set_kv(struct boot_args *a, const char *kv)
{
	char buf[1200], *eq;

	if (strlen(kv) >= sizeof(buf) || !(eq = strchr(kv, '=')))
		return -1;
	strcpy(buf, kv);
	buf[eq - kv] = '\0';
	return set(a, buf, buf + (eq - kv) + 1);
}

/* Options that take a file, a list or a pair. */
static int apply_input(struct boot_args *a, int opt, const char *arg)
{
	switch (opt) {
	case OPT_PRESET:
		return load_preset(a, arg);
	case OPT_MACHINE:
		return load_machine(a, arg);
	case OPT_ARCH:
		return set_arch(a, arg);
	case OPT_MEM:
		a->custom = true;
		a->have_machine = true;
		return set_mem(a, arg);
	case OPT_KSIZE:
		return set_kernel_size(a, arg);
	case OPT_INITRD:
		return set_pair(a, arg, "initrd.base", "initrd.size");
	case OPT_DTBAT:
		return set_pair(a, arg, "dtb.base", "dtb.size");
	case OPT_CPUS:
		return set(a, "cpus", arg);
	case OPT_E820:
		a->have_machine = true;
		return set(a, "e820", arg);
	case OPT_SRAT:
		return set(a, "srat", arg);
	case OPT_DTB:
		a->have_machine = true;
		return set(a, "dtb", arg);
	case OPT_SET:
		return set_kv(a, arg);
	case OPT_IMAGE:
		return set_image(a, arg);
	default:
		return 1; /* not an input option */
	}
}

static int apply_option(struct boot_args *a, int opt, const char *arg)
{
	int ret = apply_input(a, opt, arg);

	if (ret <= 0)
		return ret;
	switch (opt) {
	case OPT_CMDLINE:
		if (a->nr_cmdlines >= MAX_CMDLINES)
			return -1;
		a->cmdlines[a->nr_cmdlines++] = arg;
		return 0;
	case OPT_FAULT:
		if (a->nr_faults >= MAX_FAULTS)
			return -1;
		a->faults[a->nr_faults++] = arg;
		return 0;
	case OPT_FAULTS:
		a->faults_file = arg;
		return 0;
	case OPT_SHOW:
		return parse_show(a, arg);
	case OPT_RAW:
		a->dmesg = false;
		return 0;
	case OPT_VIEW:
		return add_view(a, arg);
	case OPT_JSON:
		return add_view(a, "json");
	case OPT_DIFF:
		a->diff = true;
		return 0;
	case OPT_QUIET:
		a->quiet = true;
		return 0;
	case OPT_HTML:
		a->map.html = arg;
		return 0;
	case OPT_SVG:
		a->map.svg = arg;
		return 0;
	case OPT_PAYLOAD:
		a->payload = true;
		return 0;
	default:
		return -1;
	}
}

struct line_out {
	const struct boot_args *args;
	FILE *out;
};

static void print_line(void *ctx, enum sim_line_kind kind, const char *text)
{
	const struct line_out *lo = ctx;

	if (!lo->args->kinds[kind])
		return;
	if (lo->args->dmesg)
		fputs("[    0.000000] ", lo->out);
	fputs(text, lo->out);
	fputc('\n', lo->out);
}

static struct sim_options boot_options(const struct boot_args *a, const char *cmdline)
{
	return (struct sim_options){
		.extra_cmdline = cmdline,
		.faults_file = a->faults_file,
		.faults = a->faults,
	};
}

/* --html / --svg: the map of one boot, or of two on a shared axis. */
static int write_maps(const struct boot_args *a, const char *ca, const char *la,
		      const char *cb, const char *lb)
{
	struct sim_options oa = boot_options(a, ca), ob = boot_options(a, cb);
	struct mbr_map *ma = map_of_boot(&a->machine, &oa, la);
	struct mbr_map *mb = lb ? map_of_boot(&a->machine, &ob, lb) : NULL;
	int ret = lb && !mb ? -1 : map_out_write(&a->map, "boot", ma, mb);

	if (lb && !mb)
		fprintf(stderr, "memblock boot: cannot draw the map of %s\n", lb);

	mbr_map_free(ma);
	mbr_map_free(mb);
	return ret ? CLI_FAILED : CLI_OK;
}

static int boot_once(const struct boot_args *a, const char *cmdline, bool print,
		     struct sim_boot **out)
{
	struct line_out lo = { a, stdout };
	struct sim_sink sink = { print_line, &lo };
	struct sim_options opts = boot_options(a, cmdline);
	int ret = sim_boot(&a->machine, &opts, print ? &sink : NULL, out);

	if (ret)
		fprintf(stderr, "memblock boot: cannot boot %s: %s\n", a->machine.name,
			mb_strerror(ret));
	return ret;
}

static int run_diff(const struct boot_args *a)
{
	const char *ca = a->nr_cmdlines == 2 ? a->cmdlines[0] : NULL;
	const char *cb = a->cmdlines[a->nr_cmdlines == 2 ? 1 : 0];
	char la[SIM_CMDLINE_MAX + 32], lb[SIM_CMDLINE_MAX + 32];
	struct sim_boot *ba = NULL, *bb = NULL;

	if (boot_once(a, ca, !a->quiet && a->kinds_set, &ba) ||
	    boot_once(a, cb, !a->quiet && a->kinds_set, &bb)) {
		sim_boot_free(ba);
		return CLI_FAILED;
	}
	snprintf(la, sizeof(la), "%s %s", a->machine.name, ca ? ca : "(as is)");
	snprintf(lb, sizeof(lb), "%s %s", a->machine.name, cb);
	sim_diff(ba, bb, la, lb, stdout);
	sim_boot_free(ba);
	sim_boot_free(bb);
	return map_out_wanted(&a->map) ? write_maps(a, ca, la, cb, lb) : CLI_OK;
}

static int run_boot(const struct boot_args *a)
{
	struct sim_boot *b;
	struct view_opts vo = { .dmesg = a->dmesg };
	const struct sim_stats *st;

	if (boot_once(a, a->nr_cmdlines ? a->cmdlines[0] : NULL, !a->quiet, &b))
		return CLI_FAILED;
	for (int i = 0; i < a->nr_views; i++)
		view_show(sim_boot_memblock(b), a->views[i], stdout, &vo);
	if (a->report)
		sim_report(b, stdout, a->report_json);
	st = sim_boot_stats(b);
	for (int i = 0; i < st->nr_failures; i++)
		fprintf(stderr, "memblock boot: failed: %s\n", st->failures[i].message);
	sim_boot_free(b);
	if (!map_out_wanted(&a->map))
		return CLI_OK;
	return write_maps(a, a->nr_cmdlines ? a->cmdlines[0] : NULL, a->machine.name, NULL, NULL);
}

int cmd_boot(int argc, char **argv)
{
	static struct boot_args a;
	int opt;

	memset(&a, 0, sizeof(a));
	sim_machine_init(&a.machine, SIM_ARCH_RISCV64);
	a.dmesg = true;
	for (int k = 0; k < SIM_LINE_COUNT; k++)
		a.kinds[k] = true;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "h", long_opts, NULL)) != -1) {
		if (opt == 'h' || opt == OPT_HELP) {
			usage(stdout);
			return CLI_OK;
		}
		if (opt == OPT_LIST)
			return list_presets();
		if (opt == '?' || apply_option(&a, opt, optarg)) {
			if (opt != '?')
				fprintf(stderr, "memblock boot: bad value for --%s: '%s'\n",
					option_name(opt), optarg ? optarg : "");
			usage(stderr);
			return CLI_BAD_INPUT;
		}
	}
	if (optind < argc || !a.have_machine) {
		usage(stderr);
		return CLI_BAD_INPUT;
	}
	if (a.payload)
		return boot_payload(&a.machine, a.dmesg);
	if (a.diff) {
		if (!a.nr_cmdlines) {
			fprintf(stderr, "memblock boot: --diff needs --cmdline\n");
			return CLI_BAD_INPUT;
		}
		return run_diff(&a);
	}
	return run_boot(&a);
}
