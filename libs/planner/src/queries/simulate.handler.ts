import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { AnswerContext, FieldError, ok, Result } from '@spapr/domain';
import type { FleetStore } from '@spapr/event-store';
import { FleetHistory } from '../history/fleet-at';
import { QueryScope, resolveScope } from '../history/query-scope';
import { FLEET_STORE } from '../planner.tokens';
import { SimulationAnswer, simulateBoot, simulateMigration } from '../simulation/simulation-answer';
import type { Scoped } from './check.queries';
import { SimulateBoot, SimulateMigration } from './simulate.query';

/** The simulation on the fleet of the question's scope (now, as of, what-if). */
const simulateIn = (store: FleetStore, scope: QueryScope, now: string, simulate: (ctx: AnswerContext) => Result<SimulationAnswer, FieldError[]>): Scoped<SimulationAnswer> => {
  const ctx = resolveScope(store, scope, now);
  if (!ctx.ok) return ctx;
  const answer = simulate(ctx.value);
  return answer.ok ? ok({ ...answer.value, hypothetical: ctx.value.hypothetical }) : answer;
};

@QueryHandler(SimulateBoot)
export class SimulateBootHandler implements IQueryHandler<SimulateBoot, Scoped<SimulationAnswer>> {
  constructor(@Inject(FLEET_STORE) private readonly store: FleetStore) {}
  async execute({ hostId, spec, workload, scope, now }: SimulateBoot): Promise<Scoped<SimulationAnswer>> {
    return simulateIn(this.store, scope, now, (ctx) => simulateBoot(ctx, hostId, spec, workload));
  }
}

@QueryHandler(SimulateMigration)
export class SimulateMigrationHandler implements IQueryHandler<SimulateMigration, Scoped<SimulationAnswer>> {
  constructor(@Inject(FLEET_STORE) private readonly store: FleetStore) {}
  async execute({ guestId, toHostId, workload, scope, now }: SimulateMigration): Promise<Scoped<SimulationAnswer>> {
    const history = new FleetHistory(this.store);
    // The guest's last boot may be hypothetical (a what-if reboot): then it is in the question's own fleet.
    return simulateIn(this.store, scope, now, (ctx) => simulateMigration(ctx, guestId, toHostId, workload, (p) => (p <= ctx.position ? history.fleetAt(p) : ctx.view)));
  }
}

export const SimulateHandlers = [SimulateBootHandler, SimulateMigrationHandler];
