/* SPDX-License-Identifier: MIT */
/* pg_bench.c — `pagoda bench`: the MMU figures of SPEC §10, measured on the
 * RTL (every access still checked against the golden model), printed as
 * `bench NAME VALUE`.
 *
 * The MMU's own figures (hit latency and throughput, L2 latency, walk reads)
 * are measured with the MMU alone on the testbench's ideal memory (fixed read
 * latency, one request a cycle), so they show the MMU and not the memory;
 * walk_cycles_cold and the simulation speed are measured on the whole system
 * (bus decoder, DRAM controller, the DRAM device model); the DRAM figures on
 * the controller alone (pg_dram_run). */
#include "pg_bench.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "os_ept.h"
#include "os_vm.h"
#include "pg_counters.h"
#include "pg_dram_run.h"
#include "pg_lockstep.h"
#include "pg_rng.h"

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

#define BASE   0x0000000010000000ull
#define NPAGES 64u

/* A lockstep target with NPAGES 4 KiB pages mapped at BASE and CR3 set;
 * ACCESSED marks BASE's table entries accessed (no A/D writes in its walk).
 * LEVELS 5: 5-level tables, CR4.LA57 set. */
typedef struct {
  pg_lockstep_t *ls;
  pg_target_t target;
  os_frames_t fr;
  os_as_t as;
} bench_env_t;

static void env_init_levels(bench_env_t *e, const pg_lockstep_opts_t *lo, int accessed,
                            int levels) {
  e->ls = pg_lockstep_new(lo);
  e->target = pg_lockstep_target(e->ls);
  os_frames_init(&e->fr, pg_target_phys(&e->target), 0x100000, 0x40000000);
  os_as_init_levels(&e->as, &e->fr, levels);
  for (unsigned i = 0; i < NPAGES; i++) {
    uint64_t pa;
    os_frames_alloc(&e->fr, &pa);
    os_map(&e->as, BASE + i * 0x1000ull, pa, PG_SIZE_4K, PTE_RW | PTE_A | PTE_D);
  }
  for (int level = 2; accessed && level <= levels; level++)
    os_entry_update(&e->as, BASE, level, PTE_A, 0);
  if (levels == 5)
    e->target.ctl(e->target.ctx, PG_CTL_LA57, 1);
  e->target.ctl(e->target.ctx, PG_CTL_CR3, os_as_cr3(&e->as, 0));
}

static void env_init(bench_env_t *e, const pg_lockstep_opts_t *lo, int accessed) {
  env_init_levels(e, lo, accessed, 4);
}

static void env_free(bench_env_t *e) {
  os_frames_destroy(&e->fr);
  pg_lockstep_free(e->ls);
}

/* A cold walk at BASE, then one next to it (same page table): the entries
 * each read, and the cold one's walker cycles. A failed check sets *BAD. */
static void walk_pair(pg_lockstep_t *ls, uint64_t *cold, uint64_t *warm, uint64_t *cycles,
                      int *bad) {
  pg_access_t one = {.op = PG_OP_LOAD, .size = 8, .va = BASE};
  pg_stream_stats_t st;
  uint64_t r0 = ctr(ls, "walk_reads"), c0 = ctr(ls, "walk_cycles");
  *bad |= pg_lockstep_stream(ls, &one, 1, &st);
  *cold = ctr(ls, "walk_reads") - r0;
  *cycles = ctr(ls, "walk_cycles") - c0;
  one.va = BASE + 0x1000;
  r0 = ctr(ls, "walk_reads");
  *bad |= pg_lockstep_stream(ls, &one, 1, &st);
  *warm = ctr(ls, "walk_reads") - r0;
}

/* A guest under EPT on the MMU alone (ideal memory), RTL and golden in
 * lockstep: the entries a cold nested walk reads (guest and EPT), then a
 * neighbour's in the same guest page table, and the cold walk's cycles.
 * Returns nonzero if an access failed or the two disagreed. */
