/* SPDX-License-Identifier: MIT */
/* test_import.c — `pagoda import lackey`: each line kind, a modify as a load
 * then a store, accesses split at alignment, line and page boundaries,
 * first-touch faults and the kernel's mapping, rights and A/D checks, page
 * sizes, and every kind of bad line; and the traces it writes run clean on
 * the golden model. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h> /* after the headers it needs */

#include "pg_hw.h"
#include "pg_import.h"
#include "pg_runner.h"
#include "pg_trace.h"

typedef struct {
  char *text; /* the trace */
  size_t len;
  pg_import_stats_t st;
  pg_trace_t t;
} imported_t;

/* Imports LOG; the trace must parse. */
static void import(const char *log, pg_import_pages_t pages, uint64_t max, uint64_t seed,
                   imported_t *im) {
  FILE *in = fmemopen((void *)log, strlen(log), "r");
  FILE *out = open_memstream(&im->text, &im->len);
  assert_non_null(in);
  assert_non_null(out);
  pg_import_opts_t o = {.pages = pages, .max = max, .seed = seed};
  char err[512] = "";
  int rc = pg_import_lackey(in, "t.log", out, &o, &im->st, err, sizeof err);
  fclose(in);
  fclose(out);
  if (rc)
    fail_msg("import refused: %s", err);
  if (pg_trace_parse_buffer("t.trace", im->text, im->len, &im->t, err, sizeof err))
    fail_msg("trace does not parse: %s", err);
}

static void done(imported_t *im) {
  pg_trace_free(&im->t);
  free(im->text);
}

/* The I-th access command. */
static const pg_cmd_t *access_n(const imported_t *im, unsigned i) {
  for (size_t k = 0; k < im->t.n; k++)
    if (im->t.cmds[k].kind == PG_CMD_ACCESS && i-- == 0)
      return &im->t.cmds[k];
  fail_msg("fewer accesses than asked for");
  return NULL;
}

static unsigned n_kind(const imported_t *im, pg_cmd_kind_t kind) {
  unsigned n = 0;
  for (size_t k = 0; k < im->t.n; k++)
    n += im->t.cmds[k].kind == kind;
  return n;
}

static void expect_access(const pg_cmd_t *c, pg_op_t op, uint64_t va, unsigned size, int faults) {
  assert_int_equal(c->acc.op, op);
  assert_int_equal(c->acc.user, 1);
  assert_int_equal(c->acc.va, va);
  assert_int_equal(c->acc.size, size);
  assert_int_equal(c->exp.err_set, faults);
  if (!faults)
    assert_true(c->exp.pa_set);
}

/* Runs the trace on the golden model: every expectation must hold. */
static void runs_clean(const imported_t *im) {
  FILE *devnull = fopen("/dev/null", "w");
  pg_model_t *m = pg_model_new(NULL);
  pg_target_t tg = pg_golden_target(m);
  pg_run_opts_t o = {devnull, NULL, NULL};
  assert_int_equal(pg_run_trace(&im->t, &tg, &o), 0);
  pg_model_free(m);
  fclose(devnull);
}

static void test_each_kind(void **state) {
  (void)state;
  imported_t im = {0};
  import("==1== Lackey, an example Valgrind tool\n"
         "==1== \n"
         "I  00401000,4\n"
         " L 00600008,8\n"
         " S 00600010,4\n"
         " M 00600020,2\n",
         PG_IMPORT_4K, 0, 1, &im);
  assert_int_equal(im.st.events[0] + im.st.events[1] + im.st.events[2] + im.st.events[3], 4);
  /* First touch of each page faults (not present, user; W on a store, I/D
   * on a fetch with NXE on), then the same access again succeeds. */
  expect_access(access_n(&im, 0), PG_OP_FETCH, 0x401000, 8, 1);
  assert_int_equal(access_n(&im, 0)->exp.err, PF_ERR_U | PF_ERR_ID);
  expect_access(access_n(&im, 1), PG_OP_FETCH, 0x401000, 8, 0);
  expect_access(access_n(&im, 2), PG_OP_LOAD, 0x600008, 8, 1);
  assert_int_equal(access_n(&im, 2)->exp.err, PF_ERR_U);
  expect_access(access_n(&im, 3), PG_OP_LOAD, 0x600008, 8, 0);
  expect_access(access_n(&im, 4), PG_OP_STORE, 0x600010, 4, 0); /* page already mapped */
  expect_access(access_n(&im, 5), PG_OP_LOAD, 0x600020, 2, 0);  /* M: load, */
  expect_access(access_n(&im, 6), PG_OP_STORE, 0x600020, 2, 0); /* then store */
  assert_int_equal(n_kind(&im, PG_CMD_ACCESS), 7);
  assert_int_equal(im.st.faults, 2);
  assert_int_equal(im.st.pages_4k, 2);
  runs_clean(&im);
  done(&im);
}

