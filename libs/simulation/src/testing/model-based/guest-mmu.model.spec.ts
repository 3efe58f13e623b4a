import fc from 'fast-check';
import { DEFAULT_GUEST, GTSE0_GUEST, KVM_L0_HOST, L1_GTSE0_HOST, L1_GTSE1_HOST, TCG_HOST } from '../../scenario/named-simulations';
import { GuestPlan, HostPlan } from '../../scenario/plan';
import { guestMmuCommands } from './guest-mmu.commands';
import { GuestMmuModel } from './guest-mmu.model';
import { SimulatedGuest } from './simulated-guest';

/** Every configuration in which the guest boots and flushes the way its kernel chose. */
const CONFIGURATIONS: readonly (readonly [string, GuestPlan, HostPlan])[] = [
  ['GTSE=1 guest on KVM-HV (tlbie)', DEFAULT_GUEST, KVM_L0_HOST],
  ['GTSE=0 guest on KVM-HV (H_RPT_INVALIDATE)', GTSE0_GUEST, KVM_L0_HOST],
  ['GTSE=1 guest on TCG', DEFAULT_GUEST, TCG_HOST],
  ['GTSE=0 L2 in a GTSE=0 L1 (H_RPT_INVALIDATE handled by L0)', GTSE0_GUEST, L1_GTSE0_HOST],
  ['GTSE=1 L2 in a GTSE=1 L1', DEFAULT_GUEST, L1_GTSE1_HOST],
];

const setupArb = fc.record({
  configuration: fc.constantFrom(...CONFIGURATIONS),
  threads: fc.integer({ min: 1, max: 4 }),
  base: fc.constantFrom('4K' as const, '64K' as const),
});

function guestOf(guest: GuestPlan, threads: number, base: '4K' | '64K'): GuestPlan {
  return { ...guest, vcpus: threads, kernel: { ...guest.kernel, basePageSize: base } };
}

describe('When the guest kernel edits and flushes its page tables on any valid configuration', () => {
  it('translates exactly what the flat model says is mapped, on every thread, with no stale entry', () => {
    fc.assert(
      fc.property(
        setupArb.chain((setup) => fc.tuple(fc.constant(setup), fc.commands(guestMmuCommands(setup.threads, setup.base), { maxCommands: 60 }))),
        ([{ configuration, threads, base }, commands]) => {
          const [, guest, host] = configuration;
          fc.modelRun(() => ({ model: new GuestMmuModel(), real: SimulatedGuest.boot(guestOf(guest, threads, base), host) }), commands);
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('When the first PWC flush that removes anything is skipped', () => {
  // Chosen by count, so in some command sequences the entries it leaves all still match the tables: the
  // model-based run must find a sequence where they do not.
  it('is found by the model-based run', () => {
    const result = fc.check(
      fc.property(fc.commands(guestMmuCommands(2, '64K'), { maxCommands: 80 }), (commands) => {
        fc.modelRun(
          () => ({ model: new GuestMmuModel(), real: SimulatedGuest.boot(guestOf(DEFAULT_GUEST, 2, '64K'), KVM_L0_HOST, { skipPwcFlush: { nth: 0 } }) }),
          commands,
        );
      }),
      { numRuns: 300 },
    );
    expect(result.failed).toBe(true);
  });
});
