/* SPDX-License-Identifier: MIT */
/* pg_scn_cpu.c — the CPU's stories: processes, TLB locality, lazy
 * allocation, copy-on-write, protection, MMIO. Each builds its address
 * spaces with sw/os and plays the kernel's part itself (its fault handler is
 * a few lines of C next to the access that faulted). */
#include <inttypes.h>

#include "pg_hw.h"
#include "pg_scn.h"

#define USER_VA   0x400000ull
#define KERNEL_VA 0xffff800000000000ull /* the top half, where kernels live */
#define PAGE      SCN_PAGE

static uint64_t delta(uint64_t now, uint64_t before) {
  return now - before;
}

/* ---- two processes, one virtual address ------------------------------------------------------ */

static void run_processes(scn_t *s) {
  scn_say(s,
          "Two programs both keep their data at virtual address 0x%llx. Each process has\n"
          "its own page tables (its own CR3), so the same address leads to a different\n"
          "physical frame. The kernel is mapped into both at the same place, as global pages.",
          (unsigned long long)USER_VA);
  os_as_t a, b;
  scn_new_as(s, &a);
  scn_new_as(s, &b);
  uint64_t fa = scn_frame(s), fb = scn_frame(s), fk = scn_frame(s);
  os_write64(&s->phys, fa, 0xaaaa0001);
  os_write64(&s->phys, fb, 0xbbbb0002);
  os_write64(&s->phys, fk, 0x4b45524e454c);
  scn_map(s, &a, USER_VA, fa, PG_SIZE_4K, PTE_RW | PTE_US);
  scn_map(s, &b, USER_VA, fb, PG_SIZE_4K, PTE_RW | PTE_US);
  scn_map(s, &a, KERNEL_VA, fk, PG_SIZE_4K, PTE_RW | PTE_G);
  scn_map(s, &b, KERNEL_VA, fk, PG_SIZE_4K, PTE_RW | PTE_G);
  scn_ctl(s, PG_CTL_CR3, os_as_cr3(&a, 0));
  scn_ctl(s, PG_CTL_PGE, 1);
  scn_ctl(s, PG_CTL_PCIDE, 1);

  scn_part(s, "process A runs (CR3 = A's tables, PCID 1)");
  scn_ctl(s, PG_CTL_CR3, os_as_cr3(&a, 1));
  pg_result_t r = scn_load(s, 1, USER_VA, "first touch: the MMU walks A's tables");
  scn_check(s, r.status == PG_ST_OK && r.data == 0xaaaa0001 && r.pa == fa && r.walked,
            "A reads its own value 0xaaaa0001 from frame 0x%" PRIx64 " after a walk", fa);
  r = scn_load(s, 1, USER_VA, "again: the TLB remembers");
  scn_check(s, r.l1_hit, "the second read hits in the TLB");
  r = scn_load(s, 0, KERNEL_VA, "a system call: the kernel reads its data");
  scn_check(s, r.status == PG_ST_OK && r.walked, "the kernel page is walked once and cached");

  scn_part(s, "context switch to B: CR3 = B's tables, PCID 2, no-flush bit set");
  scn_say(s, "With PCIDs the TLB tags every entry with the process's ID, so the switch need\n"
             "not flush anything: A's entries stay, they just do not match B's PCID.");
  scn_ctl(s, PG_CTL_CR3, os_as_cr3(&b, 2) | CR3_NOFLUSH);
  r = scn_load(s, 1, USER_VA, "same virtual address, B's tables");
  scn_check(s, r.status == PG_ST_OK && r.data == 0xbbbb0002 && r.pa == fb && r.pa != fa,
            "B reads 0xbbbb0002 from frame 0x%" PRIx64 ", not A's frame 0x%" PRIx64, fb, fa);
  r = scn_load(s, 0, KERNEL_VA, "kernel page: global, survives the switch");
  scn_check(s, r.status == PG_ST_OK && !r.walked, "the global kernel page still hits in the TLB");

  scn_part(s, "back to A, no-flush again");
  scn_ctl(s, PG_CTL_CR3, os_as_cr3(&a, 1) | CR3_NOFLUSH);
  r = scn_load(s, 1, USER_VA, "A's entry waited in the TLB under PCID 1");
  scn_check(s, r.data == 0xaaaa0001 && !r.walked,
            "after switching back, A's translation is still cached: no walk");

  scn_part(s, "a switch without the no-flush bit");
  scn_ctl(s, PG_CTL_CR3, os_as_cr3(&a, 1));
  r = scn_load(s, 1, USER_VA, "PCID 1's entries were flushed");
  scn_check(s, r.walked && r.data == 0xaaaa0001, "A walks again: its entries were flushed");
  r = scn_load(s, 0, KERNEL_VA, "global pages are not flushed by a CR3 write");
  scn_check(s, !r.walked, "the global kernel page survives even the flushing switch");
}

