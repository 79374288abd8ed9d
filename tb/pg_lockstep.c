/* SPDX-License-Identifier: MIT */
/* pg_lockstep.c — RTL and golden model in lockstep, as a pg_target_t.
 *
 * Owns: driving the Verilated MMU (through pg_vshim) one access at a time,
 * its memory — either an ideal, pipelined, fixed-latency memory answering the
 * MMU's line port from a C copy of physical memory, or the whole system
 * (bus decoder, DRAM controller) with the C DRAM device model and its JEDEC
 * checker on the command bus — and the comparison of every result
 * with the golden model's: status, PA, data, error code, fault kind, CR2,
 * where the translation came from, the bytes the MMU wrote, and at the end
 * the predicted counters and all of memory.
 *
 * Devices (the system only): the golden model runs a DMA or a command queue
 * to its end inside the register write that starts it; here the RTL's
 * devices are then clocked until they are idle before the next CPU access
 * (the in-order configuration), and all of memory is compared with the
 * golden model's right after. */
#include "pg_lockstep.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pg_bus.h"
#include "pg_dram_dev.h"
#include "pg_hw.h"
#include "pg_rng.h"
#include "pg_vshim.h"

#define MAX_LAT    64
#define MAX_WRITES 64
#define IO_TIMEOUT 50000000u /* cycles a DMA or a command queue may take */

typedef struct {
  uint64_t due;
  uint8_t id, err;
  uint64_t data[PGV_LINE_WORDS];
} mem_rsp_t;

struct pg_lockstep {
  pg_lockstep_opts_t o;
  pg_model_t *golden;
  pgv_t *v;
  pg_mem_t *mem; /* memory as the MMU's line port wrote it (and the ideal memory) */
  /* the system: the DRAM device model, its contents, writes the controller took */
  pg_dram_dev_t *dev;
  pg_mem_t *dram_store;
  uint64_t ram_writes;
  uint64_t io_checks; /* memory comparisons after device activity */
  /* the NIC engine's translations: cycles from taken to answered */
  uint64_t xlat_taken_at, xlat_cycles, xlat_n;
  pgv_in_t in;
  pgv_out_t out;
  mem_rsp_t rsp[MAX_LAT + 1];
  unsigned rsp_head, rsp_n;
  uint64_t stall_rng;                /* the ideal memory's back-pressure */
  unsigned stall_left;               /* cycles it stays not ready */
  uint64_t written[MAX_WRITES];      /* lines the MMU wrote during this access */
  uint64_t written_mask[MAX_WRITES]; /* and their byte masks */
  unsigned n_written;
  unsigned mismatches;
  uint64_t n_access;
  /* An operation to present while the next access is in flight. */
  int conc_armed;
  uint8_t conc_kind, conc_field;
  uint16_t conc_pcid;
  uint64_t conc_value;
  unsigned conc_delay;
  int background; /* devices run beside the accesses (pg_lockstep_background) */
  pg_counters_t rtl_counters;
};

/* ---- one clock cycle, with the memory ---------------------------------- */

/* A write the MMU's port made to RAM: into the port's view of memory, and
 * noted for this access's check. */
static void port_wrote(pg_lockstep_t *s, uint64_t line) {
  pg_mem_write_line(s->mem, line, s->out.mem_req_wdata, s->out.mem_req_mask);
  if (s->n_written < MAX_WRITES) {
    s->written_mask[s->n_written] = s->out.mem_req_mask;
    s->written[s->n_written++] = line;
  }
}

/* One cycle of the whole system: the DRAM answers and checks the command
 * bus; the MMU's writes the bus takes are noted for the per-access check. */
