// SPDX-License-Identifier: MIT
/*
 * feed.c - learn who made each range from a memblock=debug log.
 *
 * The allocator's own reserve line names memblock_alloc_range_nid (or the
 * 4.x internal helper); the request line just before it names the real
 * caller, so a reservation that follows a request takes the request's.
 * A few kernel messages say what a range is where no caller does.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <memblock/trace.h>

#include "render_internal.h"

/* Byte offsets of the start of every physical line, 1-based. */
struct line_index {
	size_t *start;
	size_t nr;
};

static int index_lines(const char *buf, size_t len, struct line_index *ix)
{
	size_t nr = 1;

	for (size_t i = 0; i < len; i++)
		nr += buf[i] == '\n';
	ix->start = malloc((nr + 2) * sizeof(*ix->start));
	if (!ix->start)
		return -MB_ENOMEM;
	ix->nr = 0;
	ix->start[ix->nr++] = 0; /* line 0 is unused */
	ix->start[ix->nr++] = 0;
	for (size_t i = 0; i < len; i++)
		if (buf[i] == '\n')
			ix->start[ix->nr++] = i + 1;
	ix->start[ix->nr] = len + 1;
	return 0;
}

/* The message of physical line @line, prefixes stripped, into @out. */
static void line_text(const char *buf, size_t len, const struct line_index *ix, unsigned int line,
		      char *out, size_t outlen)
{
	size_t b, e, mlen;
	const char *msg;

	out[0] = '\0';
	if (!line || line >= ix->nr)
		return;
	b = ix->start[line];
	e = ix->start[line + 1] - 1;
	if (b > len)
		return;
	if (e > len)
		e = len;
	msg = mbt_strip_prefixes(buf + b, e - b, &mlen);
	while (mlen && (*msg == ' ' || *msg == '\t')) {
		msg++;
		mlen--;
	}
	snprintf(out, outlen, "%.*s", (int)mlen, msg);
}

static bool is_reserve_result(const struct mbt_record *rec)
{
	return rec->kind == MBT_RANGE_OP && rec->fn == MBT_FN_RESERVE;
}

struct feed {
	struct mbr_map *map;
	const char *buf;
	size_t len;
	struct line_index ix;
	struct mbt_record request;
	bool has_request;
};

static int feed_range(struct feed *f, const struct mbt_record *rec)
{
	const struct mbt_record *by = f->has_request ? &f->request : rec;
	char text[MBR_SOURCE_LEN];
	bool reserved = is_reserve_result(rec);

	f->has_request = false;
	if (!reserved && rec->fn != MBT_FN_ADD && rec->fn != MBT_FN_ADD_NODE)
		return 0;
	if (rec->last < rec->base)
		return 0;
	line_text(f->buf, f->len, &f->ix, by->line, text, sizeof(text));
	return mbr_map_attribute(f->map, reserved, rec->base, rec->last - rec->base + 1, by->caller,
				 by->line, text);
}

static int feed_record(struct feed *f, const struct mbt_record *rec)
{
	switch (rec->kind) {
	case MBT_ALLOC_REQ:
		f->request = *rec;
		f->has_request = true;
		return 0;
	case MBT_RANGE_OP:
		return feed_range(f, rec);
	case MBT_DUMP_BEGIN:
	case MBT_DUMP_SIZES:
	case MBT_DUMP_CNT:
	case MBT_DUMP_REGION:
		return 0;
	default:
		f->has_request = false;
		return 0;
	}
}

/* "cma: Reserved 32 MiB at 0x00000000be000000" */
static int cma_message(struct mbr_map *map, const char *msg)
{
	unsigned long long mib, base;

	if (sscanf(msg, "cma: Reserved %llu MiB at %llx", &mib, &base) != 2)
		return 0;
	return mbr_map_hint(map, base, mib << 20, MBR_KIND_CMA);
}

/* "crashkernel: reserved 0xa8000000 - 0xb8000000 (256 MB)", and the older
 * "Reserving 256MB of memory at 2432MB for crashkernel". */
static int crash_message(struct mbr_map *map, const char *msg)
{
	unsigned long long base, end, mb_size, mb_at;
	const char *p = strstr(msg, "crashkernel");

	if (!p)
		return 0;
	if (sscanf(p, "crashkernel: reserved %llx - %llx", &base, &end) == 2 ||
	    sscanf(p, "crashkernel reserved: %llx - %llx", &base, &end) == 2)
		return end > base ? mbr_map_hint(map, base, end - base, MBR_KIND_CRASHKERNEL) : 0;
	if (sscanf(msg, "Reserving %lluMB of memory at %lluMB for crashkernel", &mb_size, &mb_at) ==
	    2)
		return mbr_map_hint(map, mb_at << 20, mb_size << 20, MBR_KIND_CRASHKERNEL);
	return 0;
}

static int feed_messages(struct feed *f)
{
	char text[MBR_TEXT_LEN];

	for (unsigned int line = 1; line < f->ix.nr; line++) {
		line_text(f->buf, f->len, &f->ix, line, text, sizeof(text));
		if (!strncmp(text, "Memory: ", 8) && strstr(text, "available"))
			mbr_map_set_memory_line(f->map, text);
		if (cma_message(f->map, text) || crash_message(f->map, text))
			return -MB_ENOMEM;
	}
	return 0;
}

int mbr_map_feed_log(struct mbr_map *map, const char *buf, size_t len)
{
	struct feed f = { .map = map, .buf = buf, .len = len };
	struct mbt_parser *p = malloc(sizeof(*p));
	struct mbt_record rec;
	int ret = 0;

	if (!p || index_lines(buf, len, &f.ix)) {
		free(p);
		return -MB_ENOMEM;
	}
	mbt_parser_init(p, buf, len);
	while (!ret && mbt_parser_next(p, &rec))
		ret = feed_record(&f, &rec);
	if (!ret)
		ret = feed_messages(&f);
	free(f.ix.start);
	free(p);
	return ret;
}
