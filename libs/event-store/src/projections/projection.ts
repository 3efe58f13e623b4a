import type { StoredEvent } from '../stored-event';

/**
 * A read model built from events alone. Within one store transaction it may buffer its writes;
 * `flush` writes them and the checkpoint, `discard` forgets them when the transaction rolls back.
 */
export interface Projection {
  readonly name: string;
  apply(event: StoredEvent): void;
  flush(): void;
  discard(): void;
  /** Drops every row, for a rebuild from position 0. */
  reset(): void;
}
