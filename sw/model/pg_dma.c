/* SPDX-License-Identifier: MIT */
/* pg_dma.c — DMA engines and the register-bus decode (SPEC §5, §2.1). */
#include "pg_dma.h"

#include <assert.h>
#include <stdlib.h>

#include "pg_bus.h"
#include "pg_hw.h"

typedef struct {
  uint16_t rid;
  uint64_t src, dst, len, status, err_reason, err_iova;
} engine_t;

struct pg_io {
  pg_mem_t *mem;
  pg_counters_t *c;
  pg_iommu_t *iommu;
  engine_t dma[2]; /* NIC, disk */
};

pg_io_t *pg_io_new(pg_mem_t *mem, pg_counters_t *c) {
  pg_io_t *io = calloc(1, sizeof *io);
  assert(io);
  io->mem = mem;
  io->c = c;
  io->iommu = pg_iommu_new(mem, c);
  io->dma[0].rid = RID_NIC;
  io->dma[1].rid = RID_DISK;
  return io;
}

void pg_io_free(pg_io_t *io) {
  if (!io)
    return;
  pg_iommu_free(io->iommu);
  free(io);
}

pg_iommu_t *pg_io_iommu(pg_io_t *io) {
  return io->iommu;
}

static void fail(engine_t *e, unsigned reason, uint64_t iova) {
  e->status = DMA_STATUS_ERROR;
  e->err_reason = reason;
  e->err_iova = iova;
}

static void run(pg_io_t *io, engine_t *e) {
  e->status = 0;
  e->err_reason = 0;
  e->err_iova = 0;
  if ((e->src | e->dst | e->len) & 7) {
    fail(e, IO_R_DMA_ALIGN, 0);
    return;
  }
  for (uint64_t done = 0; done < e->len;) {
    uint64_t s = e->src + done, d = e->dst + done;
    uint64_t n = LINE_BYTES - (s & (LINE_BYTES - 1));
    if (LINE_BYTES - (d & (LINE_BYTES - 1)) < n)
      n = LINE_BYTES - (d & (LINE_BYTES - 1));
    if (e->len - done < n)
      n = e->len - done;
    uint64_t spa, dpa;
    unsigned r = pg_iommu_translate(io->iommu, e->rid, s, 0, &spa);
    if (r != IO_OK) {
      fail(e, r, s);
      return;
    }
    r = pg_iommu_translate(io->iommu, e->rid, d, 1, &dpa);
    if (r != IO_OK) {
      fail(e, r, d);
      return;
    }
    uint8_t buf[LINE_BYTES];
    pg_mem_read_bytes(io->mem, spa, buf, n);
    pg_mem_write_bytes(io->mem, dpa, buf, n);
    io->c->dma_bytes += n;
    done += n;
  }
  e->status = DMA_STATUS_DONE;
}

static int engine_access(pg_io_t *io, engine_t *e, unsigned off, int write, uint64_t *data) {
  uint64_t *reg;
  switch (off) {
  case DMA_SRC:
    reg = &e->src;
    break;
  case DMA_DST:
    reg = &e->dst;
    break;
  case DMA_LEN:
    reg = &e->len;
    break;
  case DMA_STATUS:
    reg = &e->status;
    break;
  case DMA_ERR_REASON:
    reg = &e->err_reason;
    break;
  case DMA_ERR_IOVA:
    reg = &e->err_iova;
    break;
  case DMA_CTRL:
    if (!write)
      *data = 0;
    else if (*data & DMA_CTRL_START)
      run(io, e);
    return 0;
  default:
    return -1;
  }
  if (!write)
    *data = *reg;
  else if (off == DMA_STATUS)
    e->status &= ~(*data & (DMA_STATUS_DONE | DMA_STATUS_ERROR));
  else if (off == DMA_SRC || off == DMA_DST || off == DMA_LEN)
    *reg = *data;
  return 0; /* ERR_REASON, ERR_IOVA: read-only */
}

int pg_io_access(pg_io_t *io, uint64_t pa, int write, uint64_t *data) {
  assert((pa & 7) == 0);
  switch (pg_bus_decode(pa)) {
  case PG_TARGET_NIC:
    return engine_access(io, &io->dma[0], (unsigned)(pa - PA_NIC_BASE), write, data);
  case PG_TARGET_DISK:
    return engine_access(io, &io->dma[1], (unsigned)(pa - PA_DISK_BASE), write, data);
  case PG_TARGET_IOMMU:
    return write ? pg_iommu_reg_write(io->iommu, (unsigned)(pa - PA_IOMMU_BASE), *data)
                 : pg_iommu_reg_read(io->iommu, (unsigned)(pa - PA_IOMMU_BASE), data);
  default:
    return -1;
  }
}
