/* SPDX-License-Identifier: MIT */
/* pg_iotraffic.h — random DMA traffic through the IOMMU, on any target.
 *
 * Owns: a random world of devices and tables built with sw/os (two
 * translate domains, a nested guest over a host table, pass-through and
 * blocked), a random stream of operations on it (DMAs of random engines,
 * addresses and lengths; remaps followed by INV_PAGE, INV_DOMAIN, INV_ALL
 * or, on purpose, nothing; re-attaches with and without INV_DTE, bad device
 * entries; the fault log read, retired and let overflow; DT_LOG2 and TE
 * switched), and the checks after every DMA that need no second model:
 *  - the engine finished, with done or error and nothing else; 0xFF exactly
 *    for misaligned requests; ERR_IOVA inside the request;
 *  - dma_bytes grew by exactly the bytes of the pieces before the failing
 *    one (all of LEN when done);
 *  - when no stale cache entry can matter, done or error is what the tables
 *    as written say, and a finished copy holds the source's bytes;
 *  - isolation: in the golden model's memory, the DMA changed only bytes
 *    the device could write (its writable mappings, or what an entry not
 *    yet invalidated still maps), A and D bits of its own tables, and the
 *    fault log.
 * On a lockstep target every DMA is also compared with the golden model
 * word for word over all of memory (pg_lockstep). */
#ifndef PG_IOTRAFFIC_H
#define PG_IOTRAFFIC_H

#include <stdint.h>
#include <stdio.h>

#include "os_vm.h"
#include "pg_mem.h"
#include "pg_runner.h"

typedef struct {
  uint64_t seed;
  uint64_t ops; /* random operations (about 60 % of them DMAs) */
  FILE *out;    /* each failed check, with what was expected */
  int progress; /* progress lines on stderr */
  /* Optional CPU traffic while a DMA runs (half of the DMAs): called with
   * STARTED 0 just before the DMA's start write, and 1 right after it, with
   * the CPU's address space and the frame allocator (for pages of its own).
   * It must leave memory as it was, since the DMA's checks read it. */
  void (*cpu_during_dma)(void *ctx, int started, os_as_t *cpu, os_frames_t *frames);
  void *cpu_ctx;
} pg_iotraffic_opts_t;

typedef struct {
  uint64_t dmas, done, faulted, misaligned;
  uint64_t pieces, bytes;  /* moved: pieces before a fault, all when done */
  uint64_t predicted;      /* DMAs whose outcome the tables decided alone */
  uint64_t copies_checked; /* finished copies compared with their source */
  uint64_t remaps, stale_remaps, invalidations, attaches, stale_attaches;
  uint64_t records;  /* fault records read and retired */
  uint64_t with_cpu; /* DMAs that ran beside CPU traffic */
} pg_iotraffic_stats_t;

/* Runs on TG, a fresh target; GOLDEN is the memory of its golden model
 * (read directly for the isolation check). Returns the number of failed
 * checks. */
unsigned pg_iotraffic_run(const pg_target_t *tg, const pg_mem_t *golden,
                          const pg_iotraffic_opts_t *o, pg_iotraffic_stats_t *st);

#endif
