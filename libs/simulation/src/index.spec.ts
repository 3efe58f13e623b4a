import { NAMED_SIMULATIONS, runBenchmarkScenario, runScenario } from '@spapr/simulation';

describe('When another library imports @spapr/simulation', () => {
  it('can run every named simulation through the public surface', () => {
    for (const { plan } of Object.values(NAMED_SIMULATIONS)) expect(runScenario(plan).outcome.kind).toBeDefined();
  });

  it('can call the benchmark scenario', () => {
    expect(runBenchmarkScenario().steps).toBe(1000);
  });
});
