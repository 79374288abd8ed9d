/* SPDX-License-Identifier: MIT */
/* os_iommu.c — IOMMU and DMA drivers. */
#include "os_iommu.h"

#include <assert.h>

#include "pg_dma.h"
#include "pg_hw.h"

static int io_read(void *ctx, uint64_t pa, uint64_t *v) {
  return pg_io_access(ctx, pa, 0, v);
}
static int io_write(void *ctx, uint64_t pa, uint64_t v) {
  return pg_io_access(ctx, pa, 1, &v);
}

os_err_t os_map_device_windows(os_as_t *as) {
  return os_map(as, PA_NIC_BASE, PA_NIC_BASE, PG_SIZE_2M, PTE_RW);
}

os_mmio_t os_mmio_of_io(struct pg_io *io) {
  return (os_mmio_t){io_read, io_write, io};
}

uint64_t os_iommu_reg(const os_iommu_t *io, unsigned off) {
  uint64_t v = 0;
  int err = io->mmio.read(io->mmio.ctx, PA_IOMMU_BASE + off, &v);
  assert(err == 0);
  (void)err;
  return v;
}

void os_iommu_set_reg(const os_iommu_t *io, unsigned off, uint64_t value) {
  int err = io->mmio.write(io->mmio.ctx, PA_IOMMU_BASE + off, value);
  assert(err == 0);
  (void)err;
}

/* Contiguous zeroed frames for a table of BYTES (at least one page). */
static os_err_t alloc_table(os_frames_t *f, uint64_t bytes, uint64_t *pa) {
  uint64_t pages = (bytes + 4095) / 4096, first = 0;
  for (uint64_t i = 0; i < pages; i++) {
    uint64_t p;
    os_err_t e = os_frames_alloc(f, &p);
    if (e != OS_OK)
      return e;
    if (i == 0)
      first = p;
    else if (p != first + 4096 * i)
      return OS_ENOMEM; /* the bump allocator hands out ascending frames */
  }
  *pa = first;
  return OS_OK;
}

os_err_t os_iommu_init(os_iommu_t *io, os_mmio_t mmio, os_frames_t *frames, unsigned dt_log2,
                       unsigned fl_log2, unsigned cq_log2, int te) {
  if (dt_log2 > IOMMU_MAX_LOG2 || fl_log2 > IOMMU_MAX_LOG2 || cq_log2 > IOMMU_MAX_LOG2)
    return OS_EINVAL;
  *io = (os_iommu_t){.mmio = mmio,
                     .phys = frames->phys,
                     .frames = frames,
                     .dt_log2 = dt_log2,
                     .fl_log2 = fl_log2,
                     .cq_log2 = cq_log2,
                     .max_polls = 1000};
  os_err_t e;
  if ((e = alloc_table(frames, (uint64_t)DTE_BYTES << dt_log2, &io->dt_base)) != OS_OK ||
      (e = alloc_table(frames, (uint64_t)FR_BYTES << fl_log2, &io->fl_base)) != OS_OK ||
      (e = alloc_table(frames, (uint64_t)CMD_BYTES << cq_log2, &io->cq_base)) != OS_OK ||
      (e = os_frames_alloc(frames, &io->wait_pa)) != OS_OK)
    return e;
  os_iommu_set_reg(io, IOMMU_CTRL, 0);
  os_iommu_set_reg(io, IOMMU_DT_BASE, io->dt_base);
  os_iommu_set_reg(io, IOMMU_DT_LOG2, dt_log2);
  os_iommu_set_reg(io, IOMMU_FL_BASE, io->fl_base);
  os_iommu_set_reg(io, IOMMU_FL_LOG2, fl_log2);
  os_iommu_set_reg(io, IOMMU_FL_HEAD, 0);
  os_iommu_set_reg(io, IOMMU_FL_TAIL, 0);
  os_iommu_set_reg(io, IOMMU_CQ_BASE, io->cq_base);
  os_iommu_set_reg(io, IOMMU_CQ_LOG2, cq_log2);
  os_iommu_set_reg(io, IOMMU_CQ_HEAD, 0);
  os_iommu_set_reg(io, IOMMU_CQ_TAIL, 0);
  os_iommu_set_reg(io, IOMMU_FSTS, IOMMU_FSTS_PENDING | IOMMU_FSTS_OVERFLOW);
  os_iommu_set_reg(io, IOMMU_CQ_STS, IOMMU_CQ_STS_STOPPED);
  os_iommu_set_reg(io, IOMMU_CTRL, IOMMU_CTRL_FLE | IOMMU_CTRL_CQE | (te ? IOMMU_CTRL_TE : 0));
  return OS_OK;
}

void os_iommu_command(os_iommu_t *io, uint64_t w0, uint64_t w1) {
  uint64_t len = 1ull << io->cq_log2;
  uint64_t tail = os_iommu_reg(io, IOMMU_CQ_TAIL) & (len - 1);
  uint64_t slot = io->cq_base + CMD_BYTES * tail;
  os_write64(&io->phys, slot, w0);
  os_write64(&io->phys, slot + 8, w1);
  os_iommu_set_reg(io, IOMMU_CQ_TAIL, (tail + 1) & (len - 1));
}

