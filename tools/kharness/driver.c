// SPDX-License-Identifier: MIT
/*
 * driver.c - runs an op script (stdin) through the kernel memblock API and
 * prints, after every operation, its result and the full state: every
 * region of memory, reserved and physmem (base, size, flags, node), the
 * counts, capacities and total sizes, bottom_up and current_limit.
 *
 * The same source is built against Linux's own <linux/memblock.h> (the
 * kernel's mm/memblock.c, in the cache directory) and against our
 * <memblock/linux.h>: it is also the proof that kernel-style code compiles
 * against our header unchanged. scripts/check-linux diffs the two outputs.
 *
 * Script format: one operation per line, numbers in C syntax (0x.., -1).
 * The first line may be `config numa=N movable=N mirror=N`. Lines starting
 * with '#' are comments. See docs/linux-compat.md for the operations.
 */
#include <limits.h>

#ifdef KH_KERNEL
#include <linux/memblock.h>
#else
#include <memblock/linux.h>
#endif

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kh.h"

/* The kernel version of the build (major * 100 + minor); ours has every call. */
#ifndef KH_LINUX
#define KH_LINUX 612
#endif

typedef unsigned long long ull;

#define MAX_ARGS   8
#define RESULT_LEN 128

struct op {
	const char *name;
	int nargs;
	void (*run)(const ull *a, char *res);
};

static void res_int(char *res, int ret)
{
	snprintf(res, RESULT_LEN, "%d", ret);
}

static void res_phys(char *res, phys_addr_t addr)
{
	snprintf(res, RESULT_LEN, "0x%llx", (ull)addr);
}

/* Virtual allocation: physical address, and for zeroing allocators
 * whether the first and last bytes came back zero. Both are then dirtied
 * so that a later allocation of the same bytes must zero them again. */
static void res_virt(char *res, void *ptr, ull size, bool zeroed)
{
	unsigned char *p = ptr;
	int zero = 1;

	if (!p) {
		snprintf(res, RESULT_LEN, "0x0");
		return;
	}
	if (size && zeroed)
		zero = p[0] == 0 && p[size - 1] == 0;
	if (size) {
		p[0] = 0xa5;
		p[size - 1] = 0xa5;
	}
	snprintf(res, RESULT_LEN, "0x%llx z=%d", kh_virt_to_phys(ptr), zero);
}

static void op_allow_resize(const ull *a, char *res)
{
	(void)a;
	memblock_allow_resize();
	res_int(res, 0);
}

static void op_add(const ull *a, char *res)
{
	res_int(res, memblock_add(a[0], a[1]));
}

static void op_add_node(const ull *a, char *res)
{
	res_int(res, memblock_add_node(a[0], a[1], (int)a[2], (enum memblock_flags)a[3]));
}

static void op_remove(const ull *a, char *res)
{
	res_int(res, memblock_remove(a[0], a[1]));
}

static void op_reserve(const ull *a, char *res)
{
	res_int(res, memblock_reserve(a[0], a[1]));
}

/*
 * Freeing the reservation of a doubled region array lets the next
 * allocation hand out (and zero) the array itself: a use-after-free the
 * kernel would crash on. Both sides see the same state, so both skip such
 * a free the same way.
 */
static bool array_hit(const struct memblock_type *type, ull base, ull size)
{
	ull start = kh_virt_to_phys(type->regions);
	ull bytes = (ull)type->max * sizeof(struct memblock_region);

	if (start >= KH_WINDOW + KH_WINDOW_SLACK)
		return false; /* the static array: not in simulated RAM */
	bytes = (bytes + 4095) & ~4095ULL;
	return base < start + bytes && start < base + size;
}

static bool frees_an_array(ull base, ull size)
{
	if (size > ~0ULL - base)
		size = ~0ULL - base;
	return array_hit(&memblock.memory, base, size) ||
	       array_hit(&memblock.reserved, base, size) || array_hit(kh_physmem(), base, size);
}

