/* SPDX-License-Identifier: MIT */
/* tiny.c — a program without libc, small enough that its whole lackey log
 * is a test (tests/traces/lackey/tiny.log): fills a 12 KiB array (three
 * pages, the middle one crossed by 8-byte stores at odd offsets), adds one
 * to every other word in place (lackey's M), sums it back, and exits with
 * the low byte of the sum. Built -nostdlib -static; x86-64 Linux only. */
#include <stdint.h>

uint64_t a[1536];

static void sys_exit(long code) {
  __asm__ volatile("syscall" : : "a"(60), "D"(code) : "rcx", "r11", "memory");
  __builtin_unreachable();
}

void _start(void) {
  for (unsigned i = 0; i < 1536; i++)
    a[i] = i * 3u;
  unsigned char *bytes = (unsigned char *)a;
  for (unsigned off = 4096 - 24; off < 4096 + 24; off += 8) /* across a page boundary */
    *(volatile uint64_t *)(bytes + off + 3) = off;
  for (unsigned i = 0; i < 1536; i += 2)
    a[i] += 1;
  uint64_t sum = 0;
  for (unsigned i = 0; i < 1536; i++)
    sum += ((volatile uint64_t *)a)[i];
  sys_exit((long)(sum & 0xff));
}
