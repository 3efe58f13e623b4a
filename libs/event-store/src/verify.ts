import { eventHash, GENESIS_HASH } from './hash-chain';
import type { Db } from './open-database';
import type { EventRow } from './sqlite-event-store';

export type VerifyResult =
  | { ok: true; events: number; headPosition: number; headHash: string }
  | { ok: false; position: number; problem: 'edited' | 'missing'; detail: string; checked: number };

/**
 * Walks the chain from position 1 and names the first position that was edited or is missing.
 * The last assigned position comes from sqlite_sequence, so removing the newest rows is caught too.
 */
export const verifyChain = (db: Db): VerifyResult => {
  let expectedPosition = 1;
  let prevHash = GENESIS_HASH;
  let checked = 0;
  for (const row of db.prepare('SELECT * FROM events ORDER BY position').iterate() as IterableIterator<EventRow>) {
    if (row.position !== expectedPosition) {
      return { ok: false, position: expectedPosition, problem: 'missing', detail: `position ${expectedPosition} is missing (next stored is ${row.position})`, checked };
    }
    const recomputed = eventHash(
      { position: row.position, streamId: row.stream_id, streamVersion: row.stream_version, type: row.type, data: row.data, metadata: row.metadata, recordedAt: row.recorded_at },
      prevHash,
    );
    if (recomputed !== row.hash) return { ok: false, position: row.position, problem: 'edited', detail: `stored hash ${row.hash.slice(0, 12)}… does not match its content (${recomputed.slice(0, 12)}…)`, checked };
    prevHash = row.hash;
    expectedPosition++;
    checked++;
  }
  const lastAssigned = (db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'events'").pluck().get() as number | undefined) ?? 0;
  if (lastAssigned >= expectedPosition) {
    return { ok: false, position: expectedPosition, problem: 'missing', detail: `positions ${expectedPosition}..${lastAssigned} were assigned but are missing`, checked };
  }
  return { ok: true, events: checked, headPosition: expectedPosition - 1, headHash: prevHash };
};