const scn_def_t scn_processes = {
    "processes",
    "two processes, one virtual address, two frames; PCID switches; global kernel pages", "mmu", 1,
    run_processes};

/* ---- TLB locality and reach --------------------------------------------------------------------
 */

#define ARRAY_4K     0x10000000ull
#define ARRAY_2M     0x20000000ull
#define ARRAY_BYTES  0x200000ull
#define TOUCH_STRIDE 1024ull /* four loads per 4 KiB page */

/* Sums the array at VA: one 8-byte load every TOUCH_STRIDE bytes. */
static uint64_t sum(scn_t *s, uint64_t va, uint64_t bytes, uint64_t stride) {
  uint64_t total = 0;
  s->quiet = 1;
  for (uint64_t off = 0; off < bytes; off += stride)
    total += scn_load(s, 1, va + off, NULL).data;
  s->quiet = 0;
  return total;
}

static void run_tlb(scn_t *s) {
  scn_say(s, "A program sums an array. Every load needs its virtual address translated; the\n"
             "TLB keeps recent translations so that only the first touch of a page pays for a\n"
             "page walk (four dependent memory reads).");
  os_as_t as;
  scn_new_as(s, &as);
  uint64_t big = 0;
  os_err_t e = os_frames_alloc_size(&s->frames, PG_SIZE_2M, &big);
  scn_check(s, e == OS_OK, "a 2 MiB frame for the array (%s)", os_strerror(e));
  /* The same 2 MiB of data, mapped twice: as 512 pages of 4 KiB, and as
   * one 2 MiB page. The loaded words hold their own index. */
  for (uint64_t off = 0; off < PAGE; off += 8)
    os_write64(&s->phys, big + off, off / 8);
  for (uint64_t off = PAGE; off < ARRAY_BYTES; off += TOUCH_STRIDE)
    os_write64(&s->phys, big + off, off / TOUCH_STRIDE);
  uint64_t want = 0;
  for (uint64_t off = 0; off < ARRAY_BYTES; off += TOUCH_STRIDE)
    want += os_read64(&s->phys, big + off);
  for (uint64_t off = 0; off < ARRAY_BYTES; off += PAGE)
    scn_map(s, &as, ARRAY_4K + off, big + off, PG_SIZE_4K, PTE_RW | PTE_US);
  scn_map(s, &as, ARRAY_2M, big, PG_SIZE_2M, PTE_RW | PTE_US);
  scn_ctl(s, PG_CTL_CR3, os_as_cr3(&as, 0));
  const pg_counters_t *c = scn_counters(s);

  scn_part(s, "inside one page: 512 loads");
  uint64_t m0 = c->dtlb_misses, h0 = c->dtlb_hits, w0 = c->walks;
  uint64_t got = sum(s, ARRAY_4K, PAGE, 8);
  c = scn_counters(s);
  scn_say(s, "512 loads, %" PRIu64 " TLB misses, %" PRIu64 " hits, %" PRIu64 " page walks.",
          delta(c->dtlb_misses, m0), delta(c->dtlb_hits, h0), delta(c->walks, w0));
  scn_check(s, got == 511 * 512 / 2, "the sum is right (%" PRIu64 ")", got);
  scn_check(s, delta(c->walks, w0) == 1 && delta(c->dtlb_hits, h0) == 511,
            "one walk for the page, then 511 TLB hits");

  scn_part(s, "across 512 pages of 4 KiB (2 MiB): four loads per page");
  w0 = c->walks;
  got = sum(s, ARRAY_4K, ARRAY_BYTES, TOUCH_STRIDE);
  c = scn_counters(s);
  uint64_t walks_4k = delta(c->walks, w0);
  scn_say(s, "2048 loads, %" PRIu64 " page walks: one per page (the first page was still cached).",
          walks_4k);
  scn_check(s, got == want, "the sum is right (%" PRIu64 ")", got);
  scn_check(s, walks_4k == 511, "a walk for every new page: 511");

  scn_part(s, "the same 2 MiB again: TLB reach");
  scn_say(s, "The L1 data TLB holds 64 entries (reach 256 KiB), the L2 TLB 512 (reach 2 MiB).\n"
             "The whole array fits in the L2 TLB, so the second pass walks nothing.");
  w0 = c->walks;
  uint64_t l2h0 = c->l2tlb_hits;
  got = sum(s, ARRAY_4K, ARRAY_BYTES, TOUCH_STRIDE);
  c = scn_counters(s);
  scn_check(s, got == want && delta(c->walks, w0) == 0,
            "second pass: 0 walks, %" PRIu64 " L2 TLB hits", delta(c->l2tlb_hits, l2h0));

  scn_part(s, "the same 2 MiB as one 2 MiB page");
  w0 = c->walks;
  got = sum(s, ARRAY_2M, ARRAY_BYTES, TOUCH_STRIDE);
  c = scn_counters(s);
  uint64_t walks_2m = delta(c->walks, w0);
  scn_say(s, "2048 loads, %" PRIu64 " page walk: one TLB entry covers all 512 small pages.",
          walks_2m);
  scn_check(s, got == want, "the sum is right (%" PRIu64 ")", got);
  scn_check(s, walks_2m == 1 && walks_4k + 1 >= 500 * walks_2m,
            "2 MiB pages cut the walks %" PRIu64 "x (%" PRIu64 " -> %" PRIu64 ")",
            walks_2m ? (walks_4k + 1) / walks_2m : 0, walks_4k + 1, walks_2m);
}

