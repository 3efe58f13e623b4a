/**
 * Random fleets for the differential test, varied in everything the MMU contract depends on and held steady in
 * most else, so that mostly the MMU family of rules fires: POWER9 or POWER10 hosts (a nested host has its L0's
 * CPU), QEMU 7.2 in nested hosts (cap-rpt-invalidate exists, TCG runs nested-hv) and 6.0, 7.2 or 8.2 on bare
 * metal, `fixed` mitigations with ccf-assist off on fixed-ccd hosts, 64K RAM pages, dec-bits 56. Other rule
 * families still fire (a `pseries-7.2` guest on QEMU 6.0 fails MIG-MACHINE-EXISTS / the machine type check, a
 * POWER9 ↔ POWER10 move with `-cpu host` fails the CPU checks): the differential skips those as
 * "another rule family" and counts them.
 *
 * Shape: two level-0 hosts (KVM-HV or TCG); in a parent guest on each, when that host can nest, a level-1
 * host (KVM-HV, or QEMU TCG inside the guest); in a parent guest on the first level-1 host, when it can nest,
 * a level-2 host; a guest `vm-g` booted on one of them, to be migrated; and a guest `vm-n`, mostly with
 * cap-nested-hv=on, that no snapshot records as a host, sometimes with the ov5 it was observed to negotiate. Either may since have moved, been rebooted with another
 * command line, or seen its host re-snapshotted with the 2022 GTSE proposal. The questions: a boot of a random
 * configuration on any host, a migration of `vm-g` to any other host, and `check nesting` on `vm-n` for one of
 * the L2 configurations it tries.
 */
import fc from 'fast-check';
import type { FleetCommand, GuestBoot, HostSnapshot } from '@spapr/domain';
import { OV5_DRMEM_V2, OV5_FORM1_AFFINITY, OV5_MMU_RADIX_300, OV5_MMU_RADIX_GTSE, Ov5Vector } from '@spapr/domain/cas/ov5';

export interface MmuFleetCase {
  readonly commands: readonly FleetCommand[];
  readonly boot: { readonly hostId: string; readonly spec: GuestSpecDocument };
  readonly migration: { readonly guestId: string; readonly toHostId: string };
  /** `candidate` picks one of the L2 configurations `check nesting` tries (modulo their number). */
  readonly nesting: { readonly guestId: string; readonly candidate: number };
  readonly seed: number;
}

export type GuestSpecDocument = Pick<GuestBoot, 'machine' | 'cpu' | 'smp' | 'kernel'>;

const AT = '2026-11-24T10:00:00Z';
const LATER = '2026-11-24T11:00:00Z';
const MITIGATIONS = { cfpc: 'fixed', sbbc: 'fixed', ibs: 'fixed-ccd', 'ccf-assist': 'off' } as const;
const KERNEL_5_14 = '6.1.0-50-powerpc64le';
const KERNEL_BEFORE_5_14 = '5.10.0-30-powerpc64le';

/** KVM_CAP_PPC_GTSE under `qemu.gtseFromKvm: true`, or no proposal at all. */
const gtseProposalArb = fc.constantFrom(undefined, 0, 1, 2);

const l0Arb = fc.record({
  tcg: fc.integer({ min: 0, max: 3 }).map((n) => n === 0),
  radix: fc.integer({ min: 0, max: 9 }).map((n) => n !== 0),
  hashV3: fc.boolean(),
  rptInvalidate: fc.integer({ min: 0, max: 3 }).map((n) => n !== 0),
  nested: fc.integer({ min: 0, max: 4 }).map((n) => n !== 0),
  gtse: gtseProposalArb,
  /** QEMU 6.0 has no cap-rpt-invalidate (BOOT-RPTI-QEMU-OLD); 8.2 runs TCG SMT. */
  qemu: fc.constantFrom('7.2.0', '7.2.0', '6.0.0', '8.2.0'),
  cpu: fc.constantFrom('POWER9', 'POWER9', 'POWER10'),
});

const l1Arb = fc.record({
  /** QEMU TCG inside the parent guest: a level-1 host that emulates its guests instead of running them under KVM. */
  tcg: fc.integer({ min: 0, max: 5 }).map((n) => n === 0),
  rptInvalidate: fc.integer({ min: 0, max: 4 }).map((n) => n !== 0),
  nested: fc.boolean(),
  gtse: gtseProposalArb,
});

/** How a parent guest boots: `radix_hcall_invalidate=on` (GTSE=0) and cap-rpt-invalidate. */
const parentArb = fc.record({ radixHcallInvalidate: fc.boolean(), capRptInvalidate: fc.boolean() });

