/* SPDX-License-Identifier: MIT */
/* test_ept.c — the EPT walk of the golden model (sw/model/pg_ept.c), each
 * rule of the Intel SDM vol. 3C 28.2 and 28.3.5 both ways: the EPTP checks,
 * page sizes, not-present entries, misconfigurations (write without read,
 * reserved bits per level, reserved memory types), rights as the AND over
 * the levels, the accessed and dirty flags, and the exit qualification of
 * table 27-7 written out bit by bit: read 0x1, write 0x2, fetch 0x4,
 * readable 0x8, writable 0x10, executable 0x20, linear address valid 0x80,
 * access to the final translation 0x100. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "pg_ept.h"
#include "pg_hw.h"
#include "pg_mem.h"

#define GPA  0x0000001234567abcull /* every level's index nonzero */
#define HOST 0x0000000040000000ull /* host frames handed out from here */

#define WB_LEAF (6ull << EPT_MT_SHIFT) /* write-back leaf memory type */

typedef struct {
  pg_mem_t *mem;
  uint64_t next;     /* next free host frame */
  uint64_t eptp;     /* 4-level, WB, A/D off */
  uint64_t table[5]; /* [level - 1]: the table of that level on GPA's path */
} ex_t;

static uint64_t frame(ex_t *x) {
  uint64_t pa = x->next;
  x->next += 0x1000;
  return pa;
}

static uint64_t entry_pa(ex_t *x, unsigned level) {
  return pg_entry_addr(x->table[level - 1], GPA, (int)level);
}

static uint64_t get(ex_t *x, unsigned level) {
  return pg_mem_read(x->mem, entry_pa(x, level), 8);
}

static void set(ex_t *x, unsigned level, uint64_t e) {
  pg_mem_write(x->mem, entry_pa(x, level), e, 8);
}

/* GPA mapped by LEVELS levels of full rights down to a 4 KiB page at DATA. */
static void build(ex_t *x, unsigned levels) {
  for (unsigned l = levels; l >= 1; l--)
    x->table[l - 1] = frame(x);
  for (unsigned l = levels; l >= 2; l--)
    set(x, l, x->table[l - 2] | EPT_RWX);
  set(x, 1, frame(x) | EPT_RWX | WB_LEAF);
  x->eptp = x->table[levels - 1] | EPTP_MT_WB | ((uint64_t)(levels - 1) << EPTP_PWL_SHIFT);
}

static int setup(void **state) {
  ex_t *x = calloc(1, sizeof *x);
  x->mem = pg_mem_new();
  x->next = HOST;
  build(x, 4);
  *state = x;
  return 0;
}

static int teardown(void **state) {
  ex_t *x = *state;
  pg_mem_free(x->mem);
  free(x);
  return 0;
}

static pg_ept_walk_t walk(ex_t *x, unsigned need) {
  pg_ept_walk_t w;
  pg_ept_translate(x->mem, x->eptp, GPA, need, &w);
  return w;
}

/* ---- the EPTP ------------------------------------------------------------------------ */

static void test_eptp_checks(void **state) {
  ex_t *x = *state;
  assert_true(pg_eptp_valid(x->eptp));
  assert_true(pg_eptp_valid((x->eptp & ~EPTP_MT_MASK) | EPTP_MT_UC));
  assert_true(pg_eptp_valid(x->eptp | EPTP_AD));
  for (uint64_t mt = 1; mt < 8; mt++)
    if (mt != EPTP_MT_WB)
      assert_false(pg_eptp_valid((x->eptp & ~EPTP_MT_MASK) | mt));
  uint64_t pwl = 7ull << EPTP_PWL_SHIFT;
  assert_true(pg_eptp_valid((x->eptp & ~pwl) | (4ull << EPTP_PWL_SHIFT))); /* 5 levels */
  assert_false(pg_eptp_valid((x->eptp & ~pwl) | (2ull << EPTP_PWL_SHIFT)));
  assert_false(pg_eptp_valid((x->eptp & ~pwl) | (5ull << EPTP_PWL_SHIFT)));
  for (unsigned b = 7; b < 12; b++)
    assert_false(pg_eptp_valid(x->eptp | (1ull << b)));
  assert_false(pg_eptp_valid(x->eptp | (1ull << 52)));
  assert_false(pg_eptp_valid(x->eptp | (1ull << 63)));
}

/* ---- walks and page sizes --------------------------------------------------------------- */

