/* SPDX-License-Identifier: MIT */
/* pg_iotraffic.c — random DMA traffic through the IOMMU (see pg_iotraffic.h). */
#include "pg_iotraffic.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "os_iommu.h"
#include "os_vm.h"
#include "pg_hw.h"
#include "pg_rng.h"

/* Physical layout. Tables and rings come from the frame allocator; the data
 * lives in frames the test places itself, so that a change anywhere else is
 * plainly a table's, the log's, or a breach. The tables are where no IOVA
 * points: a device still running under a cached pass-through entry writes
 * its IOVAs as physical addresses, which must not land in a table. */
#define FRAMES_BASE  0x08000000ull /* no IOVA of a slot is here */
#define FRAMES_LIMIT 0x08800000ull
#define POOL_BASE    0x02000000ull /* data: 4 KiB frames */
#define POOL_FRAMES  64u
#define BIG_BASE     0x02400000ull /* data: 2 MiB frames */
#define BIG_FRAMES   2u
#define RAM_END      0xc0000000ull
#define NOT_RAM      0xd0000000ull
/* The nested guest's physical view: the pool at GPA_POOL (every eighth frame
 * read-only in the host table), the big frames at GPA_BIG (the first as one
 * 2 MiB host page, the second as 512 4 KiB pages), nothing at GPA_HOLE. The
 * host maps the tables one to one, so guest table pointers are physical. */
#define GPA_POOL 0x40000000ull
#define GPA_BIG  0x40400000ull
#define GPA_HOLE 0x50000000ull

#define PAGE       0x1000ull
#define BIG        0x200000ull
#define LARGE_RSVD (PTE_RSVD_2M_FRAME & -PTE_RSVD_2M_FRAME) /* a reserved bit of a 2 MiB leaf */
#define MAX_POLLS  100000u

/* A domain's IOVA slots: 0-15 one contiguous 64 KiB window, 16-19 single
 * pages under other tables (another PD, PDPT and PML4 entry, and the top of
 * the canonical lower half), 20-21 2 MiB pages. */
#define NSLOT          22u
#define FIRST_BIG_SLOT 20u
static const uint64_t far_iova[4] = {0x40007000ull, 0x80203000ull, 0x8000005000ull,
                                     0x7ffffffff000ull};
static const uint64_t big_iova[2] = {0x00c00000ull, 0x100000000ull};

static uint64_t slot_iova(unsigned k) {
  if (k < 16)
    return 0x00100000ull + PAGE * k;
  if (k < FIRST_BIG_SLOT)
    return far_iova[k - 16];
  return big_iova[k - FIRST_BIG_SLOT];
}

static uint64_t slot_size(unsigned k) {
  return k >= FIRST_BIG_SLOT ? BIG : PAGE;
}

/* The slot whose page holds IOVA, or -1. */
static int slot_of(uint64_t iova) {
  for (unsigned k = 0; k < NSLOT; k++)
    if (iova >= slot_iova(k) && iova - slot_iova(k) < slot_size(k))
      return (int)k;
  return -1;
}

typedef struct {
  uint8_t mapped, w, rsvd;
  uint64_t pa; /* physical (translate domains) or guest-physical (nested) */
} slot_t;

/* A mapping replaced without an invalidation that covers it: the IOTLB may
 * still hold it. */
typedef struct {
  unsigned slot;
  slot_t old;
} stale_t;

#define NDOM      3u /* 0 and 1 translate, 2 the nested guest */
#define MAX_STALE 12u
typedef struct {
  uint16_t id;
  int nested;
  os_as_t as;
  slot_t slot[NSLOT];
  stale_t stale[MAX_STALE];
  unsigned nstale;
} dom_t;

#define DOMID_PASS    0x0004u
#define DOMID_BLOCKED 0x0005u
static const uint16_t dom_ids[NDOM] = {0x0001, 0x0102, 0x8003};

enum { DTE_GOOD, DTE_BAD_V, DTE_BAD_RSVD };

typedef struct {
  unsigned mode; /* enum pg_dte_mode */
  int dom;       /* translate and nested: index into world_t.dom */
  uint16_t id;
  uint8_t r, w, bad;
} att_t;

/* A device's entries written since its last INV_DTE: the last is current,
 * the earlier ones may still be in the device-table cache. */
#define MAX_ATT 3u
typedef struct {
  uint16_t rid;
  uint64_t base;
  att_t att[MAX_ATT];
  unsigned natt;
} io_dev_t;

typedef struct {
  uint64_t lo, hi;
} range_t;
#define MAX_RANGES 256u
#define MAX_TABLES 96u

