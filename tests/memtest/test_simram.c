/* SPDX-License-Identifier: MIT */
/* test_simram.c - simulated RAM: windows, translation, fault injection. */
#define _DEFAULT_SOURCE /* mkstemp, fdopen */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cmocka.h>

#include <memblock/simram.h>

static void test_windows(void **state)
{
	struct mb_simram *ram;
	unsigned char *a, *b;

	(void)state;
	assert_int_equal(mb_simram_create(&ram), 0);
	/*  phys   |--A 1M--|   gap   |--B 1M--|
	 *         0x1000000          0x3000000           */
	assert_int_equal(mb_simram_add(ram, 0x3000000, 0x100000), 0);
	assert_int_equal(mb_simram_add(ram, 0x1000000, 0x100000), 0);
	assert_int_equal(mb_simram_add(ram, 0x10fffff, 2), -MB_EINVAL);	/* overlaps A */
	assert_int_equal(mb_simram_add(ram, 0x2fff000, 0x2000), -MB_EINVAL); /* overlaps B */
	assert_int_equal(mb_simram_add(ram, 0x5000000, 0), -MB_EINVAL);
	assert_int_equal(mb_simram_add(ram, MB_PHYS_ADDR_MAX, 2), -MB_EINVAL);

	a = mb_simram_phys_to_virt(ram, 0x1000000, 0x100000);
	b = mb_simram_phys_to_virt(ram, 0x3000000, 0);
	assert_non_null(a);
	assert_non_null(b);
	assert_int_equal(a[0x1234], 0); /* lazily zero */
	assert_ptr_equal(mb_simram_phys_to_virt(ram, 0x1000010, 8), a + 0x10);
	assert_null(mb_simram_phys_to_virt(ram, 0x1000000, 0x100001)); /* past A */
	assert_null(mb_simram_phys_to_virt(ram, 0x2000000, 1));	      /* hole */
	assert_null(mb_simram_phys_to_virt(ram, 0xfff, 1));
	assert_true(mb_simram_virt_to_phys(ram, a + 0xfffff) == 0x10fffff);
	assert_true(mb_simram_virt_to_phys(ram, b + 8) == 0x3000008);
	assert_true(mb_simram_virt_to_phys(ram, &ram) == MB_PHYS_ADDR_MAX);

	a[5] = 0x5a;
	mb_simram_release(ram);
	assert_int_equal(a[5], 0);
	mb_simram_destroy(ram);
}

static void test_install(void **state)
{
	struct mb_simram *ram;
	struct mb_ops ops;

	(void)state;
	memset(&ops, 0, sizeof(ops));
	ops.mem_zero = (void (*)(void *, mb_phys_addr_t, mb_phys_addr_t))1;
	assert_int_equal(mb_simram_create(&ram), 0);
	mb_simram_install(ram, &ops);
	assert_ptr_equal(ops.mem_ctx, ram);
	assert_ptr_equal(ops.phys_to_virt, mb_simram_phys_to_virt);
	assert_ptr_equal(ops.virt_to_phys, mb_simram_virt_to_phys);
	assert_ptr_equal(ops.mem_sync, mb_simram_sync);
	assert_ptr_equal(ops.mem_zero, mb_simram_zero);
	mb_simram_destroy(ram);
}

/* A hand-made instance: cover must back exactly its memory regions. */
static void test_cover(void **state)
{
	struct memblock_region regions[3] = {
		{ 0x1000, 0x3000, 0, 0 },     /* |--0x1000..0x4000--|  */
		{ 0x4000, 0x1000, 0, 1 },     /* touching, other node  */
		{ 0x100000, 0x2000, 0, 0 },
	};
	struct memblock mb;
	struct mb_simram *ram;

	(void)state;
	memset(&mb, 0, sizeof(mb));
	mb.memory.regions = regions;
	mb.memory.cnt = 3;
	mb.memory.max = 3;
	assert_int_equal(mb_simram_create(&ram), 0);
	assert_int_equal(mb_simram_add(ram, 0x2000, 0x1000), 0); /* already there */
	assert_int_equal(mb_simram_cover(ram, &mb), 0);
	assert_int_equal(mb_simram_cover(ram, &mb), 0); /* idempotent */
	assert_non_null(mb_simram_phys_to_virt(ram, 0x1000, 0x1000));
	assert_non_null(mb_simram_phys_to_virt(ram, 0x2000, 0x1000));
	assert_non_null(mb_simram_phys_to_virt(ram, 0x3000, 0x1000));
	assert_non_null(mb_simram_phys_to_virt(ram, 0x4000, 0x1000));
	assert_non_null(mb_simram_phys_to_virt(ram, 0x100000, 0x2000));
	assert_null(mb_simram_phys_to_virt(ram, 0x5000, 1));
	/* Ranges backed separately but touching are one host block. */
	assert_non_null(mb_simram_phys_to_virt(ram, 0x1000, 0x4000));
	assert_null(mb_simram_phys_to_virt(ram, 0x4000, 0x2000)); /* into the hole */
	mb_simram_destroy(ram);
}

