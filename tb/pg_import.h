/* SPDX-License-Identifier: MIT */
/* pg_import.h — a real program's memory stream as a pagoda trace.
 *
 * Owns: reading valgrind lackey's `--trace-mem=yes` log (`I  ADDR,SIZE`,
 * ` L`, ` S`, ` M`), and playing the kernel for it through sw/os: a page gets
 * a frame at its first touch (the access faults, the kernel maps the page,
 * the access is retried), frames come from a seeded allocator, pages are
 * 4 KiB, 2 MiB, or 2 MiB where a whole aligned 2 MiB region is touched
 * (`mixed`). The rights come from how the log uses a page: fetched and never
 * stored is code (read-only, executable), anything else is data (writable,
 * not executable); a page both fetched and stored is writable and
 * executable. Every access is split into naturally aligned pieces of at most
 * 8 bytes (so none crosses a line or a page); a fetch reads the aligned
 * 8-byte words its instruction covers. Stores carry seeded values, loads and
 * fetches expect what the program's own stores left (memory starts zero),
 * and the trace ends with a `phys.check` of every leaf (A set, D where a
 * store was). Bad input: "FILE:LINE: what", and nothing is written. */
#ifndef PG_IMPORT_H
#define PG_IMPORT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef enum { PG_IMPORT_4K, PG_IMPORT_2M, PG_IMPORT_MIXED } pg_import_pages_t;

typedef struct {
  pg_import_pages_t pages;
  uint64_t max;  /* lackey events to import; 0 = all */
  uint64_t seed; /* frames and stored values */
} pg_import_opts_t;

typedef struct {
  uint64_t events[4];              /* I, L, S, M lines imported */
  uint64_t loads, stores, fetches; /* trace accesses written, retries included */
  uint64_t faults;                 /* first-touch faults */
  uint64_t pages_4k, pages_2m;
  uint64_t table_frames; /* frames the kernel took for page tables */
} pg_import_stats_t;

/* Reads the lackey log NAME (IN open on it) and writes the trace to OUT.
 * Returns 0, or 2 with ERR = "NAME:LINE: what" (OUT untouched then). */
int pg_import_lackey(FILE *in, const char *name, FILE *out, const pg_import_opts_t *o,
                     pg_import_stats_t *st, char *err, size_t errlen);

#endif
