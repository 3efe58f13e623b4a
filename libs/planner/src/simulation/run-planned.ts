/** Runs a planned simulation, or ends it where QEMU refused the guest's options, as the simulation would report it. */
import { runScenario, ScenarioResult, SimulationOptions } from '@spapr/simulation';
import type { Plan } from '@spapr/simulation';
import type { Planned } from './simulation-plan';

export const runPlanned = <P extends Plan>(planned: Planned<P>, options?: SimulationOptions): ScenarioResult => {
  if (planned.kind === 'plan') return runScenario(planned.plan, options);
  const { host, message, source } = planned.refusal;
  return {
    outcome: { kind: planned.at === 'boot' ? 'qemu-refused' : 'migration-failed', message, source },
    trace: [{ step: 0, event: { type: 'qemu-refused', host, message, source } }],
    steps: 0,
    instructions: 0,
  };
};
