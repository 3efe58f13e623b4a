import type { CommandDocument } from '@spapr/planner';

const CPUS = ['POWER9', 'POWER10'] as const;
const QEMUS = ['7.2.0', '8.0.0', '8.1.0', '8.2.0', '9.0.0', '9.2.0'];
const KERNELS = [
  { release: '6.1.0-50-powerpc64le', rpt: 1 },
  { release: '5.10.0-30-powerpc64le', rpt: 0 },
  { release: '6.12.0-1-powerpc64le', rpt: 1 },
];
const MITIGATIONS = [
  { cfpc: 'fixed', sbbc: 'fixed', ibs: 'fixed-ccd', 'ccf-assist': 'off' },
  { cfpc: 'workaround', sbbc: 'workaround', ibs: 'fixed-na', 'ccf-assist': 'on' },
  { cfpc: 'fixed', sbbc: 'workaround', ibs: 'fixed-ccd', 'ccf-assist': 'on' },
];
/** 2 CPUs × 6 QEMUs × 3 kernels × 3 mitigation sets: 108 bare-metal capability classes. */
const L0_CLASSES = CPUS.length * QEMUS.length * KERNELS.length * MITIGATIONS.length;

const MACHINES = ['pseries-7.2', 'pseries-7.1', 'pseries-6.2', 'pseries'];
const OPTIONS = [
  { machine: '', cmdline: 'console=hvc0' },
  { machine: ',cap-rpt-invalidate=on', cmdline: 'console=hvc0 radix_hcall_invalidate=on' },
  { machine: ',max-cpu-compat=power9', cmdline: 'console=hvc0' },
  { machine: ',cap-large-decr=off', cmdline: 'console=hvc0 quiet' },
  { machine: ',cap-ccf-assist=off', cmdline: 'console=hvc0' },
  { machine: ',cap-cfpc=workaround,cap-sbbc=workaround,cap-ibs=workaround', cmdline: 'console=hvc0' },
  { machine: ',cap-nested-hv=on', cmdline: 'console=hvc0' },
];
const GUEST_KERNELS = ['6.1.0-50-powerpc64le', '5.10.0-30-powerpc64le'];
/** 4 machine types × 7 option sets × 2 kernels: 56 guest configurations (bare `pseries` resolves per host QEMU). */
const GUEST_CONFIGS = MACHINES.flatMap((m) => OPTIONS.flatMap((o) => GUEST_KERNELS.map((release) => ({ machine: `${m}${o.machine}`, kernel: { release, cmdline: o.cmdline } }))));
const L1_PARENT = { machine: 'pseries-7.2,cap-nested-hv=on,cap-rpt-invalidate=on', kernel: { release: '6.1.0-50-powerpc64le', cmdline: 'console=hvc0 radix_hcall_invalidate=on' } };

const id = (prefix: string, i: number) => `${prefix}-${String(i).padStart(5, '0')}`;

const l0Snapshot = (i: number, observedAt: string) => {
  const c = i % L0_CLASSES;
  const kernel = KERNELS[c % KERNELS.length];
  return {
    hostId: id('h', i),
    observedAt,
    level: 0,
    parentGuestId: null,
    cpu: { model: CPUS[Math.floor(c / KERNELS.length) % CPUS.length] },
    accelerator: 'kvm-hv',
    kernel: { release: kernel.release, cmdline: 'quiet' },
    qemu: { version: QEMUS[Math.floor(c / (KERNELS.length * CPUS.length)) % QEMUS.length] },
    kvm: {
      caps: { KVM_CAP_PPC_MMU_RADIX: 1, KVM_CAP_PPC_MMU_HASH_V3: 1, KVM_CAP_PPC_NESTED_HV: 1, KVM_CAP_PPC_RPT_INVALIDATE: kernel.rpt, KVM_CAP_PPC_FWNMI: 1, KVM_CAP_PPC_GET_CPU_CHAR: 1, KVM_CAP_PPC_AIL_MODE_3: 1 },
      nestedEnabled: true,
      ramPageSizeKiB: 64,
      mitigations: { ...MITIGATIONS[Math.floor(c / (KERNELS.length * CPUS.length * QEMUS.length)) % MITIGATIONS.length] },
      decrBits: 56,
    },
  };
};

