/* SPDX-License-Identifier: MIT */
/* pg_iommu.h — the golden model of the IOMMU (SPEC §4).
 *
 * Owns: the IOMMU's registers, its device-table cache and IOTLB (contents and
 * replacement, no timing), DMA address translation in the four device modes,
 * the fault log ring and the command queue. Memory and the counters of SPEC
 * §8 are shared with the CPU model. Untimed: a command queue runs to its end
 * (or to an illegal command) when software moves CQ_TAIL or enables it.
 *
 * The rules the SPEC leaves open, which the RTL follows:
 *
 *  1. The device-table cache (8 entries, fully associative, tree-PLRU) holds
 *     only entries with V=1 and no reserved bit set: faults are never cached.
 *     Its key is the RID. A hit does not reread memory.
 *  2. The IOTLB (32 entries, fully associative, tree-PLRU) is tagged by
 *     domain and IOVA page. Translate and nested modes look it up after the
 *     device-table checks and the IOVA width (reasons 1-4, 6). A matching
 *     entry is a hit when it allows the access: any entry for a read; for a
 *     write, one with RW=1 at every level and D=1 in the leaf (else the write
 *     walks again and sets D). A hit counts iotlb_hits; otherwise
 *     iotlb_misses and iommu_walks count, and the walk decides.
 *  3. Table walks use the CPU entry format as a supervisor with CR0.WP=1 and
 *     EFER.NXE=1: XD is never reserved and never checked, US and G are
 *     ignored, P makes a page readable and RW writable. Non-leaf A bits are
 *     set as the walk uses them; the leaf's A (and D on a write) only when
 *     the access succeeds. When the tables allow the access but the DTE does
 *     not (W=0 for a write, R=0 for a read), the walk sets no leaf bit and the
 *     fault is reason 9 or 10 with entry address 0.
 *  4. Reason 9 names a table when one denied the write: in nested mode the
 *     host table of the final guest-physical address first (stage 0), then
 *     the guest table (stage 1); the record's word 3 is that table's leaf.
 *  5. Nested mode: each guest entry's guest-physical address is translated
 *     through the host table as a read (its host leaf gets A, the guest
 *     entry's A-bit write goes to the host-physical address found). The final
 *     guest-physical address is translated with the access's type; the guest
 *     leaf gets A (and D) after the host leaf, both only on success. A
 *     guest-physical address wider than 48 bits is reason 6 at stage 0. The
 *     IOTLB entry is the smaller of the two pages; its RW is both tables'.
 *  6. A walk's successful translation is cached even when the result is not
 *     RAM (reason 11 is checked after the fill). A walk that faults drops the
 *     IOTLB entries of its domain matching the IOVA.
 *  7. TE=0: the IOVA is the physical address; nothing is checked, counted or
 *     logged, except that an address outside RAM fails the access (reason 11
 *     reported to the engine only).
 *  8. A fault record whose slot is not RAM is dropped and counted as dropped.
 *     A WAIT whose address is not RAM, or a command slot outside RAM, stops
 *     the queue as an illegal command does.
 *  9. Register offsets with no register are bus errors; writes to CAP and the
 *     counters are ignored. The *_LOG2 registers keep bits 4:0, and act as at
 *     most 16; ring positions keep bits 15:0 and are taken modulo the ring. */
#ifndef PG_IOMMU_H
#define PG_IOMMU_H

#include <stdint.h>

#include "pg_counters.h"
#include "pg_mem.h"
#include "pg_tlb.h"

#define PG_IOMMU_DTC_ENTRIES   8u
#define PG_IOMMU_IOTLB_ENTRIES 32u

typedef struct pg_iommu pg_iommu_t;

/* MEM and C belong to the caller (the CPU model's) and must outlive it. */
pg_iommu_t *pg_iommu_new(pg_mem_t *mem, pg_counters_t *c);
void pg_iommu_free(pg_iommu_t *io);

/* Register access at OFF (8-byte aligned). Returns 0, or -1 when there is no
 * register at OFF (a bus error). */
int pg_iommu_reg_read(pg_iommu_t *io, unsigned off, uint64_t *value);
int pg_iommu_reg_write(pg_iommu_t *io, unsigned off, uint64_t value);

/* One DMA access by device RID: returns IO_OK and the physical address, or
 * the reason it failed (enum pg_io_reason), after logging it. */
unsigned pg_iommu_translate(pg_iommu_t *io, uint16_t rid, uint64_t iova, int write, uint64_t *pa);

const pg_tlb_t *pg_iommu_iotlb(const pg_iommu_t *io);
const pg_tlb_t *pg_iommu_dte_cache(const pg_iommu_t *io);
uint64_t pg_iommu_dropped(const pg_iommu_t *io);

const char *pg_io_reason_name(unsigned reason);

#endif
