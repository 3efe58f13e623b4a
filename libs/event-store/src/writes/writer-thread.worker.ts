import { MessagePort, parentPort, workerData } from 'node:worker_threads';
import { Db, openDatabase } from '../open-database';
import { ConnectionWrites } from './connection-writes';
import { decodeWriteOps } from './write-ops.codec';
import { REPLIED, WriterReply, WriterRequest } from './writer-thread.protocol';

/**
 * The writer thread of one large import: its own connection to the store file, one IMMEDIATE transaction, the
 * transaction's writes applied as they arrive while the main thread validates and decides the next commands.
 * The first failing write is kept and reported at commit, which then rolls back: nothing is half written.
 */
const { path, signal, replies } = workerData as { path: string; signal: Int32Array; replies: MessagePort };
// Opened at `begin`, so that a file that cannot be opened is an answer the main thread reads, not a dead thread.
let db: Db | null = null;
let apply: { event: ConnectionWrites['insertEvent']; run: ConnectionWrites['execute'] } | null = null;
let failure: string | null = null;
const sql: string[] = [];

const reply = (answer: WriterReply): void => {
  replies.postMessage(answer);
  Atomics.store(signal, REPLIED, 1);
  Atomics.notify(signal, REPLIED);
};
const end = (statement: 'COMMIT' | 'ROLLBACK'): WriterReply => {
  if (!db) return { ok: true, next: 0 };
  try {
    if (db.inTransaction) db.exec(statement);
    return { ok: true, next: 0 };
  } catch (e) {
    if (db.inTransaction) db.exec('ROLLBACK');
    return { ok: false, error: (e as Error).message };
  } finally {
    db.close();
  }
};

parentPort!.on('message', (request: WriterRequest) => {
  switch (request.kind) {
    case 'begin':
      try {
        db = openDatabase(path);
        const writes = new ConnectionWrites(db);
        apply = { event: writes.insertEvent.bind(writes), run: writes.execute.bind(writes) };
        db.exec('BEGIN IMMEDIATE');
        reply({ ok: true, next: writes.begin() });
      } catch (e) {
        db?.close();
        db = null;
        reply({ ok: false, error: (e as Error).message });
      }
      return;
    case 'ops':
      if (failure === null && apply) {
        try {
          decodeWriteOps(request.ops, sql, apply);
        } catch (e) {
          failure = (e as Error).message;
        }
      }
      return;
    case 'commit':
      if (failure === null) reply(end('COMMIT'));
      else {
        end('ROLLBACK');
        reply({ ok: false, error: failure });
      }
      return;
    case 'rollback':
      reply(end('ROLLBACK'));
      return;
  }
});