static void test_first_store_faults_with_w(void **state) {
  (void)state;
  imported_t im = {0};
  import(" S 7ff000,1\n", PG_IMPORT_4K, 0, 1, &im);
  expect_access(access_n(&im, 0), PG_OP_STORE, 0x7ff000, 1, 1);
  assert_int_equal(access_n(&im, 0)->exp.err, PF_ERR_U | PF_ERR_W);
  expect_access(access_n(&im, 1), PG_OP_STORE, 0x7ff000, 1, 0);
  /* The kernel wrote the tables between the fault and the retry. */
  size_t k0 = 0, k1 = 0;
  for (size_t k = 0, seen = 0; k < im.t.n; k++)
    if (im.t.cmds[k].kind == PG_CMD_ACCESS)
      *(seen++ ? &k1 : &k0) = k;
  unsigned writes = 0;
  for (size_t k = k0; k < k1; k++)
    writes += im.t.cmds[k].kind == PG_CMD_PHYS_WRITE;
  assert_int_equal(writes, 4); /* PML4E, PDPTE, PDE, PTE */
  runs_clean(&im);
  done(&im);
}

static void test_modify_loads_what_was_stored(void **state) {
  (void)state;
  imported_t im = {0};
  import(" S 00600020,2\n M 00600020,2\n L 00600020,2\n", PG_IMPORT_4K, 0, 7, &im);
  /* fault, store, then M's load and store, then the load */
  const pg_cmd_t *st1 = access_n(&im, 1), *ld = access_n(&im, 2), *st2 = access_n(&im, 3),
                 *ld2 = access_n(&im, 4);
  assert_int_equal(ld->exp.data, st1->acc.wdata);
  assert_int_equal(ld2->exp.data, st2->acc.wdata);
  assert_true(st1->acc.wdata <= 0xffff && st2->acc.wdata <= 0xffff);
  /* seeded values, so a lost store shows in the data */
  assert_int_not_equal(st1->acc.wdata, st2->acc.wdata);
  runs_clean(&im);
  done(&im);
}

static void test_splits_at_alignment_line_and_page(void **state) {
  (void)state;
  imported_t im = {0};
  import(" L 0060003d,8\n"  /* 1 @3d, 2 @3e, 4 @40, 1 @44: crosses a line */
         " S 00600ffe,4\n"  /* 2 @ffe, 2 @1000: crosses a page (the second faults) */
         " L 00600100,32\n" /* four 8-byte pieces */
         "I  00401ffd,5\n", /* the words 401ff8 and 402000 (the second faults) */
         PG_IMPORT_4K, 0, 1, &im);
  unsigned i = 0;
  expect_access(access_n(&im, i++), PG_OP_LOAD, 0x60003d, 1, 1);
  expect_access(access_n(&im, i++), PG_OP_LOAD, 0x60003d, 1, 0);
  expect_access(access_n(&im, i++), PG_OP_LOAD, 0x60003e, 2, 0);
  expect_access(access_n(&im, i++), PG_OP_LOAD, 0x600040, 4, 0);
  expect_access(access_n(&im, i++), PG_OP_LOAD, 0x600044, 1, 0);
  expect_access(access_n(&im, i++), PG_OP_STORE, 0x600ffe, 2, 0);
  expect_access(access_n(&im, i++), PG_OP_STORE, 0x601000, 2, 1);
  expect_access(access_n(&im, i++), PG_OP_STORE, 0x601000, 2, 0);
  for (unsigned w = 0; w < 4; w++)
    expect_access(access_n(&im, i++), PG_OP_LOAD, 0x600100 + 8 * w, 8, 0);
  expect_access(access_n(&im, i++), PG_OP_FETCH, 0x401ff8, 8, 1);
  expect_access(access_n(&im, i++), PG_OP_FETCH, 0x401ff8, 8, 0);
  expect_access(access_n(&im, i++), PG_OP_FETCH, 0x402000, 8, 1);
  expect_access(access_n(&im, i++), PG_OP_FETCH, 0x402000, 8, 0);
  assert_int_equal(n_kind(&im, PG_CMD_ACCESS), i);
  runs_clean(&im);
  done(&im);
}

