/**
 * The conformance cases: what real QEMU 7.2 (TCG L0) is asked to do, what the domain docs
 * (/work/shared/domain/) predict, and the planner-facing documents (SPEC §2.1 / §2.2).
 */
import { ProbedHost, readProbe } from './kvm-probe';
import {
  BootCase,
  Case,
  Expected,
  GuestSpec,
  HostSnapshot,
  HypervisorLevel,
  LevelOutcome,
  MigrationCase,
  NestedCase,
  PlannerNesting,
  VmSpec,
} from './types';

export interface CaseEnv {
  /** Guest kernel release (Debian ppc64el), e.g. 6.1.0-50-powerpc64le. */
  kernelRelease: string;
  /** Release of the machine running the TCG L0. */
  hostKernelRelease: string;
  /** observedAt of the snapshots. */
  observedAt: string;
}

export const QEMU_VERSION = '7.2.0';

/** Base guest kernel command line (the harness adds its own conf.* parameters). */
export const BASE_CMDLINE = 'console=hvc0 quiet';

// ---- ov5 vectors (cas-ov5.md §1.2) ----------------------------------------------------------
const Z15 = '00'.repeat(15);
/** What a KVM QEMU on a nested host prints once the guest's XIVE is activated (NEST-XIVE-EMULATED). */
const XIVE_FALLBACK = 'kernel_irqchip allowed but unavailable: IRQ_XIVE capability must be present for KVM';

/** POWER9/10 radix + GTSE, XIVE, FORM1+FORM2 (pseries ≥ 6.2). */
export const OV5_RADIX = `1900200000a005${Z15}8040400040`;
/** POWER9 hash (disable_radix): XIVE, no byte 24/26. */
export const OV5_HASH_XIVE = `1600200000a005${Z15}8040`;
/** POWER8 / power8 compat: hash, XICS. */
export const OV5_HASH_XICS = `1500200000a005${Z15}80`;
/** Radix + GTSE, FORM1 only (pseries ≤ 6.1). */
export const OV5_RADIX_NOFORM2 = `19002000008005${Z15}8040400040`;
/** Radix + GTSE with XICS (byte 23 = 0): pseries ≤ 4.0 (FORM1 only). */
export const OV5_RADIX_XICS_OLD = `19002000008005${Z15}8000400040`;
/** Radix + GTSE with XICS on a FORM2 machine (ic-mode=xics). */
export const OV5_RADIX_XICS = `1900200000a005${Z15}8000400040`;
/** Radix without GTSE (radix_hcall_invalidate=on with cap-rpt-invalidate=on): byte 26 absent. */
export const OV5_RADIX_NOGTSE = `1700200000a005${Z15}804040`;
/** pseries-2.3 (no DRCONF ≤ 2.4, no HP_EVT ≤ 2.7, no HPT resize ≤ 2.9), hash, XICS. */
export const OV5_HASH_P23 = `15000000008000${Z15}80`;

/** The four TCG warnings of a default pseries ≥ 5.0 boot (BOOT-CAP-TCG-WARN). */
export const TCG_WARNINGS = [
  "TCG doesn't support requested feature, cap-cfpc=workaround",
  "TCG doesn't support requested feature, cap-sbbc=workaround",
  "TCG doesn't support requested feature, cap-ibs=workaround",
  "TCG doesn't support requested feature, cap-ccf-assist=on",
];

// ---- planner documents ----------------------------------------------------------------------
const CPU_MODEL: Record<string, { model: string; dd: string }> = {
  power8: { model: 'POWER8', dd: '2.0' },
  power9: { model: 'POWER9', dd: '2.0' },
  power10: { model: 'POWER10', dd: '2.0' },
};

/** `-cpu` value (possibly with properties) → SPEC cpu model. */
export function cpuModelOf(cpu: string): { model: string; dd: string } {
  const base = cpu.split(',')[0].toLowerCase();
  return CPU_MODEL[base] ?? { model: base.toUpperCase(), dd: '2.0' };
}

export function tcgHost(env: CaseEnv, cpu: string): HostSnapshot {
  // SPEC §2.1 knows POWER8…POWER11 only; a TCG L0 runs any -cpu model (e.g. 970fx), so a model
  // outside that list is the guest's business and the L0 is described as a POWER9 TCG host.
  const known = cpuModelOf(cpu);
  const c = /^POWER(8|9|10|11)$/.test(known.model) ? known : CPU_MODEL.power9;
  return {
    hostId: `tcg-${c.model.toLowerCase()}`,
    observedAt: env.observedAt,
    level: 0,
    parentGuestId: null,
    cpu: c,
    accelerator: 'tcg',
    kernel: { release: env.hostKernelRelease, cmdline: '' },
    qemu: { version: QEMU_VERSION },
  };
}

export function guestSpec(env: CaseEnv, guestId: string, hostId: string, vm: VmSpec): GuestSpec {
  return {
    guestId,
    hostId,
    machine: vm.machine,
    cpu: vm.cpu,
    smp: { threads: vm.threads ?? 1 },
    kernel: { release: env.kernelRelease, cmdline: vm.append ? `${BASE_CMDLINE} ${vm.append}` : BASE_CMDLINE },
  };
}

/**
 * The level-n host a collector inside hypervisor guest P reports: what the KVM probe in P read (kvm-probe.ts:
 * caps, nested parameter, RAM page size, mitigations from KVM_PPC_GET_CPU_CHAR, ibm,dec-bits, CPU, kernel
 * release, KVM-HV or PR), plus the facts no probe reads (kvm-probe.ts DERIVED_FACTS: QEMU version, the guest
 * spec's command line without the harness's conf.* parameters).
 */
export function probedHost(env: CaseEnv, level: number, parent: GuestSpec, probe: ProbedHost): HostSnapshot {
  return {
    hostId: `${parent.guestId}-host`,
    observedAt: env.observedAt,
    level,
    parentGuestId: parent.guestId,
    cpu: probe.cpu,
    accelerator: probe.accelerator,
    kernel: { release: probe.kernelRelease, cmdline: parent.kernel.cmdline },
    qemu: { version: QEMU_VERSION },
    kvm: probe.kvm,
  };
}

