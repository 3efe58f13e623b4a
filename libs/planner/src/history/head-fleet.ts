import { FleetIndex, InMemoryFleet, isFleetEvent } from '@spapr/domain';
import { FleetStore, listGuests, listHosts } from '@spapr/event-store';

/**
 * The fleet at the store's head, kept in memory with its FleetIndex for a long-running process (the daemon):
 * loaded from the catalogue once, then advanced by the events appended since (by this process or any other
 * writer of the file). The index is rebuilt only after a fleet event (an AuditCompleted changes no answer), so
 * the first fleet-wide question after a change pays the build once and the questions after it answer warm.
 */
export class HeadFleet {
  private fleet: InMemoryFleet | null = null;
  private index: FleetIndex | null = null;

  constructor(private readonly store: FleetStore) {}

  current(): { readonly fleet: InMemoryFleet; readonly index: FleetIndex } {
    const head = this.store.events.head().position;
    if (!this.fleet || this.fleet.position > head) {
      this.fleet = this.load();
      this.index = null;
    }
    for (const stored of this.store.events.readAll(this.fleet.position, head)) {
      if (isFleetEvent(stored.event)) this.index = null;
      this.fleet.apply(stored.event, stored.position);
    }
    this.index ??= new FleetIndex(this.fleet, this.fleet.hosts.values(), this.fleet.guests.values());
    return { fleet: this.fleet, index: this.index };
  }

  /** The catalogue rows and their checkpoint, read in one transaction so they belong to the same position. */
  private load(): InMemoryFleet {
    return this.store.db.transaction(() => {
      const fleet = new InMemoryFleet();
      for (const { host } of listHosts(this.store.db)) fleet.hosts.set(host.hostId, host);
      for (const guest of listGuests(this.store.db)) fleet.guests.set(guest.guestId, guest);
      fleet.position = this.store.projections.checkpoint('catalogue');
      return fleet;
    })();
  }
}