const scn_def_t scn_tlb = {
    "tlb", "TLB locality: one page, many pages, TLB reach, and 2 MiB pages cutting walks 512x",
    "mmu", 1, run_tlb};

/* ---- lazy allocation
 * ------------------------------------------------------------------------------ */

#define HEAP_VA   0x40000000ull
#define HEAP_SIZE 0x40000000ull /* 1 GiB */

/* The kernel's page-fault handler for the heap: a not-present fault inside
 * the reservation gets a zeroed frame. Returns 1 when the access may be
 * retried. */
static int lazy_fault(scn_t *s, os_as_t *as, const pg_result_t *r, unsigned *frames) {
  uint64_t cr2 = s->tg.cr2(s->tg.ctx);
  if (r->status != PG_ST_PF || r->pf_kind != PG_PF_NOT_PRESENT || cr2 < HEAP_VA ||
      cr2 >= HEAP_VA + HEAP_SIZE) {
    fprintf(s->out,
            "      kernel: 0x%" PRIx64 " is outside every reservation: segmentation fault\n", cr2);
    return 0;
  }
  uint64_t f = scn_frame(s);
  scn_map(s, as, cr2 & ~(PAGE - 1), f, PG_SIZE_4K, PTE_RW | PTE_US | PTE_XD);
  ++*frames;
  fprintf(s->out,
          "      kernel: first touch of page 0x%" PRIx64 ": zeroed frame 0x%" PRIx64
          " mapped, retry\n",
          cr2 & ~(PAGE - 1), f);
  return 1;
}

