import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type Database from 'better-sqlite3';

const MIGRATION_FILE = /^(\d{4})_[a-z0-9_]+\.sql$/;

/** `migrations/` at the repository root, found from this file both in the sources and in `dist/`. */
export const findMigrationsDir = (from: string = __dirname): string => {
  for (let dir = resolve(from), i = 0; i < 8; i++, dir = resolve(dir, '..')) {
    const candidate = join(dir, 'migrations');
    if (existsSync(join(candidate, '0001_events.sql'))) return candidate;
  }
  throw new Error(`migrations directory not found above ${from}`);
};

export interface AppliedMigration {
  readonly version: number;
  readonly name: string;
}

/** Applies `NNNN_name.sql` files in order, each in its own transaction, recorded in `schema_migrations`. */
export const applyMigrations = (db: Database.Database, dir: string = findMigrationsDir()): AppliedMigration[] => {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
  const done = new Set(db.prepare('SELECT version FROM schema_migrations').pluck().all() as number[]);
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  const applied: AppliedMigration[] = [];
  for (const name of readdirSync(dir).filter((f) => MIGRATION_FILE.test(f)).sort()) {
    const version = Number(MIGRATION_FILE.exec(name)![1]);
    if (done.has(version)) continue;
    const sql = readFileSync(join(dir, name), 'utf8');
    db.transaction(() => {
      db.exec(sql);
      record.run(version, name, new Date().toISOString());
    }).immediate();
    applied.push({ version, name });
  }
  return applied;
};
