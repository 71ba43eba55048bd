// SPDX-License-Identifier: MIT
/*
 * broken.c - the negative control of scripts/check-linux: linked with
 * -Wl,--wrap=memblock_remove into one extra build of the kernel's suite,
 * it removes one byte less than asked. The suite must catch that; if it
 * passes, the harness is not testing anything.
 */
#include <memblock/linux.h>

int __real_memblock_remove(phys_addr_t base, phys_addr_t size);
int __wrap_memblock_remove(phys_addr_t base, phys_addr_t size);

int __wrap_memblock_remove(phys_addr_t base, phys_addr_t size)
{
	return __real_memblock_remove(base, size ? size - 1 : 0);
}
