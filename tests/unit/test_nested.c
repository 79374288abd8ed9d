/* SPDX-License-Identifier: MIT */
/* test_nested.c — the golden model's CPU side in a guest with EPT and VPIDs
 * (pg_model.h rules 7-10; SDM vol. 3C 28.2-28.4): the 2-D walk and its
 * reads, every bit of the exit qualification, the three kinds of
 * misconfiguration, EPT and guest A/D flags, large EPT pages under small
 * guest pages and the reverse, VPID isolation without flushes, and each
 * type of INVEPT and INVVPID.
 *
 * The guest's tables are built by sw/os's os_vm on the guest's view of its
 * memory (os_ept_guest_phys), the EPT by os_ept, so no entry is written by
 * hand except where a test breaks one on purpose. Qualification bits: read
 * 0x1, write 0x2, fetch 0x4, readable 0x8, writable 0x10, executable 0x20,
 * linear address valid 0x80, access to the final translation 0x100. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "os_ept.h"
#include "os_vm.h"
#include "pg_hw.h"
#include "pg_model.h"

#define GUEST_RAM   (16ull << 20) /* guest-physical [0, 16 MiB), mapped by 4 KiB EPT pages */
#define GUEST_FRAME 0x100000ull   /* the guest kernel's frames from 1 MiB */
#define HOST_BASE   (64ull << 20) /* host frames from 64 MiB */
#define VA          0x0000004000201000ull
#define VA2         0x0000004000202000ull /* the same guest page table as VA */

typedef struct {
  pg_model_t *m;
  os_frames_t host;
  os_ept_t ept;
  os_frames_t gfr; /* guest-physical frames */
  os_as_t gas;
  uint64_t eptp;
} nx_t;

static os_phys_t host_phys(nx_t *x) {
  return os_phys_of_mem(pg_model_mem(x->m));
}

/* A guest of GUEST_RAM mapped with RWX at 4 KiB, its address space built. */
static void guest_init(nx_t *x, os_ept_t *ept, os_frames_t *gfr, os_as_t *gas) {
  assert_int_equal(os_ept_init(ept, &x->host, 4), OS_OK);
  for (uint64_t g = 0; g < GUEST_RAM; g += 1ull << 21) {
    uint64_t h;
    assert_int_equal(os_frames_alloc_size(&x->host, PG_SIZE_2M, &h), OS_OK);
    assert_int_equal(os_ept_map_range(ept, g, h, 1ull << 21, PG_SIZE_4K, EPT_RWX), OS_OK);
  }
  os_frames_init(gfr, os_ept_guest_phys(ept), GUEST_FRAME, GUEST_RAM);
  assert_int_equal(os_as_init(gas, gfr), OS_OK);
}

static void enter(nx_t *x, uint64_t eptp, uint16_t vpid, const os_as_t *gas) {
  pg_model_write_ctl(x->m, PG_CTL_EPTP, eptp);
  pg_model_write_ctl(x->m, PG_CTL_EPT, 1);
  pg_model_write_ctl(x->m, PG_CTL_VPID, vpid);
  pg_model_write_ctl(x->m, PG_CTL_VM_CR3, os_as_cr3(gas, 0));
}

static int setup(void **state) {
  nx_t *x = calloc(1, sizeof *x);
  x->m = pg_model_new(NULL);
  os_frames_init(&x->host, host_phys(x), HOST_BASE, 0x80000000ull);
  guest_init(x, &x->ept, &x->gfr, &x->gas);
  x->eptp = os_ept_eptp(&x->ept, 0);
  enter(x, x->eptp, 1, &x->gas);
  *state = x;
  return 0;
}

static int teardown(void **state) {
  nx_t *x = *state;
  os_frames_destroy(&x->gfr);
  os_frames_destroy(&x->host);
  pg_model_free(x->m);
  free(x);
  return 0;
}

