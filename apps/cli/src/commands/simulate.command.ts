import { Command, InvalidArgumentError } from 'commander';
import { fieldError } from '@spapr/domain';
import type { AsOf, QueryScope } from '@spapr/planner';
import { SimulationQuestion, simulateAction } from '../actions/simulate.action';
import { BadInputError } from '../cli-error';
import { scopeOf, withAsOf } from './check.command';
import { Emit, runAction } from './run-action';

const wholeNumber = (min: number, max: number) => (value: string): number => {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || n > max) throw new InvalidArgumentError(`must be a whole number from ${min} to ${max}`);
  return n;
};

interface SimulateFlags {
  guest?: string;
  to?: string;
  guestSpec?: string;
  host?: string;
  steps: number;
  seed: number;
  asOf?: AsOf;
}

/** Exactly one of the two questions: a migration (`--guest --to`) or a boot (`--guest-spec --host`). */
export const simulationQuestionOf = (o: SimulateFlags): SimulationQuestion => {
  if (o.guest !== undefined && o.to !== undefined && o.guestSpec === undefined && o.host === undefined) return { kind: 'migration', guestId: o.guest, toHostId: o.to };
  if (o.guestSpec !== undefined && o.host !== undefined && o.guest === undefined && o.to === undefined) return { kind: 'boot', specFile: o.guestSpec, hostId: o.host };
  throw new BadInputError([fieldError('(options)', 'give --guest G --to H (a live migration) or --guest-spec FILE --host H (a boot), not both')]);
};

export const registerSimulateCommand = (program: Command, emit: Emit, scope: QueryScope): void => {
  withAsOf(program.command('simulate'))
    .description('replay a live migration or a boot in the MMU simulation and show its outcome and trace')
    .option('--guest <id>', 'the running guest to migrate (with --to)')
    .option('--to <host>', 'the destination host (with --guest)')
    .option('--guest-spec <file>', 'guest boot JSON (SPEC §2.2, without at/observed) to boot (with --host), or - for stdin')
    .option('--host <id>', 'the host to boot on (with --guest-spec)')
    .option('--steps <n>', 'workload steps (map, touch, unmap, protect, flush, reclaim)', wholeNumber(1, 100_000), 200)
    .option('--seed <n>', 'workload seed: the same seed replays the same trace', wholeNumber(0, 0x7fffffff), 1)
    .addHelpText('after', '\nExample:\n  spapr-planner simulate --guest vm-web-01 --to l1-hv\n  spapr-planner simulate --guest-spec l2.json --host l1-hv --steps 1000 --seed 7')
    .action(runAction(emit, (g, o: SimulateFlags) => simulateAction(g, scopeOf(scope, o.asOf), simulationQuestionOf(o), { seed: o.seed, steps: o.steps })));
};