typedef struct {
  const pg_target_t *tg;
  const pg_mem_t *golden;
  const pg_iotraffic_opts_t *o;
  pg_iotraffic_stats_t *st;
  uint64_t rng, op;
  unsigned fails;
  os_phys_t phys;
  os_frames_t frames;
  os_as_t cpu, host;
  os_mmio_t mmio;
  os_iommu_t io;
  dom_t dom[NDOM];
  io_dev_t dev[2];
  int te;           /* CTRL.TE as written */
  int dt_small;     /* DT_LOG2 lowered to 4: the disk's RID is outside the table */
  pg_mem_t *before; /* the golden memory before the current DMA */
  /* What the current DMA may change (the isolation check). */
  range_t allowed[MAX_RANGES];
  unsigned nallowed;
  uint64_t tables[MAX_TABLES];
  unsigned ntables;
} world_t;

static void fail(world_t *w, const char *fmt, ...) {
  va_list ap;
  w->fails++;
  if (w->fails > 20)
    return;
  fprintf(w->o->out, "  FAIL iommu traffic op %" PRIu64 ": ", w->op);
  va_start(ap, fmt);
  vfprintf(w->o->out, fmt, ap);
  va_end(ap);
  fputc('\n', w->o->out);
}

static void expect_ok(world_t *w, const char *what, os_err_t e) {
  if (e != OS_OK)
    fail(w, "%s: %s", what, os_strerror(e));
}

static uint64_t below(world_t *w, uint64_t n) {
  return pg_rng_below(&w->rng, n);
}

static int chance(world_t *w, unsigned percent) {
  return pg_rng_chance(&w->rng, percent);
}

static void fill(world_t *w, uint64_t pa, uint64_t bytes) {
  uint64_t seed = pg_rng_next(&w->rng);
  for (uint64_t i = 0; i < bytes; i += 8)
    os_write64(&w->phys, pa + i, pg_mix64(seed + i));
}

/* ---- the tables as written -------------------------------------------------------------- */

/* The host table's view of a guest-physical address (see GPA_POOL). */
static int host_resolve(uint64_t gpa, int write, uint64_t *hpa) {
  if (gpa >= GPA_POOL && gpa < GPA_POOL + POOL_FRAMES * PAGE) {
    if (write && (gpa - GPA_POOL) / PAGE % 8 == 7)
      return 0;
    *hpa = POOL_BASE + (gpa - GPA_POOL);
    return 1;
  }
  if (gpa >= GPA_BIG && gpa < GPA_BIG + BIG_FRAMES * BIG) {
    *hpa = BIG_BASE + (gpa - GPA_BIG);
    return 1;
  }
  return 0;
}

/* Where a slot's mapping S sends offset OFF, if it allows the access. */
static int slot_resolve(const dom_t *d, const slot_t *s, uint64_t off, int write, uint64_t *pa) {
  if (!s->mapped || s->rsvd || (write && !s->w))
    return 0;
  if (d->nested)
    return host_resolve(s->pa + off, write, pa);
  *pa = s->pa + off;
  return *pa < RAM_END;
}

/* What the tables as written (no cache) make of device DV's access under
 * attachment A: 1 and the physical address, or 0 for a fault. */
static int resolve(const world_t *w, const io_dev_t *dv, const att_t *a, uint64_t iova, int write,
                   uint64_t *pa) {
  if (!w->te) {
    *pa = iova;
    return iova < RAM_END;
  }
  if ((w->dt_small && dv->rid >= 16) || a->bad != DTE_GOOD || a->mode == DTE_BLOCKED ||
      (write ? !a->w : !a->r))
    return 0;
  if (a->mode == DTE_PASS) {
    *pa = iova;
    return iova < RAM_END;
  }
  const dom_t *d = &w->dom[a->dom];
  int k = slot_of(iova);
  return k >= 0 && slot_resolve(d, &d->slot[k], iova - slot_iova((unsigned)k), write, pa);
}

/* The reason the highest-priority checks give, which the tables do not
 * decide (0: none of them applies). */
static unsigned early_reason(const world_t *w, const io_dev_t *dv, const att_t *a) {
  if (!w->te)
    return 0;
  if (w->dt_small && dv->rid >= 16)
    return IO_R_RID;
  if (a->bad == DTE_BAD_V)
    return IO_R_DTE_INVALID;
  if (a->bad == DTE_BAD_RSVD)
    return IO_R_DTE_RSVD;
  if (a->mode == DTE_BLOCKED)
    return IO_R_BLOCKED;
  return 0;
}

static void write_slot(world_t *w, dom_t *d, unsigned k, slot_t s) {
  enum pg_page_size size = k >= FIRST_BIG_SLOT ? PG_SIZE_2M : PG_SIZE_4K;
  if (d->slot[k].mapped)
    expect_ok(w, "unmap slot", os_unmap(&d->as, slot_iova(k), size, NULL));
  if (s.mapped) {
    expect_ok(w, "map slot", os_map(&d->as, slot_iova(k), s.pa, size, s.w ? PTE_RW : 0));
    if (s.rsvd)
      expect_ok(w, "reserved bit", os_entry_update(&d->as, slot_iova(k), 2, LARGE_RSVD, 0));
  }
  d->slot[k] = s;
}

