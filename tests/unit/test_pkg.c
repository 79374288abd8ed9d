/* SPDX-License-Identifier: MIT */
/* test_pkg.c — rtl/pagoda_pkg.sv and the C headers agree on every value
 * they share: the layouts of the packed structs (paging-structure entry,
 * device-table entry word 0, fault record word 0, command word 0) field by
 * field, the error-code bits, the access, status, fault-kind, control and
 * IOMMU-reason encodings, the memory map, the DRAM command encoding, the
 * IOMMU's and the DMA engines' register offsets and command opcodes, and
 * the width of the DRAM settings word. The package is read as text (run
 * from the repository's root, as make test does). */
#include <ctype.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "pg_dram_cfg.h"
#include "pg_dram_dev.h"
#include "pg_hw.h"
#include "pg_model.h"
#include "pg_vshim.h"

#define PKG "rtl/pagoda_pkg.sv"

static char *pkg_text;

static int load(void **state) {
  (void)state;
  FILE *f = fopen(PKG, "r");
  if (!f)
    return -1;
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  pkg_text = calloc(1, (size_t)n + 1);
  size_t got = fread(pkg_text, 1, (size_t)n, f);
  fclose(f);
  return got == (size_t)n ? 0 : -1;
}

static int unload(void **state) {
  (void)state;
  free(pkg_text);
  return 0;
}

/* The value given to NAME in the package: `NAME = 48`, `NAME = 3'd5`,
 * `NAME = 52'h0_0000_C000_0000` or `NAME = OTHER - 12` (the first such
 * assignment). */
static uint64_t pkg(const char *name) {
  size_t len = strlen(name);
  for (const char *p = strstr(pkg_text, name); p; p = strstr(p + 1, name)) {
    if (p > pkg_text && (isalnum((unsigned char)p[-1]) || p[-1] == '_'))
      continue;
    const char *q = p + len;
    while (*q == ' ')
      q++;
    if (*q != '=' || q[1] == '=')
      continue;
    q++;
    while (*q == ' ')
      q++;
    if (isalpha((unsigned char)*q)) { /* OTHER, OTHER - N or OTHER + N */
      char other[64];
      size_t n = 0;
      while ((isalnum((unsigned char)q[n]) || q[n] == '_') && n + 1 < sizeof other) {
        other[n] = q[n];
        n++;
      }
      other[n] = 0;
      uint64_t v = pkg(other);
      q += n;
      while (*q == ' ')
        q++;
      if (*q == '-' || *q == '+') {
        uint64_t k = strtoull(q + 1, NULL, 10);
        v = *q == '-' ? v - k : v + k;
      }
      return v;
    }
    unsigned base = 10;
    const char *tick = strchr(q, '\'');
    const char *end = q + strcspn(q, ",;\n ");
    if (tick && tick < end) {
      base = tick[1] == 'h' ? 16 : tick[1] == 'b' ? 2 : 10;
      q = tick + 2;
    }
    uint64_t v = 0;
    int digits = 0;
    for (; *q; q++) {
      if (*q == '_')
        continue;
      int d = isdigit((unsigned char)*q)                  ? *q - '0'
              : isxdigit((unsigned char)*q) && base == 16 ? tolower((unsigned char)*q) - 'a' + 10
                                                          : -1;
      if (d < 0 || (unsigned)d >= base)
        break;
      v = v * base + (unsigned)d;
      digits++;
    }
    if (digits)
      return v;
  }
  fail_msg("%s: no value for %s", PKG, name);
  return 0;
}

#define SAME(sv, c) assert_int_equal(pkg(sv), (uint64_t)(c))
#define BIT(sv, c)  assert_int_equal(1ull << pkg(sv), (uint64_t)(c))

/* A bound of a range, `7`, `PfnBits-1` or `PaBits`: a number or a package
 * value, less one when written so. */
static uint64_t bound(const char *b, size_t n) {
  char buf[64];
  snprintf(buf, sizeof buf, "%.*s", (int)n, b);
  int minus_one = 0;
  char *dash = strstr(buf, "-1");
  if (dash) {
    *dash = 0;
    minus_one = 1;
  }
  uint64_t v = isdigit((unsigned char)buf[0]) ? strtoull(buf, NULL, 10) : pkg(buf);
  return v - (uint64_t)minus_one;
}

/* The text of the declaration `typedef KIND ... { BODY } NAME;`: BODY, and
 * in *head what lies between KIND and the brace. */
