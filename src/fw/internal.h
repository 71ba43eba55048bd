/* SPDX-License-Identifier: MIT */
/* Private helpers of the firmware front ends. */
#ifndef MEMBLOCK_FW_INTERNAL_H
#define MEMBLOCK_FW_INTERNAL_H

#include <stdarg.h>
#include <stdint.h>

#include <memblock/fw.h>

#define FW_PAGE_SIZE 4096ULL
#define FW_SZ_1M     (1ULL << 20)
#define FW_SZ_4G     (1ULL << 32)

/* mb_set_caller() with the label of @which. */
void fwi_caller(struct memblock *mb, enum fw_caller which);

/* printf-style line to the instance's print sink; @mb may be NULL. */
void fwi_log(const struct memblock *mb, enum mb_log_level level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static inline uint64_t fw_min64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

static inline uint64_t fw_max64(uint64_t a, uint64_t b)
{
	return a > b ? a : b;
}

static inline uint64_t fw_get_le(const uint8_t *p, int bytes)
{
	uint64_t v = 0;

	while (bytes--)
		v = (v << 8) | p[bytes];
	return v;
}

static inline void fw_put_le(uint8_t *p, uint64_t v, int bytes)
{
	for (int i = 0; i < bytes; i++, v >>= 8)
		p[i] = (uint8_t)v;
}

#endif /* MEMBLOCK_FW_INTERNAL_H */
