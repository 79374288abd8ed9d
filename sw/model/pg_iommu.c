/* SPDX-License-Identifier: MIT */
/* pg_iommu.c — IOMMU registers, device table, IOTLB, walks, fault log and
 * command queue (SPEC §4; the open rules are in pg_iommu.h). */
#include "pg_iommu.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "pg_bus.h"
#include "pg_hw.h"

struct pg_iommu {
  pg_mem_t *mem;
  pg_counters_t *c;
  uint64_t ctrl, dt_base, dt_log2, fl_base, fl_log2, fl_head, fl_tail, fsts;
  uint64_t cq_base, cq_log2, cq_tail, cq_head, cq_sts;
  uint64_t dropped;
  pg_tlb_t dtc; /* device-table cache: tag = RID */
  uint64_t dtc_words[PG_IOMMU_DTC_ENTRIES][3];
  pg_tlb_t iotlb; /* pcid = domain */
};

/* What the device table says about a device. */
typedef struct {
  uint64_t w[3];
  unsigned mode;
  uint16_t domain;
} dte_t;

/* A fault as its record tells it. */
typedef struct {
  unsigned reason;
  unsigned stage; /* 0 host table, 1 guest table */
  unsigned level; /* of the entry in word 3, else 0 */
  uint64_t gpa;   /* word 2 */
  uint64_t entry; /* word 3 */
} fault_t;

pg_iommu_t *pg_iommu_new(pg_mem_t *mem, pg_counters_t *c) {
  pg_iommu_t *io = calloc(1, sizeof *io);
  assert(io);
  io->mem = mem;
  io->c = c;
  pg_tlb_init(&io->dtc, 1, PG_IOMMU_DTC_ENTRIES);
  pg_tlb_init(&io->iotlb, 1, PG_IOMMU_IOTLB_ENTRIES);
  return io;
}

void pg_iommu_free(pg_iommu_t *io) {
  if (!io)
    return;
  pg_tlb_destroy(&io->dtc);
  pg_tlb_destroy(&io->iotlb);
  free(io);
}

const pg_tlb_t *pg_iommu_iotlb(const pg_iommu_t *io) {
  return &io->iotlb;
}
const pg_tlb_t *pg_iommu_dte_cache(const pg_iommu_t *io) {
  return &io->dtc;
}
uint64_t pg_iommu_dropped(const pg_iommu_t *io) {
  return io->dropped;
}

static uint64_t ring_len(uint64_t log2) {
  return 1ull << (log2 > IOMMU_MAX_LOG2 ? IOMMU_MAX_LOG2 : log2);
}

/* ---- caches -------------------------------------------------------------------- */

static uint64_t rid_key(uint16_t rid) {
  return (uint64_t)rid << PAGE_SHIFT_4K;
}

typedef struct {
  uint16_t domain;
  uint64_t iova;
  uint8_t use_domain, use_iova;
} inval_t;

static int inval_drop(const pg_tlb_entry_t *e, const void *arg) {
  const inval_t *iv = arg;
  if (iv->use_domain && e->pcid != iv->domain)
    return 0;
  if (iv->use_iova && e->tag != pg_tlb_tag(iv->iova, e->shift))
    return 0;
  return 1;
}

static void inval_iotlb(pg_iommu_t *io, const inval_t *iv) {
  pg_tlb_drop_if(&io->iotlb, inval_drop, iv);
}

static int dte_drop(const pg_tlb_entry_t *e, const void *arg) {
  return arg == NULL || e->tag == *(const uint16_t *)arg;
}

/* ---- the fault log ---------------------------------------------------------------- */