static void cycle_system(pg_lockstep_t *s) {
  uint64_t now = pgv_time(s->v);
  s->in.rd_valid = (uint8_t)pg_dram_dev_tick(s->dev, now, s->in.rd_data);
  pgv_cycle(s->v, &s->in, &s->out);
  if (s->out.cmd != PG_DCMD_NOP) {
    pg_dram_cmd_t c = {(pg_dcmd_t)s->out.cmd, s->out.cmd_ap, s->out.cmd_bank, s->out.cmd_row,
                       s->out.cmd_col,        {0},           s->out.cmd_mask};
    memcpy(c.wdata, s->out.cmd_wdata, sizeof c.wdata);
    if (pg_dram_dev_command(s->dev, now, &c)) {
      fprintf(stdout, "MISMATCH DRAM timing: %s\n", pg_dram_dev_first_error(s->dev));
      s->mismatches++;
    }
  }
  if (s->out.mem_req_valid && s->out.mem_req_ready && s->out.mem_req_we &&
      pg_bus_decode(s->out.mem_req_addr) == PG_TARGET_RAM)
    port_wrote(s, s->out.mem_req_addr);
  s->ram_writes += s->out.dram_wr_take;
  if (s->out.nic_tr_done) {
    s->xlat_cycles += now + 1 - s->xlat_taken_at;
    s->xlat_n++;
  }
  if (s->out.nic_tr_take)
    s->xlat_taken_at = now + 1;
}

/* Lets every posted write reach the DRAM (the system), so that backdoor
 * accesses and final comparisons see memory in program order. */
static void drain(pg_lockstep_t *s) {
  for (unsigned i = 0; s->dev && i < s->o.timeout; i++) {
    if (pg_dram_dev_stats(s->dev)->writes == s->ram_writes)
      return;
    cycle_system(s);
  }
  if (s->dev) {
    fprintf(stdout, "MISMATCH: posted writes did not reach the DRAM within %u cycles\n",
            s->o.timeout);
    s->mismatches++;
  }
}

static void cycle(pg_lockstep_t *s) {
  if (s->dev) {
    cycle_system(s);
    return;
  }
  uint64_t now = pgv_time(s->v);
  if (!s->stall_left && s->o.backpressure && pg_rng_chance(&s->stall_rng, s->o.backpressure))
    s->stall_left = 1 + (unsigned)pg_rng_below(&s->stall_rng, 16);
  s->in.mem_req_ready = !s->stall_left;
  if (s->stall_left)
    s->stall_left--;
  s->in.mem_rsp_valid = 0;
  if (s->rsp_n && s->rsp[s->rsp_head].due <= now) {
    const mem_rsp_t *r = &s->rsp[s->rsp_head];
    s->in.mem_rsp_valid = 1;
    s->in.mem_rsp_id = r->id;
    s->in.mem_rsp_err = r->err;
    memcpy(s->in.mem_rsp_rdata, r->data, sizeof r->data);
  }
  pgv_cycle(s->v, &s->in, &s->out);
  if (s->in.mem_rsp_valid) {
    s->rsp_head = (s->rsp_head + 1) % (MAX_LAT + 1);
    s->rsp_n--;
  }
  if (s->out.mem_req_valid && s->in.mem_req_ready) {
    uint64_t line = s->out.mem_req_addr;
    /* no device registers yet: off RAM is a bus error */
    int ram = pg_bus_decode(line) == PG_TARGET_RAM;
    if (s->out.mem_req_we && ram) {
      port_wrote(s, line);
    } else {
      if (s->rsp_n > MAX_LAT) {
        fprintf(stderr, "lockstep: more reads in flight than the memory holds\n");
        abort();
      }
      mem_rsp_t *r = &s->rsp[(s->rsp_head + s->rsp_n) % (MAX_LAT + 1)];
      r->due = now + s->o.mem_latency;
      r->id = s->out.mem_req_id;
      r->err = !ram;
      memset(r->data, 0, sizeof r->data);
      if (ram)
        pg_mem_read_bytes(s->mem, line, (uint8_t *)r->data, LINE_BYTES);
      s->rsp_n++;
    }
  }
}

/* ---- the target's operations ---------------------------------------------- */

static void present_op(pg_lockstep_t *s, uint8_t kind, uint8_t field, uint16_t pcid,
                       uint64_t value) {
  s->in.ctl_valid = 1;
  s->in.ctl_kind = kind;
  s->in.ctl_field = field;
  s->in.ctl_pcid = pcid;
  s->in.ctl_value = value;
}

