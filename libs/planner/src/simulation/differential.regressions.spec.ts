import { runScenario } from '@spapr/simulation';
import { checkBoot } from '@spapr/domain';
import type { FleetCommand } from '@spapr/domain';
import { bootPlanOf } from './simulation-plan';
import { mmuVerdict } from './testing/mmu-rule-scope';
import { aBoot, aHost, aNestedHost } from '@spapr/domain/testing/fleet-fixtures';
import { compareBoot, compareMigration, fleetOf } from './testing/differential';

/** Counter-examples the differential property found, pinned with their concrete plans. */
const L0 = aHost({ hostId: 'l0-p9' });
const L1_BOOT = aBoot({ guestId: 'vm-l1', hostId: 'l0-p9', machine: 'pseries-7.2,cap-nested-hv=on,cap-rpt-invalidate=on', kernel: { release: '6.1.0-50-powerpc64le', cmdline: 'console=hvc0 radix_hcall_invalidate=on' } });
const L1_HOST = aNestedHost({
  hostId: 'l1-hv',
  parentGuestId: 'vm-l1',
  kvm: { caps: { KVM_CAP_PPC_MMU_RADIX: 1, KVM_CAP_PPC_RPT_INVALIDATE: 1, KVM_CAP_PPC_FWNMI: 1, KVM_CAP_PPC_GET_CPU_CHAR: 1 }, nestedEnabled: false, mitigations: L0.kvm!.mitigations, decrBits: 56 },
});

const value = <T>(r: { ok: true; value: T } | { ok: false; error: unknown }): T => {
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.value;
};

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

describe('When QEMU TCG runs inside an L1 that registered GTSE=0 (rules bug, fixed in d80283b: checkNestedGtse on a TCG host)', () => {
  const TCG_IN_L1 = { hostId: 'l1-tcg', observedAt: '2026-11-24T10:00:00Z', level: 1, parentGuestId: 'vm-l1', cpu: { model: 'POWER9' as const }, accelerator: 'tcg' as const, kernel: { release: '6.1.0-50-powerpc64le', cmdline: 'quiet' }, qemu: { version: '7.2.0' } };
  const commands: FleetCommand[] = [
    { type: 'RecordHostSnapshot', data: L0 },
    { type: 'RecordGuestBoot', data: L1_BOOT },
    { type: 'RecordHostSnapshot', data: TCG_IN_L1 },
  ];
  const spec = { machine: 'pseries-7.2', cpu: 'POWER9', kernel: { release: '6.1.0-50-powerpc64le', cmdline: 'console=hvc0' } };

  it('the rules no longer say unsafe: its guest runs with the GTSE it registered itself, flushes with tlbie and ends ok', () => {
    const fleet = fleetOf(commands);
    const c = compareBoot(fleet, 'l1-tcg', spec, 0, (position) => fleetOf(commands.slice(0, position)));
    expect(c).toMatchObject({ kind: 'compared', rules: 'not-unsafe', rulesStage: 'runs', simulation: 'ok' });
    const planned = c.kind === 'compared' ? c.planned : undefined;
    const { trace } = planned?.kind === 'plan' ? runScenario(planned.plan) : { trace: [] };
    expect(trace.map((r) => r.event)).toContainEqual(expect.objectContaining({ type: 'lpcr', gtse: true }));
  });
});

describe('When a guest on a host without hash support is migrated to a host with neither radix nor hash (rules bug, fixed in d80283b: config-invalid answered safe)', () => {
  const from = aHost({ hostId: 'l0-radix-only', kvm: { ...L0.kvm!, caps: { ...L0.kvm!.caps, KVM_CAP_PPC_MMU_HASH_V3: 0, KVM_CAP_PPC_RPT_INVALIDATE: 0 } } });
  const to = aHost({ hostId: 'l0-no-mmu', kvm: { ...L0.kvm!, caps: { ...L0.kvm!.caps, KVM_CAP_PPC_MMU_RADIX: 0, KVM_CAP_PPC_MMU_HASH_V3: 0, KVM_CAP_PPC_RPT_INVALIDATE: 0 } } });
  const commands: FleetCommand[] = [
    { type: 'RecordHostSnapshot', data: from },
    { type: 'RecordHostSnapshot', data: to },
    { type: 'RecordGuestBoot', data: aBoot({ guestId: 'vm-g', hostId: 'l0-radix-only' }) },
  ];

  it('the rules say unsafe (refused) and the replay from its boot host fails the MMU restore', () => {
    const c = compareMigration(fleetOf(commands), 'vm-g', 'l0-no-mmu', 0, (position) => fleetOf(commands.slice(0, position)));
    expect(c).toMatchObject({ kind: 'compared', rules: 'unsafe', rulesStage: 'refused', simulation: 'migration-failed' });
    const planned = c.kind === 'compared' ? c.planned : undefined;
    expect(planned?.kind === 'plan' ? runScenario(planned.plan).outcome : undefined).toMatchObject({ kind: 'migration-failed', message: 'Process table config unsupported by the host' });
  });
});

