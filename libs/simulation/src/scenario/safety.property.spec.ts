import fc from 'fast-check';
import { planArb } from '../testing/plan-arbitraries';
import { DEFAULT_GUEST, GTSE0_GUEST, KVM_L0_HOST, L1_GTSE0_HOST, L1_GTSE1_HOST } from './named-simulations';
import { Plan } from './plan';
import { runScenario } from './run-scenario';

describe('When random workloads run on every configuration whose L0 handles H_RPT_INVALIDATE itself', () => {
  it('never leaves a stale translation behind a completed invalidation', () => {
    let ran = 0;
    fc.assert(
      fc.property(planArb(true), (plan) => {
        const result = runScenario(plan);
        if (result.steps > 0) ran++;
        expect(result.outcome.kind).not.toBe('stale-translation');
      }),
      { numRuns: 150 },
    );
    expect(ran).toBeGreaterThan(40);
  });
});

describe('When L0 may reflect an L2 H_RPT_INVALIDATE to its L1', () => {
  it('loses invalidations only on that path, with a Linux L0 older than 5.14', () => {
    fc.assert(
      fc.property(planArb(false), (plan) => {
        const { outcome, trace } = runScenario(plan);
        if (outcome.kind !== 'stale-translation') return;
        // only an L2's entries (shadow LPID 2), only after L1 emulated the hcall, only on real hardware
        // (QEMU TCG's tlbie ignores LPID and PID, so L1's flush reaches the L2 there)
        expect(outcome.stale).toMatchObject({ entry: { lpid: 2 } });
        expect(trace.map((r) => r.event)).toContainEqual(expect.objectContaining({ type: 'hcall', name: 'H_RPT_INVALIDATE', handledBy: 'L1' }));
        const hosts = plan.kind === 'boot' ? [plan.host] : [plan.from, plan.to];
        expect(hosts.some((host) => host.parent?.runsOn.accelerator === 'kvm-hv' && !host.parent.runsOn.rptInvalidate)).toBe(true);
      }),
      { numRuns: 150 },
    );
  });
});

describe('When one PWC flush that mattered is deliberately skipped (test-only fault injection)', () => {
  const runnable: Plan[] = [
    { kind: 'boot', guest: DEFAULT_GUEST, host: KVM_L0_HOST, workload: { seed: 0, steps: 300 } },
    { kind: 'boot', guest: GTSE0_GUEST, host: KVM_L0_HOST, workload: { seed: 0, steps: 300 } },
    { kind: 'boot', guest: GTSE0_GUEST, host: L1_GTSE0_HOST, workload: { seed: 0, steps: 300 } },
    { kind: 'boot', guest: { ...DEFAULT_GUEST, kernel: { ...DEFAULT_GUEST.kernel, basePageSize: '4K' } }, host: L1_GTSE1_HOST, workload: { seed: 0, steps: 300 } },
  ];

  it('is caught by the safety check as a stale page-walk-cache entry', () => {
    let injected = 0;
    fc.assert(
      fc.property(fc.constantFrom(...runnable), fc.integer({ min: 0, max: 0x7fffffff }), fc.nat(2), (plan, seed, nth) => {
        const result = runScenario({ ...plan, workload: { ...plan.workload, seed } }, { faults: { skipPwcFlush: { nth } } });
        if (!result.trace.some((r) => r.event.type === 'fault-injected')) return;
        injected++;
        expect(result.outcome).toMatchObject({ kind: 'stale-translation', stale: { cache: 'pwc' } });
      }),
      { numRuns: 100 },
    );
    expect(injected).toBeGreaterThan(50);
  });

  it('leaves a correct run untouched when no flush is skipped', () => {
    expect(runScenario(runnable[0]).outcome).toEqual({ kind: 'ok' });
  });
});

describe('When L0 deliberately leaves one shadow PTE an L1 asked it to invalidate (test-only fault injection)', () => {
  const nestedPlans: Plan[] = [
    { kind: 'boot', guest: GTSE0_GUEST, host: L1_GTSE0_HOST, workload: { seed: 0, steps: 300 } },
    { kind: 'boot', guest: DEFAULT_GUEST, host: L1_GTSE1_HOST, workload: { seed: 0, steps: 300 } },
  ];

  it('is caught by the safety check as a stale shadow translation', () => {
    let injected = 0;
    fc.assert(
      fc.property(fc.constantFrom(...nestedPlans), fc.integer({ min: 0, max: 0x7fffffff }), fc.nat(2), (plan, seed, nth) => {
        const result = runScenario({ ...plan, workload: { ...plan.workload, seed } }, { faults: { skipShadowPte: { nth } } });
        if (!result.trace.some((r) => r.event.type === 'fault-injected')) return;
        injected++;
        expect(result.outcome).toMatchObject({ kind: 'stale-translation', stale: { cache: 'shadow', lpid: 2 } });
      }),
      { numRuns: 60 },
    );
    expect(injected).toBeGreaterThan(30);
  });
});
