/* SPDX-License-Identifier: MIT */
/* pg_mem.c — sparse physical memory: an open-addressing hash of 4 KiB pages. */
#include "pg_mem.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "pg_hw.h"

#define PAGE_BYTES 4096u
#define NO_PAGE    UINT64_MAX

struct pg_mem {
  uint64_t *keys;  /* frame number, or NO_PAGE */
  uint8_t **pages; /* PAGE_BYTES each */
  size_t cap;      /* power of two */
  size_t used;
  /* One-entry lookup cache: most accesses hit the page of the previous one. */
  uint64_t last_key;
  uint8_t *last_page;
};

static size_t slot_of(uint64_t key, size_t cap) {
  uint64_t h = key * 0x9e3779b97f4a7c15ull;
  return (size_t)(h >> 17) & (cap - 1);
}

static void table_alloc(pg_mem_t *m, size_t cap) {
  m->cap = cap;
  m->keys = malloc(cap * sizeof m->keys[0]);
  m->pages = calloc(cap, sizeof m->pages[0]);
  assert(m->keys && m->pages);
  for (size_t i = 0; i < cap; i++)
    m->keys[i] = NO_PAGE;
}

pg_mem_t *pg_mem_new(void) {
  pg_mem_t *m = calloc(1, sizeof *m);
  assert(m);
  table_alloc(m, 256);
  m->last_key = NO_PAGE;
  return m;
}

void pg_mem_free(pg_mem_t *m) {
  if (!m)
    return;
  for (size_t i = 0; i < m->cap; i++)
    free(m->pages[i]);
  free(m->keys);
  free(m->pages);
  free(m);
}

static uint8_t *find(const pg_mem_t *m, uint64_t key) {
  for (size_t i = slot_of(key, m->cap);; i = (i + 1) & (m->cap - 1)) {
    if (m->keys[i] == key)
      return m->pages[i];
    if (m->keys[i] == NO_PAGE)
      return NULL;
  }
}

static void insert(pg_mem_t *m, uint64_t key, uint8_t *page) {
  size_t i = slot_of(key, m->cap);
  while (m->keys[i] != NO_PAGE)
    i = (i + 1) & (m->cap - 1);
  m->keys[i] = key;
  m->pages[i] = page;
}

static void grow(pg_mem_t *m) {
  uint64_t *old_keys = m->keys;
  uint8_t **old_pages = m->pages;
  size_t old_cap = m->cap;
  table_alloc(m, old_cap * 2);
  for (size_t i = 0; i < old_cap; i++)
    if (old_keys[i] != NO_PAGE)
      insert(m, old_keys[i], old_pages[i]);
  free(old_keys);
  free(old_pages);
}

static const uint8_t *page_for_read(const pg_mem_t *m, uint64_t pa) {
  uint64_t key = (pa & PHYS_MASK) >> 12;
  if (key == m->last_key)
    return m->last_page;
  const uint8_t *p = find(m, key);
  if (p) {
    /* The cache is not part of the observable state. */
    pg_mem_t *mm = (pg_mem_t *)m;
    mm->last_key = key;
    mm->last_page = (uint8_t *)p;
  }
  return p;
}

static uint8_t *page_for_write(pg_mem_t *m, uint64_t pa) {
  uint64_t key = (pa & PHYS_MASK) >> 12;
  if (key == m->last_key)
    return m->last_page;
  uint8_t *p = find(m, key);
  if (!p) {
    if (2 * (m->used + 1) > m->cap)
      grow(m);
    p = calloc(1, PAGE_BYTES);
    assert(p);
    insert(m, key, p);
    m->used++;
  }
  m->last_key = key;
  m->last_page = p;
  return p;
}

uint64_t pg_mem_read(const pg_mem_t *m, uint64_t pa, unsigned size) {
  assert(size == 1 || size == 2 || size == 4 || size == 8);
  assert((pa & (size - 1)) == 0);
  const uint8_t *p = page_for_read(m, pa);
  if (!p)
    return 0;
  const uint8_t *b = p + (pa & (PAGE_BYTES - 1));
  uint64_t v = 0;
  for (unsigned i = 0; i < size; i++)
    v |= (uint64_t)b[i] << (8 * i);
  return v;
}

void pg_mem_write(pg_mem_t *m, uint64_t pa, uint64_t value, unsigned size) {
  assert(size == 1 || size == 2 || size == 4 || size == 8);
  assert((pa & (size - 1)) == 0);
  uint8_t *b = page_for_write(m, pa) + (pa & (PAGE_BYTES - 1));
  for (unsigned i = 0; i < size; i++)
    b[i] = (uint8_t)(value >> (8 * i));
}

void pg_mem_read_bytes(const pg_mem_t *m, uint64_t pa, void *dst, size_t len) {
  uint8_t *d = dst;
  while (len) {
    size_t off = pa & (PAGE_BYTES - 1);
    size_t n = PAGE_BYTES - off < len ? PAGE_BYTES - off : len;
    const uint8_t *p = page_for_read(m, pa);
    if (p)
      memcpy(d, p + off, n);
    else
      memset(d, 0, n);
    d += n;
    pa += n;
    len -= n;
  }
}

void pg_mem_write_bytes(pg_mem_t *m, uint64_t pa, const void *src, size_t len) {
  const uint8_t *s = src;
  while (len) {
    size_t off = pa & (PAGE_BYTES - 1);
    size_t n = PAGE_BYTES - off < len ? PAGE_BYTES - off : len;
    memcpy(page_for_write(m, pa) + off, s, n);
    s += n;
    pa += n;
    len -= n;
  }
}

void pg_mem_write_line(pg_mem_t *m, uint64_t line, const uint64_t words[8], uint64_t mask) {
  uint8_t bytes[64];
  pg_mem_read_bytes(m, line, bytes, sizeof bytes);
  for (unsigned b = 0; b < 64; b++)
    if (mask >> b & 1)
      bytes[b] = (uint8_t)(words[b / 8] >> (8 * (b % 8)));
  pg_mem_write_bytes(m, line, bytes, sizeof bytes);
}

void pg_mem_for_each_page(const pg_mem_t *m,
                          void (*fn)(uint64_t pa, const uint8_t *bytes, void *ctx), void *ctx) {
  for (size_t i = 0; i < m->cap; i++)
    if (m->keys[i] != NO_PAGE)
      fn(m->keys[i] << 12, m->pages[i], ctx);
}

struct cmp_ctx {
  const pg_mem_t *other;
  uint64_t first;
};

static void cmp_page(uint64_t pa, const uint8_t *bytes, void *vctx) {
  struct cmp_ctx *c = vctx;
  static const uint8_t zero[PAGE_BYTES];
  const uint8_t *o = page_for_read(c->other, pa);
  if (!o)
    o = zero;
  if (memcmp(bytes, o, PAGE_BYTES) == 0)
    return;
  for (size_t i = 0; i < PAGE_BYTES; i++)
    if (bytes[i] != o[i]) {
      if (pa + i < c->first)
        c->first = pa + i;
      return;
    }
}

int pg_mem_equal(const pg_mem_t *a, const pg_mem_t *b, uint64_t *first_diff) {
  struct cmp_ctx c = {b, UINT64_MAX};
  pg_mem_for_each_page(a, cmp_page, &c);
  c.other = a;
  pg_mem_for_each_page(b, cmp_page, &c);
  if (first_diff)
    *first_diff = c.first;
  return c.first == UINT64_MAX;
}
