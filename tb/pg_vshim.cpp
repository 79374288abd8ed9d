// SPDX-License-Identifier: MIT
// pg_vshim.cpp — the thin C++ shim around the Verilated models (the MMU alone,
// the whole system, the DRAM controller alone): the only C++ in pagoda. Opaque
// handles and plain copies between the C port structs and the models' ports;
// every decision lives in the C testbench.
#include "pg_vshim.h"

#include <verilated.h>
#if VM_TRACE
#include <verilated_fst_c.h>
#endif

#include <cstdio>
#include <cstdlib>
#include <unistd.h>
#if VM_COVERAGE
#include <verilated_cov.h>
#endif

#include "Vpg_dram_ctrl.h"
#include "Vpg_mmu.h"
#include "Vpg_mmu_pg_mmu.h"
#include "Vpg_system.h"
#include "Vpg_system_pg_system.h"

// What every handle keeps besides its top.
struct clocked {
  VerilatedContext *ctx = nullptr;
#if VM_TRACE
  VerilatedFstC *fst = nullptr;
#else
  struct no_fst {
    void close() {}
    void dump(uint64_t) {}
  } *fst = nullptr; // a build without waveforms (--trace-fst off)
#endif
  uint64_t cycles = 0;
  uint64_t dumped = 0; // the FST holds every time stamp below this (ps)
};

struct pgv : clocked {
  Vpg_mmu *mmu = nullptr; // one of the two tops
  Vpg_system *sys = nullptr;
};

static void put_line(VlWide<16> &dst, const uint64_t *src) {
  for (int w = 0; w < PGV_LINE_WORDS; w++) {
    dst[2 * w] = (uint32_t)src[w];
    dst[2 * w + 1] = (uint32_t)(src[w] >> 32);
  }
}

static void get_line(uint64_t *dst, const VlWide<16> &src) {
  for (int w = 0; w < PGV_LINE_WORDS; w++)
    dst[w] = (uint64_t)src[2 * w] | ((uint64_t)src[2 * w + 1] << 32);
}

// The CPU-side ports, the same on both tops.
template <class T> static void drive_cpu(T *t, const pgv_in_t *in) {
  t->req_valid_i = in->req_valid;
  t->req_op_i = in->req_op;
  t->req_user_i = in->req_user;
  t->req_ac_i = in->req_ac;
  t->req_size_i = in->req_size;
  t->req_va_i = in->req_va;
  t->req_wdata_i = in->req_wdata;
  t->ctl_valid_i = in->ctl_valid;
  t->ctl_kind_i = in->ctl_kind;
  t->ctl_field_i = in->ctl_field;
  t->ctl_pcid_i = in->ctl_pcid;
  t->ctl_value_i = in->ctl_value;
  t->cnt_sel_i = in->cnt_sel;
}

template <class T> static void sample_cpu(const T *t, pgv_out_t *o) {
  o->req_ready = t->req_ready_o;
  o->ctl_ready = t->ctl_ready_o;
  o->xlat_valid = t->xlat_valid_o;
  o->xlat_pa = t->xlat_pa_o;
  o->rsp_valid = t->rsp_valid_o;
  o->rsp_status = t->rsp_status_o;
  o->rsp_pa_valid = t->rsp_pa_valid_o;
  o->rsp_pa = t->rsp_pa_o;
  o->rsp_data = t->rsp_data_o;
  o->rsp_err = t->rsp_err_o;
  o->rsp_pf_kind = t->rsp_pf_kind_o;
  o->rsp_pf_level = t->rsp_pf_level_o;
  o->rsp_source = t->rsp_source_o;
  o->rsp_qual = t->rsp_qual_o;
  o->rsp_gpa = t->rsp_gpa_o;
  o->cr2 = t->cr2_o;
  o->mem_req_valid = t->mem_req_valid_o;
  o->mem_req_we = t->mem_req_we_o;
  o->mem_req_id = t->mem_req_id_o;
  o->mem_req_addr = t->mem_req_addr_o;
  o->mem_req_mask = t->mem_req_mask_o;
  get_line(o->mem_req_wdata, t->mem_req_wdata_o);
  o->cnt = t->cnt_o;
  o->itlb_valid = t->itlb_valid_o;
  o->dtlb_valid = t->dtlb_valid_o;
}

static void drive(pgv *v, const pgv_in_t *in) {
  if (v->mmu) {
    Vpg_mmu *t = v->mmu;
    drive_cpu(t, in);
    t->mem_req_ready_i = in->mem_req_ready;
    t->mem_rsp_valid_i = in->mem_rsp_valid;
    t->mem_rsp_err_i = in->mem_rsp_err;
    t->mem_rsp_id_i = in->mem_rsp_id;
    put_line(t->mem_rsp_rdata_i, in->mem_rsp_rdata);
  } else {
    Vpg_system *t = v->sys;
    drive_cpu(t, in);
    t->rd_valid_i = in->rd_valid;
    put_line(t->rd_data_i, in->rd_data);
  }
}

