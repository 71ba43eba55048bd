/* SPDX-License-Identifier: MIT */
/*
 * Formatting only: the payloads have no files. The file functions are
 * declared so that src/fw's loaders compile; --gc-sections drops them and
 * nothing may call them (the link fails if anything does).
 */
#ifndef METAL_STDIO_H
#define METAL_STDIO_H
#include <stdarg.h>
#include <stddef.h>
typedef struct metal_file FILE;
#define EOF (-1)
int vsnprintf(char *buf, size_t len, const char *fmt, va_list ap);
int snprintf(char *buf, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
FILE *fopen(const char *path, const char *mode);
FILE *popen(const char *cmd, const char *mode);
int fclose(FILE *f);
int pclose(FILE *f);
size_t fread(void *buf, size_t size, size_t n, FILE *f);
size_t fwrite(const void *buf, size_t size, size_t n, FILE *f);
int ferror(FILE *f);
#endif