static void test_4k_walk_reads_four(void **state) {
  ex_t *x = *state;
  pg_ept_walk_t w = walk(x, EPT_R);
  assert_int_equal(w.status, PG_EPT_OK);
  assert_int_equal(w.reads, 4);
  assert_int_equal(w.level, 1);
  assert_int_equal(w.memtype, 6);
  assert_int_equal(w.hpa, (get(x, 1) & EPT_ADDR_MASK) | (GPA & 0xfff));
  assert_int_equal(w.rwx, 7);
}

static void test_5_level_walk_reads_five(void **state) {
  ex_t *x = *state;
  build(x, 5);
  pg_ept_walk_t w = walk(x, EPT_X);
  assert_int_equal(w.status, PG_EPT_OK);
  assert_int_equal(w.reads, 5);
  assert_int_equal(w.hpa, (get(x, 1) & EPT_ADDR_MASK) | (GPA & 0xfff));
}

static void test_2m_and_1g_pages(void **state) {
  ex_t *x = *state;
  set(x, 2, 0x00000000c0200000ull | EPT_PS | EPT_RWX | WB_LEAF);
  pg_ept_walk_t w = walk(x, EPT_R);
  assert_int_equal(w.status, PG_EPT_OK);
  assert_int_equal(w.reads, 3);
  assert_int_equal(w.level, 2);
  assert_int_equal(w.hpa, 0x00000000c0200000ull | (GPA & 0x1fffff));
  set(x, 3, 0x0000000080000000ull | EPT_PS | EPT_RWX | WB_LEAF);
  w = walk(x, EPT_R);
  assert_int_equal(w.status, PG_EPT_OK);
  assert_int_equal(w.reads, 2);
  assert_int_equal(w.hpa, 0x0000000080000000ull | (GPA & 0x3fffffff));
}

/* ---- not present: a violation, whatever else the entry holds ---------------------------- */

static void test_not_present_each_level(void **state) {
  ex_t *x = *state;
  for (unsigned l = 4; l >= 1; l--) {
    uint64_t keep = get(x, l);
    set(x, l, keep & ~EPT_RWX & ~0xf8ull); /* bits 7:3 too: ignored, not reserved */
    set(x, l, get(x, l) | (7ull << EPT_MT_SHIFT));
    pg_ept_walk_t w = walk(x, EPT_R);
    assert_int_equal(w.status, PG_EPT_VIOLATION);
    assert_int_equal(w.level, l);
    assert_int_equal(w.reads, 5 - l);
    assert_int_equal(w.rwx, 0);
    set(x, l, keep);
  }
}

/* ---- misconfigurations ------------------------------------------------------------------- */

static void test_write_without_read(void **state) {
  ex_t *x = *state;
  for (unsigned l = 4; l >= 1; l--) {
    uint64_t keep = get(x, l);
    set(x, l, (keep & ~EPT_RWX) | EPT_W);
    assert_int_equal(walk(x, EPT_R).status, PG_EPT_MISCONFIG);
    set(x, l, (keep & ~EPT_RWX) | EPT_W | EPT_X);
    pg_ept_walk_t w = walk(x, EPT_X);
    assert_int_equal(w.status, PG_EPT_MISCONFIG);
    assert_int_equal(w.level, l);
    set(x, l, keep);
  }
}

static void test_execute_only_is_legal(void **state) {
  ex_t *x = *state;
  set(x, 1, (get(x, 1) & ~EPT_RWX) | EPT_X);
  assert_int_equal(walk(x, EPT_X).status, PG_EPT_OK);
  pg_ept_walk_t w = walk(x, EPT_R);
  assert_int_equal(w.status, PG_EPT_VIOLATION);
  assert_int_equal(w.rwx, EPT_X);
}

