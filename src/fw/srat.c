// SPDX-License-Identifier: MIT
/*
 * srat.c - the ACPI System Resource Affinity Table: a strict reader (the
 * whole table is validated before anything is used), a builder, and the
 * NUMA text such as "0:0-2G,1:2G-4G:hotplug" (the machine setting numa=)
 * turned into real SRAT bytes.
 *
 * Layouts (ACPI 6.x, little endian): 36-byte table header, then 4 bytes
 * table_revision and 8 reserved; subtables {u8 type, u8 length, ...}:
 * type 0 processor (16 bytes), 1 memory (40), 2 x2APIC (24).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define SRAT_HEADER_LEN	 48
#define SRAT_TYPE_CPU	 0
#define SRAT_TYPE_MEM	 1
#define SRAT_TYPE_X2APIC 2
#define SRAT_CPU_LEN	 16
#define SRAT_MEM_LEN	 40
#define SRAT_X2APIC_LEN	 24

static int srat_header(const uint8_t *p, size_t len, const char *name, size_t *table_len,
		       const struct memblock *log)
{
	uint8_t sum = 0;

	if (len < SRAT_HEADER_LEN) {
		fwi_log(log, MB_LOG_ERR, "%s: %zu bytes, shorter than an SRAT header (48)", name,
		       len);
		return -MB_EINVAL;
	}
	if (memcmp(p, "SRAT", 4)) {
		fwi_log(log, MB_LOG_ERR, "%s: signature is not \"SRAT\"", name);
		return -MB_EINVAL;
	}
	*table_len = (size_t)fw_get_le(p + 4, 4);
	if (*table_len < SRAT_HEADER_LEN || *table_len > len) {
		fwi_log(log, MB_LOG_ERR, "%s: header length %zu outside [48, %zu]", name, *table_len,
		       len);
		return -MB_EINVAL;
	}
	for (size_t i = 0; i < *table_len; i++)
		sum = (uint8_t)(sum + p[i]);
	if (sum) {
		fwi_log(log, MB_LOG_ERR, "%s: bad checksum (bytes sum to 0x%02x, not 0)", name, sum);
		return -MB_EINVAL;
	}
	return 0;
}

static int srat_cpu(struct fw_srat *s, const uint8_t *e, bool x2apic)
{
	struct fw_srat_cpu *c;
	uint8_t len = e[1];

	if (s->nr_cpus >= FW_SRAT_MAX_CPUS)
		return -MB_ENOSPC;
	c = &s->cpus[s->nr_cpus++];
	memset(c, 0, sizeof(*c));
	c->x2apic = x2apic;
	if (x2apic) {
		c->bad_length = len < SRAT_X2APIC_LEN;
		if (c->bad_length)
			return 0;
		c->pxm = (uint32_t)fw_get_le(e + 4, 4);
		c->apic_id = (uint32_t)fw_get_le(e + 8, 4);
		c->flags = (uint32_t)fw_get_le(e + 12, 4);
		return 0;
	}
	c->bad_length = len != SRAT_CPU_LEN;
	if (c->bad_length)
		return 0;
	c->pxm = e[2];
	if (s->revision >= 2)
		c->pxm |= (uint32_t)fw_get_le(e + 9, 3) << 8;
	c->apic_id = e[3];
	c->flags = (uint32_t)fw_get_le(e + 4, 4);
	return 0;
}

static int srat_mem(struct fw_srat *s, const uint8_t *e)
{
	struct fw_srat_mem *m;

	if (s->nr_mems >= FW_SRAT_MAX_MEMS)
		return -MB_ENOSPC;
	m = &s->mems[s->nr_mems++];
	memset(m, 0, sizeof(*m));
	m->header_length = e[1];
	if (e[1] < SRAT_MEM_LEN)
		return 0;
	m->pxm = (uint32_t)fw_get_le(e + 2, 4);
	m->base = fw_get_le(e + 8, 8);
	m->length = fw_get_le(e + 16, 8);
	m->flags = (uint32_t)fw_get_le(e + 28, 4);
	return 0;
}

int fw_srat_parse(const void *buf, size_t len, const char *name, struct fw_srat *out,
		  const struct memblock *log)
{
	const uint8_t *p = buf;
	size_t table_len, off;
	int ret;

	if (!buf || !out)
		return -MB_EINVAL;
	out->nr_cpus = out->nr_mems = out->nr_other = 0;
	ret = srat_header(p, len, name, &table_len, log);
	if (ret)
		return ret;
	out->revision = p[8];
	for (off = SRAT_HEADER_LEN; off < table_len; off += p[off + 1]) {
		if (table_len - off < 2 || p[off + 1] < 2 || p[off + 1] > table_len - off) {
			fwi_log(log, MB_LOG_ERR,
			       "%s: subtable at offset %zu (type 0x%02x) runs past the table end "
			       "(%zu)",
			       name, off, p[off], table_len);
			out->nr_cpus = out->nr_mems = out->nr_other = 0;
			return -MB_EINVAL;
		}
		if (p[off] == SRAT_TYPE_CPU || p[off] == SRAT_TYPE_X2APIC)
			ret = srat_cpu(out, p + off, p[off] == SRAT_TYPE_X2APIC);
		else if (p[off] == SRAT_TYPE_MEM)
			ret = srat_mem(out, p + off);
		else
			out->nr_other++;
		if (ret) {
			fwi_log(log, MB_LOG_ERR, "%s: more SRAT entries than the %d/%d kept", name,
			       FW_SRAT_MAX_CPUS, FW_SRAT_MAX_MEMS);
			out->nr_cpus = out->nr_mems = out->nr_other = 0;
			return ret;
		}
	}
	return 0;
}

/* ---- builder ---- */

