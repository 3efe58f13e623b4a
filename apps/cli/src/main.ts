#!/usr/bin/env node
import { CommanderError } from 'commander';
import { formatFieldErrors } from '@spapr/domain';
import { BadInputError, EXIT, ExitCode } from './cli-error';
import type { CliResult } from './cli-result';
import { buildProgram } from './program';

/** Runs one CLI invocation and returns its exit code (SPEC §4.1: 0 ok, 1 findings, 2 bad input, 3 internal). */
export const runCli = async (argv: readonly string[], write = { out: (s: string) => process.stdout.write(s), err: (s: string) => process.stderr.write(s) }): Promise<ExitCode> => {
  let exitCode: ExitCode = EXIT.ok;
  const emit = (result: CliResult, json: boolean) => {
    exitCode = result.exitCode;
    if (json) write.out(`${JSON.stringify(result.json, null, 2)}\n`);
    else (result.exitCode === EXIT.badInput ? write.err : write.out)(`${result.human}\n`);
  };
  const program = buildProgram(emit, write);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? EXIT.ok : EXIT.badInput;
    if (e instanceof BadInputError) {
      if (argv.includes('--json')) write.out(`${JSON.stringify({ error: 'bad-input', errors: e.errors }, null, 2)}\n`);
      else write.err(`error: bad input; nothing was written\n${formatFieldErrors(e.errors).split('\n').map((l) => `  ${l}`).join('\n')}\n`);
      return EXIT.badInput;
    }
    write.err(`internal error: ${(e as Error).stack ?? String(e)}\n`);
    return EXIT.internal;
  }
};

if (require.main === module) {
  runCli(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
