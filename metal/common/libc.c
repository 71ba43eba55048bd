/* SPDX-License-Identifier: MIT */
/*
 * libc.c - the few C library functions libfdt and the firmware front ends
 * need on bare metal: memory and string primitives and a vsnprintf that
 * knows the conversions src/fw uses (d i u x s c p, flags 0 and -, width,
 * precision, l ll z). Nothing else: no heap, no files.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void *memcpy(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	while (n--)
		*d++ = *s++;
	return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if (d < s)
		return memcpy(dst, src, n);
	while (n--)
		d[n] = s[n];
	return dst;
}

void *memset(void *s, int c, size_t n)
{
	unsigned char *p = s;

	while (n--)
		*p++ = (unsigned char)c;
	return s;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;

	for (; n; n--, x++, y++)
		if (*x != *y)
			return *x - *y;
	return 0;
}

void *memchr(const void *s, int c, size_t n)
{
	const unsigned char *p = s;

	for (; n; n--, p++)
		if (*p == (unsigned char)c)
			return (void *)p;
	return NULL;
}

size_t strlen(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

size_t strnlen(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n])
		n++;
	return n;
}

int strcmp(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return (unsigned char)*a - (unsigned char)*b;
}

int strncmp(const char *a, const char *b, size_t n)
{
	for (; n; n--, a++, b++) {
		if (*a != *b)
			return (unsigned char)*a - (unsigned char)*b;
		if (!*a)
			break;
	}
	return 0;
}

char *strchr(const char *s, int c)
{
	for (;; s++) {
		if (*s == (char)c)
			return (char *)s;
		if (!*s)
			return NULL;
	}
}

char *strrchr(const char *s, int c)
{
	const char *last = NULL;

	for (;; s++) {
		if (*s == (char)c)
			last = s;
		if (!*s)
			return (char *)last;
	}
}

char *strstr(const char *h, const char *n)
{
	size_t len = strlen(n);

	for (; *h; h++)
		if (!strncmp(h, n, len))
			return (char *)h;
	return len ? NULL : (char *)h;
}

size_t strspn(const char *s, const char *accept)
{
	size_t n = 0;

	while (s[n] && strchr(accept, s[n]))
		n++;
	return n;
}

size_t strcspn(const char *s, const char *reject)
{
	size_t n = 0;

	while (s[n] && !strchr(reject, s[n]))
		n++;
	return n;
}

static void swap_bytes(unsigned char *a, unsigned char *b, size_t size)
{
	while (size--) {
		unsigned char t = *a;

		*a++ = *b;
		*b++ = t;
	}
}

/* Insertion sort: the arrays sorted early are a few dozen entries. */
void qsort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
	unsigned char *p = base;

	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0 && cmp(p + (j - 1) * size, p + j * size) > 0; j--)
			swap_bytes(p + (j - 1) * size, p + j * size, size);
}

struct out {
	char *buf;
	size_t len;
	size_t pos;
};

static void put(struct out *o, char c)
{
	if (o->pos + 1 < o->len)
		o->buf[o->pos] = c;
	o->pos++;
}

struct spec {
	bool left, zero;
	int width, prec;
};

static void put_padded(struct out *o, const struct spec *sp, const char *s, size_t n, bool num)
{
	size_t pad = sp->width > 0 && (size_t)sp->width > n ? (size_t)sp->width - n : 0;
	char fill = num && sp->zero && !sp->left ? '0' : ' ';

	if (fill == '0' && n && (*s == '-')) {
		put(o, *s++);
		n--;
	}
	if (!sp->left)
		while (pad--)
			put(o, fill);
	while (n--)
		put(o, *s++);
	if (sp->left)
		while (pad--)
			put(o, ' ');
}