static void op_phys_free(const ull *a, char *res)
{
	if (frees_an_array(a[0], a[1])) {
		snprintf(res, RESULT_LEN, "skip");
		return;
	}
	res_int(res, memblock_phys_free(a[0], a[1]));
}

/*
 * COUNT calls of one kind on the slots base + i * stride (size bytes
 * each), in an order shuffled by SEED: tens of thousands of regions
 * without as many script lines. Result: how many calls failed and a hash
 * of every return code, in call order.
 */
enum many_kind { MANY_RESERVE, MANY_ADD, MANY_FREE };

static int many_call(enum many_kind kind, ull base, ull size)
{
	if (kind == MANY_ADD)
		return memblock_add(base, size);
	if (kind == MANY_RESERVE)
		return memblock_reserve(base, size);
	if (frees_an_array(base, size))
		return 1; /* as op_phys_free skips it */
	return memblock_phys_free(base, size);
}

static void op_many(enum many_kind kind, const ull *a, char *res)
{
	ull n = a[3], state = a[4] * 0x9e3779b97f4a7c15ULL + 1, hash = 0xcbf29ce484222325ULL;
	ull *order = n && n <= (1ULL << 20) ? malloc(n * sizeof(*order)) : NULL;
	unsigned long failed = 0;

	if (!order) {
		snprintf(res, RESULT_LEN, "bad count");
		return;
	}
	for (ull i = 0; i < n; i++)
		order[i] = i;
	for (ull i = n; i > 1; i--) {
		ull j, t;

		state ^= state << 13;
		state ^= state >> 7;
		state ^= state << 17;
		j = state % i;
		t = order[i - 1];
		order[i - 1] = order[j];
		order[j] = t;
	}
	for (ull i = 0; i < n; i++) {
		int ret = many_call(kind, a[0] + order[i] * a[1], a[2]);

		failed += ret != 0;
		hash = (hash ^ (ull)(unsigned int)ret) * 0x100000001b3ULL;
	}
	free(order);
	snprintf(res, RESULT_LEN, "%lu failed %016llx", failed, hash);
}

static void op_reserve_many(const ull *a, char *res)
{
	op_many(MANY_RESERVE, a, res);
}

static void op_add_many(const ull *a, char *res)
{
	op_many(MANY_ADD, a, res);
}

static void op_free_many(const ull *a, char *res)
{
	op_many(MANY_FREE, a, res);
}

static void op_free(const ull *a, char *res)
{
	if (frees_an_array(a[0], a[1])) {
		snprintf(res, RESULT_LEN, "skip");
		return;
	}
	memblock_free(a[0] ? kh_phys_to_virt(a[0]) : NULL, a[1]);
	res_int(res, 0);
}

static void op_physmem_add(const ull *a, char *res)
{
	res_int(res, memblock_physmem_add(a[0], a[1]));
}

static void op_mark_hotplug(const ull *a, char *res)
{
	res_int(res, memblock_mark_hotplug(a[0], a[1]));
}

static void op_clear_hotplug(const ull *a, char *res)
{
	res_int(res, memblock_clear_hotplug(a[0], a[1]));
}

static void op_mark_mirror(const ull *a, char *res)
{
	res_int(res, memblock_mark_mirror(a[0], a[1]));
}

static void op_mark_nomap(const ull *a, char *res)
{
	res_int(res, memblock_mark_nomap(a[0], a[1]));
}

static void op_clear_nomap(const ull *a, char *res)
{
	res_int(res, memblock_clear_nomap(a[0], a[1]));
}

#if KH_LINUX >= 605
static void op_mark_noinit(const ull *a, char *res)
{
	res_int(res, memblock_reserved_mark_noinit(a[0], a[1]));
}
#endif

/* set_node BASE SIZE TYPE NID, TYPE 0 = memory, 1 = reserved */
static void op_set_node(const ull *a, char *res)
{
	struct memblock_type *type = a[2] ? &memblock.reserved : &memblock.memory;

	res_int(res, memblock_set_node(a[0], a[1], type, (int)a[3]));
}

