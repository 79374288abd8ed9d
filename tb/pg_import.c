/* SPDX-License-Identifier: MIT */
/* pg_import.c — valgrind lackey logs to pagoda traces (see pg_import.h). */
#include "pg_import.h"

#include <assert.h>
#include <ctype.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "os_phys.h"
#include "os_vm.h"
#include "pg_hw.h"
#include "pg_mem.h"
#include "pg_model.h"
#include "pg_rng.h"

#define SZ_4K        0x1000ull
#define SZ_2M        0x200000ull
#define PAGES_PER_2M 512u
/* The address space lackey can show: the lower canonical half. */
#define USER_TOP (1ull << 47)
/* Larger accesses than this (XSAVE areas are ~2.5 KiB) are refused. */
#define MAX_EVENT_BYTES 4096u
/* Page tables come from the bottom of RAM by a bump allocator; the
 * program's frames are drawn at random from the rest (SPEC §2 RAM). */
#define TABLE_BASE 0x00100000ull
#define TABLE_TOP  0x04000000ull
#define DATA_BASE  TABLE_TOP
#define DATA_TOP   0xC0000000ull

typedef enum { EV_I, EV_L, EV_S, EV_M } ev_kind_t;

typedef struct {
  uint64_t addr;
  uint32_t size;
  uint8_t kind; /* ev_kind_t */
} event_t;

/* ---- a small open-addressing map, uint64 key -> uint32 value ------------ */

#define NO_KEY UINT64_MAX

typedef struct {
  uint64_t *keys;
  uint32_t *vals;
  size_t cap, n;
} map_t;

static size_t map_slot(uint64_t key, size_t cap) {
  return (size_t)((key * 0x9e3779b97f4a7c15ull) >> 20) & (cap - 1);
}

static void map_init(map_t *m, size_t cap) {
  m->cap = cap;
  m->n = 0;
  m->keys = malloc(cap * sizeof m->keys[0]);
  m->vals = malloc(cap * sizeof m->vals[0]);
  assert(m->keys && m->vals);
  for (size_t i = 0; i < cap; i++)
    m->keys[i] = NO_KEY;
}

static void map_free(map_t *m) {
  free(m->keys);
  free(m->vals);
}

/* The value slot of KEY, or NULL when absent. */
static uint32_t *map_find(const map_t *m, uint64_t key) {
  for (size_t i = map_slot(key, m->cap);; i = (i + 1) & (m->cap - 1)) {
    if (m->keys[i] == key)
      return &m->vals[i];
    if (m->keys[i] == NO_KEY)
      return NULL;
  }
}

/* The value slot of KEY, inserted (value V) when absent. */
static uint32_t *map_get(map_t *m, uint64_t key, uint32_t v) {
  uint32_t *p = map_find(m, key);
  if (p)
    return p;
  if (2 * (m->n + 1) > m->cap) {
    map_t bigger;
    map_init(&bigger, 2 * m->cap);
    for (size_t i = 0; i < m->cap; i++)
      if (m->keys[i] != NO_KEY)
        *map_get(&bigger, m->keys[i], m->vals[i]) = m->vals[i];
    map_free(m);
    *m = bigger;
  }
  size_t i = map_slot(key, m->cap);
  while (m->keys[i] != NO_KEY)
    i = (i + 1) & (m->cap - 1);
  m->keys[i] = key;
  m->vals[i] = v;
  m->n++;
  return &m->vals[i];
}

/* ---- reading the log ---------------------------------------------------- */

static int bad(char *err, size_t errlen, const char *name, unsigned line, const char *fmt, ...) {
  int k = snprintf(err, errlen, "%s:%u: ", name, line);
  va_list ap;
  va_start(ap, fmt);
  if (k >= 0 && (size_t)k < errlen)
    vsnprintf(err + k, errlen - (size_t)k, fmt, ap);
  va_end(ap);
  return 2;
}

