/* SPDX-License-Identifier: MIT */
/* pg_random_io.c — `pagoda random --mix iommu`: the directed IOMMU and DMA
 * cases (pg_iotest) on the whole system in lockstep with the golden model,
 * each on a fresh system, then OPS operations of random DMA traffic
 * (pg_iotraffic) on one more. */
#include <inttypes.h>
#include <stdio.h>

#include "os_iommu.h"
#include "os_phys.h"
#include "os_vm.h"
#include "pg_dram_cfg.h"
#include "pg_hw.h"
#include "pg_iotest.h"
#include "pg_iotraffic.h"
#include "pg_lockstep.h"
#include "pg_random.h"
#include "pg_rng.h"

static pg_lockstep_t *new_system(const pg_dram_cfg_t *dc, uint64_t seed) {
  pg_lockstep_opts_t lo;
  pg_lockstep_default_opts(&lo);
  lo.seed = seed;
  lo.dram = dc;
  return pg_lockstep_new(&lo);
}

static int directed(const pg_random_opts_t *o, const pg_dram_cfg_t *dc) {
  unsigned failed = 0;
  for (unsigned i = 0; i < pg_iotest_count(); i++) {
    pg_lockstep_t *s = new_system(dc, o->seed + i);
    pg_target_t tg = pg_lockstep_target(s);
    unsigned fails = pg_iotest_run(i, &tg, stdout);
    int fin = tg.finish(tg.ctx);
    unsigned mism = pg_lockstep_mismatches(s);
    printf(
        "%s iommu case %-24s checks failed %u, rtl/golden mismatches %u, memory compared %" PRIu64
        " times, %" PRIu64 " cycles\n",
        (fails || mism || fin) ? "FAIL" : "ok  ", pg_iotest_name(i), fails, mism,
        pg_lockstep_io_checks(s), pg_lockstep_cycles(s));
    failed += (fails || mism || fin);
    pg_lockstep_free(s);
  }
  printf("%s iommu directed: %u of %u cases failed\n", failed ? "FAIL" : "PASS", failed,
         pg_iotest_count());
  return failed != 0;
}

/* ---- CPU traffic beside a DMA ----------------------------------------------------------- */

/* Program-like loads over CPU pages of their own, mapped once with A and D
 * already set in every entry, so that their walks write nothing and memory
 * stays as the DMA's isolation check expects; they run while the DMA does,
 * and the arbiter sees the CPU side, the IOMMU and the engines contend. */
#define BESIDE_VA    0x0000600000000000ull
#define BESIDE_PAGES 16u
typedef struct {
  pg_lockstep_t *ls;
  uint64_t rng;
  int mapped;
  uint64_t streams, loads;
} beside_t;

static void cpu_during_dma(void *ctx, int started, os_as_t *cpu, os_frames_t *fr) {
  beside_t *b = ctx;
  if (!started) {
    for (unsigned i = 0; !b->mapped && i < BESIDE_PAGES; i++) {
      uint64_t pa;
      if (os_frames_alloc(fr, &pa) != OS_OK ||
          os_map(cpu, BESIDE_VA + i * 0x1000ull, pa, PG_SIZE_4K, PTE_RW | PTE_A | PTE_D) != OS_OK)
        return;
      for (unsigned w = 0; w < 512; w++)
        os_write64(&fr->phys, pa + 8 * w, pg_mix64(pa + 8 * w));
    }
    for (int level = 2; !b->mapped && level <= 4; level++)
      os_entry_update(cpu, BESIDE_VA, level, PTE_A, 0);
    b->mapped = 1;
    pg_lockstep_background(b->ls, 1);
    return;
  }
  enum { MAXN = 192 };
  pg_access_t a[MAXN];
  unsigned n = 16 + (unsigned)pg_rng_below(&b->rng, MAXN - 15);
  unsigned size = 1u << pg_rng_below(&b->rng, 4);
  uint64_t stride = pg_rng_chance(&b->rng, 50) ? size : 64 * (1 + pg_rng_below(&b->rng, 64));
  uint64_t va = BESIDE_VA + pg_rng_below(&b->rng, BESIDE_PAGES * 0x1000ull);
  for (unsigned i = 0; i < n; i++) {
    a[i] = (pg_access_t){.op = PG_OP_LOAD, .size = size};
    a[i].va = (BESIDE_VA + (va - BESIDE_VA + i * stride) % (BESIDE_PAGES * 0x1000ull)) &
              ~(uint64_t)(size - 1);
    /* Now and then a register of the bus (the IOMMU's CAP, constant) or an
     * address of the device page where nothing answers (a bus error): the
     * bus's local answers meet the DRAM's. */
    unsigned k = (unsigned)pg_rng_below(&b->rng, 100);
    if (k < 4)
      a[i] = (pg_access_t){.op = PG_OP_LOAD, .size = 8, .va = PA_IOMMU_BASE + IOMMU_CAP};
    else if (k < 6)
      a[i] = (pg_access_t){.op = PG_OP_LOAD, .size = 8, .va = PA_NIC_BASE + 0x800};
  }
  pg_stream_stats_t st;
  pg_lockstep_stream(b->ls, a, n, &st);
  pg_lockstep_background(b->ls, 0);
  b->streams++;
  b->loads += n;
}

