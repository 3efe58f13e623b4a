import { buildTimings, median } from './timings';

describe('median', () => {
  it('is the middle sample, or the mean of the two middle ones', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });
});

describe('buildTimings (conformance-results/timings.json for npm run bench)', () => {
  const doc = buildTimings(
    [
      { id: 'B01', kind: 'boot', verb: 'boot', realSeconds: 9.5, plannerProcessMs: 300, plannerInProcessRunsMs: [12, 10, 11] },
      { id: 'M01', kind: 'migration', verb: 'migration', realSeconds: 5, plannerProcessMs: 250, plannerInProcessRunsMs: [20, 25, 30] },
    ],
    { generatedAt: '2026-11-25T06:00:00.000Z', observationsGeneratedAt: '2026-11-25T05:50:00.000Z', cli: 'dist/apps/cli/src/main.js', repeat: 3 },
  );
  it('gives each case the real time, the median in-process answer time, the CLI process time and both ratios', () => {
    expect(doc.format).toBe('spapr-planner/conformance-timings@1');
    expect(doc.cases[0]).toEqual({ id: 'B01', kind: 'boot', verb: 'boot', realSeconds: 9.5, plannerInProcessMs: 11, plannerInProcessRunsMs: [12, 10, 11], plannerProcessMs: 300, ratio: 863.6, processRatio: 31.7 });
    expect(doc.cases[1].ratio).toBe(200);
  });
  it('summarises medians and the smallest ratio', () => {
    expect(doc.summary).toEqual({
      cases: 2,
      realSecondsTotal: 14.5,
      realSecondsMedian: 7.3,
      plannerInProcessMsMedian: 18,
      plannerProcessMsMedian: 275,
      ratioMedian: 531.8,
      ratioMin: 200,
      processRatioMedian: 25.9,
      processRatioMin: 20,
    });
  });
});