static void run_lazy(scn_t *s) {
  scn_say(s, "A program reserves 1 GiB of heap (as mmap or malloc would). The kernel only\n"
             "notes the range: no frame is given and no page-table entry written. The first\n"
             "touch of each page faults; the handler gives that page a zeroed frame.");
  os_as_t as;
  scn_new_as(s, &as);
  scn_ctl(s, PG_CTL_CR3, os_as_cr3(&as, 0));
  scn_ctl(s, PG_CTL_NXE, 1);
  size_t used0 = s->frames.in_use;
  uint64_t pf0 = scn_counters(s)->pf_not_present;
  static const uint64_t touch[] = {0, 8, 0x1000, 0x6400000, 0x20000010, 0x3ffffff8, 0x1008};
  unsigned frames = 0, faults = 0;
  for (unsigned i = 0; i < sizeof touch / sizeof touch[0]; i++) {
    uint64_t va = HEAP_VA + touch[i];
    pg_result_t r = scn_store(s, 1, va, 0x1000 + i, NULL);
    if (r.status == PG_ST_PF) {
      faults++;
      if (lazy_fault(s, &as, &r, &frames))
        r = scn_store(s, 1, va, 0x1000 + i, "retried");
    }
    scn_check(s, r.status == PG_ST_OK, "the store to 0x%" PRIx64 " completes", va);
  }
  pg_result_t r = scn_load(s, 1, HEAP_VA + 0x1010, "a word of a touched page nobody wrote");
  scn_check(s, r.status == PG_ST_OK && r.data == 0, "fresh heap memory reads as zero");
  r = scn_load(s, 1, HEAP_VA + HEAP_SIZE + 0x10, "just past the reservation");
  int segv = r.status == PG_ST_PF && !lazy_fault(s, &as, &r, &frames);
  scn_check(s, segv, "an access outside the reservation is refused");
  scn_say(s,
          "Seven stores touched five distinct pages of the 262,144 in the reservation.\n"
          "Frames used for data: %u (%u KiB of 1 GiB); page tables: %zu frames.",
          frames, frames * 4, s->frames.in_use - used0 - frames);
  scn_check(s, frames == 5 && faults == 5, "only touched pages got frames: 5 faults, 5 frames");
  scn_check(s, scn_counters(s)->pf_not_present - pf0 == 6,
            "the MMU counted 6 not-present faults (5 first touches, 1 refused)");
}

const scn_def_t scn_lazy = {
    "lazy", "lazy allocation: a 1 GiB reservation where only touched pages get frames", "mmu", 1,
    run_lazy};

/* ---- copy-on-write fork
 * ---------------------------------------------------------------------------- */

#define DATA_VA 0x600000ull
#define NPAGES  4u

typedef struct {
  uint64_t frame[2][NPAGES]; /* [process][page] */
} cow_t;

/* The write-protection fault of a copy-on-write page: copy the frame, map
 * the copy writable in this process, drop the stale TLB entry. */
static void cow_fault(scn_t *s, os_as_t *as, uint64_t *frame, unsigned page) {
  uint64_t copy = scn_frame(s);
  for (uint64_t off = 0; off < PAGE; off += 8)
    os_write64(&s->phys, copy + off, os_read64(&s->phys, *frame + off));
  os_err_t e = os_unmap(as, DATA_VA + PAGE * page, PG_SIZE_4K, NULL);
  if (e == OS_OK)
    e = os_map(as, DATA_VA + PAGE * page, copy, PG_SIZE_4K, PTE_RW | PTE_US);
  scn_check(s, e == OS_OK,
            "kernel: page %u copied from frame 0x%" PRIx64 " to 0x%" PRIx64
            ", mapped writable, INVLPG",
            page, *frame, copy);
  scn_invlpg(s, DATA_VA + PAGE * page);
  *frame = copy;
}

