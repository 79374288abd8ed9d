/* pg_random_io.c — `pagoda random --mix iommu`: the directed IOMMU and DMA
 * cases (pg_iotest) on the whole system in lockstep with the golden model,
 * each on a fresh system, then OPS operations of random DMA traffic
 * (pg_iotraffic) on one more. */
#include <inttypes.h>
#include <stdio.h>

#include "pg_dram_cfg.h"
#include "pg_iotest.h"
#include "pg_iotraffic.h"
#include "pg_lockstep.h"
#include "pg_random.h"

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
    printf("%s iommu case %-24s checks failed %u, rtl/golden mismatches %u, memory compared %" PRIu64
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

static int traffic(const pg_random_opts_t *o, const pg_dram_cfg_t *dc) {
  pg_lockstep_t *s = new_system(dc, o->seed);
  pg_target_t tg = pg_lockstep_target(s);
  pg_iotraffic_opts_t to = {.seed = o->seed, .ops = o->ops, .out = stdout, .progress = o->progress};
  pg_iotraffic_stats_t st;
  unsigned fails = pg_iotraffic_run(&tg, pg_model_mem(pg_lockstep_golden(s)), &to, &st);
  int fin = tg.finish(tg.ctx);
  unsigned mism = pg_lockstep_mismatches(s);
  int bad = fails || mism || fin;
  printf("%s random iommu seed %" PRIu64 ": %" PRIu64 " DMAs (%" PRIu64 " done, %" PRIu64
         " faulted, %" PRIu64 " misaligned; %" PRIu64 " outcomes predicted, %" PRIu64
         " copies checked), %" PRIu64 " pieces, %" PRIu64 " bytes, %" PRIu64 " remaps (%" PRIu64
         " left stale), %" PRIu64 " attaches (%" PRIu64 " left cached), %" PRIu64
         " syncs, %" PRIu64 " fault records read, %" PRIu64 " cycles, memory compared %" PRIu64
         " times, %u failed checks, %u mismatches\n",
         bad ? "FAIL" : "PASS", o->seed, st.dmas, st.done, st.faulted, st.misaligned, st.predicted,
         st.copies_checked, st.pieces, st.bytes, st.remaps, st.stale_remaps, st.attaches,
         st.stale_attaches, st.invalidations, st.records, pg_lockstep_cycles(s),
         pg_lockstep_io_checks(s), fails, mism);
  pg_lockstep_free(s);
  return bad;
}

int pg_random_iotest(const pg_random_opts_t *o) {
  pg_dram_cfg_t dc;
  pg_dram_cfg_default(&dc);
  int bad = directed(o, &dc);
  bad |= traffic(o, &dc);
  return bad ? 1 : 0;
}
