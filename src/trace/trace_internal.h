/* SPDX-License-Identifier: MIT */
/* trace_internal.h - helpers shared by the files of src/trace. */
#ifndef MEMBLOCK_TRACE_INTERNAL_H
#define MEMBLOCK_TRACE_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

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
 * state.c: make room for @need elements of @elem bytes in the heap array
 * *@arr of capacity *@cap (doubling it); false, with nothing changed, when
 * out of memory.
 */
bool mbt_grow(void **arr, size_t *cap, size_t need, size_t elem);

/* analyze.c: the replay tells the analysis what happened. */
void mbt_an_reserve(struct mbt_analysis *an, uint64_t base, uint64_t size, const char *caller,
		    unsigned int line);
void mbt_an_free(struct mbt_analysis *an, uint64_t base, uint64_t size);
void mbt_an_failure(struct mbt_analysis *an, const struct mbt_record *rec, int err,
		    const char *reason);
void mbt_an_reset(struct mbt_analysis *an);

#endif
