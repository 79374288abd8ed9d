// pg_plru — tree pseudo-LRU state for one set of NumWays ways.
//
// Node n (1 .. NumWays-1, heap order, root 1) holds one bit: 0 means the
// victim lies in the lower half below it, 1 in the upper half. A touch points
// every node on the way's path away from it. Same rule as sw/model/pg_tlb.c.
`include "pg_assert.svh"

module pg_plru #(
  parameter int unsigned NumWays = 8,
  localparam int unsigned WayW = (NumWays > 1) ? $clog2(NumWays) : 1
) (
  input  logic            clk_i,
  input  logic            rst_ni,
  input  logic            touch_i,
  input  logic [WayW-1:0] touch_way_i,
  output logic [WayW-1:0] victim_o
);

  localparam int unsigned Depth = $clog2(NumWays);

  // Bit 0 is unused so that node numbers index the vector directly.
  logic [NumWays-1:0] bits_q, bits_d;

  always_comb begin
    int unsigned node;
    bits_d = bits_q;
    node = 1;
    if (touch_i) begin
      for (int unsigned l = 0; l < Depth; l++) begin
        bits_d[node] = ~touch_way_i[Depth-1-l];
        node = 2 * node + {31'b0, touch_way_i[Depth-1-l]};
      end
    end
  end

  always_comb begin
    int unsigned node;
    node = 1;
    victim_o = '0;
    for (int unsigned l = 0; l < Depth; l++) begin
      victim_o[Depth-1-l] = bits_q[node];
      node = 2 * node + {31'b0, bits_q[node]};
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      bits_q <= '0;
    end else begin
      bits_q <= bits_d;
    end
  end

  // ---- Assertions -----------------------------------------------------------
  // A tree needs a power of two of ways: any other count indexes past bits_q.
  `ASSERT_INIT(num_ways_pow2, NumWays >= 2 && (NumWays & (NumWays - 1)) == 0)
  // A touched way is never the next victim.
  `ASSERT(touched_not_victim, touch_i |=> victim_o != $past(touch_way_i))

endmodule
