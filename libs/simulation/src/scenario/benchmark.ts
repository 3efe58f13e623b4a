/** The function the benchmark calls: a 1,000-step, 4-thread scenario (issue 5 target: < 100 ms). */
import { NAMED_SIMULATIONS } from './named-simulations';
import { runScenario, ScenarioResult } from './run-scenario';

export function runBenchmarkScenario(): ScenarioResult {
  return runScenario(NAMED_SIMULATIONS['benchmark/1000-steps-4-cpus'].plan);
}
