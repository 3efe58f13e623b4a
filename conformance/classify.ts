/**
 * Pure classification of what real QEMU did, from the serial console and QEMU's stderr.
 * The guest init (conformance/guest/init) prints markers `CONFORMANCE[L<n>] KEY: value`;
 * markers can appear in the middle of a console line (the kernel's early output has no newline).
 */
import { parseProbeLine } from './kvm-probe';
import { Expected, LevelOutcome, Mmu, Outcome, Verdict } from './types';

const TAG = 'CONFORMANCE[L';
const QEMU_PREFIX = /^(?:\S*qemu-system-ppc(?:64)?: )+/;

/** Console, QEMU stderr and markers of one level of a (possibly nested) run. */
export interface LevelLog {
  level: number;
  console: string[];
  /** stderr of the QEMU that runs this level (for level 1: the L0 QEMU's stderr). */
  stderr: string[];
  markers: Record<string, string>;
  /** Other marker lines in order (INSMOD, DMESG, TICK ...). */
  events: string[];
  /** The KVM probe's facts (`CONFORMANCE[Ln] KVM NAME=value`, guest/kvm-probe.c), NAME → value. */
  probe: Record<string, string>;
}

function newLevel(level: number): LevelLog {
  return { level, console: [], stderr: [], markers: {}, events: [], probe: {} };
}

/** Splits a serial console log into levels, following the RUNVM / QEMU-DONE brackets of the init. */
export function segmentLevels(consoleText: string, l0Stderr: string = ''): Map<number, LevelLog> {
  const levels = new Map<number, LevelLog>();
  const get = (n: number): LevelLog => {
    let l = levels.get(n);
    if (!l) {
      l = newLevel(n);
      levels.set(n, l);
    }
    return l;
  };
  get(1).stderr.push(...splitLines(l0Stderr));
  const stack = [1];
  for (const raw of consoleText.split(/\r?\n/)) {
    const line = raw.replace(/\r/g, '');
    const at = line.indexOf(TAG);
    if (at < 0) {
      if (line.trim() !== '') get(stack[stack.length - 1]).console.push(line);
      continue;
    }
    const before = line.slice(0, at);
    if (before.trim() !== '') get(stack[stack.length - 1]).console.push(before);
    const m = /^CONFORMANCE\[L(\d+)\] ([A-Z0-9-]+)(.*)$/.exec(line.slice(at));
    if (!m) continue;
    const n = Number(m[1]);
    const key = m[2];
    const tail = m[3];
    let sub: string | undefined;
    let value = '';
    if (tail.startsWith(':')) {
      value = tail.slice(1).trim();
    } else if (tail.startsWith(' ')) {
      const t = tail.trim();
      const colon = t.indexOf(': ');
      if (key === 'INSMOD' && colon > 0) {
        sub = t.slice(0, colon);
        value = t.slice(colon + 2).trim();
      } else {
        value = t;
      }
    }
    if (key === 'RUNVM') {
      get(n).events.push(`RUNVM ${value}`);
      get(n + 1);
      stack.push(n + 1);
    } else if (key === 'QEMU-DONE') {
      while (stack.length > 1 && stack[stack.length - 1] > n) stack.pop();
    } else if (key === 'QEMU-STDERR') {
      get(n + 1).stderr.push(value);
    } else if (key === 'KVM') {
      const fact = parseProbeLine(tail);
      if (fact) get(n).probe[fact[0]] = fact[1];
    } else if (sub !== undefined) {
      get(n).events.push(`${key} ${sub}: ${value}`);
    } else if (key === 'OV5' || key === 'MMU' || key === 'CPU' || key === 'DEV-KVM') {
      get(n).markers[key] = value;
    } else {
      get(n).markers[key] = value;
      if (key !== 'TICK') get(n).events.push(value ? `${key}: ${value}` : key);
    }
  }
  return levels;
}

export function splitLines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.replace(/\r/g, ''))
    .filter((l) => l.trim() !== '');
}

const STDERR_NOISE = [
  /^terminating on signal/,
  /^Falling back to kernel-irqchip=off/,
];

