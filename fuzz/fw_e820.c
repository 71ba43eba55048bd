// SPDX-License-Identifier: MIT
/*
 * fw_e820.c - libFuzzer harness: E820 input as text lines and as binary
 * 20-byte entries, then the whole x86 setup path on memblock.
 * fuzz-sources: src/core src/fw
 * fuzz-libs: -lfdt
 */
#include "fw_fuzz.h"

static struct fw_e820_table table;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void setup(struct memblock *mb)
{
	uint64_t max_pfn, max_low_pfn;

	fw_e820_memory_setup(&table, mb);
	fw_e820_trim_bios_range(&table, mb);
	fw_e820_end_pfns(&table, 1ULL << 34, 12, &max_pfn, &max_low_pfn, mb);
	fw_e820_memblock_setup(mb, &table);
	fz_check(mb);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct memblock mb;

	fz_init(&mb, true);
	if (!fw_e820_parse_text((const char *)data, size, "fuzz", &table, &mb))
		setup(&mb);
	fz_init(&mb, false);
	if (!fw_e820_parse_binary(data, size, "fuzz", &table, &mb))
		setup(&mb);
	return 0;
}
