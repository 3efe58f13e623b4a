import type { Statement } from 'better-sqlite3';
import type { Db } from '../open-database';
import type { WriteSink } from '../writes/write-sink';

const SET_CHECKPOINT = 'INSERT INTO projection_checkpoints (name, position) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET position = excluded.position';

/**
 * Stored for a projection that has applied the whole log. Every unit of work applies its events to every
 * projection in the transaction that appends them, so from then on it stays in step without a write per unit
 * (which cost each durable command a page of its own).
 */
const IN_STEP = -1;

/** Where each projection resumes its catch-up: a position while it lags the log (new, reset, rebuilt), else in step. */
export class Checkpoints {
  private readonly read: Statement<[string], number>;

  constructor(db: Db) {
    this.read = db.prepare('SELECT position FROM projection_checkpoints WHERE name = ?').pluck() as Statement<[string], number>;
  }

  /** The last position `name` applied while it lags (0 if it never ran), or null once it is in step with the log. */
  lagging(name: string): number | null {
    const position = this.read.get(name);
    return position === undefined ? 0 : position === IN_STEP ? null : position;
  }

  set(writes: WriteSink, name: string, position: number): void {
    writes.run(SET_CHECKPOINT, [name, position]);
  }

  inStep(writes: WriteSink, name: string): void {
    writes.run(SET_CHECKPOINT, [name, IN_STEP]);
  }
}