/* Valgrind's own lines: "==PID== ...", "--PID-- ...", "**PID** ...". */
static int valgrind_line(const char *s) {
  if (!(s[0] == '=' || s[0] == '-' || s[0] == '*') || s[1] != s[0])
    return 0;
  const char *p = s + 2;
  if (!isdigit((unsigned char)*p))
    return 0;
  while (isdigit((unsigned char)*p))
    p++;
  return p[0] == s[0] && p[1] == s[0];
}

/* One event line; returns 0, or 2 with ERR set. */
static int parse_event(const char *s, const char *name, unsigned line, event_t *ev, char *err,
                       size_t errlen) {
  if (s[0] == 'I' && s[1] == ' ' && s[2] == ' ')
    ev->kind = EV_I;
  else if (s[0] == ' ' && s[2] == ' ' && (s[1] == 'L' || s[1] == 'S' || s[1] == 'M'))
    ev->kind = s[1] == 'L' ? EV_L : s[1] == 'S' ? EV_S : EV_M;
  else
    return bad(err, errlen, name, line,
               "not a lackey line (expected 'I  ADDR,SIZE' or ' L|S|M ADDR,SIZE'): '%.40s'", s);
  const char *p = s + 3;
  uint64_t addr = 0;
  unsigned digits = 0;
  for (; isxdigit((unsigned char)*p); p++, digits++) {
    if (digits == 16)
      return bad(err, errlen, name, line, "address longer than 64 bits");
    int c = tolower((unsigned char)*p);
    addr = addr << 4 | (uint64_t)(c <= '9' ? c - '0' : c - 'a' + 10);
  }
  if (!digits)
    return bad(err, errlen, name, line, "missing hex address");
  if (*p != ',')
    return bad(err, errlen, name, line, "expected ',' after the address");
  p++;
  uint64_t size = 0;
  unsigned sdigits = 0;
  for (; isdigit((unsigned char)*p) && size <= MAX_EVENT_BYTES; p++, sdigits++)
    size = size * 10 + (uint64_t)(*p - '0');
  while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
    p++;
  if (!sdigits || *p)
    return bad(err, errlen, name, line, "expected a decimal size after ','");
  if (size == 0 || size > MAX_EVENT_BYTES)
    return bad(err, errlen, name, line, "size %" PRIu64 " out of range 1..%u", size,
               MAX_EVENT_BYTES);
  if (addr >= USER_TOP || size > USER_TOP - addr)
    return bad(err, errlen, name, line,
               "0x%" PRIx64 ",%" PRIu64 " leaves the lower canonical half (user space)", addr,
               size);
  ev->addr = addr;
  ev->size = (uint32_t)size;
  return 0;
}

typedef struct {
  event_t *ev;
  size_t n, cap;
} events_t;

static int read_log(FILE *in, const char *name, uint64_t max, events_t *evs, char *err,
                    size_t errlen) {
  char *buf = NULL;
  size_t bufcap = 0;
  unsigned line = 0;
  int rc = 0;
  while ((!max || evs->n < max) && getline(&buf, &bufcap, in) != -1) {
    line++;
    const char *s = buf;
    if (valgrind_line(s))
      continue;
    size_t len = strlen(s);
    while (len && (s[len - 1] == '\n' || s[len - 1] == '\r'))
      len--;
    if (len == 0)
      continue;
    event_t ev;
    if ((rc = parse_event(s, name, line, &ev, err, errlen)))
      break;
    if (evs->n == evs->cap) {
      evs->cap = evs->cap ? 2 * evs->cap : 4096;
      evs->ev = realloc(evs->ev, evs->cap * sizeof evs->ev[0]);
      assert(evs->ev);
    }
    evs->ev[evs->n++] = ev;
  }
  free(buf);
  if (!rc && line == 0)
    rc = bad(err, errlen, name, 1, "empty file: not a lackey log");
  return rc;
}

/* ---- the kernel's view: mapping units and their rights ----------------- */

