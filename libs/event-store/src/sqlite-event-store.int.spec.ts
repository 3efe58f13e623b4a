import { FleetRecorder } from '@spapr/planner/recording/fleet-recorder';
import { aBoot, aHost } from '@spapr/domain/testing/fleet-fixtures';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openFleetStore } from './fleet-store';
import { applyMigrations } from './migrate';
import { openDatabase } from './open-database';
import { SqliteEventStore } from './sqlite-event-store';
import { StreamVersionConflictError } from './stream-version-conflict.error';
import { verifyChain } from './verify';

const now = () => '2026-11-25T00:00:00.000Z';
const tempDb = () => join(mkdtempSync(join(tmpdir(), 'spapr-store-')), 'planner.db');

describe('When the store file is opened', () => {
  it('applies every migration once, and nothing on a second start', () => {
    const path = tempDb();
    const db = openDatabase(path);
    const versions = db.prepare('SELECT version FROM schema_migrations ORDER BY version').pluck().all();
    expect(versions).toEqual([1, 2, 3, 4, 5, 6]);
    expect(applyMigrations(db)).toEqual([]);
    db.close();
    const again = openDatabase(path);
    expect(again.prepare('SELECT count(*) FROM schema_migrations').pluck().get()).toBe(6);
    again.close();
  });

  it('runs in WAL mode with synchronous=FULL', () => {
    const db = openDatabase(tempDb());
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    db.close();
  });
});

describe('When an event is stored', () => {
  const withEvent = () => {
    const store = openFleetStore(':memory:');
    new FleetRecorder(store).record([{ type: 'RecordHostSnapshot', document: aHost() }], { actor: 'test', now });
    return store;
  };

  it('refuses UPDATE in the database itself', () => {
    const { db } = withEvent();
    expect(() => db.prepare("UPDATE events SET type = 'X'").run()).toThrow(/append-only: UPDATE refused/);
  });

  it('refuses DELETE in the database itself', () => {
    const { db } = withEvent();
    expect(() => db.prepare('DELETE FROM events').run()).toThrow(/append-only: DELETE refused/);
  });

  it('chains it to the genesis hash and verifies', () => {
    const { db } = withEvent();
    expect(verifyChain(db)).toEqual(expect.objectContaining({ ok: true, events: 1, headPosition: 1 }));
  });

  it('reports the stream moved on as a conflict, never appending', () => {
    const { events } = withEvent();
    const stale = { streamId: 'host-p9-a', expectedVersion: 0, event: { type: 'HostRetired', data: { hostId: 'p9-a', at: now() } } };
    expect(() => events.transact(({ append }) => append(stale, { commandId: 'c', command: 'RetireHost', actor: 't' }, now()))).toThrow(StreamVersionConflictError);
    expect(events.head().position).toBe(1);
  });
});

describe('When two writers share one file', () => {
  it('returns a conflict to the one that decided on a stale version', () => {
    const path = tempDb();
    const a = openFleetStore(path);
    const b = openFleetStore(path);
    new FleetRecorder(a).record([{ type: 'RecordHostSnapshot', document: aHost() }], { actor: 'a', now });
    const seenByA = a.events.currentVersion('host-p9-a');
    new FleetRecorder(b).record([{ type: 'RecordHostSnapshot', document: aHost({ observedAt: '2026-11-24T11:00:00Z' }) }], { actor: 'b', now });
    const outcome = new FleetRecorder(a).record([{ type: 'RetireHost', document: { hostId: 'p9-a', at: '2026-11-24T12:00:00Z' } }], { actor: 'a', now, expectedVersion: seenByA });
    expect(outcome).toEqual({ kind: 'conflict', index: 0, streamId: 'host-p9-a', expectedVersion: 1, actualVersion: 2 });
    expect(new SqliteEventStore(a.db).head().position).toBe(2);
    a.close();
    b.close();
  });
});

describe('When a command carries an idempotency key', () => {
  it('records it once and returns the original result on repeat', () => {
    const store = openFleetStore(':memory:');
    const recorder = new FleetRecorder(store);
    const doc = { type: 'RecordHostSnapshot' as const, document: { ...aHost(), idempotencyKey: 'snap-1' } };
    const first = recorder.record([doc], { actor: 't', now });
    const second = recorder.record([doc], { actor: 't', now });
    expect(first).toEqual(expect.objectContaining({ kind: 'recorded', replayed: 0 }));
    expect(second).toEqual(expect.objectContaining({ kind: 'recorded', replayed: 1, events: first.kind === 'recorded' ? first.events : [] }));
    expect(store.events.head().position).toBe(1);
  });

  it('refuses the same key for a different command, writing nothing', () => {
    const store = openFleetStore(':memory:');
    const recorder = new FleetRecorder(store);
    recorder.record([{ type: 'RecordHostSnapshot', document: { ...aHost(), idempotencyKey: 'k' } }], { actor: 't', now });
    const outcome = recorder.record([{ type: 'RecordHostSnapshot', document: { ...aHost({ hostId: 'other' }), idempotencyKey: 'k' } }], { actor: 't', now });
    expect(outcome).toEqual({ kind: 'rejected', index: 0, errors: [{ field: 'idempotencyKey', reason: 'was already used for a different command' }] });
    expect(store.events.head().position).toBe(1);
  });
});

describe('When a batch has one refused command', () => {
  it('writes nothing and names the command and the field', () => {
    const store = openFleetStore(':memory:');
    const outcome = new FleetRecorder(store).record(
      [
        { type: 'RecordHostSnapshot', document: aHost() },
        { type: 'RecordGuestBoot', document: aBoot() },
        { type: 'RecordGuestBoot', document: aBoot({ guestId: 'vm-2', hostId: 'nowhere' }) },
      ],
      { actor: 't', now },
    );
    expect(outcome).toEqual({ kind: 'rejected', index: 2, errors: [expect.objectContaining({ field: 'hostId' })] });
    expect(store.events.head().position).toBe(0);
    expect(store.db.prepare('SELECT count(*) FROM catalogue_hosts').pluck().get()).toBe(0);
    expect(store.catalogue.host('p9-a')).toBeUndefined();
  });
});
