import { parseGuestSpec } from '@spapr/domain';
import { QueryScope, Scoped, SimulateBoot, SimulateMigration, SimulationAnswer } from '@spapr/planner';
import type { WorkloadPlan } from '@spapr/simulation';
import { BadInputError } from '../cli-error';
import type { CliResult } from '../cli-result';
import type { GlobalOptions } from '../global-options';
import { readJsonDocument } from '../input/read-document';
import { renderSimulation } from '../output/render-simulation';
import { withPlanner } from '../planner-session';

export type SimulationQuestion = { readonly kind: 'boot'; readonly specFile: string; readonly hostId: string } | { readonly kind: 'migration'; readonly guestId: string; readonly toHostId: string };

const answered = (result: Scoped<SimulationAnswer>): SimulationAnswer & { hypothetical: number } => {
  if (!result.ok) throw new BadInputError(result.error);
  return result.value;
};

/** `simulate`: replay a boot or a migration from the fleet in the MMU simulation and show its outcome and trace. */
export const simulateAction = async (global: GlobalOptions, scope: QueryScope, question: SimulationQuestion, workload: WorkloadPlan): Promise<CliResult> => {
  const now = new Date().toISOString();
  if (question.kind === 'migration') {
    return renderSimulation(answered(await withPlanner(global.db, (p) => p.queries.execute(new SimulateMigration(question.guestId, question.toHostId, workload, scope, now)))));
  }
  const spec = parseGuestSpec(readJsonDocument(question.specFile));
  if (!spec.ok) throw new BadInputError(spec.error, 'guest spec');
  return renderSimulation(answered(await withPlanner(global.db, (p) => p.queries.execute(new SimulateBoot(question.hostId, spec.value, workload, scope, now)))));
};
