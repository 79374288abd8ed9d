// SPDX-License-Identifier: MIT
// pg_system — the machine of SPEC 2: the MMU's line port through the system
// bus's decoder to the DRAM controller (RAM) and the register bus (device
// windows: the two DMA engines and the IOMMU), with the DRAM command bus
// brought out to the C device model. The DRAM controller's port is shared by
// the CPU side, the IOMMU and both engines (pg_mem_arb); the engines'
// translations go through the IOMMU.
`include "pg_assert.svh"

module pg_system #(
  parameter int unsigned DramQDepth = 64,
  // The MMU's sizes (pg_mmu). Public: the testbench sizes the golden model's
  // caches from them (pgv_sizes()), so a build with -G runs in lockstep.
  parameter int unsigned ItlbEntries /*verilator public*/ = 32,
  parameter int unsigned DtlbEntries /*verilator public*/ = 32,
  parameter int unsigned L2Sets /*verilator public*/ = 128,
  parameter int unsigned L2Ways /*verilator public*/ = 4,
  parameter int unsigned PwcPml5eEntries /*verilator public*/ = 2,
  parameter int unsigned PwcPml4eEntries /*verilator public*/ = 4,
  parameter int unsigned PwcPdpteEntries /*verilator public*/ = 4,
  parameter int unsigned PwcPdeEntries /*verilator public*/ = 8
) (
  input  logic clk_i,
  input  logic rst_ni,
  input  logic [pagoda_pkg::DramCfgBits-1:0] dram_cfg_i,  // loaded at reset

  // CPU requests and responses (pg_mmu's ports)
  input  logic        req_valid_i,
  output logic        req_ready_o,
  input  pagoda_pkg::op_e req_op_i,
  input  logic        req_user_i,
  input  logic        req_ac_i,
  input  logic [1:0]  req_size_i,
  input  logic [63:0] req_va_i,
  input  logic [63:0] req_wdata_i,
  output logic                          xlat_valid_o,
  output logic [pagoda_pkg::PaBits-1:0] xlat_pa_o,
  output logic                          rsp_valid_o,
  output pagoda_pkg::status_e           rsp_status_o,
  output logic                          rsp_pa_valid_o,
  output logic [pagoda_pkg::PaBits-1:0] rsp_pa_o,
  output logic [63:0]                   rsp_data_o,
  output logic [pagoda_pkg::ErrBits-1:0] rsp_err_o,
  output pagoda_pkg::pf_kind_e          rsp_pf_kind_o,
  output logic [2:0]                    rsp_pf_level_o,
  output logic [2:0]                    rsp_source_o,
  output logic [pagoda_pkg::QualBits-1:0] rsp_qual_o,
  output logic [pagoda_pkg::PaBits-1:0] rsp_gpa_o,
  output logic [63:0]                   cr2_o,
  input  logic        ctl_valid_i,
  output logic        ctl_ready_o,
  input  pagoda_pkg::ctl_kind_e ctl_kind_i,
  input  logic [pagoda_pkg::CtlFieldBits-1:0] ctl_field_i,
  input  logic [15:0] ctl_pcid_i,
  input  logic [63:0] ctl_value_i,

  // the MMU's line port as the bus sees it (for the testbench's checks)
  output logic                             mem_req_valid_o,
  output logic                             mem_req_ready_o,
  output logic                             mem_req_we_o,
  output logic [5:0]                       mem_req_id_o,
  output logic [pagoda_pkg::PaBits-1:0]    mem_req_addr_o,
  output logic [pagoda_pkg::LineBits-1:0]  mem_req_wdata_o,
  output logic [pagoda_pkg::LineBytes-1:0] mem_req_mask_o,

  // DRAM command bus
  output pagoda_pkg::dram_cmd_e            cmd_o,
  output logic                             cmd_ap_o,
  output logic [3:0]                       cmd_bank_o,
  output logic [17:0]                      cmd_row_o,
  output logic [9:0]                       cmd_col_o,
  output logic [pagoda_pkg::LineBits-1:0]  cmd_wdata_o,
  output logic [pagoda_pkg::LineBytes-1:0] cmd_mask_o,
  input  logic                             rd_valid_i,
  input  logic [pagoda_pkg::LineBits-1:0]  rd_data_i,

  // devices: busy while a DMA or an IOMMU command or translation is under
  // way; the NIC engine's translation handshake, for measurements
  output logic        io_busy_o,
  output logic        nic_tr_take_o,
  output logic        nic_tr_done_o,
  output logic        dram_wr_take_o,  // the controller took a write (any initiator)

  // counters: 0-27 the MMU's, 28-35 the DRAM controller's, 36-40 the
  // IOMMU's and the engines', 41-44 the MMU's EPT counters
  // (sw/model/pg_counters.h)
  input  logic [5:0]  cnt_sel_i,
  output logic [63:0] cnt_o,
  output logic [$clog2(ItlbEntries):0] itlb_valid_o,
  output logic [$clog2(DtlbEntries):0] dtlb_valid_o
);

  localparam int unsigned IdW = 5;
  localparam int unsigned DramIdW = IdW + 2;  // the initiator's number above its id
  localparam int unsigned MmuCounters = 28;
  localparam int unsigned DramCounters = 8;
  localparam int unsigned PaBits = pagoda_pkg::PaBits;
  localparam int unsigned LineBits = pagoda_pkg::LineBits;
  localparam int unsigned LineBytes = pagoda_pkg::LineBytes;

  logic                             m_valid, m_ready, m_we;
  logic [IdW-1:0]                   m_id;
  logic [pagoda_pkg::PaBits-1:0]    m_addr;
  logic [pagoda_pkg::LineBits-1:0]  m_wdata;
  logic [pagoda_pkg::LineBytes-1:0] m_mask;
  logic                             r_valid, r_err;
  logic [IdW-1:0]                   r_id;
  logic [pagoda_pkg::LineBits-1:0]  r_rdata;
  logic [63:0]                      mmu_cnt, dram_cnt;
  // The MMU's counters: 0-27, and its EPT counters after the devices'.
  localparam int unsigned EptCounters = MmuCounters + DramCounters + 5;  // 41
  logic                             ept_sel;
  assign ept_sel = 32'(cnt_sel_i) >= EptCounters && 32'(cnt_sel_i) < EptCounters + 4;

  pg_mmu #(
    .ItlbEntries(ItlbEntries), .DtlbEntries(DtlbEntries), .L2Sets(L2Sets), .L2Ways(L2Ways),
    .PwcPml5eEntries(PwcPml5eEntries), .PwcPml4eEntries(PwcPml4eEntries),
    .PwcPdpteEntries(PwcPdpteEntries),
    .PwcPdeEntries(PwcPdeEntries)
  ) u_mmu (
    .clk_i, .rst_ni,
    .req_valid_i, .req_ready_o, .req_op_i, .req_user_i, .req_ac_i, .req_size_i, .req_va_i,
    .req_wdata_i, .xlat_valid_o, .xlat_pa_o,
    .rsp_valid_o, .rsp_status_o, .rsp_pa_valid_o, .rsp_pa_o, .rsp_data_o, .rsp_err_o,
    .rsp_pf_kind_o, .rsp_pf_level_o, .rsp_source_o, .rsp_qual_o, .rsp_gpa_o, .cr2_o,
    .ctl_valid_i, .ctl_ready_o, .ctl_kind_i, .ctl_field_i, .ctl_pcid_i, .ctl_value_i,
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
    .reg_rdata_i(reg_rdata), .reg_err_i(reg_err)
  );

  // ---- devices on the register bus ------------------------------------------------------------
  logic [63:0] nic_rdata, disk_rdata, iommu_rdata, reg_rdata;
  logic        nic_err, disk_err, iommu_err, reg_err;
  always_comb begin
    unique case (reg_target)
      2'd0:    begin reg_rdata = nic_rdata;   reg_err = nic_err;   end
      2'd1:    begin reg_rdata = disk_rdata;  reg_err = disk_err;  end
      default: begin reg_rdata = iommu_rdata; reg_err = iommu_err; end
    endcase
  end

  // Translation ports: engine 0 (NIC) and 1 (disk).
  logic [1:0]  tr_valid, tr_ready, tr_write, tr_done;
  logic [63:0] tr_iova0, tr_iova1;
  pagoda_pkg::io_reason_e tr_reason;
  logic [PaBits-1:0] tr_pa;

  // Memory ports into the arbiter: 0 the CPU side, 1 the IOMMU, 2 NIC, 3 disk.
  localparam int unsigned SlotW = 4;
  logic [3:0]               a_valid, a_ready, a_we, a_rsp_valid;
  logic [4*IdW-1:0]         a_id;
  logic [4*PaBits-1:0]      a_addr;
  logic [4*LineBits-1:0]    a_wdata;
  logic [4*LineBytes-1:0]   a_mask;
  logic [IdW-1:0]           a_rsp_id;
  logic [LineBits-1:0]      a_rsp_rdata;
  logic [SlotW-1:0]         nic_id, disk_id;
  logic [63:0]              iommu_cnt, nic_bytes, disk_bytes;
  logic                     iommu_busy, nic_busy, disk_busy;

  pg_iommu u_iommu (
    .clk_i, .rst_ni,
    .reg_valid_i(reg_valid && reg_target == 2'd2), .reg_we_i(reg_we),
    .reg_offset_i(reg_offset), .reg_wdata_i(reg_wdata),
    .reg_rdata_o(iommu_rdata), .reg_err_o(iommu_err),
    .tr_valid_i(tr_valid), .tr_ready_o(tr_ready), .tr_write_i(tr_write),
    .tr_iova0_i(tr_iova0), .tr_iova1_i(tr_iova1),
    .tr_done_o(tr_done), .tr_reason_o(tr_reason), .tr_pa_o(tr_pa),
    .mem_req_valid_o(a_valid[1]), .mem_req_ready_i(a_ready[1]), .mem_req_we_o(a_we[1]),
    .mem_req_addr_o(a_addr[1*PaBits +: PaBits]), .mem_req_wdata_o(a_wdata[1*LineBits +: LineBits]),
    .mem_req_mask_o(a_mask[1*LineBytes +: LineBytes]),
    .mem_rsp_valid_i(a_rsp_valid[1]), .mem_rsp_rdata_i(a_rsp_rdata),
    .busy_o(iommu_busy),
    .cnt_sel_i(3'(cnt_sel_i - 6'(MmuCounters + DramCounters))), .cnt_o(iommu_cnt)
  );
  assign a_id[1*IdW +: IdW] = '0;

  pg_dma u_nic (
    .clk_i, .rst_ni,
    .reg_valid_i(reg_valid && reg_target == 2'd0), .reg_we_i(reg_we),
    .reg_offset_i(reg_offset[7:0]), .reg_wdata_i(reg_wdata),
    .reg_rdata_o(nic_rdata), .reg_err_o(nic_err),
    .tr_valid_o(tr_valid[0]), .tr_ready_i(tr_ready[0]), .tr_write_o(tr_write[0]),
    .tr_iova_o(tr_iova0), .tr_done_i(tr_done[0]), .tr_reason_i(tr_reason), .tr_pa_i(tr_pa),
    .mem_req_valid_o(a_valid[2]), .mem_req_ready_i(a_ready[2]), .mem_req_we_o(a_we[2]),
    .mem_req_id_o(nic_id), .mem_req_addr_o(a_addr[2*PaBits +: PaBits]),
    .mem_req_wdata_o(a_wdata[2*LineBits +: LineBits]),
    .mem_req_mask_o(a_mask[2*LineBytes +: LineBytes]),
    .mem_rsp_valid_i(a_rsp_valid[2]), .mem_rsp_id_i(a_rsp_id[SlotW-1:0]),
    .mem_rsp_rdata_i(a_rsp_rdata),
    .busy_o(nic_busy), .bytes_o(nic_bytes)
  );
  assign a_id[2*IdW +: IdW] = IdW'(nic_id);

  pg_dma u_disk (
    .clk_i, .rst_ni,
    .reg_valid_i(reg_valid && reg_target == 2'd1), .reg_we_i(reg_we),
    .reg_offset_i(reg_offset[7:0]), .reg_wdata_i(reg_wdata),
    .reg_rdata_o(disk_rdata), .reg_err_o(disk_err),
    .tr_valid_o(tr_valid[1]), .tr_ready_i(tr_ready[1]), .tr_write_o(tr_write[1]),
    .tr_iova_o(tr_iova1), .tr_done_i(tr_done[1]), .tr_reason_i(tr_reason), .tr_pa_i(tr_pa),
    .mem_req_valid_o(a_valid[3]), .mem_req_ready_i(a_ready[3]), .mem_req_we_o(a_we[3]),
    .mem_req_id_o(disk_id), .mem_req_addr_o(a_addr[3*PaBits +: PaBits]),
    .mem_req_wdata_o(a_wdata[3*LineBits +: LineBits]),
    .mem_req_mask_o(a_mask[3*LineBytes +: LineBytes]),
    .mem_rsp_valid_i(a_rsp_valid[3]), .mem_rsp_id_i(a_rsp_id[SlotW-1:0]),
    .mem_rsp_rdata_i(a_rsp_rdata),
    .busy_o(disk_busy), .bytes_o(disk_bytes)
  );
  assign a_id[3*IdW +: IdW] = IdW'(disk_id);

  // The CPU side: the decoder's RAM requests.
  assign a_valid[0] = ram_valid;
  assign ram_ready  = a_ready[0];
  assign a_we[0]    = m_we;
  assign a_id[0 +: IdW] = m_id;
  assign a_addr[0 +: PaBits] = m_addr;
  assign a_wdata[0 +: LineBits] = m_wdata;
  assign a_mask[0 +: LineBytes] = m_mask;
  assign ram_rsp_valid = a_rsp_valid[0];
  assign ram_rsp_id    = a_rsp_id;
  assign ram_rsp_rdata = a_rsp_rdata;

  logic                  d_valid, d_ready, d_we, d_rsp_valid;
  logic [DramIdW-1:0]    d_id, d_rsp_id;
  logic [PaBits-1:0]     d_addr;
  logic [LineBits-1:0]   d_wdata, d_rsp_rdata;
  logic [LineBytes-1:0]  d_mask;

  pg_mem_arb #(.IdW(IdW)) u_arb (
    .clk_i, .rst_ni,
    .req_valid_i(a_valid), .req_ready_o(a_ready), .req_we_i(a_we), .req_id_i(a_id),
    .req_addr_i(a_addr), .req_wdata_i(a_wdata), .req_mask_i(a_mask),
    .rsp_valid_o(a_rsp_valid), .rsp_id_o(a_rsp_id), .rsp_rdata_o(a_rsp_rdata),
    .out_valid_o(d_valid), .out_ready_i(d_ready), .out_we_o(d_we), .out_id_o(d_id),
    .out_addr_o(d_addr), .out_wdata_o(d_wdata), .out_mask_o(d_mask),
    .out_rsp_valid_i(d_rsp_valid), .out_rsp_id_i(d_rsp_id), .out_rsp_rdata_i(d_rsp_rdata)
  );

  assign io_busy_o     = iommu_busy || nic_busy || disk_busy;
  assign nic_tr_take_o = tr_valid[0] && tr_ready[0];
  assign nic_tr_done_o = tr_done[0];
  assign dram_wr_take_o = d_valid && d_ready && d_we;

  pg_dram_ctrl #(.QDepth(DramQDepth), .IdW(DramIdW)) u_dram (
    .clk_i, .rst_ni, .cfg_i(dram_cfg_i),
    .req_valid_i(d_valid), .req_ready_o(d_ready), .req_we_i(d_we), .req_id_i(d_id),
    .req_addr_i(d_addr[33:6]), .req_wdata_i(d_wdata), .req_mask_i(d_mask),
    .rsp_valid_o(d_rsp_valid), .rsp_id_o(d_rsp_id), .rsp_rdata_o(d_rsp_rdata),
    .cmd_o, .cmd_ap_o, .cmd_bank_o, .cmd_row_o, .cmd_col_o, .cmd_wdata_o, .cmd_mask_o,
    .rd_valid_i, .rd_data_i,
    .cnt_sel_i(3'(cnt_sel_i - 6'(MmuCounters))), .cnt_o(dram_cnt)
  );

  assign cnt_o = 32'(cnt_sel_i) < MmuCounters || ept_sel ? mmu_cnt :
                 32'(cnt_sel_i) < MmuCounters + DramCounters ? dram_cnt :
                 32'(cnt_sel_i) < MmuCounters + DramCounters + 4 ? iommu_cnt :
                 32'(cnt_sel_i) == MmuCounters + DramCounters + 4 ? nic_bytes + disk_bytes : 64'd0;

  assign mem_req_valid_o = m_valid;
  assign mem_req_ready_o = m_ready;
  assign mem_req_we_o    = m_we;
  assign mem_req_id_o    = 6'(m_id);
  assign mem_req_addr_o  = m_addr;
  assign mem_req_wdata_o = m_wdata;
  assign mem_req_mask_o  = m_mask;

  logic unused_addr;
  assign unused_addr = ^{d_addr[PaBits-1:34], d_addr[5:0]};

  // ---- Assertions -----------------------------------------------------------
  // The controller decodes 34 address bits: everything sent to it is RAM.
  `ASSERT_IF(dram_addr_is_ram, d_valid, pagoda_pkg::is_ram(d_addr) && d_addr[PaBits-1:34] == '0)
  // A register access selects one device; the MMU sees one answer a cycle.
  `ASSERT_IF(reg_one_target, reg_valid, reg_target != 2'd3)
  `ASSERT_NEVER(rsp_collision, ram_rsp_valid && a_rsp_valid[3:1] != '0)

  `COVER(c_dma_and_cpu, io_busy_o && m_valid)

endmodule
