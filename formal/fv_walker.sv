// SPDX-License-Identifier: MIT
// fv_walker — pg_walker under formal verification (make formal). Memory
// answers with any line (every entry value a table could hold), one read
// at a time, after any delay; a walk starts only while the walker is idle,
// at a level from 4 to 1 (the caller's contract). The walker's own
// assertions are the properties (A and D written only to the entry read,
// D only in a store's leaf, no write after a fault, one-cycle done), with
// one more stated here:
//   ctx_latched   the error code at the end names the access latched at the
//                 start (W for a store, U for a user access), whatever the
//                 start inputs do meanwhile
// With EPT on (st_ept_i) the EPT walker is free too: it answers each EPT
// walk the walker asks for once, after any delay, with any result.
//   no_read_unknown  no table is read before its host address is known
`include "pg_assert.svh"

module fv_walker (
  input logic                            clk_i,
  input logic                            rst_ni,
  input logic                            start_i,
  input logic [pagoda_pkg::VpnBits-1:0]  st_vpn_i,
  input pagoda_pkg::op_e                 st_op_i,
  input logic                            st_user_i,
  input logic                            st_ac_i,
  input pagoda_pkg::rights_ctl_t         st_ctl_i,
  input logic                            st_pge_i,
  input logic [2:0]                      st_level_i,
  input logic [pagoda_pkg::PfnBits-1:0]  st_table_i,
  input logic                            st_w_i,
  input logic                            st_u_i,
  input logic                            st_xd_i,
  input logic                            st_deny_i,
  input logic                            st_one_i,
  input logic                            st_ept_i,
  input logic                            st_ept_ad_i,
  input logic                            st_host_known_i,
  input logic [pagoda_pkg::PfnBits-1:0]  st_host_i,
  input logic [2:0]                      st_table_rwx_i,
  input logic                            x_done_i,
  input pagoda_pkg::ept_status_e         x_status_i,
  input logic [pagoda_pkg::PfnBits-1:0]  x_hfn_i,
  input logic [2:0]                      x_rwx_i,
  input logic [2:0]                      x_level_i,
  input logic                            x_dirty_i,
  input logic                            mem_req_ready_i,
  input logic                            mem_rsp_valid_i,
  input logic [pagoda_pkg::LineBits-1:0] mem_rsp_rdata_i
);
  logic busy, done, is_leaf, global, req_valid, req_we, ev_read, ev_write;
  pagoda_pkg::status_e  status;
  pagoda_pkg::pf_kind_e kind;
  logic [2:0] level;
  logic [3:0] pwc_valid;
  logic [pagoda_pkg::ErrBits-1:0] err;
  logic [1:0] size;
  pagoda_pkg::payload_t leaf;
  logic [pagoda_pkg::PaBits-1:0] ea, req_addr;
  pagoda_pkg::pte_t entry;
  logic [4*pagoda_pkg::PayloadBits-1:0] pwc;
  logic [pagoda_pkg::LineBits-1:0] req_wdata;
  logic [pagoda_pkg::LineBytes-1:0] req_mask;
  logic x_start;
  logic [pagoda_pkg::PfnBits-1:0] x_gfn;
  logic [2:0] x_need;
  logic [pagoda_pkg::PaBits-1:0] gpa;
  logic [pagoda_pkg::QualBits-1:0] qual;
  logic [4*pagoda_pkg::PfnBits-1:0] pwc_gpfn;

  pg_walker dut (
    .clk_i, .rst_ni, .start_i, .busy_o(busy),
    .st_vpn_i, .st_op_i, .st_user_i, .st_ac_i, .st_ctl_i,
    .st_pge_i, .st_level_i, .st_table_i, .st_w_i, .st_u_i, .st_xd_i, .st_deny_i, .st_one_i,
    .st_ept_i, .st_ept_ad_i, .st_host_known_i, .st_host_i, .st_table_rwx_i,
    .x_start_o(x_start), .x_gfn_o(x_gfn), .x_need_o(x_need), .x_done_i, .x_status_i, .x_hfn_i,
    .x_rwx_i, .x_level_i, .x_dirty_i, .res_gpa_o(gpa), .res_qual_o(qual),
    .pwc_gpfn_o(pwc_gpfn),
    .done_o(done), .res_status_o(status), .res_kind_o(kind), .res_level_o(level),
    .res_err_o(err), .res_size_o(size), .res_global_o(global), .res_leaf_o(leaf),
    .res_is_leaf_o(is_leaf), .res_ea_o(ea), .res_entry_o(entry),
    .pwc_valid_o(pwc_valid), .pwc_data_o(pwc),
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
  logic x_outstanding_q;  // an EPT walk was asked for and not yet answered
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) x_outstanding_q <= 1'b0;
    else if (x_start) x_outstanding_q <= 1'b1;
    else if (x_done_i) x_outstanding_q <= 1'b0;
  end
  always_comb begin
    if (start_i) assume (!busy && st_level_i >= 3'd1 && st_level_i <= 3'd5);
    // The CPU's walks alone run under EPT, never denied, never one level.
    if (start_i && st_ept_i) assume (!st_deny_i && !st_one_i);
    if (x_done_i) assume (x_outstanding_q && x_level_i >= 3'd1 && x_level_i <= 3'd3);
    if (mem_rsp_valid_i) assume (outstanding_q);
    assume (st_op_i != 2'd3);
  end

  // ---- ctx_latched ----------------------------------------------------------
  pagoda_pkg::op_e op_q;
  logic            user_q;
  always_ff @(posedge clk_i) begin
    if (start_i && !busy) begin
      op_q <= st_op_i;
      user_q <= st_user_i;
    end
  end
  `ASSERT_IF(ctx_latched, done, err[pagoda_pkg::ErrW] == (op_q == pagoda_pkg::OpStore) &&
                                err[pagoda_pkg::ErrU] == user_q)

  // no_read_unknown: a walk under EPT whose start table's host address is
  // unknown asks for it before it reads anything.
  logic ept_walk_q, known_q;
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      ept_walk_q <= 1'b0;
      known_q <= 1'b0;
    end else if (start_i && !busy) begin
      ept_walk_q <= st_ept_i;
      known_q <= !st_ept_i || st_host_known_i;
    end else if (x_done_i) begin
      known_q <= 1'b1;
    end
  end
  `ASSERT_IF(no_read_unknown, req_valid && !req_we && ept_walk_q, known_q)

  logic unused;
  assign unused = ^{status, kind, level, size, global, leaf, is_leaf, ea, entry, pwc_valid, pwc,
                    req_addr, req_wdata, req_mask, ev_read, ev_write, x_gfn, x_need, gpa, qual,
                    pwc_gpfn};

endmodule
