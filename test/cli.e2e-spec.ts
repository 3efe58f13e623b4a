import Database from 'better-sqlite3';
import { join } from 'node:path';
import { cliJson as json, REPO, runCli, tempDir } from './e2e-harness';

const EXAMPLE = join(REPO, 'examples/fleet.jsonl');
describe('When an operator records the example fleet through the CLI', () => {
  const db = join(tempDir(), 'planner.db');

  it('imports every line and lists hosts at levels 0, 1 and 2 and their guests', () => {
    const imported = json(db, 'import', EXAMPLE);
    expect(imported).toEqual(expect.objectContaining({ kind: 'recorded', headPosition: 18 }));
    const hosts = json(db, 'hosts') as { host: { hostId: string; snapshot: { level: number } } }[];
    expect(new Set(hosts.map((h) => h.host.snapshot.level))).toEqual(new Set([0, 1, 2]));
    const guests = json(db, 'guests') as { guestId: string; hostId: string }[];
    expect(guests.find((g) => g.guestId === 'vm-web-02')?.hostId).toBe('p9-r1-07');
  });

  it('records a migration, a reboot and a stop, then retires the emptied host', () => {
    expect(json(db, 'record', 'migration', '--guest', 'vm-web-01', '--to', 'p9-r1-08', '--at', '2026-11-25T09:00:00Z').events[0].type).toBe('GuestMigrated');
    expect(json(db, 'record', 'reboot', '--guest', 'vm-web-01', '--at', '2026-11-25T09:10:00Z', '--kernel-release', '6.1.0-51-powerpc64le', '--kernel-cmdline', 'quiet').events[0].type).toBe('GuestRebooted');
    expect(json(db, 'record', 'stop', '--guest', 'vm-legacy-01', '--at', '2026-11-25T09:20:00Z').events[0].type).toBe('GuestStopped');
    expect(json(db, 'retire', '--host', 'p8-old-01', '--at', '2026-11-25T09:30:00Z').events[0].type).toBe('HostRetired');
    const guest = (json(db, 'guests') as { guestId: string; hostId: string; configuration: { kernel: { release: string } } }[]).find((g) => g.guestId === 'vm-web-01');
    expect(guest).toEqual(expect.objectContaining({ hostId: 'p9-r1-08', configuration: expect.objectContaining({ kernel: { release: '6.1.0-51-powerpc64le', cmdline: 'quiet' } }) }));
  });

  it('records a snapshot from stdin once per idempotency key', () => {
    const doc = JSON.stringify({ hostId: 'tcg-lab-02', observedAt: '2026-11-25T10:00:00Z', level: 0, cpu: { model: 'POWER10' }, accelerator: 'tcg', kernel: { release: '6.1.0-50-amd64', cmdline: '' }, qemu: { version: '7.2.0' } });
    const first = runCli(db, ['--json', 'record', 'host', '-', '--idempotency-key', 'lab-02-first'], doc);
    const again = runCli(db, ['--json', 'record', 'host', '-', '--idempotency-key', 'lab-02-first'], doc);
    expect(first.code).toBe(0);
    expect(JSON.parse(again.stdout)).toEqual({ ...JSON.parse(first.stdout), replayed: 1 });
  });

  it('recognises a retried flag-built command by its key although its time was stamped anew', () => {
    const first = runCli(db, ['--json', 'record', 'stop', '--guest', 'vm-web-02', '--idempotency-key', 'stop-web-02']);
    const again = runCli(db, ['--json', 'record', 'stop', '--guest', 'vm-web-02', '--idempotency-key', 'stop-web-02']);
    expect(first.code).toBe(0);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toEqual({ ...JSON.parse(first.stdout), replayed: 1 });
    const other = runCli(db, ['--json', 'record', 'stop', '--guest', 'vm-db-01', '--idempotency-key', 'stop-web-02']);
    expect(other.code).toBe(2);
    expect(JSON.parse(other.stdout).errors).toEqual([{ field: 'idempotencyKey', reason: 'was already used for a different command' }]);
  });

  it('rebuild gives the same listings', () => {
    const before = [json(db, 'hosts'), json(db, 'guests')];
    expect(json(db, 'rebuild').replayed).toBe(json(db, 'verify').events);
    expect([json(db, 'hosts'), json(db, 'guests')]).toEqual(before);
  });

  it('backs up to a file that verifies on its own', () => {
    const copy = join(tempDir(), 'backup.db');
    json(db, 'backup', copy);
    expect(json(copy, 'verify')).toEqual(expect.objectContaining({ ok: true, events: json(db, 'verify').events }));
  });

  it('verify exits 1 and names the position of an edited event', () => {
    const tampered = join(tempDir(), 'tampered.db');
    json(db, 'backup', tampered);
    const raw = new Database(tampered);
    raw.exec('DROP TRIGGER events_refuse_update');
    raw.prepare("UPDATE events SET data = replace(data, 'POWER9', 'POWER8') WHERE position = 2").run();
    raw.close();
    const run = runCli(tampered, ['verify']);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/FAILED at position 2 \(edited\)/);
  });

  it('prints help with an example for every verb', () => {
    for (const verb of [['record', 'host'], ['record', 'boot'], ['record', 'migration'], ['record', 'reboot'], ['record', 'stop'], ['retire'], ['import'], ['verify'], ['rebuild'], ['backup'], ['hosts'], ['guests']]) {
      const run = runCli(db, [...verb, '--help']);
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/Example:\n {2}spapr-planner /);
    }
  });

  it('exits 2 on an unknown verb', () => {
    expect(runCli(db, ['frobnicate']).code).toBe(2);
  });
});
