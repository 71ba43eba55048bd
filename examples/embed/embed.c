// SPDX-License-Identifier: MIT
/*
 * embed.c - a freestanding consumer of the memblock core: a boot loader
 * or kernel that owns all storage statically. Nothing here needs a C
 * library; the integrator provides memcpy/memmove/memset/memcmp (see
 * minilibc.c), which the compiler may call even in freestanding code.
 *
 * The "machine": 64 MiB of RAM at 0x80000000 with the image at the
 * bottom. The region arrays start small and in .bss; once resizing is
 * allowed, Linux-style growth moves them into managed RAM, reached
 * through phys_to_virt (here an identity window onto a static buffer
 * standing in for RAM high up).
 */
#include <memblock/memblock.h>

#include "embed.h"

#define RAM_BASE 0x80000000u
#define RAM_SIZE 0x4000000u
#define WINDOW_SIZE 0x10000u /* the top 64 KiB are "mapped" */
#define WINDOW_BASE (RAM_BASE + RAM_SIZE - WINDOW_SIZE)

static struct memblock mb;
static struct memblock_region memory_regions[8];
static struct memblock_region reserved_regions[8];
static unsigned char window[WINDOW_SIZE] __attribute__((aligned(4096)));

static void (*out)(const char *line);

static void print(void *ctx, enum mb_log_level level, const char *line)
{
	(void)ctx;
	(void)level;
	out(line);
}

static void *phys_to_virt(void *ctx, mb_phys_addr_t phys, mb_phys_addr_t size)
{
	(void)ctx;
	if (phys < WINDOW_BASE || size > WINDOW_SIZE || phys - WINDOW_BASE > WINDOW_SIZE - size)
		return (void *)0;
	return window + (phys - WINDOW_BASE);
}

static mb_phys_addr_t virt_to_phys(void *ctx, const void *virt)
{
	const unsigned char *p = virt;

	(void)ctx;
	return WINDOW_BASE + (mb_phys_addr_t)(p - window);
}

static int setup(void)
{
	struct mb_config cfg;

	mb_config_default(&cfg);
	cfg.debug = true;
	cfg.memory_regions = memory_regions;
	cfg.memory_max = 8;
	cfg.reserved_regions = reserved_regions;
	cfg.reserved_max = 8;
	cfg.ops.print = print;
	cfg.ops.phys_to_virt = phys_to_virt;
	cfg.ops.virt_to_phys = virt_to_phys;
	return mb_init(&mb, &cfg);
}

int embed_main(void (*putline)(const char *line))
{
	mb_phys_addr_t phys;
	void *table;
	int i, rc;

	out = putline;
	rc = setup();
	if (rc)
		return rc;
	mb_set_caller(&mb, "embed_main");
	rc = mb_add(&mb, RAM_BASE, RAM_SIZE);
	if (!rc)
		rc = mb_reserve(&mb, RAM_BASE, 0x200000); /* the image */
	if (rc)
		return rc;
	mb_allow_resize(&mb);
	/* Sixteen scattered reservations: reserved grows past its 8 slots. */
	for (i = 0; i < 16 && !rc; i++)
		rc = mb_reserve(&mb, RAM_BASE + 0x400000 + (mb_phys_addr_t)i * 0x10000, 0x1000);
	if (!rc)
		rc = mb_alloc(&mb, 256, 64, &table, &phys);
	if (rc)
		return rc;
	mb_dump_all(&mb);
	return mb_check(&mb, (char *)0, 0);
}
