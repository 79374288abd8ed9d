// SPDX-License-Identifier: MIT
// pg_mem_arb — the DRAM controller's request port shared by four initiators
// (0 the CPU side through pg_sysbus, 1 the IOMMU, 2 and 3 the DMA engines):
// the CPU side first, then the IOMMU (both wait on one read at a time), then
// the two engines in turn; one request a cycle. An initiator's ready never
// depends on its own valid (the MMU and the IOMMU compute their valid next
// to their use of ready). The initiator's
// number goes into the top bits of the id so that each read's answer goes
// back to whoever asked. Responses are never refused (the controller has no
// response back-pressure), so every initiator takes its answers any cycle.
`include "pg_assert.svh"

module pg_mem_arb #(
  parameter int unsigned IdW = 5,  // an initiator's ids
  localparam int unsigned N = 4,
  localparam int unsigned OutIdW = IdW + 2,
  localparam int unsigned PaBits = pagoda_pkg::PaBits,
  localparam int unsigned LineBits = pagoda_pkg::LineBits,
  localparam int unsigned LineBytes = pagoda_pkg::LineBytes
) (
  input  logic clk_i,
  input  logic rst_ni,

  // initiator k's request in bits [k*W +: W] of each vector
  input  logic [N-1:0]           req_valid_i,
  output logic [N-1:0]           req_ready_o,
  input  logic [N-1:0]           req_we_i,
  input  logic [N*IdW-1:0]       req_id_i,
  input  logic [N*PaBits-1:0]    req_addr_i,
  input  logic [N*LineBits-1:0]  req_wdata_i,
  input  logic [N*LineBytes-1:0] req_mask_i,
  output logic [N-1:0]           rsp_valid_o,
  output logic [IdW-1:0]         rsp_id_o,
  output logic [LineBits-1:0]    rsp_rdata_o,

  // the controller
  output logic                 out_valid_o,
  input  logic                 out_ready_i,
  output logic                 out_we_o,
  output logic [OutIdW-1:0]    out_id_o,
  output logic [PaBits-1:0]    out_addr_o,
  output logic [LineBits-1:0]  out_wdata_o,
  output logic [LineBytes-1:0] out_mask_o,
  input  logic                 out_rsp_valid_i,
  input  logic [OutIdW-1:0]    out_rsp_id_i,
  input  logic [LineBits-1:0]  out_rsp_rdata_i
);

  logic turn_q;  // between the engines: 0 the NIC's turn, 1 the disk's
  logic held_q;  // last cycle's offer was not taken: it keeps the port
  logic [1:0] held_pick_q;
  logic [N-1:0] prio, grant;
  assign prio[0] = 1'b1;
  assign prio[1] = !req_valid_i[0];
  assign prio[2] = !req_valid_i[0] && !req_valid_i[1] && (!req_valid_i[3] || !turn_q);
  assign prio[3] = !req_valid_i[0] && !req_valid_i[1] && (!req_valid_i[2] || turn_q);
  assign grant = held_q ? N'(1) << held_pick_q : prio;
  assign req_ready_o = grant & {N{out_ready_i}};

  logic [1:0] pick;
  always_comb begin
    pick = 2'd3;
    if (req_valid_i[2] && prio[2]) pick = 2'd2;
    if (req_valid_i[1]) pick = 2'd1;
    if (req_valid_i[0]) pick = 2'd0;
    if (held_q) pick = held_pick_q;
  end

  assign out_valid_o = |req_valid_i;
  assign out_we_o    = req_we_i[pick];
  assign out_id_o    = {pick, req_id_i[pick*IdW +: IdW]};
  assign out_addr_o  = req_addr_i[pick*PaBits +: PaBits];
  assign out_wdata_o = req_wdata_i[pick*LineBits +: LineBits];
  assign out_mask_o  = req_mask_i[pick*LineBytes +: LineBytes];

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      turn_q <= 1'b0;
      held_q <= 1'b0;
      held_pick_q <= '0;
    end else begin
      if (out_ready_i && pick[1] && req_valid_i[pick]) turn_q <= !pick[0];
      held_q <= out_valid_o && !out_ready_i;
      held_pick_q <= pick;
    end
  end

  always_comb begin
    rsp_valid_o = '0;
    rsp_valid_o[out_rsp_id_i[OutIdW-1 -: 2]] = out_rsp_valid_i;
  end
  assign rsp_id_o    = out_rsp_id_i[IdW-1:0];
  assign rsp_rdata_o = out_rsp_rdata_i;

  // ---- Assertions -----------------------------------------------------------
  `ASSERT_HOLD(out_hold, out_valid_o, out_ready_i,
               {out_we_o, out_id_o, out_addr_o, out_wdata_o, out_mask_o})
  for (genvar k = 0; k < N; k++) begin : g_hold
    `ASSERT_HOLD(req_hold, req_valid_i[k], req_ready_o[k],
                 {req_we_i[k], req_id_i[k*IdW +: IdW], req_addr_i[k*PaBits +: PaBits],
                  req_wdata_i[k*LineBits +: LineBits], req_mask_i[k*LineBytes +: LineBytes]})
  end
  // One transfer a cycle, and it is the one the controller sees.
  `ASSERT_ONEHOT0(one_transfer, req_valid_i & req_ready_o)
  `ASSERT_IF(transfer_is_out, |(req_valid_i & req_ready_o), 
                           out_valid_o && out_ready_i && req_valid_i[pick] && req_ready_o[pick])
  `ASSERT_IF(out_is_transfer, out_valid_o && out_ready_i, |(req_valid_i & req_ready_o))
  `ASSERT_IF(held_still_valid, held_q, req_valid_i[held_pick_q])
  `ASSERT_ONEHOT0(one_rsp, rsp_valid_o)

  // Contention between every pair of initiators (0 CPU, 1 IOMMU, 2 NIC, 3 disk).
  `COVER(c_cpu_iommu, req_valid_i[0] && req_valid_i[1])
  `COVER(c_cpu_nic, req_valid_i[0] && req_valid_i[2])
  `COVER(c_cpu_disk, req_valid_i[0] && req_valid_i[3])
  `COVER(c_iommu_nic, req_valid_i[1] && req_valid_i[2])
  `COVER(c_iommu_disk, req_valid_i[1] && req_valid_i[3])
  `COVER(c_nic_disk, req_valid_i[2] && req_valid_i[3])
  `COVER(c_held, held_q && |(req_valid_i & ~grant))

endmodule
