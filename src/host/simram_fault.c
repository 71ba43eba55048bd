/* SPDX-License-Identifier: MIT */
/*
 * simram_fault.c - bad cells of the simulated RAM: injection, the
 * mem_sync op that applies them, and the text forms (CLI, fault files).
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <memblock/size.h>

#include "simram_internal.h"

/* Byte address and mask of bit @bit (0..63) counted from @addr. */
static int normalise_bit(mb_phys_addr_t addr, unsigned int bit, mb_phys_addr_t *byte,
			 unsigned char *mask)
{
	mb_phys_addr_t offset = bit / 8;

	if (bit > 63)
		return -MB_EINVAL;
	if (addr > MB_PHYS_ADDR_MAX - offset)
		return -MB_ERANGE;
	*byte = addr + offset;
	*mask = (unsigned char)(1u << (bit % 8));
	return 0;
}

static int grow_faults(struct mb_simram *ram)
{
	struct simram_fault *grown = mbhi_simram_grow(ram->faults, ram->nr_faults, &ram->cap_faults,
						 16, sizeof(*grown));

	if (!grown)
		return -MB_ENOMEM;
	ram->faults = grown;
	return 0;
}

int mb_simram_add_fault(struct mb_simram *ram, const struct mb_fault *fault)
{
	struct simram_fault f = {0};
	int err;

	if (!ram || !fault || fault->kind > MB_FAULT_COUPLED)
		return -MB_EINVAL;
	err = normalise_bit(fault->addr, fault->bit, &f.byte, &f.mask);
	if (err)
		return err;
	f.kind = fault->kind;
	if (f.kind == MB_FAULT_COUPLED) {
		err = normalise_bit(fault->aggr_addr, fault->aggr_bit, &f.aggr_byte, &f.aggr_mask);
		if (err)
			return err;
		if (f.aggr_byte == f.byte && f.aggr_mask == f.mask)
			return -MB_EINVAL;
		f.inverted = fault->inverted;
	}
	err = grow_faults(ram);
	if (err)
		return err;
	ram->faults[ram->nr_faults++] = f;
	return 0;
}

size_t mb_simram_fault_count(const struct mb_simram *ram)
{
	return ram ? ram->nr_faults : 0;
}

void mb_simram_clear_faults(struct mb_simram *ram)
{
	if (ram)
		ram->nr_faults = 0;
}

static unsigned char *byte_ptr(const struct mb_simram *ram, mb_phys_addr_t phys)
{
	const struct simram_window *win = mbhi_simram_find(ram, phys);

	return win ? win->mem + (phys - win->base) : NULL;
}

static void apply_stuck(const struct mb_simram *ram, const struct simram_fault *f)
{
	unsigned char *p = byte_ptr(ram, f->byte);

	if (!p)
		return;
	if (f->kind == MB_FAULT_STUCK1)
		*p |= f->mask;
	else
		*p &= (unsigned char)~f->mask;
}

/* An aggressor outside every window reads as 0. */
static void apply_coupled(const struct mb_simram *ram, const struct simram_fault *f)
{
	unsigned char *victim = byte_ptr(ram, f->byte);
	const unsigned char *aggr = byte_ptr(ram, f->aggr_byte);
	bool value = aggr && (*aggr & f->aggr_mask);

	if (!victim)
		return;
	if (f->inverted)
		value = !value;
	if (value)
		*victim |= f->mask;
	else
		*victim &= (unsigned char)~f->mask;
}

/* Stuck cells first, then coupled ones, each group in insertion order. */
void mb_simram_sync(void *ctx, mb_phys_addr_t phys, mb_phys_addr_t size)
{
	const struct mb_simram *ram = ctx;

	if (!ram || size == 0)
		return;
	for (size_t i = 0; i < ram->nr_faults; i++) {
		const struct simram_fault *f = &ram->faults[i];

		if (f->kind != MB_FAULT_COUPLED && f->byte - phys < size)
			apply_stuck(ram, f);
	}
	for (size_t i = 0; i < ram->nr_faults; i++) {
		const struct simram_fault *f = &ram->faults[i];

		if (f->kind == MB_FAULT_COUPLED && f->byte - phys < size)
			apply_coupled(ram, f);
	}
}

