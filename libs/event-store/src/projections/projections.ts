import type { Db } from '../open-database';
import type { SqliteEventStore } from '../sqlite-event-store';
import type { WriteSink } from '../writes/write-sink';
import { Checkpoints } from './checkpoints';
import type { Projection } from './projection';

/** Every projection of the store, applied together inside the append transaction, caught up at start, rebuilt on demand. */
export class Projections {
  private readonly checkpoints: Checkpoints;

  constructor(
    private readonly db: Db,
    private readonly store: SqliteEventStore,
    readonly all: readonly Projection[],
  ) {
    this.checkpoints = new Checkpoints(db);
  }

  apply(...args: Parameters<Projection['apply']>): void {
    for (const p of this.all) p.apply(...args);
  }

  /** Each projection's buffered rows and its checkpoint, into the transaction's writes. */
  flush(position: number, writes: WriteSink): void {
    for (const p of this.all) {
      p.flush(writes);
      this.checkpoints.set(writes, p.name, position);
    }
  }

  checkpoint(name: string): number {
    return this.checkpoints.get(name);
  }

  discard(): void {
    for (const p of this.all) p.discard();
  }

  /** Applies what each projection has not seen yet (a new projection, or one added by a migration). */
  catchUp(): number {
    return this.discardingOnFailure(() => this.applyUnseen());
  }

  private applyUnseen(): number {
    let applied = 0;
    this.db
      .transaction(() => {
        for (const p of this.all) {
          let last = this.checkpoints.get(p.name);
          const from = last;
          for (const stored of this.store.readAll(last)) {
            p.apply(stored);
            last = stored.position;
            applied++;
          }
          // Nothing new: write nothing, so a read-only session leaves the file byte for byte as it was.
          if (last !== from) {
            p.flush(this.store.writes);
            this.checkpoints.set(this.store.writes, p.name, last);
          }
        }
      })
      .immediate();
    return applied;
  }

  /** Drops every projection row and replays the whole log, in one transaction. */
  rebuild(): number {
    return this.discardingOnFailure(() =>
      this.db
        .transaction(() => {
          for (const p of this.all) {
            p.reset();
            this.checkpoints.set(this.store.writes, p.name, 0);
          }
          return this.applyUnseen();
        })
        .immediate(),
    );
  }

  /** A failed transaction leaves no projection holding what it applied or wrote. */
  private discardingOnFailure<T>(run: () => T): T {
    try {
      return run();
    } catch (e) {
      this.discard();
      throw e;
    }
  }
}
