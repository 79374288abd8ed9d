/* pagoda_main.c — the `pagoda` command line of SPEC §7.
 *
 * Owns: argument parsing and dispatch to the subcommands; exit codes
 * 0 (all matched), 1 (a mismatch or failed expectation), 2 (bad input). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pg_model.h"
#include "pg_runner.h"
#include "pg_trace.h"

#define EXIT_MISMATCH 1
#define EXIT_BADINPUT 2

static void usage(FILE *f) {
  fputs("usage: pagoda COMMAND ...\n"
        "  golden TRACE [--log F.jsonl]        golden model alone on a trace\n"
        "  run TRACE [--wave F.fst] [--log F.jsonl] [--seed N]\n"
        "                                      RTL and golden model in lockstep\n"
        "  random [--seed N] [--ops N] [--mix mmu,iommu,dram]\n"
        "  scenario NAME | --list\n"
        "  dram TRACE [--config F.ini] [--cmd-trace F]\n"
        "exit codes: 0 all matched, 1 mismatch or failed expectation, 2 bad input\n",
        f);
}

static int cmd_golden(int argc, char **argv) {
  const char *trace_path = NULL, *log_path = NULL;
  for (int i = 0; i < argc; i++) {
    if (strcmp(argv[i], "--log") == 0) {
      if (i + 1 >= argc) {
        fprintf(stderr, "pagoda golden: --log needs a file name\n");
        return EXIT_BADINPUT;
      }
      log_path = argv[++i];
    } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
      fprintf(stderr, "pagoda golden: unknown option '%s'\n", argv[i]);
      return EXIT_BADINPUT;
    } else if (trace_path) {
      fprintf(stderr, "pagoda golden: more than one trace given ('%s')\n", argv[i]);
      return EXIT_BADINPUT;
    } else {
      trace_path = argv[i];
    }
  }
  if (!trace_path) {
    fprintf(stderr, "pagoda golden: missing TRACE\n");
    return EXIT_BADINPUT;
  }
  pg_trace_t t;
  char err[512];
  if (pg_trace_parse_file(trace_path, &t, err, sizeof err)) {
    fprintf(stderr, "%s\n", err);
    return EXIT_BADINPUT;
  }
  FILE *log = NULL;
  if (log_path && !(log = fopen(log_path, "w"))) {
    fprintf(stderr, "pagoda golden: cannot write log '%s'\n", log_path);
    pg_trace_free(&t);
    return EXIT_BADINPUT;
  }
  pg_model_t *m = pg_model_new(NULL);
  pg_target_t tg = pg_golden_target(m);
  pg_run_opts_t o = {stdout, log};
  int rc = pg_run_trace(&t, &tg, &o);
  pg_model_free(m);
  pg_trace_free(&t);
  if (log)
    fclose(log);
  return rc;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    usage(stderr);
    return EXIT_BADINPUT;
  }
  const char *cmd = argv[1];
  if (strcmp(cmd, "golden") == 0)
    return cmd_golden(argc - 2, argv + 2);
  if (strcmp(cmd, "-h") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "help") == 0) {
    usage(stdout);
    return 0;
  }
  if (strcmp(cmd, "run") == 0 || strcmp(cmd, "random") == 0 || strcmp(cmd, "scenario") == 0 ||
      strcmp(cmd, "dram") == 0) {
    fprintf(stderr, "pagoda %s: not in this build: it needs the RTL, which is not built yet\n",
            cmd);
    return EXIT_BADINPUT;
  }
  fprintf(stderr, "pagoda: unknown command '%s'\n", cmd);
  usage(stderr);
  return EXIT_BADINPUT;
}
