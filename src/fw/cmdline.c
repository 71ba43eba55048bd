// SPDX-License-Identifier: MIT
/*
 * cmdline.c - the kernel command line options that shape boot memory.
 *
 * Splitting follows the kernel's next_arg() (spaces separate, double
 * quotes group, "-" and "_" are the same in names); each option is then
 * handled the way its early_param()/__setup() handler does in Linux 6.12,
 * with the same warnings. Nothing here touches an allocator.
 */
#include <ctype.h>
#include <string.h>

#include "internal.h"

/* kstrtouint(arg, 0): whole string (one trailing newline allowed). */
static int parse_uint_strict(const char *s, unsigned int *out)
{
	const char *end;
	uint64_t v;
	int ret;

	if (!isdigit((unsigned char)*s))
		return -MB_EINVAL;
	ret = mb_memparse(s, &end, &v);
	if (ret)
		return ret;
	if (end > s && isalpha((unsigned char)end[-1]) && !isxdigit((unsigned char)end[-1]))
		return -MB_EINVAL; /* a K/M/G suffix is not part of kstrtouint */
	if (*end == '\n')
		end++;
	if (*end)
		return -MB_EINVAL;
	if (v > UINT32_MAX)
		return -MB_ERANGE;
	*out = (unsigned int)v;
	return 0;
}

struct parse_ctx {
	struct fw_cmdline *cl;
	enum fw_arch arch;
	const struct memblock *log;
	bool hugepagesz_valid; /* parsed_valid_hugepagesz */
	int last_hugepages;    /* last_mhp: index of the hstate that got hugepages= */
	int cur_hstate;	       /* parsed_hstate, -1 = default hstate */
};

static void malformed(struct parse_ctx *c, const char *param)
{
	fwi_log(c->log, MB_LOG_WARN, "Malformed early option '%s'", param);
}

static void overflow(struct parse_ctx *c, const char *param, const char *val)
{
	fwi_log(c->log, MB_LOG_WARN, "cmdline: %s=%s: size does not fit in 64 bits, option ignored",
	       param, val);
}

static bool param_is(const char *param, const char *name)
{
	for (; *param && *name; param++, name++) {
		char a = *param == '-' ? '_' : *param;
		char b = *name == '-' ? '_' : *name;

		if (a != b)
			return false;
	}
	return *param == *name;
}

/* parse_memopt (x86) / early_mem (arm64, riscv). */
static void opt_mem(struct parse_ctx *c, const char *param, const char *val)
{
	uint64_t size;
	int ret;

	if (!val) {
		malformed(c, param);
		return;
	}
	if (c->arch == FW_ARCH_X86_64 && !strcmp(val, "nopentium")) {
		fwi_log(c->log, MB_LOG_WARN, "mem=nopentium ignored! (only supported on x86_32)");
		malformed(c, param);
		return;
	}
	ret = mb_memparse(val, NULL, &size);
	if (ret == -MB_ERANGE) {
		overflow(c, param, val);
		return;
	}
	if (c->arch != FW_ARCH_X86_64) {
		size &= ~(FW_PAGE_SIZE - 1);
		if (c->arch == FW_ARCH_RISCV64 && c->cl->mem_set)
			size = fw_min64(size, c->cl->mem_limit);
		c->cl->mem_set = true;
		c->cl->mem_limit = size;
		if (c->arch != FW_ARCH_ARM) /* arm's early_mem() is silent */
			fwi_log(c->log, MB_LOG_INFO, "Memory limited to %lldMB",
			       (long long)(size >> 20));
		return;
	}
	if (size == 0) { /* "Don't remove all memory when getting mem={invalid}" */
		malformed(c, param);
		return;
	}
	c->cl->mem_set = true;
	c->cl->mem_limit = size;
	if (c->cl->nr_memmap < FW_MEMMAP_MAX)
		c->cl->memmap[c->cl->nr_memmap++] =
		    (struct fw_memmap){.op = FW_MEMMAP_LIMIT, .size = size};
}

