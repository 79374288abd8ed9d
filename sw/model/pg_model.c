/* SPDX-License-Identifier: MIT */
/* pg_model.c — x86-64 4- and 5-level translation with protection keys, TLBs
 * and walk caches. */
#include "pg_model.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "pg_bus.h"
#include "pg_dma.h"
#include "pg_hw.h"

struct pg_model {
  pg_model_config_t cfg;
  pg_mem_t *mem;
  pg_ctl_t ctl;
  uint64_t cr2;
  pg_counters_t c;
  pg_tlb_t itlb, dtlb, l2;
  pg_tlb_t pwc[4]; /* indexed by level - 2: PDE (2), PDPTE (3), PML4E (4), PML5E (5) */
  pg_io_t *io;     /* the devices on the register bus */
};

/* Rights accumulated over the levels of a walk, and the leaf's key. */
typedef struct {
  uint8_t w, u, xd, pkey;
} rights_t;

void pg_model_default_config(pg_model_config_t *cfg) {
  cfg->itlb_entries = 32;
  cfg->dtlb_entries = 32;
  cfg->l2_sets = 128;
  cfg->l2_ways = 4;
  cfg->pwc_pml5e_entries = 2;
  cfg->pwc_pml4e_entries = 4;
  cfg->pwc_pdpte_entries = 4;
  cfg->pwc_pde_entries = 8;
}

pg_model_t *pg_model_new(const pg_model_config_t *cfg) {
  pg_model_t *m = calloc(1, sizeof *m);
  assert(m);
  if (cfg)
    m->cfg = *cfg;
  else
    pg_model_default_config(&m->cfg);
  m->mem = pg_mem_new();
  pg_tlb_init(&m->itlb, 1, m->cfg.itlb_entries);
  pg_tlb_init(&m->dtlb, 1, m->cfg.dtlb_entries);
  pg_tlb_init(&m->l2, m->cfg.l2_sets, m->cfg.l2_ways);
  pg_tlb_init(&m->pwc[0], 1, m->cfg.pwc_pde_entries);
  pg_tlb_init(&m->pwc[1], 1, m->cfg.pwc_pdpte_entries);
  pg_tlb_init(&m->pwc[2], 1, m->cfg.pwc_pml4e_entries);
  pg_tlb_init(&m->pwc[3], 1, m->cfg.pwc_pml5e_entries);
  m->io = pg_io_new(m->mem, &m->c);
  return m;
}

void pg_model_free(pg_model_t *m) {
  if (!m)
    return;
  pg_io_free(m->io);
  pg_mem_free(m->mem);
  pg_tlb_destroy(&m->itlb);
  pg_tlb_destroy(&m->dtlb);
  pg_tlb_destroy(&m->l2);
  for (int i = 0; i < 4; i++)
    pg_tlb_destroy(&m->pwc[i]);
  free(m);
}

pg_mem_t *pg_model_mem(pg_model_t *m) {
  return m->mem;
}
pg_io_t *pg_model_io(pg_model_t *m) {
  return m->io;
}
const pg_ctl_t *pg_model_ctl(const pg_model_t *m) {
  return &m->ctl;
}
uint64_t pg_model_cr2(const pg_model_t *m) {
  return m->cr2;
}
const pg_counters_t *pg_model_counters(const pg_model_t *m) {
  return &m->c;
}

uint16_t pg_model_pcid(const pg_model_t *m) {
  return m->ctl.pcide ? (uint16_t)(m->ctl.cr3 & CR3_PCID_MASK) : 0;
}

/* The tag of a combined mapping made under EPTP: its EP4TA, bit 0 set. */
static uint64_t ep4ta_of(uint64_t eptp) {
  return (eptp & EPT_ADDR_MASK) | 1;
}

/* The context a lookup or a fill is made in. */
static pg_tlb_ctx_t cur_ctx(const pg_model_t *m) {
  return (pg_tlb_ctx_t){.pcid = pg_model_pcid(m),
                        .vpid = m->ctl.vpid,
                        .ep4ta = m->ctl.ept ? ep4ta_of(m->ctl.eptp) : 0};
}

