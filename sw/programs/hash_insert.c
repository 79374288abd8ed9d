/* SPDX-License-Identifier: MIT */
/* hash_insert.c — 24,576 inserts of pseudo-random keys into an
 * open-addressing table of 65,536 16-byte slots (1 MiB): every insert reads
 * and writes a random line of a random page. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define SLOTS 65536u
#define KEYS  24576u

struct slot {
  uint64_t key, value;
};

int main(void) {
  struct slot *t = calloc(SLOTS, sizeof *t);
  if (!t)
    return 1;
  uint64_t x = 0x2545f4914f6cdd1dull, probes = 0;
  for (uint32_t n = 0; n < KEYS; n++) {
    x ^= x << 13, x ^= x >> 7, x ^= x << 17;
    uint64_t key = x | 1, h = (key * 0x9e3779b97f4a7c15ull) >> 48;
    while (t[h].key && t[h].key != key)
      h = (h + 1) & (SLOTS - 1), probes++;
    t[h].key = key;
    t[h].value = n;
  }
  printf("hash_insert %llu probes\n", (unsigned long long)probes);
  free(t);
  return 0;
}
