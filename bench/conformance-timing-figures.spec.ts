import { ConformanceTimings, conformanceTimingFigures } from './conformance-timing-figures';

const timings: ConformanceTimings = {
  format: 'spapr-planner/conformance-timings@1',
  observationsGeneratedAt: '2026-12-07T02:39:00.000Z',
  cases: [
    { id: 'B01', realSeconds: 19, plannerInProcessMs: 10, plannerProcessMs: 400 },
    { id: 'B06', realSeconds: 0.1, plannerInProcessMs: 5, plannerProcessMs: 500 },
    { id: 'M01', realSeconds: 9, plannerInProcessMs: 20, plannerProcessMs: 450 },
  ],
};

describe('conformance timings as bench figures', () => {
  describe('When timings.json times the newest observations', () => {
    const figures = conformanceTimingFigures(timings, '2026-12-07T02:39:00.000Z');

    it('reports the medians with their ratio', () => {
      expect(figures[0]).toMatchObject({ value: 10, baseline: 9000, ratio: 900, met: true });
      expect(figures[2]).toMatchObject({ value: 450, baseline: 9000, ratio: 20, met: true });
    });

    it('reports the case with the smallest ratio beside each median', () => {
      expect(figures[1]).toMatchObject({ value: 5, baseline: 100, ratio: 20, target: '(reported: B06)' });
      expect(figures[3]).toMatchObject({ value: 500, baseline: 100, ratio: 0.2, target: '(reported: B06)' });
    });

    it('counts the cases where one CLI process is slower than the real attempt', () => {
      expect(figures[4]).toMatchObject({ name: 'cases where one CLI process is slower than the real attempt', value: 1, unit: 'of 3 cases', met: true });
    });
  });

  describe('When there is nothing current to report', () => {
    it.each([
      ['timings.json is missing', null, null, 'no conformance-results/timings.json'],
      ['the observations are newer than the timed ones', timings, '2026-12-07T05:00:00.000Z', 'observations.json is of 2026-12-07T05:00:00.000Z'],
      ['no case was timed', { ...timings, cases: [] }, null, 'times no case'],
    ])('keeps every figure, unmeasured and missed, saying how to measure it: %s', (_why, doc, observed, reason) => {
      const figures = conformanceTimingFigures(doc, observed);
      expect(figures.map((f) => f.name)).toEqual(conformanceTimingFigures(timings, null).map((f) => f.name));
      for (const f of figures) {
        expect(f).toMatchObject({ value: null, baseline: null, ratio: null, met: false });
        expect(f.target).toContain(reason);
        expect(f.target).toContain('npm run conformance');
      }
    });
  });

  it('refuses a file of another format', () => {
    expect(() => conformanceTimingFigures({ ...timings, format: 'x' }, null)).toThrow('unexpected format x');
  });
});
