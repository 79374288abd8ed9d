/* SPDX-License-Identifier: MIT */
/* plot_data.c — the data behind the README's pictures (make pictures).
 *
 *   plot_data tlb DIR    TLB misses against dTLB entries and page size
 *   plot_data dram DIR   DRAMsim3 request traces, one per access pattern
 *
 * tlb: three workloads of random 8-byte loads (a 1 MiB array in 4 KiB pages,
 * a 16 MiB array in 4 KiB pages, the same array in 2 MiB pages), each run on
 * the golden model once per dTLB size (the L2 TLB and walk caches at their
 * SPEC §3.1 defaults). DIR/tlb.dat has one row per size: entries, then per
 * workload the dTLB misses and the page walks per 1,000 loads. The same
 * streams go to DIR/tlb_NAME.trace, page tables and all, so that
 * scripts/pictures.sh can replay them on the RTL (built with the default 32
 * entries) and put its own counts on the plot.
 *
 * dram: DIR/dram_NAME.trace for each pattern, every request offered at cycle
 * 0; scripts/pictures.sh runs each under FR-FCFS and under FCFS. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "os_vm.h"
#include "pg_dram_cfg.h"
#include "pg_model.h"
#include "pg_rng.h"

#define LOADS    20000u
#define ARRAY_VA 0x40000000ull

typedef struct {
  const char *name, *title;
  enum pg_page_size size;
  uint64_t bytes;
} workload_t;

static const workload_t workloads[] = {
    {"4k_1m", "4 KiB pages, 1 MiB array", PG_SIZE_4K, 1ull << 20},
    {"4k_16m", "4 KiB pages, 16 MiB array", PG_SIZE_4K, 16ull << 20},
    {"2m_16m", "2 MiB pages, 16 MiB array", PG_SIZE_2M, 16ull << 20},
};
#define NWORK (sizeof workloads / sizeof workloads[0])

static const unsigned entries[] = {4, 8, 16, 32, 64, 128, 256, 512};
#define NENTRIES (sizeof entries / sizeof entries[0])

static void die(const char *what) {
  fprintf(stderr, "plot_data: %s\n", what);
  exit(1);
}

static FILE *open_out(const char *dir, const char *name) {
  char path[512];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  FILE *f = fopen(path, "w");
  if (!f) {
    perror(path);
    exit(1);
  }
  return f;
}

/* Maps the workload's array into a fresh address space on PHYS; returns CR3. */
static uint64_t build(os_phys_t phys, os_frames_t *fr, os_as_t *as, const workload_t *w) {
  os_frames_init(fr, phys, 0x100000, 0x40000000);
  if (os_as_init(as, fr))
    die("address space");
  uint64_t page = 1ull << pg_size_shift(w->size);
  for (uint64_t off = 0; off < w->bytes; off += page) {
    uint64_t pa;
    if (os_frames_alloc_size(fr, w->size, &pa) ||
        os_map(as, ARRAY_VA + off, pa, w->size, PTE_RW | PTE_US))
      die("map");
  }
  return os_as_cr3(as, 0);
}

/* The Ith load's address: uniform over the array, 8-byte aligned. */
static void stream(const workload_t *w, uint64_t *va) {
  uint64_t rng = 0x5eed0000ull + w->bytes + (uint64_t)w->size;
  for (unsigned i = 0; i < LOADS; i++)
    va[i] = ARRAY_VA + (pg_rng_below(&rng, w->bytes) & ~7ull);
}

