import type { ExitCode } from './cli-error';

/** What an action produced: the JSON is the contract, the human text renders it (UX.md). */
export interface CliResult {
  readonly exitCode: ExitCode;
  readonly json: unknown;
  readonly human: string;
}