static void log_fault(pg_iommu_t *io, uint16_t rid, uint16_t domain, uint64_t iova, int write,
                      const fault_t *f) {
  io->c->iommu_faults++;
  if (!(io->ctrl & IOMMU_CTRL_FLE))
    return;
  uint64_t len = ring_len(io->fl_log2);
  uint64_t tail = io->fl_tail & (len - 1);
  if (((tail + 1) & (len - 1)) == (io->fl_head & (len - 1))) {
    io->dropped++;
    io->fsts |= IOMMU_FSTS_OVERFLOW;
    return;
  }
  uint64_t slot = io->fl_base + FR_BYTES * tail;
  if (!pg_bus_is_ram(slot, FR_BYTES)) {
    io->dropped++;
    return;
  }
  uint64_t rec[4] = {(uint64_t)f->reason | (uint64_t)rid << FR_RID_SHIFT | (write ? FR_WRITE : 0) |
                         (f->stage ? FR_STAGE_GUEST : 0) | (uint64_t)f->level << FR_LEVEL_SHIFT |
                         (uint64_t)domain << FR_DOMAIN_SHIFT,
                     iova, f->gpa, f->entry};
  pg_mem_write_bytes(io->mem, slot, rec, sizeof rec);
  io->fl_tail = (tail + 1) & (len - 1);
  io->fsts |= IOMMU_FSTS_PENDING;
}

/* ---- the device table ------------------------------------------------------------------ */

/* Finds RID's entry: the cache, else memory. Returns IO_OK or reasons 2, 3, 5
 * (then F's entry is the DTE's address). */
static unsigned read_dte(pg_iommu_t *io, uint16_t rid, dte_t *d, fault_t *f) {
  int way = pg_tlb_lookup_unique(&io->dtc, rid_key(rid), (pg_tlb_ctx_t){0});
  if (way >= 0) {
    pg_tlb_touch(&io->dtc, 0, (unsigned)way);
    memcpy(d->w, io->dtc_words[way], sizeof d->w);
  } else {
    uint64_t ea = io->dt_base + (uint64_t)DTE_BYTES * rid;
    if (!pg_bus_is_ram(ea, DTE_BYTES)) {
      f->entry = ea;
      return IO_R_BUS;
    }
    uint64_t w[4];
    pg_mem_read_bytes(io->mem, ea, w, sizeof w);
    if (!(w[0] & DTE_V))
      return IO_R_DTE_INVALID;
    if ((w[0] & ~DTE_W0_DEFINED) || (w[1] & ~PTE_ADDR) || (w[2] & ~PTE_ADDR) || w[3])
      return IO_R_DTE_RSVD;
    memcpy(d->w, w, sizeof d->w);
    pg_tlb_entry_t e = {.tag = rid, .shift = PAGE_SHIFT_4K, .valid = 1};
    unsigned fill = pg_tlb_fill_unique(&io->dtc, &e);
    memcpy(io->dtc_words[fill], w, sizeof d->w);
  }
  d->mode = (unsigned)((d->w[0] & DTE_MODE_MASK) >> DTE_MODE_SHIFT);
  d->domain = (uint16_t)(d->w[0] >> DTE_DOMAIN_SHIFT);
  return IO_OK;
}

/* ---- table walks ------------------------------------------------------------------------- */

typedef enum { WALK_OK, WALK_FAULT, WALK_DENIED } walk_status_t;

typedef struct {
  uint64_t pa;    /* the translated address */
  unsigned shift; /* page size of the leaf */
  uint8_t w;      /* RW=1 at every level */
  uint8_t dirty;  /* the leaf's D after the walk */
} walk_t;

/* One entry of a walk, host or guest: the read at EA, P, the reserved bits
 * (XD never reserved here), and A in a non-leaf. Returns IO_OK, or reason 5,
 * 7 or 8; *e is the entry as read, *leaf whether it ends the walk. */
static unsigned walk_entry(pg_iommu_t *io, uint64_t ea, int level, uint64_t *e, int *leaf) {
  if (!pg_bus_is_ram(ea, 8))
    return IO_R_BUS;
  *e = pg_mem_read(io->mem, ea, 8);
  if (!(*e & PTE_P))
    return IO_R_NOT_PRESENT;
  if (pg_entry_reserved(*e, level, 1))
    return IO_R_RSVD;
  *leaf = pg_entry_is_leaf(*e, level);
  if (!*leaf && !(*e & PTE_A))
    pg_mem_write(io->mem, ea, *e | PTE_A, 8);
  return IO_OK;
}