static slot_t random_slot(world_t *w, const dom_t *d, unsigned k) {
  slot_t s = {.mapped = 1, .w = (uint8_t)chance(w, 80)};
  unsigned r = (unsigned)below(w, 100);
  if (r < 10)
    return (slot_t){0};
  if (k >= FIRST_BIG_SLOT) {
    s.rsvd = (uint8_t)chance(w, 8);
    if (r < 16)
      s.pa = d->nested ? GPA_HOLE : NOT_RAM;
    else
      s.pa = (d->nested ? GPA_BIG : BIG_BASE) + BIG * below(w, BIG_FRAMES);
  } else if (r < 16) {
    s.pa = (d->nested ? GPA_HOLE : NOT_RAM) + PAGE * below(w, 16);
  } else if (r < 24) {
    s.pa = (d->nested ? GPA_BIG : BIG_BASE) + BIG * below(w, BIG_FRAMES) + PAGE * below(w, 32);
  } else {
    s.pa = (d->nested ? GPA_POOL : POOL_BASE) + PAGE * below(w, POOL_FRAMES);
  }
  return s;
}

/* ---- commands ------------------------------------------------------------------------- */

static void sync(world_t *w) {
  expect_ok(w, "command queue sync", os_iommu_sync(&w->io));
  w->st->invalidations++;
}

static void forget_attachments(io_dev_t *dv) {
  dv->att[0] = dv->att[dv->natt - 1];
  dv->natt = 1;
}

static void inv_dte(world_t *w, io_dev_t *dv) {
  os_iommu_command(&w->io, CMD_INV_DTE | (uint64_t)dv->rid << CMD_ARG_SHIFT, 0);
  sync(w);
  forget_attachments(dv);
}

static void inv_domain(world_t *w, dom_t *d) {
  os_iommu_command(&w->io, CMD_INV_DOMAIN | (uint64_t)d->id << CMD_ARG_SHIFT, 0);
  sync(w);
  d->nstale = 0;
}

static void inv_all(world_t *w) {
  os_iommu_command(&w->io, CMD_INV_ALL, 0);
  sync(w);
  for (unsigned i = 0; i < NDOM; i++)
    w->dom[i].nstale = 0;
  for (unsigned i = 0; i < 2; i++)
    forget_attachments(&w->dev[i]);
}

/* INV_PAGE at one address of slot K. It drops every entry covering that
 * address; the slot's other entries go too unless the slot is a 2 MiB page
 * of the nested guest, whose IOTLB entries may be 4 KiB (the host's). */
static void inv_page(world_t *w, dom_t *d, unsigned k) {
  uint64_t iova = slot_iova(k) + (k >= FIRST_BIG_SLOT ? PAGE * below(w, 512) : 8 * below(w, 512));
  os_iommu_command(&w->io, CMD_INV_PAGE | (uint64_t)d->id << CMD_ARG_SHIFT, iova);
  sync(w);
  if (d->nested && k >= FIRST_BIG_SLOT)
    return;
  unsigned j = 0;
  for (unsigned i = 0; i < d->nstale; i++)
    if (d->stale[i].slot != k)
      d->stale[j++] = d->stale[i];
  d->nstale = j;
}

/* ---- the world -------------------------------------------------------------------------- */

static void write_dte(world_t *w, io_dev_t *dv, const att_t *a) {
  uint64_t words[4] = {DTE_V | (uint64_t)a->mode << DTE_MODE_SHIFT | (a->r ? DTE_R : 0) |
                           (a->w ? DTE_W : 0) | (uint64_t)a->id << DTE_DOMAIN_SHIFT,
                       0, 0, 0};
  if (a->mode == DTE_TRANSLATE)
    words[1] = w->dom[a->dom].as.pml4;
  if (a->mode == DTE_NESTED) {
    words[1] = w->host.pml4;
    words[2] = w->dom[a->dom].as.pml4;
  }
  if (a->bad == DTE_BAD_V)
    words[0] &= ~DTE_V;
  if (a->bad == DTE_BAD_RSVD)
    words[0] |= 1ull << (32 + below(w, 32));
  os_iommu_set_dte(&w->io, dv->rid, words);
}

