/**
 * Pure part of the planner comparison: given what real QEMU did (an observation), the rule that names
 * its cause (causes.ts) and what the planner answered (`check … --json`, plus the boots it recorded),
 * decide whether the planner agrees, and render the table.
 *
 * A case passes when (acceptance of the conformance issue):
 *  - the verdict class matches the real outcome: booted → safe or warn; refused, panic, crash, failed,
 *    completed but the guest stalled on the destination → unsafe; completed → safe; completed with a cap
 *    warning → warn;
 *  - the rule that names the real cause is among the planner's findings (severity error for a failure,
 *    warning for an outcome that went on with a warning);
 *  - where the guest booted, the predicted ov5 and MMU equal the observed ones, and recording every boot
 *    with its `observed` ov5 gives no MODEL-DISAGREES (nor MODEL-OV5-MALFORMED);
 *  - a nested case's planner documents are complete: every level-n host snapshot was built from the KVM probe of
 *    that level (Observation.plannerProblems otherwise).
 */
import { Cause, CauseMap } from './causes';
import { Outcome, OutcomeKind, Verdict } from './types';

export type CheckVerb = 'boot' | 'migration' | 'nesting';

export interface PlannerFinding {
  ruleId: string;
  severity: 'error' | 'warning' | 'info';
  message: string;
  values?: Record<string, unknown>;
}

/** The subset of `check boot|migration|nesting --json` the comparison reads. */
export interface PlannerAnswer {
  verdict: Verdict;
  outcome?: string;
  contract?: { mmu?: string; ov5?: string } | null;
  findings: PlannerFinding[];
}

/** One CLI call: its exit code, parsed JSON (if any) and stderr. */
export interface CliCall {
  exitCode: number | null;
  json?: unknown;
  stderr: string;
}

/** A GuestBooted/GuestRebooted event recorded with `observed`: its MODEL-* notes. */
export interface RecordedBoot {
  guestId: string;
  notes: Array<{ ruleId: string; message: string }>;
}

export interface JudgeInput {
  id: string;
  verb: CheckVerb;
  observed: Outcome;
  causeMap: CauseMap | undefined;
  importCall: CliCall;
  checkCall: CliCall;
  /** Guest recorded after the check with what really booted (boot answers of a booted case). */
  observedGuestId?: string;
  observedBootCall?: CliCall;
  recordedBoots: RecordedBoot[];
  /** Why the planner documents are incomplete (Observation.plannerProblems: a host level without its KVM probe). */
  inputProblems?: string[];
}

export interface Comparison {
  id: string;
  verb: CheckVerb;
  pass: boolean;
  real: { kind: OutcomeKind; message?: string; verdicts: Verdict[]; rules: string[] };
  planner: { verdict?: string; outcome?: string; exitCode: number | null; ov5?: string; mmu?: string; findings: string[] };
  /** Why the case failed (empty when it passed). */
  problems: string[];
  /** Facts worth reading that do not decide the case (e.g. a real warning no rule names). */
  notes: string[];
}

/** A migration QEMU completed but after which the guest does not run on failed for the guest. */
const FAILURE_KINDS: readonly OutcomeKind[] = ['qemu-refused', 'qemu-crashed', 'guest-panic', 'migration-failed', 'migration-completed-guest-stalled'];

/** Verdict classes that match a real outcome class. */
export function acceptableVerdicts(kind: OutcomeKind): Verdict[] {
  if (FAILURE_KINDS.includes(kind)) return ['unsafe'];
  if (kind === 'booted') return ['safe', 'warn'];
  if (kind === 'migration-completed') return ['safe'];
  if (kind === 'migration-completed-with-warning') return ['warn'];
  return [];
}

/** Severity the planner must give the rule that names a real cause (a cause may say otherwise: Cause.severity). */
export function causeSeverity(kind: OutcomeKind, cause?: Cause): 'error' | 'warning' {
  return cause?.severity ?? (FAILURE_KINDS.includes(kind) ? 'error' : 'warning');
}

/** The planner's exit code for a verdict (SPEC §4.1: 0 safe/warn, 1 unsafe). */
export function exitCodeFor(verdict: Verdict): number {
  return verdict === 'unsafe' ? 1 : 0;
}

function realTexts(o: Outcome): string[] {
  return [o.message ?? '', ...o.warnings, ...o.details].filter((s) => s !== '');
}

