import type { Statement } from 'better-sqlite3';
import { canonicalJson } from './canonical-json';
import { eventHash, GENESIS_HASH } from './hash-chain';
import type { Db } from './open-database';
import type { EventMetadata, StoredEvent } from './stored-event';
import { StreamVersionConflictError } from './stream-version-conflict.error';

export interface EventRow {
  position: number;
  stream_id: string;
  stream_version: number;
  type: string;
  data: string;
  metadata: string;
  recorded_at: string;
  prev_hash: string;
  hash: string;
}

export interface NewEvent {
  readonly streamId: string;
  /** The stream version the decision was made on (0 for a new stream). */
  readonly expectedVersion: number;
  readonly event: { readonly type: string; readonly data: unknown };
}

export type Append = (newEvent: NewEvent, metadata: EventMetadata, recordedAt: string) => StoredEvent;

export const toStoredEvent = <T = { type: string; data: unknown }>(row: EventRow): StoredEvent<T> => ({
  position: row.position,
  streamId: row.stream_id,
  streamVersion: row.stream_version,
  event: { type: row.type, data: JSON.parse(row.data) } as T,
  metadata: JSON.parse(row.metadata) as EventMetadata,
  recordedAt: row.recorded_at,
  hash: row.hash,
});

/**
 * The append-only log on better-sqlite3: one synchronous transaction per command or import batch
 * (STYLE §1 C), positions never reused, every row chained to the one before.
 */
export class SqliteEventStore {
  private readonly lastRow: Statement<[], { position: number; hash: string }>;
  private readonly sequence: Statement<[], number>;
  private readonly streamVersion: Statement<[string], number | null>;
  private readonly insert: Statement<[number, string, number, string, string, string, string, string, string]>;
  private readonly fromPosition: Statement<[number, number], EventRow>;
  private readonly byStream: Statement<[string], EventRow>;
  private readonly atPosition: Statement<[number], EventRow>;

  constructor(readonly db: Db) {
    this.lastRow = db.prepare('SELECT position, hash FROM events ORDER BY position DESC LIMIT 1');
    this.sequence = db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'events'").pluck() as Statement<[], number>;
    this.streamVersion = db.prepare('SELECT max(stream_version) FROM events WHERE stream_id = ?').pluck() as Statement<[string], number | null>;
    this.insert = db.prepare(
      'INSERT INTO events (position, stream_id, stream_version, type, data, metadata, recorded_at, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this.fromPosition = db.prepare('SELECT * FROM events WHERE position > ? AND position <= ? ORDER BY position');
    this.byStream = db.prepare('SELECT * FROM events WHERE stream_id = ? ORDER BY stream_version');
    this.atPosition = db.prepare('SELECT * FROM events WHERE position = ?');
  }

  /** The last position and hash: what the next event chains to. */
  head(): { position: number; hash: string } {
    return this.lastRow.get() ?? { position: 0, hash: GENESIS_HASH };
  }

  currentVersion(streamId: string): number {
    return this.streamVersion.get(streamId) ?? 0;
  }

  /**
   * Runs `work` in one IMMEDIATE transaction with an `append` that checks each stream's version, chains the
   * hash and inserts. The head is read once per transaction: the writer lock makes it ours until commit.
   * Anything thrown rolls the whole unit back.
   */
  transact<T>(work: (append: Append) => T): T {
    return this.db
      .transaction(() => {
        let head = this.head();
        let next = Math.max(head.position, this.sequence.get() ?? 0) + 1;
        // Versions read or written in this transaction: a batch touching a stream again need not ask SQLite.
        const versions = new Map<string, number>();
        const append: Append = (newEvent, metadata, recordedAt) => {
          const actual = versions.get(newEvent.streamId) ?? this.currentVersion(newEvent.streamId);
          if (actual !== newEvent.expectedVersion) throw new StreamVersionConflictError(newEvent.streamId, newEvent.expectedVersion, actual);
          const row = {
            position: next,
            streamId: newEvent.streamId,
            streamVersion: actual + 1,
            type: newEvent.event.type,
            data: canonicalJson(newEvent.event.data),
            metadata: canonicalJson(metadata),
            recordedAt,
            prevHash: head.hash,
          };
          const hash = eventHash(row);
          this.insert.run(row.position, row.streamId, row.streamVersion, row.type, row.data, row.metadata, row.recordedAt, row.prevHash, hash);
          head = { position: next++, hash };
          versions.set(row.streamId, row.streamVersion);
          return { position: row.position, streamId: row.streamId, streamVersion: row.streamVersion, event: newEvent.event, metadata, recordedAt, hash };
        };
        return work(append);
      })
      .immediate();
  }

  /** Events after `afterPosition`, up to `toPosition` inclusive, in order; streamed so replay never holds the log in memory. */
  *readAll(afterPosition = 0, toPosition = Number.MAX_SAFE_INTEGER): IterableIterator<StoredEvent> {
    for (const row of this.fromPosition.iterate(afterPosition, toPosition)) yield toStoredEvent(row);
  }

  /** The event at `position`, if stored. */
  readStoredAt(position: number): StoredEvent | undefined {
    const row = this.atPosition.get(position);
    return row ? toStoredEvent(row) : undefined;
  }

  readStream(streamId: string): StoredEvent[] {
    return this.byStream.all(streamId).map((row) => toStoredEvent(row));
  }
}