static int bench_nested(uint64_t *cold, uint64_t *warm, uint64_t *cycles) {
  pg_lockstep_opts_t lo;
  pg_lockstep_default_opts(&lo);
  lo.mem_latency = MEM_LATENCY;
  pg_lockstep_t *ls = pg_lockstep_new(&lo);
  pg_target_t tg = pg_lockstep_target(ls);
  os_frames_t host, gfr;
  os_ept_t ept;
  os_as_t gas = {0};
  int bad = 0;
  os_frames_init(&host, pg_target_phys(&tg), 0x4000000, 0x40000000);
  bad |= os_ept_init(&ept, &host, 4) != OS_OK;
  for (uint64_t g = 0; g < 0x1000000 && !bad; g += 0x1000) { /* 16 MiB of guest RAM */
    uint64_t h;
    bad |= os_frames_alloc(&host, &h) || os_ept_map(&ept, g, h, PG_SIZE_4K, EPT_RWX);
  }
  os_frames_init(&gfr, os_ept_guest_phys(&ept), 0x100000, 0x1000000);
  if (!bad)
    bad = os_as_init(&gas, &gfr) != OS_OK;
  for (unsigned i = 0; i < 2 && !bad; i++) {
    uint64_t g;
    bad |= os_frames_alloc(&gfr, &g) || os_map(&gas, BASE + i * 0x1000ull, g, PG_SIZE_4K, PTE_RW);
  }
  tg.ctl(tg.ctx, PG_CTL_EPTP, os_ept_eptp(&ept, 0));
  tg.ctl(tg.ctx, PG_CTL_EPT, 1);
  tg.ctl(tg.ctx, PG_CTL_VPID, 1);
  tg.ctl(tg.ctx, PG_CTL_VM_CR3, os_as_cr3(&gas, 0));
  uint64_t reads[3] = {0}, c0 = ctr(ls, "walk_cycles"), c1 = c0;
  reads[0] = ctr(ls, "walk_reads") + ctr(ls, "ept_reads");
  for (unsigned i = 0; i < 2 && !bad; i++) {
    pg_access_t a = {.op = PG_OP_LOAD, .size = 8, .va = BASE + i * 0x1000ull};
    pg_stream_stats_t st;
    bad |= pg_lockstep_stream(ls, &a, 1, &st);
    reads[i + 1] = ctr(ls, "walk_reads") + ctr(ls, "ept_reads");
    if (i == 0)
      c1 = ctr(ls, "walk_cycles");
  }
  *cold = reads[1] - reads[0];
  *warm = reads[2] - reads[1];
  *cycles = c1 - c0;
  bad |= tg.finish(tg.ctx);
  os_frames_destroy(&gfr);
  os_frames_destroy(&host);
  pg_lockstep_free(ls);
  return bad;
}

/* The same with 5-level tables and CR4.LA57. */
static int bench_la57(uint64_t *cold, uint64_t *warm, uint64_t *cycles) {
  pg_lockstep_opts_t lo;
  pg_lockstep_default_opts(&lo);
  lo.mem_latency = MEM_LATENCY;
  bench_env_t env;
  env_init_levels(&env, &lo, 0, 5);
  int bad = 0;
  walk_pair(env.ls, cold, warm, cycles, &bad);
  bad |= env.target.finish(env.target.ctx);
  env_free(&env);
  return bad;
}

int pg_bench_mmu(void) {
  pg_lockstep_opts_t lo;
  pg_lockstep_default_opts(&lo);
  lo.mem_latency = MEM_LATENCY;
  bench_env_t env;
  env_init(&env, &lo, 0);
  pg_lockstep_t *ls = env.ls;
  pg_target_t *tg = &env.target;
  pg_access_t one = {.op = PG_OP_LOAD, .size = 8, .va = BASE};
  pg_stream_stats_t st;
  int bad = 0;

  /* A cold walk, then one next to it (same page table). */
  tg->invpcid(tg->ctx, 2, 0, 0);
  uint64_t reads_cold, reads_warm, cycles_cold;
  walk_pair(ls, &reads_cold, &reads_warm, &cycles_cold, &bad);
  one.va = BASE + 0x1000;

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
    s[i] = (pg_access_t){.op = (i % 3) ? PG_OP_LOAD : PG_OP_STORE,
                         .size = 8,
                         .va = BASE + (i % 16) * 0x1000ull + (i % 512) * 8,
                         .wdata = i};
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

  bad |= tg->finish(tg->ctx);
  printf("bench tlb_hit_latency_cycles %" PRIu64 "\n", hit_latency);
  printf("bench tlb_hit_throughput %.3f   (MMU alone, ideal %u-cycle memory)\n", throughput,
         MEM_LATENCY);
  printf("bench l2_hit_latency_cycles %" PRIu64 "\n", l2_latency);
  printf("bench walk_reads_cold %" PRIu64 "\n", reads_cold);
  printf("bench walk_reads_warm %" PRIu64 "\n", reads_warm);
  printf("bench walk_cycles_cold_ideal_memory %" PRIu64 "   (bound 4 x %u + 8 = %u)\n", cycles_cold,
         MEM_LATENCY, 4 * MEM_LATENCY + 8);
  free(s);
  env_free(&env);

  uint64_t cold57, warm57, cycles57;
  bad |= bench_la57(&cold57, &warm57, &cycles57);
  printf("bench walk_reads_cold_la57 %" PRIu64 "\n", cold57);
  printf("bench walk_reads_warm_la57 %" PRIu64 "\n", warm57);
  printf("bench walk_cycles_cold_la57_ideal_memory %" PRIu64 "   (4-level: %" PRIu64 ")\n",
         cycles57, cycles_cold);
  uint64_t cold_n, warm_n, cycles_n;
  bad |= bench_nested(&cold_n, &warm_n, &cycles_n);
  printf("bench walk_reads_cold_nested %" PRIu64
         "   (guest and EPT entries; 4 x (4 + 1) + 4 = 24)\n",
         cold_n);
  printf("bench walk_reads_warm_nested %" PRIu64 "   (a guest PTE and its page's 4 EPT entries)\n",
         warm_n);
  printf("bench walk_cycles_cold_nested_ideal_memory %" PRIu64 "   (4-level, no EPT: %" PRIu64
         ")\n",
         cycles_n, cycles_cold);
  return bad ? 1 : 0;
}

