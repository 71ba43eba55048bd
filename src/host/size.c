// SPDX-License-Identifier: MIT
/*
 * size.c - the size grammar of <memblock/size.h>: memparse() numbers with
 * digit separators, names, sums and differences.
 */
#include <ctype.h>
#include <stdbool.h>

#include <memblock/memblock.h>
#include <memblock/size.h>

/*
 * The value of a digit in @base, or @base when @c is none. Only to find
 * where "_" separates digits; mb_memparse() reads the number itself.
 */
static unsigned int digit_in(char c, unsigned int base)
{
	unsigned int d = base;

	if (isdigit((unsigned char)c))
		d = (unsigned int)(c - '0');
	else if (isxdigit((unsigned char)c))
		d = (unsigned int)(tolower((unsigned char)c) - 'a' + 10);
	return d < base ? d : base;
}

/*
 * One number with its suffix; *p moves past it. The digits, without the
 * "_" between them and without zeros after a leading one (they change
 * nothing and would only fill the copy), go to mb_memparse() in a copy
 * whose characters remember where they came from.
 */
static int read_number(const char **p, uint64_t *out)
{
	char copy[96];
	size_t to[sizeof(copy)], n = 0, i = 0; /* copy[k] ends the text at s + to[k] */
	const char *s = *p, *end;
	unsigned int base = 10;
	bool zeros_only = true;
	int ret;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X') && isxdigit((unsigned char)s[2])) {
		base = 16;
		copy[n] = s[i++], to[n++] = i;
		copy[n] = s[i++], to[n++] = i;
	} else if (s[0] == '0') {
		base = 8;
	}
	for (; n < sizeof(copy) - 2; i++) {
		unsigned int d = digit_in(s[i], base);
		bool separator = s[i] == '_' && n && digit_in(s[i + 1], base) < base;

		if (!separator && d == base)
			break;
		if (separator || (d == 0 && zeros_only && n > (base == 16 ? 2u : 0u))) {
			to[n - 1] = i + 1;
			continue;
		}
		zeros_only = zeros_only && d == 0;
		copy[n] = s[i], to[n++] = i + 1;
	}
	if (n == sizeof(copy) - 2)
		return -MB_ERANGE;
	copy[n] = s[i], to[n++] = i + 1; /* the suffix, if it is one */
	copy[n] = '\0';
	ret = mb_memparse(copy, &end, out);
	*p = s + (end == copy ? 0 : to[end - copy - 1]);
	return ret;
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
