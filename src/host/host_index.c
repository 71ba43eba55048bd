// SPDX-License-Identifier: MIT
/*
 * host_index.c - index storage for hosted programs: the core asks through
 * ops.index_alloc/index_free and never mallocs itself.
 */
#include <stdlib.h>
#include <string.h>

#include <memblock/host_index.h>

static void *heap_alloc(void *ctx, size_t bytes)
{
	(void)ctx;
	return malloc(bytes ? bytes : 1);
}

static void heap_free(void *ctx, void *mem, size_t bytes)
{
	(void)ctx;
	(void)bytes;
	free(mem);
}

void mb_host_index_install(struct mb_ops *ops)
{
	if (!ops)
		return;
	ops->index_alloc = heap_alloc;
	ops->index_free = heap_free;
	ops->index_ctx = NULL;
}

int mb_host_index_set(struct memblock *mb, enum mb_index_mode mode)
{
	int err;

	if (!mb)
		return -MB_EINVAL;
	if (!mb_get_config(mb)->ops.index_alloc) {
		struct mb_ops ops = mb_get_config(mb)->ops;

		mb_host_index_install(&ops);
		mb_set_ops(mb, &ops);
	}
	err = mb_set_index(mb, mode);
	if (err && mode == MB_INDEX_AUTO)
		return 0;
	return err;
}

void mb_host_index_release(struct memblock *mb)
{
	if (mb && mb->index_mode != MB_INDEX_OFF)
		mb_set_index(mb, MB_INDEX_OFF);
}

int mb_host_index_apply(struct memblock *mb, const char *mode)
{
	enum mb_index_mode m = MB_INDEX_AUTO;

	if (mode && mb_index_mode_parse(mode, &m))
		return -MB_EINVAL;
	return mb_host_index_set(mb, m);
}

static const char *const mode_names[] = {
	[MB_INDEX_OFF] = "off",
	[MB_INDEX_ON] = "on",
	[MB_INDEX_AUTO] = "auto",
};

int mb_index_mode_parse(const char *text, enum mb_index_mode *mode)
{
	if (!text || !mode)
		return -MB_EINVAL;
	for (size_t i = 0; i < sizeof(mode_names) / sizeof(mode_names[0]); i++) {
		if (!strcmp(text, mode_names[i])) {
			*mode = (enum mb_index_mode)i;
			return 0;
		}
	}
	return -MB_EINVAL;
}

const char *mb_index_mode_name(enum mb_index_mode mode)
{
	if ((unsigned int)mode >= sizeof(mode_names) / sizeof(mode_names[0]))
		return "?";
	return mode_names[mode];
}
