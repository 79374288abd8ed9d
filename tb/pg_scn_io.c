/* SPDX-License-Identifier: MIT */
/* pg_scn_io.c — the devices' stories: DMA with and without an IOMMU, swap
 * through the disk's DMA engine, and a virtual machine's own device with
 * nested translation. The kernel's part is played with sw/os (os_iommu for
 * the IOMMU and the engines; registers through the CPU's stores). */
#include <inttypes.h>

#include "os_ept.h"
#include "pg_hw.h"
#include "pg_scn.h"

#define PAGE      SCN_PAGE
#define MAX_POLLS 100000u

typedef struct {
  os_as_t kernel;
  os_mmio_t mmio;
  os_iommu_t io;
} dev_env_t;

/* The kernel turns the IOMMU on: device table, fault log, command queue,
 * CTRL.TE = 1. */
static void iommu_on(scn_t *s, dev_env_t *d) {
  os_err_t e = os_iommu_init(&d->io, d->mmio, &s->frames, 8, 4, 4, 1);
  d->io.max_polls = MAX_POLLS;
  scn_check(s, e == OS_OK,
            "the kernel turns the IOMMU on: device table, fault log, command "
            "queue, TE = 1");
}

/* The kernel's address space with the device windows, and (IOMMU) the
 * IOMMU on. */
static void dev_setup(scn_t *s, dev_env_t *d, int iommu) {
  scn_new_as(s, &d->kernel);
  d->mmio = scn_mmio(s, &d->kernel);
  scn_ctl(s, PG_CTL_CR3, os_as_cr3(&d->kernel, 0));
  if (iommu)
    iommu_on(s, d);
}

static os_dma_result_t dma(scn_t *s, dev_env_t *d, uint64_t base, uint64_t src, uint64_t dst,
                           uint64_t len) {
  os_dma_result_t res = {0};
  os_dma_start(&d->mmio, base, src, dst, len);
  os_err_t e = os_dma_wait(&d->mmio, base, MAX_POLLS, &res);
  fprintf(s->out, "    DMA %s 0x%" PRIx64 " -> 0x%" PRIx64 ", %" PRIu64 " bytes: %s",
          base == PA_NIC_BASE ? "NIC " : "disk", src, dst, len,
          e != OS_OK                      ? "did not finish"
          : res.status == DMA_STATUS_DONE ? "done"
                                          : "ERROR");
  if (res.status & DMA_STATUS_ERROR)
    fprintf(s->out, " (reason %" PRIu64 " at 0x%" PRIx64 ")", res.reason, res.iova);
  fputc('\n', s->out);
  return res;
}

static void print_record(scn_t *s, const uint64_t rec[4]) {
  fprintf(s->out,
          "    fault record: reason %u, requester 0x%04x, %s, stage %s, level %u, domain %u,\n"
          "                  IOVA 0x%" PRIx64 ", guest-physical 0x%" PRIx64 ", entry at 0x%" PRIx64
          "\n",
          (unsigned)(rec[0] & 0xff), (unsigned)(rec[0] >> FR_RID_SHIFT) & 0xffff,
          (rec[0] & FR_WRITE) ? "write" : "read", (rec[0] & FR_STAGE_GUEST) ? "guest" : "host",
          (unsigned)(rec[0] >> FR_LEVEL_SHIFT) & 7, (unsigned)(rec[0] >> FR_DOMAIN_SHIFT) & 0xffff,
          rec[1], rec[2], rec[3]);
}

/* ---- DMA with and without an IOMMU ---------------------------------------------------------- */

#define SECRET 0x5ec2e75ec2e7ull

