/* SPDX-License-Identifier: MIT */
/* test_la57_pkeys.c — 5-level paging (SDM vol. 3 4.5, CR4.LA57) and
 * protection keys (SDM 4.6.2, CR4.PKE and CR4.PKS) in the golden model, each
 * rule's boundary both ways. Error codes are written out from the SDM:
 * P=0x1 W=0x2 U=0x4 RSVD=0x8 I/D=0x10 PK=0x20. */
#include "fixture.h"

#define UVA 0x0000000000400000ull /* user address */
#define KVA 0xffff800000200000ull /* supervisor (canonical high half, 48 bits) */

/* PKRU/PKRS value with access-disable (AD) or write-disable (WD) for KEY. */
#define AD(key) (1u << (2 * (key)))
#define WD(key) (1u << (2 * (key) + 1))

/* ---- a 5-level fixture ------------------------------------------------------ */

static int fx5_setup(void **state) {
  return fx_setup_levels(state, 5);
}

/* ---- 5-level paging ----------------------------------------------------------- */

/* Above 2^47: only 5-level paging translates it. */
#define HIGH_UVA 0x0012345678000000ull /* bit 52 set, bits 63:57 clear */

static void test_la57_cold_walk_reads_five_entries(void **state) {
  fx_t *f = *state;
  fx_map(f, HIGH_UVA, fx_frame(f), PG_SIZE_4K, PTE_RW | PTE_US);
  pg_result_t r = fx_store(f, 1, HIGH_UVA, 0x57);
  assert_ok(r);
  assert_int_equal(fx_c(f)->walks, 1);
  assert_int_equal(fx_c(f)->walk_reads, 5);
  /* A set on every level as walked (the PML5E too), D on the leaf. */
  for (int level = 5; level >= 2; level--)
    assert_true(fx_entry(f, HIGH_UVA, level) & PTE_A);
  assert_true(fx_entry(f, HIGH_UVA, 1) & PTE_D);
  assert_int_equal(fx_load(f, 1, HIGH_UVA).data, 0x57);
}

static void test_la57_walk_caches_include_pml5e(void **state) {
  fx_t *f = *state;
  /* Same PML5E, different PML4E: the PML5E cache saves one read. */
  uint64_t va2 = HIGH_UVA + (1ull << 39);
  fx_map(f, HIGH_UVA, fx_frame(f), PG_SIZE_4K, PTE_RW | PTE_US);
  fx_map(f, va2, fx_frame(f), PG_SIZE_4K, PTE_RW | PTE_US);
  assert_ok(fx_load(f, 1, HIGH_UVA));
  assert_ok(fx_load(f, 1, va2));
  assert_int_equal(fx_c(f)->walk_reads, 5 + 4);
  assert_int_equal(fx_c(f)->pwc_pml5e_hits, 1);
  assert_int_equal(pg_tlb_count_valid(pg_model_cache(f->m, PG_PWC_PML5E)), 1);
  /* A neighbour page: the PDE cache, one read. */
  fx_map(f, HIGH_UVA + 0x1000, fx_frame(f), PG_SIZE_4K, PTE_RW | PTE_US);
  assert_ok(fx_load(f, 1, HIGH_UVA + 0x1000));
  assert_int_equal(fx_c(f)->walk_reads, 5 + 4 + 1);
  assert_int_equal(fx_c(f)->pwc_pml5e_hits, 1);
}