/* ---- the DRAM controller alone ---------------------------------------------------------- */

/* Runs a stream on the controller alone; a failed check sets *BAD. */
static pg_dram_result_t dram_stream(const pg_dram_cfg_t *c, const pg_dram_reqs_t *q, int *bad) {
  pg_dram_run_opts_t o;
  pg_dram_run_default_opts(&o);
  o.report = stderr;
  pg_dram_result_t r;
  *bad |= pg_dram_run(c, q->r, q->n, &o, &r);
  return r;
}

/* The three utilization patterns of SPEC 10: back-to-back sequential reads
 * (long enough for many refresh periods), uniformly random reads in 1 GiB,
 * random with two reads to one write. */
typedef struct {
  pg_dram_result_t seq, rnd, rw;
} dram_patterns_t;

static int dram_patterns(const pg_dram_cfg_t *c, dram_patterns_t *p) {
  int bad = 0;
  uint64_t rng = 1;
  pg_dram_reqs_t q = {0};
  for (uint64_t i = 0; i < 200000; i++)
    pg_dram_reqs_push(&q, i * 64, 0, 0, 0);
  p->seq = dram_stream(c, &q, &bad);
  q.n = 0;
  for (uint64_t i = 0; i < 100000; i++)
    pg_dram_reqs_push(&q, (pg_splitmix(&rng) % (1ull << 30)) & ~63ull, 0, 0, 0);
  p->rnd = dram_stream(c, &q, &bad);
  q.n = 0;
  for (uint64_t i = 0; i < 100000; i++)
    pg_dram_reqs_push(&q, (pg_splitmix(&rng) % (1ull << 30)) & ~63ull, i % 3 == 2, 0, UINT64_MAX);
  p->rw = dram_stream(c, &q, &bad);
  pg_dram_reqs_free(&q);
  return bad;
}

static void print_patterns(const dram_patterns_t *p, const char *suffix) {
  printf("bench dram_seq_read_utilization%s %.4f   (%" PRIu64 " cycles)\n", suffix,
         pg_dram_utilization(&p->seq), p->seq.cycles);
  printf("bench dram_random_read_utilization%s %.4f   (%" PRIu64 " cycles)\n", suffix,
         pg_dram_utilization(&p->rnd), p->rnd.cycles);
  printf("bench dram_random_rw_utilization%s %.4f   (%" PRIu64 " cycles)\n", suffix,
         pg_dram_utilization(&p->rw), p->rw.cycles);
}

/* The figures of SPEC 10 under C's row-buffer policy, then the same
 * patterns under the other policy (suffix _close_page or _open_page). */
