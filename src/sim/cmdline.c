/* SPDX-License-Identifier: MIT */
/*
 * cmdline.c - the kernel command line options the boot sequences act on
 * (parse_early_param() and the __setup handlers), and crashkernel= as
 * parse_crashkernel() reads it. Unknown options are ignored, as the
 * kernel passes them on to init.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sim_internal.h"

/**
 * sim_memparse() - memparse(): number with base auto-detection and a suffix
 * @s: the text
 * @end: set to the first character not used (may be NULL)
 * @out: the value
 * @suffixes: the suffixes accepted, case-insensitive: "KMGTPE" or a prefix
 *	of it (machine files stop at T)
 *
 * Return: 0, -MB_EINVAL when @s starts with no number, -MB_ERANGE when the
 * suffix overflows 64 bits.
 */
int sim_memparse(const char *s, const char **end, uint64_t *out, const char *suffixes)
{
	unsigned long long v;
	const char *hit;
	char *stop;

	errno = 0;
	v = strtoull(s, &stop, 0);
	if (stop == s || errno)
		return -MB_EINVAL;
	hit = *stop ? strchr(suffixes, toupper((unsigned char)*stop)) : NULL;
	if (hit) {
		unsigned int shift = 10 * (unsigned int)(hit - suffixes + 1);

		if (v > (UINT64_MAX >> shift))
			return -MB_ERANGE;
		v <<= shift;
		stop++;
	}
	*out = v;
	if (end)
		*end = stop;
	return 0;
}

/* The kernel command line takes every suffix memparse() knows. */
static int memparse(const char *s, const char **end, uint64_t *out)
{
	return sim_memparse(s, end, out, "KMGTPE");
}

/* reserve_mem=size:align:name */
static void parse_reserve_mem(struct sim_boot *b, const char *v)
{
	struct sim_cmdline *cl = &b->cl;
	uint64_t size, align;
	const char *p;

	if (cl->nr_reserve_mem >= MB_RESERVE_MEM_MAX)
		return;
	if (memparse(v, &p, &size) || *p != ':' || memparse(p + 1, &p, &align) || *p != ':' ||
	    !p[1] || strlen(p + 1) >= MB_RESERVE_MEM_NAME_LEN) {
		sim_printk(b, SIM_LINE_KERNEL, "reserve_mem: bad option '%s'", v);
		return;
	}
	cl->reserve_mem[cl->nr_reserve_mem].size = size;
	cl->reserve_mem[cl->nr_reserve_mem].align = align;
	strcpy(cl->reserve_mem[cl->nr_reserve_mem].name, p + 1);
	cl->nr_reserve_mem++;
}

static void parse_option(struct sim_boot *b, const char *key, const char *val)
{
	struct sim_cmdline *cl = &b->cl;
	uint64_t v;

	if (!strcmp(key, "memblock")) {
		if (val && strstr(val, "debug"))
			cl->memblock_debug = true;
	} else if (!strcmp(key, "memtest")) {
		if (mb_memtest_parse_arg(val, &cl->memtest_passes))
			sim_printk(b, SIM_LINE_KERNEL, "Malformed early option 'memtest'");
	} else if (!strcmp(key, "mem") && val) {
		if (memparse(val, NULL, &v) || !v)
			sim_printk(b, SIM_LINE_KERNEL, "Malformed early option 'mem'");
		else
			cl->mem_limit = v;
	} else if (!strcmp(key, "hugepagesz") && val) {
		if (!memparse(val, NULL, &v))
			cl->hugepage_size = v;
	} else if (!strcmp(key, "hugepages") && val) {
		if (!memparse(val, NULL, &v))
			cl->hugepages = (unsigned long)v;
	} else if (!strcmp(key, "reserve_mem") && val) {
		parse_reserve_mem(b, val);
	}
}

int sim_cmdline_parse(struct sim_boot *b, const char *text)
{
	char token[SIM_CMDLINE_MAX];
	const char *p = text;

	memset(&b->cl, 0, sizeof(b->cl));
	b->cl.hugepage_size = 2ull << 20;
	while (*p) {
		size_t len;
		char *eq;

		while (*p == ' ' || *p == '\t')
			p++;
		len = strcspn(p, " \t");
		if (!len)
			break;
		if (len >= sizeof(token))
			return -MB_ERANGE;
		memcpy(token, p, len);
		token[len] = '\0';
		p += len;
		eq = strchr(token, '=');
		if (eq)
			*eq++ = '\0';
		parse_option(b, token, eq);
	}
	return 0;
}

/* "start-[end]:size,..." : the size whose range holds @ram. */
static int crash_ranges(const char *v, uint64_t ram, uint64_t *size)
{
	const char *p = v;
	uint64_t start, end, sz;

	*size = 0;
	for (;;) {
		if (memparse(p, &p, &start) || *p++ != '-')
			return -MB_EINVAL;
		end = UINT64_MAX;
		if (*p != ':' && memparse(p, &p, &end))
			return -MB_EINVAL;
		if (*p++ != ':' || memparse(p, &p, &sz) || end <= start)
			return -MB_EINVAL;
		if (ram >= start && ram < end)
			*size = sz;
		if (*p != ',')
			break;
		p++;
	}
	return (*p && *p != '@' && *p != ' ') ? -MB_EINVAL : 0;
}

/*
 * parse_crashkernel(): the last crashkernel= on the line; SIZE[@BASE],
 * SIZE,high, or the ranges form. Return 0 with *size set, -MB_ENOENT when
 * absent, -MB_EINVAL when malformed.
 */
int sim_parse_crashkernel(const char *line, uint64_t ram, uint64_t *size, uint64_t *base,
			  bool *high)
{
	const char *hit = NULL, *p = line, *v;

	while ((p = strstr(p, "crashkernel=")) != NULL) {
		if (p == line || p[-1] == ' ')
			hit = p;
		p += 12;
	}
	if (!hit)
		return -MB_ENOENT;
	v = hit + 12;
	*base = 0;
	*high = false;
	if (strchr(v, ':') && strchr(v, ':') < v + strcspn(v, " ")) {
		if (crash_ranges(v, ram, size))
			return -MB_EINVAL;
		v = strchr(v, '@') && strchr(v, '@') < v + strcspn(v, " ") ? strchr(v, '@') : NULL;
		if (v && memparse(v + 1, NULL, base))
			return -MB_EINVAL;
		return 0;
	}
	if (memparse(v, &p, size))
		return -MB_EINVAL;
	if (*p == '@')
		return memparse(p + 1, NULL, base);
	if (!strncmp(p, ",high", 5))
		*high = true;
	else if (*p && *p != ' ')
		return -MB_EINVAL;
	return 0;
}
