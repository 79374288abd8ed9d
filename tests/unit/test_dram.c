/* SPDX-License-Identifier: MIT */
/* test_dram.c — the DRAM device model's JEDEC checker, the .ini loader and
 * the address mapping. For every rule: a command one cycle too early is
 * caught and named, the same command one cycle later passes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fixture.h"
#include "pg_dram_cfg.h"
#include "pg_dram_dev.h"

enum {
  A = PG_DCMD_ACT,
  R = PG_DCMD_RD,
  W = PG_DCMD_WR,
  P = PG_DCMD_PRE,
  PA = PG_DCMD_PREA,
  F = PG_DCMD_REF
};

typedef struct {
  uint64_t t;
  int kind, bank, row, ap;
} step_t;

typedef struct {
  const char *rule; /* what the checker must name */
  step_t setup[6];  /* legal commands first (kind 0 ends the list) */
  step_t last;      /* at t = legal - 1 it breaks RULE; at t = legal it passes */
} rule_case_t;

/* Default DDR3-1600: CL 11, CWL 8, tRCD 11, tRP 11, tRAS 28, tRC 39, tRRD 5,
 * tFAW 24, tWTR 6, tRTP 6, tWR 12, tCCD 4, tRFC 208. */
static const rule_case_t rule_cases[] = {
    {"tRCD", {{0, A, 0, 1, 0}}, {11, R, 0, 1, 0}},
    {"tRCD", {{0, A, 0, 1, 0}}, {11, W, 0, 1, 0}},
    {"tRAS", {{0, A, 0, 1, 0}}, {28, P, 0, 1, 0}},
    {"tRAS", {{0, A, 0, 1, 0}}, {28, PA, 0, 0, 0}},
    {"tRC", {{0, A, 0, 1, 0}, {28, P, 0, 1, 0}}, {39, A, 0, 2, 0}},
    {"tRP", {{0, A, 0, 1, 0}, {50, P, 0, 1, 0}}, {61, A, 0, 2, 0}},
    {"tRP", {{0, A, 0, 1, 0}, {50, PA, 0, 0, 0}}, {61, A, 0, 2, 0}},
    {"tRRD_L", {{0, A, 0, 1, 0}}, {5, A, 1, 1, 0}},
    {"tFAW",
     {{0, A, 0, 1, 0}, {5, A, 1, 1, 0}, {10, A, 2, 1, 0}, {15, A, 3, 1, 0}},
     {24, A, 4, 1, 0}},
    {"tCCD_L", {{0, A, 0, 1, 0}, {5, A, 1, 1, 0}, {16, R, 0, 1, 0}}, {20, R, 1, 1, 0}},
    {"tCCD_L", {{0, A, 0, 1, 0}, {5, A, 1, 1, 0}, {16, W, 0, 1, 0}}, {20, W, 1, 1, 0}},
    {"WR->RD", {{0, A, 0, 1, 0}, {11, W, 0, 1, 0}}, {29, R, 0, 1, 0}},
    {"RD->WR", {{0, A, 0, 1, 0}, {11, R, 0, 1, 0}}, {20, W, 0, 1, 0}},
    {"tRTP", {{0, A, 0, 1, 0}, {30, R, 0, 1, 0}}, {36, P, 0, 1, 0}},
    {"WR->PRE", {{0, A, 0, 1, 0}, {11, W, 0, 1, 0}}, {35, P, 0, 1, 0}},
    /* Auto-precharge (JEDEC, AL = 0): the bank precharges by itself at
     * max(ACT + tRAS, RDA + tRTP) or max(ACT + tRAS, WRA + CWL + BL/2 + tWR);
     * no PRE or PREA reaches it before, no ACT or REF before tRP after. */
    {"read_p auto-precharge", {{0, A, 0, 1, 0}, {30, R, 0, 1, 1}}, {47, A, 0, 2, 0}},
    {"write_p auto-precharge", {{0, A, 0, 1, 0}, {11, W, 0, 1, 1}}, {46, A, 0, 2, 0}},
    {"read_p auto-precharge", {{0, A, 0, 1, 0}, {30, R, 0, 1, 1}}, {47, F, 0, 0, 0}},
    {"write_p auto-precharge", {{0, A, 0, 1, 0}, {11, W, 0, 1, 1}}, {46, F, 0, 0, 0}},
    {"auto-precharge pending", {{0, A, 0, 1, 0}, {30, R, 0, 1, 1}}, {36, P, 0, 1, 0}},
    {"auto-precharge pending", {{0, A, 0, 1, 0}, {30, R, 0, 1, 1}}, {36, PA, 0, 0, 0}},
    {"auto-precharge pending", {{0, A, 0, 1, 0}, {11, R, 0, 1, 1}}, {28, PA, 0, 0, 0}},
    {"auto-precharge pending", {{0, A, 0, 1, 0}, {11, W, 0, 1, 1}}, {35, P, 0, 1, 0}},
    {"auto-precharge pending", {{0, A, 0, 1, 0}, {11, W, 0, 1, 1}}, {35, PA, 0, 0, 0}},
    /* The issue's shape: PREA one cycle after an RDA, with another bank open. */
    {"auto-precharge pending",
     {{0, A, 3, 1, 0}, {12, A, 0, 1, 0}, {15, R, 3, 1, 1}, {23, R, 0, 1, 1}},
     {40, PA, 0, 0, 0}},
    {"tRFC", {{0, F, 0, 0, 0}}, {208, A, 0, 1, 0}},
    {"tRFC", {{0, F, 0, 0, 0}}, {208, F, 0, 0, 0}},
    {"tRP", {{0, A, 0, 1, 0}, {100, P, 0, 1, 0}}, {111, F, 0, 0, 0}},
};

