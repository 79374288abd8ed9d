/* SPDX-License-Identifier: MIT */
/* pg_iotest.c — directed IOMMU and DMA cases (see pg_iotest.h). */
#include "pg_iotest.h"

#include <inttypes.h>
#include <string.h>

#include "os_iommu.h"
#include "os_vm.h"
#include "pg_hw.h"

#define FRAMES_BASE  0x00100000ull
#define FRAMES_LIMIT 0x04000000ull
#define NOT_RAM      0xd0000000ull /* no target: every access is a bus error */
#define MAX_POLLS    100000u

/* IOVAs every case uses. */
#define IOVA_SRC 0x10000ull
#define IOVA_DST 0x20000ull

typedef struct {
  const pg_target_t *tg;
  FILE *out;
  unsigned fails;
  os_phys_t phys;
  os_frames_t frames;
  os_as_t cpu;
  os_mmio_t mmio;
  os_iommu_t io;
  os_as_t dom;       /* the NIC's table (translate mode) */
  uint64_t src, dst; /* frames behind IOVA_SRC / IOVA_DST */
} ctx_t;

#define CHECK(t, what, exp, got) check(t, __LINE__, what, (uint64_t)(exp), (uint64_t)(got))

static void check(ctx_t *t, int line, const char *what, uint64_t exp, uint64_t got) {
  if (exp == got)
    return;
  t->fails++;
  fprintf(t->out, "  FAIL pg_iotest.c:%d %s: expected 0x%" PRIx64 ", got 0x%" PRIx64 "\n", line,
          what, exp, got);
}

static uint64_t frame(ctx_t *t) {
  uint64_t pa = 0;
  CHECK(t, "frame allocation", OS_OK, os_frames_alloc(&t->frames, &pa));
  return pa;
}

static void fill(ctx_t *t, uint64_t pa, uint64_t bytes, uint64_t seed) {
  for (uint64_t i = 0; i < bytes; i += 8)
    os_write64(&t->phys, pa + i, seed * 0x9e3779b97f4a7c15ull + i);
}

/* The registers reachable, the IOMMU set up, and the NIC's domain table with
 * IOVA_SRC (read-only) and IOVA_DST (writable) mapped, not yet attached. */
static void setup(ctx_t *t, const pg_target_t *tg, FILE *out, unsigned dt_log2, unsigned fl_log2,
                  int te) {
  memset(t, 0, sizeof *t);
  t->tg = tg;
  t->out = out;
  t->phys = pg_target_phys(tg);
  os_frames_init(&t->frames, t->phys, FRAMES_BASE, FRAMES_LIMIT);
  os_as_init(&t->cpu, &t->frames);
  CHECK(t, "map device windows", OS_OK, os_map_device_windows(&t->cpu));
  tg->ctl(tg->ctx, PG_CTL_CR3, os_as_cr3(&t->cpu, 0));
  t->mmio = pg_target_mmio(tg);
  CHECK(t, "iommu init", OS_OK,
        os_iommu_init(&t->io, t->mmio, &t->frames, dt_log2, fl_log2, 4, te));
  t->io.max_polls = MAX_POLLS;
  os_as_init(&t->dom, &t->frames);
  t->src = frame(t);
  t->dst = frame(t);
  fill(t, t->src, 4096, 1);
  CHECK(t, "map src", OS_OK, os_iommu_map(&t->dom, IOVA_SRC, t->src, 4096, PG_SIZE_4K, 0));
  CHECK(t, "map dst", OS_OK, os_iommu_map(&t->dom, IOVA_DST, t->dst, 4096, PG_SIZE_4K, 1));
}

static void teardown(ctx_t *t) {
  os_frames_destroy(&t->frames);
}

static void attach(ctx_t *t, unsigned mode, uint16_t domain, int r, int w) {
  CHECK(t, "attach", OS_OK, os_iommu_attach(&t->io, RID_NIC, mode, domain, r, w, t->dom.pml4, 0));
}

static os_dma_result_t dma(ctx_t *t, uint64_t src, uint64_t dst, uint64_t len) {
  os_dma_result_t res = {0};
  os_dma_start(&t->mmio, PA_NIC_BASE, src, dst, len);
  CHECK(t, "dma finishes", OS_OK, os_dma_wait(&t->mmio, PA_NIC_BASE, MAX_POLLS, &res));
  return res;
}

