/* SPDX-License-Identifier: MIT */
/* copy.c — a 512 KiB buffer filled, copied to another and back, a 64-bit word
 * at a time: two sequential streams in DRAM, one read and one written.
 * (glibc's memcpy and memset move large blocks with `rep movsb`, whose
 * accesses valgrind's lackey does not list, so the loops are written out.) */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define WORDS ((512u << 10) / 8)

static void copy(uint64_t *restrict dst, const uint64_t *restrict src, size_t n) {
  for (size_t i = 0; i < n; i++)
    dst[i] = src[i];
}

int main(void) {
  uint64_t *src = malloc(WORDS * 8), *dst = malloc(WORDS * 8);
  if (!src || !dst)
    return 1;
  for (size_t i = 0; i < WORDS; i++)
    src[i] = i * 0x9e3779b97f4a7c15ull;
  copy(dst, src, WORDS);
  copy(src, dst, WORDS);
  printf("copy %llx\n", (unsigned long long)(src[WORDS - 1] ^ dst[12345]));
  free(src);
  free(dst);
  return 0;
}
