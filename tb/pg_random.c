/* SPDX-License-Identifier: MIT */
/* pg_random.c — `pagoda random`: constrained-random traffic, RTL against golden.
 *
 * Owns: building random address spaces (through sw/os, whose physical-memory
 * backend is the target itself, so both memories receive every table write)
 * and a random stream of operations: accesses of every op, privilege, size
 * and AC; control toggles; CR3 switches with and without PCIDs and the
 * no-flush bit; protection keys in the leaves and PKE/PKS/PKRU/IA32_PKRS
 * writes between accesses; 5-level paging on one seed in three (tables
 * built with a PML5 on top, addresses above 2^47, rare LA57 toggles); PTE edits (protect, remap,
 * unmap, reserved bits, tables pointing out of RAM) followed by the right invalidation, or by none
 * (stale entries must then agree too); and invalidations or control writes that arrive while an
 * access is translating or walking. Stops at the first mismatch.
 *
 * On one seed in two the address spaces are a guest's, under EPT: their
 * guest-physical memory (GPA [0, 1 GiB) backed by host [1 GiB, 2 GiB), the
 * two shared 1 GiB frames by host [2 GiB, 3 GiB)) is mapped by two EPTs,
 * one with 4 KiB pages where the tables lie and 2 MiB above, one with 2 MiB
 * pages throughout, each the EPT of one VM (VPIDs 1 and 2), with EPT A/D
 * on or off. The stream then also switches VMs (no flush), edits EPT
 * entries (rights, execute-only, write without read, reserved memory
 * types and bits) followed by INVEPT, INVVPID or nothing, and issues
 * INVEPT and INVVPID of every type, some while an access is in flight. */
#include "pg_random.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "os_ept.h"
#include "os_vm.h"
#include "pg_dram_cfg.h"
#include "pg_dram_run.h"
#include "pg_hw.h"
#include "pg_lockstep.h"
#include "pg_rng.h"

#define NUM_AS        3
#define MAX_PAGES     512
#define NUM_VMS       2
#define MAX_EPT_EDITS 64
/* Guest mode: where guest-physical memory lives on the host. */
#define GUEST_RAM     0x40000000ull /* GPA [0, 1 GiB) */
#define GUEST_BACKING 0x40000000ull /* ... is host [1 GiB, 2 GiB) */
#define GUEST_1G_HOST 0x80000000ull /* GPA 1 GiB and 2 GiB: host [2 GiB, 3 GiB) */
#define EPT_4K_LIMIT  0x01000000ull /* VM 1's EPT: 4 KiB pages below 16 MiB */

typedef struct {
  int as;
  uint64_t va;
  enum pg_page_size size;
  uint64_t leaf; /* the leaf entry as first mapped */
} page_t;

/* An EPT entry an edit changed, to be healed. */
typedef struct {
  int vm;
  uint64_t gpa;
  int level;
  uint64_t value; /* as built */
} ept_edit_t;

typedef struct {
  uint64_t rng;
  pg_lockstep_t *ls;
  pg_target_t tg;
  os_frames_t fr;
  os_as_t as[NUM_AS];
  page_t pages[MAX_PAGES];
  unsigned npages;
  int cur;         /* current address space */
  unsigned hot[8]; /* recently used pages: locality, so TLBs hit */
  unsigned hot_next;
  uint8_t pcide, pge, nxe, la57;
  int levels; /* of the address spaces: 5 on LA57 seeds */
  uint64_t n_access, n_edits, n_inval, n_conc, n_ctl, n_streams;
  /* guest mode */
  int guest;
  os_frames_t hfr; /* host frames for the EPTs' own tables */
  os_ept_t ept[NUM_VMS];
  uint64_t eptp[NUM_VMS];
  int vm; /* the VM running: 0 or 1 (VPID vm + 1) */
  ept_edit_t ept_edit[MAX_EPT_EDITS];
  unsigned n_ept_edits_live;
  uint64_t n_ept_edits, n_vm_switch, n_inv_vm;
} rnd_t;

static uint64_t next(rnd_t *r) {
  return pg_rng_next(&r->rng);
}

static unsigned below(rnd_t *r, unsigned n) {
  return (unsigned)pg_rng_below(&r->rng, n);
}

static int chance(rnd_t *r, unsigned percent) {
  return pg_rng_chance(&r->rng, percent);
}

static uint16_t pcid_of(int as) {
  return (uint16_t)(as + 1);
}

static uint64_t cr3_of(rnd_t *r, int as) {
  return os_as_cr3(&r->as[as], r->pcide ? pcid_of(as) : 0);
}

/* Random leaf flags: RW, US, XD, G and PAT in every combination. */
static uint64_t random_flags(rnd_t *r, enum pg_page_size size, int kernel) {
  uint64_t f = 0;
  if (chance(r, 70))
    f |= PTE_RW;
  if (!kernel && chance(r, 85))
    f |= PTE_US;
  if (chance(r, 12))
    f |= PTE_XD;
  if (kernel && chance(r, 60))
    f |= PTE_G;
  if (chance(r, 10))
    f |= size == PG_SIZE_4K ? PTE_PAT : PTE_LARGE_PAT;
  if (chance(r, 20))
    f |= PTE_A;
  if (chance(r, 10))
    f |= PTE_D;
  if (chance(r, 60))
    f |= os_pkey(below(r, 16));
  return f;
}