static uint64_t gframe(nx_t *x) {
  uint64_t g;
  assert_int_equal(os_frames_alloc(&x->gfr, &g), OS_OK);
  return g;
}

static uint64_t hpa_of(nx_t *x, uint64_t gpa) {
  uint64_t h;
  assert_int_equal(os_ept_translate(&x->ept, gpa, &h), OS_OK);
  return h;
}

/* Maps VA in the guest to a fresh guest frame; returns the frame. */
static uint64_t gmap(nx_t *x, uint64_t va, uint64_t flags) {
  uint64_t g = gframe(x);
  assert_int_equal(os_map(&x->gas, va, g, PG_SIZE_4K, flags), OS_OK);
  return g;
}

static uint64_t ept_leaf(nx_t *x, uint64_t gpa) {
  uint64_t e;
  assert_int_equal(os_ept_entry_get(&x->ept, gpa, 1, &e), OS_OK);
  return e;
}

static void ept_rights(nx_t *x, uint64_t gpa, unsigned rwx) {
  assert_int_equal(os_ept_entry_update(&x->ept, gpa, 1, rwx, EPT_RWX & ~rwx), OS_OK);
}

static void ept_memtype(nx_t *x, uint64_t gpa, unsigned mt) {
  uint64_t field = 7ull << EPT_MT_SHIFT;
  assert_int_equal(os_ept_entry_update(&x->ept, gpa, 1, 0, field), OS_OK);
  assert_int_equal(os_ept_entry_update(&x->ept, gpa, 1, (uint64_t)mt << EPT_MT_SHIFT, 0), OS_OK);
}

/* The guest-physical address of VA's guest entry at LEVEL. */
static uint64_t gentry(nx_t *x, uint64_t va, int level) {
  uint64_t ga;
  assert_int_equal(os_entry_addr(&x->gas, va, level, &ga), OS_OK);
  return ga;
}

static pg_result_t acc(nx_t *x, pg_op_t op, uint64_t va, uint64_t wdata) {
  pg_access_t a = {.op = op, .size = 8, .va = va, .wdata = wdata};
  pg_result_t r;
  pg_model_access(x->m, &a, &r);
  return r;
}

static const pg_counters_t *cnt(nx_t *x) {
  return pg_model_counters(x->m);
}

#define RW_DATA (PTE_RW | PTE_US)

#define assert_exit(r, st, q, g)                                                                   \
  do {                                                                                             \
    pg_result_t r_once_ = (r);                                                                     \
    assert_int_equal(r_once_.status, (st));                                                        \
    assert_int_equal(r_once_.qual, (q));                                                           \
    assert_int_equal(r_once_.gpa, (g));                                                            \
  } while (0)

/* ---- the 2-D walk ------------------------------------------------------ */

static void test_cold_walk_reads_24(void **state) {
  nx_t *x = *state;
  uint64_t g = gmap(x, VA, RW_DATA);
  pg_mem_write(pg_model_mem(x->m), hpa_of(x, g) + 8, 0x1234, 8);
  pg_result_t r = acc(x, PG_OP_LOAD, VA + 8, 0);
  assert_int_equal(r.status, PG_ST_OK);
  assert_int_equal(r.pa, hpa_of(x, g) + 8);
  assert_int_equal(r.data, 0x1234);
  /* 4 guest entries, each found through 4 EPT reads, then 4 for the page. */
  assert_int_equal(cnt(x)->walk_reads, 4);
  assert_int_equal(cnt(x)->ept_walks, 5);
  assert_int_equal(cnt(x)->ept_reads, 20);
  /* A neighbour: the PDE cache holds the guest page table's host address. */
  gmap(x, VA2, RW_DATA);
  r = acc(x, PG_OP_LOAD, VA2, 0);
  assert_int_equal(r.status, PG_ST_OK);
  assert_int_equal(cnt(x)->pwc_pde_hits, 1);
  assert_int_equal(cnt(x)->walk_reads, 5);
  assert_int_equal(cnt(x)->ept_walks, 6);
  assert_int_equal(cnt(x)->ept_reads, 24);
  /* And a TLB hit needs nothing. */
  r = acc(x, PG_OP_LOAD, VA2, 0);
  assert_true(r.l1_hit);
  assert_int_equal(cnt(x)->ept_walks, 6);
}

