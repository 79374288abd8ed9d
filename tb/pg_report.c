/* SPDX-License-Identifier: MIT */
/* pg_report.c — a run's figures (see pg_report.h). */
#include "pg_report.h"

#include <assert.h>
#include <inttypes.h>
#include <stdlib.h>

/* Latencies up to HIST_MAX cycles are counted exactly; longer ones in the
 * last bucket (their sum is still exact). */
#define HIST_MAX 4096u

typedef struct {
  uint64_t n, sum, max;
  uint64_t count[HIST_MAX + 1];
} hist_t;

struct pg_report {
  uint64_t by_op[3]; /* pg_op_t */
  uint64_t ok, faulted;
  hist_t load_latency; /* loads that completed ok */
  hist_t walk_latency; /* accesses that walked */
};

pg_report_t *pg_report_new(void) {
  pg_report_t *r = calloc(1, sizeof *r);
  assert(r);
  return r;
}

void pg_report_free(pg_report_t *r) {
  free(r);
}

static void hist_add(hist_t *h, uint64_t v) {
  h->n++;
  h->sum += v;
  if (v > h->max)
    h->max = v;
  h->count[v < HIST_MAX ? v : HIST_MAX]++;
}

/* The smallest v with at least P percent of the samples <= v. */
static uint64_t hist_pct(const hist_t *h, unsigned p) {
  uint64_t want = (h->n * p + 99) / 100, seen = 0;
  for (unsigned v = 0; v <= HIST_MAX; v++) {
    seen += h->count[v];
    if (seen >= want && seen)
      return v < HIST_MAX ? v : h->max;
  }
  return h->max;
}

void pg_report_access(pg_report_t *r, const pg_access_t *a, const pg_result_t *res,
                      uint64_t cycles) {
  r->by_op[a->op]++;
  if (res->status == PG_ST_OK)
    r->ok++;
  else
    r->faulted++;
  if (res->status == PG_ST_OK && a->op == PG_OP_LOAD)
    hist_add(&r->load_latency, cycles);
  if (res->walked)
    hist_add(&r->walk_latency, cycles);
}

static double ratio(uint64_t a, uint64_t b) {
  return b ? (double)a / (double)b : 0.0;
}

/* A figure as JSON: a number, or null when it does not exist. */
static void jnum(FILE *f, const char *key, int exists, double v, const char *sep) {
  if (exists)
    fprintf(f, "\"%s\":%.6g%s", key, v, sep);
  else
    fprintf(f, "\"%s\":null%s", key, sep);
}

static void jhist(FILE *f, const char *key, int exists, const hist_t *h, const char *sep) {
  if (!exists || !h->n) {
    fprintf(f, "\"%s\":null%s", key, sep);
    return;
  }
  fprintf(f,
          "\"%s\":{\"n\":%" PRIu64 ",\"mean\":%.6g,\"p50\":%" PRIu64 ",\"p90\":%" PRIu64
          ",\"p99\":%" PRIu64 ",\"max\":%" PRIu64 "}%s",
          key, h->n, ratio(h->sum, h->n), hist_pct(h, 50), hist_pct(h, 90), hist_pct(h, 99), h->max,
          sep);
}

static void thist(FILE *f, const char *what, int exists, const hist_t *h) {
  if (!exists || !h->n) {
    fprintf(f, "  %-28s %s\n", what, exists ? "-" : "- (no cycles in the golden model)");
    return;
  }
  fprintf(f,
          "  %-28s mean %.1f  p50 %" PRIu64 "  p90 %" PRIu64 "  p99 %" PRIu64 "  max %" PRIu64
          "  (%" PRIu64 " accesses)\n",
          what, ratio(h->sum, h->n), hist_pct(h, 50), hist_pct(h, 90), hist_pct(h, 99), h->max,
          h->n);
}

