import type { SpaprCapLevels } from '../caps/spapr-caps';
import type { GuestBoot, GuestKernel } from '../input/guest-boot.schema';
import type { HostSnapshot } from '../input/host-snapshot.schema';
import type { BootRecord } from './recorded-contract';

/** SPEC §3: past-tense facts, plain JSON (ISO strings, no classes) so the hash chain hashes one canonical form. */
export type HostSnapshotRecorded = { type: 'HostSnapshotRecorded'; data: HostSnapshot };
export type HostRetired = { type: 'HostRetired'; data: { hostId: string; at: string } };
/** A boot with the contract CAS gave it (SPEC §3): predicted by the model, or decoded from the observed ov5. */
export type GuestBooted = { type: 'GuestBooted'; data: GuestBoot & { cas: BootRecord } };
/** The contract is kept; the caps become the destination QEMU's effective caps, the basis of the next migration. */
export type GuestMigrated = {
  type: 'GuestMigrated';
  data: { guestId: string; fromHostId: string; toHostId: string; at: string; machine?: string; cpu?: string; effectiveCaps: SpaprCapLevels | null };
};
/** CAS ran again on the current host. */
export type GuestRebooted = {
  type: 'GuestRebooted';
  data: { guestId: string; hostId: string; at: string; machine?: string; kernel?: GuestKernel; cas: BootRecord };
};
export type GuestStopped = { type: 'GuestStopped'; data: { guestId: string; hostId: string; at: string } };

export type HostEvent = HostSnapshotRecorded | HostRetired;
export type GuestEvent = GuestBooted | GuestMigrated | GuestRebooted | GuestStopped;
export type FleetEvent = HostEvent | GuestEvent;
export type FleetEventType = FleetEvent['type'];

const HOST_EVENT_TYPES: ReadonlySet<string> = new Set<HostEvent['type']>(['HostSnapshotRecorded', 'HostRetired']);
const FLEET_EVENT_TYPES: ReadonlySet<string> = new Set<FleetEventType>(['HostSnapshotRecorded', 'HostRetired', 'GuestBooted', 'GuestMigrated', 'GuestRebooted', 'GuestStopped']);

/** The log also holds the planner's own events (AuditCompleted); the catalogue folds only facts about the fleet. */
export const isFleetEvent = (e: { type: string }): e is FleetEvent => FLEET_EVENT_TYPES.has(e.type);

/** SPEC §3: an audit's summary, on the `audit` stream; scheduled audits and the CLI record one each. */
export type AuditCompleted = {
  type: 'AuditCompleted';
  data: { at: string; auditedPosition: number; verdict: string; guests: number; hosts: number; classes: number; errors: number; warnings: number; stranded: number; strandedGuests: string[] };
};

export const isHostEvent = (e: FleetEvent): e is HostEvent => HOST_EVENT_TYPES.has(e.type);