static int bench_dram(const pg_dram_cfg_t *c, double *idle_latency) {
  int bad = 0;
  pg_dram_reqs_t q = {0};
  /* One read to a closed bank, nothing else queued. */
  pg_dram_reqs_push(&q, 0x12340, 0, 100, 0);
  pg_dram_result_t one = dram_stream(c, &q, &bad);
  /* Simulation speed: 50,000 uniformly random reads in 1 GiB (as pagoda dram
   * runs a trace: device model, shadow memory and every check on). */
  uint64_t rng = 7;
  q.n = 0;
  for (uint64_t i = 0; i < 50000; i++)
    pg_dram_reqs_push(&q, (pg_splitmix(&rng) % (1ull << 30)) & ~63ull, 0, 0, 0);
  double t0 = now_s();
  pg_dram_result_t timed = dram_stream(c, &q, &bad);
  double dram_rate = (double)timed.cycles / (now_s() - t0);
  pg_dram_reqs_free(&q);
  *idle_latency = (double)one.read_latency_max;
  dram_patterns_t p, other;
  bad |= dram_patterns(c, &p);
  pg_dram_cfg_t oc = *c;
  oc.close_page = !c->close_page;
  bad |= dram_patterns(&oc, &other);
  printf("bench dram_idle_read_latency_cycles %.0f\n", *idle_latency);
  print_patterns(&p, "");
  printf("bench dram_refresh_overhead %.4f   (cycles under refresh, sequential run; "
         "tRFC/tREFI = %.4f)\n",
         (double)p.seq.refreshes * c->tRFC / (double)p.seq.cycles, (double)c->tRFC / c->tREFI);
  printf("bench dram_seq_row_hit_rate %.4f\n",
         (double)p.seq.row_hits /
             (double)(p.seq.row_hits + p.seq.row_misses + p.seq.row_conflicts));
  print_patterns(&other, oc.close_page ? "_close_page" : "_open_page");
  printf("bench dram_sim_cycles_per_second %.0f   (the controller alone, 50,000 random reads, "
         "%" PRIu64 " cycles)\n",
         dram_rate, timed.cycles);
  return bad;
}

/* ---- the whole system ---------------------------------------------------------------------- */

/* Cycles per second of wall time over a stream of N accesses and 100,000
 * idle cycles after it (the controller's refreshes, the posted writes). */
static double stream_rate(pg_lockstep_t *ls, const pg_access_t *s, uint64_t n, int *bad) {
  pg_stream_stats_t st;
  double t0 = now_s();
  uint64_t cyc0 = pg_lockstep_cycles(ls);
  *bad |= pg_lockstep_stream(ls, s, n, &st);
  pg_lockstep_idle(ls, 100000);
  return (double)(pg_lockstep_cycles(ls) - cyc0) / (now_s() - t0);
}

static int bench_system(const pg_dram_cfg_t *c, double idle_latency) {
  pg_lockstep_opts_t lo;
  pg_lockstep_default_opts(&lo);
  lo.dram = c;
  /* Entries already accessed: the walk is four reads and no A/D writes (a
   * write before the next level's read would add the WR->RD turnaround). */
  bench_env_t env;
  env_init(&env, &lo, 1);
  pg_lockstep_t *ls = env.ls;
  pg_target_t *tg = &env.target;
  pg_access_t one = {.op = PG_OP_LOAD, .size = 8, .va = BASE};
  pg_stream_stats_t st;
  int bad = 0;
  uint64_t c0 = ctr(ls, "walk_cycles");
  bad |= pg_lockstep_stream(ls, &one, 1, &st);
  uint64_t cycles_cold = ctr(ls, "walk_cycles") - c0;
  /* Simulation speed: a stream over the 64 pages (TLB hits, DRAM row hits
   * and misses), every access checked against the golden model. */
  enum { N = 20000 };
  pg_access_t *s = calloc(N, sizeof *s);
  for (unsigned i = 0; i < N; i++)
    s[i] = (pg_access_t){.op = (i % 3) ? PG_OP_LOAD : PG_OP_STORE,
                         .size = 8,
                         .va = BASE + (i % NPAGES) * 0x1000ull + (i % 512) * 8,
                         .wdata = i};
  double rate = stream_rate(ls, s, N, &bad);
  bad |= tg->finish(tg->ctx);
  env_free(&env);
  /* The same stream with the golden model off: what checking costs. (One
   * model at a time: Verilator 5.006 can hang freeing one of two.) */
  lo.golden = 0;
  bench_env_t bare;
  env_init(&bare, &lo, 1);
  bad |= pg_lockstep_stream(bare.ls, &one, 1, &st);
  double rate_rtl = stream_rate(bare.ls, s, N, &bad);
  env_free(&bare);
  printf("bench walk_cycles_cold %" PRIu64 "   (through the DRAM controller; bound 4 x %.0f + 8 "
         "= %.0f)\n",
         cycles_cold, idle_latency, 4 * idle_latency + 8);
  printf("bench sim_cycles_per_second %.0f   (whole system, golden model checking every "
         "access)\n",
         rate);
  printf("bench sim_cycles_per_second_rtl %.0f   (the same stream, the RTL alone)\n", rate_rtl);
  free(s);
  return bad;
}

