import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { MessageChannel, MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads';
import type { Db } from '../open-database';
import type { NewEventRow, SqlParam, WriteSink } from './write-sink';
import { WriteOpsEncoder } from './write-ops.codec';
import { REPLIED, WriterReply, WriterRequest } from './writer-thread.protocol';

/**
 * How long the thread may take to answer `begin`: loading its modules, opening the file and waiting out another
 * writer's lock (busy_timeout) take seconds at most; a thread that failed to load never answers. After that first
 * answer everything it runs reports its own failure, and a commit of a very large import may rightly take minutes.
 */
const BEGIN_MS = 60_000;

/**
 * The compiled worker: beside this module when running from dist/, else the build's copy (ts-jest runs the
 * sources, and a worker thread runs plain JavaScript). Without either, imports stay on the main thread.
 */
const workerFile = ((): string | null => {
  const beside = join(__dirname, 'writer-thread.worker.js');
  if (existsSync(beside)) return beside;
  const built = resolve(__dirname, '../../../../dist/libs/event-store/src/writes/writer-thread.worker.js');
  return existsSync(built) ? built : null;
})();

export class WriterThreadError extends Error {
  constructor(message: string) {
    super(`writer thread: ${message}`);
    this.name = 'WriterThreadError';
  }
}

/**
 * One large import's writes on a second thread (writer-thread.worker.ts), so that SQLite's inserts and the hash
 * chain run beside the validation and deciding of the commands after them. The main thread keeps reading through
 * its own connection: the writer holds the write lock from `begin` to the end, so no other commit can slip in
 * between what it reads and what is written. It waits only at `begin`, `commit` and `rollback`.
 */
export class WriterThread implements WriteSink {
  private readonly worker: Worker;
  private readonly replies: MessagePort;
  private readonly signal = new Int32Array(new SharedArrayBuffer(4));
  private readonly ops: WriteOpsEncoder;

  /** Whether `db` can have a writer thread: a file another connection can open, and the compiled worker. */
  static canServe(db: Db): boolean {
    return workerFile !== null && !db.memory && !db.readonly;
  }

  /** Starts the thread and its IMMEDIATE transaction; `next` is where the transaction's first event goes. */
  static begin(db: Db): { writer: WriterThread; next: number } {
    const writer = new WriterThread(db.name);
    try {
      return { writer, next: writer.request({ kind: 'begin' }) };
    } catch (e) {
      void writer.worker.terminate();
      throw e;
    }
  }

  private constructor(path: string) {
    const channel = new MessageChannel();
    this.replies = channel.port1;
    this.worker = new Worker(workerFile!, { workerData: { path, signal: this.signal, replies: channel.port2 }, transferList: [channel.port2] });
    this.worker.unref();
    this.ops = new WriteOpsEncoder((ops) => this.worker.postMessage({ kind: 'ops', ops } satisfies WriterRequest, [ops.bytes]));
  }

  appendEvent(row: NewEventRow): void {
    this.ops.event(row);
  }

  run(sql: string, params: readonly SqlParam[]): void {
    this.ops.run(sql, params);
  }

  commit(): void {
    this.ops.flush();
    this.finish({ kind: 'commit' });
  }

  rollback(): void {
    this.finish({ kind: 'rollback' });
  }

  private finish(request: WriterRequest): void {
    try {
      this.request(request);
    } finally {
      void this.worker.terminate();
    }
  }

  /** Sends a request and blocks until the writer answers it (after every write sent before it). */
  private request(request: WriterRequest): number {
    Atomics.store(this.signal, REPLIED, 0);
    this.worker.postMessage(request);
    if (Atomics.wait(this.signal, REPLIED, 0, request.kind === 'begin' ? BEGIN_MS : Infinity) === 'timed-out') {
      throw new WriterThreadError(`no answer to begin for ${BEGIN_MS / 1000} s`);
    }
    const reply = receiveMessageOnPort(this.replies)?.message as WriterReply | undefined;
    if (!reply) throw new WriterThreadError(`answered ${request.kind} without a message`);
    if (!reply.ok) throw new WriterThreadError(reply.error);
    return reply.next;
  }
}
