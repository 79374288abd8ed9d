// SPDX-License-Identifier: MIT
// pg_iommu_dtc — the IOMMU's device-table cache: DtcEntries entries, fully
// associative by requester ID, tree-PLRU replacement after the lowest
// invalid entry. A lookup answers in the same cycle; a fill, a touch and the
// invalidations (one RID, or all) act at the clock edge, a fill first.
`include "pg_assert.svh"

module pg_iommu_dtc #(
  parameter int unsigned DtcEntries = 8,
  localparam int unsigned DtcW = $clog2(DtcEntries),
  localparam int unsigned DteBits = pagoda_pkg::DteBits
) (
  input  logic               clk_i,
  input  logic               rst_ni,

  input  logic [15:0]        lk_rid_i,
  output logic               lk_hit_o,
  output pagoda_pkg::dte_t   lk_entry_o,
  input  logic               touch_i,   // the lookup's hit was used

  input  logic               fill_i,
  input  logic [15:0]        fill_rid_i,
  input  pagoda_pkg::dte_t   fill_entry_i,

  input  logic               inv_one_i,  // drop the entry of inv_rid_i
  input  logic [15:0]        inv_rid_i,
  input  logic               inv_all_i
);

  // One array per field (the entry as a plain vector: Yosys 0.23 drops the
  // writes to an unpacked array of a struct).
  logic [DtcEntries-1:0] valid_q;
  logic [15:0]           rid_q   [DtcEntries];
  logic [DteBits-1:0]    entry_q [DtcEntries];

  logic [DtcEntries-1:0] match;
  always_comb begin
    for (int unsigned i = 0; i < DtcEntries; i++) match[i] = valid_q[i] && rid_q[i] == lk_rid_i;
  end

  logic [DtcEntries-1:0] inv_match;  // the entries of inv_rid_i, valid or not
  always_comb begin
    for (int unsigned i = 0; i < DtcEntries; i++) inv_match[i] = rid_q[i] == inv_rid_i;
  end

  logic [DtcW-1:0]       hit_way;
  logic [DtcEntries-1:0] hit_onehot_unused;
  pg_first_set #(.N(DtcEntries)) u_hit (
    .clk_i, .rst_ni, .in_i(match), .any_o(lk_hit_o), .onehot_o(hit_onehot_unused),
    .idx_o(hit_way)
  );
  assign lk_entry_o = entry_q[hit_way];

  logic                  any_free;
  logic [DtcW-1:0]       first_free, victim, fill_way;
  logic [DtcEntries-1:0] free_onehot_unused;
  pg_first_set #(.N(DtcEntries)) u_free (
    .clk_i, .rst_ni, .in_i(~valid_q), .any_o(any_free), .onehot_o(free_onehot_unused),
    .idx_o(first_free)
  );
  assign fill_way = any_free ? first_free : victim;

  pg_plru #(.NumWays(DtcEntries)) u_plru (
    .clk_i, .rst_ni,
    .set_i(1'b0), .victim_o(victim),
    .touch_i(touch_i || fill_i), .touch_set_i(1'b0),
    .touch_way_i(fill_i ? fill_way : hit_way)
  );

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      valid_q <= '0;
    end else if (fill_i) begin
      valid_q[fill_way] <= 1'b1;
    end else if (inv_all_i) begin
      valid_q <= '0;
    end else if (inv_one_i) begin
      valid_q <= valid_q & ~inv_match;
    end
  end

  // Entry fields carry no reset: they are meaningless while invalid.
  always_ff @(posedge clk_i) begin
    if (fill_i) begin
      rid_q[fill_way]   <= fill_rid_i;
      entry_q[fill_way] <= fill_entry_i;
    end
  end

  // ---- Assertions -----------------------------------------------------------
  `ASSERT_INIT(dtc_pow2, DtcEntries >= 2 && (DtcEntries & (DtcEntries - 1)) == 0)
  // Fills come on a miss only, so an RID has at most one entry (and a
  // lookup at most one match).
  `ASSERT_IF(fill_on_miss, fill_i, !(lk_hit_o && lk_rid_i == fill_rid_i))
  `ASSERT_IF(touch_hits, touch_i, lk_hit_o)

  `COVER(c_fill_evicts, fill_i && !any_free)
  `COVER(c_inv_one_drops, inv_one_i && |(valid_q & inv_match))

endmodule
