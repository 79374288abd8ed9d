// SPDX-License-Identifier: MIT
// pg_mmu — the CPU-side MMU: L1 iTLB and dTLB (CAM), the L2 TLB, the
// PML5E/PML4E/PDPTE/PDE walk caches and the page walker (4-level, or 5-level
// with CR4.LA57), with protection keys checked at every TLB hit, behind a valid/ready CPU
// port, with a 64-byte line port to memory.
//
// Flow of one access (the golden model's rules, sw/model/pg_model.h):
//  cycle 1  accepted into the translation stage (S1);
//  cycle 2  non-canonical: #GP. L1 lookup: a usable hit translates now (PA
//           out one cycle after acceptance; a new access is accepted in the
//           same cycle, so a stream of hits runs at one per cycle).
//  cycle 3  on an L1 miss, the L2 TLB: a usable hit fills the L1 and
//           translates; a miss starts the walker from the deepest walk-cache
//           hit. The walk's result fills the walk caches, the L2 and the L1;
//           a fault sets CR2 and drops the entries for the address.
// A translated RAM access goes to memory tagged with its slot in an in-order
// completion queue; responses leave in acceptance order. Control writes and
// invalidations wait in one pending slot until the translation stage is
// empty, then apply in one cycle: an access in flight (a walk included) uses
// the context it started with, and its result is installed before a later
// flush drops it, exactly the golden model's sequential order.
//
// In a guest with EPT (ctl ept=1) the walker runs the 2-D walk with
// pg_ept_walker (rules 7-10 of pg_model.h): every cache entry is tagged by
// VPID and EP4TA besides PCID, a combined mapping is usable only if its EPT
// rights allow the access, an EPT exit answers StatusEpt or StatusEptMc
// with its qualification and guest-physical address, and VM entries and
// exits (ept, eptp, vpid, and CR3 loaded with them) flush nothing.
`include "pg_assert.svh"

module pg_mmu #(
  // Public: the testbench sizes the golden model's caches from them.
  parameter int unsigned ItlbEntries /*verilator public*/ = 32,
  parameter int unsigned DtlbEntries /*verilator public*/ = 32,
  parameter int unsigned L2Sets /*verilator public*/ = 128,
  parameter int unsigned L2Ways /*verilator public*/ = 4,
  parameter int unsigned PwcPml5eEntries /*verilator public*/ = 2,
  parameter int unsigned PwcPml4eEntries /*verilator public*/ = 4,
  parameter int unsigned PwcPdpteEntries /*verilator public*/ = 4,
  parameter int unsigned PwcPdeEntries /*verilator public*/ = 8,
  parameter int unsigned NumSlots = 16,
  localparam int unsigned SlotW = $clog2(NumSlots),
  localparam int unsigned IdW = SlotW + 1
) (
  input  logic clk_i,
  input  logic rst_ni,

  // CPU requests
  input  logic        req_valid_i,
  output logic        req_ready_o,
  input  pagoda_pkg::op_e req_op_i,
  input  logic        req_user_i,
  input  logic        req_ac_i,
  input  logic [1:0]  req_size_i,  // log2 of 1, 2, 4, 8 bytes
  input  logic [63:0] req_va_i,
  input  logic [63:0] req_wdata_i,

  // the cycle a translation completes (for latency measurements)
  output logic                          xlat_valid_o,
  output logic [pagoda_pkg::PaBits-1:0] xlat_pa_o,

  // CPU responses, in order, one cycle each
  output logic                          rsp_valid_o,
  output pagoda_pkg::status_e           rsp_status_o,
  output logic                          rsp_pa_valid_o,
  output logic [pagoda_pkg::PaBits-1:0] rsp_pa_o,
  output logic [63:0]                   rsp_data_o,
  output logic [pagoda_pkg::ErrBits-1:0] rsp_err_o,
  output pagoda_pkg::pf_kind_e          rsp_pf_kind_o,
  output logic [2:0]                    rsp_pf_level_o,
  output logic [2:0]                    rsp_source_o,  // {walked, l2 hit, l1 hit}
  output logic [pagoda_pkg::QualBits-1:0] rsp_qual_o,  // StatusEpt: the exit qualification
  output logic [pagoda_pkg::PaBits-1:0] rsp_gpa_o,     // StatusEpt, EptMc: the guest-physical address
  output logic [63:0]                   cr2_o,

  // control writes and invalidations: kind 0 ctl (field = ctl_field_e),
  // 1 invlpg, 2 invpcid, 3 invept, 4 invvpid (field = type)
  input  logic        ctl_valid_i,
  output logic        ctl_ready_o,
  input  pagoda_pkg::ctl_kind_e ctl_kind_i,
  input  logic [pagoda_pkg::CtlFieldBits-1:0] ctl_field_i,  // ctl_field_e, or the type
  input  logic [15:0] ctl_pcid_i,  // INVPCID's PCID, or INVVPID's VPID
  input  logic [63:0] ctl_value_i,

  // memory: 64-byte lines, byte masks, tagged; responses to reads only
  output logic                             mem_req_valid_o,
  input  logic                             mem_req_ready_i,
  output logic                             mem_req_we_o,
  output logic [IdW-1:0]                   mem_req_id_o,
  output logic [pagoda_pkg::PaBits-1:0]    mem_req_addr_o,
  output logic [pagoda_pkg::LineBits-1:0]  mem_req_wdata_o,
  output logic [pagoda_pkg::LineBytes-1:0] mem_req_mask_o,
  input  logic                             mem_rsp_valid_i,
  input  logic                             mem_rsp_err_i,  // no target: a bus error
  input  logic [IdW-1:0]                   mem_rsp_id_i,
  input  logic [pagoda_pkg::LineBits-1:0]  mem_rsp_rdata_i,

  // counters of SPEC 8, indexed as in sw/model/pg_counters.h (0-27, 41-44)
  input  logic [5:0]  cnt_sel_i,
  output logic [63:0] cnt_o,

  // occupancy, for tests and waves
  output logic [$clog2(ItlbEntries):0] itlb_valid_o,  // entries valid, 0..ItlbEntries
  output logic [$clog2(DtlbEntries):0] dtlb_valid_o
);

  localparam int unsigned VpnBits = pagoda_pkg::VpnBits;
  localparam int unsigned PfnBits = pagoda_pkg::PfnBits;
  localparam int unsigned PaBits  = pagoda_pkg::PaBits;
  localparam int unsigned VaBits  = pagoda_pkg::VaBits57;  // tags hold VA[56:12]
  localparam logic [IdW-1:0] WalkerId = IdW'(NumSlots);
  localparam int unsigned NumCounters = 32;

  // ---- control state ---------------------------------------------------------
  logic [PaBits-1:0] cr3_q;  // bits 62:52 are reserved; bit 63 (no flush) is not kept
  logic        wp_q, nxe_q, smep_q, smap_q, pcide_q, pge_q, pke_q, pks_q, la57_q;
  logic [31:0] pkru_q, pkrs_q;
  pagoda_pkg::rights_ctl_t rctl;  // what every rights check reads
  always_comb begin
    rctl.wp = wp_q;
    rctl.nxe = nxe_q;
    rctl.smep = smep_q;
    rctl.smap = smap_q;
    rctl.pke = pke_q;
    rctl.pks = pks_q;
    rctl.pkru = pkru_q;
    rctl.pkrs = pkrs_q;
  end
  logic [63:0] cr2_q;
  logic [11:0] pcid;
  assign pcid  = pcide_q ? cr3_q[11:0] : 12'd0;
  // The VM context: in a guest with EPT, or not; the EPTP; the VPID.
  logic        ept_q;
  logic [63:0] eptp_q;
  logic [pagoda_pkg::VpidBits-1:0] vpid_q;
  pagoda_pkg::vm_tag_t vm;  // every lookup's and fill's
  assign vm.vpid  = vpid_q;
  assign vm.ept   = ept_q;
  assign vm.ep4ta = ept_q ? eptp_q[51:12] : '0;
  assign cr2_o = cr2_q;

  // ---- translation stage -----------------------------------------------------
  typedef enum logic [1:0] {MLookup, ML2, MWalk, MFinish} mstate_e;
  mstate_e mstate_q, mstate_d, mstate_n;

  logic        s1_valid_q;
  pagoda_pkg::op_e s1_op_q;
  logic        s1_user_q, s1_ac_q;
  logic [1:0]  s1_size_q;
  logic [63:0] s1_va_q, s1_wdata_q;
  logic        s1_counted_q;  // its L1 lookup was counted
  logic [VpnBits-1:0] s1_vpn;
  logic        s1_canonical, s1_fetch;
  assign s1_vpn = s1_va_q[VaBits-1:12];
  assign s1_canonical = pagoda_pkg::canonical(la57_q, s1_va_q[63:47]);
  logic pend_canonical;  // an INVLPG's or INVPCID type 0's address
  assign pend_canonical = pagoda_pkg::canonical(la57_q, pend_value_q[63:47]);
  assign s1_fetch = s1_op_q == pagoda_pkg::OpFetch;

  // ---- caches ------------------------------------------------------------------
  // The walker's request and result (the walker is instantiated below).
  logic        walk_start, walk_busy, walk_done;
  logic [2:0]  walk_level;
  logic [PfnBits-1:0] walk_table;
  logic        walk_w, walk_u, walk_xd;
  pagoda_pkg::status_e  walk_status;
  pagoda_pkg::pf_kind_e walk_kind;
  logic [2:0]  walk_res_level;
  logic [pagoda_pkg::ErrBits-1:0] walk_err;
  logic [1:0]  walk_size;
  logic        walk_global;
  pagoda_pkg::payload_t walk_leaf;
  logic [PaBits-1:0] walk_gpa;
  logic [pagoda_pkg::QualBits-1:0] walk_qual;

  // Invalidation requests: one for the TLBs, one for the walk caches. Built by
  // make_inval(use_va, vpn, use_pcid, pcid, keep_global, any_global).
  logic               inv_tlb, inv_pwc;
  pagoda_pkg::inval_t inv_tlb_req, inv_pwc_req;

  // L1s: the access's own L1 is looked up; a fill or touch goes to it.
  logic        l1_hit, itlb_hit, dtlb_hit;
  logic [$clog2(ItlbEntries)-1:0] itlb_way;
  logic [$clog2(DtlbEntries)-1:0] dtlb_way;
  logic [1:0]  itlb_size, dtlb_size, l1_size;
  pagoda_pkg::payload_t itlb_data, dtlb_data, l1_data;
  logic [$clog2(ItlbEntries)-1:0] itlb_fill_way_unused;
  logic [$clog2(DtlbEntries)-1:0] dtlb_fill_way_unused;
  logic        l1_touch, l1_fill, l1_touch_want, l1_fill_want;
  logic [1:0]  l1_fill_size;
  logic        l1_fill_global;
  pagoda_pkg::payload_t l1_fill_data;

  // Each cache looks up only in the state that uses its answer.
  logic lk_l1, lk_pwc, lk_l2;
  assign lk_l1  = s1_valid_q && mstate_q == MLookup;
  assign lk_pwc = s1_valid_q && mstate_q == ML2;

  pg_cam #(.NumEntries(ItlbEntries)) u_itlb (
    .clk_i, .rst_ni,
    .lk_valid_i(lk_l1 && s1_fetch), .lk_vpn_i(s1_vpn), .lk_pcid_i(pcid), .lk_vm_i(vm),
    .lk_hit_o(itlb_hit), .lk_way_o(itlb_way), .lk_size_o(itlb_size),
    .lk_data_o(itlb_data),
    .touch_i(l1_touch && s1_fetch), .touch_way_i(itlb_way),
    .fill_i(l1_fill && s1_fetch), .fill_vpn_i(s1_vpn), .fill_size_i(l1_fill_size),
    .fill_pcid_i(pcid), .fill_vm_i(vm), .fill_global_i(l1_fill_global),
    .fill_data_i(l1_fill_data), .fill_way_o(itlb_fill_way_unused),
    .inv_i(inv_tlb), .inv_req_i(inv_tlb_req),
    .num_valid_o(itlb_valid_o)
  );

  pg_cam #(.NumEntries(DtlbEntries)) u_dtlb (
    .clk_i, .rst_ni,
    .lk_valid_i(lk_l1 && !s1_fetch), .lk_vpn_i(s1_vpn), .lk_pcid_i(pcid), .lk_vm_i(vm),
    .lk_hit_o(dtlb_hit), .lk_way_o(dtlb_way), .lk_size_o(dtlb_size),
    .lk_data_o(dtlb_data),
    .touch_i(l1_touch && !s1_fetch), .touch_way_i(dtlb_way),
    .fill_i(l1_fill && !s1_fetch), .fill_vpn_i(s1_vpn), .fill_size_i(l1_fill_size),
    .fill_pcid_i(pcid), .fill_vm_i(vm), .fill_global_i(l1_fill_global),
    .fill_data_i(l1_fill_data), .fill_way_o(dtlb_fill_way_unused),
    .inv_i(inv_tlb), .inv_req_i(inv_tlb_req),
    .num_valid_o(dtlb_valid_o)
  );

  assign l1_hit  = s1_fetch ? itlb_hit : dtlb_hit;
  assign l1_size = s1_fetch ? itlb_size : dtlb_size;
  assign l1_data = s1_fetch ? itlb_data : dtlb_data;

  logic l1_usable;
  assign l1_usable = l1_hit && (!ept_q || l1_data.ept_rwx[pagoda_pkg::ept_need_bit(s1_op_q)]) &&
                     pagoda_pkg::usable(s1_op_q, s1_user_q, s1_ac_q, wp_q, nxe_q,
                                                  smep_q, smap_q, pke_q, pks_q, pkru_q, pkrs_q,
                                                  l1_data.w, l1_data.u, l1_data.xd,
                                                  l1_data.dirty, l1_data.pkey);

  // L2: probed at the access's VA, or at the address of an invalidation.
  logic [VpnBits-1:0] l2_probe_vpn;
  logic        l2_hit, l2_touch, l2_fill, l2_touch_want, l2_fill_want;
  logic [1:0]  l2_size;
  logic        l2_global;
  pagoda_pkg::payload_t l2_data;

  pg_l2_tlb #(.NumSets(L2Sets), .NumWays(L2Ways)) u_l2 (
    .clk_i, .rst_ni,
    .pr_valid_i(lk_l2), .pr_vpn_i(l2_probe_vpn), .pr_pcid_i(pcid), .pr_vm_i(vm),
    .lk_op_i(s1_op_q), .lk_user_i(s1_user_q), .lk_ac_i(s1_ac_q),
    .ctl_i(rctl), .lk_ept_i(ept_q),
    .lk_hit_o(l2_hit), .lk_size_o(l2_size), .lk_global_o(l2_global), .lk_data_o(l2_data),
    .touch_i(l2_touch),
    .fill_i(l2_fill), .fill_size_i(walk_size), .fill_pcid_i(pcid),
    .fill_global_i(walk_global), .fill_data_i(walk_leaf),
    .inv_i(inv_tlb), .inv_req_i(inv_tlb_req)
  );

  // Walk caches, index 0 PDE, 1 PDPTE, 2 PML4E, 3 PML5E (as the walker's
  // outputs). An entry of cache k covers VA[56:21 + 9k]; sizes are 2 bits
  // (4 KiB .. 512 GiB), so the PML5E cache keeps size 3 and sees VA[47:39]
  // as zero in lookups, fills and invalidations alike.
  logic [3:0]  pwc_hit;
  logic [3:0]  pwc_touch;
  logic [3:0]  pwc_fill, pwc_fill_want;
  logic [4*pagoda_pkg::PayloadBits-1:0] pwc_data_flat;  // four payload_t, PDE lowest
  pagoda_pkg::payload_t pwc_data0, pwc_data1, pwc_data2, pwc_data3;
  assign pwc_data0 = pwc_data_flat[0 +: pagoda_pkg::PayloadBits];
  assign pwc_data1 = pwc_data_flat[pagoda_pkg::PayloadBits +: pagoda_pkg::PayloadBits];
  assign pwc_data2 = pwc_data_flat[2 * pagoda_pkg::PayloadBits +: pagoda_pkg::PayloadBits];
  assign pwc_data3 = pwc_data_flat[3 * pagoda_pkg::PayloadBits +: pagoda_pkg::PayloadBits];
  logic [3:0]  walk_pwc_valid;
  logic [4*pagoda_pkg::PayloadBits-1:0] walk_pwc_data;
  logic [4*pagoda_pkg::PfnBits-1:0] walk_pwc_gpfn;
  // With EPT, a walk-cache entry's payload holds the next table's host
  // frame; its guest frame (for an exit's address) is kept beside it.
  logic [PfnBits-1:0] pwc_gpfn [4];
  logic [VpnBits-1:0] s1_vpn_pml5;  // VA[56:48], the rest zero
  assign s1_vpn_pml5 = {s1_vpn[VpnBits-1:36], 36'b0};
  pagoda_pkg::inval_t inv_pwc5_req;
  always_comb begin
    inv_pwc5_req = inv_pwc_req;
    inv_pwc5_req.vpn = {inv_pwc_req.vpn[VpnBits-1:36], 36'b0};
  end

  for (genvar k = 0; k < 4; k++) begin : g_pwc
    localparam int unsigned Entries = (k == 0) ? PwcPdeEntries :
                                      (k == 1) ? PwcPdpteEntries :
                                      (k == 2) ? PwcPml4eEntries : PwcPml5eEntries;
    localparam logic [1:0] Size = (k == 3) ? 2'd3 : 2'(k + 1);
    localparam int unsigned WW = $clog2(Entries);
    logic [WW-1:0] way;
    logic [1:0]    size_unused;
    logic [WW:0]   count_unused;
    logic [WW-1:0] fill_way;
    logic [PfnBits-1:0] gpfn_q [Entries];
    pg_cam #(.NumEntries(Entries)) u_pwc (
      .clk_i, .rst_ni,
      .lk_valid_i(lk_pwc), .lk_vpn_i(k == 3 ? s1_vpn_pml5 : s1_vpn), .lk_pcid_i(pcid),
      .lk_vm_i(vm),
      .lk_hit_o(pwc_hit[k]), .lk_way_o(way), .lk_size_o(size_unused),
      .lk_data_o(pwc_data_flat[k*pagoda_pkg::PayloadBits +: pagoda_pkg::PayloadBits]),
      .touch_i(pwc_touch[k]), .touch_way_i(way),
      .fill_i(pwc_fill[k]), .fill_vpn_i(k == 3 ? s1_vpn_pml5 : s1_vpn), .fill_size_i(Size),
      .fill_pcid_i(pcid), .fill_vm_i(vm), .fill_global_i(1'b0),
      .fill_data_i(walk_pwc_data[k*pagoda_pkg::PayloadBits +: pagoda_pkg::PayloadBits]),
      .fill_way_o(fill_way),
      .inv_i(inv_pwc), .inv_req_i(k == 3 ? inv_pwc5_req : inv_pwc_req),
      .num_valid_o(count_unused)
    );
    always_ff @(posedge clk_i) begin
      if (pwc_fill[k]) gpfn_q[fill_way] <= walk_pwc_gpfn[k*PfnBits +: PfnBits];
    end
    assign pwc_gpfn[k] = gpfn_q[way];
  end

  // ---- walker --------------------------------------------------------------------
  logic        wk_req_valid, wk_req_we, wk_ev_read, wk_ev_write;
  logic [PaBits-1:0] wk_req_addr;
  logic [pagoda_pkg::LineBits-1:0] wk_req_wdata;
  logic [pagoda_pkg::LineBytes-1:0] wk_req_mask;

  // Start from the deepest walk-cache hit. With EPT its payload names the
  // table's host frame (and EPT rights) and pwc_gpfn its guest frame; the
  // CR3 table's host frame the walker finds out itself.
  logic        walk_host_known;
  logic [PfnBits-1:0] walk_host;
  logic [2:0]  walk_trwx;
  always_comb begin
    walk_level = la57_q ? 3'd5 : 3'd4;  // CR3 names a PML5 or a PML4 table
    walk_table = cr3_q[PaBits-1:12];
    walk_w = 1'b1;
    walk_u = 1'b1;
    walk_xd = 1'b0;
    walk_host_known = 1'b0;
    walk_host = '0;
    walk_trwx = '0;
    if (pwc_hit[0]) begin
      walk_level = 3'd1;
      walk_table = ept_q ? pwc_gpfn[0] : pwc_data0.pfn;
      walk_w = pwc_data0.w; walk_u = pwc_data0.u; walk_xd = pwc_data0.xd;
      walk_host = pwc_data0.pfn; walk_trwx = pwc_data0.ept_rwx;
    end else if (pwc_hit[1]) begin
      walk_level = 3'd2;
      walk_table = ept_q ? pwc_gpfn[1] : pwc_data1.pfn;
      walk_w = pwc_data1.w; walk_u = pwc_data1.u; walk_xd = pwc_data1.xd;
      walk_host = pwc_data1.pfn; walk_trwx = pwc_data1.ept_rwx;
    end else if (pwc_hit[2]) begin
      walk_level = 3'd3;
      walk_table = ept_q ? pwc_gpfn[2] : pwc_data2.pfn;
      walk_w = pwc_data2.w; walk_u = pwc_data2.u; walk_xd = pwc_data2.xd;
      walk_host = pwc_data2.pfn; walk_trwx = pwc_data2.ept_rwx;
    end else if (pwc_hit[3]) begin
      walk_level = 3'd4;
      walk_table = ept_q ? pwc_gpfn[3] : pwc_data3.pfn;
      walk_w = pwc_data3.w; walk_u = pwc_data3.u; walk_xd = pwc_data3.xd;
      walk_host = pwc_data3.pfn; walk_trwx = pwc_data3.ept_rwx;
    end
    walk_host_known = |pwc_hit;
  end

  // The EPT walker, asked by the walker.
  logic        x_start, x_done, x_busy, x_dirty, x_req_valid, x_req_we, x_ev_read, x_ev_write;
  logic [PaBits-1:0] x_req_addr;
  logic [PfnBits-1:0] x_gfn, x_hfn;
  logic [2:0]  x_need, x_rwx, x_level;
  pagoda_pkg::ept_status_e x_status;
  logic [pagoda_pkg::LineBits-1:0] x_req_wdata;
  logic [pagoda_pkg::LineBytes-1:0] x_req_mask;
  pg_ept_walker u_ept_walker (
    .clk_i, .rst_ni,
    .start_i(x_start), .busy_o(x_busy), .st_eptp_i(eptp_q), .st_gfn_i(x_gfn), .st_need_i(x_need),
    .done_o(x_done), .res_status_o(x_status), .res_hfn_o(x_hfn), .res_rwx_o(x_rwx),
    .res_level_o(x_level), .res_dirty_o(x_dirty),
    .mem_req_valid_o(x_req_valid), .mem_req_ready_i(mem_req_ready_i),
    .mem_req_we_o(x_req_we), .mem_req_addr_o(x_req_addr),
    .mem_req_wdata_o(x_req_wdata), .mem_req_mask_o(x_req_mask),
    .mem_rsp_valid_i(mem_rsp_valid_i && mem_rsp_id_i == WalkerId && x_busy),
    .mem_rsp_rdata_i(mem_rsp_rdata_i),
    .ev_read_o(x_ev_read), .ev_write_o(x_ev_write)
  );

  // The CPU's walks: never denied beyond the tables, always to the leaf.
  logic        walk_is_leaf_unused;
  logic [pagoda_pkg::PaBits-1:0] walk_ea_unused;
  logic [63:0] walk_entry_unused;

  pg_walker u_walker (
    .clk_i, .rst_ni,
    .start_i(walk_start), .busy_o(walk_busy),
    .st_vpn_i(s1_vpn), .st_op_i(s1_op_q), .st_user_i(s1_user_q), .st_ac_i(s1_ac_q),
    .st_ctl_i(rctl), .st_pge_i(pge_q), .st_level_i(walk_level), .st_table_i(walk_table),
    .st_w_i(walk_w), .st_u_i(walk_u), .st_xd_i(walk_xd), .st_deny_i(1'b0), .st_one_i(1'b0),
    .st_ept_i(ept_q), .st_ept_ad_i(eptp_q[pagoda_pkg::EptpAd]),
    .st_host_known_i(walk_host_known), .st_host_i(walk_host), .st_table_rwx_i(walk_trwx),
    .x_start_o(x_start), .x_gfn_o(x_gfn), .x_need_o(x_need), .x_done_i(x_done),
    .x_status_i(x_status), .x_hfn_i(x_hfn), .x_rwx_i(x_rwx), .x_level_i(x_level),
    .x_dirty_i(x_dirty),
    .done_o(walk_done), .res_status_o(walk_status), .res_kind_o(walk_kind),
    .res_gpa_o(walk_gpa), .res_qual_o(walk_qual),
    .res_level_o(walk_res_level), .res_err_o(walk_err), .res_size_o(walk_size),
    .res_global_o(walk_global), .res_leaf_o(walk_leaf), .res_is_leaf_o(walk_is_leaf_unused),
    .res_ea_o(walk_ea_unused), .res_entry_o(walk_entry_unused),
    .pwc_valid_o(walk_pwc_valid), .pwc_data_o(walk_pwc_data), .pwc_gpfn_o(walk_pwc_gpfn),
    .mem_req_valid_o(wk_req_valid), .mem_req_ready_i(mem_req_ready_i),
    .mem_req_we_o(wk_req_we), .mem_req_addr_o(wk_req_addr),
    .mem_req_wdata_o(wk_req_wdata), .mem_req_mask_o(wk_req_mask),
    .mem_rsp_valid_i(mem_rsp_valid_i && mem_rsp_id_i == WalkerId && !x_busy),
    .mem_rsp_rdata_i(mem_rsp_rdata_i),
    .ev_read_o(wk_ev_read), .ev_write_o(wk_ev_write)
  );

  // ---- completion queue ------------------------------------------------------------
  logic [NumSlots-1:0] q_valid_q, q_wait_q;
  pagoda_pkg::status_e  q_status_q [NumSlots];
  logic        q_pa_valid_q [NumSlots];
  logic [PaBits-1:0] q_pa_q [NumSlots];
  logic [63:0] q_data_q [NumSlots];
  logic [pagoda_pkg::ErrBits-1:0] q_err_q [NumSlots];
  pagoda_pkg::pf_kind_e q_kind_q [NumSlots];
  logic [2:0]  q_level_q [NumSlots];
  logic [2:0]  q_source_q [NumSlots];
  logic [pagoda_pkg::QualBits-1:0] q_qual_q [NumSlots];
  logic [PaBits-1:0] q_gpa_q [NumSlots];
  logic [1:0]  q_size_q [NumSlots];
  logic [SlotW-1:0] q_head_q, q_tail_q;
  logic        q_full;
  assign q_full = q_valid_q[q_tail_q];

  // ---- the translation stage's decision for this cycle ------------------------------------
  // xl_*: a translation that completes now and enters the queue.
  logic        xl_fin;   // completes now if the bus takes its memory access
  logic        xl_done;  // completes now
  pagoda_pkg::status_e xl_status;
  logic [PaBits-1:0] xl_pa;
  logic        xl_pa_valid;
  logic [pagoda_pkg::ErrBits-1:0] xl_err;
  pagoda_pkg::pf_kind_e xl_kind;
  logic [2:0]  xl_level;
  logic [2:0]  xl_source;
  logic [pagoda_pkg::QualBits-1:0] xl_qual;
  logic [PaBits-1:0] xl_gpa;
  logic        xl_mem;  // the access goes to memory now
  logic        can_complete;

  logic [PaBits-1:0] l1_pa, l2_pa, walk_pa;
  assign l1_pa   = pagoda_pkg::make_pa(l1_data.pfn, l1_size, s1_va_q[PaBits-1:0]);
  assign l2_pa   = pagoda_pkg::make_pa(l2_data.pfn, l2_size, s1_va_q[PaBits-1:0]);
  assign walk_pa = pagoda_pkg::make_pa(walk_leaf.pfn, walk_size, s1_va_q[PaBits-1:0]);

  // Event pulses for the counters.
  logic ev_itlb_hit, ev_itlb_miss, ev_dtlb_hit, ev_dtlb_miss, ev_l2_hit, ev_l2_miss, ev_walk;
  logic ev_l2_hit_want;
  logic ev_gp, ev_bus, ev_pf, ev_ept, ev_eptmc;
  logic [3:0] ev_pwc_hit;  // index as pwc_hit

  // The pending control write or invalidation.
  logic        pend_valid_q;
  pagoda_pkg::ctl_kind_e pend_kind_q;
  logic [pagoda_pkg::CtlFieldBits-1:0] pend_field_q;
  logic [15:0] pend_pcid_q;
  logic [63:0] pend_value_q;
  logic        pend_apply;
  assign pend_apply = pend_valid_q && !s1_valid_q;
  // The L2 is probed for a lookup (ML2), a fill (MFinish) or an invalidation.
  assign lk_l2 = (s1_valid_q && (mstate_q == ML2 || mstate_q == MFinish)) || pend_apply;

  // The L2 is probed at the access's address, or at the address of a pending
  // INVLPG / INVPCID type 0 being applied.
  assign l2_probe_vpn = (pend_apply && (pend_kind_q == pagoda_pkg::CtlKindInvlpg ||
                                        (pend_kind_q == pagoda_pkg::CtlKindInvpcid && pend_field_q[1:0] == 2'd0) ||
                                        (pend_kind_q == pagoda_pkg::CtlKindInvvpid && pend_field_q[1:0] == 2'd0)))
                        ? pend_value_q[VaBits-1:12] : s1_vpn;

  // Every invalidation request the stage can make, as continuous assignments
  // (Yosys 0.23 infers a latch for a function called conditionally in an
  // always_comb), selected below.
  // Every one a guest's own instruction makes acts on its VPID alone (SDM
  // 28.4.3.1); INVEPT and INVVPID name theirs.
  pagoda_pkg::inval_t req_fault, req_cr3, req_invlpg, req_invpcid0, req_invpcid1, req_nonglobal;
  pagoda_pkg::inval_t req_pwc_cur, req_pwc_given, req_vpid_all;
  pagoda_pkg::inval_t req_invept1, req_invept2, req_invvpid0, req_invvpid1, req_invvpid3;
  pagoda_pkg::inval_t req_invvpid2;
  assign req_fault     = pagoda_pkg::make_inval(1'b1, s1_vpn, 1'b1, pcid, 1'b0, 1'b1, 1'b1, vpid_q);
  assign req_cr3       = pagoda_pkg::make_inval(1'b0, '0, pcide_q, pend_value_q[11:0], 1'b1, 1'b0,
                                                1'b1, vpid_q);
  assign req_invlpg    = pagoda_pkg::make_inval(1'b1, pend_value_q[VaBits-1:12], 1'b1, pcid, 1'b0,
                                                1'b1, 1'b1, vpid_q);
  assign req_invpcid0  = pagoda_pkg::make_inval(1'b1, pend_value_q[VaBits-1:12], 1'b1,
                                                pend_pcid_q[11:0], 1'b1, 1'b0, 1'b1, vpid_q);
  assign req_invpcid1  = pagoda_pkg::make_inval(1'b0, '0, 1'b1, pend_pcid_q[11:0], 1'b1, 1'b0,
                                                1'b1, vpid_q);
  assign req_nonglobal = pagoda_pkg::make_inval(1'b0, '0, 1'b0, '0, 1'b1, 1'b0, 1'b1, vpid_q);
  assign req_vpid_all  = pagoda_pkg::make_inval(1'b0, '0, 1'b0, '0, 1'b0, 1'b0, 1'b1, vpid_q);
  assign req_pwc_cur   = pagoda_pkg::make_inval(1'b0, '0, 1'b1, pcid, 1'b0, 1'b0, 1'b1, vpid_q);
  assign req_pwc_given = pagoda_pkg::make_inval(1'b0, '0, 1'b1, pend_pcid_q[11:0], 1'b0, 1'b0,
                                                1'b1, vpid_q);
  assign req_invept1   = pagoda_pkg::make_inval_ept(1'b0, pend_value_q[51:12]);
  assign req_invept2   = pagoda_pkg::make_inval_ept(1'b1, '0);
  assign req_invvpid0  = pagoda_pkg::make_inval(1'b1, pend_value_q[VaBits-1:12], 1'b0, '0, 1'b0,
                                                1'b0, 1'b1, pend_pcid_q);
  assign req_invvpid1  = pagoda_pkg::make_inval(1'b0, '0, 1'b0, '0, 1'b0, 1'b0, 1'b1, pend_pcid_q);
  assign req_invvpid3  = pagoda_pkg::make_inval(1'b0, '0, 1'b0, '0, 1'b1, 1'b0, 1'b1, pend_pcid_q);
  assign req_invvpid2  = pagoda_pkg::make_inval_guests();

  logic s1_accept;
  assign req_ready_o = !pend_valid_q && (!s1_valid_q || xl_done);
  assign s1_accept   = req_valid_i && req_ready_o;
  assign ctl_ready_o  = !pend_valid_q;

  always_comb begin
    mstate_n = mstate_q;
    xl_fin = 1'b0;
    xl_status = pagoda_pkg::StatusOk;
    xl_pa = '0;
    xl_pa_valid = 1'b0;
    xl_err = '0;
    xl_kind = pagoda_pkg::PfNone;
    xl_level = '0;
    xl_source = '0;
    xl_qual = '0;
    xl_gpa = '0;
    xl_mem = 1'b0;
    l1_touch_want = 1'b0;
    l1_fill_want = 1'b0;
    l1_fill_size = walk_size;
    l1_fill_global = walk_global;
    l1_fill_data = walk_leaf;
    l2_touch_want = 1'b0;
    l2_fill_want = 1'b0;
    pwc_touch = '0;
    pwc_fill_want = '0;
    walk_start = 1'b0;
    inv_tlb = 1'b0;
    inv_pwc = 1'b0;
    inv_tlb_req = '0;
    inv_pwc_req = '0;
    ev_itlb_hit = 1'b0; ev_itlb_miss = 1'b0; ev_dtlb_hit = 1'b0; ev_dtlb_miss = 1'b0;
    ev_l2_hit_want = 1'b0; ev_l2_miss = 1'b0; ev_walk = 1'b0; ev_pwc_hit = '0;
    ev_gp = 1'b0; ev_bus = 1'b0; ev_pf = 1'b0; ev_ept = 1'b0; ev_eptmc = 1'b0;
    can_complete = !q_full;

    if (s1_valid_q) begin
      unique case (mstate_q)
        MLookup: begin
          if (!s1_canonical) begin
            if (can_complete) begin
              xl_fin = 1'b1;
              xl_status = pagoda_pkg::StatusGp;
              ev_gp = 1'b1;
            end
          end else begin
            if (!s1_counted_q) begin
              ev_itlb_hit  = s1_fetch && l1_usable;
              ev_itlb_miss = s1_fetch && !l1_usable;
              ev_dtlb_hit  = !s1_fetch && l1_usable;
              ev_dtlb_miss = !s1_fetch && !l1_usable;
            end
            if (!l1_usable) begin
              mstate_n = ML2;
            end else begin
              xl_pa = l1_pa;
              xl_source = 3'b001;
              if (can_complete) begin
                xl_fin = 1'b1;
                l1_touch_want = 1'b1;
              end
            end
          end
        end
        ML2: begin
          if (l2_hit) begin
            xl_pa = l2_pa;
            xl_source = 3'b010;
            if (can_complete) begin
              xl_fin = 1'b1;
              ev_l2_hit_want = 1'b1;
              l2_touch_want = 1'b1;
              l1_fill_want = 1'b1;
              l1_fill_size = l2_size;
              l1_fill_global = l2_global;
              l1_fill_data = l2_data;
            end
          end else begin
            ev_l2_miss = 1'b1;
            ev_walk = 1'b1;
            walk_start = 1'b1;
            pwc_touch = pwc_hit[0] ? 4'b0001 : pwc_hit[1] ? 4'b0010 :
                        pwc_hit[2] ? 4'b0100 : pwc_hit[3] ? 4'b1000 : 4'b0000;
            ev_pwc_hit = pwc_touch;
            mstate_n = MWalk;
          end
        end
        MWalk: begin
          if (walk_done) mstate_n = MFinish;
        end
        MFinish: begin
          xl_source = 3'b100;
          unique case (walk_status)
            pagoda_pkg::StatusOk: begin
              xl_pa = walk_pa;
              if (can_complete) begin
                xl_fin = 1'b1;
                pwc_fill_want = walk_pwc_valid;
                l2_fill_want = 1'b1;
                l1_fill_want = 1'b1;
              end
            end
            pagoda_pkg::StatusPf: begin
              if (can_complete) begin
                xl_fin = 1'b1;
                xl_status = pagoda_pkg::StatusPf;
                xl_err = walk_err;
                xl_kind = walk_kind;
                xl_level = walk_res_level;
                ev_pf = 1'b1;
                // SDM 4.10.4.1: drop what would be used for this address.
                inv_tlb = 1'b1;
                inv_pwc = 1'b1;
                inv_tlb_req = req_fault;
                inv_pwc_req = req_fault;
              end
            end
            pagoda_pkg::StatusEpt, pagoda_pkg::StatusEptMc: begin
              // A VM exit: nothing cached or dropped, CR2 kept.
              if (can_complete) begin
                xl_fin = 1'b1;
                xl_status = walk_status;
                xl_qual = walk_status == pagoda_pkg::StatusEpt ? walk_qual : '0;
                xl_gpa = walk_gpa | (walk_qual[8] ? PaBits'(s1_va_q[11:0]) : '0);
                ev_ept = walk_status == pagoda_pkg::StatusEpt;
                ev_eptmc = walk_status == pagoda_pkg::StatusEptMc;
              end
            end
            default: begin  // a table read left RAM
              if (can_complete) begin
                xl_fin = 1'b1;
                xl_status = pagoda_pkg::StatusBus;
                ev_bus = 1'b1;
              end
            end
          endcase
        end
        default: mstate_n = MLookup;
      endcase

      // A translation that reached a physical address goes to the system bus;
      // its decoder answers what is not RAM (a device register or a bus error).
      if (xl_fin && xl_status == pagoda_pkg::StatusOk) begin
        xl_pa_valid = 1'b1;
        xl_mem = 1'b1;
      end
    end else if (pend_apply) begin
      // Apply the pending control write or invalidation (no access in S1).
      unique case (pend_kind_q)
        pagoda_pkg::CtlKindWrite: begin
          if (pend_field_q == pagoda_pkg::CtlCr3 &&
              !(pcide_q && pend_value_q[63])) begin
            inv_tlb = 1'b1;
            inv_pwc = 1'b1;
            inv_tlb_req = req_cr3;
            inv_pwc_req = req_cr3;
          end
          if ((pend_field_q == pagoda_pkg::CtlPge && pge_q != pend_value_q[0]) ||
              (pend_field_q == pagoda_pkg::CtlPcide && pcide_q != pend_value_q[0]) ||
              (pend_field_q == pagoda_pkg::CtlLa57 && la57_q != pend_value_q[0])) begin
            inv_tlb = 1'b1;  // every entry of the current VPID
            inv_pwc = 1'b1;
            inv_tlb_req = req_vpid_all;
            inv_pwc_req = req_vpid_all;
          end
        end
        pagoda_pkg::CtlKindInvlpg: begin
          if (pend_canonical) begin
            inv_tlb = 1'b1;
            inv_pwc = 1'b1;
            inv_tlb_req = req_invlpg;
            inv_pwc_req = req_pwc_cur;
          end
        end
        pagoda_pkg::CtlKindInvept: begin  // type 1 or 2 (the trace's parser allows no other)
          inv_tlb = 1'b1;
          inv_pwc = 1'b1;
          inv_tlb_req = pend_field_q[1:0] == 2'd1 ? req_invept1 : req_invept2;
          inv_pwc_req = inv_tlb_req;
        end
        pagoda_pkg::CtlKindInvvpid: begin
          // VPID 0 fails with types 0, 1 and 3, a non-canonical address
          // with type 0: nothing invalidated.
          inv_tlb = (pend_field_q[1:0] == 2'd2 || pend_pcid_q != '0) &&
                    (pend_field_q[1:0] != 2'd0 || pend_canonical);
          inv_pwc = inv_tlb;
          unique case (pend_field_q[1:0])
            2'd0: begin
              inv_tlb_req = req_invvpid0;
              inv_pwc_req = req_invvpid1;
            end
            2'd1: begin
              inv_tlb_req = req_invvpid1;
              inv_pwc_req = req_invvpid1;
            end
            2'd2: begin
              inv_tlb_req = req_invvpid2;
              inv_pwc_req = req_invvpid2;
            end
            default: begin
              inv_tlb_req = req_invvpid3;
              inv_pwc_req = req_invvpid1;
            end
          endcase
        end
        default: begin  // CtlKindInvpcid
          inv_tlb = 1'b1;
          inv_pwc = 1'b1;
          unique case (pend_field_q[1:0])
            2'd0: begin  // a non-canonical address: #GP, nothing invalidated
              inv_tlb = pend_canonical;
              inv_pwc = pend_canonical;
              inv_tlb_req = req_invpcid0;
              inv_pwc_req = req_pwc_given;
            end
            2'd1: begin
              inv_tlb_req = req_invpcid1;
              inv_pwc_req = req_pwc_given;
            end
            2'd2: begin  // every entry of the current VPID
              inv_tlb_req = req_vpid_all;
              inv_pwc_req = req_vpid_all;
            end
            default: begin
              inv_tlb_req = req_nonglobal;
              inv_pwc_req = req_vpid_all;
            end
          endcase
        end
      endcase
    end
  end

  // The stage offers its access to memory (xl_mem) from its own state alone;
  // it completes when the bus takes it, and so do its cache updates. Valid
  // never waits for ready: the bus's ready may depend on the request (its
  // kind, its target), so a valid that did would close a loop through it.
  logic xl_take;
  assign xl_take = !xl_mem || mem_req_ready_i;
  assign xl_done = xl_fin && xl_take;
  assign mstate_d = xl_done ? MLookup : mstate_n;
  assign l1_touch  = l1_touch_want && xl_take;
  assign l1_fill   = l1_fill_want && xl_take;
  assign l2_touch  = l2_touch_want && xl_take;
  assign l2_fill   = l2_fill_want && xl_take;
  assign pwc_fill  = pwc_fill_want & {4{xl_take}};
  assign ev_l2_hit = ev_l2_hit_want && xl_take;

  // ---- memory port ----------------------------------------------------------------------------
  logic [5:0]  s1_off;
  logic [2:0]  s1_bytes_log;
  logic [63:0] s1_byte_mask;
  assign s1_off = xl_pa[5:0];
  assign s1_bytes_log = {1'b0, s1_size_q};
  assign s1_byte_mask = ((64'd1 << (64'd1 << s1_bytes_log)) - 64'd1) << s1_off;

  always_comb begin
    if (x_busy) begin  // an EPT walk for the walker (which waits meanwhile)
      mem_req_valid_o = x_req_valid;
      mem_req_we_o    = x_req_we;
      mem_req_id_o    = WalkerId;
      mem_req_addr_o  = x_req_addr;
      mem_req_wdata_o = x_req_wdata;
      mem_req_mask_o  = x_req_mask;
    end else if (walk_busy) begin
      mem_req_valid_o = wk_req_valid;
      mem_req_we_o    = wk_req_we;
      mem_req_id_o    = WalkerId;
      mem_req_addr_o  = wk_req_addr;
      mem_req_wdata_o = wk_req_wdata;
      mem_req_mask_o  = wk_req_mask;
    end else begin
      mem_req_valid_o = xl_mem;
      mem_req_we_o    = s1_op_q == pagoda_pkg::OpStore;
      mem_req_id_o    = {1'b0, q_tail_q};
      mem_req_addr_o  = {xl_pa[PaBits-1:6], 6'b0};
      mem_req_wdata_o = {8{s1_wdata_q << {s1_off[2:0], 3'b000}}};
      mem_req_mask_o  = s1_byte_mask;
    end
  end

  assign xlat_valid_o = xl_done && xl_pa_valid;
  assign xlat_pa_o    = xl_pa;

  // ---- registers ------------------------------------------------------------------------------
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      mstate_q <= MLookup;
      s1_valid_q <= 1'b0;
      s1_counted_q <= 1'b0;
      pend_valid_q <= 1'b0;
      cr3_q <= '0;
      {wp_q, nxe_q, smep_q, smap_q, pcide_q, pge_q, pke_q, pks_q, la57_q} <= '0;
      ept_q <= 1'b0;
      eptp_q <= '0;
      vpid_q <= '0;
      pkru_q <= '0;
      pkrs_q <= '0;
      cr2_q <= '0;
    end else begin
      mstate_q <= mstate_d;
      if (s1_accept) begin
        s1_valid_q <= 1'b1;
        s1_counted_q <= 1'b0;
      end else if (xl_done) begin
        s1_valid_q <= 1'b0;
      end else if (s1_valid_q && mstate_q == MLookup) begin
        s1_counted_q <= 1'b1;
      end
      if (ctl_valid_i && ctl_ready_o) begin
        pend_valid_q <= 1'b1;
      end else if (pend_apply) begin
        pend_valid_q <= 1'b0;
        if (pend_kind_q == pagoda_pkg::CtlKindWrite) begin
          unique case (pend_field_q)
            pagoda_pkg::CtlCr3:   cr3_q <= pend_value_q[PaBits-1:0];
            pagoda_pkg::CtlWp:    wp_q <= pend_value_q[0];
            pagoda_pkg::CtlNxe:   nxe_q <= pend_value_q[0];
            pagoda_pkg::CtlSmep:  smep_q <= pend_value_q[0];
            pagoda_pkg::CtlSmap:  smap_q <= pend_value_q[0];
            pagoda_pkg::CtlPcide: pcide_q <= pend_value_q[0];
            pagoda_pkg::CtlPge:   pge_q <= pend_value_q[0];
            pagoda_pkg::CtlLa57:  la57_q <= pend_value_q[0];
            pagoda_pkg::CtlPke:   pke_q <= pend_value_q[0];
            pagoda_pkg::CtlPks:   pks_q <= pend_value_q[0];
            pagoda_pkg::CtlPkru:  pkru_q <= pend_value_q[31:0];
            pagoda_pkg::CtlPkrs:  pkrs_q <= pend_value_q[31:0];
            pagoda_pkg::CtlEpt:   ept_q <= pend_value_q[0];
            pagoda_pkg::CtlEptp:  eptp_q <= pend_value_q;
            pagoda_pkg::CtlVpid:  vpid_q <= pend_value_q[pagoda_pkg::VpidBits-1:0];
            pagoda_pkg::CtlVmCr3: cr3_q <= pend_value_q[PaBits-1:0];  // no flush
            default: ;
          endcase
        end
      end
      if (xl_done && xl_status == pagoda_pkg::StatusPf) cr2_q <= s1_va_q;
    end
  end

  always_ff @(posedge clk_i) begin
    if (s1_accept) begin
      s1_op_q <= req_op_i;
      s1_user_q <= req_user_i;
      s1_ac_q <= req_ac_i;
      s1_size_q <= req_size_i;
      s1_va_q <= req_va_i;
      s1_wdata_q <= req_wdata_i;
    end
    if (ctl_valid_i && ctl_ready_o) begin
      pend_kind_q <= ctl_kind_i;
      pend_field_q <= ctl_field_i;
      pend_pcid_q <= ctl_pcid_i;
      pend_value_q <= ctl_value_i;
    end
  end

  // Queue: allocate at the tail when a translation completes, fill read data
  // by slot tag, retire at the head in order.
  logic q_retire;
  assign q_retire = q_valid_q[q_head_q] && !q_wait_q[q_head_q];

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      q_valid_q <= '0;
      q_wait_q <= '0;
      q_head_q <= '0;
      q_tail_q <= '0;
    end else begin
      if (q_retire) begin
        q_valid_q[q_head_q] <= 1'b0;
        q_head_q <= q_head_q + SlotW'(1);
      end
      if (mem_rsp_valid_i && mem_rsp_id_i != WalkerId) begin
        q_wait_q[mem_rsp_id_i[SlotW-1:0]] <= 1'b0;
      end
      if (xl_done) begin
        q_valid_q[q_tail_q] <= 1'b1;
        // RAM writes are posted; reads, and anything off RAM, are answered
        q_wait_q[q_tail_q] <= xl_mem && (s1_op_q != pagoda_pkg::OpStore ||
                                         !pagoda_pkg::is_ram(xl_pa));
        q_tail_q <= q_tail_q + SlotW'(1);
      end
    end
  end

  always_ff @(posedge clk_i) begin
    if (xl_done) begin
      q_status_q[q_tail_q] <= xl_status;
      q_pa_valid_q[q_tail_q] <= xl_pa_valid;
      q_pa_q[q_tail_q] <= xl_pa;
      q_data_q[q_tail_q] <= '0;
      q_err_q[q_tail_q] <= xl_err;
      q_kind_q[q_tail_q] <= xl_kind;
      q_level_q[q_tail_q] <= xl_level;
      q_source_q[q_tail_q] <= xl_source;
      q_qual_q[q_tail_q] <= xl_qual;
      q_gpa_q[q_tail_q] <= xl_gpa;
      q_size_q[q_tail_q] <= s1_size_q;
    end
    if (mem_rsp_valid_i && mem_rsp_id_i != WalkerId && mem_rsp_err_i) begin
      q_status_q[mem_rsp_id_i[SlotW-1:0]] <= pagoda_pkg::StatusBus;
    end
    if (mem_rsp_valid_i && mem_rsp_id_i != WalkerId) begin
      q_data_q[mem_rsp_id_i[SlotW-1:0]] <=
          mem_rsp_err_i ? 64'd0 : extract(mem_rsp_rdata_i, q_pa_q[mem_rsp_id_i[SlotW-1:0]][5:0],
                                          q_size_q[mem_rsp_id_i[SlotW-1:0]]);
    end
  end

  // SIZE (log2 bytes) bytes at byte OFF of a line, zero-extended.
  function automatic logic [63:0] extract(logic [pagoda_pkg::LineBits-1:0] line, logic [5:0] off,
                                          logic [1:0] size);
    logic [63:0] w;
    w = line[{off, 3'b000} +: 64];
    unique case (size)
      2'd0:    extract = {56'b0, w[7:0]};
      2'd1:    extract = {48'b0, w[15:0]};
      2'd2:    extract = {32'b0, w[31:0]};
      default: extract = w;
    endcase
  endfunction

  assign rsp_valid_o    = q_retire;
  assign rsp_status_o   = q_status_q[q_head_q];
  assign rsp_pa_valid_o = q_pa_valid_q[q_head_q];
  assign rsp_pa_o       = q_pa_q[q_head_q];
  assign rsp_data_o     = q_data_q[q_head_q];
  assign rsp_err_o      = q_err_q[q_head_q];
  assign rsp_pf_kind_o  = q_kind_q[q_head_q];
  assign rsp_pf_level_o = q_level_q[q_head_q];
  assign rsp_source_o   = q_source_q[q_head_q];
  assign rsp_qual_o     = q_qual_q[q_head_q];
  assign rsp_gpa_o      = q_gpa_q[q_head_q];

  // ---- counters (indices of sw/model/pg_counters.h) -------------------------------------------
  logic [63:0] cnt_q [NumCounters];
  logic [NumCounters-1:0] cnt_inc;
  always_comb begin
    cnt_inc = '0;
    cnt_inc[0]  = 1'b1;  // cycles
    cnt_inc[1]  = s1_accept && req_op_i == pagoda_pkg::OpLoad;
    cnt_inc[2]  = s1_accept && req_op_i == pagoda_pkg::OpStore;
    cnt_inc[3]  = s1_accept && req_op_i == pagoda_pkg::OpFetch;
    cnt_inc[4]  = ev_itlb_hit;
    cnt_inc[5]  = ev_itlb_miss;
    cnt_inc[6]  = ev_dtlb_hit;
    cnt_inc[7]  = ev_dtlb_miss;
    cnt_inc[8]  = ev_l2_hit;
    cnt_inc[9]  = ev_l2_miss;
    cnt_inc[10] = ev_walk;
    cnt_inc[11] = wk_ev_read;
    cnt_inc[12] = wk_ev_write || x_ev_write;  // guest and EPT A/D writes
    cnt_inc[13] = walk_busy;
    cnt_inc[14] = ev_pwc_hit[3];
    cnt_inc[15] = ev_pwc_hit[2];
    cnt_inc[16] = ev_pwc_hit[1];
    cnt_inc[17] = ev_pwc_hit[0];
    cnt_inc[18] = ev_pf && xl_kind == pagoda_pkg::PfNotPresent;
    cnt_inc[19] = ev_pf && xl_kind == pagoda_pkg::PfReserved;
    cnt_inc[20] = ev_pf && xl_kind == pagoda_pkg::PfUser;
    cnt_inc[21] = ev_pf && xl_kind == pagoda_pkg::PfWrite;
    cnt_inc[22] = ev_pf && xl_kind == pagoda_pkg::PfNx;
    cnt_inc[23] = ev_pf && xl_kind == pagoda_pkg::PfSmep;
    cnt_inc[24] = ev_pf && xl_kind == pagoda_pkg::PfSmap;
    cnt_inc[25] = ev_pf && xl_kind == pagoda_pkg::PfPk;
    cnt_inc[26] = ev_gp;
    cnt_inc[27] = ev_bus || (mem_rsp_valid_i && mem_rsp_err_i && mem_rsp_id_i != WalkerId);
    // the system's counters 41..44 (sw/model/pg_counters.h)
    cnt_inc[28] = x_start;    // ept_walks
    cnt_inc[29] = x_ev_read;  // ept_reads
    cnt_inc[30] = ev_ept;     // ept_violations
    cnt_inc[31] = ev_eptmc;   // ept_misconfigs
  end

  for (genvar c = 0; c < NumCounters; c++) begin : g_cnt
    always_ff @(posedge clk_i or negedge rst_ni) begin
      if (!rst_ni) begin
        cnt_q[c] <= '0;
      end else if (cnt_inc[c]) begin
        cnt_q[c] <= cnt_q[c] + 64'd1;
      end
    end
  end

  // The first 28 are the system's 0..27; the EPT ones are the system's
  // 41..44 (after the DRAM controller's and the devices').
  localparam int unsigned EptCntFirst = 41;
  assign cnt_o = (32'(cnt_sel_i) < NumCounters - 4) ? cnt_q[cnt_sel_i[4:0]] :
                 (32'(cnt_sel_i) >= EptCntFirst && 32'(cnt_sel_i) < EptCntFirst + 4)
                     ? cnt_q[5'(32'(cnt_sel_i) - EptCntFirst + NumCounters - 4)] : 64'd0;

  // ---- Assertions -----------------------------------------------------------
  `ASSERT_INIT(slots_pow2, NumSlots >= 2 && (NumSlots & (NumSlots - 1)) == 0)
  // The CPU port and the control port follow valid/ready (the testbench's
  // side), and so does the memory port (the MMU's).
  `ASSERT_HOLD(req_hold, req_valid_i, req_ready_o,
               {req_op_i, req_user_i, req_ac_i, req_size_i, req_va_i, req_wdata_i})
  `ASSERT_HOLD(ctl_hold, ctl_valid_i, ctl_ready_o, {ctl_kind_i, ctl_field_i, ctl_pcid_i, ctl_value_i})
  `ASSERT_HOLD(mem_req_hold, mem_req_valid_o, mem_req_ready_i,
               {mem_req_we_o, mem_req_id_o, mem_req_addr_o, mem_req_wdata_o, mem_req_mask_o})
  `ASSERT_IF(walker_only_when_walking, walk_busy, mstate_q == MWalk || mstate_q == MFinish)
  // The EPT walker works only for the walker, and only in a guest with EPT.
  `ASSERT_IF(ept_walk_for_walker, x_busy, walk_busy && ept_q)
  `ASSERT_NEVER(both_walkers_request, x_req_valid && wk_req_valid)
  `ASSERT_IF(walk_start_in_l2, walk_start, mstate_q == ML2 && !walk_busy)
  `ASSERT_IF(no_overflow, xl_done, !q_full)
  // Control writes and invalidations apply only with no access in flight in
  // the stage: a walk keeps the context it started with.
  `ASSERT_IF(pend_when_empty, pend_apply, !s1_valid_q && !walk_busy)
  // A walk cache hit starts the walk below the top: never a PML5E hit in
  // 4-level mode (a mode change flushes every walk cache).
  `ASSERT_IF(pml5e_only_la57, lk_pwc && pwc_hit[3], la57_q)
  // A cache is filled, touched or invalidated one way at a time.
  `ASSERT_NEVER(update_and_inval, (l1_fill || l1_touch || l2_fill || l2_touch) && inv_tlb)
  // Read data comes back only to a slot that waits for it.
  `ASSERT_IF(rsp_to_waiting_slot, mem_rsp_valid_i && mem_rsp_id_i != WalkerId, 
                               q_valid_q[mem_rsp_id_i[SlotW-1:0]] &&
                               q_wait_q[mem_rsp_id_i[SlotW-1:0]])
  // A response leaves only with its answer; faults and #GP never go to memory.
  `ASSERT_IF(retire_answered, rsp_valid_o, q_valid_q[q_head_q] && !q_wait_q[q_head_q])
  `ASSERT_IF(mem_only_ok, xl_mem, xl_status == pagoda_pkg::StatusOk && xl_pa_valid)

  // A store that finds a clean TLB entry: a miss, so it walks again to set D.
  `COVER(c_store_clean_l1, s1_valid_q && mstate_q == MLookup && l1_hit &&
                           s1_op_q == pagoda_pkg::OpStore && !l1_data.dirty)
  `COVER(c_inval_during_walk, ctl_valid_i && ctl_ready_o && mstate_q == MWalk)
  `COVER(c_l2_hit, ev_l2_hit)
  `COVER(c_pwc_pde, ev_pwc_hit[0])
  `COVER(c_pwc_pdpte, ev_pwc_hit[1])
  `COVER(c_pwc_pml4e, ev_pwc_hit[2])
  `COVER(c_pwc_pml5e, ev_pwc_hit[3])
  `COVER(c_pk_fault, ev_pf && xl_kind == pagoda_pkg::PfPk)
  `COVER(c_pk_hit_denied, lk_l1 && l1_hit && !l1_usable &&
                          pagoda_pkg::key_denies(s1_op_q, s1_user_q, wp_q, pke_q, pks_q, pkru_q,
                                                 pkrs_q, l1_data.u, l1_data.pkey))
  `COVER(c_gp, ev_gp)
  `COVER(c_ept_violation, ev_ept)
  `COVER(c_ept_misconfig, ev_eptmc)
  `COVER(c_combined_l1_denied, lk_l1 && l1_hit && ept_q &&
                               !l1_data.ept_rwx[pagoda_pkg::ept_need_bit(s1_op_q)])
  `COVER(c_invvpid, pend_apply && pend_kind_q == pagoda_pkg::CtlKindInvvpid)
  `COVER(c_invept, pend_apply && pend_kind_q == pagoda_pkg::CtlKindInvept)
  `COVER(c_walk_bus_error, ev_bus)
  `COVER(c_mem_bus_error, mem_rsp_valid_i && mem_rsp_err_i)
  `COVER(c_queue_full, s1_valid_q && q_full)
  `COVER(c_mem_backpressure, mem_req_valid_o && !mem_req_ready_i && !walk_busy)
  `COVER(c_cr3_no_flush, pend_apply && pend_kind_q == pagoda_pkg::CtlKindWrite && pend_field_q == pagoda_pkg::CtlCr3 &&
                         pcide_q && pend_value_q[63])
  `COVER(c_invpcid_each, pend_apply && pend_kind_q == pagoda_pkg::CtlKindInvpcid && pend_field_q[1:0] == 2'd3)

endmodule
