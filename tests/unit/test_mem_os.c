/* SPDX-License-Identifier: MIT */
/* test_mem_os.c — sparse memory, tree-PLRU, the frame allocator and the
 * address-space builder (both backends build identical tables). */
#include <stdio.h>
#include <string.h>

#include "fixture.h"
#include "pg_runner.h"
#include "pg_trace.h"

static void test_memory_is_little_endian_sparse_and_zero(void **state) {
  (void)state;
  pg_mem_t *m = pg_mem_new();
  assert_int_equal(pg_mem_read(m, 0xabcdef000ull, 8), 0);
  pg_mem_write(m, 0x1000, 0x1122334455667788ull, 8);
  assert_int_equal(pg_mem_read(m, 0x1000, 1), 0x88);
  assert_int_equal(pg_mem_read(m, 0x1006, 2), 0x1122);
  assert_int_equal(pg_mem_read(m, 0x1004, 4), 0x11223344);
  pg_mem_write(m, 0x1002, 0xaaaa, 2);
  assert_int_equal(pg_mem_read(m, 0x1000, 8), 0x11223344aaaa7788ull);
  /* The top of the 52-bit space. */
  pg_mem_write(m, 0xffffffffffff8ull, 5, 8);
  assert_int_equal(pg_mem_read(m, 0xffffffffffff8ull, 8), 5);
  /* Byte ranges across a page boundary; many pages (table growth). */
  uint8_t in[100], out[100];
  for (int i = 0; i < 100; i++)
    in[i] = (uint8_t)(i * 7);
  pg_mem_write_bytes(m, 0x2fd0, in, sizeof in);
  pg_mem_read_bytes(m, 0x2fd0, out, sizeof out);
  assert_memory_equal(in, out, sizeof in);
  for (uint64_t p = 0; p < 2000; p++)
    pg_mem_write(m, 0x100000 + p * 4096, p, 8);
  for (uint64_t p = 0; p < 2000; p++)
    assert_int_equal(pg_mem_read(m, 0x100000 + p * 4096, 8), p);
  pg_mem_free(m);
}

static void test_memory_equality(void **state) {
  (void)state;
  pg_mem_t *a = pg_mem_new(), *b = pg_mem_new();
  uint64_t diff;
  pg_mem_write(a, 0x5000, 0, 8); /* a written zero equals never written */
  assert_true(pg_mem_equal(a, b, &diff));
  pg_mem_write(b, 0x7010, 1, 1);
  pg_mem_write(a, 0x9000, 1, 1);
  assert_false(pg_mem_equal(a, b, &diff));
  assert_int_equal(diff, 0x7010);
  pg_mem_free(a);
  pg_mem_free(b);
}

static void test_tree_plru(void **state) {
  (void)state;
  pg_tlb_t t;
  pg_tlb_init(&t, 1, 8);
  pg_tlb_entry_t e = {.shift = 12};
  for (unsigned i = 0; i < 8; i++) {
    e.tag = i;
    assert_int_equal(pg_tlb_insert(&t, 0, &e), i); /* invalid ways first, lowest first */
  }
  /* Touched 0..7 in order: the least recently used half is 0..3, then 0..1,
   * then 0. */
  assert_int_equal(pg_tlb_victim(&t, 0), 0);
  pg_tlb_touch(&t, 0, 0);
  assert_int_equal(pg_tlb_victim(&t, 0), 4);
  pg_tlb_touch(&t, 0, 4);
  assert_int_equal(pg_tlb_victim(&t, 0), 2);
  pg_tlb_touch(&t, 0, 2);
  assert_int_equal(pg_tlb_victim(&t, 0), 6);
  /* An invalid way always wins over the PLRU choice. */
  pg_tlb_invalidate(&t, 0, 5);
  assert_int_equal(pg_tlb_victim(&t, 0), 5);
  pg_tlb_destroy(&t);
}

