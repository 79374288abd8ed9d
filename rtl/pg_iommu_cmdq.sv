// SPDX-License-Identifier: MIT
// pg_iommu_cmdq — the IOMMU's command processor (SPEC 4): reads the
// 16-byte command at the queue's head, runs it, and reports it done (the
// head moves) or refused (the queue stops: an unknown opcode, a command or
// WAIT address outside RAM, a misaligned WAIT).
//
// It starts only while no translation is under way (start_i) and the
// translations wait while it runs (busy_o): an invalidation never meets a
// walk that could refill what it drops.
`include "pg_assert.svh"

module pg_iommu_cmdq #(
  localparam int unsigned PaBits = pagoda_pkg::PaBits,
  localparam int unsigned LineBits = pagoda_pkg::LineBits,
  localparam int unsigned LineBytes = pagoda_pkg::LineBytes
) (
  input  logic clk_i,
  input  logic rst_ni,

  input  logic                 start_i,  // run the command at cq_slot_i
  output logic                 busy_o,
  input  logic [PaBits-1:0]    cq_slot_i,

  output logic                 mem_req_valid_o,  // from the state alone
  input  logic                 mem_req_ready_i,
  output logic                 mem_req_we_o,
  output logic [PaBits-1:0]    mem_req_addr_o,
  output logic [LineBits-1:0]  mem_req_wdata_o,
  output logic [LineBytes-1:0] mem_req_mask_o,
  input  logic                 mem_rsp_valid_i,
  input  logic [LineBits-1:0]  mem_rsp_rdata_i,

  // what the command drops
  output logic                 dtc_inv_one_o,  // the device-table cache's entry of dtc_inv_rid_o
  output logic [15:0]          dtc_inv_rid_o,
  output logic                 dtc_inv_all_o,
  output logic                 tlb_inv_o,      // IOTLB entries tlb_inv_req_o selects
  output pagoda_pkg::inval_t   tlb_inv_req_o,

  output logic                 done_o,  // the command finished: the head moves
  output logic                 stop_o   // the command was refused: the queue stops
);

  typedef enum logic [1:0] {CqIdle, CqRead, CqWait, CqRun} cq_state_e;
  cq_state_e state_q, state_d;

  pagoda_pkg::cmd_w0_t w0_q;
  logic [63:0]         w1_q;

  // The command's address, latched when its fetch starts: a CQ_BASE or
  // CQ_HEAD write during the fetch never moves a request the bus waits on.
  logic [PaBits-1:0] slot_q;
  always_ff @(posedge clk_i) if (state_q == CqIdle && start_i) slot_q <= cq_slot_i;

  logic slot_ram, wait_ok;
  assign slot_ram = pagoda_pkg::is_ram(slot_q);
  // WAIT writes an aligned word in RAM.
  assign wait_ok  = w1_q[2:0] == '0 && w1_q[63:PaBits] == '0 && pagoda_pkg::is_ram(w1_q[PaBits-1:0]);

  logic [127:0] cmd_line;
  assign cmd_line = mem_rsp_rdata_i[{slot_q[5:4], 7'b0} +: 128];

  // Invalidation requests (wires: Yosys 0.23 infers a latch for a function
  // called inside an always_comb branch).
  pagoda_pkg::inval_t inv_domain, inv_page, inv_all;
  localparam int unsigned VpnBits = pagoda_pkg::VpnBits;
  logic [VpnBits-1:0] page_vpn;  // the page's IOVA [47:12], zero-extended to a tag
  assign page_vpn   = VpnBits'(w1_q[pagoda_pkg::VaBits-1:12]);
  assign inv_domain = pagoda_pkg::make_inval_tag(1'b0, '0, 1'b1, w0_q.arg);
  assign inv_page   = pagoda_pkg::make_inval_tag(1'b1, page_vpn, 1'b1, w0_q.arg);
  assign inv_all    = pagoda_pkg::make_inval_tag(1'b0, '0, 1'b0, '0);

  always_comb begin
    state_d = state_q;
    done_o = 1'b0;
    stop_o = 1'b0;
    dtc_inv_one_o = 1'b0;
    dtc_inv_all_o = 1'b0;
    tlb_inv_o = 1'b0;
    tlb_inv_req_o = inv_all;
    unique case (state_q)
      CqIdle: if (start_i) state_d = CqRead;
      CqRead: begin
        if (!slot_ram) begin
          stop_o = 1'b1;
          state_d = CqIdle;
        end else if (mem_req_ready_i) begin
          state_d = CqWait;
        end
      end
      CqWait: if (mem_rsp_valid_i) state_d = CqRun;  // run in the next state, from the registers
      CqRun: begin
        state_d = CqIdle;
        done_o = 1'b1;
        unique case (w0_q.op)
          pagoda_pkg::CmdInvDte: dtc_inv_one_o = 1'b1;
          pagoda_pkg::CmdInvDomain: begin
            tlb_inv_o = 1'b1;
            tlb_inv_req_o = inv_domain;
          end
          pagoda_pkg::CmdInvPage: begin
            tlb_inv_o = 1'b1;
            tlb_inv_req_o = inv_page;
          end
          pagoda_pkg::CmdInvAll: begin
            tlb_inv_o = 1'b1;
            dtc_inv_all_o = 1'b1;
          end
          pagoda_pkg::CmdWait: begin
            if (!wait_ok) begin
              done_o = 1'b0;
              stop_o = 1'b1;
            end else if (!mem_req_ready_i) begin
              done_o = 1'b0;
              state_d = CqRun;
            end
          end
          default: begin
            done_o = 1'b0;
            stop_o = 1'b1;
          end
        endcase
      end
      default: state_d = CqIdle;
    endcase
  end

  // The request, from the state alone (valid never waits for ready): the
  // command's read, a WAIT's write of 1.
  logic run_wait;
  assign run_wait = state_q == CqRun && w0_q.op == pagoda_pkg::CmdWait;
  assign mem_req_valid_o = (state_q == CqRead && slot_ram) || (run_wait && wait_ok);
  assign mem_req_we_o    = run_wait;
  assign mem_req_addr_o  = run_wait ? {w1_q[PaBits-1:6], 6'b0} : {slot_q[PaBits-1:6], 6'b0};
  assign mem_req_wdata_o = {8{64'd1}};
  assign mem_req_mask_o  = 64'hff << {w1_q[5:3], 3'b000};

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) state_q <= CqIdle;
    else state_q <= state_d;
  end

  always_ff @(posedge clk_i) begin
    if (state_q == CqWait && mem_rsp_valid_i) begin
      w0_q <= cmd_line[63:0];
      w1_q <= cmd_line[127:64];
    end
  end

  assign busy_o        = state_q != CqIdle;
  assign dtc_inv_rid_o = w0_q.arg;

  logic unused_bits;
  assign unused_bits = ^{w0_q.rsvd_hi, w0_q.rsvd_lo, slot_q[3:0]};

  // ---- Assertions -----------------------------------------------------------
  `ASSERT_IF(start_when_idle, start_i, state_q == CqIdle)
  `ASSERT_ONEHOT0(one_outcome, {done_o, stop_o})
  `ASSERT_IF(inval_when_done, dtc_inv_one_o || dtc_inv_all_o || tlb_inv_o, done_o)
  // WAIT writes one aligned 8-byte word, 1.
  `ASSERT_IF(wait_one_word, mem_req_valid_o && mem_req_we_o, $countones(mem_req_mask_o) == 8)

  `COVER(c_cmd_inv_dte, state_q == CqRun && w0_q.op == pagoda_pkg::CmdInvDte)
  `COVER(c_cmd_inv_domain, state_q == CqRun && w0_q.op == pagoda_pkg::CmdInvDomain)
  `COVER(c_cmd_inv_page, state_q == CqRun && w0_q.op == pagoda_pkg::CmdInvPage)
  `COVER(c_cmd_inv_all, state_q == CqRun && w0_q.op == pagoda_pkg::CmdInvAll)
  `COVER(c_cmd_wait, state_q == CqRun && w0_q.op == pagoda_pkg::CmdWait)
  `COVER(c_cmd_illegal, stop_o && state_q == CqRun)
  `COVER(c_cmd_not_ram, stop_o && state_q == CqRead)

endmodule
