/* SPDX-License-Identifier: MIT */
/* pagoda_main.c — the `pagoda` command line of SPEC §7.
 *
 * Owns: argument parsing and dispatch to the subcommands; exit codes
 * 0 (all matched), 1 (a mismatch or failed expectation), 2 (bad input). */
#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pg_bench.h"
#include "pg_dram_cfg.h"
#include "pg_dram_run.h"
#include "pg_import.h"
#include "pg_lockstep.h"
#include "pg_model.h"
#include "pg_random.h"
#include "pg_report.h"
#include "pg_runner.h"
#include "pg_scenario.h"
#include "pg_trace.h"

#define EXIT_MISMATCH 1
#define EXIT_BADINPUT 2

static void usage(FILE *f) {
  fputs(
      "usage: pagoda COMMAND ...\n"
      "  golden TRACE [--log F.jsonl] [--report [F.json]]\n"
      "                                      golden model alone on a trace\n"
      "  run TRACE [--wave F.fst] [--log F.jsonl] [--seed N] [--mem dram|ideal] [--config F.ini]\n"
      "            [--report [F.json]]       RTL and golden model in lockstep\n"
      "  import lackey LOG -o TRACE [--pages 4k|2m|mixed] [--max N] [--seed S]\n"
      "                                      a valgrind lackey log as a trace\n"
      "  random [--seed N] [--ops N] [--mix mmu,iommu,dram] [--mem dram|ideal]\n"
      "  scenario NAME [--wave F.fst] [--seed N] | --list\n"
      "                                      a story of the seed documents, narrated\n"
      "  dram TRACE [--config F.ini] [--cmd-trace F] [--seed N] [--wave F.fst]\n"
      "                                      the DRAM controller alone on a DRAMsim3 trace\n"
      "  bench                               the figures of SPEC 10 (bench NAME VALUE)\n"
      "exit codes: 0 all matched, 1 mismatch or failed expectation, 2 bad input\n",
      f);
}

static int parse_u64_arg(const char *cmd, const char *opt, const char *val, uint64_t *out) {
  char *end;
  errno = 0;
  unsigned long long v = strtoull(val, &end, 0);
  if (errno || *end || val[0] == '\0' || val[0] == '-') {
    fprintf(stderr, "pagoda %s: %s takes a number, not '%s'\n", cmd, opt, val);
    return EXIT_BADINPUT;
  }
  *out = v;
  return 0;
}

typedef struct {
  const char *trace, *log, *wave, *mem, *config, *cmd_trace;
  uint64_t seed;
  int report;              /* --report given */
  const char *report_json; /* its F.json, or NULL */
} run_args_t;

/* The options a subcommand that takes a TRACE may accept. */
enum {
  OPT_LOG = 1,
  OPT_WAVE = 2,
  OPT_SEED = 4,
  OPT_MEM = 8,
  OPT_CONFIG = 16,
  OPT_CMD_TRACE = 32,
  OPT_REPORT = 64, /* its value, F.json, is optional */
};

static const struct {
  const char *name;
  unsigned flag;
} trace_opts[] = {{"--log", OPT_LOG},      {"--wave", OPT_WAVE},     {"--seed", OPT_SEED},
                  {"--mem", OPT_MEM},      {"--config", OPT_CONFIG}, {"--cmd-trace", OPT_CMD_TRACE},
                  {"--report", OPT_REPORT}};

static int ends_with(const char *s, const char *tail) {
  size_t n = strlen(s), t = strlen(tail);
  return n > t && strcmp(s + n - t, tail) == 0;
}

/* Parses TRACE and those of the options in ALLOWED that `pagoda CMD` was
 * given. Returns 0, or prints the problem and returns EXIT_BADINPUT. */