static pg_dram_dev_t *dev_new(pg_mem_t **store) {
  pg_dram_cfg_t c;
  pg_dram_cfg_default(&c);
  *store = pg_mem_new();
  return pg_dram_dev_new(&c, *store);
}

static int issue(pg_dram_dev_t *d, const step_t *s, uint64_t t) {
  pg_dram_cmd_t c = {(pg_dcmd_t)s->kind, s->ap, (unsigned)s->bank, (unsigned)s->row, 0, {0},
                     UINT64_MAX};
  return pg_dram_dev_command(d, t, &c);
}

static void run_case(const rule_case_t *rc, int early, const char **rule_out, int *bad_out) {
  pg_mem_t *store;
  pg_dram_dev_t *d = dev_new(&store);
  for (const step_t *s = rc->setup; s < rc->setup + 6 && s->kind; s++)
    assert_int_equal(issue(d, s, s->t), 0); /* the setup is legal */
  *bad_out = issue(d, &rc->last, rc->last.t - (early ? 1 : 0));
  static char rule[64];
  snprintf(rule, sizeof rule, "%s", pg_dram_dev_last_rule(d));
  *rule_out = rule;
  pg_dram_dev_free(d);
  pg_mem_free(store);
}

static void test_every_timing_rule_is_caught_one_cycle_early(void **state) {
  (void)state;
  for (size_t i = 0; i < sizeof rule_cases / sizeof rule_cases[0]; i++) {
    const char *rule;
    int bad;
    run_case(&rule_cases[i], 1, &rule, &bad);
    if (!bad || !strstr(rule, rule_cases[i].rule))
      fail_msg("case %zu (%s): early command gave %d, rule '%s'", i, rule_cases[i].rule, bad, rule);
    run_case(&rule_cases[i], 0, &rule, &bad);
    if (bad)
      fail_msg("case %zu (%s): the legal command was refused (%s)", i, rule_cases[i].rule, rule);
  }
}

static void test_bank_state_rules(void **state) {
  (void)state;
  pg_mem_t *store;
  pg_dram_dev_t *d = dev_new(&store);
  step_t act = {0, A, 2, 7, 0}, rd_closed = {0, R, 3, 7, 0}, rd_wrong = {0, R, 2, 8, 0},
         ref = {0, F, 0, 0, 0};
  assert_int_equal(issue(d, &rd_closed, 0), 1);
  assert_string_equal(pg_dram_dev_last_rule(d), "bank state");
  assert_int_equal(issue(d, &act, 10), 0);
  assert_int_equal(issue(d, &act, 100), 1); /* ACT to an open bank */
  assert_string_equal(pg_dram_dev_last_rule(d), "bank state");
  assert_int_equal(issue(d, &rd_wrong, 200), 1); /* the open row is 7 */
  assert_int_equal(issue(d, &ref, 300), 1);      /* REF with a bank open */
  assert_non_null(strstr(pg_dram_dev_first_error(d), "cycle 0: read bank 3"));
  assert_int_equal(pg_dram_dev_violations(d), 4);
  pg_dram_dev_free(d);
  pg_mem_free(store);
}