static void test_frames(void **state) {
  (void)state;
  pg_mem_t *m = pg_mem_new();
  os_frames_t f;
  os_frames_init(&f, os_phys_of_mem(m), 0x1000, 0x400000);
  uint64_t a, b, big;
  assert_int_equal(os_frames_alloc(&f, &a), OS_OK);
  assert_int_equal(a, 0x1000);
  pg_mem_write(m, a + 16, 0x55, 8);
  os_frames_free(&f, a);
  assert_int_equal(os_frames_alloc(&f, &b), OS_OK);
  assert_int_equal(b, a);                         /* reused ... */
  assert_int_equal(pg_mem_read(m, b + 16, 8), 0); /* ... and zeroed */
  assert_int_equal(os_frames_alloc_size(&f, PG_SIZE_2M, &big), OS_OK);
  assert_int_equal(big, 0x200000);
  assert_int_equal(os_frames_alloc_size(&f, PG_SIZE_2M, &big), OS_ENOMEM);
  /* The frames skipped for alignment are handed out next. */
  assert_int_equal(os_frames_alloc(&f, &a), OS_OK);
  assert_true(a >= 0x2000 && a < 0x200000);
  os_frames_destroy(&f);
  pg_mem_free(m);
}

static void test_map_unmap_protect_errors(void **state) {
  fx_t *f = *state;
  uint64_t pa = fx_frame(f), got;
  enum pg_page_size sz;
  assert_int_equal(os_map(&f->as, 0x1000, pa, PG_SIZE_4K, PTE_RW | PTE_US | PTE_XD), OS_OK);
  assert_int_equal(os_translate(&f->as, 0x1abc, &got, &sz), OS_OK);
  assert_int_equal(got, pa + 0xabc);
  assert_int_equal(sz, PG_SIZE_4K);
  uint64_t e = fx_entry(f, 0x1000, 1);
  assert_int_equal(e, pa | PTE_P | PTE_RW | PTE_US | PTE_XD);
  assert_int_equal(fx_entry(f, 0x1000, 2) & 0xfff, PTE_P | PTE_RW | PTE_US);
  assert_int_equal(os_map(&f->as, 0x1000, pa, PG_SIZE_4K, 0), OS_EEXIST);
  assert_int_equal(os_map(&f->as, 0x0, 0, PG_SIZE_2M, 0), OS_EEXIST); /* a PT is there */
  assert_int_equal(os_map(&f->as, 0x1800, pa, PG_SIZE_4K, 0), OS_EALIGN);
  assert_int_equal(os_map(&f->as, 0x200000, 0x1000, PG_SIZE_2M, 0), OS_EALIGN);
  assert_int_equal(os_map(&f->as, 0x0000800000000000ull, pa, PG_SIZE_4K, 0), OS_ECANON);
  assert_int_equal(os_map(&f->as, 0x2000, pa, PG_SIZE_4K, 0x1000), OS_EINVAL);
  assert_int_equal(os_protect(&f->as, 0x1000, PG_SIZE_4K, 0, PTE_RW), OS_OK);
  assert_int_equal(fx_entry(f, 0x1000, 1), pa | PTE_P | PTE_US | PTE_XD);
  assert_int_equal(os_protect(&f->as, 0x1000, PG_SIZE_2M, 0, PTE_RW), OS_ENOENT);
  assert_int_equal(os_unmap(&f->as, 0x1000, PG_SIZE_4K, &got), OS_OK);
  assert_int_equal(got, pa | PTE_P | PTE_US | PTE_XD);
  assert_int_equal(os_translate(&f->as, 0x1000, &got, &sz), OS_ENOENT);
  assert_int_equal(os_unmap(&f->as, 0x1000, PG_SIZE_4K, NULL), OS_ENOENT);
  /* Large pages: PS set, and a 4 KiB map inside one is refused. */
  assert_int_equal(os_map(&f->as, 0x40000000, 0x40000000, PG_SIZE_1G, PTE_RW), OS_OK);
  assert_int_equal(fx_entry(f, 0x40000000, 3), 0x40000000 | PTE_P | PTE_RW | PTE_PS);
  assert_int_equal(os_map(&f->as, 0x40001000, pa, PG_SIZE_4K, 0), OS_EEXIST);
  assert_int_equal(os_translate(&f->as, 0x7fffffff, &got, &sz), OS_OK);
  assert_int_equal(got, 0x7fffffff);
  assert_int_equal(sz, PG_SIZE_1G);
  assert_int_equal(os_entry_addr(&f->as, 0x40000000, 2, &got), OS_ENOENT);
  assert_int_equal(os_map_range(&f->as, 0x800000, 0x800000, 0x400000, PG_SIZE_2M, 0), OS_OK);
  assert_int_equal(os_translate(&f->as, 0xa00008, &got, &sz), OS_OK);
  assert_int_equal(got, 0xa00008);
  assert_int_equal(sz, PG_SIZE_2M);
}

