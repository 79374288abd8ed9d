// SPDX-License-Identifier: MIT
// fv_fifo — pg_fifo under formal verification (make formal): 4 entries of
// 4 bits. Pushes only when not full, pops only when not empty (the
// caller's contract); a shadow queue in this wrapper states what comes out:
//   in_order   the head is always the oldest value pushed and not popped
`include "pg_assert.svh"

module fv_fifo (
  input logic       clk_i,
  input logic       rst_ni,
  input logic       push_i,
  input logic [3:0] data_i,
  input logic       pop_i
);
  logic [3:0] head;
  logic       empty, full;
  pg_fifo #(.W(4), .Depth(4)) dut (
    .clk_i, .rst_ni, .push_i, .data_i, .pop_i, .data_o(head), .empty_o(empty), .full_o(full)
  );

  initial assume (!rst_ni);
  always_comb begin
    assume (!(push_i && full));
    assume (!(pop_i && empty));
  end

  // The shadow: values by the order they were pushed.
  logic [3:0] shadow_q [4];
  logic [2:0] n_q;
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      n_q <= '0;
    end else begin
      if (pop_i) begin
        shadow_q[0] <= shadow_q[1];
        shadow_q[1] <= shadow_q[2];
        shadow_q[2] <= shadow_q[3];
      end
      if (push_i) shadow_q[2'(n_q - 3'(pop_i))] <= data_i;
      n_q <= n_q + 3'(push_i) - 3'(pop_i);
    end
  end
  `ASSERT_IF(in_order, !empty, head == shadow_q[0])
  `ASSERT(same_count, empty == (n_q == '0) && full == (n_q == 3'd4))

endmodule
