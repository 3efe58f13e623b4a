/**
 * Live migration of a running guest (SPEC §2.3; domain/rules.md MIG-*): the destination QEMU starts with
 * the guest's machine options (so its start-up checks run again), the negotiated contract is kept (no new
 * CAS: the kernel keeps its flush method and firmware features), QEMU restores the vCPUs' LPCR from the
 * stream (`spapr_post_load`) and re-configures the MMU (`kvmppc_configure_v3_mmu`, which fails for a radix
 * guest on a KVM host without radix: "Process table config unsupported by the host"). No translation
 * survives: the destination's TLBs and page-walk caches start empty. On a level-1 destination L0 still
 * imposes the destination L1's GTSE at every H_ENTER_NESTED.
 */
import { GuestKernel } from '../guest/guest-kernel';
import { qemuStartRefusal } from '../guest/qemu-start';
import { GuestHypervisor, lpcrHex } from '../hypervisor/guest-hypervisor';
import { FaultInjection } from '../machine/fault-injection';
import { Machine } from '../machine/machine';
import { buildPlatform } from './guest-platform';
import { Outcome } from './outcome';
import { GuestPlan, HostPlan } from './plan';
import { Trace } from './trace';

export type MigrationResult =
  | { readonly kind: 'migrated'; readonly machine: Machine; readonly hypervisor: GuestHypervisor }
  | { readonly kind: 'failed'; readonly outcome: Outcome };

export function migrateGuest(
  guest: GuestPlan,
  to: HostPlan,
  kernel: GuestKernel,
  source: GuestHypervisor,
  trace: Trace,
  faults: FaultInjection,
): MigrationResult {
  const refusal = qemuStartRefusal(guest, to);
  if (refusal) {
    trace.add({ type: 'qemu-refused', host: to.name, ...refusal });
    return { kind: 'failed', outcome: { kind: 'migration-failed', ...refusal } };
  }
  if (to.accelerator !== 'tcg' && !to.mmuRadix) {
    const failure = { message: 'Process table config unsupported by the host', source: 'QEMU hw/ppc/spapr.c:spapr_post_load → kvmppc_configure_v3_mmu' };
    trace.add({ type: 'qemu-refused', host: to.name, ...failure });
    return { kind: 'failed', outcome: { kind: 'migration-failed', ...failure } };
  }
  const platform = buildPlatform(guest, to, trace, faults, source.savedLpcr);
  if (platform.kind === 'not-modelled') return { kind: 'failed', outcome: platform };
  kernel.moveTo(platform.machine, platform.hypervisor);
  // QEMU migrates the registered process table (`spapr_patb_entry` subsection) and re-applies it.
  const partition = platform.hypervisor.partition;
  partition.pate = { dw0: partition.pate.dw0, dw1: source.partition.pate.dw1 };
  trace.add({ type: 'migrated', to: to.name, lpcr: lpcrHex(platform.hypervisor.lpcr) });
  return { kind: 'migrated', machine: platform.machine, hypervisor: platform.hypervisor };
}
