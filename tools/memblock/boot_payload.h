/* SPDX-License-Identifier: MIT */
#ifndef MEMBLOCK_BOOT_PAYLOAD_H
#define MEMBLOCK_BOOT_PAYLOAD_H

#include <stdbool.h>

#include <memblock/sim.h>

/**
 * boot_payload() - `memblock boot --payload`: the metal payloads' early
 * boot (metal/common/early.c) over simulated RAM
 * @m: machine: arch, --dtb/--dtb-at or --e820/--srat, the image
 *     (kernel.start/kernel.end)
 * @dmesg: prefix lines with "[    0.000000] "
 *
 * Return: CLI_OK, or CLI_FAILED when the firmware cannot be read or a
 * call of the boot failed.
 */
int boot_payload(const struct sim_machine *m, bool dmesg);

#endif