static void run_cow(scn_t *s) {
  scn_say(s, "fork() gives the child a copy of the parent's memory without copying anything:\n"
             "both processes map the same frames read-only. The first write to a page faults,\n"
             "and only then does the kernel copy that one page.");
  os_as_t as[2];
  cow_t k;
  scn_new_as(s, &as[0]);
  for (unsigned p = 0; p < NPAGES; p++) {
    k.frame[0][p] = scn_frame(s);
    os_write64(&s->phys, k.frame[0][p], 0x9a0000 + p);
    scn_map(s, &as[0], DATA_VA + PAGE * p, k.frame[0][p], PG_SIZE_4K, PTE_RW | PTE_US);
  }
  scn_ctl(s, PG_CTL_CR3, os_as_cr3(&as[0], 0));
  scn_part(s, "the parent runs");
  scn_store(s, 1, DATA_VA, 0x9a0000, "the parent writes page 0");

  scn_part(s, "fork: the child shares every frame, both read-only");
  scn_new_as(s, &as[1]);
  for (unsigned p = 0; p < NPAGES; p++) {
    k.frame[1][p] = k.frame[0][p];
    scn_map(s, &as[1], DATA_VA + PAGE * p, k.frame[0][p], PG_SIZE_4K, PTE_US);
    os_protect(&as[0], DATA_VA + PAGE * p, PG_SIZE_4K, 0, PTE_RW);
  }
  size_t frames0 = s->frames.in_use;
  scn_ctl(s, PG_CTL_CR3, os_as_cr3(&as[1], 0)); /* PCIDs off: the switch flushes */
  for (unsigned p = 0; p < NPAGES; p++) {
    pg_result_t r = scn_load(s, 1, DATA_VA + PAGE * p, p == 0 ? "the child reads" : NULL);
    scn_check(s, r.status == PG_ST_OK && r.pa == k.frame[0][p] && r.data == 0x9a0000 + p,
              "child page %u is the parent's frame 0x%" PRIx64, p, k.frame[0][p]);
  }
  pg_result_t r = scn_store(s, 1, DATA_VA + PAGE, 0xc41d, "the child writes page 1");
  scn_check(s, r.status == PG_ST_PF && r.pf_kind == PG_PF_WRITE,
            "the write faults: page present but read-only");
  cow_fault(s, &as[1], &k.frame[1][1], 1);
  r = scn_store(s, 1, DATA_VA + PAGE, 0xc41d, "retried");
  scn_check(s, r.status == PG_ST_OK && r.pa == k.frame[1][1] && r.pa != k.frame[0][1],
            "the child's write lands in its own copy");

  scn_part(s, "the parent runs again");
  scn_ctl(s, PG_CTL_CR3, os_as_cr3(&as[0], 0));
  r = scn_load(s, 1, DATA_VA + PAGE, "the parent's page 1");
  scn_check(s, r.data == 0x9a0001, "the parent still sees its value: the copies are separate");
  r = scn_store(s, 1, DATA_VA + 2 * PAGE, 0xda7a, "the parent writes page 2");
  scn_check(s, r.status == PG_ST_PF && r.pf_kind == PG_PF_WRITE,
            "the parent's write to a shared page faults too");
  cow_fault(s, &as[0], &k.frame[0][2], 2);
  r = scn_store(s, 1, DATA_VA + 2 * PAGE, 0xda7a, "retried");
  scn_check(s, r.status == PG_ST_OK, "and completes in the parent's new copy");
  unsigned shared = 0;
  for (unsigned p = 0; p < NPAGES; p++)
    shared += k.frame[0][p] == k.frame[1][p];
  scn_say(s, "Of %u pages, %u were copied (one by each process); %u are still shared.", NPAGES,
          (unsigned)(s->frames.in_use - frames0), shared);
  scn_check(s, s->frames.in_use - frames0 == 2 && shared == 2,
            "two copies made, two pages still shared");
}

