import type { ChainedRow } from '../hash-chain';

export type SqlValue = string | number | null;

/** A stored event's columns before the chain: the sink links it to the row before it. */
export type UnchainedRow = Omit<ChainedRow, 'prevHash'>;

/**
 * Where one transaction's writes go: the store's own connection (connection-writes.ts), or, for a large import,
 * a writer thread with a connection of its own (writer-thread.ts). Reads never go through a sink.
 */
export interface WriteSink {
  /** Chains the row to the previous event (hash-chain.ts) and inserts it; rows come in position order. */
  appendEvent(row: UnchainedRow): void;
  run(sql: string, params: readonly SqlValue[]): void;
}
