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
import { guestPlanOf, OptionRefusal } from './guest-plan';
import { FleetAt, hostPlanOf } from './host-plan';

export type BootPlan = Extract<Plan, { readonly kind: 'boot' }>;
export type MigrationPlan = Extract<Plan, { readonly kind: 'migrate' }>;

/**
 * A plan, or the QEMU refusal of the guest's options that ends it before anything the simulation models:
 * at the boot, or (a destination QEMU that cannot start with them) at the migration.
 */
export type Planned<P extends Plan> =
  | { readonly kind: 'plan'; readonly plan: P }
  | { readonly kind: 'refused'; readonly at: 'boot' | 'migration'; readonly refusal: OptionRefusal };

/** The seed scenario's workload: long enough for every thread to flush globally more than once. */
export const DEFAULT_WORKLOAD: WorkloadPlan = { seed: 1, steps: 200 };

/** The name a guest spec without a `guestId` runs under. */
const UNNAMED_GUEST = 'guest';

/**
 * `simulate --guest-spec FILE --host H`: configuration `spec` boots on `hostId` and runs its workload.
 * `fleetAt(position)`: the fleet as of an earlier event position, where a nested host's parent guest booted.
 */
export const bootPlanOf = (
  view: FleetView,
  hostId: string,
  spec: GuestSpec & { readonly guestId?: string },
  workload: WorkloadPlan = DEFAULT_WORKLOAD,
  fleetAt: FleetAt = () => view,
): Result<Planned<BootPlan>, FieldError[]> => {
  const host = usableHost(view, hostId, 'host');
  if (isFieldError(host)) return err([host]);
  const guest = guestPlanOf(spec.guestId ?? UNNAMED_GUEST, hostId, host.snapshot, spec);
  if (!guest.ok) return ok({ kind: 'refused', at: 'boot', refusal: guest.error });
  return ok({ kind: 'plan', plan: { kind: 'boot', guest: guest.value, host: hostPlanOf(view, host, fleetAt), workload } });
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
  fleetAt: FleetAt = () => view,
): Result<Planned<MigrationPlan>, FieldError[]> => {
  const running = runningGuest(view, guestId, 'migrates');
  if (isFieldError(running)) return err([{ ...running, field: 'guest' }]);
  if (running.hostId === toHostId) return err([fieldError('to', `is guest ${guestId}'s current host`)]);
  const to = usableHost(view, toHostId, 'to');
  if (isFieldError(to)) return err([to]);
  const bootView = fleetAt(running.bootPosition);
  const booted = bootView.guest(guestId);
  const from = booted ? bootView.host(booted.hostId) : undefined;
  if (!booted || !from) return err([fieldError('guest', `has no recorded boot on a known host`)]);
  const guest = guestPlanOf(guestId, from.hostId, from.snapshot, booted.configuration);
  if (!guest.ok) return ok({ kind: 'refused', at: 'boot', refusal: guest.error });
  // The destination QEMU starts with the guest's options (SPEC §2.3); the simulation runs the guest as booted.
  const destination = guestPlanOf(guestId, toHostId, to.snapshot, running.configuration);
  if (!destination.ok) return ok({ kind: 'refused', at: 'migration', refusal: destination.error });
  return ok({ kind: 'plan', plan: { kind: 'migrate', guest: guest.value, from: hostPlanOf(bootView, from, fleetAt), to: hostPlanOf(view, to, fleetAt), workload } });
};
