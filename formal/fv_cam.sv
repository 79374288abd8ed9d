// SPDX-License-Identifier: MIT
// fv_cam — pg_cam under formal verification (make formal): 4 entries,
// 2-bit context tags, VM tags of 1-bit VPIDs and EP4TAs. The inputs are free within the caller's contract
// (one operation per cycle; a touch names the way that just hit); the
// module's own assertions (rtl/pg_assert.svh) are the properties, with two
// more stated here:
//   inv_gone        an entry an invalidation selected does not hit in the
//                   next cycle (no fill between: one operation per cycle)
`include "pg_assert.svh"

module fv_cam (
  input logic                           clk_i,
  input logic                           rst_ni,
  input logic                           lk_valid_i,
  input logic [pagoda_pkg::VpnBits-1:0] lk_vpn_i,
  input logic [1:0]                     lk_pcid_i,
  input pagoda_pkg::vm_tag_t            lk_vm_i,
  input logic                           touch_i,
  input logic [1:0]                     touch_way_i,
  input logic                           fill_i,
  input logic [pagoda_pkg::VpnBits-1:0] fill_vpn_i,
  input logic [1:0]                     fill_size_i,
  input logic [1:0]                     fill_pcid_i,
  input pagoda_pkg::vm_tag_t            fill_vm_i,
  input logic                           fill_global_i,
  input pagoda_pkg::payload_t           fill_data_i,
  input logic                           inv_i,
  input pagoda_pkg::inval_t             inv_req_i
);
  logic                 hit;
  logic [1:0]           way;
  logic [1:0]           size;
  pagoda_pkg::payload_t data;
  logic [2:0]           nvalid;
  logic [1:0]           fill_way;

  pg_cam #(.NumEntries(4), .TagW(2)) dut (
    .clk_i, .rst_ni,
    .lk_valid_i, .lk_vpn_i, .lk_pcid_i, .lk_vm_i, .lk_hit_o(hit), .lk_way_o(way), .lk_size_o(size),
    .lk_data_o(data),
    .touch_i, .touch_way_i,
    .fill_i, .fill_vpn_i, .fill_size_i, .fill_pcid_i, .fill_vm_i, .fill_global_i, .fill_data_i,
    .fill_way_o(fill_way),
    .inv_i, .inv_req_i,
    .num_valid_o(nvalid)
  );

  // ---- the caller's contract ------------------------------------------------
  initial assume (!rst_ni);
  always_comb begin
    assume ($onehot0({fill_i, touch_i, inv_i}));
    if (touch_i) assume (lk_valid_i && hit && touch_way_i == way);
    // VM tags of 1-bit VPIDs and EP4TAs, EP4TA 0 in a linear mapping.
    assume (lk_vm_i.vpid[15:1] == '0 && lk_vm_i.ep4ta[39:1] == '0 &&
            (lk_vm_i.ept || lk_vm_i.ep4ta == '0));
    assume (fill_vm_i.vpid[15:1] == '0 && fill_vm_i.ep4ta[39:1] == '0 &&
            (fill_vm_i.ept || fill_vm_i.ep4ta == '0));
  end

  // ---- inv_gone -------------------------------------------------------------
  // The invalidation's request and what it would select of a lookup now.
  logic                   inv_q;
  pagoda_pkg::inval_t     req_q;
  always_ff @(posedge clk_i) begin
    inv_q <= rst_ni && inv_i;
    req_q <= inv_req_i;
  end
  // The next lookup at the invalidated page, in the context it named, after
  // an INVLPG-like request (globals too, the VPID named, or every VPID):
  // misses.
  logic invlpg_like;  // the request, and a lookup in a context it names
  assign invlpg_like = req_q.use_va && req_q.use_pcid && !req_q.keep_global &&
                       req_q.any_global && !req_q.keep_vpid0 && !req_q.use_ep4ta &&
                       !req_q.combined && (!req_q.use_vpid || lk_vm_i.vpid == req_q.vm.vpid);
  `ASSERT_IF(inv_gone, inv_q && invlpg_like && lk_valid_i && lk_vpn_i == req_q.vpn &&
                       lk_pcid_i == req_q.pcid[1:0] && req_q.pcid[15:2] == '0, !hit)
  // After INVEPT of an EP4TA (or of all), no combined mapping of it hits.
  `ASSERT_IF(invept_gone, inv_q && req_q.use_ep4ta && !req_q.use_vpid && !req_q.keep_vpid0 &&
                          !req_q.use_va && !req_q.use_pcid && !req_q.keep_global &&
                          lk_valid_i && lk_vm_i.ept && lk_vm_i.ep4ta == req_q.vm.ep4ta,
             !hit)

endmodule
