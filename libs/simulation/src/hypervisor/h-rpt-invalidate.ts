/**
 * H_RPT_INVALIDATE (hcall 0x448) as Linux KVM-HV implements it (domain/mmu.md §5, nested.md §4):
 * `kvmppc_h_rpt_invalidate` (arch/powerpc/kvm/book3s_hv.c) decides, and `do_h_rpt_invalidate_prt`
 * (arch/powerpc/mm/book3s64/radix_tlb.c) turns a process-scoped request into `tlbie` sequences for
 * (pid, lpid) — always global: `target` is ignored for process-scoped requests.
 */
import {
  H_FUNCTION,
  H_P2,
  H_P5,
  H_RPTI_END_ALL,
  H_RPTI_PAGE_1G,
  H_RPTI_PAGE_2M,
  H_RPTI_PAGE_4K,
  H_RPTI_PAGE_64K,
  H_RPTI_TARGET_CMMU,
  H_RPTI_TYPE_ALL,
  H_RPTI_TYPE_NESTED,
  H_RPTI_TYPE_PWC,
  H_UNSUPPORTED,
  HcallReturn,
} from '../isa/hcalls';
import { AP_OF, pageBytes, PageSize } from '../isa/page-size';
import { pidOperands, Ric, TLBIE_RIC_ALL, TLBIE_RIC_PWC, TLBIE_RIC_TLB, TlbInstruction } from '../isa/tlbie-operands';
import { GLOBAL_SYNC } from '../mmu/tlb-sequence';

export interface RptInvalidateArgs {
  /** PID (process-scoped) or, with H_RPTI_TYPE_NESTED, the nested guest's LPID. */
  readonly pid: number;
  readonly target: number;
  readonly type: number;
  readonly pageSizes: number;
  readonly start: number;
  readonly end: number;
}

export function rptArgsList(args: RptInvalidateArgs): number[] {
  return [args.pid, args.target, args.type, args.pageSizes, args.start, args.end];
}

export type RptDecision =
  | { readonly kind: 'return'; readonly rc: HcallReturn }
  | { readonly kind: 'process-scoped' }
  | { readonly kind: 'nested' };

/** `kvmppc_h_rpt_invalidate`, Linux 6.1, in its order of checks. */
export function kvmppcHRptInvalidate(args: RptInvalidateArgs, vm: { readonly radix: boolean; readonly nestingEnabled: boolean }): RptDecision {
  if (!vm.radix) return { kind: 'return', rc: H_UNSUPPORTED };
  if (args.end < args.start) return { kind: 'return', rc: H_P5 };
  if ((args.type & H_RPTI_TYPE_NESTED) === 0) return { kind: 'process-scoped' };
  if (!vm.nestingEnabled) return { kind: 'return', rc: H_FUNCTION };
  if (args.target !== H_RPTI_TARGET_CMMU) return { kind: 'return', rc: H_P2 };
  return { kind: 'nested' };
}

/** `mmu_psize_defs[].h_rpt_pgsize`, in Linux's psize order. */
const RPTI_PAGE_BITS: readonly { readonly size: PageSize; readonly bit: number }[] = [
  { size: '4K', bit: H_RPTI_PAGE_4K },
  { size: '64K', bit: H_RPTI_PAGE_64K },
  { size: '2M', bit: H_RPTI_PAGE_2M },
  { size: '1G', bit: H_RPTI_PAGE_1G },
];

/** Linux `tlb_single_page_flush_ceiling`: above this many pages a range flush becomes a PID flush. */
export const TLB_SINGLE_PAGE_FLUSH_CEILING = 33;

/** `_tlbie_pid_lpid(pid, lpid, ric)`: IS=1, RS = pid | lpid, then `eieio; tlbsync; ptesync`. */
function tlbiePidLpid(pid: number, lpid: number, ric: Ric): TlbInstruction[] {
  return [{ mnemonic: 'tlbie', operands: pidOperands(ric, pid, lpid) }, ...GLOBAL_SYNC];
}

/** `_tlbie_va_range_lpid`: one IS=0 `tlbie` per page, RS = pid | lpid, then the global sync. */
function tlbieVaRangeLpid(start: number, end: number, pid: number, lpid: number, size: PageSize): TlbInstruction[] {
  const step = pageBytes(size);
  const out: TlbInstruction[] = [];
  for (let ea = Math.floor(start / step) * step; ea < end; ea += step) {
    out.push({
      mnemonic: 'tlbie',
      operands: { ...pidOperands(TLBIE_RIC_TLB, pid, lpid), is: 0, rb: { epn: ea, ap: AP_OF[size], set: 0 } },
    });
  }
  return [...out, ...GLOBAL_SYNC];
}

/** `do_h_rpt_invalidate_prt(pid, lpid, type, pg_sizes, start, end)`. */
export function rptInvalidatePrtSequence(args: RptInvalidateArgs, lpid: number): TlbInstruction[] {
  const { pid, type, pageSizes, start, end } = args;
  // "A H_RPTI_TYPE_ALL request implies RIC=3, hence do a single IS=1 based flush."
  if ((type & H_RPTI_TYPE_ALL) === H_RPTI_TYPE_ALL) return tlbiePidLpid(pid, lpid, TLBIE_RIC_ALL);
  const out = (type & H_RPTI_TYPE_PWC) !== 0 ? tlbiePidLpid(pid, lpid, TLBIE_RIC_PWC) : [];
  if (start === 0 && end === H_RPTI_END_ALL) return [...out, ...tlbiePidLpid(pid, lpid, TLBIE_RIC_TLB)];
  for (const { size, bit } of RPTI_PAGE_BITS) {
    if ((pageSizes & bit) === 0) continue;
    if ((end - start) / pageBytes(size) > TLB_SINGLE_PAGE_FLUSH_CEILING) return [...out, ...tlbiePidLpid(pid, lpid, TLBIE_RIC_TLB)];
    out.push(...tlbieVaRangeLpid(start, end, pid, lpid, size));
  }
  return out;
}