static void expect_copied(ctx_t *t, uint64_t src_pa, uint64_t dst_pa, uint64_t len) {
  for (uint64_t i = 0; i < len; i += 8)
    if (os_read64(&t->phys, src_pa + i) != os_read64(&t->phys, dst_pa + i)) {
      CHECK(t, "copied word", os_read64(&t->phys, src_pa + i), os_read64(&t->phys, dst_pa + i));
      return;
    }
}

static uint64_t rec_w0(unsigned reason, uint16_t rid, int write, int stage, unsigned level,
                       uint16_t domain) {
  return reason | (uint64_t)rid << FR_RID_SHIFT | (write ? FR_WRITE : 0) |
         (stage ? FR_STAGE_GUEST : 0) | (uint64_t)level << FR_LEVEL_SHIFT |
         (uint64_t)domain << FR_DOMAIN_SHIFT;
}

/* The DMA failed with REASON at IOVA and logged exactly REC. */
static void expect_fault(ctx_t *t, os_dma_result_t res, unsigned reason, uint64_t iova,
                         const uint64_t rec[4]) {
  CHECK(t, "STATUS", DMA_STATUS_ERROR, res.status);
  CHECK(t, "ERR_REASON", reason, res.reason);
  CHECK(t, "ERR_IOVA", iova, res.iova);
  uint64_t got[4] = {0};
  CHECK(t, "a fault record", 1, os_iommu_next_fault(&t->io, got));
  static const char *const word[4] = {"record word 0", "record word 1 (IOVA)",
                                      "record word 2 (GPA)", "record word 3 (entry)"};
  for (int i = 0; i < 4; i++)
    CHECK(t, word[i], rec[i], got[i]);
}

static uint64_t entry_addr(ctx_t *t, const os_as_t *as, uint64_t va, int level) {
  uint64_t ea = 0;
  CHECK(t, "entry address", OS_OK, os_entry_addr(as, va, level, &ea));
  return ea;
}

static const pg_counters_t *counters(ctx_t *t) {
  return t->tg->counters(t->tg->ctx);
}

/* ---- successful copies ------------------------------------------------------------ */

static void case_copy(ctx_t *t) {
  attach(t, DTE_TRANSLATE, 1, 1, 1);
  uint64_t bytes0 = counters(t)->dma_bytes, hits0 = counters(t)->iotlb_hits;
  os_dma_result_t res = dma(t, IOVA_SRC, IOVA_DST, 4096);
  CHECK(t, "STATUS done", DMA_STATUS_DONE, res.status);
  expect_copied(t, t->src, t->dst, 4096);
  CHECK(t, "dma_bytes", 4096, counters(t)->dma_bytes - bytes0);
  /* 64 pieces, two translations each, two walks. */
  CHECK(t, "iotlb hits", 126, counters(t)->iotlb_hits - hits0);
  /* Unaligned: pieces end at either side's line boundary. */
  fill(t, t->src, 4096, 2);
  res = dma(t, IOVA_SRC + 8, IOVA_DST + 40, 1000);
  CHECK(t, "STATUS done", DMA_STATUS_DONE, res.status);
  expect_copied(t, t->src + 8, t->dst + 40, 1000);
  CHECK(t, "byte after the copy untouched", os_read64(&t->phys, t->dst + 1040) != 0, 1);
  /* The leaves got A, the written one D. */
  uint64_t e = os_read64(&t->phys, entry_addr(t, &t->dom, IOVA_DST, 1));
  CHECK(t, "dst leaf A|D", PTE_A | PTE_D, e & (PTE_A | PTE_D));
  e = os_read64(&t->phys, entry_addr(t, &t->dom, IOVA_SRC, 1));
  CHECK(t, "src leaf A, no D", PTE_A, e & (PTE_A | PTE_D));
}

static void case_align(ctx_t *t) {
  attach(t, DTE_TRANSLATE, 1, 1, 1);
  os_dma_result_t res = dma(t, IOVA_SRC, IOVA_DST, 12);
  CHECK(t, "STATUS error", DMA_STATUS_ERROR, res.status);
  CHECK(t, "ERR_REASON", IO_R_DMA_ALIGN, res.reason);
  CHECK(t, "dma_bytes", 0, counters(t)->dma_bytes);
}

