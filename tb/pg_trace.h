/* SPDX-License-Identifier: MIT */
/* pg_trace.h — the trace format of SPEC §7, parsed whole before anything runs.
 *
 * Owns: turning a trace file (or a buffer) into an array of commands, and
 * every bad-input diagnosis as "FILE:LINE: what is wrong". */
#ifndef PG_TRACE_H
#define PG_TRACE_H

#include <stddef.h>
#include <stdint.h>

#include "pg_model.h"

typedef enum {
  PG_CMD_PHYS_WRITE,
  PG_CMD_PHYS_CHECK,
  PG_CMD_CTL,
  PG_CMD_ACCESS, /* load, store, fetch */
  PG_CMD_INVLPG,
  PG_CMD_INVPCID,
  PG_CMD_INVEPT,
  PG_CMD_INVVPID,
  PG_CMD_POLL,
  PG_CMD_WAIT,
} pg_cmd_kind_t;

#define PG_MAX_CTL 15 /* every field once */

typedef struct {
  uint8_t status_set; /* any of expect.err / gp / bus, or implied ok */
  pg_status_t status;
  uint8_t err_set;
  uint32_t err;
  uint8_t pa_set;
  uint64_t pa;
  uint8_t data_set;
  uint64_t data;
  /* expect.exit (status ept or eptmc), expect.qual, expect.gpa, expect.gla */
  uint8_t qual_set, gpa_set, gla_set;
  uint64_t qual, gpa, gla;
} pg_expect_t;

typedef struct {
  pg_cmd_kind_t kind;
  unsigned line;
  pg_access_t acc;    /* access, poll (a load of 8 bytes) */
  pg_expect_t exp;    /* access */
  uint64_t pa, value; /* phys.*; poll: value */
  unsigned size;      /* phys.* */
  unsigned nctl;      /* ctl, applied in the order written */
  pg_ctl_field_t ctl_field[PG_MAX_CTL];
  uint64_t ctl_value[PG_MAX_CTL];
  unsigned inv_type; /* invpcid, invept, invvpid */
  uint16_t pcid;     /* invpcid */
  uint16_t vpid;     /* invvpid */
  uint64_t eptp;     /* invept */
  uint64_t va;       /* invlpg, invpcid, invvpid */
  uint64_t mask;     /* poll */
  uint64_t max;      /* poll: cycles; wait: cycles */
} pg_cmd_t;

typedef struct {
  char *name;
  pg_cmd_t *cmds;
  size_t n, cap;
} pg_trace_t;

#define PG_POLL_DEFAULT_MAX 100000u

/* 0 on success; else -1 with "NAME:LINE: message" in err. */
int pg_trace_parse_buffer(const char *name, const char *buf, size_t len, pg_trace_t *t, char *err,
                          size_t errlen);
int pg_trace_parse_file(const char *path, pg_trace_t *t, char *err, size_t errlen);
void pg_trace_free(pg_trace_t *t);

#endif