/** A hypervisor inside guest `parentGuestId` (SPEC §2.1: radix only, the parent's CPU). */
const nestedSnapshot = (hostId: string, level: number, parentGuestId: string, cpu: string, observedAt: string) => ({
  hostId,
  observedAt,
  level,
  parentGuestId,
  cpu: { model: cpu },
  accelerator: 'kvm-hv',
  kernel: { release: '6.1.0-50-powerpc64le', cmdline: 'quiet' },
  qemu: { version: '7.2.0' },
  kvm: {
    caps: { KVM_CAP_PPC_MMU_RADIX: 1, KVM_CAP_PPC_NESTED_HV: 1, KVM_CAP_PPC_RPT_INVALIDATE: 1, KVM_CAP_PPC_FWNMI: 1, KVM_CAP_PPC_GET_CPU_CHAR: 1, KVM_CAP_PPC_AIL_MODE_3: 1 },
    nestedEnabled: true,
    ramPageSizeKiB: 64,
    mitigations: { ...MITIGATIONS[0] },
    decrBits: 56,
  },
});

const boot = (guestId: string, hostId: string, at: string, config: { machine: string; kernel: { release: string; cmdline: string } }): CommandDocument => ({
  type: 'RecordGuestBoot',
  document: { guestId, hostId, at, machine: config.machine, cpu: 'host', kernel: config.kernel },
});

export interface PlannerFleet {
  readonly commands: CommandDocument[];
  readonly guestIds: string[];
  readonly description: string;
}

/**
 * The benchmark fleet, in the order an operator records it: `hosts` hosts (108 bare-metal capability classes;
 * 1% are L1 hypervisors inside guests, a tenth of those run L2 hypervisors), `guests` guests in 56 configurations
 * (1% on nested hosts), and 5% of them live-migrated once within their QEMU version.
 */
export const plannerFleet = (hosts: number, guests: number): PlannerFleet => {
  const l1Count = Math.max(1, Math.floor(hosts / 100));
  const l2Count = Math.max(1, Math.floor(l1Count / 10));
  const l0Count = hosts - l1Count - l2Count;
  const cpuOf = (l0: number) => l0Snapshot(l0, '').cpu.model;
  const commands: CommandDocument[] = [];
  for (let i = 0; i < l0Count; i++) commands.push({ type: 'RecordHostSnapshot', document: l0Snapshot(i, '2026-11-01T00:00:00Z') });
  // L1 parents on hosts with RPT_INVALIDATE (kernel 6.1), so radix_hcall_invalidate negotiates GTSE=0 as in the seed scenario.
  const l1Parents = Array.from({ length: l1Count }, (_, i) => (i * KERNELS.length * 7) % l0Count);
  l1Parents.forEach((h, i) => commands.push(boot(id('l1-vm', i), id('h', h), '2026-11-01T01:00:00Z', L1_PARENT)));
  l1Parents.forEach((h, i) => commands.push({ type: 'RecordHostSnapshot', document: nestedSnapshot(id('l1', i), 1, id('l1-vm', i), cpuOf(h), '2026-11-01T02:00:00Z') }));
  for (let i = 0; i < l2Count; i++) commands.push(boot(id('l2-vm', i), id('l1', i % l1Count), '2026-11-01T03:00:00Z', L1_PARENT));
  for (let i = 0; i < l2Count; i++) commands.push({ type: 'RecordHostSnapshot', document: nestedSnapshot(id('l2', i), 2, id('l2-vm', i), cpuOf(l1Parents[i % l1Count]), '2026-11-01T04:00:00Z') });

  const guestIds: string[] = [];
  const where: number[] = [];
  for (let g = 0; g < guests; g++) {
    const guestId = `vm-${g}`;
    const config = GUEST_CONFIGS[(g * 31) % GUEST_CONFIGS.length];
    const nested = g % 100 === 99;
    const l0 = (g * 7919) % l0Count;
    const hostId = nested ? (g % 1000 === 999 ? id('l2', g % l2Count) : id('l1', g % l1Count)) : id('h', l0);
    commands.push(boot(guestId, hostId, '2026-11-02T00:00:00Z', config));
    guestIds.push(guestId);
    where.push(nested ? -1 : l0);
  }
  for (let g = 0; g < guests; g += 20) {
    // Another host of the same class: same QEMU, so the destination's machine types include the guest's.
    if (where[g] >= 0) commands.push({ type: 'RecordGuestMigration', document: { guestId: guestIds[g], toHostId: id('h', where[g] + L0_CLASSES < l0Count ? where[g] + L0_CLASSES : where[g] - L0_CLASSES), at: '2026-11-03T00:00:00Z' } });
  }
  const migrated = commands.filter((c) => c.type === 'RecordGuestMigration').length;
  return {
    commands,
    guestIds,
    description: `${l0Count} L0 hosts (${L0_CLASSES} classes), ${l1Count} L1 and ${l2Count} L2 hypervisors; ${guests} guests in ${GUEST_CONFIGS.length} configurations (${Math.floor(guests / 100)} nested), ${migrated} migrated`,
  };
};