static void add_page(rnd_t *r, int as, uint64_t va, enum pg_page_size size, int kernel) {
  uint64_t pa;
  if (size == PG_SIZE_1G)
    pa = chance(r, 50) ? 0x40000000ull : 0x80000000ull; /* shared 1 GiB frames */
  else if (os_frames_alloc_size(&r->fr, size, &pa) != OS_OK)
    return;
  if (os_map(&r->as[as], va, pa, size, random_flags(r, size, kernel)) != OS_OK)
    return;
  uint64_t leaf = 0;
  os_entry_get(&r->as[as], va, (int)size + 1, &leaf);
  if (r->npages < MAX_PAGES)
    r->pages[r->npages++] = (page_t){as, va, size, leaf};
}

/* Address clusters, so that walks share tables and the walk caches hit.
 * With 5 levels two more lie above 2^47: one beside the low half's PML5E,
 * one in another PML5E. */
static uint64_t cluster_va(rnd_t *r, int *kernel) {
  static const uint64_t base[] = {0x0000000000400000ull, 0x00007fffff000000ull,
                                  0x0000004000000000ull, 0xffff800000000000ull,
                                  0x0000800000200000ull, 0x00ab000000400000ull};
  unsigned c = below(r, r->levels == 5 ? 6 : 4);
  *kernel = c == 3;
  return base[c] + (uint64_t)below(r, 64) * 0x1000ull + (uint64_t)below(r, 4) * 0x200000ull;
}

/* ---- guest mode -------------------------------------------------------------------------- */

static void ctl(rnd_t *r, pg_ctl_field_t f, uint64_t v);

/* The guest's view of its memory: GPA to host by the fixed backing (the
 * EPTs map exactly this, whatever rights their edits leave). */
static uint64_t gpa_host(uint64_t gpa) {
  return gpa < GUEST_RAM ? GUEST_BACKING + gpa : GUEST_1G_HOST + (gpa & (GUEST_RAM - 1));
}
static uint64_t gp_read64(void *ctx, uint64_t gpa) {
  const pg_target_t *tg = ctx;
  return tg->phys_read(tg->ctx, gpa_host(gpa), 8);
}
static void gp_write64(void *ctx, uint64_t gpa, uint64_t v) {
  const pg_target_t *tg = ctx;
  tg->phys_write(tg->ctx, gpa_host(gpa), v, 8);
}

static void build_epts(rnd_t *r) {
  os_frames_init(&r->hfr, pg_target_phys(&r->tg), 0x100000, 0x40000000);
  for (int k = 0; k < NUM_VMS; k++) {
    os_ept_t *e = &r->ept[k];
    os_ept_init(e, &r->hfr, chance(r, 25) ? 5 : 4);
    uint64_t small = k == 0 ? EPT_4K_LIMIT : 0; /* VM 1: 4 KiB pages below it */
    os_ept_map_range(e, 0, gpa_host(0), small, PG_SIZE_4K, EPT_RWX);
    os_ept_map_range(e, small, gpa_host(small), GUEST_RAM - small, PG_SIZE_2M, EPT_RWX);
    os_ept_map(e, 0x40000000ull, GUEST_1G_HOST, PG_SIZE_1G, EPT_RWX);
    os_ept_map(e, 0x80000000ull, GUEST_1G_HOST, PG_SIZE_1G, EPT_RWX);
    r->eptp[k] = os_ept_eptp(e, chance(r, 50));
  }
}

/* A VM entry (or a switch between VMs): EPTP, EPT on, VPID, the guest's
 * CR3 as the VMCS holds it; nothing is flushed. */
static void enter_vm(rnd_t *r, int vm, uint64_t cr3) {
  r->vm = vm;
  ctl(r, PG_CTL_EPTP, r->eptp[vm]);
  ctl(r, PG_CTL_EPT, 1);
  ctl(r, PG_CTL_VPID, (uint64_t)vm + 1);
  ctl(r, PG_CTL_VM_CR3, cr3);
  r->n_vm_switch++;
}

/* The level of the EPT leaf that maps GPA in VM's EPT (1..3), or 0. */
static int ept_leaf_level(rnd_t *r, int vm, uint64_t gpa) {
  for (int l = 1; l <= 3; l++) {
    uint64_t e;
    if (os_ept_entry_get(&r->ept[vm], gpa, l, &e) == OS_OK && (l == 1 || (e & EPT_PS)))
      return l;
  }
  return 0;
}

/* An invalidation after an EPT edit of VM, or none (stale entries must agree). */
static void invalidate_after_ept_edit(rnd_t *r, int vm) {
  unsigned k = below(r, 100);
  if (k < 45)
    r->tg.invept(r->tg.ctx, 1, r->eptp[vm]);
  else if (k < 60)
    r->tg.invept(r->tg.ctx, 2, 0);
  else if (k < 75)
    r->tg.invvpid(r->tg.ctx, 1, (uint16_t)(vm + 1), 0);
  else
    return;
  r->n_inv_vm++;
}

