// SPDX-License-Identifier: MIT
/*
 * store.c - how a type's regions are stored: the flat array Linux keeps,
 * or an index (index.c) with the array written back on demand.
 */
#include "internal.h"

int mb_set_index(struct memblock *mb, enum mb_index_mode mode)
{
	if (!mb || mode > MB_INDEX_AUTO)
		return -MB_EINVAL;
	if (mode != MB_INDEX_OFF)
		return -MB_ENOMEM;
	return 0;
}

const struct memblock_region *mb_type_regions(const struct memblock *mb,
					      const struct memblock_type *type)
{
	(void)mb;
	return type->regions;
}
