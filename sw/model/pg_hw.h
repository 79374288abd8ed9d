/* SPDX-License-Identifier: MIT */
/* pg_hw.h — named constants for every hardware bit and address pagoda uses.
 *
 * Owns: x86-64 paging-entry bits, page-fault error-code bits, control-register
 * bits, page sizes and the physical memory map of SPEC §2.1. Nothing here has
 * state; every other module includes it instead of writing numbers. */
#ifndef PG_HW_H
#define PG_HW_H

#include <stdint.h>

/* Paging-structure entry bits (SDM vol. 3 §4.5, SPEC §3). */
#define PTE_P    (1ull << 0)
#define PTE_RW   (1ull << 1)
#define PTE_US   (1ull << 2)
#define PTE_PWT  (1ull << 3)
#define PTE_PCD  (1ull << 4)
#define PTE_A    (1ull << 5)
#define PTE_D    (1ull << 6)
#define PTE_PS   (1ull << 7) /* PDPTE, PDE: maps a 1 GiB / 2 MiB page */
#define PTE_PAT  (1ull << 7) /* PTE: PAT bit, never reserved */
#define PTE_G    (1ull << 8)
#define PTE_XD   (1ull << 63)
#define PTE_ADDR 0x000ffffffffff000ull /* bits 51:12 */

/* Bits 62:59 of a leaf: its protection key with CR4.PKE or CR4.PKS on
 * (SDM 4.6.2); ignored otherwise, and always ignored in a non-leaf entry. */
#define PTE_PKEY_SHIFT 59
#define PTE_PKEY_MASK  (0xfull << PTE_PKEY_SHIFT)

/* In a 2 MiB / 1 GiB leaf bit 12 is PAT; the frame bits below the page size
 * (20:13 resp. 29:13) are reserved. */
#define PTE_LARGE_PAT     (1ull << 12)
#define PTE_RSVD_2M_FRAME 0x00000000001fe000ull /* bits 20:13 */
#define PTE_RSVD_1G_FRAME 0x000000003fffe000ull /* bits 29:13 */

/* Page-fault error code (SPEC §3). */
#define PF_ERR_P    (1u << 0)
#define PF_ERR_W    (1u << 1)
#define PF_ERR_U    (1u << 2)
#define PF_ERR_RSVD (1u << 3)
#define PF_ERR_ID   (1u << 4)
#define PF_ERR_PK   (1u << 5)

/* CR3. */
#define CR3_PCID_MASK 0xfffull
#define CR3_BASE_MASK PTE_ADDR
#define CR3_NOFLUSH   (1ull << 63)
#define CR3_RSVD_MASK 0x7ff0000000000000ull /* bits 62:52 */

/* Virtual addresses: 48-bit canonical, 57-bit with CR4.LA57 (5-level
 * paging). Translation caches tag VA[56:shift] in both modes: a canonical
 * 48-bit address repeats bit 47 in bits 56:48, so the wider tag changes
 * nothing in 4-level mode. */
#define VA_BITS      48
#define VA_BITS_LA57 57

#define PHYS_BITS 52
#define PHYS_MASK ((1ull << PHYS_BITS) - 1)

/* Page sizes, as the level of the leaf: 1 = 4 KiB (PTE), 2 = 2 MiB (PDE),
 * 3 = 1 GiB (PDPTE). */
enum pg_page_size { PG_SIZE_4K = 0, PG_SIZE_2M = 1, PG_SIZE_1G = 2, PG_NUM_SIZES = 3 };
#define PAGE_SHIFT_4K 12
#define PAGE_SHIFT_2M 21
#define PAGE_SHIFT_1G 30
#define PAGE_MASK_4K  0xfffull /* the offset within a 4 KiB page (or table) */

static inline unsigned pg_size_shift(enum pg_page_size s) {
  return s == PG_SIZE_4K ? PAGE_SHIFT_4K : s == PG_SIZE_2M ? PAGE_SHIFT_2M : PAGE_SHIFT_1G;
}

