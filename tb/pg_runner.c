/* SPDX-License-Identifier: MIT */
/* pg_runner.c — trace execution, result lines, expectations, verdict. */
#include "pg_runner.h"

#include <inttypes.h>
#include <string.h>

#include "pg_hw.h"
#include "pg_report.h"

typedef struct {
  const pg_trace_t *t;
  const pg_target_t *tg;
  const pg_run_opts_t *o;
  unsigned n_access; /* access number, SPEC §7 key `n` */
  unsigned n_expect;
  unsigned n_failed;
  unsigned n_mismatch;
} run_t;

static void err_bits(char *buf, size_t len, uint32_t err) {
  static const char *const names[] = {"P", "W", "U", "RSVD", "I/D", "PK"};
  buf[0] = '\0';
  for (unsigned b = 0; b < sizeof names / sizeof names[0]; b++)
    if (err & (1u << b)) {
      strncat(buf, buf[0] ? " " : "", len - strlen(buf) - 1);
      strncat(buf, names[b], len - strlen(buf) - 1);
    }
}

static void report(run_t *r, const char *op, const pg_access_t *a, const pg_result_t *res,
                   uint64_t cycles, const char *extra) {
  FILE *f = r->o->out;
  fprintf(f, "%6u %-5s %c 0x%016" PRIx64 "/%u  %-3s", r->n_access, op, a->user ? 'u' : 's', a->va,
          a->size, pg_status_name(res->status));
  if (res->status == PG_ST_PF) {
    char bits[40];
    err_bits(bits, sizeof bits, res->err);
    fprintf(f, " err=0x%02x [%s] %s cr2=0x%" PRIx64, res->err, bits, pg_pf_kind_name(res->pf_kind),
            r->tg->cr2(r->tg->ctx));
  } else if (res->status == PG_ST_EPT) {
    fprintf(f, " qual=0x%03" PRIx64 " gpa=0x%013" PRIx64 " gla=0x%016" PRIx64, res->qual, res->gpa,
            res->gla);
  } else if (res->status == PG_ST_EPTMC) {
    fprintf(f, " gpa=0x%013" PRIx64, res->gpa);
  } else if (res->pa_valid) {
    fprintf(f, " pa=0x%013" PRIx64, res->pa);
    if (res->status == PG_ST_OK && a->op != PG_OP_STORE)
      fprintf(f, " data=0x%0*" PRIx64, (int)(2 * a->size), res->data);
    if (a->op == PG_OP_STORE)
      fprintf(f, " wrote=0x%0*" PRIx64, (int)(2 * a->size), a->wdata);
  }
  fprintf(f, "  %s%s cycles=%" PRIu64 "%s\n",
          res->l1_hit   ? "tlb"
          : res->l2_hit ? "l2"
          : res->walked ? "walk"
                        : "-",
          "", cycles, extra ? extra : "");
  if (r->o->log) {
    FILE *l = r->o->log;
    fprintf(l, "{\"n\":%u,\"op\":\"%s\",\"priv\":\"%c\",\"va\":\"0x%" PRIx64 "\",", r->n_access, op,
            a->user ? 'u' : 's', a->va);
    if (res->pa_valid)
      fprintf(l, "\"pa\":\"0x%" PRIx64 "\",", res->pa);
    else
      fprintf(l, "\"pa\":null,");
    if (res->status == PG_ST_OK && a->op != PG_OP_STORE)
      fprintf(l, "\"data\":\"0x%" PRIx64 "\",", res->data);
    else if (res->status == PG_ST_OK)
      fprintf(l, "\"data\":\"0x%" PRIx64 "\",", a->wdata);
    else
      fprintf(l, "\"data\":null,");
    fprintf(l, "\"status\":\"%s\",\"err\":%u,", pg_status_name(res->status), res->err);
    if (res->status == PG_ST_EPT)
      fprintf(l, "\"qual\":\"0x%" PRIx64 "\",\"gla\":\"0x%" PRIx64 "\",", res->qual, res->gla);
    if (res->status == PG_ST_EPT || res->status == PG_ST_EPTMC)
      fprintf(l, "\"gpa\":\"0x%" PRIx64 "\",", res->gpa);
    fprintf(l, "\"cycles\":%" PRIu64 "}\n", cycles);
  }
}

static void failed(run_t *r, const pg_cmd_t *c, const char *what, uint64_t want, uint64_t got) {
  r->n_failed++;
  fprintf(r->o->out, "%s:%u: FAILED %s: expected 0x%" PRIx64 ", got 0x%" PRIx64 "\n", r->t->name,
          c->line, what, want, got);
}

static void failed_status(run_t *r, const pg_cmd_t *c, pg_status_t want, pg_status_t got) {
  r->n_failed++;
  fprintf(r->o->out, "%s:%u: FAILED status: expected %s, got %s\n", r->t->name, c->line,
          pg_status_name(want), pg_status_name(got));
}