static void test_reserved_bits_by_level(void **state) {
  ex_t *x = *state;
  /* PML4E: bits 7:3 (bit 7: no 512 GiB page). */
  for (unsigned b = 3; b <= 7; b++) {
    uint64_t keep = get(x, 4);
    set(x, 4, keep | (1ull << b));
    assert_int_equal(walk(x, EPT_R).status, PG_EPT_MISCONFIG);
    set(x, 4, keep);
  }
  /* Non-leaf PDPTE and PDE: bits 6:3. */
  for (unsigned l = 3; l >= 2; l--)
    for (unsigned b = 3; b <= 6; b++) {
      uint64_t keep = get(x, l);
      set(x, l, keep | (1ull << b));
      assert_int_equal(walk(x, EPT_R).status, PG_EPT_MISCONFIG);
      set(x, l, keep);
    }
  /* Ignored bits: 8 (A with A/D off), 10, 11, 52-63 in every entry. */
  for (unsigned l = 4; l >= 1; l--)
    set(x, l, get(x, l) | (1ull << 10) | (1ull << 11) | (0xfffull << 52));
  assert_int_equal(walk(x, EPT_R).status, PG_EPT_OK);
  /* 2 MiB leaf: bits 20:12; 1 GiB leaf: bits 29:12. */
  uint64_t pde = get(x, 2);
  set(x, 2, 0x00000000c0200000ull | EPT_PS | EPT_RWX | WB_LEAF | (1ull << 20));
  assert_int_equal(walk(x, EPT_R).status, PG_EPT_MISCONFIG);
  set(x, 2, 0x00000000c0200000ull | EPT_PS | EPT_RWX | WB_LEAF | (1ull << 21));
  assert_int_equal(walk(x, EPT_R).status, PG_EPT_OK);
  set(x, 2, pde);
  set(x, 3, 0x0000000080000000ull | EPT_PS | EPT_RWX | WB_LEAF | (1ull << 29));
  assert_int_equal(walk(x, EPT_R).status, PG_EPT_MISCONFIG);
  set(x, 3, 0x0000000080000000ull | EPT_PS | EPT_RWX | WB_LEAF | (1ull << 12));
  assert_int_equal(walk(x, EPT_R).status, PG_EPT_MISCONFIG);
}

static void test_leaf_memory_types(void **state) {
  ex_t *x = *state;
  uint64_t keep = get(x, 1);
  for (uint64_t mt = 0; mt < 8; mt++) {
    set(x, 1, (keep & ~(7ull << EPT_MT_SHIFT)) | (mt << EPT_MT_SHIFT));
    pg_ept_walk_t w = walk(x, EPT_R);
    int reserved = mt == 2 || mt == 3 || mt == 7;
    assert_int_equal(w.status, reserved ? PG_EPT_MISCONFIG : PG_EPT_OK);
    if (!reserved)
      assert_int_equal(w.memtype, mt);
  }
  /* Bit 7 of a PTE is ignored. */
  set(x, 1, keep | EPT_PS);
  assert_int_equal(walk(x, EPT_R).status, PG_EPT_OK);
}

/* A deeper misconfiguration wins over rights an upper level lacks: a
 * violation happens only when the translation is not misconfigured. */
static void test_misconfig_before_violation(void **state) {
  ex_t *x = *state;
  set(x, 4, get(x, 4) & ~EPT_W);
  set(x, 1, (get(x, 1) & ~(7ull << EPT_MT_SHIFT)) | (3ull << EPT_MT_SHIFT));
  assert_int_equal(walk(x, EPT_W).status, PG_EPT_MISCONFIG);
}

/* ---- rights ----------------------------------------------------------------------------- */

static void test_rights_are_the_and_of_levels(void **state) {
  ex_t *x = *state;
  static const unsigned needs[] = {EPT_R, EPT_W, EPT_X};
  for (unsigned l = 4; l >= 1; l--)
    for (unsigned k = 0; k < 3; k++) {
      uint64_t keep = get(x, l);
      /* Drop the right (a write right needs read kept; dropping read drops write). */
      uint64_t e = keep & ~(uint64_t)needs[k];
      if (needs[k] == EPT_R)
        e &= ~EPT_W;
      set(x, l, e);
      pg_ept_walk_t w = walk(x, needs[k]);
      assert_int_equal(w.status, PG_EPT_VIOLATION);
      assert_int_equal(w.rwx, e & EPT_RWX);
      for (unsigned j = 0; j < 3; j++)
        if ((e & needs[j]) == needs[j] && needs[j] != needs[k])
          assert_int_equal(walk(x, needs[j]).status, PG_EPT_OK);
      set(x, l, keep);
    }
}

/* ---- accessed and dirty flags ------------------------------------------------------------ */

static void test_ad_off_writes_nothing(void **state) {
  ex_t *x = *state;
  uint64_t before[4];
  for (unsigned l = 1; l <= 4; l++)
    before[l - 1] = get(x, l);
  assert_int_equal(walk(x, EPT_W).status, PG_EPT_OK);
  for (unsigned l = 1; l <= 4; l++)
    assert_int_equal(get(x, l), before[l - 1]);
}

