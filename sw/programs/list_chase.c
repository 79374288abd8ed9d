/* SPDX-License-Identifier: MIT */
/* list_chase.c — a linked list of 32,768 64-byte nodes in 2 MiB, linked in a
 * random order, walked once: each step is a load whose address depends on
 * the one before, on a random page (the TLB's worst case among these). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define NODES 32768u

struct node {
  struct node *next;
  uint64_t value;
  uint8_t pad[48];
};

int main(void) {
  struct node *pool = malloc(NODES * sizeof *pool);
  uint32_t *order = malloc(NODES * sizeof *order);
  if (!pool || !order)
    return 1;
  uint64_t x = 88172645463325252ull; /* xorshift: a fixed shuffle */
  for (uint32_t i = 0; i < NODES; i++)
    order[i] = i;
  for (uint32_t i = NODES - 1; i > 0; i--) {
    x ^= x << 13, x ^= x >> 7, x ^= x << 17;
    uint32_t j = (uint32_t)(x % (i + 1)), t = order[i];
    order[i] = order[j], order[j] = t;
  }
  for (uint32_t i = 0; i < NODES; i++) {
    pool[order[i]].next = &pool[order[(i + 1) % NODES]];
    pool[order[i]].value = i;
  }
  uint64_t sum = 0;
  const struct node *p = &pool[order[0]];
  for (uint32_t i = 0; i < NODES; i++, p = p->next)
    sum += p->value;
  printf("list_chase %llu\n", (unsigned long long)sum);
  free(order);
  free(pool);
  return 0;
}