static void op_phys_alloc_range(const ull *a, char *res)
{
	res_phys(res, memblock_phys_alloc_range(a[0], a[1], a[2], a[3]));
}

static void op_phys_alloc(const ull *a, char *res)
{
	res_phys(res, memblock_phys_alloc(a[0], a[1]));
}

static void op_phys_alloc_try_nid(const ull *a, char *res)
{
	res_phys(res, memblock_phys_alloc_try_nid(a[0], a[1], (int)a[2]));
}

static void op_alloc_range_nid(const ull *a, char *res)
{
	res_phys(res, memblock_alloc_range_nid(a[0], a[1], a[2], a[3], (int)a[4], a[5] != 0));
}

static void op_alloc_try_nid(const ull *a, char *res)
{
	res_virt(res, memblock_alloc_try_nid(a[0], a[1], a[2], a[3], (int)a[4]), a[0], true);
}

static void op_alloc_try_nid_raw(const ull *a, char *res)
{
	res_virt(res, memblock_alloc_try_nid_raw(a[0], a[1], a[2], a[3], (int)a[4]), a[0], false);
}

static void op_alloc_exact_nid_raw(const ull *a, char *res)
{
	res_virt(res, memblock_alloc_exact_nid_raw(a[0], a[1], a[2], a[3], (int)a[4]), a[0], false);
}

static void op_alloc(const ull *a, char *res)
{
	res_virt(res, memblock_alloc(a[0], a[1]), a[0], true);
}

static void op_alloc_raw(const ull *a, char *res)
{
	res_virt(res, memblock_alloc_raw(a[0], a[1]), a[0], false);
}

static void op_alloc_from(const ull *a, char *res)
{
	res_virt(res, memblock_alloc_from(a[0], a[1], a[2]), a[0], true);
}

static void op_alloc_low(const ull *a, char *res)
{
	res_virt(res, memblock_alloc_low(a[0], a[1]), a[0], true);
}

static void op_alloc_node(const ull *a, char *res)
{
	res_virt(res, memblock_alloc_node(a[0], a[1], (int)a[2]), a[0], true);
}

static void op_bottom_up(const ull *a, char *res)
{
	memblock_set_bottom_up(a[0] != 0);
	res_int(res, memblock_bottom_up());
}

static void op_current_limit(const ull *a, char *res)
{
	memblock_set_current_limit(a[0]);
	res_phys(res, memblock_get_current_limit());
}

static void op_trim(const ull *a, char *res)
{
	memblock_trim_memory(a[0]);
	res_int(res, 0);
}

static void op_enforce(const ull *a, char *res)
{
	memblock_enforce_memory_limit(a[0]);
	res_int(res, 0);
}

static void op_remove_map(const ull *a, char *res)
{
	memblock_mem_limit_remove_map(a[0]);
	res_int(res, 0);
}

static void op_cap(const ull *a, char *res)
{
	memblock_cap_memory_range(a[0], a[1]);
	res_int(res, 0);
}

/* query BASE SIZE: every question the API answers about one range. */
static void op_query(const ull *a, char *res)
{
	unsigned long start_pfn = 7, end_pfn = 7;
	int nid = memblock_search_pfn_nid(PFN_DOWN(a[0]), &start_pfn, &end_pfn);
	ull end = memblock.memory.cnt ? (ull)memblock_end_of_DRAM() : 0;

	snprintf(res, RESULT_LEN, "%d%d%d%d%d%d%d s=%llx e=%llx m=%llx r=%llx p=%d:%lx:%lx",
		 memblock_is_memory(a[0]), memblock_is_map_memory(a[0]), memblock_is_reserved(a[0]),
		 memblock_is_region_memory(a[0], a[1]), memblock_is_region_reserved(a[0], a[1]),
		 memblock_overlaps_region(&memblock.memory, a[0], a[1]),
		 memblock_overlaps_region(&memblock.reserved, a[0], a[1]),
		 (ull)memblock_start_of_DRAM(), end, (ull)memblock_phys_mem_size(),
		 (ull)memblock_reserved_size(), nid, start_pfn, end_pfn);
}

