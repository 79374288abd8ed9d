/* SPDX-License-Identifier: MIT */
/* pg_scn.h — what the scenarios share (tb/pg_scn*.c; not for other users).
 *
 * Owns: the scenario context — the system in lockstep with the golden
 * model as a target, physical memory and frames for sw/os, the narration
 * and the checks — and the table of scenarios. */
#ifndef PG_SCN_H
#define PG_SCN_H

#include <stdint.h>
#include <stdio.h>

#include "os_iommu.h"
#include "os_vm.h"
#include "pg_lockstep.h"
#include "pg_model.h"
#include "pg_runner.h"

#define SCN_PAGE UINT64_C(4096)

/* Frames the scenarios' kernel hands out. */
#define SCN_FRAMES_BASE  0x00100000ull
#define SCN_FRAMES_LIMIT 0x10000000ull

typedef struct {
  pg_lockstep_t *ls;
  pg_target_t tg;
  os_phys_t phys;
  os_frames_t frames;
  FILE *out;
  unsigned checks, fails;
  int quiet;        /* accesses not printed (loops) */
  int ac;           /* EFLAGS.AC for the next accesses (SMAP) */
  const char *wave; /* the waveform asked for; the system writes it, or a
                       story without the system passes it to one run */
} scn_t;

/* A paragraph of narration (printf-style; may hold newlines). */
void scn_say(scn_t *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A section heading. */
void scn_part(scn_t *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A claim of the story: printed with its verdict; returns OK. */
int scn_check(scn_t *s, int ok, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* One 8-byte CPU access, printed (unless quiet) with NOTE. */
pg_result_t scn_access(scn_t *s, pg_op_t op, int user, uint64_t va, uint64_t wdata,
                       const char *note);
pg_result_t scn_load(scn_t *s, int user, uint64_t va, const char *note);
pg_result_t scn_store(scn_t *s, int user, uint64_t va, uint64_t v, const char *note);
pg_result_t scn_fetch(scn_t *s, int user, uint64_t va, const char *note);
void scn_ctl(scn_t *s, pg_ctl_field_t f, uint64_t v);
void scn_invlpg(scn_t *s, uint64_t va);
/* The counters so far (the RTL's; the golden model's are compared with
 * them at the end). */
const pg_counters_t *scn_counters(scn_t *s);
/* A fresh frame, zeroed. */
uint64_t scn_frame(scn_t *s);
/* sw/os calls whose failure is a failed check (printed), not a silent one. */
void scn_new_as(scn_t *s, os_as_t *as);
void scn_map(scn_t *s, os_as_t *as, uint64_t va, uint64_t pa, enum pg_page_size size,
             uint64_t flags);
/* The devices' registers through the CPU (the device windows mapped at
 * VA = PA, supervisor, in AS). */
os_mmio_t scn_mmio(scn_t *s, os_as_t *as);
const char *scn_result_name(const pg_result_t *r);

typedef struct {
  const char *name, *desc, *view;
  int needs_system; /* 0: runs without the lockstep system (DRAM alone) */
  void (*run)(scn_t *s);
} scn_def_t;

extern const scn_def_t scn_processes, scn_tlb, scn_lazy, scn_cow, scn_protection, scn_mmio_def,
    scn_dma, scn_swap, scn_vm, scn_dram, scn_pkeys, scn_la57;

#endif