static att_t random_att(world_t *w) {
  att_t a = {.r = 1, .w = 1};
  unsigned r = (unsigned)below(w, 100);
  if (r < 50) {
    a.mode = DTE_TRANSLATE;
    a.dom = (int)below(w, 2);
  } else if (r < 70) {
    a.mode = DTE_NESTED;
    a.dom = 2;
  } else if (r < 85) {
    a.mode = DTE_PASS;
  } else if (r < 92) {
    a.mode = DTE_BLOCKED;
  } else {
    a.mode = DTE_TRANSLATE;
    a.dom = 0;
    a.bad = (uint8_t)(chance(w, 50) ? DTE_BAD_V : DTE_BAD_RSVD);
  }
  a.id = a.mode == DTE_PASS ? DOMID_PASS : a.mode == DTE_BLOCKED ? DOMID_BLOCKED : dom_ids[a.dom];
  r = (unsigned)below(w, 100);
  if (r < 5)
    a.r = 0;
  else if (r < 10)
    a.w = 0;
  return a;
}

static void setup(world_t *w) {
  const pg_target_t *tg = w->tg;
  w->phys = pg_target_phys(tg);
  os_frames_init(&w->frames, w->phys, FRAMES_BASE, FRAMES_LIMIT);
  expect_ok(w, "cpu address space", os_as_init(&w->cpu, &w->frames));
  expect_ok(w, "map device windows", os_map_device_windows(&w->cpu));
  tg->ctl(tg->ctx, PG_CTL_CR3, os_as_cr3(&w->cpu, 0));
  w->mmio = pg_target_mmio(tg);
  unsigned dt_log2 = 5 + (unsigned)below(w, 3), fl_log2 = 2 + (unsigned)below(w, 5);
  expect_ok(w, "iommu init", os_iommu_init(&w->io, w->mmio, &w->frames, dt_log2, fl_log2, 3, 1));
  w->io.max_polls = MAX_POLLS;
  w->te = 1;

  for (unsigned k = 0; k < POOL_FRAMES; k++)
    fill(w, POOL_BASE + PAGE * k, PAGE);
  for (unsigned j = 0; j < BIG_FRAMES; j++)
    for (unsigned i = 0; i < 16; i++)
      fill(w, BIG_BASE + BIG * j + 0x20000ull * i, PAGE);

  expect_ok(w, "host table", os_as_init(&w->host, &w->frames));
  expect_ok(
      w, "host: tables one to one",
      os_iommu_map(&w->host, FRAMES_BASE, FRAMES_BASE, FRAMES_LIMIT - FRAMES_BASE, PG_SIZE_2M, 1));
  for (unsigned k = 0; k < POOL_FRAMES; k++)
    expect_ok(w, "host: pool",
              os_iommu_map(&w->host, GPA_POOL + PAGE * k, POOL_BASE + PAGE * k, PAGE, PG_SIZE_4K,
                           k % 8 != 7));
  expect_ok(w, "host: big 0", os_iommu_map(&w->host, GPA_BIG, BIG_BASE, BIG, PG_SIZE_2M, 1));
  expect_ok(w, "host: big 1",
            os_iommu_map(&w->host, GPA_BIG + BIG, BIG_BASE + BIG, BIG, PG_SIZE_4K, 1));

  for (unsigned i = 0; i < NDOM; i++) {
    dom_t *d = &w->dom[i];
    d->id = dom_ids[i];
    d->nested = i == 2;
    expect_ok(w, "domain table", os_as_init(&d->as, &w->frames));
    for (unsigned k = 0; k < NSLOT; k++)
      write_slot(w, d, k, random_slot(w, d, k));
  }
  w->dev[0] = (io_dev_t){.rid = RID_NIC, .base = PA_NIC_BASE};
  w->dev[1] = (io_dev_t){.rid = RID_DISK, .base = PA_DISK_BASE};
  for (unsigned i = 0; i < 2; i++) {
    io_dev_t *dv = &w->dev[i];
    dv->att[0] = (att_t){.mode = DTE_TRANSLATE, .dom = (int)i, .id = dom_ids[i], .r = 1, .w = 1};
    dv->natt = 1;
    write_dte(w, dv, &dv->att[0]);
    inv_dte(w, dv);
  }
}

/* ---- what a DMA may change --------------------------------------------------------------- */

static void allow(world_t *w, uint64_t lo, uint64_t len) {
  if (len == 0 || lo >= RAM_END)
    return;
  uint64_t hi = lo + len;
  if (w->nallowed && w->allowed[w->nallowed - 1].hi == lo) {
    w->allowed[w->nallowed - 1].hi = hi;
    return;
  }
  if (w->nallowed == MAX_RANGES) {
    fail(w, "more than %u writable ranges", MAX_RANGES);
    return;
  }
  w->allowed[w->nallowed++] = (range_t){lo, hi};
}