const scn_def_t scn_cow = {
    "cow", "copy-on-write fork: one page copied at the first write, the rest shared", "mmu", 1,
    run_cow};

/* ---- protection ---------------------------------------------------------------------------------
 */

#define CODE_VA  0x400000ull
#define STACK_VA 0x7ff000ull
#define UDATA_VA 0x500000ull
#define KDATA_VA (KERNEL_VA + 0x1000)

static void run_protection(scn_t *s) {
  scn_say(s, "Page-table bits are the hardware's protection: RW (writable), US (user may\n"
             "touch it), XD (no instruction fetch). CR0.WP, SMEP and SMAP extend them to the\n"
             "kernel. Every violation is a page fault with an error code that says why.");
  os_as_t as;
  scn_new_as(s, &as);
  uint64_t code = scn_frame(s), stack = scn_frame(s), udata = scn_frame(s), kdata = scn_frame(s);
  os_write64(&s->phys, code, 0x90c3c031); /* xor eax,eax; ret; nop */
  os_write64(&s->phys, kdata, 0x5ec2e7);
  scn_map(s, &as, CODE_VA, code, PG_SIZE_4K, PTE_US);                     /* r-x */
  scn_map(s, &as, STACK_VA, stack, PG_SIZE_4K, PTE_US | PTE_RW | PTE_XD); /* rw- */
  scn_map(s, &as, UDATA_VA, udata, PG_SIZE_4K, PTE_US | PTE_RW | PTE_XD);
  scn_map(s, &as, KDATA_VA, kdata, PG_SIZE_4K, PTE_RW | PTE_XD); /* kernel only */
  scn_ctl(s, PG_CTL_CR3, os_as_cr3(&as, 0));
  scn_ctl(s, PG_CTL_NXE, 1);
  scn_ctl(s, PG_CTL_WP, 1);
  pg_counters_t c0 = *scn_counters(s);

  scn_part(s, "code is read-only");
  pg_result_t r = scn_fetch(s, 1, CODE_VA, "the program runs its code");
  scn_check(s, r.status == PG_ST_OK, "fetching code works");
  r = scn_store(s, 1, CODE_VA, 0xcc, "a bug (or an exploit) writes over the code");
  scn_check(s,
            r.status == PG_ST_PF && r.pf_kind == PG_PF_WRITE &&
                r.err == (PF_ERR_P | PF_ERR_W | PF_ERR_U),
            "the write faults: error code P|W|U (present, write, user)");

  scn_part(s, "a non-executable stack");
  r = scn_store(s, 1, STACK_VA, 0x050f3b6a, "an attacker injects code into the stack");
  scn_check(s, r.status == PG_ST_OK, "writing the stack is allowed (it is data)");
  r = scn_fetch(s, 1, STACK_VA, "and jumps to it");
  scn_check(s, r.status == PG_ST_PF && r.pf_kind == PG_PF_NX && (r.err & PF_ERR_ID),
            "the fetch faults: the stack is XD (error code has I/D)");

  scn_part(s, "kernel-only pages");
  r = scn_load(s, 1, KDATA_VA, "user code reads kernel memory");
  scn_check(s, r.status == PG_ST_PF && r.pf_kind == PG_PF_USER && r.err == (PF_ERR_P | PF_ERR_U),
            "refused: the page has US=0 (error code P|U)");
  r = scn_load(s, 0, KDATA_VA, "the kernel reads it");
  scn_check(s, r.status == PG_ST_OK && r.data == 0x5ec2e7, "the kernel may");

  scn_part(s, "SMEP: the kernel must not run user code");
  scn_ctl(s, PG_CTL_SMEP, 1);
  r = scn_fetch(s, 0, CODE_VA, "a kernel bug jumps into a user page");
  scn_check(s, r.status == PG_ST_PF && r.pf_kind == PG_PF_SMEP, "SMEP stops it");

  scn_part(s, "SMAP: the kernel touches user memory only when it means to");
  scn_ctl(s, PG_CTL_SMAP, 1);
  r = scn_load(s, 0, UDATA_VA, "the kernel follows a user pointer by accident");
  scn_check(s, r.status == PG_ST_PF && r.pf_kind == PG_PF_SMAP, "SMAP stops it (EFLAGS.AC = 0)");
  s->ac = 1;
  r = scn_load(s, 0, UDATA_VA, "copy_from_user: STAC sets EFLAGS.AC first");
  s->ac = 0;
  scn_check(s, r.status == PG_ST_OK, "with AC = 1 the kernel may read user memory");

  const pg_counters_t *c = scn_counters(s);
  scn_check(s,
            c->pf_write - c0.pf_write == 1 && c->pf_nx - c0.pf_nx == 1 &&
                c->pf_user - c0.pf_user == 1 && c->pf_smep - c0.pf_smep == 1 &&
                c->pf_smap - c0.pf_smap == 1,
            "the MMU counted one fault of each kind: write, nx, user, smep, smap");
}

