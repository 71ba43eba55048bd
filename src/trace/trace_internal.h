/* SPDX-License-Identifier: MIT */
/* trace_internal.h - helpers shared by the files of src/trace. */
#ifndef MEMBLOCK_TRACE_INTERNAL_H
#define MEMBLOCK_TRACE_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <memblock/trace.h>

/* A read position in a message. */
struct cur {
	const char *p;
	const char *end;
};

/* Outcome of reading one field. */
enum rd {
	RD_OK = 0,
	RD_TRUNC, /* the text ended first */
	RD_BAD	  /* something else is there */
};

bool cur_end(const struct cur *c);
void cur_blanks(struct cur *c);
enum rd cur_lit(struct cur *c, const char *s);
enum rd cur_hex_digits(struct cur *c, uint64_t *v, unsigned int *digits);
enum rd cur_hex(struct cur *c, uint64_t *v, unsigned int *digits);
enum rd cur_dec(struct cur *c, int64_t *v);

const char *mbt_type_name(enum mbt_type type);

/*
 * util.c: make room for @need elements of @elem bytes in the heap array
 * *@arr of capacity *@cap (doubling it); false, with nothing changed, when
 * out of memory.
 */
bool mbt_grow(void **arr, size_t *cap, size_t need, size_t elem);

/* util.c: strip "+0xoff/0xsize" from a %pS caller into @out. */
void caller_symbol(const char *caller, char *out, size_t len);

/* util.c: @s as a JSON string literal. */
void json_string(FILE *out, const char *s);

/* util.c: an address or size as JSON: "0x..." (docs/json.md). */
void mbt_json_hex(FILE *out, uint64_t v);

/* analyze.c: the replay tells the analysis what happened. */
void mbt_an_reserve(struct mbt_analysis *an, uint64_t base, uint64_t size, const char *caller,
		    unsigned int line);
void mbt_an_free(struct mbt_analysis *an, uint64_t base, uint64_t size);
void mbt_an_failure(struct mbt_analysis *an, const struct mbt_record *rec, int err,
		    const char *reason);
void mbt_an_reset(struct mbt_analysis *an);

#define MBT_EXPLAIN_LABEL 48

/*
 * explain.c: a kernel line that names the owner of a range ("cma: Reserved
 * 64 MiB at ...", "NODE_DATA(0) allocated [mem ...]", "crashkernel
 * reserved: ...", "OF: reserved mem: ...", ACPI tables, RAMDISK); @end is
 * exclusive. False for any other line.
 */
bool mbt_explain_message(const char *msg, uint64_t *base, uint64_t *end, char *label, size_t len);
/* Give every explained range in @buf its owner in the ledger. */
void mbt_an_explain(struct mbt_analysis *an, const char *buf, size_t len);

/* analyze.c: the parts of [base, end) owned by a generic allocator get @label. */
void mbt_an_relabel(struct mbt_analysis *an, uint64_t base, uint64_t end, const char *label,
		    unsigned int line);
/*
 * analyze.c: after the replay resynchronised from a dump: keep the owners of
 * what is still reserved, drop what no longer is, and give what nothing
 * explains @label.
 */
void mbt_an_reconcile(struct mbt_analysis *an, const struct memblock_type *reserved,
		      const char *label, unsigned int line);

#endif
