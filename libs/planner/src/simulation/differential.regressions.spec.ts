import { runScenario } from '@spapr/simulation';
import type { FleetCommand } from '@spapr/domain';
import { aBoot, aHost, aNestedHost } from '@spapr/domain/testing/fleet-fixtures';
import { compareMigration, fleetOf } from './testing/differential';

/** Counter-examples the differential property found, pinned with their concrete plans. */
const L0 = aHost({ hostId: 'l0-p9' });
const L1_BOOT = aBoot({ guestId: 'vm-l1', hostId: 'l0-p9', machine: 'pseries-7.2,cap-nested-hv=on,cap-rpt-invalidate=on', kernel: { release: '6.1.0-50-powerpc64le', cmdline: 'console=hvc0 radix_hcall_invalidate=on' } });
const L1_HOST = aNestedHost({
  hostId: 'l1-hv',
  parentGuestId: 'vm-l1',
  kvm: { caps: { KVM_CAP_PPC_MMU_RADIX: 1, KVM_CAP_PPC_RPT_INVALIDATE: 1, KVM_CAP_PPC_FWNMI: 1, KVM_CAP_PPC_GET_CPU_CHAR: 1 }, nestedEnabled: false, mitigations: L0.kvm!.mitigations, decrBits: 56 },
});
const GUEST = { name: 'vm-g', isa300: true, capRptInvalidate: false, cmdline: { radixHcallInvalidate: false, disableRadix: false }, kernel: { radix: true, gtseOptional: true, basePageSize: '64K' as const }, vcpus: 2 };
const KVM_L0 = { name: 'l0-p9', level: 0, accelerator: 'kvm-hv' as const, mmuRadix: true, mmuHashV3: true, rptInvalidate: true, gtseOffered: true };

describe('When a guest booted on a host whose snapshot changed since (mapping bug, fixed in simulation-plan)', () => {
  it('the migration replays its boot on the host as it was then: a GTSE=0 guest moving into a GTSE=0 L1 stays ok, as the rules say', () => {
    // vm-g booted where QEMU withheld GTSE (the 2022 proposal, KVM_CAP_PPC_GTSE=2): it negotiated GTSE=0 and flushes with H_RPT_INVALIDATE.
    const withheld = aHost({ hostId: 'l0-nogtse', qemu: { version: '7.2.0', gtseFromKvm: true }, kvm: { ...L0.kvm!, caps: { ...L0.kvm!.caps, KVM_CAP_PPC_GTSE: 2 } } });
    const commands: FleetCommand[] = [
      { type: 'RecordHostSnapshot', data: L0 },
      { type: 'RecordGuestBoot', data: L1_BOOT },
      { type: 'RecordHostSnapshot', data: L1_HOST },
      { type: 'RecordHostSnapshot', data: withheld },
      { type: 'RecordGuestBoot', data: aBoot({ guestId: 'vm-g', hostId: 'l0-nogtse', machine: 'pseries-7.2,cap-rpt-invalidate=on' }) },
      // Its host was re-snapshotted offering GTSE; CAS on it now would give GTSE=1, and the old mapping booted the guest so.
      { type: 'RecordHostSnapshot', data: { ...withheld, observedAt: '2026-11-24T11:00:00Z', kvm: { ...withheld.kvm!, caps: { ...withheld.kvm!.caps, KVM_CAP_PPC_GTSE: 1 } } } },
    ];
    const c = compareMigration(fleetOf(commands), 'vm-g', 'l1-hv', 0, (position) => fleetOf(commands.slice(0, position)));
    expect(c).toMatchObject({ kind: 'compared', rules: 'not-unsafe', simulation: 'ok', planned: { plan: { from: { name: 'l0-nogtse', gtseOffered: false } } } });
  });
});

describe('When QEMU TCG runs inside an L1 that registered GTSE=0 (rules bug, reported: checkNestedGtse on a TCG host)', () => {
  it('its guest runs with the GTSE it registered itself, so a default guest flushes with tlbie and ends ok', () => {
    const tcgInL1 = { name: 'l1-tcg', level: 1, accelerator: 'tcg' as const, mmuRadix: false, mmuHashV3: false, rptInvalidate: false, gtseOffered: true, parent: { registeredGtse: false, firmwareRptInvalidate: true, l0: { accelerator: 'kvm-hv' as const, rptInvalidate: true } } };
    const { outcome, trace } = runScenario({ kind: 'boot', guest: GUEST, host: tcgInL1, workload: { seed: 0, steps: 40 } });
    expect(outcome).toEqual({ kind: 'ok' });
    expect(trace.map((r) => r.event)).toContainEqual(expect.objectContaining({ type: 'lpcr', gtse: true }));
  });
});

describe('When a guest recorded onto a host whose QEMU cannot run it is migrated (rules bug, reported: config-invalid answered safe)', () => {
  it('the replay from its boot host fails the MMU restore on a destination without radix', () => {
    const hashHost = { ...KVM_L0, name: 'l0-hash', mmuRadix: false, mmuHashV3: false, rptInvalidate: false };
    const { outcome } = runScenario({ kind: 'migrate', guest: GUEST, from: { ...KVM_L0, mmuHashV3: false, rptInvalidate: false }, to: hashHost, workload: { seed: 0, steps: 80 } });
    expect(outcome).toMatchObject({ kind: 'migration-failed', message: 'Process table config unsupported by the host' });
  });
});
