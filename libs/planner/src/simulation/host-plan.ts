/**
 * A host as the simulation runs it, read from its latest snapshot (SPEC §2.1) and, for a nested host, from
 * its parent guest's events: the same readings the rules use (`nestedParentOf`, `gtseOffered`), never a rule.
 */
import { gtseOffered } from '@spapr/domain/cas/negotiate';
import { kvmCap } from '@spapr/domain/caps/host-facts';
import { nestedParentOf } from '@spapr/domain/fleet/cas-host';
import type { FleetView } from '@spapr/domain/fleet/fleet-view';
import type { HostState } from '@spapr/domain/fleet/host.state';
import type { HostPlan, NestedParentPlan } from '@spapr/simulation';

/**
 * The parent guest P of a level ≥ 1 host: the GTSE it registered (its negotiated GTSE), whether its own QEMU
 * gave it H_RPT_INVALIDATE (its effective cap-rpt-invalidate), and the host it runs on. Undefined where the
 * simulation has no model for it (the nested API v2, a KVM-PR parent host, a parent with no known contract):
 * the simulation then reports the host as not modelled.
 */
const parentPlanOf = (view: FleetView, host: HostState): NestedParentPlan | undefined => {
  const facts = nestedParentOf(view, host);
  const contract = host.snapshot.parentGuestId ? view.guest(host.snapshot.parentGuestId)?.contract : undefined;
  if (!facts || !contract || facts.nestedApi === 'v2' || facts.l0Accelerator === 'kvm-pr') return undefined;
  return {
    registeredGtse: facts.gtse,
    firmwareRptInvalidate: (contract.effectiveCaps['rpt-invalidate'] ?? 0) === 1,
    l0: { accelerator: facts.l0Accelerator, rptInvalidate: facts.l0RptInvalidate },
  };
};

export const hostPlanOf = (view: FleetView, host: HostState): HostPlan => {
  const snapshot = host.snapshot;
  const parent = snapshot.level >= 1 ? parentPlanOf(view, host) : undefined;
  return {
    name: host.hostId,
    level: snapshot.level,
    accelerator: snapshot.accelerator,
    mmuRadix: kvmCap(snapshot, 'KVM_CAP_PPC_MMU_RADIX') === 1,
    mmuHashV3: kvmCap(snapshot, 'KVM_CAP_PPC_MMU_HASH_V3') === 1,
    rptInvalidate: kvmCap(snapshot, 'KVM_CAP_PPC_RPT_INVALIDATE') === 1,
    // `qemu.gtseFromKvm` + KVM_CAP_PPC_GTSE (the unmerged 2022 proposal); otherwise always offered.
    gtseOffered: gtseOffered(snapshot),
    ...(parent ? { parent } : {}),
  };
};
