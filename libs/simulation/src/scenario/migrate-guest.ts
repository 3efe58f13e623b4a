/**
 * Live migration of a running guest (SPEC §2.3; domain/rules.md MIG-*): the destination QEMU starts with
 * the guest's machine options (so its start-up checks run again), the negotiated contract is kept (no new
 * CAS: the kernel keeps its MMU, its flush method and firmware features), and the MMU is restored from the
 * stream:
 * - a radix guest: QEMU restores the vCPUs' LPCR (`spapr_post_load`) and re-configures the MMU
 *   (`kvmppc_configure_v3_mmu`, which fails on a KVM host without radix: "Process table config unsupported by
 *   the host"). No translation survives: the destination's TLBs and page-walk caches start empty. On a level-1
 *   destination L0 still imposes the destination L1's GTSE at every H_ENTER_NESTED.
 * - a hash guest registered no process table (`spapr->patb_entry` is 0, so `spapr_post_load` configures
 *   nothing): its HPT arrives in its own stream section and must be allocated and run there (guest/hpt.ts).
 */
import { GuestKernel } from '../guest/guest-kernel';
import { hptRestoreRefusal } from '../guest/hpt';
import { QemuRefusal, qemuStartRefusal } from '../guest/qemu-start';
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

/** The destination QEMU exits: its message in the trace, the migration failed. */
function failed(to: HostPlan, { message, source }: QemuRefusal, trace: Trace): Outcome {
  trace.add({ type: 'qemu-refused', host: to.name, message, source });
  return { kind: 'migration-failed', message, source };
}

export function migrateGuest(
  guest: GuestPlan,
  to: HostPlan,
  kernel: GuestKernel,
  source: GuestHypervisor,
  trace: Trace,
  faults: FaultInjection,
): MigrationResult {
  const refusal = qemuStartRefusal(guest, to);
  if (refusal) return { kind: 'failed', outcome: failed(to, refusal, trace) };
  if (to.accelerator !== 'tcg' && !to.mmuRadix) {
    const restore = { message: 'Process table config unsupported by the host', source: 'QEMU hw/ppc/spapr.c:spapr_post_load → kvmppc_configure_v3_mmu' };
    return { kind: 'failed', outcome: failed(to, restore, trace) };
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

/** A hash guest's migration: the destination starts, its HPT loads and runs there, and the guest runs on, hash as before. */
export function migrateHashGuest(guest: GuestPlan, to: HostPlan, trace: Trace): Outcome {
  const refusal = qemuStartRefusal(guest, to) ?? hptRestoreRefusal(to);
  if (refusal) return failed(to, refusal, trace);
  trace.add({ type: 'hpt-migrated', to: to.name });
  return { kind: 'ok' };
}