enum { U_FETCHED = 1, U_STORED = 2, U_MAPPED = 4, U_DIRTY = 8 };

typedef struct {
  uint64_t va; /* base */
  uint64_t pa; /* frame, once mapped */
  enum pg_page_size size;
  unsigned flags; /* U_* */
} unit_t;

typedef struct {
  const pg_import_opts_t *o;
  FILE *out;
  pg_import_stats_t *st;
  uint64_t rng;
  map_t page_unit;    /* 4 KiB page number -> unit index */
  map_t region_pages; /* 2 MiB region number -> distinct 4 KiB pages touched */
  unit_t *units;
  size_t nunits, capunits;
  map_t used_frames; /* 4 KiB frame number -> 1 */
  map_t used_blocks; /* 2 MiB block number -> 1 split into 4 KiB frames, 2 whole */
  os_trace_sink_t *sink;
  os_frames_t tables;
  os_as_t as;
  pg_mem_t *shadow; /* the program's bytes, by virtual address */
} imp_t;

/* Which mapping unit a 4 KiB page belongs to: decided before anything is
 * emitted, from every page the imported events touch. */
static unsigned unit_of(imp_t *im, uint64_t va) {
  uint32_t *u = map_find(&im->page_unit, va >> 12);
  assert(u);
  return *u;
}

static void touch_pages(imp_t *im, const event_t *e, map_t *pages) {
  unsigned f = e->kind == EV_I ? U_FETCHED : (e->kind == EV_S || e->kind == EV_M) ? U_STORED : 0;
  for (uint64_t pg = e->addr >> 12; pg <= (e->addr + e->size - 1) >> 12; pg++) {
    uint32_t *v = map_find(pages, pg);
    if (!v) {
      *map_get(&im->region_pages, pg >> 9, 0) += 1;
      v = map_get(pages, pg, 0);
    }
    *v |= f;
  }
}

static unsigned new_unit(imp_t *im, uint64_t va, enum pg_page_size size) {
  if (im->nunits == im->capunits) {
    im->capunits = im->capunits ? 2 * im->capunits : 1024;
    im->units = realloc(im->units, im->capunits * sizeof im->units[0]);
    assert(im->units);
  }
  im->units[im->nunits] = (unit_t){.va = va, .size = size};
  return (unsigned)im->nunits++;
}

/* Groups the touched pages into units by the --pages policy. */
static void plan_units(imp_t *im, const events_t *evs) {
  map_t pages; /* page number -> U_FETCHED | U_STORED */
  map_init(&pages, 1024);
  for (size_t i = 0; i < evs->n; i++)
    touch_pages(im, &evs->ev[i], &pages);
  for (size_t i = 0; i < pages.cap; i++) {
    if (pages.keys[i] == NO_KEY)
      continue;
    uint64_t pg = pages.keys[i];
    int huge =
        im->o->pages == PG_IMPORT_2M ||
        (im->o->pages == PG_IMPORT_MIXED && *map_find(&im->region_pages, pg >> 9) == PAGES_PER_2M);
    uint64_t key = huge ? (pg >> 9) << 9 : pg; /* a 2 MiB unit is named by its first page */
    uint32_t *u = map_find(&im->page_unit, key);
    unsigned k = u ? *u : new_unit(im, key << 12, huge ? PG_SIZE_2M : PG_SIZE_4K);
    if (!u)
      *map_get(&im->page_unit, key, k) = k;
    im->units[k].flags |= pages.vals[i];
    if (huge)
      *map_get(&im->page_unit, pg, k) = k;
  }
  map_free(&pages);
}

/* A random free frame of SIZE in [DATA_BASE, DATA_TOP): 2 MiB blocks are
 * either whole or split into 4 KiB frames. */
