/* pg_bench.h — `pagoda bench`: the MMU figures of SPEC §10 (pg_bench.c). */
#ifndef PG_BENCH_H
#define PG_BENCH_H

/* Prints `bench NAME VALUE` lines; 0 when every access matched golden. */
int pg_bench_mmu(void);

#endif
