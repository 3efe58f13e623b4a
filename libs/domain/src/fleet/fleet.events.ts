import type { GuestBoot, GuestKernel } from '../input/guest-boot.schema';
import type { HostSnapshot } from '../input/host-snapshot.schema';

/** SPEC §3: past-tense facts, plain JSON (ISO strings, no classes) so the hash chain hashes one canonical form. */
export type HostSnapshotRecorded = { type: 'HostSnapshotRecorded'; data: HostSnapshot };
export type HostRetired = { type: 'HostRetired'; data: { hostId: string; at: string } };
export type GuestBooted = { type: 'GuestBooted'; data: GuestBoot };
export type GuestMigrated = {
  type: 'GuestMigrated';
  data: { guestId: string; fromHostId: string; toHostId: string; at: string; machine?: string; cpu?: string };
};
export type GuestRebooted = {
  type: 'GuestRebooted';
  data: { guestId: string; hostId: string; at: string; machine?: string; kernel?: GuestKernel };
};
export type GuestStopped = { type: 'GuestStopped'; data: { guestId: string; hostId: string; at: string } };

export type HostEvent = HostSnapshotRecorded | HostRetired;
export type GuestEvent = GuestBooted | GuestMigrated | GuestRebooted | GuestStopped;
export type FleetEvent = HostEvent | GuestEvent;
export type FleetEventType = FleetEvent['type'];

const HOST_EVENT_TYPES: ReadonlySet<string> = new Set<HostEvent['type']>(['HostSnapshotRecorded', 'HostRetired']);

export const isHostEvent = (e: FleetEvent): e is HostEvent => HOST_EVENT_TYPES.has(e.type);