/* Edits the EPT leaf of a guest page or of a guest table's page. */
static void random_ept_edit(rnd_t *r) {
  if (!r->npages)
    return;
  const page_t *p = &r->pages[below(r, r->npages)];
  uint64_t gpa;
  if (chance(r, 60)) { /* the data page */
    gpa = (p->leaf & PTE_ADDR) + (next(r) % (1ull << pg_size_shift(p->size)) & ~0xfffull);
  } else { /* a table on its walk */
    int level = (int)p->size + 1 + (int)below(r, (unsigned)(r->levels - (int)p->size));
    if (os_entry_addr(&r->as[p->as], p->va, level, &gpa) != OS_OK)
      return;
    gpa &= ~0xfffull;
  }
  int vm = chance(r, 70) ? r->vm : (int)below(r, NUM_VMS);
  int level = ept_leaf_level(r, vm, gpa);
  uint64_t e;
  if (!level)
    return;
  int upper = chance(r, 10); /* a reserved bit in a table above the leaf */
  if (upper)
    level += 1 + (int)below(r, (unsigned)(r->ept[vm].levels - level));
  if (os_ept_entry_get(&r->ept[vm], gpa, level, &e) != OS_OK)
    return;
  if (r->n_ept_edits_live < MAX_EPT_EDITS)
    r->ept_edit[r->n_ept_edits_live++] = (ept_edit_t){vm, gpa, level, e & ~(EPT_A | EPT_D)};
  unsigned k = below(r, 100);
  uint64_t set = 0, clear = 0;
  if (upper && k < 50) { /* bits 7:3 of a PML5E/PML4E, 6:3 of a non-leaf PDPTE/PDE */
    set = 1ull << (3 + below(r, level >= 4 ? 5 : 4));
  } else if (upper) { /* a table's rights: they AND with the leaf's */
    static const unsigned rights[] = {1, 3, 4, 5, 7};
    set = rights[below(r, 5)];
    clear = EPT_RWX & ~set;
  } else if (k < 60) { /* new rights: any of the 8 (0 not present, 010b and 110b misconfigured) */
    static const unsigned rights[] = {0, 1, 2, 3, 4, 5, 6, 7, 1, 3, 5, 1, 4};
    set = rights[below(r, 13)];
    clear = EPT_RWX & ~set;
  } else if (k < 70) { /* a reserved memory type */
    static const uint64_t mt[] = {2, 3, 7};
    clear = 7ull << EPT_MT_SHIFT;
    set = mt[below(r, 3)] << EPT_MT_SHIFT;
  } else if (k < 78 && level == 2) { /* a reserved bit of a 2 MiB leaf */
    set = 1ull << (12 + below(r, 9));
  } else if (k < 86) { /* A and D cleared (A/D on: written again) */
    clear = EPT_A | EPT_D;
  } else { /* back to full rights */
    set = EPT_RWX;
    clear = 7ull << EPT_MT_SHIFT;
    set |= EPTP_MT_WB << EPT_MT_SHIFT;
  }
  os_ept_entry_update(&r->ept[vm], gpa, level, 0, clear);
  os_ept_entry_update(&r->ept[vm], gpa, level, set, 0);
  r->n_ept_edits++;
  invalidate_after_ept_edit(r, vm);
}

static void random_vm_op(rnd_t *r) {
  unsigned k = below(r, 100);
  if (k < 40) {
    enter_vm(r, (int)below(r, NUM_VMS), cr3_of(r, r->cur));
  } else if (k < 70) {
    random_ept_edit(r);
  } else if (k < 80) {
    r->tg.invept(r->tg.ctx, 1 + below(r, 2), r->eptp[below(r, NUM_VMS)]);
    r->n_inv_vm++;
  } else {
    unsigned type = below(r, 4);
    uint16_t vpid = (uint16_t)(1 + below(r, NUM_VMS));
    uint64_t va = r->npages ? r->pages[below(r, r->npages)].va : 0x400000;
    if (!pg_va_canonical_bits(va, VA_BITS_LA57))
      va = 0x400000;
    r->tg.invvpid(r->tg.ctx, type, vpid, va);
    r->n_inv_vm++;
  }
}

static void build(rnd_t *r) {
  if (r->guest) {
    build_epts(r);
    os_phys_t gp = {gp_read64, gp_write64, &r->tg}; /* the guest's memory */
    os_frames_init(&r->fr, gp, 0x100000, GUEST_RAM);
  } else {
    os_frames_init(&r->fr, pg_target_phys(&r->tg), 0x100000, 0x40000000);
  }
  for (int a = 0; a < NUM_AS; a++) {
    os_as_init_levels(&r->as[a], &r->fr, r->levels);
    r->as[a].table_flags = PTE_P | PTE_RW | PTE_US;
  }
  for (int a = 0; a < NUM_AS; a++) {
    for (unsigned i = 0; i < 60; i++) {
      int kernel;
      uint64_t va = cluster_va(r, &kernel);
      if (kernel && a != 0)
        continue; /* the kernel half is built once and shared */
      add_page(r, a, va, PG_SIZE_4K, kernel);
    }
    for (unsigned i = 0; i < 4; i++)
      add_page(r, a, 0x0000002000000000ull + (uint64_t)below(r, 16) * 0x200000ull, PG_SIZE_2M, 0);
    add_page(r, a, 0x0000010000000000ull + (uint64_t)below(r, 4) * 0x40000000ull, PG_SIZE_1G, 0);
  }
  /* Share the kernel's top entry (PML4E, or PML5E): one table below it in
   * every address space. */
  uint64_t k;
  if (os_entry_get(&r->as[0], 0xffff800000000000ull, r->levels, &k) == OS_OK)
    for (int a = 1; a < NUM_AS; a++)
      os_entry_set(&r->as[a], 0xffff800000000000ull, r->levels, k);
}

/* Undo the damage edits accumulate (so the stream does not decay into
 * faults): every leaf back to its first value, every upper entry present,
 * writable, user, executable and without PS in a PML4E; then flush all. */