/* The leaf the trace's final phys.check expects for the page at PA. */
static uint64_t leaf_checked(const imported_t *im, uint64_t frame) {
  for (size_t k = 0; k < im->t.n; k++) {
    const pg_cmd_t *c = &im->t.cmds[k];
    if (c->kind == PG_CMD_PHYS_CHECK && (c->value & PTE_ADDR) == frame)
      return c->value;
  }
  fail_msg("no phys.check of the leaf of frame 0x%llx", (unsigned long long)frame);
  return 0;
}

static void test_rights_and_ad_bits(void **state) {
  (void)state;
  imported_t im = {0};
  import("I  00401000,2\n"                 /* code: read-only, executable */
         " L 00401800,8\n"                 /* loads from code are fine */
         " L 00600000,8\n"                 /* data read only: writable, NX, clean */
         " S 00700000,8\n"                 /* data written: dirty */
         "I  00800000,4\n S 00800100,8\n", /* fetched and written: RW and executable */
         PG_IMPORT_4K, 0, 1, &im);
  uint64_t code = leaf_checked(&im, access_n(&im, 1)->exp.pa & PTE_ADDR);
  uint64_t rdata = leaf_checked(&im, access_n(&im, 4)->exp.pa & PTE_ADDR);
  uint64_t wdata = leaf_checked(&im, access_n(&im, 6)->exp.pa & PTE_ADDR);
  uint64_t jit = leaf_checked(&im, access_n(&im, 8)->exp.pa & PTE_ADDR);
  const uint64_t bits = PTE_P | PTE_RW | PTE_US | PTE_A | PTE_D | PTE_XD;
  assert_int_equal(code & bits, PTE_P | PTE_US | PTE_A);
  assert_int_equal(rdata & bits, PTE_P | PTE_RW | PTE_US | PTE_A | PTE_XD);
  assert_int_equal(wdata & bits, PTE_P | PTE_RW | PTE_US | PTE_A | PTE_D | PTE_XD);
  assert_int_equal(jit & bits, PTE_P | PTE_RW | PTE_US | PTE_A | PTE_D);
  assert_int_equal(n_kind(&im, PG_CMD_PHYS_CHECK), 4);
  runs_clean(&im);
  done(&im);
}

/* A log touching every 4 KiB page of the region at 0x40000000 and two
 * pages elsewhere. */
static char *region_log(void) {
  size_t cap = 600 * 32, len = 0;
  char *s = malloc(cap);
  for (unsigned p = 0; p < 512; p++)
    len += (size_t)snprintf(s + len, cap - len, " S %llx,8\n", 0x40000000ull + p * 0x1000ull);
  snprintf(s + len, cap - len, " L 600000,8\n L 7000010,4\n");
  return s;
}

static void test_page_sizes(void **state) {
  (void)state;
  char *log = region_log();
  imported_t im = {0};
  import(log, PG_IMPORT_4K, 0, 1, &im);
  assert_int_equal(im.st.pages_4k, 514);
  assert_int_equal(im.st.pages_2m, 0);
  runs_clean(&im);
  done(&im);
  import(log, PG_IMPORT_2M, 0, 1, &im);
  assert_int_equal(im.st.pages_4k, 0);
  assert_int_equal(im.st.pages_2m, 3);
  assert_int_equal(im.st.faults, 3);
  assert_int_equal(access_n(&im, 1)->exp.pa & (0x200000 - 1), 0); /* 2 MiB frames */
  runs_clean(&im);
  done(&im);
  /* mixed: the whole region as one 2 MiB page, the two others 4 KiB */
  import(log, PG_IMPORT_MIXED, 0, 1, &im);
  assert_int_equal(im.st.pages_2m, 1);
  assert_int_equal(im.st.pages_4k, 2);
  runs_clean(&im);
  done(&im);
  /* --max: only the first 511 events, so the region is not whole */
  import(log, PG_IMPORT_MIXED, 511, 1, &im);
  assert_int_equal(im.st.pages_2m, 0);
  assert_int_equal(im.st.pages_4k, 511);
  done(&im);
  free(log);
}

