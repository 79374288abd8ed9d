/* SPDX-License-Identifier: MIT */
/* pg_vshim.h — the C view of the Verilated MMU (implemented in pg_vshim.cpp,
 * the only C++ file of the project).
 *
 * Owns: nothing but the port structs and an opaque handle: new / free /
 * reset / set / eval / get / tick. One call of pgv_cycle() is one clock
 * period: inputs applied, combinational outputs settled and returned, then
 * the rising edge. */
#ifndef PG_VSHIM_H
#define PG_VSHIM_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define PGV_LINE_WORDS 8 /* 64-byte lines as 8 little-endian 64-bit words */

/* What the control port carries (pagoda_pkg::ctl_kind_e): a control-register
 * write (field: pg_ctl_field_t), an INVLPG, an INVPCID, an INVEPT, an INVVPID
 * (field: its type; ctl_pcid: INVPCID's PCID or INVVPID's VPID; ctl_value:
 * the address, or INVEPT's EPTP). */
enum pgv_ctl_kind {
  PGV_CTL_WRITE = 0,
  PGV_CTL_INVLPG = 1,
  PGV_CTL_INVPCID = 2,
  PGV_CTL_INVEPT = 3,
  PGV_CTL_INVVPID = 4
};

typedef struct {
  /* CPU request */
  uint8_t req_valid, req_op, req_user, req_ac, req_size; /* size: log2 bytes */
  uint64_t req_va, req_wdata;
  /* control write / invalidation: kind is enum pgv_ctl_kind */
  uint8_t ctl_valid, ctl_kind, ctl_field;
  uint16_t ctl_pcid;
  uint64_t ctl_value;
  /* memory port */
  uint8_t mem_req_ready;
  uint8_t mem_rsp_valid, mem_rsp_id;
  uint64_t mem_rsp_rdata[PGV_LINE_WORDS];
  uint8_t mem_rsp_err;
  uint8_t cnt_sel;
  /* the system only: read data from the DRAM this cycle */
  uint8_t rd_valid;
  uint64_t rd_data[PGV_LINE_WORDS];
} pgv_in_t;

typedef struct {
  uint8_t req_ready, ctl_ready;
  uint8_t xlat_valid;
  uint64_t xlat_pa;
  uint8_t rsp_valid, rsp_status, rsp_pa_valid, rsp_err, rsp_pf_kind, rsp_pf_level, rsp_source;
  uint64_t rsp_pa, rsp_data, cr2;
  uint64_t rsp_qual, rsp_gpa; /* an EPT exit's */
  uint8_t mem_req_valid, mem_req_we, mem_req_id;
  uint64_t mem_req_addr, mem_req_mask;
  uint64_t mem_req_wdata[PGV_LINE_WORDS];
  uint64_t cnt;
  uint8_t itlb_valid, dtlb_valid;
  /* the system only: the bus's ready to the MMU, and the DRAM command bus */
  uint8_t mem_req_ready;
  uint8_t cmd, cmd_ap, cmd_bank; /* cmd: pg_dcmd_t */
  uint32_t cmd_row, cmd_col;
  uint64_t cmd_wdata[PGV_LINE_WORDS];
  uint64_t cmd_mask;
  /* the system only: a DMA, an IOMMU command or translation under way; the
   * NIC engine's translation taken / answered this cycle */
  uint8_t io_busy, nic_tr_take, nic_tr_done;
  uint8_t dram_wr_take; /* the DRAM controller took a write, from anyone */
} pgv_out_t;

typedef struct pgv pgv_t;

/* seed: randomizes every register's reset value (x-initial unique). wave:
 * an FST file to write, or NULL. */
pgv_t *pgv_new(uint64_t seed, const char *wave);
/* The whole system (pg_system): the MMU behind the bus decoder and the DRAM
 * controller, whose settings word CFG (pg_dram_cfg_pack()) loads at reset.
 * The memory-port inputs of pgv_in_t are unused; its outputs show the MMU's
 * port as the bus sees it. */
pgv_t *pgv_new_system(uint64_t seed, const char *wave, const uint32_t cfg[7]);
void pgv_free(pgv_t *v);

/* The sizes of the translation caches this build of the RTL has (its
 * parameters, so a build with -G reports its own): the golden model is
 * given the same, or lockstep would differ on what stays cached. */
typedef struct {
  unsigned itlb_entries, dtlb_entries, l2_sets, l2_ways;
  unsigned pwc_pml5e_entries, pwc_pml4e_entries, pwc_pdpte_entries, pwc_pde_entries;
} pgv_sizes_t;
void pgv_sizes(const pgv_t *v, pgv_sizes_t *s);
/* Holds reset for a few cycles with all inputs idle. */
void pgv_reset(pgv_t *v);
/* One clock period: apply IN, settle, fill OUT, rising edge. */
void pgv_cycle(pgv_t *v, const pgv_in_t *in, pgv_out_t *out);
/* Reads counter IDX (settles combinational logic only, no clock). */
uint64_t pgv_counter(pgv_t *v, unsigned idx);
uint64_t pgv_time(const pgv_t *v); /* cycles since construction */

/* ---- the DRAM controller alone (pg_dram_ctrl) ------------------------------ */

typedef struct {
  uint8_t req_valid, req_we, req_id;
  uint64_t req_addr; /* byte address of a 64-byte line */
  uint64_t req_wdata[PGV_LINE_WORDS];
  uint64_t req_mask;
  uint8_t rd_valid; /* read data from the DRAM this cycle */
  uint64_t rd_data[PGV_LINE_WORDS];
} pgd_in_t;

typedef struct {
  uint8_t req_ready;
  uint8_t rsp_valid, rsp_id;
  uint64_t rsp_rdata[PGV_LINE_WORDS];
  uint8_t cmd, cmd_ap, cmd_bank; /* cmd: pg_dcmd_t */
  uint32_t cmd_row, cmd_col;
  uint64_t cmd_wdata[PGV_LINE_WORDS];
  uint64_t cmd_mask;
} pgd_out_t;

typedef struct pgd pgd_t;

/* CFG: the settings word (pg_dram_cfg_pack()), loaded during reset. */
pgd_t *pgd_new(uint64_t seed, const char *wave, const uint32_t cfg[7]);
void pgd_free(pgd_t *d);
void pgd_reset(pgd_t *d);
void pgd_cycle(pgd_t *d, const pgd_in_t *in, pgd_out_t *out);
uint64_t pgd_counter(pgd_t *d, unsigned idx); /* 0..7, see rtl/pg_dram_ctrl.sv */

#ifdef __cplusplus
}
#endif

#endif
