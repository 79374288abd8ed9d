/* SPDX-License-Identifier: MIT */
/* pg_dram_run.c — the DRAM controller alone: the run and its figures (the
 * traces it runs are read by pg_dram_trace.c). */
#include "pg_dram_run.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "pg_dram_dev.h"
#include "pg_mem.h"
#include "pg_rng.h"
#include "pg_vshim.h"

void pg_dram_run_default_opts(pg_dram_run_opts_t *o) {
  memset(o, 0, sizeof *o);
  o->seed = 1;
  o->timeout = 100000;
}

/* Deterministic write data: word W of request K. */
static uint64_t wdata_word(uint64_t k, unsigned w) {
  return pg_mix64(k * 8 + w + 0x9e3779b97f4a7c15ull);
}

#define NIDS 128 /* the standalone controller takes 7-bit request ids (Makefile) */

int pg_dram_run(const pg_dram_cfg_t *c, const pg_dram_req_t *r, size_t n,
                const pg_dram_run_opts_t *o, pg_dram_result_t *res) {
  memset(res, 0, sizeof *res);
  uint32_t cfgw[PG_DRAM_CFG_WORDS];
  pg_dram_cfg_pack(c, cfgw);
  pg_mem_t *store = pg_mem_new(), *shadow = pg_mem_new();
  pg_dram_dev_t *dev = pg_dram_dev_new(c, store);
  pgd_t *v = pgd_new(o->seed, o->wave, cfgw);
  pg_dram_dev_report_to(dev, o->report);
  pgd_reset(v);

  uint64_t expect[NIDS][8], accepted_at[NIDS];
  int outstanding[NIDS] = {0};
  pgd_in_t in;
  pgd_out_t out;
  memset(&in, 0, sizeof in);
  uint64_t now = 0, last_progress = 0, reads_total = 0, writes_total = 0;
  for (size_t i = 0; i < n; i++)
    r[i].we ? writes_total++ : reads_total++;
  size_t next = 0;
  unsigned id = 0;
  res->requests = n;

  for (;;) {
    in.rd_valid = (uint8_t)pg_dram_dev_tick(dev, now, in.rd_data);
    in.req_valid = 0;
    for (unsigned k = 0; k < NIDS && outstanding[id]; k++)
      id = (id + 1) % NIDS; /* the next free id */
    if (next < n && r[next].cycle <= now && !outstanding[id]) {
      const pg_dram_req_t *q = &r[next];
      in.req_valid = 1;
      in.req_we = q->we;
      in.req_id = (uint8_t)id;
      in.req_addr = q->addr & ~63ull;
      in.req_mask = q->we ? q->mask : 0;
      for (unsigned w = 0; w < 8; w++)
        in.req_wdata[w] = q->we ? wdata_word(next, w) : 0;
    }
    pgd_cycle(v, &in, &out);
    if (out.cmd != PG_DCMD_NOP) {
      pg_dram_cmd_t cmd = {(pg_dcmd_t)out.cmd, out.cmd_ap, out.cmd_bank, out.cmd_row,
                           out.cmd_col,        {0},        out.cmd_mask};
      memcpy(cmd.wdata, out.cmd_wdata, sizeof cmd.wdata);
      pg_dram_dev_command(dev, now, &cmd);
      if (o->cmd_trace)
        pg_dram_cmd_trace_line(o->cmd_trace, c, now, &cmd);
      last_progress = now;
    }
    if (in.req_valid && out.req_ready) {
      uint64_t line = in.req_addr;
      if (in.req_we) {
        pg_mem_write_line(shadow, line, in.req_wdata, in.req_mask);
      } else {
        pg_mem_read_bytes(shadow, line, (uint8_t *)expect[id], 64);
        accepted_at[id] = now;
        outstanding[id] = 1;
      }
      id = (id + 1) % NIDS;
      next++;
      last_progress = now;
    }
    if (out.rsp_valid) {
      unsigned k = out.rsp_id;
      if (!outstanding[k]) {
        res->mismatches++;
        if (o->report)
          fprintf(o->report, "MISMATCH cycle %" PRIu64 ": read data for id %u, not asked for\n",
                  now, k);
      } else if (memcmp(out.rsp_rdata, expect[k], sizeof expect[k])) {
        res->mismatches++;
        if (o->report)
          fprintf(o->report,
                  "MISMATCH cycle %" PRIu64 ": read id %u returned 0x%016" PRIx64
                  "... expected 0x%016" PRIx64 "...\n",
                  now, k, out.rsp_rdata[0], expect[k][0]);
      }
      if (outstanding[k]) {
        uint64_t lat = now - accepted_at[k];
        res->read_latency_sum += lat;
        if (lat > res->read_latency_max)
          res->read_latency_max = lat;
      }
      outstanding[k] = 0;
      res->reads++;
      last_progress = now;
    }
    now++;
    const pg_dram_dev_stats_t *st = pg_dram_dev_stats(dev);
    if (next == n && res->reads == reads_total && st->writes == writes_total)
      break;
    if (now - last_progress > o->timeout && (next == n || r[next].cycle < now)) {
      res->stalled = 1;
      if (o->report)
        fprintf(o->report,
                "STALL: no progress for %" PRIu64 " cycles at cycle %" PRIu64
                " (%zu of %zu requests taken, %" PRIu64 " reads answered)\n",
                o->timeout, now, next, n, res->reads);
      break;
    }
  }
  /* Data still on the bus would be a read nobody asked for: one more check. */
  const pg_dram_dev_stats_t *st = pg_dram_dev_stats(dev);
  res->cycles = now;
  res->writes = st->writes;
  res->busy_cycles = st->busy_cycles;
  res->activates = st->activates;
  res->refreshes = st->refreshes;
  res->row_hits = pgd_counter(v, 3);
  res->row_misses = pgd_counter(v, 4);
  res->row_conflicts = pgd_counter(v, 5);
  /* The controller's own counts must agree with what the DRAM saw. */
  const uint64_t pairs[][2] = {{pgd_counter(v, 0), st->reads},
                               {pgd_counter(v, 1), st->writes},
                               {pgd_counter(v, 2), st->activates},
                               {pgd_counter(v, 6), st->refreshes},
                               {pgd_counter(v, 7), st->busy_cycles}};
  for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++)
    if (pairs[i][0] != pairs[i][1]) {
      res->counter_mismatches++;
      if (o->report)
        fprintf(o->report, "MISMATCH controller counter %zu = %" PRIu64 ", DRAM saw %" PRIu64 "\n",
                i, pairs[i][0], pairs[i][1]);
    }
  res->violations = pg_dram_dev_violations(dev);
  snprintf(res->first_violation, sizeof res->first_violation, "%s", pg_dram_dev_first_error(dev));
  pgd_free(v);
  pg_dram_dev_free(dev);
  pg_mem_free(store);
  pg_mem_free(shadow);
  return res->mismatches || res->violations || res->stalled || res->counter_mismatches;
}

double pg_dram_utilization(const pg_dram_result_t *r) {
  return r->cycles ? (double)r->busy_cycles / (double)r->cycles : 0.0;
}

void pg_dram_print_figures(FILE *f, const pg_dram_cfg_t *c, const pg_dram_result_t *r) {
  uint64_t rows = r->row_hits + r->row_misses + r->row_conflicts;
  double bytes = 64.0 * (double)(r->reads + r->writes);
  fprintf(f, "bench requests %" PRIu64 "\n", r->requests);
  fprintf(f, "bench cycles %" PRIu64 "\n", r->cycles);
  fprintf(f, "bench utilization %.4f\n", pg_dram_utilization(r));
  fprintf(f, "bench bandwidth_gbps %.3f\n", r->cycles ? bytes / ((double)r->cycles * c->tCK) : 0);
  fprintf(f, "bench avg_read_latency_cycles %.2f\n",
          r->reads ? (double)r->read_latency_sum / (double)r->reads : 0.0);
  fprintf(f, "bench row_hit_rate %.4f\n", rows ? (double)r->row_hits / (double)rows : 0.0);
  fprintf(f, "bench timing_violations %" PRIu64 "\n", r->violations);
}
