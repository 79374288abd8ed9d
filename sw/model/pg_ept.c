/* SPDX-License-Identifier: MIT */
/* pg_ept.c — extended page tables (see pg_ept.h). */
#include "pg_ept.h"

#include "pg_bus.h"
#include "pg_hw.h"

unsigned pg_eptp_levels(uint64_t eptp) {
  return (unsigned)((eptp >> EPTP_PWL_SHIFT) & 7) + 1;
}

int pg_eptp_valid(uint64_t eptp) {
  uint64_t mt = eptp & EPTP_MT_MASK;
  unsigned levels = pg_eptp_levels(eptp);
  return (mt == EPTP_MT_UC || mt == EPTP_MT_WB) && (levels == 4 || levels == 5) &&
         (eptp & EPTP_RSVD) == 0;
}

int pg_ept_misconfigured(uint64_t e, unsigned level) {
  unsigned rwx = (unsigned)(e & EPT_RWX);
  if ((rwx & EPT_W) && !(rwx & EPT_R)) /* 010b and 110b: write without read */
    return 1;
  /* EPT's PS is bit 7, as in paging. */
  int leaf = pg_entry_is_leaf(e, (int)level);
  if (level >= 4 && (e & EPT_RSVD_UPPER)) /* bit 7 among them: no page at PML4E */
    return 1;
  if ((level == 2 || level == 3) && !leaf && (e & EPT_RSVD_TABLE))
    return 1;
  if (level == 3 && leaf && (e & EPT_RSVD_1G))
    return 1;
  if (level == 2 && leaf && (e & EPT_RSVD_2M))
    return 1;
  if (leaf) {
    unsigned mt = (unsigned)(e >> EPT_MT_SHIFT) & 7;
    if (mt == 2 || mt == 3 || mt == 7)
      return 1;
  }
  return 0;
}

void pg_ept_translate(pg_mem_t *mem, uint64_t eptp, uint64_t gpa, unsigned need, pg_ept_walk_t *w) {
  *w = (pg_ept_walk_t){.status = PG_EPT_OK, .rwx = EPT_RWX};
  uint64_t table = eptp & EPT_ADDR_MASK;
  uint64_t used[5] = {0};
  unsigned level = pg_eptp_levels(eptp);
  for (;; level--) {
    uint64_t pa = pg_entry_addr(table, gpa, (int)level);
    w->level = level;
    if (!pg_bus_is_ram(pa, 8)) {
      w->status = PG_EPT_BUS;
      return;
    }
    uint64_t e = pg_mem_read(mem, pa, 8);
    w->entry_pa[level - 1] = pa;
    w->reads++;
    used[level - 1] = e;
    w->rwx &= (unsigned)(e & EPT_RWX);
    if ((e & EPT_RWX) == 0) { /* not present: bits 62:3 are ignored */
      w->status = PG_EPT_VIOLATION;
      return;
    }
    if (pg_ept_misconfigured(e, level)) {
      w->status = PG_EPT_MISCONFIG;
      return;
    }
    if (pg_entry_is_leaf(e, (int)level)) {
      unsigned shift = pg_level_shift((int)level);
      uint64_t frame = e & EPT_ADDR_MASK & ~((1ull << shift) - 1);
      w->hpa = frame | (gpa & ((1ull << shift) - 1));
      w->memtype = (unsigned)(e >> EPT_MT_SHIFT) & 7;
      w->leaf = e;
      break;
    }
    table = e & EPT_ADDR_MASK;
  }
  /* No misconfiguration on the path: the rights, the AND over every level. */
  if ((need & w->rwx) != need) {
    w->status = PG_EPT_VIOLATION;
    return;
  }
  if (!(eptp & EPTP_AD))
    return;
  unsigned top = pg_eptp_levels(eptp);
  for (unsigned l = top; l >= w->level; l--) {
    uint64_t e = used[l - 1] | EPT_A;
    if (l == w->level && (need & EPT_W))
      e |= EPT_D;
    if (e != used[l - 1]) {
      pg_mem_write(mem, w->entry_pa[l - 1], e, 8);
      w->writes++;
    }
    if (l == w->level)
      w->leaf = e;
    if (l == 1)
      break;
  }
}

uint64_t pg_ept_qualification(unsigned access, const pg_ept_walk_t *w, int gla_valid, int final) {
  uint64_t q = access & (EPT_QUAL_READ | EPT_QUAL_WRITE | EPT_QUAL_FETCH);
  q |= (uint64_t)(w->rwx & EPT_RWX) << EPT_QUAL_RWX_SHIFT;
  if (gla_valid) {
    q |= EPT_QUAL_GLA_VALID;
    if (final)
      q |= EPT_QUAL_GLA_FINAL;
  }
  return q;
}