/* Presents an operation until the RTL takes it. */
static int op(pg_lockstep_t *s, uint8_t kind, uint8_t field, uint16_t pcid, uint64_t value) {
  present_op(s, kind, field, pcid, value);
  for (unsigned i = 0; i < s->o.timeout; i++) {
    cycle(s);
    if (s->out.ctl_ready) {
      s->in.ctl_valid = 0;
      return 0;
    }
  }
  s->in.ctl_valid = 0;
  fprintf(stdout, "MISMATCH: the RTL did not take a control operation within %u cycles\n",
          s->o.timeout);
  s->mismatches++;
  return 1;
}

/* The golden side of an operation. */
static void golden_op(pg_lockstep_t *s, uint8_t kind, uint8_t field, uint16_t pcid, uint64_t v) {
  if (kind == PGV_CTL_WRITE)
    pg_model_write_ctl(s->golden, (pg_ctl_field_t)field, v);
  else if (kind == PGV_CTL_INVLPG)
    pg_model_invlpg(s->golden, v);
  else if (kind == PGV_CTL_INVEPT)
    pg_model_invept(s->golden, field, v);
  else if (kind == PGV_CTL_INVVPID)
    pg_model_invvpid(s->golden, field, pcid, v);
  else
    pg_model_invpcid(s->golden, field, pcid, v);
}

/* An operation on both sides, between accesses. */
static void both_op(pg_lockstep_t *s, uint8_t kind, uint8_t field, uint16_t pcid, uint64_t v) {
  golden_op(s, kind, field, pcid, v);
  op(s, kind, field, pcid, v);
}

static void t_ctl(void *ctx, pg_ctl_field_t f, uint64_t value) {
  both_op(ctx, PGV_CTL_WRITE, (uint8_t)f, 0, value);
}

static void t_invlpg(void *ctx, uint64_t va) {
  both_op(ctx, PGV_CTL_INVLPG, 0, 0, va);
}

static void t_invpcid(void *ctx, unsigned type, uint16_t pcid, uint64_t va) {
  both_op(ctx, PGV_CTL_INVPCID, (uint8_t)type, pcid, va);
}

static void t_invept(void *ctx, unsigned type, uint64_t eptp) {
  both_op(ctx, PGV_CTL_INVEPT, (uint8_t)type, 0, eptp);
}

static void t_invvpid(void *ctx, unsigned type, uint16_t vpid, uint64_t va) {
  both_op(ctx, PGV_CTL_INVVPID, (uint8_t)type, vpid, va);
}

static unsigned log2_size(unsigned size) {
  return size == 1 ? 0 : size == 2 ? 1 : size == 4 ? 2 : 3;
}

static void present_req(pg_lockstep_t *s, const pg_access_t *a) {
  s->in.req_valid = 1;
  s->in.req_op = (uint8_t)a->op;
  s->in.req_user = a->user;
  s->in.req_ac = a->ac;
  s->in.req_size = (uint8_t)log2_size(a->size);
  s->in.req_va = a->va;
  s->in.req_wdata = a->wdata;
}

#define CHECK(field, rtl, gold)                                                                    \
  do {                                                                                             \
    if ((uint64_t)(rtl) != (uint64_t)(gold)) {                                                     \
      fprintf(stdout,                                                                              \
              "MISMATCH access %" PRIu64 " (%s %c 0x%" PRIx64 ") cycle %" PRIu64                   \
              ": %s rtl=0x%" PRIx64 " golden=0x%" PRIx64 "\n",                                     \
              s->n_access, pg_op_name(a->op), a->user ? 'u' : 's', a->va, pgv_time(s->v), field,   \
              (uint64_t)(rtl), (uint64_t)(gold));                                                  \
      bad++;                                                                                       \
    }                                                                                              \
  } while (0)

/* The RTL's response RSP to access A as a pg_result_t (into R), checked
 * field by field against the golden model's G: status, PA, data, the fault
 * (error code, kind, level) and where the translation came from. The one
 * check of a response, for single accesses and for streams alike. Returns
 * the number of fields that differ. */
