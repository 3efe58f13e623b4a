/**
 * Client Architecture Support, both sides, for the MMU bytes of ov5 (domain/cas-ov5.md):
 * 1. QEMU's offer (`spapr_machine_init`): radix and GTSE iff (TCG or KVM_CAP_PPC_MMU_RADIX) and the CPU /
 *    compat is ISA 3.00; GTSE unconditionally with radix on released QEMU (`gtseOffered`).
 * 2. What the platform allows (`spapr_dt_ov5_platform_support`): byte 24 hash/radix/either/dynamic, byte 26.
 * 3. What the guest asks (Linux `prom_check_platform_support`, `prom_parse_mmu_model`).
 * 4. QEMU validates (`spapr_check_mmu_mode`) and intersects (`spapr_ovec_intersect`).
 * 5. The guest reads the answer (`early_check_vec5`): MMU_FTR_TYPE_RADIX, MMU_FTR_GTSE.
 * A guest observed to negotiate (its recorded ov5) negotiated that, whatever steps 3 and 4 make of the model.
 */
import { OV5_MMU_DYNAMIC, OV5_MMU_EITHER, OV5_MMU_HASH, OV5_MMU_MASK, OV5_MMU_RADIX, OV5_RADIX_GTSE } from '../isa/ov5';
import { GuestPlan, HostPlan } from '../scenario/plan';
import { kvmRadixOnly } from './hpt';

export interface CasNegotiation {
  readonly offered: { readonly radix: boolean; readonly gtse: boolean };
  readonly platformSupport: { readonly byte24: number; readonly byte26: number };
  readonly requested: { readonly radix: boolean; readonly gtse: boolean };
  readonly negotiated: { readonly mmu: 'radix' | 'hash'; readonly gtse: boolean };
}

export type CasResult =
  | { readonly kind: 'negotiated'; readonly negotiation: CasNegotiation }
  | { readonly kind: 'qemu-exit'; readonly message: string; readonly source: string };

function platformMmuByte(guest: GuestPlan, host: HostPlan): number {
  if (!guest.isa300) return OV5_MMU_HASH;
  if (host.accelerator === 'tcg') return OV5_MMU_DYNAMIC; // "V3 MMU supports both hash and radix in tcg"
  if (host.mmuRadix) return host.mmuHashV3 ? OV5_MMU_EITHER : OV5_MMU_RADIX;
  return OV5_MMU_HASH;
}

function guestRequest(guest: GuestPlan, byte24: number, byte26: number): { radix: boolean; gtse: boolean } {
  const model = byte24 & OV5_MMU_MASK;
  // 0x40 (radix only) forces radix even with disable_radix ("WARNING: Ignoring cmdline option disable_radix").
  const radixMmu = model === OV5_MMU_RADIX || ((model === OV5_MMU_EITHER || model === OV5_MMU_DYNAMIC) && !guest.cmdline.disableRadix);
  // `radix_hcall_invalidate=on` exists only in kernels with GTSE=0 support (≥ 5.9).
  const gtseDisabled = guest.cmdline.radixHcallInvalidate && guest.kernel.gtseOptional;
  const radixGtse = (byte26 & OV5_RADIX_GTSE) !== 0 && !gtseDisabled;
  if (!radixMmu || !guest.kernel.radix) return { radix: false, gtse: false };
  // Kernels before 5.9: "Radix preferred - but we require GTSE for now".
  if (!guest.kernel.gtseOptional && !radixGtse) return { radix: false, gtse: false };
  return { radix: true, gtse: radixGtse };
}

/**
 * An observed contract no QEMU on `host` could have given the guest, whatever its kernel asked: radix where QEMU
 * offers none (below ISA 3.00 `spapr_dt_ov5_platform_support` offers hash only, and `spapr_machine_reset` gives such a
 * guest an HPT; a KVM without KVM_CAP_PPC_MMU_RADIX exits in `spapr_check_mmu_mode`), hash on a radix-only KVM (exits
 * there too). The record contradicts the configuration: the boot reports the guest as not modelled (boot-guest.ts).
 */
function observedContradiction(guest: GuestPlan, host: HostPlan, radixOffered: boolean): { message: string; source: string } | undefined {
  const observed = guest.observed;
  if (observed?.mmu === 'radix' && !radixOffered) {
    return guest.isa300
      ? { message: 'Guest requested unavailable MMU mode (radix).', source: 'QEMU hw/ppc/spapr.c:spapr_check_mmu_mode' }
      : { message: 'radix observed on a guest below ISA 3.00, which QEMU offers hash only', source: 'QEMU hw/ppc/spapr.c:spapr_dt_ov5_platform_support' };
  }
  if (observed?.mmu === 'hash' && guest.isa300 && kvmRadixOnly(host)) return { message: 'Guest requested unavailable MMU mode (hash).', source: 'QEMU hw/ppc/spapr.c:spapr_check_mmu_mode' };
  return undefined;
}

export function negotiateCas(guest: GuestPlan, host: HostPlan): CasResult {
  const radixOffered = (host.accelerator === 'tcg' || host.mmuRadix) && guest.isa300;
  const offered = { radix: radixOffered, gtse: radixOffered && host.gtseOffered };
  const platformSupport = { byte24: platformMmuByte(guest, host), byte26: host.gtseOffered ? OV5_RADIX_GTSE : 0 };
  const requested = guestRequest(guest, platformSupport.byte24, platformSupport.byte26);
  if (guest.observed) {
    const contradiction = observedContradiction(guest, host, offered.radix);
    if (contradiction) return { kind: 'qemu-exit', ...contradiction };
    return { kind: 'negotiated', negotiation: { offered, platformSupport, requested, negotiated: guest.observed } };
  }
  if (host.accelerator !== 'tcg') {
    if (requested.radix && !host.mmuRadix) {
      return { kind: 'qemu-exit', message: 'Guest requested unavailable MMU mode (radix).', source: 'QEMU hw/ppc/spapr.c:spapr_check_mmu_mode' };
    }
    if (!requested.radix && kvmRadixOnly(host)) {
      return { kind: 'qemu-exit', message: 'Guest requested unavailable MMU mode (hash).', source: 'QEMU hw/ppc/spapr.c:spapr_check_mmu_mode' };
    }
  }
  const radix = requested.radix && offered.radix;
  return {
    kind: 'negotiated',
    negotiation: { offered, platformSupport, requested, negotiated: { mmu: radix ? 'radix' : 'hash', gtse: radix && requested.gtse && offered.gtse } },
  };
}
