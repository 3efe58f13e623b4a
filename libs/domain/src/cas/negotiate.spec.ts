import fc from 'fast-check';
import { GuestSpec } from '@spapr/domain/caps/host-facts';
import { CasHost, predictBoot } from './negotiate';
import { OV5_HPT_RESIZE, OV5_XIVE_EXPLOIT, Ov5Vector } from './ov5';

const DEBIAN_6_1 = '6.1.0-50-powerpc64le';
const TCG_72: CasHost = { level: 0, cpu: { model: 'POWER9' }, accelerator: 'tcg', qemu: { version: '7.2.0' } };

function guest(over: Partial<GuestSpec> & { cmdline?: string } = {}): GuestSpec {
  const { cmdline, ...rest } = over;
  return { machine: 'pseries', cpu: 'POWER9', kernel: { release: DEBIAN_6_1, cmdline: cmdline ?? 'console=hvc0' }, ...rest };
}

const errors = (p: ReturnType<typeof predictBoot>) => p.causes.filter((c) => c.severity === 'error').map((c) => [c.ruleId, c.message]);

// cas-ov5.md §1.2 and §4: Debian QEMU 7.2, TCG, Debian 6.1 guest kernel.
describe('When predicting the recorded QEMU 7.2 TCG boots', () => {
  it.each([
    ['POWER9, no cmdline', guest(), 'boots', 'radix', true, '1900200000a0050000000000000000000000000000008040400040'],
    ['POWER10', guest({ cpu: 'POWER10' }), 'boots', 'radix', true, '1900200000a0050000000000000000000000000000008040400040'],
    ['POWER9 disable_radix', guest({ cmdline: 'console=hvc0 disable_radix' }), 'boots', 'hash', false, '1600200000a0050000000000000000000000000000008040'],
    ['POWER8', guest({ cpu: 'POWER8' }), 'boots', 'hash', false, '1500200000a00500000000000000000000000000000080'],
    ['POWER8 radix_hcall_invalidate=on', guest({ cpu: 'POWER8', cmdline: 'radix_hcall_invalidate=on' }), 'boots', 'hash', false, '1500200000a00500000000000000000000000000000080'],
    ['pseries-6.0', guest({ machine: 'pseries-6.0' }), 'boots', 'radix', true, '190020000080050000000000000000000000000000008040400040'],
  ])('%s → %s, mmu %s, gtse %s, ov5 %s', (_name, g, outcome, mmu, gtse, ov5) => {
    const p = predictBoot(TCG_72, g);
    expect(p.outcome).toBe(outcome);
    expect(p.contract).toMatchObject({ mmu, gtse, ov5 });
  });

  it('panics a POWER9 guest with radix_hcall_invalidate=on and cap-rpt-invalidate off', () => {
    const p = predictBoot(TCG_72, guest({ cmdline: 'console=hvc0 radix_hcall_invalidate=on' }));
    expect(p.outcome).toBe('guest-panics');
    expect(errors(p)).toEqual([['BOOT-NO-GTSE-NO-RPTI', 'BUG: Radix support requires either GTSE or RPT_INVALIDATE']]);
    expect(p.contract).toMatchObject({ mmu: 'radix', gtse: false, ov5: '1700200000a005000000000000000000000000000000804040' });
  });

  it('refuses cap-rpt-invalidate=on before the guest runs', () => {
    const p = predictBoot(TCG_72, guest({ machine: 'pseries,cap-rpt-invalidate=on' }));
    expect(p.outcome).toBe('qemu-refuses');
    expect(errors(p)).toEqual([['BOOT-RPTI-TCG', 'No H_RPT_INVALIDATE support in TCG']]);
    expect(p.contract).toBeNull();
  });

  it('negotiates compat power9 for a POWER9 vCPU and power10 for POWER10', () => {
    expect(predictBoot(TCG_72, guest()).contract).toMatchObject({ compatPvr: 0x0f000005, compatMode: 'power9' });
    expect(predictBoot(TCG_72, guest({ cpu: 'POWER10' })).contract).toMatchObject({ compatPvr: 0x0f000006, compatMode: 'power10' });
  });

  it('explains the defaults and the negotiation with info causes', () => {
    const ids = predictBoot(TCG_72, guest()).causes.filter((c) => c.severity === 'info').map((c) => c.ruleId);
    expect(ids).toEqual(['DEF-CAPS-CLASS', 'INFO-RADIX-OV5', 'CAS-MMU-NEGOTIATED', 'INFO-FORM2-AFFINITY', 'CAS-FORM2-MACHINE']);
  });

  it('says which defaults the machine type and the CPU changed (DEF-CAPS-MACHINE, DEF-CAPS-CPU)', () => {
    const info = (g: GuestSpec) => predictBoot(TCG_72, g).causes.filter((c) => c.ruleId.startsWith('DEF-CAPS-')).map((c) => [c.ruleId, c.values['caps'] ?? null]);
    expect(info(guest({ machine: 'pseries-3.1' }))).toEqual([
      ['DEF-CAPS-CLASS', null],
      ['DEF-CAPS-MACHINE', 'ccf-assist=0, fwnmi=0, cfpc=0, sbbc=0, ibs=0, large-decr=0'],
    ]);
    expect(info(guest({ cpu: 'POWER8' }))).toEqual([
      ['DEF-CAPS-CLASS', null],
      ['DEF-CAPS-CPU', 'large-decr=0'],
    ]);
  });

  it('says FORM2 is offered only from pseries-6.2, twice as rules.md does (INFO-FORM2-AFFINITY, CAS-FORM2-MACHINE)', () => {
    const form2 = (machine: string) => predictBoot(TCG_72, guest({ machine })).causes.filter((c) => c.ruleId.includes('FORM2')).map((c) => [c.ruleId, c.values]);
    expect(form2('pseries-6.1')).toEqual([
      ['INFO-FORM2-AFFINITY', { machine: 'pseries-6.1', form2Offered: false }],
      ['CAS-FORM2-MACHINE', { mt: 'pseries-6.1', form2: 'does not offer', b5: '80' }],
    ]);
    expect(form2('pseries-6.2')).toEqual([
      ['INFO-FORM2-AFFINITY', { machine: 'pseries-6.2', form2Offered: true }],
      ['CAS-FORM2-MACHINE', { mt: 'pseries-6.2', form2: 'offers', b5: 'a0' }],
    ]);
  });
});

