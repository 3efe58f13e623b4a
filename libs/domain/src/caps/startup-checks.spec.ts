import { resolveGuestConfig } from './guest-caps';
import { GuestSpec, HostFacts } from './host-facts';
import { checkCapsAtStartup, hostMitigationLevels } from './startup-checks';

const SPEC_HOST: HostFacts = {
  level: 0,
  cpu: { model: 'POWER9', dd: '2.3' },
  accelerator: 'kvm-hv',
  kernel: { release: '6.1.0-50-powerpc64le', cmdline: 'root=/dev/sda2 quiet' },
  qemu: { version: '7.2.0' },
  kvm: {
    caps: {
      KVM_CAP_PPC_MMU_RADIX: 1, KVM_CAP_PPC_MMU_HASH_V3: 1, KVM_CAP_PPC_NESTED_HV: 1, KVM_CAP_PPC_RPT_INVALIDATE: 1,
      KVM_CAP_PPC_GTSE: 0, KVM_CAP_PPC_HTM: 0, KVM_CAP_PPC_FWNMI: 1, KVM_CAP_PPC_AIL_MODE_3: 1,
    },
    nestedEnabled: true,
    ramPageSizeKiB: 64,
    mitigations: { cfpc: 'fixed', sbbc: 'fixed', ibs: 'fixed-ccd', 'ccf-assist': 'off' },
    decrBits: 56,
  },
};
const TCG_HOST: HostFacts = { level: 0, cpu: { model: 'POWER9' }, accelerator: 'tcg', qemu: { version: '7.2.0' } };
const KERNEL = { release: '6.1.0-50-powerpc64le', cmdline: 'console=hvc0' };

function startup(host: HostFacts, guest: Partial<GuestSpec>) {
  const spec: GuestSpec = { machine: 'pseries', cpu: host.accelerator === 'tcg' ? 'POWER9' : 'host', kernel: KERNEL, ...guest };
  const r = resolveGuestConfig(host, spec);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  const c = r.config;
  return checkCapsAtStartup(host, c.qemu, { caps: c.effectiveCaps, cpu: c.cpu.facts, maxCpuCompat: c.machine.maxCpuCompat, smpThreads: c.smpThreads });
}

const brief = (causes: ReturnType<typeof startup>) => causes.map((c) => [c.ruleId, c.severity, c.message]);

