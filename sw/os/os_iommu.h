/* SPDX-License-Identifier: MIT */
/* os_iommu.h — the kernel library's IOMMU and DMA drivers.
 *
 * Owns: setting up the IOMMU (device table, fault log, command ring), putting
 * a device in a domain with a mode, mapping and unmapping IOVA ranges in a
 * domain's table (an os_as_t: the IOMMU reads the CPU's entry format),
 * invalidating through the command queue and waiting for it, reading and
 * retiring fault records, and starting a DMA and waiting for it. Registers
 * are reached through an os_mmio_t (the golden model's devices directly, or
 * CPU loads and stores through a target); tables through os_phys_t. */
#ifndef OS_IOMMU_H
#define OS_IOMMU_H

#include <stdint.h>

#include "os_vm.h"

typedef struct {
  /* Returns 0, or nonzero when the access failed (a bus error). */
  int (*read)(void *ctx, uint64_t pa, uint64_t *value);
  int (*write)(void *ctx, uint64_t pa, uint64_t value);
  void *ctx;
} os_mmio_t;

/* Maps the device windows (NIC, disk, IOMMU: one 2 MiB page at PA_NIC_BASE)
 * at VA = PA in AS, supervisor, writable: what CPU-side register access
 * (pg_target_mmio) needs. */
os_err_t os_map_device_windows(os_as_t *as);

struct pg_io;
/* The golden model's devices as registers (no CPU in between). */
os_mmio_t os_mmio_of_io(struct pg_io *io);

typedef struct {
  os_mmio_t mmio;
  os_phys_t phys;
  os_frames_t *frames;
  uint64_t dt_base, fl_base, cq_base;
  unsigned dt_log2, fl_log2, cq_log2;
  uint64_t wait_pa;   /* the word a WAIT command sets */
  unsigned max_polls; /* reads of the WAIT word before os_iommu_sync gives up */
} os_iommu_t;

/* Allocates the device table (2^dt_log2 entries), the fault log (2^fl_log2
 * records) and the command ring (2^cq_log2 commands) from FRAMES, programs
 * the registers and turns on CTRL = TE | FLE | CQE (te = 0: FLE | CQE). */
os_err_t os_iommu_init(os_iommu_t *io, os_mmio_t mmio, os_frames_t *frames, unsigned dt_log2,
                       unsigned fl_log2, unsigned cq_log2, int te);
uint64_t os_iommu_reg(const os_iommu_t *io, unsigned off);
void os_iommu_set_reg(const os_iommu_t *io, unsigned off, uint64_t value);

/* Writes RID's device-table entry (mode enum pg_dte_mode; host_root and
 * guest_root are table addresses, guest_root guest-physical) and drops its
 * cached copy (INV_DTE, then a sync). */
os_err_t os_iommu_attach(os_iommu_t *io, uint16_t rid, unsigned mode, uint16_t domain, int r, int w,
                         uint64_t host_root, uint64_t guest_root);
/* Writes the raw four words of RID's entry (for tests of bad entries). */
void os_iommu_set_dte(os_iommu_t *io, uint16_t rid, const uint64_t words[4]);

/* Maps [iova, iova + len) of a domain's table to PA in pages of SIZE,
 * readable, and writable when W. */
os_err_t os_iommu_map(os_as_t *dom, uint64_t iova, uint64_t pa, uint64_t len,
                      enum pg_page_size size, int w);
/* Unmaps the range and invalidates it in DOMAIN (INV_PAGE per page, then a
 * sync): after it returns no DMA can reach the old frames. */
os_err_t os_iommu_unmap(os_iommu_t *io, os_as_t *dom, uint16_t domain, uint64_t iova, uint64_t len,
                        enum pg_page_size size);

/* Queues one command (two words) and moves CQ_TAIL. */
void os_iommu_command(os_iommu_t *io, uint64_t w0, uint64_t w1);
/* Queues a WAIT and polls its word: 0 when every earlier command is done,
 * OS_EINVAL when the queue stopped or the word never turned 1. */
os_err_t os_iommu_sync(os_iommu_t *io);
void os_iommu_inv_all(os_iommu_t *io);

/* The next unread fault record: 1 and its four words (FL_HEAD moves past
 * it), or 0 when the log is empty. */
int os_iommu_next_fault(os_iommu_t *io, uint64_t rec[4]);

/* DMA engines (base = PA_NIC_BASE or PA_DISK_BASE). */
typedef struct {
  uint64_t status, reason, iova;
} os_dma_result_t;
void os_dma_start(const os_mmio_t *mmio, uint64_t base, uint64_t src, uint64_t dst, uint64_t len);
/* Polls STATUS until the engine is not busy (at most MAX_POLLS reads), then
 * reads the error registers and clears done/error. OS_EINVAL on timeout. */
os_err_t os_dma_wait(const os_mmio_t *mmio, uint64_t base, unsigned max_polls,
                     os_dma_result_t *res);

#endif