const pg_tlb_t *pg_model_cache(const pg_model_t *m, pg_cache_id_t id) {
  switch (id) {
  case PG_TLB_ITLB:
    return &m->itlb;
  case PG_TLB_DTLB:
    return &m->dtlb;
  case PG_TLB_L2:
    return &m->l2;
  case PG_PWC_PDE:
    return &m->pwc[0];
  case PG_PWC_PDPTE:
    return &m->pwc[1];
  case PG_PWC_PML4E:
    return &m->pwc[2];
  case PG_PWC_PML5E:
    return &m->pwc[3];
  }
  return NULL;
}

/* ---- invalidation ------------------------------------------------------ */

typedef struct {
  uint64_t va;
  uint16_t pcid;
  uint16_t vpid;
  uint64_t ep4ta;
  uint8_t use_va;   /* only entries covering va */
  uint8_t use_pcid; /* only entries of pcid (globals: see keep_global) */
  uint8_t keep_global;
  uint8_t any_global; /* with use_pcid: global entries match whatever their PCID */
  uint8_t use_vpid;   /* only entries of vpid */
  uint8_t keep_vpid0; /* not the host's entries (VPID 0) */
  uint8_t use_ep4ta;  /* only combined mappings of ep4ta */
  uint8_t combined;   /* only combined mappings (any EP4TA) */
} inval_t;

static int inval_drop(const pg_tlb_entry_t *e, const void *arg) {
  const inval_t *iv = arg;
  if (iv->use_vpid && e->vpid != iv->vpid)
    return 0;
  if (iv->keep_vpid0 && e->vpid == 0)
    return 0;
  if (iv->use_ep4ta && e->ep4ta != iv->ep4ta)
    return 0;
  if (iv->combined && e->ep4ta == 0)
    return 0;
  if (iv->keep_global && e->global)
    return 0;
  if (iv->use_pcid && e->pcid != iv->pcid && !(iv->any_global && e->global))
    return 0;
  if (iv->use_va && e->tag != pg_tlb_tag(iv->va, e->shift))
    return 0;
  return 1;
}

static void inval_tlbs(pg_model_t *m, const inval_t *iv) {
  pg_tlb_drop_if(&m->itlb, inval_drop, iv);
  pg_tlb_drop_if(&m->dtlb, inval_drop, iv);
  pg_tlb_drop_if(&m->l2, inval_drop, iv);
}

static void inval_pwcs(pg_model_t *m, const inval_t *iv) {
  for (int i = 0; i < 4; i++)
    pg_tlb_drop_if(&m->pwc[i], inval_drop, iv);
}

/* Canonical in the current paging mode: 57 bits with LA57, else 48. */
static int va_canonical(const pg_model_t *m, uint64_t va) {
  return pg_va_canonical_mode(va, m->ctl.la57);
}

/* Every entry of the current VPID (all PCIDs, all EP4TAs). */
static void flush_vpid(pg_model_t *m) {
  inval_t all = {.vpid = m->ctl.vpid, .use_vpid = 1};
  inval_tlbs(m, &all);
  inval_pwcs(m, &all);
}

/* What a page fault on VA drops: TLB entries that match it in the current
 * context and the walk-cache entries that would be used for it. */
static void inval_for_fault(pg_model_t *m, uint64_t va) {
  inval_t iv = {.va = va,
                .pcid = pg_model_pcid(m),
                .vpid = m->ctl.vpid,
                .use_va = 1,
                .use_pcid = 1,
                .any_global = 1,
                .use_vpid = 1};
  inval_tlbs(m, &iv);
  inval_pwcs(m, &iv);
}