describe('When booting on the SPEC §2.1 KVM host', () => {
  it('starts with default caps, the ccf-assist check skipped because ibs is fixed-ccd', () => {
    expect(brief(startup(SPEC_HOST, {}))).toEqual([['MIG-CCF-ASSIST-EXCEPTION', 'info', 'ccf-assist check skipped: host ibs is fixed-ccd']]);
  });

  it('starts the SPEC §2.2 guest (nested-hv, rpt-invalidate, compat power9)', () => {
    const causes = startup(SPEC_HOST, { machine: 'pseries-7.2,cap-nested-hv=on,cap-rpt-invalidate=on,max-cpu-compat=power9' });
    expect(causes.filter((c) => c.severity === 'error')).toEqual([]);
  });

  it('refuses ccf-assist without the assist when ibs is fixed-na (equality only)', () => {
    const host = { ...SPEC_HOST, kvm: { ...SPEC_HOST.kvm!, mitigations: { cfpc: 'fixed', sbbc: 'fixed', ibs: 'fixed-na', 'ccf-assist': 'off' } as const } };
    expect(brief(startup(host, {}))).toEqual([['BOOT-CCF-ASSIST-KVM', 'error', 'Requested count cache flush assist capability level not supported by KVM']]);
  });

  it('refuses default Spectre levels on a host without KVM_PPC_GET_CPU_CHAR, hinting the host level', () => {
    const host = { ...SPEC_HOST, kvm: { ...SPEC_HOST.kvm!, caps: { ...SPEC_HOST.kvm!.caps, KVM_CAP_PPC_GET_CPU_CHAR: 0 } } };
    const causes = startup(host, {});
    expect(causes.map((c) => [c.ruleId, c.cap, c.hint])).toEqual([
      ['BOOT-CAP-SPECTRE-KVM', 'cfpc', 'Try appending -machine cap-cfpc=broken'],
      ['BOOT-CAP-SPECTRE-KVM', 'sbbc', 'Try appending -machine cap-sbbc=broken'],
      ['BOOT-CAP-SPECTRE-KVM', 'ibs', 'Try appending -machine cap-ibs=broken'],
      ['BOOT-CCF-ASSIST-KVM', 'ccf-assist', 'Try appending -machine cap-ccf-assist=off'],
    ]);
  });

  it('accepts every ibs level on a fixed-na host (0x10)', () => {
    const host = { ...SPEC_HOST, kvm: { ...SPEC_HOST.kvm!, mitigations: { ibs: 'fixed-na', 'ccf-assist': 'on' } as const } };
    expect(hostMitigationLevels(host).ibs).toBe(16);
    expect(startup(host, { machine: 'pseries,cap-ibs=fixed-na,cap-cfpc=broken,cap-sbbc=broken' })).toEqual([]);
  });

  it('refuses a large decrementer whose host width differs from the model', () => {
    const host = { ...SPEC_HOST, kvm: { ...SPEC_HOST.kvm!, decrBits: 32 } };
    expect(brief(startup(host, {})).filter((c) => c[1] === 'error')).toEqual([['BOOT-LARGE-DECR-WIDTH', 'error', 'KVM large decrementer size (32) differs to model (56)']]);
    const none = { ...SPEC_HOST, kvm: { ...SPEC_HOST.kvm!, decrBits: undefined } };
    expect(brief(startup(none, {})).filter((c) => c[1] === 'error')).toEqual([['BOOT-CAP-UNSUPPORTED-KVM', 'error', 'No large decrementer support']]);
  });

  it('refuses 64 KiB hpt pages on 4 KiB-backed RAM, radix guests included', () => {
    const host = { ...SPEC_HOST, kvm: { ...SPEC_HOST.kvm!, ramPageSizeKiB: 4 } };
    expect(brief(startup(host, {})).filter((c) => c[1] === 'error')).toEqual([
      ['BOOT-HPT-PAGESIZE', 'error', "Can't support 64 kiB guest pages with 4 kiB host pages with this KVM implementation"],
    ]);
  });

  it('warns below 64 KiB and refuses below 4 KiB hpt-max-page-size', () => {
    expect(brief(startup(SPEC_HOST, { machine: 'pseries,cap-hpt-max-page-size=4k' })).filter((c) => c[0] === 'BOOT-HPT-PAGESIZE')).toEqual([
      ['BOOT-HPT-PAGESIZE', 'warning', 'Many guests require at least 64kiB hpt-max-page-size'],
    ]);
    expect(brief(startup(SPEC_HOST, { machine: 'pseries,cap-hpt-max-page-size=2k' })).filter((c) => c[0] === 'BOOT-HPT-PAGESIZE')).toEqual([
      ['BOOT-HPT-PAGESIZE', 'error', 'Require at least 4kiB hpt-max-page-size'],
    ]);
  });

  it('refuses rpt-invalidate without radix, then without the KVM cap', () => {
    const noRadix = { ...SPEC_HOST, kvm: { ...SPEC_HOST.kvm!, caps: { ...SPEC_HOST.kvm!.caps, KVM_CAP_PPC_MMU_RADIX: 0 } } };
    expect(startup(noRadix, { machine: 'pseries,cap-rpt-invalidate=on' }).find((c) => c.cap === 'rpt-invalidate')).toMatchObject({ ruleId: 'BOOT-RPTI-NO-RADIX', hint: null });
    const old = { ...SPEC_HOST, kvm: { ...SPEC_HOST.kvm!, caps: { ...SPEC_HOST.kvm!.caps, KVM_CAP_PPC_RPT_INVALIDATE: 0 } } };
    expect(startup(old, { machine: 'pseries,cap-rpt-invalidate=on' }).find((c) => c.cap === 'rpt-invalidate')).toMatchObject({ ruleId: 'BOOT-RPTI-KVM-MISSING' });
  });

  it('owns nested-hv failures by the NEST rules', () => {
    const off = { ...SPEC_HOST, kvm: { ...SPEC_HOST.kvm!, caps: { ...SPEC_HOST.kvm!.caps, KVM_CAP_PPC_NESTED_HV: 0 } } };
    expect(startup(off, { machine: 'pseries,cap-nested-hv=on' }).find((c) => c.cap === 'nested-hv')).toMatchObject({
      ruleId: 'NEST-HV-DISABLED',
      message: 'KVM implementation does not support Nested-HV',
    });
    expect(startup(SPEC_HOST, { machine: 'pseries,cap-nested-hv=on,max-cpu-compat=power8' }).find((c) => c.cap === 'nested-hv')).toMatchObject({
      ruleId: 'NEST-POWER8',
      hint: 'Try appending -machine max-cpu-compat=power9',
    });
  });
});

