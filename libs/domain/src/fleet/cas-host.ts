import type { CasHost, NestedParentFacts } from '../cas/negotiate';
import type { FleetView } from './fleet-view';
import type { HostState } from './host.state';

/**
 * The parent guest P of a level ≥ 1 host, from P's events, never from the snapshot (SPEC §2.1): the GTSE P
 * registered (its negotiated GTSE: Linux sets PROC_TABLE_GTSE iff MMU_FTR_GTSE), the nested API (v2 iff P
 * runs cap-nested-papr=on), and the host P runs on (L0 for a level-1 host).
 */
export const nestedParentOf = (view: FleetView, host: HostState): NestedParentFacts | undefined => {
  const parentId = host.snapshot.parentGuestId;
  const parent = parentId ? view.guest(parentId) : undefined;
  const contract = parent?.contract;
  const l0 = parent ? view.host(parent.hostId) : undefined;
  if (!parent || !contract || !l0) return undefined;
  return {
    guestId: parent.guestId,
    gtse: contract.gtse,
    nestedApi: (contract.effectiveCaps['nested-papr'] ?? 0) === 1 ? 'v2' : 'v1',
    l0Accelerator: l0.snapshot.accelerator,
    l0RptInvalidate: (l0.snapshot.kvm?.caps.KVM_CAP_PPC_RPT_INVALIDATE ?? 0) === 1,
    l0HostId: l0.hostId,
    l0Kernel: l0.snapshot.kernel?.release ?? null,
    compatMode: contract.compatMode,
  };
};

/** A host as the CAS model reads it: its latest snapshot plus, when nested, its parent's facts. */
export const casHostOf = (view: FleetView, host: HostState): CasHost => {
  const parent = nestedParentOf(view, host);
  return parent ? { ...host.snapshot, parent } : host.snapshot;
};
