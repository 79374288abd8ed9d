/* SPDX-License-Identifier: MIT */
/* pg_scn.c — the scenario context and the list of scenarios (see
 * pg_scenario.h and pg_scn.h). */
#include "pg_scenario.h"

#include <inttypes.h>
#include <stdarg.h>
#include <string.h>

#include "pg_dram_cfg.h"
#include "pg_hw.h"
#include "pg_scn.h"

static const scn_def_t *const all[] = {
    &scn_processes, &scn_tlb,      &scn_lazy, &scn_cow,  &scn_protection, &scn_pkeys,
    &scn_la57,      &scn_mmio_def, &scn_dma,  &scn_swap, &scn_vm,         &scn_dram,
};
#define NUM_SCN (sizeof all / sizeof all[0])

unsigned pg_scenario_count(void) {
  return NUM_SCN;
}
const char *pg_scenario_name(unsigned i) {
  return all[i]->name;
}
const char *pg_scenario_desc(unsigned i) {
  return all[i]->desc;
}
const char *pg_scenario_view(unsigned i) {
  return all[i]->view;
}
int pg_scenario_find(const char *name) {
  for (unsigned i = 0; i < NUM_SCN; i++)
    if (strcmp(all[i]->name, name) == 0)
      return (int)i;
  return -1;
}

/* ---- narration and checks ----------------------------------------------------------------- */

void scn_say(scn_t *s, const char *fmt, ...) {
  char buf[2048];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  /* Every line indented, a blank line after the paragraph. */
  for (char *line = strtok(buf, "\n"); line; line = strtok(NULL, "\n"))
    fprintf(s->out, "  %s\n", line);
  fputc('\n', s->out);
}

void scn_part(scn_t *s, const char *fmt, ...) {
  va_list ap;
  fputs("-- ", s->out);
  va_start(ap, fmt);
  vfprintf(s->out, fmt, ap);
  va_end(ap);
  fputs("\n\n", s->out);
}

int scn_check(scn_t *s, int ok, const char *fmt, ...) {
  va_list ap;
  s->checks++;
  s->fails += !ok;
  fputs(ok ? "  [ok]   " : "  [FAIL] ", s->out);
  va_start(ap, fmt);
  vfprintf(s->out, fmt, ap);
  va_end(ap);
  fputc('\n', s->out);
  return ok;
}

const char *scn_result_name(const pg_result_t *r) {
  if (r->status == PG_ST_PF)
    return pg_pf_kind_name(r->pf_kind);
  return pg_status_name(r->status);
}

/* ---- the machine ---------------------------------------------------------------------------- */

pg_result_t scn_access(scn_t *s, pg_op_t op, int user, uint64_t va, uint64_t wdata,
                       const char *note) {
  pg_access_t a = {
      .op = op, .user = (uint8_t)user, .ac = (uint8_t)s->ac, .size = 8, .va = va, .wdata = wdata};
  pg_result_t r;
  uint64_t cycles = 0;
  s->tg.access(s->tg.ctx, &a, &r, &cycles);
  if (s->quiet)
    return r;
  fprintf(s->out, "    %-5s %-6s 0x%012" PRIx64 "  ", pg_op_name(op), user ? "user" : "kernel", va);
  if (r.status == PG_ST_OK) {
    fprintf(s->out, "ok  pa 0x%09" PRIx64, r.pa);
    if (op == PG_OP_STORE)
      fprintf(s->out, " wrote 0x%" PRIx64, wdata);
    else
      fprintf(s->out, " read 0x%" PRIx64, r.data);
    fprintf(s->out, "  (%s, %" PRIu64 " cycles)",
            r.l1_hit   ? "TLB hit"
            : r.l2_hit ? "L2 TLB hit"
                       : "page walk",
            cycles);
  } else if (r.status == PG_ST_PF) {
    fprintf(s->out, "PAGE FAULT (%s, error code 0x%x)", pg_pf_kind_name(r.pf_kind), r.err);
  } else if (r.status == PG_ST_EPT) {
    fprintf(s->out,
            "EPT VIOLATION (VM exit: guest-physical 0x%" PRIx64 ", qualification 0x%" PRIx64 ")",
            r.gpa, r.qual);
  } else if (r.status == PG_ST_EPTMC) {
    fprintf(s->out, "EPT MISCONFIGURATION (VM exit: guest-physical 0x%" PRIx64 ")", r.gpa);
  } else {
    fprintf(s->out, "%s", pg_status_name(r.status));
  }
  if (note)
    fprintf(s->out, "  <- %s", note);
  fputc('\n', s->out);
  return r;
}

