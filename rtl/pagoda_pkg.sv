// SPDX-License-Identifier: MIT
// pagoda_pkg — shared widths, encodings and constants of the pagoda RTL.
//
// Mirrors sw/model/pg_hw.h and pg_model.h: the C golden model and the RTL
// use the same encodings so the testbench can compare them directly.
package pagoda_pkg;

  // ---- widths -------------------------------------------------------------
  localparam int unsigned VaBits   = 48;  // 4-level paging, and every IOVA
  localparam int unsigned VaBits57 = 57;  // 5-level paging (CR4.LA57)
  localparam int unsigned PaBits   = 52;
  // Every translation cache tags VA[56:12]: a canonical 48-bit address
  // repeats bit 47 there, an IOVA is zero-extended.
  localparam int unsigned VpnBits  = VaBits57 - 12;  // 45
  localparam int unsigned PfnBits  = PaBits - 12;  // 40: PA[51:12]
  localparam int unsigned PcidBits = 12;
  // A CAM entry's context tag: a PCID, or in the IOTLB a 16-bit domain ID.
  localparam int unsigned TagBits  = 16;
  localparam int unsigned LineBytes = 64;
  localparam int unsigned LineBits  = LineBytes * 8;

  // ---- paging-structure entry (SDM vol. 3 4.5) -----------------------------
  // One layout for every level: PS is reserved in a PML4E and means "page"
  // in a PDPTE or PDE (its PAT bit 12 then reads as a low address bit that
  // must be 0 below the page size); bit 7 of a PTE is PAT, unused here.
  typedef struct packed {
    logic               xd;     // 63 execute-disable (reserved with EFER.NXE=0)
    logic [3:0]         pkey;   // 62:59 protection key (leaf, with CR4.PKE or PKS)
    logic [6:0]         avail;  // 58:52 ignored
    logic [PfnBits-1:0] pfn;    // 51:12 next table or frame
    logic [2:0]         ign;    // 11:9 ignored
    logic               g;      // 8 global (leaf)
    logic               ps;     // 7 page size
    logic               d;      // 6 dirty (leaf)
    logic               a;      // 5 accessed
    logic               pcd;    // 4
    logic               pwt;    // 3
    logic               us;     // 2 user
    logic               rw;     // 1 writable
    logic               p;      // 0 present
  } pte_t;

  // ---- page-fault error code ----------------------------------------------
  localparam int unsigned ErrP    = 0;
  localparam int unsigned ErrW    = 1;
  localparam int unsigned ErrU    = 2;
  localparam int unsigned ErrRsvd = 3;
  localparam int unsigned ErrId   = 4;
  localparam int unsigned ErrPk   = 5;
  localparam int unsigned ErrBits = 6;

  // ---- encodings shared with the C side -------------------------------------
  // Access type (pg_op_t).
  typedef enum logic [1:0] {OpLoad = 2'd0, OpStore = 2'd1, OpFetch = 2'd2} op_e;
  // Completion status (pg_status_t).
  typedef enum logic [2:0] {
    StatusOk    = 3'd0,
    StatusPf    = 3'd1,
    StatusGp    = 3'd2,
    StatusBus   = 3'd3,
    StatusEpt   = 3'd4,  // an EPT violation
    StatusEptMc = 3'd5   // an EPT misconfiguration
  } status_e;
  // Page-fault kind (pg_pf_kind_t).
  typedef enum logic [3:0] {
    PfNone       = 4'd0,
    PfNotPresent = 4'd1,
    PfReserved   = 4'd2,
    PfUser       = 4'd3,
    PfWrite      = 4'd4,
    PfNx         = 4'd5,
    PfSmep       = 4'd6,
    PfSmap       = 4'd7,
    PfPk         = 4'd8
  } pf_kind_e;
  // Control fields (pg_ctl_field_t).
  typedef enum logic [3:0] {
    CtlCr3   = 4'd0,
    CtlWp    = 4'd1,
    CtlNxe   = 4'd2,
    CtlSmep  = 4'd3,
    CtlSmap  = 4'd4,
    CtlPcide = 4'd5,
    CtlPge   = 4'd6,
    CtlLa57  = 4'd7,   // CR4.LA57 (5-level paging)
    CtlPke   = 4'd8,   // CR4.PKE
    CtlPks   = 4'd9,   // CR4.PKS
    CtlPkru  = 4'd10,  // PKRU
    CtlPkrs  = 4'd11,  // IA32_PKRS
    CtlEpt   = 4'd12,  // in a guest with EPT on
    CtlEptp  = 4'd13,  // the EPT pointer
    CtlVpid  = 4'd14,  // the current VPID
    CtlVmCr3 = 4'd15   // CR3 as a VM entry or exit loads it: no flush
  } ctl_field_e;
  localparam int unsigned CtlFieldBits = 4;

  // What the MMU's control port carries (enum pgv_ctl_kind in tb/pg_vshim.h):
  // a control-register write (field: ctl_field_e), an INVLPG, an INVPCID,
  // an INVEPT or an INVVPID (field: its type).
  typedef enum logic [2:0] {
    CtlKindWrite   = 3'd0,
    CtlKindInvlpg  = 3'd1,
    CtlKindInvpcid = 3'd2,
    CtlKindInvept  = 3'd3,
    CtlKindInvvpid = 3'd4
  } ctl_kind_e;

  // ---- virtual machines (SDM vol. 3C 28.2-28.4) ------------------------------
  // A cached translation's VM context: the VPID, and for a combined mapping
  // (made with EPT on) the EPTP's bits 51:12; ept = 0 and ep4ta = 0 for a
  // linear mapping. Globals ignore the PCID, never this.
  localparam int unsigned VpidBits = 16;
  typedef struct packed {
    logic [VpidBits-1:0] vpid;
    logic                ept;
    logic [PfnBits-1:0]  ep4ta;
  } vm_tag_t;
  localparam int unsigned VmTagBits = VpidBits + 1 + PfnBits;
  // EPT entries (SDM 28.2.2): R/W/X in bits 2:0, memory type 5:3 in a leaf,
  // PS 7, A 8, D 9, the address 51:12.
  localparam int unsigned EptR = 0;
  localparam int unsigned EptW = 1;
  localparam int unsigned EptX = 2;
  localparam int unsigned EptA = 8;
  localparam int unsigned EptD = 9;
  localparam int unsigned EptpAd = 6;  // EPTP bit 6: EPT A/D flags on
  // The EPT right (bit of R/W/X) an access to its final address needs.
  // (Numeric labels: Yosys 0.23 cannot resolve enum items inside a package.)
  function automatic logic [1:0] ept_need_bit(op_e op);
    unique case (op)
      2'd0:    ept_need_bit = 2'(EptR);  // a load
      2'd1:    ept_need_bit = 2'(EptW);  // a store
      default: ept_need_bit = 2'(EptX);  // a fetch
    endcase
  endfunction
  // Exit-qualification bits (SDM table 27-7) that pagoda sets.
  localparam int unsigned QualBits = 9;
  // How an EPT walk ended.
  typedef enum logic [1:0] {
    EptOk     = 2'd0,
    EptViol   = 2'd1,
    EptMiscfg = 2'd2,
    EptBus    = 2'd3
  } ept_status_e;

  // Page (or region) size of a cache entry: the VA bits it covers are
  // [56:12 + 9 * size]. Size 3 (512 GiB) is used by the PML4E walk cache;
  // the PML5E walk cache keeps size 3 with VA[47:39] zero in its tags.
  typedef enum logic [1:0] {Sz4K = 2'd0, Sz2M = 2'd1, Sz1G = 2'd2, Sz512G = 2'd3} size_e;

  // Mask over a VPN (VA[56:12]) of the bits an entry of SIZE compares.
  // (Numeric labels: Yosys 0.23 cannot resolve enum items inside a package.)
  function automatic logic [VpnBits-1:0] vpn_mask(logic [1:0] size);
    unique case (size)
      2'd0:    vpn_mask = {VpnBits{1'b1}};
      2'd1:    vpn_mask = {{(VpnBits - 9){1'b1}}, 9'b0};
      2'd2:    vpn_mask = {{(VpnBits - 18){1'b1}}, 18'b0};
      default: vpn_mask = {{(VpnBits - 27){1'b1}}, 27'b0};
    endcase
  endfunction

  // A translation or walk-cache entry's payload. Arrays of it are stored as
  // logic [PayloadBits-1:0]: Yosys 0.23 silently drops the writes to an
  // unpacked array of a packed struct.
  localparam int unsigned PayloadBits = PfnBits + 11;
  typedef struct packed {
    logic [2:0] ept_rwx;      // combined mapping: EPT rights of the page (TLB) or table (walk cache)
    logic [PfnBits-1:0] pfn;  // frame (TLB) or next table (walk cache), PA[51:12]
    logic w;                  // RW=1 at every level so far
    logic u;                  // US=1 at every level so far
    logic xd;                 // XD=1 at some level so far
    logic dirty;              // TLB: the leaf's D bit as cached
    logic [3:0] pkey;         // TLB: the leaf's protection key; walk cache: 0
  } payload_t;

  // An invalidation request, applied to every cache at once. An entry is
  // dropped unless: keep_global and it is global; or use_pcid and its PCID
  // differs (a global entry still counts as a match when any_global); or
  // use_va and it does not cover va. Same predicate as the golden model.
  // With VM tags, an entry is also kept when: use_vpid and its VPID differs;
  // keep_vpid0 and its VPID is 0; use_ep4ta and it is not a combined mapping
  // of vm.ep4ta; combined and it is a linear mapping.
  typedef struct packed {
    logic use_va;
    logic [VpnBits-1:0] vpn;
    logic use_pcid;
    logic [TagBits-1:0] pcid;  // a PCID zero-extended, or a domain ID
    logic keep_global;
    logic any_global;
    logic use_vpid;
    logic keep_vpid0;
    logic use_ep4ta;
    logic combined;
    vm_tag_t vm;  // the VPID and EP4TA compared
  } inval_t;

  // An invalidation request (no '{...} patterns: outside the Yosys subset),
  // of the VPID VPID alone when use_vpid.
  function automatic inval_t make_inval(logic use_va, logic [VpnBits-1:0] vpn, logic use_pcid,
                                        logic [PcidBits-1:0] pcid, logic keep_global,
                                        logic any_global, logic use_vpid,
                                        logic [VpidBits-1:0] vpid);
    make_inval = {use_va, vpn, use_pcid, 4'b0, pcid, keep_global, any_global, use_vpid, 1'b0,
                  1'b0, 1'b0, vpid, 1'b0, {PfnBits{1'b0}}};
  endfunction

  // INVVPID type 2: every VPID's mappings but the host's (VPID 0).
  function automatic inval_t make_inval_guests();
    make_inval_guests = {1'b0, {VpnBits{1'b0}}, 1'b0, {TagBits{1'b0}}, 1'b0, 1'b0, 1'b0, 1'b1,
                         1'b0, 1'b0, {VmTagBits{1'b0}}};
  endfunction

  // INVEPT: every combined mapping (all), or those of one EP4TA.
  function automatic inval_t make_inval_ept(logic all, logic [PfnBits-1:0] ep4ta);
    make_inval_ept = {1'b0, {VpnBits{1'b0}}, 1'b0, {TagBits{1'b0}}, 1'b0, 1'b0, 1'b0, 1'b0,
                      !all, all, {VpidBits{1'b0}}, 1'b1, ep4ta};
  endfunction

  // The same for a cache tagged by a 16-bit domain (the IOTLB): no globals.
  function automatic inval_t make_inval_tag(logic use_va, logic [VpnBits-1:0] vpn,
                                            logic use_tag, logic [TagBits-1:0] tag);
    make_inval_tag = {use_va, vpn, use_tag, tag, 1'b0, 1'b0, 1'b0, 1'b0, 1'b0, 1'b0,
                      {VmTagBits{1'b0}}};
  endfunction

  // Whether an entry of VM context VM (with PCID and global aside) is one a
  // request selects (its use_vpid, keep_vpid0, use_ep4ta, combined and vm).
  // (VM is a vm_tag_t's bits: Yosys 0.23 takes no struct arguments.)
  function automatic logic inval_vm_selects(logic use_vpid, logic keep_vpid0, logic use_ep4ta,
                                            logic combined, logic [VpidBits-1:0] rvpid,
                                            logic [PfnBits-1:0] rep4ta,
                                            logic [VmTagBits-1:0] vm);
    // (No local variables: Yosys makes wires of them at every call.)
    inval_vm_selects = !(use_vpid && vm[VmTagBits-1 -: VpidBits] != rvpid) &&
                       !(keep_vpid0 && vm[VmTagBits-1 -: VpidBits] == '0) &&
                       !(use_ep4ta && !(vm[PfnBits] && vm[PfnBits-1:0] == rep4ta)) &&
                       !(combined && !vm[PfnBits]);
  endfunction

  // The 9-bit table index of a VPN at a level (5 = PML5, 4 = PML4 .. 1 = PT).
  function automatic logic [8:0] vpn_index(logic [VpnBits-1:0] vpn, logic [2:0] level);
    unique case (level)
      3'd5:    vpn_index = vpn[44:36];
      3'd4:    vpn_index = vpn[35:27];
      3'd3:    vpn_index = vpn[26:18];
      3'd2:    vpn_index = vpn[17:9];
      default: vpn_index = vpn[8:0];
    endcase
  endfunction

  // A linear address is canonical when bits 63:47 all equal bit 47 (with
  // LA57: bits 63:56 equal bit 56).
  // The argument is va[63:VaBits-1].
  function automatic logic canonical(logic la57, logic [63:VaBits-1] top);
    canonical = la57 ? (top[63:VaBits57-1] == '0 || top[63:VaBits57-1] == '1)
                     : (top == '0 || top == '1);
  endfunction

  // The physical address ADDR falls on in the page of SIZE (0 4 KiB, 1 2 MiB,
  // 2 1 GiB) at frame PFN: the frame's bits above the page, ADDR's below.
  function automatic logic [PaBits-1:0] make_pa(logic [PfnBits-1:0] pfn, logic [1:0] size,
                                                logic [PaBits-1:0] addr);
    logic [PaBits-1:0] off_mask;
    unique case (size)
      2'd0:    off_mask = 52'h0_0000_0000_0fff;
      2'd1:    off_mask = 52'h0_0000_001f_ffff;
      default: off_mask = 52'h0_0000_3fff_ffff;
    endcase
    make_pa = ({pfn, 12'b0} & ~off_mask) | (addr & off_mask);
  endfunction

  // The memory map of SPEC 2.1: RAM is [0, 0xC000_0000).
  localparam logic [PaBits-1:0] RamLimit = 52'h0_0000_C000_0000;
  // Device register windows: NIC and disk 256 bytes each, the IOMMU 4 KiB.
  localparam logic [PaBits-1:0] NicBase   = 52'h0_0000_C000_0000;
  localparam logic [PaBits-1:0] DiskBase  = 52'h0_0000_C000_0100;
  localparam logic [PaBits-1:0] IommuBase = 52'h0_0000_C000_1000;
  // IOMMU registers, offsets in its window (SPEC 4; IOMMU_* in pg_hw.h).
  localparam logic [11:0] IommuCap      = 12'h000;
  localparam logic [11:0] IommuCtrl     = 12'h008;
  localparam logic [11:0] IommuDtBase   = 12'h010;
  localparam logic [11:0] IommuDtLog2   = 12'h018;
  localparam logic [11:0] IommuFlBase   = 12'h020;
  localparam logic [11:0] IommuFlLog2   = 12'h028;
  localparam logic [11:0] IommuFlHead   = 12'h030;
  localparam logic [11:0] IommuFlTail   = 12'h038;
  localparam logic [11:0] IommuFsts     = 12'h040;
  localparam logic [11:0] IommuCqBase   = 12'h048;
  localparam logic [11:0] IommuCqLog2   = 12'h050;
  localparam logic [11:0] IommuCqTail   = 12'h058;
  localparam logic [11:0] IommuCqHead   = 12'h060;
  localparam logic [11:0] IommuCqSts    = 12'h068;
  localparam logic [11:0] IommuCntHits  = 12'h080;
  localparam logic [11:0] IommuCntMiss  = 12'h088;
  localparam logic [11:0] IommuCntWalks = 12'h090;
  localparam logic [11:0] IommuCntFault = 12'h098;
  localparam logic [11:0] IommuCntDrop  = 12'h0a0;
  localparam logic [7:0]  IommuVersion  = 8'd1;
  // Command opcodes, word 0 bits 7:0 (CMD_* in pg_hw.h).
  localparam logic [7:0] CmdInvDte    = 8'd1;
  localparam logic [7:0] CmdInvDomain = 8'd2;
  localparam logic [7:0] CmdInvPage   = 8'd3;
  localparam logic [7:0] CmdInvAll    = 8'd4;
  localparam logic [7:0] CmdWait      = 8'd5;
  // Device-table entry word 0 (DTE_* in pg_hw.h); words 1 and 2 hold the
  // host and guest table addresses in bits 51:12, word 3 is reserved.
  typedef enum logic [1:0] {
    DteBlocked   = 2'd0,
    DtePass      = 2'd1,
    DteTranslate = 2'd2,
    DteNested    = 2'd3
  } dte_mode_e;
  typedef struct packed {
    logic [31:0] rsvd_hi;  // 63:32
    logic [15:0] domain;   // 31:16
    logic [10:0] rsvd_lo;  // 15:5
    logic        w;        // 4 writes allowed
    logic        r;        // 3 reads allowed
    dte_mode_e   mode;     // 2:1
    logic        v;        // 0 valid
  } dte_w0_t;
  // A device-table entry as the IOMMU keeps it (its cache's entries).
  localparam int unsigned DteBits = 2 + 1 + 1 + 16 + 2 * PfnBits;
  typedef struct packed {
    dte_mode_e          mode;
    logic               r;
    logic               w;
    logic [15:0]        domain;
    logic [PfnBits-1:0] host;   // host (or only) table, PA[51:12]
    logic [PfnBits-1:0] guest;  // guest table (nested), guest-physical [51:12]
  } dte_t;
  // Why a translation failed, in priority order (enum pg_io_reason).
  typedef enum logic [7:0] {
    IoOk         = 8'd0,
    IoRid        = 8'd1,
    IoDteInvalid = 8'd2,
    IoDteRsvd    = 8'd3,
    IoBlocked    = 8'd4,
    IoBus        = 8'd5,
    IoWide       = 8'd6,
    IoNotPresent = 8'd7,
    IoRsvd       = 8'd8,
    IoWrite      = 8'd9,
    IoRead       = 8'd10,
    IoNotRam     = 8'd11
  } io_reason_e;
  // The DMA engines' own reason: SRC, DST or LEN not a multiple of 8.
  localparam logic [7:0] DmaReasonAlign = 8'hff;
  // DMA engine registers, offsets from the engine's base (SPEC 5; DMA_* in pg_hw.h).
  localparam logic [7:0] DmaSrc      = 8'h00;
  localparam logic [7:0] DmaDst      = 8'h08;
  localparam logic [7:0] DmaLen      = 8'h10;
  localparam logic [7:0] DmaCtrl     = 8'h18;
  localparam logic [7:0] DmaStatus   = 8'h20;
  localparam logic [7:0] DmaErrReason = 8'h28;
  localparam logic [7:0] DmaErrIova  = 8'h30;
  // Fault record word 0 (FR_* in pg_hw.h); then the IOVA, the guest-physical
  // address and the entry's address, one word each.
  typedef struct packed {
    logic [15:0] rsvd_hi;  // 63:48
    logic [15:0] domain;   // 47:32
    logic [2:0]  rsvd_lo;  // 31:29
    logic [2:0]  level;    // 28:26
    logic        guest;    // 25 the guest stage faulted
    logic        write;    // 24
    logic [15:0] rid;      // 23:8
    io_reason_e  reason;   // 7:0
  } fault_w0_t;
  // Command word 0 (CMD_* in pg_hw.h); word 1 is the page (INV_PAGE) or the
  // address WAIT writes.
  typedef struct packed {
    logic [31:0] rsvd_hi;  // 63:32
    logic [15:0] arg;      // 31:16 RID (INV_DTE) or domain (INV_DOMAIN, INV_PAGE)
    logic [7:0]  rsvd_lo;  // 15:8
    logic [7:0]  op;       // 7:0 CmdInvDte..CmdWait; any other value stops the queue
  } cmd_w0_t;
  // The IOMMU's translation in progress (pg_iommu): a nested walk's progress,
  // the fault to log, the answer.
  typedef struct packed {
    logic [2:0]         level;     // the guest level read next
    logic [PfnBits-1:0] gtable;    // its table, guest-physical
    logic               gw;        // guest RW=1 at every level so far
    logic [PaBits-1:0]  gea;       // the guest entry's guest-physical address
    logic [PaBits-1:0]  gpa;       // the final guest-physical address
    logic [PaBits-1:0]  gleaf_ea;  // the guest leaf's host-physical address
    pte_t               gleaf;     // ... its value as read
    logic [2:0]         glevel;    // ... its level
    logic [1:0]         gsize;     // ... its page size
    logic [PaBits-1:0]  hpa;       // host-physical address: of the guest entry, then the final
    logic [1:0]         hsize;     // the final host page's size
    logic               hw;        // ... its RW
    logic               hdirty;    // ... its D after the access
  } io_nest_t;
  // The fault to log: word 0's fields that are not the request's, and the
  // record's addresses.
  typedef struct packed {
    io_reason_e        reason;
    logic              guest;   // the guest table faulted (nested)
    logic [2:0]        level;
    logic [PaBits-1:0] entry;   // the faulting entry's address
    logic [PaBits-1:0] gpa;     // the guest-physical address
    logic              walked;  // a walk faulted: drop the IOVA's IOTLB entries
  } io_fault_t;
  // The answer to a requester.
  typedef struct packed {
    logic              valid;
    logic              sel;     // the requester
    io_reason_e        reason;
    logic [PaBits-1:0] pa;
  } io_res_t;

  // A fault as one value (no '{...} patterns: outside the Yosys subset).
  function automatic io_fault_t io_fault(io_reason_e reason, logic guest, logic [2:0] level,
                                         logic [PaBits-1:0] entry, logic [PaBits-1:0] gpa,
                                         logic walked);
    io_fault = {reason, guest, level, entry, gpa, walked};
  endfunction

  function automatic logic is_ram(logic [PaBits-1:0] pa);
    is_ram = pa < RamLimit;
  endfunction

  // The page-level protection check of SDM 4.6 for an access with accumulated
  // rights w/u/xd; PfNone when allowed. Same as check_rights() in the golden
  // model. op: 0 load, 1 store, 2 fetch.
  function automatic pf_kind_e rights_fault(op_e op, logic user, logic ac, logic wp,
                                            logic nxe, logic smep, logic smap, logic w,
                                            logic u, logic xd);
    logic write, fetch;
    write = (op == pagoda_pkg::OpStore);
    fetch = (op == pagoda_pkg::OpFetch);
    rights_fault = pagoda_pkg::PfNone;
    if (user) begin
      if (!u) rights_fault = pagoda_pkg::PfUser;
      else if (write && !w) rights_fault = pagoda_pkg::PfWrite;
    end else begin
      if (u && fetch && smep) rights_fault = pagoda_pkg::PfSmep;
      else if (u && !fetch && smap && !ac) rights_fault = pagoda_pkg::PfSmap;
      else if (write && !w && wp) rights_fault = pagoda_pkg::PfWrite;
    end
    if (rights_fault == pagoda_pkg::PfNone && fetch && xd && nxe) rights_fault = pagoda_pkg::PfNx;
  endfunction

  // The protection-key check of SDM 4.6.2 (key_denies() in the golden
  // model): a user-mode address (u) takes its rights from PKRU when PKE=1, a
  // supervisor-mode address from IA32_PKRS when PKS=1 and the access is a
  // supervisor one. AD (bit 2i) denies every data access, WD (bit 2i+1)
  // user writes and supervisor writes with WP=1. Fetches are never checked.
  function automatic logic key_denies(op_e op, logic user, logic wp, logic pke, logic pks,
                                      logic [31:0] pkru, logic [31:0] pkrs, logic u,
                                      logic [3:0] pkey);
    logic [31:0] rights;
    logic on, ad, wd;
    on = op != pagoda_pkg::OpFetch && (u ? pke : (pks && !user));
    rights = u ? pkru : pkrs;
    ad = rights[{pkey, 1'b0}];
    wd = rights[{pkey, 1'b1}];
    key_denies = on && (ad || (op == pagoda_pkg::OpStore && wd && (user || wp)));
  endfunction

  // The control state every rights check reads (CR0.WP, EFER.NXE, CR4.SMEP,
  // SMAP, PKE, PKS, PKRU, IA32_PKRS[31:0]).
  typedef struct packed {
    logic        wp;
    logic        nxe;
    logic        smep;
    logic        smap;
    logic        pke;
    logic        pks;
    logic [31:0] pkru;
    logic [31:0] pkrs;
  } rights_ctl_t;

  // The whole check: the entries' rights, then the key (check_rights()).
  // (The controls come one by one: Yosys 0.23 cannot call a function with a
  // struct argument.)
  function automatic pf_kind_e access_fault(op_e op, logic user, logic ac, logic wp, logic nxe,
                                            logic smep, logic smap, logic pke, logic pks,
                                            logic [31:0] pkru, logic [31:0] pkrs, logic w,
                                            logic u, logic xd, logic [3:0] pkey);
    access_fault = rights_fault(op, user, ac, wp, nxe, smep, smap, w, u, xd);
    if (access_fault == pagoda_pkg::PfNone &&
        key_denies(op, user, wp, pke, pks, pkru, pkrs, u, pkey))
      access_fault = pagoda_pkg::PfPk;
  endfunction

  // A cached translation satisfies an access: rights and key allow it and,
  // for a store, the cached D bit is set.
  function automatic logic usable(op_e op, logic user, logic ac, logic wp, logic nxe,
                                  logic smep, logic smap, logic pke, logic pks,
                                  logic [31:0] pkru, logic [31:0] pkrs, logic w, logic u,
                                  logic xd, logic dirty, logic [3:0] pkey);
    usable = access_fault(op, user, ac, wp, nxe, smep, smap, pke, pks, pkru, pkrs, w, u, xd,
                          pkey) == pagoda_pkg::PfNone && (op != pagoda_pkg::OpStore || dirty);
  endfunction

  // ---- DRAM controller ------------------------------------------------------------------------
  // Command bus encodings (pg_dcmd_t in tb/pg_dram_dev.h).
  typedef enum logic [2:0] {
    DcNop  = 3'd0,
    DcAct  = 3'd1,
    DcRd   = 3'd2,
    DcWr   = 3'd3,
    DcPre  = 3'd4,
    DcPrea = 3'd5,
    DcRef  = 3'd6
  } dram_cmd_e;

  // The controller's settings, loaded at reset (packed by pg_dram_cfg_pack()
  // in tb/pg_dram_cfg.c from the .ini: the first field is the top bits).
  // Timings are in clock cycles; positions and widths of the address fields
  // are in the line address (byte address >> 6).
  localparam int unsigned DramCfgBits = 220;
  typedef struct packed {
    logic [7:0]  cl;
    logic [7:0]  cwl;
    logic [7:0]  trcd;
    logic [7:0]  trp;
    logic [7:0]  tras;
    logic [7:0]  trc;
    logic [7:0]  trrd_s;
    logic [7:0]  trrd_l;
    logic [7:0]  twtr_s;
    logic [7:0]  twtr_l;
    logic [7:0]  tfaw;
    logic [7:0]  twr;
    logic [7:0]  trtp;
    logic [7:0]  tccd_s;
    logic [7:0]  tccd_l;
    logic [11:0] trfc;
    logic [15:0] trefi;
    logic [4:0]  row_pos;
    logic [4:0]  row_w;
    logic [4:0]  col_pos;
    logic [3:0]  col_w;
    logic [4:0]  ba_pos;
    logic [2:0]  ba_w;
    logic [4:0]  bg_pos;
    logic [2:0]  bg_w;
    logic        xor_hash;     // bank ^= low row bits
    logic        close_page;   // auto-precharge when no other request wants the row
    logic [5:0]  queue_limit;  // reads queued at most (trans_queue_size)
    logic [5:0]  wq_limit;     // writes queued at most (write_queue_size)
    logic [4:0]  wr_hi;        // write drain starts at this many queued writes
    logic [4:0]  wr_lo;        // ... and stops at this many
    logic [11:0] starve;       // cycles after which a request is served first
    logic        in_order;     // FCFS: only the oldest request is served (a baseline)
  } dram_cfg_t;

endpackage
