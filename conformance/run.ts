/**
 * Conformance runner: boots, migrates and nests real pSeries guests under QEMU (TCG L0), classifies
 * what happened and compares it with what the domain docs predict.
 *
 *   conformance/run.sh [--only REGEX] [--jobs N] [--out DIR] [--strict]
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildCases, BASE_CMDLINE, CaseEnv, withProbedHosts } from './cases';
import { classifyBoot, classifyMigration, classifyNested, classifyNestedMigration, compare, LIVE_TICKS, observedVerdict, segmentLevels, splitLines, tickNumbers } from './classify';
import { freePort, Qmp, QemuProc, sleep, startQemu } from './qemu';
import { plannerFiles } from './planner-export';
import { formatTable, summaryLine } from './report';
import { leftOutLine, selectCases } from './selection';
import { BootCase, Case, MigrationCase, NestedCase, Observation, Outcome, VmSpec } from './types';

interface Env {
  cache: string;
  hostQemu: string;
  kernelPkg: string;
  kernelRelease: string;
  kernelVersion: string;
  vmlinux: string;
  smallCpio: string;
  l1Cpio: string;
  l1QemuVersion: string;
}

function readEnv(): Env {
  const cache =
    process.env.SPAPR_CONFORMANCE_CACHE ?? path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'spapr-planner', 'conformance');
  // run.sh passes the copy its own setup wrote; versions.env is the newest setup's (maybe another clone's).
  const file = process.env.SPAPR_CONFORMANCE_VERSIONS ?? path.join(cache, 'versions.env');
  const kv: Record<string, string> = {};
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    const m = /^([A-Z0-9_]+)=(.*)$/.exec(line);
    if (m) kv[m[1]] = m[2].replace(/^"(.*)"$/, '$1');
  }
  return {
    cache,
    hostQemu: kv.HOST_QEMU ?? '',
    kernelPkg: kv.KERNEL_PKG ?? '',
    kernelRelease: kv.KERNEL_RELEASE ?? '',
    kernelVersion: kv.KERNEL_VERSION ?? '',
    vmlinux: kv.VMLINUX ?? '',
    smallCpio: kv.SMALL_CPIO ?? '',
    l1Cpio: kv.L1_CPIO ?? '',
    l1QemuVersion: kv.L1_QEMU_VERSION ?? '',
  };
}

interface Opts {
  only?: RegExp;
  jobs: number;
  out: string;
  strict: boolean;
}

function parseArgs(argv: string[]): Opts {
  const o: Opts = { jobs: Math.max(1, os.cpus().length), out: 'conformance-results', strict: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--only') o.only = new RegExp(argv[++i]);
    else if (a === '--jobs') o.jobs = Number(argv[++i]);
    else if (a === '--out') o.out = argv[++i];
    else if (a === '--strict') o.strict = true;
    else throw new Error(`unknown argument ${a}`);
  }
  return o;
}

function vmArgs(env: Env, v: VmSpec, mode: 'boot' | 'stay' | 'hv', initrd: string, extraAppend = ''): string[] {
  const threads = v.threads ?? 1;
  const stress = v.stress ? `conf.stress=${v.stress}` : '';
  const append = [BASE_CMDLINE, `conf.level=1 conf.mode=${mode}`, v.append, stress, extraAppend].filter((s) => s !== '').join(' ');
  return [
    '-accel', 'tcg',
    '-machine', v.machine,
    '-cpu', v.cpu,
    '-m', v.memory ?? '1G',
    '-smp', threads > 1 ? `${threads},cores=1,threads=${threads}` : String(v.cpus ?? 1),
    '-display', 'none',
    '-nodefaults',
    '-serial', 'stdio',
    '-no-reboot',
    '-kernel', env.vmlinux,
    '-initrd', initrd,
    '-append', append,
  ];
}

const PANIC = /Kernel panic - not syncing/;

async function runBoot(env: Env, c: BootCase, dir: string): Promise<{ outcome: Outcome; logs: string[] }> {
  const base = path.join(dir, 'l0');
  const q = startQemu(vmArgs(env, c.vm, 'boot', env.smallCpio), base);
  const done = await Promise.race([q.exited.then(() => 'exit' as const), q.waitFor(PANIC, 90_000).then((p) => (p ? ('panic' as const) : ('timeout' as const)))]);
  let timedOut = false;
  if (done === 'panic') {
    await Promise.race([q.exited, sleep(3000)]);
  } else if (done === 'timeout' && q.isRunning()) {
    timedOut = true;
  }
  const harnessKilled = q.isRunning();
  await q.kill();
  const levels = segmentLevels(q.stdout(), q.stderr());
  const outcome = classifyBoot({ level: levels.get(1)!, timedOut, exitCode: q.exitCode(), signal: harnessKilled ? null : q.signal() });
  return { outcome, logs: logList(dir) };
}

async function runMigration(env: Env, c: MigrationCase, dir: string): Promise<{ outcome: Outcome; logs: string[] }> {
  const port = await freePort();
  const dstVm: VmSpec = { ...c.src, machine: c.dst.machine ?? c.src.machine, cpu: c.dst.cpu ?? c.src.cpu };
  const srcSock = path.join(dir, 'src.qmp');
  const dstSock = path.join(dir, 'dst.qmp');
  const dst = startQemu(
    [...vmArgs(env, dstVm, 'stay', env.smallCpio), '-qmp', `unix:${dstSock},server=on,wait=off`, '-incoming', `tcp:127.0.0.1:${port}`],
    path.join(dir, 'dst'),
    { stdin: true },
  );
  const src = startQemu([...vmArgs(env, c.src, 'stay', env.smallCpio), '-qmp', `unix:${srcSock},server=on,wait=off`], path.join(dir, 'src'));
  const transcript: string[] = [];
  let srcQmp: Qmp | undefined;
  let dstQmp: Qmp | undefined;
  try {
    const up = await Promise.race([src.waitFor(/USERSPACE-UP|Kernel panic/, 90_000), src.exited.then(() => false)]);
    const srcLevels = () => segmentLevels(src.stdout(), src.stderr()).get(1)!;
    if (!up || !/USERSPACE-UP/.test(src.stdout())) {
      // The waiter wakes on the first bytes of "Kernel panic"; give QEMU time to print the line and exit
      // (a guest panic ends it), or the source would be killed mid-line and counted as a timeout.
      if (/Kernel panic/.test(src.stdout())) await Promise.race([src.exited, sleep(3000)]);
      const timedOut = src.isRunning();
      await src.kill();
      await dst.kill();
      const outcome = classifyMigration({
        src: { level: srcLevels(), timedOut, exitCode: src.exitCode(), signal: timedOut ? null : src.signal() },
        dstStartupStderr: splitLines(dst.stderr()),
        dstStarted: true,
        dstStderr: [],
        dstExitCode: null,
        dstConsole: [],
      });
      return { outcome, logs: logList(dir) };
    }
    await src.waitFor(/TICK 1\b/, 10_000);
    // Destination startup is complete when its QMP answers (caps were applied at its reset).
    try {
      dstQmp = await Qmp.connect(dstSock, 15_000, () => dst.isRunning());
    } catch {
      /* destination died at startup */
    }
    await sleep(200);
    const dstStarted = dst.isRunning();
    const dstStartupStderr = splitLines(dst.stderr());
    const dstErrOffset = dst.stderr().length;
    const dstOutOffset = dst.stdout().length;
    let srcStatus: string | undefined;
    let srcError: string | undefined;
    if (dstStarted) {
      srcQmp = await Qmp.connect(srcSock, 10_000, () => src.isRunning());
      await srcQmp.cmd('migrate-set-parameters', { 'max-bandwidth': 4 * 1024 * 1024 * 1024 });
      await srcQmp.cmd('migrate', { uri: `tcp:127.0.0.1:${port}` });
      const deadline = Date.now() + 60_000;
      for (;;) {
        const info = (await srcQmp.cmd('query-migrate')) as { status?: string; 'error-desc'?: string };
        srcStatus = info.status;
        srcError = info['error-desc'];
        if (srcStatus === 'completed' || srcStatus === 'failed' || srcStatus === 'cancelled') break;
        if (Date.now() > deadline) {
          srcError = `harness: migration still ${srcStatus} after 60 s`;
          break;
        }
        await sleep(200);
      }
    }
    // Let the destination finish loading (post_load runs after the last section arrives).
    let dstStatus: string | undefined;
    const dl = Date.now() + 15_000;
    while (dstStarted && dst.isRunning() && Date.now() < dl) {
      try {
        const st = (await Promise.race([dstQmp?.cmd('query-status'), sleep(2000).then(() => undefined)])) as { status?: string } | undefined;
        dstStatus = st?.status;
      } catch {
        dstStatus = undefined;
      }
      if (dstStatus && dstStatus !== 'inmigrate') break;
      await sleep(200);
    }
    const srcLastTick = tickNumbers(splitLines(src.stdout())).pop();
    let live: LiveEvidence | undefined;
    if (dst.isRunning() && dstStatus === 'running' && dstQmp) {
      live = await watchLiveness(dst, dstQmp, dstOutOffset);
    } else if (!dst.isRunning()) {
      dstStatus = undefined;
    }
    const dstExit = dst.isRunning() ? null : dst.exitCode();
    transcript.push(...(srcQmp?.transcript.map((l) => `src ${l}`) ?? []), ...(dstQmp?.transcript.map((l) => `dst ${l}`) ?? []));
    const outcome = classifyMigration({
      src: { level: srcLevels(), timedOut: false, exitCode: null },
      dstStartupStderr,
      dstStarted,
      dstStderr: splitLines(dst.stderr().slice(dstErrOffset)),
      dstExitCode: dstExit,
      ...(dstStatus !== undefined ? { dstStatus } : {}),
      ...(srcStatus !== undefined ? { srcStatus } : {}),
      ...(srcError !== undefined ? { srcError } : {}),
      dstConsole: live?.console ?? splitLines(dst.stdout().slice(dstOutOffset)),
      ...(live ? { liveWindowSeconds: LIVE_WINDOW_MS / 1000 } : {}),
      ...(live?.firstTickSeconds !== undefined ? { firstTickSeconds: live.firstTickSeconds } : {}),
      ...(srcLastTick !== undefined ? { srcLastTick } : {}),
      ...(live?.registers ? { dstRegisters: live.registers } : {}),
      ...(live?.afterInput ? { dstConsoleAfterInput: live.afterInput } : {}),
    });
    return { outcome, logs: logList(dir) };
  } finally {
    srcQmp?.close();
    dstQmp?.close();
    await src.kill();
    await dst.kill();
    if (transcript.length > 0) fs.writeFileSync(path.join(dir, 'qmp.log'), transcript.join('\n') + '\n');
    for (const s of [srcSock, dstSock]) fs.rmSync(s, { force: true });
  }
}

