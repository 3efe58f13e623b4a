/**
 * The QEMU start-up checks that decide whether the modelled guest can run at all on a host (the MMU side
 * only; every other cap is the rules engine's business):
 * - `cap_rpt_invalidate_apply` (hw/ppc/spapr_caps.c, QEMU ≥ 6.1; domain/cas-ov5.md §2.6);
 * - a pre-ISA-3.00 CPU gets its HPT at reset (`spapr_machine_reset` → `spapr_setup_hpt`), which a nested KVM-HV
 *   refuses: "HPT not supported in nested guests" (guest/hpt.ts; domain/nested.md §3.2).
 * Also run by the destination QEMU of a migration, which starts with the guest's machine options.
 */
import { GuestPlan, HostPlan } from '../scenario/plan';
import { hptAllocationRefusal } from './hpt';

export interface QemuRefusal {
  readonly message: string;
  readonly source: string;
}

const CAP_RPT_INVALIDATE_APPLY = 'QEMU hw/ppc/spapr_caps.c:cap_rpt_invalidate_apply';

export function qemuStartRefusal(guest: GuestPlan, host: HostPlan): QemuRefusal | undefined {
  if (guest.capRptInvalidate) {
    if (host.accelerator === 'tcg') return { message: 'No H_RPT_INVALIDATE support in TCG', source: CAP_RPT_INVALIDATE_APPLY };
    if (!host.mmuRadix) return { message: 'H_RPT_INVALIDATE only supported on Radix', source: CAP_RPT_INVALIDATE_APPLY };
    if (!host.rptInvalidate) return { message: 'KVM implementation does not support H_RPT_INVALIDATE', source: CAP_RPT_INVALIDATE_APPLY };
  }
  return guest.isa300 ? undefined : hptAllocationRefusal(host, 'spapr_machine_reset → spapr_setup_hpt');
}
