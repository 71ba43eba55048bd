// SPDX-License-Identifier: MIT
/*
 * test_acpi.c - boot loader inputs: Multiboot v1 memory maps into E820
 * tables, and the ACPI walk (RSDP in the EBDA or BIOS area, RSDT or
 * XSDT, one table) over a fake physical memory with exact addresses.
 */
#include "fw_test.h"

#define LOW_SIZE 0x100000u
#define TABLES 0x7ffe0000ull /* where QEMU's pc puts its tables with 2 GiB */
#define TABLES_SIZE 0x10000u

static uint8_t low[LOW_SIZE];
static uint8_t tables[TABLES_SIZE];

static const void *fake_map(void *ctx, uint64_t phys, size_t len)
{
	(void)ctx;
	if (phys < LOW_SIZE && len <= LOW_SIZE - phys)
		return low + phys;
	if (phys >= TABLES && phys - TABLES < TABLES_SIZE && len <= TABLES_SIZE - (phys - TABLES))
		return tables + (phys - TABLES);
	return NULL;
}

static uint8_t *at(uint64_t phys)
{
	return (uint8_t *)fake_map(NULL, phys, 1);
}

static void put_le(uint8_t *p, uint64_t v, int bytes)
{
	for (int i = 0; i < bytes; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void fix_sum(uint8_t *p, size_t len, size_t sum_at)
{
	uint8_t sum = 0;

	p[sum_at] = 0;
	for (size_t i = 0; i < len; i++)
		sum = (uint8_t)(sum + p[i]);
	p[sum_at] = (uint8_t)-sum;
}

static void put_rsdp(uint64_t pa, uint8_t rev, uint32_t rsdt, uint64_t xsdt)
{
	uint8_t *r = at(pa);

	memcpy(r, "RSD PTR ", 8);
	memcpy(r + 9, "MBTEST", 6);
	r[15] = rev;
	put_le(r + 16, rsdt, 4);
	fix_sum(r, 20, 8);
	if (rev >= 2) { /* the extended checksum covers the first one */
		put_le(r + 20, 36, 4);
		put_le(r + 24, xsdt, 8);
		fix_sum(r, 36, 32);
	}
}

static void put_table(uint64_t pa, const char *sig, uint32_t len)
{
	uint8_t *t = at(pa);

	memcpy(t, sig, 4);
	put_le(t + 4, len, 4);
	t[8] = 1;
	fix_sum(t, len, 9);
}

/* An RSDT (4-byte entries) or XSDT (8-byte entries) listing @n tables. */
static void put_sdt(uint64_t pa, const char *sig, const uint64_t *entries, int n)
{
	int size = sig[0] == 'X' ? 8 : 4;
	uint8_t *t = at(pa);

	for (int i = 0; i < n; i++)
		put_le(t + 36 + i * size, entries[i], size);
	put_table(pa, sig, (uint32_t)(36 + n * size));
}

static int setup(void **state)
{
	(void)state;
	memset(low, 0, sizeof(low));
	memset(tables, 0, sizeof(tables));
	return 0;
}

/* FACP, then APIC, then SRAT at the given offsets of the table window. */
static void three_tables(void)
{
	put_table(TABLES + 0x100, "FACP", 116);
	put_table(TABLES + 0x200, "APIC", 120);
	put_table(TABLES + 0x300, "SRAT", 0x110);
}

static void test_rsdt_in_bios_area(void **state)
{
	const uint64_t list[] = { TABLES + 0x100, TABLES + 0x200, TABLES + 0x300 };
	uint64_t rsdp = 0, phys = 0;
	size_t len = 0;

	(void)state;
	three_tables();
	put_sdt(TABLES, "RSDT", list, 3);
	put_rsdp(0xf5a40, 0, (uint32_t)TABLES, 0);
	assert_int_equal(fw_acpi_find_rsdp(fake_map, NULL, &rsdp), 0);
	assert_int_equal(rsdp, 0xf5a40);
	assert_int_equal(fw_acpi_find_table(fake_map, NULL, rsdp, "SRAT", &phys, &len, NULL), 0);
	assert_int_equal(phys, TABLES + 0x300);
	assert_int_equal(len, 0x110);
	assert_int_equal(fw_acpi_find_table(fake_map, NULL, rsdp, "HPET", &phys, &len, NULL),
			 -MB_ENOENT);
}

/* Revision 2 with an XSDT: the XSDT is used even though the RSDT differs. */
static void test_xsdt_wins(void **state)
{
	const uint64_t rsdt_list[] = { TABLES + 0x100 };
	const uint64_t xsdt_list[] = { TABLES + 0x100, TABLES + 0x300 };
	uint64_t rsdp = 0, phys = 0;
	size_t len = 0;

	(void)state;
	three_tables();
	put_sdt(TABLES + 0x800, "RSDT", rsdt_list, 1);
	put_sdt(TABLES + 0x900, "XSDT", xsdt_list, 2);
	put_rsdp(0xe0010, 2, (uint32_t)(TABLES + 0x800), TABLES + 0x900);
	assert_int_equal(fw_acpi_find_rsdp(fake_map, NULL, &rsdp), 0);
	assert_int_equal(rsdp, 0xe0010);
	assert_int_equal(fw_acpi_find_table(fake_map, NULL, rsdp, "SRAT", &phys, &len, NULL), 0);
	assert_int_equal(phys, TABLES + 0x300);
}

/* The EBDA is searched first; a root pointer with a bad checksum is skipped. */
static void test_rsdp_search_order(void **state)
{
	uint64_t rsdp = 0;

	(void)state;
	put_le(low + 0x40e, 0x9fc0, 2); /* EBDA at 0x9fc00 */
	put_rsdp(0xf0000, 0, (uint32_t)TABLES, 0);
	put_rsdp(0x9fc20, 0, (uint32_t)TABLES, 0);
	assert_int_equal(fw_acpi_find_rsdp(fake_map, NULL, &rsdp), 0);
	assert_int_equal(rsdp, 0x9fc20);
	low[0x9fc20 + 10] ^= 1; /* checksum broken: the BIOS area's is next */
	assert_int_equal(fw_acpi_find_rsdp(fake_map, NULL, &rsdp), 0);
	assert_int_equal(rsdp, 0xf0000);
	low[0xf0000 + 10] ^= 1;
	assert_int_equal(fw_acpi_find_rsdp(fake_map, NULL, &rsdp), -MB_ENOENT);
	/* Revision 2 needs its extended checksum too. */
	put_rsdp(0xe0000, 2, (uint32_t)TABLES, TABLES + 0x900);
	low[0xe0000 + 33] ^= 1;
	assert_int_equal(fw_acpi_find_rsdp(fake_map, NULL, &rsdp), -MB_ENOENT);
	assert_int_equal(fw_acpi_find_rsdp(NULL, NULL, &rsdp), -MB_EINVAL);
}

static void test_bad_tables(void **state)
{
	const uint64_t list[] = { TABLES + 0x300 };
	struct fwt *t = fwt_new(false);
	uint64_t phys = 0;
	size_t len = 0;

	(void)state;
	put_table(TABLES + 0x300, "SRAT", 0x110);
	put_sdt(TABLES, "RSDT", list, 1);
	put_rsdp(0xf0000, 0, (uint32_t)TABLES, 0);
	tables[0x300 + 0x50] ^= 0xff; /* SRAT checksum broken */
	assert_int_equal(fw_acpi_find_table(fake_map, NULL, 0xf0000, "SRAT", &phys, &len, &t->mb),
			 -MB_EINVAL);
	assert_int_equal(t->nr_lines, 1);
	assert_string_equal(t->lines[0], "ACPI: SRAT at 0x7ffe0300: bad length or checksum");
	memcpy(tables, "XSDT", 4); /* an RSDT that is not one */
	assert_int_equal(fw_acpi_find_table(fake_map, NULL, 0xf0000, "SRAT", &phys, &len, &t->mb),
			 -MB_EINVAL);
	assert_string_equal(t->lines[1], "ACPI: bad RSDT at 0x7ffe0000");
	put_rsdp(0xf0000, 0, 0x40000000, 0); /* points at nothing readable */
	assert_int_equal(fw_acpi_find_table(fake_map, NULL, 0xf0000, "SRAT", &phys, &len, &t->mb),
			 -MB_EINVAL);
	assert_string_equal(t->lines[2], "ACPI: bad RSDT at 0x40000000");
	assert_int_equal(fw_acpi_find_table(fake_map, NULL, 0xf0000, "SRA", &phys, &len, NULL),
			 -MB_EINVAL);
	assert_int_equal(phys, 0);
	free(t);
}

/* One Multiboot mmap entry: size field, then addr, len, type; @pad extra bytes. */
static size_t mb_entry(uint8_t *p, uint64_t addr, uint64_t len, uint32_t type, uint32_t pad)
{
	put_le(p, 20 + pad, 4);
	put_le(p + 4, addr, 8);
	put_le(p + 12, len, 8);
	put_le(p + 20, type, 4);
	memset(p + 24, 0xee, pad);
	return 24 + pad;
}

/* QEMU pc with 4 GiB, as its Multiboot loader reports it. */
static void test_multiboot_map(void **state)
{
	static const struct fw_e820_entry expect[] = {
		{ 0x0, 0x9fc00, 1 },
		{ 0x9fc00, 0x400, 2 },
		{ 0xf0000, 0x10000, 2 },
		{ 0x100000, 0xbfee0000, 1 },
		{ 0xbffe0000, 0x20000, 2 },
		{ 0xfffc0000, 0x40000, 2 },
		{ 0x100000000ull, 0x40000000, 1 },
		{ 0xfd00000000ull, 0x300000000ull, 2 },
	};
	static struct fw_e820_table t;
	uint8_t buf[512];
	size_t len = 0;

	(void)state;
	for (size_t i = 0; i < sizeof(expect) / sizeof(expect[0]); i++)
		len += mb_entry(buf + len, expect[i].addr, expect[i].size, expect[i].type,
				i == 3 ? 4 : 0);
	assert_int_equal(fw_e820_from_multiboot(buf, len, "mb", &t, NULL), 0);
	assert_int_equal(t.nr_entries, 8);
	for (size_t i = 0; i < 8; i++) {
		assert_int_equal(t.entries[i].addr, expect[i].addr);
		assert_int_equal(t.entries[i].size, expect[i].size);
		assert_int_equal(t.entries[i].type, expect[i].type);
	}
}

static void test_multiboot_bad(void **state)
{
	static const struct {
		uint32_t size_field; /* 0: keep */
		size_t cut;	     /* bytes removed from the end */
		uint64_t addr, len;
		int err;
		const char *line;
	} cases[] = {
		{ 0, 0, 0x1000, 0x1000, 0, NULL },
		{ 0, 1, 0x1000, 0x1000, -MB_EINVAL, "mb: entry at offset 24 is truncated" },
		{ 16, 0, 0x1000, 0x1000, -MB_EINVAL, "mb: entry at offset 24 is truncated" },
		{ 40, 0, 0x1000, 0x1000, -MB_EINVAL, "mb: entry at offset 24 is truncated" },
		{ 0, 0, 0xfffffffffffff000ull, 0x2000, -MB_EINVAL,
		  "mb: entry at offset 24 wraps past 2^64" },
	};
	static struct fw_e820_table t;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct fwt *f = fwt_new(false);
		uint8_t buf[64];
		size_t len = mb_entry(buf, 0, 0x9fc00, 1, 0);

		len += mb_entry(buf + len, cases[i].addr, cases[i].len, 1, 0);
		if (cases[i].size_field)
			put_le(buf + 24, cases[i].size_field, 4);
		assert_int_equal(fw_e820_from_multiboot(buf, len - cases[i].cut, "mb", &t, &f->mb),
				 cases[i].err);
		assert_int_equal(f->nr_lines, cases[i].line ? 1 : 0);
		if (cases[i].line)
			assert_string_equal(f->lines[0], cases[i].line);
		free(f);
	}
	assert_int_equal(fw_e820_from_multiboot(low, 0, "mb", &t, NULL), -MB_EINVAL);
	assert_int_equal(fw_e820_from_multiboot(NULL, 24, "mb", &t, NULL), -MB_EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_rsdt_in_bios_area, setup),
		cmocka_unit_test_setup(test_xsdt_wins, setup),
		cmocka_unit_test_setup(test_rsdp_search_order, setup),
		cmocka_unit_test_setup(test_bad_tables, setup),
		cmocka_unit_test_setup(test_multiboot_map, setup),
		cmocka_unit_test_setup(test_multiboot_bad, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
