/** fast-check arbitraries for simulation plans. */
import fc from 'fast-check';
import { DEFAULT_GUEST } from '../scenario/named-simulations';
import { GuestPlan, HostPlan, NestedParentPlan, Plan } from '../scenario/plan';

/** A boolean that is true with probability `p` (biases plans towards guests that boot and run). */
const usually = (p: number): fc.Arbitrary<boolean> => fc.integer({ min: 0, max: 99 }).map((n) => n < p * 100);

/** Up to 8 vCPUs: one thread per vCPU, so local (`tlbiel`) and global flushes both occur. */
export const guestArb: fc.Arbitrary<GuestPlan> = fc.record({
  name: fc.constant('g'),
  isa300: usually(0.9),
  capRptInvalidate: fc.boolean(),
  // What makes a guest a hypervisor is varied where it is one (`hypervisorGuestOn`).
  capNestedHv: fc.constant(false),
  cmdline: fc.record({ radixHcallInvalidate: fc.boolean(), disableRadix: usually(0.1) }),
  kernel: fc.record({
    radix: fc.constant(true),
    gtseOptional: fc.boolean(),
    nestedHv: fc.constant(true),
    kvmRptInvalidate: fc.constant(true),
    basePageSize: fc.constantFrom('4K' as const, '64K' as const),
  }),
  vcpus: fc.integer({ min: 1, max: 8 }),
});

/** The kernel of a guest that runs KVM-HV for guests of its own (a parent in a nested chain). */
const HYPERVISOR_GUEST: GuestPlan = { ...DEFAULT_GUEST, name: 'l1', capNestedHv: true, vcpus: 2 };

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
 * The bare-metal L0 at the bottom of a nested chain. `correctL0` keeps out the one known way to lose an
 * invalidation: a KVM-HV L0 older than 5.14, which reflects an L2's H_RPT_INVALIDATE to L1. A KVM-HV ≥ 5.14 L0
 * handles it itself; a QEMU TCG L0 reflects it too, but its untagged `tlbie` reaches the L2 (mmu/invalidate.ts).
 */
function nestingL0Arb(correctL0: boolean): fc.Arbitrary<HostPlan> {
  const l0 = correctL0
    ? fc.constantFrom({ accelerator: 'kvm-hv' as const, rptInvalidate: true }, { accelerator: 'tcg' as const, rptInvalidate: false })
    : fc.record({ accelerator: fc.constantFrom('kvm-hv' as const, 'tcg' as const), rptInvalidate: fc.boolean() });
  return l0.map((facts) => ({ name: 'h0', level: 0, mmuRadix: true, mmuHashV3: true, gtseOffered: true, ...facts }));
}

/**
 * A hypervisor guest that boots radix on `below` and runs there: GTSE=0 only with H_RPT_INVALIDATE, which QEMU
 * enables only on a KVM-HV that implements it (`cap_rpt_invalidate_apply`).
 */
function parentGuestOn(below: HostPlan, name: string): fc.Arbitrary<NestedParentPlan> {
  return fc.record({ radixHcallInvalidate: fc.boolean(), capRptInvalidate: fc.boolean() }).map((choice) => {
    const rpt = choice.capRptInvalidate && below.accelerator === 'kvm-hv' && below.rptInvalidate;
    const guest: GuestPlan = { ...HYPERVISOR_GUEST, name, capRptInvalidate: rpt, cmdline: { radixHcallInvalidate: rpt && choice.radixHcallInvalidate, disableRadix: false } };
    return { guest, bootedOn: below, runsOn: below };
  });
}

/**
 * A guest on `below` whose KVM-HV a `nest` plan's guest boots in, no snapshot recording it: mostly one that can
 * load kvm_hv (cap-nested-hv, Linux ≥ 4.20), with or without H_RPT_INVALIDATE in it.
 */
function hypervisorGuestOn(below: HostPlan): fc.Arbitrary<NestedParentPlan> {
  return fc
    .tuple(parentGuestOn(below, 'l1'), fc.record({ capNestedHv: usually(0.9), nestedHv: usually(0.9), kvmRptInvalidate: usually(0.8) }))
    .map(([parent, { capNestedHv, nestedHv, kvmRptInvalidate }]) => ({ ...parent, guest: { ...parent.guest, capNestedHv, kernel: { ...parent.guest.kernel, nestedHv, kvmRptInvalidate } } }));
}

/** A KVM-HV host at `level` ≥ 1, inside a parent guest that runs on `below`. */
function nestedHostArb(level: number, below: fc.Arbitrary<HostPlan>): fc.Arbitrary<HostPlan> {
  const name = `h${level}`;
  return fc.record({
    name: fc.constant(name),
    level: fc.constant(level),
    accelerator: fc.constant('kvm-hv' as const),
    mmuRadix: fc.constant(true),
    mmuHashV3: fc.constant(false),
    rptInvalidate: usually(0.8),
    gtseOffered: usually(0.9),
    parent: below.chain((host) => parentGuestOn(host, `l${level}`)),
  });
}

const level1Arb = (correctL0: boolean): fc.Arbitrary<HostPlan> => nestedHostArb(1, nestingL0Arb(correctL0));

/** A level-2 host: an L2 hypervisor inside an L1 (guest-platform.ts collapses the chain into one L1 under L0). */
const level2Arb = (correctL0: boolean): fc.Arbitrary<HostPlan> => nestedHostArb(2, level1Arb(correctL0));

export const hostArb = (correctL0: boolean): fc.Arbitrary<HostPlan> => fc.oneof(level0Arb, level1Arb(correctL0), level2Arb(correctL0));

/**
 * A host a `nest` plan's hypervisor guest runs on. Its level-0 host is the L0 of the chain the model derives, so
 * `correctL0` keeps a KVM-HV there from losing H_RPT_INVALIDATE as `nestingL0Arb` does, the other facts varied as
 * for any level-0 host (a hypervisor guest that boots hash, or is refused, is a case too).
 */
const hypervisorHostArb = (correctL0: boolean): fc.Arbitrary<HostPlan> =>
  fc.oneof(
    level0Arb.map((host) => (correctL0 && host.accelerator === 'kvm-hv' ? { ...host, rptInvalidate: true } : host)),
    level1Arb(correctL0),
    level2Arb(correctL0),
  );

export const planArb = (correctL0: boolean, steps = 120): fc.Arbitrary<Plan> => {
  const workload = fc.record({ seed: fc.integer({ min: 0, max: 0x7fffffff }), steps: fc.constant(steps) });
  return fc.oneof(
    { arbitrary: fc.record({ kind: fc.constant('boot' as const), guest: guestArb, host: hostArb(correctL0), workload }), weight: 2 },
    { arbitrary: fc.record({ kind: fc.constant('migrate' as const), guest: guestArb, from: hostArb(correctL0), to: hostArb(correctL0), workload }), weight: 2 },
    { arbitrary: fc.record({ kind: fc.constant('nest' as const), guest: guestArb, hypervisor: hypervisorHostArb(correctL0).chain(hypervisorGuestOn), workload }), weight: 1 },
  );
};
