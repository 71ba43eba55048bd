// SPDX-License-Identifier: MIT
/*
 * format.c - the kernel's printf subset without a C library (spec 8):
 * the mb_text line builder, trace lines, the MEMBLOCK configuration dump
 * and the debugfs files.
 */
#include "internal.h"

void mb_text_reset(struct mb_text *t)
{
	t->len = 0;
	t->buf[0] = '\0';
}

void mb_text_char(struct mb_text *t, char c)
{
	if (t->len + 1 >= MB_TEXT_MAX)
		return;
	t->buf[t->len++] = c;
	t->buf[t->len] = '\0';
}

void mb_text_str(struct mb_text *t, const char *s)
{
	if (!s)
		s = "(null)";
	while (*s)
		mb_text_char(t, *s++);
}

/**
 * mb_text_hex() - append lowercase hex
 * @t: line
 * @v: value
 * @min_digits: zero-padded to at least this many digits
 * @prefix: start with "0x" (also for 0: the kernel's %#x prints "0x0")
 */
void mb_text_hex(struct mb_text *t, uint64_t v, unsigned int min_digits, bool prefix)
{
	static const char digits[] = "0123456789abcdef";
	char tmp[16];
	unsigned int n = 0;

	do {
		tmp[n++] = digits[v & 0xf];
		v >>= 4;
	} while (v);
	if (prefix)
		mb_text_str(t, "0x");
	for (; min_digits > n; min_digits--)
		mb_text_char(t, '0');
	while (n)
		mb_text_char(t, tmp[--n]);
}

static unsigned int udec_digits(uint64_t v, char tmp[20])
{
	unsigned int n = 0;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	return n;
}

void mb_text_udec(struct mb_text *t, uint64_t v)
{
	char tmp[20];
	unsigned int n = udec_digits(v, tmp);

	while (n)
		mb_text_char(t, tmp[--n]);
}

void mb_text_dec(struct mb_text *t, int64_t v)
{
	if (v < 0) {
		mb_text_char(t, '-');
		mb_text_udec(t, (uint64_t)0 - (uint64_t)v);
		return;
	}
	mb_text_udec(t, (uint64_t)v);
}

/* %4d */
static void text_dec_width(struct mb_text *t, int64_t v, unsigned int width)
{
	char tmp[20];
	uint64_t mag = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	unsigned int n = udec_digits(mag, tmp);
	unsigned int len = n + (v < 0);

	while (len++ < width)
		mb_text_char(t, ' ');
	if (v < 0)
		mb_text_char(t, '-');
	while (n)
		mb_text_char(t, tmp[--n]);
}

void mb_text_pa(struct mb_text *t, const struct memblock *mb, mb_phys_addr_t addr)
{
	mb_text_hex(t, (uint64_t)(addr & mbi_phys_max(mb)), mb->cfg.phys_bits / 4, true);
}

void mbi_text_pa_range(struct mb_text *t, const struct memblock *mb, mb_phys_addr_t base,
		   mb_phys_addr_t last)
{
	mb_text_char(t, '[');
	mb_text_pa(t, mb, base);
	mb_text_char(t, '-');
	mb_text_pa(t, mb, last);
	mb_text_char(t, ']');
}

void mb_text_caller(struct mb_text *t, const char *caller)
{
	mb_text_str(t, caller ? caller : "0x0");
}

/**
 * mb_emit() - send a finished line to ops.print
 * @mb: instance (NULL: nothing)
 * @level: MB_LOG_DEBUG lines are dropped unless mb->debug
 * @t: the line
 */
void mb_emit(const struct memblock *mb, enum mb_log_level level, const struct mb_text *t)
{
	if (!mb || !mb->cfg.ops.print)
		return;
	if (level == MB_LOG_DEBUG && !mb->debug)
		return;
	mb->cfg.ops.print(mb->cfg.ops.print_ctx, level, t->buf);
}

struct mb_text *mbi_line(const struct memblock *mb)
{
	struct mb_text *t = (struct mb_text *)&mb->line;

	mb_text_reset(t);
	return t;
}

void mbi_line_drop(struct mb_text *t)
{
	mb_zero(t, sizeof(*t));
}

