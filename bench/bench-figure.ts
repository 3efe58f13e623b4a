/**
 * One figure of `npm run bench`: a value, the baseline measured in the same run, and whether the target is met.
 * `value` is null when the figure could not be measured this run (then `met` is false and `target` says how to get it).
 */
export interface BenchFigure {
  readonly name: string;
  readonly value: number | null;
  readonly unit: string;
  readonly baseline: number | null;
  readonly ratio: number | null;
  readonly target: string;
  readonly met: boolean;
}

export const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};

export const percentile = (xs: readonly number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};

export const msSince = (start: bigint): number => Number(process.hrtime.bigint() - start) / 1e6;
