import type { Statement } from 'better-sqlite3';
import { FleetEvent, InMemoryFleet } from '@spapr/domain';
import type { FleetStore } from '@spapr/event-store';
import type { AsOf } from './as-of';

/**
 * The fleet as it was: the plain fold of the log up to a position. "As of TIME" means what had been
 * recorded by then (recorded_at is UTC ISO with milliseconds, so text order is time order), so an answer
 * as of a time is the answer the planner would have given at that time.
 */
export class FleetHistory {
  private readonly lastRecordedBy: Statement<[string], number | null>;

  constructor(private readonly store: FleetStore) {
    this.lastRecordedBy = store.db.prepare('SELECT max(position) FROM events WHERE recorded_at <= ?').pluck() as Statement<[string], number | null>;
  }

  /** The position an as-of names, never past the head. */
  positionOf(asOf: AsOf | undefined): number {
    const head = this.store.events.head().position;
    if (asOf === undefined) return head;
    if ('position' in asOf) return Math.min(asOf.position, head);
    return this.lastRecordedBy.get(asOf.recordedBy) ?? 0;
  }

  fleetAt(position: number): InMemoryFleet {
    const fleet = InMemoryFleet.of(
      (function* (events) {
        for (const stored of events) yield { event: stored.event as FleetEvent, position: stored.position };
      })(this.store.events.readAll(0, position)),
    );
    fleet.position = position;
    return fleet;
  }
}
