import { GuestSpec } from '@spapr/domain/caps/host-facts';
import { lookupMachineType } from '@spapr/domain/machine/machine-types';
import { compareMachineTypesForMigration } from '@spapr/domain/machine/machine-migration';
import { qemuVersion } from '@spapr/domain/caps/qemu-version';
import { checkContractOnDestination, predictMigration } from './migrate';
import { CasHost, predictBoot } from './negotiate';

const KERNEL = { release: '6.1.0-50-powerpc64le', cmdline: '' };
const tcg = (model: CasHost['cpu']['model'] = 'POWER9', version = '7.2.0'): CasHost => ({ level: 0, cpu: { model }, accelerator: 'tcg', qemu: { version } });
const KVM: CasHost = {
  level: 0,
  cpu: { model: 'POWER9' },
  accelerator: 'kvm-hv',
  kernel: { release: '6.1.0', cmdline: '' },
  qemu: { version: '7.2.0' },
  kvm: {
    caps: { KVM_CAP_PPC_MMU_RADIX: 1, KVM_CAP_PPC_MMU_HASH_V3: 1, KVM_CAP_PPC_NESTED_HV: 1, KVM_CAP_PPC_RPT_INVALIDATE: 1, KVM_CAP_PPC_FWNMI: 1, KVM_CAP_PPC_AIL_MODE_3: 1 },
    nestedEnabled: true,
    mitigations: { cfpc: 'fixed', sbbc: 'fixed', ibs: 'fixed-ccd', 'ccf-assist': 'on' },
    decrBits: 56,
  },
};
const withCaps = (caps: Record<string, number>, extra: Partial<CasHost> = {}): CasHost => ({ ...KVM, ...extra, kvm: { ...KVM.kvm!, caps: { ...KVM.kvm!.caps, ...caps } } });

function booted(host: CasHost, g: Omit<GuestSpec, 'kernel'> & { cmdline?: string }) {
  const spec: GuestSpec = { machine: g.machine, cpu: g.cpu, kernel: { ...KERNEL, cmdline: g.cmdline ?? '' } };
  const p = predictBoot(host, spec);
  if (!p.contract) throw new Error(`did not boot: ${JSON.stringify(p.causes.filter((c) => c.severity === 'error'))}`);
  return { host, guest: spec, contract: p.contract };
}

const problems = (p: ReturnType<typeof predictMigration>) =>
  p.causes.filter((c) => c.severity !== 'info').map((c) => [c.ruleId, c.severity, c.message]);

/** What every completed migration onto a QEMU 7.2 TCG destination ends with (conformance M01…M38). */
const STALLS = ['MIG-TCG-DECR-LOST', 'error', 'the guest stalls on the destination until another interrupt wakes it'];

