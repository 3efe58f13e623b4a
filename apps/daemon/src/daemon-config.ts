import { Command, InvalidArgumentError } from 'commander';

export interface DaemonConfig {
  readonly dbPath: string;
  readonly host: string;
  readonly port: number;
  /** A JSONL import loaded only when the store is empty (the README's quick start). */
  readonly seedFile?: string;
}

const parsePort = (v: string): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('must be a TCP port 0–65535');
  return n;
};

/** Flags win over environment, environment over defaults; loopback unless told otherwise (SPEC §6 Security). */
export const readDaemonConfig = (argv: readonly string[], env: NodeJS.ProcessEnv = process.env): DaemonConfig => {
  const opts = new Command('spapr-planner-daemon')
    .option('--db <path>', 'SQLite store file', env.SPAPR_PLANNER_DB ?? './data/planner.db')
    .option('--host <address>', 'listen address', env.SPAPR_PLANNER_HOST ?? '127.0.0.1')
    .option('--port <port>', 'listen port', parsePort, env.SPAPR_PLANNER_PORT ? parsePort(env.SPAPR_PLANNER_PORT) : 8080)
    .option('--seed <file>', 'JSONL import to load when the store is empty')
    .parse(argv, { from: 'user' })
    .opts<{ db: string; host: string; port: number; seed?: string }>();
  return { dbPath: opts.db, host: opts.host, port: opts.port, ...(opts.seed ? { seedFile: opts.seed } : {}) };
};