static int parse_run_args(const char *cmd, int argc, char **argv, unsigned allowed, run_args_t *a) {
  memset(a, 0, sizeof *a);
  a->seed = 1;
  a->mem = "dram";
  for (int i = 0; i < argc; i++) {
    const char *opt = argv[i];
    if (opt[0] == '-' && opt[1] != '\0') {
      unsigned flag = 0;
      for (size_t k = 0; k < sizeof trace_opts / sizeof trace_opts[0]; k++)
        if (strcmp(opt, trace_opts[k].name) == 0)
          flag = trace_opts[k].flag & allowed;
      if (!flag) {
        fprintf(stderr, "pagoda %s: unknown option '%s'\n", cmd, opt);
        return EXIT_BADINPUT;
      }
      if (flag == OPT_REPORT) {
        a->report = 1;
        if (i + 1 < argc && ends_with(argv[i + 1], ".json"))
          a->report_json = argv[++i];
        continue;
      }
      if (i + 1 >= argc) {
        fprintf(stderr, "pagoda %s: %s needs a value\n", cmd, opt);
        return EXIT_BADINPUT;
      }
      const char *val = argv[++i];
      if (flag == OPT_LOG) {
        a->log = val;
      } else if (flag == OPT_WAVE) {
        a->wave = val;
      } else if (flag == OPT_CONFIG) {
        a->config = val;
      } else if (flag == OPT_CMD_TRACE) {
        a->cmd_trace = val;
      } else if (flag == OPT_MEM) {
        if (strcmp(val, "ideal") != 0 && strcmp(val, "dram") != 0) {
          fprintf(stderr,
                  "pagoda %s: --mem takes 'dram' (the whole system, the default) or "
                  "'ideal' (the MMU alone on a fixed-latency memory)\n",
                  cmd);
          return EXIT_BADINPUT;
        }
        a->mem = val;
      } else if (parse_u64_arg(cmd, opt, val, &a->seed)) {
        return EXIT_BADINPUT;
      }
    } else if (a->trace) {
      fprintf(stderr, "pagoda %s: more than one trace given ('%s')\n", cmd, opt);
      return EXIT_BADINPUT;
    } else {
      a->trace = opt;
    }
  }
  if (!a->trace) {
    fprintf(stderr, "pagoda %s: missing TRACE\n", cmd);
    return EXIT_BADINPUT;
  }
  if (a->config && strcmp(a->mem, "ideal") == 0) {
    fprintf(stderr, "pagoda %s: --config sets up the DRAM; it has no use with --mem ideal\n", cmd);
    return EXIT_BADINPUT;
  }
  return 0;
}

#define DEFAULT_DRAM_INI "sim/dram/ddr3_1600.ini"

/* Loads --config F (or the default file; the built-in default when that is
 * not found from here). Returns 0 or EXIT_BADINPUT. */
static int load_dram_config(const char *cmd, const char *path, pg_dram_cfg_t *c) {
  char err[512];
  if (!path) {
    FILE *f = fopen(DEFAULT_DRAM_INI, "r");
    if (!f) {
      pg_dram_cfg_default(c);
      return 0;
    }
    fclose(f);
    path = DEFAULT_DRAM_INI;
  }
  if (pg_dram_cfg_load(path, c, err, sizeof err)) {
    fprintf(stderr, "pagoda %s: %s\n", cmd, err);
    return EXIT_BADINPUT;
  }
  return 0;
}

/* `pagoda golden` (rtl = 0) and `pagoda run` (rtl = 1). */
static int cmd_trace(const char *cmd, int rtl, int argc, char **argv) {
  run_args_t a;
  unsigned allowed = rtl ? OPT_LOG | OPT_WAVE | OPT_SEED | OPT_MEM | OPT_CONFIG | OPT_REPORT
                         : OPT_LOG | OPT_REPORT;
  int rc = parse_run_args(cmd, argc, argv, allowed, &a);
  if (rc)
    return rc;
  pg_trace_t t;
  char err[512];
  if (pg_trace_parse_file(a.trace, &t, err, sizeof err)) {
    fprintf(stderr, "%s\n", err);
    return EXIT_BADINPUT;
  }
  /* Every input is read before any output file is opened. */
  pg_dram_cfg_t dc;
  int dram = rtl && strcmp(a.mem, "dram") == 0;
  if (dram && load_dram_config(cmd, a.config, &dc)) {
    pg_trace_free(&t);
    return EXIT_BADINPUT;
  }
  FILE *log = NULL;
  if (a.log && !(log = fopen(a.log, "w"))) {
    fprintf(stderr, "pagoda %s: cannot write log '%s'\n", cmd, a.log);
    pg_trace_free(&t);
    return EXIT_BADINPUT;
  }
  FILE *json = NULL;
  if (a.report_json && !(json = fopen(a.report_json, "w"))) {
    fprintf(stderr, "pagoda %s: cannot write report '%s'\n", cmd, a.report_json);
    pg_trace_free(&t);
    if (log)
      fclose(log);
    return EXIT_BADINPUT;
  }
  pg_run_opts_t o = {stdout, log, a.report ? pg_report_new() : NULL};
  pg_lockstep_t *ls = NULL;
  pg_model_t *m = NULL;
  pg_target_t tg;
  if (rtl) {
    pg_lockstep_opts_t lo;
    pg_lockstep_default_opts(&lo);
    lo.seed = a.seed;
    lo.wave = a.wave;
    lo.dram = dram ? &dc : NULL;
    ls = pg_lockstep_new(&lo);
    tg = pg_lockstep_target(ls);
  } else {
    m = pg_model_new(NULL);
    tg = pg_golden_target(m);
  }
  rc = pg_run_trace(&t, &tg, &o);
  if (o.report)
    pg_report_print(o.report, tg.name, tg.counters(tg.ctx), rtl, stdout, json);
  if (ls)
    pg_lockstep_free(ls);
  else
    pg_model_free(m);
  if (a.wave)
    fprintf(stdout, "waves: gtkwave %s sim/waves/mmu.gtkw\n", a.wave);
  pg_trace_free(&t);
  if (log)
    fclose(log);
  if (json && fclose(json)) {
    fprintf(stderr, "pagoda %s: cannot write report '%s'\n", cmd, a.report_json);
    rc = EXIT_BADINPUT;
  }
  pg_report_free(o.report);
  return rc;
}

