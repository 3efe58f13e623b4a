/**
 * From the fleet to a simulation plan (SPEC §1 item 8, "Validate"): a boot of a guest configuration on a
 * host, or a live migration of a running guest from its host to another, with the hosts and the guest read
 * from the recorded facts. Pure: no Nest, no store.
 */
import { resolveGuestConfig } from '@spapr/domain/caps/guest-caps';
import type { GuestSpec, HostFacts } from '@spapr/domain/caps/host-facts';
import { FieldError, fieldError } from '@spapr/domain/field-error';
import type { FleetView } from '@spapr/domain/fleet/fleet-view';
import type { GuestState } from '@spapr/domain/fleet/guest.state';
import type { HostState } from '@spapr/domain/fleet/host.state';
import { CPU_MODELS } from '@spapr/domain/input/host-snapshot.schema';
import { isFieldError, runningGuest, usableHost } from '@spapr/domain/fleet/fleet-lookups';
import { err, ok, Result } from '@spapr/domain/result';
import type { Plan, WorkloadPlan } from '@spapr/simulation';
import { bootedGuestPlanOf, guestPlanOf, OptionRefusal } from './guest-plan';
import { FleetAt, hostPlanOf, parentPlanOf } from './host-plan';

export type BootPlan = Extract<Plan, { readonly kind: 'boot' }>;
export type MigrationPlan = Extract<Plan, { readonly kind: 'migrate' }>;
export type NestPlan = Extract<Plan, { readonly kind: 'nest' }>;

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
  const guest = bootedGuestPlanOf(booted, from.hostId, from.snapshot);
  if (!guest.ok) return ok({ kind: 'refused', at: 'boot', refusal: guest.error });
  // The destination QEMU starts with the guest's options (SPEC §2.3); the simulation runs the guest as booted.
  const destination = guestPlanOf(guestId, toHostId, to.snapshot, running.configuration);
  if (!destination.ok) return ok({ kind: 'refused', at: 'migration', refusal: destination.error });
  return ok({ kind: 'plan', plan: { kind: 'migrate', guest: guest.value, from: hostPlanOf(bootView, from, fleetAt), to: hostPlanOf(view, to, fleetAt), workload } });
};

/**
 * What the QEMU that guest P runs for its own guests parses their `-machine`/`-cpu` with (`resolveGuestConfig` reads
 * nothing else): KVM-HV on P's CPU as P's QEMU resolved it at P's boot (a migration keeps it), and the QEMU and RAM
 * page size of the host P runs on, since a derived L1 runs its host's QEMU (the planner's assumption, the rules'
 * too). No KVM cap: those the simulation derives from P's boot (kvm-hv-in-guest.ts). Undefined for a CPU no
 * KVM-HV host has.
 */
const optionHostIn = (booted: GuestState, bootedOn: HostState, runsOn: HostState): HostFacts | undefined => {
  const resolved = resolveGuestConfig(bootedOn.snapshot, booted.configuration);
  const model = resolved.ok ? CPU_MODELS.find((m) => m === resolved.config.cpu.facts.family) : undefined;
  if (!model) return undefined;
  const ramPageSizeKiB = runsOn.snapshot.kvm?.ramPageSizeKiB;
  return { level: runsOn.snapshot.level + 1, cpu: { model }, accelerator: 'kvm-hv', qemu: { version: runsOn.snapshot.qemu.version }, ...(ramPageSizeKiB ? { kvm: { caps: {}, nestedEnabled: false, ramPageSizeKiB } } : {}) };
};

/**
 * Configuration `spec` boots inside the KVM-HV of running guest `guestId`, which no snapshot records as a host (the L2
 * of `check nesting` on a derived L1): the simulation boots the guest as it last booted, derives the KVM-HV in it from
 * that boot, and boots `spec` there.
 */
export const nestingPlanOf = (
  view: FleetView,
  guestId: string,
  spec: GuestSpec & { readonly guestId?: string },
  workload: WorkloadPlan = DEFAULT_WORKLOAD,
  fleetAt: FleetAt = () => view,
): Result<Planned<NestPlan>, FieldError[]> => {
  const running = runningGuest(view, guestId, 'hosts guests');
  if (isFieldError(running)) return err([{ ...running, field: 'guest' }]);
  const runsOn = usableHost(view, running.hostId, 'guest');
  if (isFieldError(runsOn)) return err([runsOn]);
  const hypervisor = parentPlanOf(view, guestId, fleetAt);
  const bootView = fleetAt(running.bootPosition);
  const booted = bootView.guest(guestId);
  const bootedOn = booted ? bootView.host(booted.hostId) : undefined;
  const optionHost = booted && bootedOn ? optionHostIn(booted, bootedOn, runsOn) : undefined;
  if (!hypervisor || !optionHost) return err([fieldError('guest', `has no KVM-HV the simulation models (nested API v2, options its QEMU refuses, or a CPU no KVM-HV host has)`)]);
  const guest = guestPlanOf(spec.guestId ?? UNNAMED_GUEST, guestId, optionHost, spec);
  if (!guest.ok) return ok({ kind: 'refused', at: 'boot', refusal: guest.error });
  return ok({ kind: 'plan', plan: { kind: 'nest', guest: guest.value, hypervisor, workload } });
};
