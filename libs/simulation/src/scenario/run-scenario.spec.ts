import fc from 'fast-check';
import { guestArb, hostArb } from '../testing/plan-arbitraries';
import { DEFAULT_GUEST, GTSE0_GUEST, KVM_L0_HOST, L1_GTSE0_HOST, L1_GTSE1_HOST, TCG_HOST } from './named-simulations';
import { GuestPlan, HostPlan, Plan } from './plan';
import { runScenario } from './run-scenario';

const workload = { seed: 9, steps: 150 };

describe('When the same plan runs twice', () => {
  it('produces the same outcome and trace (deterministic from the seed)', () => {
    const plan: Plan = { kind: 'boot', guest: DEFAULT_GUEST, host: KVM_L0_HOST, workload };
    expect(runScenario(plan)).toEqual(runScenario(plan));
  });

  it('a longer boot of the same seed begins with the shorter one: same trace up to its end, same outcome if that is not ok', () => {
    fc.assert(
      fc.property(guestArb, hostArb(true), fc.integer({ min: 0, max: 0x7fffffff }), (guest, host, seed) => {
        const short = runScenario({ kind: 'boot', guest, host, workload: { seed, steps: 40 } });
        const long = runScenario({ kind: 'boot', guest, host, workload: { seed, steps: 160 } });
        expect(long.trace.slice(0, short.trace.length)).toEqual(short.trace);
        if (short.outcome.kind !== 'ok') expect(long.outcome).toEqual(short.outcome);
        // Instructions only accumulate: the longer run executes at least what the shorter one did, and at least
        // one per hcall and per TLB instruction it traced.
        const traced = long.trace.filter((r) => r.event.type === 'hcall' || r.event.type === 'instruction').length;
        expect(long.instructions).toBeGreaterThanOrEqual(Math.max(short.instructions, traced));
      }),
      { numRuns: 200 },
    );
  });

  it('counts the loads, stores and TLB instructions each workload step executes', () => {
    const run = runScenario({ kind: 'boot', guest: DEFAULT_GUEST, host: KVM_L0_HOST, workload });
    expect(run.outcome).toEqual({ kind: 'ok' });
    expect(run.instructions).toBeGreaterThan(run.steps);
  });

  it('produces a different trace for another seed', () => {
    const a = runScenario({ kind: 'boot', guest: DEFAULT_GUEST, host: KVM_L0_HOST, workload });
    const b = runScenario({ kind: 'boot', guest: DEFAULT_GUEST, host: KVM_L0_HOST, workload: { ...workload, seed: 10 } });
    expect(a.trace).not.toEqual(b.trace);
  });
});

describe('When a GTSE=0 guest boots on a KVM-HV host with H_RPT_INVALIDATE', () => {
  it('registers without PROC_TABLE_GTSE, runs with LPCR[GTSE]=0 and flushes through the hcall', () => {
    const { outcome, trace } = runScenario({ kind: 'boot', guest: GTSE0_GUEST, host: KVM_L0_HOST, workload });
    const events = trace.map((r) => r.event);
    expect(outcome).toEqual({ kind: 'ok' });
    expect(events).toContainEqual(expect.objectContaining({ type: 'lpcr', gtse: false }));
    expect(events).toContainEqual(expect.objectContaining({ type: 'hcall', name: 'H_RPT_INVALIDATE', rc: 0 }));
  });
});