static void heal(rnd_t *r) {
  for (unsigned i = 0; i < r->npages; i++) {
    page_t *p = &r->pages[i];
    os_as_t *as = &r->as[p->as];
    int leaf = (int)p->size + 1;
    for (int l = r->levels; l >= 4; l--)
      os_entry_update(as, p->va, l, PTE_P | PTE_RW | PTE_US, PTE_PS | PTE_XD);
    for (int l = 3; l > leaf; l--)
      os_entry_update(as, p->va, l, PTE_P | PTE_RW | PTE_US, PTE_XD);
    uint64_t e;
    if (os_entry_get(as, p->va, leaf, &e) == OS_OK && e != p->leaf)
      os_entry_set(as, p->va, leaf, p->leaf);
  }
  r->tg.invpcid(r->tg.ctx, 2, 0, 0);
  if (r->guest) { /* the EPT entries too, and every VM's caches */
    for (unsigned i = 0; i < r->n_ept_edits_live; i++) {
      uint64_t ea;
      if (os_ept_entry_addr(&r->ept[r->ept_edit[i].vm], r->ept_edit[i].gpa, r->ept_edit[i].level,
                            &ea) == OS_OK)
        r->tg.phys_write(r->tg.ctx, ea, r->ept_edit[i].value, 8);
    }
    r->n_ept_edits_live = 0;
    r->tg.invept(r->tg.ctx, 2, 0);
  }
}

static void ctl(rnd_t *r, pg_ctl_field_t f, uint64_t v) {
  if (getenv("PAGODA_RANDOM_VERBOSE"))
    fprintf(stderr, "ctl %d 0x%" PRIx64 "\n", (int)f, v);
  r->tg.ctl(r->tg.ctx, f, v);
  r->n_ctl++;
}

static void random_access(rnd_t *r) {
  pg_access_t a = {0};
  unsigned k = below(r, 100);
  a.op = k < 50 ? PG_OP_LOAD : k < 80 ? PG_OP_STORE : PG_OP_FETCH;
  a.user = (uint8_t)chance(r, 60);
  a.ac = (uint8_t)(a.op != PG_OP_FETCH && chance(r, 50));
  a.size = 1u << below(r, 4);
  unsigned w = below(r, 100);
  if (w < 90 && r->npages) {
    /* Mostly a page of the current address space, or a kernel page, with
     * the privilege that page is meant for. */
    const page_t *p = &r->pages[r->hot[below(r, 8)] % r->npages];
    if (chance(r, 40) || (p->as != r->cur && !(p->va >> 63))) {
      unsigned idx = below(r, r->npages);
      for (unsigned tries = 0;
           tries < 16 && r->pages[idx].as != r->cur && !(r->pages[idx].va >> 63); tries++)
        idx = below(r, r->npages);
      p = &r->pages[idx];
      r->hot[r->hot_next++ % 8] = idx;
    }
    int kernel = (p->va >> 63) != 0;
    a.user = (uint8_t)(kernel ? chance(r, 10) : chance(r, 85));
    uint64_t span = 1ull << pg_size_shift(p->size);
    a.va = p->va + (next(r) % span);
  } else if (w < 97) {
    int kernel;
    a.va = cluster_va(r, &kernel) + 0x10000000ull; /* likely unmapped */
  } else if (r->la57 && chance(r, 50)) {
    a.va = 0x0100000000000000ull | (next(r) & 0xffffffffull); /* non-canonical in 57 bits */
  } else {
    a.va = 0x0000800000000000ull | (next(r) & 0xffffffffull); /* non-canonical in 48 bits */
  }
  a.va &= ~(uint64_t)(a.size - 1);
  a.wdata = next(r) & (a.size == 8 ? ~0ull : (1ull << (8 * a.size)) - 1);
  pg_result_t res;
  uint64_t cycles;
  r->tg.access(r->tg.ctx, &a, &res, &cycles);
  r->n_access++;
  if (getenv("PAGODA_RANDOM_VERBOSE"))
    fprintf(stderr, "access %s %c 0x%" PRIx64 "/%u -> %s err=0x%x\n", pg_op_name(a.op),
            a.user ? 'u' : 's', a.va, a.size, pg_status_name(res.status), res.err);
}

/* An invalidation that covers VA in the current context, or none. */
static void invalidate_after_edit(rnd_t *r, uint64_t va) {
  unsigned k = below(r, 100);
  r->n_inval++;
  if (k < 50)
    r->tg.invlpg(r->tg.ctx, va);
  else if (k < 65 && r->pcide)
    r->tg.invpcid(r->tg.ctx, 0, pcid_of(r->cur), va);
  else if (k < 80)
    ctl(r, PG_CTL_CR3, cr3_of(r, r->cur));
  else
    r->n_inval--; /* no invalidation: stale entries must agree as well */
}

