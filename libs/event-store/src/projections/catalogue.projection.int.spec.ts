import fc from 'fast-check';
import { FleetEvent, InMemoryFleet } from '@spapr/domain';
import { fleetCommandSequence } from '@spapr/domain/testing/arbitraries';
import { FleetRecorder } from '@spapr/planner/recording/fleet-recorder';
import { FleetStore, openFleetStore } from '../fleet-store';

const now = () => '2026-11-25T00:00:00.000Z';

const dump = (store: FleetStore) => ({
  hosts: store.db.prepare('SELECT * FROM catalogue_hosts ORDER BY host_id').all(),
  guests: store.db.prepare('SELECT * FROM catalogue_guests ORDER BY guest_id').all(),
  checkpoint: store.projections.checkpoint('catalogue'),
});

describe('When random valid command sequences are recorded one by one', () => {
  it('rebuild from scratch gives exactly the incremental state, which is the fold of the log', () => {
    fc.assert(
      fc.property(fleetCommandSequence(), (commands) => {
        const store = openFleetStore(':memory:');
        const recorder = new FleetRecorder(store);
        for (const c of commands) recorder.record([{ type: c.type, document: c.data }], { actor: 'prop', now });
        const incremental = dump(store);
        const fold = InMemoryFleet.of([...store.events.readAll()].map((s) => ({ event: s.event as FleetEvent, position: s.position })));
        expect(incremental.hosts.map((h) => JSON.parse((h as { state: string }).state))).toEqual([...fold.hosts.values()].sort((a, b) => a.hostId.localeCompare(b.hostId)));
        expect(incremental.guests.map((g) => JSON.parse((g as { state: string }).state))).toEqual([...fold.guests.values()].sort((a, b) => a.guestId.localeCompare(b.guestId)));
        store.projections.rebuild();
        expect(dump(store)).toEqual(incremental);
        store.close();
      }),
      { numRuns: 150 },
    );
  });

  it('a batch recorded in one transaction equals the same commands recorded one by one', () => {
    fc.assert(
      fc.property(fleetCommandSequence(40), (commands) => {
        const single = openFleetStore(':memory:');
        const accepted = commands.filter((c) => new FleetRecorder(single).record([{ type: c.type, document: c.data }], { actor: 'p', now }).kind === 'recorded');
        const batch = openFleetStore(':memory:');
        const outcome = new FleetRecorder(batch).record(accepted.map((c) => ({ type: c.type, document: c.data })), { actor: 'p', now });
        expect(outcome.kind).toBe('recorded');
        expect(dump(batch)).toEqual(dump(single));
      }),
      { numRuns: 100 },
    );
  });
});
