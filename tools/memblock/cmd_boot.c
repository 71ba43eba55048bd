/* SPDX-License-Identifier: MIT */
/*
 * cmd_boot.c - `memblock boot`: run an architecture's memblock boot
 * sequence on a preset or custom machine (src/sim), show its log and the
 * final state, or boot twice and show what changed (--diff).
 */
#define _POSIX_C_SOURCE 200809L /* strtok_r, open_memstream, scandir */
#include <dirent.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "boot_payload.h"
#include "cli.h"
#include "dts.h"
#include "json_out.h"
#include "map_out.h"
#include "views.h"
#include <memblock/host_index.h>
#include <memblock/sim.h>
#include <memblock/trace.h>

#define MAX_VIEWS 8
#define MAX_CMDLINES 2
#define MAX_FAULTS 32

/* The options that choose the machine: applied first, whatever their order. */
enum machine_opt { MO_PRESET, MO_MACHINE, MO_ARCH, MO_MEM, MO_DTB, MO_E820, MO_SRAT, MO_COUNT };

#define MAX_DEFERRED 64

struct boot_args {
	struct sim_machine machine;
	const char *mo[MO_COUNT];
	struct {
		int opt;
		const char *arg;
	} deferred[MAX_DEFERRED];
	int nr_deferred;
	const char *cmdlines[MAX_CMDLINES];
	int nr_cmdlines;
	const char *faults[MAX_FAULTS + 1];
	int nr_faults;
	const char *faults_file;
	const char *diff_sets[MAX_FAULTS]; /* --diff-set: the second boot only */
	int nr_diff_sets;
	bool kinds[SIM_LINE_COUNT];
	bool kinds_set;
	bool dmesg;
	bool diff;
	bool quiet;
	enum view_id views[MAX_VIEWS];
	int nr_views;
	bool report; /* --view boot */
	bool json;   /* --json, --view json, --view boot-json: one document */
	struct map_out map;
	bool payload;	  /* --payload: the metal payloads' boot, not a kernel's */
	const char *index; /* --index */
};

