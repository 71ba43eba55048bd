/* SPDX-License-Identifier: MIT */
/*
 * linux_internal.h - shared by the files of the Linux compatibility layer.
 */
#ifndef MEMBLOCK_LINUX_INTERNAL_H
#define MEMBLOCK_LINUX_INTERNAL_H

#include <memblock/memblock.h>

extern struct memblock memblock;

/*
 * Every call of the layer goes through the two helpers below, so their
 * common case is inline: at a hundred regions a call into another file
 * costs as much as the work. ml_ready: the instance is configured and no
 * movable_node flag is bound (which each call would copy in).
 */
extern bool ml_ready;
extern int ml_last_error;
struct memblock *ml_instance_slow(void);
int ml_errno(int err);

/* The global instance, initialised on first use. */
static inline struct memblock *ml_instance(void)
{
	return ml_ready ? &memblock : ml_instance_slow();
}

/* Records @err as the last error and maps it to the kernel's errno. */
static inline int ml_result(int err)
{
	ml_last_error = err;
	return err ? ml_errno(err) : 0;
}

#endif /* MEMBLOCK_LINUX_INTERNAL_H */
