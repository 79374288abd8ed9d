/* SPDX-License-Identifier: MIT */
/* bench_golden.c — `bench golden_accesses_per_second`: the golden model alone
 * on a constrained-random access stream (SPEC §10, target >= 1e7).
 *
 * The address space (built with sw/os) has 4096 user pages of 4 KiB spread
 * over 8 page tables, and 16 pages of 2 MiB; accesses pick a page with a
 * skew towards a hot set (so the TLBs both hit and miss), then a random op,
 * size and offset. Wall-clock figures vary on shared machines; the same run
 * also prints the hit rates so the stream can be judged. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "os_vm.h"
#include "pg_model.h"

#define N_SMALL 4096u
#define N_LARGE 16u
#define N_OPS   20000000u

static uint64_t rng = 0x9e3779b97f4a7c15ull;
static uint64_t next(void) {
  rng ^= rng << 13;
  rng ^= rng >> 7;
  rng ^= rng << 17;
  return rng;
}

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int main(void) {
  pg_model_t *m = pg_model_new(NULL);
  os_frames_t fr;
  os_as_t as;
  os_frames_init(&fr, os_phys_of_mem(pg_model_mem(m)), 0x100000, 0xc0000000);
  if (os_as_init(&as, &fr))
    return 1;
  uint64_t small_va = 0x10000000ull, large_va = 0x4000000000ull;
  for (unsigned i = 0; i < N_SMALL; i++) {
    uint64_t pa;
    if (os_frames_alloc(&fr, &pa) ||
        os_map(&as, small_va + i * 0x1000ull, pa, PG_SIZE_4K, PTE_RW | PTE_US))
      return 1;
  }
  for (unsigned i = 0; i < N_LARGE; i++) {
    uint64_t pa;
    if (os_frames_alloc_size(&fr, PG_SIZE_2M, &pa) ||
        os_map(&as, large_va + i * 0x200000ull, pa, PG_SIZE_2M, PTE_RW | PTE_US))
      return 1;
  }
  pg_model_write_ctl(m, PG_CTL_CR3, os_as_cr3(&as, 0));

  /* Pre-generate the stream so the timing covers the model only. */
  pg_access_t *ops = malloc(N_OPS * sizeof *ops);
  if (!ops)
    return 1;
  for (unsigned i = 0; i < N_OPS; i++) {
    uint64_t r = next();
    unsigned size = 1u << (r & 3);
    uint64_t va;
    if ((r >> 2) % 16 == 0)
      va = large_va + ((r >> 8) % (N_LARGE * 0x200000ull));
    else if ((r >> 2) % 16 < 12)
      va = small_va + ((r >> 8) % 24) * 0x1000ull + ((r >> 20) & 0xfff); /* hot set */
    else
      va = small_va + ((r >> 8) % N_SMALL) * 0x1000ull + ((r >> 20) & 0xfff);
    va &= ~(uint64_t)(size - 1);
    unsigned k = (unsigned)((r >> 40) % 10);
    ops[i] = (pg_access_t){.op = k < 6   ? PG_OP_LOAD
                                 : k < 9 ? PG_OP_STORE
                                         : PG_OP_FETCH,
                           .user = 1,
                           .size = size,
                           .va = va,
                           .wdata = r};
  }

  pg_result_t res;
  uint64_t faults = 0;
  double t0 = now();
  for (unsigned i = 0; i < N_OPS; i++) {
    pg_model_access(m, &ops[i], &res);
    faults += res.status != PG_ST_OK;
  }
  double dt = now() - t0;
  const pg_counters_t *c = pg_model_counters(m);
  double l1 = (double)(c->dtlb_hits + c->itlb_hits) /
              (double)(c->dtlb_hits + c->itlb_hits + c->dtlb_misses + c->itlb_misses);
  printf("golden: %u accesses in %.2f s, L1 hit rate %.3f, %" PRIu64 " walks, %" PRIu64 " faults\n",
         N_OPS, dt, l1, c->walks, faults);
  printf("bench golden_accesses_per_second %.0f\n", (double)N_OPS / dt);
  free(ops);
  os_frames_destroy(&fr);
  pg_model_free(m);
  return faults != 0; /* every access of the stream is legal */
}