static int check_result(pg_lockstep_t *s, const pg_access_t *a, const pg_result_t *gp,
                        const pgv_out_t *rsp, pg_result_t *r) {
  const pg_result_t g = *gp;
  int bad = 0;
  memset(r, 0, sizeof *r);
  r->status = (pg_status_t)rsp->rsp_status;
  r->pa_valid = rsp->rsp_pa_valid;
  r->pa = rsp->rsp_pa;
  r->data = rsp->rsp_data;
  r->err = rsp->rsp_err;
  r->pf_kind = (pg_pf_kind_t)rsp->rsp_pf_kind;
  r->pf_level = rsp->rsp_pf_level;
  r->l1_hit = rsp->rsp_source & 1;
  r->l2_hit = (rsp->rsp_source >> 1) & 1;
  r->walked = (rsp->rsp_source >> 2) & 1;
  if (r->status == PG_ST_EPT) {
    r->qual = rsp->rsp_qual;
    r->gla = a->va; /* the access's own address: the MMU keeps it */
  }
  if (r->status == PG_ST_EPT || r->status == PG_ST_EPTMC)
    r->gpa = rsp->rsp_gpa;
  CHECK("status", r->status, g.status);
  CHECK("pa_valid", r->pa_valid, g.pa_valid);
  if (g.pa_valid)
    CHECK("pa", r->pa, g.pa);
  if (g.status == PG_ST_OK && a->op != PG_OP_STORE)
    CHECK("data", r->data, g.data);
  if (g.status == PG_ST_PF) {
    CHECK("err", r->err, g.err);
    CHECK("pf_kind", r->pf_kind, g.pf_kind);
    CHECK("pf_level", r->pf_level, g.pf_level);
  }
  if (g.status == PG_ST_EPT)
    CHECK("qual", r->qual, g.qual);
  if (g.status == PG_ST_EPT || g.status == PG_ST_EPTMC)
    CHECK("gpa", r->gpa, g.gpa);
  if (g.status != PG_ST_GP) {
    CHECK("l1_hit", r->l1_hit, g.l1_hit);
    CHECK("l2_hit", r->l2_hit, g.l2_hit);
    CHECK("walked", r->walked, g.walked);
  }
  return bad;
}

void pg_lockstep_concurrent_op(pg_lockstep_t *s, unsigned kind, unsigned field, uint16_t pcid,
                               uint64_t value, unsigned delay) {
  s->conc_armed = 1;
  s->conc_kind = (uint8_t)kind;
  s->conc_field = (uint8_t)field;
  s->conc_pcid = pcid;
  s->conc_value = value;
  s->conc_delay = delay;
}

/* Clocks the system until its devices are idle. Returns 1 when they were
 * busy (a DMA or commands ran), 0 when there was nothing to wait for. */
static int wait_io_idle(pg_lockstep_t *s) {
  if (!s->dev || !s->out.io_busy)
    return 0;
  for (uint64_t i = 0; i < IO_TIMEOUT && s->out.io_busy; i++)
    cycle(s);
  if (s->out.io_busy) {
    fprintf(stdout, "MISMATCH: the devices were still busy after %u cycles\n", IO_TIMEOUT);
    s->mismatches++;
  }
  return 1;
}

/* All of memory against the golden model's: the DRAM's contents (the
 * system, where devices write too), else the ideal memory as the MMU wrote
 * it. Prints the first difference. */
static int memory_differs(pg_lockstep_t *s, const char *when) {
  pg_mem_t *rtl = s->dram_store ? s->dram_store : s->mem;
  uint64_t diff;
  drain(s);
  if (pg_mem_equal(rtl, pg_model_mem(s->golden), &diff))
    return 0;
  diff &= ~7ull;
  fprintf(stdout,
          "MISMATCH %s %s (access %" PRIu64 ") first differs at 0x%" PRIx64 ": rtl=0x%" PRIx64
          " golden=0x%" PRIx64 "\n",
          s->dram_store ? "DRAM contents" : "memory", when, s->n_access, diff,
          pg_mem_read(rtl, diff, 8), pg_mem_read(pg_model_mem(s->golden), diff, 8));
  return 1;
}

