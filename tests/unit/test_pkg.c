/* SPDX-License-Identifier: MIT */
/* test_pkg.c — rtl/pagoda_pkg.sv and the C headers agree on every value
 * they share: PTE and error-code bits, the access, status, fault-kind and
 * control encodings, the memory map, the DRAM command encoding, the
 * IOMMU's register offsets and command opcodes, and the width of the DRAM
 * settings word. The package is read as text (run from
 * the repository's root, as make test does). */
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

/* The value given to NAME in the package: `NAME = 48`, `NAME = 3'd5` or
 * `NAME = 52'h0_0000_C000_0000` (the first such assignment). */
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
  BIT("PteP", PTE_P);
  BIT("PteRw", PTE_RW);
  BIT("PteUs", PTE_US);
  BIT("PteA", PTE_A);
  BIT("PteD", PTE_D);
  BIT("PtePs", PTE_PS);
  BIT("PteG", PTE_G);
  BIT("PteXd", PTE_XD);
  BIT("ErrP", PF_ERR_P);
  BIT("ErrW", PF_ERR_W);
  BIT("ErrU", PF_ERR_U);
  BIT("ErrRsvd", PF_ERR_RSVD);
  BIT("ErrId", PF_ERR_ID);
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
  SAME("CtlCr3", PG_CTL_CR3);
  SAME("CtlWp", PG_CTL_WP);
  SAME("CtlNxe", PG_CTL_NXE);
  SAME("CtlSmep", PG_CTL_SMEP);
  SAME("CtlSmap", PG_CTL_SMAP);
  SAME("CtlPcide", PG_CTL_PCIDE);
  SAME("CtlPge", PG_CTL_PGE);
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
  pkg_text = saved;
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_widths),
      cmocka_unit_test(test_pte_and_error_bits),
      cmocka_unit_test(test_encodings),
      cmocka_unit_test(test_memory_map),
      cmocka_unit_test(test_iommu_registers_and_commands),
      cmocka_unit_test(test_reader),
  };
  return cmocka_run_group_tests(tests, load, unload);
}
