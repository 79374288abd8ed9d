/* SPDX-License-Identifier: MIT */
/* os_ept.h — the hypervisor's side of the kernel library: extended page
 * tables for one guest, and the guest's view of its physical memory.
 *
 * Owns: building EPT paging structures (SDM vol. 3C 28.2.2) in host frames:
 * map a guest-physical page of 4 KiB, 2 MiB or 1 GiB to a host frame with
 * any R/W/X rights (write-back memory type), direct access to any entry at
 * any level, and the software translation a hypervisor uses to reach guest
 * memory. Non-leaf entries grant R/W/X; rights are set at the leaf. A guest
 * kernel built with os_vm on os_ept_guest_phys() writes its page tables at
 * guest-physical addresses, which land in the host frames the EPT names.
 * Like os_vm it never invalidates anything: INVEPT is the caller's job. */
#ifndef OS_EPT_H
#define OS_EPT_H

#include <stdint.h>

#include "os_vm.h"
#include "pg_ept.h"

typedef struct {
  os_frames_t *frames; /* host frames, for the EPT's own tables */
  os_phys_t phys;      /* host memory */
  uint64_t root;       /* host address of the top table */
  int levels;          /* 4, or 5 (page-walk length 5) */
} os_ept_t;

os_err_t os_ept_init(os_ept_t *e, os_frames_t *host_frames, int levels);
/* The EPTP naming these tables: write-back, the page-walk length, EPT A/D
 * flags on when AD. */
uint64_t os_ept_eptp(const os_ept_t *e, int ad);

/* Maps the guest-physical page GPA of SIZE to host frame HPA with rights RWX
 * (EPT_R | EPT_W | EPT_X, any mix; 0 leaves a not-present entry). */
os_err_t os_ept_map(os_ept_t *e, uint64_t gpa, uint64_t hpa, enum pg_page_size size, unsigned rwx);
/* os_ept_map for every page of SIZE in [GPA, GPA + LEN) to the same offset
 * from HPA (LEN a multiple of the page size); stops at the first error. */
os_err_t os_ept_map_range(os_ept_t *e, uint64_t gpa, uint64_t hpa, uint64_t len,
                          enum pg_page_size size, unsigned rwx);
/* The host address of the EPT entry of LEVEL on GPA's path, or OS_ENOENT
 * where a level above is not present or maps a page. */
os_err_t os_ept_entry_addr(const os_ept_t *e, uint64_t gpa, int level, uint64_t *entry_pa);
os_err_t os_ept_entry_get(const os_ept_t *e, uint64_t gpa, int level, uint64_t *value);
os_err_t os_ept_entry_update(os_ept_t *e, uint64_t gpa, int level, uint64_t set, uint64_t clear);
/* GPA's host address, whatever the rights; OS_ENOENT where nothing maps it. */
os_err_t os_ept_translate(const os_ept_t *e, uint64_t gpa, uint64_t *hpa);

/* The guest's physical memory: reads and writes at guest-physical addresses,
 * through E's mappings into host memory. An unmapped page reads as zero; a
 * write to one is a bug of the caller (it aborts with a message). */
os_phys_t os_ept_guest_phys(os_ept_t *e);

#endif
