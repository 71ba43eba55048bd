/* SPDX-License-Identifier: MIT */
/*
 * simram.c - simulated physical memory: lazily committed windows and the
 * memory-access ops over them. Fault injection lives in simram_fault.c.
 *
 * Each window is one anonymous MAP_NORESERVE mapping of the whole pages
 * around [base, base + size), placed so that host address and physical
 * address agree modulo SIMRAM_HOST_ALIGN: whatever alignment a physical
 * block has (up to that), its host pointer has too. A range added next to
 * existing windows joins them into one mapping (their pages are moved, not
 * copied), so a block that spans ranges added separately is contiguous on
 * the host as it is in physical memory.
 */
#define _GNU_SOURCE /* MAP_ANONYMOUS, MAP_NORESERVE, madvise, mremap */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "simram_internal.h"

/* Host and physical addresses agree modulo this (a huge-page size). */
#define SIMRAM_HOST_ALIGN ((uint64_t)1 << 21)

int mb_simram_create(struct mb_simram **out)
{
	struct mb_simram *ram;
	long page = sysconf(_SC_PAGESIZE);

	if (!out)
		return -MB_EINVAL;
	ram = calloc(1, sizeof(*ram));
	if (!ram)
		return -MB_ENOMEM;
	ram->page = page > 0 ? (uint64_t)page : 4096;
	*out = ram;
	return 0;
}

void mb_simram_destroy(struct mb_simram *ram)
{
	if (!ram)
		return;
	for (size_t i = 0; i < ram->nr_windows; i++)
		munmap(ram->windows[i].map, ram->windows[i].map_len);
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

struct simram_window *mbhi_simram_find(const struct mb_simram *ram, mb_phys_addr_t phys)
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

/* Last byte of a window: its end may be the very top of the space. */
static uint64_t win_last(const struct simram_window *win)
{
	return (uint64_t)win->base + (win->size - 1);
}

static bool range_overlaps_window(const struct mb_simram *ram, uint64_t base, uint64_t last)
{
	for (size_t i = 0; i < ram->nr_windows; i++) {
		const struct simram_window *win = &ram->windows[i];

		if (base <= win_last(win) && win->base <= last)
			return true;
	}
	return false;
}

void *mbhi_simram_grow(void *arr, size_t nr, size_t *cap, size_t first_cap, size_t elem)
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
	struct simram_window *grown =
		mbhi_simram_grow(ram->windows, ram->nr_windows, &ram->cap_windows, 8, sizeof(*grown));

	if (!grown)
		return -MB_ENOMEM;
	ram->windows = grown;
	return 0;
}

/*
 * Map the pages of [base, last] at a host address congruent to the first
 * page's physical address modulo SIMRAM_HOST_ALIGN. Fills @win.
 */
static int map_window(const struct mb_simram *ram, uint64_t base, uint64_t last,
		      struct simram_window *win)
{
	uint64_t lo = base & ~(ram->page - 1);
	uint64_t len = (last | (ram->page - 1)) - lo + 1;
	uintptr_t raw, host;
	size_t total;
	void *mem;

	if (len == 0 || len > SIZE_MAX - SIMRAM_HOST_ALIGN)
		return -MB_ERANGE; /* wider than the host */
	total = (size_t)(len + SIMRAM_HOST_ALIGN);
	mem = mmap(NULL, total, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
		   -1, 0);
	if (mem == MAP_FAILED)
		return -MB_ENOMEM;
	raw = (uintptr_t)mem;
	host = raw + (uintptr_t)((lo - raw) & (SIMRAM_HOST_ALIGN - 1));
	if (host > raw)
		munmap(mem, host - raw);
	if (raw + total > host + len)
		munmap((void *)(host + len), raw + total - (host + len));
	win->base = (mb_phys_addr_t)base;
	win->size = (mb_phys_addr_t)(last - base + 1);
	win->map = (unsigned char *)host;
	win->map_len = (size_t)len;
	win->mem = win->map + (base - lo);
	win->len = (size_t)(last - base + 1);
	return 0;
}

/*
 * Move the contents of @old into @into, which covers it. Whole pages are
 * moved; a first page that an earlier window already brought (@filled is
 * the physical end of the pages @into has received) is copied byte-wise.
 */
static void move_window(const struct mb_simram *ram, struct simram_window *old,
			const struct simram_window *into, uint64_t *filled)
{
	uint64_t into_lo = (uint64_t)into->base & ~(ram->page - 1);
	uint64_t lo = (uint64_t)old->base & ~(ram->page - 1);
	unsigned char *src = old->map, *dst = into->map + (lo - into_lo);
	size_t len = old->map_len;

	if (lo < *filled) {
		size_t head = (size_t)ram->page - (size_t)(old->base - lo);

		if (head > old->len)
			head = old->len;
		memcpy(into->mem + (old->base - into->base), old->mem, head);
		munmap(src, (size_t)ram->page);
		src += ram->page;
		dst += ram->page;
		len -= (size_t)ram->page;
	}
	if (len && mremap(src, len, len, MREMAP_MAYMOVE | MREMAP_FIXED, dst) == MAP_FAILED) {
		memcpy(dst, src, len); /* pages the host would not move: copy them */
		munmap(src, len);
	}
	*filled = lo + old->map_len;
}

/* Windows [first, last) touching [base, end) are replaced by @merged. */
static void join_windows(struct mb_simram *ram, size_t first, size_t last,
			 const struct simram_window *merged)
{
	uint64_t filled = 0;

	for (size_t i = first; i < last; i++)
		move_window(ram, &ram->windows[i], merged, &filled);
	memmove(&ram->windows[first + 1], &ram->windows[last],
		(ram->nr_windows - last) * sizeof(*merged));
	ram->windows[first] = *merged;
	ram->nr_windows -= last - first - 1;
}

