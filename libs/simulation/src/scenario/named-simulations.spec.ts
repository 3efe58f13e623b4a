import { INTERRUPT_HEAI } from '../isa/interrupt';
import { NAMED_SIMULATIONS } from './named-simulations';
import { runScenario } from './run-scenario';

describe('When the L1 has GTSE=0 and CAS told its L2 GTSE=1 (the seed scenario)', () => {
  const result = runScenario(NAMED_SIMULATIONS['seed/l2-gtse1-in-l1-gtse0'].plan);

  it('negotiates GTSE=1 for the L2 while L0 runs it with LPCR[GTSE]=0', () => {
    const events = result.trace.map((r) => r.event);
    expect(events).toContainEqual(expect.objectContaining({ type: 'cas', negotiated: { mmu: 'radix', gtse: true } }));
    expect(events).toContainEqual(expect.objectContaining({ type: 'lpcr', level: 'L2', gtse: false }));
  });

  it("crashes the L2 on its first tlbie, via HEAI reflected to L1", () => {
    expect(result.outcome).toMatchObject({ kind: 'guest-crash', level: 'L2', instruction: { mnemonic: 'tlbie' } });
    const firstTlbie = result.trace.find((r) => r.event.type === 'instruction' && r.event.text.startsWith('tlbie '));
    expect(firstTlbie?.event).toMatchObject({ result: 'interrupt' });
    expect(result.trace.map((r) => r.event)).toContainEqual(expect.objectContaining({ type: 'interrupt', level: 'L2', vector: INTERRUPT_HEAI }));
    if (result.outcome.kind === 'guest-crash') expect(result.outcome.delivery).toMatch(/reflected to L1/);
  });
});

describe('When the same L2 boots with GTSE=0 and H_RPT_INVALIDATE', () => {
  const result = runScenario(NAMED_SIMULATIONS['seed/l2-gtse0-rpt-invalidate-in-l1-gtse0'].plan);

  it('runs the whole workload with no stale translation', () => {
    expect(result.outcome).toEqual({ kind: 'ok' });
    expect(result.steps).toBe(200);
  });

  it('flushes through H_RPT_INVALIDATE handled by L0, never with a trapping tlbie', () => {
    const events = result.trace.map((r) => r.event);
    expect(events).toContainEqual(expect.objectContaining({ type: 'hcall', name: 'H_RPT_INVALIDATE', handledBy: 'L0', rc: 0 }));
    expect(events.filter((e) => e.type === 'interrupt')).toEqual([]);
  });
});

describe('When an L0 older than 5.14 reflects the L2 hcall to an L1 with GTSE=1', () => {
  it('leaves a stale translation of the L2 behind', () => {
    const { outcome } = runScenario(NAMED_SIMULATIONS['nested/l2-gtse0-old-l0'].plan);
    expect(outcome).toMatchObject({ kind: 'stale-translation', stale: { entry: { lpid: 2 } } });
  });
});

describe('When a guest boots under TCG with radix_hcall_invalidate=on and no cap-rpt-invalidate', () => {
  it('panics as the recorded ground truth did', () => {
    expect(runScenario(NAMED_SIMULATIONS['tcg/radix-hcall-invalidate'].plan).outcome).toEqual({
      kind: 'guest-panic',
      level: 'L1',
      message: 'BUG: Radix support requires either GTSE or RPT_INVALIDATE',
    });
  });
});

describe('When cap-rpt-invalidate=on is asked of TCG', () => {
  it('is refused by QEMU', () => {
    expect(runScenario(NAMED_SIMULATIONS['tcg/cap-rpt-invalidate'].plan).outcome).toMatchObject({
      kind: 'qemu-refused',
      message: 'No H_RPT_INVALIDATE support in TCG',
    });
  });
});

describe('When a GTSE=1 guest migrates into an L1 with GTSE=0', () => {
  it('runs until the migration and crashes on a tlbie after it', () => {
    const result = runScenario(NAMED_SIMULATIONS['migrate/gtse1-guest-into-l1-gtse0'].plan);
    const migratedAt = result.trace.find((r) => r.event.type === 'migrated')?.step ?? Infinity;
    expect(result.outcome).toMatchObject({ kind: 'guest-crash', instruction: { mnemonic: 'tlbie' } });
    expect(result.steps).toBeGreaterThanOrEqual(migratedAt);
  });
});

describe('When the benchmark simulation runs', () => {
  it('completes all 1,000 steps on 4 threads', () => {
    const { outcome, steps } = runScenario(NAMED_SIMULATIONS['benchmark/1000-steps-4-cpus'].plan);
    expect(outcome).toEqual({ kind: 'ok' });
    expect(steps).toBe(1000);
  });
});
