/* SPDX-License-Identifier: MIT */
/* pg_ept.h — extended page tables: the translation of one guest-physical
 * address to a host-physical one, to the letter of the Intel SDM vol. 3C
 * (section 28.2 "The extended page table mechanism", 28.3.5 "Accessed and
 * dirty flags for EPT", table 27-7 "Exit qualification for EPT violations").
 *
 * Owns: the EPTP and EPT entry formats, the walk (4 levels, 5 with a
 * page-walk length of 5), EPT misconfigurations and violations, the EPT
 * accessed and dirty flags, and the exit qualification of a violation.
 * The processor's choices where the SDM leaves one open:
 *  - execute-only translations are supported (bits 2:0 = 100b is legal);
 *  - the physical-address width is PHYS_BITS (52): no address bit of an
 *    entry is reserved;
 *  - accessed and dirty flags are written only when the translation
 *    succeeds (a walk that ends in a violation or a misconfiguration writes
 *    nothing), each entry's A once, the leaf's D for a write;
 *  - no "advanced VM-exit information": qualification bits 9-11 are 0;
 *    no mode-based execute control: bit 6 is 0 and bit 10 of entries is
 *    ignored. */
#ifndef PG_EPT_H
#define PG_EPT_H

#include <stdint.h>

#include "pg_mem.h"

/* EPTP (SDM 24.6.11). */
#define EPTP_MT_MASK   0x7ull /* memory type of the EPT paging structures */
#define EPTP_MT_UC     0x0ull
#define EPTP_MT_WB     0x6ull
#define EPTP_PWL_SHIFT 3 /* bits 5:3: page-walk length minus one */
#define EPTP_AD        (1ull << 6)
#define EPTP_RSVD      0xfff0000000000f80ull /* bits 11:7 and 63:52 */
#define EPT_ADDR_MASK  0x000ffffffffff000ull /* bits 51:12 */

/* EPT paging-structure entries (SDM 28.2.2). */
#define EPT_R          (1ull << 0)
#define EPT_W          (1ull << 1)
#define EPT_X          (1ull << 2)
#define EPT_RWX        0x7ull
#define EPT_MT_SHIFT   3           /* bits 5:3 of a leaf: memory type */
#define EPT_IPAT       (1ull << 6) /* leaf: ignore PAT */
#define EPT_PS         (1ull << 7) /* PDPTE, PDE: maps a page */
#define EPT_A          (1ull << 8)
#define EPT_D          (1ull << 9)           /* leaves only */
#define EPT_RSVD_UPPER 0x00000000000000f8ull /* PML5E, PML4E: bits 7:3 */
#define EPT_RSVD_TABLE 0x0000000000000078ull /* non-leaf PDPTE, PDE: bits 6:3 */
#define EPT_RSVD_1G    0x000000003ffff000ull /* 1 GiB leaf: bits 29:12 */
#define EPT_RSVD_2M    0x00000000001ff000ull /* 2 MiB leaf: bits 20:12 */

/* Exit qualification of an EPT violation (SDM table 27-7). */
#define EPT_QUAL_READ      (1ull << 0) /* the access was a data read */
#define EPT_QUAL_WRITE     (1ull << 1) /* a data write */
#define EPT_QUAL_FETCH     (1ull << 2) /* an instruction fetch */
#define EPT_QUAL_RWX_SHIFT 3           /* bits 5:3: the AND of bits 2:0 of the entries used */
#define EPT_QUAL_GLA_VALID (1ull << 7) /* the guest-linear-address field is valid */
/* Bit 8: the access was to the linear address's translation, not to a
 * guest paging-structure entry. */
#define EPT_QUAL_GLA_FINAL (1ull << 8)

typedef enum { PG_EPT_OK, PG_EPT_VIOLATION, PG_EPT_MISCONFIG, PG_EPT_BUS } pg_ept_status_t;

/* Why a translation ended; what the walk did. */
typedef struct {
  pg_ept_status_t status;
  uint64_t hpa;         /* ok: the host-physical address */
  unsigned rwx;         /* AND of bits 2:0 of the entries used (0 at a not-present one) */
  unsigned level;       /* the leaf's level, or the level of the entry that ended the walk */
  unsigned memtype;     /* ok: the leaf's memory type */
  unsigned reads;       /* EPT entries read from memory */
  unsigned writes;      /* EPT entries written (A/D flags) */
  uint64_t leaf;        /* ok: the leaf entry as it is left in memory */
  uint64_t entry_pa[5]; /* [level - 1]: where the entry of each level read lies */
} pg_ept_walk_t;

/* Whether the EPTP is one VM entry accepts (SDM 26.2.1.1): memory type UC
 * or WB, a page-walk length of 4 (or 5 where LA57 is supported), no
 * reserved bit. */
int pg_eptp_valid(uint64_t eptp);
/* The walk's levels: 4 or 5. */
unsigned pg_eptp_levels(uint64_t eptp);

/* A present entry at LEVEL that the processor refuses (SDM 28.2.3.1):
 * write without read, a reserved bit, a reserved memory type (2, 3, 7) in a
 * leaf. */
int pg_ept_misconfigured(uint64_t e, unsigned level);

/* Translates GPA for an access needing the rights in NEED (EPT_R, EPT_W,
 * EPT_X; a guest paging-structure access needs EPT_R, or EPT_R | EPT_W with
 * EPT A/D on). On success, with EPTP bit 6 set, sets A in every entry used
 * and, if NEED has EPT_W, D in the leaf. An entry outside RAM ends it with
 * PG_EPT_BUS. */
void pg_ept_translate(pg_mem_t *mem, uint64_t eptp, uint64_t gpa, unsigned need, pg_ept_walk_t *w);

/* The exit qualification of a violation W of an access of kind ACCESS
 * (EPT_QUAL_READ, _WRITE, _FETCH; a guest paging-structure access treated
 * as a write, with EPT A/D on, is READ | WRITE: SDM table 27-7, bit 0);
 * GLA_VALID: the access came from a linear address; FINAL: it was to the
 * linear address's translation, not to a guest paging-structure entry. */
uint64_t pg_ept_qualification(unsigned access, const pg_ept_walk_t *w, int gla_valid, int final);

#endif