static int t_access(void *ctx, const pg_access_t *a, pg_result_t *r, uint64_t *cycles) {
  pg_lockstep_t *s = ctx;
  pg_result_t g;
  int bad = 0;
  s->n_access++;
  pg_model_access(s->golden, a, &g);
  int conc = s->conc_armed, conc_sent = 0;
  s->conc_armed = 0;
  uint64_t accepted_at = UINT64_MAX;

  s->n_written = 0;
  present_req(s, a);
  uint64_t start = pgv_time(s->v);
  int answered = 0;
  for (unsigned i = 0; i < s->o.timeout && !answered; i++) {
    if (conc && !conc_sent && accepted_at != UINT64_MAX &&
        pgv_time(s->v) >= accepted_at + s->conc_delay)
      present_op(s, s->conc_kind, s->conc_field, s->conc_pcid, s->conc_value);
    cycle(s);
    if (s->in.ctl_valid && s->out.ctl_ready) {
      s->in.ctl_valid = 0;
      conc_sent = 1;
    }
    if (s->in.req_valid && s->out.req_ready) {
      s->in.req_valid = 0;
      accepted_at = pgv_time(s->v);
    }
    answered = s->out.rsp_valid;
  }
  pgv_out_t rsp = s->out; /* the response, before any further cycle */
  s->in.req_valid = 0;
  s->in.ctl_valid = 0;
  *cycles = pgv_time(s->v) - start;
  int io = s->background ? 0 : wait_io_idle(s);
  if (conc) {
    /* Sent during the access or, if it finished first, right after it. */
    if (!conc_sent)
      op(s, s->conc_kind, s->conc_field, s->conc_pcid, s->conc_value);
    golden_op(s, s->conc_kind, s->conc_field, s->conc_pcid, s->conc_value);
  }
  if (!answered) {
    fprintf(stdout,
            "MISMATCH access %" PRIu64 " (%s 0x%" PRIx64 "): the RTL did not answer within %u "
            "cycles\n",
            s->n_access, pg_op_name(a->op), a->va, s->o.timeout);
    s->mismatches++;
    *r = g;
    return 1;
  }

  bad += check_result(s, a, &g, &rsp, r);
  CHECK("cr2", rsp.cr2, pg_model_cr2(s->golden));
  /* What the MMU wrote (data and A/D) must be what the golden model holds. */
  for (unsigned i = 0; i < s->n_written; i++) {
    uint8_t rb[LINE_BYTES], gb[LINE_BYTES];
    pg_mem_read_bytes(s->mem, s->written[i], rb, LINE_BYTES);
    pg_mem_read_bytes(pg_model_mem(s->golden), s->written[i], gb, LINE_BYTES);
    for (unsigned b = 0; b < LINE_BYTES; b += 8) {
      uint64_t rv, gv;
      memcpy(&rv, rb + b, 8);
      memcpy(&gv, gb + b, 8);
      if (((s->written_mask[i] >> b) & 0xff) && rv != gv) {
        char what[64];
        snprintf(what, sizeof what, "memory at 0x%" PRIx64, s->written[i] + b);
        CHECK(what, rv, gv);
      }
    }
  }
  if (io) {
    s->io_checks++;
    bad |= memory_differs(s, "after device activity");
  }
  if (bad)
    s->mismatches++;
  return bad != 0;
}

static void t_phys_write(void *ctx, uint64_t pa, uint64_t value, unsigned size) {
  pg_lockstep_t *s = ctx;
  drain(s);
  pg_mem_write(pg_model_mem(s->golden), pa, value, size);
  pg_mem_write(s->mem, pa, value, size);
  if (s->dram_store)
    pg_mem_write(s->dram_store, pa, value, size);
}

static uint64_t t_phys_read(void *ctx, uint64_t pa, unsigned size) {
  pg_lockstep_t *s = ctx;
  drain(s);
  uint64_t g = pg_mem_read(pg_model_mem(s->golden), pa, size);
  uint64_t r = pg_mem_read(s->dram_store ? s->dram_store : s->mem, pa, size);
  if (g != r) {
    fprintf(stdout, "MISMATCH memory at 0x%" PRIx64 ": rtl=0x%" PRIx64 " golden=0x%" PRIx64 "\n",
            pa, r, g);
    s->mismatches++;
  }
  return g;
}

static void t_wait(void *ctx, uint64_t cycles) {
  pg_lockstep_t *s = ctx;
  pg_model_wait(s->golden, cycles);
  for (uint64_t i = 0; i < cycles; i++)
    cycle(s);
}

