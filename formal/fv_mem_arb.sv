// SPDX-License-Identifier: MIT
// fv_mem_arb — pg_mem_arb under formal verification (make formal), 1-bit
// ids. Initiators hold a request until it is taken (the caller's
// contract); the controller's ready is free. Properties: the module's own
// (one transfer a cycle, and it is the one the controller sees; a held
// offer keeps the port) and, stated here:
//   no_lost_grant   an offer taken by the controller is taken from the
//                   initiator the id names
//   engine_bound    an engine whose request waits while the CPU side and the
//                   IOMMU are idle and the controller is ready is served
//                   within 2 cycles (the engines alternate)
`include "pg_assert.svh"

module fv_mem_arb (
  input logic           clk_i,
  input logic           rst_ni,
  input logic [3:0]     req_valid_i,
  input logic [3:0]     req_we_i,
  input logic [3:0]     req_id_i,
  input logic [4*52-1:0] req_addr_i,
  input logic           out_ready_i
);
  localparam int unsigned PaBits = pagoda_pkg::PaBits;
  logic [3:0]   ready;
  logic [3:0]   rsp_valid;
  logic         rsp_id;
  logic         out_valid, out_we;
  logic [2:0]   out_id;
  logic [PaBits-1:0] out_addr;
  logic [511:0] out_wdata, rsp_rdata;
  logic [63:0]  out_mask;

  pg_mem_arb #(.IdW(1)) dut (
    .clk_i, .rst_ni,
    .req_valid_i, .req_ready_o(ready), .req_we_i, .req_id_i, .req_addr_i,
    .req_wdata_i('0), .req_mask_i('0),
    .rsp_valid_o(rsp_valid), .rsp_id_o(rsp_id), .rsp_rdata_o(rsp_rdata),
    .out_valid_o(out_valid), .out_ready_i, .out_we_o(out_we), .out_id_o(out_id),
    .out_addr_o(out_addr), .out_wdata_o(out_wdata), .out_mask_o(out_mask),
    .out_rsp_valid_i(1'b0), .out_rsp_id_i('0), .out_rsp_rdata_i('0)
  );

  // ---- the initiators' contract: a request stays, unchanged, until taken ----
  initial assume (!rst_ni);
  logic [3:0]        waiting_q;
  logic [3:0]        we_q, id_q;
  logic [4*52-1:0]   addr_q;
  always_ff @(posedge clk_i) begin
    waiting_q <= {4{rst_ni}} & req_valid_i & ~ready;
    we_q <= req_we_i;
    id_q <= req_id_i;
    addr_q <= req_addr_i;
  end
  for (genvar k = 0; k < 4; k++) begin : g_hold
    always_comb begin
      if (waiting_q[k]) begin
        assume (req_valid_i[k] && req_we_i[k] == we_q[k] && req_id_i[k] == id_q[k] &&
                req_addr_i[k*52 +: 52] == addr_q[k*52 +: 52]);
      end
    end
  end

  // ---- no_lost_grant --------------------------------------------------------
  `ASSERT_IF(no_lost_grant, out_valid && out_ready_i,
             ready[out_id[2:1]] && req_valid_i[out_id[2:1]] && req_id_i[out_id[2:1]] == out_id[0] &&
             req_addr_i[32'(out_id[2:1]) * 52 +: 52] == out_addr)

  // ---- engine_bound ---------------------------------------------------------
  logic [1:0] wait2_q, wait3_q;  // cycles an engine waited with the way clear
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      wait2_q <= '0;
      wait3_q <= '0;
    end else begin
      wait2_q <= (req_valid_i[2] && !ready[2] && req_valid_i[1:0] == '0 && out_ready_i) ?
                 wait2_q + 2'd1 : (ready[2] ? 2'd0 : wait2_q);
      wait3_q <= (req_valid_i[3] && !ready[3] && req_valid_i[1:0] == '0 && out_ready_i) ?
                 wait3_q + 2'd1 : (ready[3] ? 2'd0 : wait3_q);
    end
  end
  `ASSERT(engine_bound, wait2_q <= 2'd2 && wait3_q <= 2'd2)

  logic unused;
  assign unused = ^{rsp_valid, rsp_id, rsp_rdata, out_we, out_wdata, out_mask};

endmodule
