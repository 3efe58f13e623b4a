/**
 * Builds what runs a radix guest on a planned host: the physical machine (and who checks privilege on it) and
 * the guest's hypervisor — L0 directly, or, for a KVM-HV host at level n ≥ 1, the chain of parent guests
 * down to bare metal collapsed into one L1 under L0 (nested API v1):
 * - every H_ENTER_NESTED, whoever issues it, ends in the bare-metal L0, whose `load_l2_hv_regs` takes LPCR[GTSE]
 *   from `vc->lpcr` of the vCPU that made the hcall: the guest running directly on L0. An intermediate KVM-HV
 *   hypervisor forwards its nested guest's run to L0 with H_ENTER_NESTED, so a guest of a level-2 host runs
 *   with the GTSE the level-1 host's parent guest registered (a TCG L0 forces GTSE=1 at every level);
 * - its H_RPT_INVALIDATE traps to that L0 first (`kvmppc_nested_h_rpt_invalidate` for any nested guest);
 *   a reflected one reaches the level-1 host's kernel, the modelled L1, which handles it alike when ≥ 5.14; an
 *   older one passes it up (`RESUME_HOST`) until it reaches the guest's own hypervisor, the host's KVM, where
 *   the guest's cap-rpt-invalidate enabled `kvmppc_h_rpt_invalidate`. Either runs `tlbie` as a guest under
 *   the LPCR L0 gives the whole chain, so the modelled L1 stands for both.
 * L1 taking guest pages away is modelled for a level-1 host only. Every parent in the chain must have booted
 * radix (`parentRegistration`). A QEMU TCG hypervisor inside a guest runs its guest directly (TCG), and is the
 * L0 of every KVM-HV chain above it: it emulates the H_ENTER_NESTED of its guest's KVM (`h_enter_nested`) as a
 * TCG L0 on bare metal does (domain/nested.md §1, "QEMU TCG acting as the virtual hypervisor").
 */
import { Lpcr } from '../isa/lpcr';
import { DirectHypervisor } from '../hypervisor/direct-hypervisor';
import { GuestHypervisor } from '../hypervisor/guest-hypervisor';
import { NestedHypervisor } from '../hypervisor/nested-hypervisor';
import { FaultInjection } from '../machine/fault-injection';
import { Machine } from '../machine/machine';
import { parentRegistration } from './parent-registration';
import { GuestPlan, HostPlan, NestedParentPlan } from './plan';
import { Trace } from './trace';

/** The LPIDs the model gives out: a guest of L0 (or L1 itself), and an L2 as L1 and L0 know it. */
const GUEST_LPID = 1;
const L2_LPID_IN_L1 = 1;
const L2_SHADOW_LPID = 2;

export type PlatformResult =
  | { readonly kind: 'platform'; readonly machine: Machine; readonly hypervisor: GuestHypervisor }
  | { readonly kind: 'not-modelled'; readonly reason: string };

/** The parent guests from `host` down to the one L0 runs (on bare metal, or on QEMU TCG), or why the chain is not modelled. */
function parentChain(host: HostPlan): NestedParentPlan[] | string {
  const chain: NestedParentPlan[] = [];
  for (let at = host; at === host || (at.level >= 1 && at.accelerator !== 'tcg'); ) {
    if (!at.parent) return `level-${at.level} host ${at.name} has no parent guest in the plan`;
    if (at.accelerator !== 'kvm-hv') return `host ${at.name} runs ${at.accelerator} inside a guest, under KVM-HV host ${host.name}`;
    chain.push(at.parent);
    at = at.parent.runsOn;
  }
  return chain;
}

function nestedPlatform(guest: GuestPlan, host: HostPlan, trace: Trace, faults: FaultInjection, restoredLpcr?: Lpcr): PlatformResult {
  const chain = parentChain(host);
  if (typeof chain === 'string') return { kind: 'not-modelled', reason: chain };
  const registrations = chain.map(parentRegistration);
  const failed = registrations.find((r) => r.kind !== 'registered');
  if (failed) return { kind: 'not-modelled', reason: failed.reason };
  const l0 = chain[chain.length - 1].runsOn;
  if (l0.accelerator === 'kvm-pr') return { kind: 'not-modelled', reason: `L0 ${l0.name} runs KVM-PR, which cannot nest` };
  const l1 = registrations[registrations.length - 1];
  const level1Host = chain.length >= 2 ? chain[chain.length - 2].runsOn : host;
  const machine = new Machine(guest.vcpus, l0.accelerator === 'tcg' ? 'tcg' : 'hardware', faults);
  const hypervisor = new NestedHypervisor(machine, trace, {
    l0: { accelerator: l0.accelerator, rptInvalidate: l0.rptInvalidate },
    l1: {
      registeredGtse: l1.kind === 'registered' && l1.gtse,
      rptInvalidate: (level1Host.rptInvalidate || host.rptInvalidate) && guest.capRptInvalidate,
      firmwareRptInvalidate: chain[0].guest.capRptInvalidate,
    },
    reclaims: host.level === 1 && l0.accelerator === 'kvm-hv',
    l1Lpid: GUEST_LPID,
    l2LpidInL1: L2_LPID_IN_L1,
    shadowLpid: L2_SHADOW_LPID,
    restoredLpcr,
  });
  return { kind: 'platform', machine, hypervisor };
}

export function buildPlatform(guest: GuestPlan, host: HostPlan, trace: Trace, faults: FaultInjection, restoredLpcr?: Lpcr): PlatformResult {
  // Only a snapshot claiming KVM_CAP_PPC_MMU_RADIX gets here: KVM-PR reports 0 (`hv_enabled && radix_enabled()`), so CAS gives hash.
  if (host.accelerator === 'kvm-pr') return { kind: 'not-modelled', reason: `host ${host.name} runs KVM-PR, which has no radix guests, yet reports KVM_CAP_PPC_MMU_RADIX` };
  if (host.level >= 1 && host.accelerator === 'kvm-hv') return nestedPlatform(guest, host, trace, faults, restoredLpcr);
  const tcg = host.accelerator === 'tcg';
  const machine = new Machine(guest.vcpus, tcg ? 'tcg' : 'hardware', faults);
  const rptInvalidate = host.rptInvalidate && guest.capRptInvalidate;
  return { kind: 'platform', machine, hypervisor: new DirectHypervisor(machine, trace, { accelerator: tcg ? 'tcg' : 'kvm-hv', rptInvalidate, lpid: GUEST_LPID, restoredLpcr }) };
}
