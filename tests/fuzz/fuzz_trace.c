/* SPDX-License-Identifier: MIT */
/* fuzz_trace.c — a fuzzing harness: the trace parser on one file, then the
 * golden model running what parsed. Any input may be rejected (exit 0 with
 * an error message); none may crash, hang or trip a sanitizer.
 * Usage: fuzz_trace FILE (AFL++ passes @@). */
#include <stdio.h>
#include <stdlib.h>

#include "pg_model.h"
#include "pg_runner.h"
#include "pg_trace.h"

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: fuzz_trace FILE\n");
    return 2;
  }
  pg_trace_t t;
  char err[256];
  if (pg_trace_parse_file(argv[1], &t, err, sizeof err) != 0)
    return 0;
  FILE *sink = fopen("/dev/null", "w");
  pg_model_t *m = pg_model_new(NULL);
  pg_target_t tg = pg_golden_target(m);
  pg_run_opts_t o = {.out = sink};
  pg_run_trace(&t, &tg, &o);
  pg_model_free(m);
  pg_trace_free(&t);
  fclose(sink);
  return 0;
}
