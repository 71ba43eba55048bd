/* SPDX-License-Identifier: MIT */
/*
 * percpu.c - setup_per_cpu_areas() with the generic embedding allocator
 * (mm/percpu.c): pcpu_embed_first_chunk() and pcpu_setup_first_chunk().
 * Every allocation size follows from the sizes the kernel prints in its
 * "percpu: Embedded ..." line and the C type sizes of the build.
 */
#include <stdio.h>
#include <string.h>

#include "sim_internal.h"

#define PCPU_SLOT_BASE_SHIFT 5
#define PCPU_MIN_ALLOC_SHIFT 2
#define PCPU_BITMAP_BLOCK_SIZE 4096

static bool old_kernel(const struct sim_boot *b)
{
	return b->m.profile == MB_PROFILE_LINUX_4_X;
}

/* 4.x virtual allocators take align 0 and print it; later ones pass 64. */
static uint64_t cache_align(const struct sim_boot *b)
{
	return old_kernel(b) ? 0 : 64;
}

static uint64_t bits_to_longs(uint64_t bits, unsigned int long_size)
{
	uint64_t per = 8ull * long_size;

	return (bits + per - 1) / per;
}

static int fls_ul(unsigned long v)
{
	int n = 0;

	while (v) {
		n++;
		v >>= 1;
	}
	return n;
}

/* __pcpu_size_to_slot() */
static int size_to_slot(unsigned long size)
{
	int slot = fls_ul(size) - PCPU_SLOT_BASE_SHIFT + 2;

	return slot < 1 ? 1 : slot;
}

static int digits(int v)
{
	int n = 1;

	while (v >= 10) {
		v /= 10;
		n++;
	}
	return n;
}

/* memblock_alloc() in pcpu code; 4.x _nopanic variants where 4.x used them. */
static uint64_t pcpu_alloc(struct sim_boot *b, const char *site, const char *fn, uint64_t size,
			   uint64_t align, bool nopanic)
{
	simi_caller(b, site, fn);
	if (nopanic && old_kernel(b))
		return simi_alloc_nopanic(b, size, align, 0, MB_ALLOC_ACCESSIBLE, MB_NUMA_NO_NODE,
					 fn);
	return simi_alloc(b, size, align, 0, MB_ALLOC_ACCESSIBLE, MB_NUMA_NO_NODE, fn);
}

/* pcpu_alloc_first_chunk(): the chunk and its three bitmaps. */
static void alloc_first_chunk(struct sim_boot *b, unsigned long offset, unsigned long map_size)
{
	const struct sim_percpu *p = &b->m.percpu;
	unsigned long start_offset = offset % 4096;
	unsigned long region_size = (unsigned long)sim_round_up(start_offset + map_size, 4096);
	unsigned long region_bits = region_size >> PCPU_MIN_ALLOC_SHIFT;
	uint64_t pages = region_size / 4096, populated;

	populated = bits_to_longs(pages, p->long_size);
	if (!p->populated_bytes_bug)
		populated *= p->long_size;
	pcpu_alloc(b, "pcpu.chunk", "pcpu_alloc_first_chunk", p->chunk_size + populated,
		   cache_align(b), false);
	pcpu_alloc(b, "pcpu.alloc_map", "pcpu_alloc_first_chunk",
		   bits_to_longs(region_bits, p->long_size) * p->long_size, cache_align(b), false);
	pcpu_alloc(b, "pcpu.bound_map", "pcpu_alloc_first_chunk",
		   bits_to_longs(region_bits + 1, p->long_size) * p->long_size, cache_align(b),
		   false);
	pcpu_alloc(b, "pcpu.md_blocks", "pcpu_alloc_first_chunk",
		   (region_size / PCPU_BITMAP_BLOCK_SIZE) * p->block_md_size, cache_align(b), false);
}

/* pcpu_dump_alloc_info(): one group, one unit per cpu. */
static void dump_alloc_info(struct sim_boot *b)
{
	const struct sim_percpu *p = &b->m.percpu;
	int cpu_width = digits(b->m.nr_cpus - 1), width, per_line = 1;
	char line[1024];
	size_t len = 0;

	simi_printk(b, SIM_LINE_KERNEL, "pcpu-alloc: s%lu r%lu d%lu u%lu alloc=%lu*%u",
		   p->static_size, p->reserved_size, p->dyn_size, p->unit_size,
		   p->unit_size / 4096, 4096);
	width = (cpu_width + 1) + 1 + 3;
	while (per_line * 2 <= 60 / width)
		per_line *= 2;
	for (int cpu = 0; cpu < b->m.nr_cpus; cpu++) {
		if (cpu % per_line == 0) {
			if (len)
				simi_printk(b, SIM_LINE_KERNEL, "%s", line);
			len = (size_t)snprintf(line, sizeof(line), "pcpu-alloc: ");
		}
		len += (size_t)snprintf(line + len, sizeof(line) - len, "[0] %0*d ", cpu_width, cpu);
		if (len >= sizeof(line) - 16)
			len = sizeof(line) - 16;
	}
	if (len)
		simi_printk(b, SIM_LINE_KERNEL, "%s", line);
}