/*
 * Joining windows moves them on the host. A region array that growth put
 * in the old window must follow it (a script that adds a range below one
 * holding a doubled memory array used to crash in mb_check()).
 */
static void test_cover_moves_arrays(void **state)
{
	struct memblock_region mem[2], rsv[2];
	struct mb_simram *ram;
	struct mb_config cfg;
	struct memblock mb;
	mb_phys_addr_t phys;
	char msg[160];

	(void)state;
	assert_int_equal(mb_simram_create(&ram), 0);
	mb_config_default(&cfg);
	cfg.memory_regions = mem;
	cfg.memory_max = 2;
	cfg.reserved_regions = rsv;
	cfg.reserved_max = 2;
	cfg.grow_policy = MB_GROW_LINUX;
	mb_simram_install(ram, &cfg.ops);
	assert_int_equal(mb_init(&mb, &cfg), 0);
	mb_allow_resize(&mb);
	assert_int_equal(mb_add(&mb, 0x300000, 0x100000), 0);
	assert_int_equal(mb_simram_cover(ram, &mb), 0);
	/* Three regions for a moment: the doubled array lands at the top of 3M. */
	assert_int_equal(mb_add(&mb, 0x100000, 0x1000000), 0);
	phys = mb_simram_virt_to_phys(ram, mb.memory.regions);
	assert_true(phys >= 0x300000 && phys < 0x400000);
	assert_int_equal(mb_simram_cover(ram, &mb), 0);
	assert_ptr_equal(mb.memory.regions, mb_simram_phys_to_virt(ram, phys, 0));
	assert_ptr_equal(mb.reserved.regions, rsv);
	assert_int_equal(mb_check(&mb, msg, sizeof(msg)), 0);
	assert_int_equal(mb.memory.cnt, 1);
	assert_true(mb.memory.regions[0].base == 0x100000);
	assert_true(mb.memory.regions[0].size == 0x1000000);
	/* The whole range is one host block now, the array inside it. */
	assert_non_null(mb_simram_phys_to_virt(ram, 0x100000, 0x1000000));
	mb_simram_destroy(ram);
}

/* One page of RAM at 0x10000, the window sync_and_read() works on. */
static struct mb_simram *page_ram(unsigned char **mem)
{
	struct mb_simram *ram;

	assert_int_equal(mb_simram_create(&ram), 0);
	assert_int_equal(mb_simram_add(ram, 0x10000, 0x1000), 0);
	*mem = mb_simram_phys_to_virt(ram, 0x10000, 0x1000);
	return ram;
}

/* Fill with @byte, sync the whole window, return the byte at @off. */
static unsigned char sync_and_read(struct mb_simram *ram, unsigned char *mem, unsigned char byte,
				   size_t off)
{
	memset(mem, byte, 0x1000);
	mb_simram_sync(ram, 0x10000, 0x1000);
	return mem[off];
}

