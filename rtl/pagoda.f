// SPDX-License-Identifier: MIT
// pagoda.f — the RTL in compile order: the package, then every module,
// leaves before the blocks that use them. The Makefile, `make lint`,
// `make synth` and pagoda.core read this list; paths are relative to the
// repository's root. Every rtl/*.sv is here exactly once (make test checks).
+incdir+rtl
rtl/pagoda_pkg.sv
rtl/pg_first_set.sv
rtl/pg_fifo.sv
rtl/pg_plru.sv
rtl/pg_cam.sv
rtl/pg_l2_tlb.sv
rtl/pg_walker.sv
rtl/pg_ept_walker.sv
rtl/pg_mmu.sv
rtl/pg_dram_ctrl.sv
rtl/pg_iommu_regs.sv
rtl/pg_iommu_dtc.sv
rtl/pg_iommu_flog.sv
rtl/pg_iommu_cmdq.sv
rtl/pg_iommu.sv
rtl/pg_dma.sv
rtl/pg_mem_arb.sv
rtl/pg_sysbus.sv
rtl/pg_system.sv