static void tlb(const char *dir) {
  static uint64_t va[LOADS];
  double miss[NENTRIES][NWORK], walk[NENTRIES][NWORK];
  for (size_t k = 0; k < NWORK; k++) {
    const workload_t *w = &workloads[k];
    stream(w, va);
    for (size_t e = 0; e < NENTRIES; e++) {
      pg_model_config_t cfg;
      pg_model_default_config(&cfg);
      cfg.dtlb_entries = entries[e];
      pg_model_t *m = pg_model_new(&cfg);
      os_frames_t fr;
      os_as_t as;
      pg_model_write_ctl(m, PG_CTL_CR3, build(os_phys_of_mem(pg_model_mem(m)), &fr, &as, w));
      for (unsigned i = 0; i < LOADS; i++) {
        pg_access_t a = {.op = PG_OP_LOAD, .user = 1, .size = 8, .va = va[i]};
        pg_result_t r;
        pg_model_access(m, &a, &r);
        if (r.status != PG_ST_OK)
          die("a load of the stream faulted");
      }
      const pg_counters_t *c = pg_model_counters(m);
      miss[e][k] = 1000.0 * (double)c->dtlb_misses / LOADS;
      walk[e][k] = 1000.0 * (double)c->walks / LOADS;
      os_frames_destroy(&fr);
      pg_model_free(m);
    }
    /* The same stream as a trace for the RTL. */
    char name[64];
    snprintf(name, sizeof name, "tlb_%s.trace", w->name);
    FILE *f = open_out(dir, name);
    fprintf(f, "# %s: %u random 8-byte loads (scripts/plot_data.c)\n", w->title, LOADS);
    os_trace_sink_t *sink = os_trace_sink_new(f);
    os_frames_t fr;
    os_as_t as;
    uint64_t cr3 = build(os_phys_of_trace(sink), &fr, &as, w);
    fprintf(f, "ctl cr3=0x%" PRIx64 "\n", cr3);
    for (unsigned i = 0; i < LOADS; i++)
      fprintf(f, "load u 0x%" PRIx64 " 8\n", va[i]);
    os_frames_destroy(&fr);
    os_trace_sink_free(sink);
    fclose(f);
  }
  FILE *f = open_out(dir, "tlb.dat");
  fprintf(f, "# dTLB entries, then per workload: dTLB misses and page walks per 1,000 loads\n#");
  for (size_t k = 0; k < NWORK; k++)
    fprintf(f, " [%s]", workloads[k].title);
  fprintf(f, "\n");
  for (size_t e = 0; e < NENTRIES; e++) {
    fprintf(f, "%u", entries[e]);
    for (size_t k = 0; k < NWORK; k++)
      fprintf(f, " %.2f %.2f", miss[e][k], walk[e][k]);
    fprintf(f, "\n");
  }
  fclose(f);
}

/* ---- DRAM access patterns ------------------------------------------------------------------ */

#define REQS 20000u

static void dram(const char *dir) {
  pg_dram_cfg_t c;
  pg_dram_cfg_default(&c);
  const char *names[] = {"sequential", "random", "random_rw", "streams_8_banks", "two_rows_1_bank"};
  for (size_t p = 0; p < sizeof names / sizeof names[0]; p++) {
    char name[64];
    snprintf(name, sizeof name, "dram_%s.trace", names[p]);
    FILE *f = open_out(dir, name);
    uint64_t rng = 7 + p;
    for (unsigned i = 0; i < REQS; i++) {
      uint64_t a;
      int we = 0;
      switch (p) {
      case 0:
        a = (uint64_t)i * 64;
        break; /* one stream */
      case 1:
        a = pg_rng_below(&rng, 1ull << 30) & ~63ull;
        break; /* 1 GiB */
      case 2:
        a = pg_rng_below(&rng, 1ull << 30) & ~63ull;
        we = i % 3 == 2; /* two reads to one write */
        break;
      case 3: /* eight sequential streams, one per bank, taking turns */
        a = pg_dram_unmap(&c, i % 8, 100 + (i / 8) / 128, (i / 8) % 128);
        break;
      default: /* two rows of one bank, taking turns */
        a = pg_dram_unmap(&c, 0, 40 + i % 2, (i / 2) % 128);
        break;
      }
      fprintf(f, "0x%" PRIx64 " %s 0\n", a, we ? "WRITE" : "READ");
    }
    fclose(f);
  }
}

int main(int argc, char **argv) {
  if (argc != 3 || (strcmp(argv[1], "tlb") && strcmp(argv[1], "dram"))) {
    fprintf(stderr, "usage: plot_data tlb|dram DIR\n");
    return 2;
  }
  if (!strcmp(argv[1], "tlb"))
    tlb(argv[2]);
  else
    dram(argv[2]);
  return 0;
}
