/* SPDX-License-Identifier: MIT */
/* pg_bench.h — `pagoda bench`: the figures of SPEC §10 (pg_bench.c). */
#ifndef PG_BENCH_H
#define PG_BENCH_H

#include "pg_dram_cfg.h"

/* Print `bench NAME VALUE` lines; 0 when every check held. The MMU alone: */
int pg_bench_mmu(void);
/* Everything: the MMU, the DRAM controller with settings C, the system. */
int pg_bench_all(const pg_dram_cfg_t *c);

#endif
