/* SPDX-License-Identifier: MIT */
/* pg_model.h — the golden reference model of pagoda's CPU side.
 *
 * Owns: the architectural state a CPU access sees (control registers, PKRU
 * and IA32_PKRS, CR2, physical memory through pg_mem), x86-64 4-level and
 * 5-level (CR4.LA57) translation with protection keys (CR4.PKE, CR4.PKS) to
 * the letter of SPEC §3 and the Intel SDM vol. 3 ch. 4, and the translation
 * caches of SPEC §3.1 modelled for contents and replacement (L1 iTLB and
 * dTLB, the L2 TLB, the PML5E/PML4E/PDPTE/PDE walk caches) with the counters
 * of SPEC §8.
 *
 * The model is untimed: every access takes one "cycle" and `wait` adds
 * cycles. Where a stale cached translation is architecturally visible (a PTE
 * changed without invalidation) the model uses the cached entry, as hardware
 * does. The micro-architectural rules it fixes, and the RTL follows, are:
 *
 *  1. An access looks up its L1 TLB (iTLB for fetches, dTLB otherwise). A
 *     matching entry is a hit only if it permits the access under the current
 *     control bits, PKRU and IA32_PKRS (the entry caches the leaf's key) and,
 *     for a store, has D=1; otherwise the lookup is a miss.
 *  2. On an L1 miss the L2 TLB is probed for 4 KiB, then 2 MiB, then 1 GiB
 *     pages (each size has its own index: VA[18:12], VA[27:21], VA[36:30] for
 *     128 sets); the first usable match is a hit and is copied into the L1.
 *  3. On an L2 miss the walker starts from the deepest walk-cache hit (PDE,
 *     else PDPTE, else PML4E, else PML5E with LA57, else CR3). Only the
 *     walker raises page faults.
 *  4. A successful walk fills the walk caches for the non-leaf entries it read
 *     from memory, then the L2 TLB and the L1 TLB. Every fill first drops the
 *     entries that match the address in the current context.
 *  5. A page fault drops every TLB entry matching the faulting address and
 *     every walk-cache entry that would be used for it (SDM 4.10.4.1).
 *  6. A walk whose table read leaves RAM ends the access with a bus error;
 *     nothing is cached, CR2 is untouched.
 *
 * Virtual machines (SDM vol. 3C ch. 28, pg_ept.h). With EPT on (ctl ept=1),
 * CR3 and every guest paging-structure entry hold guest-physical addresses:
 *
 *  7. Each guest table the walk reads is found through an EPT walk of its
 *     guest-physical address, needing read rights (read and write with EPT
 *     A/D on, SDM 28.2.3.2); a guest A/D update needs write rights on the
 *     table's page. The final guest-physical address is translated with the
 *     access's own right (read, write, execute). A guest leaf's A/D bits are
 *     written only once the final translation succeeded; non-leaf A bits as
 *     the walk passes them, as without EPT.
 *  8. Caches hold combined mappings (SDM 28.4.1): a TLB entry maps a
 *     guest-linear page straight to its host frame (its size the smaller of
 *     the guest's and EPT's pages) with the EPT rights of the page; a walk-
 *     cache entry holds the host-physical address of the next guest table
 *     and the EPT rights of that table's page. Every entry is tagged by VPID,
 *     PCID and EP4TA (EPTP bits 51:12; none with EPT off). No EPT entry is
 *     cached on its own: every EPT walk starts at the EPTP.
 *  9. A change of ept, eptp or vpid (a VM entry or exit) flushes nothing.
 *     CR3 writes, INVLPG, INVPCID, CR4 toggles and page faults act on the
 *     current VPID's entries only, for every EP4TA (SDM 28.4.3.1).
 * 10. An EPT violation or misconfiguration ends the access (status ept or
 *     eptmc) with the guest-physical address and, for a violation, the exit
 *     qualification and the guest-linear address; nothing is cached or
 *     dropped, CR2 is untouched. */
#ifndef PG_MODEL_H
#define PG_MODEL_H

#include <stdint.h>

#include "pg_counters.h"
#include "pg_ept.h"
#include "pg_mem.h"
#include "pg_tlb.h"

typedef struct {
  unsigned itlb_entries; /* L1 iTLB, fully associative, power of two */
  unsigned dtlb_entries; /* L1 dTLB */
  unsigned l2_sets;      /* L2 TLB sets (power of two) */
  unsigned l2_ways;      /* L2 TLB ways (power of two) */
  unsigned pwc_pml5e_entries;
  unsigned pwc_pml4e_entries;
  unsigned pwc_pdpte_entries;
  unsigned pwc_pde_entries;
} pg_model_config_t;

/* SPEC §3.1 defaults: 32/32-entry L1s, 128 x 4 L2, walk caches 2 (PML5E),
 * 4 (PML4E), 4 (PDPTE), 8 (PDE). */
void pg_model_default_config(pg_model_config_t *cfg);

typedef enum { PG_OP_LOAD, PG_OP_STORE, PG_OP_FETCH } pg_op_t;
typedef enum {
  PG_ST_OK,
  PG_ST_PF,
  PG_ST_GP,
  PG_ST_BUS,
  PG_ST_EPT,   /* an EPT violation */
  PG_ST_EPTMC, /* an EPT misconfiguration */
} pg_status_t;

typedef enum {
  PG_PF_NONE,
  PG_PF_NOT_PRESENT,
  PG_PF_RESERVED,
  PG_PF_USER,  /* user access to a supervisor page */
  PG_PF_WRITE, /* write to a read-only page */
  PG_PF_NX,    /* fetch from an XD page */
  PG_PF_SMEP,
  PG_PF_SMAP,
  PG_PF_PK, /* a protection key denies a data access the page allows */
} pg_pf_kind_t;