/* `pagoda dram TRACE [--config F.ini] [--cmd-trace F] [--seed N] [--wave F.fst]` */
static int cmd_dram(int argc, char **argv) {
  run_args_t a;
  if (parse_run_args("dram", argc, argv, OPT_CONFIG | OPT_CMD_TRACE | OPT_SEED | OPT_WAVE, &a))
    return EXIT_BADINPUT;
  pg_dram_cfg_t c;
  if (load_dram_config("dram", a.config, &c))
    return EXIT_BADINPUT;
  pg_dram_reqs_t reqs = {0};
  char err[512];
  if (pg_dram_trace_load(a.trace, &c, &reqs, err, sizeof err)) {
    fprintf(stderr, "pagoda dram: %s\n", err);
    pg_dram_reqs_free(&reqs);
    return EXIT_BADINPUT;
  }
  FILE *ct = NULL;
  if (a.cmd_trace && !(ct = fopen(a.cmd_trace, "w"))) {
    fprintf(stderr, "pagoda dram: cannot write '%s'\n", a.cmd_trace);
    pg_dram_reqs_free(&reqs);
    return EXIT_BADINPUT;
  }
  pg_dram_run_opts_t o;
  pg_dram_run_default_opts(&o);
  o.seed = a.seed;
  o.wave = a.wave;
  o.cmd_trace = ct;
  o.report = stdout;
  pg_dram_result_t res;
  int bad = pg_dram_run(&c, reqs.r, reqs.n, &o, &res);
  pg_dram_print_figures(stdout, &c, &res);
  if (ct)
    fclose(ct);
  if (a.wave)
    fprintf(stdout, "waves: gtkwave %s sim/waves/dram.gtkw\n", a.wave);
  fprintf(stdout,
          "%s: %" PRIu64 " requests, %" PRIu64 " reads checked, %" PRIu64
          " data mismatches, %" PRIu64 " timing violations%s%s\n",
          bad ? "FAIL" : "PASS", res.requests, res.reads, res.mismatches, res.violations,
          res.violations ? "; first: " : "", res.first_violation);
  pg_dram_reqs_free(&reqs);
  return bad ? EXIT_MISMATCH : 0;
}

static int cmd_random(int argc, char **argv) {
  pg_random_opts_t o = {
      .seed = 1, .ops = 10000, .wave = NULL, .progress = 0, .mem = PG_RMEM_BY_SEED};
  int mix_mmu = 1, mix_dram = 0, mix_iommu = 0;
  for (int i = 0; i < argc; i++) {
    const char *opt = argv[i];
    if (strcmp(opt, "--progress") == 0) {
      o.progress = 1;
      continue;
    }
    if (i + 1 >= argc) {
      fprintf(stderr, "pagoda random: %s needs a value\n", opt);
      return EXIT_BADINPUT;
    }
    const char *val = argv[++i];
    if (strcmp(opt, "--seed") == 0) {
      if (parse_u64_arg("random", opt, val, &o.seed))
        return EXIT_BADINPUT;
    } else if (strcmp(opt, "--ops") == 0) {
      if (parse_u64_arg("random", opt, val, &o.ops))
        return EXIT_BADINPUT;
    } else if (strcmp(opt, "--wave") == 0) {
      o.wave = val;
    } else if (strcmp(opt, "--mem") == 0) {
      if (strcmp(val, "ideal") && strcmp(val, "dram")) {
        fprintf(stderr, "pagoda random: --mem takes 'ideal' or 'dram'\n");
        return EXIT_BADINPUT;
      }
      o.mem = strcmp(val, "dram") ? PG_RMEM_IDEAL : PG_RMEM_DRAM;
    } else if (strcmp(opt, "--mix") == 0) {
      char buf[128];
      snprintf(buf, sizeof buf, "%s", val);
      mix_mmu = mix_dram = mix_iommu = 0;
      for (char *part = strtok(buf, ","); part; part = strtok(NULL, ",")) {
        if (strcmp(part, "mmu") == 0) {
          mix_mmu = 1;
        } else if (strcmp(part, "dram") == 0) {
          mix_dram = 1;
        } else if (strcmp(part, "iommu") == 0) {
          mix_iommu = 1;
        } else {
          fprintf(stderr, "pagoda random: --mix %s: the kinds are mmu, iommu and dram\n", part);
          return EXIT_BADINPUT;
        }
      }
    } else {
      fprintf(stderr, "pagoda random: unknown option '%s'\n", opt);
      return EXIT_BADINPUT;
    }
  }
  int rc = 0;
  if (mix_mmu)
    rc |= pg_random_run(&o);
  if (mix_dram)
    rc |= pg_random_dram(&o);
  if (mix_iommu)
    rc |= pg_random_iotest(&o);
  return rc;
}

