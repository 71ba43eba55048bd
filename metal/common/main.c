/* SPDX-License-Identifier: MIT */
/*
 * main.c - the part of every payload after the board found its firmware:
 * run the early boot over identity-mapped RAM, print the sizes and the
 * stack high-water mark, exit with the number of failures.
 */
#include <libfdt.h>

#include "early.h"
#include "main.h"
#include "metal.h"

static struct metal_state state;

static void print_line(void *ctx, enum mb_log_level level, const char *line)
{
	(void)ctx;
	(void)level;
	metal_puts(line);
	metal_puts("\n");
}

/* RAM is identity mapped up to @limit (the payload runs without paging or with a flat map). */
static void *phys_to_virt(void *ctx, mb_phys_addr_t phys, mb_phys_addr_t size)
{
	const struct metal_fw *fw = ctx;

	if (fw->limit && (phys >= fw->limit || size > fw->limit - phys))
		return NULL;
	return (void *)(uintptr_t)phys;
}

static mb_phys_addr_t virt_to_phys(void *ctx, const void *virt)
{
	(void)ctx;
	return (mb_phys_addr_t)(uintptr_t)virt;
}

static void print_num(const char *what, uint64_t v)
{
	char buf[24];
	int i = (int)sizeof(buf) - 1;

	buf[i] = '\0';
	do {
		buf[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	metal_puts(what);
	metal_puts(buf + i);
	metal_puts("\n");
}

static void print_hex_num(const char *what, uint64_t v)
{
	static const char digits[] = "0123456789abcdef";
	char buf[19];
	int i = (int)sizeof(buf) - 1;

	buf[i] = '\0';
	do {
		buf[--i] = digits[v & 15];
		v >>= 4;
	} while (v);
	buf[--i] = 'x';
	buf[--i] = '0';
	metal_puts(what);
	metal_puts(buf + i);
	metal_puts("\n");
}

/* Bytes up to the end of the last block: QEMU's arm64 tree is 1 MiB, mostly padding. */
static size_t dtb_used(const void *dtb)
{
	size_t strings = fdt_off_dt_strings(dtb) + fdt_size_dt_strings(dtb);
	size_t strct = fdt_off_dt_struct(dtb) + fdt_size_dt_struct(dtb);
	size_t used = strings > strct ? strings : strct;

	return used < fdt_totalsize(dtb) ? used : fdt_totalsize(dtb);
}

/* The firmware tables as the payload got them, for `memblock boot --payload`. */
static void print_firmware(const struct metal_fw *fw)
{
	if (fw->kind == METAL_FW_DT) {
		print_hex_num("metal: dtb at ", fw->dtb_phys);
		print_hex_num("metal: dtb size ", fw->dtb_len);
		metal_print_hex("metal-dtb", fw->dtb, dtb_used(fw->dtb));
		return;
	}
	metal_print_hex("metal-e820", fw->e820_raw, fw->e820_raw_len);
	if (fw->srat)
		metal_print_hex("metal-srat", fw->srat, fw->srat_len);
}

void metal_run(struct metal_fw *fw)
{
	struct mb_ops ops = { 0 };
	int failures;

	fw->image_base = (uintptr_t)__image_start;
	fw->image_size = (uintptr_t)__image_end - (uintptr_t)__image_start;
	print_hex_num("metal: image at ", fw->image_base);
	print_hex_num("metal: image size ", fw->image_size);
	print_firmware(fw);
	ops.print = print_line;
	ops.phys_to_virt = phys_to_virt;
	ops.virt_to_phys = virt_to_phys;
	ops.mem_ctx = fw;
	failures = metal_early_boot(&state, fw, &ops);
	print_num("metal: stack high-water bytes ", metal_stack_high_water());
	print_num("metal: exit ", (uint64_t)failures);
	board_exit(failures ? 1 : 0);
}
