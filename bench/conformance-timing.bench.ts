import { existsSync, readFileSync } from 'node:fs';
import { BenchFigure } from './bench-figure';
import { ConformanceTimings, conformanceTimingFigures } from './conformance-timing-figures';

const readJson = <T>(file: string): T | null => (existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as T) : null);

/** The planner's answer against the real QEMU attempt, from what `npm run conformance` measured (conformance-results/). */
export const conformanceTimingBench = (dir = 'conformance-results'): BenchFigure[] =>
  conformanceTimingFigures(readJson<ConformanceTimings>(`${dir}/timings.json`), readJson<{ generatedAt: string }>(`${dir}/observations.json`)?.generatedAt ?? null);