/* A slot's writable physical pages. */
static void allow_slot(world_t *w, const dom_t *d, unsigned k, const slot_t *s) {
  for (uint64_t off = 0; off < slot_size(k); off += PAGE) {
    uint64_t pa;
    if (slot_resolve(d, s, off, 1, &pa))
      allow(w, pa, PAGE);
  }
}

static void note_tables(world_t *w, uint64_t table, int level) {
  for (unsigned i = 0; i < w->ntables; i++)
    if (w->tables[i] == table)
      return;
  if (w->ntables == MAX_TABLES) {
    fail(w, "more than %u page tables", MAX_TABLES);
    return;
  }
  w->tables[w->ntables++] = table;
  if (level == 1)
    return;
  for (unsigned i = 0; i < 512; i++) {
    uint64_t e = pg_mem_read(w->golden, table + 8u * i, 8);
    if ((e & PTE_P) && !(level < 4 && (e & PTE_PS)))
      note_tables(w, e & PTE_ADDR, level - 1);
  }
}

static void compute_allowed(world_t *w, const io_dev_t *dv, uint64_t dst, uint64_t len) {
  w->nallowed = w->ntables = 0;
  if (!w->te) {
    allow(w, dst, len);
    return;
  }
  for (unsigned i = 0; i < dv->natt; i++) {
    const att_t *a = &dv->att[i];
    if (a->bad != DTE_GOOD || a->mode == DTE_BLOCKED)
      continue;
    if (a->mode == DTE_PASS) {
      if (a->w)
        allow(w, dst, len);
      continue;
    }
    /* Walks set A bits even where the entry then denies the access. */
    const dom_t *d = &w->dom[a->dom];
    note_tables(w, d->as.pml4, 4);
    if (d->nested)
      note_tables(w, w->host.pml4, 4);
    if (!a->w)
      continue;
    for (unsigned k = 0; k < NSLOT; k++)
      allow_slot(w, d, k, &d->slot[k]);
    for (unsigned j = 0; j < d->nstale; j++)
      allow_slot(w, d, d->stale[j].slot, &d->stale[j].old);
  }
}

static void snapshot_page(uint64_t pa, const uint8_t *bytes, void *ctx) {
  pg_mem_write_bytes(ctx, pa, bytes, 4096);
}

typedef struct {
  world_t *w;
  unsigned breaches;
} isolation_t;

/* Every word of a page that the DMA changed must be allowed. */
static void check_page(uint64_t pa, const uint8_t *after, void *ctx) {
  isolation_t *c = ctx;
  world_t *w = c->w;
  uint8_t before[4096];
  pg_mem_read_bytes(w->before, pa, before, sizeof before);
  if (memcmp(before, after, sizeof before) == 0)
    return;
  int table = 0;
  for (unsigned i = 0; i < w->ntables; i++)
    table |= w->tables[i] == pa;
  uint64_t log_end = w->io.fl_base + ((uint64_t)FR_BYTES << w->io.fl_log2);
  for (unsigned off = 0; off < 4096; off += 8) {
    uint64_t old, now, at = pa + off;
    memcpy(&old, before + off, 8);
    memcpy(&now, after + off, 8);
    if (old == now || (at >= w->io.fl_base && at < log_end))
      continue;
    if (table && (old & ~now) == 0 && ((now & ~old) & ~(PTE_A | PTE_D)) == 0)
      continue;
    int ok = 0;
    for (unsigned i = 0; i < w->nallowed && !ok; i++)
      ok = at >= w->allowed[i].lo && at < w->allowed[i].hi;
    if (!ok && c->breaches++ < 4)
      fail(w,
           "isolation: the DMA changed 0x%" PRIx64 " (0x%" PRIx64 " -> 0x%" PRIx64
           "), which the device may not write%s",
           at, old, now, table ? " (a table word, beyond its A/D bits)" : "");
  }
}

/* ---- DMA ---------------------------------------------------------------------------------- */

static uint64_t random_len(world_t *w) {
  unsigned r = (unsigned)below(w, 100);
  if (r < 40)
    return 8 * (1 + below(w, 32));
  if (r < 80)
    return 8 * (1 + below(w, 512));
  return 8 * (1 + below(w, 1536));
}

static uint64_t slot_addr(world_t *w, const att_t *a, int write) {
  /* Mostly where the device's domain maps the access, as a driver would
   * ask; else anywhere. */
  int mapped = a->mode >= DTE_TRANSLATE && chance(w, 75);
  uint64_t iova = 0;
  for (unsigned tries = 0; tries < 6; tries++) {
    unsigned k = (unsigned)below(w, NSLOT);
    iova = slot_iova(k) + 8 * below(w, 512);
    if (k >= FIRST_BIG_SLOT)
      iova += 0x20000ull * below(w, 16);
    const dom_t *d = &w->dom[a->dom];
    uint64_t pa;
    if (!mapped || slot_resolve(d, &d->slot[k], iova - slot_iova(k), write, &pa))
      break;
  }
  return iova;
}