// machine-types.md §2 and §4.3: recorded Debian QEMU 7.2 TCG outcomes.
describe('When migrating between the recorded QEMU 7.2 TCG guests', () => {
  it.each([
    ['pseries-7.2', 'pseries-7.1'],
    ['pseries-7.1', 'pseries-7.2'],
  ])('fails %s → %s on the machine type', (from, to) => {
    const p = predictMigration(booted(tcg(), { machine: from, cpu: 'POWER9' }), { host: tcg(), machine: to });
    expect(p.outcome).toBe('stream-fails');
    expect(problems(p)).toEqual([['MIG-MACHINE-TYPE', 'error', `Machine type received is '${from}' and local is '${to}'`]]);
  });

  it('fails POWER10 → POWER9 on the compat PVR, passes with max-cpu-compat=power9 on both ends', () => {
    const p = predictMigration(booted(tcg('POWER10'), { machine: 'pseries', cpu: 'POWER10' }), { host: tcg('POWER9'), cpu: 'POWER9' });
    expect(problems(p)).toEqual([['MIG-COMPAT-PVR', 'error', 'Compatibility PVR 0x0f000006 not valid for CPU']]);
    const ok = predictMigration(booted(tcg('POWER10'), { machine: 'pseries,max-cpu-compat=power9', cpu: 'POWER10' }), { host: tcg('POWER9'), cpu: 'POWER9' });
    expect(ok.outcome).toBe('completes');
  });

  it.each([
    ['POWER9', 'POWER10'],
    ['POWER8', 'POWER9'],
  ] as const)('completes %s → %s', (from, to) => {
    const p = predictMigration(booted(tcg(from), { machine: 'pseries', cpu: from }), { host: tcg(to), cpu: to });
    expect(p.outcome).toBe('completes');
    expect(problems(p)).toEqual([STALLS]);
  });

  // Conformance M13: the POWER8 destination's spapr_irq_check turns dual into XICS-only, so the
  // stream stops at the source's XIVE before any vCPU (and its compat PVR) is loaded.
  it('fails POWER9 → POWER8 on the XIVE source the destination lacks (M13)', () => {
    const p = predictMigration(booted(tcg('POWER9'), { machine: 'pseries-7.2', cpu: 'POWER9' }), { host: tcg('POWER8'), cpu: 'POWER8' });
    expect(p.outcome).toBe('stream-fails');
    expect(p.causes.filter((c) => c.severity === 'error').map((c) => [c.ruleId, c.message, c.hint])).toEqual([
      [
        'MIG-IRQ-BACKEND',
        "Unknown savevm section or instance 'xive-source' 0. Make sure that your current VM setup matches your saved VM setup, including any hotplugged devices",
        'load of migration failed: Invalid argument',
      ],
    ]);
  });

  it('fails POWER9 → POWER8 on the compat PVR once both ends run ic-mode=xics (M13)', () => {
    const p = predictMigration(booted(tcg('POWER9'), { machine: 'pseries-7.2,ic-mode=xics', cpu: 'POWER9' }), { host: tcg('POWER8'), cpu: 'POWER8' });
    expect(problems(p)).toEqual([['MIG-COMPAT-PVR', 'error', 'Compatibility PVR 0x0f000005 not valid for CPU']]);
  });

  // Conformance M21: max-cpu-compat=power8 makes XICS-only just like a POWER8 CPU does.
  it('fails POWER9 → POWER9 with max-cpu-compat=power8 added on the destination, completes the reverse (M21)', () => {
    const added = predictMigration(booted(tcg(), { machine: 'pseries-7.2', cpu: 'POWER9' }), { host: tcg(), machine: 'pseries-7.2,max-cpu-compat=power8' });
    expect(added.causes.filter((c) => c.severity === 'error').map((c) => [c.ruleId, c.values['section']])).toEqual([['MIG-IRQ-BACKEND', 'xive-source']]);
    const removed = predictMigration(booted(tcg(), { machine: 'pseries-7.2,max-cpu-compat=power8', cpu: 'POWER9' }), { host: tcg(), machine: 'pseries-7.2' });
    expect(removed.outcome).toBe('completes');
    expect(problems(removed)).toEqual([STALLS]);
  });

  it('fails a dual source to an ic-mode=xive destination on the ICS it lacks (derived section name)', () => {
    const p = predictMigration(booted(tcg(), { machine: 'pseries-7.2', cpu: 'POWER9' }), { host: tcg(), machine: 'pseries-7.2,ic-mode=xive' });
    expect(p.causes.filter((c) => c.severity === 'error').map((c) => [c.ruleId, c.values['section'], c.values['verified']])).toEqual([['MIG-IRQ-BACKEND', 'ics', false]]);
  });

  it('refuses an ic-mode=xive destination whose CPU is below POWER9 at its startup', () => {
    const p = predictMigration(booted(tcg(), { machine: 'pseries-7.2,ic-mode=xive', cpu: 'POWER9' }), { host: tcg('POWER8'), cpu: 'POWER8' });
    expect(p.outcome).toBe('destination-refuses');
    expect(p.causes.filter((c) => c.severity === 'error').map((c) => [c.ruleId, c.values['quotedRule'], c.message])).toEqual([
      ['MIG-DEST-CAP-APPLY', 'BOOT-IRQ-MODE', 'XIVE-only machines require a POWER9 CPU'],
    ]);
  });

  it('fails cap-large-decr=on → off and only warns off → default', () => {
    const on = predictMigration(booted(tcg(), { machine: 'pseries,cap-large-decr=on', cpu: 'POWER9' }), { host: tcg(), machine: 'pseries,cap-large-decr=off' });
    expect(problems(on)).toEqual([['MIG-CAP-HIGHER', 'error', 'cap-large-decr higher level (1) in incoming stream than on destination (0)']]);
    const off = predictMigration(booted(tcg(), { machine: 'pseries,cap-large-decr=off', cpu: 'POWER9' }), { host: tcg(), machine: 'pseries' });
    expect(off.outcome).toBe('completes');
    expect(problems(off)).toEqual([['MIG-CAP-LOWER', 'warning', 'cap-large-decr lower level (0) in incoming stream than on destination (1)'], STALLS]);
    expect(off.contractAfter?.effectiveCaps['large-decr']).toBe(1);
  });

  it('fails bare pseries from 7.2 to 8.0: the names resolve differently', () => {
    const p = predictMigration(booted(tcg(), { machine: 'pseries', cpu: 'POWER9' }), { host: tcg('POWER9', '8.0.0') });
    expect(problems(p)).toEqual([['MIG-MACHINE-TYPE', 'error', "Machine type received is 'pseries-7.2' and local is 'pseries-8.0'"]]);
  });
});