static void test_frames_seeded_not_contiguous(void **state) {
  (void)state;
  const char *log = " L 600000,8\n L 601000,8\n L 602000,8\n";
  imported_t a = {0}, b = {0}, c = {0};
  import(log, PG_IMPORT_4K, 0, 1, &a);
  import(log, PG_IMPORT_4K, 0, 1, &b);
  import(log, PG_IMPORT_4K, 0, 2, &c);
  assert_int_equal(a.len, b.len);
  assert_memory_equal(a.text, b.text, a.len); /* the same seed, the same trace */
  uint64_t p0 = access_n(&a, 1)->exp.pa, p1 = access_n(&a, 3)->exp.pa, p2 = access_n(&a, 5)->exp.pa;
  assert_true(p1 != p0 + 0x1000 || p2 != p1 + 0x1000);
  assert_true(p0 >= 0x04000000 && p0 < 0xC0000000);
  assert_int_not_equal(access_n(&c, 1)->exp.pa, p0);
  done(&a);
  done(&b);
  done(&c);
}

/* LOG must be refused with an error on LINE containing WANT. */
static void expect_refused(const char *log, unsigned line, const char *want) {
  FILE *in = fmemopen((void *)log, strlen(log), "r");
  char *text = NULL;
  size_t len = 0;
  FILE *out = open_memstream(&text, &len);
  pg_import_opts_t o = {.pages = PG_IMPORT_4K, .max = 0, .seed = 1};
  pg_import_stats_t st;
  char err[512] = "", prefix[32];
  int rc = pg_import_lackey(in, "t.log", out, &o, &st, err, sizeof err);
  fclose(in);
  fclose(out);
  if (rc != 2)
    fail_msg("accepted: %s", log);
  assert_int_equal(len, 0); /* nothing written */
  free(text);
  snprintf(prefix, sizeof prefix, "t.log:%u: ", line);
  if (strncmp(err, prefix, strlen(prefix)) != 0 || !strstr(err, want))
    fail_msg("for %s: got \"%s\", want \"%s...%s\"", log, err, prefix, want);
}

static void test_bad_lines(void **state) {
  (void)state;
  expect_refused("", 1, "empty file");
  expect_refused("==1== ok\n X 1000,8\n", 2, "not a lackey line");
  expect_refused("I 1000,8\n", 1, "not a lackey line"); /* one space after I */
  expect_refused(" L1000,8\n", 1, "not a lackey line");
  expect_refused(" L ,8\n", 1, "missing hex address");
  expect_refused(" L 10g0,8\n", 1, "expected ','");
  expect_refused(" L 1000;8\n", 1, "expected ','");
  expect_refused(" L 1000,\n", 1, "decimal size");
  expect_refused(" L 1000,8x\n", 1, "decimal size");
  expect_refused(" L 1000,0\n", 1, "out of range");
  expect_refused(" L 1000,5000\n", 1, "out of range");
  expect_refused(" L 11112222333344445,8\n", 1, "longer than 64 bits");
  expect_refused(" S 800000000000,8\n", 1, "lower canonical half");
  expect_refused(" S 7ffffffffffc,8\n", 1, "lower canonical half");
  expect_refused("I  401000,4\nrandom program output\n", 2, "not a lackey line");
}

static void test_skips_valgrind_lines(void **state) {
  (void)state;
  imported_t im = {0};
  import("==123== Lackey\n--123-- warning\n**123** note\n\n L 600000,8\n==123== end\n",
         PG_IMPORT_4K, 0, 1, &im);
  assert_int_equal(im.st.events[1], 1);
  assert_int_equal(n_kind(&im, PG_CMD_ACCESS), 2);
  done(&im);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_each_kind),
      cmocka_unit_test(test_first_store_faults_with_w),
      cmocka_unit_test(test_modify_loads_what_was_stored),
      cmocka_unit_test(test_splits_at_alignment_line_and_page),
      cmocka_unit_test(test_rights_and_ad_bits),
      cmocka_unit_test(test_page_sizes),
      cmocka_unit_test(test_frames_seeded_not_contiguous),
      cmocka_unit_test(test_bad_lines),
      cmocka_unit_test(test_skips_valgrind_lines),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