const L0: CasHost = {
  level: 0,
  cpu: { model: 'POWER9', dd: '2.3' },
  accelerator: 'kvm-hv',
  kernel: { release: DEBIAN_6_1, cmdline: '' },
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
const withCaps = (host: CasHost, caps: Record<string, number>, extra: Partial<CasHost> = {}): CasHost => ({
  ...host,
  ...extra,
  kvm: { ...host.kvm!, caps: { ...host.kvm!.caps, ...caps } },
});
const L1 = withCaps(L0, { KVM_CAP_PPC_MMU_HASH_V3: 0 }, { level: 1 });

describe('When booting on a KVM-HV host', () => {
  it('boots the SPEC §2.2 guest radix with gtse=0 (radix_hcall_invalidate=on, cap-rpt-invalidate=on) in power9 compat', () => {
    const p = predictBoot(L0, {
      machine: 'pseries-7.2,cap-nested-hv=on,cap-rpt-invalidate=on,max-cpu-compat=power9',
      cpu: 'host',
      smp: { threads: 1 },
      kernel: { release: DEBIAN_6_1, cmdline: 'console=hvc0 radix_hcall_invalidate=on' },
    });
    expect(p.outcome).toBe('boots');
    expect(p.platformSupport).toEqual({ byte23: 0x80, byte24: 0x80, byte25: 0, byte26: 0x40 });
    expect(p.contract).toMatchObject({ mmu: 'radix', gtse: false, compatMode: 'power9', effectiveCaps: { 'nested-hv': 1, 'rpt-invalidate': 1 } });
  });

  it('refuses a POWER8-compat guest on a radix-only level-0 host while building the FDT (QEMU ≥ 6.1)', () => {
    const p = predictBoot(withCaps(L0, { KVM_CAP_PPC_MMU_HASH_V3: 0 }), guest({ cpu: 'host', machine: 'pseries,max-cpu-compat=power8' }));
    expect(p.outcome).toBe('qemu-refuses');
    expect(errors(p)).toEqual([['BOOT-HASH-UNAVAILABLE', 'Guest requested unavailable MMU mode (hash).']]);
  });

  it('forces radix on a radix-only host despite disable_radix, with a warning', () => {
    const p = predictBoot(withCaps(L0, { KVM_CAP_PPC_MMU_HASH_V3: 0 }), guest({ cpu: 'host', cmdline: 'disable_radix' }));
    expect(p.outcome).toBe('boots');
    expect(p.contract?.mmu).toBe('radix');
    expect(p.causes.find((c) => c.ruleId === 'BOOT-DISABLE-RADIX-IGNORED')).toMatchObject({ severity: 'warning' });
  });

  it.each([
    ['disable_radix=1', 'hash'],
    ['disable_radix=on', 'hash'],
    ['disable_radix=no', 'radix'],
    ['disable_radix=off', 'radix'],
    ['disable_radix=maybe', 'radix'],
    ['disable_radixfoo', 'hash'],
  ])('parses %s with prom_strtobool semantics → %s', (cmdline, mmu) => {
    expect(predictBoot(L0, guest({ cpu: 'host', cmdline })).contract?.mmu).toBe(mmu);
  });

  it('falls back to hash for a kernel without radix, and refuses it on a radix-only host', () => {
    const old = guest({ cpu: 'host', kernel: { release: '4.4.0', cmdline: '' } });
    expect(predictBoot(L0, old).contract?.mmu).toBe('hash');
    expect(errors(predictBoot(withCaps(L0, { KVM_CAP_PPC_MMU_HASH_V3: 0 }), old))).toEqual([['BOOT-HASH-UNAVAILABLE', 'Guest requested unavailable MMU mode (hash).']]);
  });
});

describe('When the host models the KVM_CAP_PPC_GTSE proposal (qemu.gtseFromKvm)', () => {
  const noGtse = withCaps(L0, { KVM_CAP_PPC_GTSE: 2 }, { qemu: { version: '7.2.0', gtseFromKvm: true } });

  it('ignores the cap without gtseFromKvm', () => {
    const p = predictBoot(withCaps(L0, { KVM_CAP_PPC_GTSE: 2 }), guest({ cpu: 'host' }));
    expect(p.contract?.gtse).toBe(true);
    expect(p.causes.some((c) => c.ruleId === 'CAS-GTSE-FROM-KVM')).toBe(false);
  });

  it('withholds GTSE: a GTSE-optional guest asks radix without it and panics without cap-rpt-invalidate', () => {
    const p = predictBoot(noGtse, guest({ cpu: 'host' }));
    expect(p.platformSupport?.byte26).toBe(0);
    expect(p.outcome).toBe('guest-panics');
    expect(p.causes[0]).toMatchObject({ ruleId: 'CAS-GTSE-FROM-KVM', severity: 'info' });
    expect(predictBoot(noGtse, guest({ cpu: 'host', machine: 'pseries,cap-rpt-invalidate=on' })).outcome).toBe('boots');
  });

  it('makes a pre-5.9 kernel ask hash, refused on a radix-only host', () => {
    const radixOnly = withCaps(noGtse, { KVM_CAP_PPC_MMU_HASH_V3: 0 });
    expect(errors(predictBoot(radixOnly, guest({ cpu: 'host', kernel: { release: '5.4.0', cmdline: '' } })))).toEqual([
      ['BOOT-HASH-UNAVAILABLE', 'Guest requested unavailable MMU mode (hash).'],
    ]);
  });
});

describe('When booting an L2 on a level-1 host', () => {
  it('refuses a POWER8-compat L2 at reset: HPT not supported in nested guests', () => {
    const p = predictBoot(L1, guest({ cpu: 'host', machine: 'pseries,max-cpu-compat=power8' }));
    expect(errors(p)).toEqual([['NEST-HPT-UNSUPPORTED', 'HPT not supported in nested guests']]);
  });

  it('refuses an L2 that asks hash at CAS', () => {
    const p = predictBoot(L1, guest({ cpu: 'host', kernel: { release: '6.1.0', cmdline: '', features: { radix: false } } }));
    expect(p.outcome).toBe('cas-fails');
    expect(errors(p)).toEqual([['NEST-HASH-L2', 'Guest requested unavailable MMU mode (hash).']]);
  });

  it('refuses a hash L2 on a level-1 host whose snapshot reports no radix: spapr_check_mmu_mode lets it through, the HPT QEMU then sets up does not', () => {
    const p = predictBoot(withCaps(L1, { KVM_CAP_PPC_MMU_RADIX: 0 }), guest({ cpu: 'host', cmdline: 'disable_radix' }));
    expect(p.outcome).toBe('cas-fails');
    expect(errors(p)).toEqual([['NEST-HASH-L2', 'HPT not supported in nested guests']]);
    expect(p.causes.find((c) => c.ruleId === 'NEST-HASH-L2')?.source).toBe('hw/ppc/spapr.c:do_client_architecture_support → spapr_setup_hpt → spapr_reallocate_hpt');
  });

  it('crashes a GTSE=1 L2 under an L1 that registered GTSE=0 (API v1, KVM-HV L0)', () => {
    const host = { ...L1, parent: { guestId: 'vm-l1', nestedApi: 'v1' as const, l1: { guestId: 'vm-l1', gtse: false, nestedApi: 'v1' as const }, l0Accelerator: 'kvm-hv' as const, l0RptInvalidate: true, l0HostId: 'l0-p9', l0Kernel: '6.1.0-50-powerpc64le', compatMode: 'power9' as const } };
    expect(errors(predictBoot(host, guest({ cpu: 'host' })))).toEqual([
      ['NEST-GTSE-INHERITED', expect.stringContaining('first tlbie traps')],
    ]);
  });

  it('accepts a GTSE=0 L2 using H_RPT_INVALIDATE when L0 handles it', () => {
    const host = { ...L1, parent: { guestId: 'vm-l1', nestedApi: 'v1' as const, l1: { guestId: 'vm-l1', gtse: false, nestedApi: 'v1' as const }, l0Accelerator: 'kvm-hv' as const, l0RptInvalidate: true, l0HostId: 'l0-p9', l0Kernel: '6.1.0-50-powerpc64le', compatMode: 'power9' as const } };
    const p = predictBoot(host, guest({ cpu: 'host', machine: 'pseries,cap-rpt-invalidate=on', cmdline: 'radix_hcall_invalidate=on' }));
    expect(p.outcome).toBe('boots');
    expect(p.causes.some((c) => c.ruleId === 'NEST-GTSE-OK')).toBe(true);
    const old = { ...host, parent: { ...host.parent, l0RptInvalidate: false } };
    expect(errors(predictBoot(old, guest({ cpu: 'host', machine: 'pseries,cap-rpt-invalidate=on', cmdline: 'radix_hcall_invalidate=on' })))[0]?.[0]).toBe('NEST-RPTI-L0-OLD');
  });
});

describe('When an L2 names a CPU model on a level-1 KVM-HV host (conformance N07)', () => {
  it('refuses -cpu POWER8 on a POWER9 L1 at vCPU init, before any HPT check', () => {
    const p = predictBoot(L1, guest({ cpu: 'POWER8' }));
    expect(p.outcome).toBe('config-invalid');
    expect(errors(p)).toEqual([['BOOT-CPU-MODEL', 'Register sync failed... If you\'re using kvm-hv.ko, only "-cpu host" is possible']]);
  });

  it('boots -cpu POWER9 on the POWER9 L1', () => {
    expect(predictBoot(L1, guest({ cpu: 'POWER9' })).outcome).toBe('boots');
  });
});

describe('When the L2 interrupt controller is XIVE on a nested KVM-HV host (NEST-XIVE-EMULATED)', () => {
  const observed = 'kernel_irqchip allowed but unavailable: IRQ_XIVE capability must be present for KVM';

  it('warns as QEMU does once CAS negotiated XIVE, and falls back to the emulated XIVE', () => {
    const p = predictBoot(L1, guest({ cpu: 'host' }));
    expect(p.outcome).toBe('boots');
    expect(p.contract?.xive).toBe(true);
    expect(p.causes.filter((c) => c.severity === 'warning').map((c) => [c.ruleId, c.message, c.hint])).toEqual([['NEST-XIVE-EMULATED', observed, 'Falling back to kernel-irqchip=off']]);
  });

  it.each([
    ['level 0', L0, 'pseries-7.2', ''],
    ['ic-mode=xics', L1, 'pseries-7.2,ic-mode=xics', ''],
    ['a guest booted xive=off', L1, 'pseries-7.2', 'xive=off'],
    ['kernel-irqchip=off', L1, 'pseries-7.2,kernel-irqchip=off', ''],
  ])('stays silent with %s', (_name, host, machine, cmdline) => {
    expect(predictBoot(host, guest({ cpu: 'host', machine, cmdline })).causes.some((c) => c.ruleId === 'NEST-XIVE-EMULATED')).toBe(false);
  });

  it('refuses at CAS with kernel-irqchip=on', () => {
    const p = predictBoot(L1, guest({ cpu: 'host', machine: 'pseries-7.2,kernel-irqchip=on' }));
    expect(p.outcome).toBe('cas-fails');
    expect(errors(p)).toEqual([['NEST-XIVE-EMULATED', 'kernel_irqchip requested but unavailable: IRQ_XIVE capability must be present for KVM']]);
  });
});

describe('When choosing the interrupt controller (spapr_irq_init, BOOT-IRQ-MODE)', () => {
  it('refuses ic-mode=xive with a POWER8 CPU, as observed', () => {
    const p = predictBoot(TCG_72, guest({ cpu: 'POWER8', machine: 'pseries-7.2,ic-mode=xive' }));
    expect(p.outcome).toBe('qemu-refuses');
    expect(errors(p)).toEqual([['BOOT-IRQ-MODE', 'XIVE-only machines require a POWER9 CPU']]);
  });

  it('refuses ic-mode=xive on a POWER9 in power8 compat, and turns dual into XICS there (no XIVE offered)', () => {
    expect(errors(predictBoot(TCG_72, guest({ machine: 'pseries-7.2,ic-mode=xive,max-cpu-compat=power8' })))).toEqual([['BOOT-IRQ-MODE', 'XIVE-only machines require a POWER9 CPU']]);
    const dual = predictBoot(TCG_72, guest({ machine: 'pseries-7.2,max-cpu-compat=power8' }));
    expect(dual.config?.irq).toMatchObject({ requested: 'dual', mode: 'xics' });
    const offer = Ov5Vector.decodeHex(dual.offer ?? '');
    expect(offer.ok && offer.vector.has(OV5_XIVE_EXPLOIT)).toBe(false);
  });

  it.each([
    ['pseries-7.2,kernel-irqchip=split', 'kernel_irqchip split mode not supported on pseries'],
    ['pseries-7.2,kernel-irqchip=on', 'kernel_irqchip requested but only available with KVM'],
  ])('refuses %s under TCG', (machine, message) => {
    expect(errors(predictBoot(TCG_72, guest({ machine })))).toEqual([['BOOT-IRQ-MODE', message]]);
  });

  it.each([
    ['pseries-7.2,ic-mode=both', 'Bad value for "ic-mode" property'],
    ['pseries-3.0,ic-mode=xics', "This machine only uses the legacy XICS backend, don't pass ic-mode"],
  ])('refuses the option %s', (machine, message) => {
    expect(errors(predictBoot(TCG_72, guest({ machine })))).toEqual([['BOOT-MACHINE-OPTION', message]]);
  });
});

describe('When the guest asks H_GET_CPU_CHARACTERISTICS with cap-ibs=fixed-na (conformance B35)', () => {
  const observed = "../../hw/ppc/spapr_hcall.c:1387: h_get_cpu_characteristics: Assertion 'safe_indirect_branch == SPAPR_CAP_BROKEN' failed.";

  it('warns at TCG startup, then QEMU aborts on the assertion: fixed-na is stored as 4, the handler knows 0x10', () => {
    const p = predictBoot(TCG_72, guest({ machine: 'pseries-7.2,cap-ibs=fixed-na' }));
    expect(p.outcome).toBe('qemu-aborts');
    expect(p.causes.filter((c) => c.ruleId === 'BOOT-CAP-TCG-WARN').map((c) => c.message)).toContain("TCG doesn't support requested feature, cap-ibs=fixed-na");
    const abort = p.causes.find((c) => c.severity === 'error');
    expect(abort).toMatchObject({ ruleId: 'BOOT-IBS-FIXED-NA-ABORT', cap: 'ibs', values: { 'cap-ibs': 4 } });
    expect(observed.endsWith(abort?.message ?? '-')).toBe(true);
  });

  it('takes the same path under KVM, where startup passes on a host reporting fixed-na (4 ≤ 0x10)', () => {
    const naHost = { ...L0, kvm: { ...L0.kvm!, mitigations: { ...L0.kvm!.mitigations, ibs: 'fixed-na' as const, 'ccf-assist': 'on' as const } } };
    const p = predictBoot(naHost, guest({ cpu: 'host', machine: 'pseries-7.2,cap-ibs=fixed-na' }));
    expect(p.outcome).toBe('qemu-aborts');
    expect(errors(p).map(([id]) => id)).toEqual(['BOOT-IBS-FIXED-NA-ABORT']);
  });

  it('never reaches the hcall when the guest panics first (pSeries_setup_arch checks GTSE before the mitigations)', () => {
    const p = predictBoot(TCG_72, guest({ machine: 'pseries-7.2,cap-ibs=fixed-na', cmdline: 'radix_hcall_invalidate=on' }));
    expect(p.outcome).toBe('guest-panics');
  });
});

describe('When a little-endian guest boots with cap-vsx=off (conformance B36)', () => {
  it('completes CAS, then init dies of SIGILL without VSX and the kernel panics', () => {
    const p = predictBoot(TCG_72, guest({ machine: 'pseries,cap-vsx=off' }));
    expect(p.outcome).toBe('guest-panics');
    expect(errors(p)).toEqual([['BOOT-LE-VSX-OFF', 'Kernel panic - not syncing: Attempted to kill init! exitcode=0x00000004']]);
    expect(p.contract).toMatchObject({ mmu: 'radix', ov5: '1900200000a0050000000000000000000000000000008040400040' });
  });

  it('leaves the outcome to QEMU when it aborts first, at the guest kernel\'s H_GET_CPU_CHARACTERISTICS', () => {
    const p = predictBoot(TCG_72, guest({ machine: 'pseries,cap-vsx=off,cap-ibs=fixed-na' }));
    expect(p.outcome).toBe('qemu-aborts');
    expect(errors(p).map(([id]) => id)).toEqual(['BOOT-IBS-FIXED-NA-ABORT', 'BOOT-LE-VSX-OFF']);
  });

  it('boots a guest whose release does not name its endianness', () => {
    expect(predictBoot(TCG_72, guest({ machine: 'pseries,cap-vsx=off', kernel: { release: '6.1.0', cmdline: '' } })).outcome).toBe('boots');
  });
});

describe('When negotiating the compat PVR (CAS-PVR-NEGOTIATION)', () => {
  it('fails when no listed logical PVR fits under max-cpu-compat and raw is not listed', () => {
    const p = predictBoot(TCG_72, guest({ machine: 'pseries,max-cpu-compat=power7', kernel: { release: '6.1.0', cmdline: '', features: { logicalPvrs: ['0x0f000004'] } } }));
    expect(p.outcome).toBe('cas-fails');
    expect(p.causes.find((c) => c.ruleId === 'CAS-PVR-NEGOTIATION')).toMatchObject({ message: "Couldn't negotiate a suitable PVR during CAS", values: { raw: 'not listed' } });
  });

  it('fails when raw is listed but max-cpu-compat forbids raw mode', () => {
    const p = predictBoot(TCG_72, guest({ machine: 'pseries,max-cpu-compat=power8', kernel: { release: '6.1.0', cmdline: '', features: { logicalPvrs: ['0x0f000005'] } } }));
    expect(p.causes.find((c) => c.ruleId === 'CAS-PVR-NEGOTIATION')?.values['raw']).toBe('disallowed by max-cpu-compat');
  });

  it('boots a POWER8-only list on POWER9 with max-cpu-compat=power9 in power8 compat', () => {
    const p = predictBoot(TCG_72, guest({ machine: 'pseries,max-cpu-compat=power9', kernel: { release: '6.1.0', cmdline: '', features: { logicalPvrs: ['0x0f000004'] } } }));
    expect(p.contract).toMatchObject({ compatMode: 'power8' });
  });

  it('caps the compat mode with max-cpu-compat', () => {
    expect(predictBoot(TCG_72, guest({ cpu: 'POWER10', machine: 'pseries,max-cpu-compat=power9' })).contract?.compatMode).toBe('power9');
  });

  it('reports QEMU\'s refusal (BOOT-CAS-PVR) once, as CAS-PVR-NEGOTIATION naming max-cpu-compat and the raw PVR', () => {
    const p = predictBoot(TCG_72, guest({ machine: 'pseries,max-cpu-compat=power7', kernel: { release: '6.1.0', cmdline: '', features: { logicalPvrs: ['0x0f000004'] } } }));
    expect(p.causes.filter((c) => c.severity === 'error').map((c) => [c.ruleId, c.values['sameCauseAs'], c.values['mc'], c.values['pvr']])).toEqual([
      ['CAS-PVR-NEGOTIATION', 'BOOT-CAS-PVR', 'power7', expect.stringMatching(/^0x004e/)],
    ]);
  });

  it('stays silent when the kernel list is unknown', () => {
    const p = predictBoot(TCG_72, guest({ machine: 'pseries,max-cpu-compat=power9', kernel: { release: '5.10.0', cmdline: '' } }));
    expect(p.causes.some((c) => c.ruleId === 'CAS-PVR-NEGOTIATION')).toBe(false);
  });
});

describe('When the configuration itself is refused', () => {
  it('reports option errors with their rule and stops', () => {
    const p = predictBoot(TCG_72, guest({ machine: 'pseries,max-cpu-compat=POWER9' }));
    expect(p.outcome).toBe('config-invalid');
    expect(p.causes.map((c) => c.ruleId)).toEqual(['CAP-VALUE-PARSE']);
  });

  it.each([
    ['pseries,bogus=1', "Property 'pseries-7.2-machine.bogus' not found"],
    ['pseries,cap-htm', "Expected '=' after parameter 'cap-htm'"],
    ['powernv9', 'unsupported machine type (only pseries machines are modelled)'],
  ])('gives the refusal of %s a rule: BOOT-MACHINE-OPTION', (machine, message) => {
    const p = predictBoot(TCG_72, guest({ machine }));
    expect(p.outcome).toBe('config-invalid');
    expect(errors(p)).toEqual([['BOOT-MACHINE-OPTION', message]]);
  });

  it('refuses max-cpu-compat above the CPU at reset', () => {
    expect(errors(predictBoot(TCG_72, guest({ machine: 'pseries,max-cpu-compat=power10' })))).toEqual([['BOOT-COMPAT-PVR', 'Compatibility PVR 0x0f000006 not valid for CPU']]);
  });

  it('refuses TCG SMT on 7.2 before anything else', () => {
    const p = predictBoot(TCG_72, guest({ smp: { threads: 4 } }));
    expect(p.outcome).toBe('qemu-refuses');
    expect(errors(p)).toEqual([['BOOT-TCG-THREADS', 'TCG cannot support more than 1 thread/core on a pseries machine']]);
  });

  it('warns about deprecated machine types', () => {
    const p = predictBoot({ ...TCG_72, qemu: { version: '10.2.2' } }, guest({ machine: 'pseries-7.2' }));
    expect(p.causes.find((c) => c.ruleId === 'BOOT-MACHINE-DEPRECATED')?.message).toBe(
      "Machine type 'pseries-7.2' is deprecated: machines more than 3 years old are subject to deletion after 6 years",
    );
  });
});

describe('When predicting any TCG boot (property)', () => {
  it('writes an ov5 that decodes back to the contract', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('POWER8', 'POWER9', 'POWER10'),
        fc.constantFrom('pseries', 'pseries-6.0', 'pseries-4.0', 'pseries-2.7'),
        fc.constantFrom('', 'disable_radix', 'radix_hcall_invalidate=on', 'xive=off'),
        (cpu, machine, cmdline) => {
          const p = predictBoot(TCG_72, guest({ cpu, machine, cmdline }));
          if (!p.contract) return true;
          const d = Ov5Vector.decodeHex(p.contract.ov5);
          return d.ok && d.malformations.length === 0 && d.vector.toHex() === p.contract.ov5;
        },
      ),
    );
  });
});

