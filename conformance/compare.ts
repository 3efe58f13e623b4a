/**
 * Planner comparison step (after run.ts): every observed case is recorded into a fresh planner store
 * and checked with the built CLI, then judged against what real QEMU did (compare-planner.ts).
 *
 *   conformance/run.sh --compare-only [--only REGEX] [--out DIR] [--jobs N] [--cli PATH] [--repeat N]
 *
 * Per case, in a temporary directory: `import record.jsonl`; the check from `check.args` with `--json`
 * (the CLI process wall time is measured); for a booted guest, `record boot` with the observed ov5;
 * the store's GuestBooted events are read for MODEL-DISAGREES. Then, serially, the same check is
 * answered in-process (`runCli` of the built CLI) `--repeat` times for the median answer time.
 *
 * Writes `<out>/comparison.json`, `<out>/timings.json` and `<out>/comparison.txt`; prints the table, the cases the
 * run or `--only` left out (one line, when any were) and, last, `N passed, N failed`. Exit 1 when a case failed, 3 on a crash.
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { CAUSES } from './causes';
import { CheckVerb, CliCall, closingLine, Comparison, formatComparison, judge, RecordedBoot } from './compare-planner';
import { LeftOut, leftOutLine, selectCases } from './selection';
import { buildTimings, CaseTiming } from './timings';
import { Observation } from './types';

interface Opts {
  only?: RegExp;
  out: string;
  jobs: number;
  cli: string;
  repeat: number;
}

function parseArgs(argv: string[]): Opts {
  const o: Opts = { out: 'conformance-results', jobs: Math.max(1, os.cpus().length), cli: 'dist/apps/cli/src/main.js', repeat: 5 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--only') o.only = new RegExp(argv[++i]);
    else if (a === '--out') o.out = argv[++i];
    else if (a === '--jobs') o.jobs = Number(argv[++i]);
    else if (a === '--cli') o.cli = argv[++i];
    else if (a === '--repeat') o.repeat = Number(argv[++i]);
    else if (a === '--strict') continue; // run.ts's flag; the comparison always fails on a mismatch
    else throw new Error(`unknown argument ${a}`);
  }
  return o;
}

interface Timed extends CliCall {
  ms: number;
}

function runNode(cli: string, args: string[], cwd: string): Promise<Timed> {
  const t0 = process.hrtime.bigint();
  return new Promise((resolve) => {
    execFile(process.execPath, [cli, ...args], { cwd, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      const code = error ? (typeof (error as { code?: unknown }).code === 'number' ? ((error as { code: number }).code) : null) : 0;
      let json: unknown;
      try {
        json = stdout.trim() === '' ? undefined : JSON.parse(stdout);
      } catch {
        json = undefined;
      }
      resolve({ exitCode: code, ...(json !== undefined ? { json } : {}), stderr: stderr || (json === undefined ? stdout : ''), ms });
    });
  });
}

type Sqlite = (file: string, opts: { readonly: boolean }) => { prepare(sql: string): { all(): unknown[] }; close(): void };

function recordedBoots(sqlite: Sqlite, db: string): RecordedBoot[] {
  const conn = sqlite(db, { readonly: true });
  try {
    const rows = conn.prepare("SELECT data FROM events WHERE type IN ('GuestBooted', 'GuestRebooted') ORDER BY position").all() as Array<{ data: string }>;
    return rows
      .map((r) => JSON.parse(r.data) as { guestId: string; observed?: unknown; cas?: { notes?: Array<{ ruleId: string; message: string }> } })
      .filter((d) => d.observed !== undefined)
      .map((d) => ({ guestId: d.guestId, notes: (d.cas?.notes ?? []).map((n) => ({ ruleId: n.ruleId, message: n.message })) }));
  } finally {
    conn.close();
  }
}

interface CaseRun {
  comparison: Comparison;
  /** The check's CLI arguments (absolute paths), for the in-process timing pass. */
  checkArgs: string[];
  db: string;
  tmp: string;
  processMs: number;
  observation: Observation;
}

function verbOf(args: string[]): CheckVerb {
  const v = args[1];
  if (v === 'boot' || v === 'migration' || v === 'nesting') return v;
  throw new Error(`check.args: unknown check ${args.join(' ')}`);
}

async function compareCase(opts: Opts, sqlite: Sqlite, o: Observation): Promise<CaseRun> {
  const dir = path.resolve(opts.out, 'planner', o.id);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), `spapr-compare-${o.id}-`));
  const db = path.join(tmp, 'planner.db');
  const base = ['--db', db, '--json'];
  const importCall = await runNode(opts.cli, [...base, 'import', path.join(dir, 'record.jsonl')], dir);
  const raw = fs.readFileSync(path.join(dir, 'check.args'), 'utf8').trim().split('\n');
  const checkArgs = raw.map((a, i) => (raw[i - 1] === '--guest-spec' ? path.join(dir, a) : a));
  const checkCall = await runNode(opts.cli, [...base, ...checkArgs], dir);
  const verb = verbOf(checkArgs);
  let observedGuestId: string | undefined;
  let observedBootCall: CliCall | undefined;
  const observedFile = path.join(dir, 'observed-boot.jsonl');
  if (importCall.exitCode === 0 && verb === 'boot' && o.observed.kind === 'booted' && fs.existsSync(observedFile)) {
    const line = JSON.parse(fs.readFileSync(observedFile, 'utf8').trim().split('\n')[0]) as { data: { guestId: string } };
    observedGuestId = line.data.guestId;
    const doc = path.join(tmp, 'observed-boot.json');
    fs.writeFileSync(doc, JSON.stringify(line.data));
    observedBootCall = await runNode(opts.cli, [...base, 'record', 'boot', doc], dir);
  }
  const boots = fs.existsSync(db) ? recordedBoots(sqlite, db) : [];
  const comparison = judge({
    id: o.id,
    verb,
    observed: o.observed,
    causeMap: CAUSES[o.id],
    importCall,
    checkCall,
    ...(observedGuestId !== undefined ? { observedGuestId } : {}),
    ...(observedBootCall !== undefined ? { observedBootCall } : {}),
    recordedBoots: boots,
    inputProblems: o.plannerProblems ?? [],
  });
  return { comparison, checkArgs, db, tmp, processMs: checkCall.ms, observation: o };
}