/* A leaf E at EA used by a successful access: A, and D for a write. Returns
 * the entry as it now is. */
static uint64_t leaf_used(pg_iommu_t *io, uint64_t ea, uint64_t e, int write) {
  uint64_t ne = e | PTE_A | (write ? PTE_D : 0);
  if (ne != e)
    pg_mem_write(io->mem, ea, ne, 8);
  return ne;
}

/* ADDR in the page of a leaf E of page size SHIFT. */
static uint64_t leaf_pa(uint64_t e, unsigned shift, uint64_t addr) {
  return (e & PTE_ADDR & ~((1ull << shift) - 1)) | (addr & ((1ull << shift) - 1));
}

/* Walks the table at ROOT for ADDR. The leaf's checks: P, reserved bits, RW
 * for a write (a fault with reason 9), then DENY (WALK_DENIED: the caller
 * knows why). Only then the leaf gets A (and D for a write). F.level and
 * F.entry tell a fault. */
static walk_status_t table_walk(pg_iommu_t *io, uint64_t root, uint64_t addr, int write, int deny,
                                walk_t *w, fault_t *f) {
  uint64_t table = root & PTE_ADDR;
  uint8_t acc_w = 1;
  f->level = 0;
  f->entry = 0;
  if (addr >> VA_BITS) {
    f->reason = IO_R_IOVA_WIDE;
    return WALK_FAULT;
  }
  for (int level = 4;; level--) {
    uint64_t ea = pg_entry_addr(table, addr, level), e;
    int leaf;
    f->level = (unsigned)level;
    f->entry = ea;
    if ((f->reason = walk_entry(io, ea, level, &e, &leaf)) != IO_OK)
      return WALK_FAULT;
    acc_w &= (e & PTE_RW) != 0;
    if (!leaf) {
      table = e & PTE_ADDR;
      continue;
    }
    if (write && !acc_w) {
      f->reason = IO_R_WRITE;
      return WALK_FAULT;
    }
    if (deny)
      return WALK_DENIED;
    unsigned shift = pg_level_shift(level);
    *w = (walk_t){.pa = leaf_pa(e, shift, addr),
                  .shift = shift,
                  .w = acc_w,
                  .dirty = (leaf_used(io, ea, e, write) & PTE_D) != 0};
    f->level = 0;
    f->entry = 0;
    return WALK_OK;
  }
}

/* The DTE's own verdict on an access the tables allow. */
static unsigned dte_denies(const dte_t *d, int write) {
  if (write && !(d->w[0] & DTE_W))
    return IO_R_WRITE;
  if (!write && !(d->w[0] & DTE_R))
    return IO_R_READ;
  return IO_OK;
}

/* Translate mode: one host walk. */
static unsigned walk_translate(pg_iommu_t *io, const dte_t *d, uint64_t iova, int write, walk_t *w,
                               fault_t *f) {
  unsigned deny = dte_denies(d, write);
  walk_status_t s = table_walk(io, d->w[1], iova, write, deny != IO_OK, w, f);
  if (s == WALK_FAULT)
    return f->reason;
  if (s == WALK_DENIED) {
    *f = (fault_t){.reason = deny};
    return deny;
  }
  return IO_OK;
}

/* Nested mode: the guest walk, each guest entry found through the host table,
 * then the final guest-physical address through the host table. */
