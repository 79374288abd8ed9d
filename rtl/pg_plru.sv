// SPDX-License-Identifier: MIT
// pg_plru — tree pseudo-LRU state for NumSets sets of NumWays ways each.
//
// Node n (1 .. NumWays-1, heap order, root 1) of a set holds one bit: 0 means
// the victim lies in the lower half below it, 1 in the upper half. A touch
// points every node on the way's path away from it. Same rule as
// sw/model/pg_tlb.c. Only the set asked about (set_i) and the set touched are
// worked on in a cycle, however many sets there are (the L2 TLB has 128).
`include "pg_assert.svh"

module pg_plru #(
  parameter int unsigned NumWays = 8,
  parameter int unsigned NumSets = 1,
  localparam int unsigned WayW = (NumWays > 1) ? $clog2(NumWays) : 1,
  localparam int unsigned SetW = (NumSets > 1) ? $clog2(NumSets) : 1
) (
  input  logic            clk_i,
  input  logic            rst_ni,
  input  logic [SetW-1:0] set_i,        // the set whose victim is asked for
  output logic [WayW-1:0] victim_o,
  input  logic            touch_i,
  input  logic [SetW-1:0] touch_set_i,
  input  logic [WayW-1:0] touch_way_i
);

  localparam int unsigned Depth = $clog2(NumWays);

  // Set s's tree in bits [s*NumWays +: NumWays]; bit 0 of each is unused so
  // that node numbers index it directly.
  logic [NumSets*NumWays-1:0] bits_q;

  // The way the tree points at.
  function automatic logic [WayW-1:0] victim_of(logic [NumWays-1:0] bits);
    int unsigned node;
    node = 1;
    victim_of = '0;
    for (int unsigned l = 0; l < Depth; l++) begin
      victim_of[Depth-1-l] = bits[node];
      node = 2 * node + {31'b0, bits[node]};
    end
  endfunction

  // The tree after WAY was used: every node on its path points away from it.
  function automatic logic [NumWays-1:0] touched(logic [NumWays-1:0] bits, logic [WayW-1:0] way);
    int unsigned node;
    node = 1;
    touched = bits;
    for (int unsigned l = 0; l < Depth; l++) begin
      touched[node] = ~way[Depth-1-l];
      node = 2 * node + {31'b0, way[Depth-1-l]};
    end
  endfunction

  assign victim_o = victim_of(bits_q[32'(set_i) * NumWays +: NumWays]);

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      bits_q <= '0;
    end else if (touch_i) begin
      bits_q[32'(touch_set_i) * NumWays +: NumWays] <=
          touched(bits_q[32'(touch_set_i) * NumWays +: NumWays], touch_way_i);
    end
  end

  // ---- Assertions -----------------------------------------------------------
  // A tree needs a power of two of ways: any other count indexes past bits_q.
  `ASSERT_INIT(num_ways_pow2, NumWays >= 2 && (NumWays & (NumWays - 1)) == 0)
  `ASSERT_INIT(num_sets_pow2, NumSets >= 1 && (NumSets & (NumSets - 1)) == 0)
  // A touched way is never its set's next victim.
  logic            last_touch_q;
  logic [SetW-1:0] last_set_q;
  logic [WayW-1:0] last_way_q, last_set_victim;
  always_ff @(posedge clk_i) begin
    last_touch_q <= rst_ni && touch_i;
    last_set_q   <= touch_set_i;
    last_way_q   <= touch_way_i;
  end
  assign last_set_victim = victim_of(bits_q[32'(last_set_q) * NumWays +: NumWays]);
  `ASSERT_IF(touched_not_victim, last_touch_q, last_set_victim != last_way_q)

endmodule
