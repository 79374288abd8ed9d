/* SPDX-License-Identifier: MIT */
/* test_trace.c — the trace parser: what it accepts, and a test for every kind
 * of bad input (exit 2 in the CLI), each naming the file and line. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "pg_trace.h"

static int parse(const char *text, pg_trace_t *t, char *err, size_t errlen) {
  err[0] = '\0';
  return pg_trace_parse_buffer("t.trace", text, strlen(text), t, err, errlen);
}

/* TEXT must be rejected with an error on LINE containing WANT. */
static void expect_error(const char *text, unsigned line, const char *want) {
  pg_trace_t t;
  char err[512], prefix[32];
  if (parse(text, &t, err, sizeof err) == 0) {
    pg_trace_free(&t);
    fail_msg("accepted: %s", text);
  }
  snprintf(prefix, sizeof prefix, "t.trace:%u: ", line);
  if (strncmp(err, prefix, strlen(prefix)) != 0 || !strstr(err, want))
    fail_msg("for %s: got \"%s\", want \"%s...%s\"", text, err, prefix, want);
}

static void test_accepts_every_command(void **state) {
  (void)state;
  const char *text = "# comment\n"
                     "\n"
                     "phys.write 0x1000 0x2007\n"
                     "phys.write 0x1008 7 1   # trailing comment\n"
                     "phys.check 0x1000 0x2007 8\n"
                     "ctl cr3=0x1000 wp=1 nxe=1 smep=0 smap=1 pcide=0 pge=1\n"
                     "load  u 0x400000 8 ac=1 expect.pa=0x5000 expect.data=0x12\n"
                     "store s 0x400008 4 0xdeadbeef expect.err=0x7\n"
                     "fetch u 0x400000 2 expect.gp=1\n"
                     "load s 0xc0000000 8 expect.bus=1 expect.pa=0xc0000000\n"
                     "invlpg 0x400000\n"
                     "invpcid 2 0 0\n"
                     "poll s 0x400000 0xff 0x1 max=500\n"
                     "wait 100\r\n";
  pg_trace_t t;
  char err[512];
  assert_int_equal(parse(text, &t, err, sizeof err), 0);
  assert_int_equal(t.n, 12);
  assert_int_equal(t.cmds[0].kind, PG_CMD_PHYS_WRITE);
  assert_int_equal(t.cmds[0].line, 3);
  assert_int_equal(t.cmds[0].size, 8);
  assert_int_equal(t.cmds[1].size, 1);
  assert_int_equal(t.cmds[3].nctl, 7);
  assert_int_equal(t.cmds[3].ctl_field[0], PG_CTL_CR3);
  assert_int_equal(t.cmds[3].ctl_value[0], 0x1000);
  const pg_cmd_t *ld = &t.cmds[4];
  assert_int_equal(ld->acc.op, PG_OP_LOAD);
  assert_int_equal(ld->acc.user, 1);
  assert_int_equal(ld->acc.ac, 1);
  assert_true(ld->exp.status_set && ld->exp.status == PG_ST_OK); /* implied */
  assert_int_equal(ld->exp.pa, 0x5000);
  assert_int_equal(ld->exp.data, 0x12);
  const pg_cmd_t *st = &t.cmds[5];
  assert_int_equal(st->acc.wdata, 0xdeadbeef);
  assert_int_equal(st->exp.status, PG_ST_PF);
  assert_int_equal(st->exp.err, 7);
  assert_int_equal(t.cmds[6].exp.status, PG_ST_GP);
  assert_int_equal(t.cmds[7].exp.status, PG_ST_BUS);
  assert_int_equal(t.cmds[9].inv_type, 2);
  assert_int_equal(t.cmds[10].max, 500);
  assert_int_equal(t.cmds[10].mask, 0xff);
  assert_int_equal(t.cmds[11].max, 100);
  assert_int_equal(t.cmds[11].line, 14);
  pg_trace_free(&t);
}

static void test_no_expectation_means_no_status_check(void **state) {
  (void)state;
  pg_trace_t t;
  char err[512];
  assert_int_equal(parse("load s 0x1000 8\n", &t, err, sizeof err), 0);
  assert_false(t.cmds[0].exp.status_set);
  pg_trace_free(&t);
}

static void test_unknown_command_and_key(void **state) {
  (void)state;
  expect_error("wait 1\nfrobnicate 1 2\n", 2, "unknown command 'frobnicate'");
  expect_error("load s 0x1000 8 expect.color=1\n", 1, "unknown key 'expect.color'");
  expect_error("load s 0x1000 8 speed=1\n", 1, "unknown key 'speed'");
  expect_error("ctl cr4=1\n", 1, "unknown ctl key 'cr4'");
  expect_error("poll s 0x1000 1 1 min=4\n", 1, "unknown key 'min'");
  expect_error("fetch s 0x1000 8 ac=1\n", 1, "ac= does not apply to a fetch");
}

static void test_bad_numbers(void **state) {
  (void)state;
  expect_error("load s 0x10g0 8\n", 1, "bad number '0x10g0'");
  expect_error("load s 12a 8\n", 1, "bad number '12a'");
  expect_error("load s 0x 8\n", 1, "bad number '0x'");
  expect_error("load s -8 8\n", 1, "bad number '-8'");
  expect_error("wait 18446744073709551616\n", 1, "does not fit in 64 bits");
  expect_error("wait 0x10000000000000000\n", 1, "does not fit in 64 bits");
  expect_error("ctl wp=2\n", 1, "must be 0 or 1");
  expect_error("ctl cr3=0x0010000000001000\n", 1, "reserved bits 62:52");
}

