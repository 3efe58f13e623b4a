/** Who and what caused an event; part of the hashed row. */
export interface EventMetadata {
  readonly commandId: string;
  readonly command: string;
  readonly actor: string;
  readonly idempotencyKey?: string;
}

export interface StoredEvent<T = { type: string; data: unknown }> {
  readonly position: number;
  readonly streamId: string;
  readonly streamVersion: number;
  readonly event: T;
  readonly metadata: EventMetadata;
  readonly recordedAt: string;
  readonly hash: string;
}