/** The guest ticks every second; LIVE_TICKS of them are due ~2 s after the switch-over. */
const LIVE_WINDOW_MS = 5_000;
/** After typing on a stalled guest's console: how long its ticks may take to come back. */
const WAKE_WINDOW_MS = 4_000;

interface LiveEvidence {
  /** Console of the liveness window. */
  console: string[];
  firstTickSeconds?: number;
  /** Only when the window showed fewer than LIVE_TICKS ticks. */
  registers?: string[];
  afterInput?: string[];
}

/**
 * Proves the guest runs on after the switch-over: LIVE_TICKS ticks (each a `sleep 1` that returned, so
 * the guest's timers work there) within LIVE_WINDOW_MS of the destination reporting `running`. When they
 * do not come, collects why: `info registers` twice (does the vCPU move? has its decrementer expired?),
 * then keystrokes on the console (spapr-vty interrupts) to see whether an interrupt revives it.
 */
async function watchLiveness(dst: QemuProc, qmp: Qmp, outOffset: number): Promise<LiveEvidence> {
  const t0 = Date.now();
  const ticks = (): number[] => tickNumbers(splitLines(dst.stdout().slice(outOffset)));
  let firstTickSeconds: number | undefined;
  while (Date.now() - t0 < LIVE_WINDOW_MS && dst.isRunning()) {
    const n = ticks().length;
    if (n > 0 && firstTickSeconds === undefined) firstTickSeconds = (Date.now() - t0) / 1000;
    if (n >= LIVE_TICKS) break;
    await sleep(100);
  }
  const windowEnd = dst.stdout().length;
  const console = splitLines(dst.stdout().slice(outOffset, windowEnd));
  const ev: LiveEvidence = { console, ...(firstTickSeconds !== undefined ? { firstTickSeconds } : {}) };
  if (tickNumbers(console).length >= LIVE_TICKS || !dst.isRunning()) return ev;
  const registers: string[] = [];
  for (let i = 0; i < 2; i++) {
    if (i > 0) await sleep(500);
    try {
      const r = await Promise.race([qmp.cmd('human-monitor-command', { 'command-line': 'info registers' }), sleep(3000).then(() => undefined)]);
      if (typeof r === 'string') registers.push(r);
    } catch {
      /* destination gone */
    }
  }
  ev.registers = registers;
  // One keystroke a second until a tick comes: whether the woken guest notices its overdue timer depends on
  // where the interrupt finds it (the kernel checks the decrementer when it replays soft-masked interrupts).
  const inputAt = dst.stdout().length;
  const t1 = Date.now();
  let typed = 0;
  while (Date.now() - t1 < WAKE_WINDOW_MS && dst.isRunning()) {
    const woke = tickNumbers(splitLines(dst.stdout().slice(inputAt))).length;
    if (woke >= LIVE_TICKS) break;
    if (woke === 0 && Date.now() - t1 >= typed * 1000) {
      dst.input('\r');
      typed++;
    }
    await sleep(100);
  }
  ev.afterInput = splitLines(dst.stdout().slice(inputAt));
  return ev;
}

