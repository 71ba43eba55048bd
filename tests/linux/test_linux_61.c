// SPDX-License-Identifier: MIT
/*
 * test_linux_61.c - the Linux layer built for Linux 6.1 at build time
 * (src/linux compiled with -DMEMBLOCK_LINUX_PROFILE="linux-6.1" and
 * -DMEMBLOCK_LINUX_MAX_NUMNODES=16), used as 6.1 code uses it: no set-up
 * call at all. Then the run-time switch back and forth.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdlib.h>
#include <cmocka.h>

#include <memblock/linux.h>

/* What the 6.1 suite checks first: a 6.1 kernel's static instance. */
static void test_initial_instance(void **state)
{
	(void)state;
	assert_string_equal(memblock.cfg.profile->name, "linux-6.1");
	assert_int_equal(memblock.cfg.max_numnodes, 16);
	assert_true(memblock.cfg.numa);
	assert_int_equal(memblock.memory.cnt, 1);
	assert_int_equal(memblock.memory.regions[0].size, 0);
	assert_int_equal(memblock.reserved.cnt, 1);
	assert_string_equal(memblock.memory.name, "memory");
}

/* 6.1 has no such call: refused, nothing changed. */
static void test_missing_calls(void **state)
{
	void *buf = aligned_alloc(4096, 0x10000);
	phys_addr_t base = (phys_addr_t)(uintptr_t)buf;

	(void)state;
	assert_int_equal(memblock_add(base, 0x10000), 0);
	assert_int_equal(memblock_reserve(base, 0x1000), 0);
	assert_int_equal(memblock_reserved_mark_noinit(base, 0x1000), -EINVAL);
	assert_int_equal(memblock_linux_last_error(), -MB_ENOTSUP);
	assert_int_equal(memblock.reserved.regions[0].flags, MEMBLOCK_NONE);
	assert_false(memblock_validate_numa_coverage(0));
	assert_int_equal(memblock_linux_last_error(), -MB_ENOTSUP);
	assert_int_equal(memblock_linux_configure(NULL), 0);
	free(buf);
}

/* Growth before memblock_allow_resize(): 6.1 fails quietly with -ENOMEM. */
static void test_refused_growth(void **state)
{
	void *buf = aligned_alloc(4096, 0x200000);
	phys_addr_t base = (phys_addr_t)(uintptr_t)buf;
	int i;

	(void)state;
	assert_int_equal(memblock_linux_configure(NULL), 0);
	for (i = 0; i < 128; i++)
		assert_int_equal(memblock_add(base + (phys_addr_t)i * 0x2000, 0x1000), 0);
	assert_int_equal(memblock_add(base + 128 * 0x2000, 0x1000), -ENOMEM);
	assert_int_equal(memblock_linux_last_error(), -MB_ENOMEM);
	assert_int_equal(memblock.memory.cnt, 128);
	assert_int_equal(memblock_linux_configure(NULL), 0);
	free(buf);
}

/* The run-time switch keeps the other settings. */
static void test_set_profile(void **state)
{
	(void)state;
	assert_int_equal(memblock_linux_set_profile("linux-6.12"), 0);
	assert_string_equal(memblock.cfg.profile->name, "linux-6.12");
	assert_int_equal(memblock.cfg.max_numnodes, 16);
	assert_int_equal(memblock.memory.cnt, 0);
	assert_int_equal(memblock_linux_set_profile("7.0"), -EINVAL);
	assert_string_equal(memblock.cfg.profile->name, "linux-6.12");
	assert_int_equal(memblock_linux_set_profile("6.1"), 0);
	assert_int_equal(memblock.memory.cnt, 1);
}

/* -m of the kernel suite: movable_node read from a variable on every call. */
static void test_bind_movable_node(void **state)
{
	static bool movable;
	void *buf = aligned_alloc(4096, 0x10000);
	phys_addr_t base = (phys_addr_t)(uintptr_t)buf;

	(void)state;
	memblock_linux_bind_movable_node(&movable);
	assert_int_equal(memblock_add_node(base, 0x10000, 0, MEMBLOCK_HOTPLUG), 0);
	assert_true(memblock_phys_alloc(0x1000, 0x1000) != 0);
	movable = true;
	assert_int_equal(memblock_phys_alloc(0x1000, 0x1000), 0);
	memblock_linux_bind_movable_node(NULL);
	assert_int_equal(memblock_linux_configure(NULL), 0);
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_initial_instance),
		cmocka_unit_test(test_missing_calls),
		cmocka_unit_test(test_refused_growth),
		cmocka_unit_test(test_set_profile),
		cmocka_unit_test(test_bind_movable_node),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
