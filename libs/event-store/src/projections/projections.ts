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

  /** Each projection's buffered rows, into the transaction's writes. */
  flush(writes: WriteSink): void {
    for (const p of this.all) p.flush(writes);
  }

  /** The last position `name` has applied: the log's head once it is in step. */
  checkpoint(name: string): number {
    return this.checkpoints.lagging(name) ?? this.store.head().position;
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
          // In step: nothing to apply, and nothing written, so a read-only session leaves the file as it was.
          const from = this.checkpoints.lagging(p.name);
          if (from === null) continue;
          for (const stored of this.store.readAll(from)) {
            p.apply(stored);
            applied++;
          }
          p.flush(this.store.writes);
          this.checkpoints.inStep(this.store.writes, p.name);
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