static uint8_t *builder_room(struct fw_srat_builder *b, size_t n)
{
	uint8_t *p;

	if (b->overflow || b->cap - b->len < n) {
		b->overflow = true;
		return NULL;
	}
	p = b->buf + b->len;
	memset(p, 0, n);
	b->len += n;
	return p;
}

void fw_srat_builder_init(struct fw_srat_builder *b, void *buf, size_t cap, uint8_t revision)
{
	uint8_t *h;

	b->buf = buf;
	b->cap = cap;
	b->len = 0;
	b->overflow = false;
	h = builder_room(b, SRAT_HEADER_LEN);
	if (!h)
		return;
	memcpy(h, "SRAT", 4);
	h[8] = revision;
	memcpy(h + 10, "MBLOCK", 6);
	memcpy(h + 16, "MBFWSRAT", 8);
	fw_put_le(h + 24, 1, 4);
	memcpy(h + 28, "MBLK", 4);
	fw_put_le(h + 32, 1, 4);
	fw_put_le(h + 36, 1, 4); /* table_revision: always 1 */
}

void fw_srat_builder_cpu(struct fw_srat_builder *b, uint32_t pxm, uint8_t apic_id, bool enabled)
{
	uint8_t *e = builder_room(b, SRAT_CPU_LEN);

	if (!e)
		return;
	e[0] = SRAT_TYPE_CPU;
	e[1] = SRAT_CPU_LEN;
	e[2] = (uint8_t)pxm;
	e[3] = apic_id;
	fw_put_le(e + 4, enabled ? 1 : 0, 4);
	fw_put_le(e + 9, pxm >> 8, 3);
}

void fw_srat_builder_x2apic(struct fw_srat_builder *b, uint32_t pxm, uint32_t apic_id, bool enabled)
{
	uint8_t *e = builder_room(b, SRAT_X2APIC_LEN);

	if (!e)
		return;
	e[0] = SRAT_TYPE_X2APIC;
	e[1] = SRAT_X2APIC_LEN;
	fw_put_le(e + 4, pxm, 4);
	fw_put_le(e + 8, apic_id, 4);
	fw_put_le(e + 12, enabled ? 1 : 0, 4);
}

void fw_srat_builder_mem(struct fw_srat_builder *b, uint32_t pxm, uint64_t base, uint64_t length,
			 uint32_t flags)
{
	uint8_t *e = builder_room(b, SRAT_MEM_LEN);

	if (!e)
		return;
	e[0] = SRAT_TYPE_MEM;
	e[1] = SRAT_MEM_LEN;
	fw_put_le(e + 2, pxm, 4);
	fw_put_le(e + 8, base, 8);
	fw_put_le(e + 16, length, 8);
	fw_put_le(e + 28, flags, 4);
}

long fw_srat_builder_finish(struct fw_srat_builder *b)
{
	uint8_t sum = 0;

	if (b->overflow || b->len < SRAT_HEADER_LEN)
		return -MB_ENOSPC;
	fw_put_le(b->buf + 4, b->len, 4);
	b->buf[9] = 0;
	for (size_t i = 0; i < b->len; i++)
		sum = (uint8_t)(sum + b->buf[i]);
	b->buf[9] = (uint8_t)(0x100 - sum);
	return (long)b->len;
}

/* ---- NUMA text (the machine setting numa=) ---- */

static int numa_text_error(const struct memblock *log, const char *item, const char *why)
{
	fwi_log(log, MB_LOG_ERR, "numa: \"%s\": %s", item, why);
	return -MB_EINVAL;
}