/** 4.19: radix and no GTSE-optional, and KVM-HV runs only in hypervisor mode (nested KVM-HV in a guest came in 4.20). */
const RELEASES = ['6.1.0-50-powerpc64le', '6.1.0-50-powerpc64le', '5.4.0-100-powerpc64le', '4.19.0-20-powerpc64le', '4.9.0-11-powerpc64le'] as const;
const CMDLINES = [
  'console=hvc0',
  'console=hvc0',
  'console=hvc0 radix_hcall_invalidate=on',
  'console=hvc0 radix_hcall_invalidate=on',
  'console=hvc0 disable_radix',
  'console=hvc0 disable_radix=no',
  'console=hvc0 disable_radix=on',
  'console=hvc0 disable_radix=maybe',
  'disable_radix radix_hcall_invalidate=on',
] as const;

const guestArb = fc.record({
  /** A bare `pseries` is the newest type of the host's QEMU. */
  machine: fc.constantFrom('pseries-7.2', 'pseries-7.2', 'pseries'),
  release: fc.constantFrom(...RELEASES),
  cmdline: fc.constantFrom(...CMDLINES),
  capRptInvalidate: fc.boolean(),
  capNestedHv: fc.integer({ min: 0, max: 4 }).map((n) => n === 0),
  power8Compat: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
  threads: fc.integer({ min: 0, max: 9 }).map((n) => (n === 0 ? 2 : 1)),
  /** SPEC §2.2 `kernel.features`, given instead of derived from the release. */
  features: fc.constantFrom(undefined, undefined, undefined, { radix: false }, { gtseOptional: false }, { gtseOptional: true }),
});

/** What happened to a guest after its boot: nothing, a recorded move (to the `hop`th other host), a new snapshot of its host, a reboot. */
const historyArb = fc.record({
  kind: fc.constantFrom('none', 'none', 'migrated', 'resnapshot', 'rebooted'),
  hop: fc.nat(),
  rebootCmdline: fc.constantFrom(...CMDLINES),
  resnapshotGtse: fc.constantFrom(1 as const, 2 as const),
});

type L0Choice = typeof l0Arb extends fc.Arbitrary<infer T> ? T : never;
type L1Choice = typeof l1Arb extends fc.Arbitrary<infer T> ? T : never;
type GuestChoice = typeof guestArb extends fc.Arbitrary<infer T> ? T : never;
type ParentChoice = typeof parentArb extends fc.Arbitrary<infer T> ? T : never;
type HistoryChoice = typeof historyArb extends fc.Arbitrary<infer T> ? T : never;

/**
 * A guest meant to run KVM-HV for guests of its own: as any other, but mostly with cap-nested-hv=on, and half the
 * time booted as an operator would boot an L1 (Linux 6.1, radix, GTSE=0 only with cap-rpt-invalidate), so that
 * its L2s reach CAS and run more often than the odd configurations let them.
 */
const hypervisorGuestArb = fc
  .tuple(guestArb, fc.integer({ min: 0, max: 4 }), fc.option(fc.record({ capRptInvalidate: fc.boolean(), radixHcallInvalidate: fc.boolean() }), { freq: 2 }))
  .map(([guest, n, usual]): GuestChoice => {
    const nested = { ...guest, capNestedHv: n !== 0 };
    if (usual === null) return nested;
    const cmdline = usual.capRptInvalidate && usual.radixHcallInvalidate ? CMDLINES[2] : CMDLINES[0];
    return { ...nested, release: RELEASES[0], cmdline, capRptInvalidate: usual.capRptInvalidate, power8Compat: false, features: undefined };
  });

/**
 * `observed.ov5` as recorded from a real guest (SPEC §2.2), which the rules take over their own CAS model: radix
 * with or without GTSE, or hash, whatever the configuration would predict (a kernel built another way, say).
 */
const OBSERVED_BASE = Ov5Vector.empty().with(OV5_FORM1_AFFINITY).with(OV5_DRMEM_V2);
const observedArb = fc.constantFrom(
  undefined,
  undefined,
  undefined,
  { ov5: OBSERVED_BASE.with(OV5_MMU_RADIX_300).with(OV5_MMU_RADIX_GTSE).toHex() },
  { ov5: OBSERVED_BASE.with(OV5_MMU_RADIX_300).toHex() },
  { ov5: OBSERVED_BASE.toHex() },
);

const gtseProposal = (gtse: number | undefined) => (gtse === undefined ? {} : { gtseFromKvm: true });
const gtseCap = (gtse: number | undefined) => (gtse === undefined ? {} : { KVM_CAP_PPC_GTSE: gtse as 0 | 1 | 2 });