static void test_guest_fault_is_a_page_fault(void **state) {
  nx_t *x = *state;
  gmap(x, VA, RW_DATA);
  pg_result_t r = acc(x, PG_OP_LOAD, VA2, 0); /* VA2 itself is not mapped */
  assert_int_equal(r.status, PG_ST_PF);
  assert_int_equal(r.err, 0);
  assert_int_equal(pg_model_cr2(x->m), VA2);
  assert_int_equal(cnt(x)->ept_violations, 0);
}

/* ---- the exit qualification, bit by bit --------------------------------- */

static void test_qual_final_read_write_fetch(void **state) {
  nx_t *x = *state;
  uint64_t g = gmap(x, VA, RW_DATA);
  ept_rights(x, g, EPT_X); /* execute-only */
  assert_exit(acc(x, PG_OP_LOAD, VA + 0x10, 0), PG_ST_EPT, 0x1a1, g + 0x10);
  ept_rights(x, g, EPT_R);
  assert_exit(acc(x, PG_OP_STORE, VA, 5), PG_ST_EPT, 0x18a, g);
  ept_rights(x, g, EPT_R | EPT_W);
  assert_exit(acc(x, PG_OP_FETCH, VA, 0), PG_ST_EPT, 0x19c, g);
  pg_result_t r = acc(x, PG_OP_FETCH, VA, 0);
  assert_int_equal(r.gla, VA);
  assert_int_equal(cnt(x)->ept_violations, 4);
  ept_rights(x, g, 0); /* not present: bits 5:3 read 0 */
  assert_exit(acc(x, PG_OP_LOAD, VA, 0), PG_ST_EPT, 0x181, g);
}

static void test_qual_guest_table_read(void **state) {
  nx_t *x = *state;
  gmap(x, VA, RW_DATA);
  uint64_t pte = gentry(x, VA, 1);
  ept_rights(x, pte, 0); /* the guest page table's page */
  /* A read of a guest paging-structure entry: bit 8 clear. */
  assert_exit(acc(x, PG_OP_STORE, VA, 1), PG_ST_EPT, 0x81, pte);
}

static void test_qual_guest_ad_update_is_a_write(void **state) {
  nx_t *x = *state;
  gmap(x, VA, RW_DATA);
  uint64_t pte = gentry(x, VA, 1);
  ept_rights(x, pte, EPT_R);
  /* Reading the table is allowed; setting the PTE's A bit is a write. */
  assert_exit(acc(x, PG_OP_LOAD, VA, 0), PG_ST_EPT, 0x8a, pte);
  /* With A already set, a load writes nothing and goes through. */
  uint64_t e;
  assert_int_equal(os_entry_get(&x->gas, VA, 1, &e), OS_OK);
  assert_int_equal(os_entry_set(&x->gas, VA, 1, e | PTE_A), OS_OK);
  assert_int_equal(acc(x, PG_OP_LOAD, VA, 0).status, PG_ST_OK);
  /* A store must set D: a write again. */
  assert_exit(acc(x, PG_OP_STORE, VA, 1), PG_ST_EPT, 0x8a, pte);
  /* From a walk-cache hit too: the PDE cache gives the table's host address,
   * the exit still names the entry's guest-physical one. */
  gmap(x, VA2, RW_DATA);
  assert_int_equal(acc(x, PG_OP_LOAD, VA, 0).status, PG_ST_OK); /* fills the PDE cache */
  uint64_t pde_hits = cnt(x)->pwc_pde_hits;
  assert_exit(acc(x, PG_OP_LOAD, VA2, 0), PG_ST_EPT, 0x8a, gentry(x, VA2, 1));
  assert_int_equal(cnt(x)->pwc_pde_hits, pde_hits + 1);
}