/** QEMU stderr lines → warnings (prefix `warning: ` removed) and errors (prefix removed). */
export function splitStderr(lines: string[]): { warnings: string[]; errors: string[] } {
  const warnings: string[] = [];
  const errors: string[] = [];
  for (const raw of lines) {
    const l = raw.replace(QEMU_PREFIX, '').trim();
    if (l === '' || STDERR_NOISE.some((r) => r.test(l))) continue;
    const w = /^warning: (.*)$/.exec(l);
    if (w) warnings.push(w[1]);
    else errors.push(l);
  }
  return { warnings, errors };
}

export function parseMmu(v: string | undefined): Mmu | undefined {
  if (!v) return undefined;
  if (/radix/i.test(v)) return 'radix';
  if (/hash/i.test(v)) return 'hash';
  return undefined;
}

/** First kernel panic / BUG / Oops message on a console, if any. */
export function findPanic(console: string[]): string | undefined {
  for (const l of console) {
    const p = /Kernel panic - not syncing: (.*)$/.exec(l);
    if (p) return p[1].trim();
  }
  for (const l of console) {
    const b = /(?:^|\]\s*)((?:kernel )?BUG: .*|Oops: .*|Unable to handle kernel .*)$/.exec(l);
    if (b) return b[1].trim();
  }
  return undefined;
}

