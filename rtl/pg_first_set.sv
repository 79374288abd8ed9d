// SPDX-License-Identifier: MIT
// pg_first_set — the lowest set bit of a vector: whether there is one, the
// bit alone (one-hot) and its index. Every "first free way", "first match"
// and "one-hot slot to index" of the RTL is this block.
//
// The one-hot is in & -in (one carry chain, no loop); the index is an OR of
// constant masks per index bit, so a one-hot input costs one AND-reduce per
// output bit.
`include "pg_assert.svh"

module pg_first_set #(
  parameter int unsigned N = 8,
  localparam int unsigned W = (N > 1) ? $clog2(N) : 1
) (
  input  logic         clk_i,  // assertions only
  input  logic         rst_ni,
  input  logic [N-1:0] in_i,
  output logic         any_o,
  output logic [N-1:0] onehot_o,
  output logic [W-1:0] idx_o
);

  assign any_o    = in_i != '0;
  assign onehot_o = in_i & (~in_i + N'(1));

  // Bit k of the index is set when the one-hot bit is at a position with bit k set.
  for (genvar k = 0; k < W; k++) begin : g_idx
    logic [N-1:0] with_bit;
    for (genvar i = 0; i < N; i++) begin : g_pos
      assign with_bit[i] = ((i >> k) & 1) != 0;
    end
    assign idx_o[k] = (onehot_o & with_bit) != '0;
  end

  // ---- Assertions -----------------------------------------------------------
  `ASSERT_INIT(width_legal, N >= 2)
  `ASSERT_ONEHOT0(onehot, onehot_o)
  `ASSERT_IF(lowest, any_o, in_i[idx_o] && (in_i & (onehot_o - N'(1))) == '0)
  `ASSERT(none, any_o || onehot_o == '0)

endmodule