/**
 * Shell snippet for level i (0-based) of a nested case: starts level i+1 with runvm, or for the target of a
 * migration case, runs it with runmig (two QEMUs and a live migration between them).
 */
function levelScript(levels: VmSpec[], i: number, migrate?: NestedCase['migrate']): string {
  const next = levels[i + 1];
  const lv = i + 2;
  const last = i + 1 === levels.length - 1;
  const q = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;
  const append = [next.append, next.stress ? `conf.stress=${next.stress}` : ''].filter((s) => s !== '').join(' ');
  const common = [q(next.machine), q(next.cpu), q(next.memory ?? '1G'), String(next.cpus ?? 1), q(append)];
  if (last && migrate) return ['runmig', String(lv), ...common, q(migrate.machine ?? next.machine), q(migrate.cpu ?? next.cpu)].join(' ');
  const parts = ['runvm', String(lv), last ? 'boot' : 'hv', ...common];
  if (!last) parts.push(q(levelScript(levels, i + 1, migrate)));
  return parts.join(' ');
}

async function runNested(env: Env, c: NestedCase, dir: string): Promise<{ outcome: Outcome; logs: string[] }> {
  const levels = c.levels.map((l) => l.vm);
  const script = Buffer.from(levelScript(levels, 0, c.migrate)).toString('base64');
  const l1: VmSpec = { ...levels[0], memory: levels[0].memory ?? '4G' };
  const q = startQemu(vmArgs(env, l1, 'hv', env.l1Cpio, `conf.script=${script}`), path.join(dir, 'l0'));
  const timeoutMs = 120_000 * (levels.length - 1) + (c.migrate ? 120_000 : 0);
  const finished = await Promise.race([
    q.exited.then(() => 'exit' as const),
    q.waitFor(PANIC, timeoutMs).then((p) => (p ? ('panic' as const) : ('timeout' as const))),
  ]);
  let timedOut = false;
  if (finished === 'panic') await Promise.race([q.exited, sleep(4000)]);
  else if (finished === 'timeout' && q.isRunning()) timedOut = true;
  const l0Signal = q.isRunning() ? null : q.signal();
  await q.kill();
  const outcome = c.migrate
    ? classifyNestedMigration(q.stdout(), q.stderr(), levels.length, timedOut, q.exitCode())
    : classifyNested(q.stdout(), q.stderr(), levels.length, timedOut, q.exitCode());
  if (l0Signal) outcome.details.push(`L0 QEMU died on ${l0Signal}`);
  return { outcome, logs: logList(dir) };
}

