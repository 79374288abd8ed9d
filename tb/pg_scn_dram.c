/* SPDX-License-Identifier: MIT */
/* pg_scn_dram.c — the DRAM's story: row-buffer hits against conflicts, bank
 * interleaving, refresh, and FR-FCFS against in-order (FCFS). The controller
 * runs alone (pg_dram_run) with the C device model checking every command
 * against the JEDEC rules and a shadow memory checking every read. The
 * waveform, when asked for, is the FR-FCFS run's. */
#include <inttypes.h>

#include "pg_dram_run.h"
#include "pg_scn.h"

static double avg_latency(const pg_dram_result_t *r) {
  return r->reads ? (double)r->read_latency_sum / (double)r->reads : 0;
}

/* WAVE: the waveform of this run, or NULL. */
static pg_dram_result_t run(scn_t *s, const pg_dram_cfg_t *c, const pg_dram_reqs_t *q,
                            const char *what, const char *wave) {
  pg_dram_run_opts_t o;
  pg_dram_run_default_opts(&o);
  o.report = s->out;
  o.wave = wave;
  pg_dram_result_t r;
  int bad = pg_dram_run(c, q->r, q->n, &o, &r);
  fprintf(s->out,
          "    %-34s %6" PRIu64 " requests %8" PRIu64
          " cycles  data bus busy %5.1f%%  row hits %6" PRIu64 "  conflicts %6" PRIu64
          "  read latency %6.1f\n",
          what, r.requests, r.cycles, 100.0 * pg_dram_utilization(&r), r.row_hits, r.row_conflicts,
          avg_latency(&r));
  scn_check(s, !bad && r.violations == 0 && r.mismatches == 0,
            "%s: every read matched, no JEDEC rule broken", what);
  return r;
}

static void run_dram(scn_t *s) {
  scn_say(s, "DRAM is banks of rows. Reading a row copies it into the bank's row buffer\n"
             "(ACTIVATE); further reads of that row are fast (row hits). Another row of the same\n"
             "bank must first be written back (PRECHARGE): a row conflict. Banks work in\n"
             "parallel, and every bank must be refreshed every 7.8 us.");
  pg_dram_cfg_t c;
  pg_dram_cfg_default(&c);
  pg_dram_reqs_t q = {0};
  enum { N = 2000 };

  scn_part(s, "row-buffer hits against conflicts (one bank)");
  scn_say(s, "One read every 200 cycles, so that no read waits for another: first all from\n"
             "one row, then alternating between two rows of the same bank.");
  for (unsigned i = 0; i < N; i++)
    pg_dram_reqs_push(&q, pg_dram_unmap(&c, 0, 10, i % 64), 0, 200ull * i, 0);
  pg_dram_result_t hits = run(s, &c, &q, "same row", NULL);
  q.n = 0;
  for (unsigned i = 0; i < N; i++)
    pg_dram_reqs_push(&q, pg_dram_unmap(&c, 0, 10 + i % 2, i % 64), 0, 200ull * i, 0);
  pg_dram_result_t conf = run(s, &c, &q, "two rows of one bank, alternating", NULL);
  scn_check(s, hits.row_hits > 0.95 * N && conf.row_conflicts > 0.95 * N,
            "one row: %" PRIu64 " row hits; alternating rows: %" PRIu64 " conflicts", hits.row_hits,
            conf.row_conflicts);
  scn_check(s, avg_latency(&conf) >= avg_latency(&hits) + c.tRCD,
            "a conflict adds a precharge and an activate (tRP + tRCD = %u): latency %.1f against "
            "%.1f cycles",
            c.tRP + c.tRCD, avg_latency(&conf), avg_latency(&hits));

  scn_part(s, "bank interleaving");
  q.n = 0;
  for (unsigned i = 0; i < N; i++)
    pg_dram_reqs_push(&q, pg_dram_unmap(&c, 0, 20 + i, 0), 0, 0, 0);
  pg_dram_result_t one = run(s, &c, &q, "a new row each read, one bank", NULL);
  q.n = 0;
  for (unsigned i = 0; i < N; i++)
    pg_dram_reqs_push(&q, pg_dram_unmap(&c, i % c.banks, 20 + i / c.banks, 0), 0, 0, 0);
  pg_dram_result_t spread = run(s, &c, &q, "a new row each read, all banks", NULL);
  scn_check(s, spread.cycles * 3 < one.cycles,
            "spreading the same misses over %u banks is %.1fx faster (%" PRIu64 " against %" PRIu64
            " cycles)",
            c.banks, (double)one.cycles / (double)spread.cycles, spread.cycles, one.cycles);

  scn_part(s, "refresh");
  q.n = 0;
  for (unsigned i = 0; i < 20000; i++)
    pg_dram_reqs_push(&q, (uint64_t)i * 64, 0, 0, 0);
  pg_dram_result_t seq = run(s, &c, &q, "20000 sequential reads", NULL);
  uint64_t due = seq.cycles / c.tREFI;
  scn_say(s,
          "A refresh is due every tREFI = %u cycles and closes every row for tRFC = %u\n"
          "cycles. Under heavy traffic the controller may postpone up to 8 (JEDEC), never more.",
          c.tREFI, c.tRFC);
  scn_check(s, seq.refreshes + 8 >= due && seq.refreshes <= due + 1,
            "%" PRIu64 " refreshes in %" PRIu64 " cycles (%" PRIu64 " due)", seq.refreshes,
            seq.cycles, due);

  scn_part(s, "FR-FCFS against in-order");
  scn_say(s, "2000 reads arrive at once, alternating between two rows of one bank. Served in\n"
             "arrival order (FCFS), every read is a row conflict. FR-FCFS (first ready, first\n"
             "come first served) serves the queued reads of the open row first. The same\n"
             "controller runs both: scheduler = FCFS makes only the oldest request eligible.");
  q.n = 0;
  for (unsigned i = 0; i < N; i++)
    pg_dram_reqs_push(&q, pg_dram_unmap(&c, 0, 40 + i % 2, (i / 2) % 64), 0, 0, 0);
  pg_dram_cfg_t in_order = c;
  in_order.in_order = 1;
  pg_dram_result_t fc = run(s, &in_order, &q, "two rows interleaved, FCFS", NULL);
  pg_dram_result_t fr = run(s, &c, &q, "two rows interleaved, FR-FCFS", s->wave);
  scn_check(s, fc.row_conflicts >= N - 1 && fc.row_hits == 0,
            "in arrival order: %" PRIu64 " row conflicts, %" PRIu64 " hits", fc.row_conflicts,
            fc.row_hits);
  scn_check(s, fr.row_hits >= 0.9 * N, "FR-FCFS: %" PRIu64 " of %u reads were row hits",
            fr.row_hits, (unsigned)N);
  scn_check(s, fr.cycles * 3 < fc.cycles,
            "FR-FCFS is %.1fx faster: %.1f cycles per read against %.1f",
            (double)fc.cycles / (double)fr.cycles, (double)fr.cycles / N, (double)fc.cycles / N);
  pg_dram_reqs_free(&q);
}

const scn_def_t scn_dram = {
    "dram",
    "DRAM: row-buffer hits against conflicts, bank interleaving, refresh, FR-FCFS against in-order",
    "dram", 0, run_dram};
