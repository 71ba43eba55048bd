/* SPDX-License-Identifier: MIT */
/*
 * machine.c - struct sim_machine: architecture defaults, the "key = value"
 * machine files presets are made of, and caller labels.
 */
#define _POSIX_C_SOURCE 200809L /* readlink */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <memblock/size.h>

#include "sim_internal.h"
#include "arch/arch.h"

#ifndef SIM_PRESET_RELDIR
#define SIM_PRESET_RELDIR "../share/memblock/presets"
#endif

/* A 64-bit build of Linux 6.x: the type sizes percpu and sparse use. */
static void percpu_defaults_64(struct sim_percpu *p)
{
	*p = (struct sim_percpu){
		.static_size = 84264,
		.reserved_size = 8192,
		.dyn_size = 30424,
		.unit_size = 122880,
		.long_size = 8,
		.chunk_size = 136,
		.block_md_size = 32,
		.extra_slots = 4,
	};
}

void sim_machine_init(struct sim_machine *m, enum sim_arch arch)
{
	memset(m, 0, sizeof(*m));
	snprintf(m->name, sizeof(m->name), "custom-%s", sim_arch_name(arch));
	m->arch = arch;
	m->profile = MB_PROFILE_LINUX_6_12;
	m->phys_bits = 64;
	m->nr_cpus = 4;
	m->page_struct_size = 64;
	m->dt_unflatten_size = 74092;
	percpu_defaults_64(&m->percpu);
	m->kernel.reserve_align = 0;
	if (simi_arch_desc(arch))
		simi_arch_desc(arch)->defaults(m);
	m->kernel.text_start = m->kernel.start;
	m->kernel.text_end = m->kernel.end;
}

