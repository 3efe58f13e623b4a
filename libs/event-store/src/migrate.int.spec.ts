import { copyFileSync, mkdirSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { aBoot, aHost } from '@spapr/domain/testing/fleet-fixtures';
import { FleetRecorder } from '@spapr/planner/recording/fleet-recorder';
import { openFleetStore } from './fleet-store';
import { GENESIS_HASH } from './hash-chain';
import { applyMigrations, findMigrationsDir } from './migrate';
import { verifyChain } from './verify';

const now = () => '2026-11-25T00:00:00.000Z';

/** A store file as a release that had only the first `upTo` migrations left it. */
const olderSchema = (dir: string, upTo: number): Database.Database => {
  const migrations = join(dir, 'migrations');
  mkdirSync(migrations);
  for (const f of readdirSync(findMigrationsDir()).filter((f) => Number(f.slice(0, 4)) <= upTo)) copyFileSync(join(findMigrationsDir(), f), join(migrations, f));
  const db = new Database(join(dir, 'planner.db'));
  db.pragma('journal_mode = WAL');
  applyMigrations(db, migrations);
  return db;
};

describe('When a store written before migrations 0004 and 0005 is opened', () => {
  it('keeps every event and the chain, drops the stored previous hash, and replays the catalogue without the boot command', () => {
    const dir = mkdtempSync(join(tmpdir(), 'spapr-migrate-'));
    // What the current code records, written as the older schema held it: prev_hash beside each hash, guest rows
    // with their boot command, positions assigned up to 9 (the newest removed behind the database's back).
    const current = openFleetStore(':memory:');
    new FleetRecorder(current).record(
      [
        { type: 'RecordHostSnapshot', document: aHost() },
        { type: 'RecordGuestBoot', document: aBoot() },
      ],
      { actor: 'test', now },
    );
    const events = current.db.prepare('SELECT * FROM events ORDER BY position').all() as { hash: string }[];
    const hosts = current.db.prepare('SELECT * FROM catalogue_hosts').all();
    const guests = current.db.prepare('SELECT * FROM catalogue_guests').all() as { state: string }[];
    const old = olderSchema(dir, 3);
    const insert = old.prepare('INSERT INTO events (position, stream_id, stream_version, type, data, metadata, recorded_at, prev_hash, hash) VALUES (@position, @stream_id, @stream_version, @type, @data, @metadata, @recorded_at, @prev_hash, @hash)');
    events.forEach((e, i) => insert.run({ ...e, prev_hash: i === 0 ? GENESIS_HASH : events[i - 1].hash }));
    old.prepare("UPDATE sqlite_sequence SET seq = 9 WHERE name = 'events'").run();
    for (const h of hosts) old.prepare('INSERT INTO catalogue_hosts VALUES (@host_id, @level, @parent_guest_id, @retired_at, @version, @state)').run(h);
    for (const g of guests) old.prepare('INSERT INTO catalogue_guests VALUES (@guest_id, @host_id, @status, @version, @state)').run({ ...g, state: JSON.stringify({ ...JSON.parse(g.state), lastBoot: aBoot() }) });
    old.prepare("INSERT INTO projection_checkpoints VALUES ('catalogue', ?)").run(events.length);
    old.close();

    const store = openFleetStore(join(dir, 'planner.db'));
    expect(store.db.prepare('SELECT * FROM events ORDER BY position').all()).toEqual(events);
    expect(store.db.prepare('SELECT * FROM catalogue_hosts').all()).toEqual(hosts);
    expect(store.db.prepare('SELECT * FROM catalogue_guests').all()).toEqual(guests);
    // Both events chain as first written; the positions assigned after them are still missed.
    expect(verifyChain(store.db)).toEqual(expect.objectContaining({ ok: false, problem: 'missing', position: 3, checked: 2 }));
    expect(() => store.db.exec("UPDATE events SET data = '{}'")).toThrow(/append-only/);
    store.close();
  });
});