void pg_model_write_ctl(pg_model_t *m, pg_ctl_field_t f, uint64_t value) {
  uint8_t bit = value != 0;
  switch (f) {
  case PG_CTL_CR3: {
    m->ctl.cr3 = value & ~CR3_NOFLUSH;
    if (m->ctl.pcide && (value & CR3_NOFLUSH))
      return;
    inval_t iv = {.keep_global = 1, .vpid = m->ctl.vpid, .use_vpid = 1};
    if (m->ctl.pcide) {
      iv.use_pcid = 1;
      iv.pcid = pg_model_pcid(m);
    }
    inval_tlbs(m, &iv);
    iv.keep_global = 0; /* walk caches hold no global entries */
    inval_pwcs(m, &iv);
    return;
  }
  case PG_CTL_WP:
    m->ctl.wp = bit;
    return;
  case PG_CTL_NXE:
    m->ctl.nxe = bit;
    return;
  case PG_CTL_SMEP:
    m->ctl.smep = bit;
    return;
  case PG_CTL_SMAP:
    m->ctl.smap = bit;
    return;
  case PG_CTL_PCIDE:
    if (m->ctl.pcide != bit)
      flush_vpid(m);
    m->ctl.pcide = bit;
    return;
  case PG_CTL_PGE:
    if (m->ctl.pge != bit)
      flush_vpid(m);
    m->ctl.pge = bit;
    return;
  case PG_CTL_LA57: /* a new paging mode: every cached translation goes */
    if (m->ctl.la57 != bit)
      flush_vpid(m);
    m->ctl.la57 = bit;
    return;
  case PG_CTL_PKE:
    m->ctl.pke = bit;
    return;
  case PG_CTL_PKS:
    m->ctl.pks = bit;
    return;
  case PG_CTL_PKRU:
    m->ctl.pkru = (uint32_t)value;
    return;
  case PG_CTL_PKRS:
    m->ctl.pkrs = (uint32_t)value;
    return;
  case PG_CTL_EPT: /* a VM entry or exit: VPIDs and EP4TAs keep contexts apart */
    m->ctl.ept = bit;
    return;
  case PG_CTL_EPTP:
    m->ctl.eptp = value;
    return;
  case PG_CTL_VPID:
    m->ctl.vpid = (uint16_t)value;
    return;
  case PG_CTL_VM_CR3:
    m->ctl.cr3 = value & ~CR3_NOFLUSH;
    return;
  }
  assert(!"unknown control field");
}

void pg_model_invlpg(pg_model_t *m, uint64_t va) {
  if (!va_canonical(m, va))
    return; /* INVLPG of a non-canonical address is a no-op */
  inval_t iv = {.va = va,
                .pcid = pg_model_pcid(m),
                .vpid = m->ctl.vpid,
                .use_va = 1,
                .use_pcid = 1,
                .any_global = 1,
                .use_vpid = 1};
  inval_tlbs(m, &iv);
  /* SDM 4.10.4.1: all walk-cache entries of the current PCID, whatever
   * their address (a superset of the entries covering va). */
  inval_t pw = {.pcid = pg_model_pcid(m), .use_pcid = 1, .vpid = m->ctl.vpid, .use_vpid = 1};
  inval_pwcs(m, &pw);
}

void pg_model_invpcid(pg_model_t *m, unsigned type, uint16_t pcid, uint64_t va) {
  assert(type <= 3);
  inval_t tlb = {0}, pwc = {0};
  switch (type) {
  case 0: /* individual address, not global */
    if (!va_canonical(m, va))
      return; /* #GP: nothing invalidated */
    tlb = (inval_t){.va = va, .pcid = pcid, .use_va = 1, .use_pcid = 1, .keep_global = 1};
    pwc = (inval_t){.pcid = pcid, .use_pcid = 1};
    break;
  case 1: /* single context, not global */
    tlb = (inval_t){.pcid = pcid, .use_pcid = 1, .keep_global = 1};
    pwc = (inval_t){.pcid = pcid, .use_pcid = 1};
    break;
  case 2: /* all contexts, globals too */
    break;
  case 3: /* all contexts, not global */
    tlb.keep_global = 1;
    break;
  }
  tlb.vpid = pwc.vpid = m->ctl.vpid; /* the current VPID's only */
  tlb.use_vpid = pwc.use_vpid = 1;
  inval_tlbs(m, &tlb);
  inval_pwcs(m, &pwc);
}

void pg_model_invept(pg_model_t *m, unsigned type, uint64_t eptp) {
  assert(type == 1 || type == 2);
  inval_t iv = {.combined = 1};
  if (type == 1)
    iv = (inval_t){.ep4ta = ep4ta_of(eptp), .use_ep4ta = 1};
  inval_tlbs(m, &iv);
  inval_pwcs(m, &iv);
}