static void case_pass_through(ctx_t *t) {
  attach(t, DTE_PASS, 3, 1, 1);
  os_dma_result_t res = dma(t, t->src, t->dst, 512);
  CHECK(t, "STATUS done", DMA_STATUS_DONE, res.status);
  expect_copied(t, t->src, t->dst, 512);
  res = dma(t, t->src, NOT_RAM, 64);
  uint64_t rec[4] = {rec_w0(IO_R_NOT_RAM, RID_NIC, 1, 0, 0, 3), NOT_RAM, 0, 0};
  expect_fault(t, res, IO_R_NOT_RAM, NOT_RAM, rec);
}

static void case_te_off(ctx_t *t) {
  /* No device-table entry at all: with TE=0 nothing is checked. */
  os_dma_result_t res = dma(t, t->src, t->dst, 4096);
  CHECK(t, "STATUS done", DMA_STATUS_DONE, res.status);
  expect_copied(t, t->src, t->dst, 4096);
  res = dma(t, t->src, NOT_RAM, 64);
  CHECK(t, "STATUS error", DMA_STATUS_ERROR, res.status);
  CHECK(t, "ERR_REASON", IO_R_NOT_RAM, res.reason);
  uint64_t rec[4];
  CHECK(t, "no fault record", 0, os_iommu_next_fault(&t->io, rec));
  CHECK(t, "iommu faults", 0, os_iommu_reg(&t->io, IOMMU_CNT_FAULTS));
  CHECK(t, "iotlb misses", 0, os_iommu_reg(&t->io, IOMMU_CNT_IOTLB_MISSES));
}

/* ---- one case per reason -------------------------------------------------------------- */

static void case_r1(ctx_t *t) { /* the table has 8 entries: RID 8 is past it */
  os_dma_result_t res = dma(t, IOVA_SRC, IOVA_DST, 64);
  uint64_t rec[4] = {rec_w0(IO_R_RID, RID_NIC, 0, 0, 0, 0), IOVA_SRC, 0, 0};
  expect_fault(t, res, IO_R_RID, IOVA_SRC, rec);
}

static void case_r2(ctx_t *t) { /* never attached */
  os_dma_result_t res = dma(t, IOVA_SRC, IOVA_DST, 64);
  uint64_t rec[4] = {rec_w0(IO_R_DTE_INVALID, RID_NIC, 0, 0, 0, 0), IOVA_SRC, 0, 0};
  expect_fault(t, res, IO_R_DTE_INVALID, IOVA_SRC, rec);
}

static void case_r3(ctx_t *t) {
  uint64_t dte[4] = {DTE_V | (uint64_t)DTE_TRANSLATE << DTE_MODE_SHIFT | DTE_R | DTE_W |
                         (1ull << 5),
                     t->dom.pml4, 0, 0};
  os_iommu_set_dte(&t->io, RID_NIC, dte);
  os_dma_result_t res = dma(t, IOVA_SRC, IOVA_DST, 64);
  uint64_t rec[4] = {rec_w0(IO_R_DTE_RSVD, RID_NIC, 0, 0, 0, 0), IOVA_SRC, 0, 0};
  expect_fault(t, res, IO_R_DTE_RSVD, IOVA_SRC, rec);
  dte[0] &= ~(1ull << 5);
  dte[3] = 1; /* word 3 is reserved too */
  os_iommu_set_dte(&t->io, RID_NIC, dte);
  res = dma(t, IOVA_SRC, IOVA_DST, 64);
  expect_fault(t, res, IO_R_DTE_RSVD, IOVA_SRC, rec);
}

static void case_r4(ctx_t *t) {
  attach(t, DTE_BLOCKED, 7, 1, 1);
  os_dma_result_t res = dma(t, IOVA_SRC, IOVA_DST, 64);
  uint64_t rec[4] = {rec_w0(IO_R_BLOCKED, RID_NIC, 0, 0, 0, 7), IOVA_SRC, 0, 0};
  expect_fault(t, res, IO_R_BLOCKED, IOVA_SRC, rec);
}