function logList(dir: string): string[] {
  return fs
    .readdirSync(dir)
    .filter((f) => !f.endsWith('.qmp'))
    .map((f) => path.join(dir, f));
}

async function runCase(env: Env, caseEnv: CaseEnv, c: Case, logRoot: string): Promise<Observation> {
  const dir = path.join(logRoot, c.id);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const t0 = Date.now();
  let res: { outcome: Outcome; logs: string[] };
  try {
    if (c.kind === 'boot') res = await runBoot(env, c, dir);
    else if (c.kind === 'migration') res = await runMigration(env, c, dir);
    else res = await runNested(env, c, dir);
  } catch (e) {
    res = { outcome: { kind: 'harness-error', message: (e as Error).stack ?? String(e), warnings: [], details: [] }, logs: logList(dir) };
  }
  const seconds = (Date.now() - t0) / 1000;
  const disagreement = compare(c.expected, res.outcome);
  const verdict = observedVerdict(res.outcome);
  const verdictNote =
    verdict !== undefined && verdict !== c.expected.verdict
      ? `docs verdict ${c.expected.verdict}, real outcome ${verdict}${res.outcome.warnings.length > 0 ? ` (warnings: ${res.outcome.warnings.join(' | ')})` : ''}`
      : undefined;
  // A nested case's level-n hosts are what the KVM probe in each hypervisor level read.
  const probed = c.kind === 'nested' ? withProbedHosts(caseEnv, c.planner, res.outcome.levels ?? []) : undefined;
  return {
    id: c.id,
    kind: c.kind,
    title: c.title,
    expected: c.expected,
    observed: res.outcome,
    agrees: disagreement === undefined,
    ...(disagreement !== undefined ? { disagreement } : {}),
    ...(verdict !== undefined ? { observedVerdict: verdict } : {}),
    ...(verdictNote !== undefined ? { verdictNote } : {}),
    seconds,
    logs: res.logs,
    planner: probed?.planner ?? c.planner,
    ...(probed && probed.problems.length > 0 ? { plannerProblems: probed.problems } : {}),
  };
}

