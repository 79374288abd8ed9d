/* SPDX-License-Identifier: MIT */
/* pg_iotest.h — the directed IOMMU and DMA tests, on any target.
 *
 * Owns: one case per fault reason (the record's four words checked), per
 * command, ring overflow, CTRL.TE=0, device-table cache invalidation, nested
 * faults at each stage, and successful copies. Each case builds its tables
 * with sw/os on the target it is given (the golden model alone in the unit
 * test; RTL and golden in lockstep under `pagoda random --mix iommu`), drives
 * the registers through the target's CPU, and checks what the SPEC says must
 * happen. A case wants a fresh target. */
#ifndef PG_IOTEST_H
#define PG_IOTEST_H

#include <stdio.h>

#include "pg_runner.h"

unsigned pg_iotest_count(void);
const char *pg_iotest_name(unsigned i);
/* Runs case I on TG; returns the number of failed checks (each printed to
 * OUT with what was expected). */
unsigned pg_iotest_run(unsigned i, const pg_target_t *tg, FILE *out);

#endif
