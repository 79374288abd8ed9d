// SPDX-License-Identifier: MIT
// pg_sysbus — the system bus's address decoder (SPEC 2.1) between the MMU's
// 64-byte line port and its targets: RAM goes to the DRAM controller, the
// device windows (NIC, disk, IOMMU) to a 64-bit register bus, anything else
// completes with a bus error and writes nothing.
//
// RAM reads are answered by the controller; RAM writes are posted (no
// response). Everything off RAM is answered here, one cycle or more later,
// with the register's data or a bus error: an access to a device window must
// be one naturally aligned 64-bit word, else it is a bus error too. The
// controller's read data has the response port first; a local answer waits
// in its one register meanwhile, and no new request off RAM is taken while
// it is full.
`include "pg_assert.svh"

module pg_sysbus #(
  parameter int unsigned IdW = 5,
  localparam int unsigned PaBits = pagoda_pkg::PaBits,
  localparam int unsigned LineBits = pagoda_pkg::LineBits,
  localparam int unsigned LineBytes = pagoda_pkg::LineBytes
) (
  input  logic clk_i,
  input  logic rst_ni,

  // from the MMU (an initiator)
  input  logic                 req_valid_i,
  output logic                 req_ready_o,
  input  logic                 req_we_i,
  input  logic [IdW-1:0]       req_id_i,
  input  logic [PaBits-1:0]    req_addr_i,
  input  logic [LineBits-1:0]  req_wdata_i,
  input  logic [LineBytes-1:0] req_mask_i,
  output logic                 rsp_valid_o,
  output logic                 rsp_err_o,
  output logic [IdW-1:0]       rsp_id_o,
  output logic [LineBits-1:0]  rsp_rdata_o,

  // to the DRAM controller
  output logic                 ram_req_valid_o,
  input  logic                 ram_req_ready_i,
  input  logic                 ram_rsp_valid_i,
  input  logic [IdW-1:0]       ram_rsp_id_i,
  input  logic [LineBits-1:0]  ram_rsp_rdata_i,

  // the register bus: one 64-bit register access, answered the same cycle
  output logic        reg_valid_o,
  output logic        reg_we_o,
  output logic [1:0]  reg_target_o,  // 0 NIC, 1 disk, 2 IOMMU
  output logic [11:0] reg_offset_o,  // byte offset in the window, 8-aligned
  output logic [63:0] reg_wdata_o,
  input  logic [63:0] reg_rdata_i,
  input  logic        reg_err_i      // no such register
);

  // ---- decode ---------------------------------------------------------------------------------
  logic is_ram, in_nic, in_disk, in_iommu, in_window;
  assign is_ram   = pagoda_pkg::is_ram(req_addr_i);
  assign in_nic   = req_addr_i[PaBits-1:8] == pagoda_pkg::NicBase[PaBits-1:8];
  assign in_disk  = req_addr_i[PaBits-1:8] == pagoda_pkg::DiskBase[PaBits-1:8];
  assign in_iommu = req_addr_i[PaBits-1:12] == pagoda_pkg::IommuBase[PaBits-1:12];
  assign in_window = in_nic || in_disk || in_iommu;

  // One naturally aligned 64-bit word of the line: its mask is 8 ones at a
  // multiple of 8 bytes.
  logic       one_word;
  logic [2:0] word;
  always_comb begin
    one_word = 1'b0;
    word = '0;
    for (int unsigned w = 0; w < LineBytes / 8; w++) begin
      if (req_mask_i == (LineBytes'(8'hff) << (8 * w))) begin
        one_word = 1'b1;
        word = 3'(w);
      end
    end
  end

  // ---- the local answer -------------------------------------------------------------------------
  logic           loc_valid_q, loc_err_q;
  logic [IdW-1:0] loc_id_q;
  logic [63:0]    loc_data_q;
  logic [2:0]     loc_word_q;
  logic           take_local;
  assign take_local = req_valid_i && !is_ram && !loc_valid_q;

  assign req_ready_o     = is_ram ? ram_req_ready_i : !loc_valid_q;
  assign ram_req_valid_o = req_valid_i && is_ram;

  assign reg_valid_o  = take_local && in_window && one_word;
  assign reg_we_o     = req_we_i;
  assign reg_target_o = in_nic ? 2'd0 : in_disk ? 2'd1 : 2'd2;
  assign reg_offset_o = {req_addr_i[11:6], word, 3'b000};
  assign reg_wdata_o  = req_wdata_i[{word, 6'b0} +: 64];

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      loc_valid_q <= 1'b0;
    end else if (take_local) begin
      loc_valid_q <= 1'b1;
    end else if (!ram_rsp_valid_i) begin
      loc_valid_q <= 1'b0;  // delivered
    end
  end

  always_ff @(posedge clk_i) begin
    if (take_local) begin
      loc_id_q   <= req_id_i;
      loc_err_q  <= !(in_window && one_word) || reg_err_i;
      loc_data_q <= reg_rdata_i;
      loc_word_q <= word;
    end
  end

  // ---- responses ----------------------------------------------------------------------------------
  assign rsp_valid_o = ram_rsp_valid_i || loc_valid_q;
  assign rsp_err_o   = !ram_rsp_valid_i && loc_err_q;
  assign rsp_id_o    = ram_rsp_valid_i ? ram_rsp_id_i : loc_id_q;
  assign rsp_rdata_o = ram_rsp_valid_i ? ram_rsp_rdata_i
                                       : LineBits'(loc_data_q) << {loc_word_q, 6'b0};

  // ---- Assertions -----------------------------------------------------------
  `ASSERT_HOLD(req_hold, req_valid_i, req_ready_o,
               {req_we_i, req_id_i, req_addr_i, req_wdata_i, req_mask_i})
  // Only RAM goes to the controller; a register access is one aligned word
  // of a device window.
  `ASSERT_IF(ram_only_ram, ram_req_valid_o, is_ram)
  `ASSERT_IF(reg_one_word, reg_valid_o, in_window && one_word && !is_ram)
  // A local answer waits behind the controller's read data, never lost.
  `ASSERT_NEXT(local_waits, loc_valid_q && ram_rsp_valid_i, loc_valid_q)
  `ASSERT_IF(local_delivered, loc_valid_q && !ram_rsp_valid_i, 
                           rsp_valid_o && rsp_id_o == loc_id_q)

  `COVER(c_reg_read, reg_valid_o && !reg_we_o)
  `COVER(c_reg_write, reg_valid_o && reg_we_o)
  `COVER(c_bus_error, take_local && !(in_window && one_word))
  `COVER(c_local_waits, loc_valid_q && ram_rsp_valid_i)

endmodule