static void case_r5(ctx_t *t) {
  /* A page-table root outside RAM: the PML4E read fails. */
  uint64_t dte[4] = {DTE_V | (uint64_t)DTE_TRANSLATE << DTE_MODE_SHIFT | DTE_R | DTE_W |
                         2ull << DTE_DOMAIN_SHIFT,
                     NOT_RAM, 0, 0};
  os_iommu_set_dte(&t->io, RID_NIC, dte);
  os_dma_result_t res = dma(t, IOVA_SRC, IOVA_DST, 64);
  uint64_t rec[4] = {rec_w0(IO_R_BUS, RID_NIC, 0, 0, 4, 2), IOVA_SRC, 0, NOT_RAM};
  expect_fault(t, res, IO_R_BUS, IOVA_SRC, rec);
  /* The device table itself outside RAM (the cached entry dropped first). */
  os_iommu_inv_all(&t->io);
  os_iommu_set_reg(&t->io, IOMMU_DT_BASE, NOT_RAM);
  res = dma(t, IOVA_SRC, IOVA_DST, 64);
  uint64_t rec2[4] = {rec_w0(IO_R_BUS, RID_NIC, 0, 0, 0, 0), IOVA_SRC, 0,
                      NOT_RAM + DTE_BYTES * RID_NIC};
  expect_fault(t, res, IO_R_BUS, IOVA_SRC, rec2);
}

static void case_r6(ctx_t *t) {
  attach(t, DTE_TRANSLATE, 1, 1, 1);
  uint64_t wide = 1ull << 48;
  os_dma_result_t res = dma(t, IOVA_SRC, wide, 64);
  uint64_t rec[4] = {rec_w0(IO_R_IOVA_WIDE, RID_NIC, 1, 0, 0, 1), wide, 0, 0};
  expect_fault(t, res, IO_R_IOVA_WIDE, wide, rec);
}

static void case_r7(ctx_t *t) {
  attach(t, DTE_TRANSLATE, 1, 1, 1);
  uint64_t iova = IOVA_DST + 0x1000; /* same page table, no leaf */
  os_dma_result_t res = dma(t, IOVA_SRC, iova, 64);
  uint64_t rec[4] = {rec_w0(IO_R_NOT_PRESENT, RID_NIC, 1, 0, 1, 1), iova, 0,
                     entry_addr(t, &t->dom, iova, 1)};
  expect_fault(t, res, IO_R_NOT_PRESENT, iova, rec);
  /* Far away: the PDPT has no entry. */
  iova = 0x7f0000000000ull;
  res = dma(t, IOVA_SRC, iova, 64);
  uint64_t rec2[4] = {rec_w0(IO_R_NOT_PRESENT, RID_NIC, 1, 0, 4, 1), iova, 0,
                      t->dom.pml4 + ((iova >> 39) & 511) * 8};
  expect_fault(t, res, IO_R_NOT_PRESENT, iova, rec2);
}

static void case_r8(ctx_t *t) {
  attach(t, DTE_TRANSLATE, 1, 1, 1);
  uint64_t big = 0;
  CHECK(t, "2 MiB frame", OS_OK, os_frames_alloc_size(&t->frames, PG_SIZE_2M, &big));
  uint64_t iova = 0x40000000ull;
  CHECK(t, "map 2 MiB", OS_OK, os_iommu_map(&t->dom, iova, big, 1ull << 21, PG_SIZE_2M, 1));
  CHECK(t, "set a reserved frame bit", OS_OK, os_entry_update(&t->dom, iova, 2, 1ull << 13, 0));
  os_dma_result_t res = dma(t, IOVA_SRC, iova, 64);
  uint64_t rec[4] = {rec_w0(IO_R_RSVD, RID_NIC, 1, 0, 2, 1), iova, 0,
                     entry_addr(t, &t->dom, iova, 2)};
  expect_fault(t, res, IO_R_RSVD, iova, rec);
}

static void case_r9(ctx_t *t) {
  attach(t, DTE_TRANSLATE, 1, 1, 1);
  /* A read-only leaf. */
  os_dma_result_t res = dma(t, IOVA_SRC, IOVA_SRC, 64);
  uint64_t leaf = entry_addr(t, &t->dom, IOVA_SRC, 1);
  uint64_t rec[4] = {rec_w0(IO_R_WRITE, RID_NIC, 1, 0, 1, 1), IOVA_SRC, 0, leaf};
  expect_fault(t, res, IO_R_WRITE, IOVA_SRC, rec);
  CHECK(t, "denied leaf has no D", 0, os_read64(&t->phys, leaf) & PTE_D);
  /* The DTE forbids writes: the tables allow it, no entry named, no A/D. */
  attach(t, DTE_TRANSLATE, 1, 1, 0);
  res = dma(t, IOVA_SRC, IOVA_DST, 64);
  uint64_t rec2[4] = {rec_w0(IO_R_WRITE, RID_NIC, 1, 0, 0, 1), IOVA_DST, 0, 0};
  expect_fault(t, res, IO_R_WRITE, IOVA_DST, rec2);
  CHECK(t, "denied leaf untouched", 0,
        os_read64(&t->phys, entry_addr(t, &t->dom, IOVA_DST, 1)) & (PTE_A | PTE_D));
}

