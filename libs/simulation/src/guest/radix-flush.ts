/**
 * How a Linux radix guest flushes (arch/powerpc/mm/book3s64/radix_tlb.c, `__radix__flush_tlb_range_psize`,
 * `radix__flush_all_mm`; domain/cas-ov5.md §3.4): a mm active only on this thread is flushed locally with
 * `tlbiel…; ptesync`; otherwise globally, with `tlbie…; eieio; tlbsync; ptesync` when MMU_FTR_GTSE, else with
 * H_RPT_INVALIDATE (target CMMU). A range flush that freed page-table pages also flushes the PWC first.
 * Gap, named: `tlbiel` with IS≠0 is issued once (ISA 3.1); POWER9's loop over 128 congruence classes is not modelled.
 */
import {
  H_RPTI_END_ALL,
  H_RPTI_PAGE_1G,
  H_RPTI_PAGE_2M,
  H_RPTI_PAGE_4K,
  H_RPTI_PAGE_64K,
  H_RPTI_PAGE_ALL,
  H_RPTI_TARGET_CMMU,
  H_RPTI_TYPE_ALL,
  H_RPTI_TYPE_NESTED,
  H_RPTI_TYPE_NESTED_ALL,
  H_RPTI_TYPE_PWC,
  H_RPTI_TYPE_TLB,
} from '../isa/hcalls';
import { AP_OF, pageBytes, PageSize } from '../isa/page-size';
import { pidOperands, TLBIE_RIC_ALL, TLBIE_RIC_PWC, TLBIE_RIC_TLB, TlbieMnemonic, TlbInstruction, vaOperands } from '../isa/tlbie-operands';
import { RptInvalidateArgs } from '../hypervisor/h-rpt-invalidate';
import { GLOBAL_SYNC, LOCAL_SYNC } from '../mmu/tlb-sequence';

export type FlushMethod = 'tlbie' | 'h-rpt-invalidate';

export type FlushRequest =
  /** One mapping of `pageSize` at [start, end); `alsoPwc` when page-table pages were freed. */
  | { readonly kind: 'range'; readonly pid: number; readonly start: number; readonly end: number; readonly pageSize: PageSize; readonly alsoPwc: boolean }
  /** Everything of the mm, TLB and PWC. */
  | { readonly kind: 'mm'; readonly pid: number };

export type Flush =
  | { readonly kind: 'instructions'; readonly instructions: readonly TlbInstruction[] }
  | { readonly kind: 'hcall'; readonly args: RptInvalidateArgs };

/** Linux `psize_to_rpti_pgsize`. */
const RPTI_PAGE_OF: Readonly<Record<PageSize, number>> = {
  '4K': H_RPTI_PAGE_4K,
  '64K': H_RPTI_PAGE_64K,
  '2M': H_RPTI_PAGE_2M,
  '1G': H_RPTI_PAGE_1G,
};

function instructionsFor(mnemonic: TlbieMnemonic, request: FlushRequest): TlbInstruction[] {
  const sync = mnemonic === 'tlbie' ? GLOBAL_SYNC : LOCAL_SYNC;
  if (request.kind === 'mm') return [{ mnemonic, operands: pidOperands(TLBIE_RIC_ALL, request.pid) }, ...sync];
  const out: TlbInstruction[] = request.alsoPwc ? [{ mnemonic, operands: pidOperands(TLBIE_RIC_PWC, request.pid) }] : [];
  for (let ea = request.start; ea < request.end; ea += pageBytes(request.pageSize)) {
    out.push({ mnemonic, operands: vaOperands(TLBIE_RIC_TLB, request.pid, ea, AP_OF[request.pageSize]) });
  }
  return [...out, ...sync];
}

export function planFlush(request: FlushRequest, local: boolean, method: FlushMethod): Flush {
  if (local) return { kind: 'instructions', instructions: instructionsFor('tlbiel', request) };
  if (method === 'tlbie') return { kind: 'instructions', instructions: instructionsFor('tlbie', request) };
  if (request.kind === 'mm') {
    return { kind: 'hcall', args: { pid: request.pid, target: H_RPTI_TARGET_CMMU, type: H_RPTI_TYPE_ALL, pageSizes: H_RPTI_PAGE_ALL, start: 0, end: H_RPTI_END_ALL } };
  }
  return {
    kind: 'hcall',
    args: {
      pid: request.pid,
      target: H_RPTI_TARGET_CMMU,
      type: H_RPTI_TYPE_TLB | (request.alsoPwc ? H_RPTI_TYPE_PWC : 0),
      pageSizes: RPTI_PAGE_OF[request.pageSize],
      start: request.start,
      end: request.end,
    },
  };
}

/** `pseries_rpt_invalidate`'s one retry: a full flush of the same kind (asm/plpar_wrappers.h). */
export function fullFlushRetry(args: RptInvalidateArgs): RptInvalidateArgs {
  const nested = (args.type & H_RPTI_TYPE_NESTED) !== 0;
  return { ...args, type: nested ? H_RPTI_TYPE_NESTED | H_RPTI_TYPE_NESTED_ALL : H_RPTI_TYPE_ALL, start: 0, end: H_RPTI_END_ALL };
}
