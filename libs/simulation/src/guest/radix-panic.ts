/**
 * `pSeries_setup_arch` (arch/powerpc/platforms/pseries/setup.c, Linux ≥ 5.9): a radix guest without GTSE
 * needs FW_FEATURE_RPT_INVALIDATE ("hcall-rpt-invalidate" in ibm,hypertas-functions, present iff QEMU ran
 * cap-rpt-invalidate=on), or it panics (domain/cas-ov5.md §3.3).
 */
import { GuestPlan } from '../scenario/plan';
import { CasNegotiation } from './cas';

export const RADIX_PANIC = 'BUG: Radix support requires either GTSE or RPT_INVALIDATE';

export function radixPanics(guest: GuestPlan, negotiated: CasNegotiation['negotiated']): boolean {
  return negotiated.mmu === 'radix' && !negotiated.gtse && !guest.capRptInvalidate;
}