/* pcpu_setup_first_chunk() */
static void setup_first_chunk(struct sim_boot *b)
{
	const struct sim_percpu *p = &b->m.percpu;
	unsigned int ls = p->long_size;
	int nr_slots = size_to_slot(p->unit_size) + (int)p->extra_slots;

	pcpu_alloc(b, "pcpu.group_offsets", "pcpu_setup_first_chunk", ls, cache_align(b), false);
	pcpu_alloc(b, "pcpu.group_sizes", "pcpu_setup_first_chunk", ls, cache_align(b), false);
	pcpu_alloc(b, "pcpu.unit_map", "pcpu_setup_first_chunk", 4ull * (unsigned)b->m.nr_cpus,
		   cache_align(b), false);
	pcpu_alloc(b, "pcpu.unit_off", "pcpu_setup_first_chunk",
		   (uint64_t)ls * (unsigned)b->m.nr_cpus, cache_align(b), false);
	if (!old_kernel(b))
		dump_alloc_info(b);
	pcpu_alloc(b, "pcpu.slot", "pcpu_setup_first_chunk", (uint64_t)nr_slots * 2 * ls,
		   cache_align(b), false);
	if (p->reserved_size) {
		alloc_first_chunk(b, p->static_size, p->reserved_size);
		alloc_first_chunk(b, p->static_size + p->reserved_size, p->dyn_size);
	} else {
		alloc_first_chunk(b, p->static_size, p->dyn_size);
	}
}

/* pcpu_embed_first_chunk() with pcpu_dfl_fc_alloc / pcpu_dfl_fc_free. */
void simi_setup_per_cpu_areas(struct sim_boot *b, uint64_t fc_min_addr)
{
	const struct sim_percpu *p = &b->m.percpu;
	unsigned long size_sum = p->static_size + p->reserved_size + p->dyn_size;
	uint64_t ai, areas, base, fc_size;
	unsigned int nr = (unsigned int)b->m.nr_cpus;

	if (!p->unit_size || p->unit_size < size_sum)
		return;
	ai = pcpu_alloc(b, "pcpu.ai", "pcpu_alloc_alloc_info", sim_round_up(64 + 4ull * nr, 4096),
			old_kernel(b) ? 0 : 4096, true);
	areas = pcpu_alloc(b, "pcpu.areas", "pcpu_embed_first_chunk",
			   sim_round_up(p->long_size, 4096), cache_align(b), true);
	fc_size = (uint64_t)nr * p->unit_size;
	simi_caller(b, "pcpu.fc_alloc", "pcpu_dfl_fc_alloc");
	if (old_kernel(b))
		base = simi_alloc_nopanic(b, fc_size, 4096, fc_min_addr, MB_ALLOC_ACCESSIBLE,
					 MB_NUMA_NO_NODE, "pcpu_dfl_fc_alloc");
	else
		base = simi_alloc(b, fc_size, 4096, fc_min_addr, MB_ALLOC_ACCESSIBLE,
				 MB_NUMA_NO_NODE, "pcpu_dfl_fc_alloc");
	if (!base)
		return;
	simi_caller(b, "pcpu.fc_free", "pcpu_dfl_fc_free");
	for (unsigned int i = 0; i < nr; i++)
		simi_free(b, base + (uint64_t)i * p->unit_size + size_sum, p->unit_size - size_sum);
	if (p->print_base)
		simi_printk(b, SIM_LINE_KERNEL, "percpu: Embedded %lu pages/cpu @%llx s%lu r%lu d%lu u%lu",
			   size_sum / 4096,
			   (unsigned long long)(base + p->virt_offset), p->static_size,
			   p->reserved_size, p->dyn_size, p->unit_size);
	else
		simi_printk(b, SIM_LINE_KERNEL, "percpu: Embedded %lu pages/cpu s%lu r%lu d%lu u%lu",
			   size_sum / 4096, p->static_size,
			   p->reserved_size, p->dyn_size, p->unit_size);
	setup_first_chunk(b);
	simi_caller(b, "pcpu.free_ai", "pcpu_free_alloc_info");
	if (ai)
		simi_free(b, ai, sim_round_up(64 + 4ull * nr, 4096));
	simi_caller(b, "pcpu.free_areas", "pcpu_embed_first_chunk");
	if (areas)
		simi_free(b, areas, sim_round_up(p->long_size, 4096));
}
