// SPDX-License-Identifier: MIT
/*
 * gen.c - random op scripts for the differential harness (driver.c).
 *
 * usage: kh-gen SEED NOPS numa|flat td|bu low|high|large [PROFILE]
 *
 * PROFILE: linux-6.12 (default) or linux-6.1, the kernel version the
 * script is written for: linux-6.1 has no memblock_reserved_mark_noinit.
 *
 * low:  all memory inside the simulated RAM window [0, 4 GiB); any
 *       current_limit, including MEMBLOCK_ALLOC_ANYWHERE.
 * high: memory anywhere up to the last byte of the address space;
 *       current_limit always inside the window so that everything the
 *       allocators touch (zeroing, array doubling) is backed. No trim
 *       there (Linux unsorts the array for a region in the top align
 *       bytes, spec 7 - a documented crash we do not imitate).
 * large: as low, but first 20,000 to 24,095 regions built in random order
 *       with one bulk operation each (reserve_many, sometimes add_many
 *       for memory and free_many of part of them): the O(n) paths of
 *       Linux against our index at a size the random ops never reach.
 *
 * The generator knows nothing about memblock semantics: it keeps a pool
 * of interesting addresses (ends of what it added, reserved, allocated)
 * and aims near them so that ranges overlap, touch and split. Bursts of
 * many small disjoint ranges force the region arrays (memory, reserved,
 * physmem) to double.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kh.h"

#define POOL_MAX       512
#define MAX_NODES_USED 4
#define ANYWHERE       0xffffffffffffffffULL

typedef unsigned long long ull;

static uint64_t rng_state;
static ull pool[POOL_MAX];
static int pool_cnt;
static int numa;
static int high;
static int emitted;
static int no_noinit;

static uint64_t rnd64(void)
{
	/* xorshift64* */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dULL;
}

static ull rnd(ull n)
{
	return n ? rnd64() % n : 0;
}

static int chance(int percent)
{
	return (int)rnd(100) < percent;
}

static void remember(ull addr)
{
	if (pool_cnt < POOL_MAX)
		pool[pool_cnt++] = addr;
	else
		pool[rnd(POOL_MAX)] = addr;
}

static ull window_addr(void)
{
	static const ull grains[] = {1, 0x40, 0x1000, 0x100000, 0x10000000};
	ull grain = grains[rnd(5)];

	return rnd(KH_WINDOW) / grain * grain;
}

static ull high_addr(void)
{
	switch (rnd(4)) {
	case 0:
		return ANYWHERE - rnd(0x100000);
	case 1:
		return ANYWHERE - rnd(1ULL << 40) / 0x1000 * 0x1000;
	default:
		return KH_WINDOW + rnd(1ULL << 44) / 0x1000 * 0x1000;
	}
}

static ull pick_addr(void)
{
	static const long long deltas[] = {0, 0, 0, 1, -1, 0x1000, -0x1000, 0x40, -0x40};
	ull a;

	if (pool_cnt && chance(60)) {
		a = pool[rnd(pool_cnt)] + (ull)deltas[rnd(9)];
		if (chance(10))
			a += rnd(0x100000) - 0x80000;
		return a;
	}
	if (high && chance(15))
		return high_addr();
	return window_addr();
}

static ull pick_size(ull max)
{
	ull size;

	switch (rnd(10)) {
	case 0:
		size = chance(30) ? 0 : 1 + rnd(0x40);
		break;
	case 1:
	case 2:
	case 3:
		size = 1 + rnd(0x2000);
		break;
	case 4:
	case 5:
		size = (1 + rnd(0x100)) * 0x1000;
		break;
	case 6:
	case 7:
		size = (1 + rnd(0x100)) * 0x10000;
		break;
	default:
		size = (1 + rnd(0x40)) * 0x1000000;
		break;
	}
	return size > max ? max : size;
}

static ull pick_align(void)
{
	if (chance(10))
		return 0;
	return 1ULL << rnd(22);
}

/* Mostly real nodes; sometimes MAX_NUMNODES or nids Linux never checks. */
static int pick_nid(void)
{
	static const int odd[] = {64, 65, 100, -5, 1000};

	if (chance(40))
		return -1;
	if (chance(3))
		return odd[rnd(5)];
	return (int)rnd(MAX_NODES_USED);
}

static unsigned int pick_flags(void)
{
	static const unsigned int common[] = {0, 0, 0, 0x1, 0x2, 0x4, 0x8};

	return chance(80) ? common[rnd(7)] : (unsigned int)rnd(16);
}

static ull pick_limit(void)
{
	if (!high && chance(25))
		return ANYWHERE;
	if (pool_cnt && chance(50)) {
		ull a = pool[rnd(pool_cnt)];

		if (a <= KH_WINDOW)
			return a;
	}
	return window_addr();
}

/*
 * min_addr of a virtual allocation: inside the window. A size-0 request
 * is answered at max(min_addr, ...) even above the limit (spec 6), and
 * only the window has virtual addresses on both sides.
 */