static void test_qual_guest_nonleaf_a_update(void **state) {
  nx_t *x = *state;
  gmap(x, VA, RW_DATA);
  uint64_t pde = gentry(x, VA, 2);
  ept_rights(x, pde, EPT_R | EPT_X); /* the guest page directory's page */
  /* The PDE's A bit is clear (os_vm leaves it so): setting it is a write. */
  assert_exit(acc(x, PG_OP_LOAD, VA, 0), PG_ST_EPT, 0xaa, pde);
  /* The PML4E's and PDPTE's A bits, on pages that allow writes, were set. */
  uint64_t e;
  assert_int_equal(os_entry_get(&x->gas, VA, 4, &e), OS_OK);
  assert_true(e & PTE_A);
  assert_int_equal(os_entry_get(&x->gas, VA, 2, &e), OS_OK);
  assert_false(e & PTE_A);
}

static void test_qual_ad_on_table_access_is_read_and_write(void **state) {
  nx_t *x = *state;
  enter(x, os_ept_eptp(&x->ept, 1), 1, &x->gas);
  gmap(x, VA, RW_DATA);
  uint64_t pde = gentry(x, VA, 2);
  ept_rights(x, pde, EPT_R | EPT_X);
  /* SDM table 27-7: both bit 0 and bit 1, the entry's rights R and X. */
  assert_exit(acc(x, PG_OP_LOAD, VA, 0), PG_ST_EPT, 0xab, pde);
}

/* ---- misconfigurations -------------------------------------------------- */

static void test_misconfig_kinds(void **state) {
  nx_t *x = *state;
  uint64_t g = gmap(x, VA, RW_DATA);
  ept_rights(x, g, EPT_W); /* write without read */
  pg_result_t r = acc(x, PG_OP_LOAD, VA, 0);
  assert_int_equal(r.status, PG_ST_EPTMC);
  assert_int_equal(r.gpa, g);
  ept_rights(x, g, EPT_RWX);
  ept_memtype(x, g, 2); /* memory type 2 is reserved */
  assert_int_equal(acc(x, PG_OP_LOAD, VA, 0).status, PG_ST_EPTMC);
  ept_memtype(x, g, 7); /* and 7 */
  assert_int_equal(acc(x, PG_OP_LOAD, VA, 0).status, PG_ST_EPTMC);
  ept_memtype(x, g, 0); /* UC is fine */
  assert_int_equal(acc(x, PG_OP_LOAD, VA, 0).status, PG_ST_OK);
  /* A reserved bit in an EPT PML4E, met on the way to the guest's PML4. */
  uint64_t pml4 = gentry(x, VA, 4);
  assert_int_equal(os_ept_entry_update(&x->ept, pml4, 4, 1ull << 3, 0), OS_OK);
  pg_model_invept(x->m, 1, x->eptp); /* else the walk cache skips the guest PML4 */
  r = acc(x, PG_OP_LOAD, VA2, 0);
  assert_int_equal(r.status, PG_ST_EPTMC);
  assert_int_equal(r.gpa, gentry(x, VA2, 4));
  assert_int_equal(r.qual, 0);
  assert_int_equal(cnt(x)->ept_misconfigs, 4);
  assert_int_equal(cnt(x)->ept_violations, 0);
}

/* ---- accessed and dirty flags ------------------------------------------- */

