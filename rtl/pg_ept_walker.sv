// SPDX-License-Identifier: MIT
// pg_ept_walker — the EPT walk of one guest-physical address (Intel SDM
// vol. 3C 28.2), the golden model's pg_ept_translate() step for step.
//
// Starts at the EPTP's top table (4 or 5 levels) and reads one entry per
// level through a 64-byte line port. An entry with R/W/X all 0 is not
// present: a violation. A present entry that writes without reading, sets a
// reserved bit, or (a leaf) has memory type 2, 3 or 7 is a
// misconfiguration, checked before rights. The rights are the AND of bits
// 2:0 over the levels; at the leaf the access's need (R, W, X; R|W for a
// guest paging-structure access with EPT A/D on) must be among them, else a
// violation. Only a walk that succeeds writes EPT A/D flags (EPTP bit 6):
// A in every entry it used, top down, and D in the leaf when the need has
// W; each a masked 8-byte write, skipped where the flag is already set. An
// entry outside RAM ends the walk with a bus error.
//
// The caller (pg_walker's 2-D walk) holds start_i for one cycle while idle
// and takes the result in the cycle done_o is high.
`include "pg_assert.svh"

module pg_ept_walker (
  input  logic clk_i,
  input  logic rst_ni,

  input  logic                            start_i,
  output logic                            busy_o,
  input  logic [63:0]                     st_eptp_i,
  input  logic [pagoda_pkg::PfnBits-1:0]  st_gfn_i,    // the guest-physical page
  input  logic [2:0]                      st_need_i,  // R 0, W 1, X 2

  output logic                            done_o,      // one cycle; results valid
  output pagoda_pkg::ept_status_e         res_status_o,
  output logic [pagoda_pkg::PfnBits-1:0]  res_hfn_o,   // ok: the page's host frame (4 KiB)
  output logic [2:0]                      res_rwx_o,   // the AND of bits 2:0 of the entries used
  output logic [2:0]                      res_level_o, // ok: the leaf's level (1, 2 or 3)
  output logic                            res_dirty_o, // ok: the leaf's D as left in memory

  output logic                            mem_req_valid_o,
  input  logic                            mem_req_ready_i,
  output logic                            mem_req_we_o,
  output logic [pagoda_pkg::PaBits-1:0]   mem_req_addr_o,
  output logic [pagoda_pkg::LineBits-1:0] mem_req_wdata_o,
  output logic [pagoda_pkg::LineBytes-1:0] mem_req_mask_o,
  input  logic                            mem_rsp_valid_i,
  input  logic [pagoda_pkg::LineBits-1:0] mem_rsp_rdata_i,

  output logic                            ev_read_o,
  output logic                            ev_write_o
);

  localparam int unsigned PaBits  = pagoda_pkg::PaBits;
  localparam int unsigned PfnBits = pagoda_pkg::PfnBits;

  typedef enum logic [2:0] {StIdle, StRead, StWait, StAd, StDone} state_e;
  state_e state_q, state_d;

  logic [PfnBits-1:0] gfn_q, gfn_d;
  logic [2:0]         need_q, need_d;
  logic               ad_q, ad_d;       // EPTP bit 6
  logic [2:0]         top_q, top_d;     // 4 or 5
  logic [2:0]         level_q, level_d; // the level read now (StRead/StWait), or written (StAd)
  logic [PfnBits-1:0] table_q, table_d;
  logic [2:0]         rwx_q, rwx_d;
  pagoda_pkg::ept_status_e status_q, status_d;
  logic [PfnBits-1:0] hfn_q, hfn_d;
  logic [2:0]         leaf_q, leaf_d;   // the leaf's level
  logic               dirty_q, dirty_d;
  // The entries the walk used, by level - 1, and where they lie: the A/D
  // pass writes them back once the walk has succeeded.
  logic [63:0]        ent_q [5];
  logic [PaBits-4:0]  ent_ea_q [5];     // address bits 51:3

  // The entry this level reads.
  logic [8:0]        index;
  logic [PaBits-1:0] ea;
  logic [63:0]       e;
  assign index = gfn_q[9 * (32'(level_q) - 1) +: 9];
  assign ea    = {table_q, index, 3'b000};
  assign e     = mem_rsp_rdata_i[{ea[5:3], 6'b0} +: 64];

  // SDM 28.2.3.1: the kinds of misconfiguration of a present entry.
  logic is_leaf, miscfg, mt_bad;
  logic [2:0] mt;
  assign is_leaf = level_q == 3'd1 || ((level_q == 3'd2 || level_q == 3'd3) && e[7]);
  assign mt      = e[5:3];
  assign mt_bad  = mt == 3'd2 || mt == 3'd3 || mt == 3'd7;
  assign miscfg  = (e[pagoda_pkg::EptW] && !e[pagoda_pkg::EptR]) ||
                   (level_q >= 3'd4 && e[7:3] != '0) ||
                   ((level_q == 3'd2 || level_q == 3'd3) && !is_leaf && e[6:3] != '0) ||
                   (level_q == 3'd3 && is_leaf && e[29:12] != '0) ||
                   (level_q == 3'd2 && is_leaf && e[20:12] != '0) ||
                   (is_leaf && mt_bad);

  // A leaf's host frame for the page: its frame above the page size, the
  // guest page's number below.
  logic [PfnBits-1:0] leaf_hfn;
  always_comb begin
    leaf_hfn = e[51:12];
    if (level_q == 3'd2) leaf_hfn[8:0] = gfn_q[8:0];
    if (level_q == 3'd3) leaf_hfn[17:0] = gfn_q[17:0];
  end

  // The A/D pass: the entry of level_q with its flags set.
  logic [63:0] ad_old, ad_new;
  assign ad_old = ent_q[3'(level_q - 3'd1)];
  always_comb begin
    ad_new = ad_old;
    ad_new[pagoda_pkg::EptA] = 1'b1;
    if (level_q == leaf_q && need_q[pagoda_pkg::EptW]) ad_new[pagoda_pkg::EptD] = 1'b1;
  end
  logic ad_write;  // this level's flags change
  assign ad_write = state_q == StAd && ad_new != ad_old;

  always_comb begin
    state_d = state_q;
    gfn_d = gfn_q; need_d = need_q; ad_d = ad_q; top_d = top_q; level_d = level_q;
    table_d = table_q; rwx_d = rwx_q; status_d = status_q; hfn_d = hfn_q; leaf_d = leaf_q;
    dirty_d = dirty_q;
    ev_read_o = 1'b0;
    ev_write_o = 1'b0;
    unique case (state_q)
      StIdle: begin
        if (start_i) begin
          gfn_d = st_gfn_i;
          need_d = st_need_i;
          ad_d = st_eptp_i[pagoda_pkg::EptpAd];
          top_d = st_eptp_i[5:3] + 3'd1;
          level_d = st_eptp_i[5:3] + 3'd1;
          table_d = st_eptp_i[51:12];
          rwx_d = 3'b111;
          status_d = pagoda_pkg::EptOk;
          dirty_d = 1'b0;
          state_d = StRead;
        end
      end
      StRead: begin
        if (!pagoda_pkg::is_ram(ea)) begin
          status_d = pagoda_pkg::EptBus;
          state_d = StDone;
        end else if (mem_req_ready_i) begin
          ev_read_o = 1'b1;
          state_d = StWait;
        end
      end
      StWait: begin
        if (mem_rsp_valid_i) begin
          rwx_d = rwx_q & e[2:0];
          if (e[2:0] == 3'b000) begin  // not present: bits 62:3 ignored
            status_d = pagoda_pkg::EptViol;
            state_d = StDone;
          end else if (miscfg) begin
            status_d = pagoda_pkg::EptMiscfg;
            state_d = StDone;
          end else if (!is_leaf) begin
            table_d = e[51:12];
            level_d = level_q - 3'd1;
            state_d = StRead;
          end else begin
            leaf_d = level_q;
            hfn_d = leaf_hfn;
            dirty_d = e[pagoda_pkg::EptD];
            if ((need_q & rwx_d) != need_q) begin
              status_d = pagoda_pkg::EptViol;
              state_d = StDone;
            end else if (ad_q) begin
              level_d = top_q;  // the A/D pass, top down
              state_d = StAd;
            end else begin
              state_d = StDone;
            end
          end
        end
      end
      StAd: begin
        if (!ad_write || mem_req_ready_i) begin
          ev_write_o = ad_write;
          if (level_q == leaf_q) begin
            dirty_d = ad_new[pagoda_pkg::EptD];
            state_d = StDone;
          end else begin
            level_d = level_q - 3'd1;
          end
        end
      end
      StDone: state_d = StIdle;
      default: state_d = StIdle;
    endcase
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      state_q <= StIdle;
    end else begin
      state_q <= state_d;
    end
  end

  always_ff @(posedge clk_i) begin
    gfn_q <= gfn_d; need_q <= need_d; ad_q <= ad_d; top_q <= top_d; level_q <= level_d;
    table_q <= table_d; rwx_q <= rwx_d; status_q <= status_d; hfn_q <= hfn_d;
    leaf_q <= leaf_d; dirty_q <= dirty_d;
    if (state_q == StWait && mem_rsp_valid_i) begin
      ent_q[3'(level_q - 3'd1)] <= e;
      ent_ea_q[3'(level_q - 3'd1)] <= ea[PaBits-1:3];
    end
  end

  // The request is the state's alone (valid never waits for ready).
  logic [PaBits-4:0] wr_ea;
  assign wr_ea = ent_ea_q[3'(level_q - 3'd1)];
  assign mem_req_valid_o = (state_q == StRead && pagoda_pkg::is_ram(ea)) || ad_write;
  assign mem_req_we_o    = state_q == StAd;
  assign mem_req_addr_o  = (state_q == StAd) ? {wr_ea[PaBits-4:3], 6'b0}
                                             : {ea[PaBits-1:6], 6'b0};
  assign mem_req_wdata_o = (state_q == StAd) ? {8{ad_new}} : '0;
  localparam logic [pagoda_pkg::LineBytes-1:0] EntryMask = 'hff;
  assign mem_req_mask_o  = (state_q == StAd) ? EntryMask << {wr_ea[2:0], 3'b000} : '0;

  assign busy_o       = state_q != StIdle;
  assign done_o       = state_q == StDone;
  assign res_status_o = status_q;
  assign res_hfn_o    = hfn_q;
  assign res_rwx_o    = rwx_q;
  assign res_level_o  = leaf_q;
  assign res_dirty_o  = dirty_q;

  // ---- Assertions -----------------------------------------------------------
  `ASSERT(state_legal, state_q == StIdle || state_q == StRead || state_q == StWait ||
                       state_q == StAd || state_q == StDone)
  `ASSERT_IF(start_when_idle, start_i, state_q == StIdle)
  // The caller checked the EPTP (VM entry does): 4 or 5 levels.
  `ASSERT_IF(start_levels, start_i, st_eptp_i[5:3] == 3'd3 || st_eptp_i[5:3] == 3'd4)
  `ASSERT_IF(level_in_range, state_q == StRead || state_q == StWait || state_q == StAd,
             level_q >= 3'd1 && level_q <= 3'd5)
  `ASSERT_NEXT(done_one_cycle, done_o, !done_o)
  `ASSERT_HOLD(mem_req_hold, mem_req_valid_o, mem_req_ready_i,
               {mem_req_we_o, mem_req_addr_o, mem_req_wdata_o, mem_req_mask_o})
  `ASSERT_IF(rsp_when_waiting, mem_rsp_valid_i, state_q == StWait)
  // Only a walk that succeeded writes, and only A and D (bits 8 and 9).
  logic [63:0] flags_ad;
  assign flags_ad = 64'h300;
  `ASSERT_IF(write_only_ad, mem_req_valid_o && mem_req_we_o,
             (ad_new & ~flags_ad) == (ad_old & ~flags_ad) && status_q == pagoda_pkg::EptOk)
  `ASSERT_IF(dirty_only_leaf, ad_write && ad_new[pagoda_pkg::EptD] && !ad_old[pagoda_pkg::EptD],
             level_q == leaf_q && need_q[pagoda_pkg::EptW])
  // A result that succeeded had every right it needed.
  `ASSERT_IF(ok_has_rights, done_o && res_status_o == pagoda_pkg::EptOk,
             (need_q & rwx_q) == need_q)

  `COVER(c_violation, done_o && res_status_o == pagoda_pkg::EptViol)
  `COVER(c_misconfig, done_o && res_status_o == pagoda_pkg::EptMiscfg)
  `COVER(c_bus, done_o && res_status_o == pagoda_pkg::EptBus)
  `COVER(c_leaf_2m, done_o && res_status_o == pagoda_pkg::EptOk && res_level_o == 3'd2)
  `COVER(c_leaf_1g, done_o && res_status_o == pagoda_pkg::EptOk && res_level_o == 3'd3)
  `COVER(c_set_a, ad_write && !ad_old[pagoda_pkg::EptA])
  `COVER(c_set_d, ad_write && ad_new[pagoda_pkg::EptD] && !ad_old[pagoda_pkg::EptD])
  `COVER(c_five_levels, start_i && st_eptp_i[5:3] == 3'd4)

endmodule
