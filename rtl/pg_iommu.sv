// SPDX-License-Identifier: MIT
// pg_iommu — the IOMMU of SPEC 4: registers, a device-table cache, an IOTLB
// tagged by domain, a page walker (a second pg_walker: the CPU's stays the
// MMU's own, so a DMA walk never waits behind a CPU miss), nested walks, the
// fault logger and the command processor. The rules the SPEC leaves open are
// stated in sw/model/pg_iommu.h; this is that model step for step.
//
// Two requesters (the DMA engines) ask for one translation at a time each.
// The fast path answers in the cycle after the request is taken, from the
// device-table cache and an IOTLB hit (or with TE=0, untranslated). Anything
// else — a cache miss, a fault to log — goes through the FSM, which also runs
// the command queue while no translation is waiting. All memory traffic (the
// device table, walks, A/D writes, fault records, commands, WAIT) leaves
// through one line port, one request outstanding.
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
  // the answer comes with tr_done_o[k] (reason 0: tr_pa_o is the address)
  input  logic [1:0]          tr_valid_i,
  output logic [1:0]          tr_ready_o,
  input  logic [1:0]          tr_write_i,
  input  logic [63:0]         tr_iova0_i,
  input  logic [63:0]         tr_iova1_i,
  output logic [1:0]          tr_done_o,
  output logic [7:0]          tr_reason_o,
  output logic [PaBits-1:0]   tr_pa_o,

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

  localparam int unsigned DtcW = $clog2(DtcEntries);
  localparam int unsigned IotlbW = $clog2(IotlbEntries);

  // Reasons (enum pg_io_reason).
  localparam logic [7:0] RRid = 8'd1, RDteInvalid = 8'd2, RDteRsvd = 8'd3, RBlocked = 8'd4,
                         RBus = 8'd5, RWide = 8'd6, RNotPresent = 8'd7, RRsvd = 8'd8,
                         RWrite = 8'd9, RRead = 8'd10, RNotRam = 8'd11;
  localparam logic [1:0] ModeBlocked = 2'd0, ModePass = 2'd1, ModeNested = 2'd3;

  // ---- registers ------------------------------------------------------------------------------
  logic [2:0]  ctrl_q;  // TE, FLE, CQE
  logic [51:0] dt_base_q, fl_base_q, cq_base_q;
  logic [4:0]  dt_log2_q, fl_log2_q, cq_log2_q;
  logic [15:0] fl_head_q, fl_tail_q, cq_head_q, cq_tail_q;
  logic [1:0]  fsts_q;
  logic        cq_stopped_q;
  logic [63:0] cnt_hits_q, cnt_misses_q, cnt_walks_q, cnt_faults_q, cnt_dropped_q;

  logic te, fle, cqe;
  assign te  = ctrl_q[0];
  assign fle = ctrl_q[1];
  assign cqe = ctrl_q[2];

  // A ring of 2^log2 (at most 2^16) entries: positions are taken modulo it.
  function automatic logic [15:0] ring_mask(logic [4:0] log2);
    ring_mask = (log2 >= 5'd16) ? 16'hffff : 16'((32'd1 << log2) - 32'd1);
  endfunction

  logic [15:0] fl_mask, cq_mask;
  assign fl_mask = ring_mask(fl_log2_q);
  assign cq_mask = ring_mask(cq_log2_q);

  always_comb begin
    reg_err_o = 1'b0;
    reg_rdata_o = '0;
    unique case (reg_offset_i)
      pagoda_pkg::IommuCap: reg_rdata_o = {47'd0, 1'b1, 8'(IotlbEntries), pagoda_pkg::IommuVersion};
      pagoda_pkg::IommuCtrl: reg_rdata_o = {61'd0, ctrl_q};
      pagoda_pkg::IommuDtBase: reg_rdata_o = {12'd0, dt_base_q};
      pagoda_pkg::IommuDtLog2: reg_rdata_o = {59'd0, dt_log2_q};
      pagoda_pkg::IommuFlBase: reg_rdata_o = {12'd0, fl_base_q};
      pagoda_pkg::IommuFlLog2: reg_rdata_o = {59'd0, fl_log2_q};
      pagoda_pkg::IommuFlHead: reg_rdata_o = {48'd0, fl_head_q};
      pagoda_pkg::IommuFlTail: reg_rdata_o = {48'd0, fl_tail_q};
      pagoda_pkg::IommuFsts: reg_rdata_o = {62'd0, fsts_q};
      pagoda_pkg::IommuCqBase: reg_rdata_o = {12'd0, cq_base_q};
      pagoda_pkg::IommuCqLog2: reg_rdata_o = {59'd0, cq_log2_q};
      pagoda_pkg::IommuCqTail: reg_rdata_o = {48'd0, cq_tail_q};
      pagoda_pkg::IommuCqHead: reg_rdata_o = {48'd0, cq_head_q};
      pagoda_pkg::IommuCqSts: reg_rdata_o = {63'd0, cq_stopped_q};
      pagoda_pkg::IommuCntHits: reg_rdata_o = cnt_hits_q;
      pagoda_pkg::IommuCntMiss: reg_rdata_o = cnt_misses_q;
      pagoda_pkg::IommuCntWalks: reg_rdata_o = cnt_walks_q;
      pagoda_pkg::IommuCntFault: reg_rdata_o = cnt_faults_q;
      pagoda_pkg::IommuCntDrop: reg_rdata_o = cnt_dropped_q;
      default: reg_err_o = 1'b1;
    endcase
  end

  logic reg_wr;
  assign reg_wr = reg_valid_i && reg_we_i;

  always_comb begin
    unique case (cnt_sel_i)
      3'd0:    cnt_o = cnt_hits_q;
      3'd1:    cnt_o = cnt_misses_q;
      3'd2:    cnt_o = cnt_walks_q;
      3'd3:    cnt_o = cnt_faults_q;
      default: cnt_o = cnt_dropped_q;
    endcase
  end

  // ---- the FSM's state --------------------------------------------------------------------------
  typedef enum logic [4:0] {
    StIdle, StCheck, StDteRead, StDteWait, StDecide, StWalk, StWalkWait,
    StNPtr, StNPtrWait, StNLevel, StNLevelWait, StNFinal, StNFinalWait, StNLeafWrite, StNFill,
    StFault, StRespond, StCmdRead, StCmdWait, StCmdWrite
  } state_e;
  state_e state_q, state_d;

  // The translation under way.
  logic        sel_q, sel_d;          // requester
  logic [15:0] rid_q, rid_d;
  logic [63:0] iova_q, iova_d;
  logic        wr_q, wr_d;
  // Its device-table entry.
  logic [1:0]  mode_q, mode_d;
  logic        dr_q, dr_d, dw_q, dw_d;
  logic [15:0] domain_q, domain_d;
  logic [39:0] host_q, host_d, guest_q, guest_d;
  // Nested progress.
  logic [2:0]  nlevel_q, nlevel_d;
  logic [39:0] gtable_q, gtable_d;
  logic        gw_q, gw_d;
  logic [51:0] gea_q, gea_d, gpa_q, gpa_d;
  logic [51:0] gleaf_ea_q, gleaf_ea_d;
  logic [63:0] gleaf_q, gleaf_d;
  logic [2:0]  glevel_q, glevel_d;
  logic [1:0]  gsize_q, gsize_d;
  logic [51:0] hpa_q, hpa_d;
  logic [1:0]  hsize_q, hsize_d;
  logic        hw_q, hw_d, hdirty_q, hdirty_d;
  // The fault to log.
  logic [7:0]  f_reason_q, f_reason_d;
  logic        f_stage_q, f_stage_d;
  logic [2:0]  f_level_q, f_level_d;
  logic [51:0] f_gpa_q, f_gpa_d, f_entry_q, f_entry_d;
  logic        f_walked_q, f_walked_d;  // a walk faulted: drop the IOVA's IOTLB entries
  // The answer.
  logic        res_valid_q, res_valid_d, res_sel_q, res_sel_d;
  logic [7:0]  res_reason_q, res_reason_d;
  logic [51:0] res_pa_q, res_pa_d;
  // The command being run.
  logic [63:0] cmd0_q, cmd0_d, cmd1_q, cmd1_d;

  // ---- the request ------------------------------------------------------------------------------
  logic        rr_q;  // round robin: the requester served last
  logic        grant_valid, grant;
  always_comb begin
    grant_valid = |tr_valid_i;
    if (tr_valid_i == 2'b11) grant = !rr_q;
    else grant = tr_valid_i[1];
  end

  logic        cq_pending;
  assign cq_pending = cqe && !cq_stopped_q && ((cq_head_q ^ cq_tail_q) & cq_mask) != '0;

  logic idle_take;  // the FSM may take a translation this cycle
  assign idle_take = state_q == StIdle && !cq_pending;
  assign tr_ready_o = {idle_take && grant_valid && grant, idle_take && grant_valid && !grant};

  logic [15:0] req_rid;
  logic [63:0] req_iova;
  logic        req_wr;
  assign req_rid  = grant ? Rid1 : Rid0;
  assign req_iova = grant ? tr_iova1_i : tr_iova0_i;
  assign req_wr   = tr_write_i[grant];

  // What the lookups see: the new request while idle, else the one under way.
  logic [15:0] lk_rid;
  logic [63:0] lk_iova;
  logic        lk_wr;
  assign lk_rid  = (state_q == StIdle) ? req_rid : rid_q;
  assign lk_iova = (state_q == StIdle) ? req_iova : iova_q;
  assign lk_wr   = (state_q == StIdle) ? req_wr : wr_q;

  logic rid_ok;
  assign rid_ok = dt_log2_q >= 5'd16 || (32'(lk_rid) >> dt_log2_q) == 32'd0;

  // ---- the device-table cache (one array per field) ---------------------------------------------
  logic [DtcEntries-1:0] dtc_valid_q;
  logic [15:0] dtc_rid_q    [DtcEntries];
  logic [1:0]  dtc_mode_q   [DtcEntries];
  logic        dtc_r_q      [DtcEntries];
  logic        dtc_w_q      [DtcEntries];
  logic [15:0] dtc_domain_q [DtcEntries];
  logic [39:0] dtc_host_q   [DtcEntries];
  logic [39:0] dtc_guest_q  [DtcEntries];

  logic            dtc_hit;
  logic [DtcW-1:0] dtc_way;
  always_comb begin
    dtc_hit = 1'b0;
    dtc_way = '0;
    for (int i = DtcEntries - 1; i >= 0; i--) begin
      if (dtc_valid_q[i] && dtc_rid_q[i] == lk_rid) begin
        dtc_hit = 1'b1;
        dtc_way = DtcW'(i);
      end
    end
  end

  logic [1:0]  lk_mode;
  logic        lk_r, lk_w;
  logic [15:0] lk_domain;
  assign lk_mode   = dtc_mode_q[dtc_way];
  assign lk_r      = dtc_r_q[dtc_way];
  assign lk_w      = dtc_w_q[dtc_way];
  assign lk_domain = dtc_domain_q[dtc_way];

  logic            dtc_touch, dtc_fill, dtc_inv_one, dtc_inv_all;
  logic [DtcW-1:0] dtc_victim, dtc_first_free, dtc_fill_way;
  logic            dtc_any_free;
  always_comb begin
    dtc_any_free = 1'b0;
    dtc_first_free = '0;
    for (int i = DtcEntries - 1; i >= 0; i--) begin
      if (!dtc_valid_q[i]) begin
        dtc_any_free = 1'b1;
        dtc_first_free = DtcW'(i);
      end
    end
  end
  assign dtc_fill_way = dtc_any_free ? dtc_first_free : dtc_victim;

  pg_plru #(.NumWays(DtcEntries)) u_dtc_plru (
    .clk_i, .rst_ni,
    .set_i(1'b0), .victim_o(dtc_victim),
    .touch_i(dtc_touch || dtc_fill), .touch_set_i(1'b0),
    .touch_way_i(dtc_fill ? dtc_fill_way : dtc_way)
  );

  // The entry as read from memory (the half of the line it sits in).
  logic [255:0] dte_line;
  logic [63:0]  dte_w0, dte_w1, dte_w2, dte_w3;
  logic [51:0]  dte_addr;
  assign dte_addr = dt_base_q + {31'd0, rid_q, 5'd0};
  assign dte_line = dte_addr[5] ? mem_rsp_rdata_i[511:256] : mem_rsp_rdata_i[255:0];
  assign {dte_w3, dte_w2, dte_w1, dte_w0} = dte_line;
  logic dte_rsvd;
  assign dte_rsvd = (|dte_w0[63:32]) || (|dte_w0[15:5]) || (|dte_w1[63:52]) || (|dte_w1[11:0]) ||
                    (|dte_w2[63:52]) || (|dte_w2[11:0]) || (|dte_w3);

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      dtc_valid_q <= '0;
    end else if (dtc_fill) begin
      dtc_valid_q[dtc_fill_way] <= 1'b1;
    end else if (dtc_inv_all) begin
      dtc_valid_q <= '0;
    end else if (dtc_inv_one) begin
      for (int unsigned i = 0; i < DtcEntries; i++) begin
        if (dtc_rid_q[i] == cmd0_q[31:16]) dtc_valid_q[i] <= 1'b0;
      end
    end
  end

  always_ff @(posedge clk_i) begin
    if (dtc_fill) begin
      dtc_rid_q[dtc_fill_way]    <= rid_q;
      dtc_mode_q[dtc_fill_way]   <= dte_w0[2:1];
      dtc_r_q[dtc_fill_way]      <= dte_w0[3];
      dtc_w_q[dtc_fill_way]      <= dte_w0[4];
      dtc_domain_q[dtc_fill_way] <= dte_w0[31:16];
      dtc_host_q[dtc_fill_way]   <= dte_w1[51:12];
      dtc_guest_q[dtc_fill_way]  <= dte_w2[51:12];
    end
  end

  // ---- the IOTLB ------------------------------------------------------------------------------------
  logic [15:0]              tlb_domain;
  logic                     tlb_hit;
  logic [IotlbW-1:0]        tlb_way;
  logic [1:0]               tlb_size;
  pagoda_pkg::payload_t     tlb_data;
  logic                     tlb_touch, tlb_fill, tlb_inv;
  logic [35:0]              tlb_fill_vpn;
  logic [1:0]               tlb_fill_size;
  pagoda_pkg::payload_t     tlb_fill_data;
  pagoda_pkg::inval_t       tlb_inv_req;
  logic [IotlbW:0]          tlb_count_unused;

  assign tlb_domain = (state_q == StIdle) ? lk_domain : domain_q;

  pg_cam #(.NumEntries(IotlbEntries), .TagW(16)) u_iotlb (
    .clk_i, .rst_ni,
    .lk_valid_i((state_q == StIdle && grant_valid) || state_q == StDecide),
    .lk_vpn_i(lk_iova[47:12]), .lk_pcid_i(tlb_domain),
    .lk_hit_o(tlb_hit), .lk_way_o(tlb_way), .lk_size_o(tlb_size), .lk_data_o(tlb_data),
    .touch_i(tlb_touch), .touch_way_i(tlb_way),
    .fill_i(tlb_fill), .fill_vpn_i(tlb_fill_vpn), .fill_size_i(tlb_fill_size),
    .fill_pcid_i(domain_q), .fill_global_i(1'b0), .fill_data_i(tlb_fill_data),
    .inv_i(tlb_inv), .inv_req_i(tlb_inv_req),
    .num_valid_o(tlb_count_unused)
  );

  // The physical address of ADDR in the page of size SIZE at frame PFN.
  function automatic logic [51:0] compose(logic [39:0] pfn, logic [1:0] size, logic [29:0] addr);
    unique case (size)
      2'd1:    compose = {pfn[39:9], addr[20:0]};
      2'd2:    compose = {pfn[39:18], addr[29:0]};
      default: compose = {pfn, addr[11:0]};
    endcase
  endfunction

  logic        tlb_usable;
  logic [51:0] tlb_pa;
  assign tlb_usable = tlb_hit && (!lk_wr || (tlb_data.w && tlb_data.dirty));
  assign tlb_pa     = compose(tlb_data.pfn, tlb_size, lk_iova[29:0]);

  function automatic logic addr_is_ram(logic [63:0] a);
    addr_is_ram = a[63:52] == '0 && pagoda_pkg::is_ram(a[51:0]);
  endfunction

  // ---- the fast path ----------------------------------------------------------------------------------
  // Decided in the cycle a request is taken; anything it cannot answer
  // without a fault goes to the FSM.
  logic        lk_iova_ram, lk_tlb_pa_ram;
  assign lk_iova_ram   = addr_is_ram(lk_iova);
  assign lk_tlb_pa_ram = pagoda_pkg::is_ram(tlb_pa);
  logic        allowed_lk;
  logic        fast_ok;
  logic [51:0] fast_pa;
  logic        fast_hit;  // an IOTLB hit answered it
  always_comb begin
    allowed_lk = lk_wr ? lk_w : lk_r;
    fast_ok = 1'b0;
    fast_pa = lk_iova[51:0];
    fast_hit = 1'b0;
    if (!te) begin
      fast_ok = 1'b1;  // answered either way: TE=0 logs nothing
    end else if (rid_ok && dtc_hit && allowed_lk) begin
      if (lk_mode == ModePass) begin
        fast_ok = lk_iova_ram;
      end else if (lk_mode != ModeBlocked && lk_iova[63:48] == '0 && tlb_usable &&
                   lk_tlb_pa_ram) begin
        fast_ok = 1'b1;
        fast_pa = tlb_pa;
        fast_hit = 1'b1;
      end
    end
  end

  // ---- the walker ---------------------------------------------------------------------------------------
  logic                 wk_start, wk_busy, wk_done;
  logic [35:0]          wk_vpn;
  logic                 wk_store, wk_w, wk_deny, wk_one;
  logic [2:0]           wk_level;
  logic [39:0]          wk_table;
  logic [1:0]           wk_status;
  logic [2:0]           wk_kind, wk_rlevel;
  logic [4:0]           wk_err_unused;
  logic [1:0]           wk_size;
  logic                 wk_global_unused;
  pagoda_pkg::payload_t wk_leaf;
  logic                 wk_is_leaf;
  logic [51:0]          wk_ea;
  logic [63:0]          wk_entry;
  logic [2:0]           wk_pwc_valid_unused;
  logic [3*pagoda_pkg::PayloadBits-1:0] wk_pwc;
  logic                 wk_req_valid, wk_req_we;
  logic [51:0]          wk_req_addr;
  logic [LineBits-1:0]  wk_req_wdata;
  logic [LineBytes-1:0] wk_req_mask;
  logic                 wk_ev_read_unused, wk_ev_write_unused;

  pg_walker u_walker (
    .clk_i, .rst_ni,
    .start_i(wk_start), .busy_o(wk_busy),
    .st_vpn_i(wk_vpn), .st_op_i(wk_store ? pagoda_pkg::OpStore : pagoda_pkg::OpLoad),
    .st_user_i(1'b0), .st_ac_i(1'b0), .st_wp_i(1'b1), .st_nxe_i(1'b1), .st_smep_i(1'b0),
    .st_smap_i(1'b0), .st_pge_i(1'b0), .st_level_i(wk_level), .st_table_i(wk_table),
    .st_w_i(wk_w), .st_u_i(1'b1), .st_xd_i(1'b0), .st_deny_i(wk_deny), .st_one_i(wk_one),
    .done_o(wk_done), .res_status_o(wk_status), .res_kind_o(wk_kind), .res_level_o(wk_rlevel),
    .res_err_o(wk_err_unused), .res_size_o(wk_size), .res_global_o(wk_global_unused),
    .res_leaf_o(wk_leaf), .res_is_leaf_o(wk_is_leaf), .res_ea_o(wk_ea), .res_entry_o(wk_entry),
    .pwc_valid_o(wk_pwc_valid_unused), .pwc_data_o(wk_pwc),
    .mem_req_valid_o(wk_req_valid), .mem_req_ready_i(mem_req_ready_i),
    .mem_req_we_o(wk_req_we), .mem_req_addr_o(wk_req_addr),
    .mem_req_wdata_o(wk_req_wdata), .mem_req_mask_o(wk_req_mask),
    .mem_rsp_valid_i(mem_rsp_valid_i && wk_busy), .mem_rsp_rdata_i(mem_rsp_rdata_i),
    .ev_read_o(wk_ev_read_unused), .ev_write_o(wk_ev_write_unused)
  );

  // The walk-cache payload of a non-leaf level (a nested walk's next guest table).
  pagoda_pkg::payload_t wk_next;
  assign wk_next = wk_pwc[32'(2'(nlevel_q - 3'd2)) * pagoda_pkg::PayloadBits +:
                         pagoda_pkg::PayloadBits];

  // A failed walk as a reason (translate mode, or a host walk in nested mode).
  function automatic logic [7:0] walk_reason(logic [1:0] status, logic [2:0] kind, logic wr);
    if (status == pagoda_pkg::StatusBus) walk_reason = RBus;
    else if (kind == pagoda_pkg::PfNotPresent) walk_reason = RNotPresent;
    else if (kind == pagoda_pkg::PfReserved) walk_reason = RRsvd;
    else if (kind == pagoda_pkg::PfWrite) walk_reason = RWrite;
    else walk_reason = wr ? RWrite : RRead;  // PfUser: the device table denied it
  endfunction

  // ---- the FSM's own memory requests ---------------------------------------------------------------
  logic                 fsm_req_valid, fsm_req_we;
  logic [51:0]          fsm_req_addr;
  logic [LineBits-1:0]  fsm_req_wdata;
  logic [LineBytes-1:0] fsm_req_mask;

  assign mem_req_valid_o = wk_req_valid || fsm_req_valid;
  assign mem_req_we_o    = wk_req_valid ? wk_req_we : fsm_req_we;
  assign mem_req_addr_o  = wk_req_valid ? wk_req_addr : {fsm_req_addr[51:6], 6'b0};
  assign mem_req_wdata_o = wk_req_valid ? wk_req_wdata : fsm_req_wdata;
  assign mem_req_mask_o  = wk_req_valid ? wk_req_mask : fsm_req_mask;

  // Where records and commands live.
  logic [51:0] fl_slot, cq_slot;
  assign fl_slot = fl_base_q + {31'd0, fl_tail_q & fl_mask, 5'd0};
  assign cq_slot = cq_base_q + {32'd0, cq_head_q & cq_mask, 4'd0};

  logic [63:0] rec_w0;
  assign rec_w0 = {16'd0, domain_q, 3'd0, f_level_q, f_stage_q, wr_q, rid_q, f_reason_q};

  logic fl_full;
  assign fl_full = (((fl_tail_q + 16'd1) ^ fl_head_q) & fl_mask) == '0;

  logic [127:0] cmd_line;
  assign cmd_line = mem_rsp_rdata_i[{cq_slot[5:4], 7'b0} +: 128];

  // Counter events.
  logic ev_hit, ev_miss, ev_fault, ev_drop;

  // ---- next state ---------------------------------------------------------------------------------------
  logic allowed;
  assign allowed = wr_q ? dw_q : dr_q;

  // Every function result the FSM uses, as a wire: Yosys 0.23 infers a
  // latch for a function called inside an always_comb branch.
  pagoda_pkg::inval_t inv_fault, inv_domain, inv_page, inv_all;
  assign inv_fault  = pagoda_pkg::make_inval_tag(1'b1, iova_q[47:12], 1'b1, domain_q);
  assign inv_domain = pagoda_pkg::make_inval_tag(1'b0, '0, 1'b1, cmd0_q[31:16]);
  assign inv_page   = pagoda_pkg::make_inval_tag(1'b1, cmd1_q[47:12], 1'b1, cmd0_q[31:16]);
  assign inv_all    = pagoda_pkg::make_inval_tag(1'b0, '0, 1'b0, '0);
  logic [51:0] wk_pa_iova, wk_pa_gea, wk_pa_gpa;
  assign wk_pa_iova = compose(wk_leaf.pfn, wk_size, iova_q[29:0]);
  assign wk_pa_gea  = compose(wk_leaf.pfn, wk_size, gea_q[29:0]);
  assign wk_pa_gpa  = compose(wk_leaf.pfn, wk_size, gpa_q[29:0]);
  logic [7:0] wk_reason, wk_reason_rd;
  assign wk_reason    = walk_reason(wk_status, wk_kind, wr_q);
  assign wk_reason_rd = walk_reason(wk_status, wk_kind, 1'b0);
  logic iova_ram, wait_ok, wk_pa_iova_ram, hpa_ram;
  logic dte_addr_ram, fl_slot_ram, cq_slot_ram;
  assign iova_ram       = addr_is_ram(iova_q);
  assign wait_ok        = cmd1_q[2:0] == '0 && addr_is_ram(cmd1_q);
  assign wk_pa_iova_ram = pagoda_pkg::is_ram(wk_pa_iova);
  assign hpa_ram        = pagoda_pkg::is_ram(hpa_q);
  assign dte_addr_ram   = pagoda_pkg::is_ram(dte_addr);
  assign fl_slot_ram    = pagoda_pkg::is_ram(fl_slot);
  assign cq_slot_ram    = pagoda_pkg::is_ram(cq_slot);
  // The guest leaf as a successful access leaves it: A, and D for a write.
  logic [63:0] gleaf_used;
  assign gleaf_used = gleaf_q | (64'd1 << pagoda_pkg::PteA) |
                      (wr_q ? (64'd1 << pagoda_pkg::PteD) : 64'd0);
  logic [8:0] nidx;
  assign nidx = pagoda_pkg::vpn_index(iova_q[47:12], nlevel_q);

  // The FSM's own request, from its state alone (valid never waits for
  // ready): the device-table entry, the guest leaf's A/D, a fault record, a
  // command, a WAIT's write.
  always_comb begin
    fsm_req_valid = 1'b0;
    fsm_req_we = 1'b0;
    fsm_req_addr = '0;
    fsm_req_wdata = '0;
    fsm_req_mask = '0;
    unique case (state_q)
      StDteRead: begin
        fsm_req_valid = dte_addr_ram;
        fsm_req_addr = dte_addr;
      end
      StNLeafWrite: begin
        fsm_req_valid = 1'b1;
        fsm_req_we = 1'b1;
        fsm_req_addr = gleaf_ea_q;
        fsm_req_wdata = {8{gleaf_used}};
        fsm_req_mask = 64'hff << {gleaf_ea_q[5:3], 3'b000};
      end
      StFault: begin
        fsm_req_valid = fle && !fl_full && fl_slot_ram;
        fsm_req_we = 1'b1;
        fsm_req_addr = fl_slot;
        fsm_req_wdata = {2{{12'd0, f_entry_q}, {12'd0, f_gpa_q}, iova_q, rec_w0}};
        fsm_req_mask = fl_slot[5] ? 64'hffffffff_00000000 : 64'h00000000_ffffffff;
      end
      StCmdRead: begin
        fsm_req_valid = cq_slot_ram;
        fsm_req_addr = cq_slot;
      end
      StCmdWrite: begin
        fsm_req_valid = cmd0_q[7:0] == pagoda_pkg::CmdWait && wait_ok;
        fsm_req_we = 1'b1;
        fsm_req_addr = cmd1_q[51:0];
        fsm_req_wdata = {8{64'd1}};
        fsm_req_mask = 64'hff << {cmd1_q[5:3], 3'b000};
      end
      default: ;
    endcase
  end

  always_comb begin
    state_d = state_q;
    sel_d = sel_q; rid_d = rid_q; iova_d = iova_q; wr_d = wr_q;
    mode_d = mode_q; dr_d = dr_q; dw_d = dw_q; domain_d = domain_q; host_d = host_q;
    guest_d = guest_q;
    nlevel_d = nlevel_q; gtable_d = gtable_q; gw_d = gw_q; gea_d = gea_q; gpa_d = gpa_q;
    gleaf_ea_d = gleaf_ea_q; gleaf_d = gleaf_q; glevel_d = glevel_q; gsize_d = gsize_q;
    hpa_d = hpa_q; hsize_d = hsize_q; hw_d = hw_q; hdirty_d = hdirty_q;
    f_reason_d = f_reason_q; f_stage_d = f_stage_q; f_level_d = f_level_q; f_gpa_d = f_gpa_q;
    f_entry_d = f_entry_q; f_walked_d = f_walked_q;
    res_valid_d = 1'b0; res_sel_d = res_sel_q; res_reason_d = res_reason_q; res_pa_d = res_pa_q;
    cmd0_d = cmd0_q; cmd1_d = cmd1_q;

    dtc_touch = 1'b0; dtc_fill = 1'b0; dtc_inv_one = 1'b0; dtc_inv_all = 1'b0;
    tlb_touch = 1'b0; tlb_fill = 1'b0; tlb_inv = 1'b0;
    tlb_fill_vpn = iova_q[47:12];
    tlb_fill_size = wk_size;
    tlb_fill_data = wk_leaf;
    tlb_inv_req = inv_fault;

    wk_start = 1'b0; wk_vpn = iova_q[47:12]; wk_store = 1'b0; wk_w = 1'b1; wk_deny = 1'b0;
    wk_one = 1'b0; wk_level = 3'd4; wk_table = host_q;

    ev_hit = 1'b0; ev_miss = 1'b0; ev_fault = 1'b0; ev_drop = 1'b0;

    unique case (state_q)
      StIdle: begin
        if (cq_pending) begin
          state_d = StCmdRead;
        end else if (grant_valid) begin
          sel_d = grant; rid_d = req_rid; iova_d = req_iova; wr_d = req_wr;
          if (fast_ok) begin
            res_valid_d = 1'b1;
            res_sel_d = grant;
            res_reason_d = (te || lk_iova_ram) ? 8'd0 : RNotRam;  // TE=1: fast_ok means RAM
            res_pa_d = fast_pa;
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
        f_stage_d = 1'b0; f_level_d = '0; f_gpa_d = '0; f_entry_d = '0; f_walked_d = 1'b0;
        domain_d = '0;
        if (!rid_ok) begin
          f_reason_d = RRid;
          state_d = StFault;
        end else if (dtc_hit) begin
          dtc_touch = 1'b1;
          mode_d = lk_mode; dr_d = lk_r; dw_d = lk_w; domain_d = lk_domain;
          host_d = dtc_host_q[dtc_way]; guest_d = dtc_guest_q[dtc_way];
          state_d = StDecide;
        end else begin
          state_d = StDteRead;
        end
      end
      StDteRead: begin
        if (!dte_addr_ram) begin
          f_reason_d = RBus;
          f_entry_d = dte_addr;
          state_d = StFault;
        end else if (mem_req_ready_i) begin
          state_d = StDteWait;
        end
      end
      StDteWait: begin
        if (mem_rsp_valid_i) begin
          if (!dte_w0[0]) begin
            f_reason_d = RDteInvalid;
            state_d = StFault;
          end else if (dte_rsvd) begin
            f_reason_d = RDteRsvd;
            state_d = StFault;
          end else begin
            dtc_fill = 1'b1;
            mode_d = dte_w0[2:1]; dr_d = dte_w0[3]; dw_d = dte_w0[4]; domain_d = dte_w0[31:16];
            host_d = dte_w1[51:12]; guest_d = dte_w2[51:12];
            state_d = StDecide;
          end
        end
      end

      // ---- the mode ----
      StDecide: begin
        if (mode_q == ModeBlocked) begin
          f_reason_d = RBlocked;
          state_d = StFault;
        end else if (mode_q == ModePass) begin
          res_pa_d = iova_q[51:0];
          f_reason_d = !allowed ? (wr_q ? RWrite : RRead) : !iova_ram ? RNotRam : 8'd0;
          state_d = (f_reason_d != 8'd0) ? StFault : StRespond;
        end else if (iova_q[63:48] != '0) begin
          f_reason_d = RWide;
          state_d = StFault;
        end else if (tlb_usable) begin
          tlb_touch = 1'b1;
          ev_hit = 1'b1;
          res_pa_d = tlb_pa;
          f_reason_d = !allowed ? (wr_q ? RWrite : RRead) : !lk_tlb_pa_ram ? RNotRam : 8'd0;
          state_d = (f_reason_d != 8'd0) ? StFault : StRespond;
        end else begin
          ev_miss = 1'b1;
          nlevel_d = 3'd4;
          gtable_d = guest_q;
          gw_d = 1'b1;
          state_d = (mode_q == ModeNested) ? StNPtr : StWalk;
        end
      end

      // ---- translate mode: one host walk ----
      StWalk: begin
        wk_start = 1'b1;
        wk_store = wr_q;
        wk_deny = !allowed;
        state_d = StWalkWait;
      end
      StWalkWait: begin
        if (wk_done) begin
          if (wk_status == pagoda_pkg::StatusOk) begin
            tlb_fill = 1'b1;
            res_pa_d = wk_pa_iova;
            f_reason_d = wk_pa_iova_ram ? 8'd0 : RNotRam;
            state_d = (f_reason_d != 8'd0) ? StFault : StRespond;
          end else begin
            f_reason_d = wk_reason;
            f_walked_d = 1'b1;
            if (wk_status == pagoda_pkg::StatusPf && wk_kind == pagoda_pkg::PfUser) begin
              f_level_d = '0;
              f_entry_d = '0;
            end else begin
              f_level_d = wk_rlevel;
              f_entry_d = wk_ea;
            end
            state_d = StFault;
          end
        end
      end

      // ---- nested mode ----
      StNPtr: begin  // the guest entry's guest-physical address through the host table
        gea_d = {gtable_q, 12'd0} | {40'd0, nidx, 3'd0};
        if (gea_d[51:48] != '0) begin
          f_reason_d = RWide; f_stage_d = 1'b0; f_gpa_d = gea_d; f_walked_d = 1'b1;
          state_d = StFault;
        end else begin
          wk_start = 1'b1;
          wk_vpn = gea_d[47:12];
          state_d = StNPtrWait;
        end
      end
      StNPtrWait: begin
        if (wk_done) begin
          if (wk_status == pagoda_pkg::StatusOk) begin
            state_d = StNLevel;
            hpa_d = wk_pa_gea;
          end else begin
            f_reason_d = wk_reason_rd;
            f_stage_d = 1'b0; f_level_d = wk_rlevel; f_entry_d = wk_ea; f_gpa_d = gea_q;
            f_walked_d = 1'b1;
            state_d = StFault;
          end
        end
      end
      StNLevel: begin  // one guest level, read at its host-physical address
        wk_start = 1'b1;
        wk_one = 1'b1;
        wk_level = nlevel_q;
        wk_table = hpa_q[51:12];
        wk_w = gw_q;
        state_d = StNLevelWait;
      end
      StNLevelWait: begin
        if (wk_done) begin
          if (wk_status != pagoda_pkg::StatusOk) begin
            f_reason_d = wk_reason_rd;
            f_stage_d = 1'b1; f_level_d = nlevel_q; f_entry_d = wk_ea; f_gpa_d = '0;
            f_walked_d = 1'b1;
            state_d = StFault;
          end else if (wk_is_leaf) begin
            gleaf_ea_d = wk_ea; gleaf_d = wk_entry; glevel_d = nlevel_q; gsize_d = wk_size;
            gw_d = wk_leaf.w;
            gpa_d = wk_pa_iova;
            state_d = StNFinal;
          end else begin
            gtable_d = wk_next.pfn;
            gw_d = wk_next.w;
            nlevel_d = nlevel_q - 3'd1;
            state_d = StNPtr;
          end
        end
      end
      StNFinal: begin  // the final guest-physical address through the host table
        if (gpa_q[51:48] != '0) begin
          f_reason_d = RWide; f_stage_d = 1'b0; f_level_d = '0; f_entry_d = '0;
          f_gpa_d = gpa_q; f_walked_d = 1'b1;
          state_d = StFault;
        end else begin
          wk_start = 1'b1;
          wk_vpn = gpa_q[47:12];
          wk_store = wr_q;
          wk_deny = (wr_q && !gw_q) || !allowed;
          state_d = StNFinalWait;
        end
      end
      StNFinalWait: begin
        if (wk_done) begin
          f_walked_d = wk_status != pagoda_pkg::StatusOk;
          if (wk_status == pagoda_pkg::StatusOk) begin
            hpa_d = wk_pa_gpa;
            hsize_d = wk_size; hw_d = wk_leaf.w; hdirty_d = wk_leaf.dirty;
            state_d = (gleaf_used != gleaf_q) ? StNLeafWrite : StNFill;
          end else if (wk_status == pagoda_pkg::StatusPf && wk_kind == pagoda_pkg::PfUser) begin
            if (wr_q && !gw_q) begin
              f_reason_d = RWrite; f_stage_d = 1'b1; f_level_d = glevel_q;
              f_entry_d = gleaf_ea_q; f_gpa_d = '0;
            end else begin
              f_reason_d = wr_q ? RWrite : RRead; f_stage_d = 1'b0; f_level_d = '0;
              f_entry_d = '0; f_gpa_d = '0;
            end
            state_d = StFault;
          end else begin
            f_reason_d = wk_reason;
            f_stage_d = 1'b0; f_level_d = wk_rlevel; f_entry_d = wk_ea; f_gpa_d = gpa_q;
            state_d = StFault;
          end
        end
      end
      StNLeafWrite: begin  // the guest leaf's A (and D), after the host's
        if (mem_req_ready_i) state_d = StNFill;
      end
      StNFill: begin  // the smaller page of the two; RW of both tables
        tlb_fill = 1'b1;
        tlb_fill_size = (gsize_q < hsize_q) ? gsize_q : hsize_q;
        tlb_fill_data.pfn = hpa_q[51:12];
        tlb_fill_data.w = gw_q && hw_q;
        tlb_fill_data.u = 1'b1;
        tlb_fill_data.xd = 1'b0;
        tlb_fill_data.dirty = hdirty_q && gleaf_used[pagoda_pkg::PteD];
        res_pa_d = hpa_q;
        f_reason_d = hpa_ram ? 8'd0 : RNotRam;
        state_d = (f_reason_d != 8'd0) ? StFault : StRespond;
      end

      // ---- faults ----
      StFault: begin
        if (f_walked_q) begin
          tlb_inv = 1'b1;  // drop what matched the faulting IOVA in its domain
        end
        if (!fle) begin
          ev_fault = 1'b1;
          state_d = StRespond;
        end else if (fl_full || !fl_slot_ram) begin
          ev_fault = 1'b1;
          ev_drop = 1'b1;
          state_d = StRespond;
        end else if (mem_req_ready_i) begin
          ev_fault = 1'b1;
          state_d = StRespond;
        end
      end
      StRespond: begin
        res_valid_d = 1'b1;
        res_sel_d = sel_q;
        res_reason_d = f_reason_q;
        state_d = StIdle;
      end

      // ---- commands ----
      StCmdRead: begin
        if (!cq_slot_ram) begin
          state_d = StIdle;  // stops the queue (below)
        end else if (mem_req_ready_i) begin
          state_d = StCmdWait;
        end
      end
      StCmdWait: begin
        if (mem_rsp_valid_i) begin
          cmd0_d = cmd_line[63:0];
          cmd1_d = cmd_line[127:64];
          state_d = StCmdWrite;  // run in the next state, from the registers
        end
      end
      StCmdWrite: begin
        unique case (cmd0_q[7:0])
          pagoda_pkg::CmdInvDte: begin dtc_inv_one = 1'b1; state_d = StIdle; end
          pagoda_pkg::CmdInvDomain: begin
            tlb_inv = 1'b1;
            tlb_inv_req = inv_domain;
            state_d = StIdle;
          end
          pagoda_pkg::CmdInvPage: begin
            tlb_inv = 1'b1;
            tlb_inv_req = inv_page;
            state_d = StIdle;
          end
          pagoda_pkg::CmdInvAll: begin
            tlb_inv = 1'b1;
            tlb_inv_req = inv_all;
            dtc_inv_all = 1'b1;
            state_d = StIdle;
          end
          pagoda_pkg::CmdWait: begin
            if (!wait_ok || mem_req_ready_i) state_d = StIdle;
          end
          default: state_d = StIdle;
        endcase
      end
      default: state_d = StIdle;
    endcase
  end

  // A command finished (head moves) or was refused (the queue stops).
  logic cmd_done, cmd_stop;
  always_comb begin
    cmd_done = 1'b0;
    cmd_stop = 1'b0;
    if (state_q == StCmdRead && !cq_slot_ram) cmd_stop = 1'b1;
    if (state_q == StCmdWrite) begin
      unique case (cmd0_q[7:0])
        pagoda_pkg::CmdInvDte, pagoda_pkg::CmdInvDomain, pagoda_pkg::CmdInvPage,
        pagoda_pkg::CmdInvAll: cmd_done = 1'b1;
        pagoda_pkg::CmdWait: begin
          if (wait_ok) cmd_done = mem_req_ready_i;
          else cmd_stop = 1'b1;
        end
        default: cmd_stop = 1'b1;
      endcase
    end
  end

  logic rec_written;
  assign rec_written = state_q == StFault && fle && !fl_full && fl_slot_ram &&
                       mem_req_ready_i;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      state_q <= StIdle;
      res_valid_q <= 1'b0;
      rr_q <= 1'b0;
      ctrl_q <= '0;
      dt_base_q <= '0; dt_log2_q <= '0;
      fl_base_q <= '0; fl_log2_q <= '0; fl_head_q <= '0; fl_tail_q <= '0;
      cq_base_q <= '0; cq_log2_q <= '0; cq_head_q <= '0; cq_tail_q <= '0;
      fsts_q <= '0;
      cq_stopped_q <= 1'b0;
      cnt_hits_q <= '0; cnt_misses_q <= '0; cnt_walks_q <= '0; cnt_faults_q <= '0;
      cnt_dropped_q <= '0;
    end else begin
      state_q <= state_d;
      res_valid_q <= res_valid_d;
      if (state_q == StIdle && !cq_pending && grant_valid) rr_q <= grant;
      cnt_hits_q <= cnt_hits_q + 64'(ev_hit);
      cnt_misses_q <= cnt_misses_q + 64'(ev_miss);
      cnt_walks_q <= cnt_walks_q + 64'(ev_miss);
      cnt_faults_q <= cnt_faults_q + 64'(ev_fault);
      cnt_dropped_q <= cnt_dropped_q + 64'(ev_drop);

      // Hardware's own updates first; a register write in the same cycle wins.
      if (rec_written) begin
        fl_tail_q <= (fl_tail_q + 16'd1) & fl_mask;
        fsts_q[0] <= 1'b1;
      end
      if (state_q == StFault && fle && fl_full) fsts_q[1] <= 1'b1;
      if (cmd_done) cq_head_q <= (cq_head_q + 16'd1) & cq_mask;
      if (cmd_stop) cq_stopped_q <= 1'b1;

      if (reg_wr) begin
        unique case (reg_offset_i)
          pagoda_pkg::IommuCtrl: ctrl_q <= reg_wdata_i[2:0];
          pagoda_pkg::IommuDtBase: dt_base_q <= {reg_wdata_i[51:12], 12'd0};
          pagoda_pkg::IommuDtLog2: dt_log2_q <= reg_wdata_i[4:0];
          pagoda_pkg::IommuFlBase: fl_base_q <= {reg_wdata_i[51:12], 12'd0};
          pagoda_pkg::IommuFlLog2: fl_log2_q <= reg_wdata_i[4:0];
          pagoda_pkg::IommuFlHead: fl_head_q <= reg_wdata_i[15:0];
          pagoda_pkg::IommuFlTail: fl_tail_q <= reg_wdata_i[15:0];
          pagoda_pkg::IommuFsts: fsts_q <= fsts_q & ~reg_wdata_i[1:0];
          pagoda_pkg::IommuCqBase: cq_base_q <= {reg_wdata_i[51:12], 12'd0};
          pagoda_pkg::IommuCqLog2: cq_log2_q <= reg_wdata_i[4:0];
          pagoda_pkg::IommuCqTail: cq_tail_q <= reg_wdata_i[15:0];
          pagoda_pkg::IommuCqHead: cq_head_q <= reg_wdata_i[15:0];
          pagoda_pkg::IommuCqSts: cq_stopped_q <= cq_stopped_q & ~reg_wdata_i[0];
          default: ;
        endcase
      end
    end
  end

  always_ff @(posedge clk_i) begin
    sel_q <= sel_d; rid_q <= rid_d; iova_q <= iova_d; wr_q <= wr_d;
    mode_q <= mode_d; dr_q <= dr_d; dw_q <= dw_d; domain_q <= domain_d; host_q <= host_d;
    guest_q <= guest_d;
    nlevel_q <= nlevel_d; gtable_q <= gtable_d; gw_q <= gw_d; gea_q <= gea_d; gpa_q <= gpa_d;
    gleaf_ea_q <= gleaf_ea_d; gleaf_q <= gleaf_d; glevel_q <= glevel_d; gsize_q <= gsize_d;
    hpa_q <= hpa_d; hsize_q <= hsize_d; hw_q <= hw_d; hdirty_q <= hdirty_d;
    f_reason_q <= f_reason_d; f_stage_q <= f_stage_d; f_level_q <= f_level_d;
    f_gpa_q <= f_gpa_d; f_entry_q <= f_entry_d; f_walked_q <= f_walked_d;
    res_sel_q <= res_sel_d; res_reason_q <= res_reason_d; res_pa_q <= res_pa_d;
    cmd0_q <= cmd0_d; cmd1_q <= cmd1_d;
  end

  logic unused_bits;
  assign unused_bits = ^{reg_wdata_i[63:52], tlb_data.u, tlb_data.xd, wk_next.u, wk_next.xd,
                         wk_next.dirty, fsm_req_addr[5:0]};

  assign tr_done_o   = {res_valid_q && res_sel_q, res_valid_q && !res_sel_q};
  assign tr_reason_o = res_reason_q;
  assign tr_pa_o     = res_pa_q;
  assign busy_o      = state_q != StIdle || cq_pending || res_valid_q;

  // ---- Assertions -----------------------------------------------------------
  `ASSERT_INIT(iotlb_pow2, IotlbEntries >= 2 && (IotlbEntries & (IotlbEntries - 1)) == 0)
  `ASSERT_INIT(dtc_pow2, DtcEntries >= 2 && (DtcEntries & (DtcEntries - 1)) == 0)
  `ASSERT(state_legal, state_q <= StCmdWrite)
  `ASSERT_HOLD(mem_req_hold, mem_req_valid_o, mem_req_ready_i,
               {mem_req_we_o, mem_req_addr_o, mem_req_wdata_o, mem_req_mask_o})
  for (genvar k = 0; k < 2; k++) begin : g_tr_hold
    `ASSERT_HOLD(tr_hold, tr_valid_i[k], tr_ready_o[k], {tr_write_i[k], k ? tr_iova1_i : tr_iova0_i})
  end
  // One translation at a time: taken only when idle, one answer each.
  `ASSERT_ONEHOT0(one_take, tr_valid_i & tr_ready_o)
  `ASSERT_ONEHOT0(one_done, tr_done_o)
  `ASSERT_IF(take_when_idle, |(tr_valid_i & tr_ready_o), state_q == StIdle)
  // The walker and the FSM never ask for memory at once.
  `ASSERT_NEVER(one_requester, wk_req_valid && fsm_req_valid)
  // A fault record goes only to a ring with room, with the log on; a
  // faulting translation answers with its reason and no address is used.
  `ASSERT_IF(record_fits, fsm_req_valid && state_q == StFault, fle && !fl_full)
  `ASSERT_IF(answer_reason, res_valid_q && res_reason_q == '0, te || addr_is_ram(iova_q))
  // Reasons are those of SPEC 4 (1..11).
  `ASSERT_IF(reason_known, res_valid_q, res_reason_q <= RNotRam)

  // Every fault reason, every command, the ring full, nested walks.
  // (one line each: a cover in a generate loop is one point for all)
  `COVER(c_reason_rid, state_q == StFault && f_reason_q == RRid)
  `COVER(c_reason_dte_invalid, state_q == StFault && f_reason_q == RDteInvalid)
  `COVER(c_reason_dte_rsvd, state_q == StFault && f_reason_q == RDteRsvd)
  `COVER(c_reason_blocked, state_q == StFault && f_reason_q == RBlocked)
  `COVER(c_reason_bus, state_q == StFault && f_reason_q == RBus)
  `COVER(c_reason_wide, state_q == StFault && f_reason_q == RWide)
  `COVER(c_reason_not_present, state_q == StFault && f_reason_q == RNotPresent)
  `COVER(c_reason_rsvd, state_q == StFault && f_reason_q == RRsvd)
  `COVER(c_reason_write, state_q == StFault && f_reason_q == RWrite)
  `COVER(c_reason_read, state_q == StFault && f_reason_q == RRead)
  `COVER(c_reason_not_ram, state_q == StFault && f_reason_q == RNotRam)
  `COVER(c_cmd_inv_dte, state_q == StCmdWrite && cmd0_q[7:0] == pagoda_pkg::CmdInvDte)
  `COVER(c_cmd_inv_domain, state_q == StCmdWrite && cmd0_q[7:0] == pagoda_pkg::CmdInvDomain)
  `COVER(c_cmd_inv_page, state_q == StCmdWrite && cmd0_q[7:0] == pagoda_pkg::CmdInvPage)
  `COVER(c_cmd_inv_all, state_q == StCmdWrite && cmd0_q[7:0] == pagoda_pkg::CmdInvAll)
  `COVER(c_cmd_wait, state_q == StCmdWrite && cmd0_q[7:0] == pagoda_pkg::CmdWait)
  `COVER(c_cmd_illegal, cmd_stop && state_q == StCmdWrite)
  `COVER(c_fault_ring_full, state_q == StFault && fle && fl_full)
  `COVER(c_fast_hit, state_q == StIdle && !cq_pending && grant_valid && fast_hit)
  `COVER(c_nested_leaf_write, state_q == StNLeafWrite)
  `COVER(c_dtc_miss, state_q == StDteRead)
  `COVER(c_both_requesters, tr_valid_i == 2'b11)

endmodule
