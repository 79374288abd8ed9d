/* SPDX-License-Identifier: MIT */
/* pg_lockstep.h — the RTL MMU and the golden model in lockstep (needs the
 * Verilated model: linked only into the full `pagoda`).
 *
 * Owns: a pg_target_t that runs every command on both and compares every
 * result; see pg_lockstep.c. */
#ifndef PG_LOCKSTEP_H
#define PG_LOCKSTEP_H

#include <stdint.h>

#include "pg_model.h"
#include "pg_runner.h"

#include "pg_dram_cfg.h"

typedef struct {
  uint64_t seed;    /* randomizes the RTL's reset values */
  const char *wave; /* FST file, or NULL */
  /* NULL: the MMU alone on an ideal memory of MEM_LATENCY cycles. Else the
   * whole system (pg_system): the bus decoder and the DRAM controller with
   * these settings, the C DRAM device model on its command bus. */
  const pg_dram_cfg_t *dram;
  unsigned mem_latency; /* cycles from a read request to its data (ideal memory) */
  unsigned timeout;     /* cycles an access may take before it is an error */
  /* 0: pg_lockstep_stream() drives the RTL alone, the golden model neither
   * runs nor compares (to measure what checking costs); default 1. */
  int golden;
  /* The ideal memory only: in each cycle it is ready, a stall of 1 to 16
   * cycles (ready low) begins with this probability in percent; 0: always
   * ready (default). The stalls are drawn from SEED. */
  unsigned backpressure;
} pg_lockstep_opts_t;

typedef struct pg_lockstep pg_lockstep_t;

void pg_lockstep_default_opts(pg_lockstep_opts_t *o);
pg_lockstep_t *pg_lockstep_new(const pg_lockstep_opts_t *o);
void pg_lockstep_free(pg_lockstep_t *s);
pg_target_t pg_lockstep_target(pg_lockstep_t *s);
pg_model_t *pg_lockstep_golden(pg_lockstep_t *s);
unsigned pg_lockstep_mismatches(const pg_lockstep_t *s);
/* How often all of memory was compared after device activity. */
uint64_t pg_lockstep_io_checks(const pg_lockstep_t *s);
/* The NIC engine's translations so far (the system): their number and the
 * cycles from the IOMMU taking each to its answer, summed. */
void pg_lockstep_xlat_stats(const pg_lockstep_t *s, uint64_t *cycles, uint64_t *n);

/* Arms a control write or invalidation to be presented DELAY cycles after
 * the next access is accepted, while it may still be translating or walking
 * (kind 0 ctl with field = pg_ctl_field_t, 1 invlpg, 2 invpcid with field =
 * type). The golden model applies it after that access: the order the RTL
 * must honour. */
void pg_lockstep_concurrent_op(pg_lockstep_t *s, unsigned kind, unsigned field, uint16_t pcid,
                               uint64_t value, unsigned delay);

/* Streams accesses back to back (a new request every cycle the MMU takes
 * one), checking each response against the golden model in order. */
typedef struct {
  uint64_t accepted;          /* accesses taken */
  uint64_t first_accept;      /* cycle of the first acceptance */
  uint64_t last_accept;       /* cycle of the last acceptance */
  uint64_t xlat_latency_max;  /* acceptance -> translated, worst over the stream */
  uint64_t xlat_latency_last; /* the same, for the last access */
  uint64_t end;               /* cycle of the last response */
} pg_stream_stats_t;

int pg_lockstep_stream(pg_lockstep_t *s, const pg_access_t *a, uint64_t n, pg_stream_stats_t *st);
/* A counter of the RTL, by its index in pg_counter_table(). */
uint64_t pg_lockstep_rtl_counter(pg_lockstep_t *s, unsigned idx);
uint64_t pg_lockstep_cycles(const pg_lockstep_t *s);
/* JEDEC violations the DRAM device model saw (0 with the ideal memory). */
uint64_t pg_lockstep_dram_violations(const pg_lockstep_t *s);
/* Devices in the background. While ON, an access that starts device work (a
 * DMA, commands) does not wait for it: the accesses after it run beside the
 * devices (they must not touch what the devices use: the golden model ran
 * the device work inside the write that started it). Turning it off waits
 * for the devices and compares all of memory. */
void pg_lockstep_background(pg_lockstep_t *s, int on);
/* Idle clock cycles, nothing compared: for throughput measurements. */
void pg_lockstep_idle(pg_lockstep_t *s, uint64_t cycles);

#endif