static uint64_t phys_addr(world_t *w) {
  if (chance(w, 4))
    return NOT_RAM + 8 * below(w, 512);
  return POOL_BASE + PAGE * below(w, POOL_FRAMES) + 8 * below(w, 512);
}

/* The bytes moved by the pieces before the one that starts at FAIL on the
 * source (SIDE 0) or destination (SIDE 1) side, and their number; *found
 * says whether such a piece exists (else all of LEN). */
static uint64_t bytes_before(uint64_t src, uint64_t dst, uint64_t len, int side, uint64_t fail_at,
                             uint64_t *pieces, int *found) {
  uint64_t off = 0;
  *pieces = 0;
  *found = 0;
  while (off < len) {
    uint64_t s = src + off, d = dst + off;
    if (side >= 0 && (side ? d : s) == fail_at) {
      *found = 1;
      break;
    }
    uint64_t step = LINE_BYTES - (s % LINE_BYTES);
    if (LINE_BYTES - d % LINE_BYTES < step)
      step = LINE_BYTES - d % LINE_BYTES;
    if (len - off < step)
      step = len - off;
    off += step;
    ++*pieces;
  }
  return off;
}

/* The outcome the tables as written decide, when no cached entry can
 * differ from them: 1 done, 0 a fault, -1 not decidable here. */
static int predict(const world_t *w, const io_dev_t *dv, uint64_t src, uint64_t dst, uint64_t len) {
  const att_t *a = &dv->att[dv->natt - 1];
  if (len == 0 || (w->te && dv->natt > 1))
    return -1;
  if (w->te && (a->mode == DTE_TRANSLATE || a->mode == DTE_NESTED) && a->bad == DTE_GOOD &&
      w->dom[a->dom].nstale)
    return -1;
  for (uint64_t off = 0; off < len; off += 8) {
    uint64_t pa;
    if (!resolve(w, dv, a, src + off, 0, &pa) || !resolve(w, dv, a, dst + off, 1, &pa))
      return 0;
  }
  return 1;
}

/* A finished copy: the destination holds what the source held (skipped
 * when a physical page is behind two destination pages, or behind both a
 * source and a destination page: there the pieces' order decides). */
static void check_copy(world_t *w, const io_dev_t *dv, uint64_t src, uint64_t dst, uint64_t len) {
  const att_t *a = &dv->att[dv->natt - 1];
  uint64_t dpages[8];
  unsigned nd = 0;
  for (uint64_t off = 0; off < len; off += 8) {
    if (off && (dst + off) % PAGE)
      continue;
    uint64_t pa = 0;
    resolve(w, dv, a, dst + off, 1, &pa);
    for (unsigned i = 0; i < nd; i++)
      if (dpages[i] == (pa & ~(PAGE - 1)))
        return;
    if (nd == 8)
      return;
    dpages[nd++] = pa & ~(PAGE - 1);
  }
  for (uint64_t off = 0; off < len; off += 8) {
    uint64_t pa = 0;
    resolve(w, dv, a, src + off, 0, &pa);
    for (unsigned i = 0; i < nd; i++)
      if (dpages[i] == (pa & ~(PAGE - 1)))
        return;
  }
  for (uint64_t off = 0; off < len; off += 8) {
    uint64_t s = 0, d = 0;
    resolve(w, dv, a, src + off, 0, &s);
    resolve(w, dv, a, dst + off, 1, &d);
    uint64_t want = pg_mem_read(w->before, s, 8), got = pg_mem_read(w->golden, d, 8);
    if (want != got) {
      fail(w,
           "copy: destination 0x%" PRIx64 " holds 0x%" PRIx64 ", its source 0x%" PRIx64
           " held 0x%" PRIx64,
           d, got, s, want);
      return;
    }
  }
  w->st->copies_checked++;
}

