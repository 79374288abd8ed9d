// SPDX-License-Identifier: MIT
// fv_l2_tlb — pg_l2_tlb under formal verification (make formal): 2 sets of
// 2 ways. The inputs are free within the caller's contract (one operation
// per cycle; a touch uses the current hit; a fill or an invalidation by
// address probes its own address; page sizes 4 KiB, 2 MiB, 1 GiB). The
// module's own assertions are the properties (a hit lies in the set of its
// own size, and under formal every valid entry does: sizes never alias in
// the index), with one more stated here:
//   fill_found   the cycle after a fill, a load probing the filled address in
//                the fill's context hits that entry, with the fill's size
//                (the fill dropped every other entry covering the address)
`include "pg_assert.svh"

module fv_l2_tlb (
  input logic                            clk_i,
  input logic                            rst_ni,
  input logic                            pr_valid_i,
  input logic [pagoda_pkg::VpnBits-1:0]  pr_vpn_i,
  input logic [pagoda_pkg::PcidBits-1:0] pr_pcid_i,
  input pagoda_pkg::vm_tag_t             pr_vm_i,
  input pagoda_pkg::op_e                 lk_op_i,
  input logic                            lk_user_i,
  input logic                            lk_ac_i,
  input pagoda_pkg::rights_ctl_t         ctl_i,
  input logic                            lk_ept_i,
  input logic                            touch_i,
  input logic                            fill_i,
  input logic [1:0]                      fill_size_i,
  input logic [pagoda_pkg::PcidBits-1:0] fill_pcid_i,
  input logic                            fill_global_i,
  input pagoda_pkg::payload_t            fill_data_i,
  input logic                            inv_i,
  input pagoda_pkg::inval_t              inv_req_i
);
  logic                 hit, global;
  logic [1:0]           size;
  pagoda_pkg::payload_t data;

  pg_l2_tlb #(.NumSets(2), .NumWays(2)) dut (
    .clk_i, .rst_ni,
    .pr_valid_i, .pr_vpn_i, .pr_pcid_i, .pr_vm_i, .lk_op_i, .lk_user_i, .lk_ac_i, .ctl_i,
    .lk_ept_i,
    .lk_hit_o(hit), .lk_size_o(size), .lk_global_o(global), .lk_data_o(data),
    .touch_i, .fill_i, .fill_size_i, .fill_pcid_i, .fill_global_i, .fill_data_i,
    .inv_i, .inv_req_i
  );

  // ---- the caller's contract ------------------------------------------------
  initial assume (!rst_ni);
  always_comb begin
    assume ($onehot0({fill_i, touch_i, inv_i}));
    if (touch_i) assume (pr_valid_i && hit);
    if (fill_i) assume (pr_valid_i && fill_size_i != 2'd3);
    if (inv_i && inv_req_i.use_va) assume (pr_valid_i && inv_req_i.vpn == pr_vpn_i);
    assume (lk_op_i != 2'd3);
    assume (pr_vm_i.vpid[15:1] == '0 && pr_vm_i.ep4ta[39:1] == '0 &&
            (pr_vm_i.ept || pr_vm_i.ep4ta == '0));
  end

  // ---- fill_found -----------------------------------------------------------
  logic                            fill_q;
  logic [pagoda_pkg::VpnBits-1:0]  vpn_q;
  logic [pagoda_pkg::PcidBits-1:0] pcid_q;
  logic [1:0]                      size_q;
  pagoda_pkg::vm_tag_t             vm_q;
  always_ff @(posedge clk_i) begin
    fill_q <= rst_ni && fill_i;
    vm_q   <= pr_vm_i;
    vpn_q  <= pr_vpn_i;
    pcid_q <= fill_pcid_i;
    size_q <= fill_size_i;
  end
  // A supervisor load with every rights control off is allowed by any entry
  // (EPT rights aside).
  `ASSERT_IF(fill_found, fill_q && pr_valid_i && pr_vpn_i == vpn_q && pr_pcid_i == pcid_q &&
                         pr_vm_i == vm_q && !lk_ept_i &&
                         lk_op_i == pagoda_pkg::OpLoad && !lk_user_i && ctl_i == '0,
             hit && size == size_q)

  logic unused;
  assign unused = ^{global, data};

endmodule