const l0Snapshot = (hostId: string, c: L0Choice): HostSnapshot => {
  const nested = c.nested && c.radix;
  return {
    hostId,
    observedAt: AT,
    level: 0,
    parentGuestId: null,
    cpu: c.cpu === 'POWER9' ? { model: 'POWER9', dd: '2.3' } : { model: c.cpu },
    accelerator: c.tcg ? 'tcg' : 'kvm-hv',
    kernel: { release: c.rptInvalidate ? KERNEL_5_14 : KERNEL_BEFORE_5_14, cmdline: 'quiet' },
    qemu: { version: c.qemu, ...gtseProposal(c.gtse) },
    ...(c.tcg
      ? {}
      : {
          kvm: {
            caps: {
              KVM_CAP_PPC_MMU_RADIX: c.radix ? 1 : 0,
              KVM_CAP_PPC_MMU_HASH_V3: c.hashV3 ? 1 : 0,
              KVM_CAP_PPC_NESTED_HV: nested ? 1 : 0,
              KVM_CAP_PPC_RPT_INVALIDATE: c.rptInvalidate ? 1 : 0,
              KVM_CAP_PPC_FWNMI: 1,
              KVM_CAP_PPC_GET_CPU_CHAR: 1,
              KVM_CAP_PPC_AIL_MODE_3: 1,
              ...gtseCap(c.gtse),
            },
            nestedEnabled: nested,
            ramPageSizeKiB: 64,
            mitigations: MITIGATIONS,
            decrBits: 56,
          },
        }),
  } as HostSnapshot;
};

/** A KVM-HV host inside guest `parentGuestId`: radix only (SPEC §2.1), dec-bits of P's large decrementer. */
const nestedSnapshot = (hostId: string, level: number, parentGuestId: string, c: L1Choice, cpu: L0Choice['cpu']): HostSnapshot =>
  c.tcg
    ? { hostId, observedAt: AT, level, parentGuestId, cpu: { model: cpu }, accelerator: 'tcg', kernel: { release: KERNEL_5_14, cmdline: 'quiet' }, qemu: { version: '7.2.0' } }
    : ({
    hostId,
    observedAt: AT,
    level,
    parentGuestId,
    cpu: { model: cpu },
    accelerator: 'kvm-hv',
    kernel: { release: c.rptInvalidate ? KERNEL_5_14 : KERNEL_BEFORE_5_14, cmdline: 'quiet' },
    qemu: { version: '7.2.0', ...gtseProposal(c.gtse) },
    kvm: {
      caps: {
        KVM_CAP_PPC_MMU_RADIX: 1,
        KVM_CAP_PPC_NESTED_HV: c.nested ? 1 : 0,
        KVM_CAP_PPC_RPT_INVALIDATE: c.rptInvalidate ? 1 : 0,
        KVM_CAP_PPC_FWNMI: 1,
        KVM_CAP_PPC_GET_CPU_CHAR: 1,
        ...gtseCap(c.gtse),
      },
      nestedEnabled: c.nested,
      ramPageSizeKiB: 64,
      mitigations: MITIGATIONS,
      decrBits: 56,
    },
  }) as HostSnapshot;

/** The CPU a parent guest runs, so its nested host's model: the L0's (`-cpu host`), or POWER9 under TCG (`-cpu POWER9`). */
const l1Cpu = (c: L0Choice): L0Choice['cpu'] => (c.tcg ? 'POWER9' : c.cpu);

/** A parent guest: nested-hv on, maybe GTSE=0 with cap-rpt-invalidate (only a KVM-HV host offers the cap). */
const parentBoot = (guestId: string, hostId: string, tcg: boolean, c: ParentChoice): GuestBoot => ({
  guestId,
  hostId,
  at: AT,
  machine: `pseries-7.2,cap-nested-hv=on${c.capRptInvalidate && !tcg ? ',cap-rpt-invalidate=on' : ''}`,
  cpu: tcg ? 'POWER9' : 'host',
  kernel: { release: KERNEL_5_14, cmdline: `console=hvc0${c.radixHcallInvalidate && c.capRptInvalidate && !tcg ? ' radix_hcall_invalidate=on' : ''}` },
});

export const guestSpecOf = (c: GuestChoice, tcg: boolean): GuestSpecDocument => ({
  machine: [c.machine, c.capRptInvalidate ? 'cap-rpt-invalidate=on' : '', c.capNestedHv ? 'cap-nested-hv=on' : '', c.power8Compat ? 'max-cpu-compat=power8' : ''].filter((p) => p !== '').join(','),
  cpu: tcg ? 'POWER9' : 'host',
  ...(c.threads > 1 ? { smp: { threads: c.threads } } : {}),
  kernel: { release: c.release, cmdline: c.cmdline, ...(c.features ? { features: c.features } : {}) },
});