static void usage(FILE *out)
{
	fprintf(out,
		"usage: memblock boot (--preset NAME | --machine FILE | --arch ARCH --mem LIST |\n"
		"                      --dtb FILE | --e820 FILE) [OPTIONS]\n"
		"\n"
		"Boots a simulated machine: prints the kernel log lines memblock makes or\n"
		"shows (dmesg style), then the views asked for. Options may come in any\n"
		"order: the machine (--preset, --machine, --arch) is set up first.\n"
		"\n"
		"machine:\n"
		"  --preset NAME         a preset machine (--list shows them)\n"
		"  --machine FILE        a machine file (docs/boot.md)\n"
		"  --arch ARCH           riscv64, arm, arm64 or x86_64, with its defaults\n"
		"  --mem BASE:SIZE[:NID],...  RAM banks\n"
		"  --e820 FILE           x86 firmware memory map\n"
		"  --srat FILE           x86 ACPI SRAT (NUMA)\n"
		"  --dtb FILE            device tree (.dtb or .dts: memory, reserved-memory,\n"
		"                        bootargs, NUMA); the arch comes from its cpu nodes\n"
		"                        unless --arch is given\n"
		"  --kernel-size SIZE    kernel image size\n"
		"  --initrd BASE:SIZE    initrd as the boot loader placed it\n"
		"  --dtb-at BASE:SIZE    where the DTB was placed\n"
		"  --cpus N              CPUs (percpu units)\n"
		"  --set KEY=VALUE       any machine file key\n"
		"  --cmdline TEXT        appended to the machine's command line (twice with --diff)\n"
		"  --fault F             inject a bad memory cell (memblock memtest --help)\n"
		"  --faults FILE         one --fault per line\n"
		"  --image BASE:SIZE     where the image really is (a payload's load address)\n"
		"  --payload             run the early boot of the metal/ payloads instead of a\n"
		"                        kernel's (firmware from --dtb/--dtb-at or --e820/--srat)\n"
		"  --index MODE          region index: auto (default: indexed from 4,096\n"
		"                        regions), on or off (flat arrays, as Linux; --payload\n"
		"                        is always flat); the output is the same\n"
		"\n"
		"output:\n"
		"  --show KINDS          trace,fw,memtest,dump,kernel | all | none (default all)\n"
		"  --raw                 no \"[    0.000000] \" prefix\n"
		"  --quiet               no log lines\n"
		"  --view VIEW           after the boot: dump, debugfs-memory, debugfs-reserved,\n"
		"                        iomem, free, summary, boot (repeatable); json and\n"
		"                        boot-json are --json\n"
		"  --json                one JSON document on stdout (docs/json.md), log on stderr\n"
		"  --html FILE           also write the memory map as a self-contained page\n"
		"  --svg FILE            the same as an SVG picture (--diff: both boots, one axis)\n"
		"\n"
		"what-if:\n"
		"  --diff                boot twice and show what changed, owners first: with\n"
		"                        one --cmdline X, without and with X; with two, A and B\n"
		"  --diff-set KEY=VALUE  a machine key set for the second boot only\n"
		"\n"
		"  --list                the presets, with the machine each one is\n"
		"  -h, --help            this text\n"
		"\n"
		"Presets: %s (MEMBLOCK_PRESETS overrides). Profiles linux-5.4 and\n"
		"linux-4.x (presets arm-vexpress, riscv-virt-1g) are unverified: no kernel\n"
		"source to check them against (docs/core.md).\n"
		"exit status: 0 the boot survives, 1 a real kernel would not survive it\n"
		"(panic, kernel larger than RAM: the simulation goes on and says so),\n"
		"2 bad usage or input.\n",
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

	if (!strcmp(name, "boot")) {
		a->report = true;
		return 0;
	}
	if (!strcmp(name, "boot-json") || !strcmp(name, "json")) {
		a->json = true;
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

/* The leading comment of a preset's machine.conf, on one line. */
static void preset_summary(const char *dir, const char *name, char *out, size_t len)
{
	char path[1024], line[256];
	size_t n = 0;
	FILE *f;

	out[0] = '\0';
	snprintf(path, sizeof(path), "%s/%s/machine.conf", dir, name);
	f = fopen(path, "r");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f) && line[0] == '#') {
		char *t = line + 1;

		t += strspn(t, " ");
		t[strcspn(t, "\n")] = '\0';
		if (!n && !strncmp(t, name, strlen(name)) && t[strlen(name)] == ':')
			t += strlen(name) + 1 + strspn(t + strlen(name) + 1, " ");
		n += (size_t)snprintf(out + n, n < len ? len - n : 0, "%s%s", n ? " " : "", t);
		if (n >= len)
			break;
	}
	fclose(f);
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

/* One preset per entry: name, profile (marked when unverified), the machine it is. */
static int list_presets(void)
{
	struct dirent **names;
	int n = scandir(sim_preset_dir(), &names, NULL, alphasort);

	if (n < 0) {
		fprintf(stderr, "memblock boot: cannot read %s\n", sim_preset_dir());
		return CLI_FAILED;
	}
	printf("presets in %s (each has a README.md with its sources):\n", sim_preset_dir());
	for (int i = 0; i < n; i++) {
		static struct sim_machine m;
		char path[1024], err[256], desc[1024];
		const struct mb_profile *p;

		snprintf(path, sizeof(path), "%s/%s/machine.conf", sim_preset_dir(),
			 names[i]->d_name);
		sim_machine_init(&m, SIM_ARCH_RISCV64);
		if (names[i]->d_name[0] != '.' && !sim_machine_load(&m, path, err, sizeof(err))) {
			p = mb_profile(m.profile);
			preset_summary(sim_preset_dir(), names[i]->d_name, desc, sizeof(desc));
			printf("%-16s %s%s\n    %s\n", names[i]->d_name, p->name,
			       p->unverified ? " (unverified)" : "", desc[0] ? desc : "");
		}
		free(names[i]);
	}
	free(names);
	return CLI_OK;
}

enum {
	OPT_PRESET = 256, OPT_MACHINE, OPT_ARCH, OPT_MEM, OPT_CMDLINE, OPT_KSIZE, OPT_INITRD,
	OPT_DTBAT, OPT_CPUS, OPT_FAULT, OPT_FAULTS, OPT_SHOW, OPT_RAW, OPT_VIEW, OPT_JSON,
	OPT_DIFF, OPT_LIST, OPT_E820, OPT_SRAT, OPT_DTB, OPT_QUIET, OPT_HELP, OPT_SET,
	OPT_DIFF_SET, OPT_HTML, OPT_SVG, OPT_IMAGE, OPT_PAYLOAD, OPT_INDEX
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
	{ "diff-set", required_argument, NULL, OPT_DIFF_SET },
	{ "quiet", no_argument, NULL, OPT_QUIET },
	{ "help", no_argument, NULL, OPT_HELP },
	{ "html", required_argument, NULL, OPT_HTML },
	{ "svg", required_argument, NULL, OPT_SVG },
	{ "image", required_argument, NULL, OPT_IMAGE },
	{ "payload", no_argument, NULL, OPT_PAYLOAD },
	{ "index", required_argument, NULL, OPT_INDEX },
	{ NULL, 0, NULL, 0 },
};

static int bad_usage(void)
{
	cli_hint("boot");
	return CLI_BAD_INPUT;
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
	case OPT_KSIZE:
		return set_kernel_size(a, arg);
	case OPT_INITRD:
		return set_pair(a, arg, "initrd.base", "initrd.size");
	case OPT_DTBAT:
		return set_pair(a, arg, "dtb.base", "dtb.size");
	case OPT_CPUS:
		return set(a, "cpus", arg);
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
		a->json = true;
		return 0;
	case OPT_INDEX: {
		enum mb_index_mode mode;

		a->index = arg;
		return mb_index_mode_parse(arg, &mode) ? -1 : 0; /* "bad value for --index" */
	}
	case OPT_DIFF:
		a->diff = true;
		return 0;
	case OPT_DIFF_SET:
		if (a->nr_diff_sets >= MAX_FAULTS || !strchr(arg, '='))
			return -1;
		a->diff_sets[a->nr_diff_sets++] = arg;
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

static const int mo_option[MO_COUNT] = {
	[MO_PRESET] = OPT_PRESET, [MO_MACHINE] = OPT_MACHINE, [MO_ARCH] = OPT_ARCH,
	[MO_MEM] = OPT_MEM,	  [MO_DTB] = OPT_DTB,	      [MO_E820] = OPT_E820,
	[MO_SRAT] = OPT_SRAT,
};

static int conflict(const struct boot_args *a, enum machine_opt x, enum machine_opt y,
		    const char *why)
{
	fprintf(stderr, "memblock boot: --%s %s conflicts with --%s %s: %s\n",
		option_name(mo_option[x]), a->mo[x], option_name(mo_option[y]), a->mo[y], why);
	return -1;
}

/* Pairs of machine options that never go together, and why. */
static int check_pairs(const struct boot_args *a)
{
	static const struct {
		enum machine_opt x, y;
		const char *why;
	} pairs[] = {
		{ MO_PRESET, MO_MACHINE, "give one machine" },
		{ MO_DTB, MO_E820, "a machine boots from a device tree or from E820, not both" },
		{ MO_MEM, MO_DTB, "the device tree's /memory nodes give the RAM" },
		{ MO_MEM, MO_E820, "the E820 map gives the RAM" },
		{ MO_SRAT, MO_DTB, "SRAT is x86 firmware; a device tree gives NUMA with numa-node-id" },
	};

	for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++)
		if (a->mo[pairs[i].x] && a->mo[pairs[i].y])
			return conflict(a, pairs[i].x, pairs[i].y, pairs[i].why);
	return 0;
}

/* The arch a DTB, E820 or SRAT input implies; -1 when none does. */
static int implied_arch(const struct boot_args *a, enum machine_opt *from)
{
	enum sim_arch arch;

	if (a->mo[MO_DTB] && !sim_dt_arch(a->mo[MO_DTB], &arch)) {
		*from = MO_DTB;
		return (int)arch;
	}
	for (enum machine_opt o = MO_E820; o <= MO_SRAT; o++) {
		if (a->mo[o]) {
			*from = o;
			return SIM_ARCH_X86_64;
		}
	}
	return -1;
}

static int arch_conflict(const struct boot_args *a, enum machine_opt with, enum sim_arch arch)
{
	char why[96];

	if (with == MO_DTB && arch == SIM_ARCH_X86_64)
		snprintf(why, sizeof(why), "x86_64 boots from E820, not a device tree");
	else if (with == MO_DTB)
		snprintf(why, sizeof(why), "the device tree is made for %s", sim_arch_name(arch));
	else if (with == MO_E820 || with == MO_SRAT)
		snprintf(why, sizeof(why), "only x86_64 boots from E820 and SRAT");
	else
		snprintf(why, sizeof(why), "that is a %s machine", sim_arch_name(arch));
	return conflict(a, MO_ARCH, with, why);
}

static bool has_deferred(const struct boot_args *a, int opt)
{
	for (int i = 0; i < a->nr_deferred; i++)
		if (a->deferred[i].opt == opt)
			return true;
	return false;
}

/* The base machine: preset, machine file, or the defaults of an arch. */
static int base_machine(struct boot_args *a, enum sim_arch *arch, enum machine_opt *base)
{
	enum machine_opt from;
	int implied;

	*base = MO_COUNT;
	if (a->mo[MO_PRESET] || a->mo[MO_MACHINE]) {
		*base = a->mo[MO_PRESET] ? MO_PRESET : MO_MACHINE;
		if (*base == MO_PRESET ? load_preset(a, a->mo[MO_PRESET])
				       : load_machine(a, a->mo[MO_MACHINE]))
			return -1;
		*arch = a->machine.arch;
		return 0;
	}
	/* --payload names its own missing firmware (boot_payload.c). */
	if (!a->mo[MO_MEM] && !a->mo[MO_DTB] && !a->mo[MO_E820] &&
	    !(a->mo[MO_ARCH] && has_deferred(a, OPT_PAYLOAD))) {
		fprintf(stderr, "memblock boot: no machine: give --preset, --machine, "
				"--arch with --mem, --dtb or --e820\n");
		return -1;
	}
	implied = implied_arch(a, &from);
	if (a->mo[MO_ARCH]) {
		if (sim_arch_parse(a->mo[MO_ARCH], arch)) {
			fprintf(stderr, "memblock boot: unknown arch '%s' (riscv64, arm, arm64, x86_64)\n",
				a->mo[MO_ARCH]);
			return -1;
		}
	} else {
		*arch = implied >= 0 ? (enum sim_arch)implied : SIM_ARCH_RISCV64;
	}
	sim_machine_init(&a->machine, *arch);
	return 0;
}

/* Build the machine from the machine options; 0 or -1 (message printed). */
static int build_machine(struct boot_args *a)
{
	enum machine_opt base, from;
	enum sim_arch arch, want;
	int implied;

	if (check_pairs(a) || base_machine(a, &arch, &base))
		return -1;
	if (a->mo[MO_ARCH] && base != MO_COUNT) {
		if (sim_arch_parse(a->mo[MO_ARCH], &want)) {
			fprintf(stderr, "memblock boot: unknown arch '%s'\n", a->mo[MO_ARCH]);
			return -1;
		}
		if (want != arch)
			return arch_conflict(a, base, arch);
	}
	implied = implied_arch(a, &from);
	if (implied >= 0 && (enum sim_arch)implied != arch) {
		if (a->mo[MO_ARCH])
			return arch_conflict(a, from, (enum sim_arch)implied);
		if (base != MO_COUNT) {
			char why[64];

			snprintf(why, sizeof(why), "that is a %s machine", sim_arch_name(arch));
			return conflict(a, from, base, why);
		}
	}
	if (a->mo[MO_DTB] && set(a, "dtb", a->mo[MO_DTB]))
		return -1;
	if (a->mo[MO_E820] && set(a, "e820", a->mo[MO_E820]))
		return -1;
	if (a->mo[MO_SRAT] && set(a, "srat", a->mo[MO_SRAT]))
		return -1;
	if (a->mo[MO_MEM] && set_mem(a, a->mo[MO_MEM])) {
		fprintf(stderr, "memblock boot: bad value for --mem: '%s'\n", a->mo[MO_MEM]);
		return -1;
	}
	return 0;
}

/* Remember one option: machine options by kind, the rest in order. */
static int record_option(struct boot_args *a, int opt, const char *arg)
{
	for (int o = 0; o < MO_COUNT; o++) {
		if (mo_option[o] != opt)
			continue;
		if (a->mo[o]) {
			fprintf(stderr, "memblock boot: --%s given twice ('%s', '%s')\n",
				option_name(opt), a->mo[o], arg);
			return -1;
		}
		a->mo[o] = arg;
		return 0;
	}
	if (a->nr_deferred >= MAX_DEFERRED) {
		fprintf(stderr, "memblock boot: too many options\n");
		return -1;
	}
	a->deferred[a->nr_deferred].opt = opt;
	a->deferred[a->nr_deferred].arg = arg;
	a->nr_deferred++;
	return 0;
}

/* The machine, then every other option in the order given. */
static int apply_all(struct boot_args *a)
{
	if (build_machine(a))
		return -1;
	for (int i = 0; i < a->nr_deferred; i++) {
		int opt = a->deferred[i].opt;
		const char *arg = a->deferred[i].arg;

		if (opt == OPT_CMDLINE && a->nr_cmdlines >= MAX_CMDLINES) {
			fprintf(stderr, "memblock boot: --cmdline given more than twice "
					"(--diff compares two)\n");
			return -1;
		}
		if (apply_option(a, opt, arg)) {
			fprintf(stderr, "memblock boot: bad value for --%s: '%s'\n",
				option_name(opt), arg ? arg : "");
			return -1;
		}
	}
	if (a->quiet && a->kinds_set && !a->diff) {
		fprintf(stderr, "memblock boot: --quiet conflicts with --show: "
				"--quiet prints no boot log\n");
		return -1;
	}
	return 0;
}

struct line_out {
	const struct boot_args *args;
	FILE *out;
	bool print;
	FILE *capture; /* every line, for the replay that attributes reservations */
};

static void capture_line(void *ctx, enum sim_line_kind kind, const char *text)
{
	const struct line_out *lo = ctx;

	(void)kind;
	if (lo->capture)
		fprintf(lo->capture, "%s\n", text);
}

static void print_line(void *ctx, enum sim_line_kind kind, const char *text)
{
	const struct line_out *lo = ctx;

	capture_line(ctx, kind, text);
	if (!lo->print || !lo->args->kinds[kind])
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
		.index = a->index,
	};
}

/* --html / --svg: the map of one boot, or of two (machines @ma, @mb) on a shared axis. */
static int write_maps(const struct boot_args *a, const struct sim_machine *ma_m, const char *ca,
		      const char *la, const struct sim_machine *mb_m, const char *cb,
		      const char *lb)
{
	struct sim_options oa = boot_options(a, ca), ob = boot_options(a, cb);
	struct mbr_map *ma = map_of_boot(ma_m, &oa, la);
	struct mbr_map *mb = lb ? map_of_boot(mb_m, &ob, lb) : NULL;
	int ret = lb && !mb ? -1 : map_out_write(&a->map, "boot", ma, mb);

	if (lb && !mb)
		fprintf(stderr, "memblock boot: cannot draw the map of %s\n", lb);
	mbr_map_free(ma);
	mbr_map_free(mb);
	return ret ? CLI_FAILED : CLI_OK;
}

static int boot_once(const struct boot_args *a, const struct sim_machine *m, const char *cmdline,
		     bool print, struct sim_boot **out, FILE *capture)
{
	struct line_out lo = { a, stdout, print, capture };
	struct sim_sink sink = { print_line, &lo }, trace = { capture_line, &lo };
	struct sim_options opts = boot_options(a, cmdline);

	int ret;

	opts.trace_sink = capture ? &trace : NULL;
	ret = sim_boot(m, &opts, &sink, out);

	if (ret)
		fprintf(stderr, "memblock boot: cannot boot %s: %s\n", a->machine.name,
			mb_strerror(ret));
	else if (sim_boot_stats(*out)->unmodelled[0])
		fprintf(stderr, "memblock boot: not simulated, the boot ignores: %s\n",
			sim_boot_stats(*out)->unmodelled);
	return ret;
}

/* One boot's log, replayed: who reserved what. */
struct attributed {
	struct sim_boot *boot;
	char *log;
	size_t len;
	struct mbt_replay *replay;
	struct mbt_analysis *an;
};

static void attributed_free(struct attributed *x)
{
	sim_boot_free(x->boot);
	free(x->log);
	mbt_replay_free(x->replay);
	mbt_analysis_free(x->an);
}

static int boot_attributed(const struct boot_args *a, const struct sim_machine *m,
			   const char *cmdline, struct attributed *x)
{
	struct mbt_options o = { .bottom_up = -1 };
	FILE *cap = open_memstream(&x->log, &x->len);
	int ret;

	if (!cap)
		return -1;
	ret = boot_once(a, m, cmdline, !a->quiet && a->kinds_set, &x->boot, cap);
	fclose(cap);
	if (ret)
		return -1;
	o.profile = mb_profile(a->machine.profile);
	o.phys_bits = (int)a->machine.phys_bits;
	o.index = a->index;
	x->replay = mbt_replay_new();
	x->an = mbt_analysis_new();
	if (!x->replay || !x->an)
		return -1;
	return mbt_replay_log(x->replay, x->log, x->len, &o, x->an) < 0 ? -1 : 0;
}

/* Boot B's machine: A's with every --diff-set applied. */
static int machine_b(const struct boot_args *a, struct sim_machine *m, char *label, size_t len)
{
	size_t n = strlen(label);

	*m = a->machine;
	for (int i = 0; i < a->nr_diff_sets; i++) {
		char buf[1200], err[256], *eq;

		snprintf(buf, sizeof(buf), "%s", a->diff_sets[i]);
		eq = strchr(buf, '=');
		*eq = '\0';
		if (sim_machine_set(m, buf, eq + 1, err, sizeof(err))) {
			fprintf(stderr, "memblock boot: --diff-set %s: %s\n", a->diff_sets[i], err);
			return -1;
		}
		n += snprintf(label + n, n < len ? len - n : 0, " [%s]", a->diff_sets[i]);
	}
	return 0;
}

static int run_diff(const struct boot_args *a, FILE *doc)
{
	const char *ca = a->nr_cmdlines == 2 ? a->cmdlines[0] : NULL;
	const char *cb = a->nr_cmdlines ? a->cmdlines[a->nr_cmdlines == 2 ? 1 : 0] : NULL;
	char la[SIM_CMDLINE_MAX + 32], lb[SIM_CMDLINE_MAX + 1024];
	struct attributed x = { 0 }, y = { 0 };
	static struct sim_machine mb;
	int ret = CLI_FAILED;

	snprintf(la, sizeof(la), "%s %s", a->machine.name, ca ? ca : "(as is)");
	snprintf(lb, sizeof(lb), "%s %s", a->machine.name, cb ? cb : "(as is)");
	if (machine_b(a, &mb, lb, sizeof(lb)))
		return CLI_BAD_INPUT;
	if (boot_attributed(a, &a->machine, ca, &x) || boot_attributed(a, &mb, cb, &y))
		goto out;
	if (doc) {
		fprintf(doc, ",\"a\":");
		mb_json_string(doc, la);
		fprintf(doc, ",\"b\":");
		mb_json_string(doc, lb);
		fprintf(doc, ",\"reservations\":");
		mbt_diff_report(x.an, x.replay, y.an, y.replay, doc, true);
		fprintf(doc, ",\"derived\":");
		sim_diff_stats(x.boot, y.boot, doc, true);
	} else {
		printf("--- A: %s\n+++ B: %s\n", la, lb);
		mbt_diff_report(x.an, x.replay, y.an, y.replay, stdout, false);
		printf("\nwhat the boot derived (A -> B):\n");
		if (!sim_diff_stats(x.boot, y.boot, stdout, false))
			printf("  no difference\n");
	}
	ret = CLI_OK;
	if (map_out_wanted(&a->map))
		ret = write_maps(a, &a->machine, ca, la, &mb, cb, lb);
out:
	attributed_free(&x);
	attributed_free(&y);
	return ret;
}

/* Every failure with its reason; a fatal one fails the boot. */
static void report_failures(const struct sim_stats *st)
{
	const struct sim_failure *first = NULL;

	for (int i = 0; i < st->nr_failures; i++) {
		const struct sim_failure *f = &st->failures[i];

		fprintf(stderr, "memblock boot: failed: %s\n", f->message);
		if (f->why[0])
			fprintf(stderr, "memblock boot:   why: %s\n", f->why);
		if (f->fatal && !first)
			first = f;
	}
	if (first)
		fprintf(stderr,
			"memblock boot: a real kernel does not survive this boot (%s); the "
			"simulation carried on past that point to show the rest\n",
			first->what);
}

static int run_boot(const struct boot_args *a, FILE *doc)
{
	struct sim_boot *b;
	struct view_opts vo = { .dmesg = a->dmesg };
	const struct sim_stats *st;
	int ret;

	if (boot_once(a, &a->machine, a->nr_cmdlines ? a->cmdlines[0] : NULL, !a->quiet, &b, NULL))
		return CLI_FAILED;
	for (int i = 0; i < a->nr_views; i++)
		view_show(sim_boot_memblock(b), a->views[i], stdout, &vo);
	if (a->report)
		sim_report(b, stdout, false);
	if (doc) {
		fprintf(doc, ",\"boot\":");
		sim_report(b, doc, true);
		fprintf(doc, ",\"state\":");
		view_json(sim_boot_memblock(b), doc);
	}
	st = sim_boot_stats(b);
	report_failures(st);
	ret = st->panicked ? CLI_FAILED : CLI_OK;
	sim_boot_free(b);
	if (map_out_wanted(&a->map) &&
	    write_maps(a, &a->machine, a->nr_cmdlines ? a->cmdlines[0] : NULL, a->machine.name,
		       NULL, NULL, NULL) != CLI_OK)
		ret = CLI_FAILED;
	return ret;
}

/* What the options cannot say alone; prints the reason. */
static int check_args(const struct boot_args *a)
{
	if (a->diff && !a->nr_cmdlines && !a->nr_diff_sets) {
		fprintf(stderr, "memblock boot: --diff needs --cmdline or --diff-set\n");
		return -1;
	}
	if (!a->diff && a->nr_cmdlines > 1) {
		fprintf(stderr, "memblock boot: a second --cmdline needs --diff\n");
		return -1;
	}
	if (a->json && (a->nr_views || a->report)) {
		fprintf(stderr, "memblock boot: text views (--view) cannot be combined with --json\n");
		return -1;
	}
	return 0;
}

int cmd_boot(int argc, char **argv)
{
	static struct boot_args a;
	FILE *doc = NULL;
	int opt, ret;

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
		if (opt == '?' || record_option(&a, opt, optarg))
			return bad_usage();
	}
	if (optind < argc) {
		fprintf(stderr, "memblock boot: unexpected argument '%s'\n", argv[optind]);
		return bad_usage();
	}
	if (a.mo[MO_DTB] && !(a.mo[MO_DTB] = cli_dtb_path("memblock boot", a.mo[MO_DTB])))
		return 1;
	if (apply_all(&a) || check_args(&a))
		return bad_usage();
	if (a.payload)
		return boot_payload(&a.machine, a.dmesg);
	if (a.json)
		doc = json_doc_open(a.diff ? "boot-diff" : "boot");
	ret = a.diff ? run_diff(&a, doc) : run_boot(&a, doc);
	if (doc)
		json_doc_close(doc, ret);
	return ret;
}
