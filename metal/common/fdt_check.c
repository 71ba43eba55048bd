/* SPDX-License-Identifier: MIT */
/*
 * fdt_check.c - fdt_check_full() for the libfdt of the Linux source tree,
 * which leaves it out: walk the whole structure block once and refuse a
 * blob whose nodes do not nest, whose properties or names leave their
 * blocks, or that ends early. src/fw validates every DTB with it before
 * applying anything.
 */
#include <libfdt.h>

static int check_prop(const void *fdt, int offset)
{
	const struct fdt_property *prop;
	int len;

	prop = fdt_get_property_by_offset(fdt, offset, &len);
	if (!prop)
		return len;
	if (!fdt_get_string(fdt, fdt32_ld(&prop->nameoff), &len))
		return len;
	return 0;
}

int fdt_check_full(const void *fdt, size_t bufsize)
{
	int offset = 0, next, depth = -1, err;
	uint32_t tag;

	if (bufsize < FDT_V1_SIZE || bufsize < fdt_header_size(fdt))
		return -FDT_ERR_TRUNCATED;
	err = fdt_check_header(fdt);
	if (err)
		return err;
	if (bufsize < fdt_totalsize(fdt))
		return -FDT_ERR_TRUNCATED;
	for (;;) {
		tag = fdt_next_tag(fdt, offset, &next);
		if (next < 0)
			return next;
		switch (tag) {
		case FDT_BEGIN_NODE:
			if (++depth > INT_MAX / 2)
				return -FDT_ERR_BADSTRUCTURE;
			if (!fdt_get_name(fdt, offset, &err))
				return err;
			break;
		case FDT_END_NODE:
			if (--depth < -1)
				return -FDT_ERR_BADSTRUCTURE;
			break;
		case FDT_PROP:
			if (depth < 0)
				return -FDT_ERR_BADSTRUCTURE;
			err = check_prop(fdt, offset);
			if (err)
				return err;
			break;
		case FDT_NOP:
			break;
		case FDT_END:
			return depth == -1 ? 0 : -FDT_ERR_TRUNCATED;
		default:
			return -FDT_ERR_BADSTRUCTURE;
		}
		offset = next;
	}
}
