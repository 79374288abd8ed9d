// SPDX-License-Identifier: MIT
// pg_iommu — the IOMMU of SPEC 4, and its translation path: a device-table
// cache (pg_iommu_dtc), an IOTLB tagged by domain (pg_cam), a page walker
// (a second pg_walker: the CPU's stays the MMU's own, so a DMA walk never
// waits behind a CPU miss) and the FSM that runs nested walks. The other
// jobs are blocks of their own: the registers and counters
// (pg_iommu_regs), the fault logger (pg_iommu_flog) and the command
// processor (pg_iommu_cmdq). The rules the SPEC leaves open are stated in
// sw/model/pg_iommu.h; this is that model step for step.
//
// Two requesters (the DMA engines) ask for one translation at a time each.
// The fast path answers in the cycle after the request is taken, from the
// device-table cache and an IOTLB hit (or with TE=0, untranslated). Anything
// else — a cache miss, a fault to log — goes through the FSM. Commands run
// while no translation is under way. All memory traffic (the device table,
// walks, A/D writes, fault records, commands, WAIT) leaves through one line
// port, one request outstanding.
`include "pg_assert.svh"

module pg_iommu #(
  parameter int unsigned IotlbEntries = 32,
  parameter int unsigned DtcEntries = 8,
  parameter logic [15:0] Rid0 = 16'h0008,  // requester 0: the NIC's engine
  parameter logic [15:0] Rid1 = 16'h0010,  // requester 1: the disk's engine
  localparam int unsigned PaBits = pagoda_pkg::PaBits,
  localparam int unsigned LineBits = pagoda_pkg::LineBits,
  localparam int unsigned LineBytes = pagoda_pkg::LineBytes
) (
  input  logic clk_i,
  input  logic rst_ni,

  // registers (the register bus, this window selected)
  input  logic        reg_valid_i,
  input  logic        reg_we_i,
  input  logic [11:0] reg_offset_i,
  input  logic [63:0] reg_wdata_i,
  output logic [63:0] reg_rdata_o,
  output logic        reg_err_o,

  // translations: requester k asks with tr_valid_i[k] until tr_ready_o[k];
  // the answer comes with tr_done_o[k] (IoOk: tr_pa_o is the address)
  input  logic [1:0]             tr_valid_i,
  output logic [1:0]             tr_ready_o,
  input  logic [1:0]             tr_write_i,
  input  logic [63:0]            tr_iova0_i,
  input  logic [63:0]            tr_iova1_i,
  output logic [1:0]             tr_done_o,
  output pagoda_pkg::io_reason_e tr_reason_o,
  output logic [PaBits-1:0]      tr_pa_o,

  // memory: 64-byte lines, reads answered in order (one outstanding)
  output logic                 mem_req_valid_o,
  input  logic                 mem_req_ready_i,
  output logic                 mem_req_we_o,
  output logic [PaBits-1:0]    mem_req_addr_o,
  output logic [LineBits-1:0]  mem_req_wdata_o,
  output logic [LineBytes-1:0] mem_req_mask_o,
  input  logic                 mem_rsp_valid_i,
  input  logic [LineBits-1:0]  mem_rsp_rdata_i,

  output logic        busy_o,
  // counters: 0 IOTLB hits, 1 misses, 2 walks, 3 faults, 4 dropped records
  input  logic [2:0]  cnt_sel_i,
  output logic [63:0] cnt_o
);

  localparam int unsigned VaBits = pagoda_pkg::VaBits;
  localparam int unsigned VpnBits = pagoda_pkg::VpnBits;

  localparam int unsigned PfnBits = pagoda_pkg::PfnBits;
  localparam int unsigned IotlbW = $clog2(IotlbEntries);

  // ---- the translation's state, grouped (nest, fault and answer: io_*_t in pagoda_pkg) ---------
  typedef struct packed {
    logic        sel;   // requester
    logic [15:0] rid;
    logic [63:0] iova;
    logic        wr;
  } req_t;
  typedef enum logic [4:0] {
    StIdle, StCheck, StDteRead, StDteWait, StDecide, StWalk, StWalkWait,
    StNPtr, StNPtrWait, StNLevel, StNLevelWait, StNFinal, StNFinalWait, StNLeafWrite, StNFill,
    StFault, StRespond
  } state_e;
  state_e           state_q, state_d;
  req_t             req_q, req_d;
  pagoda_pkg::dte_t dte_q, dte_d;
  pagoda_pkg::io_nest_t  nest_q, nest_d;
  pagoda_pkg::io_fault_t fault_q, fault_d;
  pagoda_pkg::io_res_t   res_q, res_d;

  // ---- registers and counters -----------------------------------------------------------------
  logic              te, fle, fl_full, cq_pending;
  logic [PaBits-1:0] dt_base, fl_slot, cq_slot;
  logic [4:0]        dt_log2;
  logic              rec_written, rec_overflow, cmd_done, cmd_stop;
  logic              ev_hit, ev_miss, fault_done, fault_dropped;

  pg_iommu_regs #(.IotlbEntries(IotlbEntries)) u_regs (
    .clk_i, .rst_ni,
    .reg_valid_i, .reg_we_i, .reg_offset_i, .reg_wdata_i, .reg_rdata_o, .reg_err_o,
    .te_o(te), .fle_o(fle), .dt_base_o(dt_base), .dt_log2_o(dt_log2),
    .fl_slot_o(fl_slot), .fl_full_o(fl_full), .cq_slot_o(cq_slot), .cq_pending_o(cq_pending),
    .rec_written_i(rec_written), .rec_overflow_i(rec_overflow),
    .cmd_done_i(cmd_done), .cmd_stop_i(cmd_stop),
    .ev_hit_i(ev_hit), .ev_miss_i(ev_miss), .ev_fault_i(fault_done), .ev_drop_i(fault_dropped),
    .cnt_sel_i, .cnt_o
  );

  // ---- taking a request -----------------------------------------------------------------------
  logic cq_busy;
  logic taking;  // the FSM may take a translation this cycle
  assign taking = state_q == StIdle && !cq_busy && !cq_pending;

  logic rr_q;  // round robin: the requester served last
  logic grant_valid, grant;
  always_comb begin
    grant_valid = |tr_valid_i;
    if (tr_valid_i == 2'b11) grant = !rr_q;
    else grant = tr_valid_i[1];
  end
  assign tr_ready_o = {taking && grant_valid && grant, taking && grant_valid && !grant};

  req_t req_new;
  assign req_new = {grant, grant ? Rid1 : Rid0, grant ? tr_iova1_i : tr_iova0_i, tr_write_i[grant]};

  // What the lookups see: the new request while idle, else the one under way.
  req_t lk;
  assign lk = (state_q == StIdle) ? req_new : req_q;

  logic rid_ok;
  assign rid_ok = dt_log2 >= 5'd16 || (32'(lk.rid) >> dt_log2) == 32'd0;

  // ---- the device-table cache -----------------------------------------------------------------
  logic             dtc_hit, dtc_touch, dtc_fill, dtc_inv_one, dtc_inv_all;
  logic [15:0]      dtc_inv_rid;
  pagoda_pkg::dte_t dtc_entry, dte_read;

  pg_iommu_dtc #(.DtcEntries(DtcEntries)) u_dtc (
    .clk_i, .rst_ni,
    .lk_rid_i(lk.rid), .lk_hit_o(dtc_hit), .lk_entry_o(dtc_entry), .touch_i(dtc_touch),
    .fill_i(dtc_fill), .fill_rid_i(req_q.rid), .fill_entry_i(dte_read),
    .inv_one_i(dtc_inv_one), .inv_rid_i(dtc_inv_rid), .inv_all_i(dtc_inv_all)
  );

  // The entry as read from memory (the half of the line it sits in).
  logic [PaBits-1:0]     dte_addr;
  logic [255:0]          dte_line;
  pagoda_pkg::dte_w0_t   dte_w0;
  logic [63:0]           dte_w1, dte_w2, dte_w3;
  assign dte_addr = dt_base + PaBits'({req_q.rid, 5'd0});  // 32-byte entries
  assign dte_line = dte_addr[5] ? mem_rsp_rdata_i[511:256] : mem_rsp_rdata_i[255:0];
  assign {dte_w3, dte_w2, dte_w1, dte_w0} = dte_line;
  logic dte_rsvd;
  assign dte_rsvd = (|dte_w0.rsvd_hi) || (|dte_w0.rsvd_lo) || (|dte_w1[63:PaBits]) ||
                    (|dte_w1[11:0]) || (|dte_w2[63:PaBits]) || (|dte_w2[11:0]) || (|dte_w3);
  assign dte_read = {dte_w0.mode, dte_w0.r, dte_w0.w, dte_w0.domain, dte_w1[PaBits-1:12],
                     dte_w2[PaBits-1:12]};

  // ---- the IOTLB ------------------------------------------------------------------------------
  logic                 tlb_hit, tlb_touch, tlb_fill, tr_tlb_inv, cq_tlb_inv;
  logic [IotlbW-1:0]    tlb_way;
  logic [1:0]           tlb_size, tlb_fill_size;
  pagoda_pkg::payload_t tlb_data, tlb_fill_data;
  pagoda_pkg::inval_t   cq_tlb_inv_req, inv_fault;
  logic [IotlbW:0]      tlb_count_unused;
  logic [IotlbW-1:0]    tlb_fill_way_unused;
  logic [2:0]           tlb_rwx_unused;  // no EPT rights in the IOTLB
  assign tlb_rwx_unused = tlb_data.ept_rwx;

  // IOVA (and guest-physical) page numbers, zero-extended to a cache tag.
  logic [VpnBits-1:0] vpn_iova, vpn_lk;
  assign vpn_iova = VpnBits'(req_q.iova[VaBits-1:12]);
  assign vpn_lk   = VpnBits'(lk.iova[VaBits-1:12]);

  logic [15:0] tlb_domain;
  assign tlb_domain = (state_q == StIdle) ? dtc_entry.domain : dte_q.domain;
  assign inv_fault  = pagoda_pkg::make_inval_tag(1'b1, vpn_iova, 1'b1,
                                                 dte_q.domain);

  pg_cam #(.NumEntries(IotlbEntries), .TagW(16)) u_iotlb (
    .clk_i, .rst_ni,
    .lk_valid_i((taking && grant_valid) || state_q == StDecide),
    .lk_vpn_i(vpn_lk), .lk_pcid_i(tlb_domain), .lk_vm_i('0),
    .lk_hit_o(tlb_hit), .lk_way_o(tlb_way), .lk_size_o(tlb_size), .lk_data_o(tlb_data),
    .touch_i(tlb_touch), .touch_way_i(tlb_way),
    .fill_i(tlb_fill), .fill_vpn_i(vpn_iova), .fill_size_i(tlb_fill_size),
    .fill_pcid_i(dte_q.domain), .fill_vm_i('0), .fill_global_i(1'b0),
    .fill_data_i(tlb_fill_data), .fill_way_o(tlb_fill_way_unused),
    .inv_i(tr_tlb_inv || cq_tlb_inv), .inv_req_i(cq_tlb_inv ? cq_tlb_inv_req : inv_fault),
    .num_valid_o(tlb_count_unused)
  );

  logic              tlb_usable;
  logic [PaBits-1:0] tlb_pa;
  assign tlb_usable = tlb_hit && (!lk.wr || (tlb_data.w && tlb_data.dirty));
  assign tlb_pa     = pagoda_pkg::make_pa(tlb_data.pfn, tlb_size, lk.iova[PaBits-1:0]);

  function automatic logic addr_is_ram(logic [63:0] a);
    addr_is_ram = a[63:PaBits] == '0 && pagoda_pkg::is_ram(a[PaBits-1:0]);
  endfunction

  // ---- the fast path --------------------------------------------------------------------------
  // Decided in the cycle a request is taken; anything it cannot answer
  // without a fault goes to the FSM.
  logic              lk_iova_ram, lk_tlb_pa_ram, allowed_lk, fast_ok, fast_hit;
  logic [PaBits-1:0] fast_pa;
  assign lk_iova_ram   = addr_is_ram(lk.iova);
  assign lk_tlb_pa_ram = pagoda_pkg::is_ram(tlb_pa);
  always_comb begin
    allowed_lk = lk.wr ? dtc_entry.w : dtc_entry.r;
    fast_ok = 1'b0;
    fast_pa = lk.iova[PaBits-1:0];
    fast_hit = 1'b0;  // an IOTLB hit answered it
    if (!te) begin
      fast_ok = 1'b1;  // answered either way: TE=0 logs nothing
    end else if (rid_ok && dtc_hit && allowed_lk) begin
      if (dtc_entry.mode == pagoda_pkg::DtePass) begin
        fast_ok = lk_iova_ram;
      end else if (dtc_entry.mode != pagoda_pkg::DteBlocked && lk.iova[63:VaBits] == '0 &&
                   tlb_usable && lk_tlb_pa_ram) begin
        fast_ok = 1'b1;
        fast_pa = tlb_pa;
        fast_hit = 1'b1;
      end
    end
  end

  // ---- the walker -----------------------------------------------------------------------------
  logic                   wk_start, wk_busy, wk_done;
  logic [VpnBits-1:0]     wk_vpn;
  logic                   wk_store, wk_w, wk_deny, wk_one;
  logic [2:0]             wk_level;
  logic [PfnBits-1:0]     wk_table;
  pagoda_pkg::status_e    wk_status;
  pagoda_pkg::pf_kind_e   wk_kind;
  logic [2:0]             wk_rlevel;
  logic [pagoda_pkg::ErrBits-1:0] wk_err_unused;
  // A device's rights: supervisor with WP=1 and NXE=1 and no keys (XD and US
  // have no effect, RW is enforced).
  pagoda_pkg::rights_ctl_t wk_ctl;
  always_comb begin
    wk_ctl = '0;
    wk_ctl.wp = 1'b1;
    wk_ctl.nxe = 1'b1;
  end
  logic [1:0]             wk_size;
  logic                   wk_global_unused;
  pagoda_pkg::payload_t   wk_leaf;
  logic                   wk_is_leaf;
  logic [PaBits-1:0]      wk_ea;
  pagoda_pkg::pte_t       wk_entry;
  logic [3:0]             wk_pwc_valid_unused;
  logic [4*pagoda_pkg::PayloadBits-1:0] wk_pwc;
  logic                   wk_req_valid, wk_req_we;
  logic [PaBits-1:0]      wk_req_addr;
  logic [LineBits-1:0]    wk_req_wdata;
  logic [LineBytes-1:0]   wk_req_mask;
  logic                   wk_ev_read_unused, wk_ev_write_unused;
  logic                   wk_x_start_unused;
  logic [PaBits-1:0]      wk_gpa_unused;
  logic [pagoda_pkg::PfnBits-1:0] wk_x_gfn_unused;
  logic [2:0]             wk_x_need_unused;
  logic [pagoda_pkg::QualBits-1:0] wk_qual_unused;
  logic [4*pagoda_pkg::PfnBits-1:0] wk_pwc_gpfn_unused;

  pg_walker u_walker (
    .clk_i, .rst_ni,
    .start_i(wk_start), .busy_o(wk_busy),
    .st_vpn_i(wk_vpn), .st_op_i(wk_store ? pagoda_pkg::OpStore : pagoda_pkg::OpLoad),
    .st_user_i(1'b0), .st_ac_i(1'b0), .st_ctl_i(wk_ctl), .st_pge_i(1'b0), .st_level_i(wk_level), .st_table_i(wk_table),
    .st_w_i(wk_w), .st_u_i(1'b1), .st_xd_i(1'b0), .st_deny_i(wk_deny), .st_one_i(wk_one),
    // no EPT on the IOMMU's walks (its nesting is its own, level by level)
    .st_ept_i(1'b0), .st_ept_ad_i(1'b0), .st_host_known_i(1'b0), .st_host_i('0),
    .st_table_rwx_i('0),
    .x_start_o(wk_x_start_unused), .x_gfn_o(wk_x_gfn_unused), .x_need_o(wk_x_need_unused),
    .x_done_i(1'b0), .x_status_i(pagoda_pkg::EptOk), .x_hfn_i('0), .x_rwx_i('0),
    .x_level_i(3'd1), .x_dirty_i(1'b0),
    .done_o(wk_done), .res_status_o(wk_status), .res_kind_o(wk_kind), .res_level_o(wk_rlevel),
    .res_gpa_o(wk_gpa_unused), .res_qual_o(wk_qual_unused),
    .res_err_o(wk_err_unused), .res_size_o(wk_size), .res_global_o(wk_global_unused),
    .res_leaf_o(wk_leaf), .res_is_leaf_o(wk_is_leaf), .res_ea_o(wk_ea), .res_entry_o(wk_entry),
    .pwc_valid_o(wk_pwc_valid_unused), .pwc_data_o(wk_pwc), .pwc_gpfn_o(wk_pwc_gpfn_unused),
    .mem_req_valid_o(wk_req_valid), .mem_req_ready_i(mem_req_ready_i),
    .mem_req_we_o(wk_req_we), .mem_req_addr_o(wk_req_addr),
    .mem_req_wdata_o(wk_req_wdata), .mem_req_mask_o(wk_req_mask),
    .mem_rsp_valid_i(mem_rsp_valid_i && wk_busy), .mem_rsp_rdata_i(mem_rsp_rdata_i),
    .ev_read_o(wk_ev_read_unused), .ev_write_o(wk_ev_write_unused)
  );

  // The walk-cache payload of a non-leaf level (a nested walk's next guest table).
  pagoda_pkg::payload_t wk_next;
  logic [2:0]           wk_next_rwx_unused;
  assign wk_next_rwx_unused = wk_next.ept_rwx;
  assign wk_next = wk_pwc[32'(2'(nest_q.level - 3'd2)) * pagoda_pkg::PayloadBits +:
                         pagoda_pkg::PayloadBits];

  // A failed walk as a reason (translate mode, or a host walk in nested mode).
  function automatic pagoda_pkg::io_reason_e walk_reason(pagoda_pkg::status_e status,
                                                         pagoda_pkg::pf_kind_e kind, logic wr);
    if (status == pagoda_pkg::StatusBus) walk_reason = pagoda_pkg::IoBus;
    else if (kind == pagoda_pkg::PfNotPresent) walk_reason = pagoda_pkg::IoNotPresent;
    else if (kind == pagoda_pkg::PfReserved) walk_reason = pagoda_pkg::IoRsvd;
    else if (kind == pagoda_pkg::PfWrite) walk_reason = pagoda_pkg::IoWrite;
    else walk_reason = wr ? pagoda_pkg::IoWrite : pagoda_pkg::IoRead;  // PfUser: the DTE denied it
  endfunction


  // ---- every value the FSM uses, as a wire ----------------------------------------------------
  // (Yosys 0.23 infers a latch for a function called inside an always_comb branch.)
  logic allowed;  // the device table allows the access
  pagoda_pkg::io_reason_e denied;  // the reason when it does not
  assign allowed = req_q.wr ? dte_q.w : dte_q.r;
  assign denied  = req_q.wr ? pagoda_pkg::IoWrite : pagoda_pkg::IoRead;
  logic [PaBits-1:0] wk_pa_iova, wk_pa_gea, wk_pa_gpa;
  assign wk_pa_iova = pagoda_pkg::make_pa(wk_leaf.pfn, wk_size, req_q.iova[PaBits-1:0]);
  assign wk_pa_gea  = pagoda_pkg::make_pa(wk_leaf.pfn, wk_size, nest_q.gea);
  assign wk_pa_gpa  = pagoda_pkg::make_pa(wk_leaf.pfn, wk_size, nest_q.gpa);
  pagoda_pkg::io_reason_e wk_reason, wk_reason_rd;
  assign wk_reason    = walk_reason(wk_status, wk_kind, req_q.wr);
  assign wk_reason_rd = walk_reason(wk_status, wk_kind, 1'b0);  // a table read: never a write
  logic iova_ram, wk_pa_iova_ram, hpa_ram, dte_addr_ram;
  assign iova_ram       = addr_is_ram(req_q.iova);
  assign wk_pa_iova_ram = pagoda_pkg::is_ram(wk_pa_iova);
  assign hpa_ram        = pagoda_pkg::is_ram(nest_q.hpa);
  assign dte_addr_ram   = pagoda_pkg::is_ram(dte_addr);
  // The guest leaf as a successful access leaves it: A, and D for a write.
  pagoda_pkg::pte_t gleaf_used;
  always_comb begin
    gleaf_used = nest_q.gleaf;
    gleaf_used.a = 1'b1;
    gleaf_used.d = nest_q.gleaf.d || req_q.wr;
  end
  // The guest entry read next: its guest-physical address.
  logic [PaBits-1:0] gea_next;
  assign gea_next = {nest_q.gtable, pagoda_pkg::vpn_index(vpn_iova, nest_q.level),
                     3'd0};
  logic [VpnBits-1:0] vpn_gea, vpn_gpa;
  assign vpn_gea = VpnBits'(gea_next[VaBits-1:12]);
  assign vpn_gpa = VpnBits'(nest_q.gpa[VaBits-1:12]);
  // A walk that faulted: the entry it stopped at, unless the device table
  // denied the access (PfUser: nothing in the tables is at fault).
  logic walk_denied;
  assign walk_denied = wk_status == pagoda_pkg::StatusPf && wk_kind == pagoda_pkg::PfUser;

  // The faults, one record each: reason, guest stage, level, entry, GPA, walked.
  pagoda_pkg::io_fault_t f_none, f_dte_bus, f_walk, f_ptr_wide, f_ptr_walk, f_level_walk, f_final_wide,
                         f_final_guest_ro, f_final_denied, f_final_walk;
  assign f_none           = pagoda_pkg::io_fault(pagoda_pkg::IoOk, 1'b0, '0, '0, '0, 1'b0);
  assign f_dte_bus        = pagoda_pkg::io_fault(pagoda_pkg::IoBus, 1'b0, '0, dte_addr, '0, 1'b0);
  assign f_walk           = pagoda_pkg::io_fault(wk_reason, 1'b0, walk_denied ? '0 : wk_rlevel,
                                  walk_denied ? '0 : wk_ea, '0, 1'b1);
  assign f_ptr_wide       = pagoda_pkg::io_fault(pagoda_pkg::IoWide, 1'b0, '0, '0, gea_next, 1'b1);
  assign f_ptr_walk       = pagoda_pkg::io_fault(wk_reason_rd, 1'b0, wk_rlevel, wk_ea, nest_q.gea, 1'b1);
  assign f_level_walk     = pagoda_pkg::io_fault(wk_reason_rd, 1'b1, nest_q.level, wk_ea, '0, 1'b1);
  assign f_final_wide     = pagoda_pkg::io_fault(pagoda_pkg::IoWide, 1'b0, '0, '0, nest_q.gpa, 1'b1);
  assign f_final_guest_ro = pagoda_pkg::io_fault(pagoda_pkg::IoWrite, 1'b1, nest_q.glevel, nest_q.gleaf_ea, '0,
                                  1'b1);
  assign f_final_denied   = pagoda_pkg::io_fault(denied, 1'b0, '0, '0, '0, 1'b1);
  assign f_final_walk     = pagoda_pkg::io_fault(wk_reason, 1'b0, wk_rlevel, wk_ea, nest_q.gpa, 1'b1);

  // ---- the FSM's own memory requests: the device-table entry, the guest leaf's A/D ------------
  // From the state alone (valid never waits for ready).
  logic                 own_req_valid, own_req_we;
  logic [PaBits-1:0]    own_req_addr;
  logic [LineBytes-1:0] own_req_mask;
  assign own_req_valid = (state_q == StDteRead && dte_addr_ram) || state_q == StNLeafWrite;
  assign own_req_we    = state_q == StNLeafWrite;
  assign own_req_addr  = own_req_we ? {nest_q.gleaf_ea[PaBits-1:6], 6'b0}
                                    : {dte_addr[PaBits-1:6], 6'b0};
  assign own_req_mask  = own_req_we ? 64'hff << {nest_q.gleaf_ea[5:3], 3'b000} : '0;

  // ---- the fault logger -----------------------------------------------------------------------
  logic                  fl_req_valid;
  logic [PaBits-1:0]     fl_req_addr;
  logic [LineBits-1:0]   fl_req_wdata;
  logic [LineBytes-1:0]  fl_req_mask;
  pagoda_pkg::fault_w0_t rec_w0;
  assign rec_w0 = {16'd0, dte_q.domain, 3'd0, fault_q.level, fault_q.guest, req_q.wr, req_q.rid,
                   fault_q.reason};

  pg_iommu_flog u_flog (
    .clk_i, .rst_ni,
    .log_i(state_q == StFault), .w0_i(rec_w0), .iova_i(req_q.iova), .gpa_i(fault_q.gpa),
    .entry_i(fault_q.entry),
    .fle_i(fle), .fl_full_i(fl_full), .fl_slot_i(fl_slot),
    .mem_req_valid_o(fl_req_valid), .mem_req_ready_i, .mem_req_addr_o(fl_req_addr),
    .mem_req_wdata_o(fl_req_wdata), .mem_req_mask_o(fl_req_mask),
    .done_o(fault_done), .written_o(rec_written), .dropped_o(fault_dropped),
    .overflow_o(rec_overflow)
  );

  // ---- the command processor ------------------------------------------------------------------
  logic                 cq_req_valid, cq_req_we;
  logic [PaBits-1:0]    cq_req_addr;
  logic [LineBits-1:0]  cq_req_wdata;
  logic [LineBytes-1:0] cq_req_mask;

  pg_iommu_cmdq u_cmdq (
    .clk_i, .rst_ni,
    .start_i(state_q == StIdle && !cq_busy && cq_pending), .busy_o(cq_busy), .cq_slot_i(cq_slot),
    .mem_req_valid_o(cq_req_valid), .mem_req_ready_i, .mem_req_we_o(cq_req_we),
    .mem_req_addr_o(cq_req_addr), .mem_req_wdata_o(cq_req_wdata), .mem_req_mask_o(cq_req_mask),
    .mem_rsp_valid_i, .mem_rsp_rdata_i,
    .dtc_inv_one_o(dtc_inv_one), .dtc_inv_rid_o(dtc_inv_rid), .dtc_inv_all_o(dtc_inv_all),
    .tlb_inv_o(cq_tlb_inv), .tlb_inv_req_o(cq_tlb_inv_req),
    .done_o(cmd_done), .stop_o(cmd_stop)
  );

  // ---- the memory port: one requester at a time -----------------------------------------------
  always_comb begin
    mem_req_valid_o = wk_req_valid || own_req_valid || fl_req_valid || cq_req_valid;
    if (wk_req_valid) begin
      mem_req_we_o = wk_req_we;
      mem_req_addr_o = wk_req_addr;
      mem_req_wdata_o = wk_req_wdata;
      mem_req_mask_o = wk_req_mask;
    end else if (own_req_valid) begin
      mem_req_we_o = own_req_we;
      mem_req_addr_o = own_req_addr;
      mem_req_wdata_o = {8{gleaf_used}};
      mem_req_mask_o = own_req_mask;
    end else if (fl_req_valid) begin
      mem_req_we_o = 1'b1;
      mem_req_addr_o = fl_req_addr;
      mem_req_wdata_o = fl_req_wdata;
      mem_req_mask_o = fl_req_mask;
    end else begin
      mem_req_we_o = cq_req_we;
      mem_req_addr_o = cq_req_addr;
      mem_req_wdata_o = cq_req_wdata;
      mem_req_mask_o = cq_req_mask;
    end
  end

  // ---- next state -----------------------------------------------------------------------------
  always_comb begin
    state_d = state_q;
    req_d = req_q;
    dte_d = dte_q;
    nest_d = nest_q;
    fault_d = fault_q;
    res_d = res_q;
    res_d.valid = 1'b0;

    dtc_touch = 1'b0;
    dtc_fill = 1'b0;
    tlb_touch = 1'b0;
    tlb_fill = 1'b0;
    tlb_fill_size = wk_size;
    tlb_fill_data = wk_leaf;
    tr_tlb_inv = 1'b0;
    wk_start = 1'b0;
    wk_vpn = vpn_iova;
    wk_store = 1'b0;
    wk_w = 1'b1;
    wk_deny = 1'b0;
    wk_one = 1'b0;
    wk_level = 3'd4;
    wk_table = dte_q.host;
    ev_hit = 1'b0;
    ev_miss = 1'b0;

    unique case (state_q)
      StIdle: begin
        if (taking && grant_valid) begin
          req_d = req_new;
          if (fast_ok) begin
            res_d = {1'b1, grant, (te || lk_iova_ram) ? pagoda_pkg::IoOk : pagoda_pkg::IoNotRam,
                     fast_pa};  // TE=1: fast_ok means RAM
            dtc_touch = te;
            tlb_touch = fast_hit;
            ev_hit = fast_hit;
          end else begin
            state_d = StCheck;
          end
        end
      end

      // ---- the device table ----
      StCheck: begin
        // Nothing known yet: the record's fields stay 0 (domain too, until
        // the device-table entry is read) unless a later step sets them.
        fault_d = f_none;
        dte_d.domain = '0;
        if (!rid_ok) begin
          fault_d.reason = pagoda_pkg::IoRid;
          state_d = StFault;
        end else if (dtc_hit) begin
          dtc_touch = 1'b1;
          dte_d = dtc_entry;
          state_d = StDecide;
        end else begin
          state_d = StDteRead;
        end
      end
      StDteRead: begin
        if (!dte_addr_ram) begin
          fault_d = f_dte_bus;
          state_d = StFault;
        end else if (mem_req_ready_i) begin
          state_d = StDteWait;
        end
      end
      StDteWait: begin
        if (mem_rsp_valid_i) begin
          if (!dte_w0.v) begin
            fault_d.reason = pagoda_pkg::IoDteInvalid;
            state_d = StFault;
          end else if (dte_rsvd) begin
            fault_d.reason = pagoda_pkg::IoDteRsvd;
            state_d = StFault;
          end else begin
            dtc_fill = 1'b1;
            dte_d = dte_read;
            state_d = StDecide;
          end
        end
      end

      // ---- the mode ----
      StDecide: begin
        if (dte_q.mode == pagoda_pkg::DteBlocked) begin
          fault_d.reason = pagoda_pkg::IoBlocked;
          state_d = StFault;
        end else if (dte_q.mode == pagoda_pkg::DtePass) begin
          res_d.pa = req_q.iova[PaBits-1:0];
          fault_d.reason = !allowed ? denied : !iova_ram ? pagoda_pkg::IoNotRam : pagoda_pkg::IoOk;
          state_d = (fault_d.reason != pagoda_pkg::IoOk) ? StFault : StRespond;
        end else if (req_q.iova[63:VaBits] != '0) begin
          fault_d.reason = pagoda_pkg::IoWide;
          state_d = StFault;
        end else if (tlb_usable) begin
          tlb_touch = 1'b1;
          ev_hit = 1'b1;
          res_d.pa = tlb_pa;
          fault_d.reason = !allowed ? denied : !lk_tlb_pa_ram ? pagoda_pkg::IoNotRam
                                                              : pagoda_pkg::IoOk;
          state_d = (fault_d.reason != pagoda_pkg::IoOk) ? StFault : StRespond;
        end else begin
          ev_miss = 1'b1;
          nest_d.level = 3'd4;
          nest_d.gtable = dte_q.guest;
          nest_d.gw = 1'b1;
          state_d = (dte_q.mode == pagoda_pkg::DteNested) ? StNPtr : StWalk;
        end
      end

      // ---- translate mode: one host walk ----
      StWalk: begin
        wk_start = 1'b1;
        wk_store = req_q.wr;
        wk_deny = !allowed;
        state_d = StWalkWait;
      end
      StWalkWait: begin
        if (wk_done) begin
          if (wk_status == pagoda_pkg::StatusOk) begin
            tlb_fill = 1'b1;
            res_d.pa = wk_pa_iova;
            fault_d.reason = wk_pa_iova_ram ? pagoda_pkg::IoOk : pagoda_pkg::IoNotRam;
            state_d = (fault_d.reason != pagoda_pkg::IoOk) ? StFault : StRespond;
          end else begin
            fault_d = f_walk;
            state_d = StFault;
          end
        end
      end

      // ---- nested mode ----
      StNPtr: begin  // the guest entry's guest-physical address through the host table
        nest_d.gea = gea_next;
        if (gea_next[PaBits-1:VaBits] != '0) begin
          fault_d = f_ptr_wide;
          state_d = StFault;
        end else begin
          wk_start = 1'b1;
          wk_vpn = vpn_gea;
          state_d = StNPtrWait;
        end
      end
      StNPtrWait: begin
        if (wk_done) begin
          if (wk_status == pagoda_pkg::StatusOk) begin
            nest_d.hpa = wk_pa_gea;
            state_d = StNLevel;
          end else begin
            fault_d = f_ptr_walk;
            state_d = StFault;
          end
        end
      end
      StNLevel: begin  // one guest level, read at its host-physical address
        wk_start = 1'b1;
        wk_one = 1'b1;
        wk_level = nest_q.level;
        wk_table = nest_q.hpa[PaBits-1:12];
        wk_w = nest_q.gw;
        state_d = StNLevelWait;
      end
      StNLevelWait: begin
        if (wk_done) begin
          if (wk_status != pagoda_pkg::StatusOk) begin
            fault_d = f_level_walk;
            state_d = StFault;
          end else if (wk_is_leaf) begin
            nest_d.gleaf_ea = wk_ea;
            nest_d.gleaf = wk_entry;
            nest_d.glevel = nest_q.level;
            nest_d.gsize = wk_size;
            nest_d.gw = wk_leaf.w;
            nest_d.gpa = wk_pa_iova;
            state_d = StNFinal;
          end else begin
            nest_d.gtable = wk_next.pfn;
            nest_d.gw = wk_next.w;
            nest_d.level = nest_q.level - 3'd1;
            state_d = StNPtr;
          end
        end
      end
      StNFinal: begin  // the final guest-physical address through the host table
        if (nest_q.gpa[PaBits-1:VaBits] != '0) begin
          fault_d = f_final_wide;
          state_d = StFault;
        end else begin
          wk_start = 1'b1;
          wk_vpn = vpn_gpa;
          wk_store = req_q.wr;
          wk_deny = (req_q.wr && !nest_q.gw) || !allowed;
          state_d = StNFinalWait;
        end
      end
      StNFinalWait: begin
        if (wk_done) begin
          if (wk_status == pagoda_pkg::StatusOk) begin
            fault_d.walked = 1'b0;
            nest_d.hpa = wk_pa_gpa;
            nest_d.hsize = wk_size;
            nest_d.hw = wk_leaf.w;
            nest_d.hdirty = wk_leaf.dirty;
            state_d = (gleaf_used != nest_q.gleaf) ? StNLeafWrite : StNFill;
          end else if (walk_denied) begin
            // Denied: by the guest leaf's RW (a write), else by the device table.
            fault_d = (req_q.wr && !nest_q.gw) ? f_final_guest_ro : f_final_denied;
            state_d = StFault;
          end else begin
            fault_d = f_final_walk;
            state_d = StFault;
          end
        end
      end
      StNLeafWrite: begin  // the guest leaf's A (and D), after the host's
        if (mem_req_ready_i) state_d = StNFill;
      end
      StNFill: begin  // the smaller page of the two; RW of both tables
        tlb_fill = 1'b1;
        tlb_fill_size = (nest_q.gsize < nest_q.hsize) ? nest_q.gsize : nest_q.hsize;
        tlb_fill_data.pfn = nest_q.hpa[PaBits-1:12];
        tlb_fill_data.w = nest_q.gw && nest_q.hw;
        tlb_fill_data.u = 1'b1;
        tlb_fill_data.xd = 1'b0;
        tlb_fill_data.dirty = nest_q.hdirty && gleaf_used.d;
        res_d.pa = nest_q.hpa;
        fault_d.reason = hpa_ram ? pagoda_pkg::IoOk : pagoda_pkg::IoNotRam;
        state_d = (fault_d.reason != pagoda_pkg::IoOk) ? StFault : StRespond;
      end

      // ---- faults: logged (or dropped) by pg_iommu_flog ----
      StFault: begin
        tr_tlb_inv = fault_q.walked;  // drop what matched the faulting IOVA in its domain
        if (fault_done) state_d = StRespond;
      end
      StRespond: begin
        res_d.valid = 1'b1;
        res_d.sel = req_q.sel;
        res_d.reason = fault_q.reason;
        state_d = StIdle;
      end
      default: state_d = StIdle;
    endcase
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      state_q <= StIdle;
      res_q <= '0;
      rr_q <= 1'b0;
    end else begin
      state_q <= state_d;
      res_q <= res_d;
      if (taking && grant_valid) rr_q <= grant;
    end
  end

  // The request, the entry and the walk carry no reset: each is set before use.
  always_ff @(posedge clk_i) begin
    req_q <= req_d;
    dte_q <= dte_d;
    nest_q <= nest_d;
    fault_q <= fault_d;
  end

  logic unused_bits;
  assign unused_bits = ^{lk.sel, tlb_data.u, tlb_data.xd, tlb_data.pkey, wk_next.u, wk_next.xd,
                         wk_next.dirty, wk_next.pkey,
                         dte_w1[11:0], dte_w2[11:0]};

  assign tr_done_o   = {res_q.valid && res_q.sel, res_q.valid && !res_q.sel};
  assign tr_reason_o = res_q.reason;
  assign tr_pa_o     = res_q.pa;
  assign busy_o      = state_q != StIdle || cq_busy || cq_pending || res_q.valid;

  // ---- Assertions -----------------------------------------------------------
  `ASSERT_INIT(iotlb_pow2, IotlbEntries >= 2 && (IotlbEntries & (IotlbEntries - 1)) == 0)
  `ASSERT(state_legal, state_q <= StRespond)
  `ASSERT_HOLD(mem_req_hold, mem_req_valid_o, mem_req_ready_i,
               {mem_req_we_o, mem_req_addr_o, mem_req_wdata_o, mem_req_mask_o})
  for (genvar k = 0; k < 2; k++) begin : g_tr_hold
    `ASSERT_HOLD(tr_hold, tr_valid_i[k], tr_ready_o[k], {tr_write_i[k], k ? tr_iova1_i : tr_iova0_i})
  end
  // One translation at a time: taken only when idle, one answer each.
  `ASSERT_ONEHOT0(one_take, tr_valid_i & tr_ready_o)
  `ASSERT_ONEHOT0(one_done, tr_done_o)
  `ASSERT_IF(take_when_idle, |(tr_valid_i & tr_ready_o), state_q == StIdle && !cq_busy)
  // One requester of memory at a time; commands run only between translations.
  `ASSERT_ONEHOT0(one_requester, {wk_req_valid, own_req_valid, fl_req_valid, cq_req_valid})
  `ASSERT_IF(commands_alone, cq_busy, state_q == StIdle)
  // A read's answer comes to a block waiting for one: the device table's
  // reader, the walker, the command processor.
  `ASSERT_IF(rsp_expected, mem_rsp_valid_i, state_q == StDteWait || wk_busy || cq_busy)
  // An answer without a reason has an address: translated, or TE=0 into RAM.
  `ASSERT_IF(answer_reason, res_q.valid && res_q.reason == pagoda_pkg::IoOk,
             te || addr_is_ram(req_q.iova))
  // Reasons are those of SPEC 4 (1..11).
  `ASSERT_IF(reason_known, res_q.valid, res_q.reason <= pagoda_pkg::IoNotRam)
  // A fault is logged with its reason.
  `ASSERT_IF(fault_reason, state_q == StFault, fault_q.reason != pagoda_pkg::IoOk)

  // Every fault reason, the fast path, nested walks.
  // (one line each: a cover in a generate loop is one point for all)
  `COVER(c_reason_rid, state_q == StFault && fault_q.reason == pagoda_pkg::IoRid)
  `COVER(c_reason_dte_invalid, state_q == StFault && fault_q.reason == pagoda_pkg::IoDteInvalid)
  `COVER(c_reason_dte_rsvd, state_q == StFault && fault_q.reason == pagoda_pkg::IoDteRsvd)
  `COVER(c_reason_blocked, state_q == StFault && fault_q.reason == pagoda_pkg::IoBlocked)
  `COVER(c_reason_bus, state_q == StFault && fault_q.reason == pagoda_pkg::IoBus)
  `COVER(c_reason_wide, state_q == StFault && fault_q.reason == pagoda_pkg::IoWide)
  `COVER(c_reason_not_present, state_q == StFault && fault_q.reason == pagoda_pkg::IoNotPresent)
  `COVER(c_reason_rsvd, state_q == StFault && fault_q.reason == pagoda_pkg::IoRsvd)
  `COVER(c_reason_write, state_q == StFault && fault_q.reason == pagoda_pkg::IoWrite)
  `COVER(c_reason_read, state_q == StFault && fault_q.reason == pagoda_pkg::IoRead)
  `COVER(c_reason_not_ram, state_q == StFault && fault_q.reason == pagoda_pkg::IoNotRam)
  `COVER(c_fast_hit, taking && grant_valid && fast_hit)
  `COVER(c_nested_leaf_write, state_q == StNLeafWrite)
  `COVER(c_dtc_miss, state_q == StDteRead)
  `COVER(c_both_requesters, tr_valid_i == 2'b11)
  `COVER(c_cmd_waits_for_translation, state_q != StIdle && cq_pending)

endmodule