static void run_dma(scn_t *s) {
  scn_say(s, "A device that does DMA writes memory directly, without the CPU and without its\n"
             "page tables. Without an IOMMU a buggy or hostile device can write anywhere: here\n"
             "it overwrites a kernel page. With the IOMMU on, the device sees only the pages the\n"
             "kernel mapped for it; the same write is blocked and logged.");
  dev_env_t d;
  dev_setup(s, &d, 0);
  uint64_t kpage = scn_frame(s), packet = scn_frame(s), buf = scn_frame(s);
  os_write64(&s->phys, kpage, SECRET);
  for (uint64_t off = 0; off < 64; off += 8)
    os_write64(&s->phys, packet + off, 0xbad0000 + off);

  scn_part(s, "no IOMMU (CTRL.TE = 0): DMA addresses are physical");
  os_dma_result_t r = dma(s, &d, PA_NIC_BASE, packet, kpage, 64);
  scn_check(s, r.status == DMA_STATUS_DONE, "the device's write is accepted");
  uint64_t now = os_read64(&s->phys, kpage);
  scn_check(s, now != SECRET && now == 0xbad0000,
            "the kernel page at 0x%" PRIx64 " now holds 0x%" PRIx64 ": overwritten", kpage, now);
  os_write64(&s->phys, kpage, SECRET);

  scn_part(s, "with the IOMMU: the NIC gets a domain with two pages");
  iommu_on(s, &d);
  os_as_t dom;
  scn_new_as(s, &dom);
  os_err_t e = os_iommu_map(&dom, 0x10000, packet, PAGE, PG_SIZE_4K, 0);
  if (e == OS_OK)
    e = os_iommu_map(&dom, 0x20000, buf, PAGE, PG_SIZE_4K, 1);
  if (e == OS_OK)
    e = os_iommu_attach(&d.io, RID_NIC, DTE_TRANSLATE, 1, 1, 1, dom.pml4, 0);
  scn_check(s, e == OS_OK, "IOVA 0x10000 -> the packet (read-only), 0x20000 -> its buffer");
  r = dma(s, &d, PA_NIC_BASE, 0x10000, 0x20000, 64);
  scn_check(s, r.status == DMA_STATUS_DONE && os_read64(&s->phys, buf + 8) == 0xbad0008,
            "a DMA inside its domain works");
  uint64_t faults0 = scn_counters(s)->iommu_faults;
  r = dma(s, &d, PA_NIC_BASE, 0x10000, kpage, 64);
  scn_check(s, r.status == DMA_STATUS_ERROR && r.reason == IO_R_NOT_PRESENT && r.iova == kpage,
            "the same write to the kernel page is blocked: reason 7, no mapping at that IOVA");
  scn_check(s, os_read64(&s->phys, kpage) == SECRET, "the kernel page still holds its value");
  uint64_t rec[4] = {0};
  int got = os_iommu_next_fault(&d.io, rec);
  if (got)
    print_record(s, rec);
  scn_check(s,
            got && (rec[0] & 0xff) == IO_R_NOT_PRESENT &&
                ((rec[0] >> FR_RID_SHIFT) & 0xffff) == RID_NIC && (rec[0] & FR_WRITE) &&
                rec[1] == kpage,
            "the fault log names the device, the write and the address");
  scn_check(s, scn_counters(s)->iommu_faults - faults0 == 1, "iommu_faults counted 1");
}

const scn_def_t scn_dma = {
    "dma",
    "DMA without an IOMMU overwrites kernel memory; with it, the same DMA is blocked and logged",
    "iommu", 1, run_dma};

/* ---- swap
 * ------------------------------------------------------------------------------------------ */

#define SWAP_VA          0x600000ull
#define SWAP_PAGES       4u
#define IOVA_FRAME       0x100000ull                    /* where the disk sees the frame it moves */
#define IOVA_SWAP        0x800000ull                    /* the disk's medium: slot k at + k pages */
#define SWAP_ENTRY(slot) (((uint64_t)(slot) + 1) << 12) /* a PTE with P = 0 */

/* The disk moves one page between a frame and a swap slot (TO_DISK: frame
 * to slot). The frame is mapped into the disk's domain only for the move. */
static int disk_move(scn_t *s, dev_env_t *d, os_as_t *dom, uint64_t frame, unsigned slot,
                     int to_disk) {
  os_err_t e = os_iommu_map(dom, IOVA_FRAME, frame, PAGE, PG_SIZE_4K, !to_disk);
  uint64_t slot_iova = IOVA_SWAP + PAGE * slot;
  os_dma_result_t r = to_disk ? dma(s, d, PA_DISK_BASE, IOVA_FRAME, slot_iova, PAGE)
                              : dma(s, d, PA_DISK_BASE, slot_iova, IOVA_FRAME, PAGE);
  if (e == OS_OK)
    e = os_iommu_unmap(&d->io, dom, 2, IOVA_FRAME, PAGE, PG_SIZE_4K);
  return e == OS_OK && r.status == DMA_STATUS_DONE;
}