static void test_faults(void **state)
{
	unsigned char *mem;
	struct mb_simram *ram = page_ram(&mem);
	struct mb_fault f;

	(void)state;

	/* bit 9 of the word at 0x10100 = bit 1 of byte 0x10101 */
	f = (struct mb_fault){ .kind = MB_FAULT_STUCK0, .addr = 0x10100, .bit = 9 };
	assert_int_equal(mb_simram_add_fault(ram, &f), 0);
	f = (struct mb_fault){ .kind = MB_FAULT_STUCK1, .addr = 0x10200, .bit = 7 };
	assert_int_equal(mb_simram_add_fault(ram, &f), 0);
	/* victim bit 0 of 0x10300 follows bit 1 of 0x10300 */
	f = (struct mb_fault){ .kind = MB_FAULT_COUPLED, .addr = 0x10300, .bit = 0,
			       .aggr_addr = 0x10300, .aggr_bit = 1 };
	assert_int_equal(mb_simram_add_fault(ram, &f), 0);
	f = (struct mb_fault){ .kind = MB_FAULT_COUPLED, .addr = 0x10400, .bit = 0,
			       .aggr_addr = 0x10400, .aggr_bit = 0 };
	assert_int_equal(mb_simram_add_fault(ram, &f), -MB_EINVAL); /* self */
	f = (struct mb_fault){ .kind = MB_FAULT_STUCK0, .addr = 0x10400, .bit = 64 };
	assert_int_equal(mb_simram_add_fault(ram, &f), -MB_EINVAL);
	assert_int_equal(mb_simram_fault_count(ram), 3);

	assert_int_equal(sync_and_read(ram, mem, 0xff, 0x101), 0xfd);
	assert_int_equal(mem[0x100], 0xff);
	assert_int_equal(mem[0x102], 0xff);
	assert_int_equal(sync_and_read(ram, mem, 0x00, 0x200), 0x80);
	assert_int_equal(sync_and_read(ram, mem, 0x55, 0x300), 0x54); /* bit1=0 -> bit0=0 */
	assert_int_equal(sync_and_read(ram, mem, 0xaa, 0x300), 0xab); /* bit1=1 -> bit0=1 */
	assert_int_equal(sync_and_read(ram, mem, 0xff, 0x300), 0xff); /* agree: no error */

	/* A sync of another range leaves the faulty cells alone. */
	memset(mem, 0xff, 0x1000);
	mb_simram_sync(ram, 0x10000, 0x101);
	assert_int_equal(mem[0x101], 0xff);
	mb_simram_sync(ram, 0x10101, 1);
	assert_int_equal(mem[0x101], 0xfd);

	mb_simram_clear_faults(ram);
	assert_int_equal(sync_and_read(ram, mem, 0x00, 0x200), 0x00);
	mb_simram_destroy(ram);
}

static void test_coupled_inverted(void **state)
{
	unsigned char *mem;
	struct mb_simram *ram = page_ram(&mem);
	struct mb_fault f;

	(void)state;
	assert_int_equal(mb_coupled_parse("0x10008:3:0x10000:3:inv", &f), 0);
	assert_int_equal(mb_simram_add_fault(ram, &f), 0);
	assert_int_equal(sync_and_read(ram, mem, 0xff, 8), 0xf7);
	assert_int_equal(sync_and_read(ram, mem, 0x00, 8), 0x08);
	mb_simram_destroy(ram);
}

struct parse_case {
	const char *text;
	int ret;
	enum mb_fault_kind kind;
	uint64_t addr;
	unsigned int bit;
	uint64_t aggr_addr;
	unsigned int aggr_bit;
	bool inverted;
};