void pg_model_invvpid(pg_model_t *m, unsigned type, uint16_t vpid, uint64_t va) {
  assert(type <= 3);
  if (type != 2 && vpid == 0)
    return; /* VMfail: VPID 0 is not a guest's */
  inval_t tlb = {.vpid = vpid, .use_vpid = 1}, pwc = tlb;
  switch (type) {
  case 0: /* individual address, globals too; the VPID's walk-cache entries */
    if (!va_canonical(m, va))
      return; /* VMfail */
    tlb.va = va;
    tlb.use_va = 1;
    break;
  case 1: /* single context */
    break;
  case 2: /* all contexts but the host's */
    tlb = pwc = (inval_t){.keep_vpid0 = 1};
    break;
  case 3: /* single context, globals kept */
    tlb.keep_global = 1;
    break;
  }
  inval_tlbs(m, &tlb);
  inval_pwcs(m, &pwc);
}

void pg_model_wait(pg_model_t *m, uint64_t cycles) {
  m->c.cycles += cycles;
}

/* ---- rights ------------------------------------------------------------ */

/* SDM 4.6.2: the leaf's key denies this data access. A user-mode address
 * (US=1 at every level) takes its rights from PKRU when CR4.PKE=1, a
 * supervisor-mode address from IA32_PKRS when CR4.PKS=1, and then only for
 * supervisor accesses (a user access to it faults without keys). AD denies
 * every data access; WD denies user writes, and supervisor writes when
 * CR0.WP=1. Instruction fetches are never checked. */
static int key_denies(const pg_model_t *m, const pg_access_t *a, rights_t r) {
  uint32_t reg;
  if (a->op == PG_OP_FETCH)
    return 0;
  if (r.u) {
    if (!m->ctl.pke)
      return 0;
    reg = m->ctl.pkru;
  } else {
    if (!m->ctl.pks || a->user)
      return 0;
    reg = m->ctl.pkrs;
  }
  unsigned ad = (reg >> (2 * r.pkey)) & 1, wd = (reg >> (2 * r.pkey + 1)) & 1;
  if (ad)
    return 1;
  return a->op == PG_OP_STORE && wd && (a->user || m->ctl.wp);
}

/* The page-level protection check of SDM 4.6 for an access to a page with
 * accumulated rights R: the rights of the entries first, then the key.
 * Returns PG_PF_NONE when the access is allowed. */
static pg_pf_kind_t check_rights(const pg_model_t *m, const pg_access_t *a, rights_t r) {
  int write = a->op == PG_OP_STORE;
  int fetch = a->op == PG_OP_FETCH;
  if (a->user) {
    if (!r.u)
      return PG_PF_USER;
    if (write && !r.w)
      return PG_PF_WRITE;
  } else {
    if (r.u && fetch && m->ctl.smep)
      return PG_PF_SMEP;
    if (r.u && !fetch && m->ctl.smap && !a->ac)
      return PG_PF_SMAP;
    if (write && !r.w && m->ctl.wp)
      return PG_PF_WRITE;
  }
  if (fetch && r.xd && m->ctl.nxe)
    return PG_PF_NX;
  if (key_denies(m, a, r))
    return PG_PF_PK;
  return PG_PF_NONE;
}

/* The EPT right an access to its final guest-physical address needs. */
static unsigned ept_need(const pg_access_t *a) {
  return a->op == PG_OP_LOAD ? EPT_R : a->op == PG_OP_STORE ? EPT_W : EPT_X;
}

static int entry_usable(const pg_model_t *m, const pg_tlb_entry_t *e, const pg_access_t *a) {
  rights_t r = {e->w, e->u, e->xd, e->pkey};
  if (check_rights(m, a, r) != PG_PF_NONE)
    return 0;
  if (e->ep4ta && !(e->ept_rwx & ept_need(a)))
    return 0;
  return a->op != PG_OP_STORE || e->dirty;
}

/* The error code of SDM 4.7. R is the leaf's rights for a fault decided at
 * the leaf: PK is set whenever the key denies the access, also when another
 * right denies it too (a user write to a read-only page whose key is
 * write-disabled has W and PK). A not-present or reserved entry has no key. */
static uint32_t error_code(const pg_model_t *m, const pg_access_t *a, pg_pf_kind_t k, rights_t r) {
  uint32_t err = 0;
  if (k != PG_PF_NOT_PRESENT)
    err |= PF_ERR_P;
  if (a->op == PG_OP_STORE)
    err |= PF_ERR_W;
  if (a->user)
    err |= PF_ERR_U;
  if (k == PG_PF_RESERVED)
    err |= PF_ERR_RSVD;
  if (a->op == PG_OP_FETCH && (m->ctl.nxe || m->ctl.smep))
    err |= PF_ERR_ID;
  if (k != PG_PF_NOT_PRESENT && k != PG_PF_RESERVED && key_denies(m, a, r))
    err |= PF_ERR_PK;
  return err;
}

