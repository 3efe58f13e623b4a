import type { Command } from 'commander';
import type { AsOf } from '@spapr/planner';
import { importAction } from '../actions/import.action';
import { guestsAction, hostsAction } from '../actions/listing.action';
import { backupAction, rebuildAction, verifyAction } from '../actions/store.action';
import { withAsOf } from './check.command';
import { Emit, runAction } from './run-action';

export const registerStoreCommands = (program: Command, emit: Emit): void => {
  program
    .command('import')
    .argument('<file>', 'JSONL: one {"command": "RecordHostSnapshot", "data": {...}} per line, or - for stdin')
    .description('record many commands, all or nothing')
    .addHelpText('after', '\nExample:\n  spapr-planner import examples/fleet.jsonl')
    .action(runAction(emit, (g, file: string) => importAction(g, file)));

  program
    .command('verify')
    .description('walk the hash chain; names the first edited or missing position (exit 1)')
    .addHelpText('after', '\nExample:\n  spapr-planner verify')
    .action(runAction(emit, (g) => verifyAction(g)));

  program
    .command('rebuild')
    .description('drop every projection and replay the log')
    .addHelpText('after', '\nExample:\n  spapr-planner rebuild')
    .action(runAction(emit, (g) => rebuildAction(g)));

  program
    .command('backup')
    .argument('<file>', 'destination SQLite file')
    .description("copy the store with SQLite's online backup")
    .addHelpText('after', '\nExample:\n  spapr-planner backup /var/backups/planner-$(date +%F).db')
    .action(runAction(emit, (g, file: string) => backupAction(g, file)));

  withAsOf(program.command('hosts'))
    .description('list hosts by level with their latest snapshot')
    .addHelpText('after', '\nExample:\n  spapr-planner hosts --json\n  spapr-planner hosts --as-of #120')
    .action(runAction(emit, (g, o: { asOf?: AsOf }) => hostsAction(g, o.asOf)));

  withAsOf(program.command('guests'))
    .description('list guests with their current host and configuration')
    .addHelpText('after', '\nExample:\n  spapr-planner guests\n  spapr-planner guests --as-of 2026-11-24T10:00:00Z')
    .action(runAction(emit, (g, o: { asOf?: AsOf }) => guestsAction(g, o.asOf)));
};