describe('When the destination cannot start the guest', () => {
  it('reports one MIG-DEST-CAP-APPLY for a gtse=0 guest going to a host without radix', () => {
    const src = booted(KVM, { machine: 'pseries,cap-rpt-invalidate=on', cpu: 'host', cmdline: 'radix_hcall_invalidate=on' });
    expect(src.contract).toMatchObject({ mmu: 'radix', gtse: false });
    const p = predictMigration(src, { host: withCaps({ KVM_CAP_PPC_MMU_RADIX: 0 }) });
    expect(p.outcome).toBe('destination-refuses');
    expect(p.causes.filter((c) => c.severity === 'error').map((c) => [c.ruleId, c.values['quotedRule'], c.message])).toEqual([
      ['MIG-DEST-CAP-APPLY', 'BOOT-RPTI-NO-RADIX', 'H_RPT_INVALIDATE only supported on Radix'],
    ]);
  });

  it('quotes NEST-HV-DISABLED for a nested-hv guest going to a host without nesting', () => {
    const p = predictMigration(booted(KVM, { machine: 'pseries,cap-nested-hv=on', cpu: 'host' }), { host: withCaps({ KVM_CAP_PPC_NESTED_HV: 0 }) });
    expect(p.causes.filter((c) => c.severity === 'error').map((c) => c.values['quotedRule'])).toEqual(['NEST-HV-DISABLED']);
  });

  it('refuses a cap property the destination binary does not have', () => {
    const src = booted(tcg('POWER10', '10.0.0'), { machine: 'pseries-9.2,cap-dawr1=off', cpu: 'POWER10' });
    const p = predictMigration(src, { host: tcg('POWER10', '9.2.0') });
    expect(p.outcome).toBe('destination-refuses');
    expect(problems(p)).toEqual([['MIG-DEST-CAP-APPLY', 'error', "Property 'pseries-9.2-machine.cap-dawr1' not found"]]);
  });

  it('fails on the unknown subsection when the destination is started without the cap', () => {
    const src = booted(tcg('POWER10', '10.0.0'), { machine: 'pseries-9.2,cap-dawr1=off', cpu: 'POWER10' });
    const p = predictMigration(src, { host: tcg('POWER10', '9.2.0'), machine: 'pseries-9.2' });
    expect(p.outcome).toBe('stream-fails');
    expect(problems(p)).toEqual([['MIG-CAP-UNKNOWN-SUBSECTION', 'error', "error while loading state for instance 0x0 of device 'spapr'"]]);
  });

  it('reports a machine type the destination binary no longer has', () => {
    const p = predictMigration(booted(tcg(), { machine: 'pseries-4.0', cpu: 'POWER9' }), { host: tcg('POWER9', '10.2.2') });
    expect(p.outcome).toBe('destination-refuses');
    expect(problems(p)).toEqual([['MIG-MACHINE-EXISTS', 'error', 'unsupported machine type']]);
  });
});

