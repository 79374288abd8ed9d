// SPDX-License-Identifier: MIT
// pg_dma — a DMA engine of SPEC 5: copies LEN bytes from SRC to DST (IOVAs)
// in pieces of at most 64 bytes, each translated by the IOMMU, stopping at
// the first faulting translation (sw/model/pg_dma.h states the pieces).
//
// Translations run in piece order (source, then destination, one at a time),
// so the IOMMU sees exactly the golden model's sequence; the data moves
// behind them through a ring of Slots pieces: reads are issued in order as
// soon as a piece is translated (many in flight, answered in any order by
// id), writes in order once a piece's data is back. A read waits while an
// earlier piece still has to write its line (a copy onto itself stays
// exact); the controller keeps same-line requests in order after that.
// When a translation faults, the pieces before it still drain, then STATUS
// shows the error.
`include "pg_assert.svh"

module pg_dma #(
  parameter int unsigned Slots = 16,
  localparam int unsigned SlotW = $clog2(Slots),
  localparam int unsigned PaBits = pagoda_pkg::PaBits,
  localparam int unsigned LineBits = pagoda_pkg::LineBits,
  localparam int unsigned LineBytes = pagoda_pkg::LineBytes
) (
  input  logic clk_i,
  input  logic rst_ni,

  // registers (the register bus, this engine's window selected)
  input  logic        reg_valid_i,
  input  logic        reg_we_i,
  input  logic [7:0]  reg_offset_i,
  input  logic [63:0] reg_wdata_i,
  output logic [63:0] reg_rdata_o,
  output logic        reg_err_o,

  // translations (pg_iommu)
  output logic              tr_valid_o,
  input  logic              tr_ready_i,
  output logic              tr_write_o,
  output logic [63:0]       tr_iova_o,
  input  logic              tr_done_i,
  input  pagoda_pkg::io_reason_e tr_reason_i,
  input  logic [PaBits-1:0] tr_pa_i,

  // memory: reads answered by id (the slot), writes posted
  output logic                 mem_req_valid_o,
  input  logic                 mem_req_ready_i,
  output logic                 mem_req_we_o,
  output logic [SlotW-1:0]     mem_req_id_o,
  output logic [PaBits-1:0]    mem_req_addr_o,
  output logic [LineBits-1:0]  mem_req_wdata_o,
  output logic [LineBytes-1:0] mem_req_mask_o,
  input  logic                 mem_rsp_valid_i,
  input  logic [SlotW-1:0]     mem_rsp_id_i,
  input  logic [LineBits-1:0]  mem_rsp_rdata_i,

  output logic        busy_o,
  output logic [63:0] bytes_o  // bytes written since reset (dma_bytes)
);

  // ---- registers ----------------------------------------------------------------------------
  logic [63:0] src_q, dst_q, len_q, err_iova_q;
  logic [7:0]  err_reason_q;
  logic        busy_q, done_q, error_q;
  logic [63:0] bytes_q;

  always_comb begin
    reg_err_o = 1'b0;
    reg_rdata_o = '0;
    unique case (reg_offset_i)
      pagoda_pkg::DmaSrc: reg_rdata_o = src_q;
      pagoda_pkg::DmaDst: reg_rdata_o = dst_q;
      pagoda_pkg::DmaLen: reg_rdata_o = len_q;
      pagoda_pkg::DmaCtrl: reg_rdata_o = '0;
      pagoda_pkg::DmaStatus: reg_rdata_o = {61'd0, error_q, done_q, busy_q};
      pagoda_pkg::DmaErrReason: reg_rdata_o = {56'd0, err_reason_q};
      pagoda_pkg::DmaErrIova: reg_rdata_o = err_iova_q;
      default: reg_err_o = 1'b1;
    endcase
  end

  logic start, misaligned;
  assign start = reg_valid_i && reg_we_i && reg_offset_i == pagoda_pkg::DmaCtrl && reg_wdata_i[0] && !busy_q;
  assign misaligned = (src_q[2:0] | dst_q[2:0] | len_q[2:0]) != '0;

  // ---- translation sequencer ----------------------------------------------------------------
  typedef enum logic [2:0] {TIdle, TSrc, TSrcWait, TDst, TDstWait} tstate_e;
  tstate_e t_q, t_d;
  logic [63:0] pos_q, pos_d;   // bytes of the transfer translated so far
  logic        stop_q, stop_d; // a translation faulted
  logic [PaBits-1:0] spa_q, spa_d;

  // The piece at pos: up to the next line boundary of either side, or LEN.
  logic [63:0] s_iova, d_iova, left;
  logic [6:0]  n_src, n_dst, n;
  assign s_iova = src_q + pos_q;
  assign d_iova = dst_q + pos_q;
  assign left   = len_q - pos_q;
  assign n_src  = 7'd64 - {1'b0, s_iova[5:0]};
  assign n_dst  = 7'd64 - {1'b0, d_iova[5:0]};
  always_comb begin
    n = (n_src < n_dst) ? n_src : n_dst;
    if (left < 64'(n)) n = left[6:0];
  end

  // ---- the ring of pieces -------------------------------------------------------------------
  logic [SlotW:0] alloc_q, rd_q, wr_q;  // translated / read issued / written
  logic [PaBits-1:0]    sl_spa_q  [Slots];
  logic [PaBits-1:0]    sl_dpa_q  [Slots];
  logic [6:0]     sl_n_q    [Slots];
  logic [5:0]     sl_soff_q [Slots];
  logic [5:0]     sl_doff_q [Slots];
  logic [LineBits-1:0] sl_data_q [Slots];
  logic [Slots-1:0] arrived_q;

  logic ring_full;
  assign ring_full = (alloc_q - wr_q) == (SlotW + 1)'(Slots);

  // The translation asked for, from the state alone (valid never waits for
  // ready): the piece's source while the ring has room, then its destination.
  assign tr_valid_o = (t_q == TSrc && !stop_q && pos_q != len_q && !ring_full) || t_q == TDst;
  assign tr_write_o = t_q == TDst;
  assign tr_iova_o  = (t_q == TDst) ? d_iova : s_iova;

  logic alloc;
  always_comb begin
    t_d = t_q;
    pos_d = pos_q;
    stop_d = stop_q;
    spa_d = spa_q;
    alloc = 1'b0;
    unique case (t_q)
      TIdle: ;
      TSrc: begin
        if (stop_q || pos_q == len_q) begin
          t_d = TIdle;
        end else if (!ring_full && tr_ready_i) begin
          t_d = TSrcWait;
        end
      end
      TSrcWait: begin
        if (tr_done_i) begin
          if (tr_reason_i != pagoda_pkg::IoOk) begin
            stop_d = 1'b1;
            t_d = TIdle;
          end else begin
            spa_d = tr_pa_i;
            t_d = TDst;
          end
        end
      end
      TDst: begin
        if (tr_ready_i) t_d = TDstWait;
      end
      TDstWait: begin
        if (tr_done_i) begin
          if (tr_reason_i != pagoda_pkg::IoOk) begin
            stop_d = 1'b1;
            t_d = TIdle;
          end else begin
            alloc = 1'b1;
            pos_d = pos_q + 64'(n);
            t_d = TSrc;
          end
        end
      end
      default: t_d = TIdle;
    endcase
    if (start && !misaligned && len_q != '0) begin
      t_d = TSrc;
      pos_d = '0;
      stop_d = 1'b0;
    end
  end

  // ---- reads and writes ---------------------------------------------------------------------
  logic [SlotW-1:0] rd_slot, wr_slot;
  assign rd_slot = rd_q[SlotW-1:0];
  assign wr_slot = wr_q[SlotW-1:0];

  // A read waits while an earlier piece (read, not yet written) writes its line.
  logic raw_hazard;
  always_comb begin
    raw_hazard = 1'b0;
    if (rd_q != alloc_q) for (int unsigned k = 0; k < Slots; k++) begin
      if ((SlotW + 1)'(SlotW'(SlotW'(k) - wr_slot)) < (rd_q - wr_q) &&
          sl_dpa_q[k][PaBits-1:6] == sl_spa_q[rd_slot][PaBits-1:6]) begin
        raw_hazard = 1'b1;
      end
    end
  end

  // Writes go first; an offer not taken is offered again unchanged (a read
  // stays offered even if a write becomes ready meanwhile).
  logic can_write, can_read, offer_write, do_write, do_read;
  logic offered_q, offered_we_q;  // last cycle's offer was not taken, and its kind
  assign can_write = wr_q != rd_q && arrived_q[wr_slot];
  assign can_read  = rd_q != alloc_q && !raw_hazard;
  assign offer_write = offered_q ? offered_we_q : can_write;
  assign mem_req_valid_o = can_write || can_read;
  assign do_write = offer_write && mem_req_ready_i;
  assign do_read  = !offer_write && can_read && mem_req_ready_i;

  // The piece's source bytes moved to its destination offset (8-byte steps).
  logic [2:0] rot;
  logic [LineBits-1:0] wdata;
  assign rot = sl_soff_q[wr_slot][5:3] - sl_doff_q[wr_slot][5:3];
  always_comb begin
    wdata = '0;
    if (offer_write) begin
      for (int unsigned j = 0; j < 8; j++) begin
        wdata[j*64 +: 64] = sl_data_q[wr_slot][{3'(3'(j) + rot), 6'b0} +: 64];
      end
    end
  end

  logic [64:0] ones;
  assign ones = (65'd1 << sl_n_q[wr_slot]) - 65'd1;

  assign mem_req_we_o    = offer_write;
  assign mem_req_id_o    = rd_slot;
  assign mem_req_addr_o  = offer_write ? {sl_dpa_q[wr_slot][PaBits-1:6], 6'b0}
                                     : {sl_spa_q[rd_slot][PaBits-1:6], 6'b0};
  assign mem_req_wdata_o = wdata;
  assign mem_req_mask_o  = ones[63:0] << sl_doff_q[wr_slot];

  // ---- state --------------------------------------------------------------------------------
  logic finish;
  assign finish = busy_q && t_q == TIdle && wr_q == alloc_q;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      t_q <= TIdle;
      offered_q <= 1'b0;
      offered_we_q <= 1'b0;
      busy_q <= 1'b0;
      done_q <= 1'b0;
      error_q <= 1'b0;
      alloc_q <= '0;
      rd_q <= '0;
      wr_q <= '0;
      arrived_q <= '0;
      bytes_q <= '0;
      src_q <= '0; dst_q <= '0; len_q <= '0;
      err_reason_q <= '0; err_iova_q <= '0;
    end else begin
      t_q <= t_d;
      offered_q <= mem_req_valid_o && !mem_req_ready_i;
      offered_we_q <= offer_write;
      if (alloc) alloc_q <= alloc_q + 1'b1;
      if (do_read) rd_q <= rd_q + 1'b1;
      if (do_write) begin
        wr_q <= wr_q + 1'b1;
        bytes_q <= bytes_q + 64'(sl_n_q[wr_slot]);
      end
      arrived_q <= (arrived_q & ~(do_write ? Slots'(1) << wr_slot : '0)) |
                   (mem_rsp_valid_i ? Slots'(1) << mem_rsp_id_i : '0);

      if (finish) begin
        busy_q <= 1'b0;
        done_q <= !stop_q;
        error_q <= stop_q;
      end
      if ((t_q == TSrcWait || t_q == TDstWait) && tr_done_i && tr_reason_i != pagoda_pkg::IoOk) begin
        err_reason_q <= tr_reason_i;
        err_iova_q <= (t_q == TDstWait) ? d_iova : s_iova;
      end

      if (reg_valid_i && reg_we_i) begin
        unique case (reg_offset_i)
          pagoda_pkg::DmaSrc: if (!busy_q) src_q <= reg_wdata_i;
          pagoda_pkg::DmaDst: if (!busy_q) dst_q <= reg_wdata_i;
          pagoda_pkg::DmaLen: if (!busy_q) len_q <= reg_wdata_i;
          pagoda_pkg::DmaStatus: begin
            if (reg_wdata_i[1]) done_q <= 1'b0;
            if (reg_wdata_i[2]) error_q <= 1'b0;
          end
          default: ;
        endcase
      end
      if (start) begin
        err_iova_q <= '0;
        if (misaligned) begin
          done_q <= 1'b0;
          error_q <= 1'b1;
          err_reason_q <= pagoda_pkg::DmaReasonAlign;
        end else begin
          busy_q <= len_q != '0;
          done_q <= len_q == '0;
          error_q <= 1'b0;
          err_reason_q <= '0;
        end
      end
    end
  end

  always_ff @(posedge clk_i) begin
    pos_q <= pos_d;
    stop_q <= stop_d;
    spa_q <= spa_d;
    if (alloc) begin
      sl_spa_q[alloc_q[SlotW-1:0]]  <= spa_q;
      sl_dpa_q[alloc_q[SlotW-1:0]]  <= tr_pa_i;
      sl_n_q[alloc_q[SlotW-1:0]]    <= n;
      sl_soff_q[alloc_q[SlotW-1:0]] <= s_iova[5:0];
      sl_doff_q[alloc_q[SlotW-1:0]] <= d_iova[5:0];
    end
    if (mem_rsp_valid_i) sl_data_q[mem_rsp_id_i] <= mem_rsp_rdata_i;
  end

  logic unused_ones;
  assign unused_ones = ones[64];

  assign busy_o  = busy_q;
  assign bytes_o = bytes_q;

  // ---- Assertions -----------------------------------------------------------
  `ASSERT_INIT(slots_pow2, Slots >= 2 && (Slots & (Slots - 1)) == 0)
  `ASSERT(tstate_legal, t_q == TIdle || t_q == TSrc || t_q == TSrcWait || t_q == TDst ||
                        t_q == TDstWait)
  `ASSERT_HOLD(tr_hold, tr_valid_o, tr_ready_i, {tr_write_o, tr_iova_o})
  `ASSERT_HOLD(mem_req_hold, mem_req_valid_o, mem_req_ready_i,
               {mem_req_we_o, mem_req_id_o, mem_req_addr_o, mem_req_wdata_o, mem_req_mask_o})
  `ASSERT_IF(tr_done_when_waiting, |tr_done_i, t_q == TSrcWait || t_q == TDstWait)
  // The ring's order: written <= read <= translated, never more than Slots
  // apart; a piece is written only after its data came back.
  `ASSERT(ring_order, (alloc_q - wr_q) <= (SlotW + 1)'(Slots) &&
                      (rd_q - wr_q) <= (alloc_q - wr_q))
  `ASSERT_IF(write_after_data, mem_req_valid_o && mem_req_we_o, arrived_q[wr_slot])
  `ASSERT_IF(rsp_to_reading_slot, mem_rsp_valid_i, 
                               (SlotW + 1)'(SlotW'(mem_rsp_id_i - wr_slot)) < (rd_q - wr_q) &&
                               !arrived_q[mem_rsp_id_i])
  `ASSERT_IF(idle_ring_empty, !busy_q, alloc_q == wr_q && t_q == TIdle)

  `COVER(c_ring_full, ring_full && t_q == TSrc)
  `COVER(c_raw_hazard, rd_q != alloc_q && raw_hazard)
  `COVER(c_fault_mid_copy, (t_q == TSrcWait || t_q == TDstWait) && tr_done_i && tr_reason_i != pagoda_pkg::IoOk &&
                           alloc_q != wr_q)
  `COVER(c_misaligned, start && misaligned)
  `COVER(c_offer_held, offered_q && offered_we_q != can_write)

endmodule
