/* SPDX-License-Identifier: MIT */
/* pg_dram_cfg.h — DRAM configuration: DRAMsim3's .ini layout and key names
 * (SPEC §6), and the address mapping they describe.
 *
 * Owns: parsing and validating an .ini into pg_dram_cfg_t, the built-in
 * default (the same values as sim/dram/ddr3_1600.ini), the mapping of a byte
 * address to (bank group, bank, row, column) and back, and the packing of a
 * configuration into the controller's reset-time settings word. */
#ifndef PG_DRAM_CFG_H
#define PG_DRAM_CFG_H

#include <stddef.h>
#include <stdint.h>

/* Address fields, in DRAMsim3's letters. */
enum { PG_F_CH, PG_F_RA, PG_F_BG, PG_F_BA, PG_F_RO, PG_F_CO, PG_NUM_FIELDS };

typedef struct {
  /* [dram_structure] */
  char protocol[16];
  unsigned bankgroups, banks_per_group, rows, columns, device_width, BL;
  /* [timing], in cycles of tCK ns */
  double tCK;
  unsigned CL, CWL, tRCD, tRP, tRAS, tRC, tRFC, tREFI, tRRD_S, tRRD_L, tWTR_S, tWTR_L, tFAW, tWR,
      tRTP, tCCD_S, tCCD_L, tRTRS;
  /* [system] */
  unsigned bus_width, trans_queue_size;
  char address_mapping[16];
  int close_page;    /* row_buf_policy = CLOSE_PAGE */
  int bank_xor_hash; /* optional: bank ^= low row bits */
  /* pagoda's own optional keys (DRAMsim3 ignores them) */
  unsigned write_queue_size, write_high_watermark, write_low_watermark, starve_cycles;
  int in_order; /* scheduler = FCFS: the oldest request only (default FRFCFS) */
  /* derived: bit position and width of each field in the line address
   * (the byte address shifted right by 6) */
  unsigned pos[PG_NUM_FIELDS], width[PG_NUM_FIELDS];
  unsigned banks; /* bankgroups * banks_per_group */
} pg_dram_cfg_t;

typedef struct {
  unsigned bankgroup, bank_in_group, bank; /* bank: flat index, bankgroup-major */
  unsigned row, col;                       /* col: burst (64-byte) column */
} pg_dram_addr_t;

/* The hardware the controller is built for (rtl/pg_dram_ctrl.sv). */
#define PG_DRAM_MAX_BANKS 16
#define PG_DRAM_MAX_QUEUE 64 /* reads + writes queued */
#define PG_DRAM_ROW_BITS  18
#define PG_DRAM_COL_BITS  10

void pg_dram_cfg_default(pg_dram_cfg_t *c);
/* Returns 0, or -1 with "FILE:LINE: what" in ERR. */
int pg_dram_cfg_load(const char *path, pg_dram_cfg_t *c, char *err, size_t errlen);
/* Checks ranges and derives the field positions; 0 or -1 with a message. */
int pg_dram_cfg_finish(pg_dram_cfg_t *c, char *err, size_t errlen);

void pg_dram_map(const pg_dram_cfg_t *c, uint64_t addr, pg_dram_addr_t *out);
/* The line address (byte address of the 64-byte line) a location holds. */
uint64_t pg_dram_unmap(const pg_dram_cfg_t *c, unsigned bank, unsigned row, unsigned col);

/* Cycle counts the rules of SPEC §6 are written in. */
static inline unsigned pg_dram_rd_to_wr(const pg_dram_cfg_t *c) {
  return c->CL + c->BL / 2 + 2 - c->CWL;
}
static inline unsigned pg_dram_wr_to_rd(const pg_dram_cfg_t *c, int same_group) {
  return c->CWL + c->BL / 2 + (same_group ? c->tWTR_L : c->tWTR_S);
}
static inline unsigned pg_dram_wr_to_pre(const pg_dram_cfg_t *c) {
  return c->CWL + c->BL / 2 + c->tWR;
}

/* The controller's settings word (pagoda_pkg::dram_cfg_t), as 32-bit words
 * little-endian, PG_DRAM_CFG_WORDS of them. */
#define PG_DRAM_CFG_BITS  220 /* pagoda_pkg::DramCfgBits */
#define PG_DRAM_CFG_WORDS 7
void pg_dram_cfg_pack(const pg_dram_cfg_t *c, uint32_t w[PG_DRAM_CFG_WORDS]);

#endif