static void run_swap(scn_t *s) {
  scn_say(s, "When memory runs short the kernel writes a page out to disk and gives its frame\n"
             "to someone else. The page-table entry keeps the disk slot with P = 0, so the next\n"
             "touch faults and the kernel reads the page back. Both moves are DMA by the disk,\n"
             "through the IOMMU: the disk sees the frame only while it moves it.");
  dev_env_t d;
  dev_setup(s, &d, 1);
  os_as_t proc, dom;
  scn_new_as(s, &proc);
  scn_new_as(s, &dom);
  /* The disk's medium: four slots of RAM only the disk's domain maps. */
  uint64_t medium[SWAP_PAGES];
  for (unsigned k = 0; k < SWAP_PAGES; k++) {
    medium[k] = scn_frame(s);
    os_iommu_map(&dom, IOVA_SWAP + PAGE * k, medium[k], PAGE, PG_SIZE_4K, 1);
  }
  os_err_t e = os_iommu_attach(&d.io, RID_DISK, DTE_TRANSLATE, 2, 1, 1, dom.pml4, 0);
  scn_check(s, e == OS_OK, "the disk is attached to domain 2, which maps only its medium");
  uint64_t frame[SWAP_PAGES];
  for (unsigned p = 0; p < SWAP_PAGES; p++) {
    frame[p] = scn_frame(s);
    scn_map(s, &proc, SWAP_VA + PAGE * p, frame[p], PG_SIZE_4K, PTE_US | PTE_RW);
  }
  scn_mmio(s, &proc);
  scn_ctl(s, PG_CTL_CR3, os_as_cr3(&proc, 0));

  scn_part(s, "the process fills four pages");
  s->quiet = 1;
  for (unsigned p = 0; p < SWAP_PAGES; p++)
    for (uint64_t off = 0; off < PAGE; off += 512)
      scn_store(s, 1, SWAP_VA + PAGE * p + off, 0x5a000000 + p * PAGE + off, NULL);
  s->quiet = 0;
  scn_load(s, 1, SWAP_VA + 2 * PAGE + 512, "page 2, before");

  scn_part(s, "memory pressure: the kernel swaps page 2 out to slot 1");
  scn_check(s, disk_move(s, &d, &dom, frame[2], 1, 1), "the disk copied the page to slot 1");
  os_entry_set(&proc, SWAP_VA + 2 * PAGE, 1, SWAP_ENTRY(1));
  scn_invlpg(s, SWAP_VA + 2 * PAGE);
  for (uint64_t off = 0; off < PAGE; off += 8)
    os_write64(&s->phys, frame[2] + off, 0); /* the frame goes to another user */
  os_frames_free(&s->frames, frame[2]);
  scn_say(s, "The PTE now reads 0x%llx: not present, slot 1. The frame was wiped and freed.",
          (unsigned long long)SWAP_ENTRY(1));

  scn_part(s, "the process touches page 2 again");
  pg_result_t r = scn_load(s, 1, SWAP_VA + 2 * PAGE + 512, "page 2");
  scn_check(s, r.status == PG_ST_PF && r.pf_kind == PG_PF_NOT_PRESENT,
            "a not-present fault: the page is on disk");
  uint64_t pte = 0;
  os_entry_get(&proc, SWAP_VA + 2 * PAGE, 1, &pte);
  unsigned slot = (unsigned)(pte >> 12) - 1;
  uint64_t f = scn_frame(s);
  scn_check(s, slot == 1 && disk_move(s, &d, &dom, f, slot, 0),
            "the kernel finds slot %u in the PTE; the disk reads it into frame 0x%" PRIx64, slot,
            f);
  os_entry_set(&proc, SWAP_VA + 2 * PAGE, 1, f | PTE_P | PTE_RW | PTE_US);
  r = scn_load(s, 1, SWAP_VA + 2 * PAGE + 512, "retried");
  scn_check(s, r.status == PG_ST_OK && r.data == 0x5a000000 + 2 * PAGE + 512 && r.pa == f + 512,
            "the process reads its data back, from the new frame");
  int intact = 1;
  for (uint64_t off = 0; off < PAGE; off += 512)
    intact &= os_read64(&s->phys, f + off) == 0x5a000000 + 2 * PAGE + off;
  scn_check(s, intact, "every word of the page came back");
  scn_check(s, scn_counters(s)->dma_bytes == 2 * PAGE, "the disk moved 8 KiB (out and in)");
  uint64_t rec[4];
  scn_check(s, !os_iommu_next_fault(&d.io, rec), "and never faulted");
}

