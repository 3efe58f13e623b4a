import fc from 'fast-check';
import { decodeWriteOps, EncodedOps, WriteOpsEncoder } from './write-ops.codec';
import type { SqlValue, UnchainedRow } from './write-sink';

type Op = { kind: 'event'; row: UnchainedRow } | { kind: 'run'; sql: string; params: SqlValue[] };

const text = fc.string({ unit: 'binary', maxLength: 40 });
const row: fc.Arbitrary<UnchainedRow> = fc.record({
  position: fc.nat(),
  streamId: text,
  streamVersion: fc.nat(),
  type: fc.constantFrom('GuestBooted', 'GuestMigrated', 'HostSnapshotRecorded'),
  data: text,
  metadata: text,
  recordedAt: fc.constantFrom('2026-11-25T00:00:00.000Z', '2026-11-25T00:00:01.000Z'),
});
const op: fc.Arbitrary<Op> = fc.oneof(
  row.map((r) => ({ kind: 'event' as const, row: r })),
  fc.record({ kind: fc.constant('run' as const), sql: fc.constantFrom('INSERT A', 'INSERT B', 'UPSERT Ü'), params: fc.array(fc.oneof(fc.constant(null), fc.double({ noNaN: true }), text), { maxLength: 6 }) }),
);

describe('When a transaction\'s writes are shipped as bytes', () => {
  it('the writer reads back every op, in order, whatever the chunk size and the text (any Unicode, repeated types and times)', () =>
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), fc.integer({ min: 64, max: 4096 }), (ops, chunkBytes) => {
        const chunks: EncodedOps[] = [];
        const encoder = new WriteOpsEncoder((c) => chunks.push(c), chunkBytes);
        for (const o of ops) {
          if (o.kind === 'event') encoder.event(o.row);
          else encoder.run(o.sql, o.params);
        }
        encoder.flush();
        const read: Op[] = [];
        const sql: string[] = [];
        for (const c of chunks) decodeWriteOps(c, sql, { event: (r) => read.push({ kind: 'event', row: r }), run: (s, params) => read.push({ kind: 'run', sql: s, params }) });
        expect(read).toEqual(ops);
      }),
    ));
});
