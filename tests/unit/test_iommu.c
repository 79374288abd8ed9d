/* SPDX-License-Identifier: MIT */
/* test_iommu.c — the directed IOMMU and DMA cases (tb/pg_iotest.c) on the
 * golden model alone: each case checks the SPEC's outcome, record by record;
 * then random DMA traffic (tb/pg_iotraffic.c) on it, whose checks need no
 * second model (outcomes the tables decide, copies, dma_bytes, isolation).
 * Both run on the RTL in lockstep under `pagoda random --mix iommu`. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "fixture.h"
#include "pg_iotest.h"
#include "pg_iotraffic.h"
#include "pg_model.h"

static void run_case(void **state) {
  unsigned i = (unsigned)(uintptr_t)*state;
  pg_model_t *m = pg_model_new(NULL);
  pg_target_t tg = pg_golden_target(m);
  unsigned fails = pg_iotest_run(i, &tg, stdout);
  pg_model_free(m);
  assert_int_equal(fails, 0);
}

static void random_traffic(void **state) {
  (void)state;
  for (uint64_t seed = 1; seed <= 3; seed++) {
    pg_model_t *m = pg_model_new(NULL);
    pg_target_t tg = pg_golden_target(m);
    pg_iotraffic_opts_t o = {.seed = seed, .ops = 3000, .out = stdout};
    pg_iotraffic_stats_t st;
    unsigned fails = pg_iotraffic_run(&tg, pg_model_mem(m), &o, &st);
    printf("  seed %" PRIu64 ": %" PRIu64 " DMAs (%" PRIu64 " done, %" PRIu64 " faulted), %" PRIu64
           " predicted, %" PRIu64 " copies checked, %" PRIu64 " pieces, %" PRIu64 " records\n",
           seed, st.dmas, st.done, st.faulted, st.predicted, st.copies_checked, st.pieces,
           st.records);
    pg_model_free(m);
    assert_int_equal(fails, 0);
    /* The traffic reaches every outcome. */
    assert_true(st.done > 100 && st.faulted > 100 && st.misaligned > 0);
    assert_true(st.copies_checked > 50 && st.stale_remaps > 0 && st.stale_attaches > 0);
  }
}

int main(void) {
  unsigned n = pg_iotest_count();
  struct CMUnitTest *tests = calloc(n + 1, sizeof *tests);
  for (unsigned i = 0; i < n; i++)
    tests[i] = (struct CMUnitTest){
        .name = pg_iotest_name(i), .test_func = run_case, .initial_state = (void *)(uintptr_t)i};
  tests[n++] = (struct CMUnitTest){.name = "random traffic", .test_func = random_traffic};
  int rc = _cmocka_run_group_tests("iommu", tests, n, NULL, NULL);
  free(tests);
  return rc;
}
