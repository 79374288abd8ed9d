// SPDX-License-Identifier: MIT
// pg_assert.svh — the named assertion and cover macros of the pagoda RTL.
//
// Every module includes this header and ends with an Assertions section.
// Each check is an immediate assertion in a clocked block: it looks at the
// values just before the rising edge of clk_i, is off while rst_ni is low
// (so a module names its clock and reset so), and costs one evaluation per
// cycle. Verilated builds compile them in (--assert; a failure stops the run
// with its name, its instance and the cycle, and pagoda exits 1); Yosys
// defines SYNTHESIS and sees none of them (SPEC 9).
//
//   `ASSERT(name, cond)              cond holds at every edge out of reset
//   `ASSERT_IF(name, when, cond)     cond holds at every edge when does
//                                    (when |-> cond)
//   `ASSERT_NEXT(name, when, cond)   cond holds one edge after when did
//                                    (when |=> cond)
//   `ASSERT_NEVER(name, cond)        cond holds at no edge
//   `ASSERT_ONEHOT0(name, vec)       at most one bit of vec is set
//   `ASSERT_HOLD(name, valid, ready, payload)
//                                    a valid/ready handshake: once valid is
//                                    up without ready, valid stays up and
//                                    payload (a concatenation) keeps its value
//   `ASSERT_INIT(name, cond)         an elaboration-time check (parameters):
//                                    a build with an illegal parameter fails
//   `COVER(name, cond)               an event a test must reach (counted
//                                    with --coverage-user)
`ifndef PG_ASSERT_SVH
`define PG_ASSERT_SVH

`ifndef SYNTHESIS

`ifdef FORMAL
// Yosys (make formal) names a labelled assertion in a generate loop once for
// all iterations and stops: under formal the label goes, and scripts/formal.py
// names each assertion by the macro call on its source line.
`define ASSERT(name, cond) \
  always_ff @(posedge clk_i) begin \
    if (rst_ni) assert (cond); \
  end
`else
`define ASSERT(name, cond) \
  always_ff @(posedge clk_i) begin \
    if (rst_ni) name: assert (cond); \
  end
`endif

`define ASSERT_IF(name, when, cond) \
  `ASSERT(name, !(when) || (cond))

`define ASSERT_NEXT(name, when, cond) \
  logic name``_when_q; \
  always_ff @(posedge clk_i) name``_when_q <= rst_ni && (when); \
  `ASSERT(name, !name``_when_q || (cond))

`define ASSERT_NEVER(name, cond) \
  `ASSERT(name, !(cond))

`define ASSERT_ONEHOT0(name, vec) \
  `ASSERT(name, $onehot0(vec))

`define ASSERT_HOLD(name, valid, ready, payload) \
  logic [$bits(payload)-1:0] name``_was; \
  logic name``_waiting; \
  always_ff @(posedge clk_i) begin \
    if ((valid) && !(ready)) name``_was <= (payload); \
    name``_waiting <= rst_ni && (valid) && !(ready); \
  end \
  `ASSERT(name, !name``_waiting || ((valid) && (payload) == name``_was))

`define ASSERT_INIT(name, cond) \
  if (!(cond)) begin : name \
    $error("parameter check '%s' failed", `"name`"); \
  end

`define COVER(name, cond) \
  always_ff @(posedge clk_i) begin \
    if (rst_ni) name: cover (cond); \
  end

`else

`define ASSERT(name, cond)
`define ASSERT_IF(name, when, cond)
`define ASSERT_NEXT(name, when, cond)
`define ASSERT_NEVER(name, cond)
`define ASSERT_ONEHOT0(name, vec)
`define ASSERT_HOLD(name, valid, ready, payload)
`define ASSERT_INIT(name, cond)
`define COVER(name, cond)

`endif

`endif
