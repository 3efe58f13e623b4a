import type { Statement } from 'better-sqlite3';
import type { Db } from '../open-database';
import type { WriteSink } from '../writes/write-sink';

const SET_CHECKPOINT = 'INSERT INTO projection_checkpoints (name, position) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET position = excluded.position';

/** The last position each projection applied: catch-up starts after it. */
export class Checkpoints {
  private readonly read: Statement<[string], number>;

  constructor(db: Db) {
    this.read = db.prepare('SELECT position FROM projection_checkpoints WHERE name = ?').pluck() as Statement<[string], number>;
  }

  get(name: string): number {
    return this.read.get(name) ?? 0;
  }

  set(writes: WriteSink, name: string, position: number): void {
    writes.run(SET_CHECKPOINT, [name, position]);
  }
}