/** Longest first, so that both cores stay busy until the end. */
function weight(c: Case): number {
  if (c.kind === 'nested') return 100 * c.levels.length;
  if (c.kind === 'migration') return 20;
  return 10;
}

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  const env = readEnv();
  const caseEnv: CaseEnv = { kernelRelease: env.kernelRelease, hostKernelRelease: os.release(), observedAt: new Date().toISOString() };
  const all = buildCases(caseEnv);
  const { cases, leftOut } = selectCases(all, { only: opts.only, nestedImages: env.l1Cpio !== '' });
  const logRoot = path.join(opts.out, 'logs');
  fs.mkdirSync(logRoot, { recursive: true });
  const t0 = Date.now();
  const queue = [...cases].sort((a, b) => weight(b) - weight(a));
  const results = new Map<string, Observation>();
  const worker = async (): Promise<void> => {
    for (let c = queue.shift(); c; c = queue.shift()) {
      const o = await runCase(env, caseEnv, c, logRoot);
      results.set(c.id, o);
      const mark = o.agrees ? 'ok  ' : 'DIFF';
      process.stderr.write(`[${mark}] ${o.id.padEnd(34)} ${o.observed.kind}${o.observed.message ? `: ${o.observed.message.slice(0, 110)}` : ''} (${o.seconds.toFixed(1)}s)\n`);
    }
  };
  await Promise.all(Array.from({ length: Math.min(opts.jobs, cases.length) }, () => worker()));
  const wall = Math.round((Date.now() - t0) / 1000);
  const observations = cases.map((c) => results.get(c.id)!);
  const versions = {
    l0Qemu: env.hostQemu,
    guestKernel: `${env.kernelPkg} ${env.kernelVersion}`,
    kernelRelease: env.kernelRelease,
    l1Qemu: env.l1QemuVersion ? `qemu-system-ppc ${env.l1QemuVersion} (ppc64el)` : '',
  };
  const doc = { generatedAt: new Date().toISOString(), wallSeconds: wall, jobs: opts.jobs, versions, totalCases: all.length, leftOut, observations };
  fs.writeFileSync(path.join(opts.out, 'observations.json'), JSON.stringify(doc, null, 2) + '\n');
  for (const o of observations) {
    const dir = path.join(opts.out, 'planner', o.id);
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    for (const [name, text] of Object.entries(plannerFiles(o))) fs.writeFileSync(path.join(dir, name), text);
  }
  const table = formatTable(observations);
  const left = leftOutLine(all.length, leftOut);
  const closing = `${left !== null ? `${left}\n` : ''}${summaryLine(observations, wall, versions)}`;
  fs.writeFileSync(path.join(opts.out, 'table.txt'), `${table}\n${closing}\n`);
  process.stdout.write(`${table}\n${closing}\n`);
  const broken = observations.filter((o) => o.observed.kind === 'timeout' || o.observed.kind === 'harness-error');
  if (broken.length > 0 || (opts.strict && observations.some((o) => !o.agrees))) process.exitCode = 1;
}

main().catch((e: unknown) => {
  process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
  process.exitCode = 3;
});
