/* SPDX-License-Identifier: MIT */
/* pg_rng.h — the testbench's random numbers, one definition for every
 * generator of traffic.
 *
 * Owns: xorshift64 streams (a nonzero 64-bit state; below and chance draw
 * from it) and the splitmix64 mixer (a counter or an address in, 64
 * well-mixed bits out: deterministic data and address streams). */
#ifndef PG_RNG_H
#define PG_RNG_H

#include <stdint.h>

static inline uint64_t pg_rng_next(uint64_t *state) {
  uint64_t x = *state;
  x ^= x << 13;
  x ^= x >> 7;
  x ^= x << 17;
  *state = x;
  return x;
}

/* Uniform-ish in [0, n); n > 0. */
static inline uint64_t pg_rng_below(uint64_t *state, uint64_t n) {
  return pg_rng_next(state) % n;
}

/* 1 with probability PERCENT / 100. */
static inline int pg_rng_chance(uint64_t *state, unsigned percent) {
  return pg_rng_below(state, 100) < percent;
}

/* splitmix64's finalizer. */
static inline uint64_t pg_mix64(uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

/* splitmix64: the next value of the sequence whose position is *X. */
static inline uint64_t pg_splitmix(uint64_t *x) {
  return pg_mix64(*x += 0x9e3779b97f4a7c15ull);
}

#endif