static int traffic(const pg_random_opts_t *o, const pg_dram_cfg_t *dc) {
  pg_lockstep_t *s = new_system(dc, o->seed);
  pg_target_t tg = pg_lockstep_target(s);
  beside_t beside = {.ls = s, .rng = pg_mix64(o->seed ^ 0xc0ffee) | 1};
  pg_iotraffic_opts_t to = {.seed = o->seed,
                            .ops = o->ops,
                            .out = stdout,
                            .progress = o->progress,
                            .cpu_during_dma = cpu_during_dma,
                            .cpu_ctx = &beside};
  pg_iotraffic_stats_t st;
  unsigned fails = pg_iotraffic_run(&tg, pg_model_mem(pg_lockstep_golden(s)), &to, &st);
  int fin = tg.finish(tg.ctx);
  unsigned mism = pg_lockstep_mismatches(s);
  int bad = fails || mism || fin;
  printf("%s random iommu seed %" PRIu64 ": %" PRIu64 " DMAs (%" PRIu64 " done, %" PRIu64
         " faulted, %" PRIu64 " misaligned; %" PRIu64 " outcomes predicted, %" PRIu64
         " copies checked), %" PRIu64 " pieces, %" PRIu64 " bytes, %" PRIu64 " remaps (%" PRIu64
         " left stale), %" PRIu64 " attaches (%" PRIu64 " left cached), %" PRIu64 " syncs, %" PRIu64
         " fault records read, %" PRIu64 " DMAs beside %" PRIu64 " CPU loads, %" PRIu64
         " cycles, memory compared %" PRIu64 " times, %u failed checks, %u mismatches\n",
         bad ? "FAIL" : "PASS", o->seed, st.dmas, st.done, st.faulted, st.misaligned, st.predicted,
         st.copies_checked, st.pieces, st.bytes, st.remaps, st.stale_remaps, st.attaches,
         st.stale_attaches, st.invalidations, st.records, st.with_cpu, beside.loads,
         pg_lockstep_cycles(s), pg_lockstep_io_checks(s), fails, mism);
  pg_lockstep_free(s);
  return bad;
}

/* ---- both engines at once ------------------------------------------------------------------ */

/* The NIC and the disk copy at the same time through the IOMMU (one domain
 * each, disjoint buffers), in the background of the lockstep, while software
 * queues commands: translations, pieces and commands interleave at the IOMMU
 * and the arbiter, where the golden model ran each copy and command alone
 * inside the write that started it. Then every byte is compared. */
#define BESIDE_COMMANDS 6u
static int both_engines(const pg_random_opts_t *o, const pg_dram_cfg_t *dc) {
  pg_lockstep_t *s = new_system(dc, o->seed);
  pg_target_t tg = pg_lockstep_target(s);
  pg_io_kernel_t k;
  int bad = pg_io_kernel_init(&k, &tg);
  os_as_t dom[2];
  const uint64_t len = 16384, base[2] = {PA_NIC_BASE, PA_DISK_BASE};
  const uint16_t rid[2] = {RID_NIC, RID_DISK};
  uint64_t rng = pg_mix64(o->seed ^ 0xb07b) | 1;
  for (int e = 0; e < 2; e++) {
    uint64_t src, dst;
    os_as_init(&dom[e], &k.fr);
    bad |= os_frames_alloc_size(&k.fr, PG_SIZE_2M, &src) != OS_OK;
    bad |= os_frames_alloc_size(&k.fr, PG_SIZE_2M, &dst) != OS_OK;
    bad |= os_iommu_map(&dom[e], 0x40000000ull, src, len, PG_SIZE_4K, 0) != OS_OK;
    bad |= os_iommu_map(&dom[e], 0x40200000ull, dst, len, PG_SIZE_4K, 1) != OS_OK;
    bad |= os_iommu_attach(&k.io, rid[e], DTE_TRANSLATE, (uint16_t)(e + 1), 1, 1, dom[e].pml4, 0) !=
           OS_OK;
    os_phys_t ph = pg_target_phys(&tg);
    for (uint64_t i = 0; i < len; i += 8)
      os_write64(&ph, src + i, pg_rng_next(&rng));
  }
  pg_lockstep_background(s, 1);
  for (int e = 0; e < 2; e++)
    os_dma_start(&k.mmio, base[e], 0x40000000ull + 8 * (e + 1), 0x40200000ull, len - 64);
  /* Meanwhile software queues commands (domain 9 has no device, so no
   * outcome changes): each must wait for the translation under way. */
  for (unsigned i = 0; i < BESIDE_COMMANDS; i++)
    os_iommu_command(&k.io, CMD_INV_DOMAIN | 9ull << CMD_ARG_SHIFT, 0);
  pg_lockstep_background(s, 0); /* waits for both, compares all of memory */
  bad |= os_iommu_reg(&k.io, IOMMU_CQ_HEAD) != os_iommu_reg(&k.io, IOMMU_CQ_TAIL);
  for (int e = 0; e < 2; e++) {
    os_dma_result_t res;
    bad |= os_dma_wait(&k.mmio, base[e], 100, &res) != OS_OK || res.status != DMA_STATUS_DONE;
  }
  int fin = tg.finish(tg.ctx);
  unsigned mism = pg_lockstep_mismatches(s);
  bad |= fin || mism;
  printf("%s iommu both engines at once: two 16 KiB copies, %u mismatches, %" PRIu64 " cycles\n",
         bad ? "FAIL" : "ok  ", mism, pg_lockstep_cycles(s));
  pg_io_kernel_free(&k);
  pg_lockstep_free(s);
  return bad;
}

int pg_random_iotest(const pg_random_opts_t *o) {
  pg_dram_cfg_t dc;
  pg_dram_cfg_default(&dc);
  int bad = directed(o, &dc);
  bad |= both_engines(o, &dc);
  bad |= traffic(o, &dc);
  return bad ? 1 : 0;
}
