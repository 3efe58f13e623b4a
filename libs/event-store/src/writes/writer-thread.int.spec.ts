import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fleetCommandSequence } from '@spapr/domain/testing/arbitraries';
import { FleetRecorder } from '@spapr/planner/recording/fleet-recorder';
import { FleetStore, openFleetStore } from '../fleet-store';
import { verifyChain } from '../verify';
import { WriterThread, WriterThreadError } from './writer-thread';

const now = () => '2026-11-25T00:00:00.000Z';
const ON_THE_CONNECTION = Number.MAX_SAFE_INTEGER;

/** Everything a store holds but the command IDs (random per recording), and so the hashes that cover them. */
const dump = (store: FleetStore) => ({
  events: store.db.prepare('SELECT position, stream_id, stream_version, type, data, recorded_at FROM events ORDER BY position').all(),
  keys: store.db.prepare('SELECT key, command_hash, result, position FROM idempotency_keys ORDER BY key').all(),
  hosts: store.db.prepare('SELECT * FROM catalogue_hosts ORDER BY host_id').all(),
  guests: store.db.prepare('SELECT * FROM catalogue_guests ORDER BY guest_id').all(),
  checkpoint: store.projections.checkpoint('catalogue'),
});

describe('When a batch is written by the writer thread', () => {
  let dir: string;
  let runs = 0;
  const fresh = (writerThreadFrom: number) => openFleetStore(join(dir, `store-${runs++}.db`), { writerThreadFrom });
  const begin = jest.spyOn(WriterThread, 'start');
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'spapr-writer-'));
    begin.mockClear();
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('stores exactly what the store\'s own connection stores for the same batch, chain and catalogue included', () => {
    let batches = 0;
    fc.assert(
      fc.property(fleetCommandSequence(40, 1), (commands) => {
        const scratch = openFleetStore(':memory:');
        const accepted = commands.filter((c) => new FleetRecorder(scratch).record([{ type: c.type, document: c.data }], { actor: 'p', now }).kind === 'recorded');
        const batch = accepted.map((c) => ({ type: c.type, document: c.data }));
        if (batch.length > 0) batches++;
        const [threaded, own] = [fresh(1), fresh(ON_THE_CONNECTION)];
        const outcomes = [threaded, own].map((store) => new FleetRecorder(store).record(batch, { actor: 'p', now }));
        expect(outcomes[0]).toEqual(outcomes[1]);
        expect(dump(threaded)).toEqual(dump(own));
        expect(verifyChain(threaded.db)).toEqual(expect.objectContaining({ ok: true, events: accepted.length }));
        [scratch, threaded, own].forEach((s) => s.close());
      }),
      { numRuns: 25 },
    );
    // Every non-empty batch went through the thread (an empty one appends nothing and stays on the connection).
    expect(begin).toHaveBeenCalledTimes(batches);
    expect(batches).toBeGreaterThan(15);
  });

  it('writes nothing when a command of the batch is refused, and leaves the file writable', () => {
    const store = fresh(1);
    const host = { hostId: 'p9-a', observedAt: '2026-11-24T10:00:00Z', level: 0, parentGuestId: null, cpu: { model: 'POWER9' }, accelerator: 'tcg', kernel: { release: '6.1.0', cmdline: '' }, qemu: { version: '7.2.0' } };
    const boot = { guestId: 'vm-1', hostId: 'p9-nowhere', at: '2026-11-24T11:00:00Z', machine: 'pseries-7.2', cpu: 'POWER9', kernel: { release: '6.1.0', cmdline: '' } };
    const refused = new FleetRecorder(store).record([{ type: 'RecordHostSnapshot', document: host }, { type: 'RecordGuestBoot', document: boot }], { actor: 'p', now });
    expect(refused).toEqual(expect.objectContaining({ kind: 'rejected', index: 1 }));
    expect(dump(store)).toEqual({ events: [], keys: [], hosts: [], guests: [], checkpoint: 0 });
    expect(new FleetRecorder(store).record([{ type: 'RecordHostSnapshot', document: host }], { actor: 'p', now })).toEqual(expect.objectContaining({ kind: 'recorded', headPosition: 1 }));
    expect(begin).toHaveBeenCalledTimes(2);
    store.close();
  });

  it('refuses a batch with an invalid document while its thread begins, writes nothing, and leaves the file writable', () => {
    const store = fresh(1);
    const host = { hostId: 'p9-a', observedAt: '2026-11-24T10:00:00Z', level: 0, parentGuestId: null, cpu: { model: 'POWER9' }, accelerator: 'tcg', kernel: { release: '6.1.0', cmdline: '' }, qemu: { version: '7.2.0' } };
    const refused = new FleetRecorder(store).record([{ type: 'RecordHostSnapshot', document: host }, { type: 'RecordHostSnapshot', document: { ...host, level: 'zero' } }], { actor: 'p', now });
    expect(refused).toEqual(expect.objectContaining({ kind: 'rejected', index: 1, errors: [expect.objectContaining({ field: 'level' })] }));
    expect(begin).toHaveBeenCalledTimes(1);
    expect(dump(store)).toEqual({ events: [], keys: [], hosts: [], guests: [], checkpoint: 0 });
    expect(new FleetRecorder(store).record([{ type: 'RecordHostSnapshot', document: host }], { actor: 'p', now })).toEqual(expect.objectContaining({ kind: 'recorded', headPosition: 1 }));
    store.close();
  });

  it('remembers an idempotency key it saved earlier in the same batch, before anything is committed', () => {
    const store = fresh(1);
    const host = { hostId: 'p9-a', observedAt: '2026-11-24T10:00:00Z', level: 0, parentGuestId: null, cpu: { model: 'POWER9' }, accelerator: 'tcg', kernel: { release: '6.1.0', cmdline: '' }, qemu: { version: '7.2.0' } };
    const boot = { guestId: 'vm-1', hostId: 'p9-a', at: '2026-11-24T11:00:00Z', machine: 'pseries-7.2', cpu: 'POWER9', kernel: { release: '6.1.0', cmdline: '' }, idempotencyKey: 'boot-vm-1' };
    const outcome = new FleetRecorder(store).record(
      [{ type: 'RecordHostSnapshot', document: host }, { type: 'RecordGuestBoot', document: boot }, { type: 'RecordGuestBoot', document: boot }],
      { actor: 'p', now },
    );
    expect(outcome).toEqual(expect.objectContaining({ kind: 'recorded', headPosition: 2, replayed: 1 }));
    expect(dump(store).keys).toEqual([expect.objectContaining({ key: 'boot-vm-1', position: 2 })]);
    store.close();
  });

  it('waits for another writer\'s lock as the connection would, then fails with SQLite\'s reason and writes nothing', () => {
    const store = fresh(1);
    const other = openFleetStore(join(dir, `store-${runs - 1}.db`));
    other.db.exec('BEGIN IMMEDIATE');
    const host = { hostId: 'p9-a', observedAt: '2026-11-24T10:00:00Z', level: 0, parentGuestId: null, cpu: { model: 'POWER9' }, accelerator: 'tcg', kernel: { release: '6.1.0', cmdline: '' }, qemu: { version: '7.2.0' } };
    expect(() => new FleetRecorder(store).record([{ type: 'RecordHostSnapshot', document: host }], { actor: 'p', now })).toThrow(/writer thread: database is locked/);
    other.db.exec('ROLLBACK');
    expect(dump(store).events).toEqual([]);
    expect(new FleetRecorder(store).record([{ type: 'RecordHostSnapshot', document: host }], { actor: 'p', now })).toEqual(expect.objectContaining({ kind: 'recorded' }));
    [store, other].forEach((s) => s.close());
  }, 20_000);

  it('fails the commit on a write the database refuses, naming SQLite\'s reason, and leaves nothing behind', () => {
    const store = fresh(1);
    const write = () =>
      store.events.transact(({ append, writes }) => {
        append({ streamId: 'host-p9-a', expectedVersion: 0, event: { type: 'HostRetired', data: { hostId: 'p9-a', at: now() } } }, { commandId: 'c', command: 'RetireHost', actor: 't' }, now());
        writes.run('INSERT INTO no_such_table VALUES (?)', [1]);
      }, { expectedEvents: 1 });
    expect(write).toThrow(WriterThreadError);
    expect(write).toThrow(/no such table: no_such_table/);
    expect(dump(store).events).toEqual([]);
    store.close();
  });
});
