// SPDX-License-Identifier: MIT
/*
 * test_bootmem.c - the 4.x bootmem API (<memblock/bootmem.h>) as code of
 * that era calls it, with the fallbacks of mm/nobootmem.c.
 *
 * Simulated RAM: 2 MiB at physical 0xf00000, i.e. 1 MiB on each side of
 * the bootmem goal __pa(MAX_DMA_ADDRESS) = 16 MiB:
 *
 *   0xf00000          0x1000000 (goal)        0x1100000
 *      |---- node 0 ------|------ node 1 --------|
 */
#define _POSIX_C_SOURCE 200809L /* fork, waitpid */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include <memblock/bootmem.h>

#define RAM_BASE 0xf00000UL
#define RAM_SIZE 0x200000UL
#define GOAL	 0x1000000UL
#define RAM_END	 (RAM_BASE + RAM_SIZE)

static unsigned char ram[RAM_SIZE] __attribute__((aligned(4096)));
static unsigned long panics, panic_size;
static unsigned long freed_pages;

static void count_free(void *ctx, unsigned long pfn, unsigned int order)
{
	(void)ctx;
	(void)pfn;
	freed_pages += 1UL << order;
}

static void panic_counter(unsigned long size)
{
	panics++;
	panic_size = size;
}

static unsigned long phys(const void *p)
{
	return RAM_BASE + (unsigned long)((const unsigned char *)p - ram);
}

static int setup(void **state)
{
	struct mb_config cfg;

	(void)state;
	memblock_linux_default_config(&cfg);
	cfg.ops.free_pages = count_free;
	if (memblock_linux_configure(&cfg))
		return -1;
	if (memblock_linux_map_buffer(RAM_BASE, ram, RAM_SIZE))
		return -1;
	memset(ram, 0x5a, sizeof(ram));
	panics = panic_size = freed_pages = 0;
	bootmem_set_panic_hook(panic_counter);
	if (memblock_add_node(RAM_BASE, GOAL - RAM_BASE, 0, MEMBLOCK_NONE))
		return -1;
	return memblock_add_node(GOAL, RAM_END - GOAL, 1, MEMBLOCK_NONE);
}

static void test_constants(void **state)
{
	(void)state;
	assert_int_equal(BOOTMEM_LOW_LIMIT, 0x1000000);
	assert_int_equal(BOOTMEM_ALLOC_ACCESSIBLE, 0);
	assert_true(BOOTMEM_ALLOC_ANYWHERE == (phys_addr_t)~0ULL);
	assert_int_equal(NODE_DATA(0)->node_id, 0);
	assert_int_equal(NODE_DATA(5)->node_id, 5);
}

/* Top-down from the top of RAM, above the goal; memory comes back zeroed. */
static void test_alloc_bootmem_family(void **state)
{
	unsigned char *p;

	(void)state;
	p = alloc_bootmem(0x100);
	assert_int_equal(phys(p), RAM_END - 0x100);
	assert_int_equal(p[0], 0);
	assert_int_equal(p[0xff], 0);

	p = alloc_bootmem_align(0x100, 0x10000);
	assert_int_equal(phys(p), RAM_END - 0x10000);

	/* [END - 0x1000, END - 0x100) is too small for a page. */
	p = alloc_bootmem_pages(0x1000);
	assert_int_equal(phys(p), RAM_END - 0x2000);

	p = alloc_bootmem_nopanic(0x40);
	assert_int_equal(phys(p), RAM_END - 0x140);

	p = alloc_bootmem_pages_nopanic(0x1000);
	assert_int_equal(phys(p), RAM_END - 0x3000);

	/* END - 0x140 - 0x80, rounded down to 0x80. */
	p = __alloc_bootmem(0x80, 0x80, 0);
	assert_int_equal(phys(p), RAM_END - 0x200);

	p = __alloc_bootmem_nopanic(0x80, 0x80, 0);
	assert_int_equal(phys(p), RAM_END - 0x280);
	assert_int_equal(panics, 0);
}

/*  limit        |<- current_limit = goal
 *  RAM    |-----+------|     the goal cannot be met: retried from 0 */
static void test_goal_dropped(void **state)
{
	void *p;

	(void)state;
	memblock_set_current_limit(GOAL);
	p = alloc_bootmem(0x100);
	assert_int_equal(phys(p), GOAL - 0x100);
}

/*
 * Node fallback order of nobootmem: (node, goal) -> (any, goal) ->
 * (node, 0) -> (any, 0). Node 0 lies wholly below the goal, so a node-0
 * request is served from node 1 above the goal, not from node 0.
 */
static void test_node_order(void **state)
{
	unsigned char *p;

	(void)state;
	p = alloc_bootmem_node(NODE_DATA(0), 0x100);
	assert_int_equal(phys(p), RAM_END - 0x100);

	p = alloc_bootmem_node(NODE_DATA(1), 0x100);
	assert_int_equal(phys(p), RAM_END - 0x200);

	p = __alloc_bootmem_node(NODE_DATA(0), 0x100, 0x100, 0);
	assert_int_equal(phys(p), GOAL - 0x100);

	p = alloc_bootmem_pages_node(NODE_DATA(1), 0x1000);
	assert_int_equal(phys(p), RAM_END - 0x2000);

	p = alloc_bootmem_node_nopanic(NODE_DATA(1), 0x40);
	assert_int_equal(phys(p), RAM_END - 0x240);

	p = alloc_bootmem_pages_node_nopanic(NODE_DATA(0), 0x1000);
	assert_int_equal(phys(p), RAM_END - 0x3000);

	p = __alloc_bootmem_node_nopanic(NODE_DATA(0), 0x1000, 0x1000, 0);
	assert_int_equal(phys(p), GOAL - 0x2000);
}

