import { Command } from 'commander';
import type { QueryScope } from '@spapr/planner';
import { decodeOv5Action } from './actions/decode-ov5.action';
import { readWhatIfFile } from './actions/what-if.action';
import { registerCheckCommands } from './commands/check.command';
import { registerRecordCommands } from './commands/record.command';
import { registerSimulateCommand } from './commands/simulate.command';
import type { Emit } from './commands/run-action';
import { registerStoreCommands } from './commands/store.command';
import { DEFAULT_DB } from './global-options';

type Write = { out: (s: string) => void; err: (s: string) => void };

/**
 * The whole verb tree; output and exits are overridden so tests can drive it in-process. `scope` carries the
 * hypothetical commands of a `what-if`, which re-enters this tree with the query that follows it.
 */
export const buildProgram = (emit: Emit, write: Write, scope: QueryScope = {}): Command => {
  const program = new Command('spapr-planner')
    .description('Where can each pSeries guest safely boot, live-migrate or be nested, and why.')
    .option('--db <path>', 'the SQLite store file (env SPAPR_PLANNER_DB)', DEFAULT_DB)
    .option('--json', 'machine-readable output (the contract; tables render it)')
    .option('--actor <name>', 'who records (stored in event metadata)')
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({ writeOut: write.out, writeErr: write.err });
  // Under what-if only questions are asked: nothing that records or maintains the store.
  if (!scope.whatIf) {
    registerRecordCommands(program, emit);
    registerStoreCommands(program, emit);
  }
  registerCheckCommands(program, emit, scope);
  registerSimulateCommand(program, emit, scope);
  program
    .command('decode-ov5')
    .argument('<hex>', '/proc/device-tree/chosen/ibm,architecture-vec-5 as hex (byte 0 = length - 1)')
    .description('print every feature an ov5 vector sets, by name')
    .addHelpText('after', '\nExample:\n  spapr-planner decode-ov5 1900200000a0050000000000000000000000000000008040400040')
    .action(async (hex: string, _o: unknown, cmd: Command) => emit(await decodeOv5Action(hex), Boolean(cmd.optsWithGlobals().json)));
  if (!scope.whatIf) {
    program
      .command('what-if')
      .argument('<file>', 'hypothetical commands, JSONL as for import; nothing is recorded')
      .argument('<query...>', 'any query verb and its flags')
      .description('answer a query after hypothetical events (a kernel or QEMU upgrade, a reboot…)')
      .allowUnknownOption()
      .addHelpText('after', '\nExample:\n  spapr-planner what-if upgrade-l1.jsonl check boot --guest-spec l2.json --host l1-hv')
      .action(async (file: string, query: string[], _o: unknown, cmd: Command) => {
        const g = cmd.optsWithGlobals() as { db: string; json?: boolean; actor?: string };
        const whatIf = readWhatIfFile(file);
        const globals = ['--db', g.db, ...(g.json ? ['--json'] : []), ...(g.actor ? ['--actor', g.actor] : [])];
        await buildProgram(emit, write, { ...scope, whatIf }).parseAsync([...globals, ...query], { from: 'user' });
      });
  }
  const configure = (c: Command): void => {
    c.exitOverride().configureOutput({ writeOut: write.out, writeErr: write.err });
    c.commands.forEach(configure);
  };
  program.commands.forEach(configure);
  return program;
};
