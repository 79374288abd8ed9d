/* SPDX-License-Identifier: MIT */
/* fuzz_lackey.c — a fuzzing harness: the valgrind lackey importer on one
 * log, its trace written to /dev/null.
 * Usage: fuzz_lackey FILE (AFL++ passes @@). */
#include <stdio.h>

#include "pg_import.h"

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: fuzz_lackey FILE\n");
    return 2;
  }
  FILE *in = fopen(argv[1], "r");
  if (!in)
    return 0;
  FILE *out = fopen("/dev/null", "w");
  pg_import_opts_t o = {.pages = PG_IMPORT_MIXED, .max = 20000, .seed = 1};
  pg_import_stats_t st;
  char err[256];
  pg_import_lackey(in, argv[1], out, &o, &st, err, sizeof err);
  fclose(out);
  fclose(in);
  return 0;
}
