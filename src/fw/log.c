// SPDX-License-Identifier: MIT
/*
 * log.c - one formatted line to the instance's print sink, and file reading.
 */
#include <stdio.h>
#include <stdlib.h>

#include "internal.h"

void fwi_log(const struct memblock *mb, enum mb_log_level level, const char *fmt, ...)
{
	char line[MB_TEXT_MAX * 2];
	va_list ap;

	if (!mb || !mb->cfg.ops.print)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	mb->cfg.ops.print(mb->cfg.ops.print_ctx, level, line);
}

/**
 * fw_read_file() - read a whole file into a malloc'ed buffer
 * @path: file name
 * @out: the buffer (free() it); NUL-terminated one byte past @out_len
 * @out_len: bytes read
 * @log: sink for the error (may be NULL)
 *
 * Return: 0, -MB_ENOENT when the file cannot be opened or read,
 * -MB_ENOMEM when memory runs out.
 */
int fw_read_file(const char *path, void **out, size_t *out_len, const struct memblock *log)
{
	FILE *f = fopen(path, "rb");
	size_t cap = 4096, len = 0;
	char *buf;

	if (!f) {
		fwi_log(log, MB_LOG_ERR, "%s: cannot open file", path);
		return -MB_ENOENT;
	}
	buf = malloc(cap + 1);
	while (buf) {
		size_t got = fread(buf + len, 1, cap - len, f);

		len += got;
		if (len < cap)
			break;
		cap *= 2;
		char *bigger = realloc(buf, cap + 1);

		if (!bigger)
			free(buf);
		buf = bigger;
	}
	if (!buf || ferror(f)) {
		int ret = buf ? -MB_ENOENT : -MB_ENOMEM;

		fwi_log(log, MB_LOG_ERR, "%s: %s", path, buf ? "read error" : "out of memory");
		free(buf);
		fclose(f);
		return ret;
	}
	fclose(f);
	buf[len] = '\0';
	*out = buf;
	*out_len = len;
	return 0;
}

static const char *const default_callers[FW_CALLER_COUNT] = {
    [FW_CALLER_E820_MEMBLOCK_SETUP] = "e820__memblock_setup",
    [FW_CALLER_CRASH_GENERIC] = "reserve_crashkernel_generic",
    [FW_CALLER_CRASH_LOW] = "reserve_crashkernel_low",
    [FW_CALLER_RESERVE_MEM] = "reserve_mem",
    [FW_CALLER_HUGE_PAGE] = "__alloc_bootmem_huge_page",
    [FW_CALLER_NUMA_INIT] = "numa_memblks_init",
    [FW_CALLER_NUMA_REGISTER] = "numa_register_meminfo",
    [FW_CALLER_NUMA_CLEAR_HOTPLUG] = "numa_clear_kernel_node_hotplug",
    [FW_CALLER_SRAT_HOTPLUG] = "acpi_parse_memory_affinity",
    [FW_CALLER_ALLOC_NODE_DATA] = "alloc_node_data",
    [FW_CALLER_DT_ADD_MEMORY] = "early_init_dt_add_memory_arch",
    [FW_CALLER_DT_SCAN_MEMORY] = "early_init_dt_scan_memory",
    [FW_CALLER_DT_SCAN_RESERVED] = "early_init_fdt_scan_reserved_mem",
    [FW_CALLER_DT_RESERVE_SELF] = "early_init_fdt_reserve_self",
    [FW_CALLER_DT_RESERVE_MEMORY] = "early_init_dt_reserve_memory",
    [FW_CALLER_DT_ALLOC_RESERVED] = "early_init_dt_alloc_reserved_memory_arch",
    [FW_CALLER_DT_USABLE_RANGE] = "early_init_dt_check_for_usable_mem_range",
    [FW_CALLER_DT_ELFCOREHDR] = "fdt_reserve_elfcorehdr",
    [FW_CALLER_DT_RMEM_ARRAY] = "alloc_reserved_mem_array",
    [FW_CALLER_INITRD] = "reserve_initrd_mem",
    [FW_CALLER_NUMA_DISTANCE] = "numa_alloc_distance",
    [FW_CALLER_NUMA_FREE_DISTANCE] = "numa_reset_distance",
};

static const char *callers[FW_CALLER_COUNT];

void fw_set_caller(enum fw_caller which, const char *label)
{
	if ((unsigned int)which < FW_CALLER_COUNT)
		callers[which] = label;
}

const char *fw_get_caller(enum fw_caller which)
{
	if ((unsigned int)which >= FW_CALLER_COUNT)
		return NULL;
	return callers[which] ? callers[which] : default_callers[which];
}

void fwi_caller(struct memblock *mb, enum fw_caller which)
{
	mb_set_caller(mb, fw_get_caller(which));
}
