// SPDX-License-Identifier: MIT
/*
 * explain.c - kernel lines that say what a reserved range is for.
 *
 * A trace line names the function that called memblock; for CMA, NODE_DATA,
 * crash kernels, device-tree carve-outs, ACPI tables or the initrd that is
 * often a generic allocator (memblock_alloc_range_nid) or nothing at all
 * (the range was reserved before memblock=debug took effect). The kernel
 * prints its own line about each of them; those lines name the owner.
 */
#include <stdio.h>
#include <string.h>

#include "replay_internal.h"

struct explanation {
	uint64_t base, end; /* [base, end) */
	char label[MBT_EXPLAIN_LABEL];
};

static bool range_incl(const char *msg, const char *fmt, uint64_t *base, uint64_t *end)
{
	unsigned long long a, b;

	if (sscanf(msg, fmt, &a, &b) != 2 || b < a)
		return false;
	*base = a;
	*end = b + 1 ? b + 1 : b; /* [a, ULLONG_MAX]: one byte short */
	return true;
}

static bool explain_cma(const char *msg, struct explanation *e)
{
	unsigned long long mib, at;

	if (sscanf(msg, "cma: Reserved %llu MiB at %llx", &mib, &at) != 2 || !mib)
		return false;
	e->base = at;
	e->end = at + (mib << 20);
	snprintf(e->label, sizeof(e->label), "cma: Reserved");
	return true;
}

static bool explain_crash(const char *msg, struct explanation *e)
{
	unsigned long long a, b, mb, at;

	if (sscanf(msg, "crashkernel reserved: %llx - %llx", &a, &b) == 2 ||
	    sscanf(msg, "crashkernel: reserved %llx - %llx", &a, &b) == 2 ||
	    sscanf(msg, "crashkernel low memory reserved: %llx - %llx", &a, &b) == 2) {
		if (b <= a)
			return false;
		e->base = a;
		e->end = b;
	} else if (sscanf(msg, "Reserving %lluMB of memory at %lluMB for crashkernel", &mb, &at) ==
		   2) {
		e->base = at << 20;
		e->end = (at + mb) << 20;
	} else {
		return false;
	}
	snprintf(e->label, sizeof(e->label), "crashkernel reserved");
	return true;
}

static bool explain_node_data(const char *msg, struct explanation *e)
{
	int nid;
	unsigned long long a, b;

	if (sscanf(msg, "NODE_DATA(%d) allocated [mem %llx-%llx]", &nid, &a, &b) != 3 || b < a)
		return false;
	e->base = a;
	e->end = b + 1;
	snprintf(e->label, sizeof(e->label), "NODE_DATA(%d) allocated", nid);
	return true;
}

static bool explain_of(const char *msg, struct explanation *e)
{
	unsigned long long a, b, mib;
	char name[48] = "";

	if (sscanf(msg, "OF: reserved mem: %llx..%llx", &a, &b) == 2 && b >= a) {
		const char *p = strrchr(msg, ' ');

		if (p && strchr(msg, ')') && p > strchr(msg, ')'))
			snprintf(name, sizeof(name), " %s", p + 1);
		e->base = a;
		e->end = b + 1;
	} else if (sscanf(msg, "Reserved memory: created CMA memory pool at %llx, size %llu MiB",
			  &a, &mib) == 2) {
		e->base = a;
		e->end = a + (mib << 20);
		snprintf(name, sizeof(name), " (CMA pool)");
	} else {
		return false;
	}
	snprintf(e->label, sizeof(e->label), "OF: reserved mem%s", name);
	return true;
}

static bool explain_misc(const char *msg, struct explanation *e)
{
	char sig[8];
	unsigned long long a, b;

	if (sscanf(msg, "ACPI: Reserving %4s table memory at [mem %llx-%llx]", sig, &a, &b) ==
		    3 &&
	    b >= a) {
		e->base = a;
		e->end = b + 1;
		snprintf(e->label, sizeof(e->label), "ACPI: %s table", sig);
		return true;
	}
	if (range_incl(msg, "RAMDISK: [mem %llx-%llx]", &e->base, &e->end)) {
		snprintf(e->label, sizeof(e->label), "initrd (RAMDISK)");
		return true;
	}
	if (range_incl(msg, "software IO TLB: mapped [mem %llx-%llx]", &e->base, &e->end)) {
		snprintf(e->label, sizeof(e->label), "software IO TLB");
		return true;
	}
	if (sscanf(msg, " %*x bad mem addr %llx - %llx reserved", &a, &b) == 2 && b > a) {
		e->base = a;
		e->end = b;
		snprintf(e->label, sizeof(e->label), "memtest: bad memory");
		return true;
	}
	return false;
}

bool mbti_explain_message(const char *msg, uint64_t *base, uint64_t *end, char *label, size_t len)
{
	struct explanation e;

	while (*msg == ' ' && strstr(msg, "bad mem addr") == NULL)
		msg++;
	if (!explain_cma(msg, &e) && !explain_crash(msg, &e) && !explain_node_data(msg, &e) &&
	    !explain_of(msg, &e) && !explain_misc(msg, &e))
		return false;
	*base = e.base;
	*end = e.end;
	snprintf(label, len, "%s", e.label);
	return true;
}

void mbti_an_explain(struct mbt_analysis *an, const char *buf, size_t len)
{
	size_t pos = 0;
	unsigned int lineno = 0;
	char msg[MBT_JOIN_MAX];

	while (pos < len) {
		const char *line = buf + pos, *nl = memchr(line, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - line) : len - pos, mlen;
		const char *m = mbt_strip_prefixes(line, n, &mlen);
		uint64_t base, end;
		char label[MBT_EXPLAIN_LABEL];

		pos += n + (nl != NULL);
		lineno++;
		if (mlen >= sizeof(msg))
			continue;
		memcpy(msg, m, mlen);
		msg[mlen] = '\0';
		if (mbti_explain_message(msg, &base, &end, label, sizeof(label)))
			mbti_an_relabel(an, base, end, label, lineno);
	}
}