void mbi_line_emit(const struct memblock *mb, enum mb_log_level level, struct mb_text *t)
{
	mb_emit(mb, level, t);
	mbi_line_drop(t);
}

void mbi_print(const struct memblock *mb, enum mb_log_level level, const char *s1,
	      const char *s2, const char *s3)
{
	struct mb_text *t;

	t = mbi_line(mb);
	mb_text_str(t, s1);
	if (s2)
		mb_text_str(t, s2);
	if (s3)
		mb_text_str(t, s3);
	mbi_line_emit(mb, level, t);
}

/* ---- trace lines (memblock_dbg) ---- */

static bool tracing(const struct memblock *mb)
{
	return mb->debug && mb->cfg.ops.print;
}

/* Start the trace line "@name: "; NULL when tracing is off. */
static struct mb_text *trace_start(const struct memblock *mb, const char *name)
{
	struct mb_text *t;

	if (!tracing(mb))
		return NULL;
	t = mbi_line(mb);
	mb_text_str(t, name);
	mb_text_str(t, ": ");
	return t;
}

/* Every trace line ends with " %pS", the caller. */
static void trace_finish(const struct memblock *mb, struct mb_text *t, const char *caller)
{
	mb_text_char(t, ' ');
	mb_text_caller(t, caller);
	mbi_line_emit(mb, MB_LOG_DEBUG, t);
}

/* "%s: [%pa-%pa] %pS" */
void mbi_trace_range(const struct memblock *mb, const char *name, mb_phys_addr_t base,
		 mb_phys_addr_t size, const char *caller)
{
	struct mb_text *t;

	t = trace_start(mb, name);
	if (!t)
		return;
	mbi_text_pa_range(t, mb, base, base + size - 1);
	trace_finish(mb, t, caller);
}

/* 4.x: "%s: [%#016llx-%#016llx] %pS" ("0x" counts in the width 16). */
void mbi_trace_free_early(const struct memblock *mb, const char *name, mb_phys_addr_t base,
		      mb_phys_addr_t size, const char *caller)
{
	struct mb_text *t;

	t = trace_start(mb, name);
	if (!t)
		return;
	mb_text_char(t, '[');
	mb_text_hex(t, (uint64_t)base, 14, true);
	mb_text_char(t, '-');
	mb_text_hex(t, (uint64_t)base + (uint64_t)size - 1, 14, true);
	mb_text_char(t, ']');
	trace_finish(mb, t, caller);
}

/* "memblock_add_node: [%pa-%pa] nid=%d flags=%x %pS" */
void mbi_trace_add_node(const struct memblock *mb, mb_phys_addr_t base, mb_phys_addr_t size,
		    int nid, unsigned int flags, const char *caller)
{
	struct mb_text *t;

	t = trace_start(mb, "memblock_add_node");
	if (!t)
		return;
	mbi_text_pa_range(t, mb, base, base + size - 1);
	mb_text_str(t, " nid=");
	mb_text_dec(t, nid);
	mb_text_str(t, " flags=");
	mb_text_hex(t, flags, 1, false);
	trace_finish(mb, t, caller);
}

/* "%llu bytes align=0x%llx", after the name in both allocation traces. */
static void text_size_align(struct mb_text *t, mb_phys_addr_t size, mb_phys_addr_t align)
{
	mb_text_udec(t, (uint64_t)size);
	mb_text_str(t, " bytes align=");
	mb_text_hex(t, (uint64_t)align, 1, true);
}

/*
 * " from=%pa max_addr=%pa"; @short_addrs prints them as plain hex, as the
 * profiles with trace_alloc_short_addrs do for memblock_alloc_nid only.
 */
static void text_from_max(struct mb_text *t, const struct memblock *mb, mb_phys_addr_t from,
			  mb_phys_addr_t max_addr, bool short_addrs)
{
	mb_text_str(t, " from=");
	if (short_addrs)
		mb_text_hex(t, (uint64_t)from, 1, true);
	else
		mb_text_pa(t, mb, from);
	mb_text_str(t, " max_addr=");
	if (short_addrs)
		mb_text_hex(t, (uint64_t)max_addr, 1, true);
	else
		mb_text_pa(t, mb, max_addr);
}