static char *typedef_body(const char *kind, const char *name, char **head) {
  char closing[64];
  snprintf(closing, sizeof closing, "} %s;", name);
  const char *end = strstr(pkg_text, closing);
  if (!end)
    fail_msg("%s: no typedef %s", PKG, name);
  const char *start = NULL;
  for (const char *p = strstr(pkg_text, kind); p && p < end; p = strstr(p + 1, kind))
    start = p;
  if (!start)
    fail_msg("%s: no %s before %s", PKG, kind, name);
  const char *brace = strchr(start, '{');
  *head = strndup(start + strlen(kind), (size_t)(brace - start - strlen(kind)));
  return strndup(brace + 1, (size_t)(end - brace - 1));
}

/* The width of a type as the package writes it: logic, logic [A:B], or a
 * package enum or struct. */
static unsigned type_width(const char *type, size_t n);

static unsigned range_width(const char *text) {
  const char *lb = strchr(text, '[');
  if (!lb)
    return 1;
  const char *colon = strchr(lb, ':');
  const char *rb = strchr(lb, ']');
  return (unsigned)(bound(lb + 1, (size_t)(colon - lb - 1)) -
                    bound(colon + 1, (size_t)(rb - colon - 1)) + 1);
}

/* The fields of a packed struct, in declaration order (most significant
 * first): names, widths, and how many. */
typedef struct {
  char name[32];
  unsigned width;
} field_t;

