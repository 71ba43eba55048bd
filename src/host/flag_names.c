// SPDX-License-Identifier: MIT
/* flag_names.c - the region flag names of <memblock/flag_names.h>. */
#include <stdio.h>

#include <memblock/flag_names.h>
#include <memblock/memblock.h>

static const struct {
	unsigned int bit;
	const char *name;
} flag_table[] = {
    {MB_FLAG_NONE, "NONE"},
    {MB_FLAG_HOTPLUG, "HOTPLUG"},
    {MB_FLAG_MIRROR, "MIRROR"},
    {MB_FLAG_NOMAP, "NOMAP"},
    {MB_FLAG_DRIVER_MANAGED, "DRIVER_MANAGED"},
    {MB_FLAG_DRIVER_MANAGED, "DRV_MNG"},
    {MB_FLAG_RSRV_NOINIT, "RSRV_NOINIT"},
    {MB_FLAG_RSRV_NOINIT, "RSV_NIT"},
    {MB_FLAG_RSRV_KERN, "RSRV_KERN"},
    {MB_FLAG_RSRV_KERN, "RSV_KERN"},
    {MB_FLAG_KHO_SCRATCH, "KHO_SCRATCH"},
};

#define FLAG_TABLE_LEN (sizeof(flag_table) / sizeof(flag_table[0]))

const char *mb_flag_name_at(size_t i, unsigned int *bit)
{
	if (i >= FLAG_TABLE_LEN)
		return NULL;
	if (bit)
		*bit = flag_table[i].bit;
	return flag_table[i].name;
}

const char *mb_flags_text(unsigned int flags, char *buf, size_t len)
{
	size_t used = 0;
	unsigned int rest = flags;

	if (!len)
		return buf;
	buf[0] = '\0';
	if (!flags) {
		snprintf(buf, len, "NONE");
		return buf;
	}
	for (size_t i = 0; i < FLAG_TABLE_LEN; i++) {
		if (!(rest & flag_table[i].bit))
			continue;
		rest &= ~flag_table[i].bit;
		used += (size_t)snprintf(buf + used, used < len ? len - used : 0, "%s%s",
					 used ? "|" : "", flag_table[i].name);
	}
	if (rest)
		snprintf(buf + used, used < len ? len - used : 0, "%s0x%x", used ? "|" : "", rest);
	return buf;
}
