/* SPDX-License-Identifier: MIT */
/* test_paging.c — every x86-64 translation rule of SPEC §3, one test (or
 * more) each. Expected error codes are written out from the SDM's rules:
 * P=0x1 W=0x2 U=0x4 RSVD=0x8 I/D=0x10. */
#include "fixture.h"

#define UVA 0x0000000000400000ull /* user address */
#define KVA 0xffff800000200000ull /* supervisor (canonical high half) */

/* ---- canonical addresses ------------------------------------------------- */

static void test_noncanonical_is_gp_and_leaves_cr2(void **state) {
  fx_t *f = *state;
  fx_map(f, UVA, fx_frame(f), PG_SIZE_4K, 0); /* supervisor read-only page */
  pg_result_t r = fx_load(f, 1, UVA);         /* user load: #PF, CR2 = UVA */
  assert_pf(r, PF_ERR_P | PF_ERR_U);
  assert_int_equal(pg_model_cr2(f->m), UVA);

  uint64_t reads = fx_c(f)->walk_reads, dmiss = fx_c(f)->dtlb_misses;
  r = fx_load(f, 0, 0x0000800000000000ull); /* bit 47 set, 63:48 clear */
  assert_int_equal(r.status, PG_ST_GP);
  r = fx_store(f, 1, 0xfff0000000000000ull, 1);
  assert_int_equal(r.status, PG_ST_GP);
  r = fx_fetch(f, 0, 0x7fff800000000000ull);
  assert_int_equal(r.status, PG_ST_GP);
  assert_int_equal(pg_model_cr2(f->m), UVA);
  assert_int_equal(fx_c(f)->gp_faults, 3);
  assert_int_equal(fx_c(f)->walk_reads, reads);  /* nothing read */
  assert_int_equal(fx_c(f)->dtlb_misses, dmiss); /* no TLB lookup */
  /* The highest canonical addresses do translate. */
  fx_map(f, 0xfffffffffffff000ull, fx_frame(f), PG_SIZE_4K, PTE_RW);
  assert_ok(fx_load(f, 0, 0xfffffffffffff000ull));
}

/* ---- rights accumulate across levels ------------------------------------ */

static void test_pde_without_us_makes_user_pte_fault(void **state) {
  fx_t *f = *state;
  fx_map(f, UVA, fx_frame(f), PG_SIZE_4K, PTE_RW | PTE_US);
  assert_ok(fx_load(f, 1, UVA));
  fx_entry_update(f, UVA, 2, 0, PTE_US); /* PDE: supervisor only */
  pg_model_invlpg(f->m, UVA);
  assert_pf(fx_load(f, 1, UVA), PF_ERR_P | PF_ERR_U);
  assert_int_equal(fx_c(f)->pf_user, 1);
  assert_ok(fx_load(f, 0, UVA)); /* supervisor still may read */
}

static void test_pml4e_without_rw_makes_user_store_fault(void **state) {
  fx_t *f = *state;
  fx_map(f, UVA, fx_frame(f), PG_SIZE_4K, PTE_RW | PTE_US);
  fx_entry_update(f, UVA, 4, 0, PTE_RW);
  assert_pf(fx_store(f, 1, UVA, 1), PF_ERR_P | PF_ERR_W | PF_ERR_U);
  assert_ok(fx_load(f, 1, UVA));
  assert_int_equal(fx_c(f)->pf_write, 1);
}

static void test_supervisor_write_to_readonly_obeys_wp(void **state) {
  fx_t *f = *state;
  fx_map(f, KVA, fx_frame(f), PG_SIZE_4K, 0);
  fx_map(f, UVA, fx_frame(f), PG_SIZE_4K, PTE_US); /* user read-only */
  fx_ctl(f, PG_CTL_WP, 0);
  assert_ok(fx_store(f, 0, KVA, 7));
  assert_ok(fx_store(f, 0, UVA, 7)); /* WP=0 lets supervisor write user RO pages too */
  fx_ctl(f, PG_CTL_WP, 1);
  /* No flush on a WP toggle: the check uses the current WP. */
  assert_pf(fx_store(f, 0, KVA, 8), PF_ERR_P | PF_ERR_W);
  assert_pf(fx_store(f, 0, UVA, 8), PF_ERR_P | PF_ERR_W);
  assert_int_equal(pg_mem_read(pg_model_mem(f->m), fx_entry(f, KVA, 1) & PTE_ADDR, 8), 7);
}

static void test_user_store_to_readonly_faults_regardless_of_wp(void **state) {
  fx_t *f = *state;
  fx_map(f, UVA, fx_frame(f), PG_SIZE_4K, PTE_US);
  fx_ctl(f, PG_CTL_WP, 0);
  assert_pf(fx_store(f, 1, UVA, 1), PF_ERR_P | PF_ERR_W | PF_ERR_U);
}

static void test_user_access_to_supervisor_page_faults_even_with_ac(void **state) {
  fx_t *f = *state;
  fx_map(f, KVA, fx_frame(f), PG_SIZE_4K, PTE_RW);
  assert_pf(fx_acc(f, PG_OP_LOAD, 1, KVA, 8, 0, 1), PF_ERR_P | PF_ERR_U);
  assert_pf(fx_acc(f, PG_OP_STORE, 1, KVA, 8, 0, 1), PF_ERR_P | PF_ERR_W | PF_ERR_U);
}

/* ---- reserved bits -------------------------------------------------------- */

