/* SPDX-License-Identifier: MIT */
#ifndef METAL_MAIN_H
#define METAL_MAIN_H

#include "early.h"

/* Run the early boot with the firmware the board found; never returns. */
void metal_run(struct metal_fw *fw) __attribute__((noreturn));

#endif /* METAL_MAIN_H */
