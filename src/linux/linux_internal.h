/* SPDX-License-Identifier: MIT */
/*
 * linux_internal.h - shared by the files of the Linux compatibility layer.
 */
#ifndef MEMBLOCK_LINUX_INTERNAL_H
#define MEMBLOCK_LINUX_INTERNAL_H

#include <memblock/memblock.h>

/* The global instance, initialised on first use. */
struct memblock *ml_instance(void);

/* Records @err as the last error and maps it to the kernel's errno. */
int ml_result(int err);

#endif /* MEMBLOCK_LINUX_INTERNAL_H */