static void test_la57_canonical_boundary(void **state) {
  fx_t *f = *state;
  fx_map(f, 0x00fffffffffff000ull, fx_frame(f), PG_SIZE_4K, PTE_RW | PTE_US);
  fx_map(f, 0xff00000000000000ull, fx_frame(f), PG_SIZE_4K, PTE_RW);
  /* The highest low-half and lowest high-half 57-bit addresses translate. */
  assert_ok(fx_load(f, 1, 0x00fffffffffff000ull));
  assert_ok(fx_load(f, 0, 0xff00000000000000ull));
  /* One bit further: bit 56 set with 63:57 clear, or bit 56 clear with 63:57
   * set — #GP, nothing read, no CR2. */
  uint64_t reads = fx_c(f)->walk_reads, cr2 = pg_model_cr2(f->m);
  assert_int_equal(fx_load(f, 1, 0x0100000000000000ull).status, PG_ST_GP);
  assert_int_equal(fx_load(f, 0, 0xfe00000000000000ull).status, PG_ST_GP);
  assert_int_equal(fx_c(f)->gp_faults, 2);
  assert_int_equal(fx_c(f)->walk_reads, reads);
  assert_int_equal(pg_model_cr2(f->m), cr2);
  /* An address that is canonical only in 57 bits is a #GP with LA57 off. */
  fx_ctl(f, PG_CTL_LA57, 0);
  assert_int_equal(fx_load(f, 1, 0x00fffffffffff000ull).status, PG_ST_GP);
  assert_int_equal(fx_c(f)->gp_faults, 3);
}

static void test_la57_ps_in_pml5e_is_reserved(void **state) {
  fx_t *f = *state;
  fx_map(f, HIGH_UVA, fx_frame(f), PG_SIZE_4K, PTE_RW | PTE_US);
  fx_entry_update(f, HIGH_UVA, 5, PTE_PS, 0);
  pg_result_t r = fx_load(f, 1, HIGH_UVA);
  assert_pf(r, PF_ERR_P | PF_ERR_U | PF_ERR_RSVD);
  assert_int_equal(r.pf_level, 5);
  assert_int_equal(fx_c(f)->walk_reads, 1);
  /* Without PS the same entry walks on. */
  fx_entry_update(f, HIGH_UVA, 5, 0, PTE_PS);
  assert_ok(fx_load(f, 1, HIGH_UVA));
  /* A PML5E that is not present faults at level 5 with P=0. */
  fx_entry_update(f, HIGH_UVA, 5, 0, PTE_P);
  pg_model_invlpg(f->m, HIGH_UVA);
  r = fx_load(f, 1, HIGH_UVA);
  assert_pf(r, PF_ERR_U);
  assert_int_equal(r.pf_level, 5);
}

static void test_la57_rights_accumulate_from_pml5e(void **state) {
  fx_t *f = *state;
  fx_map(f, HIGH_UVA, fx_frame(f), PG_SIZE_4K, PTE_RW | PTE_US);
  fx_entry_update(f, HIGH_UVA, 5, 0, PTE_US | PTE_RW);
  assert_pf(fx_load(f, 1, HIGH_UVA), PF_ERR_P | PF_ERR_U);
  assert_int_equal(fx_c(f)->pf_user, 1);
  fx_ctl(f, PG_CTL_WP, 1);
  assert_pf(fx_store(f, 0, HIGH_UVA, 1), PF_ERR_P | PF_ERR_W);
  assert_ok(fx_load(f, 0, HIGH_UVA));
}

static void test_la57_toggle_flushes_everything(void **state) {
  fx_t *f = *state;
  fx_map(f, UVA, fx_frame(f), PG_SIZE_4K, PTE_RW | PTE_US);
  assert_ok(fx_load(f, 1, UVA));
  assert_true(pg_tlb_count_valid(pg_model_cache(f->m, PG_TLB_DTLB)) > 0);
  assert_true(pg_tlb_count_valid(pg_model_cache(f->m, PG_PWC_PML5E)) > 0);
  fx_ctl(f, PG_CTL_LA57, 1); /* no change: nothing dropped */
  assert_true(pg_tlb_count_valid(pg_model_cache(f->m, PG_TLB_DTLB)) > 0);
  fx_ctl(f, PG_CTL_LA57, 0);
  assert_int_equal(pg_tlb_count_valid(pg_model_cache(f->m, PG_TLB_DTLB)), 0);
  assert_int_equal(pg_tlb_count_valid(pg_model_cache(f->m, PG_TLB_L2)), 0);
  assert_int_equal(pg_tlb_count_valid(pg_model_cache(f->m, PG_PWC_PML5E)), 0);
  assert_int_equal(pg_tlb_count_valid(pg_model_cache(f->m, PG_PWC_PDE)), 0);
}