/* walk NID FLAGS: every iterator, printed above the result line. */
static void op_walk(const ull *a, char *res)
{
	int nid = (int)a[0];
	enum memblock_flags flags = (enum memblock_flags)a[1];
	phys_addr_t start, end;
	unsigned long spfn, epfn;
	int rnid, j;
	u64 i;

	res_int(res, 0);
	printf("W free");
	for_each_free_mem_range(i, nid, flags, &start, &end, &rnid)
	    printf(" %llx-%llx:%d", (ull)start, (ull)end, rnid);
	printf("\nW rev");
	for_each_free_mem_range_reverse(i, nid, flags, &start, &end, &rnid)
	    printf(" %llx-%llx:%d", (ull)start, (ull)end, rnid);
	printf("\nW mem");
	for_each_mem_range(i, &start, &end) printf(" %llx-%llx", (ull)start, (ull)end);
	printf("\nW memrev");
	for_each_mem_range_rev(i, &start, &end) printf(" %llx-%llx", (ull)start, (ull)end);
	printf("\nW res");
	for_each_reserved_mem_range(i, &start, &end) printf(" %llx-%llx", (ull)start, (ull)end);
	printf("\nW pfn");
	for_each_mem_pfn_range(j, nid, &spfn, &epfn, &rnid) printf(" %lx-%lx:%d", spfn, epfn, rnid);
	printf("\nW physmem");
	for_each_physmem_range(i, &memblock.memory, &start, &end)
	    printf(" %llx-%llx", (ull)start, (ull)end);
	printf("\n");
}

static void op_dump(const ull *a, char *res)
{
	(void)a;
	memblock_dump_all();
	res_int(res, 0);
}

/* free_all MAX_LOW_PFN: the handover, logged call by call (kh_pages). */
static void op_free_all(const ull *a, char *res)
{
	max_low_pfn = (unsigned long)a[0];
	memset(&kh_pages, 0, sizeof(kh_pages));
	memblock_free_all();
	snprintf(res, RESULT_LEN, "pages=%lu calls=%lu hash=%llx reserved=%lu rhash=%llx",
		 kh_pages.free_pages, kh_pages.free_calls, kh_pages.free_hash,
		 kh_pages.reserved_calls, kh_pages.reserved_hash);
}

static const struct op ops[] = {
	{ "allow_resize", 0, op_allow_resize },
	{ "add", 2, op_add },
	{ "add_node", 4, op_add_node },
	{ "remove", 2, op_remove },
	{ "reserve", 2, op_reserve },
	{ "phys_free", 2, op_phys_free },
	{ "free", 2, op_free },
	{ "physmem_add", 2, op_physmem_add },
	{ "mark_hotplug", 2, op_mark_hotplug },
	{ "clear_hotplug", 2, op_clear_hotplug },
	{ "mark_mirror", 2, op_mark_mirror },
	{ "mark_nomap", 2, op_mark_nomap },
	{ "clear_nomap", 2, op_clear_nomap },
#if KH_LINUX >= 605
	{ "mark_noinit", 2, op_mark_noinit },
#endif
	{ "set_node", 4, op_set_node },
	{ "phys_alloc_range", 4, op_phys_alloc_range },
	{ "phys_alloc", 2, op_phys_alloc },
	{ "phys_alloc_try_nid", 3, op_phys_alloc_try_nid },
	{ "alloc_range_nid", 6, op_alloc_range_nid },
	{ "alloc_try_nid", 5, op_alloc_try_nid },
	{ "alloc_try_nid_raw", 5, op_alloc_try_nid_raw },
	{ "alloc_exact_nid_raw", 5, op_alloc_exact_nid_raw },
	{ "alloc", 2, op_alloc },
	{ "alloc_raw", 2, op_alloc_raw },
	{ "alloc_from", 3, op_alloc_from },
	{ "alloc_low", 2, op_alloc_low },
	{ "alloc_node", 3, op_alloc_node },
	{ "bottom_up", 1, op_bottom_up },
	{ "current_limit", 1, op_current_limit },
	{ "trim", 1, op_trim },
	{ "enforce", 1, op_enforce },
	{ "remove_map", 1, op_remove_map },
	{ "cap", 2, op_cap },
	{ "query", 2, op_query },
	{ "walk", 2, op_walk },
	{ "dump", 0, op_dump },
	{ "free_all", 1, op_free_all },
	{ "reserve_many", 5, op_reserve_many },
	{ "add_many", 5, op_add_many },
	{ "free_many", 5, op_free_many },
};