describe('When a default guest boots on a level-2 host whose parent registered GTSE=0 inside a GTSE=1 L1 on a TCG L0 (rules bug, fixed: nestedParentOf read the level-2 host’s own parent as the one L0 applies)', () => {
  const TCG_L0 = aHost({ hostId: 'l0-tcg', accelerator: 'tcg', kvm: undefined, kernel: { release: '5.10.0-30-powerpc64le', cmdline: 'quiet' } });
  const commands: FleetCommand[] = [
    { type: 'RecordHostSnapshot', data: TCG_L0 },
    { type: 'RecordGuestBoot', data: aBoot({ guestId: 'vm-l1', hostId: 'l0-tcg', machine: 'pseries-7.2,cap-nested-hv=on', cpu: 'POWER9' }) },
    { type: 'RecordHostSnapshot', data: aNestedHost({ hostId: 'l1-hv', parentGuestId: 'vm-l1', kvm: { ...L1_HOST.kvm!, caps: { ...L1_HOST.kvm!.caps, KVM_CAP_PPC_NESTED_HV: 1 }, nestedEnabled: true } }) },
    { type: 'RecordGuestBoot', data: aBoot({ guestId: 'vm-l2', hostId: 'l1-hv', machine: 'pseries-7.2,cap-nested-hv=on,cap-rpt-invalidate=on', kernel: { release: '6.1.0-50-powerpc64le', cmdline: 'console=hvc0 radix_hcall_invalidate=on' } }) },
    { type: 'RecordHostSnapshot', data: aNestedHost({ hostId: 'l2-hv', level: 2, parentGuestId: 'vm-l2', kvm: { ...L1_HOST.kvm!, caps: { ...L1_HOST.kvm!.caps, KVM_CAP_PPC_RPT_INVALIDATE: 0 } } }) },
  ];
  const fleetAt = (position: number) => fleetOf(commands.slice(0, position));
  const spec = { machine: 'pseries-7.2', cpu: 'host', kernel: { release: '6.1.0-50-powerpc64le', cmdline: 'console=hvc0' } };

  it('the simulation runs it ok: the TCG L0 forces GTSE=1 at the H_ENTER_NESTED that L1 makes for it', () => {
    const planned = bootPlanOf(fleetOf(commands), 'l2-hv', spec, { seed: 0, steps: 80 }, fleetAt);
    expect(planned.ok && planned.value.kind === 'plan' ? runScenario(planned.value.plan).outcome : undefined).toEqual({ kind: 'ok' });
  });

  it('the rules agree: the GTSE and the L0 facts come from the chain down to the TCG L0, not from vm-l2 and l1-hv', () => {
    expect(mmuVerdict('boot', value(checkBoot({ view: fleetOf(commands), position: commands.length, now: '2026-11-24T12:00:00Z' }, 'l2-hv', spec)).findings)).toBe('not-unsafe');
  });
});

