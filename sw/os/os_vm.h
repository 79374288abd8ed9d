/* SPDX-License-Identifier: MIT */
/* os_vm.h — the kernel library's frame allocator and address-space builder.
 *
 * Owns: handing out physical frames from a RAM range, and building x86-64
 * 4-level page tables in it: map, unmap and protect at 4 KiB, 2 MiB and
 * 1 GiB with any leaf flags, plus direct access to any entry at any level so
 * tests and scenarios can set up unusual tables without writing them by hand.
 * It never flushes a TLB: invalidation is the caller's job, as in a kernel. */
#ifndef OS_VM_H
#define OS_VM_H

#include <stddef.h>
#include <stdint.h>

#include "os_phys.h"
#include "pg_hw.h"

typedef enum {
  OS_OK = 0,
  OS_ENOMEM, /* no frame left in the allocator's range */
  OS_EALIGN, /* va or pa not aligned to the page size */
  OS_ECANON, /* va not canonical */
  OS_EEXIST, /* something already maps (part of) that range */
  OS_ENOENT, /* nothing mapped there at that size */
  OS_EINVAL, /* flags hold address bits, or a bad argument */
} os_err_t;

const char *os_strerror(os_err_t e);

typedef struct {
  os_phys_t phys;
  uint64_t base, limit; /* [base, limit) of RAM the allocator owns */
  uint64_t next;        /* bump pointer: every frame above it is still zero */
  uint64_t *free_list;
  size_t nfree, cap;
  size_t in_use;
} os_frames_t;

void os_frames_init(os_frames_t *f, os_phys_t phys, uint64_t base, uint64_t limit);
void os_frames_destroy(os_frames_t *f);
/* One zeroed 4 KiB frame. */
os_err_t os_frames_alloc(os_frames_t *f, uint64_t *pa);
/* A zeroed, naturally aligned block of 4 KiB, 2 MiB or 1 GiB. */
os_err_t os_frames_alloc_size(os_frames_t *f, enum pg_page_size size, uint64_t *pa);
void os_frames_free(os_frames_t *f, uint64_t pa);

typedef struct {
  os_frames_t *frames;
  os_phys_t phys;
  uint64_t pml4;        /* physical address of the root table (a PML5 with 5 levels) */
  uint64_t table_flags; /* flags of new non-leaf entries; default P|RW|US */
  int levels;           /* 4, or 5 (CR4.LA57: 57-bit addresses, a PML5 on top) */
} os_as_t;

/* A 4-level address space. */
os_err_t os_as_init(os_as_t *as, os_frames_t *frames);
/* LEVELS 4 or 5 (for CR4.LA57=1). */
os_err_t os_as_init_levels(os_as_t *as, os_frames_t *frames, int levels);

/* The leaf bits of protection key KEY (0..15), for os_map's FLAGS. */
static inline uint64_t os_pkey(unsigned key) {
  return (uint64_t)(key & 15) << PTE_PKEY_SHIFT;
}
/* The CR3 value for this address space (PCID in bits 11:0). */
uint64_t os_as_cr3(const os_as_t *as, uint16_t pcid);

/* Maps VA -> PA with one leaf of SIZE. FLAGS are the leaf's bits (P is
 * added; PS is added for 2 MiB / 1 GiB; PTE_LARGE_PAT is allowed there; in
 * a 4 KiB leaf bit 7 is PAT).
 * Missing tables are allocated with table_flags. */
os_err_t os_map(os_as_t *as, uint64_t va, uint64_t pa, enum pg_page_size size, uint64_t flags);
/* Maps [va, va + len) to consecutive frames from pa, in pages of SIZE. */
os_err_t os_map_range(os_as_t *as, uint64_t va, uint64_t pa, uint64_t len, enum pg_page_size size,
                      uint64_t flags);
/* Clears the leaf of SIZE mapping VA; *old (if not NULL) gets its value. */
os_err_t os_unmap(os_as_t *as, uint64_t va, enum pg_page_size size, uint64_t *old);
/* Leaf of SIZE mapping VA: entry = (entry | set) & ~clear. */
os_err_t os_protect(os_as_t *as, uint64_t va, enum pg_page_size size, uint64_t set, uint64_t clear);

/* Physical address of the entry at LEVEL (5 = PML5E, 4 = PML4E .. 1 = PTE) used to
 * translate VA. OS_ENOENT if a table above it is missing or a large page
 * ends the walk above LEVEL. */
os_err_t os_entry_addr(const os_as_t *as, uint64_t va, int level, uint64_t *entry_pa);
os_err_t os_entry_get(const os_as_t *as, uint64_t va, int level, uint64_t *value);
os_err_t os_entry_set(os_as_t *as, uint64_t va, int level, uint64_t value);
/* entry = (entry | set) & ~clear at LEVEL. */
os_err_t os_entry_update(os_as_t *as, uint64_t va, int level, uint64_t set, uint64_t clear);

/* Software translation of VA (no rights, no A/D): the frame-level physical
 * address and the page size. OS_ENOENT if not present. */
os_err_t os_translate(const os_as_t *as, uint64_t va, uint64_t *pa, enum pg_page_size *size);

#endif
