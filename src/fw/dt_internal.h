/* SPDX-License-Identifier: MIT */
/* Device tree helpers shared by dt.c and dt_rmem.c. */
#ifndef MEMBLOCK_FW_DT_INTERNAL_H
#define MEMBLOCK_FW_DT_INTERNAL_H

#include "internal.h"

/* of_read_number() over @cells big-endian cells. */
uint64_t fwi_dt_read_cells(const uint8_t *p, uint32_t cells);
/* fdt_getprop(); *len is 0 when absent. */
const void *fwi_dt_prop(const struct fw_dt *dt, int node, const char *name, int *len);
/* Property is exactly the string @value (NUL included). */
bool fwi_dt_prop_is(const struct fw_dt *dt, int node, const char *name, const char *value);
bool fwi_dt_available(const struct fw_dt *dt, int node);
bool fwi_dt_compatible(const struct fw_dt *dt, int node, const char *compat);
bool fwi_dt_is_memory_node(const struct fw_dt *dt, int node);

#endif /* MEMBLOCK_FW_DT_INTERNAL_H */
