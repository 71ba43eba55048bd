// SPDX-License-Identifier: MIT
/*
 * util.c - the small helpers every part of the trace library uses (growing
 * arrays, caller symbols); they live here, below replay,
 * analyze and state, so that none of those files depends on another for
 * them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "trace_internal.h"

bool mbti_grow(void **arr, size_t *cap, size_t need, size_t elem)
{
	size_t n = *cap ? *cap : 16;
	void *p;

	if (need <= *cap)
		return true;
	while (n < need)
		n *= 2;
	p = realloc(*arr, n * elem);
	if (!p)
		return false;
	*arr = p;
	*cap = n;
	return true;
}

void mbti_caller_symbol(const char *caller, char *out, size_t len)
{
	size_t n = strcspn(caller, "+");

	if (!*caller) {
		snprintf(out, len, "(no caller)");
		return;
	}
	if (n >= len)
		n = len - 1;
	memcpy(out, caller, n);
	out[n] = '\0';
}
