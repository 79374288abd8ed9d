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

/* CR3. */
#define CR3_PCID_MASK  0xfffull
#define CR3_BASE_MASK  PTE_ADDR
#define CR3_NOFLUSH    (1ull << 63)
#define CR3_RSVD_MASK  0x7ff0000000000000ull /* bits 62:52 */

/* Virtual addresses: 48-bit canonical. */
#define VA_BITS        48
#define PHYS_BITS      52
#define PHYS_MASK      ((1ull << PHYS_BITS) - 1)

/* Page sizes, as the level of the leaf: 1 = 4 KiB (PTE), 2 = 2 MiB (PDE),
 * 3 = 1 GiB (PDPTE). */
enum pg_page_size { PG_SIZE_4K = 0, PG_SIZE_2M = 1, PG_SIZE_1G = 2, PG_NUM_SIZES = 3 };
#define PAGE_SHIFT_4K 12
#define PAGE_SHIFT_2M 21
#define PAGE_SHIFT_1G 30

static inline unsigned pg_size_shift(enum pg_page_size s) {
  return s == PG_SIZE_4K ? PAGE_SHIFT_4K : s == PG_SIZE_2M ? PAGE_SHIFT_2M : PAGE_SHIFT_1G;
}

static inline int pg_va_canonical(uint64_t va) {
  uint64_t top = va >> (VA_BITS - 1); /* bits 63:47 */
  return top == 0 || top == (UINT64_MAX >> (VA_BITS - 1));
}

/* Physical memory map (SPEC §2.1). */
#define PA_RAM_BASE    0x000000000ull
#define PA_RAM_LIMIT   0x0c0000000ull /* exclusive */
#define PA_NIC_BASE    0x0c0000000ull
#define PA_DISK_BASE   0x0c0000100ull
#define PA_DMA_SIZE    0x100ull
#define PA_IOMMU_BASE  0x0c0001000ull
#define PA_IOMMU_SIZE  0x1000ull

#define RID_NIC  0x0008u /* 00:01.0 */
#define RID_DISK 0x0010u /* 00:02.0 */

#define LINE_BYTES 64u

#endif
