/* SPDX-License-Identifier: MIT */
/* pg_tlb.c — set-associative translation cache with tree-PLRU. */
#include "pg_tlb.h"

#include <assert.h>
#include <stdlib.h>

void pg_tlb_init(pg_tlb_t *t, unsigned sets, unsigned ways) {
  assert(sets >= 1 && ways >= 1 && (ways & (ways - 1)) == 0);
  t->sets = sets;
  t->ways = ways;
  t->depth = 0;
  while ((1u << t->depth) < ways)
    t->depth++;
  t->e = calloc((size_t)sets * ways, sizeof t->e[0]);
  t->plru = calloc((size_t)sets * ways, 1);
  t->nvalid = calloc(sets, sizeof t->nvalid[0]);
  t->hint = 0;
  assert(t->e && t->plru && t->nvalid);
}

void pg_tlb_destroy(pg_tlb_t *t) {
  free(t->e);
  free(t->plru);
  free(t->nvalid);
  t->e = NULL;
  t->plru = NULL;
  t->nvalid = NULL;
}

void pg_tlb_touch(pg_tlb_t *t, unsigned set, unsigned way) {
  uint8_t *bits = &t->plru[set * t->ways];
  unsigned depth = t->depth;
  unsigned node = 1;
  for (unsigned l = 0; l < depth; l++) {
    unsigned upper = (way >> (depth - 1 - l)) & 1;
    bits[node] = (uint8_t)!upper; /* point away from the way just used */
    node = 2 * node + upper;
  }
}

void pg_tlb_invalidate(pg_tlb_t *t, unsigned set, unsigned way) {
  pg_tlb_entry_t *x = pg_tlb_at(t, set, way);
  if (x->valid) {
    x->valid = 0;
    t->nvalid[set]--;
  }
}

unsigned pg_tlb_victim(const pg_tlb_t *t, unsigned set) {
  const pg_tlb_entry_t *row = &t->e[set * t->ways];
  if (t->nvalid[set] < t->ways)
    for (unsigned w = 0; w < t->ways; w++)
      if (!row[w].valid)
        return w;
  const uint8_t *bits = &t->plru[set * t->ways];
  unsigned depth = t->depth;
  unsigned node = 1, way = 0;
  for (unsigned l = 0; l < depth; l++) {
    unsigned b = bits[node];
    way = (way << 1) | b;
    node = 2 * node + b;
  }
  return way;
}

unsigned pg_tlb_insert(pg_tlb_t *t, unsigned set, const pg_tlb_entry_t *e) {
  unsigned way = pg_tlb_victim(t, set);
  pg_tlb_entry_t *x = pg_tlb_at(t, set, way);
  if (!x->valid)
    t->nvalid[set]++;
  *x = *e;
  x->valid = 1;
  x->vmask = pg_tlb_mask(x->shift);
  x->vbase = pg_tlb_vbase(x);
  pg_tlb_touch(t, set, way);
  t->hint = way;
  return way;
}

int pg_tlb_lookup_unique(pg_tlb_t *t, uint64_t va, pg_tlb_ctx_t c) {
  if (pg_tlb_matches(&t->e[t->hint], va, c))
    return (int)t->hint;
  for (unsigned w = 0; w < t->ways; w++)
    if (pg_tlb_matches(&t->e[w], va, c)) {
      t->hint = w;
      return (int)w;
    }
  return -1;
}

unsigned pg_tlb_fill_unique(pg_tlb_t *t, const pg_tlb_entry_t *e) {
  pg_tlb_entry_t n = *e;
  n.valid = 1;
  n.vmask = pg_tlb_mask(n.shift);
  n.vbase = pg_tlb_vbase(&n);
  for (unsigned way = 0; way < t->ways; way++) {
    const pg_tlb_entry_t *x = &t->e[way];
    if (x->valid && ((x->vbase ^ n.vbase) & x->vmask & n.vmask) == 0 && x->vpid == n.vpid &&
        x->ep4ta == n.ep4ta && (x->global || n.global || x->pcid == n.pcid))
      pg_tlb_invalidate(t, 0, way);
  }
  return pg_tlb_insert(t, 0, &n);
}

unsigned pg_tlb_drop_if(pg_tlb_t *t, int (*drop)(const pg_tlb_entry_t *, const void *),
                        const void *arg) {
  unsigned n = 0;
  for (size_t i = 0; i < (size_t)t->sets * t->ways; i++)
    if (t->e[i].valid && drop(&t->e[i], arg)) {
      pg_tlb_invalidate(t, (unsigned)(i / t->ways), (unsigned)(i % t->ways));
      n++;
    }
  return n;
}

unsigned pg_tlb_count_valid(const pg_tlb_t *t) {
  unsigned n = 0;
  for (size_t i = 0; i < (size_t)t->sets * t->ways; i++)
    n += t->e[i].valid;
  return n;
}