static void test_low(void **state)
{
	void *p;

	(void)state;
	p = alloc_bootmem_low(0x100);
	assert_int_equal(phys(p), RAM_END - 0x100);
	p = alloc_bootmem_low_pages(0x1000);
	assert_int_equal(phys(p), RAM_END - 0x2000);
	p = alloc_bootmem_low_pages_nopanic(0x1000);
	assert_int_equal(phys(p), RAM_END - 0x3000);
	p = __alloc_bootmem_low(0x100, 0x100, 0);
	assert_int_equal(phys(p), RAM_END - 0x200);
	p = __alloc_bootmem_low_nopanic(0x100, 0x100, 0);
	assert_int_equal(phys(p), RAM_END - 0x300);
	p = alloc_bootmem_low_pages_node(NODE_DATA(0), 0x1000);
	assert_int_equal(phys(p), GOAL - 0x1000);
	p = __alloc_bootmem_low_node(NODE_DATA(1), 0x100, 0x100, 0);
	assert_int_equal(phys(p), RAM_END - 0x400);
}

static void test_failures(void **state)
{
	(void)state;
	assert_null(alloc_bootmem_nopanic(4 * RAM_SIZE));
	assert_null(alloc_bootmem_node_nopanic(NODE_DATA(0), 4 * RAM_SIZE));
	assert_int_equal(panics, 0);

	/* The panicking ones call the hook; ours returns, so NULL comes back. */
	assert_null(alloc_bootmem(4 * RAM_SIZE));
	assert_int_equal(panics, 1);
	assert_int_equal(panic_size, 4 * RAM_SIZE);
	assert_null(alloc_bootmem_pages_node(NODE_DATA(1), 4 * RAM_SIZE));
	assert_null(alloc_bootmem_low(4 * RAM_SIZE));
	assert_int_equal(panics, 3);
	assert_int_equal(memblock.reserved.cnt, 0);
}

/* The default hook prints the kernel's two lines and aborts (child process). */
static void test_default_panic_aborts(void **state)
{
	int status = 0;
	pid_t pid;

	(void)state;
	fflush(NULL);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		FILE *quiet = freopen("/dev/null", "w", stderr);

		(void)quiet;
		bootmem_set_panic_hook(NULL);
		alloc_bootmem(4 * RAM_SIZE);
		_exit(0); /* not reached */
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGABRT);
}

/*  reserved |------R------|
 *  free        |-X-|           free_bootmem: phys free, split */
static void test_free_and_reserve(void **state)
{
	(void)state;
	assert_int_equal(reserve_bootmem(RAM_BASE, 0x4000, BOOTMEM_DEFAULT), 0);
	assert_int_equal(reserve_bootmem(RAM_BASE + 0x1000, 0x1000, BOOTMEM_EXCLUSIVE), -EBUSY);
	assert_int_equal(
	    reserve_bootmem_node(NODE_DATA(0), RAM_BASE + 0x8000, 0x1000, BOOTMEM_EXCLUSIVE), 0);
	assert_int_equal(memblock.reserved.cnt, 2);

	free_bootmem(RAM_BASE + 0x1000, 0x1000);
	assert_int_equal(memblock.reserved.cnt, 3);
	free_bootmem_node(NODE_DATA(0), RAM_BASE + 0x8000, 0x1000);
	assert_int_equal(memblock.reserved.cnt, 2);
	assert_int_equal(memblock_reserved_size(), 0x3000);
}

static void test_free_all_bootmem(void **state)
{
	(void)state;
	assert_int_equal(reserve_bootmem(RAM_BASE, 0x100000, BOOTMEM_DEFAULT), 0);
	max_low_pfn = PFN_DOWN(GOAL);
	/* Below the goal all is reserved, above it is beyond max_low_pfn. */
	assert_int_equal(free_all_bootmem(), 0);
	assert_int_equal(freed_pages, 0);

	free_bootmem_late(RAM_BASE, 0x3000);
	assert_int_equal(freed_pages, 3);
}

static void test_free_all_bootmem_counts(void **state)
{
	(void)state;
	max_low_pfn = PFN_DOWN(RAM_END);
	/* 0x200 pages from pfn 0xf00: a block of order 8 at 0xf00 (its lowest
	 * set bit), then at 0x1000 order 10 shrunk to 8 to fit. */
	assert_int_equal(free_all_bootmem(), 0x200);
	assert_int_equal(freed_pages, 0x200);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(test_constants, setup),
	    cmocka_unit_test_setup(test_alloc_bootmem_family, setup),
	    cmocka_unit_test_setup(test_goal_dropped, setup),
	    cmocka_unit_test_setup(test_node_order, setup),
	    cmocka_unit_test_setup(test_low, setup),
	    cmocka_unit_test_setup(test_failures, setup),
	    cmocka_unit_test_setup(test_default_panic_aborts, setup),
	    cmocka_unit_test_setup(test_free_and_reserve, setup),
	    cmocka_unit_test_setup(test_free_all_bootmem, setup),
	    cmocka_unit_test_setup(test_free_all_bootmem_counts, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
