import { runScenario } from '@spapr/simulation';
import { checkBoot, checkMigration } from '@spapr/domain';
import type { FleetCommand } from '@spapr/domain';
import { bootPlanOf } from './simulation-plan';
import { mmuVerdict } from './testing/mmu-rule-scope';
import { aBoot, aHost, aNestedHost } from '@spapr/domain/testing/fleet-fixtures';
import { compareBoot, compareLastBoot, compareMigration, compareNesting, compareRecordedMove, fleetOf, observedBootOutcome } from './testing/differential';

/** Counter-examples the differential property found, pinned with their concrete plans. */
const L0 = aHost({ hostId: 'l0-p9' });
const L1_BOOT = aBoot({ guestId: 'vm-l1', hostId: 'l0-p9', machine: 'pseries-7.2,cap-nested-hv=on,cap-rpt-invalidate=on', kernel: { release: '6.1.0-50-powerpc64le', cmdline: 'console=hvc0 radix_hcall_invalidate=on' } });
const L1_HOST = aNestedHost({
  hostId: 'l1-hv',
  parentGuestId: 'vm-l1',
  kvm: { caps: { KVM_CAP_PPC_MMU_RADIX: 1, KVM_CAP_PPC_RPT_INVALIDATE: 1, KVM_CAP_PPC_FWNMI: 1, KVM_CAP_PPC_GET_CPU_CHAR: 1 }, nestedEnabled: false, mitigations: L0.kvm!.mitigations, decrBits: 56 },
});

/** The ov5 a hash guest reports: no OV5_MMU_RADIX_300 (byte 24) nor OV5_MMU_RADIX_GTSE (byte 26); FORM1 and DRMEM_V2 as any guest. */
const OBSERVED_HASH = '1500000000800000000000000000000000000000000080';
/** The ov5 of a radix guest with GTSE (bytes 24 and 26). */
const OBSERVED_RADIX_GTSE = '190000000080000000000000000000000000000000008000400040';

/** L0, the GTSE=0 L1 guest and its level-1 host, then `commands`. */
const withL1 = (...commands: FleetCommand[]): FleetCommand[] => [{ type: 'RecordHostSnapshot', data: L0 }, { type: 'RecordGuestBoot', data: L1_BOOT }, { type: 'RecordHostSnapshot', data: L1_HOST }, ...commands];

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

describe('When check nesting is asked about a guest observed to have negotiated hash (simulation bug, fixed in guest/cas.ts: a parent’s observed ov5 gave only its GTSE, not its MMU)', () => {
  const commands: FleetCommand[] = [
    { type: 'RecordHostSnapshot', data: L0 },
    { type: 'RecordGuestBoot', data: aBoot({ guestId: 'vm-n', hostId: 'l0-p9', machine: 'pseries-7.2,cap-nested-hv=on', observed: { ov5: OBSERVED_HASH } }) },
  ];
  const fleetAt = (position: number) => fleetOf(commands.slice(0, position));

  it.each([0, 1, 2, 3, 4])('the rules refuse every L2 (NEST-L1-HASH: kvm_hv cannot load), and so does the simulation: L2 configuration %i', (candidate) => {
    const c = compareNesting(fleetOf(commands), 'vm-n', candidate, 0, fleetAt);
    expect(c).toMatchObject({ kind: 'compared', rules: 'unsafe', rulesStage: 'refused', simulation: 'qemu-refused' });
    const planned = c.kind === 'compared' ? c.planned : undefined;
    expect(planned?.kind === 'plan' ? runScenario(planned.plan).outcome : undefined).toMatchObject({ message: 'kvm_hv cannot load in vm-n: it runs the hash MMU' });
  });
});