static void case_r10(ctx_t *t) {
  attach(t, DTE_TRANSLATE, 1, 0, 1);
  os_dma_result_t res = dma(t, IOVA_SRC, IOVA_DST, 64);
  uint64_t rec[4] = {rec_w0(IO_R_READ, RID_NIC, 0, 0, 0, 1), IOVA_SRC, 0, 0};
  expect_fault(t, res, IO_R_READ, IOVA_SRC, rec);
}

static void case_r11(ctx_t *t) {
  attach(t, DTE_TRANSLATE, 1, 1, 1);
  uint64_t iova = 0x30000;
  CHECK(t, "map a device page", OS_OK,
        os_iommu_map(&t->dom, iova, PA_IOMMU_BASE, 4096, PG_SIZE_4K, 1));
  uint64_t before = os_iommu_reg(&t->io, IOMMU_CTRL);
  os_dma_result_t res = dma(t, IOVA_SRC, iova, 64);
  uint64_t rec[4] = {rec_w0(IO_R_NOT_RAM, RID_NIC, 1, 0, 0, 1), iova, 0, 0};
  expect_fault(t, res, IO_R_NOT_RAM, iova, rec);
  CHECK(t, "IOMMU registers untouched by the DMA", before, os_iommu_reg(&t->io, IOMMU_CTRL));
}

/* ---- commands ------------------------------------------------------------------------- */

static void case_inv_dte(ctx_t *t) {
  attach(t, DTE_TRANSLATE, 1, 1, 1);
  CHECK(t, "STATUS done", DMA_STATUS_DONE, dma(t, IOVA_SRC, IOVA_DST, 64).status);
  /* Blocked in memory, but the cached entry still translates. */
  uint64_t dte[4] = {DTE_V | 1ull << DTE_DOMAIN_SHIFT, t->dom.pml4, 0, 0};
  os_iommu_set_dte(&t->io, RID_NIC, dte);
  CHECK(t, "stale DTE used", DMA_STATUS_DONE, dma(t, IOVA_SRC, IOVA_DST, 64).status);
  os_iommu_command(&t->io, CMD_INV_DTE | (uint64_t)RID_NIC << CMD_ARG_SHIFT, 0);
  CHECK(t, "sync", OS_OK, os_iommu_sync(&t->io));
  os_dma_result_t res = dma(t, IOVA_SRC, IOVA_DST, 64);
  uint64_t rec[4] = {rec_w0(IO_R_BLOCKED, RID_NIC, 0, 0, 0, 1), IOVA_SRC, 0, 0};
  expect_fault(t, res, IO_R_BLOCKED, IOVA_SRC, rec);
}

/* Remaps IOVA_DST (and IOVA_DST + 4 KiB) to new frames without invalidating,
 * runs INV (two words), and checks which frames a DMA then writes. */
static void remap_and_check(ctx_t *t, uint64_t w0, uint64_t w1, int first_new, int second_new) {
  attach(t, DTE_TRANSLATE, 1, 1, 1);
  uint64_t dst2 = frame(t);
  CHECK(t, "map 2nd dst", OS_OK, os_iommu_map(&t->dom, IOVA_DST + 4096, dst2, 4096, PG_SIZE_4K, 1));
  CHECK(t, "warm", DMA_STATUS_DONE, dma(t, IOVA_SRC, IOVA_DST, 64).status);
  CHECK(t, "warm", DMA_STATUS_DONE, dma(t, IOVA_SRC, IOVA_DST + 4096, 64).status);
  uint64_t n1 = frame(t), n2 = frame(t);
  os_unmap(&t->dom, IOVA_DST, PG_SIZE_4K, NULL);
  os_unmap(&t->dom, IOVA_DST + 4096, PG_SIZE_4K, NULL);
  os_iommu_map(&t->dom, IOVA_DST, n1, 4096, PG_SIZE_4K, 1);
  os_iommu_map(&t->dom, IOVA_DST + 4096, n2, 4096, PG_SIZE_4K, 1);
  fill(t, t->src, 4096, 9);
  os_iommu_command(&t->io, w0, w1);
  CHECK(t, "sync", OS_OK, os_iommu_sync(&t->io));
  CHECK(t, "STATUS done", DMA_STATUS_DONE, dma(t, IOVA_SRC, IOVA_DST, 64).status);
  CHECK(t, "STATUS done", DMA_STATUS_DONE, dma(t, IOVA_SRC, IOVA_DST + 4096, 64).status);
  expect_copied(t, t->src, first_new ? n1 : t->dst, 64);
  expect_copied(t, t->src, second_new ? n2 : dst2, 64);
}

