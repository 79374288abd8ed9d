/* SPDX-License-Identifier: MIT */
/* pg_mem.h — sparse physical memory of the golden model.
 *
 * Owns: the contents of the 52-bit physical address space, little-endian,
 * stored as 4 KiB pages that spring into existence (zeroed) on first write.
 * Reads of never-written memory return zero. It knows nothing of the memory
 * map: decoding RAM / MMIO / nothing is pg_bus's job. */
#ifndef PG_MEM_H
#define PG_MEM_H

#include <stddef.h>
#include <stdint.h>

typedef struct pg_mem pg_mem_t;

pg_mem_t *pg_mem_new(void);
void pg_mem_free(pg_mem_t *m);

/* size is 1, 2, 4 or 8 and pa is aligned to it. */
uint64_t pg_mem_read(const pg_mem_t *m, uint64_t pa, unsigned size);
void pg_mem_write(pg_mem_t *m, uint64_t pa, uint64_t value, unsigned size);

/* Byte ranges of any length (for lines and DMA); may cross pages. */
void pg_mem_read_bytes(const pg_mem_t *m, uint64_t pa, void *dst, size_t len);
void pg_mem_write_bytes(pg_mem_t *m, uint64_t pa, const void *src, size_t len);
/* A 64-byte line write as the memory ports carry it: 8 little-endian words,
 * byte I written when bit I of MASK is set. LINE is 64-byte aligned. */
void pg_mem_write_line(pg_mem_t *m, uint64_t line, const uint64_t words[8], uint64_t mask);

/* Every page that was ever written: calls fn(pa_of_page, 4096 bytes, ctx) in
 * no particular order. */
void pg_mem_for_each_page(const pg_mem_t *m,
                          void (*fn)(uint64_t pa, const uint8_t *bytes, void *ctx), void *ctx);

/* 1 if both memories hold the same bytes everywhere; else 0 and *first_diff
 * is the lowest differing physical address. */
int pg_mem_equal(const pg_mem_t *a, const pg_mem_t *b, uint64_t *first_diff);

#endif
