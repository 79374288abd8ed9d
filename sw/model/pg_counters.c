/* SPDX-License-Identifier: MIT */
/* pg_counters.c — the counter table and its printer. */
#include "pg_counters.h"

#include <inttypes.h>
#include <stddef.h>

static const pg_counter_desc_t table[] = {
#define PG_COUNTER_DESC(name, kind) {#name, PG_COUNTER_##kind, offsetof(pg_counters_t, name)},
    PG_COUNTER_LIST(PG_COUNTER_DESC)
#undef PG_COUNTER_DESC
};

const pg_counter_desc_t *pg_counter_table(size_t *n) {
  *n = sizeof table / sizeof table[0];
  return table;
}

void pg_counters_print(FILE *f, const pg_counters_t *c) {
  size_t n;
  const pg_counter_desc_t *t = pg_counter_table(&n);
  for (size_t i = 0; i < n; i++)
    fprintf(f, "counter %-20s %" PRIu64 "\n", t[i].name, pg_counter_get(c, &t[i]));
}
