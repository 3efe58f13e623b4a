/**
 * The LPCR an L2 really runs with when its L1 enters it with H_ENTER_NESTED (API v1; domain/nested.md §3.3).
 * - Linux KVM-HV L0, `load_l2_hv_regs` (arch/powerpc/kvm/book3s_hv_nested.c): only the bits in the mask
 *   come from L1's request, every other bit — GTSE included — from L1's own LPCR as L0 keeps it. So the L2
 *   inherits what L1 *registered*. (`kvmppc_filter_lpcr_hv` is not modelled: it never touches GTSE.)
 * - QEMU TCG L0, `h_enter_nested` (hw/ppc/spapr_hcall.c, 7.2): `lpcr |= LPCR_HR | LPCR_UPRT | LPCR_GTSE |
 *   LPCR_HVICE | LPCR_HDICE`, so every L2 runs with GTSE=1 (HVICE/HDICE not modelled).
 */
import { Lpcr, LPCR_AIL, LPCR_DPFD, LPCR_GTSE, LPCR_HR, LPCR_ILE, LPCR_LD, LPCR_MER, LPCR_TC, LPCR_UPRT } from '../isa/lpcr';

/** "Don't let L1 change LPCR bits for the L2 except these". */
export const L2_SETTABLE_LPCR_MASK: Lpcr = LPCR_DPFD | LPCR_ILE | LPCR_TC | LPCR_AIL | LPCR_LD | LPCR_MER;

export function kvmL2Lpcr(l1Lpcr: Lpcr, requested: Lpcr): Lpcr {
  return (l1Lpcr & ~L2_SETTABLE_LPCR_MASK) | (requested & L2_SETTABLE_LPCR_MASK);
}

export function tcgL2Lpcr(requested: Lpcr): Lpcr {
  return requested | LPCR_HR | LPCR_UPRT | LPCR_GTSE;
}
