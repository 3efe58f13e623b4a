import type { Command } from 'commander';
import type { CliResult } from '../cli-result';
import { defaultActor, GlobalOptions } from '../global-options';

export type Emit = (result: CliResult, json: boolean) => void;

/** Wraps an action for commander: gathers the global options and hands the result to the printer. */
export const runAction =
  <A extends unknown[]>(emit: Emit, action: (global: GlobalOptions, ...args: A) => Promise<CliResult>) =>
  async (...commanderArgs: unknown[]): Promise<void> => {
    const command = commanderArgs[commanderArgs.length - 1] as Command;
    const opts = command.optsWithGlobals() as { db: string; json?: boolean; actor?: string };
    const global: GlobalOptions = { db: opts.db, json: opts.json ?? false, actor: opts.actor ?? defaultActor() };
    emit(await action(global, ...(commanderArgs.slice(0, -1) as A)), global.json);
  };
