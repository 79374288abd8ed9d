/* SPDX-License-Identifier: MIT */
/* matmul.c — C = A x B for 48 x 48 doubles whose rows lie 4 KiB apart (the
 * layout of a 512-wide matrix), naive (i, j, k) or blocked in 8 x 8 tiles
 * (argument "blocked"): the naive inner loop walks a column of B over 48
 * pages, more than the 32-entry dTLB holds; a tile touches 8. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N  48
#define LD 512 /* doubles per row: 4 KiB */
#define BS 8

static double at(const double *m, int i, int j) {
  return m[(size_t)i * LD + j];
}

int main(int argc, char **argv) {
  int blocked = argc > 1 && strcmp(argv[1], "blocked") == 0;
  double *a = calloc((size_t)N * LD, sizeof *a), *b = calloc((size_t)N * LD, sizeof *b),
         *c = calloc((size_t)N * LD, sizeof *c);
  if (!a || !b || !c)
    return 1;
  for (int i = 0; i < N; i++)
    for (int j = 0; j < N; j++) {
      a[(size_t)i * LD + j] = i + j;
      b[(size_t)i * LD + j] = i - j;
    }
  if (!blocked) {
    for (int i = 0; i < N; i++)
      for (int j = 0; j < N; j++) {
        double s = 0;
        for (int k = 0; k < N; k++)
          s += at(a, i, k) * at(b, k, j);
        c[(size_t)i * LD + j] = s;
      }
  } else {
    for (int ii = 0; ii < N; ii += BS)
      for (int kk = 0; kk < N; kk += BS)
        for (int jj = 0; jj < N; jj += BS)
          for (int i = ii; i < ii + BS; i++)
            for (int k = kk; k < kk + BS; k++) {
              double aik = at(a, i, k);
              for (int j = jj; j < jj + BS; j++)
                c[(size_t)i * LD + j] += aik * at(b, k, j);
            }
  }
  double tr = 0;
  for (int i = 0; i < N; i++)
    tr += c[(size_t)i * LD + i];
  printf("matmul %s %.0f\n", blocked ? "blocked" : "naive", tr);
  free(a);
  free(b);
  free(c);
  return 0;
}