/* "cpus=node:first[-last]" */
static int numa_text_cpus(struct fw_srat_builder *b, const char *item, const struct memblock *log)
{
	const char *p = item + 5, *end;
	uint64_t node, first, last;

	if (mb_memparse(p, &end, &node) || *end != ':' || node > 255)
		return numa_text_error(log, item, "expected cpus=node:apic[-apic]");
	if (mb_memparse(end + 1, &end, &first))
		return numa_text_error(log, item, "expected an APIC id");
	last = first;
	if (*end == '-' && mb_memparse(end + 1, &end, &last))
		return numa_text_error(log, item, "expected an APIC id after '-'");
	if (*end || last < first || last > 0xffffffffULL || last - first > 4096)
		return numa_text_error(log, item, "bad APIC id range");
	for (uint64_t id = first; id <= last; id++) {
		if (id < 0xff)
			fw_srat_builder_cpu(b, (uint32_t)node, (uint8_t)id, true);
		else
			fw_srat_builder_x2apic(b, (uint32_t)node, (uint32_t)id, true);
	}
	return 0;
}

static int numa_text_flag(const char *word, size_t n, uint32_t *flags)
{
	if (n == 7 && !strncmp(word, "hotplug", 7))
		*flags |= FW_SRAT_MEM_HOT_PLUGGABLE;
	else if (n == 11 && !strncmp(word, "nonvolatile", 11))
		*flags |= FW_SRAT_MEM_NON_VOLATILE;
	else if (n == 8 && !strncmp(word, "disabled", 8))
		*flags &= ~FW_SRAT_MEM_ENABLED;
	else
		return -MB_EINVAL;
	return 0;
}

/* "node:start-end[:flag...]" */
static int numa_text_mem(struct fw_srat_builder *b, const char *item, const struct memblock *log)
{
	uint32_t flags = FW_SRAT_MEM_ENABLED;
	uint64_t node, start, end;
	const char *p;

	if (mb_memparse(item, &p, &node) || *p != ':' || node > 0xffffffffULL)
		return numa_text_error(log, item, "expected node:start-end");
	if (mb_memparse(p + 1, &p, &start) || *p != '-')
		return numa_text_error(log, item, "expected a start address before '-'");
	if (mb_memparse(p + 1, &p, &end))
		return numa_text_error(log, item, "expected an end address after '-'");
	if (end <= start)
		return numa_text_error(log, item, "end is not above start");
	while (*p == ':') {
		const char *w = p + 1;

		p = w;
		while (*p && *p != ':')
			p++;
		if (numa_text_flag(w, (size_t)(p - w), &flags))
			return numa_text_error(log, item,
					       "unknown flag (hotplug, nonvolatile, disabled)");
	}
	if (*p)
		return numa_text_error(log, item, "trailing characters");
	fw_srat_builder_mem(b, (uint32_t)node, start, end - start, flags);
	return 0;
}

int fw_numa_text_to_srat(const char *text, void *buf, size_t cap, size_t *out_len,
			 const struct memblock *log)
{
	struct fw_srat_builder b;
	char item[256];
	const char *p = text;
	long len;

	if (!text || !buf || !out_len)
		return -MB_EINVAL;
	fw_srat_builder_init(&b, buf, cap, 3);
	while (*p) {
		size_t n = strcspn(p, ", \t\n");
		int ret;

		if (n >= sizeof(item))
			return numa_text_error(log, "...", "item too long");
		memcpy(item, p, n);
		item[n] = '\0';
		p += n;
		p += strspn(p, ", \t\n");
		if (!n)
			continue;
		ret = !strncmp(item, "cpus=", 5) ? numa_text_cpus(&b, item, log)
						 : numa_text_mem(&b, item, log);
		if (ret)
			return ret;
	}
	len = fw_srat_builder_finish(&b);
	if (len < 0) {
		fwi_log(log, MB_LOG_ERR, "numa: the SRAT does not fit in %zu bytes", cap);
		return (int)len;
	}
	*out_len = (size_t)len;
	return 0;
}

int fw_srat_load(const char *path, struct fw_srat *out, const struct memblock *log)
{
	void *buf;
	size_t len;
	int ret;

	if (!path || !out)
		return -MB_EINVAL;
	ret = fw_read_file(path, &buf, &len, log);
	if (ret)
		return ret;
	ret = fw_srat_parse(buf, len, path, out, log);
	free(buf);
	return ret;
}

int fw_numa_text_write_srat(const char *text, const char *path, const struct memblock *log)
{
	const size_t cap = 1 << 16;
	uint8_t *buf;
	size_t len;
	FILE *f;
	int ret;

	if (!text || !path)
		return -MB_EINVAL;
	buf = malloc(cap);
	if (!buf)
		return -MB_ENOMEM;
	ret = fw_numa_text_to_srat(text, buf, cap, &len, log);
	if (!ret) {
		f = fopen(path, "wb");
		if (f) {
			bool ok = fwrite(buf, 1, len, f) == len;

			ret = (fclose(f) || !ok) ? -MB_ENOENT : 0;
		} else {
			ret = -MB_ENOENT;
		}
		if (ret)
			fwi_log(log, MB_LOG_ERR, "%s: cannot write the SRAT", path);
	}
	free(buf);
	return ret;
}
