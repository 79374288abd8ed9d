/* SPDX-License-Identifier: MIT */
/* pg_dram_dev.h — the DRAM device model on the controller's command bus.
 *
 * Owns: the DRAM's contents (sparse, in a pg_mem_t keyed by the line
 * address each (bank, row, column) holds under the configuration's
 * mapping), read data returned CL + BL/2 cycles after RD, and the JEDEC
 * checker: every command is checked against every timing and turnaround rule
 * and every bank-state rule of SPEC §6, and the refresh rate. A violation is
 * counted and its message (command, rule, cycle) kept; the command still
 * takes effect so one mistake is reported once. */
#ifndef PG_DRAM_DEV_H
#define PG_DRAM_DEV_H

#include <stdint.h>
#include <stdio.h>

#include "pg_dram_cfg.h"
#include "pg_mem.h"

/* Command encodings of the bus (pagoda_pkg::dram_cmd_e). */
typedef enum {
  PG_DCMD_NOP = 0,
  PG_DCMD_ACT = 1,
  PG_DCMD_RD = 2,
  PG_DCMD_WR = 3,
  PG_DCMD_PRE = 4,
  PG_DCMD_PREA = 5,
  PG_DCMD_REF = 6
} pg_dcmd_t;

typedef struct {
  pg_dcmd_t kind;
  int ap; /* RD/WR with auto-precharge */
  unsigned bank, row, col;
  uint64_t wdata[8];
  uint64_t mask; /* byte enables of a WR */
} pg_dram_cmd_t;

typedef struct {
  uint64_t reads, writes, activates, precharges, refreshes, busy_cycles;
} pg_dram_dev_stats_t;

typedef struct pg_dram_dev pg_dram_dev_t;

/* STORE holds the contents; it is the caller's, so the testbench can load
 * and compare memory by physical address. */
pg_dram_dev_t *pg_dram_dev_new(const pg_dram_cfg_t *c, pg_mem_t *store);
void pg_dram_dev_free(pg_dram_dev_t *d);
/* CMD issued at CYCLE (non-decreasing). Returns 0, or 1 if it broke a rule. */
int pg_dram_dev_command(pg_dram_dev_t *d, uint64_t cycle, const pg_dram_cmd_t *cmd);
/* The end of CYCLE: checks the refresh rate; returns 1 and fills DATA when a
 * read's data is on the bus this cycle. */
int pg_dram_dev_tick(pg_dram_dev_t *d, uint64_t cycle, uint64_t data[8]);
uint64_t pg_dram_dev_violations(const pg_dram_dev_t *d);
const char *pg_dram_dev_first_error(const pg_dram_dev_t *d); /* "" if none */
const char *pg_dram_dev_last_rule(const pg_dram_dev_t *d);   /* rule of the last violation */
const pg_dram_dev_stats_t *pg_dram_dev_stats(const pg_dram_dev_t *d);
/* Writes every violation message to F as it happens (NULL: keep quiet). */
void pg_dram_dev_report_to(pg_dram_dev_t *d, FILE *f);

/* DRAMsim3's command name ("activate", "read_p", ...). */
const char *pg_dram_cmd_name(const pg_dram_cmd_t *c);
/* One line of DRAMsim3's command-trace layout. */
void pg_dram_cmd_trace_line(FILE *f, const pg_dram_cfg_t *c, uint64_t cycle,
                            const pg_dram_cmd_t *cmd);

#endif
