import fc from 'fast-check';
import { canonicalJson } from '../canonical-json';
import type { ChainedRow } from '../hash-chain';
import { decodeWriteOps, EncodedOps, WriteOpsEncoder } from './write-ops.codec';
import { CanonicalJson, NewEventRow, SqlParam, SqlValue } from './write-sink';

type Sent = { kind: 'event'; row: NewEventRow } | { kind: 'run'; sql: string; params: SqlParam[] };
type Read = { kind: 'event'; row: ChainedRow } | { kind: 'run'; sql: string; params: SqlValue[] };

const text = fc.string({ unit: 'binary', maxLength: 40 });
const json = fc.jsonValue({ maxDepth: 3, stringUnit: 'binary' });
const row: fc.Arbitrary<NewEventRow> = fc.record({
  position: fc.nat(),
  streamId: text,
  streamVersion: fc.nat(),
  type: fc.constantFrom('GuestBooted', 'GuestMigrated', 'HostSnapshotRecorded'),
  data: json,
  metadata: json,
  recordedAt: fc.constantFrom('2026-11-25T00:00:00.000Z', '2026-11-25T00:00:01.000Z'),
});
const param: fc.Arbitrary<SqlParam> = fc.oneof(fc.constant(null), fc.double({ noNaN: true }), text, json.map((v) => new CanonicalJson(v)));
const op: fc.Arbitrary<Sent> = fc.oneof(
  row.map((r) => ({ kind: 'event' as const, row: r })),
  fc.record({ kind: fc.constant('run' as const), sql: fc.constantFrom('INSERT A', 'INSERT B', 'UPSERT Ü'), params: fc.array(param, { maxLength: 6 }) }),
);

/** What the writer should read: every JSON value as its canonical text, everything else as sent. */
const asRead = (o: Sent): Read =>
  o.kind === 'event'
    ? { kind: 'event', row: { ...o.row, data: canonicalJson(o.row.data), metadata: canonicalJson(o.row.metadata) } }
    : { ...o, params: o.params.map((p) => (p instanceof CanonicalJson ? canonicalJson(p.value) : p)) };

describe('When a transaction\'s writes are shipped as bytes', () => {
  it('the writer reads back every op, in order, JSON values as their canonical text, whatever the chunk size and the text (any Unicode, repeated types and times)', () =>
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), fc.integer({ min: 16, max: 4096 }), (ops, chunkBytes) => {
        const chunks: EncodedOps[] = [];
        const encoder = new WriteOpsEncoder((c) => chunks.push(c), chunkBytes);
        for (const o of ops) {
          if (o.kind === 'event') encoder.event(o.row);
          else encoder.run(o.sql, o.params);
        }
        encoder.flush();
        const read: Read[] = [];
        const sql: string[] = [];
        for (const c of chunks) decodeWriteOps(c, sql, { event: (r) => read.push({ kind: 'event', row: r }), run: (s, params) => read.push({ kind: 'run', sql: s, params }) });
        expect(read).toEqual(ops.map(asRead));
      }),
    ));

  it('takes back whole an op whose value JSON has no form for, and reads on as if it was never sent', () =>
    fc.assert(
      fc.property(fc.array(op, { maxLength: 20 }), fc.array(op, { maxLength: 20 }), fc.boolean(), (before, after, asEvent) => {
        const chunks: EncodedOps[] = [];
        const encoder = new WriteOpsEncoder((c) => chunks.push(c), 64);
        const send = (o: Sent) => (o.kind === 'event' ? encoder.event(o.row) : encoder.run(o.sql, o.params));
        before.forEach(send);
        const unserialisable = { nested: [1, Number.NaN] };
        const refused = () =>
          asEvent
            ? encoder.event({ position: 1, streamId: 's', streamVersion: 1, type: 'T', data: unserialisable, metadata: {}, recordedAt: 't' })
            : encoder.run('UPSERT Ü', ['text', new CanonicalJson(unserialisable)]);
        expect(refused).toThrow('cannot serialise NaN');
        after.forEach(send);
        encoder.flush();
        const read: Read[] = [];
        const sql: string[] = [];
        for (const c of chunks) decodeWriteOps(c, sql, { event: (r) => read.push({ kind: 'event', row: r }), run: (s, params) => read.push({ kind: 'run', sql: s, params }) });
        expect(read).toEqual([...before, ...after].map(asRead));
      }),
    ));
});