/* "%s: %llu bytes align=0x%llx nid=%d from=%pa max_addr=%pa %pS" */
void mbi_trace_alloc_nid(const struct memblock *mb, const char *name, mb_phys_addr_t size,
		     mb_phys_addr_t align, int nid, mb_phys_addr_t from, mb_phys_addr_t max_addr,
		     const char *caller)
{
	struct mb_text *t;

	t = trace_start(mb, name);
	if (!t)
		return;
	text_size_align(t, size, align);
	mb_text_str(t, " nid=");
	mb_text_dec(t, nid);
	text_from_max(t, mb, from, max_addr, mbi_prof(mb)->trace_alloc_short_addrs);
	trace_finish(mb, t, caller);
}

/* "%s: %llu bytes align=0x%llx from=%pa max_addr=%pa %pS" */
void mbi_trace_phys_alloc(const struct memblock *mb, const char *name, mb_phys_addr_t size,
		      mb_phys_addr_t align, mb_phys_addr_t from, mb_phys_addr_t max_addr,
		      const char *caller)
{
	struct mb_text *t;

	t = trace_start(mb, name);
	if (!t)
		return;
	text_size_align(t, size, align);
	text_from_max(t, mb, from, max_addr, false);
	trace_finish(mb, t, caller);
}

/* ---- memblock_dump_all() ---- */

/*
 * The profiles that keep an empty-type dummy (6.1 and older) also predate
 * numa_valid_node() in the dump and the nid/flags columns in debugfs:
 * they print " on node N" for every nid but MAX_NUMNODES, and debugfs
 * lines are just "%4d: %pa..%pa".
 */
static bool legacy_text(const struct memblock *mb)
{
	return mbi_prof(mb)->empty_dummy;
}

static bool dump_shows_node(const struct memblock *mb, int nid)
{
	if (legacy_text(mb))
		return nid != mbi_max_numnodes(mb);
	return mbi_valid_node(mb, nid);
}

/* Where dump and debugfs lines go: ops.print or a caller's hook (NULL: nowhere). */
struct line_sink {
	mb_print_fn print;
	void *ctx;
};

static void sink_emit(const struct line_sink *out, struct mb_text *t)
{
	if (out->print)
		out->print(out->ctx, MB_LOG_INFO, t->buf);
	mbi_line_drop(t);
}

static void dump_region(const struct memblock *mb, const struct line_sink *out,
			const struct memblock_type *type, unsigned long idx)
{
	const struct memblock_region *r = mbi_st_at(mb, type, idx);
	int nid = mbi_region_nid(mb, r);
	struct mb_text *t;

	t = mbi_line(mb);
	mb_text_char(t, ' ');
	mb_text_str(t, type->name);
	mb_text_char(t, '[');
	mb_text_hex(t, idx, 1, true);
	mb_text_str(t, "]\t");
	mbi_text_pa_range(t, mb, r->base, r->base + r->size - 1);
	mb_text_str(t, ", ");
	mb_text_pa(t, mb, r->size);
	mb_text_str(t, " bytes");
	if (mb->cfg.numa && dump_shows_node(mb, nid)) {
		mb_text_str(t, " on node ");
		mb_text_dec(t, nid);
	}
	mb_text_str(t, " flags: ");
	mb_text_hex(t, r->flags, 1, true);
	sink_emit(out, t);
}

static void dump_type(const struct memblock *mb, const struct line_sink *out,
		      const struct memblock_type *type)
{
	struct mb_text *t;
	unsigned long i;

	t = mbi_line(mb);
	mb_text_char(t, ' ');
	mb_text_str(t, type->name);
	mb_text_str(t, ".cnt  = ");
	mb_text_hex(t, type->cnt, 1, true);
	sink_emit(out, t);
	for (i = 0; i < type->cnt; i++)
		dump_region(mb, out, type, i);
}

/**
 * mb_dump_to() - __memblock_dump_all(), printed through @print instead
 * of ops.print
 * @mb: instance (NULL: nothing)
 * @print: gets every line at info level (NULL: nothing is printed)
 * @ctx: passed to @print
 *
 * The instance is left as it was, its ops included.
 */
