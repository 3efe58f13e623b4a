import type { AppendedEvent } from '../sqlite-event-store';
import type { WriteSink } from '../writes/write-sink';

/**
 * A read model built from events alone. Within one store transaction it may buffer its writes;
 * `flush` hands them to the transaction's writes, `discard` forgets them when the transaction rolls back.
 */
export interface Projection {
  readonly name: string;
  apply(event: AppendedEvent): void;
  flush(writes: WriteSink): void;
  discard(): void;
  /** Drops every row, for a rebuild from position 0. */
  reset(): void;
}
