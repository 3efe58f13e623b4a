import { Query } from '@nestjs/cqrs';
import type { GuestSpecInput } from '@spapr/domain';
import type { WorkloadPlan } from '@spapr/simulation';
import type { QueryScope } from '../history/query-scope';
import type { SimulationAnswer } from '../simulation/simulation-answer';
import type { Scoped } from './check.queries';

/** `simulate --guest-spec FILE --host H`: replay a boot in the MMU simulation. */
export class SimulateBoot extends Query<Scoped<SimulationAnswer>> {
  constructor(
    readonly hostId: string,
    readonly spec: GuestSpecInput,
    readonly workload: WorkloadPlan,
    readonly scope: QueryScope,
    readonly now: string,
  ) {
    super();
  }
}

/** `simulate --guest G --to H`: replay a live migration of running guest G in the MMU simulation. */
export class SimulateMigration extends Query<Scoped<SimulationAnswer>> {
  constructor(
    readonly guestId: string,
    readonly toHostId: string,
    readonly workload: WorkloadPlan,
    readonly scope: QueryScope,
    readonly now: string,
  ) {
    super();
  }
}
