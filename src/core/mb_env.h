/* SPDX-License-Identifier: MIT */
/*
 * mb_env.h - what the core needs from its environment, in one place.
 *
 * Beyond the four freestanding headers the core needs only to copy,
 * move and clear memory, and may hint that memory is read soon. GCC and
 * Clang require memcpy, memmove and memset from every freestanding
 * environment and may emit calls to them on their own, so those are the
 * only external symbols the core uses.
 * A port to another compiler or environment replaces this file, as
 * libfdt's users replace libfdt_env.h, and touches nothing else.
 */
#ifndef MEMBLOCK_CORE_MB_ENV_H
#define MEMBLOCK_CORE_MB_ENV_H

#include <stddef.h>

#if defined(__GNUC__) || defined(__clang__)
/*
 * The core is built with -ffreestanding, which turns off the compiler's
 * knowledge of memcpy; the builtins keep small fixed-size copies inline,
 * and so keep the core within its stack bound (tests/core/stack_usage.py).
 */
#define mb_copy(dst, src, n) __builtin_memcpy((dst), (src), (n))
#define mb_move(dst, src, n) __builtin_memmove((dst), (src), (n))
#define mb_zero(dst, n)	     __builtin_memset((dst), 0, (n))
/* A hint that *@p is read soon (the index's descents ask for both children). */
#define mb_prefetch(p)	     __builtin_prefetch((p))
#else
void *memcpy(void *restrict dst, const void *restrict src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);

#define mb_copy(dst, src, n) memcpy((dst), (src), (n))
#define mb_move(dst, src, n) memmove((dst), (src), (n))
#define mb_zero(dst, n)	     memset((dst), 0, (n))
#define mb_prefetch(p)	     ((void)(p))
#endif

#endif /* MEMBLOCK_CORE_MB_ENV_H */