describe('When an L1 that registered GTSE=0 is recorded as moved to a TCG L0 (differential bug, fixed in differential.spec: nesting was asked of an L1 its move could not have kept running)', () => {
  const TCG_L0 = aHost({ hostId: 'l0-tcg', accelerator: 'tcg', kvm: undefined });
  const GTSE0_L1 = aBoot({ guestId: 'vm-n', hostId: 'l0-p9', machine: 'pseries-7.2,cap-nested-hv=on,cap-rpt-invalidate=on', cpu: 'POWER9', kernel: { release: '6.1.0-50-powerpc64le', cmdline: 'console=hvc0 radix_hcall_invalidate=on' } });
  const commands: FleetCommand[] = [
    { type: 'RecordHostSnapshot', data: L0 },
    { type: 'RecordHostSnapshot', data: TCG_L0 },
    { type: 'RecordGuestBoot', data: GTSE0_L1 },
    { type: 'RecordGuestMigration', data: { guestId: 'vm-n', toHostId: 'l0-tcg', at: '2026-11-24T11:00:00Z' } },
  ];
  const fleetAt = (position: number) => fleetOf(commands.slice(0, position));

  it('the move itself is refused on both sides (QEMU TCG cannot start with cap-rpt-invalidate=on), so the property asks no nesting of it', () => {
    expect(compareRecordedMove(commands, 'vm-n', 0, fleetAt)).toMatchObject({ kind: 'compared', rules: 'unsafe', rulesStage: 'refused', simulation: 'migration-failed' });
  });

  it('which it did before: its L2 flushing with H_RPT_INVALIDATE is a warning to the rules (TCG L0 unverified), a trapping tlbie in the GTSE=0 L1 to the simulation', () => {
    expect(compareNesting(fleetOf(commands), 'vm-n', 1, 0, fleetAt)).toMatchObject({ kind: 'compared', rules: 'not-unsafe', simulation: 'guest-crash' });
  });
});

describe('When an L1 on a TCG L0 was observed to negotiate radix without GTSE (simulation bug, fixed in guest/cas.ts: an observed ov5 skipped the start-up checks and the radix panic)', () => {
  // Radix (byte 24 0x40) without GTSE (byte 26 0): without cap-rpt-invalidate (which TCG refuses) the kernel panics at boot.
  const OBSERVED_RADIX_NO_GTSE = '17000000008000000000000000000000000000000000800040';
  const commands: FleetCommand[] = [
    { type: 'RecordHostSnapshot', data: aHost({ hostId: 'l0-tcg', accelerator: 'tcg', kvm: undefined }) },
    { type: 'RecordGuestBoot', data: aBoot({ guestId: 'vm-n', hostId: 'l0-tcg', machine: 'pseries-7.2,cap-nested-hv=on', cpu: 'POWER9', observed: { ov5: OBSERVED_RADIX_NO_GTSE } }) },
  ];

  it('the simulation no longer runs its L2s as if it had booted (it trapped the L1 tlbie an L2 H_RPT_INVALIDATE needs): an L1 whose observed contract panics its kernel is not modelled', () => {
    const c = compareNesting(fleetOf(commands), 'vm-n', 1, 0, (position) => fleetOf(commands.slice(0, position)));
    expect(c).toEqual({ kind: 'skipped', reason: 'not modelled' });
  });
});

describe('When a guest observed to have negotiated hash migrates into a level-1 KVM-HV host (simulation bug, fixed in guest/cas.ts: a migration replayed the modelled CAS, not the observed ov5)', () => {
  const commands = withL1(
    { type: 'RecordHostSnapshot', data: aHost({ hostId: 'l0-tcg', accelerator: 'tcg', kvm: undefined }) },
    { type: 'RecordGuestBoot', data: aBoot({ guestId: 'vm-n', hostId: 'l0-tcg', cpu: 'POWER9', observed: { ov5: OBSERVED_HASH } }) },
  );

  it('the rules refuse it for the hash contract it runs, and the simulation, booting it hash as observed, fails when its HPT arrives', () => {
    const c = compareMigration(fleetOf(commands), 'vm-n', 'l1-hv', 0, (position) => fleetOf(commands.slice(0, position)));
    expect(c).toMatchObject({ kind: 'compared', rules: 'unsafe', rulesStage: 'refused', simulation: 'migration-failed' });
    const planned = c.kind === 'compared' ? c.planned : undefined;
    expect(planned?.kind === 'plan' ? runScenario(planned.plan).outcome : undefined).toMatchObject({ message: 'HPT not supported in nested guests' });
  });
});

describe('When a guest recorded on a level-1 KVM-HV host was observed there to negotiate hash (simulation bug, fixed in boot-guest: facts the model contradicts were reported as its refusal)', () => {
  const commands = withL1({ type: 'RecordGuestBoot', data: aBoot({ guestId: 'vm-n', hostId: 'l1-hv', observed: { ov5: OBSERVED_HASH } }) });

  it('its move to L0 (fine for the rules: a hash contract to a hash-capable host) is not modelled, where the replay refused its HPT at the source', () => {
    const c = compareMigration(fleetOf(commands), 'vm-n', 'l0-p9', 0, (position) => fleetOf(commands.slice(0, position)));
    expect(c).toEqual({ kind: 'skipped', reason: 'not modelled' });
  });
});

