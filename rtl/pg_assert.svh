// pg_assert.svh — the named assertion and cover macros of the pagoda RTL.
//
// Every module includes this header and ends with an Assertions section.
// The concurrent forms sample at the rising edge of clk_i and are off while
// rst_ni is low, so a module names its clock and reset so. Verilated builds
// compile them in (--assert; a failure stops the run with its name, its
// instance and the cycle, and pagoda exits 1); Yosys defines SYNTHESIS and
// sees none of them (SPEC 9).
//
//   `ASSERT(name, prop)         prop holds at every clock edge out of reset
//   `ASSERT_NEVER(name, prop)   prop holds at no clock edge out of reset
//   `ASSERT_ONEHOT0(name, vec)  at most one bit of vec is set
//   `ASSERT_HOLD(name, valid, ready, payload)
//                               a valid/ready handshake: once valid is up
//                               without ready, valid stays up and payload
//                               (a concatenation) keeps its value next cycle
//   `ASSERT_INIT(name, cond)    an elaboration-time check (parameters): a
//                               build with an illegal parameter fails
//   `COVER(name, prop)          an event a test must reach (counted under
//                               with --coverage-user)
`ifndef PG_ASSERT_SVH
`define PG_ASSERT_SVH

`ifndef SYNTHESIS

`define ASSERT(name, prop) \
  name: assert property (@(posedge clk_i) disable iff (!rst_ni) (prop));

`define ASSERT_NEVER(name, prop) \
  name: assert property (@(posedge clk_i) disable iff (!rst_ni) !(prop));

`define ASSERT_ONEHOT0(name, vec) \
  name: assert property (@(posedge clk_i) disable iff (!rst_ni) $onehot0(vec));

// (The payload is compared with a registered copy outside the property, so
// only a one-bit result is sampled: cheaper than $stable over wide lines.)
`define ASSERT_HOLD(name, valid, ready, payload) \
  logic [$bits(payload)-1:0] name``_was; \
  logic name``_waiting, name``_ok; \
  always_ff @(posedge clk_i) begin \
    name``_was <= (payload); \
    name``_waiting <= (valid) && !(ready); \
  end \
  assign name``_ok = !name``_waiting || ((valid) && (payload) == name``_was); \
  name: assert property (@(posedge clk_i) disable iff (!rst_ni) name``_ok);

`define ASSERT_INIT(name, cond) \
  if (!(cond)) begin : name \
    $error("parameter check '%s' failed", `"name`"); \
  end

`define COVER(name, prop) \
  name: cover property (@(posedge clk_i) disable iff (!rst_ni) (prop));

`else

`define ASSERT(name, prop)
`define ASSERT_NEVER(name, prop)
`define ASSERT_ONEHOT0(name, vec)
`define ASSERT_HOLD(name, valid, ready, payload)
`define ASSERT_INIT(name, cond)
`define COVER(name, prop)

`endif

`endif