static uint64_t t_cr2(void *ctx) {
  pg_lockstep_t *s = ctx;
  return s->out.cr2;
}

static void read_rtl_counters(pg_lockstep_t *s) {
  size_t n;
  const pg_counter_desc_t *t = pg_counter_table(&n);
  for (size_t i = 0; i < n; i++)
    *(uint64_t *)((char *)&s->rtl_counters + t[i].offset) = pgv_counter(s->v, (unsigned)i);
}

static const pg_counters_t *t_counters(void *ctx) {
  pg_lockstep_t *s = ctx;
  read_rtl_counters(s);
  return &s->rtl_counters;
}

static int t_finish(void *ctx) {
  pg_lockstep_t *s = ctx;
  unsigned before = s->mismatches;
  /* Let posted writes reach memory. */
  for (unsigned i = 0; i < 4; i++)
    cycle(s);
  drain(s);
  read_rtl_counters(s);
  size_t n;
  const pg_counter_desc_t *t = pg_counter_table(&n);
  const pg_counters_t *g = pg_model_counters(s->golden);
  for (size_t i = 0; i < n; i++) {
    if (t[i].kind != PG_COUNTER_EXACT)
      continue;
    uint64_t rv = pg_counter_get(&s->rtl_counters, &t[i]);
    uint64_t gv = pg_counter_get(g, &t[i]);
    if (rv != gv) {
      fprintf(stdout, "MISMATCH counter %s: rtl=%" PRIu64 " golden=%" PRIu64 "\n", t[i].name, rv,
              gv);
      s->mismatches++;
    }
  }
  if (memory_differs(s, "at the end"))
    s->mismatches++;
  return s->mismatches != before;
}

/* ---- streaming ------------------------------------------------------------------ */

int pg_lockstep_stream(pg_lockstep_t *s, const pg_access_t *a, uint64_t n, pg_stream_stats_t *st) {
  pg_result_t *gold = malloc(n * sizeof *gold);
  uint64_t *acc_at = malloc(n * sizeof *acc_at);
  if (!gold || !acc_at) {
    free(gold);
    free(acc_at);
    return 1;
  }
  memset(st, 0, sizeof *st);
  uint64_t issued = 0, translated = 0, answered = 0, idle = 0;
  int bad = 0;
  while (answered < n && idle < s->o.timeout) {
    uint64_t now = pgv_time(s->v);
    if (issued < n)
      present_req(s, &a[issued]);
    else
      s->in.req_valid = 0;
    cycle(s);
    idle++;
    if (s->in.req_valid && s->out.req_ready) {
      if (s->o.golden)
        pg_model_access(s->golden, &a[issued], &gold[issued]);
      acc_at[issued] = now;
      if (!st->accepted++)
        st->first_accept = now;
      st->last_accept = now;
      issued++;
      idle = 0;
    }
    if (s->out.xlat_valid && translated < issued) {
      uint64_t lat = now - acc_at[translated];
      st->xlat_latency_last = lat;
      if (lat > st->xlat_latency_max)
        st->xlat_latency_max = lat;
    }
    if (s->out.xlat_valid) /* (streams of accesses that translate) */
      translated++;
    if (s->out.rsp_valid) {
      /* CR2 and the lines written are checked at the end (finish): the
       * golden model has run ahead to the last access accepted. */
      pg_result_t r;
      s->n_access++;
      if (s->o.golden && check_result(s, &a[answered], &gold[answered], &s->out, &r))
        bad = 1;
      answered++;
      st->end = now;
      idle = 0;
    }
  }
  s->in.req_valid = 0;
  if (answered < n) {
    fprintf(stdout, "MISMATCH stream: %" PRIu64 " of %" PRIu64 " answered\n", answered, n);
    bad = 1;
  }
  if (bad)
    s->mismatches++;
  free(gold);
  free(acc_at);
  return bad;
}

void pg_lockstep_background(pg_lockstep_t *s, int on) {
  s->background = on;
  if (!on && wait_io_idle(s)) {
    s->io_checks++;
    if (memory_differs(s, "after device activity beside CPU traffic"))
      s->mismatches++;
  }
}