/* Paging-structure entries, for every walk (the CPU's and the IOMMU's). */

/* The VA bit a level's table index starts at: 12 (PT) .. 39 (PML4), 48
 * (PML5); also the page size of a leaf at that level. */
static inline unsigned pg_level_shift(int level) {
  return 12u + 9u * (unsigned)(level - 1);
}

/* The address of the entry at LEVEL of TABLE that translates VA. */
static inline uint64_t pg_entry_addr(uint64_t table, uint64_t va, int level) {
  return table + ((va >> pg_level_shift(level)) & 511) * 8;
}

/* A present entry at LEVEL ends the walk (PT, or PS=1 in a PD/PDPT). */
static inline int pg_entry_is_leaf(uint64_t e, int level) {
  return level == 1 || ((level == 2 || level == 3) && (e & PTE_PS));
}

/* Reserved-bit violation in a present entry at LEVEL (SPEC §3): XD=1 while
 * NXE=0, PS=1 in a PML4E or PML5E, nonzero low frame bits in a large leaf. */
static inline int pg_entry_reserved(uint64_t e, int level, int nxe) {
  if ((e & PTE_XD) && !nxe)
    return 1;
  if (level >= 4 && (e & PTE_PS))
    return 1;
  if (level == 3 && (e & PTE_PS) && (e & PTE_RSVD_1G_FRAME))
    return 1;
  if (level == 2 && (e & PTE_PS) && (e & PTE_RSVD_2M_FRAME))
    return 1;
  return 0;
}

/* Bits 63:BITS-1 all equal. */
static inline int pg_va_canonical_bits(uint64_t va, unsigned bits) {
  uint64_t top = va >> (bits - 1);
  return top == 0 || top == (UINT64_MAX >> (bits - 1));
}

static inline int pg_va_canonical(uint64_t va) {
  return pg_va_canonical_bits(va, VA_BITS);
}

/* Canonical in a paging mode: 57 bits with CR4.LA57, else 48. */
static inline int pg_va_canonical_mode(uint64_t va, int la57) {
  return pg_va_canonical_bits(va, la57 ? VA_BITS_LA57 : VA_BITS);
}

/* Physical memory map (SPEC §2.1). */
#define PA_RAM_BASE   0x000000000ull
#define PA_RAM_LIMIT  0x0c0000000ull /* exclusive */
#define PA_NIC_BASE   0x0c0000000ull
#define PA_DISK_BASE  0x0c0000100ull
#define PA_DMA_SIZE   0x100ull
#define PA_IOMMU_BASE 0x0c0001000ull
#define PA_IOMMU_SIZE 0x1000ull

#define RID_NIC  0x0008u /* 00:01.0 */
#define RID_DISK 0x0010u /* 00:02.0 */

#define LINE_BYTES 64u

/* IOMMU registers (SPEC §4), offsets from PA_IOMMU_BASE. */
#define IOMMU_CAP              0x00u
#define IOMMU_CTRL             0x08u
#define IOMMU_DT_BASE          0x10u
#define IOMMU_DT_LOG2          0x18u
#define IOMMU_FL_BASE          0x20u
#define IOMMU_FL_LOG2          0x28u
#define IOMMU_FL_HEAD          0x30u
#define IOMMU_FL_TAIL          0x38u
#define IOMMU_FSTS             0x40u
#define IOMMU_CQ_BASE          0x48u
#define IOMMU_CQ_LOG2          0x50u
#define IOMMU_CQ_TAIL          0x58u
#define IOMMU_CQ_HEAD          0x60u
#define IOMMU_CQ_STS           0x68u
#define IOMMU_CNT_IOTLB_HITS   0x80u
#define IOMMU_CNT_IOTLB_MISSES 0x88u
#define IOMMU_CNT_WALKS        0x90u
#define IOMMU_CNT_FAULTS       0x98u
#define IOMMU_CNT_DROPPED      0xa0u