static void put_num(struct out *o, const struct spec *sp, uint64_t v, unsigned int base, bool neg,
		    bool upper)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	int i = (int)sizeof(tmp);

	do {
		tmp[--i] = digits[v % base];
		v /= base;
	} while (v);
	if (neg)
		tmp[--i] = '-';
	put_padded(o, sp, tmp + i, sizeof(tmp) - (size_t)i, true);
}

static const char *parse_spec(const char *f, struct spec *sp, va_list *ap)
{
	*sp = (struct spec){ .prec = -1 };
	for (;; f++) {
		if (*f == '-')
			sp->left = true;
		else if (*f == '0')
			sp->zero = true;
		else if (*f != '#' && *f != ' ' && *f != '+')
			break;
	}
	if (*f == '*') {
		sp->width = va_arg(*ap, int);
		f++;
	}
	while (*f >= '0' && *f <= '9')
		sp->width = sp->width * 10 + (*f++ - '0');
	if (*f == '.') {
		f++;
		sp->prec = 0;
		if (*f == '*') {
			sp->prec = va_arg(*ap, int);
			f++;
		}
		while (*f >= '0' && *f <= '9')
			sp->prec = sp->prec * 10 + (*f++ - '0');
	}
	return f;
}

static uint64_t get_unsigned(int lng, va_list *ap)
{
	if (lng == 2)
		return va_arg(*ap, unsigned long long);
	if (lng == 1)
		return va_arg(*ap, unsigned long);
	if (lng == 3)
		return va_arg(*ap, size_t);
	return va_arg(*ap, unsigned int);
}

static int64_t get_signed(int lng, va_list *ap)
{
	if (lng == 2)
		return va_arg(*ap, long long);
	if (lng == 1)
		return va_arg(*ap, long);
	if (lng == 3)
		return (int64_t)va_arg(*ap, size_t);
	return va_arg(*ap, int);
}

static void convert(struct out *o, const struct spec *sp, int lng, char c, va_list *ap)
{
	const char *s;
	int64_t v;
	char ch;

	switch (c) {
	case 'd':
	case 'i':
		v = get_signed(lng, ap);
		put_num(o, sp, v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v, 10, v < 0, false);
		break;
	case 'u':
		put_num(o, sp, get_unsigned(lng, ap), 10, false, false);
		break;
	case 'x':
	case 'X':
		put_num(o, sp, get_unsigned(lng, ap), 16, false, c == 'X');
		break;
	case 'p':
		put(o, '0');
		put(o, 'x');
		put_num(o, sp, (uintptr_t)va_arg(*ap, void *), 16, false, false);
		break;
	case 's':
		s = va_arg(*ap, const char *);
		if (!s)
			s = "(null)";
		put_padded(o, sp, s, sp->prec >= 0 ? strnlen(s, (size_t)sp->prec) : strlen(s),
			   false);
		break;
	case 'c':
		ch = (char)va_arg(*ap, int);
		put_padded(o, sp, &ch, 1, false);
		break;
	default:
		put(o, '%');
		put(o, c);
	}
}

int vsnprintf(char *buf, size_t len, const char *fmt, va_list ap)
{
	struct out o = { buf, len, 0 };
	struct spec sp;
	va_list aq;
	int lng;

	va_copy(aq, ap);
	while (*fmt) {
		if (*fmt != '%') {
			put(&o, *fmt++);
			continue;
		}
		if (*++fmt == '%') {
			put(&o, *fmt++);
			continue;
		}
		fmt = parse_spec(fmt, &sp, &aq);
		for (lng = 0; *fmt == 'l' || *fmt == 'z' || *fmt == 'h'; fmt++)
			lng = *fmt == 'z' ? 3 : *fmt == 'l' ? lng + 1 : lng;
		if (!*fmt)
			break;
		convert(&o, &sp, lng, *fmt++, &aq);
	}
	va_end(aq);
	if (len)
		buf[o.pos < len ? o.pos : len - 1] = '\0';
	return (int)o.pos;
}

int snprintf(char *buf, size_t len, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, len, fmt, ap);
	va_end(ap);
	return n;
}
