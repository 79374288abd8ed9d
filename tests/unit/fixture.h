/* SPDX-License-Identifier: MIT */
/* fixture.h — a golden model with one address space built by sw/os, shared by
 * the unit tests. Header-only on purpose: each test program is one unit. */
#ifndef PG_TEST_FIXTURE_H
#define PG_TEST_FIXTURE_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "os_vm.h"
#include "pg_hw.h"
#include "pg_model.h"

#define FRAMES_BASE  0x00100000ull
#define FRAMES_LIMIT 0x80000000ull

typedef struct {
  pg_model_t *m;
  os_frames_t fr;
  os_as_t as;
} fx_t;

/* LEVELS 4, or 5: 5-level tables with CR4.LA57 set. */
static inline int fx_setup_levels(void **state, int levels) {
  fx_t *f = calloc(1, sizeof *f);
  f->m = pg_model_new(NULL);
  os_frames_init(&f->fr, os_phys_of_mem(pg_model_mem(f->m)), FRAMES_BASE, FRAMES_LIMIT);
  assert_int_equal(os_as_init_levels(&f->as, &f->fr, levels), OS_OK);
  if (levels == 5)
    pg_model_write_ctl(f->m, PG_CTL_LA57, 1);
  pg_model_write_ctl(f->m, PG_CTL_CR3, os_as_cr3(&f->as, 0));
  *state = f;
  return 0;
}

static inline int fx_setup(void **state) {
  return fx_setup_levels(state, 4);
}

static inline int fx_teardown(void **state) {
  fx_t *f = *state;
  os_frames_destroy(&f->fr);
  pg_model_free(f->m);
  free(f);
  return 0;
}

/* A fresh 4 KiB frame. */
static inline uint64_t fx_frame(fx_t *f) {
  uint64_t pa;
  assert_int_equal(os_frames_alloc(&f->fr, &pa), OS_OK);
  return pa;
}

static inline void fx_map(fx_t *f, uint64_t va, uint64_t pa, enum pg_page_size size,
                          uint64_t flags) {
  assert_int_equal(os_map(&f->as, va, pa, size, flags), OS_OK);
}

static inline uint64_t fx_entry(fx_t *f, uint64_t va, int level) {
  uint64_t e = 0;
  assert_int_equal(os_entry_get(&f->as, va, level, &e), OS_OK);
  return e;
}

static inline void fx_entry_update(fx_t *f, uint64_t va, int level, uint64_t set, uint64_t clr) {
  assert_int_equal(os_entry_update(&f->as, va, level, set, clr), OS_OK);
}

static inline pg_result_t fx_acc(fx_t *f, pg_op_t op, int user, uint64_t va, unsigned size,
                                 uint64_t wdata, int ac) {
  pg_access_t a = {
      .op = op, .user = (uint8_t)user, .ac = (uint8_t)ac, .size = size, .va = va, .wdata = wdata};
  pg_result_t r;
  pg_model_access(f->m, &a, &r);
  return r;
}

static inline pg_result_t fx_load(fx_t *f, int user, uint64_t va) {
  return fx_acc(f, PG_OP_LOAD, user, va, 8, 0, 0);
}
static inline pg_result_t fx_store(fx_t *f, int user, uint64_t va, uint64_t v) {
  return fx_acc(f, PG_OP_STORE, user, va, 8, v, 0);
}
static inline pg_result_t fx_fetch(fx_t *f, int user, uint64_t va) {
  return fx_acc(f, PG_OP_FETCH, user, va, 8, 0, 0);
}

static inline const pg_counters_t *fx_c(fx_t *f) {
  return pg_model_counters(f->m);
}

static inline void fx_ctl(fx_t *f, pg_ctl_field_t field, uint64_t v) {
  pg_model_write_ctl(f->m, field, v);
}

#define assert_ok(r) assert_int_equal((r).status, PG_ST_OK)
/* Evaluates R once: R is usually an access. */
#define assert_pf(r, code)                                                                         \
  do {                                                                                             \
    pg_result_t r_once_ = (r);                                                                     \
    assert_int_equal(r_once_.status, PG_ST_PF);                                                    \
    assert_int_equal(r_once_.err, (code));                                                         \
  } while (0)

#endif
