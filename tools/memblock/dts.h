/* SPDX-License-Identifier: MIT */
/*
 * dts.h - device tree sources for the CLI: the firmware library and the
 * simulator read flattened trees only, so a .dts is compiled here.
 */
#ifndef MEMBLOCK_CLI_DTS_H
#define MEMBLOCK_CLI_DTS_H

/**
 * cli_dtb_path() - a .dtb path for a --dtb argument
 * @cmd: command name for messages ("memblock boot")
 * @path: the user's file; a name ending in ".dts" is compiled with dtc
 *
 * A compiled tree goes to a temporary file that is removed at exit.
 *
 * Return: @path itself, the temporary .dtb, or NULL after printing one
 * message to stderr (dtc missing or failing).
 */
const char *cli_dtb_path(const char *cmd, const char *path);

#endif