/* ---- DMA through the IOMMU --------------------------------------------------------------------
 */

/* A 1 MiB copy by the NIC between two 2 MiB pages of its domain, the IOTLB
 * warmed by a first small copy: the data bus's busy fraction over the copy
 * (start write to done), and the cycles each translation took. */
static int bench_dma(const pg_dram_cfg_t *c) {
  pg_lockstep_opts_t lo;
  pg_lockstep_default_opts(&lo);
  lo.dram = c;
  pg_lockstep_t *ls = pg_lockstep_new(&lo);
  pg_target_t tg = pg_lockstep_target(ls);
  pg_io_kernel_t k;
  int bad = pg_io_kernel_init(&k, &tg);
  os_frames_t *fr = &k.fr;
  os_mmio_t mmio = k.mmio;
  os_iommu_t *io = &k.io;
  os_as_t dom;
  uint64_t src = 0, dst = 0;
  os_as_init(&dom, fr);
  bad |= os_frames_alloc_size(fr, PG_SIZE_2M, &src) != OS_OK;
  bad |= os_frames_alloc_size(fr, PG_SIZE_2M, &dst) != OS_OK;
  const uint64_t isrc = 0x40000000ull, idst = 0x40200000ull, len = 1u << 20;
  bad |= os_iommu_map(&dom, isrc, src, 1u << 21, PG_SIZE_2M, 0) != OS_OK;
  bad |= os_iommu_map(&dom, idst, dst, 1u << 21, PG_SIZE_2M, 1) != OS_OK;
  bad |= os_iommu_attach(io, RID_NIC, DTE_TRANSLATE, 1, 1, 1, dom.pml4, 0) != OS_OK;
  os_phys_t ph = pg_target_phys(&tg);
  for (uint64_t i = 0; i < len; i += 4096)
    os_write64(&ph, src + i, i * 0x9e3779b97f4a7c15ull);
  os_dma_result_t res;
  os_dma_start(&mmio, PA_NIC_BASE, isrc, idst, 64); /* warm the IOTLB */
  bad |= os_dma_wait(&mmio, PA_NIC_BASE, 1000, &res) != OS_OK || res.status != DMA_STATUS_DONE;
  uint64_t xc0, xn0, xc1, xn1;
  pg_lockstep_xlat_stats(ls, &xc0, &xn0);
  uint64_t busy0 = ctr(ls, "dram_busy_cycles"), cyc0 = pg_lockstep_cycles(ls);
  uint64_t misses0 = ctr(ls, "iotlb_misses");
  os_dma_start(&mmio, PA_NIC_BASE, isrc, idst, len);
  uint64_t cycles = pg_lockstep_cycles(ls) - cyc0, busy = ctr(ls, "dram_busy_cycles") - busy0;
  bad |= os_dma_wait(&mmio, PA_NIC_BASE, 1000, &res) != OS_OK || res.status != DMA_STATUS_DONE;
  pg_lockstep_xlat_stats(ls, &xc1, &xn1);
  uint64_t misses = ctr(ls, "iotlb_misses") - misses0;
  bad |= tg.finish(tg.ctx);
  printf("bench iotlb_hit_added_cycles %.2f   (IOMMU takes a translation -> answers it, %" PRIu64
         " translations, %" PRIu64 " IOTLB misses)\n",
         (double)(xc1 - xc0) / (double)(xn1 - xn0), xn1 - xn0, misses);
  printf("bench dma_copy_utilization %.4f   (1 MiB copy, IOTLB warm: %" PRIu64 " busy of %" PRIu64
         " cycles)\n",
         (double)busy / (double)cycles, busy, cycles);
  pg_io_kernel_free(&k);
  pg_lockstep_free(ls);
  if (bad)
    printf("FAIL bench dma: a copy failed or RTL and golden disagreed\n");
  return bad;
}

int pg_bench_all(const pg_dram_cfg_t *c) {
  double idle = 0;
  int bad = pg_bench_mmu();
  bad |= bench_dram(c, &idle);
  bad |= bench_system(c, idle);
  bad |= bench_dma(c);
  return bad ? 1 : 0;
}