static void test_la57_invlpg_of_a_high_address(void **state) {
  fx_t *f = *state;
  uint64_t pa = fx_frame(f);
  fx_map(f, HIGH_UVA, pa, PG_SIZE_4K, PTE_RW | PTE_US);
  assert_ok(fx_load(f, 1, HIGH_UVA));
  fx_entry_update(f, HIGH_UVA, 1, 0, PTE_P);
  assert_ok(fx_load(f, 1, HIGH_UVA)); /* stale entry */
  pg_model_invlpg(f->m, HIGH_UVA);
  assert_pf(fx_load(f, 1, HIGH_UVA), PF_ERR_U);
  /* INVPCID type 0 takes a 57-bit address too. */
  fx_entry_update(f, HIGH_UVA, 1, PTE_P, 0);
  assert_ok(fx_load(f, 1, HIGH_UVA));
  unsigned n = pg_tlb_count_valid(pg_model_cache(f->m, PG_TLB_DTLB));
  pg_model_invpcid(f->m, 0, 0, HIGH_UVA);
  assert_int_equal(pg_tlb_count_valid(pg_model_cache(f->m, PG_TLB_DTLB)), n - 1);
}

static void test_four_level_mode_unchanged_by_wide_tags(void **state) {
  fx_t *f = *state; /* 4-level fixture */
  fx_map(f, KVA, fx_frame(f), PG_SIZE_4K, PTE_RW);
  assert_ok(fx_store(f, 0, KVA, 9));
  assert_int_equal(fx_c(f)->walk_reads, 4);
  assert_ok(fx_load(f, 0, KVA));
  assert_int_equal(fx_c(f)->walk_reads, 4); /* the TLB hit */
  assert_int_equal(fx_c(f)->pwc_pml5e_hits, 0);
  assert_int_equal(fx_load(f, 0, HIGH_UVA).status, PG_ST_GP);
  /* INVPCID type 0 of an address canonical only in 57 bits, with LA57 off,
   * invalidates nothing (the CPU raises #GP). */
  unsigned n = pg_tlb_count_valid(pg_model_cache(f->m, PG_TLB_DTLB));
  pg_model_invpcid(f->m, 0, 0, 0x0000800000000000ull);
  assert_int_equal(pg_tlb_count_valid(pg_model_cache(f->m, PG_TLB_DTLB)), n);
}

/* ---- protection keys: PKE and PKRU ------------------------------------------- */

static void map_user_key(fx_t *f, uint64_t va, unsigned key, uint64_t flags) {
  fx_map(f, va, fx_frame(f), PG_SIZE_4K, PTE_US | flags | os_pkey(key));
}

static void test_pkru_ad_denies_user_and_kernel_reads(void **state) {
  fx_t *f = *state;
  map_user_key(f, UVA, 3, PTE_RW);
  fx_ctl(f, PG_CTL_PKE, 1);
  fx_ctl(f, PG_CTL_PKRU, AD(3));
  assert_pf(fx_load(f, 1, UVA), PF_ERR_P | PF_ERR_U | PF_ERR_PK);
  assert_pf(fx_load(f, 0, UVA), PF_ERR_P | PF_ERR_PK); /* the kernel too */
  assert_pf(fx_store(f, 1, UVA, 1), PF_ERR_P | PF_ERR_W | PF_ERR_U | PF_ERR_PK);
  assert_int_equal(fx_c(f)->pk_faults, 3);
  assert_int_equal(pg_model_cr2(f->m), UVA);
  /* Another key's bits do not matter. */
  fx_ctl(f, PG_CTL_PKRU, ~(AD(3) | WD(3)));
  assert_ok(fx_store(f, 1, UVA, 2));
  assert_ok(fx_load(f, 0, UVA));
  /* PKE off: keys ignored whatever PKRU says. */
  fx_ctl(f, PG_CTL_PKRU, 0xffffffffu);
  fx_ctl(f, PG_CTL_PKE, 0);
  assert_ok(fx_load(f, 1, UVA));
}