describe('When the destination restores the MMU', () => {
  it('refuses a hash guest on a nested host and a radix guest on a host without radix', () => {
    expect(checkContractOnDestination({ mmu: 'hash' }, withCaps({ KVM_CAP_PPC_MMU_HASH_V3: 0 }, { level: 1 }))).toEqual([
      expect.objectContaining({ ruleId: 'MIG-MMU-CONTRACT', message: 'HPT not supported in nested guests' }),
    ]);
    expect(checkContractOnDestination({ mmu: 'radix' }, withCaps({ KVM_CAP_PPC_MMU_RADIX: 0 }))).toEqual([
      expect.objectContaining({ message: 'Process table config unsupported by the host' }),
    ]);
    expect(checkContractOnDestination({ mmu: 'hash' }, withCaps({ KVM_CAP_PPC_MMU_HASH_V3: 0, KVM_CAP_PPC_MMU_RADIX: 0 }))).toEqual([]);
    // A nested kvm_hv refuses the HPT section (KVM_PPC_ALLOCATE_HTAB: -EOPNOTSUPP) whatever caps its snapshot reports.
    expect(checkContractOnDestination({ mmu: 'hash' }, withCaps({ KVM_CAP_PPC_MMU_HASH_V3: 0, KVM_CAP_PPC_MMU_RADIX: 0 }, { level: 1 }))).toEqual([
      expect.objectContaining({ ruleId: 'MIG-MMU-CONTRACT', message: 'HPT not supported in nested guests' }),
    ]);
    expect(checkContractOnDestination({ mmu: 'radix' }, tcg())).toEqual([]);
  });

  it('reports a GTSE=1 guest moving under an L1 that registered GTSE=0 as MIG-GTSE-CONTRACT', () => {
    const src = booted(KVM, { machine: 'pseries', cpu: 'host' });
    const l1 = { ...withCaps({ KVM_CAP_PPC_MMU_HASH_V3: 0 }, { level: 1 }), parent: { guestId: 'vm-l1', nestedApi: 'v1' as const, l1: { guestId: 'vm-l1', gtse: false, nestedApi: 'v1' as const }, l0Accelerator: 'kvm-hv' as const, l0RptInvalidate: true, l0HostId: 'l0-p9', l0Kernel: '6.1.0-50-powerpc64le', compatMode: 'power9' as const } };
    const p = predictMigration(src, { host: l1 });
    expect(p.outcome).toBe('gtse-conflict');
    expect(p.causes.filter((c) => c.severity === 'error').map((c) => [c.ruleId, c.values['quotedRule']])).toEqual([['MIG-GTSE-CONTRACT', 'NEST-GTSE-INHERITED']]);
  });
});

describe('When the destination makes the interrupt controller of the guest active again (spapr_irq_post_load)', () => {
  const parent = { guestId: 'vm-l1', nestedApi: 'v1' as const, l1: { guestId: 'vm-l1', gtse: true, nestedApi: 'v1' as const }, l0Accelerator: 'tcg' as const, l0RptInvalidate: false, l0HostId: 'l0-tcg', l0Kernel: '6.1.0-50-powerpc64le', compatMode: 'power9' as const };
  const l1 = (id: string): CasHost => ({ ...withCaps({ KVM_CAP_PPC_MMU_HASH_V3: 0 }, { level: 1, hostId: id }), parent });
  const xive = (p: ReturnType<typeof predictMigration>) => p.causes.filter((c) => c.ruleId === 'NEST-XIVE-EMULATED').map((c) => [c.severity, c.message, c.hint]);

  it('warns that a nested KVM-HV destination emulates the XIVE the guest negotiated (conformance N26, N27, N29)', () => {
    const src = booted(l1('l1-a'), { machine: 'pseries-7.2', cpu: 'host' });
    expect(src.contract.xive).toBe(true);
    const p = predictMigration(src, { host: l1('l1-b') });
    expect(p.outcome).toBe('completes');
    expect(xive(p)).toEqual([['warning', 'kernel_irqchip allowed but unavailable: IRQ_XIVE capability must be present for KVM', 'Falling back to kernel-irqchip=off']]);
  });

  it('says nothing for a guest on XICS, with kernel-irqchip=off, or onto a level-0 host; fails the load with kernel-irqchip=on', () => {
    const from = (machine: string) => booted(l1('l1-a'), { machine, cpu: 'host' });
    expect(xive(predictMigration(from('pseries-7.2,ic-mode=xics'), { host: l1('l1-b') }))).toEqual([]);
    expect(xive(predictMigration(from('pseries-7.2,kernel-irqchip=off'), { host: l1('l1-b') }))).toEqual([]);
    expect(xive(predictMigration(booted(KVM, { machine: 'pseries-7.2', cpu: 'host' }), { host: { ...KVM, hostId: 'p9-b' } }))).toEqual([]);
    const required = predictMigration(from('pseries-7.2'), { host: l1('l1-b'), machine: 'pseries-7.2,kernel-irqchip=on' });
    expect(required.outcome).toBe('irq-restore-fails');
    expect(xive(required)).toEqual([['error', 'kernel_irqchip requested but unavailable: IRQ_XIVE capability must be present for KVM', null]]);
  });
});