os_err_t os_iommu_sync(os_iommu_t *io) {
  os_write64(&io->phys, io->wait_pa, 0);
  os_iommu_command(io, CMD_WAIT, io->wait_pa);
  for (unsigned i = 0; i < io->max_polls; i++) {
    if (os_read64(&io->phys, io->wait_pa) == 1)
      return OS_OK;
    if (os_iommu_reg(io, IOMMU_CQ_STS) & IOMMU_CQ_STS_STOPPED)
      return OS_EINVAL;
  }
  return OS_EINVAL;
}

void os_iommu_inv_all(os_iommu_t *io) {
  os_iommu_command(io, CMD_INV_ALL, 0);
  os_iommu_sync(io);
}

void os_iommu_set_dte(os_iommu_t *io, uint16_t rid, const uint64_t words[4]) {
  uint64_t ea = io->dt_base + (uint64_t)DTE_BYTES * rid;
  for (int i = 0; i < 4; i++)
    os_write64(&io->phys, ea + 8u * (unsigned)i, words[i]);
}

os_err_t os_iommu_attach(os_iommu_t *io, uint16_t rid, unsigned mode, uint16_t domain, int r, int w,
                         uint64_t host_root, uint64_t guest_root) {
  if (mode > DTE_NESTED || (host_root & ~PTE_ADDR) || (guest_root & ~PTE_ADDR) ||
      ((uint64_t)rid >> io->dt_log2))
    return OS_EINVAL;
  uint64_t words[4] = {DTE_V | (uint64_t)mode << DTE_MODE_SHIFT | (r ? DTE_R : 0) |
                           (w ? DTE_W : 0) | (uint64_t)domain << DTE_DOMAIN_SHIFT,
                       host_root, guest_root, 0};
  os_iommu_set_dte(io, rid, words);
  os_iommu_command(io, CMD_INV_DTE | (uint64_t)rid << CMD_ARG_SHIFT, 0);
  return os_iommu_sync(io);
}

os_err_t os_iommu_map(os_as_t *dom, uint64_t iova, uint64_t pa, uint64_t len,
                      enum pg_page_size size, int w) {
  return os_map_range(dom, iova, pa, len, size, w ? PTE_RW : 0);
}

os_err_t os_iommu_unmap(os_iommu_t *io, os_as_t *dom, uint16_t domain, uint64_t iova, uint64_t len,
                        enum pg_page_size size) {
  uint64_t page = 1ull << pg_size_shift(size);
  for (uint64_t off = 0; off < len; off += page) {
    os_err_t e = os_unmap(dom, iova + off, size, NULL);
    if (e != OS_OK)
      return e;
    os_iommu_command(io, CMD_INV_PAGE | (uint64_t)domain << CMD_ARG_SHIFT, iova + off);
  }
  return os_iommu_sync(io);
}

int os_iommu_next_fault(os_iommu_t *io, uint64_t rec[4]) {
  uint64_t len = 1ull << io->fl_log2;
  uint64_t head = os_iommu_reg(io, IOMMU_FL_HEAD) & (len - 1);
  if (head == (os_iommu_reg(io, IOMMU_FL_TAIL) & (len - 1)))
    return 0;
  for (int i = 0; i < 4; i++)
    rec[i] = os_read64(&io->phys, io->fl_base + FR_BYTES * head + 8u * (unsigned)i);
  os_iommu_set_reg(io, IOMMU_FL_HEAD, (head + 1) & (len - 1));
  return 1;
}

void os_dma_start(const os_mmio_t *mmio, uint64_t base, uint64_t src, uint64_t dst, uint64_t len) {
  mmio->write(mmio->ctx, base + DMA_SRC, src);
  mmio->write(mmio->ctx, base + DMA_DST, dst);
  mmio->write(mmio->ctx, base + DMA_LEN, len);
  mmio->write(mmio->ctx, base + DMA_CTRL, DMA_CTRL_START);
}

os_err_t os_dma_wait(const os_mmio_t *mmio, uint64_t base, unsigned max_polls,
                     os_dma_result_t *res) {
  for (unsigned i = 0; i < max_polls; i++) {
    if (mmio->read(mmio->ctx, base + DMA_STATUS, &res->status) != 0)
      return OS_EINVAL;
    if (res->status & DMA_STATUS_BUSY)
      continue;
    mmio->read(mmio->ctx, base + DMA_ERR_REASON, &res->reason);
    mmio->read(mmio->ctx, base + DMA_ERR_IOVA, &res->iova);
    mmio->write(mmio->ctx, base + DMA_STATUS, DMA_STATUS_DONE | DMA_STATUS_ERROR);
    return OS_OK;
  }
  return OS_EINVAL;
}
