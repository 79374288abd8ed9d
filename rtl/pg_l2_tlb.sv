// SPDX-License-Identifier: MIT
// pg_l2_tlb — the set-associative L2 TLB shared by the iTLB and dTLB.
//
// Each page size has its own index so sizes never alias: a 4 KiB entry lives
// in set VA[18:12], a 2 MiB one in VA[27:21], a 1 GiB one in VA[36:30] (128
// sets). An entry covering a VA can therefore only sit in the set of its size
// for that VA, and every operation works on those three sets, read through
// three ports addressed by one probe VPN (pr_vpn_i):
//  - lookup: the first usable match probing 4 KiB, 2 MiB, 1 GiB, lowest way
//    first (combinational; the MMU registers it);
//  - fill: drops the probed entries matching (pr_vpn_i, fill_pcid_i), then
//    writes the set of the fill's size: lowest invalid way, else tree-PLRU;
//  - invalidate: with inv_req_i.use_va only the probed entries are candidates
//    (pr_vpn_i must equal inv_req_i.vpn); otherwise every entry is.
// Same contract as the golden model (sw/model/pg_model.c). Fill, touch and
// invalidate are never requested in the same cycle.
`include "pg_assert.svh"

module pg_l2_tlb #(
  parameter int unsigned NumSets = 128,
  parameter int unsigned NumWays = 4,
  localparam int unsigned SetW = $clog2(NumSets),
  localparam int unsigned WayW = $clog2(NumWays),
  localparam int unsigned NumEntries = NumSets * NumWays
) (
  input  logic clk_i,
  input  logic rst_ni,

  input  logic                            pr_valid_i,  // a probe is wanted (else none is made)
  input  logic [pagoda_pkg::VpnBits-1:0]  pr_vpn_i,
  input  logic [pagoda_pkg::PcidBits-1:0] pr_pcid_i,
  input  pagoda_pkg::vm_tag_t             pr_vm_i,     // the probe's (and a fill's) VM context

  // the access looked up, for the usability check
  input  pagoda_pkg::op_e lk_op_i,
  input  logic       lk_user_i,
  input  logic       lk_ac_i,
  input  pagoda_pkg::rights_ctl_t ctl_i,  // the rights controls and key registers
  input  logic       lk_ept_i,  // a combined mapping: its EPT rights must allow the access too
  output logic                         lk_hit_o,
  output logic [1:0]                   lk_size_o,
  output logic                         lk_global_o,
  output pagoda_pkg::payload_t         lk_data_o,

  input  logic touch_i,  // use the current hit: update its set's PLRU

  input  logic                            fill_i,
  input  logic [1:0]                      fill_size_i,
  input  logic [pagoda_pkg::PcidBits-1:0] fill_pcid_i,
  input  logic                            fill_global_i,
  input  pagoda_pkg::payload_t            fill_data_i,

  input  logic               inv_i,
  input  pagoda_pkg::inval_t inv_req_i
);

  localparam int unsigned VpnBits = pagoda_pkg::VpnBits;
  localparam int unsigned IdxW = SetW + WayW;

  logic [NumEntries-1:0]              valid_q;
  logic [NumEntries-1:0]              global_q;
  logic [VpnBits-1:0]                 vpn_q  [NumEntries];
  logic [1:0]                         size_q [NumEntries];
  logic [pagoda_pkg::PcidBits-1:0]    pcid_q [NumEntries];
  logic [pagoda_pkg::VmTagBits-1:0]   vm_q   [NumEntries];
  logic [pagoda_pkg::PayloadBits-1:0] data_q [NumEntries];

  // The set each size probes: VPN bits [9s + SetW - 1 : 9s].
  logic [SetW-1:0] pset [3];
  assign pset[0] = pr_vpn_i[SetW-1:0];
  assign pset[1] = pr_vpn_i[9+SetW-1:9];
  assign pset[2] = pr_vpn_i[18+SetW-1:18];

  // ---- the invalidation request's fields, and what it selects ----------------
  logic inv_keep_global, inv_use_pcid, inv_any_global;
  logic [pagoda_pkg::TagBits-1:0]  inv_tag;
  logic [pagoda_pkg::PcidBits-1:0] inv_pcid;
  assign inv_keep_global = inv_req_i.keep_global;
  assign inv_use_pcid    = inv_req_i.use_pcid;
  assign inv_any_global  = inv_req_i.any_global;
  assign inv_tag         = inv_req_i.pcid;
  assign inv_pcid        = inv_tag[pagoda_pkg::PcidBits-1:0];
  logic inv_use_vpid, inv_keep_vpid0, inv_use_ep4ta, inv_combined;
  logic [pagoda_pkg::VpidBits-1:0] inv_vpid;
  logic [pagoda_pkg::PfnBits-1:0]  inv_ep4ta;
  assign inv_use_vpid   = inv_req_i.use_vpid;
  assign inv_keep_vpid0 = inv_req_i.keep_vpid0;
  assign inv_use_ep4ta  = inv_req_i.use_ep4ta;
  assign inv_combined   = inv_req_i.combined;
  assign inv_vpid       = inv_req_i.vm.vpid;
  assign inv_ep4ta      = inv_req_i.vm.ep4ta;
  // The inval_t predicate, address aside, for an entry's global bit G and
  // PCID P, and for its VM tag VM. Macros, not functions: Yosys makes wires
  // of every call's arguments, and there are 1,000 calls here.
`define PG_L2_SEL_PCID(G, P) ( \
    !(inv_keep_global && (G)) && !(inv_use_pcid && (P) != inv_pcid && !(inv_any_global && (G))))
