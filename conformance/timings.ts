/**
 * `conformance-results/timings.json`, read by `npm run bench`: for each case, how long the real attempt
 * took (boot, migration or nested stack under QEMU, `Observation.seconds`) and how long the planner took
 * to answer the same question.
 *
 *   {
 *     "format": "spapr-planner/conformance-timings@1",
 *     "generatedAt", "observationsGeneratedAt", "cli", "repeat",
 *     "cases": [{
 *       "id", "kind": "boot"|"migration"|"nested", "verb": "boot"|"migration"|"nesting",
 *       "realSeconds":            wall time of the real attempt,
 *       "plannerInProcessMs":     median of `repeat` in-process `check` calls (runCli of the built CLI, store on disk),
 *       "plannerInProcessRunsMs": the samples,
 *       "plannerProcessMs":       wall time of one `node main.js --json check …` process,
 *       "ratio":                  realSeconds·1000 / plannerInProcessMs,
 *       "processRatio":           realSeconds·1000 / plannerProcessMs
 *     }],
 *     "summary": { "cases", "realSecondsTotal", "realSecondsMedian", "plannerInProcessMsMedian",
 *                  "plannerProcessMsMedian", "ratioMedian", "ratioMin", "processRatioMedian", "processRatioMin" }
 *   }
 */

export interface CaseTiming {
  id: string;
  kind: string;
  verb: string;
  realSeconds: number;
  plannerProcessMs: number;
  plannerInProcessRunsMs: number[];
}

export interface TimingsDoc {
  format: 'spapr-planner/conformance-timings@1';
  generatedAt: string;
  observationsGeneratedAt: string;
  cli: string;
  repeat: number;
  cases: Array<{
    id: string;
    kind: string;
    verb: string;
    realSeconds: number;
    plannerInProcessMs: number;
    plannerInProcessRunsMs: number[];
    plannerProcessMs: number;
    ratio: number;
    processRatio: number;
  }>;
  summary: {
    cases: number;
    realSecondsTotal: number;
    realSecondsMedian: number;
    plannerInProcessMsMedian: number;
    plannerProcessMsMedian: number;
    ratioMedian: number;
    ratioMin: number;
    processRatioMedian: number;
    processRatioMin: number;
  };
}

export function median(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
}

const round = (x: number, digits: number): number => (Number.isFinite(x) ? Number(x.toFixed(digits)) : 0);

export function buildTimings(rows: CaseTiming[], meta: { generatedAt: string; observationsGeneratedAt: string; cli: string; repeat: number }): TimingsDoc {
  const cases = rows.map((r) => {
    const inProc = median(r.plannerInProcessRunsMs);
    return {
      id: r.id,
      kind: r.kind,
      verb: r.verb,
      realSeconds: r.realSeconds,
      plannerInProcessMs: round(inProc, 3),
      plannerInProcessRunsMs: r.plannerInProcessRunsMs.map((x) => round(x, 3)),
      plannerProcessMs: round(r.plannerProcessMs, 1),
      ratio: round((r.realSeconds * 1000) / inProc, 1),
      processRatio: round((r.realSeconds * 1000) / r.plannerProcessMs, 1),
    };
  });
  const ratios = cases.map((c) => c.ratio);
  const processRatios = cases.map((c) => c.processRatio);
  return {
    format: 'spapr-planner/conformance-timings@1',
    ...meta,
    cases,
    summary: {
      cases: cases.length,
      realSecondsTotal: round(cases.reduce((a, c) => a + c.realSeconds, 0), 1),
      realSecondsMedian: round(median(cases.map((c) => c.realSeconds)), 1),
      plannerInProcessMsMedian: round(median(cases.map((c) => c.plannerInProcessMs)), 3),
      plannerProcessMsMedian: round(median(cases.map((c) => c.plannerProcessMs)), 1),
      ratioMedian: round(median(ratios), 1),
      ratioMin: round(cases.length > 0 ? Math.min(...ratios) : NaN, 1),
      processRatioMedian: round(median(processRatios), 1),
      processRatioMin: round(cases.length > 0 ? Math.min(...processRatios) : NaN, 1),
    },
  };
}
