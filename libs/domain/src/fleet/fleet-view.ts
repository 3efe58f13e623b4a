import type { GuestState } from './guest.state';
import type { HostState } from './host.state';

/** What the decider may read of the fleet: the catalogue projection, in memory or in SQLite. */
export interface FleetView {
  host(hostId: string): HostState | undefined;
  guest(guestId: string): GuestState | undefined;
  runningGuestsOn(hostId: string): readonly string[];
  /** The recorded hypervisor host that runs inside guest `guestId` (its L1 snapshot), if any. */
  l1HostIn?(guestId: string): HostState | undefined;
}