/**
 * A nested case's planner documents once the stack ran: the L0, then for each hypervisor level that hosts, the
 * snapshot built from its own probe (`levels[n-1].probe`). A host level whose probe is missing or says it
 * cannot start a VM gets no snapshot and a problem (nothing is made up for it); so does a level the case checks
 * as unable to host (`check nesting`) whose probe started one.
 */
export function withProbedHosts(env: CaseEnv, planner: PlannerNesting, levels: LevelOutcome[]): { planner: PlannerNesting; problems: string[] } {
  const hosts: HostSnapshot[] = [planner.hosts[0]];
  const problems: string[] = [];
  for (const h of planner.hypervisors) {
    const lv = levels.find((l) => l.level === h.level);
    const reading = readProbe(lv?.probe);
    const guest = planner.guests.find((g) => g.guestId === h.guestId);
    if (h.role === 'cannot-host') {
      if (reading.ok) problems.push(`L${h.level} (${h.guestId}) is checked as unable to host, but its KVM probe started a VM (${reading.host.accelerator})`);
      continue;
    }
    if (!reading.ok) problems.push(`L${h.level} (${h.guestId}) ${reading.reason}: no level-${h.level} host snapshot`);
    else if (guest) hosts.push(probedHost(env, h.level, guest, reading.host));
  }
  const c = planner.check;
  const target = c.verb === 'migration' ? hosts.find((h) => h.hostId === planner.guests.find((g) => g.guestId === c.guestId)?.hostId) : undefined;
  if (c.verb === 'migration' && target) hosts.push({ ...target, hostId: c.toHostId });
  return { planner: { ...planner, hosts }, problems };
}

// ---- case builders ------------------------------------------------------------------------------
function vm(machine: string, cpu: string, append = '', extra: Partial<VmSpec> = {}): VmSpec {
  return { machine, cpu, append, ...extra };
}

function boot(env: CaseEnv, id: string, title: string, v: VmSpec, expected: Expected): BootCase {
  const host = tcgHost(env, v.cpu);
  const guest = guestSpec(env, id, host.hostId, v);
  return { kind: 'boot', id, title, vm: v, expected, planner: { hosts: [host], guest, check: { verb: 'boot', hostId: host.hostId } } };
}

function migration(
  env: CaseEnv,
  id: string,
  title: string,
  src: VmSpec,
  dst: { machine?: string; cpu?: string },
  expected: Expected,
): MigrationCase {
  const srcHost = tcgHost(env, src.cpu);
  const dstCpu = dst.cpu ?? src.cpu;
  // A distinct destination host: same TCG L0, its own snapshot (id suffix -dst).
  const dstHost = { ...tcgHost(env, dstCpu), hostId: `${tcgHost(env, dstCpu).hostId}-dst` };
  const guest = guestSpec(env, id, srcHost.hostId, src);
  return {
    kind: 'migration',
    id,
    title,
    src,
    dst,
    expected,
    planner: {
      hosts: [srcHost, dstHost],
      guest,
      check: {
        verb: 'migration',
        guestId: id,
        toHostId: dstHost.hostId,
        ...(dst.machine !== undefined && dst.machine !== src.machine ? { machine: dst.machine } : {}),
        ...(dst.cpu !== undefined && dst.cpu !== src.cpu ? { cpu: dst.cpu } : {}),
      },
    },
  };
}

/** L1 defaults: `-machine pseries,cap-nested-hv=on -cpu POWER9 -m 4G` on the TCG L0. */
export const L1_DEFAULT: VmSpec = { machine: 'pseries,cap-nested-hv=on', cpu: 'POWER9', memory: '4G', append: '' };

function nested(
  env: CaseEnv,
  id: string,
  title: string,
  levels: VmSpec[],
  expected: Expected,
  /** Index (0-based) of a hypervisor level that cannot host (its snapshot would be rejected). */
  cannotHost?: number,
  /**
   * Index (0-based) of a hypervisor level whose own boot is the question: it never runs, so no
   * collector inside it reports a host, and the planner is asked `check boot` for it on its parent.
   */
  bootCheckAt?: number,
  /** Live-migrate the target guest inside its parent to this destination configuration (`check migration`). */
  migrate?: NestedCase['migrate'],
): NestedCase {
  const l0 = tcgHost(env, levels[0].cpu);
  const guests: GuestSpec[] = [];
  const hypervisors: HypervisorLevel[] = [];
  let hostId = l0.hostId;
  let check: NestedCase['planner']['check'] | undefined;
  levels.forEach((v, i) => {
    const g = guestSpec(env, `${id}-l${i + 1}`, hostId, v);
    guests.push(g);
    if (check || i === levels.length - 1) return;
    if (bootCheckAt === i) {
      check = { verb: 'boot', guestId: g.guestId, hostId };
      return;
    }
    if (cannotHost === i) {
      hypervisors.push({ level: i + 1, guestId: g.guestId, role: 'cannot-host' });
      check = { verb: 'nesting', guestId: g.guestId };
      return;
    }
    // Its snapshot comes from the KVM probe it runs (withProbedHosts, after the run); the id is known now.
    hypervisors.push({ level: i + 1, guestId: g.guestId, role: 'host' });
    hostId = `${g.guestId}-host`;
  });
  const target = guests[guests.length - 1];
  // A migration inside the parent goes to a second QEMU on the same host: for the planner, a second host with the
  // same facts (withProbedHosts), as `check migration` asks where a guest can go from where it is.
  const moved: NestedCase['planner']['check'] | undefined = migrate && { verb: 'migration', guestId: target.guestId, toHostId: `${target.hostId}-dst`, ...migrate };
  const finalCheck = check ?? moved ?? { verb: 'boot' as const, guestId: target.guestId, hostId: target.hostId };
  const usedGuests = check ? guests.slice(0, (bootCheckAt ?? cannotHost ?? 0) + 1) : guests;
  return {
    kind: 'nested',
    id,
    title,
    levels: levels.map((v) => ({ vm: v })),
    ...(migrate ? { migrate } : {}),
    expected,
    planner: { hosts: [l0], hypervisors, guests: usedGuests, check: finalCheck },
  };
}

