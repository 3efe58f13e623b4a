import type { CasHost, NestedParentFacts } from '../cas/negotiate';
import type { FleetView } from './fleet-view';
import type { GuestState } from './guest.state';
import type { HostState } from './host.state';
import { stackBelow } from './host-stack';

const nestedApiOf = (guest: GuestState): 'v1' | 'v2' => ((guest.contract?.effectiveCaps['nested-papr'] ?? 0) === 1 ? 'v2' : 'v1');

/**
 * The guest a KVM-HV host runs in, and down the chain the guest L0 runs directly with the host below it. Every
 * nested guest, at any depth, is finally entered by L0: a KVM-HV hypervisor inside a guest runs its own nested
 * guests with H_ENTER_NESTED to its hypervisor (`kvmhv_vcpu_entry_p9_nested`, book3s_hv.c), and so on down to
 * the level-1 guest's KVM, whose H_ENTER_NESTED reaches L0. L0 is bare metal, or the first host down the chain
 * that does not run KVM-HV (QEMU TCG emulating its guests, `h_enter_nested` in QEMU).
 */
const chainToL0 = (view: FleetView, host: HostState): { readonly l1: GuestState; readonly l0: HostState } | undefined => {
  for (const { guest, host: below } of stackBelow(view, host)) {
    if (!guest || !below) return undefined;
    if (below.snapshot.level === 0 || below.snapshot.accelerator !== 'kvm-hv') return { l1: guest, l0: below };
  }
  return undefined;
};

/**
 * The parent guest P of a level ≥ 1 host, from the guests' events, never from the snapshot (SPEC §2.1): P's own
 * nested API (v2 iff P runs cap-nested-papr=on) and compat mode; and the level-1 guest L0 runs directly (P itself
 * for a level-1 host) with the GTSE it registered (its negotiated GTSE: Linux sets PROC_TABLE_GTSE iff
 * MMU_FTR_GTSE), which a Linux KVM-HV L0 keeps for every nested guest below it (`load_l2_hv_regs` takes it from
 * `vc->lpcr`, the vcore of the guest running on L0); L0's own facts decide who handles an H_RPT_INVALIDATE.
 */
export const nestedParentOf = (view: FleetView, host: HostState): NestedParentFacts | undefined => {
  const parent = host.snapshot.parentGuestId ? view.guest(host.snapshot.parentGuestId) : undefined;
  const chain = parent?.contract ? chainToL0(view, host) : undefined;
  const l1 = chain?.l1;
  if (!parent?.contract || !chain || !l1?.contract) return undefined;
  const l0 = chain.l0;
  return {
    guestId: parent.guestId,
    nestedApi: nestedApiOf(parent),
    compatMode: parent.contract.compatMode,
    l1: { guestId: l1.guestId, gtse: l1.contract.gtse, nestedApi: nestedApiOf(l1) },
    l0Accelerator: l0.snapshot.accelerator,
    l0RptInvalidate: (l0.snapshot.kvm?.caps.KVM_CAP_PPC_RPT_INVALIDATE ?? 0) === 1,
    l0HostId: l0.hostId,
    l0Kernel: l0.snapshot.kernel?.release ?? null,
  };
};

/** A host as the CAS model reads it: its latest snapshot plus, when nested, its parent's facts. */
export const casHostOf = (view: FleetView, host: HostState): CasHost => {
  const parent = nestedParentOf(view, host);
  return parent ? { ...host.snapshot, parent } : host.snapshot;
};