static void test_xd_with_nxe_off_is_reserved_and_rsvd_comes_with_p(void **state) {
  fx_t *f = *state;
  fx_map(f, UVA, fx_frame(f), PG_SIZE_4K, PTE_RW | PTE_US | PTE_XD);
  assert_pf(fx_load(f, 1, UVA), PF_ERR_P | PF_ERR_U | PF_ERR_RSVD);
  assert_int_equal(fx_c(f)->pf_reserved, 1);
  /* The same entry is legal once NXE=1. */
  fx_ctl(f, PG_CTL_NXE, 1);
  assert_ok(fx_load(f, 1, UVA));
  /* XD=1 in a non-leaf entry is reserved too when NXE=0. */
  fx_ctl(f, PG_CTL_NXE, 0);
  pg_model_invlpg(f->m, UVA);
  fx_entry_update(f, UVA, 1, 0, PTE_XD);
  fx_entry_update(f, UVA, 3, PTE_XD, 0);
  assert_pf(fx_load(f, 0, UVA), PF_ERR_P | PF_ERR_RSVD);
}

static void test_ps_in_pml4e_is_reserved(void **state) {
  fx_t *f = *state;
  fx_map(f, UVA, fx_frame(f), PG_SIZE_4K, PTE_RW | PTE_US);
  fx_entry_update(f, UVA, 4, PTE_PS, 0);
  assert_pf(fx_store(f, 1, UVA, 1), PF_ERR_P | PF_ERR_W | PF_ERR_U | PF_ERR_RSVD);
}

static void test_2m_frame_bit13_reserved_bit12_is_pat(void **state) {
  fx_t *f = *state;
  uint64_t frame;
  assert_int_equal(os_frames_alloc_size(&f->fr, PG_SIZE_2M, &frame), OS_OK);
  fx_map(f, 0x40000000ull, frame, PG_SIZE_2M, PTE_RW | PTE_LARGE_PAT);
  pg_result_t r = fx_load(f, 0, 0x40000000ull + 0x12348);
  assert_ok(r);
  assert_int_equal(r.pa, frame + 0x12348); /* bit 12 is PAT, not address */
  fx_entry_update(f, 0x40000000ull, 2, 1ull << 13, 0);
  pg_model_invlpg(f->m, 0x40000000ull);
  assert_pf(fx_load(f, 0, 0x40000000ull), PF_ERR_P | PF_ERR_RSVD);
  /* Bit 20, the top of the reserved range, too; bit 21 is address. */
  fx_entry_update(f, 0x40000000ull, 2, 1ull << 20, 1ull << 13);
  assert_pf(fx_load(f, 0, 0x40000000ull), PF_ERR_P | PF_ERR_RSVD);
}

static void test_1g_frame_low_bits_reserved(void **state) {
  fx_t *f = *state;
  uint64_t va = 0x0000008000000000ull; /* its own PML4E */
  fx_map(f, va, 0x40000000ull, PG_SIZE_1G, PTE_RW | PTE_LARGE_PAT);
  pg_result_t r = fx_load(f, 0, va + 0x3ffffff8ull);
  assert_ok(r);
  assert_int_equal(r.pa, 0x7ffffff8ull);
  fx_entry_update(f, va, 3, 1ull << 29, 0);
  pg_model_invlpg(f->m, va);
  assert_pf(fx_load(f, 0, va), PF_ERR_P | PF_ERR_RSVD);
  fx_entry_update(f, va, 3, 1ull << 13, 1ull << 29);
  assert_pf(fx_load(f, 0, va), PF_ERR_P | PF_ERR_RSVD);
}

static void test_pat_bit_of_pte_is_not_reserved(void **state) {
  fx_t *f = *state;
  fx_map(f, UVA, fx_frame(f), PG_SIZE_4K, PTE_PAT | PTE_RW);
  assert_ok(fx_load(f, 0, UVA));
}

static void test_reserved_bits_ignored_when_not_present(void **state) {
  fx_t *f = *state;
  fx_map(f, UVA, fx_frame(f), PG_SIZE_4K, PTE_RW);
  /* P=0 with XD set (NXE=0) and junk: a plain not-present fault. */
  assert_int_equal(os_entry_set(&f->as, UVA, 1, PTE_XD | PTE_PS | 0x1000), OS_OK);
  assert_pf(fx_load(f, 0, UVA), 0);
  assert_int_equal(fx_c(f)->pf_not_present, 1);
  assert_int_equal(fx_c(f)->pf_reserved, 0);
}

/* ---- SMAP / SMEP / NX and the I/D bit --------------------------------------- */

static void test_smap_faults_without_ac_and_passes_with_it(void **state) {
  fx_t *f = *state;
  fx_map(f, UVA, fx_frame(f), PG_SIZE_4K, PTE_RW | PTE_US);
  fx_ctl(f, PG_CTL_SMAP, 1);
  assert_pf(fx_load(f, 0, UVA), PF_ERR_P);
  assert_pf(fx_store(f, 0, UVA, 1), PF_ERR_P | PF_ERR_W);
  assert_int_equal(fx_c(f)->pf_smap, 2);
  assert_ok(fx_acc(f, PG_OP_LOAD, 0, UVA, 8, 0, 1));
  assert_ok(fx_acc(f, PG_OP_STORE, 0, UVA, 8, 5, 1));
  /* A later access without AC must not ride on the cached entry. */
  assert_pf(fx_load(f, 0, UVA), PF_ERR_P);
  /* SMAP does not apply to user accesses nor, when off, to supervisor ones. */
  assert_ok(fx_load(f, 1, UVA));
  fx_ctl(f, PG_CTL_SMAP, 0);
  assert_ok(fx_load(f, 0, UVA));
}

