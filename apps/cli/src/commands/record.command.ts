import { Command } from 'commander';
import { recordAction } from '../actions/record.action';
import { readJsonDocument } from '../input/read-document';
import { parseVersion } from './option-parsers';
import { Emit, runAction } from './run-action';

interface CommonFlags {
  idempotencyKey?: string;
  expectedVersion?: number;
}

const withCommonFlags = (c: Command): Command =>
  c
    .option('--idempotency-key <key>', 'repeat-safe key: a repeated key records nothing and returns the original result')
    .option('--expected-version <n>', 'the stream version you last saw; a different version is a conflict (exit 2)', parseVersion);

/** Without `--at` the command's time is the moment the recorder records it. */
const stampUnlessAt = <O extends { at?: string }>(o: O): O & { stampAt: boolean } => ({ ...o, stampAt: o.at === undefined });

const at = (c: Command): Command => c.option('--at <time>', 'ISO-8601 time with zone (default: the moment it is recorded)');

export const registerRecordCommands = (program: Command, emit: Emit): void => {
  const record = program.command('record').description('record a fact about the fleet as an event');

  withCommonFlags(record.command('host').argument('<file>', 'host snapshot JSON (SPEC §2.1), or - for stdin'))
    .description('record a host capability snapshot')
    .addHelpText('after', '\nExample:\n  spapr-planner record host examples/p9-r1-07.json')
    .action(runAction(emit, (g, file: string, o: CommonFlags) => recordAction(g, 'RecordHostSnapshot', readJsonDocument(file), o)));

  withCommonFlags(record.command('boot').argument('<file>', 'guest boot JSON (SPEC §2.2), or - for stdin'))
    .description('record a guest boot on a host')
    .addHelpText('after', '\nExample:\n  spapr-planner record boot vm-42-boot.json')
    .action(runAction(emit, (g, file: string, o: CommonFlags) => recordAction(g, 'RecordGuestBoot', readJsonDocument(file), o)));

  withCommonFlags(at(record.command('migration')))
    .description('record a completed live migration (the CAS contract is kept)')
    .requiredOption('--guest <id>', 'the guest that moved')
    .requiredOption('--to <host>', 'the destination host')
    .option('--machine <opts>', "destination QEMU's -machine, when it differs from the source's")
    .option('--cpu <model>', "destination QEMU's -cpu, when it differs")
    .addHelpText('after', '\nExample:\n  spapr-planner record migration --guest vm-42 --to p9-r1-08')
    .action(
      runAction(emit, (g, o: CommonFlags & { guest: string; to: string; at?: string; machine?: string; cpu?: string }) =>
        recordAction(g, 'RecordGuestMigration', { guestId: o.guest, toHostId: o.to, ...(o.at !== undefined ? { at: o.at } : {}), ...(o.machine ? { machine: o.machine } : {}), ...(o.cpu ? { cpu: o.cpu } : {}) }, stampUnlessAt(o)),
      ),
    );

  withCommonFlags(at(record.command('reboot')))
    .description('record a guest reboot (CAS runs again on its current host)')
    .requiredOption('--guest <id>', 'the guest that rebooted')
    .option('--machine <opts>', 'the -machine it rebooted with, when changed')
    .option('--kernel-release <release>', 'the kernel it rebooted into (with --kernel-cmdline)')
    .option('--kernel-cmdline <cmdline>', 'that kernel\'s command line (with --kernel-release)')
    .addHelpText('after', '\nExample:\n  spapr-planner record reboot --guest vm-42 --kernel-release 6.1.0-50-powerpc64le --kernel-cmdline "radix_hcall_invalidate=on"')
    .action(
      runAction(emit, (g, o: CommonFlags & { guest: string; at?: string; machine?: string; kernelRelease?: string; kernelCmdline?: string }) => {
        const kernel = o.kernelRelease !== undefined || o.kernelCmdline !== undefined ? { kernel: { release: o.kernelRelease, cmdline: o.kernelCmdline } } : {};
        return recordAction(g, 'RecordGuestReboot', { guestId: o.guest, ...(o.at !== undefined ? { at: o.at } : {}), ...(o.machine ? { machine: o.machine } : {}), ...kernel }, stampUnlessAt(o));
      }),
    );

  withCommonFlags(at(record.command('stop')))
    .description('record that a guest stopped')
    .requiredOption('--guest <id>', 'the guest that stopped')
    .addHelpText('after', '\nExample:\n  spapr-planner record stop --guest vm-42')
    .action(runAction(emit, (g, o: CommonFlags & { guest: string; at?: string }) => recordAction(g, 'RecordGuestStop', { guestId: o.guest, ...(o.at !== undefined ? { at: o.at } : {}) }, stampUnlessAt(o))));

  withCommonFlags(at(program.command('retire')))
    .description('retire a host (it takes no more guests or snapshots)')
    .requiredOption('--host <id>', 'the host to retire')
    .addHelpText('after', '\nExample:\n  spapr-planner retire --host p8-old-01')
    .action(runAction(emit, (g, o: CommonFlags & { host: string; at?: string }) => recordAction(g, 'RetireHost', { hostId: o.host, ...(o.at !== undefined ? { at: o.at } : {}) }, stampUnlessAt(o))));
};