describe('When booting under TCG (recorded QEMU 7.2 ground truth)', () => {
  it('prints the four mitigation warnings on a default boot', () => {
    expect(brief(startup(TCG_HOST, {}))).toEqual([
      ['BOOT-CAP-TCG-WARN', 'warning', "TCG doesn't support requested feature, cap-cfpc=workaround"],
      ['BOOT-CAP-TCG-WARN', 'warning', "TCG doesn't support requested feature, cap-sbbc=workaround"],
      ['BOOT-CAP-TCG-WARN', 'warning', "TCG doesn't support requested feature, cap-ibs=workaround"],
      ['BOOT-CAP-TCG-WARN', 'warning', "TCG doesn't support requested feature, cap-ccf-assist=on"],
    ]);
  });

  it('refuses pseries,cap-htm=on', () => {
    expect(startup(TCG_HOST, { machine: 'pseries,cap-htm=on' })[0]).toMatchObject({
      ruleId: 'BOOT-CAP-UNSUPPORTED-TCG',
      message: 'No Transactional Memory support in TCG',
      hint: 'Try appending -machine cap-htm=off',
    });
  });

  it('refuses cap-rpt-invalidate=on', () => {
    expect(startup(TCG_HOST, { machine: 'pseries,cap-rpt-invalidate=on' }).filter((c) => c.severity === 'error')).toEqual([
      expect.objectContaining({ ruleId: 'BOOT-RPTI-TCG', message: 'No H_RPT_INVALIDATE support in TCG' }),
    ]);
  });

  it('boots cap-nested-hv=on on POWER9, refuses it on POWER8', () => {
    expect(startup(TCG_HOST, { machine: 'pseries,cap-nested-hv=on' }).filter((c) => c.severity === 'error')).toEqual([]);
    expect(startup(TCG_HOST, { machine: 'pseries,cap-nested-hv=on', cpu: 'POWER8' }).filter((c) => c.severity === 'error')).toEqual([
      expect.objectContaining({ ruleId: 'NEST-POWER8', message: 'Nested-HV only supported on POWER9 and later' }),
    ]);
  });

  it('refuses any SMT before 8.1, whatever the caps, and only nested-hv with SMT from 8.1', () => {
    expect(brief(startup(TCG_HOST, { smp: { threads: 2 } }))).toEqual([['BOOT-TCG-THREADS', 'error', 'TCG cannot support more than 1 thread/core on a pseries machine']]);
    const q81 = { ...TCG_HOST, qemu: { version: '8.1.0' } };
    expect(startup(q81, { smp: { threads: 2 } }).filter((c) => c.severity === 'error')).toEqual([]);
    expect(startup(q81, { smp: { threads: 2 }, machine: 'pseries,cap-nested-hv=on' }).filter((c) => c.severity === 'error')).toEqual([
      expect.objectContaining({ ruleId: 'NEST-TCG-SMT' }),
    ]);
  });

  it('reports the nested API clash from nested-papr (QEMU ≥ 9.0)', () => {
    const q10 = { ...TCG_HOST, qemu: { version: '10.2.2' } };
    expect(startup(q10, { machine: 'pseries,cap-nested-hv=on,cap-nested-papr=on' }).filter((c) => c.severity === 'error')).toEqual([
      expect.objectContaining({ ruleId: 'NEST-API-EXCLUSIVE', cap: 'nested-papr' }),
    ]);
  });

  it('refuses a large decrementer below POWER9 and dawr1 below POWER10', () => {
    const q10 = { ...TCG_HOST, qemu: { version: '10.2.2' } };
    expect(startup(q10, { cpu: 'POWER8', machine: 'pseries,cap-large-decr=on,cap-dawr1=on' }).filter((c) => c.severity === 'error').map((c) => [c.ruleId, c.hint])).toEqual([
      ['BOOT-CAP-UNSUPPORTED-TCG', 'Try -cpu POWER9'],
      ['BOOT-CAP-CPU-FEATURE', 'Try appending -machine cap-dawr1=off'],
    ]);
  });

  it('refuses Nested-PAPR under KVM always', () => {
    const kvm10 = { ...SPEC_HOST, qemu: { version: '10.2.2' }, kvm: { ...SPEC_HOST.kvm!, caps: { ...SPEC_HOST.kvm!.caps } } };
    expect(startup(kvm10, { machine: 'pseries,cap-nested-papr=on' }).find((c) => c.cap === 'nested-papr')).toMatchObject({ ruleId: 'NEST-PAPR-KVM' });
  });
});

describe('When TCG is asked for nested-hv by a QEMU older than 7.0', () => {
  it('refuses: NEST-TCG-UNSUPPORTED ("No Nested KVM-HV support in TCG"), naming the QEMU version', () => {
    const q62: HostFacts = { ...TCG_HOST, qemu: { version: '6.2.0' } };
    const errors = startup(q62, { machine: 'pseries-6.2,cap-nested-hv=on' }).filter((c) => c.severity === 'error');
    expect(errors.map((c) => [c.ruleId, c.severity, c.message, c.values['qv']])).toEqual([
      ['NEST-TCG-UNSUPPORTED', 'error', 'No Nested KVM-HV support in TCG', '6.2'],
    ]);
  });

  it('accepts it from QEMU 7.0', () => {
    expect(startup({ ...TCG_HOST, qemu: { version: '7.0.0' } }, { machine: 'pseries-7.0,cap-nested-hv=on' }).filter((c) => c.ruleId === 'NEST-TCG-UNSUPPORTED')).toEqual([]);
  });
});
