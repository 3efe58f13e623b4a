/**
 * Process driving: real qemu-system-ppc64 processes (serial on stdout, errors on stderr) and a
 * minimal QMP client over a unix socket.
 */
import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';

export const QEMU_BIN = process.env.CONFORMANCE_QEMU ?? 'qemu-system-ppc64';

export interface QemuProc {
  args: string[];
  proc: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  /** Resolves with the exit code (null when killed by a signal). */
  exited: Promise<number | null>;
  isRunning: () => boolean;
  exitCode: () => number | null;
  /** Signal that ended QEMU (e.g. SIGABRT on an assertion), if any. */
  signal: () => string | null;
  /** Resolves true when `re` matches stdout, false on exit or timeout. */
  waitFor: (re: RegExp, timeoutMs: number) => Promise<boolean>;
  kill: () => Promise<void>;
  /** Writes to QEMU's stdin (the guest console with `-serial stdio`); only when started with `stdin: true`. */
  input: (data: string) => void;
}

export interface StartOptions {
  /** Keep a pipe to QEMU's stdin (else /dev/null), so the harness can type on the guest console. */
  stdin?: boolean;
}

export function startQemu(args: string[], logBase: string, opts: StartOptions = {}): QemuProc {
  fs.writeFileSync(`${logBase}.cmdline.txt`, [QEMU_BIN, ...args].map(shellQuote).join(' ') + '\n');
  const out = fs.createWriteStream(`${logBase}.serial.log`);
  const errf = fs.createWriteStream(`${logBase}.stderr.log`);
  const proc = spawn(QEMU_BIN, args, { stdio: [opts.stdin ? 'pipe' : 'ignore', 'pipe', 'pipe'] });
  proc.stdin?.on('error', () => undefined);
  let so = '';
  let se = '';
  let running = true;
  let code: number | null = null;
  let sig: string | null = null;
  const waiters: Array<() => void> = [];
  const wake = (): void => {
    for (const w of waiters.splice(0)) w();
  };
  proc.stdout?.on('data', (d: Buffer) => {
    so += d.toString('utf8');
    out.write(d);
    wake();
  });
  proc.stderr?.on('data', (d: Buffer) => {
    se += d.toString('utf8');
    errf.write(d);
    wake();
  });
  const exited = new Promise<number | null>((resolve) => {
    proc.on('error', (e) => {
      se += `harness: spawn failed: ${e.message}\n`;
      running = false;
      resolve(-1);
      wake();
    });
    proc.on('close', (c, s) => {
      running = false;
      code = c;
      sig = s;
      out.end();
      errf.end();
      resolve(c);
      wake();
    });
  });
  const waitFor = (re: RegExp, timeoutMs: number): Promise<boolean> =>
    new Promise<boolean>((resolve) => {
      const deadline = Date.now() + timeoutMs;
      let timer: NodeJS.Timeout | undefined;
      const check = (): void => {
        if (re.test(so)) {
          if (timer) clearTimeout(timer);
          resolve(true);
        } else if (!running || Date.now() >= deadline) {
          if (timer) clearTimeout(timer);
          resolve(false);
        } else {
          waiters.push(check);
        }
      };
      timer = setTimeout(() => {
        const i = waiters.indexOf(check);
        if (i >= 0) waiters.splice(i, 1);
        resolve(re.test(so));
      }, timeoutMs);
      check();
    });
  const kill = async (): Promise<void> => {
    if (!running) return;
    proc.kill('SIGTERM');
    const t = setTimeout(() => {
      if (running) proc.kill('SIGKILL');
    }, 3000);
    await exited;
    clearTimeout(t);
  };
  const input = (data: string): void => {
    if (!proc.stdin) throw new Error('QEMU was started without a stdin pipe');
    if (running) proc.stdin.write(data);
  };
  return {
    args,
    proc,
    input,
    stdout: () => so,
    stderr: () => se,
    exited,
    isRunning: () => running,
    exitCode: () => code,
    signal: () => sig,
    waitFor,
    kill,
  };
}

export function shellQuote(s: string): string {
  return /^[A-Za-z0-9_./:=,+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      s.close(() => resolve(port));
    });
  });
}

type Json = Record<string, unknown>;

/** Minimal QMP client (one command at a time is enough here). */
export class Qmp {
  private buf = '';
  private nextId = 1;
  private pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private closed = false;
  readonly transcript: string[] = [];

  private constructor(private readonly sock: net.Socket) {
    sock.setEncoding('utf8');
    sock.on('data', (d: string) => this.onData(d));
    sock.on('close', () => {
      this.closed = true;
      for (const p of this.pending.values()) p.reject(new Error('QMP connection closed'));
      this.pending.clear();
    });
    sock.on('error', () => undefined);
  }

  static async connect(path: string, timeoutMs: number, alive: () => boolean = () => true): Promise<Qmp> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (!alive()) throw new Error('QEMU exited before its QMP socket answered');
      try {
        const sock = await new Promise<net.Socket>((resolve, reject) => {
          const s = net.createConnection(path);
          s.once('connect', () => resolve(s));
          s.once('error', reject);
        });
        const q = new Qmp(sock);
        await q.cmd('qmp_capabilities');
        return q;
      } catch (e) {
        if (Date.now() > deadline) throw e;
        await sleep(100);
      }
    }
  }

  private onData(d: string): void {
    this.buf += d;
    let i: number;
    while ((i = this.buf.indexOf('\n')) >= 0) {
      const line = this.buf.slice(0, i).trim();
      this.buf = this.buf.slice(i + 1);
      if (!line) continue;
      this.transcript.push(`<- ${line}`);
      let msg: Json;
      try {
        msg = JSON.parse(line) as Json;
      } catch {
        continue;
      }
      const id = typeof msg.id === 'number' ? msg.id : undefined;
      if (id === undefined) continue;
      const p = this.pending.get(id);
      if (!p) continue;
      this.pending.delete(id);
      if ('error' in msg) {
        const err = msg.error as { desc?: string };
        p.reject(new Error(err.desc ?? JSON.stringify(msg.error)));
      } else p.resolve(msg.return);
    }
  }

  cmd(execute: string, args?: Json): Promise<unknown> {
    if (this.closed) return Promise.reject(new Error('QMP connection closed'));
    const id = this.nextId++;
    const req = JSON.stringify(args ? { execute, arguments: args, id } : { execute, id });
    this.transcript.push(`-> ${req}`);
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.sock.write(req + '\n');
    });
  }

  close(): void {
    this.sock.destroy();
  }
}