static void test_parse(void **state)
{
	static const struct parse_case cases[] = {
		{ "0x80001000:3:stuck0", 0, MB_FAULT_STUCK0, 0x80001000, 3, 0, 0, false },
		{ "4096:63:stuck1", 0, MB_FAULT_STUCK1, 4096, 63, 0, 0, false },
		{ "0x10:1:coupled:0x18:1", 0, MB_FAULT_COUPLED, 0x10, 1, 0x18, 1, false },
		{ "0x10:1:coupled-inv:0x10:2", 0, MB_FAULT_COUPLED, 0x10, 1, 0x10, 2, true },
		{ "0x10:64:stuck0", -MB_EINVAL, MB_FAULT_STUCK0, 0, 0, 0, 0, false },
		{ "0x10:1:stuck2", -MB_EINVAL, MB_FAULT_STUCK0, 0, 0, 0, 0, false },
		{ "0x10:stuck0", -MB_EINVAL, MB_FAULT_STUCK0, 0, 0, 0, 0, false },
		{ "0x10:1:coupled:0x18", -MB_EINVAL, MB_FAULT_STUCK0, 0, 0, 0, 0, false },
		{ "0x10:1:coupled:0x18:1:", -MB_EINVAL, MB_FAULT_STUCK0, 0, 0, 0, 0, false },
		{ "x10:1:stuck0", -MB_EINVAL, MB_FAULT_STUCK0, 0, 0, 0, 0, false },
		{ "", -MB_EINVAL, MB_FAULT_STUCK0, 0, 0, 0, 0, false },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct parse_case *c = &cases[i];
		struct mb_fault f;

		memset(&f, 0x5a, sizeof(f));
		assert_int_equal(mb_fault_parse(c->text, &f), c->ret);
		if (c->ret)
			continue;
		assert_int_equal(f.kind, c->kind);
		assert_true(f.addr == c->addr);
		assert_int_equal(f.bit, c->bit);
		if (c->kind == MB_FAULT_COUPLED) {
			assert_true(f.aggr_addr == c->aggr_addr);
			assert_int_equal(f.aggr_bit, c->aggr_bit);
		}
		assert_int_equal(f.inverted, c->inverted);
	}
}

static void test_load_file(void **state)
{
	char path[] = "/tmp/mb-faults-XXXXXX";
	struct mb_simram *ram;
	unsigned long line = 0;
	int fd;
	FILE *fp;

	(void)state;
	fd = mkstemp(path);
	assert_true(fd >= 0);
	fp = fdopen(fd, "w");
	fputs("# bad cells\n\n  0x1000:0:stuck0   # first\n0x2000:1:stuck1\n"
	      "0x3000:2:coupled:0x3008:2\nbogus\n0x4000:0:stuck0\n", fp);
	fclose(fp);
	assert_int_equal(mb_simram_create(&ram), 0);
	assert_int_equal(mb_simram_load_faults(ram, path, &line), -MB_EINVAL);
	assert_int_equal(line, 6);
	assert_int_equal(mb_simram_fault_count(ram), 3);
	assert_int_equal(mb_simram_load_faults(ram, "/nonexistent/faults", NULL), -MB_ENOENT);
	unlink(path);
	mb_simram_destroy(ram);
}

/* A machine of 1 TiB costs only what is touched. */
static void test_huge_lazy(void **state)
{
	/* explicit casts: in a 32-bit phys_addr_t build this is skipped */
	const mb_phys_addr_t base = (mb_phys_addr_t)0x100000000ull;
	const mb_phys_addr_t size = (mb_phys_addr_t)(1ull << 40);
	struct mb_simram *ram;
	unsigned char *p;

	(void)state;
	if (sizeof(void *) < 8 || sizeof(mb_phys_addr_t) < 8)
		skip();
	assert_int_equal(mb_simram_create(&ram), 0);
	assert_int_equal(mb_simram_add(ram, base, size), 0);
	p = mb_simram_phys_to_virt(ram, base + size - 8, 8);
	assert_non_null(p);
	p[7] = 1;
	assert_true(mb_simram_virt_to_phys(ram, p) == base + size - 8);
	mb_simram_destroy(ram);
}

/* Ranges added apart and then joined keep their bytes and become one block. */
static void test_join(void **state)
{
	struct mb_simram *ram;
	unsigned char *p;

	(void)state;
	assert_int_equal(mb_simram_create(&ram), 0);
	/* Linux's doubling over two adjacent added ranges: high one first. */
	assert_int_equal(mb_simram_add(ram, 0x407000, 0x1000), 0);
	p = mb_simram_phys_to_virt(ram, 0x407000, 0x1000);
	p[0] = 0xa1;
	p[0xfff] = 0xa2;
	assert_int_equal(mb_simram_add(ram, 0x406000, 0x1000), 0);
	p = mb_simram_phys_to_virt(ram, 0x406000, 0x1800);
	assert_non_null(p);
	assert_int_equal(p[0x1000], 0xa1);
	assert_int_equal(p[0x1fff], 0xa2);
	assert_true(mb_simram_virt_to_phys(ram, p + 0x1000) == 0x407000);

	/* Three ranges sharing one page, the middle one added last. */
	assert_int_equal(mb_simram_add(ram, 0x1001, 0x7ff), 0);
	assert_int_equal(mb_simram_add(ram, 0x1900, 0x1700), 0);
	memset(mb_simram_phys_to_virt(ram, 0x1001, 0x7ff), 0x11, 0x7ff);
	memset(mb_simram_phys_to_virt(ram, 0x1900, 0x1700), 0x22, 0x1700);
	assert_null(mb_simram_phys_to_virt(ram, 0x1001, 0x900));
	assert_int_equal(mb_simram_add(ram, 0x1800, 0x100), 0);
	p = mb_simram_phys_to_virt(ram, 0x1001, 0x1fff);
	assert_non_null(p);
	assert_int_equal(p[0], 0x11);
	assert_int_equal(p[0x7fe], 0x11);
	assert_int_equal(p[0x7ff], 0);
	assert_int_equal(p[0x8fe], 0);
	assert_int_equal(p[0x8ff], 0x22);
	assert_int_equal(p[0x1ffe], 0x22);
	mb_simram_destroy(ram);
}

