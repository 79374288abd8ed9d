// SPDX-License-Identifier: MIT
// fv_iommu — pg_iommu under formal verification (make formal), with a
// 2-entry IOTLB and device-table cache. Software is free: any register
// written at any time, except that CTRL, DT_BASE and DT_LOG2 change only
// between translations (DT_BASE page-aligned RAM-sized, DT_LOG2 <= 16, as
// SPEC 4 asks). The two devices ask for any IOVA, reads and writes. Memory
// answers the IOMMU's one read at a time after any delay with any line,
// except that the two devices' table entries are fixed (any values, chosen
// once: DTE0 for requester 0, DTE1 for requester 1) and one watched 8-byte
// word anywhere else (any address, any first value) is real memory: read
// back as last written. The watched word stands for every word at once: a
// property about it holds for all of memory.
//
// The properties restate SPEC 4 from the text, not from the design:
//   te_off        TE=0: the IOVA is the address; OK in RAM, else not-RAM
//   rid_first     a requester ID >= 2^DT_LOG2 faults with reason 1
//   dte_reason    an entry with V=0, reserved bits or MODE blocked faults
//                 with the first of reasons 2, 3, 4 that applies (or 5, a
//                 bus error, when the entry's address is not RAM)
//   pass_reason   pass-through: write denied (9), read denied (10), not
//                 RAM (11), else OK at the IOVA itself
//   wide_reason   translate and nested: an IOVA wider than 48 bits faults
//                 with reason 6
//   walk_reason   translate and nested: never reasons 1-4; a write the
//                 entry denies ends in 5, 6, 7, 8 or 9, a read it denies in
//                 5, 6, 7, 8 or 10 (the table's own faults come first)
//   unusable_reads / unusable_writes
//                 a request from a device that may not use the IOMMU
//                 (requester ID out of range, V=0, reserved bits, blocked)
//                 reads nothing but its own table entry and writes nothing
//                 but one fault record (a 32-byte write); never OK
//   entry_writes_ad   during a translation an entry write (8 bytes) changes
//                 nothing but A and D
//   fault_no_dirty    a request that faults (reasons 1-10) sets no D bit:
//                 it never reaches memory, so nothing is dirty because of
//                 it (an IOVA whose translation succeeds and points outside
//                 RAM, reason 11, is dirty: the translation was used)
`include "pg_assert.svh"

module fv_iommu (
  input logic         clk_i,
  input logic         rst_ni,
  input logic         reg_valid_i,
  input logic         reg_we_i,
  input logic [11:0]  reg_offset_i,
  input logic [63:0]  reg_wdata_i,
  input logic [1:0]   tr_valid_i,
  input logic [1:0]   tr_write_i,
  input logic [63:0]  tr_iova0_i,
  input logic [63:0]  tr_iova1_i,
  input logic         mem_req_ready_i,
  input logic         mem_rsp_valid_i,
  input logic [pagoda_pkg::LineBits-1:0] mem_any_i  // memory's answer where nothing is fixed
);
  localparam int unsigned PaBits = pagoda_pkg::PaBits;
  localparam logic [15:0] Rid0 = 16'h0008, Rid1 = 16'h0010;

  // ---- the device --------------------------------------------------------------------------
  logic [63:0] rdata;
  logic        rerr, busy;
  logic [1:0]  ready, done;
  pagoda_pkg::io_reason_e reason;
  logic [PaBits-1:0] pa;
  logic                  req_valid, req_we, rsp_valid;
  logic [PaBits-1:0]     req_addr;
  logic [pagoda_pkg::LineBits-1:0]  req_wdata, rsp_rdata;
  logic [pagoda_pkg::LineBytes-1:0] req_mask;
  logic [63:0] cnt;

  pg_iommu #(.IotlbEntries(2), .DtcEntries(2), .Rid0(Rid0), .Rid1(Rid1)) dut (
    .clk_i, .rst_ni,
    .reg_valid_i, .reg_we_i, .reg_offset_i, .reg_wdata_i, .reg_rdata_o(rdata), .reg_err_o(rerr),
    .tr_valid_i, .tr_ready_o(ready), .tr_write_i, .tr_iova0_i, .tr_iova1_i,
    .tr_done_o(done), .tr_reason_o(reason), .tr_pa_o(pa),
    .mem_req_valid_o(req_valid), .mem_req_ready_i, .mem_req_we_o(req_we),
    .mem_req_addr_o(req_addr), .mem_req_wdata_o(req_wdata), .mem_req_mask_o(req_mask),
    .mem_rsp_valid_i(rsp_valid), .mem_rsp_rdata_i(rsp_rdata),
    .busy_o(busy), .cnt_sel_i(3'd0), .cnt_o(cnt)
  );

  initial assume (!rst_ni);

  // ---- software: the registers that decide a translation, mirrored (SPEC 4 offsets) --------
  logic              te_q;
  logic [PaBits-1:0] dt_base_q;
  logic [4:0]        dt_log2_q;
  logic              wr_ctrl, wr_base, wr_log2;
  assign wr_ctrl = reg_valid_i && reg_we_i && reg_offset_i == 12'h008;
  assign wr_base = reg_valid_i && reg_we_i && reg_offset_i == 12'h010;
  assign wr_log2 = reg_valid_i && reg_we_i && reg_offset_i == 12'h018;
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      te_q <= 1'b0;
      dt_base_q <= '0;
      dt_log2_q <= '0;
    end else begin
      if (wr_ctrl) te_q <= reg_wdata_i[0];
      if (wr_base) dt_base_q <= reg_wdata_i[PaBits-1:0];
      if (wr_log2) dt_log2_q <= reg_wdata_i[4:0];
    end
  end

  // ---- one translation at a time: what it asked, what the tables say -----------------------
  logic taken;
  assign taken = |(tr_valid_i & ready);
  logic        cur_q, sel_q, wr_q, te_at_q;
  logic [63:0] iova_q;
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) cur_q <= 1'b0;
    else if (taken) cur_q <= 1'b1;
    else if (|done) cur_q <= 1'b0;
  end
  always_ff @(posedge clk_i) begin
    if (taken) begin
      sel_q <= ready[1];
      wr_q <= tr_write_i[ready[1]];
      iova_q <= ready[1] ? tr_iova1_i : tr_iova0_i;
      te_at_q <= te_q;
    end
  end
  // Software's contract: the deciding registers change between translations.
  always_comb if (rst_ni && (cur_q || taken)) assume (!wr_ctrl && !wr_base && !wr_log2);
  always_comb if (rst_ni && wr_base) assume (reg_wdata_i[11:0] == '0 && reg_wdata_i[63:32] == '0);
  always_comb if (rst_ni && wr_log2) assume (reg_wdata_i <= 64'd16);
  // The devices' contract: a request holds until taken.
  logic [1:0]  held_q;
  logic [1:0]  hwr_q;
  logic [63:0] hiova0_q, hiova1_q;
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) held_q <= '0;
    else held_q <= tr_valid_i & ~ready;
  end
  always_ff @(posedge clk_i) begin
    hwr_q <= tr_write_i;
    hiova0_q <= tr_iova0_i;
    hiova1_q <= tr_iova1_i;
  end
  always_comb begin
    if (rst_ni && held_q[0]) assume (tr_valid_i[0] && tr_write_i[0] == hwr_q[0] && tr_iova0_i == hiova0_q);
    if (rst_ni && held_q[1]) assume (tr_valid_i[1] && tr_write_i[1] == hwr_q[1] && tr_iova1_i == hiova1_q);
  end

  // The two entries, fixed; the entry of the request under way and where it sits.
  (* anyconst *) logic [255:0] dte0, dte1;
  logic [255:0]      dte;
  logic [15:0]       rid;
  logic [PaBits-1:0] dte_addr, dte0_addr, dte1_addr;
  assign dte       = sel_q ? dte1 : dte0;
  assign rid       = sel_q ? Rid1 : Rid0;
  assign dte0_addr = dt_base_q + PaBits'({Rid0, 5'd0});
  assign dte1_addr = dt_base_q + PaBits'({Rid1, 5'd0});
  assign dte_addr  = sel_q ? dte1_addr : dte0_addr;

  // SPEC 4's device-table entry: word 0 V 0, MODE 2:1, R 3, W 4, domain
  // 31:16, the rest reserved; words 1 and 2 a table root at 51:12 (the other
  // bits reserved: sw/model/pg_iommu.c); word 3 reserved.
  logic        v, r, w, rsvd, rid_bad, dte_bus, unusable, iova_ram;
  logic [1:0]  mode;
  assign v    = dte[0];
  assign mode = dte[2:1];
  assign r    = dte[3];
  assign w    = dte[4];
  assign rsvd = (|dte[15:5]) || (|dte[63:32]) || (|dte[127:116]) || (|dte[75:64]) ||
                (|dte[191:180]) || (|dte[139:128]) || (|dte[255:192]);
  assign rid_bad  = dt_log2_q < 5'd16 && (32'(rid) >> dt_log2_q) != 32'd0;
  assign dte_bus  = dte_addr >= 52'h0_0000_C000_0000;  // not RAM (SPEC 2: RAM is 0..3 GiB)
  assign unusable = rid_bad || !v || rsvd || mode == 2'd0;
  assign iova_ram = iova_q < 64'h0000_0000_C000_0000;

  // ---- memory ------------------------------------------------------------------------------
  (* anyconst *) logic [PaBits-4:0] watch;  // the watched word's index (address / 8)
  logic [63:0]             watch_q;         // its value (any at first)
  logic                    rd_q;            // a read outstanding
  logic [PaBits-1:6]       rd_line_q;
  logic [PaBits-1:6]       watch_line;
  logic [2:0]              watch_off;
  assign watch_line = watch[PaBits-4:3];
  assign watch_off  = watch[2:0];
  // The watched word is not in a fixed entry's line.
  always_comb if (rst_ni) assume (watch_line != dte0_addr[PaBits-1:6] &&
                                  watch_line != dte1_addr[PaBits-1:6]);
  logic acc_rd, acc_wr;
  assign acc_rd = req_valid && mem_req_ready_i && !req_we;
  assign acc_wr = req_valid && mem_req_ready_i && req_we;
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) rd_q <= 1'b0;
    else if (acc_rd) rd_q <= 1'b1;
    else if (rsp_valid) rd_q <= 1'b0;
  end
  always_ff @(posedge clk_i) if (acc_rd) rd_line_q <= req_addr[PaBits-1:6];
  assign rsp_valid = mem_rsp_valid_i && rd_q;
  always_comb begin
    rsp_rdata = mem_any_i;
    if (rd_line_q == dte0_addr[PaBits-1:6]) rsp_rdata[32'(dte0_addr[5]) * 256 +: 256] = dte0;
    if (rd_line_q == dte1_addr[PaBits-1:6]) rsp_rdata[32'(dte1_addr[5]) * 256 +: 256] = dte1;
    if (rd_line_q == watch_line) rsp_rdata[32'(watch_off) * 64 +: 64] = watch_q;
  end
  // Writes to the watched word, byte by byte.
  logic        hits_watch;
  logic [7:0]  wmask;
  logic [63:0] wdata, watch_next;
  assign hits_watch = acc_wr && req_addr[PaBits-1:6] == watch_line;
  assign wmask = req_mask[32'(watch_off) * 8 +: 8];
  assign wdata = req_wdata[32'(watch_off) * 64 +: 64];
  always_comb begin
    watch_next = watch_q;
    for (int b = 0; b < 8; b++) if (wmask[b]) watch_next[b*8 +: 8] = wdata[b*8 +: 8];
  end
  always_ff @(posedge clk_i) if (hits_watch) watch_q <= watch_next;

  // ---- what the translation did to memory ---------------------------------------------------
  logic entry_write, record_write;
  assign entry_write  = acc_wr && $countones(req_mask) == 8;
  assign record_write = acc_wr && (req_mask == {32'd0, 32'hffffffff} ||
                                   req_mask == {32'hffffffff, 32'd0});
  logic [1:0] writes_q;   // writes of the translation under way
  logic       dirtied_q;  // it set a D bit (of the watched word)
  logic       dirties;
  assign dirties = hits_watch && cur_q && entry_write && wmask == 8'hff && !watch_q[6] &&
                   watch_next[6];  // an entry write (a fault record's bit 6 is no D bit)
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      writes_q <= '0;
      dirtied_q <= 1'b0;
    end else if (taken) begin  // a new translation (also when one ends as it starts)
      writes_q <= '0;
      dirtied_q <= 1'b0;
    end else begin
      if (acc_wr && writes_q != 2'd3) writes_q <= writes_q + 2'd1;
      if (dirties) dirtied_q <= 1'b1;
    end
  end

  // ---- the properties ----------------------------------------------------------------------
  logic answer;
  assign answer = (|done) && cur_q;
  `ASSERT_IF(answers_own, |done, cur_q && done[sel_q])
  `ASSERT_IF(te_off, answer && !te_at_q,
             pa == iova_q[PaBits-1:0] &&
             reason == (iova_ram ? pagoda_pkg::IoOk : pagoda_pkg::IoNotRam))
  `ASSERT_IF(rid_first, answer && te_at_q && rid_bad, reason == pagoda_pkg::IoRid)
  pagoda_pkg::io_reason_e dte_first;
  assign dte_first = !v ? pagoda_pkg::IoDteInvalid : rsvd ? pagoda_pkg::IoDteRsvd
                                                          : pagoda_pkg::IoBlocked;
  `ASSERT_IF(dte_reason, answer && te_at_q && !rid_bad && unusable,
             reason == dte_first || (dte_bus && reason == pagoda_pkg::IoBus))
  pagoda_pkg::io_reason_e pass_first;
  assign pass_first = (wr_q && !w) ? pagoda_pkg::IoWrite : (!wr_q && !r) ? pagoda_pkg::IoRead
                    : !iova_ram ? pagoda_pkg::IoNotRam : pagoda_pkg::IoOk;
  `ASSERT_IF(pass_reason, answer && te_at_q && !unusable && mode == 2'd1,
             (reason == pass_first && (reason != pagoda_pkg::IoOk || pa == iova_q[PaBits-1:0])) ||
             (dte_bus && reason == pagoda_pkg::IoBus))
  logic walks;
  assign walks = te_at_q && !unusable && mode[1];
  `ASSERT_IF(wide_reason, answer && walks && iova_q[63:48] != '0,
             reason == pagoda_pkg::IoWide || (dte_bus && reason == pagoda_pkg::IoBus))
  logic table_first;  // a reason the tables give before the entry's rights
  assign table_first = reason == pagoda_pkg::IoBus || reason == pagoda_pkg::IoWide ||
                       reason == pagoda_pkg::IoNotPresent || reason == pagoda_pkg::IoRsvd;
  `ASSERT_IF(walk_reason, answer && walks,
             (reason == pagoda_pkg::IoOk || reason > pagoda_pkg::IoBlocked) &&
             (!(wr_q && !w) || table_first || reason == pagoda_pkg::IoWrite) &&
             (!(!wr_q && !r) || table_first || reason == pagoda_pkg::IoRead))
  `ASSERT_IF(unusable_never_ok, answer && te_at_q && unusable, reason != pagoda_pkg::IoOk)
  `ASSERT_IF(unusable_reads, acc_rd && cur_q && te_at_q && unusable,
             !rid_bad && req_addr[PaBits-1:6] == dte_addr[PaBits-1:6])
  `ASSERT_IF(unusable_writes, acc_wr && cur_q && te_at_q && unusable,
             record_write && writes_q == '0)
  logic [63:0] changed;
  assign changed = watch_q ^ watch_next;
  `ASSERT_IF(entry_writes_ad, hits_watch && cur_q && entry_write && wmask == 8'hff,
             changed[63:7] == '0 && changed[4:0] == '0)
  `ASSERT_IF(fault_no_dirty, answer && dirtied_q,
             reason == pagoda_pkg::IoOk || reason == pagoda_pkg::IoNotRam)

  logic unused;
  assign unused = ^{rdata, rerr, busy, cnt, record_write};

endmodule