static void test_smep_blocks_supervisor_fetch_from_user_page(void **state) {
  fx_t *f = *state;
  fx_map(f, UVA, fx_frame(f), PG_SIZE_4K, PTE_US);
  fx_map(f, KVA, fx_frame(f), PG_SIZE_4K, 0);
  assert_ok(fx_fetch(f, 0, UVA)); /* SMEP off */
  fx_ctl(f, PG_CTL_SMEP, 1);
  assert_pf(fx_fetch(f, 0, UVA), PF_ERR_P | PF_ERR_ID);
  assert_int_equal(fx_c(f)->pf_smep, 1);
  assert_ok(fx_fetch(f, 1, UVA)); /* user fetch of a user page */
  assert_ok(fx_fetch(f, 0, KVA)); /* supervisor fetch of a supervisor page */
  assert_ok(fx_load(f, 0, UVA));  /* SMEP is about fetches only */
}

static void test_nx_blocks_fetch_at_any_level(void **state) {
  fx_t *f = *state;
  fx_ctl(f, PG_CTL_NXE, 1);
  fx_map(f, UVA, fx_frame(f), PG_SIZE_4K, PTE_US | PTE_RW | PTE_XD);
  assert_ok(fx_load(f, 1, UVA));
  assert_pf(fx_fetch(f, 1, UVA), PF_ERR_P | PF_ERR_U | PF_ERR_ID);
  assert_int_equal(fx_c(f)->pf_nx, 1);
  /* XD in the PDPTE only. */
  fx_entry_update(f, UVA, 1, 0, PTE_XD);
  fx_entry_update(f, UVA, 3, PTE_XD, 0);
  assert_pf(fx_fetch(f, 0, UVA), PF_ERR_P | PF_ERR_ID);
  /* NXE off: XD=1 is now reserved, reported with P and RSVD. */
  fx_ctl(f, PG_CTL_NXE, 0);
  assert_pf(fx_fetch(f, 0, UVA), PF_ERR_P | PF_ERR_RSVD);
}

static void test_id_bit_only_with_nxe_or_smep(void **state) {
  fx_t *f = *state;
  uint64_t va = UVA + 0x5000; /* never mapped */
  fx_map(f, UVA, fx_frame(f), PG_SIZE_4K, PTE_US);
  assert_pf(fx_fetch(f, 1, va), PF_ERR_U);
  fx_ctl(f, PG_CTL_NXE, 1);
  assert_pf(fx_fetch(f, 1, va), PF_ERR_U | PF_ERR_ID);
  fx_ctl(f, PG_CTL_NXE, 0);
  fx_ctl(f, PG_CTL_SMEP, 1);
  assert_pf(fx_fetch(f, 1, va), PF_ERR_U | PF_ERR_ID);
  assert_pf(fx_load(f, 1, va), PF_ERR_U); /* never on data accesses */
}

/* ---- CR2 --------------------------------------------------------------------- */

static void test_cr2_is_the_faulting_address(void **state) {
  fx_t *f = *state;
  fx_map(f, UVA, fx_frame(f), PG_SIZE_4K, PTE_US);
  assert_pf(fx_acc(f, PG_OP_STORE, 1, UVA + 0x7f8, 8, 1, 0), PF_ERR_P | PF_ERR_W | PF_ERR_U);
  assert_int_equal(pg_model_cr2(f->m), UVA + 0x7f8);
  assert_ok(fx_load(f, 1, UVA + 8)); /* success leaves CR2 alone */
  assert_int_equal(pg_model_cr2(f->m), UVA + 0x7f8);
}

/* ---- accessed and dirty --------------------------------------------------------- */

static void test_load_sets_a_everywhere_store_sets_d(void **state) {
  fx_t *f = *state;
  fx_map(f, UVA, fx_frame(f), PG_SIZE_4K, PTE_RW | PTE_US);
  for (int l = 4; l >= 1; l--)
    assert_false(fx_entry(f, UVA, l) & (PTE_A | PTE_D));
  assert_ok(fx_load(f, 1, UVA));
  for (int l = 4; l >= 1; l--)
    assert_true(fx_entry(f, UVA, l) & PTE_A);
  assert_false(fx_entry(f, UVA, 1) & PTE_D);
  for (int l = 4; l >= 2; l--)
    assert_false(fx_entry(f, UVA, l) & PTE_D); /* D only in the leaf */
  assert_int_equal(fx_c(f)->walk_writes, 4);
}

static void test_store_on_clean_tlb_entry_walks_again_and_sets_d(void **state) {
  fx_t *f = *state;
  fx_map(f, UVA, fx_frame(f), PG_SIZE_4K, PTE_RW | PTE_US);
  assert_ok(fx_load(f, 1, UVA));
  assert_ok(fx_load(f, 1, UVA));
  assert_int_equal(fx_c(f)->walks, 1);
  assert_int_equal(fx_c(f)->dtlb_hits, 1);
  assert_false(fx_entry(f, UVA, 1) & PTE_D);
  assert_ok(fx_store(f, 1, UVA, 9));
  assert_int_equal(fx_c(f)->walks, 2); /* the clean entry did not satisfy it */
  assert_int_equal(fx_c(f)->dtlb_misses, 2);
  assert_int_equal(fx_c(f)->l2tlb_misses, 2);
  assert_true(fx_entry(f, UVA, 1) & PTE_D);
  assert_ok(fx_store(f, 1, UVA, 10)); /* now dirty in the TLB: a hit */
  assert_int_equal(fx_c(f)->walks, 2);
  assert_int_equal(fx_c(f)->dtlb_hits, 2);
}