static ull pick_min(void)
{
	ull a = pick_addr();

	return a < KH_WINDOW ? a : window_addr();
}

/* A range for memory: kept inside the window in low mode. */
static void memory_range(ull *base, ull *size)
{
	*base = pick_addr();
	*size = pick_size(1ULL << 32);
	if (!high) {
		if (*base >= KH_WINDOW)
			*base = window_addr();
		if (*size > KH_WINDOW - *base)
			*size = KH_WINDOW - *base;
	}
}

static void emit(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#include <stdarg.h>
static void emit(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	emitted++;
}

static void gen_bank(void)
{
	ull base, size;

	memory_range(&base, &size);
	if (size < 0x100000 && chance(70))
		size = 0x100000 * (1 + rnd(64));
	if (!high && size > KH_WINDOW - base)
		size = KH_WINDOW - base;
	if (numa && chance(70))
		emit("add_node 0x%llx 0x%llx %d 0x%x", base, size,
		     chance(95) ? (int)rnd(MAX_NODES_USED) : pick_nid(),
		     chance(70) ? 0 : pick_flags());
	else
		emit("add 0x%llx 0x%llx", base, size);
	remember(base);
	remember(base + size);
}

/* Many small disjoint ranges: forces the arrays past 128 regions. */
static void gen_burst(int budget)
{
	int count = 100 + (int)rnd(250);
	ull base = window_addr() / 0x1000 * 0x1000;
	ull stride = 0x1000ULL << rnd(4);
	int memory = chance(35);
	int physmem = !memory && chance(15);

	if (physmem)
		count = 5 + (int)rnd(40);
	if (count > budget)
		count = budget;
	if (base + (ull)count * stride > KH_WINDOW)
		base = KH_WINDOW / 2;
	for (int i = 0; i < count; i++) {
		ull at = base + (ull)i * stride;

		if (physmem)
			emit("physmem_add 0x%llx 0x%llx", at, 0x40 + rnd(stride / 2));
		else if (!memory)
			emit("reserve 0x%llx 0x%llx", at, 0x40 + rnd(stride / 2));
		else if (numa)
			emit("add_node 0x%llx 0x%llx %d 0", at, stride, i & 1);
		else
			emit("add_node 0x%llx 0x%llx 0 0x%x", at, stride, (i & 1) ? 0x1u : 0u);
	}
	remember(base);
	remember(base + (ull)count * stride);
}

static void gen_range_op(const char *name)
{
	ull base = pick_addr(), size = pick_size(ANYWHERE);

	emit("%s 0x%llx 0x%llx", name, base, size);
	remember(base);
	remember(base + size);
}

static void gen_alloc(void)
{
	static const char *const virt[] = {"alloc_try_nid", "alloc_try_nid_raw",
					   "alloc_exact_nid_raw"};
	ull size = pick_size(1ULL << 20), align = pick_align();

	switch (rnd(10)) {
	case 0:
		emit("phys_alloc_range 0x%llx 0x%llx 0x%llx 0x%llx", pick_size(1ULL << 32), align,
		     chance(50) ? 0 : pick_addr(), chance(30) ? ANYWHERE : pick_addr());
		break;
	case 1:
		emit("phys_alloc 0x%llx 0x%llx", pick_size(1ULL << 32), align);
		break;
	case 2:
		emit("phys_alloc_try_nid 0x%llx 0x%llx %d", pick_size(1ULL << 32), align,
		     pick_nid());
		break;
	case 3:
		emit("alloc_range_nid 0x%llx 0x%llx 0x%llx 0x%llx %d %d", pick_size(1ULL << 32),
		     align, chance(50) ? 0 : pick_addr(), chance(30) ? ANYWHERE : pick_addr(),
		     pick_nid(), chance(30));
		break;
	case 4:
		emit("%s 0x%llx 0x%llx 0x%llx 0x%llx %d", virt[rnd(3)], size, align,
		     chance(50) ? 0 : pick_min(), chance(40) ? 0 : pick_limit(), pick_nid());
		break;
	case 5:
		emit("alloc 0x%llx 0x%llx", size, align);
		break;
	case 6:
		emit("alloc_raw 0x%llx 0x%llx", size, align);
		break;
	case 7:
		emit("alloc_from 0x%llx 0x%llx 0x%llx", size, align, pick_min());
		break;
	case 8:
		emit("alloc_low 0x%llx 0x%llx", size, align);
		break;
	default:
		emit("alloc_node 0x%llx 0x%llx %d", size, align, pick_nid());
		break;
	}
}

static void gen_limit_op(void)
{
	switch (rnd(5)) {
	case 0:
		if (!high) {
			emit("trim 0x%llx", chance(5) ? 0 : 1ULL << rnd(31));
			break;
		}
		/* fall through */
	case 1:
		emit("enforce 0x%llx", chance(5) ? 0 : pick_size(1ULL << 34) * (1 + rnd(4)));
		break;
	case 2:
		emit("remove_map 0x%llx", chance(5) ? 0 : pick_size(1ULL << 34) * (1 + rnd(4)));
		break;
	default:
		emit("cap 0x%llx 0x%llx", pick_addr(), pick_size(ANYWHERE) * (1 + rnd(8)));
		break;
	}
}

static void gen_op(int budget)
{
	static const char *const flag_ops[] = {"mark_hotplug", "clear_hotplug", "mark_mirror",
					       "mark_nomap",   "clear_nomap",	"mark_noinit"};
	int pick = (int)rnd(100);

	if (pick < 8)
		gen_bank();
	else if (pick < 10)
		gen_range_op("remove");
	else if (pick < 22)
		gen_range_op("reserve");
	else if (pick < 28)
		gen_range_op("phys_free");
	else if (pick < 30)
		emit("free 0x%llx 0x%llx", chance(10) ? 0 : window_addr(), pick_size(1ULL << 20));
	else if (pick < 31)
		gen_range_op("physmem_add");
	else if (pick < 39)
		gen_range_op(flag_ops[rnd(no_noinit ? 5 : 6)]);
	else if (pick < 42)
		emit("set_node 0x%llx 0x%llx %d %d", pick_addr(), pick_size(ANYWHERE), (int)rnd(2),
		     pick_nid());
	else if (pick < 70)
		gen_alloc();
	else if (pick < 72)
		emit("bottom_up %d", (int)rnd(2));
	else if (pick < 74)
		emit("current_limit 0x%llx", pick_limit());
	else if (pick < 77)
		gen_limit_op();
	else if (pick < 90)
		emit("query 0x%llx 0x%llx", pick_addr(), pick_size(ANYWHERE));
	else if (pick < 95)
		emit("walk %d 0x%x", pick_nid(), pick_flags());
	else if (pick < 96)
		emit("dump");
	else if (pick < 98 && budget > 100)
		gen_burst(budget);
	else
		gen_bank();
}

/* The large mode's start: memory, then 20,000+ reserved regions. */
static void gen_large(void)
{
	ull stride = 0x20000, base = 0x2000000, count = 20000 + rnd(4096);
	ull size = 0x1000 * (1 + rnd(8));

	if (chance(50)) {
		/*
		 * Memory in as many pieces, every reserved slot inside one,
		 * and one piece above them big enough for the doubled arrays.
		 */
		emit("add 0xc0000000 0x10000000");
		emit("add_many 0x%llx 0x%llx 0x%llx %llu %llu", base, stride, stride / 2, count,
		     rnd(1000));
	} else if (numa) {
		ull part = (KH_WINDOW - 0x200000) / MAX_NODES_USED;

		for (int nid = 0; nid < MAX_NODES_USED; nid++)
			emit("add_node 0x%llx 0x%llx %d 0x0", 0x100000 + part * nid, part, nid);
	} else {
		emit("add 0x100000 0x%llx", KH_WINDOW - 0x200000);
	}
	emit("reserve_many 0x%llx 0x%llx 0x%llx %llu %llu", base, stride, size, count, rnd(1000));
	if (chance(50))
		emit("free_many 0x%llx 0x%llx 0x%llx %llu %llu", base, stride, size, count / 4,
		     rnd(1000));
	for (int i = 0; i < 64; i++)
		remember(base + stride * rnd(count) + (chance(50) ? size : 0));
}

int main(int argc, char **argv)
{
	int nops, banks;

	const char *profile = argc == 7 ? argv[6] : "linux-6.12";

	if (argc != 6 && argc != 7) {
		fprintf(stderr, "usage: kh-gen SEED NOPS numa|flat td|bu low|high|large [PROFILE]\n");
		return 2;
	}
	no_noinit = !strcmp(profile, "linux-6.1");
	rng_state = strtoull(argv[1], NULL, 0) * 0x9e3779b97f4a7c15ULL + 1;
	nops = atoi(argv[2]);
	numa = !strcmp(argv[3], "numa");
	high = !strcmp(argv[5], "high");

	printf("# kh-gen %s %s %s %s %s %s\n", argv[1], argv[2], argv[3], argv[4], argv[5],
	       profile);
	printf("config numa=%d movable=%d mirror=%d profile=%s\n", numa, chance(25), chance(50),
	       profile);
	emit("allow_resize");
	if (high)
		emit("current_limit 0x%llx", window_addr() | 0x100000);
	if (!strcmp(argv[4], "bu"))
		emit("bottom_up 1");
	if (!strcmp(argv[5], "large"))
		gen_large();
	banks = 1 + (int)rnd(6);
	while (banks-- > 0)
		gen_bank();
	while (emitted < nops - 1)
		gen_op(nops - emitted);
	/* The handover ends a boot: only ever the last operation. */
	if (chance(50))
		emit("free_all 0x%llx", chance(30) ? rnd(0x100000) : 0xfffffffffULL);
	else
		gen_op(1);
	return 0;
}
