/* pg_bench.c — `pagoda bench`: the MMU figures of SPEC §10, measured on the
 * RTL (every access still checked against the golden model), printed as
 * `bench NAME VALUE`.
 *
 * Memory is the testbench's ideal memory (fixed read latency, one request a
 * cycle) until the DRAM controller exists; walk_cycles_cold is reported with
 * that latency and its bound 4 x latency + 8. */
#include "pg_bench.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "os_vm.h"
#include "pg_counters.h"
#include "pg_lockstep.h"

#define MEM_LATENCY 10u

static unsigned counter_index(const char *name) {
  size_t n;
  const pg_counter_desc_t *t = pg_counter_table(&n);
  for (size_t i = 0; i < n; i++)
    if (strcmp(t[i].name, name) == 0)
      return (unsigned)i;
  abort();
}

static uint64_t ctr(pg_lockstep_t *ls, const char *name) {
  return pg_lockstep_rtl_counter(ls, counter_index(name));
}

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

#define BASE 0x0000000010000000ull
#define NPAGES 64u

int pg_bench_mmu(void) {
  pg_lockstep_opts_t lo;
  pg_lockstep_default_opts(&lo);
  lo.mem_latency = MEM_LATENCY;
  pg_lockstep_t *ls = pg_lockstep_new(&lo);
  pg_target_t target = pg_lockstep_target(ls);
  pg_target_t *tg = &target;
  os_frames_t fr;
  os_as_t as;
  os_frames_init(&fr, pg_target_phys(tg), 0x100000, 0x40000000);
  os_as_init(&as, &fr);
  for (unsigned i = 0; i < NPAGES; i++) {
    uint64_t pa;
    os_frames_alloc(&fr, &pa);
    os_map(&as, BASE + i * 0x1000ull, pa, PG_SIZE_4K, PTE_RW | PTE_A | PTE_D);
  }
  tg->ctl(tg->ctx, PG_CTL_CR3, os_as_cr3(&as, 0));
  pg_access_t one = {.op = PG_OP_LOAD, .size = 8, .va = BASE};
  pg_stream_stats_t st;
  int bad = 0;

  /* A cold walk, then one next to it (same page table). */
  tg->invpcid(tg->ctx, 2, 0, 0);
  uint64_t r0 = ctr(ls, "walk_reads"), c0 = ctr(ls, "walk_cycles");
  bad |= pg_lockstep_stream(ls, &one, 1, &st);
  uint64_t reads_cold = ctr(ls, "walk_reads") - r0, cycles_cold = ctr(ls, "walk_cycles") - c0;
  one.va = BASE + 0x1000;
  r0 = ctr(ls, "walk_reads");
  bad |= pg_lockstep_stream(ls, &one, 1, &st);
  uint64_t reads_warm = ctr(ls, "walk_reads") - r0;

  /* An L1 hit: the page is now in the dTLB. */
  bad |= pg_lockstep_stream(ls, &one, 1, &st);
  uint64_t hit_latency = st.xlat_latency_last;

  /* A stream of L1 hits over 16 pages. */
  enum { N = 20000 };
  pg_access_t *s = calloc(N, sizeof *s);
  for (unsigned i = 0; i < 16; i++) {
    one.va = BASE + i * 0x1000ull;
    bad |= pg_lockstep_stream(ls, &one, 1, &st); /* warm */
  }
  for (unsigned i = 0; i < N; i++)
    s[i] = (pg_access_t){.op = (i % 3) ? PG_OP_LOAD : PG_OP_STORE, .size = 8,
                         .va = BASE + (i % 16) * 0x1000ull + (i % 512) * 8, .wdata = i};
  bad |= pg_lockstep_stream(ls, s, N, &st);
  double throughput = (double)st.accepted / (double)(st.last_accept - st.first_accept + 1);

  /* An L2 hit: 33 other pages push page 0 out of the 32-entry dTLB. */
  for (unsigned i = 1; i <= 33; i++) {
    one.va = BASE + (16 + i) * 0x1000ull;
    bad |= pg_lockstep_stream(ls, &one, 1, &st);
  }
  uint64_t l2h = ctr(ls, "l2tlb_hits");
  one.va = BASE;
  bad |= pg_lockstep_stream(ls, &one, 1, &st);
  uint64_t l2_latency = st.xlat_latency_last;
  if (ctr(ls, "l2tlb_hits") != l2h + 1) {
    fprintf(stderr, "bench: the L2 probe did not hit\n");
    bad = 1;
  }

  /* Simulation speed: the model alone, no waves, a stream of hits. */
  for (unsigned i = 0; i < N; i++)
    s[i].op = PG_OP_LOAD;
  double t0 = now_s();
  uint64_t cyc0 = pg_lockstep_cycles(ls);
  for (int rep = 0; rep < 5; rep++)
    bad |= pg_lockstep_stream(ls, s, N, &st);
  pg_lockstep_idle(ls, 200000);
  double rate = (double)(pg_lockstep_cycles(ls) - cyc0) / (now_s() - t0);

  bad |= tg->finish(tg->ctx);
  printf("bench mem_latency_cycles %u   (ideal testbench memory until the DRAM controller)\n",
         MEM_LATENCY);
  printf("bench tlb_hit_latency_cycles %" PRIu64 "\n", hit_latency);
  printf("bench tlb_hit_throughput %.3f\n", throughput);
  printf("bench l2_hit_latency_cycles %" PRIu64 "\n", l2_latency);
  printf("bench walk_reads_cold %" PRIu64 "\n", reads_cold);
  printf("bench walk_reads_warm %" PRIu64 "\n", reads_warm);
  printf("bench walk_cycles_cold %" PRIu64 "   (bound 4 x %u + 8 = %u)\n", cycles_cold,
         MEM_LATENCY, 4 * MEM_LATENCY + 8);
  printf("bench sim_cycles_per_second %.0f   (with the golden model checking every access)\n",
         rate);
  free(s);
  os_frames_destroy(&fr);
  pg_lockstep_free(ls);
  return bad ? 1 : 0;
}
