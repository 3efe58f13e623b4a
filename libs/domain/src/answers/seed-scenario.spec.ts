import { decide } from '../fleet/fleet.decider';
import type { FleetCommand } from '../fleet/fleet.commands';
import { InMemoryFleet } from '../fleet/in-memory-fleet';
import { decidedFleet } from '../testing/decided-fleet';
import { aBoot, aHost, aNestedHost } from '../testing/fleet-fixtures';
import { checkBoot } from './boot-check';
import { checkMigration } from './migration-check';
import { checkNesting } from './nesting-check';

const fleetOf = (...commands: FleetCommand[]): InMemoryFleet => decidedFleet(commands);

const L0 = aHost({ hostId: 'l0-p9' });
const L1_BOOT = aBoot({ guestId: 'vm-l1', hostId: 'l0-p9', machine: 'pseries-7.2,cap-nested-hv=on,cap-rpt-invalidate=on', kernel: { release: '6.1.0-50-powerpc64le', cmdline: 'console=hvc0 radix_hcall_invalidate=on' } });
const L1_HOST = aNestedHost({ hostId: 'l1-hv', parentGuestId: 'vm-l1', observedAt: '2026-11-24T10:10:00Z', kvm: { caps: { KVM_CAP_PPC_MMU_RADIX: 1, KVM_CAP_PPC_NESTED_HV: 1, KVM_CAP_PPC_RPT_INVALIDATE: 1, KVM_CAP_PPC_FWNMI: 1 }, nestedEnabled: true, ramPageSizeKiB: 64, mitigations: { cfpc: 'fixed', sbbc: 'fixed', ibs: 'fixed-ccd', 'ccf-assist': 'off' }, decrBits: 56 } });
const seedFleet = () => fleetOf({ type: 'RecordHostSnapshot', data: L0 }, { type: 'RecordGuestBoot', data: L1_BOOT }, { type: 'RecordHostSnapshot', data: L1_HOST });
const ctx = (view: InMemoryFleet) => ({ view, position: view.position, now: '2026-11-24T12:00:00Z' });
const l2 = (machine: string, cmdline: string) => ({ machine, cpu: 'host', kernel: { release: '6.1.0-50-powerpc64le', cmdline } });
const answer = <T>(r: { ok: true; value: T } | { ok: false; error: unknown }): T => {
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.value;
};