static void random_edit(rnd_t *r) {
  if (!r->npages)
    return;
  page_t *p = &r->pages[below(r, r->npages)];
  os_as_t *as = &r->as[p->as];
  int leaf = (int)p->size + 1;
  unsigned k = below(r, 100);
  r->n_edits++;
  if (k < 40) { /* change rights, or the key */
    uint64_t bits[] = {PTE_RW, PTE_US, PTE_XD, PTE_G, PTE_A, PTE_D, PTE_PKEY_MASK, os_pkey(5)};
    uint64_t b = bits[below(r, 8)];
    if (chance(r, 50))
      os_protect(as, p->va, p->size, b, 0);
    else
      os_protect(as, p->va, p->size, 0, b);
  } else if (k < 55) { /* an upper level loses a right or gains XD */
    int level = leaf + 1 + (int)below(r, (unsigned)(r->levels - leaf));
    uint64_t bits[] = {PTE_RW, PTE_US, PTE_XD};
    uint64_t b = bits[below(r, 3)];
    os_entry_update(as, p->va, level, chance(r, 50) ? b : 0, chance(r, 50) ? 0 : b);
  } else if (k < 62) { /* not present */
    os_entry_update(as, p->va, leaf, 0, PTE_P);
  } else if (k < 72) { /* present again */
    os_entry_update(as, p->va, leaf, PTE_P, 0);
  } else if (k < 82 && p->size == PG_SIZE_4K) { /* remap to another frame */
    uint64_t pa;
    if (os_frames_alloc(&r->fr, &pa) == OS_OK) {
      uint64_t e;
      if (os_entry_get(as, p->va, 1, &e) == OS_OK)
        os_entry_set(as, p->va, 1, (e & ~PTE_ADDR) | pa);
    }
  } else if (k < 88) { /* a reserved bit */
    if (p->size == PG_SIZE_2M && chance(r, 50))
      os_entry_update(as, p->va, 2, 1ull << (13 + below(r, 8)), 0);
    else if (p->size == PG_SIZE_1G && chance(r, 50))
      os_entry_update(as, p->va, 3, 1ull << (13 + below(r, 17)), 0);
    else if (chance(r, 5)) /* a whole 512 GiB (or 256 TiB) region */
      os_entry_update(as, p->va, r->levels == 5 && chance(r, 50) ? 5 : 4, PTE_PS, 0);
    else
      os_entry_update(as, p->va, leaf, PTE_XD, 0); /* reserved while NXE=0 */
  } else if (k < 92 && leaf < 4) {                 /* a table pointer out of RAM: bus error */
    uint64_t e;
    if (os_entry_get(as, p->va, leaf + 1, &e) == OS_OK && !(e & PTE_PS)) {
      uint64_t saved = e;
      os_entry_set(as, p->va, leaf + 1, (e & ~PTE_ADDR) | 0xd0000000ull);
      r->tg.invlpg(r->tg.ctx, p->va);
      if (p->as == r->cur)
        random_access(r);
      os_entry_set(as, p->va, leaf + 1, saved);
    }
  } else { /* clean the reserved bits again */
    for (int l = r->levels; l >= 4; l--)
      os_entry_update(as, p->va, l, 0, PTE_PS);
    if (p->size == PG_SIZE_2M)
      os_entry_update(as, p->va, 2, 0, PTE_RSVD_2M_FRAME);
    if (p->size == PG_SIZE_1G)
      os_entry_update(as, p->va, 3, 0, PTE_RSVD_1G_FRAME);
  }
  if (p->as == r->cur || chance(r, 30))
    invalidate_after_edit(r, p->va);
}

/* A PKRU or IA32_PKRS value: mostly a few keys shut, sometimes none or all. */
static uint32_t random_pkr(rnd_t *r) {
  unsigned k = below(r, 10);
  if (k == 0)
    return 0;
  if (k == 1)
    return 0xffffffffu;
  return (uint32_t)(next(r) & next(r) & next(r));
}

/* Protection keys: a PKRU or PKRS write (no flush: the point of keys), or
 * CR4.PKE / CR4.PKS toggled. */
static void random_keys(rnd_t *r) {
  unsigned k = below(r, 100);
  if (k < 45)
    ctl(r, PG_CTL_PKRU, random_pkr(r));
  else if (k < 75)
    ctl(r, PG_CTL_PKRS, random_pkr(r));
  else if (k < 90)
    ctl(r, PG_CTL_PKE, below(r, 2));
  else
    ctl(r, PG_CTL_PKS, below(r, 2));
}

static void random_control(rnd_t *r) {
  unsigned k = below(r, 100);
  if (r->levels == 5 && (k < 2 || (!r->la57 && k < 60))) {
    /* 5-level tables walked as 4-level ones for a while (and back): every
     * entry is read one level off, and a mode change flushes everything. */
    r->la57 = (uint8_t)!r->la57;
    ctl(r, PG_CTL_LA57, r->la57);
    return;
  }
  if (k < 40) { /* switch address space */
    r->cur = (int)below(r, NUM_AS);
    uint64_t v = cr3_of(r, r->cur);
    if (r->pcide && chance(r, 50))
      v |= CR3_NOFLUSH;
    ctl(r, PG_CTL_CR3, v);
  } else if (k < 55) {
    ctl(r, PG_CTL_WP, below(r, 2));
  } else if (k < 65) {
    ctl(r, PG_CTL_SMEP, below(r, 2));
  } else if (k < 75) {
    ctl(r, PG_CTL_SMAP, below(r, 2));
  } else if (k < 85) {
    r->nxe = (uint8_t)chance(r, 75);
    ctl(r, PG_CTL_NXE, r->nxe);
  } else if (k < 92) {
    r->pge = (uint8_t)!r->pge;
    ctl(r, PG_CTL_PGE, r->pge);
  } else {
    r->pcide = (uint8_t)!r->pcide;
    ctl(r, PG_CTL_PCIDE, r->pcide);
    ctl(r, PG_CTL_CR3, cr3_of(r, r->cur));
  }
}

/* ---- program-like streams -------------------------------------------------------------- */

/* A user or kernel page of the current address space (or a shared kernel
 * page), as the stream's base; NULL if there is none. */
static const page_t *stream_page(rnd_t *r) {
  for (unsigned tries = 0; tries < 32 && r->npages; tries++) {
    const page_t *p = &r->pages[below(r, r->npages)];
    if (p->as == r->cur || (p->va >> 63))
      return p;
  }
  return NULL;
}

