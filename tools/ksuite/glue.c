// SPDX-License-Identifier: MIT
/*
 * glue.c - what the kernel's tools/testing/memblock needs besides the
 * memblock API, for a build against <memblock/linux.h>: the suite's -m
 * option sets its movable_node_enabled variable, which the kernel reads
 * through movable_node_is_enabled() on every call; ours is bound to it.
 * The instance's profile and NUMA configuration are build-time choices
 * (see scripts/check-linux), so nothing else is set up here.
 */
#include <stdbool.h>

#include <memblock/linux.h>

extern bool movable_node_enabled;

__attribute__((constructor)) static void ksuite_bind(void)
{
	memblock_linux_bind_movable_node(&movable_node_enabled);
}
