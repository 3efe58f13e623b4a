import type { ChainedRow } from '../hash-chain';

export type SqlValue = string | number | null;

/** A statement parameter stored as the canonical JSON text of `value` (canonical-json.ts), serialised by the sink. */
export class CanonicalJson {
  constructor(readonly value: unknown) {}
}

export type SqlParam = SqlValue | CanonicalJson;

/** An event as the store hands it to a sink: data and metadata still values, for the sink to serialise its way. */
export type NewEventRow = Omit<ChainedRow, 'data' | 'metadata'> & { readonly data: unknown; readonly metadata: unknown };

/**
 * Where one transaction's writes go: the store's own connection (connection-writes.ts), or, for a large import,
 * a writer thread with a connection of its own (writer-thread.ts). Reads never go through a sink.
 */
export interface WriteSink {
  /** Serialises the row canonically, chains it to the previous event (hash-chain.ts) and inserts it; rows come in position order. */
  appendEvent(row: NewEventRow): void;
  run(sql: string, params: readonly SqlParam[]): void;
}