describe('When comparing machine type names (configuration_post_load)', () => {
  const t = (name: string, v = '7.2') => {
    const f = lookupMachineType(name, qemuVersion(v));
    if (f.kind !== 'found') throw new Error(name);
    return f.entry.type;
  };
  it('passes a received name that is a prefix of the local one (strncmp over the received length)', () => {
    const fake = (name: string) => ({ name, major: 9, minor: 1, sxxm: false });
    expect(compareMachineTypesForMigration(fake('pseries-9.1'), fake('pseries-9.10'))).toEqual([]);
    expect(compareMachineTypesForMigration(fake('pseries-9.10'), fake('pseries-9.1'))).toHaveLength(1);
  });

  it('never reaches the prefix quirk for pseries-2.1 → pseries-2.12: 2.1 sends no configuration section', () => {
    // machine-types.md §2 gives this pair as the prefix example; hw_compat_2_3 turns
    // send-configuration off for 2.1, so the 2.12 destination reports the missing section instead.
    expect(compareMachineTypesForMigration(t('pseries-2.1'), t('pseries-2.12'))).toEqual([expect.objectContaining({ ruleId: 'MIG-CONFIG-SECTION' })]);
  });

  it('skips the check when neither end sends a configuration section (pseries ≤ 2.3)', () => {
    expect(compareMachineTypesForMigration(t('pseries-2.2'), t('pseries-2.3'))).toEqual([]);
    expect(compareMachineTypesForMigration(t('pseries-2.3'), t('pseries-2.4'))).toEqual([expect.objectContaining({ ruleId: 'MIG-CONFIG-SECTION', message: 'Configuration section missing' })]);
  });

  it('fails a configuration section the destination does not expect as real QEMU 7.2 does (conformance M27: pseries-2.4 → 2.3)', () => {
    expect(compareMachineTypesForMigration(t('pseries-2.4'), t('pseries-2.3'))).toEqual([
      expect.objectContaining({ ruleId: 'MIG-CONFIG-SECTION', severity: 'error', message: expect.stringMatching(/^Unknown savevm section type 7/) }),
    ]);
  });
});

describe('When a guest runs in raw mode (compat PVR 0)', () => {
  it('fails on a destination of another CPU class: MIG-RAW-PVR (pvr_match in cpu_post_load)', () => {
    const source = booted(tcg('POWER9'), { machine: 'pseries', cpu: 'POWER9' });
    const raw = { ...source, contract: { ...source.contract, compatPvr: 0 } };
    const p = predictMigration(raw, { host: tcg('POWER10'), cpu: 'POWER10' });
    expect(p.outcome).toBe('stream-fails');
    expect(p.causes.filter((c) => c.severity === 'error').map((c) => [c.ruleId, c.values])).toEqual([['MIG-RAW-PVR', { sourceCpu: 'POWER9', destinationCpu: 'POWER10' }]]);
  });

  it('completes on the same CPU class', () => {
    const source = booted(tcg('POWER9'), { machine: 'pseries', cpu: 'POWER9' });
    expect(predictMigration({ ...source, contract: { ...source.contract, compatPvr: 0 } }, { host: tcg('POWER9') }).outcome).toBe('completes');
  });
});

