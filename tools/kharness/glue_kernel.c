// SPDX-License-Identifier: MIT
/*
 * glue_kernel.c - the kernel side of the differential harness. Built only
 * by scripts/check-linux, in the cache directory, together with the
 * kernel's mm/memblock.c and the stubs of tools/testing/memblock.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/memblock.h>
#include <linux/mmzone.h>

#include "kh.h"

/* Read by movable_node_is_enabled() (tools/testing/memblock stub). */
bool movable_node_enabled;
/* Defined in the harness's internal.h, inside the memblock.c unit. */
extern bool mirrored_kernelcore;

struct page;
void memblock_free_pages(struct page *page, unsigned long pfn, unsigned int order);

void memblock_free_pages(struct page *page, unsigned long pfn, unsigned int order)
{
	(void)page;
	kh_page_freed(pfn, order);
}

/*
 * Our replacements for tools/testing/memblock/mmzone.c (not built): no
 * online nodes, and the reserved ranges go to the handover log.
 */
struct pglist_data *first_online_pgdat(void)
{
	return NULL;
}

struct pglist_data *next_online_pgdat(struct pglist_data *pgdat)
{
	(void)pgdat;
	return NULL;
}

#if KH_LINUX >= 602
void reserve_bootmem_region(phys_addr_t start, phys_addr_t end, int nid)
{
	kh_page_reserved(start, end, nid);
}
#else
/* No node before 6.2: the handover names none (ours reports NUMA_NO_NODE). */
void reserve_bootmem_region(phys_addr_t start, phys_addr_t end)
{
	kh_page_reserved(start, end, NUMA_NO_NODE);
}
#endif

void atomic_long_set(atomic_long_t *v, long i)
{
	(void)v;
	(void)i;
}

/* One printk conversion: the kernel's %pa/%pap/%pS/%#x, the rest by libc. */
static int kernel_conv(char *out, size_t len, const char **fmtp, va_list *ap)
{
	const char *f = *fmtp; /* at the conversion, after '%' */
	char spec[32] = "%";
	size_t n = 1;
	int lng = 0;

	if (f[0] == 'p' && f[1] == 'a') {
		phys_addr_t *pa = va_arg(*ap, phys_addr_t *);

		*fmtp = f + (f[2] == 'p' ? 3 : 2);
		return snprintf(out, len, "0x%016llx", (unsigned long long)*pa);
	}
	if (f[0] == 'p' && f[1] == 'S') {
		(void)va_arg(*ap, void *);
		*fmtp = f + 2;
		return snprintf(out, len, "CALLER");
	}
	if (f[0] == '#' && f[1] == 'x') {
		unsigned int v = va_arg(*ap, unsigned int);

		*fmtp = f + 2;
		return snprintf(out, len, "0x%x", v); /* the kernel prints 0x0 */
	}
	while (*f && strchr("-+ #0123456789.", *f) && n < sizeof(spec) - 4)
		spec[n++] = *f++;
	while (*f == 'l' && n < sizeof(spec) - 3) {
		spec[n++] = *f++;
		lng++;
	}
	spec[n++] = *f;
	spec[n] = '\0';
	*fmtp = *f ? f + 1 : f;
	switch (*f) {
	case 's':
		return snprintf(out, len, spec, va_arg(*ap, const char *));
	case 'c':
		return snprintf(out, len, spec, va_arg(*ap, int));
	case 'd':
	case 'i':
	case 'u':
	case 'x':
	case 'X':
		if (lng >= 2)
			return snprintf(out, len, spec, va_arg(*ap, long long));
		if (lng == 1)
			return snprintf(out, len, spec, va_arg(*ap, long));
		return snprintf(out, len, spec, va_arg(*ap, int));
	case '%':
		return snprintf(out, len, "%%");
	default:
		return snprintf(out, len, "<?%s>", spec);
	}
}

/*
 * printk for memblock.c: formats like the kernel and hands every line to
 * the comparison log; a printk without a final newline is its own line,
 * as a new printk record would be. KH_VERBOSE=1 also shows it on stderr.
 */
void kh_printk(const char *fmt, ...)
{
	char buf[1024];
	size_t len = 0;
	char *line, *next;
	va_list ap;

	va_start(ap, fmt);
	while (*fmt && len < sizeof(buf) - 1) {
		if (*fmt != '%') {
			buf[len++] = *fmt++;
			continue;
		}
		fmt++;
		int w = kernel_conv(buf + len, sizeof(buf) - len, &fmt, &ap);

		if (w > 0)
			len += (size_t)w < sizeof(buf) - len ? (size_t)w : sizeof(buf) - len - 1;
	}
	va_end(ap);
	buf[len] = '\0';
	if (getenv("KH_VERBOSE"))
		fprintf(stderr, "%s%s", buf, len && buf[len - 1] == '\n' ? "" : "\n");
	for (line = buf; *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		else
			next = line + strlen(line);
		/*
		 * Linux 6.12 frees the old physmem array on doubling even when
		 * it is the static one (only memory's and reserved's are
		 * excepted): __pa() of the kernel image, not of RAM. Ours keeps
		 * static arrays (spec 4); the line is not compared. The free
		 * itself touches nothing here (KH_NOT_RAM is never memory).
		 */
		if (strstr(line, "memblock_phys_free: [0xdeadbeef"))
			continue;
		kh_log_line(line);
	}
}

void kh_before_op(void)
{
}

int kh_setup(bool numa, bool movable, bool mirror, const char *profile)
{
	char want[32];

	snprintf(want, sizeof(want), "linux-%d.%d", KH_LINUX / 100, KH_LINUX % 100);
	if (strcmp(profile, want)) {
		fprintf(stderr, "kharness: this kernel build is %s, script wants %s\n", want,
			profile);
		return -1;
	}
	if (numa != (MAX_NUMNODES > 1)) {
		fprintf(stderr,
			"kharness: this kernel build has MAX_NUMNODES %d, script wants %s\n",
			MAX_NUMNODES, numa ? "numa" : "flat");
		return -1;
	}
	movable_node_enabled = movable;
	mirrored_kernelcore = mirror;
	return kh_window_map() ? 0 : -1;
}

int kh_early_pfn_to_nid(unsigned long pfn)
{
	unsigned long start, end;
	int nid = memblock_search_pfn_nid(pfn, &start, &end);

	return nid >= 0 && nid < MAX_NUMNODES ? nid : 0;
}

const struct memblock_region *kh_regions(struct memblock_type *type)
{
	return type->regions;
}

struct memblock_type *kh_physmem(void)
{
	extern struct memblock_type physmem;

	return &physmem;
}

int kh_last_error(void)
{
	return 0;
}

const char *kh_side(void)
{
	return "linux";
}

/*
 * The slab is never available in the harness (slab_is_available() is
 * false), so memblock.c never really calls these; they only satisfy the
 * linker without the kernel's liburcu-based tools/lib/slab.c.
 */
void *kmalloc(size_t size, gfp_t gfp);
void kfree(void *p);

void *kmalloc(size_t size, gfp_t gfp)
{
	(void)gfp;
	return malloc(size);
}

void kfree(void *p)
{
	free(p);
}