/* ---- the walk ---------------------------------------------------------- */

typedef enum { WALK_OK, WALK_PF, WALK_BUS, WALK_EPT, WALK_EPTMC } walk_status_t;

typedef struct {
  pg_tlb_entry_t leaf;        /* the translation to install */
  pg_tlb_entry_t pwc_fill[4]; /* non-leaf entries read from memory, by level - 2 */
  uint8_t pwc_fill_valid[4];
  pg_pf_kind_t kind;
  rights_t rights; /* at the leaf, for the error code */
  int level;
  uint64_t gpa, qual; /* an EPT exit's guest-physical address and qualification */
} walk_t;

/* An EPT violation of ACCESS (EPT_QUAL_*) to GPA, the entries used allowing
 * RWX; FINAL: to the linear address's translation. */
static walk_status_t ept_violation(pg_model_t *m, walk_t *w, uint64_t gpa, unsigned access,
                                   unsigned rwx, int final) {
  pg_ept_walk_t ew = {.rwx = rwx};
  w->gpa = gpa;
  w->qual = pg_ept_qualification(access, &ew, 1, final);
  m->c.ept_violations++;
  return WALK_EPT;
}

/* Translates GPA through EPT for ACCESS needing NEED (rule 7). */
static walk_status_t ept_step(pg_model_t *m, walk_t *w, uint64_t gpa, unsigned need,
                              unsigned access, int final, pg_ept_walk_t *ew) {
  pg_ept_translate(m->mem, m->ctl.eptp, gpa, need, ew);
  m->c.ept_walks++;
  m->c.ept_reads += ew->reads;
  m->c.walk_writes += ew->writes;
  switch (ew->status) {
  case PG_EPT_OK:
    return WALK_OK;
  case PG_EPT_VIOLATION:
    return ept_violation(m, w, gpa, access, ew->rwx, final);
  case PG_EPT_MISCONFIG:
    w->gpa = gpa;
    m->c.ept_misconfigs++;
    return WALK_EPTMC;
  case PG_EPT_BUS:
    break;
  }
  return WALK_BUS;
}

