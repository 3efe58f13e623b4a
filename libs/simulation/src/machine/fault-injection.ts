/**
 * Test-only fault injection: a deliberately broken invalidation, to prove the safety check catches it.
 * - `skipPwcFlush.nth` (0-based) skips the page-walk-cache part of the nth invalidation whose PWC part removes
 *   at least one entry, whatever those entries are. The flush is chosen by count alone, never by asking whether
 *   its entries still match the tables (the safety check's question), so whether the skip leaves a stale
 *   translation is for the check to find out, and for a test to confirm by walking the tables itself.
 * - `skipShadowPte.nth` (0-based) has L0, on the nth partition-scoped invalidation an L1 asks of it for its
 *   L2 (H_TLB_INVALIDATE or H_RPT_INVALIDATE with H_RPTI_TYPE_NESTED) that covers a shadow PTE, leave the
 *   shadow PTEs in place (it still flushes the TLB), as a lost nested-rmap entry would.
 */
import { PwcEntry } from '../mmu/page-walk-cache';

export interface FaultInjection {
  readonly skipPwcFlush?: { readonly nth: number };
  readonly skipShadowPte?: { readonly nth: number };
}

/** A PWC entry the skipped flush left in place, on the thread whose cache holds it. */
export interface LeftPwcEntry {
  readonly thread: number;
  readonly entry: PwcEntry;
}

/** A fault that was injected, and how many entries it left in place (for a skipped PWC flush, which ones). */
export type InjectedFault =
  | { readonly fault: 'pwc-flush'; readonly skipped: number; readonly left: readonly LeftPwcEntry[] }
  | { readonly fault: 'shadow-pte'; readonly skipped: number };