static void case_inv_domain(ctx_t *t) {
  remap_and_check(t, CMD_INV_DOMAIN | 1ull << CMD_ARG_SHIFT, 0, 1, 1);
}
static void case_inv_other_domain(ctx_t *t) {
  remap_and_check(t, CMD_INV_DOMAIN | 2ull << CMD_ARG_SHIFT, 0, 0, 0);
}
static void case_inv_page(ctx_t *t) {
  remap_and_check(t, CMD_INV_PAGE | 1ull << CMD_ARG_SHIFT, IOVA_DST + 8, 1, 0);
}
static void case_inv_all(ctx_t *t) {
  remap_and_check(t, CMD_INV_ALL, 0, 1, 1);
}

static void case_wait_and_illegal(ctx_t *t) {
  uint64_t word = frame(t);
  os_iommu_command(&t->io, CMD_WAIT, word);
  CHECK(t, "WAIT wrote 1", 1, os_read64(&t->phys, word));
  uint64_t head = os_iommu_reg(&t->io, IOMMU_CQ_HEAD);
  os_iommu_command(&t->io, 9, 0); /* no such opcode */
  os_write64(&t->phys, word, 0);
  os_iommu_command(&t->io, CMD_WAIT, word);
  CHECK(t, "CQ_STS stopped", IOMMU_CQ_STS_STOPPED, os_iommu_reg(&t->io, IOMMU_CQ_STS));
  CHECK(t, "CQ_HEAD at the illegal command", head, os_iommu_reg(&t->io, IOMMU_CQ_HEAD));
  CHECK(t, "WAIT behind it not run", 0, os_read64(&t->phys, word));
  /* Software fixes the command, then clears CQ_STS: the queue resumes. */
  os_write64(&t->phys, t->io.cq_base + CMD_BYTES * head, CMD_INV_ALL);
  os_iommu_set_reg(&t->io, IOMMU_CQ_STS, IOMMU_CQ_STS_STOPPED);
  CHECK(t, "CQ_STS clear", 0, os_iommu_reg(&t->io, IOMMU_CQ_STS));
  CHECK(t, "WAIT ran", 1, os_read64(&t->phys, word));
  CHECK(t, "queue empty", os_iommu_reg(&t->io, IOMMU_CQ_TAIL), os_iommu_reg(&t->io, IOMMU_CQ_HEAD));
}

static void case_overflow(ctx_t *t) { /* a ring of 4 holds 3 records */
  attach(t, DTE_BLOCKED, 5, 1, 1);
  for (int i = 0; i < 5; i++)
    CHECK(t, "STATUS error", DMA_STATUS_ERROR,
          dma(t, IOVA_SRC + 64u * (unsigned)i, IOVA_DST, 64).status);
  CHECK(t, "FL_TAIL", 3, os_iommu_reg(&t->io, IOMMU_FL_TAIL));
  CHECK(t, "dropped", 2, os_iommu_reg(&t->io, IOMMU_CNT_DROPPED));
  CHECK(t, "faults", 5, os_iommu_reg(&t->io, IOMMU_CNT_FAULTS));
  CHECK(t, "FSTS", IOMMU_FSTS_PENDING | IOMMU_FSTS_OVERFLOW, os_iommu_reg(&t->io, IOMMU_FSTS));
  uint64_t rec[4];
  CHECK(t, "first record", 1, os_iommu_next_fault(&t->io, rec));
  CHECK(t, "first record's IOVA", IOVA_SRC, rec[1]);
  os_iommu_set_reg(&t->io, IOMMU_FSTS, IOMMU_FSTS_PENDING | IOMMU_FSTS_OVERFLOW);
  dma(t, IOVA_SRC + 640, IOVA_DST, 64); /* room again: logged in slot 3 */
  CHECK(t, "FL_TAIL wraps", 0, os_iommu_reg(&t->io, IOMMU_FL_TAIL));
  CHECK(t, "FSTS pending only", IOMMU_FSTS_PENDING, os_iommu_reg(&t->io, IOMMU_FSTS));
  for (int i = 1; i < 3; i++) {
    os_iommu_next_fault(&t->io, rec);
    CHECK(t, "kept record's IOVA", IOVA_SRC + 64u * (unsigned)i, rec[1]);
  }
  os_iommu_next_fault(&t->io, rec);
  CHECK(t, "record after the overflow", IOVA_SRC + 640, rec[1]);
  CHECK(t, "log empty", 0, os_iommu_next_fault(&t->io, rec));
}

