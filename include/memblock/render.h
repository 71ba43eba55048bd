/* SPDX-License-Identifier: MIT */
/*
 * render.h - draw a memblock instance as a self-contained SVG or HTML page.
 *
 * A struct mbr_map holds a copy of an instance's regions (memory,
 * reserved, physmem) and what is known about who made them: the trace
 * lines of a memblock=debug log, the script lines of a run, address hints
 * (the kernel image, the DTB, a CMA area). The writers draw one lane per
 * NUMA node (plus physmem), on an address axis that shrinks the holes and
 * gives small regions a visible width, with a legend and a summary; or two
 * maps of the same machine on a shared axis with the differences marked.
 *
 * The output needs nothing else: inline CSS, inline SVG, a few lines of
 * inline script in the HTML page, no fonts or network. Hosted code (libc).
 */
#ifndef MEMBLOCK_RENDER_H
#define MEMBLOCK_RENDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <memblock/memblock.h>

#ifdef __cplusplus
extern "C" {
#endif

/* What a reserved range holds; the legend order. */
enum mbr_kind {
	MBR_KIND_KERNEL = 0, /* kernel image */
	MBR_KIND_INITRD,
	MBR_KIND_DTB,	   /* flattened or unflattened device tree */
	MBR_KIND_FIRMWARE, /* firmware / OpenSBI / reserved-memory, BIOS areas */
	MBR_KIND_CMA,
	MBR_KIND_CRASHKERNEL,
	MBR_KIND_HUGETLB,
	MBR_KIND_PGTABLE, /* page tables */
	MBR_KIND_MEMMAP,  /* struct page arrays, sparse sections, usemaps */
	MBR_KIND_PERCPU,
	MBR_KIND_HASH,	   /* alloc_large_system_hash() tables */
	MBR_KIND_BADRAM,   /* memtest found bad words */
	MBR_KIND_MEMBLOCK, /* memblock's own region arrays */
	MBR_KIND_OTHER,
	MBR_KIND_COUNT
};

/**
 * mbr_kind_name() - short name of a kind ("kernel", "cma", ...)
 * @kind: kind
 *
 * Return: a constant string, "other" for an unknown value.
 */
const char *mbr_kind_name(enum mbr_kind kind);

/**
 * mbr_kind_of_caller() - guess a kind from a caller symbol
 * @caller: "%pS" text ("sparse_init+0xaa/0x2b4") or a site name
 *
 * Return: the kind the function name suggests, MBR_KIND_OTHER when none.
 */
enum mbr_kind mbr_kind_of_caller(const char *caller);

struct mbr_map;

/**
 * mbr_map_new() - an empty map
 * @title: heading of the page (e.g. the machine name), may be NULL
 * @subtitle: second line (e.g. the command line), may be NULL
 *
 * Return: the map, or NULL when memory ran out.
 */
struct mbr_map *mbr_map_new(const char *title, const char *subtitle);

/**
 * mbr_map_free() - release a map
 * @map: map or NULL
 */
void mbr_map_free(struct mbr_map *map);

/**
 * mbr_map_set_titles() - change the heading and the second line
 * @map: map
 * @title: heading, may be NULL
 * @subtitle: second line, may be NULL
 */
void mbr_map_set_titles(struct mbr_map *map, const char *title, const char *subtitle);

/**
 * mbr_map_set_state() - copy the regions to draw
 * @map: map
 * @mb: instance (memory, reserved and, when present, physmem)
 *
 * Return: 0, or -MB_ENOMEM.
 */
int mbr_map_set_state(struct mbr_map *map, const struct memblock *mb);

/**
 * mbr_map_attribute() - say who made a range
 * @map: map
 * @reserved: true for a reservation, false for a memory range
 * @base: first byte
 * @size: bytes
 * @caller: caller symbol or label (may be NULL)
 * @line: line of the log or script that made it (0: unknown)
 * @source: text of that line (may be NULL)
 *
 * Later calls win where ranges overlap, as later operations do.
 *
 * Return: 0, or -MB_ENOMEM.
 */
int mbr_map_attribute(struct mbr_map *map, bool reserved, uint64_t base, uint64_t size,
		      const char *caller, unsigned int line, const char *source);

/**
 * mbr_map_hint() - say what a range of physical memory holds
 * @map: map
 * @base: first byte
 * @size: bytes
 * @kind: what it is; wins over the kind guessed from the caller
 *
 * Return: 0, or -MB_ENOMEM.
 */
int mbr_map_hint(struct mbr_map *map, uint64_t base, uint64_t size, enum mbr_kind kind);

/**
 * mbr_map_caller_kind() - give every caller with this exact label a kind
 * @map: map
 * @caller: label as printed
 * @kind: kind
 *
 * Return: 0, or -MB_ENOMEM.
 */
int mbr_map_caller_kind(struct mbr_map *map, const char *caller, enum mbr_kind kind);

/**
 * mbr_map_feed_log() - learn who made what from a memblock=debug log
 * @map: map
 * @buf: the log (any format the trace parser reads)
 * @len: its length
 *
 * Reservations take the caller of the request line before them; frees
 * and removals are applied; "cma: Reserved", "crashkernel" and
 * "Memory: ...K/...K available" lines are kept.
 *
 * Return: 0, or -MB_ENOMEM.
 */
int mbr_map_feed_log(struct mbr_map *map, const char *buf, size_t len);

/**
 * mbr_map_set_memory_line() - the kernel's "Memory: ...K/...K available" line
 * @map: map
 * @text: the line without its log prefix
 */
void mbr_map_set_memory_line(struct mbr_map *map, const char *text);

enum mbr_format { MBR_SVG = 0, MBR_HTML };

/**
 * mbr_write() - write the map
 * @map: map with its state set
 * @out: stream
 * @fmt: MBR_SVG (one SVG document) or MBR_HTML (a page)
 *
 * Return: 0, -MB_ENOMEM, or -MB_EINVAL when writing failed.
 */
int mbr_write(const struct mbr_map *map, FILE *out, enum mbr_format fmt);

/**
 * mbr_write_diff() - two maps of one machine on a shared axis
 * @a: first map (its title names it)
 * @b: second map
 * @out: stream
 * @fmt: MBR_SVG or MBR_HTML
 *
 * Reservations only in @a are marked removed, only in @b added, and those
 * whose caller and size match but whose address differs moved.
 *
 * Return: 0, -MB_ENOMEM, or -MB_EINVAL when writing failed.
 */
int mbr_write_diff(const struct mbr_map *a, const struct mbr_map *b, FILE *out,
		   enum mbr_format fmt);

/**
 * mbr_write_file() - mbr_write() or mbr_write_diff() to a named file
 * @a: map
 * @b: second map for a diff, or NULL
 * @path: file to create
 * @fmt: MBR_SVG or MBR_HTML
 * @err: message on failure ("cannot write FILE: reason"), may be NULL
 * @errlen: size of @err
 *
 * Return: 0, -MB_ENOMEM, or -MB_EINVAL when the file cannot be written.
 */
int mbr_write_file(const struct mbr_map *a, const struct mbr_map *b, const char *path,
		   enum mbr_format fmt, char *err, size_t errlen);

#ifdef __cplusplus
}
#endif

#endif /* MEMBLOCK_RENDER_H */
