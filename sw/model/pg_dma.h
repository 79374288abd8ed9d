/* SPDX-License-Identifier: MIT */
/* pg_dma.h — the golden model of the devices on the register bus: the two
 * DMA engines (SPEC §5) and the IOMMU they go through (pg_iommu).
 *
 * Owns: the engines' registers and their transfers, and the decode of the
 * device windows of SPEC §2.1 into registers. Untimed: a transfer runs to its
 * end (or its first fault) inside the CTRL write that starts it, so STATUS
 * never reads busy here; the RTL's lockstep waits for its engines to finish
 * before the next CPU access (the in-order configuration of SPEC §8).
 *
 * A transfer moves LEN bytes from SRC to DST in pieces of at most 64 bytes:
 * a piece ends at the next 64-byte boundary of its source or its destination
 * (or at LEN), so each piece is one line read and one line write, both inside
 * one page; with SRC and DST 64-byte aligned every piece is 64 bytes. Per
 * piece the source is translated (a read), then the destination (a write),
 * then the bytes move and dma_bytes counts them. The first failing
 * translation stops the engine: STATUS error (not done), ERR_REASON the
 * reason, ERR_IOVA the failing IOVA (the piece's start on that side); the
 * pieces before it stay written. A start clears done, error, ERR_REASON and
 * ERR_IOVA. SRC, DST or LEN not a multiple of 8: error reason 0xFF, ERR_IOVA
 * 0, nothing moves. Register reads return what was written (CTRL reads 0). */
#ifndef PG_DMA_H
#define PG_DMA_H

#include <stdint.h>

#include "pg_counters.h"
#include "pg_iommu.h"
#include "pg_mem.h"

typedef struct pg_io pg_io_t;

pg_io_t *pg_io_new(pg_mem_t *mem, pg_counters_t *c);
void pg_io_free(pg_io_t *io);
pg_iommu_t *pg_io_iommu(pg_io_t *io);

/* A 64-bit register access at physical address PA (8-byte aligned) in one
 * of the device windows. Returns 0, or -1 for a bus error (no register). */
int pg_io_access(pg_io_t *io, uint64_t pa, int write, uint64_t *data);

#endif