type RunCli = (argv: readonly string[], write: { out: (s: string) => void; err: (s: string) => void }) => Promise<number>;

/** Median in-process answer time of each case's check (the store was filled by the CLI above). */
async function timeInProcess(runCli: RunCli, runs: CaseRun[], repeat: number): Promise<Map<string, number[]>> {
  const sink = { out: () => undefined, err: () => undefined };
  const out = new Map<string, number[]>();
  if (runs.length > 0) await runCli(['--db', runs[0].db, '--json', ...runs[0].checkArgs], sink); // load and JIT once
  for (const r of runs) {
    const samples: number[] = [];
    for (let i = 0; i < repeat; i++) {
      const t0 = process.hrtime.bigint();
      await runCli(['--db', r.db, '--json', ...r.checkArgs], sink);
      samples.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
    out.set(r.observation.id, samples);
  }
  return out;
}

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  const root = process.cwd();
  opts.cli = path.resolve(root, opts.cli);
  if (!fs.existsSync(opts.cli)) throw new Error(`${opts.cli} not found: run npm run build first`);
  const rootRequire = createRequire(path.join(root, 'package.json'));
  const sqlite = rootRequire('better-sqlite3') as Sqlite;
  const obsFile = path.join(opts.out, 'observations.json');
  // totalCases/leftOut: what the run left out (absent from results written before the runner recorded it).
  const doc = JSON.parse(fs.readFileSync(obsFile, 'utf8')) as {
    generatedAt: string;
    versions: Record<string, string>;
    totalCases?: number;
    leftOut?: LeftOut[];
    observations: Observation[];
  };
  const selected = selectCases(doc.observations, { only: opts.only, nestedImages: true });
  const observations = selected.cases;
  const left = leftOutLine(doc.totalCases ?? doc.observations.length, [...(doc.leftOut ?? []), ...selected.leftOut]);

  const t0 = Date.now();
  const queue = [...observations];
  const results = new Map<string, CaseRun>();
  const worker = async (): Promise<void> => {
    for (let o = queue.shift(); o; o = queue.shift()) results.set(o.id, await compareCase(opts, sqlite, o));
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(opts.jobs, observations.length)) }, () => worker()));
  const runs = observations.map((o) => results.get(o.id)!);

  const runCli = (rootRequire(opts.cli) as { runCli: RunCli }).runCli;
  const samples = await timeInProcess(runCli, runs, opts.repeat);
  for (const r of runs) fs.rmSync(r.tmp, { recursive: true, force: true });

  const rows = runs.map((r) => r.comparison);
  const timingRows: CaseTiming[] = runs.map((r) => ({
    id: r.observation.id,
    kind: r.observation.kind,
    verb: r.comparison.verb,
    realSeconds: r.observation.seconds,
    plannerProcessMs: r.processMs,
    plannerInProcessRunsMs: samples.get(r.observation.id) ?? [],
  }));
  const generatedAt = new Date().toISOString();
  const timings = buildTimings(timingRows, { generatedAt, observationsGeneratedAt: doc.generatedAt, cli: path.relative(root, opts.cli), repeat: opts.repeat });
  const closing = `${left !== null ? `${left}\n` : ''}${closingLine(rows)}`;
  const passed = rows.filter((c) => c.pass).length;
  fs.writeFileSync(
    path.join(opts.out, 'comparison.json'),
    JSON.stringify({ generatedAt, observationsGeneratedAt: doc.generatedAt, versions: doc.versions, cli: path.relative(root, opts.cli), wallSeconds: Math.round((Date.now() - t0) / 100) / 10, passed, failed: rows.length - passed, leftOut: left, cases: rows }, null, 2) + '\n',
  );
  fs.writeFileSync(path.join(opts.out, 'timings.json'), JSON.stringify(timings, null, 2) + '\n');
  const table = formatComparison(rows);
  fs.writeFileSync(path.join(opts.out, 'comparison.txt'), `${table}\n${closing}\n`);
  const s = timings.summary;
  process.stdout.write(
    `\nPlanner comparison (${rows.length} cases; each recorded into a fresh store and checked with ${path.relative(root, opts.cli)} --json)\n${table}\n\n` +
      `answer time: in-process median ${s.plannerInProcessMsMedian} ms, CLI process ${s.plannerProcessMsMedian} ms; real attempt median ${s.realSecondsMedian} s; ` +
      `real/planner ratio median ${s.ratioMedian} (min ${s.ratioMin}) → ${path.join(opts.out, 'timings.json')}\n` +
      `results and raw logs (CI artifacts): ${path.resolve(opts.out)}\n${closing}\n`,
  );
  if (passed !== rows.length) process.exitCode = 1;
}

main().catch((e: unknown) => {
  process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
  process.exitCode = 3;
});