static void op_dma(world_t *w, int te_off) {
  io_dev_t *dv = &w->dev[below(w, 2)];
  const att_t *a = &dv->att[dv->natt - 1];
  int phys = te_off || a->mode == DTE_PASS;
  uint64_t src = phys ? phys_addr(w) : slot_addr(w, a, 0);
  uint64_t dst = phys ? phys_addr(w) : slot_addr(w, a, 1);
  uint64_t len = random_len(w);
  unsigned r = (unsigned)below(w, 100);
  if (r < 3) {
    uint64_t odd = 1 + below(w, 7);
    if (r == 0)
      src += odd;
    else if (r == 1)
      dst += odd;
    else
      len += odd;
  } else if (r < 5) {
    uint64_t wide = 1ull << (48 + below(w, 16));
    if (r == 3)
      src |= wide;
    else
      dst |= wide;
  } else if (r < 6) {
    len = 0;
  }
  int misaligned = ((src | dst | len) & 7) != 0;

  if (te_off) {
    os_iommu_set_reg(&w->io, IOMMU_CTRL, IOMMU_CTRL_FLE | IOMMU_CTRL_CQE);
    w->te = 0;
  }
  int want = misaligned ? 0 : predict(w, dv, src, dst, len);
  /* Reason 1 comes before the device-table cache; the others only when no
   * older entry of the device can be cached. */
  unsigned want_reason = misaligned ? IO_R_DMA_ALIGN : early_reason(w, dv, a);
  if (w->te && want_reason > IO_R_RID && dv->natt > 1)
    want_reason = 0;
  int with_cpu = chance(w, 50) && w->o->cpu_during_dma;
  if (with_cpu) /* before the snapshot: it may map pages of its own */
    w->o->cpu_during_dma(w->o->cpu_ctx, 0, &w->cpu, &w->frames);
  compute_allowed(w, dv, dst, len);
  pg_mem_for_each_page(w->golden, snapshot_page, w->before);
  uint64_t bytes0 = w->tg->counters(w->tg->ctx)->dma_bytes;

  os_dma_result_t res = {0};
  os_dma_start(&w->mmio, dv->base, src, dst, len);
  if (with_cpu) {
    w->o->cpu_during_dma(w->o->cpu_ctx, 1, &w->cpu, &w->frames);
    w->st->with_cpu++;
  }
  expect_ok(w, "DMA finishes", os_dma_wait(&w->mmio, dv->base, MAX_POLLS, &res));
  uint64_t moved = w->tg->counters(w->tg->ctx)->dma_bytes - bytes0;

  w->st->dmas++;
  int done = res.status == DMA_STATUS_DONE;
  if (!done && res.status != DMA_STATUS_ERROR)
    fail(w, "DMA STATUS 0x%" PRIx64 ": neither done nor error", res.status);
  if (want >= 0) {
    w->st->predicted++;
    if (done != want)
      fail(w,
           "DMA 0x%" PRIx64 " -> 0x%" PRIx64 " len %" PRIu64
           " (rid 0x%x, mode %u) %s (reason %" PRIu64 " at 0x%" PRIx64 "), but the tables "
           "say it %s",
           src, dst, len, dv->rid, a->mode, done ? "finished" : "failed", res.reason, res.iova,
           want ? "succeeds" : "faults");
  }
  if (!done && want_reason && res.reason != want_reason)
    fail(w, "DMA reason %" PRIu64 ", expected %u", res.reason, want_reason);

  uint64_t pieces = 0;
  if (done) {
    int found;
    uint64_t all = bytes_before(src, dst, len, -1, 0, &pieces, &found);
    if (moved != all)
      fail(w, "dma_bytes grew by %" PRIu64 " for a finished DMA of %" PRIu64, moved, all);
    w->st->done++;
    if (want == 1)
      check_copy(w, dv, src, dst, len);
  } else if (res.reason == IO_R_DMA_ALIGN) {
    if (!misaligned || res.iova != 0 || moved != 0)
      fail(w,
           "reason 0xFF for src 0x%" PRIx64 " dst 0x%" PRIx64 " len %" PRIu64
           " (ERR_IOVA 0x%" PRIx64 ", %" PRIu64 " bytes moved)",
           src, dst, len, res.iova, moved);
    w->st->misaligned++;
  } else {
    uint64_t ps, pd;
    int fs, fd;
    uint64_t bs = bytes_before(src, dst, len, 0, res.iova, &ps, &fs);
    uint64_t bd = bytes_before(src, dst, len, 1, res.iova, &pd, &fd);
    if (res.reason < IO_R_RID || res.reason > IO_R_NOT_RAM)
      fail(w, "DMA reason %" PRIu64 " is no reason code", res.reason);
    if (!(fs && moved == bs) && !(fd && moved == bd))
      fail(w,
           "DMA failed at 0x%" PRIx64 " after %" PRIu64 " bytes: no piece of src 0x%" PRIx64
           " dst 0x%" PRIx64 " len %" PRIu64 " starts there after that many",
           res.iova, moved, src, dst, len);
    pieces = fs && moved == bs ? ps : pd;
    w->st->faulted++;
  }
  w->st->pieces += pieces;
  w->st->bytes += moved;

  isolation_t iso = {w, 0};
  pg_mem_for_each_page(w->golden, check_page, &iso);
  if (te_off) {
    os_iommu_set_reg(&w->io, IOMMU_CTRL, IOMMU_CTRL_TE | IOMMU_CTRL_FLE | IOMMU_CTRL_CQE);
    w->te = 1;
  }
}

