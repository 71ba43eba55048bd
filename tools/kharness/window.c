// SPDX-License-Identifier: MIT
/*
 * window.c - the simulated physical memory of the differential harness:
 * one lazily backed anonymous mapping for physical [0, KH_WINDOW).
 */
#define _DEFAULT_SOURCE /* MAP_ANONYMOUS, MAP_NORESERVE */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "kh.h"

static unsigned char *window;

void *kh_window_map(void)
{
	void *p;

	if (window)
		return window;
	p = mmap(NULL, KH_WINDOW + KH_WINDOW_SLACK, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED) {
		perror("kharness: mmap of the simulated RAM");
		return NULL;
	}
	window = p;
	return window;
}

void *kh_phys_to_virt(unsigned long long phys)
{
	return window + phys;
}

unsigned long long kh_virt_to_phys(const volatile void *virt)
{
	const unsigned char *p = (const unsigned char *)virt;

	if (p < window || p >= window + KH_WINDOW + KH_WINDOW_SLACK)
		return KH_NOT_RAM | ((unsigned long long)(uintptr_t)p & 0xffff);
	return (unsigned long long)(p - window);
}

struct kh_page_log kh_pages;

/* FNV-1a over the values, in call order. */
static unsigned long long mix(unsigned long long hash, unsigned long long v)
{
	for (int i = 0; i < 8; i++) {
		hash ^= (v >> (8 * i)) & 0xff;
		hash *= 0x100000001b3ULL;
	}
	return hash;
}

void kh_page_freed(unsigned long pfn, unsigned int order)
{
	if (!kh_pages.free_calls && !kh_pages.free_hash)
		kh_pages.free_hash = 0xcbf29ce484222325ULL;
	kh_pages.free_calls++;
	if (getenv("KH_PAGELOG"))
		fprintf(stderr, "free %lx %u\n", pfn, order);
	kh_pages.free_pages += 1UL << order;
	kh_pages.free_hash = mix(mix(kh_pages.free_hash, pfn), order);
}

void kh_page_reserved(unsigned long long start, unsigned long long end, int nid)
{
	if (!kh_pages.reserved_calls)
		kh_pages.reserved_hash = 0xcbf29ce484222325ULL;
	kh_pages.reserved_calls++;
	if (getenv("KH_PAGELOG"))
		fprintf(stderr, "reserved %llx-%llx %d\n", start, end, nid);
	/* KH_IGNORE_RESERVED_NID=1: look past a known node difference. */
	if (getenv("KH_IGNORE_RESERVED_NID"))
		nid = 0;
	kh_pages.reserved_hash =
	    mix(mix(mix(kh_pages.reserved_hash, start), end), (unsigned long long)nid);
}

#define LOG_MAX	 4096
#define LOG_LINE 256

static char log_lines[LOG_MAX][LOG_LINE];
static int log_count;
static int log_dropped;

void kh_log_line(const char *line)
{
	if (log_count == LOG_MAX) {
		log_dropped++;
		return;
	}
	snprintf(log_lines[log_count++], LOG_LINE, "%s", line);
}

void kh_log_flush(void)
{
	for (int i = 0; i < log_count; i++)
		printf("L %s\n", log_lines[i]);
	if (log_dropped)
		printf("L ... %d more lines\n", log_dropped);
	log_count = 0;
	log_dropped = 0;
}
