import { AnswerContext, AnswerMoment, FieldError, fieldError, err, FleetIndex, InMemoryFleet, ok, Result } from '@spapr/domain';
import type { FleetStore } from '@spapr/event-store';
import type { CommandDocument } from '../recording/fleet-recorder';
import type { AsOf } from './as-of';
import { FleetHistory } from './fleet-at';
import type { HeadFleet } from './head-fleet';
import { applyWhatIf } from './what-if';

/** Which fleet a question is asked of: now, as of a past position or time, and with hypothetical events on top. */
export interface QueryScope {
  readonly asOf?: AsOf;
  readonly whatIf?: readonly CommandDocument[];
}

export interface ScopedContext extends AnswerContext {
  /** How many hypothetical events the answer includes (what-if); 0 for recorded facts only. */
  readonly hypothetical: number;
}

/**
 * The fleet to answer from. At the head with nothing hypothetical it is the catalogue projection itself
 * (no replay); otherwise the log is folded up to the position and the what-if commands are decided onto it.
 * Ages are measured from the clock now, or from the as-of moment for a question about the past.
 */
export const resolveScope = (store: FleetStore, scope: QueryScope, now: string): Result<ScopedContext, FieldError[]> => {
  const history = new FleetHistory(store);
  const position = history.positionOf(scope.asOf);
  const asOfNow = scope.asOf === undefined ? now : 'recordedBy' in scope.asOf ? scope.asOf.recordedBy : (store.events.readStoredAt(position)?.recordedAt ?? now);
  if (scope.asOf === undefined && !scope.whatIf?.length) return ok({ view: store.catalogue, position, now, hypothetical: 0 });
  const fleet = history.fleetAt(position);
  if (!scope.whatIf?.length) return ok({ view: fleet, position, now: asOfNow, hypothetical: 0 });
  const applied = applyWhatIf(fleet, scope.whatIf);
  if (applied.kind === 'rejected') return err(applied.errors.map((e) => fieldError(`what-if line ${applied.index + 1}: ${e.field}`, e.reason)));
  return ok({ view: applied.fleet, position, now: asOfNow, hypothetical: applied.hypothetical });
};

export interface ScopedIndex {
  readonly index: FleetIndex;
  readonly moment: AnswerMoment;
  readonly hypothetical: number;
}

/**
 * The index a fleet-wide question is answered from: at the head the warm one `head` keeps; as of the past or
 * under what-if, one built from the fold made for this question alone.
 */
export const resolveFleetIndex = (head: HeadFleet, store: FleetStore, scope: QueryScope, now: string): Result<ScopedIndex, FieldError[]> => {
  if (scope.asOf === undefined && !scope.whatIf?.length) {
    const { fleet, index } = head.current();
    return ok({ index, moment: { position: fleet.position, now }, hypothetical: 0 });
  }
  const ctx = resolveScope(store, scope, now);
  if (!ctx.ok) return ctx;
  const fleet = ctx.value.view as InMemoryFleet;
  return ok({ index: new FleetIndex(fleet, fleet.hosts.values(), fleet.guests.values()), moment: { position: ctx.value.position, now: ctx.value.now }, hypothetical: ctx.value.hypothetical });
};