describe('When the migration completes onto a TCG destination (MIG-TCG-DECR-LOST)', () => {
  const source = booted(tcg(), { machine: 'pseries-7.2', cpu: 'POWER9' });
  const onto = (host: CasHost) => predictMigration(source, { host }).causes.filter((c) => c.ruleId === 'MIG-TCG-DECR-LOST');

  it('stalls the guest on a QEMU 7.2 destination: the migration completes, the answer is an error with the version compared', () => {
    const p = predictMigration(source, { host: { ...tcg(), hostId: 'tcg-b' } });
    expect(p.outcome).toBe('completes');
    expect(p.causes.find((c) => c.ruleId === 'MIG-TCG-DECR-LOST')?.values).toEqual({ h: 'tcg-b', n: 0, accelerator: 'tcg', qemu: '7.2.0', fixedIn: '8.2' });
  });

  it('runs on from QEMU 8.2 on (a development snapshot 8.1.50 included), whatever the source, and never under KVM', () => {
    expect(onto(tcg('POWER9', '8.1.2'))).toHaveLength(1);
    expect(onto(tcg('POWER9', '8.1.50'))).toEqual([]);
    expect(onto(tcg('POWER9', '8.2.0'))).toEqual([]);
    expect(onto(tcg('POWER9', '9.1.0'))).toEqual([]);
    const kvmSource = booted(KVM, { machine: 'pseries-7.2', cpu: 'host' });
    expect(predictMigration(kvmSource, { host: { ...KVM, hostId: 'kvm-b' } }).causes.map((c) => c.ruleId)).not.toContain('MIG-TCG-DECR-LOST');
  });

  it('is not reached when the migration fails earlier', () => {
    const p = predictMigration(source, { host: tcg(), machine: 'pseries-7.1' });
    expect(p.outcome).toBe('stream-fails');
    expect(p.causes.map((c) => c.ruleId)).not.toContain('MIG-TCG-DECR-LOST');
  });
});

// rules.md MIG-LARGE-DECR is reported "via MIG-CAP-HIGHER/LOWER and BOOT-LARGE-DECR-WIDTH".
describe('When large-decr differs between the ends (MIG-LARGE-DECR)', () => {
  it('reports the 0/1 level as MIG-CAP-HIGHER on cap-large-decr', () => {
    const p = predictMigration(booted(tcg(), { machine: 'pseries', cpu: 'POWER9' }), { host: tcg(), machine: 'pseries,cap-large-decr=off' });
    expect(p.causes.filter((c) => c.severity === 'error').map((c) => [c.ruleId, c.cap])).toEqual([['MIG-CAP-HIGHER', 'large-decr']]);
  });

  it('reports a decrementer width mismatch only at destination startup, quoting BOOT-LARGE-DECR-WIDTH', () => {
    const p = predictMigration(booted(KVM, { machine: 'pseries-7.2', cpu: 'host' }), { host: { ...KVM, hostId: 'p9-32bit-decr', kvm: { ...KVM.kvm!, decrBits: 32 } } });
    expect(p.outcome).toBe('destination-refuses');
    expect(p.causes.filter((c) => c.severity === 'error').map((c) => [c.ruleId, c.values['quotedRule'], c.values['h'], c.values['name'], c.values['src']])).toEqual([
      ['MIG-DEST-CAP-APPLY', 'BOOT-LARGE-DECR-WIDTH', 'p9-32bit-decr', 'large-decr', 'on'],
    ]);
  });
});

describe('When the recorded source configuration is one its own QEMU refuses', () => {
  it('cannot predict the stream: GUEST-CONTRACT-UNKNOWN, never a silent safe', () => {
    const source = booted(tcg(), { machine: 'pseries', cpu: 'POWER9' });
    const p = predictMigration({ ...source, guest: { ...source.guest, machine: 'pseries,cap-frobnicate=on' } }, { host: tcg() });
    expect(p.outcome).toBe('config-invalid');
    expect(p.causes.map((c) => [c.ruleId, c.severity])).toEqual([['GUEST-CONTRACT-UNKNOWN', 'error']]);
  });
});
