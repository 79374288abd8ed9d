/* SPDX-License-Identifier: MIT */
/* fuzz_ini.c — a fuzzing harness: the DRAM settings loader (.ini) on one
 * file, then the controller's settings word packed from what loaded.
 * Usage: fuzz_ini FILE (AFL++ passes @@). */
#include <stdint.h>
#include <stdio.h>

#include "pg_dram_cfg.h"

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: fuzz_ini FILE\n");
    return 2;
  }
  pg_dram_cfg_t c;
  char err[256];
  if (pg_dram_cfg_load(argv[1], &c, err, sizeof err) != 0)
    return 0;
  uint32_t w[PG_DRAM_CFG_WORDS];
  pg_dram_cfg_pack(&c, w);
  pg_dram_addr_t a;
  pg_dram_map(&c, 0x12345640ull, &a);
  return 0;
}