static uint64_t alloc_frame(imp_t *im, enum pg_page_size size) {
  const uint64_t nblocks = (DATA_TOP - DATA_BASE) / SZ_2M;
  for (;;) {
    uint64_t blk = DATA_BASE / SZ_2M + pg_rng_below(&im->rng, nblocks);
    uint32_t *state = map_find(&im->used_blocks, blk);
    if (size == PG_SIZE_2M) {
      if (state)
        continue;
      *map_get(&im->used_blocks, blk, 2) = 2;
      return blk * SZ_2M;
    }
    if (state && *state == 2)
      continue;
    uint64_t frame = blk * PAGES_PER_2M + pg_rng_below(&im->rng, PAGES_PER_2M);
    if (map_find(&im->used_frames, frame))
      continue;
    *map_get(&im->used_blocks, blk, 1) = 1;
    *map_get(&im->used_frames, frame, 1) = 1;
    return frame << 12;
  }
}

static uint64_t leaf_flags(const unit_t *u) {
  uint64_t f = PTE_US;
  if (!(u->flags & U_FETCHED))
    f |= PTE_XD | PTE_RW; /* data */
  else if (u->flags & U_STORED)
    f |= PTE_RW; /* code that is also written: writable and executable */
  return f;      /* code: read-only, executable */
}

/* The kernel's page-fault handler for a not-present fault on U. */
static void map_unit(imp_t *im, unit_t *u) {
  u->pa = alloc_frame(im, u->size);
  fprintf(im->out, "# kernel: map 0x%" PRIx64 " -> 0x%" PRIx64 " (%s, %s)\n", u->va, u->pa,
          u->size == PG_SIZE_2M ? "2 MiB" : "4 KiB",
          !(u->flags & U_FETCHED) ? "data: RW, NX"
          : (u->flags & U_STORED) ? "code, written: RW, X"
                                  : "code: RO, X");
  os_err_t e = os_map(&im->as, u->va, u->pa, u->size, leaf_flags(u));
  assert(e == OS_OK);
  (void)e;
  u->flags |= U_MAPPED;
  if (u->size == PG_SIZE_2M)
    im->st->pages_2m++;
  else
    im->st->pages_4k++;
}

static void count(imp_t *im, pg_op_t op) {
  im->st->loads += op == PG_OP_LOAD;
  im->st->stores += op == PG_OP_STORE;
  im->st->fetches += op == PG_OP_FETCH;
}

/* One aligned piece: faults and maps at first touch, then the access. */
static void piece(imp_t *im, pg_op_t op, uint64_t va, unsigned size) {
  unit_t *u = &im->units[unit_of(im, va)];
  if (!(u->flags & U_MAPPED)) {
    uint32_t errc =
        PF_ERR_U | (op == PG_OP_STORE ? PF_ERR_W : 0) | (op == PG_OP_FETCH ? PF_ERR_ID : 0);
    fprintf(im->out, "%s u 0x%" PRIx64 " %u%s expect.err=0x%x\n", pg_op_name(op), va, size,
            op == PG_OP_STORE ? " 0" : "", errc);
    count(im, op);
    im->st->faults++;
    map_unit(im, u);
  }
  uint64_t pa = u->pa + (va - u->va);
  if (op == PG_OP_STORE) {
    uint64_t v = pg_rng_next(&im->rng);
    if (size < 8)
      v &= (1ull << (8 * size)) - 1;
    fprintf(im->out, "store u 0x%" PRIx64 " %u 0x%" PRIx64 " expect.pa=0x%" PRIx64 "\n", va, size,
            v, pa);
    pg_mem_write(im->shadow, va, v, size);
    u->flags |= U_DIRTY;
  } else {
    fprintf(im->out, "%s u 0x%" PRIx64 " %u expect.pa=0x%" PRIx64 " expect.data=0x%" PRIx64 "\n",
            pg_op_name(op), va, size, pa, pg_mem_read(im->shadow, va, size));
  }
  count(im, op);
}

/* [addr, addr + size) as naturally aligned pieces of at most 8 bytes. */
static void split(imp_t *im, pg_op_t op, uint64_t addr, uint64_t size) {
  while (size) {
    unsigned s = 8;
    while (s > size || (addr & (s - 1)))
      s >>= 1;
    piece(im, op, addr, s);
    addr += s;
    size -= s;
  }
}