/* `pagoda import lackey LOG -o TRACE [--pages 4k|2m|mixed] [--max N] [--seed S]`:
 * the trace is written to TRACE.tmp and renamed when complete, so a bad log
 * leaves nothing behind. */
static int cmd_import(int argc, char **argv) {
  const char *log = NULL, *outp = NULL;
  pg_import_opts_t o = {.pages = PG_IMPORT_4K, .max = 0, .seed = 1};
  if (argc < 1 || strcmp(argv[0], "lackey") != 0) {
    fprintf(stderr, "pagoda import: the one format is lackey (pagoda import lackey LOG -o TRACE "
                    "[--pages 4k|2m|mixed] [--max N] [--seed S])\n");
    return EXIT_BADINPUT;
  }
  for (int i = 1; i < argc; i++) {
    const char *opt = argv[i];
    if (opt[0] != '-') {
      if (log) {
        fprintf(stderr, "pagoda import: more than one log given ('%s')\n", opt);
        return EXIT_BADINPUT;
      }
      log = opt;
      continue;
    }
    if (i + 1 >= argc) {
      fprintf(stderr, "pagoda import: %s needs a value\n", opt);
      return EXIT_BADINPUT;
    }
    const char *val = argv[++i];
    if (strcmp(opt, "-o") == 0) {
      outp = val;
    } else if (strcmp(opt, "--pages") == 0) {
      if (strcmp(val, "4k") == 0)
        o.pages = PG_IMPORT_4K;
      else if (strcmp(val, "2m") == 0)
        o.pages = PG_IMPORT_2M;
      else if (strcmp(val, "mixed") == 0)
        o.pages = PG_IMPORT_MIXED;
      else {
        fprintf(stderr, "pagoda import: --pages takes 4k, 2m or mixed, not '%s'\n", val);
        return EXIT_BADINPUT;
      }
    } else if (strcmp(opt, "--max") == 0) {
      if (parse_u64_arg("import", opt, val, &o.max))
        return EXIT_BADINPUT;
    } else if (strcmp(opt, "--seed") == 0) {
      if (parse_u64_arg("import", opt, val, &o.seed))
        return EXIT_BADINPUT;
    } else {
      fprintf(stderr, "pagoda import: unknown option '%s'\n", opt);
      return EXIT_BADINPUT;
    }
  }
  if (!log || !outp) {
    fprintf(stderr, "pagoda import: usage: pagoda import lackey LOG -o TRACE "
                    "[--pages 4k|2m|mixed] [--max N] [--seed S]\n");
    return EXIT_BADINPUT;
  }
  FILE *in = fopen(log, "r");
  if (!in) {
    fprintf(stderr, "pagoda import: cannot read '%s'\n", log);
    return EXIT_BADINPUT;
  }
  size_t tlen = strlen(outp) + 5;
  char *tmp = malloc(tlen);
  snprintf(tmp, tlen, "%s.tmp", outp);
  FILE *out = fopen(tmp, "w");
  if (!out) {
    fprintf(stderr, "pagoda import: cannot write '%s'\n", tmp);
    fclose(in);
    free(tmp);
    return EXIT_BADINPUT;
  }
  pg_import_stats_t st;
  char err[512];
  int rc = pg_import_lackey(in, log, out, &o, &st, err, sizeof err);
  fclose(in);
  if (fclose(out) && !rc) {
    snprintf(err, sizeof err, "pagoda import: cannot write '%s'", tmp);
    rc = EXIT_BADINPUT;
  }
  if (rc || rename(tmp, outp)) {
    fprintf(stderr, "%s\n", rc ? err : "pagoda import: cannot rename the trace into place");
    remove(tmp);
    free(tmp);
    return EXIT_BADINPUT;
  }
  free(tmp);
  printf("import: %" PRIu64 " events (I %" PRIu64 ", L %" PRIu64 ", S %" PRIu64 ", M %" PRIu64
         ") -> %s: %" PRIu64 " accesses (%" PRIu64 " loads, %" PRIu64 " stores, %" PRIu64
         " fetches), %" PRIu64 " first-touch faults, %" PRIu64 " pages of 4 KiB, %" PRIu64
         " of 2 MiB, %" PRIu64 " table frames\n",
         st.events[0] + st.events[1] + st.events[2] + st.events[3], st.events[0], st.events[1],
         st.events[2], st.events[3], outp, st.loads + st.stores + st.fetches, st.loads, st.stores,
         st.fetches, st.faults, st.pages_4k, st.pages_2m, st.table_frames);
  return 0;
}

