/* SPDX-License-Identifier: MIT */
/* pg_dram_dev.c — DRAM device model and JEDEC checker (SPEC §6). */
#include "pg_dram_dev.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define NEVER     (INT64_MIN / 4) /* a time long before anything */
#define MAX_READS 64              /* reads in flight on the data bus */

typedef struct {
  int open;
  unsigned row;
  int64_t act, rd, wr;  /* last ACT / RD / WR to this bank */
  int64_t pre;          /* when the last precharge began (PRE, PREA, auto): for an
                           auto-precharge still scheduled, a time to come */
  const char *pre_rule; /* the rule that names pre->ACT */
} bank_t;

typedef struct {
  uint64_t due;
  uint64_t data[8];
} read_t;

struct pg_dram_dev {
  pg_dram_cfg_t c;
  pg_mem_t *store;
  bank_t b[PG_DRAM_MAX_BANKS];
  int64_t rd_bg[PG_DRAM_MAX_BANKS], wr_bg[PG_DRAM_MAX_BANKS]; /* per bank group */
  int64_t act_bg[PG_DRAM_MAX_BANKS];
  int64_t faw[4]; /* the last four ACTs, oldest at faw_i */
  unsigned faw_i;
  int64_t ref; /* last REF */
  uint64_t refs;
  read_t rq[MAX_READS];
  unsigned rq_head, rq_n;
  uint64_t violations;
  char first[256], last_rule[48];
  FILE *report;
  pg_dram_dev_stats_t st;
};

pg_dram_dev_t *pg_dram_dev_new(const pg_dram_cfg_t *c, pg_mem_t *store) {
  pg_dram_dev_t *d = calloc(1, sizeof *d);
  if (!d)
    return NULL;
  d->c = *c;
  d->store = store;
  for (unsigned i = 0; i < PG_DRAM_MAX_BANKS; i++) {
    d->b[i] = (bank_t){0, 0, NEVER, NEVER, NEVER, NEVER, "tRP"};
    d->rd_bg[i] = d->wr_bg[i] = d->act_bg[i] = NEVER;
  }
  for (unsigned i = 0; i < 4; i++)
    d->faw[i] = NEVER;
  d->ref = NEVER;
  return d;
}

void pg_dram_dev_free(pg_dram_dev_t *d) {
  free(d);
}

void pg_dram_dev_report_to(pg_dram_dev_t *d, FILE *f) {
  d->report = f;
}

/* PREA and REF address the whole rank: their bank, row and column mean nothing. */
static int rank_cmd(const pg_dram_cmd_t *c) {
  return c->kind == PG_DCMD_PREA || c->kind == PG_DCMD_REF;
}

const char *pg_dram_cmd_name(const pg_dram_cmd_t *c) {
  switch (c->kind) {
  case PG_DCMD_ACT:
    return "activate";
  case PG_DCMD_RD:
    return c->ap ? "read_p" : "read";
  case PG_DCMD_WR:
    return c->ap ? "write_p" : "write";
  case PG_DCMD_PRE:
    return "precharge";
  case PG_DCMD_PREA:
    return "prechargeall";
  case PG_DCMD_REF:
    return "refresh";
  default:
    return "nop";
  }
}

void pg_dram_cmd_trace_line(FILE *f, const pg_dram_cfg_t *c, uint64_t cycle,
                            const pg_dram_cmd_t *cmd) {
  int rank = rank_cmd(cmd);
  unsigned bank = rank ? 0 : cmd->bank, row = rank ? 0 : cmd->row, col = rank ? 0 : cmd->col;
  fprintf(f, "%-18" PRIu64 " %10s %2u %2u %2u %2u %6x %6x\n", cycle, pg_dram_cmd_name(cmd), 0u, 0u,
          bank / c->banks_per_group, bank % c->banks_per_group, row, col);
}

/* ---- the checker ------------------------------------------------------------- */