pg_result_t scn_load(scn_t *s, int user, uint64_t va, const char *note) {
  return scn_access(s, PG_OP_LOAD, user, va, 0, note);
}
pg_result_t scn_store(scn_t *s, int user, uint64_t va, uint64_t v, const char *note) {
  return scn_access(s, PG_OP_STORE, user, va, v, note);
}
pg_result_t scn_fetch(scn_t *s, int user, uint64_t va, const char *note) {
  return scn_access(s, PG_OP_FETCH, user, va, 0, note);
}

void scn_ctl(scn_t *s, pg_ctl_field_t f, uint64_t v) {
  s->tg.ctl(s->tg.ctx, f, v);
}

void scn_invlpg(scn_t *s, uint64_t va) {
  s->tg.invlpg(s->tg.ctx, va);
}

const pg_counters_t *scn_counters(scn_t *s) {
  return s->tg.counters(s->tg.ctx);
}

uint64_t scn_frame(scn_t *s) {
  uint64_t pa = 0;
  os_err_t e = os_frames_alloc(&s->frames, &pa);
  if (e != OS_OK)
    scn_check(s, 0, "a free frame: %s", os_strerror(e));
  return pa;
}

void scn_new_as(scn_t *s, os_as_t *as) {
  os_err_t e = os_as_init(as, &s->frames);
  if (e != OS_OK)
    scn_check(s, 0, "a new address space: %s", os_strerror(e));
}

void scn_map(scn_t *s, os_as_t *as, uint64_t va, uint64_t pa, enum pg_page_size size,
             uint64_t flags) {
  os_err_t e = os_map(as, va, pa, size, flags);
  if (e != OS_OK)
    scn_check(s, 0, "map 0x%" PRIx64 ": %s", va, os_strerror(e));
}

os_mmio_t scn_mmio(scn_t *s, os_as_t *as) {
  os_err_t e = os_map_device_windows(as);
  if (e != OS_OK && e != OS_EEXIST)
    scn_check(s, 0, "map the device windows: %s", os_strerror(e));
  return pg_target_mmio(&s->tg);
}

int pg_scenario_run(unsigned i, const pg_scenario_opts_t *o) {
  const scn_def_t *d = all[i];
  scn_t s;
  memset(&s, 0, sizeof s);
  s.out = o->out;
  s.wave = o->wave;
  fprintf(s.out, "== scenario %s: %s\n\n", d->name, d->desc);
  pg_dram_cfg_t dc;
  pg_dram_cfg_default(&dc);
  if (d->needs_system) {
    pg_lockstep_opts_t lo;
    pg_lockstep_default_opts(&lo);
    lo.seed = o->seed;
    lo.dram = &dc;
    lo.wave = o->wave;
    s.ls = pg_lockstep_new(&lo);
    s.tg = pg_lockstep_target(s.ls);
    s.phys = pg_target_phys(&s.tg);
    os_frames_init(&s.frames, s.phys, SCN_FRAMES_BASE, SCN_FRAMES_LIMIT);
  }
  d->run(&s);
  int bad = s.fails != 0;
  if (d->needs_system) {
    int fin = s.tg.finish(s.tg.ctx);
    unsigned mism = pg_lockstep_mismatches(s.ls);
    scn_check(&s, !fin && mism == 0,
              "the RTL matched the golden model on every access, counter and memory word "
              "(%u mismatches, %" PRIu64 " cycles)",
              mism, pg_lockstep_cycles(s.ls));
    bad |= fin || mism;
    os_frames_destroy(&s.frames);
    pg_lockstep_free(s.ls);
  }
  fprintf(s.out, "\n%s scenario %s: %u of %u checks held\n", bad ? "FAIL" : "PASS", d->name,
          s.checks - s.fails, s.checks);
  return bad ? 1 : 0;
}