/** Console lines worth keeping as evidence (kernel warnings printed even with `quiet`). */
export function notableConsole(console: string[]): string[] {
  return console
    .filter((l) => /WARNING:|BUG:|Oops|panic|kvm-hv|Parent hypervisor|Couldn't|unavailable|not supported/i.test(l))
    .map((l) => l.trim())
    .slice(0, 12);
}

export interface BootRaw {
  level: LevelLog;
  timedOut: boolean;
  exitCode: number | null;
  /** Signal that ended QEMU, when it was not the harness's own SIGTERM/SIGKILL. */
  signal?: string | null;
}

/** Classifies one guest start (single level, or one level of a nested stack). */
export function classifyBoot(raw: BootRaw): Outcome {
  const { level } = raw;
  const { warnings, errors } = splitStderr(level.stderr);
  const details = [...level.events, ...notableConsole(level.console)];
  const ov5 = level.markers['OV5'];
  const mmu = parseMmu(level.markers['MMU']);
  if (ov5 !== undefined && mmu !== undefined) {
    // A stress run must finish and leave no oops/panic behind; otherwise the guest died after booting.
    const late = findPanic(level.console);
    if (late) return { kind: 'guest-panic', mmu, ov5, message: late, warnings, details: [...details, 'after reaching userspace'], level: level.level };
    if (level.markers['STRESS-START'] !== undefined && level.markers['STRESS-DONE'] === undefined) {
      return { kind: 'guest-panic', mmu, ov5, message: 'guest stopped during the fork/exec stress run', warnings, details, level: level.level };
    }
    return { kind: 'booted', mmu, ov5, warnings, details, level: level.level };
  }
  if (raw.signal === 'SIGABRT' || raw.signal === 'SIGSEGV' || raw.signal === 'SIGBUS') {
    return {
      kind: 'qemu-crashed',
      message: errors.length > 0 ? errors.join(' | ') : `QEMU died on ${raw.signal}`,
      warnings,
      details: [...details, `QEMU died on ${raw.signal}`],
      level: level.level,
    };
  }
  const panic = findPanic(level.console);
  if (panic) {
    return { kind: 'guest-panic', message: panic, warnings, details, level: level.level };
  }
  if (errors.length > 0) {
    return { kind: 'qemu-refused', message: errors.join(' | '), warnings, details, level: level.level };
  }
  if (raw.timedOut) {
    const tail = level.console.slice(-3).join(' / ');
    return { kind: 'timeout', message: `no result before timeout; console tail: ${tail}`, warnings, details, level: level.level };
  }
  return {
    kind: 'harness-error',
    message: `QEMU exited (${String(raw.exitCode)}) without markers; console tail: ${level.console.slice(-3).join(' / ')}`,
    warnings,
    details,
    level: level.level,
  };
}

/**
 * Nested run: the target is the deepest level in `depth`; if the stack stopped earlier, the outcome
 * is the one of the deepest level that ran (its QEMU refused, or its kernel panicked), or, when a
 * hypervisor level could not start its guest, that guest's QEMU refusal with the parent's
 * kvm-hv evidence in `details`.
 */
export function classifyNested(consoleText: string, l0Stderr: string, depth: number, timedOut: boolean, exitCode: number | null): Outcome {
  const levels = segmentLevels(consoleText, l0Stderr);
  const summary: string[] = [];
  const perLevel: LevelOutcome[] = [];
  let last: Outcome | undefined;
  for (let n = 1; n <= depth; n++) {
    const lv = levels.get(n);
    if (!lv) break;
    const o = classifyBoot({ level: lv, timedOut, exitCode });
    summary.push(`L${n}: ${o.kind}${o.mmu ? ` ${o.mmu}` : ''}${o.message ? ` (${o.message})` : ''}`);
    for (const d of o.details) summary.push(`L${n}: ${d}`);
    perLevel.push({
      level: n,
      kind: o.kind,
      ...(o.mmu !== undefined ? { mmu: o.mmu } : {}),
      ...(o.ov5 !== undefined ? { ov5: o.ov5 } : {}),
      ...(o.message !== undefined ? { message: o.message } : {}),
      ...(Object.keys(lv.probe).length > 0 ? { probe: lv.probe } : {}),
    });
    last = o;
    if (o.kind !== 'booted') break;
  }
  if (!last) {
    return { kind: timedOut ? 'timeout' : 'harness-error', message: 'no level started', warnings: [], details: summary, levels: perLevel };
  }
  if (last.level !== depth && last.kind === 'booted') {
    // A hypervisor level booted but never started its guest (should not happen: runvm always reports).
    return { ...last, kind: timedOut ? 'timeout' : 'harness-error', message: `L${depth} never started`, details: summary, levels: perLevel };
  }
  return { ...last, details: summary, levels: perLevel };
}

export interface MigrationRaw {
  src: BootRaw;
  /** Destination QEMU stderr before `migrate` was issued (its own startup). */
  dstStartupStderr: string[];
  /** Whether the destination was still alive when `migrate` was issued. */
  dstStarted: boolean;
  /** Destination QEMU stderr after `migrate` was issued. */
  dstStderr: string[];
  /** Destination exit code (null = still running at the end). */
  dstExitCode: number | null;
  /** Destination `query-status` after the migration, if it answered. */
  dstStatus?: string;
  /** Source `query-migrate` final status and error-desc. */
  srcStatus?: string;
  srcError?: string;
  /**
   * Guest console on the destination during the liveness window after the switch-over: the init ticks
   * every second (`sleep 1`), so LIVE_TICKS ticks in it prove the guest runs on, timers included.
   */
  dstConsole: string[];
  /** Length of the liveness window (seconds). */
  liveWindowSeconds?: number;
  /** Seconds from the switch-over (destination `running`) to the first destination tick, if any. */
  firstTickSeconds?: number;
  /** The last `TICK n` the source printed before the migration. */
  srcLastTick?: number;
  /** Stalled window only: the destination's HMP `info registers`, sampled twice, ~0.5 s apart. */
  dstRegisters?: string[];
  /** Stalled window only: the console after the harness typed on it (spapr-vty interrupts). */
  dstConsoleAfterInput?: string[];
}

/** Ticks the destination must print in the liveness window: the second needs a whole `sleep 1` there. */
export const LIVE_TICKS = 2;

/** Tick numbers (`CONFORMANCE[Ln] TICK n`) on a console, in order. */
export function tickNumbers(console: string[]): number[] {
  const out: number[] = [];
  for (const l of console) {
    const m = /CONFORMANCE\[L\d+\] TICK (\d+)/.exec(l);
    if (m) out.push(Number(m[1]));
  }
  return out;
}

export interface CpuRegisters {
  nip: string;
  /** MSR[EE]: external and decrementer interrupts enabled. */
  ee: boolean;
  /** Timebase (the 64-bit value QEMU prints second on its `TB` line). */
  tb: bigint;
  /** LPCR[LD]: large decrementer on (DECR sign-extended to 64 bits), else DECR is a 32-bit register. */
  largeDecr: boolean;
  /** Decrementer as a signed value of its width (QEMU prints it unsigned: a target_ulong, or a uint32 without LD). */
  decr: bigint;
}

/** NIP, MSR[EE], TB, LPCR[LD] and DECR from QEMU 7.2's `info registers` (ppc_cpu_dump_state). */
export function parseRegisters(text: string): CpuRegisters | undefined {
  const nip = /\bNIP\s+([0-9a-f]+)/i.exec(text);
  const tb = /\bTB\s+[0-9a-f]+\s+(\d+)/.exec(text);
  const decr = /\bDECR\s+(\d+)/.exec(text);
  const msr = /\bMSR\s+([0-9a-f]+)/i.exec(text);
  const lpcr = /\bLPCR\s+([0-9a-f]+)/i.exec(text);
  if (!nip || !tb || !decr || !msr || !lpcr) return undefined;
  const largeDecr = (BigInt(`0x${lpcr[1]}`) & (1n << 17n)) !== 0n; // LPCR_LD = PPC_BIT(46)
  return {
    nip: nip[1].toLowerCase(),
    ee: (BigInt(`0x${msr[1]}`) & 0x8000n) !== 0n,
    tb: BigInt(tb[1]),
    largeDecr,
    decr: BigInt.asIntN(largeDecr ? 64 : 32, BigInt(decr[1])),
  };
}

export interface StallEvidence {
  /** One line: what the two samples show. */
  line: string;
  /** Same NIP in both samples while the timebase advanced, interrupts enabled: halted, waiting for an interrupt. */
  haltedWaiting: boolean;
}

/** What the register samples of a stalled destination show (first and last sample). */
export function describeStall(samples: string[]): StallEvidence | undefined {
  const regs = samples.map(parseRegisters);
  const a = regs[0];
  const b = regs[regs.length - 1];
  if (!a || !b || regs.length < 2) return undefined;
  const nip = a.nip === b.nip ? `NIP ${a.nip} in both samples` : `NIP ${a.nip} then ${b.nip}`;
  const decr = (r: CpuRegisters): string => `${r.decr.toString()}${r.decr < 0n ? ' (expired)' : ''}`;
  const line =
    `destination vCPU: ${nip}, MSR[EE]=${b.ee ? 1 : 0}, TB +${(b.tb - a.tb).toString()}, ` +
    `DECR ${decr(a)} then ${decr(b)} (${b.largeDecr ? 'large decrementer' : '32-bit'})`;
  return { line, haltedWaiting: a.nip === b.nip && b.tb > a.tb && a.ee && b.ee };
}

/**
 * Cause line of a stalled guest whose vCPU sat halted in place with interrupts enabled while the timebase ran:
 * its `sleep 1` was due seconds ago and a timer (decrementer) interrupt is all it waits for.
 */
export const LOST_TIMER_INTERRUPT =
  'the vCPU stays halted with interrupts enabled, long after the guest\'s 1 s timer was due: its decrementer interrupt was lost in the migration';

export function classifyMigration(raw: MigrationRaw): Outcome {
  const srcBoot = classifyBoot(raw.src);
  if (srcBoot.kind !== 'booted') {
    return { ...srcBoot, details: [`source did not boot: ${srcBoot.kind}`, ...srcBoot.details] };
  }
  const details: string[] = [`source booted ${srcBoot.mmu} ov5=${srcBoot.ov5}`];
  /** The negotiated contract the guest carries (source boot). */
  const contract = { ...(srcBoot.mmu ? { mmu: srcBoot.mmu } : {}), ...(srcBoot.ov5 ? { ov5: srcBoot.ov5 } : {}) };
  const startup = splitStderr(raw.dstStartupStderr);
  if (!raw.dstStarted) {
    return {
      kind: 'migration-failed',
      ...contract,
      message: `destination refused to start: ${startup.errors.join(' | ')}`,
      warnings: startup.warnings,
      details,
    };
  }
  const after = splitStderr(raw.dstStderr);
  const ticks = tickNumbers(raw.dstConsole);
  if (raw.srcStatus) details.push(`source migrate status: ${raw.srcStatus}${raw.srcError ? ` (${raw.srcError})` : ''}`);
  details.push(`destination: ${raw.dstExitCode === null ? `alive, status ${raw.dstStatus ?? '?'}` : `exited ${raw.dstExitCode}`}`);
  const window = raw.liveWindowSeconds !== undefined ? ` in ${raw.liveWindowSeconds} s` : '';
  const range = ticks.length > 0 ? ` (TICK ${ticks[0]}${ticks.length > 1 ? `..${ticks[ticks.length - 1]}` : ''}` : '';
  const srcLast = raw.srcLastTick !== undefined ? `${range ? '; ' : ' ('}source's last TICK ${raw.srcLastTick}` : '';
  const first = raw.firstTickSeconds !== undefined ? `; first ${raw.firstTickSeconds.toFixed(1)} s after the switch-over` : '';
  details.push(`guest ticks on destination after switch-over: ${ticks.length}${window}${range}${srcLast}${range || srcLast ? `${first})` : ''}`);
  const failed =
    after.errors.length > 0 || raw.dstExitCode !== null || raw.srcStatus === 'failed' || (raw.dstStatus !== undefined && raw.dstStatus !== 'running');
  if (failed) {
    const msg = after.errors.length > 0 ? after.errors.join(' | ') : raw.srcError ?? `destination status ${raw.dstStatus ?? raw.dstExitCode}`;
    return { kind: 'migration-failed', ...contract, message: msg, warnings: after.warnings, details };
  }
  // QEMU says completed and the destination runs: the guest must show it (LIVE_TICKS ticks, counting on).
  // The numbers go on from the source's (a tick split by the switch-over may be lost, none may repeat).
  const counting = ticks.every((n, i) => i === 0 || n === ticks[i - 1] + 1) && (raw.srcLastTick === undefined || ticks.length === 0 || ticks[0] > raw.srcLastTick);
  if (ticks.length < LIVE_TICKS || !counting) {
    const why = ticks.length < LIVE_TICKS ? `${ticks.length} tick${ticks.length === 1 ? '' : 's'}${window} after the switch-over` : `ticks do not count on from the source's (${ticks.join(', ')})`;
    const stall = describeStall(raw.dstRegisters ?? []);
    if (stall) details.push(stall.line);
    const woke = tickNumbers(raw.dstConsoleAfterInput ?? []);
    if (raw.dstConsoleAfterInput !== undefined) {
      details.push(
        woke.length > 0
          ? `after console input (spapr-vty interrupts): ${woke.length} tick${woke.length === 1 ? '' : 's'} (TICK ${woke[0]}${woke.length > 1 ? `..${woke[woke.length - 1]}` : ''}): the guest runs again once an interrupt wakes it`
          : 'after console input (spapr-vty interrupts): still no tick',
      );
    }
    if (stall?.haltedWaiting) details.push(LOST_TIMER_INTERRUPT);
    return {
      kind: 'migration-completed-guest-stalled',
      ...contract,
      message: `guest stalled on the destination: ${why}`,
      warnings: after.warnings,
      details,
    };
  }
  if (after.warnings.length > 0) {
    return { kind: 'migration-completed-with-warning', ...contract, message: after.warnings.join(' | '), warnings: after.warnings, details };
  }
  return { kind: 'migration-completed', ...contract, warnings: after.warnings, details };
}