static void violation(pg_dram_dev_t *d, uint64_t cycle, const pg_dram_cmd_t *cmd, const char *rule,
                      const char *fmt, ...) {
  char what[160];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(what, sizeof what, fmt, ap);
  va_end(ap);
  char msg[256];
  if (cmd->kind == PG_DCMD_NOP) /* a rule of the device's own (refresh rate, data bus) */
    snprintf(msg, sizeof msg, "cycle %" PRIu64 ": %s: %s", cycle, rule, what);
  else if (rank_cmd(cmd)) /* its bank, row and column mean nothing */
    snprintf(msg, sizeof msg, "cycle %" PRIu64 ": %s breaks %s: %s", cycle, pg_dram_cmd_name(cmd),
             rule, what);
  else
    snprintf(msg, sizeof msg, "cycle %" PRIu64 ": %s bank %u row 0x%x col 0x%x breaks %s: %s",
             cycle, pg_dram_cmd_name(cmd), cmd->bank, cmd->row, cmd->col, rule, what);
  if (!d->violations++)
    snprintf(d->first, sizeof d->first, "%s", msg);
  snprintf(d->last_rule, sizeof d->last_rule, "%s", rule);
  if (d->report)
    fprintf(d->report, "JEDEC violation: %s\n", msg);
}

/* A rule "at least NEED cycles from the event at SINCE (named WHAT)". */
static int gap(pg_dram_dev_t *d, uint64_t t, const pg_dram_cmd_t *cmd, const char *rule,
               int64_t since, unsigned need, const char *what) {
  if (since == NEVER || (int64_t)t - since >= (int64_t)need)
    return 0;
  violation(d, t, cmd, rule, "needs %u cycles after the %s at cycle %" PRId64 ", has %" PRId64,
            need, what, since, (int64_t)t - since);
  return 1;
}

static unsigned group_of(const pg_dram_dev_t *d, unsigned bank) {
  return bank / d->c.banks_per_group;
}

/* Largest of the per-bank-group times, with the rule for same / other group. */
static int gap_groups(pg_dram_dev_t *d, uint64_t t, const pg_dram_cmd_t *cmd, const int64_t *per,
                      const char *rule_l, unsigned need_l, const char *rule_s, unsigned need_s,
                      const char *what) {
  int bad = 0;
  unsigned g = group_of(d, cmd->bank);
  for (unsigned i = 0; i < d->c.bankgroups && !bad; i++)
    bad = i == g ? gap(d, t, cmd, rule_l, per[i], need_l, what)
                 : gap(d, t, cmd, rule_s, per[i], need_s, what);
  return bad;
}

static int check_refreshing(pg_dram_dev_t *d, uint64_t t, const pg_dram_cmd_t *cmd) {
  return gap(d, t, cmd, "tRFC", d->ref, d->c.tRFC, "refresh");
}

static int check_column(pg_dram_dev_t *d, uint64_t t, const pg_dram_cmd_t *cmd) {
  bank_t *b = &d->b[cmd->bank];
  if (!b->open) {
    violation(d, t, cmd, "bank state", "the bank is closed");
    return 1;
  }
  if (b->row != cmd->row) {
    violation(d, t, cmd, "bank state", "row 0x%x is open", b->row);
    return 1;
  }
  if (check_refreshing(d, t, cmd) || gap(d, t, cmd, "tRCD", b->act, d->c.tRCD, "activate"))
    return 1;
  if (cmd->kind == PG_DCMD_RD)
    return gap_groups(d, t, cmd, d->rd_bg, "tCCD_L", d->c.tCCD_L, "tCCD_S", d->c.tCCD_S, "read") ||
           gap_groups(d, t, cmd, d->wr_bg, "WR->RD (CWL+BL/2+tWTR_L)", pg_dram_wr_to_rd(&d->c, 1),
                      "WR->RD (CWL+BL/2+tWTR_S)", pg_dram_wr_to_rd(&d->c, 0), "write");
  return gap_groups(d, t, cmd, d->wr_bg, "tCCD_L", d->c.tCCD_L, "tCCD_S", d->c.tCCD_S, "write") ||
         gap_groups(d, t, cmd, d->rd_bg, "RD->WR (CL+BL/2+2-CWL)", pg_dram_rd_to_wr(&d->c),
                    "RD->WR (CL+BL/2+2-CWL)", pg_dram_rd_to_wr(&d->c), "read");
}