static walk_status_t walk(pg_model_t *m, const pg_access_t *a, walk_t *w) {
  pg_tlb_ctx_t ctx = cur_ctx(m);
  int ept = m->ctl.ept;
  int ept_ad = ept && (m->ctl.eptp & EPTP_AD);
  /* A guest paging-structure access: a read, a write too with EPT A/D on. */
  unsigned table_need = EPT_R | (ept_ad ? EPT_W : 0);
  unsigned table_access = EPT_QUAL_READ | (ept_ad ? EPT_QUAL_WRITE : 0);
  uint64_t va = a->va;
  int top = m->ctl.la57 ? 5 : 4; /* CR3 names a PML5 or a PML4 table */
  int level = top;
  uint64_t table = m->ctl.cr3 & CR3_BASE_MASK; /* guest-physical with EPT */
  uint64_t host = table;                       /* the table's host-physical address */
  int host_known = !ept;
  unsigned table_rwx = EPT_RWX; /* the EPT rights of the table's page */
  rights_t acc = {1, 1, 0, 0};

  memset(w, 0, sizeof *w);
  m->c.walks++;

  /* Start from the deepest walk-cache hit. */
  for (int pl = 2; pl <= top; pl++) {
    pg_tlb_t *pwc = &m->pwc[pl - 2];
    int way = pg_tlb_lookup_unique(pwc, va, ctx);
    if (way < 0)
      continue;
    const pg_tlb_entry_t *e = pg_tlb_at(pwc, 0, (unsigned)way);
    pg_tlb_touch(pwc, 0, (unsigned)way);
    level = pl - 1;
    host = e->base;
    table = ept ? e->gbase : e->base;
    table_rwx = ept ? e->ept_rwx : EPT_RWX;
    host_known = 1;
    acc = (rights_t){e->w, e->u, e->xd, 0};
    if (pl == 2)
      m->c.pwc_pde_hits++;
    else if (pl == 3)
      m->c.pwc_pdpte_hits++;
    else if (pl == 4)
      m->c.pwc_pml4e_hits++;
    else
      m->c.pwc_pml5e_hits++;
    break;
  }

  for (;; level--) {
    uint64_t ga = pg_entry_addr(table, va, level); /* the entry's (guest-)physical address */
    w->level = level;
    if (!host_known) {
      pg_ept_walk_t ew;
      walk_status_t s = ept_step(m, w, ga, table_need, table_access, 0, &ew);
      if (s != WALK_OK)
        return s;
      host = ew.hpa & ~(uint64_t)PAGE_MASK_4K;
      table_rwx = ew.rwx;
      host_known = 1;
      if (level < top && w->pwc_fill_valid[level - 1]) { /* the entry that named this table */
        w->pwc_fill[level - 1].base = host;
        w->pwc_fill[level - 1].ept_rwx = (uint8_t)table_rwx;
      }
    }
    uint64_t ea = host | (ga & PAGE_MASK_4K);
    if (!pg_bus_is_ram(ea, 8))
      return WALK_BUS;
    uint64_t e = pg_mem_read(m->mem, ea, 8);
    m->c.walk_reads++;
    if (!(e & PTE_P)) {
      w->kind = PG_PF_NOT_PRESENT;
      return WALK_PF;
    }
    if (pg_entry_reserved(e, level, m->ctl.nxe)) {
      w->kind = PG_PF_RESERVED;
      return WALK_PF;
    }
    acc.w &= (e & PTE_RW) != 0;
    acc.u &= (e & PTE_US) != 0;
    acc.xd |= (e & PTE_XD) != 0;
    if (!pg_entry_is_leaf(e, level)) {
      if (!(e & PTE_A)) {
        if (!(table_rwx & EPT_W)) /* an A update is a write (SDM 28.2.3.2) */
          return ept_violation(m, w, ga, EPT_QUAL_WRITE, table_rwx, 0);
        pg_mem_write(m->mem, ea, e | PTE_A, 8);
        m->c.walk_writes++;
      }
      table = e & PTE_ADDR;
      host = table;
      host_known = !ept;
      pg_tlb_entry_t *f = &w->pwc_fill[level - 2];
      *f = (pg_tlb_entry_t){.tag = pg_tlb_tag(va, pg_level_shift(level)),
                            .base = table, /* with EPT: the next level sets it */
                            .gbase = ept ? table : 0,
                            .ep4ta = ctx.ep4ta,
                            .pcid = ctx.pcid,
                            .vpid = ctx.vpid,
                            .shift = (uint8_t)pg_level_shift(level),
                            .valid = 1,
                            .w = acc.w,
                            .u = acc.u,
                            .xd = acc.xd};
      w->pwc_fill_valid[level - 2] = 1;
      continue;
    }
    acc.pkey = (uint8_t)((e & PTE_PKEY_MASK) >> PTE_PKEY_SHIFT);
    w->rights = acc;
    pg_pf_kind_t k = check_rights(m, a, acc);
    if (k != PG_PF_NONE) {
      w->kind = k;
      return WALK_PF;
    }
    uint64_t ne = e | PTE_A | (a->op == PG_OP_STORE ? PTE_D : 0);
    if (ne != e && !(table_rwx & EPT_W))
      return ept_violation(m, w, ga, EPT_QUAL_WRITE, table_rwx, 0);
    unsigned shift = pg_level_shift(level);
    uint64_t frame = e & PTE_ADDR & ~((1ull << shift) - 1);
    uint64_t gpa = frame | (va & ((1ull << shift) - 1));
    uint64_t hpa = gpa;
    pg_ept_walk_t fin = {.rwx = EPT_RWX};
    if (ept) {
      static const unsigned access[] = {EPT_QUAL_READ, EPT_QUAL_WRITE, EPT_QUAL_FETCH};
      walk_status_t s = ept_step(m, w, gpa, ept_need(a), access[a->op], 1, &fin);
      if (s != WALK_OK)
        return s;
      hpa = fin.hpa;
      unsigned eshift = pg_level_shift((int)fin.level);
      if (eshift < shift) /* the combined page: the smaller of the two */
        shift = eshift;
    }
    if (ne != e) {
      pg_mem_write(m->mem, ea, ne, 8);
      m->c.walk_writes++;
    }
    uint64_t low = (1ull << shift) - 1;
    w->leaf = (pg_tlb_entry_t){.tag = pg_tlb_tag(va, shift),
                               .base = hpa & ~low,
                               .gbase = ept ? gpa & ~low : 0,
                               .ep4ta = ctx.ep4ta,
                               .pcid = ctx.pcid,
                               .vpid = ctx.vpid,
                               .ept_rwx = (uint8_t)fin.rwx,
                               .shift = (uint8_t)shift,
                               .valid = 1,
                               .global = (e & PTE_G) && m->ctl.pge,
                               .w = acc.w,
                               .u = acc.u,
                               .xd = acc.xd,
                               /* a store may use it with no A/D update left to do */
                               .dirty = (ne & PTE_D) && (!ept_ad || (fin.leaf & EPT_D)),
                               .pkey = acc.pkey};
    return WALK_OK;
  }
}