const scn_def_t scn_swap = {
    "swap", "swap: a page written to disk by DMA through the IOMMU, and read back on the fault",
    "iommu", 1, run_swap};

/* ---- a virtual machine's device ----------------------------------------------------------------
 */

#define GUEST_MEM 0x400000ull /* the guest's physical memory: 4 MiB */

typedef struct {
  scn_t *s;
  uint64_t hpa[2]; /* the host frames behind guest-physical 0-2 MiB and 2-4 MiB */
} guest_t;

static uint64_t g_hpa(const guest_t *g, uint64_t gpa) {
  return g->hpa[gpa >> 21] + (gpa & 0x1fffff);
}
static uint64_t g_read(void *ctx, uint64_t gpa) {
  guest_t *g = ctx;
  return g->s->tg.phys_read(g->s->tg.ctx, g_hpa(g, gpa), 8);
}
static void g_write(void *ctx, uint64_t gpa, uint64_t v) {
  guest_t *g = ctx;
  g->s->tg.phys_write(g->s->tg.ctx, g_hpa(g, gpa), v, 8);
}

/* A VM entry: the guest's EPT, VPID and CR3; a VM exit: back to the host.
 * Neither flushes a TLB: VPIDs keep the contexts apart. */
static void vm_enter(scn_t *s, uint64_t eptp, uint16_t vpid, uint64_t cr3) {
  scn_ctl(s, PG_CTL_EPTP, eptp);
  scn_ctl(s, PG_CTL_EPT, 1);
  scn_ctl(s, PG_CTL_VPID, vpid);
  scn_ctl(s, PG_CTL_VM_CR3, cr3);
}
static void vm_exit(scn_t *s, uint64_t host_cr3) {
  scn_ctl(s, PG_CTL_EPT, 0);
  scn_ctl(s, PG_CTL_VPID, 0);
  scn_ctl(s, PG_CTL_VM_CR3, host_cr3);
}

/* The guest's CPU: its loads go guest-virtual -> guest-physical (its own
 * tables) -> host-physical (the hypervisor's EPT). */