const scn_def_t scn_protection = {
    "protection",
    "a write to code faults; an NX stack stops injected code; kernel-only pages; SMEP, SMAP", "mmu",
    1, run_protection};

/* ---- MMIO --------------------------------------------------------------------------------------
 */

static void run_mmio(scn_t *s) {
  scn_say(s,
          "Device registers live at physical addresses too (SPEC 2.1: the NIC's DMA engine\n"
          "at 0x%llx). The kernel maps them like memory, but a store there is not kept: it\n"
          "is a command to the device. Here it makes the NIC copy 256 bytes.",
          (unsigned long long)PA_NIC_BASE);
  os_as_t as;
  scn_new_as(s, &as);
  os_mmio_t mmio = scn_mmio(s, &as);
  (void)mmio;
  uint64_t src = scn_frame(s), dst = scn_frame(s);
  for (uint64_t off = 0; off < 256; off += 8)
    os_write64(&s->phys, src + off, 0x1c0000 + off);
  scn_map(s, &as, USER_VA, dst, PG_SIZE_4K, PTE_US | PTE_RW);
  scn_ctl(s, PG_CTL_CR3, os_as_cr3(&as, 0));
  uint64_t bytes0 = scn_counters(s)->dma_bytes;

  scn_part(s, "the kernel programs the NIC (the IOMMU is off: addresses are physical)");
  scn_store(s, 0, PA_NIC_BASE + DMA_SRC, src, "SRC");
  scn_store(s, 0, PA_NIC_BASE + DMA_DST, dst, "DST");
  scn_store(s, 0, PA_NIC_BASE + DMA_LEN, 256, "LEN");
  scn_store(s, 0, PA_NIC_BASE + DMA_CTRL, DMA_CTRL_START, "CTRL.start: the device starts");
  pg_result_t r = scn_load(s, 0, PA_NIC_BASE + DMA_STATUS, "STATUS");
  scn_check(s, r.status == PG_ST_OK && r.data == DMA_STATUS_DONE, "the NIC reports done");
  r = scn_load(s, 1, USER_VA + 248, "the program reads the buffer");
  scn_check(s, r.data == 0x1c0000 + 248, "the bytes arrived without the CPU moving them");
  scn_check(s, scn_counters(s)->dma_bytes - bytes0 == 256, "dma_bytes counted 256");

  scn_part(s, "user code cannot reach the device");
  r = scn_store(s, 1, PA_NIC_BASE + DMA_CTRL, DMA_CTRL_START, "a program tries to start the NIC");
  scn_check(s, r.status == PG_ST_PF && r.pf_kind == PG_PF_USER,
            "refused: the kernel mapped the registers supervisor-only");
  scn_check(s, scn_counters(s)->dma_bytes - bytes0 == 256, "and the device did nothing more");
}

const scn_def_t scn_mmio_def = {
    "mmio", "MMIO: a store that is a device command; user code cannot reach devices", "iommu", 1,
    run_mmio};
