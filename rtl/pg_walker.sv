// SPDX-License-Identifier: MIT
// pg_walker — the x86-64 page walker, 4-level and 5-level.
//
// Starts at any level (the MMU passes the deepest walk-cache hit) with the
// whole context latched at start: VA, access, privilege, AC, the rights
// controls (WP, NXE, SMEP, SMAP, PKE, PKS, PKRU, IA32_PKRS), PGE and PCID. Per level it reads the entry's 64-byte line, checks P, then
// the reserved bits (SPEC 3), accumulates RW/US/XD, and sets A in a non-leaf
// entry it uses (a masked 8-byte write, so a later fault keeps it). At the
// leaf it checks the rights, then the leaf's protection key, and, only if
// the access is allowed, sets A (and D for a store). An entry address outside RAM ends the walk with a bus
// error. The result is what the caches install (leaf and walk-cache entries)
// or the fault to report; it is the golden model's walk() step for step.
//
// The IOMMU runs a second instance (supervisor, WP=1, NXE=1, no keys: P
// readable, RW writable, XD and US without effect) with two more inputs: st_deny_i fails
// an access the tables allow (kind PfUser, no leaf A/D: the device table
// forbids it), and st_one_i walks only the level it starts at (a nested
// walk's guest level): a non-leaf ends the walk with its walk-cache payload,
// a leaf returns its entry without checking rights or writing A/D.
//
// The CPU's walk in a guest with EPT (st_ept_i) is two-dimensional (the
// golden model's rules 7 and 8): the tables are guest-physical, so before
// reading a table whose host address it does not know (the CR3 table, or
// the next table after a non-leaf entry; a walk-cache hit brings it) it asks
// pg_ept_walker for the translation of the entry's guest-physical address
// (needing R, and W with EPT A/D on) and keeps the table's EPT rights; an A
// or D update needs W there. After the guest leaf's rights it asks for the
// final guest-physical address (needing R, W or X) and installs the
// combined page (the smaller of the two sizes) with its EPT rights; only
// then does it write the leaf's A/D. An EPT walk that fails ends the walk
// with StatusEpt (and the exit qualification and guest-physical address)
// or StatusEptMc. Walk-cache fills then carry the next table's host address
// (pwc_data_o) and its guest-physical one (pwc_gpfn_o).
`include "pg_assert.svh"

module pg_walker (
  input  logic clk_i,
  input  logic rst_ni,

  input  logic                            start_i,
  output logic                            busy_o,
  input  logic [pagoda_pkg::VpnBits-1:0]  st_vpn_i,
  input  pagoda_pkg::op_e                  st_op_i,
  input  logic                            st_user_i,
  input  logic                            st_ac_i,
  input  pagoda_pkg::rights_ctl_t         st_ctl_i,
  input  logic                            st_pge_i,
  input  logic [2:0]                      st_level_i,  // 5 (PML5), 4 (PML4) .. 1 (PT)
  input  logic [pagoda_pkg::PfnBits-1:0]  st_table_i,
  input  logic                            st_w_i,
  input  logic                            st_u_i,
  input  logic                            st_xd_i,
  input  logic                            st_deny_i,
  input  logic                            st_one_i,
  input  logic                            st_ept_i,         // a guest under EPT (the CPU's walker)
  input  logic                            st_ept_ad_i,      // EPTP bit 6
  input  logic                            st_host_known_i,  // with EPT: a walk-cache hit gave the
  input  logic [pagoda_pkg::PfnBits-1:0]  st_host_i,        // start table's host address
  input  logic [2:0]                      st_table_rwx_i,   // and its EPT rights

  // EPT walks, with EPT on (pg_ept_walker)
  output logic                            x_start_o,
  output logic [pagoda_pkg::PfnBits-1:0]  x_gfn_o,   // the guest-physical page
  output logic [2:0]                      x_need_o,
  input  logic                            x_done_i,
  input  pagoda_pkg::ept_status_e         x_status_i,
  input  logic [pagoda_pkg::PfnBits-1:0]  x_hfn_i,   // its host frame (4 KiB)
  input  logic [2:0]                      x_rwx_i,
  input  logic [2:0]                      x_level_i,
  input  logic                            x_dirty_i,

  output logic                            done_o,      // one cycle; results valid
  output pagoda_pkg::status_e             res_status_o,  // Ok, Pf, Bus; Ept, EptMc with EPT
  // an EPT exit: the guest-physical address (the entry's, or the final
  // page's with bits 11:0 clear) and the exit qualification (bit 8: final)
  output logic [pagoda_pkg::PaBits-1:0]   res_gpa_o,
  output logic [pagoda_pkg::QualBits-1:0] res_qual_o,
  output pagoda_pkg::pf_kind_e            res_kind_o,
  output logic [2:0]                      res_level_o,
  output logic [pagoda_pkg::ErrBits-1:0]  res_err_o,
  output logic [1:0]                      res_size_o,
  output logic                            res_global_o,
  output pagoda_pkg::payload_t            res_leaf_o,
  output logic                            res_is_leaf_o, // the last entry read was a leaf
  output logic [pagoda_pkg::PaBits-1:0]   res_ea_o,      // the last entry's address
  output logic [63:0]                     res_entry_o,   // and its value as read
  // Walk-cache fills, index 0: PDE (level 2), 1: PDPTE (3), 2: PML4E (4),
  // 3: PML5E (5); pwc_data_o holds four pagoda_pkg::payload_t, index 0 lowest.
  output logic [3:0]                      pwc_valid_o,
  output logic [4*pagoda_pkg::PayloadBits-1:0] pwc_data_o,
  output logic [4*pagoda_pkg::PfnBits-1:0] pwc_gpfn_o,  // with EPT: each next table's guest frame

  output logic                            mem_req_valid_o,
  input  logic                            mem_req_ready_i,
  output logic                            mem_req_we_o,
  output logic [pagoda_pkg::PaBits-1:0]   mem_req_addr_o,
  output logic [pagoda_pkg::LineBits-1:0] mem_req_wdata_o,
  output logic [pagoda_pkg::LineBytes-1:0] mem_req_mask_o,
  input  logic                            mem_rsp_valid_i,
  input  logic [pagoda_pkg::LineBits-1:0] mem_rsp_rdata_i,

  output logic                            ev_read_o,
  output logic                            ev_write_o
);

  typedef enum logic [2:0] {StIdle, StRead, StWait, StWrite, StDone, StXlate, StFinalReq,
                            StFinal} state_e;
  state_e state_q, state_d;

  // Latched context.
  logic [pagoda_pkg::VpnBits-1:0] vpn_q, vpn_d;
  pagoda_pkg::op_e op_q, op_d;
  logic        user_q, user_d, ac_q, ac_d, pge_q, pge_d;
  pagoda_pkg::rights_ctl_t ctl_q, ctl_d;
  logic        deny_q, deny_d, one_q, one_d;
  logic        ept_q, ept_d, ept_ad_q, ept_ad_d;
  // Progress.
  logic [2:0]  level_q, level_d;
  logic [pagoda_pkg::PfnBits-1:0] table_q, table_d;  // guest-physical with EPT
  logic [pagoda_pkg::PfnBits-1:0] host_q, host_d;    // the table's host frame, once known
  logic        known_q, known_d;
  logic [2:0]  trwx_q, trwx_d;   // the EPT rights of the table's page
  logic        lwrite_q, lwrite_d;  // the leaf's A/D change (written after the final EPT walk)
  logic [pagoda_pkg::PaBits-1:0]   gpa_q, gpa_d;
  logic [pagoda_pkg::QualBits-1:0] qual_q, qual_d;
  logic [4*pagoda_pkg::PfnBits-1:0] pwc_g_q, pwc_g_d;
  logic        w_q, w_d, u_q, u_d, xd_q, xd_d;
  pagoda_pkg::pte_t wr_q, wr_d;  // the entry value to write back
  logic        leaf_q, leaf_d;   // the pending write is the leaf's
  // Results.
  pagoda_pkg::status_e  status_q, status_d;
  pagoda_pkg::pf_kind_e kind_q, kind_d;
  logic        key_pk_q, key_pk_d;  // the leaf's key denies the faulting access
  logic [2:0]  rlevel_q, rlevel_d;
  logic [1:0]  size_q, size_d;
  logic        global_q, global_d;
  pagoda_pkg::payload_t leaf_data_q, leaf_data_d;
  logic [3:0]  pwc_valid_q, pwc_valid_d;
  logic [4*pagoda_pkg::PayloadBits-1:0] pwc_q, pwc_d;

  // The entry this level reads.
  logic [8:0]  index;
  logic [pagoda_pkg::PaBits-1:0] ea;
  logic [63:0] e_bits;       // as read, for the SDM's bit ranges
  pagoda_pkg::pte_t e;       // and by field
  logic [pagoda_pkg::PaBits-1:0] gea;  // its guest-physical address (with EPT)
  assign index  = pagoda_pkg::vpn_index(vpn_q, level_q);
  assign ea     = {host_q, index, 3'b000};
  assign gea    = {table_q, index, 3'b000};
  assign e_bits = mem_rsp_rdata_i[{ea[5:3], 6'b0} +: 64];
  assign e      = e_bits;

  logic [1:0] pwc_slot;  // walk cache of a non-leaf entry at this level
  assign pwc_slot = 2'(level_q - 3'd2);

  logic rsvd, leaf, acc_w, acc_u, acc_xd;
  pagoda_pkg::pf_kind_e rights;
  assign rsvd = (e.xd && !ctl_q.nxe) ||
                (level_q >= 3'd4 && e.ps) ||
                (level_q == 3'd3 && e.ps && (|e_bits[29:13])) ||
                (level_q == 3'd2 && e.ps && (|e_bits[20:13]));
  assign leaf = level_q == 3'd1 || ((level_q == 3'd2 || level_q == 3'd3) && e.ps);
  assign acc_w  = w_q & e.rw;
  assign acc_u  = u_q & e.us;
  assign acc_xd = xd_q | e.xd;
  assign rights = pagoda_pkg::access_fault(op_q, user_q, ac_q, ctl_q.wp, ctl_q.nxe, ctl_q.smep,
                                           ctl_q.smap, ctl_q.pke, ctl_q.pks, ctl_q.pkru,
                                           ctl_q.pkrs, acc_w, acc_u, acc_xd, e.pkey);

  // The leaf's frame: the entry's address bits above the page size.
  logic [pagoda_pkg::PfnBits-1:0] leaf_pfn;
  always_comb begin
    leaf_pfn = e.pfn;
    if (level_q == 3'd2) leaf_pfn[8:0] = '0;
    if (level_q == 3'd3) leaf_pfn[17:0] = '0;
  end

  // With EPT: the final guest-physical page (bits 11:0 clear), and what a
  // guest paging-structure access needs and reports (SDM table 27-7).
  logic [pagoda_pkg::PfnBits-1:0] final_gfn;
  always_comb begin
    final_gfn = leaf_data_q.pfn;
    if (size_q == 2'd1) final_gfn[8:0] = vpn_q[8:0];
    if (size_q == 2'd2) final_gfn[17:0] = vpn_q[17:0];
  end
  logic [pagoda_pkg::PaBits-1:0] final_gpa;
  assign final_gpa = {final_gfn, 12'b0};
  logic [2:0] table_need, final_need, final_access;
  assign table_need   = {1'b0, ept_ad_q, 1'b1};  // R, and W with EPT A/D on
  assign final_need   = 3'b001 << pagoda_pkg::ept_need_bit(op_q);
  assign final_access = final_need;  // qualification bits 2:0: read, write, fetch
  localparam logic [pagoda_pkg::QualBits-1:0] QualGla = 9'h080, QualFinal = 9'h100;
  // A failed EPT walk as the walk's status.
  pagoda_pkg::status_e x_exit;
  assign x_exit = x_status_i == pagoda_pkg::EptViol   ? pagoda_pkg::StatusEpt :
                  x_status_i == pagoda_pkg::EptMiscfg ? pagoda_pkg::StatusEptMc :
                                                        pagoda_pkg::StatusBus;
  // The combined page: the smaller of the guest's and EPT's.
  logic [1:0] x_size, comb_size;
  assign x_size    = 2'(x_level_i - 3'd1);
  assign comb_size = (x_size < size_q) ? x_size : size_q;
  logic [pagoda_pkg::PfnBits-1:0] comb_pfn;
  always_comb begin
    comb_pfn = x_hfn_i;
    if (comb_size == 2'd1) comb_pfn[8:0] = '0;
    if (comb_size == 2'd2) comb_pfn[17:0] = '0;
  end

  always_comb begin
    state_d = state_q;
    vpn_d = vpn_q; op_d = op_q; user_d = user_q; ac_d = ac_q; ctl_d = ctl_q;
    pge_d = pge_q; deny_d = deny_q; one_d = one_q; ept_d = ept_q; ept_ad_d = ept_ad_q;
    host_d = host_q; known_d = known_q; trwx_d = trwx_q; lwrite_d = lwrite_q;
    gpa_d = gpa_q; qual_d = qual_q; pwc_g_d = pwc_g_q;
    level_d = level_q; table_d = table_q; w_d = w_q; u_d = u_q; xd_d = xd_q;
    wr_d = wr_q; leaf_d = leaf_q;
    status_d = status_q; kind_d = kind_q; rlevel_d = rlevel_q; size_d = size_q;
    global_d = global_q; leaf_data_d = leaf_data_q; pwc_valid_d = pwc_valid_q;
    pwc_d = pwc_q; key_pk_d = key_pk_q;
    ev_read_o = 1'b0;
    ev_write_o = 1'b0;
    x_start_o = 1'b0;
    x_gfn_o = gea[pagoda_pkg::PaBits-1:12];
    x_need_o = table_need;

    unique case (state_q)
      StIdle: begin
        if (start_i) begin
          vpn_d = st_vpn_i; op_d = st_op_i; user_d = st_user_i; ac_d = st_ac_i;
          ctl_d = st_ctl_i;
          pge_d = st_pge_i; deny_d = st_deny_i; one_d = st_one_i;
          ept_d = st_ept_i; ept_ad_d = st_ept_i && st_ept_ad_i;
          known_d = !st_ept_i || st_host_known_i;
          host_d = (st_ept_i && st_host_known_i) ? st_host_i : st_table_i;
          trwx_d = st_ept_i ? st_table_rwx_i : 3'b111;
          lwrite_d = 1'b0;
          level_d = st_level_i; table_d = st_table_i;
          w_d = st_w_i; u_d = st_u_i; xd_d = st_xd_i;
          pwc_valid_d = '0;
          status_d = pagoda_pkg::StatusOk;
          kind_d = pagoda_pkg::PfNone;
          rlevel_d = '0;
          key_pk_d = 1'b0;
          state_d = StRead;
        end
      end
      StRead: begin
        if (!known_q) begin  // the table's host address first (the entry's EPT walk)
          x_start_o = 1'b1;
          state_d = StXlate;
        end else if (!pagoda_pkg::is_ram(ea)) begin
          rlevel_d = level_q;
          status_d = pagoda_pkg::StatusBus;
          state_d = StDone;
        end else if (mem_req_ready_i) begin
          ev_read_o = 1'b1;
          state_d = StWait;
        end
      end
      StWait: begin
        if (mem_rsp_valid_i) begin
          rlevel_d = level_q;
          if (!e.p) begin
            status_d = pagoda_pkg::StatusPf;
            kind_d = pagoda_pkg::PfNotPresent;
            state_d = StDone;
          end else if (rsvd) begin
            status_d = pagoda_pkg::StatusPf;
            kind_d = pagoda_pkg::PfReserved;
            state_d = StDone;
          end else if (!leaf && !e.a && !trwx_q[pagoda_pkg::EptW]) begin
            // Setting A is a write the table's EPT entry must allow.
            status_d = pagoda_pkg::StatusEpt;
            gpa_d = gea;
            qual_d = QualGla | 9'({trwx_q, 3'b010});
            state_d = StDone;
          end else if (!leaf) begin
            w_d = acc_w; u_d = acc_u; xd_d = acc_xd;
            table_d = e.pfn;
            host_d = e.pfn;
            known_d = !ept_q;
            pwc_valid_d[pwc_slot] = 1'b1;
            pwc_d[32'(pwc_slot) * pagoda_pkg::PayloadBits +: pagoda_pkg::PayloadBits] =
                {3'b000, e.pfn, acc_w, acc_u, acc_xd, 1'b0, 4'b0};
            pwc_g_d[32'(pwc_slot) * pagoda_pkg::PfnBits +: pagoda_pkg::PfnBits] = e.pfn;
            level_d = level_q - 3'd1;
            wr_d = e;
            wr_d.a = 1'b1;
            leaf_d = 1'b0;
            state_d = !e.a ? StWrite : one_q ? StDone : StRead;
          end else if (one_q) begin
            size_d = 2'(level_q - 3'd1);
            leaf_data_d = {3'b000, leaf_pfn, acc_w, acc_u, acc_xd, e.d, e.pkey};
            state_d = StDone;
          end else if (rights != pagoda_pkg::PfNone) begin
            status_d = pagoda_pkg::StatusPf;
            key_pk_d = pagoda_pkg::key_denies(op_q, user_q, ctl_q.wp, ctl_q.pke, ctl_q.pks,
                                              ctl_q.pkru, ctl_q.pkrs, acc_u, e.pkey);
            kind_d = rights;
            state_d = StDone;
          end else if (deny_q) begin
            status_d = pagoda_pkg::StatusPf;
            kind_d = pagoda_pkg::PfUser;
            state_d = StDone;
          end else begin
            wr_d = e;
            wr_d.a = 1'b1;
            wr_d.d = e.d || op_q == pagoda_pkg::OpStore;
            size_d = 2'(level_q - 3'd1);
            global_d = e.g && pge_q;
            leaf_data_d = {3'b000, leaf_pfn, acc_w, acc_u, acc_xd, wr_d.d, e.pkey};
            leaf_d = 1'b1;
            lwrite_d = wr_d != e;
            if (wr_d != e && !trwx_q[pagoda_pkg::EptW]) begin  // its A/D update is a write
              status_d = pagoda_pkg::StatusEpt;
              gpa_d = gea;
              qual_d = QualGla | 9'({trwx_q, 3'b010});
              state_d = StDone;
            end else begin
              state_d = ept_q ? StFinalReq : (wr_d != e) ? StWrite : StDone;
            end
          end
        end
      end
      StWrite: begin
        if (mem_req_ready_i) begin
          ev_write_o = 1'b1;
          state_d = (leaf_q || one_q) ? StDone : StRead;
        end
      end
      StXlate: begin  // the EPT walk of the entry's guest-physical address
        if (x_done_i) begin
          if (x_status_i == pagoda_pkg::EptOk) begin
            host_d = x_hfn_i;
            trwx_d = x_rwx_i;
            known_d = 1'b1;
            // The entry that named this table now has its host address.
            if (level_q < 3'd5 && pwc_valid_q[2'(level_q - 3'd1)]) begin
              pwc_d[32'(2'(level_q - 3'd1)) * pagoda_pkg::PayloadBits +: pagoda_pkg::PayloadBits] =
                  {x_rwx_i, x_hfn_i,
                   pwc_q[32'(2'(level_q - 3'd1)) * pagoda_pkg::PayloadBits +: 8]};
            end
            state_d = StRead;
          end else begin
            rlevel_d = level_q;
            status_d = x_exit;
            gpa_d = gea;
            qual_d = QualGla | 9'({x_rwx_i, table_need});
            state_d = StDone;
          end
        end
      end
      StFinalReq: begin  // the final guest-physical address
        x_start_o = 1'b1;
        x_gfn_o = final_gfn;
        x_need_o = final_need;
        state_d = StFinal;
      end
      StFinal: begin
        x_gfn_o = final_gfn;
        x_need_o = final_need;
        if (x_done_i) begin
          if (x_status_i == pagoda_pkg::EptOk) begin
            size_d = comb_size;
            leaf_data_d.pfn = comb_pfn;
            leaf_data_d.ept_rwx = x_rwx_i;
            leaf_data_d.dirty = leaf_data_q.dirty && (!ept_ad_q || x_dirty_i);
            state_d = lwrite_q ? StWrite : StDone;
          end else begin
            status_d = x_exit;
            gpa_d = final_gpa;
            qual_d = QualGla | QualFinal | 9'({x_rwx_i, final_access});
            state_d = StDone;
          end
        end
      end
      StDone: begin
        state_d = StIdle;
      end
      default: state_d = StIdle;
    endcase
  end

  // The write targets the entry just read: ea is still that entry's address
  // for a leaf; for a non-leaf, table/level already moved on, so it is kept.
  // A table read outside RAM keeps its address too (the IOMMU reports it).
  logic [pagoda_pkg::PaBits-1:3] wr_ea_q;
  pagoda_pkg::pte_t entry_q;
  logic        is_leaf_q;
  always_ff @(posedge clk_i) begin
    if ((state_q == StWait && mem_rsp_valid_i) || (state_q == StRead && !pagoda_pkg::is_ram(ea)))
      wr_ea_q <= ea[pagoda_pkg::PaBits-1:3];
    if (state_q == StWait && mem_rsp_valid_i) begin
      entry_q <= e;
      is_leaf_q <= leaf;
    end
  end
  assign res_ea_o      = {wr_ea_q, 3'b000};
  assign res_entry_o   = entry_q;
  assign res_is_leaf_o = is_leaf_q;

  // The request is the state's alone (valid never waits for ready): the
  // entry's read in StRead (unless it lies outside RAM), its A/D write in
  // StWrite.
  assign mem_req_valid_o = (state_q == StRead && known_q && pagoda_pkg::is_ram(ea)) ||
                           state_q == StWrite;
  assign mem_req_we_o    = state_q == StWrite;
  assign mem_req_addr_o  = (state_q == StWrite) ? {wr_ea_q[pagoda_pkg::PaBits-1:6], 6'b0}
                                                 : {ea[pagoda_pkg::PaBits-1:6], 6'b0};
  // A read carries no data and no byte mask: nothing undefined (a register
  // that no walk has loaded yet) reaches the bus.
  assign mem_req_wdata_o = mem_req_we_o ? {8{wr_q}} : '0;
  localparam logic [pagoda_pkg::LineBytes-1:0] EntryMask = 'hff;  // one 8-byte entry
  assign mem_req_mask_o  = mem_req_we_o ? EntryMask << {wr_ea_q[5:3], 3'b000} : '0;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      state_q <= StIdle;
      pwc_valid_q <= '0;
    end else begin
      state_q <= state_d;
      pwc_valid_q <= pwc_valid_d;
    end
  end

  always_ff @(posedge clk_i) begin
    vpn_q <= vpn_d; op_q <= op_d; user_q <= user_d; ac_q <= ac_d; ctl_q <= ctl_d;
    pge_q <= pge_d;
    deny_q <= deny_d; one_q <= one_d; ept_q <= ept_d; ept_ad_q <= ept_ad_d;
    host_q <= host_d; known_q <= known_d; trwx_q <= trwx_d; lwrite_q <= lwrite_d;
    gpa_q <= gpa_d; qual_q <= qual_d; pwc_g_q <= pwc_g_d;
    level_q <= level_d; table_q <= table_d; w_q <= w_d; u_q <= u_d; xd_q <= xd_d;
    wr_q <= wr_d; leaf_q <= leaf_d;
    status_q <= status_d; kind_q <= kind_d; rlevel_q <= rlevel_d; size_q <= size_d;
    global_q <= global_d; leaf_data_q <= leaf_data_d;
    pwc_q <= pwc_d; key_pk_q <= key_pk_d;
  end

  assign busy_o       = state_q != StIdle;
  assign done_o       = state_q == StDone;
  assign res_status_o = status_q;
  assign res_kind_o   = kind_q;
  assign res_level_o  = rlevel_q;
  assign res_size_o   = size_q;
  assign res_global_o = global_q;
  assign res_leaf_o   = leaf_data_q;
  assign pwc_valid_o  = pwc_valid_q;
  assign pwc_data_o   = pwc_q;
  assign pwc_gpfn_o   = pwc_g_q;
  assign res_gpa_o    = gpa_q;
  assign res_qual_o   = qual_q;

  // Error code (SPEC 3): P unless not present; W store; U user; RSVD; I/D
  // for a fetch when NXE or SMEP is on; PK when the leaf's key denies the
  // access, whichever right decided the fault (SDM 4.7).
  always_comb begin
    res_err_o = '0;
    res_err_o[pagoda_pkg::ErrP]    = kind_q != pagoda_pkg::PfNotPresent;
    res_err_o[pagoda_pkg::ErrW]    = op_q == pagoda_pkg::OpStore;
    res_err_o[pagoda_pkg::ErrU]    = user_q;
    res_err_o[pagoda_pkg::ErrRsvd] = kind_q == pagoda_pkg::PfReserved;
    res_err_o[pagoda_pkg::ErrId]   = op_q == pagoda_pkg::OpFetch && (ctl_q.nxe || ctl_q.smep);
    res_err_o[pagoda_pkg::ErrPk]   = key_pk_q;
  end

  // ---- Assertions -----------------------------------------------------------
  pagoda_pkg::pte_t wr_other, entry_other;  // all but A and D
  always_comb begin
    wr_other = wr_q;
    wr_other.a = 1'b0;
    wr_other.d = 1'b0;
    entry_other = entry_q;
    entry_other.a = 1'b0;
    entry_other.d = 1'b0;
  end
  `ASSERT(state_legal, state_q == StIdle || state_q == StRead || state_q == StWait ||
                       state_q == StWrite || state_q == StDone || state_q == StXlate ||
                       state_q == StFinalReq || state_q == StFinal)
  // EPT walks only for a walk under EPT, never on the IOMMU's.
  `ASSERT_IF(xlate_only_ept, state_q == StXlate || state_q == StFinalReq || state_q == StFinal,
             ept_q && !one_q && !deny_q)
  `ASSERT_IF(known_without_ept, state_q != StIdle && !ept_q, known_q)
  // An EPT exit names its address and the qualification's valid-GLA bit.
  `ASSERT_IF(exit_has_qual, done_o && res_status_o == pagoda_pkg::StatusEpt, res_qual_o[7])
  `ASSERT_IF(start_when_idle, start_i, state_q == StIdle)
  `ASSERT_IF(start_level, start_i, st_level_i >= 3'd1 && st_level_i <= 3'd5)
  `ASSERT_IF(level_in_range, state_q != StIdle, level_q >= 3'd1 && level_q <= 3'd5)
  `ASSERT_NEXT(done_one_cycle, done_o, !done_o)
  `ASSERT_HOLD(mem_req_hold, mem_req_valid_o, mem_req_ready_i,
               {mem_req_we_o, mem_req_addr_o, mem_req_wdata_o, mem_req_mask_o})
  `ASSERT_IF(rsp_when_waiting, mem_rsp_valid_i, state_q == StWait)
  // The walker writes only A and D, only to the entry it read, and only while
  // the walk stands: D only in a leaf for a store (SPEC 3).
  `ASSERT_IF(write_only_ad, mem_req_valid_o && mem_req_we_o, wr_other == entry_other)
  `ASSERT_IF(write_no_fault, mem_req_valid_o && mem_req_we_o, status_q == pagoda_pkg::StatusOk)
  `ASSERT_IF(dirty_only_store_leaf, mem_req_valid_o && mem_req_we_o &&
                                 wr_q.d && !entry_q.d,
                                 leaf_q && op_q == pagoda_pkg::OpStore)
  // A fault's kind names the reason; a successful walk names none.
  `ASSERT_IF(fault_has_kind, done_o && res_status_o == pagoda_pkg::StatusPf, 
                          res_kind_o != pagoda_pkg::PfNone)

  `COVER(c_start_l5, start_i && st_level_i == 3'd5)
  `COVER(c_start_l4, start_i && st_level_i == 3'd4)
  `COVER(c_start_l3, start_i && st_level_i == 3'd3)
  `COVER(c_start_l2, start_i && st_level_i == 3'd2)
  `COVER(c_start_l1, start_i && st_level_i == 3'd1)
  `COVER(c_set_a, state_q == StWrite && !leaf_q)
  `COVER(c_set_d, state_q == StWrite && leaf_q && wr_q.d && !entry_q.d)
  `COVER(c_not_present, done_o && res_kind_o == pagoda_pkg::PfNotPresent)
  `COVER(c_reserved, done_o && res_kind_o == pagoda_pkg::PfReserved)
  `COVER(c_rights, done_o && res_status_o == pagoda_pkg::StatusPf &&
                   res_kind_o != pagoda_pkg::PfNotPresent && res_kind_o != pagoda_pkg::PfReserved)
  `COVER(c_bus, done_o && res_status_o == pagoda_pkg::StatusBus)
  `COVER(c_backpressure, mem_req_valid_o && !mem_req_ready_i)
  `COVER(c_ept_table_exit, state_q == StXlate && x_done_i && x_status_i != pagoda_pkg::EptOk)
  `COVER(c_ept_final_exit, state_q == StFinal && x_done_i && x_status_i != pagoda_pkg::EptOk)
  `COVER(c_ept_ad_write_exit, done_o && res_status_o == pagoda_pkg::StatusEpt && !res_qual_o[8] &&
                              res_qual_o[2:0] == 3'b010)
  `COVER(c_ept_combined_smaller, state_q == StFinal && x_done_i && x_size < size_q)

endmodule