static void test_sizes_and_alignment(void **state) {
  (void)state;
  expect_error("load s 0x1000 3\n", 1, "SIZE must be 1, 2, 4 or 8");
  expect_error("load s 0x1000 16\n", 1, "SIZE must be 1, 2, 4 or 8");
  expect_error("load s 0x1004 8\n", 1, "not aligned to SIZE 8");
  expect_error("store s 0x1001 2 0\n", 1, "not aligned to SIZE 2");
  expect_error("phys.write 0x1004 0 8\n", 1, "not aligned");
  expect_error("poll s 0x1004 1 1\n", 1, "not 8-byte aligned");
  expect_error("store s 0x1000 1 0x100\n", 1, "does not fit in 1 bytes");
  expect_error("phys.write 0x1000 0x10000 2\n", 1, "does not fit in 2 bytes");
  expect_error("load s 0x1000 2 expect.data=0x10000\n", 1, "does not fit in 2 bytes");
  expect_error("phys.write 0xc0000000 1\n", 1, "is not RAM");
  expect_error("phys.check 0xbffffffc 1 8\n", 1, "not aligned");
}

static void test_missing_and_extra_operands(void **state) {
  (void)state;
  expect_error("load s 0x1000\n", 1, "missing operand");
  expect_error("store s 0x1000 8\n", 1, "missing operand");
  expect_error("store s 0x1000 8 expect.err=2\n", 1, "missing operand");
  expect_error("load 0x1000 8\n", 1, "missing operand");
  expect_error("phys.write 0x1000\n", 1, "missing operand");
  expect_error("ctl\n", 1, "missing operand");
  expect_error("invlpg\n", 1, "missing operand");
  expect_error("invpcid 1 2\n", 1, "missing operand");
  expect_error("poll s 0x1000 1\n", 1, "missing operand");
  expect_error("wait\n", 1, "missing operand");
  expect_error("wait 1 2\n", 1, "unexpected '2'");
  expect_error("invlpg 1 2\n", 1, "unexpected '2'");
  expect_error("phys.write 0x1000 1 8 9\n", 1, "unexpected '9'");
  expect_error("load x 0x1000 8\n", 1, "privilege must be 'u' or 's'");
  expect_error("load s 0x1000 8 0x5\n", 1, "unexpected '0x5'");
}

static void test_empty_values(void **state) {
  (void)state;
  expect_error("load s 0x1000 8 expect.data=\n", 1, "empty value");
  expect_error("ctl cr3=\n", 1, "empty value");
  expect_error("poll s 0x1000 1 1 max=\n", 1, "empty value");
  expect_error("load s 0x1000 8 ac=\n", 1, "empty value");
}

static void test_contradictions_and_duplicates(void **state) {
  (void)state;
  expect_error("load s 0x1000 8 expect.err=1 expect.gp=1\n", 1, "only one of");
  expect_error("load s 0x1000 8 expect.err=1 expect.pa=0x1000\n", 1, "contradicts");
  expect_error("load s 0x1000 8 expect.bus=1 expect.data=0\n", 1, "contradicts");
  expect_error("store s 0x1000 8 1 expect.data=1\n", 1, "not allowed on a store");
  expect_error("load s 0x1000 8 expect.gp=0\n", 1, "takes only the value 1");
  expect_error("load s 0x1000 8 expect.pa=1 expect.pa=1\n", 1, "given twice");
  expect_error("ctl wp=1 wp=0\n", 1, "given twice");
  expect_error("invpcid 4 0 0\n", 1, "TYPE must be 0..3");
  expect_error("invpcid 0 4096 0\n", 1, "PCID must be 0..4095");
  /* Canonical in 57 bits is accepted (the model decides by CR4.LA57). */
  expect_error("invpcid 0 1 0x0100000000000000\n", 1, "non-canonical");
  expect_error("ctl pkru=0x100000000\n", 1, "does not fit in 32 bits");
  expect_error("ctl pkrs=0x100000000\n", 1, "bits 63:32 are reserved");
  expect_error("ctl la57=2\n", 1, "la57");
  expect_error("poll s 0x1000 1 1 max=0\n", 1, "at least 1");
}

static void test_binary_and_long_lines(void **state) {
  (void)state;
  pg_trace_t t;
  char err[512];
  const char bin[] = "wait 1\nwait \0 2\n";
  assert_int_equal(pg_trace_parse_buffer("t.trace", bin, sizeof bin - 1, &t, err, sizeof err), -1);
  assert_non_null(strstr(err, "t.trace:2: binary data"));
  expect_error("wait 1\x01\n", 1, "binary data");
  static char big[5000];
  memset(big, ' ', sizeof big - 2);
  big[sizeof big - 2] = '\n';
  expect_error(big, 1, "line longer than");
}

static void test_unreadable_file(void **state) {
  (void)state;
  pg_trace_t t;
  char err[512];
  assert_int_equal(pg_trace_parse_file("/nonexistent/x.trace", &t, err, sizeof err), -1);
  assert_non_null(strstr(err, "/nonexistent/x.trace: cannot read"));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_accepts_every_command),
      cmocka_unit_test(test_no_expectation_means_no_status_check),
      cmocka_unit_test(test_unknown_command_and_key),
      cmocka_unit_test(test_bad_numbers),
      cmocka_unit_test(test_sizes_and_alignment),
      cmocka_unit_test(test_missing_and_extra_operands),
      cmocka_unit_test(test_empty_values),
      cmocka_unit_test(test_contradictions_and_duplicates),
      cmocka_unit_test(test_binary_and_long_lines),
      cmocka_unit_test(test_unreadable_file),
  };
  return cmocka_run_group_tests_name("trace parser", tests, NULL, NULL);
}
