/* SPDX-License-Identifier: MIT */
/*
 * json_out.h - the one JSON document a command writes with --json.
 *
 * Every document is an object that starts with the same envelope
 * ("schema", "schema_version", "command") and ends with "exit", the
 * command's exit status. Addresses and sizes are strings "0x..." (lower
 * case hex, no padding) so 64-bit values survive any JSON reader;
 * counts, line numbers, node ids and page counts are plain integers.
 * docs/json.md describes the schema, docs/memblock.schema.json checks it.
 */
#ifndef MEMBLOCK_CLI_JSON_OUT_H
#define MEMBLOCK_CLI_JSON_OUT_H

#include <stdint.h>
#include <stdio.h>

#include <memblock/json.h> /* mb_json_string(), mb_json_hex() */

#define JSON_SCHEMA_VERSION 1

/**
 * json_doc_open() - start the document of @command on standard output
 * @command: "run", "boot", "memtest", ...
 *
 * From here on, everything else the command prints to stdout (log
 * lines, script output) goes to standard error, so stdout carries the
 * document only.
 *
 * Return: the stream to write the document to (never NULL: falls back
 * to stdout when the descriptors cannot be duplicated).
 */
FILE *json_doc_open(const char *command);

/**
 * json_doc_close() - write "exit" and close the document
 * @doc: what json_doc_open() returned
 * @status: the command's exit status
 */
void json_doc_close(FILE *doc, int status);


#endif