static void test_ept_ad_flags(void **state) {
  nx_t *x = *state;
  uint64_t g = gmap(x, VA, RW_DATA);
  uint64_t pt = gentry(x, VA, 1) & ~PAGE_MASK_4K;
  /* A/D off: EPT entries are left alone. */
  assert_int_equal(acc(x, PG_OP_LOAD, VA, 0).status, PG_ST_OK);
  assert_int_equal(ept_leaf(x, g) & (EPT_A | EPT_D), 0);
  assert_int_equal(ept_leaf(x, pt) & (EPT_A | EPT_D), 0);

  /* The same EP4TA with A/D on: INVEPT first, as the SDM asks. */
  enter(x, os_ept_eptp(&x->ept, 1), 1, &x->gas);
  pg_model_invept(x->m, 1, x->eptp);
  assert_int_equal(acc(x, PG_OP_LOAD, VA, 0).status, PG_ST_OK);
  assert_int_equal(ept_leaf(x, g) & (EPT_A | EPT_D), EPT_A); /* a read: A only */
  /* The guest table's page was written (its entries are writes): A and D. */
  assert_int_equal(ept_leaf(x, pt) & (EPT_A | EPT_D), EPT_A | EPT_D);
  uint64_t walks = cnt(x)->walks;
  /* The TLB entry was made by a read: a store walks again and sets D. */
  assert_int_equal(acc(x, PG_OP_STORE, VA, 7).status, PG_ST_OK);
  assert_int_equal(cnt(x)->walks, walks + 1);
  assert_int_equal(ept_leaf(x, g) & (EPT_A | EPT_D), EPT_A | EPT_D);
  uint64_t e;
  assert_int_equal(os_entry_get(&x->gas, VA, 1, &e), OS_OK);
  assert_int_equal(e & (PTE_A | PTE_D), PTE_A | PTE_D);
  /* Now a store hits. */
  assert_true(acc(x, PG_OP_STORE, VA, 8).l1_hit);
  /* A page whose guest D is already set: a load's TLB entry still does not
   * serve a store while EPT's D is clear. */
  uint64_t g2 = gmap(x, VA2, RW_DATA | PTE_A | PTE_D);
  assert_int_equal(acc(x, PG_OP_LOAD, VA2, 0).status, PG_ST_OK);
  assert_int_equal(ept_leaf(x, g2) & EPT_D, 0);
  walks = cnt(x)->walks;
  assert_false(acc(x, PG_OP_STORE, VA2, 1).l1_hit);
  assert_int_equal(cnt(x)->walks, walks + 1);
  assert_int_equal(ept_leaf(x, g2) & EPT_D, EPT_D);
}

static void test_violation_writes_no_guest_leaf_ad(void **state) {
  nx_t *x = *state;
  uint64_t g = gmap(x, VA, RW_DATA);
  ept_rights(x, g, EPT_R);
  assert_int_equal(acc(x, PG_OP_STORE, VA, 1).status, PG_ST_EPT);
  uint64_t e;
  assert_int_equal(os_entry_get(&x->gas, VA, 1, &e), OS_OK);
  assert_int_equal(e & (PTE_A | PTE_D), 0);
  /* Nothing was cached: fixing the EPT entry without INVEPT is enough. */
  ept_rights(x, g, EPT_RWX);
  assert_int_equal(acc(x, PG_OP_STORE, VA, 1).status, PG_ST_OK);
}

/* ---- page sizes --------------------------------------------------------- */

static void test_guest_2m_over_ept_4k(void **state) {
  nx_t *x = *state;
  uint64_t g2;
  assert_int_equal(os_frames_alloc_size(&x->gfr, PG_SIZE_2M, &g2), OS_OK);
  uint64_t va = 0x0000004000400000ull;
  assert_int_equal(os_map(&x->gas, va, g2, PG_SIZE_2M, RW_DATA), OS_OK);
  pg_result_t r = acc(x, PG_OP_LOAD, va + 0x3008, 0);
  assert_int_equal(r.status, PG_ST_OK);
  assert_int_equal(r.pa, hpa_of(x, g2 + 0x3008));
  /* The combined page is EPT's 4 KiB: the next 4 KiB walks again. */
  uint64_t walks = cnt(x)->walks;
  r = acc(x, PG_OP_LOAD, va + 0x4000, 0);
  assert_int_equal(r.pa, hpa_of(x, g2 + 0x4000));
  assert_int_equal(cnt(x)->walks, walks + 1);
  r = acc(x, PG_OP_LOAD, va + 0x3010, 0);
  assert_true(r.l1_hit);
}