describe('When fed arbitrary option strings (property)', () => {
  const hosts: CasHost[] = [TCG_72, L0, L1, { ...L0, accelerator: 'kvm-pr', qemu: { version: '10.2.2' } }, { ...TCG_72, qemu: { version: '9.2.50' } }];
  const machineText = fc.oneof(
    fc.string({ maxLength: 40 }),
    fc
      .array(fc.constantFrom('pseries', 'pseries-6.0', 'cap-htm=on', 'cap-ibs=FIXED-CCD', 'max-cpu-compat=power8', 'cap-hpt-max-page-size=16M', 'cap-nested-hv=on', 'cap-rpt-invalidate=on', ',,', 'ic-mode=xics', 'x'), { maxLength: 5 })
      .map((parts) => parts.join(',')),
  );
  it('never throws, has a contract exactly when CAS completed, and names a rule for every refusal', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...hosts),
        machineText,
        fc.constantFrom('host', 'POWER8', 'POWER9', 'power10', 'power11', '970', 'nonsense', 'POWER9,compat=power8'),
        fc.string({ maxLength: 30 }),
        fc.constantFrom('6.1.0', '5.4.0', '4.4.0', 'weird', '6.10.0'),
        fc.integer({ min: 1, max: 8 }),
        (host, machine, cpu, cmdline, release, threads) => {
          const p = predictBoot(host, { machine, cpu, smp: { threads }, kernel: { release, cmdline } });
          const completed = p.outcome === 'boots' || p.outcome === 'guest-panics' || p.outcome === 'qemu-aborts';
          const errorsFound = p.causes.some((c) => c.severity === 'error');
          return completed === (p.contract !== null) && (p.outcome === 'boots') === !errorsFound && (p.outcome !== 'config-invalid' || errorsFound);
        },
      ),
    );
  });
});

describe('When the host runs KVM-PR', () => {
  const offer = (p: ReturnType<typeof predictBoot>) => {
    const d = Ov5Vector.decodeHex(p.offer ?? '');
    if (!d.ok) throw new Error(d.reason);
    return d.vector;
  };

  it('keeps HPT resizing in the offer: kvmppc_check_papr_resize_hpt accepts PR KVM, which resizes in QEMU', () => {
    const p = predictBoot({ ...L0, accelerator: 'kvm-pr' }, guest({ machine: 'pseries-7.2', cpu: 'host' }));
    expect(offer(p).has(OV5_HPT_RESIZE)).toBe(true);
  });

  it('drops it only with resize-hpt=disabled', () => {
    const p = predictBoot({ ...L0, accelerator: 'kvm-pr' }, guest({ machine: 'pseries-7.2,resize-hpt=disabled', cpu: 'host' }));
    expect(offer(p).has(OV5_HPT_RESIZE)).toBe(false);
  });
});
