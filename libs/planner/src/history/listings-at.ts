import type { GuestState, InMemoryFleet } from '@spapr/domain';
import type { HostListing } from '@spapr/event-store';

const byId = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** `hosts` of a folded fleet (as of the past), in the catalogue listing's order: by level, then ID. */
export const hostListingsOf = (fleet: InMemoryFleet): HostListing[] => {
  const running = new Map<string, number>();
  for (const g of fleet.guests.values()) if (g.status === 'running') running.set(g.hostId, (running.get(g.hostId) ?? 0) + 1);
  return [...fleet.hosts.values()]
    .sort((a, b) => a.snapshot.level - b.snapshot.level || byId(a.hostId, b.hostId))
    .map((host) => ({ host, runningGuests: running.get(host.hostId) ?? 0 }));
};

/** `guests` of a folded fleet, in the catalogue listing's order: by ID. */
export const guestListingsOf = (fleet: InMemoryFleet): GuestState[] => [...fleet.guests.values()].sort((a, b) => byId(a.guestId, b.guestId));
