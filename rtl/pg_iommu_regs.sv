// SPDX-License-Identifier: MIT
// pg_iommu_regs — the IOMMU's registers and counters (SPEC 4): the register
// window, the three rings' bases and sizes, their head and tail pointers
// with the ring arithmetic, the fault status and the five counters. What
// the rest of the IOMMU needs comes out ready to use: where the next fault
// record goes and whether the log has room, where the next command is and
// whether one is waiting.
//
// Hardware moves the log's tail (a record written) and the queue's head (a
// command done) and sets the status bits; a register write in the same
// cycle wins.
`include "pg_assert.svh"

module pg_iommu_regs #(
  parameter int unsigned IotlbEntries = 32,  // reported in CAP
  localparam int unsigned PaBits = pagoda_pkg::PaBits
) (
  input  logic clk_i,
  input  logic rst_ni,

  // the register bus, this window selected
  input  logic        reg_valid_i,
  input  logic        reg_we_i,
  input  logic [11:0] reg_offset_i,
  input  logic [63:0] reg_wdata_i,
  output logic [63:0] reg_rdata_o,
  output logic        reg_err_o,

  // the settings
  output logic              te_o,       // CTRL.TE: translation on
  output logic              fle_o,      // CTRL.FLE: fault log on
  output logic [PaBits-1:0] dt_base_o,
  output logic [4:0]        dt_log2_o,
  output logic [PaBits-1:0] fl_slot_o,  // the record the log's tail points at
  output logic              fl_full_o,  // one more record would meet the head
  output logic [PaBits-1:0] cq_slot_o,  // the command the queue's head points at
  output logic              cq_pending_o,

  // what hardware did this cycle
  input  logic rec_written_i,   // a record written at fl_slot_o
  input  logic rec_overflow_i,  // a record found the log full
  input  logic cmd_done_i,      // the command at the head finished
  input  logic cmd_stop_i,      // ... or was refused: the queue stops
  input  logic ev_hit_i,        // an IOTLB hit answered a translation
  input  logic ev_miss_i,       // an IOTLB miss began a walk
  input  logic ev_fault_i,      // a fault was dealt with
  input  logic ev_drop_i,       // ... and its record dropped

  // counters: 0 IOTLB hits, 1 misses, 2 walks, 3 faults, 4 dropped records
  input  logic [2:0]  cnt_sel_i,
  output logic [63:0] cnt_o
);

  logic [2:0]        ctrl_q;  // CQE, FLE, TE
  logic [PaBits-1:0] dt_base_q, fl_base_q, cq_base_q;
  logic [4:0]        dt_log2_q, fl_log2_q, cq_log2_q;
  logic [15:0]       fl_head_q, fl_tail_q, cq_head_q, cq_tail_q;
  logic [1:0]        fsts_q;  // OVERFLOW, PENDING
  logic              cq_stopped_q;
  logic [63:0]       cnt_hits_q, cnt_misses_q, cnt_walks_q, cnt_faults_q, cnt_dropped_q;

  logic cqe;
  assign te_o  = ctrl_q[0];
  assign fle_o = ctrl_q[1];
  assign cqe   = ctrl_q[2];

  // A ring of 2^log2 (at most 2^16) entries: positions are taken modulo it.
  function automatic logic [15:0] ring_mask(logic [4:0] log2);
    ring_mask = (log2 >= 5'd16) ? 16'hffff : 16'((32'd1 << log2) - 32'd1);
  endfunction

  logic [15:0] fl_mask, cq_mask;
  assign fl_mask = ring_mask(fl_log2_q);
  assign cq_mask = ring_mask(cq_log2_q);

  assign dt_base_o    = dt_base_q;
  assign dt_log2_o    = dt_log2_q;
  assign fl_slot_o    = fl_base_q + PaBits'({fl_tail_q & fl_mask, 5'd0});  // 32-byte records
  assign cq_slot_o    = cq_base_q + PaBits'({cq_head_q & cq_mask, 4'd0});  // 16-byte commands
  assign fl_full_o    = (((fl_tail_q + 16'd1) ^ fl_head_q) & fl_mask) == '0;
  assign cq_pending_o = cqe && !cq_stopped_q && ((cq_head_q ^ cq_tail_q) & cq_mask) != '0;

  // A base register keeps a page-aligned address.
  logic [PaBits-1:0] wdata_page;
  assign wdata_page = {reg_wdata_i[PaBits-1:12], 12'd0};

  always_comb begin
    reg_err_o = 1'b0;
    reg_rdata_o = '0;
    unique case (reg_offset_i)
      pagoda_pkg::IommuCap: reg_rdata_o = {47'd0, 1'b1, 8'(IotlbEntries), pagoda_pkg::IommuVersion};
      pagoda_pkg::IommuCtrl: reg_rdata_o = 64'(ctrl_q);
      pagoda_pkg::IommuDtBase: reg_rdata_o = 64'(dt_base_q);
      pagoda_pkg::IommuDtLog2: reg_rdata_o = 64'(dt_log2_q);
      pagoda_pkg::IommuFlBase: reg_rdata_o = 64'(fl_base_q);
      pagoda_pkg::IommuFlLog2: reg_rdata_o = 64'(fl_log2_q);
      pagoda_pkg::IommuFlHead: reg_rdata_o = 64'(fl_head_q);
      pagoda_pkg::IommuFlTail: reg_rdata_o = 64'(fl_tail_q);
      pagoda_pkg::IommuFsts: reg_rdata_o = 64'(fsts_q);
      pagoda_pkg::IommuCqBase: reg_rdata_o = 64'(cq_base_q);
      pagoda_pkg::IommuCqLog2: reg_rdata_o = 64'(cq_log2_q);
      pagoda_pkg::IommuCqTail: reg_rdata_o = 64'(cq_tail_q);
      pagoda_pkg::IommuCqHead: reg_rdata_o = 64'(cq_head_q);
      pagoda_pkg::IommuCqSts: reg_rdata_o = 64'(cq_stopped_q);
      pagoda_pkg::IommuCntHits: reg_rdata_o = cnt_hits_q;
      pagoda_pkg::IommuCntMiss: reg_rdata_o = cnt_misses_q;
      pagoda_pkg::IommuCntWalks: reg_rdata_o = cnt_walks_q;
      pagoda_pkg::IommuCntFault: reg_rdata_o = cnt_faults_q;
      pagoda_pkg::IommuCntDrop: reg_rdata_o = cnt_dropped_q;
      default: reg_err_o = 1'b1;
    endcase
  end

  always_comb begin
    unique case (cnt_sel_i)
      3'd0:    cnt_o = cnt_hits_q;
      3'd1:    cnt_o = cnt_misses_q;
      3'd2:    cnt_o = cnt_walks_q;
      3'd3:    cnt_o = cnt_faults_q;
      default: cnt_o = cnt_dropped_q;
    endcase
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      ctrl_q <= '0;
      dt_base_q <= '0; dt_log2_q <= '0;
      fl_base_q <= '0; fl_log2_q <= '0; fl_head_q <= '0; fl_tail_q <= '0;
      cq_base_q <= '0; cq_log2_q <= '0; cq_head_q <= '0; cq_tail_q <= '0;
      fsts_q <= '0;
      cq_stopped_q <= 1'b0;
      cnt_hits_q <= '0; cnt_misses_q <= '0; cnt_walks_q <= '0; cnt_faults_q <= '0;
      cnt_dropped_q <= '0;
    end else begin
      cnt_hits_q <= cnt_hits_q + 64'(ev_hit_i);
      cnt_misses_q <= cnt_misses_q + 64'(ev_miss_i);
      cnt_walks_q <= cnt_walks_q + 64'(ev_miss_i);
      cnt_faults_q <= cnt_faults_q + 64'(ev_fault_i);
      cnt_dropped_q <= cnt_dropped_q + 64'(ev_drop_i);

      // Hardware's own updates first; a register write in the same cycle wins.
      if (rec_written_i) begin
        fl_tail_q <= (fl_tail_q + 16'd1) & fl_mask;
        fsts_q[0] <= 1'b1;
      end
      if (rec_overflow_i) fsts_q[1] <= 1'b1;
      if (cmd_done_i) cq_head_q <= (cq_head_q + 16'd1) & cq_mask;
      if (cmd_stop_i) cq_stopped_q <= 1'b1;

      if (reg_valid_i && reg_we_i) begin
        unique case (reg_offset_i)
          pagoda_pkg::IommuCtrl: ctrl_q <= reg_wdata_i[2:0];
          pagoda_pkg::IommuDtBase: dt_base_q <= wdata_page;
          pagoda_pkg::IommuDtLog2: dt_log2_q <= reg_wdata_i[4:0];
          pagoda_pkg::IommuFlBase: fl_base_q <= wdata_page;
          pagoda_pkg::IommuFlLog2: fl_log2_q <= reg_wdata_i[4:0];
          pagoda_pkg::IommuFlHead: fl_head_q <= reg_wdata_i[15:0];
          pagoda_pkg::IommuFlTail: fl_tail_q <= reg_wdata_i[15:0];
          pagoda_pkg::IommuFsts: fsts_q <= fsts_q & ~reg_wdata_i[1:0];
          pagoda_pkg::IommuCqBase: cq_base_q <= wdata_page;
          pagoda_pkg::IommuCqLog2: cq_log2_q <= reg_wdata_i[4:0];
          pagoda_pkg::IommuCqTail: cq_tail_q <= reg_wdata_i[15:0];
          pagoda_pkg::IommuCqHead: cq_head_q <= reg_wdata_i[15:0];
          pagoda_pkg::IommuCqSts: cq_stopped_q <= cq_stopped_q & ~reg_wdata_i[0];
          default: ;
        endcase
      end
    end
  end

  logic unused_bits;
  assign unused_bits = ^reg_wdata_i[63:PaBits];

  // ---- Assertions -----------------------------------------------------------
  `ASSERT_INIT(iotlb_fits_cap, IotlbEntries >= 1 && IotlbEntries <= 255)
  // Bases stay page-aligned; a record goes only to a log with room; a
  // command ends one way.
  `ASSERT(bases_aligned, dt_base_q[11:0] == '0 && fl_base_q[11:0] == '0 && cq_base_q[11:0] == '0)
  `ASSERT_IF(record_has_room, rec_written_i, fle_o && !fl_full_o)
  `ASSERT_ONEHOT0(cmd_one_outcome, {cmd_done_i, cmd_stop_i})

  `COVER(c_log_wraps, rec_written_i && (fl_tail_q & fl_mask) == fl_mask)
  `COVER(c_queue_wraps, cmd_done_i && (cq_head_q & cq_mask) == cq_mask)
  `COVER(c_reg_err, reg_valid_i && reg_err_o)

endmodule
