/* SPDX-License-Identifier: MIT */
/* pg_dram_cfg.c — DRAMsim3-format .ini files and the address mapping. */
#include "pg_dram_cfg.h"

#include <assert.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- keys ----------------------------------------------------------------- */

typedef enum { K_UINT, K_DOUBLE, K_STR, K_BOOL, K_POLICY, K_SCHED } key_type_t;

typedef struct {
  const char *section, *name;
  key_type_t type;
  size_t offset;
  int needed;
} key_t_;

#define U(sec, n)                                                                                  \
  { sec, #n, K_UINT, offsetof(pg_dram_cfg_t, n), 1 }
#define OPT_U(sec, n)                                                                              \
  { sec, #n, K_UINT, offsetof(pg_dram_cfg_t, n), 0 }

static const key_t_ keys[] = {
    {"dram_structure", "protocol", K_STR, offsetof(pg_dram_cfg_t, protocol), 1},
    U("dram_structure", bankgroups),
    U("dram_structure", banks_per_group),
    U("dram_structure", rows),
    U("dram_structure", columns),
    U("dram_structure", device_width),
    U("dram_structure", BL),
    {"timing", "tCK", K_DOUBLE, offsetof(pg_dram_cfg_t, tCK), 1},
    U("timing", CL),
    U("timing", CWL),
    U("timing", tRCD),
    U("timing", tRP),
    U("timing", tRAS),
    OPT_U("timing", tRC), /* DRAMsim3 derives it: tRAS + tRP */
    U("timing", tRFC),
    U("timing", tREFI),
    U("timing", tRRD_S),
    U("timing", tRRD_L),
    U("timing", tWTR_S),
    U("timing", tWTR_L),
    U("timing", tFAW),
    U("timing", tWR),
    U("timing", tRTP),
    U("timing", tCCD_S),
    U("timing", tCCD_L),
    U("timing", tRTRS),
    U("system", bus_width),
    {"system", "address_mapping", K_STR, offsetof(pg_dram_cfg_t, address_mapping), 1},
    {"system", "row_buf_policy", K_POLICY, offsetof(pg_dram_cfg_t, close_page), 1},
    U("system", trans_queue_size),
    {"system", "bank_xor_hash", K_BOOL, offsetof(pg_dram_cfg_t, bank_xor_hash), 0},
    OPT_U("system", write_queue_size),
    OPT_U("system", write_high_watermark),
    OPT_U("system", write_low_watermark),
    OPT_U("system", starve_cycles),
    {"system", "scheduler", K_SCHED, offsetof(pg_dram_cfg_t, in_order), 0},
};
#define NKEYS (sizeof keys / sizeof keys[0])

void pg_dram_cfg_default(pg_dram_cfg_t *c) {
  memset(c, 0, sizeof *c);
  snprintf(c->protocol, sizeof c->protocol, "DDR3");
  c->bankgroups = 1;
  c->banks_per_group = 8;
  c->rows = 65536;
  c->columns = 1024;
  c->device_width = 8;
  c->BL = 8;
  c->tCK = 1.25;
  c->CL = 11;
  c->CWL = 8;
  c->tRCD = 11;
  c->tRP = 11;
  c->tRAS = 28;
  c->tRC = 39;
  c->tRFC = 208;
  c->tREFI = 6240;
  c->tRRD_S = c->tRRD_L = 5;
  c->tWTR_S = c->tWTR_L = 6;
  c->tFAW = 24;
  c->tWR = 12;
  c->tRTP = 6;
  c->tCCD_S = c->tCCD_L = 4;
  c->tRTRS = 1;
  c->bus_width = 64;
  c->trans_queue_size = 40;
  c->write_queue_size = 24;
  snprintf(c->address_mapping, sizeof c->address_mapping, "rochrababgco");
  c->write_high_watermark = 24;
  c->write_low_watermark = 16;
  c->starve_cycles = 1000;
  char err[200];
  int rc = pg_dram_cfg_finish(c, err, sizeof err);
  assert(rc == 0);
  (void)rc;
}

/* ---- parsing -------------------------------------------------------------- */

static char *trim(char *s) {
  while (*s == ' ' || *s == '\t')
    s++;
  char *e = s + strlen(s);
  while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' || e[-1] == '\n'))
    *--e = 0;
  return s;
}

/* A key with two named values: ZERO sets 0, ONE sets 1, anything else is malformed. */
static int choose(const char *v, const char *zero, const char *one, int *out) {
  if (strcmp(v, zero) && strcmp(v, one))
    return -1;
  *out = !strcmp(v, one);
  return 0;
}

static int set_value(pg_dram_cfg_t *c, const key_t_ *k, const char *v) {
  char *end;
  void *p = (char *)c + k->offset;
  switch (k->type) {
  case K_UINT: {
    if (*v < '0' || *v > '9')
      return -1;
    errno = 0;
    unsigned long x = strtoul(v, &end, 0);
    if (errno || *end || x > 0xffffffffu)
      return -1;
    *(unsigned *)p = (unsigned)x;
    return 0;
  }
  case K_DOUBLE: {
    errno = 0;
    double x = strtod(v, &end);
    if (errno || *end || end == v || !(x > 0))
      return -1;
    *(double *)p = x;
    return 0;
  }
  case K_STR:
    if (!*v || strlen(v) >= 16)
      return -1;
    snprintf((char *)p, 16, "%s", v);
    return 0;
  case K_BOOL:
    if (!strcmp(v, "true") || !strcmp(v, "1"))
      *(int *)p = 1;
    else if (!strcmp(v, "false") || !strcmp(v, "0"))
      *(int *)p = 0;
    else
      return -1;
    return 0;
  case K_POLICY:
    return choose(v, "OPEN_PAGE", "CLOSE_PAGE", (int *)p);
  case K_SCHED:
    return choose(v, "FRFCFS", "FCFS", (int *)p);
  }
  return -1;
}

int pg_dram_cfg_load(const char *path, pg_dram_cfg_t *c, char *err, size_t errlen) {
  FILE *f = fopen(path, "r");
  if (!f) {
    snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
    return -1;
  }
  /* Optional keys keep the defaults; every needed key must be in the file. */
  pg_dram_cfg_default(c);
  unsigned seen_line[NKEYS] = {0};
  char section[64] = "";
  unsigned section_line[3] = {0}; /* dram_structure, timing, system */
  char buf[512];
  unsigned line = 0;
  int rc = 0;
  while (fgets(buf, sizeof buf, f)) {
    line++;
    char *s = trim(buf);
    char *hash = strpbrk(s, ";#");
    if (hash)
      *hash = 0;
    s = trim(s);
    if (!*s)
      continue;
    if (*s == '[') {
      char *e = strchr(s, ']');
      if (!e || e[1]) {
        snprintf(err, errlen, "%s:%u: malformed section header '%s'", path, line, s);
        rc = -1;
        break;
      }
      *e = 0;
      snprintf(section, sizeof section, "%s", s + 1);
      if (!strcmp(section, "dram_structure"))
        section_line[0] = line;
      else if (!strcmp(section, "timing"))
        section_line[1] = line;
      else if (!strcmp(section, "system"))
        section_line[2] = line;
      continue;
    }
    char *eq = strchr(s, '=');
    if (!eq) {
      snprintf(err, errlen, "%s:%u: expected 'key = value', got '%s'", path, line, s);
      rc = -1;
      break;
    }
    *eq = 0;
    char *name = trim(s), *value = trim(eq + 1);
    for (size_t i = 0; i < NKEYS; i++) {
      if (strcmp(keys[i].section, section) || strcmp(keys[i].name, name))
        continue;
      if (set_value(c, &keys[i], value)) {
        snprintf(err, errlen, "%s:%u: key '%s' in [%s]: malformed value '%s'", path, line, name,
                 section, value);
        rc = -1;
      }
      seen_line[i] = line;
      break;
    }
    if (rc)
      break;
  }
  fclose(f);
  if (rc)
    return rc;
  for (size_t i = 0; i < NKEYS; i++) {
    if (!keys[i].needed || seen_line[i])
      continue;
    unsigned sl = !strcmp(keys[i].section, "dram_structure") ? section_line[0]
                  : !strcmp(keys[i].section, "timing")       ? section_line[1]
                                                             : section_line[2];
    snprintf(err, errlen, "%s:%u: missing key '%s' in [%s]", path, sl ? sl : line, keys[i].name,
             keys[i].section);
    return -1;
  }
  for (size_t i = 0; i < NKEYS; i++)
    if (!strcmp(keys[i].name, "tRC") && !seen_line[i])
      c->tRC = c->tRAS + c->tRP; /* DRAMsim3 derives it */
  char why[200];
  if (pg_dram_cfg_finish(c, why, sizeof why)) {
    snprintf(err, errlen, "%s: %s", path, why);
    return -1;
  }
  return 0;
}

/* ---- validation and the mapping -------------------------------------------- */

static int log2_exact(unsigned x) {
  if (!x || (x & (x - 1)))
    return -1;
  int n = 0;
  while (x >>= 1)
    n++;
  return n;
}

int pg_dram_cfg_finish(pg_dram_cfg_t *c, char *err, size_t errlen) {
  if (strcmp(c->protocol, "DDR3") && strcmp(c->protocol, "DDR4")) {
    snprintf(err, errlen, "protocol '%s': the controller speaks DDR3 and DDR4", c->protocol);
    return -1;
  }
  if (c->bus_width != 64 || c->BL != 8) {
    snprintf(err, errlen,
             "bus_width %u, BL %u: the controller moves 64-byte lines on a 64-bit "
             "bus with BL8",
             c->bus_width, c->BL);
    return -1;
  }
  int w[PG_NUM_FIELDS];
  w[PG_F_CH] = 0;
  w[PG_F_RA] = 0;
  w[PG_F_BG] = log2_exact(c->bankgroups);
  w[PG_F_BA] = log2_exact(c->banks_per_group);
  w[PG_F_RO] = log2_exact(c->rows);
  w[PG_F_CO] = log2_exact(c->columns) - log2_exact(c->BL);
  if (w[PG_F_BG] < 0 || w[PG_F_BA] < 0 || w[PG_F_RO] < 0 || log2_exact(c->columns) < 0 ||
      w[PG_F_CO] < 0) {
    snprintf(err, errlen, "bankgroups, banks_per_group, rows and columns must be powers of two");
    return -1;
  }
  c->banks = c->bankgroups * c->banks_per_group;
  if (c->banks > PG_DRAM_MAX_BANKS || w[PG_F_RO] > PG_DRAM_ROW_BITS ||
      w[PG_F_CO] > PG_DRAM_COL_BITS) {
    snprintf(err, errlen,
             "%u banks, %u rows, %u columns: beyond the controller (at most %u banks, "
             "2^%u rows, 2^%u bursts per row)",
             c->banks, c->rows, c->columns, PG_DRAM_MAX_BANKS, PG_DRAM_ROW_BITS, PG_DRAM_COL_BITS);
    return -1;
  }
  if (c->device_width == 0 || c->bus_width % c->device_width) {
    snprintf(err, errlen, "device_width %u does not divide bus_width %u", c->device_width,
             c->bus_width);
    return -1;
  }
  const char *names[PG_NUM_FIELDS] = {"ch", "ra", "bg", "ba", "ro", "co"};
  if (strlen(c->address_mapping) != 2 * PG_NUM_FIELDS) {
    snprintf(err, errlen,
             "address_mapping '%s': six two-letter fields (ch ra bg ba ro co) "
             "expected",
             c->address_mapping);
    return -1;
  }
  unsigned seen = 0, pos = 0;
  for (int i = PG_NUM_FIELDS - 1; i >= 0; i--) { /* the last field is the lowest */
    int f = -1;
    for (int k = 0; k < PG_NUM_FIELDS; k++)
      if (!strncmp(c->address_mapping + 2 * i, names[k], 2))
        f = k;
    if (f < 0 || (seen >> f & 1)) {
      snprintf(err, errlen, "address_mapping '%s': field '%.2s' unknown or repeated",
               c->address_mapping, c->address_mapping + 2 * i);
      return -1;
    }
    seen |= 1u << f;
    c->pos[f] = pos;
    c->width[f] = (unsigned)w[f];
    pos += (unsigned)w[f];
  }
  if (pos + 6 > 34) {
    snprintf(err, errlen, "the mapping spans %u address bits; the controller takes 34", pos + 6);
    return -1;
  }
  struct {
    const char *n;
    unsigned v, max;
  } lim[] = {{"CL", c->CL, 255},         {"CWL", c->CWL, 255},       {"tRCD", c->tRCD, 255},
             {"tRP", c->tRP, 255},       {"tRAS", c->tRAS, 255},     {"tRC", c->tRC, 255},
             {"tRRD_S", c->tRRD_S, 255}, {"tRRD_L", c->tRRD_L, 255}, {"tWTR_S", c->tWTR_S, 255},
             {"tWTR_L", c->tWTR_L, 255}, {"tFAW", c->tFAW, 255},     {"tWR", c->tWR, 255},
             {"tRTP", c->tRTP, 255},     {"tCCD_S", c->tCCD_S, 255}, {"tCCD_L", c->tCCD_L, 255},
             {"tRFC", c->tRFC, 4095},    {"tREFI", c->tREFI, 65535}};
  for (size_t i = 0; i < sizeof lim / sizeof lim[0]; i++)
    if (lim[i].v < 1 || lim[i].v > lim[i].max) {
      snprintf(err, errlen, "%s = %u: out of range 1..%u", lim[i].n, lim[i].v, lim[i].max);
      return -1;
    }
  if (c->CL + c->BL / 2 + 2 < c->CWL || c->tCCD_S < c->BL / 2 || c->tCCD_L < c->BL / 2) {
    snprintf(err, errlen, "CWL above CL + BL/2 + 2, or tCCD below BL/2: not a DDR timing set");
    return -1;
  }
  if (c->trans_queue_size < 1 || c->write_queue_size < 1 ||
      c->trans_queue_size + c->write_queue_size > PG_DRAM_MAX_QUEUE) {
    snprintf(err, errlen,
             "trans_queue_size %u + write_queue_size %u: the controller holds 1..%u "
             "requests in all",
             c->trans_queue_size, c->write_queue_size, PG_DRAM_MAX_QUEUE);
    return -1;
  }
  if (c->write_low_watermark >= c->write_high_watermark ||
      c->write_high_watermark > c->write_queue_size) {
    snprintf(err, errlen, "write watermarks %u/%u: need low < high <= write_queue_size %u",
             c->write_low_watermark, c->write_high_watermark, c->write_queue_size);
    return -1;
  }
  if (c->starve_cycles < 1 || c->starve_cycles > 4095) {
    snprintf(err, errlen, "starve_cycles = %u: out of range 1..4095", c->starve_cycles);
    return -1;
  }
  return 0;
}

void pg_dram_map(const pg_dram_cfg_t *c, uint64_t addr, pg_dram_addr_t *o) {
  uint64_t line = addr >> 6;
  unsigned v[PG_NUM_FIELDS];
  for (int f = 0; f < PG_NUM_FIELDS; f++)
    v[f] = (unsigned)(line >> c->pos[f]) & ((1u << c->width[f]) - 1);
  unsigned bank = v[PG_F_BG] * c->banks_per_group + v[PG_F_BA];
  if (c->bank_xor_hash)
    bank ^= v[PG_F_RO] & (c->banks - 1);
  o->bank = bank;
  o->bankgroup = bank / c->banks_per_group;
  o->bank_in_group = bank % c->banks_per_group;
  o->row = v[PG_F_RO];
  o->col = v[PG_F_CO];
}

uint64_t pg_dram_unmap(const pg_dram_cfg_t *c, unsigned bank, unsigned row, unsigned col) {
  if (c->bank_xor_hash)
    bank ^= row & (c->banks - 1);
  uint64_t line = ((uint64_t)(bank / c->banks_per_group) << c->pos[PG_F_BG]) |
                  ((uint64_t)(bank % c->banks_per_group) << c->pos[PG_F_BA]) |
                  ((uint64_t)row << c->pos[PG_F_RO]) | ((uint64_t)col << c->pos[PG_F_CO]);
  return line << 6;
}

/* ---- the controller's settings word ------------------------------------------ */

/* Fields from the least significant bit up: the reverse of the declaration
 * order of pagoda_pkg::dram_cfg_t (a packed struct's first field is its top). */
static void put(uint32_t w[PG_DRAM_CFG_WORDS], unsigned *bit, unsigned width, unsigned v) {
  for (unsigned i = 0; i < width; i++, (*bit)++)
    if (v >> i & 1)
      w[*bit / 32] |= 1u << (*bit % 32);
}

void pg_dram_cfg_pack(const pg_dram_cfg_t *c, uint32_t w[PG_DRAM_CFG_WORDS]) {
  memset(w, 0, PG_DRAM_CFG_WORDS * sizeof w[0]);
  unsigned b = 0;
  put(w, &b, 1, (unsigned)c->in_order);
  put(w, &b, 12, c->starve_cycles);
  put(w, &b, 5, c->write_low_watermark);
  put(w, &b, 5, c->write_high_watermark);
  put(w, &b, 6, c->write_queue_size);
  put(w, &b, 6, c->trans_queue_size);
  put(w, &b, 1, (unsigned)c->close_page);
  put(w, &b, 1, (unsigned)c->bank_xor_hash);
  put(w, &b, 3, c->width[PG_F_BG]);
  put(w, &b, 5, c->pos[PG_F_BG]);
  put(w, &b, 3, c->width[PG_F_BA]);
  put(w, &b, 5, c->pos[PG_F_BA]);
  put(w, &b, 4, c->width[PG_F_CO]);
  put(w, &b, 5, c->pos[PG_F_CO]);
  put(w, &b, 5, c->width[PG_F_RO]);
  put(w, &b, 5, c->pos[PG_F_RO]);
  put(w, &b, 16, c->tREFI);
  put(w, &b, 12, c->tRFC);
  const unsigned t8[] = {c->tCCD_L, c->tCCD_S, c->tRTP,   c->tWR,    c->tFAW,
                         c->tWTR_L, c->tWTR_S, c->tRRD_L, c->tRRD_S, c->tRC,
                         c->tRAS,   c->tRP,    c->tRCD,   c->CWL,    c->CL};
  for (size_t i = 0; i < sizeof t8 / sizeof t8[0]; i++)
    put(w, &b, 8, t8[i]);
  assert(b == PG_DRAM_CFG_BITS);
}
