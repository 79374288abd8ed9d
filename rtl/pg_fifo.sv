// SPDX-License-Identifier: MIT
// pg_fifo — a first-in first-out queue of Depth entries of W bits, a power
// of two deep. push_i writes data_i at the tail, pop_i drops the head; the
// head is read on data_o whenever the queue is not empty. Pushing a full
// queue or popping an empty one is the caller's error (asserted).
`include "pg_assert.svh"

module pg_fifo #(
  parameter int unsigned W = 8,
  parameter int unsigned Depth = 4,
  localparam int unsigned PtrW = $clog2(Depth)
) (
  input  logic         clk_i,
  input  logic         rst_ni,
  input  logic         push_i,
  input  logic [W-1:0] data_i,
  input  logic         pop_i,
  output logic [W-1:0] data_o,
  output logic         empty_o,
  output logic         full_o
);

  logic [W-1:0]    mem_q [Depth];
  logic [PtrW-1:0] head_q, tail_q;
  logic [PtrW:0]   count_q;

  assign empty_o = count_q == '0;
  assign full_o  = count_q == (PtrW + 1)'(Depth);
  assign data_o  = mem_q[head_q];

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      head_q <= '0;
      tail_q <= '0;
      count_q <= '0;
    end else begin
      if (push_i) tail_q <= tail_q + PtrW'(1);
      if (pop_i) head_q <= head_q + PtrW'(1);
      count_q <= count_q + (PtrW + 1)'(push_i) - (PtrW + 1)'(pop_i);
    end
  end

  // Entries carry no reset: they are meaningless until pushed.
  always_ff @(posedge clk_i) begin
    if (push_i) mem_q[tail_q] <= data_i;
  end

  // ---- Assertions -----------------------------------------------------------
  `ASSERT_INIT(depth_pow2, Depth >= 2 && (Depth & (Depth - 1)) == 0)
  `ASSERT_NEVER(push_full, push_i && full_o)
  `ASSERT_NEVER(pop_empty, pop_i && empty_o)
  `ASSERT(count_matches, count_q[PtrW-1:0] == PtrW'(tail_q - head_q))

  `COVER(c_full, full_o)

endmodule