static void test_ept_2m_page(void **state) {
  nx_t *x = *state;
  /* A second guest whose RAM above 16 MiB is one EPT 2 MiB page. */
  uint64_t gpa = GUEST_RAM, h;
  assert_int_equal(os_frames_alloc_size(&x->host, PG_SIZE_2M, &h), OS_OK);
  assert_int_equal(os_ept_map(&x->ept, gpa, h, PG_SIZE_2M, EPT_RWX), OS_OK);
  assert_int_equal(os_map(&x->gas, VA, gpa + 0x5000, PG_SIZE_4K, RW_DATA), OS_OK);
  uint64_t reads = cnt(x)->ept_reads;
  pg_result_t r = acc(x, PG_OP_LOAD, VA + 0x18, 0);
  assert_int_equal(r.status, PG_ST_OK);
  assert_int_equal(r.pa, h + 0x5018);
  /* Guest entries: 4 x 4 EPT reads; the page: 3 (the leaf is a PDE). */
  assert_int_equal(cnt(x)->ept_reads - reads, 19);
  /* Bits 20:12 of a 2 MiB EPT leaf are reserved. */
  assert_int_equal(os_ept_entry_update(&x->ept, gpa, 2, 1ull << 12, 0), OS_OK);
  assert_int_equal(acc(x, PG_OP_LOAD, VA2, 0).status, PG_ST_PF); /* VA2 unmapped in the guest */
  assert_int_equal(os_map(&x->gas, VA2, gpa + 0x6000, PG_SIZE_4K, RW_DATA), OS_OK);
  r = acc(x, PG_OP_LOAD, VA2, 0);
  assert_int_equal(r.status, PG_ST_EPTMC);
  assert_int_equal(r.gpa, gpa + 0x6000);
}

/* ---- VPIDs and invalidation --------------------------------------------- */

typedef struct {
  os_ept_t ept;
  os_frames_t gfr;
  os_as_t gas;
  uint64_t eptp;
} guest_t;

/* A second guest; VA maps guest-physical page G in both guests, each its own
 * frame. Loads of VA read 1 in guest one, 2 in guest two. */
static void two_guests(nx_t *x, guest_t *b) {
  guest_init(x, &b->ept, &b->gfr, &b->gas);
  b->eptp = os_ept_eptp(&b->ept, 0);
  uint64_t g = gmap(x, VA, RW_DATA);
  assert_int_equal(os_map(&b->gas, VA, g, PG_SIZE_4K, RW_DATA), OS_OK);
  uint64_t hb;
  assert_int_equal(os_ept_translate(&b->ept, g, &hb), OS_OK);
  assert_true(hb != hpa_of(x, g));
  pg_mem_write(pg_model_mem(x->m), hpa_of(x, g), 1, 8);
  pg_mem_write(pg_model_mem(x->m), hb, 2, 8);
}

static void guest_free(guest_t *b) {
  os_frames_destroy(&b->gfr);
}

static void test_vpid_switch_without_flush(void **state) {
  nx_t *x = *state;
  guest_t b;
  two_guests(x, &b);
  assert_int_equal(acc(x, PG_OP_LOAD, VA, 0).data, 1);
  enter(x, b.eptp, 2, &b.gas); /* a VM exit and entry to guest two */
  pg_result_t r = acc(x, PG_OP_LOAD, VA, 0);
  assert_int_equal(r.data, 2);
  assert_true(r.walked);
  enter(x, x->eptp, 1, &x->gas); /* back: guest one's entry is still there */
  r = acc(x, PG_OP_LOAD, VA, 0);
  assert_int_equal(r.data, 1);
  assert_true(r.l1_hit);
  /* The host (EPT off, VPID 0) writes its CR3: VPID 0's entries only go. */
  pg_model_write_ctl(x->m, PG_CTL_EPT, 0);
  pg_model_write_ctl(x->m, PG_CTL_VPID, 0);
  pg_model_write_ctl(x->m, PG_CTL_CR3, 0x1000);
  enter(x, b.eptp, 2, &b.gas);
  assert_true(acc(x, PG_OP_LOAD, VA, 0).l1_hit);
  guest_free(&b);
}

