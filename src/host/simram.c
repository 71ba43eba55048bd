/* SPDX-License-Identifier: MIT */
/*
 * simram.c - simulated physical memory: lazily committed windows and the
 * memory-access ops over them. Fault injection lives in simram_fault.c.
 */
#define _DEFAULT_SOURCE /* MAP_ANONYMOUS, MAP_NORESERVE, madvise */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "simram_internal.h"

int mb_simram_create(struct mb_simram **out)
{
	struct mb_simram *ram;

	if (!out)
		return -MB_EINVAL;
	ram = calloc(1, sizeof(*ram));
	if (!ram)
		return -MB_ENOMEM;
	*out = ram;
	return 0;
}

void mb_simram_destroy(struct mb_simram *ram)
{
	if (!ram)
		return;
	for (size_t i = 0; i < ram->nr_windows; i++)
		munmap(ram->windows[i].mem, ram->windows[i].len);
	free(ram->windows);
	free(ram->faults);
	free(ram);
}

/* Index of the first window whose base is above @phys. */
static size_t window_upper_bound(const struct mb_simram *ram, mb_phys_addr_t phys)
{
	size_t lo = 0, hi = ram->nr_windows;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (ram->windows[mid].base <= phys)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

struct simram_window *simram_find(const struct mb_simram *ram, mb_phys_addr_t phys)
{
	size_t idx = window_upper_bound(ram, phys);
	struct simram_window *win;

	if (idx == 0)
		return NULL;
	win = &ram->windows[idx - 1];
	if (phys - win->base >= win->size)
		return NULL;
	return win;
}

static bool range_overlaps_window(const struct mb_simram *ram, mb_phys_addr_t base,
				  mb_phys_addr_t size)
{
	for (size_t i = 0; i < ram->nr_windows; i++) {
		const struct simram_window *win = &ram->windows[i];

		/* inclusive ends: a window may reach the very top of the space */
		if (base <= win->base + (win->size - 1) && win->base <= base + (size - 1))
			return true;
	}
	return false;
}

void *simram_grow(void *arr, size_t nr, size_t *cap, size_t first_cap, size_t elem)
{
	size_t new_cap = *cap ? *cap * 2 : first_cap;

	if (nr < *cap)
		return arr;
	arr = realloc(arr, new_cap * elem);
	if (arr)
		*cap = new_cap;
	return arr;
}

static int grow_windows(struct mb_simram *ram)
{
	struct simram_window *grown = simram_grow(ram->windows, ram->nr_windows,
						  &ram->cap_windows, 8, sizeof(*grown));

	if (!grown)
		return -MB_ENOMEM;
	ram->windows = grown;
	return 0;
}

int mb_simram_add(struct mb_simram *ram, mb_phys_addr_t base, mb_phys_addr_t size)
{
	struct simram_window win;
	size_t idx;
	void *mem;
	int err;

	if (!ram || size == 0 || base + size - 1 < base)
		return -MB_EINVAL;
	if ((mb_phys_addr_t)(size_t)size != size) /* wider than the host */
		return -MB_ERANGE;
	if (range_overlaps_window(ram, base, size))
		return -MB_EINVAL;
	err = grow_windows(ram);
	if (err)
		return err;
	mem = mmap(NULL, (size_t)size, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (mem == MAP_FAILED)
		return -MB_ENOMEM;

	win.base = base;
	win.size = size;
	win.mem = mem;
	win.len = (size_t)size;
	idx = window_upper_bound(ram, base);
	memmove(&ram->windows[idx + 1], &ram->windows[idx], (ram->nr_windows - idx) * sizeof(win));
	ram->windows[idx] = win;
	ram->nr_windows++;
	return 0;
}

/* Add windows for the holes of [base, end) that no window backs. */
static int cover_range(struct mb_simram *ram, mb_phys_addr_t base, mb_phys_addr_t end)
{
	while (base < end) {
		const struct simram_window *win = simram_find(ram, base);
		size_t next = window_upper_bound(ram, base);
		mb_phys_addr_t hole_end = end;
		int err;

		if (win) {
			mb_phys_addr_t win_end = win->base + win->size;

			if (win_end < base) /* window reaches the top of the space */
				return 0;
			base = win_end;
			continue;
		}
		if (next < ram->nr_windows && ram->windows[next].base < end)
			hole_end = ram->windows[next].base;
		err = mb_simram_add(ram, base, hole_end - base);
		if (err)
			return err;
		base = hole_end;
	}
	return 0;
}

int mb_simram_cover(struct mb_simram *ram, const struct memblock *mb)
{
	if (!ram || !mb)
		return -MB_EINVAL;
	for (unsigned long i = 0; i < mb->memory.cnt; i++) {
		const struct memblock_region *r = &mb->memory.regions[i];
		int err;

		if (r->size == 0)
			continue;
		err = cover_range(ram, r->base, r->base + r->size);
		if (err)
			return err;
	}
	return 0;
}

void mb_simram_release(struct mb_simram *ram)
{
	if (!ram)
		return;
	for (size_t i = 0; i < ram->nr_windows; i++)
		madvise(ram->windows[i].mem, ram->windows[i].len, MADV_DONTNEED);
}

void *mb_simram_phys_to_virt(void *ctx, mb_phys_addr_t phys, mb_phys_addr_t size)
{
	const struct mb_simram *ram = ctx;
	const struct simram_window *win;
	mb_phys_addr_t offset;

	if (!ram)
		return NULL;
	win = simram_find(ram, phys);
	if (!win)
		return NULL;
	offset = phys - win->base;
	if (size > win->size - offset)
		return NULL;
	return win->mem + offset;
}

mb_phys_addr_t mb_simram_virt_to_phys(void *ctx, const void *virt)
{
	const struct mb_simram *ram = ctx;
	uintptr_t addr = (uintptr_t)virt;

	if (!ram)
		return MB_PHYS_ADDR_MAX;
	for (size_t i = 0; i < ram->nr_windows; i++) {
		const struct simram_window *win = &ram->windows[i];
		uintptr_t start = (uintptr_t)win->mem;

		if (addr >= start && addr - start < win->len)
			return win->base + (mb_phys_addr_t)(addr - start);
	}
	return MB_PHYS_ADDR_MAX;
}

void mb_simram_install(struct mb_simram *ram, struct mb_ops *ops)
{
	if (!ops)
		return;
	ops->phys_to_virt = mb_simram_phys_to_virt;
	ops->virt_to_phys = mb_simram_virt_to_phys;
	ops->mem_zero = NULL;
	ops->mem_sync = mb_simram_sync;
	ops->mem_ctx = ram;
}