/* ---- nested ------------------------------------------------------------------------------ */

#define GPA_BUF 0x50000000ull /* guest-physical buffers */

static void case_nested(ctx_t *t) {
  /* Host: the frame region one to one (2 MiB pages), so guest tables may sit
   * anywhere in it; guest-physical buffers at GPA_BUF in 4 KiB pages. */
  os_as_t host, guest;
  os_as_init(&host, &t->frames);
  os_as_init(&guest, &t->frames);
  CHECK(t, "host identity", OS_OK, os_iommu_map(&host, 0, 0, FRAMES_LIMIT, PG_SIZE_2M, 1));
  CHECK(t, "host src", OS_OK, os_iommu_map(&host, GPA_BUF, t->src, 4096, PG_SIZE_4K, 1));
  CHECK(t, "host dst", OS_OK, os_iommu_map(&host, GPA_BUF + 0x1000, t->dst, 4096, PG_SIZE_4K, 1));
  uint64_t ro = frame(t);
  CHECK(t, "host read-only", OS_OK, os_iommu_map(&host, GPA_BUF + 0x3000, ro, 4096, PG_SIZE_4K, 0));
  CHECK(t, "guest src", OS_OK, os_iommu_map(&guest, IOVA_SRC, GPA_BUF, 4096, PG_SIZE_4K, 1));
  CHECK(t, "guest dst", OS_OK,
        os_iommu_map(&guest, IOVA_DST, GPA_BUF + 0x1000, 4096, PG_SIZE_4K, 1));
  CHECK(t, "attach nested", OS_OK,
        os_iommu_attach(&t->io, RID_NIC, DTE_NESTED, 4, 1, 1, host.pml4, guest.pml4));

  os_dma_result_t res = dma(t, IOVA_SRC, IOVA_DST, 4096);
  CHECK(t, "nested copy done", DMA_STATUS_DONE, res.status);
  expect_copied(t, t->src, t->dst, 4096);
  CHECK(t, "guest leaf A|D", PTE_A | PTE_D,
        os_read64(&t->phys, entry_addr(t, &guest, IOVA_DST, 1)) & (PTE_A | PTE_D));
  CHECK(t, "host leaf A|D", PTE_A | PTE_D,
        os_read64(&t->phys, entry_addr(t, &host, GPA_BUF + 0x1000, 1)) & (PTE_A | PTE_D));

  /* Stage 1: the guest PTE is not present. */
  uint64_t iova = IOVA_DST + 0x1000;
  res = dma(t, IOVA_SRC, iova, 64);
  uint64_t r1[4] = {rec_w0(IO_R_NOT_PRESENT, RID_NIC, 1, 1, 1, 4), iova, 0,
                    entry_addr(t, &guest, iova, 1)};
  expect_fault(t, res, IO_R_NOT_PRESENT, iova, r1);

  /* Stage 0 on a guest table pointer: a guest PDE points at a guest-physical
   * page table the host does not map. */
  iova = 0x600000;
  uint64_t gpt = 0x60000000ull;
  CHECK(t, "guest PDE", OS_OK, os_iommu_map(&guest, 0x400000, GPA_BUF, 4096, PG_SIZE_4K, 1));
  CHECK(t, "point the PDE away", OS_OK, os_entry_set(&guest, iova, 2, gpt | PTE_P | PTE_RW));
  res = dma(t, IOVA_SRC, iova, 64);
  uint64_t r2[4] = {rec_w0(IO_R_NOT_PRESENT, RID_NIC, 1, 0, 2, 4), iova, gpt,
                    entry_addr(t, &host, gpt, 2)};
  expect_fault(t, res, IO_R_NOT_PRESENT, iova, r2);

  /* Stage 0 on the final guest-physical address. */
  iova = 0x40000;
  uint64_t gpa = GPA_BUF + 0x2000;
  CHECK(t, "guest to unmapped GPA", OS_OK, os_iommu_map(&guest, iova, gpa, 4096, PG_SIZE_4K, 1));
  res = dma(t, IOVA_SRC, iova + 0x18, 64);
  uint64_t r3[4] = {rec_w0(IO_R_NOT_PRESENT, RID_NIC, 1, 0, 1, 4), iova + 0x18, gpa + 0x18,
                    entry_addr(t, &host, gpa, 1)};
  expect_fault(t, res, IO_R_NOT_PRESENT, iova + 0x18, r3);

  /* Write denied by the guest table (stage 1), then by the host's (stage 0). */
  iova = 0x50000;
  CHECK(t, "guest read-only", OS_OK,
        os_iommu_map(&guest, iova, GPA_BUF + 0x1000, 4096, PG_SIZE_4K, 0));
  res = dma(t, IOVA_SRC, iova, 64);
  uint64_t r4[4] = {rec_w0(IO_R_WRITE, RID_NIC, 1, 1, 1, 4), iova, 0,
                    entry_addr(t, &guest, iova, 1)};
  expect_fault(t, res, IO_R_WRITE, iova, r4);
  iova = 0x60000;
  CHECK(t, "guest to host read-only", OS_OK,
        os_iommu_map(&guest, iova, GPA_BUF + 0x3000, 4096, PG_SIZE_4K, 1));
  res = dma(t, IOVA_SRC, iova, 64);
  uint64_t r5[4] = {rec_w0(IO_R_WRITE, RID_NIC, 1, 0, 1, 4), iova, GPA_BUF + 0x3000,
                    entry_addr(t, &host, GPA_BUF + 0x3000, 1)};
  expect_fault(t, res, IO_R_WRITE, iova, r5);
}