/* ---- fills ------------------------------------------------------------- */

static const unsigned l2_shifts[PG_NUM_SIZES] = {PAGE_SHIFT_4K, PAGE_SHIFT_2M, PAGE_SHIFT_1G};

static unsigned l2_set(const pg_model_t *m, uint64_t va, unsigned shift) {
  return (unsigned)((va >> shift) & (m->cfg.l2_sets - 1));
}

static void fill_l2(pg_model_t *m, const pg_tlb_entry_t *e, uint64_t va, pg_tlb_ctx_t ctx) {
  for (unsigned s = 0; s < PG_NUM_SIZES; s++) {
    unsigned set = l2_set(m, va, l2_shifts[s]);
    for (unsigned way = 0; way < m->l2.ways; way++) {
      pg_tlb_entry_t *x = pg_tlb_at(&m->l2, set, way);
      if (x->shift == l2_shifts[s] && pg_tlb_matches(x, va, ctx))
        pg_tlb_invalidate(&m->l2, set, way);
    }
  }
  pg_tlb_insert(&m->l2, l2_set(m, va, e->shift), e);
}

/* ---- one access -------------------------------------------------------- */

static void data_access(pg_model_t *m, const pg_access_t *a, pg_result_t *r) {
  if (pg_bus_decode(r->pa) != PG_TARGET_RAM) {
    /* A device register: one naturally aligned 64-bit word, else (or with
     * no register there) a bus error. */
    uint64_t v = a->wdata;
    if (a->size != 8 || pg_io_access(m->io, r->pa, a->op == PG_OP_STORE, &v) != 0) {
      r->status = PG_ST_BUS;
      m->c.bus_errors++;
      return;
    }
    if (a->op != PG_OP_STORE)
      r->data = v;
    r->status = PG_ST_OK;
    return;
  }
  if (a->op == PG_OP_STORE)
    pg_mem_write(m->mem, r->pa, a->wdata, a->size);
  else
    r->data = pg_mem_read(m->mem, r->pa, a->size);
  r->status = PG_ST_OK;
}

static void count_fault(pg_model_t *m, pg_pf_kind_t k) {
  switch (k) {
  case PG_PF_NOT_PRESENT:
    m->c.pf_not_present++;
    break;
  case PG_PF_RESERVED:
    m->c.pf_reserved++;
    break;
  case PG_PF_USER:
    m->c.pf_user++;
    break;
  case PG_PF_WRITE:
    m->c.pf_write++;
    break;
  case PG_PF_NX:
    m->c.pf_nx++;
    break;
  case PG_PF_SMEP:
    m->c.pf_smep++;
    break;
  case PG_PF_SMAP:
    m->c.pf_smap++;
    break;
  case PG_PF_PK:
    m->c.pk_faults++;
    break;
  case PG_PF_NONE:
    assert(!"fault without a kind");
  }
}

