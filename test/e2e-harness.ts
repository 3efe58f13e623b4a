import { spawnSync, SpawnSyncReturns } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const REPO = resolve(__dirname, '..');
export const DIST = join(REPO, 'dist');
export const CLI = join(DIST, 'apps/cli/src/main.js');

/** End-to-end tests drive the built product, as an operator would: `npm test` builds first. */
export const requireBuild = (path: string = CLI): string => {
  if (!existsSync(path)) throw new Error(`${path} is missing: run \`npm run build\` first (npm test does)`);
  return path;
};

export const tempDir = (prefix = 'spapr-e2e-'): string => mkdtempSync(join(tmpdir(), prefix));

export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export const runCli = (db: string, args: readonly string[], input?: string | Buffer): CliRun => {
  const r: SpawnSyncReturns<string> = spawnSync(process.execPath, [requireBuild(), '--db', db, ...args], {
    cwd: REPO,
    input,
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};

/** A `--json` run that must succeed, parsed. */
export const cliJson = (db: string, ...args: string[]) => {
  const run = runCli(db, ['--json', ...args]);
  if (run.code !== 0) throw new Error(`${args.join(' ')} exited ${run.code}: ${run.stderr}${run.stdout}`);
  return JSON.parse(run.stdout);
};

/** The store's bytes: the main file and the WAL, if one was left. */
export const storeFingerprint = (db: string): string => {
  const h = createHash('sha256');
  for (const f of [db, `${db}-wal`]) h.update(existsSync(f) ? readFileSync(f) : Buffer.from(`absent ${f}`));
  return h.digest('hex');
};

/** A guest spec file (SPEC §2.2 without at/observed) on the Debian 6.1 kernel, for `check boot` / `simulate`. */
export const writeGuestSpec = (dir: string, name: string, machine: string, cmdline: string): string => {
  const file = join(dir, `${name}.json`);
  writeFileSync(file, JSON.stringify({ machine, cpu: 'host', kernel: { release: '6.1.0-50-powerpc64le', cmdline } }));
  return file;
};
