/* SPDX-License-Identifier: MIT */
/*
 * size.h - the one grammar for sizes and addresses a user types: on every
 * command line option of the memblock tools, in .mb scripts and in
 * machine files.
 *
 *   size  := term { ("+" | "-") term }       left to right, never below 0
 *   term  := number [suffix] | name          name: only where the caller
 *                                            knows names (scripts)
 *   number:= "0x" hex digits | "0" octal digits | decimal digits
 *            ("_" may separate digits: 1_048_576)
 *   suffix:= K M G T P E, any case: times 2^10 ... 2^60
 *
 * A number and its suffix follow the kernel's memparse() (base detected
 * from the prefix, binary suffixes); unlike memparse(), a value that does
 * not fit in 64 bits is refused instead of wrapping. The number itself
 * is read by the core's mb_memparse(), the reader the kernel command line
 * uses too; this grammar only adds separators, names, sums and
 * differences around it.
 */
#ifndef MEMBLOCK_SIZE_H
#define MEMBLOCK_SIZE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * A term that starts with a letter or "_" is a name: the lookup gets it
 * (not NUL-terminated) and returns 0 with its value, or nonzero when it
 * does not know it.
 */
typedef int (*mb_size_name_fn)(const char *name, size_t len, uint64_t *value);

/**
 * mb_size_parse() - read a size or address in the grammar above
 * @text: the text
 * @end: set to where the size ends; NULL: the size must be all of @text
 * @out: the value (0 on error)
 *
 * Return: 0; -MB_EINVAL when @text does not start with a size (or, with
 * @end NULL, has more after it); -MB_ERANGE when the value overflows 64
 * bits or a difference goes below zero.
 */
int mb_size_parse(const char *text, const char **end, uint64_t *out);

/**
 * mb_size_parse_names() - mb_size_parse() where terms may also be names
 * @text: the text
 * @end: as for mb_size_parse()
 * @lookup: the names the caller knows (NULL: none)
 * @out: the value
 *
 * Return: as mb_size_parse(); an unknown name is -MB_EINVAL.
 */
int mb_size_parse_names(const char *text, const char **end, mb_size_name_fn lookup,
			uint64_t *out);

#ifdef __cplusplus
}
#endif

#endif /* MEMBLOCK_SIZE_H */
