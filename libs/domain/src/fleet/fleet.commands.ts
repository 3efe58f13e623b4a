import type { GuestBoot } from '../input/guest-boot.schema';
import type { GuestMigration, GuestReboot, GuestStop, RetireHostInput } from '../input/guest-lifecycle.schema';
import type { HostSnapshot } from '../input/host-snapshot.schema';

/** SPEC §2: the commands that record facts about the fleet. Imperative names; each writes one stream. */
export type FleetCommand =
  | { type: 'RecordHostSnapshot'; data: HostSnapshot }
  | { type: 'RecordGuestBoot'; data: GuestBoot }
  | { type: 'RecordGuestMigration'; data: GuestMigration }
  | { type: 'RecordGuestReboot'; data: GuestReboot }
  | { type: 'RecordGuestStop'; data: GuestStop }
  | { type: 'RetireHost'; data: RetireHostInput };

export type FleetCommandType = FleetCommand['type'];

export const FLEET_COMMAND_TYPES: readonly FleetCommandType[] = [
  'RecordHostSnapshot',
  'RecordGuestBoot',
  'RecordGuestMigration',
  'RecordGuestReboot',
  'RecordGuestStop',
  'RetireHost',
];
