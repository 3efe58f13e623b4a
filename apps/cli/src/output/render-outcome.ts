import { formatFieldErrors } from '@spapr/domain';
import type { RecordOutcome } from '@spapr/planner';
import { EXIT } from '../cli-error';
import type { CliResult } from '../cli-result';

/** One wording for every recording verb; `describeIndex` names the refused command (an import names its line). */
export const renderRecordOutcome = (outcome: RecordOutcome, describeIndex: (index: number) => string = () => ''): CliResult => {
  switch (outcome.kind) {
    case 'recorded': {
      const lines = outcome.events.map((e) => `recorded ${e.type} at #${e.position} (${e.streamId} v${e.streamVersion})`);
      if (outcome.replayed > 0) lines.push(`${outcome.replayed} command(s) repeated an idempotency key: nothing new recorded for them`);
      if (outcome.events.length > 20) lines.splice(10, lines.length - 12, `… ${outcome.events.length - 12} more …`);
      return { exitCode: EXIT.ok, json: outcome, human: `${lines.join('\n')}\nhead #${outcome.headPosition}` };
    }
    case 'rejected':
      return {
        exitCode: EXIT.badInput,
        json: { error: 'rejected', ...outcome },
        human: `error: refused${describeIndex(outcome.index)}; nothing was written\n${formatFieldErrors(outcome.errors.map((e) => ({ field: e.field, reason: e.reason })))
          .split('\n')
          .map((l) => `  ${l}`)
          .join('\n')}`,
      };
    case 'conflict':
      return {
        exitCode: EXIT.badInput,
        json: { error: 'conflict', ...outcome },
        human: `error: conflict${describeIndex(outcome.index)}: stream ${outcome.streamId} is at version ${outcome.actualVersion}, the command expected ${outcome.expectedVersion}; nothing was written (re-read and retry)`,
      };
    default: {
      const unhandled: never = outcome;
      throw new Error(`unhandled outcome ${JSON.stringify(unhandled)}`);
    }
  }
};