static void test_refresh_rate_allows_eight_postponed(void **state) {
  (void)state;
  pg_mem_t *store;
  pg_dram_dev_t *d = dev_new(&store);
  uint64_t data[8];
  pg_dram_dev_tick(d, 9 * 6240 - 1, data); /* 8 owed: allowed */
  assert_int_equal(pg_dram_dev_violations(d), 0);
  step_t ref = {0, F, 0, 0, 0};
  assert_int_equal(issue(d, &ref, 9 * 6240 - 1), 0);
  pg_dram_dev_tick(d, 9 * 6240, data); /* 9 due, 1 done: 8 owed */
  assert_int_equal(pg_dram_dev_violations(d), 0);
  pg_dram_dev_tick(d, 10 * 6240, data); /* 9 owed */
  assert_int_equal(pg_dram_dev_violations(d), 1);
  assert_string_equal(pg_dram_dev_last_rule(d), "refresh rate");
  pg_dram_dev_free(d);
  pg_mem_free(store);
}

static void test_read_data_arrives_cl_plus_half_burst_after_rd(void **state) {
  (void)state;
  pg_mem_t *store;
  pg_dram_cfg_t c;
  pg_dram_cfg_default(&c);
  pg_dram_dev_t *d = dev_new(&store);
  pg_dram_cmd_t act = {PG_DCMD_ACT, 0, 5, 0x123, 0, {0}, 0};
  pg_dram_cmd_t wr = {PG_DCMD_WR, 0, 5, 0x123, 9, {0}, 0x00000000000000f0ull};
  pg_dram_cmd_t rd = {PG_DCMD_RD, 0, 5, 0x123, 9, {0}, 0};
  for (unsigned w = 0; w < 8; w++)
    wr.wdata[w] = 0x1111111111111111ull * (w + 1);
  assert_int_equal(pg_dram_dev_command(d, 0, &act), 0);
  assert_int_equal(pg_dram_dev_command(d, 11, &wr), 0);
  /* Only the masked bytes (4..7 of word 0) were written, where the
   * mapping puts (bank 5, row 0x123, column 9). */
  uint64_t line = pg_dram_unmap(&c, 5, 0x123, 9);
  assert_int_equal(pg_mem_read(store, line, 8), 0x1111111100000000ull);
  assert_int_equal(pg_mem_read(store, line + 8, 8), 0);
  assert_int_equal(pg_dram_dev_command(d, 40, &rd), 0);
  uint64_t data[8];
  for (uint64_t t = 40; t < 40 + 11 + 4; t++)
    assert_int_equal(pg_dram_dev_tick(d, t, data), 0);
  assert_int_equal(pg_dram_dev_tick(d, 55, data), 1);
  assert_int_equal(data[0], 0x1111111100000000ull);
  assert_int_equal(pg_dram_dev_violations(d), 0);
  pg_dram_dev_free(d);
  pg_mem_free(store);
}

static void test_mapping_round_trips_with_and_without_xor(void **state) {
  (void)state;
  pg_dram_cfg_t c;
  pg_dram_cfg_default(&c);
  pg_dram_addr_t a;
  /* rochrababgco: column bits 12:6, bank 15:13, row 31:16. */
  pg_dram_map(&c, 0x12345678ull, &a);
  assert_int_equal(a.col, (0x12345678ull >> 6) & 0x7f);
  assert_int_equal(a.bank, (0x12345678ull >> 13) & 7);
  assert_int_equal(a.row, 0x1234);
  for (int xor_hash = 0; xor_hash < 2; xor_hash++) {
    c.bank_xor_hash = xor_hash;
    for (uint64_t addr = 0; addr < (1ull << 32); addr += 0x10000040ull * 3 + 0x2000) {
      pg_dram_map(&c, addr, &a);
      assert_int_equal(pg_dram_unmap(&c, a.bank, a.row, a.col), addr & ~63ull);
    }
  }
  pg_dram_map(&c, 0x00030000ull, &a); /* row 3, bank 0 -> bank 3 with the hash */
  assert_int_equal(a.bank, 3);
}

