/* SPDX-License-Identifier: MIT */
/*
 * ksuite: the kernel's tools/testing/memblock includes <linux/memblock.h>;
 * here that is our compatibility header. It first includes what the
 * kernel's header includes (<linux/init.h>, <linux/mm.h>, <asm/dma.h>,
 * from the kernel tree's tools headers), so that the page, pfn, cache and
 * node macros are the kernel build's and the guarded ones of
 * <memblock/linux.h> step aside - which is the point of the exercise.
 */
#ifndef KSUITE_LINUX_MEMBLOCK_H
#define KSUITE_LINUX_MEMBLOCK_H

#include <linux/init.h>
#include <linux/mm.h>
#include <asm/dma.h>

#include <memblock/linux.h>

#endif
