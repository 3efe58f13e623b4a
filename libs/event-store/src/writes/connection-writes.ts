import type { Statement } from 'better-sqlite3';
import { canonicalJson } from '../canonical-json';
import { ChainedRow, eventHash, GENESIS_HASH } from '../hash-chain';
import type { Db } from '../open-database';
import { CanonicalJson, NewEventRow, SqlParam, SqlValue, WriteSink } from './write-sink';

const INSERT_EVENT =
  'INSERT INTO events (position, stream_id, stream_version, type, data, metadata, recorded_at, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)';

/**
 * A transaction's writes on one connection, whichever thread holds it: each event chained to the hash of the one
 * before, statements prepared once per connection (a durable command must not pay for preparing them).
 */
export class ConnectionWrites implements WriteSink {
  private readonly statements = new Map<string, Statement<SqlValue[]>>();
  private readonly lastRow: Statement<[], { position: number; hash: string }>;
  private readonly sequence: Statement<[], number>;
  private readonly insert: Statement<[number, string, number, string, string, string, string, string]>;
  private prevHash = GENESIS_HASH;

  constructor(private readonly db: Db) {
    this.lastRow = db.prepare('SELECT position, hash FROM events ORDER BY position DESC LIMIT 1');
    this.sequence = db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'events'").pluck() as Statement<[], number>;
    this.insert = db.prepare(INSERT_EVENT);
  }

  /** The last position and hash: what the next event chains to. */
  head(): { position: number; hash: string } {
    return this.lastRow.get() ?? { position: 0, hash: GENESIS_HASH };
  }

  /**
   * Inside a transaction that holds the writer lock: where the next event goes. After the last assigned position,
   * not only the last stored one, so a position is never reused even if a row were removed behind the database's back.
   */
  begin(): number {
    const head = this.head();
    this.prevHash = head.hash;
    return Math.max(head.position, this.sequence.get() ?? 0) + 1;
  }

  appendEvent(row: NewEventRow): void {
    this.insertEvent({ ...row, data: canonicalJson(row.data), metadata: canonicalJson(row.metadata) });
  }

  /** An event already serialised (by the writer thread's encoder), chained and inserted. */
  insertEvent(row: ChainedRow): void {
    const prevHash = this.prevHash;
    const hash = eventHash(row, prevHash);
    this.insert.run(row.position, row.streamId, row.streamVersion, row.type, row.data, row.metadata, row.recordedAt, hash);
    this.prevHash = hash;
  }

  run(sql: string, params: readonly SqlParam[]): void {
    this.execute(sql, params.map((p) => (p instanceof CanonicalJson ? canonicalJson(p.value) : p)));
  }

  /** A statement whose parameters are serialised already (the writer thread's, decoded). */
  execute(sql: string, values: readonly SqlValue[]): void {
    let statement = this.statements.get(sql);
    if (statement === undefined) this.statements.set(sql, (statement = this.db.prepare<SqlValue[]>(sql)));
    statement.run(...values);
  }
}