describe('When the guest negotiates hash', () => {
  const HASH_GUEST: GuestPlan = { ...DEFAULT_GUEST, cmdline: { radixHcallInvalidate: false, disableRadix: true } };
  const POWER8_GUEST: GuestPlan = { ...DEFAULT_GUEST, isa300: false };
  const NO_RADIX_KERNEL: GuestPlan = { ...DEFAULT_GUEST, kernel: { ...DEFAULT_GUEST.kernel, radix: false } };
  const KVM_PR_HOST: HostPlan = { ...KVM_L0_HOST, name: 'l0-pr', accelerator: 'kvm-pr', mmuRadix: false, mmuHashV3: false, rptInvalidate: false };

  it('boots hash under TCG and ends ok without a radix workload: no process table, no flush, no step', () => {
    const { outcome, trace, steps } = runScenario({ kind: 'boot', guest: HASH_GUEST, host: TCG_HOST, workload });
    const events = trace.map((r) => r.event);
    expect(outcome).toEqual({ kind: 'ok' });
    expect(events).toContainEqual(expect.objectContaining({ type: 'cas', negotiated: { mmu: 'hash', gtse: false } }));
    expect(events[events.length - 1]).toEqual({ type: 'hash-mmu', host: 'tcg' });
    expect(events.some((e) => e.type === 'hcall' || e.type === 'kernel-flush-method' || e.type === 'touch')).toBe(false);
    expect(steps).toBe(0);
  });

  it('boots hash on a KVM-PR host, where QEMU allocates the HPT itself, even inside a guest', () => {
    expect(runScenario({ kind: 'boot', guest: POWER8_GUEST, host: KVM_PR_HOST, workload }).outcome).toEqual({ kind: 'ok' });
    expect(runScenario({ kind: 'boot', guest: POWER8_GUEST, host: { ...KVM_PR_HOST, level: 1 }, workload }).outcome).toEqual({ kind: 'ok' });
  });

  it('is refused on a level-1 KVM-HV host, whatever makes it hash', () => {
    const refused = (guest: GuestPlan, host: HostPlan = L1_GTSE1_HOST) => runScenario({ kind: 'boot', guest, host, workload }).outcome;
    expect(refused(POWER8_GUEST)).toEqual({ kind: 'qemu-refused', message: 'HPT not supported in nested guests', source: 'QEMU hw/ppc/spapr.c:spapr_machine_reset → spapr_setup_hpt → spapr_reallocate_hpt' });
    expect(refused(NO_RADIX_KERNEL)).toEqual({ kind: 'qemu-refused', message: 'Guest requested unavailable MMU mode (hash).', source: 'QEMU hw/ppc/spapr.c:spapr_check_mmu_mode' });
    // A snapshot without KVM_CAP_PPC_MMU_RADIX gets past spapr_check_mmu_mode; the HPT QEMU then sets up is refused.
    expect(refused(HASH_GUEST, { ...L1_GTSE1_HOST, mmuRadix: false })).toEqual({
      kind: 'qemu-refused',
      message: 'HPT not supported in nested guests',
      source: 'QEMU hw/ppc/spapr.c:do_client_architecture_support → spapr_setup_hpt → spapr_reallocate_hpt',
    });
  });

  it('migrates to a level-0 KVM-HV host with KVM_CAP_PPC_MMU_HASH_V3: its HPT loads there and it runs on, hash', () => {
    const { outcome, trace } = runScenario({ kind: 'migrate', guest: HASH_GUEST, from: TCG_HOST, to: KVM_L0_HOST, workload });
    const events = trace.map((r) => r.event);
    expect(outcome).toEqual({ kind: 'ok' });
    expect(trace[trace.length - 1]).toEqual({ step: workload.steps / 2, event: { type: 'hpt-migrated', to: 'l0' } });
    expect(events.filter((e) => e.type === 'cas')).toHaveLength(1);
    expect(events.some((e) => e.type === 'migrated')).toBe(false);
  });

  it('fails to migrate where the destination cannot run its HPT', () => {
    const migrate = (to: HostPlan) => runScenario({ kind: 'migrate', guest: HASH_GUEST, from: KVM_L0_HOST, to, workload }).outcome;
    expect(migrate(L1_GTSE1_HOST)).toEqual({ kind: 'migration-failed', message: 'HPT not supported in nested guests', source: 'QEMU hw/ppc/spapr.c:htab_load → spapr_reallocate_hpt' });
    expect(migrate({ ...KVM_L0_HOST, name: 'l0-dd21', mmuHashV3: false })).toMatchObject({ kind: 'migration-failed', message: expect.stringContaining('KVM_CAP_PPC_MMU_HASH_V3=0') });
    expect(runScenario({ kind: 'migrate', guest: POWER8_GUEST, from: TCG_HOST, to: L1_GTSE1_HOST, workload }).outcome).toMatchObject({
      kind: 'migration-failed',
      source: 'QEMU hw/ppc/spapr.c:spapr_machine_reset → spapr_setup_hpt → spapr_reallocate_hpt',
    });
  });
});

