/* SPDX-License-Identifier: MIT */
/* os_phys.h — where the kernel library's writes to physical memory go.
 *
 * Owns: a small interface (read64/write64 of physical memory) with two
 * backends: the golden model's memory, and a trace sink that writes
 * `phys.write PA VALUE 8` lines to a file while keeping a shadow copy so that
 * reads see what was written. Page tables built either way are identical. */
#ifndef OS_PHYS_H
#define OS_PHYS_H

#include <stdint.h>
#include <stdio.h>

#include "pg_mem.h"

typedef struct {
  uint64_t (*read64)(void *ctx, uint64_t pa);
  void (*write64)(void *ctx, uint64_t pa, uint64_t value);
  void *ctx;
} os_phys_t;

os_phys_t os_phys_of_mem(pg_mem_t *mem);

typedef struct os_trace_sink os_trace_sink_t;
os_trace_sink_t *os_trace_sink_new(FILE *out);
void os_trace_sink_free(os_trace_sink_t *s);
os_phys_t os_phys_of_trace(os_trace_sink_t *s);
pg_mem_t *os_trace_sink_shadow(os_trace_sink_t *s);

static inline uint64_t os_read64(const os_phys_t *p, uint64_t pa) {
  return p->read64(p->ctx, pa);
}
static inline void os_write64(const os_phys_t *p, uint64_t pa, uint64_t v) {
  p->write64(p->ctx, pa, v);
}

#endif