int mb_simram_add(struct mb_simram *ram, mb_phys_addr_t base, mb_phys_addr_t size)
{
	struct simram_window merged;
	uint64_t lo = base, last;
	size_t first, end;
	int err;

	if (!ram || size == 0 || base + size - 1 < base)
		return -MB_EINVAL;
	last = (uint64_t)base + (size - 1);
	if ((mb_phys_addr_t)(size_t)size != size) /* wider than the host */
		return -MB_ERANGE;
	if (range_overlaps_window(ram, lo, last))
		return -MB_EINVAL;
	err = grow_windows(ram);
	if (err)
		return err;
	/* The neighbours that touch the new range join it. */
	first = end = window_upper_bound(ram, base);
	if (first > 0 && win_last(&ram->windows[first - 1]) + 1 == lo) {
		first--;
		lo = ram->windows[first].base;
	}
	if (end < ram->nr_windows && ram->windows[end].base == last + 1) {
		last = win_last(&ram->windows[end]);
		end++;
	}
	if (last - lo >= (uint64_t)MB_PHYS_ADDR_MAX) { /* one window for all: keep apart */
		first = end = window_upper_bound(ram, base);
		lo = base;
		last = (uint64_t)base + (size - 1);
	}
	err = map_window(ram, lo, last, &merged);
	if (err)
		return err;
	if (first == end) {
		memmove(&ram->windows[first + 1], &ram->windows[first],
			(ram->nr_windows - first) * sizeof(merged));
		ram->windows[first] = merged;
		ram->nr_windows++;
		return 0;
	}
	join_windows(ram, first, end, &merged);
	return 0;
}

/* Add windows for the holes of [base, end) that no window backs. */
static int cover_range(struct mb_simram *ram, mb_phys_addr_t base, mb_phys_addr_t end)
{
	while (base < end) {
		const struct simram_window *win = mbhi_simram_find(ram, base);
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

/*
 * A join moves the windows it merges, so memblock's region arrays are
 * found again by their physical addresses after every window added.
 */
static void arrays_phys(const struct mb_simram *ram, const struct memblock *mb,
			mb_phys_addr_t phys[3])
{
	phys[0] = mb_simram_virt_to_phys((void *)ram, mb->memory.regions);
	phys[1] = mb_simram_virt_to_phys((void *)ram, mb->reserved.regions);
	phys[2] = mb_simram_virt_to_phys((void *)ram, mb->physmem.regions);
}

static void relocate(const struct mb_simram *ram, struct memblock_type *type, mb_phys_addr_t phys)
{
	void *virt;

	if (phys == MB_PHYS_ADDR_MAX)
		return; /* not in the simulated RAM (a static array) */
	virt = mb_simram_phys_to_virt((void *)ram, phys, 0);
	if (virt)
		type->regions = virt;
}

int mb_simram_cover(struct mb_simram *ram, struct memblock *mb)
{
	mb_phys_addr_t phys[3];

	if (!ram || !mb)
		return -MB_EINVAL;
	for (unsigned long i = 0; i < mb->memory.cnt; i++) {
		/* By value: covering may move the array on the host. */
		struct memblock_region r = mb_type_regions(mb, &mb->memory)[i];
		int err;

		if (r.size == 0)
			continue;
		arrays_phys(ram, mb, phys);
		err = cover_range(ram, r.base, r.base + r.size);
		relocate(ram, &mb->memory, phys[0]);
		relocate(ram, &mb->reserved, phys[1]);
		relocate(ram, &mb->physmem, phys[2]);
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
		madvise(ram->windows[i].map, ram->windows[i].map_len, MADV_DONTNEED);
}

/* Zero [p, p + n) of @win: whole pages are dropped, never written. */
static void zero_in_window(const struct mb_simram *ram, const struct simram_window *win, uint64_t p,
			   uint64_t n)
{
	unsigned char *start = win->mem + (p - win->base), *end = start + n;
	uintptr_t pg_lo =
		((uintptr_t)start + (uintptr_t)(ram->page - 1)) & ~(uintptr_t)(ram->page - 1);
	uintptr_t pg_hi = (uintptr_t)end & ~(uintptr_t)(ram->page - 1);

	if (pg_lo >= pg_hi) {
		memset(start, 0, (size_t)n);
		return;
	}
	memset(start, 0, pg_lo - (uintptr_t)start);
	madvise((void *)pg_lo, pg_hi - pg_lo, MADV_DONTNEED);
	memset((void *)pg_hi, 0, (uintptr_t)end - pg_hi);
}

void mb_simram_zero(void *ctx, mb_phys_addr_t phys, mb_phys_addr_t size)
{
	const struct mb_simram *ram = ctx;
	uint64_t p = phys, last;

	if (!ram || !size)
		return;
	last = p + (size - 1);
	while (p <= last) {
		const struct simram_window *win = mbhi_simram_find(ram, (mb_phys_addr_t)p);
		uint64_t n;

		if (!win)
			return; /* the core zeroes only what phys_to_virt gave */
		n = win_last(win) - p + 1;
		if (n > last - p + 1)
			n = last - p + 1;
		zero_in_window(ram, win, p, n);
		if (p + n - 1 == UINT64_MAX || p + n - 1 == last)
			return;
		p += n;
	}
}

void *mb_simram_phys_to_virt(void *ctx, mb_phys_addr_t phys, mb_phys_addr_t size)
{
	const struct mb_simram *ram = ctx;
	const struct simram_window *win;
	mb_phys_addr_t offset;

	if (!ram)
		return NULL;
	win = mbhi_simram_find(ram, phys);
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
	ops->mem_zero = mb_simram_zero;
	ops->mem_sync = mb_simram_sync;
	ops->mem_ctx = ram;
}