static void sample(const pgv *v, pgv_out_t *o) {
  if (v->mmu) {
    sample_cpu(v->mmu, o);
    o->mem_req_ready = 0;
    o->cmd = 0;
    o->io_busy = o->nic_tr_take = o->nic_tr_done = o->dram_wr_take = 0;
    return;
  }
  const Vpg_system *t = v->sys;
  sample_cpu(t, o);
  o->mem_req_ready = t->mem_req_ready_o;
  o->cmd = t->cmd_o;
  o->cmd_ap = t->cmd_ap_o;
  o->cmd_bank = t->cmd_bank_o;
  o->cmd_row = t->cmd_row_o;
  o->cmd_col = t->cmd_col_o;
  get_line(o->cmd_wdata, t->cmd_wdata_o);
  o->cmd_mask = t->cmd_mask_o;
  o->io_busy = t->io_busy_o;
  o->nic_tr_take = t->nic_tr_take_o;
  o->nic_tr_done = t->nic_tr_done_o;
  o->dram_wr_take = t->dram_wr_take_o;
}

// ---- clock, reset, waves and lifetime: the same for every top ---------------------------------

// An assertion that failed (Verilator printed its name and instance) ends
// the run: the cycle is named, the waveform closed so it can be read, and the
// program exits 1.
static void stop_on_assertion(clocked *c) {
  if (!c->ctx->gotError())
    return;
  fflush(stdout);
  fprintf(stderr, "ASSERTION FAILED at cycle %llu: the RTL broke a rule it states (above)%s\n",
          (unsigned long long)c->cycles, c->fst ? "; waveform written" : "");
  if (c->fst)
    c->fst->close();
  exit(1);
}

// Waveforms keep real time: the clock is DDR3-1600's, 800 MHz, so a cycle is
// 1.25 ns (the models' time unit is 1 ps): cycle N rises at N * 1250 ps + 625.
static const uint64_t HalfPeriodPs = 625;

template <class T> static void dump_half(clocked *c, T *top, int clk) {
  // Reset ends on a low half that the first cycle's low half repeats: one
  // sample per time stamp.
  uint64_t t = (2 * c->cycles + (clk ? 1 : 0)) * HalfPeriodPs;
  c->ctx->time(t);
  top->clk_i = clk;
  top->eval();
  if (c->fst && t >= c->dumped) {
    c->fst->dump(t);
    c->dumped = t + 1;
  }
  stop_on_assertion(c);
}

// Builds TOP in a fresh context: every register starts random (a missed
// reset shows), inputs idle, clock low, reset released.
template <class T> static T *open_top(clocked *c, uint64_t seed, const char *wave) {
  c->ctx = new VerilatedContext;
  c->ctx->fatalOnError(false); // stop_on_assertion() ends the run instead
  c->ctx->randReset(2);
  c->ctx->randSeed((int)(seed & 0x7fffffff));
  T *top = new T(c->ctx);
  top->clk_i = 0;
  top->rst_ni = 1;
  if (wave) {
#if VM_TRACE
    c->ctx->traceEverOn(true);
    c->fst = new VerilatedFstC;
    top->trace(c->fst, 99);
    c->fst->open(wave);
#else
    fprintf(stderr, "this pagoda was built without waveforms; %s not written\n", wave);
#endif
  }
  return top;
}

// A build with --coverage (make coverage) writes what this model covered
// when it closes, into $PAGODA_COVERAGE_DIR (one file per model, named by
// process and handle), for verilator_coverage to merge.
static void write_coverage(clocked *c) {
#if VM_COVERAGE
  const char *dir = getenv("PAGODA_COVERAGE_DIR");
  if (!dir || !*dir)
    return;
  char path[4096];
  snprintf(path, sizeof path, "%s/cov-%ld-%p.dat", dir, (long)getpid(), (void *)c);
  c->ctx->coveragep()->write(path);
#else
  (void)c;
#endif
}

template <class T> static void close_top(clocked *c, T *top) {
  top->final();
  write_coverage(c);
  if (c->fst) {
    c->fst->close();
    delete c->fst;
  }
  delete top;
  delete c->ctx;
}

// Reset held for four cycles with the inputs as they are (idle).
template <class T> static void reset_top(clocked *c, T *top) {
  top->rst_ni = 0;
  for (int i = 0; i < 4; i++) {
    dump_half(c, top, 0);
    dump_half(c, top, 1);
    c->cycles++;
  }
  top->rst_ni = 1;
  dump_half(c, top, 0);
}

template <class T> static uint64_t read_counter(T *top, unsigned idx) {
  top->cnt_sel_i = (uint8_t)idx;
  top->eval();
  return top->cnt_o;
}

// Runs F on whichever top the handle holds.
template <class F> static void with_top(pgv *v, F f) {
  if (v->mmu)
    f(v->mmu);
  else
    f(v->sys);
}

// ---- the MMU, or the whole system
// ----------------------------------------------------------------

