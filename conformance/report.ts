/** Human-readable table and summary line of a conformance run. */
import { Observation, Outcome } from './types';

function describe(o: { kind: string; mmu?: string; ov5?: string; message?: string }): string {
  const parts: string[] = [o.kind];
  if (o.mmu) parts.push(o.mmu);
  if (o.ov5) parts.push(`ov5=${o.ov5.length > 16 ? `${o.ov5.slice(0, 6)}…${o.ov5.slice(-10)}` : o.ov5}`);
  if (o.message) parts.push(`"${o.message.length > 90 ? `${o.message.slice(0, 87)}...` : o.message}"`);
  return parts.join(' ');
}

export function describeOutcome(o: Outcome): string {
  return describe(o);
}

export function formatTable(obs: Observation[]): string {
  const rows = obs.map((o) => [
    o.agrees ? 'ok' : 'DIFF',
    o.id,
    `${o.expected.verdict} ${describe(o.expected)}`,
    describe(o.observed),
    `${o.seconds.toFixed(1)}s`,
  ]);
  const head = ['', 'case', 'expected (domain docs)', 'observed (QEMU 7.2, TCG L0)', 'time'];
  const widths = head.map((h, i) => Math.min(i === 2 || i === 3 ? 70 : 40, Math.max(h.length, ...rows.map((r) => r[i].length))));
  const cut = (s: string, w: number): string => (s.length > w ? `${s.slice(0, w - 1)}…` : s.padEnd(w));
  const line = (r: string[]): string => r.map((c, i) => cut(c, widths[i])).join(' | ');
  const out = [line(head), widths.map((w) => '-'.repeat(w)).join('-+-'), ...rows.map(line)];
  const notes = obs.filter((o) => o.verdictNote !== undefined);
  if (notes.length > 0) {
    out.push('', 'Verdict-class notes (outcome class agrees or not, but the real verdict differs from the docs\' verdict):');
    for (const n of notes) out.push(`  ${n.id}: ${n.verdictNote ?? ''}`);
  }
  const diffs = obs.filter((o) => !o.agrees);
  if (diffs.length > 0) {
    out.push('', 'Disagreements with /work/shared/domain:');
    for (const d of diffs) out.push(`  ${d.id}: ${d.disagreement ?? ''}`);
  }
  return out.join('\n');
}

export function summaryLine(obs: Observation[], wallSeconds: number, versions: { l0Qemu: string; guestKernel: string }): string {
  const by = (k: string): string => {
    const s = obs.filter((o) => o.kind === k);
    return `${k} ${s.filter((o) => o.agrees).length}/${s.length}`;
  };
  const agree = obs.filter((o) => o.agrees).length;
  const broken = obs.filter((o) => o.observed.kind === 'timeout' || o.observed.kind === 'harness-error').length;
  return (
    `conformance: ${obs.length} cases, ${agree} agree with the domain docs, ${obs.length - agree} disagree` +
    ` (${by('boot')}, ${by('migration')}, ${by('nested')}); ${broken} unclassified; ${wallSeconds}s wall;` +
    ` ${versions.l0Qemu}; guest kernel ${versions.guestKernel}`
  );
}