void pg_report_print(const pg_report_t *r, const char *target, const pg_counters_t *c, int timed,
                     FILE *table, FILE *json) {
  uint64_t n = r->by_op[0] + r->by_op[1] + r->by_op[2];
  double k = n ? 1000.0 / (double)n : 0.0;
  uint64_t dram_req = c->dram_row_hits + c->dram_row_misses + c->dram_row_conflicts;
  uint64_t faults = c->pf_not_present + c->pf_reserved + c->pf_user + c->pf_write + c->pf_nx +
                    c->pf_smep + c->pf_smap + c->pk_faults;
  int dram = timed && dram_req;

  FILE *f = table;
  fprintf(f, "--- report (%s) ---\n", target);
  fprintf(f,
          "  %-28s %" PRIu64 "  (loads %" PRIu64 ", stores %" PRIu64 ", fetches %" PRIu64
          "; %" PRIu64 " faulted)\n",
          "accesses", n, r->by_op[PG_OP_LOAD], r->by_op[PG_OP_STORE], r->by_op[PG_OP_FETCH],
          r->faulted);
  fprintf(f, "  %-28s iTLB %.2f  dTLB %.2f  L2 %.2f\n", "misses per 1,000 accesses",
          (double)c->itlb_misses * k, (double)c->dtlb_misses * k, (double)c->l2tlb_misses * k);
  fprintf(f, "  %-28s %.2f  (%.2f entries read a walk)\n", "walks per 1,000 accesses",
          (double)c->walks * k, ratio(c->walk_reads, c->walks));
  if (timed && c->walks)
    fprintf(f, "  %-28s %.1f a walk\n", "walk cycles", ratio(c->walk_cycles, c->walks));
  thist(f, "latency of walking accesses", timed, &r->walk_latency);
  fprintf(f, "  %-28s PML5E %.3f  PML4E %.3f  PDPTE %.3f  PDE %.3f  (of walks)\n",
          "walk-cache hit rate", ratio(c->pwc_pml5e_hits, c->walks),
          ratio(c->pwc_pml4e_hits, c->walks), ratio(c->pwc_pdpte_hits, c->walks),
          ratio(c->pwc_pde_hits, c->walks));
  if (dram)
    fprintf(f,
            "  %-28s row hits %.4f  utilization %.4f  (%" PRIu64 " requests, %" PRIu64 " cycles)\n",
            "DRAM", ratio(c->dram_row_hits, dram_req), ratio(c->dram_busy_cycles, c->cycles),
            dram_req, c->cycles);
  else
    fprintf(f, "  %-28s - (%s)\n", "DRAM",
            timed ? "no DRAM requests: --mem ideal" : "the golden model has no DRAM");
  thist(f, "load latency (cycles)", timed, &r->load_latency);
  fprintf(f,
          "  %-28s not-present %" PRIu64 "  reserved %" PRIu64 "  user %" PRIu64 "  write %" PRIu64
          "  nx %" PRIu64 "  smep %" PRIu64 "  smap %" PRIu64 "  pk %" PRIu64 "  gp %" PRIu64
          "  bus %" PRIu64 "\n",
          "faults", c->pf_not_present, c->pf_reserved, c->pf_user, c->pf_write, c->pf_nx,
          c->pf_smep, c->pf_smap, c->pk_faults, c->gp_faults, c->bus_errors);

  if (!json)
    return;
  f = json;
  fprintf(f,
          "{\"target\":\"%s\",\"accesses\":%" PRIu64 ",\"loads\":%" PRIu64 ",\"stores\":%" PRIu64
          ",\"fetches\":%" PRIu64 ",\"faulted\":%" PRIu64 ",",
          target, n, r->by_op[PG_OP_LOAD], r->by_op[PG_OP_STORE], r->by_op[PG_OP_FETCH],
          r->faulted);
  jnum(f, "itlb_misses_per_1k", 1, (double)c->itlb_misses * k, ",");
  jnum(f, "dtlb_misses_per_1k", 1, (double)c->dtlb_misses * k, ",");
  jnum(f, "l2tlb_misses_per_1k", 1, (double)c->l2tlb_misses * k, ",");
  jnum(f, "walks_per_1k", 1, (double)c->walks * k, ",");
  jnum(f, "walk_reads_per_walk", c->walks != 0, ratio(c->walk_reads, c->walks), ",");
  jnum(f, "walk_cycles_mean", timed && c->walks, ratio(c->walk_cycles, c->walks), ",");
  jhist(f, "walk_access_latency", timed, &r->walk_latency, ",");
  fprintf(f, "\"pwc_hit_rate\":{");
  jnum(f, "pml5e", c->walks != 0, ratio(c->pwc_pml5e_hits, c->walks), ",");
  jnum(f, "pml4e", c->walks != 0, ratio(c->pwc_pml4e_hits, c->walks), ",");
  jnum(f, "pdpte", c->walks != 0, ratio(c->pwc_pdpte_hits, c->walks), ",");
  jnum(f, "pde", c->walks != 0, ratio(c->pwc_pde_hits, c->walks), "},");
  jnum(f, "dram_row_hit_rate", dram, ratio(c->dram_row_hits, dram_req), ",");
  jnum(f, "dram_utilization", dram, ratio(c->dram_busy_cycles, c->cycles), ",");
  if (timed)
    fprintf(f, "\"cycles\":%" PRIu64 ",", c->cycles);
  else
    fprintf(f, "\"cycles\":null,");
  jhist(f, "load_latency", timed, &r->load_latency, ",");
  fprintf(f,
          "\"faults\":{\"total\":%" PRIu64 ",\"not_present\":%" PRIu64 ",\"reserved\":%" PRIu64
          ",\"user\":%" PRIu64 ",\"write\":%" PRIu64 ",\"nx\":%" PRIu64 ",\"smep\":%" PRIu64
          ",\"smap\":%" PRIu64 ",\"pk\":%" PRIu64 ",\"gp\":%" PRIu64 ",\"bus\":%" PRIu64 "}}\n",
          faults + c->gp_faults + c->bus_errors, c->pf_not_present, c->pf_reserved, c->pf_user,
          c->pf_write, c->pf_nx, c->pf_smep, c->pf_smap, c->pk_faults, c->gp_faults, c->bus_errors);
}
