import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { AnswerContext, FieldError, ok, Result } from '@spapr/domain';
import type { FleetView } from '@spapr/domain/fleet/fleet-view';
import type { FleetStore } from '@spapr/event-store';
import { FleetHistory } from '../history/fleet-at';
import { QueryScope, resolveScope } from '../history/query-scope';
import { FLEET_STORE } from '../planner.tokens';
import { SimulationAnswer, simulateBoot, simulateMigration } from '../simulation/simulation-answer';
import type { Scoped } from './check.queries';
import { SimulateBoot, SimulateMigration } from './simulate.query';

type FleetAt = (position: number) => FleetView;

/**
 * The simulation on the fleet of the question's scope (now, as of, what-if), with the fleet as it was at any
 * earlier position: where a nested host's parent, or the migrating guest, last booted. A position after the
 * scope's own is a hypothetical event (a what-if reboot): then it is in the question's own fleet.
 */
const simulateIn = (store: FleetStore, scope: QueryScope, now: string, simulate: (ctx: AnswerContext, fleetAt: FleetAt) => Result<SimulationAnswer, FieldError[]>): Scoped<SimulationAnswer> => {
  const ctx = resolveScope(store, scope, now);
  if (!ctx.ok) return ctx;
  const history = new FleetHistory(store);
  const answer = simulate(ctx.value, (p) => (p <= ctx.value.position ? history.fleetAt(p) : ctx.value.view));
  return answer.ok ? ok({ ...answer.value, hypothetical: ctx.value.hypothetical }) : answer;
};

@QueryHandler(SimulateBoot)
export class SimulateBootHandler implements IQueryHandler<SimulateBoot, Scoped<SimulationAnswer>> {
  constructor(@Inject(FLEET_STORE) private readonly store: FleetStore) {}
  async execute({ hostId, spec, workload, scope, now }: SimulateBoot): Promise<Scoped<SimulationAnswer>> {
    return simulateIn(this.store, scope, now, (ctx, fleetAt) => simulateBoot(ctx, hostId, spec, workload, fleetAt));
  }
}

@QueryHandler(SimulateMigration)
export class SimulateMigrationHandler implements IQueryHandler<SimulateMigration, Scoped<SimulationAnswer>> {
  constructor(@Inject(FLEET_STORE) private readonly store: FleetStore) {}
  async execute({ guestId, toHostId, workload, scope, now }: SimulateMigration): Promise<Scoped<SimulationAnswer>> {
    return simulateIn(this.store, scope, now, (ctx, fleetAt) => simulateMigration(ctx, guestId, toHostId, workload, fleetAt));
  }
}

export const SimulateHandlers = [SimulateBootHandler, SimulateMigrationHandler];
