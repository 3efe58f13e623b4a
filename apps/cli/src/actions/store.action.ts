import { BackupStore, RebuildProjections, VerifyChain } from '@spapr/planner';
import { EXIT } from '../cli-error';
import type { CliResult } from '../cli-result';
import type { GlobalOptions } from '../global-options';
import { withPlanner } from '../planner-session';

export const verifyAction = async (global: GlobalOptions): Promise<CliResult> => {
  const result = await withPlanner(global.db, (p) => p.queries.execute(new VerifyChain()));
  return result.ok
    ? { exitCode: EXIT.ok, json: result, human: `ok: ${result.events} events, chain intact to #${result.headPosition} (${result.headHash.slice(0, 16)}…)` }
    : { exitCode: EXIT.findings, json: result, human: `FAILED at position ${result.position} (${result.problem}): ${result.detail}; ${result.checked} events before it verified` };
};

export const rebuildAction = async (global: GlobalOptions): Promise<CliResult> => {
  const result = await withPlanner(global.db, (p) => p.commands.execute(new RebuildProjections()));
  return { exitCode: EXIT.ok, json: result, human: `rebuilt projections from ${result.replayed} events` };
};

export const backupAction = async (global: GlobalOptions, destination: string): Promise<CliResult> => {
  const result = await withPlanner(global.db, (p) => p.commands.execute(new BackupStore(destination)));
  return { exitCode: EXIT.ok, json: { destination, ...result }, human: `backed up ${result.totalPages} pages to ${destination}` };
};
