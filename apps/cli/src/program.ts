import { Command } from 'commander';
import { registerRecordCommands } from './commands/record.command';
import type { Emit } from './commands/run-action';
import { registerStoreCommands } from './commands/store.command';
import { DEFAULT_DB } from './global-options';

/** The whole verb tree; output and exits are overridden so tests can drive it in-process. */
export const buildProgram = (emit: Emit, write: { out: (s: string) => void; err: (s: string) => void }): Command => {
  const program = new Command('spapr-planner')
    .description('Where can each pSeries guest safely boot, live-migrate or be nested, and why.')
    .option('--db <path>', 'the SQLite store file (env SPAPR_PLANNER_DB)', DEFAULT_DB)
    .option('--json', 'machine-readable output (the contract; tables render it)')
    .option('--actor <name>', 'who records (stored in event metadata)')
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({ writeOut: write.out, writeErr: write.err });
  registerRecordCommands(program, emit);
  registerStoreCommands(program, emit);
  for (const c of program.commands) {
    c.exitOverride().configureOutput({ writeOut: write.out, writeErr: write.err });
    for (const sub of c.commands) sub.exitOverride().configureOutput({ writeOut: write.out, writeErr: write.err });
  }
  return program;
};
