/**
 * H_REGISTER_PROC_TBL as QEMU handles it for a radix guest (`h_register_process_table`,
 * hw/ppc/spapr_hcall.c; domain/cas-ov5.md §2.4): validate, then set LPCR[UPRT|HR|GTSE] on every vCPU
 * (`spapr_set_all_lpcrs(update_lpcr, LPCR_UPRT | LPCR_HR | LPCR_GTSE)`); under KVM the same flags reach
 * `kvmhv_configure_mmu` through `KVM_PPC_CONFIGURE_V3_MMU`. So LPCR[GTSE] is what the guest *registered*.
 */
import {
  H_P2,
  H_P3,
  H_P4,
  H_PARAMETER,
  H_SUCCESS,
  HcallReturn,
  PROC_TABLE_GTSE,
  PROC_TABLE_NEW,
  PROC_TABLE_OP_MASK,
  PROC_TABLE_RADIX,
  PROC_TABLE_TYPE_MASK,
} from '../isa/hcalls';
import { Lpcr, LPCR_GTSE, LPCR_HR, LPCR_UPRT } from '../isa/lpcr';
import { pateDw1 } from '../radix/pate';

export interface RegisterProcTblArgs {
  readonly flags: number;
  /** Process table base (guest real). */
  readonly base: number;
  readonly pageSize: number;
  /** PRTS: log2(size) − 12. */
  readonly tableSize: number;
}

/** The three LPCR bits the hcall owns. */
export const PROC_TBL_LPCR_MASK: Lpcr = LPCR_UPRT | LPCR_HR | LPCR_GTSE;

const BASE_ALIGNMENT = 0x1000;
const BASE_LIMIT = 2 ** 60;
const MAX_TABLE_SIZE = 24;

export type RegisterProcTblResult =
  | { readonly rc: typeof H_SUCCESS; readonly lpcrBits: Lpcr; readonly pateDw1: bigint }
  | { readonly rc: Exclude<HcallReturn, typeof H_SUCCESS> };

/** Only the radix registration is modelled; an HPT registration is H_PARAMETER here (the model has no HPT). */
export function hRegisterProcTbl(args: RegisterProcTblArgs): RegisterProcTblResult {
  const { flags, base, pageSize, tableSize } = args;
  if ((flags & PROC_TABLE_OP_MASK) !== PROC_TABLE_NEW || (flags & PROC_TABLE_TYPE_MASK) !== PROC_TABLE_RADIX) {
    return { rc: H_PARAMETER };
  }
  if (base % BASE_ALIGNMENT !== 0 || base >= BASE_LIMIT) return { rc: H_P2 };
  if (pageSize !== 0) return { rc: H_P3 };
  if (tableSize > MAX_TABLE_SIZE) return { rc: H_P4 };
  const gtse = (flags & PROC_TABLE_GTSE) !== 0 ? LPCR_GTSE : 0n;
  return { rc: H_SUCCESS, lpcrBits: LPCR_UPRT | LPCR_HR | gtse, pateDw1: pateDw1(base, tableSize) };
}