describe('When the host is KVM-PR claiming radix, or a nested host whose parent guest could not have booted', () => {
  it('reports not-modelled', () => {
    expect(runScenario({ kind: 'boot', guest: DEFAULT_GUEST, host: { ...KVM_L0_HOST, accelerator: 'kvm-pr' }, workload }).outcome.kind).toBe('not-modelled');
    const panickingParent = { ...L1_GTSE0_HOST.parent!, guest: { ...GTSE0_GUEST, capRptInvalidate: false } };
    expect(runScenario({ kind: 'boot', guest: DEFAULT_GUEST, host: { ...L1_GTSE0_HOST, parent: panickingParent }, workload }).outcome).toMatchObject({ kind: 'not-modelled', reason: expect.stringContaining('panics') });
  });
});

describe('When an L3 boots on a level-2 host (an L2 hypervisor inside an L1)', () => {
  /** The level-2 host's parent: an L2 that registered GTSE=0 with H_RPT_INVALIDATE, inside `l1`. */
  const level2In = (l1: HostPlan): HostPlan => ({ ...L1_GTSE0_HOST, name: 'l2-hv', level: 2, parent: { guest: { ...GTSE0_GUEST, name: 'l2' }, bootedOn: l1, runsOn: l1 } });

  it('runs with the GTSE of the L1 on bare metal, whose LPCR L0 applies at every H_ENTER_NESTED: ok under a GTSE=1 L1', () => {
    expect(runScenario({ kind: 'boot', guest: DEFAULT_GUEST, host: level2In(L1_GTSE1_HOST), workload }).outcome).toEqual({ kind: 'ok' });
  });

  it('crashes at its first tlbie under a GTSE=0 L1', () => {
    expect(runScenario({ kind: 'boot', guest: DEFAULT_GUEST, host: level2In(L1_GTSE0_HOST), workload }).outcome).toMatchObject({ kind: 'guest-crash', instruction: { mnemonic: 'tlbie' } });
  });
});

describe('When a running guest migrates', () => {
  it('fails when the destination QEMU cannot enable cap-rpt-invalidate', () => {
    const plan: Plan = { kind: 'migrate', guest: GTSE0_GUEST, from: KVM_L0_HOST, to: { ...KVM_L0_HOST, name: 'old', rptInvalidate: false }, workload };
    expect(runScenario(plan).outcome).toMatchObject({ kind: 'migration-failed', message: 'KVM implementation does not support H_RPT_INVALIDATE' });
  });

  it('fails when the destination KVM has no radix', () => {
    const plan: Plan = { kind: 'migrate', guest: DEFAULT_GUEST, from: KVM_L0_HOST, to: { ...KVM_L0_HOST, mmuRadix: false }, workload };
    expect(runScenario(plan).outcome).toMatchObject({ kind: 'migration-failed', message: 'Process table config unsupported by the host' });
  });

  it('keeps its contract, restores its LPCR and starts with empty caches on a compatible destination', () => {
    const plan: Plan = { kind: 'migrate', guest: GTSE0_GUEST, from: KVM_L0_HOST, to: L1_GTSE0_HOST, workload };
    const { outcome, trace } = runScenario(plan);
    const events = trace.map((r) => r.event);
    expect(outcome).toEqual({ kind: 'ok' });
    expect(events.filter((e) => e.type === 'cas')).toHaveLength(1);
    expect(events).toContainEqual(expect.objectContaining({ type: 'migrated', to: 'l1-gtse0' }));
    const migratedAt = trace.findIndex((r) => r.event.type === 'migrated');
    const firstTouchAfter = trace.slice(migratedAt).find((r) => r.event.type === 'touch' && !r.event.result.startsWith('dsi'));
    expect(firstTouchAfter?.event).toMatchObject({ result: expect.stringMatching(/^walk/) });
  });
});