static void test_ad_read_sets_a_only(void **state) {
  ex_t *x = *state;
  x->eptp |= EPTP_AD;
  assert_int_equal(walk(x, EPT_R).status, PG_EPT_OK);
  for (unsigned l = 1; l <= 4; l++) {
    assert_true(get(x, l) & EPT_A);
    assert_false(get(x, l) & EPT_D);
  }
}

static void test_ad_write_sets_leaf_d(void **state) {
  ex_t *x = *state;
  x->eptp |= EPTP_AD;
  set(x, 2, 0x00000000c0200000ull | EPT_PS | EPT_RWX | WB_LEAF);
  assert_int_equal(walk(x, EPT_W).status, PG_EPT_OK);
  assert_true(get(x, 2) & EPT_D);
  assert_true(get(x, 2) & EPT_A);
  assert_false(get(x, 3) & EPT_D); /* bit 9 of a non-leaf is ignored, never set */
  assert_true(get(x, 3) & EPT_A);
}

static void test_ad_failed_walk_writes_nothing(void **state) {
  ex_t *x = *state;
  x->eptp |= EPTP_AD;
  set(x, 1, get(x, 1) & ~EPT_W);
  assert_int_equal(walk(x, EPT_W).status, PG_EPT_VIOLATION);
  for (unsigned l = 1; l <= 4; l++)
    assert_false(get(x, l) & (EPT_A | EPT_D));
  set(x, 1, get(x, 1) | (3ull << EPT_MT_SHIFT | EPT_W));
  assert_int_equal(walk(x, EPT_R).status, PG_EPT_MISCONFIG);
  for (unsigned l = 2; l <= 4; l++)
    assert_false(get(x, l) & EPT_A);
}

/* ---- the exit qualification ---------------------------------------------------------------- */

static void test_qualification_bits(void **state) {
  ex_t *x = *state;
  set(x, 2, get(x, 2) & ~EPT_X); /* readable and writable, not executable */
  pg_ept_walk_t w = walk(x, EPT_X);
  assert_int_equal(w.status, PG_EPT_VIOLATION);
  assert_int_equal(pg_ept_qualification(EPT_QUAL_FETCH, &w, 1, 1), 0x4 | 0x8 | 0x10 | 0x80 | 0x100);
  /* A guest paging-structure access (not the final translation). */
  assert_int_equal(pg_ept_qualification(EPT_QUAL_READ, &w, 1, 0), 0x1 | 0x8 | 0x10 | 0x80);
  /* With EPT A/D a guest paging-structure access is a write: read and write bits. */
  set(x, 2, get(x, 2) & ~EPT_W);
  w = walk(x, EPT_W);
  assert_int_equal(pg_ept_qualification(EPT_QUAL_READ | EPT_QUAL_WRITE, &w, 1, 0),
                   0x1 | 0x2 | 0x8 | 0x80);
  /* No linear address: bit 8 is 0 whatever FINAL says. */
  assert_int_equal(pg_ept_qualification(EPT_QUAL_WRITE, &w, 0, 1), 0x2 | 0x8);
  /* A not-present entry: no right in bits 5:3. */
  set(x, 3, 0);
  w = walk(x, EPT_R);
  assert_int_equal(pg_ept_qualification(EPT_QUAL_READ, &w, 1, 1), 0x1 | 0x80 | 0x100);
}

static void test_table_outside_ram(void **state) {
  ex_t *x = *state;
  set(x, 3, 0x00000000f0000000ull | EPT_RWX); /* a PD in the device window */
  pg_ept_walk_t w = walk(x, EPT_R);
  assert_int_equal(w.status, PG_EPT_BUS);
  assert_int_equal(w.level, 2);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void) {
  const struct CMUnitTest tests[] = {
      T(test_eptp_checks),
      T(test_4k_walk_reads_four),
      T(test_5_level_walk_reads_five),
      T(test_2m_and_1g_pages),
      T(test_not_present_each_level),
      T(test_write_without_read),
      T(test_execute_only_is_legal),
      T(test_reserved_bits_by_level),
      T(test_leaf_memory_types),
      T(test_misconfig_before_violation),
      T(test_rights_are_the_and_of_levels),
      T(test_ad_off_writes_nothing),
      T(test_ad_read_sets_a_only),
      T(test_ad_write_sets_leaf_d),
      T(test_ad_failed_walk_writes_nothing),
      T(test_qualification_bits),
      T(test_table_outside_ram),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