static pgv *make(uint64_t seed, const char *wave, const uint32_t *cfg) {
  pgv *v = new pgv();
  if (cfg) {
    v->sys = open_top<Vpg_system>(v, seed, wave);
    for (int w = 0; w < 7; w++)
      v->sys->dram_cfg_i[w] = cfg[w];
  } else {
    v->mmu = open_top<Vpg_mmu>(v, seed, wave);
  }
  pgv_in_t idle = {};
  drive(v, &idle);
  with_top(v, [](auto *t) { t->eval(); });
  return v;
}

extern "C" pgv_t *pgv_new(uint64_t seed, const char *wave) {
  return make(seed, wave, nullptr);
}

extern "C" pgv_t *pgv_new_system(uint64_t seed, const char *wave, const uint32_t cfg[7]) {
  return make(seed, wave, cfg);
}

extern "C" void pgv_free(pgv_t *v) {
  if (!v)
    return;
  with_top(v, [v](auto *t) { close_top(v, t); });
  delete v;
}

template <class P> static void sizes_of(pgv_sizes_t *s) {
  s->itlb_entries = P::ItlbEntries;
  s->dtlb_entries = P::DtlbEntries;
  s->l2_sets = P::L2Sets;
  s->l2_ways = P::L2Ways;
  s->pwc_pml5e_entries = P::PwcPml5eEntries;
  s->pwc_pml4e_entries = P::PwcPml4eEntries;
  s->pwc_pdpte_entries = P::PwcPdpteEntries;
  s->pwc_pde_entries = P::PwcPdeEntries;
}

extern "C" void pgv_sizes(const pgv_t *v, pgv_sizes_t *s) {
  if (v->mmu)
    sizes_of<Vpg_mmu_pg_mmu>(s);
  else
    sizes_of<Vpg_system_pg_system>(s);
}

extern "C" void pgv_reset(pgv_t *v) {
  pgv_in_t idle = {};
  drive(v, &idle);
  with_top(v, [v](auto *t) { reset_top(v, t); });
}

extern "C" void pgv_cycle(pgv_t *v, const pgv_in_t *in, pgv_out_t *out) {
  drive(v, in);
  with_top(v, [v](auto *t) { dump_half(v, t, 0); });
  sample(v, out);
  with_top(v, [v](auto *t) { dump_half(v, t, 1); });
  v->cycles++;
}

extern "C" uint64_t pgv_counter(pgv_t *v, unsigned idx) {
  uint64_t value = 0;
  with_top(v, [&](auto *t) { value = read_counter(t, idx); });
  return value;
}

extern "C" uint64_t pgv_time(const pgv_t *v) {
  return v->cycles;
}

// ---- the DRAM controller alone ---------------------------------------------------------------

struct pgd : clocked {
  Vpg_dram_ctrl *top = nullptr;
};

static void drive_dram(Vpg_dram_ctrl *t, const pgd_in_t *in) {
  t->req_valid_i = in->req_valid;
  t->req_we_i = in->req_we;
  t->req_id_i = in->req_id;
  t->req_addr_i = in->req_addr >> 6;
  put_line(t->req_wdata_i, in->req_wdata);
  t->req_mask_i = in->req_mask;
  t->rd_valid_i = in->rd_valid;
  put_line(t->rd_data_i, in->rd_data);
}

static void sample_dram(Vpg_dram_ctrl *t, pgd_out_t *o) {
  o->req_ready = t->req_ready_o;
  o->rsp_valid = t->rsp_valid_o;
  o->rsp_id = t->rsp_id_o;
  get_line(o->rsp_rdata, t->rsp_rdata_o);
  o->cmd = t->cmd_o;
  o->cmd_ap = t->cmd_ap_o;
  o->cmd_bank = t->cmd_bank_o;
  o->cmd_row = t->cmd_row_o;
  o->cmd_col = t->cmd_col_o;
  get_line(o->cmd_wdata, t->cmd_wdata_o);
  o->cmd_mask = t->cmd_mask_o;
}

extern "C" pgd_t *pgd_new(uint64_t seed, const char *wave, const uint32_t cfg[7]) {
  pgd *d = new pgd();
  d->top = open_top<Vpg_dram_ctrl>(d, seed, wave);
  pgd_in_t idle = {};
  drive_dram(d->top, &idle);
  for (int w = 0; w < 7; w++)
    d->top->cfg_i[w] = cfg[w];
  d->top->cnt_sel_i = 0;
  d->top->eval();
  return d;
}

extern "C" void pgd_free(pgd_t *d) {
  if (!d)
    return;
  close_top(d, d->top);
  delete d;
}

extern "C" void pgd_reset(pgd_t *d) {
  pgd_in_t idle = {};
  drive_dram(d->top, &idle);
  reset_top(d, d->top);
}

extern "C" void pgd_cycle(pgd_t *d, const pgd_in_t *in, pgd_out_t *out) {
  drive_dram(d->top, in);
  dump_half(d, d->top, 0);
  sample_dram(d->top, out);
  dump_half(d, d->top, 1);
  d->cycles++;
}

extern "C" uint64_t pgd_counter(pgd_t *d, unsigned idx) {
  return read_counter(d->top, idx);
}
