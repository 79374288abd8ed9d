/* test_iommu.c — the directed IOMMU and DMA cases (tb/pg_iotest.c) on the
 * golden model alone: each case checks the SPEC's outcome, record by record.
 * The same cases run on the RTL in lockstep under `pagoda random --mix iommu`. */
#include <stdio.h>
#include <stdlib.h>

#include "fixture.h"
#include "pg_iotest.h"
#include "pg_model.h"

static void run_case(void **state) {
  unsigned i = (unsigned)(uintptr_t)*state;
  pg_model_t *m = pg_model_new(NULL);
  pg_target_t tg = pg_golden_target(m);
  unsigned fails = pg_iotest_run(i, &tg, stdout);
  pg_model_free(m);
  assert_int_equal(fails, 0);
}

int main(void) {
  unsigned n = pg_iotest_count();
  struct CMUnitTest *tests = calloc(n, sizeof *tests);
  for (unsigned i = 0; i < n; i++)
    tests[i] = (struct CMUnitTest){.name = pg_iotest_name(i),
                                   .test_func = run_case,
                                   .initial_state = (void *)(uintptr_t)i};
  int rc = _cmocka_run_group_tests("iommu", tests, n, NULL, NULL);
  free(tests);
  return rc;
}
