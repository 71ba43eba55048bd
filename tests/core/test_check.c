// SPDX-License-Identifier: MIT
/*
 * test_check.c - mb_check() catches each invariant of memblock.h.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "harness.h"

/*  memory  |--A--|   |--B--|   |--C--|   three regions, then one corruption */
static struct harness *three(void)
{
	struct harness *h = h_new(8, 8);

	assert_int_equal(mb_add(&h->mb, 0x1000, 0x1000), 0);
	assert_int_equal(mb_add(&h->mb, 0x3000, 0x1000), 0);
	assert_int_equal(mb_add(&h->mb, 0x5000, 0x1000), 0);
	assert_int_equal(mb_check(&h->mb, NULL, 0), 0);
	return h;
}

struct corruption {
	const char *name;
	void (*apply)(struct memblock *mb);
	const char *msg; /* start of the message */
};

static void unsorted(struct memblock *mb)
{
	mb->memory.regions[1].base = 0x6000;
	mb->memory.regions[2].base = 0x3000;
}

static void overlapping(struct memblock *mb)
{
	mb->memory.regions[0].size = 0x2800;
	mb->memory.total_size += 0x1800;
}

static void unmerged(struct memblock *mb)
{
	mb->memory.regions[0].size = 0x2000;
	mb->memory.total_size += 0x1000;
}

static void cnt_over_max(struct memblock *mb)
{
	mb->memory.cnt = 9;
}

static void total_wrong(struct memblock *mb)
{
	mb->reserved.total_size = 5;
}

static void zero_size(struct memblock *mb)
{
	mb->memory.regions[1].size = 0;
	mb->memory.total_size -= 0x1000;
}

static void wraps(struct memblock *mb)
{
	mb->memory.regions[2].base = MB_PHYS_ADDR_MAX - 0x10;
}

static void empty_not_zeroed(struct memblock *mb)
{
	mb->reserved.regions[0].size = 0x10;
}

static const struct corruption corruptions[] = {
	{ "unsorted", unsorted, "memory[1]: overlaps or is not sorted" },
	{ "overlapping", overlapping, "memory[0]: overlaps or is not sorted" },
	{ "touching, same flags and nid", unmerged, "memory[0]: not merged" },
	{ "cnt > max", cnt_over_max, "memory[0]: cnt > max" },
	{ "total_size", total_wrong, "reserved[0]: empty type with total_size" },
	{ "zero-sized region", zero_size, "memory[1]: zero-sized region" },
	{ "wrapping region", wraps, "memory[2]: region wraps" },
	{ "empty type not zeroed", empty_not_zeroed, "reserved[0]: empty type's regions[0]" },
};

static void test_corruptions(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(corruptions) / sizeof(corruptions[0]); i++) {
		struct harness *h = three();
		char msg[160];

		printf("corruption: %s\n", corruptions[i].name);
		corruptions[i].apply(&h->mb);
		assert_int_equal(mb_check(&h->mb, msg, sizeof(msg)), -MB_ECORRUPT);
		printf("  -> %s\n", msg);
		assert_memory_equal(msg, corruptions[i].msg, strlen(corruptions[i].msg));
		h_free(h);
	}
	assert_int_equal(mb_check(NULL, NULL, 0), -MB_EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_corruptions),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
