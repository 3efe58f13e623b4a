/** fast-check arbitraries for simulation plans. */
import fc from 'fast-check';
import { GuestPlan, HostPlan, Plan } from '../scenario/plan';

/** A boolean that is true with probability `p` (biases plans towards guests that boot and run). */
const usually = (p: number): fc.Arbitrary<boolean> => fc.integer({ min: 0, max: 99 }).map((n) => n < p * 100);

export const guestArb: fc.Arbitrary<GuestPlan> = fc.record({
  name: fc.constant('g'),
  isa300: usually(0.9),
  capRptInvalidate: fc.boolean(),
  cmdline: fc.record({ radixHcallInvalidate: fc.boolean(), disableRadix: usually(0.1) }),
  kernel: fc.record({ radix: fc.constant(true), gtseOptional: fc.boolean(), basePageSize: fc.constantFrom('4K' as const, '64K' as const) }),
  vcpus: fc.integer({ min: 1, max: 4 }),
});

const L1_GUEST: GuestPlan = { name: 'l1', isa300: true, capRptInvalidate: false, cmdline: { radixHcallInvalidate: false, disableRadix: false }, kernel: { radix: true, gtseOptional: true, basePageSize: '64K' }, vcpus: 2 };

const level0Arb: fc.Arbitrary<HostPlan> = fc.record({
  name: fc.constant('h0'),
  level: fc.constant(0),
  accelerator: fc.constantFrom('kvm-hv' as const, 'kvm-hv' as const, 'tcg' as const),
  mmuRadix: usually(0.9),
  mmuHashV3: fc.boolean(),
  rptInvalidate: usually(0.8),
  gtseOffered: usually(0.9),
});

/**
 * A level-1 host. `correctL0` keeps L0 a KVM-HV ≥ 5.14, which handles an L2's H_RPT_INVALIDATE itself;
 * without it, L0 may reflect the hcall to L1 (older kernels, TCG), the known way to lose an invalidation.
 */
function level1Arb(correctL0: boolean): fc.Arbitrary<HostPlan> {
  return fc.record({
    name: fc.constant('h1'),
    level: fc.constant(1),
    accelerator: fc.constant('kvm-hv' as const),
    mmuRadix: fc.constant(true),
    mmuHashV3: fc.constant(false),
    rptInvalidate: usually(0.8),
    gtseOffered: usually(0.9),
    parent: fc
      .record({
        guest: fc.record({ radixHcallInvalidate: fc.boolean(), capRptInvalidate: fc.boolean() }),
        l0: correctL0
          ? fc.constant({ accelerator: 'kvm-hv' as const, rptInvalidate: true })
          : fc.record({ accelerator: fc.constantFrom('kvm-hv' as const, 'tcg' as const), rptInvalidate: fc.boolean() }),
      })
      .map(({ guest, l0 }) => {
        // An L1 that boots (radix, and GTSE=0 only with H_RPT_INVALIDATE, which only a KVM-HV ≥ 5.14 L0 offers).
        const rpt = guest.capRptInvalidate && l0.accelerator === 'kvm-hv' && l0.rptInvalidate;
        const host: HostPlan = { name: 'h0', level: 0, mmuRadix: true, mmuHashV3: true, gtseOffered: true, ...l0 };
        const parent: GuestPlan = { ...L1_GUEST, capRptInvalidate: rpt, cmdline: { radixHcallInvalidate: rpt && guest.radixHcallInvalidate, disableRadix: false } };
        return { guest: parent, bootedOn: host, runsOn: host };
      }),
  });
}

export const hostArb = (correctL0: boolean): fc.Arbitrary<HostPlan> => fc.oneof(level0Arb, level1Arb(correctL0));

export const planArb = (correctL0: boolean, steps = 120): fc.Arbitrary<Plan> => {
  const workload = fc.record({ seed: fc.integer({ min: 0, max: 0x7fffffff }), steps: fc.constant(steps) });
  return fc.oneof(
    fc.record({ kind: fc.constant('boot' as const), guest: guestArb, host: hostArb(correctL0), workload }),
    fc.record({ kind: fc.constant('migrate' as const), guest: guestArb, from: hostArb(correctL0), to: hostArb(correctL0), workload }),
  );
};
