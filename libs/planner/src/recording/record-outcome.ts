import type { FieldError } from '@spapr/domain';

export interface RecordedEvent {
  readonly position: number;
  readonly streamId: string;
  readonly streamVersion: number;
  readonly type: string;
}

/** What recording one command, or one all-or-nothing batch, came to. */
export type RecordOutcome =
  | { kind: 'recorded'; events: RecordedEvent[]; headPosition: number; replayed: number }
  /** `index` is the 0-based position of the refused command in the batch (an import's line − 1). */
  | { kind: 'rejected'; index: number; errors: FieldError[] }
  | { kind: 'conflict'; index: number; streamId: string; expectedVersion: number; actualVersion: number };
