/**
 * A host as the simulation runs it, read from its latest snapshot (SPEC §2.1) and, for a nested host, from
 * its parent guest's events: the parent's boot as the raw inputs give it (its configuration, read through
 * `bootedGuestPlanOf`, on its boot host as that host was then), which the simulation boots itself to learn the
 * GTSE the parent registered. The rules' predicted contract for the parent is never read: only an *observed*
 * ov5, recorded from the real guest, is taken as the fact it is.
 */
import { gtseOffered } from '@spapr/domain/cas/negotiate';
import { kvmCap } from '@spapr/domain/caps/host-facts';
import type { FleetView } from '@spapr/domain/fleet/fleet-view';
import type { HostState } from '@spapr/domain/fleet/host.state';
import type { HostPlan, NestedParentPlan } from '@spapr/simulation';
import { bootedGuestPlanOf, nestedApiOf } from './guest-plan';

/** The fleet as of an event position (a boot's), for replaying that boot on its host as it was then. */
export type FleetAt = (position: number) => FleetView;

/**
 * Guest P as the hypervisor of a level ≥ 1 host (its parent) or of a guest booted inside it, or undefined where
 * the simulation has no model for it (the nested API v2, options its QEMU refuses, an unknown guest): the
 * simulation then reports the host as not modelled.
 */
export const parentPlanOf = (view: FleetView, parentId: string, fleetAt: FleetAt): NestedParentPlan | undefined => {
  const parent = view.guest(parentId);
  const runsOn = parent ? view.host(parent.hostId) : undefined;
  if (!parent || !runsOn) return undefined;
  const bootView = fleetAt(parent.bootPosition);
  const booted = bootView.guest(parentId);
  const bootHost = booted ? bootView.host(booted.hostId) : undefined;
  if (!booted || !bootHost || nestedApiOf(bootHost.snapshot, booted.configuration) === 'v2') return undefined;
  const guest = bootedGuestPlanOf(booted, bootHost.hostId, bootHost.snapshot);
  if (!guest.ok) return undefined;
  return { guest: guest.value, bootedOn: hostPlanOf(bootView, bootHost, fleetAt), runsOn: hostPlanOf(view, runsOn, fleetAt) };
};

export const hostPlanOf = (view: FleetView, host: HostState, fleetAt: FleetAt = () => view): HostPlan => {
  const snapshot = host.snapshot;
  const parent = snapshot.level >= 1 && snapshot.parentGuestId ? parentPlanOf(view, snapshot.parentGuestId, fleetAt) : undefined;
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