static void vm_cpu(scn_t *s, guest_t *g, os_frames_t *gframes, uint64_t gsrc) {
  scn_part(s, "the guest's CPU: two-dimensional translation (EPT)");
  scn_say(s, "Now the guest runs a process. Its loads use the guest's own page tables, whose\n"
             "addresses are guest-physical too; the hypervisor's extended page tables (EPT)\n"
             "translate every guest-physical address the walk touches, then the data's.");
  uint64_t host_cr3 = pg_model_ctl(pg_lockstep_golden(s->ls))->cr3;
  os_ept_t ept;
  os_err_t e = os_ept_init(&ept, &s->frames, 4);
  for (uint64_t gpa = 0; e == OS_OK && gpa < GUEST_MEM; gpa += 0x200000)
    e = os_ept_map(&ept, gpa, g_hpa(g, gpa), PG_SIZE_2M, EPT_RWX);
  os_as_t proc;
  if (e == OS_OK)
    e = os_as_init(&proc, gframes);
  if (e == OS_OK)
    e = os_map(&proc, 0x400000, gsrc, PG_SIZE_4K, PTE_US | PTE_RW);
  if (e == OS_OK) /* guest-physical 4 MiB: memory the guest has not been given yet */
    e = os_map(&proc, 0x600000, GUEST_MEM, PG_SIZE_4K, PTE_US | PTE_RW);
  scn_check(s, e == OS_OK,
            "EPT: guest-physical 0-4 MiB -> the guest's two host frames (2 MiB pages); the "
            "process maps 0x400000 -> guest-physical 0x%" PRIx64 ", 0x600000 -> 0x%llx",
            gsrc, (unsigned long long)GUEST_MEM);
  uint64_t eptp = os_ept_eptp(&ept, 0);
  vm_enter(s, eptp, 1, os_as_cr3(&proc, 0));
  const pg_counters_t *c = scn_counters(s);
  uint64_t gr0 = c->walk_reads, er0 = c->ept_reads;
  pg_result_t r = scn_load(s, 1, 0x400000, "a guest load, cold caches");
  scn_check(s, r.status == PG_ST_OK && r.pa == g_hpa(g, gsrc) && r.data == 0x9e57000,
            "it reads the guest's page at host-physical 0x%" PRIx64, g_hpa(g, gsrc));
  c = scn_counters(s); /* read again: the RTL's counters now */
  scn_check(s, c->walk_reads - gr0 == 4 && c->ept_reads - er0 == 15,
            "the walk read 4 guest entries and 15 EPT entries: 3 for each guest table and 3 for "
            "the data (EPT maps 2 MiB pages)");

  scn_part(s, "an EPT violation, served by the hypervisor");
  r = scn_load(s, 1, 0x600000, "the process touches its second page");
  scn_check(s, r.status == PG_ST_EPT && r.gpa == GUEST_MEM && r.qual == 0x181,
            "EPT violation: guest-physical 0x%llx is not mapped (qualification 0x181: a read, "
            "no rights, linear address valid, the final translation); a VM exit",
            (unsigned long long)GUEST_MEM);
  vm_exit(s, host_cr3);
  uint64_t fa = scn_frame(s);
  e = os_ept_map(&ept, GUEST_MEM, fa, PG_SIZE_4K, EPT_R | EPT_W);
  os_write64(&s->phys, fa, 0xaaaa);
  scn_check(s, e == OS_OK,
            "the hypervisor gives the guest a frame at host-physical 0x%" PRIx64
            " (lazy allocation, one level up) and enters it again",
            fa);
  vm_enter(s, eptp, 1, os_as_cr3(&proc, 0));
  r = scn_load(s, 1, 0x600000, "the same load, retried");
  scn_check(s, r.status == PG_ST_OK && r.pa == fa && r.data == 0xaaaa,
            "it completes in the new frame; the guest never saw a fault");

  scn_part(s, "two guests, one guest-physical address, switched by VPID");
  os_ept_t ept2;
  e = os_ept_init(&ept2, &s->frames, 4);
  for (uint64_t gpa = 0; e == OS_OK && gpa < GUEST_MEM; gpa += 0x200000)
    e = os_ept_map(&ept2, gpa, g_hpa(g, gpa), PG_SIZE_2M, EPT_RWX);
  uint64_t fb = scn_frame(s);
  if (e == OS_OK)
    e = os_ept_map(&ept2, GUEST_MEM, fb, PG_SIZE_4K, EPT_R | EPT_W);
  os_write64(&s->phys, fb, 0xbbbb);
  scn_check(s, e == OS_OK,
            "a second VM (VPID 2) runs the same image; its EPT maps guest-physical 0x%llx to "
            "host-physical 0x%" PRIx64,
            (unsigned long long)GUEST_MEM, fb);
  vm_exit(s, host_cr3);
  vm_enter(s, os_ept_eptp(&ept2, 0), 2, os_as_cr3(&proc, 0));
  r = scn_load(s, 1, 0x600000, "guest two's load");
  scn_check(s, r.status == PG_ST_OK && r.pa == fb && r.data == 0xbbbb,
            "same guest-virtual and guest-physical address, its own frame");
  vm_exit(s, host_cr3);
  vm_enter(s, eptp, 1, os_as_cr3(&proc, 0));
  r = scn_load(s, 1, 0x600000, "back in guest one");
  scn_check(s, r.status == PG_ST_OK && r.pa == fa && r.l1_hit,
            "guest one's translation is still in the TLB: no flush on the way out or in");
  vm_exit(s, host_cr3);
}