static void test_upper_a_bits_stay_after_leaf_fault_leaf_a_does_not(void **state) {
  fx_t *f = *state;
  fx_map(f, UVA, fx_frame(f), PG_SIZE_4K, PTE_US); /* read-only user page */
  assert_pf(fx_store(f, 1, UVA, 1), PF_ERR_P | PF_ERR_W | PF_ERR_U);
  for (int l = 4; l >= 2; l--)
    assert_true(fx_entry(f, UVA, l) & PTE_A);
  assert_false(fx_entry(f, UVA, 1) & (PTE_A | PTE_D));
  /* A not-present leaf: the upper levels are set, the leaf untouched. */
  uint64_t va2 = UVA + 0x200000; /* another PD entry, same PDPT */
  fx_map(f, va2, fx_frame(f), PG_SIZE_4K, PTE_US);
  assert_int_equal(os_entry_set(&f->as, va2, 1, 0x12345000), OS_OK);
  assert_pf(fx_load(f, 1, va2), PF_ERR_U);
  assert_true(fx_entry(f, va2, 2) & PTE_A);
  assert_int_equal(fx_entry(f, va2, 1), 0x12345000);
}

static void test_a_d_in_large_leaves(void **state) {
  fx_t *f = *state;
  uint64_t frame;
  assert_int_equal(os_frames_alloc_size(&f->fr, PG_SIZE_2M, &frame), OS_OK);
  fx_map(f, 0x40000000ull, frame, PG_SIZE_2M, PTE_RW);
  assert_ok(fx_store(f, 0, 0x40001000ull, 3));
  uint64_t pde = fx_entry(f, 0x40000000ull, 2);
  assert_true((pde & PTE_A) && (pde & PTE_D) && (pde & PTE_PS));
}

/* ---- TLB behaviour: stale entries, invalidation, PCIDs, globals ---------------- */

static void test_stale_tlb_entry_is_used_until_invlpg(void **state) {
  fx_t *f = *state;
  uint64_t a = fx_frame(f), b = fx_frame(f);
  fx_map(f, UVA, a, PG_SIZE_4K, PTE_RW | PTE_US);
  assert_int_equal(fx_load(f, 1, UVA).pa, a);
  assert_int_equal(os_entry_set(&f->as, UVA, 1, b | PTE_P | PTE_RW | PTE_US), OS_OK);
  assert_int_equal(fx_load(f, 1, UVA).pa, a); /* stale, as hardware would */
  pg_model_invlpg(f->m, UVA);
  assert_int_equal(fx_load(f, 1, UVA).pa, b);
}

static void test_invlpg_drops_walk_caches(void **state) {
  fx_t *f = *state;
  fx_map(f, UVA, fx_frame(f), PG_SIZE_4K, PTE_RW | PTE_US);
  fx_map(f, UVA + 0x1000, fx_frame(f), PG_SIZE_4K, PTE_RW | PTE_US);
  assert_ok(fx_load(f, 1, UVA));
  assert_int_equal(fx_c(f)->walk_reads, 4);
  assert_ok(fx_load(f, 1, UVA + 0x1000)); /* same PT: one read */
  assert_int_equal(fx_c(f)->walk_reads, 5);
  assert_int_equal(fx_c(f)->pwc_pde_hits, 1);
  pg_model_invlpg(f->m, UVA);
  assert_int_equal(pg_tlb_count_valid(pg_model_cache(f->m, PG_PWC_PDE)), 0);
  assert_int_equal(pg_tlb_count_valid(pg_model_cache(f->m, PG_PWC_PML4E)), 0);
  assert_ok(fx_load(f, 1, UVA)); /* walk from CR3 again */
  assert_int_equal(fx_c(f)->walk_reads, 9);
  assert_ok(fx_load(f, 1, UVA + 0x1000)); /* its TLB entry survived */
  assert_int_equal(fx_c(f)->walk_reads, 9);
}

static void test_invlpg_drops_any_page_size_and_globals(void **state) {
  fx_t *f = *state;
  uint64_t frame;
  fx_ctl(f, PG_CTL_PGE, 1);
  assert_int_equal(os_frames_alloc_size(&f->fr, PG_SIZE_2M, &frame), OS_OK);
  fx_map(f, 0x40000000ull, frame, PG_SIZE_2M, PTE_RW | PTE_G);
  assert_ok(fx_load(f, 0, 0x40000000ull));
  assert_int_equal(fx_c(f)->walks, 1);
  pg_model_invlpg(f->m, 0x40123000ull); /* any address inside the 2 MiB page */
  assert_ok(fx_load(f, 0, 0x40000000ull));
  assert_int_equal(fx_c(f)->walks, 2);
}

static void test_pcids_keep_two_processes_apart(void **state) {
  fx_t *f = *state;
  os_as_t as2;
  assert_int_equal(os_as_init(&as2, &f->fr), OS_OK);
  uint64_t fa = fx_frame(f), fb = fx_frame(f);
  fx_map(f, UVA, fa, PG_SIZE_4K, PTE_RW | PTE_US);
  assert_int_equal(os_map(&as2, UVA, fb, PG_SIZE_4K, PTE_RW | PTE_US), OS_OK);
  fx_ctl(f, PG_CTL_PCIDE, 1);
  fx_ctl(f, PG_CTL_CR3, os_as_cr3(&f->as, 1));
  assert_int_equal(fx_load(f, 1, UVA).pa, fa);
  fx_ctl(f, PG_CTL_CR3, os_as_cr3(&as2, 2));
  assert_int_equal(fx_load(f, 1, UVA).pa, fb);
  /* Switch back without flushing: process 1's entry is still cached. */
  uint64_t walks = fx_c(f)->walks;
  fx_ctl(f, PG_CTL_CR3, os_as_cr3(&f->as, 1) | CR3_NOFLUSH);
  assert_int_equal(fx_load(f, 1, UVA).pa, fa);
  fx_ctl(f, PG_CTL_CR3, os_as_cr3(&as2, 2) | CR3_NOFLUSH);
  assert_int_equal(fx_load(f, 1, UVA).pa, fb);
  assert_int_equal(fx_c(f)->walks, walks);
}

