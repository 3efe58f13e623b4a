/**
 * From the fleet to a simulation plan (SPEC §1 item 8, "Validate"): a boot of a guest configuration on a
 * host, or a live migration of a running guest from its host to another, with the hosts and the guest read
 * from the recorded facts. Pure: no Nest, no store.
 */
import type { GuestSpec } from '@spapr/domain/caps/host-facts';
import { FieldError, fieldError } from '@spapr/domain/field-error';
import type { FleetView } from '@spapr/domain/fleet/fleet-view';
import { isFieldError, runningGuest, usableHost } from '@spapr/domain/fleet/fleet-lookups';
import { err, ok, Result } from '@spapr/domain/result';
import type { Plan, WorkloadPlan } from '@spapr/simulation';
import { guestPlanOf } from './guest-plan';
import { hostPlanOf } from './host-plan';

export type BootPlan = Extract<Plan, { readonly kind: 'boot' }>;
export type MigrationPlan = Extract<Plan, { readonly kind: 'migrate' }>;

/** The seed scenario's workload: long enough for every thread to flush globally more than once. */
export const DEFAULT_WORKLOAD: WorkloadPlan = { seed: 1, steps: 200 };

/** The name a guest spec without a `guestId` runs under. */
const UNNAMED_GUEST = 'guest';

/** `simulate --guest-spec FILE --host H`: configuration `spec` boots on `hostId` and runs its workload. */
export const bootPlanOf = (view: FleetView, hostId: string, spec: GuestSpec & { readonly guestId?: string }, workload: WorkloadPlan = DEFAULT_WORKLOAD): Result<BootPlan, FieldError[]> => {
  const host = usableHost(view, hostId, 'host');
  if (isFieldError(host)) return err([host]);
  const guest = guestPlanOf(spec.guestId ?? UNNAMED_GUEST, host.snapshot, spec);
  if (!guest.ok) return guest;
  return ok({ kind: 'boot', guest: guest.value, host: hostPlanOf(view, host), workload });
};

/**
 * `simulate --guest G --to H`: running guest G boots where and as it last booted (CAS ran then), read from
 * `fleetAt(its boot position)`, the fleet as of that boot; runs half its workload; migrates to `toHostId`
 * as that host is in `view`; and runs the rest. Recorded moves in between keep the contract and the LPCR
 * (SPEC §2.3), so the replay goes straight from the boot host to the destination.
 */
export const migrationPlanOf = (
  view: FleetView,
  guestId: string,
  toHostId: string,
  workload: WorkloadPlan = DEFAULT_WORKLOAD,
  fleetAt: (position: number) => FleetView = () => view,
): Result<MigrationPlan, FieldError[]> => {
  const guest = runningGuest(view, guestId, 'migrates');
  if (isFieldError(guest)) return err([{ ...guest, field: 'guest' }]);
  if (guest.hostId === toHostId) return err([fieldError('to', `is guest ${guestId}'s current host`)]);
  const to = usableHost(view, toHostId, 'to');
  if (isFieldError(to)) return err([to]);
  const bootView = fleetAt(guest.bootPosition);
  const booted = bootView.guest(guestId);
  const from = booted ? bootView.host(booted.hostId) : undefined;
  if (!booted || !from) return err([fieldError('guest', `has no recorded boot on a known host`)]);
  const plan = guestPlanOf(guestId, from.snapshot, booted.configuration);
  if (!plan.ok) return plan;
  return ok({ kind: 'migrate', guest: plan.value, from: hostPlanOf(bootView, from), to: hostPlanOf(view, to), workload });
};
