import type { Statement } from 'better-sqlite3';
import type { Db } from '../open-database';

/** The last position each projection applied: catch-up starts after it. */
export class Checkpoints {
  private readonly read: Statement<[string], number>;
  private readonly write: Statement<[string, number]>;

  constructor(db: Db) {
    this.read = db.prepare('SELECT position FROM projection_checkpoints WHERE name = ?').pluck() as Statement<[string], number>;
    this.write = db.prepare(
      'INSERT INTO projection_checkpoints (name, position) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET position = excluded.position',
    );
  }

  get(name: string): number {
    return this.read.get(name) ?? 0;
  }

  set(name: string, position: number): void {
    this.write.run(name, position);
  }
}
