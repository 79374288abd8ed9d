/* SPDX-License-Identifier: MIT */
/* pg_scn_keys.c — the stories of the newest paging features: protection keys
 * (a buffer opened and shut by PKRU alone) and 5-level paging (an address
 * above 2^47 and the price of the fifth level). */
#include <inttypes.h>

#include "pg_hw.h"
#include "pg_scn.h"

#define USER_VA 0x400000ull

/* ---- protection keys ---------------------------------------------------------------------- */

#define SECRET_VA    (USER_VA + 0x1000)
#define SECRET_KEY   1u
#define PKRU_AD(key) (1u << (2 * (key)))
#define PKRU_WD(key) (1u << (2 * (key) + 1))

static void run_pkeys(scn_t *s) {
  scn_say(s,
          "Protection keys: every leaf entry carries a 4-bit key (bits 62:59), and the\n"
          "PKRU register holds two bits per key, access-disable and write-disable. A\n"
          "process fences a buffer (say, its private keys) with key %u and opens it only\n"
          "while it uses it. Opening and shutting is one PKRU write: no page-table\n"
          "change, no INVLPG, no TLB flush, because the TLB keeps each page's key and\n"
          "checks it against PKRU on every hit.",
          SECRET_KEY);
  os_as_t as;
  scn_new_as(s, &as);
  uint64_t data = scn_frame(s), secret = scn_frame(s);
  os_write64(&s->phys, secret, 0x5ec7e7);
  scn_map(s, &as, USER_VA, data, PG_SIZE_4K, PTE_US | PTE_RW);
  scn_map(s, &as, SECRET_VA, secret, PG_SIZE_4K, PTE_US | PTE_RW | os_pkey(SECRET_KEY));
  scn_ctl(s, PG_CTL_CR3, os_as_cr3(&as, 0));
  scn_ctl(s, PG_CTL_WP, 1);
  scn_ctl(s, PG_CTL_PKE, 1);
  scn_ctl(s, PG_CTL_PKRU, 0);
  pg_counters_t c0 = *scn_counters(s);

  scn_part(s, "open: PKRU = 0, the process uses its buffer");
  pg_result_t r = scn_load(s, 1, SECRET_VA, "read the secret");
  scn_check(s, r.status == PG_ST_OK && r.data == 0x5ec7e7, "readable while open");
  r = scn_load(s, 1, SECRET_VA, "again");
  scn_check(s, r.l1_hit, "and now cached in the TLB, key and all");
  r = scn_store(s, 1, USER_VA, 1, "its ordinary data (key 0)");
  scn_check(s, r.status == PG_ST_OK, "ordinary pages carry key 0");

  scn_part(s, "shut: PKRU gets access-disable for key 1 (WRPKRU, nothing else)");
  uint64_t walks = scn_counters(s)->walks;
  scn_ctl(s, PG_CTL_PKRU, PKRU_AD(SECRET_KEY));
  r = scn_load(s, 1, SECRET_VA, "a stray pointer (a bug, or an attacker) reads the buffer");
  scn_check(s,
            r.status == PG_ST_PF && r.pf_kind == PG_PF_PK &&
                r.err == (PF_ERR_P | PF_ERR_U | PF_ERR_PK),
            "it faults with PK set: error code P|U|PK = 0x%x", r.err);
  r = scn_store(s, 0, SECRET_VA, 1, "even the kernel, writing it by mistake");
  scn_check(s, r.status == PG_ST_PF && (r.err & PF_ERR_PK),
            "access-disable holds for the kernel too (error code 0x%x)", r.err);
  r = scn_load(s, 1, USER_VA, "the rest of memory (key 0)");
  scn_check(s, r.status == PG_ST_OK && r.l1_hit, "is untouched by key 1's bits, still a TLB hit");

  scn_part(s, "write-protect only: reads allowed, writes not");
  scn_ctl(s, PG_CTL_PKRU, PKRU_WD(SECRET_KEY));
  r = scn_load(s, 1, SECRET_VA, "read");
  scn_check(s, r.status == PG_ST_OK, "write-disable leaves reads alone");
  r = scn_store(s, 1, SECRET_VA, 2, "write");
  scn_check(s, r.status == PG_ST_PF && r.err == (PF_ERR_P | PF_ERR_W | PF_ERR_U | PF_ERR_PK),
            "the write faults: P|W|U|PK = 0x%x", r.err);

  scn_part(s, "open again");
  scn_ctl(s, PG_CTL_PKRU, 0);
  r = scn_store(s, 1, SECRET_VA, 3, "write");
  scn_check(s, r.status == PG_ST_OK, "the buffer is writable again");
  const pg_counters_t *c = scn_counters(s);
  scn_check(s, c->pk_faults - c0.pk_faults == 3, "the MMU counted 3 protection-key faults");
  scn_say(s,
          "Walks since the first shut: %" PRIu64 ". Each fault walked (only the walker raises\n"
          "faults, and a fault drops the page's TLB entry), and so did the next access to\n"
          "the buffer. Compare mprotect(): a page-table write and a TLB shootdown.",
          c->walks - walks);
  scn_check(s, c->walks - walks == 5,
            "3 faults and the 2 accesses after them walked: nothing was flushed");
}

