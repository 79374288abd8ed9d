/* pg_tlb.c — set-associative translation cache with tree-PLRU. */
#include "pg_tlb.h"

#include <assert.h>
#include <stdlib.h>

void pg_tlb_init(pg_tlb_t *t, unsigned sets, unsigned ways) {
  assert(sets >= 1 && ways >= 1 && (ways & (ways - 1)) == 0);
  t->sets = sets;
  t->ways = ways;
  t->e = calloc((size_t)sets * ways, sizeof t->e[0]);
  t->plru = calloc((size_t)sets * ways, 1);
  assert(t->e && t->plru);
}

void pg_tlb_destroy(pg_tlb_t *t) {
  free(t->e);
  free(t->plru);
  t->e = NULL;
  t->plru = NULL;
}

int pg_tlb_find(const pg_tlb_t *t, unsigned set, uint64_t va, uint16_t pcid, int shift) {
  const pg_tlb_entry_t *row = &t->e[set * t->ways];
  for (unsigned w = 0; w < t->ways; w++)
    if ((shift < 0 || row[w].shift == shift) && pg_tlb_matches(&row[w], va, pcid))
      return (int)w;
  return -1;
}

static unsigned log2u(unsigned x) {
  unsigned l = 0;
  while ((1u << l) < x)
    l++;
  return l;
}

void pg_tlb_touch(pg_tlb_t *t, unsigned set, unsigned way) {
  uint8_t *bits = &t->plru[set * t->ways];
  unsigned depth = log2u(t->ways);
  unsigned node = 1;
  for (unsigned l = 0; l < depth; l++) {
    unsigned upper = (way >> (depth - 1 - l)) & 1;
    bits[node] = (uint8_t)!upper; /* point away from the way just used */
    node = 2 * node + upper;
  }
}

unsigned pg_tlb_victim(const pg_tlb_t *t, unsigned set) {
  const pg_tlb_entry_t *row = &t->e[set * t->ways];
  for (unsigned w = 0; w < t->ways; w++)
    if (!row[w].valid)
      return w;
  const uint8_t *bits = &t->plru[set * t->ways];
  unsigned depth = log2u(t->ways);
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
  *pg_tlb_at(t, set, way) = *e;
  pg_tlb_at(t, set, way)->valid = 1;
  pg_tlb_touch(t, set, way);
  return way;
}

unsigned pg_tlb_drop_if(pg_tlb_t *t, int (*drop)(const pg_tlb_entry_t *, const void *),
                        const void *arg) {
  unsigned n = 0;
  for (size_t i = 0; i < (size_t)t->sets * t->ways; i++)
    if (t->e[i].valid && drop(&t->e[i], arg)) {
      t->e[i].valid = 0;
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
