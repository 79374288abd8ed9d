/* SPDX-License-Identifier: MIT */
/* fuzz_dram_trace.c — a fuzzing harness: the DRAMsim3 request-trace reader
 * on one file, with the default DDR3-1600 settings.
 * Usage: fuzz_dram_trace FILE (AFL++ passes @@). */
#include <stdio.h>

#include "pg_dram_cfg.h"
#include "pg_dram_run.h"

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: fuzz_dram_trace FILE\n");
    return 2;
  }
  pg_dram_cfg_t c;
  pg_dram_cfg_default(&c);
  pg_dram_reqs_t t = {0};
  char err[256];
  pg_dram_trace_load(argv[1], &c, &t, err, sizeof err);
  pg_dram_reqs_free(&t);
  return 0;
}