static unsigned walk_nested(pg_iommu_t *io, const dte_t *d, uint64_t iova, int write, walk_t *w,
                            fault_t *f) {
  uint64_t table = d->w[2] & PTE_ADDR;
  uint8_t guest_w = 1;
  for (int level = 4;; level--) {
    uint64_t gea = pg_entry_addr(table, iova, level);
    walk_t h;
    if (table_walk(io, d->w[1], gea, 0, 0, &h, f) != WALK_OK) {
      f->stage = 0;
      f->gpa = gea;
      return f->reason;
    }
    uint64_t ea = h.pa, e;
    int leaf;
    *f = (fault_t){.stage = 1, .level = (unsigned)level, .entry = ea};
    if ((f->reason = walk_entry(io, ea, level, &e, &leaf)) != IO_OK)
      return f->reason;
    guest_w &= (e & PTE_RW) != 0;
    if (!leaf) {
      table = e & PTE_ADDR;
      continue;
    }
    unsigned gshift = pg_level_shift(level);
    uint64_t gpa = leaf_pa(e, gshift, iova);
    unsigned deny = dte_denies(d, write);
    int guest_denies = write && !guest_w;
    fault_t hf = {0};
    walk_status_t s = table_walk(io, d->w[1], gpa, write, guest_denies || deny, w, &hf);
    if (s == WALK_FAULT) {
      *f = hf;
      f->stage = 0;
      f->gpa = gpa;
      return f->reason;
    }
    if (s == WALK_DENIED) {
      if (guest_denies)
        *f = (fault_t){.reason = IO_R_WRITE, .stage = 1, .level = (unsigned)level, .entry = ea};
      else
        *f = (fault_t){.reason = deny};
      return f->reason;
    }
    uint64_t ne = leaf_used(io, ea, e, write);
    if (gshift < w->shift)
      w->shift = gshift;
    w->w &= guest_w;
    w->dirty &= (ne & PTE_D) != 0;
    *f = (fault_t){0};
    return IO_OK;
  }
}

/* ---- translation ------------------------------------------------------------------------- */

static unsigned finish(uint64_t pa, uint64_t *out) {
  *out = pa;
  return pg_bus_is_ram(pa, 1) ? IO_OK : IO_R_NOT_RAM;
}

/* Translation with TE=1; F describes a failure (its reason is returned). */
static unsigned translate(pg_iommu_t *io, uint16_t rid, uint64_t iova, int write, uint64_t *pa,
                          fault_t *f, uint16_t *domain) {
  if (rid >= ring_len(io->dt_log2))
    return f->reason = IO_R_RID;
  dte_t d;
  unsigned r = read_dte(io, rid, &d, f);
  if (r != IO_OK)
    return f->reason = r;
  *domain = d.domain;
  if (d.mode == DTE_BLOCKED)
    return f->reason = IO_R_BLOCKED;
  if (d.mode == DTE_PASS) {
    r = dte_denies(&d, write);
    if (r == IO_OK)
      r = finish(iova, pa);
    return f->reason = r;
  }
  if (iova >> VA_BITS)
    return f->reason = IO_R_IOVA_WIDE;

  int way = pg_tlb_lookup_unique(&io->iotlb, iova, (pg_tlb_ctx_t){.pcid = d.domain});
  if (way >= 0) {
    const pg_tlb_entry_t *e = pg_tlb_at(&io->iotlb, 0, (unsigned)way);
    if (!write || (e->w && e->dirty)) {
      pg_tlb_touch(&io->iotlb, 0, (unsigned)way);
      io->c->iotlb_hits++;
      r = dte_denies(&d, write);
      if (r == IO_OK)
        r = finish(e->base | (iova & ((1ull << e->shift) - 1)), pa);
      return f->reason = r;
    }
  }
  io->c->iotlb_misses++;
  io->c->iommu_walks++;
  walk_t w;
  r = d.mode == DTE_NESTED ? walk_nested(io, &d, iova, write, &w, f)
                           : walk_translate(io, &d, iova, write, &w, f);
  if (r != IO_OK) {
    inval_t iv = {.domain = d.domain, .iova = iova, .use_domain = 1, .use_iova = 1};
    inval_iotlb(io, &iv);
    return f->reason = r;
  }
  pg_tlb_entry_t e = {.tag = pg_tlb_tag(iova, w.shift),
                      .base = w.pa & ~((1ull << w.shift) - 1),
                      .pcid = d.domain,
                      .shift = (uint8_t)w.shift,
                      .valid = 1,
                      .w = w.w,
                      .dirty = w.dirty};
  pg_tlb_fill_unique(&io->iotlb, &e);
  return f->reason = finish(w.pa, pa);
}