/* One expectation of a value: when SET, GOT must be valid and equal WANT. */
static void expect_equal(run_t *r, const pg_cmd_t *c, int set, const char *what, uint64_t want,
                         uint64_t got, int got_valid) {
  if (!set)
    return;
  r->n_expect++;
  if (!got_valid || got != want)
    failed(r, c, what, want, got);
}

static void check_access(run_t *r, const pg_cmd_t *c, const pg_result_t *res) {
  const pg_expect_t *e = &c->exp;
  if (e->status_set) {
    r->n_expect++;
    if (res->status != e->status) {
      failed_status(r, c, e->status, res->status);
      return;
    }
  }
  expect_equal(r, c, e->err_set, "expect.err", e->err, res->err, 1);
  expect_equal(r, c, e->pa_set, "expect.pa", e->pa, res->pa, res->pa_valid);
  expect_equal(r, c, e->data_set, "expect.data", e->data, res->data, 1);
  expect_equal(r, c, e->qual_set, "expect.qual", e->qual, res->qual, 1);
  expect_equal(r, c, e->gpa_set, "expect.gpa", e->gpa, res->gpa, 1);
  expect_equal(r, c, e->gla_set, "expect.gla", e->gla, res->gla, 1);
}

static void run_access(run_t *r, const pg_cmd_t *c) {
  pg_result_t res;
  uint64_t cycles = 0;
  r->n_access++;
  if (r->tg->access(r->tg->ctx, &c->acc, &res, &cycles))
    r->n_mismatch++;
  if (r->o->report)
    pg_report_access(r->o->report, &c->acc, &res, cycles);
  report(r, pg_op_name(c->acc.op), &c->acc, &res, cycles, NULL);
  check_access(r, c, &res);
}

static void run_poll(run_t *r, const pg_cmd_t *c) {
  uint64_t spent = 0, tries = 0;
  pg_result_t res;
  r->n_access++;
  r->n_expect++;
  for (;;) {
    uint64_t cycles = 0;
    tries++;
    if (r->tg->access(r->tg->ctx, &c->acc, &res, &cycles))
      r->n_mismatch++;
    spent += cycles ? cycles : 1;
    if (res.status != PG_ST_OK || (res.data & c->mask) == c->value || spent >= c->max)
      break;
  }
  char extra[64];
  snprintf(extra, sizeof extra, " tries=%" PRIu64, tries);
  if (r->o->report)
    pg_report_access(r->o->report, &c->acc, &res, spent);
  report(r, "poll", &c->acc, &res, spent, extra);
  if (res.status != PG_ST_OK)
    failed_status(r, c, PG_ST_OK, res.status);
  else if ((res.data & c->mask) != c->value)
    failed(r, c, "poll (data & mask) after max cycles", c->value, res.data & c->mask);
}

int pg_run_trace(const pg_trace_t *t, const pg_target_t *tg, const pg_run_opts_t *o) {
  run_t r = {.t = t, .tg = tg, .o = o};
  for (size_t i = 0; i < t->n; i++) {
    const pg_cmd_t *c = &t->cmds[i];
    switch (c->kind) {
    case PG_CMD_PHYS_WRITE:
      tg->phys_write(tg->ctx, c->pa, c->value, c->size);
      break;
    case PG_CMD_PHYS_CHECK: {
      uint64_t got = tg->phys_read(tg->ctx, c->pa, c->size);
      r.n_expect++;
      if (got != c->value) {
        char what[64];
        snprintf(what, sizeof what, "phys.check 0x%" PRIx64, c->pa);
        failed(&r, c, what, c->value, got);
      }
      break;
    }
    case PG_CMD_CTL:
      for (unsigned k = 0; k < c->nctl; k++)
        tg->ctl(tg->ctx, c->ctl_field[k], c->ctl_value[k]);
      break;
    case PG_CMD_ACCESS:
      run_access(&r, c);
      break;
    case PG_CMD_INVLPG:
      tg->invlpg(tg->ctx, c->va);
      break;
    case PG_CMD_INVPCID:
      tg->invpcid(tg->ctx, c->inv_type, c->pcid, c->va);
      break;
    case PG_CMD_INVEPT:
      tg->invept(tg->ctx, c->inv_type, c->eptp);
      break;
    case PG_CMD_INVVPID:
      tg->invvpid(tg->ctx, c->inv_type, c->vpid, c->va);
      break;
    case PG_CMD_POLL:
      run_poll(&r, c);
      break;
    case PG_CMD_WAIT:
      tg->wait(tg->ctx, c->max);
      break;
    }
  }
  if (tg->finish && tg->finish(tg->ctx))
    r.n_mismatch++;
  fprintf(o->out, "--- counters (%s) ---\n", tg->name);
  pg_counters_print(o->out, tg->counters(tg->ctx));
  int pass = r.n_failed == 0 && r.n_mismatch == 0;
  fprintf(o->out, "%s %s: %u accesses, %u expectations, %u failed, %u mismatches\n",
          pass ? "PASS" : "FAIL", t->name, r.n_access, r.n_expect, r.n_failed, r.n_mismatch);
  return pass ? 0 : 1;
}

