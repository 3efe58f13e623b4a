import { Command } from 'commander';
import type { AsOf, QueryScope } from '@spapr/planner';
import { checkBootAction, checkMigrationAction, checkNestingAction } from '../actions/check.action';
import { auditAction, destinationsAction } from '../actions/fleet-wide.action';
import { parseAsOfOption } from './option-parsers';
import { Emit, runAction } from './run-action';

/** `--as-of` on every query verb (SPEC §4.1). */
export const withAsOf = (c: Command): Command => c.option('--as-of <#position|time>', 'answer as the fleet was at event #N, or as recorded by an ISO time', parseAsOfOption);

export const scopeOf = (base: QueryScope, asOf: AsOf | undefined): QueryScope => ({ ...base, ...(asOf ? { asOf } : {}) });

export const registerCheckCommands = (program: Command, emit: Emit, scope: QueryScope): void => {
  const check = program.command('check').description('ask before trying: can a guest boot, migrate, or be nested');

  withAsOf(check.command('boot'))
    .description('can this guest configuration boot on host H, and what contract will CAS give it')
    .requiredOption('--guest-spec <file>', 'guest boot JSON (SPEC §2.2, without at/observed), or - for stdin')
    .requiredOption('--host <id>', 'the host to boot on')
    .addHelpText('after', '\nExample:\n  spapr-planner check boot --guest-spec l2.json --host l1-hv')
    .action(runAction(emit, (g, o: { guestSpec: string; host: string; asOf?: AsOf }) => checkBootAction(g, scopeOf(scope, o.asOf), o.guestSpec, o.host)));

  withAsOf(check.command('migration'))
    .description('can running guest G live-migrate to host H now, keeping its CAS contract')
    .requiredOption('--guest <id>', 'the running guest')
    .requiredOption('--to <host>', 'the destination host')
    .option('--machine <opts>', "destination QEMU's -machine, when it would differ")
    .option('--cpu <model>', "destination QEMU's -cpu, when it would differ")
    .addHelpText('after', '\nExample:\n  spapr-planner check migration --guest vm-web-01 --to p9-r1-08')
    .action(runAction(emit, (g, o: { guest: string; to: string; machine?: string; cpu?: string; asOf?: AsOf }) => checkMigrationAction(g, scopeOf(scope, o.asOf), o)));

  withAsOf(check.command('nesting'))
    .description('can guest G be a nested hypervisor, and which L2 configurations may safely boot in it')
    .requiredOption('--guest <id>', 'the would-be L1 guest')
    .addHelpText('after', '\nExample:\n  spapr-planner check nesting --guest l1-hv')
    .action(runAction(emit, (g, o: { guest: string; asOf?: AsOf }) => checkNestingAction(g, scopeOf(scope, o.asOf), o.guest)));

  withAsOf(program.command('destinations'))
    .description('every host, grouped into capability classes, each with its verdict for one guest')
    .requiredOption('--guest <id>', 'the running guest')
    .addHelpText('after', '\nExample:\n  spapr-planner destinations --guest vm-web-01')
    .action(runAction(emit, (g, o: { guest: string; asOf?: AsOf }) => destinationsAction(g, scopeOf(scope, o.asOf), o.guest)));

  withAsOf(program.command('audit'))
    .description('check every placed guest and nested stack; findings ranked; stranded guests; records AuditCompleted')
    .addHelpText('after', '\nExample:\n  spapr-planner audit --json')
    .action(runAction(emit, (g, o: { asOf?: AsOf }) => auditAction(g, scopeOf(scope, o.asOf))));
};