/* ---- the table of cases ------------------------------------------------------------------- */

typedef struct {
  const char *name;
  void (*fn)(ctx_t *t);
  unsigned dt_log2, fl_log2;
  int te;
} iocase_t;

static const iocase_t cases[] = {
    {"copy", case_copy, 8, 4, 1},
    {"align-0xff", case_align, 8, 4, 1},
    {"pass-through", case_pass_through, 8, 4, 1},
    {"te-off", case_te_off, 8, 4, 0},
    {"reason-1-rid", case_r1, 3, 4, 1},
    {"reason-2-dte-invalid", case_r2, 8, 4, 1},
    {"reason-3-dte-reserved", case_r3, 8, 4, 1},
    {"reason-4-blocked", case_r4, 8, 4, 1},
    {"reason-5-bus", case_r5, 8, 4, 1},
    {"reason-6-iova-wide", case_r6, 8, 4, 1},
    {"reason-7-not-present", case_r7, 8, 4, 1},
    {"reason-8-reserved", case_r8, 8, 4, 1},
    {"reason-9-write", case_r9, 8, 4, 1},
    {"reason-10-read", case_r10, 8, 4, 1},
    {"reason-11-not-ram", case_r11, 8, 4, 1},
    {"inv-dte", case_inv_dte, 8, 4, 1},
    {"inv-domain", case_inv_domain, 8, 4, 1},
    {"inv-other-domain", case_inv_other_domain, 8, 4, 1},
    {"inv-page", case_inv_page, 8, 4, 1},
    {"inv-all", case_inv_all, 8, 4, 1},
    {"wait-illegal", case_wait_and_illegal, 8, 4, 1},
    {"ring-overflow", case_overflow, 8, 2, 1},
    {"nested", case_nested, 8, 4, 1},
};

unsigned pg_iotest_count(void) {
  return sizeof cases / sizeof cases[0];
}

const char *pg_iotest_name(unsigned i) {
  return i < pg_iotest_count() ? cases[i].name : NULL;
}

unsigned pg_iotest_run(unsigned i, const pg_target_t *tg, FILE *out) {
  ctx_t t;
  const iocase_t *c = &cases[i];
  setup(&t, tg, out, c->dt_log2, c->fl_log2, c->te);
  c->fn(&t);
  teardown(&t);
  return t.fails;
}
