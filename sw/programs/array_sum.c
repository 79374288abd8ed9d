/* SPDX-License-Identifier: MIT */
/* array_sum.c — one pass over a 4 MiB array, a load per 64-byte line:
 * sequential, so every page is used whole before the next (TLB misses one
 * per 4 KiB page, or one per 2 MiB page) and DRAM rows are read in order. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define BYTES (4u << 20)

int main(void) {
  uint64_t *a = malloc(BYTES);
  if (!a)
    return 1;
  size_t n = BYTES / sizeof *a;
  for (size_t i = 0; i < n; i += 8) /* one store per line */
    a[i] = i;
  uint64_t sum = 0;
  for (size_t i = 0; i < n; i += 8)
    sum += a[i];
  printf("array_sum %llu\n", (unsigned long long)sum);
  free(a);
  return 0;
}