function isAnswer(x: unknown): x is PlannerAnswer {
  if (typeof x !== 'object' || x === null) return false;
  const a = x as Record<string, unknown>;
  return typeof a.verdict === 'string' && Array.isArray(a.findings);
}

export function describeFinding(f: PlannerFinding): string {
  return `${f.ruleId} ${f.severity}: ${f.message}`;
}

function cliFailure(what: string, call: CliCall): string {
  const errs = (call.json as { errors?: unknown } | undefined)?.errors;
  const detail = errs !== undefined ? JSON.stringify(errs) : call.stderr.trim().split('\n').slice(0, 4).join(' | ');
  return `${what} exited ${call.exitCode ?? 'on a signal'}${detail ? `: ${detail}` : ''}`;
}

export function judge(input: JudgeInput): Comparison {
  const o = input.observed;
  const problems: string[] = [];
  const notes: string[] = [];
  const verdicts = acceptableVerdicts(o.kind);
  const map = input.causeMap;
  const causes: Cause[] = map?.causes ?? [];
  const texts = realTexts(o);

  // 1. The real outcome and its mapping to rules.
  if (verdicts.length === 0) problems.push(`real outcome not classified (${o.kind}${o.message ? `: ${o.message}` : ''})`);
  if (!map) problems.push('no cause mapping for this case in conformance/causes.ts');
  else if (map.outcome !== o.kind) problems.push(`cause mapping was reviewed for a ${map.outcome} outcome but real QEMU gave ${o.kind}: review conformance/causes.ts`);
  for (const c of causes) {
    if (!texts.some((t) => t.includes(c.text))) problems.push(`cause text "${c.text}" is not in the real outcome: review conformance/causes.ts`);
    if (c.rule === null) problems.push(`no rule names the real cause "${c.text}"`);
  }
  const decisive = causes.filter((c) => causeSeverity(o.kind, c) === 'error').length;
  if (map && FAILURE_KINDS.includes(o.kind) && decisive !== 1) problems.push(`a failure maps to exactly one cause (got ${decisive})`);
  const unmapped = o.warnings.filter((w) => !causes.some((c) => w.includes(c.text)));
  for (const w of new Set(unmapped)) notes.push(`real warning not named by a rule: ${w}`);

  for (const p of input.inputProblems ?? []) problems.push(`planner input: ${p}`);

  // 2. The planner's answer.
  const planner: Comparison['planner'] = { exitCode: input.checkCall.exitCode, findings: [] };
  let answer: PlannerAnswer | undefined;
  if (input.importCall.exitCode !== 0) problems.push(cliFailure('import', input.importCall));
  else if (!isAnswer(input.checkCall.json)) problems.push(cliFailure(`check ${input.verb}`, input.checkCall));
  else answer = input.checkCall.json;

  if (answer) {
    planner.verdict = answer.verdict;
    if (answer.outcome !== undefined) planner.outcome = answer.outcome;
    planner.findings = answer.findings.filter((f) => f.severity !== 'info').map(describeFinding);
    if (answer.contract?.ov5 !== undefined) planner.ov5 = answer.contract.ov5;
    if (answer.contract?.mmu !== undefined) planner.mmu = answer.contract.mmu;
    if (verdicts.length > 0 && !verdicts.includes(answer.verdict)) problems.push(`verdict ${answer.verdict}, real outcome ${o.kind} needs ${verdicts.join(' or ')}`);
    if (input.checkCall.exitCode !== exitCodeFor(answer.verdict)) problems.push(`exit code ${input.checkCall.exitCode} for verdict ${answer.verdict}`);
    for (const c of causes) {
      if (c.rule === null) continue;
      const severity = causeSeverity(o.kind, c);
      const hit = answer.findings.find((f) => f.ruleId === c.rule && f.severity === severity);
      if (!hit) {
        const other = answer.findings.find((f) => f.ruleId === c.rule);
        problems.push(other ? `${c.rule} is ${other.severity}, real outcome needs ${severity}` : `no ${severity} ${c.rule} among the planner's findings`);
      } else if (c.quotes !== undefined && hit.values?.quotedRule !== c.quotes) {
        problems.push(`${c.rule} quotes ${String(hit.values?.quotedRule)}, real cause is ${c.quotes}`);
      }
    }
    if (o.kind === 'booted' && input.verb === 'boot') {
      if (!answer.contract) problems.push(`no predicted contract, but the guest booted ${o.mmu ?? ''} ov5=${o.ov5 ?? '?'}`);
      else {
        if ((answer.contract.ov5 ?? '').toLowerCase() !== (o.ov5 ?? '').toLowerCase()) problems.push(`predicted ov5 ${answer.contract.ov5}, observed ${o.ov5}`);
        if (answer.contract.mmu !== o.mmu) problems.push(`predicted mmu ${answer.contract.mmu}, observed ${o.mmu}`);
      }
    }
  }

  // 3. Recording what really booted: no MODEL-DISAGREES.
  if (input.observedBootCall && input.observedBootCall.exitCode !== 0) problems.push(cliFailure('record boot (observed)', input.observedBootCall));
  if (input.observedGuestId !== undefined && !input.recordedBoots.some((b) => b.guestId === input.observedGuestId)) {
    problems.push(`the observed boot of ${input.observedGuestId} was not recorded`);
  }
  for (const b of input.recordedBoots) {
    for (const n of b.notes) {
      if (n.ruleId === 'MODEL-DISAGREES' || n.ruleId === 'MODEL-OV5-MALFORMED') problems.push(`recording ${b.guestId} with its observed ov5: ${n.ruleId}: ${n.message}`);
    }
  }

  return {
    id: input.id,
    verb: input.verb,
    pass: problems.length === 0,
    real: {
      kind: o.kind,
      ...(o.message !== undefined ? { message: o.message } : {}),
      verdicts,
      rules: causes.map((c) => c.rule ?? '(none)'),
    },
    planner,
    problems,
    notes,
  };
}

