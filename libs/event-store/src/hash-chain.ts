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

/** sha256 over the previous hash and the row's canonical fields, so editing any byte of any row breaks the chain from there on. */
export const eventHash = (row: ChainedRow): string =>
  createHash('sha256')
    .update(JSON.stringify([row.prevHash, row.position, row.streamId, row.streamVersion, row.type, row.data, row.metadata, row.recordedAt]))
    .digest('hex');
