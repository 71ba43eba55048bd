/* SPDX-License-Identifier: MIT */
#ifndef MEMBLOCK_EXAMPLE_EMBED_H
#define MEMBLOCK_EXAMPLE_EMBED_H

/* Run the example; every output line goes to @putline. Returns 0 or -MB_E*. */
int embed_main(void (*putline)(const char *line));

#endif