/* memmap=nn[KMG]%ss[KMG]-from+to: numbers after - and + are plain integers. */
static int memmap_percent(const char *p, struct fw_memmap *m)
{
	uint64_t v;
	const char *end;

	if (*p == '-') {
		if (mb_memparse(p + 1, &end, &v) || v > UINT32_MAX || end[-1] > '9')
			return -MB_EINVAL;
		m->from = (uint32_t)v;
		p = end;
	}
	if (*p == '+') {
		if (mb_memparse(p + 1, &end, &v) || v > UINT32_MAX || end[-1] > '9')
			return -MB_EINVAL;
		m->to = (uint32_t)v;
		p = end;
	}
	if (*p)
		return -MB_EINVAL;
	if (m->from && m->to)
		m->op = FW_MEMMAP_UPDATE;
	else if (m->to)
		m->op = FW_MEMMAP_ADD, m->type = m->to;
	else
		m->op = FW_MEMMAP_REMOVE;
	return 0;
}

/* parse_memmap_one(): one comma-separated piece. */
static int memmap_one(const char *p, struct fw_memmap *m)
{
	static const struct {
		char sep;
		uint32_t type;
	} seps[] = {
	    {'@', FW_E820_RAM},
	    {'#', FW_E820_ACPI},
	    {'$', FW_E820_RESERVED},
	    {'!', FW_E820_PRAM},
	};
	const char *end;
	int ret;

	memset(m, 0, sizeof(*m));
	if (!strncmp(p, "exactmap", 8)) {
		m->op = FW_MEMMAP_EXACTMAP;
		return 0;
	}
	ret = mb_memparse(p, &end, &m->size);
	if (ret)
		return ret;
	for (size_t i = 0; i < sizeof(seps) / sizeof(seps[0]); i++) {
		if (*end != seps[i].sep)
			continue;
		m->op = FW_MEMMAP_ADD;
		m->type = seps[i].type;
		ret = mb_memparse(end + 1, &end, &m->start);
		if (ret == -MB_ERANGE)
			return ret;
		return 0; /* trailing text makes the kernel return -EINVAL, but it applied */
	}
	if (*end == '%') {
		ret = mb_memparse(end + 1, &end, &m->start);
		if (ret == -MB_ERANGE)
			return ret;
		return memmap_percent(end, m);
	}
	m->op = FW_MEMMAP_LIMIT;
	return 0;
}

static void opt_memmap(struct parse_ctx *c, const char *param, const char *val)
{
	char piece[FW_CMDLINE_MAX];
	const char *p = val;

	if (c->arch != FW_ARCH_X86_64 || !val)
		return; /* parse_memmap_opt() always returns 0: no warning */
	while (p) {
		const char *comma = strchr(p, ',');
		size_t n = comma ? (size_t)(comma - p) : strlen(p);
		struct fw_memmap m;
		int ret;

		memcpy(piece, p, n);
		piece[n] = '\0';
		p = comma ? comma + 1 : NULL;
		ret = memmap_one(piece, &m);
		if (ret == -MB_ERANGE) {
			overflow(c, param, piece);
			continue;
		}
		if (ret)
			continue; /* silently ignored, as the kernel */
		if (c->cl->nr_memmap >= FW_MEMMAP_MAX) {
			fwi_log(c->log, MB_LOG_WARN,
			       "cmdline: more than %d memmap= ranges, %s ignored", FW_MEMMAP_MAX,
			       piece);
			continue;
		}
		c->cl->memmap[c->cl->nr_memmap++] = m;
	}
}

static void opt_memtest(struct parse_ctx *c, const char *param, const char *val)
{
	unsigned int n;
	int ret;

	if (!val) {
		c->cl->memtest_set = true;
		c->cl->memtest_patterns = 17;
		return;
	}
	ret = parse_uint_strict(val, &n);
	if (ret) {
		malformed(c, param);
		return;
	}
	c->cl->memtest_set = true;
	c->cl->memtest_patterns = n;
}