static void test_cr3_bit63_keeps_the_pcid_entries(void **state) {
  fx_t *f = *state;
  fx_map(f, UVA, fx_frame(f), PG_SIZE_4K, PTE_RW | PTE_US);
  fx_ctl(f, PG_CTL_PCIDE, 1);
  fx_ctl(f, PG_CTL_CR3, os_as_cr3(&f->as, 5));
  assert_ok(fx_load(f, 1, UVA));
  fx_ctl(f, PG_CTL_CR3, os_as_cr3(&f->as, 5) | CR3_NOFLUSH);
  assert_ok(fx_load(f, 1, UVA));
  assert_int_equal(fx_c(f)->walks, 1);
  assert_int_equal(fx_c(f)->dtlb_hits, 1);
  fx_ctl(f, PG_CTL_CR3, os_as_cr3(&f->as, 5)); /* without bit 63: flushed */
  assert_ok(fx_load(f, 1, UVA));
  assert_int_equal(fx_c(f)->walks, 2);
  assert_int_equal(fx_c(f)->pwc_pde_hits, 0); /* walk caches of PCID 5 went too */
}

static void test_cr3_write_with_pcide_flushes_only_the_new_pcid(void **state) {
  fx_t *f = *state;
  fx_map(f, UVA, fx_frame(f), PG_SIZE_4K, PTE_RW | PTE_US);
  fx_ctl(f, PG_CTL_PCIDE, 1);
  fx_ctl(f, PG_CTL_CR3, os_as_cr3(&f->as, 1));
  assert_ok(fx_load(f, 1, UVA));
  fx_ctl(f, PG_CTL_CR3, os_as_cr3(&f->as, 2)); /* flushes PCID 2 only */
  fx_ctl(f, PG_CTL_CR3, os_as_cr3(&f->as, 1) | CR3_NOFLUSH);
  assert_ok(fx_load(f, 1, UVA));
  assert_int_equal(fx_c(f)->walks, 1);
}

static void test_global_pages_survive_cr3_but_not_invpcid_2(void **state) {
  fx_t *f = *state;
  fx_map(f, KVA, fx_frame(f), PG_SIZE_4K, PTE_RW | PTE_G);
  fx_map(f, UVA, fx_frame(f), PG_SIZE_4K, PTE_RW | PTE_US | PTE_G); /* G but PGE=0 below */
  assert_ok(fx_load(f, 0, UVA));
  fx_ctl(f, PG_CTL_PGE, 1);
  assert_ok(fx_load(f, 0, KVA));
  assert_int_equal(fx_c(f)->walks, 2);
  fx_ctl(f, PG_CTL_CR3, os_as_cr3(&f->as, 0));
  assert_ok(fx_load(f, 0, KVA)); /* global: survived */
  assert_int_equal(fx_c(f)->walks, 2);
  pg_model_invpcid(f->m, 3, 0, 0); /* all contexts except globals */
  assert_ok(fx_load(f, 0, KVA));
  assert_int_equal(fx_c(f)->walks, 2);
  pg_model_invpcid(f->m, 2, 0, 0); /* all contexts including globals */
  assert_ok(fx_load(f, 0, KVA));
  assert_int_equal(fx_c(f)->walks, 3);
}

static void test_g_bit_needs_pge(void **state) {
  fx_t *f = *state;
  fx_map(f, KVA, fx_frame(f), PG_SIZE_4K, PTE_RW | PTE_G);
  assert_ok(fx_load(f, 0, KVA)); /* PGE=0: cached as non-global */
  fx_ctl(f, PG_CTL_CR3, os_as_cr3(&f->as, 0));
  assert_ok(fx_load(f, 0, KVA));
  assert_int_equal(fx_c(f)->walks, 2);
}

static void test_global_page_seen_from_every_pcid(void **state) {
  fx_t *f = *state;
  fx_ctl(f, PG_CTL_PGE, 1);
  fx_ctl(f, PG_CTL_PCIDE, 1);
  fx_map(f, KVA, fx_frame(f), PG_SIZE_4K, PTE_RW | PTE_G);
  fx_ctl(f, PG_CTL_CR3, os_as_cr3(&f->as, 3));
  assert_ok(fx_load(f, 0, KVA));
  fx_ctl(f, PG_CTL_CR3, os_as_cr3(&f->as, 4));
  assert_ok(fx_load(f, 0, KVA));
  assert_int_equal(fx_c(f)->walks, 1);
  pg_model_invpcid(f->m, 1, 4, 0);   /* single context keeps globals */
  pg_model_invpcid(f->m, 1, 3, 0);   /* even of the PCID that filled them */
  pg_model_invpcid(f->m, 0, 3, KVA); /* and so does individual-address */
  assert_ok(fx_load(f, 0, KVA));
  assert_int_equal(fx_c(f)->walks, 1);
  pg_model_invlpg(f->m, KVA); /* INVLPG drops globals whatever their PCID */
  assert_ok(fx_load(f, 0, KVA));
  assert_int_equal(fx_c(f)->walks, 2);
}

