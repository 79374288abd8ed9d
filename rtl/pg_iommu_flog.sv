// SPDX-License-Identifier: MIT
// pg_iommu_flog — the IOMMU's fault logger (SPEC 4): writes a fault's
// 32-byte record at the log's tail, or drops it when the log is full or its
// slot lies outside RAM, or lets it go when the log is off. The translation
// FSM holds log_i and the record until done_o.
//
// The record: word 0 (pagoda_pkg::fault_w0_t), the IOVA, the guest-physical
// address, the address of the entry that faulted.
`include "pg_assert.svh"

module pg_iommu_flog #(
  localparam int unsigned PaBits = pagoda_pkg::PaBits,
  localparam int unsigned LineBits = pagoda_pkg::LineBits,
  localparam int unsigned LineBytes = pagoda_pkg::LineBytes
) (
  input  logic clk_i,
  input  logic rst_ni,

  input  logic                  log_i,  // a fault waits to be dealt with
  input  pagoda_pkg::fault_w0_t w0_i,
  input  logic [63:0]           iova_i,
  input  logic [PaBits-1:0]     gpa_i,
  input  logic [PaBits-1:0]     entry_i,

  input  logic                  fle_i,
  input  logic                  fl_full_i,
  input  logic [PaBits-1:0]     fl_slot_i,

  output logic                  mem_req_valid_o,  // a write, from the inputs alone
  input  logic                  mem_req_ready_i,
  output logic [PaBits-1:0]     mem_req_addr_o,
  output logic [LineBits-1:0]   mem_req_wdata_o,
  output logic [LineBytes-1:0]  mem_req_mask_o,

  output logic                  done_o,      // dealt with this cycle
  output logic                  written_o,   // ... its record written
  output logic                  dropped_o,   // ... its record dropped
  output logic                  overflow_o   // the log was full (FSTS.OVERFLOW)
);

  logic slot_ram, room;
  assign slot_ram = pagoda_pkg::is_ram(fl_slot_i);
  assign room     = !fl_full_i && slot_ram;

  // Decided once: a record the bus has not taken yet keeps its slot, whatever
  // software writes meanwhile (FL_BASE, FL_HEAD, CTRL.FLE).
  logic              held_q;
  logic [PaBits-1:0] held_slot_q, slot;
  assign slot = held_q ? held_slot_q : fl_slot_i;
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) held_q <= 1'b0;
    else held_q <= mem_req_valid_o && !mem_req_ready_i;
  end
  always_ff @(posedge clk_i) if (!held_q) held_slot_q <= fl_slot_i;

  logic [255:0] record;
  assign record = {64'(entry_i), 64'(gpa_i), iova_i, 64'(w0_i)};

  logic fresh;  // a new record, decided this cycle
  assign fresh = log_i && !held_q;
  assign mem_req_valid_o = held_q || (fresh && fle_i && room);
  assign mem_req_addr_o  = {slot[PaBits-1:6], 6'b0};
  assign mem_req_wdata_o = {2{record}};
  assign mem_req_mask_o  = slot[5] ? 64'hffffffff_00000000 : 64'h00000000_ffffffff;

  assign written_o  = mem_req_valid_o && mem_req_ready_i;
  assign dropped_o  = fresh && fle_i && !room;
  assign done_o     = held_q ? mem_req_ready_i : log_i && (!fle_i || !room || mem_req_ready_i);
  assign overflow_o = fresh && fle_i && fl_full_i;

  logic unused_bits;
  assign unused_bits = ^slot[4:0];

  // ---- Assertions -----------------------------------------------------------
  // A record goes only to a log that is on and has room (when it is
  // decided), 32-byte aligned; the FSM holds the fault while it waits.
  `ASSERT_IF(record_fits, mem_req_valid_o && !held_q, fle_i && !fl_full_i && fl_slot_i[4:0] == '0)
  `ASSERT_IF(held_slot_aligned, held_q, held_slot_q[4:0] == '0)
  `ASSERT_IF(held_fault, held_q, log_i)
  `ASSERT_ONEHOT0(one_outcome, {written_o, dropped_o})
  `ASSERT_IF(reason_given, log_i, w0_i.reason != pagoda_pkg::IoOk)

  `COVER(c_log_full, overflow_o)
  `COVER(c_slot_not_ram, log_i && fle_i && !fl_full_i && !slot_ram)
  `COVER(c_log_off, log_i && !fle_i)

endmodule