static void test_pkru_wd_user_writes_and_wp(void **state) {
  fx_t *f = *state;
  map_user_key(f, UVA, 5, PTE_RW);
  fx_ctl(f, PG_CTL_PKE, 1);
  fx_ctl(f, PG_CTL_PKRU, WD(5));
  assert_ok(fx_load(f, 1, UVA)); /* WD leaves reads alone */
  assert_pf(fx_store(f, 1, UVA, 1), PF_ERR_P | PF_ERR_W | PF_ERR_U | PF_ERR_PK);
  /* A supervisor write: WD applies only with CR0.WP=1. */
  fx_ctl(f, PG_CTL_WP, 0);
  assert_ok(fx_store(f, 0, UVA, 2));
  fx_ctl(f, PG_CTL_WP, 1);
  assert_pf(fx_store(f, 0, UVA, 3), PF_ERR_P | PF_ERR_W | PF_ERR_PK);
  assert_int_equal(fx_c(f)->pk_faults, 2);
  assert_int_equal(fx_load(f, 1, UVA).data, 2);
}

static void test_keys_never_check_fetches(void **state) {
  fx_t *f = *state;
  map_user_key(f, UVA, 1, 0);
  fx_ctl(f, PG_CTL_PKE, 1);
  fx_ctl(f, PG_CTL_PKRU, AD(1) | WD(1));
  assert_ok(fx_fetch(f, 1, UVA));
  assert_ok(fx_fetch(f, 0, UVA));
  assert_pf(fx_load(f, 1, UVA), PF_ERR_P | PF_ERR_U | PF_ERR_PK);
  /* A fetch that faults for NX has no PK, even though the key denies data. */
  fx_ctl(f, PG_CTL_NXE, 1);
  fx_entry_update(f, UVA, 1, PTE_XD, 0);
  pg_model_invlpg(f->m, UVA);
  assert_pf(fx_fetch(f, 1, UVA), PF_ERR_P | PF_ERR_U | PF_ERR_ID);
}

static void test_pkru_write_needs_no_flush(void **state) {
  fx_t *f = *state;
  map_user_key(f, UVA, 7, PTE_RW);
  fx_ctl(f, PG_CTL_PKE, 1);
  assert_ok(fx_store(f, 1, UVA, 1));
  uint64_t walks = fx_c(f)->walks;
  fx_ctl(f, PG_CTL_PKRU, AD(7)); /* shut */
  assert_pf(fx_load(f, 1, UVA), PF_ERR_P | PF_ERR_U | PF_ERR_PK);
  fx_ctl(f, PG_CTL_PKRU, 0); /* open */
  assert_ok(fx_load(f, 1, UVA));
  /* The fault walked (only the walker faults) and dropped the entry; the
   * reopened access walked once more; no PKRU write flushed anything. */
  assert_int_equal(fx_c(f)->walks, walks + 2);
  assert_ok(fx_load(f, 1, UVA));
  assert_int_equal(fx_c(f)->walks, walks + 2);
}

static void test_pk_with_another_fault_sets_both(void **state) {
  fx_t *f = *state;
  map_user_key(f, UVA, 2, 0); /* read-only user page */
  fx_ctl(f, PG_CTL_PKE, 1);
  fx_ctl(f, PG_CTL_PKRU, WD(2));
  pg_result_t r = fx_store(f, 1, UVA, 1);
  assert_pf(r, PF_ERR_P | PF_ERR_W | PF_ERR_U | PF_ERR_PK);
  assert_int_equal(r.pf_kind, PG_PF_WRITE); /* the entry's right is checked first */
  assert_int_equal(fx_c(f)->pf_write, 1);
  assert_int_equal(fx_c(f)->pk_faults, 0);
  /* SMAP and AD together. */
  fx_ctl(f, PG_CTL_SMAP, 1);
  fx_ctl(f, PG_CTL_PKRU, AD(2));
  r = fx_load(f, 0, UVA);
  assert_pf(r, PF_ERR_P | PF_ERR_PK);
  assert_int_equal(r.pf_kind, PG_PF_SMAP);
  /* Not present and reserved faults carry no key. */
  fx_entry_update(f, UVA, 1, 0, PTE_P);
  assert_pf(fx_load(f, 1, UVA), PF_ERR_U);
  fx_entry_update(f, UVA, 1, PTE_P | PTE_XD, 0);
  fx_ctl(f, PG_CTL_NXE, 0);
  assert_pf(fx_load(f, 1, UVA), PF_ERR_P | PF_ERR_U | PF_ERR_RSVD);
}

