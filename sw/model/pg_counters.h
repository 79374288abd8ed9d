/* SPDX-License-Identifier: MIT */
/* pg_counters.h — the counters of SPEC §8, one list for the golden model, the
 * RTL readout and the printers.
 *
 * Each counter is tagged EXACT (the golden model predicts it exactly in the
 * in-order configuration, and `pagoda run` compares it) or TIMED (it depends
 * on timing or on the DRAM controller; the golden model keeps it where it can
 * but nobody compares it). */
#ifndef PG_COUNTERS_H
#define PG_COUNTERS_H

#include <stdint.h>
#include <stdio.h>

#define PG_COUNTER_LIST(X)                                                                         \
  X(cycles, TIMED)                                                                                 \
  X(loads, EXACT)                                                                                  \
  X(stores, EXACT)                                                                                 \
  X(fetches, EXACT)                                                                                \
  X(itlb_hits, EXACT)                                                                              \
  X(itlb_misses, EXACT)                                                                            \
  X(dtlb_hits, EXACT)                                                                              \
  X(dtlb_misses, EXACT)                                                                            \
  X(l2tlb_hits, EXACT)                                                                             \
  X(l2tlb_misses, EXACT)                                                                           \
  X(walks, EXACT)                                                                                  \
  X(walk_reads, EXACT)                                                                             \
  X(walk_writes, EXACT)                                                                            \
  X(walk_cycles, TIMED)                                                                            \
  X(pwc_pml5e_hits, EXACT)                                                                         \
  X(pwc_pml4e_hits, EXACT)                                                                         \
  X(pwc_pdpte_hits, EXACT)                                                                         \
  X(pwc_pde_hits, EXACT)                                                                           \
  X(pf_not_present, EXACT)                                                                         \
  X(pf_reserved, EXACT)                                                                            \
  X(pf_user, EXACT)                                                                                \
  X(pf_write, EXACT)                                                                               \
  X(pf_nx, EXACT)                                                                                  \
  X(pf_smep, EXACT)                                                                                \
  X(pf_smap, EXACT)                                                                                \
  X(pk_faults, EXACT)                                                                              \
  X(gp_faults, EXACT)                                                                              \
  X(bus_errors, EXACT)                                                                             \
  X(dram_reads, TIMED)                                                                             \
  X(dram_writes, TIMED)                                                                            \
  X(dram_activates, TIMED)                                                                         \
  X(dram_row_hits, TIMED)                                                                          \
  X(dram_row_misses, TIMED)                                                                        \
  X(dram_row_conflicts, TIMED)                                                                     \
  X(dram_refreshes, TIMED)                                                                         \
  X(dram_busy_cycles, TIMED)                                                                       \
  X(iotlb_hits, EXACT)                                                                             \
  X(iotlb_misses, EXACT)                                                                           \
  X(iommu_walks, EXACT)                                                                            \
  X(iommu_faults, EXACT)                                                                           \
  X(dma_bytes, EXACT)                                                                              \
  X(ept_walks, EXACT)                                                                              \
  X(ept_reads, EXACT)                                                                              \
  X(ept_violations, EXACT)                                                                         \
  X(ept_misconfigs, EXACT)

typedef struct {
#define PG_COUNTER_FIELD(name, kind) uint64_t name;
  PG_COUNTER_LIST(PG_COUNTER_FIELD)
#undef PG_COUNTER_FIELD
} pg_counters_t;

enum pg_counter_kind { PG_COUNTER_EXACT, PG_COUNTER_TIMED };

typedef struct {
  const char *name;
  enum pg_counter_kind kind;
  size_t offset;
} pg_counter_desc_t;

/* The table of every counter, in SPEC §8 order; *n is set to its length. */
const pg_counter_desc_t *pg_counter_table(size_t *n);

static inline uint64_t pg_counter_get(const pg_counters_t *c, const pg_counter_desc_t *d) {
  return *(const uint64_t *)((const char *)c + d->offset);
}

/* Prints "name value" lines, one per counter. */
void pg_counters_print(FILE *f, const pg_counters_t *c);

#endif
