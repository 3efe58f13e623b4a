import { NAMED_SIMULATIONS, runBenchmarkScenario, runScenario } from '@spapr/simulation';
import type { OutcomeKind, SimulationName } from '@spapr/simulation';

/** What each named simulation must end with, through the public surface another library uses. */
const EXPECTED: Readonly<Record<SimulationName, OutcomeKind>> = {
  'seed/l2-gtse1-in-l1-gtse0': 'guest-crash',
  'seed/l2-gtse0-rpt-invalidate-in-l1-gtse0': 'ok',
  'nested/l2-gtse0-old-l0': 'stale-translation',
  'tcg/radix-hcall-invalidate': 'guest-panic',
  'tcg/cap-rpt-invalidate': 'qemu-refused',
  'migrate/gtse1-guest-into-l1-gtse0': 'guest-crash',
  'benchmark/1000-steps-4-cpus': 'ok',
};

describe('When another library imports @spapr/simulation', () => {
  it.each(Object.keys(NAMED_SIMULATIONS) as SimulationName[])('runs the named simulation %s to its expected outcome', (name) => {
    expect(runScenario(NAMED_SIMULATIONS[name].plan).outcome.kind).toBe(EXPECTED[name]);
  });

  it('can call the benchmark scenario', () => {
    expect(runBenchmarkScenario().steps).toBe(1000);
  });
});