static void test_pkru_applies_to_kernel_even_with_ac(void **state) {
  fx_t *f = *state;
  map_user_key(f, UVA, 3, PTE_RW);
  fx_ctl(f, PG_CTL_SMAP, 1);
  fx_ctl(f, PG_CTL_PKE, 1);
  assert_ok(fx_acc(f, PG_OP_LOAD, 0, UVA, 8, 0, 1)); /* AC=1: SMAP lets it through */
  fx_ctl(f, PG_CTL_PKRU, AD(3));
  pg_result_t r = fx_acc(f, PG_OP_LOAD, 0, UVA, 8, 0, 1);
  assert_pf(r, PF_ERR_P | PF_ERR_PK); /* AC does not open a key */
  assert_int_equal(r.pf_kind, PG_PF_PK);
}

static void test_key_only_in_the_leaf(void **state) {
  fx_t *f = *state;
  map_user_key(f, UVA, 0, PTE_RW);
  fx_entry_update(f, UVA, 2, os_pkey(9), 0); /* a key in the PDE: ignored */
  fx_ctl(f, PG_CTL_PKE, 1);
  fx_ctl(f, PG_CTL_PKRU, AD(9));
  assert_ok(fx_load(f, 1, UVA));
  fx_ctl(f, PG_CTL_PKRU, AD(0)); /* the leaf's key is 0 */
  assert_pf(fx_load(f, 1, UVA), PF_ERR_P | PF_ERR_U | PF_ERR_PK);
  /* A 2 MiB leaf carries its key in the PDE. */
  fx_map(f, 0x40000000ull, 0x40000000ull, PG_SIZE_2M, PTE_US | PTE_RW | os_pkey(15));
  fx_ctl(f, PG_CTL_PKRU, AD(15));
  assert_pf(fx_load(f, 1, 0x40000000ull), PF_ERR_P | PF_ERR_U | PF_ERR_PK);
}

static void test_pkru_does_not_touch_supervisor_pages(void **state) {
  fx_t *f = *state;
  fx_map(f, KVA, fx_frame(f), PG_SIZE_4K, PTE_RW | os_pkey(4));
  fx_ctl(f, PG_CTL_PKE, 1);
  fx_ctl(f, PG_CTL_PKRU, 0xffffffffu);
  assert_ok(fx_store(f, 0, KVA, 1));
  assert_ok(fx_load(f, 0, KVA));
}

/* ---- protection keys: PKS and IA32_PKRS -------------------------------------- */