static void set_err(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void set_err(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (!err || !errlen)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

/* Machine files take the tools' one size grammar (<memblock/size.h>). */
static int parse_size(const char *s, const char **end, uint64_t *out)
{
	return mb_size_parse(s, end, out) ? -MB_EINVAL : 0;
}

static int parse_whole_size(const char *s, uint64_t *out)
{
	const char *end;

	if (parse_size(s, &end, out))
		return -MB_EINVAL;
	return *end ? -MB_EINVAL : 0;
}

/* "BASE:SIZE[:NID]" */
static int parse_ram(struct sim_machine *m, const char *v)
{
	struct sim_ram r = { .nid = -1 };
	const char *p;
	uint64_t nid;

	if (m->nr_ram >= SIM_MAX_RAM)
		return -MB_ENOSPC;
	if (parse_size(v, &p, &r.base) || *p != ':')
		return -MB_EINVAL;
	if (parse_size(p + 1, &p, &r.size) || !r.size)
		return -MB_EINVAL;
	if (*p == ':') {
		if (parse_whole_size(p + 1, &nid) || nid >= SIM_MAX_NODES)
			return -MB_EINVAL;
		r.nid = (int)nid;
	} else if (*p) {
		return -MB_EINVAL;
	}
	if (r.base + r.size < r.base)
		return -MB_ERANGE;
	m->ram[m->nr_ram++] = r;
	return 0;
}

/* "BASE:SIZE:SITE" */
static int parse_extra(struct sim_machine *m, const char *v)
{
	struct sim_reserve *r;
	const char *p;

	if (m->nr_extra >= SIM_MAX_EXTRA)
		return -MB_ENOSPC;
	r = &m->extra[m->nr_extra];
	if (parse_size(v, &p, &r->base) || *p != ':' || parse_size(p + 1, &p, &r->size) ||
	    *p != ':' || !p[1] || strlen(p + 1) >= sizeof(r->site))
		return -MB_EINVAL;
	strcpy(r->site, p + 1);
	m->nr_extra++;
	return 0;
}

/* "SIG:BASE:SIZE": an ACPI table the kernel reserves. */
static int parse_acpi(struct sim_machine *m, const char *v)
{
	struct sim_acpi_table *t;
	const char *colon = strchr(v, ':'), *p;

	if (!strcmp(v, "none")) { /* forget the tables given so far */
		m->nr_acpi = 0;
		return 0;
	}
	if (m->nr_acpi >= SIM_MAX_ACPI)
		return -MB_ENOSPC;
	t = &m->acpi[m->nr_acpi];
	if (!colon || colon == v || (size_t)(colon - v) >= sizeof(t->sig) ||
	    parse_size(colon + 1, &p, &t->base) || *p != ':' || parse_size(p + 1, &p, &t->size) ||
	    *p || !t->size)
		return -MB_EINVAL;
	memcpy(t->sig, v, (size_t)(colon - v));
	t->sig[colon - v] = '\0';
	m->nr_acpi++;
	return 0;
}

/* "FIRST-LAST" in hex, inclusive as /proc/iomem prints it. */
static int parse_extent(const char *v, uint64_t *start, uint64_t *end)
{
	char *stop;
	unsigned long long a, b;

	errno = 0;
	a = strtoull(v, &stop, 16);
	if (stop == v || *stop != '-' || errno)
		return -MB_EINVAL;
	v = stop + 1;
	b = strtoull(v, &stop, 16);
	if (stop == v || *stop || errno || b < a)
		return -MB_EINVAL;
	*start = a;
	*end = b + 1;
	return 0;
}

static int parse_bool(const char *v, bool *out)
{
	if (!strcmp(v, "1") || !strcmp(v, "yes") || !strcmp(v, "true") || !strcmp(v, "on"))
		*out = true;
	else if (!strcmp(v, "0") || !strcmp(v, "no") || !strcmp(v, "false") || !strcmp(v, "off"))
		*out = false;
	else
		return -MB_EINVAL;
	return 0;
}

static int parse_profile(const char *v, enum mb_profile_id *out)
{
	const struct mb_profile *p = mb_profile_by_name(v);

	if (!p)
		return -MB_EINVAL;
	for (int i = 0; i < MB_PROFILE_COUNT; i++) {
		if (mb_profile((enum mb_profile_id)i) == p) {
			*out = (enum mb_profile_id)i;
			return 0;
		}
	}
	return -MB_EINVAL;
}

static int add_caller(struct sim_machine *m, const char *site, const char *label)
{
	for (int i = 0; i < m->nr_callers; i++) {
		if (!strcmp(m->callers[i].site, site)) {
			snprintf(m->callers[i].label, sizeof(m->callers[i].label), "%s", label);
			return 0;
		}
	}
	if (m->nr_callers >= SIM_MAX_CALLERS || strlen(site) >= sizeof(m->callers[0].site) ||
	    strlen(label) >= sizeof(m->callers[0].label))
		return -MB_ENOSPC;
	snprintf(m->callers[m->nr_callers].site, sizeof(m->callers[0].site), "%s", site);
	snprintf(m->callers[m->nr_callers].label, sizeof(m->callers[0].label), "%s", label);
	m->nr_callers++;
	return 0;
}

const char *sim_caller_label(const struct sim_machine *m, const char *site, const char *fallback)
{
	for (int i = 0; i < m->nr_callers; i++)
		if (!strcmp(m->callers[i].site, site))
			return m->callers[i].label;
	return fallback;
}

/* A "key = number" setting and the sim_machine field it lands in. */
struct field_key {
	const char *key;
	size_t offset;
};

#define MKEY(k, field) { k, offsetof(struct sim_machine, field) }

/* Every "key = number" setting that lands in a uint64_t. */
static const struct field_key size_keys[] = {
	MKEY("phys_offset", phys_offset),
	MKEY("max_mem", max_mem),
	MKEY("kernel.start", kernel.start),
	MKEY("kernel.end", kernel.end),
	MKEY("kernel.reserve_align", kernel.reserve_align),
	MKEY("kernel.init_size", kernel.init_size),
	MKEY("dtb.base", dtb_base),
	MKEY("dtb.size", dtb_size),
	MKEY("initrd.base", initrd_base),
	MKEY("initrd.size", initrd_size),
	MKEY("cma", cma_size),
	MKEY("dt.unflatten", dt_unflatten_size),
	MKEY("percpu.virt_offset", percpu.virt_offset),
	MKEY("node_data_size", node_data_size),
	MKEY("kernel.brk_base", kernel.brk_base),
	MKEY("kernel.brk_size", kernel.brk_size),
	MKEY("kernel.pgt_buf_size", kernel.pgt_buf_size),
	MKEY("kernel.image_end", kernel.image_end),
	MKEY("kernel.image_size", kernel.image_size),
	MKEY("kernel.pglist_data_size", kernel.pglist_data_size),
	MKEY("kernel.cpumask_size", cpumask_size),
	MKEY("dt.node_size", dt_node_size),
	MKEY("dt.prop_size", dt_prop_size),
	MKEY("sparse.mem_section_size", mem_section_size),
	MKEY("sparse.usage_size", section_usage_size),
	MKEY("arm64.kernel_map_start", arm64_kernel_map_start),
	MKEY("arm64.kernel_map_end", arm64_kernel_map_end),
	MKEY("arm64.reserve_start", arm64_reserve_start),
	MKEY("arm64.map_kernel_pages", arm64_map_kernel_pages),
	MKEY("arm64.init_pg_dir_size", arm64_init_pg_dir_size),
	MKEY("arm64.idmap_pages", arm64_idmap_pages),
};

/* ... in an unsigned long. */
static const struct field_key ulong_keys[] = {
	MKEY("percpu.static", percpu.static_size),
	MKEY("percpu.reserved", percpu.reserved_size),
	MKEY("percpu.dyn", percpu.dyn_size),
	MKEY("percpu.unit", percpu.unit_size),
};

/* ... in an unsigned int. */
static const struct field_key uint_keys[] = {
	MKEY("phys_bits", phys_bits),
	MKEY("kernel.nodes_shift", kernel.nodes_shift),
	MKEY("page_struct_size", page_struct_size),
	MKEY("percpu.long_size", percpu.long_size),
	MKEY("percpu.chunk_size", percpu.chunk_size),
	MKEY("percpu.block_md_size", percpu.block_md_size),
	MKEY("percpu.extra_slots", percpu.extra_slots),
};

struct extent_key {
	const char *key;
	size_t start, end;
};

static const struct extent_key extent_keys[] = {
	{ "kernel.text", offsetof(struct sim_machine, kernel.text_start),
	  offsetof(struct sim_machine, kernel.text_end) },
	{ "kernel.rodata", offsetof(struct sim_machine, kernel.rodata_start),
	  offsetof(struct sim_machine, kernel.rodata_end) },
	{ "kernel.data", offsetof(struct sim_machine, kernel.data_start),
	  offsetof(struct sim_machine, kernel.data_end) },
	{ "kernel.bss", offsetof(struct sim_machine, kernel.bss_start),
	  offsetof(struct sim_machine, kernel.bss_end) },
};

/* The field of @m that @key names in @keys[@nr], or NULL. */
static void *key_field(struct sim_machine *m, const struct field_key *keys, size_t nr,
		       const char *key)
{
	for (size_t i = 0; i < nr; i++)
		if (!strcmp(key, keys[i].key))
			return (char *)m + keys[i].offset;
	return NULL;
}

#define KEY_FIELD(m, keys, key) key_field(m, keys, sizeof(keys) / sizeof(keys[0]), key)

static int set_numeric(struct sim_machine *m, const char *key, const char *value, bool *found)
{
	char *base = (char *)m;
	void *field;
	uint64_t v;

	*found = true;
	field = KEY_FIELD(m, size_keys, key);
	if (field)
		return parse_whole_size(value, field);
	field = KEY_FIELD(m, ulong_keys, key);
	if (field) {
		if (parse_whole_size(value, &v))
			return -MB_EINVAL;
		*(unsigned long *)field = (unsigned long)v;
		return 0;
	}
	field = KEY_FIELD(m, uint_keys, key);
	if (field) {
		if (parse_whole_size(value, &v) || v > 0xffffffffu)
			return -MB_EINVAL;
		*(unsigned int *)field = (unsigned int)v;
		return 0;
	}
	for (size_t i = 0; i < sizeof(extent_keys) / sizeof(extent_keys[0]); i++)
		if (!strcmp(key, extent_keys[i].key))
			return parse_extent(value, (uint64_t *)(base + extent_keys[i].start),
					    (uint64_t *)(base + extent_keys[i].end));
	*found = false;
	return 0;
}

static int set_path(struct sim_machine *m, char *dst, const char *value)
{
	int n;

	if (value[0] == '/' || !m->dir[0])
		n = snprintf(dst, SIM_PATH_MAX, "%s", value);
	else
		n = snprintf(dst, SIM_PATH_MAX, "%s/%s", m->dir, value);
	return (n < 0 || n >= SIM_PATH_MAX) ? -MB_ERANGE : 0;
}

static int set_other(struct sim_machine *m, const char *key, const char *value)
{
	uint64_t v;

	if (!strcmp(key, "ram"))
		return parse_ram(m, value);
	if (!strcmp(key, "profile"))
		return parse_profile(value, &m->profile);
	if (!strcmp(key, "name"))
		return snprintf(m->name, sizeof(m->name), "%s", value) >= (int)sizeof(m->name) ?
			       -MB_ERANGE : 0;
	if (!strcmp(key, "cmdline"))
		return snprintf(m->cmdline, sizeof(m->cmdline), "%s", value) >=
				       (int)sizeof(m->cmdline) ? -MB_ERANGE : 0;
	if (!strcmp(key, "cpus")) {
		if (parse_whole_size(value, &v) || !v || v > 4096)
			return -MB_EINVAL;
		m->nr_cpus = (int)v;
		return 0;
	}
	if (!strcmp(key, "dt.alloc")) {
		if (m->nr_dt_allocs >= SIM_MAX_DT_ALLOCS || parse_whole_size(value, &v))
			return -MB_EINVAL;
		m->dt_allocs[m->nr_dt_allocs++] = v;
		return 0;
	}
	if (!strcmp(key, "reserve"))
		return parse_extra(m, value);
	if (!strcmp(key, "acpi.table"))
		return parse_acpi(m, value);
	if (!strcmp(key, "x86.first_mib"))
		return parse_bool(value, &m->x86_first_mib);
	if (!strcmp(key, "numa"))
		return snprintf(m->numa, sizeof(m->numa), "%s", value) >= (int)sizeof(m->numa) ?
			       -MB_ERANGE : 0;
	if (!strcmp(key, "early_debug"))
		return parse_bool(value, &m->early_debug);
	if (!strcmp(key, "percpu.populated_bytes_bug"))
		return parse_bool(value, &m->percpu.populated_bytes_bug);
	if (!strcmp(key, "percpu.print_base"))
		return parse_bool(value, &m->percpu.print_base);
	if (!strcmp(key, "e820"))
		return set_path(m, m->e820_path, value);
	if (!strcmp(key, "srat"))
		return set_path(m, m->srat_path, value);
	if (!strcmp(key, "dtb"))
		return set_path(m, m->dtb_path, value);
	if (!strncmp(key, "caller.", 7))
		return add_caller(m, key + 7, value);
	return -MB_ENOENT;
}

int sim_machine_set(struct sim_machine *m, const char *key, const char *value, char *err,
		    size_t errlen)
{
	enum sim_arch arch;
	bool found;
	int ret;

	if (!m || !key || !value)
		return -MB_EINVAL;
	if (!strcmp(key, "arch")) {
		char dir[SIM_PATH_MAX], name[sizeof(m->name)];

		if (sim_arch_parse(value, &arch)) {
			set_err(err, errlen, "unknown arch '%s'", value);
			return -MB_EINVAL;
		}
		/* A new arch starts from its defaults; the name and place stay. */
		memcpy(dir, m->dir, sizeof(dir));
		memcpy(name, m->name, sizeof(name));
		sim_machine_init(m, arch);
		memcpy(m->dir, dir, sizeof(dir));
		if (strncmp(name, "custom-", 7))
			memcpy(m->name, name, sizeof(name));
		return 0;
	}
	ret = set_numeric(m, key, value, &found);
	if (!found)
		ret = set_other(m, key, value);
	if (ret == -MB_ENOENT)
		set_err(err, errlen, "unknown setting '%s'", key);
	else if (ret)
		set_err(err, errlen, "bad value '%s' for '%s'", value, key);
	return ret ? -MB_EINVAL : 0;
}

static char *trim(char *s)
{
	char *end;

	while (isspace((unsigned char)*s))
		s++;
	end = s + strlen(s);
	while (end > s && isspace((unsigned char)end[-1]))
		*--end = '\0';
	return s;
}

int sim_machine_load(struct sim_machine *m, const char *path, char *err, size_t errlen)
{
	char line[SIM_CMDLINE_MAX + 128], msg[256];
	unsigned long lineno = 0;
	FILE *f;
	int ret = 0;

	f = fopen(path, "r");
	if (!f) {
		set_err(err, errlen, "%s: cannot open: %s", path, strerror(errno));
		return -MB_ENOENT;
	}
	while (!ret && fgets(line, sizeof(line), f)) {
		char *key, *eq, *value;

		lineno++;
		key = trim(line);
		if (!*key || *key == '#')
			continue;
		eq = strchr(key, '=');
		if (!eq) {
			set_err(err, errlen, "%s:%lu: expected 'key = value'", path, lineno);
			ret = -MB_EINVAL;
			break;
		}
		*eq = '\0';
		value = trim(eq + 1);
		key = trim(key);
		if (sim_machine_set(m, key, value, msg, sizeof(msg))) {
			set_err(err, errlen, "%s:%lu: %s", path, lineno, msg);
			ret = -MB_EINVAL;
		}
	}
	fclose(f);
	return ret;
}

static bool is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* The directory holding the running program, or "" when unknown. */
static void exe_dir(char *buf, size_t len)
{
	ssize_t n = readlink("/proc/self/exe", buf, len - 1);
	char *slash;

	buf[n > 0 ? n : 0] = '\0';
	slash = strrchr(buf, '/');
	if (n <= 0 || (size_t)n >= len - 1 || !slash)
		buf[0] = '\0';
	else
		*slash = '\0';
}

/*
 * An uninstalled program (one inside the build tree) uses the source
 * tree's presets; an installed one looks next to itself, so a relocated
 * install keeps working.
 */
static const char *find_preset_dir(void)
{
	static char dir[SIM_PATH_MAX];
	char exe[SIM_PATH_MAX];
	size_t root = strlen(SIM_BUILD_ROOT);

	exe_dir(exe, sizeof(exe));
	if (!exe[0])
		return SIM_PRESET_RELDIR;
	if (!strncmp(exe, SIM_BUILD_ROOT, root) && (exe[root] == '/' || !exe[root]) &&
	    is_dir(SIM_SOURCE_PRESETS))
		return SIM_SOURCE_PRESETS;
	if (SIM_PRESET_RELDIR[0] == '/')
		return SIM_PRESET_RELDIR;
	if (snprintf(dir, sizeof(dir), "%s/%s", exe, SIM_PRESET_RELDIR) >= (int)sizeof(dir))
		return SIM_PRESET_RELDIR;
	return dir;
}

const char *sim_preset_dir(void)
{
	const char *env = getenv("MEMBLOCK_PRESETS");

	return (env && *env) ? env : find_preset_dir();
}

int sim_preset_load(struct sim_machine *m, const char *name, const char *dir, char *err,
		    size_t errlen)
{
	char path[SIM_PATH_MAX + 64];
	FILE *f;

	if (!m || !name || !*name || strchr(name, '/')) {
		set_err(err, errlen, "bad preset name");
		return -MB_EINVAL;
	}
	if (!dir)
		dir = sim_preset_dir();
	sim_machine_init(m, SIM_ARCH_RISCV64);
	if (snprintf(m->dir, sizeof(m->dir), "%s/%s", dir, name) >= (int)sizeof(m->dir))
		return -MB_ERANGE;
	snprintf(path, sizeof(path), "%s/machine.conf", m->dir);
	f = fopen(path, "r");
	if (!f) {
		set_err(err, errlen, "unknown preset '%s' (no %s)", name, path);
		return -MB_ENOENT;
	}
	fclose(f);
	snprintf(m->name, sizeof(m->name), "%s", name);
	return sim_machine_load(m, path, err, errlen);
}
