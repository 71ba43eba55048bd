// SPDX-License-Identifier: MIT
/*
 * fw_srat.c - libFuzzer harness: binary SRAT tables (or, when the input
 * starts with 'T', NUMA text turned into one), then NUMA init on a
 * fixed memory layout.
 * fuzz-sources: src/core src/fw
 * fuzz-libs: -lfdt
 */
#include "fw_fuzz.h"

static struct fw_srat srat;
static struct fw_numa numa;
static uint8_t built[1 << 16];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct memblock mb;
	const uint8_t *table = data;
	size_t len = size;

	fz_init(&mb, false);
	if (size && data[0] == 'T') {
		char *text = malloc(size);

		if (!text)
			return 0;
		memcpy(text, data + 1, size - 1);
		text[size - 1] = '\0';
		if (fw_numa_text_to_srat(text, built, sizeof(built), &len, &mb)) {
			free(text);
			return 0;
		}
		free(text);
		table = built;
	}
	if (fw_srat_parse(table, len, "fuzz", &srat, &mb))
		return 0;
	mb_add(&mb, 0x1000, 0x9e000);
	mb_add(&mb, 0x100000, 0xbfee0000);
	mb_add(&mb, 0x100000000ULL, 0x40000000);
	mb_reserve(&mb, 0x1000000, 0x2609000);
	fw_numa_reset(&numa, 64, false);
	numa.legacy_x86_bounds = size & 1;
	numa.max_pfn = 0x140000;
	if (fw_numa_init_srat(&mb, &numa, &srat)) {
		fw_numa_reset(&numa, 64, false);
		fw_numa_init_dummy(&mb, &numa, 0x140000, 12);
	}
	fz_check(&mb);
	fw_numa_register_nodes(&mb, &numa, 0x4000);
	fz_check(&mb);
	return 0;
}