uint64_t pg_lockstep_rtl_counter(pg_lockstep_t *s, unsigned idx) {
  return pgv_counter(s->v, idx);
}

uint64_t pg_lockstep_dram_violations(const pg_lockstep_t *s) {
  return s->dev ? pg_dram_dev_violations(s->dev) : 0;
}

uint64_t pg_lockstep_cycles(const pg_lockstep_t *s) {
  return pgv_time(s->v);
}

void pg_lockstep_idle(pg_lockstep_t *s, uint64_t cycles) {
  for (uint64_t i = 0; i < cycles; i++)
    cycle(s);
}

/* ---- construction ------------------------------------------------------------ */

void pg_lockstep_default_opts(pg_lockstep_opts_t *o) {
  o->seed = 1;
  o->wave = NULL;
  o->dram = NULL;
  o->mem_latency = 10;
  o->timeout = 100000;
  o->golden = 1;
  o->backpressure = 0;
}

pg_lockstep_t *pg_lockstep_new(const pg_lockstep_opts_t *o) {
  pg_lockstep_t *s = calloc(1, sizeof *s);
  if (!s)
    return NULL;
  s->o = *o;
  s->stall_rng = pg_mix64(o->seed ^ 0x5ca1ab1e) | 1;
  if (s->o.mem_latency < 1)
    s->o.mem_latency = 1;
  if (s->o.mem_latency > MAX_LAT)
    s->o.mem_latency = MAX_LAT;
  s->mem = pg_mem_new();
  if (o->dram) {
    uint32_t cfgw[PG_DRAM_CFG_WORDS];
    pg_dram_cfg_pack(o->dram, cfgw);
    s->dram_store = pg_mem_new();
    s->dev = pg_dram_dev_new(o->dram, s->dram_store);
    s->v = pgv_new_system(o->seed, o->wave, cfgw);
  } else {
    s->v = pgv_new(o->seed, o->wave);
  }
  pgv_reset(s->v);
  /* The golden model's caches sized as this build of the RTL's. */
  pgv_sizes_t z;
  pgv_sizes(s->v, &z);
  pg_model_config_t cfg = {.itlb_entries = z.itlb_entries,
                           .dtlb_entries = z.dtlb_entries,
                           .l2_sets = z.l2_sets,
                           .l2_ways = z.l2_ways,
                           .pwc_pml5e_entries = z.pwc_pml5e_entries,
                           .pwc_pml4e_entries = z.pwc_pml4e_entries,
                           .pwc_pdpte_entries = z.pwc_pdpte_entries,
                           .pwc_pde_entries = z.pwc_pde_entries};
  s->golden = pg_model_new(&cfg);
  return s;
}

void pg_lockstep_free(pg_lockstep_t *s) {
  if (!s)
    return;
  pgv_free(s->v);
  pg_mem_free(s->mem);
  pg_dram_dev_free(s->dev);
  pg_mem_free(s->dram_store);
  pg_model_free(s->golden);
  free(s);
}

pg_model_t *pg_lockstep_golden(pg_lockstep_t *s) {
  return s->golden;
}

void pg_lockstep_xlat_stats(const pg_lockstep_t *s, uint64_t *cycles, uint64_t *n) {
  *cycles = s->xlat_cycles;
  *n = s->xlat_n;
}

uint64_t pg_lockstep_io_checks(const pg_lockstep_t *s) {
  return s->io_checks;
}

unsigned pg_lockstep_mismatches(const pg_lockstep_t *s) {
  return s->mismatches;
}

pg_target_t pg_lockstep_target(pg_lockstep_t *s) {
  return (pg_target_t){.name = "rtl+golden",
                       .ctl = t_ctl,
                       .invlpg = t_invlpg,
                       .invpcid = t_invpcid,
                       .invept = t_invept,
                       .invvpid = t_invvpid,
                       .access = t_access,
                       .phys_write = t_phys_write,
                       .phys_read = t_phys_read,
                       .wait = t_wait,
                       .cr2 = t_cr2,
                       .counters = t_counters,
                       .finish = t_finish,
                       .ctx = s};
}
