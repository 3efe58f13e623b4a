import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { FleetEvent, InMemoryFleet } from '@spapr/domain';
import { listGuests, listHosts, openFleetStore, verifyChain } from '@spapr/event-store';
import { DIST, requireBuild, tempDir } from './e2e-harness';

const WRITER = join(DIST, 'test/fixtures/crash-writer.js');

interface Ack {
  readonly i: number;
  readonly position: number;
}

/** Starts the writer, waits for its first ack, lets it run a random while, then SIGKILLs it. */
const runAndKill = (db: string, killAfterMs: number, batch: number): Promise<Ack[]> =>
  new Promise((resolveAcks, reject) => {
    const child = spawn(process.execPath, [requireBuild(WRITER), db, String(batch)], { stdio: ['ignore', 'pipe', 'pipe'] });
    const acks: Ack[] = [];
    let buffered = '';
    let stderr = '';
    let timer: NodeJS.Timeout | undefined;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      buffered += chunk;
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        const [, i, position] = line.split(' ');
        acks.push({ i: Number(i), position: Number(position) });
      }
      timer ??= setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    });
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.on('exit', (code, signal) => {
      if (timer) clearTimeout(timer);
      if (signal !== 'SIGKILL') reject(new Error(`writer ended by itself (code ${code}): ${stderr}`));
      else resolveAcks(acks);
    });
  });

describe('When the writer is killed with SIGKILL at random moments', () => {
  it.each([
    ['one command per transaction', 1, 20],
    ['batches of 40 commands, each written by the writer thread', 40, 10],
  ])('every acknowledged event survives, none is half-written, and projections match the log: %s (%d per commit, %d kills)', async (_, batch, kills) => {
    const db = join(tempDir('spapr-crash-'), 'planner.db');
    const acknowledged: Ack[] = [];
    for (let round = 0; round < kills; round++) {
      acknowledged.push(...(await runAndKill(db, 20 + Math.floor(Math.random() * 300), batch)));
      const store = openFleetStore(db);
      try {
        const chain = verifyChain(store.db);
        expect(chain).toEqual(expect.objectContaining({ ok: true }));
        const byPosition = new Map([...store.events.readAll()].map((e) => [e.position, e]));
        for (const ack of acknowledged) expect(byPosition.get(ack.position)?.metadata.idempotencyKey).toBe(`w-${ack.i}`);
        // The projection was written in the same transaction as its events: it is exactly the fold of the log.
        const fold = InMemoryFleet.of([...byPosition.values()].map((e) => ({ event: e.event as FleetEvent, position: e.position })));
        expect(listHosts(store.db).map((h) => h.host)).toEqual([...fold.hosts.values()].sort((a, b) => a.hostId.localeCompare(b.hostId)));
        expect(listGuests(store.db)).toEqual([...fold.guests.values()].sort((a, b) => a.guestId.localeCompare(b.guestId)));
      } finally {
        store.close();
      }
    }
    expect(acknowledged.length).toBeGreaterThan(kills);
  }, 120_000);
});
