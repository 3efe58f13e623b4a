import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { applyMigrations } from './migrate';

export type Db = Database.Database;

export interface OpenOptions {
  readonly readonly?: boolean;
}

/**
 * Opens (creating if needed) the store file and applies pending migrations.
 * WAL lets readers (CLI queries, the dashboard) run beside the writer; synchronous=FULL makes every
 * commit durable before it is acknowledged: in WAL mode NORMAL may lose the last commits on power loss,
 * and an acknowledged event must survive (SPEC §6 "Durability").
 */
export const openDatabase = (path: string, options: OpenOptions = {}): Db => {
  if (path !== ':memory:' && !options.readonly) mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path, { readonly: options.readonly ?? false, fileMustExist: options.readonly ?? false });
  db.pragma('busy_timeout = 5000');
  if (!options.readonly) {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    applyMigrations(db);
  }
  return db;
};