/* The rules for precharging bank B (PRE, and each bank of PREA). */
static int check_precharge(pg_dram_dev_t *d, uint64_t t, const pg_dram_cmd_t *cmd, unsigned bank) {
  const bank_t *b = &d->b[bank];
  if (!b->open && b->pre > (int64_t)t) {
    /* JEDEC: after RD/WR with auto-precharge no command may address the
     * bank until its precharge has begun (Micron's model: "Precharge
     * Failure. Auto Precharge is scheduled to bank"). */
    violation(d, t, cmd, "auto-precharge pending", "bank %u precharges by itself at cycle %" PRId64,
              bank, b->pre);
    return 1;
  }
  if (!b->open)
    return 0; /* precharging an idle bank is a legal no-op */
  return gap(d, t, cmd, "tRAS", b->act, d->c.tRAS, "activate") ||
         gap(d, t, cmd, "tRTP", b->rd, d->c.tRTP, "read") ||
         gap(d, t, cmd, "WR->PRE (CWL+BL/2+tWR)", b->wr, pg_dram_wr_to_pre(&d->c), "write");
}

static void close_bank(pg_dram_dev_t *d, unsigned bank, int64_t when, const char *rule) {
  bank_t *b = &d->b[bank];
  if (!b->open)
    return;
  b->open = 0;
  b->pre = when;
  b->pre_rule = rule;
  d->st.precharges++;
}

static uint64_t line_of(const pg_dram_dev_t *d, const pg_dram_cmd_t *cmd) {
  return pg_dram_unmap(&d->c, cmd->bank, cmd->row, cmd->col);
}

