import fc from 'fast-check';
import { ChainedRow, eventHash, GENESIS_HASH } from './hash-chain';

const row: ChainedRow = { position: 1, streamId: 'host-a', streamVersion: 1, type: 'HostSnapshotRecorded', data: '{}', metadata: '{}', recordedAt: '2026-11-25T00:00:00.000Z', prevHash: GENESIS_HASH };
const FIELDS = ['streamId', 'type', 'data', 'metadata', 'recordedAt', 'prevHash'] as const;

describe('When an event is hashed', () => {
  it('is a sha256 hex digest that depends on every field', () => {
    expect(eventHash(row)).toMatch(/^[0-9a-f]{64}$/);
    fc.assert(
      fc.property(fc.constantFrom(...FIELDS), fc.string({ minLength: 1 }), (field, suffix) => {
        expect(eventHash({ ...row, [field]: row[field] + suffix })).not.toBe(eventHash(row));
      }),
    );
    expect(eventHash({ ...row, position: 2 })).not.toBe(eventHash(row));
    expect(eventHash({ ...row, streamVersion: 2 })).not.toBe(eventHash(row));
  });

  it('cannot be fooled by moving text from one field to the next', () => {
    expect(eventHash({ ...row, data: '{}x', metadata: '{}' })).not.toBe(eventHash({ ...row, data: '{}', metadata: 'x{}' }));
  });
});