/* ---- the golden model as a target -------------------------------------- */

static void g_ctl(void *ctx, pg_ctl_field_t f, uint64_t v) {
  pg_model_write_ctl(ctx, f, v);
}
static void g_invlpg(void *ctx, uint64_t va) {
  pg_model_invlpg(ctx, va);
}
static void g_invpcid(void *ctx, unsigned type, uint16_t pcid, uint64_t va) {
  pg_model_invpcid(ctx, type, pcid, va);
}
static void g_invept(void *ctx, unsigned type, uint64_t eptp) {
  pg_model_invept(ctx, type, eptp);
}
static void g_invvpid(void *ctx, unsigned type, uint16_t vpid, uint64_t va) {
  pg_model_invvpid(ctx, type, vpid, va);
}
static int g_access(void *ctx, const pg_access_t *a, pg_result_t *r, uint64_t *cycles) {
  pg_model_access(ctx, a, r);
  *cycles = 1; /* golden-only time is counted in accesses */
  return 0;
}
static void g_phys_write(void *ctx, uint64_t pa, uint64_t v, unsigned size) {
  pg_mem_write(pg_model_mem(ctx), pa, v, size);
}
static uint64_t g_phys_read(void *ctx, uint64_t pa, unsigned size) {
  return pg_mem_read(pg_model_mem(ctx), pa, size);
}
static void g_wait(void *ctx, uint64_t cycles) {
  pg_model_wait(ctx, cycles);
}
static uint64_t g_cr2(void *ctx) {
  return pg_model_cr2(ctx);
}
static const pg_counters_t *g_counters(void *ctx) {
  return pg_model_counters(ctx);
}

pg_target_t pg_golden_target(pg_model_t *m) {
  return (pg_target_t){.name = "golden",
                       .ctl = g_ctl,
                       .invlpg = g_invlpg,
                       .invpcid = g_invpcid,
                       .invept = g_invept,
                       .invvpid = g_invvpid,
                       .access = g_access,
                       .phys_write = g_phys_write,
                       .phys_read = g_phys_read,
                       .wait = g_wait,
                       .cr2 = g_cr2,
                       .counters = g_counters,
                       .ctx = m};
}

/* ---- sw/os on a target ------------------------------------------------------ */

static uint64_t tp_read64(void *ctx, uint64_t pa) {
  const pg_target_t *tg = ctx;
  return tg->phys_read(tg->ctx, pa, 8);
}

static void tp_write64(void *ctx, uint64_t pa, uint64_t v) {
  const pg_target_t *tg = ctx;
  tg->phys_write(tg->ctx, pa, v, 8);
}

os_phys_t pg_target_phys(const pg_target_t *tg) {
  return (os_phys_t){tp_read64, tp_write64, (void *)tg};
}

/* Registers through the CPU: a supervisor 8-byte load or store at the
 * physical address used as a virtual one (the caller maps the device windows
 * one to one). */
static int tm_access(const pg_target_t *tg, pg_op_t op, uint64_t pa, uint64_t *v) {
  pg_access_t a = {.op = op, .size = 8, .va = pa, .wdata = op == PG_OP_STORE ? *v : 0};
  pg_result_t r;
  uint64_t cycles;
  tg->access(tg->ctx, &a, &r, &cycles); /* a lockstep target counts its mismatches */
  if (op == PG_OP_LOAD)
    *v = r.data;
  return r.status != PG_ST_OK;
}
static int tm_read(void *ctx, uint64_t pa, uint64_t *v) {
  return tm_access(ctx, PG_OP_LOAD, pa, v);
}
static int tm_write(void *ctx, uint64_t pa, uint64_t v) {
  return tm_access(ctx, PG_OP_STORE, pa, &v);
}

os_mmio_t pg_target_mmio(const pg_target_t *tg) {
  return (os_mmio_t){tm_read, tm_write, (void *)tg};
}

int pg_io_kernel_init(pg_io_kernel_t *k, const pg_target_t *tg) {
  os_frames_init(&k->fr, pg_target_phys(tg), 0x100000, 0x40000000);
  int bad = os_as_init(&k->cpu, &k->fr) != OS_OK;
  bad |= os_map_device_windows(&k->cpu) != OS_OK;
  tg->ctl(tg->ctx, PG_CTL_CR3, os_as_cr3(&k->cpu, 0));
  k->mmio = pg_target_mmio(tg);
  bad |= os_iommu_init(&k->io, k->mmio, &k->fr, 8, 4, 4, 1) != OS_OK;
  return bad;
}

void pg_io_kernel_free(pg_io_kernel_t *k) {
  os_frames_destroy(&k->fr);
}
