/* SPDX-License-Identifier: MIT */
/*
 * kharness: wraps the tools/include <linux/mm.h> of the kernel tree so
 * that __va/__pa (phys_to_virt/virt_to_phys) go through the harness's
 * simulated physical memory (a host buffer at physical 0) instead of the
 * identity mapping, and early_pfn_to_nid() answers from memblock.memory.
 * Used only when building the kernel side in the cache.
 */
#ifndef KHARNESS_LINUX_MM_H
#define KHARNESS_LINUX_MM_H

#include_next <linux/mm.h>

void *kh_phys_to_virt(unsigned long long phys);
unsigned long long kh_virt_to_phys(const volatile void *virt);

#undef __va
#undef __pa
#undef phys_to_virt
#undef virt_to_phys
#define __va(x)		kh_phys_to_virt((unsigned long long)(x))
#define __pa(x)		kh_virt_to_phys((const volatile void *)(x))
#define phys_to_virt(x) kh_phys_to_virt((unsigned long long)(x))
#define virt_to_phys(x) kh_virt_to_phys(x)

/*
 * tools/include says node 0 for every pfn; a real kernel asks its NUMA
 * tables. Ours (and our core) take the node of the memory region holding
 * the pfn, 0 when there is none or it has no valid node.
 */
int kh_early_pfn_to_nid(unsigned long pfn);
#define early_pfn_to_nid(pfn) kh_early_pfn_to_nid(pfn)

#endif