static unsigned struct_fields(const char *name, field_t *f, unsigned max) {
  char *head;
  char *body = typedef_body("typedef struct packed", name, &head);
  free(head);
  unsigned n = 0;
  char *save;
  for (char *line = strtok_r(body, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
    char *comment = strstr(line, "//");
    if (comment)
      *comment = 0;
    char *semi = strchr(line, ';');
    if (!semi)
      continue;
    *semi = 0;
    char *fname = semi;
    while (fname > line && (isalnum((unsigned char)fname[-1]) || fname[-1] == '_'))
      fname--;
    const char *type = line;
    while (*type == ' ')
      type++;
    assert_true(n < max);
    snprintf(f[n].name, sizeof f[n].name, "%s", fname);
    f[n].width = type_width(type, (size_t)(fname - type));
    n++;
  }
  free(body);
  return n;
}

static unsigned type_width(const char *type, size_t n) {
  char t[96];
  snprintf(t, sizeof t, "%.*s", (int)n, type);
  if (strncmp(t, "logic", 5) == 0)
    return range_width(t);
  size_t len = strcspn(t, " ");
  t[len] = 0;
  if (len > 2 && strcmp(t + len - 2, "_e") == 0) {
    char *head;
    free(typedef_body("typedef enum", t, &head));
    unsigned w = range_width(head);
    free(head);
    return w;
  }
  field_t f[32];
  unsigned k = struct_fields(t, f, 32), w = 0;
  for (unsigned i = 0; i < k; i++)
    w += f[i].width;
  return w;
}

/* Bit mask of FIELD in struct NAME; the struct's width in *total. */
static uint64_t field_mask(const char *name, const char *field, unsigned *total) {
  field_t f[32];
  unsigned n = struct_fields(name, f, 32);
  unsigned lsb = 0;
  for (unsigned i = 0; i < n; i++)
    lsb += f[i].width;
  *total = lsb;
  for (unsigned i = 0; i < n; i++) {
    lsb -= f[i].width;
    if (strcmp(f[i].name, field) == 0)
      return (f[i].width >= 64 ? ~0ull : ((1ull << f[i].width) - 1)) << lsb;
  }
  fail_msg("%s: no field %s in %s", PKG, field, name);
  return 0;
}

/* FIELD of the 64-bit struct NAME covers exactly the bits MASK. */
static void field_is(const char *name, const char *field, uint64_t mask) {
  unsigned total;
  uint64_t got = field_mask(name, field, &total);
  assert_int_equal(total, 64);
  if (got != mask)
    fail_msg("%s.%s is %#llx in %s, %#llx in C", name, field, (unsigned long long)got, PKG,
             (unsigned long long)mask);
}
static void test_widths(void **state) {
  (void)state;
  SAME("PaBits", 52);
  SAME("VaBits", 48);
  SAME("PcidBits", 12);
  SAME("LineBytes", 64);
  SAME("DramCfgBits", PG_DRAM_CFG_BITS);
}

static void test_pte_and_error_bits(void **state) {
  (void)state;
  field_is("pte_t", "p", PTE_P);
  field_is("pte_t", "rw", PTE_RW);
  field_is("pte_t", "us", PTE_US);
  field_is("pte_t", "pwt", PTE_PWT);
  field_is("pte_t", "pcd", PTE_PCD);
  field_is("pte_t", "a", PTE_A);
  field_is("pte_t", "d", PTE_D);
  field_is("pte_t", "ps", PTE_PS);
  field_is("pte_t", "g", PTE_G);
  field_is("pte_t", "pfn", PTE_ADDR);
  field_is("pte_t", "xd", PTE_XD);
  BIT("ErrP", PF_ERR_P);
  BIT("ErrW", PF_ERR_W);
  BIT("ErrU", PF_ERR_U);
  BIT("ErrRsvd", PF_ERR_RSVD);
  BIT("ErrId", PF_ERR_ID);
  BIT("ErrPk", PF_ERR_PK);
}

static void test_encodings(void **state) {
  (void)state;
  SAME("OpLoad", PG_OP_LOAD);
  SAME("OpStore", PG_OP_STORE);
  SAME("OpFetch", PG_OP_FETCH);
  SAME("StatusOk", PG_ST_OK);
  SAME("StatusPf", PG_ST_PF);
  SAME("StatusGp", PG_ST_GP);
  SAME("StatusBus", PG_ST_BUS);
  SAME("PfNone", PG_PF_NONE);
  SAME("PfNotPresent", PG_PF_NOT_PRESENT);
  SAME("PfReserved", PG_PF_RESERVED);
  SAME("PfUser", PG_PF_USER);
  SAME("PfWrite", PG_PF_WRITE);
  SAME("PfNx", PG_PF_NX);
  SAME("PfSmep", PG_PF_SMEP);
  SAME("PfSmap", PG_PF_SMAP);
  SAME("PfPk", PG_PF_PK);
  SAME("CtlCr3", PG_CTL_CR3);
  SAME("CtlWp", PG_CTL_WP);
  SAME("CtlNxe", PG_CTL_NXE);
  SAME("CtlSmep", PG_CTL_SMEP);
  SAME("CtlSmap", PG_CTL_SMAP);
  SAME("CtlPcide", PG_CTL_PCIDE);
  SAME("CtlPge", PG_CTL_PGE);
  SAME("CtlLa57", PG_CTL_LA57);
  SAME("CtlPke", PG_CTL_PKE);
  SAME("CtlPks", PG_CTL_PKS);
  SAME("CtlPkru", PG_CTL_PKRU);
  SAME("CtlPkrs", PG_CTL_PKRS);
  SAME("CtlKindWrite", PGV_CTL_WRITE);
  SAME("CtlKindInvlpg", PGV_CTL_INVLPG);
  SAME("CtlKindInvpcid", PGV_CTL_INVPCID);
  SAME("DcNop", PG_DCMD_NOP);
  SAME("DcAct", PG_DCMD_ACT);
  SAME("DcRd", PG_DCMD_RD);
  SAME("DcWr", PG_DCMD_WR);
  SAME("DcPre", PG_DCMD_PRE);
  SAME("DcPrea", PG_DCMD_PREA);
  SAME("DcRef", PG_DCMD_REF);
}

static void test_memory_map(void **state) {
  (void)state;
  SAME("RamLimit", PA_RAM_LIMIT);
  SAME("NicBase", PA_NIC_BASE);
  SAME("DiskBase", PA_DISK_BASE);
  SAME("IommuBase", PA_IOMMU_BASE);
}

static void test_iommu_registers_and_commands(void **state) {
  (void)state;
  SAME("IommuCap", IOMMU_CAP);
  SAME("IommuCtrl", IOMMU_CTRL);
  SAME("IommuDtBase", IOMMU_DT_BASE);
  SAME("IommuDtLog2", IOMMU_DT_LOG2);
  SAME("IommuFlBase", IOMMU_FL_BASE);
  SAME("IommuFlLog2", IOMMU_FL_LOG2);
  SAME("IommuFlHead", IOMMU_FL_HEAD);
  SAME("IommuFlTail", IOMMU_FL_TAIL);
  SAME("IommuFsts", IOMMU_FSTS);
  SAME("IommuCqBase", IOMMU_CQ_BASE);
  SAME("IommuCqLog2", IOMMU_CQ_LOG2);
  SAME("IommuCqTail", IOMMU_CQ_TAIL);
  SAME("IommuCqHead", IOMMU_CQ_HEAD);
  SAME("IommuCqSts", IOMMU_CQ_STS);
  SAME("IommuCntHits", IOMMU_CNT_IOTLB_HITS);
  SAME("IommuCntMiss", IOMMU_CNT_IOTLB_MISSES);
  SAME("IommuCntWalks", IOMMU_CNT_WALKS);
  SAME("IommuCntFault", IOMMU_CNT_FAULTS);
  SAME("IommuCntDrop", IOMMU_CNT_DROPPED);
  SAME("IommuVersion", IOMMU_VERSION);
  SAME("CmdInvDte", CMD_INV_DTE);
  SAME("CmdInvDomain", CMD_INV_DOMAIN);
  SAME("CmdInvPage", CMD_INV_PAGE);
  SAME("CmdInvAll", CMD_INV_ALL);
  SAME("CmdWait", CMD_WAIT);
  SAME("DmaSrc", DMA_SRC);
  SAME("DmaDst", DMA_DST);
  SAME("DmaLen", DMA_LEN);
  SAME("DmaCtrl", DMA_CTRL);
  SAME("DmaStatus", DMA_STATUS);
  SAME("DmaErrReason", DMA_ERR_REASON);
  SAME("DmaErrIova", DMA_ERR_IOVA);
}

static void test_iommu_tables_and_reasons(void **state) {
  (void)state;
  field_is("dte_w0_t", "v", DTE_V);
  field_is("dte_w0_t", "mode", DTE_MODE_MASK);
  field_is("dte_w0_t", "r", DTE_R);
  field_is("dte_w0_t", "w", DTE_W);
  field_is("dte_w0_t", "domain", DTE_DOMAIN_MASK);
  SAME("DteBlocked", DTE_BLOCKED);
  SAME("DtePass", DTE_PASS);
  SAME("DteTranslate", DTE_TRANSLATE);
  SAME("DteNested", DTE_NESTED);
  field_is("fault_w0_t", "reason", 0xffull);
  field_is("fault_w0_t", "rid", 0xffffull << FR_RID_SHIFT);
  field_is("fault_w0_t", "write", FR_WRITE);
  field_is("fault_w0_t", "guest", FR_STAGE_GUEST);
  field_is("fault_w0_t", "level", 7ull << FR_LEVEL_SHIFT);
  field_is("fault_w0_t", "domain", 0xffffull << FR_DOMAIN_SHIFT);
  field_is("cmd_w0_t", "op", 0xffull);
  field_is("cmd_w0_t", "arg", 0xffffull << CMD_ARG_SHIFT);
  SAME("IoOk", IO_OK);
  SAME("IoRid", IO_R_RID);
  SAME("IoDteInvalid", IO_R_DTE_INVALID);
  SAME("IoDteRsvd", IO_R_DTE_RSVD);
  SAME("IoBlocked", IO_R_BLOCKED);
  SAME("IoBus", IO_R_BUS);
  SAME("IoWide", IO_R_IOVA_WIDE);
  SAME("IoNotPresent", IO_R_NOT_PRESENT);
  SAME("IoRsvd", IO_R_RSVD);
  SAME("IoWrite", IO_R_WRITE);
  SAME("IoRead", IO_R_READ);
  SAME("IoNotRam", IO_R_NOT_RAM);
  SAME("DmaReasonAlign", IO_R_DMA_ALIGN);
}

/* The struct reader: widths add up, fields sit where declared, and a
 * struct that does not add up to 64 bits is told apart. */
static void test_struct_reader(void **state) {
  (void)state;
  char *saved = pkg_text;
  pkg_text = "  localparam int unsigned W = 40;\n"
             "  typedef enum logic [1:0] {X = 2'd0} two_e;\n"
             "  typedef struct packed {\n    logic [W-1:0] hi;  // 63:24\n"
             "    logic [20:0] mid;\n    two_e e;  // 2:1\n    logic lo;\n  } s_t;\n";
  unsigned total;
  assert_int_equal(field_mask("s_t", "lo", &total), 1);
  assert_int_equal(total, 64);
  assert_int_equal(field_mask("s_t", "e", &total), 6);
  assert_int_equal(field_mask("s_t", "hi", &total), 0xffffffffff000000ull);
  pkg_text = saved;
}

/* The reader itself: a value it cannot find fails, and each literal form
 * reads as written. */
static void test_reader(void **state) {
  (void)state;
  char *saved = pkg_text;
  pkg_text = "  localparam int unsigned A = 48;\n  X_A = 3;\n  B = 3'd5,\n"
             "  localparam logic [51:0] C = 52'h0_0000_C000_0100;\n  D == 4;\n";
  assert_int_equal(pkg("A"), 48);
  assert_int_equal(pkg("B"), 5);
  assert_int_equal(pkg("C"), 0xC0000100ull);
  pkg_text = "  E = 52;\n  F = E - 12;\n";
  assert_int_equal(pkg("F"), 40);
  pkg_text = saved;
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_widths),
      cmocka_unit_test(test_pte_and_error_bits),
      cmocka_unit_test(test_encodings),
      cmocka_unit_test(test_memory_map),
      cmocka_unit_test(test_iommu_registers_and_commands),
      cmocka_unit_test(test_iommu_tables_and_reasons),
      cmocka_unit_test(test_struct_reader),
      cmocka_unit_test(test_reader),
  };
  return cmocka_run_group_tests(tests, load, unload);
}
