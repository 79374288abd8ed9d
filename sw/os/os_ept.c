/* SPDX-License-Identifier: MIT */
/* os_ept.c — EPT paging structures and the guest's physical memory. */
#include "os_ept.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#define EPT_WB_LEAF (EPTP_MT_WB << EPT_MT_SHIFT) /* a leaf's write-back memory type */

os_err_t os_ept_init(os_ept_t *e, os_frames_t *host_frames, int levels) {
  if (levels != 4 && levels != 5)
    return OS_EINVAL;
  *e = (os_ept_t){.frames = host_frames, .phys = host_frames->phys, .levels = levels};
  return os_frames_alloc(host_frames, &e->root);
}

uint64_t os_ept_eptp(const os_ept_t *e, int ad) {
  return e->root | EPTP_MT_WB | ((uint64_t)(e->levels - 1) << EPTP_PWL_SHIFT) | (ad ? EPTP_AD : 0);
}

static uint64_t index_at(uint64_t gpa, int level) {
  return (gpa >> pg_level_shift(level)) & 511;
}

os_err_t os_ept_entry_addr(const os_ept_t *e, uint64_t gpa, int level, uint64_t *entry_pa) {
  if (level < 1 || level > e->levels || (gpa & ~EPT_ADDR_MASK & ~PAGE_MASK_4K))
    return OS_EINVAL;
  uint64_t table = e->root;
  for (int l = e->levels; l > level; l--) {
    uint64_t x = os_read64(&e->phys, table + index_at(gpa, l) * 8);
    if (!(x & EPT_RWX) || pg_entry_is_leaf(x, l))
      return OS_ENOENT;
    table = x & EPT_ADDR_MASK;
  }
  *entry_pa = table + index_at(gpa, level) * 8;
  return OS_OK;
}

os_err_t os_ept_entry_get(const os_ept_t *e, uint64_t gpa, int level, uint64_t *value) {
  uint64_t ea;
  os_err_t err = os_ept_entry_addr(e, gpa, level, &ea);
  if (err == OS_OK)
    *value = os_read64(&e->phys, ea);
  return err;
}

os_err_t os_ept_entry_update(os_ept_t *e, uint64_t gpa, int level, uint64_t set, uint64_t clear) {
  uint64_t ea;
  os_err_t err = os_ept_entry_addr(e, gpa, level, &ea);
  if (err == OS_OK)
    os_write64(&e->phys, ea, (os_read64(&e->phys, ea) | set) & ~clear);
  return err;
}

os_err_t os_ept_map(os_ept_t *e, uint64_t gpa, uint64_t hpa, enum pg_page_size size, unsigned rwx) {
  uint64_t bytes = 1ull << pg_size_shift(size);
  if ((gpa | hpa) & (bytes - 1))
    return OS_EALIGN;
  if ((gpa | hpa) & ~EPT_ADDR_MASK || (rwx & ~EPT_RWX))
    return OS_EINVAL;
  int target = (int)size + 1;
  uint64_t table = e->root;
  for (int l = e->levels; l > target; l--) {
    uint64_t ea = table + index_at(gpa, l) * 8;
    uint64_t x = os_read64(&e->phys, ea);
    if (x & EPT_RWX) {
      if (pg_entry_is_leaf(x, l))
        return OS_EEXIST;
      table = x & EPT_ADDR_MASK;
      continue;
    }
    if (x != 0)
      return OS_EEXIST; /* a not-present entry someone set up on purpose */
    uint64_t t;
    os_err_t err = os_frames_alloc(e->frames, &t);
    if (err != OS_OK)
      return err;
    os_write64(&e->phys, ea, t | EPT_RWX);
    table = t;
  }
  uint64_t ea = table + index_at(gpa, target) * 8;
  if (os_read64(&e->phys, ea) != 0)
    return OS_EEXIST;
  if (rwx)
    os_write64(&e->phys, ea, hpa | rwx | EPT_WB_LEAF | (size != PG_SIZE_4K ? EPT_PS : 0));
  return OS_OK;
}

os_err_t os_ept_map_range(os_ept_t *e, uint64_t gpa, uint64_t hpa, uint64_t len,
                          enum pg_page_size size, unsigned rwx) {
  uint64_t bytes = 1ull << pg_size_shift(size);
  if (len & (bytes - 1))
    return OS_EALIGN;
  for (uint64_t off = 0; off < len; off += bytes) {
    os_err_t err = os_ept_map(e, gpa + off, hpa + off, size, rwx);
    if (err != OS_OK)
      return err;
  }
  return OS_OK;
}

os_err_t os_ept_translate(const os_ept_t *e, uint64_t gpa, uint64_t *hpa) {
  if (gpa & ~EPT_ADDR_MASK & ~PAGE_MASK_4K)
    return OS_EINVAL;
  uint64_t table = e->root;
  for (int l = e->levels; l >= 1; l--) {
    uint64_t x = os_read64(&e->phys, table + index_at(gpa, l) * 8);
    if (!(x & EPT_RWX))
      return OS_ENOENT;
    if (pg_entry_is_leaf(x, l)) {
      uint64_t low = (1ull << pg_level_shift(l)) - 1;
      *hpa = (x & EPT_ADDR_MASK & ~low) | (gpa & low);
      return OS_OK;
    }
    table = x & EPT_ADDR_MASK;
  }
  return OS_ENOENT;
}

static uint64_t gp_read64(void *ctx, uint64_t gpa) {
  const os_ept_t *e = ctx;
  uint64_t hpa;
  if (os_ept_translate(e, gpa, &hpa) != OS_OK)
    return 0;
  return os_read64(&e->phys, hpa);
}

static void gp_write64(void *ctx, uint64_t gpa, uint64_t v) {
  os_ept_t *e = ctx;
  uint64_t hpa;
  if (os_ept_translate(e, gpa, &hpa) != OS_OK) {
    fprintf(stderr, "os_ept: the guest writes 0x%" PRIx64 ", which no EPT entry maps\n", gpa);
    abort();
  }
  os_write64(&e->phys, hpa, v);
}

os_phys_t os_ept_guest_phys(os_ept_t *e) {
  return (os_phys_t){gp_read64, gp_write64, e};
}
