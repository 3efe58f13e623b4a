import fc from 'fast-check';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FleetEvent, InMemoryFleet } from '@spapr/domain';
import { fleetCommandSequence } from '@spapr/domain/testing/arbitraries';
import { aBoot, aHost } from '@spapr/domain/testing/fleet-fixtures';
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

describe('When one transaction meets thousands of IDs the catalogue does not hold (an import of a new fleet)', () => {
  it('gives the catalogue that the same commands give in transactions too small to scan its keys', () => {
    const at = (i: number) => new Date(Date.parse('2026-11-24T10:00:00Z') + i * 1000).toISOString();
    const hosts = (from: number, to: number, t: number) => Array.from({ length: to - from }, (_, i) => ({ type: 'RecordHostSnapshot' as const, document: aHost({ hostId: `p9-${from + i}`, observedAt: at(t) }) }));
    const boots = (from: number, to: number, t: number, onHosts: number) => Array.from({ length: to - from }, (_, i) => ({ type: 'RecordGuestBoot' as const, document: aBoot({ guestId: `vm-${from + i}`, hostId: `p9-${(from + i) % onHosts}`, at: at(t) }) }));
    const stops = (from: number, to: number, t: number) => Array.from({ length: to - from }, (_, i) => ({ type: 'RecordGuestStop' as const, document: { guestId: `vm-${from + i}`, at: at(t) } }));
    const before = [...hosts(0, 40, 1), ...boots(0, 300, 2, 40)];
    // Stored hosts and guests met after the scan (re-snapshots, stops) as well as new ones (hosts 40-59, 1,700 guests).
    const big = [...hosts(40, 60, 3), ...boots(300, 2000, 4, 60), ...stops(0, 200, 5), ...stops(1000, 1100, 5), ...hosts(0, 40, 6)];
    const [scanned, small] = [openFleetStore(':memory:'), openFleetStore(':memory:')];
    for (const store of [scanned, small]) expect(new FleetRecorder(store).record(before, { actor: 'p', now }).kind).toBe('recorded');
    expect(new FleetRecorder(scanned).record(big, { actor: 'p', now }).kind).toBe('recorded');
    for (let i = 0; i < big.length; i += 100) expect(new FleetRecorder(small).record(big.slice(i, i + 100), { actor: 'p', now }).kind).toBe('recorded');
    const [a, b] = [dump(scanned), dump(small)];
    expect(a.guests).toHaveLength(2000);
    expect(a).toEqual(b);
  });
});

describe('When the catalogue lags behind the log', () => {
  it('opening the store catches it up from its checkpoint to exactly the rebuilt state', () => {
    const dir = mkdtempSync(join(tmpdir(), 'spapr-catch-up-'));
    try {
      fc.assert(
        fc.property(fleetCommandSequence(30), fc.nat(), (commands, cut) => {
          const file = join(dir, 'planner.db');
          const behind = join(dir, 'behind.db');
          rmSync(file, { force: true });
          const store = openFleetStore(file);
          const recorder = new FleetRecorder(store);
          const split = cut % (commands.length + 1);
          commands.slice(0, split).forEach((c) => recorder.record([{ type: c.type, document: c.data }], { actor: 'prop', now }));
          store.db.pragma('wal_checkpoint(TRUNCATE)');
          copyFileSync(file, behind);
          const splitHead = store.events.head().position;
          commands.slice(split).forEach((c) => recorder.record([{ type: c.type, document: c.data }], { actor: 'prop', now }));
          // The catalogue as it stood at the split, under a log that went on: a projection that fell behind.
          store.db.exec(`ATTACH '${behind}' AS behind;
            DELETE FROM catalogue_hosts; INSERT INTO catalogue_hosts SELECT * FROM behind.catalogue_hosts;
            DELETE FROM catalogue_guests; INSERT INTO catalogue_guests SELECT * FROM behind.catalogue_guests;
            DELETE FROM projection_checkpoints; INSERT INTO projection_checkpoints VALUES ('catalogue', ${splitHead});
            DETACH behind;`);
          store.close();
          const reopened = openFleetStore(file);
          const caughtUp = dump(reopened);
          reopened.projections.rebuild();
          expect(caughtUp).toEqual(dump(reopened));
          expect(caughtUp.checkpoint).toBe(reopened.events.head().position);
          reopened.close();
        }),
        { numRuns: 25 },
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('When the catalogue answers from the rows it has read', () => {
  const host = (hostId: string) => ({ type: 'RecordHostSnapshot' as const, document: aHost({ hostId }) });

  it('sees what another connection committed since, and decides on it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'spapr-known-'));
    const [ours, theirs] = [openFleetStore(join(dir, 'planner.db')), openFleetStore(join(dir, 'planner.db'))];
    new FleetRecorder(ours).record([host('p9-a'), host('p9-b'), { type: 'RecordGuestBoot', document: aBoot() }], { actor: 'test', now });
    expect(ours.catalogue.guest('vm-42')?.hostId).toBe('p9-a');
    new FleetRecorder(theirs).record([{ type: 'RecordGuestMigration', document: { guestId: 'vm-42', toHostId: 'p9-b', at: '2026-11-24T11:00:00Z' } }], { actor: 'test', now });
    expect(ours.catalogue.guest('vm-42')?.hostId).toBe('p9-b');
    expect(new FleetRecorder(ours).record([{ type: 'RecordGuestMigration', document: { guestId: 'vm-42', toHostId: 'p9-a', at: '2026-11-24T12:00:00Z' } }], { actor: 'test', now })).toEqual(
      expect.objectContaining({ kind: 'recorded', events: [expect.objectContaining({ streamVersion: 3 })] }),
    );
    [ours, theirs].forEach((s) => s.close());
    rmSync(dir, { recursive: true, force: true });
  });

  it('forgets what a transaction that failed after writing its rows had changed', () => {
    const store = openFleetStore(':memory:');
    new FleetRecorder(store).record([host('p9-a'), { type: 'RecordGuestBoot', document: aBoot() }], { actor: 'test', now });
    const stop = { type: 'GuestStopped', data: { guestId: 'vm-42', hostId: 'p9-a', at: '2026-11-24T11:00:00Z' } };
    const failing = () =>
      store.events.transact(({ append, writes }) => {
        const stored = append({ streamId: 'guest-vm-42', expectedVersion: 1, event: stop }, { commandId: 'c', command: 'RecordGuestStop', actor: 'test' }, now());
        store.projections.apply(stored);
        store.projections.flush(writes);
        throw new Error('the commit failed');
      });
    expect(failing).toThrow('the commit failed');
    store.projections.discard();
    expect(store.catalogue.guest('vm-42')?.status).toBe('running');
    store.close();
  });
});
