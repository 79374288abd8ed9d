/* SPDX-License-Identifier: MIT */
/* pg_random.h — `pagoda random`: constrained-random MMU traffic, RTL against
 * the golden model (see pg_random.c). */
#ifndef PG_RANDOM_H
#define PG_RANDOM_H

#include <stdint.h>

typedef enum { PG_RMEM_BY_SEED, PG_RMEM_IDEAL, PG_RMEM_DRAM } pg_random_mem_t;

typedef struct {
  uint64_t seed;
  uint64_t ops;
  const char *wave; /* FST file, or NULL */
  int progress;     /* progress lines on stderr */
  /* MMU traffic: the whole system with DRAM, or the MMU alone on an ideal
   * memory of random latency; by seed: odd seeds DRAM, even ideal. */
  pg_random_mem_t mem;
} pg_random_opts_t;

/* MMU traffic, RTL against golden. Returns 0 when every result matched. */
int pg_random_run(const pg_random_opts_t *o);

/* The DRAM controller alone (`--mix dram`): OPS requests in phases of
 * sequential, random, same-line and idle traffic with partial write masks,
 * under settings drawn from the seed (page policy, bank hash, queue split,
 * watermarks, starvation cap). Every read is checked against a shadow and
 * every command against the JEDEC checker. Returns 0 when all held. */
int pg_random_dram(const pg_random_opts_t *o);

/* `--mix iommu`: the directed IOMMU/DMA cases on the system in lockstep
 * (pg_random_io.c). Returns 0 when all held. */
int pg_random_iotest(const pg_random_opts_t *o);

#endif
