/* pg_random_io.c — `pagoda random --mix iommu`: the directed IOMMU and DMA
 * cases (pg_iotest) on the whole system in lockstep with the golden model,
 * each on a fresh system, then random DMA traffic (see pg_random_dma). */
#include <inttypes.h>
#include <stdio.h>

#include "pg_dram_cfg.h"
#include "pg_iotest.h"
#include "pg_lockstep.h"
#include "pg_random.h"

int pg_random_iotest(const pg_random_opts_t *o) {
  pg_dram_cfg_t dc;
  pg_dram_cfg_default(&dc);
  unsigned failed = 0;
  for (unsigned i = 0; i < pg_iotest_count(); i++) {
    pg_lockstep_opts_t lo;
    pg_lockstep_default_opts(&lo);
    lo.seed = o->seed + i;
    lo.dram = &dc;
    pg_lockstep_t *s = pg_lockstep_new(&lo);
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
  return failed ? 1 : 0;
}
