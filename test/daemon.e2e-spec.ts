import { ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { DIST, REPO, requireBuild, tempDir } from './e2e-harness';

const DAEMON = join(DIST, 'apps/daemon/src/main.js');

const freePort = (): Promise<number> =>
  new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

const startDaemon = async (db: string): Promise<{ child: ChildProcess; url: string; log: () => string }> => {
  const port = await freePort();
  const child = spawn(process.execPath, [requireBuild(DAEMON), '--db', db, '--port', String(port), '--seed', join(REPO, 'examples/fleet.jsonl')], { cwd: REPO });
  let log = '';
  child.stdout?.on('data', (c) => (log += c));
  child.stderr?.on('data', (c) => (log += c));
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`${url}/health`)).ok) return { child, url, log: () => log };
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  child.kill('SIGKILL');
  throw new Error(`daemon did not answer /health:\n${log}`);
};

const stop = (child: ChildProcess): Promise<void> => new Promise((resolve) => child.once('exit', () => resolve()).kill('SIGTERM'));

describe('When the daemon starts on an empty store with the example seed', () => {
  it('loads the example fleet once, answers /health on loopback, and does not load it again', async () => {
    const db = join(tempDir(), 'planner.db');
    const first = await startDaemon(db);
    const health = await (await fetch(`${first.url}/health`)).json();
    expect(health).toEqual({ status: 'ok', headPosition: 18, catalogueCheckpoint: 18 });
    expect(first.log()).toMatch(/loaded 18 events/);
    await stop(first.child);
    const second = await startDaemon(db);
    expect(await (await fetch(`${second.url}/health`)).json()).toEqual(health);
    expect(second.log()).toMatch(/has events: seed .* not loaded/);
    await stop(second.child);
  }, 30_000);
});
