import { writeFileSync } from 'node:fs';
import { BenchFigure } from './bench-figure';
import { conformanceTimingBench } from './conformance-timing.bench';
import { eventStoreBench } from './event-store.bench';
import { plannerBench } from './planner.bench';
import { simulationBench } from './simulation.bench';

/** `npm run bench`: every figure as a ratio against a baseline measured in the same run (2 noisy cores: medians). */
const main = async (): Promise<void> => {
  const events = Number(process.env.BENCH_EVENTS ?? 100_000);
  const figures: BenchFigure[] = [
    ...eventStoreBench(events, Number(process.env.BENCH_ROUNDS ?? 5)),
    ...(await plannerBench(Number(process.env.BENCH_HOSTS ?? 10_000), Number(process.env.BENCH_GUESTS ?? 100_000))),
    ...simulationBench(30),
    ...conformanceTimingBench(),
  ];
  for (const f of figures) {
    const ratio = f.ratio === null ? '' : `  ratio ${f.ratio.toFixed(2)} vs baseline ${f.baseline}`;
    const value = f.value === null ? 'not measured' : `${Number.isInteger(f.value) ? f.value : f.value.toFixed(3)} ${f.unit}`;
    console.log(`${f.met ? 'MET ' : 'MISS'}  ${f.name}: ${value}${ratio}  (target ${f.target})`);
  }
  writeFileSync('bench-results.json', `${JSON.stringify(figures, null, 2)}\n`);
  console.log(`wrote bench-results.json (${figures.length} figures)`);
};

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
