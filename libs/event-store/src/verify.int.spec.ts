import fc from 'fast-check';
import { fleetCommandSequence } from '@spapr/domain/testing/arbitraries';
import { FleetRecorder } from '@spapr/planner/recording/fleet-recorder';
import { openFleetStore } from './fleet-store';
import { verifyChain } from './verify';

const now = () => '2026-11-25T00:00:00.000Z';
const COLUMNS = ['stream_id', 'stream_version', 'type', 'data', 'metadata', 'recorded_at', 'hash'] as const;

/** A store with at least one event, and its triggers dropped: the attacker the hash chain is for. */
const tamperableStore = (commands: Parameters<FleetRecorder['record']>[0]) => {
  const store = openFleetStore(':memory:');
  const recorder = new FleetRecorder(store);
  for (const c of commands) recorder.record([c], { actor: 'prop', now });
  store.db.exec('DROP TRIGGER events_refuse_update; DROP TRIGGER events_refuse_delete;');
  return store;
};

const history = fleetCommandSequence(30).map((cs) => cs.map((c) => ({ type: c.type, document: c.data })));

describe('When one stored byte is edited', () => {
  it('verify names exactly that position', () => {
    fc.assert(
      fc.property(history, fc.nat(), fc.constantFrom(...COLUMNS), fc.nat(), fc.integer({ min: 1, max: 255 }), (commands, rowPick, column, bytePick, delta) => {
        const store = tamperableStore(commands);
        const head = store.events.head().position;
        fc.pre(head > 0);
        const position = 1 + (rowPick % head);
        const original = store.db.prepare(`SELECT CAST(${column} AS BLOB) FROM events WHERE position = ?`).pluck().get(position) as Buffer;
        const edited = Buffer.from(original);
        const at = bytePick % edited.length;
        edited[at] = (edited[at] + delta) % 256;
        const asText = column === 'stream_version' ? Number(edited.toString('latin1')) : edited.toString('latin1');
        fc.pre(column !== 'stream_version' || (Number.isInteger(asText) && asText !== Number(original.toString())));
        try {
          store.db.prepare(`UPDATE events SET ${column} = ? WHERE position = ?`).run(asText, position);
        } catch (e) {
          // An edit that would give a stream two events of one version is refused by UNIQUE: not a possible edit.
          fc.pre(!/UNIQUE constraint failed/.test((e as Error).message));
          throw e;
        }
        const result = verifyChain(store.db);
        expect(result).toEqual(expect.objectContaining({ ok: false, position }));
      }),
      { numRuns: 300 },
    );
  });
});

describe('When a stored event is removed', () => {
  it('verify names the missing position, also when it was the newest', () => {
    fc.assert(
      fc.property(history, fc.nat(), (commands, rowPick) => {
        const store = tamperableStore(commands);
        const head = store.events.head().position;
        fc.pre(head > 0);
        const position = 1 + (rowPick % head);
        store.db.prepare('DELETE FROM events WHERE position = ?').run(position);
        expect(verifyChain(store.db)).toEqual(expect.objectContaining({ ok: false, position, problem: 'missing' }));
      }),
      { numRuns: 200 },
    );
  });
});