static void test_pks_on_supervisor_page(void **state) {
  fx_t *f = *state;
  fx_map(f, KVA, fx_frame(f), PG_SIZE_4K, PTE_RW | os_pkey(6));
  fx_ctl(f, PG_CTL_PKS, 1);
  fx_ctl(f, PG_CTL_PKRS, AD(6));
  assert_pf(fx_load(f, 0, KVA), PF_ERR_P | PF_ERR_PK);
  fx_ctl(f, PG_CTL_PKRS, WD(6));
  assert_ok(fx_load(f, 0, KVA));
  fx_ctl(f, PG_CTL_WP, 0);
  assert_ok(fx_store(f, 0, KVA, 1)); /* WD with WP=0: supervisor writes pass */
  fx_ctl(f, PG_CTL_WP, 1);
  assert_pf(fx_store(f, 0, KVA, 2), PF_ERR_P | PF_ERR_W | PF_ERR_PK);
  assert_int_equal(fx_c(f)->pk_faults, 2);
  /* A user access to the supervisor page faults for U alone: IA32_PKRS
   * governs supervisor accesses. */
  fx_ctl(f, PG_CTL_PKRS, AD(6));
  assert_pf(fx_load(f, 1, KVA), PF_ERR_P | PF_ERR_U);
  /* PKS off: ignored; and PKRS never applies to user pages. */
  fx_ctl(f, PG_CTL_PKS, 0);
  assert_ok(fx_load(f, 0, KVA));
  fx_ctl(f, PG_CTL_PKS, 1);
  map_user_key(f, UVA, 6, PTE_RW);
  assert_ok(fx_load(f, 0, UVA));
  assert_ok(fx_load(f, 1, UVA));
}

static void test_pks_and_pke_are_independent(void **state) {
  fx_t *f = *state;
  fx_map(f, KVA, fx_frame(f), PG_SIZE_4K, PTE_RW | os_pkey(1));
  map_user_key(f, UVA, 1, PTE_RW);
  fx_ctl(f, PG_CTL_PKE, 1);
  fx_ctl(f, PG_CTL_PKS, 1);
  fx_ctl(f, PG_CTL_PKRU, AD(1));
  fx_ctl(f, PG_CTL_PKRS, 0);
  assert_ok(fx_load(f, 0, KVA));
  assert_pf(fx_load(f, 0, UVA), PF_ERR_P | PF_ERR_PK);
  fx_ctl(f, PG_CTL_PKRU, 0);
  fx_ctl(f, PG_CTL_PKRS, AD(1));
  assert_pf(fx_load(f, 0, KVA), PF_ERR_P | PF_ERR_PK);
  assert_ok(fx_load(f, 0, UVA));
}

static void test_keys_in_five_level_mode(void **state) {
  fx_t *f = *state;
  fx_map(f, HIGH_UVA, fx_frame(f), PG_SIZE_4K, PTE_US | PTE_RW | os_pkey(12));
  fx_ctl(f, PG_CTL_PKE, 1);
  fx_ctl(f, PG_CTL_PKRU, WD(12));
  assert_ok(fx_load(f, 1, HIGH_UVA));
  assert_pf(fx_store(f, 1, HIGH_UVA, 1), PF_ERR_P | PF_ERR_W | PF_ERR_U | PF_ERR_PK);
}

#define T(name)  cmocka_unit_test_setup_teardown(name, fx_setup, fx_teardown)
#define T5(name) cmocka_unit_test_setup_teardown(name, fx5_setup, fx_teardown)

int main(void) {
  const struct CMUnitTest tests[] = {
      T5(test_la57_cold_walk_reads_five_entries),
      T5(test_la57_walk_caches_include_pml5e),
      T5(test_la57_canonical_boundary),
      T5(test_la57_ps_in_pml5e_is_reserved),
      T5(test_la57_rights_accumulate_from_pml5e),
      T5(test_la57_toggle_flushes_everything),
      T5(test_la57_invlpg_of_a_high_address),
      T(test_four_level_mode_unchanged_by_wide_tags),
      T(test_pkru_ad_denies_user_and_kernel_reads),
      T(test_pkru_wd_user_writes_and_wp),
      T(test_keys_never_check_fetches),
      T(test_pkru_write_needs_no_flush),
      T(test_pk_with_another_fault_sets_both),
      T(test_pkru_applies_to_kernel_even_with_ac),
      T(test_key_only_in_the_leaf),
      T(test_pkru_does_not_touch_supervisor_pages),
      T(test_pks_on_supervisor_page),
      T(test_pks_and_pke_are_independent),
      T5(test_keys_in_five_level_mode),
  };
  return cmocka_run_group_tests_name("5-level paging and protection keys", tests, NULL, NULL);
}