static void run_vm(scn_t *s) {
  scn_say(s, "A virtual machine owns a NIC outright (device pass-through). The guest's driver\n"
             "programs it with addresses of its own: I/O virtual addresses in a table the guest\n"
             "builds in its memory, translating to guest-physical addresses. The hypervisor's\n"
             "host table translates those to real memory. The IOMMU walks both (nested).");
  dev_env_t d;
  dev_setup(s, &d, 1);
  guest_t g = {.s = s};
  os_err_t e = os_frames_alloc_size(&s->frames, PG_SIZE_2M, &g.hpa[0]);
  if (e == OS_OK)
    e = os_frames_alloc_size(&s->frames, PG_SIZE_2M, &g.hpa[1]);
  os_as_t host;
  scn_new_as(s, &host);
  if (e == OS_OK)
    e = os_iommu_map(&host, 0, g.hpa[0], 0x200000, PG_SIZE_2M, 1);
  if (e == OS_OK)
    e = os_iommu_map(&host, 0x200000, g.hpa[1], 0x200000, PG_SIZE_2M, 1);
  scn_check(s, e == OS_OK,
            "host table: guest-physical 0-4 MiB -> host frames 0x%" PRIx64 " and 0x%" PRIx64,
            g.hpa[0], g.hpa[1]);

  /* The guest's own kernel, inside its memory. */
  os_phys_t gphys = {g_read, g_write, &g};
  os_frames_t gframes;
  os_frames_init(&gframes, gphys, 0x100000, GUEST_MEM);
  os_as_t gtab;
  os_as_init(&gtab, &gframes);
  uint64_t gsrc = 0, gdst = 0;
  os_frames_alloc(&gframes, &gsrc);
  os_frames_alloc(&gframes, &gdst);
  for (uint64_t off = 0; off < 512; off += 8)
    os_write64(&gphys, gsrc + off, 0x9e57000 + off);
  e = os_iommu_map(&gtab, 0x10000, gsrc, PAGE, PG_SIZE_4K, 0);
  if (e == OS_OK)
    e = os_iommu_map(&gtab, 0x20000, gdst, PAGE, PG_SIZE_4K, 1);
  if (e == OS_OK)
    e = os_iommu_map(&gtab, 0x30000, 0x800000, PAGE, PG_SIZE_4K, 1); /* beyond its memory */
  scn_check(s, e == OS_OK,
            "guest table (at guest-physical 0x%" PRIx64 "): IOVA 0x10000 -> 0x%" PRIx64
            ", 0x20000 -> 0x%" PRIx64 ", 0x30000 -> 0x800000",
            gtab.pml4, gsrc, gdst);
  e = os_iommu_attach(&d.io, RID_NIC, DTE_NESTED, 7, 1, 1, host.pml4, gtab.pml4);
  scn_check(s, e == OS_OK, "the hypervisor gives the NIC to the guest: nested mode, domain 7");
  scn_say(s, "(The guest's driver would write the NIC's registers itself; here the host CPU\n"
             "writes them on its behalf, with the guest's addresses.)");

  scn_part(s, "the guest's DMA");
  uint64_t walks0 = scn_counters(s)->iommu_walks;
  os_dma_result_t r = dma(s, &d, PA_NIC_BASE, 0x10000, 0x20000, 512);
  scn_check(s,
            r.status == DMA_STATUS_DONE &&
                os_read64(&s->phys, g_hpa(&g, gdst) + 504) == 0x9e57000 + 504,
            "done: the bytes are at host-physical 0x%" PRIx64 " (guest-physical 0x%" PRIx64 ")",
            g_hpa(&g, gdst), gdst);
  scn_check(s, scn_counters(s)->iommu_walks - walks0 == 2,
            "two nested walks (one per page; each guest level also walked the host table)");

  scn_part(s, "the guest points its device outside its memory");
  r = dma(s, &d, PA_NIC_BASE, 0x10000, 0x30000, 64);
  uint64_t rec[4] = {0};
  int got = os_iommu_next_fault(&d.io, rec);
  if (got)
    print_record(s, rec);
  scn_check(s,
            r.status == DMA_STATUS_ERROR && got && (rec[0] & 0xff) == IO_R_NOT_PRESENT &&
                !(rec[0] & FR_STAGE_GUEST) && rec[2] == 0x800000,
            "blocked by the host table (stage host): guest-physical 0x800000 is not the guest's");

  scn_part(s, "the guest tries a host-physical address");
  r = dma(s, &d, PA_NIC_BASE, 0x10000, host.pml4, 64);
  got = os_iommu_next_fault(&d.io, rec);
  if (got)
    print_record(s, rec);
  scn_check(s, r.status == DMA_STATUS_ERROR && got && (rec[0] & FR_STAGE_GUEST),
            "blocked by the guest's own table (stage guest): the guest cannot name host memory");
  vm_cpu(s, &g, &gframes, gsrc);
  os_frames_destroy(&gframes);
}

const scn_def_t scn_vm = {"vm",
                          "a virtual machine: a pass-through device with nested translation, "
                          "and its CPU under EPT with VPIDs",
                          "iommu", 1, run_vm};
