import { createHash } from 'node:crypto';

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
 * serialise alike; editing any byte of any row breaks the chain from there on. Fed field by field: the data
 * text is hashed where it lies, never copied into one long string.
 */
export const eventHash = (row: ChainedRow): string => {
  const hash = createHash('sha256');
  for (const field of [row.prevHash, String(row.position), row.streamId, String(row.streamVersion), row.type, row.data, row.metadata, row.recordedAt]) {
    hash.update(`${Buffer.byteLength(field)}:`).update(field);
  }
  return hash.digest('hex');
};
