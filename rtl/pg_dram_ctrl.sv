// SPDX-License-Identifier: MIT
// pg_dram_ctrl — DRAM controller: a request queue of 64-byte line reads and
// writes, per-bank state and timing, an FR-FCFS scheduler, write draining by
// watermarks, refresh, and the command bus to the DRAM (SPEC §6).
//
// Every timing value, the address mapping and the policies are settings
// loaded at reset (cfg_i, sampled while rst_ni is low), not compiled in.
//
// Scheduling, each cycle, one command:
//  - A request is eligible when no older request to the same line is queued:
//    reordering never changes what a read returns.
//  - Reads are served before writes until the queued writes reach the high
//    watermark; then writes until they fall to the low one. With nothing of
//    the preferred kind eligible, the other kind is served.
//  - A request older than the starvation cap goes first, and no other
//    request may use its bank until it is served.
//  - FR-FCFS: a ready column command (row hit) first, oldest first; then the
//    oldest ready ACT, then the oldest ready PRE. While the tFAW window is the
//    limit (three of the last four ACTs inside it), a ready ACT goes before a
//    column command: a lost ACT slot is lost for good, a column command has
//    slack on the data bus. A bank is not precharged while a request still
//    wants its open row.
//  - Refresh: one owed every tREFI. Owed refreshes are issued while the queue
//    is empty; at 8 owed (the JEDEC postponement limit) requests stop, all
//    banks are closed and every owed refresh is issued back to back.
//  - Close-page policy: a column command auto-precharges unless another
//    queued request wants the same row.
//  - scheduler = FCFS (the in-order baseline FR-FCFS is measured against):
//    only the oldest queued request, read or write, is eligible; the rules
//    above then pick its ACT, PRE or column command.
//
// Per-bank timers count the cycles until each command kind is allowed;
// issuing a command raises the timers it constrains (rules of SPEC §6).
`include "pg_assert.svh"

module pg_dram_ctrl #(
  parameter int unsigned QDepth = 64,    // reads and writes queued
  parameter int unsigned IdW = 5,
  parameter int unsigned NumBanks = 16,   // the most banks cfg_i may describe
  parameter int unsigned RowW = 18,
  parameter int unsigned ColW = 10,       // burst (64-byte) column
  parameter int unsigned AddrW = 34,      // byte address bits decoded
  parameter int unsigned RdqDepth = 16,   // reads in flight on the data bus
  // Widths of the timing counters and of the arrival stamps: wide enough for
  // any settings by default; narrower only where the settings are known to
  // be small (the formal job scales every timing down).
  parameter int unsigned TimerW = 12,     // holds every delay cfg_i can name
  parameter int unsigned StampW = 32,     // arrival cycles, for ages
  // Refreshes postponed at most: JEDEC's 8; fewer only to let the formal job
  // reach the limit in few cycles.
  parameter int unsigned MaxOwed = 8,
  localparam int unsigned QW = $clog2(QDepth),
  localparam int unsigned BankW = $clog2(NumBanks),
  localparam int unsigned LineW = AddrW - 6
) (
  input  logic clk_i,
  input  logic rst_ni,
  input  logic [pagoda_pkg::DramCfgBits-1:0] cfg_i,

  // requests: 64-byte lines with byte masks; responses to reads only
  input  logic                             req_valid_i,
  output logic                             req_ready_o,
  input  logic                             req_we_i,
  input  logic [IdW-1:0]                   req_id_i,
  input  logic [AddrW-1:6]                 req_addr_i,  // line address
  input  logic [pagoda_pkg::LineBits-1:0]  req_wdata_i,
  input  logic [pagoda_pkg::LineBytes-1:0] req_mask_i,
  output logic                             rsp_valid_o,
  output logic [IdW-1:0]                   rsp_id_o,
  output logic [pagoda_pkg::LineBits-1:0]  rsp_rdata_o,

  // command bus to the DRAM; read data returns CL + BL/2 cycles after RD
  output pagoda_pkg::dram_cmd_e            cmd_o,
  output logic                             cmd_ap_o, // RD/WR with auto-precharge
  output logic [BankW-1:0]                 cmd_bank_o,
  output logic [RowW-1:0]                  cmd_row_o,
  output logic [ColW-1:0]                  cmd_col_o,
  output logic [pagoda_pkg::LineBits-1:0]  cmd_wdata_o,
  output logic [pagoda_pkg::LineBytes-1:0] cmd_mask_o,
  input  logic                             rd_valid_i,
  input  logic [pagoda_pkg::LineBits-1:0]  rd_data_i,

  // counters: 0 reads, 1 writes, 2 activates, 3 row hits, 4 row misses,
  // 5 row conflicts, 6 refreshes, 7 data-bus busy cycles
  input  logic [2:0]  cnt_sel_i,
  output logic [63:0] cnt_o
);

  // ---- settings -------------------------------------------------------------------------------
  pagoda_pkg::dram_cfg_t cfg_q;
  always_ff @(posedge clk_i) begin
    if (!rst_ni) cfg_q <= cfg_i;
  end

  // Command-to-command delays of SPEC §6, minus one: a timer loaded with D at
  // the issuing edge allows the command D + 1 cycles after it.
  logic [TimerW-1:0] d_rc, d_rrd_s, d_rrd_l, d_rcd, d_ras, d_rp, d_ccd_s, d_ccd_l, d_rtp;
  logic [TimerW-1:0] d_rd2wr, d_wr2rd_s, d_wr2rd_l, d_wr2pre, d_faw, d_rfc;
  assign d_rc      = TimerW'(cfg_q.trc) - 1'b1;
  assign d_rrd_s   = TimerW'(cfg_q.trrd_s) - 1'b1;
  assign d_rrd_l   = TimerW'(cfg_q.trrd_l) - 1'b1;
  assign d_rcd     = TimerW'(cfg_q.trcd) - 1'b1;
  assign d_ras     = TimerW'(cfg_q.tras) - 1'b1;
  assign d_rp      = TimerW'(cfg_q.trp) - 1'b1;
  assign d_ccd_s   = TimerW'(cfg_q.tccd_s) - 1'b1;
  assign d_ccd_l   = TimerW'(cfg_q.tccd_l) - 1'b1;
  assign d_rtp     = TimerW'(cfg_q.trtp) - 1'b1;
  assign d_rd2wr   = TimerW'(cfg_q.cl) + TimerW'(4 + 2) - TimerW'(cfg_q.cwl) - 1'b1;
  assign d_wr2rd_s = TimerW'(cfg_q.cwl) + TimerW'(4) + TimerW'(cfg_q.twtr_s) - 1'b1;
  assign d_wr2rd_l = TimerW'(cfg_q.cwl) + TimerW'(4) + TimerW'(cfg_q.twtr_l) - 1'b1;
  assign d_wr2pre  = TimerW'(cfg_q.cwl) + TimerW'(4) + TimerW'(cfg_q.twr) - 1'b1;
  assign d_faw     = TimerW'(cfg_q.tfaw) - 1'b1;
  assign d_rfc     = TimerW'(cfg_q.trfc) - 1'b1;

  // ---- address mapping ------------------------------------------------------------------------
  logic [LineW-1:0] in_line;
  logic [RowW-1:0]  in_row;
  logic [ColW-1:0]  in_col;
  logic [BankW-1:0] in_ba, in_bg, in_bank, bank_mask;
  assign in_line   = req_addr_i[AddrW-1:6];
  assign in_row    = RowW'((in_line >> cfg_q.row_pos) & ~({LineW{1'b1}} << cfg_q.row_w));
  assign in_col    = ColW'((in_line >> cfg_q.col_pos) & ~({LineW{1'b1}} << cfg_q.col_w));
  assign in_ba     = BankW'((in_line >> cfg_q.ba_pos) & ~({LineW{1'b1}} << cfg_q.ba_w));
  assign in_bg     = BankW'((in_line >> cfg_q.bg_pos) & ~({LineW{1'b1}} << cfg_q.bg_w));
  assign bank_mask = ~({BankW{1'b1}} << (cfg_q.ba_w + cfg_q.bg_w));
  assign in_bank   = ((in_bg << cfg_q.ba_w) | in_ba) ^
                     (cfg_q.xor_hash ? (in_row[BankW-1:0] & bank_mask) : '0);

  // ---- request queue: one array per field, in fixed slots ---------------------------------------
  // Arrival order is an age matrix (e_older_q[i]: the slots older than i,
  // written when i arrives). What the scheduler asks of the queue each cycle
  // is kept up to date as requests arrive and leave and as banks open and
  // close, so that a cycle's choice is a few operations on QDepth-bit
  // vectors and one oldest-of-a-set, not a comparison of every entry with
  // every other:
  //  - bank_q[b]: the queued slots in bank b;
  //  - hit_q: the slots whose row is open in their bank;
  //  - blocked_q: the slots behind an older request to the same line
  //    (e_dep_q[i]: those older requests, written when i arrives);
  //  - oldest_q: the oldest queued slot (never blocked), and each slot's
  //    arrival cycle, for its age.
  logic [QDepth-1:0]        e_valid_q, e_we_q, e_touched_q;
  logic [IdW-1:0]           e_id_q    [QDepth];
  logic [LineW-1:0]         e_line_q  [QDepth];
  logic [BankW-1:0]         e_bank_q  [QDepth];
  logic [RowW-1:0]          e_row_q   [QDepth];
  logic [ColW-1:0]          e_col_q   [QDepth];
  logic [pagoda_pkg::LineBits-1:0]  e_wdata_q [QDepth];
  logic [pagoda_pkg::LineBytes-1:0] e_mask_q  [QDepth];
  logic [QDepth-1:0]        e_older_q [QDepth];  // the slots older than this one
  logic [QDepth-1:0]        e_dep_q   [QDepth];  // older slots to the same line
  logic [StampW-1:0]        e_stamp_q [QDepth];  // the cycle it arrived
  logic [QDepth-1:0]        bank_q    [NumBanks];
  logic [QDepth-1:0]        hit_q, blocked_q;
  logic [QW-1:0]            oldest_q;
  logic [QW:0]              n_valid_q, n_writes_q;
  logic [StampW-1:0]        now_q;               // cycles since reset

  // ---- bank state -------------------------------------------------------------------------------
  logic [NumBanks-1:0] b_open_q;
  logic [RowW-1:0]     b_row_q   [NumBanks];
  logic [TimerW-1:0]   t_act_q   [NumBanks];  // cycles until ACT allowed
  logic [TimerW-1:0]   t_rd_q    [NumBanks];  // ... RD
  logic [TimerW-1:0]   t_wr_q    [NumBanks];  // ... WR
  logic [TimerW-1:0]   t_pre_q   [NumBanks];  // ... PRE
  logic [TimerW-1:0]   t_faw_q   [4];         // per recent ACT: cycles left in its window
  logic [1:0]          faw_ptr_q;             // the oldest of the last four ACTs

  // ---- refresh and write-drain state ------------------------------------------------------------
  logic [15:0] ref_cnt_q;
  logic [3:0]  owed_q;
  logic        ref_hold_q;  // draining every owed refresh
  logic        drain_q;     // write drain mode

  // ---- read data in flight (a FIFO of ids, below) ------------------------------------------------
  logic rdq_full;

  // ---- the oldest of a set ----------------------------------------------------------------------
  // The oldest member of SET: the one no other member is older than.
  function automatic logic [QDepth-1:0] oldest_of(logic [QDepth-1:0] set,
                                                  logic [QDepth*QDepth-1:0] older);
    for (int unsigned i = 0; i < QDepth; i++)
      oldest_of[i] = set[i] && (set & older[i*QDepth +: QDepth]) == '0;
  endfunction
  logic [QDepth*QDepth-1:0] older_flat;  // e_older_q, row i at [i*QDepth +: QDepth]
  always_comb begin
    for (int unsigned i = 0; i < QDepth; i++) older_flat[i*QDepth +: QDepth] = e_older_q[i];
  end

  // ---- who may be served ------------------------------------------------------------------------
  logic [QDepth-1:0] oldest_1h, elig, starved_one, pref, cand, on_starved_bank;
  logic [StampW-1:0] oldest_age;
  assign oldest_1h  = e_valid_q != '0 ? QDepth'(1) << oldest_q : '0;
  assign oldest_age = now_q - e_stamp_q[oldest_q] - 1'b1;
  // FCFS (the in-order baseline): the oldest request alone, whatever its kind.
  assign elig = cfg_q.in_order ? oldest_1h : e_valid_q & ~blocked_q;
  // A request older than the cap goes first. Ages grow with arrival order
  // and the oldest request is never blocked, so if any eligible request is
  // starved, the oldest is, and it is the one served first.
  assign starved_one = oldest_age >= StampW'(cfg_q.starve) ? oldest_1h : '0;
  assign pref = drain_q ? (elig & e_we_q) : (elig & ~e_we_q);
  assign on_starved_bank = starved_one != '0 ? bank_q[e_bank_q[oldest_q]] : '0;
  logic [NumBanks-1:0] starved_here;  // the starved request's bank
  assign starved_here = starved_one != '0 ? NumBanks'(1) << e_bank_q[oldest_q] : '0;
  assign cand = (((pref != '0) ? pref : elig) & ~on_starved_bank) | starved_one;

  // Refresh: requests stop while refreshing is wanted.
  logic ref_want, all_closed, all_act_ready, prea_ready;
  assign ref_want = ref_hold_q || owed_q >= 4'(MaxOwed) || (owed_q != '0 && e_valid_q == '0);

  // ---- per bank, then back to slots -------------------------------------------------------------
  logic faw_ok, faw_tight;
  logic [NumBanks-1:0] bank_wanted;      // a candidate still wants the bank's open row
  logic [NumBanks-1:0] bank_wanted_any;  // any eligible request does
  logic [NumBanks-1:0] bank_has_cand, bank_blocked;
  logic [NumBanks-1:0] b_rd_ok, b_wr_ok, b_act_ok, b_pre_ok, b_no_rowcmd;
  logic [QDepth-1:0]   in_rd_ok, in_wr_ok, in_act_ok, in_pre_ok, in_no_rowcmd, in_blocked;
  logic [QDepth-1:0]   cand_hit, elig_hit;
  assign cand_hit = cand & hit_q;
  assign elig_hit = elig & hit_q;
  always_comb begin
    faw_ok = t_faw_q[faw_ptr_q] == '0;
    faw_tight = t_faw_q[faw_ptr_q + 2'd1] != '0;  // three of the last four inside tFAW
    all_closed = !(|b_open_q);
    all_act_ready = 1'b1;
    prea_ready = 1'b1;
    for (int unsigned b = 0; b < NumBanks; b++) begin
      if (t_act_q[b] != '0) all_act_ready = 1'b0;
      // PREA waits for every bank's PRE timer, closed banks' too: after RD
      // or WR with auto-precharge the bank is closed here at once, but
      // precharges by itself only when its PRE timer runs out (max of tRAS
      // and tRTP or write recovery), and until then no PREA may reach it
      // (JEDEC).
      if (t_pre_q[b] != '0) prea_ready = 1'b0;
      // A bank without queued requests wants nothing and offers no slot.
      bank_wanted[b] = 1'b0; bank_wanted_any[b] = 1'b0; bank_has_cand[b] = 1'b0;
      bank_blocked[b] = 1'b0; b_rd_ok[b] = 1'b0; b_wr_ok[b] = 1'b0; b_act_ok[b] = 1'b0;
      b_pre_ok[b] = 1'b0; b_no_rowcmd[b] = 1'b0;
      if (bank_q[b] != '0) begin
        bank_wanted[b]     = (cand_hit & bank_q[b]) != '0;
        bank_wanted_any[b] = (elig_hit & bank_q[b]) != '0;
        bank_has_cand[b]   = (cand & bank_q[b]) != '0;
        // A candidate never closes a row another request still wants: that
        // request's column command goes first instead (the ACT is not wasted).
        bank_blocked[b] = bank_has_cand[b] && !bank_wanted[b] && bank_wanted_any[b] &&
                          b_open_q[b];
        b_rd_ok[b]  = t_rd_q[b] == '0;
        b_wr_ok[b]  = t_wr_q[b] == '0;
        b_act_ok[b] = !b_open_q[b] && t_act_q[b] == '0;
        // The starved request has its bank to itself: it may close a row
        // others still want (they would otherwise hold it off for ever).
        b_pre_ok[b] = b_open_q[b] && (!bank_wanted_any[b] || starved_here[b]) &&
                      t_pre_q[b] == '0;
        // The other kind may open and close rows only in banks no candidate
        // uses, and never closes a row some request still wants.
        b_no_rowcmd[b] = bank_has_cand[b] || (b_open_q[b] && bank_wanted_any[b]);
      end
    end
    in_rd_ok = '0; in_wr_ok = '0; in_act_ok = '0; in_pre_ok = '0; in_no_rowcmd = '0;
    in_blocked = '0;
    for (int unsigned b = 0; b < NumBanks; b++) begin
      if (b_rd_ok[b])     in_rd_ok     = in_rd_ok | bank_q[b];
      if (b_wr_ok[b])     in_wr_ok     = in_wr_ok | bank_q[b];
      if (b_act_ok[b])    in_act_ok    = in_act_ok | bank_q[b];
      if (b_pre_ok[b])    in_pre_ok    = in_pre_ok | bank_q[b];
      if (b_no_rowcmd[b]) in_no_rowcmd = in_no_rowcmd | bank_q[b];
      if (bank_blocked[b]) in_blocked  = in_blocked | bank_q[b];
    end
  end

  logic [QDepth-1:0] col_ok, rowcmd_ok, cas_rdy, act_rdy, pre_rdy, cas_other, starved_dir;
  // While a request is starved, no column command of the other direction
  // (outside refresh): a WR to another bank every tCCD would push a starved
  // RD's tWTR turnaround (longer than tCCD) back for ever, and RDs a starved
  // WR's RD-to-WR turnaround. Commands of its own kind delay it only while
  // it is not ready itself: when it is, it goes first.
  assign starved_dir = (starved_one == '0 || ref_want) ? '1
                     : e_we_q[oldest_q] ? e_we_q : ~e_we_q;
  // A column command's bank timer allows it (and a read has room on the bus).
  assign col_ok    = ((e_we_q & in_wr_ok) | (~e_we_q & in_rd_ok & {QDepth{!rdq_full}})) &
                     starved_dir;
  // May get ACT / PRE: candidates, then the rest.
  assign rowcmd_ok = cand | (elig & ~on_starved_bank & ~in_no_rowcmd);
  // While refresh waits, only requests whose row was opened for them.
  assign cas_rdy   = cand_hit & (ref_want ? e_touched_q : '1) & col_ok;
  assign act_rdy   = (!ref_want && faw_ok) ? rowcmd_ok & in_act_ok : '0;
  assign pre_rdy   = ref_want ? '0 : rowcmd_ok & ~hit_q & in_pre_ok;
  // Hits of the other kind that stand in a candidate's way (never on a
  // starved request's bank: each would push its PRE back).
  assign cas_other = ref_want ? '0 : ~cand & elig_hit & in_blocked & col_ok & ~on_starved_bank;

  // ---- the choice --------------------------------------------------------------------------------
  // Row commands: the candidates' first, then the other kind's (its rows are
  // then open when the scheduler turns to it). The chain picks a set; the
  // oldest of it is served.
  logic [QDepth-1:0] act_set, pre_set, pick, sel_one;
  logic [QW-1:0] sel;
  pagoda_pkg::dram_cmd_e row_cmd, cmd;  // the chain's row or rank command; the command issued
  logic pick_col, pick_starved;  // the pick is a column command; the starved request goes
  assign act_set = (act_rdy & cand) != '0 ? act_rdy & cand : act_rdy;
  assign pre_set = (pre_rdy & cand) != '0 ? pre_rdy & cand : pre_rdy;
  always_comb begin
    pick = '0;
    pick_col = 1'b0;
    pick_starved = 1'b0;
    row_cmd = pagoda_pkg::DcNop;
    if (ref_want && cas_rdy != '0) begin  // finish what was activated
      pick = cas_rdy;
      pick_col = 1'b1;
    end else if (ref_want) begin
      if ((cand_hit & e_touched_q) != '0) begin
        // wait for the activated requests' column commands
      end else if (!all_closed) begin
        if (prea_ready) row_cmd = pagoda_pkg::DcPrea;
      end else if (all_act_ready && owed_q != '0) begin
        row_cmd = pagoda_pkg::DcRef;
      end
    end else if ((starved_one & (cas_rdy | act_rdy | pre_rdy)) != '0) begin
      pick_starved = 1'b1;
      pick_col = (starved_one & cas_rdy) != '0;
      row_cmd = pick_col ? pagoda_pkg::DcNop
              : (starved_one & act_rdy) != '0 ? pagoda_pkg::DcAct : pagoda_pkg::DcPre;
    end else if (faw_tight && act_set != '0) begin
      pick = act_set;
      row_cmd = pagoda_pkg::DcAct;
    end else if (cas_rdy != '0) begin
      pick = cas_rdy;
      pick_col = 1'b1;
    end else if (act_set != '0) begin
      pick = act_set;
      row_cmd = pagoda_pkg::DcAct;
    end else if (cas_other != '0) begin
      pick = cas_other;
      pick_col = 1'b1;
    end else if (pre_set != '0) begin
      pick = pre_set;
      row_cmd = pagoda_pkg::DcPre;
    end
  end
  assign sel_one = pick_starved ? starved_one : oldest_of(pick, older_flat);
  logic sel_any_unused;
  logic [QDepth-1:0] sel_onehot_unused;
  pg_first_set #(.N(QDepth)) u_sel (
    .clk_i, .rst_ni, .in_i(sel_one), .any_o(sel_any_unused), .onehot_o(sel_onehot_unused),
    .idx_o(sel)
  );

  logic is_cas, is_rd;
  assign cmd    = !pick_col ? row_cmd : e_we_q[sel] ? pagoda_pkg::DcWr : pagoda_pkg::DcRd;
  assign is_cas = pick_col;
  assign is_rd  = pick_col && !e_we_q[sel];

  logic [BankW-1:0] sb;
  logic [BankW-1:0] sg;  // bank group of the selected bank
  logic others_want_row;
  assign sb = e_bank_q[sel];
  assign sg = sb >> cfg_q.ba_w;
  // For a column command the bank's open row is the request's: the other
  // slots of its bank that hit want the same row.
  assign others_want_row = (bank_q[sb] & hit_q & ~sel_one) != '0;

  assign cmd_o       = cmd;
  assign cmd_ap_o    = is_cas && cfg_q.close_page && !others_want_row;
  assign cmd_bank_o  = sb;
  assign cmd_row_o   = e_row_q[sel];
  assign cmd_col_o   = e_col_q[sel];
  assign cmd_wdata_o = e_wdata_q[sel];
  assign cmd_mask_o  = e_mask_q[sel];

  // ---- queue bookkeeping ------------------------------------------------------------------------
  logic accept, leave;
  logic [QDepth-1:0] leaving, free_onehot_unused;
  logic [QW-1:0] free;
  // Reads and writes each have their own share of the queue.
  assign req_ready_o = n_valid_q < (QW + 1)'(QDepth) &&
                       (req_we_i ? n_writes_q < (QW + 1)'(cfg_q.wq_limit)
                                 : n_valid_q - n_writes_q < (QW + 1)'(cfg_q.queue_limit));
  assign accept  = req_valid_i && req_ready_o;
  assign leave   = is_cas;  // a request leaves with its column command
  assign leaving = leave ? sel_one : '0;
  logic free_any_unused;
  pg_first_set #(.N(QDepth)) u_free (  // the lowest free slot
    .clk_i, .rst_ni, .in_i(~e_valid_q), .any_o(free_any_unused), .onehot_o(free_onehot_unused),
    .idx_o(free)
  );

  // What an arriving request finds: the older requests to its line (the one
  // leaving now excluded), and whether its row is open once this cycle's
  // command has acted.
  logic [QDepth-1:0] same_line;
  always_comb begin
    same_line = '0;
    if (accept) begin
      for (int unsigned i = 0; i < QDepth; i++)
        same_line[i] = e_line_q[i] == in_line;
      same_line = same_line & e_valid_q & ~leaving;
    end
  end
  logic in_bank_act, in_bank_closes, in_hit;
  assign in_bank_act    = cmd == pagoda_pkg::DcAct && sb == in_bank;
  assign in_bank_closes = cmd == pagoda_pkg::DcPrea ||
                          (sb == in_bank && (cmd == pagoda_pkg::DcPre || cmd_ap_o));
  assign in_hit = in_bank_act ? e_row_q[sel] == in_row
                              : !in_bank_closes && b_open_q[in_bank] && b_row_q[in_bank] == in_row;

  // Slots whose row an ACT opens: the ACT's bank, same row.
  logic [QDepth-1:0] act_row_hit;
  always_comb begin
    act_row_hit = '0;
    if (cmd == pagoda_pkg::DcAct) begin
      for (int unsigned i = 0; i < QDepth; i++) act_row_hit[i] = e_row_q[i] == e_row_q[sel];
      act_row_hit = act_row_hit & bank_q[sb];
    end
  end

  // The slots that waited for the leaving request and now wait for nothing.
  logic [QDepth-1:0] unblocked;
  always_comb begin
    unblocked = '0;
    if (leave && blocked_q != '0) begin
      for (int unsigned i = 0; i < QDepth; i++)
        unblocked[i] = (e_dep_q[i] & e_valid_q & ~leaving) == '0;
    end
  end

  // The oldest once the oldest leaves: the oldest of the rest, else an arrival.
  logic [QDepth-1:0] rest_oldest;
  logic [QW-1:0]     rest_oldest_idx;
  assign rest_oldest = (leave && sel == oldest_q) ? oldest_of(e_valid_q & ~leaving, older_flat)
                                                   : '0;
  logic rest_any_unused;
  logic [QDepth-1:0] rest_onehot_unused;
  pg_first_set #(.N(QDepth)) u_rest (
    .clk_i, .rst_ni, .in_i(rest_oldest), .any_o(rest_any_unused),
    .onehot_o(rest_onehot_unused), .idx_o(rest_oldest_idx)
  );

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      e_valid_q <= '0;
      e_touched_q <= '0;
      hit_q <= '0;
      blocked_q <= '0;
      n_valid_q <= '0;
      n_writes_q <= '0;
      oldest_q <= '0;
      now_q <= '0;
      for (int unsigned b = 0; b < NumBanks; b++) bank_q[b] <= '0;
    end else begin
      now_q <= now_q + 1'b1;
      n_valid_q <= n_valid_q + (QW + 1)'(accept) - (QW + 1)'(leave);
      n_writes_q <= n_writes_q + (QW + 1)'(accept && req_we_i) - (QW + 1)'(leave && e_we_q[sel]);
      // Rows opened and closed this cycle.
      unique case (cmd)
        pagoda_pkg::DcAct:  hit_q <= (hit_q & ~bank_q[sb]) | act_row_hit;
        pagoda_pkg::DcPre:  hit_q <= hit_q & ~bank_q[sb];
        pagoda_pkg::DcPrea: hit_q <= '0;
        pagoda_pkg::DcRd, pagoda_pkg::DcWr: if (cmd_ap_o) hit_q <= hit_q & ~bank_q[sb];
        default: ;
      endcase
      if (leave) begin
        e_valid_q[sel] <= 1'b0;
        bank_q[sb][sel] <= 1'b0;
        blocked_q <= blocked_q & ~unblocked;
        if (sel == oldest_q) oldest_q <= rest_oldest_idx;
      end
      if (cmd != pagoda_pkg::DcNop && sel_one != '0) e_touched_q[sel] <= 1'b1;
      if (accept) begin
        e_valid_q[free] <= 1'b1;
        e_touched_q[free] <= 1'b0;
        bank_q[in_bank][free] <= 1'b1;
        hit_q[free] <= in_hit;
        blocked_q[free] <= same_line != '0;
        if (e_valid_q == '0 || (leave && (e_valid_q & ~leaving) == '0)) oldest_q <= free;
      end
    end
  end

  always_ff @(posedge clk_i) begin
    if (accept) begin
      // nobody is older than the newcomer, nor waits for it
      for (int unsigned i = 0; i < QDepth; i++) begin
        e_older_q[i][free] <= 1'b0;
        e_dep_q[i][free] <= 1'b0;
      end
      e_we_q[free]    <= req_we_i;
      e_id_q[free]    <= req_id_i;
      e_line_q[free]  <= in_line;
      e_bank_q[free]  <= in_bank;
      e_row_q[free]   <= in_row;
      e_col_q[free]   <= in_col;
      e_wdata_q[free] <= req_wdata_i;
      e_mask_q[free]  <= req_mask_i;
      e_older_q[free] <= e_valid_q & ~leaving;
      e_dep_q[free]   <= same_line;
      e_stamp_q[free] <= now_q;
    end
  end

  // ---- timers and bank state ----------------------------------------------------------------------
  function automatic logic [TimerW-1:0] dec(logic [TimerW-1:0] t);
    dec = t == '0 ? '0 : t - 1'b1;
  endfunction
  function automatic logic [TimerW-1:0] at_least(logic [TimerW-1:0] t, logic [TimerW-1:0] d);
    at_least = dec(t) > d ? dec(t) : d;
  endfunction

  // A column command's constraints: the next of its kind waits tCCD, the other
  // kind the turnaround, PRE its read-to-precharge or write recovery. With
  // auto-precharge, the internal precharge waits for what PRE would wait for.
  logic [TimerW-1:0] col_to_pre, ap_pre, ap_act;
  assign col_to_pre = is_rd ? d_rtp : d_wr2pre;
  assign ap_pre = t_pre_q[sb] > col_to_pre ? t_pre_q[sb] : col_to_pre;
  assign ap_act = ap_pre + d_rp + 1'b1;

  logic [NumBanks-1:0] same_bank, same_group;
  always_comb begin
    for (int unsigned b = 0; b < NumBanks; b++) begin
      same_bank[b] = BankW'(b) == sb;
      same_group[b] = (BankW'(b) >> cfg_q.ba_w) == sg;
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      b_open_q <= '0;
      faw_ptr_q <= '0;
      for (int unsigned b = 0; b < NumBanks; b++) begin
        t_act_q[b] <= '0;
        t_rd_q[b] <= '0;
        t_wr_q[b] <= '0;
        t_pre_q[b] <= '0;
      end
      for (int unsigned k = 0; k < 4; k++) t_faw_q[k] <= '0;
    end else begin
      for (int unsigned k = 0; k < 4; k++) t_faw_q[k] <= dec(t_faw_q[k]);
      for (int unsigned b = 0; b < NumBanks; b++) begin
        t_act_q[b] <= dec(t_act_q[b]);
        t_rd_q[b] <= dec(t_rd_q[b]);
        t_wr_q[b] <= dec(t_wr_q[b]);
        t_pre_q[b] <= dec(t_pre_q[b]);
        unique case (cmd)
          pagoda_pkg::DcAct: begin
            t_act_q[b] <= at_least(t_act_q[b], same_bank[b]  ? d_rc :
                                               same_group[b] ? d_rrd_l : d_rrd_s);
            if (same_bank[b]) begin
              b_open_q[b] <= 1'b1;
              b_row_q[b] <= e_row_q[sel];
              t_rd_q[b] <= at_least(t_rd_q[b], d_rcd);
              t_wr_q[b] <= at_least(t_wr_q[b], d_rcd);
              t_pre_q[b] <= at_least(t_pre_q[b], d_ras);
            end
          end
          pagoda_pkg::DcRd, pagoda_pkg::DcWr: begin
            t_rd_q[b] <= at_least(t_rd_q[b], is_rd ? (same_group[b] ? d_ccd_l : d_ccd_s)
                                                   : (same_group[b] ? d_wr2rd_l : d_wr2rd_s));
            t_wr_q[b] <= at_least(t_wr_q[b], is_rd ? d_rd2wr
                                                   : (same_group[b] ? d_ccd_l : d_ccd_s));
            if (same_bank[b]) begin
              t_pre_q[b] <= at_least(t_pre_q[b], col_to_pre);
              if (cmd_ap_o) begin
                b_open_q[b] <= 1'b0;
                t_act_q[b] <= at_least(t_act_q[b], ap_act);
              end
            end
          end
          pagoda_pkg::DcPre: begin
            if (same_bank[b]) begin
              b_open_q[b] <= 1'b0;
              t_act_q[b] <= at_least(t_act_q[b], d_rp);
            end
          end
          pagoda_pkg::DcPrea: begin
            b_open_q[b] <= 1'b0;
            t_act_q[b] <= at_least(t_act_q[b], d_rp);
          end
          pagoda_pkg::DcRef: begin
            t_act_q[b] <= at_least(t_act_q[b], d_rfc);
          end
          default: ;
        endcase
      end
      if (cmd == pagoda_pkg::DcAct) begin
        t_faw_q[faw_ptr_q] <= d_faw;
        faw_ptr_q <= faw_ptr_q + 2'd1;
      end
    end
  end

  // ---- refresh, write drain -----------------------------------------------------------------------
  logic refresh_due;
  assign refresh_due = ref_cnt_q == '0;
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      ref_cnt_q <= '1;  // reloaded from the settings in the first cycle
      owed_q <= '0;
      ref_hold_q <= 1'b0;
      drain_q <= 1'b0;
    end else begin
      ref_cnt_q <= refresh_due || ref_cnt_q > cfg_q.trefi - 16'd1 ? cfg_q.trefi - 16'd1
                                                                 : ref_cnt_q - 16'd1;
      owed_q <= owed_q + 4'(refresh_due && owed_q != '1) - 4'(cmd == pagoda_pkg::DcRef);
      if (owed_q >= 4'(MaxOwed)) ref_hold_q <= 1'b1;
      else if (owed_q == '0) ref_hold_q <= 1'b0;
      if (n_writes_q >= (QW + 1)'(cfg_q.wr_hi)) drain_q <= 1'b1;
      else if (n_writes_q <= (QW + 1)'(cfg_q.wr_lo)) drain_q <= 1'b0;
    end
  end

  // ---- read data ----------------------------------------------------------------------------------
  // The ids of the reads issued, in order; each leaves with its data (the
  // device returns reads in order).
  logic rdq_empty_unused;  // pg_fifo checks its own pops
  pg_fifo #(.W(IdW), .Depth(RdqDepth)) u_rdq (
    .clk_i, .rst_ni,
    .push_i(is_rd), .data_i(e_id_q[sel]),
    .pop_i(rd_valid_i), .data_o(rsp_id_o),
    .empty_o(rdq_empty_unused), .full_o(rdq_full)
  );

  assign rsp_valid_o = rd_valid_i;
  assign rsp_rdata_o = rd_data_i;

  // ---- counters -----------------------------------------------------------------------------------
  localparam int unsigned NumCounters = 8;
  logic [63:0] cnt_q [NumCounters];
  logic [63:0] cnt_add [NumCounters];
  logic first_cmd;
  assign first_cmd = sel_one != '0 && !e_touched_q[sel];
  always_comb begin
    cnt_add[0] = 64'(is_rd);
    cnt_add[1] = 64'(cmd == pagoda_pkg::DcWr);
    cnt_add[2] = 64'(cmd == pagoda_pkg::DcAct);
    cnt_add[3] = 64'(first_cmd && is_cas);                   // row hit
    cnt_add[4] = 64'(first_cmd && cmd == pagoda_pkg::DcAct); // row miss: bank closed
    cnt_add[5] = 64'(first_cmd && cmd == pagoda_pkg::DcPre); // row conflict
    cnt_add[6] = 64'(cmd == pagoda_pkg::DcRef);
    cnt_add[7] = is_cas ? 64'd4 : 64'd0;                     // BL/2 cycles per burst
  end
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      for (int unsigned c = 0; c < NumCounters; c++) cnt_q[c] <= '0;
    end else begin
      for (int unsigned c = 0; c < NumCounters; c++) cnt_q[c] <= cnt_q[c] + cnt_add[c];
    end
  end
  assign cnt_o = cnt_q[cnt_sel_i];

  // ---- Assertions -----------------------------------------------------------
  `ASSERT_INIT(qdepth_ok, QDepth >= 2 && QDepth <= 64 && (QDepth & (QDepth - 1)) == 0)
  `ASSERT_INIT(rdq_pow2, RdqDepth >= 2 && (RdqDepth & (RdqDepth - 1)) == 0)
  `ASSERT_INIT(banks_pow2, NumBanks >= 2 && (NumBanks & (NumBanks - 1)) == 0)
  `ASSERT_INIT(widths_ok, TimerW >= 4 && TimerW <= 16 && StampW >= 5 && StampW <= 32 &&
                         MaxOwed >= 1 && MaxOwed <= 8)
  // The settings' delays fit the timers (the longest load: an
  // auto-precharge's ACT waits tRAS or write recovery, then tRP), the
  // starvation cap the stamps.
  localparam logic [16:0] TimerLimit = 17'd1 << TimerW;
  logic delays_fit;
  assign delays_fit = 17'(cfg_q.trfc) < TimerLimit && 17'(cfg_q.trc) < TimerLimit &&
                      17'(cfg_q.tfaw) < TimerLimit && 17'(cfg_q.cl) + 17'd6 < TimerLimit &&
                      17'(cfg_q.tras) + 17'(cfg_q.trp) < TimerLimit &&
                      17'(cfg_q.cwl) + 17'd4 + 17'(cfg_q.twtr_l) < TimerLimit &&
                      17'(cfg_q.cwl) + 17'd4 + 17'(cfg_q.twr) + 17'(cfg_q.trp) < TimerLimit;
  `ASSERT(settings_fit, delays_fit && 33'(cfg_q.starve) < (33'd1 << StampW) / 2)
  // A column command goes to the open row; ACT only to a closed bank, PRE
  // only to an open one.
  logic sel_bank_open, sel_row_open;
  assign sel_bank_open = b_open_q[sb];
  assign sel_row_open = sel_bank_open && b_row_q[sb] == cmd_row_o;
  `ASSERT_IF(cas_open_row, is_cas, sel_row_open)
  `ASSERT_IF(act_closed_bank, cmd == pagoda_pkg::DcAct, !sel_bank_open)
  `ASSERT_IF(pre_open_bank, cmd == pagoda_pkg::DcPre, sel_bank_open)
  // No command before the controller's own timers allow it.
  logic [TimerW-1:0] sel_t_act, sel_t_rd, sel_t_wr, sel_t_pre;
  logic [QDepth-1:0] sel_dep;
  assign sel_t_act = t_act_q[sb];
  assign sel_t_rd  = t_rd_q[sb];
  assign sel_t_wr  = t_wr_q[sb];
  assign sel_t_pre = t_pre_q[sb];
  assign sel_dep   = e_dep_q[sel];
  `ASSERT_IF(act_timer, cmd == pagoda_pkg::DcAct, sel_t_act == '0 && faw_ok)
  `ASSERT_IF(rd_timer, cmd == pagoda_pkg::DcRd, sel_t_rd == '0 && !rdq_full)
  `ASSERT_IF(wr_timer, cmd == pagoda_pkg::DcWr, sel_t_wr == '0)
  `ASSERT_IF(pre_timer, cmd == pagoda_pkg::DcPre, sel_t_pre == '0)
  `ASSERT_IF(prea_timer, cmd == pagoda_pkg::DcPrea, prea_ready)
  `ASSERT_IF(ref_idle, cmd == pagoda_pkg::DcRef, all_closed && all_act_ready && owed_q != '0)
  // JEDEC: at most 8 refreshes postponed.
  `ASSERT(refresh_postponed_8, owed_q <= 4'(MaxOwed))
  // A request is served only when no older request to its line is queued;
  // it enters a free slot.
  `ASSERT_IF(same_line_order, is_cas, !(|(sel_dep & e_valid_q)))
  `ASSERT_IF(accept_free, accept, !e_valid_q[free])
  // Every slot of a bank's set is queued, so whatever the sets select is.
  logic [QDepth-1:0] in_some_bank;
  always_comb begin
    in_some_bank = '0;
    for (int unsigned b = 0; b < NumBanks; b++) in_some_bank = in_some_bank | bank_q[b];
  end
  `ASSERT(banks_hold_queued, (in_some_bank & ~e_valid_q) == '0)
  // The bookkeeping kept as requests come and go agrees with the queue: the
  // oldest slot is queued and has none older; the served slot is in its
  // bank's set; a PRE closes a row its request does not want; the counts.
  logic [QDepth-1:0] oldest_older, sel_bank_slots;
  assign oldest_older   = e_older_q[oldest_q];
  assign sel_bank_slots = bank_q[sb];
  `ASSERT_IF(oldest_is_oldest, e_valid_q != '0, e_valid_q[oldest_q] &&
                                                (oldest_older & e_valid_q) == '0)
  `ASSERT_IF(sel_in_its_bank, cmd != pagoda_pkg::DcNop && sel_one != '0, sel_bank_slots[sel])
  `ASSERT_IF(pre_other_row, cmd == pagoda_pkg::DcPre, !sel_row_open)
  `ASSERT(counts, n_valid_q == (QW + 1)'($countones(e_valid_q)) &&
                  n_writes_q == (QW + 1)'($countones(e_valid_q & e_we_q)))
  // Read data never arrives unasked.

  // When the last command of each kind went out (per bank, and on the
  // rank), to cover every command pair at its minimum spacing.
  localparam logic [StampW-1:0] LongAgo = StampW'(1) << (StampW - 1);
  logic [StampW-1:0] last_act [NumBanks];
  logic [StampW-1:0] last_pre [NumBanks];
  logic [StampW-1:0] last_rd_b [NumBanks];
  logic [StampW-1:0] last_wr_b [NumBanks];
  logic [StampW-1:0] last_any_act, last_rd, last_wr, last_ref;
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      for (int unsigned b = 0; b < NumBanks; b++) begin
        last_act[b] <= LongAgo; last_pre[b] <= LongAgo; last_rd_b[b] <= LongAgo;
        last_wr_b[b] <= LongAgo;
      end
      last_any_act <= LongAgo; last_rd <= LongAgo; last_wr <= LongAgo; last_ref <= LongAgo;
    end else begin
      unique case (cmd)
        pagoda_pkg::DcAct: begin last_act[sb] <= now_q; last_any_act <= now_q; end
        pagoda_pkg::DcRd:  begin last_rd_b[sb] <= now_q; last_rd <= now_q; end
        pagoda_pkg::DcWr:  begin last_wr_b[sb] <= now_q; last_wr <= now_q; end
        pagoda_pkg::DcPre: last_pre[sb] <= now_q;
        pagoda_pkg::DcPrea: for (int unsigned b = 0; b < NumBanks; b++) last_pre[b] <= now_q;
        pagoda_pkg::DcRef: last_ref <= now_q;
        default: ;
      endcase
    end
  end
  logic [StampW-1:0] sel_since_act, sel_since_pre, sel_since_rd, sel_since_wr;
  logic [StampW-1:0] since_any_act, since_rd, since_wr, since_ref;
  assign sel_since_act = now_q - last_act[sb];
  assign sel_since_pre = now_q - last_pre[sb];
  assign sel_since_rd  = now_q - last_rd_b[sb];
  assign sel_since_wr  = now_q - last_wr_b[sb];
  assign since_any_act = now_q - last_any_act;
  assign since_rd      = now_q - last_rd;
  assign since_wr      = now_q - last_wr;
  assign since_ref     = now_q - last_ref;
  logic is_act, is_wr, is_pre;
  assign is_act = cmd == pagoda_pkg::DcAct;
  assign is_wr  = cmd == pagoda_pkg::DcWr;
  assign is_pre = cmd == pagoda_pkg::DcPre;
  // The least spacing of each pair: a timer loaded with D allows its
  // command D + 1 cycles later.
  logic [StampW-1:0] min_ccd_s;
  assign min_ccd_s = StampW'(d_ccd_s) + 1'b1;
  logic [StampW-1:0] min_ras;
  assign min_ras = StampW'(d_ras) + 1'b1;
  logic [StampW-1:0] min_rc;
  assign min_rc = StampW'(d_rc) + 1'b1;
  logic [StampW-1:0] min_rcd;
  assign min_rcd = StampW'(d_rcd) + 1'b1;
  logic [StampW-1:0] min_rd2wr;
  assign min_rd2wr = StampW'(d_rd2wr) + 1'b1;
  logic [StampW-1:0] min_rfc;
  assign min_rfc = StampW'(d_rfc) + 1'b1;
  logic [StampW-1:0] min_rp;
  assign min_rp = StampW'(d_rp) + 1'b1;
  logic [StampW-1:0] min_rrd_s;
  assign min_rrd_s = StampW'(d_rrd_s) + 1'b1;
  logic [StampW-1:0] min_rtp;
  assign min_rtp = StampW'(d_rtp) + 1'b1;
  logic [StampW-1:0] min_wr2pre;
  assign min_wr2pre = StampW'(d_wr2pre) + 1'b1;
  logic [StampW-1:0] min_wr2rd_s;
  assign min_wr2rd_s = StampW'(d_wr2rd_s) + 1'b1;
  `COVER(c_act_rd_trcd, is_rd && sel_since_act == min_rcd)
  `COVER(c_act_wr_trcd, is_wr && sel_since_act == min_rcd)
  `COVER(c_act_pre_tras, is_pre && sel_since_act == min_ras)
  `COVER(c_act_act_trc, is_act && sel_since_act == min_rc)
  `COVER(c_act_act_trrd, is_act && since_any_act == min_rrd_s && sel_since_act != since_any_act)
  logic faw_opens_q;  // the fourth-last ACT's window closes this cycle
  always_ff @(posedge clk_i) faw_opens_q <= t_faw_q[faw_ptr_q] == TimerW'(1);
  `COVER(c_act_tfaw, is_act && faw_opens_q)
  `COVER(c_pre_act_trp, is_act && sel_since_pre == min_rp)
  `COVER(c_rd_rd_tccd, is_rd && since_rd == min_ccd_s)
  `COVER(c_wr_wr_tccd, is_wr && since_wr == min_ccd_s)
  `COVER(c_rd_wr, is_wr && since_rd == min_rd2wr)
  `COVER(c_wr_rd, is_rd && since_wr == min_wr2rd_s)
  `COVER(c_rd_pre_trtp, is_pre && sel_since_rd == min_rtp)
  `COVER(c_wr_pre_twr, is_pre && sel_since_wr == min_wr2pre)
  `COVER(c_ref_act_trfc, is_act && since_ref == min_rfc)
  // Queue and refresh events.
  // A read arrives behind a queued write to its line (and waits for it).
  logic rd_behind_wr;
  assign rd_behind_wr = accept && !req_we_i && (same_line & e_we_q) != '0;
  `COVER(c_write_queue_full, req_valid_i && req_we_i && n_writes_q == (QW + 1)'(cfg_q.wq_limit))
  `COVER(c_read_queue_full, req_valid_i && !req_we_i &&
                            n_valid_q - n_writes_q == (QW + 1)'(cfg_q.queue_limit))
  `COVER(c_read_behind_write, rd_behind_wr)
  `COVER(c_refresh_postponed_8, owed_q == 4'(MaxOwed))
  `COVER(c_starved, |starved_one)
  `COVER(c_write_drain, drain_q && is_cas && e_we_q[sel])
  `COVER(c_auto_precharge, cmd_ap_o)
  `COVER(c_row_conflict, first_cmd && is_pre)

endmodule
