/* pg_random.h — `pagoda random`: constrained-random MMU traffic, RTL against
 * the golden model (see pg_random.c). */
#ifndef PG_RANDOM_H
#define PG_RANDOM_H

#include <stdint.h>

typedef struct {
  uint64_t seed;
  uint64_t ops;
  const char *wave; /* FST file, or NULL */
  int progress;     /* progress lines on stderr */
} pg_random_opts_t;

/* Returns 0 when every result matched, 1 otherwise. */
int pg_random_run(const pg_random_opts_t *o);

#endif