const CAS = 'cas-ov5.md §1.2, §4';
const CAPS = 'spapr-caps.md';
const MT = 'machine-types.md';
const NEST = 'nested.md';

export function buildCases(env: CaseEnv): Case[] {
  const ok = (ov5: string, mmu: 'radix' | 'hash', verdict: Expected['verdict'], rules: string[], source: string, extra: Partial<Expected> = {}): Expected => ({
    kind: 'booted',
    ov5,
    mmu,
    verdict,
    rules,
    source,
    ...extra,
  });
  const refused = (message: string | undefined, rules: string[], source: string): Expected => ({
    kind: 'qemu-refused',
    ...(message !== undefined ? { message } : {}),
    verdict: 'unsafe',
    rules,
    source,
  });
  const W = TCG_WARNINGS;
  const TW = ['BOOT-CAP-TCG-WARN'];

  const boots: Case[] = [
    boot(env, 'B01-p9-default', 'POWER9, pseries (7.2), default caps', vm('pseries', 'POWER9'), ok(OV5_RADIX, 'radix', 'warn', TW, CAS, { warnings: W })),
    boot(env, 'B02-p9-disable-radix', 'POWER9, disable_radix', vm('pseries', 'POWER9', 'disable_radix'), ok(OV5_HASH_XIVE, 'hash', 'warn', TW, CAS, { warnings: W })),
    boot(env, 'B03-p8-default', 'POWER8 CPU generation', vm('pseries', 'POWER8'), ok(OV5_HASH_XICS, 'hash', 'warn', TW, CAS, { warnings: W })),
    boot(env, 'B04-p8-hcall-inval', 'POWER8 + radix_hcall_invalidate=on (hash: GTSE irrelevant)', vm('pseries', 'POWER8', 'radix_hcall_invalidate=on'), ok(OV5_HASH_XICS, 'hash', 'warn', TW, CAS)),
    boot(env, 'B05-p9-hcall-inval', 'POWER9 radix, GTSE off (radix_hcall_invalidate=on), no cap-rpt-invalidate', vm('pseries', 'POWER9', 'radix_hcall_invalidate=on'), {
      kind: 'guest-panic',
      message: 'BUG: Radix support requires either GTSE or RPT_INVALIDATE',
      verdict: 'unsafe',
      rules: ['BOOT-NO-GTSE-NO-RPTI'],
      source: 'cas-ov5.md §3.3',
    }),
    boot(env, 'B06-p9-rpti-tcg', 'cap-rpt-invalidate=on under TCG', vm('pseries,cap-rpt-invalidate=on', 'POWER9'), refused('No H_RPT_INVALIDATE support in TCG', ['BOOT-RPTI-TCG'], CAPS)),
    boot(env, 'B07-p9-rpti-tcg-hcall-inval', 'cap-rpt-invalidate=on + radix_hcall_invalidate=on under TCG', vm('pseries,cap-rpt-invalidate=on', 'POWER9', 'radix_hcall_invalidate=on'), refused('No H_RPT_INVALIDATE support in TCG', ['BOOT-RPTI-TCG'], CAPS)),
    boot(env, 'B08-p10-default', 'POWER10 CPU generation', vm('pseries', 'POWER10'), ok(OV5_RADIX, 'radix', 'warn', TW, CAS)),
    boot(env, 'B09-p9-pseries-6.0', 'old machine type pseries-6.0 (no FORM2)', vm('pseries-6.0', 'POWER9'), ok(OV5_RADIX_NOFORM2, 'radix', 'warn', [...TW, 'INFO-FORM2-AFFINITY'], CAS)),
    boot(env, 'B10-p9-pseries-6.1', 'pseries-6.1 (last type without FORM2)', vm('pseries-6.1', 'POWER9'), ok(OV5_RADIX_NOFORM2, 'radix', 'warn', [...TW, 'INFO-FORM2-AFFINITY'], MT)),
    boot(env, 'B11-p9-pseries-6.2', 'pseries-6.2 (first type with FORM2)', vm('pseries-6.2', 'POWER9'), ok(OV5_RADIX, 'radix', 'warn', [...TW, 'INFO-FORM2-AFFINITY'], MT)),
    boot(env, 'B12-p9-pseries-4.0', 'pseries-4.0: XICS only, ccf-assist/fwnmi off', vm('pseries-4.0', 'POWER9'), ok(OV5_RADIX_XICS_OLD, 'radix', 'warn', TW, MT, { warnings: W.slice(0, 3) })),
    boot(env, 'B13-p9-pseries-3.1', 'pseries-3.1: spectre caps broken, large-decr off: no TCG warnings', vm('pseries-3.1', 'POWER9'), ok(OV5_RADIX_XICS_OLD, 'radix', 'safe', [], MT, { warnings: [] })),
    boot(env, 'B14-p9-pseries-2.12', 'pseries-2.12 (hpt-max-page-size computed)', vm('pseries-2.12', 'POWER9'), ok(OV5_RADIX_XICS_OLD, 'radix', 'safe', [], MT)),
    boot(env, 'B15-p9-pseries-2.11', 'pseries-2.11: cap-htm default ON under TCG', vm('pseries-2.11', 'POWER9'), refused('No Transactional Memory support in TCG', ['BOOT-CAP-UNSUPPORTED-TCG'], MT)),
    boot(env, 'B16-p8-pseries-2.3', 'oldest types: pseries-2.3 (no DRCONF, no HP_EVT, no HPT resize), cap-htm=off', vm('pseries-2.3,cap-htm=off', 'POWER8'), ok(OV5_HASH_P23, 'hash', 'safe', [], MT)),
    boot(env, 'B17-p9-htm-on', 'cap-htm=on under TCG', vm('pseries,cap-htm=on', 'POWER9'), refused('No Transactional Memory support in TCG', ['BOOT-CAP-UNSUPPORTED-TCG'], CAPS)),
    boot(env, 'B18-p8-nested-hv', 'cap-nested-hv=on on POWER8', vm('pseries,cap-nested-hv=on', 'POWER8'), refused('Nested-HV only supported on POWER9 and later', ['NEST-POWER8'], CAPS)),
    boot(env, 'B19-p9-nested-hv', 'cap-nested-hv=on on POWER9 (TCG accepts)', vm('pseries,cap-nested-hv=on', 'POWER9'), ok(OV5_RADIX, 'radix', 'warn', TW, CAPS)),
    boot(env, 'B20-p8-large-decr', 'cap-large-decr=on on POWER8', vm('pseries,cap-large-decr=on', 'POWER8'), refused('Large decrementer only supported on POWER9', ['BOOT-CAP-UNSUPPORTED-TCG'], CAPS)),
    boot(env, 'B21-p9-compat-p8', 'compat mode max-cpu-compat=power8 on POWER9', vm('pseries,max-cpu-compat=power8', 'POWER9'), ok(OV5_HASH_XICS, 'hash', 'warn', TW, CAS)),
    boot(env, 'B22-p10-compat-p9', 'compat mode max-cpu-compat=power9 on POWER10', vm('pseries,max-cpu-compat=power9', 'POWER10'), ok(OV5_RADIX, 'radix', 'warn', TW, MT)),
    boot(env, 'B23-p9-compat-p10', 'max-cpu-compat=power10 on POWER9', vm('pseries,max-cpu-compat=power10', 'POWER9'), refused('Compatibility PVR 0x0f000006 not valid for CPU', ['BOOT-COMPAT-PVR'], MT)),
    boot(env, 'B24-p9-compat-upper', 'max-cpu-compat=POWER9 (upper case)', vm('pseries,max-cpu-compat=POWER9', 'POWER9'), refused('Invalid compatibility mode "POWER9"', ['CAP-VALUE-PARSE'], MT)),
    boot(env, 'B25-p9-cpu-compat-prop', '-cpu POWER9,compat=power8 (removed in 6.0)', vm('pseries', 'POWER9,compat=power8'), refused(undefined, ['BOOT-CPU-COMPAT-PROP'], MT)),
    boot(env, 'B26-p9-smt2', 'TCG with -smp threads=2', vm('pseries', 'POWER9', '', { threads: 2 }), refused('TCG cannot support more than 1 thread/core on a pseries machine', ['BOOT-TCG-THREADS'], CAPS)),
    boot(env, 'B27-p9-hpt-4k', 'cap-hpt-max-page-size=4k', vm('pseries,cap-hpt-max-page-size=4k', 'POWER9'), ok(OV5_RADIX, 'radix', 'warn', ['BOOT-HPT-PAGESIZE', ...TW], CAPS, { message: 'Many guests require at least 64kiB hpt-max-page-size' })),
    boot(env, 'B28-p9-caps-broken', 'spectre caps broken + ccf-assist off: no TCG warnings', vm('pseries,cap-cfpc=broken,cap-sbbc=broken,cap-ibs=broken,cap-ccf-assist=off', 'POWER9'), ok(OV5_RADIX, 'radix', 'safe', [], CAPS, { warnings: [] })),
    boot(env, 'B29-p9-ic-xics', 'ic-mode=xics (byte 23 = 0)', vm('pseries,ic-mode=xics', 'POWER9'), ok(OV5_RADIX_XICS, 'radix', 'warn', TW, CAS)),
    boot(env, 'B30-p9-pseries-2.12-sxxm', 'pseries-2.12-sxxm: ibs fixed-ccd', vm('pseries-2.12-sxxm', 'POWER9'), ok(OV5_RADIX_XICS_OLD, 'radix', 'warn', TW, MT, { message: "TCG doesn't support requested feature, cap-ibs=fixed-ccd" })),
    boot(env, 'B31-970fx', '-cpu 970fx (no sPAPR core type)', vm('pseries', '970fx'), refused('Unable to find sPAPR CPU Core definition', ['BOOT-CPU-MODEL'], MT)),
    boot(env, 'B33-p8-ic-xive', 'ic-mode=xive on POWER8', vm('pseries,ic-mode=xive', 'POWER8'), refused(undefined, [], 'not covered by the domain docs (cas-ov5.md §2.3 step 10 covers only the CAS-time interrupt-mode errors)')),
    boot(env, 'B34-p9-pseries-8.0', 'machine type newer than the binary (pseries-8.0 on QEMU 7.2)', vm('pseries-8.0', 'POWER9'), refused(undefined, ['MIG-MACHINE-EXISTS'], 'rules.md MIG-MACHINE-EXISTS (wording not verified)')),
    boot(env, 'B35-p9-ibs-fixed-na', 'cap-ibs=fixed-na (stored as 4, not 0x10) under TCG', vm('pseries,cap-ibs=fixed-na', 'POWER9'), ok(OV5_RADIX, 'radix', 'warn', TW, 'spapr-caps.md §1.1 (fixed-na quirk), cap 0x05', { message: "TCG doesn't support requested feature, cap-ibs=fixed-na" })),
    boot(env, 'B36-p9-vsx-off', 'cap-vsx=off: a little-endian userspace needs VSX', vm('pseries,cap-vsx=off', 'POWER9'), {
      kind: 'guest-panic',
      message: 'Attempted to kill init! exitcode=0x00000004',
      verdict: 'unsafe',
      rules: [],
      source: 'not covered by the domain docs (spapr-caps.md cap 0x01 covers only QEMU\'s apply check, not the guest without VSX)',
    }),
    boot(env, 'B32-p9-compat-p8-hcall-inval', 'power8 compat + radix_hcall_invalidate=on (hash, no panic)', vm('pseries,max-cpu-compat=power8', 'POWER9', 'radix_hcall_invalidate=on'), ok(OV5_HASH_XICS, 'hash', 'warn', TW, CAS)),
  ];

  const done = (rules: string[] = [], source = CAPS): Expected => ({ kind: 'migration-completed', verdict: 'safe', rules, source });
  const warnM = (message: string, rules: string[], source = CAPS): Expected => ({ kind: 'migration-completed-with-warning', message, verdict: 'warn', rules, source });
  const failM = (message: string, rules: string[], source = CAPS): Expected => ({ kind: 'migration-failed', message, verdict: 'unsafe', rules, source });
  const P9 = 'POWER9';
  const migrations: Case[] = [
    migration(env, 'M01-same', 'pseries POWER9 → identical destination', vm('pseries', P9), {}, done()),
    migration(env, 'M02-mt-7.2-to-7.1', 'machine type pseries-7.2 → pseries-7.1', vm('pseries-7.2', P9), { machine: 'pseries-7.1' }, failM("Machine type received is 'pseries-7.2' and local is 'pseries-7.1'", ['MIG-MACHINE-TYPE'], MT)),
    migration(env, 'M03-mt-7.1-to-7.2', 'machine type pseries-7.1 → pseries-7.2', vm('pseries-7.1', P9), { machine: 'pseries-7.2' }, failM("Machine type received is 'pseries-7.1' and local is 'pseries-7.2'", ['MIG-MACHINE-TYPE'], MT)),
    migration(env, 'M04-alias', 'pseries (alias) → pseries-7.2', vm('pseries', P9), { machine: 'pseries-7.2' }, done([], MT)),
    migration(env, 'M05-large-decr-on-off', 'cap-large-decr=on (default, not sent) → =off', vm('pseries,cap-large-decr=on', P9), { machine: 'pseries,cap-large-decr=off' }, failM('cap-large-decr higher level (1) in incoming stream than on destination (0)', ['MIG-CAP-HIGHER', 'MIG-LARGE-DECR'])),
    migration(env, 'M06-large-decr-off-on', 'cap-large-decr=off (sent) → default on', vm('pseries,cap-large-decr=off', P9), { machine: 'pseries' }, warnM('cap-large-decr lower level (0) in incoming stream than on destination (1)', ['MIG-CAP-LOWER'])),
    migration(env, 'M07-nested-on-off', 'cap-nested-hv=on → destination without it', vm('pseries,cap-nested-hv=on', P9), { machine: 'pseries' }, failM('cap-nested-hv higher level (1) in incoming stream than on destination (0)', ['MIG-CAP-HIGHER'])),
    migration(env, 'M08-nested-off-on', 'default (nested-hv off, not sent) → cap-nested-hv=on', vm('pseries', P9), { machine: 'pseries,cap-nested-hv=on' }, warnM('cap-nested-hv lower level (0) in incoming stream than on destination (1)', ['MIG-CAP-LOWER'])),
    migration(env, 'M09-p10-to-p9', 'POWER10 (compat 0x0f000006) → POWER9', vm('pseries', 'POWER10'), { cpu: P9 }, failM('Compatibility PVR 0x0f000006 not valid for CPU', ['MIG-COMPAT-PVR'], MT)),
    migration(env, 'M10-p10c9-to-p9', 'POWER10 max-cpu-compat=power9 → POWER9 (same machine)', vm('pseries,max-cpu-compat=power9', 'POWER10'), { cpu: P9 }, done(['MIG-COMPAT-PVR'], MT)),
    migration(env, 'M11-p9-to-p10', 'POWER9 → POWER10', vm('pseries', P9), { cpu: 'POWER10' }, done([], MT)),
    migration(env, 'M12-p8-to-p9', 'POWER8 → POWER9 (large-decr lowered at source, not sent)', vm('pseries', 'POWER8'), { cpu: P9 }, done([], MT)),
    migration(env, 'M13-p9-to-p8', 'POWER9 (compat 0x0f000005) → POWER8', vm('pseries', P9), { cpu: 'POWER8' }, failM('Compatibility PVR 0x0f000005 not valid for CPU', ['MIG-COMPAT-PVR'], MT)),
    migration(env, 'M14-hpt-16-to-24', 'hpt-max-page-size default → 16M', vm('pseries', P9), { machine: 'pseries,cap-hpt-max-page-size=16M' }, warnM('cap-hpt-max-page-size lower level (16) in incoming stream than on destination (24)', ['MIG-HPT-MAXPAGESIZE', 'MIG-CAP-LOWER'])),
    migration(env, 'M15-hpt-24-to-16', 'hpt-max-page-size 16M → default', vm('pseries,cap-hpt-max-page-size=16M', P9), { machine: 'pseries' }, failM('cap-hpt-max-page-size higher level (24) in incoming stream than on destination (16)', ['MIG-HPT-MAXPAGESIZE', 'MIG-CAP-HIGHER'])),
    migration(env, 'M16-cfpc-to-broken', 'cfpc default workaround (not sent) → cap-cfpc=broken', vm('pseries', P9), { machine: 'pseries,cap-cfpc=broken' }, failM('cap-cfpc higher level (1) in incoming stream than on destination (0)', ['MIG-CAP-HIGHER', 'MIG-CAP-SRC-RECON'])),
    migration(env, 'M17-ibs-ccd-to-default', 'cap-ibs=fixed-ccd (3) → default workaround (1)', vm('pseries,cap-ibs=fixed-ccd', P9), { machine: 'pseries' }, failM('cap-ibs higher level (3) in incoming stream than on destination (1)', ['MIG-CAP-HIGHER'])),
    migration(env, 'M18-ccf-off-to-on', 'cap-ccf-assist=off (sent) → default on', vm('pseries,cap-ccf-assist=off', P9), { machine: 'pseries' }, warnM('cap-ccf-assist lower level (0) in incoming stream than on destination (1)', ['MIG-CAP-LOWER'])),
    migration(env, 'M19-p40-hpt-not-sent', 'pseries-4.0 hpt-max-page-size=16M → default (never sent for ≤ 4.0)', vm('pseries-4.0,cap-hpt-max-page-size=16M', P9), { machine: 'pseries-4.0' }, done(['MIG-HPT-MAXPAGESIZE'])),
    migration(env, 'M20-hash-guest', 'hash guest (disable_radix) POWER9 → POWER9', vm('pseries', P9, 'disable_radix'), {}, done(['MIG-MMU-CONTRACT'], NEST)),
    migration(env, 'M21-p9-to-compat-p8', 'POWER9 radix guest → destination max-cpu-compat=power8', vm('pseries', P9), { machine: 'pseries,max-cpu-compat=power8' }, done(['MIG-COMPAT-PVR', 'MIG-CAP-SRC-RECON'], MT)),
    migration(env, 'M22-p9c8-to-p8', 'POWER9 max-cpu-compat=power8 (compat 0x0f000004) → POWER8', vm('pseries,max-cpu-compat=power8', P9), { machine: 'pseries', cpu: 'POWER8' }, done(['MIG-COMPAT-PVR'], MT)),
    migration(env, 'M23-p9-to-p8-xics', 'POWER9 → POWER8 with ic-mode=xics on both ends (only the compat PVR differs)', vm('pseries,ic-mode=xics', P9), { cpu: 'POWER8' }, failM('Compatibility PVR 0x0f000005 not valid for CPU', ['MIG-COMPAT-PVR'], MT)),
    migration(env, 'M29-vsx-to-off', 'vsx default on (not sent) → cap-vsx=off', vm('pseries', P9), { machine: 'pseries,cap-vsx=off' }, failM('cap-vsx higher level (1) in incoming stream than on destination (0)', ['MIG-CAP-HIGHER', 'MIG-CAP-SRC-RECON'])),
    migration(env, 'M30-dfp-off-to-on', 'cap-dfp=off (sent) → default on', vm('pseries,cap-dfp=off', P9), { machine: 'pseries' }, warnM('cap-dfp lower level (0) in incoming stream than on destination (1)', ['MIG-CAP-LOWER'])),
    migration(env, 'M31-sbbc-fixed-to-default', 'cap-sbbc=fixed (2) → default workaround (1)', vm('pseries,cap-sbbc=fixed', P9), { machine: 'pseries' }, failM('cap-sbbc higher level (2) in incoming stream than on destination (1)', ['MIG-CAP-HIGHER'])),
    migration(env, 'M32-fwnmi-to-off', 'fwnmi default on (not sent) → cap-fwnmi=off', vm('pseries', P9), { machine: 'pseries,cap-fwnmi=off' }, failM('cap-fwnmi higher level (1) in incoming stream than on destination (0)', ['MIG-CAP-HIGHER', 'MIG-CAP-SRC-RECON'])),
    migration(env, 'M33-cfpc-broken-to-default', 'cap-cfpc=broken (sent 0) → default workaround', vm('pseries,cap-cfpc=broken', P9), { machine: 'pseries' }, warnM('cap-cfpc lower level (0) in incoming stream than on destination (1)', ['MIG-CAP-LOWER'])),
    migration(env, 'M34-dfp-to-off', 'dfp default on (not sent) → cap-dfp=off', vm('pseries', P9), { machine: 'pseries,cap-dfp=off' }, failM('cap-dfp higher level (1) in incoming stream than on destination (0)', ['MIG-CAP-HIGHER', 'MIG-CAP-SRC-RECON'])),
    migration(env, 'M35-sbbc-default-to-fixed', 'sbbc default workaround (not sent) → cap-sbbc=fixed (2)', vm('pseries', P9), { machine: 'pseries,cap-sbbc=fixed' }, warnM('cap-sbbc lower level (1) in incoming stream than on destination (2)', ['MIG-CAP-LOWER', 'MIG-CAP-SRC-RECON'])),
    migration(env, 'M36-ibs-default-to-ccd', 'ibs default workaround (not sent) → cap-ibs=fixed-ccd (3)', vm('pseries', P9), { machine: 'pseries,cap-ibs=fixed-ccd' }, warnM('cap-ibs lower level (1) in incoming stream than on destination (3)', ['MIG-CAP-LOWER', 'MIG-CAP-SRC-RECON'])),
    migration(env, 'M37-ccf-to-off', 'ccf-assist default on (not sent) → cap-ccf-assist=off (no ccf exception in the stream check)', vm('pseries', P9), { machine: 'pseries,cap-ccf-assist=off' }, failM('cap-ccf-assist higher level (1) in incoming stream than on destination (0)', ['MIG-CAP-HIGHER', 'MIG-CAP-SRC-RECON'], 'rules.md MIG-CCF-ASSIST-EXCEPTION (none in the migration comparison)')),
    migration(env, 'M38-fwnmi-off-to-on', 'cap-fwnmi=off (sent 0) → default on', vm('pseries,cap-fwnmi=off', P9), { machine: 'pseries' }, warnM('cap-fwnmi lower level (0) in incoming stream than on destination (1)', ['MIG-CAP-LOWER'])),
    migration(env, 'M24-dst-rpti-tcg', 'destination adds cap-rpt-invalidate=on (TCG refuses to start it)', vm('pseries', P9), { machine: 'pseries,cap-rpt-invalidate=on' }, failM('No H_RPT_INVALIDATE support in TCG', ['MIG-DEST-CAP-APPLY', 'BOOT-RPTI-TCG'], 'rules.md MIG-DEST-CAP-APPLY')),
    migration(env, 'M25-dst-pseries-8.0', 'destination machine type missing from the binary (pseries-8.0)', vm('pseries', P9), { machine: 'pseries-8.0' }, { kind: 'migration-failed', verdict: 'unsafe', rules: ['MIG-MACHINE-EXISTS'], source: 'rules.md MIG-MACHINE-EXISTS (wording not verified)' }),
    migration(env, 'M26-p23-to-p24', 'pseries-2.3 (no configuration section) → pseries-2.4', vm('pseries-2.3,cap-htm=off', 'POWER8'), { machine: 'pseries-2.4,cap-htm=off' }, failM('Configuration section missing', ['MIG-CONFIG-SECTION'], MT)),
    migration(env, 'M27-p24-to-p23', 'pseries-2.4 → pseries-2.3 (destination expects no configuration section)', vm('pseries-2.4,cap-htm=off', 'POWER8'), { machine: 'pseries-2.3,cap-htm=off' }, { kind: 'migration-failed', verdict: 'unsafe', rules: ['MIG-CONFIG-SECTION'], source: 'machine-types.md §2 item 3 ("if only one side expects it")' }),
    migration(env, 'M28-p23-same', 'pseries-2.3 → pseries-2.3 (no machine-type check, no configuration)', vm('pseries-2.3,cap-htm=off', 'POWER8'), {}, done([], MT)),
  ];

  const L1 = L1_DEFAULT;
  /** An L2 to migrate: 512 MiB, so that two QEMUs fit the L1 and the copy takes seconds under the TCG L0. */
  const l2m = (machine: string, append = ''): VmSpec => ({ machine, cpu: 'host', memory: '512M', append });
  const nestedMigration = (id: string, title: string, v: VmSpec, to: NonNullable<NestedCase['migrate']>, expected: Expected): NestedCase =>
    nested(env, id, title, [L1, v], expected, undefined, undefined, to);
  const l1 = (machine: string, append = ''): VmSpec => ({ machine, cpu: 'POWER9', memory: '4G', append });
  const l1v = (machine: string, cpu: string): VmSpec => ({ machine, cpu, memory: '4G', append: '' });
  const l2 = (machine: string, append = '', cpu = 'host', memory = '1G'): VmSpec => ({ machine, cpu, memory, append });
  const nestedCases: Case[] = [
    nested(env, 'N01-l2-default', 'L1 cap-nested-hv=on → KVM L2 default', [L1, l2('pseries')], ok(OV5_RADIX, 'radix', 'safe', [], NEST)),
    nested(env, 'N02-l1-no-nested', 'L1 without cap-nested-hv (nesting disabled in the parent)', [l1('pseries'), l2('pseries')], { kind: 'qemu-refused', message: 'Parent hypervisor does not support nesting (rc=-2)', verdict: 'unsafe', rules: ['NEST-PARENT-NO-NESTED-HV'], source: 'nested.md §3.1' }, 0),
    nested(env, 'N03-l1-hash', 'hash L1 (disable_radix) cannot load kvm_hv', [l1('pseries,cap-nested-hv=on', 'disable_radix'), l2('pseries')], { kind: 'qemu-refused', verdict: 'unsafe', rules: ['NEST-L1-HASH'], source: 'nested.md §3.1' }, 0),
    nested(env, 'N04-l1-compat-p8', 'L1 max-cpu-compat=power8 + cap-nested-hv=on (TCG accepts; L1 hash)', [l1('pseries,cap-nested-hv=on,max-cpu-compat=power8'), l2('pseries')], { kind: 'qemu-refused', verdict: 'unsafe', rules: ['NEST-L1-HASH'], source: 'nested.md §5.2' }, 0),
    nested(env, 'N05-l2-disable-radix', 'L2 disable_radix: radix-only platform, ignored', [L1, l2('pseries', 'disable_radix')], ok(OV5_RADIX, 'radix', 'warn', ['BOOT-DISABLE-RADIX-IGNORED'], 'nested.md §3.2', { message: 'WARNING: Ignoring cmdline option disable_radix' })),
    nested(env, 'N06-l2-compat-p8', 'L2 max-cpu-compat=power8 (hash L2)', [L1, l2('pseries,max-cpu-compat=power8')], refused('HPT not supported in nested guests', ['NEST-HPT-UNSUPPORTED'], 'nested.md §3.2')),
    nested(env, 'N07-l2-cpu-p8', 'L2 -cpu POWER8 under KVM', [L1, l2('pseries', '', 'POWER8')], refused('HPT not supported in nested guests', ['NEST-HPT-UNSUPPORTED'], 'nested.md §3.2')),
    nested(env, 'N08-l2-gtse-off-no-rpti', 'L2 radix_hcall_invalidate=on without cap-rpt-invalidate', [L1, l2('pseries', 'radix_hcall_invalidate=on')], { kind: 'guest-panic', message: 'BUG: Radix support requires either GTSE or RPT_INVALIDATE', verdict: 'unsafe', rules: ['BOOT-NO-GTSE-NO-RPTI'], source: 'cas-ov5.md §3.3' }),
    nested(env, 'N09-l2-gtse-off-rpti', 'L2 radix_hcall_invalidate=on + cap-rpt-invalidate=on (GTSE=0 on a TCG L0)', [L1, l2('pseries,cap-rpt-invalidate=on', 'radix_hcall_invalidate=on')], ok(OV5_RADIX_NOGTSE, 'radix', 'warn', ['NEST-RPTI-L0-OLD'], 'rules.md NEST-RPTI-L0-OLD (L0 tcg: unverified → warning)')),
    nested(env, 'N10-l2-rpti-gtse-on', 'L2 cap-rpt-invalidate=on, GTSE on', [L1, l2('pseries,cap-rpt-invalidate=on')], ok(OV5_RADIX, 'radix', 'safe', [], 'nested.md §4')),
    nested(env, 'N11-l1-gtse-off', 'L1 radix_hcall_invalidate=on (TCG has no H_RPT_INVALIDATE)', [l1('pseries,cap-nested-hv=on', 'radix_hcall_invalidate=on'), l2('pseries')], { kind: 'guest-panic', message: 'BUG: Radix support requires either GTSE or RPT_INVALIDATE', verdict: 'unsafe', rules: ['BOOT-NO-GTSE-NO-RPTI'], source: 'nested.md §4' }, undefined, 0),
    nested(env, 'N12-l1-spectre-broken', 'L1 spectre caps broken: L2 default (workaround) cannot be offered', [l1('pseries,cap-nested-hv=on,cap-cfpc=broken,cap-sbbc=broken,cap-ibs=broken'), l2('pseries')], refused('Requested safe cache capability level not supported by KVM', ['BOOT-CAP-SPECTRE-KVM'], 'spapr-caps.md cap-cfpc')),
    nested(env, 'N13-l2-cfpc-fixed', 'L2 cap-cfpc=fixed above the L1 host level (workaround)', [L1, l2('pseries,cap-cfpc=fixed')], refused('Requested safe cache capability level not supported by KVM', ['BOOT-CAP-SPECTRE-KVM'], 'spapr-caps.md cap-cfpc')),
    nested(env, 'N14-l2-htm', 'L2 cap-htm=on (no TM in the L1)', [L1, l2('pseries,cap-htm=on')], refused('KVM implementation does not support Transactional Memory', ['BOOT-CAP-UNSUPPORTED-KVM'], 'spapr-caps.md cap-htm')),
    nested(env, 'N15-l1-large-decr-off', 'L1 cap-large-decr=off: L2 default large-decr cannot be offered', [l1('pseries,cap-nested-hv=on,cap-large-decr=off'), l2('pseries')], refused('No large decrementer support', ['BOOT-CAP-UNSUPPORTED-KVM'], 'spapr-caps.md cap-large-decr')),
    nested(env, 'N16-l2-nested-hv', 'L2 with cap-nested-hv=on (L1 offers nesting)', [L1, l2('pseries,cap-nested-hv=on')], ok(OV5_RADIX, 'radix', 'safe', [], NEST)),
    nested(env, 'N17-three-levels', 'three levels: L2 cap-nested-hv=on hosts an L3', [L1, l2('pseries,cap-nested-hv=on', '', 'host', '2G'), l2('pseries', '', 'host', '512M')], ok(OV5_RADIX, 'radix', 'safe', [], NEST)),
    nested(env, 'N18-three-levels-l2-no-nested', 'three levels: L2 without cap-nested-hv cannot host an L3', [L1, l2('pseries', '', 'host', '2G'), l2('pseries', '', 'host', '512M')], { kind: 'qemu-refused', message: 'Parent hypervisor does not support nesting (rc=-2)', verdict: 'unsafe', rules: ['NEST-PARENT-NO-NESTED-HV'], source: 'nested.md §3.1' }, 1),
    nested(env, 'N19-l2-cpu-p9', 'L2 -cpu POWER9 (a model, not host) under KVM', [L1, l2('pseries', '', 'POWER9')], ok(OV5_RADIX, 'radix', 'safe', [], 'SPEC §2.2 (cpu is host under KVM; models not covered)')),
    nested(env, 'N20-three-levels-hash-l3', 'three levels: hash L3 (max-cpu-compat=power8) under a nesting L2', [L1, l2('pseries,cap-nested-hv=on', '', 'host', '2G'), l2('pseries,max-cpu-compat=power8', '', 'host', '512M')], refused('HPT not supported in nested guests', ['NEST-HPT-UNSUPPORTED'], 'nested.md §3.2')),
    nested(env, 'N21-l1-power10', 'POWER10 L1 (cap-nested-hv=on) → KVM L2 (-cpu host)', [l1v('pseries,cap-nested-hv=on', 'POWER10'), l2('pseries')], ok(OV5_RADIX, 'radix', 'safe', [], 'nested.md §2.2 (POWER9 and later)')),
    nested(env, 'N22-l2-hpt-16m', 'L2 cap-hpt-max-page-size=16M on a 64 KiB-page L1', [L1, l2('pseries,cap-hpt-max-page-size=16M')], refused("Can't support 16384 kiB guest pages with 64 kiB host pages with this KVM implementation", ['BOOT-HPT-PAGESIZE'], 'spapr-caps.md cap-hpt-max-page-size')),
    nested(env, 'N23-l2-gtse-off-rpti-stress', 'GTSE=0 L2 (H_RPT_INVALIDATE), 2 vCPUs, 20 s fork/exec stress', [L1, { ...l2('pseries,cap-rpt-invalidate=on', 'radix_hcall_invalidate=on'), cpus: 2, stress: 20 }], ok(OV5_RADIX_NOGTSE, 'radix', 'warn', ['NEST-RPTI-L0-OLD'], 'rules.md NEST-RPTI-L0-OLD (L0 tcg: unverified → warning)')),
    nested(env, 'N25-l1-ibs-fixed-ibs', 'L1 cap-ibs=fixed-ibs: the L0 announces no count-cache flush assist, so the L2 default ccf-assist cannot be offered', [l1('pseries,cap-nested-hv=on,cap-ibs=fixed-ibs'), l2('pseries')], refused('Requested count cache flush assist capability level not supported by KVM', ['BOOT-CCF-ASSIST-KVM'], 'spapr-caps.md cap-ccf-assist; h_get_cpu_characteristics sets BCCTR_FLUSH_ASSIST only for ibs workaround')),
    nested(env, 'N24-l2-gtse-on-stress', 'control: GTSE=1 L2, 2 vCPUs, 20 s fork/exec stress', [L1, { ...l2('pseries'), cpus: 2, stress: 20 }], ok(OV5_RADIX, 'radix', 'safe', [], NEST)),
    // Live migrations under real KVM-HV: two QEMUs in the L1, the L2 moved over its loopback (guest/init runmig).
    nestedMigration('N26-l2-migrate-same', 'L2 live-migrated inside the L1 to an identical KVM QEMU', l2m('pseries'), {}, warnM(XIVE_FALLBACK, ['NEST-XIVE-EMULATED'], NEST)),
    nestedMigration('N27-l2-migrate-dfp-off-on', 'L2 cap-dfp=off (sent) → default on, under KVM', l2m('pseries,cap-dfp=off'), { machine: 'pseries' }, warnM('cap-dfp lower level (0) in incoming stream than on destination (1)', ['MIG-CAP-LOWER'])),
    nestedMigration('N28-l2-migrate-large-decr-on-off', 'L2 large-decr default on (not sent) → cap-large-decr=off, under KVM', l2m('pseries'), { machine: 'pseries,cap-large-decr=off' }, failM('cap-large-decr higher level (1) in incoming stream than on destination (0)', ['MIG-CAP-HIGHER'])),
    nestedMigration('N29-l2-migrate-gtse-off', 'GTSE=0 L2 (H_RPT_INVALIDATE) live-migrated inside the L1: the contract is kept', l2m('pseries,cap-rpt-invalidate=on', 'radix_hcall_invalidate=on'), {}, warnM(XIVE_FALLBACK, ['NEST-XIVE-EMULATED'], NEST)),
  ];

  return [...boots, ...migrations, ...nestedCases];
}
