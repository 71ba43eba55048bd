// SPDX-License-Identifier: MIT
/*
 * kstubs.c - for the reference build of the kernel's tools/testing/memblock
 * with the kernel's own mm/memblock.c (scripts/check-linux): the slab calls
 * memblock.c links against. The slab is never up in that suite
 * (slab_is_available() is false), so they are never really called.
 */
#include <stdlib.h>

void *kmalloc(size_t size, unsigned int gfp);
void kfree(void *p);

void *kmalloc(size_t size, unsigned int gfp)
{
	(void)gfp;
	return malloc(size);
}

void kfree(void *p)
{
	free(p);
}
