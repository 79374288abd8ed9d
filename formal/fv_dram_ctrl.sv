// SPDX-License-Identifier: MIT
// fv_dram_ctrl — pg_dram_ctrl under formal verification (make formal). It
// builds the controller with 5-bit timers and 6-bit arrival stamps (every
// setting below is small), a 4-deep queue (2 in the liveness job), 4 banks
// in 2 bank groups, 4 rows,
// 4 columns, the timings scaled down in proportion, open or close page and FR-FCFS
// or FCFS as free inputs held from reset. Requests are free within the
// caller's contract (ids unique among the reads in flight); the device
// returns read data CL + BL/2 cycles after each RD.
//
// The JEDEC rules are stated here again, from the standard (DDR4 JESD79-4,
// the DDR3 rules being the same with one bank group), over the command bus
// alone: per bank the time since its last ACT, RD, WR and when its
// precharge (PRE, PREA, or the auto-precharge of RDA/WRA) begins; per bank
// group the last ACT, RD and WR; the last four ACTs; the last REF.
//   trcd      ACT to RD/WR of the bank: tRCD
//   tras      ACT to PRE of the bank: tRAS
//   trc       ACT to ACT of the bank: tRC
//   trp       precharge to ACT of the bank, and to REF: tRP. An RDA's
//             precharge begins at max(RD + tRTP, ACT + tRAS), a WRA's at
//             max(WR + CWL + BL/2 + tWR, ACT + tRAS); until it begins no
//             command may address the bank (ap_pending)
//   trrd      ACT to ACT of another bank: tRRD_L in its group, tRRD_S not
//   tfaw      at most four ACTs in any tFAW window
//   tccd      RD to RD, WR to WR: tCCD_L in the group, tCCD_S not
//   twtr      WR to RD: CWL + BL/2 + tWTR_L in the group, _S not
//   rd2wr     RD to WR: CL + BL/2 + 2 - CWL
//   trtp      RD to PRE of the bank: tRTP
//   twr       WR to PRE of the bank: CWL + BL/2 + tWR
//   trfc      REF to ACT or REF: tRFC; REF only with every bank precharged
//   bank_state  RD/WR only to an open bank; ACT only to a closed one
//   refresh_limit  at most MaxOwed refreshes owed (REFs due every tREFI,
//               minus those issued; the first one is due tREFI cycles after
//               reset). JEDEC allows 8; scaled down like the timings, so
//               that a bounded check reaches it. It holds while the drain
//               (the activated requests' column commands, then PREA and
//               REF) fits in tREFI, as in every part (DDR3-1600: tREFI 6240
//               cycles); the JEDEC job's tREFI of 12 is shorter than the
//               worst drain (ABC finds 3 owed at cycle 39 there), so the
//               dram_refresh job checks it: a 2-deep queue, one refresh
//               owed at most, tREFI 24 (20 is still shorter than its worst
//               drain, 21 cycles: a write's turnaround and recovery, then
//               tRP), to depth 56
//   read_answered  a watched read is answered within ReadBound cycles (make
//               formal's dram_live job: a 2-deep queue that drains writes
//               from the first one, starvation after 4 cycles, one refresh
//               postponed at most every 32 cycles, so that the worst wait,
//               an older request, write recovery and a refresh with every
//               bank closed and reopened, fits a bounded check of 44 cycles
//               with a bound of 40)
`include "pg_assert.svh"

module fv_dram_ctrl #(
  parameter int unsigned QDepth = 4,      // requests queued
  parameter int unsigned MaxOwed = 2,     // refreshes postponed at most (JEDEC: 8)
  parameter int unsigned Starve = 10,     // cycles before a request is starved
  parameter int unsigned TREFI = 12,      // cycles between refreshes due (at most 32)
  parameter int unsigned WrHi = QDepth - QDepth / 4,  // write drain from this many writes
  parameter int unsigned WrLo = 1,                    // down to this many
  parameter int unsigned ReadBound = 40   // read_answered's bound
) (
  input logic         clk_i,
  input logic         rst_ni,
  input logic         close_page_i,  // the row policy, held from reset
  input logic         in_order_i,    // FCFS, held from reset
  input logic         req_valid_i,
  input logic         req_we_i,
  input logic [1:0]   req_id_i,
  input logic [11:6]  req_addr_i,
  input logic         watch_i        // watch the read accepted now
);
  // ---- settings: DDR4-like, scaled down -------------------------------------
  // tFAW is longer than tRC here (in parts it is shorter, with 8 to 16
  // banks): with 4 banks a fifth ACT must reopen a bank, tRC after its last
  // ACT, and only a window longer than tRC can then hold five. tRC is longer
  // than tRAS + tRP (in parts often equal), so that it binds on its own.
  localparam int unsigned CL = 3, CWL = 2, BL2 = 4;
  localparam int unsigned TRCD = 2, TRP = 2, TRAS = 5, TRC = 8, TRRD_S = 1, TRRD_L = 2;
  localparam int unsigned TWTR_S = 1, TWTR_L = 2, TFAW = 9, TWR = 2, TRTP = 2;
  localparam int unsigned TCCD_S = 4, TCCD_L = 5, TRFC = 4;

  pagoda_pkg::dram_cfg_t cfg;
  always_comb begin
    cfg = '0;
    cfg.cl = 8'(CL);  cfg.cwl = 8'(CWL);
    cfg.trcd = 8'(TRCD);  cfg.trp = 8'(TRP);  cfg.tras = 8'(TRAS);  cfg.trc = 8'(TRC);
    cfg.trrd_s = 8'(TRRD_S);  cfg.trrd_l = 8'(TRRD_L);
    cfg.twtr_s = 8'(TWTR_S);  cfg.twtr_l = 8'(TWTR_L);
    cfg.tfaw = 8'(TFAW);  cfg.twr = 8'(TWR);  cfg.trtp = 8'(TRTP);
    cfg.tccd_s = 8'(TCCD_S);  cfg.tccd_l = 8'(TCCD_L);
    cfg.trfc = 12'(TRFC);  cfg.trefi = 16'(TREFI);
    // line address: column 1:0, bank 2, bank group 3, row 5:4
    cfg.col_pos = 5'd0;  cfg.col_w = 4'd2;
    cfg.ba_pos = 5'd2;   cfg.ba_w = 3'd1;
    cfg.bg_pos = 5'd3;   cfg.bg_w = 3'd1;
    cfg.row_pos = 5'd4;  cfg.row_w = 5'd2;
    cfg.close_page = close_page_i;
    cfg.in_order = in_order_i;
    cfg.queue_limit = 6'(QDepth);  cfg.wq_limit = 6'(QDepth);
    cfg.wr_hi = 5'(WrHi);  cfg.wr_lo = 5'(WrLo);
    cfg.starve = 12'(Starve);
  end

  logic        ready, rsp_valid, cmd_ap, rd_valid;
  logic [1:0]  rsp_id, bank, row, col;
  pagoda_pkg::dram_cmd_e cmd;
  logic [pagoda_pkg::LineBits-1:0]  rsp_rdata, cmd_wdata;
  logic [pagoda_pkg::LineBytes-1:0] cmd_mask;
  logic [63:0] cnt;

  pg_dram_ctrl #(.QDepth(QDepth), .IdW(2), .NumBanks(4), .RowW(2), .ColW(2), .AddrW(12),
                 .RdqDepth(2), .TimerW(5), .StampW(6), .MaxOwed(MaxOwed)) dut (
    .clk_i, .rst_ni, .cfg_i(cfg),
    .req_valid_i, .req_ready_o(ready), .req_we_i, .req_id_i, .req_addr_i,
    .req_wdata_i('0), .req_mask_i('1),
    .rsp_valid_o(rsp_valid), .rsp_id_o(rsp_id), .rsp_rdata_o(rsp_rdata),
    .cmd_o(cmd), .cmd_ap_o(cmd_ap), .cmd_bank_o(bank), .cmd_row_o(row), .cmd_col_o(col),
    .cmd_wdata_o(cmd_wdata), .cmd_mask_o(cmd_mask),
    .rd_valid_i(rd_valid), .rd_data_i('0),
    .cnt_sel_i(3'd0), .cnt_o(cnt)
  );

  // ---- the caller's contract and the device ----------------------------------
  initial assume (!rst_ni);
  logic close_q, in_order_q;
  always_ff @(posedge clk_i) begin
    close_q <= close_page_i;
    in_order_q <= in_order_i;
  end
  // The policies are settings: they hold from reset on.
  always_comb if (rst_ni) assume (close_page_i == close_q && in_order_i == in_order_q);
  // A read's id is not reused while that read is in flight.
  logic [3:0] rd_busy_q;  // ids of reads accepted and not yet answered
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) rd_busy_q <= '0;
    else rd_busy_q <= (rd_busy_q & ~(rsp_valid ? 4'(1) << rsp_id : 4'd0)) |
                      (req_valid_i && ready && !req_we_i ? 4'(1) << req_id_i : 4'd0);
  end
  always_comb if (req_valid_i && !req_we_i) assume (!rd_busy_q[req_id_i]);
  // Read data: CL + BL/2 cycles after the RD.
  localparam int unsigned RdLat = CL + BL2;
  logic [RdLat-1:0] rd_pipe_q;
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) rd_pipe_q <= '0;
    else rd_pipe_q <= {rd_pipe_q[RdLat-2:0], cmd == pagoda_pkg::DcRd};
  end
  assign rd_valid = rd_pipe_q[RdLat-2];

  // ---- the JEDEC monitor -----------------------------------------------------
  // "Cycles since" counters saturate; Long means long ago. Countdowns are
  // loaded with the gap minus one: they read 0 the cycle the gap has passed.
  localparam int unsigned SW = 6;
  localparam logic [SW-1:0] Long = {SW{1'b1}};  // (Yosys 0.23 reads '1 here as 1)
  function automatic logic [SW-1:0] inc(logic [SW-1:0] v);
    inc = (v == Long) ? v : v + 1'b1;
  endfunction
  localparam int unsigned WrToPre = CWL + BL2 + TWR;
  localparam int unsigned RdToWr = CL + BL2 + 2 - CWL;

  logic is_act, is_rd, is_wr, is_pre, is_prea, is_ref, is_cas;
  assign is_act  = cmd == pagoda_pkg::DcAct;
  assign is_rd   = cmd == pagoda_pkg::DcRd;
  assign is_wr   = cmd == pagoda_pkg::DcWr;
  assign is_pre  = cmd == pagoda_pkg::DcPre;
  assign is_prea = cmd == pagoda_pkg::DcPrea;
  assign is_ref  = cmd == pagoda_pkg::DcRef;
  assign is_cas  = is_rd || is_wr;
  logic grp;  // the command's bank group
  assign grp = bank[1];

  // Per bank (flat vectors, bank b at [b*SW +: SW]): cycles since its ACT,
  // RD and WR; cycles until a scheduled auto-precharge begins; cycles until
  // tRP after its last precharge allows ACT; whether a row is open.
  logic [3:0]      open_q;
  logic [4*SW-1:0] s_act, s_rd, s_wr, pre_in, act_in;
  // Per bank group: since its last ACT, RD, WR. The last four ACTs (faw 3
  // the oldest), the last REF; refreshes owed.
  logic [2*SW-1:0] g_act, g_rd, g_wr;
  logic [SW-1:0]   s_ref_q;
  logic [4:0]      owed_q;
  logic [4:0]      tick_q;

  logic [SW-1:0] b_act, b_rd, b_wr, b_pre_in, b_act_in;  // the command's bank's
  assign b_act    = s_act[32'(bank) * SW +: SW];
  assign b_rd     = s_rd[32'(bank) * SW +: SW];
  assign b_wr     = s_wr[32'(bank) * SW +: SW];
  assign b_pre_in = pre_in[32'(bank) * SW +: SW];
  assign b_act_in = act_in[32'(bank) * SW +: SW];

  // When an auto-precharge begins, counted from this cycle:
  // max(tRTP or CWL + BL/2 + tWR, what is left of tRAS).
  logic [SW-1:0] ap_begin;
  always_comb begin
    ap_begin = SW'(is_rd ? TRTP : WrToPre);
    if (SW'(TRAS) > b_act && SW'(TRAS) - b_act > ap_begin) ap_begin = SW'(TRAS) - b_act;
  end

  for (genvar b = 0; b < 4; b++) begin : g_bank
    logic here;
    assign here = bank == 2'(b);
    logic [SW-1:0] act_q, rd_q, wr_q, pre_in_q, act_in_q;
    always_ff @(posedge clk_i or negedge rst_ni) begin
      if (!rst_ni) begin
        act_q <= Long; rd_q <= Long; wr_q <= Long; pre_in_q <= '0; act_in_q <= '0;
        open_q[b] <= 1'b0;
      end else begin
        act_q <= (is_act && here) ? SW'(1) : inc(act_q);
        rd_q  <= (is_rd && here) ? SW'(1) : inc(rd_q);
        wr_q  <= (is_wr && here) ? SW'(1) : inc(wr_q);
        if (is_cas && cmd_ap && here) begin
          pre_in_q <= ap_begin - 1'b1;
          act_in_q <= ap_begin + SW'(TRP) - 1'b1;
        end else if ((is_pre && here) || is_prea) begin
          pre_in_q <= (pre_in_q != '0) ? pre_in_q - 1'b1 : '0;
          act_in_q <= SW'(TRP) - 1'b1;
        end else begin
          pre_in_q <= (pre_in_q != '0) ? pre_in_q - 1'b1 : '0;
          act_in_q <= (act_in_q != '0) ? act_in_q - 1'b1 : '0;
        end
        if (is_act && here) open_q[b] <= 1'b1;
        else if ((is_cas && cmd_ap && here) || (is_pre && here) || is_prea) open_q[b] <= 1'b0;
      end
    end
    assign s_act[b*SW +: SW]  = act_q;
    assign s_rd[b*SW +: SW]   = rd_q;
    assign s_wr[b*SW +: SW]   = wr_q;
    assign pre_in[b*SW +: SW] = pre_in_q;
    assign act_in[b*SW +: SW] = act_in_q;
  end

  for (genvar g = 0; g < 2; g++) begin : g_group
    logic here;
    assign here = grp == 1'(g);
    logic [SW-1:0] act_q, rd_q, wr_q;
    always_ff @(posedge clk_i or negedge rst_ni) begin
      if (!rst_ni) begin
        act_q <= Long; rd_q <= Long; wr_q <= Long;
      end else begin
        act_q <= (is_act && here) ? SW'(1) : inc(act_q);
        rd_q  <= (is_rd && here) ? SW'(1) : inc(rd_q);
        wr_q  <= (is_wr && here) ? SW'(1) : inc(wr_q);
      end
    end
    assign g_act[g*SW +: SW] = act_q;
    assign g_rd[g*SW +: SW]  = rd_q;
    assign g_wr[g*SW +: SW]  = wr_q;
  end

  logic [SW-1:0] faw0_q, faw1_q, faw2_q, faw3_q;
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      faw0_q <= Long; faw1_q <= Long; faw2_q <= Long; faw3_q <= Long;
      s_ref_q <= Long;
      owed_q <= '0;
      tick_q <= 5'(TREFI - 1);
    end else begin
      if (is_act) begin
        faw0_q <= SW'(1); faw1_q <= inc(faw0_q); faw2_q <= inc(faw1_q); faw3_q <= inc(faw2_q);
      end else begin
        faw0_q <= inc(faw0_q); faw1_q <= inc(faw1_q); faw2_q <= inc(faw2_q);
        faw3_q <= inc(faw3_q);
      end
      s_ref_q <= is_ref ? SW'(1) : inc(s_ref_q);
      tick_q <= (tick_q == '0) ? 5'(TREFI - 1) : tick_q - 1'b1;
      owed_q <= owed_q + 5'(tick_q == '0) - 5'(is_ref);
    end
  end

  logic [SW-1:0] own_act, own_rd, own_wr, oth_act, oth_rd, oth_wr;  // the command's group, the other
  assign own_act = g_act[32'(grp) * SW +: SW];
  assign own_rd  = g_rd[32'(grp) * SW +: SW];
  assign own_wr  = g_wr[32'(grp) * SW +: SW];
  assign oth_act = g_act[32'(!grp) * SW +: SW];
  assign oth_rd  = g_rd[32'(!grp) * SW +: SW];
  assign oth_wr  = g_wr[32'(!grp) * SW +: SW];

  // The checks: the command's gap from each earlier command it depends on.
  // ("Since" counts from 1 the cycle after a command, so a gap of G cycles
  // reads as since >= G.)
  `ASSERT_IF(bank_state, is_cas, open_q[bank])
  `ASSERT_IF(bank_state_act, is_act, !open_q[bank])
  `ASSERT_IF(ap_pending, is_act || is_cas || is_pre, b_pre_in == '0)
  `ASSERT_IF(trcd, is_cas, b_act >= SW'(TRCD))
  `ASSERT_IF(tras, is_pre, b_act >= SW'(TRAS))
  `ASSERT_IF(trc, is_act, b_act >= SW'(TRC))
  `ASSERT_IF(trp, is_act, b_act_in == '0)
  `ASSERT_IF(trrd, is_act, own_act >= SW'(TRRD_L) && oth_act >= SW'(TRRD_S))
  `ASSERT_IF(tfaw, is_act, faw3_q >= SW'(TFAW))
  `ASSERT_IF(tccd, is_rd, own_rd >= SW'(TCCD_L) && oth_rd >= SW'(TCCD_S))
  `ASSERT_IF(tccd_wr, is_wr, own_wr >= SW'(TCCD_L) && oth_wr >= SW'(TCCD_S))
  `ASSERT_IF(twtr, is_rd, own_wr >= SW'(CWL + BL2 + TWTR_L) && oth_wr >= SW'(CWL + BL2 + TWTR_S))
  `ASSERT_IF(rd2wr, is_wr, own_rd >= SW'(RdToWr) && oth_rd >= SW'(RdToWr))
  `ASSERT_IF(trtp, is_pre, b_rd >= SW'(TRTP))
  `ASSERT_IF(twr, is_pre, b_wr >= SW'(WrToPre))
  // PREA: every open bank as a PRE would need it; none with a precharge to come.
  logic prea_ok;
  always_comb begin
    prea_ok = 1'b1;
    for (int b = 0; b < 4; b++) begin
      if (pre_in[b*SW +: SW] != '0) prea_ok = 1'b0;
      if (open_q[b] && (s_act[b*SW +: SW] < SW'(TRAS) || s_rd[b*SW +: SW] < SW'(TRTP) ||
                        s_wr[b*SW +: SW] < SW'(WrToPre))) prea_ok = 1'b0;
    end
  end
  `ASSERT_IF(prea, is_prea, prea_ok)
  `ASSERT_IF(trfc, is_act || is_ref, s_ref_q >= SW'(TRFC))
  `ASSERT_IF(ref_idle, is_ref, open_q == '0 && act_in == '0)
  `ASSERT(refresh_limit, owed_q <= 5'(MaxOwed))

  // ---- read_answered ------------------------------------------------------------
  logic          watching_q;
  logic [1:0]    watch_id_q;
  logic [SW-1:0] watch_age_q;
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      watching_q <= 1'b0;
      watch_age_q <= '0;
    end else if (!watching_q && watch_i && req_valid_i && ready && !req_we_i) begin
      watching_q <= 1'b1;
      watch_id_q <= req_id_i;
      watch_age_q <= '0;
    end else if (watching_q && rsp_valid && rsp_id == watch_id_q) begin
      watching_q <= 1'b0;
    end else if (watching_q) begin
      watch_age_q <= inc(watch_age_q);
    end
  end
  `ASSERT_IF(read_answered, watching_q, watch_age_q < SW'(ReadBound))

  logic unused;
  assign unused = ^{row, col, rsp_rdata, cmd_wdata, cmd_mask, cnt, rd_pipe_q[RdLat-1]};

endmodule