// ---- rendering ----------------------------------------------------------------------------------

const cut = (s: string, w: number): string => (s.length > w ? `${s.slice(0, w - 1)}…` : s.padEnd(w));

function realCell(c: Comparison): string {
  const rules = c.real.rules.length > 0 ? ` ${c.real.rules.join('+')}` : '';
  return `${c.real.kind} → ${c.real.verdicts.join('/') || '?'}${rules}`;
}

function plannerCell(c: Comparison): string {
  if (c.planner.verdict === undefined) return `no answer (exit ${c.planner.exitCode ?? 'signal'})`;
  const rules = [...new Set(c.planner.findings.map((f) => f.split(' ')[0]))];
  return `${c.planner.verdict} ${c.planner.outcome ?? ''} ${rules.join(',')}`.replace(/\s+/g, ' ').trim();
}

/** The comparison table, the mismatch details (real message vs planner findings), and nothing else. */
export function formatComparison(rows: Comparison[]): string {
  const head = ['', 'case', 'check', 'real outcome → verdict, rule', 'planner: verdict outcome rules'];
  const cells = rows.map((c) => [c.pass ? 'pass' : 'FAIL', c.id, c.verb, realCell(c), plannerCell(c)]);
  const widths = head.map((h, i) => Math.min([4, 34, 9, 72, 90][i], Math.max(h.length, ...cells.map((r) => r[i].length))));
  const line = (r: string[]): string => r.map((x, i) => cut(x, widths[i])).join(' | ').trimEnd();
  const out = [line(head), widths.map((w) => '-'.repeat(w)).join('-+-'), ...cells.map(line)];
  const failed = rows.filter((c) => !c.pass);
  if (failed.length > 0) {
    out.push('', 'Mismatches (real QEMU/KVM vs the planner):');
    for (const c of failed) {
      out.push(`  ${c.id} (check ${c.verb})`);
      out.push(`    real:    ${c.real.kind}${c.real.message ? `: ${c.real.message}` : ''}`);
      out.push(`    planner: ${c.planner.verdict ?? 'no answer'}${c.planner.outcome ? ` (${c.planner.outcome})` : ''}${c.planner.ov5 ? ` ov5=${c.planner.ov5}` : ''}`);
      for (const f of c.planner.findings) out.push(`             ${f}`);
      for (const p of c.problems) out.push(`    why:     ${p}`);
    }
  }
  return out.join('\n');
}

/** The closing line, alone on its line: `N passed, N failed`. */
export function closingLine(rows: Comparison[]): string {
  const passed = rows.filter((c) => c.pass).length;
  return `${passed} passed, ${rows.length - passed} failed`;
}