/* reserve_mem=size:align:name; the kernel's handler is silent on errors. */
static void opt_reserve_mem(struct parse_ctx *c, const char *param, const char *val)
{
	struct fw_reserve_mem_arg *r;
	const char *p, *name;
	uint64_t size, align;
	int ret;

	if (!val || c->cl->nr_reserve_mem >= FW_RESERVE_MEM_MAX)
		return;
	ret = mb_memparse(val, &p, &size);
	if (ret == -MB_ERANGE)
		overflow(c, param, val);
	if (ret || !size || *p != ':')
		return;
	ret = mb_memparse(p + 1, &p, &align);
	if (ret == -MB_ERANGE)
		overflow(c, param, val);
	if (ret == -MB_ERANGE || *p != ':')
		return;
	name = p + 1;
	if (!*name || strlen(name) >= MB_RESERVE_MEM_NAME_LEN)
		return;
	for (p = name; *p && isspace((unsigned char)*p); p++)
		;
	if (!*p)
		return;
	for (int i = 0; i < c->cl->nr_reserve_mem; i++)
		if (!strcmp(c->cl->reserve_mem[i].name, name))
			return;
	r = &c->cl->reserve_mem[c->cl->nr_reserve_mem++];
	r->size = size;
	r->align = align < MB_DEFAULT_SMP_CACHE_BYTES ? MB_DEFAULT_SMP_CACHE_BYTES : align;
	strcpy(r->name, name);
}

static bool hugepagesz_valid(enum fw_arch arch, uint64_t size)
{
	if (arch == FW_ARCH_X86_64)
		return size == (2ULL << 20) || size == (1ULL << 30);
	if (arch == FW_ARCH_ARM64)
		return size == (64ULL << 10) || size == (2ULL << 20) || size == (32ULL << 20) ||
		       size == (1ULL << 30);
	return size == (2ULL << 20) || size == (1ULL << 30);
}

static void opt_hugepagesz(struct parse_ctx *c, const char *val)
{
	uint64_t size = 0;

	c->hugepagesz_valid = false;
	if (!val || mb_memparse(val, NULL, &size) || !hugepagesz_valid(c->arch, size)) {
		fwi_log(c->log, MB_LOG_ERR, "HugeTLB: unsupported hugepagesz=%s", val ? val : "");
		return;
	}
	for (int i = 0; i < c->cl->nr_hugepages; i++) {
		if (c->cl->hugepages[i].page_size == size) {
			fwi_log(c->log, MB_LOG_WARN,
			       "HugeTLB: hugepagesz=%s specified twice, ignoring", val);
			return;
		}
	}
	if (c->cl->nr_hugepages >= FW_HUGEPAGE_SIZES)
		return;
	c->cur_hstate = c->cl->nr_hugepages++;
	c->cl->hugepages[c->cur_hstate].page_size = size;
	c->hugepagesz_valid = true;
}

/* hugepages=N or hugepages=node:N,node:N (applies to the last hugepagesz=). */
static int hugepages_counts(const char *s, struct fw_hugepages *h, struct fw_hugepages *tmp)
{
	const char *p = s;
	uint64_t node, n;

	*tmp = *h;
	while (*p) {
		const char *end;

		if (!isdigit((unsigned char)*p) || mb_memparse(p, &end, &n) || end[-1] > '9')
			return -MB_EINVAL;
		if (*end != ':') {
			if (p != s || *end)
				return -MB_EINVAL;
			tmp->count = n;
			break;
		}
		node = n;
		p = end + 1;
		if (node >= FW_MAX_NODES || !isdigit((unsigned char)*p) ||
		    mb_memparse(p, &end, &n) || end[-1] > '9')
			return -MB_EINVAL;
		tmp->per_node = true;
		tmp->node_count[node] = n;
		tmp->count += n;
		if (*end != ',')
			break;
		p = end + 1;
	}
	return 0;
}

