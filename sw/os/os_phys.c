/* SPDX-License-Identifier: MIT */
/* os_phys.c — the two physical-memory backends of the kernel library. */
#include "os_phys.h"

#include <assert.h>
#include <inttypes.h>
#include <stdlib.h>

static uint64_t mem_read64(void *ctx, uint64_t pa) {
  return pg_mem_read(ctx, pa, 8);
}

static void mem_write64(void *ctx, uint64_t pa, uint64_t v) {
  pg_mem_write(ctx, pa, v, 8);
}

os_phys_t os_phys_of_mem(pg_mem_t *mem) {
  return (os_phys_t){mem_read64, mem_write64, mem};
}

struct os_trace_sink {
  FILE *out;
  pg_mem_t *shadow;
};

os_trace_sink_t *os_trace_sink_new(FILE *out) {
  os_trace_sink_t *s = calloc(1, sizeof *s);
  assert(s);
  s->out = out;
  s->shadow = pg_mem_new();
  return s;
}

void os_trace_sink_free(os_trace_sink_t *s) {
  if (!s)
    return;
  pg_mem_free(s->shadow);
  free(s);
}

pg_mem_t *os_trace_sink_shadow(os_trace_sink_t *s) {
  return s->shadow;
}

static uint64_t trace_read64(void *ctx, uint64_t pa) {
  os_trace_sink_t *s = ctx;
  return pg_mem_read(s->shadow, pa, 8);
}

static void trace_write64(void *ctx, uint64_t pa, uint64_t v) {
  os_trace_sink_t *s = ctx;
  pg_mem_write(s->shadow, pa, v, 8);
  fprintf(s->out, "phys.write 0x%" PRIx64 " 0x%" PRIx64 " 8\n", pa, v);
}

os_phys_t os_phys_of_trace(os_trace_sink_t *s) {
  return (os_phys_t){trace_read64, trace_write64, s};
}
