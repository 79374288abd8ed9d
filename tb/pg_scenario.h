/* SPDX-License-Identifier: MIT */
/* pg_scenario.h — `pagoda scenario`: the seed documents' stories, run.
 *
 * Owns: the list of scenarios (name, one-line description, the GTKWave view
 * that suits its waveform) and running one: the whole system (MMU, bus,
 * DRAM controller, IOMMU, DMA engines) in lockstep with the golden model,
 * a small kernel built on sw/os doing what the story says, a narration in
 * plain words, and checks of everything the narration claims. */
#ifndef PG_SCENARIO_H
#define PG_SCENARIO_H

#include <stdint.h>
#include <stdio.h>

typedef struct {
  const char *wave; /* FST file, or NULL */
  uint64_t seed;    /* randomizes the RTL's reset values */
  FILE *out;
} pg_scenario_opts_t;

unsigned pg_scenario_count(void);
const char *pg_scenario_name(unsigned i);
const char *pg_scenario_desc(unsigned i);
/* The view in sim/waves/ for its waveform (without ".gtkw"). */
const char *pg_scenario_view(unsigned i);
/* Index of NAME, or -1. */
int pg_scenario_find(const char *name);

/* Runs scenario I. Returns 0 when its story held (every check, and the RTL
 * matched the golden model throughout), 1 otherwise. */
int pg_scenario_run(unsigned i, const pg_scenario_opts_t *o);

#endif