static void test_invpcid_type0_and_type1(void **state) {
  fx_t *f = *state;
  fx_map(f, UVA, fx_frame(f), PG_SIZE_4K, PTE_RW | PTE_US);
  fx_map(f, UVA + 0x1000, fx_frame(f), PG_SIZE_4K, PTE_RW | PTE_US);
  fx_ctl(f, PG_CTL_PCIDE, 1);
  fx_ctl(f, PG_CTL_CR3, os_as_cr3(&f->as, 7));
  assert_ok(fx_load(f, 1, UVA));
  assert_ok(fx_load(f, 1, UVA + 0x1000));
  uint64_t w = fx_c(f)->walks;
  pg_model_invpcid(f->m, 0, 6, UVA); /* another PCID: nothing of ours */
  assert_ok(fx_load(f, 1, UVA));
  assert_int_equal(fx_c(f)->walks, w);
  pg_model_invpcid(f->m, 0, 7, UVA); /* this page only */
  assert_ok(fx_load(f, 1, UVA + 0x1000));
  assert_int_equal(fx_c(f)->walks, w);
  assert_ok(fx_load(f, 1, UVA));
  assert_int_equal(fx_c(f)->walks, w + 1);
  pg_model_invpcid(f->m, 1, 7, 0); /* the whole context */
  assert_ok(fx_load(f, 1, UVA));
  assert_ok(fx_load(f, 1, UVA + 0x1000));
  assert_int_equal(fx_c(f)->walks, w + 3);
}

static void test_pge_and_pcide_toggles_flush_everything(void **state) {
  fx_t *f = *state;
  fx_ctl(f, PG_CTL_PGE, 1);
  fx_map(f, KVA, fx_frame(f), PG_SIZE_4K, PTE_RW | PTE_G);
  assert_ok(fx_load(f, 0, KVA));
  fx_ctl(f, PG_CTL_PGE, 0);
  assert_int_equal(pg_tlb_count_valid(pg_model_cache(f->m, PG_TLB_DTLB)), 0);
  assert_int_equal(pg_tlb_count_valid(pg_model_cache(f->m, PG_TLB_L2)), 0);
  assert_int_equal(pg_tlb_count_valid(pg_model_cache(f->m, PG_PWC_PDE)), 0);
  assert_ok(fx_load(f, 0, KVA));
  fx_ctl(f, PG_CTL_PCIDE, 1);
  assert_int_equal(pg_tlb_count_valid(pg_model_cache(f->m, PG_TLB_DTLB)), 0);
  assert_ok(fx_load(f, 0, KVA));
  fx_ctl(f, PG_CTL_PCIDE, 1); /* not a toggle: nothing dropped */
  assert_int_equal(pg_tlb_count_valid(pg_model_cache(f->m, PG_TLB_DTLB)), 1);
  assert_int_equal(fx_c(f)->walks, 3);
}

static void test_fault_drops_stale_entry(void **state) {
  fx_t *f = *state;
  fx_map(f, UVA, fx_frame(f), PG_SIZE_4K, PTE_US); /* read-only */
  assert_ok(fx_load(f, 1, UVA));
  /* The kernel unmaps without INVLPG: loads still hit the stale entry. */
  assert_int_equal(os_unmap(&f->as, UVA, PG_SIZE_4K, NULL), OS_OK);
  assert_ok(fx_load(f, 1, UVA));
  /* A store is denied by the cached entry, walks, finds P=0, and the fault
   * drops the stale entry (SDM 4.10.4.1). */
  assert_pf(fx_store(f, 1, UVA, 1), PF_ERR_W | PF_ERR_U);
  assert_pf(fx_load(f, 1, UVA), PF_ERR_U);
}

static void test_faults_are_never_cached(void **state) {
  fx_t *f = *state;
  fx_map(f, UVA, fx_frame(f), PG_SIZE_4K, PTE_RW | PTE_US);
  assert_int_equal(os_entry_set(&f->as, UVA, 1, 0), OS_OK);
  assert_pf(fx_load(f, 1, UVA), PF_ERR_U);
  assert_int_equal(pg_tlb_count_valid(pg_model_cache(f->m, PG_TLB_DTLB)), 0);
  assert_int_equal(pg_tlb_count_valid(pg_model_cache(f->m, PG_TLB_L2)), 0);
  assert_int_equal(pg_tlb_count_valid(pg_model_cache(f->m, PG_PWC_PDE)), 0);
  /* The kernel maps the page; no invalidation needed for a fault. */
  assert_int_equal(os_map(&f->as, UVA, fx_frame(f), PG_SIZE_4K, PTE_RW | PTE_US), OS_OK);
  assert_ok(fx_load(f, 1, UVA));
}

/* ---- page sizes, walk caches, L2, replacement ------------------------------ */

static void test_three_page_sizes_translate(void **state) {
  fx_t *f = *state;
  uint64_t f4 = fx_frame(f), f2;
  assert_int_equal(os_frames_alloc_size(&f->fr, PG_SIZE_2M, &f2), OS_OK);
  fx_map(f, UVA, f4, PG_SIZE_4K, PTE_RW);
  fx_map(f, 0x40000000ull, f2, PG_SIZE_2M, PTE_RW);
  fx_map(f, 0x0000010000000000ull, 0x80000000ull, PG_SIZE_1G, PTE_RW);
  fx_map(f, 0x0000010040000000ull, 0xc0000000ull, PG_SIZE_1G, PTE_RW);
  assert_int_equal(fx_load(f, 0, UVA + 0xff8).pa, f4 + 0xff8);
  assert_int_equal(fx_load(f, 0, 0x401ffff8ull).pa, f2 + 0x1ffff8);
  assert_int_equal(fx_load(f, 0, 0x0000010012345678ull).pa, 0x92345678ull);
  pg_result_t r = fx_load(f, 0, 0x0000010052345678ull);
  assert_int_equal(r.status, PG_ST_BUS); /* 0xd2345678 is past RAM: bus error */
  assert_int_equal(r.pa, 0xd2345678ull);
  assert_int_equal(fx_c(f)->bus_errors, 1);
  /* Four entries, of three sizes, in the L2's three indices. */
  assert_int_equal(pg_tlb_count_valid(pg_model_cache(f->m, PG_TLB_L2)), 4);
}

