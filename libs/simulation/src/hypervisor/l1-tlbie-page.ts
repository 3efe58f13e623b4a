/**
 * L1 invalidating one partition-scoped page of its L2 through L0 (nested API v1), both sides:
 * - L1, `kvmppc_radix_tlbie_page` (arch/powerpc/kvm/book3s_64_mmu_radix.c) when `kvmhv_on_pseries()`:
 *   without FW_FEATURE_RPT_INVALIDATE `H_TLB_INVALIDATE(H_TLBIE_P1_ENC(0, 0, 1), lpid, addr | AP << PPC_BITLSHIFT(58))`,
 *   with it `pseries_rpt_invalidate(lpid, H_RPTI_TARGET_CMMU, H_RPTI_TYPE_NESTED | H_RPTI_TYPE_TLB, psize, addr, addr + psize)`.
 *   `lpid` is the L2's LPID as L1 numbers it. A failing H_TLB_INVALIDATE is only logged ("KVM: TLB page
 *   invalidation hcall failed"), so whatever L0 did not drop stays cached: the safety monitor's business.
 * - L0, for H_TLB_INVALIDATE: `kvmhv_do_nested_tlbie` → `kvmhv_emulate_priv_tlbie` (an invalid form → H_PARAMETER)
 *   → `kvmhv_emulate_tlbie_tlb_addr` → `kvmhv_invalidate_shadow_pte`; for H_RPT_INVALIDATE: `kvmppc_h_rpt_invalidate`
 *   → `do_h_rpt_invalidate_pat` → `kvmhv_invalidate_shadow_pte` over the range. Both need nesting enabled for
 *   L1's VM (H_FUNCTION otherwise), which it is wherever an L1 hosts an L2 (its H_SET_PARTITION_TABLE succeeded).
 *   An LPID that is not one of L1's nested guests (`kvmhv_get_nested` → NULL) succeeds with no effect.
 */
import { H_PARAMETER, H_RPTI_PAGE_64K, H_RPTI_TARGET_CMMU, H_RPTI_TYPE_NESTED, H_RPTI_TYPE_TLB, H_SUCCESS, HcallReturn } from '../isa/hcalls';
import { AP_OF, pageBytes, pageSizeOfAp } from '../isa/page-size';
import { PRS_PARTITION_SCOPED, R_RADIX, TLBIE_IS_VA, TLBIE_RIC_TLB } from '../isa/tlbie-operands';
import { Trace } from '../scenario/trace';
import { kvmppcHRptInvalidate, rptArgsList, RptInvalidateArgs } from './h-rpt-invalidate';
import { PARTITION_PAGE_SIZE } from './partition-scoped-tree';
import { ShadowPartition } from './shadow-partition';

/** `H_TLBIE_P1_ENC(ric, prs, r)` = `___PPC_RIC(ric) | ___PPC_PRS(prs) | ___PPC_R(r)` (asm/kvm_book3s.h). */
export function hTlbieP1Enc(ric: number, prs: number, r: number): number {
  return (ric << 18) | (prs << 17) | (r << 16);
}

/** RB of an IS=0 `tlbie`: EPN | AP << PPC_BITLSHIFT(58) (= 5); IS (RB bits 52:53) sits at << 10. */
const RB_AP_SHIFT = 5;
const RB_IS_SHIFT = 10;
const RB_LOW_BITS = 0x1000;

export interface L0NestedGuest {
  /** The L2's LPID as L1 numbers it (what L1 passes to L0). */
  readonly lpidInL1: number;
  readonly shadow: ShadowPartition;
}

/** L0 `kvmhv_do_nested_tlbie(p1, lpid, rb)`: the IS=0 RIC=0 partition-scoped form an L1 sends, emulated on the shadow LPID. */
function hTlbInvalidate(thread: number, nested: L0NestedGuest, p1: number, lpid: number, rb: number): HcallReturn {
  const ric = (p1 >> 18) & 3;
  const prs = (p1 >> 17) & 1;
  const r = (p1 >> 16) & 1;
  const is = Math.floor(rb / 2 ** RB_IS_SHIFT) & 3;
  const size = pageSizeOfAp(Math.floor(rb / 2 ** RB_AP_SHIFT) & 7);
  if (r !== R_RADIX || prs !== PRS_PARTITION_SCOPED || ric !== TLBIE_RIC_TLB || is !== TLBIE_IS_VA || !size) return H_PARAMETER;
  if (lpid !== nested.lpidInL1) return H_SUCCESS;
  const epn = rb - (rb % RB_LOW_BITS);
  nested.shadow.invalidate(thread, epn, epn + pageBytes(size));
  return H_SUCCESS;
}

/** L0 `kvmppc_h_rpt_invalidate` for an L1 whose VM has nesting enabled; the NESTED branch is `do_h_rpt_invalidate_pat`. */
function hRptInvalidateNested(thread: number, nested: L0NestedGuest, args: RptInvalidateArgs): HcallReturn {
  const decision = kvmppcHRptInvalidate(args, { radix: true, nestingEnabled: true });
  if (decision.kind === 'return') return decision.rc;
  if (decision.kind === 'nested' && args.pid === nested.lpidInL1) nested.shadow.invalidate(thread, args.start, args.end);
  return H_SUCCESS;
}

/** L1's `kvmppc_radix_tlbie_page` for the 64K partition-scoped page at `gRaddr`, dispatched to L0 and traced. */
export function l1TlbiePage(thread: number, nested: L0NestedGuest, gRaddr: number, firmwareRptInvalidate: boolean, trace: Trace): HcallReturn {
  const end = gRaddr + pageBytes(PARTITION_PAGE_SIZE);
  if (firmwareRptInvalidate) {
    const args: RptInvalidateArgs = { pid: nested.lpidInL1, target: H_RPTI_TARGET_CMMU, type: H_RPTI_TYPE_NESTED | H_RPTI_TYPE_TLB, pageSizes: H_RPTI_PAGE_64K, start: gRaddr, end };
    const rc = hRptInvalidateNested(thread, nested, args);
    trace.add({ type: 'hcall', level: 'L1', handledBy: 'L0', name: 'H_RPT_INVALIDATE', args: rptArgsList(args), rc });
    return rc;
  }
  const p1 = hTlbieP1Enc(TLBIE_RIC_TLB, PRS_PARTITION_SCOPED, R_RADIX);
  const rb = gRaddr + AP_OF[PARTITION_PAGE_SIZE] * 2 ** RB_AP_SHIFT;
  const rc = hTlbInvalidate(thread, nested, p1, nested.lpidInL1, rb);
  trace.add({ type: 'hcall', level: 'L1', handledBy: 'L0', name: 'H_TLB_INVALIDATE', args: [p1, nested.lpidInL1, rb], rc });
  return rc;
}
