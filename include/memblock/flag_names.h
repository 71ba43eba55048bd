/* SPDX-License-Identifier: MIT */
/*
 * flag_names.h - the names of the region flags (MB_FLAG_*), one table for
 * every tool: scripts and their completion, the views, the replay's maps.
 * The first name of a bit is the kernel's enum name without MEMBLOCK_;
 * later ones are the debugfs abbreviations scripts also accept. (The
 * core's own debugfs text, whose spelling depends on the profile, is the
 * core's business: mb_debugfs_show().)
 */
#ifndef MEMBLOCK_FLAG_NAMES_H
#define MEMBLOCK_FLAG_NAMES_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * mb_flag_name_at() - the i-th entry of the flag-name table
 * @i: index from 0
 * @bit: set to the flag it names (MB_FLAG_NONE for "NONE"); may be NULL
 *
 * Return: the name ("HOTPLUG", "DRV_MNG", ...), NULL past the last.
 */
const char *mb_flag_name_at(size_t i, unsigned int *bit);

/**
 * mb_flags_text() - "HOTPLUG|MIRROR" text of region flags
 * @flags: MB_FLAG_* bits
 * @buf: output buffer
 * @len: size of @buf (the text is cut to fit)
 *
 * The first name of each bit, "NONE" for 0, "0x.." for bits without one.
 *
 * Return: @buf.
 */
const char *mb_flags_text(unsigned int flags, char *buf, size_t len);

#ifdef __cplusplus
}
#endif

#endif /* MEMBLOCK_FLAG_NAMES_H */