unsigned pg_iommu_translate(pg_iommu_t *io, uint16_t rid, uint64_t iova, int write, uint64_t *pa) {
  if (!(io->ctrl & IOMMU_CTRL_TE))
    return finish(iova, pa);
  fault_t f = {0};
  uint16_t domain = 0;
  unsigned r = translate(io, rid, iova, write, pa, &f, &domain);
  if (r != IO_OK)
    log_fault(io, rid, domain, iova, write, &f);
  return r;
}

/* ---- the command queue ------------------------------------------------------------------ */

/* Runs one command; returns 0, or -1 when it is illegal (the queue stops). */
static int run_command(pg_iommu_t *io, const uint64_t cmd[2]) {
  uint16_t arg = (uint16_t)(cmd[0] >> CMD_ARG_SHIFT);
  switch (cmd[0] & 0xff) {
  case CMD_INV_DTE:
    pg_tlb_drop_if(&io->dtc, dte_drop, &arg);
    return 0;
  case CMD_INV_DOMAIN: {
    inval_t iv = {.domain = arg, .use_domain = 1};
    inval_iotlb(io, &iv);
    return 0;
  }
  case CMD_INV_PAGE: {
    /* Bits 47:12 name the page (an IOVA has 48 bits; the rest are ignored). */
    inval_t iv = {
        .domain = arg, .iova = cmd[1] & ((1ull << VA_BITS) - 1), .use_domain = 1, .use_iova = 1};
    inval_iotlb(io, &iv);
    return 0;
  }
  case CMD_INV_ALL: {
    inval_t all = {0};
    inval_iotlb(io, &all);
    pg_tlb_drop_if(&io->dtc, dte_drop, NULL);
    return 0;
  }
  case CMD_WAIT:
    if ((cmd[1] & 7) || !pg_bus_is_ram(cmd[1], 8))
      return -1;
    pg_mem_write(io->mem, cmd[1], 1, 8);
    return 0;
  }
  return -1;
}

static void run_queue(pg_iommu_t *io) {
  uint64_t len = ring_len(io->cq_log2);
  while ((io->ctrl & IOMMU_CTRL_CQE) && !(io->cq_sts & IOMMU_CQ_STS_STOPPED) &&
         (io->cq_head & (len - 1)) != (io->cq_tail & (len - 1))) {
    uint64_t head = io->cq_head & (len - 1);
    uint64_t slot = io->cq_base + CMD_BYTES * head;
    uint64_t cmd[2];
    if (!pg_bus_is_ram(slot, CMD_BYTES)) {
      io->cq_sts |= IOMMU_CQ_STS_STOPPED;
      return;
    }
    pg_mem_read_bytes(io->mem, slot, cmd, sizeof cmd);
    if (run_command(io, cmd) != 0) {
      io->cq_sts |= IOMMU_CQ_STS_STOPPED;
      return;
    }
    io->cq_head = (head + 1) & (len - 1);
  }
}

/* ---- registers ---------------------------------------------------------------------------- */