void pg_model_access(pg_model_t *m, const pg_access_t *a, pg_result_t *r) {
  assert(a->size == 1 || a->size == 2 || a->size == 4 || a->size == 8);
  assert((a->va & (a->size - 1)) == 0);
  memset(r, 0, sizeof *r);
  m->c.cycles++;
  if (a->op == PG_OP_LOAD)
    m->c.loads++;
  else if (a->op == PG_OP_STORE)
    m->c.stores++;
  else
    m->c.fetches++;

  if (!va_canonical(m, a->va)) {
    r->status = PG_ST_GP;
    m->c.gp_faults++;
    return;
  }

  assert(!m->ctl.ept || pg_eptp_valid(m->ctl.eptp)); /* else VM entry fails */
  pg_tlb_ctx_t ctx = cur_ctx(m);
  int fetch = a->op == PG_OP_FETCH;
  pg_tlb_t *l1 = fetch ? &m->itlb : &m->dtlb;
  const pg_tlb_entry_t *hit = NULL;

  int way = pg_tlb_lookup_unique(l1, a->va, ctx);
  if (way >= 0 && entry_usable(m, pg_tlb_at(l1, 0, (unsigned)way), a)) {
    pg_tlb_touch(l1, 0, (unsigned)way);
    hit = pg_tlb_at(l1, 0, (unsigned)way);
    r->l1_hit = 1;
  }
  if (fetch)
    r->l1_hit ? m->c.itlb_hits++ : m->c.itlb_misses++;
  else
    r->l1_hit ? m->c.dtlb_hits++ : m->c.dtlb_misses++;

  if (!hit) {
    for (unsigned s = 0; s < PG_NUM_SIZES && !hit; s++) {
      unsigned set = l2_set(m, a->va, l2_shifts[s]);
      for (unsigned w2 = 0; w2 < m->l2.ways; w2++) {
        pg_tlb_entry_t *e = pg_tlb_at(&m->l2, set, w2);
        if (e->shift == l2_shifts[s] && pg_tlb_matches(e, a->va, ctx) && entry_usable(m, e, a)) {
          pg_tlb_touch(&m->l2, set, w2);
          hit = e;
          break;
        }
      }
    }
    if (hit) {
      r->l2_hit = 1;
      m->c.l2tlb_hits++;
      pg_tlb_entry_t copy = *hit;
      pg_tlb_fill_unique(l1, &copy);
    } else {
      m->c.l2tlb_misses++;
    }
  }

  pg_tlb_entry_t installed;
  if (!hit) {
    walk_t w;
    r->walked = 1;
    walk_status_t ws = walk(m, a, &w);
    if (ws == WALK_BUS) {
      r->status = PG_ST_BUS;
      m->c.bus_errors++;
      return;
    }
    if (ws == WALK_EPT || ws == WALK_EPTMC) { /* a VM exit: nothing cached or dropped */
      r->status = ws == WALK_EPT ? PG_ST_EPT : PG_ST_EPTMC;
      r->gpa = w.gpa;
      if (ws == WALK_EPT) {
        r->qual = w.qual;
        r->gla = a->va;
      }
      return;
    }
    if (ws == WALK_PF) {
      r->status = PG_ST_PF;
      r->pf_kind = w.kind;
      r->pf_level = (uint8_t)w.level;
      r->err = error_code(m, a, w.kind, w.rights);
      m->cr2 = a->va;
      count_fault(m, w.kind);
      inval_for_fault(m, a->va);
      return;
    }
    for (int i = 3; i >= 0; i--) /* PML5E, PML4E, PDPTE, PDE */
      if (w.pwc_fill_valid[i])
        pg_tlb_fill_unique(&m->pwc[i], &w.pwc_fill[i]);
    fill_l2(m, &w.leaf, a->va, ctx);
    pg_tlb_fill_unique(l1, &w.leaf);
    installed = w.leaf;
    hit = &installed;
  }

  r->pa = hit->base | (a->va & ((1ull << hit->shift) - 1));
  r->pa_valid = 1;
  data_access(m, a, r);
}

/* ---- names ------------------------------------------------------------- */

const char *pg_op_name(pg_op_t op) {
  static const char *const n[] = {"load", "store", "fetch"};
  return n[op];
}

const char *pg_status_name(pg_status_t s) {
  static const char *const n[] = {"ok", "pf", "gp", "bus", "ept", "eptmc"};
  return n[s];
}

const char *pg_pf_kind_name(pg_pf_kind_t k) {
  static const char *const n[] = {"none", "not-present", "reserved", "user", "write",
                                  "nx",   "smep",        "smap",     "pk"};
  return n[k];
}
