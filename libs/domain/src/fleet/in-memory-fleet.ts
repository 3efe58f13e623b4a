import { FleetEvent, isHostEvent } from './fleet.events';
import type { FleetView } from './fleet-view';
import { evolveGuest, GuestState } from './guest.state';
import { evolveHost, HostState } from './host.state';

/** The catalogue as a plain fold over events: the reference the SQLite projection is tested against, and what-if's copy. */
export class InMemoryFleet implements FleetView {
  readonly hosts = new Map<string, HostState>();
  readonly guests = new Map<string, GuestState>();

  static of(events: Iterable<FleetEvent>): InMemoryFleet {
    const fleet = new InMemoryFleet();
    for (const e of events) fleet.apply(e);
    return fleet;
  }

  apply(event: FleetEvent): void {
    if (isHostEvent(event)) this.hosts.set(event.data.hostId, evolveHost(this.hosts.get(event.data.hostId), event));
    else this.guests.set(event.data.guestId, evolveGuest(this.guests.get(event.data.guestId), event));
  }

  host(hostId: string): HostState | undefined {
    return this.hosts.get(hostId);
  }

  guest(guestId: string): GuestState | undefined {
    return this.guests.get(guestId);
  }

  runningGuestsOn(hostId: string): string[] {
    return [...this.guests.values()].filter((g) => g.status === 'running' && g.hostId === hostId).map((g) => g.guestId).sort();
  }
}
