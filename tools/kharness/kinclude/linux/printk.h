/* SPDX-License-Identifier: MIT */
/*
 * kharness: the kernel side's messages go to stderr (never mixed with the
 * driver's output on stdout); they are not compared.
 */
#ifndef KHARNESS_LINUX_PRINTK_H
#define KHARNESS_LINUX_PRINTK_H

#include <stdio.h>
#include <asm/bug.h>

void kh_printk(const char *fmt, ...);

#define printk	 kh_printk
#define pr_info	 kh_printk
#define pr_debug kh_printk
#define pr_cont	 kh_printk
#define pr_err	 kh_printk
#define pr_warn	 kh_printk
#define pr_alert kh_printk

#endif
