/* SPDX-License-Identifier: MIT */
/* pg_dram_run.h — the DRAM controller alone on a request stream (needs the
 * Verilated controller: linked only into the full `pagoda`).
 *
 * Owns: DRAMsim3-format request traces (`0xADDR READ|WRITE CYCLE`), driving
 * the Verilated pg_dram_ctrl with the C device model on its command bus, the
 * C shadow of memory every read is checked against, the command trace, and
 * the figures of SPEC §10 (`bench NAME VALUE`). */
#ifndef PG_DRAM_RUN_H
#define PG_DRAM_RUN_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "pg_dram_cfg.h"

typedef struct {
  uint64_t addr;  /* byte address; the request moves its 64-byte line */
  uint64_t cycle; /* not offered before this cycle */
  uint8_t we;
  uint64_t mask; /* byte enables of a write (all ones from a trace) */
} pg_dram_req_t;

typedef struct {
  pg_dram_req_t *r;
  size_t n, cap;
} pg_dram_reqs_t;

/* Appends one request; returns 0 or -1 out of memory. */
int pg_dram_reqs_push(pg_dram_reqs_t *t, uint64_t addr, int we, uint64_t cycle, uint64_t mask);
void pg_dram_reqs_free(pg_dram_reqs_t *t);
/* A DRAMsim3 trace; 0, or -1 with "FILE:LINE: what" in ERR. */
int pg_dram_trace_load(const char *path, const pg_dram_cfg_t *c, pg_dram_reqs_t *t, char *err,
                       size_t errlen);

typedef struct {
  uint64_t seed; /* randomizes the RTL's reset values */
  const char *wave;
  FILE *cmd_trace;  /* DRAMsim3 command-trace lines, or NULL */
  FILE *report;     /* mismatches and violations as they happen, or NULL */
  uint64_t timeout; /* cycles without progress before giving up */
} pg_dram_run_opts_t;

typedef struct {
  uint64_t requests, reads, writes, cycles;
  uint64_t busy_cycles, activates, refreshes, row_hits, row_misses, row_conflicts;
  uint64_t violations, mismatches, counter_mismatches;
  uint64_t read_latency_sum, read_latency_max;
  int stalled; /* no progress within the timeout */
  char first_violation[256];
} pg_dram_result_t;

void pg_dram_run_default_opts(pg_dram_run_opts_t *o);
/* Returns 0 when every read matched the shadow, no rule was broken and
 * everything completed; 1 otherwise. */
int pg_dram_run(const pg_dram_cfg_t *c, const pg_dram_req_t *r, size_t n,
                const pg_dram_run_opts_t *o, pg_dram_result_t *res);

double pg_dram_utilization(const pg_dram_result_t *r);
/* The `pagoda dram` figures of SPEC §10. */
void pg_dram_print_figures(FILE *f, const pg_dram_cfg_t *c, const pg_dram_result_t *r);

#endif