/* pagoda scenario NAME [--wave F.fst] [--seed N] | --list */
static int cmd_scenario(int argc, char **argv) {
  const char *name = NULL, *wave = NULL;
  uint64_t seed = 1;
  for (int i = 0; i < argc; i++) {
    if (strcmp(argv[i], "--list") == 0 && argc == 1) {
      for (unsigned k = 0; k < pg_scenario_count(); k++)
        printf("%-12s %s\n", pg_scenario_name(k), pg_scenario_desc(k));
      return 0;
    }
    if (strcmp(argv[i], "--wave") == 0 || strcmp(argv[i], "--seed") == 0) {
      if (i + 1 == argc) {
        fprintf(stderr, "pagoda scenario: %s needs a value\n", argv[i]);
        return EXIT_BADINPUT;
      }
      if (argv[i][2] == 'w')
        wave = argv[++i];
      else if (parse_u64_arg("scenario", argv[i], argv[i + 1], &seed))
        return EXIT_BADINPUT;
      else
        i++;
    } else if (argv[i][0] == '-' || name) {
      fprintf(stderr,
              "pagoda scenario: unexpected '%s' (usage: pagoda scenario NAME "
              "[--wave F.fst] [--seed N] | --list)\n",
              argv[i]);
      return EXIT_BADINPUT;
    } else {
      name = argv[i];
    }
  }
  if (!name) {
    fprintf(stderr, "pagoda scenario: missing NAME (pagoda scenario --list shows them)\n");
    return EXIT_BADINPUT;
  }
  int k = pg_scenario_find(name);
  if (k < 0) {
    fprintf(stderr, "pagoda scenario: no scenario '%s' (pagoda scenario --list shows them)\n",
            name);
    return EXIT_BADINPUT;
  }
  pg_scenario_opts_t o = {.wave = wave, .seed = seed, .out = stdout};
  int rc = pg_scenario_run((unsigned)k, &o);
  if (wave)
    printf("waves: %s  (open: gtkwave %s sim/waves/%s.gtkw)\n", wave, wave,
           pg_scenario_view((unsigned)k));
  return rc;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    usage(stderr);
    return EXIT_BADINPUT;
  }
  const char *cmd = argv[1];
  if (strcmp(cmd, "golden") == 0)
    return cmd_trace("golden", 0, argc - 2, argv + 2);
  if (strcmp(cmd, "run") == 0)
    return cmd_trace("run", 1, argc - 2, argv + 2);
  if (strcmp(cmd, "random") == 0)
    return cmd_random(argc - 2, argv + 2);
  if (strcmp(cmd, "bench") == 0) {
    if (argc != 2) {
      fprintf(stderr, "pagoda bench: takes no arguments\n");
      return EXIT_BADINPUT;
    }
    pg_dram_cfg_t c;
    if (load_dram_config("bench", NULL, &c))
      return EXIT_BADINPUT;
    return pg_bench_all(&c);
  }
  if (strcmp(cmd, "-h") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "help") == 0) {
    usage(stdout);
    return 0;
  }
  if (strcmp(cmd, "dram") == 0)
    return cmd_dram(argc - 2, argv + 2);
  if (strcmp(cmd, "scenario") == 0)
    return cmd_scenario(argc - 2, argv + 2);
  if (strcmp(cmd, "import") == 0)
    return cmd_import(argc - 2, argv + 2);
  fprintf(stderr, "pagoda: unknown command '%s'\n", cmd);
  usage(stderr);
  return EXIT_BADINPUT;
}