const scn_def_t scn_pkeys = {
    "pkeys", "protection keys: a buffer shut and opened by a PKRU write alone, faults with PK",
    "mmu", 1, run_pkeys};

/* ---- 5-level paging --------------------------------------------------------------------- */

#define HIGH_VA 0x00ab000000400000ull /* above 2^47: only 5-level paging reaches it */

static void run_la57(scn_t *s) {
  scn_say(s, "4-level paging gives 48-bit virtual addresses: 256 TiB. 5-level paging\n"
             "(CR4.LA57, 2017) puts a PML5 table above the PML4: 57-bit addresses, 128 PiB,\n"
             "canonical when bits 63:56 repeat bit 56. The price is one more table read in a\n"
             "cold walk; the walk caches (PML5E, PML4E, PDPTE, PDE) hide it almost always.");
  os_as_t as;
  os_err_t e = os_as_init_levels(&as, &s->frames, 5);
  scn_check(s, e == OS_OK, "a 5-level address space");
  uint64_t low = scn_frame(s), high = scn_frame(s), next = scn_frame(s);
  os_write64(&s->phys, high, 0x57);
  scn_map(s, &as, USER_VA, low, PG_SIZE_4K, PTE_US | PTE_RW);
  scn_map(s, &as, HIGH_VA, high, PG_SIZE_4K, PTE_US | PTE_RW);
  scn_map(s, &as, HIGH_VA + 0x1000, next, PG_SIZE_4K, PTE_US | PTE_RW);
  scn_ctl(s, PG_CTL_LA57, 1);
  scn_ctl(s, PG_CTL_CR3, os_as_cr3(&as, 0));

  scn_part(s, "an address above 2^47");
  uint64_t reads = scn_counters(s)->walk_reads;
  pg_result_t r = scn_load(s, 1, HIGH_VA, "a cold walk: PML5E, PML4E, PDPTE, PDE, PTE");
  uint64_t cold = scn_counters(s)->walk_reads - reads;
  scn_check(s, r.status == PG_ST_OK && r.data == 0x57 && r.pa == high,
            "0x%" PRIx64 " translates to 0x%" PRIx64, (uint64_t)HIGH_VA, r.pa);
  scn_check(s, cold == 5, "the cold walk read %" PRIu64 " entries, one per level", cold);

  scn_part(s, "the walk caches hide the fifth level");
  reads = scn_counters(s)->walk_reads;
  r = scn_load(s, 1, HIGH_VA + 0x1000, "the next page: same PML5E, PML4E, PDPTE, PDE");
  uint64_t warm = scn_counters(s)->walk_reads - reads;
  scn_check(s, r.status == PG_ST_OK && warm == 1,
            "a warm walk reads %" PRIu64 " entry (the PDE cache gives the PTE's table)", warm);
  reads = scn_counters(s)->walk_reads;
  uint64_t pml5e_hits = scn_counters(s)->pwc_pml5e_hits;
  r = scn_load(s, 1, USER_VA, "a low address: another PML4E under PML5E 0");
  scn_check(s, r.status == PG_ST_OK && scn_counters(s)->walk_reads - reads == 5,
            "a different PML5E: five reads again");
  scn_check(s, scn_counters(s)->pwc_pml5e_hits == pml5e_hits, "no PML5E walk-cache hit for it");

  scn_part(s, "the canonical rule, 57 bits wide");
  r = scn_load(s, 1, 0x0100000000000000ull, "bit 57 set, bit 56 clear: not canonical");
  scn_check(s, r.status == PG_ST_GP, "a #GP, nothing walked");
  scn_ctl(s, PG_CTL_LA57, 0);
  r = scn_load(s, 1, HIGH_VA, "the same high address with LA57 off");
  scn_check(s, r.status == PG_ST_GP, "not canonical in 48 bits: a #GP");
}

const scn_def_t scn_la57 = {
    "la57", "5-level paging: an address above 2^47, the fifth level, what the walk caches save",
    "walk", 1, run_la57};