void mb_dump_to(const struct memblock *mb, mb_print_fn print, void *ctx)
{
	const struct line_sink out = {print, ctx};
	struct mb_text *t;

	if (!mb)
		return;
	t = mbi_line(mb);
	mb_text_str(t, "MEMBLOCK configuration:");
	sink_emit(&out, t);
	t = mbi_line(mb);
	mb_text_str(t, " memory size = ");
	mb_text_pa(t, mb, mb->memory.total_size);
	mb_text_str(t, " reserved size = ");
	mb_text_pa(t, mb, mb->reserved.total_size);
	sink_emit(&out, t);
	dump_type(mb, &out, &mb->memory);
	dump_type(mb, &out, &mb->reserved);
	if (mb->physmem.regions)
		dump_type(mb, &out, &mb->physmem);
}

/**
 * mb_dump() - __memblock_dump_all(): the MEMBLOCK configuration, always
 * @mb: instance; lines go to ops.print at info level
 */
void mb_dump(const struct memblock *mb)
{
	if (mb)
		mb_dump_to(mb, mb->cfg.ops.print, mb->cfg.ops.print_ctx);
}

/**
 * mb_dump_all() - memblock_dump_all(): mb_dump() only with memblock=debug
 * @mb: instance
 */
void mb_dump_all(const struct memblock *mb)
{
	if (mb && mb->debug)
		mb_dump(mb);
}

/* ---- /sys/kernel/debug/memblock/<type> ---- */

static const char *const flag_names[] = {
	"HOTPLUG", "MIRROR", "NOMAP", "DRV_MNG", "RSV_NIT", "RSV_KERN", "KHO_SCRATCH",
};

static void debugfs_flags(struct mb_text *t, const struct memblock *mb, unsigned int flags)
{
	unsigned int known = mbi_prof(mb)->flags_known;
	unsigned int bit;
	bool first = true;

	if (!flags) {
		mb_text_str(t, "NONE");
		return;
	}
	for (bit = 0; flags; bit++, flags >>= 1) {
		if (!(flags & 1))
			continue;
		if (!first)
			mb_text_char(t, '|');
		if (bit < sizeof(flag_names) / sizeof(flag_names[0]) && (known >> bit) & 1)
			mb_text_str(t, flag_names[bit]);
		else
			mb_text_str(t, "UNKNOWN");
		first = false;
	}
}

/**
 * mb_debugfs_show_to() - mb_debugfs_show() printed through @print
 * @mb: instance
 * @type: &mb->memory, &mb->reserved or &mb->physmem
 * @print: gets every line at info level (NULL: nothing is printed)
 * @ctx: passed to @print
 */
void mb_debugfs_show_to(const struct memblock *mb, const struct memblock_type *type,
			mb_print_fn print, void *ctx)
{
	const struct line_sink out = {print, ctx};
	unsigned long i;

	if (!mb || !type || !type->regions)
		return;
	for (i = 0; i < type->cnt; i++) {
		const struct memblock_region *r = mbi_st_at(mb, type, i);
		int nid = mbi_region_nid(mb, r);
		struct mb_text *t;

		t = mbi_line(mb);
		text_dec_width(t, (int64_t)i, 4);
		mb_text_str(t, ": ");
		mb_text_pa(t, mb, r->base);
		mb_text_str(t, "..");
		mb_text_pa(t, mb, r->base + r->size - 1);
		if (legacy_text(mb)) {
			sink_emit(&out, t);
			continue;
		}
		mb_text_char(t, ' ');
		if (mbi_valid_node(mb, nid))
			text_dec_width(t, nid, 4);
		else
			mb_text_str(t, "   x");
		mb_text_char(t, ' ');
		debugfs_flags(t, mb, r->flags);
		sink_emit(&out, t);
	}
}

/**
 * mb_debugfs_show() - /sys/kernel/debug/memblock/<type>, one line per region
 * @mb: instance; lines go to ops.print at info level
 * @type: &mb->memory, &mb->reserved or &mb->physmem
 */
void mb_debugfs_show(const struct memblock *mb, const struct memblock_type *type)
{
	if (mb)
		mb_debugfs_show_to(mb, type, mb->cfg.ops.print, mb->cfg.ops.print_ctx);
}