describe('When a POWER8-compat guest observed to negotiate radix is recorded as moved into a level-1 KVM-HV host (simulation bug, fixed in guest/cas.ts: an observed contract no QEMU could have given was followed)', () => {
  // On a guest below ISA 3.00, which QEMU offers hash only (spapr_dt_ov5_platform_support).
  const commands = withL1(
    { type: 'RecordGuestBoot', data: aBoot({ guestId: 'vm-n', hostId: 'l0-p9', machine: 'pseries-7.2,max-cpu-compat=power8', observed: { ov5: OBSERVED_RADIX_GTSE } }) },
    { type: 'RecordGuestMigration', data: { guestId: 'vm-n', toHostId: 'l1-hv', at: '2026-11-24T11:00:00Z' } },
  );
  const fleetAt = (position: number) => fleetOf(commands.slice(0, position));

  it('the move is not modelled, where the replay ran it radix and then refused the destination its HPT (spapr_machine_reset gives a pre-3.00 guest one) against the rules’ radix contract', () => {
    expect(compareRecordedMove(commands, 'vm-n', 0, fleetAt)).toEqual({ kind: 'skipped', reason: 'not modelled' });
    expect(observedBootOutcome(fleetOf(commands), 'vm-n', 0, fleetAt)).toBe('not-modelled');
  });
});

describe('When a guest inside a GTSE=0 L1 was observed to negotiate GTSE=1 and is recorded as moved to L0 (differential: a named exclusion, not a bug on either side)', () => {
  // Where its command line (radix_hcall_invalidate=on with cap-rpt-invalidate) predicts GTSE=0.
  const commands = withL1(
    { type: 'RecordGuestBoot', data: aBoot({ guestId: 'vm-n', hostId: 'l1-hv', machine: 'pseries-7.2,cap-rpt-invalidate=on', kernel: { release: '6.1.0-50-powerpc64le', cmdline: 'console=hvc0 radix_hcall_invalidate=on' }, observed: { ov5: OBSERVED_RADIX_GTSE } }) },
    { type: 'RecordGuestMigration', data: { guestId: 'vm-n', toHostId: 'l0-p9', at: '2026-11-24T11:00:00Z' } },
  );
  const fleetAt = (position: number) => fleetOf(commands.slice(0, position));

  it('its configuration boots fine on both sides, but as observed it traps its first global tlbie at the source, which no rule judges (checkBoot reads no observed ov5): the property leaves it out', () => {
    expect(compareLastBoot(fleetOf(commands), 'vm-n', 0, fleetAt)).toMatchObject({ kind: 'compared', rules: 'not-unsafe', simulation: 'ok' });
    expect(observedBootOutcome(fleetOf(commands), 'vm-n', 0, fleetAt)).toBe('guest-crash');
    expect(compareRecordedMove(commands, 'vm-n', 0, fleetAt)).toMatchObject({ kind: 'compared', rules: 'not-unsafe', simulation: 'guest-crash' });
  });
});

describe('When a migration completes onto a QEMU 7.2 TCG host (MIG-TCG-DECR-LOST, beside the MMU)', () => {
  const tcg = (hostId: string) => ({ hostId, observedAt: '2026-11-24T10:00:00Z', level: 0, parentGuestId: null, cpu: { model: 'POWER9' as const }, accelerator: 'tcg' as const, kernel: { release: '6.1.0-50-amd64', cmdline: 'quiet' }, qemu: { version: '7.2.0' } });
  const commands: FleetCommand[] = [
    { type: 'RecordHostSnapshot', data: tcg('tcg-a') },
    { type: 'RecordHostSnapshot', data: tcg('tcg-b') },
    { type: 'RecordGuestBoot', data: aBoot({ guestId: 'vm-t', hostId: 'tcg-a', cpu: 'POWER9' }) },
  ];

  it('is unsafe for the lost decrementer, yet the MMU state moved: compared, and the simulation runs it ok', () => {
    const answer = value(checkMigration({ view: fleetOf(commands), position: commands.length, now: '2026-11-24T12:00:00Z' }, 'vm-t', 'tcg-b'));
    expect([answer.verdict, answer.findings.filter((f) => f.severity === 'error').map((f) => f.ruleId)]).toEqual(['unsafe', ['MIG-TCG-DECR-LOST']]);
    const c = compareMigration(fleetOf(commands), 'vm-t', 'tcg-b', 0, (position) => fleetOf(commands.slice(0, position)));
    expect(c).toMatchObject({ kind: 'compared', rules: 'not-unsafe', rulesStage: 'runs', simulation: 'ok' });
  });
});
