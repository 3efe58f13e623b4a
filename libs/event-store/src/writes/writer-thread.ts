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
 * between what it reads and what is written. It waits only for `begin`'s answer (when it first needs a position,
 * so the thread starts while the unit validates its input), `commit` and `rollback`.
 */
export class WriterThread implements WriteSink {
  private readonly worker: Worker;
  private readonly replies: MessagePort;
  private readonly signal = new Int32Array(new SharedArrayBuffer(4));
  private readonly ops: WriteOpsEncoder;
  /** `begin`'s answer, once read: where the transaction's first event goes, or why the thread could not begin. */
  private first: number | Error | null = null;

  /** Whether `db` can have a writer thread: a file another connection can open, and the compiled worker. */
  static canServe(db: Db): boolean {
    return workerFile !== null && !db.memory && !db.readonly;
  }

  /** Starts the thread and asks it to begin its IMMEDIATE transaction, without waiting for the answer. */
  static start(db: Db): WriterThread {
    const writer = new WriterThread(db.name);
    writer.send({ kind: 'begin' });
    return writer;
  }

  private constructor(path: string) {
    const channel = new MessageChannel();
    this.replies = channel.port1;
    this.worker = new Worker(workerFile!, { workerData: { path, signal: this.signal, replies: channel.port2 }, transferList: [channel.port2] });
    this.worker.unref();
    this.ops = new WriteOpsEncoder((ops) => this.worker.postMessage({ kind: 'ops', ops } satisfies WriterRequest, [ops.bytes]));
  }

  /** Where the transaction's first event goes: waits for the thread to have begun (and throws if it could not). */
  begun(): number {
    if (this.first === null) {
      try {
        this.first = this.answer('begin');
      } catch (e) {
        void this.worker.terminate();
        this.first = e as Error;
      }
    }
    if (this.first instanceof Error) throw this.first;
    return this.first;
  }

  appendEvent(row: NewEventRow): void {
    this.ops.event(row);
  }

  run(sql: string, params: readonly SqlParam[]): void {
    this.ops.run(sql, params);
  }

  commit(): void {
    this.begun();
    this.ops.flush();
    this.finish({ kind: 'commit' });
  }

  rollback(): void {
    // A thread that never began has nothing to roll back, and has been stopped.
    this.begun();
    this.finish({ kind: 'rollback' });
  }

  private finish(request: WriterRequest): void {
    try {
      this.send(request);
      this.answer(request.kind);
    } finally {
      void this.worker.terminate();
    }
  }

  /** One request at a time: its answer must be read (`answer`) before the next is sent. */
  private send(request: WriterRequest): void {
    Atomics.store(this.signal, REPLIED, 0);
    this.worker.postMessage(request);
  }

  /** Blocks until the writer answers the request sent last (after every write sent before it). */
  private answer(kind: WriterRequest['kind']): number {
    if (Atomics.wait(this.signal, REPLIED, 0, kind === 'begin' ? BEGIN_MS : Infinity) === 'timed-out') {
      throw new WriterThreadError(`no answer to begin for ${BEGIN_MS / 1000} s`);
    }
    const reply = receiveMessageOnPort(this.replies)?.message as WriterReply | undefined;
    if (!reply) throw new WriterThreadError(`answered ${kind} without a message`);
    if (!reply.ok) throw new WriterThreadError(reply.error);
    return reply.next;
  }
}