static void dump_type(const char *tag, struct memblock_type *type)
{
	const struct memblock_region *rgn = kh_regions(type);
	unsigned long i;

	printf("%s %lu/%lu %llx", tag, type->cnt, type->max, (ull)type->total_size);
	for (i = 0; i < type->cnt; i++) {
		const struct memblock_region *r = &rgn[i];

		printf(" %llx+%llx:%x:%d", (ull)r->base, (ull)r->size, (unsigned int)r->flags,
		       memblock_get_region_node(r));
	}
	printf("\n");
}

static void dump_state(void)
{
	dump_type("M", &memblock.memory);
	dump_type("R", &memblock.reserved);
	dump_type("P", kh_physmem());
	printf("S %d %llx\n", memblock.bottom_up, (ull)memblock.current_limit);
}

static const struct op *find_op(const char *name)
{
	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		if (!strcmp(ops[i].name, name))
			return &ops[i];
	return NULL;
}

/* config numa=N movable=N mirror=N [profile=linux-X.Y] */
static int run_config(char *line)
{
	int numa = 1, movable = 0, mirror = 0;
	char profile[32] = "linux-6.12";
	const char *p = strstr(line, "profile=");

	if (p)
		sscanf(p + 8, "%31s", profile);

	if (strstr(line, "numa=0"))
		numa = 0;
	if (strstr(line, "movable=1"))
		movable = 1;
	if (strstr(line, "mirror=1"))
		mirror = 1;
	return kh_setup(numa, movable, mirror, profile);
}

static int run_line(char *line, int index)
{
	char text[512];
	char res[RESULT_LEN];
	ull args[MAX_ARGS] = {0};
	const struct op *op;
	char *tok;
	int n = 0;

	snprintf(text, sizeof(text), "%s", line);
	tok = strtok(line, " \t");
	op = tok ? find_op(tok) : NULL;
	if (!op) {
		fprintf(stderr, "kharness: line %d: unknown operation: %s\n", index, text);
		return -1;
	}
	while ((tok = strtok(NULL, " \t")) && n < MAX_ARGS)
		args[n++] = strtoull(tok, NULL, 0);
	if (n != op->nargs) {
		fprintf(stderr, "kharness: line %d: %s wants %d arguments\n", index, op->name,
			op->nargs);
		return -1;
	}
	printf("#%d %s\n", index, text);
	fflush(stdout);
	kh_before_op();
	op->run(args, res);
	printf("= %s\n", res);
	if (kh_last_error())
		printf("E %d\n", kh_last_error());
	kh_log_flush();
	dump_state();
	return 0;
}

int main(void)
{
	char line[512];
	int index = 0;
	bool configured = false;

	while (fgets(line, sizeof(line), stdin)) {
		line[strcspn(line, "\r\n")] = '\0';
		if (!line[0] || line[0] == '#')
			continue;
		if (!strncmp(line, "config", 6)) {
			if (configured || run_config(line))
				return 2;
			configured = true;
			continue;
		}
		if (!configured) {
			if (kh_setup(true, false, false, "linux-6.12"))
				return 2;
			configured = true;
		}
		if (run_line(line, ++index))
			return 2;
	}
	return 0;
}