int pg_iommu_reg_read(pg_iommu_t *io, unsigned off, uint64_t *v) {
  switch (off) {
  case IOMMU_CAP:
    *v = IOMMU_VERSION | (uint64_t)PG_IOMMU_IOTLB_ENTRIES << 8 | IOMMU_CAP_NESTED;
    return 0;
  case IOMMU_CTRL:
    *v = io->ctrl;
    return 0;
  case IOMMU_DT_BASE:
    *v = io->dt_base;
    return 0;
  case IOMMU_DT_LOG2:
    *v = io->dt_log2;
    return 0;
  case IOMMU_FL_BASE:
    *v = io->fl_base;
    return 0;
  case IOMMU_FL_LOG2:
    *v = io->fl_log2;
    return 0;
  case IOMMU_FL_HEAD:
    *v = io->fl_head;
    return 0;
  case IOMMU_FL_TAIL:
    *v = io->fl_tail;
    return 0;
  case IOMMU_FSTS:
    *v = io->fsts;
    return 0;
  case IOMMU_CQ_BASE:
    *v = io->cq_base;
    return 0;
  case IOMMU_CQ_LOG2:
    *v = io->cq_log2;
    return 0;
  case IOMMU_CQ_TAIL:
    *v = io->cq_tail;
    return 0;
  case IOMMU_CQ_HEAD:
    *v = io->cq_head;
    return 0;
  case IOMMU_CQ_STS:
    *v = io->cq_sts;
    return 0;
  case IOMMU_CNT_IOTLB_HITS:
    *v = io->c->iotlb_hits;
    return 0;
  case IOMMU_CNT_IOTLB_MISSES:
    *v = io->c->iotlb_misses;
    return 0;
  case IOMMU_CNT_WALKS:
    *v = io->c->iommu_walks;
    return 0;
  case IOMMU_CNT_FAULTS:
    *v = io->c->iommu_faults;
    return 0;
  case IOMMU_CNT_DROPPED:
    *v = io->dropped;
    return 0;
  }
  return -1;
}

int pg_iommu_reg_write(pg_iommu_t *io, unsigned off, uint64_t v) {
  const uint64_t base_mask = PTE_ADDR, pos_mask = 0xffff, log2_mask = 0x1f;
  switch (off) {
  case IOMMU_CAP:
  case IOMMU_CNT_IOTLB_HITS:
  case IOMMU_CNT_IOTLB_MISSES:
  case IOMMU_CNT_WALKS:
  case IOMMU_CNT_FAULTS:
  case IOMMU_CNT_DROPPED:
    return 0; /* read-only */
  case IOMMU_CTRL:
    io->ctrl = v & (IOMMU_CTRL_TE | IOMMU_CTRL_FLE | IOMMU_CTRL_CQE);
    break;
  case IOMMU_DT_BASE:
    io->dt_base = v & base_mask;
    break;
  case IOMMU_DT_LOG2:
    io->dt_log2 = v & log2_mask;
    break;
  case IOMMU_FL_BASE:
    io->fl_base = v & base_mask;
    break;
  case IOMMU_FL_LOG2:
    io->fl_log2 = v & log2_mask;
    break;
  case IOMMU_FL_HEAD:
    io->fl_head = v & pos_mask;
    break;
  case IOMMU_FL_TAIL:
    io->fl_tail = v & pos_mask;
    break;
  case IOMMU_FSTS:
    io->fsts &= ~v;
    break;
  case IOMMU_CQ_BASE:
    io->cq_base = v & base_mask;
    break;
  case IOMMU_CQ_LOG2:
    io->cq_log2 = v & log2_mask;
    break;
  case IOMMU_CQ_TAIL:
    io->cq_tail = v & pos_mask;
    break;
  case IOMMU_CQ_HEAD:
    io->cq_head = v & pos_mask;
    break;
  case IOMMU_CQ_STS:
    io->cq_sts &= ~v;
    break;
  default:
    return -1;
  }
  run_queue(io);
  return 0;
}

const char *pg_io_reason_name(unsigned reason) {
  static const char *const n[] = {"ok",       "rid-range",    "dte-invalid", "dte-reserved",
                                  "blocked",  "bus-error",    "iova-wide",   "not-present",
                                  "reserved", "write-denied", "read-denied", "not-ram"};
  if (reason < sizeof n / sizeof n[0])
    return n[reason];
  return reason == IO_R_DMA_ALIGN ? "dma-alignment" : "unknown";
}
