/* SPDX-License-Identifier: MIT */
/* No heap on bare metal: malloc/free are declared for src/fw's file loaders only (see stdio.h). */
#ifndef METAL_STDLIB_H
#define METAL_STDLIB_H
#include <stddef.h>
void *malloc(size_t n);
void *calloc(size_t n, size_t size);
void *realloc(void *p, size_t n);
void free(void *p);
unsigned long long strtoull(const char *s, char **end, int base);
unsigned long strtoul(const char *s, char **end, int base);
long strtol(const char *s, char **end, int base);
void qsort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *));
#endif
