import { FleetEvent, isFleetEvent, isHostEvent } from './fleet.events';
import type { FleetView } from './fleet-view';
import { evolveGuest, GuestState } from './guest.state';
import { evolveHost, HostState } from './host.state';

/** The catalogue as a plain fold over events: the reference the SQLite projection is tested against, and what-if's copy. */
export class InMemoryFleet implements FleetView {
  readonly hosts = new Map<string, HostState>();
  readonly guests = new Map<string, GuestState>();
  /** The position of the last event applied. */
  position = 0;

  /** Folds events in order; positions are 1, 2, … unless the stored ones are given. */
  static of(events: Iterable<FleetEvent | { event: FleetEvent; position: number }>): InMemoryFleet {
    const fleet = new InMemoryFleet();
    for (const e of events) {
      if ('position' in e) fleet.apply(e.event, e.position);
      else fleet.apply(e);
    }
    return fleet;
  }

  apply(event: FleetEvent | { type: string }, position: number = this.position + 1): void {
    this.position = position;
    if (!isFleetEvent(event)) return;
    if (isHostEvent(event)) this.hosts.set(event.data.hostId, evolveHost(this.hosts.get(event.data.hostId), event, position));
    else this.guests.set(event.data.guestId, evolveGuest(this.guests.get(event.data.guestId), event, position));
  }

  host(hostId: string): HostState | undefined {
    return this.hosts.get(hostId);
  }

  guest(guestId: string): GuestState | undefined {
    return this.guests.get(guestId);
  }

  l1HostIn(guestId: string): HostState | undefined {
    return [...this.hosts.values()].find((h) => h.snapshot.parentGuestId === guestId && !h.retiredAt);
  }

  runningGuestsOn(hostId: string): string[] {
    return [...this.guests.values()].filter((g) => g.status === 'running' && g.hostId === hostId).map((g) => g.guestId).sort();
  }
}
