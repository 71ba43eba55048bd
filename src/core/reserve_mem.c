// SPDX-License-Identifier: MIT
/*
 * reserve_mem.c - the reserve_mem=size:align:name option (spec 7).
 */
#include "internal.h"

static size_t name_len(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

static bool name_equal(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return *a == *b;
}

static bool name_valid(const char *name)
{
	size_t len, i;

	if (!name)
		return false;
	len = name_len(name);
	if (!len || len >= MB_RESERVE_MEM_NAME_LEN)
		return false;
	for (i = 0; i < len; i++)
		if (!is_space(name[i]))
			return true;
	return false;
}

/**
 * mb_reserve_mem_find() - reserve_mem_find_by_name()
 * @mb: instance
 * @name: name given to mb_reserve_mem()
 * @start: the block's address (may be NULL)
 * @size: its size (may be NULL)
 *
 * Return: 0, -MB_EINVAL for NULL arguments, -MB_ENOENT for an unknown name.
 */
int mb_reserve_mem_find(const struct memblock *mb, const char *name, mb_phys_addr_t *start,
			mb_phys_addr_t *size)
{
	int i;

	if (!mb || !name)
		return -MB_EINVAL;
	for (i = 0; i < mb->reserve_mem_count; i++) {
		const struct mb_reserve_mem *map = &mb->reserve_mem[i];

		if (!map->size || !name_equal(name, map->name))
			continue;
		if (start)
			*start = map->start;
		if (size)
			*size = map->size;
		return 0;
	}
	return -MB_ENOENT;
}

int mb_reserve_mem(struct memblock *mb, mb_phys_addr_t size, mb_phys_addr_t align,
		   const char *name)
{
	struct mb_reserve_mem *map;
	mb_phys_addr_t start;
	size_t i;
	int rc;

	if (!mb)
		return -MB_EINVAL;
	if (!mb_profile_has_call(mb, MB_CALL_RESERVE_MEM))
		return -MB_ENOTSUP;
	if (mb->reserve_mem_count >= MB_RESERVE_MEM_MAX)
		return -MB_ENOSPC;
	if (!size || !name_valid(name))
		return -MB_EINVAL;
	if (align < mb->cfg.smp_cache_bytes)
		align = mb->cfg.smp_cache_bytes;
	if (!mb_reserve_mem_find(mb, name, NULL, NULL))
		return -MB_EEXIST;
	rc = mb_phys_alloc(mb, size, align, &start);
	if (rc)
		return rc;
	map = &mb->reserve_mem[mb->reserve_mem_count++];
	map->start = start;
	map->size = size;
	for (i = 0; name[i]; i++)
		map->name[i] = name[i];
	map->name[i] = '\0';
	return 0;
}