/* A burst issued back to back (a new access every cycle the MMU takes one),
 * shaped like a program's memory traffic rather than drawn access by
 * access: what fills the DRAM's write queue, streams through one row, or
 * runs into the next page's walk while stores are still draining. */
static void program_stream(rnd_t *r) {
  enum { MAXN = 256 };
  pg_access_t s[MAXN];
  const page_t *p = stream_page(r), *q = stream_page(r);
  if (!p || !q)
    return;
  int kernel = (p->va >> 63) != 0;
  uint8_t user = (uint8_t)(kernel ? 0 : 1);
  uint64_t span = 1ull << pg_size_shift(p->size);
  unsigned n = 16 + below(r, MAXN - 15);
  unsigned kind = below(r, 6);
  unsigned size = 1u << below(r, 4);
  /* strides within a line, across lines, the repro's 0xAF records, across pages */
  static const uint64_t strides[] = {0, 1, 8, 24, 64, 0xaf, 192, 0x1000, 0x1008, 0x3000};
  uint64_t stride = strides[below(r, 10)];
  uint64_t base = p->va + (next(r) % span);
  /* Two pages of one DRAM bank in different rows: default mapping, bank in
   * PA bits 15:13, row above (rochrababgco). */
  uint64_t pa_p = p->leaf & PTE_ADDR, pa_q = q->leaf & PTE_ADDR;
  int conflict = ((pa_p ^ pa_q) & 0xe000) == 0 && (pa_p >> 16) != (pa_q >> 16);
  for (unsigned i = 0; i < n; i++) {
    pg_access_t *a = &s[i];
    *a = (pg_access_t){.user = user, .size = size, .wdata = next(r)};
    switch (kind) {
    case 0: /* sub-word sweep: one size, one stride, loads and stores mixed */
      a->op = chance(r, 60) ? PG_OP_STORE : PG_OP_LOAD;
      a->va = base + i * (stride ? stride : size);
      break;
    case 1: /* a sequential fill (memset) */
      a->op = PG_OP_STORE;
      a->va = base + i * size;
      break;
    case 2: /* a copy (memcpy): load from one page, store to another */
      a->op = (i & 1) ? PG_OP_STORE : PG_OP_LOAD;
      a->va = ((i & 1) ? q->va : p->va) + ((i / 2) * 8 % span);
      a->size = 8;
      break;
    case 3: /* read-modify-write of one word */
      a->op = (i & 1) ? PG_OP_STORE : PG_OP_LOAD;
      a->va = base;
      break;
    case 4: /* a burst within one DRAM row: the lines of one page */
      a->op = chance(r, 30) ? PG_OP_STORE : PG_OP_LOAD;
      a->va = p->va + (i * 64 + below(r, 64)) % (span < 0x2000 ? span : 0x2000);
      break;
    default: /* two rows of one bank taking turns (or two pages, if no such pair) */
      a->op = chance(r, 30) ? PG_OP_STORE : PG_OP_LOAD;
      a->va = ((i & 1) ? q->va : p->va) + (i / 2) * 64 % (conflict ? 0x1000 : span);
      break;
    }
    a->va &= ~(uint64_t)(a->size - 1);
    if (a->size < 8)
      a->wdata &= (1ull << (8 * a->size)) - 1;
  }
  pg_stream_stats_t st;
  pg_lockstep_stream(r->ls, s, n, &st);
  r->n_access += n;
  r->n_streams++;
}

/* An invalidation or control write that lands while the next access is in
 * flight, then that access. */
static void concurrent(rnd_t *r) {
  unsigned delay = below(r, 40);
  if (getenv("PAGODA_RANDOM_VERBOSE"))
    fprintf(stderr, "concurrent op, delay %u\n", delay);
  unsigned k = below(r, 100);
  uint64_t va = r->npages ? r->pages[below(r, r->npages)].va : 0x400000;
  if (k < 40)
    pg_lockstep_concurrent_op(r->ls, 1, 0, 0, va, delay);
  else if (k < 60)
    pg_lockstep_concurrent_op(r->ls, 2, below(r, 4), pcid_of((int)below(r, NUM_AS)), va, delay);
  else if (r->guest && k < 66)
    pg_lockstep_concurrent_op(r->ls, 3, 1 + below(r, 2), 0, r->eptp[below(r, NUM_VMS)], delay);
  else if (r->guest && k < 72)
    pg_lockstep_concurrent_op(r->ls, 4, below(r, 4), (uint16_t)(1 + below(r, NUM_VMS)),
                              pg_va_canonical_bits(va, VA_BITS_LA57) ? va : 0x400000, delay);
  else if (k < 75) {
    r->cur = (int)below(r, NUM_AS);
    uint64_t v = cr3_of(r, r->cur) | (r->pcide && chance(r, 50) ? CR3_NOFLUSH : 0);
    pg_lockstep_concurrent_op(r->ls, 0, PG_CTL_CR3, 0, v, delay);
  } else if (k < 82) {
    pg_lockstep_concurrent_op(r->ls, 0, chance(r, 60) ? PG_CTL_PKRU : PG_CTL_PKRS, 0, random_pkr(r),
                              delay);
  } else {
    pg_ctl_field_t f = (pg_ctl_field_t)(PG_CTL_WP + below(r, 4)); /* WP NXE SMEP SMAP */
    unsigned v = below(r, 2);
    if (f == PG_CTL_NXE)
      r->nxe = (uint8_t)v;
    pg_lockstep_concurrent_op(r->ls, 0, f, 0, v, delay);
  }
  r->n_conc++;
  random_access(r);
}

