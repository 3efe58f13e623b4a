import type { Evidence, Finding, Verdict } from '@spapr/domain';
import { EXIT } from '../cli-error';
import type { CliResult } from '../cli-result';

const SYMBOL: Record<Verdict, string> = { safe: '✓ safe', warn: '! warn', unsafe: '✗ unsafe' };

const age = (seconds: number): string =>
  seconds < 120 ? `${seconds}s` : seconds < 7200 ? `${Math.round(seconds / 60)}m` : seconds < 172800 ? `${Math.round(seconds / 3600)}h` : `${Math.round(seconds / 86400)}d`;

const evidenceLine = (evidence: readonly Evidence[]): string => evidence.map((e) => `${e.subject} #${e.position} (${age(e.ageSeconds)} old)`).join(', ');

const values = (f: Finding): string =>
  Object.entries(f.values)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');

/** One finding as operators read it: severity and rule, the message, the values compared, what to do, where from, on what evidence. */
export const renderFindings = (findings: readonly Finding[], indent = '  '): string[] =>
  findings.flatMap((f) =>
    // Info explains how the verdict was reached: one line each; --json has the rest.
    f.severity === 'info' ? [`${indent}INFO    ${f.ruleId}: ${f.message}`] : [
    `${indent}${f.severity.toUpperCase().padEnd(7)} ${f.ruleId}: ${f.message}`,
    ...(Object.keys(f.values).length ? [`${indent}        values: ${values(f)}`] : []),
    ...(f.hint || f.remedy ? [`${indent}        fix: ${f.hint ?? f.remedy}`] : []),
    `${indent}        source: ${f.source}`,
    ...(f.evidence.length ? [`${indent}        evidence: ${evidenceLine(f.evidence)}`] : []),
  ]);

/** Verdict first, then reasons, then evidence (UX.md); unsafe exits 1. */
export const renderAnswer = (answer: { verdict: Verdict; findings: readonly Finding[]; position: number; hypothetical: number }, headline: string, extra: string[] = []): CliResult => ({
  exitCode: answer.verdict === 'unsafe' ? EXIT.findings : EXIT.ok,
  json: answer,
  human: [
    `${SYMBOL[answer.verdict]}  ${headline}`,
    ...extra,
    ...renderFindings(answer.findings),
    `computed at event #${answer.position}${answer.hypothetical ? ` with ${answer.hypothetical} hypothetical event(s) (what-if, nothing recorded)` : ''}`,
  ].join('\n'),
});

export const verdictSymbol = (v: Verdict): string => SYMBOL[v];
