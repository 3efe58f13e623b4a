/**
 * PAPR hypercalls the model implements, their arguments and the return codes it produces (no modelled
 * hypervisor answers H_BUSY, so `pseries_rpt_invalidate`'s H_BUSY loop is not modelled)
 * (Linux arch/powerpc/include/asm/hvcall.h; QEMU hw/ppc/spapr.h; domain/mmu.md §5, nested.md §1, cas-ov5.md §2.4).
 */
export const H_REGISTER_PROC_TBL = 0x37c;
export const H_RPT_INVALIDATE = 0x448;
export const H_SET_PARTITION_TABLE = 0xf800;
export const H_ENTER_NESTED = 0xf804;
export const H_TLB_INVALIDATE = 0xf808;

/** Return codes. */
export const H_SUCCESS = 0;
export const H_FUNCTION = -2;
export const H_PARAMETER = -4;
export const H_P2 = -55;
export const H_P3 = -56;
export const H_P4 = -57;
export const H_P5 = -58;
export const H_UNSUPPORTED = -67;

export type HcallReturn =
  | typeof H_SUCCESS
  | typeof H_FUNCTION
  | typeof H_PARAMETER
  | typeof H_P2
  | typeof H_P3
  | typeof H_P4
  | typeof H_P5
  | typeof H_UNSUPPORTED;

/** H_RPT_INVALIDATE `target`. */
export const H_RPTI_TARGET_CMMU = 0x01; // all vCPUs of the partition
export const H_RPTI_TARGET_CMMU_LOCAL = 0x02; // current vCPU

/** H_RPT_INVALIDATE `type`. */
export const H_RPTI_TYPE_NESTED = 0x0001; // nested guest partition-scoped; `pid` is then the nested LPID
export const H_RPTI_TYPE_TLB = 0x0002;
export const H_RPTI_TYPE_PWC = 0x0004;
export const H_RPTI_TYPE_PRT = 0x0008; // process-table entries (NESTED clear)
export const H_RPTI_TYPE_PAT = 0x0008; // partition-table entries (NESTED set)
export const H_RPTI_TYPE_ALL = H_RPTI_TYPE_TLB | H_RPTI_TYPE_PWC | H_RPTI_TYPE_PRT;
export const H_RPTI_TYPE_NESTED_ALL = H_RPTI_TYPE_TLB | H_RPTI_TYPE_PWC | H_RPTI_TYPE_PAT;

/** H_RPT_INVALIDATE `page_sizes` (Linux `psize_to_rpti_pgsize`). `H_RPTI_PAGE_ALL` is -1UL: every bit. */
export const H_RPTI_PAGE_4K = 0x01;
export const H_RPTI_PAGE_64K = 0x02;
export const H_RPTI_PAGE_2M = 0x04;
export const H_RPTI_PAGE_1G = 0x08;
export const H_RPTI_PAGE_ALL = -1;

/** `end` = -1UL ("everything"); the model's EAs are below 2^52, so MAX_SAFE_INTEGER stands for it. */
export const H_RPTI_END_ALL = Number.MAX_SAFE_INTEGER;

/** H_REGISTER_PROC_TBL flags (Linux asm/hvcall.h). */
export const PROC_TABLE_OP_MASK = 0x18;
export const PROC_TABLE_NEW = 0x18;
export const PROC_TABLE_TYPE_MASK = 0x06;
export const PROC_TABLE_HPT_PT = 0x02;
export const PROC_TABLE_RADIX = 0x04;
export const PROC_TABLE_GTSE = 0x01;