static void emit(imp_t *im, const events_t *evs) {
  for (size_t i = 0; i < evs->n; i++) {
    const event_t *e = &evs->ev[i];
    im->st->events[e->kind]++;
    switch ((ev_kind_t)e->kind) {
    case EV_I: { /* the aligned 8-byte words the instruction covers */
      uint64_t lo = e->addr & ~7ull, hi = (e->addr + e->size + 7) & ~7ull;
      split(im, PG_OP_FETCH, lo, hi - lo);
      break;
    }
    case EV_L:
      split(im, PG_OP_LOAD, e->addr, e->size);
      break;
    case EV_S:
      split(im, PG_OP_STORE, e->addr, e->size);
      break;
    case EV_M:
      split(im, PG_OP_LOAD, e->addr, e->size);
      split(im, PG_OP_STORE, e->addr, e->size);
      break;
    }
  }
  /* Every leaf: accessed (each unit's first access was retried and
   * succeeded), dirty where a store succeeded. */
  fprintf(im->out, "# every leaf's A and D bits\n");
  for (size_t k = 0; k < im->nunits; k++) {
    const unit_t *u = &im->units[k];
    if (!(u->flags & U_MAPPED))
      continue;
    int level = u->size == PG_SIZE_2M ? 2 : 1;
    uint64_t epa, e;
    if (os_entry_addr(&im->as, u->va, level, &epa) || os_entry_get(&im->as, u->va, level, &e))
      assert(0);
    e |= PTE_A | ((u->flags & U_DIRTY) ? PTE_D : 0);
    fprintf(im->out, "phys.check 0x%" PRIx64 " 0x%" PRIx64 " 8\n", epa, e);
  }
}

int pg_import_lackey(FILE *in, const char *name, FILE *out, const pg_import_opts_t *o,
                     pg_import_stats_t *st, char *err, size_t errlen) {
  events_t evs = {0};
  int rc = read_log(in, name, o->max, &evs, err, errlen);
  if (rc) {
    free(evs.ev);
    return rc;
  }
  memset(st, 0, sizeof *st);
  imp_t im = {.o = o, .out = out, .st = st};
  im.rng = pg_mix64(o->seed) | 1; /* xorshift needs a nonzero state */
  map_init(&im.page_unit, 1024);
  map_init(&im.region_pages, 256);
  map_init(&im.used_frames, 1024);
  map_init(&im.used_blocks, 256);
  plan_units(&im, &evs);

  static const char *const pages_name[] = {"4k", "2m", "mixed"};
  fprintf(out,
          "# Imported by `pagoda import lackey %s --pages %s --seed %" PRIu64 "`: %zu events.\n"
          "# Each page is mapped at its first touch (a not-present fault, then the\n"
          "# kernel's phys.writes, then the access again); memory starts zero, stores\n"
          "# carry seeded values and loads expect them.\n",
          name, pages_name[o->pages], o->seed, evs.n);
  im.sink = os_trace_sink_new(out);
  im.shadow = pg_mem_new();
  os_frames_init(&im.tables, os_phys_of_trace(im.sink), TABLE_BASE, TABLE_TOP);
  os_err_t e = os_as_init(&im.as, &im.tables);
  assert(e == OS_OK);
  (void)e;
  fprintf(out, "ctl cr3=0x%" PRIx64 " nxe=1\n", os_as_cr3(&im.as, 0));
  emit(&im, &evs);
  st->table_frames = im.tables.in_use;

  os_frames_destroy(&im.tables);
  os_trace_sink_free(im.sink);
  pg_mem_free(im.shadow);
  map_free(&im.page_unit);
  map_free(&im.region_pages);
  map_free(&im.used_frames);
  map_free(&im.used_blocks);
  free(im.units);
  free(evs.ev);
  return 0;
}