export const mmuFleetCaseArb: fc.Arbitrary<MmuFleetCase> = fc
  .record({
    l0: fc.tuple(l0Arb, l0Arb),
    l1: fc.tuple(l1Arb, l1Arb, l1Arb),
    parents: fc.tuple(parentArb, parentArb, parentArb),
    bootGuest: guestArb,
    bootHost: fc.nat(),
    migratingGuest: guestArb,
    history: historyArb,
    source: fc.nat(),
    destination: fc.nat(),
    hypervisorGuest: hypervisorGuestArb,
    hypervisorObserved: observedArb,
    hypervisorHost: fc.nat(),
    hypervisorHistory: historyArb,
    candidate: fc.nat(),
    seed: fc.integer({ min: 0, max: 0x7fffffff }),
  })
  .map((r) => {
    const commands: FleetCommand[] = [];
    const tcgHosts = new Set<string>();
    const hosts: string[] = [];
    const l1Hosts: string[] = [];
    r.l0.forEach((c, i) => {
      const hostId = `l0-${i}`;
      commands.push({ type: 'RecordHostSnapshot', data: l0Snapshot(hostId, c) });
      hosts.push(hostId);
      if (c.tcg) tcgHosts.add(hostId);
      if (c.tcg || (c.nested && c.radix)) {
        const parentId = `vm-l1-${i}`;
        commands.push({ type: 'RecordGuestBoot', data: parentBoot(parentId, hostId, c.tcg, r.parents[i]) });
        commands.push({ type: 'RecordHostSnapshot', data: nestedSnapshot(`l1-${i}`, 1, parentId, r.l1[i], l1Cpu(c)) });
        hosts.push(`l1-${i}`);
        if (r.l1[i].tcg) tcgHosts.add(`l1-${i}`);
        l1Hosts.push(`l1-${i}`);
      }
    });
    const l1 = l1Hosts[0];
    if (l1 !== undefined && r.l1[Number(l1.slice(3))].nested && !r.l1[Number(l1.slice(3))].tcg) {
      commands.push({ type: 'RecordGuestBoot', data: parentBoot('vm-l2', l1, false, r.parents[2]) });
      commands.push({ type: 'RecordHostSnapshot', data: nestedSnapshot('l2-0', 2, 'vm-l2', r.l1[2], l1Cpu(r.l0[Number(l1.slice(3))])) });
      hosts.push('l2-0');
      if (r.l1[2].tcg) tcgHosts.add('l2-0');
    }
    /** Boots `guestId` on `bootedOn` and records its history; returns the host it runs on now. */
    const place = (guestId: string, guest: GuestChoice, bootedOn: string, history: HistoryChoice, observed?: GuestBoot['observed']): string => {
      commands.push({ type: 'RecordGuestBoot', data: { guestId, hostId: bootedOn, at: AT, ...guestSpecOf(guest, tcgHosts.has(bootedOn)), ...(observed ? { observed } : {}) } });
      if (history.kind === 'migrated') {
        const away = hosts.filter((h) => h !== bootedOn);
        const to = away[history.hop % away.length];
        commands.push({ type: 'RecordGuestMigration', data: { guestId, toHostId: to, at: LATER } });
        return to;
      }
      if (history.kind === 'rebooted') {
        commands.push({ type: 'RecordGuestReboot', data: { guestId, at: LATER, kernel: { release: guest.release, cmdline: history.rebootCmdline } } });
      } else if (history.kind === 'resnapshot' && !tcgHosts.has(bootedOn)) {
        const before = [...commands].reverse().find((c) => c.type === 'RecordHostSnapshot' && c.data.hostId === bootedOn)!.data as HostSnapshot;
        commands.push({ type: 'RecordHostSnapshot', data: { ...before, observedAt: LATER, qemu: { ...before.qemu, gtseFromKvm: true }, kvm: { ...before.kvm!, caps: { ...before.kvm!.caps, KVM_CAP_PPC_GTSE: history.resnapshotGtse } } } });
      }
      return bootedOn;
    };
    const source = place('vm-g', r.migratingGuest, hosts[r.source % hosts.length], r.history);
    place('vm-n', r.hypervisorGuest, hosts[r.hypervisorHost % hosts.length], r.hypervisorHistory, r.hypervisorObserved);
    const others = hosts.filter((h) => h !== source);
    const bootHost = hosts[r.bootHost % hosts.length];
    return {
      commands,
      boot: { hostId: bootHost, spec: guestSpecOf(r.bootGuest, tcgHosts.has(bootHost)) },
      migration: { guestId: 'vm-g', toHostId: others[r.destination % others.length] },
      nesting: { guestId: 'vm-n', candidate: r.candidate },
      seed: r.seed,
    };
  });