/* ---- the other operations ------------------------------------------------------------------ */

static void op_remap(world_t *w) {
  dom_t *d = &w->dom[below(w, NDOM)];
  unsigned k = (unsigned)below(w, NSLOT);
  slot_t old = d->slot[k];
  if (old.mapped && !old.rsvd && chance(w, 30)) {
    /* Write-protect or unprotect in place, the leaf's A and D kept (what a
     * copy-on-write kernel does). */
    enum pg_page_size size = k >= FIRST_BIG_SLOT ? PG_SIZE_2M : PG_SIZE_4K;
    expect_ok(w, "protect",
              os_protect(&d->as, slot_iova(k), size, old.w ? 0 : PTE_RW, old.w ? PTE_RW : 0));
    d->slot[k].w = !old.w;
  } else {
    write_slot(w, d, k, random_slot(w, d, k));
  }
  w->st->remaps++;
  if (old.mapped && !old.rsvd) {
    if (d->nstale == MAX_STALE)
      inv_domain(w, d);
    d->stale[d->nstale++] = (stale_t){k, old};
  }
  unsigned r = (unsigned)below(w, 100);
  if (r < 65)
    inv_page(w, d, k);
  else if (r < 75)
    inv_domain(w, d);
  else if (r < 80)
    inv_all(w);
  else
    w->st->stale_remaps++;
}

static void op_attach(world_t *w) {
  io_dev_t *dv = &w->dev[below(w, 2)];
  att_t a = random_att(w);
  write_dte(w, dv, &a);
  if (dv->natt == MAX_ATT)
    inv_dte(w, dv);
  dv->att[dv->natt++] = a;
  if (chance(w, 85))
    inv_dte(w, dv);
  else
    w->st->stale_attaches++;
  w->st->attaches++;
}

static void op_faults(world_t *w) {
  uint64_t rec[4];
  unsigned n = 0;
  while (chance(w, 70) && n < (1u << w->io.fl_log2) && os_iommu_next_fault(&w->io, rec)) {
    unsigned reason = (unsigned)(rec[0] & 0xff), rid = (unsigned)(rec[0] >> FR_RID_SHIFT) & 0xffff;
    unsigned level = (unsigned)(rec[0] >> FR_LEVEL_SHIFT) & 7;
    if (reason < IO_R_RID || reason > IO_R_NOT_RAM || (rid != RID_NIC && rid != RID_DISK) ||
        level > 4 || (rec[0] >> 48))
      fail(w, "fault record word 0 0x%" PRIx64 " is not a record of ours", rec[0]);
    n++;
  }
  w->st->records += n;
  if (chance(w, 50))
    os_iommu_set_reg(&w->io, IOMMU_FSTS, IOMMU_FSTS_PENDING | IOMMU_FSTS_OVERFLOW);
}

static void op_invalidate(world_t *w) {
  unsigned r = (unsigned)below(w, 100);
  if (r < 50)
    inv_domain(w, &w->dom[below(w, NDOM)]);
  else if (r < 75)
    inv_all(w);
  else
    inv_dte(w, &w->dev[below(w, 2)]);
}

unsigned pg_iotraffic_run(const pg_target_t *tg, const pg_mem_t *golden,
                          const pg_iotraffic_opts_t *o, pg_iotraffic_stats_t *st) {
  world_t *w = calloc(1, sizeof *w);
  memset(st, 0, sizeof *st);
  w->tg = tg;
  w->golden = golden;
  w->o = o;
  w->st = st;
  w->rng = pg_mix64(o->seed + 0x10) | 1;
  w->before = pg_mem_new();
  setup(w);
  for (w->op = 0; w->op < o->ops; w->op++) {
    if (o->progress && o->ops >= 10 && w->op % (o->ops / 10) == 0)
      fprintf(stderr,
              "  iommu traffic: %" PRIu64 " of %" PRIu64 " operations, %" PRIu64 " pieces moved\n",
              w->op, o->ops, st->pieces);
    unsigned r = (unsigned)below(w, 100);
    if (r < 62)
      op_dma(w, 0);
    else if (r < 63)
      op_dma(w, 1);
    else if (r < 80)
      op_remap(w);
    else if (r < 87)
      op_attach(w);
    else if (r < 92)
      op_faults(w);
    else if (r < 94) {
      w->dt_small = !w->dt_small;
      os_iommu_set_reg(&w->io, IOMMU_DT_LOG2, w->dt_small ? 4 : w->io.dt_log2);
    } else if (r < 97)
      op_invalidate(w);
    else
      fill(w, POOL_BASE + PAGE * below(w, POOL_FRAMES), PAGE);
  }
  unsigned fails = w->fails;
  pg_mem_free(w->before);
  os_frames_destroy(&w->frames);
  free(w);
  return fails;
}
