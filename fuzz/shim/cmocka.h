/* SPDX-License-Identifier: MIT */
/*
 * cmocka.h - the few cmocka checks the model driver (tests/model) uses,
 * for fuzz harnesses that link the driver without cmocka: a failed check
 * aborts, which libFuzzer reports as a crash with the input saved.
 */
#ifndef FUZZ_SHIM_CMOCKA_H
#define FUZZ_SHIM_CMOCKA_H

#include <stdio.h>
#include <stdlib.h>

#define fail_msg(...)                                                                      \
	do {                                                                               \
		fprintf(stderr, __VA_ARGS__);                                              \
		fputc('\n', stderr);                                                       \
		abort();                                                                   \
	} while (0)

#define assert_true(c)                                                                     \
	do {                                                                               \
		if (!(c))                                                                  \
			fail_msg("%s:%d: %s is false", __FILE__, __LINE__, #c);            \
	} while (0)

#define assert_non_null(p) assert_true((p) != NULL)
#define assert_int_equal(a, b) assert_true((long long)(a) == (long long)(b))

#endif /* FUZZ_SHIM_CMOCKA_H */
