// SPDX-License-Identifier: MIT
// pg_cam — a fully associative translation cache (CAM): the L1 iTLB/dTLB and
// the paging-structure caches.
//
// Entries of every size live in one array, tagged by PCID and global. The
// contract (sw/model/pg_tlb.h) it implements:
//  - lookup: combinational; fills keep entries unique, so at most one way
//    matches;
//  - fill: drops every entry that overlaps the new one in a shared context
//    (same PCID, or either global), then writes the lowest invalid way, else
//    the tree-PLRU victim, and touches it;
//  - touch: a usable hit updates the PLRU;
//  - invalidate: drops every entry the request selects (pagoda_pkg::inval_t).
// Fill, touch and invalidate are never requested in the same cycle.
`include "pg_assert.svh"

module pg_cam #(
  parameter int unsigned NumEntries = 32,
  parameter int unsigned TagW = pagoda_pkg::PcidBits,  // PCID, or the IOTLB's domain
  localparam int unsigned WayW = $clog2(NumEntries)
) (
  input  logic clk_i,
  input  logic rst_ni,

  // lookup (combinational; no way hits while lk_valid_i is low, and then
  // none of the lookup's work is done)
  input  logic                            lk_valid_i,
  input  logic [pagoda_pkg::VpnBits-1:0]  lk_vpn_i,
  input  logic [TagW-1:0]                 lk_pcid_i,
  input  pagoda_pkg::vm_tag_t             lk_vm_i,      // the IOTLB: '0
  output logic                            lk_hit_o,
  output logic [WayW-1:0]                 lk_way_o,
  output logic [1:0]                      lk_size_o,    // pagoda_pkg::size_e
  output pagoda_pkg::payload_t            lk_data_o,

  // PLRU update for a usable hit
  input  logic            touch_i,
  input  logic [WayW-1:0] touch_way_i,

  // fill
  input  logic                            fill_i,
  input  logic [pagoda_pkg::VpnBits-1:0]  fill_vpn_i,
  input  logic [1:0]                      fill_size_i,  // pagoda_pkg::size_e
  input  logic [TagW-1:0]                 fill_pcid_i,
  input  pagoda_pkg::vm_tag_t             fill_vm_i,
  input  logic                            fill_global_i,
  input  pagoda_pkg::payload_t            fill_data_i,

  // invalidation
  output logic [WayW-1:0]      fill_way_o,  // the way a fill writes

  input  logic                 inv_i,
  input  pagoda_pkg::inval_t   inv_req_i,

  output logic [WayW:0]        num_valid_o
);

  localparam int unsigned VpnBits = pagoda_pkg::VpnBits;

  // One array per field.
  logic [NumEntries-1:0]      valid_q, valid_d;
  logic [NumEntries-1:0]      global_q;
  logic [VpnBits-1:0]              vpn_q  [NumEntries];
  logic [VpnBits-1:0]              mask_q [NumEntries];  // vpn_mask(size_q), kept with it
  logic [1:0]                      size_q [NumEntries];
  logic [TagW-1:0]                 pcid_q [NumEntries];
  logic [pagoda_pkg::VmTagBits-1:0] vm_q  [NumEntries];
  logic [pagoda_pkg::PayloadBits-1:0] data_q [NumEntries];

  // ---- lookup (every cycle) -------------------------------------------------
  // Fills keep entries unique, so at most one matches (asserted below).
  logic [NumEntries-1:0] match;
  always_comb begin
    match = '0;
    if (lk_valid_i) begin
      for (int unsigned i = 0; i < NumEntries; i++) begin
        match[i] = valid_q[i] && ((lk_vpn_i ^ vpn_q[i]) & mask_q[i]) == '0 &&
                   vm_q[i] == lk_vm_i && (global_q[i] || pcid_q[i] == lk_pcid_i);
      end
    end
  end
  logic [NumEntries-1:0] match_onehot_unused;  // match is one-hot already
  pg_first_set #(.N(NumEntries)) u_match (
    .clk_i, .rst_ni, .in_i(match), .any_o(lk_hit_o), .onehot_o(match_onehot_unused),
    .idx_o(lk_way_o)
  );
  assign lk_size_o = size_q[lk_way_o];
  assign lk_data_o = data_q[lk_way_o];

  // ---- fill and invalidate (worked out only in the cycle they come) ---------
  logic [NumEntries-1:0] overlap, inv_drop, valid_kept, free_onehot_unused;
  logic [VpnBits-1:0]    fill_mask;
  assign fill_mask = pagoda_pkg::vpn_mask(fill_size_i);
  logic [pagoda_pkg::TagBits-1:0] inv_tag;
  assign inv_tag = inv_req_i.pcid;

  always_comb begin
    overlap = '0;
    inv_drop = '0;
    if (fill_i) begin
      for (int unsigned i = 0; i < NumEntries; i++) begin
        overlap[i] = valid_q[i] && ((fill_vpn_i ^ vpn_q[i]) & fill_mask & mask_q[i]) == '0 &&
                     vm_q[i] == fill_vm_i &&
                     (global_q[i] || fill_global_i || pcid_q[i] == fill_pcid_i);
      end
    end
    if (inv_i) begin
      for (int unsigned i = 0; i < NumEntries; i++) begin
        inv_drop[i] = valid_q[i] && pagoda_pkg::inval_vm_selects(
                          inv_req_i.use_vpid, inv_req_i.keep_vpid0, inv_req_i.use_ep4ta,
                          inv_req_i.combined, inv_req_i.vm.vpid, inv_req_i.vm.ep4ta, vm_q[i]) &&
                      !(inv_req_i.keep_global && global_q[i]) &&
                      !(inv_req_i.use_pcid && pcid_q[i] != inv_tag[TagW-1:0] &&
                        !(inv_req_i.any_global && global_q[i])) &&
                      !(inv_req_i.use_va && ((inv_req_i.vpn ^ vpn_q[i]) & mask_q[i]) != '0);
      end
    end
  end

  assign valid_kept = valid_q & ~overlap;
  logic            any_free;
  logic [WayW-1:0] first_free, plru_victim, fill_way;
  pg_first_set #(.N(NumEntries)) u_free (  // the lowest free way
    .clk_i, .rst_ni, .in_i(~valid_kept), .any_o(any_free), .onehot_o(free_onehot_unused),
    .idx_o(first_free)
  );
  assign fill_way = any_free ? first_free : plru_victim;
  assign fill_way_o = fill_way;

  pg_plru #(.NumWays(NumEntries)) u_plru (
    .clk_i,
    .rst_ni,
    .set_i      (1'b0),
    .victim_o   (plru_victim),
    .touch_i    (touch_i || fill_i),
    .touch_set_i(1'b0),
    .touch_way_i(fill_i ? fill_way : touch_way_i)
  );

  always_comb begin
    valid_d = valid_q;
    if (fill_i) begin
      valid_d = valid_kept;
      valid_d[fill_way] = 1'b1;
    end else if (inv_i) begin
      valid_d = valid_q & ~inv_drop;
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      valid_q <= '0;
    end else begin
      valid_q <= valid_d;
    end
  end

  // Entry fields carry no reset: they are meaningless while invalid.
  always_ff @(posedge clk_i) begin
    if (fill_i) begin
      vpn_q[fill_way]    <= fill_vpn_i & fill_mask;
      mask_q[fill_way]   <= fill_mask;
      size_q[fill_way]   <= fill_size_i;
      pcid_q[fill_way]   <= fill_pcid_i;
      vm_q[fill_way]     <= fill_vm_i;
      global_q[fill_way] <= fill_global_i;
      data_q[fill_way]   <= fill_data_i;
    end
  end

  assign num_valid_o = (WayW + 1)'($countones(valid_q));

  // ---- Assertions -----------------------------------------------------------
  `ASSERT_INIT(entries_pow2, NumEntries >= 2 && (NumEntries & (NumEntries - 1)) == 0)
  `ASSERT_INIT(tag_fits, TagW >= 1 && TagW <= pagoda_pkg::TagBits)
  // Fills keep the entries unique: never two matches for one lookup.
  `ASSERT(unique_match, $countones(match) <= 1)
  `ASSERT_ONEHOT0(one_op, {fill_i, touch_i, inv_i})
  `ASSERT_IF(touch_hits, touch_i, match[touch_way_i])
  // A fill leaves its entry valid; an invalidation leaves nothing it selects.
  logic [WayW-1:0]       filled_way_q;
  logic [NumEntries-1:0] dropped_q;
  always_ff @(posedge clk_i) begin
    filled_way_q <= fill_way;
    dropped_q <= inv_drop;
  end
  `ASSERT_NEXT(fill_kept, fill_i, valid_q[filled_way_q])
  `ASSERT_NEXT(inv_complete, inv_i, (valid_q & dropped_q) == '0)

  `COVER(c_fill_evicts, fill_i && !any_free)
  `COVER(c_fill_drops_overlap, fill_i && |overlap)
  `COVER(c_inv_drops, inv_i && |inv_drop)
  `COVER(c_full, &valid_q)

endmodule
