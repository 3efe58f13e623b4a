import type { Statement } from 'better-sqlite3';
import type { Db } from './open-database';
import type { EventMetadata, StoredEvent } from './stored-event';
import { StreamVersionConflictError } from './stream-version-conflict.error';
import { ConnectionWrites } from './writes/connection-writes';
import type { WriteSink } from './writes/write-sink';
import { WriterThread } from './writes/writer-thread';

/**
 * Below this many events a writer thread costs more than it saves: starting it and opening its connection take
 * tens of milliseconds, and a single command's durable commit is fastest on its own connection.
 */
const DEFAULT_WRITER_THREAD_FROM = 10_000;

export interface EventRow {
  position: number;
  stream_id: string;
  stream_version: number;
  type: string;
  data: string;
  metadata: string;
  recorded_at: string;
  hash: string;
}

export interface NewEvent {
  readonly streamId: string;
  /** The stream version the decision was made on (0 for a new stream). */
  readonly expectedVersion: number;
  readonly event: { readonly type: string; readonly data: unknown };
}

/** An event as appended: its hash is the writer's to compute (it may be chained on another thread). */
export type AppendedEvent = Omit<StoredEvent, 'hash'>;

export type Append = (newEvent: NewEvent, metadata: EventMetadata, recordedAt: string) => AppendedEvent;

/** What a unit of work gets: its appender, where its other writes go, and the last position it appended. */
export interface Transaction {
  readonly append: Append;
  readonly writes: WriteSink;
  /** The last position appended so far; before the first append, the head the transaction started from. */
  position(): number;
}

export interface TransactOptions {
  /** How many events the unit may append: from `writerThreadFrom` on, a writer thread does its writes. */
  readonly expectedEvents?: number;
}

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
  /** The store's own connection's writes: every transaction but a large import's. */
  readonly writes: ConnectionWrites;
  private readonly streamVersion: Statement<[string], number | null>;
  private readonly fromPosition: Statement<[number, number], EventRow>;
  private readonly byStream: Statement<[string], EventRow>;
  private readonly atPosition: Statement<[number], EventRow>;
  /** One IMMEDIATE transaction wrapper for every unit: better-sqlite3 builds four wrappers each time one is made. */
  private readonly immediate: <T>(run: () => T) => T;

  /** `writerThreadFrom`: the smallest unit of work (in events) written by a writer thread (writer-thread.ts). */
  constructor(
    readonly db: Db,
    private readonly writerThreadFrom = DEFAULT_WRITER_THREAD_FROM,
  ) {
    this.writes = new ConnectionWrites(db);
    this.streamVersion = db.prepare('SELECT max(stream_version) FROM events WHERE stream_id = ?').pluck() as Statement<[string], number | null>;
    this.fromPosition = db.prepare('SELECT * FROM events WHERE position > ? AND position <= ? ORDER BY position');
    this.byStream = db.prepare('SELECT * FROM events WHERE stream_id = ? ORDER BY stream_version');
    this.atPosition = db.prepare('SELECT * FROM events WHERE position = ?');
    this.immediate = db.transaction(<T>(run: () => T): T => run()).immediate as <T>(run: () => T) => T;
  }

  /** The last position and hash: what the next event chains to. */
  head(): { position: number; hash: string } {
    return this.writes.head();
  }

  currentVersion(streamId: string): number {
    return this.streamVersion.get(streamId) ?? 0;
  }

  /**
   * Runs `work` in one IMMEDIATE transaction with an `append` that checks each stream's version and hands the row
   * to the transaction's writes, which chain and insert it. Anything thrown rolls the whole unit back.
   * A large unit (an import) is written by a writer thread while this thread goes on deciding.
   */
  transact<T>(work: (tx: Transaction) => T, options: TransactOptions = {}): T {
    if ((options.expectedEvents ?? 1) >= this.writerThreadFrom && WriterThread.canServe(this.db)) {
      const writer = WriterThread.start(this.db);
      let result: T;
      try {
        result = work(this.transaction(() => writer.begun(), writer));
      } catch (e) {
        try {
          writer.rollback();
        } catch {
          // The writer failed too, and has ended: nothing was committed, and what the unit threw says why.
        }
        throw e;
      }
      writer.commit();
      return result;
    }
    return this.immediate(() => work(this.transaction(() => this.writes.begin(), this.writes)));
  }

  /** `first` gives where the transaction's first event goes; it is asked once, when a position is first needed. */
  private transaction(first: () => number, writes: WriteSink): Transaction {
    let next = 0;
    const nextPosition = (): number => (next === 0 ? (next = first()) : next);
    // Versions read or written in this transaction: a batch touching a stream again need not ask SQLite.
    const versions = new Map<string, number>();
    const append: Append = (newEvent, metadata, recordedAt) => {
      const { streamId, event } = newEvent;
      const actual = versions.get(streamId) ?? this.currentVersion(streamId);
      if (actual !== newEvent.expectedVersion) throw new StreamVersionConflictError(streamId, newEvent.expectedVersion, actual);
      const position = nextPosition();
      next = position + 1;
      const streamVersion = actual + 1;
      writes.appendEvent({ position, streamId, streamVersion, type: event.type, data: event.data, metadata, recordedAt });
      versions.set(streamId, streamVersion);
      return { position, streamId, streamVersion, event, metadata, recordedAt };
    };
    return { append, writes, position: () => nextPosition() - 1 };
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
