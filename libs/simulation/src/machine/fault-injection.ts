/**
 * Test-only fault injection: a deliberately broken invalidation, to prove the safety check catches it.
 * - `skipPwcFlush.nth` (0-based) skips the page-walk-cache part of the nth invalidation whose PWC part would
 *   have removed an entry that no longer matches its tree — the only kind of PWC flush whose loss is a bug.
 * - `skipShadowPte.nth` (0-based) has L0, on the nth partition-scoped invalidation an L1 asks of it for its
 *   L2 (H_TLB_INVALIDATE or H_RPT_INVALIDATE with H_RPTI_TYPE_NESTED) that covers a shadow PTE, leave the
 *   shadow PTEs in place (it still flushes the TLB), as a lost nested-rmap entry would.
 */
export interface FaultInjection {
  readonly skipPwcFlush?: { readonly nth: number };
  readonly skipShadowPte?: { readonly nth: number };
}

/** A fault that was injected, and how many entries it left in place. */
export interface InjectedFault {
  readonly fault: 'pwc-flush' | 'shadow-pte';
  readonly skipped: number;
}
