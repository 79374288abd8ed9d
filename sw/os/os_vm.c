/* SPDX-License-Identifier: MIT */
/* os_vm.c — frame allocator and x86-64 page-table builder. */
#include "os_vm.h"

#include <assert.h>
#include <stdlib.h>

#define FRAME 4096ull

const char *os_strerror(os_err_t e) {
  switch (e) {
  case OS_OK:
    return "ok";
  case OS_ENOMEM:
    return "out of frames";
  case OS_EALIGN:
    return "address not aligned to the page size";
  case OS_ECANON:
    return "virtual address not canonical";
  case OS_EEXIST:
    return "range already mapped";
  case OS_ENOENT:
    return "not mapped";
  case OS_EINVAL:
    return "invalid argument";
  }
  return "unknown error";
}

/* ---- frames ------------------------------------------------------------ */

void os_frames_init(os_frames_t *f, os_phys_t phys, uint64_t base, uint64_t limit) {
  assert((base & (FRAME - 1)) == 0 && (limit & (FRAME - 1)) == 0 && base < limit);
  *f = (os_frames_t){.phys = phys, .base = base, .limit = limit, .next = base};
}

void os_frames_destroy(os_frames_t *f) {
  free(f->free_list);
  f->free_list = NULL;
  f->nfree = f->cap = 0;
}

static void zero_frame(os_frames_t *f, uint64_t pa) {
  for (uint64_t off = 0; off < FRAME; off += 8)
    if (os_read64(&f->phys, pa + off))
      os_write64(&f->phys, pa + off, 0);
}

os_err_t os_frames_alloc(os_frames_t *f, uint64_t *pa) {
  if (f->nfree) {
    *pa = f->free_list[--f->nfree];
    zero_frame(f, *pa);
  } else {
    if (f->next >= f->limit)
      return OS_ENOMEM;
    *pa = f->next; /* never handed out: still zero */
    f->next += FRAME;
  }
  f->in_use++;
  return OS_OK;
}

os_err_t os_frames_alloc_size(os_frames_t *f, enum pg_page_size size, uint64_t *pa) {
  if (size == PG_SIZE_4K)
    return os_frames_alloc(f, pa);
  uint64_t bytes = 1ull << pg_size_shift(size);
  uint64_t start = (f->next + bytes - 1) & ~(bytes - 1);
  if (start >= f->limit || f->limit - start < bytes)
    return OS_ENOMEM;
  /* Frames skipped for alignment go to the free list. */
  uint64_t skipped = f->next;
  f->next = start + bytes;
  for (uint64_t p = skipped; p < start; p += FRAME) {
    f->in_use++;
    os_frames_free(f, p);
  }
  f->in_use += bytes / FRAME;
  *pa = start;
  return OS_OK;
}

void os_frames_free(os_frames_t *f, uint64_t pa) {
  assert(pa >= f->base && pa < f->next && (pa & (FRAME - 1)) == 0);
  assert(f->in_use > 0);
  if (f->nfree == f->cap) {
    f->cap = f->cap ? 2 * f->cap : 64;
    f->free_list = realloc(f->free_list, f->cap * sizeof f->free_list[0]);
    assert(f->free_list);
  }
  f->free_list[f->nfree++] = pa;
  f->in_use--;
}

/* ---- address spaces ---------------------------------------------------- */

os_err_t os_as_init_levels(os_as_t *as, os_frames_t *frames, int levels) {
  if (levels != 4 && levels != 5)
    return OS_EINVAL;
  *as = (os_as_t){.frames = frames,
                  .phys = frames->phys,
                  .table_flags = PTE_P | PTE_RW | PTE_US,
                  .levels = levels};
  return os_frames_alloc(frames, &as->pml4);
}

os_err_t os_as_init(os_as_t *as, os_frames_t *frames) {
  return os_as_init_levels(as, frames, 4);
}

/* Canonical for the address space's paging mode: 48 bits, 57 with 5 levels. */
static int canonical(const os_as_t *as, uint64_t va) {
  return pg_va_canonical_mode(va, as->levels == 5);
}

uint64_t os_as_cr3(const os_as_t *as, uint16_t pcid) {
  return as->pml4 | (pcid & CR3_PCID_MASK);
}

static uint64_t index_at(uint64_t va, int level) {
  return (va >> (12 + 9 * (level - 1))) & 511;
}

static int leaf_level(enum pg_page_size size) {
  return (int)size + 1;
}

static int is_large_leaf(uint64_t e, int level) {
  return (level == 2 || level == 3) && (e & PTE_PS);
}

os_err_t os_entry_addr(const os_as_t *as, uint64_t va, int level, uint64_t *entry_pa) {
  if (level < 1 || level > as->levels)
    return OS_EINVAL;
  if (!canonical(as, va))
    return OS_ECANON;
  uint64_t table = as->pml4;
  for (int l = as->levels; l > level; l--) {
    uint64_t e = os_read64(&as->phys, table + index_at(va, l) * 8);
    if (!(e & PTE_P) || is_large_leaf(e, l))
      return OS_ENOENT;
    table = e & PTE_ADDR;
  }
  *entry_pa = table + index_at(va, level) * 8;
  return OS_OK;
}

