import { FleetCommandType } from '@spapr/domain';
import { RecordFleetCommands } from '@spapr/planner';
import type { CliResult } from '../cli-result';
import type { GlobalOptions } from '../global-options';
import { renderRecordOutcome } from '../output/render-outcome';
import { withPlanner } from '../planner-session';

export interface RecordOptions {
  readonly idempotencyKey?: string;
  readonly expectedVersion?: number;
  /** Built from flags without `--at`: the recorder stamps the moment it records. */
  readonly stampAt?: boolean;
}

/** Records one command document (from a file or built from flags). */
export const recordAction = async (global: GlobalOptions, type: FleetCommandType, document: unknown, options: RecordOptions = {}): Promise<CliResult> => {
  const withKey =
    options.idempotencyKey !== undefined && typeof document === 'object' && document !== null && !Array.isArray(document)
      ? { ...document, idempotencyKey: options.idempotencyKey }
      : document;
  const context = { actor: global.actor, now: () => new Date().toISOString(), ...(options.expectedVersion !== undefined ? { expectedVersion: options.expectedVersion } : {}) };
  const outcome = await withPlanner(global.db, (p) => p.commands.execute(new RecordFleetCommands([{ type, document: withKey, stampAt: options.stampAt === true }], context)));
  return renderRecordOutcome(outcome, () => ` (${type})`);
};
