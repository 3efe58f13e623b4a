import { CasHost, NestedParentFacts, predictBoot } from './negotiate';

/** A level-1 POWER10 host inside guest vm-l1, which runs nested API v2 (cap-nested-papr=on on a TCG L0). */
const V2_PARENT: NestedParentFacts = {
  guestId: 'vm-l1',
  nestedApi: 'v2',
  l1: { guestId: 'vm-l1', gtse: true, nestedApi: 'v2' },
  l0Accelerator: 'tcg',
  l0RptInvalidate: false,
  l0HostId: 'tcg-l0',
  l0Kernel: '6.8.0',
  compatMode: 'power9',
};
const L1: CasHost = {
  hostId: 'l1-v2',
  parentGuestId: 'vm-l1',
  level: 1,
  cpu: { model: 'POWER10' },
  accelerator: 'kvm-hv',
  kernel: { release: '6.8.0', cmdline: '' },
  qemu: { version: '9.2.0' },
  kvm: { caps: { KVM_CAP_PPC_MMU_RADIX: 1, KVM_CAP_PPC_FWNMI: 1, KVM_CAP_PPC_AIL_MODE_3: 1, KVM_CAP_PPC_DAWR1: 1 }, nestedEnabled: false, decrBits: 56, mitigations: { cfpc: 'fixed', sbbc: 'fixed', ibs: 'fixed-ccd', 'ccf-assist': 'on' } },
  parent: V2_PARENT,
};
const l2 = (machine: string) => ({ machine, cpu: 'host', kernel: { release: '6.8.0', cmdline: 'console=hvc0' } });
const compatWarnings = (host: CasHost, machine: string) => predictBoot(host, l2(machine)).causes.filter((c) => c.ruleId === 'NEST-COMPAT-V2').map((c) => [c.severity, c.values]);

describe('When an API-v2 L1 runs in a compat mode below its CPU (NEST-COMPAT-V2)', () => {
  it('warns for an L2 whose CPU level (-cpu host = POWER10) exceeds the L1 compat mode power9', () => {
    expect(compatWarnings(L1, 'pseries-9.2')).toEqual([['warning', { p: 'vm-l1', mc: 'power9', l1Cpu: 'POWER10', l2Level: 'power10' }]]);
  });

  it('is silent for an L2 held at the L1 compat mode with max-cpu-compat', () => {
    expect(compatWarnings(L1, 'pseries-9.2,max-cpu-compat=power9')).toEqual([]);
  });

  it('is silent under API v1, and for an L1 in its own CPU mode', () => {
    expect(compatWarnings({ ...L1, parent: { ...V2_PARENT, nestedApi: 'v1' } }, 'pseries-9.2')).toEqual([]);
    expect(compatWarnings({ ...L1, parent: { ...V2_PARENT, compatMode: 'power10' } }, 'pseries-9.2')).toEqual([]);
  });
});