`define PG_L2_SEL_VM(VM) ( \
    !(inv_use_vpid && VM[pagoda_pkg::VmTagBits-1 -: pagoda_pkg::VpidBits] != inv_vpid) && \
    !(inv_keep_vpid0 && VM[pagoda_pkg::VmTagBits-1 -: pagoda_pkg::VpidBits] == '0) && \
    !(inv_use_ep4ta && !(VM[pagoda_pkg::PfnBits] && VM[pagoda_pkg::PfnBits-1:0] == inv_ep4ta)) && \
    !(inv_combined && !VM[pagoda_pkg::PfnBits]))

  // ---- the twelve probed entries ---------------------------------------------
  logic [IdxW-1:0] pidx    [3 * NumWays];
  logic [3*NumWays-1:0] pmatch, pcover, pusable;
  logic [3*NumWays-1:0] pvm_same;  // the entry's VM tag is the probe's
  logic [pagoda_pkg::VmTagBits-1:0] pvm [3 * NumWays];  // the entry's VM tag, read once
  always_comb begin
    pcover = '0;
    pmatch = '0;
    pusable = '0;
    pvm_same = '0;
    for (int unsigned p = 0; p < 3; p++) begin
      for (int unsigned w = 0; w < NumWays; w++) begin
        logic [IdxW-1:0] i;
        logic [7:0] f;  // payload_t's low bits: w, u, xd, dirty, pkey[3:0]
        logic [2:0] rwx;  // and its top ones: ept_rwx
        i = {pset[p], WayW'(w)};
        pidx[p*NumWays+w] = i;
        f = '0;
        rwx = '0;
        pvm[p*NumWays+w] = '0;
        if (pr_valid_i) begin
          pvm[p*NumWays+w] = vm_q[i];
          pvm_same[p*NumWays+w] = vm_q[i] == pr_vm_i;
          f = data_q[i][7:0];
          rwx = data_q[i][pagoda_pkg::PayloadBits-1 -: 3];
          // Covers the probe address, and lives in this set as its own size.
          pcover[p*NumWays+w] = valid_q[i] && size_q[i] == 2'(p) &&
              ((pr_vpn_i ^ vpn_q[i]) & pagoda_pkg::vpn_mask(2'(p))) == '0;
          pmatch[p*NumWays+w] = pcover[p*NumWays+w] && pvm_same[p*NumWays+w] &&
                                (global_q[i] || pcid_q[i] == pr_pcid_i);
          pusable[p*NumWays+w] = pmatch[p*NumWays+w] &&
              (!lk_ept_i || rwx[pagoda_pkg::ept_need_bit(lk_op_i)]) &&
              pagoda_pkg::usable(lk_op_i, lk_user_i, lk_ac_i, ctl_i.wp, ctl_i.nxe, ctl_i.smep,
                                 ctl_i.smap, ctl_i.pke, ctl_i.pks, ctl_i.pkru, ctl_i.pkrs,
                                 f[7], f[6], f[5], f[4], f[3:0]);
        end
      end
    end
  end

  // Which probed entries an invalidation by address selects by VM tag (a
  // block of its own: the request depends on this cycle's hit).
  logic [3*NumWays-1:0] pinv_vm;
  always_comb begin
    for (int unsigned k = 0; k < 3 * NumWays; k++) pinv_vm[k] = `PG_L2_SEL_VM(pvm[k]);
  end

  // First usable match in probe order.
  localparam int unsigned ProbeW = $clog2(3 * NumWays);
  logic [ProbeW-1:0]    hit_k;
  logic [3*NumWays-1:0] hit_onehot_unused;
  pg_first_set #(.N(3 * NumWays)) u_hit (
    .clk_i, .rst_ni, .in_i(pusable), .any_o(lk_hit_o), .onehot_o(hit_onehot_unused),
    .idx_o(hit_k)
  );
  logic [IdxW-1:0] hit_idx;
  logic [SetW-1:0] hit_set;
  logic [WayW-1:0] hit_way;
  assign hit_idx = pidx[hit_k];
  assign hit_set     = hit_idx[IdxW-1:WayW];
  assign hit_way     = hit_idx[WayW-1:0];
  assign lk_size_o   = size_q[hit_idx];
  assign lk_global_o = global_q[hit_idx];
  assign lk_data_o   = data_q[hit_idx];

  // ---- fill ------------------------------------------------------------------
  // A probed entry the fill drops: it matches the address in the fill's context.
  logic [3*NumWays-1:0] pdrop_fill;
  always_comb begin
    pdrop_fill = '0;
    if (fill_i) begin
      for (int unsigned k = 0; k < 3 * NumWays; k++) begin
        pdrop_fill[k] = pcover[k] && pvm_same[k] &&
                        (global_q[pidx[k]] || pcid_q[pidx[k]] == fill_pcid_i);
      end
    end
  end

  logic [SetW-1:0]    fill_set;
  logic [NumWays-1:0] fill_set_kept;
  logic [WayW-1:0]    first_free, fill_way;
  logic               any_free;
  logic [NumWays-1:0] free_onehot_unused;
  pg_first_set #(.N(NumWays)) u_free (
    .clk_i, .rst_ni, .in_i(~fill_set_kept), .any_o(any_free), .onehot_o(free_onehot_unused),
    .idx_o(first_free)
  );

  always_comb begin
    unique case (fill_size_i)
      2'd0:    fill_set = pset[0];
      2'd1:    fill_set = pset[1];
      default: fill_set = pset[2];
    endcase
    fill_set_kept = '1;
    if (fill_i) begin  // worked out only in the cycle a fill comes
      for (int unsigned w = 0; w < NumWays; w++) begin
        fill_set_kept[w] = valid_q[{fill_set, WayW'(w)}];
        for (int unsigned k = 0; k < 3 * NumWays; k++) begin
          if (pdrop_fill[k] && pidx[k] == {fill_set, WayW'(w)}) fill_set_kept[w] = 1'b0;
        end
      end
    end
  end

  logic [WayW-1:0] plru_victim;  // the fill set's
  assign fill_way = any_free ? first_free : plru_victim;

  pg_plru #(.NumWays(NumWays), .NumSets(NumSets)) u_plru (
    .clk_i,
    .rst_ni,
    .set_i      (fill_set),
    .victim_o   (plru_victim),
    .touch_i    (fill_i || touch_i),
    .touch_set_i(fill_i ? fill_set : hit_set),
    .touch_way_i(fill_i ? fill_way : hit_way)
  );

  // ---- invalidate ----------------------------------------------------------------
  // Valid bits change only at a fill or an invalidation; the per-entry work
  // is done at the clock edge (cheaper to simulate than 512 comparators
  // evaluated every cycle).
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      valid_q <= '0;
    end else if (fill_i) begin
      for (int unsigned k = 0; k < 3 * NumWays; k++) begin
        if (pdrop_fill[k]) valid_q[pidx[k]] <= 1'b0;
      end
      valid_q[{fill_set, fill_way}] <= 1'b1;
    end else if (inv_i) begin
      if (inv_req_i.use_va) begin
        // Only the probed sets can hold an entry covering the address.
        for (int unsigned k = 0; k < 3 * NumWays; k++) begin
          if (pcover[k] && `PG_L2_SEL_PCID(global_q[pidx[k]], pcid_q[pidx[k]]) && pinv_vm[k]) begin
            valid_q[pidx[k]] <= 1'b0;
          end
        end
      end else begin
        for (int unsigned i = 0; i < NumEntries; i++) begin
          if (`PG_L2_SEL_PCID(global_q[i], pcid_q[i]) && `PG_L2_SEL_VM(vm_q[i])) begin
            valid_q[i] <= 1'b0;
          end
        end
      end
    end
  end

`undef PG_L2_SEL_PCID
`undef PG_L2_SEL_VM

  always_ff @(posedge clk_i) begin
    if (fill_i) begin
      vpn_q[{fill_set, fill_way}]    <= pr_vpn_i & pagoda_pkg::vpn_mask(fill_size_i);
      size_q[{fill_set, fill_way}]   <= fill_size_i;
      pcid_q[{fill_set, fill_way}]   <= fill_pcid_i;
      vm_q[{fill_set, fill_way}]     <= pr_vm_i;
      global_q[{fill_set, fill_way}] <= fill_global_i;
      data_q[{fill_set, fill_way}]   <= fill_data_i;
    end
  end

  // ---- Assertions -----------------------------------------------------------
  `ASSERT_INIT(sets_pow2, NumSets >= 2 && (NumSets & (NumSets - 1)) == 0)
  `ASSERT_INIT(ways_pow2, NumWays >= 2 && (NumWays & (NumWays - 1)) == 0)
  // Each size's index lies inside the VPN (the 1 GiB one highest).
  `ASSERT_INIT(index_in_vpn, 18 + SetW <= pagoda_pkg::VpnBits)
  // An invalidation by address probes the sets of that address.
  `ASSERT_IF(inv_probe_addr, inv_i && inv_req_i.use_va, pr_valid_i && inv_req_i.vpn == pr_vpn_i)
  `ASSERT_IF(probe_for_use, touch_i || fill_i, pr_valid_i)
  `ASSERT_ONEHOT0(one_op, {fill_i, inv_i, touch_i})
  `ASSERT_IF(touch_hits, touch_i, lk_hit_o)
  // An entry lives only in the set of its own size (sizes never alias).
  logic [SetW-1:0] own_set;  // the set the hit's size probes
  assign own_set = (lk_size_o == 2'd0) ? pset[0] : (lk_size_o == 2'd1) ? pset[1] : pset[2];
  `ASSERT_IF(hit_in_own_set, lk_hit_o, hit_set == own_set)
  logic [IdxW-1:0] filled_q;
  always_ff @(posedge clk_i) filled_q <= {fill_set, fill_way};
  `ASSERT_NEXT(fill_kept, fill_i, valid_q[filled_q])
`ifdef FORMAL
  // The invariant hit_in_own_set rests on: every valid entry sits in the set
  // its own size indexes at its own address. (Formal only: it looks at every
  // entry, too costly for a simulation.)
  for (genvar i = 0; i < NumEntries; i++) begin : g_own_set
    logic [SetW-1:0] own;
    assign own = (size_q[i] == 2'd0) ? vpn_q[i][SetW-1:0] :
                 (size_q[i] == 2'd1) ? vpn_q[i][9+SetW-1:9] : vpn_q[i][18+SetW-1:18];
    `ASSERT_IF(entry_in_own_set, valid_q[i], own == SetW'(i >> WayW) && size_q[i] != 2'd3)
  end
`endif

  `COVER(c_hit_4k, lk_hit_o && lk_size_o == 2'd0)
  `COVER(c_hit_2m, lk_hit_o && lk_size_o == 2'd1)
  `COVER(c_hit_1g, lk_hit_o && lk_size_o == 2'd2)
  `COVER(c_fill_evicts, fill_i && !any_free)
  `COVER(c_inv_by_addr, inv_i && inv_req_i.use_va && |pcover)

endmodule