/* ---- Text forms ---- */

/* A number of the size grammar ending at ':' or the end; advance *text. */
static int parse_number(const char **text, uint64_t max, uint64_t *out)
{
	const char *s = *text, *end;
	uint64_t v;

	if (!isdigit((unsigned char)*s))
		return -MB_EINVAL;
	if (mb_size_parse(s, &end, &v) || v > max || (*end != ':' && *end != '\0'))
		return -MB_EINVAL;
	*out = v;
	*text = end;
	return 0;
}

static int parse_addr_bit(const char **text, mb_phys_addr_t *addr, unsigned int *bit)
{
	uint64_t a, b;

	if (parse_number(text, MB_PHYS_ADDR_MAX, &a) || **text != ':')
		return -MB_EINVAL;
	(*text)++;
	if (parse_number(text, 63, &b))
		return -MB_EINVAL;
	*addr = (mb_phys_addr_t)a;
	*bit = (unsigned int)b;
	return 0;
}

/* "AADDR:ABIT" then the end of the text. */
static int parse_aggressor(const char *text, struct mb_fault *out)
{
	if (parse_addr_bit(&text, &out->aggr_addr, &out->aggr_bit) || *text != '\0')
		return -MB_EINVAL;
	return 0;
}

int mb_fault_parse(const char *text, struct mb_fault *out)
{
	struct mb_fault f = {0};

	if (!text || !out || parse_addr_bit(&text, &f.addr, &f.bit) || *text != ':')
		return -MB_EINVAL;
	text++;
	if (!strcmp(text, "stuck0")) {
		f.kind = MB_FAULT_STUCK0;
	} else if (!strcmp(text, "stuck1")) {
		f.kind = MB_FAULT_STUCK1;
	} else if (!strncmp(text, "coupled:", 8)) {
		f.kind = MB_FAULT_COUPLED;
		if (parse_aggressor(text + 8, &f))
			return -MB_EINVAL;
	} else if (!strncmp(text, "coupled-inv:", 12)) {
		f.kind = MB_FAULT_COUPLED;
		f.inverted = true;
		if (parse_aggressor(text + 12, &f))
			return -MB_EINVAL;
	} else {
		return -MB_EINVAL;
	}
	*out = f;
	return 0;
}

int mb_coupled_parse(const char *text, struct mb_fault *out)
{
	struct mb_fault f = {.kind = MB_FAULT_COUPLED};

	if (!text || !out || parse_addr_bit(&text, &f.addr, &f.bit) || *text != ':')
		return -MB_EINVAL;
	text++;
	if (parse_addr_bit(&text, &f.aggr_addr, &f.aggr_bit))
		return -MB_EINVAL;
	if (!strcmp(text, ":inv"))
		f.inverted = true;
	else if (*text != '\0')
		return -MB_EINVAL;
	*out = f;
	return 0;
}

/* Strip a '#' comment and surrounding blanks in place; return the text. */
static char *clean_line(char *line)
{
	char *hash = strchr(line, '#');
	size_t len;

	if (hash)
		*hash = '\0';
	while (isspace((unsigned char)*line))
		line++;
	len = strlen(line);
	while (len && isspace((unsigned char)line[len - 1]))
		line[--len] = '\0';
	return line;
}

int mb_simram_load_faults(struct mb_simram *ram, const char *path, unsigned long *err_line)
{
	char buf[512];
	unsigned long line_no = 0;
	int err = 0;
	FILE *fp;

	if (!ram || !path)
		return -MB_EINVAL;
	fp = fopen(path, "r");
	if (!fp)
		return -MB_ENOENT;
	while (!err && fgets(buf, sizeof(buf), fp)) {
		char *text = clean_line(buf);
		struct mb_fault f;

		line_no++;
		if (*text == '\0')
			continue;
		err = mb_fault_parse(text, &f);
		if (!err)
			err = mb_simram_add_fault(ram, &f);
		if (err && err_line)
			*err_line = line_no;
	}
	fclose(fp);
	return err;
}
