// SPDX-License-Identifier: MIT
// fv_ept_walker — pg_ept_walker under formal verification (make formal).
// Memory answers every read with any line (every entry value an EPT could
// hold), one read at a time, after any delay; a walk starts only while the
// walker is idle, with an EPTP of 4 or 5 levels (VM entry checked it). The
// walker's own assertions are the properties (a write only after success,
// only A and D, D only in the leaf for a write; a success has its rights),
// with one more stated here:
//   ad_only_with_eptp6  nothing is written unless the walk's EPTP enables
//                       EPT A/D flags (bit 6)
`include "pg_assert.svh"

module fv_ept_walker (
  input logic                            clk_i,
  input logic                            rst_ni,
  input logic                            start_i,
  input logic [63:0]                     st_eptp_i,
  input logic [pagoda_pkg::PfnBits-1:0]  st_gfn_i,
  input logic [2:0]                      st_need_i,
  input logic                            mem_req_ready_i,
  input logic                            mem_rsp_valid_i,
  input logic [pagoda_pkg::LineBits-1:0] mem_rsp_rdata_i
);
  logic busy, done, dirty, req_valid, req_we, ev_read, ev_write;
  pagoda_pkg::ept_status_e status;
  logic [pagoda_pkg::PfnBits-1:0] hfn;
  logic [2:0] rwx, level;
  logic [pagoda_pkg::PaBits-1:0] req_addr;
  logic [pagoda_pkg::LineBits-1:0] req_wdata;
  logic [pagoda_pkg::LineBytes-1:0] req_mask;

  pg_ept_walker dut (
    .clk_i, .rst_ni, .start_i, .busy_o(busy), .st_eptp_i, .st_gfn_i, .st_need_i,
    .done_o(done), .res_status_o(status), .res_hfn_o(hfn), .res_rwx_o(rwx), .res_level_o(level),
    .res_dirty_o(dirty),
    .mem_req_valid_o(req_valid), .mem_req_ready_i, .mem_req_we_o(req_we),
    .mem_req_addr_o(req_addr), .mem_req_wdata_o(req_wdata), .mem_req_mask_o(req_mask),
    .mem_rsp_valid_i, .mem_rsp_rdata_i,
    .ev_read_o(ev_read), .ev_write_o(ev_write)
  );

  // ---- the caller's and the memory's contract -------------------------------
  initial assume (!rst_ni);
  logic outstanding_q;  // a read was taken and not yet answered
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) outstanding_q <= 1'b0;
    else if (req_valid && mem_req_ready_i && !req_we) outstanding_q <= 1'b1;
    else if (mem_rsp_valid_i) outstanding_q <= 1'b0;
  end
  always_comb begin
    if (start_i) assume (!busy && (st_eptp_i[5:3] == 3'd3 || st_eptp_i[5:3] == 3'd4));
    if (mem_rsp_valid_i) assume (outstanding_q);
  end

  // ---- ad_only_with_eptp6 -----------------------------------------------------
  logic ad_q;
  always_ff @(posedge clk_i) begin
    if (start_i && !busy) ad_q <= st_eptp_i[pagoda_pkg::EptpAd];
  end
  `ASSERT_IF(ad_only_with_eptp6, req_valid && req_we, ad_q)

  logic unused;
  assign unused = ^{done, dirty, ev_read, ev_write, status, hfn, rwx, level, req_addr, req_wdata,
                    req_mask};

endmodule
