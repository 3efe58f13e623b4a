import { createHash, randomUUID } from 'node:crypto';
import type { Statement } from 'better-sqlite3';
import { decide, FieldError, fieldError, FleetCommandType, parseCommand, ParsedCommand } from '@spapr/domain';
import { canonicalJson, FleetStore, StreamVersionConflictError } from '@spapr/event-store';
import type { RecordedEvent, RecordOutcome } from './record-outcome';

export interface CommandDocument {
  readonly type: FleetCommandType;
  /** The JSON document as received: validated here, never trusted. */
  readonly document: unknown;
  /**
   * The caller left `at` out for the recorder to fill with the moment it records (a CLI flag left unset).
   * The stamp is not part of what an idempotency key remembers, so a retry of the same command is recognised.
   */
  readonly stampAt?: boolean;
}

export interface RecordContext {
  readonly actor: string;
  /** UTC now, ISO-8601: the only clock the recording reads. */
  readonly now: () => string;
  /** For a single command: the stream version the caller last saw (optimistic concurrency). */
  readonly expectedVersion?: number;
}

/** Thrown inside the transaction to roll the whole batch back; never escapes `record`. */
class Refusal extends Error {
  constructor(
    readonly index: number,
    readonly errors: FieldError[],
  ) {
    super('refused');
  }
}

const SAVE_KEY = 'INSERT INTO idempotency_keys (key, command_hash, result, position) VALUES (?, ?, ?, ?)';

/** What an idempotency key remembers: the command as its caller sent it, before the recorder stamped any time. */
const commandHash = (type: FleetCommandType, document: unknown): string => createHash('sha256').update(canonicalJson({ type, document })).digest('hex');

const stamped = ({ document, stampAt }: CommandDocument, now: string): unknown =>
  stampAt && typeof document === 'object' && document !== null && !Array.isArray(document) ? { ...document, at: now } : document;

/** A command with its idempotency key and the fingerprint that key remembers (only keyed commands have one). */
interface Parsed {
  readonly command: ParsedCommand;
  readonly key?: { readonly name: string; readonly hash: string };
}

/** Every document validated, or the first invalid one's refusal (which rolls the unit back). */
const parseAll = (documents: readonly CommandDocument[], now: string): Parsed[] =>
  documents.map((received, index) => {
    const result = parseCommand(received.type, stamped(received, now));
    if (!result.ok) throw new Refusal(index, result.error);
    const name = result.value.idempotencyKey;
    return name === undefined ? { command: result.value } : { command: result.value, key: { name, hash: commandHash(received.type, received.document) } };
  });

/**
 * Records commands as events: in one IMMEDIATE transaction, validate every document, then decide each against
 * the catalogue as the batch has changed it, append with the version it was decided on, and apply projections.
 * All or nothing: one refusal rolls back the batch and nothing is written.
 */
export class FleetRecorder {
  private readonly findKey: Statement<[string], { command_hash: string; result: string }>;

  constructor(private readonly store: FleetStore) {
    this.findKey = store.db.prepare('SELECT command_hash, result FROM idempotency_keys WHERE key = ?');
  }

  /** Records one of the planner's own events (AuditCompleted) on its stream, after whatever that stream holds. */
  recordPlannerEvent(streamId: string, event: { type: string; data: unknown }, context: Pick<RecordContext, 'actor' | 'now'>): RecordedEvent {
    const { events, projections } = this.store;
    try {
      return events.transact(({ append, writes }) => {
        const stored = append({ streamId, expectedVersion: events.currentVersion(streamId), event }, { commandId: randomUUID(), command: event.type, actor: context.actor }, context.now());
        projections.apply(stored);
        projections.flush(writes);
        return { position: stored.position, streamId, streamVersion: stored.streamVersion, type: event.type };
      });
    } catch (e) {
      projections.discard();
      throw e;
    }
  }

  record(documents: readonly CommandDocument[], context: RecordContext): RecordOutcome {
    const now = context.now();
    const { events, catalogue, projections } = this.store;
    let current = 0;
    try {
      // Validated inside the transaction, so that an import's writer thread starts while the documents are read;
      // a bad one still refuses the unit before any is decided.
      return events.transact(({ append, writes, position }): RecordOutcome => {
          const parsed = parseAll(documents, now);
          // One commit, one moment: every event of the unit is recorded at the same time.
          const recordedAt = now;
          const recorded: RecordedEvent[] = [];
          // Keys this unit saved: its writes may be on a writer thread, where this connection cannot read them yet.
          const savedKeys = new Map<string, { command_hash: string; result: string }>();
          let replayed = 0;
          for (const [index, { command: p, key }] of parsed.entries()) {
            current = index;
            if (key) {
              const seen = savedKeys.get(key.name) ?? this.findKey.get(key.name);
              if (seen && seen.command_hash !== key.hash) {
                throw new Refusal(index, [fieldError('idempotencyKey', `was already used for a different command`)]);
              }
              if (seen) {
                recorded.push(...(JSON.parse(seen.result) as RecordedEvent[]));
                replayed++;
                continue;
              }
            }
            const decided = decide(p.command, catalogue);
            if (!decided.ok) throw new Refusal(index, decided.error);
            const decision = context.expectedVersion === undefined ? decided.value : { ...decided.value, expectedVersion: context.expectedVersion };
            const metadata = { commandId: randomUUID(), command: p.command.type, actor: context.actor, ...(key ? { idempotencyKey: key.name } : {}) };
            const stored = append(decision, metadata, recordedAt);
            projections.apply(stored);
            const summary = { position: stored.position, streamId: stored.streamId, streamVersion: stored.streamVersion, type: stored.event.type };
            recorded.push(summary);
            if (key) {
              const saved = { command_hash: key.hash, result: JSON.stringify([summary]) };
              writes.run(SAVE_KEY, [key.name, saved.command_hash, saved.result, stored.position]);
              savedKeys.set(key.name, saved);
            }
          }
          const headPosition = position();
          projections.flush(writes);
          return { kind: 'recorded', events: recorded, headPosition, replayed };
      }, { expectedEvents: documents.length });
    } catch (e) {
      projections.discard();
      if (e instanceof Refusal) return { kind: 'rejected', index: e.index, errors: e.errors };
      if (e instanceof StreamVersionConflictError) {
        return { kind: 'conflict', index: current, streamId: e.streamId, expectedVersion: e.expectedVersion, actualVersion: e.actualVersion };
      }
      throw e;
    }
  }
}
