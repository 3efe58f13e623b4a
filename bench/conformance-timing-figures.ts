import { BenchFigure, median } from './bench-figure';

/** What the bench reads of conformance-results/timings.json (written by `npm run conformance`, conformance/timings.ts). */
export interface ConformanceTimings {
  readonly format: string;
  readonly observationsGeneratedAt: string;
  readonly cases: readonly { readonly id: string; readonly realSeconds: number; readonly plannerInProcessMs: number; readonly plannerProcessMs: number }[];
}

const FORMAT = 'spapr-planner/conformance-timings@1';

/** Every figure is always listed, measured or not, so a missing measurement shows as a MISS instead of vanishing. */
const FIGURES = [
  ['planner answer vs real QEMU attempt (conformance cases, in-process, medians)', 'ms'],
  ['planner answer vs real QEMU attempt (in-process), the case with the smallest ratio', 'ms'],
  ['planner CLI process vs real QEMU attempt (medians)', 'ms'],
  ['planner CLI process vs real QEMU attempt, the case with the smallest ratio', 'ms'],
  ['cases where one CLI process is slower than the real attempt', 'cases'],
] as const;

type Case = ConformanceTimings['cases'][number];

/** Why the timings cannot be reported, or null when they time cases and are as new as the observations. */
function staleness(doc: ConformanceTimings, observationsGeneratedAt: string | null): string | null {
  if (doc.cases.length === 0) return 'conformance-results/timings.json times no case';
  if (observationsGeneratedAt !== null && Date.parse(observationsGeneratedAt) > Date.parse(doc.observationsGeneratedAt)) {
    return `conformance-results/timings.json times the observations of ${doc.observationsGeneratedAt}, observations.json is of ${observationsGeneratedAt}`;
  }
  return null;
}

const unmeasured = (why: string): BenchFigure[] =>
  FIGURES.map(([name, unit]) => ({ name, value: null, unit, baseline: null, ratio: null, target: `${why}: run npm run conformance (or conformance/run.sh --compare-only to time the observations already there)`, met: false }));

const smallest = (cases: readonly Case[], ratio: (c: Case) => number): Case => cases.reduce((min, c) => (ratio(c) < ratio(min) ? c : min));

/**
 * The planner's answer against the real attempt (a real boot or migration under QEMU, what an operator does today) for
 * the same conformance cases: medians, and the case where the planner gains least. For a refusal QEMU exits within
 * ~0.1 s, so one CLI process (node start-up included) can take longer than the real attempt; the last figure counts those.
 */
export function conformanceTimingFigures(doc: ConformanceTimings | null, observationsGeneratedAt: string | null): BenchFigure[] {
  if (doc === null) return unmeasured('no conformance-results/timings.json');
  if (doc.format !== FORMAT) throw new Error(`conformance-results/timings.json: unexpected format ${doc.format}`);
  const problem = staleness(doc, observationsGeneratedAt);
  if (problem !== null) return unmeasured(problem);
  const realMs = (c: Case): number => c.realSeconds * 1000;
  const answerRatio = (c: Case): number => realMs(c) / c.plannerInProcessMs;
  const processRatio = (c: Case): number => realMs(c) / c.plannerProcessMs;
  const realMedian = median(doc.cases.map(realMs));
  const answerMedian = median(doc.cases.map((c) => c.plannerInProcessMs));
  const processMedian = median(doc.cases.map((c) => c.plannerProcessMs));
  const minAnswer = smallest(doc.cases, answerRatio);
  const minProcess = smallest(doc.cases, processRatio);
  const slower = doc.cases.filter((c) => processRatio(c) < 1).length;
  const [answer, answerMin, process, processMin, slowerName] = FIGURES;
  const reported = (what: string): string => `(reported: ${what})`;
  return [
    { name: answer[0], value: answerMedian, unit: answer[1], baseline: realMedian, ratio: realMedian / answerMedian, target: reported(`${doc.cases.length} cases, real attempt time / answer time`), met: true },
    { name: answerMin[0], value: minAnswer.plannerInProcessMs, unit: answerMin[1], baseline: realMs(minAnswer), ratio: answerRatio(minAnswer), target: reported(minAnswer.id), met: true },
    { name: process[0], value: processMedian, unit: process[1], baseline: realMedian, ratio: realMedian / processMedian, target: reported(`${doc.cases.length} cases`), met: true },
    { name: processMin[0], value: minProcess.plannerProcessMs, unit: processMin[1], baseline: realMs(minProcess), ratio: processRatio(minProcess), target: reported(minProcess.id), met: true },
    { name: slowerName[0], value: slower, unit: `of ${doc.cases.length} cases`, baseline: null, ratio: null, target: reported('a refusal QEMU prints at once can beat a node start-up'), met: true },
  ];
}
