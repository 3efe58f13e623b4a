import { existsSync, readFileSync } from 'node:fs';
import { BenchFigure, median } from './bench-figure';

interface TimingsDoc {
  format: string;
  cases: { id: string; realSeconds: number; plannerInProcessMs: number; plannerProcessMs: number }[];
}

/**
 * The planner's answer against the real attempt (a real boot or migration under QEMU, what an operator does today),
 * for the same conformance cases; measured by `npm run conformance` into conformance-results/timings.json.
 */
export const conformanceTimingBench = (file = 'conformance-results/timings.json'): BenchFigure[] => {
  if (!existsSync(file)) {
    console.log(`(no ${file}: run npm run conformance first for the planner-vs-real-attempt figure)`);
    return [];
  }
  const doc = JSON.parse(readFileSync(file, 'utf8')) as TimingsDoc;
  if (doc.format !== 'spapr-planner/conformance-timings@1' || doc.cases.length === 0) throw new Error(`${file}: unexpected format ${doc.format}`);
  const realMs = median(doc.cases.map((c) => c.realSeconds * 1000));
  const answerMs = median(doc.cases.map((c) => c.plannerInProcessMs));
  const processMs = median(doc.cases.map((c) => c.plannerProcessMs));
  return [
    { name: `planner answer vs real QEMU attempt (${doc.cases.length} conformance cases, in-process, medians)`, value: answerMs, unit: 'ms', baseline: realMs, ratio: realMs / answerMs, target: '(reported: real attempt time / answer time)', met: true },
    { name: 'planner CLI process vs real QEMU attempt (medians)', value: processMs, unit: 'ms', baseline: realMs, ratio: realMs / processMs, target: '(reported)', met: true },
  ];
};
