// SPDX-License-Identifier: MIT
/*
 * fw_cmdline.c - libFuzzer harness: kernel command line parsing and every
 * apply step (E820 edits, crashkernel, mem=, reserve_mem, gigantic pages).
 * fuzz-sources: src/core src/fw
 * fuzz-libs: -lfdt
 */
#include "fw_fuzz.h"

static struct fw_cmdline cl;
static struct fw_e820_table table;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const bool online[2] = {true, true};
	struct memblock mb;
	char *text = malloc(size + 1);
	unsigned long got[FW_HUGEPAGE_SIZES];

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	fz_init(&mb, size & 1);
	for (int arch = 0; arch < FW_ARCH_COUNT; arch++) {
		if (fw_cmdline_parse(text, (enum fw_arch)arch, &cl, &mb))
			break;
		fz_init(&mb, cl.memblock_debug);
		mb_add(&mb, 0x100000, 0xbff00000);
		mb_add(&mb, 0x100000000ULL, 0x100000000ULL);
		mb_set_node(&mb, 0x100000000ULL, 0x100000000ULL, &mb.memory, 1);
		table.nr_entries = 2;
		table.entries[0] = (struct fw_e820_entry){0, 0xa0000, FW_E820_RAM};
		table.entries[1] = (struct fw_e820_entry){0x100000, 0x7ff00000, FW_E820_RAM};
		fw_e820_apply_cmdline(&table, &cl, &mb);
		fw_reserve_crashkernel(&mb, fw_crash_arch((enum fw_arch)arch), &cl, NULL, NULL);
		fz_check(&mb);
		fw_reserve_mem(&mb, &cl);
		fw_reserve_gigantic_pages(&mb, &cl, online, 2, 1ULL << 30, got);
		fz_check(&mb);
		fw_apply_mem_limit(&mb, (enum fw_arch)arch, &cl);
		fz_check(&mb);
	}
	free(text);
	return 0;
}
