/* SPDX-License-Identifier: MIT */
/* pg_bus.h — the physical address decoder of SPEC §2.1.
 *
 * Owns: which target a physical address belongs to. Pure functions. */
#ifndef PG_BUS_H
#define PG_BUS_H

#include <stdint.h>

#include "pg_hw.h"

enum pg_target {
  PG_TARGET_NONE, /* no target: bus error, nothing written */
  PG_TARGET_RAM,
  PG_TARGET_NIC,   /* DMA engine 0 registers */
  PG_TARGET_DISK,  /* DMA engine 1 registers */
  PG_TARGET_IOMMU, /* IOMMU registers */
};

static inline enum pg_target pg_bus_decode(uint64_t pa) {
  if (pa < PA_RAM_LIMIT)
    return PG_TARGET_RAM;
  if (pa >= PA_NIC_BASE && pa < PA_NIC_BASE + PA_DMA_SIZE)
    return PG_TARGET_NIC;
  if (pa >= PA_DISK_BASE && pa < PA_DISK_BASE + PA_DMA_SIZE)
    return PG_TARGET_DISK;
  if (pa >= PA_IOMMU_BASE && pa < PA_IOMMU_BASE + PA_IOMMU_SIZE)
    return PG_TARGET_IOMMU;
  return PG_TARGET_NONE;
}

/* 1 when [pa, pa + size) lies wholly in RAM. */
static inline int pg_bus_is_ram(uint64_t pa, uint64_t size) {
  return pa < PA_RAM_LIMIT && size <= PA_RAM_LIMIT - pa;
}

#endif
