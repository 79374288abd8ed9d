/* SPDX-License-Identifier: MIT */
/* pg_tlb.h — the translation caches of the golden model, for contents and
 * replacement only (no timing).
 *
 * Owns: one generic set-associative array of translation entries with
 * tree-PLRU replacement per set. A fully associative CAM is the case of one
 * set (the L1 iTLB/dTLB and the paging-structure caches); the L2 TLB is the
 * case of many sets. The replacement rules are the contract the RTL follows:
 *
 *  - lookup: the lowest way whose entry matches wins;
 *  - an entry matches VA in a context (PCID, VPID, EP4TA) when it is valid,
 *    its VPID and EP4TA equal the context's, its PCID equals the context's
 *    or it is global, and VA[56:shift] equals its tag;
 *  - insert: the lowest invalid way, else the tree-PLRU victim; the inserted
 *    way is then touched; a fully associative CAM first drops every entry
 *    that overlaps the new one (pg_tlb_overlaps), so its entries are unique;
 *  - touch: every PLRU node on the path to the way is pointed away from it.
 *    Nodes are numbered as a heap from 1 (root); a node's bit 0 means "the
 *    victim is in the lower half", 1 "in the upper half". */
#ifndef PG_TLB_H
#define PG_TLB_H

#include <stdint.h>

typedef struct {
  uint64_t tag;   /* VA[56:shift] */
  uint64_t vbase; /* VA[56:shift] in place, low bits clear (set by insert) */
  uint64_t vmask; /* VA bits 56:shift (set by insert) */
  uint64_t base;  /* TLB: frame physical address; walk cache: next table */
  uint64_t gbase; /* with EPT: TLB: the frame's guest-physical address; walk cache: the next
                     table's (base is then its host-physical address) */
  uint64_t ep4ta; /* with EPT: EPTP bits 51:12 with bit 0 set (a combined mapping); 0: a
                     linear mapping, made with EPT off */
  uint16_t pcid;
  uint16_t vpid;
  uint8_t ept_rwx; /* with EPT: the AND of bits 2:0 of the EPT entries that map the page (TLB)
                      or the next table (walk cache); unused in a linear mapping */
  uint8_t shift;   /* TLB: 12, 21, 30; walk cache: 21 (PDE), 30 (PDPTE), 39 (PML4E), 48 (PML5E) */
  uint8_t valid;
  uint8_t global; /* leaf G with CR4.PGE=1; never set in walk caches */
  uint8_t w;      /* RW=1 at every level so far */
  uint8_t u;      /* US=1 at every level so far */
  uint8_t xd;     /* XD=1 at some level so far (only ever set with EFER.NXE=1) */
  uint8_t dirty;  /* TLB: the leaf's D bit as cached */
  uint8_t pkey;   /* TLB: the leaf's protection key (bits 62:59); walk cache: 0 */
} pg_tlb_entry_t;

typedef struct {
  unsigned sets;
  unsigned ways;  /* a power of two */
  unsigned depth; /* log2(ways) */
  pg_tlb_entry_t *e;
  uint8_t *plru;    /* sets x ways, node n of set s at [s * ways + n], n in 1..ways-1 */
  unsigned hint;    /* CAMs: the way of the last hit or fill (a search shortcut only) */
  unsigned *nvalid; /* valid entries per set (a search shortcut only) */
} pg_tlb_t;

void pg_tlb_init(pg_tlb_t *t, unsigned sets, unsigned ways);
void pg_tlb_destroy(pg_tlb_t *t);

/* The VA bits a tag holds: 56:shift (pg_hw.h, VA_BITS_LA57). */
#define PG_TLB_VA_MASK ((1ull << 57) - 1)

static inline uint64_t pg_tlb_tag(uint64_t va, unsigned shift) {
  return (va & PG_TLB_VA_MASK) >> shift;
}

/* VA[56:shift] in place, the low bits cleared: what a match compares. */
static inline uint64_t pg_tlb_vbase(const pg_tlb_entry_t *e) {
  return e->tag << e->shift;
}

static inline uint64_t pg_tlb_mask(unsigned shift) {
  return PG_TLB_VA_MASK & ~((1ull << shift) - 1);
}

/* The context a lookup is made in. Globals ignore the PCID, never the VPID
 * or the EP4TA. */
typedef struct {
  uint16_t pcid;
  uint16_t vpid;
  uint64_t ep4ta;
} pg_tlb_ctx_t;

static inline int pg_tlb_same_vm(const pg_tlb_entry_t *e, pg_tlb_ctx_t c) {
  return e->vpid == c.vpid && e->ep4ta == c.ep4ta;
}

static inline int pg_tlb_matches(const pg_tlb_entry_t *e, uint64_t va, pg_tlb_ctx_t c) {
  return e->valid && (va & e->vmask) == e->vbase && pg_tlb_same_vm(e, c) &&
         (e->global || e->pcid == c.pcid);
}

/* Two entries overlap when their pages share an address and one context can
 * see both (same VPID and EP4TA, and same PCID or either global). A CAM filled by
 * pg_tlb_fill_unique never holds two overlapping entries, so at most one entry matches any address
 * in any context. */
static inline int pg_tlb_overlaps(const pg_tlb_entry_t *a, const pg_tlb_entry_t *b) {
  uint64_t mask = pg_tlb_mask(a->shift) & pg_tlb_mask(b->shift); /* the larger page's */
  return a->valid && b->valid && ((pg_tlb_vbase(a) ^ pg_tlb_vbase(b)) & mask) == 0 &&
         a->vpid == b->vpid && a->ep4ta == b->ep4ta &&
         (a->global || b->global || a->pcid == b->pcid);
}

static inline pg_tlb_entry_t *pg_tlb_at(pg_tlb_t *t, unsigned set, unsigned way) {
  return &t->e[set * t->ways + way];
}

/* Every invalidation goes through here (or pg_tlb_drop_if). */
void pg_tlb_invalidate(pg_tlb_t *t, unsigned set, unsigned way);
void pg_tlb_touch(pg_tlb_t *t, unsigned set, unsigned way);
unsigned pg_tlb_victim(const pg_tlb_t *t, unsigned set);
/* Puts E into SET (lowest invalid way, else PLRU victim), touches it, and
 * returns the way. */
unsigned pg_tlb_insert(pg_tlb_t *t, unsigned set, const pg_tlb_entry_t *e);
/* Fully associative CAMs: drops every entry overlapping E, then inserts E. */
unsigned pg_tlb_fill_unique(pg_tlb_t *t, const pg_tlb_entry_t *e);
/* Fully associative CAMs filled only by pg_tlb_fill_unique: the way of the
 * one entry matching VA in context C, or -1. */
int pg_tlb_lookup_unique(pg_tlb_t *t, uint64_t va, pg_tlb_ctx_t c);

/* Invalidates every entry for which drop(entry, arg) is true. PLRU bits are
 * left as they are. Returns how many were dropped. */
unsigned pg_tlb_drop_if(pg_tlb_t *t, int (*drop)(const pg_tlb_entry_t *, const void *),
                        const void *arg);

unsigned pg_tlb_count_valid(const pg_tlb_t *t);

#endif