int pg_random_run(const pg_random_opts_t *o) {
  rnd_t r;
  memset(&r, 0, sizeof r);
  r.rng = o->seed * 0x9e3779b97f4a7c15ull + 0x632be59bd9b4e019ull;
  if (!r.rng)
    r.rng = 1;
  pg_lockstep_opts_t lo;
  pg_lockstep_default_opts(&lo);
  lo.seed = o->seed;
  lo.wave = o->wave;
  lo.mem_latency = 1 + below(&r, 20);
  pg_dram_cfg_t dc;
  pg_dram_cfg_default(&dc);
  if (o->mem == PG_RMEM_DRAM || (o->mem == PG_RMEM_BY_SEED && (o->seed & 1)))
    lo.dram = &dc;
  /* The ideal memory stalls on two seeds in three: a stall of up to 16
   * cycles starts in 2 to 21 % of its ready cycles (drawn apart from the
   * operations, which stay those of the seed). */
  uint64_t bp = pg_mix64(o->seed ^ 0xbac4);
  if (!lo.dram && bp % 3 != 0)
    lo.backpressure = 2 + (unsigned)((bp >> 8) % 20);
  r.ls = pg_lockstep_new(&lo);
  r.tg = pg_lockstep_target(r.ls);
  /* 5-level paging on one seed in three, a guest under EPT on one in two
   * (drawn apart from the operations). */
  r.levels = pg_mix64(o->seed ^ 0x1a57) % 3 == 0 ? 5 : 4;
  r.guest = pg_mix64(o->seed ^ 0x6e57) % 2 == 0;
  build(&r);
  r.cur = 0;
  r.nxe = 1;
  r.la57 = (uint8_t)(r.levels == 5);
  if (r.la57)
    ctl(&r, PG_CTL_LA57, 1);
  ctl(&r, PG_CTL_NXE, 1);
  if (r.guest)
    enter_vm(&r, 0, cr3_of(&r, 0));
  else
    ctl(&r, PG_CTL_CR3, cr3_of(&r, 0));

  uint64_t step = o->ops / 10 ? o->ops / 10 : 1;
  /* Program-like streams: none on seeds that are multiples of 4 (their
   * stream of operations is the classic one), else 1.5, 3 or 4.5 % of the
   * operations, each a burst of 16 to 256 accesses. */
  unsigned streams = (unsigned)(o->seed % 4) * 15;
  for (uint64_t i = 0; i < o->ops && pg_lockstep_mismatches(r.ls) == 0; i++) {
    unsigned k = below(&r, 1000);
    if (k < streams)
      program_stream(&r);
    else if (k < 800)
      random_access(&r);
    else if (k < 820)
      random_keys(&r);
    else if (k < 880)
      random_edit(&r);
    else if (k < 920)
      random_control(&r);
    else if (k < 960)
      concurrent(&r);
    else if (k < 980)
      r.tg.invlpg(r.tg.ctx, r.npages ? r.pages[below(&r, r.npages)].va : 0);
    else if (k < 990)
      r.tg.invpcid(r.tg.ctx, below(&r, 4), pcid_of((int)below(&r, NUM_AS)),
                   r.npages ? r.pages[below(&r, r.npages)].va : 0);
    else if (r.guest && k < 995)
      random_vm_op(&r);
    else
      r.tg.wait(r.tg.ctx, below(&r, 50));
    if ((i + 1) % 1500 == 0)
      heal(&r);
    if (o->progress && (i + 1) % step == 0)
      fprintf(stderr, "random seed %" PRIu64 ": %" PRIu64 "/%" PRIu64 " ops\n", o->seed, i + 1,
              o->ops);
  }
  int fin = r.tg.finish(r.tg.ctx);
  char mem_desc[48];
  if (lo.dram)
    snprintf(mem_desc, sizeof mem_desc, "DRAM controller");
  else
    snprintf(mem_desc, sizeof mem_desc, "ideal, latency %u, stalls %u %%", lo.mem_latency,
             lo.backpressure);
  const pg_counters_t *c = r.tg.counters(r.tg.ctx);
  unsigned mism = pg_lockstep_mismatches(r.ls);
  printf("random seed %" PRIu64 ": %" PRIu64 " accesses (%" PRIu64 " program streams), %" PRIu64
         " PTE edits, %" PRIu64 " invalidations after edits, %" PRIu64 " concurrent ops, %" PRIu64
         " control writes; "
         "%" PRIu64 " walks, %" PRIu64 " page faults, %" PRIu64 " cycles (memory: %s; %d-level "
         "tables)\n",
         o->seed, r.n_access, r.n_streams, r.n_edits, r.n_inval, r.n_conc, r.n_ctl, c->walks,
         c->pf_not_present + c->pf_reserved + c->pf_user + c->pf_write + c->pf_nx + c->pf_smep +
             c->pf_smap + c->pk_faults,
         c->cycles, mem_desc, r.levels);
  printf("random seed %" PRIu64 ": faults by kind: not-present %" PRIu64 ", reserved %" PRIu64
         ", user %" PRIu64 ", write %" PRIu64 ", nx %" PRIu64 ", smep %" PRIu64 ", smap %" PRIu64
         ", pk %" PRIu64 "; dTLB hits %" PRIu64 ", iTLB hits %" PRIu64 ", L2 hits %" PRIu64
         ", PML5E walk-cache hits %" PRIu64 "\n",
         o->seed, c->pf_not_present, c->pf_reserved, c->pf_user, c->pf_write, c->pf_nx, c->pf_smep,
         c->pf_smap, c->pk_faults, c->dtlb_hits, c->itlb_hits, c->l2tlb_hits, c->pwc_pml5e_hits);
  if (r.guest)
    printf("random seed %" PRIu64 ": a guest under EPT (A/D %s, %s): %" PRIu64
           " VM switches, %" PRIu64 " EPT edits, %" PRIu64 " INVEPT/INVVPID; %" PRIu64
           " EPT walks, %" PRIu64 " EPT violations, %" PRIu64 " misconfigurations\n",
           o->seed, (r.eptp[0] & EPTP_AD) ? "on" : "off", (r.eptp[1] & EPTP_AD) ? "on" : "off",
           r.n_vm_switch, r.n_ept_edits, r.n_inv_vm, c->ept_walks, c->ept_violations,
           c->ept_misconfigs);
  printf("%s random seed %" PRIu64 ": %u mismatches\n", mism || fin ? "FAIL" : "PASS", o->seed,
         mism);
  if (r.guest)
    os_frames_destroy(&r.hfr);
  os_frames_destroy(&r.fr);
  pg_lockstep_free(r.ls);
  return mism || fin ? 1 : 0;
}

