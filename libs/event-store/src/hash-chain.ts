import { hash } from 'node:crypto';

export const GENESIS_HASH = '0'.repeat(64);

/** The columns of one stored event that the chain covers: every column but the hash itself. */
export interface ChainedRow {
  readonly position: number;
  readonly streamId: string;
  readonly streamVersion: number;
  readonly type: string;
  readonly data: string;
  readonly metadata: string;
  readonly recordedAt: string;
  readonly prevHash: string;
}

/**
 * sha256 over the previous hash and the row's fields, each length-prefixed (`<length>:<text>`) so no two rows
 * serialise alike; editing any byte of any row breaks the chain from there on. The fields are joined first and
 * hashed in one one-shot call: one crossing into the digest per row is cheaper than two per field.
 */
export const eventHash = (row: ChainedRow): string => {
  let text = '';
  for (const field of [row.prevHash, String(row.position), row.streamId, String(row.streamVersion), row.type, row.data, row.metadata, row.recordedAt]) {
    text += `${Buffer.byteLength(field)}:${field}`;
  }
  return hash('sha256', text, 'hex');
};