static void opt_hugepages(struct parse_ctx *c, const char *val)
{
	struct fw_hugepages dflt = {0}, tmp;
	struct fw_hugepages *h;

	if (!val)
		val = "";
	if (!c->hugepagesz_valid) {
		fwi_log(c->log, MB_LOG_WARN,
		       "HugeTLB: hugepages=%s does not follow a valid hugepagesz, ignoring", val);
		c->hugepagesz_valid = true;
		return;
	}
	if (c->cur_hstate == c->last_hugepages) {
		fwi_log(c->log, MB_LOG_WARN,
		       "HugeTLB: hugepages= specified twice without interleaving hugepagesz=, "
		       "ignoring hugepages=%s",
		       val);
		return;
	}
	/* cur_hstate -1: the default hstate (2M / base size), not from memblock */
	h = c->cur_hstate < 0 ? &dflt : &c->cl->hugepages[c->cur_hstate];
	if (hugepages_counts(val, h, &tmp)) {
		fwi_log(c->log, MB_LOG_WARN, "HugeTLB: Invalid hugepages parameter %s", val);
		return;
	}
	*h = tmp;
	c->last_hugepages = c->cur_hstate;
}

static void opt_initrd(struct parse_ctx *c, const char *param, const char *val)
{
	uint64_t start, size;
	const char *end;

	if (!val)
		return;
	if (mb_memparse(val, &end, &start) == -MB_ERANGE) {
		overflow(c, param, val);
		return;
	}
	if (*end != ',')
		return;
	if (mb_memparse(end + 1, NULL, &size) == -MB_ERANGE) {
		overflow(c, param, val);
		return;
	}
	c->cl->initrd_set = true;
	c->cl->initrd_start = start;
	c->cl->initrd_size = size;
}

/* Append "param[=val]" to a space-separated list (cut short when full). */
static void list_add(char *list, size_t len, const char *param, const char *val)
{
	size_t n = strlen(list), need = strlen(param) + (val ? strlen(val) + 1 : 0) + 1;

	if (n + need >= len)
		return;
	if (n)
		list[n++] = ' ';
	strcpy(list + n, param);
	if (val) {
		strcat(list + n, "=");
		strcat(list + n, val);
	}
}

/* cma=nn[MG]: the size form; a placement (@start-end) is not modelled. */
static void opt_cma(struct parse_ctx *c, const char *param, const char *val)
{
	const char *end;
	uint64_t size;

	if (!val || mb_memparse(val, &end, &size)) {
		malformed(c, param);
		return;
	}
	if (*end) {
		list_add(c->cl->unmodelled, sizeof(c->cl->unmodelled), param, val);
		return;
	}
	c->cl->cma_set = true;
	c->cl->cma_size = size;
}

/*
 * Options a kernel of @arch has no handler for: it keeps them for user
 * space and says so. The rest of the kernel's options are not our business.
 */
static bool unknown_on_arch(enum fw_arch arch, const char *param)
{
	if (param_is(param, "memmap"))
		return arch != FW_ARCH_X86_64;
	if (param_is(param, "numa"))
		return arch == FW_ARCH_ARM;
	return false;
}

/* Options the kernel has that the simulated boots do not apply. */
static bool unmodelled(enum fw_arch arch, const char *param, const char *val)
{
	if (param_is(param, "movable_node") || param_is(param, "initrd") ||
	    param_is(param, "initrdmem"))
		return true;
	if (param_is(param, "kernelcore"))
		return true; /* sizes ZONE_MOVABLE; no zone model here */
	if (param_is(param, "numa"))
		return arch != FW_ARCH_X86_64 || !val || strncmp(val, "off", 3);
	if (arch == FW_ARCH_ARM)
		return param_is(param, "mem") || param_is(param, "crashkernel");
	return false;
}