static void test_guest_invlpg_and_cr3_stay_in_their_vpid(void **state) {
  nx_t *x = *state;
  guest_t b;
  two_guests(x, &b);
  acc(x, PG_OP_LOAD, VA, 0);
  enter(x, b.eptp, 2, &b.gas);
  acc(x, PG_OP_LOAD, VA, 0);
  /* Guest two's INVLPG, CR3 write, INVPCID of everything and CR4.PGE toggle. */
  pg_model_invlpg(x->m, VA);
  pg_model_write_ctl(x->m, PG_CTL_CR3, os_as_cr3(&b.gas, 0));
  pg_model_invpcid(x->m, 2, 0, 0);
  pg_model_write_ctl(x->m, PG_CTL_PGE, 1);
  assert_false(acc(x, PG_OP_LOAD, VA, 0).l1_hit);
  enter(x, x->eptp, 1, &x->gas);
  assert_true(acc(x, PG_OP_LOAD, VA, 0).l1_hit);
  guest_free(&b);
}

/* Loads VA in both guests so each has its TLB entry, ends in guest one. */
static void warm_both(nx_t *x, guest_t *b) {
  enter(x, b->eptp, 2, &b->gas);
  assert_int_equal(acc(x, PG_OP_LOAD, VA, 0).data, 2);
  enter(x, x->eptp, 1, &x->gas);
  assert_int_equal(acc(x, PG_OP_LOAD, VA, 0).data, 1);
}

static int hits_in(nx_t *x, const guest_t *b, uint16_t vpid) {
  if (vpid == 2)
    enter(x, b->eptp, 2, &b->gas);
  else
    enter(x, x->eptp, 1, &x->gas);
  return acc(x, PG_OP_LOAD, VA, 0).l1_hit;
}

/* Exits to the host (EPT off, VPID 0) and caches a linear mapping of VA
 * there: the host's own tables, built in host frames. */
static void host_entry(nx_t *x) {
  pg_model_write_ctl(x->m, PG_CTL_EPT, 0);
  pg_model_write_ctl(x->m, PG_CTL_VPID, 0);
  os_as_t host_as;
  assert_int_equal(os_as_init(&host_as, &x->host), OS_OK);
  assert_int_equal(os_map(&host_as, VA, HOST_BASE, PG_SIZE_4K, PTE_RW), OS_OK);
  pg_model_write_ctl(x->m, PG_CTL_CR3, os_as_cr3(&host_as, 0));
  assert_int_equal(acc(x, PG_OP_LOAD, VA, 0).status, PG_ST_OK);
}

static void test_invept_types(void **state) {
  nx_t *x = *state;
  guest_t b;
  two_guests(x, &b);
  warm_both(x, &b);
  pg_model_invept(x->m, 1, x->eptp); /* guest one's EP4TA only */
  assert_false(hits_in(x, &b, 1));
  assert_true(hits_in(x, &b, 2));
  warm_both(x, &b);
  /* A host mapping (EPT off) survives INVEPT type 2. */
  host_entry(x);
  pg_model_invept(x->m, 2, 0);
  assert_true(acc(x, PG_OP_LOAD, VA, 0).l1_hit);
  assert_false(hits_in(x, &b, 1));
  assert_false(hits_in(x, &b, 2));
  guest_free(&b);
}

