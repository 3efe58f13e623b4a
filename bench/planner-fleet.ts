import { decide, FleetCommand, FleetEvent, HostSnapshot, InMemoryFleet } from '@spapr/domain';

const CPUS = ['POWER9', 'POWER10'] as const;
const QEMUS = ['7.2.0', '8.2.0', '9.2.0'];
const KERNELS = [
  { release: '6.1.0-50-powerpc64le', rpt: 1 as const },
  { release: '5.10.0-30-powerpc64le', rpt: 0 as const },
];
const MITIGATIONS = [
  { cfpc: 'fixed', sbbc: 'fixed', ibs: 'fixed-ccd', 'ccf-assist': 'off' },
  { cfpc: 'workaround', sbbc: 'workaround', ibs: 'fixed-na', 'ccf-assist': 'on' },
] as const;
const GUEST_CONFIGS = [
  { machine: 'pseries-7.2', cmdline: 'console=hvc0' },
  { machine: 'pseries-7.2,cap-rpt-invalidate=on', cmdline: 'console=hvc0 radix_hcall_invalidate=on' },
  { machine: 'pseries-7.2,max-cpu-compat=power9', cmdline: 'console=hvc0' },
  { machine: 'pseries-7.2,cap-large-decr=off', cmdline: 'console=hvc0 quiet' },
  { machine: 'pseries-7.2,cap-nested-hv=on', cmdline: 'console=hvc0' },
];

const hostSnapshot = (i: number, at: string): HostSnapshot => {
  const kernel = KERNELS[i % 2];
  return {
    hostId: `h-${String(i).padStart(5, '0')}`,
    observedAt: at,
    level: 0,
    parentGuestId: null,
    cpu: { model: CPUS[Math.floor(i / 2) % 2] },
    accelerator: 'kvm-hv',
    kernel: { release: kernel.release, cmdline: 'quiet' },
    qemu: { version: QEMUS[Math.floor(i / 4) % 3] },
    kvm: {
      caps: { KVM_CAP_PPC_MMU_RADIX: 1, KVM_CAP_PPC_MMU_HASH_V3: 1, KVM_CAP_PPC_NESTED_HV: 1, KVM_CAP_PPC_RPT_INVALIDATE: kernel.rpt, KVM_CAP_PPC_FWNMI: 1, KVM_CAP_PPC_GET_CPU_CHAR: 1 },
      nestedEnabled: true,
      ramPageSizeKiB: 64,
      mitigations: { ...MITIGATIONS[Math.floor(i / 12) % 2] },
      decrBits: 56,
    },
  };
};

/**
 * The benchmark fleet: `hosts` bare-metal hosts in 24 capability classes (CPU × QEMU × kernel × mitigations) and
 * `guests` guests in five configurations, spread over them; events in the order an operator would record them.
 */
export const plannerFleet = (hosts: number, guests: number): { fleet: InMemoryFleet; events: FleetEvent[] } => {
  const fleet = new InMemoryFleet();
  const events: FleetEvent[] = [];
  const record = (command: FleetCommand) => {
    const decided = decide(command, fleet);
    if (!decided.ok) throw new Error(`bench fleet refused ${command.type}: ${JSON.stringify(decided.error)}`);
    fleet.apply(decided.value.event);
    events.push(decided.value.event);
  };
  for (let i = 0; i < hosts; i++) record({ type: 'RecordHostSnapshot', data: hostSnapshot(i, '2026-11-01T00:00:00Z') });
  for (let g = 0; g < guests; g++) {
    const config = GUEST_CONFIGS[g % GUEST_CONFIGS.length];
    record({
      type: 'RecordGuestBoot',
      data: { guestId: `vm-${g}`, hostId: `h-${String((g * 7919) % hosts).padStart(5, '0')}`, at: '2026-11-02T00:00:00Z', machine: config.machine, cpu: 'host', kernel: { release: '6.1.0-50-powerpc64le', cmdline: config.cmdline } },
    });
  }
  return { fleet, events };
};