typedef struct {
  pg_op_t op;
  uint8_t user;  /* 1: CPL 3; 0: supervisor */
  uint8_t ac;    /* EFLAGS.AC for SMAP (supervisor data accesses only) */
  unsigned size; /* 1, 2, 4, 8; va aligned to it */
  uint64_t va;
  uint64_t wdata; /* stores */
} pg_access_t;

typedef struct {
  pg_status_t status;
  uint64_t pa; /* translated address (ok, and bus after translation) */
  uint8_t pa_valid;
  uint64_t data; /* loads and fetches that completed ok */
  uint32_t err;  /* page-fault error code */
  pg_pf_kind_t pf_kind;
  uint8_t pf_level; /* 5 (PML5E) .. 1 (PTE) of the entry that decided a fault */
  uint64_t qual;    /* EPT violation: the exit qualification (SDM table 27-7) */
  uint64_t gpa;     /* EPT violation or misconfiguration: the guest-physical address */
  uint64_t gla;     /* EPT violation: the guest-linear address */
  uint8_t l1_hit, l2_hit, walked;
} pg_result_t;

typedef enum {
  PG_CTL_CR3,
  PG_CTL_WP,
  PG_CTL_NXE,
  PG_CTL_SMEP,
  PG_CTL_SMAP,
  PG_CTL_PCIDE,
  PG_CTL_PGE,
  PG_CTL_LA57, /* CR4.LA57: 5-level paging */
  PG_CTL_PKE,  /* CR4.PKE: keys of user-mode addresses, from PKRU */
  PG_CTL_PKS,  /* CR4.PKS: keys of supervisor-mode addresses, from IA32_PKRS */
  PG_CTL_PKRU, /* the PKRU register (32 bits) */
  PG_CTL_PKRS, /* the IA32_PKRS MSR (bits 31:0; 63:32 reserved) */
  PG_CTL_EPT,  /* 1: in a guest with EPT on ("enable EPT") */
  PG_CTL_EPTP, /* the EPT pointer (pg_eptp_valid before ept=1) */
  PG_CTL_VPID, /* the current VPID (0: the host) */
  /* CR3 as a VM entry or exit loads it (from the VMCS): nothing is flushed,
   * VPIDs keep the contexts apart (SDM 28.4.3.3). */
  PG_CTL_VM_CR3,
} pg_ctl_field_t;

typedef struct {
  uint64_t cr3; /* as loaded, bit 63 (no-flush) cleared */
  uint8_t wp, nxe, smep, smap, pcide, pge, la57, pke, pks;
  uint32_t pkru, pkrs; /* key i: bit 2i access-disable, bit 2i+1 write-disable */
  uint8_t ept;
  uint64_t eptp;
  uint16_t vpid;
} pg_ctl_t;

typedef enum {
  PG_TLB_ITLB,
  PG_TLB_DTLB,
  PG_TLB_L2,
  PG_PWC_PML4E,
  PG_PWC_PDPTE,
  PG_PWC_PDE,
  PG_PWC_PML5E
} pg_cache_id_t;

typedef struct pg_model pg_model_t;

pg_model_t *pg_model_new(const pg_model_config_t *cfg); /* NULL: defaults */
void pg_model_free(pg_model_t *m);

pg_mem_t *pg_model_mem(pg_model_t *m);
/* The devices on the register bus (IOMMU, DMA engines): CPU accesses to the
 * device windows reach them; they share the model's memory and counters. */
struct pg_io *pg_model_io(pg_model_t *m);
const pg_ctl_t *pg_model_ctl(const pg_model_t *m);
uint64_t pg_model_cr2(const pg_model_t *m);
uint16_t pg_model_pcid(const pg_model_t *m); /* current PCID (0 when PCIDE=0) */
const pg_counters_t *pg_model_counters(const pg_model_t *m);
const pg_tlb_t *pg_model_cache(const pg_model_t *m, pg_cache_id_t id);

/* Writes one control field; CR3 writes and CR4.PGE/PCIDE/LA57 toggles flush
 * as in SPEC §3 (the current VPID's entries). Other toggles and PKRU/PKRS writes flush nothing:
 * their checks use the current value (keys are checked against the key each TLB entry caches). PKRU
 * and PKRS keep their low 32 bits. */
void pg_model_write_ctl(pg_model_t *m, pg_ctl_field_t f, uint64_t value);
void pg_model_invlpg(pg_model_t *m, uint64_t va);
/* type 0..3; va is used by type 0 only: non-canonical there, nothing is
 * invalidated (the instruction would raise #GP). */
void pg_model_invpcid(pg_model_t *m, unsigned type, uint16_t pcid, uint64_t va);
/* INVEPT (SDM 28.4.3.1): type 1 drops the combined mappings of EPTP's
 * EP4TA, type 2 every combined mapping; every VPID and PCID. */
void pg_model_invept(pg_model_t *m, unsigned type, uint64_t eptp);
/* INVVPID: type 0 the mappings of VA (globals too) and the walk-cache
 * entries of VPID; 1 all of VPID; 2 all but VPID 0's; 3 all of VPID but
 * globals; every PCID and EP4TA. Types 0, 1, 3 with VPID 0, and type 0 with
 * a non-canonical VA, fail and invalidate nothing. */
void pg_model_invvpid(pg_model_t *m, unsigned type, uint16_t vpid, uint64_t va);
void pg_model_access(pg_model_t *m, const pg_access_t *a, pg_result_t *r);
void pg_model_wait(pg_model_t *m, uint64_t cycles);

const char *pg_op_name(pg_op_t op);
const char *pg_status_name(pg_status_t s);
const char *pg_pf_kind_name(pg_pf_kind_t k);

#endif
