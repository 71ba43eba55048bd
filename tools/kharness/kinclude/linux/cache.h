/* SPDX-License-Identifier: MIT */
/*
 * kharness: x86-64's cache line (64 bytes) instead of the 32 of the
 * kernel's tools/include, so that SMP_CACHE_BYTES (the default alignment)
 * is the one of a real x86-64 kernel and of our default instance.
 */
#ifndef KHARNESS_LINUX_CACHE_H
#define KHARNESS_LINUX_CACHE_H

#define L1_CACHE_SHIFT	6
#define L1_CACHE_BYTES	(1 << L1_CACHE_SHIFT)
#define SMP_CACHE_BYTES L1_CACHE_BYTES

#endif