/* ---- the DRAM controller alone ------------------------------------------------------------ */

int pg_random_dram(const pg_random_opts_t *o) {
  rnd_t r;
  memset(&r, 0, sizeof r);
  r.rng = o->seed * 0x9e3779b97f4a7c15ull + 0x2545f4914f6cdd1dull;
  if (!r.rng)
    r.rng = 1;
  pg_dram_cfg_t c;
  pg_dram_cfg_default(&c);
  c.close_page = (int)below(&r, 2);
  c.bank_xor_hash = (int)below(&r, 2);
  c.write_queue_size = 4 + (unsigned)below(&r, 28);
  c.trans_queue_size = 4 + (unsigned)below(&r, PG_DRAM_MAX_QUEUE - c.write_queue_size - 3);
  c.write_high_watermark = 2 + (unsigned)below(&r, c.write_queue_size - 1);
  c.write_low_watermark = (unsigned)below(&r, c.write_high_watermark);
  c.starve_cycles = below(&r, 2) ? 1000 : 40 + (unsigned)below(&r, 400);
  c.in_order = o->seed % 4 == 3; /* every fourth seed: the FCFS baseline */
  char err[200];
  if (pg_dram_cfg_finish(&c, err, sizeof err)) {
    fprintf(stderr, "random dram: settings: %s\n", err);
    return 1;
  }
  pg_dram_reqs_t q = {0};
  uint64_t cycle = 0, base = 0;
  const uint64_t span = 1ull << 30; /* 1 GiB of the 4 GiB device */
  while (q.n < o->ops) {
    unsigned phase = (unsigned)below(&r, 5), len = 1 + (unsigned)below(&r, 2000);
    unsigned gap = below(&r, 3) ? 0 : (unsigned)below(&r, 12);
    unsigned wr_pct = (unsigned)below(&r, 101);
    if (phase == 4) { /* idle: refresh while the queue is empty */
      cycle += 500 + below(&r, 20000);
      continue;
    }
    base = below(&r, span) & ~63ull;
    for (unsigned k = 0; k < len && q.n < o->ops; k++) {
      uint64_t a;
      if (phase == 0)
        a = (base + 64ull * k) % span; /* sequential */
      else if (phase == 1)
        a = below(&r, span) & ~63ull; /* random */
      else if (phase == 2)
        a = (base + 64ull * below(&r, 4)) % span; /* a few lines: same-line order */
      else
        a = (base + (below(&r, 8) << 13) + 64ull * below(&r, 4)) % span; /* bank conflicts */
      int we = below(&r, 100) < wr_pct;
      uint64_t mask = UINT64_MAX;
      if (we && below(&r, 3) == 0)
        mask = next(&r) | 1; /* a partial write */
      cycle += gap ? below(&r, gap + 1) : 0;
      if (pg_dram_reqs_push(&q, a, we, cycle, mask)) {
        pg_dram_reqs_free(&q);
        return 1;
      }
    }
  }
  pg_dram_run_opts_t ro;
  pg_dram_run_default_opts(&ro);
  ro.seed = o->seed;
  ro.wave = o->wave;
  ro.report = stdout;
  pg_dram_result_t res;
  int bad = pg_dram_run(&c, q.r, q.n, &ro, &res);
  printf("random dram seed %" PRIu64 ": %" PRIu64 " requests (%" PRIu64 " reads), %" PRIu64
         " cycles, %" PRIu64 " refreshes, utilization %.3f; %s page, bank hash %s, queue %u+%u, "
         "watermarks %u/%u, starvation cap %u, %s\n",
         o->seed, res.requests, res.reads, res.cycles, res.refreshes, pg_dram_utilization(&res),
         c.close_page ? "close" : "open", c.bank_xor_hash ? "on" : "off", c.trans_queue_size,
         c.write_queue_size, c.write_high_watermark, c.write_low_watermark, c.starve_cycles,
         c.in_order ? "FCFS" : "FR-FCFS");
  printf("%s random dram seed %" PRIu64 ": %" PRIu64 " data mismatches, %" PRIu64
         " timing violations%s%s\n",
         bad ? "FAIL" : "PASS", o->seed, res.mismatches, res.violations,
         res.violations ? "; first: " : "", res.first_violation);
  pg_dram_reqs_free(&q);
  return bad;
}