static void test_walk_next_to_recent_one_reads_one_pte(void **state) {
  fx_t *f = *state;
  for (unsigned i = 0; i < 8; i++)
    fx_map(f, UVA + i * 0x1000ull, fx_frame(f), PG_SIZE_4K, PTE_RW | PTE_US);
  assert_ok(fx_load(f, 1, UVA));
  assert_int_equal(fx_c(f)->walk_reads, 4);
  for (unsigned i = 1; i < 8; i++) {
    assert_ok(fx_load(f, 1, UVA + i * 0x1000ull));
    assert_int_equal(fx_c(f)->walk_reads, 4 + i);
  }
  assert_int_equal(fx_c(f)->pwc_pde_hits, 7);
}

static void test_pdpte_and_pml4e_caches(void **state) {
  fx_t *f = *state;
  fx_map(f, UVA, fx_frame(f), PG_SIZE_4K, PTE_RW);
  fx_map(f, UVA + 0x200000, fx_frame(f), PG_SIZE_4K, PTE_RW);   /* same PD */
  fx_map(f, UVA + 0x40000000, fx_frame(f), PG_SIZE_4K, PTE_RW); /* same PDPT */
  assert_ok(fx_load(f, 0, UVA));
  assert_ok(fx_load(f, 0, UVA + 0x200000)); /* PDPTE cache: PDE + PTE */
  assert_int_equal(fx_c(f)->walk_reads, 6);
  assert_int_equal(fx_c(f)->pwc_pdpte_hits, 1);
  assert_ok(fx_load(f, 0, UVA + 0x40000000)); /* PML4E cache: PDPTE+PDE+PTE */
  assert_int_equal(fx_c(f)->walk_reads, 9);
  assert_int_equal(fx_c(f)->pwc_pml4e_hits, 1);
}

static void test_walk_cache_keeps_upper_rights(void **state) {
  fx_t *f = *state;
  fx_map(f, UVA, fx_frame(f), PG_SIZE_4K, PTE_RW | PTE_US);
  fx_map(f, UVA + 0x1000, fx_frame(f), PG_SIZE_4K, PTE_RW | PTE_US);
  fx_entry_update(f, UVA, 3, 0, PTE_RW); /* PDPTE read-only */
  assert_ok(fx_load(f, 1, UVA));
  /* The next walk starts from the PDE cache; it must still see RW=0 above. */
  assert_pf(fx_store(f, 1, UVA + 0x1000, 1), PF_ERR_P | PF_ERR_W | PF_ERR_U);
  assert_int_equal(fx_c(f)->pwc_pde_hits, 1);
}

static void test_l1_replacement_and_l2_hit(void **state) {
  fx_t *f = *state;
  for (unsigned i = 0; i < 33; i++)
    fx_map(f, UVA + i * 0x1000ull, fx_frame(f), PG_SIZE_4K, PTE_RW | PTE_US);
  for (unsigned i = 0; i < 32; i++)
    assert_ok(fx_load(f, 1, UVA + i * 0x1000ull));
  assert_int_equal(pg_tlb_count_valid(pg_model_cache(f->m, PG_TLB_DTLB)), 32);
  /* After touching ways 0..31 in order, tree-PLRU points at way 0 (page 0). */
  assert_ok(fx_load(f, 1, UVA + 32 * 0x1000ull));
  assert_int_equal(fx_c(f)->walks, 33);
  assert_ok(fx_load(f, 1, UVA + 0x1000)); /* page 1: still in L1 */
  assert_int_equal(fx_c(f)->dtlb_hits, 1);
  assert_ok(fx_load(f, 1, UVA)); /* page 0: evicted from L1, found in L2 */
  assert_int_equal(fx_c(f)->l2tlb_hits, 1);
  assert_int_equal(fx_c(f)->walks, 33);
}

static void test_l2_indexes_never_alias_page_sizes(void **state) {
  fx_t *f = *state;
  uint64_t f2;
  assert_int_equal(os_frames_alloc_size(&f->fr, PG_SIZE_2M, &f2), OS_OK);
  fx_map(f, 0x40000000ull, f2, PG_SIZE_2M, PTE_RW);
  assert_ok(fx_load(f, 0, 0x40000000ull));
  /* Evict it from the L1 with 32 other pages, then touch the 2 MiB page at an
   * offset whose 4 KiB index differs: it must hit in the L2. */
  for (unsigned i = 0; i < 32; i++) {
    fx_map(f, UVA + i * 0x1000ull, fx_frame(f), PG_SIZE_4K, PTE_RW);
    assert_ok(fx_load(f, 0, UVA + i * 0x1000ull));
  }
  uint64_t walks = fx_c(f)->walks;
  assert_int_equal(fx_load(f, 0, 0x401f3008ull).pa, f2 + 0x1f3008);
  assert_int_equal(fx_c(f)->walks, walks);
  assert_int_equal(fx_c(f)->l2tlb_hits, 1);
}