describe('When a GTSE=0 guest boots on a level-2 host under a TCG L0 and a level-1 kernel without H_RPT_INVALIDATE (simulation bug, fixed in guest-platform: the hcall was handled only by the level-1 host)', () => {
  const TCG_L0 = aHost({ hostId: 'l0-tcg', accelerator: 'tcg', kvm: undefined, kernel: { release: '5.10.0-30-powerpc64le', cmdline: 'quiet' } });
  const NESTING = { ...L1_HOST.kvm!, caps: { ...L1_HOST.kvm!.caps, KVM_CAP_PPC_NESTED_HV: 1 as const }, nestedEnabled: true };
  const commands: FleetCommand[] = [
    { type: 'RecordHostSnapshot', data: TCG_L0 },
    { type: 'RecordGuestBoot', data: aBoot({ guestId: 'vm-l1', hostId: 'l0-tcg', machine: 'pseries-7.2,cap-nested-hv=on', cpu: 'POWER9' }) },
    { type: 'RecordHostSnapshot', data: aNestedHost({ hostId: 'l1-hv', parentGuestId: 'vm-l1', kernel: { release: '5.10.0-30-powerpc64le', cmdline: 'quiet' }, kvm: { ...NESTING, caps: { ...NESTING.caps, KVM_CAP_PPC_RPT_INVALIDATE: 0 } } }) },
    { type: 'RecordGuestBoot', data: aBoot({ guestId: 'vm-l2', hostId: 'l1-hv', machine: 'pseries-7.2,cap-nested-hv=on' }) },
    { type: 'RecordHostSnapshot', data: aNestedHost({ hostId: 'l2-hv', level: 2, parentGuestId: 'vm-l2', kvm: L1_HOST.kvm }) },
  ];
  const spec = { machine: 'pseries-7.2,cap-rpt-invalidate=on', cpu: 'host', kernel: { release: '6.1.0-50-powerpc64le', cmdline: 'console=hvc0 radix_hcall_invalidate=on' } };

  it('the level-1 kernel passes the reflected hcall up to the guest’s own hypervisor (l2-hv, which enabled it): ok, as the rules say (NEST-RPTI-L0-OLD warning only)', () => {
    const c = compareBoot(fleetOf(commands), 'l2-hv', spec, 0, (position) => fleetOf(commands.slice(0, position)));
    expect(c).toMatchObject({ kind: 'compared', rules: 'not-unsafe', rulesStage: 'runs', simulation: 'ok' });
  });
});

describe('When a hash guest meets a level-1 KVM-HV host whose snapshot reports no KVM_CAP_PPC_MMU_RADIX (rules bug, fixed in 152578f: the nested HPT refusal was read from the caps)', () => {
  // SPEC §2.1 accepts the snapshot; a real nested kvm_hv reports radix, but refuses KVM_PPC_ALLOCATE_HTAB whatever it reports.
  const NO_RADIX_L1 = aNestedHost({ hostId: 'l1-hv', parentGuestId: 'vm-l1', kvm: { ...L1_HOST.kvm!, caps: { ...L1_HOST.kvm!.caps, KVM_CAP_PPC_MMU_RADIX: 0 } } });
  const HASH_KERNEL = { release: '6.1.0-50-powerpc64le', cmdline: 'console=hvc0 disable_radix' };
  const commands: FleetCommand[] = [
    { type: 'RecordHostSnapshot', data: L0 },
    { type: 'RecordGuestBoot', data: L1_BOOT },
    { type: 'RecordHostSnapshot', data: NO_RADIX_L1 },
    { type: 'RecordGuestBoot', data: aBoot({ guestId: 'vm-hash', hostId: 'l0-p9', kernel: HASH_KERNEL }) },
    { type: 'RecordGuestBoot', data: aBoot({ guestId: 'vm-p8', hostId: 'l0-p9', machine: 'pseries-7.2,max-cpu-compat=power8' }) },
  ];
  const fleetAt = (position: number) => fleetOf(commands.slice(0, position));

  it('a disable_radix boot there passes spapr_check_mmu_mode (no radix reported) and is refused at the HPT QEMU sets up after CAS', () => {
    const c = compareBoot(fleetOf(commands), 'l1-hv', { machine: 'pseries-7.2', cpu: 'host', kernel: HASH_KERNEL }, 0, fleetAt);
    expect(c).toMatchObject({ kind: 'compared', rules: 'unsafe', rulesStage: 'refused', simulation: 'qemu-refused' });
  });

  it.each([
    ['a disable_radix guest', 'vm-hash'],
    ['a POWER8-compat guest', 'vm-p8'],
  ])('%s migrating there fails when its HPT section arrives (htab_load)', (_, guestId) => {
    const c = compareMigration(fleetOf(commands), guestId, 'l1-hv', 0, fleetAt);
    expect(c).toMatchObject({ kind: 'compared', rules: 'unsafe', rulesStage: 'refused', simulation: 'migration-failed' });
    const planned = c.kind === 'compared' ? c.planned : undefined;
    expect(planned?.kind === 'plan' ? runScenario(planned.plan).outcome : undefined).toMatchObject({ message: 'HPT not supported in nested guests' });
  });
});