/* A block's host address is as aligned as its physical address. */
static void test_host_alignment(void **state)
{
	static const mb_phys_addr_t bases[] = { 0x1001, 0x8000, 0x80200000, 0x7ff000 };
	struct mb_simram *ram;

	(void)state;
	assert_int_equal(mb_simram_create(&ram), 0);
	for (size_t i = 0; i < sizeof(bases) / sizeof(bases[0]); i++) {
		uintptr_t host;

		assert_int_equal(mb_simram_add(ram, bases[i], 0x3000), 0);
		host = (uintptr_t)mb_simram_phys_to_virt(ram, bases[i] + 0xfff, 1);
		assert_int_equal(host & 0x1fffff, (bases[i] + 0xfff) & 0x1fffff);
	}
	/* still after joining: 0xb000 joins the window at 0x8000 */
	assert_int_equal(mb_simram_add(ram, 0xb000, 0x1000), 0);
	assert_int_equal((uintptr_t)mb_simram_phys_to_virt(ram, 0xa000, 0x2000) & 0x1fffff,
			 0xa000);
	mb_simram_destroy(ram);
}

static bool resident(const void *addr)
{
	unsigned char vec = 0;
	long page = sysconf(_SC_PAGESIZE);
	void *pg = (void *)((uintptr_t)addr & ~(uintptr_t)(page - 1));

	assert_int_equal(mincore(pg, (size_t)page, &vec), 0);
	return vec & 1;
}

/* Zeroing gives whole pages back instead of writing them. */
static void test_zero_lazy(void **state)
{
	struct mb_simram *ram;
	struct mb_ops ops;
	unsigned char *p;

	(void)state;
	memset(&ops, 0, sizeof(ops));
	assert_int_equal(mb_simram_create(&ram), 0);
	mb_simram_install(ram, &ops);
	assert_int_equal(mb_simram_add(ram, 0x100000, 0x10000), 0);
	p = mb_simram_phys_to_virt(ram, 0x100000, 0x10000);
	memset(p, 0x5a, 0x10000);
	ops.mem_zero(ops.mem_ctx, 0x100800, 0xf000); /* [0x100800, 0x10f800) */
	assert_int_equal(p[0x7ff], 0x5a);
	assert_int_equal(p[0x800], 0);
	assert_int_equal(p[0xf7ff], 0);
	assert_int_equal(p[0xf800], 0x5a);
	for (size_t off = 0x1000; off < 0xf000; off += 0x1000)
		assert_false(resident(p + off));
	assert_true(resident(p));
	/* Past the window: ignored, no crash. */
	mb_simram_zero(ram, 0x10f000, 0x100000);
	assert_int_equal(p[0xefff], 0);
	assert_int_equal(p[0xffff], 0);
	mb_simram_destroy(ram);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_windows),
		cmocka_unit_test(test_install),
		cmocka_unit_test(test_cover),
		cmocka_unit_test(test_cover_moves_arrays),
		cmocka_unit_test(test_faults),
		cmocka_unit_test(test_coupled_inverted),
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_load_file),
		cmocka_unit_test(test_huge_lazy),
		cmocka_unit_test(test_join),
		cmocka_unit_test(test_host_alignment),
		cmocka_unit_test(test_zero_lazy),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
