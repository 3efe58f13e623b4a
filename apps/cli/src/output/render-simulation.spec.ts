import type { SimulationAnswer } from '@spapr/planner';
import type { TraceEvent, TraceRecord } from '@spapr/simulation';
import { renderSimulation } from './render-simulation';

const touch = (step: number): TraceRecord => ({ step, event: { type: 'touch', thread: 0, pid: 1, ea: 0x1000, access: 'load', result: 'walk 0x1000' } });
const at = (step: number, event: TraceEvent): TraceRecord => ({ step, event });
const plan = {
  kind: 'boot' as const,
  guest: { name: 'g', isa300: true, capRptInvalidate: false, capNestedHv: false, cmdline: { radixHcallInvalidate: false, disableRadix: false }, kernel: { radix: true, gtseOptional: true, nestedHv: true, kvmRptInvalidate: true, basePageSize: '64K' as const }, vcpus: 2 },
  host: { name: 'h', level: 0, accelerator: 'kvm-hv' as const, mmuRadix: true, mmuHashV3: true, rptInvalidate: true, gtseOffered: true },
  workload: { seed: 1, steps: 100 },
};
const answer = (over: Partial<SimulationAnswer>): SimulationAnswer & { hypothetical: number } => ({
  question: { kind: 'boot', hostId: 'h', machine: 'pseries-7.2', cpu: 'host' },
  plan,
  outcome: { kind: 'ok' },
  steps: 100,
  trace: [],
  notes: [],
  position: 7,
  hypothetical: 0,
  ...over,
});

describe('When a simulation answer is rendered for people', () => {
  it('puts the outcome first and exits 0 only for ok', () => {
    const ok = renderSimulation(answer({}));
    expect(ok.exitCode).toBe(0);
    expect(ok.human.split('\n')[0]).toBe('✓ ok  boot pseries-7.2 (-cpu host) on h: the workload ran to the end: no crash, no stale translation');
    const panic = renderSimulation(answer({ outcome: { kind: 'guest-panic', level: 'L1', message: 'BUG: Radix support requires either GTSE or RPT_INVALIDATE' } }));
    expect(panic.exitCode).toBe(1);
    expect(panic.human.split('\n')[0]).toBe('✗ guest-panic  boot pseries-7.2 (-cpu host) on h: L1 kernel panic: BUG: Radix support requires either GTSE or RPT_INVALIDATE');
  });

  it('keeps milestones and the last events, and folds each run of routine workload events into one line', () => {
    const trace = [
      at(0, { type: 'cas', offered: { radix: true, gtse: true }, platformSupport: { byte24: 0x80, byte26: 0x40 }, requested: { radix: true, gtse: true }, negotiated: { mmu: 'radix', gtse: true } }),
      ...Array.from({ length: 30 }, (_, i) => touch(i)),
      at(30, { type: 'migrated', to: 'h2', lpcr: '0x0000000000500400' }),
      ...Array.from({ length: 30 }, (_, i) => touch(31 + i)),
    ];
    const lines = renderSimulation(answer({ trace })).human.split('\n');
    expect(lines.filter((l) => l.includes('CAS: offered radix=1 gtse=1'))).toHaveLength(1);
    expect(lines).toContain('  …      30 workload event(s) (--json has them all)');
    expect(lines).toContain('  #  30  migrated to h2, LPCR 0x0000000000500400 restored');
    expect(lines).toContain('  …      14 workload event(s) (--json has them all)');
    expect(lines.filter((l) => l.includes('thread 0 load'))).toHaveLength(16);
  });

  it('says a hash guest ran no radix workload, and why, at its boot and where it migrated', () => {
    const trace = [at(0, { type: 'hash-mmu', host: 'h' }), at(50, { type: 'hpt-migrated', to: 'h2' })];
    const lines = renderSimulation(answer({ trace, steps: 0 })).human.split('\n');
    expect(lines[0]).toBe('✓ ok  boot pseries-7.2 (-cpu host) on h: the guest runs the hash MMU (HPT): start-up, CAS and its HPT went through; the radix workload does not apply');
    expect(lines).toContain(
      '  #   0  hash MMU (HPT) on h: the guest maps with H_ENTER/H_REMOVE/H_BULK_REMOVE and its hypervisor runs the tlbie, so LPCR[GTSE] and H_RPT_INVALIDATE do not apply; the HPT is not modelled, no radix workload runs',
    );
    expect(lines).toContain('  #  50  migrated to h2, HPT loaded (htab_load)');
  });

  it('says when QEMU stopped before the guest ran', () => {
    const refused = answer({ plan: null, steps: 0, outcome: { kind: 'qemu-refused', message: 'No H_RPT_INVALIDATE support in TCG', source: 'cap_rpt_invalidate_apply' } });
    expect(renderSimulation(refused).human).toMatch(/^✗ qemu-refused {2}.*: No H_RPT_INVALIDATE support in TCG \(cap_rpt_invalidate_apply\)\ntrace: 0 event\(s\): QEMU stopped before the guest ran/);
  });
});
