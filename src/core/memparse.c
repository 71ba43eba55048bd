// SPDX-License-Identifier: MIT
/*
 * memparse.c - the kernel's memparse() number: the one reader of sizes
 * and addresses that the firmware front ends (kernel command line, NUMA
 * layouts) and the tools' size grammar share. It lives in the core
 * because every part may use the core and it needs nothing but C.
 */
#include "internal.h"

/* The value of a hexadecimal digit, or 16 for anything else. */
static unsigned int digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return (unsigned int)(c - '0');
	if (c >= 'a' && c <= 'f')
		return (unsigned int)(c - 'a' + 10);
	if (c >= 'A' && c <= 'F')
		return (unsigned int)(c - 'A' + 10);
	return 16;
}

/* K M G T P E, any case, as a shift; 0 for anything else. */
static unsigned int suffix_shift(char c)
{
	static const char units[] = "kmgtpe";
	char lower = (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;

	for (unsigned int i = 0; units[i]; i++)
		if (lower == units[i])
			return 10 * (i + 1);
	return 0;
}

int mb_memparse(const char *s, const char **end, uint64_t *out)
{
	const char *p = s;
	unsigned int base = 10, shift;
	uint64_t v = 0;
	bool any = false, overflow = false;

	/* simple_strtoull(s, 0): "0x" needs a hex digit after it to count. */
	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X') && digit_value(p[2]) < 16)
		p += 2, base = 16;
	else if (p[0] == '0')
		base = 8;
	for (;; p++) {
		unsigned int d = digit_value(*p);

		if (d >= base)
			break;
		if (v > (UINT64_MAX - d) / base)
			overflow = true;
		v = v * base + d;
		any = true;
	}
	shift = any ? suffix_shift(*p) : 0;
	if (shift)
		p++;
	if (end)
		*end = any ? p : s;
	*out = 0;
	if (!any)
		return -MB_EINVAL;
	if (overflow || (shift && v > (UINT64_MAX >> shift)))
		return -MB_ERANGE;
	*out = v << shift;
	return 0;
}