#define IOMMU_VERSION        1u
#define IOMMU_CAP_NESTED     (1ull << 16)
#define IOMMU_CTRL_TE        (1ull << 0)
#define IOMMU_CTRL_FLE       (1ull << 1)
#define IOMMU_CTRL_CQE       (1ull << 2)
#define IOMMU_FSTS_PENDING   (1ull << 0)
#define IOMMU_FSTS_OVERFLOW  (1ull << 1)
#define IOMMU_CQ_STS_STOPPED (1ull << 0)
#define IOMMU_MAX_LOG2       16u /* DT_LOG2, FL_LOG2, CQ_LOG2 */

/* Device-table entry (32 bytes at DT_BASE + 32 x RID). */
#define DTE_BYTES        32u
#define DTE_V            (1ull << 0)
#define DTE_MODE_SHIFT   1
#define DTE_MODE_MASK    (3ull << DTE_MODE_SHIFT)
#define DTE_R            (1ull << 3)
#define DTE_W            (1ull << 4)
#define DTE_DOMAIN_SHIFT 16
#define DTE_DOMAIN_MASK  (0xffffull << DTE_DOMAIN_SHIFT)
#define DTE_W0_DEFINED   (DTE_V | DTE_MODE_MASK | DTE_R | DTE_W | DTE_DOMAIN_MASK)
enum pg_dte_mode { DTE_BLOCKED = 0, DTE_PASS = 1, DTE_TRANSLATE = 2, DTE_NESTED = 3 };

/* Fault reasons, in priority order (SPEC §4), and the DMA engines' own. */
enum pg_io_reason {
  IO_OK = 0,
  IO_R_RID = 1,         /* requester ID >= 2^DT_LOG2 */
  IO_R_DTE_INVALID = 2, /* DTE V=0 */
  IO_R_DTE_RSVD = 3,    /* DTE reserved bits set */
  IO_R_BLOCKED = 4,     /* MODE blocked */
  IO_R_BUS = 5,         /* a device-table or page-table read hit a bus error */
  IO_R_IOVA_WIDE = 6,   /* IOVA (or a guest-physical address) wider than 48 bits */
  IO_R_NOT_PRESENT = 7,
  IO_R_RSVD = 8,
  IO_R_WRITE = 9,
  IO_R_READ = 10,
  IO_R_NOT_RAM = 11,
  IO_R_DMA_ALIGN = 0xff, /* DMA engine: SRC, DST or LEN not a multiple of 8 */
};

/* Fault record (32 bytes), word 0. */
#define FR_BYTES        32u
#define FR_RID_SHIFT    8
#define FR_WRITE        (1ull << 24)
#define FR_STAGE_GUEST  (1ull << 25)
#define FR_LEVEL_SHIFT  26
#define FR_DOMAIN_SHIFT 32

/* Commands (16 bytes at CQ_BASE + 16 x index). */
#define CMD_BYTES      16u
#define CMD_INV_DTE    1u
#define CMD_INV_DOMAIN 2u
#define CMD_INV_PAGE   3u
#define CMD_INV_ALL    4u
#define CMD_WAIT       5u
#define CMD_ARG_SHIFT  16 /* RID or domain in word 0 bits 31:16 */

/* DMA engine registers (SPEC §5), offsets from the engine's base. */
#define DMA_SRC          0x00u
#define DMA_DST          0x08u
#define DMA_LEN          0x10u
#define DMA_CTRL         0x18u
#define DMA_STATUS       0x20u
#define DMA_ERR_REASON   0x28u
#define DMA_ERR_IOVA     0x30u
#define DMA_CTRL_START   (1ull << 0)
#define DMA_STATUS_BUSY  (1ull << 0)
#define DMA_STATUS_DONE  (1ull << 1)
#define DMA_STATUS_ERROR (1ull << 2)

#endif