describe('When an L1 negotiated radix with GTSE=0 (the case that started the product)', () => {
  it('records the L1 with gtse=0', () => expect(seedFleet().guest('vm-l1')?.contract).toEqual(expect.objectContaining({ mmu: 'radix', gtse: false })));

  it('calls a default L2 unsafe: NEST-GTSE-INHERITED with L1 GTSE=0 and L2 GTSE=1', () => {
    const a = answer(checkBoot(ctx(seedFleet()), 'l1-hv', l2('pseries-7.2', 'console=hvc0')));
    expect(a.verdict).toBe('unsafe');
    expect(a.findings[0]).toEqual(expect.objectContaining({ ruleId: 'NEST-GTSE-INHERITED', severity: 'error', values: expect.objectContaining({ l1Gtse: false, l2Gtse: true }) }));
    expect(a.findings[0].evidence.map((e) => e.subject)).toEqual(['host l1-hv', 'guest vm-l1', 'host l0-p9']);
    expect(a.findings[0].message).toMatch(/^L2 \(unnamed\) negotiated gtse=1 but runs with LPCR\[GTSE\]=0 inherited from L1 vm-l1: first tlbie traps/);
  });

  it('lets an L2 with radix_hcall_invalidate=on and cap-rpt-invalidate=on boot, saying NEST-GTSE-OK (warn: QEMU emulates XIVE on a nested host)', () => {
    const a = answer(checkBoot(ctx(seedFleet()), 'l1-hv', l2('pseries-7.2,cap-rpt-invalidate=on', 'console=hvc0 radix_hcall_invalidate=on')));
    expect(a.verdict).toBe('warn');
    expect(a.findings.filter((f) => f.severity !== 'info').map((f) => f.ruleId)).toEqual(['NEST-XIVE-EMULATED']);
    expect(a.findings.map((f) => f.ruleId)).toContain('NEST-GTSE-OK');
  });

  it('calls radix_hcall_invalidate=on without the cap unsafe: BOOT-NO-GTSE-NO-RPTI', () => {
    const a = answer(checkBoot(ctx(seedFleet()), 'l1-hv', l2('pseries-7.2', 'console=hvc0 radix_hcall_invalidate=on')));
    expect(a.verdict).toBe('unsafe');
    expect(a.findings.map((f) => f.ruleId)).toContain('BOOT-NO-GTSE-NO-RPTI');
  });

  it('check nesting says which L2 configurations are safe', () => {
    const a = answer(checkNesting(ctx(seedFleet()), 'vm-l1'));
    expect(a.l1).toEqual({ source: 'recorded', hostId: 'l1-hv' });
    const verdicts = Object.fromEntries(a.l2.map((c) => [c.name, c.verdict]));
    expect(verdicts).toEqual(
      expect.objectContaining({
        default: 'unsafe',
        'radix_hcall_invalidate with cap-rpt-invalidate': 'warn',
        'radix_hcall_invalidate without cap-rpt-invalidate': 'unsafe',
        'hash (disable_radix)': 'unsafe',
      }),
    );
    expect(a.verdict).not.toBe('unsafe');
  });

  it('with the 2022 proposal (gtseFromKvm, KVM_CAP_PPC_GTSE=2) the default L2 fails at boot instead: BOOT-NO-GTSE-NO-RPTI and CAS-GTSE-FROM-KVM', () => {
    const fleet = seedFleet();
    const upgraded = { ...L1_HOST, observedAt: '2026-11-24T11:00:00Z', qemu: { version: '7.2.0', gtseFromKvm: true }, kvm: { ...L1_HOST.kvm!, caps: { ...L1_HOST.kvm!.caps, KVM_CAP_PPC_GTSE: 2 as const } } };
    const d = decide({ type: 'RecordHostSnapshot', data: upgraded }, fleet);
    if (!d.ok) throw new Error(JSON.stringify(d.error));
    fleet.apply(d.value.event);
    const a = answer(checkBoot(ctx(fleet), 'l1-hv', l2('pseries-7.2', 'console=hvc0')));
    expect(a.verdict).toBe('unsafe');
    expect(a.contract).toEqual(expect.objectContaining({ gtse: false }));
    expect(a.findings.map((f) => f.ruleId)).toEqual(expect.arrayContaining(['BOOT-NO-GTSE-NO-RPTI', 'CAS-GTSE-FROM-KVM']));
    expect(a.findings.map((f) => f.ruleId)).not.toContain('NEST-GTSE-INHERITED');
  });
});

describe('When a guest is checked for migration', () => {
  it('to an identical host is safe', () => {
    const fleet = fleetOf({ type: 'RecordHostSnapshot', data: L0 }, { type: 'RecordHostSnapshot', data: aHost({ hostId: 'l0-twin' }) }, { type: 'RecordGuestBoot', data: L1_BOOT });
    expect(answer(checkMigration(ctx(fleet), 'vm-l1', 'l0-twin')).verdict).toBe('safe');
  });

  it('to a host without KVM_CAP_PPC_RPT_INVALIDATE refuses at destination startup: MIG-DEST-CAP-APPLY', () => {
    const old = aHost({ hostId: 'l0-old', kernel: { release: '5.10.0-30-powerpc64le', cmdline: '' }, kvm: { ...L0.kvm!, caps: { ...L0.kvm!.caps, KVM_CAP_PPC_RPT_INVALIDATE: 0 } } });
    const fleet = fleetOf({ type: 'RecordHostSnapshot', data: L0 }, { type: 'RecordHostSnapshot', data: old }, { type: 'RecordGuestBoot', data: L1_BOOT });
    const a = answer(checkMigration(ctx(fleet), 'vm-l1', 'l0-old'));
    expect(a.verdict).toBe('unsafe');
    expect(a.findings[0]).toEqual(expect.objectContaining({ ruleId: 'MIG-DEST-CAP-APPLY', values: expect.objectContaining({ quotedRule: 'BOOT-RPTI-KVM-MISSING' }) }));
  });
});
