/* SPDX-License-Identifier: MIT */
/* pg_runner.h — runs a parsed trace against a target and judges it.
 *
 * Owns: the meaning of every trace command at run time, the per-access
 * result line and JSON log line of SPEC §7, expectation checking, the
 * counters block and the verdict. A target is anything that executes
 * accesses: the golden model alone, or RTL and golden in lockstep. */
#ifndef PG_RUNNER_H
#define PG_RUNNER_H

#include <stdint.h>
#include <stdio.h>

#include "os_iommu.h"
#include "os_phys.h"
#include "os_vm.h"
#include "pg_model.h"
#include "pg_trace.h"

typedef struct {
  const char *name; /* "golden", "rtl+golden" */
  void (*ctl)(void *ctx, pg_ctl_field_t f, uint64_t value);
  void (*invlpg)(void *ctx, uint64_t va);
  void (*invpcid)(void *ctx, unsigned type, uint16_t pcid, uint64_t va);
  /* INVEPT and INVVPID. */
  void (*invept)(void *ctx, unsigned type, uint64_t eptp);
  void (*invvpid)(void *ctx, unsigned type, uint16_t vpid, uint64_t va);
  /* Returns 0, or nonzero when the target found a mismatch (it has printed
   * what). *cycles: request to response. */
  int (*access)(void *ctx, const pg_access_t *a, pg_result_t *r, uint64_t *cycles);
  void (*phys_write)(void *ctx, uint64_t pa, uint64_t value, unsigned size);
  uint64_t (*phys_read)(void *ctx, uint64_t pa, unsigned size);
  void (*wait)(void *ctx, uint64_t cycles);
  uint64_t (*cr2)(void *ctx);
  const pg_counters_t *(*counters)(void *ctx);
  /* End of run: nonzero when a final check (counters, memory) failed. */
  int (*finish)(void *ctx);
  void *ctx;
} pg_target_t;

typedef struct {
  FILE *out;                /* result lines, counters, verdict */
  FILE *log;                /* JSON lines, or NULL */
  struct pg_report *report; /* figures gathered per access, or NULL */
} pg_run_opts_t;

/* Returns the exit code: 0 every expectation held and the target matched,
 * 1 otherwise. */
int pg_run_trace(const pg_trace_t *t, const pg_target_t *target, const pg_run_opts_t *opts);

/* The golden model as a target. */
pg_target_t pg_golden_target(pg_model_t *m);

/* sw/os's physical-memory interface on a target: table writes go to every
 * memory the target keeps (both, in lockstep), reads come back from it.
 * TG must outlive the returned value. */
os_phys_t pg_target_phys(const pg_target_t *tg);

/* Device registers through the target's CPU: supervisor 8-byte loads and
 * stores at VA = PA, so the caller must map the device windows one to one
 * in the current address space. TG must outlive the returned value. */
os_mmio_t pg_target_mmio(const pg_target_t *tg);

/* A small kernel on a target with the IOMMU on: frames from 1 MiB to 1 GiB,
 * an address space with the device windows mapped one to one (CR3 set), and
 * the IOMMU initialised with a 256-entry device table, 16-record fault log,
 * 16-command queue and translation on. TG must outlive it. */
typedef struct {
  os_frames_t fr;
  os_as_t cpu;
  os_mmio_t mmio;
  os_iommu_t io;
} pg_io_kernel_t;

/* Returns 0, or 1 if a step failed. Free with pg_io_kernel_free(). */
int pg_io_kernel_init(pg_io_kernel_t *k, const pg_target_t *tg);
void pg_io_kernel_free(pg_io_kernel_t *k);

#endif