static void test_walk_outside_ram_is_bus_error(void **state) {
  fx_t *f = *state;
  fx_map(f, UVA, fx_frame(f), PG_SIZE_4K, PTE_RW);
  /* The PDE points its page table at the IOMMU's registers. */
  assert_int_equal(os_entry_set(&f->as, UVA, 2, PA_IOMMU_BASE | PTE_P | PTE_RW), OS_OK);
  pg_result_t r = fx_load(f, 0, UVA);
  assert_int_equal(r.status, PG_ST_BUS);
  assert_false(r.pa_valid);
  assert_int_equal(pg_model_cr2(f->m), 0);
  assert_int_equal(pg_tlb_count_valid(pg_model_cache(f->m, PG_TLB_DTLB)), 0);
}

static void test_counters_of_a_small_trace(void **state) {
  fx_t *f = *state;
  fx_map(f, UVA, fx_frame(f), PG_SIZE_4K, PTE_RW | PTE_US);
  fx_map(f, KVA, fx_frame(f), PG_SIZE_4K, PTE_RW);
  assert_ok(fx_load(f, 1, UVA));         /* dTLB miss, L2 miss, walk 4 reads, 4 A writes */
  assert_ok(fx_store(f, 1, UVA, 1));     /* clean: miss, walk (PDE cache) 1 read, 1 D write */
  assert_ok(fx_store(f, 1, UVA + 8, 2)); /* hit */
  assert_ok(fx_fetch(f, 1, UVA));        /* iTLB miss, L2 hit */
  assert_ok(fx_fetch(f, 1, UVA));        /* iTLB hit */
  assert_pf(fx_load(f, 1, KVA), PF_ERR_P | PF_ERR_U); /* walk 4 reads, 3 A writes */
  assert_int_equal(fx_load(f, 0, 1ull << 47).status, PG_ST_GP);
  const pg_counters_t *c = fx_c(f);
  assert_int_equal(c->loads, 3);
  assert_int_equal(c->stores, 2);
  assert_int_equal(c->fetches, 2);
  assert_int_equal(c->dtlb_hits, 1);
  assert_int_equal(c->dtlb_misses, 3);
  assert_int_equal(c->itlb_hits, 1);
  assert_int_equal(c->itlb_misses, 1);
  assert_int_equal(c->l2tlb_hits, 1);
  assert_int_equal(c->l2tlb_misses, 3);
  assert_int_equal(c->walks, 3);
  assert_int_equal(c->walk_reads, 9);
  assert_int_equal(c->walk_writes, 8);
  assert_int_equal(c->pwc_pde_hits, 1);
  assert_int_equal(c->pf_user, 1);
  assert_int_equal(c->gp_faults, 1);
  assert_int_equal(c->cycles, 7);
}

#define T(name) cmocka_unit_test_setup_teardown(name, fx_setup, fx_teardown)

int main(void) {
  const struct CMUnitTest tests[] = {
      T(test_noncanonical_is_gp_and_leaves_cr2),
      T(test_pde_without_us_makes_user_pte_fault),
      T(test_pml4e_without_rw_makes_user_store_fault),
      T(test_supervisor_write_to_readonly_obeys_wp),
      T(test_user_store_to_readonly_faults_regardless_of_wp),
      T(test_user_access_to_supervisor_page_faults_even_with_ac),
      T(test_xd_with_nxe_off_is_reserved_and_rsvd_comes_with_p),
      T(test_ps_in_pml4e_is_reserved),
      T(test_2m_frame_bit13_reserved_bit12_is_pat),
      T(test_1g_frame_low_bits_reserved),
      T(test_pat_bit_of_pte_is_not_reserved),
      T(test_reserved_bits_ignored_when_not_present),
      T(test_smap_faults_without_ac_and_passes_with_it),
      T(test_smep_blocks_supervisor_fetch_from_user_page),
      T(test_nx_blocks_fetch_at_any_level),
      T(test_id_bit_only_with_nxe_or_smep),
      T(test_cr2_is_the_faulting_address),
      T(test_load_sets_a_everywhere_store_sets_d),
      T(test_store_on_clean_tlb_entry_walks_again_and_sets_d),
      T(test_upper_a_bits_stay_after_leaf_fault_leaf_a_does_not),
      T(test_a_d_in_large_leaves),
      T(test_stale_tlb_entry_is_used_until_invlpg),
      T(test_invlpg_drops_walk_caches),
      T(test_invlpg_drops_any_page_size_and_globals),
      T(test_pcids_keep_two_processes_apart),
      T(test_cr3_bit63_keeps_the_pcid_entries),
      T(test_cr3_write_with_pcide_flushes_only_the_new_pcid),
      T(test_global_pages_survive_cr3_but_not_invpcid_2),
      T(test_g_bit_needs_pge),
      T(test_global_page_seen_from_every_pcid),
      T(test_invpcid_type0_and_type1),
      T(test_pge_and_pcide_toggles_flush_everything),
      T(test_fault_drops_stale_entry),
      T(test_faults_are_never_cached),
      T(test_three_page_sizes_translate),
      T(test_walk_next_to_recent_one_reads_one_pte),
      T(test_pdpte_and_pml4e_caches),
      T(test_walk_cache_keeps_upper_rights),
      T(test_l1_replacement_and_l2_hit),
      T(test_l2_indexes_never_alias_page_sizes),
      T(test_walk_outside_ram_is_bus_error),
      T(test_counters_of_a_small_trace),
  };
  return cmocka_run_group_tests_name("paging", tests, NULL, NULL);
}
