// SPDX-License-Identifier: MIT
/*
 * size.c - the size grammar of <memblock/size.h>: memparse() numbers with
 * digit separators, names, sums and differences.
 */
#include <ctype.h>
#include <stdbool.h>

#include <memblock/memblock.h>
#include <memblock/size.h>

static unsigned int digit_value(char c)
{
	if (isdigit((unsigned char)c))
		return (unsigned int)(c - '0');
	if (isxdigit((unsigned char)c))
		return (unsigned int)(tolower((unsigned char)c) - 'a' + 10);
	return 99;
}

/* K M G T P E (any case) as a shift, 0 for anything else. */
static unsigned int suffix_shift(char c)
{
	static const char units[] = "kmgtpe";

	for (unsigned int i = 0; units[i]; i++)
		if (tolower((unsigned char)c) == units[i])
			return 10 * (i + 1);
	return 0;
}

/* One number with its suffix; *p moves past it. */
static int read_number(const char **p, uint64_t *out)
{
	const char *s = *p;
	unsigned int base = 10, shift;
	uint64_t v = 0;
	bool any = false, overflow = false;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X') && isxdigit((unsigned char)s[2])) {
		base = 16;
		s += 2;
	} else if (s[0] == '0') {
		base = 8;
	}
	for (;; s++) {
		unsigned int d = digit_value(*s);

		if (*s == '_' && any && digit_value(s[1]) < base)
			continue;
		if (d >= base)
			break;
		if (v > (UINT64_MAX - d) / base)
			overflow = true;
		v = v * base + d;
		any = true;
	}
	if (!any)
		return -MB_EINVAL;
	shift = suffix_shift(*s);
	if (shift)
		s++;
	*p = s;
	if (overflow || (shift && v > (UINT64_MAX >> shift)))
		return -MB_ERANGE;
	*out = v << shift;
	return 0;
}

static int read_term(const char **p, mb_size_name_fn lookup, uint64_t *out)
{
	const char *s = *p;
	size_t len = 0;

	if (isdigit((unsigned char)*s))
		return read_number(p, out);
	if (!isalpha((unsigned char)*s) && *s != '_')
		return -MB_EINVAL;
	while (isalnum((unsigned char)s[len]) || s[len] == '_')
		len++;
	if (!lookup || lookup(s, len, out))
		return -MB_EINVAL;
	*p = s + len;
	return 0;
}

int mb_size_parse_names(const char *text, const char **end, mb_size_name_fn lookup,
			uint64_t *out)
{
	const char *p = text;
	uint64_t sum = 0;
	bool minus = false;

	*out = 0;
	for (;;) {
		uint64_t v;
		int ret = read_term(&p, lookup, &v);

		if (ret)
			return ret;
		if (minus ? v > sum : v > UINT64_MAX - sum)
			return -MB_ERANGE;
		sum = minus ? sum - v : sum + v;
		if (*p != '+' && *p != '-')
			break;
		minus = *p++ == '-';
	}
	if (end)
		*end = p;
	else if (*p)
		return -MB_EINVAL;
	*out = sum;
	return 0;
}

int mb_size_parse(const char *text, const char **end, uint64_t *out)
{
	return mb_size_parse_names(text, end, NULL, out);
}
