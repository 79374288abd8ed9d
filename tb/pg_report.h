/* SPDX-License-Identifier: MIT */
/* pg_report.h — the figures of one run (`pagoda run|golden --report`).
 *
 * Owns: what is gathered per access (kinds, where the translation came
 * from, the latency of loads and of accesses that walked, as exact
 * histograms) and, with the end-of-run counters, the short table and the
 * JSON object: accesses by kind, iTLB/dTLB/L2 misses and walks per 1,000
 * accesses, walk cycles, walk-cache hit rates, the DRAM row-hit rate and
 * utilization, load latency, faults by kind. Timed figures (cycles, DRAM)
 * exist only for the RTL; the golden model's report gives them as null. */
#ifndef PG_REPORT_H
#define PG_REPORT_H

#include <stdint.h>
#include <stdio.h>

#include "pg_counters.h"
#include "pg_model.h"

typedef struct pg_report pg_report_t;

pg_report_t *pg_report_new(void);
void pg_report_free(pg_report_t *r);
/* One access and its request-to-response cycles. */
void pg_report_access(pg_report_t *r, const pg_access_t *a, const pg_result_t *res,
                      uint64_t cycles);
/* The table to TABLE and, when JSON is not NULL, one JSON object to it.
 * TIMED: the target counts real cycles (the RTL). */
void pg_report_print(const pg_report_t *r, const char *target, const pg_counters_t *c, int timed,
                     FILE *table, FILE *json);

#endif