/** A line guest/init's `runmig` prints at the hypervisor level that runs the migration. */
const MIG_LINE = /^CONFORMANCE\[L(\d+)\] (MIG-[A-Z-]+): ?(.*)$/;

/**
 * A nested migration: the hypervisor levels read as classifyNested reads them, then the target guest's live
 * migration between two KVM QEMUs inside its parent (runmig's MIG-* lines at level depth-1), classified by
 * classifyMigration like a migration between two L0 QEMUs: source boot, destination startup and load stderr,
 * `info migrate` status, `info status` on the destination, and its console 5 s after the switch-over.
 */
export function classifyNestedMigration(consoleText: string, l0Stderr: string, depth: number, timedOut: boolean, exitCode: number | null): Outcome {
  const mig = new Map<string, string[]>();
  const rest: string[] = [];
  for (const line of consoleText.split(/\r?\n/)) {
    const at = line.indexOf(TAG);
    const m = at >= 0 ? MIG_LINE.exec(line.slice(at).replace(/\r/g, '')) : null;
    if (m && Number(m[1]) === depth - 1) mig.set(m[2], [...(mig.get(m[2]) ?? []), m[3]]);
    else rest.push(line);
  }
  const parents = classifyNested(rest.join('\n'), l0Stderr, depth - 1, timedOut, exitCode);
  if (parents.kind !== 'booted') return parents;
  const lines = (key: string): string[] => mig.get(key) ?? [];
  if (!mig.has('MIG-DST-STARTED')) {
    return { ...parents, kind: timedOut ? 'timeout' : 'harness-error', message: `L${depth} migration never started`, level: depth };
  }
  const srcLevels = segmentLevels(lines('MIG-SRC').join('\n'));
  const target = srcLevels.get(depth) ?? newLevel(depth);
  const src: LevelLog = { ...target, console: [...(srcLevels.get(1)?.console ?? []), ...target.console], stderr: lines('MIG-SRC-STDERR') };
  const srcTicks = tickNumbers(lines('MIG-SRC'));
  const status = /^(\w+)(?: \((.*)\))?$/.exec(lines('MIG-STATUS')[0] ?? '');
  const dst = /^(?:alive, (\S+)|exited (\d+))/.exec(lines('MIG-DST')[0] ?? '');
  const outcome = classifyMigration({
    src: { level: src, timedOut, exitCode: null },
    dstStartupStderr: lines('MIG-DST-STARTUP-STDERR'),
    dstStarted: lines('MIG-DST-STARTED')[0] === 'yes',
    dstStderr: lines('MIG-DST-STDERR'),
    dstExitCode: dst?.[2] !== undefined ? Number(dst[2]) : null,
    ...(dst?.[1] !== undefined && dst[1] !== 'no' ? { dstStatus: dst[1] } : {}),
    ...(status ? { srcStatus: status[1], ...(status[2] !== undefined ? { srcError: status[2] } : {}) } : {}),
    dstConsole: lines('MIG-WINDOW'),
    // runmig polls `info migrate` each second, then keeps the console of the next 5 s: at most 6 s after the switch-over.
    liveWindowSeconds: 6,
    ...(srcTicks.length > 0 ? { srcLastTick: srcTicks[srcTicks.length - 1] } : {}),
  });
  const targetLevel: LevelOutcome = {
    level: depth,
    kind: outcome.kind,
    ...(outcome.mmu !== undefined ? { mmu: outcome.mmu } : {}),
    ...(outcome.ov5 !== undefined ? { ov5: outcome.ov5 } : {}),
    ...(outcome.message !== undefined ? { message: outcome.message } : {}),
  };
  return { ...outcome, details: [...parents.details, ...outcome.details], level: depth, levels: [...(parents.levels ?? []), targetLevel] };
}