static void handle_param(struct parse_ctx *c, const char *param, const char *val)
{
	struct fw_cmdline *cl = c->cl;

	if (unknown_on_arch(c->arch, param)) {
		list_add(cl->unknown, sizeof(cl->unknown), param, val);
		return;
	}
	if (unmodelled(c->arch, param, val))
		list_add(cl->unmodelled, sizeof(cl->unmodelled), param, val);

	if (param_is(param, "memblock")) {
		if (val && strstr(val, "debug"))
			cl->memblock_debug = true;
	} else if (param_is(param, "memtest")) {
		opt_memtest(c, param, val);
	} else if (param_is(param, "mem")) {
		opt_mem(c, param, val);
	} else if (param_is(param, "memmap")) {
		opt_memmap(c, param, val);
	} else if (param_is(param, "crashkernel")) {
		cl->has_crashkernel = true;
	} else if (param_is(param, "cma")) {
		opt_cma(c, param, val);
	} else if (param_is(param, "reserve_mem")) {
		opt_reserve_mem(c, param, val);
	} else if (param_is(param, "hugepagesz")) {
		opt_hugepagesz(c, val);
	} else if (param_is(param, "hugepages")) {
		opt_hugepages(c, val);
	} else if (param_is(param, "kernelcore")) {
		if (val && !strcmp(val, "mirror"))
			cl->kernelcore_mirror = true;
	} else if (param_is(param, "movable_node")) {
		cl->movable_node = true;
	} else if (param_is(param, "initrd") || param_is(param, "initrdmem")) {
		opt_initrd(c, param, val);
	} else if (param_is(param, "numa") && val) {
		if (!strncmp(val, "off", 3))
			cl->numa_off = true;
		if (!strncmp(val, "noacpi", 6))
			cl->numa_noacpi = true;
	}
}

/* next_arg(): cut one "param[=value]" off @args (modified in place). */
static char *next_arg(char *args, char **param, char **val)
{
	unsigned int i, equals = 0;
	bool in_quote = false, quoted = false;

	if (*args == '"') {
		args++;
		in_quote = quoted = true;
	}
	for (i = 0; args[i]; i++) {
		if (isspace((unsigned char)args[i]) && !in_quote)
			break;
		if (equals == 0 && args[i] == '=')
			equals = i;
		if (args[i] == '"')
			in_quote = !in_quote;
	}
	*param = args;
	*val = NULL;
	if (equals) {
		args[equals] = '\0';
		*val = args + equals + 1;
		if (**val == '"') {
			(*val)++;
			if (args[i - 1] == '"')
				args[i - 1] = '\0';
		}
	}
	if (quoted && i > 0 && args[i - 1] == '"')
		args[i - 1] = '\0';
	if (args[i]) {
		args[i] = '\0';
		i++;
	}
	args += i;
	while (isspace((unsigned char)*args))
		args++;
	return args;
}

int fw_cmdline_parse(const char *text, enum fw_arch arch, struct fw_cmdline *out,
		     const struct memblock *log)
{
	char work[FW_CMDLINE_MAX];
	struct parse_ctx c = {out, arch, log, true, -2, -1};
	char *args = work;
	size_t len;

	if (!text || !out)
		return -MB_EINVAL;
	memset(out, 0, sizeof(*out));
	len = strlen(text);
	if (len >= FW_CMDLINE_MAX) {
		fwi_log(log, MB_LOG_ERR, "cmdline: %zu bytes, longer than the %d the kernel keeps",
		       len, FW_CMDLINE_MAX - 1);
		return -MB_ERANGE;
	}
	memcpy(out->line, text, len + 1);
	memcpy(work, text, len + 1);
	while (isspace((unsigned char)*args))
		args++;
	while (*args) {
		char *param, *val;

		args = next_arg(args, &param, &val);
		if (!val && !strcmp(param, "--"))
			break;
		handle_param(&c, param, val);
	}
	return 0;
}

void fw_cmdline_config(const struct fw_cmdline *cl, struct mb_config *cfg)
{
	if (!cl || !cfg)
		return;
	if (cl->memblock_debug)
		cfg->debug = true;
	if (cl->movable_node)
		cfg->movable_node = true;
	if (cl->kernelcore_mirror)
		cfg->mirrored_kernelcore = true;
}

void fw_cmdline_apply_debug(const struct fw_cmdline *cl, struct memblock *mb)
{
	if (cl && mb && cl->memblock_debug)
		mb->debug = true;
}