int pg_dram_dev_command(pg_dram_dev_t *d, uint64_t t, const pg_dram_cmd_t *cmd) {
  uint64_t before = d->violations;
  const pg_dram_cfg_t *c = &d->c;
  if (cmd->kind == PG_DCMD_NOP)
    return 0;
  if (!rank_cmd(cmd) &&
      (cmd->bank >= c->banks || cmd->row >= c->rows || cmd->col >= c->columns / c->BL)) {
    violation(d, t, cmd, "address", "no such bank, row or column");
    return 1;
  }
  bank_t *b = &d->b[cmd->bank];
  unsigned g = group_of(d, cmd->bank);
  switch (cmd->kind) {
  case PG_DCMD_ACT: {
    if (b->open) {
      violation(d, t, cmd, "bank state", "the bank is already open (row 0x%x)", b->row);
      break;
    }
    (void)(check_refreshing(d, t, cmd) || gap(d, t, cmd, "tRC", b->act, c->tRC, "activate") ||
           gap(d, t, cmd, b->pre_rule, b->pre, c->tRP, "precharge") ||
           gap_groups(d, t, cmd, d->act_bg, "tRRD_L", c->tRRD_L, "tRRD_S", c->tRRD_S, "activate") ||
           gap(d, t, cmd, "tFAW", d->faw[d->faw_i], c->tFAW, "fourth-last activate"));
    b->open = 1;
    b->row = cmd->row;
    b->act = (int64_t)t;
    d->act_bg[g] = (int64_t)t;
    d->faw[d->faw_i] = (int64_t)t;
    d->faw_i = (d->faw_i + 1) % 4;
    d->st.activates++;
    break;
  }
  case PG_DCMD_RD:
  case PG_DCMD_WR: {
    int bad = check_column(d, t, cmd);
    uint64_t line = line_of(d, cmd);
    if (cmd->kind == PG_DCMD_RD) {
      if (d->rq_n == MAX_READS) {
        violation(d, t, cmd, "data bus", "more than %d reads in flight", MAX_READS);
        break;
      }
      read_t *r = &d->rq[(d->rq_head + d->rq_n++) % MAX_READS];
      r->due = t + c->CL + c->BL / 2;
      pg_mem_read_bytes(d->store, line, (uint8_t *)r->data, 64);
      b->rd = (int64_t)t;
      d->rd_bg[g] = (int64_t)t;
      d->st.reads++;
    } else {
      pg_mem_write_line(d->store, line, cmd->wdata, cmd->mask);
      b->wr = (int64_t)t;
      d->wr_bg[g] = (int64_t)t;
      d->st.writes++;
    }
    d->st.busy_cycles += c->BL / 2;
    if (cmd->ap && !bad) {
      /* JEDEC (AL = 0): the bank precharges by itself at the later of
       * ACT + tRAS and RDA + tRTP (WRA + CWL + BL/2 + tWR); until then it
       * takes no command (PRE, PREA: check_precharge), then it needs tRP
       * before the next ACT or REF. */
      int64_t at =
          cmd->kind == PG_DCMD_RD ? (int64_t)t + c->tRTP : (int64_t)t + pg_dram_wr_to_pre(c);
      if (b->act + (int64_t)c->tRAS > at)
        at = b->act + (int64_t)c->tRAS;
      close_bank(d, cmd->bank, at,
                 cmd->kind == PG_DCMD_RD
                     ? "read_p auto-precharge (max(tRAS, tRTP) + tRP)"
                     : "write_p auto-precharge (max(tRAS, CWL+BL/2+tWR) + tRP)");
    }
    break;
  }
  case PG_DCMD_PRE:
    if (!check_refreshing(d, t, cmd))
      check_precharge(d, t, cmd, cmd->bank);
    close_bank(d, cmd->bank, (int64_t)t, "tRP");
    break;
  case PG_DCMD_PREA:
    if (!check_refreshing(d, t, cmd))
      for (unsigned i = 0; i < c->banks; i++)
        if (check_precharge(d, t, cmd, i))
          break;
    for (unsigned i = 0; i < c->banks; i++)
      close_bank(d, i, (int64_t)t, "tRP");
    break;
  case PG_DCMD_REF: {
    int bad = check_refreshing(d, t, cmd);
    for (unsigned i = 0; i < c->banks && !bad; i++) {
      if (d->b[i].open) {
        violation(d, t, cmd, "bank state", "REF needs every bank precharged; bank %u is open", i);
        bad = 1;
      } else {
        bad = gap(d, t, cmd, d->b[i].pre_rule, d->b[i].pre, c->tRP, "precharge");
      }
    }
    d->ref = (int64_t)t;
    d->refs++;
    d->st.refreshes++;
    break;
  }
  default:
    violation(d, t, cmd, "command", "unknown command %d", (int)cmd->kind);
    break;
  }
  return d->violations != before;
}

int pg_dram_dev_tick(pg_dram_dev_t *d, uint64_t cycle, uint64_t data[8]) {
  /* JEDEC: at most 8 refreshes postponed, at most 8 pulled in. */
  int64_t owed = (int64_t)(cycle / d->c.tREFI) - (int64_t)d->refs;
  if (owed > 8 || owed < -8) {
    pg_dram_cmd_t none = {0};
    violation(d, cycle, &none, "refresh rate", "%" PRId64 " refreshes %s (at most 8 may be)",
              owed > 0 ? owed : -owed, owed > 0 ? "postponed" : "pulled in");
    d->refs = (uint64_t)((int64_t)d->refs + owed); /* report it once */
  }
  if (d->rq_n && d->rq[d->rq_head].due <= cycle) {
    read_t *r = &d->rq[d->rq_head];
    int late = r->due < cycle;
    memcpy(data, r->data, sizeof r->data);
    d->rq_head = (d->rq_head + 1) % MAX_READS;
    d->rq_n--;
    if (late) {
      pg_dram_cmd_t none = {0};
      violation(d, cycle, &none, "data bus", "read data not taken on its cycle");
    }
    return 1;
  }
  return 0;
}

uint64_t pg_dram_dev_violations(const pg_dram_dev_t *d) {
  return d->violations;
}

const char *pg_dram_dev_first_error(const pg_dram_dev_t *d) {
  return d->first;
}

const char *pg_dram_dev_last_rule(const pg_dram_dev_t *d) {
  return d->last_rule;
}

const pg_dram_dev_stats_t *pg_dram_dev_stats(const pg_dram_dev_t *d) {
  return &d->st;
}