/** Does the observation match the docs' prediction? Returns a reason when not. */
export function compare(expected: Expected, observed: Outcome): string | undefined {
  const why: string[] = [];
  if (expected.kind !== observed.kind) why.push(`expected ${expected.kind}, observed ${observed.kind}`);
  if (expected.mmu && observed.mmu && expected.mmu !== observed.mmu) why.push(`mmu ${expected.mmu} ≠ ${observed.mmu}`);
  if (expected.ov5 && observed.ov5 && expected.ov5 !== observed.ov5) why.push(`ov5 ${expected.ov5} ≠ ${observed.ov5}`);
  if (expected.message && expected.kind === observed.kind) {
    const hay = [observed.message ?? '', ...observed.warnings, ...observed.details].join('\n');
    if (!hay.includes(expected.message)) why.push(`message "${expected.message}" not observed (got "${observed.message ?? ''}")`);
  }
  if (expected.warnings && expected.kind === observed.kind) {
    const want = [...expected.warnings].sort().join(' | ');
    const got = [...observed.warnings].sort().join(' | ');
    if (want !== got) why.push(`QEMU warnings differ: expected [${want}], observed [${got}]`);
  }
  return why.length > 0 ? why.join('; ') : undefined;
}

/**
 * Verdict class of what really happened, in the planner's terms: a refusal, panic, failed
 * migration or a migrated guest that does not run on is `unsafe`; success with any QEMU warning (or a migration warning) is `warn`.
 */
export function observedVerdict(o: Outcome): Verdict | undefined {
  switch (o.kind) {
    case 'qemu-refused':
    case 'qemu-crashed':
    case 'guest-panic':
    case 'migration-failed':
    case 'migration-completed-guest-stalled':
      return 'unsafe';
    case 'migration-completed-with-warning':
      return 'warn';
    case 'booted':
    case 'migration-completed':
      return o.warnings.length > 0 || o.details.some((d) => /WARNING:/.test(d)) ? 'warn' : 'safe';
    default:
      return undefined;
  }
}