/* Tables built through the trace sink, replayed by the golden model, equal
 * tables built directly in the model's memory. */
static void test_trace_sink_builds_the_same_tables(void **state) {
  (void)state;
  char *buf = NULL;
  size_t len = 0;
  FILE *out = open_memstream(&buf, &len);
  os_trace_sink_t *sink = os_trace_sink_new(out);
  pg_mem_t *direct = pg_mem_new();
  os_frames_t f1, f2;
  os_as_t a1, a2;
  os_frames_init(&f1, os_phys_of_trace(sink), 0x100000, 0x1000000);
  os_frames_init(&f2, os_phys_of_mem(direct), 0x100000, 0x1000000);
  assert_int_equal(os_as_init(&a1, &f1), OS_OK);
  assert_int_equal(os_as_init(&a2, &f2), OS_OK);
  for (unsigned i = 0; i < 40; i++) {
    uint64_t va = 0x7f0000000000ull + i * 0x3000ull, pa = 0x800000 + i * 0x1000ull;
    assert_int_equal(os_map(&a1, va, pa, PG_SIZE_4K, PTE_RW | PTE_US), OS_OK);
    assert_int_equal(os_map(&a2, va, pa, PG_SIZE_4K, PTE_RW | PTE_US), OS_OK);
  }
  assert_int_equal(os_protect(&a1, 0x7f0000003000ull, PG_SIZE_4K, PTE_XD, PTE_RW), OS_OK);
  assert_int_equal(os_protect(&a2, 0x7f0000003000ull, PG_SIZE_4K, PTE_XD, PTE_RW), OS_OK);
  fclose(out);

  pg_trace_t t;
  char err[256];
  assert_int_equal(pg_trace_parse_buffer("sink", buf, len, &t, err, sizeof err), 0);
  pg_model_t *m = pg_model_new(NULL);
  pg_target_t tg = pg_golden_target(m);
  FILE *devnull = fopen("/dev/null", "w");
  pg_run_opts_t o = {devnull, NULL, NULL};
  assert_int_equal(pg_run_trace(&t, &tg, &o), 0);
  fclose(devnull);
  uint64_t diff;
  assert_true(pg_mem_equal(pg_model_mem(m), direct, &diff));
  assert_true(pg_mem_equal(os_trace_sink_shadow(sink), direct, &diff));

  pg_model_free(m);
  pg_trace_free(&t);
  os_trace_sink_free(sink);
  os_frames_destroy(&f1);
  os_frames_destroy(&f2);
  pg_mem_free(direct);
  free(buf);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_memory_is_little_endian_sparse_and_zero),
      cmocka_unit_test(test_memory_equality),
      cmocka_unit_test(test_tree_plru),
      cmocka_unit_test(test_frames),
      cmocka_unit_test_setup_teardown(test_map_unmap_protect_errors, fx_setup, fx_teardown),
      cmocka_unit_test(test_trace_sink_builds_the_same_tables),
  };
  return cmocka_run_group_tests_name("memory and sw/os", tests, NULL, NULL);
}
