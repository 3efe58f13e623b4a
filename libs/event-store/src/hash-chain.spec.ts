import fc from 'fast-check';
import { ChainedRow, eventHash, GENESIS_HASH } from './hash-chain';

const row: ChainedRow = { position: 1, streamId: 'host-a', streamVersion: 1, type: 'HostSnapshotRecorded', data: '{}', metadata: '{}', recordedAt: '2026-11-25T00:00:00.000Z' };
const FIELDS = ['streamId', 'type', 'data', 'metadata', 'recordedAt'] as const;
const of = (r: ChainedRow, prevHash = GENESIS_HASH) => eventHash(r, prevHash);

describe('When an event is hashed', () => {
  it('is a sha256 hex digest that depends on every field', () => {
    expect(of(row)).toMatch(/^[0-9a-f]{64}$/);
    fc.assert(
      fc.property(fc.constantFrom(...FIELDS), fc.string({ minLength: 1 }), (field, suffix) => {
        expect(of({ ...row, [field]: row[field] + suffix })).not.toBe(of(row));
      }),
    );
    fc.assert(fc.property(fc.string({ minLength: 1 }), (suffix) => expect(of(row, GENESIS_HASH + suffix)).not.toBe(of(row))));
    expect(of({ ...row, position: 2 })).not.toBe(of(row));
    expect(of({ ...row, streamVersion: 2 })).not.toBe(of(row));
  });

  it('spells a row as every stored chain was spelled (length-prefixed UTF-8), so old stores still verify', () =>
    expect(of({ ...row, data: '{"é":"😀"}' })).toBe('90a3a9c693e778b6b85621bfbcbd4479076a488d3d914721cdb43f482f5287d6'));

  it('cannot be fooled by moving text from one field to the next', () => {
    expect(of({ ...row, data: '{}x', metadata: '{}' })).not.toBe(of({ ...row, data: '{}', metadata: 'x{}' }));
  });
});