os_err_t os_entry_get(const os_as_t *as, uint64_t va, int level, uint64_t *value) {
  uint64_t ea;
  os_err_t err = os_entry_addr(as, va, level, &ea);
  if (err == OS_OK)
    *value = os_read64(&as->phys, ea);
  return err;
}

os_err_t os_entry_set(os_as_t *as, uint64_t va, int level, uint64_t value) {
  uint64_t ea;
  os_err_t err = os_entry_addr(as, va, level, &ea);
  if (err == OS_OK)
    os_write64(&as->phys, ea, value);
  return err;
}

os_err_t os_entry_update(os_as_t *as, uint64_t va, int level, uint64_t set, uint64_t clear) {
  uint64_t ea;
  os_err_t err = os_entry_addr(as, va, level, &ea);
  if (err == OS_OK)
    os_write64(&as->phys, ea, (os_read64(&as->phys, ea) | set) & ~clear);
  return err;
}

os_err_t os_map(os_as_t *as, uint64_t va, uint64_t pa, enum pg_page_size size, uint64_t flags) {
  uint64_t bytes = 1ull << pg_size_shift(size);
  uint64_t allowed = ~PTE_ADDR | (size != PG_SIZE_4K ? PTE_LARGE_PAT : 0);
  if (!canonical(as, va))
    return OS_ECANON;
  if ((va | pa) & (bytes - 1))
    return OS_EALIGN;
  if ((flags & ~allowed) || (pa & ~PTE_ADDR))
    return OS_EINVAL;

  int target = leaf_level(size);
  uint64_t table = as->pml4;
  for (int l = as->levels; l > target; l--) {
    uint64_t ea = table + index_at(va, l) * 8;
    uint64_t e = os_read64(&as->phys, ea);
    if (e & PTE_P) {
      if (is_large_leaf(e, l))
        return OS_EEXIST;
      table = e & PTE_ADDR;
      continue;
    }
    if (e != 0)
      return OS_EEXIST; /* a not-present entry someone set up on purpose */
    uint64_t t;
    os_err_t err = os_frames_alloc(as->frames, &t);
    if (err != OS_OK)
      return err;
    os_write64(&as->phys, ea, t | as->table_flags);
    table = t;
  }
  uint64_t ea = table + index_at(va, target) * 8;
  if (os_read64(&as->phys, ea) != 0)
    return OS_EEXIST;
  uint64_t leaf = pa | flags | PTE_P | (size != PG_SIZE_4K ? PTE_PS : 0);
  os_write64(&as->phys, ea, leaf);
  return OS_OK;
}

os_err_t os_map_range(os_as_t *as, uint64_t va, uint64_t pa, uint64_t len, enum pg_page_size size,
                      uint64_t flags) {
  uint64_t bytes = 1ull << pg_size_shift(size);
  if (len & (bytes - 1))
    return OS_EALIGN;
  for (uint64_t off = 0; off < len; off += bytes) {
    os_err_t err = os_map(as, va + off, pa + off, size, flags);
    if (err != OS_OK)
      return err;
  }
  return OS_OK;
}

/* The leaf entry of SIZE for VA, or OS_ENOENT. */
static os_err_t leaf_addr(const os_as_t *as, uint64_t va, enum pg_page_size size, uint64_t *ea) {
  int level = leaf_level(size);
  os_err_t err = os_entry_addr(as, va, level, ea);
  if (err != OS_OK)
    return err;
  uint64_t e = os_read64(&as->phys, *ea);
  if (!(e & PTE_P) || (level > 1 && !(e & PTE_PS)))
    return OS_ENOENT;
  return OS_OK;
}

os_err_t os_unmap(os_as_t *as, uint64_t va, enum pg_page_size size, uint64_t *old) {
  uint64_t ea;
  os_err_t err = leaf_addr(as, va, size, &ea);
  if (err != OS_OK)
    return err;
  if (old)
    *old = os_read64(&as->phys, ea);
  os_write64(&as->phys, ea, 0);
  return OS_OK;
}

os_err_t os_protect(os_as_t *as, uint64_t va, enum pg_page_size size, uint64_t set,
                    uint64_t clear) {
  if ((set | clear) & PTE_ADDR)
    return OS_EINVAL;
  uint64_t ea;
  os_err_t err = leaf_addr(as, va, size, &ea);
  if (err != OS_OK)
    return err;
  os_write64(&as->phys, ea, (os_read64(&as->phys, ea) | set) & ~clear);
  return OS_OK;
}

os_err_t os_translate(const os_as_t *as, uint64_t va, uint64_t *pa, enum pg_page_size *size) {
  if (!canonical(as, va))
    return OS_ECANON;
  uint64_t table = as->pml4;
  for (int l = as->levels; l >= 1; l--) {
    uint64_t e = os_read64(&as->phys, table + index_at(va, l) * 8);
    if (!(e & PTE_P))
      return OS_ENOENT;
    if (l == 1 || is_large_leaf(e, l)) {
      unsigned shift = 12 + 9 * (unsigned)(l - 1);
      *pa = (e & PTE_ADDR & ~((1ull << shift) - 1)) | (va & ((1ull << shift) - 1));
      if (size)
        *size = (enum pg_page_size)(l - 1);
      return OS_OK;
    }
    table = e & PTE_ADDR;
  }
  return OS_ENOENT;
}