/* Writes an .ini with line LINE replaced by REPL (NULL: dropped). */
static void write_ini(const char *path, const char *drop_key, const char *repl) {
  FILE *in = fopen("sim/dram/ddr3_1600.ini", "r");
  assert_non_null(in);
  FILE *out = fopen(path, "w");
  assert_non_null(out);
  char buf[256];
  while (fgets(buf, sizeof buf, in)) {
    if (drop_key && !strncmp(buf, drop_key, strlen(drop_key)) && buf[strlen(drop_key)] == ' ') {
      if (repl)
        fputs(repl, out);
      continue;
    }
    fputs(buf, out);
  }
  fclose(in);
  fclose(out);
}

static void test_ini_errors_name_file_line_and_key(void **state) {
  (void)state;
  pg_dram_cfg_t c, d;
  char err[512];
  assert_int_equal(pg_dram_cfg_load("sim/dram/ddr3_1600.ini", &c, err, sizeof err), 0);
  assert_int_equal(c.tRCD, 11);
  assert_int_equal(c.tRC, 39); /* tRAS + tRP: the file has no tRC */
  assert_int_equal(c.close_page, 0);
  pg_dram_cfg_default(&d);
  assert_int_equal(c.trans_queue_size, d.trans_queue_size);
  assert_int_equal(c.write_high_watermark, d.write_high_watermark);

  char dir[] = "/tmp/pagoda_ini_XXXXXX"; /* wherever the test is run from */
  assert_non_null(mkdtemp(dir));
  char tmp[64], want[128];
  snprintf(tmp, sizeof tmp, "%s/bad.ini", dir);
  write_ini(tmp, "tRCD", NULL);
  assert_int_equal(pg_dram_cfg_load(tmp, &c, err, sizeof err), -1);
  snprintf(want, sizeof want, "%s:15: missing key 'tRCD' in [timing]", tmp);
  assert_non_null(strstr(err, want));
  write_ini(tmp, "tRP", "tRP = eleven\n");
  assert_int_equal(pg_dram_cfg_load(tmp, &c, err, sizeof err), -1);
  assert_non_null(strstr(err, "bad.ini:21: key 'tRP' in [timing]: malformed value 'eleven'"));
  write_ini(tmp, "address_mapping", "address_mapping = rochrababgxx\n");
  assert_int_equal(pg_dram_cfg_load(tmp, &c, err, sizeof err), -1);
  assert_non_null(strstr(err, "field 'xx'"));
  write_ini(tmp, "row_buf_policy", "row_buf_policy = CLOSE_PAGE\n");
  assert_int_equal(pg_dram_cfg_load(tmp, &c, err, sizeof err), 0);
  assert_int_equal(c.close_page, 1);
  assert_int_equal(c.in_order, 0); /* the file says FRFCFS */
  write_ini(tmp, "scheduler", "scheduler = FCFS\n");
  assert_int_equal(pg_dram_cfg_load(tmp, &c, err, sizeof err), 0);
  assert_int_equal(c.in_order, 1);
  write_ini(tmp, "scheduler", "scheduler = in-order\n");
  assert_int_equal(pg_dram_cfg_load(tmp, &c, err, sizeof err), -1);
  assert_non_null(strstr(err, "key 'scheduler' in [system]: malformed value 'in-order'"));
  write_ini(tmp, "BL", "BL = 4\n");
  assert_int_equal(pg_dram_cfg_load(tmp, &c, err, sizeof err), -1);
  assert_non_null(strstr(err, "BL 4"));
  remove(tmp);
  rmdir(dir);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_every_timing_rule_is_caught_one_cycle_early),
      cmocka_unit_test(test_bank_state_rules),
      cmocka_unit_test(test_refresh_rate_allows_eight_postponed),
      cmocka_unit_test(test_read_data_arrives_cl_plus_half_burst_after_rd),
      cmocka_unit_test(test_mapping_round_trips_with_and_without_xor),
      cmocka_unit_test(test_ini_errors_name_file_line_and_key),
  };
  return cmocka_run_group_tests_name("DRAM device model and configuration", tests, NULL, NULL);
}