static void test_invvpid_types(void **state) {
  nx_t *x = *state;
  guest_t b;
  two_guests(x, &b);
  warm_both(x, &b);
  pg_model_invvpid(x->m, 0, 2, VA); /* one address of VPID 2 */
  assert_false(hits_in(x, &b, 2));
  assert_true(hits_in(x, &b, 1));
  warm_both(x, &b);
  pg_model_invvpid(x->m, 0, 2, VA2); /* another address: VA stays */
  assert_true(hits_in(x, &b, 2));
  pg_model_invvpid(x->m, 1, 1, 0); /* all of VPID 1 */
  assert_false(hits_in(x, &b, 1));
  assert_true(hits_in(x, &b, 2));
  warm_both(x, &b);
  pg_model_invvpid(x->m, 1, 0, 0); /* VPID 0: the instruction fails */
  assert_true(hits_in(x, &b, 1));
  /* A host entry (VPID 0, EPT off), kept by INVVPID type 2. */
  host_entry(x);
  /* Types 0, 1 and 3 fail with VPID 0: the host's entry stays. */
  pg_model_invvpid(x->m, 0, 0, VA);
  pg_model_invvpid(x->m, 1, 0, 0);
  pg_model_invvpid(x->m, 3, 0, 0);
  assert_true(acc(x, PG_OP_LOAD, VA, 0).l1_hit);
  pg_model_invvpid(x->m, 2, 0, 0); /* every guest */
  assert_true(acc(x, PG_OP_LOAD, VA, 0).l1_hit);
  assert_false(hits_in(x, &b, 1));
  assert_false(hits_in(x, &b, 2));
  guest_free(&b);
}

static void test_invvpid_3_keeps_globals(void **state) {
  nx_t *x = *state;
  pg_model_write_ctl(x->m, PG_CTL_PGE, 1);
  gmap(x, VA, RW_DATA | PTE_G);
  gmap(x, VA2, RW_DATA);
  acc(x, PG_OP_LOAD, VA, 0);
  acc(x, PG_OP_LOAD, VA2, 0);
  pg_model_invvpid(x->m, 3, 1, 0);
  assert_true(acc(x, PG_OP_LOAD, VA, 0).l1_hit);
  assert_false(acc(x, PG_OP_LOAD, VA2, 0).l1_hit);
  pg_model_invvpid(x->m, 1, 1, 0);
  assert_false(acc(x, PG_OP_LOAD, VA, 0).l1_hit);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_cold_walk_reads_24, setup, teardown),
      cmocka_unit_test_setup_teardown(test_guest_fault_is_a_page_fault, setup, teardown),
      cmocka_unit_test_setup_teardown(test_qual_final_read_write_fetch, setup, teardown),
      cmocka_unit_test_setup_teardown(test_qual_guest_table_read, setup, teardown),
      cmocka_unit_test_setup_teardown(test_qual_guest_ad_update_is_a_write, setup, teardown),
      cmocka_unit_test_setup_teardown(test_qual_guest_nonleaf_a_update, setup, teardown),
      cmocka_unit_test_setup_teardown(test_qual_ad_on_table_access_is_read_and_write, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(test_misconfig_kinds, setup, teardown),
      cmocka_unit_test_setup_teardown(test_ept_ad_flags, setup, teardown),
      cmocka_unit_test_setup_teardown(test_violation_writes_no_guest_leaf_ad, setup, teardown),
      cmocka_unit_test_setup_teardown(test_guest_2m_over_ept_4k, setup, teardown),
      cmocka_unit_test_setup_teardown(test_ept_2m_page, setup, teardown),
      cmocka_unit_test_setup_teardown(test_vpid_switch_without_flush, setup, teardown),
      cmocka_unit_test_setup_teardown(test_guest_invlpg_and_cr3_stay_in_their_vpid, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(test_invept_types, setup, teardown),
      cmocka_unit_test_setup_teardown(test_invvpid_types, setup, teardown),
      cmocka_unit_test_setup_teardown(test_invvpid_3_keeps_globals, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
