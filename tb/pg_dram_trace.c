/* SPDX-License-Identifier: MIT */
/* pg_dram_trace.c — DRAMsim3 request traces: read into a list of requests
 * (pg_dram_run.h). Apart from the run so that a program that only reads
 * traces (a fuzzing harness) needs no Verilated model. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pg_dram_run.h"

int pg_dram_reqs_push(pg_dram_reqs_t *t, uint64_t addr, int we, uint64_t cycle, uint64_t mask) {
  if (t->n == t->cap) {
    size_t cap = t->cap ? 2 * t->cap : 1024;
    pg_dram_req_t *r = realloc(t->r, cap * sizeof *r);
    if (!r)
      return -1;
    t->r = r;
    t->cap = cap;
  }
  t->r[t->n++] = (pg_dram_req_t){addr, cycle, (uint8_t)(we != 0), mask};
  return 0;
}

void pg_dram_reqs_free(pg_dram_reqs_t *t) {
  free(t->r);
  memset(t, 0, sizeof *t);
}

int pg_dram_trace_load(const char *path, const pg_dram_cfg_t *c, pg_dram_reqs_t *t, char *err,
                       size_t errlen) {
  FILE *f = fopen(path, "r");
  if (!f) {
    snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
    return -1;
  }
  unsigned bits = 6;
  for (int k = 0; k < PG_NUM_FIELDS; k++)
    bits += c->width[k];
  char buf[256];
  unsigned line = 0;
  uint64_t last_cycle = 0;
  int rc = 0;
  while (!rc && fgets(buf, sizeof buf, f)) {
    line++;
    char *hash = strchr(buf, '#');
    if (hash)
      *hash = 0;
    char a[64], op[16], cy[64], extra[8];
    int k = sscanf(buf, "%63s %15s %63s %7s", a, op, cy, extra);
    if (k <= 0)
      continue;
    char *end;
    errno = 0;
    uint64_t addr = strtoull(a, &end, 0);
    int bad_addr = errno || *end || a[0] == '-';
    errno = 0;
    uint64_t cycle = k >= 3 ? strtoull(cy, &end, 0) : 0;
    int bad_cycle = k < 3 || errno || *end || cy[0] == '-';
    int we = !strcmp(op, "WRITE") ? 1 : !strcmp(op, "READ") ? 0 : -1;
    if (k != 3) {
      snprintf(err, errlen, "%s:%u: expected '0xADDR READ|WRITE CYCLE'", path, line);
      rc = -1;
    } else if (bad_addr) {
      snprintf(err, errlen, "%s:%u: bad address '%s'", path, line, a);
      rc = -1;
    } else if (bits < 64 && addr >> bits) {
      snprintf(err, errlen, "%s:%u: address 0x%" PRIx64 " beyond the DRAM (%u address bits)", path,
               line, addr, bits);
      rc = -1;
    } else if (we < 0) {
      snprintf(err, errlen, "%s:%u: '%s': READ or WRITE expected", path, line, op);
      rc = -1;
    } else if (bad_cycle) {
      snprintf(err, errlen, "%s:%u: bad cycle '%s'", path, line, cy);
      rc = -1;
    } else if (cycle < last_cycle) {
      snprintf(err, errlen, "%s:%u: cycle %" PRIu64 " before the previous request's %" PRIu64, path,
               line, cycle, last_cycle);
      rc = -1;
    } else if (pg_dram_reqs_push(t, addr, we, cycle, UINT64_MAX)) {
      snprintf(err, errlen, "%s:%u: out of memory", path, line);
      rc = -1;
    }
    last_cycle = cycle;
  }
  fclose(f);
  if (!rc && t->n == 0) {
    snprintf(err, errlen, "%s: no requests", path);
    rc = -1;
  }
  return rc;
}
