// pg_system — the machine of SPEC 2: the MMU's line port through the system
// bus's decoder to the DRAM controller (RAM) and the register bus (device
// windows), with the DRAM command bus brought out to the C device model.
//
// No device is attached to the register bus yet (the DMA engines and the
// IOMMU come next): every register access is answered "no such register",
// a bus error, as the golden model answers it.
module pg_system #(
  parameter int unsigned DramQDepth = 64
) (
  input  logic clk_i,
  input  logic rst_ni,
  input  logic [pagoda_pkg::DramCfgBits-1:0] dram_cfg_i,  // loaded at reset

  // CPU requests and responses (pg_mmu's ports)
  input  logic        req_valid_i,
  output logic        req_ready_o,
  input  logic [1:0]  req_op_i,
  input  logic        req_user_i,
  input  logic        req_ac_i,
  input  logic [1:0]  req_size_i,
  input  logic [63:0] req_va_i,
  input  logic [63:0] req_wdata_i,
  output logic                          xlat_valid_o,
  output logic [pagoda_pkg::PaBits-1:0] xlat_pa_o,
  output logic                          rsp_valid_o,
  output logic [1:0]                    rsp_status_o,
  output logic                          rsp_pa_valid_o,
  output logic [pagoda_pkg::PaBits-1:0] rsp_pa_o,
  output logic [63:0]                   rsp_data_o,
  output logic [4:0]                    rsp_err_o,
  output logic [2:0]                    rsp_pf_kind_o,
  output logic [2:0]                    rsp_pf_level_o,
  output logic [2:0]                    rsp_source_o,
  output logic [63:0]                   cr2_o,
  input  logic        op_valid_i,
  output logic        op_ready_o,
  input  logic [1:0]  op_kind_i,
  input  logic [2:0]  op_field_i,
  input  logic [11:0] op_pcid_i,
  input  logic [63:0] op_value_i,

  // the MMU's line port as the bus sees it (for the testbench's checks)
  output logic                             mem_req_valid_o,
  output logic                             mem_req_ready_o,
  output logic                             mem_req_we_o,
  output logic [5:0]                       mem_req_id_o,
  output logic [pagoda_pkg::PaBits-1:0]    mem_req_addr_o,
  output logic [pagoda_pkg::LineBits-1:0]  mem_req_wdata_o,
  output logic [pagoda_pkg::LineBytes-1:0] mem_req_mask_o,

  // DRAM command bus
  output logic [2:0]                       cmd_o,
  output logic                             cmd_ap_o,
  output logic [3:0]                       cmd_bank_o,
  output logic [17:0]                      cmd_row_o,
  output logic [9:0]                       cmd_col_o,
  output logic [pagoda_pkg::LineBits-1:0]  cmd_wdata_o,
  output logic [pagoda_pkg::LineBytes-1:0] cmd_mask_o,
  input  logic                             rd_valid_i,
  input  logic [pagoda_pkg::LineBits-1:0]  rd_data_i,

  // counters: 0-25 the MMU's, 26-33 the DRAM controller's (sw/model/pg_counters.h)
  input  logic [5:0]  cnt_sel_i,
  output logic [63:0] cnt_o,
  output logic [5:0]  itlb_valid_o,
  output logic [5:0]  dtlb_valid_o
);

  localparam int unsigned IdW = 5;
  localparam int unsigned MmuCounters = 26;

  logic                             m_valid, m_ready, m_we;
  logic [IdW-1:0]                   m_id;
  logic [pagoda_pkg::PaBits-1:0]    m_addr;
  logic [pagoda_pkg::LineBits-1:0]  m_wdata;
  logic [pagoda_pkg::LineBytes-1:0] m_mask;
  logic                             r_valid, r_err;
  logic [IdW-1:0]                   r_id;
  logic [pagoda_pkg::LineBits-1:0]  r_rdata;
  logic [63:0]                      mmu_cnt, dram_cnt;

  pg_mmu u_mmu (
    .clk_i, .rst_ni,
    .req_valid_i, .req_ready_o, .req_op_i, .req_user_i, .req_ac_i, .req_size_i, .req_va_i,
    .req_wdata_i, .xlat_valid_o, .xlat_pa_o,
    .rsp_valid_o, .rsp_status_o, .rsp_pa_valid_o, .rsp_pa_o, .rsp_data_o, .rsp_err_o,
    .rsp_pf_kind_o, .rsp_pf_level_o, .rsp_source_o, .cr2_o,
    .op_valid_i, .op_ready_o, .op_kind_i, .op_field_i, .op_pcid_i, .op_value_i,
    .mem_req_valid_o(m_valid), .mem_req_ready_i(m_ready), .mem_req_we_o(m_we),
    .mem_req_id_o(m_id), .mem_req_addr_o(m_addr), .mem_req_wdata_o(m_wdata),
    .mem_req_mask_o(m_mask), .mem_rsp_valid_i(r_valid), .mem_rsp_err_i(r_err),
    .mem_rsp_id_i(r_id), .mem_rsp_rdata_i(r_rdata),
    .cnt_sel_i, .cnt_o(mmu_cnt), .itlb_valid_o, .dtlb_valid_o
  );

  logic                            ram_valid, ram_ready, ram_rsp_valid;
  logic [IdW-1:0]                  ram_rsp_id;
  logic [pagoda_pkg::LineBits-1:0] ram_rsp_rdata;
  logic        reg_valid, reg_we;
  logic [1:0]  reg_target;
  logic [11:0] reg_offset;
  logic [63:0] reg_wdata;

  pg_sysbus #(.IdW(IdW)) u_bus (
    .clk_i, .rst_ni,
    .req_valid_i(m_valid), .req_ready_o(m_ready), .req_we_i(m_we), .req_id_i(m_id),
    .req_addr_i(m_addr), .req_wdata_i(m_wdata), .req_mask_i(m_mask),
    .rsp_valid_o(r_valid), .rsp_err_o(r_err), .rsp_id_o(r_id), .rsp_rdata_o(r_rdata),
    .ram_req_valid_o(ram_valid), .ram_req_ready_i(ram_ready),
    .ram_rsp_valid_i(ram_rsp_valid), .ram_rsp_id_i(ram_rsp_id), .ram_rsp_rdata_i(ram_rsp_rdata),
    .reg_valid_o(reg_valid), .reg_we_o(reg_we), .reg_target_o(reg_target),
    .reg_offset_o(reg_offset), .reg_wdata_o(reg_wdata),
    .reg_rdata_i(64'd0), .reg_err_i(1'b1)  // no device attached yet
  );

  pg_dram_ctrl #(.QDepth(DramQDepth), .IdW(IdW)) u_dram (
    .clk_i, .rst_ni, .cfg_i(dram_cfg_i),
    .req_valid_i(ram_valid), .req_ready_o(ram_ready), .req_we_i(m_we), .req_id_i(m_id),
    .req_addr_i(m_addr[33:6]), .req_wdata_i(m_wdata), .req_mask_i(m_mask),
    .rsp_valid_o(ram_rsp_valid), .rsp_id_o(ram_rsp_id), .rsp_rdata_o(ram_rsp_rdata),
    .cmd_o, .cmd_ap_o, .cmd_bank_o, .cmd_row_o, .cmd_col_o, .cmd_wdata_o, .cmd_mask_o,
    .rd_valid_i, .rd_data_i,
    .cnt_sel_i(3'(cnt_sel_i - 6'(MmuCounters))), .cnt_o(dram_cnt)
  );

  assign cnt_o = 32'(cnt_sel_i) < MmuCounters ? mmu_cnt :
                 32'(cnt_sel_i) < MmuCounters + 8 ? dram_cnt : 64'd0;

  assign mem_req_valid_o = m_valid;
  assign mem_req_ready_o = m_ready;
  assign mem_req_we_o    = m_we;
  assign mem_req_id_o    = 6'(m_id);
  assign mem_req_addr_o  = m_addr;
  assign mem_req_wdata_o = m_wdata;
  assign mem_req_mask_o  = m_mask;

  // Unused until the devices are attached.
  logic unused_reg;
  assign unused_reg = ^{reg_valid, reg_we, reg_target, reg_offset, reg_wdata};

endmodule
