/* SPDX-License-Identifier: MIT */
/*
 * host_index.h - region indexes (mb_set_index()) backed by the host heap,
 * for hosted programs: the CLI, the boot simulator and the log replayer.
 */
#ifndef MEMBLOCK_HOST_INDEX_H
#define MEMBLOCK_HOST_INDEX_H

#include <memblock/memblock.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * mb_host_index_install() - index storage from malloc()/free()
 * @ops: ops whose index_alloc, index_free and index_ctx are set
 */
void mb_host_index_install(struct mb_ops *ops);

/**
 * mb_host_index_set() - switch an instance's index mode
 * @mb: instance
 * @mode: MB_INDEX_OFF, MB_INDEX_ON or MB_INDEX_AUTO
 *
 * Installs the heap storage first when the instance has no index hooks.
 * MB_INDEX_AUTO is a preference: when the index cannot be set up the
 * instance stays flat and the call succeeds. Switching to MB_INDEX_OFF
 * releases the index storage: do it before mb_init() reinitialises an
 * indexed instance and before the instance goes away.
 *
 * Return: 0, or the error of mb_set_index() (the instance is unchanged).
 */
int mb_host_index_set(struct memblock *mb, enum mb_index_mode mode);

/**
 * mb_host_index_release() - back to flat arrays, the index storage freed
 * @mb: instance, or a zeroed one that mb_init() never saw
 *
 * Call it before mb_init() reinitialises an instance and before the
 * instance (or its region arrays) goes away.
 */
void mb_host_index_release(struct memblock *mb);

/**
 * mb_host_index_apply() - mb_host_index_set() for a mode named by a word
 * @mb: instance
 * @mode: "off", "on", "auto", or NULL for "auto"
 *
 * Return: 0; -MB_EINVAL for an unknown word; the error of mb_set_index().
 */
int mb_host_index_apply(struct memblock *mb, const char *mode);

/**
 * mb_index_mode_parse() - "off", "on" or "auto"
 * @text: the word
 * @mode: receives the mode
 *
 * Return: 0, or -MB_EINVAL for anything else.
 */
int mb_index_mode_parse(const char *text, enum mb_index_mode *mode);

/**
 * mb_index_mode_name() - the word for a mode ("off", "on", "auto")
 * @mode: mode
 *
 * Return: the word, "?" for an unknown mode.
 */
const char *mb_index_mode_name(enum mb_index_mode mode);

#ifdef __cplusplus
}
#endif

#endif /* MEMBLOCK_HOST_INDEX_H */
