/* SPDX-License-Identifier: MIT */
/*
 * json.h - the two JSON value encodings every document of the tools
 * shares (docs/json.md): strings with every byte outside printable ASCII
 * escaped, and addresses and sizes as "0x..." strings so 64-bit values
 * survive any JSON reader. The trace library, the simulator and the CLI
 * all write through these.
 */
#ifndef MEMBLOCK_JSON_H
#define MEMBLOCK_JSON_H

#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * mb_json_string() - @s as a JSON string literal ("" for NULL)
 * @out: where to write
 * @s: the text; '"' and '\' are escaped, bytes below 0x20 or from 0x7f
 *     up become \u00XX
 */
void mb_json_string(FILE *out, const char *s);

/**
 * mb_json_hex() - an address or size as a JSON string: "0x..." (lower
 * case, no padding)
 * @out: where to write
 * @v: the value
 */
void mb_json_hex(FILE *out, uint64_t v);

#ifdef __cplusplus
}
#endif

#endif /* MEMBLOCK_JSON_H */
