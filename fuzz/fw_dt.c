// SPDX-License-Identifier: MIT
/*
 * fw_dt.c - libFuzzer harness: flattened device trees through the whole
 * early scan (memory, chosen, reserved-memory, memreserve, NUMA ids).
 * fuzz-sources: src/core src/fw
 * fuzz-libs: -lfdt
 */
#include "fw_fuzz.h"

static struct fw_dt dt;
static struct fw_numa numa;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct memblock mb;
	void *copy = malloc(size ? size : 1);

	if (!copy)
		return 0;
	/* an exact-size copy so ASan sees any read past the blob */
	memcpy(copy, data, size);
	fz_init(&mb, true);
	if (!fw_dt_apply(&mb, &dt, copy, size, "fuzz", NULL, 0x1000)) {
		fz_check(&mb);
		fw_numa_reset(&numa, 64, false);
		fw_dt_numa_init(&mb, &dt, &numa);
		fz_check(&mb);
	}
	free(copy);
	return 0;
}
