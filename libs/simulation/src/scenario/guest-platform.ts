/**
 * Builds what runs a guest on a planned host: the physical machine (and who checks privilege on it) and
 * the guest's hypervisor — L0 directly, or an L1 under L0 for a level-1 KVM-HV host.
 */
import { Lpcr } from '../isa/lpcr';
import { DirectHypervisor } from '../hypervisor/direct-hypervisor';
import { GuestHypervisor } from '../hypervisor/guest-hypervisor';
import { NestedHypervisor } from '../hypervisor/nested-hypervisor';
import { FaultInjection } from '../machine/fault-injection';
import { Machine } from '../machine/machine';
import { GuestPlan, HostPlan } from './plan';
import { Trace } from './trace';

/** The LPIDs the model gives out: a guest of L0 (or L1 itself), and an L2 as L1 and L0 know it. */
const GUEST_LPID = 1;
const L2_LPID_IN_L1 = 1;
const L2_SHADOW_LPID = 2;

export type PlatformResult =
  | { readonly kind: 'platform'; readonly machine: Machine; readonly hypervisor: GuestHypervisor }
  | { readonly kind: 'not-modelled'; readonly reason: string };

export function buildPlatform(guest: GuestPlan, host: HostPlan, trace: Trace, faults: FaultInjection, restoredLpcr?: Lpcr): PlatformResult {
  if (host.accelerator === 'kvm-pr') return { kind: 'not-modelled', reason: `host ${host.name} runs KVM-PR, which has no radix guests` };
  if (host.level > 1) return { kind: 'not-modelled', reason: `host ${host.name} is at level ${host.level}; only levels 0 and 1 are modelled` };
  const parent = host.parent;
  const nested = host.level === 1 && host.accelerator === 'kvm-hv';
  if (nested && !parent) return { kind: 'not-modelled', reason: `level-1 host ${host.name} has no parent guest in the plan` };
  const tcg = host.accelerator === 'tcg' || parent?.l0.accelerator === 'tcg';
  const machine = new Machine(guest.vcpus, tcg ? 'tcg' : 'hardware', faults);
  const rptInvalidate = host.rptInvalidate && guest.capRptInvalidate;
  const hypervisor =
    nested && parent
      ? new NestedHypervisor(machine, trace, {
          l0: parent.l0,
          l1: { registeredGtse: parent.registeredGtse, rptInvalidate, firmwareRptInvalidate: parent.firmwareRptInvalidate },
          l1Lpid: GUEST_LPID,
          l2LpidInL1: L2_LPID_IN_L1,
          shadowLpid: L2_SHADOW_LPID,
          restoredLpcr,
        })
      : new DirectHypervisor(machine, trace, { accelerator: tcg ? 'tcg' : 'kvm-hv', rptInvalidate, lpid: GUEST_LPID, restoredLpcr });
  return { kind: 'platform', machine, hypervisor };
}
